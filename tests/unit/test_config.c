/* SPDX-License-Identifier: MIT */
/* The config table: defaults, every key, and errors naming file, line and key. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "config.h"

static int
zone_ok(const char *z)
{
	return strcmp(z, "Nowhere/Atlantis") != 0;
}

static void
test_defaults(void **state)
{
	struct sochi_config cf;
	struct sbuf b = SBUF_INIT;

	config_init(&cf);
	assert_string_equal(cf.database, "");
	assert_string_equal(cf.listen_tcp, "127.0.0.1");
	assert_string_equal(cf.listen_http, "127.0.0.1");
	assert_string_equal(cf.timezone, "Asia/Tokyo");
	assert_int_equal(cf.max_line_bytes, 65536);
	assert_int_equal(cf.socket_mode, 0660);
	assert_int_equal(cf.log_level, LOG_LEVEL_INFO);
	assert_int_equal(cf.phases.n, 6);
	assert_string_equal(cf.phase_ids[0], "work");
	assert_string_equal(config_map_get(&cf.phases, "detect"), "障害検知");
	assert_null(cf.phase_ids[6]);
	assert_int_equal(config_print(&cf, &b), 0);
	assert_non_null(strstr(b.data, "sochid.timezone = Asia/Tokyo\n"));
	assert_non_null(strstr(b.data, "sochid.max_line_bytes = 65536\n"));
	assert_non_null(strstr(b.data, "phases.identify = 障害箇所の特定\n"));
	/* The threshold table is the one in force unless a what-if is asked. */
	assert_non_null(strstr(b.data, "report.table = in-force\n"));
	sbuf_free(&b);
	config_free(&cf);
	config_init(&cf);
	assert_int_equal(config_parse(&cf, "[report]\ntable = proposed-2025\n",
	    "t.conf", zone_ok, NULL, 0), 0);
	assert_string_equal(cf.report.table, "proposed-2025");
	config_free(&cf);
}

static void
test_full_file(void **state)
{
	static const char text[] =
	    "; sochid.conf\n"
	    "[sochid]\n"
	    "database = host=/tmp dbname=sochi\n"
	    "socket = /run/sochi/s.sock\n"
	    "socket_mode = 0600\n"
	    "socket_group = sochi\n"
	    "listen_tcp = 127.0.0.1:9000\n"
	    "listen_http =\n"
	    "state_dir = /var/lib/x\n"
	    "timezone = UTC\n"
	    "max_line_bytes = 1024\n"
	    "max_pending = 10\n"
	    "write_timeout = 5\n"
	    "log_level = debug\n"
	    "tokens_file = /etc/sochi/tokens\n"
	    "[phases]\n"
	    "detect = 障害検知\n"
	    "recover = 復旧対処\n"
	    "[actors]\n"
	    "tanaka = ネットワークオペレーション部門\n";
	struct sochi_config cf;
	struct sbuf b = SBUF_INIT;
	char err[512];

	config_init(&cf);
	assert_int_equal(config_parse(&cf, text, "t.conf", zone_ok, err,
	    sizeof(err)), 0);
	assert_string_equal(cf.database, "host=/tmp dbname=sochi");
	assert_int_equal(cf.socket_mode, 0600);
	assert_string_equal(cf.listen_http, "");
	assert_int_equal(cf.max_line_bytes, 1024);
	assert_int_equal(cf.log_level, LOG_LEVEL_DEBUG);
	assert_string_equal(cf.tokens_file, "/etc/sochi/tokens");
	assert_int_equal(cf.tokens.n, 0);
	/* The secrets come from their own file, read apart. */
	assert_int_equal(config_tokens_parse(&cf, "# senders\n"
	    "alertmanager = s3cret\n\ngrafana = other\n", "tokens", err,
	    sizeof(err)), 0);
	assert_int_equal(cf.tokens.n, 2);
	assert_string_equal(config_token_name(&cf, "s3cret", 6), "alertmanager");
	assert_string_equal(config_token_name(&cf, "other", 5), "grafana");
	assert_null(config_token_name(&cf, "s3cre", 5));
	assert_null(config_token_name(&cf, "s3cret!", 7));
	assert_null(config_token_name(&cf, "", 0));
	/* [phases] replaces the defaults, in file order. */
	assert_int_equal(cf.phases.n, 2);
	assert_string_equal(cf.phase_ids[0], "detect");
	assert_null(cf.phase_ids[2]);
	assert_string_equal(config_map_get(&cf.actors, "tanaka"),
	    "ネットワークオペレーション部門");
	assert_int_equal(config_print(&cf, &b), 0);
	assert_null(strstr(b.data, "s3cret"));
	assert_non_null(strstr(b.data, "tokens.alertmanager = ********\n"));
	assert_non_null(strstr(b.data, "sochid.socket_mode = 0600\n"));
	sbuf_free(&b);
	config_free(&cf);
}

static void
test_errors(void **state)
{
	static const struct {
		const char	*text;
		const char	*want;
	} cases[] = {
		{ "[sochid]\nbogus = 1\n", "t.conf:2: [sochid] bogus: unknown key" },
		{ "[sochid]\n\n;c\nmax_line_bytes = 12x\n",
		    "t.conf:4: max_line_bytes: expected an integer from 256" },
		{ "[sochid]\nmax_line_bytes = 10\n", "t.conf:2: max_line_bytes" },
		{ "[sochid]\nsocket_mode = 0999\n", "t.conf:2: socket_mode: "
		    "expected an octal mode" },
		{ "[sochid]\nsocket = relative.sock\n", "t.conf:2: socket: "
		    "expected an absolute path" },
		{ "[sochid]\nlisten_tcp = 127.0.0.1:70000\n", "t.conf:2: "
		    "listen_tcp: expected host" },
		{ "[sochid]\nlisten_http = ::1\n", "t.conf:2: listen_http" },
		{ "[sochid]\nlog_level = loud\n", "t.conf:2: log_level: expected "
		    "error, warn, info or debug" },
		{ "[sochid]\ntimezone = ../etc/passwd\n", "t.conf:2: timezone: "
		    "not a zone name" },
		{ "[sochid]\ntimezone = Nowhere/Atlantis\n", "t.conf:2: timezone: "
		    "no such zone" },
		{ "[sochid]\nstate_dir = /a\nstate_dir = /b\n", "t.conf:3: "
		    "state_dir: given twice" },
		{ "database = x\n", "t.conf:1: database: outside any section" },
		{ "[sochd]\ndatabase = x\n", "t.conf:2: [sochd] database: unknown key" },
		{ "[tokens]\nam = a\n", "t.conf:2: [tokens] am: tokens no longer "
		    "belong in this file, which holds no secret: move each" },
		{ "[actors]\nam = a\nam = b\n", "t.conf:3: [actors] am: given twice" },
		{ "[actors]\nam =\n", "t.conf:2: [actors] am: empty value" },
		{ "[sochid]\ntokens_file = tokens\n", "t.conf:2: tokens_file: "
		    "expected an absolute path" },
		{ "[sochid]\nthis is not a key line\n", "t.conf:2: not a [section]" },
		{ "[report]\ntable = 2030\n", "t.conf:2: table: expected in-force, "
		    "1985, 2015, 2019 or proposed-2025, got \"2030\"" },
		{ NULL, NULL }
	};
	struct sochi_config cf;
	char err[512];
	int i;

	for (i = 0; cases[i].text != NULL; i++) {
		config_init(&cf);
		err[0] = '\0';
		if (config_parse(&cf, cases[i].text, "t.conf", zone_ok, err,
		    sizeof(err)) != -1)
			fail_msg("accepted: %s", cases[i].text);
		if (strstr(err, cases[i].want) == NULL)
			fail_msg("said \"%s\", wanted \"%s\"", err, cases[i].want);
		config_free(&cf);
	}
}

static void
test_tokens_file(void **state)
{
	static const struct {
		const char	*text;
		const char	*want;
	} cases[] = {
		{ "a = 1\na = 2\n", "tokens:2: a: given twice" },
		{ "a =\n", "tokens:1: a: empty secret" },
		{ "[x]\na = 1\n", "tokens:2: [x]: a tokens file has no sections" },
		{ "a/b = 1\n", "tokens:1: a/b: a token's name is 1 to 64" },
		{ "local = 1\n", "tokens:1: local: a name sochid gives" },
		{ "just a secret\n", "tokens:1: not a \"name = secret\"" },
		{ NULL, NULL }
	};
	struct sochi_config cf;
	char err[512];
	int i;

	config_init(&cf);
	for (i = 0; cases[i].text != NULL; i++) {
		err[0] = '\0';
		if (config_tokens_parse(&cf, cases[i].text, "tokens", err,
		    sizeof(err)) != -1)
			fail_msg("accepted: %s", cases[i].text);
		if (strstr(err, cases[i].want) == NULL)
			fail_msg("said \"%s\", wanted \"%s\"", err, cases[i].want);
	}
	/* A refused file leaves the tokens as they were. */
	assert_int_equal(config_tokens_parse(&cf, "ci = x\n", "tokens", err,
	    sizeof(err)), 0);
	assert_int_equal(config_tokens_parse(&cf, "ci = y\nci = z\n", "tokens",
	    err, sizeof(err)), -1);
	assert_string_equal(config_token_name(&cf, "x", 1), "ci");
	config_free(&cf);
}

/* The CLI reads the user's file over sochid.conf: key by key, maps whole. */
static void
test_overlay(void **state)
{
	struct sochi_config cf;
	char err[512];

	config_init(&cf);
	assert_int_equal(config_parse(&cf, "[sochid]\nsocket = /run/a.sock\n"
	    "timezone = UTC\n[actors]\nsato = A\ntanaka = B\n", "sys", zone_ok,
	    err, sizeof(err)), 0);
	assert_int_equal(config_parse(&cf, "[sochid]\ntimezone = Asia/Tokyo\n"
	    "[actors]\ntanaka = C\n", "user", zone_ok, err, sizeof(err)), 0);
	assert_string_equal(cf.socket, "/run/a.sock");
	assert_string_equal(cf.timezone, "Asia/Tokyo");
	assert_int_equal(cf.actors.n, 1);
	assert_string_equal(config_map_get(&cf.actors, "tanaka"), "C");
	config_free(&cf);
}

struct noted {
	char		 text[1024];	/* "what=R," for each key noted */
};

static void
note(const char *what, int reloadable, void *arg)
{
	struct noted *n = arg;

	snprintf(n->text + strlen(n->text), sizeof(n->text) - strlen(n->text),
	    "%s=%d,", what, reloadable);
}

/* What SIGHUP applies is what the table's reloadable column says. */
static void
test_reload(void **state)
{
	struct sochi_config cur, neu;
	struct noted n = { "" };
	char err[512];

	config_init(&cur);
	config_init(&neu);
	assert_int_equal(config_parse(&cur, "[sochid]\nlisten_tcp = 127.0.0.1\n"
	    "batch_max = 10\n[report]\ncompany = A社\n[rule.x]\nmatch = a=b\n",
	    "t.conf", zone_ok, err, sizeof(err)), 0);
	assert_int_equal(config_tokens_parse(&cur, "ci = 1\nold = 2\n", "tk",
	    err, sizeof(err)), 0);
	assert_int_equal(config_parse(&neu, "[sochid]\nlisten_tcp = 127.0.0.1:9\n"
	    "batch_max = 20\n[report]\ncompany = B社\n[rule.x]\nmatch = a=c\n"
	    "[phases]\ndetect = 検知\n", "t.conf", zone_ok, err, sizeof(err)), 0);
	assert_int_equal(config_tokens_parse(&neu, "ci = 9\nnew = 3\n", "tk",
	    err, sizeof(err)), 0);
	config_diff(&cur, &neu, note, &n);
	assert_string_equal(n.text, "listen_tcp=0,batch_max=1,[report] company=1,"
	    "[tokens] ci=1,[tokens] old=1,[tokens] new=1,[phases] work=1,"
	    "[phases] detect=1,[phases] identify=1,[phases] recover=1,"
	    "[phases] notify=1,[phases] followup=1,[rule.x]=1,");
	config_reload(&cur, &neu);
	/* Applied: */
	assert_int_equal(cur.batch_max, 20);
	assert_string_equal(cur.report.company, "B社");
	assert_string_equal(config_token_name(&cur, "9", 1), "ci");
	assert_null(config_token_name(&cur, "2", 1));
	assert_string_equal(cur.phase_ids[0], "detect");
	assert_null(cur.phase_ids[1]);
	assert_string_equal(cur.rules[0].match, "a=c");
	/* ... and not: a listener is bound once. */
	assert_string_equal(cur.listen_tcp, "127.0.0.1");
	config_free(&neu);
	/* Nothing differs from itself. */
	n.text[0] = '\0';
	config_diff(&cur, &cur, note, &n);
	assert_string_equal(n.text, "");
	config_free(&cur);
}

static void
test_split_listen(void **state)
{
	char host[64];
	int port;

	assert_int_equal(config_split_listen("127.0.0.1", host, sizeof(host),
	    &port, 7419), 0);
	assert_string_equal(host, "127.0.0.1");
	assert_int_equal(port, 7419);
	assert_int_equal(config_split_listen("localhost:80", host, sizeof(host),
	    &port, 1), 0);
	assert_string_equal(host, "localhost");
	assert_int_equal(port, 80);
	assert_int_equal(config_split_listen("[::1]:8080", host, sizeof(host),
	    &port, 1), 0);
	assert_string_equal(host, "::1");
	assert_int_equal(port, 8080);
	assert_int_equal(config_split_listen("[::1]", host, sizeof(host), &port,
	    5), 0);
	assert_int_equal(port, 5);
	assert_int_equal(config_split_listen(":80", host, sizeof(host), &port,
	    1), -1);
	assert_int_equal(config_split_listen("h:", host, sizeof(host), &port,
	    1), -1);
	assert_int_equal(config_split_listen("h:0", host, sizeof(host), &port,
	    1), -1);
	assert_int_equal(config_split_listen("[::1", host, sizeof(host), &port,
	    1), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_full_file),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_tokens_file),
		cmocka_unit_test(test_overlay),
		cmocka_unit_test(test_reload),
		cmocka_unit_test(test_split_listen),
	};

	return cmocka_run_group_tests_name("config", tests, NULL, NULL);
}
