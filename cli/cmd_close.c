/* SPDX-License-Identifier: MIT */
/* sochi close: closes the incident in sochi. */
#include "write.h"

static int	cmd_close_exec(struct cli *, int, char **);

const struct cmd_entry cmd_close_entry = {
	"close", "[-i CODE] [--at T]", "close the incident", cmd_close_exec
};

static void
close_usage(FILE *fp)
{
	fprintf(fp, "usage: sochi close [-i CODE] [--at T]\n"
	    "Closes the incident: it is no longer the default of other commands.\n"
	    "Its events, timeline and report stay as they are.\n"
	    "  -i, --incident CODE  the incident (default: $SOCHI_INCIDENT, else the\n"
	    "                       only open incident)\n"
	    "  --at T               when (default: now)\n"
	    "  --json               print sochid's answer as it is\n");
}

static int
cmd_close_exec(struct cli *cli, int argc, char **argv)
{
	struct wargs w;
	char code[80];
	int64_t at;
	json_t *ev;
	int rv;

	if ((rv = wargs_parse("close", argc, argv, WO_COMMON, close_usage,
	    &w)) != 0)
		return rv > 0 ? 0 : EXIT_TROUBLE;
	if (w.argc != 0) {
		fprintf(stderr, "sochi close: unexpected argument: %s\n",
		    w.argv[0]);
		return EXIT_TROUBLE;
	}
	if (cli_at(cli, w.v[W_AT], w.now, &at) == -1 ||
	    cli_write_incident(cli, &w, code, sizeof(code)) == -1)
		return EXIT_TROUBLE;
	ev = cli_event(cli, &w, "incident", code, at);
	json_object_set_new(ev, "op", json_string("close"));
	rv = cli_send_events(cli, &w, &ev, 1, NULL);
	json_decref(ev);
	return rv;
}
