/* SPDX-License-Identifier: MIT */
/* sochi users COUNT: a sample of the affected-user count. */
#include "write.h"

static int	cmd_users_exec(struct cli *, int, char **);

const struct cmd_entry cmd_users_entry = {
	"users", "COUNT [--impact NAME] [--total N] [--basis B] [--region R]",
	"how many users are affected now", cmd_users_exec
};

static void
users_usage(FILE *fp)
{
	fprintf(fp, "usage: sochi users COUNT [--impact NAME] [--total N] "
	    "[--basis B] [--region R] [-i CODE] [--at T]\n"
	    "A sample of the affected-user count; the report states the largest\n"
	    "and draws them all in 「影響利用者数の推移」.  Each impact is classified\n"
	    "with the samples that name it; without --impact a sample counts for\n"
	    "the incident as a whole (and sochi check warns when several impacts\n"
	    "share it).\n"
	    "  --impact NAME  the impact whose users these are\n"
	    "  --total N    総契約数, the users of the service\n"
	    "  --basis B    how they are counted, e.g. 契約数ベース\n"
	    "  --region R   the region affected, e.g. 全国\n"
	    "  --at T       when the count held (default: now)\n"
	    "  --actor A    who counted (default: [actors] or the login name)\n"
	    "  --key K      an idempotency key\n"
	    "  --json       print sochid's answer as it is\n");
}

static int
cmd_users_exec(struct cli *cli, int argc, char **argv)
{
	struct wargs w;
	char code[80];
	int64_t at, count, total;
	json_t *ev;
	int rv;

	if ((rv = wargs_parse("users", argc, argv, WO_COMMON | WO(W_TOTAL) |
	    WO(W_BASIS) | WO(W_REGION) | WO(W_IMPACT), users_usage, &w)) != 0)
		return rv > 0 ? 0 : EXIT_TROUBLE;
	if (w.argc != 1) {
		fprintf(stderr, "sochi users: expected one COUNT\n");
		users_usage(stderr);
		return EXIT_TROUBLE;
	}
	if (wargs_count("users", "COUNT", w.argv[0], &count) == -1 ||
	    (w.v[W_TOTAL] != NULL && wargs_count("users", "--total",
	    w.v[W_TOTAL], &total) == -1))
		return EXIT_TROUBLE;
	if (cli_at(cli, w.v[W_AT], w.now, &at) == -1 ||
	    cli_write_incident(cli, &w, code, sizeof(code)) == -1)
		return EXIT_TROUBLE;
	ev = cli_event(cli, &w, "users", code, at);
	json_object_set_new(ev, "count", json_integer(count));
	if (w.v[W_TOTAL] != NULL)
		json_object_set_new(ev, "total", json_integer(total));
	if (w.v[W_BASIS] != NULL)
		json_object_set_new(ev, "basis", json_string(w.v[W_BASIS]));
	if (w.v[W_REGION] != NULL)
		json_object_set_new(ev, "region", json_string(w.v[W_REGION]));
	if (w.v[W_IMPACT] != NULL)
		json_object_set_new(ev, "impact", json_string(w.v[W_IMPACT]));
	rv = cli_send_events(cli, &w, &ev, 1, NULL);
	json_decref(ev);
	return rv;
}
