/* SPDX-License-Identifier: MIT */
/*
 * sochid.conf on disk.  The parsing itself is lib/config.c; this file reads
 * the text and checks what only the system can tell, such as whether the
 * configured time zone exists.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conffile.h"
#include "sbuf.h"
#include "zone.h"

const char *
conffile_path(const char *arg)
{
	const char *env;

	if (arg != NULL)
		return arg;
	if ((env = getenv("SOCHI_CONFIG")) != NULL && *env != '\0')
		return env;
	return SOCHI_DEFAULT_CONFIG;
}

static int
read_all(const char *path, struct sbuf *b)
{
	char chunk[8192];
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	for (;;) {
		n = read(fd, chunk, sizeof(chunk));
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (sbuf_add(b, chunk, (size_t)n) == -1) {
			n = -1;
			errno = ENOMEM;
			break;
		}
	}
	close(fd);
	if (n == -1)
		return -1;
	return sbuf_add(b, "", 0);
}

static int
zone_exists(const char *name)
{
	const char *tzdir;
	char path[1024];
	struct stat st;

	if ((tzdir = getenv("TZDIR")) == NULL || *tzdir == '\0')
		tzdir = "/usr/share/zoneinfo";
	snprintf(path, sizeof(path), "%s/%s", tzdir, name);
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

int
conffile_load(struct sochi_config *cf, const char *path, int required,
    char *err, size_t errlen)
{
	struct sbuf b = SBUF_INIT;
	int rv = 0;

	if (read_all(path, &b) == -1) {
		if (errno == ENOENT && !required) {
			sbuf_free(&b);
			return 0;
		}
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		sbuf_free(&b);
		return -1;
	}
	if (config_parse(cf, b.data, path, zone_exists, err, errlen) == -1)
		rv = -1;
	sbuf_free(&b);
	return rv;
}

int
conffile_zone(const char *name, struct zone *z, char *err, size_t errlen)
{
	struct sbuf b = SBUF_INIT;
	const char *tzdir;
	char path[1024];

	if ((tzdir = getenv("TZDIR")) == NULL || *tzdir == '\0')
		tzdir = "/usr/share/zoneinfo";
	snprintf(path, sizeof(path), "%s/%s", tzdir, name);
	if (read_all(path, &b) == -1) {
		snprintf(err, errlen, "zone %s: %s: %s", name, path,
		    strerror(errno));
		sbuf_free(&b);
		return -1;
	}
	if (zone_from_tzif(z, (const unsigned char *)b.data, b.len, name) == -1) {
		snprintf(err, errlen, "zone %s: %s is not a TZif file", name,
		    path);
		sbuf_free(&b);
		return -1;
	}
	sbuf_free(&b);
	return 0;
}
