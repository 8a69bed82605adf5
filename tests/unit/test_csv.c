/* SPDX-License-Identifier: MIT */
/*
 * CSV: RFC 4180 quoting, and the timeline as a table over the sample — one
 * row per entry, in the model's order, times with the carrier's offset;
 * with all, corrections and retractions with their state.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "csv.h"
#include "fixture.h"

#define NOW	fixture_at("2026-11-28T12:00:00+09:00")

static void
test_fields(void **state)
{
	struct sbuf b = SBUF_INIT;
	static const char *const row[] = { "plain", "a,b", "say \"hi\"",
	    "two\nlines", "", NULL };

	assert_int_equal(csv_row(&b, row), 0);
	assert_string_equal(b.data,
	    "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\r\n");
	sbuf_truncate(&b, 0);
	csv_field(&b, NULL, 1);
	csv_field(&b, "x\r", 0);
	csv_end(&b);
	assert_string_equal(b.data, ",\"x\r\"\r\n");
	sbuf_free(&b);
}

/* Splits the CSV (no quoted line breaks in these) into its lines. */
static size_t
lines(char *s, char **out, size_t max)
{
	size_t n = 0;
	char *p;

	while (n < max && (p = strstr(s, "\r\n")) != NULL) {
		*p = '\0';
		out[n++] = s;
		s = p + 2;
	}
	assert_string_equal(s, "");	/* every line ends CRLF */
	return n;
}

static void
test_timeline(void **state)
{
	struct fixture fx;
	struct timeline tl;
	struct sbuf b = SBUF_INIT;
	char *l[200];
	size_t n, i;

	fixture_load(&fx, "sample-incident.ndjson");
	assert_int_equal(fx.evs[3].id, 5);
	fx.evs[3].source = "local";
	fx.evs[3].recorded_by = "1000";
	assert_int_equal(timeline_build(&fx.inc, fx.evs, fx.n, &fx.cf, NOW,
	    &tl), 0);
	assert_int_equal(csv_timeline(&tl, fx.evs, fx.n, &fx.cf, 0, &b), 0);
	assert_memory_equal(b.data, CSV_BOM, 3);
	n = lines(b.data + 3, l, 200);
	assert_int_equal(n, tl.nentries + 1);
	assert_string_equal(l[0], "time,phase,heading,text,actor,source,"
	    "recorded_by,event_id,supersedes,superseded_by,retracted_by,state,"
	    "alert_fingerprint");
	assert_string_equal(l[2], "2026-11-16T12:03:00+09:00,detect,障害検知,"
	    "サービス監視システムにてサービス障害を検知,監視業務部門,local,1000,5,"
	    ",,,current,");
	for (i = 1; i < n; i++)
		assert_non_null(strstr(l[i], ",current,"));
	/* Only the event given a source and a sender says so. */
	assert_non_null(strstr(l[1], ",メンテナンス委託業者,,,4,"));
	timeline_free(&tl);
	sbuf_free(&b);

	/* 7 corrected by 64, 8 retracted by 65, an alert that fired. */
	fixture_add(&fx, "{\"kind\":\"action\",\"incident\":\"SAMPLE-1\","
	    "\"at\":\"2026-11-16T12:41:00+09:00\",\"phase\":\"recover\","
	    "\"text\":\"訂正, \\\"後\\\"\",\"supersedes\":7}");
	fixture_add(&fx, "{\"kind\":\"retract\",\"incident\":\"SAMPLE-1\","
	    "\"at\":\"2026-11-16T13:00:00+09:00\",\"target\":8,\"text\":\"誤り\"}");
	fixture_add(&fx, "{\"kind\":\"alert\",\"incident\":\"SAMPLE-1\","
	    "\"at\":\"2026-11-16T12:02:00+09:00\",\"status\":\"firing\","
	    "\"name\":\"StorageDown\",\"fingerprint\":\"f00d\","
	    "\"labels\":{\"instance\":\"storage-a\"}}");
	fixture_add(&fx, "{\"kind\":\"retract\",\"incident\":\"SAMPLE-1\","
	    "\"at\":\"2026-11-16T13:00:00+09:00\",\"target\":66,\"text\":\"誤報\"}");
	assert_int_equal(timeline_build(&fx.inc, fx.evs, fx.n, &fx.cf, NOW,
	    &tl), 0);
	assert_int_equal(csv_timeline(&tl, fx.evs, fx.n, &fx.cf, 0, &b), 0);
	n = lines(b.data + 3, l, 200);
	assert_int_equal(n, tl.nentries + 1);
	for (i = 1; i < n; i++)
		if (strstr(l[i], ",64,7,") != NULL)
			break;
	assert_true(i < n);
	assert_string_equal(l[i], "2026-11-16T12:41:00+09:00,recover,復旧対処,"
	    "\"訂正, \"\"後\"\"\",,,,64,7,,,current,");
	sbuf_truncate(&b, 0);

	/* --all: the superseded, the retracted, each after its time's entries. */
	assert_int_equal(csv_timeline(&tl, fx.evs, fx.n, &fx.cf, 1, &b), 0);
	n = lines(b.data + 3, l, 200);
	assert_int_equal(n, tl.nentries + 1 + 3);
	assert_string_equal(l[2], "2026-11-16T12:02:00+09:00,detect,障害検知,"
	    "StorageDown（storage-a） を検知,監視業務部門,,,66,,,67,retracted,"
	    "f00d");
	for (i = 1; i < n; i++)
		if (strncmp(l[i], "2026-11-16T12:40:00+09:00,", 26) == 0)
			break;
	assert_true(i < n);
	assert_non_null(strstr(l[i], ",7,,64,,superseded,"));
	assert_non_null(strstr(l[i + 1], ",64,7,,,current,"));
	for (i = 1; i < n; i++)
		if (strstr(l[i], ",8,,,65,retracted,") != NULL)
			break;
	assert_true(i < n);
	/* 8 happened at 12:55, after 7's correction at 12:41. */
	assert_non_null(strstr(l[i], "2026-11-16T12:55:00+09:00"));
	assert_non_null(strstr(l[i - 1], "2026-11-16T12:41:00+09:00"));
	timeline_free(&tl);
	sbuf_free(&b);
	fixture_free(&fx);
}

static void
test_standing(void **state)
{
	struct fixture fx;
	struct tl_standing st[80];
	size_t i;

	fixture_load(&fx, "sample-incident.ndjson");
	/* Two corrections of 7: the later recorded (65) stands. */
	fixture_add(&fx, "{\"kind\":\"action\",\"incident\":\"SAMPLE-1\","
	    "\"at\":\"2026-11-16T12:41:00+09:00\",\"text\":\"a\",\"supersedes\":7}");
	fixture_add(&fx, "{\"kind\":\"action\",\"incident\":\"SAMPLE-1\","
	    "\"at\":\"2026-11-16T12:42:00+09:00\",\"text\":\"b\",\"supersedes\":7}");
	assert_true(fx.n < 80);
	assert_int_equal(timeline_standing(fx.evs, fx.n, st), 0);
	for (i = 0; i < fx.n; i++) {
		if (fx.evs[i].id == 7 || fx.evs[i].id == 64)
			assert_int_equal(st[i].superseded_by, 65);
		else
			assert_int_equal(st[i].superseded_by, 0);
		assert_int_equal(st[i].retracted_by, 0);
	}
	fixture_free(&fx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_timeline),
		cmocka_unit_test(test_standing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
