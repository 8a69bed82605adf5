/* SPDX-License-Identifier: MIT */
/*
 * sochid: takes events from monitoring systems and engineers and stores them
 * in PostgreSQL, answering each sender only after its event is committed.
 */
#include <errno.h>
#include <limits.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "conffile.h"
#include "config.h"
#include "correlate.h"
#include "db_writer.h"
#include "drafter.h"
#include "drafter_proc.h"
#include "http_api.h"
#include "listener.h"
#include "log.h"
#include "migrate.h"
#include "pgsync.h"
#include "sdlisten.h"
#include "sdnotify.h"
#include "syslog_listener.h"
#include "zone.h"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "0"
#endif

static struct {
	struct event_base *base;	/* the loop */
	struct sochi_config cf;		/* the running config */
	struct correlator *rules;	/* [rule.NAME], compiled */
	struct zone	 zabbix_zone;	/* the zone of Zabbix's date macros */
	struct zone	 zone;		/* the carrier's zone */
	const char	*conf_path;	/* where it came from */
	struct event	*ev_term;	/* SIGTERM */
	struct event	*ev_int;	/* SIGINT */
	struct event	*ev_hup;	/* SIGHUP */
	struct event	*ev_drain;	/* checks whether draining is done */
	struct timespec	 drain_deadline; /* give up waiting then */
	int		 stopping;	/* SIGTERM or SIGINT seen */
	char		 exe[PATH_MAX];	/* this program, to start the drafter */
} d;

static void
usage(FILE *fp)
{
	fprintf(fp,
"usage: sochid [-dnV] [-f file] [--print-config] [--migrate]\n"
"  -f, --config FILE  read FILE (default: $SOCHI_CONFIG, else "
SOCHI_DEFAULT_CONFIG ")\n"
"  -n, --check        check the configuration and exit\n"
"      --print-config print the effective configuration, secrets masked\n"
"      --migrate      apply the missing database migrations and exit\n"
"  -d, --debug        log debug messages\n"
"  -V, --version      print the version and exit\n"
"  -h, --help         print this help and exit\n");
}

static int
drained(void)
{
	struct db_writer_stats st;

	db_writer_stats(&st);
	return st.pending == 0 && listener_count() == 0 &&
	    http_api_pending() == 0;
}

static void
drain_cb(evutil_socket_t fd, short what, void *arg)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	if (drained()) {
		log_info("all events answered; exiting");
		event_base_loopexit(d.base, NULL);
	} else if (now.tv_sec >= d.drain_deadline.tv_sec) {
		log_warnx("gave up waiting for the database; exiting with "
		    "unanswered requests");
		event_base_loopexit(d.base, NULL);
	}
}

static void
stop_cb(evutil_socket_t sig, short what, void *arg)
{
	if (d.stopping) {
		log_info("signal %d again: exiting now", (int)sig);
		event_base_loopexit(d.base, NULL);
		return;
	}
	d.stopping = 1;
	log_info("signal %d: no longer accepting; answering what is in flight",
	    (int)sig);
	sdnotify("STOPPING=1");
	listener_drain();
	http_api_drain();
	syslog_listener_drain();
	clock_gettime(CLOCK_MONOTONIC, &d.drain_deadline);
	d.drain_deadline.tv_sec += d.cf.write_timeout + 5;
	d.ev_drain = event_new(d.base, -1, EV_PERSIST, drain_cb, NULL);
	event_add(d.ev_drain, &(struct timeval){ 0, 20000 });
	drain_cb(-1, 0, NULL);
}

/* SIGHUP: tokens and the log level are reloaded; the rest needs a restart. */
static void
hup_cb(evutil_socket_t sig, short what, void *arg)
{
	struct sochi_config ncf;
	struct config_map tmp;
	char err[1024];

	sdnotify("RELOADING=1");
	config_init(&ncf);
	if (conffile_load(&ncf, d.conf_path, 1, err, sizeof(err)) == -1) {
		log_warnx("reload failed, keeping the running configuration: %s",
		    err);
		config_free(&ncf);
		sdnotify("READY=1");
		return;
	}
	tmp = d.cf.tokens;
	d.cf.tokens = ncf.tokens;
	ncf.tokens = tmp;
	d.cf.log_level = ncf.log_level;
	log_setlevel(ncf.log_level);
	if (strcmp(ncf.database, d.cf.database) != 0 ||
	    strcmp(ncf.socket, d.cf.socket) != 0 ||
	    strcmp(ncf.listen_tcp, d.cf.listen_tcp) != 0 ||
	    strcmp(ncf.listen_http, d.cf.listen_http) != 0 ||
	    strcmp(ncf.timezone, d.cf.timezone) != 0)
		log_warnx("reload: only [tokens] and log_level take effect "
		    "without a restart");
	log_info("reloaded %s: %zu tokens, log level %s", d.conf_path,
	    d.cf.tokens.n, log_level_name(d.cf.log_level));
	config_free(&ncf);
	drafter_proc_signal(SIGHUP);
	sdnotify("READY=1");
}

/*
 * This program's path, for starting the drafter: argv[0] made absolute
 * when it names a file, else what the kernel says (which, under a tool
 * that runs programs, could be the tool).
 */
static int
exe_path(const char *argv0, char *out, size_t len)
{
	ssize_t n;

	if (strchr(argv0, '/') != NULL) {
		if (realpath(argv0, out) == NULL)
			return -1;
		return 0;
	}
	if ((n = readlink("/proc/self/exe", out, len - 1)) == -1)
		return -1;
	out[n] = '\0';
	return 0;
}

static int
check_schema(void)
{
	char err[1024];
	PGconn *conn;
	int cur, want = migrate_latest();

	if ((conn = pgsync_connect(d.cf.database, 10, err, sizeof(err))) ==
	    NULL) {
		log_warnx("cannot connect to the database: %s", err);
		return -1;
	}
	cur = migrate_current(conn, err, sizeof(err));
	PQfinish(conn);
	if (cur == -1) {
		log_warnx("cannot read the schema version: %s", err);
		return -1;
	}
	if (cur < want) {
		log_warnx("the database schema is at version %d and this sochid "
		    "needs version %d: run `sochid --migrate` first", cur, want);
		return -1;
	}
	if (cur > want)
		log_warnx("the database schema (version %d) is newer than this "
		    "sochid (version %d)", cur, want);
	return 0;
}

static int
do_migrate(void)
{
	char err[2048];
	PGconn *conn;
	int before, after;

	if ((conn = pgsync_connect(d.cf.database, 10, err, sizeof(err))) ==
	    NULL) {
		fprintf(stderr, "sochid: cannot connect to the database: %s\n",
		    err);
		return 1;
	}
	if ((before = migrate_current(conn, err, sizeof(err))) == -1 ||
	    migrate_apply(conn, 1, err, sizeof(err)) == -1 ||
	    (after = migrate_current(conn, err, sizeof(err))) == -1) {
		fprintf(stderr, "sochid: migration failed: %s\n", err);
		PQfinish(conn);
		return 1;
	}
	PQfinish(conn);
	if (before == after)
		printf("schema is at version %d; functions re-created\n", after);
	else
		printf("schema migrated from version %d to %d; functions "
		    "re-created\n", before, after);
	return 0;
}

int
main(int argc, char *argv[])
{
	enum { OPT_PRINT = 256, OPT_MIGRATE, OPT_DRAFTER };
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'f' },
		{ "check", no_argument, NULL, 'n' },
		{ "print-config", no_argument, NULL, OPT_PRINT },
		{ "migrate", no_argument, NULL, OPT_MIGRATE },
		{ "drafter", no_argument, NULL, OPT_DRAFTER },
		{ "debug", no_argument, NULL, 'd' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *file = NULL;
	int ch, check = 0, print = 0, migrate = 0, debug = 0, drafter = 0;
	char err[1024];
	struct sbuf out = SBUF_INIT;

	while ((ch = getopt_long(argc, argv, "f:ndVh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'f': file = optarg; break;
		case 'n': check = 1; break;
		case OPT_PRINT: print = 1; break;
		case OPT_MIGRATE: migrate = 1; break;
		case OPT_DRAFTER: drafter = 1; break;
		case 'd': debug = 1; break;
		case 'V':
			printf("sochid %s\n", PACKAGE_VERSION);
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "sochid: unexpected argument: %s\n", argv[optind]);
		usage(stderr);
		return 2;
	}

	d.conf_path = conffile_path(file);
	if (drafter)
		return drafter_main(d.conf_path, debug);
	if (exe_path(argv[0], d.exe, sizeof(d.exe)) == -1) {
		fprintf(stderr, "sochid: cannot tell where this program is: %s\n",
		    strerror(errno));
		return 1;
	}
	config_init(&d.cf);
	if (conffile_load(&d.cf, d.conf_path, 1, err, sizeof(err)) == -1) {
		fprintf(stderr, "sochid: %s\n", err);
		return 1;
	}
	if (check) {
		printf("%s: configuration OK\n", d.conf_path);
		return 0;
	}
	if (print) {
		config_print(&d.cf, &out);
		fputs(out.data != NULL ? out.data : "", stdout);
		sbuf_free(&out);
		return 0;
	}
	if (debug)
		d.cf.log_level = LOG_LEVEL_DEBUG;
	log_init("sochid", d.cf.log_level);
	if (migrate)
		return do_migrate();
	/*
	 * Before anything is started: the passed sockets are made
	 * close-on-exec and their variables cleared, so no child has them.
	 */
	if (sdlisten_init(err, sizeof(err)) == -1)
		fatalx("socket activation: %s", err);
	if (check_schema() == -1)
		return 1;

	signal(SIGPIPE, SIG_IGN);
	/* A file size limit makes a write fail (EFBIG), not end the daemon. */
	signal(SIGXFSZ, SIG_IGN);
	if ((d.base = event_base_new()) == NULL)
		fatalx("event_base_new failed");
	if (db_writer_init(d.base, &d.cf) == -1)
		fatalx("cannot start the database writer");
	if ((d.rules = correlate_new(&d.cf, err, sizeof(err))) == NULL)
		fatalx("%s: %s", d.conf_path, err);
	if (conffile_zone(d.cf.zabbix_timezone ? d.cf.zabbix_timezone :
	    d.cf.timezone, &d.zabbix_zone, err, sizeof(err)) == -1)
		fatalx("%s", err);
	if (conffile_zone(d.cf.timezone, &d.zone, err, sizeof(err)) == -1)
		fatalx("%s", err);
	if (listener_init(d.base, &d.cf) == -1 ||
	    http_api_init(d.base, &d.cf, d.rules, &d.zabbix_zone) == -1 ||
	    syslog_listener_init(d.base, &d.cf) == -1)
		fatalx("cannot listen; see the messages above");
	if (sdlisten_leftover(err, sizeof(err)))
		fatalx("socket activation: systemd passed %s, which matches no "
		    "listener of %s (set socket, listen_tcp, listen_http or "
		    "listen_syslog_* to it, or remove its Listen line from "
		    "sochid.socket)", err,
		    d.conf_path);
	if (drafter_proc_init(d.base, d.exe, d.conf_path, debug) == -1)
		fatalx("cannot start the drafter");
	d.ev_term = evsignal_new(d.base, SIGTERM, stop_cb, NULL);
	d.ev_int = evsignal_new(d.base, SIGINT, stop_cb, NULL);
	d.ev_hup = evsignal_new(d.base, SIGHUP, hup_cb, NULL);
	event_add(d.ev_term, NULL);
	event_add(d.ev_int, NULL);
	event_add(d.ev_hup, NULL);

	log_info("sochid %s ready (pid %ld)", PACKAGE_VERSION, (long)getpid());
	sdnotify("READY=1\nSTATUS=accepting events");
	event_base_dispatch(d.base);

	/*
	 * The writer first: it answers what it still holds.  Syslog reads
	 * nothing more once it does (a second signal ends the loop undrained).
	 */
	syslog_listener_drain();
	db_writer_free();
	syslog_listener_free();
	listener_free();
	http_api_free();
	sdlisten_free();
	drafter_proc_stop();
	drafter_proc_free();
	zone_free(&d.zone);
	if (d.ev_drain != NULL)
		event_free(d.ev_drain);
	event_free(d.ev_term);
	event_free(d.ev_int);
	event_free(d.ev_hup);
	event_base_free(d.base);
	correlate_free(d.rules);
	zone_free(&d.zabbix_zone);
	config_free(&d.cf);
	return 0;
}
