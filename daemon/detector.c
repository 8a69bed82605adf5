/*
 * The draft detector.  See detector.h.
 */
#include <sys/queue.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <stdint.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/http.h>

#include "detector.h"
#include "log.h"
#include "pgq.h"
#include "incident.h"
#include "report.h"
#include "timeline.h"
#include "wareki.h"

struct watched {
	TAILQ_ENTRY(watched) entry;	/* in the list of incidents seen */
	char		 code[80];	/* the incident */
	int		 queued;	/* waiting to be read again */
	struct event	*timer;		/* fires when a pair will be met */
	int		 warned_day;	/* YYYYMMDD of the last deadline warning */
	int64_t		 last_eval;	/* when it was last read, monotonic µs */
	struct event	*defer;		/* reads it again once the pause is over */
};

/*
 * An incident is read at most once per EVAL_PAUSE: a stream of events to a
 * large incident costs one reading per pause, not one per batch.
 */
#define EVAL_PAUSE	(500 * 1000)
TAILQ_HEAD(watched_list, watched);

struct child {
	TAILQ_ENTRY(child) entry;
	pid_t		 pid;		/* the notify command */
	char		 code[80];	/* for whom */
	int		 fd;		/* its output */
	struct event	*ev_out;	/* reading it */
	struct event	*ev_kill;	/* its timeout */
	struct evbuffer	*out;		/* what it said */
	int		 exited;	/* waitpid has seen it */
	int		 status;
};
TAILQ_HEAD(child_list, child);

/* One evaluation in progress. */
struct job {
	struct watched	*w;		/* the incident being read */
	struct store_incident si;	/* its row and events */
};

static struct {
	struct event_base *base;
	const struct sochi_config *cf;
	const struct zone *zone;
	struct watched_list all;	/* every incident seen */
	struct watched_list queue;	/* to be read again, in order */
	int		 busy;		/* an evaluation is running */
	struct job	*job;		/* that evaluation, freed at exit if it is */
	struct child_list children;	/* notify commands running */
	struct event	*ev_chld;	/* SIGCHLD */
	struct event	*ev_hourly;	/* deadline check */
	char		*spool;		/* where drafts go as files */
	struct evhttp_connection *posts[16]; /* notify_url requests in flight */
} d;

static void	next(void);

static int64_t
now_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
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

/* A separate list for the queue: entries link through a second field. */
struct qent {
	TAILQ_ENTRY(qent) entry;
	struct watched	*w;
};
static TAILQ_HEAD(, qent) q = TAILQ_HEAD_INITIALIZER(q);

static int64_t
mono_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void	enqueue(struct watched *);

static void
defer_cb(evutil_socket_t fd, short what, void *arg)
{
	enqueue(arg);
}

void
detector_touch(const char *code)
{
	struct watched *w;
	int64_t wait;

	if (d.base == NULL || code == NULL || *code == '\0')
		return;
	if ((w = watched_get(code)) == NULL || w->queued)
		return;
	wait = w->last_eval + EVAL_PAUSE - mono_usec();
	if (w->last_eval != 0 && wait > 0) {
		if (w->defer == NULL)
			w->defer = evtimer_new(d.base, defer_cb, w);
		if (w->defer != NULL && !evtimer_pending(w->defer, NULL)) {
			struct timeval tv = { 0, (suseconds_t)wait };

			evtimer_add(w->defer, &tv);
		}
		return;
	}
	enqueue(w);
}

static void
enqueue(struct watched *w)
{
	struct qent *e;

	if (w->queued)
		return;
	if ((e = calloc(1, sizeof(*e))) == NULL)
		return;
	e->w = w;
	w->queued = 1;
	TAILQ_INSERT_TAIL(&q, e, entry);
	if (!d.busy)
		next();
}

int
detector_idle(void)
{
	return !d.busy && TAILQ_EMPTY(&q);
}

/* Writes text to dir/name atomically: a temporary file, fsync, rename. */
static int
spool_write(const char *name, const char *text, size_t len, char *path,
    size_t pathlen)
{
	char tmp[1024];
	size_t off = 0;
	ssize_t n;
	int fd;

	snprintf(path, pathlen, "%s/%s", d.spool, name);
	snprintf(tmp, sizeof(tmp), "%s/.%s.tmp", d.spool, name);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640)) ==
	    -1) {
		log_warn("drafts: %s", tmp);
		return -1;
	}
	while (off < len) {
		if ((n = write(fd, text + off, len - off)) == -1) {
			if (errno == EINTR)
				continue;
			log_warn("drafts: %s", tmp);
			close(fd);
			unlink(tmp);
			return -1;
		}
		off += (size_t)n;
	}
	if (fsync(fd) == -1 || close(fd) == -1 || rename(tmp, path) == -1) {
		log_warn("drafts: %s", path);
		unlink(tmp);
		return -1;
	}
	return 0;
}

static void
child_done(struct child *c)
{
	size_t len = evbuffer_get_length(c->out);
	char *text = (char *)evbuffer_pullup(c->out, -1);

	if (WIFEXITED(c->status))
		log_info("drafts: notify_command for %s exited %d%s%.*s",
		    c->code, WEXITSTATUS(c->status), len ? ": " : "",
		    (int)(len > 1000 ? 1000 : len), text ? text : "");
	else
		log_warnx("drafts: notify_command for %s was killed by signal "
		    "%d%s%.*s", c->code, WTERMSIG(c->status), len ? ": " : "",
		    (int)(len > 1000 ? 1000 : len), text ? text : "");
	TAILQ_REMOVE(&d.children, c, entry);
	if (c->ev_out)
		event_free(c->ev_out);
	if (c->ev_kill)
		event_free(c->ev_kill);
	if (c->fd >= 0)
		close(c->fd);
	evbuffer_free(c->out);
	free(c);
}

static void
child_out_cb(evutil_socket_t fd, short what, void *arg)
{
	struct child *c = arg;
	char buf[4096];
	ssize_t n = read(fd, buf, sizeof(buf));

	if (n > 0) {
		if (evbuffer_get_length(c->out) < 65536)
			evbuffer_add(c->out, buf, (size_t)n);
		return;
	}
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	event_del(c->ev_out);
	close(c->fd);
	c->fd = -1;
	if (c->exited)
		child_done(c);
}

static void
child_kill_cb(evutil_socket_t fd, short what, void *arg)
{
	struct child *c = arg;

	log_warnx("drafts: notify_command for %s ran past %ld s; killing it",
	    c->code, d.cf->drafts.notify_timeout);
	kill(c->pid, SIGKILL);
}

static void
sigchld_cb(evutil_socket_t sig, short what, void *arg)
{
	struct child *c, *next_c;
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
		for (c = TAILQ_FIRST(&d.children); c != NULL; c = next_c) {
			next_c = TAILQ_NEXT(c, entry);
			if (c->pid != pid)
				continue;
			c->exited = 1;
			c->status = status;
			if (c->fd < 0)
				child_done(c);
		}
}

/*
 * notify_command: its words (no shell), then the incident code, the
 * version, the trigger and the files; the same in the environment.
 */
static void
notify_command(const char *code, int version, const char *trigger,
    char files[][1024], size_t nfiles)
{
	char *copy, *word, *save = NULL, *argv[64], vbuf[16], list[8192] = "";
	struct child *c;
	int pipefd[2], argc = 0;
	size_t i;
	pid_t pid;

	if (*d.cf->drafts.notify_command == '\0')
		return;
	if ((copy = strdup(d.cf->drafts.notify_command)) == NULL)
		return;
	for (word = strtok_r(copy, " \t", &save); word != NULL && argc < 50;
	    word = strtok_r(NULL, " \t", &save))
		argv[argc++] = word;
	snprintf(vbuf, sizeof(vbuf), "%d", version);
	argv[argc++] = (char *)(uintptr_t)code;
	argv[argc++] = vbuf;
	argv[argc++] = (char *)(uintptr_t)trigger;
	for (i = 0; i < nfiles && argc < 63; i++) {
		argv[argc++] = files[i];
		snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s",
		    i ? " " : "", files[i]);
	}
	argv[argc] = NULL;
	if (pipe2(pipefd, O_CLOEXEC) == -1) {
		log_warn("drafts: pipe");
		free(copy);
		return;
	}
	if ((pid = fork()) == -1) {
		log_warn("drafts: fork");
		close(pipefd[0]);
		close(pipefd[1]);
		free(copy);
		return;
	}
	if (pid == 0) {
		dup2(pipefd[1], STDOUT_FILENO);
		dup2(pipefd[1], STDERR_FILENO);
		setenv("SOCHI_INCIDENT", code, 1);
		setenv("SOCHI_DRAFT_VERSION", vbuf, 1);
		setenv("SOCHI_DRAFT_TRIGGER", trigger, 1);
		setenv("SOCHI_DRAFT_FILES", list, 1);
		signal(SIGPIPE, SIG_DFL);
		execvp(argv[0], argv);
		fprintf(stderr, "cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(pipefd[1]);
	free(copy);
	if ((c = calloc(1, sizeof(*c))) == NULL) {
		close(pipefd[0]);
		return;
	}
	c->pid = pid;
	c->fd = pipefd[0];
	snprintf(c->code, sizeof(c->code), "%s", code);
	c->out = evbuffer_new();
	evutil_make_socket_nonblocking(c->fd);
	c->ev_out = event_new(d.base, c->fd, EV_READ | EV_PERSIST, child_out_cb, c);
	c->ev_kill = evtimer_new(d.base, child_kill_cb, c);
	event_add(c->ev_out, NULL);
	event_add(c->ev_kill, &(struct timeval){ d.cf->drafts.notify_timeout, 0 });
	TAILQ_INSERT_TAIL(&d.children, c, entry);
	log_info("drafts: ran notify_command for %s v%d (pid %ld)", code, version,
	    (long)pid);
}

/* Frees a finished notify_url connection, after its callback has returned. */
static void
url_free_cb(evutil_socket_t fd, short what, void *arg)
{
	size_t i;

	for (i = 0; i < 16; i++)
		if (d.posts[i] == arg) {
			d.posts[i] = NULL;
			evhttp_connection_free(arg);
		}
}

static void
url_done(struct evhttp_request *req, void *arg)
{
	/* Not inside its own callback (STYLE.md, habit 6): next loop turn. */
	event_base_once(d.base, -1, EV_TIMEOUT, url_free_cb, arg,
	    &(struct timeval){ 0, 0 });
	if (req == NULL)
		log_warnx("drafts: notify_url: no answer");
	else
		log_info("drafts: notify_url answered %d",
		    evhttp_request_get_response_code(req));
}

static void
notify_url(const char *code, int version, const char *trigger,
    char files[][1024], size_t nfiles)
{
	const char *url = d.cf->drafts.notify_url;
	struct evhttp_uri *uri;
	struct evhttp_connection *con;
	struct evhttp_request *req;
	json_t *o, *arr;
	char *body, path[1024];
	size_t i;

	if (*url == '\0' || (uri = evhttp_uri_parse(url)) == NULL)
		return;
	arr = json_array();
	for (i = 0; i < nfiles; i++)
		json_array_append_new(arr, json_string(files[i]));
	o = json_pack("{s:s,s:i,s:s,s:o}", "incident", code, "version", version,
	    "trigger", trigger, "files", arr);
	body = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	con = evhttp_connection_base_new(d.base, NULL, evhttp_uri_get_host(uri),
	    (unsigned short)(evhttp_uri_get_port(uri) > 0 ?
	    evhttp_uri_get_port(uri) : 80));
	req = evhttp_request_new(url_done, con);
	for (i = 0; i < 16 && d.posts[i] != NULL; i++)
		;
	if (i < 16)
		d.posts[i] = con;
	evhttp_add_header(evhttp_request_get_output_headers(req), "Host",
	    evhttp_uri_get_host(uri));
	evhttp_add_header(evhttp_request_get_output_headers(req), "Content-Type",
	    "application/json");
	evbuffer_add(evhttp_request_get_output_buffer(req), body, strlen(body));
	snprintf(path, sizeof(path), "%s", evhttp_uri_get_path(uri) &&
	    *evhttp_uri_get_path(uri) ? evhttp_uri_get_path(uri) : "/");
	evhttp_connection_set_timeout(con, (int)d.cf->drafts.notify_timeout);
	evhttp_make_request(con, req, EVHTTP_REQ_POST, path);
	free(body);
	evhttp_uri_free(uri);
}

struct store {
	char		 code[80];
	char		 trigger[16];
	char		*fmts[4];
	char		*bodies[4];
	int		 n;
};

static const char *
ext(const char *fmt)
{
	return strcmp(fmt, "text") == 0 ? "txt" : fmt;
}

static void
stored_cb(PGresult *res, const char *err, void *arg)
{
	struct store *s = arg;
	char files[4][1024], name[256];
	int version, i, n = 0;

	if (res == NULL || PQgetisnull(res, 0, 0)) {
		if (err != NULL)
			log_warnx("drafts: %s: cannot store the %s draft: %s",
			    s->code, s->trigger, err);
		goto out;	/* null: already made, here or by another daemon */
	}
	version = atoi(PQgetvalue(res, 0, 0));
	log_info("drafts: %s: made the %s draft, version %d", s->code,
	    s->trigger, version);
	for (i = 0; i < s->n; i++) {
		if (version == 0)
			snprintf(name, sizeof(name), "%s-sokuho.%s", s->code,
			    ext(s->fmts[i]));
		else
			snprintf(name, sizeof(name), "%s-v%d.%s", s->code,
			    version, ext(s->fmts[i]));
		if (spool_write(name, s->bodies[i], strlen(s->bodies[i]),
		    files[n], sizeof(files[n])) == 0)
			n++;
	}
	notify_command(s->code, version, s->trigger, files, (size_t)n);
	notify_url(s->code, version, s->trigger, files, (size_t)n);
out:
	PQclear(res);
	for (i = 0; i < s->n; i++) {
		free(s->fmts[i]);
		free(s->bodies[i]);
	}
	free(s);
}

static void
make_draft(const struct report *r, int64_t inc_id, const char *code,
    const char *trigger, int64_t last_event)
{
	struct store *s = calloc(1, sizeof(*s));
	struct sbuf fa = SBUF_INIT, ba = SBUF_INIT, body = SBUF_INIT;
	char idbuf[32], lastbuf[32];
	const char *params[5];
	size_t i;

	if (s == NULL)
		return;
	snprintf(s->code, sizeof(s->code), "%s", code);
	snprintf(s->trigger, sizeof(s->trigger), "%s", trigger);
	if (strcmp(trigger, "sokuho") == 0) {
		report_sokuho(r, &body);
		s->fmts[0] = strdup("text");
		s->bodies[0] = sbuf_steal(&body);
		s->n = 1;
	} else {
		const char *names[4];

		s->n = report_render_formats(r, d.cf->drafts.formats, names,
		    s->bodies);
		for (i = 0; i < (size_t)s->n; i++)
			s->fmts[i] = strdup(names[i]);
	}
	sbuf_pg_array(&fa, s->fmts, s->n);
	sbuf_pg_array(&ba, s->bodies, s->n);
	snprintf(idbuf, sizeof(idbuf), "%lld", (long long)inc_id);
	snprintf(lastbuf, sizeof(lastbuf), "%lld", (long long)last_event);
	params[0] = idbuf;
	params[1] = trigger;
	params[2] = fa.data;
	params[3] = ba.data;
	params[4] = lastbuf;
	if (pgq_query("select sochi_draft_add($1, $2, $3::text[], $4::text[], "
	    "$5)", 5, params, stored_cb, s) == -1)
		stored_cb(NULL, "out of memory", s);
	sbuf_free(&fa);
	sbuf_free(&ba);
}

static void
timer_cb(evutil_socket_t fd, short what, void *arg)
{
	struct watched *w = arg;

	log_debug("drafts: %s: a running impact reaches a limit now", w->code);
	detector_touch(w->code);
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
	zone_local(d.zone, now, &lt);
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

static void
evaluate(struct job *j)
{
	struct store_incident *si = &j->si;
	struct tl_config tcf = { d.zone, &d.cf->phases,
	    d.cf->report.alert_actor };
	struct timeline tl;
	struct report r;
	int64_t now = now_usec(), t;

	if (timeline_build(&si->inc, si->evs, si->n, &tcf, now, &tl) == -1)
		return;
	r.tl = &tl;
	r.inc = &si->inc;
	r.profile = &d.cf->report;
	r.zone = d.zone;
	r.now = now;
	if (tl.classified && tl.reg.cls == REG_SERIOUS &&
	    strstr(si->drafts, "sokuho") == NULL)
		make_draft(&r, si->id, si->code, "sokuho", si->max_event);
	if (tl.all_recovered && strstr(si->drafts, "recovery") == NULL)
		make_draft(&r, si->id, si->code, "recovery", si->max_event);
	/* A running impact that will meet a pair: wake then. */
	if (j->w->timer != NULL)
		event_del(j->w->timer);
	if (strstr(si->drafts, "sokuho") == NULL && !(tl.classified &&
	    tl.reg.cls == REG_SERIOUS) && (t = next_crossing(&tl, now)) != 0) {
		int64_t wait = t - now;

		if (j->w->timer == NULL)
			j->w->timer = evtimer_new(d.base, timer_cb, j->w);
		event_add(j->w->timer, &(struct timeval){ wait / 1000000,
		    wait % 1000000 });
		log_debug("drafts: %s: a limit is reached in %lld s", si->code,
		    (long long)(wait / 1000000));
	}
	deadline_warning(j->w, &tl, si->filed, now);
	timeline_free(&tl);
}

static void
job_end(struct job *j)
{
	store_incident_free(&j->si);
	free(j);
	d.job = NULL;
	d.busy = 0;
	next();
}

static void
events_cb(PGresult *res, const char *err, void *arg)
{
	struct job *j = arg;

	if (res == NULL)
		log_warnx("drafts: %s: cannot read its events: %s", j->w->code,
		    err);
	else if (store_incident_events(&j->si, res) == -1)
		log_warnx("drafts: %s: out of memory", j->w->code);
	else
		evaluate(j);
	job_end(j);
}

static void
incident_cb(PGresult *res, const char *err, void *arg)
{
	struct job *j = arg;
	char idbuf[32];
	const char *p[1] = { idbuf };

	if (store_incident_row(&j->si, res) == -1) {
		if (err)
			log_warnx("drafts: %s: %s", j->w->code, err);
		job_end(j);
		return;
	}
	/* No impact, no 発生: nothing to draft or to warn about yet. */
	if (!j->si.has_impacts) {
		job_end(j);
		return;
	}
	snprintf(idbuf, sizeof(idbuf), "%lld", (long long)j->si.id);
	if (pgq_query(STORE_EVENTS_SQL, 1, p, events_cb, j) == -1)
		events_cb(NULL, "out of memory", j);
}

static void
next(void)
{
	struct qent *e = TAILQ_FIRST(&q);
	struct job *j;
	const char *p[1];

	if (e == NULL || d.busy)
		return;
	TAILQ_REMOVE(&q, e, entry);
	e->w->queued = 0;
	e->w->last_eval = mono_usec();
	if ((j = calloc(1, sizeof(*j))) == NULL) {
		free(e);
		return;
	}
	j->w = e->w;
	free(e);
	d.busy = 1;
	d.job = j;
	p[0] = j->w->code;
	if (pgq_query(STORE_INCIDENT_SQL, 1, p, incident_cb, j) == -1)
		incident_cb(NULL, "out of memory", j);
}

/* Incidents that may need a draft or a deadline warning: read them all. */
static void
sweep_cb(PGresult *res, const char *err, void *arg)
{
	int i;

	for (i = 0; res != NULL && i < PQntuples(res); i++)
		detector_touch(PQgetvalue(res, i, 0));
	PQclear(res);
}

static void
sweep(void)
{
	pgq_query("select i.code from incident i where exists (select 1 from "
	    "event e where e.incident_id = i.id and e.kind = 'impact') and "
	    "(i.filed_on is null or not exists (select 1 from draft x where "
	    "x.incident_id = i.id and x.trigger = 'recovery')) order by i.id", 0,
	    NULL, sweep_cb, NULL);
}

static void
hourly_cb(evutil_socket_t fd, short what, void *arg)
{
	sweep();
}

int
detector_init(struct event_base *base, const struct sochi_config *cf,
    const struct zone *zone)
{
	char dir[1024];

	memset(&d, 0, sizeof(d));
	TAILQ_INIT(&d.all);
	TAILQ_INIT(&d.children);
	d.base = base;
	d.cf = cf;
	d.zone = zone;
	if (*cf->drafts.spool_dir != '\0')
		snprintf(dir, sizeof(dir), "%s", cf->drafts.spool_dir);
	else
		snprintf(dir, sizeof(dir), "%s/drafts", cf->state_dir);
	if (mkdir(dir, 0750) == -1 && errno != EEXIST) {
		log_warn("drafts: spool folder %s", dir);
		return -1;
	}
	if ((d.spool = strdup(dir)) == NULL || pgq_init(base, cf->database) == -1)
		return -1;
	d.ev_chld = evsignal_new(base, SIGCHLD, sigchld_cb, NULL);
	d.ev_hourly = event_new(base, -1, EV_PERSIST, hourly_cb, NULL);
	event_add(d.ev_chld, NULL);
	event_add(d.ev_hourly, &(struct timeval){ 3600, 0 });
	/* What happened while no daemon was watching. */
	sweep();
	return 0;
}

void
detector_free(void)
{
	struct watched *w;
	struct qent *e;

	while ((e = TAILQ_FIRST(&q)) != NULL) {
		TAILQ_REMOVE(&q, e, entry);
		free(e);
	}
	/* A reading still in flight: pgq_free drops it without calling back. */
	if (d.job != NULL) {
		store_incident_free(&d.job->si);
		free(d.job);
	}
	while ((w = TAILQ_FIRST(&d.all)) != NULL) {
		TAILQ_REMOVE(&d.all, w, entry);
		if (w->timer)
			event_free(w->timer);
		if (w->defer)
			event_free(w->defer);
		free(w);
	}
	while (!TAILQ_EMPTY(&d.children))
		child_done(TAILQ_FIRST(&d.children));
	for (size_t i = 0; i < 16; i++)
		if (d.posts[i] != NULL) {
			struct evhttp_connection *c = d.posts[i];

			d.posts[i] = NULL;
			evhttp_connection_free(c);
		}
	if (d.ev_chld)
		event_free(d.ev_chld);
	if (d.ev_hourly)
		event_free(d.ev_hourly);
	pgq_free();
	free(d.spool);
	memset(&d, 0, sizeof(d));
}
