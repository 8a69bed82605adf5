/*
 * The detector's connection: a FIFO of queries, one in flight.
 */
#include <sys/queue.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "pgq.h"

struct pgq_item {
	TAILQ_ENTRY(pgq_item) entry;	/* in the queue */
	char		*sql;		/* the statement */
	char		**params;	/* its parameters, copied */
	int		 n;		/* how many */
	pgq_cb		 cb;		/* who gets the result */
	void		*arg;
};
TAILQ_HEAD(pgq_list, pgq_item);

enum pgq_state { PGQ_DOWN, PGQ_CONNECTING, PGQ_IDLE, PGQ_BUSY };

static struct {
	struct event_base *base;
	char		*conninfo;
	PGconn		*conn;
	enum pgq_state	 state;
	struct event	*ev;		/* on PQsocket() */
	int		 fd;
	short		 what;
	struct event	*retry;		/* the backoff */
	struct pgq_list	 queue;		/* head is in flight when busy */
	PGresult	*result;	/* the in-flight query's last result */
	char		 error[512];	/* its error, if any */
	int		 failed;	/* the connection broke */
} q;

static void	pgq_cb_sock(evutil_socket_t, short, void *);
static void	pgq_connect(void);

static void
watch(int fd, short what)
{
	if (q.ev != NULL && (fd != q.fd || what != q.what)) {
		event_free(q.ev);
		q.ev = NULL;
	}
	if (q.ev == NULL && fd >= 0) {
		q.ev = event_new(q.base, fd, what | EV_PERSIST, pgq_cb_sock, NULL);
		event_add(q.ev, NULL);
		q.fd = fd;
		q.what = what;
	}
}

static void
down(const char *why)
{
	log_debug("detector database connection: %s", why);
	PQclear(q.result);
	q.result = NULL;
	if (q.conn != NULL)
		PQfinish(q.conn);
	q.conn = NULL;
	watch(-1, 0);
	q.state = PGQ_DOWN;
	event_add(q.retry, &(struct timeval){ 1, 0 });
}

static void
send_next(void)
{
	struct pgq_item *it = TAILQ_FIRST(&q.queue);
	int rv;

	if (q.state != PGQ_IDLE || it == NULL)
		return;
	q.error[0] = '\0';
	if (!PQsendQueryParams(q.conn, it->sql, it->n, NULL,
	    (const char *const *)it->params, NULL, NULL, 0)) {
		down(PQerrorMessage(q.conn));
		return;
	}
	q.state = PGQ_BUSY;
	rv = PQflush(q.conn);
	watch(PQsocket(q.conn), rv == 1 ? EV_READ | EV_WRITE : EV_READ);
}

static void
item_free(struct pgq_item *it)
{
	int i;

	for (i = 0; i < it->n; i++)
		free(it->params[i]);
	free(it->params);
	free(it->sql);
	free(it);
}

static void
finish(void)
{
	struct pgq_item *it = TAILQ_FIRST(&q.queue);
	PGresult *res = q.result;

	q.result = NULL;
	if (PQstatus(q.conn) != CONNECTION_OK) {
		PQclear(res);
		down("lost");
		return;
	}
	TAILQ_REMOVE(&q.queue, it, entry);
	q.state = PGQ_IDLE;
	if (q.error[0] != '\0') {
		PQclear(res);
		it->cb(NULL, q.error, it->arg);
	} else
		it->cb(res, NULL, it->arg);
	item_free(it);
	send_next();
}

static void
pgq_cb_sock(evutil_socket_t fd, short what, void *arg)
{
	PostgresPollingStatusType st;
	PGresult *res;

	if (q.state == PGQ_CONNECTING) {
		st = PQconnectPoll(q.conn);
		if (st == PGRES_POLLING_OK) {
			PQsetnonblocking(q.conn, 1);
			q.state = PGQ_IDLE;
			watch(-1, 0);
			watch(PQsocket(q.conn), EV_READ);
			send_next();
		} else if (st == PGRES_POLLING_READING)
			watch(PQsocket(q.conn), EV_READ);
		else if (st == PGRES_POLLING_WRITING)
			watch(PQsocket(q.conn), EV_WRITE);
		else
			down(PQerrorMessage(q.conn));
		return;
	}
	if (q.conn == NULL)
		return;
	if ((what & EV_READ) && !PQconsumeInput(q.conn)) {
		down(PQerrorMessage(q.conn));
		return;
	}
	if (q.state != PGQ_BUSY) {
		if (PQstatus(q.conn) != CONNECTION_OK)
			down("closed");
		return;
	}
	if (q.what & EV_WRITE) {
		int rv = PQflush(q.conn);

		if (rv == -1) {
			down(PQerrorMessage(q.conn));
			return;
		}
		if (rv == 0)
			watch(PQsocket(q.conn), EV_READ);
	}
	while (q.conn != NULL && !PQisBusy(q.conn)) {
		if ((res = PQgetResult(q.conn)) == NULL) {
			finish();
			return;
		}
		if (PQresultStatus(res) == PGRES_FATAL_ERROR) {
			if (q.error[0] == '\0')
				snprintf(q.error, sizeof(q.error), "%s",
				    PQresultErrorMessage(res));
			PQclear(res);
		} else {
			PQclear(q.result);
			q.result = res;
		}
	}
}

static void
pgq_connect(void)
{
	const char *keys[] = { "dbname", "application_name", NULL };
	const char *vals[] = { q.conninfo, "sochid-detector", NULL };

	q.conn = PQconnectStartParams(keys, vals, 1);
	if (q.conn == NULL || PQstatus(q.conn) == CONNECTION_BAD) {
		down(q.conn ? PQerrorMessage(q.conn) : "out of memory");
		return;
	}
	q.state = PGQ_CONNECTING;
	watch(PQsocket(q.conn), EV_WRITE);
}

static void
retry_cb(evutil_socket_t fd, short what, void *arg)
{
	if (q.state == PGQ_DOWN)
		pgq_connect();
}

int
pgq_init(struct event_base *base, const char *conninfo)
{
	memset(&q, 0, sizeof(q));
	TAILQ_INIT(&q.queue);
	q.base = base;
	q.fd = -1;
	if ((q.conninfo = strdup(conninfo)) == NULL ||
	    (q.retry = evtimer_new(base, retry_cb, NULL)) == NULL)
		return -1;
	pgq_connect();
	return 0;
}

int
pgq_query(const char *sql, int n, const char *const *params, pgq_cb cb,
    void *arg)
{
	struct pgq_item *it = calloc(1, sizeof(*it));
	int i;

	if (it == NULL || (it->sql = strdup(sql)) == NULL ||
	    (n > 0 && (it->params = calloc((size_t)n, sizeof(char *))) == NULL)) {
		if (it)
			free(it->sql);
		free(it);
		return -1;
	}
	for (i = 0; i < n; i++)
		it->params[i] = params[i] ? strdup(params[i]) : NULL;
	it->n = n;
	it->cb = cb;
	it->arg = arg;
	TAILQ_INSERT_TAIL(&q.queue, it, entry);
	send_next();
	return 0;
}

int
pgq_idle(void)
{
	return TAILQ_EMPTY(&q.queue);
}

void
pgq_free(void)
{
	struct pgq_item *it;

	while ((it = TAILQ_FIRST(&q.queue)) != NULL) {
		TAILQ_REMOVE(&q.queue, it, entry);
		item_free(it);
	}
	if (q.ev)
		event_free(q.ev);
	if (q.retry)
		event_free(q.retry);
	PQclear(q.result);
	if (q.conn)
		PQfinish(q.conn);
	free(q.conninfo);
	memset(&q, 0, sizeof(q));
}
