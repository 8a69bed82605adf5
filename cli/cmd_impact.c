/* SPDX-License-Identifier: MIT */
/*
 * sochi impact start NAME LABEL, sochi impact recover NAME: a service
 * function stopped or degraded (①②… of the report), and its recovery.
 */
#include <string.h>

#include "write.h"

static int	cmd_impact_exec(struct cli *, int, char **);

const struct cmd_entry cmd_impact_entry = {
	"impact", "start NAME LABEL | recover NAME [--force]",
	"an affected service function starts or recovers", cmd_impact_exec
};

static void
impact_usage(FILE *fp)
{
	fprintf(fp, "usage: sochi impact start NAME LABEL [--users N] "
	    "[--category N] [-i CODE] [--at T]\n"
	    "       sochi impact recover NAME [--force] [-i CODE] [--at T]\n"
	    "An affected service function: one ①②… entry of the report, whose\n"
	    "継続時間 runs from its start to its recovery.  The earliest start is\n"
	    "発生.\n"
	    "  NAME          a short id, e.g. mail-send\n"
	    "  LABEL         what users could not do, e.g. 電子メールの送受信ができない\n"
	    "  --users N     users affected by this impact (sochi users --impact\n"
	    "                NAME adds later counts)\n"
	    "  --category N  its own row of the table when it differs from the\n"
	    "                incident's: 1-5 as for sochi open, 6 a free e-mail or\n"
	    "                messaging service of 10 million monthly users\n"
	    "  --force       record a recovery although no impact of that name is\n"
	    "                running (back-filling one whose start comes later)\n"
	    "  --at T        when (default: now)\n"
	    "  --actor A     who recorded it (default: [actors] or the login name)\n"
	    "  --key K       an idempotency key\n"
	    "  --json        print sochid's answer as it is\n");
}

/*
 * A recovery must close something: an impact of that name running at its
 * time.  Otherwise it is refused, naming those that are running.
 */
static int
running(struct cli *cli, const char *code, const char *name, int64_t at)
{
	struct store_incident ci;
	struct timeline tl;
	struct sbuf list = SBUF_INIT;
	size_t i;
	int found = 0, later = 0;

	if (cli_load_incident(cli, code, &ci) == -1)
		return -1;
	if (cli_build(cli, &ci, at, &tl) == -1) {
		store_incident_free(&ci);
		return -1;
	}
	for (i = 0; i < tl.nimpacts; i++) {
		const struct tl_impact *im = &tl.impacts[i];

		if (im->no == 0 || im->recover_id != 0)
			continue;
		if (strcmp(im->name, name) == 0) {
			if (im->start <= at)
				found = 1;
			else
				later = 1;
		}
		sbuf_printf(&list, "%s%s", list.len ? ", " : "", im->name);
	}
	if (!found)
		fprintf(stderr, "sochi impact recover: no impact named %s is "
		    "running%s in %s (running: %s); nothing sent.  --force records "
		    "the recovery anyway, e.g. before its start is recorded\n",
		    name, later ? " at that time (it starts later)" : "", code,
		    list.len ? list.data : "none");
	sbuf_free(&list);
	timeline_free(&tl);
	store_incident_free(&ci);
	return found ? 0 : -1;
}

static int
cmd_impact_exec(struct cli *cli, int argc, char **argv)
{
	struct wargs w;
	char code[80];
	int64_t at, users, cat = 1;
	json_t *ev;
	int rv, start;

	if ((rv = wargs_parse("impact", argc, argv, WO_COMMON | WO(W_USERS) |
	    WO(W_CATEGORY) | WO(W_FORCE), impact_usage, &w)) != 0)
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
	if (!start && (w.v[W_USERS] != NULL || w.v[W_CATEGORY] != NULL)) {
		fprintf(stderr, "sochi impact recover: --users and --category go "
		    "with start\n");
		return EXIT_TROUBLE;
	}
	if (start && w.force) {
		fprintf(stderr, "sochi impact start: --force goes with recover\n");
		return EXIT_TROUBLE;
	}
	if (w.v[W_CATEGORY] != NULL && (wargs_count("impact", "--category",
	    w.v[W_CATEGORY], &cat) == -1 || cat < 1 || cat > 6)) {
		if (cat < 1 || cat > 6)
			fprintf(stderr, "sochi impact: --category: expected 1 to 6, "
			    "got \"%s\"\n", w.v[W_CATEGORY]);
		return EXIT_TROUBLE;
	}
	if (w.v[W_USERS] != NULL && wargs_count("impact", "--users",
	    w.v[W_USERS], &users) == -1)
		return EXIT_TROUBLE;
	if (cli_at(cli, w.v[W_AT], w.now, &at) == -1 ||
	    cli_write_incident(cli, &w, code, sizeof(code)) == -1)
		return EXIT_TROUBLE;
	if (!start && !w.force && running(cli, code, w.argv[1], at) == -1)
		return EXIT_TROUBLE;
	ev = cli_event(cli, &w, "impact", code, at);
	json_object_set_new(ev, "op", json_string(w.argv[0]));
	json_object_set_new(ev, "name", json_string(w.argv[1]));
	if (start)
		json_object_set_new(ev, "label", json_string(w.argv[2]));
	if (w.v[W_USERS] != NULL)
		json_object_set_new(ev, "users", json_integer(users));
	if (w.v[W_CATEGORY] != NULL)
		json_object_set_new(ev, "category", json_integer(cat));
	rv = cli_send_events(cli, &w, &ev, 1, NULL);
	json_decref(ev);
	return rv;
}
