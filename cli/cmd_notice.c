/* SPDX-License-Identifier: MIT */
/* sochi notice --channel C TEXT: a posting to users (第N報). */
#include "write.h"

static int	cmd_notice_exec(struct cli *, int, char **);

const struct cmd_entry cmd_notice_entry = {
	"notice", "--channel web|press|sns|other TEXT",
	"a posting to users (第N報)", cmd_notice_exec
};

static void
notice_usage(FILE *fp)
{
	fprintf(fp, "usage: sochi notice --channel web|press|sns|other TEXT "
	    "[-i CODE] [--at T]\n"
	    "A posting to users: on the website (numbered 第1報, 第2報, … in time\n"
	    "order), a press release, SNS or other.  TEXT says what it told, e.g.\n"
	    "障害が発生した旨を周知.\n"
	    "  --channel C  web, press, sns or other\n"
	    "  --at T       when it was posted (default: now)\n"
	    "  --actor A    who posted it (default: [actors] or the login name)\n"
	    "  --key K      an idempotency key\n"
	    "  --json       print sochid's answer as it is\n");
}

static int
cmd_notice_exec(struct cli *cli, int argc, char **argv)
{
	struct wargs w;
	struct sbuf text = SBUF_INIT;
	char code[80];
	int64_t at;
	json_t *ev;
	int rv;

	if ((rv = wargs_parse("notice", argc, argv, WO_COMMON | WO(W_CHANNEL),
	    notice_usage, &w)) != 0)
		return rv > 0 ? 0 : EXIT_TROUBLE;
	if (w.v[W_CHANNEL] == NULL || w.argc == 0) {
		fprintf(stderr, "sochi notice: --channel and TEXT are needed\n");
		notice_usage(stderr);
		return EXIT_TROUBLE;
	}
	if (cli_at(cli, w.v[W_AT], w.now, &at) == -1 ||
	    cli_write_incident(cli, &w, code, sizeof(code)) == -1)
		return EXIT_TROUBLE;
	wargs_join(&w, 0, &text);
	ev = cli_event(cli, &w, "notice", code, at);
	json_object_set_new(ev, "channel", json_string(w.v[W_CHANNEL]));
	json_object_set_new(ev, "text", json_string(text.data));
	sbuf_free(&text);
	rv = cli_send_events(cli, &w, &ev, 1, NULL);
	json_decref(ev);
	return rv;
}
