/* SPDX-License-Identifier: MIT */
/*
 * One module for every PostgreSQL connection of sochid (the writer's and
 * the drafter's): a non-blocking libpq connection inside a libevent loop,
 * in pipeline mode, that
 * - connects with PQconnectStartParams and reconnects after a capped,
 *   jittered backoff (never PQreset), with TCP keepalives and
 *   tcp_user_timeout in the conninfo, and a deadline on connecting too;
 * - checks on every (re)connection that the schema is at least the version
 *   this build needs and whether the functions are this build's, and, for
 *   a connection that writes, that the session is not read-only (a
 *   standby, default_transaction_read_only): such a server is treated as
 *   one that is down, so that the next attempt looks again (the next host
 *   of a multi-host conninfo, a standby promoted meanwhile); then sets the
 *   server-side statement timeout, LISTENs, and prepares its statements;
 * - puts a deadline on every request: past it the connection is dropped
 *   and reconnected (a cancel request would block the loop), and every
 *   request in flight is failed back to its owner, who may resend it (the
 *   writer's resends are idempotent);
 * - logs each change of state once, with the connection's name.
 *
 * Ownership: a struct db_req belongs to its owner, except from
 * db_conn_send() until its done() is called, exactly once.  After done()
 * returns the connection holds no pointer to it.
 */
#ifndef SOCHID_DB_CONN_H
#define SOCHID_DB_CONN_H

#include <sys/queue.h>

#include <stdint.h>

#include <event2/event.h>
#include <libpq-fe.h>

struct db_conn;

/* A statement to prepare on every connection. */
struct db_stmt {
	const char	*name;		/* its name in PQsendQueryPrepared */
	const char	*sql;		/* its text */
	int		 nparams;	/* $1 ... $n */
};

/* What came of a request. */
struct db_result {
	PGresult	*res;		/* the rows (the owner PQclears it), or NULL */
	int		 failed;	/* no rows: see below */
	int		 conn_lost;	/* the connection went before the answer */
	int		 timed_out;	/* ... because the request ran past its deadline */
	char		 sqlstate[6];	/* the server's error code, or "" */
	char		 error[512];	/* what went wrong, on one line */
};

struct db_req {
	TAILQ_ENTRY(db_req) entry;	/* in the connection's FIFO while it owns it */
	const char	*stmt;		/* a prepared statement's name, or NULL */
	const char	*sql;		/* or the statement's text */
	int		 nparams;	/* parameters */
	const char *const *params;	/* borrowed until sent */
	const int	*lengths;	/* of binary parameters, or NULL */
	const int	*formats;	/* 1 for binary, or NULL: all text */
	int64_t		 deadline;	/* monotonic µs; 0: sent + the connection's timeout */
	void		(*done)(struct db_req *, struct db_result *);
	void		*arg;		/* the owner's */
	/* The connection's, while it holds the request: */
	int64_t		 due;		/* the deadline in force */
	int64_t		 sent_at;	/* when it went into the pipeline, or 0 */
	struct db_result result;	/* collected as results arrive */
};
TAILQ_HEAD(db_req_list, db_req);

struct db_conn_config {
	const char	*name;		/* "writer", "drafter": in every log line */
	const char	*conninfo;	/* libpq conninfo; empty: PG* environment */
	int64_t		 timeout;	/* µs a request may take once sent */
	int		 depth;		/* requests in the pipeline at once */
	int		 schema_version; /* the least version this build works with */
	const char	*digest;	/* this build's functions, or NULL */
	int		 writable;	/* refuse a read-only session as if down */
	const char *const *listen;	/* channels to LISTEN on, NULL-terminated */
	const struct db_stmt *stmts;	/* statements to prepare, name NULL ends */
	void		(*on_ready)(void *); /* requests may be sent (again) */
	void		(*on_notify)(const char *, const char *, void *);
	void		*arg;		/* for both */
};

struct db_conn_stats {
	int		 ready;		/* connected and set up */
	int		 inflight;	/* requests in the pipeline */
	int64_t		 oldest;	/* µs the oldest of them has waited, or 0 */
	uint64_t	 reconnects;	/* connections made after the first */
	uint64_t	 timeouts;	/* requests that ran past their deadline */
	uint64_t	 failures;	/* attempts failed since it was last ready */
};

struct db_conn	*db_conn_new(struct event_base *, const struct db_conn_config *);
/* Fails whatever it still holds (conn_lost) and closes the connection. */
void		 db_conn_free(struct db_conn *);
/* Sends now; -1 if the connection is not ready or its pipeline is full. */
int		 db_conn_send(struct db_conn *, struct db_req *);
/* Ready, with room in the pipeline. */
int		 db_conn_room(const struct db_conn *);
/*
 * Drops the connection and makes a new one at once (the schema changed
 * under it, say); what is in flight fails with conn_lost.
 */
void		 db_conn_reset(struct db_conn *, const char *);
void		 db_conn_stats(const struct db_conn *, struct db_conn_stats *);

/* Monotonic µs, the clock of every deadline. */
int64_t		 db_conn_now(void);

#endif
