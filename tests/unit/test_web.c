/* SPDX-License-Identifier: MIT */
/*
 * The web view's pure parts: which page a path is (and which it is not),
 * query parameters, escaping, server-sent events, the policy's script hash,
 * the line diff the drafts page and `sochi diff` share, and the session
 * cookie made from a token.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "config.h"
#include "diff.h"
#include "sbuf.h"
#include "web.h"

static void
route_is(const char *path, enum web_kind kind, const char *code, int version)
{
	struct web_route rt;

	assert_int_equal(web_route(path, &rt), kind);
	assert_int_equal(rt.kind, kind);
	if (code != NULL)
		assert_string_equal(rt.code, code);
	assert_int_equal(rt.version, version);
}

static void
test_route(void **state)
{
	route_is("/", WEB_LIST, "", 0);
	route_is("/incidents", WEB_LIST, "", 0);
	route_is("/login", WEB_LOGIN, "", 0);
	route_is("/incidents/SAMPLE-1", WEB_INCIDENT, "SAMPLE-1", 0);
	route_is("/incidents/2026-0001/", WEB_INCIDENT, "2026-0001", 0);
	route_is("/incidents/SAMPLE-1/events", WEB_EVENTS, "SAMPLE-1", 0);
	route_is("/incidents/SAMPLE-1/drafts", WEB_DRAFTS, "SAMPLE-1", 0);
	route_is("/incidents/SAMPLE-1/drafts/3", WEB_DRAFT, "SAMPLE-1", 3);
	route_is("/incidents/SAMPLE-1/drafts/diff", WEB_DIFF, "SAMPLE-1", 0);
	route_is("/v1/incidents", WEB_API_LIST, "", 0);
	route_is("/v1/incidents/a.b_c-1", WEB_API_REPORT, "a.b_c-1", 0);
	route_is("/v1/incidents/X/timeline", WEB_API_TIMELINE, "X", 0);
	route_is("/v1/incidents/X/report", WEB_API_FORMAT, "X", 0);
	/* Under the view's paths, but no page. */
	route_is("/incidents/..", WEB_NOT_FOUND, NULL, 0);
	route_is("/incidents/-x", WEB_NOT_FOUND, NULL, 0);
	route_is("/incidents/a%2Fb", WEB_NOT_FOUND, NULL, 0);
	route_is("/incidents/X/drafts/-1", WEB_NOT_FOUND, NULL, 0);
	route_is("/incidents/X/drafts/1x", WEB_NOT_FOUND, NULL, 0);
	route_is("/incidents/X/drafts/99999999999", WEB_NOT_FOUND, NULL, 0);
	route_is("/incidents/X/other", WEB_NOT_FOUND, NULL, 0);
	route_is("/v1/incidents/X/timeline/more", WEB_NOT_FOUND, NULL, 0);
	route_is("/v1/incidents/"
	    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
	    WEB_NOT_FOUND, NULL, 0);
	/* Not the view's at all: the ingest paths. */
	route_is("/v1/events", WEB_NONE, NULL, 0);
	route_is("/healthz", WEB_NONE, NULL, 0);
	route_is("/incidentsX", WEB_NONE, NULL, 0);
	assert_true(web_code_valid("SAMPLE-1"));
	assert_false(web_code_valid(""));
	assert_false(web_code_valid(".x"));
	assert_false(web_code_valid("a b"));
}

static void
test_query(void **state)
{
	char out[16];

	assert_int_equal(web_query("a=1&b=2", "b", out, sizeof(out)), 0);
	assert_string_equal(out, "2");
	assert_int_equal(web_query("ab=1&a=x+y%2Fz", "a", out, sizeof(out)),
	    0);
	assert_string_equal(out, "x y/z");
	assert_int_equal(web_query("a=", "a", out, sizeof(out)), 0);
	assert_string_equal(out, "");
	assert_int_equal(web_query("next=%E3%81%82", "next", out, sizeof(out)),
	    0);
	assert_string_equal(out, "あ");
	/* Absent, cut escapes, control characters, too long. */
	assert_int_equal(web_query("a=1", "b", out, sizeof(out)), -1);
	assert_int_equal(web_query("", "a", out, sizeof(out)), -1);
	assert_int_equal(web_query("a", "a", out, sizeof(out)), -1);
	assert_int_equal(web_query("a=%4", "a", out, sizeof(out)), -1);
	assert_int_equal(web_query("a=%zz", "a", out, sizeof(out)), -1);
	assert_int_equal(web_query("a=x%00y", "a", out, sizeof(out)), -1);
	assert_int_equal(web_query("a=x%0Ay", "a", out, sizeof(out)), -1);
	assert_int_equal(web_query("a=0123456789abcdef", "a", out,
	    sizeof(out)), -1);
}

static void
test_esc_sse(void **state)
{
	struct sbuf b = SBUF_INIT;

	web_esc(&b, "<a href=\"x\">'&'</a>");
	assert_string_equal(b.data,
	    "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
	sbuf_free(&b);
	/* Every line of the data on a data: line, whatever ends it. */
	assert_int_equal(web_sse(&b, "update", 63, "a\nb\r\nc\rd\n"), 0);
	assert_string_equal(b.data, "event: update\nid: 63\ndata: a\n"
	    "data: b\ndata: c\ndata: d\n\n");
	sbuf_free(&b);
	assert_int_equal(web_sse(&b, "update", 0, ""), 0);
	assert_string_equal(b.data, "event: update\ndata: \n\n");
	sbuf_free(&b);
}

static void
test_csp(void **state)
{
	struct sbuf b = SBUF_INIT;
	const char *p, *e;

	assert_int_equal(web_csp(&b), 0);
	assert_non_null(strstr(b.data, "default-src 'none'"));
	assert_null(strstr(b.data, "unsafe-eval"));
	assert_non_null(p = strstr(b.data, "script-src 'sha256-"));
	p += strlen("script-src 'sha256-");
	assert_non_null(e = strchr(p, '\''));
	/* 32 bytes in base64: 43 digits and one '='. */
	assert_int_equal(e - p, 44);
	assert_int_equal(p[43], '=');
	assert_int_equal(strspn(p, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnop"
	    "qrstuvwxyz0123456789+/"), 43);
	sbuf_free(&b);
}

/* The diff as one string: "=a" "-b" "+c" per line. */
static char *
diff_str(const char *a, const char *b, size_t *changed)
{
	struct diff d;
	struct sbuf s = SBUF_INIT;
	size_t i;

	assert_int_equal(diff_lines(a, b, &d), 0);
	for (i = 0; i < d.n; i++) {
		sbuf_addc(&s, d.v[i].op == DIFF_SAME ? '=' : d.v[i].op ==
		    DIFF_DEL ? '-' : '+');
		sbuf_add(&s, d.v[i].text, d.v[i].len);
		sbuf_addc(&s, ' ');
	}
	sbuf_addc(&s, '\0');
	*changed = d.changed;
	assert_int_equal(d.coarse, 0);
	diff_free(&d);
	return sbuf_steal(&s);
}

static void
diff_is(const char *a, const char *b, const char *want, size_t nchanged)
{
	size_t changed;
	char *got = diff_str(a, b, &changed);

	assert_string_equal(got, want);
	assert_int_equal(changed, nchanged);
	free(got);
}

static void
test_diff(void **state)
{
	diff_is("a\nb\nc\n", "a\nb\nc\n", "=a =b =c ", 0);
	/* On a tie the added line comes first, as sochi diff always printed. */
	diff_is("a\nb\nc\n", "a\nx\nc\n", "=a +x -b =c ", 2);
	diff_is("a\nc\n", "a\nb\nc\n", "=a +b =c ", 1);
	diff_is("a\nb\nc", "a\nc", "=a -b =c ", 1);
	diff_is("", "x\n", "+x ", 1);
	diff_is("x", "", "-x ", 1);
	/* The longest common run is kept, not the first match. */
	diff_is("1\n2\n3\n4\n", "2\n3\n4\n1\n", "-1 =2 =3 =4 +1 ", 2);
	diff_free(NULL);
}

static void
test_session(void **state)
{
	struct sochi_config cf;
	char err[256], v[65], other[65];

	config_init(&cf);
	assert_int_equal(config_tokens_parse(&cf, "ops = secret-1\n"
	    "desk = secret-2\n", "tokens", err, sizeof(err)), 0);
	config_session_value("secret-2", v);
	assert_int_equal(strlen(v), 64);
	assert_int_equal(strspn(v, "0123456789abcdef"), 64);
	/* Not the token, and not another token's. */
	config_session_value("secret-1", other);
	assert_string_not_equal(v, other);
	assert_null(strstr(v, "secret"));
	assert_string_equal(config_session_name(&cf, v, 64), "desk");
	assert_string_equal(config_session_name(&cf, other, 64), "ops");
	assert_null(config_session_name(&cf, v, 63));
	assert_null(config_session_name(&cf, "secret-2", 8));
	v[10] = v[10] == '0' ? '1' : '0';
	assert_null(config_session_name(&cf, v, 64));
	/* The token itself is not a session. */
	assert_null(config_session_name(&cf, "secret-2", strlen("secret-2")));
	config_free(&cf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_route),
		cmocka_unit_test(test_query),
		cmocka_unit_test(test_esc_sse),
		cmocka_unit_test(test_csp),
		cmocka_unit_test(test_diff),
		cmocka_unit_test(test_session),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
