/* SPDX-License-Identifier: MIT */
/* The times engineers type: every accepted form, every refusal. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "rfc3339.h"
#include "when.h"

static struct zone jst;
static int64_t now;

static int64_t
at(const char *s)
{
	struct sochi_time t;

	assert_int_equal(rfc3339_parse(s, &t), 0);
	return t.usec;
}

/*
 * The typed text in a heap block of exactly its size, so that a read past
 * its NUL is caught by AddressSanitizer and valgrind (script/test runs both).
 */
static char *
typed_copy(const char *typed)
{
	char *s = strdup(typed);

	assert_non_null(s);
	return s;
}

static void
ok(const char *typed, const char *want)
{
	char *s = typed_copy(typed);
	int64_t t;
	char err[256] = "";

	if (when_parse(s, &jst, now, &t, err, sizeof(err)) != 0)
		fail_msg("refused %s: %s", typed, err);
	free(s);
	assert_int_equal(t, at(want));
}

static void
refused(const char *typed, const char *why)
{
	char *s = typed_copy(typed);
	int64_t t;
	char err[256] = "";

	if (when_parse(s, &jst, now, &t, err, sizeof(err)) != -1)
		fail_msg("accepted %s", typed);
	free(s);
	if (strstr(err, why) == NULL)
		fail_msg("%s: said \"%s\", wanted \"%s\"", typed, err, why);
}

static void
test_forms(void **state)
{
	ok("12:40", "2026-11-16T12:40:00+09:00");
	ok("9:05", "2026-11-16T09:05:00+09:00");
	ok("12:40:30", "2026-11-16T12:40:30+09:00");
	ok("11/15 23:10", "2026-11-15T23:10:00+09:00");
	ok("1/5 08:00", "2026-01-05T08:00:00+09:00");
	ok("2026-11-15 23:10", "2026-11-15T23:10:00+09:00");
	ok("2026-11-15T23:10:05", "2026-11-15T23:10:05+09:00");
	ok("2026-11-16T03:40:00Z", "2026-11-16T12:40:00+09:00");
	ok("2026-11-15T22:40:00-05:00", "2026-11-16T12:40:00+09:00");
	ok("-15m", "2026-11-16T14:45:00+09:00");
	ok("-2h", "2026-11-16T13:00:00+09:00");
	ok("-1d", "2026-11-15T15:00:00+09:00");
	ok("now", "2026-11-16T15:00:00+09:00");
	/* A minute ahead is a clock difference, not a mistake. */
	ok("15:01", "2026-11-16T15:01:00+09:00");
}

static void
test_refusals(void **state)
{
	refused("15:30", "15:30 is later than now; for yesterday write "
	    "\"11/15 15:30\"");
	refused("11/17 09:00", "11/17 09:00 is in the future");
	refused("2026-11-17T00:00:00+09:00", "is in the future");
	refused("25:61", "not a time: \"25:61\"; write HH:MM, M/D HH:MM");
	refused("12:4", "not a time");
	refused("13/1 10:00", "not a time");
	refused("2/30 10:00", "not a time");
	refused("2026-11-16", "not a time");
	refused("yesterday", "not a time");
	refused("-15x", "not a time");
	refused("15m", "not a time");
	/* A number without its unit: once read one byte past the end. */
	refused("-1", "not a time: \"-1\"");
	refused("-", "not a time");
	refused("-12345m", "not a time");
	refused("-1mm", "not a time");
	refused("", "not a time");
}

static void
test_prefix(void **state)
{
	int64_t t;
	char err[256] = "";

	assert_int_equal(when_prefix("12:40 ストレージ機器Ａの再起動を開始", &jst,
	    now, &t, err, sizeof(err)), 6);
	assert_int_equal(t, at("2026-11-16T12:40:00+09:00"));
	assert_int_equal(when_prefix("11/15 00:10  全利用者の…", &jst, now, &t,
	    err, sizeof(err)), 13);
	assert_int_equal(t, at("2026-11-15T00:10:00+09:00"));
	assert_int_equal(when_prefix("2026-11-16 12:40:10 x", &jst, now, &t,
	    err, sizeof(err)), 20);
	assert_int_equal(when_prefix("2026-11-16T03:40:00Z x", &jst, now, &t,
	    err, sizeof(err)), 21);
	assert_int_equal(t, at("2026-11-16T12:40:00+09:00"));
	/* No time: the whole line is the text. */
	assert_int_equal(when_prefix("ストレージ機器Ａの再起動を開始", &jst, now,
	    &t, err, sizeof(err)), 0);
	assert_int_equal(when_prefix("2026年の作業", &jst, now, &t, err,
	    sizeof(err)), 0);
	assert_int_equal(when_prefix("12:40", &jst, now, &t, err, sizeof(err)),
	    0);
	/* Looks like a time, is not one. */
	assert_int_equal(when_prefix("11/31 10:00 x", &jst, now, &t, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "not a time: \"11/31\""));
	assert_int_equal(when_prefix("23:59 x", &jst, now, &t, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "for yesterday"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_forms),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_prefix),
	};

	zone_fixed(&jst, 9 * 3600, "Asia/Tokyo");
	now = at("2026-11-16T15:00:00+09:00");
	return cmocka_run_group_tests_name("when", tests, NULL, NULL);
}
