/* SPDX-License-Identifier: MIT */
/*
 * sd_notify(3) without libsystemd: one datagram to the socket named in
 * $NOTIFY_SOCKET, which may be in the abstract namespace ("@name").
 */
#include <sys/socket.h>
#include <sys/un.h>

#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "sdnotify.h"

int
sdnotify(const char *msg)
{
	struct sockaddr_un sun;
	const char *path = getenv("NOTIFY_SOCKET");
	socklen_t len;
	size_t n;
	int fd, rv;

	if (path == NULL || *path == '\0')
		return 0;
	n = strlen(path);
	if ((path[0] != '/' && path[0] != '@') || n >= sizeof(sun.sun_path)) {
		log_warnx("NOTIFY_SOCKET is not a socket path: %s", path);
		return -1;
	}
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, path, n);
	if (path[0] == '@')
		sun.sun_path[0] = '\0';
	len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n);
	if ((fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1) {
		log_warn("sdnotify: socket");
		return -1;
	}
	rv = (int)sendto(fd, msg, strlen(msg), MSG_NOSIGNAL,
	    (struct sockaddr *)&sun, len);
	if (rv == -1)
		log_warn("sdnotify: %s", msg);
	close(fd);
	return rv == -1 ? -1 : 0;
}
