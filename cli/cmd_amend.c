/* SPDX-License-Identifier: MIT */
/*
 * sochi amend EVENT_ID [TEXT] [options]: a correction.  The new event
 * repeats the old one with the options given changed, and supersedes it:
 * the timeline shows the correction in its place, the log keeps both.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pgsync.h"
#include "rfc3339.h"
#include "write.h"

static int	cmd_amend_exec(struct cli *, int, char **);

const struct cmd_entry cmd_amend_entry = {
	"amend", "EVENT_ID [TEXT] [options of its kind]",
	"correct an event (the log keeps both)", cmd_amend_exec
};

static void
amend_usage(FILE *fp)
{
	fprintf(fp, "usage: sochi amend EVENT_ID [TEXT] [-i CODE] [--at T] "
	    "[--actor A] [options of its kind]\n"
	    "Corrects an event: the correction repeats it with what you give\n"
	    "changed, and takes its place in the timeline and the report.\n"
	    "  action   TEXT, --phase, --heading\n"
	    "  impact   --label, --users, --category (of a start)\n"
	    "  users    --count, --total, --basis, --region, --impact\n"
	    "  notice   TEXT, --channel\n"
	    "  inquiry  --count, --channel, --topic\n"
	    "  note     TEXT, --stage, --due, --done\n"
	    "  any      --at, --actor\n"
	    "Only what is given changes; an entry without an actor keeps none.\n"
	    "An event already corrected is amended in its current version (the\n"
	    "last correction standing), and sochi amend says so.  The event must\n"
	    "belong to the incident of -i or $SOCHI_INCIDENT when either is set\n"
	    "(default: its own); another incident's event is refused.\n"
	    "  --json   print sochid's answer as it is\n");
}

/* The options each kind takes, besides --at and --actor. */
static const struct {
	const char	*kind;
	unsigned	 opts;
	int		 text;		/* takes TEXT */
} kinds[] = {
	{ "action", WO(W_PHASE) | WO(W_HEADING) | WO(W_TEXT), 1 },
	{ "impact", WO(W_LABEL) | WO(W_USERS) | WO(W_CATEGORY), 0 },
	{ "users", WO(W_COUNT) | WO(W_TOTAL) | WO(W_BASIS) | WO(W_REGION) |
	    WO(W_IMPACT), 0 },
	{ "notice", WO(W_CHANNEL) | WO(W_TEXT), 1 },
	{ "inquiry", WO(W_COUNT) | WO(W_CHANNEL) | WO(W_TOPIC), 0 },
	{ "note", WO(W_STAGE) | WO(W_DUE) | WO(W_DONE) | WO(W_TEXT), 1 },
};

static const struct {
	enum wopt	 o;
	const char	*field;
	int		 number;
} fields[] = {
	{ W_PHASE, "phase", 0 }, { W_HEADING, "heading", 0 },
	{ W_TEXT, "text", 0 }, { W_LABEL, "label", 0 },
	{ W_USERS, "users", 1 }, { W_CATEGORY, "category", 1 },
	{ W_IMPACT, "impact", 0 }, { W_COUNT, "count", 1 },
	{ W_TOTAL, "total", 1 }, { W_BASIS, "basis", 0 },
	{ W_REGION, "region", 0 }, { W_CHANNEL, "channel", 0 },
	{ W_TOPIC, "topic", 0 }, { W_STAGE, "stage", 0 }, { W_DUE, "due", 0 },
	{ W_DONE, "done", 0 },
};

static const char *const option_names[W__COUNT] = {
	[W_PHASE] = "--phase", [W_HEADING] = "--heading", [W_TEXT] = "TEXT",
	[W_LABEL] = "--label", [W_USERS] = "--users", [W_COUNT] = "--count",
	[W_TOTAL] = "--total", [W_BASIS] = "--basis", [W_REGION] = "--region",
	[W_CATEGORY] = "--category", [W_IMPACT] = "--impact",
	[W_CHANNEL] = "--channel", [W_TOPIC] = "--topic", [W_STAGE] = "--stage",
	[W_DUE] = "--due", [W_DONE] = "--done",
};

static int
cmd_amend_exec(struct cli *cli, int argc, char **argv)
{
	struct wargs w;
	struct sbuf text = SBUF_INIT;
	struct store_incident ci;
	const struct tl_event *old = NULL;
	char code[80];
	const char *kind, *k;
	json_t *ev = NULL, *v;
	int64_t id, cur, at, num;
	size_t i, ki;
	int rv;

	memset(&ci, 0, sizeof(ci));
	if ((rv = wargs_parse("amend", argc, argv, WO_COMMON | WO(W_PHASE) |
	    WO(W_HEADING) | WO(W_TEXT) | WO(W_LABEL) | WO(W_USERS) |
	    WO(W_CATEGORY) | WO(W_COUNT) | WO(W_TOTAL) | WO(W_BASIS) |
	    WO(W_REGION) | WO(W_IMPACT) | WO(W_CHANNEL) | WO(W_TOPIC) |
	    WO(W_STAGE) | WO(W_DUE) | WO(W_DONE), amend_usage, &w)) != 0)
		return rv > 0 ? 0 : EXIT_TROUBLE;
	if (w.argc < 1 || wargs_count("amend", "EVENT_ID", w.argv[0], &id) == -1) {
		amend_usage(stderr);
		return EXIT_TROUBLE;
	}
	wargs_join(&w, 1, &text);
	if (text.len > 0)
		w.v[W_TEXT] = text.data;
	if (cli_load_zone(cli) == -1 ||
	    cli_event_target(cli, &w, "amend", id, code, sizeof(code)) == -1 ||
	    cli_load_incident(cli, code, &ci) == -1) {
		rv = EXIT_TROUBLE;
		goto out;
	}
	/* A corrected event is amended in its current version. */
	cur = timeline_current_version(ci.evs, ci.n, id);
	if (cur == 0) {
		fprintf(stderr, "sochi amend: event %lld is retracted, and so is "
		    "every correction of it; nothing to amend\n", (long long)id);
		rv = EXIT_TROUBLE;
		goto out;
	}
	for (i = 0; cur > 0 && i < ci.n; i++)
		if (ci.evs[i].id == cur)
			old = &ci.evs[i];
	if (old == NULL) {
		fprintf(stderr, "sochi amend: no event %lld in %s\n", (long long)id,
		    code);
		rv = EXIT_TROUBLE;
		goto out;
	}
	if (cur != id)
		fprintf(stderr, "sochi amend: event %lld was corrected; amending "
		    "its current version, event %lld\n", (long long)id,
		    (long long)cur);
	kind = event_kind_name(old->kind);
	for (ki = 0; ki < sizeof(kinds) / sizeof(kinds[0]); ki++)
		if (strcmp(kinds[ki].kind, kind) == 0)
			break;
	if (ki == sizeof(kinds) / sizeof(kinds[0])) {
		fprintf(stderr, "sochi amend: event %lld is a%s %s, which cannot "
		    "be amended%s\n", (long long)cur, kind[0] == 'i' ||
		    kind[0] == 'a' ? "n" : "", kind, strcmp(kind, "alert") == 0 ?
		    " (alerts come from monitoring; retract it instead)" : "");
		rv = EXIT_TROUBLE;
		goto out;
	}
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (w.v[fields[i].o] != NULL && !(kinds[ki].opts &
		    WO(fields[i].o))) {
			fprintf(stderr, "sochi amend: %s does not apply to a%s %s\n",
			    option_names[fields[i].o], kind[0] == 'i' ||
			    kind[0] == 'a' ? "n" : "", kind);
			rv = EXIT_TROUBLE;
			goto out;
		}
	at = old->at;
	if (w.v[W_AT] != NULL && cli_at(cli, w.v[W_AT], w.now, &at) == -1) {
		rv = EXIT_TROUBLE;
		goto out;
	}
	/*
	 * The version amended, then what was given, and nothing else: an
	 * entry with no actor keeps none unless --actor gives one.
	 */
	ev = cli_event(cli, &w, kind, code, at);
	json_object_del(ev, "actor");
	if (w.v[W_ACTOR] != NULL) {
		if (*w.v[W_ACTOR] != '\0')
			json_object_set_new(ev, "actor",
			    json_string(w.v[W_ACTOR]));
	} else if (old->actor != NULL)
		json_object_set_new(ev, "actor", json_string(old->actor));
	json_object_foreach((json_t *)(uintptr_t)old->data, k, v)
		json_object_set(ev, k, v);
	if (old->phase != NULL)
		json_object_set_new(ev, "phase", json_string(old->phase));
	if (old->text != NULL)
		json_object_set_new(ev, "text", json_string(old->text));
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		const char *val = w.v[fields[i].o];

		if (val == NULL)
			continue;
		if (fields[i].number) {
			if (wargs_count("amend", option_names[fields[i].o], val,
			    &num) == -1) {
				rv = EXIT_TROUBLE;
				goto out;
			}
			json_object_set_new(ev, fields[i].field, json_integer(num));
		} else
			json_object_set_new(ev, fields[i].field, json_string(val));
	}
	json_object_set_new(ev, "supersedes", json_integer(cur));
	rv = cli_send_events(cli, &w, &ev, 1, NULL);
out:
	json_decref(ev);
	store_incident_free(&ci);
	sbuf_free(&text);
	return rv;
}
