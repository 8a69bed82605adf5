/* SPDX-License-Identifier: MIT */
/*
 * The batch writer: every accepted event goes to PostgreSQL through here,
 * over one db_conn in pipeline mode.  Whatever arrives while the pipeline is
 * full becomes the next batch (group commit, no timer to tune); each batch
 * is its own transaction, and each job is answered only after its batch's
 * COMMIT (or refused, or timed out).
 *
 * Ownership: a struct wjob belongs to its submitter, except from a
 * successful db_writer_submit*() until the writer calls its done(), exactly
 * once; from then on the writer holds no pointer to it.  A submitter whose
 * client went away keeps the job (marking its own context orphaned) until
 * done() comes.
 */
#ifndef SOCHID_DB_WRITER_H
#define SOCHID_DB_WRITER_H

#include <stddef.h>
#include <stdint.h>

#include <event2/event.h>

#include "config.h"
#include "event.h"

struct wresult {
	int64_t		 id;		/* the stored event's id, 0 if refused */
	const char	*code;		/* its incident code, or NULL */
	const char	*err;		/* why it was refused, or NULL */
	int		 temporary;	/* refused only because the database is away */
	int		 journaled;	/* not stored yet: on disk in the journal */
};

struct wjob {
	void		(*done)(struct wjob *, const struct wresult *);
	void		*arg;		/* the submitter's context */
	/* The writer's, while it holds the job: */
	int64_t		 deadline;	/* answer by then, monotonic µs */
	size_t		 bytes;		/* counted against max_pending_bytes */
	int		 replay;	/* the writer's own: a journal record again */
	unsigned	 mkind;		/* its kind, for /metrics */
	unsigned	 msource;	/* its source's /metrics label */
};

struct db_writer_stats {
	uint64_t	 committed;	/* events answered with an id */
	uint64_t	 refused;	/* events answered with an error */
	uint64_t	 batches;	/* transactions committed */
	uint64_t	 splits;	/* batches split to find a row the database refused */
	uint64_t	 reconnects;	/* connections made after the first */
	uint64_t	 timeouts;	/* batches cancelled at their deadline */
	size_t		 pending;	/* jobs queued or in flight */
	size_t		 pending_bytes;	/* bytes they hold */
	int		 connected;	/* the connection is up */
	int		 stalled;	/* a request ran past its deadline, none committed since */
	int		 journaling;	/* events go to the journal, or come from it */
	size_t		 journal_events; /* events in the journal not yet stored */
	size_t		 journal_bytes;	/* its size not yet stored */
	int64_t		 journal_age;	/* µs the oldest of them has waited */
	uint64_t	 journaled;	/* events answered "journaled" */
	uint64_t	 replayed;	/* events stored from the journal */
};

int	db_writer_init(struct event_base *, const struct sochi_config *);
/* Queues one event; done is called exactly once, after commit or refusal. */
int	db_writer_submit(struct wjob *, const struct sochi_event *,
	    const char *, const char *);
/* Queues n events to be stored together or not at all. */
int	db_writer_submit_atomic(struct wjob **, const struct sochi_event *,
	    size_t, const char *, const char *);
/*
 * Queues one row made elsewhere (a syslog line), batched with whatever else
 * arrives; like db_writer_submit, journaled while the database is away.
 */
int	db_writer_submit_row(struct wjob *, const struct event_row *);
/* Queues rows made elsewhere (webhook alerts), stored together or not at all. */
int	db_writer_submit_rows(struct wjob **, const struct event_row *, size_t);
/*
 * Whether n more bytes fit in max_pending_bytes.  Submitters ask before
 * taking a request; when the budget is spent NDJSON connections pause and
 * HTTP answers 503.
 */
int	db_writer_room(size_t);
/*
 * Called whenever the bytes held fall back below half the budget; each
 * submitter that pauses registers one (at most 4), -1 when full.
 */
int	db_writer_on_room(void (*)(void));
void	db_writer_stats(struct db_writer_stats *);
/* SIGHUP: batch_max and max_pending_bytes of the running config apply now. */
void	db_writer_reload(const struct sochi_config *);
void	db_writer_free(void);

#endif
