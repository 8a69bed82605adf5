/* SPDX-License-Identifier: MIT */
/*
 * Decoding and validating events.  Every field of every kind is checked here,
 * before anything reaches the database, and every refusal names the field and
 * the value: a sender reading the answer must know what to fix.  Unknown
 * fields are refused too, so that a typo never silently loses information.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "sections.h"

enum ftype {
	F_STRING,		/* any string, may be empty */
	F_TEXT,			/* a non-empty string */
	F_NAME,			/* a short identifier: [A-Za-z0-9._:-], 1..64 bytes */
	F_CODE,			/* an incident code (event_valid_code) */
	F_KEY,			/* a non-empty string of at most EVENT_KEY_MAX bytes */
	F_COUNT,		/* an integer >= 0 */
	F_ID,			/* an integer > 0 */
	F_CATEGORY,		/* an integer 1..5 */
	F_CATEGORY6,		/* an integer 1..6: an impact's category */
	F_TIME,			/* an RFC 3339 time with an offset */
	F_DATE,			/* YYYY-MM-DD */
	F_ENUM,			/* one of a list of strings */
	F_PHASE,		/* one of the configured phases */
	F_SECTION,		/* a known report section */
	F_LABELS		/* an object whose values are strings */
};

#define K(k)		(1u << (k))
#define K_ANY		((1u << KIND__COUNT) - 1)

struct field {
	const char		*name;		/* the JSON member */
	enum ftype		 type;		/* what its value must be */
	unsigned		 kinds;		/* the kinds that take it */
	unsigned		 required;	/* the kinds that need it */
	const char *const	*values;	/* F_ENUM: the allowed values */
	int			 column;	/* stored in its own column, not in data */
};

static const char *const incident_ops[] = { "open", "update", "close", NULL };
static const char *const impact_ops[] = { "start", "recover", NULL };
static const char *const notice_channels[] = { "web", "press", "sns", "other",
    NULL };
static const char *const inquiry_channels[] = { "phone", "mail", "other",
    NULL };
static const char *const stages[] = { "設計", "工事", "維持・運用", NULL };
static const char *const alert_status[] = { "firing", "resolved", NULL };

static const char *const kind_names[KIND__COUNT] = {
	"incident", "action", "impact", "users", "notice", "inquiry", "note",
	"alert", "retract"
};

static const struct field fields[] = {
	{ "kind", F_TEXT, K_ANY, K_ANY, NULL, 1 },
	{ "key", F_KEY, K_ANY, 0, NULL, 1 },
	{ "actor", F_TEXT, K_ANY, 0, NULL, 1 },
	{ "at", F_TIME, K_ANY, K(KIND_ACTION) | K(KIND_IMPACT), NULL, 1 },
	{ "incident", F_CODE, K_ANY, 0, NULL, 1 },
	{ "supersedes", F_ID, K_ANY & ~(K(KIND_INCIDENT) | K(KIND_RETRACT)), 0,
	    NULL, 1 },

	{ "op", F_ENUM, K(KIND_INCIDENT), K(KIND_INCIDENT), incident_ops, 0 },
	{ "title", F_TEXT, K(KIND_INCIDENT), 0, NULL, 0 },
	{ "service", F_TEXT, K(KIND_INCIDENT), 0, NULL, 0 },
	{ "category", F_CATEGORY, K(KIND_INCIDENT), 0, NULL, 0 },
	{ "location", F_TEXT, K(KIND_INCIDENT), 0, NULL, 0 },
	{ "equipment", F_TEXT, K(KIND_INCIDENT), 0, NULL, 0 },
	{ "code", F_CODE, K(KIND_INCIDENT), 0, NULL, 0 },
	{ "filed", F_DATE, K(KIND_INCIDENT), 0, NULL, 0 },

	{ "text", F_TEXT, K(KIND_ACTION) | K(KIND_NOTICE) | K(KIND_NOTE) |
	    K(KIND_RETRACT), K(KIND_ACTION) | K(KIND_NOTICE) | K(KIND_NOTE) |
	    K(KIND_RETRACT), NULL, 1 },
	{ "phase", F_PHASE, K(KIND_ACTION), 0, NULL, 1 },
	{ "heading", F_TEXT, K(KIND_ACTION), 0, NULL, 0 },
	/* Where sochid's syslog listener took it from; kept by amendments. */
	{ "syslog", F_LABELS, K(KIND_ACTION), 0, NULL, 0 },

	{ "op", F_ENUM, K(KIND_IMPACT), K(KIND_IMPACT), impact_ops, 0 },
	{ "name", F_NAME, K(KIND_IMPACT), K(KIND_IMPACT), NULL, 0 },
	{ "label", F_TEXT, K(KIND_IMPACT), 0, NULL, 0 },
	{ "users", F_COUNT, K(KIND_IMPACT), 0, NULL, 0 },
	{ "category", F_CATEGORY6, K(KIND_IMPACT), 0, NULL, 0 },

	{ "count", F_COUNT, K(KIND_USERS) | K(KIND_INQUIRY),
	    K(KIND_USERS) | K(KIND_INQUIRY), NULL, 0 },
	{ "total", F_COUNT, K(KIND_USERS), 0, NULL, 0 },
	{ "basis", F_TEXT, K(KIND_USERS), 0, NULL, 0 },
	{ "region", F_TEXT, K(KIND_USERS), 0, NULL, 0 },
	{ "impact", F_NAME, K(KIND_USERS), 0, NULL, 0 },

	{ "channel", F_ENUM, K(KIND_NOTICE), K(KIND_NOTICE), notice_channels, 0 },
	{ "channel", F_ENUM, K(KIND_INQUIRY), K(KIND_INQUIRY), inquiry_channels,
	    0 },
	{ "topic", F_TEXT, K(KIND_INQUIRY), 0, NULL, 0 },

	{ "section", F_SECTION, K(KIND_NOTE), K(KIND_NOTE), NULL, 0 },
	{ "stage", F_ENUM, K(KIND_NOTE), 0, stages, 0 },
	{ "due", F_DATE, K(KIND_NOTE), 0, NULL, 0 },
	{ "done", F_DATE, K(KIND_NOTE), 0, NULL, 0 },

	{ "status", F_ENUM, K(KIND_ALERT), K(KIND_ALERT), alert_status, 0 },
	{ "name", F_TEXT, K(KIND_ALERT), K(KIND_ALERT), NULL, 0 },
	{ "labels", F_LABELS, K(KIND_ALERT), 0, NULL, 0 },
	{ "annotations", F_LABELS, K(KIND_ALERT), 0, NULL, 0 },
	{ "fingerprint", F_TEXT, K(KIND_ALERT), 0, NULL, 0 },

	{ "target", F_ID, K(KIND_RETRACT), K(KIND_RETRACT), NULL, 0 },
	{ NULL, F_STRING, 0, 0, NULL, 0 }
};

const char *
event_kind_name(enum sochi_kind k)
{
	return (unsigned)k < KIND__COUNT ? kind_names[k] : "?";
}

int
event_kind_from_name(const char *s, enum sochi_kind *k)
{
	unsigned i;

	for (i = 0; i < KIND__COUNT; i++)
		if (strcmp(kind_names[i], s) == 0) {
			*k = (enum sochi_kind)i;
			return 0;
		}
	return -1;
}

static const struct field *
field_find(const char *name, enum sochi_kind kind)
{
	const struct field *f;

	for (f = fields; f->name != NULL; f++)
		if ((f->kinds & K(kind)) && strcmp(f->name, name) == 0)
			return f;
	return NULL;
}

/* Length of the longest prefix of s, at most max bytes, that ends on a character. */
static size_t
utf8_cut(const char *s, size_t len, size_t max)
{
	if (len <= max)
		return len;
	while (max > 0 && ((unsigned char)s[max] & 0xc0) == 0x80)
		max--;
	return max;
}

/* Writes "name: what <value>" into err, the value shown as JSON, shortened. */
static int
fail(char *err, size_t errlen, const char *name, const char *what,
    const json_t *v)
{
	char *dump = NULL;
	size_t n;

	if (v != NULL)
		dump = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
	if (dump != NULL) {
		n = utf8_cut(dump, strlen(dump), 60);
		snprintf(err, errlen, "%s: %s %.*s%s", name, what, (int)n, dump,
		    dump[n] != '\0' ? "…" : "");
	} else
		snprintf(err, errlen, "%s: %s", name, what);
	free(dump);
	return -1;
}

static int
in_list(const char *s, const char *const *list)
{
	for (; list != NULL && *list != NULL; list++)
		if (strcmp(s, *list) == 0)
			return 1;
	return 0;
}

static int
valid_name(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n > EVENT_CODE_MAX)
		return 0;
	for (i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-' ||
		    c == ':'))
			return 0;
	}
	return 1;
}

/*
 * Incident codes travel further than other names: into notify_command's
 * arguments, file names in the spool folder and people's shells.  A code
 * that began with '-' would read as an option, one with ':' or '/' as
 * something else again, so a code is a letter or digit followed by letters,
 * digits, '.', '_' and '-'.
 */
int
event_valid_code(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n > EVENT_CODE_MAX)
		return 0;
	for (i = 0; i < n; i++) {
		char c = s[i];

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9'))
			continue;
		if (i == 0 || !(c == '.' || c == '_' || c == '-'))
			return 0;
	}
	return 1;
}

static int
valid_date(const char *s)
{
	struct sochi_time t;
	char buf[32];

	if (strlen(s) != 10)
		return 0;
	snprintf(buf, sizeof(buf), "%sT00:00:00Z", s);
	return rfc3339_parse(buf, &t) == 0;
}

static const char *
list_text(const char *const *list, char *buf, size_t len)
{
	size_t off = 0;

	buf[0] = '\0';
	for (; *list != NULL && off < len; list++)
		off += (size_t)snprintf(buf + off, len - off, "%s%s",
		    off ? "|" : "", *list);
	return buf;
}

static int
check_field(const struct field *f, const char *name, json_t *v,
    const struct event_rules *rules, struct sochi_event *ev, char *err,
    size_t errlen)
{
	const char *s = NULL;
	size_t n = 0;
	json_int_t i;
	char buf[256], list[128];

	switch (f->type) {
	case F_STRING: case F_TEXT: case F_NAME: case F_CODE: case F_KEY:
	case F_TIME: case F_DATE: case F_ENUM: case F_PHASE: case F_SECTION:
		if (!json_is_string(v))
			return fail(err, errlen, name, "expected a string, got", v);
		s = json_string_value(v);
		n = json_string_length(v);
		if (strlen(s) != n)
			return fail(err, errlen, name, "contains a NUL character",
			    NULL);
		break;
	case F_COUNT: case F_ID: case F_CATEGORY: case F_CATEGORY6:
		if (!json_is_integer(v))
			return fail(err, errlen, name,
			    "expected an integer, got", v);
		break;
	case F_LABELS:
		if (!json_is_object(v))
			return fail(err, errlen, name,
			    "expected an object of strings, got", v);
		break;
	}

	switch (f->type) {
	case F_STRING:
		break;
	case F_TEXT:
		if (n == 0)
			return fail(err, errlen, name, "must not be empty", NULL);
		break;
	case F_NAME:
		if (!valid_name(s, n))
			return fail(err, errlen, name, "expected 1 to 64 of "
			    "A-Z a-z 0-9 . _ : -, got", v);
		break;
	case F_CODE:
		if (!event_valid_code(s, n))
			return fail(err, errlen, name, EVENT_CODE_RULE ", got", v);
		break;
	case F_KEY:
		if (n == 0 || n > EVENT_KEY_MAX)
			return fail(err, errlen, name,
			    "expected 1 to 200 bytes, got", v);
		break;
	case F_COUNT:
		if (json_integer_value(v) < 0)
			return fail(err, errlen, name,
			    "must not be negative, got", v);
		break;
	case F_ID:
		if (json_integer_value(v) <= 0)
			return fail(err, errlen, name,
			    "expected an event id (a positive integer), got", v);
		break;
	case F_CATEGORY:
		i = json_integer_value(v);
		if (i < 1 || i > 5)
			return fail(err, errlen, name,
			    "expected a category from 1 to 5, got", v);
		break;
	case F_CATEGORY6:
		/* 6: a free e-mail or messaging service of 10M monthly users. */
		i = json_integer_value(v);
		if (i < 1 || i > 6)
			return fail(err, errlen, name,
			    "expected a category from 1 to 6, got", v);
		break;
	case F_TIME:
		if (rfc3339_parse_n(s, n, &ev->at) == -1)
			return fail(err, errlen, name,
			    "not an RFC 3339 time:", v);
		ev->has_at = 1;
		break;
	case F_DATE:
		if (!valid_date(s))
			return fail(err, errlen, name,
			    "expected a date YYYY-MM-DD, got", v);
		break;
	case F_ENUM:
		if (!in_list(s, f->values)) {
			snprintf(buf, sizeof(buf), "expected one of %s, got",
			    list_text(f->values, list, sizeof(list)));
			return fail(err, errlen, name, buf, v);
		}
		break;
	case F_PHASE:
		if (!in_list(s, rules->phases)) {
			snprintf(buf, sizeof(buf), "unknown phase (configured: "
			    "%s), got", list_text(rules->phases, list, sizeof(list)));
			return fail(err, errlen, name, buf, v);
		}
		break;
	case F_SECTION:
		if (section_find(s) == NULL)
			return fail(err, errlen, name,
			    "unknown report section, got", v);
		break;
	case F_LABELS: {
		const char *k;
		json_t *lv;

		json_object_foreach(v, k, lv) {
			if (!json_is_string(lv)) {
				snprintf(buf, sizeof(buf), "%s.%s", name, k);
				return fail(err, errlen, buf,
				    "expected a string, got", lv);
			}
		}
		break;
	}
	}
	return 0;
}

static const char *
str_member(json_t *o, const char *name)
{
	return json_string_value(json_object_get(o, name));
}

int
event_decode_json(json_t *o, const struct event_rules *rules,
    struct sochi_event *ev, char *err, size_t errlen)
{
	const struct field *f;
	const char *name, *kind, *op;
	json_t *v;
	const struct section *sec;

	memset(ev, 0, sizeof(*ev));
	if (!json_is_object(o))
		return fail(err, errlen, "request", "expected a JSON object, got",
		    o);
	v = json_object_get(o, "kind");
	if (v == NULL)
		return fail(err, errlen, "kind", "required", NULL);
	if (!json_is_string(v))
		return fail(err, errlen, "kind", "expected a string, got", v);
	kind = json_string_value(v);
	if (event_kind_from_name(kind, &ev->kind) == -1)
		return fail(err, errlen, "kind", "expected one of incident|action|"
		    "impact|users|notice|inquiry|note|alert|retract, got", v);

	json_object_foreach(o, name, v) {
		if ((f = field_find(name, ev->kind)) == NULL) {
			char what[64];

			snprintf(what, sizeof(what), "unknown field for kind %s",
			    kind);
			return fail(err, errlen, name, what, NULL);
		}
		if (check_field(f, name, v, rules, ev, err, errlen) == -1)
			return -1;
	}
	for (f = fields; f->name != NULL; f++)
		if ((f->required & K(ev->kind)) &&
		    json_object_get(o, f->name) == NULL) {
			char what[64];

			snprintf(what, sizeof(what), "required for kind %s", kind);
			return fail(err, errlen, f->name, what, NULL);
		}

	ev->incident = str_member(o, "incident");
	ev->key = str_member(o, "key");
	ev->actor = str_member(o, "actor");
	ev->phase = str_member(o, "phase");
	ev->text = str_member(o, "text");
	ev->supersedes = json_integer_value(json_object_get(o, "supersedes"));
	ev->target = json_integer_value(json_object_get(o, "target"));

	/* Rules that depend on more than one field. */
	switch (ev->kind) {
	case KIND_INCIDENT:
		op = ev->op = str_member(o, "op");
		if (strcmp(op, "open") == 0) {
			if (ev->incident != NULL)
				return fail(err, errlen, "incident", "not taken by "
				    "op open (an open may bring its own code)",
				    NULL);
			if (json_object_get(o, "title") == NULL)
				return fail(err, errlen, "title",
				    "required for op open", NULL);
		} else {
			if (ev->incident == NULL)
				return fail(err, errlen, "incident", "required "
				    "for op update and close", NULL);
			if (json_object_get(o, "code") != NULL)
				return fail(err, errlen, "code",
				    "only taken by op open", NULL);
			if (json_object_get(o, "filed") != NULL &&
			    strcmp(op, "update") != 0)
				return fail(err, errlen, "filed",
				    "only taken by op update", NULL);
		}
		break;
	case KIND_IMPACT:
		op = ev->op = str_member(o, "op");
		if (strcmp(op, "start") == 0 &&
		    json_object_get(o, "label") == NULL)
			return fail(err, errlen, "label", "required for op start",
			    NULL);
		if (strcmp(op, "recover") == 0 &&
		    (json_object_get(o, "label") || json_object_get(o, "users")))
			return fail(err, errlen,
			    json_object_get(o, "label") ? "label" : "users",
			    "only taken by op start", NULL);
		break;
	case KIND_NOTE:
		sec = section_find(str_member(o, "section"));
		if (json_object_get(o, "stage") && sec->use != SECTION_CAUSE)
			return fail(err, errlen, "stage", "only taken by the "
			    "cause sections (cause.summary, cause.scale, "
			    "cause.duration)", NULL);
		if ((json_object_get(o, "due") || json_object_get(o, "done")) &&
		    sec->use != SECTION_MEASURE)
			return fail(err, errlen,
			    json_object_get(o, "due") ? "due" : "done",
			    "only taken by the measure sections "
			    "(measure.interim, measure.permanent)", NULL);
		break;
	case KIND_ALERT:
		ev->op = str_member(o, "status");
		break;
	default:
		break;
	}
	if (ev->incident == NULL && ev->kind != KIND_ALERT &&
	    !(ev->kind == KIND_INCIDENT && strcmp(ev->op, "open") == 0)) {
		char what[64];

		snprintf(what, sizeof(what), "required for kind %s", kind);
		return fail(err, errlen, "incident", what, NULL);
	}
	ev->root = json_incref(o);
	return 0;
}

int
event_decode(const char *line, size_t len, const struct event_rules *rules,
    struct sochi_event *ev, char *err, size_t errlen)
{
	json_error_t jerr;
	json_t *o;
	int rv;

	memset(ev, 0, sizeof(*ev));
	o = json_loadb(line, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr);
	if (o == NULL) {
		snprintf(err, errlen, "invalid JSON at column %d: %s",
		    jerr.column, jerr.text);
		return -1;
	}
	rv = event_decode_json(o, rules, ev, err, errlen);
	json_decref(o);
	return rv;
}

void
event_clear(struct sochi_event *ev)
{
	if (ev == NULL)
		return;
	json_decref(ev->root);
	memset(ev, 0, sizeof(*ev));
}

static int
dump_cb(const char *buf, size_t n, void *arg)
{
	return sbuf_add(arg, buf, n);
}

int
event_row_make(const struct sochi_event *ev, const char *source,
    const char *recorded_by, const char *auto_key, int64_t now_usec,
    struct event_row *row, struct sbuf *b)
{
	const char *name;
	json_t *v;
	int first = 1;

	memset(row, 0, sizeof(*row));
	row->kind = ev->kind;
	row->incident = ev->incident;
	row->at = ev->has_at ? ev->at.usec : now_usec;
	row->src = source;
	row->key = ev->key != NULL ? ev->key : auto_key;
	row->own_key = ev->key != NULL;
	row->at_given = ev->has_at;
	row->actor = ev->actor;
	row->phase = ev->phase;
	row->text = ev->text;
	row->by = recorded_by;
	row->sup = ev->supersedes;
	sbuf_truncate(b, 0);
	if (sbuf_addc(b, '{') == -1)
		return -1;
	json_object_foreach(ev->root, name, v) {
		const struct field *f = field_find(name, ev->kind);

		if (f == NULL || f->column)
			continue;
		if (sbuf_adds(b, first ? "" : ",") == -1 ||
		    sbuf_add_json_string(b, name, strlen(name)) == -1 ||
		    sbuf_addc(b, ':') == -1 ||
		    json_dump_callback(v, dump_cb, b,
		    JSON_ENCODE_ANY | JSON_COMPACT) == -1)
			return -1;
		first = 0;
	}
	if (sbuf_addc(b, '}') == -1)
		return -1;
	row->data = b->data;
	return 0;
}

int
event_row_plain(const struct event_row *row)
{
	return row->kind != KIND_INCIDENT && row->kind != KIND_RETRACT &&
	    row->incident != NULL && row->sup == 0 && row->grp == NULL &&
	    row->open == NULL && row->imp == NULL;
}

const char *
event_row_text(const struct event_row *row, enum event_row_text i)
{
	switch (i) {
	case ROW_INCIDENT: return row->incident;
	case ROW_SRC: return row->src;
	case ROW_KEY: return row->key;
	case ROW_ACTOR: return row->actor;
	case ROW_PHASE: return row->phase;
	case ROW_TEXT: return row->text;
	case ROW_BY: return row->by;
	case ROW_DATA: return row->data;
	case ROW_GRP: return row->grp;
	case ROW_OPEN: return row->open;
	case ROW_IMP: return row->imp;
	default: return NULL;
	}
}

/* Little-endian, whatever the machine: a journal outlives a process. */
static int
put_u32(struct sbuf *b, uint32_t v)
{
	unsigned char x[4] = { v, v >> 8, v >> 16, v >> 24 };

	return sbuf_add(b, x, 4);
}

static uint32_t
get_u32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

#define ROW_NULL	0xffffffffU

int
event_row_pack(const struct event_row *row, struct sbuf *b)
{
	const char *v;
	size_t len;
	int i, rv;

	rv = sbuf_addc(b, (char)row->kind) |
	    sbuf_addc(b, (char)((row->own_key ? 1 : 0) | (row->at_given ? 2 : 0))) |
	    put_u32(b, (uint32_t)(uint64_t)row->at) |
	    put_u32(b, (uint32_t)((uint64_t)row->at >> 32)) |
	    put_u32(b, (uint32_t)(uint64_t)row->sup) |
	    put_u32(b, (uint32_t)((uint64_t)row->sup >> 32));
	for (i = 0; i < ROW__COUNT; i++) {
		if ((v = event_row_text(row, (enum event_row_text)i)) == NULL) {
			rv |= put_u32(b, ROW_NULL);
			continue;
		}
		len = strlen(v);
		rv |= put_u32(b, (uint32_t)len) | sbuf_add(b, v, len + 1);
	}
	return rv != 0 ? -1 : 0;
}

size_t
event_row_unpack(const char *buf, size_t len, struct event_row *row)
{
	const unsigned char *p = (const unsigned char *)buf;
	const char *v[ROW__COUNT];
	size_t off = 18;
	uint32_t n;
	int i;

	if (len < off || p[0] >= KIND__COUNT || p[1] > 3)
		return 0;
	memset(row, 0, sizeof(*row));
	row->kind = (enum sochi_kind)p[0];
	row->own_key = p[1] & 1;
	row->at_given = (p[1] & 2) != 0;
	row->at = (int64_t)((uint64_t)get_u32(p + 2) |
	    (uint64_t)get_u32(p + 6) << 32);
	row->sup = (int64_t)((uint64_t)get_u32(p + 10) |
	    (uint64_t)get_u32(p + 14) << 32);
	for (i = 0; i < ROW__COUNT; i++) {
		if (len - off < 4)
			return 0;
		n = get_u32(p + off);
		off += 4;
		if (n == ROW_NULL) {
			v[i] = NULL;
			continue;
		}
		/* The string, its NUL, and nothing inside it. */
		if (n >= len - off || p[off + n] != '\0' ||
		    memchr(p + off, '\0', n) != NULL)
			return 0;
		v[i] = buf + off;
		off += n + 1;
	}
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
	/* Every row has these; a record without them is not one of ours. */
	if (row->src == NULL || row->key == NULL || row->data == NULL)
		return 0;
	return off;
}
