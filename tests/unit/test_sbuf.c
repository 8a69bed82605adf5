/* SPDX-License-Identifier: MIT */
/*
 * The byte buffer: appending, printf, PostgreSQL array literals, and JSON
 * string literals, which must be valid JSON whatever bytes they are given.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "sbuf.h"

/* s[0..n) as a JSON string literal. */
static char *
json_literal(const char *s, size_t n)
{
	struct sbuf b = SBUF_INIT;

	assert_int_equal(sbuf_add_json_string(&b, s, n), 0);
	return sbuf_steal(&b);
}

static void
literal_is(const char *s, size_t n, const char *want)
{
	char *got = json_literal(s, n);

	assert_string_equal(got, want);
	free(got);
}

static void
test_basics(void **state)
{
	struct sbuf b = SBUF_INIT;
	char *const items[] = { "a", "b\"c", "d\\e" };

	assert_int_equal(sbuf_adds(&b, "ab"), 0);
	assert_int_equal(sbuf_addc(&b, 'c'), 0);
	assert_int_equal(sbuf_printf(&b, "%d-%s", 42, "x"), 0);
	assert_string_equal(b.data, "abc42-x");
	assert_int_equal(b.len, 7);
	sbuf_truncate(&b, 2);
	assert_string_equal(b.data, "ab");
	sbuf_truncate(&b, 0);
	assert_int_equal(sbuf_pg_array(&b, items, 3), 0);
	assert_string_equal(b.data, "{\"a\",\"b\\\"c\",\"d\\\\e\"}");
	sbuf_free(&b);
	sbuf_free(&b);		/* twice is fine */
	assert_null(b.data);
}

static void
test_json_escapes(void **state)
{
	literal_is("a\"b\\c\n\r\t\x01", 9, "\"a\\\"b\\\\c\\n\\r\\t\\u0001\"");
	literal_is("a\0b", 3, "\"a\\u0000b\"");
	literal_is("", 0, "\"\"");
	/* Valid UTF-8 passes as it is, up to four bytes. */
	literal_is("ストレージ機器Ａ", strlen("ストレージ機器Ａ"),
	    "\"ストレージ機器Ａ\"");
	literal_is("\xf0\x9f\x98\x80\xc3\xa9\xf4\x8f\xbf\xbf", 10,
	    "\"\xf0\x9f\x98\x80\xc3\xa9\xf4\x8f\xbf\xbf\"");
}

static void
test_json_invalid_utf8(void **state)
{
	/* Each byte that begins no character becomes U+FFFD (ef bf bd). */
	literal_is("a\xff" "b", 3, "\"a\xef\xbf\xbd" "b\"");
	/* A character cut short: "メ" is e3 83 a1. */
	literal_is("x\xe3\x83", 3, "\"x\xef\xbf\xbd\xef\xbf\xbd\"");
	literal_is("\xe3\x83" "x", 3, "\"\xef\xbf\xbd\xef\xbf\xbd" "x\"");
	/* Overlong, surrogate, past U+10FFFF, stray continuation. */
	literal_is("\xc0\xaf", 2, "\"\xef\xbf\xbd\xef\xbf\xbd\"");
	literal_is("\xe0\x80\x80", 3, "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"");
	literal_is("\xed\xa0\x80", 3, "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"");
	literal_is("\xf4\x90\x80\x80", 4,
	    "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"");
	literal_is("\x80", 1, "\"\xef\xbf\xbd\"");
}

static void
test_json_always_parses(void **state)
{
	unsigned char bytes[256];
	json_error_t e;
	json_t *j;
	char *lit;
	int i;

	/* Every byte value, in one string: jansson reads it back. */
	for (i = 0; i < 256; i++)
		bytes[i] = (unsigned char)i;
	lit = json_literal((const char *)bytes, sizeof(bytes));
	j = json_loads(lit, JSON_DECODE_ANY | JSON_ALLOW_NUL, &e);
	if (j == NULL)
		fail_msg("not JSON: %s", e.text);
	assert_int_equal(json_string_length(j), 128 + 128 * 3);
	json_decref(j);
	free(lit);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_basics),
		cmocka_unit_test(test_json_escapes),
		cmocka_unit_test(test_json_invalid_utf8),
		cmocka_unit_test(test_json_always_parses),
	};

	return cmocka_run_group_tests_name("sbuf", tests, NULL, NULL);
}
