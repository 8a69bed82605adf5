/* SPDX-License-Identifier: MIT */
/*
 * Watching the worker processes.  See worker_proc.h.
 */
#include <sys/prctl.h>
#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "worker_proc.h"

#define RESTART_MIN_S	1
#define RESTART_MAX_S	30
/* A worker that ran this long had no trouble starting: restart at once. */
#define RAN_WELL_S	60
#define STOP_GRACE_MS	5000

struct worker_proc {
	TAILQ_ENTRY(worker_proc) entry;	/* in the list of workers */
	struct event_base *base;	/* sochid's loop */
	char		*exe;		/* sochid's own path */
	char		*conf;		/* the config file, passed on */
	char		*name;		/* drafter, web: for the log */
	char		*title;		/* "sochid: NAME", its argv[0] */
	char		*option;	/* --drafter, --web */
	int		 debug;		/* -d, passed on */
	int		 want_channel;	/* it has a channel */
	int		 chan;		/* sochid's end of it, or -1 */
	void		(*chan_cb)(int, void *); /* reads it, or NULL */
	void		*chan_arg;	/* for chan_cb */
	struct event	*ev_chan;	/* chan_cb's event while chan is open */
	pid_t		 pid;		/* the worker, or 0 */
	time_t		 started;	/* when it was started */
	unsigned	 backoff;	/* seconds before the next restart */
	uint64_t	 restarts;	/* starts after the first */
	int		 stopping;	/* sochid is exiting: no restarts */
	struct event	*ev_restart;	/* the restart timer */
};
TAILQ_HEAD(worker_list, worker_proc);

static struct {
	struct worker_list all;		/* every worker started */
	int		 inited;	/* all is set up */
	struct event	*ev_chld;	/* SIGCHLD, for all of them */
} wp;

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

static void
chan_read_cb(evutil_socket_t fd, short what, void *arg)
{
	struct worker_proc *w = arg;

	w->chan_cb(fd, w->chan_arg);
}

/* Watches the open channel for chan_cb. */
static void
chan_watch(struct worker_proc *w)
{
	if (w->chan_cb == NULL || w->chan == -1 || w->ev_chan != NULL)
		return;
	if ((w->ev_chan = event_new(w->base, w->chan, EV_READ | EV_PERSIST,
	    chan_read_cb, w)) == NULL || event_add(w->ev_chan, NULL) == -1)
		log_warnx("%s: cannot watch its channel", w->name);
}

static void
chan_close(struct worker_proc *w)
{
	if (w->ev_chan != NULL) {
		event_free(w->ev_chan);
		w->ev_chan = NULL;
	}
	if (w->chan != -1) {
		close(w->chan);
		w->chan = -1;
	}
}

static int
spawn(struct worker_proc *w)
{
	char *argv[6];
	int argc = 0, sv[2] = { -1, -1 };
	pid_t pid;

	argv[argc++] = w->title;
	argv[argc++] = w->option;
	argv[argc++] = (char *)"-f";
	argv[argc++] = w->conf;
	if (w->debug)
		argv[argc++] = (char *)"-d";
	argv[argc] = NULL;
	if (w->want_channel && socketpair(AF_UNIX, SOCK_SEQPACKET |
	    SOCK_CLOEXEC | SOCK_NONBLOCK, 0, sv) == -1) {
		log_warn("%s: socketpair", w->name);
		return -1;
	}
	if ((pid = fork()) == -1) {
		log_warn("%s: fork", w->name);
		if (sv[0] != -1) {
			close(sv[0]);
			close(sv[1]);
		}
		return -1;
	}
	if (pid == 0) {
		/*
		 * Standard input, output and error go across, and the
		 * channel as descriptor 3 (dup2 clears close-on-exec; a
		 * descriptor already there needs it cleared by hand).
		 */
		if (sv[1] != -1) {
			if (sv[1] != WORKER_CHANNEL_FD) {
				if (dup2(sv[1], WORKER_CHANNEL_FD) == -1)
					_exit(127);
			} else if (fcntl(WORKER_CHANNEL_FD, F_SETFD, 0) == -1)
				_exit(127);
			close_from(WORKER_CHANNEL_FD + 1);
		} else
			close_from(3);
		execv(w->exe, argv);
		fprintf(stderr, "sochid: cannot run the %s (%s): %s\n", w->name,
		    w->exe, strerror(errno));
		_exit(127);
	}
	if (sv[1] != -1) {
		close(sv[1]);
		w->chan = sv[0];
		chan_watch(w);
	}
	w->pid = pid;
	w->started = time(NULL);
	log_info("%s started (pid %ld)", w->name, (long)pid);
	return 0;
}

static void
restart_cb(evutil_socket_t fd, short what, void *arg)
{
	struct worker_proc *w = arg;

	if (w->stopping || w->pid != 0)
		return;
	w->restarts++;
	if (spawn(w) == -1)
		event_add(w->ev_restart, &(struct timeval){ RESTART_MAX_S, 0 });
}

static void
chld_cb(evutil_socket_t sig, short what, void *arg)
{
	struct worker_proc *w;
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		TAILQ_FOREACH(w, &wp.all, entry)
			if (w->pid == pid)
				break;
		if (w == NULL)
			continue;
		w->pid = 0;
		chan_close(w);
		if (w->stopping)
			continue;
		if (WIFSIGNALED(status))
			log_warnx("%s (pid %ld) was killed by signal %d",
			    w->name, (long)pid, WTERMSIG(status));
		else
			log_warnx("%s (pid %ld) exited with status %d",
			    w->name, (long)pid, WEXITSTATUS(status));
		if (time(NULL) - w->started >= RAN_WELL_S)
			w->backoff = RESTART_MIN_S;
		log_warnx("starting the %s again in %u s", w->name, w->backoff);
		event_add(w->ev_restart, &(struct timeval){ w->backoff, 0 });
		w->backoff = w->backoff * 2 > RESTART_MAX_S ? RESTART_MAX_S :
		    w->backoff * 2;
	}
}

struct worker_proc *
worker_proc_start(struct event_base *base, const char *exe, const char *conf,
    int debug, const char *name, const char *option, int channel)
{
	struct worker_proc *w;

	if (!wp.inited) {
		TAILQ_INIT(&wp.all);
		if ((wp.ev_chld = evsignal_new(base, SIGCHLD, chld_cb,
		    NULL)) == NULL)
			return NULL;
		event_add(wp.ev_chld, NULL);
		wp.inited = 1;
	}
	if ((w = calloc(1, sizeof(*w))) == NULL)
		return NULL;
	TAILQ_INSERT_TAIL(&wp.all, w, entry);
	w->base = base;
	w->debug = debug;
	w->want_channel = channel;
	w->chan = -1;
	w->backoff = RESTART_MIN_S;
	if ((w->exe = strdup(exe)) == NULL || (w->conf = strdup(conf)) == NULL ||
	    (w->name = strdup(name)) == NULL ||
	    (w->option = strdup(option)) == NULL ||
	    asprintf(&w->title, "sochid: %s", name) == -1 ||
	    (w->ev_restart = evtimer_new(base, restart_cb, w)) == NULL) {
		worker_proc_free(w);
		return NULL;
	}
	if (spawn(w) == -1)
		event_add(w->ev_restart, &(struct timeval){ RESTART_MIN_S, 0 });
	return w;
}

void
worker_proc_signal(struct worker_proc *w, int sig)
{
	if (w != NULL && w->pid != 0)
		kill(w->pid, sig);
}

void
worker_proc_stop(struct worker_proc *w)
{
	struct timespec ts = { 0, 10 * 1000000 };
	int status, waited = 0;

	if (w == NULL)
		return;
	w->stopping = 1;
	evtimer_del(w->ev_restart);
	chan_close(w);
	if (w->pid == 0)
		return;
	kill(w->pid, SIGTERM);
	/* At exit, after the loop: blocking here is fine. */
	while (waitpid(w->pid, &status, WNOHANG) == 0) {
		if (waited >= STOP_GRACE_MS) {
			log_warnx("%s (pid %ld) did not stop; killing it",
			    w->name, (long)w->pid);
			kill(w->pid, SIGKILL);
			(void)waitpid(w->pid, &status, 0);
			break;
		}
		nanosleep(&ts, NULL);
		waited += 10;
	}
	w->pid = 0;
}

pid_t
worker_proc_pid(const struct worker_proc *w)
{
	return w != NULL ? w->pid : 0;
}

uint64_t
worker_proc_restarts(const struct worker_proc *w)
{
	return w != NULL ? w->restarts : 0;
}

int
worker_proc_channel(const struct worker_proc *w)
{
	return w != NULL && w->pid != 0 ? w->chan : -1;
}

void
worker_proc_on_channel(struct worker_proc *w, void (*cb)(int, void *),
    void *arg)
{
	if (w == NULL)
		return;
	w->chan_cb = cb;
	w->chan_arg = arg;
	chan_watch(w);
}

void
worker_proc_channel_lost(struct worker_proc *w)
{
	if (w != NULL)
		chan_close(w);
}

void
worker_proc_free(struct worker_proc *w)
{
	if (w == NULL)
		return;
	chan_close(w);
	TAILQ_REMOVE(&wp.all, w, entry);
	if (w->ev_restart != NULL)
		event_free(w->ev_restart);
	free(w->exe);
	free(w->conf);
	free(w->name);
	free(w->title);
	free(w->option);
	free(w);
	if (TAILQ_EMPTY(&wp.all)) {
		event_free(wp.ev_chld);
		memset(&wp, 0, sizeof(wp));
	}
}

int
worker_proc_child(const char *title)
{
	pid_t parent = getppid();

	if (prctl(PR_SET_PDEATHSIG, SIGTERM) == -1)
		return -1;
	(void)prctl(PR_SET_NAME, title);
	/* sochid may have died before the line above. */
	return getppid() == parent ? 0 : -1;
}
