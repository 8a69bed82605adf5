/* SPDX-License-Identifier: MIT */
/*
 * The schema: migrations (sql/NNN_name.sql, applied once each, in order)
 * and functions (sql/functions/NAME.sql, re-created at every migrate so that
 * no migration copies a function's body), embedded at build time.
 */
#ifndef SOCHID_MIGRATE_H
#define SOCHID_MIGRATE_H

#include <stddef.h>

#include <libpq-fe.h>

struct migration {
	int		 version;	/* NNN of the file name; 0 for a function */
	const char	*name;		/* the file name */
	const char	*sql;		/* its text */
};

extern const struct migration migrations[];
extern const struct migration sql_functions[];
/* sha256 of sql/functions/NAME.sql as built; stored by migrate_apply. */
extern const char sql_functions_digest[];

int	migrate_latest(void);
/* The version the database is at: 0 for an empty one, -1 on error. */
int	migrate_current(PGconn *, char *, size_t);
/*
 * Applies every missing migration and re-creates every function, all in
 * one transaction under an advisory lock.  Returns the number of
 * migrations applied, or -1 with err.
 */
int	migrate_apply(PGconn *, int verbose, char *, size_t);

/*
 * What a connection checks on connecting: one row, the schema version and
 * the digest of the functions the database holds (empty when unknown).
 */
#define MIGRATE_CHECK_SQL \
	"select coalesce((select max(version) from schema_migrations), 0), " \
	"coalesce((select digest from schema_functions order by applied_at " \
	"desc limit 1), '')"

#endif
