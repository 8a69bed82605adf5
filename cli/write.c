/* SPDX-License-Identifier: MIT */
/*
 * The write verbs' shared parts.
 */
#include <sys/random.h>


#include <getopt.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pgsync.h"
#include "rfc3339.h"
#include "sbuf.h"
#include "when.h"
#include "write.h"

static const struct option wlong[] = {
	{ "incident", required_argument, NULL, 'i' },
	{ "at", required_argument, NULL, 256 + W_AT },
	{ "actor", required_argument, NULL, 256 + W_ACTOR },
	{ "json", no_argument, NULL, 256 + W_JSON },
	{ "phase", required_argument, NULL, 256 + W_PHASE },
	{ "heading", required_argument, NULL, 256 + W_HEADING },
	{ "service", required_argument, NULL, 256 + W_SERVICE },
	{ "category", required_argument, NULL, 256 + W_CATEGORY },
	{ "location", required_argument, NULL, 256 + W_LOCATION },
	{ "equipment", required_argument, NULL, 256 + W_EQUIPMENT },
	{ "users", required_argument, NULL, 256 + W_USERS },
	{ "total", required_argument, NULL, 256 + W_TOTAL },
	{ "basis", required_argument, NULL, 256 + W_BASIS },
	{ "region", required_argument, NULL, 256 + W_REGION },
	{ "channel", required_argument, NULL, 256 + W_CHANNEL },
	{ "topic", required_argument, NULL, 256 + W_TOPIC },
	{ "stage", required_argument, NULL, 256 + W_STAGE },
	{ "due", required_argument, NULL, 256 + W_DUE },
	{ "done", required_argument, NULL, 256 + W_DONE },
	{ "why", required_argument, NULL, 256 + W_WHY },
	{ "text", required_argument, NULL, 256 + W_TEXT },
	{ "label", required_argument, NULL, 256 + W_LABEL },
	{ "count", required_argument, NULL, 256 + W_COUNT },
	{ "list", no_argument, NULL, 256 + W_LIST },
	{ "key", required_argument, NULL, 256 + W_KEY },
	{ "code", required_argument, NULL, 256 + W_CODE },
	{ "force", no_argument, NULL, 256 + W_FORCE },
	{ "impact", required_argument, NULL, 256 + W_IMPACT },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

int
wargs_parse(const char *verb, int argc, char **argv, unsigned mask,
    void (*usage)(FILE *), struct wargs *w)
{
	int ch, o;

	memset(w, 0, sizeof(*w));
	if (cli_now(NULL, &w->now) == -1)
		return -1;
	optind = 0;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "i:h", wlong, NULL)) != -1) {
		if (ch == 'h') {
			usage(stdout);
			return 1;
		}
		if (ch == '?' || ch == ':') {
			fprintf(stderr, "sochi %s: %s: %s\n", verb,
			    argv[optind - 1], ch == ':' ? "needs a value" :
			    "unknown option");
			usage(stderr);
			return -1;
		}
		o = ch == 'i' ? W_INCIDENT : ch - 256;
		if (!(mask & WO(o))) {
			fprintf(stderr, "sochi %s: %s is not an option of %s\n",
			    verb, argv[optind - 1], verb);
			usage(stderr);
			return -1;
		}
		if (o == W_JSON)
			w->json = 1;
		else if (o == W_LIST)
			w->list = 1;
		else if (o == W_FORCE)
			w->force = 1;
		else
			w->v[o] = optarg;
	}
	w->argc = argc - optind;
	w->argv = argv + optind;
	return 0;
}

void
wargs_join(const struct wargs *w, int from, struct sbuf *b)
{
	int i;

	for (i = from; i < w->argc; i++)
		sbuf_printf(b, "%s%s", i > from ? " " : "", w->argv[i]);
}

int
wargs_count(const char *verb, const char *what, const char *s, int64_t *out)
{
	char *end;
	long long v;

	v = strtoll(s, &end, 10);
	if (*s == '\0' || *end != '\0' || v < 0) {
		fprintf(stderr, "sochi %s: %s: expected a whole number, 0 or "
		    "more, got \"%s\"\n", verb, what, s);
		return -1;
	}
	*out = v;
	return 0;
}

int
cli_at(struct cli *cli, const char *s, int64_t now, int64_t *out)
{
	char err[512];

	if (s == NULL) {
		*out = now;
		return 0;
	}
	if (cli_load_zone(cli) == -1)
		return -1;
	if (when_parse(s, &cli->zone, now, out, err, sizeof(err)) == -1) {
		fprintf(stderr, "sochi: --at: %s\n", err);
		return -1;
	}
	return 0;
}

json_t *
cli_time_json(struct cli *cli, int64_t usec)
{
	struct sochi_time t;
	char buf[RFC3339_MAX];

	t.usec = usec;
	t.offset_min = cli->zone_loaded ? zone_offset(&cli->zone,
	    usec / 1000000) / 60 : 0;
	rfc3339_format(&t, buf, sizeof(buf));
	return json_string(buf);
}

/* --actor, else [actors] for the login name, else the login name. */
static const char *
actor(struct cli *cli, const struct wargs *w)
{
	struct passwd *pw;
	const char *dept;

	if (w->v[W_ACTOR] != NULL)
		return w->v[W_ACTOR];
	if ((pw = getpwuid(getuid())) == NULL)
		return NULL;
	if ((dept = config_map_get(&cli->cf.actors, pw->pw_name)) != NULL)
		return dept;
	return pw->pw_name;
}

/*
 * A key of 128 random bits for an event the user gave none: a command that
 * sends it again after losing the answer stores it once, and no one can
 * guess it.
 */
static const char *
cli_key(char *buf, size_t len)
{
	unsigned char r[16];
	size_t i;

	if (getrandom(r, sizeof(r), 0) != sizeof(r))
		return NULL;
	snprintf(buf, len, "cli-");
	for (i = 0; i < sizeof(r); i++)
		snprintf(buf + 4 + 2 * i, len - 4 - 2 * i, "%02x", r[i]);
	return buf;
}

json_t *
cli_event(struct cli *cli, const struct wargs *w, const char *kind,
    const char *incident, int64_t at)
{
	json_t *o = json_object();
	const char *a = actor(cli, w), *k;
	char key[48];

	cli_load_zone(cli);
	json_object_set_new(o, "kind", json_string(kind));
	if (incident != NULL)
		json_object_set_new(o, "incident", json_string(incident));
	json_object_set_new(o, "at", cli_time_json(cli, at));
	if (a != NULL && *a != '\0')
		json_object_set_new(o, "actor", json_string(a));
	if ((k = w->v[W_KEY]) != NULL || (k = cli_key(key, sizeof(key))) != NULL)
		json_object_set_new(o, "key", json_string(k));
	return o;
}

int
cli_write_incident(struct cli *cli, const struct wargs *w, char *code,
    size_t len)
{
	return cli_pick_incident(cli, w->v[W_INCIDENT], code, len);
}

int
cli_event_target(struct cli *cli, const struct wargs *w, const char *verb,
    int64_t id, char *code, size_t len)
{
	const char *want = w->v[W_INCIDENT], *env = getenv("SOCHI_INCIDENT");
	char err[512], idbuf[32];
	const char *p[1] = { idbuf };
	PGresult *res;

	if (want == NULL && env != NULL && *env != '\0')
		want = env;
	if (cli_db(cli) == -1)
		return -1;
	snprintf(idbuf, sizeof(idbuf), "%lld", (long long)id);
	res = pgsync_exec(cli->conn, "select i.code from event e left join "
	    "incident i on i.id = e.incident_id where e.id = $1", 1, p, err,
	    sizeof(err));
	if (res == NULL) {
		fprintf(stderr, "sochi %s: cannot read event %lld: %s\n", verb,
		    (long long)id, err);
		return -1;
	}
	if (PQntuples(res) == 0 || PQgetisnull(res, 0, 0)) {
		fprintf(stderr, "sochi %s: no event %lld in any incident\n", verb,
		    (long long)id);
		PQclear(res);
		return -1;
	}
	snprintf(code, len, "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	/* Another incident's event is never changed by mistake. */
	if (want != NULL && strcmp(want, code) != 0) {
		fprintf(stderr, "sochi %s: event %lld belongs to %s, not to %s "
		    "(%s); nothing sent\n", verb, (long long)id, code, want,
		    w->v[W_INCIDENT] != NULL ? "-i" : "SOCHI_INCIDENT");
		return -1;
	}
	return 0;
}

struct answers {
	const struct wargs *w;		/* --json */
	const char *const *labels;	/* a label per event, or NULL */
	size_t		 i;		/* answers seen */
	int		 refused;	/* any refusal */
};

static void
on_answer(const char *line, size_t len, void *arg)
{
	struct answers *a = arg;
	json_error_t err;
	json_t *o = json_loadb(line, len, 0, &err);
	const char *label = a->labels != NULL ? a->labels[a->i] : NULL;
	int ok = json_is_true(json_object_get(o, "ok"));

	a->i++;
	if (!ok)
		a->refused = 1;
	if (a->w->json)
		printf("%.*s\n", (int)len, line);
	else if (ok && json_is_true(json_object_get(o, "journaled")))
		printf("%s%srecorded (journaled: the database is away; it will be "
		    "stored when it is back)%s\n", label ? label : "",
		    label ? ": " : "", a->w->print_code ? "; its code is given "
		    "then (sochi open --code CODE names it now)" : "");
	else if (ok && a->w->print_code)
		printf("%s\n", json_string_value(json_object_get(o, "incident")));
	else if (ok && json_object_get(o, "id") != NULL)
		printf("%s%srecorded event %lld%s%s\n", label ? label : "",
		    label ? ": " : "",
		    (long long)json_integer_value(json_object_get(o, "id")),
		    json_object_get(o, "incident") ? " in " : "",
		    json_object_get(o, "incident") ?
		    json_string_value(json_object_get(o, "incident")) : "");
	else
		fprintf(stderr, "%s%srefused: %s\n", label ? label : "sochi",
		    ": ", json_string_value(json_object_get(o, "error")) ?
		    json_string_value(json_object_get(o, "error")) :
		    "no reason given");
	json_decref(o);
}

int
cli_send_events(struct cli *cli, const struct wargs *w, json_t **evs,
    size_t n, const char *const *labels)
{
	struct sbuf b = SBUF_INIT;
	struct answers a = { w, labels, 0, 0 };
	size_t i;
	char *line;
	int rv;

	for (i = 0; i < n; i++) {
		line = json_dumps(evs[i], JSON_COMPACT | JSON_PRESERVE_ORDER);
		sbuf_adds(&b, line);
		sbuf_addc(&b, '\n');
		free(line);
	}
	rv = cli_exchange(cli, b.data, b.len, n, on_answer, &a);
	sbuf_free(&b);
	if (rv == -1)
		return EXIT_TROUBLE;
	return a.refused ? EXIT_FINDINGS : 0;
}
