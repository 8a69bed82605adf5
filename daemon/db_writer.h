/*
 * The batch writer: every accepted event goes to PostgreSQL through here.
 * One non-blocking libpq connection inside the libevent loop; whatever
 * arrives while a batch is in flight becomes the next batch (group commit);
 * each job is answered only after its batch's transaction has committed.
 */
#ifndef SOCHID_DB_WRITER_H
#define SOCHID_DB_WRITER_H

#include <stddef.h>
#include <stdint.h>

#include <event2/event.h>

#include "config.h"
#include "event.h"

struct wbatch;

struct wresult {
	int64_t		 id;		/* the stored event's id, 0 if refused */
	const char	*code;		/* its incident code, or NULL */
	const char	*err;		/* why it was refused, or NULL */
	int		 temporary;	/* refused only because the database is away */
};

struct wjob {
	void		(*done)(struct wjob *, const struct wresult *);
	void		*arg;		/* the submitter's context */
	int64_t		 queued;	/* monotonic µs when submitted */
	size_t		 off;		/* its row in the batch text */
	size_t		 len;		/* the row's length */
	int		 expired;	/* answered with a timeout, row dropped */
};

struct db_writer_stats {
	uint64_t	 committed;	/* events answered with an id */
	uint64_t	 refused;	/* events answered with an error */
	uint64_t	 batches;	/* transactions committed */
	uint64_t	 reconnects;	/* connections made after the first */
	size_t		 pending;	/* jobs queued or in flight */
	int		 connected;	/* the connection is up */
};

int	db_writer_init(struct event_base *, const struct sochi_config *);
/* Queues one event; done is called exactly once, after commit or refusal. */
int	db_writer_submit(struct wjob *, const struct sochi_event *,
	    const char *, const char *);
/* Queues n events to be stored together or not at all. */
int	db_writer_submit_atomic(struct wjob **, const struct sochi_event *,
	    size_t, const char *, const char *);
/* Queues rows written elsewhere (webhook alerts), stored together or not at all. */
int	db_writer_submit_rows(struct wjob **, const struct sbuf *, size_t);
void	db_writer_stats(struct db_writer_stats *);
void	db_writer_free(void);

#endif
