/* SPDX-License-Identifier: MIT */
/*
 * sochi: the on-call engineer's command line.
 */
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conffile.h"
#include "sochi.h"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "0"
#endif

static const struct cmd_entry *const cmds[] = {
	&cmd_open_entry,
	&cmd_log_entry,
	&cmd_impact_entry,
	&cmd_users_entry,
	&cmd_notice_entry,
	&cmd_inquiry_entry,
	&cmd_note_entry,
	&cmd_amend_entry,
	&cmd_retract_entry,
	&cmd_close_entry,
	&cmd_alerts_entry,
	&cmd_attach_entry,
	&cmd_list_entry,
	&cmd_timeline_entry,
	&cmd_report_entry,
	&cmd_check_entry,
	&cmd_related_entry,
	&cmd_drafts_entry,
	&cmd_draft_entry,
	&cmd_diff_entry,
	&cmd_due_entry,
	&cmd_filed_entry,
	&cmd_send_entry,
	&cmd_phases_entry,
	NULL
};

static void
usage(FILE *fp)
{
	const struct cmd_entry *const *c;

	fprintf(fp, "usage: sochi [-V] [-c file] [--socket path] [--db conninfo] "
	    "command [args]\n"
	    "  -c, --config FILE  read FILE (default: $SOCHI_CONFIG, else "
	    SOCHI_DEFAULT_CONFIG ")\n"
	    "  --socket PATH      sochid's socket (default: $SOCHI_SOCKET, "
	    "else the config's)\n"
	    "  --db CONNINFO      the database for reading (default: the "
	    "config's, else PG*)\n"
	    "  -V, --version      print the version and exit\n"
	    "  -h, --help         print this help and exit\n\ncommands:\n");
	for (c = cmds; *c != NULL; c++)
		fprintf(fp, "  %-8s %s\n           %s\n", (*c)->name, (*c)->usage,
		    (*c)->summary);
	fprintf(fp, "\n`sochi COMMAND --help` describes one command.\n");
}

int
cli_connect(const struct cli *cli)
{
	struct sockaddr_un sun;
	int fd;

	if (strlen(cli->socket) >= sizeof(sun.sun_path)) {
		fprintf(stderr, "sochi: socket path too long: %s\n", cli->socket);
		return -1;
	}
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	strcpy(sun.sun_path, cli->socket);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1) {
		fprintf(stderr, "sochi: socket: %s\n", strerror(errno));
		return -1;
	}
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		fprintf(stderr, "sochi: cannot reach sochid at %s: %s (is sochid "
		    "running? set SOCHI_SOCKET or --socket)\n", cli->socket,
		    strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "socket", required_argument, NULL, 's' },
		{ "db", required_argument, NULL, 'D' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const struct cmd_entry *const *c;
	struct cli cli;
	const char *file = NULL, *sock = NULL, *env;
	char err[1024];
	int ch, rv;

	memset(&cli, 0, sizeof(cli));
	while ((ch = getopt_long(argc, argv, "+c:Vh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c': file = optarg; break;
		case 's': sock = optarg; break;
		case 'D': cli.db = optarg; break;
		case 'V':
			printf("sochi %s\n", PACKAGE_VERSION);
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0) {
		usage(stderr);
		return 2;
	}
	for (c = cmds; *c != NULL; c++)
		if (strcmp((*c)->name, argv[0]) == 0)
			break;
	if (*c == NULL) {
		fprintf(stderr, "sochi: unknown command: %s\n", argv[0]);
		usage(stderr);
		return 2;
	}

	/* The config is optional for the CLI: its defaults suffice. */
	cli.conf_path = conffile_path(file);
	config_init(&cli.cf);
	if (conffile_load(&cli.cf, cli.conf_path, file != NULL, err,
	    sizeof(err)) == -1) {
		fprintf(stderr, "sochi: %s\n", err);
		config_free(&cli.cf);
		return 2;
	}
	if (sock != NULL)
		cli.socket = sock;
	else if ((env = getenv("SOCHI_SOCKET")) != NULL && *env != '\0')
		cli.socket = env;
	else
		cli.socket = cli.cf.socket;
	optind = 0;
	rv = (*c)->exec(&cli, argc, argv);
	if (cli.conn != NULL)
		PQfinish(cli.conn);
	if (cli.zone_loaded)
		zone_free(&cli.zone);
	config_free(&cli.cf);
	return rv;
}
