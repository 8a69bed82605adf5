/* SPDX-License-Identifier: MIT */
/*
 * sochi filed [-i CODE] --at DATE: the 詳報 was filed with the ministry.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rfc3339.h"
#include "write.h"

static int	cmd_filed_exec(struct cli *, int, char **);

const struct cmd_entry cmd_filed_entry = { "filed", "[-i CODE] --at DATE",
    "the 詳報 was filed with the ministry on DATE", cmd_filed_exec };

static void
filed_usage(FILE *fp)
{
	fprintf(fp, "usage: sochi filed [-i CODE] --at DATE\n"
	    "Records that the 詳報 was filed on DATE (YYYY-MM-DD, today or before,\n"
	    "in the carrier's zone); sochi due and sochid's reminders then leave\n"
	    "the incident alone.\n");
}

static int
cmd_filed_exec(struct cli *cli, int argc, char **argv)
{
	struct wargs w;
	struct sochi_time t;
	char code[80], buf[40], today[16];
	struct local_time lt;
	json_t *ev;
	int rv;

	if ((rv = wargs_parse("filed", argc, argv, WO(W_INCIDENT) | WO(W_AT) |
	    WO(W_JSON), filed_usage, &w)) != 0)
		return rv > 0 ? 0 : EXIT_TROUBLE;
	snprintf(buf, sizeof(buf), "%sT00:00:00Z", w.v[W_AT] ? w.v[W_AT] : "");
	if (w.v[W_AT] == NULL || strlen(w.v[W_AT]) != 10 ||
	    rfc3339_parse(buf, &t) == -1) {
		fprintf(stderr, "sochi filed: --at: expected the day it was filed, "
		    "YYYY-MM-DD\n");
		return EXIT_TROUBLE;
	}
	/* A filing is a fact: not one that has not happened yet. */
	if (cli_load_zone(cli) == -1)
		return EXIT_TROUBLE;
	zone_local(&cli->zone, w.now, &lt);
	snprintf(today, sizeof(today), "%04d-%02d-%02d", lt.year, lt.month,
	    lt.day);
	if (strcmp(w.v[W_AT], today) > 0) {
		fprintf(stderr, "sochi filed: --at: %s is in the future (today is "
		    "%s in %s)\n", w.v[W_AT], today, cli->cf.timezone);
		return EXIT_TROUBLE;
	}
	if (cli_write_incident(cli, &w, code, sizeof(code)) == -1)
		return EXIT_TROUBLE;
	ev = cli_event(cli, &w, "incident", code, w.now);
	json_object_set_new(ev, "op", json_string("update"));
	json_object_set_new(ev, "filed", json_string(w.v[W_AT]));
	rv = cli_send_events(cli, &w, &ev, 1, NULL);
	json_decref(ev);
	return rv;
}
