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

/* Reads what fd holds to its end into b, NUL-terminated; closes fd. */
static int
read_fd(int fd, struct sbuf *b)
{
	char chunk[8192];
	ssize_t n;

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
read_all(const char *path, struct sbuf *b)
{
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	return read_fd(fd, b);
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

/*
 * tokens_file: like ssh with a private key, sochid will not use secrets
 * that every local user can read; the file's group (sochid's) may.
 */
int
conffile_tokens(struct sochi_config *cf, char *err, size_t errlen)
{
	struct sbuf b = SBUF_INIT;
	const char *path = cf->tokens_file;
	struct stat st;
	int fd, rv;

	if (*path == '\0') {
		char none[1] = "";

		return config_tokens_parse(cf, none, "-", err, errlen);
	}
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		snprintf(err, errlen, "tokens_file %s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == -1) {
		snprintf(err, errlen, "tokens_file %s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "tokens_file %s: not a file", path);
		close(fd);
		return -1;
	}
	if (st.st_mode & (S_IROTH | S_IWOTH)) {
		snprintf(err, errlen, "tokens_file %s: others may %s it (mode "
		    "%04o); it holds secrets, so sochid will not use it: "
		    "chmod o-rwx %s (0640, owner root, group sochid's)", path,
		    st.st_mode & S_IROTH ? "read" : "write",
		    (unsigned)(st.st_mode & 07777), path);
		close(fd);
		return -1;
	}
	if (read_fd(fd, &b) == -1) {
		snprintf(err, errlen, "tokens_file %s: %s", path, strerror(errno));
		sbuf_free(&b);
		return -1;
	}
	rv = config_tokens_parse(cf, b.data, path, err, errlen);
	sbuf_free(&b);
	return rv;
}

/* $XDG_CONFIG_HOME/sochi/sochi.conf, else ~/.config/sochi/sochi.conf. */
int
conffile_user_path(char *buf, size_t len)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	int n;

	if (xdg != NULL && *xdg == '/')
		n = snprintf(buf, len, "%s/sochi/sochi.conf", xdg);
	else if (home != NULL && *home == '/')
		n = snprintf(buf, len, "%s/.config/sochi/sochi.conf", home);
	else
		return -1;
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

int
conffile_load_cli(struct sochi_config *cf, const char *arg, char *used,
    size_t usedlen, char *err, size_t errlen)
{
	const char *sys = conffile_path(arg);
	char user[1024];
	int have_user, sys_ok = 1;

	have_user = arg == NULL && conffile_user_path(user, sizeof(user)) == 0 &&
	    access(user, F_OK) == 0;
	snprintf(used, usedlen, "%s", sys);
	/* -c names the one file to read; otherwise the user's goes over. */
	if (arg == NULL && access(sys, R_OK) == -1 && errno == EACCES) {
		if (!have_user) {
			snprintf(err, errlen, "%s: %s (sochid.conf holds no "
			    "secret: an administrator may make it readable, chmod "
			    "0644; or write your settings in %s)", sys,
			    strerror(EACCES), conffile_user_path(user,
			    sizeof(user)) == 0 ? user :
			    "~/.config/sochi/sochi.conf");
			return -1;
		}
		sys_ok = 0;
	} else if (conffile_load(cf, sys, arg != NULL, err, errlen) == -1)
		return -1;
	if (!have_user)
		return 0;
	if (conffile_load(cf, user, 1, err, errlen) == -1)
		return -1;
	if (sys_ok)
		snprintf(used, usedlen, "%s over %s", user, sys);
	else
		snprintf(used, usedlen, "%s", user);
	return 0;
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
