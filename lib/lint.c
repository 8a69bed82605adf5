/* SPDX-License-Identifier: MIT */
/*
 * Lint.  Each check is one function; each finding names the events it
 * concerns so that a person can amend or retract them.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lint.h"
#include "report.h"
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

/* One character of a number: an ASCII or full-width digit, its value. */
static size_t
digit(const char *s, int *d)
{
	const unsigned char *p = (const unsigned char *)s;

	if (p[0] >= '0' && p[0] <= '9') {
		*d = p[0] - '0';
		return 1;
	}
	if (p[0] == 0xef && p[1] == 0xbc && p[2] >= 0x90 && p[2] <= 0x99) {
		*d = p[2] - 0x90;	/* ０-９ */
		return 3;
	}
	return 0;
}

/* A thousands separator: , or ，. */
static size_t
comma(const char *s)
{
	if (*s == ',')
		return 1;
	return strncmp(s, "，", 3) == 0 ? 3 : 0;
}

/*
 * Past this a number in a note is no figure of an outage; reading stops
 * growing it there rather than overflow (a note is a sender's text), and
 * days, hours and minutes of up to this much each still fit in minutes.
 */
#define NUMBER_MAX	1000000000000000LL	/* 10^15 */

/* v * 10 + d, held at NUMBER_MAX. */
static int64_t
add_digit(int64_t v, int d)
{
	return v >= NUMBER_MAX / 10 ? NUMBER_MAX : v * 10 + d;
}

/*
 * Reads digits with optional separators (and, with dec, a decimal part
 * after . or ．), as value * 10^(*dec); returns bytes used or 0.  A number
 * of more than fifteen digits reads as NUMBER_MAX.
 */
static size_t
read_number(const char *s, int64_t *out, int *dec)
{
	size_t used = 0, k, c;
	int64_t v = 0;
	int d, any = 0;

	if (dec != NULL)
		*dec = 0;
	for (;;) {
		if ((k = digit(s + used, &d)) > 0) {
			v = add_digit(v, d);
			used += k;
			any = 1;
		} else if (any && (c = comma(s + used)) > 0 &&
		    digit(s + used + c, &d) > 0)
			used += c;
		else
			break;
	}
	if (any && dec != NULL && (s[used] == '.' ||
	    strncmp(s + used, "．", 3) == 0)) {
		c = s[used] == '.' ? 1 : 3;
		if (digit(s + used + c, &d) > 0) {
			used += c;
			while ((k = digit(s + used, &d)) > 0) {
				v = add_digit(v, d);
				(*dec)++;
				used += k;
			}
		}
	}
	*out = v;
	return any ? used : 0;
}

static int
starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* A number starts here: not in the middle of another. */
static int
number_start(const char *text, const char *p)
{
	int d;

	if (digit(p, &d) == 0)
		return 0;
	if (p > text && ((p[-1] >= '0' && p[-1] <= '9') || p[-1] == ',' ||
	    p[-1] == '.'))
		return 0;
	if (p - text >= 3 && (digit(p - 3, &d) > 0 || starts(p - 3, "，") ||
	    starts(p - 3, "．")))
		return 0;
	return 1;
}

/* A limit or an interval, not a statement of what happened. */
static int
limit_after(const char *s)
{
	static const char *const words[] = { "以上", "以下", "未満", "以内",
	    "超", "隔", "程度以上", NULL };
	const char *const *w;

	for (w = words; *w != NULL; w++)
		if (starts(s, *w))
			return 1;
	return 0;
}

static int
about_before(const char *text, const char *p)
{
	return p - text >= 3 && starts(p - 3, "約");
}

size_t
lint_stated_durations(const char *text, struct lint_figure *out, size_t max)
{
	const char *p = text, *q, *end;
	size_t found = 0, k;
	int64_t v, days, hours, mins, unit;

	while (found < max && *p != '\0') {
		if (!number_start(text, p)) {
			p++;
			continue;
		}
		days = hours = mins = 0;
		end = NULL;
		unit = 0;
		q = p;
		k = read_number(q, &v, NULL);
		if (starts(q + k, "日")) {
			const char *r = q + k + strlen("日");
			int kan = starts(r, "間");
			size_t k2;
			int64_t v2;

			if (kan)
				r += strlen("間");
			k2 = read_number(r, &v2, NULL);
			if (k2 > 0 && starts(r + k2, "時間")) {
				days = v;
				q = r;
				k = k2;
				v = v2;
			} else if (kan) {
				days = v;
				end = r;
				unit = 1440;
			}
		}
		if (end == NULL && starts(q + k, "時間")) {
			const char *r = q + k + strlen("時間");
			size_t k3;
			int64_t v3;

			hours = v;
			k3 = read_number(r, &v3, NULL);
			if (k3 > 0 && starts(r + k3, "分")) {
				mins = v3;
				end = r + k3 + strlen("分");
				if (starts(end, "間"))
					end += strlen("間");
				unit = 1;
			} else if (about_before(text, p) || days > 0) {
				end = r;
				unit = 60;
			}
		} else if (end == NULL && q == p && starts(q + k, "分間")) {
			mins = v;
			end = q + k + strlen("分間");
			unit = 1;
		}
		if (end == NULL || limit_after(end)) {
			p += k > 0 ? k : 1;
			continue;
		}
		out[found].value = (days * 24 + hours) * 60 + mins;
		out[found].unit = unit;
		out[found].about = about_before(text, p);
		out[found].off = (size_t)(p - text) - (out[found].about ? 3 : 0);
		out[found].len = (size_t)(end - text) - out[found].off;
		found++;
		p = end;
	}
	return found;
}

size_t
lint_stated_counts(const char *text, const char *what, struct lint_figure *out,
    size_t max)
{
	const char *p = text, *end;
	size_t found = 0, k;
	int64_t v, unit = 1, pow10 = 1;
	int dec, man, i;

	while (found < max && *p != '\0') {
		if (!number_start(text, p)) {
			p++;
			continue;
		}
		k = read_number(p, &v, &dec);
		end = p + k;
		man = starts(end, "万");
		if (man)
			end += strlen("万");
		if (!starts(end, what) || (dec > 0 && !man) ||
		    limit_after(end + strlen(what))) {
			p += k;
			continue;
		}
		for (i = 0, pow10 = 1; i < dec; i++)
			pow10 *= 10;
		if (man) {
			/* 5.9万: 59,000, written to the thousand. */
			unit = 10000 / pow10 > 0 ? 10000 / pow10 : 1;
			v = v * 10000 / pow10;
		} else if (about_before(text, p)) {
			/* 約300: written to the hundred. */
			for (unit = 1; v > 0 && v % (unit * 10) == 0; unit *= 10)
				;
		} else
			unit = 1;
		out[found].value = v;
		out[found].unit = man ? -unit : unit;	/* negative: 万, rounded */
		out[found].about = about_before(text, p);
		out[found].off = (size_t)(p - text) - (out[found].about ? 3 : 0);
		out[found].len = (size_t)(end + strlen(what) - text) -
		    out[found].off;
		found++;
		p = end + strlen(what);
	}
	return found;
}

/*
 * A stated figure (in units of unit) against the computed one (exact, in
 * units of 1/scale): truncated to the unit, or rounded to it.
 */
static int
near(int64_t stated, int64_t unit, int64_t exact, int64_t scale, int trunc_ok,
    int round_ok)
{
	int64_t d;

	if (trunc_ok && exact / (unit * scale) * unit == stated)
		return 1;
	if (!round_ok)
		return 0;
	d = exact - stated * scale;
	if (d < 0)
		d = -d;
	return d * 2 <= unit * scale;
}

int
lint_figure_matches_duration(const struct lint_figure *f, int64_t usec)
{
	if (usec < 0)
		return 0;
	/*
	 * Whole minutes, truncated, as the form writes them; 約 allows the
	 * nearest unit instead (約3時間 for 2時間45分間), and a figure to the
	 * minute either way.
	 */
	return near(f->value, f->unit, usec, 60000000, !f->about ||
	    f->unit == 1, f->about);
}

int
lint_figure_matches_count(const struct lint_figure *f, int64_t n)
{
	int64_t unit = f->unit < 0 ? -f->unit : f->unit;

	if (n < 0)
		return 0;
	/* Exact; 約 to the nearest unit written; 5.9万 rounded or cut. */
	return near(f->value, unit, n, 1, !f->about, f->about || f->unit < 0);
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

/* The impacts as "LABEL DURATION、…" (at most three) and their ids. */
static void
impacts_said(const struct timeline *tl, struct sbuf *b, int64_t *ids,
    size_t nids)
{
	size_t k, shown = 0;

	for (k = 0; k < tl->nimpacts && shown < nids; k++) {
		const struct tl_impact *im = &tl->impacts[k];

		if (im->no == 0)
			continue;
		ids[shown] = im->start_id;
		if (shown++ > 0)
			sbuf_adds(b, "、");
		sbuf_printf(b, "%s ", im->label ? im->label : im->name);
		duration_format(im->duration, b);
	}
}

/*
 * A duration a note states is right when it is one the events give: an
 * impact's 継続時間, or that impact's duration as of when the note was
 * written (a note written while it lasted), the time from 発生 to
 * detection, identification or a recovery, or 発生 to the last recovery.
 */
static int
known_duration(const struct timeline *tl, const struct tl_note *no,
    const struct lint_figure *f)
{
	size_t k;

	for (k = 0; k < tl->nimpacts; k++) {
		const struct tl_impact *im = &tl->impacts[k];

		if (im->no == 0)
			continue;
		if (lint_figure_matches_duration(f, im->duration) ||
		    lint_figure_matches_duration(f, im->since_occurred))
			return 1;
		if (no->at >= im->start && (im->recover_id == 0 ||
		    no->at <= im->recovered) &&
		    lint_figure_matches_duration(f, no->at - im->start))
			return 1;
	}
	return lint_figure_matches_duration(f, tl->to_detect) ||
	    lint_figure_matches_duration(f, tl->to_identify) ||
	    (tl->all_recovered && lint_figure_matches_duration(f,
	    tl->recovered - tl->occurred));
}

static int
known_users(const struct timeline *tl, const struct lint_figure *f)
{
	size_t i;

	if (lint_figure_matches_count(f, tl->users.max) ||
	    lint_figure_matches_count(f, tl->users.total))
		return 1;
	for (i = 0; i < tl->users.n; i++)
		if (lint_figure_matches_count(f, tl->users.samples[i].count))
			return 1;
	for (i = 0; i < tl->nimpacts; i++)
		if (lint_figure_matches_count(f, tl->impacts[i].own_users))
			return 1;
	return 0;
}

static int
known_inquiries(const struct timeline *tl, const struct lint_figure *f)
{
	size_t i;

	if (lint_figure_matches_count(f, tl->inquiries.total))
		return 1;
	for (i = 0; i < tl->inquiries.nseen; i++)
		if (lint_figure_matches_count(f, tl->inquiries.seen[i]))
			return 1;
	return 0;
}

/* The sentence around a byte of text mentions inquiries. */
static int
about_inquiries(const char *text, size_t off)
{
	const char *s = text + off, *e = text + off, *hit;
	struct sbuf b = SBUF_INIT;
	int yes;

	while (s > text && s[-1] != '\n' && !((size_t)(s - text) >= 3 &&
	    starts(s - 3, "。")))
		s--;
	while (*e != '\0' && !starts(e, "。") && *e != '\n')
		e++;
	sbuf_add(&b, s, (size_t)(e - s));
	hit = b.data;
	yes = hit != NULL && (strstr(hit, "問い合わせ") != NULL ||
	    strstr(hit, "問合せ") != NULL || strstr(hit, "問い合せ") != NULL);
	sbuf_free(&b);
	return yes;
}

static void
check_notes(const struct timeline *tl, struct lint *l)
{
	struct lint_figure f[16];
	size_t i, j, n;

	for (i = 0; i < tl->nnotes; i++) {
		const struct tl_note *no = &tl->notes[i];

		if (no->text == NULL)
			continue;
		n = lint_stated_durations(no->text, f, 16);
		for (j = 0; j < n && tl->nshown > 0; j++) {
			int64_t ids[LINT_MAX_IDS] = { no->id };
			struct sbuf want = SBUF_INIT;

			if (known_duration(tl, no, &f[j]))
				continue;
			impacts_said(tl, &want, ids + 1, LINT_MAX_IDS - 1);
			add(l, LINT_ERROR, "note-duration", ids, LINT_MAX_IDS,
			    "note %s states 継続時間 %.*s, but the events give %s",
			    no->section, (int)f[j].len, no->text + f[j].off,
			    want.data);
			sbuf_free(&want);
		}
		/* Users: a count of a hundred or more (not 担当者2人). */
		n = lint_stated_counts(no->text, "人", f, 16);
		for (j = 0; j < n && tl->users.max >= 0; j++) {
			int64_t ids[2] = { no->id, tl->users.max_id };
			struct sbuf c = SBUF_INIT;

			if (f[j].value < 100 || known_users(tl, &f[j]))
				continue;
			count_format(tl->users.max, &c);
			add(l, LINT_ERROR, "note-users", ids, 2,
			    "note %s states %.*s, but the events give at most "
			    "%s人", no->section, (int)f[j].len, no->text + f[j].off,
			    c.data);
			sbuf_free(&c);
		}
		/* Inquiries: N件 in inquiry.scope, or said of 問い合わせ. */
		n = lint_stated_counts(no->text, "件", f, 16);
		for (j = 0; j < n && tl->inquiries.nseen > 0; j++) {
			int64_t ids[LINT_MAX_IDS] = { no->id };
			size_t k;
			int scope = strcmp(no->section, "inquiry.scope") == 0;

			if ((!scope && !about_inquiries(no->text, f[j].off)) ||
			    known_inquiries(tl, &f[j]))
				continue;
			for (k = 0; k < tl->inquiries.nchannels && k < 3; k++)
				ids[k + 1] = tl->inquiries.channels[k].id;
			if (scope)
				add(l, LINT_ERROR, "inquiry-sum", ids, LINT_MAX_IDS,
				    "inquiry.scope states %.*s, but the channels "
				    "add up to %lld件", (int)f[j].len, no->text +
				    f[j].off, (long long)tl->inquiries.total);
			else
				add(l, LINT_ERROR, "note-inquiries", ids,
				    LINT_MAX_IDS, "note %s states %.*s of "
				    "inquiries, but no inquiry count is that (the "
				    "channels add up to %lld件)", no->section,
				    (int)f[j].len, no->text + f[j].off,
				    (long long)tl->inquiries.total);
		}
	}
}

/* Corrections that name an event already corrected: one stands. */
static void
check_versions(const struct timeline *tl, struct lint *l)
{
	size_t i;

	for (i = 0; i < tl->nconflicts; i++) {
		const struct tl_conflict *c = &tl->conflicts[i];
		int64_t ids[3] = { c->kept, c->lost, c->target };

		add(l, LINT_WARNING, "correction-conflict", ids, 3,
		    "events %lld and %lld both correct event %lld; the "
		    "later-recorded %lld stands (amend %lld to correct it again, "
		    "or retract it to restore %lld)", (long long)c->kept,
		    (long long)c->lost, (long long)c->target, (long long)c->kept,
		    (long long)c->kept, (long long)c->lost);
	}
}

/* Users and categories: what the classification needs and lacks. */
static void
check_figures(const struct timeline *tl, struct lint *l)
{
	size_t i, peak = 0;
	struct sbuf b = SBUF_INIT;

	for (i = 0; i < tl->nunknown_impact; i++) {
		int64_t ids[1] = { tl->unknown_impact[i] };

		add(l, LINT_WARNING, "users-impact-unknown", ids, 1,
		    "users sample %lld names an impact no start names; it counts "
		    "as a sample of the whole incident",
		    (long long)tl->unknown_impact[i]);
	}
	if (tl->nshown == 0)
		return;
	for (i = 0; i < tl->nimpacts; i++) {
		const struct tl_impact *im = &tl->impacts[i];
		int64_t ids[1] = { im->start_id };

		if (im->no == 0)
			continue;
		peak += im->users_from_peak;
		if (im->cls_users >= 0 || tl->users.max < 0)
			continue;
		sbuf_truncate(&b, 0);
		report_circled(im->no, &b);
		add(l, tl->reg.cls == REG_UNDETERMINED ? LINT_ERROR :
		    LINT_WARNING, "users-unknown", ids, 1,
		    "no users count for impact %s %s (no sample names it and "
		    "none is tied to no impact)", b.data, im->name);
	}
	if (tl->users.max < 0) {
		int64_t ids[1] = { tl->occurred_id };

		add(l, LINT_ERROR, "users-unknown", ids, 1,
		    "no affected-user count: 影響を与えた利用者数 is unknown, and so "
		    "is every classification that needs it (sochi users COUNT, or "
		    "--users with sochi impact start)");
	}
	if (peak > 0 && tl->nshown > 1) {
		int64_t ids[1] = { tl->users.untied_max_id };

		add(l, LINT_WARNING, "users-not-per-impact", ids, 1,
		    "%zu of %zu impacts are classified with the incident's peak "
		    "of users, as no sample names them (sochi users COUNT "
		    "--impact NAME)", peak, tl->nshown);
	}
	sbuf_free(&b);
}

static void
check_impacts(const struct timeline *tl, struct lint *l)
{
	size_t i, j;

	for (i = 0; i < tl->nimpacts; i++) {
		const struct tl_impact *im = &tl->impacts[i];
		int64_t ids[2] = { im->start_id, im->recover_id };

		if (im->start_id != 0)
			continue;
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
			    two, 2, "impact %s recovered before it started",
			    im->name);
		} else
			add(l, LINT_ERROR, "impact-not-started", ids, 2,
			    "impact %s recovered but never started", im->name);
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
	size_t n1, n2, i;

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
	if (tl->incident != NULL && tl->incident->category == 0) {
		int missing = tl->nshown == 0;

		for (i = 0; i < tl->nimpacts; i++)
			if (tl->impacts[i].no != 0 &&
			    tl->impacts[i].category == 0)
				missing = 1;
		if (missing)
			add(l, LINT_ERROR, "category-unknown", NULL, 0,
			    "the incident has no service category (1-5, sochi "
			    "open --category or an incident update): its row of "
			    "the table is unknown");
	}
	if (tl->nimpacts == 0)
		add(l, LINT_WARNING, "no-impact", NULL, 0,
		    "no impact recorded: 発生 and 継続時間 are unknown");
}

int
lint_run(const struct timeline *tl, const struct zone *z, struct lint *l)
{
	(void)z;
	memset(l, 0, sizeof(*l));
	check_versions(tl, l);
	check_impacts(tl, l);
	check_figures(tl, l);
	check_entries(tl, l);
	check_notes(tl, l);
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
