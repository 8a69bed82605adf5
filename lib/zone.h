/* SPDX-License-Identifier: MIT */
/*
 * Time zones without I/O: the caller reads the zone's TZif file (or picks a
 * fixed offset) and lib turns UTC instants into the carrier's local time.
 */
#ifndef SOCHI_ZONE_H
#define SOCHI_ZONE_H

#include <stddef.h>
#include <stdint.h>

struct zone {
	char		 name[64];	/* e.g. Asia/Tokyo */
	int64_t		*trans;		/* UTC seconds of each transition, ascending */
	int32_t		*offs;		/* offset (seconds east) from each transition */
	size_t		 n;		/* transitions */
	int32_t		 initial;	/* offset before the first transition */
};

/* A zone at a constant offset, e.g. zone_fixed(&z, 9 * 3600, "JST"). */
void	zone_fixed(struct zone *, int32_t, const char *);
/* Reads the contents of a TZif file (RFC 8536, versions 1 to 4). */
int	zone_from_tzif(struct zone *, const unsigned char *, size_t,
	    const char *);
/* The offset in force at a UTC instant, in seconds east of UTC. */
int32_t	zone_offset(const struct zone *, int64_t);
void	zone_free(struct zone *);

/* A local calendar time. */
struct local_time {
	int	year, month, day;	/* Gregorian */
	int	hour, min, sec;
	int	wday;			/* 0 = Sunday */
};

void	zone_local(const struct zone *, int64_t usec, struct local_time *);
/* The UTC instant of a local wall time (the earlier one at a fold). */
int64_t	zone_utc(const struct zone *, const struct local_time *);

#endif
