/* SPDX-License-Identifier: MIT */
/*
 * The webhook decoders on recorded payloads (Japanese text, nanosecond
 * times, offsets, truncatedAlerts, optional members missing) and malformed
 * ones; the correlation rules; the rows they make.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "correlate.h"
#include "rfc3339.h"
#include "webhook.h"

static int64_t
at(const char *s)
{
	struct sochi_time t;

	assert_int_equal(rfc3339_parse(s, &t), 0);
	return t.usec;
}

static json_t *
load(const char *text)
{
	json_error_t e;
	json_t *j = json_loads(text, 0, &e);

	if (j == NULL)
		fail_msg("test payload: %s", e.text);
	return j;
}

/* Alertmanager 0.25, as a receiver gets it, one firing and one resolved. */
static const char am[] =
"{\"receiver\":\"sochi\",\"status\":\"firing\",\"alerts\":["
"{\"status\":\"firing\",\"labels\":{\"alertname\":\"StorageDown\",\"instance\":\"storage-a\","
"\"severity\":\"critical\"},\"annotations\":{\"summary\":\"ストレージ機器Ａ 応答なし\"},"
"\"startsAt\":\"2026-11-16T03:03:00.123456789Z\",\"endsAt\":\"0001-01-01T00:00:00Z\","
"\"generatorURL\":\"http://prometheus/graph\",\"fingerprint\":\"c2a8f2b1e0\"},"
"{\"status\":\"resolved\",\"labels\":{\"alertname\":\"VMDown\",\"instance\":\"vm-1\"},"
"\"annotations\":{},\"startsAt\":\"2026-11-16T12:05:00+09:00\","
"\"endsAt\":\"2026-11-16T14:15:30.5+09:00\",\"generatorURL\":\"\",\"fingerprint\":\"77aa\"}],"
"\"groupLabels\":{\"service\":\"mail\"},\"commonLabels\":{},\"commonAnnotations\":{},"
"\"externalURL\":\"http://alertmanager:9093\",\"version\":\"4\","
"\"groupKey\":\"{}:{service=\\\"mail\\\"}\",\"truncatedAlerts\":3}";

static void
test_alertmanager(void **state)
{
	struct wh_batch b;
	char err[256];
	json_t *j = load(am);

	assert_int_equal(webhook_alertmanager(j, &b, err, sizeof(err)), 0);
	assert_int_equal(b.n, 2);
	assert_int_equal(b.truncated, 3);
	assert_string_equal(b.a[0].status, "firing");
	assert_string_equal(b.a[0].name, "StorageDown");
	/* The firing time is startsAt, to the microsecond. */
	assert_int_equal(b.a[0].at, at("2026-11-16T12:03:00.123456+09:00"));
	assert_string_equal(b.a[0].key,
	    "c2a8f2b1e0:firing:2026-11-16T03:03:00.123456789Z");
	assert_string_equal(b.a[0].group, "{}:{service=\"mail\"}");
	assert_string_equal(json_string_value(json_object_get(
	    b.a[0].annotations, "summary")), "ストレージ機器Ａ 応答なし");
	/* A resolved alert happened at endsAt, whatever its offset. */
	assert_string_equal(b.a[1].status, "resolved");
	assert_int_equal(b.a[1].at, at("2026-11-16T05:15:30.5Z"));
	assert_string_equal(b.a[1].key, "77aa:resolved:2026-11-16T12:05:00+09:00");
	wh_batch_free(&b);
	json_decref(j);
}

static void
test_optional_missing(void **state)
{
	struct wh_batch b;
	char err[256];
	json_t *j = load("{\"alerts\":[{\"status\":\"firing\",\"labels\":"
	    "{\"alertname\":\"X\"},\"startsAt\":\"2026-11-16T03:03:00Z\"}]}");

	/* No version, groupKey, annotations, endsAt or fingerprint. */
	assert_int_equal(webhook_alertmanager(j, &b, err, sizeof(err)), 0);
	assert_int_equal(b.n, 1);
	assert_int_equal(strlen(b.a[0].fingerprint), 16);
	assert_string_equal(b.a[0].group, b.a[0].fingerprint);
	assert_int_equal(json_object_size(b.a[0].annotations), 0);
	wh_batch_free(&b);
	json_decref(j);
}

static void
refused(const char *payload, const char *want)
{
	struct wh_batch b;
	char err[256] = "";
	json_t *j = load(payload);

	if (webhook_alertmanager(j, &b, err, sizeof(err)) != -1)
		fail_msg("accepted %s", payload);
	if (strstr(err, want) == NULL)
		fail_msg("%s: said \"%s\", wanted \"%s\"", payload, err, want);
	wh_batch_free(&b);
	json_decref(j);
}

static void
test_malformed(void **state)
{
	refused("[]", "payload: expected a JSON object");
	refused("{}", "alerts: expected an array");
	refused("{\"version\":\"3\",\"alerts\":[]}", "version: expected \"4\"");
	refused("{\"alerts\":[1]}", "alerts[0]: expected an object");
	refused("{\"alerts\":[{\"status\":\"pending\"}]}",
	    "alerts[0].status: expected firing or resolved");
	refused("{\"alerts\":[{\"status\":\"firing\",\"labels\":[]}]}",
	    "alerts[0].labels: expected an object");
	refused("{\"alerts\":[{\"status\":\"firing\",\"labels\":{\"a\":1}}]}",
	    "alerts[0].labels.a: expected a string");
	refused("{\"alerts\":[{\"status\":\"firing\",\"labels\":{}}]}",
	    "alerts[0].labels.alertname: required");
	refused("{\"alerts\":[{\"status\":\"firing\",\"labels\":{\"alertname\":"
	    "\"X\"},\"startsAt\":\"0001-01-01T00:00:00Z\"}]}",
	    "alerts[0].startsAt: not an RFC 3339 time");
	refused("{\"alerts\":[{\"status\":\"resolved\",\"labels\":{\"alertname\":"
	    "\"X\"},\"startsAt\":\"2026-11-16T03:03:00Z\",\"endsAt\":"
	    "\"0001-01-01T00:00:00Z\"}]}", "alerts[0].endsAt: a resolved alert");
	/* The label incident is an incident code, as the NDJSON field is. */
	refused("{\"alerts\":[{\"status\":\"firing\",\"labels\":{\"alertname\":"
	    "\"X\",\"incident\":\"-rf\"},\"startsAt\":\"2026-11-16T03:03:00Z\"}]}",
	    "alerts[0].labels.incident: expected an incident code: 1 to 64 of "
	    "A-Z a-z 0-9 . _ -, beginning with a letter or digit, got \"-rf\"");
	refused("{\"alerts\":[{\"status\":\"firing\",\"labels\":{\"alertname\":"
	    "\"X\"},\"startsAt\":\"2026-11-16T03:03:00Z\"},{\"status\":\"firing\","
	    "\"labels\":{\"alertname\":\"X\",\"incident\":\"a:b\"},\"startsAt\":"
	    "\"2026-11-16T03:03:00Z\"}]}", "alerts[1].labels.incident: expected "
	    "an incident code");
	/* Cut on a character's boundary: 22 characters of 3 bytes, 21 shown. */
	refused("{\"alerts\":[{\"status\":\"firing\",\"labels\":{\"alertname\":"
	    "\"X\",\"incident\":\"あいうえおかきくけこさしすせそたちつてとなに\"},"
	    "\"startsAt\":\"2026-11-16T03:03:00Z\"}]}",
	    "got \"あいうえおかきくけこさしすせそたちつてとな\"");
}

static void
test_grafana(void **state)
{
	struct wh_batch b;
	char err[256];
	json_t *j = load("{\"receiver\":\"sochi\",\"status\":\"firing\",\"orgId\":1,"
	    "\"alerts\":[{\"status\":\"firing\",\"labels\":{\"alertname\":"
	    "\"高負荷\",\"grafana_folder\":\"メール\"},\"annotations\":{},"
	    "\"startsAt\":\"2026-11-16T12:03:00+09:00\",\"endsAt\":"
	    "\"0001-01-01T00:00:00Z\",\"generatorURL\":\"\",\"fingerprint\":"
	    "\"9f1\",\"silenceURL\":\"\",\"dashboardURL\":\"\",\"panelURL\":\"\","
	    "\"values\":{\"B\":97.5},\"valueString\":\"B=97.5\"}],\"groupLabels\":{},"
	    "\"commonLabels\":{},\"commonAnnotations\":{},\"externalURL\":\"\","
	    "\"version\":\"1\",\"groupKey\":\"{}:{}\",\"truncatedAlerts\":0,"
	    "\"title\":\"[FIRING:1]\",\"state\":\"alerting\",\"message\":\"x\"}");

	assert_int_equal(webhook_grafana(j, &b, err, sizeof(err)), 0);
	assert_int_equal(b.n, 1);
	assert_string_equal(b.a[0].name, "高負荷");
	assert_int_equal(b.a[0].at, at("2026-11-16T03:03:00Z"));
	wh_batch_free(&b);
	json_decref(j);
}

static void
test_zabbix(void **state)
{
	struct zone jst, utc;
	struct wh_batch b;
	char err[256];
	json_t *j = load("{\"event_id\":\"88\",\"event_value\":\"1\","
	    "\"event_nseverity\":\"4\",\"event_date\":\"2026.11.16\","
	    "\"event_time\":\"12:03:00\",\"recovery_date\":\"{EVENT.RECOVERY.DATE}\","
	    "\"recovery_time\":\"{EVENT.RECOVERY.TIME}\","
	    "\"event_tags\":\"{EVENT.TAGSJSON}\",\"host_name\":\"storage-a\","
	    "\"trigger_name\":\"応答なし\",\"user_fullname\":\"{USER.FULLNAME}\"}");

	zone_fixed(&jst, 9 * 3600, "Asia/Tokyo");
	zone_fixed(&utc, 0, "UTC");
	assert_int_equal(webhook_zabbix(j, &jst, &b, err, sizeof(err)), 0);
	assert_int_equal(b.a[0].at, at("2026-11-16T12:03:00+09:00"));
	assert_string_equal(b.a[0].status, "firing");
	assert_string_equal(b.a[0].key, "zabbix:88:firing");
	assert_string_equal(b.a[0].group, "zabbix:storage-a:応答なし");
	/* Unresolved macros count as empty: no tags, no user. */
	assert_int_equal(json_object_size(b.a[0].labels), 3);
	assert_int_equal(json_object_size(b.a[0].annotations), 0);
	wh_batch_free(&b);
	/* The same macros read in UTC are nine hours later. */
	assert_int_equal(webhook_zabbix(j, &utc, &b, err, sizeof(err)), 0);
	assert_int_equal(b.a[0].at, at("2026-11-16T12:03:00Z"));
	wh_batch_free(&b);
	/* A recovery needs its own date; tags become labels. */
	json_object_set_new(j, "event_value", json_string("0"));
	assert_int_equal(webhook_zabbix(j, &jst, &b, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "recovery_date, recovery_time"));
	wh_batch_free(&b);
	json_object_set_new(j, "recovery_date", json_string("2026.11.16"));
	json_object_set_new(j, "recovery_time", json_string("14:15:00"));
	json_object_set_new(j, "event_tags", json_string(
	    "[{\"tag\":\"service\",\"value\":\"mail\"}]"));
	assert_int_equal(webhook_zabbix(j, &jst, &b, err, sizeof(err)), 0);
	assert_int_equal(b.a[0].at, at("2026-11-16T14:15:00+09:00"));
	assert_string_equal(json_string_value(json_object_get(b.a[0].labels,
	    "service")), "mail");
	wh_batch_free(&b);
	json_object_set_new(j, "event_tags", json_string(
	    "[{\"tag\":\"incident\",\"value\":\"--x\"}]"));
	assert_int_equal(webhook_zabbix(j, &jst, &b, err, sizeof(err)), -1);
	assert_string_equal(err, "event_tags: tag incident: expected an incident "
	    "code: 1 to 64 of A-Z a-z 0-9 . _ -, beginning with a letter or "
	    "digit, got \"--x\"");
	wh_batch_free(&b);
	json_object_set_new(j, "event_tags", json_string(
	    "[{\"tag\":\"incident\",\"value\":\"2026-0001\"}]"));
	assert_int_equal(webhook_zabbix(j, &jst, &b, err, sizeof(err)), 0);
	wh_batch_free(&b);
	json_object_set_new(j, "event_tags", json_string("[broken"));
	assert_int_equal(webhook_zabbix(j, &jst, &b, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "event_tags"));
	wh_batch_free(&b);
	json_object_del(j, "event_id");
	assert_int_equal(webhook_zabbix(j, &jst, &b, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "event_id: required"));
	wh_batch_free(&b);
	json_decref(j);
}

static void
test_rules_and_rows(void **state)
{
	static const char text[] =
	    "[rule.storage]\n"
	    "match = alertname=~Storage.*, severity=critical\n"
	    "impact = mail-send 電子メールの送受信ができない\n"
	    "category = 5\n"
	    "open = yes\n"
	    "[rule.any]\n"
	    "match = service=mail\n"
	    "actor = 運用部門\n";
	struct sochi_config cf;
	struct correlator *co;
	char err[256];
	json_t *l = json_pack("{s:s,s:s}", "alertname", "StorageDown",
	    "severity", "critical"), *row;
	struct wh_batch b;
	struct wh_row wr;
	json_t *j = load(am);
	json_error_t jerr;

	config_init(&cf);
	assert_int_equal(config_parse(&cf, text, "t.conf", NULL, err,
	    sizeof(err)), 0);
	assert_non_null((co = correlate_new(&cf, err, sizeof(err))));
	assert_string_equal(correlate_match(co, l)->name, "storage");
	/* The expression must match the whole value. */
	json_object_set_new(l, "alertname", json_string("XStorageDown"));
	assert_null(correlate_match(co, l));
	json_object_set_new(l, "service", json_string("mail"));
	assert_string_equal(correlate_match(co, l)->name, "any");
	json_object_del(l, "severity");
	json_object_set_new(l, "alertname", json_string("StorageDown"));
	assert_string_equal(correlate_match(co, l)->name, "any");

	assert_int_equal(webhook_alertmanager(j, &b, err, sizeof(err)), 0);
	assert_int_equal(webhook_row(&b.a[0], &cf.rules[0], "am", "監視業務部門",
	    &wr), 0);
	assert_int_equal(wr.row.kind, KIND_ALERT);
	assert_string_equal(wr.row.grp, "am:{}:{service=\"mail\"}");
	assert_null(wr.row.incident);
	assert_string_equal(wr.row.actor, "監視業務部門");
	assert_false(event_row_plain(&wr.row));
	row = json_loads(wr.row.open, 0, &jerr);
	assert_int_equal(json_integer_value(json_object_get(row, "category")), 5);
	json_decref(row);
	row = json_loads(wr.row.imp, 0, &jerr);
	assert_string_equal(json_string_value(json_object_get(row, "op")),
	    "start");
	json_decref(row);
	row = json_loads(wr.row.data, 0, &jerr);
	assert_string_equal(json_string_value(json_object_get(row, "status")),
	    "firing");
	json_decref(row);
	wh_row_free(&wr);
	/* A resolved alert recovers the impact and opens nothing. */
	assert_int_equal(webhook_row(&b.a[1], &cf.rules[0], "am", "監視業務部門",
	    &wr), 0);
	assert_null(wr.row.open);
	row = json_loads(wr.row.imp, 0, &jerr);
	assert_string_equal(json_string_value(json_object_get(row, "op")),
	    "recover");
	json_decref(row);
	wh_row_free(&wr);
	/* A label "incident" names the incident; no rule: no impact. */
	json_object_set_new(b.a[1].labels, "incident", json_string("2026-0007"));
	assert_int_equal(webhook_row(&b.a[1], NULL, "am", "監視業務部門", &wr), 0);
	assert_string_equal(wr.row.incident, "2026-0007");
	assert_null(wr.row.grp);
	assert_null(wr.row.imp);
	assert_true(event_row_plain(&wr.row));
	wh_row_free(&wr);
	wh_batch_free(&b);
	json_decref(j);
	json_decref(l);
	correlate_free(co);
	config_free(&cf);
}

/* Expressions that stay within the bounds compile and match. */
static void
test_rule_expressions(void **state)
{
	static const struct { const char *match, *value; int hit; } c[] = {
		{ "a=~(a+)?", "aaa", 1 },
		{ "a=~(ab){2}", "abab", 1 },
		{ "a=~(ab){2}", "ab", 0 },
		{ "a=~x{3}", "xxx", 1 },
		{ "a=~[]a]+", "]a]", 1 },
		{ "a=~[[:alpha:]]+[0-9]*", "storage12", 1 },
		{ "a=~[^)]+", "a(b", 1 },
		{ "a=~ストレージ.*|Storage.*", "ストレージ機器", 1 },
		{ "a=~\\(x\\)", "(x)", 1 },
		{ "a=~(((((((((((a+)+)+)+)+)+)+)+)+)+)+)", "aa", 1 },
		{ "a=~(a{64}){64}", "a", 0 },
		{ NULL, NULL, 0 }
	};
	struct sochi_config cf;
	struct correlator *co;
	json_t *labels;
	char text[256], err[256];
	int i;

	for (i = 0; c[i].match != NULL; i++) {
		snprintf(text, sizeof(text), "[rule.x]\nmatch = %s\n", c[i].match);
		config_init(&cf);
		if (config_parse(&cf, text, "t.conf", NULL, err, sizeof(err)) == -1)
			fail_msg("refused %s: %s", c[i].match, err);
		co = correlate_new(&cf, err, sizeof(err));
		assert_non_null(co);
		labels = json_pack("{s:s}", "a", c[i].value);
		if ((correlate_match(co, labels) != NULL) != c[i].hit)
			fail_msg("%s on \"%s\": wanted %s", c[i].match, c[i].value,
			    c[i].hit ? "a match" : "none");
		json_decref(labels);
		correlate_free(co);
		config_free(&cf);
	}
}

static void
test_rule_errors(void **state)
{
	static const struct { const char *text, *want; } c[] = {
		{ "[rule.x]\nmatch = alertname\n", "t.conf:2: [rule.x] match: "
		    "\"alertname\" is not label=value" },
		{ "[rule.x]\nmatch = a=~(\n", "t.conf:2: [rule.x] match: a=~(" },
		{ "[rule.x]\nmatch = a=b\nopen = maybe\n", "t.conf:3: [rule.x] open" },
		{ "[rule.x]\nmatch = a=b\ncategory = 7\n", "t.conf:3: [rule.x] category" },
		{ "[rule.x]\nmatch = a=b\nimpact = onlyname\n", "t.conf:3: [rule.x] "
		    "impact: expected \"NAME LABEL\"" },
		{ "[rule.x]\nmatch = a=b\ncolour = red\n", "t.conf:3: [rule.x] colour: "
		    "unknown key" },
		{ "[rule.x]\nopen = yes\n", "t.conf: [rule.x] match: required" },
		/*
		 * Found by fuzz_config: stacked repetitions made glibc's
		 * regcomp copy the expression 2^22 times (out of memory).
		 */
		{ "[rule.x]\nmatch = a=~x++++++++++++++++++++++\n", "t.conf:2: "
		    "[rule.x] match: a=~x++++++++++++++++++++++: a repetition of "
		    "a repetition (\"+\" after another); group the first, as in "
		    "(a+)?" },
		{ "[rule.x]\nmatch = a=~.*?\n", "match: a=~.*?: a repetition of "
		    "a repetition (\"?\" after another)" },
		{ "[rule.x]\nmatch = a=~x{2}{3}\n", "a repetition of a repetition "
		    "(\"{3}\" after another)" },
		{ "[rule.x]\nmatch = a=~(((((((((((((a+)+)+)+)+)+)+)+)+)+)+)+)+)+\n",
		    "too large once its repetitions are expanded (more than 4096 "
		    "elements)" },
		{ "[rule.x]\nmatch = a=~(ab{100}){100}\n", "too large" },
		{ "[rule.x]\nmatch = a=~x{5000}\n", "too large" },
		{ "[rule.x]\nmatch = a=~(a*)*\\1\n", "match: a=~(a*)*\\1: a "
		    "back-reference (\\1): matching could take very long" },
		{ "[rule.x]\nmatch = a=~((((((((((((((((((((((((((((((((("
		    "a)))))))))))))))))))))))))))))))))\n",
		    "groups nested deeper than 32" },
		{ NULL, NULL }
	};
	struct sochi_config cf;
	char err[256];
	int i;

	for (i = 0; c[i].text != NULL; i++) {
		config_init(&cf);
		err[0] = '\0';
		if (config_parse(&cf, c[i].text, "t.conf", NULL, err,
		    sizeof(err)) != -1)
			fail_msg("accepted %s", c[i].text);
		if (strstr(err, c[i].want) == NULL)
			fail_msg("said \"%s\", wanted \"%s\"", err, c[i].want);
		config_free(&cf);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alertmanager),
		cmocka_unit_test(test_optional_missing),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_grafana),
		cmocka_unit_test(test_zabbix),
		cmocka_unit_test(test_rules_and_rows),
		cmocka_unit_test(test_rule_expressions),
		cmocka_unit_test(test_rule_errors),
	};

	return cmocka_run_group_tests_name("webhook", tests, NULL, NULL);
}
