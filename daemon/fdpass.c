/* SPDX-License-Identifier: MIT */
/*
 * Passing connections between processes.  See fdpass.h.
 */
#include <sys/socket.h>
#include <sys/uio.h>

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "fdpass.h"

int
fdpass_send(int sock, int fd, const void *bytes, size_t len)
{
	union {
		struct cmsghdr	hdr;	/* for alignment */
		char		buf[CMSG_SPACE(sizeof(int))];
	} cm;
	struct iovec iov = { (void *)(uintptr_t)bytes, len };
	struct msghdr msg;
	struct cmsghdr *c;

	if (len == 0 || len > FDPASS_MAX) {
		errno = EMSGSIZE;
		return -1;
	}
	memset(&msg, 0, sizeof(msg));
	memset(&cm, 0, sizeof(cm));
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = cm.buf;
	msg.msg_controllen = sizeof(cm.buf);
	c = CMSG_FIRSTHDR(&msg);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	for (;;) {
		if (sendmsg(sock, &msg, MSG_DONTWAIT | MSG_NOSIGNAL) >= 0)
			return 0;
		if (errno != EINTR)
			return -1;
	}
}

int
fdpass_recv(int sock, int *fd, void *buf, size_t cap, size_t *len)
{
	union {
		struct cmsghdr	hdr;	/* for alignment */
		char		buf[CMSG_SPACE(4 * sizeof(int))];
	} cm;
	struct iovec iov = { buf, cap };
	struct msghdr msg;
	struct cmsghdr *c;
	int fds[4], nfds = 0, i;
	ssize_t n;

	*fd = -1;
	memset(&msg, 0, sizeof(msg));
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = cm.buf;
	msg.msg_controllen = sizeof(cm.buf);
	do
		n = recvmsg(sock, &msg, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
	while (n == -1 && errno == EINTR);
	if (n == -1)
		return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
	if (n == 0 && msg.msg_controllen == 0)
		return -1;
	for (c = CMSG_FIRSTHDR(&msg); c != NULL; c = CMSG_NXTHDR(&msg, c)) {
		size_t k, m;

		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		m = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (k = 0; k < m && nfds < 4; k++)
			memcpy(&fds[nfds++], CMSG_DATA(c) + k * sizeof(int),
			    sizeof(int));
	}
	if (nfds != 1 || n == 0 ||
	    (msg.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) != 0) {
		for (i = 0; i < nfds; i++)
			close(fds[i]);
		return 0;
	}
	*fd = fds[0];
	*len = (size_t)n;
	return 1;
}
