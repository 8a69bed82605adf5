/*
 * An incident's events as read from the event table, for the timeline:
 * shared by sochid's detector and the sochi CLI.
 */
#ifndef SOCHI_PGROWS_H
#define SOCHI_PGROWS_H

#include <stdint.h>

#include <libpq-fe.h>

#include "timeline.h"

/* The columns pgrows_events reads, in order, for an incident $1. */
#define PGROWS_EVENTS_SQL \
	"select id, kind, (extract(epoch from occurred_at) * 1000000)::bigint, " \
	"actor, phase, text, coalesce(supersedes, 0), data::text from event " \
	"where incident_id = $1"

/*
 * Fills evs, which has room for every row, from a result of
 * PGROWS_EVENTS_SQL; strings borrow the result, data is owned.  Returns
 * how many; *max_id is the newest event's id.
 */
size_t	pgrows_events(PGresult *, struct tl_event *, int64_t *);
void	pgrows_events_free(struct tl_event *, size_t);

#endif
