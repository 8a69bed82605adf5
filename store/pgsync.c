/* SPDX-License-Identifier: MIT */
/*
 * Blocking libpq with a deadline, for start-up only.
 */
/* program_invocation_short_name (glibc), for the server's notices. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "pgsync.h"

static long
ms_left(const struct timespec *deadline)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (deadline->tv_sec - now.tv_sec) * 1000 +
	    (deadline->tv_nsec - now.tv_nsec) / 1000000;
}

/*
 * libpq's message folded to one line: it may hold several (an error per
 * address tried, DETAIL, HINT, a caret under the query), and every
 * message of sochid and sochi is one line.
 */
static void
copy_error(const char *msg, char *err, size_t errlen)
{
	size_t o = 0;
	int brk = 0;

	if (errlen == 0)
		return;
	if (msg == NULL)
		msg = "unknown error";
	for (; *msg != '\0' && o + 1 < errlen; msg++) {
		if (*msg == '\n' || *msg == '\r') {
			while (o > 0 && (err[o - 1] == ' ' || err[o - 1] == '\t'))
				o--;
			brk = 1;
			continue;
		}
		if (brk && (*msg == ' ' || *msg == '\t'))
			continue;
		if (brk && o > 0 && o + 2 < errlen)
			err[o++] = ' ';
		brk = 0;
		err[o++] = *msg == '\t' ? ' ' : *msg;
	}
	while (o > 0 && err[o - 1] == ' ')
		o--;
	err[o] = '\0';
}

/*
 * A NOTICE or WARNING from the server, which libpq would print as it came
 * (several lines maybe): one line, after the program's name.
 */
static void
notice(void *arg, const char *msg)
{
	char line[1024];

	copy_error(msg, line, sizeof(line));
	fprintf(stderr, "%s: %s\n", program_invocation_short_name, line);
}

PGconn *
pgsync_connect(const char *conninfo, int timeout_s, char *err, size_t errlen)
{
	const char *keys[] = { "dbname", "application_name", NULL };
	const char *vals[] = { conninfo, "sochi", NULL };
	struct timespec deadline;
	PostgresPollingStatusType st = PGRES_POLLING_WRITING;
	struct pollfd pfd;
	PGconn *conn;
	long left;
	int rv;

	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += timeout_s;
	conn = PQconnectStartParams(keys, vals, 1);
	if (conn == NULL) {
		copy_error("out of memory", err, errlen);
		return NULL;
	}
	PQsetNoticeProcessor(conn, notice, NULL);
	while (PQstatus(conn) != CONNECTION_BAD && st != PGRES_POLLING_OK &&
	    st != PGRES_POLLING_FAILED) {
		pfd.fd = PQsocket(conn);
		pfd.events = st == PGRES_POLLING_READING ? POLLIN : POLLOUT;
		if ((left = ms_left(&deadline)) <= 0) {
			snprintf(err, errlen, "no answer from the database "
			    "within %d s", timeout_s);
			PQfinish(conn);
			return NULL;
		}
		rv = poll(&pfd, 1, (int)left);
		if (rv == -1 && errno != EINTR)
			break;
		if (rv == 0)
			continue;
		st = PQconnectPoll(conn);
	}
	if (PQstatus(conn) != CONNECTION_OK) {
		copy_error(PQerrorMessage(conn), err, errlen);
		PQfinish(conn);
		return NULL;
	}
	return conn;
}

PGresult *
pgsync_exec(PGconn *conn, const char *sql, int nparams,
    const char *const *params, char *err, size_t errlen)
{
	PGresult *res, *last = NULL;
	int sent, failed = 0;

	if (nparams > 0)
		sent = PQsendQueryParams(conn, sql, nparams, NULL, params, NULL,
		    NULL, 0);
	else
		sent = PQsendQuery(conn, sql);
	if (!sent) {
		copy_error(PQerrorMessage(conn), err, errlen);
		return NULL;
	}
	while ((res = PQgetResult(conn)) != NULL) {
		ExecStatusType st = PQresultStatus(res);

		if (!failed && st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
			copy_error(PQresultErrorMessage(res), err, errlen);
			failed = 1;
		}
		PQclear(last);
		last = res;
	}
	if (failed || last == NULL) {
		if (!failed)
			copy_error(PQerrorMessage(conn), err, errlen);
		PQclear(last);
		return NULL;
	}
	return last;
}
