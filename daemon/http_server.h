/* SPDX-License-Identifier: MIT */
/*
 * sochid's HTTP/1.1 server: just what its API and pages need, with the
 * limits a server on a network must have and libevent 2.1's evhttp cannot
 * give: a cap on connections (past it the listener stops accepting, so the
 * kernel's backlog holds the rest and no file descriptor is spent), a
 * deadline on a whole request from its first byte to its last (a byte
 * every 20 s keeps nothing open), a deadline on an idle kept-alive
 * connection, on writing an answer to a client that does not read, and a
 * pause, not a busy loop, when accept() runs out of descriptors.
 *
 * One request at a time per connection (no pipelining: what follows waits
 * in the buffer).  Bodies need Content-Length (chunked uploads are answered
 * 411); "Expect: 100-continue" is answered.  Responses have a length, or
 * are a stream (server-sent events) that ends the connection.
 *
 * Ownership: a struct http_req is the server's, lent to the handler from
 * handle() until the handler answers it (http_reply, or a stream's end),
 * exactly once.  If the client goes meanwhile, the request stays valid and
 * the answer is dropped; the handler may ask http_req_gone().
 */
#ifndef SOCHID_HTTP_SERVER_H
#define SOCHID_HTTP_SERVER_H

#include <sys/socket.h>

#include <stddef.h>
#include <stdint.h>

#include <event2/event.h>

struct http_server;
struct http_req;

struct http_server_config {
	const char	*name;		/* for the log: "http" */
	const char	*cap_key;	/* max_conns's config key, for the log */
	size_t		 max_conns;	/* connections served at once */
	size_t		 max_header_bytes; /* request line and headers */
	size_t		 max_body_bytes; /* a request's body */
	int64_t		 request_timeout; /* µs from a request's first byte to its end */
	int64_t		 idle_timeout;	/* µs a kept-alive connection may wait */
	void		(*handle)(struct http_req *, void *);
	void		*arg;		/* for handle */
};

/* Serves on a listening socket (taken: closed by http_server_free). */
struct http_server *http_server_new(struct event_base *, int,
		    const struct http_server_config *);
/*
 * With a listening socket of -1 the server takes connections only from
 * http_server_adopt: a socket another process accepted, the bytes it read
 * from it first, and one request served on it, then closed.  -1 at the
 * cap (the caller answers and closes fd); else fd is the server's.
 */
int		 http_server_adopt(struct http_server *, int, const void *,
		    size_t);
/* Stops accepting; open connections finish their request and close. */
void		 http_server_drain(struct http_server *);
/* Connections open, and requests handed out and not yet answered. */
size_t		 http_server_conns(const struct http_server *);
size_t		 http_server_pending(const struct http_server *);
/* Connections accepted since it started. */
uint64_t	 http_server_accepted(const struct http_server *);
/*
 * New limits (SIGHUP): the cap, the largest body and the deadlines of cf;
 * a deadline already running keeps its time.
 */
void		 http_server_set_limits(struct http_server *,
		    const struct http_server_config *);
void		 http_server_free(struct http_server *);

const char	*http_req_method(const struct http_req *);
const char	*http_req_path(const struct http_req *);	/* before '?' */
const char	*http_req_query(const struct http_req *);	/* after '?', or "" */
/* A request header's value (names without regard to case), or NULL. */
const char	*http_req_header(const struct http_req *, const char *);
/* The body, NUL-terminated (len may be NULL). */
const char	*http_req_body(const struct http_req *, size_t *);
/* Frees the body once it is not needed (a large POST waiting on the database). */
void		 http_req_drop_body(struct http_req *);
/* The client's address; and whether it arrived on a loopback address. */
const struct sockaddr *http_req_peer(const struct http_req *);
int		 http_req_loopback(const struct http_req *);
/* The client has gone (its answer will be dropped). */
int		 http_req_gone(const struct http_req *);
/* The id of the connection it came on, as the server's log lines name it. */
uint64_t	 http_req_conn_id(const struct http_req *);

/*
 * Answers the request: code and reason, extra header lines (each ending
 * in CRLF, or NULL), the content type, the body.  Frees the request.
 */
void		 http_reply(struct http_req *, int, const char *, const char *,
		    const char *, const char *, size_t);
/*
 * A streamed answer (server-sent events): headers now, data as it comes,
 * the connection closed at its end.  http_stream_write returns -1 once the
 * client has gone; http_stream_end frees the request.
 */
int		 http_stream_start(struct http_req *, const char *, const char *);
int		 http_stream_write(struct http_req *, const char *, size_t);
void		 http_stream_end(struct http_req *);
/*
 * Hands the connection over to another process instead of answering: send
 * gets the socket and every byte read from it (this request's head and
 * body and whatever followed), passes them on and returns 0; then the
 * connection is closed here and the request freed.  -1 (send's, or when
 * part of an answer was already written): the request is still the
 * caller's to answer.
 */
int		 http_req_pass(struct http_req *, int (*)(int, const void *,
		    size_t, void *), void *);
/* Called once if the client of a streamed answer goes first. */
void		 http_req_on_gone(struct http_req *, void (*)(struct http_req *,
		    void *), void *);

#endif
