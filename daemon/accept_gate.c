/* SPDX-License-Identifier: MIT */
/*
 * When a listening socket accepts.  See accept_gate.h.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "accept_gate.h"
#include "log.h"

/* Listens if nothing holds it back. */
static void
gate_open(struct accept_gate *g)
{
	if (!g->paused && !g->starved && !g->stopped && g->lis != NULL)
		evconnlistener_enable(g->lis);
}

static void
resume_cb(evutil_socket_t fd, short what, void *arg)
{
	struct accept_gate *g = arg;

	g->starved = 0;
	gate_open(g);
}

static void
accept_cb(struct evconnlistener *lis, evutil_socket_t fd, struct sockaddr *sa,
    int salen, void *arg)
{
	struct accept_gate *g = arg;

	g->cb(lis, fd, sa, salen, g->arg);
}

static void
accept_error_cb(struct evconnlistener *lis, void *arg)
{
	struct accept_gate *g = arg;
	int err = EVUTIL_SOCKET_ERROR();

	if (err == EMFILE || err == ENFILE || err == ENOBUFS || err == ENOMEM) {
		if (!g->starved)
			log_warnx("%s: accept: %s; not accepting for a second",
			    g->name, strerror(err));
		g->starved = 1;
		evconnlistener_disable(lis);
		event_add(g->ev_resume, &(struct timeval){ 1, 0 });
		return;
	}
	log_warnx("%s: accept: %s", g->name, strerror(err));
}

int
accept_gate_start(struct accept_gate *g, struct event_base *base, int fd,
    evconnlistener_cb cb, void *arg, const char *name, const char *cap_key,
    size_t cap)
{
	memset(g, 0, sizeof(*g));
	g->name = name;
	g->cap_key = cap_key;
	g->cap = cap;
	g->cb = cb;
	g->arg = arg;
	if (fd == -1)
		return 0;
	g->ev_resume = evtimer_new(base, resume_cb, g);
	/* The gate is the listener's argument, for the error callback too. */
	g->lis = evconnlistener_new(base, accept_cb, g, LEV_OPT_CLOSE_ON_FREE |
	    LEV_OPT_CLOSE_ON_EXEC, 128, fd);
	if (g->lis == NULL || g->ev_resume == NULL) {
		if (g->lis == NULL)
			close(fd);
		accept_gate_free(g);
		return -1;
	}
	evconnlistener_set_error_cb(g->lis, accept_error_cb);
	return 0;
}

void
accept_gate_count(struct accept_gate *g, size_t open)
{
	if (open >= g->cap && !g->paused) {
		/*
		 * The kernel's backlog holds the others, not our descriptors,
		 * and each socket has its own cap: TCP clients can never take
		 * the Unix socket's, which is the CLI's.
		 */
		g->paused = 1;
		if (g->lis != NULL)
			evconnlistener_disable(g->lis);
		log_warnx("%s: %zu connections open (%s = %zu): not accepting "
		    "more until one closes", g->name, open, g->cap_key, g->cap);
	} else if (g->paused && open < g->cap) {
		g->paused = 0;
		gate_open(g);
	}
}

void
accept_gate_set_cap(struct accept_gate *g, size_t cap, size_t open)
{
	g->cap = cap;
	/* A cap lowered below what is open waits for closes, unsaid. */
	if (g->paused && open < cap) {
		g->paused = 0;
		gate_open(g);
	}
}

void
accept_gate_stop(struct accept_gate *g)
{
	g->stopped = 1;
	if (g->lis != NULL)
		evconnlistener_disable(g->lis);
}

void
accept_gate_free(struct accept_gate *g)
{
	if (g == NULL)
		return;
	g->stopped = 1;
	if (g->lis != NULL)
		evconnlistener_free(g->lis);
	if (g->ev_resume != NULL)
		event_free(g->ev_resume);
	g->lis = NULL;
	g->ev_resume = NULL;
}
