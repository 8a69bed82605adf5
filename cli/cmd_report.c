/* SPDX-License-Identifier: MIT */
/*
 * sochi report [-i CODE] [--format text|md|html|json|docx|pdf] [-o FILE]
 * [--now TIME]: the draft 重大な事故報告書（詳報） from the incident's events.
 * docx and pdf are files, not text: they go to -o FILE or to a standard
 * output that is not a terminal.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "docx.h"
#include "report.h"
#include "sochi.h"
#include "when.h"

static int	cmd_report_exec(struct cli *, int, char **);

const struct cmd_entry cmd_report_entry = {
	"report", "[-i CODE] [--format F] [-o FILE] [--as-of T] [--draft N]",
	"the draft 詳報 (text, md, html, json, docx or pdf)", cmd_report_exec
};

static void
report_usage(FILE *fp)
{
	fprintf(fp, "usage: sochi report [-i CODE] [--format text|md|html|json|docx|"
	    "pdf] "
	    "[-o FILE] [--now TIME] [--as-of TIME] [--table NAME] "
	    "[--sokuho | --draft N]\n"
	    "Prints the draft 重大な事故報告書（詳報） of an incident, built from its\n"
	    "events; what no event tells is shown as 【要記入】 (null in JSON).\n"
	    "  -i, --incident CODE  the incident (default: $SOCHI_INCIDENT, else the\n"
	    "                       only open incident)\n"
	    "  -f, --format F       text (default), md, html, json, docx (Word) or\n"
	    "                       pdf (the HTML printed by headless Chromium,\n"
	    "                       [report] chromium); docx and pdf go to -o FILE\n"
	    "                       or to a standard output that is not a terminal\n"
	    "  -o, --output FILE    write to FILE (atomically) instead of standard "
	    "output\n"
	    "      --now TIME       the report date and the end of open impacts, as\n"
	    "                       RFC 3339 (default: now)\n"
	    "      --as-of TIME     the incident as it stood then: only events that\n"
	    "                       occurred by TIME (as corrected since), durations\n"
	    "                       to TIME; any --at form\n"
	    "      --table NAME     classify with another table (see sochi check)\n"
	    "      --sokuho         the 速報 (first report) as of now, as text\n"
	    "      --draft N        draft version N as it was stored: 0 is the\n"
	    "                       速報, 1 the 詳報 (sochi drafts lists them); with\n"
	    "                       --format docx, the .docx stored with it\n");
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
		{ "as-of", required_argument, NULL, 'A' },
		{ "table", required_argument, NULL, 'T' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *incident = NULL, *format = "text", *out = NULL, *now_s = NULL;
	const char *as_of = NULL, *table = NULL;
	int draft = -1, sokuho = 0, docx = 0, pdf = 0;
	char *end;
	long v;
	int (*render)(const struct report *, struct sbuf *);
	struct store_incident ci;
	struct store_history sr;
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
			v = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || v < 0 ||
			    v > 1000000) {
				fprintf(stderr, "sochi report: --draft: expected a "
				    "version number (0 for the 速報), got \"%s\"\n",
				    optarg);
				return EXIT_TROUBLE;
			}
			draft = (int)v;
			break;
		case 'A': as_of = optarg; break;
		case 'T': table = optarg; break;
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
	else if (strcmp(format, "docx") == 0) {
		render = NULL;
		docx = 1;
	}
	else if (strcmp(format, "pdf") == 0) {
		render = report_html;
		pdf = 1;
	}
	else {
		fprintf(stderr, "sochi report: --format: expected text, md, html, "
		    "json, docx or pdf, got \"%s\"\n", format);
		return EXIT_TROUBLE;
	}
	if ((docx || pdf) && sokuho) {
		fprintf(stderr, "sochi report: the 速報 is text: --sokuho does not "
		    "go with --format %s\n", format);
		return EXIT_TROUBLE;
	}
	if (pdf && draft >= 0) {
		fprintf(stderr, "sochi report: --draft gives a version as it was "
		    "stored; PDF is not stored (print its html: sochi report "
		    "--draft %d --format html)\n", draft);
		return EXIT_TROUBLE;
	}
	/* Refused before any work: a binary file is not for a terminal. */
	if ((docx || pdf) && out == NULL && isatty(STDOUT_FILENO)) {
		fprintf(stderr, "sochi report: --format %s writes a binary file, "
		    "not for a terminal: give -o FILE, or redirect standard "
		    "output to a file or a pipe\n", format);
		return EXIT_TROUBLE;
	}
	if (draft >= 0 && docx) {
		char code[80], *bytes;
		size_t len;

		if (cli_pick_incident(cli, incident, code, sizeof(code)) == -1 ||
		    (bytes = cli_draft_bytes(cli, code, draft, "docx",
		    &len)) == NULL)
			return EXIT_TROUBLE;
		rv = cli_binary_out("report", out, bytes, len);
		free(bytes);
		return rv == 0 ? 0 : EXIT_TROUBLE;
	}
	if (draft >= 0) {
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
	if (table != NULL && cli_table(cli, table) == -1)
		return EXIT_TROUBLE;
	if (as_of != NULL) {
		char err[512];

		if (cli_now(now_s, &now) == -1 || cli_load_zone(cli) == -1)
			return EXIT_TROUBLE;
		if (when_parse(as_of, &cli->zone, now, &cli->as_of, err,
		    sizeof(err)) == -1) {
			fprintf(stderr, "sochi report: --as-of: %s\n", err);
			return EXIT_TROUBLE;
		}
	}
	if (cli_open_timeline(cli, incident, now_s, &now, &ci, &tl) == -1)
		return EXIT_TROUBLE;
	r.tl = &tl;
	r.inc = &ci.inc;
	r.profile = &cli->cf.report;
	r.related = NULL;
	r.zone = &cli->zone;
	r.now = now;
	/* The 詳報 drafts 関連する事故の発生傾向 from past incidents. */
	memset(&sr, 0, sizeof(sr));
	if (!sokuho) {
		if (cli_related(cli, ci.code, now, 0, &sr) == -1) {
			timeline_free(&tl);
			store_incident_free(&ci);
			return EXIT_TROUBLE;
		}
		sr.set.equipment = ci.inc.equipment;
		sr.set.service = ci.inc.service;
		r.related = &sr.set;
	}
	if (docx) {
		unsigned char *bytes;
		size_t len;
		char err[1024];

		if ((rv = docx_render(&r, &bytes, &len, err, sizeof(err))) == -1)
			fprintf(stderr, "sochi report: %s\n", err);
		else {
			rv = cli_binary_out("report", out, (char *)bytes, len);
			free(bytes);
		}
	} else if ((rv = render(&r, &b)) == 0 && pdf) {
		char *bytes;
		size_t len;

		if ((rv = cli_print_pdf(cli, b.data, b.len, &bytes, &len)) == 0) {
			rv = cli_binary_out("report", out, bytes, len);
			free(bytes);
		}
	} else if (rv == 0 && out != NULL)
		rv = cli_write_out(out, b.data, b.len);
	else if (rv == 0)
		fwrite(b.data, 1, b.len, stdout);
	sbuf_free(&b);
	store_history_free(&sr);
	timeline_free(&tl);
	store_incident_free(&ci);
	return rv == 0 ? 0 : EXIT_TROUBLE;
}
