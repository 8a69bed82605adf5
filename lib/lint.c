/*
 * Lint.  Each check is one function; each finding names the events it
 * concerns so that a person can amend or retract them.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lint.h"
#include "sections.h"
#include "wareki.h"

const char *
lint_severity_name(enum lint_severity s)
{
	return s == LINT_ERROR ? "error" : "warning";
}

static void
add(struct lint *l, enum lint_severity sev, const char *code,
    const int64_t *ids, size_t nids, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

static void
add(struct lint *l, enum lint_severity sev, const char *code,
    const int64_t *ids, size_t nids, const char *fmt, ...)
{
	struct lint_finding *f, *p;
	struct sbuf b = SBUF_INIT;
	va_list ap;
	size_t i;

	if ((p = realloc(l->f, (l->n + 1) * sizeof(*p))) == NULL)
		return;
	l->f = p;
	f = &l->f[l->n];
	memset(f, 0, sizeof(*f));
	va_start(ap, fmt);
	sbuf_vprintf(&b, fmt, ap);
	va_end(ap);
	f->sev = sev;
	f->code = code;
	f->message = sbuf_steal(&b);
	for (i = 0; i < nids && i < LINT_MAX_IDS; i++)
		if (ids[i] != 0)
			f->ids[f->nids++] = ids[i];
	l->n++;
	if (sev == LINT_ERROR)
		l->errors++;
}

/*
 * Past this a number in a note is no figure of an outage; reading stops
 * growing it there rather than overflow (a note is a sender's text).
 */
#define NUMBER_MAX	1000000000000000LL	/* 10^15 */

/* v * 10 + d, held at NUMBER_MAX. */
static int64_t
add_digit(int64_t v, int d)
{
	return v >= NUMBER_MAX / 10 ? NUMBER_MAX : v * 10 + d;
}

/*
 * Reads ASCII or full-width digits with optional commas; 0 if none.  A
 * number of more than fifteen digits reads as NUMBER_MAX.
 */
static size_t
read_number(const char *s, int64_t *out)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t used = 0;
	int64_t v = 0;
	int any = 0;

	for (;;) {
		if (p[used] >= '0' && p[used] <= '9') {
			v = add_digit(v, p[used] - '0');
			used++;
			any = 1;
		} else if (p[used] == 0xef && p[used + 1] == 0xbc &&
		    p[used + 2] >= 0x90 && p[used + 2] <= 0x99) {
			v = add_digit(v, p[used + 2] - 0x90);	/* ０-９ */
			used += 3;
			any = 1;
		} else if (any && p[used] == ',' && p[used + 1] >= '0' &&
		    p[used + 1] <= '9')
			used++;
		else
			break;
	}
	*out = v;
	return any ? used : 0;
}

static int
starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* N日間N時間N分間 (each part optional but the minutes) after 継続時間. */
size_t
lint_stated_durations(const char *text, int64_t *out, size_t max)
{
	const char *p = text;
	size_t found = 0;

	while (found < max && (p = strstr(p, "継続時間")) != NULL) {
		int64_t d = 0, h = 0, m = 0, v;
		size_t k;
		int ok = 0;

		p += strlen("継続時間");
		if (starts(p, "：") || starts(p, "は"))
			p += 3;
		else if (*p == ':')
			p++;
		while (*p == ' ')
			p++;
		if ((k = read_number(p, &v)) > 0 && starts(p + k, "日間")) {
			d = v;
			p += k + strlen("日間");
			k = read_number(p, &v);
		}
		if (k > 0 && starts(p + k, "時間")) {
			h = v;
			p += k + strlen("時間");
			k = read_number(p, &v);
		}
		if (k > 0 && starts(p + k, "分間")) {
			m = v;
			p += k + strlen("分間");
			ok = 1;
		}
		/* Parts of up to NUMBER_MAX each: (d * 24 + h) * 60 + m fits. */
		if (ok)
			out[found++] = (d * 24 + h) * 60 + m;
	}
	return found;
}

static void
check_impacts(const struct timeline *tl, struct lint *l)
{
	size_t i, j;

	for (i = 0; i < tl->nimpacts; i++) {
		const struct tl_impact *im = &tl->impacts[i];
		int64_t ids[2] = { im->start_id, im->recover_id };

		if (im->start_id == 0) {
			/* A start later than this recovery: they are swapped. */
			for (j = 0; j < tl->nimpacts; j++)
				if (tl->impacts[j].start_id != 0 &&
				    strcmp(tl->impacts[j].name, im->name) == 0 &&
				    tl->impacts[j].recover_id == 0 &&
				    tl->impacts[j].start >= im->recovered)
					break;
			if (j < tl->nimpacts) {
				int64_t two[2] = { tl->impacts[j].start_id,
				    im->recover_id };

				add(l, LINT_ERROR, "impact-recovered-before-start",
				    two, 2, "impact %s recovered before it "
				    "started", im->name);
			} else
				add(l, LINT_ERROR, "impact-not-started", ids, 2,
				    "impact %s recovered but never started",
				    im->name);
			continue;
		}
	}
	for (i = 0; i < tl->ndup_starts; i++) {
		int64_t ids[1] = { tl->dup_starts[i] };

		add(l, LINT_WARNING, "impact-started-twice", ids, 1,
		    "event %lld starts an impact that is already open; it is "
		    "ignored (recover the impact first, or amend the start)",
		    (long long)tl->dup_starts[i]);
	}
}

static void
check_entries(const struct timeline *tl, struct lint *l)
{
	size_t i;

	if (tl->nentries > 0 && tl->detected_id == 0)
		add(l, LINT_WARNING, "no-detect", NULL, 0,
		    "no 障害検知 entry: when and how the failure was detected "
		    "belongs in the timeline");
	if (tl->occurred_id == 0)
		return;
	for (i = 0; i < tl->nentries; i++) {
		const struct tl_entry *e = &tl->entries[i];
		int64_t ids[2] = { e->id, tl->occurred_id };

		if (e->at < tl->occurred && e->phase != NULL &&
		    strcmp(e->phase, "work") != 0 && strcmp(e->phase, "cause") != 0)
			add(l, LINT_WARNING, "entry-before-occurrence", ids, 2,
			    "entry %lld (%s) is before 発生, the first impact's "
			    "start", (long long)e->id, e->phase);
	}
}

static int
is_stated_users(const struct timeline *tl, int64_t n)
{
	size_t i;

	if (n == tl->users.max || n == tl->users.total)
		return 1;
	for (i = 0; i < tl->users.n; i++)
		if (tl->users.samples[i].count == n)
			return 1;
	return 0;
}

static void
check_notes(const struct timeline *tl, struct lint *l)
{
	size_t i, j, k, n;

	for (i = 0; i < tl->nnotes; i++) {
		const struct tl_note *no = &tl->notes[i];
		int64_t stated[8], v;
		const char *p;

		n = lint_stated_durations(no->text, stated, 8);
		for (j = 0; j < n; j++) {
			int match = 0;
			int64_t ids[LINT_MAX_IDS] = { no->id };
			struct sbuf want = SBUF_INIT, got = SBUF_INIT;

			for (k = 0; k < tl->nimpacts; k++)
				if (duration_minutes(tl->impacts[k].duration) ==
				    stated[j])
					match = 1;
			if (match || tl->nimpacts == 0)
				continue;
			duration_format(stated[j] * 60000000, &got);
			for (k = 0; k < tl->nimpacts && k < 3; k++) {
				ids[k + 1] = tl->impacts[k].start_id;
				if (k > 0)
					sbuf_adds(&want, "、");
				sbuf_printf(&want, "%s ", tl->impacts[k].label ?
				    tl->impacts[k].label : tl->impacts[k].name);
				duration_format(tl->impacts[k].duration, &want);
			}
			add(l, LINT_ERROR, "note-duration", ids, LINT_MAX_IDS,
			    "note %s states 継続時間 %s, but the events give %s",
			    no->section, got.data, want.data);
			sbuf_free(&want);
			sbuf_free(&got);
		}
		/* Exact user counts (not 約…) must be among the stated ones. */
		for (p = no->text; *p != '\0'; p++) {
			size_t used = read_number(p, &v);

			if (used == 0)
				continue;
			if (starts(p + used, "人") && v >= 100 &&
			    !(p - no->text >= 3 && starts(p - 3, "約")) &&
			    tl->users.max >= 0 && !is_stated_users(tl, v)) {
				int64_t ids[2] = { no->id, tl->users.max_id };
				struct sbuf a = SBUF_INIT, c = SBUF_INIT;

				count_format(v, &a);
				count_format(tl->users.max, &c);
				add(l, LINT_ERROR, "note-users", ids, 2,
				    "note %s states %s人, but the events give at "
				    "most %s人", no->section, a.data, c.data);
				sbuf_free(&a);
				sbuf_free(&c);
			}
			p += used - 1;
		}
	}
}

static void
check_inquiries(const struct timeline *tl, struct lint *l)
{
	size_t n, i;
	const struct tl_note *no = timeline_notes(tl, "inquiry.scope", &n);
	const char *p;
	int64_t v;

	if (no == NULL || tl->inquiries.total < 0)
		return;
	for (p = no->text; *p != '\0'; p++) {
		size_t used = read_number(p, &v);

		if (used == 0)
			continue;
		if (starts(p + used, "件") && v != tl->inquiries.total) {
			int64_t ids[LINT_MAX_IDS] = { no->id };

			for (i = 0; i < tl->inquiries.nchannels && i < 3; i++)
				ids[i + 1] = tl->inquiries.channels[i].id;
			add(l, LINT_ERROR, "inquiry-sum", ids, LINT_MAX_IDS,
			    "inquiry.scope states %lld件, but the channels add "
			    "up to %lld件", (long long)v,
			    (long long)tl->inquiries.total);
		}
		p += used - 1;
	}
}

static void
check_notices(const struct timeline *tl, struct lint *l)
{
	size_t i;

	if (!tl->all_recovered)
		return;
	for (i = 0; i < tl->nnotices; i++) {
		const struct tl_notice *no = &tl->notices[i];

		if (no->at > tl->recovered && no->text != NULL &&
		    strstr(no->text, "復旧") == NULL) {
			int64_t ids[1] = { no->id };

			add(l, LINT_WARNING, "notice-after-recovery", ids, 1,
			    "notice 第%d報 (%s) comes after the recovery but does "
			    "not say that service was restored", no->no,
			    no->channel);
		}
	}
}

/* The sections the form needs a person to write. */
static const char *const required[] = {
	"overview", "equipment.normal", "equipment.failure", "users.basis",
	"measure.summary", "cause.summary", "cause.scale", "cause.duration",
	"standards", "related", NULL
};

static void
check_sections(const struct timeline *tl, struct lint *l)
{
	const char *const *s;
	size_t n1, n2;

	for (s = required; *s != NULL; s++)
		if (timeline_notes(tl, *s, &n1) == NULL)
			add(l, LINT_WARNING, "section-empty", NULL, 0,
			    "section %s (%s) is still empty", *s,
			    section_find(*s)->label);
	timeline_notes(tl, "measure.interim", &n1);
	timeline_notes(tl, "measure.permanent", &n2);
	if (n1 + n2 == 0)
		add(l, LINT_WARNING, "section-empty", NULL, 0,
		    "no 再発防止策 yet (measure.interim, measure.permanent)");
	if (tl->incident != NULL && tl->incident->location == NULL &&
	    timeline_notes(tl, "location", &n1) == NULL)
		add(l, LINT_WARNING, "section-empty", NULL, 0,
		    "発生場所 is not known (incident location or note location)");
	if (tl->incident != NULL && tl->incident->category == 0)
		add(l, LINT_WARNING, "no-category", NULL, 0,
		    "the incident has no service category (1-5): it cannot be "
		    "classified");
	if (tl->nimpacts == 0)
		add(l, LINT_WARNING, "no-impact", NULL, 0,
		    "no impact recorded: 発生 and 継続時間 are unknown");
}

int
lint_run(const struct timeline *tl, const struct zone *z, struct lint *l)
{
	(void)z;
	memset(l, 0, sizeof(*l));
	check_impacts(tl, l);
	check_entries(tl, l);
	check_notes(tl, l);
	check_inquiries(tl, l);
	check_notices(tl, l);
	check_sections(tl, l);
	return 0;
}

void
lint_free(struct lint *l)
{
	size_t i;

	if (l == NULL)
		return;
	for (i = 0; i < l->n; i++)
		free(l->f[i].message);
	free(l->f);
	memset(l, 0, sizeof(*l));
}
