/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer harness for lib/syslog.c: the input is a TCP stream from a
 * syslog sender.  It is cut into frames by syslog_frame_next (in pieces of
 * a size the first byte chooses, so that every way of receiving it is
 * tried), and each frame, like a UDP datagram, goes to syslog_parse and, if
 * accepted, through the shipped-style rules to the row sochid would store.
 * Properties checked besides memory safety: the framer always makes
 * progress and never points outside the buffer; an accepted message's MSG
 * is valid UTF-8 inside the frame, its header fields within their limits;
 * a row's data is valid JSON.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "config.h"
#include "syslog.h"
#include "syslog_rule.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char rules_text[] =
    "[syslog.cisco]\n"
    "message = %PARSER-5-CFGLOG_LOGGEDCMD: User:(?<user>\\S+) +logged "
    "command:(?<cmd>.*)\n"
    "actor = ${user}\n"
    "text = ${host}: ${cmd}\n"
    "[syslog.any]\n"
    "program = .*\n"
    "incident = host, single\n";

static struct sochi_config cf;
static struct syslog_rules *rules;
static struct zone tokyo;

static void
check_msg(const struct syslog_msg *m, const char *frame, size_t n)
{
	struct syslog_action act;
	struct syslog_row row;
	json_error_t jerr;
	json_t *j;
	char err[256];
	int rc;

	if (m->msg < frame || m->msg + m->msglen > frame + n ||
	    syslog_utf8_check(m->msg, m->msglen, NULL) != 0 ||
	    strlen(m->host) > SYSLOG_HOST_MAX || m->pri > 191) {
		fprintf(stderr, "accepted a message that breaks its contract\n");
		abort();
	}
	rc = syslog_match(rules, m, &act, err, sizeof(err));
	if (rc == 1) {
		if (syslog_row_make(m, &act, &row) == -1) {
			fprintf(stderr, "no row for a matched message\n");
			abort();
		}
		if ((j = json_loads(row.row.data, 0, &jerr)) == NULL) {
			fprintf(stderr, "row data is not valid JSON: %s\n",
			    row.row.data);
			abort();
		}
		json_decref(j);
		syslog_row_free(&row);
	}
	syslog_action_free(&act);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct syslog_framer f;
	struct syslog_msg m;
	struct syslog_opts o;
	const char *msg;
	char *buf, err[256];
	size_t step, have = 0, fed = 0, used, ml;
	enum syslog_frame_rc rc;
	int guard = 0;

	if (rules == NULL) {
		config_init(&cf);
		if (config_parse(&cf, rules_text, "fuzz.conf", NULL, err,
		    sizeof(err)) == -1 || (rules = syslog_rules_new(&cf, err,
		    sizeof(err))) == NULL) {
			fprintf(stderr, "fuzz rules: %s\n", err);
			abort();
		}
		zone_fixed(&tokyo, 9 * 3600, "Asia/Tokyo");
	}
	if (size < 1)
		return 0;
	step = (size_t)data[0] % 64 + 1;
	data++;
	size--;
	o.received = 1795664400000000LL;	/* 2026-11-25T12:00:00+09:00 */
	o.zone = &tokyo;
	o.sender = "192.0.2.7";
	/* The whole input as one datagram. */
	if (syslog_parse((const char *)data, size, &o, &m, err,
	    sizeof(err)) == 0)
		check_msg(&m, (const char *)data, size);
	if ((buf = malloc(size + 1)) == NULL)
		return 0;
	syslog_framer_init(&f, 256);
	while (fed < size || have > 0) {
		size_t k = size - fed < step ? size - fed : step;

		memcpy(buf + have, data + fed, k);
		have += k;
		fed += k;
		do {
			rc = syslog_frame_next(&f, buf, have, &used, &msg, &ml,
			    err, sizeof(err));
			if (used > have || (rc == SYSLOG_FRAME_MSG &&
			    (msg < buf || msg + ml > buf + have || ml > 256))) {
				fprintf(stderr, "framer outside its buffer\n");
				abort();
			}
			if (rc == SYSLOG_FRAME_MSG && syslog_parse(msg, ml, &o, &m,
			    err, sizeof(err)) == 0)
				check_msg(&m, msg, ml);
			memmove(buf, buf + used, have - used);
			have -= used;
			if (++guard > 100000) {
				fprintf(stderr, "framer makes no progress\n");
				abort();
			}
		} while (rc == SYSLOG_FRAME_MSG || rc == SYSLOG_FRAME_DROP ||
		    (rc == SYSLOG_FRAME_MORE && used > 0));
		if (rc == SYSLOG_FRAME_ERROR || fed == size)
			break;
	}
	free(buf);
	return 0;
}
