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
	LINT_ERROR,		/* a figure is wrong: `sochi check` fails */
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

/*
 * Every 継続時間 a text states, in minutes; returns how many were found
 * (at most max).  Exposed for tests.
 */
size_t	lint_stated_durations(const char *, int64_t *, size_t);

#endif
