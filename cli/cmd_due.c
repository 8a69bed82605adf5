/* SPDX-License-Identifier: MIT */
/*
 * sochi due: serious incidents whose 詳報 is not filed, soonest first.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pgsync.h"
#include "rfc3339.h"
#include "write.h"

static int	cmd_due_exec(struct cli *, int, char **);

const struct cmd_entry cmd_due_entry = { "due", "",
    "serious incidents whose 詳報 is not filed, soonest first", cmd_due_exec };

static void
due_usage(FILE *fp)
{
	fprintf(fp, "usage: sochi due\n"
	    "Lists every serious incident whose 詳報 is not marked filed, with its\n"
	    "due date (発生日 + 30 days, to be confirmed by a person) and the days\n"
	    "left, soonest first.\n");
}

static int
cmd_due_exec(struct cli *cli, int argc, char **argv)
{
	char err[512], **codes = NULL;
	PGresult *res;
	int64_t now, today, dd;
	struct local_time lt;
	int i, n, shown = 0;
	struct row { char line[512]; int64_t due; } *rows;

	if (argc > 1) {
		due_usage(strcmp(argv[1], "-h") == 0 || strcmp(argv[1],
		    "--help") == 0 ? stdout : stderr);
		return argv[1][0] == '-' && argv[1][1] == 'h' ? 0 : EXIT_TROUBLE;
	}
	if (cli_now(NULL, &now) == -1 || cli_db(cli) == -1 ||
	    cli_load_zone(cli) == -1)
		return EXIT_TROUBLE;
	zone_local(&cli->zone, now, &lt);
	today = rfc3339_days_from_civil(lt.year, (unsigned)lt.month,
	    (unsigned)lt.day);
	res = pgsync_exec(cli->conn, "select code from incident where filed_on "
	    "is null order by id", 0, NULL, err, sizeof(err));
	if (res == NULL) {
		fprintf(stderr, "sochi due: %s\n", err);
		return EXIT_TROUBLE;
	}
	n = PQntuples(res);
	rows = calloc((size_t)n + 1, sizeof(*rows));
	(void)codes;
	for (i = 0; i < n; i++) {
		struct store_incident ci;
		struct timeline tl;

		if (cli_load_incident(cli, PQgetvalue(res, i, 0), &ci) == -1)
			continue;
		if (cli_build(cli, &ci, now, &tl) == 0) {
			if (tl.classified && tl.reg.cls == REG_SERIOUS) {
				dd = rfc3339_days_from_civil(tl.reg.due.year,
				    (unsigned)tl.reg.due.month,
				    (unsigned)tl.reg.due.day);
				snprintf(rows[shown].line, sizeof(rows[shown].line),
				    "%s\t%04d-%02d-%02d\t%lld days %s\t%s", ci.code,
				    tl.reg.due.year, tl.reg.due.month,
				    tl.reg.due.day, (long long)(dd >= today ?
				    dd - today : today - dd), dd >= today ? "left" :
				    "overdue", ci.inc.title);
				rows[shown++].due = dd;
			}
			timeline_free(&tl);
		}
		store_incident_free(&ci);
	}
	PQclear(res);
	/* Soonest first. */
	for (i = 1; i < shown; i++)
		for (n = i; n > 0 && rows[n].due < rows[n - 1].due; n--) {
			struct row t = rows[n];

			rows[n] = rows[n - 1];
			rows[n - 1] = t;
		}
	for (i = 0; i < shown; i++)
		printf("%s\n", rows[i].line);
	if (shown == 0)
		fprintf(stderr, "sochi: no serious incident awaits its 詳報\n");
	free(rows);
	return 0;
}
