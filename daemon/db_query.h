/* SPDX-License-Identifier: MIT */
/*
 * The queries of a worker process (the drafter, the web view) on its own
 * connection (db_conn.h): prepared statements whose parameters are copied,
 * sent in order as the connection has room, each answered exactly once —
 * its rows, or why not.  A query may be given a wait: past it, still
 * unsent for want of a connection, it fails (the web view answers 503
 * then, rather than hold a page open while the database is away).
 */
#ifndef SOCHID_DB_QUERY_H
#define SOCHID_DB_QUERY_H

#include <stdint.h>

#include <event2/event.h>
#include <libpq-fe.h>

#include "db_conn.h"

/* The most parameters a query takes. */
#define DB_QUERY_PARAMS	8

struct db_queries;

/* The rows (the callee PQclears them), or NULL and why. */
typedef void (*db_query_cb)(PGresult *, const char *, void *);

/*
 * Makes the connection of cf; its on_ready is called once what waited has
 * been sent, and both it and on_notify get cf's arg.
 */
struct db_queries *db_queries_new(struct event_base *,
		    const struct db_conn_config *);
/*
 * Queues a prepared statement; wait is how long (µs) it may wait unsent,
 * 0 for as long as it takes.  cb is called exactly once, maybe at once.
 */
void		 db_queries_send(struct db_queries *, const char *, int,
		    const char *const *, int64_t, db_query_cb, void *);
/* Connected and set up. */
int		 db_queries_ready(const struct db_queries *);
/* Fails what it holds ("stopping"), then closes the connection. */
void		 db_queries_free(struct db_queries *);

#endif
