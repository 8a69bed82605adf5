/* SPDX-License-Identifier: MIT */
/*
 * GET /metrics: sochid's counters in the Prometheus text exposition format
 * (version 0.0.4), served by the ingest process's HTTP server.  A scrape
 * costs no database call and no system call: the counters are bumped where
 * things happen (the writer, the listeners, the drafter's reports over its
 * channel) and only read here.
 *
 * Every label has a bounded set of values, so that no sender can make the
 * series grow: kind is an event kind (or "invalid": a request that is not
 * an event), source is a token's name, "local" (any user of the Unix
 * socket; uids are left out), "syslog" or "other"; listener is unix, tcp or
 * http; trigger is sokuho or recovery.
 */
#ifndef SOCHID_METRICS_H
#define SOCHID_METRICS_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "event.h"
#include "sbuf.h"

/* What happened to an event. */
enum metrics_event {
	METRICS_ACCEPTED,	/* valid, handed to the writer */
	METRICS_COMMITTED,	/* stored, directly or from the journal */
	METRICS_REFUSED,	/* answered with an error */
	METRICS_JOURNALED,	/* answered "journaled" */
	METRICS__EVENTS
};

/* The kind label of a request that could not be read as an event. */
#define METRICS_KIND_INVALID	KIND__COUNT

/* Starts the counters; the configured tokens are the sources known. */
void	 metrics_init(const struct sochi_config *);
/* The tokens changed (SIGHUP): their names become sources too. */
void	 metrics_tokens(const struct sochi_config *);
/* The source label of an event's source ("local:1000" is "local"). */
unsigned metrics_source(const char *);
void	 metrics_event(enum metrics_event, unsigned kind, unsigned source);
/* A batch committed: its rows and how long from sending to COMMIT. */
void	 metrics_batch(size_t, int64_t usec);
struct worker_proc;
/* The drafter, whose restarts are counted. */
void	 metrics_set_drafter(const struct worker_proc *);
/* A line of the drafter's reports ("open N", "draft TRIGGER"). */
void	 metrics_drafter_line(const char *);
/* Open incidents as the drafter last counted them; -1: not known yet. */
long	 metrics_open_incidents(void);
/* Events accepted since start, for the events/s of STATUS=. */
uint64_t metrics_accepted(void);
/* The whole page. */
int	 metrics_render(struct sbuf *);
void	 metrics_free(void);

#endif
