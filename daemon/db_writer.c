/*
 * The batch writer.
 *
 * Jobs are appended, as rows of JSON text, to the batch at the tail of a
 * queue.  The batch at the head is the one sent: one statement, one round
 * trip, one transaction, however many rows it holds.  Its senders are
 * answered when libpq has returned the last result of the statement (the
 * server's ReadyForQuery, which comes after COMMIT).  Meanwhile new rows
 * gather in the next batch: group commit, with no timer to tune.
 *
 * When the connection fails, the head batch stays where it is and is sent
 * again after reconnecting.  Every row carries an idempotency key (the
 * sender's, or one made here), so a batch that had committed before the
 * connection broke is answered with the ids it already got.  Jobs that wait
 * longer than write_timeout are answered with an error, never dropped.
 *
 * libpq is used as STYLE.md asks: non-blocking, PQsend* only, PQflush until
 * it returns 0 while watching both read and write, results drained to NULL,
 * PQsocket re-read at every connect step, a fresh PQconnectStartParams
 * after a backoff rather than PQreset.
 */
#include <sys/queue.h>
#include <sys/random.h>
#include <sys/time.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libpq-fe.h>

#include "db_writer.h"
#include "detector.h"
#include "log.h"

#define INGEST_SQL \
	"select ord, id, code, err from sochi_ingest($1::jsonb, $2, $3)"
#define BACKOFF_MIN_MS	100
#define BACKOFF_MAX_MS	5000

enum dbw_state {
	DBW_DISCONNECTED,	/* no connection, none being made */
	DBW_CONNECTING,		/* PQconnectPoll in progress */
	DBW_IDLE,		/* connected, nothing in flight */
	DBW_BUSY,		/* a batch is in flight */
	DBW_BACKOFF		/* waiting before the next connection attempt */
};

static const char *const state_names[] = { "disconnected", "connecting",
    "idle", "busy", "backoff" };

struct wbatch {
	TAILQ_ENTRY(wbatch) entry;	/* in the queue or the spare list */
	struct sbuf	 json;		/* "[row,row,...]" */
	struct wjob	**jobs;		/* one per row, in row order */
	size_t		 n;		/* rows */
	size_t		 cap;		/* slots in jobs */
	size_t		 expired;	/* rows whose job timed out */
	int		 atomic;	/* all rows stored or none */
	int		 sealed;	/* sent at least once; takes no more rows */
};
TAILQ_HEAD(wbatch_list, wbatch);

static struct {
	struct event_base *base;	/* the daemon's loop */
	char		*conninfo;	/* libpq conninfo, may be empty */
	char		*tz;		/* the carrier's zone, for incident codes */
	size_t		 batch_max;	/* rows per batch */
	int64_t		 timeout;	/* µs a job may wait */
	enum dbw_state	 state;		/* see above */
	PGconn		*conn;		/* the connection, when there is one */
	struct event	*ev_sock;	/* watches PQsocket() */
	int		 sock_fd;	/* the fd ev_sock watches */
	short		 sock_what;	/* and for what */
	struct event	*ev_retry;	/* the backoff timer */
	struct event	*ev_tick;	/* expires jobs once a second */
	unsigned	 backoff_ms;	/* the next backoff */
	int		 ever_connected; /* a connection has been made before */
	int		 outage_logged;	/* the current outage was logged */
	struct wbatch_list queue;	/* head may be in flight */
	struct wbatch_list spare;	/* emptied batches kept for reuse */
	size_t		 nspare;	/* length of spare */
	PGresult	*result;	/* the in-flight batch's rows */
	char		 error[512];	/* the in-flight batch's error, if any */
	char		 sqlstate[6];	/* and its SQLSTATE */
	char		 boot[24];	/* this process's prefix for made-up keys */
	uint64_t	 seq;		/* the next made-up key */
	struct db_writer_stats stats;	/* counters for /metrics */
} w;

static void	dbw_connect(void);
static void	dbw_kick(void);
static void	dbw_sock_cb(evutil_socket_t, short, void *);
static void	dbw_fail(const char *);

static int64_t
now_mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void
dbw_set_state(enum dbw_state s)
{
	if (w.state != s)
		log_debug("db writer: %s -> %s", state_names[w.state],
		    state_names[s]);
	w.state = s;
	w.stats.connected = s == DBW_IDLE || s == DBW_BUSY;
}

static void
dbw_watch(int fd, short what)
{
	if (w.ev_sock != NULL && (fd != w.sock_fd || what != w.sock_what)) {
		event_free(w.ev_sock);
		w.ev_sock = NULL;
	}
	if (w.ev_sock == NULL && fd >= 0) {
		w.ev_sock = event_new(w.base, fd, what | EV_PERSIST, dbw_sock_cb,
		    NULL);
		if (w.ev_sock == NULL)
			fatalx("db writer: event_new failed");
		event_add(w.ev_sock, NULL);
		w.sock_fd = fd;
		w.sock_what = what;
	}
}

static struct wbatch *
batch_new(int atomic)
{
	struct wbatch *b;

	if ((b = TAILQ_FIRST(&w.spare)) != NULL) {
		TAILQ_REMOVE(&w.spare, b, entry);
		w.nspare--;
	} else if ((b = calloc(1, sizeof(*b))) == NULL)
		return NULL;
	sbuf_truncate(&b->json, 0);
	if (sbuf_addc(&b->json, '[') == -1) {
		free(b);
		return NULL;
	}
	b->n = b->expired = 0;
	b->atomic = atomic;
	b->sealed = 0;
	TAILQ_INSERT_TAIL(&w.queue, b, entry);
	return b;
}

static void
batch_release(struct wbatch *b)
{
	TAILQ_REMOVE(&w.queue, b, entry);
	if (w.nspare < 4) {
		TAILQ_INSERT_HEAD(&w.spare, b, entry);
		w.nspare++;
		return;
	}
	sbuf_free(&b->json);
	free(b->jobs);
	free(b);
}

static int
batch_add_job(struct wbatch *b, struct wjob *job)
{
	struct wjob **p;
	size_t cap;

	if (b->n == b->cap) {
		cap = b->cap ? b->cap * 2 : 64;
		if ((p = realloc(b->jobs, cap * sizeof(*p))) == NULL)
			return -1;
		b->jobs = p;
		b->cap = cap;
	}
	b->jobs[b->n++] = job;
	return 0;
}

/* Appends one row; on failure the batch is left as it was. */
static int
batch_append(struct wbatch *b, struct wjob *job, const struct sochi_event *ev,
    const char *source, const char *by)
{
	char key[64] = "";
	struct timeval tv;
	size_t mark = b->json.len;

	if (ev->key == NULL)
		snprintf(key, sizeof(key), "~%s:%llu", w.boot,
		    (unsigned long long)w.seq++);
	event_base_gettimeofday_cached(w.base, &tv);
	if ((b->n > 0 && sbuf_addc(&b->json, ',') == -1))
		return -1;
	job->off = b->json.len;
	if (event_write_row(ev, source, by, key,
	    (int64_t)tv.tv_sec * 1000000 + tv.tv_usec, &b->json) == -1 ||
	    batch_add_job(b, job) == -1) {
		sbuf_truncate(&b->json, mark);
		return -1;
	}
	job->len = b->json.len - job->off;
	job->queued = now_mono();
	job->expired = 0;
	w.stats.pending++;
	return 0;
}

/* Appends a row already written (a webhook's alert). */
static int
batch_append_raw(struct wbatch *b, struct wjob *job, const char *row,
    size_t len)
{
	size_t mark = b->json.len;

	if ((b->n > 0 && sbuf_addc(&b->json, ',') == -1))
		return -1;
	job->off = b->json.len;
	if (sbuf_add(&b->json, row, len) == -1 || batch_add_job(b, job) == -1) {
		sbuf_truncate(&b->json, mark);
		return -1;
	}
	job->len = len;
	job->queued = now_mono();
	job->expired = 0;
	w.stats.pending++;
	return 0;
}

int
db_writer_submit_rows(struct wjob **jobs, const struct sbuf *rows, size_t n)
{
	struct wbatch *b;
	size_t i;

	if ((b = batch_new(1)) == NULL)
		return -1;
	for (i = 0; i < n; i++)
		if (batch_append_raw(b, jobs[i], rows[i].data, rows[i].len) ==
		    -1) {
			w.stats.pending -= i;
			batch_release(b);
			return -1;
		}
	dbw_kick();
	return 0;
}

int
db_writer_submit(struct wjob *job, const struct sochi_event *ev,
    const char *source, const char *by)
{
	struct wbatch *b = TAILQ_LAST(&w.queue, wbatch_list);

	if (b == NULL || b->sealed || b->atomic || b->n >= w.batch_max ||
	    (b == TAILQ_FIRST(&w.queue) && w.state == DBW_BUSY))
		if ((b = batch_new(0)) == NULL)
			return -1;
	if (batch_append(b, job, ev, source, by) == -1)
		return -1;
	dbw_kick();
	return 0;
}

int
db_writer_submit_atomic(struct wjob **jobs, const struct sochi_event *evs,
    size_t n, const char *source, const char *by)
{
	struct wbatch *b;
	size_t i;

	if ((b = batch_new(1)) == NULL)
		return -1;
	for (i = 0; i < n; i++)
		if (batch_append(b, jobs[i], &evs[i], source, by) == -1) {
			w.stats.pending -= i;
			batch_release(b);
			return -1;
		}
	dbw_kick();
	return 0;
}

/* Drops the rows of expired jobs from a batch about to be sent again. */
static int
batch_compact(struct wbatch *b)
{
	struct sbuf json = SBUF_INIT;
	size_t i, j = 0;

	if (sbuf_addc(&json, '[') == -1)
		return -1;
	for (i = 0; i < b->n; i++) {
		struct wjob *job = b->jobs[i];

		if (job->expired)
			continue;
		if ((j > 0 && sbuf_addc(&json, ',') == -1) ||
		    sbuf_add(&json, b->json.data + job->off, job->len) == -1) {
			sbuf_free(&json);
			return -1;
		}
		job->off = json.len - job->len;
		b->jobs[j++] = job;
	}
	sbuf_free(&b->json);
	b->json = json;
	b->n = j;
	b->expired = 0;
	b->sealed = 0;
	return 0;
}

static void
dbw_send(void)
{
	struct wbatch *b;
	const char *params[3];
	int rv;

	while ((b = TAILQ_FIRST(&w.queue)) != NULL) {
		if (b->expired > 0 && batch_compact(b) == -1) {
			log_warnx("db writer: out of memory compacting a batch");
			return;
		}
		if (b->n > 0)
			break;
		batch_release(b);
	}
	if (b == NULL)
		return;
	if (!b->sealed) {
		if (sbuf_addc(&b->json, ']') == -1) {
			log_warnx("db writer: out of memory sealing a batch");
			return;
		}
		b->sealed = 1;
	}
	params[0] = b->json.data;
	params[1] = w.tz;
	params[2] = b->atomic ? "t" : "f";
	w.error[0] = '\0';
	w.sqlstate[0] = '\0';
	if (!PQsendQueryParams(w.conn, INGEST_SQL, 3, NULL, params, NULL, NULL,
	    0)) {
		dbw_fail(PQerrorMessage(w.conn));
		return;
	}
	dbw_set_state(DBW_BUSY);
	log_debug("db writer: sent a batch of %zu rows, %zu bytes", b->n,
	    b->json.len);
	rv = PQflush(w.conn);
	dbw_watch(PQsocket(w.conn), rv == 1 ? EV_READ | EV_WRITE : EV_READ);
}

static void
dbw_kick(void)
{
	if (w.state == DBW_IDLE && !TAILQ_EMPTY(&w.queue))
		dbw_send();
}

static void
answer(struct wjob *job, const struct wresult *r)
{
	w.stats.pending--;
	if (r->err != NULL)
		w.stats.refused++;
	else
		w.stats.committed++;
	job->done(job, r);
}

/* Answers every live job of the head batch with err and drops it. */
static void
batch_refuse(struct wbatch *b, const char *err, int temporary)
{
	struct wresult r = { 0, NULL, err, temporary };
	size_t i;

	TAILQ_REMOVE(&w.queue, b, entry);
	for (i = 0; i < b->n; i++)
		if (!b->jobs[i]->expired)
			answer(b->jobs[i], &r);
	TAILQ_INSERT_HEAD(&w.queue, b, entry);
	batch_release(b);
}

static void
dbw_fail(const char *why)
{
	if (!w.outage_logged)
		log_warnx("database connection lost or refused: %s; events wait "
		    "up to %lld s for it to come back", why,
		    (long long)(w.timeout / 1000000));
	else
		log_debug("db writer: connection attempt failed: %s", why);
	w.outage_logged = 1;
	PQclear(w.result);
	w.result = NULL;
	if (w.conn != NULL)
		PQfinish(w.conn);
	w.conn = NULL;
	dbw_watch(-1, 0);
	dbw_set_state(DBW_BACKOFF);
	event_add(w.ev_retry, &(struct timeval){ w.backoff_ms / 1000,
	    (w.backoff_ms % 1000) * 1000 });
	w.backoff_ms = w.backoff_ms * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS :
	    w.backoff_ms * 2;
}

/* Errors after which the same batch should simply be sent again. */
static int
retryable(const char *sqlstate)
{
	return strncmp(sqlstate, "08", 2) == 0 ||	/* connection */
	    strncmp(sqlstate, "57", 2) == 0 ||		/* shutdown, cancel */
	    strncmp(sqlstate, "53", 2) == 0 ||		/* out of resources */
	    strncmp(sqlstate, "40", 2) == 0 ||		/* serialization */
	    strncmp(sqlstate, "58", 2) == 0 ||		/* system I/O */
	    strcmp(sqlstate, "25P02") == 0;		/* aborted transaction */
}

static void
batch_done(void)
{
	struct wbatch *b = TAILQ_FIRST(&w.queue);
	PGresult *res = w.result;
	struct wresult r;
	size_t i;
	char msg[600];
	const char *last;

	w.result = NULL;
	if (w.error[0] != '\0' || res == NULL) {
		PQclear(res);
		if (res == NULL && w.error[0] == '\0')
			snprintf(w.error, sizeof(w.error), "no result");
		if (PQstatus(w.conn) != CONNECTION_OK || retryable(w.sqlstate)) {
			dbw_fail(w.error);
			return;
		}
		dbw_set_state(DBW_IDLE);
		if (strcmp(w.sqlstate, "SC001") == 0)
			batch_refuse(b, w.error, 0);
		else {
			log_warnx("database refused a batch of %zu events: %s",
			    b->n, w.error);
			snprintf(msg, sizeof(msg), "database error: %s", w.error);
			batch_refuse(b, msg, 0);
		}
		dbw_kick();
		return;
	}
	if ((size_t)PQntuples(res) != b->n) {
		PQclear(res);
		dbw_set_state(DBW_IDLE);
		log_warnx("ingest answered %d rows for %zu events", PQntuples(res),
		    b->n);
		batch_refuse(b, "database error: wrong number of answers", 0);
		dbw_kick();
		return;
	}
	w.stats.batches++;
	TAILQ_REMOVE(&w.queue, b, entry);
	dbw_set_state(DBW_IDLE);
	last = NULL;
	for (i = 0; i < b->n; i++) {
		r.id = PQgetisnull(res, (int)i, 1) ? 0 :
		    strtoll(PQgetvalue(res, (int)i, 1), NULL, 10);
		r.code = PQgetisnull(res, (int)i, 2) ? NULL :
		    PQgetvalue(res, (int)i, 2);
		r.err = PQgetisnull(res, (int)i, 3) ? NULL :
		    PQgetvalue(res, (int)i, 3);
		r.temporary = 0;
		if (r.err == NULL && r.id == 0)
			r.err = "database error: no id";
		/*
		 * The detector reads the incident again once it is committed;
		 * a batch is mostly one incident's rows, so tell it once per
		 * run of the same code, not once per row.
		 */
		if (r.err == NULL && r.code != NULL && (last == NULL ||
		    strcmp(last, r.code) != 0)) {
			detector_touch(r.code);
			last = r.code;
		}
		answer(b->jobs[i], &r);
	}
	PQclear(res);
	TAILQ_INSERT_HEAD(&w.queue, b, entry);
	batch_release(b);
	dbw_kick();
}

static void
trim(char *s)
{
	size_t n = strlen(s);

	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == ' '))
		s[--n] = '\0';
}

static void
dbw_read_results(void)
{
	PGresult *res;

	while (w.conn != NULL && !PQisBusy(w.conn)) {
		if ((res = PQgetResult(w.conn)) == NULL) {
			batch_done();
			return;
		}
		switch (PQresultStatus(res)) {
		case PGRES_TUPLES_OK:
			if (w.result == NULL) {
				w.result = res;
				continue;
			}
			break;
		case PGRES_FATAL_ERROR:
		case PGRES_NONFATAL_ERROR:
			if (w.error[0] == '\0') {
				const char *st = PQresultErrorField(res,
				    PG_DIAG_SQLSTATE);

				snprintf(w.error, sizeof(w.error), "%s",
				    PQresultErrorField(res,
				    PG_DIAG_MESSAGE_PRIMARY) ?
				    PQresultErrorField(res,
				    PG_DIAG_MESSAGE_PRIMARY) :
				    PQresultErrorMessage(res));
				trim(w.error);
				snprintf(w.sqlstate, sizeof(w.sqlstate), "%s",
				    st ? st : "");
			}
			break;
		default:
			if (w.error[0] == '\0')
				snprintf(w.error, sizeof(w.error),
				    "unexpected result %s",
				    PQresStatus(PQresultStatus(res)));
			break;
		}
		PQclear(res);
	}
}

static void
dbw_connect_step(void)
{
	PostgresPollingStatusType st = PQconnectPoll(w.conn);

	switch (st) {
	case PGRES_POLLING_OK:
		if (PQsetnonblocking(w.conn, 1) == -1) {
			dbw_fail(PQerrorMessage(w.conn));
			return;
		}
		if (w.ever_connected)
			w.stats.reconnects++;
		if (w.outage_logged || !w.ever_connected)
			log_info("database connected");
		w.ever_connected = 1;
		w.outage_logged = 0;
		w.backoff_ms = BACKOFF_MIN_MS;
		dbw_set_state(DBW_IDLE);
		dbw_watch(-1, 0);
		dbw_kick();
		return;
	case PGRES_POLLING_READING:
		dbw_watch(PQsocket(w.conn), EV_READ);
		return;
	case PGRES_POLLING_WRITING:
		dbw_watch(PQsocket(w.conn), EV_WRITE);
		return;
	default:
		dbw_fail(PQerrorMessage(w.conn));
	}
}

static void
dbw_sock_cb(evutil_socket_t fd, short what, void *arg)
{
	int rv;

	switch (w.state) {
	case DBW_CONNECTING:
		dbw_connect_step();
		return;
	case DBW_BUSY:
		if (what & EV_READ) {
			if (!PQconsumeInput(w.conn)) {
				dbw_fail(PQerrorMessage(w.conn));
				return;
			}
		}
		if (w.sock_what & EV_WRITE) {
			if ((rv = PQflush(w.conn)) == -1) {
				dbw_fail(PQerrorMessage(w.conn));
				return;
			}
			if (rv == 0)
				dbw_watch(PQsocket(w.conn), EV_READ);
		}
		dbw_read_results();
		return;
	case DBW_IDLE:
		/* A notice or the server going away while nothing is in flight. */
		if (!PQconsumeInput(w.conn) || PQstatus(w.conn) != CONNECTION_OK)
			dbw_fail(PQerrorMessage(w.conn));
		return;
	default:
		return;
	}
}

static void
dbw_connect(void)
{
	const char *keys[] = { "dbname", "application_name", NULL };
	const char *vals[] = { w.conninfo, "sochid", NULL };

	w.conn = PQconnectStartParams(keys, vals, 1);
	if (w.conn == NULL) {
		dbw_fail("out of memory");
		return;
	}
	if (PQstatus(w.conn) == CONNECTION_BAD) {
		dbw_fail(PQerrorMessage(w.conn));
		return;
	}
	dbw_set_state(DBW_CONNECTING);
	dbw_watch(PQsocket(w.conn), EV_WRITE);
}

static void
dbw_retry_cb(evutil_socket_t fd, short what, void *arg)
{
	if (w.state == DBW_BACKOFF)
		dbw_connect();
}

/* Answers, with an error, every queued job older than write_timeout. */
static void
dbw_tick_cb(evutil_socket_t fd, short what, void *arg)
{
	struct wbatch *b;
	struct wjob **due = NULL, **p;
	size_t i, n = 0, cap = 0;
	int64_t now = now_mono();
	char msg[160];
	struct wresult r;

	TAILQ_FOREACH(b, &w.queue, entry) {
		if (b == TAILQ_FIRST(&w.queue) && w.state == DBW_BUSY)
			continue;
		for (i = 0; i < b->n; i++) {
			struct wjob *job = b->jobs[i];

			if (job->expired || now - job->queued < w.timeout)
				continue;
			if (n == cap) {
				cap = cap ? cap * 2 : 64;
				if ((p = realloc(due, cap * sizeof(*p))) == NULL)
					goto out;
				due = p;
			}
			job->expired = 1;
			b->expired++;
			due[n++] = job;
		}
	}
out:
	if (n == 0) {
		free(due);
		return;
	}
	snprintf(msg, sizeof(msg), "not stored: the database has been "
	    "unavailable for %lld s; send it again later",
	    (long long)(w.timeout / 1000000));
	log_warnx("%zu events waited %lld s for the database and were refused",
	    n, (long long)(w.timeout / 1000000));
	r = (struct wresult){ 0, NULL, msg, 1 };
	for (i = 0; i < n; i++)
		answer(due[i], &r);
	free(due);
	/* Batches whose every row expired go away now. */
	for (b = TAILQ_FIRST(&w.queue); b != NULL; ) {
		struct wbatch *next = TAILQ_NEXT(b, entry);

		if (b->n == b->expired && !(b == TAILQ_FIRST(&w.queue) &&
		    w.state == DBW_BUSY))
			batch_release(b);
		b = next;
	}
}

int
db_writer_init(struct event_base *base, const struct sochi_config *cf)
{
	unsigned char rnd[8];
	size_t i;

	memset(&w, 0, sizeof(w));
	TAILQ_INIT(&w.queue);
	TAILQ_INIT(&w.spare);
	w.base = base;
	w.sock_fd = -1;
	w.conninfo = strdup(cf->database);
	w.tz = strdup(cf->timezone);
	w.batch_max = (size_t)cf->batch_max;
	w.timeout = (int64_t)cf->write_timeout * 1000000;
	w.backoff_ms = BACKOFF_MIN_MS;
	if (w.conninfo == NULL || w.tz == NULL)
		return -1;
	if (getrandom(rnd, sizeof(rnd), 0) != sizeof(rnd))
		return -1;
	for (i = 0; i < sizeof(rnd); i++)
		snprintf(w.boot + 2 * i, 3, "%02x", rnd[i]);
	w.ev_retry = evtimer_new(base, dbw_retry_cb, NULL);
	w.ev_tick = event_new(base, -1, EV_PERSIST, dbw_tick_cb, NULL);
	if (w.ev_retry == NULL || w.ev_tick == NULL)
		return -1;
	event_add(w.ev_tick, &(struct timeval){ 1, 0 });
	dbw_connect();
	return 0;
}

void
db_writer_stats(struct db_writer_stats *s)
{
	*s = w.stats;
}

void
db_writer_free(void)
{
	struct wbatch *b;

	if (w.ev_sock != NULL)
		event_free(w.ev_sock);
	if (w.ev_retry != NULL)
		event_free(w.ev_retry);
	if (w.ev_tick != NULL)
		event_free(w.ev_tick);
	PQclear(w.result);
	if (w.conn != NULL)
		PQfinish(w.conn);
	while ((b = TAILQ_FIRST(&w.queue)) != NULL) {
		TAILQ_REMOVE(&w.queue, b, entry);
		sbuf_free(&b->json);
		free(b->jobs);
		free(b);
	}
	while ((b = TAILQ_FIRST(&w.spare)) != NULL) {
		TAILQ_REMOVE(&w.spare, b, entry);
		sbuf_free(&b->json);
		free(b->jobs);
		free(b);
	}
	free(w.conninfo);
	free(w.tz);
	memset(&w, 0, sizeof(w));
}
