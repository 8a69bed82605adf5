/*
 * sochi-loadgen: sends action events to sochid over the Unix socket or TCP
 * from N connections, M events each, keeping up to W requests in flight per
 * connection, and reports events/s and answer latency (p50, p99, max).
 * It is the benchmark's client and the integration tests' bulk sender:
 * --ids writes "key id" per stored event, --bad-every interleaves lines that
 * must be refused, --copy-out writes the same rows for PostgreSQL's COPY.
 * Traffic goes only where it is told: a Unix socket or a loopback address.
 */
#include <sys/socket.h>
#include <sys/un.h>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct lconn {
	int		 fd;		/* the socket */
	char		*out;		/* every request line, pre-built */
	size_t		 outlen;	/* its length */
	size_t		 sent;		/* bytes written */
	size_t		*ends;		/* offset just past each line */
	size_t		 nlines;	/* lines, the auth line included */
	size_t		 nsent;		/* lines fully written */
	size_t		 nans;		/* answers read */
	int64_t		*t_sent;	/* when each line was written, µs */
	int		*bad;		/* the line was made to be refused */
	char		 in[1 << 16];	/* partial answer */
	size_t		 inlen;		/* bytes in it */
	int		 done;		/* every answer read */
};

static struct {
	const char	*unix_path;
	const char	*tcp;
	const char	*token;
	const char	*incident;
	const char	*prefix;
	const char	*ids_path;
	const char	*copy_path;
	long		 conns, events, window, bad_every, timeout;
	int		 quiet;
} o = { NULL, NULL, NULL, NULL, NULL, NULL, NULL, 1, 1000, 256, 0, 300, 0 };

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
		if (fd == -1 || connect(fd, (struct sockaddr *)&sun,
		    sizeof(sun)) == -1)
			return -1;
	} else {
		struct sockaddr_in sin;
		char host[64];
		const char *colon = strrchr(o.tcp, ':');

		if (colon == NULL || (size_t)(colon - o.tcp) >= sizeof(host))
			die("--tcp wants HOST:PORT");
		memcpy(host, o.tcp, (size_t)(colon - o.tcp));
		host[colon - o.tcp] = '\0';
		memset(&sin, 0, sizeof(sin));
		sin.sin_family = AF_INET;
		sin.sin_port = htons((uint16_t)atoi(colon + 1));
		if (inet_pton(AF_INET, host, &sin.sin_addr) != 1)
			die("--tcp wants a numeric IPv4 loopback address");
		if ((ntohl(sin.sin_addr.s_addr) >> 24) != 127)
			die("--tcp sends only to loopback (127.0.0.0/8)");
		fd = socket(AF_INET, SOCK_STREAM, 0);
		if (fd == -1 || connect(fd, (struct sockaddr *)&sin,
		    sizeof(sin)) == -1)
			return -1;
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	return fd;
}

static void
add_line(struct lconn *c, size_t *cap, const char *line, int bad)
{
	size_t n = strlen(line);

	while (c->outlen + n + 1 > *cap) {
		*cap = *cap ? *cap * 2 : 65536;
		if ((c->out = realloc(c->out, *cap)) == NULL)
			die("out of memory");
	}
	memcpy(c->out + c->outlen, line, n);
	c->outlen += n;
	c->out[c->outlen++] = '\n';
	c->ends[c->nlines] = c->outlen;
	c->bad[c->nlines] = bad;
	c->nlines++;
}

/* The i-th event of connection k; its time spreads over one day. */
static void
make_event(long k, long i, char *buf, size_t len, char *key, size_t keylen)
{
	long sec = (k * o.events + i) % 86400;

	if (o.prefix != NULL)
		snprintf(key, keylen, "%s-%ld-%ld", o.prefix, k, i);
	else
		key[0] = '\0';
	snprintf(buf, len, "{\"kind\":\"action\",\"incident\":\"%s\","
	    "\"at\":\"2026-11-20T%02ld:%02ld:%02ld+09:00\",\"phase\":\"recover\","
	    "\"actor\":\"ネットワークオペレーション部門\",\"text\":\"負荷試験の対処 "
	    "%ld-%ld\"%s%s%s}", o.incident, sec / 3600, sec / 60 % 60, sec % 60,
	    k, i, key[0] ? ",\"key\":\"" : "", key, key[0] ? "\"" : "");
}

static void
build(struct lconn *c, long k, FILE *copy)
{
	size_t cap = 0, total = (size_t)o.events + 2;
	char line[1024], key[128];
	long i, sec;

	if (o.bad_every > 0)
		total += (size_t)(o.events / o.bad_every) + 1;
	c->ends = calloc(total, sizeof(*c->ends));
	c->t_sent = calloc(total, sizeof(*c->t_sent));
	c->bad = calloc(total, sizeof(*c->bad));
	if (c->ends == NULL || c->t_sent == NULL || c->bad == NULL)
		die("out of memory");
	if (o.tcp != NULL) {
		snprintf(line, sizeof(line), "{\"auth\":\"%s\"}",
		    o.token ? o.token : "");
		add_line(c, &cap, line, 0);
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
			add_line(c, &cap, bad[(i / o.bad_every) % 3], 1);
		}
		make_event(k, i, line, sizeof(line), key, sizeof(key));
		add_line(c, &cap, line, 0);
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

/* Everything a connection holds, its socket last. */
static void
lconn_free(struct lconn *c)
{
	free(c->out);
	free(c->ends);
	free(c->t_sent);
	free(c->bad);
	if (c->fd != -1)
		close(c->fd);
	c->fd = -1;
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
"usage: sochi-loadgen (--unix PATH | --tcp 127.0.0.1:PORT --token T)\n"
"                     --incident CODE [-c CONNS] [-n EVENTS] [-w WINDOW]\n"
"                     [--key-prefix P] [--ids FILE] [--bad-every K]\n"
"                     [--copy-out FILE] [--timeout SECONDS] [-q]\n");
	exit(2);
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "unix", required_argument, NULL, 'u' },
		{ "tcp", required_argument, NULL, 't' },
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
	struct pollfd *pfds;
	FILE *ids = NULL, *copy = NULL;
	int64_t start, elapsed, *lat;
	size_t nlat = 0, ok = 0, refused = 0, wrong = 0, alive;
	long k;
	int ch, rv;

	while ((ch = getopt_long(argc, argv, "c:n:w:q", longopts, NULL)) != -1) {
		switch (ch) {
		case 'u': o.unix_path = optarg; break;
		case 't': o.tcp = optarg; break;
		case 'T': o.token = optarg; break;
		case 'i': o.incident = optarg; break;
		case 'k': o.prefix = optarg; break;
		case 'I': o.ids_path = optarg; break;
		case 'b': o.bad_every = atol(optarg); break;
		case 'C': o.copy_path = optarg; break;
		case 'x': o.timeout = atol(optarg); break;
		case 'c': o.conns = atol(optarg); break;
		case 'n': o.events = atol(optarg); break;
		case 'w': o.window = atol(optarg); break;
		case 'q': o.quiet = 1; break;
		default: usage();
		}
	}
	if ((o.unix_path == NULL) == (o.tcp == NULL) || o.incident == NULL ||
	    o.conns < 1 || o.events < 1 || o.window < 1)
		usage();
	/* sochid closing a connection is reported, not fatal. */
	signal(SIGPIPE, SIG_IGN);
	if (o.ids_path != NULL && (ids = fopen(o.ids_path, "w")) == NULL)
		die("cannot write --ids file");
	if (o.copy_path != NULL && (copy = fopen(o.copy_path, "w")) == NULL)
		die("cannot write --copy-out file");

	cs = calloc((size_t)o.conns, sizeof(*cs));
	pfds = calloc((size_t)o.conns, sizeof(*pfds));
	lat = calloc((size_t)o.conns * (size_t)(o.events + o.events /
	    (o.bad_every ? o.bad_every : o.events + 1) + 2), sizeof(*lat));
	if (cs == NULL || pfds == NULL || lat == NULL)
		die("out of memory");
	for (k = 0; k < o.conns; k++) {
		cs[k].fd = -1;
		build(&cs[k], k, copy);
	}
	if (copy != NULL)
		fclose(copy);
	for (k = 0; k < o.conns; k++)
		if ((cs[k].fd = dial()) == -1) {
			fprintf(stderr, "sochi-loadgen: connect: %s\n",
			    strerror(errno));
			rv = 2;
			goto out;
		}

	start = now_us();
	alive = (size_t)o.conns;
	while (alive > 0) {
		int64_t t = now_us();

		if (t - start > o.timeout * 1000000) {
			fprintf(stderr, "sochi-loadgen: gave up after %ld s\n",
			    o.timeout);
			break;
		}
		for (k = 0; k < o.conns; k++) {
			struct lconn *c = &cs[k];

			pfds[k].fd = c->done ? -1 : c->fd;
			pfds[k].events = POLLIN;
			if (c->sent < c->outlen &&
			    c->nsent - c->nans < (size_t)o.window)
				pfds[k].events |= POLLOUT;
		}
		if (poll(pfds, (nfds_t)o.conns, 1000) == -1) {
			if (errno == EINTR)
				continue;
			die("poll failed");
		}
		t = now_us();
		for (k = 0; k < o.conns; k++) {
			struct lconn *c = &cs[k];
			ssize_t n;

			if (c->done)
				continue;
			if (pfds[k].revents & POLLOUT) {
				/* Write up to the end of the window's last line. */
				size_t lim = c->nans + (size_t)o.window;
				size_t end = c->ends[(lim < c->nlines ? lim :
				    c->nlines) - 1];

				n = write(c->fd, c->out + c->sent, end - c->sent);
				if (n > 0) {
					c->sent += (size_t)n;
					while (c->nsent < c->nlines &&
					    c->ends[c->nsent] <= c->sent)
						c->t_sent[c->nsent++] = t;
				} else if (n == -1 && errno != EAGAIN &&
				    errno != EINTR)
					c->sent = c->outlen;	/* peer gone: read what is left */
			}
			if (pfds[k].revents & (POLLIN | POLLHUP | POLLERR)) {
				n = read(c->fd, c->in + c->inlen,
				    sizeof(c->in) - c->inlen);
				if (n <= 0) {
					if (n == -1 && errno == EAGAIN)
						continue;
					c->done = 1;
					alive--;
					continue;
				}
				c->inlen += (size_t)n;
				for (;;) {
					char *nl = memchr(c->in, '\n', c->inlen);
					size_t len;
					int good;

					if (nl == NULL)
						break;
					*nl = '\0';
					len = (size_t)(nl - c->in) + 1;
					good = strncmp(c->in, "{\"ok\":true", 10)
					    == 0;
					if (c->nans < c->nlines) {
						lat[nlat++] = t - c->t_sent[c->nans];
						if (good == c->bad[c->nans])
							wrong++;
					}
					if (good)
						ok++;
					else {
						refused++;
						if (!o.quiet && !c->bad[c->nans])
							fprintf(stderr, "refused: "
							    "%s\n", c->in);
					}
					if (good && ids != NULL &&
					    strstr(c->in, "\"id\":") != NULL)
						fprintf(ids, "%ld-%zu %lld\n", k,
						    c->nans, strtoll(strstr(c->in,
						    "\"id\":") + 5, NULL, 10));
					c->nans++;
					memmove(c->in, c->in + len, c->inlen - len);
					c->inlen -= len;
				}
				if (c->nans == c->nlines) {
					c->done = 1;
					alive--;
				}
			}
		}
	}
	elapsed = now_us() - start;
	if (ids != NULL)
		fclose(ids);
	ids = NULL;
	qsort(lat, nlat, sizeof(*lat), cmp64);
	if (o.tcp != NULL)
		ok -= (size_t)o.conns;	/* the auth answers */
	printf("connections %ld events %zu ok %zu refused %zu unexpected %zu "
	    "seconds %.3f events/s %.0f p50_ms %.2f p99_ms %.2f max_ms %.2f\n",
	    o.conns, ok + refused, ok, refused, wrong, elapsed / 1e6,
	    (double)(ok + refused) * 1e6 / (double)(elapsed ? elapsed : 1),
	    nlat ? lat[nlat / 2] / 1e3 : 0.0,
	    nlat ? lat[(size_t)((double)nlat * 0.99)] / 1e3 : 0.0,
	    nlat ? lat[nlat - 1] / 1e3 : 0.0);
	rv = wrong ? 1 : 0;
	for (k = 0; k < o.conns; k++)
		if (cs[k].nans != cs[k].nlines)
			rv = 1;
out:
	for (k = 0; k < o.conns; k++)
		lconn_free(&cs[k]);
	free(cs);
	free(pfds);
	free(lat);
	if (ids != NULL)
		fclose(ids);
	return rv;
}
