/* SPDX-License-Identifier: MIT */
/*
 * Socket activation without libsystemd.  The protocol is three variables
 * and a range of descriptors (sd_listen_fds(3)); linking libsystemd for it
 * would add a library, and its own notion of the journal, to a daemon that
 * needs neither (sdnotify.c speaks the other half, the notify socket).
 */
#include <sys/socket.h>
#include <sys/un.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "sdlisten.h"

#define SDLISTEN_START	3	/* SD_LISTEN_FDS_START */
#define SDLISTEN_MAX	64	/* more than any unit of ours passes */

static struct {
	int	 fds[SDLISTEN_MAX];	/* passed sockets; -1 once taken */
	int	 n;			/* entries of fds */
} sl;

/* A decimal number in [min, max], the whole string. */
static int
parse_num(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

int
sdlisten_init(char *err, size_t errlen)
{
	const char *pid_s = getenv("LISTEN_PID"), *n_s = getenv("LISTEN_FDS");
	long pid, n;
	int i, fl;

	sl.n = 0;
	if (pid_s == NULL || n_s == NULL)
		goto done;
	if (parse_num(pid_s, 1, LONG_MAX, &pid) == -1) {
		snprintf(err, errlen, "LISTEN_PID is not a process id: %s",
		    pid_s);
		return -1;
	}
	/* Meant for another process (set before a fork, say): not ours. */
	if ((pid_t)pid != getpid())
		goto done;
	if (parse_num(n_s, 0, SDLISTEN_MAX, &n) == -1) {
		snprintf(err, errlen, "LISTEN_FDS is not a count from 0 to %d: "
		    "%s", SDLISTEN_MAX, n_s);
		return -1;
	}
	for (i = 0; i < (int)n; i++) {
		if ((fl = fcntl(SDLISTEN_START + i, F_GETFD)) == -1) {
			snprintf(err, errlen, "LISTEN_FDS=%ld, but descriptor "
			    "%d is not open", n, SDLISTEN_START + i);
			return -1;
		}
		/* The drafter and notify_command must not hold them. */
		(void)fcntl(SDLISTEN_START + i, F_SETFD, fl | FD_CLOEXEC);
		/*
		 * systemd passes them blocking; libevent accepts until
		 * EAGAIN, which a blocking socket never says: the loop
		 * would wait in accept() for the next client.
		 */
		if ((fl = fcntl(SDLISTEN_START + i, F_GETFL)) == -1 ||
		    fcntl(SDLISTEN_START + i, F_SETFL, fl | O_NONBLOCK) == -1) {
			snprintf(err, errlen, "descriptor %d: %s",
			    SDLISTEN_START + i, strerror(errno));
			return -1;
		}
		sl.fds[i] = SDLISTEN_START + i;
	}
	sl.n = (int)n;
done:
	unsetenv("LISTEN_PID");
	unsetenv("LISTEN_FDS");
	unsetenv("LISTEN_FDNAMES");
	return sl.n;
}

static int
sock_type(int fd)
{
	int type;
	socklen_t len = sizeof(type);

	if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) == -1)
		return -1;
	return type;
}

/*
 * path with its folder resolved (symbolic links, "..": /var/run is /run
 * on most systems), so that a unit and a config that name the same file
 * differently still match.
 */
static void
canon_path(const char *path, char *out, size_t len)
{
	char dir[PATH_MAX], real[PATH_MAX];
	const char *slash = strrchr(path, '/');

	if (slash == NULL || (size_t)(slash - path) >= sizeof(dir)) {
		snprintf(out, len, "%s", path);
		return;
	}
	memcpy(dir, path, (size_t)(slash - path));
	dir[slash - path] = '\0';
	if (realpath(*dir == '\0' ? "/" : dir, real) == NULL ||
	    snprintf(out, len, "%s%s%s", real, strcmp(real, "/") == 0 ? "" :
	    "/", slash + 1) >= (int)len)
		snprintf(out, len, "%s", path);
}

/* The path a Unix socket is bound to, or "" (unnamed or abstract). */
static void
unix_name(const struct sockaddr_storage *ss, socklen_t len, char *out,
    size_t outlen)
{
	const struct sockaddr_un *sun = (const struct sockaddr_un *)ss;
	size_t n;

	*out = '\0';
	if (len <= offsetof(struct sockaddr_un, sun_path) ||
	    sun->sun_path[0] == '\0')
		return;
	n = len - offsetof(struct sockaddr_un, sun_path);
	n = strnlen(sun->sun_path, n < sizeof(sun->sun_path) ? n :
	    sizeof(sun->sun_path));
	if (n >= outlen)
		return;
	memcpy(out, sun->sun_path, n);
	out[n] = '\0';
}

int
sdlisten_take_unix(const char *path)
{
	struct sockaddr_storage ss;
	socklen_t len;
	char want[PATH_MAX], name[sizeof(((struct sockaddr_un *)0)->sun_path)];
	char got[PATH_MAX];
	int i, fd;

	canon_path(path, want, sizeof(want));
	for (i = 0; i < sl.n; i++) {
		if ((fd = sl.fds[i]) == -1 || sock_type(fd) != SOCK_STREAM)
			continue;
		len = sizeof(ss);
		if (getsockname(fd, (struct sockaddr *)&ss, &len) == -1 ||
		    ss.ss_family != AF_UNIX)
			continue;
		unix_name(&ss, len, name, sizeof(name));
		if (*name == '\0')
			continue;
		canon_path(name, got, sizeof(got));
		if (strcmp(got, want) == 0) {
			sl.fds[i] = -1;
			return fd;
		}
	}
	return -1;
}

static int
same_inet(const struct sockaddr *a, const struct sockaddr_storage *b)
{
	const struct sockaddr_in *a4, *b4;
	const struct sockaddr_in6 *a6, *b6;

	if (a->sa_family != b->ss_family)
		return 0;
	if (a->sa_family == AF_INET) {
		a4 = (const struct sockaddr_in *)a;
		b4 = (const struct sockaddr_in *)b;
		return a4->sin_port == b4->sin_port &&
		    a4->sin_addr.s_addr == b4->sin_addr.s_addr;
	}
	if (a->sa_family == AF_INET6) {
		a6 = (const struct sockaddr_in6 *)a;
		b6 = (const struct sockaddr_in6 *)b;
		return a6->sin6_port == b6->sin6_port &&
		    a6->sin6_scope_id == b6->sin6_scope_id &&
		    memcmp(&a6->sin6_addr, &b6->sin6_addr,
		    sizeof(a6->sin6_addr)) == 0;
	}
	return 0;
}

int
sdlisten_take(const struct sockaddr *sa, socklen_t salen, int type)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int i, fd;

	for (i = 0; i < sl.n; i++) {
		if ((fd = sl.fds[i]) == -1 || sock_type(fd) != type)
			continue;
		len = sizeof(ss);
		if (getsockname(fd, (struct sockaddr *)&ss, &len) == -1)
			continue;
		if (same_inet(sa, &ss)) {
			sl.fds[i] = -1;
			return fd;
		}
	}
	return -1;
}

int
sdlisten_leftover(char *buf, size_t len)
{
	struct sockaddr_storage ss;
	socklen_t sslen;
	char host[INET6_ADDRSTRLEN], name[sizeof(((struct sockaddr_un *)0)->sun_path)];
	const char *kind;
	int i, fd, type;

	for (i = 0; i < sl.n; i++) {
		if ((fd = sl.fds[i]) == -1)
			continue;
		type = sock_type(fd);
		kind = type == SOCK_STREAM ? "stream" : type == SOCK_DGRAM ?
		    "datagram" : "socket";
		sslen = sizeof(ss);
		if (getsockname(fd, (struct sockaddr *)&ss, &sslen) == -1) {
			snprintf(buf, len, "descriptor %d (%s)", fd,
			    strerror(errno));
			return 1;
		}
		switch (ss.ss_family) {
		case AF_UNIX:
			unix_name(&ss, sslen, name, sizeof(name));
			snprintf(buf, len, "%s %s", kind, *name != '\0' ? name :
			    "(unnamed Unix socket)");
			break;
		case AF_INET:
			inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr,
			    host, sizeof(host));
			snprintf(buf, len, "%s %s:%u", kind, host, (unsigned)
			    ntohs(((struct sockaddr_in *)&ss)->sin_port));
			break;
		case AF_INET6:
			inet_ntop(AF_INET6,
			    &((struct sockaddr_in6 *)&ss)->sin6_addr, host,
			    sizeof(host));
			snprintf(buf, len, "%s [%s]:%u", kind, host, (unsigned)
			    ntohs(((struct sockaddr_in6 *)&ss)->sin6_port));
			break;
		default:
			snprintf(buf, len, "descriptor %d (address family %d)",
			    fd, (int)ss.ss_family);
			break;
		}
		return 1;
	}
	return 0;
}

void
sdlisten_free(void)
{
	int i;

	for (i = 0; i < sl.n; i++)
		if (sl.fds[i] != -1)
			close(sl.fds[i]);
	sl.n = 0;
}
