/* SPDX-License-Identifier: MIT */
/*
 * sochi: the on-call engineer's command line.
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <getopt.h>
#include <grp.h>
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
	    "  -c, --config FILE  read FILE alone (default: $SOCHI_CONFIG, else "
	    SOCHI_DEFAULT_CONFIG ",\n"
	    "                     then ~/.config/sochi/sochi.conf over it)\n"
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

/* A group's name, or its number when it has none. */
static const char *
group_name(gid_t gid, char *buf, size_t len)
{
	struct group *gr = getgrgid(gid);

	if (gr != NULL)
		return gr->gr_name;
	snprintf(buf, len, "%u", (unsigned)gid);
	return buf;
}

/*
 * The socket (or its folder) does not let this user in: say which group
 * it is open to, since joining it is what an engineer asks for.
 */
static void
denied(const char *path)
{
	char dir[sizeof(((struct sockaddr_un *)0)->sun_path)], gbuf[16], *slash;
	const char *what = "socket", *where = path, *grp;
	struct stat st;

	snprintf(dir, sizeof(dir), "%s", path);
	if ((slash = strrchr(dir, '/')) != NULL)
		*(slash == dir ? slash + 1 : slash) = '\0';
	if (stat(path, &st) == -1) {
		/* Not even to be looked at: the folder is closed. */
		if (slash == NULL || stat(dir, &st) == -1) {
			fprintf(stderr, "sochi: cannot write to sochid's socket "
			    "%s: %s; ask an administrator which group may "
			    "(socket_group in sochid.conf)\n", path,
			    strerror(EACCES));
			return;
		}
		what = "folder";
		where = dir;
	}
	grp = group_name(st.st_gid, gbuf, sizeof(gbuf));
	fprintf(stderr, "sochi: cannot write to sochid's socket %s: %s; the "
	    "%s %s is open to the group %s (mode %04o): ask an administrator "
	    "to add you to it (usermod -aG %s YOUR_LOGIN), then log in "
	    "again\n", path, strerror(EACCES), what, where, grp,
	    (unsigned)(st.st_mode & 07777), grp);
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
		if (errno == EACCES || errno == EPERM)
			denied(cli->socket);
		else
			fprintf(stderr, "sochi: cannot reach sochid at %s: %s (is "
			    "sochid running? set SOCHI_SOCKET or --socket)\n",
			    cli->socket, strerror(errno));
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
	char err[1024], conf_used[2100];
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

	/*
	 * The config is optional for the CLI: its defaults suffice.  It reads
	 * sochid.conf, which holds no secret, and the user's own file over it.
	 */
	cli.conf_path = conf_used;
	config_init(&cli.cf);
	if (conffile_load_cli(&cli.cf, file, conf_used, sizeof(conf_used), err,
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
