/* SPDX-License-Identifier: MIT */
/*
 * sochi alerts [--unattached]: alerts from monitoring, with the incident
 * each belongs to; sochi attach ALERT_ID ties an unattached one to an
 * incident (a new alert event that supersedes it: the log keeps both).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "pgsync.h"
#include "wareki.h"
#include "write.h"

static int	cmd_alerts_exec(struct cli *, int, char **);
static int	cmd_attach_exec(struct cli *, int, char **);

const struct cmd_entry cmd_alerts_entry = {
	"alerts", "[--unattached] [--all] [--format text|csv]",
	"alerts from monitoring and their incidents", cmd_alerts_exec
};

const struct cmd_entry cmd_attach_entry = {
	"attach", "ALERT_ID [-i CODE]",
	"tie an unattached alert to an incident", cmd_attach_exec
};

static void
alerts_usage(FILE *fp)
{
	fprintf(fp, "usage: sochi alerts [--unattached] [--all] [--format text|csv]\n"
	    "Lists the alerts monitoring sent (the latest 100; --all: every one):\n"
	    "id, time (in the carrier's zone, with its offset), status, alert,\n"
	    "instance, incident (- if none), source.\n"
	    "  --unattached     only those that belong to no incident (no rule\n"
	    "                   matched them): `sochi attach ID` ties one\n"
	    "  --all            every alert, the superseded and retracted ones too,\n"
	    "                   with their state (current, superseded, retracted)\n"
	    "                   as a last column\n"
	    "  -f, --format F   text (default) or csv (RFC 4180, UTF-8 with a BOM,\n"
	    "                   CRLF): id, time, status, name, instance, incident,\n"
	    "                   source, recorded_by, fingerprint, supersedes,\n"
	    "                   superseded_by, retracted_by, state\n");
}

static void
attach_usage(FILE *fp)
{
	fprintf(fp, "usage: sochi attach ALERT_ID [-i CODE]\n"
	    "Ties an alert that belongs to no incident to one: it then shows in\n"
	    "that incident's timeline (firing: 障害検知, resolved: 復旧対処).\n"
	    "  -i, --incident CODE  the incident (default: $SOCHI_INCIDENT, else the\n"
	    "                       only open incident)\n"
	    "  --json               print sochid's answer as it is\n");
}

static int
cmd_alerts_exec(struct cli *cli, int argc, char **argv)
{
	static const char *const header[] = { "id", "time", "status", "name",
	    "instance", "incident", "source", "recorded_by", "fingerprint",
	    "supersedes", "superseded_by", "retracted_by", "state", NULL };
	int unattached = 0, all = 0, csv = 0, i, k, n;
	char err[512];
	PGresult *res;
	struct sbuf q = SBUF_INIT, out = SBUF_INIT;

	for (i = 1; i < argc; i++) {
		const char *f = NULL;

		if (strcmp(argv[i], "--unattached") == 0)
			unattached = 1;
		else if (strcmp(argv[i], "--all") == 0)
			all = 1;
		else if (strcmp(argv[i], "-f") == 0 ||
		    strcmp(argv[i], "--format") == 0) {
			if (i + 1 == argc) {
				fprintf(stderr, "sochi alerts: %s: expected text "
				    "or csv\n", argv[i]);
				return EXIT_TROUBLE;
			}
			f = argv[++i];
		} else if (strncmp(argv[i], "--format=", 9) == 0)
			f = argv[i] + 9;
		else if (strcmp(argv[i], "-h") == 0 ||
		    strcmp(argv[i], "--help") == 0) {
			alerts_usage(stdout);
			return 0;
		} else {
			fprintf(stderr, "sochi alerts: unknown argument: %s\n",
			    argv[i]);
			alerts_usage(stderr);
			return EXIT_TROUBLE;
		}
		if (f != NULL && strcmp(f, "csv") == 0)
			csv = 1;
		else if (f != NULL && strcmp(f, "text") == 0)
			csv = 0;
		else if (f != NULL) {
			fprintf(stderr, "sochi alerts: --format: expected text or "
			    "csv, got \"%s\"\n", f);
			return EXIT_TROUBLE;
		}
	}
	if (cli_db(cli) == -1 || cli_load_zone(cli) == -1)
		return EXIT_TROUBLE;
	/*
	 * An alert is superseded when another event names it (an attach, a
	 * correction) and retracted when a retraction targets it: the rule
	 * the listing has always used to leave them out.
	 */
	sbuf_adds(&q, "select e.id, (extract(epoch from e.occurred_at) * 1000000)"
	    "::bigint, e.data->>'status', e.data->>'name', "
	    "coalesce(e.data->'labels'->>'instance', ''), coalesce(i.code, '-'), "
	    "e.source, e.recorded_by, e.data->>'fingerprint', e.supersedes, "
	    "(select max(x.id) from event x where x.supersedes = e.id), "
	    "(select min(r.id) from event r where r.kind = 'retract' and "
	    "(r.data->>'target')::bigint = e.id) "
	    "from event e left join incident i on i.id = e.incident_id "
	    "where e.kind = 'alert'");
	if (!all)
		sbuf_adds(&q, " and not exists (select 1 from event x where "
		    "x.supersedes = e.id) and not exists (select 1 from event r "
		    "where r.kind = 'retract' and (r.data->>'target')::bigint = "
		    "e.id)");
	if (unattached)
		sbuf_adds(&q, " and e.incident_id is null");
	sbuf_adds(&q, " order by e.occurred_at desc, e.id desc");
	if (!all)
		sbuf_adds(&q, " limit 100");
	res = pgsync_exec(cli->conn, q.data, 0, NULL, err, sizeof(err));
	sbuf_free(&q);
	if (res == NULL) {
		fprintf(stderr, "sochi alerts: %s\n", err);
		return EXIT_TROUBLE;
	}
	n = PQntuples(res);
	if (csv) {
		sbuf_adds(&out, CSV_BOM);
		csv_row(&out, header);
	}
	for (i = 0; i < n; i++) {
		struct sbuf t = SBUF_INIT;
		const char *state = !PQgetisnull(res, i, 11) ? "retracted" :
		    !PQgetisnull(res, i, 10) ? "superseded" : "current";

		if (csv) {
			csv_field(&out, PQgetvalue(res, i, 0), 1);
			csv_time(&cli->zone, strtoll(PQgetvalue(res, i, 1), NULL,
			    10), &t);
			csv_field(&out, t.data, 0);
			for (k = 2; k <= 11; k++)
				csv_field(&out, PQgetisnull(res, i, k) ? NULL :
				    k == 5 && strcmp(PQgetvalue(res, i, k), "-") ==
				    0 ? NULL : PQgetvalue(res, i, k), 0);
			csv_field(&out, state, 0);
			csv_end(&out);
		} else {
			cli_local_time(cli, strtoll(PQgetvalue(res, i, 1), NULL,
			    10), 0, &t);
			sbuf_printf(&out, "%s\t%s\t%s\t%s\t%s\t%s\t%s",
			    PQgetvalue(res, i, 0), t.data, PQgetvalue(res, i, 2),
			    PQgetvalue(res, i, 3), PQgetvalue(res, i, 4),
			    PQgetvalue(res, i, 5), PQgetvalue(res, i, 6));
			if (all)
				sbuf_printf(&out, "\t%s", state);
			sbuf_addc(&out, '\n');
		}
		sbuf_free(&t);
	}
	if (out.len > 0)
		fwrite(out.data, 1, out.len, stdout);
	sbuf_free(&out);
	if (n == 0)
		fprintf(stderr, "sochi: no %salerts\n", unattached ?
		    "unattached " : "");
	PQclear(res);
	return 0;
}

static int
cmd_attach_exec(struct cli *cli, int argc, char **argv)
{
	static const char *const keep[] = { "status", "name", "labels",
	    "annotations", "fingerprint", NULL };
	struct wargs w;
	char err[512], idbuf[32], code[80];
	const char *p[1] = { idbuf };
	const char *const *k;
	json_error_t jerr;
	json_t *ev, *data;
	PGresult *res;
	int64_t id;
	int rv;

	if ((rv = wargs_parse("attach", argc, argv, WO(W_INCIDENT) | WO(W_JSON),
	    attach_usage, &w)) != 0)
		return rv > 0 ? 0 : EXIT_TROUBLE;
	if (w.argc != 1 || wargs_count("attach", "ALERT_ID", w.argv[0], &id) ==
	    -1) {
		attach_usage(stderr);
		return EXIT_TROUBLE;
	}
	if (cli_write_incident(cli, &w, code, sizeof(code)) == -1 ||
	    cli_db(cli) == -1 || cli_load_zone(cli) == -1)
		return EXIT_TROUBLE;
	snprintf(idbuf, sizeof(idbuf), "%lld", (long long)id);
	res = pgsync_exec(cli->conn, "select (extract(epoch from occurred_at) * "
	    "1000000)::bigint, actor, data::text, incident_id is null and not "
	    "exists (select 1 from event x where x.supersedes = e.id) from event "
	    "e where id = $1 and kind = 'alert'", 1, p, err, sizeof(err));
	if (res == NULL || PQntuples(res) == 0) {
		fprintf(stderr, "sochi attach: %s\n", res == NULL ? err :
		    "no alert with that id");
		PQclear(res);
		return EXIT_TROUBLE;
	}
	if (strcmp(PQgetvalue(res, 0, 3), "t") != 0) {
		fprintf(stderr, "sochi attach: alert %lld already belongs to an "
		    "incident\n", (long long)id);
		PQclear(res);
		return EXIT_TROUBLE;
	}
	if (!PQgetisnull(res, 0, 1))
		w.v[W_ACTOR] = PQgetvalue(res, 0, 1);
	ev = cli_event(cli, &w, "alert", code, strtoll(PQgetvalue(res, 0, 0),
	    NULL, 10));
	data = json_loads(PQgetvalue(res, 0, 2), 0, &jerr);
	for (k = keep; *k != NULL; k++)
		if (json_object_get(data, *k) != NULL)
			json_object_set(ev, *k, json_object_get(data, *k));
	json_decref(data);
	json_object_set_new(ev, "supersedes", json_integer(id));
	rv = cli_send_events(cli, &w, &ev, 1, NULL);
	json_decref(ev);
	PQclear(res);
	return rv;
}
