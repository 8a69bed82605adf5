/* SPDX-License-Identifier: MIT */
/* sochi retract EVENT_ID --why TEXT: removes an event from the timeline. */
#include <stdlib.h>

#include "pgsync.h"
#include "write.h"

static int	cmd_retract_exec(struct cli *, int, char **);

const struct cmd_entry cmd_retract_entry = {
	"retract", "EVENT_ID --why TEXT",
	"remove an event from the timeline (kept in the log)", cmd_retract_exec
};

static void
retract_usage(FILE *fp)
{
	fprintf(fp, "usage: sochi retract EVENT_ID --why TEXT [-i CODE]\n"
	    "Removes an event from the timeline and the report; the log keeps it\n"
	    "and the reason.  Retracting a correction brings back what it\n"
	    "corrected.  An event can be retracted once.\n"
	    "  --why TEXT   the reason, e.g. 誤入力\n"
	    "  -i CODE      the incident the event must belong to (default:\n"
	    "               $SOCHI_INCIDENT, else the event's own); an event of\n"
	    "               another incident is refused\n"
	    "  --json       print sochid's answer as it is\n");
}

static int
cmd_retract_exec(struct cli *cli, int argc, char **argv)
{
	struct wargs w;
	char code[80];
	int64_t id, at;
	json_t *ev;
	int rv;

	if ((rv = wargs_parse("retract", argc, argv, WO_COMMON | WO(W_WHY),
	    retract_usage, &w)) != 0)
		return rv > 0 ? 0 : EXIT_TROUBLE;
	if (w.argc != 1 || w.v[W_WHY] == NULL) {
		fprintf(stderr, "sochi retract: EVENT_ID and --why are needed\n");
		retract_usage(stderr);
		return EXIT_TROUBLE;
	}
	if (wargs_count("retract", "EVENT_ID", w.argv[0], &id) == -1 ||
	    cli_at(cli, w.v[W_AT], w.now, &at) == -1)
		return EXIT_TROUBLE;
	if (cli_event_target(cli, &w, "retract", id, code, sizeof(code)) == -1)
		return EXIT_TROUBLE;
	ev = cli_event(cli, &w, "retract", code, at);
	json_object_set_new(ev, "target", json_integer(id));
	json_object_set_new(ev, "text", json_string(w.v[W_WHY]));
	rv = cli_send_events(cli, &w, &ev, 1, NULL);
	json_decref(ev);
	return rv;
}
