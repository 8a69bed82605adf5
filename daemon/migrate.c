/* SPDX-License-Identifier: MIT */
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

/* Creates or replaces every function of sql/functions/. */
static int
create_functions(PGconn *conn, int verbose, char *err, size_t errlen)
{
	const struct migration *f;
	char msg[1024];

	for (f = sql_functions; f->name != NULL; f++) {
		if (run(conn, f->sql, msg, sizeof(msg)) == -1) {
			snprintf(err, errlen, "functions/%s: %s", f->name, msg);
			return -1;
		}
		if (verbose > 1)
			printf("created functions/%s\n", f->name);
	}
	return 0;
}

int
migrate_apply(PGconn *conn, int verbose, char *err, size_t errlen)
{
	const struct migration *m;
	const char *p[1] = { sql_functions_digest };
	char ins[128], msg[1024];
	PGresult *res;
	int cur, applied = 0;

	/*
	 * Function bodies are not checked at creation, so that a function may
	 * name a table a later migration makes, and a migration (a trigger,
	 * say) may name a function: the functions are created before the
	 * migrations and again after them, for those a migration replaced.
	 */
	if (run(conn, "begin; select pg_advisory_xact_lock(" MIGRATE_LOCK "); "
	    "set local check_function_bodies = off; set local "
	    "client_min_messages = warning", err, errlen) == -1)
		return -1;
	if ((cur = migrate_current(conn, err, errlen)) == -1 ||
	    create_functions(conn, 0, err, errlen) == -1)
		goto fail;
	for (m = migrations; m->name != NULL; m++) {
		if (m->version <= cur)
			continue;
		if (run(conn, m->sql, msg, sizeof(msg)) == -1) {
			snprintf(err, errlen, "%s: %s", m->name, msg);
			goto fail;
		}
		snprintf(ins, sizeof(ins), "insert into schema_migrations "
		    "(version) values (%d)", m->version);
		if (run(conn, ins, err, errlen) == -1)
			goto fail;
		if (verbose)
			printf("applied %s\n", m->name);
		applied++;
	}
	if (create_functions(conn, verbose, err, errlen) == -1)
		goto fail;
	if (run(conn, "delete from schema_functions", err, errlen) == -1 ||
	    (res = pgsync_exec(conn, "insert into schema_functions (digest) "
	    "values ($1)", 1, p, err, errlen)) == NULL)
		goto fail;
	PQclear(res);
	if (run(conn, "commit", err, errlen) == -1)
		return -1;
	return applied;
fail:
	(void)run(conn, "rollback", msg, sizeof(msg));
	return -1;
}
