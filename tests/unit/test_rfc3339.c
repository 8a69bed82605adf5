/* SPDX-License-Identifier: MIT */
/* RFC 3339 parsing and printing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "rfc3339.h"

static void
test_offsets_same_instant(void **state)
{
	struct sochi_time a, b, c;

	assert_int_equal(rfc3339_parse("2026-11-25T03:00:00Z", &a), 0);
	assert_int_equal(rfc3339_parse("2026-11-25T12:00:00+09:00", &b), 0);
	assert_int_equal(rfc3339_parse("2026-11-24T22:00:00-05:00", &c), 0);
	assert_true(a.usec == b.usec && b.usec == c.usec);
	assert_int_equal(b.offset_min, 540);
	assert_int_equal(c.offset_min, -300);
	assert_int_equal(a.usec, 1795575600LL * 1000000);
}

static void
test_fraction_and_forms(void **state)
{
	struct sochi_time t;

	assert_int_equal(rfc3339_parse("2026-11-25T03:00:00.123456789Z", &t), 0);
	assert_int_equal(t.usec % 1000000, 123456);
	assert_int_equal(rfc3339_parse("2026-11-25t03:00:00z", &t), 0);
	assert_int_equal(rfc3339_parse("2026-11-25 03:00:00+00:00", &t), 0);
	assert_int_equal(rfc3339_parse("0001-01-01T00:00:00Z", &t), 0);
	assert_int_equal(rfc3339_parse("2024-02-29T00:00:00Z", &t), 0);
	assert_int_equal(rfc3339_parse("2016-12-31T23:59:60Z", &t), 0);
	assert_int_equal(rfc3339_parse("2026-11-25T12:00:00+15:59", &t), 0);
	assert_int_equal(t.offset_min, 15 * 60 + 59);
	assert_int_equal(rfc3339_parse("2026-11-25T12:00:00-15:59", &t), 0);
	assert_int_equal(rfc3339_parse("9999-12-31T23:59:59-15:59", &t), 0);
}

static void
test_rejects(void **state)
{
	static const char *const bad[] = {
		"", "25:61", "2026-11-25", "2026-11-25T12:00:00",
		"2026-11-25T12:00+09:00", "2026-13-01T00:00:00Z",
		"2026-02-29T00:00:00Z", "2100-02-29T00:00:00Z",
		"2026-11-31T00:00:00Z", "2026-11-25T24:00:00Z",
		"2026-11-25T12:60:00Z", "2026-11-25T12:00:61Z",
		"2026-11-25T12:00:00.Z", "2026-11-25T12:00:00+9:00",
		"2026-11-25T12:00:00+24:00", "2026-11-25T12:00:00Zjunk",
		"2026-11-25T12:00:00+16:00", "2026-11-25T12:00:00-16:00",
		"2026-11-25T12:00:00+23:59",
		"0000-01-01T00:00:00Z", "2026-11-25X12:00:00Z",
		"２０２６-11-25T12:00:00Z", NULL
	};
	struct sochi_time t;
	int i;

	for (i = 0; bad[i] != NULL; i++)
		assert_int_equal(rfc3339_parse(bad[i], &t), -1);
}

static void
test_format_round_trip(void **state)
{
	static const char *const good[] = {
		"2026-11-25T12:00:00+09:00", "2026-11-24T22:00:00-05:00",
		"1970-01-01T00:00:00+00:00", "1969-12-31T23:59:59+00:00",
		"2026-11-25T12:00:00.250000+09:00", "0001-01-01T00:00:00+00:00",
		NULL
	};
	struct sochi_time t;
	char buf[RFC3339_MAX];
	int i;

	for (i = 0; good[i] != NULL; i++) {
		assert_int_equal(rfc3339_parse(good[i], &t), 0);
		rfc3339_format(&t, buf, sizeof(buf));
		assert_string_equal(buf, good[i]);
	}
}

static void
test_civil(void **state)
{
	int64_t y;
	unsigned m, d;

	assert_int_equal(rfc3339_days_from_civil(1970, 1, 1), 0);
	assert_int_equal(rfc3339_days_from_civil(2000, 3, 1), 11017);
	rfc3339_civil_from_days(-1, &y, &m, &d);
	assert_true(y == 1969 && m == 12 && d == 31);
	rfc3339_civil_from_days(rfc3339_days_from_civil(2019, 5, 1), &y, &m,
	    &d);
	assert_true(y == 2019 && m == 5 && d == 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_offsets_same_instant),
		cmocka_unit_test(test_fraction_and_forms),
		cmocka_unit_test(test_rejects),
		cmocka_unit_test(test_format_round_trip),
		cmocka_unit_test(test_civil),
	};

	return cmocka_run_group_tests_name("rfc3339", tests, NULL, NULL);
}
