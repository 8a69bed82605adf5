/* SPDX-License-Identifier: MIT */
/*
 * Timeline reconstruction.  See timeline.h for the rules.
 */
#include <stdint.h>
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

/*
 * Room for one more after n elements of size bytes: the array doubles
 * when n reaches a power of two (its capacity is implied by n, which grows
 * by one after each call), so that n appends copy O(n) bytes, not O(n²).
 * A realloc by one element that cannot grow in place copies the whole
 * array, and under AddressSanitizer it never grows in place: the drafter
 * took over a minute there to build the timeline of 10,000 events.
 */
static void *
grow(void *arr, size_t n, size_t size)
{
	if (n != 0 && (n & (n - 1)) != 0)
		return arr;
	return realloc(arr, (n == 0 ? 1 : 2 * n) * size);
}

static const char *
own(struct timeline *tl, struct sbuf *b)
{
	char **p = grow(tl->owned, tl->nowned, sizeof(*p));

	if (p == NULL)
		return NULL;
	tl->owned = p;
	p[tl->nowned] = sbuf_steal(b);
	return p[tl->nowned++];
}

#define GROW(arr, n)	do {						\
	void *grow_p_ = grow((arr), (n), sizeof(*(arr)));		\
	if (grow_p_ == NULL)						\
		goto oom;						\
	(arr) = grow_p_;						\
} while (0)

int
timeline_alert_text(const struct tl_event *ev, struct sbuf *b)
{
	const json_t *labels = json_object_get(ev->data, "labels");
	const json_t *ann = json_object_get(ev->data, "annotations");
	const char *inst = dstr(labels, "instance");
	const char *sum = dstr(ann, "summary");
	const char *status = dstr(ev->data, "status");

	if (sum == NULL)
		sum = dstr(ann, "description");
	sbuf_adds(b, dstr(ev->data, "name") ? dstr(ev->data, "name") : "alert");
	if (inst != NULL)
		sbuf_printf(b, "（%s）", inst);
	if (sum != NULL)
		sbuf_printf(b, "：%s", sum);
	return sbuf_adds(b, status == NULL || strcmp(status, "firing") == 0 ?
	    " を検知" : " の解消を確認");
}

/* An alert's entry, kept by the model. */
static const char *
alert_text(struct timeline *tl, const struct tl_event *ev)
{
	struct sbuf b = SBUF_INIT;

	if (timeline_alert_text(ev, &b) == -1) {
		sbuf_free(&b);
		return NULL;
	}
	return own(tl, &b);
}

#define NONE	((size_t)-1)

/*
 * The content of an event: everything but its id, its idempotency key, its
 * incident, its time and what it corrects.  Events of one instant are
 * ordered by it, so that neither ids nor arrival decide anything.
 */
static const char *const not_content[] = { "_id", "_recorded", "key",
    "supersedes", "incident", "at", "kind", "actor", "phase", "text", NULL };

static char *
content_key(const struct tl_event *ev)
{
	json_t *data = (json_t *)(uintptr_t)ev->data, *o = json_object(), *v;
	const char *k, *const *nc;
	struct sbuf b = SBUF_INIT;
	char *d;

	json_object_foreach(data, k, v) {
		for (nc = not_content; *nc != NULL; nc++)
			if (strcmp(*nc, k) == 0)
				break;
		if (*nc == NULL)
			json_object_set(o, k, v);
	}
	d = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(o);
	/* \002 stands for a missing field, so that it differs from "". */
	sbuf_printf(&b, "%s\001%s\001%s\001%s\001%s", event_kind_name(ev->kind),
	    ev->phase ? ev->phase : "\002", ev->actor ? ev->actor : "\002",
	    ev->text ? ev->text : "\002", d ? d : "");
	free(d);
	return sbuf_steal(&b);
}

/* An event with what ordering it needs, its content made when a tie asks. */
struct item {
	const struct tl_event *ev;	/* the event */
	int		 rank;		/* kind and op at one instant */
	int		 phase_ix;	/* an entry's phase in the configured order */
	int64_t		 count;		/* users and inquiries: the count */
	char		*key;		/* content_key, or NULL until needed */
};

static const char *
item_key(struct item *it)
{
	if (it->key == NULL)
		it->key = content_key(it->ev);
	return it->key != NULL ? it->key : "";
}

/* Identical in everything but ids: the later recorded, then the id. */
static int
last_resort(const struct tl_event *x, const struct tl_event *y)
{
	if (x->recorded != y->recorded)
		return x->recorded < y->recorded ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

static int
item_order(const void *a, const void *b)
{
	struct item *x = *(struct item *const *)a, *y = *(struct item *const *)b;
	int c;

	if (x->ev->at != y->ev->at)
		return x->ev->at < y->ev->at ? -1 : 1;
	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	if (x->phase_ix != y->phase_ix)
		return x->phase_ix < y->phase_ix ? -1 : 1;
	/* A cumulative count: the larger is the later at one instant. */
	if (x->count != y->count)
		return x->count < y->count ? -1 : 1;
	if ((c = strcmp(item_key(x), item_key(y))) != 0)
		return c;
	return last_resort(x->ev, y->ev);
}

/* Impacts of one name together, each name's events in item order. */
static int
impact_item_order(const void *a, const void *b)
{
	struct item *x = *(struct item *const *)a, *y = *(struct item *const *)b;
	const char *nx = dstr(x->ev->data, "name"), *ny = dstr(y->ev->data,
	    "name");
	int c = strcmp(nx ? nx : "", ny ? ny : "");

	return c != 0 ? c : item_order(a, b);
}

static int
phase_index(const struct tl_config *cf, const char *phase)
{
	size_t i;

	if (phase == NULL)
		return 1000;
	for (i = 0; cf->phases != NULL && i < cf->phases->n; i++)
		if (strcmp(cf->phases->pairs[i].name, phase) == 0)
			return (int)i;
	return 999;
}

static void
item_init(struct item *it, const struct tl_event *ev,
    const struct tl_config *cf)
{
	const char *op = dstr(ev->data, "op"), *st;

	memset(it, 0, sizeof(*it));
	it->ev = ev;
	if (ev->kind == KIND_IMPACT)
		/* At one instant a recovery closes before a start opens. */
		it->rank = op != NULL && strcmp(op, "recover") == 0 ? 0 : 1;
	else
		it->rank = 2 + (int)ev->kind;
	if (ev->kind == KIND_ACTION)
		it->phase_ix = phase_index(cf, ev->phase);
	else if (ev->kind == KIND_ALERT) {
		st = dstr(ev->data, "status");
		it->phase_ix = phase_index(cf, st == NULL ||
		    strcmp(st, "firing") == 0 ? "detect" : "recover");
	}
	if (ev->kind == KIND_USERS || ev->kind == KIND_INQUIRY)
		it->count = dint(ev->data, "count", 0);
}

/*
 * Versions.  Each event is one link of a chain of corrections; slot is the
 * event it takes the place of (what it corrects, or, when that is
 * retracted, what that corrected, ...).  Among the events that take one
 * slot the later-recorded stands.
 */
struct vnode {
	size_t		 parent;	/* what it corrects, or NONE */
	size_t		 slot;		/* the place it takes, or NONE: a root */
	size_t		 chosen;	/* the event that stands in its place */
	int		 retracted;	/* a retraction names it */
};

struct versions {
	const struct tl_event *evs;	/* the events */
	size_t		 n;
	struct vnode	*v;		/* one per event */
	size_t		*byid;		/* indexes sorted by id */
	char		**keys;		/* content keys, made when needed */
};

static const struct tl_event *sort_evs;	/* for by_id: qsort has no context */

static int
by_id(const void *a, const void *b)
{
	int64_t x = sort_evs[*(const size_t *)a].id;
	int64_t y = sort_evs[*(const size_t *)b].id;

	return x < y ? -1 : x > y;
}

static size_t
find_id(const struct versions *vs, int64_t id)
{
	size_t lo = 0, hi = vs->n, mid;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (vs->evs[vs->byid[mid]].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < vs->n && vs->evs[vs->byid[lo]].id == id ? vs->byid[lo] :
	    NONE;
}

static const char *
vkey(struct versions *vs, size_t i)
{
	if (vs->keys[i] == NULL)
		vs->keys[i] = content_key(&vs->evs[i]);
	return vs->keys[i] != NULL ? vs->keys[i] : "";
}

/* The one of two corrections of a slot that stands: the later recorded. */
static size_t
later(struct versions *vs, size_t a, size_t b)
{
	const struct tl_event *x = &vs->evs[a], *y = &vs->evs[b];
	int c;

	if (x->recorded != y->recorded)
		return x->recorded > y->recorded ? a : b;
	/* Recorded in one transaction: decided by content, then id. */
	if ((c = strcmp(vkey(vs, a), vkey(vs, b))) != 0)
		return c > 0 ? a : b;
	return x->id > y->id ? a : b;
}

static void
versions_free(struct versions *vs)
{
	size_t i;

	for (i = 0; vs->keys != NULL && i < vs->n; i++)
		free(vs->keys[i]);
	free(vs->keys);
	free(vs->byid);
	free(vs->v);
	memset(vs, 0, sizeof(*vs));
}

static int
versions_build(const struct tl_event *evs, size_t n, struct versions *vs)
{
	size_t i, p, steps;

	memset(vs, 0, sizeof(*vs));
	vs->evs = evs;
	vs->n = n;
	if ((vs->v = calloc(n + 1, sizeof(*vs->v))) == NULL ||
	    (vs->byid = calloc(n + 1, sizeof(*vs->byid))) == NULL ||
	    (vs->keys = calloc(n + 1, sizeof(*vs->keys))) == NULL) {
		versions_free(vs);
		return -1;
	}
	for (i = 0; i < n; i++) {
		vs->byid[i] = i;
		vs->v[i] = (struct vnode){ NONE, NONE, NONE, 0 };
	}
	sort_evs = evs;
	if (n > 1)
		qsort(vs->byid, n, sizeof(*vs->byid), by_id);
	for (i = 0; i < n; i++)
		if (evs[i].kind == KIND_RETRACT &&
		    (p = find_id(vs, dint(evs[i].data, "target", 0))) != NONE &&
		    evs[p].kind != KIND_RETRACT)
			vs->v[p].retracted = 1;
	for (i = 0; i < n; i++)
		if (evs[i].kind != KIND_RETRACT && evs[i].supersedes > 0 &&
		    (p = find_id(vs, evs[i].supersedes)) != NONE && p != i &&
		    evs[p].kind != KIND_RETRACT)
			vs->v[i].parent = p;
	/* Slots: the nearest ancestor not retracted, else the topmost. */
	for (i = 0; i < n; i++) {
		if (evs[i].kind == KIND_RETRACT || vs->v[i].retracted ||
		    (p = vs->v[i].parent) == NONE)
			continue;
		for (steps = 0; vs->v[p].retracted && vs->v[p].parent != NONE &&
		    steps < n; steps++)
			p = vs->v[p].parent;
		if (steps >= n)
			continue;	/* a cycle: no such log exists */
		vs->v[i].slot = p;
		vs->v[p].chosen = vs->v[p].chosen == NONE ? i :
		    later(vs, vs->v[p].chosen, i);
	}
	return 0;
}

/* The current version of the chain a head (root or slot winner) starts. */
static size_t
follow(const struct versions *vs, size_t i)
{
	size_t steps;

	for (steps = 0; vs->v[i].chosen != NONE && steps < vs->n; steps++)
		i = vs->v[i].chosen;
	return i;
}

/* The current versions: one per chain whose versions are not all retracted. */
static size_t
versions_live(const struct versions *vs, const struct tl_event **live)
{
	size_t i, p, n = 0;

	for (i = 0; i < vs->n; i++) {
		if (vs->evs[i].kind == KIND_RETRACT || vs->v[i].retracted)
			continue;
		p = vs->v[i].slot;
		/* A head: a root, or what stands in a retracted root's place. */
		if (p == NONE || (vs->v[p].retracted && vs->v[p].chosen == i))
			live[n++] = &vs->evs[follow(vs, i)];
	}
	return n;
}

int64_t
timeline_current_version(const struct tl_event *evs, size_t n, int64_t id)
{
	struct versions vs;
	size_t i, steps;
	int64_t rv;

	if (versions_build(evs, n, &vs) == -1)
		return -1;
	if ((i = find_id(&vs, id)) == NONE || evs[i].kind == KIND_RETRACT) {
		versions_free(&vs);
		return -1;
	}
	/* The top of its chain, then down the versions that stand. */
	for (steps = 0; vs.v[i].parent != NONE && steps < n; steps++)
		i = vs.v[i].parent;
	if (vs.v[i].retracted)
		i = vs.v[i].chosen;
	rv = i == NONE ? 0 : evs[follow(&vs, i)].id;
	versions_free(&vs);
	return rv;
}

int
timeline_standing(const struct tl_event *evs, size_t n, struct tl_standing *st)
{
	struct versions vs;
	size_t i, p;

	memset(st, 0, n * sizeof(*st));
	if (versions_build(evs, n, &vs) == -1)
		return -1;
	for (i = 0; i < n; i++) {
		if (evs[i].kind == KIND_RETRACT) {
			p = find_id(&vs, dint(evs[i].data, "target", 0));
			if (p != NONE && evs[p].kind != KIND_RETRACT &&
			    (st[p].retracted_by == 0 ||
			    evs[i].id < st[p].retracted_by))
				st[p].retracted_by = evs[i].id;
			continue;
		}
		if (vs.v[i].chosen != NONE)
			st[i].superseded_by = evs[vs.v[i].chosen].id;
		else if (!vs.v[i].retracted && (p = vs.v[i].slot) != NONE &&
		    vs.v[p].chosen != NONE && vs.v[p].chosen != i)
			/* A correction that lost: the one that stands. */
			st[i].superseded_by = evs[vs.v[p].chosen].id;
	}
	versions_free(&vs);
	return 0;
}

static int
conflict_order(const void *a, const void *b)
{
	const struct tl_conflict *x = a, *y = b;

	/* By the events' times is not enough to be stable: use all three. */
	if (x->target != y->target)
		return x->target < y->target ? -1 : 1;
	return x->lost < y->lost ? -1 : x->lost > y->lost;
}

/* Corrections that lost their slot to a later-recorded one, for lint. */
static int
versions_conflicts(const struct versions *vs, struct timeline *tl)
{
	size_t i, p;

	for (i = 0; i < vs->n; i++) {
		if (vs->evs[i].kind == KIND_RETRACT || vs->v[i].retracted ||
		    (p = vs->v[i].slot) == NONE || vs->v[p].chosen == i)
			continue;
		GROW(tl->conflicts, tl->nconflicts);
		tl->conflicts[tl->nconflicts++] = (struct tl_conflict){
		    vs->evs[p].id, vs->evs[vs->v[p].chosen].id, vs->evs[i].id };
	}
	if (tl->nconflicts > 1)
		qsort(tl->conflicts, tl->nconflicts, sizeof(*tl->conflicts),
		    conflict_order);
	return 0;
oom:
	return -1;
}

static int
stage_rank(const char *stage)
{
	static const char *const stages[] = { "設計", "工事", "維持・運用", NULL };
	int i;

	for (i = 0; stage != NULL && stages[i] != NULL; i++)
		if (strcmp(stages[i], stage) == 0)
			return i;
	return 3;
}

static int
note_order(const void *a, const void *b)
{
	const struct tl_note *x = a, *y = b;
	const struct section *s;
	int ix = 1000, iy = 1000, i, c;

	for (s = sections, i = 0; s->id != NULL; s++, i++) {
		if (strcmp(s->id, x->section) == 0)
			ix = i;
		if (strcmp(s->id, y->section) == 0)
			iy = i;
	}
	if (ix != iy)
		return ix < iy ? -1 : 1;
	if ((c = strcmp(x->section, y->section)) != 0)
		return c;
	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	/*
	 * Written at one time: causes in the order of the management process
	 * (設計, 工事, 維持・運用), measures by the day they are done or due.
	 */
	if ((c = stage_rank(x->stage) - stage_rank(y->stage)) != 0)
		return c;
	if ((c = strcmp(x->done ? x->done : x->due ? x->due : "9999",
	    y->done ? y->done : y->due ? y->due : "9999")) != 0)
		return c;
	if ((c = strcmp(x->text ? x->text : "", y->text ? y->text : "")) != 0)
		return c;
	return x->id < y->id ? -1 : x->id > y->id;
}

static int
by_sample(const void *a, const void *b)
{
	const struct tl_sample *x = a, *y = b;
	int c;

	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	if (x->count != y->count)
		return x->count < y->count ? -1 : 1;
	if ((c = strcmp(x->impact ? x->impact : "", y->impact ? y->impact :
	    "")) != 0)
		return c;
	return x->id < y->id ? -1 : x->id > y->id;
}

static int
impact_order(const void *a, const void *b)
{
	const struct tl_impact *x = a, *y = b;
	int c;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	/* A lone recovery after the impacts that start then. */
	if ((x->start_id == 0) != (y->start_id == 0))
		return x->start_id == 0 ? 1 : -1;
	if ((c = strcmp(x->name, y->name)) != 0)
		return c;
	if (x->recovered != y->recovered)
		return x->recovered < y->recovered ? -1 : 1;
	return x->start_id < y->start_id ? -1 : x->start_id > y->start_id;
}

/* Channels in the wire format's order: phone, mail, other. */
static int
channel_order(const void *a, const void *b)
{
	static const char *const order[] = { "phone", "mail", "other", NULL };
	const struct tl_count *x = a, *y = b;
	int ix = 3, iy = 3, i;

	for (i = 0; order[i] != NULL; i++) {
		if (strcmp(order[i], x->key) == 0)
			ix = i;
		if (strcmp(order[i], y->key) == 0)
			iy = i;
	}
	return ix != iy ? (ix < iy ? -1 : 1) : strcmp(x->key, y->key);
}

/* 主な問い合わせ内容: the most asked first. */
static int
topic_order(const void *a, const void *b)
{
	const struct tl_count *x = a, *y = b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp(x->key, y->key);
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
	if ((p = grow(*arr, *n, sizeof(*p))) == NULL) {
		*oom = 1;
		return;
	}
	*arr = p;
	p[*n] = (struct tl_count){ key, count, ev->at, ev->id };
	(*n)++;
}

static struct tl_impact *
impact_new(struct timeline *tl)
{
	struct tl_impact *p = grow(tl->impacts, tl->nimpacts, sizeof(*p)),
	    *im;

	if (p == NULL)
		return NULL;
	tl->impacts = p;
	im = &p[tl->nimpacts++];
	memset(im, 0, sizeof(*im));
	im->users = im->own_users = im->cls_users = -1;
	return im;
}

/* A recovery of a running impact: the last alert holding it lets go. */
static void
impact_recover(struct tl_impact *im, const struct tl_event *ev)
{
	const char *fp = dstr(ev->data, "alert");
	int j;

	if (fp != NULL && im->nholders > 0) {
		for (j = 0; j < im->nholders; j++)
			if (strcmp(im->holders[j], fp) == 0)
				break;
		if (j < im->nholders)
			im->holders[j] = im->holders[--im->nholders];
		if (im->nholders > 0)
			return;
	}
	im->recovered = ev->at;
	im->recover_id = ev->id;
}

/*
 * One impact name's events, in order.  At each instant the recoveries come
 * first and close the running impact; a start then opens the next; a
 * recovery that found nothing running closes what that start opened, or is
 * kept for lint.
 */
static int
impact_name(struct timeline *tl, struct item **its, size_t n)
{
	struct tl_impact *open = NULL, *im;
	size_t i, j, k, nlate;
	const struct tl_event *late[64];

	for (i = 0; i < n; i = j) {
		for (j = i; j < n && its[j]->ev->at == its[i]->ev->at; j++)
			;
		nlate = 0;
		for (k = i; k < j && its[k]->rank == 0; k++) {
			if (open != NULL) {
				impact_recover(open, its[k]->ev);
				if (open->recover_id != 0)
					open = NULL;
			} else if (nlate < 64)
				late[nlate++] = its[k]->ev;
		}
		for (; k < j; k++) {
			const struct tl_event *ev = its[k]->ev;
			const json_t *d = ev->data;
			const char *fp = dstr(d, "alert");

			if (open != NULL) {
				int h;

				if (fp != NULL && open->nholders > 0) {
					/* Alerts share an impact: count who holds it. */
					for (h = 0; h < open->nholders; h++)
						if (strcmp(open->holders[h], fp) == 0)
							break;
					if (h == open->nholders && h < 16)
						open->holders[open->nholders++] = fp;
					continue;
				}
				/* Already open: ignored, and lint says so. */
				GROW(tl->dup_starts, tl->ndup_starts);
				tl->dup_starts[tl->ndup_starts++] = ev->id;
				continue;
			}
			if ((im = impact_new(tl)) == NULL)
				goto oom;
			im->name = dstr(d, "name");
			im->label = dstr(d, "label");
			im->start = ev->at;
			im->start_id = ev->id;
			im->users = dint(d, "users", -1);
			im->category = (int)dint(d, "category", 0);
			if (fp != NULL)
				im->holders[im->nholders++] = fp;
			if (im->users >= 0) {
				GROW(tl->users.samples, tl->users.n);
				tl->users.samples[tl->users.n++] =
				    (struct tl_sample){ ev->at, im->users,
				    ev->id, im->name, 0 };
			}
			open = im;
		}
		for (k = 0; k < nlate; k++) {
			if (open != NULL) {
				impact_recover(open, late[k]);
				if (open->recover_id != 0)
					open = NULL;
				continue;
			}
			/* A recovery with nothing open: keep it for lint. */
			if ((im = impact_new(tl)) == NULL)
				goto oom;
			im->name = dstr(late[k]->data, "name");
			im->start = im->recovered = late[k]->at;
			im->recover_id = late[k]->id;
		}
	}
	return 0;
oom:
	return -1;
}

/* The impact a users sample counts: the latest of that name started by then. */
static const struct tl_impact *
sample_impact(const struct timeline *tl, const struct tl_sample *s)
{
	const struct tl_impact *best = NULL, *first = NULL;
	size_t i;

	for (i = 0; i < tl->nimpacts; i++) {
		const struct tl_impact *im = &tl->impacts[i];

		if (im->no == 0 || strcmp(im->name, s->impact) != 0)
			continue;
		if (first == NULL)
			first = im;
		if (im->start <= s->at)
			best = im;
	}
	return best != NULL ? best : first;
}

/* Each impact against its own row, then the incident as the most severe. */
static void
classify(struct timeline *tl, const struct tl_incident *inc,
    const struct tl_options *opt)
{
	size_t i;
	int best = -1;

	tl->cls_impact = -1;
	for (i = 0; i < tl->nimpacts; i++) {
		struct tl_impact *im = &tl->impacts[i];
		int cat = im->category != 0 ? im->category : inc != NULL ?
		    inc->category : 0;

		if (im->no == 0)
			continue;
		if (im->own_users >= 0) {
			im->cls_users = im->own_users;
			im->cls_users_id = im->own_users_id;
		} else if (tl->users.untied_max >= 0) {
			im->cls_users = tl->users.untied_max;
			im->cls_users_id = tl->users.untied_max_id;
			im->users_from_peak = 1;
		}
		if (reg_classify_in(opt->table, tl->occurred_date, cat,
		    im->duration, im->cls_users, inc != NULL ?
		    inc->key_facility : 0, &im->reg) == -1)
			continue;
		im->assessed = 1;
		if (best == -1 || reg_severity(&im->reg) >
		    reg_severity(&tl->impacts[best].reg))
			best = (int)i;
	}
	if (best == -1)
		return;
	tl->cls_impact = best;
	tl->reg = tl->impacts[best].reg;
	tl->assessed = 1;
	tl->classified = tl->reg.row != NULL;
}

int
timeline_build(const struct tl_incident *inc, const struct tl_event *evs,
    size_t n, const struct tl_config *cf, int64_t now, struct timeline *tl)
{
	return timeline_build_opts(inc, evs, n, cf, NULL, now, tl);
}

int
timeline_build_opts(const struct tl_incident *inc, const struct tl_event *evs,
    size_t n, const struct tl_config *cf, const struct tl_options *opt,
    int64_t now, struct timeline *tl)
{
	static const struct tl_options none;
	const struct tl_event **live = NULL;
	struct item *items = NULL, **order = NULL, **imps = NULL;
	struct versions vs;
	size_t nlive = 0, nimps = 0, i, j;
	const char *prev_phase = NULL;
	int oom = 0;

	memset(tl, 0, sizeof(*tl));
	memset(&vs, 0, sizeof(vs));
	if (opt == NULL)
		opt = &none;
	tl->incident = inc;
	tl->now = opt->as_of > 0 && opt->as_of < now ? opt->as_of : now;
	now = tl->now;
	tl->users.max = tl->users.total = tl->users.untied_max = -1;
	tl->inquiries.total = -1;
	tl->cls_impact = -1;

	/* One current version of each event. */
	if (versions_build(evs, n, &vs) == -1 ||
	    (live = calloc(n + 1, sizeof(*live))) == NULL)
		goto oom;
	nlive = versions_live(&vs, live);
	if (versions_conflicts(&vs, tl) == -1)
		goto oom;
	versions_free(&vs);
	/* --as-of: what had happened by then, as the log tells it now. */
	if (opt->as_of > 0) {
		for (i = j = 0; i < nlive; i++)
			if (live[i]->at <= opt->as_of)
				live[j++] = live[i];
		nlive = j;
	}
	if ((items = calloc(nlive + 1, sizeof(*items))) == NULL ||
	    (order = calloc(nlive + 1, sizeof(*order))) == NULL ||
	    (imps = calloc(nlive + 1, sizeof(*imps))) == NULL)
		goto oom;
	for (i = 0; i < nlive; i++) {
		item_init(&items[i], live[i], cf);
		order[i] = &items[i];
	}
	/* Never qsort(NULL, 0, ...): glibc declares the array nonnull. */
	if (nlive > 1)
		qsort(order, nlive, sizeof(*order), item_order);

	for (i = 0; i < nlive; i++) {
		const struct tl_event *ev = order[i]->ev;
		const json_t *d = ev->data;
		const char *s;

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
			e->source = ev->source;
			e->recorded_by = ev->recorded_by;
			if (ev->kind == KIND_ALERT) {
				firing = dstr(d, "status") == NULL ||
				    strcmp(dstr(d, "status"), "firing") == 0;
				e->phase = firing ? "detect" : "recover";
				e->text = alert_text(tl, ev);
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
		case KIND_IMPACT:
			if (dstr(d, "name") != NULL && dstr(d, "op") != NULL)
				imps[nimps++] = order[i];
			break;
		case KIND_USERS: {
			struct tl_users *u = &tl->users;

			GROW(u->samples, u->n);
			u->samples[u->n++] = (struct tl_sample){ ev->at,
			    dint(d, "count", 0), ev->id, dstr(d, "impact"), 0 };
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
			GROW(tl->inquiries.seen, tl->inquiries.nseen);
			tl->inquiries.seen[tl->inquiries.nseen++] =
			    dint(d, "count", 0);
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

	/* Impacts, one name at a time. */
	if (nimps > 1)
		qsort(imps, nimps, sizeof(*imps), impact_item_order);
	for (i = 0; i < nimps; i = j) {
		const char *name = dstr(imps[i]->ev->data, "name");

		for (j = i; j < nimps && strcmp(dstr(imps[j]->ev->data, "name"),
		    name) == 0; j++)
			;
		if (impact_name(tl, imps + i, j - i) == -1)
			goto oom;
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
			const struct tl_event *ev = order[j]->ev;
			const char *h = ev->kind == KIND_ACTION ?
			    dstr(ev->data, "heading") : NULL;

			if (h == NULL || ev->phase == NULL)
				continue;
			for (k = 0; k < nph; k++)
				if (strcmp(ph[k], ev->phase) == 0)
					break;
			if (k == nph && nph < 32)
				ph[nph++] = ev->phase;
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

	/* Impacts: numbered by start over those shown; 発生 is the first start. */
	if (tl->nimpacts > 1)
		qsort(tl->impacts, tl->nimpacts, sizeof(*tl->impacts),
		    impact_order);
	for (i = 0; i < tl->nimpacts; i++) {
		struct tl_impact *im = &tl->impacts[i];

		if (im->start_id == 0) {
			im->no = 0;	/* a recovery without a start: lint's */
			continue;
		}
		im->no = (int)++tl->nshown;
		if (im->recover_id == 0) {
			im->provisional = 1;
			im->duration = now > im->start ? now - im->start : 0;
		} else {
			im->duration = im->recovered - im->start;
			if (im->recovered > tl->recovered)
				tl->recovered = im->recovered;
		}
		if (tl->occurred_id == 0 || im->start < tl->occurred) {
			tl->occurred = im->start;
			tl->occurred_id = im->start_id;
		}
		if (im->duration > tl->longest || tl->longest_id == 0) {
			tl->longest = im->duration;
			tl->longest_id = im->start_id;
		}
	}
	tl->all_recovered = tl->nshown > 0;
	for (i = 0; i < tl->nimpacts; i++)
		if (tl->impacts[i].no != 0 && tl->impacts[i].provisional)
			tl->all_recovered = 0;
	if (!tl->all_recovered)
		tl->recovered = 0;

	/* The affected users: each sample to its impact; the most at any time. */
	if (tl->users.n > 1)
		qsort(tl->users.samples, tl->users.n, sizeof(struct tl_sample),
		    by_sample);
	for (i = 0; i < tl->users.n; i++) {
		struct tl_sample *s = &tl->users.samples[i];
		const struct tl_impact *im = s->impact != NULL ?
		    sample_impact(tl, s) : NULL;

		if (s->count > tl->users.max) {
			tl->users.max = s->count;
			tl->users.max_id = s->id;
		}
		if (s->impact != NULL && im == NULL) {
			GROW(tl->unknown_impact, tl->nunknown_impact);
			tl->unknown_impact[tl->nunknown_impact++] = s->id;
		}
		if (im == NULL) {
			tl->users.untied++;
			if (s->count > tl->users.untied_max) {
				tl->users.untied_max = s->count;
				tl->users.untied_max_id = s->id;
			}
			continue;
		}
		s->impact_no = im->no;
		if (s->count > tl->impacts[im - tl->impacts].own_users) {
			tl->impacts[im - tl->impacts].own_users = s->count;
			tl->impacts[im - tl->impacts].own_users_id = s->id;
		}
	}

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
	if (tl->inquiries.nchannels > 1)
		qsort(tl->inquiries.channels, tl->inquiries.nchannels,
		    sizeof(*tl->inquiries.channels), channel_order);
	if (tl->inquiries.ntopics > 1)
		qsort(tl->inquiries.topics, tl->inquiries.ntopics,
		    sizeof(*tl->inquiries.topics), topic_order);
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
		tl->impacts[i].since_occurred = tl->impacts[i].no != 0 &&
		    tl->impacts[i].recover_id != 0 && tl->occurred_id != 0 ?
		    tl->impacts[i].recovered - tl->occurred : -1;

	/* Classification, by the table in force on 発生日. */
	if (tl->occurred_id != 0) {
		struct local_time lt;

		zone_local(cf->zone, tl->occurred, &lt);
		tl->occurred_date = (struct reg_date){ lt.year, lt.month,
		    lt.day };
		classify(tl, inc, opt);
	}
	for (i = 0; i < nlive; i++)
		free(items[i].key);
	free(items);
	free(order);
	free(imps);
	free(live);
	return 0;
oom:
	for (i = 0; items != NULL && i < nlive; i++)
		free(items[i].key);
	free(items);
	free(order);
	free(imps);
	free(live);
	versions_free(&vs);
	timeline_free(tl);
	return -1;
}

int
timeline_wants_detail(const struct timeline *tl, const char **why)
{
	*why = NULL;
	if (tl->assessed && tl->reg.cls == REG_NONE) {
		*why = "it is classified none (neither serious nor periodic), "
		    "so no 詳報 is due";
		return 0;
	}
	return 1;
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
	free(tl->conflicts);
	free(tl->unknown_impact);
	free(tl->entries);
	free(tl->users.samples);
	free(tl->notices);
	free(tl->inquiries.channels);
	free(tl->inquiries.topics);
	free(tl->inquiries.seen);
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
