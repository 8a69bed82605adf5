/* SPDX-License-Identifier: MIT */
/*
 * sochid's side of the drafter process (drafter.h): it starts the drafter
 * once it listens (fork, then exec of sochid itself, so the child starts
 * clean and holds none of the ingest process's sockets), starts it again
 * if it dies, passes SIGHUP on, and stops it with SIGTERM when sochid
 * exits.  The drafter ends by itself if sochid is killed outright.
 */
#ifndef SOCHID_DRAFTER_PROC_H
#define SOCHID_DRAFTER_PROC_H

#include <sys/types.h>

#include <stdint.h>

#include <event2/event.h>

/* exe: sochid's own path; argv of the child: "sochid: drafter" --drafter -f conf. */
int		drafter_proc_init(struct event_base *, const char *, const char *,
		    int);
void		drafter_proc_signal(int);
/* Stops it and waits (a few seconds at most, then SIGKILL). */
void		drafter_proc_stop(void);
pid_t		drafter_proc_pid(void);
uint64_t	drafter_proc_restarts(void);
void		drafter_proc_free(void);

#endif
