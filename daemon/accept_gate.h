/* SPDX-License-Identifier: MIT */
/*
 * When a listening socket accepts.  Three things stop it: its cap on open
 * connections (paused until one closes), running out of descriptors
 * (EMFILE, ENFILE, ENOBUFS, ENOMEM: starved for a second, since the
 * socket stays readable and would wake the loop again at once, forever),
 * and shutting down (stopped, for good).  It accepts again only when none
 * holds.  The NDJSON listeners (listener.c), the HTTP servers
 * (http_server.c) and the syslog TCP listener (syslog_listener.c) each
 * keep one per socket and tell it how many connections are open.
 */
#ifndef SOCHID_ACCEPT_GATE_H
#define SOCHID_ACCEPT_GATE_H

#include <stddef.h>

#include <event2/event.h>
#include <event2/listener.h>

struct accept_gate {
	struct evconnlistener *lis;	/* the listening socket, or NULL */
	evconnlistener_cb cb;		/* called for each connection */
	void		*arg;		/* cb's */
	struct event	*ev_resume;	/* accepting again after starving */
	const char	*name;		/* for the log: "unix", "http", ... */
	const char	*cap_key;	/* the cap's config key, for the log */
	size_t		 cap;		/* connections open at most */
	int		 paused;	/* at the cap */
	int		 starved;	/* out of descriptors, for a second */
	int		 stopped;	/* shutting down: never again */
};

/*
 * Listens on fd (taken: closed with the gate, or at once on failure) and
 * calls cb(..., arg) for each connection; name and cap_key are borrowed
 * and must outlive the gate.  fd -1 makes a gate without a socket (a
 * server fed connections from elsewhere).  0, or -1 without memory.
 */
int	accept_gate_start(struct accept_gate *, struct event_base *, int fd,
	    evconnlistener_cb cb, void *arg, const char *name,
	    const char *cap_key, size_t cap);
/* open connections now: pauses at the cap (said once), resumes below it. */
void	accept_gate_count(struct accept_gate *, size_t open);
/* A new cap (a reload): resumes at once if open is below it. */
void	accept_gate_set_cap(struct accept_gate *, size_t cap, size_t open);
/* Shutting down: stops accepting for good; the socket stays open. */
void	accept_gate_stop(struct accept_gate *);
/* Stops, closes the socket and frees the timer; NULL-tolerant, again ok. */
void	accept_gate_free(struct accept_gate *);

#endif
