/* SPDX-License-Identifier: MIT */
/*
 * Incident rows to timeline inputs.  See incident.h.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "incident.h"
#include "pgsync.h"

static const char *
val(PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col) ? NULL : PQgetvalue(res, row, col);
}

int
store_incident_row(struct store_incident *si, PGresult *res)
{
	memset(si, 0, sizeof(*si));
	si->res_inc = res;
	if (res == NULL || PQntuples(res) == 0)
		return -1;
	si->id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	snprintf(si->code, sizeof(si->code), "%s", PQgetvalue(res, 0, 1));
	si->inc.code = val(res, 0, 1);
	si->inc.title = val(res, 0, 2);
	si->inc.service = val(res, 0, 3);
	si->inc.category = val(res, 0, 4) != NULL ? atoi(val(res, 0, 4)) : 0;
	si->inc.location = val(res, 0, 5);
	si->inc.equipment = val(res, 0, 6);
	si->inc.opened_at = strtoll(PQgetvalue(res, 0, 7), NULL, 10);
	si->open = strcmp(PQgetvalue(res, 0, 8), "open") == 0;
	si->inc.closed = !si->open;
	si->filed = !PQgetisnull(res, 0, 9);
	si->drafts = PQgetvalue(res, 0, 10);
	si->has_impacts = strcmp(PQgetvalue(res, 0, 11), "t") == 0;
	return 0;
}

int
store_incident_events(struct store_incident *si, PGresult *res)
{
	json_error_t jerr;
	json_t *empty = NULL;
	const char *data;
	int i, n = PQntuples(res);

	si->res_ev = res;
	if ((si->evs = calloc((size_t)n + 1, sizeof(*si->evs))) == NULL)
		return -1;
	si->n = 0;
	si->max_event = 0;
	for (i = 0; i < n; i++) {
		struct tl_event *ev = &si->evs[si->n];

		ev->id = strtoll(PQgetvalue(res, i, 0), NULL, 10);
		if (ev->id > si->max_event)
			si->max_event = ev->id;
		if (event_kind_from_name(PQgetvalue(res, i, 1), &ev->kind) == -1)
			continue;
		ev->at = strtoll(PQgetvalue(res, i, 2), NULL, 10);
		ev->actor = val(res, i, 3);
		ev->phase = val(res, i, 4);
		ev->text = val(res, i, 5);
		ev->supersedes = strtoll(PQgetvalue(res, i, 6), NULL, 10);
		ev->recorded = PQnfields(res) > 8 ? strtoll(PQgetvalue(res, i,
		    8), NULL, 10) : 0;
		if (PQnfields(res) > 10) {
			ev->source = val(res, i, 9);
			ev->recorded_by = val(res, i, 10);
		}
		/*
		 * Most events (actions) carry no fields of their own: one empty
		 * object serves them all (nobody changes an event's data), where
		 * parsing "{}" a hundred thousand times made as many objects.
		 */
		data = PQgetvalue(res, i, 7);
		if (strcmp(data, "{}") == 0 && (empty != NULL || (empty =
		    json_object()) != NULL))
			ev->data = json_incref(empty);
		else if ((ev->data = json_loads(data, 0, &jerr)) == NULL)
			ev->data = json_object();
		si->n++;
	}
	json_decref(empty);
	return 0;
}

int
store_incident_read_row(PGconn *conn, const char *code,
    struct store_incident *si, char *err, size_t errlen)
{
	const char *params[1] = { code };
	PGresult *res;

	*err = '\0';
	memset(si, 0, sizeof(*si));
	if ((res = pgsync_exec(conn, STORE_INCIDENT_SQL, 1, params, err,
	    errlen)) == NULL)
		return -1;
	if (store_incident_row(si, res) == -1) {
		store_incident_free(si);
		return -1;
	}
	return 0;
}

int
store_incident_read(PGconn *conn, const char *code, struct store_incident *si,
    char *err, size_t errlen)
{
	const char *params[1];
	char idbuf[32];
	PGresult *res;

	if (store_incident_read_row(conn, code, si, err, errlen) == -1)
		return -1;
	snprintf(idbuf, sizeof(idbuf), "%lld", (long long)si->id);
	params[0] = idbuf;
	if ((res = pgsync_exec(conn, STORE_EVENTS_SQL, 1, params, err,
	    errlen)) == NULL) {
		store_incident_free(si);
		return -1;
	}
	if (store_incident_events(si, res) == -1) {
		snprintf(err, errlen, "out of memory");
		store_incident_free(si);
		return -1;
	}
	return 0;
}

void
store_incident_free(struct store_incident *si)
{
	size_t i;

	for (i = 0; si->evs != NULL && i < si->n; i++)
		json_decref((json_t *)(uintptr_t)si->evs[i].data);
	free(si->evs);
	PQclear(si->res_inc);
	PQclear(si->res_ev);
	memset(si, 0, sizeof(*si));
}

int
store_figure_events(const char *text, json_t **arrp, struct tl_event **evsp,
    size_t *np)
{
	struct tl_event *evs;
	json_error_t jerr;
	json_t *arr, *e;
	size_t i, n = 0;

	*arrp = NULL;
	*evsp = NULL;
	*np = 0;
	if ((arr = json_loads(text, 0, &jerr)) == NULL || !json_is_array(arr) ||
	    (evs = calloc(json_array_size(arr) + 1, sizeof(*evs))) == NULL) {
		json_decref(arr);
		return -1;
	}
	json_array_foreach(arr, i, e) {
		struct tl_event *ev = &evs[n];
		const char *kind = json_string_value(json_array_get(e, 1));

		if (event_kind_from_name(kind != NULL ? kind : "", &ev->kind) ==
		    -1)
			continue;
		ev->id = json_integer_value(json_array_get(e, 0));
		ev->at = json_integer_value(json_array_get(e, 2));
		ev->supersedes = json_integer_value(json_array_get(e, 3));
		ev->data = json_array_get(e, 4);
		ev->recorded = json_integer_value(json_array_get(e, 5));
		if (!json_is_object(ev->data))
			continue;
		n++;
	}
	*arrp = arr;
	*evsp = evs;
	*np = n;
	return 0;
}
