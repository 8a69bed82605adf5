/* SPDX-License-Identifier: MIT */
/*
 * The Japanese calendar, the timeline's short forms, durations, counts, and
 * time zones (a fixed offset and the system's TZif files).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "rfc3339.h"
#include "wareki.h"
#include "zone.h"

static struct zone jst;

static int64_t
at(const char *s)
{
	struct sochi_time t;

	assert_int_equal(rfc3339_parse(s, &t), 0);
	return t.usec;
}

static void
check(const char *rfc, int (*fn)(const struct local_time *, struct sbuf *),
    const char *want)
{
	struct local_time lt;
	struct sbuf b = SBUF_INIT;

	zone_local(&jst, at(rfc), &lt);
	assert_int_equal(fn(&lt, &b), 0);
	assert_string_equal(b.data, want);
	sbuf_free(&b);
}

static void
test_eras(void **state)
{
	check("2026-11-25T12:00:00+09:00", wareki_datetime,
	    "令和8年11月25日（水曜日）12時00分");
	check("2019-04-30T23:59:00+09:00", wareki_date, "平成31年4月30日");
	check("2019-05-01T00:00:00+09:00", wareki_date, "令和元年5月1日");
	check("2020-01-01T00:00:00+09:00", wareki_date, "令和2年1月1日");
	check("1989-01-07T12:00:00+09:00", wareki_date, "昭和64年1月7日");
	check("1989-01-08T00:00:00+09:00", wareki_date, "平成元年1月8日");
	check("1926-12-24T00:00:00+09:00", wareki_date, "大正15年12月24日");
	check("1926-12-25T00:00:00+09:00", wareki_date, "昭和元年12月25日");
	check("1912-07-30T00:00:00+09:00", wareki_date, "大正元年7月30日");
	check("1912-07-29T00:00:00+09:00", wareki_date, "明治45年7月29日");
	check("1868-01-24T00:00:00+09:00", wareki_date, "西暦1868年1月24日");
	/* The instant is what counts, not the offset it was written with. */
	check("2019-04-30T15:00:00Z", wareki_date, "令和元年5月1日");
	check("2019-04-30T14:59:59Z", wareki_date, "平成31年4月30日");
}

static void
test_weekdays(void **state)
{
	static const char *const want[] = { "（日曜日）", "（月曜日）",
	    "（火曜日）", "（水曜日）", "（木曜日）", "（金曜日）", "（土曜日）" };
	char rfc[64], exp[64];
	int i;

	/* 2026-11-22 was a Sunday. */
	for (i = 0; i < 7; i++) {
		snprintf(rfc, sizeof(rfc), "2026-11-%02dT09:00:00+09:00", 22 + i);
		snprintf(exp, sizeof(exp), "令和8年11月%d日%s", 22 + i, want[i]);
		check(rfc, wareki_date_wday, exp);
	}
	check("2000-02-29T09:00:00+09:00", wareki_date_wday,
	    "平成12年2月29日（火曜日）");
	check("1969-12-31T09:00:00+09:00", wareki_date_wday,
	    "昭和44年12月31日（水曜日）");
}

static void
test_short_forms(void **state)
{
	check("2026-11-16T03:03:00Z", wareki_short_time, "12:03");
	check("2026-11-26T00:10:00+09:00", wareki_short_daytime, "11/26 00:10");
	check("2026-01-05T09:07:00+09:00", wareki_short_daytime, "1/5 09:07");
	check("2026-11-16T14:15:59+09:00", wareki_hm, "14時15分");
}

static void
dur(int64_t sec, const char *want)
{
	struct sbuf b = SBUF_INIT;

	assert_int_equal(duration_format(sec * 1000000, &b), 0);
	assert_string_equal(b.data, want);
	sbuf_free(&b);
}

static void
test_durations(void **state)
{
	dur(0, "0分間");
	dur(59, "0分間");
	dur(60, "1分間");
	dur(59 * 60 + 59, "59分間");
	dur(45 * 60, "45分間");
	dur(3600, "1時間0分間");
	dur(2 * 3600 + 15 * 60, "2時間15分間");
	dur(2 * 3600 + 15 * 60 + 59, "2時間15分間");
	dur(86400, "1日間0時間0分間");
	dur(86400 + 5 * 60, "1日間0時間5分間");
	dur(10 * 86400 + 11 * 3600 + 40 * 60, "10日間11時間40分間");
	/* The sample: 12:00 to 14:15 is 2時間15分間, not the 2時間30分間 it says. */
	{
		struct sbuf b = SBUF_INIT;

		duration_format(at("2026-11-16T14:15:00+09:00") -
		    at("2026-11-16T12:00:00+09:00"), &b);
		assert_string_equal(b.data, "2時間15分間");
		sbuf_free(&b);
		duration_format(at("2026-11-26T23:40:00+09:00") -
		    at("2026-11-16T12:00:00+09:00"), &b);
		assert_string_equal(b.data, "10日間11時間40分間");
		sbuf_free(&b);
	}
	assert_int_equal(duration_minutes(-5), 0);
}

static void
test_counts(void **state)
{
	static const struct { int64_t n; const char *s; } c[] = {
		{ 0, "0" }, { 999, "999" }, { 1000, "1,000" },
		{ 58990, "58,990" }, { 904432, "904,432" },
		{ 1000000, "1,000,000" }, { -30000, "-30,000" }
	};
	size_t i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct sbuf b = SBUF_INIT;

		count_format(c[i].n, &b);
		assert_string_equal(b.data, c[i].s);
		sbuf_free(&b);
	}
}

static void
test_offsets(void **state)
{
	struct local_time a, b, c;

	zone_local(&jst, at("2026-11-16T03:00:00Z"), &a);
	zone_local(&jst, at("2026-11-16T12:00:00+09:00"), &b);
	zone_local(&jst, at("2026-11-15T22:00:00-05:00"), &c);
	assert_true(a.hour == 12 && b.hour == 12 && c.hour == 12);
	assert_true(a.day == 16 && b.day == 16 && c.day == 16);
	assert_int_equal(zone_utc(&jst, &a), at("2026-11-16T03:00:00Z"));
}

static struct zone
load(const char *name)
{
	char path[256];
	unsigned char buf[1 << 16];
	struct zone z;
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "/usr/share/zoneinfo/%s", name);
	f = fopen(path, "rb");
	if (f == NULL)
		fail_msg("%s: not readable", path);
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	assert_int_equal(zone_from_tzif(&z, buf, n, name), 0);
	return z;
}

static void
test_tzif(void **state)
{
	struct zone tokyo = load("Asia/Tokyo"), ny = load("America/New_York");
	struct zone bad;
	struct local_time lt;
	unsigned char junk[64] = "TZif";

	assert_int_equal(zone_offset(&tokyo, at("2026-11-16T03:00:00Z") /
	    1000000), 9 * 3600);
	/* Japan's summer time of 1948-1951 is in the table. */
	assert_int_equal(zone_offset(&tokyo, at("1950-07-01T00:00:00Z") /
	    1000000), 10 * 3600);
	assert_int_equal(zone_offset(&ny, at("2026-01-15T12:00:00Z") / 1000000),
	    -5 * 3600);
	zone_local(&tokyo, at("2026-11-16T12:00:00+09:00"), &lt);
	assert_int_equal(lt.hour, 12);
	/* Into a zone of their own: zone_from_tzif does not free what it fills. */
	assert_int_equal(zone_from_tzif(&bad, junk, sizeof(junk), "x"), -1);
	assert_int_equal(zone_from_tzif(&bad, (const unsigned char *)"nope",
	    4, "x"), -1);
	zone_free(&bad);
	zone_free(&tokyo);
	zone_free(&ny);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_eras),
		cmocka_unit_test(test_weekdays),
		cmocka_unit_test(test_short_forms),
		cmocka_unit_test(test_durations),
		cmocka_unit_test(test_counts),
		cmocka_unit_test(test_offsets),
		cmocka_unit_test(test_tzif),
	};

	zone_fixed(&jst, 9 * 3600, "Asia/Tokyo");
	return cmocka_run_group_tests_name("wareki", tests, NULL, NULL);
}
