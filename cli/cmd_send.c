/*
 * sochi send [FILE...]: sends NDJSON requests (one JSON object a line) to
 * sochid over its socket on one connection and prints each answer line.
 * Writing and reading are interleaved, so a file of any length streams
 * through sochid's back-pressure without either side waiting on the other.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sbuf.h"
#include "sochi.h"

static int	cmd_send_exec(struct cli *, int, char **);

const struct cmd_entry cmd_send_entry = {
	"send", "[-q] [FILE...]",
	"send NDJSON events (from FILEs or standard input) and print answers",
	cmd_send_exec
};

static int
slurp(int fd, struct sbuf *b)
{
	char chunk[65536];
	ssize_t n;

	while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (sbuf_add(b, chunk, (size_t)n) == -1)
			return -1;
	}
	return 0;
}

static void
send_usage(FILE *fp)
{
	fprintf(fp, "usage: sochi send [-q] [FILE...]\n"
	    "Sends each line of the FILEs (or standard input) to sochid as one\n"
	    "request and prints sochid's answer to each, in order.\n"
	    "  -q, --quiet  print only the answers that refuse a line\n"
	    "Exit status: 0 when every line was stored, 1 when any was refused,\n"
	    "2 when sochid could not be reached or the input not read.\n");
}

static int
cmd_send_exec(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct sbuf in = SBUF_INIT, ans = SBUF_INIT;
	struct pollfd pfd;
	size_t sent = 0, lines = 0, answered = 0, i, start;
	int ch, fd, quiet = 0, refused = 0, i_arg;
	ssize_t n;
	char chunk[65536];

	while ((ch = getopt_long(argc, argv, "qh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'q': quiet = 1; break;
		case 'h': send_usage(stdout); return 0;
		default: send_usage(stderr); return 2;
		}
	}
	if (optind == argc) {
		if (slurp(STDIN_FILENO, &in) == -1) {
			fprintf(stderr, "sochi send: standard input: %s\n",
			    strerror(errno));
			return 2;
		}
	}
	for (i_arg = optind; i_arg < argc; i_arg++) {
		if ((fd = open(argv[i_arg], O_RDONLY | O_CLOEXEC)) == -1 ||
		    slurp(fd, &in) == -1) {
			fprintf(stderr, "sochi send: %s: %s\n", argv[i_arg],
			    strerror(errno));
			sbuf_free(&in);
			return 2;
		}
		close(fd);
		if (in.len > 0 && in.data[in.len - 1] != '\n')
			sbuf_addc(&in, '\n');
	}
	if (in.len > 0 && in.data[in.len - 1] != '\n')
		sbuf_addc(&in, '\n');
	for (i = 0; i < in.len; i++)
		if (in.data[i] == '\n')
			lines++;
	/* Blank lines get no answer from sochid; do not wait for one. */
	for (i = 0, start = 0; i < in.len; i++)
		if (in.data[i] == '\n') {
			size_t j;
			int blank = 1;

			for (j = start; j < i; j++)
				if (in.data[j] != ' ' && in.data[j] != '\t' &&
				    in.data[j] != '\r')
					blank = 0;
			if (blank)
				lines--;
			start = i + 1;
		}
	signal(SIGPIPE, SIG_IGN);
	if ((fd = cli_connect(cli)) == -1) {
		sbuf_free(&in);
		return 2;
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	if (in.len == 0)
		shutdown(fd, SHUT_WR);
	while (answered < lines) {
		pfd.fd = fd;
		pfd.events = POLLIN | (sent < in.len ? POLLOUT : 0);
		if (poll(&pfd, 1, -1) == -1) {
			if (errno == EINTR)
				continue;
			break;
		}
		if ((pfd.revents & POLLOUT) && sent < in.len) {
			n = write(fd, in.data + sent, in.len - sent);
			if (n > 0) {
				sent += (size_t)n;
				if (sent == in.len)
					shutdown(fd, SHUT_WR);
			} else if (n == -1 && errno != EAGAIN && errno != EINTR)
				break;
		}
		if (pfd.revents & (POLLIN | POLLHUP | POLLERR)) {
			n = read(fd, chunk, sizeof(chunk));
			if (n == 0 || (n == -1 && errno != EAGAIN &&
			    errno != EINTR))
				break;
			if (n < 0)
				continue;
			sbuf_add(&ans, chunk, (size_t)n);
			for (;;) {
				char *nl = memchr(ans.data, '\n', ans.len);
				size_t len;

				if (nl == NULL)
					break;
				len = (size_t)(nl - ans.data) + 1;
				answered++;
				if (strncmp(ans.data, "{\"ok\":true", 10) != 0)
					refused = 1;
				if (!quiet || strncmp(ans.data, "{\"ok\":true",
				    10) != 0)
					fwrite(ans.data, 1, len, stdout);
				memmove(ans.data, ans.data + len, ans.len - len);
				ans.len -= len;
			}
		}
	}
	close(fd);
	sbuf_free(&in);
	sbuf_free(&ans);
	if (answered < lines) {
		fprintf(stderr, "sochi send: sochid closed the connection after "
		    "%zu of %zu answers\n", answered, lines);
		return 2;
	}
	return refused ? 1 : 0;
}
