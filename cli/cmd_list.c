/* SPDX-License-Identifier: MIT */
/*
 * sochi list [--all] [--json]: open incidents and those of the last 30
 * days, with 発生, the longest impact, the most users affected, the
 * classification and the due date of the report that follows from it.
 * One query (store/list.h) gives every incident's figures; --json prints
 * what GET /v1/incidents answers (lib/listing.c).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "list.h"
#include "pgsync.h"
#include "report.h"
#include "rfc3339.h"
#include "sochi.h"
#include "wareki.h"

static int	cmd_list_exec(struct cli *, int, char **);

const struct cmd_entry cmd_list_entry = {
	"list", "[--all] [--json]",
	"open and recent incidents with their figures", cmd_list_exec
};

static void
list_usage(FILE *fp)
{
	fprintf(fp, "usage: sochi list [--all] [--json] [--now TIME]\n"
	    "Lists the open incidents and those opened or closed in the last 30\n"
	    "days: code, state, 発生 (in the carrier's zone, with its offset),\n"
	    "longest impact, most users affected, classification, the report's\n"
	    "due date, title.\n"
	    "      --all        every incident\n"
	    "      --json       as JSON, each impact's 継続時間 and the days left\n"
	    "                   (what GET /v1/incidents answers)\n"
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
		{ "json", no_argument, NULL, 'j' },
		{ "now", required_argument, NULL, 'N' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	static const char *const heads[NCOL] = { "CODE", "STATE", "OCCURRED",
	    "LONGEST", "USERS", "CLASS", "DUE", "TITLE" };
	const char *now_s = NULL;
	char err[512], **cells = NULL;
	size_t width[NCOL], i, nrows = 0;
	int ch, all = 0, json = 0, c;
	struct tl_config tcf;
	struct tl_options opt = { 0, NULL };
	struct store_list sl;
	int64_t now;
	PGresult *res;

	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'a': all = 1; break;
		case 'j': json = 1; break;
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
	if (!cli->table_chosen && cli_table(cli, NULL) == -1)
		return EXIT_TROUBLE;
	opt.table = cli->table;
	tcf.zone = &cli->zone;
	tcf.phases = &cli->cf.phases;
	tcf.alert_actor = cli->cf.report.alert_actor;
	if ((res = pgsync_exec(cli->conn, STORE_LIST_SQL, 1,
	    (const char *const[]){ all ? "true" : "false" }, err,
	    sizeof(err))) == NULL) {
		fprintf(stderr, "sochi: cannot list incidents: %s\n", err);
		return EXIT_TROUBLE;
	}
	if (store_list_rows(&sl, res, &tcf, &opt, now) == -1) {
		fprintf(stderr, "sochi: out of memory\n");
		store_list_free(&sl);
		return EXIT_TROUBLE;
	}
	if (json) {
		struct listing l = { sl.items, sl.n, &cli->zone, now, all };
		struct sbuf b = SBUF_INIT;
		int rv = listing_json(&l, &b);

		if (rv == 0)
			fwrite(b.data, 1, b.len, stdout);
		else
			fprintf(stderr, "sochi: out of memory\n");
		sbuf_free(&b);
		store_list_free(&sl);
		return rv == 0 ? 0 : EXIT_TROUBLE;
	}
	cells = calloc((sl.n + 1) * NCOL, sizeof(char *));
	for (c = 0; c < NCOL; c++)
		cells[c] = strdup(heads[c]);
	for (i = 0; i < sl.n; i++) {
		const struct listing_item *it = &sl.items[i];
		const struct timeline *tlp = it->tl;
		struct sbuf b = SBUF_INIT;
		char **row = &cells[(nrows + 1) * NCOL];
		struct reg_date due;

		sbuf_adds(&b, it->inc->code);
		cell(row, 0, &b);
		sbuf_adds(&b, it->open ? "open" : "closed");
		cell(row, 1, &b);
		if (tlp->occurred_id != 0)
			cli_local_time(cli, tlp->occurred, 0, &b);
		else
			sbuf_adds(&b, "-");
		cell(row, 2, &b);
		if (tlp->longest_id != 0) {
			duration_format(tlp->longest, &b);
			if (!tlp->all_recovered)
				sbuf_adds(&b, "+");
		} else
			sbuf_adds(&b, "-");
		cell(row, 3, &b);
		if (tlp->users.max >= 0) {
			count_format(tlp->users.max, &b);
			sbuf_adds(&b, "人");
		} else
			sbuf_adds(&b, tlp->nshown > 0 ? "unknown" : "-");
		cell(row, 4, &b);
		if (tlp->assessed) {
			sbuf_adds(&b, reg_class_name(tlp->reg.cls));
			if (tlp->reg.cls == REG_SERIOUS && tlp->reg.row != NULL)
				sbuf_printf(&b, " %s%c", tlp->reg.row->kanji,
				    tlp->reg.pair ? tlp->reg.pair : ' ');
		} else
			sbuf_adds(&b, "undetermined");
		cell(row, 5, &b);
		if (tlp->assessed && (tlp->reg.cls == REG_SERIOUS ||
		    tlp->reg.cls == REG_PERIODIC) && listing_due(tlp, &due) == 0)
			sbuf_printf(&b, "%04d-%02d-%02d (%lldd)", due.year,
			    due.month, due.day, (long long)listing_days_left(
			    &cli->zone, now, due));
		else if (tlp->assessed && tlp->reg.cls == REG_UNDETERMINED)
			report_due_line(tlp, &b);
		else
			sbuf_adds(&b, "-");
		cell(row, 6, &b);
		sbuf_adds(&b, it->inc->title ? it->inc->title : "");
		cell(row, 7, &b);
		nrows++;
	}
	store_list_free(&sl);
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
