/*
 * Migrations.  Each runs in its own transaction under an advisory lock, so
 * that two `sochid --migrate` started together apply each file once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "migrate.h"
#include "pgsync.h"

/* An arbitrary number that names sochi's migration lock. */
#define MIGRATE_LOCK	"741900001"

int
migrate_latest(void)
{
	const struct migration *m;
	int v = 0;

	for (m = migrations; m->name != NULL; m++)
		if (m->version > v)
			v = m->version;
	return v;
}

int
migrate_current(PGconn *conn, char *err, size_t errlen)
{
	PGresult *res;
	int v;

	res = pgsync_exec(conn, "select to_regclass('schema_migrations') "
	    "is not null", 0, NULL, err, errlen);
	if (res == NULL)
		return -1;
	v = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	PQclear(res);
	if (!v)
		return 0;
	res = pgsync_exec(conn, "select coalesce(max(version), 0) from "
	    "schema_migrations", 0, NULL, err, errlen);
	if (res == NULL)
		return -1;
	v = atoi(PQgetvalue(res, 0, 0));
	PQclear(res);
	return v;
}

static int
run(PGconn *conn, const char *sql, char *err, size_t errlen)
{
	PGresult *res = pgsync_exec(conn, sql, 0, NULL, err, errlen);

	if (res == NULL)
		return -1;
	PQclear(res);
	return 0;
}

int
migrate_apply(PGconn *conn, int verbose, char *err, size_t errlen)
{
	const struct migration *m;
	char ins[128], msg[1024];
	int cur;

	for (m = migrations; m->name != NULL; m++) {
		if (run(conn, "begin; select pg_advisory_xact_lock("
		    MIGRATE_LOCK ")", err, errlen) == -1)
			return -1;
		if ((cur = migrate_current(conn, err, errlen)) == -1)
			goto fail;
		if (m->version <= cur) {
			if (run(conn, "commit", err, errlen) == -1)
				return -1;
			continue;
		}
		if (run(conn, m->sql, msg, sizeof(msg)) == -1) {
			snprintf(err, errlen, "%s: %s", m->name, msg);
			goto fail;
		}
		snprintf(ins, sizeof(ins), "insert into schema_migrations "
		    "(version) values (%d)", m->version);
		if (run(conn, ins, err, errlen) == -1 ||
		    run(conn, "commit", err, errlen) == -1)
			goto fail;
		if (verbose)
			printf("applied %s\n", m->name);
	}
	return 0;
fail:
	(void)run(conn, "rollback", msg, sizeof(msg));
	return -1;
}
