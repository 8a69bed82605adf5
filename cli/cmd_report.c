/*
 * sochi report [-i CODE] [--format text|md|html|json] [-o FILE] [--now TIME]:
 * the draft 重大な事故報告書（詳報） from the incident's events.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "sochi.h"

static int	cmd_report_exec(struct cli *, int, char **);

const struct cmd_entry cmd_report_entry = {
	"report", "[-i CODE] [--format F] [-o FILE]",
	"the draft 詳報 (text, md, html or json)", cmd_report_exec
};

static void
report_usage(FILE *fp)
{
	fprintf(fp, "usage: sochi report [-i CODE] [--format text|md|html|json] "
	    "[-o FILE] [--now TIME] [--sokuho | --draft N]\n"
	    "Prints the draft 重大な事故報告書（詳報） of an incident, built from its\n"
	    "events; what no event tells is shown as 【要記入】 (null in JSON).\n"
	    "  -i, --incident CODE  the incident (default: $SOCHI_INCIDENT, else the\n"
	    "                       only open incident)\n"
	    "  -f, --format F       text (default), md, html or json\n"
	    "  -o, --output FILE    write to FILE (atomically) instead of standard "
	    "output\n"
	    "      --now TIME       the report date and the end of open impacts, as\n"
	    "                       RFC 3339 (default: now)\n"
	    "      --sokuho         the 速報 (first report) as of now, as text\n"
	    "      --draft N        draft version N as it was stored (sochi drafts\n"
	    "                       lists them)\n");
}

static int
cmd_report_exec(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "incident", required_argument, NULL, 'i' },
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "now", required_argument, NULL, 'N' },
		{ "draft", required_argument, NULL, 'D' },
		{ "sokuho", no_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *incident = NULL, *format = "text", *out = NULL, *now_s = NULL;
	int draft = 0, sokuho = 0;
	int (*render)(const struct report *, struct sbuf *);
	struct store_incident ci;
	struct timeline tl;
	struct report r;
	struct sbuf b = SBUF_INIT;
	int64_t now;
	int ch, rv;

	while ((ch = getopt_long(argc, argv, "i:f:o:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'i': incident = optarg; break;
		case 'f': format = optarg; break;
		case 'o': out = optarg; break;
		case 'N': now_s = optarg; break;
		case 'D':
			if ((draft = atoi(optarg)) < 1) {
				fprintf(stderr, "sochi report: --draft: expected a "
				    "version number, got \"%s\"\n", optarg);
				return EXIT_TROUBLE;
			}
			break;
		case 'S': sokuho = 1; break;
		case 'h': report_usage(stdout); return 0;
		default: report_usage(stderr); return EXIT_TROUBLE;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "sochi report: unexpected argument: %s\n",
		    argv[optind]);
		report_usage(stderr);
		return EXIT_TROUBLE;
	}
	if (strcmp(format, "text") == 0)
		render = report_text;
	else if (strcmp(format, "md") == 0 || strcmp(format, "markdown") == 0)
		render = report_markdown;
	else if (strcmp(format, "html") == 0)
		render = report_html;
	else if (strcmp(format, "json") == 0)
		render = report_json;
	else {
		fprintf(stderr, "sochi report: --format: expected text, md, html "
		    "or json, got \"%s\"\n", format);
		return EXIT_TROUBLE;
	}
	if (draft > 0) {
		/* A stored version, as it was made. */
		char code[80], *body;

		if (cli_pick_incident(cli, incident, code, sizeof(code)) == -1 ||
		    (body = cli_draft_body(cli, code, draft, format)) == NULL)
			return EXIT_TROUBLE;
		rv = out != NULL ? cli_write_out(out, body, strlen(body)) :
		    (fputs(body, stdout), 0);
		free(body);
		return rv == 0 ? 0 : EXIT_TROUBLE;
	}
	if (sokuho)
		render = report_sokuho;
	if (cli_open_timeline(cli, incident, now_s, &now, &ci, &tl) == -1)
		return EXIT_TROUBLE;
	r.tl = &tl;
	r.inc = &ci.inc;
	r.profile = &cli->cf.report;
	r.zone = &cli->zone;
	r.now = now;
	rv = render(&r, &b);
	if (rv == 0 && out != NULL)
		rv = cli_write_out(out, b.data, b.len);
	else if (rv == 0)
		fwrite(b.data, 1, b.len, stdout);
	sbuf_free(&b);
	timeline_free(&tl);
	store_incident_free(&ci);
	return rv == 0 ? 0 : EXIT_TROUBLE;
}
