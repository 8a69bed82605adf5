/*
 * The HTTP API.
 *
 * POST /v1/events takes one event object or an array of them; an array is
 * stored whole or not at all.  The reply is sent once, after COMMIT.  A
 * client may hang up while its events are in the writer: the connection's
 * close callback marks the request orphaned, and the writer's answer then
 * only frees it (STYLE.md, habit 8).
 */
#include <sys/queue.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <event2/buffer.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "correlate.h"
#include "db_writer.h"
#include "event.h"
#include "webhook.h"
#include "http_api.h"
#include "log.h"

struct hreq {
	TAILQ_ENTRY(hreq) entry;	/* in the list of requests in flight */
	struct evhttp_request *req;	/* NULL once the client is gone */
	struct evhttp_connection *evcon; /* the client's connection */
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
	struct evhttp	*http;		/* the server */
	struct evhttp_bound_socket *bound; /* its listening socket */
	struct sochi_config *cf;	/* the running config */
	struct hreq_list inflight;	/* waiting for the writer */
	size_t		 ninflight;	/* length of inflight */
	const struct correlator *rules;	/* [rule.NAME], compiled */
	const struct zone *zabbix_zone;	/* the zone of Zabbix's date macros */
	struct {
		uint64_t	 hash;	/* endpoint, group and error */
		time_t		 when;	/* last logged */
	} logged[64];			/* refusals logged lately, once per group */
} h;

static void
reply_json(struct evhttp_request *req, int code, const char *reason,
    const char *body)
{
	struct evbuffer *out = evbuffer_new();

	evhttp_add_header(evhttp_request_get_output_headers(req),
	    "Content-Type", "application/json");
	if (out != NULL)
		evbuffer_add_printf(out, "%s\n", body);
	evhttp_send_reply(req, code, reason, out);
	if (out != NULL)
		evbuffer_free(out);
}

static void	reply_error(struct evhttp_request *, int, const char *,
		    const char *, long);

/*
 * max_pending_bytes: a request that would take unanswered events past it is
 * answered 503 at once, and the sender retries later.
 */
static int
over_budget(struct evhttp_request *req, size_t len)
{
	if (db_writer_room(len))
		return 0;
	evhttp_add_header(evhttp_request_get_output_headers(req), "Retry-After",
	    "1");
	reply_error(req, 503, "Service Unavailable", "sochid holds as many "
	    "unanswered events as max_pending_bytes allows; send it again "
	    "shortly", -1);
	return 1;
}

static void
reply_error(struct evhttp_request *req, int code, const char *reason,
    const char *err, long index)
{
	struct sbuf b = SBUF_INIT;

	sbuf_adds(&b, "{\"ok\":false,\"error\":");
	sbuf_add_json_string(&b, err, strlen(err));
	if (index >= 0)
		sbuf_printf(&b, ",\"index\":%ld", index);
	sbuf_addc(&b, '}');
	reply_json(req, code, reason, b.data != NULL ? b.data : "{}");
	sbuf_free(&b);
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

static void	conn_closed_cb(struct evhttp_connection *, void *);

/*
 * Marks the request as waiting for the writer; if the client leaves
 * meanwhile, conn_closed_cb orphans it (STYLE.md, habit 8).
 */
static void
hreq_track(struct hreq *hr, struct evhttp_request *req)
{
	hr->req = req;
	hr->evcon = evhttp_request_get_connection(req);
	TAILQ_INSERT_TAIL(&h.inflight, hr, entry);
	h.ninflight++;
	evhttp_connection_set_closecb(hr->evcon, conn_closed_cb, NULL);
}

/* The writer would not take it: answer 503 now. */
static void
hreq_untrack(struct hreq *hr, struct evhttp_request *req)
{
	TAILQ_REMOVE(&h.inflight, hr, entry);
	h.ninflight--;
	evhttp_connection_set_closecb(hr->evcon, NULL, NULL);
	reply_error(req, 503, "Service Unavailable", "out of memory", -1);
}

static void
conn_closed_cb(struct evhttp_connection *evcon, void *arg)
{
	struct hreq *hr;

	/* Every request of this connection still waiting becomes an orphan. */
	TAILQ_FOREACH(hr, &h.inflight, entry)
		if (hr->evcon == evcon && hr->req != NULL) {
			log_debug("http: client left before its answer");
			hr->req = NULL;
		}
}

static void
hreq_finish(struct hreq *hr)
{
	struct sbuf b = SBUF_INIT;
	size_t i;

	TAILQ_REMOVE(&h.inflight, hr, entry);
	h.ninflight--;
	if (hr->req == NULL) {
		hreq_free(hr);
		return;
	}
	evhttp_connection_set_closecb(hr->evcon, NULL, NULL);
	if (hr->err != NULL) {
		if (hr->temporary)
			reply_error(hr->req, 503, "Service Unavailable", hr->err,
			    -1);
		else
			reply_error(hr->req, 400, "Bad Request", hr->err, -1);
		hreq_free(hr);
		return;
	}
	if (hr->journaled) {
		/* Accepted, on disk, stored once the database is back. */
		reply_json(hr->req, 202, "Accepted",
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
	reply_json(hr->req, 200, "OK", b.data != NULL ? b.data : "{}");
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
authenticate(struct evhttp_request *req, int basic_ok)
{
	const char *auth = evhttp_find_header(
	    evhttp_request_get_input_headers(req), "Authorization");
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
post_webhook(struct evhttp_request *req, const char *path, enum hook kind,
    const char *source)
{
	struct evbuffer *in = evhttp_request_get_input_buffer(req);
	size_t len = evbuffer_get_length(in), i;
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
	if (over_budget(req, len))
		return;
	body = (const char *)evbuffer_pullup(in, -1);
	root = json_loadb(body != NULL ? body : "", len, 0, &jerr);
	/* The text is not needed once parsed: do not hold it while waiting. */
	evbuffer_drain(in, len);
	if (root == NULL) {
		snprintf(err, sizeof(err), "invalid JSON at line %d column %d: %s",
		    jerr.line, jerr.column, jerr.text);
		log_refusal_once(path, "", err);
		reply_error(req, 400, "Bad Request", err, -1);
		return;
	}
	rv = kind == HOOK_ALERTMANAGER ? webhook_alertmanager(root, &wb, err,
	    sizeof(err)) : kind == HOOK_GRAFANA ? webhook_grafana(root, &wb, err,
	    sizeof(err)) : webhook_zabbix(root, h.zabbix_zone, &wb, err,
	    sizeof(err));
	if (rv == -1) {
		log_refusal_once(path, wb.group, err);
		reply_error(req, 400, "Bad Request", err, -1);
		goto out;
	}
	if (wb.truncated > 0)
		log_warnx("%s: group %s: Alertmanager left out %ld alerts "
		    "(max_alerts); they will come on the next notification", path,
		    wb.group, wb.truncated);
	if (wb.n == 0) {
		reply_json(req, 200, "OK", "{\"ok\":true,\"results\":[]}");
		goto out;
	}
	if ((hr = hreq_new(wb.n, 1)) == NULL ||
	    (whr = calloc(wb.n, sizeof(*whr))) == NULL ||
	    (rows = calloc(wb.n, sizeof(*rows))) == NULL) {
		reply_error(req, 503, "Service Unavailable", "out of memory", -1);
		goto out;
	}
	for (i = 0; i < wb.n; i++) {
		if (webhook_row(&wb.a[i], correlate_match(h.rules,
		    wb.a[i].labels), source, h.cf->report.alert_actor,
		    &whr[i]) == -1) {
			reply_error(req, 503, "Service Unavailable",
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
post_events(struct evhttp_request *req, const char *source)
{
	struct event_rules rules = { (const char *const *)h.cf->phase_ids };
	struct evbuffer *in = evhttp_request_get_input_buffer(req);
	struct sochi_event *evs = NULL;
	struct hreq *hr = NULL;
	json_error_t jerr;
	json_t *root, *item;
	size_t len = evbuffer_get_length(in), i, n;
	char err[512], msg[600];
	const char *body;

	if (over_budget(req, len))
		return;
	body = (const char *)evbuffer_pullup(in, -1);
	root = json_loadb(body != NULL ? body : "", len,
	    JSON_REJECT_DUPLICATES, &jerr);
	evbuffer_drain(in, len);
	if (root == NULL) {
		snprintf(err, sizeof(err), "invalid JSON at line %d column %d: %s",
		    jerr.line, jerr.column, jerr.text);
		reply_error(req, 400, "Bad Request", err, -1);
		return;
	}
	n = json_is_array(root) ? json_array_size(root) : 1;
	if (n == 0) {
		reply_error(req, 400, "Bad Request", "empty array: no events", -1);
		json_decref(root);
		return;
	}
	if ((hr = hreq_new(n, json_is_array(root))) == NULL ||
	    (evs = calloc(n, sizeof(*evs))) == NULL) {
		reply_error(req, 503, "Service Unavailable", "out of memory", -1);
		goto out;
	}
	for (i = 0; i < n; i++) {
		item = hr->array ? json_array_get(root, i) : root;
		if (event_decode_json(item, &rules, &evs[i], err,
		    sizeof(err)) == -1) {
			if (hr->array) {
				snprintf(msg, sizeof(msg), "event %zu: %s", i + 1,
				    err);
				reply_error(req, 400, "Bad Request", msg,
				    (long)i);
			} else
				reply_error(req, 400, "Bad Request", err, -1);
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

static void
get_healthz(struct evhttp_request *req)
{
	struct db_writer_stats st;
	const char *status;
	char body[320];

	/*
	 * ok: connected, nothing past its deadline.  stalled: connected, but a
	 * request ran past write_timeout and nothing has committed since (a
	 * lock, a full disk).  degraded: no connection.
	 */
	db_writer_stats(&st);
	status = st.stalled ? "stalled" : !st.connected ? "degraded" : "ok";
	snprintf(body, sizeof(body), "{\"status\":\"%s\",\"database\":\"%s\","
	    "\"pending\":%zu,\"pending_bytes\":%zu,\"journaling\":%s,"
	    "\"journal_events\":%zu,\"journal_seconds\":%lld}", status,
	    st.connected ? "connected" : "unavailable", st.pending,
	    st.pending_bytes, st.journaling ? "true" : "false",
	    st.journal_events, (long long)(st.journal_age / 1000000));
	if (strcmp(status, "ok") == 0)
		reply_json(req, 200, "OK", body);
	else
		reply_json(req, 503, "Service Unavailable", body);
}

static void
route(struct evhttp_request *req, void *arg)
{
	const char *path = evhttp_uri_get_path(evhttp_request_get_evhttp_uri(req));
	enum evhttp_cmd_type cmd = evhttp_request_get_command(req);
	const char *source;

	if (path == NULL)
		path = "/";
	if (strcmp(path, "/healthz") == 0) {
		if (cmd != EVHTTP_REQ_GET && cmd != EVHTTP_REQ_HEAD) {
			reply_error(req, 405, "Method Not Allowed",
			    "GET /healthz", -1);
			return;
		}
		get_healthz(req);
		return;
	}
	if (strcmp(path, "/v1/events") == 0 ||
	    strcmp(path, "/v1/alertmanager") == 0 ||
	    strcmp(path, "/v1/grafana") == 0 || strcmp(path, "/v1/zabbix") == 0) {
		int grafana = strcmp(path, "/v1/grafana") == 0;

		if (cmd != EVHTTP_REQ_POST) {
			evhttp_add_header(evhttp_request_get_output_headers(req),
			    "Allow", "POST");
			reply_error(req, 405, "Method Not Allowed",
			    "only POST here", -1);
			return;
		}
		if ((source = authenticate(req, grafana)) == NULL) {
			evhttp_add_header(evhttp_request_get_output_headers(req),
			    "WWW-Authenticate", grafana ? "Basic realm=\"sochid\"" :
			    "Bearer realm=\"sochid\"");
			reply_error(req, 401, "Unauthorized", grafana ? "missing or "
			    "unknown token (Bearer <token>, or Basic with the token "
			    "as password)" : "missing or unknown token "
			    "(Authorization: Bearer <token>)", -1);
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
	reply_error(req, 404, "Not Found", "no such endpoint", -1);
}

int
http_api_init(struct event_base *base, struct sochi_config *cf,
    const struct correlator *rules, const struct zone *zabbix_zone)
{
	char host[256];
	int port;

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
	if ((h.http = evhttp_new(base)) == NULL)
		return -1;
	evhttp_set_max_body_size(h.http, (ev_ssize_t)cf->max_body_bytes);
	evhttp_set_max_headers_size(h.http, 16384);
	evhttp_set_timeout(h.http, 60);
	evhttp_set_allowed_methods(h.http, EVHTTP_REQ_GET | EVHTTP_REQ_POST |
	    EVHTTP_REQ_HEAD | EVHTTP_REQ_PUT | EVHTTP_REQ_DELETE);
	evhttp_set_gencb(h.http, route, NULL);
	if ((h.bound = evhttp_bind_socket_with_handle(h.http, host,
	    (ev_uint16_t)port)) == NULL) {
		log_warn("listen_http %s:%d", host, port);
		return -1;
	}
	log_info("listening for HTTP on %s:%d", host, port);
	return 0;
}

size_t
http_api_pending(void)
{
	return h.ninflight;
}

void
http_api_drain(void)
{
	/* Stop taking new connections; requests in flight still get answers. */
	if (h.http != NULL && h.bound != NULL) {
		evhttp_del_accept_socket(h.http, h.bound);
		h.bound = NULL;
	}
}

void
http_api_free(void)
{
	struct hreq *hr;

	while ((hr = TAILQ_FIRST(&h.inflight)) != NULL) {
		TAILQ_REMOVE(&h.inflight, hr, entry);
		hreq_free(hr);
	}
	if (h.http != NULL)
		evhttp_free(h.http);
	memset(&h, 0, sizeof(h));
}
