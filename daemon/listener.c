/* SPDX-License-Identifier: MIT */
/*
 * NDJSON connections.
 *
 * Each connection is a small state machine (STYLE.md, habit 3).  Requests
 * are answered strictly in the order they arrived: a request that fails
 * validation is answered at once only if nothing before it is still waiting
 * for the database; otherwise its answer waits its turn in the FIFO.
 * Reading stops while max_pending requests are unanswered, so a sender that
 * outpaces the database is slowed down, not buffered without bound.
 *
 * A connection that goes away while its requests are in the writer is only
 * marked closed; the requests keep a reference to it and the last one to be
 * answered frees it (STYLE.md, habits 6 and 8).
 */
#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <netinet/in.h>

#include <sys/file.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/listener.h>

#include "accept_gate.h"
#include "db_writer.h"
#include "event.h"
#include "listener.h"
#include "log.h"
#include "metrics.h"
#include "sdlisten.h"

enum conn_state {
	CONN_AUTH,		/* TCP: waiting for the {"auth":...} line */
	CONN_READING,		/* taking requests */
	CONN_PAUSED,		/* too many unanswered requests: not reading */
	CONN_DRAINING,		/* no more requests: answering what is left */
	CONN_CLOSED		/* socket gone; waiting for the writer's answers */
};

static const char *const conn_state_names[] = { "auth", "reading", "paused",
    "draining", "closed" };

struct conn;

/*
 * A request's reply is kept until the ones before it on its connection are
 * answered.  The usual reply, {"ok":true,"id":N,"incident":"YYYY-NNNN"},
 * fits in REQ_INLINE bytes; a longer one (a long carrier code, an error,
 * up to REQ_ANSWER_MAX) is allocated.  With 64 connections of 256 lines in
 * flight, 640 bytes in each request were 10 MiB of the ingest process's
 * memory.
 */
#define REQ_INLINE	64
#define REQ_ANSWER_MAX	640

struct req {
	TAILQ_ENTRY(req) entry;		/* in the connection's FIFO or the free list */
	struct conn	*conn;		/* whose request this is */
	struct wjob	 job;		/* its place in the writer */
	unsigned long	 line;		/* its line number on the connection */
	int		 answered;	/* the reply is made */
	size_t		 alen;		/* length of the reply */
	char		*along;		/* a reply too long for answer (malloc'd) */
	char		 answer[REQ_INLINE]; /* the reply line, without its newline */
};
TAILQ_HEAD(req_list, req);

/* One listening socket: the Unix socket's or TCP's, each its own cap. */
struct lsock {
	const char	*name;		/* "unix", "tcp": for the log */
	struct accept_gate gate;	/* the socket, its cap (max_clients_*) */
	size_t		 nconns;	/* its connections open */
	uint64_t	 accepted;	/* connections accepted, for /metrics */
};

struct conn {
	TAILQ_ENTRY(conn) entry;	/* in the list of connections */
	uint64_t	 id;		/* for the log */
	enum conn_state	 state;		/* see above */
	struct bufferevent *bev;	/* the socket; NULL once closed */
	struct lsock	*ls;		/* where it was accepted */
	int64_t		 accepted;	/* when, monotonic µs */
	int64_t		 active;	/* when it last sent or was answered */
	int		 is_tcp;	/* needs auth; no peer uid */
	char		 source[64];	/* token name, or "local:UID" */
	unsigned	 msource;	/* its /metrics label (metrics_source) */
	char		 by[16];	/* the peer's uid, Unix socket only */
	struct req_list	 reqs;		/* unanswered and not yet written, in order */
	size_t		 npending;	/* entries of reqs */
	unsigned long	 lineno;	/* lines read */
	int		 skipping;	/* discarding the rest of an oversize line */
	int		 close_after;	/* close once this answer is written */
	int		 eof;		/* the peer has finished sending */
	TAILQ_ENTRY(conn) fentry;	/* in flushq, while flush_queued */
	int		 flush_queued;	/* has answers to write this turn */
};
TAILQ_HEAD(conn_list, conn);

static struct {
	struct event_base *base;	/* the daemon's loop */
	struct sochi_config *cf;	/* the running config */
	struct lsock	 unix_l;	/* the Unix socket */
	struct lsock	 tcp_l;		/* TCP */
	char		*unix_path;	/* the socket's path, unlinked at exit */
	int		 lock_fd;	/* holds <socket>.lock: one sochid per path */
	struct event	*ev_sweep;	/* auth and idle deadlines, each second */
	struct event	*ev_flush;	/* writes flushq, once answers are made */
	struct conn_list flushq;	/* connections with answers to write */
	struct conn_list conns;		/* every connection not yet freed */
	size_t		 nconns;	/* open connections */
	struct req_list	 free_reqs;	/* recycled requests */
	size_t		 nfree;		/* length of free_reqs */
	uint64_t	 next_id;	/* the next connection id */
	int		 draining;	/* shutting down */
} l;

static int64_t
now_mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void	conn_read_cb(struct bufferevent *, void *);
static void	conn_write_cb(struct bufferevent *, void *);
static void	conn_event_cb(struct bufferevent *, short, void *);
static void	conn_process(struct conn *);
static void	conn_set_state(struct conn *, enum conn_state);

/*
 * Answers waiting to be written count against a connection too: a sender
 * that does not read its answers is paused once this much output is queued.
 */
#define CONN_OUT_HIGH	(256 * 1024)

static size_t
conn_outlen(struct conn *c)
{
	return evbuffer_get_length(bufferevent_get_output(c->bev));
}

/* A connection may read when both its requests and its output have room. */
static int
conn_has_room(struct conn *c, int resuming)
{
	size_t reqs = (size_t)l.cf->max_pending, out = CONN_OUT_HIGH;

	if (resuming) {
		reqs = reqs / 2 + 1;
		out /= 2;
	}
	/* And all connections together within max_pending_bytes. */
	return c->npending < reqs && conn_outlen(c) <= out &&
	    db_writer_room(0);
}

/* Resumes a paused connection once it has drained enough. */
static void
conn_maybe_resume(struct conn *c)
{
	if (c->state != CONN_PAUSED || !conn_has_room(c, 1))
		return;
	conn_set_state(c, CONN_READING);
	if (!c->eof)
		bufferevent_enable(c->bev, EV_READ);
	conn_process(c);
}

static void
conn_set_state(struct conn *c, enum conn_state s)
{
	if (c->state == s)
		return;
	/* Nothing leaves CLOSED. */
	if (c->state == CONN_CLOSED)
		fatalx("conn %llu: %s -> %s", (unsigned long long)c->id,
		    conn_state_names[c->state], conn_state_names[s]);
	log_debug("conn %llu: %s -> %s", (unsigned long long)c->id,
	    conn_state_names[c->state], conn_state_names[s]);
	c->state = s;
}

static struct req *
req_get(struct conn *c)
{
	struct req *r;

	if ((r = TAILQ_FIRST(&l.free_reqs)) != NULL) {
		TAILQ_REMOVE(&l.free_reqs, r, entry);
		l.nfree--;
	} else if ((r = malloc(sizeof(*r))) == NULL)
		return NULL;
	r->conn = c;
	r->line = c->lineno;
	r->answered = 0;
	r->alen = 0;
	r->along = NULL;
	TAILQ_INSERT_TAIL(&c->reqs, r, entry);
	c->npending++;
	return r;
}

static void
req_put(struct req *r)
{
	free(r->along);
	r->along = NULL;
	if (l.nfree < 4096) {
		TAILQ_INSERT_HEAD(&l.free_reqs, r, entry);
		l.nfree++;
	} else
		free(r);
}

static void
conn_free(struct conn *c)
{
	struct req *r;

	while ((r = TAILQ_FIRST(&c->reqs)) != NULL) {
		TAILQ_REMOVE(&c->reqs, r, entry);
		req_put(r);
	}
	TAILQ_REMOVE(&l.conns, c, entry);
	free(c);
}

/* Closes the socket; the struct lives on until the writer is done with it. */
static void
conn_close(struct conn *c)
{
	struct req *r, *next;
	int waiting = 0;

	if (c->state == CONN_CLOSED)
		return;
	conn_set_state(c, CONN_CLOSED);
	if (c->flush_queued) {
		TAILQ_REMOVE(&l.flushq, c, fentry);
		c->flush_queued = 0;
	}
	if (c->bev != NULL) {
		bufferevent_free(c->bev);
		c->bev = NULL;
	}
	l.nconns--;
	c->ls->nconns--;
	accept_gate_count(&c->ls->gate, c->ls->nconns);
	/* Answers already made have nowhere to go; drop them. */
	for (r = TAILQ_FIRST(&c->reqs); r != NULL; r = next) {
		next = TAILQ_NEXT(r, entry);
		if (r->answered) {
			TAILQ_REMOVE(&c->reqs, r, entry);
			c->npending--;
			req_put(r);
		} else
			waiting = 1;
	}
	if (!waiting)
		conn_free(c);
}

/*
 * Writes the answers at the head of the FIFO that are ready: into the
 * connection's output, which flush_cb writes to the socket once the
 * answers of this turn of the loop are all made (one write for all the
 * answers a batch gives a connection).
 */
static void
conn_flush(struct conn *c)
{
	struct evbuffer *out;
	struct req *r;
	int added = 0;

	if (c->state == CONN_CLOSED)
		return;
	out = bufferevent_get_output(c->bev);
	while ((r = TAILQ_FIRST(&c->reqs)) != NULL && r->answered) {
		evbuffer_add(out, r->along != NULL ? r->along : r->answer,
		    r->alen);
		evbuffer_add(out, "\n", 1);
		TAILQ_REMOVE(&c->reqs, r, entry);
		c->npending--;
		req_put(r);
		added = 1;
	}
	if (added && !c->flush_queued) {
		TAILQ_INSERT_TAIL(&l.flushq, c, fentry);
		c->flush_queued = 1;
		event_active(l.ev_flush, EV_TIMEOUT, 0);
	}
}

static void	conn_write_cb(struct bufferevent *, void *);

/*
 * Writes c's output to its socket now.  The bufferevent's own writing
 * (EV_WRITE) is off while the output is empty: it would wait for the
 * socket to say it has room, which it nearly always has, at the cost of
 * two epoll_ctl calls a turn.  Output the socket cannot take yet is left
 * to it, and so is a failed write, which it then reports.
 */
static void
conn_write_now(struct conn *c)
{
	struct evbuffer *out;
	evutil_socket_t fd;

	if (c->state == CONN_CLOSED || c->bev == NULL ||
	    (bufferevent_get_enabled(c->bev) & EV_WRITE))
		return;
	out = bufferevent_get_output(c->bev);
	fd = bufferevent_getfd(c->bev);
	/* A bufferevent keeps its output's front frozen but while it writes. */
	evbuffer_unfreeze(out, 1);
	while (evbuffer_get_length(out) > 0)
		if (evbuffer_write(out, fd) <= 0)
			break;
	evbuffer_freeze(out, 1);
	if (evbuffer_get_length(out) > 0) {
		bufferevent_enable(c->bev, EV_WRITE);
		return;
	}
	conn_write_cb(c->bev, c);	/* may close and free c */
}

static void
flush_cb(evutil_socket_t fd, short what, void *arg)
{
	struct conn *c;

	while ((c = TAILQ_FIRST(&l.flushq)) != NULL) {
		TAILQ_REMOVE(&l.flushq, c, fentry);
		c->flush_queued = 0;
		conn_write_now(c);
	}
}

/* A connection with nothing left to say closes once its output is written. */
static void
conn_maybe_finish(struct conn *c)
{
	if (c->state == CONN_CLOSED)
		return;
	if ((c->state == CONN_DRAINING || c->close_after) && c->npending == 0 &&
	    evbuffer_get_length(bufferevent_get_output(c->bev)) == 0)
		conn_close(c);
}

static void
req_answer(struct req *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * Makes r's reply.  The usual one is formatted straight into r->answer; a
 * longer one (cut at REQ_ANSWER_MAX) is formatted again into memory of its
 * own.
 */
static void
req_answer(struct req *r, const char *fmt, ...)
{
	static const char oom[] = "{\"ok\":false,\"error\":\"out of memory\"}";
	va_list ap, aq;
	size_t len;
	int n;

	free(r->along);
	r->along = NULL;
	va_start(ap, fmt);
	va_copy(aq, ap);
	n = vsnprintf(r->answer, sizeof(r->answer), fmt, ap);
	va_end(ap);
	len = n < 0 ? 0 : (size_t)n;
	if (len >= sizeof(r->answer)) {
		if (len >= REQ_ANSWER_MAX)
			len = REQ_ANSWER_MAX - 1;
		if ((r->along = malloc(len + 1)) != NULL)
			vsnprintf(r->along, len + 1, fmt, aq);
		else {
			memcpy(r->answer, oom, sizeof(oom));
			len = sizeof(oom) - 1;
		}
	}
	va_end(aq);
	r->alen = len;
	r->answered = 1;
}

/* Answers r with an error: {"ok":false,"error":"...","line":N}. */
static void
req_refuse(struct req *r, const char *err)
{
	struct sbuf b = SBUF_INIT;

	if (sbuf_adds(&b, "{\"ok\":false,\"error\":") == 0 &&
	    sbuf_add_json_string(&b, err, strlen(err)) == 0 &&
	    sbuf_printf(&b, ",\"line\":%lu}", r->line) == 0 &&
	    b.len < REQ_ANSWER_MAX)
		req_answer(r, "%s", b.data);
	else
		req_answer(r, "{\"ok\":false,\"error\":\"error message too long\","
		    "\"line\":%lu}", r->line);
	sbuf_free(&b);
}

static void
req_done(struct wjob *job, const struct wresult *res)
{
	struct req *r = job->arg;
	struct conn *c = r->conn;
	struct sbuf b = SBUF_INIT;

	if (res->err != NULL)
		req_refuse(r, res->err);
	else if (res->journaled)
		req_answer(r, "{\"ok\":true,\"journaled\":true}");
	else if (res->code != NULL) {
		sbuf_printf(&b, "{\"ok\":true,\"id\":%lld,\"incident\":",
		    (long long)res->id);
		sbuf_add_json_string(&b, res->code, strlen(res->code));
		sbuf_addc(&b, '}');
		req_answer(r, "%s", b.data != NULL ? b.data : "");
		sbuf_free(&b);
	} else
		req_answer(r, "{\"ok\":true,\"id\":%lld}", (long long)res->id);

	if (c->state == CONN_CLOSED) {
		TAILQ_REMOVE(&c->reqs, r, entry);
		c->npending--;
		req_put(r);
		if (c->npending == 0)
			conn_free(c);
		return;
	}
	conn_flush(c);
	conn_maybe_resume(c);
	if (c->state != CONN_CLOSED)
		conn_maybe_finish(c);
}

static void
handle_auth(struct conn *c, struct req *r, const char *line, size_t len)
{
	json_error_t jerr;
	json_t *o, *tok;
	const char *name = NULL;

	o = json_loadb(line, len, 0, &jerr);
	tok = json_object_get(o, "auth");
	if (o == NULL || !json_is_object(o) || json_object_size(o) != 1 ||
	    !json_is_string(tok))
		req_refuse(r, "auth: the first line on TCP must be "
		    "{\"auth\":\"<token>\"}");
	else if ((name = config_token_name(l.cf, json_string_value(tok),
	    json_string_length(tok))) == NULL)
		req_refuse(r, "auth: unknown token");
	if (name == NULL) {
		log_warnx("conn %llu: authentication failed",
		    (unsigned long long)c->id);
		c->close_after = 1;
		bufferevent_disable(c->bev, EV_READ);
		conn_set_state(c, CONN_DRAINING);
	} else {
		snprintf(c->source, sizeof(c->source), "%s", name);
		c->msource = metrics_source(c->source);
		req_answer(r, "{\"ok\":true,\"source\":\"%s\"}", c->source);
		log_debug("conn %llu: authenticated as %s",
		    (unsigned long long)c->id, c->source);
		conn_set_state(c, CONN_READING);
	}
	json_decref(o);
}

static void
handle_line(struct conn *c, const char *line, size_t len)
{
	struct event_rules rules = { (const char *const *)l.cf->phase_ids };
	struct sochi_event ev;
	struct req *r;
	char err[512];

	c->lineno++;
	if ((r = req_get(c)) == NULL) {
		log_warnx("conn %llu: out of memory", (unsigned long long)c->id);
		conn_close(c);
		return;
	}
	if (c->state == CONN_AUTH) {
		handle_auth(c, r, line, len);
		return;
	}
	if (event_decode(line, len, &rules, &ev, err, sizeof(err)) == -1) {
		metrics_event(METRICS_REFUSED, METRICS_KIND_INVALID, c->msource);
		req_refuse(r, err);
		return;
	}
	r->job.done = req_done;
	r->job.arg = r;
	if (db_writer_submit(&r->job, &ev, c->source,
	    c->is_tcp ? NULL : c->by) == -1)
		req_refuse(r, "out of memory; not stored");
	event_clear(&ev);
}

/* Answers the line being read, which passed max_line_bytes, with an error. */
static void
refuse_oversize(struct conn *c)
{
	struct req *r;
	char msg[96];

	c->lineno++;
	if ((r = req_get(c)) == NULL)
		return;
	snprintf(msg, sizeof(msg), "line longer than %ld bytes",
	    l.cf->max_line_bytes);
	metrics_event(METRICS_REFUSED, METRICS_KIND_INVALID, c->msource);
	req_refuse(r, msg);
}

/* Takes complete lines from the input while the connection may. */
static void
conn_process(struct conn *c)
{
	struct evbuffer *in = bufferevent_get_input(c->bev);
	struct evbuffer_ptr eol;
	size_t max = (size_t)l.cf->max_line_bytes, n, len;
	char *line;

	while (c->state == CONN_READING || c->state == CONN_AUTH) {
		if (!conn_has_room(c, 0)) {
			conn_set_state(c, CONN_PAUSED);
			bufferevent_disable(c->bev, EV_READ);
			break;
		}
		eol = evbuffer_search_eol(in, NULL, &n, EVBUFFER_EOL_LF);
		if (eol.pos == -1) {
			/*
			 * No newline yet.  A line already past the limit is
			 * refused now and the rest of it dropped as it comes,
			 * so that it is never held in memory whole.
			 */
			if (evbuffer_get_length(in) > max) {
				evbuffer_drain(in, evbuffer_get_length(in));
				if (!c->skipping)
					refuse_oversize(c);
				c->skipping = 1;
			}
			break;
		}
		len = (size_t)eol.pos;
		if (c->skipping || len > max) {
			if (!c->skipping)
				refuse_oversize(c);
			evbuffer_drain(in, len + n);
			c->skipping = 0;
			continue;
		}
		line = (char *)evbuffer_pullup(in, eol.pos + (ev_ssize_t)n);
		if (len > 0 && line[len - 1] == '\r')
			len--;
		if (len > 0)
			handle_line(c, line, len);
		evbuffer_drain(in, (size_t)eol.pos + n);
		if (c->state == CONN_CLOSED)
			return;
	}
	if (c->eof && (c->state == CONN_READING || c->state == CONN_AUTH) &&
	    evbuffer_get_length(in) == 0)
		conn_set_state(c, CONN_DRAINING);
	conn_flush(c);
}

static void
conn_read_cb(struct bufferevent *bev, void *arg)
{
	struct conn *c = arg;

	c->active = now_mono();
	conn_process(c);
	if (c->state != CONN_CLOSED)
		conn_maybe_finish(c);
}

static void
conn_write_cb(struct bufferevent *bev, void *arg)
{
	struct conn *c = arg;

	/* Written out: back to writing straight away (conn_write_now). */
	if (evbuffer_get_length(bufferevent_get_output(bev)) == 0)
		bufferevent_disable(bev, EV_WRITE);
	conn_maybe_resume(c);
	if (c->state != CONN_CLOSED)
		conn_maybe_finish(c);
}

static void
conn_event_cb(struct bufferevent *bev, short what, void *arg)
{
	struct conn *c = arg;
	struct evbuffer *in;

	if (what & BEV_EVENT_EOF) {
		/*
		 * The peer has said all it will (it may still read): answer
		 * every line, the last one even without its newline.
		 */
		in = bufferevent_get_input(bev);
		c->eof = 1;
		if (c->skipping) {
			evbuffer_drain(in, evbuffer_get_length(in));
			c->skipping = 0;
		} else if (evbuffer_get_length(in) > 0)
			evbuffer_add(in, "\n", 1);
		conn_process(c);
		if (c->state != CONN_CLOSED)
			conn_maybe_finish(c);
		return;
	}
	if (what & (BEV_EVENT_ERROR | BEV_EVENT_TIMEOUT)) {
		log_debug("conn %llu: %s", (unsigned long long)c->id,
		    what & BEV_EVENT_TIMEOUT ? "timed out" :
		    evutil_socket_error_to_string(EVUTIL_SOCKET_ERROR()));
		conn_close(c);
	}
}

static void
accept_cb(struct evconnlistener *lis, evutil_socket_t fd,
    struct sockaddr *sa, int salen, void *arg)
{
	struct lsock *ls = arg;
	struct bufferevent *bev;
	struct conn *c;
	int is_tcp = ls == &l.tcp_l;
	struct ucred cred;
	socklen_t clen = sizeof(cred);

	if (l.draining || (c = calloc(1, sizeof(*c))) == NULL) {
		evutil_closesocket(fd);
		return;
	}
	bev = bufferevent_socket_new(l.base, fd, BEV_OPT_CLOSE_ON_FREE);
	if (bev == NULL) {
		free(c);
		evutil_closesocket(fd);
		return;
	}
	c->id = ++l.next_id;
	c->bev = bev;
	c->is_tcp = is_tcp;
	c->ls = ls;
	c->accepted = c->active = now_mono();
	TAILQ_INIT(&c->reqs);
	if (is_tcp) {
		c->state = CONN_AUTH;
	} else {
		c->state = CONN_READING;
		/*
		 * Each local user is a source of its own, so that no user can
		 * take or answer another's idempotency keys.
		 */
		if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &clen) == 0) {
			snprintf(c->by, sizeof(c->by), "%u", (unsigned)cred.uid);
			snprintf(c->source, sizeof(c->source), "local:%u",
			    (unsigned)cred.uid);
			c->msource = metrics_source(c->source);
		} else {
			log_warn("conn %llu: SO_PEERCRED; refused",
			    (unsigned long long)c->id);
			bufferevent_free(bev);
			free(c);
			return;
		}
	}
	TAILQ_INSERT_TAIL(&l.conns, c, entry);
	l.nconns++;
	ls->nconns++;
	ls->accepted++;
	log_debug("conn %llu: accepted on %s%s%s", (unsigned long long)c->id,
	    ls->name, is_tcp ? "" : ", uid ", c->by);
	bufferevent_setcb(bev, conn_read_cb, conn_write_cb, conn_event_cb, c);
	/* The write callback runs once output drains to half the limit. */
	bufferevent_setwatermark(bev, EV_WRITE, CONN_OUT_HIGH / 2, 0);
	bufferevent_enable(bev, EV_READ);
	bufferevent_disable(bev, EV_WRITE);	/* see conn_write_now() */
	accept_gate_count(&ls->gate, ls->nconns);
}

/*
 * Each second: a TCP client that has not authenticated within
 * auth_timeout, and a connection with nothing to answer that has sent
 * nothing for idle_timeout, are closed.
 */
static void
sweep_cb(evutil_socket_t fd, short what, void *arg)
{
	struct conn *c, *next;
	int64_t now = now_mono();
	int64_t auth = (int64_t)l.cf->auth_timeout * 1000000;
	int64_t idle = (int64_t)l.cf->idle_timeout * 1000000;

	for (c = TAILQ_FIRST(&l.conns); c != NULL; c = next) {
		next = TAILQ_NEXT(c, entry);
		if (c->state == CONN_AUTH && now - c->accepted >= auth) {
			log_warnx("conn %llu: no authentication within %ld s; "
			    "closed", (unsigned long long)c->id,
			    l.cf->auth_timeout);
			conn_close(c);
		} else if ((c->state == CONN_READING || c->state ==
		    CONN_AUTH) && c->npending == 0 &&
		    evbuffer_get_length(bufferevent_get_output(c->bev)) == 0 &&
		    now - c->active >= idle) {
			log_debug("conn %llu: idle for %ld s; closed",
			    (unsigned long long)c->id, l.cf->idle_timeout);
			conn_close(c);
		}
	}
}

/* Serves a listening socket (taken: closed with the listener). */
static int
ls_start(struct lsock *ls, const char *name, const char *cap_key, size_t cap,
    int fd)
{
	ls->name = name;
	return accept_gate_start(&ls->gate, l.base, fd, accept_cb, ls, name,
	    cap_key, cap);
}

static void
ls_stop(struct lsock *ls)
{
	accept_gate_free(&ls->gate);
}

static int
listen_unix(struct sochi_config *cf)
{
	struct sockaddr_un sun;
	struct group *gr;
	struct stat st;
	char lock[sizeof(sun.sun_path) + 8];
	int fd, probe;

	if (strlen(cf->socket) >= sizeof(sun.sun_path)) {
		log_warnx("socket path too long: %s", cf->socket);
		return -1;
	}
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	strcpy(sun.sun_path, cf->socket);

	/*
	 * Passed by systemd (sochid.socket): the unit made it, with its own
	 * SocketMode= and SocketGroup=, and keeps it when sochid stops, so it
	 * is neither locked, changed nor removed here.
	 */
	if ((fd = sdlisten_take_unix(cf->socket)) != -1) {
		if (ls_start(&l.unix_l, "unix", "max_clients_unix",
		    (size_t)cf->max_clients_unix,
		    fd) == -1) {
			log_warn("listen %s", cf->socket);
			return -1;
		}
		log_info("listening on %s (socket from systemd)", cf->socket);
		return 0;
	}

	/*
	 * One sochid per path: a lock file beside the socket, held as long as
	 * the process lives (the kernel lets go of it however the process
	 * ends).  Whoever holds it owns the socket.
	 */
	if (snprintf(lock, sizeof(lock), "%s.lock", cf->socket) >=
	    (int)sizeof(lock)) {
		log_warnx("socket path too long: %s", cf->socket);
		return -1;
	}
	if ((l.lock_fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) == -1) {
		log_warn("%s", lock);
		return -1;
	}
	if (flock(l.lock_fd, LOCK_EX | LOCK_NB) == -1) {
		log_warnx("%s: another sochid uses this socket (it holds %s)",
		    cf->socket, lock);
		return -1;
	}
	/* A live socket is never stolen, and only a socket is removed. */
	if ((probe = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) != -1) {
		if (connect(probe, (struct sockaddr *)&sun, sizeof(sun)) == 0) {
			close(probe);
			log_warnx("%s: another sochid is listening there",
			    cf->socket);
			return -1;
		}
		close(probe);
	}
	if (lstat(cf->socket, &st) == 0) {
		if (!S_ISSOCK(st.st_mode)) {
			log_warnx("%s exists and is not a socket; not removing "
			    "it (move it away, or set socket to another path)",
			    cf->socket);
			return -1;
		}
		if (unlink(cf->socket) == -1) {
			log_warn("unlink %s", cf->socket);
			return -1;
		}
	} else if (errno != ENOENT) {
		log_warn("%s", cf->socket);
		return -1;
	}
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
	    0)) == -1) {
		log_warn("socket");
		return -1;
	}
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		log_warn("bind %s", cf->socket);
		close(fd);
		return -1;
	}
	if (chmod(cf->socket, cf->socket_mode) == -1) {
		log_warn("chmod %s", cf->socket);
		close(fd);
		return -1;
	}
	if (*cf->socket_group != '\0') {
		if ((gr = getgrnam(cf->socket_group)) == NULL) {
			log_warnx("socket_group: no group %s", cf->socket_group);
			close(fd);
			return -1;
		}
		if (chown(cf->socket, (uid_t)-1, gr->gr_gid) == -1) {
			log_warn("chown %s", cf->socket);
			close(fd);
			return -1;
		}
	}
	if (ls_start(&l.unix_l, "unix", "max_clients_unix",
	    (size_t)cf->max_clients_unix, fd) == -1) {
		log_warn("listen %s", cf->socket);
		return -1;
	}
	l.unix_path = strdup(cf->socket);
	log_info("listening on %s", cf->socket);
	return 0;
}

static int
listen_tcp(struct sochi_config *cf)
{
	struct evutil_addrinfo hints, *ai = NULL;
	char host[256], port[8];
	int p, rv, fd, one = 1;

	if (config_split_listen(cf->listen_tcp, host, sizeof(host), &p,
	    SOCHI_DEFAULT_TCP_PORT) == -1)
		return -1;
	snprintf(port, sizeof(port), "%d", p);
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = EVUTIL_AI_PASSIVE | EVUTIL_AI_NUMERICSERV;
	if ((rv = evutil_getaddrinfo(host, port, &hints, &ai)) != 0) {
		log_warnx("listen_tcp %s: %s", cf->listen_tcp,
		    evutil_gai_strerror(rv));
		return -1;
	}
	if ((fd = sdlisten_take(ai->ai_addr, (socklen_t)ai->ai_addrlen,
	    SOCK_STREAM)) != -1) {
		evutil_freeaddrinfo(ai);
		if (ls_start(&l.tcp_l, "tcp", "max_clients_tcp",
		    (size_t)cf->max_clients_tcp,
		    fd) == -1) {
			log_warn("listen_tcp %s:%s", host, port);
			return -1;
		}
		log_info("listening for NDJSON on tcp %s:%s (socket from "
		    "systemd)", host, port);
		return 0;
	}
	fd = socket(ai->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0);
	if (fd == -1 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one,
	    sizeof(one)) == -1 || bind(fd, ai->ai_addr, ai->ai_addrlen) == -1 ||
	    listen(fd, 128) == -1) {
		log_warn("listen_tcp %s:%s", host, port);
		if (fd != -1)
			close(fd);
		evutil_freeaddrinfo(ai);
		return -1;
	}
	evutil_freeaddrinfo(ai);
	if (ls_start(&l.tcp_l, "tcp", "max_clients_tcp",
	    (size_t)cf->max_clients_tcp, fd) == -1) {
		log_warn("listen_tcp %s:%s", host, port);
		return -1;
	}
	log_info("listening for NDJSON on tcp %s:%s", host, port);
	return 0;
}

/* The writer's budget has room again: every paused connection may read. */
static void
budget_room_cb(void)
{
	struct conn *c, *next;

	for (c = TAILQ_FIRST(&l.conns); c != NULL; c = next) {
		next = TAILQ_NEXT(c, entry);
		conn_maybe_resume(c);
	}
}

int
listener_init(struct event_base *base, struct sochi_config *cf)
{
	memset(&l, 0, sizeof(l));
	l.base = base;
	l.cf = cf;
	l.lock_fd = -1;
	TAILQ_INIT(&l.conns);
	TAILQ_INIT(&l.flushq);
	TAILQ_INIT(&l.free_reqs);
	db_writer_on_room(budget_room_cb);
	if ((l.ev_sweep = event_new(base, -1, EV_PERSIST, sweep_cb, NULL)) ==
	    NULL || (l.ev_flush = event_new(base, -1, 0, flush_cb, NULL)) ==
	    NULL)
		return -1;
	event_add(l.ev_sweep, &(struct timeval){ 1, 0 });
	if (*cf->socket != '\0' && listen_unix(cf) == -1)
		return -1;
	if (*cf->listen_tcp != '\0' && listen_tcp(cf) == -1)
		return -1;
	return 0;
}

void
listener_drain(void)
{
	struct conn *c, *next;

	l.draining = 1;
	ls_stop(&l.unix_l);
	ls_stop(&l.tcp_l);
	for (c = TAILQ_FIRST(&l.conns); c != NULL; c = next) {
		next = TAILQ_NEXT(c, entry);
		if (c->state == CONN_CLOSED)
			continue;
		bufferevent_disable(c->bev, EV_READ);
		conn_set_state(c, CONN_DRAINING);
		conn_maybe_finish(c);
	}
}

size_t
listener_count(void)
{
	return l.nconns;
}

void
listener_stats(struct listener_stats *st)
{
	st->unix_conns = l.unix_l.nconns;
	st->tcp_conns = l.tcp_l.nconns;
	st->unix_accepted = l.unix_l.accepted;
	st->tcp_accepted = l.tcp_l.accepted;
}

/* A cap raised lets a paused listener accept again; one lowered waits. */
void
listener_reload(void)
{
	if (l.cf == NULL)
		return;
	accept_gate_set_cap(&l.unix_l.gate, (size_t)l.cf->max_clients_unix,
	    l.unix_l.nconns);
	accept_gate_set_cap(&l.tcp_l.gate, (size_t)l.cf->max_clients_tcp,
	    l.tcp_l.nconns);
}

void
listener_free(void)
{
	struct conn *c;
	struct req *r;

	ls_stop(&l.unix_l);
	ls_stop(&l.tcp_l);
	if (l.ev_sweep != NULL)
		event_free(l.ev_sweep);
	if (l.ev_flush != NULL)
		event_free(l.ev_flush);
	/*
	 * Connections still here when the loop ended: a second signal, or a
	 * drain that gave up waiting for the database.  The writer, freed
	 * before this, has answered every request they had in it; what the
	 * socket takes at once of the answers made is written.
	 */
	while ((c = TAILQ_FIRST(&l.conns)) != NULL) {
		if (c->bev != NULL) {
			evbuffer_unfreeze(bufferevent_get_output(c->bev), 1);
			(void)evbuffer_write(bufferevent_get_output(c->bev),
			    bufferevent_getfd(c->bev));
			bufferevent_free(c->bev);
		}
		while ((r = TAILQ_FIRST(&c->reqs)) != NULL) {
			TAILQ_REMOVE(&c->reqs, r, entry);
			free(r);
		}
		TAILQ_REMOVE(&l.conns, c, entry);
		free(c);
	}
	/* Ours to remove: the lock said so. */
	if (l.unix_path != NULL) {
		unlink(l.unix_path);
		free(l.unix_path);
	}
	if (l.lock_fd != -1)
		close(l.lock_fd);
	while ((r = TAILQ_FIRST(&l.free_reqs)) != NULL) {
		TAILQ_REMOVE(&l.free_reqs, r, entry);
		free(r);
	}
	memset(&l, 0, sizeof(l));
}
