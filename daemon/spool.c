/* SPDX-License-Identifier: MIT */
/*
 * Draft files.  See spool.h.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "spool.h"

static char	*spool_dir;	/* the folder */

int
spool_init(const char *dir)
{
	if (mkdir(dir, 0750) == -1 && errno != EEXIST) {
		log_warn("drafts: spool folder %s", dir);
		return -1;
	}
	free(spool_dir);
	if ((spool_dir = strdup(dir)) == NULL)
		return -1;
	return 0;
}

int
spool_write(const char *name, const char *text, size_t len, char *path,
    size_t pathlen)
{
	char tmp[1024];
	size_t off = 0;
	ssize_t n;
	int fd;

	snprintf(path, pathlen, "%s/%s", spool_dir, name);
	snprintf(tmp, sizeof(tmp), "%s/.%s.tmp", spool_dir, name);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640)) ==
	    -1) {
		log_warn("drafts: %s", tmp);
		return -1;
	}
	while (off < len) {
		if ((n = write(fd, text + off, len - off)) == -1) {
			if (errno == EINTR)
				continue;
			log_warn("drafts: %s", tmp);
			close(fd);
			unlink(tmp);
			return -1;
		}
		off += (size_t)n;
	}
	if (fsync(fd) == -1) {
		log_warn("drafts: fsync %s", tmp);
		close(fd);
		unlink(tmp);
		return -1;
	}
	if (close(fd) == -1 || rename(tmp, path) == -1) {
		log_warn("drafts: %s", path);
		unlink(tmp);
		return -1;
	}
	return 0;
}

void
spool_free(void)
{
	free(spool_dir);
	spool_dir = NULL;
}
