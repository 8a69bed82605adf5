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
	    "[tokens]\n"
	    "alertmanager = s3cret\n"
	    "grafana = other\n"
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
		{ "[tokens]\nam = a\nam = b\n", "t.conf:3: [tokens] am: given twice" },
		{ "[tokens]\nam =\n", "t.conf:2: [tokens] am: empty value" },
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
		cmocka_unit_test(test_split_listen),
	};

	return cmocka_run_group_tests_name("config", tests, NULL, NULL);
}
