/* SPDX-License-Identifier: MIT */
/*
 * One incident and its events as stored in PostgreSQL, turned into the
 * inputs of the timeline model (lib/timeline.h).  The SQL that reads an
 * incident lives here once: the CLI runs it with pgsync, the drafter sends
 * it on its own non-blocking connection, and both hand the results to the
 * same functions.
 */
#ifndef SOCHI_STORE_INCIDENT_H
#define SOCHI_STORE_INCIDENT_H

#include <stddef.h>
#include <stdint.h>

#include <libpq-fe.h>

#include "timeline.h"

/* The incident's row, by code ($1); the columns store_incident_row reads. */
#define STORE_INCIDENT_SQL \
	"select i.id, i.code, i.title, i.service, i.category, i.location, " \
	"i.equipment, (extract(epoch from i.opened_at) * 1000000)::bigint, " \
	"i.state, i.filed_on, coalesce((select string_agg(distinct x.trigger, " \
	"',') from draft x where x.incident_id = i.id), ''), exists (select 1 " \
	"from event e where e.incident_id = i.id and e.kind = 'impact') " \
	"from incident i where i.code = $1"

/*
 * Its events, by incident id ($1), in the order they happened, with when
 * each was recorded (which of two corrections of one event stands), then
 * who sent and who recorded it (for audits; columns are only ever added
 * at the end, so that a reader of the first ones is unaffected).
 */
#define STORE_EVENTS_SQL \
	"select id, kind, (extract(epoch from occurred_at) * 1000000)::bigint, " \
	"actor, phase, text, coalesce(supersedes, 0), data::text, " \
	"(extract(epoch from received_at) * 1000000)::bigint, source, " \
	"recorded_by from event where incident_id = $1 order by occurred_at, id"

struct store_incident {
	int64_t		 id;		/* incident.id */
	char		 code[80];	/* incident.code */
	int		 open;		/* state = open */
	int		 filed;		/* filed_on is set */
	int		 has_impacts;	/* an impact event exists */
	const char	*drafts;	/* triggers of its drafts, comma-separated */
	struct tl_incident inc;		/* strings borrow res_inc */
	struct tl_event	*evs;		/* strings borrow res_ev, data owned */
	size_t		 n;		/* events */
	int64_t		 max_event;	/* the newest event's id */
	PGresult	*res_inc;	/* the incident's row */
	PGresult	*res_ev;	/* its events */
};

/*
 * Takes a result of STORE_INCIDENT_SQL (owned from then on, even on
 * failure); -1 if it holds no row.
 */
int	store_incident_row(struct store_incident *, PGresult *);
/* Takes a result of STORE_EVENTS_SQL (owned from then on); -1 without memory. */
int	store_incident_events(struct store_incident *, PGresult *);
/*
 * Reads both, blocking with pgsync's deadline.  Returns 0, or -1 with err
 * (which is empty when there is no incident of that code).
 */
int	store_incident_read(PGconn *, const char *, struct store_incident *,
	    char *, size_t);
/* The incident's row alone (n is 0, no events): as store_incident_read. */
int	store_incident_read_row(PGconn *, const char *,
	    struct store_incident *, char *, size_t);
void	store_incident_free(struct store_incident *);

/*
 * The events that make an incident's figures (impacts, user counts,
 * retractions), as STORE_FIGURE_EVENTS_SQL gives them in one column: a
 * JSON array of [id, kind, occurred µs, supersedes or 0, data, recorded
 * µs].  Parsed into *arr (json_decref it) and *evs (free it; their data
 * borrow arr).  -1 when it is not such an array, or without memory.
 */
#define STORE_FIGURE_EVENTS_SQL(inc) \
	"(select coalesce(json_agg(json_build_array(e.id, e.kind, " \
	"(extract(epoch from e.occurred_at) * 1000000)::bigint, " \
	"coalesce(e.supersedes, 0), e.data, (extract(epoch from " \
	"e.received_at) * 1000000)::bigint) order by e.occurred_at, e.id), " \
	"'[]') from event e where e.incident_id = " inc " and e.kind in " \
	"('impact', 'users', 'retract'))::text"

int	store_figure_events(const char *, json_t **, struct tl_event **,
	    size_t *);

#endif
