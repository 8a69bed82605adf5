/* SPDX-License-Identifier: MIT */
/*
 * The list of incidents: `sochi list`, `sochi list --json`, GET
 * /v1/incidents and the web view's front page show the same figures, each
 * incident's from its own model (lib/timeline.h): state, 発生, each
 * impact's 継続時間 (provisional while it runs), the most users affected,
 * the classification and the report's due date with the days left.
 */
#ifndef SOCHI_LISTING_H
#define SOCHI_LISTING_H

#include <stddef.h>
#include <stdint.h>

#include "regulation.h"
#include "sbuf.h"
#include "timeline.h"
#include "zone.h"

struct listing_item {
	const struct tl_incident *inc;	/* its record: code, title, opened_at */
	int		 open;		/* state open (else closed) */
	const char	*filed_on;	/* YYYY-MM-DD the 詳報 was filed, or NULL */
	const struct timeline *tl;	/* its model, as of the list's now */
};

struct listing {
	const struct listing_item *v;	/* the incidents, newest first */
	size_t		 n;		/* how many */
	const struct zone *zone;	/* the carrier's zone */
	int64_t		 now;		/* running impacts end here; days count from it */
	int		 all;		/* every incident (else open and recent) */
};

/*
 * The due date a reader is counting to: the report's (serious or
 * periodic), else the 詳報's should an undetermined incident be serious.
 * Returns 0 with it, or -1 when there is none.
 */
int	listing_due(const struct timeline *, struct reg_date *);
/* Days from now's date in the zone to d: negative once it has passed. */
int64_t	listing_days_left(const struct zone *, int64_t, struct reg_date);
/* The list as JSON ("format": "sochi-list/1", doc/report-json.md). */
int	listing_json(const struct listing *, struct sbuf *);

#endif
