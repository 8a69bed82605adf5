/* SPDX-License-Identifier: MIT */
/*
 * Findings on an incident's timeline: figures that cannot be right, figures
 * a person wrote that disagree with the events, and what is still missing.
 */
#ifndef SOCHI_LINT_H
#define SOCHI_LINT_H

#include <stddef.h>
#include <stdint.h>

#include "timeline.h"

enum lint_severity {
	LINT_ERROR,		/* a figure is wrong or unknown: `sochi check` fails */
	LINT_WARNING,		/* something looks wrong or is missing */
};

#define LINT_MAX_IDS	4

struct lint_finding {
	enum lint_severity sev;		/* how bad */
	const char	*code;		/* stable name, e.g. note-duration */
	char		*message;	/* what is wrong, for a person */
	int64_t		 ids[LINT_MAX_IDS]; /* the events concerned */
	size_t		 nids;
};

struct lint {
	struct lint_finding *f;		/* in the order found */
	size_t		 n;
	size_t		 errors;	/* findings of LINT_ERROR */
};

int	lint_run(const struct timeline *, const struct zone *, struct lint *);
void	lint_free(struct lint *);
const char *lint_severity_name(enum lint_severity);

/* A figure stated in a note's text. */
struct lint_figure {
	int64_t		 value;		/* minutes (durations), or the count */
	int64_t		 unit;		/* the precision it is written to, same units */
	int		 about;		/* 約 before it: rounding is allowed */
	size_t		 off;		/* where it starts in the text, bytes */
	size_t		 len;		/* its length, bytes */
};

/*
 * Every duration a text states, anywhere in it: N日間, N日M時間K分間,
 * N時間M分間 (間 optional after the minutes), N分間, in ASCII or full-width
 * digits; 約N時間 too.  A bare N時間 or N日 is not taken (24時間開設, 16日),
 * nor a limit (2時間以上, 30分未満) or an interval (30分間隔).  Returns how
 * many were found (at most max).
 */
size_t	lint_stated_durations(const char *, struct lint_figure *, size_t);
/*
 * Every count with the unit given ("人" or "件") a text states: N人, N万人,
 * with commas or full-width digits, 約 before it; not a limit (3万人以上).
 */
size_t	lint_stated_counts(const char *, const char *, struct lint_figure *,
	    size_t);
/*
 * Whether a stated figure is the computed one: exactly, truncated to the
 * unit it is stated in (as the form truncates to whole minutes); with 約
 * also rounded to that unit.  Durations in µs, counts as they are.
 */
int	lint_figure_matches_duration(const struct lint_figure *, int64_t);
int	lint_figure_matches_count(const struct lint_figure *, int64_t);

#endif
