/* SPDX-License-Identifier: MIT */
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
#include "drafts.h"
#include "incident.h"
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
	/*
	 * Every read of the CLI is one incident's rows by index.  PostgreSQL
	 * JIT-compiles a plan it estimates dear (an incident of a million
	 * events, the related lookup over many incidents), and compiling took
	 * seconds where running took milliseconds (DESIGN.md).  Only speed
	 * depends on it: a server without jit (before 11) is not asked, and
	 * a connection lost meanwhile fails the verb's own query.
	 */
	PQclear(pgsync_exec(cli->conn, "select case when "
	    "current_setting('server_version_num')::int >= 110000 then "
	    "set_config('jit', 'off', false) end", 0, NULL, err, sizeof(err)));
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
cli_table(struct cli *cli, const char *name)
{
	if (name == NULL)
		name = cli->cf.report.table;
	if (reg_table_named(name, &cli->table) == -1) {
		fprintf(stderr, "sochi: --table: expected %s, got \"%s\"\n",
		    reg_table_names(), name);
		return -1;
	}
	cli->table_chosen = 1;
	return 0;
}

void
cli_local_time(struct cli *cli, int64_t t, int seconds, struct sbuf *b)
{
	struct local_time lt;
	int off;

	cli_load_zone(cli);
	zone_local(&cli->zone, t, &lt);
	off = zone_offset(&cli->zone, t / 1000000) / 60;
	sbuf_printf(b, "%04d-%02d-%02d %02d:%02d", lt.year, lt.month, lt.day,
	    lt.hour, lt.min);
	if (seconds)
		sbuf_printf(b, ":%02d", lt.sec);
	sbuf_printf(b, "%c%02d:%02d", off < 0 ? '-' : '+', (off < 0 ? -off :
	    off) / 60, (off < 0 ? -off : off) % 60);
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

static int
load_incident(struct cli *cli, const char *code, struct store_incident *ci,
    int events)
{
	char err[1024];

	memset(ci, 0, sizeof(*ci));
	if (cli_db(cli) == -1 || cli_load_zone(cli) == -1)
		return -1;
	if ((events ? store_incident_read(cli->conn, code, ci, err,
	    sizeof(err)) : store_incident_read_row(cli->conn, code, ci, err,
	    sizeof(err))) == -1) {
		if (*err == '\0')
			fprintf(stderr, "sochi: no incident \"%s\" (`sochi list` "
			    "shows the recent ones)\n", code);
		else
			fprintf(stderr, "sochi: cannot read incident %s: %s\n",
			    code, err);
		return -1;
	}
	return 0;
}

int
cli_load_incident(struct cli *cli, const char *code, struct store_incident *ci)
{
	return load_incident(cli, code, ci, 1);
}

int
cli_load_incident_row(struct cli *cli, const char *code,
    struct store_incident *ci)
{
	return load_incident(cli, code, ci, 0);
}

int
cli_build(struct cli *cli, struct store_incident *ci, int64_t now,
    struct timeline *tl)
{
	struct tl_config tcf = { &cli->zone, &cli->cf.phases,
	    cli->cf.report.alert_actor };
	struct tl_options opt = { cli->as_of, NULL };

	if (!cli->table_chosen && cli_table(cli, NULL) == -1)
		return -1;
	opt.table = cli->table;
	if (timeline_build_opts(&ci->inc, ci->evs, ci->n, &tcf, &opt, now,
	    tl) == -1) {
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
cli_binary_out(const char *verb, const char *path, const char *data,
    size_t len)
{
	size_t off = 0, n;

	if (path != NULL)
		return cli_write_out(path, data, len);
	if (isatty(STDOUT_FILENO)) {
		fprintf(stderr, "sochi %s: this format is a binary file, not for "
		    "a terminal: give -o FILE, or redirect standard output to a "
		    "file or a pipe\n", verb);
		return -1;
	}
	while (off < len) {
		if ((n = fwrite(data + off, 1, len - off, stdout)) == 0) {
			fprintf(stderr, "sochi %s: standard output: %s\n", verb,
			    strerror(errno));
			return -1;
		}
		off += n;
	}
	if (fflush(stdout) == EOF) {
		fprintf(stderr, "sochi %s: standard output: %s\n", verb,
		    strerror(errno));
		return -1;
	}
	return 0;
}

int
cli_open_timeline(struct cli *cli, const char *incident, const char *now_s,
    int64_t *now, struct store_incident *ci, struct timeline *tl)
{
	char code[80];

	if (cli_now(now_s, now) == -1 ||
	    cli_pick_incident(cli, incident, code, sizeof(code)) == -1 ||
	    cli_load_incident(cli, code, ci) == -1)
		return -1;
	if (cli_build(cli, ci, *now, tl) == -1) {
		store_incident_free(ci);
		return -1;
	}
	return 0;
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
	res = pgsync_exec(cli->conn, STORE_DRAFT_BODY_SQL, 3, p, err,
	    sizeof(err));
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

char *
cli_draft_bytes(struct cli *cli, const char *code, int version,
    const char *format, size_t *len)
{
	char vb[16], err[512], *out = NULL;
	const char *p[3] = { code, vb, format };
	unsigned char *raw;
	PGresult *res;

	snprintf(vb, sizeof(vb), "%d", version);
	if (cli_db(cli) == -1)
		return NULL;
	res = pgsync_exec(cli->conn, "select d.data, (select string_agg("
	    "x.format, ',' order by x.format) from draft x where "
	    "x.incident_id = i.id and x.version = $2::int) from incident i "
	    "left join draft d on d.incident_id = i.id and d.version = $2::int "
	    "and d.format = $3 where i.code = $1", 3, p, err, sizeof(err));
	if (res == NULL) {
		fprintf(stderr, "sochi: %s\n", err);
		return NULL;
	}
	if (PQntuples(res) == 0 || PQgetisnull(res, 0, 1)) {
		fprintf(stderr, "sochi: %s has no draft version %d\n", code,
		    version);
	} else if (PQgetisnull(res, 0, 0)) {
		fprintf(stderr, "sochi: %s's draft version %d was stored as %s, "
		    "not %s ([drafts] formats names the formats drafts are "
		    "stored in)\n", code, version, PQgetvalue(res, 0, 1), format);
	} else if ((raw = PQunescapeBytea((const unsigned char *)PQgetvalue(res,
	    0, 0), len)) == NULL) {
		fprintf(stderr, "sochi: out of memory\n");
	} else {
		if ((out = malloc(*len + 1)) != NULL)
			memcpy(out, raw, *len);
		PQfreemem(raw);
	}
	PQclear(res);
	return out;
}
