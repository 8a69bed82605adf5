/* SPDX-License-Identifier: MIT */
/*
 * sochi related [-i CODE] [--years N] [--now TIME]: the past incidents that
 * share equipment, service, category or a cause's management stage with
 * this one, with their dates, durations, users and classification; what
 * the report's 関連する事故の発生傾向 is drafted from.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "related.h"
#include "sochi.h"
#include "wareki.h"

static int	cmd_related_exec(struct cli *, int, char **);

const struct cmd_entry cmd_related_entry = {
	"related", "[-i CODE] [--years N] [--now T]",
	"past incidents sharing equipment, service, category or cause stage",
	cmd_related_exec
};

static void
related_usage(FILE *fp)
{
	fprintf(fp, "usage: sochi related [-i CODE] [--years N] [--now TIME]\n"
	    "Lists the incidents declared in the N years before this one (default:\n"
	    "[report] related_years, 5) that share its equipment, its service, its\n"
	    "category or the management stage of a cause, newest first, one a line:\n"
	    "  CODE  OCCURRED  DURATION  USERS  CLASS  SHARES  TITLE\n"
	    "OCCURRED is 発生 in the carrier's zone, DURATION its longest impact,\n"
	    "CLASS serious, periodic, none or undetermined; \"-\" where no event\n"
	    "tells.  The report's 関連する事故の発生傾向 is drafted from them.\n"
	    "  -i, --incident CODE  the incident (default: $SOCHI_INCIDENT, else the\n"
	    "                       only open incident)\n"
	    "      --years N        how far back to look, 1 to 100\n"
	    "      --now TIME       the end of impacts still running (RFC 3339)\n");
}

int
cli_related(struct cli *cli, const char *code, int64_t now, int years,
    struct store_history *sr)
{
	struct tl_config tcf = { &cli->zone, &cli->cf.phases,
	    cli->cf.report.alert_actor };
	char err[1024];

	if (cli_db(cli) == -1 || cli_load_zone(cli) == -1)
		return -1;
	if (years <= 0)
		years = (int)cli->cf.report.related_years;
	if (store_history_read(cli->conn, code, years, &tcf, now, sr, err,
	    sizeof(err)) == -1) {
		fprintf(stderr, "sochi: cannot look for related incidents: %s\n",
		    err);
		return -1;
	}
	return 0;
}

static int
cmd_related_exec(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "incident", required_argument, NULL, 'i' },
		{ "years", required_argument, NULL, 'Y' },
		{ "now", required_argument, NULL, 'N' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	static const char *const share_names[] = { "equipment", "stage",
	    "service", "category" };
	const char *incident = NULL, *now_s = NULL;
	struct store_incident ci;
	struct store_history sr;
	struct sbuf b = SBUF_INIT;
	char *end;
	int64_t now;
	long years = 0;
	size_t i, k;
	int ch, first;

	while ((ch = getopt_long(argc, argv, "i:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'i': incident = optarg; break;
		case 'N': now_s = optarg; break;
		case 'Y':
			years = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || years < 1 ||
			    years > 100) {
				fprintf(stderr, "sochi related: --years: expected 1 "
				    "to 100, got \"%s\"\n", optarg);
				return EXIT_TROUBLE;
			}
			break;
		case 'h': related_usage(stdout); return 0;
		default: related_usage(stderr); return EXIT_TROUBLE;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "sochi related: unexpected argument: %s\n",
		    argv[optind]);
		related_usage(stderr);
		return EXIT_TROUBLE;
	}
	/*
	 * The incident must exist: a typo is not "nothing related".  Its row
	 * is enough; its events (all of a big outage's) are not read.
	 */
	{
		char code[80];

		if (cli_now(now_s, &now) == -1 ||
		    cli_pick_incident(cli, incident, code, sizeof(code)) == -1 ||
		    cli_load_incident_row(cli, code, &ci) == -1)
			return EXIT_TROUBLE;
		if (cli_related(cli, code, now, (int)years, &sr) == -1) {
			store_history_free(&sr);
			store_incident_free(&ci);
			return EXIT_TROUBLE;
		}
	}
	for (i = 0; i < sr.set.n; i++) {
		const struct related_incident *ri = &sr.set.v[i];

		sbuf_truncate(&b, 0);
		sbuf_printf(&b, "%s\t", ri->code);
		if (ri->occurred != 0)
			cli_local_time(cli, ri->occurred, 0, &b);
		else
			sbuf_adds(&b, "-");
		sbuf_addc(&b, '\t');
		if (ri->longest >= 0) {
			duration_format(ri->longest, &b);
			if (ri->provisional)
				sbuf_adds(&b, "(未復旧)");
		} else
			sbuf_adds(&b, "-");
		sbuf_addc(&b, '\t');
		if (ri->users >= 0) {
			count_format(ri->users, &b);
			sbuf_adds(&b, "人");
		} else
			sbuf_adds(&b, "-");
		sbuf_printf(&b, "\t%s\t", ri->assessed ? reg_class_name(ri->cls) :
		    "-");
		for (k = 0, first = 1; k < 4; k++)
			if (ri->shares & (1u << k)) {
				sbuf_printf(&b, "%s%s", first ? "" : ",",
				    share_names[k]);
				first = 0;
			}
		sbuf_printf(&b, "\t%s\n", ri->title ? ri->title : "");
		fputs(b.data, stdout);
	}
	if (sr.set.n == 0)
		fprintf(stderr, "sochi related: no incident declared in the %d "
		    "years before %s shares its equipment, service, category or "
		    "a cause's stage\n", sr.set.years, ci.code);
	sbuf_free(&b);
	store_history_free(&sr);
	store_incident_free(&ci);
	return 0;
}
