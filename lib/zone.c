/* SPDX-License-Identifier: MIT */
/*
 * TZif parsing and UTC to local conversion.  Only the transition table is
 * used; the POSIX rule in the footer, which extends a zone with daylight
 * saving time past its last listed transition, is not: sochi renders the
 * carrier's zone, and Japan has had no transition since 1951.
 */
#include <stdlib.h>
#include <string.h>

#include "rfc3339.h"
#include "zone.h"

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static int64_t
be64(const unsigned char *p)
{
	return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

void
zone_fixed(struct zone *z, int32_t off, const char *name)
{
	memset(z, 0, sizeof(*z));
	z->initial = off;
	strncpy(z->name, name, sizeof(z->name) - 1);
}

int
zone_from_tzif(struct zone *z, const unsigned char *p, size_t len,
    const char *name)
{
	uint32_t isut, isstd, leap, timecnt, typecnt, charcnt;
	const unsigned char *d, *times, *idx, *types;
	size_t tsize = 4, need, i;

	memset(z, 0, sizeof(*z));
	strncpy(z->name, name, sizeof(z->name) - 1);
	if (len < 44 || memcmp(p, "TZif", 4) != 0)
		return -1;
	for (;;) {
		isut = be32(p + 20);
		isstd = be32(p + 24);
		leap = be32(p + 28);
		timecnt = be32(p + 32);
		typecnt = be32(p + 36);
		charcnt = be32(p + 40);
		if (typecnt == 0 || typecnt > 256 || timecnt > 100000)
			return -1;
		need = 44 + (size_t)timecnt * (tsize + 1) + (size_t)typecnt * 6 +
		    charcnt + (size_t)leap * (tsize + 4) + isstd + isut;
		if (need > len)
			return -1;
		/* Version 2 and later repeat the data with 64-bit times. */
		if (tsize == 4 && p[4] >= '2') {
			p += need;
			len -= need;
			tsize = 8;
			if (len < 44 || memcmp(p, "TZif", 4) != 0)
				return -1;
			continue;
		}
		break;
	}
	d = p + 44;
	times = d;
	idx = times + (size_t)timecnt * tsize;
	types = idx + timecnt;
	z->trans = calloc(timecnt ? timecnt : 1, sizeof(*z->trans));
	z->offs = calloc(timecnt ? timecnt : 1, sizeof(*z->offs));
	if (z->trans == NULL || z->offs == NULL) {
		zone_free(z);
		return -1;
	}
	for (i = 0; i < timecnt; i++) {
		if (idx[i] >= typecnt) {
			zone_free(z);
			return -1;
		}
		z->trans[i] = tsize == 8 ? be64(times + i * 8) :
		    (int32_t)be32(times + i * 4);
		z->offs[i] = (int32_t)be32(types + (size_t)idx[i] * 6);
	}
	z->n = timecnt;
	/* Before the first transition: the first standard-time type. */
	z->initial = (int32_t)be32(types);
	for (i = 0; i < typecnt; i++)
		if (types[i * 6 + 4] == 0) {
			z->initial = (int32_t)be32(types + i * 6);
			break;
		}
	return 0;
}

int32_t
zone_offset(const struct zone *z, int64_t t)
{
	size_t lo = 0, hi = z->n;

	if (z->n == 0 || t < z->trans[0])
		return z->initial;
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;

		if (z->trans[mid] <= t)
			lo = mid;
		else
			hi = mid;
	}
	return z->offs[lo];
}

void
zone_free(struct zone *z)
{
	if (z == NULL)
		return;
	free(z->trans);
	free(z->offs);
	z->trans = NULL;
	z->offs = NULL;
	z->n = 0;
}

void
zone_local(const struct zone *z, int64_t usec, struct local_time *lt)
{
	int64_t s = usec >= 0 ? usec / 1000000 : -((-usec + 999999) / 1000000);
	int64_t local, days, rem, y;
	unsigned m, d;

	local = s + zone_offset(z, s);
	days = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
	rem = local - days * 86400;
	rfc3339_civil_from_days(days, &y, &m, &d);
	lt->year = (int)y;
	lt->month = (int)m;
	lt->day = (int)d;
	lt->hour = (int)(rem / 3600);
	lt->min = (int)(rem / 60 % 60);
	lt->sec = (int)(rem % 60);
	/* 1970-01-01 was a Thursday. */
	lt->wday = (int)(((days % 7) + 11) % 7);
}

int64_t
zone_utc(const struct zone *z, const struct local_time *lt)
{
	int64_t local = rfc3339_days_from_civil(lt->year, (unsigned)lt->month,
	    (unsigned)lt->day) * 86400 + lt->hour * 3600 + lt->min * 60 +
	    lt->sec;
	int64_t guess = local - zone_offset(z, local);

	/* One correction suffices unless the time falls in a gap. */
	guess = local - zone_offset(z, guess);
	return guess * 1000000;
}
