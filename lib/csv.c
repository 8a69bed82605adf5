/* SPDX-License-Identifier: MIT */
/*
 * CSV.  See csv.h.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "rfc3339.h"

int
csv_field(struct sbuf *b, const char *s, int first)
{
	if (!first && sbuf_addc(b, ',') == -1)
		return -1;
	if (s == NULL)
		return 0;
	if (strpbrk(s, ",\"\r\n") == NULL)
		return sbuf_adds(b, s);
	sbuf_addc(b, '"');
	for (; *s != '\0'; s++) {
		if (*s == '"')
			sbuf_addc(b, '"');
		sbuf_addc(b, *s);
	}
	return sbuf_addc(b, '"');
}

int
csv_end(struct sbuf *b)
{
	return sbuf_adds(b, "\r\n");
}

int
csv_row(struct sbuf *b, const char *const *fields)
{
	size_t i;

	for (i = 0; fields[i] != NULL; i++)
		if (csv_field(b, fields[i], i == 0) == -1)
			return -1;
	return csv_end(b);
}

int
csv_time(const struct zone *z, int64_t t, struct sbuf *b)
{
	struct sochi_time st;
	char buf[RFC3339_MAX];

	/* To the second, as the JSON report gives it. */
	st.usec = t - t % 1000000;
	st.offset_min = zone_offset(z, t / 1000000) / 60;
	rfc3339_format(&st, buf, sizeof(buf));
	return sbuf_adds(b, buf);
}

static const char *const timeline_header[] = { "time", "phase", "heading",
    "text", "actor", "source", "recorded_by", "event_id", "supersedes",
    "superseded_by", "retracted_by", "state", "alert_fingerprint", NULL };

/* What a row shows; strings borrowed. */
struct csv_entry {
	int64_t		 at;		/* when */
	const char	*phase;		/* phase id, or NULL */
	const char	*heading;	/* its heading, or NULL */
	const char	*text;		/* what was done */
	const char	*actor;		/* who, or NULL */
	const struct tl_event *ev;	/* the event */
	const struct tl_standing *st;	/* where it stands */
};

static void
num(struct sbuf *b, int64_t v)
{
	char buf[32];

	if (v == 0) {
		csv_field(b, NULL, 0);
		return;
	}
	snprintf(buf, sizeof(buf), "%lld", (long long)v);
	csv_field(b, buf, 0);
}

static void
entry_row(const struct tl_config *cf, const struct csv_entry *e,
    struct sbuf *b)
{
	struct sbuf t = SBUF_INIT;
	const char *fp = e->ev != NULL ? json_string_value(json_object_get(
	    e->ev->data, "fingerprint")) : NULL;

	csv_time(cf->zone, e->at, &t);
	csv_field(b, t.data, 1);
	sbuf_free(&t);
	csv_field(b, e->phase, 0);
	csv_field(b, e->heading, 0);
	csv_field(b, e->text, 0);
	csv_field(b, e->actor, 0);
	csv_field(b, e->ev != NULL ? e->ev->source : NULL, 0);
	csv_field(b, e->ev != NULL ? e->ev->recorded_by : NULL, 0);
	num(b, e->ev != NULL ? e->ev->id : 0);
	num(b, e->ev != NULL ? e->ev->supersedes : 0);
	num(b, e->st != NULL ? e->st->superseded_by : 0);
	num(b, e->st != NULL ? e->st->retracted_by : 0);
	csv_field(b, e->st == NULL ? "current" : e->st->retracted_by != 0 ?
	    "retracted" : e->st->superseded_by != 0 ? "superseded" : "current",
	    0);
	csv_field(b, fp, 0);
	csv_end(b);
}

struct id_index {
	int64_t		 id;		/* an event's id */
	size_t		 i;		/* its index in evs */
};

static int
id_order(const void *a, const void *b)
{
	const struct id_index *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

/* Events not shown, in time order, then by id. */
static int
hidden_order(const void *a, const void *b)
{
	const struct csv_entry *x = a, *y = b;

	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	return x->ev->id < y->ev->id ? -1 : x->ev->id > y->ev->id;
}

/* The heading a phase has in this incident: an entry's, else the config's. */
static const char *
heading_of(const struct timeline *tl, const struct tl_config *cf,
    const char *phase)
{
	size_t i;

	for (i = 0; phase != NULL && i < tl->nentries; i++)
		if (tl->entries[i].phase != NULL &&
		    strcmp(tl->entries[i].phase, phase) == 0)
			return tl->entries[i].heading;
	return timeline_phase_heading(cf, phase);
}

int
csv_timeline(const struct timeline *tl, const struct tl_event *evs, size_t n,
    const struct tl_config *cf, int all, struct sbuf *b)
{
	struct tl_standing *st = NULL;
	struct csv_entry *hidden = NULL, e;
	struct sbuf texts = SBUF_INIT;
	struct id_index *byid = NULL, key, *hit;
	size_t *text_at = NULL;
	size_t i, nhidden = 0, h = 0;
	int rv = -1;

	if ((st = calloc(n + 1, sizeof(*st))) == NULL ||
	    (hidden = calloc(n + 1, sizeof(*hidden))) == NULL ||
	    (text_at = calloc(n + 1, sizeof(*text_at))) == NULL ||
	    (byid = calloc(n + 1, sizeof(*byid))) == NULL ||
	    timeline_standing(evs, n, st) == -1)
		goto out;
	for (i = 0; i < n; i++)
		byid[i] = (struct id_index){ evs[i].id, i };
	if (n > 1)
		qsort(byid, n, sizeof(*byid), id_order);
	/* The alerts' texts go into one buffer: offsets, since it grows. */
	for (i = 0; all && i < n; i++) {
		const struct tl_event *ev = &evs[i];
		const char *status;

		if ((ev->kind != KIND_ACTION && ev->kind != KIND_ALERT) ||
		    (st[i].superseded_by == 0 && st[i].retracted_by == 0))
			continue;
		memset(&e, 0, sizeof(e));
		e.at = ev->at;
		e.ev = ev;
		e.st = &st[i];
		e.actor = ev->actor;
		if (ev->kind == KIND_ALERT) {
			status = json_string_value(json_object_get(ev->data,
			    "status"));
			e.phase = status == NULL || strcmp(status, "firing") ==
			    0 ? "detect" : "recover";
			text_at[nhidden] = texts.len;
			if (timeline_alert_text(ev, &texts) == -1 ||
			    sbuf_addc(&texts, '\0') == -1)
				goto out;
			if (e.actor == NULL)
				e.actor = cf->alert_actor ? cf->alert_actor :
				    "監視業務部門";
		} else {
			e.phase = ev->phase;
			e.text = ev->text;
			text_at[nhidden] = (size_t)-1;
		}
		e.heading = json_string_value(json_object_get(ev->data,
		    "heading"));
		if (e.heading == NULL)
			e.heading = heading_of(tl, cf, e.phase);
		hidden[nhidden++] = e;
	}
	for (i = 0; i < nhidden; i++)
		if (text_at[i] != (size_t)-1)
			hidden[i].text = texts.data + text_at[i];
	if (nhidden > 1)
		qsort(hidden, nhidden, sizeof(*hidden), hidden_order);

	sbuf_adds(b, CSV_BOM);
	csv_row(b, timeline_header);
	for (i = 0; i <= tl->nentries; i++) {
		const struct tl_entry *te = i < tl->nentries ? &tl->entries[i] :
		    NULL;

		/* What no longer shows goes after the entries of its time. */
		for (; h < nhidden && (te == NULL || hidden[h].at < te->at); h++)
			entry_row(cf, &hidden[h], b);
		if (te == NULL)
			break;
		memset(&e, 0, sizeof(e));
		e.at = te->at;
		e.phase = te->phase;
		e.heading = te->heading;
		e.text = te->text;
		e.actor = te->actor;
		key.id = te->id;
		if (n > 0 && (hit = bsearch(&key, byid, n, sizeof(*byid),
		    id_order)) != NULL) {
			e.ev = &evs[hit->i];
			e.st = &st[hit->i];
		}
		entry_row(cf, &e, b);
	}
	rv = 0;
out:
	sbuf_free(&texts);
	free(byid);
	free(text_at);
	free(hidden);
	free(st);
	return rv;
}
