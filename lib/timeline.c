/*
 * Timeline reconstruction.  See timeline.h for the rules.
 */
#include <stdlib.h>
#include <string.h>

#include "sections.h"
#include "timeline.h"
#include "wareki.h"

static const char *
dstr(const json_t *data, const char *k)
{
	return json_string_value(json_object_get(data, k));
}

static int64_t
dint(const json_t *data, const char *k, int64_t def)
{
	const json_t *v = json_object_get(data, k);

	return json_is_integer(v) ? (int64_t)json_integer_value(v) : def;
}

int
tl_event_from_wire(const json_t *o, int64_t id, struct tl_event *ev)
{
	struct sochi_time t;
	const char *at;

	memset(ev, 0, sizeof(*ev));
	ev->id = id;
	if (event_kind_from_name(dstr(o, "kind") ? dstr(o, "kind") : "",
	    &ev->kind) == -1)
		return -1;
	if ((at = dstr(o, "at")) == NULL || rfc3339_parse(at, &t) == -1)
		return -1;
	ev->at = t.usec;
	ev->actor = dstr(o, "actor");
	ev->phase = dstr(o, "phase");
	ev->text = dstr(o, "text");
	ev->supersedes = dint(o, "supersedes", 0);
	ev->data = o;
	return 0;
}

int
tl_incident_from_wire(const json_t *o, struct tl_incident *inc)
{
	struct sochi_time t;
	const char *at = dstr(o, "at");

	memset(inc, 0, sizeof(*inc));
	inc->code = dstr(o, "code");
	inc->title = dstr(o, "title");
	inc->service = dstr(o, "service");
	inc->category = (int)dint(o, "category", 0);
	inc->location = dstr(o, "location");
	inc->equipment = dstr(o, "equipment");
	if (at != NULL && rfc3339_parse(at, &t) == 0)
		inc->opened_at = t.usec;
	return inc->title != NULL ? 0 : -1;
}

const char *
timeline_phase_heading(const struct tl_config *cf, const char *phase)
{
	const char *h;

	if (phase == NULL)
		return NULL;
	if (cf->phases != NULL && (h = config_map_get(cf->phases, phase)) != NULL)
		return h;
	return phase;
}

static int
by_time(const void *a, const void *b)
{
	const struct tl_event *x = *(const struct tl_event *const *)a;
	const struct tl_event *y = *(const struct tl_event *const *)b;

	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

static int
has_id(const int64_t *ids, size_t n, int64_t id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (ids[i] == id)
			return 1;
	return 0;
}

static const char *
own(struct timeline *tl, struct sbuf *b)
{
	char **p = realloc(tl->owned, (tl->nowned + 1) * sizeof(*p));

	if (p == NULL)
		return NULL;
	tl->owned = p;
	p[tl->nowned] = sbuf_steal(b);
	return p[tl->nowned++];
}

#define GROW(arr, n)	do {						\
	void *grow_p_ = realloc((arr), ((n) + 1) * sizeof(*(arr)));	\
	if (grow_p_ == NULL)						\
		goto oom;						\
	(arr) = grow_p_;						\
} while (0)

/* An alert's entry: StorageDown（storage-a）：summary を検知. */
static const char *
alert_text(struct timeline *tl, const struct tl_event *ev, int firing)
{
	const json_t *labels = json_object_get(ev->data, "labels");
	const json_t *ann = json_object_get(ev->data, "annotations");
	const char *inst = dstr(labels, "instance");
	const char *sum = dstr(ann, "summary");
	struct sbuf b = SBUF_INIT;

	if (sum == NULL)
		sum = dstr(ann, "description");
	sbuf_adds(&b, dstr(ev->data, "name") ? dstr(ev->data, "name") : "alert");
	if (inst != NULL)
		sbuf_printf(&b, "（%s）", inst);
	if (sum != NULL)
		sbuf_printf(&b, "：%s", sum);
	sbuf_adds(&b, firing ? " を検知" : " の解消を確認");
	return own(tl, &b);
}

static int
note_order(const void *a, const void *b)
{
	const struct tl_note *x = a, *y = b;
	const struct section *s;
	int ix = 1000, iy = 1000, i;

	for (s = sections, i = 0; s->id != NULL; s++, i++) {
		if (strcmp(s->id, x->section) == 0)
			ix = i;
		if (strcmp(s->id, y->section) == 0)
			iy = i;
	}
	if (ix != iy)
		return ix < iy ? -1 : 1;
	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

static int
by_sample(const void *a, const void *b)
{
	const struct tl_sample *x = a, *y = b;

	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

static int
impact_order(const void *a, const void *b)
{
	const struct tl_impact *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->start_id < y->start_id ? -1 : x->start_id > y->start_id;
}

static void
count_set(struct tl_count **arr, size_t *n, const char *key,
    const struct tl_event *ev, int64_t count, int *oom)
{
	struct tl_count *p;
	size_t i;

	for (i = 0; i < *n; i++)
		if (strcmp((*arr)[i].key, key) == 0) {
			/* Events come in time order: the later sample wins. */
			(*arr)[i].count = count;
			(*arr)[i].at = ev->at;
			(*arr)[i].id = ev->id;
			return;
		}
	if ((p = realloc(*arr, (*n + 1) * sizeof(*p))) == NULL) {
		*oom = 1;
		return;
	}
	*arr = p;
	p[*n] = (struct tl_count){ key, count, ev->at, ev->id };
	(*n)++;
}

int
timeline_build(const struct tl_incident *inc, const struct tl_event *evs,
    size_t n, const struct tl_config *cf, int64_t now, struct timeline *tl)
{
	const struct tl_event **live = NULL;
	int64_t *retracted = NULL, *superseded = NULL;
	size_t nret = 0, nsup = 0, nlive = 0, i, j;
	const char *prev_phase = NULL;
	int oom = 0;

	memset(tl, 0, sizeof(*tl));
	tl->incident = inc;
	tl->now = now;
	tl->users.max = tl->users.total = -1;
	tl->inquiries.total = -1;

	/* Retractions first: a retracted correction corrects nothing. */
	if ((retracted = calloc(n + 1, sizeof(*retracted))) == NULL ||
	    (superseded = calloc(n + 1, sizeof(*superseded))) == NULL ||
	    (live = calloc(n + 1, sizeof(*live))) == NULL)
		goto oom;
	for (i = 0; i < n; i++)
		if (evs[i].kind == KIND_RETRACT)
			retracted[nret++] = dint(evs[i].data, "target", 0);
	for (i = 0; i < n; i++)
		if (evs[i].supersedes > 0 && !has_id(retracted, nret, evs[i].id))
			superseded[nsup++] = evs[i].supersedes;
	for (i = 0; i < n; i++)
		if (evs[i].kind != KIND_RETRACT &&
		    !has_id(retracted, nret, evs[i].id) &&
		    !has_id(superseded, nsup, evs[i].id))
			live[nlive++] = &evs[i];
	if (nlive > 1)
		qsort(live, nlive, sizeof(*live), by_time);

	for (i = 0; i < nlive; i++) {
		const struct tl_event *ev = live[i];
		const json_t *d = ev->data;
		const char *op = dstr(d, "op"), *s;

		switch (ev->kind) {
		case KIND_ACTION:
		case KIND_ALERT: {
			struct tl_entry *e;
			int firing = 1;

			GROW(tl->entries, tl->nentries);
			e = &tl->entries[tl->nentries++];
			e->at = ev->at;
			e->id = ev->id;
			e->actor = ev->actor;
			if (ev->kind == KIND_ALERT) {
				firing = dstr(d, "status") == NULL ||
				    strcmp(dstr(d, "status"), "firing") == 0;
				e->phase = firing ? "detect" : "recover";
				e->text = alert_text(tl, ev, firing);
				if (e->text == NULL)
					goto oom;
				if (e->actor == NULL)
					e->actor = cf->alert_actor ?
					    cf->alert_actor : "監視業務部門";
			} else {
				e->phase = ev->phase ? ev->phase : prev_phase;
				e->text = ev->text;
			}
			prev_phase = e->phase;
			break;
		}
		case KIND_IMPACT: {
			const char *name = dstr(d, "name"), *fp;
			struct tl_impact *im = NULL;

			if (name == NULL || op == NULL)
				break;
			/* The open impact of that name, if any. */
			for (j = tl->nimpacts; j > 0; j--)
				if (strcmp(tl->impacts[j - 1].name, name) == 0) {
					im = &tl->impacts[j - 1];
					break;
				}
			fp = dstr(d, "alert");
			if (fp != NULL && im != NULL && im->recover_id == 0 &&
			    im->nholders > 0) {
				/* Alerts share an impact: count who holds it. */
				for (j = 0; j < (size_t)im->nholders; j++)
					if (strcmp(im->holders[j], fp) == 0)
						break;
				if (strcmp(op, "start") == 0) {
					if (j == (size_t)im->nholders &&
					    im->nholders < 16)
						im->holders[im->nholders++] = fp;
					break;
				}
				if (j < (size_t)im->nholders)
					im->holders[j] =
					    im->holders[--im->nholders];
				if (im->nholders > 0)
					break;
				im->recovered = ev->at;
				im->recover_id = ev->id;
				break;
			}
			if (strcmp(op, "start") == 0) {
				if (im != NULL && im->recover_id == 0) {
					/* Already open: ignored, and lint says so. */
					GROW(tl->dup_starts, tl->ndup_starts);
					tl->dup_starts[tl->ndup_starts++] = ev->id;
					break;
				}
				GROW(tl->impacts, tl->nimpacts);
				im = &tl->impacts[tl->nimpacts++];
				memset(im, 0, sizeof(*im));
				im->name = name;
				im->label = dstr(d, "label");
				im->start = ev->at;
				im->start_id = ev->id;
				im->users = dint(d, "users", -1);
				if (fp != NULL)
					im->holders[im->nholders++] = fp;
				if (im->users >= 0) {
					GROW(tl->users.samples, tl->users.n);
					tl->users.samples[tl->users.n++] =
					    (struct tl_sample){ ev->at, im->users,
					    ev->id };
				}
			} else if (im != NULL && im->recover_id == 0) {
				im->recovered = ev->at;
				im->recover_id = ev->id;
			} else {
				/* A recovery with nothing open: keep it for lint. */
				GROW(tl->impacts, tl->nimpacts);
				im = &tl->impacts[tl->nimpacts++];
				memset(im, 0, sizeof(*im));
				im->name = name;
				im->label = NULL;
				im->start = ev->at;
				im->recovered = ev->at;
				im->recover_id = ev->id;
				im->users = -1;
			}
			break;
		}
		case KIND_USERS: {
			struct tl_users *u = &tl->users;

			GROW(u->samples, u->n);
			u->samples[u->n++] = (struct tl_sample){ ev->at,
			    dint(d, "count", 0), ev->id };
			if (json_object_get(d, "total") != NULL) {
				u->total = dint(d, "total", -1);
				u->total_id = ev->id;
				u->total_at = ev->at;
			}
			if ((s = dstr(d, "basis")) != NULL) {
				u->basis = s;
				u->basis_id = ev->id;
			}
			if ((s = dstr(d, "region")) != NULL) {
				u->region = s;
				u->region_id = ev->id;
			}
			break;
		}
		case KIND_NOTICE: {
			struct tl_notice *no;
			int k = 0;

			GROW(tl->notices, tl->nnotices);
			no = &tl->notices[tl->nnotices];
			no->channel = dstr(d, "channel") ? dstr(d, "channel") :
			    "other";
			for (j = 0; j < tl->nnotices; j++)
				if (strcmp(tl->notices[j].channel, no->channel) == 0)
					k++;
			no->no = k + 1;
			no->text = ev->text;
			no->at = ev->at;
			no->id = ev->id;
			tl->nnotices++;
			break;
		}
		case KIND_INQUIRY:
			if ((s = dstr(d, "topic")) != NULL)
				count_set(&tl->inquiries.topics,
				    &tl->inquiries.ntopics, s, ev,
				    dint(d, "count", 0), &oom);
			else
				count_set(&tl->inquiries.channels,
				    &tl->inquiries.nchannels,
				    dstr(d, "channel") ? dstr(d, "channel") :
				    "other", ev, dint(d, "count", 0), &oom);
			if (oom)
				goto oom;
			break;
		case KIND_NOTE: {
			const struct section *sec;
			struct tl_note *no = NULL;

			if ((s = dstr(d, "section")) == NULL)
				break;
			sec = section_find(s);
			/* Plain sections keep their latest note; others add up. */
			if (sec == NULL || sec->use == SECTION_PLAIN)
				for (j = 0; j < tl->nnotes; j++)
					if (strcmp(tl->notes[j].section, s) == 0)
						no = &tl->notes[j];
			if (no == NULL) {
				GROW(tl->notes, tl->nnotes);
				no = &tl->notes[tl->nnotes++];
			}
			no->section = s;
			no->text = ev->text;
			no->stage = dstr(d, "stage");
			no->due = dstr(d, "due");
			no->done = dstr(d, "done");
			no->at = ev->at;
			no->id = ev->id;
			break;
		}
		default:
			break;
		}
	}

	/*
	 * Phase headings: an action may rename its phase for this incident;
	 * the latest such action of each phase wins.  One pass over the
	 * actions, then one over the entries.
	 */
	{
		const char *ph[32], *hd[32];
		size_t nph = 0, k;

		for (j = 0; j < nlive; j++) {
			const char *h = live[j]->kind == KIND_ACTION ?
			    dstr(live[j]->data, "heading") : NULL;

			if (h == NULL || live[j]->phase == NULL)
				continue;
			for (k = 0; k < nph; k++)
				if (strcmp(ph[k], live[j]->phase) == 0)
					break;
			if (k == nph && nph < 32)
				ph[nph++] = live[j]->phase;
			if (k < 32)
				hd[k] = h;
		}
		for (i = 0; i < tl->nentries; i++) {
			struct tl_entry *e = &tl->entries[i];
			const char *h = NULL;

			for (k = 0; e->phase != NULL && k < nph; k++)
				if (strcmp(ph[k], e->phase) == 0)
					h = hd[k];
			e->heading = h != NULL ? h :
			    timeline_phase_heading(cf, e->phase);
		}
	}

	/* Impacts: numbered by start; 発生 is the first start. */
	/* Never qsort(NULL, 0, ...): glibc declares the array nonnull. */
	if (tl->nimpacts > 1)
		qsort(tl->impacts, tl->nimpacts, sizeof(*tl->impacts),
		    impact_order);
	tl->all_recovered = tl->nimpacts > 0;
	for (i = 0; i < tl->nimpacts; i++) {
		struct tl_impact *im = &tl->impacts[i];

		im->no = (int)i + 1;
		if (im->recover_id == 0) {
			im->provisional = 1;
			im->duration = now > im->start ? now - im->start : 0;
			tl->all_recovered = 0;
		} else {
			im->duration = im->recovered - im->start;
			if (im->recovered > tl->recovered)
				tl->recovered = im->recovered;
		}
		if (im->start_id != 0 && (tl->occurred_id == 0 ||
		    im->start < tl->occurred)) {
			tl->occurred = im->start;
			tl->occurred_id = im->start_id;
		}
		if (im->start_id != 0 && im->duration > tl->longest) {
			tl->longest = im->duration;
			tl->longest_id = im->start_id;
		}
	}
	if (!tl->all_recovered)
		tl->recovered = 0;

	/* The affected users: the most at any time. */
	for (i = 0; i < tl->users.n; i++)
		if (tl->users.samples[i].count > tl->users.max) {
			tl->users.max = tl->users.samples[i].count;
			tl->users.max_id = tl->users.samples[i].id;
		}
	if (tl->users.n > 1)
		qsort(tl->users.samples, tl->users.n, sizeof(struct tl_sample),
		    by_sample);

	/* Inquiries: the channels add up to the total, as of the latest. */
	if (tl->inquiries.nchannels > 0) {
		tl->inquiries.total = 0;
		for (i = 0; i < tl->inquiries.nchannels; i++) {
			tl->inquiries.total += tl->inquiries.channels[i].count;
			if (tl->inquiries.channels[i].at > tl->inquiries.as_of)
				tl->inquiries.as_of =
				    tl->inquiries.channels[i].at;
		}
	}
	if (tl->nnotes > 1)
		qsort(tl->notes, tl->nnotes, sizeof(*tl->notes), note_order);

	/* Detection and identification: the first entries of those phases. */
	for (i = 0; i < tl->nentries; i++) {
		const struct tl_entry *e = &tl->entries[i];

		if (e->phase == NULL)
			continue;
		if (tl->detected_id == 0 && strcmp(e->phase, "detect") == 0) {
			tl->detected = e->at;
			tl->detected_id = e->id;
		}
		if (tl->identified_id == 0 && strcmp(e->phase, "identify") == 0) {
			tl->identified = e->at;
			tl->identified_id = e->id;
		}
	}

	/* The intervals from 発生: to detection, identification, each recovery. */
	tl->to_detect = tl->detected_id && tl->occurred_id ?
	    tl->detected - tl->occurred : -1;
	tl->to_identify = tl->identified_id && tl->occurred_id ?
	    tl->identified - tl->occurred : -1;
	for (i = 0; i < tl->nimpacts; i++)
		tl->impacts[i].since_occurred = tl->impacts[i].recover_id != 0 &&
		    tl->occurred_id != 0 ? tl->impacts[i].recovered -
		    tl->occurred : -1;

	/* Classification, by the table in force on 発生日. */
	if (tl->occurred_id != 0) {
		struct local_time lt;

		zone_local(cf->zone, tl->occurred, &lt);
		tl->occurred_date = (struct reg_date){ lt.year, lt.month,
		    lt.day };
		if (inc != NULL && inc->category >= 1 &&
		    reg_classify(tl->occurred_date, inc->category, tl->longest,
		    tl->users.max < 0 ? 0 : tl->users.max, inc->key_facility,
		    &tl->reg) == 0)
			tl->classified = 1;
	}
	free(live);
	free(retracted);
	free(superseded);
	return 0;
oom:
	free(live);
	free(retracted);
	free(superseded);
	timeline_free(tl);
	return -1;
}

void
timeline_free(struct timeline *tl)
{
	size_t i;

	if (tl == NULL)
		return;
	for (i = 0; i < tl->nowned; i++)
		free(tl->owned[i]);
	free(tl->owned);
	free(tl->impacts);
	free(tl->dup_starts);
	free(tl->entries);
	free(tl->users.samples);
	free(tl->notices);
	free(tl->inquiries.channels);
	free(tl->inquiries.topics);
	free(tl->notes);
	memset(tl, 0, sizeof(*tl));
}

const struct tl_note *
timeline_notes(const struct timeline *tl, const char *section, size_t *count)
{
	const struct tl_note *first = NULL;
	size_t i;

	*count = 0;
	for (i = 0; i < tl->nnotes; i++)
		if (strcmp(tl->notes[i].section, section) == 0) {
			if (first == NULL)
				first = &tl->notes[i];
			(*count)++;
		}
	return first;
}
