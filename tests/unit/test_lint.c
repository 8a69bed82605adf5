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

	fixture_load(&fx, "sample-incident.ndjson");
	l = run(&fx, &tl);
	for (i = 0; i < l.n; i++)
		print_error("finding: %s %s\n", l.f[i].code, l.f[i].message);
	assert_int_equal(l.n, 0);
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
	/* Durations not stated as 継続時間 are not figures to check. */
	with(L("\"kind\":\"note\",\"section\":\"measure.permanent\",\"at\":\"2026-11-28T11:00:00+09:00\","
	    "\"text\":\"バックアップを30分間隔で取得\""), "note-duration", 0, 0);

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
	int64_t m[4];

	assert_int_equal(lint_stated_durations("継続時間：10日間11時間40分間", m,
	    4), 1);
	assert_int_equal(m[0], (10 * 24 + 11) * 60 + 40);
	assert_int_equal(lint_stated_durations("継続時間:45分間、継続時間 1時間0分間",
	    m, 4), 2);
	assert_int_equal(m[0], 45);
	assert_int_equal(m[1], 60);
	assert_int_equal(lint_stated_durations("継続時間：不明", m, 4), 0);
	/*
	 * Numbers too long to be figures are held at 10^15 instead of
	 * overflowing (undefined behaviour, which the sanitizer run reports).
	 */
	assert_int_equal(lint_stated_durations("継続時間："
	    "99999999999999999999999999日間１２３４５６７８９０１２３４５６７８９時間"
	    "0分間", m, 4), 1);
	assert_int_equal(m[0], (1000000000000000LL * 24 + 1000000000000000LL) *
	    60);
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

	with(NULL, "no-category", 0, 0);
	with(NULL, "no-impact", 0, 0);
	fixture_load(&fx, "sample-incident.ndjson");
	fx.inc.category = 0;
	for (i = 2; i <= 3; i++)
		fixture_drop(&fx, i);
	fixture_drop(&fx, 15);
	fixture_drop(&fx, 16);
	fx.inc.category = 0;
	l = run(&fx, &tl);
	assert_non_null(find(&l, "no-category"));
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
