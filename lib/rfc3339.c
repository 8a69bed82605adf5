/* SPDX-License-Identifier: MIT */
/*
 * RFC 3339 times.  Senders write them with any offset and up to nanosecond
 * precision (Alertmanager does); sochi keeps microseconds, as PostgreSQL's
 * timestamptz does, and remembers the offset the sender used.
 */

#include <stdio.h>
#include <string.h>

#include "rfc3339.h"

/*
 * Howard Hinnant's days_from_civil: exact for every proleptic Gregorian date,
 * with no tables and no calls into the C library's zone machinery.
 */
int64_t
rfc3339_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

void
rfc3339_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t era;
	unsigned doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static int
digits(const char *s, size_t n, unsigned *out)
{
	unsigned v = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	*out = v;
	return 0;
}

static unsigned
days_in_month(unsigned y, unsigned m)
{
	static const unsigned char dim[] = { 31, 28, 31, 30, 31, 30, 31, 31,
	    30, 31, 30, 31 };

	if (m == 2 && (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)))
		return 29;
	return dim[m - 1];
}

/*
 * YYYY-MM-DD('T'|'t'|' ')HH:MM:SS[.fraction]('Z'|'z'|(+|-)HH:MM), the whole
 * string and nothing else.  Returns 0 or -1.
 *
 * Exactly what PostgreSQL's timestamptz stores is accepted, so that no
 * valid-looking time is refused later by the database: years 0001 to 9999
 * (PostgreSQL refuses year 0), offsets within ±15:59 (its limit), and a
 * leap second :60, kept as the last microsecond of its minute (PostgreSQL
 * would roll it into the next minute, and refuses :60 with a fraction).
 */
int
rfc3339_parse_n(const char *s, size_t n, struct sochi_time *t)
{
	unsigned y, mo, d, h, mi, sec, oh, om, frac = 0, scale = 1000000;
	size_t i;
	int sign, off;

	if (n < 20)
		return -1;
	if (digits(s, 4, &y) || s[4] != '-' || digits(s + 5, 2, &mo) ||
	    s[7] != '-' || digits(s + 8, 2, &d) ||
	    (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
	    digits(s + 11, 2, &h) || s[13] != ':' || digits(s + 14, 2, &mi) ||
	    s[16] != ':' || digits(s + 17, 2, &sec))
		return -1;
	if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) ||
	    h > 23 || mi > 59 || sec > 60)
		return -1;
	i = 19;
	if (s[i] == '.') {
		size_t start = ++i;

		while (i < n && s[i] >= '0' && s[i] <= '9') {
			if (scale > 1) {
				scale /= 10;
				frac += (unsigned)(s[i] - '0') * scale;
			}
			i++;
		}
		if (i == start)
			return -1;
	}
	if (i >= n)
		return -1;
	if ((s[i] == 'Z' || s[i] == 'z') && i + 1 == n) {
		off = 0;
	} else if ((s[i] == '+' || s[i] == '-') && i + 6 == n) {
		sign = s[i] == '-' ? -1 : 1;
		if (digits(s + i + 1, 2, &oh) || s[i + 3] != ':' ||
		    digits(s + i + 4, 2, &om) || oh > 15 || om > 59)
			return -1;
		off = sign * (int)(oh * 60 + om);
	} else
		return -1;
	/* A leap second is kept as the last microsecond of its minute. */
	if (sec == 60) {
		sec = 59;
		frac = 999999;
	}
	t->offset_min = off;
	t->usec = ((rfc3339_days_from_civil(y, mo, d) * 86400 +
	    (int64_t)h * 3600 + mi * 60 + sec - (int64_t)off * 60) * 1000000) +
	    frac;
	return 0;
}

int
rfc3339_parse(const char *s, struct sochi_time *t)
{
	return rfc3339_parse_n(s, strlen(s), t);
}

/* Prints the time in the offset it carries, with microseconds when nonzero. */
size_t
rfc3339_format(const struct sochi_time *t, char *buf, size_t len)
{
	int64_t local, days, secs, y;
	unsigned m, d;
	int off = t->offset_min, n;
	long usec;
	char sign = off < 0 ? '-' : '+';

	local = t->usec + (int64_t)off * 60 * 1000000;
	days = local >= 0 ? local / 86400000000LL :
	    -((-local + 86399999999LL) / 86400000000LL);
	secs = (local - days * 86400000000LL) / 1000000;
	usec = (long)((local - days * 86400000000LL) % 1000000);
	rfc3339_civil_from_days(days, &y, &m, &d);
	if (off < 0)
		off = -off;
	if (usec != 0)
		n = snprintf(buf, len,
		    "%04lld-%02u-%02uT%02d:%02d:%02d.%06ld%c%02d:%02d",
		    (long long)y, m, d, (int)(secs / 3600),
		    (int)(secs / 60 % 60), (int)(secs % 60), usec, sign,
		    off / 60, off % 60);
	else
		n = snprintf(buf, len, "%04lld-%02u-%02uT%02d:%02d:%02d%c%02d:%02d",
		    (long long)y, m, d, (int)(secs / 3600),
		    (int)(secs / 60 % 60), (int)(secs % 60), sign, off / 60,
		    off % 60);
	return n < 0 ? 0 : (size_t)n;
}
