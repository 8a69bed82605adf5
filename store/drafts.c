/* SPDX-License-Identifier: MIT */
/*
 * Stored drafts.  See drafts.h.
 */
#include <stdlib.h>
#include <string.h>

#include "drafts.h"

int
store_drafts_rows(struct store_drafts *sd, PGresult *res)
{
	int i, n = PQntuples(res);

	memset(sd, 0, sizeof(*sd));
	sd->res = res;
	if ((sd->v = calloc((size_t)n + 1, sizeof(*sd->v))) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		struct web_draft *d = &sd->v[sd->n++];

		d->version = atoi(PQgetvalue(res, i, 0));
		d->trigger = PQgetvalue(res, i, 1);
		d->made = strtoll(PQgetvalue(res, i, 2), NULL, 10);
		d->formats = PQgetvalue(res, i, 3);
		d->stale = strcmp(PQgetvalue(res, i, 4), "t") == 0;
	}
	return 0;
}

void
store_drafts_free(struct store_drafts *sd)
{
	if (sd == NULL)
		return;
	free(sd->v);
	PQclear(sd->res);
	memset(sd, 0, sizeof(*sd));
}
