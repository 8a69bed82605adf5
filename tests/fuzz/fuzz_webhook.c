/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer harness for the webhook decoders (lib/webhook.c), built once per
 * sender: FUZZ_WEBHOOK is 1 for Alertmanager, 2 for Grafana, 3 for Zabbix
 * (Makefile.am).  The body is parsed as sochid's HTTP API parses it, decoded,
 * matched against a rule (lib/correlate.c) and written as rows.  Properties
 * checked besides memory safety: a refusal's message fits in a JSON answer
 * (valid UTF-8) and every row is valid JSON.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "config.h"
#include "correlate.h"
#include "sbuf.h"
#include "webhook.h"
#include "zone.h"

#ifndef FUZZ_WEBHOOK
#error "FUZZ_WEBHOOK must be 1 (Alertmanager), 2 (Grafana) or 3 (Zabbix)"
#endif

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* A rule that opens an incident and starts an impact, as in webhooks.sh. */
static const char rules[] =
    "[rule.storage]\n"
    "match = alertname=~Storage.*|ストレージ.*|X, severity=~critical|4|5\n"
    "title = メールサービスの障害\n"
    "category = 5\n"
    "impact = mail-send 電子メールの送受信ができない\n"
    "open = yes\n"
    "[rule.any]\n"
    "match = instance=~.+\n";

static struct sochi_config cf;
static struct correlator *co;
static struct zone jst;

static void
must_parse(const char *text, size_t n, const char *what)
{
	json_error_t e;
	json_t *j = json_loadb(text, n, JSON_DECODE_ANY, &e);

	if (j == NULL) {
		fprintf(stderr, "%s is not valid JSON (%s): %.*s\n", what, e.text,
		    (int)n, text);
		abort();
	}
	json_decref(j);
}

static void
setup(void)
{
	char err[256];

	config_init(&cf);
	if (config_parse(&cf, rules, "fuzz", NULL, err, sizeof(err)) == -1 ||
	    (co = correlate_new(&cf, err, sizeof(err))) == NULL) {
		fprintf(stderr, "fuzz_webhook: %s\n", err);
		abort();
	}
	zone_fixed(&jst, 9 * 3600, "Asia/Tokyo");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wh_batch b;
	struct sbuf s = SBUF_INIT;
	json_error_t jerr;
	json_t *root;
	char err[512];
	size_t i;
	int rv;

	if (co == NULL)
		setup();
	/* As daemon/http_api.c reads a body. */
	root = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &jerr);
	if (root == NULL)
		return 0;
	err[0] = '\0';
#if FUZZ_WEBHOOK == 1
	rv = webhook_alertmanager(root, &b, err, sizeof(err));
#elif FUZZ_WEBHOOK == 2
	rv = webhook_grafana(root, &b, err, sizeof(err));
#else
	rv = webhook_zabbix(root, &jst, &b, err, sizeof(err));
#endif
	if (rv == 0) {
		for (i = 0; i < b.n; i++) {
			const struct config_rule *r = correlate_match(co,
			    b.a[i].labels);

			struct wh_row wr;

			if (webhook_row(&b.a[i], r, "fuzz", "監視業務部門",
			    &wr) == 0) {
				must_parse(wr.row.data, strlen(wr.row.data),
				    "the row's data");
				if (wr.row.open != NULL)
					must_parse(wr.row.open,
					    strlen(wr.row.open), "its open");
				if (wr.row.imp != NULL)
					must_parse(wr.row.imp,
					    strlen(wr.row.imp), "its impact");
			}
			wh_row_free(&wr);
		}
	} else {
		if (sbuf_add_json_string(&s, err, strlen(err)) == 0)
			must_parse(s.data, s.len, "the refusal");
	}
	sbuf_free(&s);
	wh_batch_free(&b);
	json_decref(root);
	return 0;
}
