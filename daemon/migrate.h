/*
 * Schema migrations: sql/NNN_name.sql, embedded at build time.
 */
#ifndef SOCHID_MIGRATE_H
#define SOCHID_MIGRATE_H

#include <stddef.h>

#include <libpq-fe.h>

struct migration {
	int		 version;	/* NNN of the file name */
	const char	*name;		/* the file name */
	const char	*sql;		/* its text */
};

extern const struct migration migrations[];

int	migrate_latest(void);
/* The version the database is at: 0 for an empty one, -1 on error. */
int	migrate_current(PGconn *, char *, size_t);
/* Applies every missing migration, each in its own transaction. */
int	migrate_apply(PGconn *, int verbose, char *, size_t);

#endif
