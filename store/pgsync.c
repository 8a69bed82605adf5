/* SPDX-License-Identifier: MIT */
/*
 * Blocking libpq with a deadline, for start-up only.
 */
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

static void
copy_error(const char *msg, char *err, size_t errlen)
{
	size_t n;

	snprintf(err, errlen, "%s", msg != NULL ? msg : "unknown error");
	n = strlen(err);
	while (n > 0 && (err[n - 1] == '\n' || err[n - 1] == ' '))
		err[--n] = '\0';
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
