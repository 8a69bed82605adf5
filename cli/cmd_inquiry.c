/* SPDX-License-Identifier: MIT */
/* sochi inquiry --channel C COUNT: users' inquiries so far, by channel or topic. */
#include "write.h"

static int	cmd_inquiry_exec(struct cli *, int, char **);

const struct cmd_entry cmd_inquiry_entry = {
	"inquiry", "--channel phone|mail|other COUNT [--topic T]",
	"inquiries received so far", cmd_inquiry_exec
};

static void
inquiry_usage(FILE *fp)
{
	fprintf(fp, "usage: sochi inquiry --channel phone|mail|other COUNT "
	    "[--topic T] [-i CODE] [--at T]\n"
	    "The inquiries received so far (a running total, as of --at).  The\n"
	    "latest count of each channel adds up to the report's total; with\n"
	    "--topic the count is for that topic (主な問い合わせ内容) and stands apart.\n"
	    "  --channel C  phone, mail or other\n"
	    "  --topic T    e.g. 障害復旧の見込みについて\n"
	    "  --at T       as of when (default: now)\n"
	    "  --actor A    who counted (default: [actors] or the login name)\n"
	    "  --key K      an idempotency key\n"
	    "  --json       print sochid's answer as it is\n");
}

static int
cmd_inquiry_exec(struct cli *cli, int argc, char **argv)
{
	struct wargs w;
	char code[80];
	int64_t at, count;
	json_t *ev;
	int rv;

	if ((rv = wargs_parse("inquiry", argc, argv, WO_COMMON | WO(W_CHANNEL) |
	    WO(W_TOPIC), inquiry_usage, &w)) != 0)
		return rv > 0 ? 0 : EXIT_TROUBLE;
	if (w.v[W_CHANNEL] == NULL || w.argc != 1) {
		fprintf(stderr, "sochi inquiry: --channel and one COUNT are "
		    "needed\n");
		inquiry_usage(stderr);
		return EXIT_TROUBLE;
	}
	if (wargs_count("inquiry", "COUNT", w.argv[0], &count) == -1)
		return EXIT_TROUBLE;
	if (cli_at(cli, w.v[W_AT], w.now, &at) == -1 ||
	    cli_write_incident(cli, &w, code, sizeof(code)) == -1)
		return EXIT_TROUBLE;
	ev = cli_event(cli, &w, "inquiry", code, at);
	json_object_set_new(ev, "channel", json_string(w.v[W_CHANNEL]));
	json_object_set_new(ev, "count", json_integer(count));
	if (w.v[W_TOPIC] != NULL)
		json_object_set_new(ev, "topic", json_string(w.v[W_TOPIC]));
	rv = cli_send_events(cli, &w, &ev, 1, NULL);
	json_decref(ev);
	return rv;
}
