/* SPDX-License-Identifier: MIT */
/*
 * The drafter process.  See drafter.h.
 */
#include <sys/queue.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "conffile.h"
#include "db_conn.h"
#include "db_query.h"
#include "docx.h"
#include "drafter.h"
#include "history.h"
#include "incident.h"
#include "log.h"
#include "migrate.h"
#include "notify.h"
#include "report.h"
#include "spool.h"
#include "timeline.h"
#include "worker_proc.h"

/*
 * An incident is read at most once per EVAL_PAUSE: a stream of events to a
 * large incident costs one reading per pause, not one per batch.  A reading
 * that took longer waits EVAL_SHARE times its own length before the next
 * starts (up to EVAL_PAUSE_MAX), so that re-reading one huge incident takes
 * at most a third of a core (and of the database's) from the ingest
 * process beside it.  notify_command's children inherit the lower
 * priority below.
 */
#define EVAL_PAUSE	(500 * 1000)
#define EVAL_SHARE	2
#define EVAL_PAUSE_MAX	(30 * 1000000LL)
/*
 * The drafter is the daemon's background work: it runs at this much lower
 * a CPU priority (nice), so that the ingest process is served first when
 * both want a core.
 */
#define DRAFTER_NICE	5
/* A request of the drafter's may take this long (reading a huge incident). */
#define DRAFTER_TIMEOUT_MIN	(120 * 1000000LL)
/*
 * Incidents open are counted again at most this often (seconds) after a
 * notification (an incident opened or closed anywhere), for /metrics.
 */
#define COUNT_PAUSE	1
/*
 * A failed evaluation (or sweep) is tried again after RETRY_MIN, doubling
 * to RETRY_MAX while it keeps failing: the connection may be there and the
 * cause pass (a lock, a deadline, a statement refused), or not, and then
 * the reconnection tries at once.
 */
#define RETRY_MIN	(1 * 1000000LL)
#define RETRY_MAX	(30 * 1000000LL)

struct watched {
	TAILQ_ENTRY(watched) entry;	/* in the list of incidents seen */
	TAILQ_ENTRY(watched) qentry;	/* in the queue, while queued */
	char		 code[80];	/* the incident */
	int		 queued;	/* waiting to be read again */
	struct event	*timer;		/* fires when a pair will be met */
	struct event	*defer;		/* reads it again once the pause is over */
	int		 warned_day;	/* YYYYMMDD of the last deadline warning */
	int64_t		 last_eval;	/* when it was last read, monotonic µs */
	int64_t		 pause;		/* from then to the next reading, µs */
	int		 no_detail_told; /* logged why it gets no 詳報 */
	int64_t		 retry_wait;	/* the next backoff after a failure, µs;
					   0 unless the last evaluation failed */
	struct event	*retry;		/* reads it again after that backoff */
};
TAILQ_HEAD(watched_list, watched);

/* One evaluation in progress. */
struct job {
	struct watched	*w;		/* the incident being read */
	struct store_incident si;	/* its row and events */
	struct store_history hist;	/* related past incidents, for the 詳報 */
};

/* One draft being stored. */
struct store {
	struct watched	*w;		/* the incident (lives as long as the loop) */
	char		 code[80];	/* its code */
	char		 trigger[16];	/* sokuho, recovery */
	const char	*fmts[REPORT_FORMATS_MAX]; /* its formats (static) */
	char		*bodies[REPORT_FORMATS_MAX]; /* their text, or NULL: */
	unsigned char	*data[REPORT_FORMATS_MAX]; /* their bytes (docx) */
	size_t		 lens[REPORT_FORMATS_MAX]; /* and their lengths */
	int		 n;		/* how many */
};

static const struct db_stmt stmts[] = {
	{ "incident", STORE_INCIDENT_SQL, 1 },
	{ "events", STORE_EVENTS_SQL, 1 },
	{ "related", STORE_HISTORY_SQL, 2 },
	{ "draft_add", "select sochi_draft_add($1, $2, $3::text[], "
	    "$4::text[], $5, $6::bytea[])", 6 },
	/* Incidents that may need a draft or a deadline warning. */
	/* The open incidents, for sochid's /metrics and STATUS= line. */
	{ "open_count", "select count(*) from incident where state = 'open'",
	    0 },
	{ "sweep", "select i.code from incident i where exists (select 1 from "
	    "event e where e.incident_id = i.id and e.kind = 'impact') and "
	    "(i.filed_on is null or not exists (select 1 from draft x where "
	    "x.incident_id = i.id and x.trigger = 'recovery')) order by i.id",
	    0 },
	{ NULL, NULL, 0 }
};

static const char *const channels[] = { "sochi_incident", NULL };

static struct {
	struct event_base *base;	/* the drafter's loop */
	const char	*conf_path;	/* the config file */
	struct sochi_config cf;		/* the running config */
	struct zone	 zone;		/* the carrier's zone */
	struct db_queries *q;		/* its own connection and queries */
	struct watched_list all;	/* every incident seen */
	struct watched_list queue;	/* to be read again, in order */
	int		 busy;		/* an evaluation is running */
	struct event	*ev_term;	/* SIGTERM */
	struct event	*ev_int;	/* SIGINT */
	struct event	*ev_hup;	/* SIGHUP */
	struct event	*ev_hourly;	/* the sweep */
	struct event	*ev_count;	/* counts the open incidents again */
	int		 counting;	/* a count is in flight */
	struct event	*ev_sweep;	/* sweeps again after a failed sweep */
	int64_t		 sweep_wait;	/* the next backoff after a failed sweep, µs */
	int		 report_fd;	/* the channel to sochid, or -1 */
	int		 debug;		/* -d: debug whatever the file says */
	int		 stopping;	/* the loop has ended: no more queries */
} d;

static void	next(void);

/*
 * A line to sochid (worker_proc.c), for /metrics.  The channel does not
 * block: a line sochid could not take yet is lost, never waited for.
 */
static void
report(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void
report(const char *fmt, ...)
{
	char line[128];
	va_list ap;
	int n;

	if (d.report_fd == -1)
		return;
	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
	va_end(ap);
	if (n <= 0 || (size_t)n >= sizeof(line) - 1)
		return;
	line[n++] = '\n';
	if (write(d.report_fd, line, (size_t)n) == -1 && errno != EAGAIN)
		d.report_fd = -1;
}

static int64_t
now_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Queues a prepared statement; cb gets the rows (to PQclear) or an error. */
static void
dq_query(const char *stmt, int n, const char *const *params, db_query_cb cb,
    void *arg)
{
	if (d.stopping) {
		cb(NULL, "stopping", arg);
		return;
	}
	db_queries_send(d.q, stmt, n, params, 0, cb, arg);
}

static struct watched *
watched_get(const char *code)
{
	struct watched *w;

	TAILQ_FOREACH(w, &d.all, entry)
		if (strcmp(w->code, code) == 0)
			return w;
	if ((w = calloc(1, sizeof(*w))) == NULL)
		return NULL;
	snprintf(w->code, sizeof(w->code), "%s", code);
	TAILQ_INSERT_TAIL(&d.all, w, entry);
	return w;
}

static void
enqueue(struct watched *w)
{
	if (w->queued)
		return;
	w->queued = 1;
	TAILQ_INSERT_TAIL(&d.queue, w, qentry);
	if (!d.busy)
		next();
}

static void
defer_cb(evutil_socket_t fd, short what, void *arg)
{
	enqueue(arg);
}

/* An incident's events were committed (or its timer fired): read it again. */
static void
touch(const char *code)
{
	struct watched *w;
	int64_t wait;

	if (code == NULL || *code == '\0')
		return;
	if ((w = watched_get(code)) == NULL || w->queued)
		return;
	wait = w->last_eval + (w->pause > EVAL_PAUSE ? w->pause : EVAL_PAUSE) -
	    db_conn_now();
	if (w->last_eval != 0 && wait > 0) {
		if (w->defer == NULL)
			w->defer = evtimer_new(d.base, defer_cb, w);
		if (w->defer != NULL && !evtimer_pending(w->defer, NULL))
			event_add(w->defer, &(struct timeval){
			    (time_t)(wait / 1000000),
			    (suseconds_t)(wait % 1000000) });
		return;
	}
	enqueue(w);
}

/* The next backoff of a series: RETRY_MIN, doubled each time to RETRY_MAX. */
static int64_t
backoff(int64_t *wait)
{
	int64_t w = *wait < RETRY_MIN ? RETRY_MIN : *wait;

	*wait = w * 2 > RETRY_MAX ? RETRY_MAX : w * 2;
	return w;
}

static void
retry_cb(evutil_socket_t fd, short what, void *arg)
{
	struct watched *w = arg;

	log_debug("drafts: %s: reading it again after a failure", w->code);
	enqueue(w);
}

/*
 * The one place a failed evaluation of w is remembered, whatever failed
 * (its rows not read, the model not built, the draft not stored) and why
 * (the connection lost, a deadline, a statement refused, memory): w is
 * read again after a backoff, or at once when the connection is back
 * (on_ready), whichever comes first, until an evaluation succeeds.  Only
 * an evaluation that ends well ("it is fine": a draft made, none due, or
 * already made by another daemon) ends the series (eval_ok).
 */
static void
eval_failed(struct watched *w, const char *what, const char *err)
{
	int64_t wait;

	if (d.stopping)
		return;
	wait = backoff(&w->retry_wait);
	log_warnx("drafts: %s: %s: %s; reading it again in %lld s, or when "
	    "the database is back", w->code, what, err,
	    (long long)((wait + 999999) / 1000000));
	if (w->retry == NULL && (w->retry = evtimer_new(d.base, retry_cb,
	    w)) == NULL) {
		log_warnx("drafts: %s: out of memory: it is read again at the "
		    "next sweep", w->code);
		return;
	}
	event_add(w->retry, &(struct timeval){ wait / 1000000,
	    wait % 1000000 });
}

static void
eval_ok(struct watched *w)
{
	if (w->retry_wait != 0)
		log_info("drafts: %s: evaluated again after a failure", w->code);
	w->retry_wait = 0;
	if (w->retry != NULL)
		evtimer_del(w->retry);
}

static const char *
ext(const char *fmt)
{
	return strcmp(fmt, "text") == 0 ? "txt" : fmt;
}

static void
store_free(struct store *s)
{
	docx_draft_free(s->bodies, s->data, s->n);
	free(s);
}

static void
stored_cb(PGresult *res, const char *err, void *arg)
{
	struct store *s = arg;
	char files[4][1024], name[256];
	int version, i, n = 0;

	if (res == NULL) {
		snprintf(name, sizeof(name), "cannot store the %s draft",
		    s->trigger);
		eval_failed(s->w, name, err);
		store_free(s);
		return;
	}
	if (PQntuples(res) != 1 || PQgetisnull(res, 0, 0)) {
		/* null: already made, here or by another daemon */
		PQclear(res);
		store_free(s);
		return;
	}
	version = atoi(PQgetvalue(res, 0, 0));
	PQclear(res);
	log_info("drafts: %s: made the %s draft, version %d", s->code,
	    s->trigger, version);
	report("draft %s", s->trigger);
	for (i = 0; i < s->n; i++) {
		if (version == 0)
			snprintf(name, sizeof(name), "%s-sokuho.%s", s->code,
			    ext(s->fmts[i]));
		else
			snprintf(name, sizeof(name), "%s-v%d.%s", s->code,
			    version, ext(s->fmts[i]));
		if (spool_write(name, s->bodies[i] != NULL ? s->bodies[i] :
		    (const char *)s->data[i], s->bodies[i] != NULL ?
		    strlen(s->bodies[i]) : s->lens[i], files[n],
		    sizeof(files[n])) == 0)
			n++;
	}
	notify_draft(s->code, version, s->trigger, files, (size_t)n);
	store_free(s);
}

/* Queues the draft's store; -1 (and said why) when it could not be made. */
static int
make_draft(struct watched *w, const struct report *r, int64_t inc_id,
    const char *code, const char *trigger, int64_t last_event)
{
	struct store *s = calloc(1, sizeof(*s));
	struct sbuf fa = SBUF_INIT, ba = SBUF_INIT, da = SBUF_INIT;
	struct sbuf body = SBUF_INIT;
	char idbuf[32], lastbuf[32], err[1024];
	const char *params[6];

	if (s == NULL) {
		eval_failed(w, "cannot make a draft", "out of memory");
		return -1;
	}
	s->w = w;
	snprintf(s->code, sizeof(s->code), "%s", code);
	snprintf(s->trigger, sizeof(s->trigger), "%s", trigger);
	if (strcmp(trigger, "sokuho") == 0) {
		report_sokuho(r, &body);
		s->fmts[0] = "text";
		s->bodies[0] = sbuf_steal(&body);
		s->n = 1;
		if (s->bodies[0] == NULL) {
			eval_failed(w, "cannot make the sokuho draft",
			    "out of memory");
			store_free(s);
			return -1;
		}
	} else if ((s->n = docx_draft_formats(r, d.cf.drafts.formats, s->fmts,
	    s->bodies, s->data, s->lens, err, sizeof(err))) == -1) {
		eval_failed(w, "cannot make the recovery draft", err);
		s->n = 0;
		store_free(s);
		return -1;
	}
	sbuf_pg_array(&fa, (char *const *)(uintptr_t)s->fmts, s->n);
	sbuf_pg_array(&ba, s->bodies, s->n);
	sbuf_pg_bytea_array(&da, s->data, s->lens, s->n);
	snprintf(idbuf, sizeof(idbuf), "%lld", (long long)inc_id);
	snprintf(lastbuf, sizeof(lastbuf), "%lld", (long long)last_event);
	params[0] = idbuf;
	params[1] = trigger;
	params[2] = fa.data != NULL ? fa.data : "{}";
	params[3] = ba.data != NULL ? ba.data : "{}";
	params[4] = lastbuf;
	params[5] = da.data != NULL ? da.data : "{}";
	dq_query("draft_add", 6, params, stored_cb, s);
	sbuf_free(&fa);
	sbuf_free(&ba);
	sbuf_free(&da);
	return 0;
}

static void
timer_cb(evutil_socket_t fd, short what, void *arg)
{
	struct watched *w = arg;

	log_debug("drafts: %s: a running impact reaches a limit now", w->code);
	touch(w->code);
}

/*
 * The earliest time a running impact will meet a pair of the row at the
 * users already affected, or 0.
 */
static int64_t
next_crossing(const struct timeline *tl, int64_t now)
{
	const struct reg_pair *pairs[2];
	int64_t best = 0, t;
	size_t i, k;

	if (!tl->classified)
		return 0;
	pairs[0] = &tl->reg.row->a;
	pairs[1] = &tl->reg.row->b;
	for (k = 0; k < 2; k++) {
		if (pairs[k]->hours == 0 || tl->users.max < pairs[k]->users)
			continue;
		for (i = 0; i < tl->nimpacts; i++) {
			if (!tl->impacts[i].provisional ||
			    tl->impacts[i].start_id == 0)
				continue;
			t = tl->impacts[i].start +
			    (int64_t)pairs[k]->hours * 3600 * 1000000;
			if (t > now && (best == 0 || t < best))
				best = t;
		}
	}
	return best;
}

static void
deadline_warning(struct watched *w, const struct timeline *tl, int filed,
    int64_t now)
{
	struct local_time lt;
	int today, days;
	int64_t a, b;

	if (filed || !tl->classified || tl->reg.cls != REG_SERIOUS)
		return;
	zone_local(&d.zone, now, &lt);
	today = lt.year * 10000 + lt.month * 100 + lt.day;
	a = rfc3339_days_from_civil(lt.year, (unsigned)lt.month,
	    (unsigned)lt.day);
	b = rfc3339_days_from_civil(tl->reg.due.year,
	    (unsigned)tl->reg.due.month, (unsigned)tl->reg.due.day);
	days = (int)(b - a);
	if (days > 7 || w->warned_day == today)
		return;
	w->warned_day = today;
	log_warnx("the 詳報 of %s is due %04d-%02d-%02d (%d days %s) and is not "
	    "marked filed (sochi filed -i %s --at DATE)", w->code,
	    tl->reg.due.year, tl->reg.due.month, tl->reg.due.day,
	    days < 0 ? -days : days, days < 0 ? "ago" : "left", w->code);
}

/*
 * Drafts what is due and sets the timers; -1 when something failed (said
 * and remembered by eval_failed).  A draft's store may still fail later.
 */
static int
evaluate(struct job *j)
{
	struct store_incident *si = &j->si;
	struct tl_config tcf = { &d.zone, &d.cf.phases,
	    d.cf.report.alert_actor };
	struct timeline tl;
	struct report r;
	int64_t now = now_usec(), t, wait;
	int rv = 0;

	if (timeline_build(&si->inc, si->evs, si->n, &tcf, now, &tl) == -1) {
		eval_failed(j->w, "cannot build its timeline", "out of memory");
		return -1;
	}
	r.tl = &tl;
	r.inc = &si->inc;
	r.profile = &d.cf.report;
	/* The 詳報 drafts 関連する事故の発生傾向 from them, as sochi report does. */
	r.related = j->hist.res != NULL ? &j->hist.set : NULL;
	j->hist.set.equipment = si->inc.equipment;
	j->hist.set.service = si->inc.service;
	r.zone = &d.zone;
	r.now = now;
	if (tl.classified && tl.reg.cls == REG_SERIOUS &&
	    strstr(si->drafts, "sokuho") == NULL &&
	    make_draft(j->w, &r, si->id, si->code, "sokuho",
	    si->max_event) == -1)
		rv = -1;
	if (tl.all_recovered && strstr(si->drafts, "recovery") == NULL) {
		const char *why;

		if (timeline_wants_detail(&tl, &why)) {
			if (make_draft(j->w, &r, si->id, si->code, "recovery",
			    si->max_event) == -1)
				rv = -1;
		} else if (!j->w->no_detail_told) {
			log_info("drafts: %s: no 詳報 draft: %s", si->code, why);
			j->w->no_detail_told = 1;
		}
	}
	/* A running impact that will meet a pair: wake then. */
	if (j->w->timer != NULL)
		evtimer_del(j->w->timer);
	if (strstr(si->drafts, "sokuho") == NULL && !(tl.classified &&
	    tl.reg.cls == REG_SERIOUS) && (t = next_crossing(&tl, now)) != 0) {
		wait = t - now;
		if (j->w->timer == NULL)
			j->w->timer = evtimer_new(d.base, timer_cb, j->w);
		if (j->w->timer != NULL)
			event_add(j->w->timer, &(struct timeval){
			    wait / 1000000, wait % 1000000 });
		log_debug("drafts: %s: a limit is reached in %lld s", si->code,
		    (long long)(wait / 1000000));
	}
	deadline_warning(j->w, &tl, si->filed, now);
	timeline_free(&tl);
	return rv;
}

/*
 * Ends an evaluation: what (and err) say what failed, or what is NULL
 * when it went well (or the failure was already remembered).
 */
static void
job_end(struct job *j, const char *what, const char *err)
{
	j->w->pause = (1 + EVAL_SHARE) * (db_conn_now() - j->w->last_eval);
	if (j->w->pause > EVAL_PAUSE_MAX)
		j->w->pause = EVAL_PAUSE_MAX;
	if (what != NULL)
		eval_failed(j->w, what, err);
	store_history_free(&j->hist);
	store_incident_free(&j->si);
	free(j);
	d.busy = 0;
	next();
}

static void
related_cb(PGresult *res, const char *err, void *arg)
{
	struct job *j = arg;
	struct tl_config tcf = { &d.zone, &d.cf.phases,
	    d.cf.report.alert_actor };

	/* Without them the 詳報 shows 【要記入】 there, as before. */
	if (res == NULL)
		log_warnx("drafts: %s: cannot look for related incidents: %s",
		    j->w->code, err);
	else if (store_history_rows(&j->hist, res,
	    (int)d.cf.report.related_years, &tcf, now_usec()) == -1) {
		log_warnx("drafts: %s: out of memory", j->w->code);
		store_history_free(&j->hist);
	}
	if (evaluate(j) == 0)
		eval_ok(j->w);
	job_end(j, NULL, NULL);
}

static void
events_cb(PGresult *res, const char *err, void *arg)
{
	struct job *j = arg;
	char years[16];
	const char *p[2] = { j->si.code, years };

	if (res == NULL) {
		job_end(j, "cannot read its events", err);
		return;
	}
	if (store_incident_events(&j->si, res) == -1) {
		job_end(j, "cannot read its events", "out of memory");
		return;
	}
	if (strstr(j->si.drafts, "recovery") == NULL) {
		/* A 詳報 may be made: its related incidents first. */
		snprintf(years, sizeof(years), "%ld", d.cf.report.related_years);
		dq_query("related", 2, p, related_cb, j);
		return;
	}
	if (evaluate(j) == 0)
		eval_ok(j->w);
	job_end(j, NULL, NULL);
}

static void
incident_cb(PGresult *res, const char *err, void *arg)
{
	struct job *j = arg;
	char idbuf[32];
	const char *p[1] = { idbuf };

	if (res == NULL) {
		job_end(j, "cannot read it", err);
		return;
	}
	/* No such incident, or no impact and so no 発生: nothing to draft. */
	if (store_incident_row(&j->si, res) == -1 || !j->si.has_impacts) {
		eval_ok(j->w);
		job_end(j, NULL, NULL);
		return;
	}
	snprintf(idbuf, sizeof(idbuf), "%lld", (long long)j->si.id);
	dq_query("events", 1, p, events_cb, j);
}

static void
next(void)
{
	struct watched *w = TAILQ_FIRST(&d.queue);
	struct job *j;
	const char *p[1];

	if (w == NULL || d.busy || d.stopping)
		return;
	TAILQ_REMOVE(&d.queue, w, qentry);
	w->queued = 0;
	w->last_eval = db_conn_now();
	if ((j = calloc(1, sizeof(*j))) == NULL) {
		eval_failed(w, "cannot read it", "out of memory");
		return;
	}
	j->w = w;
	d.busy = 1;
	p[0] = w->code;
	dq_query("incident", 1, p, incident_cb, j);
}

static void
sweep_cb(PGresult *res, const char *err, void *arg)
{
	int64_t wait;
	int i;

	if (res == NULL) {
		if (d.stopping)
			return;
		/* Incidents changed while nobody listened may be among them. */
		wait = backoff(&d.sweep_wait);
		log_warnx("drafts: cannot list the incidents to look at: %s; "
		    "trying again in %lld s, or when the database is back", err,
		    (long long)((wait + 999999) / 1000000));
		if (d.ev_sweep != NULL)
			event_add(d.ev_sweep, &(struct timeval){ wait / 1000000,
			    wait % 1000000 });
		return;
	}
	d.sweep_wait = 0;
	for (i = 0; i < PQntuples(res); i++)
		touch(PQgetvalue(res, i, 0));
	PQclear(res);
}

static void
sweep(void)
{
	if (d.ev_sweep != NULL)
		evtimer_del(d.ev_sweep);
	dq_query("sweep", 0, NULL, sweep_cb, NULL);
}

static void
sweep_timer_cb(evutil_socket_t fd, short what, void *arg)
{
	sweep();
}

static void
count_cb(PGresult *res, const char *err, void *arg)
{
	d.counting = 0;
	if (res == NULL) {
		log_debug("cannot count the open incidents: %s", err);
		return;
	}
	if (PQntuples(res) == 1)
		report("open %s", PQgetvalue(res, 0, 0));
	PQclear(res);
}

static void
count_timer_cb(evutil_socket_t fd, short what, void *arg)
{
	if (d.counting || d.report_fd == -1)
		return;
	d.counting = 1;
	dq_query("open_count", 0, NULL, count_cb, NULL);
}

/* Counts the open incidents soon: at most once per COUNT_PAUSE. */
static void
count_soon(void)
{
	if (d.report_fd == -1 || d.ev_count == NULL ||
	    evtimer_pending(d.ev_count, NULL))
		return;
	event_add(d.ev_count, &(struct timeval){ COUNT_PAUSE, 0 });
}

static void
hourly_cb(evutil_socket_t fd, short what, void *arg)
{
	sweep();
	count_soon();
}

/*
 * (Re)connected, LISTENing again (db_conn does it on every connection):
 * what failed is read again at once, and what changed while nobody
 * listened is found by the sweep.
 */
static void
on_ready(void *arg)
{
	struct watched *w;

	TAILQ_FOREACH(w, &d.all, entry)
		if (w->retry_wait != 0) {
			if (w->retry != NULL)
				evtimer_del(w->retry);
			enqueue(w);
		}
	sweep();
	count_timer_cb(-1, 0, NULL);
}

static void
on_notify(const char *channel, const char *payload, void *arg)
{
	if (strcmp(channel, "sochi_incident") == 0) {
		touch(payload);
		count_soon();
	}
}

static void
stop_cb(evutil_socket_t sig, short what, void *arg)
{
	log_debug("signal %d: stopping", (int)sig);
	event_base_loopexit(d.base, NULL);
}

static void
reload_note(const char *what, int reloadable, void *arg)
{
	log_debug("reload: %s changed%s", what, reloadable ? "" :
	    "; takes effect after a restart");
}

/*
 * SIGHUP (sochid passes its own on): the file again, every key the table
 * marks reloadable applied (the report header, the drafts' settings, the
 * phases, the log level); the rest keeps its running value until a
 * restart.  sochid logs which keys changed; this process says that it
 * reloaded (and which keys, at debug), not the whole list twice.
 */
static void
hup_cb(evutil_socket_t sig, short what, void *arg)
{
	struct sochi_config ncf;
	char err[1024];

	config_init(&ncf);
	if (conffile_load(&ncf, d.conf_path, 1, err, sizeof(err)) == -1) {
		log_warnx("reload failed, keeping the running configuration: %s",
		    err);
		config_free(&ncf);
		return;
	}
	if (d.debug)
		ncf.log_level = LOG_LEVEL_DEBUG;
	config_diff(&d.cf, &ncf, reload_note, NULL);
	config_reload(&d.cf, &ncf);
	config_free(&ncf);
	log_setlevel(d.cf.log_level);
	log_info("reloaded %s", d.conf_path);
}

int
drafter_main(const char *conf_path, int debug)
{
	struct db_conn_config dc;
	struct watched *w;
	char err[1024], dir[1024];

	memset(&d, 0, sizeof(d));
	d.report_fd = -1;
	d.debug = debug;
	TAILQ_INIT(&d.all);
	TAILQ_INIT(&d.queue);
	d.conf_path = conf_path;
	log_init("sochid drafter", LOG_LEVEL_INFO);
	/* Ends when sochid does, even when it was killed with no chance to say so. */
	if (worker_proc_child("sochid: drafter") == -1)
		return 1;
	/*
	 * sochid's channel (worker_proc.c), when it started us; kept from
	 * the commands notify_command runs.
	 */
	if (fcntl(WORKER_CHANNEL_FD, F_SETFD, FD_CLOEXEC) == 0 &&
	    fcntl(WORKER_CHANNEL_FD, F_SETFL, O_NONBLOCK) == 0)
		d.report_fd = WORKER_CHANNEL_FD;
	config_init(&d.cf);
	if (conffile_load(&d.cf, conf_path, 1, err, sizeof(err)) == -1)
		fatalx("%s", err);
	if (debug)
		d.cf.log_level = LOG_LEVEL_DEBUG;
	log_setlevel(d.cf.log_level);
	if (conffile_zone(d.cf.timezone, &d.zone, err, sizeof(err)) == -1)
		fatalx("%s", err);
	signal(SIGPIPE, SIG_IGN);
	errno = 0;
	if (nice(DRAFTER_NICE) == -1 && errno != 0)
		log_warnx("cannot lower the drafter's CPU priority: %s",
		    strerror(errno));
	if ((d.base = event_base_new()) == NULL)
		fatalx("event_base_new failed");
	if (*d.cf.drafts.spool_dir != '\0')
		snprintf(dir, sizeof(dir), "%s", d.cf.drafts.spool_dir);
	else
		snprintf(dir, sizeof(dir), "%s/drafts", d.cf.state_dir);
	if (spool_init(dir) == -1 || notify_init(d.base, &d.cf) == -1)
		fatalx("cannot start: see the messages above");
	memset(&dc, 0, sizeof(dc));
	dc.name = "drafter";
	dc.conninfo = d.cf.database;
	dc.timeout = (int64_t)d.cf.write_timeout * 1000000;
	if (dc.timeout < DRAFTER_TIMEOUT_MIN)
		dc.timeout = DRAFTER_TIMEOUT_MIN;
	dc.depth = 1;
	dc.schema_version = migrate_latest();
	dc.digest = NULL;	/* the writer says it once */
	dc.writable = 1;	/* drafts are written */
	dc.listen = channels;
	dc.stmts = stmts;
	dc.on_ready = on_ready;
	dc.on_notify = on_notify;
	if ((d.q = db_queries_new(d.base, &dc)) == NULL)
		fatalx("cannot start the drafter's connection");
	d.ev_term = evsignal_new(d.base, SIGTERM, stop_cb, NULL);
	d.ev_int = evsignal_new(d.base, SIGINT, stop_cb, NULL);
	d.ev_hup = evsignal_new(d.base, SIGHUP, hup_cb, NULL);
	d.ev_hourly = event_new(d.base, -1, EV_PERSIST, hourly_cb, NULL);
	d.ev_count = evtimer_new(d.base, count_timer_cb, NULL);
	d.ev_sweep = evtimer_new(d.base, sweep_timer_cb, NULL);
	event_add(d.ev_term, NULL);
	event_add(d.ev_int, NULL);
	event_add(d.ev_hup, NULL);
	event_add(d.ev_hourly, &(struct timeval){ 3600, 0 });
	log_debug("started (pid %ld)", (long)getpid());

	event_base_dispatch(d.base);

	d.stopping = 1;
	db_queries_free(d.q);
	d.q = NULL;
	while ((w = TAILQ_FIRST(&d.all)) != NULL) {
		TAILQ_REMOVE(&d.all, w, entry);
		if (w->timer)
			event_free(w->timer);
		if (w->defer)
			event_free(w->defer);
		if (w->retry)
			event_free(w->retry);
		free(w);
	}
	notify_free();
	spool_free();
	event_free(d.ev_term);
	event_free(d.ev_int);
	event_free(d.ev_hup);
	event_free(d.ev_hourly);
	if (d.ev_count != NULL)
		event_free(d.ev_count);
	if (d.ev_sweep != NULL)
		event_free(d.ev_sweep);
	if (d.report_fd != -1)
		close(d.report_fd);
	event_base_free(d.base);
	zone_free(&d.zone);
	config_free(&d.cf);
	return 0;
}
