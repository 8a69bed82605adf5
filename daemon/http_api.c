/* SPDX-License-Identifier: MIT */
/*
 * The HTTP API, on daemon/http_server.c.
 *
 * The read paths — the web view's pages and GET /v1/incidents… — are not
 * answered here: once their head is read and the reader may read
 * (may_read), the connection and its bytes go to the web worker
 * (web_worker.h) and this process forgets it, so that nothing the ingest
 * loop does waits on a database read or a page.
 *
 * POST /v1/events takes one event object or an array of them; an array is
 * stored whole or not at all.  The reply is sent once, after COMMIT (or
 * once journaled).  A client may hang up while its events are in the
 * writer: the server keeps the request, marked gone, and the writer's
 * answer then only frees it (STYLE.md, habit 8).
 */
#include <sys/queue.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <sys/socket.h>

#include <errno.h>
#include <netdb.h>
#include <unistd.h>

#include "correlate.h"
#include "db_writer.h"
#include "event.h"
#include "fdpass.h"
#include "webhook.h"
#include "http_api.h"
#include "http_server.h"
#include "log.h"
#include "metrics.h"
#include "sdlisten.h"
#include "syslog_listener.h"
#include "web.h"
#include "worker_proc.h"

struct hreq {
	TAILQ_ENTRY(hreq) entry;	/* in the list of requests in flight */
	struct http_req	*req;		/* the request, answered once */
	int		 array;		/* the body was an array */
	size_t		 n;		/* events */
	size_t		 left;		/* events not yet answered */
	struct wjob	*jobs;		/* one per event */
	struct wjob	**jobp;		/* pointers to them, for the writer */
	int64_t		*ids;		/* answers */
	char		**codes;	/* their incident codes */
	char		*err;		/* the first refusal */
	int		 temporary;	/* the refusal is the database's absence */
	int		 journaled;	/* kept in the journal, not yet stored */
};
TAILQ_HEAD(hreq_list, hreq);

static struct {
	struct http_server *srv;	/* the server */
	struct sochi_config *cf;	/* the running config */
	struct hreq_list inflight;	/* waiting for the writer */
	size_t		 ninflight;	/* length of inflight */
	const struct correlator *rules;	/* [rule.NAME], compiled */
	const struct zone *zabbix_zone;	/* the zone of Zabbix's date macros */
	struct worker_proc *web;	/* the web worker, or NULL */
	struct {
		uint64_t	 hash;	/* endpoint, group and error */
		time_t		 when;	/* last logged */
	} logged[64];			/* refusals logged lately, once per group */
} h;

/* Answers req with a JSON body (a newline after it), extra header lines. */
static void
reply_json(struct http_req *req, int code, const char *reason,
    const char *headers, const char *body)
{
	struct sbuf b = SBUF_INIT;

	if (sbuf_printf(&b, "%s\n", body) == -1)
		http_reply(req, 503, "Service Unavailable", NULL, NULL, "", 0);
	else
		http_reply(req, code, reason, headers, "application/json",
		    b.data, b.len);
	sbuf_free(&b);
}

static void
reply_error(struct http_req *req, int code, const char *reason,
    const char *headers, const char *err, long index)
{
	struct sbuf b = SBUF_INIT;

	sbuf_adds(&b, "{\"ok\":false,\"error\":");
	sbuf_add_json_string(&b, err, strlen(err));
	if (index >= 0)
		sbuf_printf(&b, ",\"index\":%ld", index);
	sbuf_addc(&b, '}');
	reply_json(req, code, reason, headers, b.data != NULL ? b.data : "{}");
	sbuf_free(&b);
}

/*
 * max_pending_bytes: a request that would take unanswered events past it is
 * answered 503 at once, and the sender retries later.
 */
static int
over_budget(struct http_req *req, size_t len)
{
	if (db_writer_room(len))
		return 0;
	reply_error(req, 503, "Service Unavailable", "Retry-After: 1\r\n",
	    "sochid holds as many unanswered events as max_pending_bytes "
	    "allows; send it again shortly", -1);
	return 1;
}

static void
hreq_free(struct hreq *hr)
{
	size_t i;

	if (hr == NULL)
		return;
	for (i = 0; hr->codes != NULL && i < hr->n; i++)
		free(hr->codes[i]);
	free(hr->codes);
	free(hr->ids);
	free(hr->jobp);
	free(hr->jobs);
	free(hr->err);
	free(hr);
}

static void	job_done(struct wjob *, const struct wresult *);

/* A request of n events, each with its job wired to answer it. */
static struct hreq *
hreq_new(size_t n, int array)
{
	struct hreq *hr;
	size_t i;

	if ((hr = calloc(1, sizeof(*hr))) == NULL ||
	    (hr->jobs = calloc(n, sizeof(*hr->jobs))) == NULL ||
	    (hr->jobp = calloc(n, sizeof(*hr->jobp))) == NULL ||
	    (hr->ids = calloc(n, sizeof(*hr->ids))) == NULL ||
	    (hr->codes = calloc(n, sizeof(*hr->codes))) == NULL) {
		hreq_free(hr);
		return NULL;
	}
	hr->n = hr->left = n;
	hr->array = array;
	for (i = 0; i < n; i++) {
		hr->jobs[i].done = job_done;
		hr->jobs[i].arg = hr;
		hr->jobp[i] = &hr->jobs[i];
	}
	return hr;
}

/* Marks the request as waiting for the writer. */
static void
hreq_track(struct hreq *hr, struct http_req *req)
{
	hr->req = req;
	TAILQ_INSERT_TAIL(&h.inflight, hr, entry);
	h.ninflight++;
}

/* The writer would not take it: answer 503 now. */
static void
hreq_untrack(struct hreq *hr, struct http_req *req)
{
	TAILQ_REMOVE(&h.inflight, hr, entry);
	h.ninflight--;
	reply_error(req, 503, "Service Unavailable", NULL, "out of memory", -1);
}

static void
hreq_finish(struct hreq *hr)
{
	struct sbuf b = SBUF_INIT;
	size_t i;

	TAILQ_REMOVE(&h.inflight, hr, entry);
	h.ninflight--;
	if (http_req_gone(hr->req))
		log_debug("http conn %llu: the client left before its answer",
		    (unsigned long long)http_req_conn_id(hr->req));
	if (hr->err != NULL) {
		if (hr->temporary)
			reply_error(hr->req, 503, "Service Unavailable",
			    "Retry-After: 5\r\n", hr->err, -1);
		else
			reply_error(hr->req, 400, "Bad Request", NULL, hr->err,
			    -1);
		hreq_free(hr);
		return;
	}
	if (hr->journaled) {
		/* Accepted, on disk, stored once the database is back. */
		reply_json(hr->req, 202, "Accepted", NULL,
		    "{\"ok\":true,\"journaled\":true}");
		hreq_free(hr);
		return;
	}
	if (!hr->array) {
		sbuf_printf(&b, "{\"ok\":true,\"id\":%lld", (long long)hr->ids[0]);
		if (hr->codes[0] != NULL) {
			sbuf_adds(&b, ",\"incident\":");
			sbuf_add_json_string(&b, hr->codes[0],
			    strlen(hr->codes[0]));
		}
		sbuf_addc(&b, '}');
	} else {
		sbuf_adds(&b, "{\"ok\":true,\"results\":[");
		for (i = 0; i < hr->n; i++) {
			sbuf_printf(&b, "%s{\"id\":%lld", i ? "," : "",
			    (long long)hr->ids[i]);
			if (hr->codes[i] != NULL) {
				sbuf_adds(&b, ",\"incident\":");
				sbuf_add_json_string(&b, hr->codes[i],
				    strlen(hr->codes[i]));
			}
			sbuf_addc(&b, '}');
		}
		sbuf_adds(&b, "]}");
	}
	reply_json(hr->req, 200, "OK", NULL, b.data != NULL ? b.data : "{}");
	sbuf_free(&b);
	hreq_free(hr);
}

static void
job_done(struct wjob *job, const struct wresult *r)
{
	struct hreq *hr = job->arg;
	size_t i = (size_t)(job - hr->jobs);

	if (r->err != NULL) {
		if (hr->err == NULL) {
			hr->err = strdup(r->err);
			hr->temporary = r->temporary;
		}
	} else if (r->journaled)
		hr->journaled = 1;
	else {
		hr->ids[i] = r->id;
		hr->codes[i] = r->code != NULL ? strdup(r->code) : NULL;
	}
	if (--hr->left == 0)
		hreq_finish(hr);
}

static int
b64val(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/* Decodes base64 into out (NUL-terminated); -1 if it is not base64. */
static int
b64decode(const char *in, char *out, size_t outlen)
{
	size_t o = 0;
	unsigned acc = 0;
	int bits = 0, v;

	for (; *in != '\0' && *in != '='; in++) {
		if ((v = b64val((unsigned char)*in)) == -1)
			return -1;
		acc = (acc << 6) | (unsigned)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (o + 1 >= outlen)
				return -1;
			out[o++] = (char)((acc >> bits) & 0xff);
		}
	}
	out[o] = '\0';
	return 0;
}

/*
 * "Bearer <token>" → the sender's name, or NULL.  With basic_ok, also
 * "Basic base64(user:token)" (Grafana offers one or the other).
 */
static const char *
authenticate(struct http_req *req, int basic_ok)
{
	const char *auth = http_req_header(req, "Authorization");
	char dec[512], *pass;

	if (auth == NULL)
		return NULL;
	if (basic_ok && strncasecmp(auth, "Basic ", 6) == 0) {
		auth += 6;
		while (*auth == ' ')
			auth++;
		if (b64decode(auth, dec, sizeof(dec)) == -1)
			return NULL;
		pass = strchr(dec, ':');
		pass = pass != NULL ? pass + 1 : dec;
		return config_token_name(h.cf, pass, strlen(pass));
	}
	if (strncasecmp(auth, "Bearer ", 7) != 0)
		return NULL;
	auth += 7;
	while (*auth == ' ')
		auth++;
	return config_token_name(h.cf, auth, strlen(auth));
}

/*
 * A monitoring system sends a payload it cannot change again at every
 * group_interval: log its refusal once an hour per group, not per arrival.
 */
static void
log_refusal_once(const char *path, const char *group, const char *err)
{
	uint64_t hash = 1469598103934665603ULL;
	const char *parts[3] = { path, group, err }, *p;
	time_t now = time(NULL);
	size_t i, slot = 0;

	for (i = 0; i < 3; i++)
		for (p = parts[i]; *p != '\0'; p++) {
			hash ^= (unsigned char)*p;
			hash *= 1099511628211ULL;
		}
	for (i = 0; i < 64; i++) {
		if (h.logged[i].hash == hash && now - h.logged[i].when < 3600)
			return;
		if (h.logged[i].when < h.logged[slot].when)
			slot = i;
	}
	h.logged[slot].hash = hash;
	h.logged[slot].when = now;
	log_warnx("%s: refused a payload of group %s: %s (logged once an hour)",
	    path, *group ? group : "-", err);
}

enum hook { HOOK_ALERTMANAGER, HOOK_GRAFANA, HOOK_ZABBIX };

static void
post_webhook(struct http_req *req, const char *path, enum hook kind,
    const char *source)
{
	size_t len, i;
	struct wh_batch wb;
	struct wh_row *whr = NULL;
	struct event_row *rows = NULL;
	struct hreq *hr = NULL;
	json_error_t jerr;
	const char *body;
	json_t *root;
	char err[512];
	int rv;

	memset(&wb, 0, sizeof(wb));
	body = http_req_body(req, &len);
	if (over_budget(req, len))
		return;
	root = json_loadb(body, len, 0, &jerr);
	/* The text is not needed once parsed: do not hold it while waiting. */
	http_req_drop_body(req);
	if (root == NULL) {
		snprintf(err, sizeof(err), "invalid JSON at line %d column %d: %s",
		    jerr.line, jerr.column, jerr.text);
		metrics_event(METRICS_REFUSED, METRICS_KIND_INVALID,
		    metrics_source(source));
		log_refusal_once(path, "", err);
		reply_error(req, 400, "Bad Request", NULL, err, -1);
		return;
	}
	rv = kind == HOOK_ALERTMANAGER ? webhook_alertmanager(root, &wb, err,
	    sizeof(err)) : kind == HOOK_GRAFANA ? webhook_grafana(root, &wb, err,
	    sizeof(err)) : webhook_zabbix(root, h.zabbix_zone, &wb, err,
	    sizeof(err));
	if (rv == -1) {
		metrics_event(METRICS_REFUSED, METRICS_KIND_INVALID,
		    metrics_source(source));
		log_refusal_once(path, wb.group, err);
		reply_error(req, 400, "Bad Request", NULL, err, -1);
		goto out;
	}
	if (wb.truncated > 0)
		log_warnx("%s: group %s: Alertmanager left out %ld alerts "
		    "(max_alerts); they will come on the next notification", path,
		    wb.group, wb.truncated);
	if (wb.n == 0) {
		reply_json(req, 200, "OK", NULL, "{\"ok\":true,\"results\":[]}");
		goto out;
	}
	if ((hr = hreq_new(wb.n, 1)) == NULL ||
	    (whr = calloc(wb.n, sizeof(*whr))) == NULL ||
	    (rows = calloc(wb.n, sizeof(*rows))) == NULL) {
		reply_error(req, 503, "Service Unavailable", NULL, "out of memory", -1);
		goto out;
	}
	for (i = 0; i < wb.n; i++) {
		if (webhook_row(&wb.a[i], correlate_match(h.rules,
		    wb.a[i].labels), source, h.cf->report.alert_actor,
		    &whr[i]) == -1) {
			reply_error(req, 503, "Service Unavailable", NULL,
			    "out of memory", -1);
			goto out;
		}
		rows[i] = whr[i].row;
	}
	hreq_track(hr, req);
	if (db_writer_submit_rows(hr->jobp, rows, wb.n) == -1) {
		hreq_untrack(hr, req);
		goto out;
	}
	hr = NULL;	/* the writer's answers own it now */
out:
	for (i = 0; whr != NULL && i < wb.n; i++)
		wh_row_free(&whr[i]);
	free(whr);
	free(rows);
	hreq_free(hr);
	wh_batch_free(&wb);
	json_decref(root);
}

static void
post_events(struct http_req *req, const char *source)
{
	struct event_rules rules = { (const char *const *)h.cf->phase_ids };
	struct sochi_event *evs = NULL;
	struct hreq *hr = NULL;
	json_error_t jerr;
	json_t *root, *item;
	size_t len, i, n;
	char err[512], msg[600];
	const char *body;

	body = http_req_body(req, &len);
	if (over_budget(req, len))
		return;
	root = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
	http_req_drop_body(req);
	if (root == NULL) {
		snprintf(err, sizeof(err), "invalid JSON at line %d column %d: %s",
		    jerr.line, jerr.column, jerr.text);
		metrics_event(METRICS_REFUSED, METRICS_KIND_INVALID,
		    metrics_source(source));
		reply_error(req, 400, "Bad Request", NULL, err, -1);
		return;
	}
	n = json_is_array(root) ? json_array_size(root) : 1;
	if (n == 0) {
		reply_error(req, 400, "Bad Request", NULL,
		    "empty array: no events", -1);
		json_decref(root);
		return;
	}
	if ((hr = hreq_new(n, json_is_array(root))) == NULL ||
	    (evs = calloc(n, sizeof(*evs))) == NULL) {
		reply_error(req, 503, "Service Unavailable", NULL, "out of memory", -1);
		goto out;
	}
	for (i = 0; i < n; i++) {
		item = hr->array ? json_array_get(root, i) : root;
		if (event_decode_json(item, &rules, &evs[i], err,
		    sizeof(err)) == -1) {
			size_t j;

			/* An array is stored whole or not at all: all refused. */
			for (j = 0; j < n; j++)
				metrics_event(METRICS_REFUSED, j < i ?
				    (unsigned)evs[j].kind : METRICS_KIND_INVALID,
				    metrics_source(source));
			if (hr->array) {
				snprintf(msg, sizeof(msg), "event %zu: %s", i + 1,
				    err);
				reply_error(req, 400, "Bad Request", NULL, msg,
				    (long)i);
			} else
				reply_error(req, 400, "Bad Request", NULL, err,
				    -1);
			n = i;
			goto out;
		}
	}
	hreq_track(hr, req);
	if ((n == 1 ? db_writer_submit(&hr->jobs[0], &evs[0], source, NULL) :
	    db_writer_submit_atomic(hr->jobp, evs, n, source, NULL)) == -1) {
		hreq_untrack(hr, req);
		goto out;
	}
	hr = NULL;	/* the writer's answers own it now */
out:
	for (i = 0; evs != NULL && i < n; i++)
		event_clear(&evs[i]);
	free(evs);
	hreq_free(hr);
	json_decref(root);
}

/* The syslog listeners' counters, as the "syslog" member of /healthz. */
static int
healthz_syslog(struct sbuf *b)
{
	struct syslog_stats ss;
	const char *addr;
	int rv = 0, tcp;

	syslog_listener_stats(&ss);
	rv |= sbuf_adds(b, ",\"syslog\":{");
	for (tcp = 0; tcp < 2; tcp++) {
		rv |= sbuf_adds(b, tcp ? ",\"tcp\":" : "\"udp\":");
		if ((addr = syslog_listener_addr(tcp)) != NULL)
			rv |= sbuf_add_json_string(b, addr, strlen(addr));
		else
			rv |= sbuf_adds(b, "null");
	}
	rv |= sbuf_printf(b, ",\"received\":%llu,\"disallowed\":%llu,"
	    "\"malformed\":%llu,\"unmatched\":%llu,\"match_errors\":%llu,"
	    "\"stored\":%llu,\"journaled\":%llu,\"refused\":%llu,"
	    "\"pending\":%zu,\"connections\":%zu,\"paused\":%zu}",
	    (unsigned long long)ss.received, (unsigned long long)ss.disallowed,
	    (unsigned long long)ss.malformed, (unsigned long long)ss.unmatched,
	    (unsigned long long)ss.match_errors, (unsigned long long)ss.stored,
	    (unsigned long long)ss.journaled, (unsigned long long)ss.refused,
	    ss.pending, ss.connections, ss.paused);
	return rv;
}

static void
get_healthz(struct http_req *req)
{
	struct db_writer_stats st;
	struct sbuf b = SBUF_INIT;
	const char *status;
	int rv = 0;

	/*
	 * ok: connected, nothing past its deadline.  stalled: connected, but a
	 * request ran past write_timeout and nothing has committed since (a
	 * lock, a full disk).  degraded: no connection.
	 */
	db_writer_stats(&st);
	status = st.stalled ? "stalled" : !st.connected ? "degraded" : "ok";
	rv |= sbuf_printf(&b, "{\"status\":\"%s\",\"database\":\"%s\","
	    "\"pending\":%zu,\"pending_bytes\":%zu,\"journaling\":%s,"
	    "\"journal_events\":%zu,\"journal_seconds\":%lld,\"web\":\"%s\"",
	    status, st.connected ? "connected" : "unavailable", st.pending,
	    st.pending_bytes, st.journaling ? "true" : "false",
	    st.journal_events, (long long)(st.journal_age / 1000000),
	    h.web == NULL ? "off" : worker_proc_channel(h.web) != -1 ?
	    "running" : "down");
	rv |= healthz_syslog(&b);
	rv |= sbuf_addc(&b, '}');
	if (rv != 0)
		http_reply(req, 503, "Service Unavailable", NULL, NULL, "", 0);
	else if (strcmp(status, "ok") == 0)
		reply_json(req, 200, "OK", NULL, b.data);
	else
		reply_json(req, 503, "Service Unavailable", NULL, b.data);
	sbuf_free(&b);
}

/* The value of the session cookie, or NULL; its length in *len. */
static const char *
session_cookie(struct http_req *req, size_t *len)
{
	const char *c = http_req_header(req, "Cookie"), *p;

	for (p = c; p != NULL && *p != '\0'; p++) {
		if ((p == c || p[-1] == ' ' || p[-1] == ';') &&
		    strncmp(p, "sochi_session=", 14) == 0) {
			p += 14;
			*len = strcspn(p, "; ");
			return p;
		}
	}
	return NULL;
}

/*
 * Whether a request may read the web view and the read API: from an
 * address of [web] read_without_token, unless a proxy forwarded it (its
 * X-Forwarded-For or Forwarded says the reader is someone else, whom
 * sochid cannot place: a proxy on this host would otherwise let anyone
 * in); else with a token (Authorization: Bearer) or the session cookie
 * /login sets.  sochid(8) says so.
 */
static int
may_read(struct http_req *req)
{
	const char *v;
	size_t len;

	if (http_req_header(req, "X-Forwarded-For") == NULL &&
	    http_req_header(req, "Forwarded") == NULL &&
	    netlist_match(&h.cf->web.open_list, http_req_peer(req)) != NULL)
		return 1;
	if (authenticate(req, 0) != NULL)
		return 1;
	return (v = session_cookie(req, &len)) != NULL &&
	    config_session_name(h.cf, v, len) != NULL;
}

struct pass {
	int		 chan;		/* the web worker's channel */
	int		 err;		/* why it failed, or 0 */
};

/* Hands the connection to the web worker over its channel. */
static int
pass_cb(int fd, const void *bytes, size_t len, void *arg)
{
	struct pass *p = arg;

	if (fdpass_send(p->chan, fd, bytes, len) == -1) {
		p->err = errno;
		return -1;
	}
	return 0;
}

/* A read path: checked here, answered by the web worker. */
static void
web_request(struct http_req *req, enum web_kind kind, int get)
{
	const char *path = http_req_path(req);
	int api = strncmp(path, "/v1/", 4) == 0, err;
	struct pass p = { -1, 0 };
	struct sbuf b = SBUF_INIT;

	if (!get) {
		reply_error(req, 405, "Method Not Allowed", "Allow: GET, HEAD\r\n",
		    "only GET and HEAD here", -1);
		return;
	}
	if (kind != WEB_LOGIN && !may_read(req)) {
		if (api) {
			reply_error(req, 401, "Unauthorized", "WWW-Authenticate: "
			    "Bearer realm=\"sochid\"\r\n", "reading from this "
			    "address needs a token (Authorization: Bearer <token>)",
			    -1);
			return;
		}
		/* A person: the form, which comes back here once logged in. */
		web_login_page(kind == WEB_NOT_FOUND ? "/" : path, "このアドレス"
		    "からの閲覧にはトークンが要ります。", &b);
		http_reply(req, 401, "Unauthorized", "WWW-Authenticate: Bearer "
		    "realm=\"sochid\"\r\nCache-Control: no-store\r\n",
		    "text/html; charset=utf-8", b.data, b.len);
		sbuf_free(&b);
		return;
	}
	if ((p.chan = worker_proc_channel(h.web)) == -1) {
		reply_error(req, 503, "Service Unavailable", "Retry-After: 2\r\n",
		    "the web view is not running (sochid starts it again)", -1);
		return;
	}
	if (http_req_pass(req, pass_cb, &p) == 0)
		return;
	err = p.err != 0 ? p.err : ENOMEM;
	if (err == EAGAIN || err == EWOULDBLOCK)
		reply_error(req, 503, "Service Unavailable", "Retry-After: 1\r\n",
		    "the web view is busy", -1);
	else if (err == EMSGSIZE)
		reply_error(req, 413, "Payload Too Large", NULL, "a request for "
		    "a page carries no body", -1);
	else {
		if (err != ENOMEM) {
			log_warnx("http: cannot hand a request to the web view: %s",
			    strerror(err));
			worker_proc_channel_lost(h.web);
		}
		reply_error(req, 503, "Service Unavailable", "Retry-After: 2\r\n",
		    "the web view is not running (sochid starts it again)", -1);
	}
}

/*
 * GET /metrics (metrics.c): counters only, no database call.  Read under
 * the web view's rules (may_read): open to [web] read_without_token
 * (loopback by default), a token or the session cookie from elsewhere.
 */
static void
get_metrics(struct http_req *req)
{
	struct sbuf b = SBUF_INIT;

	if (!may_read(req)) {
		reply_error(req, 401, "Unauthorized",
		    "WWW-Authenticate: Bearer realm=\"sochid\"\r\n", "missing or "
		    "unknown token (Authorization: Bearer <token>); /metrics is "
		    "open without one only to [web] read_without_token", -1);
		return;
	}
	if (metrics_render(&b) == -1)
		reply_error(req, 503, "Service Unavailable", NULL,
		    "out of memory", -1);
	else
		http_reply(req, 200, "OK", NULL,
		    "text/plain; version=0.0.4; charset=utf-8", b.data, b.len);
	sbuf_free(&b);
}

static void
route(struct http_req *req, void *arg)
{
	const char *path = http_req_path(req), *method = http_req_method(req);
	const char *source;
	int get = strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
	struct web_route rt;
	enum web_kind kind;

	if (strcmp(path, "/metrics") == 0) {
		if (!get)
			reply_error(req, 405, "Method Not Allowed",
			    "Allow: GET, HEAD\r\n", "GET /metrics", -1);
		else
			get_metrics(req);
		return;
	}

	if (strcmp(path, "/healthz") == 0) {
		if (!get) {
			reply_error(req, 405, "Method Not Allowed",
			    "Allow: GET, HEAD\r\n", "GET /healthz", -1);
			return;
		}
		get_healthz(req);
		return;
	}
	if (strcmp(path, "/v1/events") == 0 ||
	    strcmp(path, "/v1/alertmanager") == 0 ||
	    strcmp(path, "/v1/grafana") == 0 || strcmp(path, "/v1/zabbix") == 0) {
		int grafana = strcmp(path, "/v1/grafana") == 0;

		if (strcmp(method, "POST") != 0) {
			reply_error(req, 405, "Method Not Allowed",
			    "Allow: POST\r\n", "only POST here", -1);
			return;
		}
		if ((source = authenticate(req, grafana)) == NULL) {
			reply_error(req, 401, "Unauthorized", grafana ?
			    "WWW-Authenticate: Basic realm=\"sochid\"\r\n" :
			    "WWW-Authenticate: Bearer realm=\"sochid\"\r\n",
			    grafana ? "missing or unknown token (Bearer <token>, "
			    "or Basic with the token as password)" : "missing or "
			    "unknown token (Authorization: Bearer <token>)", -1);
			return;
		}
		if (strcmp(path, "/v1/events") == 0)
			post_events(req, source);
		else
			post_webhook(req, path, grafana ? HOOK_GRAFANA :
			    strcmp(path, "/v1/zabbix") == 0 ? HOOK_ZABBIX :
			    HOOK_ALERTMANAGER, source);
		return;
	}
	if ((kind = web_route(path, &rt)) != WEB_NONE && h.web != NULL) {
		web_request(req, kind, get);
		return;
	}
	reply_error(req, 404, "Not Found", NULL, "no such endpoint", -1);
}

/* A listening TCP socket for host:port (the first address that binds). */
static int
listen_on(const char *host, int port, int *from_systemd)
{
	struct addrinfo hints, *ai, *a;
	char pbuf[8];
	int fd = -1, one = 1, rv;

	snprintf(pbuf, sizeof(pbuf), "%d", port);
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	if ((rv = getaddrinfo(host, pbuf, &hints, &ai)) != 0) {
		log_warnx("listen_http %s:%d: %s", host, port, gai_strerror(rv));
		return -1;
	}
	/* Passed by systemd (sochid.socket), when one matches. */
	for (a = ai; a != NULL && fd == -1; a = a->ai_next)
		if ((fd = sdlisten_take(a->ai_addr, a->ai_addrlen,
		    SOCK_STREAM)) != -1)
			*from_systemd = 1;
	for (a = ai; a != NULL && fd == -1; a = a->ai_next) {
		if ((fd = socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK |
		    SOCK_CLOEXEC, a->ai_protocol)) == -1)
			continue;
		(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one,
		    sizeof(one));
		if (bind(fd, a->ai_addr, a->ai_addrlen) == -1 ||
		    listen(fd, 128) == -1) {
			close(fd);
			fd = -1;
		}
	}
	if (fd == -1)
		log_warn("listen_http %s:%d", host, port);
	freeaddrinfo(ai);
	return fd;
}

/* The server's limits as the running config has them. */
static void
limits(struct http_server_config *sc, const struct sochi_config *cf)
{
	sc->max_conns = (size_t)cf->max_clients_http;
	sc->max_body_bytes = (size_t)cf->max_body_bytes;
	sc->request_timeout = (int64_t)cf->http_request_timeout * 1000000;
	sc->idle_timeout = (int64_t)cf->idle_timeout * 1000000;
}

int
http_api_init(struct event_base *base, struct sochi_config *cf,
    const struct correlator *rules, const struct zone *zabbix_zone)
{
	struct http_server_config sc;
	char host[256];
	int port, fd, from_systemd = 0;

	memset(&h, 0, sizeof(h));
	TAILQ_INIT(&h.inflight);
	h.cf = cf;
	h.rules = rules;
	h.zabbix_zone = zabbix_zone;
	if (*cf->listen_http == '\0')
		return 0;
	if (config_split_listen(cf->listen_http, host, sizeof(host), &port,
	    SOCHI_DEFAULT_HTTP_PORT) == -1)
		return -1;
	if ((fd = listen_on(host, port, &from_systemd)) == -1)
		return -1;
	memset(&sc, 0, sizeof(sc));
	sc.name = "http";
	sc.cap_key = "max_clients_http";
	sc.max_header_bytes = 16384;
	limits(&sc, cf);
	sc.handle = route;
	if ((h.srv = http_server_new(base, fd, &sc)) == NULL)
		return -1;
	log_info("listening for HTTP on %s:%d%s", host, port,
	    from_systemd ? " (socket from systemd)" : "");
	return 0;
}

void
http_api_set_web(struct worker_proc *web)
{
	h.web = web;
}

size_t
http_api_pending(void)
{
	return h.ninflight;
}

size_t
http_api_conns(void)
{
	return h.srv != NULL ? http_server_conns(h.srv) : 0;
}

uint64_t
http_api_accepted(void)
{
	return h.srv != NULL ? http_server_accepted(h.srv) : 0;
}

void
http_api_reload(const struct correlator *rules)
{
	struct http_server_config sc;

	/* Used only while a webhook is read, never kept: safe to swap. */
	h.rules = rules;
	if (h.srv == NULL)
		return;
	memset(&sc, 0, sizeof(sc));
	limits(&sc, h.cf);
	http_server_set_limits(h.srv, &sc);
}

void
http_api_drain(void)
{
	/* Stop taking new connections; requests in flight still get answers. */
	if (h.srv != NULL)
		http_server_drain(h.srv);
}

void
http_api_free(void)
{
	struct hreq *hr;

	while ((hr = TAILQ_FIRST(&h.inflight)) != NULL) {
		TAILQ_REMOVE(&h.inflight, hr, entry);
		http_reply(hr->req, 503, "Service Unavailable", NULL, NULL, "",
		    0);
		hreq_free(hr);
	}
	http_server_free(h.srv);
	memset(&h, 0, sizeof(h));
}
