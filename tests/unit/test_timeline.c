/* SPDX-License-Identifier: MIT */
/*
 * Timeline reconstruction.  The golden test: the sample incident's events,
 * in any order, give the sample's 措置模様 block byte for byte and its
 * figures; then corrections, retractions, offsets, alerts and an incident
 * still in progress.
 */
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
#include "report.h"
#include "timeline.h"
#include "timeline_text.h"
#include "wareki.h"

#define NOW	fixture_at("2026-12-01T00:00:00+09:00")

static char *
block(const struct timeline *tl, const struct zone *z)
{
	struct sbuf b = SBUF_INIT;

	assert_int_equal(timeline_text_block(tl, z, &b), 0);
	return sbuf_steal(&b);
}

static char *
durstr(int64_t usec)
{
	struct sbuf b = SBUF_INIT;

	duration_format(usec, &b);
	return sbuf_steal(&b);
}

/* Every figure of the model, as text, to compare two models. */
static char *
dump(const struct timeline *tl)
{
	struct sbuf b = SBUF_INIT;
	size_t i;

	sbuf_printf(&b, "occurred %lld/%lld longest %lld rec %d %lld\n",
	    (long long)tl->occurred, (long long)tl->occurred_id,
	    (long long)tl->longest, tl->all_recovered, (long long)tl->recovered);
	for (i = 0; i < tl->nimpacts; i++)
		sbuf_printf(&b, "impact %d %s %s %lld %lld %lld %lld %lld\n",
		    tl->impacts[i].no, tl->impacts[i].name,
		    tl->impacts[i].label ? tl->impacts[i].label : "-",
		    (long long)tl->impacts[i].start,
		    (long long)tl->impacts[i].recovered,
		    (long long)tl->impacts[i].duration,
		    (long long)tl->impacts[i].start_id,
		    (long long)tl->impacts[i].recover_id);
	for (i = 0; i < tl->nentries; i++)
		sbuf_printf(&b, "entry %lld %lld %s %s %s %s\n",
		    (long long)tl->entries[i].at, (long long)tl->entries[i].id,
		    tl->entries[i].phase ? tl->entries[i].phase : "-",
		    tl->entries[i].heading ? tl->entries[i].heading : "-",
		    tl->entries[i].actor ? tl->entries[i].actor : "-",
		    tl->entries[i].text);
	for (i = 0; i < tl->users.n; i++)
		sbuf_printf(&b, "users %lld %lld %lld\n",
		    (long long)tl->users.samples[i].at,
		    (long long)tl->users.samples[i].count,
		    (long long)tl->users.samples[i].id);
	sbuf_printf(&b, "max %lld/%lld total %lld/%lld %s %s\n",
	    (long long)tl->users.max, (long long)tl->users.max_id,
	    (long long)tl->users.total, (long long)tl->users.total_id,
	    tl->users.basis, tl->users.region);
	for (i = 0; i < tl->nnotices; i++)
		sbuf_printf(&b, "notice %s %d %lld %s\n", tl->notices[i].channel,
		    tl->notices[i].no, (long long)tl->notices[i].id,
		    tl->notices[i].text);
	for (i = 0; i < tl->inquiries.nchannels; i++)
		sbuf_printf(&b, "inq %s %lld %lld\n", tl->inquiries.channels[i].key,
		    (long long)tl->inquiries.channels[i].count,
		    (long long)tl->inquiries.channels[i].id);
	for (i = 0; i < tl->inquiries.ntopics; i++)
		sbuf_printf(&b, "topic %s %lld\n", tl->inquiries.topics[i].key,
		    (long long)tl->inquiries.topics[i].count);
	for (i = 0; i < tl->nnotes; i++)
		sbuf_printf(&b, "note %s %lld %s\n", tl->notes[i].section,
		    (long long)tl->notes[i].id, tl->notes[i].text);
	sbuf_printf(&b, "detect %lld identify %lld class %d %s %c\n",
	    (long long)tl->detected_id, (long long)tl->identified_id,
	    tl->classified, tl->classified ? tl->reg.row->kanji : "-",
	    tl->reg.pair ? tl->reg.pair : '-');
	return sbuf_steal(&b);
}

static void
test_golden(void **state)
{
	struct fixture fx;
	struct timeline tl;
	char *want = fixture_read_text("sample-timeline.txt"), *got, *d;

	fixture_load(&fx, "sample-incident.ndjson");
	assert_int_equal(timeline_build(&fx.inc, fx.evs, fx.n, &fx.cf, NOW,
	    &tl), 0);
	got = block(&tl, &fx.zone);
	assert_string_equal(got, want);

	/* 発生: the first impact's start, 12:00, not the incident's 12:10. */
	assert_int_equal(tl.occurred, fixture_at("2026-11-16T12:00:00+09:00"));
	assert_int_equal(tl.nimpacts, 2);
	assert_string_equal(tl.impacts[0].label, "電子メールの送受信ができない");
	assert_string_equal((d = durstr(tl.impacts[0].duration)), "2時間15分間");
	free(d);
	assert_string_equal(tl.impacts[1].label,
	    "過去に受信したメールの閲覧ができない");
	assert_string_equal((d = durstr(tl.impacts[1].duration)),
	    "10日間11時間40分間");
	free(d);
	assert_true(tl.all_recovered);
	assert_int_equal(tl.recovered, fixture_at("2026-11-26T23:40:00+09:00"));
	assert_int_equal(tl.users.max, 58990);
	assert_int_equal(tl.users.total, 904432);
	assert_string_equal(tl.users.basis, "契約数ベース");
	assert_string_equal(tl.users.region, "全国");
	assert_int_equal(tl.inquiries.total, 587);
	assert_int_equal(tl.inquiries.nchannels, 2);
	assert_string_equal(tl.inquiries.channels[0].key, "phone");
	assert_int_equal(tl.inquiries.channels[0].count, 499);
	assert_int_equal(tl.inquiries.channels[1].count, 88);
	assert_int_equal(tl.inquiries.ntopics, 3);
	{
		size_t i, web = 0;

		for (i = 0; i < tl.nnotices; i++)
			if (strcmp(tl.notices[i].channel, "web") == 0) {
				web++;
				assert_int_equal(tl.notices[i].no, (int)web);
			}
		assert_int_equal(web, 12);
	}
	assert_true(tl.classified);
	assert_int_equal(tl.reg.cls, REG_SERIOUS);
	assert_string_equal(tl.reg.row->kanji, "五");
	assert_int_equal(tl.reg.pair, 'A');
	assert_true(tl.reg.due.year == 2026 && tl.reg.due.month == 12 &&
	    tl.reg.due.day == 16);
	assert_int_equal(tl.detected, fixture_at("2026-11-16T12:03:00+09:00"));
	assert_int_equal(tl.identified, fixture_at("2026-11-16T12:30:00+09:00"));
	assert_int_equal(tl.to_detect, 3 * 60 * 1000000LL);
	assert_int_equal(tl.to_identify, 30 * 60 * 1000000LL);
	assert_int_equal(tl.impacts[0].since_occurred,
	    (2 * 60 + 15) * 60 * 1000000LL);
	{
		size_t n;

		assert_non_null(timeline_notes(&tl, "cause.scale", &n));
		assert_int_equal(n, 2);
		assert_non_null(timeline_notes(&tl, "measure.permanent", &n));
		assert_int_equal(n, 2);
		assert_non_null(timeline_notes(&tl, "overview", &n));
		assert_int_equal(n, 1);
	}
	timeline_free(&tl);
	fixture_free(&fx);
	free(got);
	free(want);
}

static void
test_shuffled(void **state)
{
	struct fixture fx;
	struct timeline tl;
	char *first = NULL, *d, *blk, *want = fixture_read_text(
	    "sample-timeline.txt");
	unsigned seed = 12345;
	int round;
	size_t i;

	fixture_load(&fx, "sample-incident.ndjson");
	for (round = 0; round < 20; round++) {
		/* Fisher-Yates with a fixed LCG: the same 20 orders every run. */
		for (i = fx.n - 1; i > 0; i--) {
			size_t j;
			struct tl_event t;

			seed = seed * 1103515245 + 12345;
			j = (seed >> 8) % (i + 1);
			t = fx.evs[i];
			fx.evs[i] = fx.evs[j];
			fx.evs[j] = t;
		}
		assert_int_equal(timeline_build(&fx.inc, fx.evs, fx.n, &fx.cf,
		    NOW, &tl), 0);
		d = dump(&tl);
		blk = block(&tl, &fx.zone);
		assert_string_equal(blk, want);
		if (first == NULL)
			first = d;
		else {
			assert_string_equal(d, first);
			free(d);
		}
		free(blk);
		timeline_free(&tl);
	}
	free(first);
	free(want);
	fixture_free(&fx);
}

/* The same instants written with other offsets render the same. */
static void
test_offsets(void **state)
{
	struct fixture fx;
	struct timeline a, b;
	char *ba, *bb;

	fixture_load(&fx, "sample-incident.ndjson");
	assert_int_equal(timeline_build(&fx.inc, fx.evs, fx.n, &fx.cf, NOW,
	    &a), 0);
	ba = block(&a, &fx.zone);
	/* 12:03 JST as UTC and as New York time. */
	json_object_set_new(json_array_get(fx.lines, 4), "at",
	    json_string("2026-11-16T03:03:00Z"));
	json_object_set_new(json_array_get(fx.lines, 5), "at",
	    json_string("2026-11-15T22:30:00-05:00"));
	fixture_drop(&fx, 9999);	/* rebuilds the events */
	assert_int_equal(timeline_build(&fx.inc, fx.evs, fx.n, &fx.cf, NOW,
	    &b), 0);
	bb = block(&b, &fx.zone);
	assert_string_equal(ba, bb);
	free(ba);
	free(bb);
	timeline_free(&a);
	timeline_free(&b);
	fixture_free(&fx);
}

static const struct tl_entry *
entry_at(const struct timeline *tl, const char *rfc)
{
	size_t i;
	int64_t t = fixture_at(rfc);

	for (i = 0; i < tl->nentries; i++)
		if (tl->entries[i].at == t)
			return &tl->entries[i];
	return NULL;
}

static void
test_supersede_retract(void **state)
{
	struct fixture fx;
	struct timeline tl;
	const struct tl_entry *e;
	size_t n0;

	fixture_load(&fx, "sample-incident.ndjson");
	n0 = fx.n;
	/* Line 7 is 12:40 ストレージ機器Ａの再起動を開始; correct its time and text. */
	fixture_add(&fx, "{\"kind\":\"action\",\"incident\":\"SAMPLE-1\","
	    "\"at\":\"2026-11-16T12:41:00+09:00\",\"phase\":\"recover\","
	    "\"actor\":\"ネットワークオペレーション部門\",\"text\":\"ストレージ機器Ａの"
	    "再起動を開始（訂正）\",\"supersedes\":7}");
	assert_int_equal(timeline_build(&fx.inc, fx.evs, fx.n, &fx.cf, NOW,
	    &tl), 0);
	assert_null(entry_at(&tl, "2026-11-16T12:40:00+09:00"));
	assert_non_null((e = entry_at(&tl, "2026-11-16T12:41:00+09:00")));
	assert_string_equal(e->text, "ストレージ機器Ａの再起動を開始（訂正）");
	timeline_free(&tl);

	/* A correction of the correction: only the last one shows. */
	fixture_add(&fx, "{\"kind\":\"action\",\"incident\":\"SAMPLE-1\","
	    "\"at\":\"2026-11-16T12:42:00+09:00\",\"phase\":\"recover\","
	    "\"text\":\"三度目\",\"supersedes\":64}");
	assert_int_equal(timeline_build(&fx.inc, fx.evs, fx.n, &fx.cf, NOW,
	    &tl), 0);
	assert_null(entry_at(&tl, "2026-11-16T12:40:00+09:00"));
	assert_null(entry_at(&tl, "2026-11-16T12:41:00+09:00"));
	assert_string_equal(entry_at(&tl, "2026-11-16T12:42:00+09:00")->text,
	    "三度目");
	timeline_free(&tl);

	/* Retracting the last correction restores the one before it. */
	fixture_add(&fx, "{\"kind\":\"retract\",\"incident\":\"SAMPLE-1\","
	    "\"at\":\"2026-11-16T13:00:00+09:00\",\"target\":65,\"text\":\"誤り\"}");
	assert_int_equal(timeline_build(&fx.inc, fx.evs, fx.n, &fx.cf, NOW,
	    &tl), 0);
	assert_null(entry_at(&tl, "2026-11-16T12:42:00+09:00"));
	assert_non_null(entry_at(&tl, "2026-11-16T12:41:00+09:00"));
	timeline_free(&tl);

	/* Retracting an entry drops it; so does retracting an impact's recovery. */
	fixture_add(&fx, "{\"kind\":\"retract\",\"incident\":\"SAMPLE-1\","
	    "\"at\":\"2026-11-16T13:00:00+09:00\",\"target\":6,\"text\":\"誤り\"}");
	fixture_add(&fx, "{\"kind\":\"retract\",\"incident\":\"SAMPLE-1\","
	    "\"at\":\"2026-11-27T13:00:00+09:00\",\"target\":16,\"text\":\"早すぎた\"}");
	assert_int_equal(timeline_build(&fx.inc, fx.evs, fx.n, &fx.cf, NOW,
	    &tl), 0);
	assert_null(entry_at(&tl, "2026-11-16T12:30:00+09:00"));
	assert_int_equal(tl.identified_id, 0);
	assert_false(tl.all_recovered);
	assert_true(tl.impacts[1].provisional);
	assert_int_equal(fx.n, n0 + 5);
	timeline_free(&tl);
	fixture_free(&fx);
}

static void
test_in_progress(void **state)
{
	struct fixture fx;
	struct timeline tl;
	char *d;

	fixture_load(&fx, "sample-incident.ndjson");
	fixture_drop(&fx, 16);	/* ② recovered at 11/26 23:40 */
	assert_int_equal(timeline_build(&fx.inc, fx.evs, fx.n, &fx.cf,
	    fixture_at("2026-11-16T15:30:59+09:00"), &tl), 0);
	assert_false(tl.all_recovered);
	assert_int_equal(tl.recovered, 0);
	assert_true(tl.impacts[1].provisional);
	assert_int_equal(tl.impacts[1].recover_id, 0);
	assert_string_equal((d = durstr(tl.impacts[1].duration)), "3時間30分間");
	free(d);
	assert_false(tl.impacts[0].provisional);
	/* Already serious: ① alone lasted 2時間15分間 with 58,990 users. */
	assert_int_equal(tl.reg.cls, REG_SERIOUS);
	timeline_free(&tl);
	fixture_free(&fx);
}

static void
test_alerts_and_phases(void **state)
{
	struct fixture fx;
	struct timeline tl;
	const struct tl_entry *e;

	fixture_load(&fx, "sample-incident.ndjson");
	fixture_add(&fx, "{\"kind\":\"alert\",\"incident\":\"SAMPLE-1\","
	    "\"at\":\"2026-11-16T12:02:00+09:00\",\"status\":\"firing\","
	    "\"name\":\"StorageDown\",\"labels\":{\"instance\":\"storage-a\"},"
	    "\"annotations\":{\"summary\":\"ストレージ機器Ａ 応答なし\"}}");
	fixture_add(&fx, "{\"kind\":\"alert\",\"incident\":\"SAMPLE-1\","
	    "\"at\":\"2026-11-16T12:58:00+09:00\",\"status\":\"resolved\","
	    "\"name\":\"StorageDown\",\"labels\":{\"instance\":\"storage-a\"}}");
	/* An action with no phase continues the phase before it. */
	fixture_add(&fx, "{\"kind\":\"action\",\"incident\":\"SAMPLE-1\","
	    "\"at\":\"2026-11-16T12:31:00+09:00\",\"text\":\"ログを採取\"}");
	assert_int_equal(timeline_build(&fx.inc, fx.evs, fx.n, &fx.cf, NOW,
	    &tl), 0);
	assert_non_null((e = entry_at(&tl, "2026-11-16T12:02:00+09:00")));
	assert_string_equal(e->text,
	    "StorageDown（storage-a）：ストレージ機器Ａ 応答なし を検知");
	assert_string_equal(e->actor, "監視業務部門");
	assert_string_equal(e->heading, "障害検知");
	assert_int_equal(tl.detected, fixture_at("2026-11-16T12:02:00+09:00"));
	assert_non_null((e = entry_at(&tl, "2026-11-16T12:58:00+09:00")));
	assert_string_equal(e->text, "StorageDown（storage-a） の解消を確認");
	assert_string_equal(e->phase, "recover");
	assert_string_equal(entry_at(&tl, "2026-11-16T12:31:00+09:00")->heading,
	    "障害箇所の特定");
	/* The work phase is headed as its entry asked: （機器追加作業）. */
	assert_string_equal(entry_at(&tl, "2026-11-16T12:00:00+09:00")->heading,
	    "機器追加作業");
	timeline_free(&tl);
	fixture_free(&fx);
}

/* Two alerts hold one impact: it recovers when the last resolves. */
static void
test_alert_holders(void **state)
{
	struct fixture fx;
	struct timeline tl;
	char *d;

	fixture_load(&fx, "sample-incident.ndjson");
	fixture_add(&fx, "{\"kind\":\"impact\",\"incident\":\"SAMPLE-1\","
	    "\"op\":\"start\",\"at\":\"2026-11-17T10:00:00+09:00\","
	    "\"name\":\"web\",\"label\":\"Web不可\",\"alert\":\"a\"}");
	fixture_add(&fx, "{\"kind\":\"impact\",\"incident\":\"SAMPLE-1\","
	    "\"op\":\"start\",\"at\":\"2026-11-17T10:05:00+09:00\","
	    "\"name\":\"web\",\"alert\":\"b\"}");
	fixture_add(&fx, "{\"kind\":\"impact\",\"incident\":\"SAMPLE-1\","
	    "\"op\":\"recover\",\"at\":\"2026-11-17T10:30:00+09:00\","
	    "\"name\":\"web\",\"alert\":\"a\"}");
	assert_int_equal(timeline_build(&fx.inc, fx.evs, fx.n, &fx.cf, NOW,
	    &tl), 0);
	assert_int_equal(tl.nimpacts, 3);
	assert_true(tl.impacts[2].provisional);
	assert_int_equal(tl.ndup_starts, 0);
	timeline_free(&tl);
	fixture_add(&fx, "{\"kind\":\"impact\",\"incident\":\"SAMPLE-1\","
	    "\"op\":\"recover\",\"at\":\"2026-11-17T11:00:00+09:00\","
	    "\"name\":\"web\",\"alert\":\"b\"}");
	assert_int_equal(timeline_build(&fx.inc, fx.evs, fx.n, &fx.cf, NOW,
	    &tl), 0);
	assert_false(tl.impacts[2].provisional);
	assert_string_equal((d = durstr(tl.impacts[2].duration)), "1時間0分間");
	free(d);
	timeline_free(&tl);
	fixture_free(&fx);
}

/* A model as text, every id given as its line in the fixture. */
static char *
dump_lines(const struct fixture *fx, const struct timeline *tl)
{
	struct sbuf b = SBUF_INIT;
	struct report r;
	struct lint l;
	size_t i, k;
#define ID(x)	(long long)fixture_line(fx, (x))

	sbuf_printf(&b, "occurred %lld/%lld longest %lld/%lld rec %d %lld "
	    "shown %zu\n", (long long)tl->occurred, ID(tl->occurred_id),
	    (long long)tl->longest, ID(tl->longest_id), tl->all_recovered,
	    (long long)tl->recovered, tl->nshown);
	for (i = 0; i < tl->nimpacts; i++) {
		const struct tl_impact *im = &tl->impacts[i];

		sbuf_printf(&b, "impact %d %s %s %lld %lld %lld %lld %lld cat %d "
		    "own %lld/%lld cls %lld/%lld peak %d ", im->no, im->name,
		    im->label ? im->label : "-", (long long)im->start,
		    (long long)im->recovered, (long long)im->duration,
		    ID(im->start_id), ID(im->recover_id), im->category,
		    (long long)im->own_users, ID(im->own_users_id),
		    (long long)im->cls_users, ID(im->cls_users_id),
		    im->users_from_peak);
		if (im->no != 0)
			report_impact_line(im, &b);
		sbuf_addc(&b, '\n');
	}
	for (i = 0; i < tl->nentries; i++)
		sbuf_printf(&b, "entry %lld %lld %s %s %s %s\n",
		    (long long)tl->entries[i].at, ID(tl->entries[i].id),
		    tl->entries[i].phase ? tl->entries[i].phase : "-",
		    tl->entries[i].heading ? tl->entries[i].heading : "-",
		    tl->entries[i].actor ? tl->entries[i].actor : "-",
		    tl->entries[i].text);
	for (i = 0; i < tl->users.n; i++)
		sbuf_printf(&b, "users %lld %lld %lld %d\n",
		    (long long)tl->users.samples[i].at,
		    (long long)tl->users.samples[i].count,
		    ID(tl->users.samples[i].id), tl->users.samples[i].impact_no);
	sbuf_printf(&b, "max %lld/%lld untied %lld/%lld total %lld/%lld %s %s\n",
	    (long long)tl->users.max, ID(tl->users.max_id),
	    (long long)tl->users.untied_max, ID(tl->users.untied_max_id),
	    (long long)tl->users.total, ID(tl->users.total_id),
	    tl->users.basis ? tl->users.basis : "-",
	    tl->users.region ? tl->users.region : "-");
	for (i = 0; i < tl->nnotices; i++)
		sbuf_printf(&b, "notice %s %d %lld %s\n", tl->notices[i].channel,
		    tl->notices[i].no, ID(tl->notices[i].id),
		    tl->notices[i].text);
	for (i = 0; i < tl->inquiries.nchannels; i++)
		sbuf_printf(&b, "inq %s %lld %lld\n",
		    tl->inquiries.channels[i].key,
		    (long long)tl->inquiries.channels[i].count,
		    ID(tl->inquiries.channels[i].id));
	for (i = 0; i < tl->inquiries.ntopics; i++)
		sbuf_printf(&b, "topic %s %lld\n", tl->inquiries.topics[i].key,
		    (long long)tl->inquiries.topics[i].count);
	for (i = 0; i < tl->nnotes; i++)
		sbuf_printf(&b, "note %s %lld %s\n", tl->notes[i].section,
		    ID(tl->notes[i].id), tl->notes[i].text);
	for (i = 0; i < tl->nconflicts; i++)
		sbuf_printf(&b, "conflict %lld kept %lld lost %lld\n",
		    ID(tl->conflicts[i].target), ID(tl->conflicts[i].kept),
		    ID(tl->conflicts[i].lost));
	for (i = 0; i < tl->ndup_starts; i++)
		sbuf_printf(&b, "dup %lld\n", ID(tl->dup_starts[i]));
	sbuf_printf(&b, "detect %lld identify %lld assessed %d class %d ",
	    ID(tl->detected_id), ID(tl->identified_id), tl->assessed,
	    tl->classified);
	report_incident_line(tl, &b);
	sbuf_adds(&b, "\ndue ");
	report_due_line(tl, &b);
	sbuf_addc(&b, '\n');
	assert_int_equal(lint_run(tl, &fx->zone, &l), 0);
	for (i = 0; i < l.n; i++) {
		sbuf_printf(&b, "lint %s %s", lint_severity_name(l.f[i].sev),
		    l.f[i].code);
		for (k = 0; k < l.f[i].nids; k++)
			sbuf_printf(&b, " %lld", ID(l.f[i].ids[k]));
		sbuf_addc(&b, '\n');
	}
	lint_free(&l);
	r.tl = tl;
	r.inc = &fx->inc;
	r.profile = NULL;
	r.related = NULL;
	r.zone = &fx->zone;
	r.now = tl->now;
	assert_int_equal(report_text(&r, &b), 0);
#undef ID
	return sbuf_steal(&b);
}

/* Checks a case's model against its NAME.expect. */
static void
expect_case(const char *name, const struct fixture *fx,
    const struct timeline *tl, int64_t *now)
{
	char file[256], *text, *line, *save = NULL;
	struct sbuf b = SBUF_INIT;
	struct lint l;
	size_t i, k, nimp = 0;

	snprintf(file, sizeof(file), "cases/%s.expect", name);
	text = fixture_read_text(file);
	assert_int_equal(lint_run(tl, &fx->zone, &l), 0);
	for (line = strtok_r(text, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		sbuf_truncate(&b, 0);
		if (*line == '#' || strncmp(line, "now ", 4) == 0)
			continue;
		if (strncmp(line, "exit ", 5) == 0) {
			if ((l.errors > 0) != (atoi(line + 5) == 1))
				fail_msg("%s: %zu errors, expected exit %s", name,
				    l.errors, line + 5);
		} else if (strncmp(line, "finding ", 8) == 0) {
			for (i = 0; i < l.n; i++) {
				sbuf_truncate(&b, 0);
				sbuf_printf(&b, "finding %s %s",
				    lint_severity_name(l.f[i].sev), l.f[i].code);
				for (k = 0; k < l.f[i].nids; k++)
					sbuf_printf(&b, "%s%lld", k ? ", " :
					    " [events ", (long long)fixture_line(fx,
					    l.f[i].ids[k]));
				sbuf_adds(&b, l.f[i].nids ? "]" : "");
				if (strcmp(b.data, line) == 0 ||
				    (strchr(line, '[') == NULL &&
				    strncmp(b.data, line, strlen(line)) == 0))
					break;
			}
			if (i == l.n)
				fail_msg("%s: no \"%s\"", name, line);
		} else if (strncmp(line, "classification: ", 16) == 0) {
			report_incident_line(tl, &b);
			assert_string_equal(b.data, line + 16);
		} else if (strncmp(line, "impact ", 7) == 0) {
			while (nimp < tl->nimpacts && tl->impacts[nimp].no == 0)
				nimp++;
			assert_true(nimp < tl->nimpacts);
			report_impact_line(&tl->impacts[nimp++], &b);
			assert_string_equal(b.data, line);
		} else if (strncmp(line, "due: ", 5) == 0) {
			report_due_line(tl, &b);
			assert_string_equal(b.data, line + 5);
		} else
			fail_msg("%s: cannot read \"%s\"", name, line);
	}
	/* Every impact has its line in the expectation. */
	while (nimp < tl->nimpacts && tl->impacts[nimp].no == 0)
		nimp++;
	if (nimp != tl->nimpacts)
		fail_msg("%s: impact lines missing from the expectation", name);
	(void)now;
	lint_free(&l);
	sbuf_free(&b);
	free(text);
}

static int64_t
case_now(const char *name)
{
	char file[256], *text, *p;
	int64_t now = NOW;

	snprintf(file, sizeof(file), "cases/%s.expect", name);
	text = fixture_read_text(file);
	if ((p = strstr(text, "\nnow ")) != NULL) {
		p[5 + 25] = '\0';
		now = fixture_at(p + 5);
	}
	free(text);
	return now;
}

/*
 * The model is a function of the set of events: every fixture and every
 * case of tests/fixtures/cases, rebuilt with its events in many orders and
 * under many assignments of ids (and, where no two corrections compete, of
 * recorded times), gives the same model, findings, check lines and report.
 */
static void
test_property(void **state)
{
	size_t ncases, c;
	char **cases = fixture_cases(&ncases);
	unsigned seed = 20261116;
	int round;

	assert_true(ncases >= 9);
	for (c = 0; c <= ncases; c++) {
		struct fixture fx, px;
		struct timeline tl;
		char file[256], *want, *got;
		int64_t now = c == ncases ? NOW : case_now(cases[c]);
		int conflicts;

		snprintf(file, sizeof(file), c == ncases ?
		    "sample-incident.ndjson" : "cases/%s.ndjson",
		    c == ncases ? "" : cases[c]);
		fixture_load(&fx, file);
		assert_int_equal(timeline_build(&fx.inc, fx.evs, fx.n, &fx.cf,
		    now, &tl), 0);
		if (c < ncases)
			expect_case(cases[c], &fx, &tl, &now);
		want = dump_lines(&fx, &tl);
		conflicts = tl.nconflicts > 0;
		timeline_free(&tl);
		for (round = 0; round < 40; round++) {
			fixture_permute(&px, &fx, &seed, !conflicts &&
			    round % 2 == 1);
			assert_int_equal(timeline_build(&px.inc, px.evs, px.n,
			    &px.cf, now, &tl), 0);
			got = dump_lines(&px, &tl);
			if (strcmp(got, want) != 0)
				fail_msg("%s, round %d:\n--- in file order\n%s\n"
				    "--- permuted\n%s", file, round, want, got);
			free(got);
			timeline_free(&tl);
			fixture_free(&px);
		}
		free(want);
		fixture_free(&fx);
		if (c < ncases)
			free(cases[c]);
	}
	free(cases);
}

/* A uid's name, as the CLI's getpwuid would give it; 4242 has none. */
static const char *
fake_login(const char *uid, void *arg)
{
	(void)arg;
	return strcmp(uid, "1000") == 0 ? "alice" : NULL;
}

/*
 * --who: under each entry its source, and for a local sender the login of
 * its uid, or the uid alone when the machine has no such user; the
 * report's JSON carries both as stored.
 */
static void
test_who(void **state)
{
	struct fixture fx;
	struct timeline tl;
	struct sbuf b = SBUF_INIT;
	struct report r;
	json_t *j, *e;
	char *plain, *who, *json;
	size_t i, lines = 0, wholines = 0;
	int64_t first, second, third;

	(void)state;
	fixture_load(&fx, "sample-incident.ndjson");
	assert_int_equal(timeline_build(&fx.inc, fx.evs, fx.n, &fx.cf, NOW,
	    &tl), 0);
	assert_true(tl.nentries >= 3);
	first = tl.entries[0].id;
	second = tl.entries[1].id;
	third = tl.entries[2].id;
	timeline_free(&tl);
	for (i = 0; i < fx.n; i++) {
		fx.evs[i].source = "zabbix";
		if (fx.evs[i].id == first || fx.evs[i].id == second) {
			fx.evs[i].source = fx.evs[i].id == first ?
			    "local:1000" : "local:4242";
			fx.evs[i].recorded_by = fx.evs[i].id == first ?
			    "1000" : "4242";
		}
	}
	assert_int_equal(timeline_build(&fx.inc, fx.evs, fx.n, &fx.cf, NOW,
	    &tl), 0);
	assert_string_equal(tl.entries[0].source, "local:1000");
	assert_string_equal(tl.entries[0].recorded_by, "1000");
	assert_string_equal(tl.entries[2].source, "zabbix");
	assert_null(tl.entries[2].recorded_by);
	assert_int_equal(tl.entries[2].id, third);

	plain = block(&tl, &fx.zone);
	assert_int_equal(timeline_text_block_who(&tl, &fx.zone, fake_login,
	    NULL, &b), 0);
	who = sbuf_steal(&b);
	assert_non_null(strstr(who, "を発信\n　〔送信元：local:1000　"
	    "記録者：alice (uid 1000)〕\n【対応者："));
	assert_non_null(strstr(who, "　〔送信元：local:4242　記録者：uid 4242"
	    "（この機械にその uid の利用者なし）〕\n"));
	assert_non_null(strstr(who, "　〔送信元：zabbix〕\n"));
	/* The block itself is unchanged: one who line under each entry. */
	for (i = 0; plain[i] != '\0'; i++)
		lines += plain[i] == '\n';
	for (i = 0; who[i] != '\0'; i++)
		wholines += who[i] == '\n';
	assert_int_equal(wholines, lines + tl.nentries);
	assert_null(strstr(plain, "送信元"));

	memset(&r, 0, sizeof(r));
	r.tl = &tl;
	r.inc = &fx.inc;
	r.profile = NULL;
	r.related = NULL;
	r.zone = &fx.zone;
	r.now = NOW;
	b = (struct sbuf)SBUF_INIT;
	assert_int_equal(report_json(&r, &b), 0);
	json = sbuf_steal(&b);
	assert_non_null(j = json_loads(json, 0, NULL));
	e = json_array_get(json_object_get(j, "timeline"), 0);
	assert_string_equal(json_string_value(json_object_get(e, "source")),
	    "local:1000");
	assert_string_equal(json_string_value(json_object_get(e,
	    "recorded_by")), "1000");
	e = json_array_get(json_object_get(j, "timeline"), 2);
	assert_string_equal(json_string_value(json_object_get(e, "source")),
	    "zabbix");
	assert_true(json_is_null(json_object_get(e, "recorded_by")));
	json_decref(j);
	free(json);
	free(plain);
	free(who);
	timeline_free(&tl);
	fixture_free(&fx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden),
		cmocka_unit_test(test_shuffled),
		cmocka_unit_test(test_offsets),
		cmocka_unit_test(test_supersede_retract),
		cmocka_unit_test(test_in_progress),
		cmocka_unit_test(test_alerts_and_phases),
		cmocka_unit_test(test_alert_holders),
		cmocka_unit_test(test_property),
		cmocka_unit_test(test_who),
	};

	return cmocka_run_group_tests_name("timeline", tests, NULL, NULL);
}
