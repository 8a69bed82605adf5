/* SPDX-License-Identifier: MIT */
/*
 * Related past incidents from the database.  See history.h.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "history.h"
#include "pgsync.h"

static const char *
val(PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col) ? NULL : PQgetvalue(res, row, col);
}

/* One incident's figures: its events, as the query gives them, rebuilt. */
static int
summarize(struct related_incident *ri, const struct tl_incident *inc,
    const char *events, const struct tl_config *cf, int64_t now)
{
	struct tl_event *evs;
	struct timeline tl;
	json_t *arr;
	size_t n;
	int rv = -1;

	if (store_figure_events(events, &arr, &evs, &n) == -1)
		return -1;
	if (timeline_build(inc, evs, n, cf, now, &tl) == 0) {
		related_from_timeline(ri, &tl);
		timeline_free(&tl);
		rv = 0;
	}
	free(evs);
	json_decref(arr);
	return rv;
}

int
store_history_rows(struct store_history *sr, PGresult *res, int years,
    const struct tl_config *cf, int64_t now)
{
	int i, n = PQntuples(res);

	memset(sr, 0, sizeof(*sr));
	sr->res = res;
	sr->set.years = years;
	if ((sr->set.v = calloc((size_t)n + 1, sizeof(*sr->set.v))) == NULL ||
	    (sr->incs = calloc((size_t)n + 1, sizeof(*sr->incs))) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		struct related_incident *ri = &sr->set.v[i];
		struct tl_incident *inc = &sr->incs[i];

		inc->code = val(res, i, 1);
		inc->title = val(res, i, 2);
		inc->service = val(res, i, 3);
		inc->category = val(res, i, 4) ? atoi(val(res, i, 4)) : 0;
		inc->location = val(res, i, 5);
		inc->equipment = val(res, i, 6);
		inc->opened_at = strtoll(PQgetvalue(res, i, 7), NULL, 10);
		inc->closed = strcmp(PQgetvalue(res, i, 8), "closed") == 0;
		ri->code = inc->code;
		ri->title = inc->title;
		ri->equipment = inc->equipment;
		ri->service = inc->service;
		ri->category = inc->category;
		ri->opened_at = inc->opened_at;
		ri->stages = val(res, i, 12);
		ri->shares = (strcmp(PQgetvalue(res, i, 9), "t") == 0 ?
		    RELATED_EQUIPMENT : 0) | (strcmp(PQgetvalue(res, i, 10),
		    "t") == 0 ? RELATED_SERVICE : 0) | (strcmp(PQgetvalue(res, i,
		    11), "t") == 0 ? RELATED_CATEGORY : 0) | (ri->stages != NULL ?
		    RELATED_STAGE : 0);
		if (summarize(ri, inc, PQgetvalue(res, i, 13), cf, now) == -1)
			return -1;
		sr->set.n++;
	}
	related_sort(&sr->set);
	return 0;
}

int
store_history_read(PGconn *conn, const char *code, int years,
    const struct tl_config *cf, int64_t now, struct store_history *sr,
    char *err, size_t errlen)
{
	char yb[16];
	const char *params[2] = { code, yb };
	PGresult *res;

	memset(sr, 0, sizeof(*sr));
	snprintf(yb, sizeof(yb), "%d", years);
	if ((res = pgsync_exec(conn, STORE_HISTORY_SQL, 2, params, err,
	    errlen)) == NULL)
		return -1;
	if (store_history_rows(sr, res, years, cf, now) == -1) {
		snprintf(err, errlen, "out of memory");
		store_history_free(sr);
		return -1;
	}
	return 0;
}

void
store_history_free(struct store_history *sr)
{
	if (sr == NULL)
		return;
	free(sr->set.v);
	free(sr->incs);
	PQclear(sr->res);
	memset(sr, 0, sizeof(*sr));
}
