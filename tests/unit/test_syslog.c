/* SPDX-License-Identifier: MIT */
/*
 * Syslog messages as equipment writes them (Cisco IOS and IOS XE, Junos,
 * Linux sudo, Ansible; RFC 5424 with structured data and a BOM) and as it
 * should not (bad PRI, no timestamp, invalid UTF-8), and RFC 6587 framing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "rfc3339.h"
#include "syslog.h"

static struct zone tokyo;

static int64_t
at(const char *s)
{
	struct sochi_time t;

	assert_int_equal(rfc3339_parse(s, &t), 0);
	return t.usec;
}

/* Parses s as received at recv from 192.0.2.7; fails the test if refused. */
static void
parse_ok(const char *s, const char *recv, struct syslog_msg *m)
{
	struct syslog_opts o = { at(recv), &tokyo, "192.0.2.7" };
	char err[256];

	if (syslog_parse(s, strlen(s), &o, m, err, sizeof(err)) != 0)
		fail_msg("refused: %s: %s", s, err);
}

static void
parse_bad(const char *s, size_t n, const char *want)
{
	struct syslog_opts o = { at("2026-11-25T12:41:00+09:00"), &tokyo,
	    "192.0.2.7" };
	struct syslog_msg m;
	char err[256];

	assert_int_equal(syslog_parse(s, n, &o, &m, err, sizeof(err)), -1);
	if (strstr(err, want) == NULL)
		fail_msg("\"%s\": wanted \"%s\" in \"%s\"", s, want, err);
}

static void
msg_is(const struct syslog_msg *m, const char *want)
{
	if (m->msglen != strlen(want) || memcmp(m->msg, want, m->msglen) != 0)
		fail_msg("MSG \"%.*s\", wanted \"%s\"", (int)m->msglen, m->msg,
		    want);
}

static void
test_cisco(void **state)
{
	struct syslog_msg m;

	/* As rsyslog forwards it (RFC 3164 header, Cisco's own after it). */
	parse_ok("<189>Nov 25 12:40:00 rtr1.tokyo 52: *Nov 25 12:40:00.123 JST: "
	    "%PARSER-5-CFGLOG_LOGGEDCMD: User:noc1  logged command:interface "
	    "GigabitEthernet0/1", "2026-11-25T12:40:01+09:00", &m);
	assert_int_equal(m.format, SYSLOG_RFC3164);
	assert_int_equal(m.facility, 23);
	assert_int_equal(m.severity, 5);
	assert_string_equal(syslog_facility_name(m.facility), "local7");
	assert_string_equal(syslog_severity_name(m.severity), "notice");
	assert_true(m.at == at("2026-11-25T12:40:00+09:00"));
	assert_string_equal(m.host, "rtr1.tokyo");
	assert_string_equal(m.app, "52");
	msg_is(&m, "*Nov 25 12:40:00.123 JST: %PARSER-5-CFGLOG_LOGGEDCMD: "
	    "User:noc1  logged command:interface GigabitEthernet0/1");

	/* Straight from IOS: sequence number, no host, milliseconds, zone. */
	parse_ok("<189>52: *Nov 25 12:40:00.123 JST: %PARSER-5-CFGLOG_LOGGEDCMD: "
	    "User:noc1  logged command:shutdown", "2026-11-25T12:40:01+09:00",
	    &m);
	assert_true(m.at == at("2026-11-25T12:40:00.123+09:00"));
	assert_string_equal(m.host, "192.0.2.7");
	assert_string_equal(m.app, "");
	msg_is(&m, "%PARSER-5-CFGLOG_LOGGEDCMD: User:noc1  logged "
	    "command:shutdown");

	/* IOS XE with `logging origin-id hostname` and the year; UTC clock. */
	parse_ok("<189>1187: rtr2: Nov 25 2026 03:40:00.5 UTC: %SYS-5-CONFIG_I: "
	    "Configured from console by noc1 on vty0 (10.0.0.5)",
	    "2026-11-25T12:40:01+09:00", &m);
	assert_string_equal(m.host, "rtr2");
	assert_true(m.at == at("2026-11-25T03:40:00.5Z"));
	msg_is(&m, "%SYS-5-CONFIG_I: Configured from console by noc1 on vty0 "
	    "(10.0.0.5)");

	/* A day padded with a space. */
	parse_ok("<189>Dec  5 09:01:02 rtr1 53: %SYS-5-RELOAD: Reload requested "
	    "by noc1 on vty0.", "2026-12-05T09:01:03+09:00", &m);
	assert_true(m.at == at("2026-12-05T09:01:02+09:00"));
}

static void
test_junos(void **state)
{
	struct syslog_msg m;

	parse_ok("<189>Nov 25 12:41:07 mx1 mgd[4321]: UI_CMDLINE_READ_LINE: User "
	    "'noc1', command 'set interfaces ge-0/0/1 disable '",
	    "2026-11-25T12:41:08+09:00", &m);
	assert_string_equal(m.host, "mx1");
	assert_string_equal(m.app, "mgd");
	assert_string_equal(m.procid, "4321");
	msg_is(&m, "UI_CMDLINE_READ_LINE: User 'noc1', command 'set interfaces "
	    "ge-0/0/1 disable '");

	/* Junos's structured-data format: RFC 5424, a ] inside a value. */
	parse_ok("<189>1 2026-11-25T12:42:00.271+09:00 mx1 mgd 4321 UI_COMMIT "
	    "[junos@2636.1.1.1.2.29 username=\"noc1\" command=\"commit comment "
	    "\\\"x\\\" [a]\"] User 'noc1' requested 'commit' operation (comment: "
	    "[a])", "2026-11-25T12:42:01+09:00", &m);
	assert_int_equal(m.format, SYSLOG_RFC5424);
	assert_true(m.at == at("2026-11-25T12:42:00.271+09:00"));
	assert_string_equal(m.app, "mgd");
	assert_string_equal(m.procid, "4321");
	assert_string_equal(m.msgid, "UI_COMMIT");
	assert_non_null(m.sd);
	assert_int_equal(m.sd[m.sdlen - 1], ']');
	msg_is(&m, "User 'noc1' requested 'commit' operation (comment: [a])");
}

static void
test_linux(void **state)
{
	struct syslog_msg m;

	parse_ok("<85>Nov 25 12:43:10 mail1 sudo:     noc2 : TTY=pts/0 ; "
	    "PWD=/home/noc2 ; USER=root ; COMMAND=/usr/bin/systemctl restart "
	    "postfix", "2026-11-25T12:43:11+09:00", &m);
	assert_int_equal(m.facility, 10);
	assert_string_equal(m.host, "mail1");
	assert_string_equal(m.app, "sudo");
	msg_is(&m, "noc2 : TTY=pts/0 ; PWD=/home/noc2 ; USER=root ; "
	    "COMMAND=/usr/bin/systemctl restart postfix");

	/* Ansible's module log, with rsyslog's RFC 3339 timestamp. */
	parse_ok("<14>2026-11-25T12:44:00.000001+09:00 mail1 "
	    "ansible-ansible.builtin.service[2210]: Invoked with name=postfix "
	    "state=restarted enabled=None\n", "2026-11-25T12:44:01+09:00", &m);
	assert_true(m.at == at("2026-11-25T12:44:00.000001+09:00"));
	assert_string_equal(m.app, "ansible-ansible.builtin.service");
	assert_string_equal(m.procid, "2210");
	msg_is(&m, "Invoked with name=postfix state=restarted enabled=None");

	/* RFC 5424 with a BOM, Japanese text, no host: the sender's. */
	parse_ok("<13>1 2026-11-25T03:45:00Z - logger - - - \xef\xbb\xbf"
	    "メール中継サーバを再起動", "2026-11-25T12:45:01+09:00", &m);
	assert_string_equal(m.host, "192.0.2.7");
	assert_string_equal(m.app, "logger");
	assert_null(m.sd);
	msg_is(&m, "メール中継サーバを再起動");
	/* No MSG at all is an empty one. */
	parse_ok("<13>1 2026-11-25T03:45:00Z h a p m -", "2026-11-25T12:45:01+09:00",
	    &m);
	msg_is(&m, "");
}

static void
test_year(void **state)
{
	struct syslog_msg m;

	/* Sent on New Year's Eve, received after midnight: last year's. */
	parse_ok("<189>Dec 31 23:59:59 rtr1 %SYS-5-CONFIG_I: x",
	    "2027-01-01T00:00:02+09:00", &m);
	assert_true(m.at == at("2026-12-31T23:59:59+09:00"));
	/* A sender's clock a little ahead of the new year. */
	parse_ok("<189>Jan  1 00:00:01 rtr1 x: y", "2026-12-31T23:59:58+09:00",
	    &m);
	assert_true(m.at == at("2027-01-01T00:00:01+09:00"));
	/* 29 February: the leap year nearest. */
	parse_ok("<189>Feb 29 10:00:00 rtr1 x: y", "2027-03-01T10:00:00+09:00",
	    &m);
	assert_true(m.at == at("2028-02-29T10:00:00+09:00") ||
	    m.at == at("2024-02-29T10:00:00+09:00"));
	assert_true(m.at == at("2028-02-29T10:00:00+09:00"));
}

static void
test_refused(void **state)
{
	parse_bad("Nov 25 12:40:00 rtr1 x: y", 25, "bad PRI");
	parse_bad("<>Nov 25 12:40:00 rtr1 x: y", 27, "bad PRI");
	parse_bad("<1899>Nov 25 12:40:00 rtr1 x: y", 31, "bad PRI");
	parse_bad("<192>Nov 25 12:40:00 rtr1 x: y", 30, "bad PRI: 192");
	parse_bad("<013>Nov 25 12:40:00 rtr1 x: y", 30, "leading zero");
	parse_bad("<13", 3, "bad PRI");
	parse_bad("<13>rtr1 sudo: noc1 : COMMAND=/bin/ls", 37,
	    "missing timestamp");
	parse_bad("<13>Nov 31 12:40:00 rtr1 x: y", 29, "missing timestamp");
	parse_bad("<13>Nov 25 25:40:00 rtr1 x: y", 29, "missing timestamp");
	parse_bad("<13>1 - rtr1 app - - - text", 27, "missing timestamp");
	parse_bad("<13>1 2026-11-25 rtr1 app - - - text", 36,
	    "missing timestamp");
	parse_bad("<13>Nov 25 12:40:00 rtr1 x: caf\xe9", 32, "invalid UTF-8 at byte 4");
	parse_bad("<13>1 2026-11-25T03:45:00Z h a p m - \xef\xbb\xbf\xc0\xaf",
	    43, "invalid UTF-8");
	parse_bad("<13>Nov 25 12:40:00 rtr1 x: a\0b", 31, "NUL");
	parse_bad("<13>Nov 25 12:40:00 rtr\xff" "1 x: y", 30,
	    "HOSTNAME: invalid UTF-8");
	parse_bad("<13>Nov 25 12:40:00 rtr1 x\xc0[1]: y", 33,
	    "TAG: invalid UTF-8");
	parse_bad("<13>1 2026-11-25T03:45:00Z h a p m [x y=\"1]", 42,
	    "closing \"");
	parse_bad("<13>1 2026-11-25T03:45:00Z h a p m [x", 37, "expected ]");
	parse_bad("<13>1 2026-11-25T03:45:00Z h a p m x", 36, "structured data");
	parse_bad("<13>1 2026-11-25T03:45:00Z h a p 0123456789012345678901234567890123 - x",
	    71, "MSGID: longer");
	parse_bad("<13>1 2026-11-25T03:45:00Z h", 28, "not followed");
	assert_int_equal(syslog_facility_from_name("local7"), 23);
	assert_int_equal(syslog_facility_from_name("authpriv"), 10);
	assert_int_equal(syslog_facility_from_name("local8"), -1);
	assert_int_equal(syslog_severity_from_name("notice"), 5);
	assert_int_equal(syslog_severity_from_name("3"), 3);
	assert_int_equal(syslog_severity_from_name("8"), -1);
}

/* Feeds a stream to the framer in pieces of step bytes; the frames' MSGs. */
static void
frames(const char *stream, size_t len, size_t step, size_t max, char *out,
    size_t outlen, int *drops, int *errors)
{
	struct syslog_framer f;
	char buf[4096], err[200];
	size_t have = 0, fed = 0, used, ml;
	const char *msg;
	enum syslog_frame_rc rc;

	syslog_framer_init(&f, max);
	*drops = *errors = 0;
	out[0] = '\0';
	while (fed < len || have > 0) {
		size_t k = len - fed < step ? len - fed : step;

		memcpy(buf + have, stream + fed, k);
		have += k;
		fed += k;
		for (;;) {
			rc = syslog_frame_next(&f, buf, have, &used, &msg, &ml, err,
			    sizeof(err));
			if (rc == SYSLOG_FRAME_MSG)
				snprintf(out + strlen(out), outlen - strlen(out),
				    "[%.*s]", (int)ml, msg);
			memmove(buf, buf + used, have - used);
			have -= used;
			if (rc == SYSLOG_FRAME_DROP) {
				(*drops)++;
				assert_non_null(strstr(err, "oversize frame"));
				continue;
			}
			if (rc == SYSLOG_FRAME_ERROR) {
				(*errors)++;
				return;
			}
			if (rc == SYSLOG_FRAME_MORE && used == 0)
				break;
		}
		if (fed == len && have > 0 && rc == SYSLOG_FRAME_MORE)
			break;	/* an incomplete last frame stays */
	}
}

static void
test_framing(void **state)
{
	static const char mixed[] = "12 <13>Nov 25 a\n<13>LF framed\r\n"
	    "5 <1>xy<14>third\n\n";
	char out[512];
	size_t step;
	int drops, errors;

	/* The same frames however the stream is cut. */
	for (step = 1; step <= sizeof(mixed); step++) {
		frames(mixed, sizeof(mixed) - 1, step, 100, out, sizeof(out),
		    &drops, &errors);
		assert_string_equal(out, "[<13>Nov 25 a][<13>LF framed][<1>xy]"
		    "[<14>third]");
		assert_int_equal(drops + errors, 0);
	}
	/* Oversize, counted and LF-framed: dropped, the next frame read. */
	for (step = 1; step <= 40; step += 3) {
		frames("20 <13>0123456789abcdef<9>ok\n", 29, step, 10, out,
		    sizeof(out), &drops, &errors);
		assert_string_equal(out, "[<9>ok]");
		assert_int_equal(drops, 1);
		frames("<13>0123456789abcdef\n9 <9>still", 32, step, 10, out,
		    sizeof(out), &drops, &errors);
		assert_string_equal(out, "[<9>still]");
		assert_int_equal(drops, 1);
	}
	/* Not framing at all. */
	frames("GET / HTTP/1.1\r\n", 16, 16, 100, out, sizeof(out), &drops,
	    &errors);
	assert_int_equal(errors, 1);
	frames("12x<13>", 7, 7, 100, out, sizeof(out), &drops, &errors);
	assert_int_equal(errors, 1);
	frames("12345678901 x", 13, 13, 100, out, sizeof(out), &drops, &errors);
	assert_int_equal(errors, 1);
}

static void
test_utf8(void **state)
{
	size_t bad;

	assert_int_equal(syslog_utf8_check("日本語 ok", 12, &bad), 0);
	assert_int_equal(syslog_utf8_check("\xed\xa0\x80", 3, &bad), -1);
	assert_int_equal(syslog_utf8_check("a\xf4\x90\x80\x80", 5, &bad), -1);
	assert_int_equal(bad, 1);
	assert_int_equal(syslog_utf8_check("\xe3\x81", 2, &bad), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cisco),
		cmocka_unit_test(test_junos),
		cmocka_unit_test(test_linux),
		cmocka_unit_test(test_year),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_framing),
		cmocka_unit_test(test_utf8),
	};

	zone_fixed(&tokyo, 9 * 3600, "Asia/Tokyo");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
