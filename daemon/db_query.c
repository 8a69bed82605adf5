/* SPDX-License-Identifier: MIT */
/*
 * A worker's queries.  See db_query.h.
 */
#include <sys/queue.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_query.h"

struct dq {
	TAILQ_ENTRY(dq) entry;		/* in the waiting list until sent */
	struct db_queries *qs;		/* whose */
	struct db_req	 req;		/* its request */
	char		*params[DB_QUERY_PARAMS]; /* copies */
	struct event	*timer;		/* its wait, or NULL */
	int64_t		 wait;		/* µs it may wait, or 0 */
	db_query_cb	 cb;		/* who gets the result */
	void		*arg;		/* and its context */
};
TAILQ_HEAD(dq_list, dq);

struct db_queries {
	struct event_base *base;	/* the loop */
	struct db_conn	*conn;		/* the connection */
	struct db_conn_config cf;	/* as given; callbacks wrapped */
	struct dq_list	 waiting;	/* queries not yet sent */
	int		 stopping;	/* no more queries */
};

static void
dq_free(struct dq *q)
{
	int i;

	for (i = 0; i < DB_QUERY_PARAMS; i++)
		free(q->params[i]);
	if (q->timer != NULL)
		event_free(q->timer);
	free(q);
}

/* Sends the waiting queries while the connection takes them. */
static void
flush(struct db_queries *qs)
{
	struct dq *q;

	while (!qs->stopping && (q = TAILQ_FIRST(&qs->waiting)) != NULL &&
	    db_conn_room(qs->conn)) {
		TAILQ_REMOVE(&qs->waiting, q, entry);
		if (db_conn_send(qs->conn, &q->req) == -1) {
			TAILQ_INSERT_HEAD(&qs->waiting, q, entry);
			return;
		}
		if (q->timer != NULL)
			evtimer_del(q->timer);
	}
}

static void
done(struct db_req *req, struct db_result *res)
{
	struct dq *q = req->arg;
	struct db_queries *qs = q->qs;

	q->cb(res->failed ? NULL : res->res, res->failed ? res->error : NULL,
	    q->arg);
	dq_free(q);
	flush(qs);
}

static void
waited_cb(evutil_socket_t fd, short what, void *arg)
{
	struct dq *q = arg;
	char msg[128];

	TAILQ_REMOVE(&q->qs->waiting, q, entry);
	snprintf(msg, sizeof(msg), "no connection to the database within "
	    "%lld s", (long long)(q->wait / 1000000));
	q->cb(NULL, msg, q->arg);
	dq_free(q);
}

static void
on_ready(void *arg)
{
	struct db_queries *qs = arg;

	flush(qs);
	if (qs->cf.on_ready != NULL)
		qs->cf.on_ready(qs->cf.arg);
}

static void
on_notify(const char *channel, const char *payload, void *arg)
{
	struct db_queries *qs = arg;

	if (qs->cf.on_notify != NULL)
		qs->cf.on_notify(channel, payload, qs->cf.arg);
}

struct db_queries *
db_queries_new(struct event_base *base, const struct db_conn_config *cf)
{
	struct db_queries *qs;
	struct db_conn_config c = *cf;

	if ((qs = calloc(1, sizeof(*qs))) == NULL)
		return NULL;
	qs->base = base;
	qs->cf = *cf;
	TAILQ_INIT(&qs->waiting);
	c.on_ready = on_ready;
	c.on_notify = on_notify;
	c.arg = qs;
	if ((qs->conn = db_conn_new(base, &c)) == NULL) {
		free(qs);
		return NULL;
	}
	return qs;
}

void
db_queries_send(struct db_queries *qs, const char *stmt, int n,
    const char *const *params, int64_t wait, db_query_cb cb, void *arg)
{
	struct dq *q;
	int i;

	if (qs->stopping) {
		cb(NULL, "stopping", arg);
		return;
	}
	if (n > DB_QUERY_PARAMS || (q = calloc(1, sizeof(*q))) == NULL) {
		cb(NULL, "out of memory", arg);
		return;
	}
	q->qs = qs;
	for (i = 0; i < n; i++)
		if ((q->params[i] = strdup(params[i])) == NULL) {
			dq_free(q);
			cb(NULL, "out of memory", arg);
			return;
		}
	if (wait > 0) {
		if ((q->timer = evtimer_new(qs->base, waited_cb, q)) == NULL) {
			dq_free(q);
			cb(NULL, "out of memory", arg);
			return;
		}
		q->wait = wait;
		event_add(q->timer, &(struct timeval){ wait / 1000000,
		    wait % 1000000 });
	}
	q->req.stmt = stmt;
	q->req.nparams = n;
	q->req.params = (const char *const *)q->params;
	q->req.done = done;
	q->req.arg = q;
	q->cb = cb;
	q->arg = arg;
	TAILQ_INSERT_TAIL(&qs->waiting, q, entry);
	flush(qs);
}

int
db_queries_ready(const struct db_queries *qs)
{
	struct db_conn_stats st;

	db_conn_stats(qs->conn, &st);
	return st.ready;
}

void
db_queries_free(struct db_queries *qs)
{
	struct dq *q;

	if (qs == NULL)
		return;
	/* What is in flight fails first; its callbacks may not queue more. */
	qs->stopping = 1;
	db_conn_free(qs->conn);
	while ((q = TAILQ_FIRST(&qs->waiting)) != NULL) {
		TAILQ_REMOVE(&qs->waiting, q, entry);
		q->cb(NULL, "stopping", q->arg);
		dq_free(q);
	}
	free(qs);
}
