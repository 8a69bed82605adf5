/* SPDX-License-Identifier: MIT */
/*
 * sochi check [-i CODE] [--json] [--table NAME]: the lint findings, then
 * the lines scripts rely on:
 *   classification: serious 五 A (2時間15分間 >= 2時間, 58,990人 >= 30,000人)
 *   impact ①: serious 五 A (2時間15分間 >= 2時間, 58,990人 >= 30,000人)
 *   impact ②: ...
 *   due: 2026-12-16
 * The first is the incident's (its most severe impact), then one line per
 * impact against its own row.  What is not known is said, never taken for
 * zero: "undetermined ... users unknown", and the due date of each outcome.
 * Exit status 1 when there are errors.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lint.h"
#include "report.h"
#include "rfc3339.h"
#include "sochi.h"
#include "wareki.h"

static int	cmd_check_exec(struct cli *, int, char **);

const struct cmd_entry cmd_check_entry = {
	"check", "[-i CODE] [--json] [--table NAME]",
	"findings, classification and the report's due date", cmd_check_exec
};

static void
check_usage(FILE *fp)
{
	fprintf(fp, "usage: sochi check [-i CODE] [--json] [--now TIME] "
	    "[--table NAME]\n"
	    "Prints what is wrong or missing in an incident's record, one finding\n"
	    "a line (severity, code, message, the events concerned), then\n"
	    "  classification: CLASS ROW PAIR (figures)   the incident\n"
	    "  impact ①: CLASS ROW PAIR (figures)         each impact, its own row\n"
	    "  due: YYYY-MM-DD | none\n"
	    "CLASS is serious, periodic, none or undetermined (a figure is missing:\n"
	    "\"users unknown\", \"category unknown\"); then due gives both outcomes,\n"
	    "\"due: YYYY-MM-DD if serious; YYYY-MM-DD if not\".  A duration still\n"
	    "running is marked ※暫定.  Exit status 1 when there is an error finding.\n"
	    "  -i, --incident CODE  the incident (default: $SOCHI_INCIDENT, else the\n"
	    "                       only open incident)\n"
	    "      --json           the same as one JSON object\n"
	    "      --now TIME       the end of open impacts, RFC 3339 (default: now)\n"
	    "      --table NAME     classify with another table: in-force (default,\n"
	    "                       or [report] table), 1985, 2015, 2019, or\n"
	    "                       proposed-2025 (the 2025 proposal, what-if)\n");
}

/* "in 21 days", "today", "3 days ago". */
static const char *
days_text(const struct zone *z, struct reg_date due, int64_t now)
{
	static char buf[48];
	struct local_time lt;
	int64_t d;

	zone_local(z, now, &lt);
	d = rfc3339_days_from_civil(due.year, (unsigned)due.month,
	    (unsigned)due.day) - rfc3339_days_from_civil(lt.year,
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
determined(const struct timeline *tl)
{
	return tl->assessed && (tl->reg.cls == REG_SERIOUS ||
	    tl->reg.cls == REG_PERIODIC);
}

static json_t *
jdate(struct reg_date d)
{
	return json_sprintf("%04d-%02d-%02d", d.year, d.month, d.day);
}

static void
print_json(struct cli *cli, const struct store_incident *ci,
    const struct timeline *tl, const struct lint *l, const char *cls,
    const char *dueline, int64_t now)
{
	json_t *o = json_object(), *arr = json_array(), *ids, *imps;
	const struct reg_result *g = &tl->reg;
	struct sbuf b = SBUF_INIT;
	size_t i, k;
	char *text;

	for (i = 0; i < l->n; i++) {
		ids = json_array();
		for (k = 0; k < l->f[i].nids; k++)
			json_array_append_new(ids, json_integer(l->f[i].ids[k]));
		json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:o}",
		    "severity", lint_severity_name(l->f[i].sev), "code",
		    l->f[i].code, "message", l->f[i].message, "event_ids", ids));
	}
	json_object_set_new(o, "incident", json_string(ci->code));
	json_object_set_new(o, "findings", arr);
	json_object_set_new(o, "errors", json_integer((json_int_t)l->errors));
	json_object_set_new(o, "classification", json_string(tl->assessed ?
	    reg_class_name(g->cls) : "undetermined"));
	json_object_set_new(o, "classification_line", json_string(cls));
	json_object_set_new(o, "row", tl->classified ?
	    json_string(g->row->kanji) : json_null());
	json_object_set_new(o, "pair", g->pair ? json_sprintf("%c", g->pair) :
	    json_null());
	json_object_set_new(o, "table", tl->assessed ?
	    json_string(g->table->name) : json_null());
	imps = json_array();
	for (i = 0; i < tl->nimpacts; i++) {
		const struct tl_impact *im = &tl->impacts[i];

		if (im->no == 0)
			continue;
		sbuf_truncate(&b, 0);
		report_impact_line(im, &b);
		json_array_append_new(imps, json_pack("{s:i,s:s,s:s,s:o,s:o}",
		    "no", im->no, "name", im->name, "class", im->assessed ?
		    reg_class_name(im->reg.cls) : "undetermined", "row",
		    im->assessed && im->reg.row ? json_string(im->reg.row->kanji) :
		    json_null(), "line", json_string(b.data)));
	}
	sbuf_free(&b);
	json_object_set_new(o, "impacts", imps);
	json_object_set_new(o, "due", determined(tl) ? jdate(g->due) :
	    json_null());
	json_object_set_new(o, "due_line", json_string(dueline));
	json_object_set_new(o, "due_if_serious", tl->assessed && g->cls ==
	    REG_UNDETERMINED && g->hi == REG_SERIOUS ? jdate(g->due_serious) :
	    json_null());
	json_object_set_new(o, "due_if_not", tl->assessed && g->cls ==
	    REG_UNDETERMINED ? jdate(g->due_periodic) : json_null());
	if (determined(tl)) {
		struct local_time lt;

		zone_local(&cli->zone, now, &lt);
		json_object_set_new(o, "days_left", json_integer(
		    rfc3339_days_from_civil(g->due.year, (unsigned)g->due.month,
		    (unsigned)g->due.day) - rfc3339_days_from_civil(lt.year,
		    (unsigned)lt.month, (unsigned)lt.day)));
	}
	json_object_set_new(o, "due_to_confirm", json_boolean(determined(tl) &&
	    g->due_to_confirm));
	text = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	printf("%s\n", text);
	free(text);
	json_decref(o);
}

static int
cmd_check_exec(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "incident", required_argument, NULL, 'i' },
		{ "json", no_argument, NULL, 'j' },
		{ "now", required_argument, NULL, 'N' },
		{ "table", required_argument, NULL, 'T' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *incident = NULL, *now_s = NULL, *table = NULL;
	struct store_incident ci;
	struct timeline tl;
	struct lint l;
	struct sbuf cls = SBUF_INIT, dueline = SBUF_INIT, b = SBUF_INIT;
	int ch, as_json = 0, rv;
	int64_t now;
	size_t i, k;

	while ((ch = getopt_long(argc, argv, "i:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'i': incident = optarg; break;
		case 'j': as_json = 1; break;
		case 'N': now_s = optarg; break;
		case 'T': table = optarg; break;
		case 'h': check_usage(stdout); return 0;
		default: check_usage(stderr); return EXIT_TROUBLE;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "sochi check: unexpected argument: %s\n",
		    argv[optind]);
		return EXIT_TROUBLE;
	}
	if (table != NULL && cli_table(cli, table) == -1)
		return EXIT_TROUBLE;
	if (cli_open_timeline(cli, incident, now_s, &now, &ci, &tl) == -1)
		return EXIT_TROUBLE;
	lint_run(&tl, &cli->zone, &l);
	report_incident_line(&tl, &cls);
	report_due_line(&tl, &dueline);
	if (as_json)
		print_json(cli, &ci, &tl, &l, cls.data, dueline.data, now);
	else {
		for (i = 0; i < l.n; i++) {
			printf("%s %s: %s", lint_severity_name(l.f[i].sev),
			    l.f[i].code, l.f[i].message);
			for (k = 0; k < l.f[i].nids; k++)
				printf("%s%lld", k ? ", " : " [events ",
				    (long long)l.f[i].ids[k]);
			printf("%s\n", l.f[i].nids ? "]" : "");
		}
		if (determined(&tl))
			printf("info due-date: the %s is due %04d-%02d-%02d, %s "
			    "(to be confirmed by a person)\n", tl.reg.cls ==
			    REG_SERIOUS ? "詳報 (発生日 + 30 days)" :
			    "periodic report", tl.reg.due.year, tl.reg.due.month,
			    tl.reg.due.day, days_text(&cli->zone, tl.reg.due,
			    now));
		if (tl.assessed && tl.reg.table->from == 0)
			printf("info table: classified with %s, not the table in "
			    "force (what-if)\n", tl.reg.table->source);
		printf("classification: %s\n", cls.data);
		for (i = 0; i < tl.nimpacts; i++) {
			if (tl.impacts[i].no == 0)
				continue;
			sbuf_truncate(&b, 0);
			report_impact_line(&tl.impacts[i], &b);
			printf("%s\n", b.data);
		}
		printf("due: %s\n", dueline.data);
	}
	rv = l.errors > 0 ? EXIT_FINDINGS : 0;
	sbuf_free(&cls);
	sbuf_free(&dueline);
	sbuf_free(&b);
	lint_free(&l);
	timeline_free(&tl);
	store_incident_free(&ci);
	return rv;
}
