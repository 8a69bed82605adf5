/*
 * sochi impact start NAME LABEL, sochi impact recover NAME: a service
 * function stopped or degraded (①②… of the report), and its recovery.
 */
#include <string.h>

#include "write.h"

static int	cmd_impact_exec(struct cli *, int, char **);

const struct cmd_entry cmd_impact_entry = {
	"impact", "start NAME LABEL | recover NAME",
	"an affected service function starts or recovers", cmd_impact_exec
};

static void
impact_usage(FILE *fp)
{
	fprintf(fp, "usage: sochi impact start NAME LABEL [--users N] [-i CODE] "
	    "[--at T]\n"
	    "       sochi impact recover NAME [-i CODE] [--at T]\n"
	    "An affected service function: one ①②… entry of the report, whose\n"
	    "継続時間 runs from its start to its recovery.  The earliest start is\n"
	    "発生.\n"
	    "  NAME          a short id, e.g. mail-send\n"
	    "  LABEL         what users could not do, e.g. 電子メールの送受信ができない\n"
	    "  --users N     users affected when it started\n"
	    "  --at T        when (default: now)\n"
	    "  --actor A     who recorded it (default: [actors] or the login name)\n"
	    "  --key K       an idempotency key\n"
	    "  --json        print sochid's answer as it is\n");
}

static int
cmd_impact_exec(struct cli *cli, int argc, char **argv)
{
	struct wargs w;
	char code[80];
	int64_t at, users;
	json_t *ev;
	int rv, start;

	if ((rv = wargs_parse("impact", argc, argv, WO_COMMON | WO(W_USERS),
	    impact_usage, &w)) != 0)
		return rv > 0 ? 0 : EXIT_TROUBLE;
	if (w.argc < 1 || (strcmp(w.argv[0], "start") != 0 &&
	    strcmp(w.argv[0], "recover") != 0)) {
		fprintf(stderr, "sochi impact: expected start or recover\n");
		impact_usage(stderr);
		return EXIT_TROUBLE;
	}
	start = strcmp(w.argv[0], "start") == 0;
	if (w.argc != (start ? 3 : 2)) {
		fprintf(stderr, "sochi impact %s: expected %s\n", w.argv[0],
		    start ? "NAME LABEL" : "NAME");
		return EXIT_TROUBLE;
	}
	if (!start && w.v[W_USERS] != NULL) {
		fprintf(stderr, "sochi impact recover: --users goes with start\n");
		return EXIT_TROUBLE;
	}
	if (w.v[W_USERS] != NULL && wargs_count("impact", "--users",
	    w.v[W_USERS], &users) == -1)
		return EXIT_TROUBLE;
	if (cli_at(cli, w.v[W_AT], w.now, &at) == -1 ||
	    cli_write_incident(cli, &w, code, sizeof(code)) == -1)
		return EXIT_TROUBLE;
	ev = cli_event(cli, &w, "impact", code, at);
	json_object_set_new(ev, "op", json_string(w.argv[0]));
	json_object_set_new(ev, "name", json_string(w.argv[1]));
	if (start)
		json_object_set_new(ev, "label", json_string(w.argv[2]));
	if (w.v[W_USERS] != NULL)
		json_object_set_new(ev, "users", json_integer(users));
	rv = cli_send_events(cli, &w, &ev, 1, NULL);
	json_decref(ev);
	return rv;
}
