/*
 * sochi check [-i CODE] [--json]: the lint findings, then two lines scripts
 * rely on:
 *   classification: serious 五 A (2時間15分間 >= 2時間, 58,990人 >= 30,000人)
 *   due: 2026-12-16
 * Exit status 1 when there are errors.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lint.h"
#include "rfc3339.h"
#include "sochi.h"
#include "wareki.h"

static int	cmd_check_exec(struct cli *, int, char **);

const struct cmd_entry cmd_check_entry = {
	"check", "[-i CODE] [--json]",
	"findings, classification and the report's due date", cmd_check_exec
};

static void
check_usage(FILE *fp)
{
	fprintf(fp, "usage: sochi check [-i CODE] [--json] [--now TIME]\n"
	    "Prints what is wrong or missing in an incident's record, one finding\n"
	    "a line (severity, code, message, the events concerned), then\n"
	    "  classification: serious|periodic|none|unknown ROW PAIR (figures)\n"
	    "  due: YYYY-MM-DD (the 詳報, or the periodic report; none if neither)\n"
	    "Exit status 1 when there is an error finding.\n"
	    "  -i, --incident CODE  the incident (default: $SOCHI_INCIDENT, else the\n"
	    "                       only open incident)\n"
	    "      --json           the same as one JSON object\n"
	    "      --now TIME       the end of open impacts, RFC 3339 (default: now)\n");
}

static void
hours(struct sbuf *b, int h)
{
	sbuf_printf(b, "%d時間", h);
}

static void
users(struct sbuf *b, int64_t n)
{
	count_format(n, b);
	sbuf_adds(b, "人");
}

/* The classification line's text after "classification: ". */
static void
classification(const struct timeline *tl, struct sbuf *b)
{
	const struct reg_result *g = &tl->reg;
	int64_t u = tl->users.max < 0 ? 0 : tl->users.max;
	const struct reg_pair *p;

	if (!tl->classified) {
		sbuf_printf(b, "unknown (%s)", tl->incident != NULL &&
		    tl->incident->category == 0 ? "the incident has no category" :
		    "no impact recorded");
		return;
	}
	sbuf_adds(b, reg_class_name(g->cls));
	if (*g->row->kanji != '\0')
		sbuf_printf(b, " %s", g->row->kanji);
	if (g->cls == REG_SERIOUS && g->pair != 0) {
		int64_t met = tl->longest;
		size_t i;

		/* The figure that met it: the first impact, ①②…, long enough. */
		p = g->pair == 'A' ? &g->row->a : &g->row->b;
		for (i = 0; i < tl->nimpacts; i++)
			if (tl->impacts[i].start_id != 0 &&
			    tl->impacts[i].duration >=
			    (int64_t)p->hours * 3600 * 1000000) {
				met = tl->impacts[i].duration;
				break;
			}
		sbuf_printf(b, " %c (", g->pair);
		duration_format(met, b);
		sbuf_adds(b, " >= ");
		hours(b, p->hours);
		sbuf_adds(b, ", ");
		users(b, u);
		sbuf_adds(b, " >= ");
		users(b, p->users);
		sbuf_adds(b, ")");
		return;
	}
	if (g->cls == REG_SERIOUS) {
		sbuf_adds(b, " (key facility: all communication lost ");
		duration_format(tl->longest, b);
		sbuf_adds(b, " >= 2時間)");
		return;
	}
	sbuf_adds(b, " (");
	duration_format(tl->longest, b);
	sbuf_adds(b, g->by_duration ? " >= " : " < ");
	hours(b, 2);
	sbuf_adds(b, ", ");
	users(b, u);
	sbuf_adds(b, g->by_users ? " >= " : " < ");
	users(b, 30000);
	sbuf_adds(b, ")");
}

static void
due(const struct timeline *tl, char *buf, size_t len)
{
	if (!tl->classified || tl->reg.cls == REG_NONE)
		snprintf(buf, len, "none");
	else
		snprintf(buf, len, "%04d-%02d-%02d", tl->reg.due.year,
		    tl->reg.due.month, tl->reg.due.day);
}

/* "in 21 days", "today", "3 days ago". */
static const char *
days_text(const struct zone *z, const struct timeline *tl, int64_t now)
{
	static char buf[48];
	struct local_time lt;
	int64_t d;

	zone_local(z, now, &lt);
	d = rfc3339_days_from_civil(tl->reg.due.year, (unsigned)tl->reg.due.month,
	    (unsigned)tl->reg.due.day) - rfc3339_days_from_civil(lt.year,
	    (unsigned)lt.month, (unsigned)lt.day);
	if (d == 0)
		snprintf(buf, sizeof(buf), "today");
	else if (d > 0)
		snprintf(buf, sizeof(buf), "in %lld days", (long long)d);
	else
		snprintf(buf, sizeof(buf), "%lld days ago", (long long)-d);
	return buf;
}

static int
cmd_check_exec(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "incident", required_argument, NULL, 'i' },
		{ "json", no_argument, NULL, 'j' },
		{ "now", required_argument, NULL, 'N' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *incident = NULL, *now_s = NULL;
	struct store_incident ci;
	struct timeline tl;
	struct lint l;
	struct sbuf cls = SBUF_INIT;
	char duebuf[16];
	int ch, as_json = 0, rv;
	int64_t now;
	size_t i, k;

	while ((ch = getopt_long(argc, argv, "i:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'i': incident = optarg; break;
		case 'j': as_json = 1; break;
		case 'N': now_s = optarg; break;
		case 'h': check_usage(stdout); return 0;
		default: check_usage(stderr); return EXIT_TROUBLE;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "sochi check: unexpected argument: %s\n",
		    argv[optind]);
		return EXIT_TROUBLE;
	}
	if (cli_open_timeline(cli, incident, now_s, &now, &ci, &tl) == -1)
		return EXIT_TROUBLE;
	lint_run(&tl, &cli->zone, &l);
	classification(&tl, &cls);
	due(&tl, duebuf, sizeof(duebuf));
	if (as_json) {
		json_t *o = json_object(), *arr = json_array(), *ids;
		char *text;

		for (i = 0; i < l.n; i++) {
			ids = json_array();
			for (k = 0; k < l.f[i].nids; k++)
				json_array_append_new(ids,
				    json_integer(l.f[i].ids[k]));
			json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:o}",
			    "severity", lint_severity_name(l.f[i].sev), "code",
			    l.f[i].code, "message", l.f[i].message, "event_ids",
			    ids));
		}
		json_object_set_new(o, "incident", json_string(ci.code));
		json_object_set_new(o, "findings", arr);
		json_object_set_new(o, "errors", json_integer((json_int_t)l.errors));
		json_object_set_new(o, "classification", json_string(
		    !tl.classified ? "unknown" : reg_class_name(tl.reg.cls)));
		json_object_set_new(o, "classification_line",
		    json_string(cls.data));
		json_object_set_new(o, "row", tl.classified ?
		    json_string(tl.reg.row->kanji) : json_null());
		json_object_set_new(o, "pair", tl.reg.pair ?
		    json_sprintf("%c", tl.reg.pair) : json_null());
		json_object_set_new(o, "due", strcmp(duebuf, "none") == 0 ?
		    json_null() : json_string(duebuf));
		if (strcmp(duebuf, "none") != 0) {
			struct local_time lt;

			zone_local(&cli->zone, now, &lt);
			json_object_set_new(o, "days_left", json_integer(
			    rfc3339_days_from_civil(tl.reg.due.year,
			    (unsigned)tl.reg.due.month, (unsigned)tl.reg.due.day) -
			    rfc3339_days_from_civil(lt.year, (unsigned)lt.month,
			    (unsigned)lt.day)));
		}
		json_object_set_new(o, "due_to_confirm", json_boolean(
		    tl.classified && tl.reg.cls != REG_NONE &&
		    tl.reg.due_to_confirm));
		text = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		printf("%s\n", text);
		free(text);
		json_decref(o);
	} else {
		for (i = 0; i < l.n; i++) {
			printf("%s %s: %s", lint_severity_name(l.f[i].sev),
			    l.f[i].code, l.f[i].message);
			for (k = 0; k < l.f[i].nids; k++)
				printf("%s%lld", k ? ", " : " [events ",
				    (long long)l.f[i].ids[k]);
			printf("%s\n", l.f[i].nids ? "]" : "");
		}
		if (strcmp(duebuf, "none") != 0)
			printf("info due-date: the %s is due %s, %s (to be "
			    "confirmed by a person)\n", tl.reg.cls == REG_SERIOUS ?
			    "詳報 (発生日 + 30 days)" : "periodic report", duebuf,
			    days_text(&cli->zone, &tl, now));
		printf("classification: %s\ndue: %s\n", cls.data, duebuf);
	}
	rv = l.errors > 0 ? EXIT_FINDINGS : 0;
	sbuf_free(&cls);
	lint_free(&l);
	timeline_free(&tl);
	store_incident_free(&ci);
	return rv;
}
