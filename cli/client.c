/* SPDX-License-Identifier: MIT */
/*
 * Talking to sochid over its Unix socket: requests written and answers read
 * on one connection, interleaved (poll), so that any number of lines streams
 * through sochid's back-pressure without either side waiting on the other.
 */
#include <sys/socket.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sbuf.h"
#include "sochi.h"

int
cli_exchange(const struct cli *cli, const char *data, size_t len,
    size_t expect, void (*on_line)(const char *, size_t, void *), void *arg)
{
	struct sbuf ans = SBUF_INIT;
	struct pollfd pfd;
	size_t sent = 0, answered = 0;
	char chunk[65536];
	ssize_t n;
	int fd;

	signal(SIGPIPE, SIG_IGN);
	if ((fd = cli_connect(cli)) == -1)
		return -1;
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	if (len == 0)
		shutdown(fd, SHUT_WR);
	while (answered < expect) {
		pfd.fd = fd;
		pfd.events = POLLIN | (sent < len ? POLLOUT : 0);
		if (poll(&pfd, 1, -1) == -1) {
			if (errno == EINTR)
				continue;
			break;
		}
		if ((pfd.revents & POLLOUT) && sent < len) {
			n = write(fd, data + sent, len - sent);
			if (n > 0) {
				sent += (size_t)n;
				if (sent == len)
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
				size_t l;

				if (nl == NULL)
					break;
				l = (size_t)(nl - ans.data);
				answered++;
				on_line(ans.data, l, arg);
				memmove(ans.data, nl + 1, ans.len - l - 1);
				ans.len -= l + 1;
			}
		}
	}
	close(fd);
	sbuf_free(&ans);
	if (answered < expect) {
		fprintf(stderr, "sochi: sochid at %s closed the connection after "
		    "%zu of %zu answers; the rest may not be stored\n",
		    cli->socket, answered, expect);
		return -1;
	}
	return 0;
}
