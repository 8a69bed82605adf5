/* SPDX-License-Identifier: MIT */
/*
 * Announcing drafts.  See notify.h.
 */
#include <sys/queue.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/dns.h>
#include <event2/http.h>
#include <jansson.h>

#include "log.h"
#include "notify.h"

/* The most notify_url requests in flight at once; more are dropped, logged. */
#define POSTS_MAX	16

struct child {
	TAILQ_ENTRY(child) entry;	/* in the list of commands running */
	pid_t		 pid;		/* the notify command */
	char		 code[80];	/* for whom */
	int		 fd;		/* its output, or -1 once read to the end */
	struct event	*ev_out;	/* reading it */
	struct event	*ev_kill;	/* its timeout */
	struct evbuffer	*out;		/* what it said (the first 64 KiB) */
	int		 exited;	/* waitpid has seen it */
	int		 status;	/* and what it returned */
};
TAILQ_HEAD(child_list, child);

static struct {
	struct event_base *base;	/* the drafter's loop */
	const struct sochi_config *cf;	/* the running config */
	struct evdns_base *dns;		/* resolves notify_url's host */
	struct child_list children;	/* notify commands running */
	size_t		 nchildren;	/* length of children */
	struct event	*ev_chld;	/* SIGCHLD */
	struct evhttp_connection *posts[POSTS_MAX]; /* notify_url in flight */
	char		 post_of[POSTS_MAX][96]; /* "CODE vN" of each, for the log */
} n;

static void
child_done(struct child *c)
{
	size_t len = evbuffer_get_length(c->out);
	char *text = (char *)evbuffer_pullup(c->out, -1);

	if (WIFEXITED(c->status))
		log_info("drafts: notify_command for %s exited %d%s%.*s",
		    c->code, WEXITSTATUS(c->status), len ? ": " : "",
		    (int)(len > 1000 ? 1000 : len), text ? text : "");
	else
		log_warnx("drafts: notify_command for %s was killed by signal "
		    "%d%s%.*s", c->code, WTERMSIG(c->status), len ? ": " : "",
		    (int)(len > 1000 ? 1000 : len), text ? text : "");
	TAILQ_REMOVE(&n.children, c, entry);
	n.nchildren--;
	if (c->ev_out)
		event_free(c->ev_out);
	if (c->ev_kill)
		event_free(c->ev_kill);
	if (c->fd >= 0)
		close(c->fd);
	evbuffer_free(c->out);
	free(c);
}

static void
child_out_cb(evutil_socket_t fd, short what, void *arg)
{
	struct child *c = arg;
	char buf[4096];
	ssize_t r = read(fd, buf, sizeof(buf));

	if (r > 0) {
		if (evbuffer_get_length(c->out) < 65536)
			evbuffer_add(c->out, buf, (size_t)r);
		return;
	}
	if (r == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	event_del(c->ev_out);
	close(c->fd);
	c->fd = -1;
	if (c->exited)
		child_done(c);
}

static void
child_kill_cb(evutil_socket_t fd, short what, void *arg)
{
	struct child *c = arg;

	log_warnx("drafts: notify_command for %s ran past %ld s; killing it",
	    c->code, n.cf->drafts.notify_timeout);
	kill(c->pid, SIGKILL);
}

static void
sigchld_cb(evutil_socket_t sig, short what, void *arg)
{
	struct child *c, *next;
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
		for (c = TAILQ_FIRST(&n.children); c != NULL; c = next) {
			next = TAILQ_NEXT(c, entry);
			if (c->pid != pid)
				continue;
			c->exited = 1;
			c->status = status;
			if (c->fd < 0)
				child_done(c);
		}
}

/*
 * notify_command: its words (no shell), then "--", then the incident code,
 * the version, the trigger and the files; the same in the environment.
 * The "--" keeps a value that comes from data (an incident code) from ever
 * being read as an option.
 */
static void
notify_command(const char *code, int version, const char *trigger,
    char (*files)[1024], size_t nfiles)
{
	char *copy, *word, *save = NULL, *argv[64], vbuf[16], list[8192] = "";
	struct child *c;
	int pipefd[2], argc = 0;
	size_t i;
	pid_t pid;

	if (*n.cf->drafts.notify_command == '\0')
		return;
	if ((copy = strdup(n.cf->drafts.notify_command)) == NULL)
		return;
	for (word = strtok_r(copy, " \t", &save); word != NULL && argc < 50;
	    word = strtok_r(NULL, " \t", &save))
		argv[argc++] = word;
	snprintf(vbuf, sizeof(vbuf), "%d", version);
	argv[argc++] = (char *)(uintptr_t)"--";
	argv[argc++] = (char *)(uintptr_t)code;
	argv[argc++] = vbuf;
	argv[argc++] = (char *)(uintptr_t)trigger;
	for (i = 0; i < nfiles && argc < 63; i++) {
		argv[argc++] = files[i];
		snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s",
		    i ? " " : "", files[i]);
	}
	argv[argc] = NULL;
	if (pipe2(pipefd, O_CLOEXEC) == -1) {
		log_warn("drafts: pipe");
		free(copy);
		return;
	}
	if ((pid = fork()) == -1) {
		log_warn("drafts: fork");
		close(pipefd[0]);
		close(pipefd[1]);
		free(copy);
		return;
	}
	if (pid == 0) {
		dup2(pipefd[1], STDOUT_FILENO);
		dup2(pipefd[1], STDERR_FILENO);
		setenv("SOCHI_INCIDENT", code, 1);
		setenv("SOCHI_DRAFT_VERSION", vbuf, 1);
		setenv("SOCHI_DRAFT_TRIGGER", trigger, 1);
		setenv("SOCHI_DRAFT_FILES", list, 1);
		signal(SIGPIPE, SIG_DFL);
		execvp(argv[0], argv);
		fprintf(stderr, "cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(pipefd[1]);
	free(copy);
	if ((c = calloc(1, sizeof(*c))) == NULL ||
	    (c->out = evbuffer_new()) == NULL) {
		free(c);
		close(pipefd[0]);
		return;
	}
	c->pid = pid;
	c->fd = pipefd[0];
	snprintf(c->code, sizeof(c->code), "%s", code);
	evutil_make_socket_nonblocking(c->fd);
	c->ev_out = event_new(n.base, c->fd, EV_READ | EV_PERSIST, child_out_cb,
	    c);
	c->ev_kill = evtimer_new(n.base, child_kill_cb, c);
	event_add(c->ev_out, NULL);
	event_add(c->ev_kill, &(struct timeval){ n.cf->drafts.notify_timeout,
	    0 });
	TAILQ_INSERT_TAIL(&n.children, c, entry);
	n.nchildren++;
	log_info("drafts: ran notify_command for %s v%d (pid %ld)", code, version,
	    (long)pid);
}

/* Frees a finished notify_url connection, after its callback has returned. */
static void
url_free_cb(evutil_socket_t fd, short what, void *arg)
{
	size_t i;

	for (i = 0; i < POSTS_MAX; i++)
		if (n.posts[i] == arg) {
			n.posts[i] = NULL;
			evhttp_connection_free(arg);
		}
}

static void
url_done(struct evhttp_request *req, void *arg)
{
	/* Not inside its own callback (STYLE.md, habit 6): next loop turn. */
	event_base_once(n.base, -1, EV_TIMEOUT, url_free_cb, arg,
	    &(struct timeval){ 0, 0 });
	const char *of = "?";
	size_t i;

	for (i = 0; i < POSTS_MAX; i++)
		if (n.posts[i] == arg)
			of = n.post_of[i];
	if (req == NULL || evhttp_request_get_response_code(req) == 0)
		log_warnx("drafts: notify_url for %s: no answer", of);
	else
		log_info("drafts: notify_url for %s answered %d", of,
		    evhttp_request_get_response_code(req));
}

static void
notify_url(const char *code, int version, const char *trigger,
    char (*files)[1024], size_t nfiles)
{
	const char *url = n.cf->drafts.notify_url;
	struct evhttp_uri *uri;
	struct evhttp_connection *con;
	struct evhttp_request *req;
	json_t *o, *arr;
	char *body, path[1024];
	const char *host;
	size_t i, slot;

	if (*url == '\0')
		return;
	if ((uri = evhttp_uri_parse(url)) == NULL ||
	    (host = evhttp_uri_get_host(uri)) == NULL) {
		log_warnx("drafts: notify_url for %s v%d is not an http URL: %s",
		    code, version, url);
		if (uri != NULL)
			evhttp_uri_free(uri);
		return;
	}
	for (slot = 0; slot < POSTS_MAX && n.posts[slot] != NULL; slot++)
		;
	if (slot == POSTS_MAX) {
		log_warnx("drafts: notify_url: %d requests still waiting; not "
		    "sending one for %s v%d", POSTS_MAX, code, version);
		evhttp_uri_free(uri);
		return;
	}
	arr = json_array();
	for (i = 0; i < nfiles; i++)
		json_array_append_new(arr, json_string(files[i]));
	o = json_pack("{s:s,s:i,s:s,s:o}", "incident", code, "version", version,
	    "trigger", trigger, "files", arr);
	body = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	con = evhttp_connection_base_new(n.base, n.dns, host,
	    (unsigned short)(evhttp_uri_get_port(uri) > 0 ?
	    evhttp_uri_get_port(uri) : 80));
	if (body == NULL || con == NULL ||
	    (req = evhttp_request_new(url_done, con)) == NULL) {
		log_warnx("drafts: notify_url for %s v%d: out of memory", code,
		    version);
		if (con != NULL)
			evhttp_connection_free(con);
		free(body);
		evhttp_uri_free(uri);
		return;
	}
	n.posts[slot] = con;
	snprintf(n.post_of[slot], sizeof(n.post_of[slot]), "%s v%d", code,
	    version);
	evhttp_add_header(evhttp_request_get_output_headers(req), "Host", host);
	evhttp_add_header(evhttp_request_get_output_headers(req), "Content-Type",
	    "application/json");
	evbuffer_add(evhttp_request_get_output_buffer(req), body, strlen(body));
	snprintf(path, sizeof(path), "%s", evhttp_uri_get_path(uri) &&
	    *evhttp_uri_get_path(uri) ? evhttp_uri_get_path(uri) : "/");
	evhttp_connection_set_timeout(con, (int)n.cf->drafts.notify_timeout);
	evhttp_make_request(con, req, EVHTTP_REQ_POST, path);
	free(body);
	evhttp_uri_free(uri);
}

void
notify_draft(const char *code, int version, const char *trigger,
    char (*files)[1024], size_t nfiles)
{
	notify_command(code, version, trigger, files, nfiles);
	notify_url(code, version, trigger, files, nfiles);
}

size_t
notify_running(void)
{
	return n.nchildren;
}

int
notify_init(struct event_base *base, const struct sochi_config *cf)
{
	memset(&n, 0, sizeof(n));
	TAILQ_INIT(&n.children);
	n.base = base;
	n.cf = cf;
	/*
	 * Names are resolved by libevent's own resolver, inside the loop:
	 * evhttp without one would call the blocking getaddrinfo.
	 */
	if ((n.dns = evdns_base_new(base, EVDNS_BASE_INITIALIZE_NAMESERVERS |
	    EVDNS_BASE_DISABLE_WHEN_INACTIVE)) == NULL &&
	    (n.dns = evdns_base_new(base, 0)) == NULL)
		return -1;
	if ((n.ev_chld = evsignal_new(base, SIGCHLD, sigchld_cb, NULL)) == NULL)
		return -1;
	event_add(n.ev_chld, NULL);
	return 0;
}

void
notify_free(void)
{
	size_t i;

	while (!TAILQ_EMPTY(&n.children))
		child_done(TAILQ_FIRST(&n.children));
	for (i = 0; i < POSTS_MAX; i++)
		if (n.posts[i] != NULL) {
			evhttp_connection_free(n.posts[i]);
			n.posts[i] = NULL;
		}
	if (n.ev_chld != NULL)
		event_free(n.ev_chld);
	if (n.dns != NULL)
		evdns_base_free(n.dns, 0);
	memset(&n, 0, sizeof(n));
}
