/* SPDX-License-Identifier: MIT */
/*
 * Watching the drafter.  See drafter_proc.h.
 */
#include <sys/syscall.h>
#include <sys/wait.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "drafter_proc.h"
#include "log.h"

#define RESTART_MIN_S	1
#define RESTART_MAX_S	30
/* A drafter that ran this long had no trouble starting: restart at once. */
#define RAN_WELL_S	60
#define STOP_GRACE_MS	5000

static struct {
	struct event_base *base;	/* sochid's loop */
	char		*exe;		/* sochid's own path */
	char		*conf;		/* the config file, passed on */
	int		 debug;		/* -d, passed on */
	pid_t		 pid;		/* the drafter, or 0 */
	time_t		 started;	/* when it was started */
	unsigned	 backoff;	/* seconds before the next restart */
	uint64_t	 restarts;	/* starts after the first */
	int		 stopping;	/* sochid is exiting: no restarts */
	struct event	*ev_chld;	/* SIGCHLD */
	struct event	*ev_restart;	/* the restart timer */
} p;

static void
close_from(int lowfd)
{
#ifdef SYS_close_range
	if (syscall(SYS_close_range, (unsigned)lowfd, ~0U, 0) == 0)
		return;
#endif
	for (long fd = lowfd, max = sysconf(_SC_OPEN_MAX); fd < max; fd++)
		(void)close((int)fd);
}

static int
spawn(void)
{
	char *argv[7];
	int argc = 0;
	pid_t pid;

	argv[argc++] = (char *)"sochid: drafter";
	argv[argc++] = (char *)"--drafter";
	argv[argc++] = (char *)"-f";
	argv[argc++] = p.conf;
	if (p.debug)
		argv[argc++] = (char *)"-d";
	argv[argc] = NULL;
	if ((pid = fork()) == -1) {
		log_warn("drafter: fork");
		return -1;
	}
	if (pid == 0) {
		/* Only standard input, output and error go across. */
		close_from(3);
		execv(p.exe, argv);
		fprintf(stderr, "sochid: cannot run the drafter (%s): %s\n",
		    p.exe, strerror(errno));
		_exit(127);
	}
	p.pid = pid;
	p.started = time(NULL);
	log_info("drafter started (pid %ld)", (long)pid);
	return 0;
}

static void
restart_cb(evutil_socket_t fd, short what, void *arg)
{
	if (p.stopping || p.pid != 0)
		return;
	p.restarts++;
	if (spawn() == -1)
		event_add(p.ev_restart, &(struct timeval){ RESTART_MAX_S, 0 });
}

static void
chld_cb(evutil_socket_t sig, short what, void *arg)
{
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		if (pid != p.pid)
			continue;
		p.pid = 0;
		if (p.stopping)
			continue;
		if (WIFSIGNALED(status))
			log_warnx("drafter (pid %ld) was killed by signal %d",
			    (long)pid, WTERMSIG(status));
		else
			log_warnx("drafter (pid %ld) exited with status %d",
			    (long)pid, WEXITSTATUS(status));
		if (time(NULL) - p.started >= RAN_WELL_S)
			p.backoff = RESTART_MIN_S;
		log_warnx("starting the drafter again in %u s", p.backoff);
		event_add(p.ev_restart, &(struct timeval){ p.backoff, 0 });
		p.backoff = p.backoff * 2 > RESTART_MAX_S ? RESTART_MAX_S :
		    p.backoff * 2;
	}
}

int
drafter_proc_init(struct event_base *base, const char *exe, const char *conf,
    int debug)
{
	memset(&p, 0, sizeof(p));
	p.base = base;
	p.debug = debug;
	p.backoff = RESTART_MIN_S;
	if ((p.exe = strdup(exe)) == NULL || (p.conf = strdup(conf)) == NULL)
		return -1;
	p.ev_chld = evsignal_new(base, SIGCHLD, chld_cb, NULL);
	p.ev_restart = evtimer_new(base, restart_cb, NULL);
	if (p.ev_chld == NULL || p.ev_restart == NULL)
		return -1;
	event_add(p.ev_chld, NULL);
	return spawn();
}

void
drafter_proc_signal(int sig)
{
	if (p.pid != 0)
		kill(p.pid, sig);
}

void
drafter_proc_stop(void)
{
	struct timespec ts = { 0, 10 * 1000000 };
	int status, waited = 0;

	p.stopping = 1;
	if (p.ev_restart != NULL)
		evtimer_del(p.ev_restart);
	if (p.pid == 0)
		return;
	kill(p.pid, SIGTERM);
	/* At exit, after the loop: blocking here is fine. */
	while (waitpid(p.pid, &status, WNOHANG) == 0) {
		if (waited >= STOP_GRACE_MS) {
			log_warnx("drafter (pid %ld) did not stop; killing it",
			    (long)p.pid);
			kill(p.pid, SIGKILL);
			(void)waitpid(p.pid, &status, 0);
			break;
		}
		nanosleep(&ts, NULL);
		waited += 10;
	}
	p.pid = 0;
}

pid_t
drafter_proc_pid(void)
{
	return p.pid;
}

uint64_t
drafter_proc_restarts(void)
{
	return p.restarts;
}

void
drafter_proc_free(void)
{
	if (p.ev_chld != NULL)
		event_free(p.ev_chld);
	if (p.ev_restart != NULL)
		event_free(p.ev_restart);
	free(p.exe);
	free(p.conf);
	memset(&p, 0, sizeof(p));
}
