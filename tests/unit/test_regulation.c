/* SPDX-License-Identifier: MIT */
/* Classification against the dated tables, at and just under every limit. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "regulation.h"

#define H	(3600LL * 1000000)
#define MIN	(60LL * 1000000)

static const struct reg_date d2026 = { 2026, 11, 16 };

static struct reg_result
cls(struct reg_date d, int cat, int64_t dur, int64_t users, int key)
{
	struct reg_result r;

	assert_int_equal(reg_classify(d, cat, dur, users, key, &r), 0);
	return r;
}

static void
serious(struct reg_date d, int cat, int64_t dur, int64_t users, char pair,
    const char *row)
{
	struct reg_result r = cls(d, cat, dur, users, 0);

	if (r.cls != REG_SERIOUS || r.pair != pair ||
	    strcmp(r.row->kanji, row) != 0)
		fail_msg("category %d, %lld min, %lld users: got %s %s %c",
		    cat, (long long)(dur / MIN), (long long)users,
		    reg_class_name(r.cls), r.row->kanji, r.pair ? r.pair : '-');
}

static void
not_serious(struct reg_date d, int cat, int64_t dur, int64_t users)
{
	struct reg_result r = cls(d, cat, dur, users, 0);

	if (r.cls == REG_SERIOUS)
		fail_msg("category %d, %lld min, %lld users: serious by %c",
		    cat, (long long)(dur / MIN), (long long)users, r.pair);
}

/* Every pair of today's table, at its limits and just under each. */
static void
test_2019_pairs(void **state)
{
	static const struct {
		int cat; const char *row; char pair; int hours; int64_t users;
	} p[] = {
		{ 1, "一", 'A', 1, 30000 },
		{ 2, "二", 'A', 2, 30000 }, { 2, "二", 'B', 1, 100000 },
		{ 3, "三", 'A', 12, 30000 }, { 3, "三", 'B', 2, 1000000 },
		{ 4, "四", 'A', 24, 100000 }, { 4, "四", 'B', 12, 1000000 },
		{ 5, "五", 'A', 2, 30000 }, { 5, "五", 'B', 1, 1000000 },
	};
	size_t i;

	for (i = 0; i < sizeof(p) / sizeof(p[0]); i++) {
		int64_t dur = p[i].hours * H;

		serious(d2026, p[i].cat, dur, p[i].users, p[i].pair, p[i].row);
		/* A minute under the duration, or one user under the count. */
		not_serious(d2026, p[i].cat, dur - MIN, p[i].users);
		not_serious(d2026, p[i].cat, dur - 1, p[i].users);
		not_serious(d2026, p[i].cat, dur, p[i].users - 1);
	}
	/* Pair A wins when both are met. */
	serious(d2026, 5, 3 * H, 2000000, 'A', "五");
	/* The sample: 2時間15分間 and 58,990人 in category 5. */
	serious(d2026, 5, 2 * H + 15 * MIN, 58990, 'A', "五");
}

static void
test_dated_tables(void **state)
{
	struct reg_date d2017 = { 2017, 6, 1 }, d2014 = { 2014, 6, 1 };
	struct reg_date last2015 = { 2019, 3, 31 }, first2019 = { 2019, 4, 1 };
	struct reg_result r;

	/* 2017, category 5: row 四 with the 2015 wording. */
	r = cls(d2017, 5, 2 * H, 30000, 0);
	assert_int_equal(r.cls, REG_SERIOUS);
	assert_string_equal(r.row->kanji, "四");
	assert_string_equal(r.row->text,
	    "一の項から三の項までに掲げる電気通信役務以外の電気通信役務");
	/* LPWA did not have a row before 2019: it fell under 四. */
	r = cls(d2017, 3, 2 * H, 30000, 0);
	assert_string_equal(r.row->kanji, "四");
	r = cls(d2017, 4, 24 * H, 100000, 0);
	assert_string_equal(r.row->kanji, "三");
	assert_int_equal(r.cls, REG_SERIOUS);
	/* The last day of one table and the first of the next. */
	assert_string_equal(cls(last2015, 5, 2 * H, 30000, 0).row->kanji, "四");
	assert_string_equal(cls(first2019, 5, 2 * H, 30000, 0).row->kanji, "五");
	assert_string_equal(cls(first2019, 5, 2 * H, 30000, 0).row->text,
	    "一の項から四の項までに掲げる電気通信役務以外の電気通信役務");
	/* Before 2015: one rule, 2 hours and 30,000 users, whatever the service. */
	r = cls(d2014, 1, 2 * H, 30000, 0);
	assert_int_equal(r.cls, REG_SERIOUS);
	assert_int_equal(r.pair, 'A');
	assert_int_equal(cls(d2014, 1, 1 * H, 30000, 0).cls, REG_PERIODIC);
	assert_int_equal(cls(d2014, 4, 2 * H - MIN, 1000000, 0).cls,
	    REG_PERIODIC);
	assert_null(reg_table_for(19800101));
	assert_int_equal(reg_classify((struct reg_date){ 1980, 1, 1 }, 5, H, 1,
	    0, &r), -1);
	assert_int_equal(reg_classify(d2026, 7, H, 1, 0, &r), -1);
	assert_int_equal(reg_classify(d2026, -1, H, 1, 0, &r), -1);
}

/*
 * Every row's wording is the statute's, in full: no ellipsis, no shortened
 * exclusion, the 2019 row 四 with 「電気通信役務の提供の対価としての」.
 */
static void
test_wording(void **state)
{
	static const int days[] = { 20140601, 20170601, 20260101 };
	const struct reg_table *t;
	size_t i;
	int r;

	for (i = 0; i < sizeof(days) / sizeof(days[0]); i++) {
		t = reg_table_for(days[i]);
		assert_non_null(t);
		for (r = 0; r < t->nrows; r++) {
			const char *x = t->rows[r].text;

			assert_null(strstr(x, "…"));
			assert_null(strstr(x, "..."));
			assert_null(strstr(x, "一・二"));
			/* An exclusion names what it excludes, as the statute. */
			if (strstr(x, "を除く") != NULL)
				assert_non_null(strstr(x, "に掲げる電気通信役務を除く。）"));
		}
	}
	t = reg_table_for(20260101);
	assert_string_equal(t->rows[3].text, "利用者から電気通信役務の提供の対価と"
	    "しての料金の支払を受けないインターネット関連サービス（一の項から三の項"
	    "までに掲げる電気通信役務を除く。）");
	assert_string_equal(t->rows[2].text, "セルラーＬＰＷＡを使用する携帯電話"
	    "（一の項及び二の項に掲げる電気通信役務を除く。）及びアンライセンスＬＰＷＡ"
	    "サービス");
	t = reg_table_for(20170601);
	assert_string_equal(t->rows[2].text, "利用者から電気通信役務の提供の対価と"
	    "しての料金の支払を受けないインターネット関連サービス（一の項及び二の項に"
	    "掲げる電気通信役務を除く。）");
}

/* The 2025 proposal: never chosen by date, only by name. */
static void
test_proposed_2025(void **state)
{
	const struct reg_table *t;
	struct reg_result r;
	int ymd;

	for (ymd = 20250101; ymd <= 20301231; ymd += 10000)
		assert_string_not_equal(reg_table_for(ymd)->name,
		    "proposed-2025");
	assert_int_equal(reg_table_named("proposed-2025", &t), 0);
	assert_non_null(t);
	assert_int_equal(t->from, 0);
	assert_int_equal(reg_table_named("in-force", &t), 0);
	assert_null(t);
	assert_int_equal(reg_table_named("2024", &t), -1);
	assert_int_equal(reg_table_named("proposed-2025", &t), 0);
	/* Data services: 1時間/10万人, against 100万人 in the table in force. */
	assert_int_equal(reg_classify_in(t, d2026, 5, H, 100000, 0, &r), 0);
	assert_int_equal(r.cls, REG_SERIOUS);
	assert_int_equal(r.pair, 'B');
	assert_int_equal(cls(d2026, 5, H, 100000, 0).cls, REG_PERIODIC);
	/* Free e-mail and messaging of 10M monthly users: 4h/10万 or 2h/100万. */
	assert_int_equal(reg_classify_in(t, d2026, 6, 4 * H, 100000, 0, &r), 0);
	assert_int_equal(r.cls, REG_SERIOUS);
	assert_string_equal(r.row->kanji, "四の二");
	assert_int_equal(r.pair, 'A');
	assert_int_equal(reg_classify_in(t, d2026, 6, 2 * H, 1000000, 0, &r), 0);
	assert_int_equal(r.pair, 'B');
	assert_int_equal(reg_classify_in(t, d2026, 6, 4 * H - MIN, 999999, 0,
	    &r), 0);
	assert_int_equal(r.cls, REG_PERIODIC);
	/* Today's table puts them with 4: 24h/10万 or 12h/100万. */
	r = cls(d2026, 6, 4 * H, 100000, 0);
	assert_int_equal(r.cls, REG_PERIODIC);
	assert_string_equal(r.row->kanji, "四");
}

/* Unknown is not zero: what a missing figure leaves open. */
static void
test_undetermined(void **state)
{
	struct reg_result r;

	/* 3 hours of a paid service, no users: serious if 3万人 or more. */
	r = cls(d2026, 5, 3 * H, REG_USERS_UNKNOWN, 0);
	assert_int_equal(r.cls, REG_UNDETERMINED);
	assert_int_equal(r.hi, REG_SERIOUS);
	assert_int_equal(r.lo, REG_PERIODIC);
	assert_int_equal(r.hi_pair, 'A');
	assert_string_equal(r.row->kanji, "五");
	assert_true(r.users_unknown);
	assert_true(r.due_serious.year == 2026 && r.due_serious.month == 12 &&
	    r.due_serious.day == 16);
	assert_true(r.due_periodic.year == 2027 && r.due_periodic.month == 5 &&
	    r.due_periodic.day == 31);
	/* 30 minutes: never serious; periodic or none by the users. */
	r = cls(d2026, 5, 30 * MIN, REG_USERS_UNKNOWN, 0);
	assert_int_equal(r.cls, REG_UNDETERMINED);
	assert_int_equal(r.hi, REG_PERIODIC);
	assert_int_equal(r.lo, REG_NONE);
	/* 3 hours of a free service: periodic by duration whatever the users. */
	r = cls(d2026, 4, 3 * H, REG_USERS_UNKNOWN, 0);
	assert_int_equal(r.cls, REG_PERIODIC);
	assert_true(r.by_duration);
	assert_true(r.users_unknown);
	/* A key facility down 2 hours is serious with no users count. */
	assert_int_equal(cls(d2026, 5, 2 * H, REG_USERS_UNKNOWN, 1).cls,
	    REG_SERIOUS);
	/* No category: every row is tried. */
	r = cls(d2026, 0, 2 * H, 58990, 0);
	assert_int_equal(r.cls, REG_UNDETERMINED);
	assert_null(r.row);
	assert_true(r.category_unknown);
	r = cls(d2026, 0, 10 * MIN, 1000, 0);
	assert_int_equal(r.cls, REG_NONE);
	r = cls(d2026, 0, 24 * H, 1000000, 0);
	assert_int_equal(r.cls, REG_SERIOUS);
	assert_null(r.row);
}

static void
test_key_facility(void **state)
{
	struct reg_result r;

	r = cls(d2026, 5, 2 * H, 10, 1);
	assert_int_equal(r.cls, REG_SERIOUS);
	assert_int_equal(r.key_facility, 1);
	assert_int_equal(r.pair, 0);
	r = cls(d2026, 5, 2 * H - MIN, 10, 1);
	assert_int_not_equal(r.cls, REG_SERIOUS);
}

static void
test_periodic_and_due(void **state)
{
	struct reg_result r;

	/* 詳報: 発生日 + 30 days. */
	r = cls(d2026, 5, 3 * H, 58990, 0);
	assert_true(r.due.year == 2026 && r.due.month == 12 && r.due.day == 16);
	assert_true(r.due_to_confirm);
	r = cls((struct reg_date){ 2026, 12, 20 }, 5, 3 * H, 58990, 0);
	assert_true(r.due.year == 2027 && r.due.month == 1 && r.due.day == 19);
	/* Periodic by either limit alone; neither below both. */
	r = cls(d2026, 5, 2 * H, 29999, 0);
	assert_int_equal(r.cls, REG_PERIODIC);
	assert_true(r.by_duration && !r.by_users);
	r = cls(d2026, 5, H, 30000, 0);
	assert_int_equal(r.cls, REG_PERIODIC);
	assert_true(!r.by_duration && r.by_users);
	assert_int_equal(cls(d2026, 5, 2 * H - 1, 29999, 0).cls, REG_NONE);
	/* Annual from FY2025: by 5月31日 after the April-March year. */
	r = cls(d2026, 5, H, 30000, 0);
	assert_true(r.due.year == 2027 && r.due.month == 5 && r.due.day == 31);
	assert_false(r.due_quarterly);
	r = cls((struct reg_date){ 2026, 2, 1 }, 5, H, 30000, 0);
	assert_true(r.due.year == 2026 && r.due.month == 5 && r.due.day == 31);
	/* Quarterly before: two months after the quarter ends. */
	r = cls((struct reg_date){ 2024, 5, 10 }, 5, H, 30000, 0);
	assert_true(r.due_quarterly);
	assert_true(r.due.year == 2024 && r.due.month == 8 && r.due.day == 31);
	r = cls((struct reg_date){ 2024, 11, 10 }, 5, H, 30000, 0);
	assert_true(r.due.year == 2025 && r.due.month == 2 && r.due.day == 28);
	r = cls((struct reg_date){ 2025, 3, 10 }, 5, H, 30000, 0);
	assert_true(r.due.year == 2025 && r.due.month == 5 && r.due.day == 31);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_2019_pairs),
		cmocka_unit_test(test_dated_tables),
		cmocka_unit_test(test_key_facility),
		cmocka_unit_test(test_periodic_and_due),
		cmocka_unit_test(test_wording),
		cmocka_unit_test(test_proposed_2025),
		cmocka_unit_test(test_undetermined),
	};

	return cmocka_run_group_tests_name("regulation", tests, NULL, NULL);
}
