/* SPDX-License-Identifier: MIT */
/*
 * The decoder and validator: every kind, every field of DESIGN.md's table,
 * and every way a request can be wrong.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "event.h"

static const char *const phases[] = { "work", "detect", "identify",
    "recover", "notify", "followup", NULL };
static const struct event_rules rules = { phases };

#define INC	"\"incident\":\"2026-0001\","
#define AT	"\"at\":\"2026-11-25T12:40:00+09:00\","

/* Lines that must be accepted, one or more per kind and optional field. */
static const char *const good[] = {
	"{\"kind\":\"incident\",\"op\":\"open\",\"title\":\"メール障害\"}",
	"{\"kind\":\"incident\",\"op\":\"open\",\"title\":\"t\",\"code\":"
	    "\"2026-0042\",\"service\":\"インターネット関連サービス（電子メール）\","
	    "\"category\":5,\"location\":\"○○ビル\",\"equipment\":\"ストレージ機器Ａ\","
	    AT "\"key\":\"k1\",\"actor\":\"監視業務部門\"}",
	"{\"kind\":\"incident\",\"op\":\"update\"," INC "\"category\":1}",
	/* Codes: a letter or digit first, then . _ - too, up to 64 bytes. */
	"{\"kind\":\"incident\",\"op\":\"open\",\"title\":\"t\",\"code\":\"A\"}",
	"{\"kind\":\"incident\",\"op\":\"open\",\"title\":\"t\",\"code\":"
	    "\"NOC_2026.11-3\"}",
	"{\"kind\":\"action\",\"incident\":\"x"
	    "123456789012345678901234567890123456789012345678901234567890123\","
	    AT "\"text\":\"x\"}",
	/* Other names keep their ':' (impact names, e.g. a host:service). */
	"{\"kind\":\"impact\",\"op\":\"recover\"," INC AT "\"name\":\"mx1:smtp\"}",
	"{\"kind\":\"incident\",\"op\":\"close\"," INC AT "\"key\":\"c\"}",
	"{\"kind\":\"action\"," INC AT "\"text\":\"再起動を開始\"}",
	"{\"kind\":\"action\"," INC AT "\"text\":\"x\",\"phase\":\"recover\","
	    "\"actor\":\"ネットワークオペレーション部門\",\"heading\":\"機器追加作業\","
	    "\"key\":\"cli-7f3a\",\"supersedes\":12}",
	"{\"kind\":\"impact\",\"op\":\"start\"," INC AT "\"name\":\"mail-send\","
	    "\"label\":\"電子メールの送受信ができない\",\"users\":58990}",
	"{\"kind\":\"impact\",\"op\":\"recover\"," INC AT "\"name\":\"mail-send\"}",
	"{\"kind\":\"users\"," INC "\"count\":58990,\"total\":904432,"
	    "\"basis\":\"契約数ベース\",\"region\":\"全国\"}",
	"{\"kind\":\"users\"," INC "\"count\":0}",
	"{\"kind\":\"users\"," INC "\"count\":35000,\"impact\":\"voice\"}",
	"{\"kind\":\"impact\",\"op\":\"start\"," INC AT "\"name\":\"voice\","
	    "\"label\":\"発着信不可\",\"category\":1,\"users\":35000}",
	"{\"kind\":\"impact\",\"op\":\"start\"," INC AT "\"name\":\"chat\","
	    "\"label\":\"送受信不可\",\"category\":6}",
	"{\"kind\":\"notice\"," INC "\"channel\":\"web\",\"text\":\"障害が発生した旨を周知\"}",
	"{\"kind\":\"notice\"," INC "\"channel\":\"press\",\"text\":\"p\"}",
	"{\"kind\":\"notice\"," INC "\"channel\":\"sns\",\"text\":\"p\"}",
	"{\"kind\":\"inquiry\"," INC "\"channel\":\"phone\",\"count\":499,"
	    "\"topic\":\"障害復旧の見込みについて\"}",
	"{\"kind\":\"inquiry\"," INC "\"channel\":\"mail\",\"count\":88}",
	"{\"kind\":\"note\"," INC "\"section\":\"overview\",\"text\":\"概要\"}",
	"{\"kind\":\"note\"," INC "\"section\":\"cause.scale\",\"text\":\"t\","
	    "\"stage\":\"工事\"}",
	"{\"kind\":\"note\"," INC "\"section\":\"measure.permanent\",\"text\":\"t\","
	    "\"due\":\"2026-12-31\",\"done\":\"2026-12-01\"}",
	"{\"kind\":\"alert\",\"status\":\"firing\",\"name\":\"StorageDown\","
	    "\"labels\":{\"instance\":\"storage-a\"},\"annotations\":{},"
	    "\"fingerprint\":\"abc\"}",
	"{\"kind\":\"alert\"," INC "\"status\":\"resolved\",\"name\":\"x\"}",
	"{\"kind\":\"retract\"," INC "\"target\":5,\"text\":\"誤入力\"}",
	NULL
};

/* Lines that must be refused, and a part of the message each must carry. */
static const struct {
	const char	*line;
	const char	*want;
} bad[] = {
	{ "{not json", "invalid JSON" },
	{ "", "invalid JSON" },
	{ "[1,2]", "request: expected a JSON object" },
	{ "\"kind\"", "request: expected a JSON object" },
	{ "{\"kind\":\"action\",\"kind\":\"action\"}", "invalid JSON" },
	{ "{\"kind\":\"act\xff\"}", "invalid JSON" },
	{ "{}", "kind: required" },
	{ "{\"kind\":7}", "kind: expected a string, got 7" },
	{ "{\"kind\":\"acton\"}", "kind: expected one of" },
	{ "{\"kind\":\"action\"," INC AT "\"text\":\"x\",\"txt\":\"y\"}",
	    "txt: unknown field for kind action" },
	{ "{\"kind\":\"action\"," INC AT "\"text\":\"x\",\"recorded_by\":\"0\"}",
	    "recorded_by: unknown field" },
	{ "{\"kind\":\"action\"," AT "\"text\":\"x\"}",
	    "incident: required for kind action" },
	{ "{\"kind\":\"action\"," INC "\"text\":\"x\"}",
	    "at: required for kind action" },
	{ "{\"kind\":\"action\"," INC AT "\"phase\":\"recover\"}",
	    "text: required for kind action" },
	{ "{\"kind\":\"action\"," INC AT "\"text\":\"\"}",
	    "text: must not be empty" },
	{ "{\"kind\":\"action\"," INC AT "\"text\":5}",
	    "text: expected a string, got 5" },
	{ "{\"kind\":\"action\"," INC "\"at\":\"25:61\",\"text\":\"x\"}",
	    "at: not an RFC 3339 time: \"25:61\"" },
	{ "{\"kind\":\"action\"," INC "\"at\":\"2026-11-25T12:00:00\","
	    "\"text\":\"x\"}", "at: not an RFC 3339 time" },
	{ "{\"kind\":\"action\"," INC "\"at\":1764039600,\"text\":\"x\"}",
	    "at: expected a string, got 1764039600" },
	{ "{\"kind\":\"action\"," INC AT "\"text\":\"x\",\"phase\":\"fix\"}",
	    "phase: unknown phase" },
	{ "{\"kind\":\"action\"," INC AT "\"text\":\"x\",\"key\":\"\"}",
	    "key: expected 1 to 200 bytes" },
	{ "{\"kind\":\"action\"," INC AT "\"text\":\"x\",\"key\":7}",
	    "key: expected a string" },
	{ "{\"kind\":\"action\"," INC AT "\"text\":\"x\",\"actor\":\"\"}",
	    "actor: must not be empty" },
	{ "{\"kind\":\"action\",\"incident\":\"a b\"," AT "\"text\":\"x\"}",
	    "incident: expected an incident code: 1 to 64 of A-Z a-z 0-9 . _ -, "
	    "beginning with a letter or digit, got \"a b\"" },
	/* A code is never an option (notify_command) nor a host:port. */
	{ "{\"kind\":\"action\",\"incident\":\"-1\"," AT "\"text\":\"x\"}",
	    "incident: expected an incident code: 1 to 64 of A-Z a-z 0-9 . _ -, "
	    "beginning with a letter or digit, got \"-1\"" },
	{ "{\"kind\":\"action\",\"incident\":\"a:b\"," AT "\"text\":\"x\"}",
	    "incident: expected an incident code: 1 to 64 of A-Z a-z 0-9 . _ -, "
	    "beginning with a letter or digit, got \"a:b\"" },
	{ "{\"kind\":\"action\",\"incident\":\".x\"," AT "\"text\":\"x\"}",
	    "incident: expected an incident code" },
	{ "{\"kind\":\"action\",\"incident\":\"_x\"," AT "\"text\":\"x\"}",
	    "incident: expected an incident code" },
	{ "{\"kind\":\"action\",\"incident\":\"a/b\"," AT "\"text\":\"x\"}",
	    "incident: expected an incident code" },
	{ "{\"kind\":\"action\",\"incident\":\"障害1\"," AT "\"text\":\"x\"}",
	    "incident: expected an incident code" },
	{ "{\"kind\":\"action\",\"incident\":\"a\\u0000b\"," AT
	    "\"text\":\"x\"}", "invalid JSON at column 38: \\u0000 is not allowed" },
	{ "{\"kind\":\"action\",\"incident\":\"x"
	    "1234567890123456789012345678901234567890123456789012345678901234\","
	    AT "\"text\":\"x\"}", "incident: expected an incident code" },
	{ "{\"kind\":\"incident\",\"op\":\"open\",\"title\":\"t\",\"code\":"
	    "\"--help\"}", "code: expected an incident code: 1 to 64 of A-Z a-z "
	    "0-9 . _ -, beginning with a letter or digit, got \"--help\"" },
	{ "{\"kind\":\"incident\",\"op\":\"open\",\"title\":\"t\",\"code\":"
	    "\"x:y\"}", "code: expected an incident code" },
	{ "{\"kind\":\"action\",\"incident\":7," AT "\"text\":\"x\"}",
	    "incident: expected a string" },
	{ "{\"kind\":\"action\"," INC AT "\"text\":\"x\",\"supersedes\":0}",
	    "supersedes: expected an event id" },
	{ "{\"kind\":\"action\"," INC AT "\"text\":\"x\",\"supersedes\":\"3\"}",
	    "supersedes: expected an integer, got \"3\"" },
	{ "{\"kind\":\"action\"," INC AT "\"text\":\"a\\u0000b\"}",
	    "is not allowed" },
	{ "{\"kind\":\"incident\"}", "op: required for kind incident" },
	{ "{\"kind\":\"incident\",\"op\":\"reopen\"}",
	    "op: expected one of open|update|close, got \"reopen\"" },
	{ "{\"kind\":\"incident\",\"op\":\"open\"}", "title: required for op open" },
	{ "{\"kind\":\"incident\",\"op\":\"open\",\"title\":\"t\"," INC "\"x\":1}",
	    "x: unknown field" },
	{ "{\"kind\":\"incident\",\"op\":\"open\",\"title\":\"t\"," INC "\"key\":\"a\"}",
	    "incident: not taken by op open" },
	{ "{\"kind\":\"incident\",\"op\":\"close\"}",
	    "incident: required for op update and close" },
	{ "{\"kind\":\"incident\",\"op\":\"close\"," INC "\"code\":\"x\"}",
	    "code: only taken by op open" },
	{ "{\"kind\":\"incident\",\"op\":\"open\",\"title\":\"t\",\"category\":6}",
	    "category: expected a category from 1 to 5, got 6" },
	{ "{\"kind\":\"impact\",\"op\":\"start\"," INC AT "\"name\":\"x\","
	    "\"label\":\"y\",\"category\":7}",
	    "category: expected a category from 1 to 6, got 7" },
	{ "{\"kind\":\"users\"," INC "\"count\":1,\"impact\":\"a b\"}",
	    "impact: expected 1 to 64 of A-Z a-z 0-9" },
	{ "{\"kind\":\"action\"," INC AT "\"text\":\"x\",\"impact\":\"a\"}",
	    "impact: unknown field for kind action" },
	{ "{\"kind\":\"incident\",\"op\":\"open\",\"title\":\"t\",\"category\":0}",
	    "category: expected a category from 1 to 5" },
	{ "{\"kind\":\"incident\",\"op\":\"open\",\"title\":\"t\",\"category\":\"5\"}",
	    "category: expected an integer" },
	{ "{\"kind\":\"incident\",\"op\":\"open\",\"title\":\"t\",\"supersedes\":1}",
	    "supersedes: unknown field for kind incident" },
	{ "{\"kind\":\"incident\",\"op\":\"open\",\"title\":\"t\",\"code\":\"\"}",
	    "code: expected an incident code" },
	{ "{\"kind\":\"impact\"," INC AT "\"name\":\"m\",\"label\":\"l\"}",
	    "op: required for kind impact" },
	{ "{\"kind\":\"impact\",\"op\":\"begin\"," INC AT "\"name\":\"m\"}",
	    "op: expected one of start|recover" },
	{ "{\"kind\":\"impact\",\"op\":\"start\"," INC AT "\"label\":\"l\"}",
	    "name: required for kind impact" },
	{ "{\"kind\":\"impact\",\"op\":\"start\"," INC AT "\"name\":\"m\"}",
	    "label: required for op start" },
	{ "{\"kind\":\"impact\",\"op\":\"start\"," INC "\"name\":\"m\",\"label\":\"l\"}",
	    "at: required for kind impact" },
	{ "{\"kind\":\"impact\",\"op\":\"recover\"," INC AT "\"name\":\"m\","
	    "\"label\":\"l\"}", "label: only taken by op start" },
	{ "{\"kind\":\"impact\",\"op\":\"start\"," INC AT "\"name\":\"m\","
	    "\"label\":\"l\",\"users\":-1}", "users: must not be negative" },
	{ "{\"kind\":\"impact\",\"op\":\"start\"," INC AT "\"name\":\"m\","
	    "\"label\":\"l\",\"users\":1.5}", "users: expected an integer, got 1.5" },
	{ "{\"kind\":\"users\"," INC "\"total\":5}", "count: required for kind users" },
	{ "{\"kind\":\"users\"," INC "\"count\":-3}", "count: must not be negative" },
	{ "{\"kind\":\"users\"," INC "\"count\":3,\"basis\":\"\"}",
	    "basis: must not be empty" },
	{ "{\"kind\":\"users\"," INC "\"count\":3,\"text\":\"x\"}",
	    "text: unknown field for kind users" },
	{ "{\"kind\":\"notice\"," INC "\"text\":\"x\"}",
	    "channel: required for kind notice" },
	{ "{\"kind\":\"notice\"," INC "\"channel\":\"tv\",\"text\":\"x\"}",
	    "channel: expected one of web|press|sns|other" },
	{ "{\"kind\":\"notice\"," INC "\"channel\":\"web\"}",
	    "text: required for kind notice" },
	{ "{\"kind\":\"inquiry\"," INC "\"channel\":\"web\",\"count\":1}",
	    "channel: expected one of phone|mail|other" },
	{ "{\"kind\":\"inquiry\"," INC "\"channel\":\"phone\"}",
	    "count: required for kind inquiry" },
	{ "{\"kind\":\"inquiry\"," INC "\"channel\":\"phone\",\"count\":\"587\"}",
	    "count: expected an integer" },
	{ "{\"kind\":\"note\"," INC "\"text\":\"x\"}",
	    "section: required for kind note" },
	{ "{\"kind\":\"note\"," INC "\"section\":\"summary\",\"text\":\"x\"}",
	    "section: unknown report section" },
	{ "{\"kind\":\"note\"," INC "\"section\":\"overview\",\"text\":\"x\","
	    "\"stage\":\"運用\"}", "stage: expected one of" },
	{ "{\"kind\":\"note\"," INC "\"section\":\"overview\",\"text\":\"x\","
	    "\"stage\":\"工事\"}", "stage: only taken by the cause sections" },
	{ "{\"kind\":\"note\"," INC "\"section\":\"overview\",\"text\":\"x\","
	    "\"due\":\"2026-12-01\"}", "due: only taken by the measure sections" },
	{ "{\"kind\":\"note\"," INC "\"section\":\"measure.interim\",\"text\":\"x\","
	    "\"done\":\"2026-13-01\"}", "done: expected a date YYYY-MM-DD" },
	{ "{\"kind\":\"note\"," INC "\"section\":\"measure.interim\",\"text\":\"x\","
	    "\"due\":\"12/01\"}", "due: expected a date" },
	{ "{\"kind\":\"alert\",\"name\":\"x\"}", "status: required for kind alert" },
	{ "{\"kind\":\"alert\",\"status\":\"pending\",\"name\":\"x\"}",
	    "status: expected one of firing|resolved" },
	{ "{\"kind\":\"alert\",\"status\":\"firing\"}",
	    "name: required for kind alert" },
	{ "{\"kind\":\"alert\",\"status\":\"firing\",\"name\":\"x\","
	    "\"labels\":[\"a\"]}", "labels: expected an object of strings" },
	{ "{\"kind\":\"alert\",\"status\":\"firing\",\"name\":\"x\","
	    "\"labels\":{\"a\":1}}", "labels.a: expected a string, got 1" },
	{ "{\"kind\":\"retract\"," INC "\"text\":\"x\"}",
	    "target: required for kind retract" },
	{ "{\"kind\":\"retract\"," INC "\"target\":5}",
	    "text: required for kind retract" },
	{ "{\"kind\":\"retract\"," INC "\"target\":-5,\"text\":\"x\"}",
	    "target: expected an event id" },
	{ "{\"kind\":\"retract\"," INC "\"target\":5,\"text\":\"x\","
	    "\"supersedes\":4}", "supersedes: unknown field for kind retract" },
	{ "{\"kind\":\"retract\",\"target\":5,\"text\":\"x\"}",
	    "incident: required for kind retract" },
	{ NULL, NULL }
};

/*
 * Decodes a line from a heap block of exactly its length, with no NUL
 * after it, as a socket's buffer hands it over: a read past the end is
 * caught by AddressSanitizer and valgrind (script/test runs both).
 */
static int
decode(const char *line, struct sochi_event *ev, char *err, size_t errlen)
{
	size_t n = strlen(line);
	char *copy = malloc(n ? n : 1);
	int rv;

	assert_non_null(copy);
	memcpy(copy, line, n);
	rv = event_decode(copy, n, &rules, ev, err, errlen);
	free(copy);
	return rv;
}

static void
test_good(void **state)
{
	struct sochi_event ev;
	char err[512];
	int i;

	for (i = 0; good[i] != NULL; i++) {
		err[0] = '\0';
		if (decode(good[i], &ev, err, sizeof(err)) != 0)
			fail_msg("refused %s: %s", good[i], err);
		event_clear(&ev);
	}
}

static void
test_bad(void **state)
{
	struct sochi_event ev;
	char err[512];
	int i;

	for (i = 0; bad[i].line != NULL; i++) {
		err[0] = '\0';
		if (decode(bad[i].line, &ev, err, sizeof(err)) != -1)
			fail_msg("accepted %s", bad[i].line);
		if (strstr(err, bad[i].want) == NULL)
			fail_msg("%s: said \"%s\", wanted \"%s\"", bad[i].line,
			    err, bad[i].want);
	}
}

/*
 * Found by fuzz_event: jansson quotes the bytes near a syntax error, cut in
 * the middle of a character (here "メ", e3 83 a1), and the answer carrying
 * that message was not valid JSON.  It must always be.
 */
static void
test_answer_is_json(void **state)
{
	static const char line[] = "{\"{idn\":\"idn\\\\\\\\\\\xe3\x83\xa1\xff\x0f"
	    "\xff\xff\xff)\xff\xff\xff\xff{\"kind{\":";
	struct sochi_event ev;
	struct sbuf b = SBUF_INIT;
	json_error_t e;
	json_t *j;
	char err[512];

	assert_int_equal(decode(line, &ev, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "invalid JSON at column"));
	assert_int_equal(sbuf_adds(&b, "{\"ok\":false,\"error\":"), 0);
	assert_int_equal(sbuf_add_json_string(&b, err, strlen(err)), 0);
	assert_int_equal(sbuf_adds(&b, ",\"line\":1}"), 0);
	if ((j = json_loads(b.data, 0, &e)) == NULL)
		fail_msg("the answer is not JSON (%s): %s", e.text, b.data);
	assert_non_null(strstr(json_string_value(json_object_get(j, "error")),
	    "invalid JSON"));
	json_decref(j);
	sbuf_free(&b);
}

static void
test_long_value_shortened(void **state)
{
	char line[2048], err[512];
	struct sochi_event ev;

	snprintf(line, sizeof(line), "{\"kind\":\"action\"," INC AT
	    "\"text\":\"x\",\"phase\":\"%0600d\"}", 7);
	assert_int_equal(event_decode(line, strlen(line), &rules, &ev, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "phase: unknown phase"));
	assert_true(strlen(err) < 300);
}

static void
test_fields(void **state)
{
	static const char line[] = "{\"kind\":\"action\"," INC
	    "\"at\":\"2026-11-25T03:40:00Z\",\"text\":\"再起動\",\"phase\":\"recover\","
	    "\"actor\":\"NOC\",\"key\":\"k\",\"supersedes\":9}";
	struct sochi_event ev;
	char err[256];

	assert_int_equal(event_decode(line, sizeof(line) - 1, &rules, &ev, err,
	    sizeof(err)), 0);
	assert_int_equal(ev.kind, KIND_ACTION);
	assert_string_equal(ev.incident, "2026-0001");
	assert_string_equal(ev.text, "再起動");
	assert_string_equal(ev.phase, "recover");
	assert_string_equal(ev.actor, "NOC");
	assert_string_equal(ev.key, "k");
	assert_int_equal(ev.supersedes, 9);
	assert_true(ev.has_at);
	assert_int_equal(ev.at.usec, 1795578000LL * 1000000);
	event_clear(&ev);
}

static void
test_row(void **state)
{
	static const char line[] = "{\"kind\":\"impact\",\"op\":\"start\"," INC
	    AT "\"name\":\"mail-send\",\"label\":\"送受信\\\"不可\\\"\","
	    "\"users\":58990}";
	static const char line2[] = "{\"kind\":\"users\"," INC "\"count\":3}";
	static const char line3[] = "{\"kind\":\"action\"," INC AT
	    "\"text\":\"x\",\"supersedes\":7,\"key\":\"k1\"}";
	struct sochi_event ev;
	struct event_row row;
	struct sbuf b = SBUF_INIT;
	char err[256];
	json_t *data;
	json_error_t jerr;

	assert_int_equal(event_decode(line, sizeof(line) - 1, &rules, &ev, err,
	    sizeof(err)), 0);
	assert_int_equal(event_row_make(&ev, "local:1000", "1000", "~auto:1",
	    0, &row, &b), 0);
	assert_int_equal(row.kind, KIND_IMPACT);
	assert_int_equal(row.at, 1795578000LL * 1000000);
	assert_string_equal(row.src, "local:1000");
	assert_string_equal(row.by, "1000");
	assert_string_equal(row.key, "~auto:1");
	assert_string_equal(row.incident, "2026-0001");
	assert_string_equal(event_row_text(&row, ROW_KEY), "~auto:1");
	data = json_loads(row.data, 0, &jerr);
	assert_non_null(data);
	assert_string_equal(json_string_value(json_object_get(data, "label")),
	    "送受信\"不可\"");
	assert_int_equal(json_integer_value(json_object_get(data, "users")),
	    58990);
	/* Columns are not repeated in data. */
	assert_null(json_object_get(data, "incident"));
	assert_null(json_object_get(data, "at"));
	json_decref(data);
	assert_true(event_row_plain(&row));
	event_clear(&ev);

	/* No time given: the daemon's now; no actor: null. */
	assert_int_equal(event_decode(line2, sizeof(line2) - 1, &rules, &ev,
	    err, sizeof(err)), 0);
	assert_int_equal(event_row_make(&ev, "am", NULL, "~a:2",
	    1764039600LL * 1000000, &row, &b), 0);
	assert_int_equal(row.at, 1764039600LL * 1000000);
	assert_null(row.actor);
	assert_null(row.by);
	assert_string_equal(row.data, "{\"count\":3}");
	event_clear(&ev);

	/* A correction needs steps of its own: not plain. */
	assert_int_equal(event_decode(line3, sizeof(line3) - 1, &rules, &ev,
	    err, sizeof(err)), 0);
	assert_int_equal(event_row_make(&ev, "am", NULL, "~a:3", 0, &row, &b),
	    0);
	assert_int_equal(row.sup, 7);
	assert_string_equal(row.key, "k1");
	assert_false(event_row_plain(&row));
	event_clear(&ev);
	sbuf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_answer_is_json),
		cmocka_unit_test(test_long_value_shortened),
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_row),
	};

	return cmocka_run_group_tests_name("event", tests, NULL, NULL);
}
