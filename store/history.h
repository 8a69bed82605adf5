/* SPDX-License-Identifier: MIT */
/*
 * The past incidents related to one (lib/related.h): found in PostgreSQL
 * with one query, each rebuilt as a timeline from the events that make
 * its figures (impacts, user counts, retractions), so that its dates,
 * durations, users and classification are what its own report says.  The
 * CLI runs the query with pgsync; the drafter can send STORE_HISTORY_SQL
 * on its own connection and hand the result to store_history_rows.
 */
#ifndef SOCHI_STORE_HISTORY_H
#define SOCHI_STORE_HISTORY_H

#include <stddef.h>
#include <stdint.h>

#include <libpq-fe.h>

#include "incident.h"
#include "related.h"
#include "timeline.h"

/* The most related incidents one query returns, closest likeness first. */
#define STORE_HISTORY_MAX	100

/*
 * $1 the incident's code, $2 the years to look back.  Incidents declared
 * before it within that many years that share its equipment (compared
 * without case and surrounding blanks), its service, its category, or
 * the management stage of a current cause note; each with what it shares
 * and its impact, users and retract events as a JSON array.  Every read of
 * event goes through a partial index of the rows it wants (event_figures,
 * event_stage_notes: sql/007), never through all of an incident's events;
 * the CTEs are materialized so that the stages shared are looked up once
 * per past incident, not once for each place the query names them.
 */
#define STORE_HISTORY_SQL \
	"with me as materialized (select i.id, i.equipment, i.service, " \
	"i.category, i.opened_at, array(select distinct n.data->>'stage' " \
	"from event n where n.incident_id = i.id and n.kind = 'note' and " \
	"n.data ? 'stage' and not exists (select 1 from event x where " \
	"x.supersedes = n.id) and not exists (select 1 from event x where " \
	"x.kind = 'retract' and (x.data->>'target')::bigint = n.id)) as " \
	"stages from incident i where i.code = $1), c as materialized " \
	"(select i.*, coalesce(lower(btrim(i.equipment)) = " \
	"lower(btrim(me.equipment)), false) as eq, coalesce(i.service = " \
	"me.service, false) as sv, coalesce(i.category = me.category, false) " \
	"as ct, (select string_agg(s || '時', '、' order by s) from (select " \
	"distinct n.data->>'stage' as s from event n where n.incident_id = " \
	"i.id and n.kind = 'note' and n.data ? 'stage' and " \
	"n.data->>'stage' = any(me.stages) and not exists (select 1 from " \
	"event x where x.supersedes = n.id) and not exists (select 1 from " \
	"event x where x.kind = 'retract' and (x.data->>'target')::bigint = " \
	"n.id)) st) as st from incident i, me where i.id <> me.id and " \
	"i.opened_at < me.opened_at and i.opened_at >= me.opened_at - " \
	"make_interval(years => $2::int)) select c.id, c.code, c.title, " \
	"c.service, c.category, c.location, c.equipment, (extract(epoch from " \
	"c.opened_at) * 1000000)::bigint, c.state, c.eq, c.sv, c.ct, c.st, " \
	STORE_FIGURE_EVENTS_SQL("c.id") " from c " \
	"where c.eq or c.sv or c.ct or c.st is not null order by c.eq desc, " \
	"c.st is not null desc, c.sv desc, c.opened_at desc limit 100"

struct store_history {
	struct related_set set;		/* what lib reads (strings borrow res) */
	struct tl_incident *incs;	/* each incident's record */
	PGresult	*res;		/* the rows */
};

/*
 * Takes a result of STORE_HISTORY_SQL (owned from then on) and builds each
 * incident's timeline with cf as of now.  Returns 0, or -1 without memory.
 */
int	store_history_rows(struct store_history *, PGresult *, int years,
	    const struct tl_config *, int64_t now);
/* Runs the query with pgsync's deadline; -1 with err. */
int	store_history_read(PGconn *, const char *code, int years,
	    const struct tl_config *, int64_t now, struct store_history *,
	    char *err, size_t errlen);
void	store_history_free(struct store_history *);

#endif
