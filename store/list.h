/* SPDX-License-Identifier: MIT */
/*
 * The incidents `sochi list` and the web view list, read with one query:
 * each with its record and the events that make its figures (impacts,
 * user counts, retractions), rebuilt as a timeline so that every figure
 * is the one its own report gives.  The CLI runs STORE_LIST_SQL with
 * pgsync; the web worker sends it on its own connection; both hand the
 * result to store_list_rows.
 */
#ifndef SOCHI_STORE_LIST_H
#define SOCHI_STORE_LIST_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>
#include <libpq-fe.h>

#include "incident.h"
#include "listing.h"
#include "timeline.h"

/*
 * $1 'true' for every incident, else the open ones and those opened or
 * closed in the last 30 days; open first (unless all), newest first.
 */
#define STORE_LIST_SQL \
	"select i.id, i.code, i.title, i.service, i.category, i.location, " \
	"i.equipment, (extract(epoch from i.opened_at) * 1000000)::bigint, " \
	"i.state, i.filed_on::text, " STORE_FIGURE_EVENTS_SQL("i.id") " " \
	"from incident i where $1::bool or i.state = 'open' or " \
	"coalesce(i.closed_at, i.opened_at) > now() - interval '30 days' " \
	"order by case when $1::bool then '' else i.state end desc, " \
	"i.opened_at desc, i.id desc"

struct store_listed {
	struct tl_incident inc;		/* its record; strings borrow the rows */
	json_t		*arr;		/* its figure events, as parsed */
	struct tl_event	*evs;		/* ... as timeline inputs */
	size_t		 nevs;		/* how many */
	struct timeline	 tl;		/* its model */
	int		 built;		/* tl holds one */
};

struct store_list {
	struct store_listed *v;		/* the incidents, in the query's order */
	struct listing_item *items;	/* the same, for lib/listing.h */
	size_t		 n;		/* how many */
	PGresult	*res;		/* the rows */
};

/*
 * Takes a result of STORE_LIST_SQL (owned from then on) and builds each
 * incident's timeline with cf and opt as of now.  Returns 0, or -1
 * without memory (what was built is freed by store_list_free).
 */
int	store_list_rows(struct store_list *, PGresult *,
	    const struct tl_config *, const struct tl_options *, int64_t);
void	store_list_free(struct store_list *);

#endif
