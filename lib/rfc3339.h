/* SPDX-License-Identifier: MIT */
/*
 * RFC 3339 times: parse what senders send, print what PostgreSQL reads.
 */
#ifndef SOCHI_RFC3339_H
#define SOCHI_RFC3339_H

#include <stddef.h>
#include <stdint.h>

struct sochi_time {
	int64_t	usec;		/* microseconds since 1970-01-01T00:00:00Z */
	int	offset_min;	/* the offset the sender wrote, in minutes east of UTC */
};

/* Longest text rfc3339_format() writes, with its NUL. */
#define RFC3339_MAX	40

int	rfc3339_parse(const char *, struct sochi_time *);
int	rfc3339_parse_n(const char *, size_t, struct sochi_time *);
size_t	rfc3339_format(const struct sochi_time *, char *, size_t);

/* Days since 1970-01-01 for a proleptic Gregorian date, and back. */
int64_t	rfc3339_days_from_civil(int64_t, unsigned, unsigned);
void	rfc3339_civil_from_days(int64_t, int64_t *, unsigned *, unsigned *);

#endif
