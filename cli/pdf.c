/* SPDX-License-Identifier: MIT */
/*
 * The draft as PDF: the HTML draft printed by headless Chromium, the
 * browser named by [report] chromium.  The HTML is sochi's own (no script,
 * no external assets), so Chromium runs with its sandbox off (it cannot
 * start one as root or in most containers), no network features, and a
 * profile of its own in a fresh temporary folder that is removed after.
 */
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sochi.h"

/* Seconds Chromium may take to print (a cold start on a busy machine). */
#define PDF_TIMEOUT	120

static int
rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

static int
write_file(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "w");

	if (f == NULL)
		return -1;
	if (fwrite(data, 1, len, f) != len) {
		fclose(f);
		return -1;
	}
	return fclose(f) == 0 ? 0 : -1;
}

static int
read_file(const char *path, char **out, size_t *len)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL, *n;
	size_t cap = 0, got;

	*len = 0;
	if (f == NULL)
		return -1;
	for (;;) {
		if (*len == cap) {
			cap = cap ? cap * 2 : 65536;
			if ((n = realloc(buf, cap)) == NULL) {
				free(buf);
				fclose(f);
				return -1;
			}
			buf = n;
		}
		if ((got = fread(buf + *len, 1, cap - *len, f)) == 0)
			break;
		*len += got;
	}
	fclose(f);
	*out = buf;
	return 0;
}

/* The last line of Chromium's output, for the message. */
static void
last_line(const char *log, char *buf, size_t len)
{
	char *text, *end, *p;
	size_t n;

	*buf = '\0';
	if (read_file(log, &text, &n) == -1)
		return;
	while (n > 0 && (text[n - 1] == '\n' || text[n - 1] == '\r'))
		n--;
	end = text + n;
	for (p = end; p > text && p[-1] != '\n'; p--)
		;
	snprintf(buf, len, "%.*s", (int)(end - p), p);
	free(text);
}

/* Runs argv with output to log, killed (its process group) after timeout. */
static int
run(char *const argv[], const char *log, int timeout, char *err,
    size_t errlen)
{
	struct timespec pause = { 0, 50 * 1000000 };
	time_t deadline = time(NULL) + timeout;
	pid_t pid, w;
	int st, fd;

	if ((pid = fork()) == -1) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		setpgid(0, 0);
		if ((fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600)) != -1) {
			dup2(fd, 1);
			dup2(fd, 2);
			close(fd);
		}
		if ((fd = open("/dev/null", O_RDONLY)) != -1) {
			dup2(fd, 0);
			close(fd);
		}
		execv(argv[0], argv);
		fprintf(stderr, "%s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	setpgid(pid, pid);
	for (;;) {
		if ((w = waitpid(pid, &st, WNOHANG)) == pid)
			break;
		if (w == -1 && errno != EINTR) {
			snprintf(err, errlen, "waitpid: %s", strerror(errno));
			return -1;
		}
		if (time(NULL) > deadline) {
			kill(-pid, SIGKILL);
			waitpid(pid, &st, 0);
			snprintf(err, errlen, "it did not finish within %d s",
			    timeout);
			return -1;
		}
		nanosleep(&pause, NULL);
	}
	/* Helpers it left behind (a renderer, a zygote) go with it. */
	kill(-pid, SIGKILL);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		char line[512];

		last_line(log, line, sizeof(line));
		if (WIFEXITED(st))
			snprintf(err, errlen, "it exited with status %d%s%s",
			    WEXITSTATUS(st), *line ? ": " : "", line);
		else
			snprintf(err, errlen, "it was killed by signal %d",
			    WTERMSIG(st));
		return -1;
	}
	return 0;
}

int
cli_print_pdf(struct cli *cli, const char *html, size_t len, char **pdf,
    size_t *pdflen)
{
	const char *browser = cli->cf.report.chromium;
	const char *tmpdir = getenv("TMPDIR");
	char dir[4096], in[4200], out[4200], prof[4200], log[4200];
	char a_prof[4300], a_out[4300], a_in[4300], err[1024];
	char *argv[16];
	int n = 0, rv = -1;

	*pdf = NULL;
	if (browser == NULL || *browser == '\0' || access(browser, X_OK) == -1) {
		fprintf(stderr, "sochi report: --format pdf prints the HTML draft "
		    "with headless Chromium, which is not at %s ([report] "
		    "chromium in %s): install the Debian package chromium "
		    "(apt-get install chromium), or set [report] chromium to "
		    "the browser's path\n", browser != NULL && *browser != '\0' ?
		    browser : "(not set)", cli->conf_path);
		return -1;
	}
	snprintf(dir, sizeof(dir), "%s/sochi-pdf.XXXXXX", tmpdir != NULL &&
	    *tmpdir != '\0' ? tmpdir : "/tmp");
	if (mkdtemp(dir) == NULL) {
		fprintf(stderr, "sochi report: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	snprintf(in, sizeof(in), "%s/draft.html", dir);
	snprintf(out, sizeof(out), "%s/draft.pdf", dir);
	snprintf(prof, sizeof(prof), "%s/profile", dir);
	snprintf(log, sizeof(log), "%s/chromium.log", dir);
	if (write_file(in, html, len) == -1) {
		fprintf(stderr, "sochi report: %s: %s\n", in, strerror(errno));
		goto out;
	}
	snprintf(a_prof, sizeof(a_prof), "--user-data-dir=%s", prof);
	snprintf(a_out, sizeof(a_out), "--print-to-pdf=%s", out);
	snprintf(a_in, sizeof(a_in), "file://%s", in);
	argv[n++] = (char *)(uintptr_t)browser;
	argv[n++] = "--headless";
	argv[n++] = "--no-sandbox";
	argv[n++] = "--disable-gpu";
	argv[n++] = "--no-first-run";
	argv[n++] = "--disable-background-networking";
	argv[n++] = "--disable-component-update";
	argv[n++] = "--disable-sync";
	argv[n++] = "--disable-quic";
	argv[n++] = "--no-pdf-header-footer";
	argv[n++] = a_prof;
	argv[n++] = a_out;
	argv[n++] = a_in;
	argv[n] = NULL;
	if (run(argv, log, PDF_TIMEOUT, err, sizeof(err)) == -1) {
		fprintf(stderr, "sochi report: %s could not print the draft: %s\n",
		    browser, err);
		goto out;
	}
	if (read_file(out, pdf, pdflen) == -1 || *pdflen < 5 ||
	    memcmp(*pdf, "%PDF-", 5) != 0) {
		fprintf(stderr, "sochi report: %s wrote no PDF\n", browser);
		free(*pdf);
		*pdf = NULL;
		goto out;
	}
	rv = 0;
out:
	nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	return rv;
}
