/* SPDX-License-Identifier: MIT */
/*
 * Times typed by people.  Strict about what a time is, forgiving about how
 * it is written, and never silently in the future: a time after now is a
 * typo or a wrong day, and the message says which day was probably meant.
 */
#include <stdio.h>
#include <string.h>

#include "rfc3339.h"
#include "when.h"

#define SLACK	(60LL * 1000000)	/* clocks differ: a minute ahead is fine */

/* Reads 1 or 2 digits (n == 2: exactly two) into v; returns digits read. */
static int
num(const char *s, int min, int max, int *v)
{
	int n = 0, x = 0;

	while (n < max && s[n] >= '0' && s[n] <= '9')
		x = x * 10 + (s[n++] - '0');
	if (n < min)
		return 0;
	*v = x;
	return n;
}

/* HH:MM or HH:MM:SS; returns the length read or 0. */
static int
hms(const char *s, int *h, int *m, int *sec)
{
	int i = 0, n;

	if ((n = num(s, 1, 2, h)) == 0 || s[n] != ':')
		return 0;
	i = n + 1;
	if ((n = num(s + i, 2, 2, m)) == 0)
		return 0;
	i += n;
	*sec = 0;
	if (s[i] == ':') {
		if ((n = num(s + i + 1, 2, 2, sec)) == 0)
			return 0;
		i += n + 1;
	}
	return i;
}

static int
valid(int y, int mo, int d, int h, int mi, int s)
{
	struct sochi_time t;
	char buf[40];

	if (h > 23 || mi > 59 || s > 59)
		return 0;
	snprintf(buf, sizeof(buf), "%04d-%02d-%02dT00:00:00Z", y, mo, d);
	return rfc3339_parse(buf, &t) == 0;
}

static int
too_late(int64_t t, int64_t now, const struct zone *z, int bare, char *err,
    size_t errlen, const char *s)
{
	struct local_time lt;

	if (t <= now + SLACK)
		return 0;
	if (bare) {
		zone_local(z, t - 86400LL * 1000000, &lt);
		snprintf(err, errlen, "%s is later than now; for yesterday write "
		    "\"%d/%d %s\"", s, lt.month, lt.day, s);
	} else
		snprintf(err, errlen, "%s is in the future", s);
	return 1;
}

/*
 * Reads an absolute local form at s: [YYYY-MM-DD |M/D ]HH:MM[:SS].  Returns
 * the length read (0 if none), with *bare set for a lone HH:MM.
 */
static int
absolute(const char *s, const struct zone *z, int64_t now, int64_t *out,
    int *bare, int *bad)
{
	struct local_time today, lt;
	int i = 0, n, y, mo, d, h, mi, sec, v;

	zone_local(z, now, &today);
	y = today.year;
	mo = today.month;
	d = today.day;
	*bare = 0;
	*bad = 0;
	if (num(s, 4, 4, &v) == 4 && s[4] == '-') {
		y = v;
		if (num(s + 5, 2, 2, &mo) != 2 || s[7] != '-' ||
		    num(s + 8, 2, 2, &d) != 2 || (s[10] != ' ' && s[10] != 'T')) {
			*bad = 1;
			return 0;
		}
		i = 11;
	} else if ((n = num(s, 1, 2, &v)) > 0 && s[n] == '/') {
		int m2 = num(s + n + 1, 1, 2, &d);

		mo = v;

		if (m2 == 0 || s[n + 1 + m2] != ' ') {
			*bad = 1;
			return 0;
		}
		y = today.year;
		i = n + 1 + m2 + 1;
	} else
		*bare = 1;
	if ((n = hms(s + i, &h, &mi, &sec)) == 0) {
		*bad = !*bare;
		return 0;
	}
	if (!valid(y, mo, d, h, mi, sec)) {
		*bad = 1;
		return 0;
	}
	lt.year = y;
	lt.month = mo;
	lt.day = d;
	lt.hour = h;
	lt.min = mi;
	lt.sec = sec;
	*out = zone_utc(z, &lt);
	return i + n;
}

int
when_parse(const char *s, const struct zone *z, int64_t now, int64_t *out,
    char *err, size_t errlen)
{
	struct sochi_time t;
	int n, bare, bad, v;

	if (strcmp(s, "now") == 0) {
		*out = now;
		return 0;
	}
	/*
	 * -15m, -2h, -1d.  The unit is looked at before the byte after it, so
	 * that "-1" (no unit) is refused without reading past its NUL.
	 */
	if (s[0] == '-' && (n = num(s + 1, 1, 4, &v)) > 0 &&
	    (s[1 + n] == 'm' || s[1 + n] == 'h' || s[1 + n] == 'd') &&
	    s[1 + n + 1] == '\0') {
		int64_t unit = s[1 + n] == 'm' ? 60 : s[1 + n] == 'h' ? 3600 :
		    86400;

		*out = now - (int64_t)v * unit * 1000000;
		return 0;
	}
	if (rfc3339_parse(s, &t) == 0) {
		if (too_late(t.usec, now, z, 0, err, errlen, s))
			return -1;
		*out = t.usec;
		return 0;
	}
	n = absolute(s, z, now, out, &bare, &bad);
	if (n > 0 && s[n] == '\0') {
		if (too_late(*out, now, z, bare, err, errlen, s))
			return -1;
		return 0;
	}
	snprintf(err, errlen, "not a time: \"%s\"; write %s", s, WHEN_FORMS);
	return -1;
}

int
when_prefix(const char *line, const struct zone *z, int64_t now,
    int64_t *out, char *err, size_t errlen)
{
	struct sochi_time t;
	size_t w = strcspn(line, " \t");
	int n, bare, bad;
	char word[64];

	/* An RFC 3339 time as the first word. */
	if (w >= 20 && w < sizeof(word) && line[w] != '\0' &&
	    rfc3339_parse_n(line, w, &t) == 0) {
		snprintf(word, sizeof(word), "%.*s", (int)w, line);
		if (too_late(t.usec, now, z, 0, err, errlen, word))
			return -1;
		*out = t.usec;
		while (line[w] == ' ' || line[w] == '\t')
			w++;
		return (int)w;
	}
	n = absolute(line, z, now, out, &bare, &bad);
	if (n > 0 && (line[n] == ' ' || line[n] == '\t')) {
		snprintf(word, sizeof(word), "%.*s", n < 63 ? n : 63, line);
		if (too_late(*out, now, z, bare, err, errlen, word))
			return -1;
		while (line[n] == ' ' || line[n] == '\t')
			n++;
		return n;
	}
	if (bad) {
		snprintf(err, errlen, "not a time: \"%.*s\"; write %s",
		    (int)(w < 40 ? w : 40), line, WHEN_FORMS);
		return -1;
	}
	return 0;
}
