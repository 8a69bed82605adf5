/* SPDX-License-Identifier: MIT */
/*
 * sochi draft [-i CODE]: stores a new version of the 詳報 draft by hand.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "docx.h"
#include "pgsync.h"
#include "report.h"
#include "write.h"

static int	cmd_draft_exec(struct cli *, int, char **);

const struct cmd_entry cmd_draft_entry = { "draft", "[-i CODE]",
    "store a new draft version now", cmd_draft_exec };

static void
draft_usage(FILE *fp)
{
	fprintf(fp, "usage: sochi draft [-i CODE] [--json]\n"
	    "Stores a new version of the 詳報 draft, in the formats of [drafts]\n"
	    "formats (docx too), made from the events as they are now; prints its\n"
	    "version.\n");
}

static int
cmd_draft_exec(struct cli *cli, int argc, char **argv)
{
	struct wargs w;
	struct store_incident ci;
	struct timeline tl;
	struct report r;
	struct sbuf fa = SBUF_INIT, ba = SBUF_INIT, da = SBUF_INIT;
	const char *fmts[REPORT_FORMATS_MAX], *p[6];
	char *bodies[REPORT_FORMATS_MAX], idb[32], lastb[32], err[1024];
	unsigned char *data[REPORT_FORMATS_MAX];
	size_t lens[REPORT_FORMATS_MAX];
	int64_t now;
	PGresult *res;
	int rv, n = 0;

	if ((rv = wargs_parse("draft", argc, argv, WO(W_INCIDENT) | WO(W_JSON),
	    draft_usage, &w)) != 0)
		return rv > 0 ? 0 : EXIT_TROUBLE;
	if (cli_open_timeline(cli, w.v[W_INCIDENT], NULL, &now, &ci, &tl) == -1)
		return EXIT_TROUBLE;
	r.tl = &tl;
	r.inc = &ci.inc;
	r.profile = &cli->cf.report;
	r.related = NULL;
	r.zone = &cli->zone;
	r.now = now;
	if ((n = docx_draft_formats(&r, cli->cf.drafts.formats, fmts, bodies,
	    data, lens, err, sizeof(err))) == -1) {
		fprintf(stderr, "sochi draft: %s\n", err);
		timeline_free(&tl);
		store_incident_free(&ci);
		return EXIT_TROUBLE;
	}
	sbuf_pg_array(&fa, (char *const *)(uintptr_t)fmts, n);
	sbuf_pg_array(&ba, bodies, n);
	sbuf_pg_bytea_array(&da, data, lens, n);
	snprintf(idb, sizeof(idb), "%lld", (long long)ci.id);
	snprintf(lastb, sizeof(lastb), "%lld", (long long)ci.max_event);
	p[0] = idb;
	p[1] = "manual";
	p[2] = fa.data;
	p[3] = ba.data;
	p[4] = lastb;
	p[5] = da.data;
	res = pgsync_exec(cli->conn, "select sochi_draft_add($1, $2, "
	    "$3::text[], $4::text[], $5, $6::bytea[])", 6, p, err, sizeof(err));
	if (res == NULL)
		fprintf(stderr, "sochi draft: %s\n", err);
	else if (w.json)
		printf("{\"ok\":true,\"incident\":\"%s\",\"version\":%s}\n",
		    ci.code, PQgetvalue(res, 0, 0));
	else
		printf("%s: draft version %s\n", ci.code, PQgetvalue(res, 0, 0));
	rv = res == NULL ? EXIT_TROUBLE : 0;
	PQclear(res);
	docx_draft_free(bodies, data, n);
	sbuf_free(&fa);
	sbuf_free(&ba);
	sbuf_free(&da);
	timeline_free(&tl);
	store_incident_free(&ci);
	return rv;
}
