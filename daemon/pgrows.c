/*
 * Event rows to timeline events.
 */
#include <stdint.h>
#include <stdlib.h>

#include "pgrows.h"

static const char *
val(PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col) ? NULL : PQgetvalue(res, row, col);
}

size_t
pgrows_events(PGresult *res, struct tl_event *evs, int64_t *max_id)
{
	json_error_t jerr;
	size_t m = 0;
	int i, n = PQntuples(res);

	*max_id = 0;
	for (i = 0; i < n; i++) {
		struct tl_event *ev = &evs[m];

		ev->id = strtoll(PQgetvalue(res, i, 0), NULL, 10);
		if (ev->id > *max_id)
			*max_id = ev->id;
		if (event_kind_from_name(PQgetvalue(res, i, 1), &ev->kind) == -1)
			continue;
		ev->at = strtoll(PQgetvalue(res, i, 2), NULL, 10);
		ev->actor = val(res, i, 3);
		ev->phase = val(res, i, 4);
		ev->text = val(res, i, 5);
		ev->supersedes = strtoll(PQgetvalue(res, i, 6), NULL, 10);
		ev->data = json_loads(PQgetvalue(res, i, 7), 0, &jerr);
		if (ev->data == NULL)
			ev->data = json_object();
		m++;
	}
	return m;
}

void
pgrows_events_free(struct tl_event *evs, size_t n)
{
	size_t i;

	for (i = 0; evs != NULL && i < n; i++)
		json_decref((json_t *)(uintptr_t)evs[i].data);
}
