/* SPDX-License-Identifier: MIT */
/*
 * sochi list [--all]: open incidents and those of the last 30 days, with
 * 発生, the longest impact, the most users affected, the classification and
 * the due date of the report that follows from it.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pgsync.h"
#include "report.h"
#include "rfc3339.h"
#include "sochi.h"
#include "wareki.h"

static int	cmd_list_exec(struct cli *, int, char **);

const struct cmd_entry cmd_list_entry = {
	"list", "[--all]",
	"open and recent incidents with their figures", cmd_list_exec
};

static void
list_usage(FILE *fp)
{
	fprintf(fp, "usage: sochi list [--all] [--now TIME]\n"
	    "Lists the open incidents and those opened or closed in the last 30\n"
	    "days: code, state, 発生 (in the carrier's zone, with its offset),\n"
	    "longest impact, most users affected, classification, the report's\n"
	    "due date, title.\n"
	    "      --all        every incident\n"
	    "      --now TIME   the end of open impacts, RFC 3339 (default: now)\n");
}

#define NCOL	8

static void
cell(char **row, int col, struct sbuf *b)
{
	row[col] = sbuf_steal(b);
}

static int
cmd_list_exec(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "all", no_argument, NULL, 'a' },
		{ "now", required_argument, NULL, 'N' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	static const char *const heads[NCOL] = { "CODE", "STATE", "OCCURRED",
	    "LONGEST", "USERS", "CLASS", "DUE", "TITLE" };
	const char *now_s = NULL;
	char err[512], **cells = NULL;
	size_t width[NCOL], i, nrows = 0;
	int ch, all = 0, c, n;
	int64_t now;
	PGresult *res;

	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'a': all = 1; break;
		case 'N': now_s = optarg; break;
		case 'h': list_usage(stdout); return 0;
		default: list_usage(stderr); return EXIT_TROUBLE;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "sochi list: unexpected argument: %s\n",
		    argv[optind]);
		return EXIT_TROUBLE;
	}
	if (cli_now(now_s, &now) == -1 || cli_db(cli) == -1 ||
	    cli_load_zone(cli) == -1)
		return EXIT_TROUBLE;
	res = pgsync_exec(cli->conn, all ? "select code from incident order by "
	    "opened_at desc, id desc" : "select code from incident where state "
	    "= 'open' or coalesce(closed_at, opened_at) > now() - interval "
	    "'30 days' order by state desc, opened_at desc, id desc", 0, NULL,
	    err, sizeof(err));
	if (res == NULL) {
		fprintf(stderr, "sochi: cannot list incidents: %s\n", err);
		return EXIT_TROUBLE;
	}
	n = PQntuples(res);
	cells = calloc(((size_t)n + 1) * NCOL, sizeof(char *));
	for (c = 0; c < NCOL; c++)
		cells[c] = strdup(heads[c]);
	for (i = 0; i < (size_t)n; i++) {
		struct store_incident ci;
		struct timeline tl;
		struct sbuf b = SBUF_INIT;
		char **row = &cells[(nrows + 1) * NCOL];
		struct local_time lt;

		if (cli_load_incident(cli, PQgetvalue(res, (int)i, 0), &ci) == -1)
			continue;
		if (cli_build(cli, &ci, now, &tl) == -1) {
			store_incident_free(&ci);
			continue;
		}
		sbuf_adds(&b, ci.code);
		cell(row, 0, &b);
		sbuf_adds(&b, ci.open ? "open" : "closed");
		cell(row, 1, &b);
		if (tl.occurred_id != 0)
			cli_local_time(cli, tl.occurred, 0, &b);
		else
			sbuf_adds(&b, "-");
		cell(row, 2, &b);
		if (tl.longest_id != 0) {
			duration_format(tl.longest, &b);
			if (!tl.all_recovered)
				sbuf_adds(&b, "+");
		} else
			sbuf_adds(&b, "-");
		cell(row, 3, &b);
		if (tl.users.max >= 0) {
			count_format(tl.users.max, &b);
			sbuf_adds(&b, "人");
		} else
			sbuf_adds(&b, tl.nshown > 0 ? "unknown" : "-");
		cell(row, 4, &b);
		if (tl.assessed) {
			sbuf_adds(&b, reg_class_name(tl.reg.cls));
			if (tl.reg.cls == REG_SERIOUS && tl.reg.row != NULL)
				sbuf_printf(&b, " %s%c", tl.reg.row->kanji,
				    tl.reg.pair ? tl.reg.pair : ' ');
		} else
			sbuf_adds(&b, "undetermined");
		cell(row, 5, &b);
		if (tl.assessed && (tl.reg.cls == REG_SERIOUS ||
		    tl.reg.cls == REG_PERIODIC)) {
			int64_t days;

			zone_local(&cli->zone, now, &lt);
			days = rfc3339_days_from_civil(tl.reg.due.year,
			    (unsigned)tl.reg.due.month,
			    (unsigned)tl.reg.due.day) -
			    rfc3339_days_from_civil(lt.year,
			    (unsigned)lt.month, (unsigned)lt.day);
			sbuf_printf(&b, "%04d-%02d-%02d (%lldd)", tl.reg.due.year,
			    tl.reg.due.month, tl.reg.due.day, (long long)days);
		}
		else if (tl.assessed && tl.reg.cls == REG_UNDETERMINED)
			report_due_line(&tl, &b);
		else
			sbuf_adds(&b, "-");
		cell(row, 6, &b);
		sbuf_adds(&b, ci.inc.title ? ci.inc.title : "");
		cell(row, 7, &b);
		nrows++;
		timeline_free(&tl);
		store_incident_free(&ci);
	}
	PQclear(res);
	for (c = 0; c < NCOL; c++) {
		width[c] = 0;
		for (i = 0; i <= nrows; i++) {
			size_t w = text_width(cells[i * NCOL + c],
			    strlen(cells[i * NCOL + c]));

			if (w > width[c])
				width[c] = w;
		}
	}
	for (i = 0; i <= nrows; i++) {
		for (c = 0; c < NCOL; c++) {
			const char *s = cells[i * NCOL + c];
			size_t w = text_width(s, strlen(s));

			fputs(s, stdout);
			if (c < NCOL - 1)
				printf("%*s", (int)(width[c] - w + 2), "");
		}
		putchar('\n');
	}
	for (i = 0; i < (nrows + 1) * NCOL; i++)
		free(cells[i]);
	free(cells);
	if (nrows == 0)
		fprintf(stderr, "sochi: no incident%s\n", all ? "" :
		    " open or in the last 30 days (--all lists every one)");
	return 0;
}
