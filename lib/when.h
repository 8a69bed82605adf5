/* SPDX-License-Identifier: MIT */
/*
 * The times an engineer types (sochi --at, and a time at the start of a
 * pasted line): HH:MM, M/D HH:MM, YYYY-MM-DD HH:MM, RFC 3339, -15m, -2h,
 * seconds optional, read in the carrier's zone against a given now.  A
 * date and time without an offset (2026-12-03T22:00:00 too) is the
 * carrier's local time: one rule for every form that has no offset.
 */
#ifndef SOCHI_WHEN_H
#define SOCHI_WHEN_H

#include <stddef.h>
#include <stdint.h>

#include "zone.h"

/* What to show a person who typed something else. */
#define WHEN_FORMS	"HH:MM, M/D HH:MM, YYYY-MM-DD HH:MM or YYYY-MM-DDTHH:MM " \
			"(seconds optional; these in the carrier's zone), " \
			"RFC 3339 with an offset, or -15m / -2h / -1d"

/*
 * Reads s as a time.  Absolute forms are in zone z; times more than a
 * minute after now are refused (with yesterday's date suggested for a bare
 * HH:MM).  Returns 0, or -1 with a message in err.
 */
int	when_parse(const char *, const struct zone *, int64_t, int64_t *,
	    char *, size_t);
/*
 * If line begins with an absolute time followed by white space, reads it
 * and returns the length of that prefix (white space included); else 0.
 * A prefix that looks like a time but is not a valid one is -1 with err.
 */
int	when_prefix(const char *, const struct zone *, int64_t, int64_t *,
	    char *, size_t);

#endif
