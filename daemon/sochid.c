/* SPDX-License-Identifier: MIT */
/*
 * sochid: takes events from monitoring systems and engineers and stores them
 * in PostgreSQL, answering each sender only after its event is committed.
 */
#include <sys/socket.h>

#include <errno.h>
#include <limits.h>
#include <getopt.h>
#include <signal.h>
#include <malloc.h>
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
#include "http_api.h"
#include "listener.h"
#include "log.h"
#include "metrics.h"
#include "migrate.h"
#include "pgsync.h"
#include "sdlisten.h"
#include "sdnotify.h"
#include "syslog_listener.h"
#include "web_worker.h"
#include "worker_proc.h"
#include "zone.h"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "0"
#endif

/* Seconds between two STATUS= lines to systemd. */
#define STATUS_INTERVAL	5

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
	struct event	*ev_status;	/* STATUS= to systemd, every few seconds */
	uint64_t	 status_accepted; /* events accepted at the last STATUS= */
	struct timespec	 status_at;	/* when that was */
	struct timespec	 drain_deadline; /* give up waiting then */
	int		 stopping;	/* SIGTERM or SIGINT seen */
	int		 debug;		/* -d: debug whatever the file says */
	char		 exe[PATH_MAX];	/* this program, to start the workers */
	struct worker_proc *drafter;	/* sochid: drafter */
	struct worker_proc *web;	/* sochid: web, when listen_http is set */
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

/*
 * The drafter's report lines (drafter.c), a message each on its channel:
 * what /metrics and STATUS= count.  Read until the channel is empty; at its
 * end (the drafter went) it is closed until the restart makes a new one.
 */
static void
drafter_report_cb(int fd, void *arg)
{
	char buf[256];
	ssize_t n;

	while ((n = recv(fd, buf, sizeof(buf) - 1, 0)) > 0) {
		if (buf[n - 1] == '\n')
			n--;
		buf[n] = '\0';
		metrics_drafter_line(buf);
	}
	if (n == 0 || (errno != EAGAIN && errno != EINTR))
		worker_proc_channel_lost(d.drafter);
}

/* The keys a reload changed, and those that wait for a restart. */
struct reload_log {
	struct sbuf	 applied;	/* "[report] company, [tokens] ci" */
	struct sbuf	 restart;	/* "listen_tcp" */
};

static void
reload_note(const char *what, int reloadable, void *arg)
{
	struct reload_log *rl = arg;
	struct sbuf *b = reloadable ? &rl->applied : &rl->restart;

	if (b->len > 0)
		(void)sbuf_adds(b, ", ");
	(void)sbuf_adds(b, what);
}

/*
 * SIGHUP: the file (and tokens_file) read again; every key the config
 * table marks reloadable is applied, by each module that holds it, and the
 * log says exactly which keys changed and which wait for a restart.  A file
 * that does not parse, a rule that does not compile or a tokens file
 * others may read keeps the running configuration whole; the drafter is
 * told only of a reload that took.
 */
static void
hup_cb(evutil_socket_t sig, short what, void *arg)
{
	struct reload_log rl = { SBUF_INIT, SBUF_INIT };
	struct sochi_config ncf;
	struct correlator *rules;
	char err[1024];

	sdnotify("RELOADING=1");
	config_init(&ncf);
	if (conffile_load(&ncf, d.conf_path, 1, err, sizeof(err)) == -1 ||
	    conffile_tokens(&ncf, err, sizeof(err)) == -1 ||
	    (rules = correlate_new(&ncf, err, sizeof(err))) == NULL) {
		log_warnx("reload failed, keeping the running configuration: %s",
		    err);
		config_free(&ncf);
		sdnotify("READY=1");
		return;
	}
	if (d.debug)
		ncf.log_level = LOG_LEVEL_DEBUG;
	config_diff(&d.cf, &ncf, reload_note, &rl);
	config_reload(&d.cf, &ncf);
	config_free(&ncf);
	log_setlevel(d.cf.log_level);
	db_writer_reload(&d.cf);
	listener_reload();
	http_api_reload(rules);
	correlate_free(d.rules);
	d.rules = rules;
	metrics_tokens(&d.cf);
	if (rl.applied.len == 0 && rl.restart.len == 0)
		log_info("reload: %s: nothing changed", d.conf_path);
	else
		log_info("reload: %s%s%s%s%s", rl.applied.len ? "changed " : "",
		    rl.applied.len ? rl.applied.data : "",
		    rl.applied.len && rl.restart.len ? "; " : "",
		    rl.restart.len ? "restart needed for " : "",
		    rl.restart.len ? rl.restart.data : "");
	sbuf_free(&rl.applied);
	sbuf_free(&rl.restart);
	worker_proc_signal(d.drafter, SIGHUP);
	worker_proc_signal(d.web, SIGHUP);
	sdnotify("READY=1");
}

/*
 * Every few seconds under systemd: what `systemctl status` shows beside
 * the unit, from counters the loop keeps anyway (no database call).
 */
static void
status_cb(evutil_socket_t fd, short what, void *arg)
{
	struct db_writer_stats st;
	struct syslog_stats ss;
	struct timespec now;
	char msg[256], open[32];
	uint64_t acc = metrics_accepted();
	double secs, rate;
	long nopen = metrics_open_incidents();

	clock_gettime(CLOCK_MONOTONIC, &now);
	secs = (double)(now.tv_sec - d.status_at.tv_sec) +
	    (double)(now.tv_nsec - d.status_at.tv_nsec) / 1e9;
	rate = secs > 0 ? (double)(acc - d.status_accepted) / secs : 0;
	d.status_accepted = acc;
	d.status_at = now;
	db_writer_stats(&st);
	syslog_listener_stats(&ss);
	if (nopen >= 0)
		snprintf(open, sizeof(open), "%ld", nopen);
	else
		snprintf(open, sizeof(open), "unknown");
	snprintf(msg, sizeof(msg), "STATUS=%.1f events/s, %zu connections, "
	    "journal %zu events, %s open incidents%s", rate,
	    listener_count() + http_api_conns() + ss.connections,
	    st.journal_events, open,
	    !st.connected ? ", database unavailable" : "");
	sdnotify(msg);
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
	enum { OPT_PRINT = 256, OPT_MIGRATE, OPT_DRAFTER, OPT_WEB };
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'f' },
		{ "check", no_argument, NULL, 'n' },
		{ "print-config", no_argument, NULL, OPT_PRINT },
		{ "migrate", no_argument, NULL, OPT_MIGRATE },
		{ "drafter", no_argument, NULL, OPT_DRAFTER },
		{ "web", no_argument, NULL, OPT_WEB },
		{ "debug", no_argument, NULL, 'd' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *file = NULL;
	int ch, check = 0, print = 0, migrate = 0, debug = 0, drafter = 0;
	int web = 0;
	char err[1024];
	struct sbuf out = SBUF_INIT;

	/*
	 * glibc's malloc, fixed before the first allocation.  One arena: the
	 * journal's thread (the only one) allocates rarely, and a second
	 * arena would reserve its own heap and keep its pages.  Blocks of
	 * 256 KiB and more (a batch's text and arrays, libpq's buffers) are
	 * mapped and given back when freed, and a free top of the heap past
	 * 1 MiB is trimmed; left to itself, glibc raises both thresholds
	 * after the first large block is freed (up to 32 and 64 MiB), and the
	 * heap keeps what a burst of 64 connections made it.
	 */
	mallopt(M_ARENA_MAX, 1);
	mallopt(M_MMAP_THRESHOLD, 256 * 1024);
	mallopt(M_TRIM_THRESHOLD, 1024 * 1024);

	while ((ch = getopt_long(argc, argv, "f:ndVh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'f': file = optarg; break;
		case 'n': check = 1; break;
		case OPT_PRINT: print = 1; break;
		case OPT_MIGRATE: migrate = 1; break;
		case OPT_DRAFTER: drafter = 1; break;
		case OPT_WEB: web = 1; break;
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
	/* The workers sochid starts (worker_proc.c) run as options of its own. */
	if (drafter)
		return drafter_main(d.conf_path, debug);
	if (web)
		return web_worker_main(d.conf_path, debug);
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
	if (conffile_tokens(&d.cf, err, sizeof(err)) == -1) {
		fprintf(stderr, "sochid: %s\n", err);
		return 1;
	}
	if (check) {
		/* Worth saying, not refusing: it runs, but not as meant. */
		if (strstr(d.cf.database, "password") != NULL)
			fprintf(stderr, "sochid: %s: database holds a password, "
			    "which everyone who may read the file can see; use a "
			    "password file (PGPASSFILE, ~/.pgpass of sochid's user) "
			    "or a service file (PGSERVICEFILE) instead\n",
			    d.conf_path);
		if ((*d.cf.listen_tcp != '\0' || *d.cf.listen_http != '\0') &&
		    d.cf.tokens.n == 0)
			fprintf(stderr, "sochid: %s: no tokens (tokens_file %s): "
			    "every sender on TCP and HTTP will be refused\n",
			    d.conf_path, *d.cf.tokens_file ? d.cf.tokens_file :
			    "not set");
		printf("%s: configuration OK\n", d.conf_path);
		return 0;
	}
	if (print) {
		config_print(&d.cf, &out);
		fputs(out.data != NULL ? out.data : "", stdout);
		sbuf_free(&out);
		return 0;
	}
	d.debug = debug;
	if (debug)
		d.cf.log_level = LOG_LEVEL_DEBUG;
	log_init("sochid", d.cf.log_level);
	metrics_init(&d.cf);
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
	if ((d.drafter = worker_proc_start(d.base, d.exe, d.conf_path, debug,
	    "drafter", "--drafter", 1)) == NULL)
		fatalx("cannot start the drafter");
	/* Its report lines feed /metrics and STATUS=. */
	worker_proc_on_channel(d.drafter, drafter_report_cb, NULL);
	metrics_set_drafter(d.drafter);
	/* The web view answers on the HTTP listener: none without one. */
	if (*d.cf.listen_http != '\0') {
		if ((d.web = worker_proc_start(d.base, d.exe, d.conf_path, debug,
		    "web", "--web", 1)) == NULL)
			fatalx("cannot start the web view");
		http_api_set_web(d.web);
	}
	d.ev_term = evsignal_new(d.base, SIGTERM, stop_cb, NULL);
	d.ev_int = evsignal_new(d.base, SIGINT, stop_cb, NULL);
	d.ev_hup = evsignal_new(d.base, SIGHUP, hup_cb, NULL);
	event_add(d.ev_term, NULL);
	event_add(d.ev_int, NULL);
	event_add(d.ev_hup, NULL);
	if (getenv("NOTIFY_SOCKET") != NULL) {
		clock_gettime(CLOCK_MONOTONIC, &d.status_at);
		d.ev_status = event_new(d.base, -1, EV_PERSIST, status_cb, NULL);
		if (d.ev_status != NULL)
			event_add(d.ev_status, &(struct timeval){ STATUS_INTERVAL,
			    0 });
	}

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
	worker_proc_stop(d.drafter);
	worker_proc_stop(d.web);
	worker_proc_free(d.drafter);
	worker_proc_free(d.web);
	zone_free(&d.zone);
	if (d.ev_drain != NULL)
		event_free(d.ev_drain);
	if (d.ev_status != NULL)
		event_free(d.ev_status);
	event_free(d.ev_term);
	event_free(d.ev_int);
	event_free(d.ev_hup);
	event_base_free(d.base);
	correlate_free(d.rules);
	zone_free(&d.zabbix_zone);
	metrics_free();
	config_free(&d.cf);
	return 0;
}
