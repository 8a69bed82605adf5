/* SPDX-License-Identifier: MIT */
/* sochi open TITLE: declares an incident and prints its code. */
#include <string.h>

#include "write.h"

static int	cmd_open_exec(struct cli *, int, char **);

const struct cmd_entry cmd_open_entry = {
	"open", "TITLE [--service S] [--category 1-5] ...",
	"declare an incident; prints its code", cmd_open_exec
};

static void
open_usage(FILE *fp)
{
	fprintf(fp, "usage: sochi open TITLE [--service S] [--category 1-5] "
	    "[--location L] [--equipment E] [--code C] [--at T]\n"
	    "Declares an incident and prints its code (2026-0001).  発生 is not\n"
	    "this time but the first impact's start (sochi impact start).\n"
	    "  --service S     the affected service, e.g. インターネット関連サービス（電子メール）\n"
	    "  --category N    the service category, 1 to 5, as numbered today:\n"
	    "                  1 緊急通報を取り扱う音声, 2 other voice, 3 LPWA,\n"
	    "                  4 free internet services, 5 everything else\n"
	    "  --location L    発生場所: facility and address of the equipment\n"
	    "  --equipment E   設備名: the equipment that caused it\n"
	    "  --code C        the carrier's own reference for it, instead of the\n"
	    "                  next YYYY-NNNN: letters, digits, . _ -, beginning\n"
	    "                  with a letter or digit\n"
	    "  --at T          when it was declared (default: now)\n"
	    "  --actor A       who declared it (default: [actors] or the login name)\n"
	    "  --key K         an idempotency key: sending it again changes nothing\n"
	    "  --json          print sochid's answer as it is\n");
}

static int
cmd_open_exec(struct cli *cli, int argc, char **argv)
{
	struct wargs w;
	struct sbuf title = SBUF_INIT;
	int64_t at, cat;
	json_t *ev;
	int rv;

	if ((rv = wargs_parse("open", argc, argv, (WO_COMMON & ~WO(W_INCIDENT)) |
	    WO(W_SERVICE) | WO(W_CATEGORY) | WO(W_LOCATION) | WO(W_EQUIPMENT) |
	    WO(W_CODE),
	    open_usage, &w)) != 0)
		return rv > 0 ? 0 : EXIT_TROUBLE;
	if (w.argc == 0) {
		fprintf(stderr, "sochi open: a TITLE is needed\n");
		open_usage(stderr);
		return EXIT_TROUBLE;
	}
	wargs_join(&w, 0, &title);
	if (cli_at(cli, w.v[W_AT], w.now, &at) == -1) {
		sbuf_free(&title);
		return EXIT_TROUBLE;
	}
	ev = cli_event(cli, &w, "incident", NULL, at);
	json_object_set_new(ev, "op", json_string("open"));
	json_object_set_new(ev, "title", json_string(title.data));
	sbuf_free(&title);
	if (w.v[W_SERVICE])
		json_object_set_new(ev, "service", json_string(w.v[W_SERVICE]));
	if (w.v[W_CATEGORY]) {
		if (wargs_count("open", "--category", w.v[W_CATEGORY], &cat) ==
		    -1 || cat < 1 || cat > 5) {
			if (cat < 1 || cat > 5)
				fprintf(stderr, "sochi open: --category: expected 1 "
				    "to 5, got \"%s\"\n", w.v[W_CATEGORY]);
			json_decref(ev);
			return EXIT_TROUBLE;
		}
		json_object_set_new(ev, "category", json_integer(cat));
	}
	if (w.v[W_CODE])
		json_object_set_new(ev, "code", json_string(w.v[W_CODE]));
	if (w.v[W_LOCATION])
		json_object_set_new(ev, "location", json_string(w.v[W_LOCATION]));
	if (w.v[W_EQUIPMENT])
		json_object_set_new(ev, "equipment",
		    json_string(w.v[W_EQUIPMENT]));
	w.print_code = 1;
	rv = cli_send_events(cli, &w, &ev, 1, NULL);
	json_decref(ev);
	return rv;
}
