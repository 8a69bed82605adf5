/* SPDX-License-Identifier: MIT */
/*
 * The incidents to list.  See list.h.
 */
#include <stdlib.h>
#include <string.h>

#include "list.h"

static const char *
val(PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col) ? NULL : PQgetvalue(res, row, col);
}

int
store_list_rows(struct store_list *sl, PGresult *res,
    const struct tl_config *cf, const struct tl_options *opt, int64_t now)
{
	int i, n = PQntuples(res);

	memset(sl, 0, sizeof(*sl));
	sl->res = res;
	if ((sl->v = calloc((size_t)n + 1, sizeof(*sl->v))) == NULL ||
	    (sl->items = calloc((size_t)n + 1, sizeof(*sl->items))) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		struct store_listed *x = &sl->v[sl->n];
		struct listing_item *it = &sl->items[sl->n];

		x->inc.code = val(res, i, 1);
		x->inc.title = val(res, i, 2);
		x->inc.service = val(res, i, 3);
		x->inc.category = val(res, i, 4) ? atoi(val(res, i, 4)) : 0;
		x->inc.location = val(res, i, 5);
		x->inc.equipment = val(res, i, 6);
		x->inc.opened_at = strtoll(PQgetvalue(res, i, 7), NULL, 10);
		x->inc.closed = strcmp(PQgetvalue(res, i, 8), "open") != 0;
		if (store_figure_events(PQgetvalue(res, i, 10), &x->arr,
		    &x->evs, &x->nevs) == -1)
			return -1;
		if (timeline_build_opts(&x->inc, x->evs, x->nevs, cf, opt, now,
		    &x->tl) == -1)
			return -1;
		x->built = 1;
		it->inc = &x->inc;
		it->open = !x->inc.closed;
		it->filed_on = val(res, i, 9);
		it->tl = &x->tl;
		sl->n++;
	}
	return 0;
}

void
store_list_free(struct store_list *sl)
{
	size_t i;

	if (sl == NULL)
		return;
	for (i = 0; sl->v != NULL && i <= sl->n; i++) {
		if (sl->v[i].built)
			timeline_free(&sl->v[i].tl);
		free(sl->v[i].evs);
		json_decref(sl->v[i].arr);
	}
	free(sl->v);
	free(sl->items);
	PQclear(sl->res);
	memset(sl, 0, sizeof(*sl));
}
