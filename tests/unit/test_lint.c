/* SPDX-License-Identifier: MIT */
/* Every lint finding, triggered and not triggered. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"
#include "lint.h"

#define NOW	fixture_at("2026-12-01T00:00:00+09:00")

static struct lint
run(struct fixture *fx, struct timeline *tl)
{
	struct lint l;

	assert_int_equal(timeline_build(&fx->inc, fx->evs, fx->n, &fx->cf, NOW,
	    tl), 0);
	assert_int_equal(lint_run(tl, &fx->zone, &l), 0);
	return l;
}

static const struct lint_finding *
find(const struct lint *l, const char *code)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->f[i].code, code) == 0)
			return &l->f[i];
	return NULL;
}

static int
names(const struct lint_finding *f, int64_t id)
{
	size_t i;

	for (i = 0; f != NULL && i < f->nids; i++)
		if (f->ids[i] == id)
			return 1;
	return 0;
}

/* Loads the sample, adds one line, and returns the findings. */
static void
with(const char *line, const char *code, int64_t id, int want)
{
	struct fixture fx;
	struct timeline tl;
	struct lint l;
	const struct lint_finding *f;

	fixture_load(&fx, "sample-incident.ndjson");
	if (line != NULL)
		fixture_add(&fx, line);
	l = run(&fx, &tl);
	f = find(&l, code);
	if (want && f == NULL)
		fail_msg("no %s finding after %s", code, line ? line : "nothing");
	if (!want && f != NULL)
		fail_msg("unexpected %s: %s", code, f->message);
	if (want && id != 0 && !names(f, id))
		fail_msg("%s does not name event %lld: %s", code, (long long)id,
		    f->message);
	lint_free(&l);
	timeline_free(&tl);
	fixture_free(&fx);
}

#define L(body) "{\"incident\":\"SAMPLE-1\"," body "}"

static void
test_sample_is_clean(void **state)
{
	struct fixture fx;
	struct timeline tl;
	struct lint l;
	size_t i;

	/*
	 * The sample is clean but for one thing its records cannot say: which
	 * impact its users samples count (they name none).
	 */
	fixture_load(&fx, "sample-incident.ndjson");
	l = run(&fx, &tl);
	for (i = 0; i < l.n; i++)
		print_error("finding: %s %s\n", l.f[i].code, l.f[i].message);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.f[0].code, "users-not-per-impact");
	assert_int_equal(l.f[0].sev, LINT_WARNING);
	lint_free(&l);
	timeline_free(&tl);
	fixture_free(&fx);
}

static void
test_note_duration(void **state)
{
	struct fixture fx;
	struct timeline tl;
	struct lint l;
	const struct lint_finding *f;

	/* The sample's own hand-written figure for ①. */
	with(L("\"kind\":\"note\",\"section\":\"overview\",\"at\":\"2026-11-28T11:00:00+09:00\","
	    "\"text\":\"① 電子メールの送受信ができない（継続時間：2時間30分間）\""),
	    "note-duration", 64, 1);
	with(L("\"kind\":\"note\",\"section\":\"overview\",\"at\":\"2026-11-28T11:00:00+09:00\","
	    "\"text\":\"①（継続時間：2時間15分間）②（継続時間：10日間11時間40分間）\""),
	    "note-duration", 0, 0);
	with(L("\"kind\":\"note\",\"section\":\"overview\",\"at\":\"2026-11-28T11:00:00+09:00\","
	    "\"text\":\"継続時間は２時間１５分間\""), "note-duration", 0, 0);
	/* An interval is not a duration of what happened. */
	with(L("\"kind\":\"note\",\"section\":\"measure.permanent\",\"at\":\"2026-11-28T11:00:00+09:00\","
	    "\"text\":\"バックアップを30分間隔で取得\""), "note-duration", 0, 0);
	/* Any duration anywhere in any note: the seed's own sentence. */
	with(L("\"kind\":\"note\",\"section\":\"cause.duration\",\"at\":\"2026-11-28T11:00:00+09:00\","
	    "\"text\":\"…メールの送受信が不可となる状態が2時間30分間継続した。\""),
	    "note-duration", 64, 1);
	with(L("\"kind\":\"note\",\"section\":\"measure.summary\",\"at\":\"2026-11-28T11:00:00+09:00\","
	    "\"text\":\"メールサーバが２時間４５分間停止した\""), "note-duration", 64, 1);
	with(L("\"kind\":\"note\",\"section\":\"overview\",\"at\":\"2026-11-28T11:00:00+09:00\","
	    "\"text\":\"約2時間16分間で復旧\""), "note-duration", 64, 1);
	with(L("\"kind\":\"note\",\"section\":\"overview\",\"at\":\"2026-11-28T11:00:00+09:00\","
	    "\"text\":\"約2時間で送受信が復旧し、閲覧は10日間停止\""), "note-duration", 0, 0);
	/* 発生 to detection (3分間) and a note written while it lasted. */
	with(L("\"kind\":\"note\",\"section\":\"overview\",\"at\":\"2026-11-28T11:00:00+09:00\","
	    "\"text\":\"発生から3分間で検知\""), "note-duration", 0, 0);
	with(L("\"kind\":\"note\",\"section\":\"overview\",\"at\":\"2026-11-16T13:00:00+09:00\","
	    "\"text\":\"現在1時間0分間継続中\""), "note-duration", 0, 0);

	fixture_load(&fx, "sample-incident.ndjson");
	fixture_add(&fx, L("\"kind\":\"note\",\"section\":\"overview\","
	    "\"at\":\"2026-11-28T11:00:00+09:00\",\"text\":\"継続時間：2時間30分間\""));
	l = run(&fx, &tl);
	f = find(&l, "note-duration");
	assert_non_null(f);
	assert_int_equal(f->sev, LINT_ERROR);
	assert_non_null(strstr(f->message, "2時間30分間"));
	assert_non_null(strstr(f->message, "2時間15分間"));
	assert_int_equal(l.errors, 1);
	lint_free(&l);
	timeline_free(&tl);
	fixture_free(&fx);
}

static void
test_stated_durations(void **state)
{
	struct lint_figure f[4];

	assert_int_equal(lint_stated_durations("継続時間：10日間11時間40分間", f,
	    4), 1);
	assert_int_equal(f[0].value, (10 * 24 + 11) * 60 + 40);
	assert_int_equal(f[0].unit, 1);
	assert_int_equal(lint_stated_durations("継続時間:45分間、継続時間 1時間0分間",
	    f, 4), 2);
	assert_int_equal(f[0].value, 45);
	assert_int_equal(f[1].value, 60);
	assert_int_equal(lint_stated_durations("継続時間：不明", f, 4), 0);
	/*
	 * Numbers too long to be figures are held at 10^15 instead of
	 * overflowing (undefined behaviour, which the sanitizer run reports).
	 */
	assert_int_equal(lint_stated_durations("継続時間："
	    "99999999999999999999999999日間１２３４５６７８９０１２３４５６７８９時間"
	    "0分間", f, 4), 1);
	assert_int_equal(f[0].value, (1000000000000000LL * 24 +
	    1000000000000000LL) * 60);
	/* Anywhere in a sentence, full-width, with 約. */
	assert_int_equal(lint_stated_durations("…状態が2時間30分間継続した。", f,
	    4), 1);
	assert_int_equal(f[0].value, 150);
	assert_int_equal(lint_stated_durations("２時間４５分間停止した", f, 4), 1);
	assert_int_equal(f[0].value, 165);
	assert_false(f[0].about);
	assert_int_equal(lint_stated_durations("約2時間16分間で復旧", f, 4), 1);
	assert_int_equal(f[0].value, 136);
	assert_true(f[0].about);
	assert_int_equal(f[0].off, 0);
	assert_int_equal(lint_stated_durations("約3時間で復旧、10日間停止", f, 4), 2);
	assert_int_equal(f[0].value, 180);
	assert_int_equal(f[0].unit, 60);
	assert_int_equal(f[1].value, 10 * 1440);
	assert_int_equal(f[1].unit, 1440);
	assert_int_equal(lint_stated_durations("2時間30分の停止", f, 4), 1);
	/* Not durations of what happened: a clock, a date, limits, intervals. */
	assert_int_equal(lint_stated_durations("24時間開設、11月16日14時15分、2時間以上、"
	    "1時間30分以内、30分間隔、３０分未満", f, 4), 0);
}

/* 約 rounds to the unit the figure is stated in; otherwise truncation. */
static void
test_figure_tolerance(void **state)
{
	struct lint_figure f[2];
	const int64_t m = 60000000LL;

	lint_stated_durations("2時間15分間", f, 2);
	assert_true(lint_figure_matches_duration(&f[0], 135 * m + 59000000));
	assert_false(lint_figure_matches_duration(&f[0], 136 * m));
	lint_stated_durations("約2時間16分間", f, 2);
	assert_false(lint_figure_matches_duration(&f[0], 135 * m));
	assert_true(lint_figure_matches_duration(&f[0], 135 * m + 30000000));
	lint_stated_durations("約2時間", f, 2);
	assert_true(lint_figure_matches_duration(&f[0], 135 * m));
	assert_true(lint_figure_matches_duration(&f[0], 150 * m));
	assert_false(lint_figure_matches_duration(&f[0], 151 * m));
	assert_int_equal(lint_stated_counts("約6万人、58,990人、約300件", "人", f,
	    2), 2);
	assert_true(lint_figure_matches_count(&f[0], 58990));
	assert_false(lint_figure_matches_count(&f[0], 54999));
	assert_true(lint_figure_matches_count(&f[1], 58990));
	assert_false(lint_figure_matches_count(&f[1], 58991));
	assert_int_equal(lint_stated_counts("約300件", "件", f, 2), 1);
	assert_true(lint_figure_matches_count(&f[0], 349));
	assert_false(lint_figure_matches_count(&f[0], 351));
	assert_int_equal(lint_stated_counts("3万人以上、5.9万人", "人", f, 2), 1);
	assert_int_equal(f[0].value, 59000);
	assert_true(lint_figure_matches_count(&f[0], 58990));
	assert_int_equal(lint_stated_counts("５８，９９０人", "人", f, 2), 1);
	assert_int_equal(f[0].value, 58990);
}

static void
test_note_users(void **state)
{
	with(L("\"kind\":\"note\",\"section\":\"overview\",\"at\":\"2026-11-28T11:00:00+09:00\","
	    "\"text\":\"影響を与えた利用者数は58,000人\""), "note-users", 64, 1);
	with(L("\"kind\":\"note\",\"section\":\"overview\",\"at\":\"2026-11-28T11:00:00+09:00\","
	    "\"text\":\"影響を与えた利用者数は58,990人、総契約数904,432人\""),
	    "note-users", 0, 0);
	with(L("\"kind\":\"note\",\"section\":\"overview\",\"at\":\"2026-11-28T11:00:00+09:00\","
	    "\"text\":\"約6万人に影響\""), "note-users", 0, 0);
}

static void
test_impact_order(void **state)
{
	with(NULL, "impact-recovered-before-start", 0, 0);
	with(NULL, "impact-not-started", 0, 0);
	/* A recovery with nothing open. */
	with(L("\"kind\":\"impact\",\"op\":\"recover\",\"at\":\"2026-11-17T10:00:00+09:00\","
	    "\"name\":\"nothing\""), "impact-not-started", 64, 1);
	/* ① recovering at 11:00, before its 12:00 start. */
	{
		struct fixture fx;
		struct timeline tl;
		struct lint l;
		const struct lint_finding *f;

		fixture_load(&fx, "sample-incident.ndjson");
		fixture_drop(&fx, 15);
		fixture_add(&fx, L("\"kind\":\"impact\",\"op\":\"recover\","
		    "\"at\":\"2026-11-16T11:00:00+09:00\",\"name\":\"mail-send\""));
		fixture_add(&fx, L("\"kind\":\"impact\",\"op\":\"start\","
		    "\"at\":\"2026-11-16T12:00:00+09:00\",\"name\":\"web-x\","
		    "\"label\":\"x\""));
		l = run(&fx, &tl);
		f = find(&l, "impact-recovered-before-start");
		assert_non_null(f);
		assert_true(names(f, 2));
		lint_free(&l);
		timeline_free(&tl);
		fixture_free(&fx);
	}
}

static void
test_started_twice(void **state)
{
	with(NULL, "impact-started-twice", 0, 0);
	with(L("\"kind\":\"impact\",\"op\":\"start\",\"at\":\"2026-11-16T13:00:00+09:00\","
	    "\"name\":\"mail-view\",\"label\":\"閲覧不可\""), "impact-started-twice", 64, 1);
	/* Starting again after a recovery is a new impact, not a mistake. */
	with(L("\"kind\":\"impact\",\"op\":\"start\",\"at\":\"2026-11-16T15:00:00+09:00\","
	    "\"name\":\"mail-send\",\"label\":\"再発\""), "impact-started-twice", 0, 0);
}

static void
test_category_and_impacts(void **state)
{
	struct fixture fx;
	struct timeline tl;
	struct lint l;
	int64_t i;

	with(NULL, "category-unknown", 0, 0);
	with(NULL, "no-impact", 0, 0);
	fixture_load(&fx, "sample-incident.ndjson");
	fx.inc.category = 0;
	for (i = 2; i <= 3; i++)
		fixture_drop(&fx, i);
	fixture_drop(&fx, 15);
	fixture_drop(&fx, 16);
	fx.inc.category = 0;
	l = run(&fx, &tl);
	assert_non_null(find(&l, "category-unknown"));
	assert_int_equal(find(&l, "category-unknown")->sev, LINT_ERROR);
	assert_non_null(find(&l, "no-impact"));
	assert_false(tl.classified);
	assert_int_equal(tl.occurred, 0);
	lint_free(&l);
	timeline_free(&tl);
	fixture_free(&fx);
}

static void
test_recovered_before_start(void **state)
{
	struct fixture fx;
	struct timeline tl;
	struct lint l;

	/*
	 * A start corrected to a time after its recovery: the pair stays,
	 * and lint says the recovery comes first.
	 */
	fixture_load(&fx, "sample-incident.ndjson");
	fixture_add(&fx, L("\"kind\":\"impact\",\"op\":\"start\","
	    "\"at\":\"2026-11-16T14:00:00+09:00\",\"name\":\"mail-send\","
	    "\"label\":\"電子メールの送受信ができない\",\"supersedes\":2"));
	fixture_drop(&fx, 15);
	fixture_add(&fx, L("\"kind\":\"impact\",\"op\":\"recover\","
	    "\"at\":\"2026-11-16T13:00:00+09:00\",\"name\":\"mail-send\""));
	l = run(&fx, &tl);
	assert_non_null(find(&l, "impact-recovered-before-start"));
	assert_true(names(find(&l, "impact-recovered-before-start"), 64));
	assert_null(find(&l, "impact-not-started"));
	lint_free(&l);
	timeline_free(&tl);
	fixture_free(&fx);
}

static void
test_entry_before_occurrence(void **state)
{
	with(L("\"kind\":\"action\",\"phase\":\"detect\",\"at\":\"2026-11-16T11:50:00+09:00\","
	    "\"text\":\"早すぎる検知\""), "entry-before-occurrence", 64, 1);
	with(L("\"kind\":\"action\",\"phase\":\"work\",\"at\":\"2026-11-16T11:50:00+09:00\","
	    "\"text\":\"作業開始\""), "entry-before-occurrence", 0, 0);
}

static void
test_no_detect(void **state)
{
	struct fixture fx;
	struct timeline tl;
	struct lint l;

	with(NULL, "no-detect", 0, 0);
	fixture_load(&fx, "sample-incident.ndjson");
	fixture_drop(&fx, 5);
	l = run(&fx, &tl);
	assert_non_null(find(&l, "no-detect"));
	lint_free(&l);
	timeline_free(&tl);
	fixture_free(&fx);
}

static void
test_inquiry_sum(void **state)
{
	with(L("\"kind\":\"note\",\"section\":\"inquiry.scope\",\"at\":\"2026-11-29T11:00:00+09:00\","
	    "\"text\":\"問い合わせは合計600件\""), "inquiry-sum", 64, 1);
	with(L("\"kind\":\"note\",\"section\":\"inquiry.scope\",\"at\":\"2026-11-29T11:00:00+09:00\","
	    "\"text\":\"問い合わせは合計587件\""), "inquiry-sum", 0, 0);
	/* N件 of inquiries in any note, not other counts. */
	with(L("\"kind\":\"note\",\"section\":\"response.other\",\"at\":\"2026-11-29T11:00:00+09:00\","
	    "\"text\":\"初日の問い合わせは電話で310件\""), "note-inquiries", 0, 0);
	with(L("\"kind\":\"note\",\"section\":\"response.other\",\"at\":\"2026-11-29T11:00:00+09:00\","
	    "\"text\":\"問い合わせは合計220件\""), "note-inquiries", 64, 1);
	with(L("\"kind\":\"note\",\"section\":\"related\",\"at\":\"2026-11-29T11:00:00+09:00\","
	    "\"text\":\"過去1年に同様の障害が2件\""), "note-inquiries", 0, 0);
}

static void
test_notice_after_recovery(void **state)
{
	with(L("\"kind\":\"notice\",\"channel\":\"web\",\"at\":\"2026-11-27T09:00:00+09:00\","
	    "\"text\":\"障害が発生している旨を周知\""), "notice-after-recovery", 64, 1);
	with(L("\"kind\":\"notice\",\"channel\":\"web\",\"at\":\"2026-11-27T09:00:00+09:00\","
	    "\"text\":\"全面復旧した旨を周知\""), "notice-after-recovery", 0, 0);
}

static void
test_sections_empty(void **state)
{
	struct fixture fx;
	struct timeline tl;
	struct lint l;
	size_t i, empty = 0;

	fixture_load(&fx, "sample-incident.ndjson");
	for (i = 47; i <= 63; i++)
		fixture_drop(&fx, (int64_t)i);	/* every note */
	l = run(&fx, &tl);
	for (i = 0; i < l.n; i++)
		if (strcmp(l.f[i].code, "section-empty") == 0) {
			empty++;
			assert_int_equal(l.f[i].sev, LINT_WARNING);
		}
	/* The ten required sections and the measures. */
	assert_int_equal(empty, 11);
	assert_int_equal(l.errors, 0);
	lint_free(&l);
	timeline_free(&tl);
	fixture_free(&fx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sample_is_clean),
		cmocka_unit_test(test_note_duration),
		cmocka_unit_test(test_stated_durations),
		cmocka_unit_test(test_figure_tolerance),
		cmocka_unit_test(test_note_users),
		cmocka_unit_test(test_impact_order),
		cmocka_unit_test(test_recovered_before_start),
		cmocka_unit_test(test_started_twice),
		cmocka_unit_test(test_category_and_impacts),
		cmocka_unit_test(test_entry_before_occurrence),
		cmocka_unit_test(test_no_detect),
		cmocka_unit_test(test_inquiry_sum),
		cmocka_unit_test(test_notice_after_recovery),
		cmocka_unit_test(test_sections_empty),
	};

	return cmocka_run_group_tests_name("lint", tests, NULL, NULL);
}
