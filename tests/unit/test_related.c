/* SPDX-License-Identifier: MIT */
/*
 * 関連する事故の発生傾向: a past incident's figures from its own timeline,
 * the order of the cases, their tags, and the drafted text of the row.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "related.h"
#include "rfc3339.h"

static struct zone tokyo;

static int64_t
at(const char *s)
{
	struct sochi_time t;

	assert_int_equal(rfc3339_parse(s, &t), 0);
	return t.usec;
}

/* A past incident of category 5: impacts, users, all from wire objects. */
static void
past(const char *const *lines, size_t n, int64_t now,
    struct related_incident *ri)
{
	struct tl_incident inc = { "2024-0007", "ストレージ障害", NULL, 5, NULL,
	    "ストレージ機器Ａ", 0, 1, 0 };
	struct tl_config cf = { &tokyo, NULL, "監視業務部門" };
	struct tl_event evs[8];
	struct timeline tl;
	json_t *objs[8];
	json_error_t jerr;
	size_t i;

	assert_true(n <= 8);
	for (i = 0; i < n; i++) {
		objs[i] = json_loads(lines[i], 0, &jerr);
		assert_non_null(objs[i]);
		assert_int_equal(tl_event_from_wire(objs[i], (int64_t)i + 1,
		    &evs[i]), 0);
	}
	assert_int_equal(timeline_build(&inc, evs, n, &cf, now, &tl), 0);
	memset(ri, 0, sizeof(*ri));
	related_from_timeline(ri, &tl);
	timeline_free(&tl);
	for (i = 0; i < n; i++)
		json_decref(objs[i]);
}

static void
test_from_timeline(void **state)
{
	static const char *const serious[] = {
		"{\"kind\":\"impact\",\"op\":\"start\",\"name\":\"m\",\"label\":\"x\","
		"\"users\":58990,\"at\":\"2024-03-01T12:00:00+09:00\"}",
		"{\"kind\":\"impact\",\"op\":\"recover\",\"name\":\"m\","
		"\"at\":\"2024-03-01T14:15:00+09:00\"}",
	};
	static const char *const periodic[] = {
		"{\"kind\":\"impact\",\"op\":\"start\",\"name\":\"m\",\"label\":\"x\","
		"\"users\":1200,\"at\":\"2022-05-01T09:00:00+09:00\"}",
		"{\"kind\":\"impact\",\"op\":\"recover\",\"name\":\"m\","
		"\"at\":\"2022-05-01T12:30:00+09:00\"}",
	};
	static const char *const unknown[] = {
		"{\"kind\":\"impact\",\"op\":\"start\",\"name\":\"m\",\"label\":\"x\","
		"\"at\":\"2023-01-10T09:00:00+09:00\"}",
	};
	struct related_incident ri;

	past(serious, 2, at("2026-11-28T12:00:00+09:00"), &ri);
	assert_true(ri.occurred == at("2024-03-01T12:00:00+09:00"));
	assert_true(ri.recovered == at("2024-03-01T14:15:00+09:00"));
	assert_true(ri.longest == 135LL * 60 * 1000000);
	assert_int_equal(ri.users, 58990);
	assert_int_equal(ri.cls, REG_SERIOUS);
	assert_string_equal(related_tag(&ri), "【重大な事故に該当した事例】");
	past(periodic, 2, at("2026-11-28T12:00:00+09:00"), &ri);
	assert_int_equal(ri.cls, REG_PERIODIC);
	assert_string_equal(related_tag(&ri), "【四半期報告事故に該当した事例】");
	/* Still running, users unknown: undetermined, not a guess. */
	past(unknown, 1, at("2023-01-10T12:00:00+09:00"), &ri);
	assert_int_equal(ri.provisional, 1);
	assert_int_equal(ri.users, -1);
	assert_int_equal(ri.recovered, 0);
	assert_int_equal(ri.cls, REG_UNDETERMINED);
	assert_true(related_reportable(&ri));
	/* No impact at all: nothing to say of it. */
	past(NULL, 0, at("2026-11-28T12:00:00+09:00"), &ri);
	assert_int_equal(ri.assessed, 0);
	assert_false(related_reportable(&ri));
	assert_null(related_tag(&ri));
}

static void
test_draft(void **state)
{
	struct related_incident v[5];
	struct related_set s = { 5, NULL, NULL, v, 5 };
	struct sbuf b = SBUF_INIT;

	memset(v, 0, sizeof(v));
	v[0] = (struct related_incident){ "2022-0031", "ディスク障害",
	    "ストレージ機器Ａ", NULL, 5, NULL, RELATED_EQUIPMENT |
	    RELATED_CATEGORY, 0, at("2022-06-01T10:00:00+09:00"), 0,
	    45LL * 60000000, 0, 1200, 1, REG_PERIODIC };
	v[1] = (struct related_incident){ "2024-0007", "ストレージ障害",
	    "ストレージ機器Ａ", NULL, 5, NULL, RELATED_EQUIPMENT, 0,
	    at("2024-03-01T12:00:00+09:00"), 0, 135LL * 60000000, 0, 58990, 1,
	    REG_SERIOUS };
	v[2] = (struct related_incident){ "2025-0002", "メール遅延", NULL,
	    "電子メール", 5, "維持・運用時", RELATED_SERVICE | RELATED_STAGE, 0,
	    at("2025-02-02T08:00:00+09:00"), 0, -1, 0, -1, 1,
	    REG_UNDETERMINED };
	v[3] = (struct related_incident){ "2025-0005", "軽微な障害", NULL,
	    "電子メール", 5, NULL, RELATED_SERVICE, 0,
	    at("2025-03-02T08:00:00+09:00"), 0, 60000000, 0, 10, 1, REG_NONE };
	v[4] = (struct related_incident){ "2023-0001", "全国障害", NULL, NULL,
	    5, NULL, RELATED_CATEGORY, 0, at("2023-04-02T08:00:00+09:00"), 0,
	    600LL * 60000000, 1, 2000000, 1, REG_SERIOUS };
	related_sort(&s);
	assert_string_equal(v[0].code, "2025-0005");
	assert_string_equal(v[4].code, "2022-0031");
	assert_int_equal(related_draft(&s, &tokyo, &b), 0);
	assert_string_equal(b.data,
	    "【下書き：sochiに記録された過去の事故から作成。内容を確認のこと】\n"
	    "過去5年間に同一設備（ストレージ機器Ａ）に起因する事故が2件（2024-0007、"
	    "2022-0031）発生している。\n"
	    "過去5年間に同じ管理段階（維持・運用時）に原因のある事故が1件（2025-0002）"
	    "発生している。\n"
	    "過去5年間に影響を与えた電気通信役務の区分が同じ事故が1件（2023-0001）"
	    "発生している。\n"
	    "・2025-0002 令和7年2月2日発生 メール遅延（継続時間：不明、影響利用者数："
	    "不明）【重大な事故又は四半期報告事故への該当は要確認】\n"
	    "・2024-0007 令和6年3月1日発生 ストレージ障害（継続時間：2時間15分間、"
	    "影響利用者数：58,990人）【重大な事故に該当した事例】\n"
	    "・2023-0001 令和5年4月2日発生 全国障害（継続時間：10時間0分間（未復旧）、"
	    "影響利用者数：2,000,000人）【重大な事故に該当した事例】\n"
	    "・2022-0031 令和4年6月1日発生 ディスク障害（継続時間：45分間、影響利用者数："
	    "1,200人）【四半期報告事故に該当した事例】");
	sbuf_free(&b);

	/* None found: said so, still a draft to confirm. */
	s.n = 0;
	assert_int_equal(related_draft(&s, &tokyo, &b), 0);
	assert_non_null(strstr(b.data, "【下書き："));
	assert_non_null(strstr(b.data, "過去5年間にsochiに記録された事故のうち"));
	sbuf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_from_timeline),
		cmocka_unit_test(test_draft),
	};

	zone_fixed(&tokyo, 9 * 3600, "Asia/Tokyo");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
