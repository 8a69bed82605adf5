/* SPDX-License-Identifier: MIT */
/*
 * Logging.  One line per message on standard error.
 *
 * Under systemd, standard error is a stream to the journal, which keeps
 * the time and takes a line's priority from a "<N>" prefix (sd-daemon(3)):
 * sochid knows it is so when $JOURNAL_STREAM names the device and inode of
 * its standard error, and then writes "<N>NAME: message".  Anywhere else
 * (a terminal, the sandbox's log file, a service manager that does not say)
 * a line carries its own time, ISO 8601 with the offset, and the level:
 * "2026-11-25T12:40:00.123+09:00 NAME: warning: message".
 *
 * A message is always one line: libpq's messages (DETAIL, HINT, a
 * connection error per address tried) come with newlines, folded here to
 * spaces so that one event is one line for grep, the journal and log
 * shippers alike.
 */
#include <sys/stat.h>
#include <sys/time.h>

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

/* The priorities of sd-daemon.h, for each of our levels and fatal. */
#define SD_CRIT		2
#define SD_ERR		3
#define SD_WARNING	4
#define SD_INFO		6
#define SD_DEBUG	7

static const char	*log_name = "sochid";
static enum log_level	 log_level = LOG_LEVEL_INFO;
static int		 log_journal;	/* stderr is the journal's stream */

/* Whether $JOURNAL_STREAM ("DEV:INO") is our standard error. */
static int
journal_stream(void)
{
	const char *env = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;
	char *end;

	if (env == NULL || *env == '\0')
		return 0;
	errno = 0;
	dev = strtoull(env, &end, 10);
	if (errno != 0 || end == env || *end != ':')
		return 0;
	env = end + 1;
	ino = strtoull(env, &end, 10);
	if (errno != 0 || end == env || *end != '\0')
		return 0;
	if (fstat(STDERR_FILENO, &st) == -1)
		return 0;
	return (unsigned long long)st.st_dev == dev &&
	    (unsigned long long)st.st_ino == ino;
}

void
log_init(const char *name, enum log_level level)
{
	log_name = name;
	log_level = level;
	log_journal = journal_stream();
}

void
log_setlevel(enum log_level level)
{
	log_level = level;
}

enum log_level
log_getlevel(void)
{
	return log_level;
}

/*
 * Copies src to dst folded to one line: each run of line breaks (and the
 * blanks around them) becomes one space, other control characters a space,
 * trailing blanks go.
 */
void
log_fold(char *dst, size_t len, const char *src)
{
	size_t o = 0;
	int brk = 0;

	if (len == 0)
		return;
	for (; *src != '\0' && o + 1 < len; src++) {
		unsigned char ch = (unsigned char)*src;

		if (ch == '\n' || ch == '\r') {
			while (o > 0 && (dst[o - 1] == ' ' || dst[o - 1] == '\t'))
				o--;
			brk = 1;
			continue;
		}
		if (brk && (ch == ' ' || ch == '\t'))
			continue;
		if (brk && o > 0 && o + 2 < len)
			dst[o++] = ' ';
		brk = 0;
		dst[o++] = ch < 0x20 || ch == 0x7f ? ' ' : (char)ch;
	}
	while (o > 0 && (dst[o - 1] == ' ' || dst[o - 1] == '\t'))
		o--;
	dst[o] = '\0';
}

/* Now as 2026-11-25T12:40:00.123+09:00, in the process's zone. */
static void
timestamp(char *buf, size_t len)
{
	struct timeval tv;
	struct tm tm;
	char date[24];
	unsigned off, ms;

	gettimeofday(&tv, NULL);
	localtime_r(&tv.tv_sec, &tm);
	strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S", &tm);
	/* Offsets are within a day; the bounds tell the compiler so too. */
	off = (unsigned)labs(tm.tm_gmtoff) % 86400;
	ms = (unsigned)(tv.tv_usec / 1000) % 1000;
	snprintf(buf, len, "%s.%03u%c%02u:%02u", date, ms,
	    tm.tm_gmtoff < 0 ? '-' : '+', off / 3600, off % 3600 / 60);
}

static void
vlog(enum log_level level, int prio, const char *what, int with_errno,
    const char *fmt, va_list ap)
{
	int saved = errno;
	char msg[2048], flat[2048], line[2200], ts[48];
	size_t off;
	int n;

	if (level > log_level)
		return;
	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	if (with_errno && n >= 0 && (size_t)n < sizeof(msg))
		snprintf(msg + n, sizeof(msg) - (size_t)n, ": %s",
		    strerror(saved));
	log_fold(flat, sizeof(flat), msg);
	if (log_journal)
		n = snprintf(line, sizeof(line), "<%d>%s: %s\n", prio, log_name,
		    flat);
	else {
		timestamp(ts, sizeof(ts));
		n = snprintf(line, sizeof(line), "%s %s: %s: %s\n", ts, log_name,
		    what, flat);
	}
	if (n < 0)
		goto out;
	if ((size_t)n >= sizeof(line)) {
		n = sizeof(line) - 1;
		line[n - 1] = '\n';
	}
	/* One write per line: the drafter shares this standard error. */
	for (off = 0; off < (size_t)n; ) {
		ssize_t w = write(STDERR_FILENO, line + off, (size_t)n - off);

		if (w == -1 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		off += (size_t)w;
	}
out:
	errno = saved;
}

void
log_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_LEVEL_WARN, SD_WARNING, "warning", 1, fmt, ap);
	va_end(ap);
}

void
log_warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_LEVEL_WARN, SD_WARNING, "warning", 0, fmt, ap);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_LEVEL_INFO, SD_INFO, "info", 0, fmt, ap);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_LEVEL_DEBUG, SD_DEBUG, "debug", 0, fmt, ap);
	va_end(ap);
}

void
fatal(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_LEVEL_ERROR, SD_CRIT, "fatal", 1, fmt, ap);
	va_end(ap);
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_LEVEL_ERROR, SD_CRIT, "fatal", 0, fmt, ap);
	va_end(ap);
	exit(1);
}
