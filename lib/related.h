/* SPDX-License-Identifier: MIT */
/*
 * 関連する事故の発生傾向: the past incidents that share equipment, service,
 * category or the management stage of a cause with this one, summed up
 * from their own timelines (dates, durations, users, classification), and
 * the draft of the report's row a person confirms.  The database finds
 * them (store/related.c); lib only computes and writes.
 */
#ifndef SOCHI_RELATED_H
#define SOCHI_RELATED_H

#include <stddef.h>
#include <stdint.h>

#include "regulation.h"
#include "sbuf.h"
#include "timeline.h"
#include "zone.h"

/* What a past incident shares with this one. */
#define RELATED_EQUIPMENT	0x1	/* the same 設備名 */
#define RELATED_STAGE		0x2	/* a cause of the same stage (設計, 工事, 維持・運用) */
#define RELATED_SERVICE		0x4	/* the same service */
#define RELATED_CATEGORY	0x8	/* the same category (1-5) */

#define RELATED_YEARS_DEFAULT	5

struct related_incident {
	const char	*code;		/* 2024-0007 */
	const char	*title;		/* its title */
	const char	*equipment;	/* its 設備名, or NULL */
	const char	*service;	/* its service, or NULL */
	int		 category;	/* 1..5, or 0 */
	const char	*stages;	/* the shared stages: 維持・運用時、工事時, or NULL */
	unsigned	 shares;	/* RELATED_* */
	int64_t		 opened_at;	/* when it was declared */
	int64_t		 occurred;	/* 発生 (earliest impact start), or 0: no impact */
	int64_t		 recovered;	/* its last recovery, or 0 while one runs */
	int64_t		 longest;	/* its longest 継続時間, µs, or -1 */
	int		 provisional;	/* an impact still runs */
	int64_t		 users;		/* the most users affected, or -1 */
	int		 assessed;	/* cls says what it was */
	enum reg_class	 cls;		/* serious, periodic, none, undetermined */
};

struct related_set {
	int		 years;		/* the window: [report] related_years */
	const char	*equipment;	/* this incident's 設備名 as written, or NULL */
	const char	*service;	/* this incident's service, or NULL */
	struct related_incident *v;	/* newest first */
	size_t		 n;		/* how many */
};

/* Takes the figures of a past incident from its timeline. */
void	related_from_timeline(struct related_incident *, const struct timeline *);
/* Orders the set newest first (by 発生, else when declared). */
void	related_sort(struct related_set *);
/* Whether the draft lists it: serious, periodic or undetermined. */
int	related_reportable(const struct related_incident *);
/* The tag the form puts after a case, or NULL for none. */
const char *related_tag(const struct related_incident *);
/*
 * The draft of 関連する事故の発生傾向: a line marking it as a draft for a
 * person to confirm, one sentence per kind of likeness (each incident under
 * the closest it has, equipment first), then one line per case, tagged.
 */
int	related_draft(const struct related_set *, const struct zone *,
	    struct sbuf *);

#endif
