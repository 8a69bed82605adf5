/* SPDX-License-Identifier: MIT */
/*
 * sochi log [TEXT]: records what was done.  With no TEXT, one action per
 * line of standard input, each line optionally starting with its time
 * (12:40 ストレージ機器Ａの再起動を開始), all sent on one connection.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "when.h"
#include "write.h"

static int	cmd_log_exec(struct cli *, int, char **);

const struct cmd_entry cmd_log_entry = {
	"log", "[TEXT] [--phase P] [--actor A] [--at T]",
	"record an action (no TEXT: one per input line)", cmd_log_exec
};

static void
log_usage(FILE *fp)
{
	fprintf(fp, "usage: sochi log [TEXT] [-i CODE] [--phase P] [--actor A] "
	    "[--at T] [--heading H]\n"
	    "Records an action of the timeline (措置模様).  With no TEXT, reads one\n"
	    "action per line of standard input; a line may begin with its own time\n"
	    "in any absolute --at form (\"12:40 再起動を開始\", \"11/26 00:10 …\"),\n"
	    "else it takes --at.  Every line is sent on one connection and its\n"
	    "result printed (\"line 3: recorded event 125 in 2026-0001\").  A line\n"
	    "whose time is not a valid one stops the paste: nothing is sent.\n"
	    "  -i, --incident CODE  the incident (default: $SOCHI_INCIDENT, else the\n"
	    "                       only open incident)\n"
	    "  --phase P            work, detect, identify, recover, notify, followup\n"
	    "                       (as configured; `sochi phases` lists them)\n"
	    "  --heading H          this phase's heading for the incident, e.g.\n"
	    "                       機器追加作業\n"
	    "  --actor A            who acted (default: [actors] or the login name;\n"
	    "                       --actor '' records none)\n"
	    "  --at T               when: %s\n"
	    "                       (default: now)\n"
	    "  --key K              an idempotency key (TEXT only)\n"
	    "  --json               print sochid's answers as they are\n"
	    "Exit status 0 only when every action was recorded.\n", WHEN_FORMS);
}

static json_t *
action(struct cli *cli, const struct wargs *w, const char *code, int64_t at,
    const char *text)
{
	json_t *ev = cli_event(cli, w, "action", code, at);

	json_object_set_new(ev, "text", json_string(text));
	if (w->v[W_PHASE] != NULL)
		json_object_set_new(ev, "phase", json_string(w->v[W_PHASE]));
	if (w->v[W_HEADING] != NULL)
		json_object_set_new(ev, "heading", json_string(w->v[W_HEADING]));
	return ev;
}

static int
log_lines(struct cli *cli, struct wargs *w, const char *code, int64_t at)
{
	char *line = NULL, **labels = NULL, err[512];
	json_t **evs = NULL;
	size_t cap = 0, n = 0, no = 0, i;
	ssize_t len;
	int rv = 0, bad = 0;

	if (w->v[W_KEY] != NULL) {
		fprintf(stderr, "sochi log: --key goes with one TEXT, not with "
		    "lines from standard input\n");
		return EXIT_TROUBLE;
	}
	if (cli_load_zone(cli) == -1)
		return EXIT_TROUBLE;
	while ((len = getline(&line, &cap, stdin)) != -1) {
		int64_t t = at;
		int skip;
		json_t **ne;
		char **nl;

		no++;
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (strspn(line, " \t") == (size_t)len)
			continue;
		skip = when_prefix(line, &cli->zone, w->now, &t, err,
		    sizeof(err));
		if (skip == -1) {
			fprintf(stderr, "line %zu: %s\n", no, err);
			bad = 1;
			continue;
		}
		if (line[skip] == '\0') {
			fprintf(stderr, "line %zu: a time but no text\n", no);
			bad = 1;
			continue;
		}
		ne = realloc(evs, (n + 1) * sizeof(*evs));
		nl = realloc(labels, (n + 1) * sizeof(*labels));
		if (ne == NULL || nl == NULL) {
			free(ne != NULL ? ne : evs);
			free(nl != NULL ? nl : labels);
			free(line);
			return EXIT_TROUBLE;
		}
		evs = ne;
		labels = nl;
		evs[n] = action(cli, w, code, t, line + skip);
		if (asprintf(&labels[n], "line %zu", no) == -1)
			labels[n] = NULL;
		n++;
	}
	free(line);
	if (bad) {
		/* Nothing is sent when a line's time is wrong: fix and resend all. */
		fprintf(stderr, "sochi log: nothing sent; correct the lines above "
		    "and send them again\n");
		rv = EXIT_TROUBLE;
	} else if (n == 0) {
		fprintf(stderr, "sochi log: no TEXT and nothing on standard "
		    "input\n");
		rv = EXIT_TROUBLE;
	} else
		rv = cli_send_events(cli, w, evs, n,
		    (const char *const *)labels);
	for (i = 0; i < n; i++) {
		json_decref(evs[i]);
		free(labels[i]);
	}
	free(evs);
	free(labels);
	return rv;
}

static int
cmd_log_exec(struct cli *cli, int argc, char **argv)
{
	struct wargs w;
	struct sbuf text = SBUF_INIT;
	char code[80];
	int64_t at;
	json_t *ev;
	int rv;

	if ((rv = wargs_parse("log", argc, argv, WO_COMMON | WO(W_PHASE) |
	    WO(W_HEADING), log_usage, &w)) != 0)
		return rv > 0 ? 0 : EXIT_TROUBLE;
	if (cli_at(cli, w.v[W_AT], w.now, &at) == -1 ||
	    cli_write_incident(cli, &w, code, sizeof(code)) == -1)
		return EXIT_TROUBLE;
	if (w.argc == 0)
		return log_lines(cli, &w, code, at);
	wargs_join(&w, 0, &text);
	ev = action(cli, &w, code, at, text.data);
	sbuf_free(&text);
	rv = cli_send_events(cli, &w, &ev, 1, NULL);
	json_decref(ev);
	return rv;
}
