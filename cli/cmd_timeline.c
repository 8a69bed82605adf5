/* SPDX-License-Identifier: MIT */
/*
 * sochi timeline [-i CODE] [--who] [--follow] [--format csv [--all]]: the
 * ＜詳細な措置模様＞ block, as in the report; with --who each entry says who
 * really sent it; with --follow it is drawn again whenever an event
 * arrives; as CSV it is a table for auditors.
 */
#include <getopt.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include "csv.h"
#include "sochi.h"
#include "timeline_text.h"
#include "wareki.h"

static int	cmd_timeline_exec(struct cli *, int, char **);

const struct cmd_entry cmd_timeline_entry = {
	"timeline", "[-i CODE] [--who] [--follow] [--format csv [--all]]",
	"the 詳細な措置模様 block; --who: who sent each entry; --follow "
	"redraws it", cmd_timeline_exec
};

static volatile sig_atomic_t stop;

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void
timeline_usage(FILE *fp)
{
	fprintf(fp, "usage: sochi timeline [-i CODE] [--who] [--follow] "
	    "[--interval SEC]\n"
	    "       sochi timeline [-i CODE] --format csv [--all]\n"
	    "Prints the ＜詳細な措置模様＞ block of an incident, as in its report.\n"
	    "  -i, --incident CODE  the incident (default: $SOCHI_INCIDENT, else the\n"
	    "                       only open incident)\n"
	    "      --who            under each entry, who sent it: its source (a\n"
	    "                       token's or webhook's name, local:UID) and, for\n"
	    "                       a local sender, recorded_by as a login name\n"
	    "      --follow         draw it again whenever an event arrives, until\n"
	    "                       interrupted\n"
	    "      --interval SEC   how often --follow looks (default 1)\n"
	    "  -f, --format F       text (default) or csv: one row per entry (RFC\n"
	    "                       4180, UTF-8 with a BOM, CRLF): time, phase,\n"
	    "                       heading, text, actor, source, recorded_by,\n"
	    "                       event_id, supersedes, superseded_by,\n"
	    "                       retracted_by, state, alert_fingerprint\n"
	    "      --all            with csv: the superseded and retracted entries\n"
	    "                       too, with their state, for audits\n");
}

/*
 * A uid's login name on this machine, or NULL.  The uid is what sochid
 * saw on the socket (SO_PEERCRED); the name is this machine's, looked up
 * when the block is drawn.
 */
static const char *
login_name(const char *uid, void *arg)
{
	struct passwd *pw;
	char *end;
	unsigned long u;

	(void)arg;
	u = strtoul(uid, &end, 10);
	if (*uid == '\0' || *end != '\0' || u > (uid_t)-1)
		return NULL;
	if ((pw = getpwuid((uid_t)u)) == NULL)
		return NULL;
	return pw->pw_name;
}

static int
draw(struct cli *cli, const char *code, int clear, int who, int64_t *seen)
{
	struct store_incident ci;
	struct timeline tl;
	struct sbuf b = SBUF_INIT;
	int64_t now;

	cli_now(NULL, &now);
	if (cli_load_incident(cli, code, &ci) == -1)
		return -1;
	if (ci.max_event == *seen && clear) {
		store_incident_free(&ci);
		return 0;
	}
	*seen = ci.max_event;
	if (cli_build(cli, &ci, now, &tl) == -1) {
		store_incident_free(&ci);
		return -1;
	}
	if (who)
		timeline_text_block_who(&tl, &cli->zone, login_name, NULL, &b);
	else
		timeline_text_block(&tl, &cli->zone, &b);
	if (clear)
		fputs("\033[H\033[2J", stdout);
	if (clear) {
		struct local_time lt;

		zone_local(&cli->zone, now, &lt);
		printf("%s  %s  (%02d:%02d:%02d)\n\n", ci.code, ci.inc.title,
		    lt.hour, lt.min, lt.sec);
	}
	if (b.len > 0)
		fwrite(b.data, 1, b.len, stdout);
	else
		printf("（まだ記録がありません）\n");
	fflush(stdout);
	sbuf_free(&b);
	timeline_free(&tl);
	store_incident_free(&ci);
	return 0;
}

/* The entries as CSV; with all, those no longer shown too. */
static int
csv(struct cli *cli, const char *code, int all)
{
	struct store_incident ci;
	struct timeline tl;
	struct tl_config tcf;
	struct sbuf b = SBUF_INIT;
	int64_t now;
	int rv;

	cli_now(NULL, &now);
	if (cli_load_incident(cli, code, &ci) == -1)
		return -1;
	if (cli_build(cli, &ci, now, &tl) == -1) {
		store_incident_free(&ci);
		return -1;
	}
	tcf.zone = &cli->zone;
	tcf.phases = &cli->cf.phases;
	tcf.alert_actor = cli->cf.report.alert_actor;
	if ((rv = csv_timeline(&tl, ci.evs, ci.n, &tcf, all, &b)) == 0)
		fwrite(b.data, 1, b.len, stdout);
	else
		fprintf(stderr, "sochi timeline: out of memory\n");
	sbuf_free(&b);
	timeline_free(&tl);
	store_incident_free(&ci);
	return rv;
}

static int
cmd_timeline_exec(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "incident", required_argument, NULL, 'i' },
		{ "who", no_argument, NULL, 'W' },
		{ "follow", no_argument, NULL, 'F' },
		{ "interval", required_argument, NULL, 'I' },
		{ "format", required_argument, NULL, 'f' },
		{ "all", no_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *incident = NULL, *format = "text";
	char code[80];
	int ch, follow = 0, interval = 1, all = 0, who = 0;
	int64_t seen = -1;

	while ((ch = getopt_long(argc, argv, "i:f:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'i': incident = optarg; break;
		case 'W': who = 1; break;
		case 'F': follow = 1; break;
		case 'f': format = optarg; break;
		case 'a': all = 1; break;
		case 'I':
			interval = atoi(optarg);
			if (interval < 1 || interval > 3600) {
				fprintf(stderr, "sochi timeline: --interval: "
				    "expected 1 to 3600 seconds, got \"%s\"\n",
				    optarg);
				return EXIT_TROUBLE;
			}
			break;
		case 'h': timeline_usage(stdout); return 0;
		default: timeline_usage(stderr); return EXIT_TROUBLE;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "sochi timeline: unexpected argument: %s\n",
		    argv[optind]);
		return EXIT_TROUBLE;
	}
	if (strcmp(format, "text") != 0 && strcmp(format, "csv") != 0) {
		fprintf(stderr, "sochi timeline: --format: expected text or csv, "
		    "got \"%s\"\n", format);
		return EXIT_TROUBLE;
	}
	if (all && strcmp(format, "csv") != 0) {
		fprintf(stderr, "sochi timeline: --all goes with --format csv (the "
		    "block shows the entries as they stand)\n");
		return EXIT_TROUBLE;
	}
	if (who && strcmp(format, "csv") == 0) {
		fprintf(stderr, "sochi timeline: --who goes with the block (the "
		    "CSV has its source and recorded_by columns)\n");
		return EXIT_TROUBLE;
	}
	if (follow && strcmp(format, "csv") == 0) {
		fprintf(stderr, "sochi timeline: --follow draws the block; it does "
		    "not go with --format csv\n");
		return EXIT_TROUBLE;
	}
	if (cli_pick_incident(cli, incident, code, sizeof(code)) == -1)
		return EXIT_TROUBLE;
	if (strcmp(format, "csv") == 0)
		return csv(cli, code, all) == -1 ? EXIT_TROUBLE : 0;
	if (!follow)
		return draw(cli, code, 0, who, &seen) == -1 ? EXIT_TROUBLE : 0;
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	while (!stop) {
		if (draw(cli, code, 1, who, &seen) == -1)
			return EXIT_TROUBLE;
		sleep((unsigned)interval);
	}
	return 0;
}
