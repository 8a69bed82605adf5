/* SPDX-License-Identifier: MIT */
/*
 * The four renderers over the sample incident: text and Markdown byte for
 * byte against golden files, HTML and JSON by their contents; an incident
 * with no notes shows 【要記入】 everywhere a person must write; one still in
 * progress shows 未復旧 and provisional durations.
 *
 * SOCHI_WRITE_GOLDEN=DIR writes what the renderers produce into DIR, for a
 * person to compare with the form before replacing the golden files.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"
#include "report.h"

#define NOW	fixture_at("2026-11-28T12:00:00+09:00")

static struct report_profile profile;

static void
set_profile(void)
{
	profile.company = "○○株式会社";
	profile.company_kana = "まるまるかぶしきがいしゃ";
	profile.representative = "代表取締役社長 ○○ ○○";
	profile.postal_code = "○○○-○○○○";
	profile.address = "○県○市○丁目○番地の○";
	profile.address_kana = "まるけんまるしまるちょうめまるばんちのまる";
	profile.registration_date = "平成○年○月○日";
	profile.registration_number = "○○○○";
	profile.contact_phone = "○○○○-○○-○○○○";
	profile.contact_department = "○○部 ○○課";
	profile.contact_person = "○○";
	profile.general_manager = "総務 太郎";
	profile.chief_engineer = "総務 次郎（伝送交換）";
}

static char *
render(struct fixture *fx, int (*fn)(const struct report *, struct sbuf *),
    int64_t now, const struct report_profile *p)
{
	struct timeline tl;
	struct report r;
	struct sbuf b = SBUF_INIT;

	assert_int_equal(timeline_build(&fx->inc, fx->evs, fx->n, &fx->cf, now,
	    &tl), 0);
	r.tl = &tl;
	r.inc = &fx->inc;
	r.profile = p;
	r.related = NULL;
	r.zone = &fx->zone;
	r.now = now;
	assert_int_equal(fn(&r, &b), 0);
	timeline_free(&tl);
	return sbuf_steal(&b);
}

static void
maybe_write(const char *name, const char *text)
{
	const char *dir = getenv("SOCHI_WRITE_GOLDEN");
	char path[1024];
	FILE *f;

	if (dir == NULL)
		return;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((f = fopen(path, "w")) != NULL) {
		fputs(text, f);
		fclose(f);
	}
}

/* s without white space. */
static char *
strip_space(const char *s)
{
	struct sbuf b = SBUF_INIT;

	for (; *s != '\0'; s++)
		if (*s != ' ' && *s != '\n')
			sbuf_addc(&b, *s);
	return sbuf_steal(&b);
}

/* The form's content column (from column 30), without white space. */
static char *
content_column(const char *text)
{
	struct sbuf b = SBUF_INIT;
	const char *line = strstr(text, "====="), *nl, *p;
	char *rv;

	for (; line != NULL && *line != '\0'; line = nl + 1) {
		if ((nl = strchr(line, '\n')) == NULL)
			break;
		for (p = line; p < nl; p++)
			if (!((*p & 0xc0) == 0x80) && text_width(line,
			    (size_t)(p - line)) >= 30)
				break;
		sbuf_add(&b, p, (size_t)(nl - p));
	}
	rv = strip_space(b.data ? b.data : "");
	sbuf_free(&b);
	return rv;
}

static void
golden(int (*fn)(const struct report *, struct sbuf *), const char *name)
{
	struct fixture fx;
	char *got, *want;

	fixture_load(&fx, "sample-incident.ndjson");
	got = render(&fx, fn, NOW, &profile);
	maybe_write(name, got);
	want = fixture_read_text(name);
	assert_string_equal(got, want);
	free(got);
	free(want);
	fixture_free(&fx);
}

static void
test_text(void **state)
{
	golden(report_text, "sample-report.txt");
}

/*
 * The text format keeps every line within the frame (76 columns, a wide
 * character two), wraps with a hanging indent, and loses nothing: each
 * row's content is in it, only white space differs.
 */
static void
test_text_frame(void **state)
{
	struct fixture fx;
	struct timeline tl;
	struct report r;
	struct report_doc d;
	char *text, *line, *save = NULL, *flat, *want;
	size_t i, k;

	fixture_load(&fx, "sample-incident.ndjson");
	/* A long label with no break in it, a long figure, a long URL. */
	fixture_add(&fx, "{\"kind\":\"note\",\"incident\":\"SAMPLE-1\","
	    "\"at\":\"2026-11-28T11:00:00+09:00\",\"section\":\"related\","
	    "\"text\":\"https://example.jp/incidents/2026/11/16/mail-service-outage-"
	    "report-and-measures.html を参照。\"}");
	text = render(&fx, report_text, NOW, &profile);
	for (line = strtok_r(text, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save))
		if (text_width(line, strlen(line)) > 76)
			fail_msg("wider than the frame: %s", line);
	free(text);
	/* Hanging indents: under the text after a time, a number, a bullet. */
	text = render(&fx, report_text, NOW, &profile);
	assert_non_null(strstr(text, "\n                              11/16 12:00 "
	    "仮想基盤の追加に伴い既存システム内\n"
	    "                                          で正常認識されるか"));
	assert_non_null(strstr(text, "  ① 電子メールの"
	    "送受信ができない：\n                                 令和8年11月16日"
	    "（月曜日）14時15分\n                                 （継続時間："
	    "2時間15分間）\n"));
	assert_non_null(strstr(text, "\n                              1. 仮想基盤追加時の"
	    "設定手順書の委託業者への周\n                                 知を"));
	/* Nothing lost or reordered within a row: the content column read back. */
	flat = content_column(text);
	assert_int_equal(timeline_build(&fx.inc, fx.evs, fx.n, &fx.cf, NOW,
	    &tl), 0);
	r.tl = &tl;
	r.inc = &fx.inc;
	r.profile = &profile;
	r.related = NULL;
	r.zone = &fx.zone;
	r.now = NOW;
	assert_int_equal(report_build(&r, &d), 0);
	for (i = 0, k = 0; i < d.nrows; i++) {
		want = strip_space(d.rows[i].content);
		if (strstr(flat, want) == NULL)
			fail_msg("row %s is not whole in the text", d.rows[i].key);
		free(want);
		k++;
	}
	assert_int_equal(k, 14);
	report_doc_free(&d);
	timeline_free(&tl);
	free(flat);
	free(text);
	fixture_free(&fx);
}

static void
test_markdown(void **state)
{
	golden(report_markdown, "sample-report.md");
}

/* The labels of the form, in the order they must appear. */
static const char *const labels[] = {
	"様式第50の３（第57条関係）", "重大な事故報告書（詳報）", "総務大臣 殿",
	"郵便番号", "住所", "氏名", "登録年月日又は届出年月日及び届出番号",
	"連絡先", "発生年月日及び時刻", "復旧年月日及び時刻", "発生場所",
	"事故の全体概要", "事故の原因となつた電気通信設備の概要", "発生状況",
	"措置模様（事故対応状況）", "発生原因", "再発防止策", "利用者対応状況",
	"関連する基準及び規程", "関連する事故の発生傾向",
	"電気通信設備統括管理者の氏名",
	"事故の対策を確認した電気通信主任技術者の氏名及び資格の種別", NULL
};

static void
in_order(const char *doc, const char *const *want)
{
	const char *p = doc, *q;

	for (; *want != NULL; want++) {
		if ((q = strstr(p, *want)) == NULL)
			fail_msg("'%s' missing or out of order", *want);
		p = q + strlen(*want);
	}
}

/* The text of an HTML document: tags dropped, entities left. */
static char *
strip_tags(const char *html)
{
	struct sbuf b = SBUF_INIT;
	int in = 0;

	for (; *html != '\0'; html++) {
		if (*html == '<')
			in = 1;
		else if (*html == '>')
			in = 0;
		else if (!in)
			sbuf_addc(&b, *html);
	}
	return sbuf_steal(&b);
}

static void
test_html(void **state)
{
	static const char *const spans[] = {
		"<span class=\"fig\">令和8年11月16日（月曜日）12時00分</span>",
		"<span class=\"fig\">継続時間：2時間15分間</span>",
		"<span class=\"fig\">継続時間：10日間11時間40分間</span>",
		"<span class=\"fig\">58,990人</span>",
		"<span class=\"fig\">587件</span>",
		"<span class=\"fig\">11/16 12:00</span>", NULL
	};
	static const char *const figures[] = {
		"令和8年11月16日（月曜日）12時00分",
		"令和8年11月16日（月曜日）14時15分（継続時間：2時間15分間）",
		"令和8年11月26日（木曜日）23時40分（継続時間：10日間11時間40分間）",
		"58,990人 （契約数ベース）", "総契約数：904,432人（令和8年11月時点）",
		"587件", "電話 499件、メール 88件", "第12報 11月26日 23時40分",
		"一の項から四の項までに掲げる電気通信役務以外の電気通信役務",
		"総務 次郎（伝送交換）", NULL
	};
	struct fixture fx;
	char *html, *p, *text;
	int samples = 0, impacts = 0, entries = 0, i;

	fixture_load(&fx, "sample-incident.ndjson");
	html = render(&fx, report_html, NOW, &profile);
	maybe_write("sample-report.html", html);
	text = strip_tags(html);
	in_order(text, labels);
	for (i = 0; figures[i] != NULL; i++)
		if (strstr(text, figures[i]) == NULL)
			fail_msg("HTML lacks %s", figures[i]);
	/* Figures never split: each a nowrap span, and no break-all. */
	assert_null(strstr(html, "break-all"));
	assert_non_null(strstr(html, ".fig { white-space: nowrap; }"));
	for (i = 0; spans[i] != NULL; i++)
		if (strstr(html, spans[i]) == NULL)
			fail_msg("HTML lacks the span %s", spans[i]);
	/* Rows may split across pages; attachments are not forced apart. */
	assert_null(strstr(html, "tr { break-inside: avoid"));
	assert_null(strstr(html, "break-before: page"));
	/* A legend of the action marks, ticks on both axes of the users chart. */
	assert_non_null(strstr(html, "class=\"legend\" x=\"80.0\""));
	assert_non_null(strstr(html, ">障害検知</text>"));
	assert_non_null(strstr(html, "text-anchor=\"end\" fill=\"#555\">20,000</text>"));
	assert_non_null(strstr(html, "text-anchor=\"middle\" fill=\"#555\">11/20</text>"));
	free(text);
	/* Self-contained: no external assets of any kind. */
	assert_null(strstr(html, "src="));
	assert_null(strstr(html, "<link"));
	assert_null(strstr(html, "@import"));
	assert_non_null(strstr(html, "@page { size: A4;"));
	/* Both charts, with their data points. */
	assert_non_null(strstr(html, "<svg id=\"users-chart\""));
	assert_non_null(strstr(html, "<svg id=\"timeline-chart\""));
	for (p = html; (p = strstr(p, "class=\"sample\"")) != NULL; p++)
		samples++;
	for (p = html; (p = strstr(p, "class=\"impact\"")) != NULL; p++)
		impacts++;
	for (p = html; (p = strstr(p, "class=\"entry\"")) != NULL; p++)
		entries++;
	assert_int_equal(samples, 8);
	assert_int_equal(impacts, 2);
	assert_int_equal(entries, 11);
	assert_non_null(strstr(html, "data-at=\"2026-11-16T13:30:00+09:00\" "
	    "data-count=\"58990\""));
	assert_non_null(strstr(html, "data-no=\"2\" data-start=\"2026-11-16T12:00:00"
	    "+09:00\" data-end=\"2026-11-26T23:40:00+09:00\" data-minutes=\"15100\""));
	assert_null(strstr(html, REPORT_FILL_IN));
	free(html);
	fixture_free(&fx);
}

static void
test_json(void **state)
{
	struct fixture fx;
	char *text;
	json_t *j, *im;
	json_error_t err;

	fixture_load(&fx, "sample-incident.ndjson");
	text = render(&fx, report_json, NOW, &profile);
	maybe_write("sample-report.json", text);
	j = json_loads(text, 0, &err);
	assert_non_null(j);
	im = json_object_get(j, "impacts");
	assert_int_equal(json_array_size(im), 2);
	assert_string_equal(json_string_value(json_object_get(json_object_get(
	    json_array_get(im, 0), "duration"), "text")), "2時間15分間");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(
	    json_array_get(im, 1), "duration"), "minutes")), 15100);
	/* Figures name the events they came from (ids are line numbers here). */
	assert_int_equal(json_integer_value(json_array_get(json_object_get(
	    json_array_get(im, 0), "event_ids"), 0)), 2);
	assert_int_equal(json_integer_value(json_array_get(json_object_get(
	    json_array_get(im, 0), "event_ids"), 1)), 15);
	assert_int_equal(json_integer_value(json_array_get(json_object_get(
	    json_object_get(j, "occurred"), "event_ids"), 0)), 2);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(j,
	    "users"), "max")), 58990);
	assert_int_equal(json_integer_value(json_array_get(json_object_get(
	    json_object_get(j, "users"), "max_event_ids"), 0)), 19);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(j,
	    "users"), "total")), 904432);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(j,
	    "inquiries"), "total")), 587);
	assert_int_equal(json_array_size(json_object_get(j, "notices")), 13);
	assert_int_equal(json_array_size(json_object_get(j, "timeline")), 11);
	assert_string_equal(json_string_value(json_object_get(json_object_get(j,
	    "classification"), "class")), "serious");
	assert_string_equal(json_string_value(json_object_get(json_object_get(j,
	    "classification"), "row")), "五");
	assert_string_equal(json_string_value(json_object_get(json_object_get(j,
	    "classification"), "pair")), "A");
	assert_string_equal(json_string_value(json_object_get(json_object_get(j,
	    "classification"), "due")), "2026-12-16");
	assert_int_equal(json_array_size(json_object_get(j, "missing")), 0);
	json_decref(j);
	free(text);
	fixture_free(&fx);
}

static void
test_no_notes(void **state)
{
	static const char *const must_fill[] = { "overview", "equipment",
	    "cause", "prevention", "standards", "related", "general_manager",
	    "chief_engineer", NULL };
	struct fixture fx;
	char *text, *json, *md;
	json_t *j, *missing;
	json_error_t err;
	int64_t id;
	size_t i, count = 0;
	const char *p;

	fixture_load(&fx, "sample-incident.ndjson");
	for (id = 47; id <= 63; id++)
		fixture_drop(&fx, id);
	text = render(&fx, report_text, NOW, NULL);
	md = render(&fx, report_markdown, NOW, NULL);
	maybe_write("no-notes-report.txt", text);
	for (p = text; (p = strstr(p, REPORT_FILL_IN)) != NULL; p++)
		count++;
	/*
	 * 12 in the letter's head (no profile), 15 in the body: 概要, the
	 * equipment's two behaviours, 算定根拠, 措置模様の概要, the three causes,
	 * both kinds of measure, その他の対応, 基準, 発生傾向, and the two names.
	 */
	assert_int_equal(count, 27);
	assert_non_null(strstr(md, REPORT_FILL_IN));
	json = render(&fx, report_json, NOW, NULL);
	j = json_loads(json, 0, &err);
	missing = json_object_get(j, "missing");
	for (i = 0; must_fill[i] != NULL; i++) {
		size_t k;
		int found = 0;

		for (k = 0; k < json_array_size(missing); k++)
			if (strncmp(json_string_value(json_array_get(missing, k)),
			    must_fill[i], strlen(must_fill[i])) == 0)
				found = 1;
		if (!found)
			fail_msg("missing lacks %s", must_fill[i]);
	}
	assert_true(json_is_null(json_object_get(json_object_get(j, "overview"),
	    "summary")));
	assert_true(json_is_null(json_object_get(j, "general_manager")));
	json_decref(j);
	free(json);
	free(text);
	free(md);
	fixture_free(&fx);
}

static void
test_in_progress(void **state)
{
	struct fixture fx;
	char *text, *json;
	json_t *j;
	json_error_t err;

	fixture_load(&fx, "sample-incident.ndjson");
	fixture_drop(&fx, 16);
	text = render(&fx, report_markdown, fixture_at("2026-11-16T15:30:00+09:00"),
	    &profile);
	assert_non_null(strstr(text, "② 過去に受信したメールの閲覧ができない：未復旧"
	    "（継続時間：3時間30分間 ※暫定、11月16日 15時30分現在）"));
	assert_non_null(strstr(text, "① 電子メールの送受信ができない：令和8年11月16日"
	    "（月曜日）14時15分（継続時間：2時間15分間）"));
	json = render(&fx, report_json, fixture_at("2026-11-16T15:30:00+09:00"),
	    &profile);
	j = json_loads(json, 0, &err);
	assert_true(json_is_true(json_object_get(json_array_get(json_object_get(j,
	    "impacts"), 1), "provisional")));
	assert_true(json_is_null(json_object_get(json_array_get(json_object_get(j,
	    "impacts"), 1), "recovered")));
	assert_true(json_is_false(json_object_get(j, "all_recovered")));
	json_decref(j);
	free(json);
	free(text);
	fixture_free(&fx);
}

static void
test_formats_and_arrays(void **state)
{
	struct fixture fx;
	struct timeline tl;
	struct report r;
	const char *names[4];
	char *bodies[4], *items[2] = { "a\"b", "c\\d,{e}" };
	struct sbuf b = SBUF_INIT;
	int n, i;

	fixture_load(&fx, "sample-incident.ndjson");
	assert_int_equal(timeline_build(&fx.inc, fx.evs, fx.n, &fx.cf, NOW,
	    &tl), 0);
	r.tl = &tl;
	r.inc = &fx.inc;
	r.profile = &profile;
	r.related = NULL;
	r.zone = &fx.zone;
	r.now = NOW;
	n = report_render_formats(&r, "text,html", names, bodies);
	assert_int_equal(n, 2);
	assert_string_equal(names[0], "text");
	assert_string_equal(names[1], "html");
	assert_non_null(strstr(bodies[1], "<!DOCTYPE html>"));
	for (i = 0; i < n; i++)
		free(bodies[i]);
	n = report_render_formats(&r, "json", names, bodies);
	assert_int_equal(n, 1);
	free(bodies[0]);
	/* "textile" names no format. */
	assert_int_equal(report_render_formats(&r, "textile", names, bodies), 0);
	timeline_free(&tl);
	fixture_free(&fx);
	assert_int_equal(sbuf_pg_array(&b, items, 2), 0);
	assert_string_equal(b.data, "{\"a\\\"b\",\"c\\\\d,{e}\"}");
	sbuf_truncate(&b, 0);
	{
		char *with_null[2] = { "x", NULL };
		unsigned char zip[3] = { 'P', 'K', 0xff }, *data[2] = { NULL, zip };
		size_t lens[2] = { 0, 3 };

		assert_int_equal(sbuf_pg_array(&b, with_null, 2), 0);
		assert_string_equal(b.data, "{\"x\",NULL}");
		sbuf_truncate(&b, 0);
		assert_int_equal(sbuf_pg_bytea_array(&b, data, lens, 2), 0);
		assert_string_equal(b.data, "{NULL,\"\\\\x504bff\"}");
	}
	/* docx is listed but not one of the text formats rendered here. */
	assert_true(report_format_listed("text,docx", "docx"));
	assert_false(report_format_listed("text,docxx", "docx"));
	assert_false(report_format_listed("xdocx,text", "docx"));
	assert_true(report_format_listed("xdocx,docx", "docx"));
	sbuf_free(&b);
}

/* The part of that name, or NULL. */
static const struct report_part *
part(const struct report_parts *p, const char *name)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (strcmp(p->v[i].name, name) == 0)
			return &p->v[i];
	return NULL;
}

static size_t
count_of(const char *s, const char *what)
{
	size_t n = 0;

	for (; (s = strstr(s, what)) != NULL; s += strlen(what))
		n++;
	return n;
}

static void
docx_parts(struct fixture *fx, const struct report_profile *prof,
    const struct report_image *img, struct report_parts *parts)
{
	struct timeline tl;
	struct report r;

	assert_int_equal(timeline_build(&fx->inc, fx->evs, fx->n, &fx->cf, NOW,
	    &tl), 0);
	memset(&r, 0, sizeof(r));
	r.tl = &tl;
	r.inc = &fx->inc;
	r.profile = prof;
	r.zone = &fx->zone;
	r.now = NOW;
	assert_int_equal(report_docx(&r, img, parts), 0);
	timeline_free(&tl);
}

static void
test_docx(void **state)
{
	static const char *const form_labels[] = { "発生年月日及び時刻",
	    "復旧年月日及び時刻", "発生場所", "事故の全体概要",
	    "事故の原因となつた電気通信設備の概要", "発生状況",
	    "措置模様（事故対応状況）", "発生原因", "再発防止策", "利用者対応状況",
	    "関連する基準及び規程", "関連する事故の発生傾向",
	    "電気通信設備統括管理者の氏名",
	    "事故の対策を確認した電気通信主任技術者の氏名及び資格の種別", NULL };
	static const unsigned char png[] = { 0x89, 'P', 'N', 'G' };
	struct report_image img[2] = { { png, sizeof(png), 640, 270 },
	    { NULL, 0, 0, 0 } };
	struct fixture fx;
	struct report_parts parts;
	const struct report_part *doc, *p;
	const char *d, *last;
	size_t i;

	fixture_load(&fx, "sample-incident.ndjson");
	docx_parts(&fx, &profile, img, &parts);
	assert_string_equal(parts.v[0].name, "[Content_Types].xml");
	assert_non_null((doc = part(&parts, "word/document.xml")));
	d = (const char *)doc->data;
	assert_int_equal(strlen(d), doc->len);
	/* Every label in its cell, in the form's order. */
	for (i = 0, last = d; form_labels[i] != NULL; i++) {
		const char *at = strstr(last, form_labels[i]);

		if (at == NULL)
			fail_msg("the document lacks %s (or it is out of order)",
			    form_labels[i]);
		last = at;
	}
	/* A duration goes on a line of its own within its paragraph. */
	assert_non_null(strstr(d, "14時15分</w:t></w:r><w:r><w:br/></w:r><w:r>"
	    "<w:t xml:space=\"preserve\">（継続時間：2時間15分間）"));
	assert_non_null(strstr(d, "58,990人"));
	/* A4 portrait, the HTML's margins (14, 14, 16, 14 mm). */
	assert_non_null(strstr(d, "<w:pgSz w:w=\"11906\" w:h=\"16838\"/>"
	    "<w:pgMar w:top=\"794\" w:right=\"794\" w:bottom=\"907\" "
	    "w:left=\"794\""));
	/* The two-column table: one row per label. */
	assert_int_equal(count_of(d, "<w:pStyle w:val=\"FormLabel\"/>"), 14);
	/* Sub-headings are runs of their own, bold. */
	assert_non_null(strstr(d, "<w:rStyle w:val=\"SubHeading\"/><w:b/></w:rPr>"
	    "<w:t xml:space=\"preserve\">＜影響を与えた電気通信役務の区分＞"));
	/* The users chart drawn; the other one not given, nor linked. */
	assert_int_equal(count_of(d, "<w:drawing>"), 1);
	assert_non_null((p = part(&parts, "word/media/users.png")));
	assert_int_equal(p->len, sizeof(png));
	assert_false(p->compress);
	assert_null(part(&parts, "word/media/timeline.png"));
	assert_null(strstr((const char *)part(&parts,
	    "word/_rels/document.xml.rels")->data, "timeline.png"));
	/* 182 mm wide, 640:270 high. */
	assert_non_null(strstr(d, "<wp:extent cx=\"6552000\" cy=\"2764125\"/>"));
	/* IPAMincho, with ＭＳ 明朝 as its alternative. */
	assert_non_null(strstr((const char *)part(&parts,
	    "word/styles.xml")->data, "w:eastAsia=\"IPAMincho\""));
	assert_non_null(strstr((const char *)part(&parts,
	    "word/fontTable.xml")->data, "<w:font w:name=\"IPAMincho\">"
	    "<w:altName w:val=\"ＭＳ 明朝\"/>"));
	/* Everything filled in: nothing highlighted. */
	assert_null(strstr(d, "FillIn"));
	report_parts_free(&parts);

	/* No notes, no profile: every 【要記入】 highlighted, XML escaped. */
	for (i = 47; i <= 63; i++)
		fixture_drop(&fx, (int64_t)i);
	fixture_add(&fx, "{\"kind\":\"note\",\"incident\":\"SAMPLE-1\","
	    "\"at\":\"2026-11-20T12:00:00+09:00\",\"section\":\"overview\","
	    "\"text\":\"A<B & \\\"C\\\"\\tD\"}");
	docx_parts(&fx, NULL, NULL, &parts);
	d = (const char *)part(&parts, "word/document.xml")->data;
	/*
	 * As many as the text format shows (less 概要, written now), and the
	 * one that says the users chart is missing.
	 */
	assert_int_equal(count_of(d, "<w:rStyle w:val=\"FillIn\"/><w:b/>"
	    "<w:highlight w:val=\"yellow\"/></w:rPr><w:t xml:space=\"preserve\">"
	    REPORT_FILL_IN "</w:t>"), 26 + 1);
	assert_non_null(strstr(d, "A&lt;B &amp; &quot;C&quot;</w:t><w:tab/>"
	    "<w:t xml:space=\"preserve\">D</w:t></w:r>"));
	assert_null(part(&parts, "word/media/users.png"));
	assert_int_equal(count_of(d, "<w:drawing>"), 0);
	report_parts_free(&parts);
	report_parts_free(NULL);
	fixture_free(&fx);
}

static void
test_chart_svg(void **state)
{
	struct fixture fx;
	struct timeline tl;
	struct report r;
	struct sbuf b = SBUF_INIT;

	fixture_load(&fx, "sample-incident.ndjson");
	assert_int_equal(timeline_build(&fx.inc, fx.evs, fx.n, &fx.cf, NOW,
	    &tl), 0);
	memset(&r, 0, sizeof(r));
	r.tl = &tl;
	r.inc = &fx.inc;
	r.profile = &profile;
	r.zone = &fx.zone;
	r.now = NOW;
	assert_int_equal(report_chart_svg(&r, REPORT_CHART_USERS, &b), 0);
	assert_true(strncmp(b.data, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<svg id=\"users-chart\" viewBox=\"0 0 640 270\"", 60) == 0);
	assert_non_null(strstr(b.data, "aria-label=\"影響利用者数の推移\">\n"
	    "<style>svg { font-family: sans-serif; } text { font-size: 9px; }"
	    "</style>\n<text"));
	assert_non_null(strstr(b.data, "data-count=\"58990\""));
	assert_string_equal(b.data + b.len - 7, "</svg>\n");
	sbuf_truncate(&b, 0);
	assert_int_equal(report_chart_svg(&r, REPORT_CHART_TIMELINE, &b), 0);
	assert_non_null(strstr(b.data, "<svg id=\"timeline-chart\""));
	assert_non_null(strstr(b.data, "data-minutes=\"135\""));
	/* No users count: nothing to draw. */
	{
		size_t n = tl.users.n;

		tl.users.n = 0;
		sbuf_truncate(&b, 0);
		assert_int_equal(report_chart_svg(&r, REPORT_CHART_USERS, &b), -1);
		assert_int_equal(b.len, 0);
		tl.users.n = n;
	}
	timeline_free(&tl);
	sbuf_free(&b);
	fixture_free(&fx);
}

static void
test_width(void **state)
{
	assert_int_equal(text_width("abc", 3), 3);
	assert_int_equal(text_width("発生場所", strlen("発生場所")), 8);
	assert_int_equal(text_width("①（ａ）", strlen("①（ａ）")), 8);
	assert_int_equal(text_width("ｱ", strlen("ｱ")), 1);	/* half-width kana */
	/* Ambiguous punctuation a Japanese terminal draws wide. */
	assert_int_equal(text_width("※…", strlen("※…")), 4);
}

/* ① to ⑳, ㉑ to ㊿, then (51). */
static void
test_circled(void **state)
{
	static const struct { int n; const char *s; } c[] = {
		{ 1, "①" }, { 20, "⑳" }, { 21, "㉑" }, { 35, "㉟" }, { 36, "㊱" },
		{ 50, "㊿" }, { 51, "(51)" }, { 0, "(0)" },
	};
	struct sbuf b = SBUF_INIT;
	size_t i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		sbuf_truncate(&b, 0);
		report_circled(c[i].n, &b);
		assert_string_equal(b.data, c[i].s);
	}
	sbuf_free(&b);
}

/* Report fixes: inquiries to the minute, the 速報 of an incident not serious. */
static void
test_fixes(void **state)
{
	struct fixture fx;
	char *md, *sokuho;

	fixture_load(&fx, "sample-incident.ndjson");
	fixture_add(&fx, "{\"kind\":\"inquiry\",\"incident\":\"SAMPLE-1\","
	    "\"at\":\"2026-11-27T20:30:00+09:00\",\"channel\":\"phone\","
	    "\"count\":520}");
	md = render(&fx, report_markdown, NOW, &profile);
	assert_non_null(strstr(md, "608件（11月27日20時30分時点）"));
	free(md);
	sokuho = render(&fx, report_sokuho, NOW, &profile);
	assert_non_null(strstr(sokuho, "重大な事故の発生について（速報）\n"));
	free(sokuho);
	fixture_free(&fx);
	/* No users yet: it may be serious, and the title says so. */
	fixture_load(&fx, "sample-incident.ndjson");
	for (int64_t id = 17; id <= 24; id++)
		fixture_drop(&fx, id);
	sokuho = render(&fx, report_sokuho, NOW, &profile);
	assert_int_equal(strncmp(sokuho, "重大な事故に該当するおそれのある事故の発生について"
	    "（速報）\n", strlen("重大な事故に該当するおそれのある事故の発生について"
	    "（速報）\n")), 0);
	assert_null(strstr(sokuho, "該当：重大な事故"));
	free(sokuho);
	md = render(&fx, report_markdown, NOW, &profile);
	assert_non_null(strstr(md, "＜影響を与えた利用者数＞<br>【要記入】<br>"));
	free(md);
	fixture_free(&fx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_text_frame),
		cmocka_unit_test(test_markdown),
		cmocka_unit_test(test_html),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_no_notes),
		cmocka_unit_test(test_in_progress),
		cmocka_unit_test(test_width),
		cmocka_unit_test(test_circled),
		cmocka_unit_test(test_fixes),
		cmocka_unit_test(test_formats_and_arrays),
		cmocka_unit_test(test_docx),
		cmocka_unit_test(test_chart_svg),
	};

	set_profile();
	return cmocka_run_group_tests_name("report", tests, NULL, NULL);
}
