/* SPDX-License-Identifier: MIT */
/*
 * The [syslog] section and [syslog.NAME] rules: parsing and every refusal,
 * the shipped rules (conf/syslog-rules.conf) on real-looking Cisco, Junos,
 * sudo and Ansible lines, the rows they make, and the senders' address
 * lists.
 */
#include <arpa/inet.h>
#include <netinet/in.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "config.h"
#include "rfc3339.h"
#include "sha256.h"
#include "syslog_rule.h"

static struct zone tokyo;

static char *
slurp(const char *rel)
{
	const char *top = getenv("top_srcdir");
	char path[1024], *buf;
	FILE *f;
	long n;

	snprintf(path, sizeof(path), "%s/%s", top ? top : ".", rel);
	if ((f = fopen(path, "rb")) == NULL)
		fail_msg("cannot read %s (set top_srcdir)", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static int64_t
at(const char *s)
{
	struct sochi_time t;

	assert_int_equal(rfc3339_parse(s, &t), 0);
	return t.usec;
}

static int
zone_ok(const char *z)
{
	return strcmp(z, "Nowhere/Atlantis") != 0;
}

static void
bad_conf(const char *text, const char *want)
{
	struct sochi_config cf;
	char err[512];

	config_init(&cf);
	assert_int_equal(config_parse(&cf, text, "t.conf", zone_ok, err,
	    sizeof(err)), -1);
	if (strstr(err, want) == NULL)
		fail_msg("wanted \"%s\" in \"%s\"", want, err);
	config_free(&cf);
}

static void
test_config(void **state)
{
	struct sochi_config cf;
	struct sbuf b = SBUF_INIT;
	char err[512];

	config_init(&cf);
	assert_string_equal(cf.listen_syslog_udp, "");
	assert_string_equal(cf.listen_syslog_tcp, "");
	assert_int_equal(cf.syslog.allow_list.n, 2);
	assert_int_equal(cf.syslog.max_message_bytes, 8192);
	assert_int_equal(cf.report.related_years, 5);
	assert_int_equal(config_parse(&cf,
	    "[sochid]\nlisten_syslog_tcp = 127.0.0.1:5514\n"
	    "listen_syslog_udp = [::1]\n"
	    "[syslog]\nallow = 127.0.0.1, 10.0.0.0/8, 2001:db8::/32\n"
	    "timezone = UTC\nsender_timezones = 10.9.0.0/16 Europe/Paris\n"
	    "[syslog.x]\nfacility = local7, local6\nseverity = notice\n"
	    "host = rtr\\d+\nmessage = User:(?<user>\\S+)\n"
	    "[report]\nrelated_years = 3\n", "t.conf", zone_ok, err,
	    sizeof(err)), 0);
	assert_string_equal(cf.listen_syslog_tcp, "127.0.0.1:5514");
	assert_int_equal(cf.syslog.allow_list.n, 3);
	assert_int_equal(cf.nsyslog_rules, 1);
	assert_int_equal(cf.syslog_rules[0].facilities, (1u << 23) | (1u << 22));
	assert_int_equal(cf.syslog_rules[0].severities, 1u << 5);
	assert_int_equal(cf.report.related_years, 3);
	assert_int_equal(config_print(&cf, &b), 0);
	assert_non_null(strstr(b.data, "sochid.listen_syslog_tcp = "
	    "127.0.0.1:5514\n"));
	assert_non_null(strstr(b.data, "syslog.allow (parsed) = 127.0.0.1, "
	    "10.0.0.0/8, 2001:db8::/32\n"));
	assert_non_null(strstr(b.data, "syslog.x.facility = local6, local7\n"));
	assert_non_null(strstr(b.data, "syslog.x.incident = host\n"));
	sbuf_free(&b);
	config_free(&cf);

	/* The shipped rules parse, over the defaults. */
	{
		char *text = slurp("conf/syslog-rules.conf");

		config_init(&cf);
		if (config_parse(&cf, text, "syslog-rules.conf", zone_ok, err,
		    sizeof(err)) != 0)
			fail_msg("shipped rules: %s", err);
		assert_true(cf.nsyslog_rules >= 8);
		config_free(&cf);
		free(text);
	}
}

static void
test_config_errors(void **state)
{
	/* sochid -n refuses every expression that would not work. */
	bad_conf("[syslog.a]\nmessage = User:(?<user>\\S+\n",
	    "[syslog.a] message: missing closing parenthesis");
	bad_conf("[syslog.a]\nhost = rtr[\n", "[syslog.a] host:");
	bad_conf("[syslog.a]\nprogram = *x\n", "[syslog.a] program:");
	bad_conf("[syslog.a]\nmessage = x\ntext = ${cmd}\n",
	    "[syslog.a] text: ${cmd}: neither a named capture");
	bad_conf("[syslog.a]\nmessage = x\nactor = ${user\n",
	    "[syslog.a] actor:");
	bad_conf("[syslog.a]\nmessage = x\ntext = 5$\n", "a $ not followed");
	bad_conf("[syslog.a]\nmessage = x\nphase = fix\n",
	    "[syslog.a] phase: \"fix\" is not one of the configured");
	bad_conf("[syslog.a]\nmessage = x\nincident = nearest\n",
	    "[syslog.a] incident: expected host, single");
	bad_conf("[syslog.a]\nmessage = x\nincident = host, host\n",
	    "[syslog.a] incident:");
	bad_conf("[syslog.a]\nfacility = local8\n", "[syslog.a] facility:");
	bad_conf("[syslog.a]\nseverity = loud\n", "[syslog.a] severity:");
	bad_conf("[syslog.a]\nmessage = x\nmessage = y\n", "given twice");
	bad_conf("[syslog.a]\nmatch = x\n", "[syslog.a] match: unknown key");
	bad_conf("[syslog.a]\nphase = recover\n", "at least one condition");
	bad_conf("[syslog]\nallow = 10.0.0.0/33\n", "[syslog] allow: "
	    "\"10.0.0.0/33\": the prefix length must be 0 to 32");
	bad_conf("[syslog]\nallow = rtr1\n", "not an IPv4 or IPv6 address");
	bad_conf("[syslog]\ntimezone = Nowhere/Atlantis\n",
	    "[syslog] timezone: no such zone");
	bad_conf("[syslog]\nsender_timezones = 10.0.0.0/8\n",
	    "[syslog] sender_timezones:");
	bad_conf("[syslog]\nmax_message_bytes = 100\n", "max_message_bytes");
	bad_conf("[sochid]\nlisten_syslog_udp = a:b:c\n", "listen_syslog_udp");
	bad_conf("[report]\nrelated_years = 0\n", "related_years");
}

static struct sockaddr_storage
addr(const char *s)
{
	struct sockaddr_storage ss;

	memset(&ss, 0, sizeof(ss));
	if (strchr(s, ':') != NULL) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;

		a->sin6_family = AF_INET6;
		assert_int_equal(inet_pton(AF_INET6, s, &a->sin6_addr), 1);
	} else {
		struct sockaddr_in *a = (struct sockaddr_in *)&ss;

		a->sin_family = AF_INET;
		assert_int_equal(inet_pton(AF_INET, s, &a->sin_addr), 1);
	}
	return ss;
}

static int
allowed(const struct netlist *l, const char *s)
{
	struct sockaddr_storage ss = addr(s);

	return netlist_match(l, (struct sockaddr *)&ss) != NULL;
}

static void
test_netlist(void **state)
{
	struct netlist l;
	struct sockaddr_storage ss;
	struct sochi_config cf;
	char err[256];

	assert_int_equal(netlist_parse("127.0.0.1, 10.0.0.0/8,192.168.1.77/26,"
	    " 2001:db8::/32, ::1", 0, &l, err, sizeof(err)), 0);
	assert_int_equal(l.n, 5);
	assert_true(allowed(&l, "127.0.0.1"));
	assert_false(allowed(&l, "127.0.0.2"));
	assert_true(allowed(&l, "10.255.0.1"));
	assert_false(allowed(&l, "11.0.0.1"));
	assert_true(allowed(&l, "192.168.1.64"));
	assert_true(allowed(&l, "192.168.1.127"));
	assert_false(allowed(&l, "192.168.1.128"));
	assert_true(allowed(&l, "2001:db8:ffff::1"));
	assert_false(allowed(&l, "2001:db9::1"));
	assert_true(allowed(&l, "::1"));
	/* An IPv4 sender on a dual-stack socket. */
	assert_true(allowed(&l, "::ffff:10.1.2.3"));
	assert_false(allowed(&l, "::ffff:11.1.2.3"));
	netlist_free(&l);
	assert_int_equal(netlist_parse("0.0.0.0/0", 0, &l, err, sizeof(err)), 0);
	assert_true(allowed(&l, "203.0.113.9"));
	assert_false(allowed(&l, "2001:db8::1"));
	netlist_free(&l);
	assert_int_equal(netlist_parse("10.0.0.1/8 UTC", 0, &l, err,
	    sizeof(err)), -1);

	/* The zone a sender's RFC 3164 times are read in. */
	config_init(&cf);
	assert_int_equal(config_parse(&cf, "[syslog]\nsender_timezones = "
	    "10.9.0.0/16 UTC, 2001:db8::/32 Europe/Paris\n", "t.conf", zone_ok,
	    err, sizeof(err)), 0);
	ss = addr("10.9.1.1");
	assert_string_equal(syslog_sender_zone(&cf, (struct sockaddr *)&ss),
	    "UTC");
	ss = addr("2001:db8::5");
	assert_string_equal(syslog_sender_zone(&cf, (struct sockaddr *)&ss),
	    "Europe/Paris");
	ss = addr("10.8.1.1");
	assert_string_equal(syslog_sender_zone(&cf, (struct sockaddr *)&ss),
	    "Asia/Tokyo");
	config_free(&cf);
}

/* The shipped rules, compiled. */
static struct sochi_config shipped;
static struct syslog_rules *rules;

static int
setup_shipped(void **state)
{
	char *text = slurp("conf/syslog-rules.conf"), err[512];

	config_init(&shipped);
	if (config_parse(&shipped, text, "syslog-rules.conf", NULL, err,
	    sizeof(err)) != 0 || (rules = syslog_rules_new(&shipped, err,
	    sizeof(err))) == NULL)
		fail_msg("%s", err);
	free(text);
	return 0;
}

static int
teardown_shipped(void **state)
{
	syslog_rules_free(rules);
	config_free(&shipped);
	return 0;
}

/* Parses and matches line; returns the rule's name, or NULL for none. */
static const char *
match(const char *line, struct syslog_msg *m, struct syslog_action *act)
{
	struct syslog_opts o = { at("2026-11-25T12:50:00+09:00"), &tokyo,
	    "192.0.2.7" };
	char err[256];
	int rc;

	if (syslog_parse(line, strlen(line), &o, m, err, sizeof(err)) != 0)
		fail_msg("%s: %s", line, err);
	rc = syslog_match(rules, m, act, err, sizeof(err));
	assert_int_not_equal(rc, -1);
	return rc == 1 ? act->rule->name : NULL;
}

static void
test_shipped_rules(void **state)
{
	struct syslog_msg m;
	struct syslog_action act;

	assert_string_equal(match("<189>Nov 25 12:40:00 rtr1 52: *Nov 25 "
	    "12:40:00.123 JST: %PARSER-5-CFGLOG_LOGGEDCMD: User:noc1  logged "
	    "command:interface GigabitEthernet0/1", &m, &act),
	    "cisco-config-command");
	assert_string_equal(act.actor, "noc1");
	assert_string_equal(act.text, "rtr1にて設定コマンド「interface "
	    "GigabitEthernet0/1」を投入");
	assert_string_equal(act.rule->phase, "recover");
	syslog_action_free(&act);

	assert_string_equal(match("<189>53: rtr1: *Nov 25 12:41:00.5 JST: "
	    "%PARSER-5-CFGLOG_LOGGEDCMD: User:noc1  logged command:!exec: "
	    "enable", &m, &act), "cisco-config-command");
	assert_string_equal(m.host, "rtr1");
	assert_string_equal(act.text, "rtr1にて設定コマンド「enable」を投入");
	syslog_action_free(&act);

	assert_string_equal(match("<189>Nov 25 12:42:00 rtr1 54: %SYS-5-CONFIG_I: "
	    "Configured from console by noc1 on vty0 (10.0.0.5)", &m, &act),
	    "cisco-configured");
	assert_string_equal(act.actor, "noc1");
	assert_string_equal(act.text, "rtr1の設定変更を完了（console）");
	syslog_action_free(&act);

	/* Junos: show is identify, set is recover, commit; padding trimmed. */
	assert_string_equal(match("<189>Nov 25 12:43:00 mx1 mgd[4321]: "
	    "UI_CMDLINE_READ_LINE: User 'noc1', command 'show interfaces "
	    "ge-0/0/1 '", &m, &act), "junos-show");
	assert_string_equal(act.rule->phase, "identify");
	assert_string_equal(act.text, "mx1にて「show interfaces ge-0/0/1」で状態"
	    "を確認");
	syslog_action_free(&act);
	assert_string_equal(match("<189>Nov 25 12:44:00 mx1 mgd[4321]: "
	    "UI_CMDLINE_READ_LINE: User 'noc1', command 'set interfaces "
	    "ge-0/0/1 disable '", &m, &act), "junos-command");
	assert_string_equal(act.actor, "noc1");
	syslog_action_free(&act);
	assert_string_equal(match("<189>1 2026-11-25T12:45:00.2+09:00 mx1 mgd "
	    "4321 UI_COMMIT [junos@2636.1.1.1.2.29 username=\"noc1\"] User "
	    "'noc1' requested 'commit' operation (comment: 迂回)", &m, &act),
	    "junos-commit");
	assert_string_equal(act.text, "mx1にて設定を反映（commit）");
	syslog_action_free(&act);

	assert_string_equal(match("<85>Nov 25 12:46:00 mail1 sudo:     noc2 : "
	    "TTY=pts/0 ; PWD=/home/noc2 ; USER=root ; "
	    "COMMAND=/usr/bin/systemctl restart postfix", &m, &act), "sudo");
	assert_string_equal(act.actor, "noc2");
	assert_string_equal(act.text, "mail1にて「/usr/bin/systemctl restart "
	    "postfix」を実行（root権限）");
	syslog_action_free(&act);
	/* sudo from another facility (a user's logger) is not taken. */
	assert_null(match("<13>Nov 25 12:46:00 mail1 sudo: noc2 : TTY=pts/0 ; "
	    "USER=root ; COMMAND=/bin/ls", &m, &act));

	assert_string_equal(match("<14>Nov 25 12:47:00 mail1 "
	    "ansible-ansible.builtin.service[2210]: Invoked with name=postfix "
	    "state=restarted", &m, &act), "ansible");
	assert_string_equal(act.actor, "構成管理（Ansible）");
	assert_string_equal(act.text, "mail1にてAnsibleで"
	    "ansible-ansible.builtin.serviceを実行（name=postfix "
	    "state=restarted）");
	syslog_action_free(&act);

	/* What no rule takes is not stored. */
	assert_null(match("<30>Nov 25 12:48:00 mail1 systemd[1]: Started "
	    "Postfix Mail Transport Agent.", &m, &act));
	assert_null(match("<189>Nov 25 12:48:00 rtr1 55: %LINK-3-UPDOWN: "
	    "Interface GigabitEthernet0/1, changed state to up", &m, &act));
}

static void
test_row(void **state)
{
	struct syslog_msg m, m2;
	struct syslog_action act;
	struct syslog_row row, row2;
	json_error_t jerr;
	json_t *d;

	assert_non_null(match("<189>Nov 25 12:40:00 rtr1 52: %PARSER-5-"
	    "CFGLOG_LOGGEDCMD: User:noc1  logged command:shutdown", &m, &act));
	assert_int_equal(syslog_row_make(&m, &act, &row), 0);
	assert_int_equal(row.row.kind, KIND_ACTION);
	assert_null(row.row.incident);
	assert_true(row.row.at == at("2026-11-25T12:40:00+09:00"));
	assert_string_equal(row.row.src, "syslog:rtr1");
	assert_string_equal(row.row.grp, "host=rtr1 single");
	assert_string_equal(row.row.actor, "noc1");
	assert_string_equal(row.row.phase, "recover");
	assert_string_equal(row.row.text, "rtr1にて設定コマンド「shutdown」を投入");
	assert_int_equal(strncmp(row.row.key, "sha256:", 7), 0);
	assert_int_equal(strlen(row.row.key), 7 + 64);
	/* Not a plain row: sochi_ingest_row finds its incident. */
	assert_false(event_row_plain(&row.row));
	d = json_loads(row.row.data, 0, &jerr);
	assert_non_null(d);
	assert_string_equal(json_string_value(json_object_get(json_object_get(d,
	    "syslog"), "received")), "2026-11-25T03:50:00+00:00");
	assert_string_equal(json_string_value(json_object_get(json_object_get(d,
	    "syslog"), "facility")), "local7");
	assert_string_equal(json_string_value(json_object_get(json_object_get(d,
	    "syslog"), "rule")), "cisco-config-command");
	json_decref(d);

	/*
	 * The same line relayed as RFC 5424, received later: the same key.
	 * Another second, another host or another text: another key.
	 */
	{
		struct syslog_action a2;

		assert_non_null(match("<189>1 2026-11-25T03:40:00Z rtr1 - - - - "
		    "52: %PARSER-5-CFGLOG_LOGGEDCMD: User:noc1  logged "
		    "command:shutdown", &m2, &a2));
		/* The 5424 MSG keeps Cisco's sequence number: unlike. */
		assert_int_equal(syslog_row_make(&m2, &a2, &row2), 0);
		assert_string_not_equal(row.row.key, row2.row.key);
		syslog_row_free(&row2);
		syslog_action_free(&a2);
		assert_non_null(match("<189>1 2026-11-25T03:40:00Z rtr1 - - - - "
		    "%PARSER-5-CFGLOG_LOGGEDCMD: User:noc1  logged "
		    "command:shutdown", &m2, &a2));
		m2.received = m.received + 5000000;
		assert_int_equal(syslog_row_make(&m2, &a2, &row2), 0);
		assert_string_equal(row.row.key, row2.row.key);
		syslog_row_free(&row2);
		m2.at += 1000000;
		assert_int_equal(syslog_row_make(&m2, &a2, &row2), 0);
		assert_string_not_equal(row.row.key, row2.row.key);
		syslog_row_free(&row2);
		syslog_action_free(&a2);
	}
	syslog_row_free(&row);
	syslog_action_free(&act);
}

static void
test_match_limits(void **state)
{
	struct sochi_config cf;
	struct syslog_rules *rs;
	struct syslog_msg m;
	struct syslog_action act;
	struct syslog_opts o = { at("2026-11-25T12:50:00+09:00"), &tokyo,
	    "192.0.2.7" };
	char line[4200], err[256];
	int rc;

	config_init(&cf);
	assert_int_equal(config_parse(&cf, "[syslog.slow]\nmessage = ^(a+)+$\n"
	    "[syslog.empty]\nmessage = ^x(?<v>y?)$\ntext = ${v}\n"
	    "[syslog.sev]\nseverity = err\nhost = RTR1\n", "t.conf", NULL, err,
	    sizeof(err)), 0);
	assert_non_null(rs = syslog_rules_new(&cf, err, sizeof(err)));
	/* Catastrophic backtracking stops at the limit, as an error. */
	snprintf(line, sizeof(line), "<13>Nov 25 12:00:00 h t: ");
	memset(line + strlen(line), 'a', 40);
	line[25 + 40] = '\0';
	strcat(line, "b");
	assert_int_equal(syslog_parse(line, strlen(line), &o, &m, err,
	    sizeof(err)), 0);
	rc = syslog_match(rs, &m, &act, err, sizeof(err));
	assert_int_equal(rc, -1);
	assert_non_null(strstr(err, "[syslog.slow]"));
	/* A text that comes out empty stores nothing. */
	assert_int_equal(syslog_parse("<13>Nov 25 12:00:00 h t: x", 26, &o, &m,
	    err, sizeof(err)), 0);
	assert_int_equal(syslog_match(rs, &m, &act, err, sizeof(err)), 0);
	/* Severity and host (without case); the text defaults to MSG. */
	assert_int_equal(syslog_parse("<11>Nov 25 12:00:00 rtr1 t: down", 32,
	    &o, &m, err, sizeof(err)), 0);
	assert_int_equal(syslog_match(rs, &m, &act, err, sizeof(err)), 1);
	assert_string_equal(act.rule->name, "sev");
	assert_string_equal(act.text, "down");
	assert_null(act.actor);
	syslog_action_free(&act);
	assert_int_equal(syslog_parse("<12>Nov 25 12:00:00 rtr1 t: down", 32,
	    &o, &m, err, sizeof(err)), 0);
	assert_int_equal(syslog_match(rs, &m, &act, err, sizeof(err)), 0);
	syslog_rules_free(rs);
	config_free(&cf);
}

static void
test_sha256(void **state)
{
	struct sha256 h;
	char hex[65];
	static char million[1000];

	sha256_init(&h);
	sha256_hex(&h, hex);
	assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b"
	    "934ca495991b7852b855");
	sha256_init(&h);
	sha256_add(&h, "abc", 3);
	sha256_hex(&h, hex);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a39617"
	    "7a9cb410ff61f20015ad");
	sha256_init(&h);
	sha256_add(&h, "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
	    56);
	sha256_hex(&h, hex);
	assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff"
	    "2167f6ecedd419db06c1");
	memset(million, 'a', sizeof(million));
	sha256_init(&h);
	for (int i = 0; i < 1000; i++)
		sha256_add(&h, million, sizeof(million));
	sha256_hex(&h, hex);
	assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497"
	    "200e046d39ccc7112cd0");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config),
		cmocka_unit_test(test_config_errors),
		cmocka_unit_test(test_netlist),
		cmocka_unit_test_setup_teardown(test_shipped_rules, setup_shipped,
		    teardown_shipped),
		cmocka_unit_test_setup_teardown(test_row, setup_shipped,
		    teardown_shipped),
		cmocka_unit_test(test_match_limits),
		cmocka_unit_test(test_sha256),
	};

	zone_fixed(&tokyo, 9 * 3600, "Asia/Tokyo");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
