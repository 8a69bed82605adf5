/*
 * A second, read-mostly database connection inside the loop, for the draft
 * detector: queries run one at a time in the order queued, each answered
 * to its callback with its last result (NULL and a message on failure).
 * Non-blocking libpq as STYLE.md asks; a lost connection is made again
 * after a backoff and the query in flight is sent again.
 */
#ifndef SOCHID_PGQ_H
#define SOCHID_PGQ_H

#include <event2/event.h>
#include <libpq-fe.h>

typedef void (*pgq_cb)(PGresult *, const char *, void *);

int	pgq_init(struct event_base *, const char *);
/* Queues sql with n text parameters (copied); cb gets the result to keep or PQclear. */
int	pgq_query(const char *, int, const char *const *, pgq_cb, void *);
int	pgq_idle(void);
void	pgq_free(void);

#endif
