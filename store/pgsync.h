/* SPDX-License-Identifier: MIT */
/*
 * Blocking database calls for start-up and one-shot commands (migrations,
 * the schema check, the CLI's reads).  Built on the asynchronous libpq calls
 * with a time limit, so that a database that does not answer cannot hang
 * sochid before its loop starts.  Never used inside the event loop.
 */
#ifndef SOCHI_PGSYNC_H
#define SOCHI_PGSYNC_H

#include <stddef.h>

#include <libpq-fe.h>

PGconn		*pgsync_connect(const char *, int, char *, size_t);
/* Runs sql (one or several statements); returns the last result or NULL with err. */
PGresult	*pgsync_exec(PGconn *, const char *, int, const char *const *,
		    char *, size_t);

#endif
