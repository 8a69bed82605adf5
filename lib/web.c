/* SPDX-License-Identifier: MIT */
/*
 * The web view's pages.  See web.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sha256.h"
#include "timeline.h"
#include "wareki.h"
#include "web.h"

/*
 * The view's own look; the incident page adds the draft's style sheet
 * (report_html_style) first, whose body rules this one narrows down.
 */
static const char site_style[] =
"body { font-family: \"Noto Sans CJK JP\", \"IPAexGothic\", \"IPAGothic\", sans-serif;\n"
"  color: #111; background: #fff; }\n"
"body.wide { max-width: 1200px; margin: 0 auto; padding: 0 12px; font-size: 10.5pt; }\n"
"header.site { display: flex; gap: 1.5em; align-items: baseline;\n"
"  border-bottom: 1px solid #999; padding: 6px 0; margin-bottom: 10px; }\n"
"header.site a { color: #0b4f8a; }\n"
"header.site .brand { font-weight: bold; text-decoration: none; color: #111; }\n"
"h1.page { text-align: left; letter-spacing: normal; font-size: 15pt; margin: 6px 0; }\n"
"p.meta { color: #444; margin: 4px 0 10px; }\n"
"table.list, table.facts, table.live, table.drafts { border-collapse: collapse; }\n"
"table.list th, table.list td, table.facts th, table.facts td, table.live th,\n"
"table.live td, table.drafts th, table.drafts td { border: 1px solid #bbb;\n"
"  padding: 3px 6px; vertical-align: top; text-align: left; }\n"
"table.list th, table.live th, table.drafts th { background: #eef1f4; }\n"
"table.facts th { background: #eef1f4; font-weight: normal; white-space: nowrap; }\n"
"table.list { width: 100%; }\n"
"table.live { width: 100%; margin-bottom: 8px; }\n"
"td.time, td.num { white-space: nowrap; }\n"
"td.num { text-align: right; }\n"
".provisional { color: #9c2a00; font-weight: bold; }\n"
".overdue { color: #b00020; font-weight: bold; }\n"
".cls-serious { color: #b00020; }\n"
".stale { color: #9c2a00; }\n"
"section.live h2, section.report-box h2.box { font-size: 12pt; margin: 14px 0 6px; }\n"
"section.report-box { border-top: 2px solid #333; margin-top: 16px; padding-top: 4px; }\n"
"pre.draft, pre.diff { white-space: pre-wrap; font-family: monospace; font-size: 9.5pt;\n"
"  border: 1px solid #bbb; padding: 8px; background: #fafafa; }\n"
"pre.diff .add { background: #e3f6e3; display: block; }\n"
"pre.diff .del { background: #fbe3e3; display: block; }\n"
"pre.diff .same { display: block; color: #555; }\n"
"form.inline { margin: 8px 0; }\n"
"p.error { color: #b00020; }\n";

int
web_code_valid(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 64)
		return 0;
	if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
	    (*s >= '0' && *s <= '9')))
		return 0;
	return strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789._-") == n;
}

/* The segment of path up to the next '/' as a code; -1 if not one. */
static int
take_code(const char **path, struct web_route *rt)
{
	const char *p = *path, *e = strchr(p, '/');
	size_t n = e != NULL ? (size_t)(e - p) : strlen(p);

	if (n == 0 || n >= sizeof(rt->code))
		return -1;
	memcpy(rt->code, p, n);
	rt->code[n] = '\0';
	if (!web_code_valid(rt->code))
		return -1;
	*path = p + n;
	return 0;
}

enum web_kind
web_route(const char *path, struct web_route *rt)
{
	const char *p;
	char *end;
	long v;

	memset(rt, 0, sizeof(*rt));
	if (strcmp(path, "/") == 0)
		return rt->kind = WEB_LIST;
	if (strcmp(path, "/login") == 0)
		return rt->kind = WEB_LOGIN;
	if (strcmp(path, "/v1/incidents") == 0 ||
	    strcmp(path, "/v1/incidents/") == 0)
		return rt->kind = WEB_API_LIST;
	if (strncmp(path, "/v1/incidents/", 14) == 0) {
		p = path + 14;
		rt->kind = WEB_NOT_FOUND;
		if (take_code(&p, rt) == -1)
			return rt->kind;
		if (*p == '\0')
			rt->kind = WEB_API_REPORT;
		else if (strcmp(p, "/timeline") == 0)
			rt->kind = WEB_API_TIMELINE;
		else if (strcmp(p, "/report") == 0)
			rt->kind = WEB_API_FORMAT;
		return rt->kind;
	}
	if (strcmp(path, "/incidents") == 0 || strcmp(path, "/incidents/") == 0)
		return rt->kind = WEB_LIST;
	if (strncmp(path, "/incidents/", 11) == 0) {
		p = path + 11;
		rt->kind = WEB_NOT_FOUND;
		if (take_code(&p, rt) == -1)
			return rt->kind;
		if (*p == '\0' || strcmp(p, "/") == 0)
			rt->kind = WEB_INCIDENT;
		else if (strcmp(p, "/events") == 0)
			rt->kind = WEB_EVENTS;
		else if (strcmp(p, "/drafts") == 0 || strcmp(p, "/drafts/") == 0)
			rt->kind = WEB_DRAFTS;
		else if (strcmp(p, "/drafts/diff") == 0)
			rt->kind = WEB_DIFF;
		else if (strncmp(p, "/drafts/", 8) == 0 && p[8] >= '0' &&
		    p[8] <= '9') {
			v = strtol(p + 8, &end, 10);
			if (*end == '\0' && v >= 0 && v <= 1000000) {
				rt->version = (int)v;
				rt->kind = WEB_DRAFT;
			}
		}
		return rt->kind;
	}
	return rt->kind = WEB_NONE;
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int
web_query(const char *q, const char *name, char *out, size_t len)
{
	size_t nl = strlen(name), o;
	const char *p = q, *e;
	int hi, lo;

	while (p != NULL && *p != '\0') {
		e = strchr(p, '&');
		if (strncmp(p, name, nl) == 0 && p[nl] == '=') {
			p += nl + 1;
			for (o = 0; *p != '\0' && p != e; p++) {
				char c = *p;

				if (c == '+')
					c = ' ';
				else if (c == '%') {
					if ((hi = hexval((unsigned char)p[1])) == -1 ||
					    (lo = hexval((unsigned char)p[2])) == -1)
						return -1;
					c = (char)(hi * 16 + lo);
					p += 2;
				}
				/* Control characters, a NUL among them: not text. */
				if ((unsigned char)c < 0x20 || c == 0x7f ||
				    o + 1 >= len)
					return -1;
				out[o++] = c;
			}
			out[o] = '\0';
			return 0;
		}
		p = e != NULL ? e + 1 : NULL;
	}
	return -1;
}

void
web_esc(struct sbuf *b, const char *s)
{
	for (; s != NULL && *s != '\0'; s++) {
		switch (*s) {
		case '<': sbuf_adds(b, "&lt;"); break;
		case '>': sbuf_adds(b, "&gt;"); break;
		case '&': sbuf_adds(b, "&amp;"); break;
		case '"': sbuf_adds(b, "&quot;"); break;
		case '\'': sbuf_adds(b, "&#39;"); break;
		default: sbuf_addc(b, *s);
		}
	}
}

/* A text with its line ends as <br>, escaped. */
static void
esc_lines(struct sbuf *b, const char *s)
{
	const char *nl;
	char *line;

	while (s != NULL && *s != '\0') {
		nl = strchr(s, '\n');
		if (nl == NULL) {
			web_esc(b, s);
			return;
		}
		if ((line = strndup(s, (size_t)(nl - s))) != NULL) {
			web_esc(b, line);
			free(line);
		}
		sbuf_adds(b, "<br>");
		s = nl + 1;
	}
}

/* 2026-11-16 12:00 in the zone, with its offset when asked. */
static void
local_time(const struct zone *z, int64_t t, int offset, struct sbuf *b)
{
	struct local_time lt;
	int off;

	zone_local(z, t, &lt);
	sbuf_printf(b, "%04d-%02d-%02d %02d:%02d", lt.year, lt.month, lt.day,
	    lt.hour, lt.min);
	if (offset) {
		off = zone_offset(z, t / 1000000) / 60;
		sbuf_printf(b, "%c%02d:%02d", off < 0 ? '-' : '+',
		    (off < 0 ? -off : off) / 60, (off < 0 ? -off : off) % 60);
	}
}

enum refresh { REFRESH_NONE, REFRESH_ALWAYS, REFRESH_NOSCRIPT };

static void
page_start(struct sbuf *b, const char *title, enum refresh refresh,
    int report_style, const char *body_class)
{
	sbuf_adds(b, "<!DOCTYPE html>\n<html lang=\"ja\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n<meta name=\"viewport\" "
	    "content=\"width=device-width, initial-scale=1\">\n<title>");
	web_esc(b, title);
	sbuf_adds(b, " — sochi</title>\n");
	if (refresh == REFRESH_ALWAYS)
		sbuf_printf(b, "<meta http-equiv=\"refresh\" content=\"%d\">\n",
		    WEB_REFRESH_S);
	else if (refresh == REFRESH_NOSCRIPT)
		sbuf_printf(b, "<noscript><meta http-equiv=\"refresh\" "
		    "content=\"%d\"></noscript>\n", WEB_REFRESH_S);
	sbuf_adds(b, "<style>\n");
	if (report_style)
		sbuf_adds(b, report_html_style);
	sbuf_adds(b, site_style);
	sbuf_printf(b, "</style>\n</head>\n<body class=\"%s\">\n<header "
	    "class=\"site\"><a class=\"brand\" href=\"/\">sochi</a>"
	    "<a href=\"/\">インシデント一覧</a><a href=\"/?all=1\">すべて"
	    "</a></header>\n", body_class);
}

/* A script goes in as <script>\nTEXT</script>: the policy hashes "\nTEXT". */
static void
page_end(struct sbuf *b, const char *script)
{
	if (script != NULL)
		sbuf_printf(b, "<script>\n%s</script>\n", script);
	sbuf_adds(b, "</body>\n</html>\n");
}

/* ① 電子メールの送受信ができない 2時間15分間, the running ones marked. */
static void
impact_durations(struct sbuf *b, const struct timeline *tl, int labels)
{
	size_t i;
	int first = 1;

	for (i = 0; i < tl->nimpacts; i++) {
		const struct tl_impact *im = &tl->impacts[i];

		if (im->no == 0)
			continue;
		if (!first)
			sbuf_adds(b, "<br>");
		first = 0;
		sbuf_printf(b, "<span class=\"impact%s\" data-no=\"%d\" "
		    "data-minutes=\"%lld\" data-provisional=\"%s\">",
		    im->provisional ? " provisional" : "", im->no,
		    (long long)duration_minutes(im->duration),
		    im->provisional ? "true" : "false");
		report_circled(im->no, b);
		sbuf_adds(b, " ");
		if (labels && (im->label != NULL || im->name != NULL)) {
			web_esc(b, im->label != NULL ? im->label : im->name);
			sbuf_adds(b, " ");
		}
		duration_format(im->duration, b);
		if (im->provisional)
			sbuf_adds(b, "（暫定・継続中）");
		sbuf_adds(b, "</span>");
	}
	if (first)
		sbuf_adds(b, "-");
}

static void
class_cell(struct sbuf *b, const struct timeline *tl, int full)
{
	struct sbuf line = SBUF_INIT;

	if (!tl->assessed) {
		sbuf_adds(b, "undetermined");
		return;
	}
	sbuf_printf(b, "<span class=\"cls-%s\">", reg_class_name(tl->reg.cls));
	if (full) {
		report_incident_line(tl, &line);
		web_esc(b, line.data);
	} else {
		sbuf_adds(b, reg_class_name(tl->reg.cls));
		if (tl->reg.row != NULL && *tl->reg.row->kanji != '\0')
			sbuf_printf(b, " %s", tl->reg.row->kanji);
		if (tl->reg.cls == REG_SERIOUS && tl->reg.pair != 0)
			sbuf_printf(b, "%c", tl->reg.pair);
	}
	sbuf_adds(b, "</span>");
	sbuf_free(&line);
}

/* 2026-12-16（詳報、あと12日） or ...（3日超過）; undetermined: both dates. */
static void
due_cell(struct sbuf *b, const struct timeline *tl, const struct zone *z,
    int64_t now, const char *filed_on)
{
	struct sbuf line = SBUF_INIT;
	struct reg_date due;
	int64_t days;

	if (!tl->assessed || listing_due(tl, &due) == -1) {
		if (tl->assessed && tl->reg.cls == REG_UNDETERMINED) {
			report_due_line(tl, &line);
			web_esc(b, line.data);
			sbuf_free(&line);
		} else
			sbuf_adds(b, "-");
		return;
	}
	days = listing_days_left(z, now, due);
	if (tl->reg.cls == REG_UNDETERMINED) {
		report_due_line(tl, &line);
		web_esc(b, line.data);
		sbuf_free(&line);
	} else
		sbuf_printf(b, "%04d-%02d-%02d（%s）", due.year, due.month,
		    due.day, tl->reg.cls == REG_SERIOUS ? "詳報" : "定期報告");
	if (filed_on != NULL) {
		sbuf_adds(b, " <span class=\"filed\">提出済");
		if (*filed_on != '\0') {
			sbuf_adds(b, " ");
			web_esc(b, filed_on);
		}
		sbuf_adds(b, "</span>");
	} else if (days >= 0)
		sbuf_printf(b, " <span class=\"days\" data-days=\"%lld\">あと"
		    "%lld日</span>", (long long)days, (long long)days);
	else
		sbuf_printf(b, " <span class=\"days overdue\" data-days=\"%lld\">"
		    "%lld日超過</span>", (long long)days, (long long)-days);
}

int
web_list_page(const struct listing *l, struct sbuf *b)
{
	size_t i;

	page_start(b, "インシデント一覧", REFRESH_ALWAYS, 0, "wide");
	sbuf_adds(b, "<main id=\"incidents\">\n<h1 class=\"page\">インシデント一覧"
	    "</h1>\n<p class=\"meta\">");
	sbuf_adds(b, l->all ? "すべてのインシデント" : "対応中のもの、及び30日以内に"
	    "開始又は終了したもの（<a href=\"/?all=1\">すべて表示</a>）");
	sbuf_adds(b, "。時刻はすべて事業者のタイムゾーン、");
	local_time(l->zone, l->now, 1, b);
	sbuf_adds(b, " 現在（<a href=\"/v1/incidents");
	if (l->all)
		sbuf_adds(b, "?all=1");
	sbuf_adds(b, "\">JSON</a>）</p>\n");
	if (l->n == 0) {
		sbuf_adds(b, "<p>インシデントはありません。</p>\n</main>\n");
		page_end(b, NULL);
		return 0;
	}
	sbuf_adds(b, "<table class=\"list\">\n<thead><tr><th>コード</th>"
	    "<th>件名</th><th>状態</th><th>発生</th><th>継続時間</th>"
	    "<th>最大影響利用者数</th><th>区分</th><th>報告期限</th></tr>"
	    "</thead>\n<tbody>\n");
	for (i = 0; i < l->n; i++) {
		const struct listing_item *it = &l->v[i];
		const struct timeline *tl = it->tl;

		sbuf_adds(b, "<tr data-code=\"");
		web_esc(b, it->inc->code);
		sbuf_adds(b, "\"><td><a href=\"/incidents/");
		web_esc(b, it->inc->code);
		sbuf_adds(b, "\">");
		web_esc(b, it->inc->code);
		sbuf_adds(b, "</a></td><td>");
		web_esc(b, it->inc->title);
		sbuf_printf(b, "</td><td>%s</td><td class=\"time\">",
		    it->open ? "open" : "closed");
		if (tl->occurred_id != 0)
			local_time(l->zone, tl->occurred, 1, b);
		else
			sbuf_adds(b, "-");
		sbuf_adds(b, "</td><td class=\"durations\">");
		impact_durations(b, tl, 0);
		sbuf_adds(b, "</td><td class=\"num\">");
		if (tl->users.max >= 0) {
			count_format(tl->users.max, b);
			sbuf_adds(b, "人");
		} else
			sbuf_adds(b, tl->nshown > 0 ? "不明" : "-");
		sbuf_adds(b, "</td><td>");
		class_cell(b, tl, 0);
		sbuf_adds(b, "</td><td>");
		due_cell(b, tl, l->zone, l->now, it->filed_on);
		sbuf_adds(b, "</td></tr>\n");
	}
	sbuf_adds(b, "</tbody>\n</table>\n</main>\n");
	page_end(b, NULL);
	return 0;
}

/*
 * Follows the incident's event stream; each "update" is the <main> drawn
 * again.  EventSource reconnects by itself, saying the last id it had.
 */
static const char follow_script[] =
"(function () {\n"
"  var m = document.getElementById(\"incident\");\n"
"  if (!m || !window.EventSource) return;\n"
"  var es = new EventSource(m.getAttribute(\"data-events\") +\n"
"      \"?since=\" + m.getAttribute(\"data-last-event\"));\n"
"  es.addEventListener(\"update\", function (e) {\n"
"    document.getElementById(\"incident\").outerHTML = e.data;\n"
"  });\n"
"})();\n";

int
web_incident_main(const struct web_incident *wi, struct sbuf *b)
{
	const struct report *r = wi->r;
	const struct timeline *tl = r->tl;
	const char *code = r->inc->code;
	struct local_time lt;
	size_t i;

	sbuf_adds(b, "<main id=\"incident\" data-code=\"");
	web_esc(b, code);
	sbuf_adds(b, "\" data-events=\"/incidents/");
	web_esc(b, code);
	sbuf_printf(b, "/events\" data-last-event=\"%lld\">\n",
	    (long long)wi->last_event);
	sbuf_adds(b, "<h1 class=\"page\">");
	web_esc(b, code);
	sbuf_adds(b, "　");
	web_esc(b, r->inc->title);
	sbuf_printf(b, "</h1>\n<p class=\"meta\"><span class=\"state\">%s</span>"
	    "・", wi->open ? "対応中 (open)" : "終了 (closed)");
	local_time(r->zone, r->now, 1, b);
	sbuf_adds(b, " 現在・<a href=\"/incidents/");
	web_esc(b, code);
	sbuf_adds(b, "/drafts\">保存された草稿</a>・<a href=\"/v1/incidents/");
	web_esc(b, code);
	sbuf_adds(b, "\">JSON</a>・<a href=\"/v1/incidents/");
	web_esc(b, code);
	sbuf_adds(b, "/timeline\">時系列 JSON</a></p>\n<table class=\"facts\">\n"
	    "<tr><th>発生</th><td class=\"occurred\">");
	if (tl->occurred_id != 0) {
		zone_local(r->zone, tl->occurred, &lt);
		wareki_datetime(&lt, b);
	} else
		sbuf_adds(b, "-（影響の記録がありません）");
	sbuf_adds(b, "</td></tr>\n<tr><th>継続時間</th><td class=\"durations\">");
	impact_durations(b, tl, 1);
	sbuf_adds(b, "</td></tr>\n<tr><th>最大影響利用者数</th><td class=\"users\">");
	if (tl->users.max >= 0) {
		count_format(tl->users.max, b);
		sbuf_adds(b, "人");
	} else
		sbuf_adds(b, "不明");
	sbuf_adds(b, "</td></tr>\n<tr><th>区分</th><td class=\"class\">");
	class_cell(b, tl, 1);
	sbuf_adds(b, "</td></tr>\n<tr><th>報告期限</th><td class=\"due\">");
	due_cell(b, tl, r->zone, r->now, wi->filed_on);
	sbuf_adds(b, "</td></tr>\n</table>\n");

	sbuf_printf(b, "<section class=\"live\" id=\"timeline\">\n<h2>措置模様"
	    "（%zu件）</h2>\n", tl->nentries);
	if (tl->nentries == 0)
		sbuf_adds(b, "<p>まだ記録がありません。</p>\n");
	else {
		sbuf_adds(b, "<table class=\"live\">\n<thead><tr><th>時刻</th>"
		    "<th>区分</th><th>内容</th><th>実施者</th></tr></thead>\n"
		    "<tbody>\n");
		for (i = 0; i < tl->nentries; i++) {
			const struct tl_entry *e = &tl->entries[i];

			sbuf_printf(b, "<tr class=\"entry\" data-event=\"%lld\" "
			    "data-phase=\"", (long long)e->id);
			web_esc(b, e->phase != NULL ? e->phase : "");
			sbuf_adds(b, "\"><td class=\"time\">");
			local_time(r->zone, e->at, 0, b);
			sbuf_adds(b, "</td><td>");
			web_esc(b, e->heading != NULL ? e->heading : e->phase);
			sbuf_adds(b, "</td><td class=\"text\">");
			esc_lines(b, e->text);
			sbuf_adds(b, "</td><td>");
			web_esc(b, e->actor);
			sbuf_adds(b, "</td></tr>\n");
		}
		sbuf_adds(b, "</tbody>\n</table>\n");
	}
	sbuf_adds(b, "</section>\n<section class=\"report-box\" id=\"report\">\n"
	    "<h2 class=\"box\">報告書の草稿（sochi report --format html と同じ）"
	    "</h2>\n");
	if (report_html_body(r, b) == -1)
		return -1;
	sbuf_adds(b, "</section>\n</main>\n");
	return 0;
}

int
web_incident_page(const struct web_incident *wi, struct sbuf *b)
{
	struct sbuf title = SBUF_INIT;
	int rv;

	sbuf_adds(&title, wi->r->inc->code);
	sbuf_adds(&title, " ");
	sbuf_adds(&title, wi->r->inc->title != NULL ? wi->r->inc->title : "");
	page_start(b, title.data, REFRESH_NOSCRIPT, 1, "incident");
	sbuf_free(&title);
	rv = web_incident_main(wi, b);
	page_end(b, follow_script);
	return rv;
}

static const char *
trigger_name(const char *t)
{
	if (strcmp(t, "sokuho") == 0)
		return "速報（自動）";
	if (strcmp(t, "recovery") == 0)
		return "詳報（復旧時に自動）";
	if (strcmp(t, "manual") == 0)
		return "詳報（sochi draft）";
	return t;
}

static void
incident_link(struct sbuf *b, const char *code)
{
	sbuf_adds(b, "<p class=\"meta\"><a href=\"/incidents/");
	web_esc(b, code);
	sbuf_adds(b, "\">");
	web_esc(b, code);
	sbuf_adds(b, " に戻る</a>・<a href=\"/incidents/");
	web_esc(b, code);
	sbuf_adds(b, "/drafts\">草稿の一覧</a></p>\n");
}

int
web_drafts_page(const char *code, const char *title,
    const struct web_draft *v, size_t n, const struct zone *z,
    struct sbuf *b)
{
	struct sbuf t = SBUF_INIT;
	size_t i, k;

	sbuf_adds(&t, code);
	sbuf_adds(&t, " の草稿");
	page_start(b, t.data, REFRESH_NONE, 0, "wide");
	sbuf_free(&t);
	sbuf_adds(b, "<main id=\"drafts\">\n<h1 class=\"page\">");
	web_esc(b, code);
	sbuf_adds(b, "　");
	web_esc(b, title);
	sbuf_adds(b, " の草稿</h1>\n");
	incident_link(b, code);
	if (n == 0) {
		sbuf_adds(b, "<p>保存された草稿はまだありません。</p>\n</main>\n");
		page_end(b, NULL);
		return 0;
	}
	sbuf_adds(b, "<table class=\"drafts\">\n<thead><tr><th>版</th><th>種類"
	    "</th><th>作成</th><th>形式</th><th>状態</th></tr></thead>\n"
	    "<tbody>\n");
	for (i = 0; i < n; i++) {
		sbuf_printf(b, "<tr data-version=\"%d\"><td><a href=\"/incidents/",
		    v[i].version);
		web_esc(b, code);
		sbuf_printf(b, "/drafts/%d\">%d</a></td><td>", v[i].version,
		    v[i].version);
		web_esc(b, trigger_name(v[i].trigger));
		sbuf_adds(b, "</td><td class=\"time\">");
		local_time(z, v[i].made, 1, b);
		sbuf_adds(b, "</td><td>");
		web_esc(b, v[i].formats);
		sbuf_printf(b, "</td><td%s>%s</td></tr>\n", v[i].stale ?
		    " class=\"stale\"" : "", v[i].stale ? "古い（後に記録あり）" :
		    "最新");
	}
	sbuf_adds(b, "</tbody>\n</table>\n");
	if (n >= 2) {
		sbuf_adds(b, "<form class=\"inline\" method=\"get\" "
		    "action=\"/incidents/");
		web_esc(b, code);
		sbuf_adds(b, "/drafts/diff\">版 <select name=\"a\">");
		for (k = 0; k < 2; k++) {
			if (k == 1)
				sbuf_adds(b, "</select> と <select name=\"b\">");
			for (i = 0; i < n; i++)
				sbuf_printf(b, "<option value=\"%d\"%s>%d</option>",
				    v[i].version, (k == 0 && i == n - 2) ||
				    (k == 1 && i == n - 1) ? " selected" : "",
				    v[i].version);
		}
		sbuf_adds(b, "</select> <button type=\"submit\">の違いを見る"
		    "</button></form>\n");
	}
	sbuf_adds(b, "</main>\n");
	page_end(b, NULL);
	return 0;
}

int
web_draft_page(const char *code, int version, const char *text,
    struct sbuf *b)
{
	struct sbuf t = SBUF_INIT;

	sbuf_printf(&t, "%s 草稿 第%d版", code, version);
	page_start(b, t.data, REFRESH_NONE, 0, "wide");
	sbuf_adds(b, "<main id=\"draft\">\n<h1 class=\"page\">");
	web_esc(b, t.data);
	sbuf_free(&t);
	sbuf_adds(b, "</h1>\n");
	incident_link(b, code);
	sbuf_adds(b, "<pre class=\"draft\">");
	web_esc(b, text);
	sbuf_adds(b, "</pre>\n</main>\n");
	page_end(b, NULL);
	return 0;
}

int
web_diff_page(const char *code, int a, int bv, const struct diff *d,
    struct sbuf *b)
{
	struct sbuf t = SBUF_INIT;
	char *line;
	size_t i;

	sbuf_printf(&t, "%s 草稿 第%d版と第%d版の違い", code, a, bv);
	page_start(b, t.data, REFRESH_NONE, 0, "wide");
	sbuf_adds(b, "<main id=\"diff\">\n<h1 class=\"page\">");
	web_esc(b, t.data);
	sbuf_free(&t);
	sbuf_adds(b, "</h1>\n");
	incident_link(b, code);
	sbuf_printf(b, "<p class=\"meta\" data-changed=\"%zu\">", d->changed);
	if (d->changed == 0)
		sbuf_adds(b, "違いはありません。");
	else
		sbuf_printf(b, "%zu行が異なります（「- 」は第%d版だけに、「+ 」は"
		    "第%d版だけにある行）。", d->changed, a, bv);
	if (d->coarse)
		sbuf_adds(b, "大きすぎるため、異なる部分を丸ごと示します。");
	sbuf_adds(b, "</p>\n<pre class=\"diff\">");
	for (i = 0; i < d->n; i++) {
		const struct diff_line *l = &d->v[i];

		sbuf_printf(b, "<span class=\"%s\">%s", l->op == DIFF_ADD ?
		    "add" : l->op == DIFF_DEL ? "del" : "same", l->op ==
		    DIFF_ADD ? "+ " : l->op == DIFF_DEL ? "- " : "  ");
		if ((line = strndup(l->text, l->len)) != NULL) {
			web_esc(b, line);
			free(line);
		}
		sbuf_adds(b, "</span>");
	}
	sbuf_adds(b, "</pre>\n</main>\n");
	page_end(b, NULL);
	return 0;
}

int
web_login_page(const char *next, const char *error, struct sbuf *b)
{
	page_start(b, "ログイン", REFRESH_NONE, 0, "wide");
	sbuf_adds(b, "<main id=\"login\">\n<h1 class=\"page\">ログイン</h1>\n");
	if (error != NULL) {
		sbuf_adds(b, "<p class=\"error\">");
		web_esc(b, error);
		sbuf_adds(b, "</p>\n");
	}
	sbuf_adds(b, "<p>このアドレスからの閲覧にはトークン（sochid の "
	    "tokens_file）が要ります。一度入力すると、ブラウザを閉じるまで有効な"
	    " cookie が残ります。</p>\n<form method=\"get\" action=\"/login\">"
	    "<input type=\"hidden\" name=\"next\" value=\"");
	web_esc(b, next != NULL ? next : "/");
	sbuf_adds(b, "\"><label>トークン <input type=\"password\" "
	    "name=\"token\" autocomplete=\"off\" autofocus></label> "
	    "<button type=\"submit\">ログイン</button></form>\n</main>\n");
	page_end(b, NULL);
	return 0;
}

int
web_error_page(int status, const char *reason, const char *message,
    struct sbuf *b)
{
	struct sbuf t = SBUF_INIT;

	sbuf_printf(&t, "%d %s", status, reason);
	page_start(b, t.data, REFRESH_NONE, 0, "wide");
	sbuf_adds(b, "<main id=\"error\">\n<h1 class=\"page\">");
	web_esc(b, t.data);
	sbuf_free(&t);
	sbuf_adds(b, "</h1>\n<p>");
	web_esc(b, message);
	sbuf_adds(b, "</p>\n</main>\n");
	page_end(b, NULL);
	return 0;
}

int
web_sse(struct sbuf *b, const char *event, int64_t id, const char *data)
{
	const char *p = data, *e;

	sbuf_printf(b, "event: %s\n", event);
	if (id > 0)
		sbuf_printf(b, "id: %lld\n", (long long)id);
	do {
		e = p + strcspn(p, "\r\n");
		sbuf_adds(b, "data: ");
		sbuf_add(b, p, (size_t)(e - p));
		sbuf_addc(b, '\n');
		if (*e == '\r' && e[1] == '\n')
			e++;
		p = *e != '\0' ? e + 1 : e;
	} while (*p != '\0');
	return sbuf_addc(b, '\n');
}

int
web_timeline_json(const struct web_incident *wi, struct sbuf *b)
{
	const struct report *r = wi->r;
	json_t *root;
	char *text;

	root = json_pack("{s:s,s:{s:s,s:s,s:s},s:o,s:I,s:o}", "format",
	    "sochi-timeline/1", "incident", "code", r->inc->code, "title",
	    r->inc->title != NULL ? r->inc->title : "", "state", wi->open ?
	    "open" : "closed", "now", report_json_time(r->zone, r->now),
	    "last_event", (json_int_t)wi->last_event, "timeline",
	    report_json_entries(r->tl, r->zone));
	if (root == NULL)
		return -1;
	text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (text == NULL)
		return -1;
	sbuf_adds(b, text);
	sbuf_addc(b, '\n');
	free(text);
	return 0;
}

int
web_csp(struct sbuf *b)
{
	static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789+/";
	unsigned char d[33];
	struct sha256 s;
	unsigned v;
	int i;

	sha256_init(&s);
	sha256_add(&s, "\n", 1);
	sha256_add(&s, follow_script, sizeof(follow_script) - 1);
	sha256_end(&s, d);
	d[32] = 0;
	sbuf_adds(b, "default-src 'none'; style-src 'unsafe-inline'; "
	    "script-src 'sha256-");
	/* 32 bytes: ten groups of three and two left, padded with one '='. */
	for (i = 0; i < 33; i += 3) {
		v = (unsigned)d[i] << 16 | (unsigned)d[i + 1] << 8 |
		    (i + 2 < 33 ? d[i + 2] : 0);
		sbuf_addc(b, b64[(v >> 18) & 63]);
		sbuf_addc(b, b64[(v >> 12) & 63]);
		sbuf_addc(b, i + 1 < 32 ? b64[(v >> 6) & 63] : '=');
		sbuf_addc(b, i + 2 < 32 ? b64[v & 63] : '=');
	}
	return sbuf_adds(b, "'; connect-src 'self'; img-src data:; "
	    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
}
