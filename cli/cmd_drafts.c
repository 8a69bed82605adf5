/*
 * The drafts sochid makes, and the deadlines that follow:
 *   sochi drafts [-i CODE]     versions, their trigger, whether stale
 *   sochi draft [-i CODE]      a new version by hand
 *   sochi diff A B [-i CODE]   what changed between two versions
 *   sochi due                  serious incidents whose 詳報 is not filed
 *   sochi filed [-i CODE] --at DATE
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pgsync.h"
#include "report.h"
#include "rfc3339.h"
#include "write.h"

static int	cmd_drafts_exec(struct cli *, int, char **);
static int	cmd_draft_exec(struct cli *, int, char **);
static int	cmd_diff_exec(struct cli *, int, char **);
static int	cmd_due_exec(struct cli *, int, char **);
static int	cmd_filed_exec(struct cli *, int, char **);

const struct cmd_entry cmd_drafts_entry = { "drafts", "[-i CODE]",
    "the incident's draft versions, trigger, stale or not", cmd_drafts_exec };
const struct cmd_entry cmd_draft_entry = { "draft", "[-i CODE]",
    "store a new draft version now", cmd_draft_exec };
const struct cmd_entry cmd_diff_entry = { "diff", "A B [-i CODE]",
    "what changed between two draft versions", cmd_diff_exec };
const struct cmd_entry cmd_due_entry = { "due", "",
    "serious incidents whose 詳報 is not filed, soonest first", cmd_due_exec };
const struct cmd_entry cmd_filed_entry = { "filed", "[-i CODE] --at DATE",
    "the 詳報 was filed with the ministry on DATE", cmd_filed_exec };

static void
drafts_usage(FILE *fp)
{
	fprintf(fp, "usage: sochi drafts [-i CODE]\n"
	    "Lists the incident's drafts: version, trigger (sokuho: the 速報 when\n"
	    "it turned serious; recovery: the 詳報 when the last impact recovered;\n"
	    "manual: sochi draft), when, formats, and \"stale\" when events came\n"
	    "after it.  sochi report --draft N prints one.\n");
}

static void
draft_usage(FILE *fp)
{
	fprintf(fp, "usage: sochi draft [-i CODE] [--json]\n"
	    "Stores a new version of the 詳報 draft, in the formats of [drafts]\n"
	    "formats, made from the events as they are now; prints its version.\n");
}

static void
diff_usage(FILE *fp)
{
	fprintf(fp, "usage: sochi diff A B [-i CODE]\n"
	    "Shows what changed from draft version A to version B (text),\n"
	    "line by line: \"- \" for a line only in A, \"+ \" for one only in B.\n"
	    "Exit status 1 when they differ.\n");
}

static void
due_usage(FILE *fp)
{
	fprintf(fp, "usage: sochi due\n"
	    "Lists every serious incident whose 詳報 is not marked filed, with its\n"
	    "due date (発生日 + 30 days, to be confirmed by a person) and the days\n"
	    "left, soonest first.\n");
}

static void
filed_usage(FILE *fp)
{
	fprintf(fp, "usage: sochi filed [-i CODE] --at DATE\n"
	    "Records that the 詳報 was filed on DATE (YYYY-MM-DD); sochi due and\n"
	    "sochid's reminders then leave the incident alone.\n");
}

/* The incident's id and code from -i or the usual defaults. */
static int
incident_id(struct cli *cli, const char *opt, char *code, size_t len,
    char *id, size_t idlen)
{
	const char *p[1] = { code };
	char err[512];
	PGresult *res;

	if (cli_pick_incident(cli, opt, code, len) == -1 || cli_db(cli) == -1)
		return -1;
	res = pgsync_exec(cli->conn, "select id from incident where code = $1",
	    1, p, err, sizeof(err));
	if (res == NULL || PQntuples(res) == 0) {
		fprintf(stderr, "sochi: no incident \"%s\"\n", code);
		PQclear(res);
		return -1;
	}
	snprintf(id, idlen, "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	return 0;
}

static int
cmd_drafts_exec(struct cli *cli, int argc, char **argv)
{
	struct wargs w;
	char code[80], id[32], err[512];
	const char *p[1] = { id };
	PGresult *res;
	int rv, i;

	if ((rv = wargs_parse("drafts", argc, argv, WO(W_INCIDENT),
	    drafts_usage, &w)) != 0)
		return rv > 0 ? 0 : EXIT_TROUBLE;
	if (incident_id(cli, w.v[W_INCIDENT], code, sizeof(code), id,
	    sizeof(id)) == -1)
		return EXIT_TROUBLE;
	res = pgsync_exec(cli->conn, "select d.version, min(d.trigger), "
	    "to_char(min(d.generated_at) at time zone current_setting("
	    "'TimeZone'), 'YYYY-MM-DD HH24:MI:SS'), string_agg(d.format, ',' "
	    "order by d.format), exists (select 1 from event e where "
	    "e.incident_id = $1 and e.id > min(d.last_event)) from draft d "
	    "where d.incident_id = $1 group by d.version order by d.version", 1,
	    p, err, sizeof(err));
	if (res == NULL) {
		fprintf(stderr, "sochi drafts: %s\n", err);
		return EXIT_TROUBLE;
	}
	for (i = 0; i < PQntuples(res); i++)
		printf("%s\t%s\t%s\t%s\t%s\n", PQgetvalue(res, i, 0),
		    PQgetvalue(res, i, 1), PQgetvalue(res, i, 2),
		    PQgetvalue(res, i, 3), strcmp(PQgetvalue(res, i, 4), "t") == 0 ?
		    "stale" : "current");
	if (PQntuples(res) == 0)
		fprintf(stderr, "sochi: %s has no drafts yet\n", code);
	PQclear(res);
	return 0;
}

static int
cmd_draft_exec(struct cli *cli, int argc, char **argv)
{
	struct wargs w;
	struct cli_incident ci;
	struct timeline tl;
	struct report r;
	struct sbuf fa = SBUF_INIT, ba = SBUF_INIT;
	char *fmts[4], *bodies[4], idb[32], lastb[32], err[512];
	const char *p[5];
	int64_t now;
	PGresult *res;
	int rv, n = 0;
	size_t i;

	if ((rv = wargs_parse("draft", argc, argv, WO(W_INCIDENT) | WO(W_JSON),
	    draft_usage, &w)) != 0)
		return rv > 0 ? 0 : EXIT_TROUBLE;
	if (cli_open_timeline(cli, w.v[W_INCIDENT], NULL, &now, &ci, &tl) == -1)
		return EXIT_TROUBLE;
	r.tl = &tl;
	r.inc = &ci.inc;
	r.profile = &cli->cf.report;
	r.zone = &cli->zone;
	r.now = now;
	{
		const char *names[4];

		n = report_render_formats(&r, cli->cf.drafts.formats, names,
		    bodies);
		for (i = 0; i < (size_t)n; i++)
			fmts[i] = (char *)(uintptr_t)names[i];
	}
	sbuf_pg_array(&fa, fmts, n);
	sbuf_pg_array(&ba, bodies, n);
	snprintf(idb, sizeof(idb), "%lld", (long long)ci.id);
	snprintf(lastb, sizeof(lastb), "%lld", (long long)ci.max_event);
	p[0] = idb;
	p[1] = "manual";
	p[2] = fa.data;
	p[3] = ba.data;
	p[4] = lastb;
	res = pgsync_exec(cli->conn, "select sochi_draft_add($1, $2, "
	    "$3::text[], $4::text[], $5)", 5, p, err, sizeof(err));
	if (res == NULL)
		fprintf(stderr, "sochi draft: %s\n", err);
	else if (w.json)
		printf("{\"ok\":true,\"incident\":\"%s\",\"version\":%s}\n",
		    ci.code, PQgetvalue(res, 0, 0));
	else
		printf("%s: draft version %s\n", ci.code, PQgetvalue(res, 0, 0));
	rv = res == NULL ? EXIT_TROUBLE : 0;
	PQclear(res);
	for (i = 0; i < (size_t)n; i++)
		free(bodies[i]);
	sbuf_free(&fa);
	sbuf_free(&ba);
	timeline_free(&tl);
	cli_incident_free(&ci);
	return rv;
}

char *
cli_draft_body(struct cli *cli, const char *code, int version,
    const char *format)
{
	char vb[16], err[512], *body;
	const char *p[3] = { code, vb, format };
	PGresult *res;

	snprintf(vb, sizeof(vb), "%d", version);
	if (cli_db(cli) == -1)
		return NULL;
	res = pgsync_exec(cli->conn, "select d.body from draft d join incident "
	    "i on i.id = d.incident_id where i.code = $1 and d.version = $2 "
	    "order by d.format = $3 desc, d.format = 'text' desc limit 1", 3, p,
	    err, sizeof(err));
	if (res == NULL || PQntuples(res) == 0) {
		fprintf(stderr, "sochi: %s has no draft version %d\n", code,
		    version);
		PQclear(res);
		return NULL;
	}
	body = strdup(PQgetvalue(res, 0, 0));
	PQclear(res);
	return body;
}

static size_t
split(char *s, char ***out)
{
	size_t n = 0, cap = 64;
	char **v = malloc(cap * sizeof(*v)), *nl;

	while (v != NULL && *s != '\0') {
		if (n == cap) {
			cap *= 2;
			v = realloc(v, cap * sizeof(*v));
			if (v == NULL)
				break;
		}
		v[n++] = s;
		if ((nl = strchr(s, '\n')) == NULL)
			break;
		*nl = '\0';
		s = nl + 1;
	}
	*out = v;
	return n;
}

static int
cmd_diff_exec(struct cli *cli, int argc, char **argv)
{
	struct wargs w;
	char code[80], *a, *b, **la, **lb;
	size_t na, nb, i, j;
	unsigned *lcs;
	int rv, va, vb, changed = 0;

	if ((rv = wargs_parse("diff", argc, argv, WO(W_INCIDENT), diff_usage,
	    &w)) != 0)
		return rv > 0 ? 0 : EXIT_TROUBLE;
	if (w.argc != 2 || (va = atoi(w.argv[0])) < 1 ||
	    (vb = atoi(w.argv[1])) < 1) {
		diff_usage(stderr);
		return EXIT_TROUBLE;
	}
	if (cli_pick_incident(cli, w.v[W_INCIDENT], code, sizeof(code)) == -1 ||
	    (a = cli_draft_body(cli, code, va, "text")) == NULL)
		return EXIT_TROUBLE;
	if ((b = cli_draft_body(cli, code, vb, "text")) == NULL) {
		free(a);
		return EXIT_TROUBLE;
	}
	na = split(a, &la);
	nb = split(b, &lb);
	/* Longest common subsequence, then walk it: small documents. */
	lcs = calloc((na + 1) * (nb + 1), sizeof(*lcs));
	for (i = na; i-- > 0;)
		for (j = nb; j-- > 0;)
			lcs[i * (nb + 1) + j] = strcmp(la[i], lb[j]) == 0 ?
			    lcs[(i + 1) * (nb + 1) + j + 1] + 1 :
			    (lcs[(i + 1) * (nb + 1) + j] > lcs[i * (nb + 1) + j +
			    1] ? lcs[(i + 1) * (nb + 1) + j] :
			    lcs[i * (nb + 1) + j + 1]);
	printf("--- %s version %d\n+++ %s version %d\n", code, va, code, vb);
	for (i = 0, j = 0; i < na || j < nb;) {
		if (i < na && j < nb && strcmp(la[i], lb[j]) == 0) {
			i++;
			j++;
		} else if (j < nb && (i == na || lcs[i * (nb + 1) + j + 1] >=
		    lcs[(i + 1) * (nb + 1) + j])) {
			printf("+ %s\n", lb[j++]);
			changed = 1;
		} else {
			printf("- %s\n", la[i++]);
			changed = 1;
		}
	}
	free(lcs);
	free(la);
	free(lb);
	free(a);
	free(b);
	return changed ? EXIT_FINDINGS : 0;
}

static int
cmd_due_exec(struct cli *cli, int argc, char **argv)
{
	char err[512], **codes = NULL;
	PGresult *res;
	int64_t now, today, dd;
	struct local_time lt;
	int i, n, shown = 0;
	struct row { char line[512]; int64_t due; } *rows;

	if (argc > 1) {
		due_usage(strcmp(argv[1], "-h") == 0 || strcmp(argv[1],
		    "--help") == 0 ? stdout : stderr);
		return argv[1][0] == '-' && argv[1][1] == 'h' ? 0 : EXIT_TROUBLE;
	}
	if (cli_now(NULL, &now) == -1 || cli_db(cli) == -1 ||
	    cli_load_zone(cli) == -1)
		return EXIT_TROUBLE;
	zone_local(&cli->zone, now, &lt);
	today = rfc3339_days_from_civil(lt.year, (unsigned)lt.month,
	    (unsigned)lt.day);
	res = pgsync_exec(cli->conn, "select code from incident where filed_on "
	    "is null order by id", 0, NULL, err, sizeof(err));
	if (res == NULL) {
		fprintf(stderr, "sochi due: %s\n", err);
		return EXIT_TROUBLE;
	}
	n = PQntuples(res);
	rows = calloc((size_t)n + 1, sizeof(*rows));
	(void)codes;
	for (i = 0; i < n; i++) {
		struct cli_incident ci;
		struct timeline tl;

		if (cli_load_incident(cli, PQgetvalue(res, i, 0), &ci) == -1)
			continue;
		if (cli_build(cli, &ci, now, &tl) == 0) {
			if (tl.classified && tl.reg.cls == REG_SERIOUS) {
				dd = rfc3339_days_from_civil(tl.reg.due.year,
				    (unsigned)tl.reg.due.month,
				    (unsigned)tl.reg.due.day);
				snprintf(rows[shown].line, sizeof(rows[shown].line),
				    "%s\t%04d-%02d-%02d\t%lld days %s\t%s", ci.code,
				    tl.reg.due.year, tl.reg.due.month,
				    tl.reg.due.day, (long long)(dd >= today ?
				    dd - today : today - dd), dd >= today ? "left" :
				    "overdue", ci.inc.title);
				rows[shown++].due = dd;
			}
			timeline_free(&tl);
		}
		cli_incident_free(&ci);
	}
	PQclear(res);
	/* Soonest first. */
	for (i = 1; i < shown; i++)
		for (n = i; n > 0 && rows[n].due < rows[n - 1].due; n--) {
			struct row t = rows[n];

			rows[n] = rows[n - 1];
			rows[n - 1] = t;
		}
	for (i = 0; i < shown; i++)
		printf("%s\n", rows[i].line);
	if (shown == 0)
		fprintf(stderr, "sochi: no serious incident awaits its 詳報\n");
	free(rows);
	return 0;
}

static int
cmd_filed_exec(struct cli *cli, int argc, char **argv)
{
	struct wargs w;
	struct sochi_time t;
	char code[80], buf[40];
	json_t *ev;
	int rv;

	if ((rv = wargs_parse("filed", argc, argv, WO(W_INCIDENT) | WO(W_AT) |
	    WO(W_JSON), filed_usage, &w)) != 0)
		return rv > 0 ? 0 : EXIT_TROUBLE;
	snprintf(buf, sizeof(buf), "%sT00:00:00Z", w.v[W_AT] ? w.v[W_AT] : "");
	if (w.v[W_AT] == NULL || strlen(w.v[W_AT]) != 10 ||
	    rfc3339_parse(buf, &t) == -1) {
		fprintf(stderr, "sochi filed: --at: expected the day it was filed, "
		    "YYYY-MM-DD\n");
		return EXIT_TROUBLE;
	}
	if (cli_write_incident(cli, &w, code, sizeof(code)) == -1)
		return EXIT_TROUBLE;
	ev = cli_event(cli, &w, "incident", code, w.now);
	json_object_set_new(ev, "op", json_string("update"));
	json_object_set_new(ev, "filed", json_string(w.v[W_AT]));
	rv = cli_send_events(cli, &w, &ev, 1, NULL);
	json_decref(ev);
	return rv;
}
