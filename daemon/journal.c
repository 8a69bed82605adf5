/* SPDX-License-Identifier: MIT */
/*
 * The journal.  See journal.h.
 *
 * The loop packs records into `pend` and the thread writes what has
 * gathered there with one write and one fdatasync (group commit, as the
 * writer does with PostgreSQL), then says how far it got through a pipe;
 * the loop calls back every append that group held.  Only the thread
 * touches the file while it writes; the loop reads records back (from the
 * page cache: they were just written) only below what the thread has
 * reported durable.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "crc32c.h"
#include "journal.h"
#include "log.h"

#define REC_HEADER	8		/* length, crc */
#define PAYLOAD_HEADER	14		/* version, flags, rows, accepted */
#define REC_MAX		(64 * 1024 * 1024)	/* no record is larger */

/* An append waiting for its group to reach the disk. */
struct jwait {
	uint64_t	 seq;		/* its place in the order of appends */
	size_t		 rows;		/* events it holds */
	journal_cb	 cb;		/* who is told */
	void		*arg;
};

/* A record handed out and not yet stored. */
struct jout {
	uint64_t	 id;		/* its offset */
	uint64_t	 end;		/* the offset after it */
	size_t		 rows;		/* events it holds */
	int		 done;		/* stored (or refused for good) */
};

/* What the thread reports for a group. */
struct jresult {
	uint64_t	 upto;		/* appends up to this seq */
	int		 err;		/* errno, or 0 */
	uint64_t	 size;		/* the file's durable size after it */
};

static struct {
	int		 enabled;	/* journal = outage */
	char		*path;		/* state_dir/journal */
	char		*rejected;	/* state_dir/journal.rejected */
	int		 fd;		/* the file, O_APPEND */
	uint64_t	 max;		/* journal_max_bytes */
	struct event_base *base;	/* the loop */
	int		 pipe[2];	/* thread -> loop: a group is done */
	struct event	*ev_pipe;	/* reads pipe[0] */
	pthread_t	 thread;	/* writes and syncs */
	int		 started;	/* thread runs */

	/* Shared with the thread, under mu. */
	pthread_mutex_t	 mu;
	pthread_cond_t	 cv;
	struct sbuf	 pend;		/* records not yet handed to the thread */
	uint64_t	 pend_seq;	/* the last append in pend */
	struct jresult	*results;	/* reported, not yet taken by the loop */
	size_t		 nresults, capresults;
	int		 stop;		/* journal_free */
	int		 writing;	/* the thread holds a group */
	uint64_t	 tsize;		/* the file's size as the thread knows it */

	/* The loop's. */
	uint64_t	 seq;		/* the last append */
	struct jwait	*waits;		/* appends not yet on disk, in order */
	size_t		 nwaits, capwaits;
	size_t		 waitbytes;	/* their bytes */
	uint64_t	 durable;	/* the file's durable size */
	uint64_t	 read_off;	/* the next record to hand out */
	struct jout	*outs;		/* handed out, in order */
	size_t		 nouts, capouts;
	uint64_t	 done_off;	/* every record before it is stored */
	size_t		 events;	/* events on disk not yet stored */
} j;

static int
grow(void **p, size_t *cap, size_t n, size_t size)
{
	void *q;
	size_t c;

	if (n < *cap)
		return 0;
	c = *cap ? *cap * 2 : 16;
	if ((q = realloc(*p, c * size)) == NULL)
		return -1;
	*p = q;
	*cap = c;
	return 0;
}

static uint32_t
get32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

static int
put32(struct sbuf *b, uint32_t v)
{
	unsigned char x[4] = { v, v >> 8, v >> 16, v >> 24 };

	return sbuf_add(b, x, 4);
}

static int64_t
now_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static ssize_t
pread_all(int fd, void *buf, size_t n, uint64_t off)
{
	size_t got = 0;
	ssize_t r;

	while (got < n) {
		r = pread(fd, (char *)buf + got, n - got, (off_t)(off + got));
		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0)
			return r == 0 ? (ssize_t)got : -1;
		got += (size_t)r;
	}
	return (ssize_t)got;
}

/*
 * The record at off, whole and checked: its payload in *buf (owned) and
 * its length, or -1 when what is there is not a whole record.
 */
static int
read_record(uint64_t off, uint64_t limit, char **buf, uint32_t *len)
{
	unsigned char h[REC_HEADER];
	uint32_t n;
	char *p;

	if (limit - off < REC_HEADER ||
	    pread_all(j.fd, h, REC_HEADER, off) != REC_HEADER)
		return -1;
	n = get32(h);
	if (n < PAYLOAD_HEADER || n > REC_MAX || limit - off - REC_HEADER < n)
		return -1;
	if ((p = malloc(n + 1)) == NULL)
		return -1;
	if (pread_all(j.fd, p, n, off + REC_HEADER) != (ssize_t)n ||
	    crc32c(0, p, n) != get32(h + 4) || p[0] != 1) {
		free(p);
		return -1;
	}
	p[n] = '\0';
	*buf = p;
	*len = n;
	return 0;
}

static void *
jthread(void *arg)
{
	struct sbuf work = SBUF_INIT, t;
	struct jresult res;
	size_t off;
	ssize_t r;
	char c = 'x';

	pthread_mutex_lock(&j.mu);
	for (;;) {
		while (!j.stop && j.pend.len == 0)
			pthread_cond_wait(&j.cv, &j.mu);
		if (j.pend.len == 0)
			break;
		t = work;
		work = j.pend;
		j.pend = t;
		sbuf_truncate(&j.pend, 0);
		res.upto = j.pend_seq;
		j.writing = 1;
		pthread_mutex_unlock(&j.mu);

		res.err = 0;
		for (off = 0; off < work.len; off += (size_t)r)
			if ((r = write(j.fd, work.data + off, work.len - off)) ==
			    -1) {
				if (errno == EINTR) {
					r = 0;
					continue;
				}
				res.err = errno;
				break;
			}
		if (res.err == 0 && fdatasync(j.fd) == -1)
			res.err = errno;

		pthread_mutex_lock(&j.mu);
		/* What did not reach the disk whole is taken back off it. */
		if (res.err != 0)
			(void)!ftruncate(j.fd, (off_t)j.tsize);
		else
			j.tsize += work.len;
		res.size = j.tsize;
		sbuf_truncate(&work, 0);
		if (grow((void **)&j.results, &j.capresults, j.nresults,
		    sizeof(*j.results)) == 0)
			j.results[j.nresults++] = res;
		j.writing = 0;
		(void)!write(j.pipe[1], &c, 1);
	}
	pthread_mutex_unlock(&j.mu);
	sbuf_free(&work);
	return NULL;
}

/* Groups the thread finished: call back their appends. */
static void
pipe_cb(evutil_socket_t fd, short what, void *arg)
{
	struct jresult *res = NULL;
	struct jwait w;
	size_t nres, i, k = 0;
	char buf[64], msg[160];

	while (read(fd, buf, sizeof(buf)) > 0)
		;
	pthread_mutex_lock(&j.mu);
	res = j.results;
	nres = j.nresults;
	j.results = NULL;
	j.nresults = j.capresults = 0;
	pthread_mutex_unlock(&j.mu);

	for (i = 0; i < nres; i++) {
		if (res[i].err == 0)
			j.durable = res[i].size;
		else
			log_warnx("journal: writing %s failed: %s; the events "
			    "were refused", j.path, strerror(res[i].err));
		snprintf(msg, sizeof(msg), "not stored: the database is away "
		    "and the journal could not be written: %s",
		    strerror(res[i].err));
		while (k < j.nwaits && j.waits[k].seq <= res[i].upto) {
			w = j.waits[k++];
			if (res[i].err == 0)
				j.events += w.rows;
			w.cb(w.arg, res[i].err == 0 ? NULL : msg);
		}
	}
	free(res);
	if (k > 0) {
		memmove(j.waits, j.waits + k,
		    (j.nwaits - k) * sizeof(*j.waits));
		j.nwaits -= k;
	}
	j.waitbytes = 0;
	pthread_mutex_lock(&j.mu);
	j.waitbytes = j.pend.len;
	pthread_mutex_unlock(&j.mu);
}

int
journal_append(const struct event_row *rows, size_t n, int atomic,
    journal_cb cb, void *arg, char *err, size_t errlen)
{
	struct sbuf rec = SBUF_INIT;
	size_t i, mark;
	int rv = 0;
	int64_t now = now_usec();

	/* Header first, its length and crc filled in once the rows are in. */
	rv |= put32(&rec, 0) | put32(&rec, 0);
	rv |= sbuf_addc(&rec, 1) | sbuf_addc(&rec, atomic ? 1 : 0);
	rv |= put32(&rec, (uint32_t)n);
	rv |= put32(&rec, (uint32_t)(uint64_t)now) |
	    put32(&rec, (uint32_t)((uint64_t)now >> 32));
	for (i = 0; i < n; i++)
		rv |= event_row_pack(&rows[i], &rec);
	if (rv != 0 || rec.len - REC_HEADER > REC_MAX) {
		snprintf(err, errlen, "not stored: the database is away and the "
		    "event is too large to journal");
		sbuf_free(&rec);
		return -1;
	}
	if (j.durable + j.waitbytes + rec.len > j.max) {
		snprintf(err, errlen, "not stored: the database is away and the "
		    "journal is full (journal_max_bytes %llu)",
		    (unsigned long long)j.max);
		sbuf_free(&rec);
		return -1;
	}
	{
		unsigned char *h = (unsigned char *)rec.data;
		uint32_t len = (uint32_t)(rec.len - REC_HEADER);
		uint32_t crc = crc32c(0, rec.data + REC_HEADER, len);

		h[0] = len; h[1] = len >> 8; h[2] = len >> 16; h[3] = len >> 24;
		h[4] = crc; h[5] = crc >> 8; h[6] = crc >> 16; h[7] = crc >> 24;
	}
	if (grow((void **)&j.waits, &j.capwaits, j.nwaits,
	    sizeof(*j.waits)) == -1) {
		snprintf(err, errlen, "out of memory; not stored");
		sbuf_free(&rec);
		return -1;
	}
	pthread_mutex_lock(&j.mu);
	mark = j.pend.len;
	if (sbuf_add(&j.pend, rec.data, rec.len) == -1) {
		sbuf_truncate(&j.pend, mark);
		pthread_mutex_unlock(&j.mu);
		snprintf(err, errlen, "out of memory; not stored");
		sbuf_free(&rec);
		return -1;
	}
	j.pend_seq = ++j.seq;
	j.waitbytes = j.pend.len;
	pthread_cond_signal(&j.cv);
	pthread_mutex_unlock(&j.mu);
	j.waits[j.nwaits++] = (struct jwait){ j.seq, n, cb, arg };
	sbuf_free(&rec);
	return 0;
}

int
journal_next(struct journal_rec *rec)
{
	const char *p;
	size_t off, used, i;
	uint32_t len;
	char *buf;

	memset(rec, 0, sizeof(*rec));
	if (j.read_off >= j.durable)
		return 0;
	if (read_record(j.read_off, j.durable, &buf, &len) == -1) {
		log_warnx("journal: %s: the record at %llu cannot be read; "
		    "leaving the rest of the file for a person", j.path,
		    (unsigned long long)j.read_off);
		j.read_off = j.durable;
		return 0;
	}
	p = buf;
	rec->id = j.read_off;
	rec->atomic = (p[1] & 1) != 0;
	rec->n = get32((const unsigned char *)p + 2);
	rec->accepted = (int64_t)((uint64_t)get32((const unsigned char *)p + 6) |
	    (uint64_t)get32((const unsigned char *)p + 10) << 32);
	rec->buf = buf;
	if (rec->n == 0 || rec->n > len ||
	    (rec->rows = calloc(rec->n, sizeof(*rec->rows))) == NULL ||
	    grow((void **)&j.outs, &j.capouts, j.nouts, sizeof(*j.outs)) ==
	    -1) {
		journal_rec_free(rec);
		return 0;
	}
	for (off = PAYLOAD_HEADER, i = 0; i < rec->n; i++, off += used)
		if ((used = event_row_unpack(buf + off, len - off,
		    &rec->rows[i])) == 0) {
			log_warnx("journal: %s: the record at %llu holds a row "
			    "that cannot be read; skipped", j.path,
			    (unsigned long long)j.read_off);
			rec->n = i;
			break;
		}
	j.outs[j.nouts++] = (struct jout){ j.read_off, j.read_off +
	    REC_HEADER + len, rec->n, 0 };
	j.read_off += REC_HEADER + len;
	return 1;
}

void
journal_rec_free(struct journal_rec *rec)
{
	free(rec->rows);
	free(rec->buf);
	memset(rec, 0, sizeof(*rec));
}

void
journal_done(uint64_t id)
{
	size_t i, k = 0;

	for (i = 0; i < j.nouts; i++)
		if (j.outs[i].id == id && !j.outs[i].done) {
			j.outs[i].done = 1;
			j.events -= j.outs[i].rows < j.events ? j.outs[i].rows :
			    j.events;
		}
	/* The stored prefix moves on. */
	while (k < j.nouts && j.outs[k].done)
		j.done_off = j.outs[k++].end;
	memmove(j.outs, j.outs + k, (j.nouts - k) * sizeof(*j.outs));
	j.nouts -= k;
}

void
journal_rewind(void)
{
	size_t i;

	/* The done ones past the first not done are read and stored again. */
	for (i = 0; i < j.nouts; i++)
		if (j.outs[i].done)
			j.events += j.outs[i].rows;
	j.nouts = 0;
	j.read_off = j.done_off;
}

int
journal_empty(void)
{
	return j.nwaits == 0 && j.nouts == 0 && j.done_off >= j.durable;
}

int
journal_caught_up(void)
{
	return j.nwaits == 0 && j.read_off >= j.durable;
}

int
journal_truncate(void)
{
	int rv = 0;

	if (!journal_empty() || j.durable == 0)
		return 0;
	pthread_mutex_lock(&j.mu);
	if (j.pend.len == 0 && !j.writing) {
		if (ftruncate(j.fd, 0) == -1) {
			log_warn("journal: truncating %s", j.path);
			rv = -1;
		} else {
			j.tsize = 0;
			j.durable = j.read_off = j.done_off = 0;
			j.events = 0;
		}
	}
	pthread_mutex_unlock(&j.mu);
	return rv;
}

void
journal_reject(const struct event_row *row, const char *why)
{
	struct sbuf b = SBUF_INIT;
	int fd;

	log_warnx("journal: event %s of %s (%s, incident %s) was refused when "
	    "stored from the journal: %s; kept in %s", row->key, row->src,
	    event_kind_name(row->kind), row->incident ? row->incident : "-",
	    why, j.rejected);
	sbuf_adds(&b, "{\"why\":");
	sbuf_add_json_string(&b, why, strlen(why));
	sbuf_printf(&b, ",\"kind\":\"%s\",\"at_usec\":%lld",
	    event_kind_name(row->kind), (long long)row->at);
	for (int i = 0; i < ROW__COUNT; i++) {
		static const char *const names[ROW__COUNT] = { "incident",
		    "src", "key", "actor", "phase", "text", "by", "data", "grp",
		    "open", "imp" };
		const char *v = event_row_text(row, (enum event_row_text)i);

		if (v == NULL)
			continue;
		sbuf_printf(&b, ",\"%s\":", names[i]);
		sbuf_add_json_string(&b, v, strlen(v));
	}
	sbuf_adds(&b, "}\n");
	/* Rare, small, and for a person: no fsync. */
	if ((fd = open(j.rejected, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC,
	    0600)) == -1 || write(fd, b.data, b.len) != (ssize_t)b.len)
		log_warn("journal: %s", j.rejected);
	if (fd != -1)
		close(fd);
	sbuf_free(&b);
}

void
journal_backlog(size_t *events, int64_t *age, size_t *bytes)
{
	char *buf;
	uint32_t len;
	uint64_t off = j.done_off;

	*events = j.events;
	*bytes = j.durable - (j.done_off < j.durable ? j.done_off : j.durable);
	*age = 0;
	if (off < j.durable && read_record(off, j.durable, &buf, &len) == 0) {
		const unsigned char *p = (const unsigned char *)buf;
		int64_t acc = (int64_t)((uint64_t)get32(p + 6) |
		    (uint64_t)get32(p + 10) << 32);

		*age = now_usec() - acc;
		free(buf);
	}
}

int
journal_enabled(void)
{
	return j.enabled;
}

/* Reads the file through: counts what waits, drops a record cut short. */
static int
scan(void)
{
	struct stat st;
	uint64_t off = 0;
	uint32_t len;
	char *buf;

	if (fstat(j.fd, &st) == -1)
		return -1;
	while (read_record(off, (uint64_t)st.st_size, &buf, &len) == 0) {
		j.events += get32((const unsigned char *)buf + 2);
		free(buf);
		off += REC_HEADER + len;
	}
	if (off < (uint64_t)st.st_size) {
		log_warnx("journal: %s: dropping %llu bytes at %llu, a record "
		    "cut short (it was never answered)", j.path,
		    (unsigned long long)((uint64_t)st.st_size - off),
		    (unsigned long long)off);
		if (ftruncate(j.fd, (off_t)off) == -1 || fdatasync(j.fd) == -1)
			return -1;
	}
	j.durable = j.tsize = off;
	if (j.events > 0)
		log_warnx("journal: %s holds %zu events not yet stored; they go "
		    "first once the database is there", j.path, j.events);
	return 0;
}

int
journal_init(struct event_base *base, const struct sochi_config *cf)
{
	memset(&j, 0, sizeof(j));
	j.fd = j.pipe[0] = j.pipe[1] = -1;
	if (strcmp(cf->journal, "off") == 0)
		return 0;
	j.enabled = 1;
	j.base = base;
	j.max = (uint64_t)cf->journal_max_bytes;
	if (asprintf(&j.path, "%s/journal", cf->state_dir) == -1 ||
	    asprintf(&j.rejected, "%s/journal.rejected", cf->state_dir) == -1) {
		j.path = j.rejected = NULL;
		return -1;
	}
	if ((j.fd = open(j.path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC,
	    0600)) == -1) {
		log_warn("journal: cannot open %s (set journal = off to run "
		    "without one)", j.path);
		return -1;
	}
	if (scan() == -1) {
		log_warn("journal: %s", j.path);
		return -1;
	}
	if (pipe2(j.pipe, O_CLOEXEC | O_NONBLOCK) == -1) {
		log_warn("journal: pipe");
		return -1;
	}
	pthread_mutex_init(&j.mu, NULL);
	pthread_cond_init(&j.cv, NULL);
	if ((j.ev_pipe = event_new(base, j.pipe[0], EV_READ | EV_PERSIST,
	    pipe_cb, NULL)) == NULL || event_add(j.ev_pipe, NULL) == -1)
		return -1;
	if (pthread_create(&j.thread, NULL, jthread, NULL) != 0) {
		log_warnx("journal: cannot start its thread");
		return -1;
	}
	j.started = 1;
	return 0;
}

void
journal_free(void)
{
	if (j.started) {
		pthread_mutex_lock(&j.mu);
		j.stop = 1;
		pthread_cond_signal(&j.cv);
		pthread_mutex_unlock(&j.mu);
		pthread_join(j.thread, NULL);
		/* Whatever the thread finished is told. */
		if (j.pipe[0] != -1)
			pipe_cb(j.pipe[0], EV_READ, NULL);
		pthread_mutex_destroy(&j.mu);
		pthread_cond_destroy(&j.cv);
	}
	if (j.ev_pipe != NULL)
		event_free(j.ev_pipe);
	if (j.pipe[0] != -1)
		close(j.pipe[0]);
	if (j.pipe[1] != -1)
		close(j.pipe[1]);
	if (j.fd != -1)
		close(j.fd);
	sbuf_free(&j.pend);
	free(j.results);
	free(j.waits);
	free(j.outs);
	free(j.path);
	free(j.rejected);
	memset(&j, 0, sizeof(j));
	j.fd = -1;
}
