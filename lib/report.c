/* SPDX-License-Identifier: MIT */
/*
 * The form's contents, built once for every renderer.  The wording follows
 * the public sample (seed/000_14028949877cec49.txt); every figure comes from
 * the timeline model, every text a person must write from a note, and what
 * is not known yet is REPORT_FILL_IN.
 */
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "sections.h"
#include "timeline_text.h"
#include "wareki.h"

size_t
text_width(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, w = 0;

	while (i < n) {
		unsigned cp;
		size_t len;

		if (p[i] < 0x80) {
			cp = p[i];
			len = 1;
		} else if ((p[i] & 0xe0) == 0xc0) {
			cp = p[i] & 0x1f;
			len = 2;
		} else if ((p[i] & 0xf0) == 0xe0) {
			cp = p[i] & 0x0f;
			len = 3;
		} else {
			cp = p[i] & 0x07;
			len = 4;
		}
		for (size_t k = 1; k < len && i + k < n; k++)
			cp = cp << 6 | (p[i + k] & 0x3f);
		i += len;
		/*
		 * East Asian Wide and Fullwidth, the ranges Japanese text uses,
		 * and the Ambiguous punctuation a Japanese terminal draws wide
		 * (※ … ― “ ” ‥ ℃ № arrows): a line measured here never runs
		 * past the frame.
		 */
		if ((cp >= 0x2010 && cp <= 0x2027) || (cp >= 0x2030 &&
		    cp <= 0x203b) || cp == 0x2103 || cp == 0x2116 ||
		    cp == 0x2121 || (cp >= 0x2160 && cp <= 0x217f) ||
		    (cp >= 0x2190 && cp <= 0x22ff) || (cp >= 0x2600 &&
		    cp <= 0x26ff))
			w += 2;
		else if ((cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 &&
		    cp <= 0xa4cf) || (cp >= 0xac00 && cp <= 0xd7a3) ||
		    (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xfe30 &&
		    cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) ||
		    (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x2460 &&
		    cp <= 0x24ff) || (cp >= 0x25a0 && cp <= 0x25ff) ||
		    (cp >= 0x2500 && cp <= 0x257f) || (cp >= 0x20000 &&
		    cp <= 0x3fffd))
			w += 2;
		else if (cp >= 0x20)
			w += 1;
	}
	return w;
}

/* One code point as UTF-8 (three bytes: the BMP's circled numbers). */
static int
add_cp3(struct sbuf *b, unsigned cp)
{
	char u[4] = { (char)(0xe0 | (cp >> 12)), (char)(0x80 | ((cp >> 6) &
	    0x3f)), (char)(0x80 | (cp & 0x3f)), 0 };

	return sbuf_adds(b, u);
}

int
report_circled(int n, struct sbuf *b)
{
	if (n >= 1 && n <= 20)
		return add_cp3(b, 0x2460 + (unsigned)n - 1);	/* ①..⑳ */
	if (n >= 21 && n <= 35)
		return add_cp3(b, 0x3251 + (unsigned)n - 21);	/* ㉑..㉟ */
	if (n >= 36 && n <= 50)
		return add_cp3(b, 0x32b1 + (unsigned)n - 36);	/* ㊱..㊿ */
	return sbuf_printf(b, "(%d)", n);
}

/* A duration and, while it lasts, ※暫定. */
static void
add_duration(struct sbuf *b, int64_t dur, int provisional)
{
	duration_format(dur, b);
	if (provisional)
		sbuf_adds(b, " ※暫定");
}

static void
add_users(struct sbuf *b, int64_t n)
{
	count_format(n, b);
	sbuf_adds(b, "人");
}

int
report_class_line(const struct reg_result *g, int64_t dur, int provisional,
    int64_t users, struct sbuf *b)
{
	const struct reg_pair *p = NULL;
	char pair = g->cls == REG_SERIOUS ? g->pair : g->cls ==
	    REG_UNDETERMINED && g->hi == REG_SERIOUS ? g->hi_pair : 0;

	sbuf_adds(b, reg_class_name(g->cls));
	if (g->row != NULL && *g->row->kanji != '\0')
		sbuf_printf(b, " %s", g->row->kanji);
	if (g->cls == REG_SERIOUS && g->pair != 0)
		sbuf_printf(b, " %c", g->pair);
	sbuf_adds(b, " (");
	if (g->cls == REG_SERIOUS && g->key_facility && g->pair == 0) {
		sbuf_adds(b, "key facility: all communication lost ");
		add_duration(b, dur, provisional);
		return sbuf_adds(b, " >= 2時間)");
	}
	if (g->row != NULL && pair != 0)
		p = pair == 'A' ? &g->row->a : &g->row->b;
	add_duration(b, dur, provisional);
	if (p != NULL)
		sbuf_printf(b, " >= %d時間", p->hours);
	else if (g->row != NULL)
		sbuf_printf(b, " %s 2時間", dur >= (int64_t)2 * 3600 * 1000000 ?
		    ">=" : "<");
	sbuf_adds(b, ", ");
	if (users < 0 || g->users_unknown)
		sbuf_adds(b, "users unknown");
	else {
		add_users(b, users);
		if (p != NULL) {
			sbuf_adds(b, " >= ");
			add_users(b, p->users);
		} else if (g->row != NULL) {
			sbuf_adds(b, users >= 30000 ? " >= " : " < ");
			add_users(b, 30000);
		}
	}
	if (g->category_unknown)
		sbuf_adds(b, ", category unknown");
	return sbuf_adds(b, ")");
}

static void
add_ymd(struct sbuf *b, struct reg_date d)
{
	sbuf_printf(b, "%04d-%02d-%02d", d.year, d.month, d.day);
}

int
report_due_line(const struct timeline *tl, struct sbuf *b)
{
	const struct reg_result *g = &tl->reg;

	if (!tl->assessed)
		return sbuf_adds(b, "unknown (no impact, so no 発生日)");
	switch (g->cls) {
	case REG_NONE:
		return sbuf_adds(b, "none");
	case REG_UNDETERMINED:
		if (g->hi == REG_SERIOUS) {
			add_ymd(b, g->due_serious);
			sbuf_adds(b, " if serious; ");
			add_ymd(b, g->due_periodic);
			return sbuf_adds(b, " if not");
		}
		add_ymd(b, g->due_periodic);
		return sbuf_adds(b, " if periodic; none if not");
	default:
		add_ymd(b, g->due);
		return 0;
	}
}

int
report_incident_line(const struct timeline *tl, struct sbuf *b)
{
	const struct tl_impact *im;

	if (!tl->assessed)
		return sbuf_adds(b, tl->nshown == 0 ?
		    "undetermined (no impact recorded)" :
		    "undetermined (no table in force on 発生日)");
	im = &tl->impacts[tl->cls_impact];
	return report_class_line(&tl->reg, im->duration, im->provisional,
	    im->cls_users, b);
}

int
report_impact_line(const struct tl_impact *im, struct sbuf *b)
{
	sbuf_adds(b, "impact ");
	report_circled(im->no, b);
	sbuf_adds(b, ": ");
	if (!im->assessed)
		return sbuf_adds(b, "undetermined (no table in force on 発生日)");
	return report_class_line(&im->reg, im->duration, im->provisional,
	    im->cls_users, b);
}

static void
add_local(const struct report *r, int64_t t, struct sbuf *b,
    int (*fn)(const struct local_time *, struct sbuf *))
{
	struct local_time lt;

	zone_local(r->zone, t, &lt);
	fn(&lt, b);
}

/* 11月16日 13時15分 */
static void
add_md_hm(const struct report *r, int64_t t, struct sbuf *b)
{
	struct local_time lt;

	zone_local(r->zone, t, &lt);
	sbuf_printf(b, "%d月%d日 %d時%02d分", lt.month, lt.day, lt.hour, lt.min);
}

static void
text_or_blank(struct sbuf *b, const char *s)
{
	sbuf_adds(b, s != NULL && *s != '\0' ? s : REPORT_FILL_IN);
}

static const char *
note_text(const struct report *r, const char *section)
{
	size_t n;
	const struct tl_note *no = timeline_notes(r->tl, section, &n);

	/* Plain sections keep one note: the latest. */
	return no != NULL ? no->text : NULL;
}

static int
add_item(struct report_item **arr, size_t *n, const char *label,
    const char *key, struct sbuf *content)
{
	struct report_item *p = realloc(*arr, (*n + 1) * sizeof(*p));

	if (p == NULL)
		return -1;
	*arr = p;
	p[*n].label = label;
	p[*n].key = key;
	p[*n].content = sbuf_steal(content);
	p[*n].missing = strstr(p[*n].content, REPORT_FILL_IN) != NULL;
	(*n)++;
	return 0;
}

static void
header(const struct report *r, struct report_doc *d)
{
	const struct report_profile *p = r->profile;
	struct sbuf b = SBUF_INIT;
	static const struct report_profile empty;

	if (p == NULL)
		p = &empty;
#define H(label, key, value) do {					\
	text_or_blank(&b, (value));					\
	add_item(&d->header, &d->nheader, (label), (key), &b);		\
} while (0)
	H("郵便番号", "postal_code", p->postal_code);
	H("（ふりがな）", "address_kana", p->address_kana);
	H("住所", "address", p->address);
	H("（ふりがな）", "company_kana", p->company_kana);
	H("氏名", "company", p->company);
	H("", "representative", p->representative);
	H("登録年月日", "registration_date", p->registration_date);
	H("登録番号", "registration_number", p->registration_number);
	text_or_blank(&b, p->contact_phone);
	sbuf_adds(&b, "\n（");
	text_or_blank(&b, p->company);
	sbuf_addc(&b, ' ');
	text_or_blank(&b, p->contact_department);
	sbuf_adds(&b, " 担当：");
	text_or_blank(&b, p->contact_person);
	sbuf_adds(&b, "）");
	add_item(&d->header, &d->nheader, "連絡先", "contact", &b);
#undef H
}

static void
row_occurred(const struct report *r, struct report_doc *d)
{
	struct sbuf b = SBUF_INIT;

	if (r->tl->occurred_id != 0)
		add_local(r, r->tl->occurred, &b, wareki_datetime);
	else
		sbuf_adds(&b, REPORT_FILL_IN);
	add_item(&d->rows, &d->nrows, "発生年月日及び時刻", "occurred", &b);
}

static void
row_recovery(const struct report *r, struct report_doc *d)
{
	struct sbuf b = SBUF_INIT;
	size_t i;

	for (i = 0; i < r->tl->nimpacts; i++) {
		const struct tl_impact *im = &r->tl->impacts[i];

		if (im->start_id == 0)
			continue;	/* a recovery without a start: lint's */
		if (b.len > 0)
			sbuf_addc(&b, '\n');
		report_circled(im->no, &b);
		sbuf_printf(&b, " %s：", im->label ? im->label : im->name);
		if (im->provisional) {
			sbuf_adds(&b, "未復旧（継続時間：");
			duration_format(im->duration, &b);
			sbuf_adds(&b, " ※暫定、");
			add_md_hm(r, r->tl->now, &b);
			sbuf_adds(&b, "現在）");
		} else {
			add_local(r, im->recovered, &b, wareki_datetime);
			sbuf_adds(&b, "（継続時間：");
			duration_format(im->duration, &b);
			sbuf_adds(&b, "）");
		}
	}
	if (b.len == 0)
		sbuf_adds(&b, REPORT_FILL_IN);
	add_item(&d->rows, &d->nrows, "復旧年月日及び時刻", "recovery", &b);
}

static void
row_location(const struct report *r, struct report_doc *d)
{
	struct sbuf b = SBUF_INIT;
	const char *loc = note_text(r, "location");

	if (loc == NULL && r->inc != NULL)
		loc = r->inc->location;
	text_or_blank(&b, loc);
	add_item(&d->rows, &d->nrows, "発生場所", "location", &b);
}

/*
 * ＜影響を与えた電気通信役務の区分＞: the row of each impact, each distinct
 * row once in ①② order; 【要記入】 for an impact whose category is unknown.
 */
static void
add_rows(const struct report *r, struct sbuf *b)
{
	const struct timeline *tl = r->tl;
	const struct reg_row *seen[16];
	size_t i, k, n = 0;
	int blank = 0, any = 0;

	for (i = 0; i < tl->nimpacts; i++) {
		const struct tl_impact *im = &tl->impacts[i];

		if (im->no == 0)
			continue;
		if (!im->assessed || im->reg.row == NULL) {
			blank = 1;
			continue;
		}
		for (k = 0; k < n; k++)
			if (seen[k] == im->reg.row)
				break;
		if (k < n || n == 16)
			continue;
		seen[n++] = im->reg.row;
		if (any++)
			sbuf_addc(b, '\n');
		sbuf_adds(b, im->reg.row->text);
	}
	if (blank || !any) {
		if (any)
			sbuf_addc(b, '\n');
		sbuf_adds(b, REPORT_FILL_IN);
	}
}

static void
row_overview(const struct report *r, struct report_doc *d)
{
	struct sbuf b = SBUF_INIT;

	sbuf_adds(&b, "＜影響を与えた電気通信役務の区分＞\n");
	add_rows(r, &b);
	sbuf_adds(&b, "\n＜影響を与えた電気通信役務＞\n");
	text_or_blank(&b, r->inc != NULL ? r->inc->service : NULL);
	sbuf_adds(&b, "\n＜概要＞\n");
	text_or_blank(&b, note_text(r, "overview"));
	add_item(&d->rows, &d->nrows, "事故の全体概要", "overview", &b);
}

static void
row_equipment(const struct report *r, struct report_doc *d)
{
	struct sbuf b = SBUF_INIT;

	sbuf_adds(&b, "設備名：");
	text_or_blank(&b, r->inc != NULL ? r->inc->equipment : NULL);
	sbuf_adds(&b, "\n＜正常時の動作＞\n");
	text_or_blank(&b, note_text(r, "equipment.normal"));
	sbuf_adds(&b, "\n＜事故発生時の動作＞\n");
	text_or_blank(&b, note_text(r, "equipment.failure"));
	add_item(&d->rows, &d->nrows, "事故の原因となつた電気通信設備の概要",
	    "equipment", &b);
}

static void
row_situation(const struct report *r, struct report_doc *d)
{
	const struct timeline *tl = r->tl;
	struct sbuf b = SBUF_INIT;
	const char *region = tl->users.region;
	size_t i, shown = 0, own = 0;

	sbuf_adds(&b, "＜発生した事象＞\n");
	for (i = 0; i < tl->nimpacts; i++) {
		if (tl->impacts[i].start_id == 0)
			continue;
		report_circled(tl->impacts[i].no, &b);
		sbuf_printf(&b, "%s。\n", tl->impacts[i].label ?
		    tl->impacts[i].label : tl->impacts[i].name);
		shown++;
	}
	if (shown == 0)
		sbuf_printf(&b, "%s\n", REPORT_FILL_IN);
	sbuf_adds(&b, "＜影響を与えた利用者数＞\n");
	for (i = 0; i < tl->nimpacts; i++)
		own += tl->impacts[i].no != 0 && tl->impacts[i].own_users >= 0;
	if (own > 0 && tl->nshown > 1) {
		/* Counted per impact: each its own figure. */
		for (i = 0, shown = 0; i < tl->nimpacts; i++) {
			const struct tl_impact *im = &tl->impacts[i];

			if (im->no == 0)
				continue;
			if (shown++ > 0)
				sbuf_addc(&b, '\n');
			report_circled(im->no, &b);
			sbuf_printf(&b, "%s：", im->label ? im->label : im->name);
			if (im->cls_users >= 0) {
				count_format(im->cls_users, &b);
				sbuf_adds(&b, "人");
			} else
				sbuf_adds(&b, REPORT_FILL_IN);
		}
		sbuf_printf(&b, "\n（%s）", tl->users.basis ? tl->users.basis :
		    REPORT_FILL_IN);
	} else if (tl->users.max >= 0) {
		count_format(tl->users.max, &b);
		sbuf_adds(&b, "人");
		sbuf_printf(&b, " （%s）", tl->users.basis ? tl->users.basis :
		    REPORT_FILL_IN);
	} else
		sbuf_adds(&b, REPORT_FILL_IN);
	if (tl->users.total >= 0) {
		struct local_time lt;

		zone_local(r->zone, tl->users.total_at, &lt);
		sbuf_adds(&b, "\n（参考）総契約数：");
		count_format(tl->users.total, &b);
		sbuf_adds(&b, "人（");
		wareki_month(&lt, &b);
		sbuf_adds(&b, "時点）");
	}
	if (region == NULL)
		region = note_text(r, "users.region");
	sbuf_adds(&b, "\n＜影響を与えた地域＞\n");
	text_or_blank(&b, region);
	sbuf_adds(&b, "\n＜影響利用者数の算定根拠＞\n");
	text_or_blank(&b, note_text(r, "users.basis"));
	if (tl->users.n > 0)
		sbuf_adds(&b, "\n（影響利用者数の推移については、別添「影響利用者数の"
		    "推移」を参照）");
	add_item(&d->rows, &d->nrows, "発生状況", "situation", &b);
}

static void
row_measures(const struct report *r, struct report_doc *d)
{
	struct sbuf b = SBUF_INIT;

	sbuf_adds(&b, "＜措置模様の概要＞\n");
	text_or_blank(&b, note_text(r, "measure.summary"));
	sbuf_adds(&b, "\n\n＜詳細な措置模様＞\n");
	if (d->timeline != NULL && *d->timeline != '\0') {
		size_t n = strlen(d->timeline);

		/* The block ends with a newline; the row does not. */
		sbuf_add(&b, d->timeline, d->timeline[n - 1] == '\n' ? n - 1 : n);
	} else
		sbuf_adds(&b, REPORT_FILL_IN);
	add_item(&d->rows, &d->nrows, "措置模様（事故対応状況）", "measures", &b);
}

static void
add_causes(const struct report *r, struct sbuf *b, const char *section)
{
	size_t n, i;
	const struct tl_note *no = timeline_notes(r->tl, section, &n);

	if (no == NULL) {
		sbuf_adds(b, REPORT_FILL_IN);
		return;
	}
	for (i = 0; i < n; i++) {
		if (i > 0)
			sbuf_addc(b, '\n');
		if (no[i].stage != NULL)
			sbuf_printf(b, "○%s時の原因：", no[i].stage);
		sbuf_adds(b, no[i].text);
	}
}

static void
row_cause(const struct report *r, struct report_doc *d)
{
	struct sbuf b = SBUF_INIT;

	sbuf_adds(&b, "＜発生原因の概要＞\n");
	add_causes(r, &b, "cause.summary");
	sbuf_adds(&b, "\n＜大規模化した原因＞\n");
	add_causes(r, &b, "cause.scale");
	sbuf_adds(&b, "\n＜長期化した原因＞\n");
	add_causes(r, &b, "cause.duration");
	add_item(&d->rows, &d->nrows, "発生原因", "cause", &b);
}

/* 2026-11-30 -> 令和8年11月30日 */
static void
add_iso_date(const char *iso, struct sbuf *b)
{
	struct local_time lt;

	memset(&lt, 0, sizeof(lt));
	lt.year = atoi(iso);
	lt.month = atoi(iso + 5);
	lt.day = atoi(iso + 8);
	wareki_date(&lt, b);
}

static void
row_prevention(const struct report *r, struct report_doc *d)
{
	static const struct { const char *section, *heading; } parts[] = {
		{ "measure.interim", "＜暫定対処＞" },
		{ "measure.permanent", "＜恒久対処＞" },
	};
	struct sbuf b = SBUF_INIT;
	size_t p, i, n;
	int no = 0;

	for (p = 0; p < 2; p++) {
		const struct tl_note *m = timeline_notes(r->tl,
		    parts[p].section, &n);

		if (p > 0)
			sbuf_addc(&b, '\n');
		sbuf_printf(&b, "%s\n", parts[p].heading);
		if (m == NULL)
			sbuf_adds(&b, REPORT_FILL_IN);
		for (i = 0; i < n; i++) {
			if (i > 0)
				sbuf_addc(&b, '\n');
			sbuf_printf(&b, "%d. %s\n【", ++no, m[i].text);
			if (m[i].done != NULL) {
				add_iso_date(m[i].done, &b);
				sbuf_adds(&b, "に実施済み");
			} else if (m[i].due != NULL) {
				add_iso_date(m[i].due, &b);
				sbuf_adds(&b, "実施完了予定");
			} else
				sbuf_adds(&b, "実施日又は実施予定日：" REPORT_FILL_IN);
			sbuf_adds(&b, "】");
		}
	}
	add_item(&d->rows, &d->nrows, "再発防止策", "prevention", &b);
}

static const char *
channel_name(const char *c)
{
	if (strcmp(c, "phone") == 0)
		return "電話";
	if (strcmp(c, "mail") == 0)
		return "メール";
	if (strcmp(c, "web") == 0)
		return "自社HP";
	if (strcmp(c, "press") == 0)
		return "報道発表";
	if (strcmp(c, "sns") == 0)
		return "SNS";
	return "その他";
}

static void
row_users_response(const struct report *r, struct report_doc *d)
{
	const struct timeline *tl = r->tl;
	const struct tl_inquiries *q = &tl->inquiries;
	struct sbuf b = SBUF_INIT;
	const char *s;
	size_t i, web = 0, other = 0;

	sbuf_adds(&b, "＜問い合わせ件数＞\n");
	if (q->total >= 0) {
		struct local_time lt;

		zone_local(r->zone, q->as_of, &lt);
		count_format(q->total, &b);
		/* To the minute; 12時 when on the hour, as the sample writes. */
		sbuf_printf(&b, "件（%d月%d日%d時", lt.month, lt.day, lt.hour);
		if (lt.min != 0)
			sbuf_printf(&b, "%d分", lt.min);
		sbuf_adds(&b, "時点）");
		if ((s = note_text(r, "inquiry.scope")) != NULL)
			sbuf_printf(&b, "\n※%s", s);
		sbuf_adds(&b, "\n※問い合わせ件数の内訳：");
		for (i = 0; i < q->nchannels; i++) {
			sbuf_printf(&b, "%s%s ", i ? "、" : "",
			    channel_name(q->channels[i].key));
			count_format(q->channels[i].count, &b);
			sbuf_adds(&b, "件");
		}
		if (q->ntopics > 0)
			sbuf_adds(&b, "\n※主な問い合わせ内容：");
		for (i = 0; i < q->ntopics; i++) {
			sbuf_printf(&b, "\n・%s（約", q->topics[i].key);
			count_format(q->topics[i].count, &b);
			sbuf_adds(&b, "件）");
		}
	} else
		sbuf_adds(&b, REPORT_FILL_IN);

	sbuf_adds(&b, "\n＜自社HPへの情報掲載＞\n");
	for (i = 0; i < tl->nnotices; i++)
		web += strcmp(tl->notices[i].channel, "web") == 0;
	if ((s = note_text(r, "notice.web")) != NULL)
		sbuf_printf(&b, "%s\n", s);
	if (web > 0) {
		sbuf_printf(&b, "合計%zu回情報掲載を実施。各掲載時間と掲載内容は以下の"
		    "通り。", web);
		for (i = 0; i < tl->nnotices; i++) {
			if (strcmp(tl->notices[i].channel, "web") != 0)
				continue;
			sbuf_printf(&b, "\n第%d報 ", tl->notices[i].no);
			add_md_hm(r, tl->notices[i].at, &b);
			sbuf_printf(&b, "（%s）", tl->notices[i].text);
		}
	} else if (s == NULL)
		sbuf_adds(&b, REPORT_FILL_IN);
	else
		sbuf_truncate(&b, b.len - 1);

	sbuf_adds(&b, "\n＜報道発表＞");
	{
		int any = 0;

		for (i = 0; i < tl->nnotices; i++) {
			if (strcmp(tl->notices[i].channel, "press") != 0)
				continue;
			sbuf_addc(&b, '\n');
			add_md_hm(r, tl->notices[i].at, &b);
			sbuf_printf(&b, "に、%s。", tl->notices[i].text);
			any = 1;
		}
		if ((s = note_text(r, "notice.press")) != NULL)
			sbuf_printf(&b, "\n%s", s);
		else if (!any)
			sbuf_printf(&b, "\n%s", REPORT_FILL_IN);
	}

	sbuf_adds(&b, "\n＜その他の対応＞");
	for (i = 0; i < tl->nnotices; i++) {
		const char *c = tl->notices[i].channel;

		if (strcmp(c, "sns") != 0 && strcmp(c, "other") != 0)
			continue;
		sbuf_printf(&b, "\n・%s ", channel_name(c));
		add_md_hm(r, tl->notices[i].at, &b);
		sbuf_printf(&b, "（%s）", tl->notices[i].text);
		other++;
	}
	if ((s = note_text(r, "response.other")) != NULL)
		sbuf_printf(&b, "\n・%s", s);
	else if (other == 0)
		sbuf_printf(&b, "\n%s", REPORT_FILL_IN);
	add_item(&d->rows, &d->nrows, "利用者対応状況", "users_response", &b);
}

static void
row_note(const struct report *r, struct report_doc *d, const char *label,
    const char *key, const char *section)
{
	struct sbuf b = SBUF_INIT;

	text_or_blank(&b, note_text(r, section));
	add_item(&d->rows, &d->nrows, label, key, &b);
}

/*
 * 関連する事故の発生傾向: what a person wrote, else the draft from the
 * related incidents the caller looked up, else REPORT_FILL_IN.
 */
static void
row_related(const struct report *r, struct report_doc *d)
{
	struct sbuf b = SBUF_INIT;
	const char *s = note_text(r, "related");

	if (s == NULL && r->related != NULL)
		related_draft(r->related, r->zone, &b);
	else
		text_or_blank(&b, s);
	add_item(&d->rows, &d->nrows, "関連する事故の発生傾向", "related", &b);
}

static void
row_profile(struct report_doc *d, const char *label, const char *key,
    const char *value)
{
	struct sbuf b = SBUF_INIT;

	text_or_blank(&b, value);
	add_item(&d->rows, &d->nrows, label, key, &b);
}

int
report_build(const struct report *r, struct report_doc *d)
{
	const struct report_profile *p = r->profile;
	struct sbuf b = SBUF_INIT;
	struct local_time lt;
	size_t i;

	memset(d, 0, sizeof(*d));
	zone_local(r->zone, r->now, &lt);
	wareki_date(&lt, &b);
	d->date = sbuf_steal(&b);
	if (timeline_text_block(r->tl, r->zone, &b) == -1)
		return -1;
	d->timeline = sbuf_steal(&b);
	for (i = 0; i < r->tl->users.n; i++) {
		add_local(r, r->tl->users.samples[i].at, &b,
		    wareki_short_daytime);
		sbuf_adds(&b, " ");
		count_format(r->tl->users.samples[i].count, &b);
		sbuf_adds(&b, "人\n");
	}
	d->users_chart = sbuf_steal(&b);

	header(r, d);
	row_occurred(r, d);
	row_recovery(r, d);
	row_location(r, d);
	row_overview(r, d);
	row_equipment(r, d);
	row_situation(r, d);
	row_measures(r, d);
	row_cause(r, d);
	row_prevention(r, d);
	row_users_response(r, d);
	row_note(r, d, "関連する基準及び規程", "standards", "standards");
	row_related(r, d);
	row_profile(d, "電気通信設備統括管理者の氏名", "general_manager",
	    p ? p->general_manager : NULL);
	row_profile(d, "事故の対策を確認した電気通信主任技術者の氏名及び資格の種別",
	    "chief_engineer", p ? p->chief_engineer : NULL);
	return d->nrows == 14 && d->nheader == 9 ? 0 : -1;
}

void
report_doc_free(struct report_doc *d)
{
	size_t i;

	if (d == NULL)
		return;
	for (i = 0; i < d->nheader; i++)
		free(d->header[i].content);
	for (i = 0; i < d->nrows; i++)
		free(d->rows[i].content);
	free(d->header);
	free(d->rows);
	free(d->date);
	free(d->timeline);
	free(d->users_chart);
	memset(d, 0, sizeof(*d));
}

int
report_format_listed(const char *formats, const char *name)
{
	size_t len = strlen(name);
	const char *hit;

	for (hit = strstr(formats, name); hit != NULL; hit = strstr(hit + 1,
	    name))
		if ((hit == formats || hit[-1] == ',') && (hit[len] == '\0' ||
		    hit[len] == ','))
			return 1;
	return 0;
}

int
report_render_formats(const struct report *r, const char *formats,
    const char **names, char **bodies)
{
	static const struct {
		const char	*name;
		int		(*fn)(const struct report *, struct sbuf *);
	} all[] = { { "text", report_text }, { "md", report_markdown },
	    { "html", report_html }, { "json", report_json } };
	struct sbuf body = SBUF_INIT;
	size_t i;
	int n = 0;

	for (i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		if (!report_format_listed(formats, all[i].name))
			continue;
		all[i].fn(r, &body);
		names[n] = all[i].name;
		bodies[n++] = sbuf_steal(&body);
	}
	return n;
}
