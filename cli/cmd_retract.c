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
	    "  -i CODE      the incident (default: the event's own)\n"
	    "  --json       print sochid's answer as it is\n");
}

/* The code of the incident an event belongs to. */
int	cli_event_incident(struct cli *, int64_t, char *, size_t);

int
cli_event_incident(struct cli *cli, int64_t id, char *code, size_t len)
{
	char err[512], idbuf[32];
	const char *p[1] = { idbuf };
	PGresult *res;

	if (cli_db(cli) == -1)
		return -1;
	snprintf(idbuf, sizeof(idbuf), "%lld", (long long)id);
	res = pgsync_exec(cli->conn, "select i.code from event e left join "
	    "incident i on i.id = e.incident_id where e.id = $1", 1, p, err,
	    sizeof(err));
	if (res == NULL) {
		fprintf(stderr, "sochi: cannot read event %lld: %s\n",
		    (long long)id, err);
		return -1;
	}
	if (PQntuples(res) == 0 || PQgetisnull(res, 0, 0)) {
		fprintf(stderr, "sochi: no event %lld in any incident\n",
		    (long long)id);
		PQclear(res);
		return -1;
	}
	snprintf(code, len, "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	return 0;
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
	if (w.v[W_INCIDENT] != NULL)
		snprintf(code, sizeof(code), "%s", w.v[W_INCIDENT]);
	else if (cli_event_incident(cli, id, code, sizeof(code)) == -1)
		return EXIT_TROUBLE;
	ev = cli_event(cli, &w, "retract", code, at);
	json_object_set_new(ev, "target", json_integer(id));
	json_object_set_new(ev, "text", json_string(w.v[W_WHY]));
	rv = cli_send_events(cli, &w, &ev, 1, NULL);
	json_decref(ev);
	return rv;
}
