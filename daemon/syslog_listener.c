/* SPDX-License-Identifier: MIT */
/*
 * The syslog listeners.  See syslog_listener.h.
 *
 * On the ingest loop, so each message costs only what lib does with it:
 * a parse, the rules' expressions (PCRE2 with limits on backtracking,
 * depth and heap, lib/syslog_rule.c, so that no line can stall the loop)
 * and a copy into the writer's batch.  Zones are loaded at start; nothing
 * here reads a file or resolves a name.
 *
 * UDP has no flow control: a datagram that arrives while the writer holds
 * max_pending_bytes is refused (counted, logged).  TCP has: a connection
 * stops being read while the writer's budget is spent or while it has
 * max_pending lines in the writer, and the sender's own queue holds the
 * rest.  A TCP connection is a small state machine (STYLE.md, habit 3);
 * its lines in the writer keep it alive after its socket closes, and the
 * last one answered frees it (habit 6).
 */
#include <sys/queue.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/listener.h>

#include "accept_gate.h"
#include "conffile.h"
#include "db_writer.h"
#include "log.h"
#include "sdlisten.h"
#include "syslog.h"
#include "syslog_listener.h"
#include "syslog_rule.h"
#include "zone.h"

/* Datagrams read in one callback, so that other sockets get their turn. */
#define UDP_BURST	64
/* What the kernel may hold for the UDP socket while the loop is busy. */
#define UDP_RCVBUF	(1024 * 1024)
/* Trouble of one kind is logged at most this often (µs). */
#define LOG_PERIOD	(60 * 1000000LL)

enum sconn_state {
	SCONN_READING,		/* taking frames */
	SCONN_PAUSED,		/* the writer has no room: not reading */
	SCONN_CLOSED		/* socket gone; its lines still in the writer */
};

static const char *const sconn_state_names[] = { "reading", "paused",
    "closed" };

struct sconn {
	TAILQ_ENTRY(sconn) entry;	/* in the list of connections */
	uint64_t	 id;		/* for the log */
	enum sconn_state state;		/* see above */
	struct bufferevent *bev;	/* the socket; NULL once closed */
	struct syslog_framer fr;	/* RFC 6587, frame by frame */
	char		 peer[INET6_ADDRSTRLEN]; /* the sender's address */
	const struct zone *zone;	/* its RFC 3164 times' zone */
	int64_t		 active;	/* when it last sent, monotonic µs */
	size_t		 npending;	/* its lines the writer holds */
	int		 eof;		/* the sender has finished */
};
TAILQ_HEAD(sconn_list, sconn);

/* A matched line while the writer holds it. */
struct sjob {
	struct wjob	 job;		/* the writer's */
	struct sconn	*c;		/* the TCP connection, or NULL (UDP) */
	char		 what[96];	/* "rtr1 (rule cisco-config-command)" */
};

/* A kind of trouble, logged at most once per LOG_PERIOD. */
struct ratelog {
	int64_t		 last;		/* when last logged, monotonic µs; 0: never */
	uint64_t	 more;		/* occurrences not logged since */
};

/* A zone RFC 3164 times may be read in, loaded at start. */
struct szone {
	char		*name;		/* as the config names it */
	struct zone	 z;		/* its transitions */
};

static struct {
	struct event_base *base;	/* the daemon's loop */
	struct sochi_config *cf;	/* the running config */
	struct syslog_rules *rules;	/* [syslog.NAME], compiled */
	struct szone	*zones;		/* every zone a sender may need */
	size_t		 nzones;
	const struct zone *defzone;	/* [syslog] timezone, else the carrier's */
	int		 udp_fd;	/* the UDP socket, or -1 */
	struct event	*ev_udp;	/* reads it */
	char		*ubuf;		/* one datagram, max_message_bytes + 1 */
	struct accept_gate gate;	/* the TCP socket, max_clients_syslog */
	struct event	*ev_sweep;	/* idle deadlines, each second */
	char		 addr[2][INET6_ADDRSTRLEN + 8]; /* udp, tcp: "host:port" or "" */
	struct sconn_list conns;	/* every connection not yet freed */
	uint64_t	 next_id;	/* the next connection id */
	int		 draining;	/* shutting down */
	int		 on;		/* a listener was started */
	struct syslog_stats st;		/* the counters */
	struct ratelog	 log_disallowed; /* a sender not allowed */
	struct ratelog	 log_malformed;	/* a message refused by lib */
	struct ratelog	 log_match;	/* a rule hit its limits */
	struct ratelog	 log_refused;	/* a matched line not stored */
	struct ratelog	 log_nomem;	/* out of memory */
} s;

static void	sconn_process(struct sconn *, int);
static void	sconn_maybe_finish(struct sconn *);

static int64_t
now_mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int64_t
now_real(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void
ratelog(struct ratelog *rl, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * Says what happened, unless the same kind of trouble was said within the
 * last minute (a sender repeating a bad line would otherwise fill the
 * log); then counts it, and the next message says how many were not said.
 * The counters in /healthz hold every one.
 */
static void
ratelog(struct ratelog *rl, const char *fmt, ...)
{
	int64_t now = now_mono();
	char msg[600];
	va_list ap;

	if (rl->last != 0 && now - rl->last < LOG_PERIOD) {
		rl->more++;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (rl->more > 0)
		log_warnx("%s (and %llu more like it not logged in the minute "
		    "before)", msg, (unsigned long long)rl->more);
	else
		log_warnx("%s", msg);
	rl->last = now;
	rl->more = 0;
}

/* A sender's address as text; an IPv4 peer on an IPv6 socket as IPv4. */
static void
peer_text(const struct sockaddr *sa, char *out, size_t outlen)
{
	const struct sockaddr_in6 *s6;
	struct in_addr a4;

	out[0] = '\0';
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)
		    sa)->sin_addr, out, (socklen_t)outlen);
	else if (sa->sa_family == AF_INET6) {
		s6 = (const struct sockaddr_in6 *)(const void *)sa;
		if (IN6_IS_ADDR_V4MAPPED(&s6->sin6_addr)) {
			memcpy(&a4, s6->sin6_addr.s6_addr + 12, 4);
			inet_ntop(AF_INET, &a4, out, (socklen_t)outlen);
		} else
			inet_ntop(AF_INET6, &s6->sin6_addr, out,
			    (socklen_t)outlen);
	}
	if (out[0] == '\0')
		snprintf(out, outlen, "?");
}

/* The zone a sender's RFC 3164 times are read in (loaded at start). */
static const struct zone *
sender_zone(const struct sockaddr *sa)
{
	const char *name = syslog_sender_zone(s.cf, sa);
	size_t i;

	for (i = 0; i < s.nzones; i++)
		if (strcmp(s.zones[i].name, name) == 0)
			return &s.zones[i].z;
	return s.defzone;
}

static int
zone_add(const char *name, char *err, size_t errlen)
{
	struct szone *p;
	size_t i;

	for (i = 0; i < s.nzones; i++)
		if (strcmp(s.zones[i].name, name) == 0)
			return 0;
	if ((p = realloc(s.zones, (s.nzones + 1) * sizeof(*p))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	s.zones = p;
	p = &s.zones[s.nzones];
	memset(p, 0, sizeof(*p));
	if ((p->name = strdup(name)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (conffile_zone(name, &p->z, err, errlen) == -1) {
		free(p->name);
		return -1;
	}
	s.nzones++;
	return 0;
}

static void
sconn_set_state(struct sconn *c, enum sconn_state st)
{
	if (c->state == st)
		return;
	/* Nothing leaves CLOSED. */
	if (c->state == SCONN_CLOSED)
		fatalx("syslog conn %llu: %s -> %s", (unsigned long long)c->id,
		    sconn_state_names[c->state], sconn_state_names[st]);
	log_debug("syslog conn %llu: %s -> %s", (unsigned long long)c->id,
	    sconn_state_names[c->state], sconn_state_names[st]);
	if (c->state == SCONN_PAUSED)
		s.st.paused--;
	if (st == SCONN_PAUSED)
		s.st.paused++;
	c->state = st;
}

static void
sconn_free(struct sconn *c)
{
	TAILQ_REMOVE(&s.conns, c, entry);
	free(c);
}

/*
 * The TCP socket accepts below max_clients_syslog, read from the running
 * config each time, so that a reload's new cap counts at the next change.
 */
static void
count_conns(void)
{
	accept_gate_set_cap(&s.gate, (size_t)s.cf->max_clients_syslog,
	    s.st.connections);
	accept_gate_count(&s.gate, s.st.connections);
}

/* Closes the socket; the struct lives on while the writer holds its lines. */
static void
sconn_close(struct sconn *c)
{
	if (c->state == SCONN_CLOSED)
		return;
	sconn_set_state(c, SCONN_CLOSED);
	if (c->bev != NULL) {
		bufferevent_free(c->bev);
		c->bev = NULL;
	}
	s.st.connections--;
	count_conns();
	if (c->npending == 0)
		sconn_free(c);
}

/* Whether a connection may read: room in the writer and in its own share. */
static int
sconn_has_room(const struct sconn *c, int resuming)
{
	size_t max = (size_t)s.cf->max_pending;

	if (resuming)
		max = max / 2 + 1;
	return c->npending < max && db_writer_room(0);
}

static void
sconn_maybe_resume(struct sconn *c)
{
	if (c->state != SCONN_PAUSED || !sconn_has_room(c, 1))
		return;
	sconn_set_state(c, SCONN_READING);
	if (!c->eof)
		bufferevent_enable(c->bev, EV_READ);
	sconn_process(c, 0);
	if (c->state == SCONN_READING)
		sconn_maybe_finish(c);
}

static void
sjob_done(struct wjob *job, const struct wresult *r)
{
	struct sjob *sj = job->arg;
	struct sconn *c = sj->c;

	s.st.pending--;
	if (r->err != NULL) {
		s.st.refused++;
		ratelog(&s.log_refused, "syslog: a line from %s was not stored: "
		    "%s", sj->what, r->err);
	} else if (r->journaled)
		s.st.journaled++;
	else
		s.st.stored++;
	free(sj);
	if (c == NULL)
		return;
	c->npending--;
	if (c->state == SCONN_CLOSED) {
		if (c->npending == 0)
			sconn_free(c);
		return;
	}
	/* Stopping: nothing more is read (the writer may be going away). */
	if (!s.draining)
		sconn_maybe_resume(c);
}

/*
 * One message: parsed, matched, and if a rule takes it handed to the
 * writer.  c is its TCP connection, NULL for a datagram (which is refused
 * rather than waited for when the writer has no room).
 */
static void
handle_message(const char *buf, size_t len, const char *peer,
    const struct zone *zone, struct sconn *c)
{
	struct syslog_opts o;
	struct syslog_msg m;
	struct syslog_action act;
	struct syslog_row row;
	struct sjob *sj;
	char err[512];
	int rc;

	s.st.received++;
	o.received = now_real();
	o.zone = zone;
	o.sender = peer;
	if (syslog_parse(buf, len, &o, &m, err, sizeof(err)) == -1) {
		s.st.malformed++;
		ratelog(&s.log_malformed, "syslog: a message from %s refused: %s",
		    peer, err);
		return;
	}
	if ((rc = syslog_match(s.rules, &m, &act, err, sizeof(err))) == 0) {
		s.st.unmatched++;
		log_debug("syslog: %s: no rule takes \"%.*s\"", m.host,
		    (int)(m.msglen > 80 ? 80 : m.msglen), m.msg);
		return;
	}
	if (rc == -1) {
		s.st.match_errors++;
		ratelog(&s.log_match, "syslog: a line from %s not stored: %s",
		    m.host, err);
		return;
	}
	if (syslog_row_make(&m, &act, &row) == -1 ||
	    (sj = calloc(1, sizeof(*sj))) == NULL) {
		syslog_row_free(&row);
		syslog_action_free(&act);
		s.st.refused++;
		ratelog(&s.log_nomem, "syslog: out of memory; a line from %s "
		    "not stored", m.host);
		return;
	}
	snprintf(sj->what, sizeof(sj->what), "%.48s (rule %.36s)", m.host,
	    act.rule->name);
	sj->job.done = sjob_done;
	sj->job.arg = sj;
	sj->c = c;
	if (c == NULL && !db_writer_room(len)) {
		s.st.refused++;
		ratelog(&s.log_refused, "syslog: a line from %s was not stored: "
		    "sochid holds as many unanswered events as max_pending_bytes "
		    "allows", sj->what);
		free(sj);
	} else {
		/* Counted before: done() may come before submit returns. */
		s.st.pending++;
		if (c != NULL)
			c->npending++;
		if (db_writer_submit_row(&sj->job, &row.row) == -1) {
			s.st.pending--;
			if (c != NULL)
				c->npending--;
			s.st.refused++;
			ratelog(&s.log_nomem, "syslog: out of memory; a line "
			    "from %s not stored", sj->what);
			free(sj);
		}
	}
	syslog_row_free(&row);
	syslog_action_free(&act);
}

static void
udp_read_cb(evutil_socket_t fd, short what, void *arg)
{
	struct sockaddr_storage ss;
	struct sockaddr *sa = (struct sockaddr *)&ss;
	socklen_t sl;
	char peer[INET6_ADDRSTRLEN];
	size_t max = (size_t)s.cf->syslog.max_message_bytes;
	ssize_t n;
	int i;

	for (i = 0; i < UDP_BURST && !s.draining; i++) {
		sl = sizeof(ss);
		/* MSG_TRUNC: the datagram's whole length, even past the buffer. */
		n = recvfrom(fd, s.ubuf, max + 1, MSG_TRUNC | MSG_DONTWAIT, sa,
		    &sl);
		if (n == -1) {
			if (errno != EAGAIN && errno != EWOULDBLOCK &&
			    errno != EINTR)
				log_warn("syslog udp: recvfrom");
			return;
		}
		/* The sender first: nothing of a stranger's is looked at. */
		if (netlist_match(&s.cf->syslog.allow_list, sa) == NULL) {
			s.st.disallowed++;
			peer_text(sa, peer, sizeof(peer));
			ratelog(&s.log_disallowed, "syslog udp: a datagram from "
			    "%s, which [syslog] allow does not name; dropped",
			    peer);
			continue;
		}
		peer_text(sa, peer, sizeof(peer));
		if ((size_t)n > max) {
			s.st.received++;
			s.st.malformed++;
			ratelog(&s.log_malformed, "syslog udp: a datagram of %zd "
			    "bytes from %s, more than max_message_bytes (%zu); "
			    "dropped", n, peer, max);
			continue;
		}
		handle_message(s.ubuf, (size_t)n, peer, sender_zone(sa), NULL);
	}
}

/*
 * Takes the frames in c's input while it may (force: at shutdown, whatever
 * the writer's room, since what was read is otherwise lost).
 */
static void
sconn_process(struct sconn *c, int force)
{
	struct evbuffer *in;
	const char *buf, *msg;
	size_t len, used, ml;
	enum syslog_frame_rc rc;
	char err[200];

	if (c->state == SCONN_CLOSED)
		return;
	in = bufferevent_get_input(c->bev);
	while (c->state == SCONN_READING) {
		if (!force && !sconn_has_room(c, 0)) {
			sconn_set_state(c, SCONN_PAUSED);
			bufferevent_disable(c->bev, EV_READ);
			return;
		}
		if ((len = evbuffer_get_length(in)) == 0)
			return;
		/* Bounded: a frame waiting for its end is at most the max. */
		buf = (const char *)evbuffer_pullup(in, (ev_ssize_t)len);
		rc = syslog_frame_next(&c->fr, buf, len, &used, &msg, &ml, err,
		    sizeof(err));
		switch (rc) {
		case SYSLOG_FRAME_MSG:
			handle_message(msg, ml, c->peer, c->zone, c);
			break;
		case SYSLOG_FRAME_DROP:
			s.st.received++;
			s.st.malformed++;
			ratelog(&s.log_malformed, "syslog conn %llu (%s): %s; "
			    "dropped, the next frame is read",
			    (unsigned long long)c->id, c->peer, err);
			break;
		case SYSLOG_FRAME_ERROR:
			s.st.received++;
			s.st.malformed++;
			ratelog(&s.log_malformed, "syslog conn %llu (%s): %s; "
			    "connection closed", (unsigned long long)c->id,
			    c->peer, err);
			sconn_close(c);
			return;
		case SYSLOG_FRAME_MORE:
			break;
		}
		evbuffer_drain(in, used);
		if (rc == SYSLOG_FRAME_MORE && used == 0)
			return;
	}
}

/*
 * The sender has finished and everything readable was taken: what is left
 * is a frame cut short, counted; then the connection closes.
 */
static void
sconn_maybe_finish(struct sconn *c)
{
	size_t left;

	if (!c->eof || c->state != SCONN_READING)
		return;
	if ((left = evbuffer_get_length(bufferevent_get_input(c->bev))) > 0) {
		s.st.received++;
		s.st.malformed++;
		ratelog(&s.log_malformed, "syslog conn %llu (%s): the connection "
		    "ended inside a frame (%zu bytes); dropped",
		    (unsigned long long)c->id, c->peer, left);
	}
	log_debug("syslog conn %llu: closed by the sender",
	    (unsigned long long)c->id);
	sconn_close(c);
}

/* Whole frames already read are taken, whatever the writer's room. */
static void
sconn_take_rest(struct sconn *c)
{
	if (c->state == SCONN_PAUSED)
		sconn_set_state(c, SCONN_READING);
	sconn_process(c, 1);
}

static void
sconn_read_cb(struct bufferevent *bev, void *arg)
{
	struct sconn *c = arg;

	c->active = now_mono();
	sconn_process(c, 0);
}

static void
sconn_event_cb(struct bufferevent *bev, short what, void *arg)
{
	struct sconn *c = arg;
	struct evbuffer *in;

	if (what & BEV_EVENT_EOF) {
		c->eof = 1;
		/* The last LF-framed message may come without its LF. */
		in = bufferevent_get_input(bev);
		if (evbuffer_get_length(in) > 0 && c->fr.skip == 0 &&
		    !c->fr.skip_line)
			evbuffer_add(in, "\n", 1);
		sconn_process(c, 0);
		sconn_maybe_finish(c);
		return;
	}
	if (what & (BEV_EVENT_ERROR | BEV_EVENT_TIMEOUT)) {
		log_debug("syslog conn %llu: %s", (unsigned long long)c->id,
		    evutil_socket_error_to_string(EVUTIL_SOCKET_ERROR()));
		sconn_take_rest(c);
		sconn_close(c);
	}
}

static void
accept_cb(struct evconnlistener *lis, evutil_socket_t fd,
    struct sockaddr *sa, int salen, void *arg)
{
	struct bufferevent *bev;
	struct sconn *c;
	char peer[INET6_ADDRSTRLEN];
	size_t max = (size_t)s.cf->syslog.max_message_bytes;

	peer_text(sa, peer, sizeof(peer));
	if (netlist_match(&s.cf->syslog.allow_list, sa) == NULL) {
		s.st.disallowed++;
		ratelog(&s.log_disallowed, "syslog tcp: a connection from %s, "
		    "which [syslog] allow does not name; closed unread", peer);
		evutil_closesocket(fd);
		return;
	}
	if (s.draining || (c = calloc(1, sizeof(*c))) == NULL) {
		evutil_closesocket(fd);
		return;
	}
	if ((bev = bufferevent_socket_new(s.base, fd,
	    BEV_OPT_CLOSE_ON_FREE)) == NULL) {
		free(c);
		evutil_closesocket(fd);
		return;
	}
	c->id = ++s.next_id;
	c->bev = bev;
	c->state = SCONN_READING;
	c->active = now_mono();
	c->zone = sender_zone(sa);
	snprintf(c->peer, sizeof(c->peer), "%s", peer);
	syslog_framer_init(&c->fr, max);
	TAILQ_INSERT_TAIL(&s.conns, c, entry);
	s.st.connections++;
	log_debug("syslog conn %llu: accepted from %s",
	    (unsigned long long)c->id, c->peer);
	bufferevent_setcb(bev, sconn_read_cb, NULL, sconn_event_cb, c);
	/* A frame waiting for its end never needs more than this. */
	bufferevent_setwatermark(bev, EV_READ, 0, max + 64 * 1024);
	bufferevent_enable(bev, EV_READ);
	count_conns();
}

/* Each second: a connection that sent nothing for idle_timeout closes. */
static void
sweep_cb(evutil_socket_t fd, short what, void *arg)
{
	struct sconn *c, *next;
	int64_t now = now_mono();
	int64_t idle = (int64_t)s.cf->idle_timeout * 1000000;

	for (c = TAILQ_FIRST(&s.conns); c != NULL; c = next) {
		next = TAILQ_NEXT(c, entry);
		if (c->state == SCONN_READING && now - c->active >= idle) {
			log_debug("syslog conn %llu: idle for %ld s; closed",
			    (unsigned long long)c->id, s.cf->idle_timeout);
			sconn_close(c);
		}
	}
}

/* The writer's budget has room again: paused connections read again. */
static void
room_cb(void)
{
	struct sconn *c, *next;

	if (s.draining)
		return;
	for (c = TAILQ_FIRST(&s.conns); c != NULL; c = next) {
		next = TAILQ_NEXT(c, entry);
		sconn_maybe_resume(c);
	}
}

/* A socket bound to a listen_syslog_* value; -1 (logged) if it cannot be. */
static int
bind_spec(const char *key, const char *spec, int type, char *addr,
    size_t addrlen)
{
	struct evutil_addrinfo hints, *ai = NULL;
	char host[256], port[8];
	int p, rv, fd, one = 1;

	if (config_split_listen(spec, host, sizeof(host), &p,
	    SOCHI_DEFAULT_SYSLOG_PORT) == -1) {
		log_warnx("%s %s: expected host, host:port or [v6]:port", key,
		    spec);
		return -1;
	}
	snprintf(port, sizeof(port), "%d", p);
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = type;
	hints.ai_flags = EVUTIL_AI_PASSIVE | EVUTIL_AI_NUMERICSERV;
	if ((rv = evutil_getaddrinfo(host, port, &hints, &ai)) != 0) {
		log_warnx("%s %s: %s", key, spec, evutil_gai_strerror(rv));
		return -1;
	}
	/* Passed by systemd (sochid.socket), when one matches. */
	if ((fd = sdlisten_take(ai->ai_addr, (socklen_t)ai->ai_addrlen,
	    type)) != -1) {
		evutil_freeaddrinfo(ai);
		log_info("%s %s:%s: socket from systemd", key, host, port);
		snprintf(addr, addrlen, strchr(host, ':') != NULL ?
		    "[%s]:%s" : "%s:%s", host, port);
		return fd;
	}
	fd = socket(ai->ai_family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one,
	    sizeof(one)) == -1 || bind(fd, ai->ai_addr, ai->ai_addrlen) == -1 ||
	    (type == SOCK_STREAM && listen(fd, 128) == -1)) {
		log_warn("%s %s:%s", key, host, port);
		if (fd != -1)
			close(fd);
		evutil_freeaddrinfo(ai);
		return -1;
	}
	evutil_freeaddrinfo(ai);
	snprintf(addr, addrlen, strchr(host, ':') != NULL ? "[%s]:%s" :
	    "%s:%s", host, port);
	return fd;
}

static int
listen_udp(void)
{
	int fd, sz = UDP_RCVBUF;

	if ((fd = bind_spec("listen_syslog_udp", s.cf->listen_syslog_udp,
	    SOCK_DGRAM, s.addr[0], sizeof(s.addr[0]))) == -1)
		return -1;
	/* Only a hint: the kernel holds it to net.core.rmem_max. */
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	if ((s.ubuf = malloc((size_t)s.cf->syslog.max_message_bytes + 1)) ==
	    NULL || (s.ev_udp = event_new(s.base, fd, EV_READ | EV_PERSIST,
	    udp_read_cb, NULL)) == NULL) {
		close(fd);
		return -1;
	}
	s.udp_fd = fd;
	event_add(s.ev_udp, NULL);
	log_info("listening for syslog on udp %s", s.addr[0]);
	return 0;
}

static int
listen_tcp(void)
{
	int fd;

	if ((fd = bind_spec("listen_syslog_tcp", s.cf->listen_syslog_tcp,
	    SOCK_STREAM, s.addr[1], sizeof(s.addr[1]))) == -1)
		return -1;
	if (accept_gate_start(&s.gate, s.base, fd, accept_cb, NULL,
	    "syslog tcp", "max_clients_syslog",
	    (size_t)s.cf->max_clients_syslog) == -1) {
		log_warnx("listen_syslog_tcp %s: cannot listen", s.addr[1]);
		return -1;
	}
	log_info("listening for syslog on tcp %s", s.addr[1]);
	return 0;
}

int
syslog_listener_init(struct event_base *base, struct sochi_config *cf)
{
	char err[512];
	size_t i;

	memset(&s, 0, sizeof(s));
	s.base = base;
	s.cf = cf;
	s.udp_fd = -1;
	TAILQ_INIT(&s.conns);
	if (*cf->listen_syslog_udp == '\0' && *cf->listen_syslog_tcp == '\0')
		return 0;
	s.on = 1;
	if ((s.rules = syslog_rules_new(cf, err, sizeof(err))) == NULL) {
		log_warnx("[syslog.NAME] rules: %s", err);
		return -1;
	}
	if (cf->nsyslog_rules == 0)
		log_warnx("syslog: no [syslog.NAME] rule: every line will be "
		    "counted as unmatched and none stored");
	/* Every zone a sender may need, read now rather than per message. */
	if (zone_add(*cf->syslog.timezone != '\0' ? cf->syslog.timezone :
	    cf->timezone, err, sizeof(err)) == -1) {
		log_warnx("syslog: %s", err);
		return -1;
	}
	for (i = 0; i < cf->syslog.sender_zones.n; i++)
		if (zone_add(cf->syslog.sender_zones.v[i].tag, err,
		    sizeof(err)) == -1) {
			log_warnx("[syslog] sender_timezones: %s", err);
			return -1;
		}
	s.defzone = &s.zones[0].z;
	if (db_writer_on_room(room_cb) == -1)
		return -1;
	if ((s.ev_sweep = event_new(base, -1, EV_PERSIST, sweep_cb, NULL)) ==
	    NULL)
		return -1;
	event_add(s.ev_sweep, &(struct timeval){ 1, 0 });
	if (*cf->listen_syslog_udp != '\0' && listen_udp() == -1)
		return -1;
	if (*cf->listen_syslog_tcp != '\0' && listen_tcp() == -1)
		return -1;
	return 0;
}

static void
stop_sockets(void)
{
	if (s.ev_udp != NULL) {
		event_free(s.ev_udp);
		s.ev_udp = NULL;
	}
	if (s.udp_fd != -1) {
		close(s.udp_fd);
		s.udp_fd = -1;
	}
	accept_gate_free(&s.gate);
}

void
syslog_listener_drain(void)
{
	struct sconn *c, *next;

	s.draining = 1;
	stop_sockets();
	for (c = TAILQ_FIRST(&s.conns); c != NULL; c = next) {
		next = TAILQ_NEXT(c, entry);
		if (c->state == SCONN_CLOSED)
			continue;
		/* No answers to wait for: take what was read, then close. */
		sconn_take_rest(c);
		sconn_close(c);
	}
}

void
syslog_listener_stats(struct syslog_stats *st)
{
	*st = s.st;
}

const char *
syslog_listener_addr(int tcp)
{
	const char *a = s.addr[tcp ? 1 : 0];

	return *a != '\0' ? a : NULL;
}

void
syslog_listener_free(void)
{
	struct sconn *c;
	size_t i;

	if (s.on)
		log_info("syslog: received %llu, disallowed %llu, malformed "
		    "%llu, unmatched %llu, match errors %llu, stored %llu, "
		    "journaled %llu, refused %llu",
		    (unsigned long long)s.st.received,
		    (unsigned long long)s.st.disallowed,
		    (unsigned long long)s.st.malformed,
		    (unsigned long long)s.st.unmatched,
		    (unsigned long long)s.st.match_errors,
		    (unsigned long long)s.st.stored,
		    (unsigned long long)s.st.journaled,
		    (unsigned long long)s.st.refused);
	stop_sockets();
	if (s.ev_sweep != NULL)
		event_free(s.ev_sweep);
	/* The writer, freed before this, has answered every line it held. */
	while ((c = TAILQ_FIRST(&s.conns)) != NULL) {
		if (c->bev != NULL)
			bufferevent_free(c->bev);
		sconn_free(c);
	}
	for (i = 0; i < s.nzones; i++) {
		zone_free(&s.zones[i].z);
		free(s.zones[i].name);
	}
	free(s.zones);
	free(s.ubuf);
	syslog_rules_free(s.rules);
	memset(&s, 0, sizeof(s));
	s.udp_fd = -1;
}
