/* SPDX-License-Identifier: MIT */
/*
 * The HTTP/1.1 server.  See http_server.h.
 *
 * Each connection is a small state machine (STYLE.md, habit 3):
 *   head      reading a request line and headers (or waiting for them)
 *   body      reading the body Content-Length says
 *   handling  the request is the handler's; nothing more is read
 *   writing   the answer is going out
 *   streaming a streamed answer is going out, until its end
 *   closed    socket gone; the struct lives while its request is out
 * and one timer holds whichever deadline the state has.
 */
#include <sys/queue.h>
#include <sys/socket.h>

#include <netinet/in.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/listener.h>

#include "accept_gate.h"
#include "http_server.h"
#include "log.h"

#define HEADERS_MAX	64

enum hc_state { HC_HEAD, HC_BODY, HC_HANDLING, HC_WRITING, HC_STREAMING,
    HC_CLOSED };

static const char *const hc_state_names[] = { "head", "body", "handling",
    "writing", "streaming", "closed" };

struct hconn {
	TAILQ_ENTRY(hconn) entry;	/* in the server's list */
	struct http_server *srv;	/* whose */
	uint64_t	 id;		/* for the log */
	enum hc_state	 state;		/* see above */
	struct bufferevent *bev;	/* the socket; NULL once closed */
	struct sockaddr_storage peer;	/* the client */
	struct event	*timer;		/* the state's deadline */
	int64_t		 deadline;	/* when it fires, or 0 */
	int		 started;	/* head: a byte of a request has come */
	int		 keep_alive;	/* another request may follow */
	int		 once;		/* adopted: one request, then close */
	int		 passed;	/* handed to another process: close soon */
	size_t		 body_left;	/* body: bytes still to come */
	struct http_req	*req;		/* the request read, being answered */
};
TAILQ_HEAD(hconn_list, hconn);

struct http_hdr {
	char		*name;		/* as sent */
	char		*value;		/* trimmed */
};

struct http_req {
	struct hconn	*conn;		/* NULL once the client has gone */
	uint64_t	 conn_id;	/* its connection's id, even then (the log) */
	struct http_server *srv;	/* whose */
	char		*head;		/* the request line and headers, cut up */
	char		*raw;		/* ... as they came, to hand them over */
	size_t		 rawlen;	/* their length */
	char		*method;	/* GET, POST, ... */
	char		*path;		/* before '?' */
	char		*query;		/* after '?', or "" */
	struct http_hdr	 hdr[HEADERS_MAX]; /* headers, in order */
	size_t		 nhdr;
	char		*body;		/* NUL-terminated, or NULL */
	size_t		 bodylen;	/* its length */
	struct sockaddr_storage peer;	/* the client */
	int		 head_only;	/* HEAD: no body in the answer */
	void		(*gone_cb)(struct http_req *, void *); /* stream's client went */
	void		*gone_arg;
};

struct http_server {
	struct event_base *base;	/* the loop */
	struct http_server_config cf;	/* as given */
	char		*name;		/* copy of cf.name */
	struct accept_gate gate;	/* the listening socket, its cap */
	struct hconn_list conns;	/* open, and closed with a request out */
	size_t		 nconns;	/* open */
	size_t		 pending;	/* requests out */
	uint64_t	 next_id;	/* the next connection's id */
	int		 draining;	/* no more connections */
};

static void	hc_read_cb(struct bufferevent *, void *);
static void	hc_write_cb(struct bufferevent *, void *);
static void	hc_event_cb(struct bufferevent *, short, void *);
static void	hc_process(struct hconn *);

static int64_t
now_mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void
hc_set_state(struct hconn *c, enum hc_state s)
{
	if (c->state == s)
		return;
	if (c->state == HC_CLOSED)
		fatalx("%s conn %llu: closed -> %s", c->srv->name,
		    (unsigned long long)c->id, hc_state_names[s]);
	log_debug("%s conn %llu: %s -> %s", c->srv->name,
	    (unsigned long long)c->id, hc_state_names[c->state],
	    hc_state_names[s]);
	c->state = s;
}

/* Sets the deadline, relative to now; 0 for none. */
static void
hc_deadline(struct hconn *c, int64_t after)
{
	if (after <= 0) {
		c->deadline = 0;
		evtimer_del(c->timer);
		return;
	}
	c->deadline = now_mono() + after;
	event_add(c->timer, &(struct timeval){ after / 1000000,
	    after % 1000000 });
}

static void
hc_free(struct hconn *c)
{
	struct http_server *s = c->srv;

	TAILQ_REMOVE(&s->conns, c, entry);
	if (c->timer != NULL)
		event_free(c->timer);
	free(c);
}

static void	req_free(struct http_req *);

/* Closes the socket; a request still out is orphaned, not freed. */
static void
hc_close(struct hconn *c)
{
	struct http_server *s = c->srv;
	struct http_req *r = c->req;

	if (c->state == HC_CLOSED)
		return;
	hc_set_state(c, HC_CLOSED);
	if (c->bev != NULL) {
		bufferevent_free(c->bev);
		c->bev = NULL;
	}
	evtimer_del(c->timer);
	s->nconns--;
	c->req = NULL;
	if (r != NULL) {
		r->conn = NULL;
		if (r->gone_cb != NULL)
			r->gone_cb(r, r->gone_arg);
	}
	hc_free(c);
	accept_gate_count(&s->gate, s->nconns);
}

/* A request refused before it reached the handler; the connection closes. */
static void
hc_refuse(struct hconn *c, int code, const char *reason, const char *msg)
{
	struct evbuffer *out = bufferevent_get_output(c->bev);

	evbuffer_add_printf(out, "HTTP/1.1 %d %s\r\nContent-Type: "
	    "application/json\r\nContent-Length: %zu\r\nConnection: close\r\n"
	    "\r\n%s", code, reason, strlen(msg), msg);
	c->keep_alive = 0;
	bufferevent_disable(c->bev, EV_READ);
	hc_set_state(c, HC_WRITING);
	hc_deadline(c, c->srv->cf.request_timeout);
}

static char *
trim(char *p)
{
	char *e;

	while (*p == ' ' || *p == '\t')
		p++;
	e = p + strlen(p);
	while (e > p && (e[-1] == ' ' || e[-1] == '\t'))
		*--e = '\0';
	return p;
}

/*
 * Cuts up a request head (request line and header lines, ending in an
 * empty line) in place.  -1 when it is not one.
 */
static int
parse_head(struct http_req *r, char *head)
{
	char *line, *next, *sp, *colon, *version;
	int first = 1;

	for (line = head; *line != '\0'; line = next) {
		if ((next = strstr(line, "\r\n")) == NULL)
			return -1;
		*next = '\0';
		next += 2;
		if (*line == '\0')
			break;
		if (first) {
			first = 0;
			r->method = line;
			if ((sp = strchr(line, ' ')) == NULL)
				return -1;
			*sp++ = '\0';
			r->path = sp;
			if ((sp = strchr(sp, ' ')) == NULL)
				return -1;
			*sp++ = '\0';
			version = sp;
			if (strncmp(version, "HTTP/1.", 7) != 0 ||
			    (version[7] != '0' && version[7] != '1') ||
			    version[8] != '\0' || *r->method == '\0' ||
			    r->path[0] != '/')
				return -1;
			if ((r->query = strchr(r->path, '?')) != NULL)
				*r->query++ = '\0';
			else
				r->query = (char *)"";
			r->hdr[0].value = version;	/* kept for keep-alive */
			continue;
		}
		/* No obsolete line folding; a name is a token. */
		if (*line == ' ' || *line == '\t' ||
		    (colon = strchr(line, ':')) == NULL || colon == line ||
		    r->nhdr + 1 >= HEADERS_MAX)
			return -1;
		*colon = '\0';
		if (strpbrk(line, " \t") != NULL)
			return -1;
		r->nhdr++;
		r->hdr[r->nhdr].name = line;
		r->hdr[r->nhdr].value = trim(colon + 1);
	}
	return first ? -1 : 0;
}

const char *
http_req_header(const struct http_req *r, const char *name)
{
	size_t i;

	for (i = 1; i <= r->nhdr; i++)
		if (strcasecmp(r->hdr[i].name, name) == 0)
			return r->hdr[i].value;
	return NULL;
}

static void
req_free(struct http_req *r)
{
	if (r == NULL)
		return;
	free(r->head);
	free(r->raw);
	free(r->body);
	free(r);
}

/* The head is in; what the body and the connection will be. */
static void
hc_head_done(struct hconn *c, size_t len)
{
	struct http_server *s = c->srv;
	struct evbuffer *in = bufferevent_get_input(c->bev);
	struct http_req *r;
	const char *v, *conn;
	char *end;
	unsigned long long cl = 0;

	if ((r = calloc(1, sizeof(*r))) == NULL ||
	    (r->head = malloc(len + 1)) == NULL ||
	    (r->raw = malloc(len)) == NULL) {
		req_free(r);
		hc_refuse(c, 503, "Service Unavailable",
		    "{\"ok\":false,\"error\":\"out of memory\"}");
		return;
	}
	evbuffer_remove(in, r->head, len);
	r->head[len] = '\0';
	memcpy(r->raw, r->head, len);
	r->rawlen = len;
	r->srv = s;
	r->peer = c->peer;
	if (parse_head(r, r->head) == -1) {
		req_free(r);
		hc_refuse(c, 400, "Bad Request", "{\"ok\":false,\"error\":"
		    "\"not an HTTP/1.x request\"}");
		return;
	}
	r->head_only = strcmp(r->method, "HEAD") == 0;
	conn = http_req_header(r, "Connection");
	c->keep_alive = strcmp(r->hdr[0].value, "HTTP/1.1") == 0 ?
	    !(conn != NULL && strcasecmp(conn, "close") == 0) :
	    (conn != NULL && strcasecmp(conn, "keep-alive") == 0);
	if (c->once)
		c->keep_alive = 0;
	if (http_req_header(r, "Transfer-Encoding") != NULL) {
		req_free(r);
		hc_refuse(c, 411, "Length Required", "{\"ok\":false,\"error\":"
		    "\"send the body with a Content-Length\"}");
		return;
	}
	if ((v = http_req_header(r, "Content-Length")) != NULL) {
		errno = 0;
		cl = strtoull(v, &end, 10);
		if (*v < '0' || *v > '9' || *end != '\0' || errno != 0) {
			req_free(r);
			hc_refuse(c, 400, "Bad Request", "{\"ok\":false,"
			    "\"error\":\"Content-Length is not a number\"}");
			return;
		}
		if (cl > s->cf.max_body_bytes) {
			req_free(r);
			hc_refuse(c, 413, "Payload Too Large", "{\"ok\":false,"
			    "\"error\":\"the body is larger than "
			    "max_body_bytes\"}");
			return;
		}
	}
	c->req = r;
	c->body_left = (size_t)cl;
	if (cl > 0) {
		v = http_req_header(r, "Expect");
		if (v != NULL && strcasecmp(v, "100-continue") == 0)
			evbuffer_add_printf(bufferevent_get_output(c->bev),
			    "HTTP/1.1 100 Continue\r\n\r\n");
		if ((r->body = malloc((size_t)cl + 1)) == NULL) {
			c->req = NULL;
			req_free(r);
			hc_refuse(c, 503, "Service Unavailable",
			    "{\"ok\":false,\"error\":\"out of memory\"}");
			return;
		}
		hc_set_state(c, HC_BODY);
	}
}

/* The whole request is in: the handler's, until it answers. */
static void
hc_dispatch(struct hconn *c)
{
	struct http_server *s = c->srv;
	struct http_req *r = c->req;

	r->conn = c;
	r->conn_id = c->id;
	hc_set_state(c, HC_HANDLING);
	hc_deadline(c, 0);
	/* Only the close is watched now: whatever else comes waits. */
	bufferevent_setwatermark(c->bev, EV_READ, 0, s->cf.max_header_bytes);
	s->pending++;
	s->cf.handle(r, s->cf.arg);
}

static void
hc_process(struct hconn *c)
{
	struct http_server *s = c->srv;
	struct evbuffer *in;
	struct evbuffer_ptr p;
	size_t have;

	while (c->state == HC_HEAD || c->state == HC_BODY) {
		in = bufferevent_get_input(c->bev);
		have = evbuffer_get_length(in);
		if (c->state == HC_HEAD) {
			if (have == 0)
				return;
			if (!c->started) {
				/* The whole request must come in this time. */
				c->started = 1;
				hc_deadline(c, s->cf.request_timeout);
			}
			p = evbuffer_search(in, "\r\n\r\n", 4, NULL);
			if (p.pos == -1) {
				if (have > s->cf.max_header_bytes)
					hc_refuse(c, 431, "Request Header Fields "
					    "Too Large", "{\"ok\":false,\"error\":"
					    "\"headers too large\"}");
				return;
			}
			if ((size_t)p.pos + 4 > s->cf.max_header_bytes) {
				hc_refuse(c, 431, "Request Header Fields Too "
				    "Large", "{\"ok\":false,\"error\":\"headers "
				    "too large\"}");
				return;
			}
			hc_head_done(c, (size_t)p.pos + 4);
			if (c->state == HC_HEAD && c->req != NULL)
				hc_dispatch(c);
			continue;
		}
		/* HC_BODY */
		if (have > c->body_left)
			have = c->body_left;
		evbuffer_remove(in, c->req->body + c->req->bodylen, have);
		c->req->bodylen += have;
		c->body_left -= have;
		if (c->body_left > 0)
			return;
		c->req->body[c->req->bodylen] = '\0';
		hc_dispatch(c);
	}
}

static void
hc_read_cb(struct bufferevent *bev, void *arg)
{
	hc_process(arg);
}

static void
hc_write_cb(struct bufferevent *bev, void *arg)
{
	struct hconn *c = arg;

	if (c->state != HC_WRITING)
		return;
	/* The answer is out. */
	if (!c->keep_alive || c->srv->draining) {
		hc_close(c);
		return;
	}
	hc_set_state(c, HC_HEAD);
	c->started = 0;
	bufferevent_setwatermark(c->bev, EV_READ, 0, 0);
	bufferevent_enable(c->bev, EV_READ);
	hc_deadline(c, c->srv->cf.idle_timeout);
	hc_process(c);
}

static void
hc_event_cb(struct bufferevent *bev, short what, void *arg)
{
	struct hconn *c = arg;

	if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR)) {
		log_debug("%s conn %llu: %s", c->srv->name,
		    (unsigned long long)c->id, what & BEV_EVENT_EOF ? "closed "
		    "by the client" : evutil_socket_error_to_string(
		    EVUTIL_SOCKET_ERROR()));
		hc_close(c);
	}
}

static void
hc_timer_cb(evutil_socket_t fd, short what, void *arg)
{
	struct hconn *c = arg;

	if (c->passed) {
		hc_close(c);
		return;
	}
	switch (c->state) {
	case HC_HEAD:
		if (c->started) {
			log_debug("%s conn %llu: no whole request within its "
			    "deadline", c->srv->name, (unsigned long long)c->id);
			hc_refuse(c, 408, "Request Timeout", "{\"ok\":false,"
			    "\"error\":\"the request did not arrive whole in "
			    "time\"}");
			/* A client that does not read either: gone. */
			hc_deadline(c, 1000000);
			c->started = 0;
			return;
		}
		hc_close(c);	/* idle */
		return;
	case HC_BODY:
		hc_refuse(c, 408, "Request Timeout", "{\"ok\":false,\"error\":"
		    "\"the request did not arrive whole in time\"}");
		hc_deadline(c, 1000000);
		return;
	case HC_WRITING:
		log_debug("%s conn %llu: the client does not read its answer",
		    c->srv->name, (unsigned long long)c->id);
		hc_close(c);
		return;
	default:
		return;
	}
}

/* A connection to serve, its socket taken; NULL (the socket closed) if not. */
static struct hconn *
hc_new(struct http_server *s, evutil_socket_t fd, const struct sockaddr *sa,
    size_t salen)
{
	struct hconn *c;

	if (s->draining || (c = calloc(1, sizeof(*c))) == NULL) {
		evutil_closesocket(fd);
		return NULL;
	}
	c->srv = s;
	c->id = ++s->next_id;
	if (salen <= sizeof(c->peer))
		memcpy(&c->peer, sa, salen);
	c->bev = bufferevent_socket_new(s->base, fd, BEV_OPT_CLOSE_ON_FREE);
	c->timer = evtimer_new(s->base, hc_timer_cb, c);
	if (c->bev == NULL || c->timer == NULL) {
		if (c->bev != NULL)
			bufferevent_free(c->bev);
		else
			evutil_closesocket(fd);
		if (c->timer != NULL)
			event_free(c->timer);
		free(c);
		return NULL;
	}
	TAILQ_INSERT_TAIL(&s->conns, c, entry);
	s->nconns++;
	c->state = HC_HEAD;
	bufferevent_setcb(c->bev, hc_read_cb, hc_write_cb, hc_event_cb, c);
	bufferevent_enable(c->bev, EV_READ);
	hc_deadline(c, s->cf.idle_timeout);
	return c;
}

static void
accept_cb(struct evconnlistener *lis, evutil_socket_t fd, struct sockaddr *sa,
    int salen, void *arg)
{
	struct http_server *s = arg;

	if (hc_new(s, fd, sa, (size_t)salen) == NULL)
		return;
	accept_gate_count(&s->gate, s->nconns);
}

int
http_server_adopt(struct http_server *s, int fd, const void *bytes,
    size_t len)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	struct evbuffer *in;
	struct hconn *c;
	int rv;

	if (s->draining || s->nconns >= s->cf.max_conns)
		return -1;
	memset(&ss, 0, sizeof(ss));
	if (getpeername(fd, (struct sockaddr *)&ss, &sl) == -1)
		sl = 0;
	if (evutil_make_socket_nonblocking(fd) == -1 ||
	    (c = hc_new(s, fd, (struct sockaddr *)&ss, sl)) == NULL)
		return 0;	/* closed: nothing to answer on */
	c->once = 1;
	/*
	 * The socket's bufferevent keeps its input's end frozen (only it adds
	 * there): thawed for the bytes read before.
	 */
	in = bufferevent_get_input(c->bev);
	evbuffer_unfreeze(in, 0);
	rv = evbuffer_add(in, bytes, len);
	evbuffer_freeze(in, 0);
	if (rv == -1) {
		hc_close(c);
		return 0;
	}
	hc_process(c);
	return 0;
}

struct http_server *
http_server_new(struct event_base *base, int fd,
    const struct http_server_config *cf)
{
	struct http_server *s;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	s->base = base;
	s->cf = *cf;
	TAILQ_INIT(&s->conns);
	if ((s->name = strdup(cf->name)) == NULL) {
		if (fd != -1)
			evutil_closesocket(fd);
		free(s);
		return NULL;
	}
	if (accept_gate_start(&s->gate, base, fd, accept_cb, s, s->name,
	    cf->cap_key, cf->max_conns) == -1) {
		http_server_free(s);
		return NULL;
	}
	return s;
}

void
http_server_drain(struct http_server *s)
{
	struct hconn *c, *next;

	s->draining = 1;
	accept_gate_stop(&s->gate);
	for (c = TAILQ_FIRST(&s->conns); c != NULL; c = next) {
		next = TAILQ_NEXT(c, entry);
		/* Waiting for a request: nothing to finish. */
		if (c->state == HC_HEAD && !c->started)
			hc_close(c);
		else if (c->state == HC_STREAMING)
			http_stream_end(c->req);
	}
}

size_t
http_server_conns(const struct http_server *s)
{
	return s->nconns;
}

size_t
http_server_pending(const struct http_server *s)
{
	return s->pending;
}

uint64_t
http_server_accepted(const struct http_server *s)
{
	/* Every connection accepted took the next id. */
	return s->next_id;
}

void
http_server_set_limits(struct http_server *s,
    const struct http_server_config *cf)
{
	s->cf.max_conns = cf->max_conns;
	s->cf.max_body_bytes = cf->max_body_bytes;
	s->cf.request_timeout = cf->request_timeout;
	s->cf.idle_timeout = cf->idle_timeout;
	accept_gate_set_cap(&s->gate, cf->max_conns, s->nconns);
}

void
http_server_free(struct http_server *s)
{
	struct hconn *c;

	if (s == NULL)
		return;
	while ((c = TAILQ_FIRST(&s->conns)) != NULL) {
		if (c->req != NULL) {
			/* Its handler answers to no one now. */
			c->req->conn = NULL;
			c->req->gone_cb = NULL;
			c->req = NULL;
		}
		hc_close(c);
	}
	accept_gate_free(&s->gate);
	free(s->name);
	free(s);
}

const char *
http_req_method(const struct http_req *r)
{
	return r->method;
}

const char *
http_req_path(const struct http_req *r)
{
	return r->path;
}

const char *
http_req_query(const struct http_req *r)
{
	return r->query;
}

const char *
http_req_body(const struct http_req *r, size_t *len)
{
	if (len != NULL)
		*len = r->bodylen;
	return r->body != NULL ? r->body : "";
}

void
http_req_drop_body(struct http_req *r)
{
	free(r->body);
	r->body = NULL;
	r->bodylen = 0;
}

const struct sockaddr *
http_req_peer(const struct http_req *r)
{
	return (const struct sockaddr *)&r->peer;
}

int
http_req_loopback(const struct http_req *r)
{
	const struct sockaddr_in *in4 = (const struct sockaddr_in *)&r->peer;
	const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)&r->peer;

	if (r->peer.ss_family == AF_INET)
		return (ntohl(in4->sin_addr.s_addr) >> 24) == 127;
	if (r->peer.ss_family == AF_INET6)
		return IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr) ||
		    (IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr) &&
		    in6->sin6_addr.s6_addr[12] == 127);
	return 0;
}

uint64_t
http_req_conn_id(const struct http_req *r)
{
	return r->conn_id;
}

int
http_req_gone(const struct http_req *r)
{
	return r->conn == NULL;
}

/* The handler is done with r: the server counts it answered. */
static struct hconn *
req_answered(struct http_req *r)
{
	struct hconn *c = r->conn;

	r->srv->pending--;
	return c;
}

void
http_reply(struct http_req *r, int code, const char *reason,
    const char *headers, const char *ctype, const char *body, size_t len)
{
	struct hconn *c = req_answered(r);
	struct evbuffer *out;

	if (c == NULL) {
		req_free(r);
		return;
	}
	c->req = NULL;
	out = bufferevent_get_output(c->bev);
	evbuffer_add_printf(out, "HTTP/1.1 %d %s\r\nContent-Type: %s\r\n"
	    "Content-Length: %zu\r\n%s%s\r\n", code, reason,
	    ctype != NULL ? ctype : "application/json", len,
	    c->keep_alive && !c->srv->draining ? "" : "Connection: close\r\n",
	    headers != NULL ? headers : "");
	if (!r->head_only && len > 0)
		evbuffer_add(out, body, len);
	req_free(r);
	hc_set_state(c, HC_WRITING);
	hc_deadline(c, c->srv->cf.request_timeout);
	/* Nothing was read while it was handled; what waits, waits more. */
	bufferevent_disable(c->bev, EV_READ);
	if (evbuffer_get_length(out) == 0)
		hc_write_cb(c->bev, c);
}

int
http_stream_start(struct http_req *r, const char *headers, const char *ctype)
{
	struct hconn *c = r->conn;

	if (c == NULL)
		return -1;
	c->keep_alive = 0;
	evbuffer_add_printf(bufferevent_get_output(c->bev), "HTTP/1.1 200 OK\r\n"
	    "Content-Type: %s\r\nCache-Control: no-cache\r\nConnection: close"
	    "\r\n%s\r\n", ctype, headers != NULL ? headers : "");
	hc_set_state(c, HC_STREAMING);
	return 0;
}

int
http_stream_write(struct http_req *r, const char *data, size_t len)
{
	struct hconn *c = r->conn;
	struct evbuffer *out;

	if (c == NULL)
		return -1;
	out = bufferevent_get_output(c->bev);
	/* A reader that has fallen this far behind is let go. */
	if (evbuffer_get_length(out) > 4 * 1024 * 1024) {
		hc_close(c);
		return -1;
	}
	evbuffer_add(out, data, len);
	return 0;
}

void
http_stream_end(struct http_req *r)
{
	struct hconn *c = req_answered(r);

	r->gone_cb = NULL;
	if (c != NULL) {
		c->req = NULL;
		c->keep_alive = 0;
		hc_set_state(c, HC_WRITING);
		hc_deadline(c, c->srv->cf.request_timeout);
		if (evbuffer_get_length(bufferevent_get_output(c->bev)) == 0)
			hc_write_cb(c->bev, c);
	}
	req_free(r);
}

int
http_req_pass(struct http_req *r, int (*send)(int, const void *, size_t,
    void *), void *arg)
{
	struct hconn *c = r->conn;
	struct evbuffer *in;
	size_t rest, len;
	char *bytes;
	int rv;

	if (c == NULL) {
		/* Gone already: nobody to hand over. */
		req_answered(r);
		req_free(r);
		return 0;
	}
	/* Something of an answer is out here (100 Continue): not whole. */
	if (evbuffer_get_length(bufferevent_get_output(c->bev)) > 0)
		return -1;
	in = bufferevent_get_input(c->bev);
	rest = evbuffer_get_length(in);
	len = r->rawlen + r->bodylen + rest;
	if ((bytes = malloc(len + 1)) == NULL)
		return -1;
	memcpy(bytes, r->raw, r->rawlen);
	if (r->bodylen > 0)
		memcpy(bytes + r->rawlen, r->body, r->bodylen);
	if (rest > 0 && evbuffer_copyout(in, bytes + r->rawlen + r->bodylen,
	    rest) != (ev_ssize_t)rest) {
		free(bytes);
		return -1;
	}
	rv = send(bufferevent_getfd(c->bev), bytes, len, arg);
	free(bytes);
	if (rv == -1)
		return -1;
	log_debug("%s conn %llu: handed over", c->srv->name,
	    (unsigned long long)c->id);
	c->req = NULL;
	r->conn = NULL;
	req_answered(r);
	req_free(r);
	/*
	 * Our copy of the socket closes, the other process has its own; not
	 * here, where the caller (hc_process, via the handler) still holds
	 * c, but on the next turn of the loop.  Nothing is read meanwhile:
	 * what comes is the other process's.
	 */
	c->passed = 1;
	bufferevent_disable(c->bev, EV_READ | EV_WRITE);
	event_add(c->timer, &(struct timeval){ 0, 0 });
	return 0;
}

void
http_req_on_gone(struct http_req *r, void (*cb)(struct http_req *, void *),
    void *arg)
{
	r->gone_cb = cb;
	r->gone_arg = arg;
}
