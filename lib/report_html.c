/*
 * The draft as one self-contained HTML file: the form as a bordered table
 * sized for A4 (print CSS, no external assets), and the attachments drawn
 * by sochi as inline SVG: 「影響利用者数の推移」 and a chart of the impacts
 * as bars with the timeline's entries as marks.  The data points carry
 * data-* attributes so that tests (and people) can read them back.
 */
#include <string.h>

#include "report.h"
#include "wareki.h"

static const char style[] =
"@page { size: A4; margin: 14mm 14mm 16mm 14mm; }\n"
"* { box-sizing: border-box; }\n"
"body { font-family: \"Noto Serif CJK JP\", \"IPAexMincho\", \"IPAMincho\", serif;\n"
"  font-size: 10pt; line-height: 1.5; margin: 0 auto; max-width: 182mm; color: #000; }\n"
".form-no { margin: 0 0 4mm; }\n"
"h1 { text-align: center; font-size: 15pt; letter-spacing: .4em; margin: 2mm 0 4mm; }\n"
".date { text-align: right; margin: 0; }\n"
".to { margin: 2mm 0 4mm; }\n"
"table.head { margin-left: 40%; border-collapse: collapse; }\n"
"table.head th { text-align: left; font-weight: normal; padding: 0 3mm 0 0;\n"
"  white-space: nowrap; vertical-align: top; }\n"
"table.head td { white-space: pre-wrap; }\n"
"table.form { width: 100%; border-collapse: collapse; margin-top: 5mm; }\n"
"table.form th, table.form td { border: 0.6pt solid #000; padding: 1.5mm 2mm;\n"
"  vertical-align: top; text-align: left; }\n"
"table.form th { width: 30mm; font-weight: normal; }\n"
"table.form td { white-space: pre-wrap; word-break: break-all; }\n"
"table.form tr { break-inside: avoid; page-break-inside: avoid; }\n"
"table.form tr.long { break-inside: auto; page-break-inside: auto; }\n"
".fill-in { background: #ffe98a; font-weight: bold; }\n"
"section.attachment { break-before: page; page-break-before: always; }\n"
"section.attachment h2 { font-size: 12pt; margin: 0 0 3mm; }\n"
"svg { width: 100%; height: auto; font-family: sans-serif; }\n"
"svg text { font-size: 9px; }\n"
"@media screen { body { padding: 10mm; } }\n";

/* Escapes text for HTML; REPORT_FILL_IN is marked so it stands out. */
static void
esc(struct sbuf *b, const char *s)
{
	size_t fill = strlen(REPORT_FILL_IN);

	for (; *s != '\0'; s++) {
		if (strncmp(s, REPORT_FILL_IN, fill) == 0) {
			sbuf_adds(b, "<span class=\"fill-in\">" REPORT_FILL_IN "</span>");
			s += fill - 1;
			continue;
		}
		switch (*s) {
		case '<': sbuf_adds(b, "&lt;"); break;
		case '>': sbuf_adds(b, "&gt;"); break;
		case '&': sbuf_adds(b, "&amp;"); break;
		case '"': sbuf_adds(b, "&quot;"); break;
		default: sbuf_addc(b, *s);
		}
	}
}

static void
iso(const struct report *r, int64_t t, struct sbuf *b)
{
	struct sochi_time st;
	char buf[RFC3339_MAX];

	st.usec = t - t % 1000000;
	st.offset_min = zone_offset(r->zone, t / 1000000) / 60;
	rfc3339_format(&st, buf, sizeof(buf));
	sbuf_adds(b, buf);
}

static void
short_time(const struct report *r, int64_t t, struct sbuf *b)
{
	struct local_time lt;

	zone_local(r->zone, t, &lt);
	wareki_short_daytime(&lt, b);
}

/* Chart geometry, in SVG user units. */
#define W	640.0
#define LEFT	70.0
#define RIGHT	20.0

static double
xpos(int64_t t, int64_t t0, int64_t t1)
{
	double span = (double)(t1 - t0);

	if (span <= 0)
		return LEFT;
	return LEFT + (W - LEFT - RIGHT) * (double)(t - t0) / span;
}

/* A light line and an M/D label at each local midnight within the span. */
static void
day_ticks(const struct report *r, struct sbuf *b, int64_t t0, int64_t t1,
    double top, double bottom)
{
	struct local_time lt;
	int64_t day, step = 86400LL * 1000000;
	int n = 0;

	if (t1 - t0 > 62 * step || t1 <= t0)
		return;
	/* From the start of t0's day, one day at a time. */
	zone_local(r->zone, t0, &lt);
	lt.hour = lt.min = lt.sec = 0;
	day = zone_utc(r->zone, &lt) + step;
	for (; day < t1; day += step, n++) {
		double x = xpos(day, t0, t1);

		sbuf_printf(b, "<line class=\"day\" x1=\"%.1f\" y1=\"%.1f\" "
		    "x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>\n", x, top, x,
		    bottom);
		if (t1 - t0 <= 16 * step || n % 2 == 0) {
			zone_local(r->zone, day, &lt);
			sbuf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" "
			    "text-anchor=\"middle\" fill=\"#666\">%d/%d</text>\n",
			    x, bottom + 28, lt.month, lt.day);
		}
	}
}

static void
users_chart(const struct report *r, struct sbuf *b)
{
	const struct tl_users *u = &r->tl->users;
	const double top = 30, bottom = 230, h = 270;
	int64_t t0 = u->samples[0].at, t1 = u->samples[u->n - 1].at;
	double ymax = u->max > 0 ? (double)u->max * 1.15 : 1, x, y, px = 0, py = 0;
	size_t i;

	if (r->tl->all_recovered && r->tl->recovered > t1)
		t1 = r->tl->recovered;
	else if (!r->tl->all_recovered && r->tl->now > t1)
		t1 = r->tl->now;
	sbuf_printf(b, "<svg id=\"users-chart\" viewBox=\"0 0 %.0f %.0f\" "
	    "xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" "
	    "aria-label=\"影響利用者数の推移\">\n", W, h);
	sbuf_printf(b, "<text x=\"%.0f\" y=\"16\" font-size=\"12\">影響利用者数の推移"
	    "（人）</text>\n", LEFT);
	day_ticks(r, b, t0, t1, top, bottom);
	/* Axes and the maximum as a reference line. */
	sbuf_printf(b, "<line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" "
	    "stroke=\"#000\"/>\n", LEFT, bottom, W - RIGHT, bottom);
	sbuf_printf(b, "<line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" "
	    "stroke=\"#000\"/>\n", LEFT, top, LEFT, bottom);
	y = bottom - (bottom - top) * (double)u->max / ymax;
	sbuf_printf(b, "<line x1=\"%.0f\" y1=\"%.1f\" x2=\"%.0f\" y2=\"%.1f\" "
	    "stroke=\"#999\" stroke-dasharray=\"4 3\"/>\n", LEFT, y, W - RIGHT,
	    y);
	sbuf_printf(b, "<text x=\"%.0f\" y=\"%.1f\" text-anchor=\"end\">",
	    LEFT - 4, y + 3);
	count_format(u->max, b);
	sbuf_adds(b, "</text>\n");
	sbuf_printf(b, "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"end\">0</text>\n",
	    LEFT - 4, bottom + 3);
	sbuf_printf(b, "<text x=\"%.0f\" y=\"%.0f\">", LEFT, bottom + 16);
	short_time(r, t0, b);
	sbuf_printf(b, "</text>\n<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"end\">",
	    W - RIGHT, bottom + 16);
	short_time(r, t1, b);
	sbuf_adds(b, "</text>\n");
	/* The count holds until the next sample: a step line. */
	sbuf_adds(b, "<path class=\"series\" fill=\"none\" stroke=\"#c0392b\" "
	    "stroke-width=\"2\" d=\"");
	for (i = 0; i < u->n; i++) {
		x = xpos(u->samples[i].at, t0, t1);
		y = bottom - (bottom - top) * (double)u->samples[i].count / ymax;
		if (i == 0)
			sbuf_printf(b, "M%.1f %.1f", x, y);
		else
			sbuf_printf(b, " H%.1f V%.1f", x, y);
		px = x;
		py = y;
	}
	sbuf_printf(b, " H%.1f\"/>\n", xpos(t1, t0, t1));
	(void)px;
	(void)py;
	for (i = 0; i < u->n; i++) {
		x = xpos(u->samples[i].at, t0, t1);
		y = bottom - (bottom - top) * (double)u->samples[i].count / ymax;
		sbuf_printf(b, "<circle class=\"sample\" cx=\"%.1f\" cy=\"%.1f\" "
		    "r=\"3\" fill=\"#c0392b\" data-at=\"", x, y);
		iso(r, u->samples[i].at, b);
		sbuf_printf(b, "\" data-count=\"%lld\" data-event=\"%lld\">"
		    "<title>", (long long)u->samples[i].count,
		    (long long)u->samples[i].id);
		short_time(r, u->samples[i].at, b);
		sbuf_adds(b, " ");
		count_format(u->samples[i].count, b);
		sbuf_adds(b, "人</title></circle>\n");
	}
	sbuf_adds(b, "</svg>\n");
}

static const char *
phase_color(const char *phase)
{
	static const struct { const char *p, *c; } colors[] = {
		{ "work", "#7f8c8d" }, { "detect", "#e67e22" },
		{ "identify", "#8e44ad" }, { "recover", "#27ae60" },
		{ "notify", "#2980b9" }, { "followup", "#34495e" },
	};
	size_t i;

	for (i = 0; phase != NULL && i < sizeof(colors) / sizeof(colors[0]); i++)
		if (strcmp(colors[i].p, phase) == 0)
			return colors[i].c;
	return "#555";
}

static void
timeline_chart(const struct report *r, struct sbuf *b)
{
	const struct timeline *tl = r->tl;
	const double bar = 18, gap = 8, top = 30;
	int64_t t0 = 0, t1 = 0;
	double h, y, x0, x1, ent_y;
	size_t i, nbars = 0;

	for (i = 0; i < tl->nimpacts; i++) {
		const struct tl_impact *im = &tl->impacts[i];
		int64_t end = im->recover_id ? im->recovered : tl->now;

		if (im->start_id == 0)
			continue;
		if (t0 == 0 || im->start < t0)
			t0 = im->start;
		if (end > t1)
			t1 = end;
		nbars++;
	}
	for (i = 0; i < tl->nentries; i++) {
		if (t0 == 0 || tl->entries[i].at < t0)
			t0 = tl->entries[i].at;
		if (tl->entries[i].at > t1)
			t1 = tl->entries[i].at;
	}
	ent_y = top + (double)nbars * (bar + gap) + 14;
	h = ent_y + 44;
	sbuf_printf(b, "<svg id=\"timeline-chart\" viewBox=\"0 0 %.0f %.0f\" "
	    "xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" "
	    "aria-label=\"影響と措置の時系列\">\n", W, h);
	sbuf_printf(b, "<text x=\"%.0f\" y=\"16\" font-size=\"12\">影響と措置の時系列"
	    "</text>\n", LEFT);
	day_ticks(r, b, t0, t1, top - 6, ent_y);
	y = top;
	for (i = 0; i < tl->nimpacts; i++) {
		const struct tl_impact *im = &tl->impacts[i];
		int64_t end = im->recover_id ? im->recovered : tl->now;

		if (im->start_id == 0)
			continue;
		x0 = xpos(im->start, t0, t1);
		x1 = xpos(end, t0, t1);
		if (x1 - x0 < 2)
			x1 = x0 + 2;
		sbuf_printf(b, "<text x=\"%.0f\" y=\"%.1f\" text-anchor=\"end\">",
		    LEFT - 4, y + bar - 5);
		report_circled(im->no, b);
		sbuf_adds(b, "</text>\n");
		sbuf_printf(b, "<rect class=\"impact\" x=\"%.1f\" y=\"%.1f\" "
		    "width=\"%.1f\" height=\"%.0f\" fill=\"%s\" data-no=\"%d\" "
		    "data-start=\"", x0, y, x1 - x0, bar,
		    im->provisional ? "#f5b7b1" : "#c0392b", im->no);
		iso(r, im->start, b);
		sbuf_adds(b, "\" data-end=\"");
		if (im->recover_id)
			iso(r, im->recovered, b);
		sbuf_printf(b, "\" data-minutes=\"%lld\"><title>",
		    (long long)duration_minutes(im->duration));
		esc(b, im->label ? im->label : im->name);
		sbuf_adds(b, " ");
		duration_format(im->duration, b);
		sbuf_adds(b, "</title></rect>\n");
		/* The duration inside a wide bar in white, else after it. */
		if (x1 - x0 > 120)
			sbuf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" fill=\"#fff\">",
			    x0 + 4, y + bar - 5);
		else
			sbuf_printf(b, "<text x=\"%.1f\" y=\"%.1f\">", x1 + 4,
			    y + bar - 5);
		duration_format(im->duration, b);
		sbuf_adds(b, im->provisional ? "（暫定）" : "");
		sbuf_adds(b, "</text>\n");
		y += bar + gap;
	}
	sbuf_printf(b, "<line x1=\"%.0f\" y1=\"%.1f\" x2=\"%.0f\" y2=\"%.1f\" "
	    "stroke=\"#000\"/>\n", LEFT, ent_y, W - RIGHT, ent_y);
	sbuf_printf(b, "<text x=\"%.0f\" y=\"%.1f\" text-anchor=\"end\">措置"
	    "</text>\n", LEFT - 4, ent_y + 3);
	for (i = 0; i < tl->nentries; i++) {
		const struct tl_entry *e = &tl->entries[i];

		sbuf_printf(b, "<circle class=\"entry\" cx=\"%.1f\" cy=\"%.1f\" "
		    "r=\"3.5\" fill=\"%s\" data-at=\"", xpos(e->at, t0, t1),
		    ent_y, phase_color(e->phase));
		iso(r, e->at, b);
		sbuf_printf(b, "\" data-phase=\"%s\" data-event=\"%lld\"><title>",
		    e->phase ? e->phase : "", (long long)e->id);
		short_time(r, e->at, b);
		sbuf_adds(b, " ");
		esc(b, e->text ? e->text : "");
		sbuf_adds(b, "</title></circle>\n");
	}
	sbuf_printf(b, "<text x=\"%.0f\" y=\"%.1f\">", LEFT, ent_y + 20);
	short_time(r, t0, b);
	sbuf_printf(b, "</text>\n<text x=\"%.0f\" y=\"%.1f\" text-anchor=\"end\">",
	    W - RIGHT, ent_y + 20);
	short_time(r, t1, b);
	sbuf_adds(b, "</text>\n</svg>\n");
}

int
report_html(const struct report *r, struct sbuf *b)
{
	struct report_doc d;
	size_t i;

	if (report_build(r, &d) == -1) {
		report_doc_free(&d);
		return -1;
	}
	sbuf_adds(b, "<!DOCTYPE html>\n<html lang=\"ja\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n<title>重大な事故報告書（詳報）");
	if (r->inc != NULL && r->inc->code != NULL) {
		sbuf_adds(b, " ");
		esc(b, r->inc->code);
	}
	sbuf_printf(b, "</title>\n<style>\n%s</style>\n</head>\n<body>\n", style);
	sbuf_adds(b, "<p class=\"form-no\">様式第50の３（第57条関係）</p>\n"
	    "<h1>重大な事故報告書（詳報）</h1>\n<p class=\"date\">");
	esc(b, d.date);
	sbuf_adds(b, "</p>\n<p class=\"to\">総務大臣 殿</p>\n<table class=\"head\">\n");
	for (i = 0; i < d.nheader; i++) {
		if (strcmp(d.header[i].key, "registration_date") == 0)
			sbuf_adds(b, "<tr><th colspan=\"2\">登録年月日又は届出年月日"
			    "及び届出番号</th></tr>\n");
		sbuf_printf(b, "<tr data-key=\"%s\"><th>", d.header[i].key);
		esc(b, d.header[i].label);
		sbuf_adds(b, "</th><td>");
		esc(b, d.header[i].content);
		if (strcmp(d.header[i].key, "representative") == 0)
			sbuf_adds(b, "　印");
		sbuf_adds(b, "</td></tr>\n");
	}
	sbuf_adds(b, "</table>\n<table class=\"form\">\n");
	for (i = 0; i < d.nrows; i++) {
		sbuf_printf(b, "<tr data-key=\"%s\"%s><th>", d.rows[i].key,
		    strlen(d.rows[i].content) > 600 ? " class=\"long\"" : "");
		esc(b, d.rows[i].label);
		sbuf_adds(b, "</th><td>");
		esc(b, d.rows[i].content);
		sbuf_adds(b, "</td></tr>\n");
	}
	sbuf_adds(b, "</table>\n");
	sbuf_adds(b, "<section class=\"attachment\" id=\"attachment-users\">\n"
	    "<h2>別添　影響利用者数の推移</h2>\n");
	if (r->tl->users.n > 0)
		users_chart(r, b);
	else
		sbuf_adds(b, "<p><span class=\"fill-in\">" REPORT_FILL_IN "</span>"
		    "（影響利用者数の記録がありません）</p>\n");
	sbuf_adds(b, "</section>\n<section class=\"attachment\" "
	    "id=\"attachment-timeline\">\n<h2>別添　影響と措置の時系列</h2>\n");
	timeline_chart(r, b);
	sbuf_adds(b, "</section>\n</body>\n</html>\n");
	report_doc_free(&d);
	return 0;
}
