/* SPDX-License-Identifier: MIT */
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

struct send_ctx {
	int		 quiet;		/* print refusals only */
	int		 refused;	/* a line was refused */
};

static void
print_answer(const char *line, size_t len, void *arg)
{
	struct send_ctx *ctx = arg;
	int ok = len >= 10 && strncmp(line, "{\"ok\":true", 10) == 0;

	if (!ok)
		ctx->refused = 1;
	if (!ctx->quiet || !ok) {
		fwrite(line, 1, len, stdout);
		putchar('\n');
	}
}

static int
cmd_send_exec(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct sbuf in = SBUF_INIT;
	struct send_ctx ctx = { 0, 0 };
	size_t lines = 0, i, start;
	int ch, fd, quiet = 0, i_arg, rv;

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
	/* Empty lines (a lone CR too) get no answer from sochid. */
	for (i = 0, start = 0; i < in.len; i++)
		if (in.data[i] == '\n') {
			if (i == start || (i == start + 1 && in.data[start] == '\r'))
				lines--;
			start = i + 1;
		}
	ctx.quiet = quiet;
	rv = cli_exchange(cli, in.data != NULL ? in.data : "", in.len, lines,
	    print_answer, &ctx);
	sbuf_free(&in);
	if (rv == -1)
		return EXIT_TROUBLE;
	return ctx.refused ? EXIT_FINDINGS : 0;
}
