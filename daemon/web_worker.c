/* SPDX-License-Identifier: MIT */
/*
 * The web worker.  See web_worker.h.
 *
 * A request arrives as a connection and the bytes the ingest process read
 * from it (fdpass.h); the same HTTP server code reads it again from those
 * bytes (http_server_adopt) and hands it to handle().  Each answer is a
 * job: its queries go out one after the other on this process's
 * connection, and the last one's callback renders and replies, exactly
 * once (a database that fails or does not answer in time is a 503).
 *
 * A page that follows an incident (GET /incidents/CODE/events) is a
 * subscriber of that incident's watch.  A notification naming it, a
 * reconnection (notifications were lost meanwhile) or, while an impact
 * runs, the clock (its 継続時間 grows) has the watch read the incident
 * again — at most once per FOLLOW_PAUSE, the readings between caught up
 * after — and send each subscriber whose page is behind the <main> drawn
 * anew.  One reading serves every page following the incident.
 */
#include <sys/queue.h>
#include <sys/socket.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "conffile.h"
#include "db_query.h"
#include "diff.h"
#include "drafts.h"
#include "fdpass.h"
#include "history.h"
#include "http_server.h"
#include "incident.h"
#include "list.h"
#include "listing.h"
#include "log.h"
#include "migrate.h"
#include "report.h"
#include "timeline.h"
#include "web.h"
#include "web_worker.h"
#include "worker_proc.h"

/* An incident followed is read again at most this often (µs). */
#define FOLLOW_PAUSE	(250 * 1000)
/* Seconds between comments that keep a stream's proxies and TCP awake. */
#define KEEPALIVE_S	15
/* Every this many keepalives, incidents with a running impact are drawn again. */
#define RUNNING_EVERY	4

static const struct db_stmt stmts[] = {
	{ "incident", STORE_INCIDENT_SQL, 1 },
	{ "events", STORE_EVENTS_SQL, 1 },
	{ "related", STORE_HISTORY_SQL, 2 },
	{ "list", STORE_LIST_SQL, 1 },
	{ "drafts", STORE_DRAFTS_SQL, 1 },
	{ "draft", STORE_DRAFT_BODY_SQL, 3 },
	{ NULL, NULL, 0 }
};

static const char *const channels[] = { "sochi_incident", NULL };

struct watch;

/* A page following an incident: its event stream. */
struct sub {
	TAILQ_ENTRY(sub) entry;		/* in its watch's list */
	struct watch	*w;		/* the incident it follows */
	struct http_req	*req;		/* the stream */
	int64_t		 shown;		/* the newest event its page shows */
};
TAILQ_HEAD(sub_list, sub);

/* An incident some page follows. */
struct watch {
	TAILQ_ENTRY(watch) entry;	/* in the list of watches */
	char		 code[80];	/* the incident */
	struct sub_list	 subs;		/* the pages following it */
	size_t		 nsubs;		/* how many */
	int		 busy;		/* a reading is under way */
	int		 again;		/* touched meanwhile: read again after */
	int		 force;		/* send even to pages not behind (the clock) */
	int		 running;	/* the last reading had an impact running */
	int64_t		 last_read;	/* when it was last read, monotonic µs */
	struct event	*defer;		/* reads it once the pause is over */
};
TAILQ_HEAD(watch_list, watch);

/* One answer being made, or one reading of a watch. */
struct job {
	struct http_req	*req;		/* the request, or NULL: a watch's reading */
	struct watch	*watch;		/* the watch read, or NULL */
	struct web_route rt;		/* what is asked for */
	struct store_incident si;	/* the incident, once read */
	int		 have_si;	/* si holds one */
	struct store_history hist;	/* its related incidents */
	char		 format[8];	/* WEB_API_FORMAT: text, md, html, json */
	int		 all;		/* WEB_LIST: every incident */
	int		 a, b;		/* WEB_DIFF: the versions */
	char		*text_a;	/* WEB_DIFF: version a's text */
	int64_t		 since;		/* WEB_EVENTS: the page's newest event */
};

static struct {
	struct event_base *base;	/* the worker's loop */
	const char	*conf_path;	/* the config file */
	struct sochi_config cf;		/* the running config */
	const struct reg_table *table;	/* [report] table; NULL: in force */
	struct zone	 zone;		/* the carrier's zone */
	struct db_queries *q;		/* its own connection */
	int64_t		 timeout;	/* µs a query may take, waiting or sent */
	struct http_server *srv;	/* the HTTP server, without a listener */
	int		 chan;		/* the channel from sochid */
	char		*buf;		/* a message from it */
	struct sbuf	 csp;		/* the pages' Content-Security-Policy header */
	struct watch_list watches;	/* incidents followed */
	int		 walking;	/* a loop over watches: frees wait */
	unsigned	 beats;		/* keepalives sent */
	struct event	*ev_chan;	/* the channel is readable */
	struct event	*ev_term;	/* SIGTERM */
	struct event	*ev_int;	/* SIGINT */
	struct event	*ev_hup;	/* SIGHUP */
	struct event	*ev_beat;	/* keepalives, running impacts */
	int		 stopping;	/* the loop has ended */
} w;

static void	watch_touch(struct watch *, int);

static int64_t
now_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int
is_api(enum web_kind k)
{
	return k == WEB_API_LIST || k == WEB_API_REPORT ||
	    k == WEB_API_TIMELINE || k == WEB_API_FORMAT;
}

/* Answers with a body; pages get the policy, nothing is cached. */
static void
reply(struct http_req *req, int status, const char *reason,
    const char *extra, const char *ctype, const struct sbuf *body)
{
	struct sbuf h = SBUF_INIT;

	sbuf_adds(&h, "Cache-Control: no-store\r\nX-Content-Type-Options: "
	    "nosniff\r\nReferrer-Policy: no-referrer\r\n");
	if (strncmp(ctype, "text/html", 9) == 0)
		sbuf_printf(&h, "Content-Security-Policy: %s\r\n", w.csp.data);
	if (extra != NULL)
		sbuf_adds(&h, extra);
	http_reply(req, status, reason, h.data, ctype, body->data != NULL ?
	    body->data : "", body->len);
	sbuf_free(&h);
}

#define HTML	"text/html; charset=utf-8"
#define JSON	"application/json"

/* An error, as JSON for the API and as a page otherwise. */
static void
fail(struct http_req *req, enum web_kind kind, int status, const char *reason,
    const char *msg)
{
	struct sbuf b = SBUF_INIT;

	if (is_api(kind)) {
		sbuf_adds(&b, "{\"ok\":false,\"error\":");
		sbuf_add_json_string(&b, msg, strlen(msg));
		sbuf_adds(&b, "}\n");
		reply(req, status, reason, status == 503 ? "Retry-After: 5\r\n" :
		    NULL, JSON, &b);
	} else {
		web_error_page(status, reason, msg, &b);
		reply(req, status, reason, status == 503 ? "Retry-After: 5\r\n" :
		    NULL, HTML, &b);
	}
	sbuf_free(&b);
}

static void
job_free(struct job *j)
{
	if (j == NULL)
		return;
	store_history_free(&j->hist);
	if (j->have_si)
		store_incident_free(&j->si);
	free(j->text_a);
	free(j);
}

static void
query(const char *stmt, int n, const char *const *params, db_query_cb cb,
    struct job *j)
{
	db_queries_send(w.q, stmt, n, params, w.timeout, cb, j);
}

/* A query failed: the reader is told, a watch tries on its next touch. */
static void	watch_read_done(struct job *, const struct timeline *,
		    const struct report *);

static void
job_failed(struct job *j, const char *err)
{
	if (j->req != NULL) {
		log_warnx("web: %s: %s", j->rt.code[0] ? j->rt.code : "list",
		    err);
		fail(j->req, j->rt.kind, 503, "Service Unavailable",
		    "the database did not answer; try again shortly");
		job_free(j);
		return;
	}
	log_debug("web: %s: cannot read it again: %s", j->watch->code, err);
	watch_read_done(j, NULL, NULL);
	job_free(j);
}

/* --- The incident: its row, its events, its related incidents. --- */

static void
tl_cfg(struct tl_config *tcf, struct tl_options *opt)
{
	tcf->zone = &w.zone;
	tcf->phases = &w.cf.phases;
	tcf->alert_actor = w.cf.report.alert_actor;
	opt->as_of = 0;
	opt->table = w.table;
}

/* Everything read: the answer. */
static void
incident_render(struct job *j)
{
	struct tl_config tcf;
	struct tl_options opt;
	struct timeline tl;
	struct report r;
	struct web_incident wi;
	struct sbuf b = SBUF_INIT;
	const char *ctype = JSON;
	int rv;

	tl_cfg(&tcf, &opt);
	if (timeline_build_opts(&j->si.inc, j->si.evs, j->si.n, &tcf, &opt,
	    now_usec(), &tl) == -1) {
		job_failed(j, "out of memory");
		return;
	}
	memset(&r, 0, sizeof(r));
	r.tl = &tl;
	r.inc = &j->si.inc;
	r.profile = &w.cf.report;
	r.zone = &w.zone;
	r.now = tl.now;
	if (j->hist.res != NULL) {
		j->hist.set.equipment = j->si.inc.equipment;
		j->hist.set.service = j->si.inc.service;
		r.related = &j->hist.set;
	}
	wi.r = &r;
	wi.open = j->si.open;
	wi.filed_on = j->si.filed ? "" : NULL;
	wi.last_event = j->si.max_event;
	if (j->req == NULL) {
		watch_read_done(j, &tl, &r);
		timeline_free(&tl);
		job_free(j);
		return;
	}
	switch (j->rt.kind) {
	case WEB_INCIDENT:
		rv = web_incident_page(&wi, &b);
		ctype = HTML;
		break;
	case WEB_API_TIMELINE:
		rv = web_timeline_json(&wi, &b);
		break;
	case WEB_API_FORMAT:
		if (strcmp(j->format, "text") == 0) {
			rv = report_text(&r, &b);
			ctype = "text/plain; charset=utf-8";
		} else if (strcmp(j->format, "md") == 0) {
			rv = report_markdown(&r, &b);
			ctype = "text/markdown; charset=utf-8";
		} else if (strcmp(j->format, "html") == 0) {
			rv = report_html(&r, &b);
			ctype = HTML;
		} else
			rv = report_json(&r, &b);
		break;
	default:
		rv = report_json(&r, &b);
		break;
	}
	if (rv == -1)
		fail(j->req, j->rt.kind, 503, "Service Unavailable",
		    "out of memory");
	else
		reply(j->req, 200, "OK", NULL, ctype, &b);
	sbuf_free(&b);
	timeline_free(&tl);
	job_free(j);
}

static void
related_cb(PGresult *res, const char *err, void *arg)
{
	struct job *j = arg;
	struct tl_config tcf;
	struct tl_options opt;

	if (res == NULL) {
		job_failed(j, err);
		return;
	}
	tl_cfg(&tcf, &opt);
	if (store_history_rows(&j->hist, res, (int)w.cf.report.related_years,
	    &tcf, now_usec()) == -1) {
		store_history_free(&j->hist);
		job_failed(j, "out of memory");
		return;
	}
	incident_render(j);
}

static void
events_cb(PGresult *res, const char *err, void *arg)
{
	struct job *j = arg;
	char years[16];
	const char *p[2] = { j->si.code, years };

	if (res == NULL) {
		job_failed(j, err);
		return;
	}
	if (store_incident_events(&j->si, res) == -1) {
		job_failed(j, "out of memory");
		return;
	}
	/* The draft drafts 関連する事故の発生傾向 as sochi report does. */
	if (j->rt.kind == WEB_API_TIMELINE) {
		incident_render(j);
		return;
	}
	snprintf(years, sizeof(years), "%ld", w.cf.report.related_years);
	query("related", 2, p, related_cb, j);
}

static void	subscribe(struct job *);
static void	drafts_query(struct job *);

static void
incident_cb(PGresult *res, const char *err, void *arg)
{
	struct job *j = arg;
	char idbuf[32], msg[160];
	const char *p[1] = { idbuf };

	if (res == NULL) {
		job_failed(j, err);
		return;
	}
	j->have_si = 1;
	if (store_incident_row(&j->si, res) == -1) {
		if (j->req == NULL) {
			watch_read_done(j, NULL, NULL);
			job_free(j);
			return;
		}
		snprintf(msg, sizeof(msg), "no incident \"%s\"", j->rt.code);
		fail(j->req, j->rt.kind, 404, "Not Found", msg);
		job_free(j);
		return;
	}
	if (j->rt.kind == WEB_EVENTS) {
		subscribe(j);
		return;
	}
	if (j->rt.kind == WEB_DRAFTS) {
		drafts_query(j);
		return;
	}
	snprintf(idbuf, sizeof(idbuf), "%lld", (long long)j->si.id);
	query("events", 1, p, events_cb, j);
}

static void
incident_start(struct job *j)
{
	const char *p[1] = { j->rt.code };

	query("incident", 1, p, incident_cb, j);
}

/* --- The list. --- */

static void
list_cb(PGresult *res, const char *err, void *arg)
{
	struct job *j = arg;
	struct tl_config tcf;
	struct tl_options opt;
	struct store_list sl;
	struct sbuf b = SBUF_INIT;
	int64_t now = now_usec();
	int rv;

	if (res == NULL) {
		job_failed(j, err);
		return;
	}
	tl_cfg(&tcf, &opt);
	if (store_list_rows(&sl, res, &tcf, &opt, now) == -1)
		rv = -1;
	else {
		struct listing l = { sl.items, sl.n, &w.zone, now, j->all };

		rv = j->rt.kind == WEB_LIST ? web_list_page(&l, &b) :
		    listing_json(&l, &b);
	}
	if (rv == -1)
		fail(j->req, j->rt.kind, 503, "Service Unavailable",
		    "out of memory");
	else
		reply(j->req, 200, "OK", NULL, j->rt.kind == WEB_LIST ? HTML :
		    JSON, &b);
	sbuf_free(&b);
	store_list_free(&sl);
	job_free(j);
}

/* --- Drafts: the list, one, two compared. --- */

static void
drafts_cb(PGresult *res, const char *err, void *arg)
{
	struct job *j = arg;
	struct store_drafts sd;
	struct sbuf b = SBUF_INIT;

	if (res == NULL) {
		job_failed(j, err);
		return;
	}
	if (store_drafts_rows(&sd, res) == -1 ||
	    web_drafts_page(j->si.code, j->si.inc.title, sd.v, sd.n, &w.zone,
	    &b) == -1)
		fail(j->req, j->rt.kind, 503, "Service Unavailable",
		    "out of memory");
	else
		reply(j->req, 200, "OK", NULL, HTML, &b);
	sbuf_free(&b);
	store_drafts_free(&sd);
	job_free(j);
}

static void
drafts_query(struct job *j)
{
	const char *p[1] = { j->rt.code };

	query("drafts", 1, p, drafts_cb, j);
}

static void
draft_cb(PGresult *res, const char *err, void *arg)
{
	struct job *j = arg;
	struct diff d;
	struct sbuf b = SBUF_INIT;
	char vb[16], msg[160];
	const char *p[3] = { j->rt.code, vb, "text" };
	int version = j->rt.kind == WEB_DIFF ? (j->text_a == NULL ? j->a :
	    j->b) : j->rt.version;
	int rv;

	if (res == NULL) {
		job_failed(j, err);
		return;
	}
	if (PQntuples(res) == 0) {
		PQclear(res);
		snprintf(msg, sizeof(msg), "%s has no draft version %d (or no "
		    "such incident)", j->rt.code, version);
		fail(j->req, j->rt.kind, 404, "Not Found", msg);
		job_free(j);
		return;
	}
	if (j->rt.kind == WEB_DIFF && j->text_a == NULL) {
		/* Version a's text; now b's. */
		j->text_a = strdup(PQgetvalue(res, 0, 0));
		PQclear(res);
		if (j->text_a == NULL) {
			job_failed(j, "out of memory");
			return;
		}
		snprintf(vb, sizeof(vb), "%d", j->b);
		query("draft", 3, p, draft_cb, j);
		return;
	}
	if (j->rt.kind == WEB_DIFF) {
		if ((rv = diff_lines(j->text_a, PQgetvalue(res, 0, 0),
		    &d)) == 0) {
			rv = web_diff_page(j->rt.code, j->a, j->b, &d, &b);
			diff_free(&d);
		}
	} else
		rv = web_draft_page(j->rt.code, j->rt.version,
		    PQgetvalue(res, 0, 0), &b);
	PQclear(res);
	if (rv == -1)
		fail(j->req, j->rt.kind, 503, "Service Unavailable",
		    "out of memory");
	else
		reply(j->req, 200, "OK", NULL, HTML, &b);
	sbuf_free(&b);
	job_free(j);
}

static void
draft_start(struct job *j)
{
	char vb[16];
	const char *p[3] = { j->rt.code, vb, "text" };

	snprintf(vb, sizeof(vb), "%d", j->rt.kind == WEB_DIFF ? j->a :
	    j->rt.version);
	query("draft", 3, p, draft_cb, j);
}

/* --- Event streams. --- */

static struct watch *
watch_find(const char *code)
{
	struct watch *x;

	TAILQ_FOREACH(x, &w.watches, entry)
		if (strcmp(x->code, code) == 0)
			return x;
	return NULL;
}

static void
watch_maybe_free(struct watch *x)
{
	if (x->nsubs > 0 || x->busy || w.walking)
		return;
	TAILQ_REMOVE(&w.watches, x, entry);
	if (x->defer != NULL)
		event_free(x->defer);
	free(x);
}

/* After a walk over the watches, those left without a page go. */
static void
watches_sweep(void)
{
	struct watch *x, *next;

	for (x = TAILQ_FIRST(&w.watches); x != NULL; x = next) {
		next = TAILQ_NEXT(x, entry);
		watch_maybe_free(x);
	}
}

static void
sub_gone(struct http_req *req, void *arg)
{
	struct sub *s = arg;
	struct watch *x = s->w;

	TAILQ_REMOVE(&x->subs, s, entry);
	x->nsubs--;
	log_debug("web: %s: a page stopped following it (%zu left)", x->code,
	    x->nsubs);
	http_stream_end(req);
	free(s);
	watch_maybe_free(x);
}

/* Writes to a stream; the client may go (and s with it) meanwhile. */
static void
sub_write(struct sub *s, const char *data, size_t len)
{
	(void)http_stream_write(s->req, data, len);
}

static void
defer_cb(evutil_socket_t fd, short what, void *arg)
{
	watch_touch(arg, 0);
}

static void
watch_touch(struct watch *x, int force)
{
	struct job *j;
	int64_t wait;

	if (w.stopping || x->nsubs == 0)
		return;
	if (force)
		x->force = 1;
	if (x->busy) {
		x->again = 1;
		return;
	}
	wait = x->last_read + FOLLOW_PAUSE - db_conn_now();
	if (x->last_read != 0 && wait > 0) {
		if (x->defer == NULL)
			x->defer = evtimer_new(w.base, defer_cb, x);
		if (x->defer != NULL && !evtimer_pending(x->defer, NULL))
			event_add(x->defer, &(struct timeval){ 0,
			    (suseconds_t)wait });
		return;
	}
	if ((j = calloc(1, sizeof(*j))) == NULL)
		return;
	x->busy = 1;
	x->last_read = db_conn_now();
	j->watch = x;
	j->rt.kind = WEB_INCIDENT;
	snprintf(j->rt.code, sizeof(j->rt.code), "%s", x->code);
	incident_start(j);
}

/*
 * A watch's reading is done (tl NULL: it failed): the pages behind get the
 * incident drawn again.  The caller frees the job after.
 */
static void
watch_read_done(struct job *j, const struct timeline *tl,
    const struct report *r)
{
	struct watch *x = j->watch;
	struct sub *s, *next;
	struct web_incident wi;
	struct sbuf main = SBUF_INIT, ev = SBUF_INIT;
	int64_t last = j->have_si ? j->si.max_event : 0;

	if (tl != NULL) {
		wi.r = r;
		wi.open = j->si.open;
		wi.filed_on = j->si.filed ? "" : NULL;
		wi.last_event = last;
		x->running = !tl->all_recovered && tl->nshown > 0;
		if (web_incident_main(&wi, &main) == 0 &&
		    web_sse(&ev, "update", last, main.data) == 0) {
			w.walking = 1;
			for (s = TAILQ_FIRST(&x->subs); s != NULL; s = next) {
				next = TAILQ_NEXT(s, entry);
				if (!x->force && s->shown == last)
					continue;
				s->shown = last;
				sub_write(s, ev.data, ev.len);
			}
			w.walking = 0;
			log_debug("web: %s: drawn again for %zu pages (event %lld)",
			    x->code, x->nsubs, (long long)last);
		}
		x->force = 0;
	}
	sbuf_free(&main);
	sbuf_free(&ev);
	x->busy = 0;
	if (x->again && x->nsubs > 0) {
		x->again = 0;
		watch_touch(x, 0);
	}
	watch_maybe_free(x);
}

static void
subscribe(struct job *j)
{
	struct http_req *req = j->req;
	struct watch *x;
	struct sub *s;
	struct sbuf b = SBUF_INIT;

	if (strcmp(http_req_method(req), "HEAD") == 0) {
		reply(req, 200, "OK", NULL, "text/event-stream; charset=utf-8",
		    &b);
		job_free(j);
		return;
	}
	if ((x = watch_find(j->rt.code)) == NULL) {
		if ((x = calloc(1, sizeof(*x))) == NULL) {
			job_failed(j, "out of memory");
			return;
		}
		snprintf(x->code, sizeof(x->code), "%s", j->rt.code);
		TAILQ_INIT(&x->subs);
		TAILQ_INSERT_TAIL(&w.watches, x, entry);
	}
	if ((s = calloc(1, sizeof(*s))) == NULL) {
		watch_maybe_free(x);
		job_failed(j, "out of memory");
		return;
	}
	s->w = x;
	s->req = req;
	s->shown = j->since;
	job_free(j);
	if (http_stream_start(req, "X-Accel-Buffering: no\r\n",
	    "text/event-stream; charset=utf-8") == -1) {
		http_stream_end(req);
		free(s);
		watch_maybe_free(x);
		return;
	}
	http_req_on_gone(req, sub_gone, s);
	TAILQ_INSERT_TAIL(&x->subs, s, entry);
	x->nsubs++;
	log_debug("web: %s: a page follows it from event %lld (%zu pages)",
	    x->code, (long long)s->shown, x->nsubs);
	/* What came since the page was drawn is sent at once. */
	watch_touch(x, 0);
	sbuf_printf(&b, "retry: 2000\n: following %s\n\n", x->code);
	w.walking = 1;
	sub_write(s, b.data, b.len);
	w.walking = 0;
	watches_sweep();
	sbuf_free(&b);
}

static void
beat_cb(evutil_socket_t fd, short what, void *arg)
{
	static const char ka[] = ": keepalive\n\n";
	struct watch *x;
	struct sub *s, *next;

	w.beats++;
	w.walking = 1;
	TAILQ_FOREACH(x, &w.watches, entry)
		for (s = TAILQ_FIRST(&x->subs); s != NULL; s = next) {
			next = TAILQ_NEXT(s, entry);
			sub_write(s, ka, sizeof(ka) - 1);
		}
	w.walking = 0;
	watches_sweep();
	/* A running impact's 継続時間 grows with no event to say so. */
	if (w.beats % RUNNING_EVERY == 0)
		TAILQ_FOREACH(x, &w.watches, entry)
			if (x->running)
				watch_touch(x, 1);
}

/* --- Requests. --- */

/* next=: a path of this server, else "/". */
static void
login_next(const char *query_s, char *next, size_t len)
{
	if (web_query(query_s, "next", next, len) == -1 || next[0] != '/' ||
	    next[1] == '/' || next[1] == '\\' || strspn(next,
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	    "/._-?=&%") != strlen(next))
		snprintf(next, len, "/");
}

/*
 * GET /login?token=T[&next=PATH]: a known token sets the session cookie
 * (config_session_value) and goes on to next.  The cookie is HttpOnly and
 * SameSite=Strict, and not Secure: sochid speaks plain HTTP, where a
 * browser would not send a Secure cookie back (sochid(8)).
 */
static void
login(struct http_req *req)
{
	const char *q = http_req_query(req);
	char token[512], next[512], value[65];
	struct sbuf b = SBUF_INIT, h = SBUF_INIT;
	const char *name;

	login_next(q, next, sizeof(next));
	if (web_query(q, "token", token, sizeof(token)) == -1) {
		web_login_page(next, NULL, &b);
		reply(req, 200, "OK", NULL, HTML, &b);
		sbuf_free(&b);
		return;
	}
	if ((name = config_token_name(&w.cf, token, strlen(token))) == NULL) {
		log_info("web: a login with an unknown token");
		web_login_page(next, "そのトークンは tokens_file に"
		    "ありません。", &b);
		reply(req, 401, "Unauthorized", NULL, HTML, &b);
		sbuf_free(&b);
		return;
	}
	config_session_value(token, value);
	sbuf_printf(&h, "Location: %s\r\nSet-Cookie: sochi_session=%s; Path=/; "
	    "HttpOnly; SameSite=Strict\r\n", next, value);
	sbuf_adds(&b, "logged in\n");
	log_info("web: a browser logged in with the token of %s", name);
	reply(req, 303, "See Other", h.data, "text/plain; charset=utf-8", &b);
	sbuf_free(&h);
	sbuf_free(&b);
}

static int
query_int(const char *q, const char *name, int *out)
{
	char buf[16], *end;
	long v;

	if (web_query(q, name, buf, sizeof(buf)) == -1)
		return -1;
	v = strtol(buf, &end, 10);
	if (*buf == '\0' || *end != '\0' || v < 0 || v > 1000000)
		return -1;
	*out = (int)v;
	return 0;
}

static void
handle(struct http_req *req, void *arg)
{
	const char *method = http_req_method(req), *q = http_req_query(req);
	const char *last;
	struct web_route rt;
	struct job *j;
	char buf[16], *end;
	const char *p[1];

	web_route(http_req_path(req), &rt);
	if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) {
		struct sbuf b = SBUF_INIT;

		sbuf_adds(&b, "{\"ok\":false,\"error\":\"GET or HEAD\"}\n");
		reply(req, 405, "Method Not Allowed", "Allow: GET, HEAD\r\n", JSON,
		    &b);
		sbuf_free(&b);
		return;
	}
	if (rt.kind == WEB_NONE || rt.kind == WEB_NOT_FOUND) {
		fail(req, strncmp(http_req_path(req), "/v1/", 4) == 0 ?
		    WEB_API_LIST : WEB_LIST, 404, "Not Found", "no such page");
		return;
	}
	if (rt.kind == WEB_LOGIN) {
		login(req);
		return;
	}
	if ((j = calloc(1, sizeof(*j))) == NULL) {
		fail(req, rt.kind, 503, "Service Unavailable", "out of memory");
		return;
	}
	j->req = req;
	j->rt = rt;
	switch (rt.kind) {
	case WEB_LIST:
	case WEB_API_LIST:
		j->all = web_query(q, "all", buf, sizeof(buf)) == 0 &&
		    strcmp(buf, "0") != 0;
		p[0] = j->all ? "true" : "false";
		query("list", 1, p, list_cb, j);
		return;
	case WEB_API_FORMAT:
		if (web_query(q, "format", j->format, sizeof(j->format)) == -1)
			snprintf(j->format, sizeof(j->format), "json");
		if (strcmp(j->format, "text") != 0 &&
		    strcmp(j->format, "md") != 0 &&
		    strcmp(j->format, "html") != 0 &&
		    strcmp(j->format, "json") != 0) {
			fail(req, rt.kind, 400, "Bad Request", "format: expected "
			    "text, md, html or json");
			job_free(j);
			return;
		}
		break;
	case WEB_EVENTS:
		/* Where the page is: Last-Event-ID when the stream resumes. */
		if ((last = http_req_header(req, "Last-Event-ID")) == NULL &&
		    web_query(q, "since", buf, sizeof(buf)) == 0)
			last = buf;
		if (last != NULL) {
			j->since = strtoll(last, &end, 10);
			if (*last == '\0' || *end != '\0' || j->since < 0)
				j->since = 0;
		}
		break;
	case WEB_DRAFT:
		draft_start(j);
		return;
	case WEB_DIFF:
		if (query_int(q, "a", &j->a) == -1 ||
		    query_int(q, "b", &j->b) == -1) {
			fail(req, rt.kind, 400, "Bad Request", "give the two "
			    "versions to compare: ?a=A&b=B");
			job_free(j);
			return;
		}
		draft_start(j);
		return;
	default:
		break;
	}
	incident_start(j);
}

/* --- The process. --- */

#define BUSY_BODY	"{\"ok\":false,\"error\":\"the web view serves as " \
	"many connections as [web] max_clients allows\"}\n"

/* At the cap: answered at once, not queued. */
static void
refuse(int fd)
{
	char answer[512];
	ssize_t n;
	int len;

	len = snprintf(answer, sizeof(answer), "HTTP/1.1 503 Service "
	    "Unavailable\r\nContent-Type: application/json\r\nRetry-After: 1"
	    "\r\nConnection: close\r\nContent-Length: %zu\r\n\r\n%s",
	    sizeof(BUSY_BODY) - 1, BUSY_BODY);
	do
		n = send(fd, answer, (size_t)len, MSG_DONTWAIT | MSG_NOSIGNAL);
	while (n == -1 && errno == EINTR);
	(void)shutdown(fd, SHUT_WR);
	close(fd);
}

static void
chan_cb(evutil_socket_t fd, short what, void *arg)
{
	size_t len;
	int cfd, rv = 0, n;

	for (n = 0; n < 64; n++) {
		if ((rv = fdpass_recv(w.chan, &cfd, w.buf, FDPASS_MAX,
		    &len)) != 1)
			break;
		if (w.stopping || http_server_adopt(w.srv, cfd, w.buf,
		    len) == -1) {
			log_warnx("web: %zu connections open ([web] "
			    "max_clients): answered 503", (size_t)w.cf.web.max_clients);
			refuse(cfd);
		}
	}
	if (rv == -1) {
		log_info("web: sochid closed the channel; stopping");
		event_base_loopexit(w.base, NULL);
	}
}

static void
on_ready(void *arg)
{
	struct watch *x;

	/* Notifications sent while nobody listened are lost: look again. */
	TAILQ_FOREACH(x, &w.watches, entry)
		watch_touch(x, 0);
}

static void
on_notify(const char *channel, const char *payload, void *arg)
{
	struct watch *x;

	if (strcmp(channel, "sochi_incident") == 0 &&
	    (x = watch_find(payload)) != NULL)
		watch_touch(x, 0);
}

static void
stop_cb(evutil_socket_t sig, short what, void *arg)
{
	log_debug("signal %d: stopping", (int)sig);
	event_base_loopexit(w.base, NULL);
}

/*
 * SIGHUP: tokens, the report header and table and the log level come from
 * the file again; the database, the zone and [web] need a restart.
 */
static void
hup_cb(evutil_socket_t sig, short what, void *arg)
{
	struct sochi_config ncf, old;
	const struct reg_table *t;
	char err[1024];

	config_init(&ncf);
	if (conffile_load(&ncf, w.conf_path, 1, err, sizeof(err)) == -1 ||
	    conffile_tokens(&ncf, err, sizeof(err)) == -1 ||
	    reg_table_named(ncf.report.table, &t) == -1) {
		log_warnx("reload failed, keeping the running configuration: %s",
		    err);
		config_free(&ncf);
		return;
	}
	if (strcmp(ncf.database, w.cf.database) != 0 ||
	    strcmp(ncf.timezone, w.cf.timezone) != 0) {
		log_warnx("reload: database and timezone take effect only after "
		    "a restart; keeping the running configuration");
		config_free(&ncf);
		return;
	}
	old = w.cf;
	w.cf = ncf;
	w.table = t;
	config_free(&old);
	log_setlevel(w.cf.log_level);
	log_debug("reloaded %s", w.conf_path);
}

int
web_worker_main(const char *conf_path, int debug)
{
	struct db_conn_config dc;
	struct http_server_config sc;
	struct watch *x;
	struct sub *s;
	char err[1024];

	memset(&w, 0, sizeof(w));
	TAILQ_INIT(&w.watches);
	w.conf_path = conf_path;
	w.chan = WORKER_CHANNEL_FD;
	log_init("sochid web", LOG_LEVEL_INFO);
	/* Ends when sochid does, even when it was killed with no chance to say so. */
	if (worker_proc_child("sochid: web") == -1)
		return 1;
	config_init(&w.cf);
	/* The tokens, for GET /login (tokens_file, as sochid reads it). */
	if (conffile_load(&w.cf, conf_path, 1, err, sizeof(err)) == -1 ||
	    conffile_tokens(&w.cf, err, sizeof(err)) == -1)
		fatalx("%s", err);
	if (reg_table_named(w.cf.report.table, &w.table) == -1)
		fatalx("[report] table: no such table \"%s\"", w.cf.report.table);
	if (debug)
		w.cf.log_level = LOG_LEVEL_DEBUG;
	log_setlevel(w.cf.log_level);
	if (conffile_zone(w.cf.timezone, &w.zone, err, sizeof(err)) == -1)
		fatalx("%s", err);
	signal(SIGPIPE, SIG_IGN);
	if ((w.buf = malloc(FDPASS_MAX)) == NULL || web_csp(&w.csp) == -1)
		fatalx("out of memory");
	if ((w.base = event_base_new()) == NULL)
		fatalx("event_base_new failed");
	w.timeout = (int64_t)w.cf.web.timeout * 1000000;
	memset(&dc, 0, sizeof(dc));
	dc.name = "web";
	dc.conninfo = w.cf.database;
	dc.timeout = w.timeout;
	dc.depth = 4;
	dc.schema_version = migrate_latest();
	dc.digest = NULL;	/* the writer says it once */
	dc.listen = channels;
	dc.stmts = stmts;
	dc.on_ready = on_ready;
	dc.on_notify = on_notify;
	if ((w.q = db_queries_new(w.base, &dc)) == NULL)
		fatalx("cannot start the web view's connection");
	memset(&sc, 0, sizeof(sc));
	sc.name = "web";
	sc.cap_key = "[web] max_clients";
	sc.max_conns = (size_t)w.cf.web.max_clients;
	sc.max_header_bytes = 16384;
	sc.max_body_bytes = FDPASS_MAX;
	sc.request_timeout = (int64_t)w.cf.http_request_timeout * 1000000;
	sc.idle_timeout = (int64_t)w.cf.idle_timeout * 1000000;
	sc.handle = handle;
	if ((w.srv = http_server_new(w.base, -1, &sc)) == NULL)
		fatalx("cannot start the web view's server");
	w.ev_chan = event_new(w.base, w.chan, EV_READ | EV_PERSIST, chan_cb,
	    NULL);
	w.ev_term = evsignal_new(w.base, SIGTERM, stop_cb, NULL);
	w.ev_int = evsignal_new(w.base, SIGINT, stop_cb, NULL);
	w.ev_hup = evsignal_new(w.base, SIGHUP, hup_cb, NULL);
	w.ev_beat = event_new(w.base, -1, EV_PERSIST, beat_cb, NULL);
	if (w.ev_chan == NULL || w.ev_term == NULL || w.ev_int == NULL ||
	    w.ev_hup == NULL || w.ev_beat == NULL)
		fatalx("out of memory");
	event_add(w.ev_chan, NULL);
	event_add(w.ev_term, NULL);
	event_add(w.ev_int, NULL);
	event_add(w.ev_hup, NULL);
	event_add(w.ev_beat, &(struct timeval){ KEEPALIVE_S, 0 });
	log_debug("started (pid %ld)", (long)getpid());

	event_base_dispatch(w.base);

	/*
	 * Streams end first; then the queries in flight fail, so that every
	 * request still waiting is answered (503) while the server lives and
	 * no watch goes while a reading holds it; then the server.
	 */
	w.stopping = 1;
	TAILQ_FOREACH(x, &w.watches, entry)
		while ((s = TAILQ_FIRST(&x->subs)) != NULL) {
			TAILQ_REMOVE(&x->subs, s, entry);
			x->nsubs--;
			http_stream_end(s->req);
			free(s);
		}
	db_queries_free(w.q);
	while ((x = TAILQ_FIRST(&w.watches)) != NULL) {
		TAILQ_REMOVE(&w.watches, x, entry);
		if (x->defer != NULL)
			event_free(x->defer);
		free(x);
	}
	http_server_free(w.srv);
	event_free(w.ev_chan);
	event_free(w.ev_term);
	event_free(w.ev_int);
	event_free(w.ev_hup);
	event_free(w.ev_beat);
	event_base_free(w.base);
	close(w.chan);
	sbuf_free(&w.csp);
	free(w.buf);
	zone_free(&w.zone);
	config_free(&w.cf);
	return 0;
}
