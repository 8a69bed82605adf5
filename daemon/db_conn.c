/* SPDX-License-Identifier: MIT */
/*
 * PostgreSQL connections inside the event loop.  See db_conn.h.
 *
 * libpq is used as STYLE.md asks: non-blocking, PQsend* only, pipeline
 * mode with one Sync per request (each request is its own transaction),
 * results drained in the order the requests were sent, PQflush until it
 * returns 0 while watching both read and write, PQsocket re-read at every
 * connect step, a fresh PQconnectStartParams after a backoff rather than
 * PQreset.
 */
#include <sys/random.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db_conn.h"
#include "log.h"

#define BACKOFF_MIN_MS	100
#define BACKOFF_MAX_MS	2000

enum dbc_state {
	DBC_DOWN,		/* no connection; the timer starts the next one */
	DBC_CONNECTING,		/* PQconnectPoll in progress */
	DBC_SETUP,		/* schema check, LISTEN, PREPARE in flight */
	DBC_READY,		/* requests flow */
	DBC_FAILING		/* broken; torn down on the next loop turn */
};

static const char *const state_names[] = { "down", "connecting", "setup",
    "ready", "failing" };

struct db_conn {
	struct event_base *base;	/* the loop */
	struct db_conn_config cf;	/* as given; strings below are copies */
	char		*name;		/* for the log */
	char		*conninfo;	/* libpq conninfo */
	enum dbc_state	 state;		/* see above */
	PGconn		*pg;		/* the connection, when there is one */
	struct event	*ev_sock;	/* watches PQsocket() */
	int		 sock_fd;	/* the fd ev_sock watches */
	short		 sock_what;	/* and for what */
	int		 flushing;	/* PQflush said 1: watch for write too */
	struct event	*ev_timer;	/* backoff, connect and request deadlines */
	struct db_req_list fifo;	/* in the pipeline, oldest first */
	int		 ninflight;	/* owners' requests in fifo */
	struct db_req	*setup;		/* the connection's own first requests */
	int		 nsetup;	/* how many */
	int		 setup_left;	/* not yet answered */
	const char	*timeout_param[1]; /* $1 of the check: timeout in ms */
	char		 timeout_ms[24]; /* its text */
	int64_t		 connect_due;	/* give up connecting then */
	unsigned	 backoff_ms;	/* the next backoff, before jitter */
	uint64_t	 rng;		/* xorshift state for the jitter */
	int		 ever_ready;	/* a connection was set up before */
	int		 outage_logged;	/* the current outage was logged */
	char		 logged_why[512]; /* ... and why, as it was last said */
	int		 digest_warned;	/* the functions' digest differed */
	int		 schema_warned;	/* the schema's version was too old */
	char		**listen_sql;	/* "listen NAME" per channel */
	int		 closing;	/* db_conn_free: no more warnings */
	char		 fail_why[512];	/* DBC_FAILING: why */
	int		 fail_timed_out; /* DBC_FAILING: a deadline passed */
	struct db_conn_stats stats;	/* for /healthz and /metrics */
};

static void	dbc_sock_cb(evutil_socket_t, short, void *);
static void	dbc_timer_cb(evutil_socket_t, short, void *);
static void	dbc_fail(struct db_conn *, const char *, int);
static void	dbc_arm(struct db_conn *);

int64_t
db_conn_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void
dbc_set_state(struct db_conn *c, enum dbc_state s)
{
	if (c->state != s)
		log_debug("db %s: %s -> %s", c->name, state_names[c->state],
		    state_names[s]);
	c->state = s;
	c->stats.ready = s == DBC_READY;
}

static void
dbc_watch(struct db_conn *c, int fd, short what)
{
	if (c->ev_sock != NULL && (fd != c->sock_fd || what != c->sock_what)) {
		event_free(c->ev_sock);
		c->ev_sock = NULL;
	}
	if (c->ev_sock == NULL && fd >= 0) {
		c->ev_sock = event_new(c->base, fd, what | EV_PERSIST,
		    dbc_sock_cb, c);
		if (c->ev_sock == NULL)
			fatalx("db %s: event_new failed", c->name);
		event_add(c->ev_sock, NULL);
		c->sock_fd = fd;
		c->sock_what = what;
	}
}

/* Copies a libpq message, folded to one line. */
static void
one_line(char *dst, size_t len, const char *msg)
{
	size_t i, o = 0;
	int space = 0;

	if (msg == NULL)
		msg = "unknown error";
	for (i = 0; msg[i] != '\0' && o + 1 < len; i++) {
		if (msg[i] == '\n' || msg[i] == '\r' || msg[i] == '\t' ||
		    msg[i] == ' ') {
			space = 1;
			continue;
		}
		if (space && o > 0 && o + 2 < len)
			dst[o++] = ' ';
		space = 0;
		dst[o++] = msg[i];
	}
	dst[o] = '\0';
}

/*
 * A NOTICE or WARNING the server sends (libpq would print it, several
 * lines maybe, straight to standard error): one line of the log instead.
 */
static void
dbc_notice(void *arg, const char *msg)
{
	struct db_conn *c = arg;
	char line[1024];

	one_line(line, sizeof(line), msg);
	log_warnx("db %s: the server says: %s", c->name, line);
}

static unsigned
dbc_jitter(struct db_conn *c, unsigned ms)
{
	uint64_t x = c->rng;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	c->rng = x;
	/* Within ±25%, so that several daemons do not knock in step. */
	return ms * 3 / 4 + (unsigned)(x % (ms / 2 + 1));
}

/* The earliest deadline among the requests in flight, or 0. */
static int64_t
dbc_next_due(const struct db_conn *c)
{
	struct db_req *r;
	int64_t due = 0;

	TAILQ_FOREACH(r, &c->fifo, entry)
		if (due == 0 || r->due < due)
			due = r->due;
	return due;
}

/* Sets the timer for what the state waits on. */
static void
dbc_arm(struct db_conn *c)
{
	int64_t due = 0, wait;

	switch (c->state) {
	case DBC_CONNECTING:
	case DBC_SETUP:
		due = c->connect_due;
		break;
	case DBC_READY:
		due = dbc_next_due(c);
		break;
	default:
		return;
	}
	if (due == 0) {
		evtimer_del(c->ev_timer);
		return;
	}
	wait = due - db_conn_now();
	if (wait < 0)
		wait = 0;
	event_add(c->ev_timer, &(struct timeval){ wait / 1000000,
	    wait % 1000000 });
}

/* Puts one request in the pipeline; -1 when libpq would not take it. */
static int
dbc_put(struct db_conn *c, struct db_req *r, int prepare)
{
	int ok;

	memset(&r->result, 0, sizeof(r->result));
	if (prepare)
		ok = PQsendPrepare(c->pg, r->stmt, r->sql, r->nparams, NULL);
	else if (r->stmt != NULL)
		ok = PQsendQueryPrepared(c->pg, r->stmt, r->nparams, r->params,
		    r->lengths, r->formats, 0);
	else
		ok = PQsendQueryParams(c->pg, r->sql, r->nparams, NULL,
		    r->params, r->lengths, r->formats, 0);
	if (!ok || !PQpipelineSync(c->pg))
		return -1;
	r->sent_at = db_conn_now();
	r->due = r->deadline != 0 ? r->deadline : r->sent_at + c->cf.timeout;
	TAILQ_INSERT_TAIL(&c->fifo, r, entry);
	return 0;
}

static void
dbc_flush(struct db_conn *c)
{
	int rv = PQflush(c->pg);

	if (rv == -1) {
		dbc_fail(c, PQerrorMessage(c->pg), 0);
		return;
	}
	c->flushing = rv == 1;
	dbc_watch(c, PQsocket(c->pg), c->flushing ? EV_READ | EV_WRITE :
	    EV_READ);
}

/* The schema check's answer: version, digest. */
static void
dbc_check_done(struct db_req *r, struct db_result *res)
{
	struct db_conn *c = r->arg;
	char why[600];
	int version;

	if (res->failed || res->res == NULL || PQntuples(res->res) != 1) {
		snprintf(why, sizeof(why), "schema check failed: %s",
		    res->failed ? res->error : "no row");
		PQclear(res->res);
		dbc_fail(c, why, 0);
		return;
	}
	version = atoi(PQgetvalue(res->res, 0, 0));
	if (version < c->cf.schema_version) {
		snprintf(why, sizeof(why), "the database schema is at version %d "
		    "and this sochid needs version %d: run `sochid --migrate`",
		    version, c->cf.schema_version);
		PQclear(res->res);
		/* Said once, whatever was said of the outage before it. */
		if (!c->schema_warned)
			log_warnx("db %s: %s", c->name, why);
		c->schema_warned = 1;
		/* Not worth knocking fast: someone has to migrate first. */
		c->backoff_ms = BACKOFF_MAX_MS;
		dbc_fail(c, why, 0);
		return;
	}
	/*
	 * A standby (or a server set default_transaction_read_only) answers
	 * everything but a write: a connection that must write is no
	 * connection there.  Failing it here, before it is ready, makes it an
	 * outage like a server that refuses connections (the writer journals
	 * at once, the attempts back off), where failing each batch would
	 * send them round and round.
	 */
	if (c->cf.writable && strcmp(PQgetvalue(res->res, 0, 5), "on") == 0) {
		PQclear(res->res);
		dbc_fail(c, "the server is read-only (a standby, or "
		    "default_transaction_read_only is on)", 0);
		return;
	}
	if (c->cf.digest != NULL &&
	    strcmp(PQgetvalue(res->res, 0, 1), c->cf.digest) != 0 &&
	    !c->digest_warned) {
		log_warnx("db %s: the database's functions (schema version %d) "
		    "are not this sochid's; run `sochid --migrate` with the "
		    "sochid that runs", c->name, version);
		c->digest_warned = 1;
	}
	PQclear(res->res);
}

/* LISTEN and PREPARE answers. */
static void
dbc_setup_done(struct db_req *r, struct db_result *res)
{
	struct db_conn *c = r->arg;
	char why[700];

	PQclear(res->res);
	if (res->failed) {
		snprintf(why, sizeof(why), "setting up the connection failed: "
		    "%s", res->error);
		dbc_fail(c, why, 0);
	}
}

static void
dbc_ready(struct db_conn *c)
{
	if (c->ever_ready)
		c->stats.reconnects++;
	if (c->outage_logged || !c->ever_ready)
		log_info("db %s: connected", c->name);
	c->ever_ready = 1;
	c->outage_logged = 0;
	c->stats.failures = 0;
	c->schema_warned = 0;
	c->backoff_ms = BACKOFF_MIN_MS;
	dbc_set_state(c, DBC_READY);
	dbc_arm(c);
	if (c->cf.on_ready != NULL)
		c->cf.on_ready(c->cf.arg);
}

/* Connected: pipeline mode, then the connection's own requests. */
static void
dbc_connected(struct db_conn *c)
{
	int i;

	if (PQsetnonblocking(c->pg, 1) == -1 || !PQenterPipelineMode(c->pg)) {
		dbc_fail(c, PQerrorMessage(c->pg), 0);
		return;
	}
	dbc_set_state(c, DBC_SETUP);
	c->setup_left = c->nsetup;
	for (i = 0; i < c->nsetup; i++)
		if (dbc_put(c, &c->setup[i], c->setup[i].stmt != NULL) == -1) {
			dbc_fail(c, PQerrorMessage(c->pg), 0);
			return;
		}
	dbc_flush(c);
	dbc_arm(c);
}

static void
dbc_connect_step(struct db_conn *c)
{
	PostgresPollingStatusType st = PQconnectPoll(c->pg);

	/*
	 * In that step libpq may have closed its socket and opened another
	 * (the next host of a multi-host conninfo, the next address of a
	 * name), which the kernel most likely gave the same number.  The
	 * closed one left epoll with it; a watch kept because the number and
	 * the direction did not change would never fire for the new one, and
	 * the attempt would hang until its deadline, every time.  So the
	 * watch is made anew after every step.
	 */
	dbc_watch(c, -1, 0);
	switch (st) {
	case PGRES_POLLING_OK:
		dbc_connected(c);
		return;
	case PGRES_POLLING_READING:
		dbc_watch(c, PQsocket(c->pg), EV_READ);
		return;
	case PGRES_POLLING_WRITING:
		dbc_watch(c, PQsocket(c->pg), EV_WRITE);
		return;
	default:
		dbc_fail(c, PQerrorMessage(c->pg), 0);
	}
}

static void
dbc_connect(struct db_conn *c)
{
	char tmo[24];
	const char *keys[] = { "keepalives", "keepalives_idle",
	    "keepalives_interval", "keepalives_count", "tcp_user_timeout",
	    "application_name", "dbname", "client_encoding", NULL };
	const char *vals[] = { "1", "10", "5", "3", tmo, NULL, c->conninfo,
	    "UTF8", NULL };
	char app[64];

	/*
	 * Defaults first, the configured conninfo after them: libpq keeps the
	 * last value of a key, so the configuration may override any of them
	 * but the encoding: everything sochid sends is UTF-8.
	 * tcp_user_timeout bounds how long sent data may stay unacknowledged
	 * by a server that vanished without a word.
	 */
	snprintf(tmo, sizeof(tmo), "%lld", (long long)(c->cf.timeout / 1000));
	snprintf(app, sizeof(app), "sochid %s", c->name);
	vals[5] = app;
	c->connect_due = db_conn_now() + c->cf.timeout;
	dbc_set_state(c, DBC_CONNECTING);
	c->pg = PQconnectStartParams(keys, vals, 1);
	if (c->pg == NULL) {
		dbc_fail(c, "out of memory", 0);
		return;
	}
	PQsetNoticeProcessor(c->pg, dbc_notice, c);
	/* A local server that is not there fails at once. */
	if (PQstatus(c->pg) == CONNECTION_BAD) {
		dbc_fail(c, PQerrorMessage(c->pg), 0);
		return;
	}
	dbc_watch(c, PQsocket(c->pg), EV_WRITE);
	dbc_arm(c);
}

/*
 * Tears the connection down and fails, in order, whatever it held.  Safe
 * to call from anywhere but an owner's done(): the owners are called back
 * last, with the connection already down.
 */
static void
dbc_teardown(struct db_conn *c, const char *why, int timed_out)
{
	struct db_req_list failed;
	struct db_req *r;
	struct db_result res;
	unsigned wait;

	/*
	 * An outage is said once, and again only when its reason changes (a
	 * server that was down comes back read-only, say): every failed
	 * attempt would fill the log.
	 */
	if (c->closing)
		log_debug("db %s: closed", c->name);
	else if (!c->outage_logged || strcmp(why, c->logged_why) != 0)
		log_warnx("db %s: %s%s", c->name, why, c->ever_ready ?
		    "; reconnecting" : "; retrying");
	else
		log_debug("db %s: attempt failed: %s", c->name, why);
	if (why != c->logged_why)
		snprintf(c->logged_why, sizeof(c->logged_why), "%s", why);
	if (c->state == DBC_CONNECTING || c->state == DBC_SETUP ||
	    c->state == DBC_FAILING)
		c->stats.failures++;
	c->outage_logged = 1;
	if (c->pg != NULL)
		PQfinish(c->pg);
	c->pg = NULL;
	c->flushing = 0;
	dbc_watch(c, -1, 0);
	dbc_set_state(c, DBC_DOWN);
	c->ninflight = 0;
	c->stats.inflight = 0;

	TAILQ_INIT(&failed);
	while ((r = TAILQ_FIRST(&c->fifo)) != NULL) {
		TAILQ_REMOVE(&c->fifo, r, entry);
		PQclear(r->result.res);
		r->result.res = NULL;
		r->sent_at = 0;
		if (r >= c->setup && r < c->setup + c->nsetup)
			continue;
		TAILQ_INSERT_TAIL(&failed, r, entry);
	}

	wait = dbc_jitter(c, c->backoff_ms);
	c->backoff_ms = c->backoff_ms * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS :
	    c->backoff_ms * 2;
	event_add(c->ev_timer, &(struct timeval){ wait / 1000,
	    (wait % 1000) * 1000 });

	while ((r = TAILQ_FIRST(&failed)) != NULL) {
		TAILQ_REMOVE(&failed, r, entry);
		memset(&res, 0, sizeof(res));
		res.failed = res.conn_lost = 1;
		res.timed_out = timed_out;
		snprintf(res.error, sizeof(res.error), "%s", why);
		r->done(r, &res);
	}
}

/*
 * A failure noticed while libpq or an owner is in the middle of something:
 * the teardown happens on the next turn of the loop, never under a caller.
 */
static void
dbc_fail(struct db_conn *c, const char *why, int timed_out)
{
	if (c->state == DBC_FAILING || c->state == DBC_DOWN)
		return;
	one_line(c->fail_why, sizeof(c->fail_why), why);
	c->fail_timed_out = timed_out;
	dbc_set_state(c, DBC_FAILING);
	evtimer_del(c->ev_timer);
	event_active(c->ev_timer, EV_TIMEOUT, 0);
}

static void
dbc_timer_cb(evutil_socket_t fd, short what, void *arg)
{
	struct db_conn *c = arg;
	char why[128];

	switch (c->state) {
	case DBC_DOWN:
		dbc_connect(c);
		return;
	case DBC_FAILING:
		dbc_teardown(c, c->fail_why, c->fail_timed_out);
		return;
	case DBC_CONNECTING:
	case DBC_SETUP:
		if (db_conn_now() < c->connect_due) {
			dbc_arm(c);
			return;
		}
		snprintf(why, sizeof(why), "no connection within %lld s",
		    (long long)(c->cf.timeout / 1000000));
		dbc_teardown(c, why, 1);
		return;
	case DBC_READY:
		if (dbc_next_due(c) == 0 || db_conn_now() < dbc_next_due(c)) {
			dbc_arm(c);
			return;
		}
		c->stats.timeouts++;
		snprintf(why, sizeof(why), "a request ran past its deadline "
		    "(%lld s); dropping the connection",
		    (long long)(c->cf.timeout / 1000000));
		dbc_teardown(c, why, 1);
		return;
	}
}

/* The head request's next result. */
static void
dbc_take(struct db_conn *c, struct db_req *r, PGresult *pr)
{
	const char *st, *msg;

	switch (PQresultStatus(pr)) {
	case PGRES_TUPLES_OK:
		if (r->result.res == NULL && !r->result.failed) {
			r->result.res = pr;
			return;
		}
		break;
	case PGRES_COMMAND_OK:
		break;
	case PGRES_FATAL_ERROR:
	case PGRES_NONFATAL_ERROR:
		if (!r->result.failed) {
			st = PQresultErrorField(pr, PG_DIAG_SQLSTATE);
			msg = PQresultErrorField(pr, PG_DIAG_MESSAGE_PRIMARY);
			r->result.failed = 1;
			snprintf(r->result.sqlstate, sizeof(r->result.sqlstate),
			    "%s", st != NULL ? st : "");
			one_line(r->result.error, sizeof(r->result.error),
			    msg != NULL ? msg : PQresultErrorMessage(pr));
		}
		break;
	case PGRES_PIPELINE_ABORTED:
		if (!r->result.failed) {
			r->result.failed = 1;
			snprintf(r->result.error, sizeof(r->result.error),
			    "aborted by an earlier error");
		}
		break;
	default:
		if (!r->result.failed) {
			r->result.failed = 1;
			snprintf(r->result.error, sizeof(r->result.error),
			    "unexpected result %s",
			    PQresStatus(PQresultStatus(pr)));
		}
		break;
	}
	PQclear(pr);
}

/* The head request is complete: hand it back. */
static void
dbc_finish(struct db_conn *c, struct db_req *r)
{
	struct db_result res;
	int own = r >= c->setup && r < c->setup + c->nsetup;

	TAILQ_REMOVE(&c->fifo, r, entry);
	r->sent_at = 0;
	res = r->result;
	memset(&r->result, 0, sizeof(r->result));
	if (res.failed && res.res != NULL) {
		PQclear(res.res);
		res.res = NULL;
	}
	if (own) {
		r->done(r, &res);
		if (c->state == DBC_SETUP && --c->setup_left == 0)
			dbc_ready(c);
		return;
	}
	c->ninflight--;
	c->stats.inflight = c->ninflight;
	dbc_arm(c);
	r->done(r, &res);
}

static void
dbc_read(struct db_conn *c)
{
	struct db_req *r;
	PGnotify *n;
	PGresult *pr;
	int nulls = 0;

	while ((c->state == DBC_SETUP || c->state == DBC_READY) &&
	    (r = TAILQ_FIRST(&c->fifo)) != NULL && !PQisBusy(c->pg)) {
		if ((pr = PQgetResult(c->pg)) == NULL) {
			/* The end of a statement's results; two in a row: wait. */
			if (++nulls > 1)
				break;
			continue;
		}
		nulls = 0;
		if (PQresultStatus(pr) == PGRES_PIPELINE_SYNC) {
			PQclear(pr);
			dbc_finish(c, r);
			continue;
		}
		dbc_take(c, r, pr);
	}
	while (c->pg != NULL && c->state != DBC_FAILING &&
	    (n = PQnotifies(c->pg)) != NULL) {
		if (c->cf.on_notify != NULL)
			c->cf.on_notify(n->relname, n->extra, c->cf.arg);
		PQfreemem(n);
	}
	if (c->pg != NULL && c->state != DBC_FAILING &&
	    PQstatus(c->pg) != CONNECTION_OK)
		dbc_fail(c, PQerrorMessage(c->pg), 0);
}

static void
dbc_sock_cb(evutil_socket_t fd, short what, void *arg)
{
	struct db_conn *c = arg;

	switch (c->state) {
	case DBC_CONNECTING:
		dbc_connect_step(c);
		return;
	case DBC_SETUP:
	case DBC_READY:
		if ((what & EV_READ) && !PQconsumeInput(c->pg)) {
			dbc_fail(c, PQerrorMessage(c->pg), 0);
			return;
		}
		if (c->flushing) {
			dbc_flush(c);
			if (c->state == DBC_FAILING)
				return;
		}
		dbc_read(c);
		return;
	default:
		return;
	}
}

int
db_conn_send(struct db_conn *c, struct db_req *r)
{
	if (!db_conn_room(c))
		return -1;
	if (dbc_put(c, r, 0) == -1) {
		dbc_fail(c, PQerrorMessage(c->pg), 0);
		return -1;
	}
	c->ninflight++;
	c->stats.inflight = c->ninflight;
	dbc_flush(c);
	dbc_arm(c);
	return 0;
}

int
db_conn_room(const struct db_conn *c)
{
	return c->state == DBC_READY && c->ninflight < c->cf.depth;
}

void
db_conn_reset(struct db_conn *c, const char *why)
{
	dbc_fail(c, why, 0);
	/* No backoff: the server is there, only the session must be new. */
	c->backoff_ms = BACKOFF_MIN_MS;
}

void
db_conn_stats(const struct db_conn *c, struct db_conn_stats *s)
{
	struct db_req *r = TAILQ_FIRST(&c->fifo);

	*s = c->stats;
	s->oldest = 0;
	if (c->state == DBC_READY && r != NULL && c->ninflight > 0)
		s->oldest = db_conn_now() - r->sent_at;
}

struct db_conn *
db_conn_new(struct event_base *base, const struct db_conn_config *cf)
{
	struct db_conn *c;
	const struct db_stmt *st;
	size_t nlisten = 0, nstmts = 0, i, k = 0;
	char sql[1024];

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	c->base = base;
	c->cf = *cf;
	c->sock_fd = -1;
	TAILQ_INIT(&c->fifo);
	c->name = strdup(cf->name);
	c->conninfo = strdup(cf->conninfo != NULL ? cf->conninfo : "");
	c->backoff_ms = BACKOFF_MIN_MS;
	if (getrandom(&c->rng, sizeof(c->rng), 0) != sizeof(c->rng) ||
	    c->rng == 0)
		c->rng = 0x9e3779b97f4a7c15ULL;
	for (i = 0; cf->listen != NULL && cf->listen[i] != NULL; i++)
		nlisten++;
	for (st = cf->stmts; st != NULL && st->name != NULL; st++)
		nstmts++;
	c->nsetup = (int)(1 + nlisten + nstmts);
	c->setup = calloc((size_t)c->nsetup, sizeof(*c->setup));
	c->listen_sql = calloc(nlisten + 1, sizeof(*c->listen_sql));
	c->ev_timer = evtimer_new(base, dbc_timer_cb, c);
	if (c->name == NULL || c->conninfo == NULL || c->setup == NULL ||
	    c->listen_sql == NULL || c->ev_timer == NULL) {
		db_conn_free(c);
		return NULL;
	}

	/*
	 * The check: the schema's version and the functions' digest, and the
	 * server-side limits that match the client's deadline, so that a
	 * statement the client gave up on is also stopped on the server.
	 */
	/*
	 * A second more on the server than the client waits: the client's
	 * deadline decides, and the server stops what the client gave up on
	 * (client_connection_check_interval notices the dropped connection).
	 * jit off: every statement of sochid reads or writes rows by index,
	 * and a plan estimated dear (an incident of a million events) would
	 * spend seconds compiling to save milliseconds (DESIGN.md).
	 */
	snprintf(c->timeout_ms, sizeof(c->timeout_ms), "%lld",
	    (long long)(cf->timeout / 1000 + 1000));
	c->timeout_param[0] = c->timeout_ms;
	snprintf(sql, sizeof(sql), "select coalesce((select max(version) from "
	    "schema_migrations), 0), coalesce((select digest from "
	    "schema_functions order by applied_at desc limit 1), ''), "
	    "set_config('statement_timeout', $1, false), "
	    "set_config('idle_in_transaction_session_timeout', $1, false), "
	    "case when current_setting('server_version_num')::int >= 140000 "
	    "then set_config('client_connection_check_interval', '1000', "
	    "false) end, current_setting('transaction_read_only'), "
	    "case when current_setting('server_version_num')::int >= 110000 "
	    "then set_config('jit', 'off', false) end");
	c->setup[k].sql = strdup(sql);
	c->setup[k].nparams = 1;
	c->setup[k].params = c->timeout_param;
	c->setup[k].done = dbc_check_done;
	c->setup[k++].arg = c;
	for (i = 0; i < nlisten; i++) {
		if (asprintf(&c->listen_sql[i], "listen %s", cf->listen[i]) ==
		    -1) {
			c->listen_sql[i] = NULL;
			db_conn_free(c);
			return NULL;
		}
		c->setup[k].sql = c->listen_sql[i];
		c->setup[k].done = dbc_setup_done;
		c->setup[k++].arg = c;
	}
	for (st = cf->stmts; st != NULL && st->name != NULL; st++) {
		c->setup[k].stmt = st->name;
		c->setup[k].sql = st->sql;
		c->setup[k].nparams = st->nparams;
		c->setup[k].done = dbc_setup_done;
		c->setup[k++].arg = c;
	}
	if (c->setup[0].sql == NULL) {
		db_conn_free(c);
		return NULL;
	}
	dbc_connect(c);
	return c;
}

void
db_conn_free(struct db_conn *c)
{
	if (c == NULL)
		return;
	c->closing = 1;
	if (c->ev_timer != NULL && c->state != DBC_DOWN)
		dbc_teardown(c, "closing", 0);
	if (c->ev_timer != NULL)
		event_free(c->ev_timer);
	dbc_watch(c, -1, 0);
	if (c->pg != NULL)
		PQfinish(c->pg);
	if (c->setup != NULL)
		free((char *)(uintptr_t)c->setup[0].sql);
	for (size_t i = 0; c->listen_sql != NULL && c->listen_sql[i] != NULL;
	    i++)
		free(c->listen_sql[i]);
	free(c->listen_sql);
	free(c->setup);
	free(c->name);
	free(c->conninfo);
	free(c);
}
