/* SPDX-License-Identifier: MIT */
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
#include "journal.h"
#include "log.h"
#include "metrics.h"
#include "migrate.h"

/* A batch stops taking rows past this much text, whatever batch_max says. */
#define BATCH_BYTES_MAX	(4 * 1024 * 1024)
/* A row whose key another transaction stored meanwhile is sent again. */
#define ROW_TRIES_MAX	3
/* Schema errors in a row before a batch is refused rather than resent. */
#define SCHEMA_RESETS_MAX 3

/* A row as the batch keeps it: its strings in the batch's text. */
struct wrow {
	enum sochi_kind	 kind;		/* the event's kind */
	int64_t		 at;		/* when, µs since the epoch */
	int64_t		 sup;		/* the event it corrects, or 0 */
	uint32_t	 off[ROW__COUNT]; /* where each string starts in text */
	int32_t		 len[ROW__COUNT]; /* and its length, -1 for null */
	int		 plain;		/* event_row_plain() */
	int		 own_key;	/* the sender chose the key */
	int		 at_given;	/* the sender gave the time */
};

struct wslot {
	struct wjob	*job;		/* NULL once answered */
	struct wrow	 row;		/* what it stores */
	unsigned	 tries;		/* sent before, its key unseen */
};

struct wbatch {
	TAILQ_ENTRY(wbatch) entry;	/* in queue, retry or inflight */
	struct sbuf	 text;		/* the rows' strings, one after another */
	struct wslot	*slots;		/* one per row, in row order */
	size_t		 n;		/* rows */
	size_t		 cap;		/* slots allocated */
	size_t		 live;		/* rows whose job is not yet answered */
	int		 atomic;	/* all rows stored or none */
	int		 plain;		/* every row is plain: the fast path */
	int		 sealed;	/* sent once: takes no more rows */
	uint64_t	 id;		/* for the log, once sent */
	int64_t		 sent;		/* when it was sent, monotonic µs */
	struct db_req	 req;		/* while in flight */
};

/* The statements' parameters, in this order, one array per column. */
enum wparam {
	P_KIND, P_INCIDENT, P_AT, P_SRC, P_KEY, P_ACTOR, P_PHASE, P_TEXT,
	P_BY, P_DATA, P_OWN, P_AT_GIVEN,	/* both statements */
	P_SUP, P_GRP, P_OPEN, P_IMP, P_PLAIN, P_TZ, P_ATOMIC, /* sochi_ingest */
	P__COUNT
};
TAILQ_HEAD(wbatch_list, wbatch);

#define COLUMNS "$1::text[], $2::text[], $3::timestamptz[], $4::text[], " \
	"$5::text[], $6::text[], $7::text[], $8::text[], $9::text[], " \
	"$10::jsonb[], $11::boolean[], $12::boolean[]"
static const struct db_stmt stmts[] = {
	{ "sochi_plain", "select ord, id, code, err from sochi_ingest_plain("
	    COLUMNS ", $13::boolean)", 13 },
	{ "sochi_ingest", "select ord, id, code, err from sochi_ingest("
	    COLUMNS ", $13::bigint[], $14::text[], $15::jsonb[], $16::jsonb[], "
	    "$17::boolean[], $18, $19::boolean)", 19 },
	{ NULL, NULL, 0 }
};

/* Type OIDs of PostgreSQL's binary array format (pg_type.dat). */
#define OID_BOOL	16
#define OID_INT8	20
#define OID_TEXT	25
#define OID_TIMESTAMPTZ	1184
#define OID_JSONB	3802
/* Unix epoch to PostgreSQL's (2000-01-01), in µs. */
#define PG_EPOCH_US	946684800000000LL

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
	struct sbuf	 pbuf[P__COUNT]; /* a batch's parameters, while sending */
	struct sbuf	 rowbuf;	/* one row's data, while submitting */
	int		 starved;	/* a submitter was refused for the budget */
	void		(*on_room[4])(void); /* tell the submitters */
	size_t		 non_room;	/* entries of on_room */
	int		 schema_resets;	/* schema errors since the last commit */
	int		 closing;	/* db_writer_free: refuse, send nothing */
	int		 jmode;		/* journaling: new events go to the journal */
	int		 draining;	/* caught up: new events wait for its tail */
	int		 replay_paused;	/* a record failed: read again when idle */
	size_t		 replay_rows;	/* rows from the journal not yet answered */
	int64_t		 jlogged;	/* when the backlog was last logged */
	char		 boot[24];	/* this process's prefix for made-up keys */
	uint64_t	 seq;		/* the next made-up key */
	uint64_t	 next_batch;	/* the last batch id given */
	struct db_writer_stats stats;	/* counters for /healthz and /metrics */
} w;

static void	w_kick(void);

static struct wbatch *
batch_new(int atomic)
{
	struct wbatch *b;

	if ((b = calloc(1, sizeof(*b))) == NULL)
		return NULL;
	b->atomic = atomic;
	b->plain = 1;
	return b;
}

static void
batch_free(struct wbatch *b)
{
	if (b == NULL)
		return;
	sbuf_free(&b->text);
	free(b->slots);
	free(b);
}

/* Copies a row into the batch; on failure the batch is as it was. */
static int
batch_add(struct wbatch *b, struct wjob *job, const struct event_row *row,
    unsigned tries)
{
	struct wslot *p, *sl;
	size_t cap, mark = b->text.len;
	const char *v;
	int i;

	if (b->n == b->cap) {
		cap = b->cap ? b->cap * 2 : 64;
		if ((p = realloc(b->slots, cap * sizeof(*p))) == NULL)
			return -1;
		b->slots = p;
		b->cap = cap;
	}
	sl = &b->slots[b->n];
	memset(sl, 0, sizeof(*sl));
	for (i = 0; i < ROW__COUNT; i++) {
		if ((v = event_row_text(row, (enum event_row_text)i)) == NULL) {
			sl->row.len[i] = -1;
			continue;
		}
		/* Each string keeps its NUL, so a slot's row can be lent out. */
		sl->row.off[i] = (uint32_t)b->text.len;
		sl->row.len[i] = (int32_t)strlen(v);
		if (sbuf_add(&b->text, v, (size_t)sl->row.len[i] + 1) == -1) {
			sbuf_truncate(&b->text, mark);
			return -1;
		}
	}
	sl->row.kind = row->kind;
	sl->row.at = row->at;
	sl->row.sup = row->sup;
	sl->row.plain = event_row_plain(row);
	sl->row.own_key = row->own_key;
	sl->row.at_given = row->at_given;
	sl->job = job;
	sl->tries = tries;
	b->n++;
	b->live++;
	b->plain = b->plain && sl->row.plain;
	return 0;
}

/* A row of the batch as event_row, borrowing the batch's text. */
static void
slot_row(const struct wbatch *b, const struct wslot *sl,
    struct event_row *row)
{
	const char *v[ROW__COUNT];
	int i;

	for (i = 0; i < ROW__COUNT; i++)
		v[i] = sl->row.len[i] < 0 ? NULL : b->text.data +
		    sl->row.off[i];
	memset(row, 0, sizeof(*row));
	row->kind = sl->row.kind;
	row->at = sl->row.at;
	row->sup = sl->row.sup;
	row->incident = v[ROW_INCIDENT];
	row->src = v[ROW_SRC];
	row->key = v[ROW_KEY];
	row->actor = v[ROW_ACTOR];
	row->phase = v[ROW_PHASE];
	row->text = v[ROW_TEXT];
	row->by = v[ROW_BY];
	row->data = v[ROW_DATA];
	row->grp = v[ROW_GRP];
	row->open = v[ROW_OPEN];
	row->imp = v[ROW_IMP];
	row->own_key = sl->row.own_key;
	row->at_given = sl->row.at_given;
}

/* Submitters paused for the budget go on once half of it is free again. */
static void
room_check(void)
{
	size_t i;

	if (!w.starved || w.stats.pending_bytes > w.budget / 2)
		return;
	w.starved = 0;
	for (i = 0; i < w.non_room; i++)
		w.on_room[i]();
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
	else if (r->journaled)
		w.stats.journaled++;
	else
		w.stats.committed++;
	/*
	 * A journal record read back was counted when it was journaled: only
	 * its storing, or its refusal for good, counts now (a try that found
	 * the database away again is tried later, not refused).
	 */
	if (!job->replay)
		metrics_event(r->err != NULL ? METRICS_REFUSED : r->journaled ?
		    METRICS_JOURNALED : METRICS_COMMITTED, job->mkind,
		    job->msource);
	else if (r->err == NULL)
		metrics_event(METRICS_COMMITTED, job->mkind, job->msource);
	else if (!r->temporary)
		metrics_event(METRICS_REFUSED, job->mkind, job->msource);
	job->done(job, r);
	room_check();
}

/* Answers every job still in b with err, then frees b (out of every list). */
static void
batch_refuse(struct wbatch *b, const char *err, int temporary)
{
	struct wresult r = { 0, NULL, err, temporary, 0 };
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
	    b->n < w.batch_max && b->text.len < BATCH_BYTES_MAX)
		return b;
	if ((b = batch_new(atomic)) == NULL)
		return NULL;
	TAILQ_INSERT_TAIL(&w.queue, b, entry);
	return b;
}

/* What a row costs the budget: its strings and its slot. */
static size_t
slot_bytes(const struct wslot *sl)
{
	size_t n = sizeof(*sl);
	int i;

	for (i = 0; i < ROW__COUNT; i++)
		if (sl->row.len[i] > 0)
			n += (size_t)sl->row.len[i];
	return n;
}

/*
 * The writer takes the job: from here until done() it is the writer's.
 * row says what it stores, for /metrics.
 */
static void
job_hold(struct wjob *job, size_t bytes, const struct event_row *row)
{
	job->deadline = db_conn_now() + w.timeout;
	job->bytes = bytes;
	job->replay = 0;
	job->mkind = (unsigned)row->kind;
	job->msource = metrics_source(row->src);
	w.stats.pending++;
	w.stats.pending_bytes += bytes;
}

/* A new event taken: held, and counted as accepted. */
static void
job_accept(struct wjob *job, size_t bytes, const struct event_row *row)
{
	job_hold(job, bytes, row);
	metrics_event(METRICS_ACCEPTED, job->mkind, job->msource);
}

/* One event's row; data's text goes into buf. */
static int
row_make(const struct sochi_event *ev, const char *source, const char *by,
    struct event_row *row, struct sbuf *buf, char *key, size_t keylen)
{
	struct timeval tv;

	snprintf(key, keylen, "~%s:%llu", w.boot, (unsigned long long)w.seq++);
	event_base_gettimeofday_cached(w.base, &tv);
	return event_row_make(ev, source, by, key,
	    (int64_t)tv.tv_sec * 1000000 + tv.tv_usec, row, buf);
}

/* Jobs waiting for their journal record to reach the disk. */
struct jhold {
	size_t		 n;		/* jobs */
	char		*err;		/* refused before it was written */
	struct wjob	*jobs[];	/* answered together */
};

static void
jhold_answer(void *arg, const char *err)
{
	struct jhold *h = arg;
	struct wresult r = { 0, NULL, err, err != NULL, err == NULL };
	size_t i;

	for (i = 0; i < h->n; i++)
		job_answer(h->jobs[i], &r);
	free(h->err);
	free(h);
}

static void
jhold_refused_cb(evutil_socket_t fd, short what, void *arg)
{
	struct jhold *h = arg;

	jhold_answer(h, h->err != NULL ? h->err : "out of memory; not stored");
}

/*
 * Puts n rows (one record) in the journal; their jobs are answered
 * "journaled" once it is on disk.  A refusal (the journal full) is
 * answered on the next turn of the loop, never under the submitter.
 */
static void
to_journal(struct wjob **jobs, const struct event_row *rows, size_t n,
    int atomic)
{
	struct jhold *h;
	char err[256];

	if ((h = calloc(1, sizeof(*h) + n * sizeof(*h->jobs))) == NULL) {
		struct wresult r = { 0, NULL, "out of memory; not stored", 1, 0 };
		size_t i;

		for (i = 0; i < n; i++)
			job_answer(jobs[i], &r);
		return;
	}
	h->n = n;
	memcpy(h->jobs, jobs, n * sizeof(*jobs));
	if (journal_append(rows, n, atomic, jhold_answer, h, err,
	    sizeof(err)) == -1) {
		h->err = strdup(err);
		event_base_once(w.base, -1, EV_TIMEOUT, jhold_refused_cb, h,
		    &(struct timeval){ 0, 0 });
	}
}

/* Every waiting row of b goes to the journal, as one record; b is freed. */
static void
batch_to_journal(struct wbatch *b)
{
	struct event_row *rows;
	struct wjob **jobs;
	struct wresult r = { 0, NULL, "not stored: the database is away; send "
	    "it again later", 1, 0 };
	size_t i, n = 0;

	rows = calloc(b->n + 1, sizeof(*rows));
	jobs = calloc(b->n + 1, sizeof(*jobs));
	for (i = 0; i < b->n; i++) {
		if (b->slots[i].job == NULL)
			continue;
		if (rows == NULL || jobs == NULL || b->slots[i].job->replay) {
			/* Replayed rows are in the journal already. */
			struct wjob *job = slot_take(b, i);

			job_answer(job, &r);
			continue;
		}
		slot_row(b, &b->slots[i], &rows[n]);
		jobs[n++] = slot_take(b, i);
	}
	if (n > 0)
		to_journal(jobs, rows, n, b->atomic);
	free(rows);
	free(jobs);
	batch_free(b);
}

/*
 * The database cannot take events now: from here on they go to the
 * journal, those waiting first, so that the journal keeps their order.
 */
static void
w_journal_start(const char *why)
{
	struct wbatch_list *lists[2] = { &w.retry, &w.queue };
	struct wbatch *b;
	size_t k;

	struct wbatch *next;
	size_t i;
	int replay;

	if (!journal_enabled() || w.closing)
		return;
	if (!w.jmode) {
		log_warnx("journaling: %s; events are kept on disk until the "
		    "database takes them", why);
		w.jlogged = db_conn_now();
	}
	w.jmode = 1;
	w.draining = 0;
	/* Batches read back from the journal stay: they are in it already. */
	for (k = 0; k < 2; k++)
		for (b = TAILQ_FIRST(lists[k]); b != NULL; b = next) {
			next = TAILQ_NEXT(b, entry);
			for (i = 0, replay = 0; i < b->n; i++)
				if (b->slots[i].job != NULL) {
					replay = b->slots[i].job->replay;
					break;
				}
			if (replay)
				continue;
			TAILQ_REMOVE(lists[k], b, entry);
			batch_to_journal(b);
		}
}

/* A journal record being stored again. */
struct rrec {
	struct journal_rec rec;		/* its rows */
	size_t		 left;		/* not yet answered */
	int		 again;		/* a row must go again later */
};

struct rjob {
	struct wjob	 job;		/* the writer's job */
	struct rrec	*r;		/* whose row */
	const struct event_row *row;	/* the row, in r's buffer */
};

static void	w_journal_check(void);

static void
rjob_done(struct wjob *job, const struct wresult *res)
{
	struct rjob *rj = job->arg;
	struct rrec *rr = rj->r;

	if (res->err != NULL && res->temporary)
		rr->again = 1;
	else if (res->err != NULL)
		journal_reject(rj->row, res->err);
	else
		w.stats.replayed++;
	free(rj);
	w.replay_rows--;
	if (--rr->left == 0) {
		if (rr->again)
			w.replay_paused = 1;
		else
			journal_done(rr->rec.id);
		journal_rec_free(&rr->rec);
		free(rr);
	}
	/* Once nothing is out, read again from the first record not stored. */
	if (w.replay_paused && w.replay_rows == 0) {
		journal_rewind();
		w.replay_paused = 0;
	}
}

/* Reads records back from the journal into batches, while it may. */
static void
w_replay(void)
{
	struct wbatch *b = NULL;
	struct rrec *rr;
	struct rjob *rj;
	size_t i;

	if (!w.jmode || w.replay_paused || w.closing || w.conn == NULL ||
	    !db_conn_room(w.conn))
		return;
	while (w.replay_rows < 2 * w.batch_max) {
		if ((rr = calloc(1, sizeof(*rr))) == NULL)
			break;
		if (journal_next(&rr->rec) != 1) {
			free(rr);
			break;
		}
		if (b != NULL && (rr->rec.atomic || b->n + rr->rec.n >
		    w.batch_max)) {
			TAILQ_INSERT_TAIL(&w.retry, b, entry);
			b = NULL;
		}
		if (b == NULL && (b = batch_new(rr->rec.atomic)) == NULL) {
			journal_rec_free(&rr->rec);
			free(rr);
			journal_rewind();
			break;
		}
		rr->left = rr->rec.n;
		for (i = 0; i < rr->rec.n; i++) {
			if ((rj = calloc(1, sizeof(*rj))) == NULL ||
			    batch_add(b, &rj->job, &rr->rec.rows[i], 0) == -1) {
				/* Its record is read again once the rest is in. */
				free(rj);
				rr->again = 1;
				if (--rr->left == 0) {
					journal_rec_free(&rr->rec);
					free(rr);
					w.replay_paused = 1;
				}
				continue;
			}
			rj->job.done = rjob_done;
			rj->job.arg = rj;
			rj->r = rr;
			rj->row = &rr->rec.rows[i];
			job_hold(&rj->job, 0, rj->row);
			rj->job.replay = 1;
			w.replay_rows++;
		}
		if (rr->rec.atomic) {
			TAILQ_INSERT_TAIL(&w.retry, b, entry);
			b = NULL;
		}
	}
	if (b != NULL)
		TAILQ_INSERT_TAIL(&w.retry, b, entry);
	w_journal_check();
}

/*
 * Caught up with the journal: new events wait behind its tail (not sent
 * until it is stored, so the order holds); once it is all stored, they go
 * straight to the database again.
 */
static void
w_journal_check(void)
{
	struct db_conn_stats cs;

	if (!w.jmode || w.conn == NULL)
		return;
	db_conn_stats(w.conn, &cs);
	if (!cs.ready)
		return;
	if (!w.draining && journal_caught_up() && !w.replay_paused)
		w.draining = 1;
	if (w.draining && journal_empty() && w.replay_rows == 0) {
		if (journal_truncate() == -1)
			return;
		w.jmode = w.draining = 0;
		log_info("journal: every event it held is stored; writing "
		    "directly again");
	}
}

int
db_writer_submit(struct wjob *job, const struct sochi_event *ev,
    const char *source, const char *by)
{
	struct event_row row;
	char key[64];

	if (row_make(ev, source, by, &row, &w.rowbuf, key, sizeof(key)) == -1)
		return -1;
	return db_writer_submit_row(job, &row);
}

int
db_writer_submit_row(struct wjob *job, const struct event_row *row)
{
	struct wbatch *b;

	if (w.jmode && !w.draining) {
		job_accept(job, 0, row);
		to_journal(&job, row, 1, 0);
		return 0;
	}
	if ((b = batch_open(0)) == NULL || batch_add(b, job, row, 0) == -1)
		return -1;
	job_accept(job, slot_bytes(&b->slots[b->n - 1]), row);
	w_kick();
	return 0;
}

/* Queues a batch of its own, all or nothing (or journals it so). */
static int
submit_batch(struct wbatch *b)
{
	struct event_row row;
	size_t i;

	for (i = 0; i < b->n; i++) {
		slot_row(b, &b->slots[i], &row);
		job_accept(b->slots[i].job, slot_bytes(&b->slots[i]), &row);
	}
	if (w.jmode && !w.draining) {
		batch_to_journal(b);
		return 0;
	}
	TAILQ_INSERT_TAIL(&w.queue, b, entry);
	w_kick();
	return 0;
}

int
db_writer_submit_atomic(struct wjob **jobs, const struct sochi_event *evs,
    size_t n, const char *source, const char *by)
{
	struct sbuf data = SBUF_INIT;
	struct event_row row;
	struct wbatch *b;
	char key[64];
	size_t i;

	if ((b = batch_new(1)) == NULL)
		return -1;
	for (i = 0; i < n; i++)
		if (row_make(&evs[i], source, by, &row, &data, key,
		    sizeof(key)) == -1 || batch_add(b, jobs[i], &row, 0) == -1) {
			sbuf_free(&data);
			batch_free(b);
			return -1;
		}
	sbuf_free(&data);
	return submit_batch(b);
}

int
db_writer_submit_rows(struct wjob **jobs, const struct event_row *rows,
    size_t n)
{
	struct wbatch *b;
	size_t i;

	if ((b = batch_new(1)) == NULL)
		return -1;
	for (i = 0; i < n; i++)
		if (batch_add(b, jobs[i], &rows[i], 0) == -1) {
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

int
db_writer_on_room(void (*cb)(void))
{
	if (w.non_room == sizeof(w.on_room) / sizeof(w.on_room[0]))
		return -1;
	w.on_room[w.non_room++] = cb;
	return 0;
}

/*
 * A new batch holding the live rows of b, from..to (slots), in order; the
 * jobs move to it.  NULL without memory (b is left as it was).
 */
static struct wbatch *
batch_part(struct wbatch *b, size_t from, size_t to)
{
	struct event_row row;
	struct wbatch *nb;
	size_t i;

	if ((nb = batch_new(b->atomic)) == NULL)
		return NULL;
	for (i = from; i < to; i++) {
		if (b->slots[i].job == NULL)
			continue;
		slot_row(b, &b->slots[i], &row);
		if (batch_add(nb, b->slots[i].job, &row, b->slots[i].tries) ==
		    -1) {
			batch_free(nb);
			return NULL;
		}
	}
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
	sbuf_free(&b->text);
	free(b->slots);
	b->text = nb->text;
	b->slots = nb->slots;
	b->n = nb->n;
	b->cap = nb->cap;
	b->live = nb->live;
	b->plain = nb->plain;
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
		/* While journaling, only what comes from the journal goes. */
		if (TAILQ_EMPTY(&w.retry) && w.jmode)
			return NULL;
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

static int
put32(struct sbuf *o, uint32_t v)
{
	unsigned char b[4] = { v >> 24, v >> 16, v >> 8, v };

	return sbuf_add(o, b, 4);
}

static int
put64(struct sbuf *o, uint64_t v)
{
	return put32(o, (uint32_t)(v >> 32)) | put32(o, (uint32_t)v);
}

/*
 * PostgreSQL's binary array format (array_recv): dimensions, whether any
 * element is null, the element type, length and lower bound, then each
 * element as a length (-1: null) and its bytes.
 */
static int
arr_start(struct sbuf *o, uint32_t oid, size_t n)
{
	sbuf_truncate(o, 0);
	return put32(o, 1) | put32(o, 0) | put32(o, oid) |
	    put32(o, (uint32_t)n) | put32(o, 1);
}

static int
arr_null(struct sbuf *o)
{
	/* The header's null flag (its second word) is set on the first one. */
	o->data[7] = 1;
	return put32(o, 0xffffffffU);
}

/*
 * A column of strings: text, or jsonb (a version byte before the text).
 * With empty_null, the empty object goes as null, which the functions
 * read as '{}': most events' data is empty, and the server parses every
 * jsonb value it receives.
 */
static int
arr_strings(struct sbuf *o, const struct wbatch *b, enum event_row_text col,
    int jsonb, int empty_null)
{
	const struct wslot *sl;
	size_t i;
	int rv;

	rv = arr_start(o, jsonb ? OID_JSONB : OID_TEXT, b->n);
	for (i = 0; i < b->n; i++) {
		sl = &b->slots[i];
		if (sl->row.len[col] < 0 || (empty_null &&
		    sl->row.len[col] == 2 &&
		    memcmp(b->text.data + sl->row.off[col], "{}", 2) == 0)) {
			rv |= arr_null(o);
			continue;
		}
		rv |= put32(o, (uint32_t)sl->row.len[col] + (jsonb ? 1 : 0));
		if (jsonb)
			rv |= sbuf_addc(o, 1);
		rv |= sbuf_add(o, b->text.data + sl->row.off[col],
		    (size_t)sl->row.len[col]);
	}
	return rv;
}

/* The statement's parameters for batch b, into w.pbuf; -1 without memory. */
static int
batch_params(const struct wbatch *b, const char **params, int *lengths,
    int *formats)
{
	static const enum event_row_text cols[] = { 0, ROW_INCIDENT, 0,
	    ROW_SRC, ROW_KEY, ROW_ACTOR, ROW_PHASE, ROW_TEXT, ROW_BY,
	    ROW_DATA, 0, 0, 0, ROW_GRP, ROW_OPEN, ROW_IMP };
	struct sbuf *o;
	size_t i;
	int k, n = b->plain ? P_SUP + 1 : P__COUNT, rv = 0;

	for (k = 0; k < n; k++) {
		o = &w.pbuf[k];
		formats[k] = 1;
		switch (k) {
		case P_KIND:
			rv |= arr_start(o, OID_TEXT, b->n);
			for (i = 0; i < b->n; i++) {
				const char *kn = event_kind_name(
				    b->slots[i].row.kind);

				rv |= put32(o, (uint32_t)strlen(kn));
				rv |= sbuf_adds(o, kn);
			}
			break;
		case P_AT:
			rv |= arr_start(o, OID_TIMESTAMPTZ, b->n);
			for (i = 0; i < b->n; i++)
				rv |= put32(o, 8) | put64(o, (uint64_t)
				    (b->slots[i].row.at - PG_EPOCH_US));
			break;
		case P_SUP:
			if (b->plain) {
				/* The plain statement's last: p_atomic. */
				formats[k] = 0;
				sbuf_truncate(o, 0);
				rv |= sbuf_adds(o, b->atomic ? "t" : "f");
				break;
			}
			rv |= arr_start(o, OID_INT8, b->n);
			for (i = 0; i < b->n; i++)
				rv |= b->slots[i].row.sup == 0 ? arr_null(o) :
				    put32(o, 8) | put64(o,
				    (uint64_t)b->slots[i].row.sup);
			break;
		case P_PLAIN:
		case P_OWN:
		case P_AT_GIVEN:
			rv |= arr_start(o, OID_BOOL, b->n);
			for (i = 0; i < b->n; i++) {
				const struct wrow *r = &b->slots[i].row;

				rv |= put32(o, 1) | sbuf_addc(o, k == P_PLAIN ?
				    r->plain : k == P_OWN ? r->own_key :
				    r->at_given);
			}
			break;
		case P_TZ:
			formats[k] = 0;
			sbuf_truncate(o, 0);
			rv |= sbuf_adds(o, w.tz);
			break;
		case P_ATOMIC:
			formats[k] = 0;
			sbuf_truncate(o, 0);
			rv |= sbuf_adds(o, b->atomic ? "t" : "f");
			break;
		default:
			rv |= arr_strings(o, b, cols[k], k == P_DATA ||
			    k == P_OPEN || k == P_IMP, k == P_DATA);
			break;
		}
		params[k] = o->data;
		lengths[k] = (int)o->len;
	}
	return rv != 0 ? -1 : n;
}

static void
w_kick(void)
{
	const char *params[P__COUNT];
	int lengths[P__COUNT], formats[P__COUNT], n;
	struct wbatch *b;

	w_replay();
	while (w.conn != NULL && db_conn_room(w.conn) &&
	    (b = batch_next()) != NULL) {
		b->sealed = 1;
		if ((n = batch_params(b, params, lengths, formats)) == -1) {
			batch_refuse(b, "out of memory; not stored", 1);
			continue;
		}
		memset(&b->req, 0, sizeof(b->req));
		b->req.stmt = b->plain ? "sochi_plain" : "sochi_ingest";
		b->req.nparams = n;
		b->req.params = params;
		b->req.lengths = lengths;
		b->req.formats = formats;
		b->req.done = batch_done;
		b->req.arg = b;
		/* A batch sent again keeps its id: the log follows it. */
		if (b->id == 0)
			b->id = ++w.next_batch;
		b->sent = db_conn_now();
		/* libpq copies the parameters into its buffer as it sends. */
		if (db_conn_send(w.conn, &b->req) == -1) {
			TAILQ_INSERT_HEAD(&w.retry, b, entry);
			return;
		}
		TAILQ_INSERT_TAIL(&w.inflight, b, entry);
		log_debug("db writer: batch %llu: sent, %s%zu rows, %zu bytes",
		    (unsigned long long)b->id, b->plain ? "plain, " : "", b->n,
		    b->text.len);
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
	int late = 0;

	/*
	 * Events that waited write_timeout go to the journal (with all that
	 * waits behind them) rather than being refused; what is left to
	 * refuse then is only rows read back from the journal, which stay
	 * there for the next try.
	 */
	for (k = 0; k < 2 && !late; k++)
		TAILQ_FOREACH(b, lists[k], entry)
			for (i = 0; i < b->n && !late; i++)
				late = b->slots[i].job != NULL &&
				    !b->slots[i].job->replay &&
				    b->slots[i].job->deadline <= now;
	if (late && journal_enabled()) {
		snprintf(msg, sizeof(msg), "the database took no event within "
		    "%lld s", (long long)(w.timeout / 1000000));
		w_journal_start(msg);
	}

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
	if (w.stats.stalled)
		snprintf(msg, sizeof(msg), "not stored: the database did not "
		    "answer within %lld s; send it again later",
		    (long long)(w.timeout / 1000000));
	else
		snprintf(msg, sizeof(msg), "not stored: the database has been "
		    "unavailable for %lld s; send it again later",
		    (long long)(w.timeout / 1000000));
	if (!w.jmode)
		log_warnx("%zu events waited %lld s for the database and were "
		    "refused", n, (long long)(w.timeout / 1000000));
	r = (struct wresult){ 0, NULL, msg, 1, 0 };
	for (i = 0; i < n; i++)
		job_answer(due[i], &r);
	free(due);
}

static void
w_tick_cb(evutil_socket_t fd, short what, void *arg)
{
	struct db_conn_stats cs;
	size_t events, bytes;
	int64_t age, now = db_conn_now();

	/* A server that refuses connections: journal at once, not in 30 s. */
	db_conn_stats(w.conn, &cs);
	if (!cs.ready && cs.failures > 0)
		w_journal_start("the database is unreachable");
	w_expire();
	w_kick();
	w_journal_check();
	if (w.jmode && now - w.jlogged >= 60 * 1000000LL) {
		journal_backlog(&events, &age, &bytes);
		log_warnx("journal: %zu events (%zu bytes) not yet stored, the "
		    "oldest %lld s old", events, bytes,
		    (long long)(age / 1000000));
		w.jlogged = now;
	}
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
	    strcmp(st, "25P02") == 0;		/* aborted transaction */
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
	if (strcmp(res->sqlstate, "25006") == 0) {
		/*
		 * The session turned read-only under the writer (a server
		 * set default_transaction_read_only): no batch will commit on
		 * it.  Sending the batch again would fail as fast, round and
		 * round; instead the database counts as away, the events go
		 * to the journal, and a new connection is made, which the
		 * connection's check refuses for as long as the server is
		 * read-only (or which finds the writable host).
		 */
		log_warnx("db writer: %s (%s): the server is read-only; "
		    "reconnecting", res->error, res->sqlstate);
		TAILQ_INSERT_TAIL(&w.retry, b, entry);
		w_journal_start("the database is read-only");
		db_conn_reset(w.conn, "the server is read-only");
		return;
	}
	if (schema_changed(res->sqlstate) &&
	    ++w.schema_resets <= SCHEMA_RESETS_MAX) {
		log_warnx("db writer: batch %llu: %s (%s): the schema changed; "
		    "reconnecting to check it and prepare again",
		    (unsigned long long)b->id, res->error, res->sqlstate);
		TAILQ_INSERT_TAIL(&w.retry, b, entry);
		db_conn_reset(w.conn, "the schema changed");
		return;
	}
	if (retryable(res->sqlstate)) {
		if (strcmp(res->sqlstate, "57014") == 0)
			w.stats.stalled = 1;
		log_warnx("db writer: batch %llu of %zu events failed (%s: %s); "
		    "sending it again", (unsigned long long)b->id, b->live,
		    res->sqlstate, res->error);
		TAILQ_INSERT_TAIL(&w.retry, b, entry);
		return;
	}
	if (data_error(res->sqlstate) && !b->atomic && b->live > 1) {
		/* Only the rows the database refuses are refused. */
		log_debug("db writer: batch %llu: %s (%s) in its %zu rows: "
		    "splitting it", (unsigned long long)b->id, res->error,
		    res->sqlstate, b->live);
		if (batch_split(b) == 0)
			return;
	}
	if (!data_error(res->sqlstate))
		log_warnx("db writer: the database refused batch %llu of %zu "
		    "events: %s (%s)", (unsigned long long)b->id, b->live,
		    res->error, res->sqlstate);
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
		r.journaled = 0;
		if (r.err == NULL && r.id == 0 &&
		    b->slots[i].tries + 1 < ROW_TRIES_MAX) {
			/* Its key was stored by another transaction: again. */
			struct event_row row;

			slot_row(b, &b->slots[i], &row);
			if (again == NULL)
				again = batch_new(b->atomic);
			if (again != NULL && batch_add(again, b->slots[i].job,
			    &row, b->slots[i].tries + 1) == 0) {
				b->slots[i].job = NULL;
				b->live--;
				continue;
			}
			r.err = "out of memory; not stored";
		}
		if (r.err == NULL && r.id == 0)
			r.err = "database error: no id";
		if ((job = slot_take(b, i)) != NULL)
			job_answer(job, &r);
	}
	if (again != NULL)
		TAILQ_INSERT_TAIL(&w.retry, again, entry);
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
		log_warnx("db writer: batch %llu: ingest answered %d rows for "
		    "%zu events", (unsigned long long)b->id,
		    res->res ? PQntuples(res->res) : -1, b->n);
		batch_refuse(b, "database error: wrong number of answers", 0);
	} else {
		metrics_batch(b->n, db_conn_now() - b->sent);
		batch_answer(b, res->res);
		batch_free(b);
	}
	PQclear(res->res);
	/*
	 * A failed batch waits again: whatever in it is past its deadline is
	 * answered now, not resent (a statement the server stopped at its
	 * statement_timeout would otherwise go round until the stall ends).
	 */
	if (res->failed)
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
	dc.writable = 1;
	dc.stmts = stmts;
	dc.on_ready = w_ready;
	if ((w.conn = db_conn_new(base, &dc)) == NULL)
		return -1;
	if (journal_init(base, cf) == -1)
		return -1;
	/* What the journal holds from before goes first. */
	if (journal_enabled() && !journal_empty()) {
		w.jmode = 1;
		w.jlogged = db_conn_now();
	}
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
		/*
		 * Stalled until a batch commits, through the reconnection that
		 * follows a deadline; a server that then refuses connections
		 * is down, not stalled.
		 */
		if (cs.failures > 0)
			s->stalled = 0;
		if (cs.oldest > w.timeout)
			s->stalled = 1;
	}
	s->journaling = w.jmode;
	if (journal_enabled())
		journal_backlog(&s->journal_events, &s->journal_age,
		    &s->journal_bytes);
}

void
db_writer_reload(const struct sochi_config *cf)
{
	w.batch_max = (size_t)cf->batch_max;
	w.budget = (size_t)cf->max_pending_bytes;
	/* More room than before: paused submitters may go on. */
	room_check();
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
	/* The journal's thread finishes its group; its senders are told. */
	journal_free();
	for (k = 0; k < 3; k++)
		while ((b = TAILQ_FIRST(lists[k])) != NULL) {
			TAILQ_REMOVE(lists[k], b, entry);
			batch_refuse(b, "not stored: sochid is stopping", 1);
		}
	if (w.ev_tick != NULL)
		event_free(w.ev_tick);
	for (k = 0; k < P__COUNT; k++)
		sbuf_free(&w.pbuf[k]);
	sbuf_free(&w.rowbuf);
	free(w.tz);
	memset(&w, 0, sizeof(w));
}
