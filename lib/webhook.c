/* SPDX-License-Identifier: MIT */
/*
 * Webhook payloads.  Every refusal names the member at fault, as in
 * "alerts[2].startsAt: not an RFC 3339 time", so that the monitoring side can
 * be fixed from sochid's answer alone.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "rfc3339.h"
#include "webhook.h"

/* Alertmanager's "not set" time. */
#define ZERO_TIME	"0001-01-01T00:00:00Z"

static int
fail(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

void
wh_batch_free(struct wh_batch *b)
{
	size_t i;

	if (b == NULL)
		return;
	for (i = 0; i < b->n; i++) {
		json_decref(b->a[i].labels);
		json_decref(b->a[i].annotations);
	}
	free(b->a);
	memset(b, 0, sizeof(*b));
}

static struct wh_alert *
add(struct wh_batch *b)
{
	struct wh_alert *p = realloc(b->a, (b->n + 1) * sizeof(*p));

	if (p == NULL)
		return NULL;
	b->a = p;
	memset(&p[b->n], 0, sizeof(p[b->n]));
	return &p[b->n++];
}

/* An object of strings; a missing one is an empty object. */
static json_t *
string_map(json_t *v, const char *what, char *err, size_t errlen)
{
	const char *k;
	json_t *x;

	if (v == NULL || json_is_null(v))
		return json_object();
	if (!json_is_object(v)) {
		fail(err, errlen, "%s: expected an object", what);
		return NULL;
	}
	json_object_foreach(v, k, x)
		if (!json_is_string(x)) {
			fail(err, errlen, "%s.%s: expected a string", what, k);
			return NULL;
		}
	return json_incref(v);
}

/*
 * A label "incident" names the incident outright (webhook_row), so it is
 * held to what an incident code may be, as the NDJSON field is; an empty
 * one names none.  what is the label's path for the message.
 */
static int
incident_label(json_t *labels, const char *what, char *err, size_t errlen)
{
	json_t *v = json_object_get(labels, "incident");
	const char *s = json_string_value(v);
	size_t n = json_string_length(v);

	if (s == NULL || n == 0 || event_valid_code(s, n))
		return 0;
	/* Shown shortened, on a character's boundary. */
	if (n > 64)
		for (n = 64; n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80; n--)
			;
	return fail(err, errlen, "%s: " EVENT_CODE_RULE ", got \"%.*s\"", what,
	    (int)n, s);
}

/* A stable stand-in fingerprint: FNV-1a of the sorted labels. */
static void
labels_fingerprint(json_t *labels, char *out, size_t len)
{
	char *text = json_dumps(labels, JSON_SORT_KEYS | JSON_COMPACT);
	uint64_t h = 1469598103934665603ULL;
	const char *p;

	for (p = text ? text : ""; *p != '\0'; p++) {
		h ^= (unsigned char)*p;
		h *= 1099511628211ULL;
	}
	free(text);
	snprintf(out, len, "%016llx", (unsigned long long)h);
}

/*
 * The alerts[] of Alertmanager and Grafana: status, labels, annotations,
 * startsAt, endsAt, fingerprint (others, such as generatorURL or Grafana's
 * values and panelURL, are accepted and ignored).
 */
static int
alerts(json_t *root, struct wh_batch *b, char *err, size_t errlen)
{
	json_t *arr = json_object_get(root, "alerts"), *a;
	const char *gk = json_string_value(json_object_get(root, "groupKey"));
	size_t i;

	if (!json_is_object(root))
		return fail(err, errlen, "payload: expected a JSON object");
	if (!json_is_array(arr))
		return fail(err, errlen, "alerts: expected an array");
	snprintf(b->group, sizeof(b->group), "%s", gk ? gk : "");
	b->truncated = (long)json_integer_value(json_object_get(root,
	    "truncatedAlerts"));
	json_array_foreach(arr, i, a) {
		struct wh_alert *w;
		const char *st, *sa, *ea, *fp;
		struct sochi_time ts, te;
		char what[64];

		snprintf(what, sizeof(what), "alerts[%zu]", i);
		if (!json_is_object(a))
			return fail(err, errlen, "%s: expected an object", what);
		if ((w = add(b)) == NULL)
			return fail(err, errlen, "out of memory");
		st = json_string_value(json_object_get(a, "status"));
		if (st == NULL || (strcmp(st, "firing") != 0 &&
		    strcmp(st, "resolved") != 0))
			return fail(err, errlen, "%s.status: expected firing or "
			    "resolved", what);
		snprintf(w->status, sizeof(w->status), "%s", st);
		snprintf(what, sizeof(what), "alerts[%zu].labels", i);
		if ((w->labels = string_map(json_object_get(a, "labels"), what,
		    err, errlen)) == NULL)
			return -1;
		snprintf(what, sizeof(what), "alerts[%zu].annotations", i);
		if ((w->annotations = string_map(json_object_get(a,
		    "annotations"), what, err, errlen)) == NULL)
			return -1;
		snprintf(what, sizeof(what), "alerts[%zu].labels.incident", i);
		if (incident_label(w->labels, what, err, errlen) == -1)
			return -1;
		w->name = json_string_value(json_object_get(w->labels,
		    "alertname"));
		if (w->name == NULL)
			return fail(err, errlen, "alerts[%zu].labels.alertname: "
			    "required", i);
		sa = json_string_value(json_object_get(a, "startsAt"));
		if (sa == NULL || rfc3339_parse(sa, &ts) == -1 ||
		    strcmp(sa, ZERO_TIME) == 0)
			return fail(err, errlen, "alerts[%zu].startsAt: not an "
			    "RFC 3339 time", i);
		ea = json_string_value(json_object_get(a, "endsAt"));
		if (strcmp(st, "resolved") == 0) {
			if (ea == NULL || strcmp(ea, ZERO_TIME) == 0 ||
			    rfc3339_parse(ea, &te) == -1)
				return fail(err, errlen, "alerts[%zu].endsAt: a "
				    "resolved alert needs its RFC 3339 end", i);
			w->at = te.usec;
		} else
			w->at = ts.usec;
		fp = json_string_value(json_object_get(a, "fingerprint"));
		if (fp != NULL && *fp != '\0')
			snprintf(w->fingerprint, sizeof(w->fingerprint), "%.80s",
			    fp);
		else
			labels_fingerprint(w->labels, w->fingerprint,
			    sizeof(w->fingerprint));
		/* One event per state change, however often it is sent. */
		snprintf(w->key, sizeof(w->key), "%s:%s:%.60s", w->fingerprint,
		    st, sa);
		snprintf(w->group, sizeof(w->group), "%s", b->group[0] ?
		    b->group : w->fingerprint);
	}
	return 0;
}

int
webhook_alertmanager(json_t *root, struct wh_batch *b, char *err,
    size_t errlen)
{
	const char *v;

	memset(b, 0, sizeof(*b));
	if (json_is_object(root) && (v = json_string_value(json_object_get(root,
	    "version"))) != NULL && strcmp(v, "4") != 0)
		return fail(err, errlen, "version: expected \"4\", got \"%s\"", v);
	return alerts(root, b, err, errlen);
}

int
webhook_grafana(json_t *root, struct wh_batch *b, char *err, size_t errlen)
{
	memset(b, 0, sizeof(*b));
	return alerts(root, b, err, errlen);
}

/* A Zabbix macro left as it was ({EVENT.TAGSJSON}) counts as empty. */
static const char *
zval(json_t *root, const char *k)
{
	const char *v = json_string_value(json_object_get(root, k));

	if (v == NULL || *v == '\0' || (v[0] == '{' && v[strlen(v) - 1] == '}' &&
	    strchr(v, '.') != NULL && strchr(v, '"') == NULL))
		return NULL;
	return v;
}

/* "2026.11.16" and "12:03:00" in zone z. */
static int
zdate(const char *d, const char *t, const struct zone *z, int64_t *out)
{
	struct local_time lt;
	char buf[40];
	struct sochi_time chk;

	memset(&lt, 0, sizeof(lt));
	if (d == NULL || t == NULL || sscanf(d, "%4d.%2d.%2d", &lt.year,
	    &lt.month, &lt.day) != 3 || sscanf(t, "%2d:%2d:%2d", &lt.hour,
	    &lt.min, &lt.sec) != 3)
		return -1;
	snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02dZ", lt.year,
	    lt.month, lt.day, lt.hour, lt.min, lt.sec);
	if (rfc3339_parse(buf, &chk) == -1)
		return -1;
	*out = zone_utc(z, &lt);
	return 0;
}

int
webhook_zabbix(json_t *root, const struct zone *z, struct wh_batch *b,
    char *err, size_t errlen)
{
	const char *id, *value, *host, *trigger, *sev, *tags, *user;
	struct wh_alert *w;
	json_error_t jerr;
	json_t *tj, *t;
	size_t i;
	int recovery;

	memset(b, 0, sizeof(*b));
	if (!json_is_object(root))
		return fail(err, errlen, "payload: expected a JSON object");
	if ((id = zval(root, "event_id")) == NULL)
		return fail(err, errlen, "event_id: required ({EVENT.ID})");
	if ((value = zval(root, "event_value")) == NULL ||
	    (strcmp(value, "0") != 0 && strcmp(value, "1") != 0))
		return fail(err, errlen, "event_value: expected 1 (problem) or 0 "
		    "(recovery) ({EVENT.VALUE})");
	if ((trigger = zval(root, "trigger_name")) == NULL)
		return fail(err, errlen, "trigger_name: required ({TRIGGER.NAME})");
	host = zval(root, "host_name");
	sev = zval(root, "event_nseverity");
	user = zval(root, "user_fullname");
	recovery = strcmp(value, "0") == 0;
	if ((w = add(b)) == NULL)
		return fail(err, errlen, "out of memory");
	snprintf(w->status, sizeof(w->status), "%s", recovery ? "resolved" :
	    "firing");
	w->labels = json_object();
	w->annotations = json_object();
	json_object_set_new(w->labels, "alertname", json_string(trigger));
	if (host != NULL)
		json_object_set_new(w->labels, "host", json_string(host));
	if (sev != NULL)
		json_object_set_new(w->labels, "severity", json_string(sev));
	if ((tags = zval(root, "event_tags")) != NULL) {
		/* {EVENT.TAGSJSON}: [{"tag":"service","value":"mail"}, ...] */
		if ((tj = json_loads(tags, 0, &jerr)) == NULL ||
		    !json_is_array(tj)) {
			json_decref(tj);
			return fail(err, errlen, "event_tags: expected the JSON "
			    "array of {EVENT.TAGSJSON}");
		}
		json_array_foreach(tj, i, t) {
			const char *k = json_string_value(json_object_get(t,
			    "tag"));
			const char *v = json_string_value(json_object_get(t,
			    "value"));

			if (k != NULL && strcmp(k, "alertname") != 0)
				json_object_set_new(w->labels, k,
				    json_string(v ? v : ""));
		}
		json_decref(tj);
		if (incident_label(w->labels, "event_tags: tag incident", err,
		    errlen) == -1)
			return -1;
	}
	if (user != NULL)
		json_object_set_new(w->annotations, "user", json_string(user));
	w->name = json_string_value(json_object_get(w->labels, "alertname"));
	if (zdate(zval(root, "event_date"), zval(root, "event_time"), z,
	    &w->at) == -1)
		return fail(err, errlen, "event_date, event_time: expected "
		    "YYYY.MM.DD and HH:MM:SS ({EVENT.DATE}, {EVENT.TIME})");
	if (recovery && zdate(zval(root, "recovery_date"), zval(root,
	    "recovery_time"), z, &w->at) == -1)
		return fail(err, errlen, "recovery_date, recovery_time: a "
		    "recovery needs {EVENT.RECOVERY.DATE} and "
		    "{EVENT.RECOVERY.TIME}");
	snprintf(w->fingerprint, sizeof(w->fingerprint), "zabbix-%.60s", id);
	snprintf(w->key, sizeof(w->key), "zabbix:%.60s:%s", id, w->status);
	snprintf(w->group, sizeof(w->group), "zabbix:%.200s:%.200s",
	    host ? host : "", trigger);
	snprintf(b->group, sizeof(b->group), "%s", w->group);
	return 0;
}

static int
dump_cb(const char *buf, size_t n, void *arg)
{
	return sbuf_add(arg, buf, n);
}

int
webhook_row(const struct wh_alert *w, const struct config_rule *rule,
    const char *source, const char *default_actor, struct wh_row *wr)
{
	const char *incident = json_string_value(json_object_get(w->labels,
	    "incident"));
	const char *actor = rule && rule->actor ? rule->actor : default_actor;
	json_t *data, *op;
	int rv = 0;

	memset(wr, 0, sizeof(*wr));
	wr->row.kind = KIND_ALERT;
	wr->row.at = w->at;
	wr->row.src = source;
	wr->row.key = w->key;
	wr->row.at_given = 1;
	wr->row.actor = actor;
	if (incident != NULL && *incident != '\0')
		wr->row.incident = incident;
	else {
		rv |= sbuf_printf(&wr->grp, "%s:%s", source, w->group);
		wr->row.grp = wr->grp.data;
	}
	data = json_pack("{s:s,s:s,s:O,s:O,s:s,s:s}", "status", w->status,
	    "name", w->name, "labels", w->labels, "annotations",
	    w->annotations, "fingerprint", w->fingerprint, "group", w->group);
	if (data == NULL)
		return -1;
	if (rule != NULL)
		json_object_set_new(data, "rule", json_string(rule->name));
	rv |= json_dump_callback(data, dump_cb, &wr->data, JSON_COMPACT);
	json_decref(data);
	wr->row.data = wr->data.data;
	if (rule != NULL && rule->open && strcmp(w->status, "firing") == 0) {
		const char *sum = json_string_value(json_object_get(
		    w->annotations, "summary"));

		op = json_object();
		json_object_set_new(op, "title", json_string(rule->title ?
		    rule->title : sum ? sum : w->name));
		if (rule->service)
			json_object_set_new(op, "service",
			    json_string(rule->service));
		if (rule->category)
			json_object_set_new(op, "category",
			    json_integer(rule->category));
		rv |= json_dump_callback(op, dump_cb, &wr->open, JSON_COMPACT);
		json_decref(op);
		wr->row.open = wr->open.data;
	}
	if (rule != NULL && rule->impact_name != NULL) {
		op = json_pack("{s:s,s:s,s:s}", "op", strcmp(w->status,
		    "firing") == 0 ? "start" : "recover", "name",
		    rule->impact_name, "label", rule->impact_label);
		if (op == NULL)
			return -1;
		rv |= json_dump_callback(op, dump_cb, &wr->imp, JSON_COMPACT);
		json_decref(op);
		wr->row.imp = wr->imp.data;
	}
	return rv != 0 ? -1 : 0;
}

void
wh_row_free(struct wh_row *wr)
{
	if (wr == NULL)
		return;
	sbuf_free(&wr->data);
	sbuf_free(&wr->grp);
	sbuf_free(&wr->open);
	sbuf_free(&wr->imp);
	memset(wr, 0, sizeof(*wr));
}
