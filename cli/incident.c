/*
 * The read side: incidents and their events straight from PostgreSQL, so
 * that a report can be made while sochid is down.  Blocking libpq is fine
 * here (one query, one answer); pgsync adds the time limit.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "conffile.h"
#include "pgrows.h"
#include "pgsync.h"
#include "rfc3339.h"
#include "sochi.h"

int
cli_db(struct cli *cli)
{
	char err[1024];
	const char *conninfo = cli->db != NULL ? cli->db : cli->cf.database;

	if (cli->conn != NULL)
		return 0;
	cli->conn = pgsync_connect(conninfo, 10, err, sizeof(err));
	if (cli->conn == NULL) {
		fprintf(stderr, "sochi: cannot connect to the database: %s "
		    "(set PGHOST/PGDATABASE, --db, or database in %s)\n", err,
		    cli->conf_path);
		return -1;
	}
	return 0;
}

int
cli_load_zone(struct cli *cli)
{
	char err[512];

	if (cli->zone_loaded)
		return 0;
	if (conffile_zone(cli->cf.timezone, &cli->zone, err,
	    sizeof(err)) == -1) {
		fprintf(stderr, "sochi: %s\n", err);
		return -1;
	}
	cli->zone_loaded = 1;
	return 0;
}

int
cli_now(const char *s, int64_t *now)
{
	struct sochi_time t;
	struct timespec ts;

	/* SOCHI_NOW stands in for the clock: reproducible runs and tests. */
	if (s == NULL && (s = getenv("SOCHI_NOW")) != NULL && *s == '\0')
		s = NULL;
	if (s == NULL) {
		clock_gettime(CLOCK_REALTIME, &ts);
		*now = (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
		return 0;
	}
	if (rfc3339_parse(s, &t) == -1) {
		fprintf(stderr, "sochi: --now or SOCHI_NOW: not an RFC 3339 time: "
		    "\"%s\"\n", s);
		return -1;
	}
	*now = t.usec;
	return 0;
}

int
cli_pick_incident(struct cli *cli, const char *opt, char *code, size_t len)
{
	const char *env = getenv("SOCHI_INCIDENT");
	char err[512];
	PGresult *res;
	int i, n;

	if (opt == NULL && env != NULL && *env != '\0')
		opt = env;
	if (opt != NULL) {
		snprintf(code, len, "%s", opt);
		return 0;
	}
	if (cli_db(cli) == -1)
		return -1;
	res = pgsync_exec(cli->conn, "select code, title from incident where "
	    "state = 'open' order by id", 0, NULL, err, sizeof(err));
	if (res == NULL) {
		fprintf(stderr, "sochi: cannot list incidents: %s\n", err);
		return -1;
	}
	n = PQntuples(res);
	if (n == 1) {
		snprintf(code, len, "%s", PQgetvalue(res, 0, 0));
		PQclear(res);
		return 0;
	}
	if (n == 0)
		fprintf(stderr, "sochi: no incident is open; name one with -i CODE "
		    "(`sochi list` shows the recent ones)\n");
	else {
		fprintf(stderr, "sochi: %d incidents are open; choose one with "
		    "-i CODE or SOCHI_INCIDENT:\n", n);
		for (i = 0; i < n; i++)
			fprintf(stderr, "  %s  %s\n", PQgetvalue(res, i, 0),
			    PQgetvalue(res, i, 1));
	}
	PQclear(res);
	return -1;
}

static const char *
val(PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col) ? NULL : PQgetvalue(res, row, col);
}

int
cli_load_incident(struct cli *cli, const char *code, struct cli_incident *ci)
{
	const char *params[1] = { code };
	char err[1024], idbuf[32];
	const char *idp[1] = { idbuf };
	int n;

	memset(ci, 0, sizeof(*ci));
	if (cli_db(cli) == -1 || cli_load_zone(cli) == -1)
		return -1;
	ci->res_inc = pgsync_exec(cli->conn, "select id, code, title, service, "
	    "category, location, equipment, (extract(epoch from opened_at) * "
	    "1000000)::bigint, state from incident where code = $1", 1, params,
	    err, sizeof(err));
	if (ci->res_inc == NULL) {
		fprintf(stderr, "sochi: cannot read incident %s: %s\n", code, err);
		return -1;
	}
	if (PQntuples(ci->res_inc) == 0) {
		fprintf(stderr, "sochi: no incident \"%s\" (`sochi list` shows "
		    "the recent ones)\n", code);
		cli_incident_free(ci);
		return -1;
	}
	ci->id = strtoll(PQgetvalue(ci->res_inc, 0, 0), NULL, 10);
	snprintf(ci->code, sizeof(ci->code), "%s", PQgetvalue(ci->res_inc, 0, 1));
	ci->inc.code = val(ci->res_inc, 0, 1);
	ci->inc.title = val(ci->res_inc, 0, 2);
	ci->inc.service = val(ci->res_inc, 0, 3);
	ci->inc.category = val(ci->res_inc, 0, 4) ?
	    atoi(val(ci->res_inc, 0, 4)) : 0;
	ci->inc.location = val(ci->res_inc, 0, 5);
	ci->inc.equipment = val(ci->res_inc, 0, 6);
	ci->inc.opened_at = strtoll(PQgetvalue(ci->res_inc, 0, 7), NULL, 10);
	ci->open = strcmp(PQgetvalue(ci->res_inc, 0, 8), "open") == 0;
	ci->inc.closed = !ci->open;

	snprintf(idbuf, sizeof(idbuf), "%lld", (long long)ci->id);
	ci->res_ev = pgsync_exec(cli->conn, PGROWS_EVENTS_SQL " order by "
	    "occurred_at, id", 1, idp, err, sizeof(err));
	if (ci->res_ev == NULL) {
		fprintf(stderr, "sochi: cannot read the events of %s: %s\n", code,
		    err);
		cli_incident_free(ci);
		return -1;
	}
	n = PQntuples(ci->res_ev);
	ci->evs = calloc((size_t)n + 1, sizeof(*ci->evs));
	if (ci->evs == NULL) {
		cli_incident_free(ci);
		return -1;
	}
	ci->n = pgrows_events(ci->res_ev, ci->evs, &ci->max_event);
	ci->tcf.zone = &cli->zone;
	ci->tcf.phases = &cli->cf.phases;
	ci->tcf.alert_actor = cli->cf.report.alert_actor;
	return 0;
}

void
cli_incident_free(struct cli_incident *ci)
{
	pgrows_events_free(ci->evs, ci->n);
	free(ci->evs);
	PQclear(ci->res_inc);
	PQclear(ci->res_ev);
	memset(ci, 0, sizeof(*ci));
}

int
cli_build(struct cli *cli, struct cli_incident *ci, int64_t now,
    struct timeline *tl)
{
	if (timeline_build(&ci->inc, ci->evs, ci->n, &ci->tcf, now, tl) == -1) {
		fprintf(stderr, "sochi: out of memory\n");
		return -1;
	}
	return 0;
}

/* Writes the whole of text to path atomically (a temporary file, then rename). */
int
cli_write_out(const char *path, const char *text, size_t len)
{
	char tmp[4096];
	size_t off = 0;
	ssize_t n;
	int fd;

	snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid());
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) ==
	    -1) {
		fprintf(stderr, "sochi: %s: %s\n", tmp, strerror(errno));
		return -1;
	}
	while (off < len) {
		if ((n = write(fd, text + off, len - off)) == -1) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "sochi: %s: %s\n", tmp, strerror(errno));
			close(fd);
			unlink(tmp);
			return -1;
		}
		off += (size_t)n;
	}
	if (fsync(fd) == -1 || close(fd) == -1 || rename(tmp, path) == -1) {
		fprintf(stderr, "sochi: %s: %s\n", path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

int
cli_open_timeline(struct cli *cli, const char *incident, const char *now_s,
    int64_t *now, struct cli_incident *ci, struct timeline *tl)
{
	char code[80];

	if (cli_now(now_s, now) == -1 ||
	    cli_pick_incident(cli, incident, code, sizeof(code)) == -1 ||
	    cli_load_incident(cli, code, ci) == -1)
		return -1;
	if (cli_build(cli, ci, *now, tl) == -1) {
		cli_incident_free(ci);
		return -1;
	}
	return 0;
}
