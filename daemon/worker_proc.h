/* SPDX-License-Identifier: MIT */
/*
 * sochid's worker processes, the drafter (drafter.h) and the web view
 * (web.h), as the ingest process sees them: each is started once sochid
 * listens (fork, then exec of sochid itself with the worker's option, so
 * the child starts clean and holds none of the ingest process's sockets or
 * connections), started again with a backoff if it dies, passed SIGHUP,
 * and stopped with SIGTERM when sochid exits.  A worker ends by itself if
 * sochid is killed outright (worker_proc_child).
 *
 * A worker may have a channel: a Unix socket pair (SOCK_SEQPACKET) whose
 * one end is the child's descriptor WORKER_CHANNEL_FD and the other stays
 * with sochid, made again at every start.
 */
#ifndef SOCHID_WORKER_PROC_H
#define SOCHID_WORKER_PROC_H

#include <sys/types.h>

#include <stdint.h>

#include <event2/event.h>

/* The child's end of its channel. */
#define WORKER_CHANNEL_FD	3

struct worker_proc;

/*
 * Starts "sochid: NAME" as exe OPTION -f conf [-d]; with channel, a
 * channel too.  NULL if it could not be set up (a failed first start is
 * retried like a death).
 */
struct worker_proc *worker_proc_start(struct event_base *, const char *exe,
		    const char *conf, int debug, const char *name,
		    const char *option, int channel);
void		 worker_proc_signal(struct worker_proc *, int);
/* Stops it and waits (a few seconds at most, then SIGKILL). */
void		 worker_proc_stop(struct worker_proc *);
pid_t		 worker_proc_pid(const struct worker_proc *);
/* Starts after the first. */
uint64_t	 worker_proc_restarts(const struct worker_proc *);
/* sochid's end of the channel, or -1 while the worker is not running. */
int		 worker_proc_channel(const struct worker_proc *);
/*
 * cb(fd, arg) is called whenever sochid's end of the channel can be read,
 * for this start and every restart (the drafter's report lines).
 */
void		 worker_proc_on_channel(struct worker_proc *,
		    void (*)(int, void *), void *);
/* The channel failed (the worker went): no more is sent until it restarts. */
void		 worker_proc_channel_lost(struct worker_proc *);
void		 worker_proc_free(struct worker_proc *);

/*
 * In the worker, first thing: names the process (PR_SET_NAME) and has the
 * kernel end it with SIGTERM when sochid ends.  -1 if sochid is gone.
 */
int		 worker_proc_child(const char *);

#endif
