/* SPDX-License-Identifier: MIT */
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

const char report_html_style[] =
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

"table.form { width: 100%; border-collapse: collapse; margin-top: 5mm; }\n"
"table.form th, table.form td { border: 0.6pt solid #000; padding: 1.5mm 2mm;\n"
"  vertical-align: top; text-align: left; }\n"
"table.form th { width: 30mm; font-weight: normal; }\n"
"table.form td { overflow-wrap: break-word; }\n"
"/* A figure (a time, a duration, a count) is never split across lines. */\n"
".fig { white-space: nowrap; }\n"
".fill-in { background: #ffe98a; font-weight: bold; }\n"
"/* Rows may run onto the next page; an attachment moves only if it must. */\n"
"section.attachment { margin-top: 8mm; break-inside: avoid;\n"
"  page-break-inside: avoid; }\n"
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

static int
at(const char *s, const char *w)
{
	return strncmp(s, w, strlen(w)) == 0;
}

/* A digit, ASCII or full-width: its length in bytes, or 0. */
static size_t
digit_len(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	if (*p >= '0' && *p <= '9')
		return 1;
	return p[0] == 0xef && p[1] == 0xbc && p[2] >= 0x90 && p[2] <= 0x99 ?
	    3 : 0;
}

/*
 * The length of a figure starting at s — a date and time (令和8年11月16日
 * （月曜日）12時00分), a duration (継続時間：2時間15分間), a count (58,990人,
 * 587件, 第12報), a time (11/16 12:03) — or 0 when none starts there.
 */
static size_t
figure_len(const char *s)
{
	static const char *const lead[] = { "継続時間：", "令和", "平成", "昭和",
	    "第", "約", NULL };
	static const char *const units[] = { "年", "月", "日", "時", "分", "秒",
	    "間", "人", "件", "報", "万", "回", "現在", NULL };
	const char *p = s, *const *u;
	size_t k, digits = 0;

	for (u = lead; *u != NULL; u++)
		if (at(p, *u) && digit_len(p + strlen(*u)) > 0) {
			p += strlen(*u);
			break;
		}
	if (digit_len(p) == 0)
		return 0;
	for (;;) {
		if ((k = digit_len(p)) > 0) {
			p += k;
			digits++;
			continue;
		}
		if ((*p == ',' || *p == ':' || *p == '/' || *p == '.' ||
		    *p == ' ') && digit_len(p + 1) > 0) {
			p++;
			continue;
		}
		/* （月曜日） inside a date. */
		if (at(p, "（") && at(p + 6, "曜日）")) {
			p += 6 + strlen("曜日）");
			continue;
		}
		for (u = units; *u != NULL; u++)
			if (at(p, *u))
				break;
		if (*u == NULL)
			break;
		p += strlen(*u);
	}
	return digits > 0 ? (size_t)(p - s) : 0;
}

/* esc, with each figure in a span that keeps it on one line. */
static void
esc_figures(struct sbuf *b, const char *s)
{
	struct sbuf f = SBUF_INIT;
	size_t n;

	while (*s != '\0') {
		if ((n = figure_len(s)) > 0) {
			sbuf_add(&f, s, n);
			sbuf_adds(b, "<span class=\"fig\">");
			esc(b, f.data);
			sbuf_adds(b, "</span>");
			sbuf_truncate(&f, 0);
			s += n;
			continue;
		}
		/*
		 * A line break as <br>: text in pre-wrap kept Chromium from
		 * splitting a row across pages.
		 */
		if (*s == '\n') {
			sbuf_adds(b, "<br>");
			s++;
			continue;
		}
		/* One character as it is. */
		n = 1;
		while ((s[n] & 0xc0) == 0x80)
			n++;
		if (at(s, REPORT_FILL_IN))
			n = strlen(REPORT_FILL_IN);
		sbuf_add(&f, s, n);
		esc(b, f.data);
		sbuf_truncate(&f, 0);
		s += n;
	}
	sbuf_free(&f);
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
#define FONT	9.0		/* svg text { font-size: 9px } */

/*
 * The width a label takes, on the safe side: a wide character 1.2 em (its
 * glyph is 1 em), any other 0.6 em.  Labels are placed by it so that none
 * runs past the chart's edge.
 */
static double
label_width(const char *s, double font)
{
	return (double)text_width(s, strlen(s)) * font * 0.6;
}

/*
 * Text colours meet 4.5:1 against what is behind them: black on white and
 * on the light bar of a running impact, white on the dark bar of a
 * recovered one (#c0392b: 5.4:1), #555 on white for the axis (7.5:1).
 */
#define BAR_DONE	"#c0392b"
#define BAR_RUNNING	"#f5b7b1"
#define INK_AXIS	"#555"

static double
xpos(int64_t t, int64_t t0, int64_t t1)
{
	double span = (double)(t1 - t0);

	if (span <= 0)
		return LEFT;
	return LEFT + (W - LEFT - RIGHT) * (double)(t - t0) / span;
}

/* A label centred on x, moved in so that it stays within the chart. */
static void
centred_label(struct sbuf *b, double x, double y, const char *text)
{
	double w = label_width(text, FONT);

	if (x - w / 2 < 2)
		x = 2 + w / 2;
	if (x + w / 2 > W - 2)
		x = W - 2 - w / 2;
	sbuf_printf(b, "<text class=\"tick\" x=\"%.1f\" y=\"%.1f\" "
	    "text-anchor=\"middle\" fill=\"" INK_AXIS "\">%s</text>\n", x, y,
	    text);
}

/*
 * Time ticks: a light line and a label at every step (15 minutes to a
 * week, the smallest that gives at most eight) on the carrier's clock,
 * M/D at midnight, else HH:MM.
 */
static void
time_ticks(const struct report *r, struct sbuf *b, int64_t t0, int64_t t1,
    double top, double bottom, double label_y)
{
	static const int64_t steps[] = { 15, 30, 60, 120, 180, 360, 720, 1440,
	    2880, 10080 };
	const int64_t min = 60LL * 1000000;
	struct local_time lt;
	int64_t step = 0, t, midnight;
	char buf[32];
	size_t i;

	if (t1 <= t0)
		return;
	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
		if ((t1 - t0) / (steps[i] * min) <= 8) {
			step = steps[i] * min;
			break;
		}
	if (step == 0)
		step = ((t1 - t0) / 8 / (1440 * min) + 1) * 1440 * min;
	zone_local(r->zone, t0, &lt);
	lt.hour = lt.min = lt.sec = 0;
	midnight = zone_utc(r->zone, &lt);
	for (t = midnight; t < t0; t += step)
		;
	for (; t <= t1; t += step) {
		double x = xpos(t, t0, t1);

		zone_local(r->zone, t, &lt);
		if (lt.hour == 0 && lt.min == 0)
			snprintf(buf, sizeof(buf), "%d/%d", lt.month, lt.day);
		else
			snprintf(buf, sizeof(buf), "%02d:%02d", lt.hour, lt.min);
		sbuf_printf(b, "<line class=\"tick\" x1=\"%.1f\" y1=\"%.1f\" "
		    "x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>\n", x, top, x,
		    bottom);
		centred_label(b, x, label_y, buf);
	}
}

/* 0, 10,000, 20,000, ...: a step of 1, 2, 2.5 or 5 times a power of ten. */
static int64_t
nice_step(int64_t max)
{
	static const int m[] = { 10, 20, 25, 50, 100 };
	int64_t raw = max / 4 > 0 ? max / 4 : 1, mag = 1;
	size_t i;

	while (mag * 10 <= raw)
		mag *= 10;
	for (i = 0; i < sizeof(m) / sizeof(m[0]); i++)
		if (m[i] * mag / 10 >= raw && m[i] * mag / 10 > 0)
			return m[i] * mag / 10;
	return 10 * mag;
}

static void
users_chart(const struct report *r, struct sbuf *b)
{
	const struct tl_users *u = &r->tl->users;
	const double top = 30, bottom = 230, h = 270;
	int64_t t0 = u->samples[0].at, t1 = u->samples[u->n - 1].at, step, v;
	double ymax, x, y;
	struct sbuf lab = SBUF_INIT;
	size_t i;

	if (r->tl->all_recovered && r->tl->recovered > t1)
		t1 = r->tl->recovered;
	else if (!r->tl->all_recovered && r->tl->now > t1)
		t1 = r->tl->now;
	step = nice_step(u->max > 0 ? u->max : 1);
	for (v = step; (double)v < (double)(u->max > 0 ? u->max : 1) * 1.1; )
		v += step;
	ymax = (double)v;
	sbuf_printf(b, "<svg id=\"users-chart\" viewBox=\"0 0 %.0f %.0f\" "
	    "xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" "
	    "aria-label=\"影響利用者数の推移\">\n", W, h);
	sbuf_printf(b, "<text x=\"%.0f\" y=\"16\" font-size=\"12\">影響利用者数の推移"
	    "（人）</text>\n", LEFT);
	/* The count axis: a tick and a light line at every step. */
	for (v = 0; (double)v <= ymax; v += step) {
		y = bottom - (bottom - top) * (double)v / ymax;
		sbuf_printf(b, "<line class=\"tick\" x1=\"%.0f\" y1=\"%.1f\" "
		    "x2=\"%.0f\" y2=\"%.1f\" stroke=\"%s\"/>\n", LEFT - 3, y,
		    W - RIGHT, y, v == 0 ? "#000" : "#eee");
		sbuf_truncate(&lab, 0);
		count_format(v, &lab);
		sbuf_printf(b, "<text class=\"tick\" x=\"%.0f\" y=\"%.1f\" "
		    "text-anchor=\"end\" fill=\"" INK_AXIS "\">%s</text>\n",
		    LEFT - 5, y + 3, lab.data);
	}
	/* The time axis, with its ticks, and the first and last time. */
	time_ticks(r, b, t0, t1, top, bottom, bottom + 28);
	sbuf_printf(b, "<line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" "
	    "stroke=\"#000\"/>\n", LEFT, top, LEFT, bottom);
	sbuf_printf(b, "<text x=\"%.0f\" y=\"%.0f\">", LEFT, bottom + 14);
	short_time(r, t0, b);
	sbuf_printf(b, "</text>\n<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"end\">",
	    W - RIGHT, bottom + 14);
	short_time(r, t1, b);
	sbuf_adds(b, "</text>\n");
	/* The maximum as a reference line, named at its right end. */
	y = bottom - (bottom - top) * (double)u->max / ymax;
	sbuf_printf(b, "<line x1=\"%.0f\" y1=\"%.1f\" x2=\"%.0f\" y2=\"%.1f\" "
	    "stroke=\"#999\" stroke-dasharray=\"4 3\"/>\n", LEFT, y, W - RIGHT,
	    y);
	sbuf_truncate(&lab, 0);
	sbuf_adds(&lab, "最大 ");
	count_format(u->max, &lab);
	sbuf_adds(&lab, "人");
	sbuf_printf(b, "<text x=\"%.0f\" y=\"%.1f\" text-anchor=\"end\">%s"
	    "</text>\n", W - RIGHT, y - 4, lab.data);
	sbuf_free(&lab);
	/* The count holds until the next sample: a step line. */
	sbuf_adds(b, "<path class=\"series\" fill=\"none\" stroke=\"" BAR_DONE "\" "
	    "stroke-width=\"2\" d=\"");
	for (i = 0; i < u->n; i++) {
		x = xpos(u->samples[i].at, t0, t1);
		y = bottom - (bottom - top) * (double)u->samples[i].count / ymax;
		if (i == 0)
			sbuf_printf(b, "M%.1f %.1f", x, y);
		else
			sbuf_printf(b, " H%.1f V%.1f", x, y);
	}
	sbuf_printf(b, " H%.1f\"/>\n", xpos(t1, t0, t1));
	for (i = 0; i < u->n; i++) {
		x = xpos(u->samples[i].at, t0, t1);
		y = bottom - (bottom - top) * (double)u->samples[i].count / ymax;
		sbuf_printf(b, "<circle class=\"sample\" cx=\"%.1f\" cy=\"%.1f\" "
		    "r=\"3\" fill=\"" BAR_DONE "\" data-at=\"", x, y);
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

/* The legend of the action marks: one colour per phase, as headed. */
static double
legend(const struct timeline *tl, struct sbuf *b, double y)
{
	const char *seen[32];
	size_t i, k, n = 0;
	double x = LEFT, w;

	sbuf_printf(b, "<text class=\"legend\" x=\"%.0f\" y=\"%.1f\" "
	    "text-anchor=\"end\">凡例</text>\n", LEFT - 4, y);
	for (i = 0; i < tl->nentries && n < 32; i++) {
		const struct tl_entry *e = &tl->entries[i];
		const char *label = e->heading ? e->heading : e->phase ?
		    e->phase : "（区分なし）";

		for (k = 0; k < n; k++)
			if (strcmp(seen[k], label) == 0)
				break;
		if (k < n)
			continue;
		seen[n++] = label;
		w = 10 + label_width(label, FONT);
		if (x + w > W - RIGHT && x > LEFT) {
			x = LEFT;
			y += 14;
		}
		sbuf_printf(b, "<circle class=\"legend-mark\" cx=\"%.1f\" "
		    "cy=\"%.1f\" r=\"3.5\" fill=\"%s\" data-phase=\"%s\"/>\n",
		    x + 3.5, y - 3, phase_color(e->phase), e->phase ?
		    e->phase : "");
		sbuf_printf(b, "<text class=\"legend\" x=\"%.1f\" y=\"%.1f\">",
		    x + 10, y);
		esc(b, label);
		sbuf_adds(b, "</text>\n");
		x += w + 14;
	}
	return y;
}

static void
timeline_chart(const struct report *r, struct sbuf *b)
{
	const struct timeline *tl = r->tl;
	const double bar = 18, gap = 8, top = 30;
	int64_t t0 = 0, t1 = 0;
	double y, x0, x1, ent_y, w, last;
	struct sbuf lab = SBUF_INIT, body = SBUF_INIT;
	size_t i, nbars = 0;

	for (i = 0; i < tl->nimpacts; i++) {
		const struct tl_impact *im = &tl->impacts[i];
		int64_t end = im->recover_id ? im->recovered : tl->now;

		if (im->no == 0)
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
	time_ticks(r, &body, t0, t1, top - 6, ent_y, ent_y + 32);
	y = top;
	for (i = 0; i < tl->nimpacts; i++) {
		const struct tl_impact *im = &tl->impacts[i];
		int64_t end = im->recover_id ? im->recovered : tl->now;

		if (im->no == 0)
			continue;
		x0 = xpos(im->start, t0, t1);
		x1 = xpos(end, t0, t1);
		if (x1 - x0 < 2)
			x1 = x0 + 2;
		sbuf_printf(&body, "<text x=\"%.0f\" y=\"%.1f\" "
		    "text-anchor=\"end\">", LEFT - 4, y + bar - 5);
		report_circled(im->no, &body);
		sbuf_adds(&body, "</text>\n");
		sbuf_printf(&body, "<rect class=\"impact\" x=\"%.1f\" y=\"%.1f\" "
		    "width=\"%.1f\" height=\"%.0f\" fill=\"%s\" data-no=\"%d\" "
		    "data-start=\"", x0, y, x1 - x0, bar,
		    im->provisional ? BAR_RUNNING : BAR_DONE, im->no);
		iso(r, im->start, &body);
		sbuf_adds(&body, "\" data-end=\"");
		if (im->recover_id)
			iso(r, im->recovered, &body);
		sbuf_printf(&body, "\" data-minutes=\"%lld\"><title>",
		    (long long)duration_minutes(im->duration));
		esc(&body, im->label ? im->label : im->name);
		sbuf_adds(&body, " ");
		duration_format(im->duration, &body);
		sbuf_adds(&body, "</title></rect>\n");
		/*
		 * The duration inside the bar when it fits, else after it, else
		 * before it: never past the chart's edge.
		 */
		sbuf_truncate(&lab, 0);
		duration_format(im->duration, &lab);
		if (im->provisional)
			sbuf_adds(&lab, "（暫定）");
		w = label_width(lab.data, FONT);
		if (x1 - x0 >= w + 8)
			sbuf_printf(&body, "<text class=\"duration\" x=\"%.1f\" "
			    "y=\"%.1f\" fill=\"%s\">", x0 + 4, y + bar - 5,
			    im->provisional ? "#000" : "#fff");
		else if (x1 + 4 + w <= W - 2)
			sbuf_printf(&body, "<text class=\"duration\" x=\"%.1f\" "
			    "y=\"%.1f\">", x1 + 4, y + bar - 5);
		else
			sbuf_printf(&body, "<text class=\"duration\" x=\"%.1f\" "
			    "y=\"%.1f\" text-anchor=\"end\">", x0 - 4 - w >= 2 ?
			    x0 - 4 : 2 + w, y + bar - 5);
		sbuf_adds(&body, lab.data);
		sbuf_adds(&body, "</text>\n");
		y += bar + gap;
	}
	sbuf_printf(&body, "<line x1=\"%.0f\" y1=\"%.1f\" x2=\"%.0f\" "
	    "y2=\"%.1f\" stroke=\"#000\"/>\n", LEFT, ent_y, W - RIGHT, ent_y);
	sbuf_printf(&body, "<text x=\"%.0f\" y=\"%.1f\" text-anchor=\"end\">措置"
	    "</text>\n", LEFT - 4, ent_y + 3);
	for (i = 0; i < tl->nentries; i++) {
		const struct tl_entry *e = &tl->entries[i];

		sbuf_printf(&body, "<circle class=\"entry\" cx=\"%.1f\" "
		    "cy=\"%.1f\" r=\"3.5\" fill=\"%s\" data-at=\"",
		    xpos(e->at, t0, t1), ent_y, phase_color(e->phase));
		iso(r, e->at, &body);
		sbuf_printf(&body, "\" data-phase=\"%s\" data-event=\"%lld\">"
		    "<title>", e->phase ? e->phase : "", (long long)e->id);
		short_time(r, e->at, &body);
		sbuf_adds(&body, " ");
		esc(&body, e->text ? e->text : "");
		sbuf_adds(&body, "</title></circle>\n");
	}
	sbuf_printf(&body, "<text x=\"%.0f\" y=\"%.1f\">", LEFT, ent_y + 18);
	short_time(r, t0, &body);
	sbuf_printf(&body, "</text>\n<text x=\"%.0f\" y=\"%.1f\" "
	    "text-anchor=\"end\">", W - RIGHT, ent_y + 18);
	short_time(r, t1, &body);
	sbuf_adds(&body, "</text>\n");
	last = tl->nentries > 0 ? legend(tl, &body, ent_y + 54) : ent_y + 32;
	sbuf_printf(b, "<svg id=\"timeline-chart\" viewBox=\"0 0 %.0f %.0f\" "
	    "xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" "
	    "aria-label=\"影響と措置の時系列\">\n", W, last + 10);
	sbuf_printf(b, "<text x=\"%.0f\" y=\"16\" font-size=\"12\">影響と措置の時系列"
	    "</text>\n", LEFT);
	sbuf_add(b, body.data ? body.data : "", body.len);
	sbuf_adds(b, "</svg>\n");
	sbuf_free(&lab);
	sbuf_free(&body);
}

/* As the page styles them (svg, svg text): the same look as a file. */
#define SVG_STYLE	"<style>svg { font-family: sans-serif; } " \
	"text { font-size: 9px; }</style>\n"

int
report_chart_svg(const struct report *r, enum report_chart which,
    struct sbuf *b)
{
	struct sbuf svg = SBUF_INIT;
	const char *gt;

	if (which == REPORT_CHART_USERS) {
		if (r->tl->users.n == 0)
			return -1;
		users_chart(r, &svg);
	} else
		timeline_chart(r, &svg);
	if (svg.data == NULL || (gt = strchr(svg.data, '>')) == NULL) {
		sbuf_free(&svg);
		return -1;
	}
	sbuf_adds(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	sbuf_add(b, svg.data, (size_t)(gt - svg.data) + 1);
	sbuf_adds(b, "\n" SVG_STYLE);
	sbuf_adds(b, gt + 2);
	sbuf_free(&svg);
	return 0;
}

int
report_html_body(const struct report *r, struct sbuf *b)
{
	struct report_doc d;
	size_t i;

	if (report_build(r, &d) == -1) {
		report_doc_free(&d);
		return -1;
	}
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
		esc_figures(b, d.header[i].content);
		if (strcmp(d.header[i].key, "representative") == 0)
			sbuf_adds(b, "　印");
		sbuf_adds(b, "</td></tr>\n");
	}
	sbuf_adds(b, "</table>\n<table class=\"form\">\n");
	for (i = 0; i < d.nrows; i++) {
		sbuf_printf(b, "<tr data-key=\"%s\"><th>", d.rows[i].key);
		esc(b, d.rows[i].label);
		sbuf_adds(b, "</th><td>");
		esc_figures(b, d.rows[i].content);
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
	sbuf_adds(b, "</section>\n");
	report_doc_free(&d);
	return 0;
}

int
report_html(const struct report *r, struct sbuf *b)
{
	sbuf_adds(b, "<!DOCTYPE html>\n<html lang=\"ja\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n<title>重大な事故報告書（詳報）");
	if (r->inc != NULL && r->inc->code != NULL) {
		sbuf_adds(b, " ");
		esc(b, r->inc->code);
	}
	sbuf_printf(b, "</title>\n<style>\n%s</style>\n</head>\n<body>\n",
	    report_html_style);
	if (report_html_body(r, b) == -1)
		return -1;
	sbuf_adds(b, "</body>\n</html>\n");
	return 0;
}
