/* SPDX-License-Identifier: MIT */
/*
 * sochi drafts [-i CODE]: the incident's draft versions, their trigger,
 * when, formats, and whether events came after them.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drafts.h"
#include "pgsync.h"
#include "write.h"

static int	cmd_drafts_exec(struct cli *, int, char **);

const struct cmd_entry cmd_drafts_entry = { "drafts", "[-i CODE]",
    "the incident's draft versions, trigger, stale or not", cmd_drafts_exec };

static void
drafts_usage(FILE *fp)
{
	fprintf(fp, "usage: sochi drafts [-i CODE]\n"
	    "Lists the incident's drafts: version, trigger (sokuho: the 速報 when\n"
	    "it turned serious; recovery: the 詳報 when the last impact recovered;\n"
	    "manual: sochi draft), when (in the carrier's zone, with its offset),\n"
	    "formats, and \"stale\" when events came after it.  sochi report\n"
	    "--draft N prints one (0 is the 速報).\n");
}

/* The incident's id and code from -i or the usual defaults. */
static int
incident_id(struct cli *cli, const char *opt, char *code, size_t len,
    char *id, size_t idlen)
{
	const char *p[1] = { code };
	char err[512];
	PGresult *res;

	if (cli_pick_incident(cli, opt, code, len) == -1 || cli_db(cli) == -1)
		return -1;
	res = pgsync_exec(cli->conn, "select id from incident where code = $1",
	    1, p, err, sizeof(err));
	if (res == NULL || PQntuples(res) == 0) {
		fprintf(stderr, "sochi: no incident \"%s\"\n", code);
		PQclear(res);
		return -1;
	}
	snprintf(id, idlen, "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	return 0;
}

static int
cmd_drafts_exec(struct cli *cli, int argc, char **argv)
{
	struct wargs w;
	char code[80], id[32], err[512];
	const char *p[1] = { id };
	struct store_drafts sd;
	PGresult *res;
	size_t i;
	int rv;

	if ((rv = wargs_parse("drafts", argc, argv, WO(W_INCIDENT),
	    drafts_usage, &w)) != 0)
		return rv > 0 ? 0 : EXIT_TROUBLE;
	if (incident_id(cli, w.v[W_INCIDENT], code, sizeof(code), id,
	    sizeof(id)) == -1)
		return EXIT_TROUBLE;
	if (cli_load_zone(cli) == -1)
		return EXIT_TROUBLE;
	p[0] = code;
	if ((res = pgsync_exec(cli->conn, STORE_DRAFTS_SQL, 1, p, err,
	    sizeof(err))) == NULL) {
		fprintf(stderr, "sochi drafts: %s\n", err);
		return EXIT_TROUBLE;
	}
	if (store_drafts_rows(&sd, res) == -1) {
		fprintf(stderr, "sochi drafts: out of memory\n");
		store_drafts_free(&sd);
		return EXIT_TROUBLE;
	}
	for (i = 0; i < sd.n; i++) {
		struct sbuf t = SBUF_INIT;

		/* In the carrier's zone, with its offset: never bare UTC. */
		cli_local_time(cli, sd.v[i].made, 1, &t);
		printf("%d\t%s\t%s\t%s\t%s\n", sd.v[i].version,
		    sd.v[i].trigger, t.data, sd.v[i].formats, sd.v[i].stale ?
		    "stale" : "current");
		sbuf_free(&t);
	}
	if (sd.n == 0)
		fprintf(stderr, "sochi: %s has no drafts yet\n", code);
	store_drafts_free(&sd);
	return 0;
}
