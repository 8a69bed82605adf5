/* SPDX-License-Identifier: MIT */
/*
 * sochi-loadgen: sends events to sochid from N connections, M events each,
 * and reports events/s and answer latency (p50, p99, max).  It is the
 * benchmark's client and the integration tests' bulk sender.
 *
 * NDJSON (--unix, --tcp): action events, one a line, up to W lines in
 * flight per connection; --ids writes "key id" per stored event,
 * --bad-every interleaves lines that must be refused, --copy-out writes the
 * same rows for PostgreSQL's COPY.
 * HTTP (--http): the same events as arrays of B to POST /v1/events, or with
 * --alertmanager Alertmanager webhook v4 payloads of B firing alerts (each
 * its own fingerprint and startsAt, so each is a new event) to
 * /v1/alertmanager, on keep-alive HTTP/1.1 connections, one request in
 * flight on each; latency is then per request.
 *
 * By default each connection sends as fast as its window lets it (a closed
 * loop).  --rate N sends N events/s in all, spread evenly over the
 * connections on a fixed schedule (an open loop), and measures latency from
 * the time a request was due rather than from when it could be written:
 * a client that waits for a stalled server before sending would otherwise
 * leave the stall out of its figures (coordinated omission).
 *
 * Traffic goes only where it is told: a Unix socket or a loopback address.
 */
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* A growing byte string. */
struct buf {
	char		*p;		/* the bytes, NUL-terminated */
	size_t		 len;		/* bytes used */
	size_t		 cap;		/* bytes allocated */
};

/* How a complete HTTP answer is being read. */
enum hstate {
	H_HEAD,				/* waiting for the blank line */
	H_BODY				/* reading Content-Length bytes */
};

struct lconn {
	int		 fd;		/* the socket */
	struct buf	 out;		/* every request, pre-built */
	size_t		 sent;		/* bytes written */
	size_t		*ends;		/* offset just past each request */
	size_t		 nreq;		/* requests, the auth line included */
	size_t		 nsent;		/* requests fully written */
	size_t		 ndue;		/* requests due by now (--rate) */
	size_t		 nans;		/* answers read */
	int64_t		*t_sent;	/* when each request was due or written, µs */
	int		*bad;		/* the request was made to be refused */
	char		 in[1 << 16];	/* partial answer */
	size_t		 inlen;		/* bytes in it */
	enum hstate	 hstate;	/* HTTP: where in the answer */
	int		 hstatus;	/* HTTP: the answer's status code */
	int		 hclose;	/* HTTP: the server closes after it */
	size_t		 hleft;		/* HTTP: body bytes still to read */
	int		 done;		/* every answer read, or given up */
	int		 want_out;	/* a write would block: wait for EPOLLOUT */
};

static struct {
	const char	*unix_path;	/* --unix */
	const char	*tcp;		/* --tcp, or the address of --http */
	int		 http;		/* --http given */
	int		 alertmanager;	/* --alertmanager: webhook payloads */
	char		 hostport[80];	/* HOST:PORT for the Host header */
	const char	*token;		/* --token, else $SOCHI_TOKEN */
	const char	*incident;	/* --incident */
	const char	*prefix;	/* --key-prefix */
	const char	*ids_path;	/* --ids */
	const char	*copy_path;	/* --copy-out */
	long		 conns;		/* -c */
	long		 events;	/* -n, per connection */
	long		 window;	/* -w, requests in flight per connection */
	long		 batch;		/* --batch, events per HTTP request */
	long		 bad_every;	/* --bad-every */
	long		 timeout;	/* --timeout, seconds for the whole run */
	double		 rate;		/* --rate, events/s in all; 0: closed loop */
	int		 quiet;		/* -q */
} o = {
	.conns = 1, .events = 1000, .window = 256, .batch = 100,
	.timeout = 300
};

/* What came back, over every connection. */
static struct {
	int64_t		*lat;		/* latency of each answer, µs */
	size_t		 nlat;		/* answers timed */
	size_t		 ok;		/* events stored */
	size_t		 refused;	/* events refused */
	size_t		 wrong;		/* answers other than expected */
	size_t		 reqs;		/* requests answered */
	FILE		*ids;		/* --ids file */
} st;

static int64_t
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void
die(const char *msg)
{
	fprintf(stderr, "sochi-loadgen: %s\n", msg);
	exit(2);
}

static void
buf_add(struct buf *b, const char *s, size_t n)
{
	while (b->len + n + 1 > b->cap) {
		b->cap = b->cap ? b->cap * 2 : 65536;
		if ((b->p = realloc(b->p, b->cap)) == NULL)
			die("out of memory");
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void buf_printf(struct buf *, const char *, ...)
    __attribute__((format(printf, 2, 3)));

static void
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	char small[1024], *big;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		die("cannot format a request");
	if ((size_t)n < sizeof(small)) {
		buf_add(b, small, (size_t)n);
		return;
	}
	if ((big = malloc((size_t)n + 1)) == NULL)
		die("out of memory");
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	buf_add(b, big, (size_t)n);
	free(big);
}

static int
dial(void)
{
	int fd, one = 1;

	if (o.unix_path != NULL) {
		struct sockaddr_un sun;

		memset(&sun, 0, sizeof(sun));
		sun.sun_family = AF_UNIX;
		snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", o.unix_path);
		fd = socket(AF_UNIX, SOCK_STREAM, 0);
		if (fd == -1)
			return -1;
		if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
			close(fd);
			return -1;
		}
	} else {
		struct sockaddr_in sin;
		char host[64];
		const char *colon = strrchr(o.tcp, ':');

		if (colon == NULL || (size_t)(colon - o.tcp) >= sizeof(host))
			die("--tcp and --http want HOST:PORT");
		memcpy(host, o.tcp, (size_t)(colon - o.tcp));
		host[colon - o.tcp] = '\0';
		memset(&sin, 0, sizeof(sin));
		sin.sin_family = AF_INET;
		sin.sin_port = htons((uint16_t)atoi(colon + 1));
		if (inet_pton(AF_INET, host, &sin.sin_addr) != 1)
			die("--tcp and --http want a numeric IPv4 loopback address");
		if ((ntohl(sin.sin_addr.s_addr) >> 24) != 127)
			die("sending only to loopback (127.0.0.0/8)");
		fd = socket(AF_INET, SOCK_STREAM, 0);
		if (fd == -1)
			return -1;
		if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1) {
			close(fd);
			return -1;
		}
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	return fd;
}

/* Closes off request c->nreq, which ends where the output now ends. */
static void
end_request(struct lconn *c, int bad)
{
	c->ends[c->nreq] = c->out.len;
	c->bad[c->nreq] = bad;
	c->nreq++;
}

static void
add_line(struct lconn *c, const char *line, int bad)
{
	buf_add(&c->out, line, strlen(line));
	buf_add(&c->out, "\n", 1);
	end_request(c, bad);
}

/* The key of the i-th event of connection k, or "" without --key-prefix. */
static void
make_key(long k, long i, char *key, size_t keylen)
{
	if (o.prefix != NULL)
		snprintf(key, keylen, "%s-%ld-%ld", o.prefix, k, i);
	else
		key[0] = '\0';
}

/* The i-th event of connection k; its time spreads over one day. */
static void
make_event(long k, long i, char *buf, size_t len, char *key, size_t keylen)
{
	long sec = (k * o.events + i) % 86400;

	make_key(k, i, key, keylen);
	snprintf(buf, len, "{\"kind\":\"action\",\"incident\":\"%s\","
	    "\"at\":\"2026-11-20T%02ld:%02ld:%02ld+09:00\",\"phase\":\"recover\","
	    "\"actor\":\"ネットワークオペレーション部門\",\"text\":\"負荷試験の対処 "
	    "%ld-%ld\"%s%s%s}", o.incident, sec / 3600, sec / 60 % 60, sec % 60,
	    k, i, key[0] ? ",\"key\":\"" : "", key, key[0] ? "\"" : "");
}

/*
 * The i-th alert of connection k: its own fingerprint (FNV-1a of the key,
 * so that another run's prefix gives other ones) and its own startsAt.
 */
static void
make_alert(long k, long i, char *buf, size_t len)
{
	char key[128];
	uint64_t h = 14695981039346656037ULL;
	long sec = (k * o.events + i) % 86400;
	const unsigned char *p;

	snprintf(key, sizeof(key), "%s-%ld-%ld", o.prefix ? o.prefix : "lg",
	    k, i);
	for (p = (const unsigned char *)key; *p != '\0'; p++)
		h = (h ^ *p) * 1099511628211ULL;
	snprintf(buf, len, "{\"status\":\"firing\",\"labels\":{\"alertname\":"
	    "\"BenchInstanceDown\",\"service\":\"bench\",\"instance\":"
	    "\"node-%ld-%ld\",\"severity\":\"warning\"},\"annotations\":"
	    "{\"summary\":\"負荷試験の警報 %ld-%ld\"},\"startsAt\":"
	    "\"2026-11-20T%02ld:%02ld:%02ld.%03ldZ\",\"endsAt\":"
	    "\"0001-01-01T00:00:00Z\",\"generatorURL\":\"http://127.0.0.1/graph\","
	    "\"fingerprint\":\"%016llx\"}", k, i, k, i, sec / 3600,
	    sec / 60 % 60, sec % 60, i % 1000, (unsigned long long)h);
}

static void
build_ndjson(struct lconn *c, long k, FILE *copy)
{
	char line[1024], key[128];
	long i, sec;

	if (o.tcp != NULL) {
		snprintf(line, sizeof(line), "{\"auth\":\"%s\"}",
		    o.token ? o.token : "");
		add_line(c, line, 0);
	}
	for (i = 0; i < o.events; i++) {
		if (o.bad_every > 0 && i % o.bad_every == o.bad_every - 1) {
			/* Three ways to be wrong, in turn. */
			static const char *const bad[] = {
				"{\"kind\":\"action\",\"text\":\"no incident\"}",
				"{not json",
				"{\"kind\":\"action\",\"incident\":\"x\","
				    "\"at\":\"25:61\",\"text\":\"bad time\"}"
			};
			add_line(c, bad[(i / o.bad_every) % 3], 1);
		}
		make_event(k, i, line, sizeof(line), key, sizeof(key));
		add_line(c, line, 0);
		if (copy != NULL) {
			sec = (k * o.events + i) % 86400;
			fprintf(copy, "%s\t%s\taction\t2026-11-20 %02ld:%02ld:%02ld"
			    "+09\tネットワークオペレーション部門\trecover\t"
			    "負荷試験の対処 %ld-%ld\t{}\n", "local",
			    key[0] ? key : "-", sec / 3600, sec / 60 % 60,
			    sec % 60, k, i);
		}
	}
}

/* Events in HTTP request j of a connection. */
static long
req_events(size_t j)
{
	long left = o.events - (long)j * o.batch;

	return left < o.batch ? left : o.batch;
}

static void
build_http(struct lconn *c, long k)
{
	struct buf body = { NULL, 0, 0 };
	char item[1024], key[128];
	long i, n;
	size_t j;

	for (j = 0; (long)j * o.batch < o.events; j++) {
		body.len = 0;
		if (o.alertmanager)
			buf_printf(&body, "{\"version\":\"4\",\"groupKey\":"
			    "\"{}:{service=\\\"bench-%ld\\\"}\",\"truncatedAlerts\":"
			    "0,\"status\":\"firing\",\"receiver\":\"sochi\","
			    "\"groupLabels\":{\"service\":\"bench\"},"
			    "\"commonLabels\":{\"service\":\"bench\"},"
			    "\"commonAnnotations\":{},\"externalURL\":"
			    "\"http://127.0.0.1:9093\",\"alerts\":[", k);
		else
			buf_add(&body, "[", 1);
		for (n = 0; n < req_events(j); n++) {
			i = (long)j * o.batch + n;
			if (o.alertmanager)
				make_alert(k, i, item, sizeof(item));
			else
				make_event(k, i, item, sizeof(item), key,
				    sizeof(key));
			if (n > 0)
				buf_add(&body, ",", 1);
			buf_add(&body, item, strlen(item));
		}
		buf_add(&body, o.alertmanager ? "]}" : "]", o.alertmanager ? 2 : 1);
		buf_printf(&c->out, "POST %s HTTP/1.1\r\nHost: %s\r\n"
		    "Authorization: Bearer %s\r\nContent-Type: application/json\r\n"
		    "Content-Length: %zu\r\n\r\n", o.alertmanager ?
		    "/v1/alertmanager" : "/v1/events", o.hostport, o.token,
		    body.len);
		buf_add(&c->out, body.p, body.len);
		end_request(c, 0);
	}
	free(body.p);
}

static void
build(struct lconn *c, long k, FILE *copy)
{
	size_t total = (size_t)o.events + 2;

	if (o.bad_every > 0)
		total += (size_t)(o.events / o.bad_every) + 1;
	c->fd = -1;
	c->ends = calloc(total, sizeof(*c->ends));
	c->t_sent = calloc(total, sizeof(*c->t_sent));
	c->bad = calloc(total, sizeof(*c->bad));
	if (c->ends == NULL || c->t_sent == NULL || c->bad == NULL)
		die("out of memory");
	if (o.http)
		build_http(c, k);
	else
		build_ndjson(c, k, copy);
}

static void
lconn_free(struct lconn *c)
{
	if (c == NULL)
		return;
	if (c->fd != -1)
		close(c->fd);
	free(c->bad);
	free(c->t_sent);
	free(c->ends);
	free(c->out.p);
}

/* When request j of connection k is due, in µs from the start (--rate). */
static int64_t
due_at(long k, size_t j)
{
	double before = ((double)j * (double)o.conns + (double)k) *
	    (o.http ? (double)o.batch : 1.0);

	return (int64_t)(before * 1e6 / o.rate);
}

/*
 * Counts one answer: to request c->nans, at time t, stored or not.  A
 * request of no events (the TCP auth line) counts only if it went wrong.
 */
static void
answered(struct lconn *c, int64_t t, int good, long events)
{
	if (good == c->bad[c->nans])
		st.wrong++;
	if (events > 0) {
		st.lat[st.nlat++] = t - c->t_sent[c->nans];
		if (good)
			st.ok += (size_t)events;
		else
			st.refused += (size_t)events;
		st.reqs++;
	}
	c->nans++;
}

/* NDJSON answers in c->in, each a line. */
static void
ndjson_answers(struct lconn *c, long k, int64_t t)
{
	for (;;) {
		char *nl = memchr(c->in, '\n', c->inlen);
		size_t len;
		int good;

		if (nl == NULL)
			break;
		*nl = '\0';
		len = (size_t)(nl - c->in) + 1;
		good = strncmp(c->in, "{\"ok\":true", 10) == 0;
		if (c->nans < c->nreq) {
			if (!good && !o.quiet && !c->bad[c->nans])
				fprintf(stderr, "refused: %s\n", c->in);
			if (good && st.ids != NULL &&
			    strstr(c->in, "\"id\":") != NULL)
				fprintf(st.ids, "%ld-%zu %lld\n", k, c->nans,
				    strtoll(strstr(c->in, "\"id\":") + 5, NULL,
				    10));
			else if (good && st.ids != NULL &&
			    strstr(c->in, "\"journaled\":true") != NULL)
				fprintf(st.ids, "%ld-%zu journaled\n", k,
				    c->nans);
			answered(c, t, good, o.tcp != NULL && c->nans == 0 ?
			    0 : 1);
		}
		memmove(c->in, c->in + len, c->inlen - len);
		c->inlen -= len;
	}
}

/*
 * HTTP answers in c->in: a status line, headers with Content-Length, a
 * body.  Returns -1 when the bytes are not such an answer.
 */
static int
http_answers(struct lconn *c, int64_t t)
{
	size_t take;

	for (;;) {
		if (c->hstate == H_HEAD) {
			char *end = memmem(c->in, c->inlen, "\r\n\r\n", 4);
			const char *cl;
			size_t head;

			if (end == NULL)
				return c->inlen == sizeof(c->in) ? -1 : 0;
			*end = '\0';
			if (strncmp(c->in, "HTTP/1.", 7) != 0 || c->inlen < 12)
				return -1;
			c->hstatus = atoi(c->in + 9);
			if ((cl = strcasestr(c->in, "\r\nContent-Length:")) == NULL)
				return -1;
			c->hleft = (size_t)strtoull(cl + 17, NULL, 10);
			c->hclose = strcasestr(c->in, "\r\nConnection: close") !=
			    NULL;
			head = (size_t)(end - c->in) + 4;
			memmove(c->in, c->in + head, c->inlen - head);
			c->inlen -= head;
			c->hstate = H_BODY;
			if (c->hstatus != 200 && !o.quiet)
				fprintf(stderr, "refused: HTTP %d: %.*s\n",
				    c->hstatus, (int)(c->inlen < c->hleft ?
				    c->inlen : c->hleft), c->in);
		}
		take = c->inlen < c->hleft ? c->inlen : c->hleft;
		memmove(c->in, c->in + take, c->inlen - take);
		c->inlen -= take;
		c->hleft -= take;
		if (c->hleft > 0)
			return 0;
		c->hstate = H_HEAD;
		if (c->nans >= c->nreq)
			return -1;	/* an answer nothing asked for */
		answered(c, t, c->hstatus == 200, req_events(c->nans));
		if (c->hclose)
			return 0;
	}
}

/*
 * An HTTP connection the server closed between requests: dial again and
 * resend from the first request not answered.  -1 if that fails.
 */
static int
http_redial(struct lconn *c)
{
	close(c->fd);
	if ((c->fd = dial()) == -1)
		return -1;
	c->sent = c->nans > 0 ? c->ends[c->nans - 1] : 0;
	c->nsent = c->nans;
	c->inlen = 0;
	c->hstate = H_HEAD;
	c->hclose = 0;
	return 0;
}

static int
cmp64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

static void
usage(void)
{
	fprintf(stderr,
"usage: sochi-loadgen (--unix PATH | --tcp 127.0.0.1:PORT [--token T])\n"
"                     --incident CODE [-c CONNS] [-n EVENTS] [-w WINDOW]\n"
"                     [--rate EVENTS_PER_S] [--key-prefix P] [--ids FILE]\n"
"                     [--bad-every K] [--copy-out FILE] [--timeout SECONDS]\n"
"                     [-q]\n"
"       sochi-loadgen --http 127.0.0.1:PORT [--token T]\n"
"                     (--incident CODE | --alertmanager) [--batch B]\n"
"                     [-c CONNS] [-n EVENTS] [--rate EVENTS_PER_S]\n"
"                     [--key-prefix P] [--timeout SECONDS] [-q]\n"
"  -c CONNS        connections (1)\n"
"  -n EVENTS       events per connection (1000)\n"
"  -w WINDOW       NDJSON lines in flight per connection (256); HTTP has one\n"
"                  request in flight per connection\n"
"  --rate N        N events/s over all connections on a fixed schedule, latency\n"
"                  timed from when each request was due (default: as fast as\n"
"                  the window allows)\n"
"  --batch B       events per HTTP request (100)\n"
"  --alertmanager  Alertmanager webhook payloads to /v1/alertmanager instead of\n"
"                  event arrays to /v1/events\n"
"  --key-prefix P  keys P-CONN-N, so that a resend is recognised\n"
"  --ids FILE      write \"CONN-LINE id\" for each stored event (LINE from 0),\n"
"                  \"CONN-LINE journaled\" for each one kept in the journal\n"
"  --bad-every K   after every K-1 good lines, one that must be refused\n"
"  --copy-out FILE the same rows as COPY text for a table shaped like event\n"
"The token defaults to $SOCHI_TOKEN.  Prints one line: connections events\n"
"ok refused unexpected seconds events/s p50_ms p99_ms max_ms requests\n"
"(latency per NDJSON line or per HTTP request); exits 1 unless every\n"
"request got the answer expected.\n");
	exit(2);
}

/* The largest request index of c that may be written now. */
static size_t
write_limit(const struct lconn *c)
{
	size_t lim = c->nans + (size_t)o.window;

	if (lim > c->nreq)
		lim = c->nreq;
	if (o.rate > 0 && lim > c->ndue)
		lim = c->ndue;
	return lim;
}

/* Watches c's socket for answers (and for room to write, with out). */
static void
watch(int ep, struct lconn *c, long k, int op, int out)
{
	struct epoll_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN | (out ? EPOLLOUT : 0);
	ev.data.u64 = (uint64_t)k;
	if (epoll_ctl(ep, op, c->fd, &ev) == -1)
		die("epoll_ctl failed");
	c->want_out = out;
}

/*
 * Writes c's requests up to the last one allowed now, straight away: most
 * fit in the socket's buffer, and waiting for EPOLLOUT first would cost a
 * wakeup per request.  Only a write that would block waits for room.
 */
static void
send_due(int ep, struct lconn *c, long k, int64_t start, int64_t t)
{
	size_t lim = write_limit(c), end;
	ssize_t n;

	if (lim == 0 || (end = c->ends[lim - 1]) <= c->sent)
		return;
	n = write(c->fd, c->out.p + c->sent, end - c->sent);
	if (n > 0) {
		c->sent += (size_t)n;
		while (c->nsent < c->nreq && c->ends[c->nsent] <= c->sent) {
			c->t_sent[c->nsent] = o.rate > 0 ?
			    start + due_at(k, c->nsent) : t;
			c->nsent++;
		}
	} else if (n == -1 && errno != EAGAIN && errno != EINTR)
		c->sent = c->out.len;	/* peer gone: read what is left */
	if (c->sent < end && c->sent < c->out.len && !c->want_out)
		watch(ep, c, k, EPOLL_CTL_MOD, 1);
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "unix", required_argument, NULL, 'u' },
		{ "tcp", required_argument, NULL, 't' },
		{ "http", required_argument, NULL, 'H' },
		{ "alertmanager", no_argument, NULL, 'A' },
		{ "batch", required_argument, NULL, 'B' },
		{ "rate", required_argument, NULL, 'r' },
		{ "token", required_argument, NULL, 'T' },
		{ "incident", required_argument, NULL, 'i' },
		{ "key-prefix", required_argument, NULL, 'k' },
		{ "ids", required_argument, NULL, 'I' },
		{ "bad-every", required_argument, NULL, 'b' },
		{ "copy-out", required_argument, NULL, 'C' },
		{ "timeout", required_argument, NULL, 'x' },
		{ NULL, 0, NULL, 0 }
	};
	struct lconn *cs;
	struct epoll_event evs[64];
	int ep = -1;
	FILE *copy = NULL;
	int64_t start, elapsed;
	size_t alive, i;
	long k;
	int ch, wset = 0, rc = 0;

	while ((ch = getopt_long(argc, argv, "c:n:w:q", longopts, NULL)) != -1) {
		switch (ch) {
		case 'u': o.unix_path = optarg; break;
		case 't': o.tcp = optarg; break;
		case 'H':
			o.http = 1;
			o.tcp = optarg;
			if (strncmp(o.tcp, "http://", 7) == 0)
				o.tcp += 7;
			snprintf(o.hostport, sizeof(o.hostport), "%.*s",
			    (int)strcspn(o.tcp, "/"), o.tcp);
			o.tcp = o.hostport;
			break;
		case 'A': o.alertmanager = 1; break;
		case 'B': o.batch = atol(optarg); break;
		case 'r': o.rate = atof(optarg); break;
		case 'T': o.token = optarg; break;
		case 'i': o.incident = optarg; break;
		case 'k': o.prefix = optarg; break;
		case 'I': o.ids_path = optarg; break;
		case 'b': o.bad_every = atol(optarg); break;
		case 'C': o.copy_path = optarg; break;
		case 'x': o.timeout = atol(optarg); break;
		case 'c': o.conns = atol(optarg); break;
		case 'n': o.events = atol(optarg); break;
		case 'w': o.window = atol(optarg); wset = 1; break;
		case 'q': o.quiet = 1; break;
		default: usage();
		}
	}
	if (optind != argc || o.conns < 1 || o.events < 1 || o.window < 1 ||
	    o.batch < 1 || o.rate < 0 || o.timeout < 1 ||
	    ((o.unix_path == NULL) == (o.tcp == NULL)) ||
	    (o.incident == NULL && !o.alertmanager) ||
	    (o.alertmanager && !o.http))
		usage();
	if (o.token == NULL)
		o.token = getenv("SOCHI_TOKEN");
	if (o.http) {
		if (wset && o.window != 1)
			die("--http sends one request at a time on each connection "
			    "(-w is for NDJSON)");
		if (o.ids_path != NULL || o.bad_every > 0 || o.copy_path != NULL)
			die("--ids, --bad-every and --copy-out are for NDJSON");
		if (o.token == NULL || *o.token == '\0')
			die("--http needs a token: --token or $SOCHI_TOKEN");
		o.window = 1;
	}
	/* sochid closing a connection is reported, not fatal. */
	signal(SIGPIPE, SIG_IGN);
	if (o.ids_path != NULL && (st.ids = fopen(o.ids_path, "w")) == NULL)
		die("cannot write --ids file");
	if (o.copy_path != NULL && (copy = fopen(o.copy_path, "w")) == NULL)
		die("cannot write --copy-out file");

	cs = calloc((size_t)o.conns, sizeof(*cs));
	st.lat = calloc((size_t)o.conns * (size_t)(o.events + o.events /
	    (o.bad_every ? o.bad_every : o.events + 1) + 2), sizeof(*st.lat));
	if (cs == NULL || st.lat == NULL)
		die("out of memory");
	for (k = 0; k < o.conns; k++)
		build(&cs[k], k, copy);
	if (copy != NULL && fclose(copy) != 0)
		die("cannot write --copy-out file");
	for (k = 0; k < o.conns; k++)
		if ((cs[k].fd = dial()) == -1) {
			fprintf(stderr, "sochi-loadgen: connect: %s\n",
			    strerror(errno));
			rc = 2;
			goto out;
		}

	if ((ep = epoll_create1(EPOLL_CLOEXEC)) == -1)
		die("epoll_create1 failed");
	for (k = 0; k < o.conns; k++)
		watch(ep, &cs[k], k, EPOLL_CTL_ADD, 0);

	start = now_us();
	alive = (size_t)o.conns;
	while (alive > 0) {
		int64_t t = now_us(), wake = t + 1000000;
		struct timespec ts;
		int nev, e;

		if (t - start > o.timeout * 1000000) {
			fprintf(stderr, "sochi-loadgen: gave up after %ld s\n",
			    o.timeout);
			break;
		}
		for (k = 0; k < o.conns; k++) {
			struct lconn *c = &cs[k];

			if (c->done)
				continue;
			if (o.rate > 0)
				while (c->ndue < c->nreq &&
				    start + due_at(k, c->ndue) <= t)
					c->ndue++;
			if (!c->want_out)
				send_due(ep, c, k, start, t);
			/* Not yet due, though the window has room: wake then. */
			if (o.rate > 0 && c->ndue < c->nreq &&
			    c->ndue < c->nans + (size_t)o.window &&
			    start + due_at(k, c->ndue) < wake)
				wake = start + due_at(k, c->ndue);
		}
		if (wake < t)
			wake = t;
		ts.tv_sec = (wake - t) / 1000000;
		ts.tv_nsec = (long)((wake - t) % 1000000) * 1000;
		nev = epoll_pwait2(ep, evs, (int)(sizeof(evs) / sizeof(evs[0])),
		    &ts, NULL);
		if (nev == -1 && errno == ENOSYS)	/* before Linux 5.11 */
			nev = epoll_wait(ep, evs, (int)(sizeof(evs) /
			    sizeof(evs[0])), (int)((wake - t + 999) / 1000));
		if (nev == -1) {
			if (errno == EINTR)
				continue;
			die("epoll_wait failed");
		}
		t = now_us();
		for (e = 0; e < nev; e++) {
			struct lconn *c;
			ssize_t n;

			k = (long)evs[e].data.u64;
			c = &cs[k];
			if (c->done)
				continue;
			if ((evs[e].events & EPOLLOUT) && c->want_out) {
				watch(ep, c, k, EPOLL_CTL_MOD, 0);
				send_due(ep, c, k, start, t);
			}
			if (evs[e].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
				n = read(c->fd, c->in + c->inlen,
				    sizeof(c->in) - c->inlen);
				if (n == -1 && (errno == EAGAIN || errno == EINTR))
					continue;
				if (n <= 0) {
					/* Idle keep-alive closed: dial again. */
					if (o.http && c->nsent == c->nans &&
					    c->sent == (c->nans > 0 ?
					    c->ends[c->nans - 1] : 0) &&
					    c->nans < c->nreq && http_redial(c) == 0) {
						watch(ep, c, k, EPOLL_CTL_ADD, 0);
						continue;
					}
					c->done = 1;
					/* Finished: its socket may stay readable (closed). */
					(void)epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
					alive--;
					continue;
				}
				c->inlen += (size_t)n;
				if (!o.http)
					ndjson_answers(c, k, t);
				else if (http_answers(c, t) == -1) {
					fprintf(stderr, "sochi-loadgen: connection "
					    "%ld: not an HTTP answer\n", k);
					c->done = 1;
					/* Finished: its socket may stay readable (closed). */
					(void)epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
					alive--;
					continue;
				} else if (c->hclose && c->hstate == H_HEAD &&
				    c->nans < c->nreq) {
					if (http_redial(c) == -1) {
						c->done = 1;
						/* Finished: its socket may stay readable (closed). */
						(void)epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
						alive--;
						continue;
					}
					watch(ep, c, k, EPOLL_CTL_ADD, 0);
				}
				if (c->nans == c->nreq) {
					c->done = 1;
					/* Finished: its socket may stay readable (closed). */
					(void)epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
					alive--;
				}
			}
		}
	}
	elapsed = now_us() - start;
	qsort(st.lat, st.nlat, sizeof(*st.lat), cmp64);
	printf("connections %ld events %zu ok %zu refused %zu unexpected %zu "
	    "seconds %.3f events/s %.0f p50_ms %.2f p99_ms %.2f max_ms %.2f "
	    "requests %zu\n",
	    o.conns, st.ok + st.refused, st.ok, st.refused, st.wrong,
	    elapsed / 1e6,
	    (double)(st.ok + st.refused) * 1e6 / (double)(elapsed ? elapsed : 1),
	    st.nlat ? st.lat[st.nlat / 2] / 1e3 : 0.0,
	    st.nlat ? st.lat[(size_t)((double)st.nlat * 0.99)] / 1e3 : 0.0,
	    st.nlat ? st.lat[st.nlat - 1] / 1e3 : 0.0, st.reqs);
	for (k = 0; k < o.conns; k++)
		if (cs[k].nans != cs[k].nreq)
			rc = 1;
	if (st.wrong)
		rc = 1;
out:
	if (st.ids != NULL && fclose(st.ids) != 0) {
		fprintf(stderr, "sochi-loadgen: cannot write --ids file\n");
		rc = 2;
	}
	for (i = 0; i < (size_t)o.conns; i++)
		lconn_free(&cs[i]);
	free(st.lat);
	if (ep != -1)
		close(ep);
	free(cs);
	return rc;
}
