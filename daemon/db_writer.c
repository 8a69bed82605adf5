/*
 * The batch writer.  See db_writer.h.
 *
 * A batch is a JSON array of rows (lib/event.c writes them) and the slots
 * that say which job each row answers.  Batches wait in `queue` (the tail
 * one takes new rows) or in `retry` (batches that must go again: their
 * connection broke, a row's key was stored by another daemon meanwhile, or
 * the database refused the batch for a data error and it was split); they
 * are sent, oldest first, while the connection's pipeline has room, and
 * wait in `inflight` for their answer.
 *
 * Every job is answered in exactly one place, slot_take(): it detaches the
 * job from its slot first, so no batch ever points at a job that was
 * answered, whatever the job's owner does with it next.  Jobs in batches
 * that wait are answered with an error once they pass write_timeout; a
 * batch in flight is given write_timeout from when it was sent, past which
 * the connection is dropped (the statement is also stopped on the server
 * by its statement_timeout) and the batch waits again.  Rows carry
 * idempotency keys, so a batch sent twice stores nothing twice.
 *
 * Plain batches (only rows that are stored as they are) go to
 * sochi_ingest_plain, one INSERT ... SELECT; the others to sochi_ingest.
 */
#include <sys/queue.h>
#include <sys/random.h>
#include <sys/time.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_conn.h"
#include "db_writer.h"
#include "log.h"
#include "migrate.h"

/* A batch stops taking rows past this much text, whatever batch_max says. */
#define BATCH_BYTES_MAX	(4 * 1024 * 1024)
/* A row whose key another transaction stored meanwhile is sent again. */
#define ROW_TRIES_MAX	3
/* Schema errors in a row before a batch is refused rather than resent. */
#define SCHEMA_RESETS_MAX 3

struct wslot {
	struct wjob	*job;		/* NULL once answered */
	size_t		 off;		/* its row in the batch text */
	size_t		 len;		/* the row's length */
	unsigned	 tries;		/* sent before, its key unseen */
};

struct wbatch {
	TAILQ_ENTRY(wbatch) entry;	/* in queue, retry or inflight */
	struct sbuf	 json;		/* "[row,row,...]" */
	struct wslot	*slots;		/* one per row, in row order */
	size_t		 n;		/* rows */
	size_t		 cap;		/* slots allocated */
	size_t		 live;		/* rows whose job is not yet answered */
	int		 atomic;	/* all rows stored or none */
	int		 plain;		/* every row is plain: the fast path */
	int		 sealed;	/* "]" appended: takes no more rows */
	struct db_req	 req;		/* while in flight */
	const char	*params[3];	/* the statement's parameters */
};
TAILQ_HEAD(wbatch_list, wbatch);

static const struct db_stmt stmts[] = {
	{ "sochi_plain", "select ord, id, code, err from "
	    "sochi_ingest_plain($1::jsonb, $2)", 2 },
	{ "sochi_ingest", "select ord, id, code, err from "
	    "sochi_ingest($1::jsonb, $2, $3)", 3 },
	{ NULL, NULL, 0 }
};

static struct {
	struct event_base *base;	/* the daemon's loop */
	struct db_conn	*conn;		/* the connection */
	char		*tz;		/* the carrier's zone, for incident codes */
	size_t		 batch_max;	/* rows per batch */
	int64_t		 timeout;	/* µs a job may wait */
	size_t		 budget;	/* max_pending_bytes */
	struct wbatch_list queue;	/* waiting; the tail takes new rows */
	struct wbatch_list retry;	/* to be sent again, before queue */
	struct wbatch_list inflight;	/* sent, oldest first */
	struct event	*ev_tick;	/* expires waiting jobs */
	int		 starved;	/* a submitter was refused for the budget */
	void		(*on_room)(void); /* tells the submitters */
	int		 schema_resets;	/* schema errors since the last commit */
	int		 closing;	/* db_writer_free: refuse, send nothing */
	char		 boot[24];	/* this process's prefix for made-up keys */
	uint64_t	 seq;		/* the next made-up key */
	struct db_writer_stats stats;	/* counters for /healthz and /metrics */
} w;

static void	w_kick(void);

static struct wbatch *
batch_new(int atomic)
{
	struct wbatch *b;

	if ((b = calloc(1, sizeof(*b))) == NULL)
		return NULL;
	if (sbuf_addc(&b->json, '[') == -1) {
		free(b);
		return NULL;
	}
	b->atomic = atomic;
	b->plain = 1;
	return b;
}

static void
batch_free(struct wbatch *b)
{
	if (b == NULL)
		return;
	sbuf_free(&b->json);
	free(b->slots);
	free(b);
}

/* Appends a row already written; on failure the batch is as it was. */
static int
batch_add(struct wbatch *b, struct wjob *job, const char *row, size_t len,
    int plain, unsigned tries)
{
	struct wslot *p;
	size_t cap, mark = b->json.len;

	if (b->n == b->cap) {
		cap = b->cap ? b->cap * 2 : 64;
		if ((p = realloc(b->slots, cap * sizeof(*p))) == NULL)
			return -1;
		b->slots = p;
		b->cap = cap;
	}
	if ((b->n > 0 && sbuf_addc(&b->json, ',') == -1) ||
	    sbuf_add(&b->json, row, len) == -1) {
		sbuf_truncate(&b->json, mark);
		return -1;
	}
	b->slots[b->n].job = job;
	b->slots[b->n].off = b->json.len - len;
	b->slots[b->n].len = len;
	b->slots[b->n].tries = tries;
	b->n++;
	b->live++;
	b->plain = b->plain && plain;
	return 0;
}

/*
 * Takes slot i's job out of its batch: from here on the batch does not
 * point at it.  The caller answers it with job_answer().
 */
static struct wjob *
slot_take(struct wbatch *b, size_t i)
{
	struct wjob *job = b->slots[i].job;

	if (job == NULL)
		return NULL;
	b->slots[i].job = NULL;
	b->live--;
	return job;
}

static void
job_answer(struct wjob *job, const struct wresult *r)
{
	w.stats.pending--;
	w.stats.pending_bytes -= job->bytes;
	if (r->err != NULL)
		w.stats.refused++;
	else
		w.stats.committed++;
	job->done(job, r);
	if (w.starved && w.stats.pending_bytes <= w.budget / 2) {
		w.starved = 0;
		if (w.on_room != NULL)
			w.on_room();
	}
}

/* Answers every job still in b with err, then frees b (out of every list). */
static void
batch_refuse(struct wbatch *b, const char *err, int temporary)
{
	struct wresult r = { 0, NULL, err, temporary };
	struct wjob *job;
	size_t i;

	for (i = 0; i < b->n; i++)
		if ((job = slot_take(b, i)) != NULL)
			job_answer(job, &r);
	batch_free(b);
}

/* The tail batch of the queue if it takes one more row, else a new one. */
static struct wbatch *
batch_open(int atomic)
{
	struct wbatch *b = TAILQ_LAST(&w.queue, wbatch_list);

	if (!atomic && b != NULL && !b->sealed && !b->atomic &&
	    b->n < w.batch_max && b->json.len < BATCH_BYTES_MAX)
		return b;
	if ((b = batch_new(atomic)) == NULL)
		return NULL;
	TAILQ_INSERT_TAIL(&w.queue, b, entry);
	return b;
}

static void
job_hold(struct wjob *job, size_t bytes)
{
	job->deadline = db_conn_now() + w.timeout;
	job->bytes = bytes;
	w.stats.pending++;
	w.stats.pending_bytes += bytes;
}

/* Writes one event's row; plain says whether the fast path can store it. */
static int
row_write(const struct sochi_event *ev, const char *source, const char *by,
    struct sbuf *row, int *plain)
{
	char key[64] = "";
	struct timeval tv;

	if (ev->key == NULL)
		snprintf(key, sizeof(key), "~%s:%llu", w.boot,
		    (unsigned long long)w.seq++);
	event_base_gettimeofday_cached(w.base, &tv);
	*plain = ev->kind != KIND_INCIDENT && ev->kind != KIND_RETRACT &&
	    ev->incident != NULL && ev->supersedes == 0;
	return event_write_row(ev, source, by, key,
	    (int64_t)tv.tv_sec * 1000000 + tv.tv_usec, row);
}

int
db_writer_submit(struct wjob *job, const struct sochi_event *ev,
    const char *source, const char *by)
{
	struct sbuf row = SBUF_INIT;
	struct wbatch *b;
	int plain, rv = -1;

	if (row_write(ev, source, by, &row, &plain) == 0 &&
	    (b = batch_open(0)) != NULL &&
	    batch_add(b, job, row.data, row.len, plain, 0) == 0) {
		job_hold(job, row.len);
		rv = 0;
	}
	sbuf_free(&row);
	if (rv == 0)
		w_kick();
	return rv;
}

/* Queues a batch of its own, all or nothing. */
static int
submit_batch(struct wbatch *b)
{
	size_t i;

	TAILQ_INSERT_TAIL(&w.queue, b, entry);
	for (i = 0; i < b->n; i++)
		job_hold(b->slots[i].job, b->slots[i].len);
	w_kick();
	return 0;
}

int
db_writer_submit_atomic(struct wjob **jobs, const struct sochi_event *evs,
    size_t n, const char *source, const char *by)
{
	struct sbuf row = SBUF_INIT;
	struct wbatch *b;
	size_t i;
	int plain;

	if ((b = batch_new(1)) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		sbuf_truncate(&row, 0);
		if (row_write(&evs[i], source, by, &row, &plain) == -1 ||
		    batch_add(b, jobs[i], row.data, row.len, plain, 0) == -1) {
			sbuf_free(&row);
			batch_free(b);
			return -1;
		}
	}
	sbuf_free(&row);
	return submit_batch(b);
}

int
db_writer_submit_rows(struct wjob **jobs, const struct sbuf *rows, size_t n)
{
	struct wbatch *b;
	size_t i;

	if ((b = batch_new(1)) == NULL)
		return -1;
	for (i = 0; i < n; i++)
		if (batch_add(b, jobs[i], rows[i].data, rows[i].len, 0, 0) ==
		    -1) {
			batch_free(b);
			return -1;
		}
	return submit_batch(b);
}

int
db_writer_room(size_t bytes)
{
	if (w.stats.pending_bytes + bytes <= w.budget)
		return 1;
	w.starved = 1;
	return 0;
}

void
db_writer_on_room(void (*cb)(void))
{
	w.on_room = cb;
}

/*
 * A new batch holding the live rows of b, from..to (slots), in order; the
 * jobs move to it.  NULL without memory (b is left as it was).
 */
static struct wbatch *
batch_part(struct wbatch *b, size_t from, size_t to)
{
	struct wbatch *nb;
	size_t i;

	if ((nb = batch_new(b->atomic)) == NULL)
		return NULL;
	for (i = from; i < to; i++) {
		if (b->slots[i].job == NULL)
			continue;
		if (batch_add(nb, b->slots[i].job, b->json.data +
		    b->slots[i].off, b->slots[i].len, 1,
		    b->slots[i].tries) == -1) {
			batch_free(nb);
			return NULL;
		}
	}
	nb->plain = b->plain;
	for (i = from; i < to; i++)
		if (b->slots[i].job != NULL) {
			b->slots[i].job = NULL;
			b->live--;
		}
	return nb;
}

/* Drops the rows already answered from a batch about to be sent. */
static int
batch_compact(struct wbatch *b)
{
	struct wbatch *nb;

	if (b->live == b->n)
		return 0;
	if ((nb = batch_part(b, 0, b->n)) == NULL)
		return -1;
	sbuf_free(&b->json);
	free(b->slots);
	b->json = nb->json;
	b->slots = nb->slots;
	b->n = nb->n;
	b->cap = nb->cap;
	b->live = nb->live;
	b->sealed = 0;
	free(nb);
	return 0;
}

static void	batch_done(struct db_req *, struct db_result *);

/* The next batch to send, compacted; NULL when none. */
static struct wbatch *
batch_next(void)
{
	struct wbatch_list *l;
	struct wbatch *b;

	for (;;) {
		l = !TAILQ_EMPTY(&w.retry) ? &w.retry : &w.queue;
		if ((b = TAILQ_FIRST(l)) == NULL)
			return NULL;
		if (b->live == 0) {
			TAILQ_REMOVE(l, b, entry);
			batch_free(b);
			continue;
		}
		if (batch_compact(b) == -1) {
			log_warnx("db writer: out of memory compacting a batch");
			return NULL;
		}
		TAILQ_REMOVE(l, b, entry);
		return b;
	}
}

static void
w_kick(void)
{
	struct wbatch *b;

	while (w.conn != NULL && db_conn_room(w.conn) &&
	    (b = batch_next()) != NULL) {
		if (!b->sealed) {
			if (sbuf_addc(&b->json, ']') == -1) {
				batch_refuse(b, "out of memory; not stored", 1);
				continue;
			}
			b->sealed = 1;
		}
		memset(&b->req, 0, sizeof(b->req));
		b->params[0] = b->json.data;
		if (b->plain) {
			b->params[1] = b->atomic ? "t" : "f";
			b->req.stmt = "sochi_plain";
			b->req.nparams = 2;
		} else {
			b->params[1] = w.tz;
			b->params[2] = b->atomic ? "t" : "f";
			b->req.stmt = "sochi_ingest";
			b->req.nparams = 3;
		}
		b->req.params = b->params;
		b->req.done = batch_done;
		b->req.arg = b;
		if (db_conn_send(w.conn, &b->req) == -1) {
			/* Not taken after all: first in line again. */
			TAILQ_INSERT_HEAD(&w.retry, b, entry);
			return;
		}
		TAILQ_INSERT_TAIL(&w.inflight, b, entry);
		log_debug("db writer: sent %s batch of %zu rows, %zu bytes",
		    b->plain ? "a plain" : "a", b->n, b->json.len);
	}
}

/* Answers, with an error, every waiting job past its deadline. */
static void
w_expire(void)
{
	struct wbatch_list *lists[2] = { &w.retry, &w.queue };
	struct wbatch *b;
	struct wjob **due = NULL, **p;
	size_t i, k, n = 0, cap = 0;
	int64_t now = db_conn_now();
	char msg[160];
	struct wresult r;

	/* First take every expired job out of its batch, then answer. */
	for (k = 0; k < 2; k++)
		TAILQ_FOREACH(b, lists[k], entry)
			for (i = 0; i < b->n; i++) {
				if (b->slots[i].job == NULL ||
				    b->slots[i].job->deadline > now)
					continue;
				if (n == cap) {
					cap = cap ? cap * 2 : 64;
					if ((p = realloc(due, cap *
					    sizeof(*p))) == NULL)
						goto answer;
					due = p;
				}
				due[n++] = slot_take(b, i);
			}
answer:
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
		job_answer(due[i], &r);
	free(due);
}

static void
w_tick_cb(evutil_socket_t fd, short what, void *arg)
{
	w_expire();
	w_kick();
}

/* Errors after which the same batch should simply be sent again. */
static int
retryable(const char *st)
{
	return strncmp(st, "08", 2) == 0 ||	/* connection */
	    strncmp(st, "57", 2) == 0 ||	/* shutdown, cancel, timeout */
	    strncmp(st, "53", 2) == 0 ||	/* out of resources */
	    strncmp(st, "40", 2) == 0 ||	/* serialization, deadlock */
	    strncmp(st, "58", 2) == 0 ||	/* system I/O */
	    strcmp(st, "25P02") == 0 ||		/* aborted transaction */
	    strcmp(st, "25006") == 0;		/* read-only (a standby) */
}

/*
 * Errors a migration causes under a running session: a statement prepared
 * before it no longer fits.  A new session re-checks and re-prepares.
 */
static int
schema_changed(const char *st)
{
	return strcmp(st, "0A000") == 0 ||	/* cached plan changed type */
	    strcmp(st, "42883") == 0 ||		/* undefined function */
	    strcmp(st, "42P01") == 0 ||		/* undefined table */
	    strcmp(st, "42703") == 0 ||		/* undefined column */
	    strcmp(st, "26000") == 0;		/* no such prepared statement */
}

/* A data or constraint error: some row the database would not take. */
static int
data_error(const char *st)
{
	return strncmp(st, "22", 2) == 0 || strncmp(st, "23", 2) == 0;
}

/* Splits b in two halves, first in line to be sent again. */
static int
batch_split(struct wbatch *b)
{
	struct wbatch *lo, *hi;
	size_t mid = b->n / 2;

	if ((lo = batch_part(b, 0, mid)) == NULL)
		return -1;
	if ((hi = batch_part(b, mid, b->n)) == NULL) {
		/* Give the first half's jobs back before failing. */
		batch_free(lo);
		return -1;
	}
	TAILQ_INSERT_HEAD(&w.retry, hi, entry);
	TAILQ_INSERT_HEAD(&w.retry, lo, entry);
	w.stats.splits++;
	batch_free(b);
	return 0;
}

static void
batch_failed(struct wbatch *b, struct db_result *res)
{
	char msg[600];

	if (res->conn_lost) {
		if (res->timed_out) {
			w.stats.timeouts++;
			w.stats.stalled = 1;
		}
		/* Sent again after reconnecting, in the order they went. */
		TAILQ_INSERT_TAIL(&w.retry, b, entry);
		return;
	}
	if (strcmp(res->sqlstate, "SC001") == 0) {
		batch_refuse(b, res->error, 0);
		return;
	}
	if (schema_changed(res->sqlstate) &&
	    ++w.schema_resets <= SCHEMA_RESETS_MAX) {
		log_warnx("db writer: %s (%s): the schema changed; reconnecting "
		    "to check it and prepare again", res->error, res->sqlstate);
		TAILQ_INSERT_TAIL(&w.retry, b, entry);
		db_conn_reset(w.conn, "the schema changed");
		return;
	}
	if (retryable(res->sqlstate)) {
		if (strcmp(res->sqlstate, "57014") == 0)
			w.stats.stalled = 1;
		log_warnx("db writer: a batch of %zu events failed (%s: %s); "
		    "sending it again", b->live, res->sqlstate, res->error);
		TAILQ_INSERT_TAIL(&w.retry, b, entry);
		return;
	}
	if (data_error(res->sqlstate) && !b->atomic && b->live > 1) {
		/* Only the rows the database refuses are refused. */
		log_debug("db writer: %s (%s) in a batch of %zu rows: splitting",
		    res->error, res->sqlstate, b->live);
		if (batch_split(b) == 0)
			return;
	}
	if (!data_error(res->sqlstate))
		log_warnx("database refused a batch of %zu events: %s (%s)",
		    b->live, res->error, res->sqlstate);
	snprintf(msg, sizeof(msg), "database error: %s", res->error);
	batch_refuse(b, msg, 0);
}

static void
batch_answer(struct wbatch *b, PGresult *res)
{
	struct wbatch *again = NULL;
	struct wresult r;
	struct wjob *job;
	size_t i;

	w.stats.batches++;
	w.stats.stalled = 0;
	w.schema_resets = 0;
	for (i = 0; i < b->n; i++) {
		r.id = PQgetisnull(res, (int)i, 1) ? 0 :
		    strtoll(PQgetvalue(res, (int)i, 1), NULL, 10);
		r.code = PQgetisnull(res, (int)i, 2) ? NULL :
		    PQgetvalue(res, (int)i, 2);
		r.err = PQgetisnull(res, (int)i, 3) ? NULL :
		    PQgetvalue(res, (int)i, 3);
		r.temporary = 0;
		if (r.err == NULL && r.id == 0 &&
		    b->slots[i].tries + 1 < ROW_TRIES_MAX) {
			/* Its key was stored by another transaction: again. */
			if (again == NULL && (again = batch_new(b->atomic)) ==
			    NULL)
				r.err = "out of memory; not stored";
			else if (batch_add(again, b->slots[i].job, b->json.data +
			    b->slots[i].off, b->slots[i].len, b->plain,
			    b->slots[i].tries + 1) == 0) {
				b->slots[i].job = NULL;
				b->live--;
				continue;
			} else
				r.err = "out of memory; not stored";
		}
		if (r.err == NULL && r.id == 0)
			r.err = "database error: no id";
		if ((job = slot_take(b, i)) != NULL)
			job_answer(job, &r);
	}
	if (again != NULL) {
		again->plain = b->plain;
		TAILQ_INSERT_TAIL(&w.retry, again, entry);
	}
}

static void
batch_done(struct db_req *req, struct db_result *res)
{
	struct wbatch *b = req->arg;

	TAILQ_REMOVE(&w.inflight, b, entry);
	if (w.closing) {
		PQclear(res->res);
		batch_refuse(b, "not stored: sochid is stopping", 1);
		return;
	}
	if (res->failed)
		batch_failed(b, res);
	else if (res->res == NULL || (size_t)PQntuples(res->res) != b->n) {
		log_warnx("ingest answered %d rows for %zu events",
		    res->res ? PQntuples(res->res) : -1, b->n);
		batch_refuse(b, "database error: wrong number of answers", 0);
	} else {
		batch_answer(b, res->res);
		batch_free(b);
	}
	PQclear(res->res);
	if (res->conn_lost)
		w_expire();
	w_kick();
}

static void
w_ready(void *arg)
{
	w_kick();
}

int
db_writer_init(struct event_base *base, const struct sochi_config *cf)
{
	struct db_conn_config dc;
	unsigned char rnd[8];
	size_t i;

	memset(&w, 0, sizeof(w));
	TAILQ_INIT(&w.queue);
	TAILQ_INIT(&w.retry);
	TAILQ_INIT(&w.inflight);
	w.base = base;
	w.tz = strdup(cf->timezone);
	w.batch_max = (size_t)cf->batch_max;
	w.timeout = (int64_t)cf->write_timeout * 1000000;
	w.budget = (size_t)cf->max_pending_bytes;
	if (w.tz == NULL)
		return -1;
	if (getrandom(rnd, sizeof(rnd), 0) != sizeof(rnd))
		return -1;
	for (i = 0; i < sizeof(rnd); i++)
		snprintf(w.boot + 2 * i, 3, "%02x", rnd[i]);
	w.ev_tick = event_new(base, -1, EV_PERSIST, w_tick_cb, NULL);
	if (w.ev_tick == NULL)
		return -1;
	event_add(w.ev_tick, &(struct timeval){ 0, 250000 });
	memset(&dc, 0, sizeof(dc));
	dc.name = "writer";
	dc.conninfo = cf->database;
	dc.timeout = w.timeout;
	dc.depth = (int)cf->pipeline_depth;
	dc.schema_version = migrate_latest();
	dc.digest = sql_functions_digest;
	dc.stmts = stmts;
	dc.on_ready = w_ready;
	if ((w.conn = db_conn_new(base, &dc)) == NULL)
		return -1;
	return 0;
}

void
db_writer_stats(struct db_writer_stats *s)
{
	struct db_conn_stats cs;

	*s = w.stats;
	if (w.conn != NULL) {
		db_conn_stats(w.conn, &cs);
		s->connected = cs.ready;
		s->reconnects = cs.reconnects;
		if (cs.oldest > w.timeout)
			s->stalled = 1;
	}
}

void
db_writer_free(void)
{
	struct wbatch_list *lists[3] = { &w.inflight, &w.retry, &w.queue };
	struct wbatch *b;
	size_t k;

	/* Whatever is still held is refused: the daemon is going away. */
	w.closing = 1;
	db_conn_free(w.conn);
	w.conn = NULL;
	for (k = 0; k < 3; k++)
		while ((b = TAILQ_FIRST(lists[k])) != NULL) {
			TAILQ_REMOVE(lists[k], b, entry);
			batch_refuse(b, "not stored: sochid is stopping", 1);
		}
	if (w.ev_tick != NULL)
		event_free(w.ev_tick);
	free(w.tz);
	memset(&w, 0, sizeof(w));
}
