/* SPDX-License-Identifier: MIT */
/*
 * Syslog messages and their TCP framing.  See syslog.h.
 *
 * RFC 3164 is what most equipment sends (and what rsyslog forwards by
 * default), written in many dialects; the ones read here are those of
 * Cisco IOS (a sequence number, `*` or `.` before an unsynchronised or
 * doubtful clock, milliseconds, a zone abbreviation, a year, a colon after
 * the time), Junos, Linux and rsyslog's RFC 3339 timestamps.  RFC 5424 is
 * read by its grammar.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rfc3339.h"
#include "syslog.h"

static const char *const facilities[24] = {
	"kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news",
	"uucp", "cron", "authpriv", "ftp", "ntp", "audit", "alert", "clock",
	"local0", "local1", "local2", "local3", "local4", "local5", "local6",
	"local7"
};

static const char *const severities[8] = {
	"emerg", "alert", "crit", "err", "warning", "notice", "info", "debug"
};

static const char *const months[12] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
	"Nov", "Dec"
};

static int
fail(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

const char *
syslog_facility_name(int f)
{
	return f >= 0 && f < 24 ? facilities[f] : "?";
}

const char *
syslog_severity_name(int s)
{
	return s >= 0 && s < 8 ? severities[s] : "?";
}

static int
name_or_number(const char *s, const char *const *names, int n)
{
	char *end;
	long v;
	int i;

	for (i = 0; i < n; i++)
		if (strcmp(s, names[i]) == 0)
			return i;
	if (*s >= '0' && *s <= '9') {
		v = strtol(s, &end, 10);
		if (*end == '\0' && v >= 0 && v < n)
			return (int)v;
	}
	return -1;
}

int
syslog_facility_from_name(const char *s)
{
	/* The names some systems use for the same codes. */
	if (strcmp(s, "security") == 0)
		return 4;
	return name_or_number(s, facilities, 24);
}

int
syslog_severity_from_name(const char *s)
{
	if (strcmp(s, "emergency") == 0 || strcmp(s, "panic") == 0)
		return 0;
	if (strcmp(s, "critical") == 0)
		return 2;
	if (strcmp(s, "error") == 0)
		return 3;
	if (strcmp(s, "warn") == 0)
		return 4;
	if (strcmp(s, "informational") == 0)
		return 6;
	return name_or_number(s, severities, 8);
}

/* RFC 3629: shortest forms only, no surrogates, nothing past U+10FFFF. */
int
syslog_utf8_check(const char *s, size_t n, size_t *bad)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, k, len;
	unsigned cp, min;

	while (i < n) {
		if (p[i] == 0)
			goto bad;
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		if ((p[i] & 0xe0) == 0xc0)
			len = 2, cp = p[i] & 0x1f, min = 0x80;
		else if ((p[i] & 0xf0) == 0xe0)
			len = 3, cp = p[i] & 0x0f, min = 0x800;
		else if ((p[i] & 0xf8) == 0xf0)
			len = 4, cp = p[i] & 0x07, min = 0x10000;
		else
			goto bad;
		if (i + len > n)
			goto bad;
		for (k = 1; k < len; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				goto bad;
			cp = cp << 6 | (p[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			goto bad;
		i += len;
	}
	return 0;
bad:
	if (bad != NULL)
		*bad = i;
	return -1;
}

/* <PRI>: 1 to 3 digits, no leading zero, at most 191. */
static int
parse_pri(const char *s, size_t n, size_t *pos, int *pri, char *err,
    size_t errlen)
{
	size_t i = 1;
	int v = 0;

	if (n == 0 || s[0] != '<')
		return fail(err, errlen, "bad PRI: a message begins with <PRI>, "
		    "such as <189>");
	while (i < n && i <= 4 && s[i] >= '0' && s[i] <= '9')
		v = v * 10 + (s[i++] - '0');
	if (i == 1 || i > 4 || i >= n || s[i] != '>')
		return fail(err, errlen, "bad PRI: expected 1 to 3 digits "
		    "between < and >, such as <189>");
	if (s[1] == '0' && i > 2)
		return fail(err, errlen, "bad PRI: a leading zero");
	if (v > 191)
		return fail(err, errlen, "bad PRI: %d is above 191 (local7.debug)",
		    v);
	*pri = v;
	*pos = i + 1;
	return 0;
}

/* The length of the token at s (up to a space or the end). */
static size_t
token(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && s[i] != ' ')
		i++;
	return i;
}

/* A header field of RFC 5424: PRINTUSASCII, at most max bytes, "-" empty. */
static int
field5424(const char *s, size_t n, size_t *pos, char *out, size_t max,
    const char *what, char *err, size_t errlen)
{
	size_t len = token(s + *pos, n - *pos), i;

	if (len == 0)
		return fail(err, errlen, "%s: missing (RFC 5424 header)", what);
	if (len > max)
		return fail(err, errlen, "%s: longer than %zu bytes", what, max);
	for (i = 0; i < len; i++)
		if ((unsigned char)s[*pos + i] < 33 ||
		    (unsigned char)s[*pos + i] > 126)
			return fail(err, errlen, "%s: a byte that is not printable "
			    "ASCII", what);
	if (len == 1 && s[*pos] == '-')
		out[0] = '\0';
	else {
		memcpy(out, s + *pos, len);
		out[len] = '\0';
	}
	*pos += len;
	if (*pos >= n || s[*pos] != ' ')
		return fail(err, errlen, "%s: not followed by a space (RFC 5424 "
		    "header)", what);
	(*pos)++;
	return 0;
}

/* One SD-NAME: 1 to 32 PRINTUSASCII except = SP ] ". */
static size_t
sd_name(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && i <= 32 && (unsigned char)s[i] > 32 &&
	    (unsigned char)s[i] < 127 && s[i] != '=' && s[i] != ']' &&
	    s[i] != '"')
		i++;
	return i > 32 ? 0 : i;
}

/*
 * STRUCTURED-DATA: "-" or SD-ELEMENTs, [ID *(SP NAME="VALUE")].  Inside a
 * value a backslash escapes the next byte and only an unescaped " ends it,
 * so a ] that a sender left unescaped does not end the element early.
 */
static int
parse_sd(const char *s, size_t n, size_t *pos, char *err, size_t errlen)
{
	size_t i = *pos, len;
	int elements = 0;

	if (i < n && s[i] == '-') {
		*pos = i + 1;
		return 0;
	}
	while (i < n && s[i] == '[') {
		i++;
		if ((len = sd_name(s + i, n - i)) == 0)
			return fail(err, errlen, "structured data: element %d: "
			    "expected an SD-ID of 1 to 32 characters", elements + 1);
		i += len;
		while (i < n && s[i] == ' ') {
			i++;
			if ((len = sd_name(s + i, n - i)) == 0)
				return fail(err, errlen, "structured data: element "
				    "%d: expected a parameter name", elements + 1);
			i += len;
			if (i + 1 >= n || s[i] != '=' || s[i + 1] != '"')
				return fail(err, errlen, "structured data: element "
				    "%d: expected =\" after a parameter name",
				    elements + 1);
			i += 2;
			while (i < n && s[i] != '"')
				i += s[i] == '\\' && i + 1 < n ? 2 : 1;
			if (i >= n)
				return fail(err, errlen, "structured data: element "
				    "%d: a parameter value without its closing \"",
				    elements + 1);
			i++;
		}
		if (i >= n || s[i] != ']')
			return fail(err, errlen, "structured data: element %d: "
			    "expected ] or a parameter", elements + 1);
		i++;
		elements++;
	}
	if (elements == 0)
		return fail(err, errlen, "structured data: expected - or [");
	*pos = i;
	return 0;
}

/* MSG: an optional BOM (RFC 5424 MSG-UTF8), then UTF-8 without NUL. */
static int
set_msg(struct syslog_msg *m, const char *s, size_t n, int strip_lead,
    char *err, size_t errlen)
{
	size_t bad;

	if (n >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0)
		s += 3, n -= 3;
	/* A trailer some senders put into the datagram or the frame. */
	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r' ||
	    s[n - 1] == '\0'))
		n--;
	while (strip_lead && n > 0 && s[0] == ' ')
		s++, n--;
	if (syslog_utf8_check(s, n, &bad) == -1)
		return fail(err, errlen, s[bad] == '\0' ? "MSG: a NUL byte at byte "
		    "%zu" : "MSG: invalid UTF-8 at byte %zu", bad + 1);
	m->msg = s;
	m->msglen = n;
	return 0;
}

static int
set_host(struct syslog_msg *m, const char *s, size_t n, char *err,
    size_t errlen)
{
	if (n > SYSLOG_HOST_MAX)
		return fail(err, errlen, "HOSTNAME: longer than %d bytes",
		    SYSLOG_HOST_MAX);
	memcpy(m->host, s, n);
	m->host[n] = '\0';
	return 0;
}

static int
parse5424(const char *s, size_t n, size_t i, const struct syslog_opts *o,
    struct syslog_msg *m, char *err, size_t errlen)
{
	struct sochi_time t;
	size_t len;

	m->format = SYSLOG_RFC5424;
	len = token(s + i, n - i);
	if (len == 0 || (len == 1 && s[i] == '-'))
		return fail(err, errlen, "missing timestamp: the message has "
		    "none (-), and its own time is the event's");
	if (rfc3339_parse_n(s + i, len, &t) == -1)
		return fail(err, errlen, "missing timestamp: \"%.*s\" is not an "
		    "RFC 3339 time", (int)(len > 40 ? 40 : len), s + i);
	m->at = t.usec;
	i += len;
	if (i >= n || s[i] != ' ')
		return fail(err, errlen, "HOSTNAME: missing (RFC 5424 header)");
	i++;
	if (field5424(s, n, &i, m->host, SYSLOG_HOST_MAX, "HOSTNAME", err,
	    errlen) == -1 ||
	    field5424(s, n, &i, m->app, SYSLOG_APP_MAX, "APP-NAME", err,
	    errlen) == -1 ||
	    field5424(s, n, &i, m->procid, SYSLOG_PROCID_MAX, "PROCID", err,
	    errlen) == -1 ||
	    field5424(s, n, &i, m->msgid, SYSLOG_MSGID_MAX, "MSGID", err,
	    errlen) == -1)
		return -1;
	if (m->host[0] == '\0' && o->sender != NULL &&
	    set_host(m, o->sender, strlen(o->sender), err, errlen) == -1)
		return -1;
	len = i;
	if (parse_sd(s, n, &i, err, errlen) == -1)
		return -1;
	if (i - len > 1 || s[len] != '-') {
		m->sd = s + len;
		m->sdlen = i - len;
	}
	if (i < n && s[i] != ' ')
		return fail(err, errlen, "structured data: not followed by a "
		    "space or the end");
	if (i < n)
		i++;
	return set_msg(m, s + i, n - i, 0, err, errlen);
}

static int
num(const char *s, size_t n, size_t *i, int digits, int *out)
{
	int v = 0, k;

	for (k = 0; k < digits; k++) {
		if (*i + (size_t)k >= n || s[*i + k] < '0' || s[*i + k] > '9')
			return -1;
		v = v * 10 + (s[*i + k] - '0');
	}
	*i += (size_t)digits;
	*out = v;
	return 0;
}

static int
days_in(int y, int m)
{
	static const int dim[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30,
	    31 };

	if (m == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))
		return 29;
	return dim[m - 1];
}

/*
 * The year a year-less local time belongs to: the one that puts it nearest
 * the time it was received (a message of Dec 31 23:59 received on Jan 1 is
 * last year's).  29 February looks as far as the leap years around.
 */
static int64_t
nearest_year(const struct local_time *lt0, const struct zone *z,
    int64_t received)
{
	struct local_time now, lt = *lt0;
	int64_t best = 0, t, d, bestd = -1;
	int y;

	zone_local(z, received, &now);
	for (y = now.year - 8; y <= now.year + 1; y++) {
		if (lt0->day > days_in(y, lt0->month))
			continue;
		lt.year = y;
		t = zone_utc(z, &lt);
		d = t > received ? t - received : received - t;
		if (bestd < 0 || d < bestd)
			bestd = d, best = t;
	}
	return best;
}

/*
 * RFC 3164's TIMESTAMP and Cisco's: [*.]Mmm dd [yyyy ]hh:mm:ss[.frac]
 * [ ZONE][:], the day padded with a space or not; or an RFC 3339 time.
 * Returns the bytes it took, 0 if there is none at s.
 */
static size_t
ts3164(const char *s, size_t n, const struct syslog_opts *o, int64_t *at,
    int *colon)
{
	struct local_time lt;
	struct sochi_time t;
	size_t i = 0, len, z0;
	int mon, usec = 0, scale = 100000, y = -1, utc = 0, k;

	*colon = 0;
	memset(&lt, 0, sizeof(lt));
	if (n >= 5 && s[0] >= '0' && s[0] <= '9' && s[4] == '-') {
		len = token(s, n);
		if (len > 0 && s[len - 1] == ':')
			len--, *colon = 1;
		if (rfc3339_parse_n(s, len, &t) == -1)
			return 0;
		*at = t.usec;
		return len + (size_t)*colon;
	}
	if (i < n && (s[i] == '*' || s[i] == '.'))
		i++;
	if (i + 3 > n)
		return 0;
	for (mon = 0; mon < 12; mon++)
		if (memcmp(s + i, months[mon], 3) == 0)
			break;
	if (mon == 12)
		return 0;
	i += 3;
	if (i >= n || s[i] != ' ')
		return 0;
	i++;
	if (i < n && s[i] == ' ')
		i++;
	if (num(s, n, &i, 1, &lt.day) == -1)
		return 0;
	if (i < n && s[i] >= '0' && s[i] <= '9')
		lt.day = lt.day * 10 + (s[i++] - '0');
	if (i >= n || s[i] != ' ')
		return 0;
	i++;
	/* Cisco's `service timestamps ... year`: Mmm dd yyyy hh:mm:ss. */
	if (i + 4 < n && s[i + 4] == ' ') {
		if (num(s, n, &i, 4, &y) == -1 || s[i] != ' ')
			return 0;
		i++;
	}
	if (num(s, n, &i, 2, &lt.hour) == -1 || i >= n || s[i++] != ':' ||
	    num(s, n, &i, 2, &lt.min) == -1 || i >= n || s[i++] != ':' ||
	    num(s, n, &i, 2, &lt.sec) == -1)
		return 0;
	if (i < n && s[i] == '.') {
		i++;
		for (k = 0; i < n && s[i] >= '0' && s[i] <= '9'; k++, i++)
			if (k < 6) {
				usec += (s[i] - '0') * scale;
				scale /= 10;
			}
		if (k == 0)
			return 0;
	}
	/* A zone abbreviation (Cisco's show-timezone): UTC is read as such. */
	if (i + 2 < n && s[i] == ' ' && s[i + 1] >= 'A' && s[i + 1] <= 'Z') {
		z0 = i + 1;
		for (len = 0; z0 + len < n && len < 6 && s[z0 + len] >= 'A' &&
		    s[z0 + len] <= 'Z'; len++)
			;
		if (len >= 2 && z0 + len < n && s[z0 + len] == ':') {
			utc = (len == 3 && (memcmp(s + z0, "UTC", 3) == 0 ||
			    memcmp(s + z0, "GMT", 3) == 0));
			i = z0 + len;
		}
	}
	if (i < n && s[i] == ':')
		i++, *colon = 1;
	lt.month = mon + 1;
	if (lt.day < 1 || lt.day > 31 || lt.hour > 23 || lt.min > 59 ||
	    lt.sec > 60)
		return 0;
	if (lt.sec == 60)
		lt.sec = 59, usec = 999999;
	if (y >= 1) {
		if (lt.day > days_in(y, lt.month))
			return 0;
		lt.year = y;
		if (utc)
			*at = (rfc3339_days_from_civil(y, (unsigned)lt.month,
			    (unsigned)lt.day) * 86400 + lt.hour * 3600 + lt.min *
			    60 + lt.sec) * 1000000;
		else
			*at = zone_utc(o->zone, &lt);
	} else if (utc) {
		struct zone u;

		zone_fixed(&u, 0, "UTC");
		*at = nearest_year(&lt, &u, o->received);
		zone_free(&u);
	} else {
		if (lt.day > days_in(2024, lt.month))
			return 0;
		*at = nearest_year(&lt, o->zone, o->received);
	}
	*at += usec;
	return i;
}

static int
tag_char(char c)
{
	return c != ' ' && c != '[' && c != ':' && c != '\0';
}

static int
parse3164(const char *s, size_t n, size_t i, const struct syslog_opts *o,
    struct syslog_msg *m, char *err, size_t errlen)
{
	size_t len, k, tl;
	int colon = 0, host_given = 0;

	m->format = SYSLOG_RFC3164;
	/* Cisco's sequence number, "52: ". */
	for (k = i; k < n && s[k] >= '0' && s[k] <= '9'; k++)
		;
	if (k > i && k + 1 < n && s[k] == ':' && s[k + 1] == ' ')
		i = k + 2;
	if ((len = ts3164(s + i, n - i, o, &m->at, &colon)) == 0) {
		/* Cisco's `logging origin-id hostname`: "rtr1: *Nov 25 ...". */
		tl = token(s + i, n - i);
		if (tl > 1 && s[i + tl - 1] == ':' && i + tl + 1 < n &&
		    (len = ts3164(s + i + tl + 1, n - i - tl - 1, o, &m->at,
		    &colon)) != 0) {
			if (set_host(m, s + i, tl - 1, err, errlen) == -1)
				return -1;
			host_given = 1;
			i += tl + 1;
		} else
			return fail(err, errlen, "missing timestamp: expected "
			    "\"Mmm dd hh:mm:ss\" or an RFC 3339 time after the "
			    "PRI, got \"%.*s\"", (int)(n - i > 24 ? 24 : n - i),
			    s + i);
	}
	i += len;
	if (i < n && s[i] == ' ')
		i++;
	else if (i < n)
		return fail(err, errlen, "missing timestamp: the time is not "
		    "followed by a space");
	/*
	 * HOSTNAME, unless the time ended with a colon (Cisco writes the
	 * message straight after it) or the word is the TAG already.
	 */
	if (!colon && !host_given) {
		len = token(s + i, n - i);
		for (k = 0; k < len && tag_char(s[i + k]); k++)
			;
		if (len > 0 && k == len && i + len < n) {
			if (set_host(m, s + i, len, err, errlen) == -1)
				return -1;
			host_given = 1;
			i += len + 1;
		}
	}
	if (!host_given && o->sender != NULL &&
	    set_host(m, o->sender, strlen(o->sender), err, errlen) == -1)
		return -1;
	/* TAG[PID]: */
	if (!colon) {
		for (k = i; k < n && tag_char(s[k]) && k - i <= SYSLOG_APP_MAX; k++)
			;
		tl = k - i;
		if (tl > 0 && tl <= SYSLOG_APP_MAX && k < n && (s[k] == '[' ||
		    s[k] == ':')) {
			size_t p0 = 0, pl = 0, j = k;

			if (s[j] == '[') {
				p0 = ++j;
				while (j < n && s[j] != ']' && j - p0 <= SYSLOG_PROCID_MAX)
					j++;
				pl = j - p0;
				if (j >= n || s[j] != ']' || pl > SYSLOG_PROCID_MAX)
					goto no_tag;
				j++;
			}
			if (j < n && s[j] == ':')
				j++;
			else if (j < n && s[j] != ' ')
				goto no_tag;
			memcpy(m->app, s + i, tl);
			m->app[tl] = '\0';
			if (pl > 0) {
				memcpy(m->procid, s + p0, pl);
				m->procid[pl] = '\0';
			}
			i = j;
		}
	}
no_tag:
	return set_msg(m, s + i, n - i, 1, err, errlen);
}

int
syslog_parse(const char *s, size_t n, const struct syslog_opts *o,
    struct syslog_msg *m, char *err, size_t errlen)
{
	size_t i = 0;
	int pri = 0;

	memset(m, 0, sizeof(*m));
	m->received = o->received;
	if (parse_pri(s, n, &i, &pri, err, errlen) == -1)
		return -1;
	m->pri = pri;
	m->facility = pri / 8;
	m->severity = pri % 8;
	if (i + 1 < n && s[i] == '1' && s[i + 1] == ' ')
		return parse5424(s, n, i + 2, o, m, err, errlen);
	if (parse3164(s, n, i, o, m, err, errlen) == -1)
		return -1;
	/*
	 * RFC 3164 says nothing of the header's bytes; what is not UTF-8
	 * could not be stored (the host is in the event's source).
	 */
	if (syslog_utf8_check(m->host, strlen(m->host), NULL) == -1)
		return fail(err, errlen, "HOSTNAME: invalid UTF-8");
	if (syslog_utf8_check(m->app, strlen(m->app), NULL) == -1 ||
	    syslog_utf8_check(m->procid, strlen(m->procid), NULL) == -1)
		return fail(err, errlen, "TAG: invalid UTF-8");
	return 0;
}

void
syslog_framer_init(struct syslog_framer *f, size_t max)
{
	memset(f, 0, sizeof(*f));
	f->max = max;
}

enum syslog_frame_rc
syslog_frame_next(struct syslog_framer *f, const char *buf, size_t len,
    size_t *used, const char **msg, size_t *msglen, char *err, size_t errlen)
{
	const char *lf;
	size_t i = 0, n = 0, k;

	*used = 0;
	*msg = NULL;
	*msglen = 0;
	if (f->skip > 0) {
		/* The rest of an oversize counted frame, as it arrives. */
		k = len < f->skip ? len : f->skip;
		f->skip -= k;
		*used = k;
		return SYSLOG_FRAME_MORE;
	}
	if (f->skip_line) {
		for (k = 0; k < len && buf[k] != '\n' && buf[k] != '\0'; k++)
			;
		if (k == len) {
			*used = len;
			return SYSLOG_FRAME_MORE;
		}
		f->skip_line = 0;
		*used = k + 1;
		return SYSLOG_FRAME_MORE;
	}
	/* Between frames: the CR or LF some senders add after a counted one. */
	while (i < len && (buf[i] == '\n' || buf[i] == '\r' || buf[i] == '\0'))
		i++;
	if (i == len) {
		*used = i;
		return SYSLOG_FRAME_MORE;
	}
	if (buf[i] >= '1' && buf[i] <= '9') {
		for (k = i; k < len && buf[k] >= '0' && buf[k] <= '9'; k++) {
			if (k - i >= 10) {
				*used = i;
				snprintf(err, errlen, "octet-counting: a length of "
				    "more than 10 digits");
				return SYSLOG_FRAME_ERROR;
			}
			n = n * 10 + (size_t)(buf[k] - '0');
		}
		if (k == len) {
			*used = i;
			return SYSLOG_FRAME_MORE;
		}
		if (buf[k] != ' ') {
			*used = i;
			snprintf(err, errlen, "octet-counting: the length is not "
			    "followed by a space");
			return SYSLOG_FRAME_ERROR;
		}
		k++;
		if (n > f->max) {
			snprintf(err, errlen, "oversize frame: %zu bytes, more "
			    "than %zu", n, f->max);
			f->skip = n;
			*used = k;
			return SYSLOG_FRAME_DROP;
		}
		if (len - k < n) {
			*used = i;
			return SYSLOG_FRAME_MORE;
		}
		*msg = buf + k;
		*msglen = n;
		*used = k + n;
		return SYSLOG_FRAME_MSG;
	}
	if (buf[i] != '<') {
		*used = i;
		snprintf(err, errlen, "not a syslog frame: expected a length "
		    "(octet counting) or < (LF framing), got byte 0x%02x",
		    (unsigned char)buf[i]);
		return SYSLOG_FRAME_ERROR;
	}
	lf = memchr(buf + i, '\n', len - i);
	for (k = i; k < (lf ? (size_t)(lf - buf) : len); k++)
		if (buf[k] == '\0')
			break;
	if (k - i > f->max) {
		snprintf(err, errlen, "oversize frame: more than %zu bytes "
		    "before its LF", f->max);
		if (k < len) {
			*used = k + 1;
		} else {
			f->skip_line = 1;
			*used = len;
		}
		return SYSLOG_FRAME_DROP;
	}
	if (k == len) {
		*used = i;
		return SYSLOG_FRAME_MORE;
	}
	*msg = buf + i;
	*msglen = k - i;
	if (*msglen > 0 && buf[k - 1] == '\r')
		(*msglen)--;
	*used = k + 1;
	return SYSLOG_FRAME_MSG;
}
