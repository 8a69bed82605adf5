/* SPDX-License-Identifier: MIT */
/*
 * sochi note SECTION [TEXT | -]: the text a person writes for a section of
 * the report; sochi note --list shows the sections.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "sections.h"
#include "write.h"

static int	cmd_note_exec(struct cli *, int, char **);

const struct cmd_entry cmd_note_entry = {
	"note", "SECTION [TEXT | -] | --list",
	"text for a section of the report", cmd_note_exec
};

static void
note_usage(FILE *fp)
{
	fprintf(fp, "usage: sochi note SECTION [TEXT | -] [--stage 設計|工事|維持・運用] "
	    "[--due DATE] [--done DATE] [-i CODE]\n"
	    "       sochi note --list\n"
	    "Writes the text of a report section; with - it is read from standard\n"
	    "input.  The latest note of a section is the one shown, but in the\n"
	    "cause and measure sections each note is one more item.\n"
	    "  --list        show the sections and what each is for\n"
	    "  --stage S     for cause.*: the stage it belongs to (設計, 工事, 維持・運用)\n"
	    "  --due DATE    for measure.*: when it will be done (YYYY-MM-DD)\n"
	    "  --done DATE   for measure.*: when it was done (YYYY-MM-DD)\n"
	    "  --at T        when it was written (default: now)\n"
	    "  --actor A     who wrote it (default: [actors] or the login name)\n"
	    "  --key K       an idempotency key\n"
	    "  --json        print sochid's answer as it is\n");
}

static int
cmd_note_exec(struct cli *cli, int argc, char **argv)
{
	const struct section *sec;
	struct wargs w;
	struct sbuf text = SBUF_INIT;
	char code[80], chunk[4096];
	int64_t at;
	json_t *ev;
	size_t n;
	int rv;

	if ((rv = wargs_parse("note", argc, argv, WO_COMMON | WO(W_STAGE) |
	    WO(W_DUE) | WO(W_DONE) | WO(W_LIST), note_usage, &w)) != 0)
		return rv > 0 ? 0 : EXIT_TROUBLE;
	if (w.list) {
		for (sec = sections; sec->id != NULL; sec++)
			printf("%-18s %s\n%-18s   %s%s\n", sec->id, sec->label, "",
			    sec->purpose, sec->use == SECTION_CAUSE ?
			    " (--stage)" : sec->use == SECTION_MEASURE ?
			    " (--due, --done)" : "");
		return 0;
	}
	if (w.argc < 1) {
		fprintf(stderr, "sochi note: a SECTION is needed (sochi note "
		    "--list shows them)\n");
		return EXIT_TROUBLE;
	}
	if ((sec = section_find(w.argv[0])) == NULL) {
		fprintf(stderr, "sochi note: unknown section \"%s\" (sochi note "
		    "--list shows them)\n", w.argv[0]);
		return EXIT_TROUBLE;
	}
	if (w.argc == 2 && strcmp(w.argv[1], "-") == 0) {
		while ((n = fread(chunk, 1, sizeof(chunk), stdin)) > 0)
			sbuf_add(&text, chunk, n);
		while (text.len > 0 && (text.data[text.len - 1] == '\n' ||
		    text.data[text.len - 1] == '\r'))
			sbuf_truncate(&text, text.len - 1);
	} else
		wargs_join(&w, 1, &text);
	if (text.len == 0) {
		fprintf(stderr, "sochi note: no TEXT (give it, or - to read "
		    "standard input)\n");
		sbuf_free(&text);
		return EXIT_TROUBLE;
	}
	if (cli_at(cli, w.v[W_AT], w.now, &at) == -1 ||
	    cli_write_incident(cli, &w, code, sizeof(code)) == -1) {
		sbuf_free(&text);
		return EXIT_TROUBLE;
	}
	ev = cli_event(cli, &w, "note", code, at);
	json_object_set_new(ev, "section", json_string(sec->id));
	json_object_set_new(ev, "text", json_string(text.data));
	sbuf_free(&text);
	if (w.v[W_STAGE] != NULL)
		json_object_set_new(ev, "stage", json_string(w.v[W_STAGE]));
	if (w.v[W_DUE] != NULL)
		json_object_set_new(ev, "due", json_string(w.v[W_DUE]));
	if (w.v[W_DONE] != NULL)
		json_object_set_new(ev, "done", json_string(w.v[W_DONE]));
	rv = cli_send_events(cli, &w, &ev, 1, NULL);
	json_decref(ev);
	return rv;
}
