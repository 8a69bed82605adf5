/* SPDX-License-Identifier: MIT */
/*
 * Configuration.  Each key is one row of keys[] below: its section, name,
 * type, default and whether SIGHUP reloads it.  Defaults are applied by
 * parsing their text through the same setters, so a default can never be a
 * value the file would refuse.
 */

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ini.h>

#include "config.h"
#include "correlate.h"
#include "regulation.h"
#include "sha256.h"
#include "syslog_rule.h"


enum ctype {
	CT_STRING,		/* any text */
	CT_PATH,		/* empty or an absolute path */
	CT_INT,			/* a decimal integer within [min, max] */
	CT_MODE,		/* an octal file mode */
	CT_LISTEN,		/* empty, host, host:port or [v6]:port */
	CT_LEVEL,		/* error|warn|info|debug */
	CT_ZONE,		/* a zone name such as Asia/Tokyo */
	CT_TABLE,		/* a threshold table's name (lib/regulation.c) */
	CT_JOURNAL		/* outage or off */
};

struct ckey {
	const char	*section;	/* [section] it belongs to */
	const char	*name;		/* key within it */
	enum ctype	 type;		/* how its value is read */
	size_t		 offset;	/* where it lands in struct sochi_config */
	const char	*def;		/* default, as it would be written */
	long		 min, max;	/* CT_INT bounds */
	int		 reloadable;	/* SIGHUP applies it */
};

#define OFF(f)	offsetof(struct sochi_config, f)

/*
 * The directories configure chose (Makefile.am passes them), so that the
 * defaults agree with the installed unit, man pages and example config.
 */
#ifndef SOCHI_RUNSTATEDIR
#define SOCHI_RUNSTATEDIR	"/run"
#endif
#ifndef SOCHI_LOCALSTATEDIR
#define SOCHI_LOCALSTATEDIR	"/var"
#endif

static const struct ckey keys[] = {
	{ "sochid", "database", CT_STRING, OFF(database), "", 0, 0, 0 },
	{ "sochid", "socket", CT_PATH, OFF(socket),
	    SOCHI_RUNSTATEDIR "/sochi/sochid.sock", 0, 0, 0 },
	{ "sochid", "socket_mode", CT_MODE, OFF(socket_mode), "0660", 0, 0, 0 },
	{ "sochid", "socket_group", CT_STRING, OFF(socket_group), "", 0, 0, 0 },
	{ "sochid", "listen_tcp", CT_LISTEN, OFF(listen_tcp), "127.0.0.1", 0, 0,
	    0 },
	{ "sochid", "listen_http", CT_LISTEN, OFF(listen_http), "127.0.0.1", 0,
	    0, 0 },
	{ "sochid", "listen_syslog_udp", CT_LISTEN, OFF(listen_syslog_udp), "",
	    0, 0, 0 },
	{ "sochid", "listen_syslog_tcp", CT_LISTEN, OFF(listen_syslog_tcp), "",
	    0, 0, 0 },
	{ "sochid", "state_dir", CT_PATH, OFF(state_dir),
	    SOCHI_LOCALSTATEDIR "/lib/sochi", 0, 0, 0 },
	{ "sochid", "tokens_file", CT_PATH, OFF(tokens_file), "", 0, 0, 1 },
	{ "sochid", "timezone", CT_ZONE, OFF(timezone), "Asia/Tokyo", 0, 0, 0 },
	{ "sochid", "max_line_bytes", CT_INT, OFF(max_line_bytes), "65536",
	    256, 16 * 1024 * 1024, 1 },
	{ "sochid", "max_body_bytes", CT_INT, OFF(max_body_bytes), "8388608",
	    1024, 1024L * 1024 * 1024, 1 },
	{ "sochid", "max_pending", CT_INT, OFF(max_pending), "1024", 1, 1000000,
	    1 },
	{ "sochid", "max_clients_unix", CT_INT, OFF(max_clients_unix), "256", 1,
	    100000, 1 },
	{ "sochid", "max_clients_tcp", CT_INT, OFF(max_clients_tcp), "1024", 1,
	    100000, 1 },
	{ "sochid", "max_clients_http", CT_INT, OFF(max_clients_http), "1024",
	    1, 100000, 1 },
	{ "sochid", "max_clients_syslog", CT_INT, OFF(max_clients_syslog),
	    "256", 1, 100000, 0 },
	{ "sochid", "auth_timeout", CT_INT, OFF(auth_timeout), "10", 1, 3600,
	    1 },
	{ "sochid", "idle_timeout", CT_INT, OFF(idle_timeout), "300", 1, 86400,
	    1 },
	{ "sochid", "http_request_timeout", CT_INT, OFF(http_request_timeout),
	    "30", 1, 3600, 1 },
	{ "sochid", "batch_max", CT_INT, OFF(batch_max), "4096", 1, 100000, 1 },
	{ "sochid", "write_timeout", CT_INT, OFF(write_timeout), "30", 1, 86400,
	    0 },
	{ "sochid", "max_pending_bytes", CT_INT, OFF(max_pending_bytes),
	    "67108864", 65536, 64L * 1024 * 1024 * 1024, 1 },
	{ "sochid", "pipeline_depth", CT_INT, OFF(pipeline_depth), "2", 1, 16,
	    0 },
	{ "sochid", "journal", CT_JOURNAL, OFF(journal), "outage", 0, 0, 0 },
	{ "sochid", "journal_max_bytes", CT_INT, OFF(journal_max_bytes),
	    "1073741824", 1048576, 1024L * 1024 * 1024 * 1024, 0 },
	{ "sochid", "log_level", CT_LEVEL, OFF(log_level), "info", 0, 0, 1 },
	{ "drafts", "spool_dir", CT_PATH, OFF(drafts.spool_dir), "", 0, 0, 0 },
	{ "drafts", "formats", CT_STRING, OFF(drafts.formats), "text,html", 0, 0,
	    1 },
	{ "drafts", "notify_command", CT_STRING, OFF(drafts.notify_command), "",
	    0, 0, 1 },
	{ "drafts", "notify_timeout", CT_INT, OFF(drafts.notify_timeout), "30",
	    1, 3600, 1 },
	{ "drafts", "notify_url", CT_STRING, OFF(drafts.notify_url), "", 0, 0,
	    1 },
	{ "report", "company", CT_STRING, OFF(report.company), "", 0, 0, 1 },
	{ "report", "company_kana", CT_STRING, OFF(report.company_kana), "", 0,
	    0, 1 },
	{ "report", "representative", CT_STRING, OFF(report.representative), "",
	    0, 0, 1 },
	{ "report", "postal_code", CT_STRING, OFF(report.postal_code), "", 0, 0,
	    1 },
	{ "report", "address", CT_STRING, OFF(report.address), "", 0, 0, 1 },
	{ "report", "address_kana", CT_STRING, OFF(report.address_kana), "", 0,
	    0, 1 },
	{ "report", "registration_date", CT_STRING,
	    OFF(report.registration_date), "", 0, 0, 1 },
	{ "report", "registration_number", CT_STRING,
	    OFF(report.registration_number), "", 0, 0, 1 },
	{ "report", "contact_phone", CT_STRING, OFF(report.contact_phone), "",
	    0, 0, 1 },
	{ "report", "contact_department", CT_STRING,
	    OFF(report.contact_department), "", 0, 0, 1 },
	{ "report", "contact_person", CT_STRING, OFF(report.contact_person), "",
	    0, 0, 1 },
	{ "report", "general_manager", CT_STRING, OFF(report.general_manager),
	    "", 0, 0, 1 },
	{ "report", "chief_engineer", CT_STRING, OFF(report.chief_engineer), "",
	    0, 0, 1 },
	{ "report", "table", CT_TABLE, OFF(report.table), "in-force", 0, 0, 1 },
	{ "report", "related_years", CT_INT, OFF(report.related_years), "5", 1,
	    100, 1 },
	{ "report", "alert_actor", CT_STRING, OFF(report.alert_actor),
	    "監視業務部門", 0, 0, 1 },
	{ "report", "chromium", CT_PATH, OFF(report.chromium),
	    "/usr/bin/chromium", 0, 0, 1 },
	{ "syslog", "allow", CT_STRING, OFF(syslog.allow), "127.0.0.1, ::1", 0,
	    0, 0 },
	{ "syslog", "timezone", CT_STRING, OFF(syslog.timezone), "", 0, 0, 0 },
	{ "syslog", "sender_timezones", CT_STRING,
	    OFF(syslog.sender_timezones), "", 0, 0, 0 },
	{ "syslog", "max_message_bytes", CT_INT, OFF(syslog.max_message_bytes),
	    "8192", 480, 1024 * 1024, 0 },
	{ "web", "max_clients", CT_INT, OFF(web.max_clients), "64", 1, 10000,
	    0 },
	{ "web", "read_without_token", CT_STRING, OFF(web.read_without_token),
	    "127.0.0.1, ::1", 0, 0, 0 },
	{ "web", "timeout", CT_INT, OFF(web.timeout), "30", 1, 3600, 0 },
	{ NULL, NULL, CT_STRING, 0, NULL, 0, 0, 0 }
};

/*
 * The maps: sections whose keys are the user's own names.  A section given
 * in a file replaces the map as a whole (the defaults, or what a file read
 * before said: the CLI reads the user's file over sochid.conf).  The
 * tokens come from tokens_file, never from sochid.conf, so that
 * sochid.conf holds no secret and can be read by everyone.
 */
static const struct {
	const char	*section;	/* [section] */
	size_t		 offset;	/* its struct config_map */
	int		 secret;	/* values masked when printed */
	int		 reloadable;	/* SIGHUP applies it */
} maps[] = {
	{ "tokens", OFF(tokens), 1, 1 },
	{ "phases", OFF(phases), 0, 1 },
	{ "actors", OFF(actors), 0, 1 },
	{ NULL, 0, 0, 0 }
};
#define MAP_TOKENS	0

/* The other sections: [rule.NAME] are compiled again on SIGHUP; the
 * syslog listener's rules and the Zabbix zone are taken at start. */
#define RULES_RELOADABLE	1
#define SYSLOG_RULES_RELOADABLE	0
#define ZABBIX_ZONE_RELOADABLE	0

static const char *const default_phases[][2] = {
	{ "work", "作業" },
	{ "detect", "障害検知" },
	{ "identify", "障害箇所の特定" },
	{ "recover", "復旧対処" },
	{ "notify", "連絡" },
	{ "followup", "事後対応" },
};

static const char *const level_names[] = { "error", "warn", "info", "debug" };

struct parse_ctx {
	struct sochi_config *cf;	/* what is being filled */
	char		*err;		/* first error, without file and line */
	size_t		 errlen;	/* its size */
	int		 failed;	/* an error was recorded */
	unsigned char	 seen[128];	/* keys[] rows already given */
	unsigned char	 map_given[8];	/* maps[] sections seen: old pairs dropped */
	config_zone_check zone_ok;	/* the caller's zone lookup, or NULL */
};
/* A key added past seen[]'s size would be marked outside it. */
_Static_assert(sizeof(keys) / sizeof(keys[0]) <=
    sizeof(((struct parse_ctx *)0)->seen), "seen[] is smaller than keys[]");

const char *
log_level_name(enum log_level l)
{
	return (unsigned)l < 4 ? level_names[l] : "?";
}

static int
map_add(struct config_map *m, const char *name, const char *value)
{
	struct config_pair *p;

	p = realloc(m->pairs, (m->n + 1) * sizeof(*p));
	if (p == NULL)
		return -1;
	m->pairs = p;
	p[m->n].name = strdup(name);
	p[m->n].value = strdup(value);
	if (p[m->n].name == NULL || p[m->n].value == NULL) {
		free(p[m->n].name);
		free(p[m->n].value);
		return -1;
	}
	m->n++;
	return 0;
}

static void
map_free(struct config_map *m)
{
	size_t i;

	for (i = 0; i < m->n; i++) {
		free(m->pairs[i].name);
		free(m->pairs[i].value);
	}
	free(m->pairs);
	m->pairs = NULL;
	m->n = 0;
}

const char *
config_map_get(const struct config_map *m, const char *name)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		if (strcmp(m->pairs[i].name, name) == 0)
			return m->pairs[i].value;
	return NULL;
}

int
config_split_listen(const char *s, char *host, size_t hostlen, int *port,
    int defport)
{
	const char *colon, *end;
	char *ep;
	long p;
	size_t n;

	if (*s == '[') {
		if ((end = strchr(s, ']')) == NULL)
			return -1;
		n = (size_t)(end - s - 1);
		s++;
		colon = end[1] == ':' ? end + 1 : NULL;
		if (end[1] != '\0' && end[1] != ':')
			return -1;
	} else {
		colon = strrchr(s, ':');
		if (colon != NULL && strchr(s, ':') != colon)
			return -1;	/* a bare IPv6 address needs brackets */
		n = colon ? (size_t)(colon - s) : strlen(s);
	}
	if (n == 0 || n >= hostlen)
		return -1;
	memcpy(host, s, n);
	host[n] = '\0';
	*port = defport;
	if (colon != NULL) {
		errno = 0;
		p = strtol(colon + 1, &ep, 10);
		if (colon[1] == '\0' || *ep != '\0' || errno || p < 1 ||
		    p > 65535)
			return -1;
		*port = (int)p;
	}
	return 0;
}

static int
valid_zone(const char *s)
{
	const char *p;

	if (*s == '\0' || *s == '/' || strstr(s, "..") != NULL)
		return 0;
	for (p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '/' || *p == '_' ||
		    *p == '-' || *p == '+'))
			return 0;
	return 1;
}

static int
set_key(struct parse_ctx *ctx, const struct ckey *k, const char *value)
{
	char *base = (char *)ctx->cf + k->offset;
	char host[256], *ep, *copy;
	const struct reg_table *table;
	long v;
	int port;
	unsigned i;

	switch (k->type) {
	case CT_PATH:
		if (*value != '\0' && *value != '/') {
			snprintf(ctx->err, ctx->errlen, "%s: expected an absolute "
			    "path, got \"%s\"", k->name, value);
			return -1;
		}
		break;
	case CT_LISTEN:
		if (*value != '\0' && config_split_listen(value, host,
		    sizeof(host), &port, 1) == -1) {
			snprintf(ctx->err, ctx->errlen, "%s: expected host, "
			    "host:port or [v6]:port, got \"%s\"", k->name, value);
			return -1;
		}
		break;
	case CT_ZONE:
		if (!valid_zone(value)) {
			snprintf(ctx->err, ctx->errlen, "%s: not a zone name "
			    "such as Asia/Tokyo: \"%s\"", k->name, value);
			return -1;
		}
		if (ctx->zone_ok != NULL && !ctx->zone_ok(value)) {
			snprintf(ctx->err, ctx->errlen, "%s: no such zone in the "
			    "system's zone database: \"%s\"", k->name, value);
			return -1;
		}
		break;
	case CT_TABLE:
		if (reg_table_named(value, &table) == -1) {
			snprintf(ctx->err, ctx->errlen, "%s: expected %s, got "
			    "\"%s\"", k->name, reg_table_names(), value);
			return -1;
		}
		break;
	case CT_INT:
		errno = 0;
		v = strtol(value, &ep, 10);
		if (*value == '\0' || *ep != '\0' || errno || v < k->min ||
		    v > k->max) {
			snprintf(ctx->err, ctx->errlen, "%s: expected an integer "
			    "from %ld to %ld, got \"%s\"", k->name, k->min, k->max,
			    value);
			return -1;
		}
		*(long *)(void *)base = v;
		return 0;
	case CT_MODE:
		errno = 0;
		v = strtol(value, &ep, 8);
		if (*value == '\0' || *ep != '\0' || errno || v < 0 ||
		    v > 0777) {
			snprintf(ctx->err, ctx->errlen, "%s: expected an octal "
			    "mode such as 0660, got \"%s\"", k->name, value);
			return -1;
		}
		*(unsigned *)(void *)base = (unsigned)v;
		return 0;
	case CT_LEVEL:
		for (i = 0; i < 4; i++)
			if (strcmp(value, level_names[i]) == 0) {
				*(enum log_level *)(void *)base =
				    (enum log_level)i;
				return 0;
			}
		snprintf(ctx->err, ctx->errlen, "%s: expected error, warn, info "
		    "or debug, got \"%s\"", k->name, value);
		return -1;
	case CT_JOURNAL:
		if (strcmp(value, "outage") != 0 && strcmp(value, "off") != 0) {
			snprintf(ctx->err, ctx->errlen, "%s: expected outage or "
			    "off, got \"%s\"", k->name, value);
			return -1;
		}
		break;
	case CT_STRING:
		break;
	}
	if ((copy = strdup(value)) == NULL) {
		snprintf(ctx->err, ctx->errlen, "%s: out of memory", k->name);
		return -1;
	}
	free(*(char **)(void *)base);
	*(char **)(void *)base = copy;
	return 0;
}

static struct config_rule *
rule_get(struct sochi_config *cf, const char *name)
{
	struct config_rule *p;
	size_t i;

	for (i = 0; i < cf->nrules; i++)
		if (strcmp(cf->rules[i].name, name) == 0)
			return &cf->rules[i];
	if ((p = realloc(cf->rules, (cf->nrules + 1) * sizeof(*p))) == NULL)
		return NULL;
	cf->rules = p;
	p = &cf->rules[cf->nrules++];
	memset(p, 0, sizeof(*p));
	if ((p->name = strdup(name)) == NULL) {
		cf->nrules--;
		return NULL;
	}
	return p;
}

static int
set_str(char **dst, const char *v)
{
	char *c = strdup(v);

	if (c == NULL)
		return -1;
	free(*dst);
	*dst = c;
	return 0;
}

/* One key of a [rule.NAME] section. */
static int
rule_key(struct parse_ctx *ctx, const char *rname, const char *k,
    const char *v)
{
	struct config_rule *r = rule_get(ctx->cf, rname);
	const char *sp;

	if (r == NULL) {
		snprintf(ctx->err, ctx->errlen, "out of memory");
		return -1;
	}
	if (strcmp(k, "match") == 0) {
		char msg[400];

		if (correlate_check(v, msg, sizeof(msg)) == -1) {
			snprintf(ctx->err, ctx->errlen, "[rule.%s] %s", rname, msg);
			return -1;
		}
		return set_str(&r->match, v);
	}
	if (strcmp(k, "title") == 0)
		return set_str(&r->title, v);
	if (strcmp(k, "service") == 0)
		return set_str(&r->service, v);
	if (strcmp(k, "actor") == 0)
		return set_str(&r->actor, v);
	if (strcmp(k, "category") == 0) {
		if (strlen(v) != 1 || v[0] < '1' || v[0] > '5') {
			snprintf(ctx->err, ctx->errlen, "[rule.%s] category: "
			    "expected 1 to 5, got \"%s\"", rname, v);
			return -1;
		}
		r->category = v[0] - '0';
		return 0;
	}
	if (strcmp(k, "open") == 0) {
		if (strcmp(v, "yes") != 0 && strcmp(v, "no") != 0) {
			snprintf(ctx->err, ctx->errlen, "[rule.%s] open: expected "
			    "yes or no, got \"%s\"", rname, v);
			return -1;
		}
		r->open = strcmp(v, "yes") == 0;
		return 0;
	}
	if (strcmp(k, "impact") == 0) {
		/* "NAME LABEL": the impact's short id, then what users lose. */
		if ((sp = strchr(v, ' ')) == NULL || sp == v) {
			snprintf(ctx->err, ctx->errlen, "[rule.%s] impact: expected "
			    "\"NAME LABEL\", got \"%s\"", rname, v);
			return -1;
		}
		free(r->impact_name);
		if ((r->impact_name = strndup(v, (size_t)(sp - v))) == NULL)
			return -1;
		while (*sp == ' ')
			sp++;
		return set_str(&r->impact_label, sp);
	}
	snprintf(ctx->err, ctx->errlen, "[rule.%s] %s: unknown key (match, title, "
	    "service, category, impact, actor, open)", rname, k);
	return -1;
}

static int
handler(void *arg, const char *section, const char *name, const char *value)
{
	struct parse_ctx *ctx = arg;
	const struct ckey *k;
	struct config_map *m;
	unsigned i;

	if (ctx->failed)
		return 1;	/* keep the first error; inih goes on */
	for (k = keys; k->name != NULL; k++) {
		if (strcmp(k->section, section) != 0 ||
		    strcmp(k->name, name) != 0)
			continue;
		if (ctx->seen[k - keys]) {
			snprintf(ctx->err, ctx->errlen, "%s: given twice", name);
			goto bad;
		}
		ctx->seen[k - keys] = 1;
		if (set_key(ctx, k, value) == -1)
			goto bad;
		return 1;
	}
	for (i = 0; maps[i].section != NULL; i++) {
		if (strcmp(maps[i].section, section) != 0)
			continue;
		if (i == MAP_TOKENS) {
			snprintf(ctx->err, ctx->errlen, "[tokens] %s: tokens no "
			    "longer belong in this file, which holds no secret: "
			    "move each \"name = secret\" line of [tokens] to the "
			    "file tokens_file names (mode 0640 or stricter), set "
			    "tokens_file under [sochid], and remove [tokens] here",
			    name);
			goto bad;
		}
		m = (struct config_map *)(void *)((char *)ctx->cf +
		    maps[i].offset);
		if (!ctx->map_given[i]) {
			map_free(m);
			ctx->map_given[i] = 1;
		}
		if (config_map_get(m, name) != NULL) {
			snprintf(ctx->err, ctx->errlen, "[%s] %s: given twice",
			    section, name);
			goto bad;
		}
		if (*value == '\0') {
			snprintf(ctx->err, ctx->errlen, "[%s] %s: empty value",
			    section, name);
			goto bad;
		}
		if (map_add(m, name, value) == -1) {
			snprintf(ctx->err, ctx->errlen, "out of memory");
			goto bad;
		}
		return 1;
	}
	if (strncmp(section, "rule.", 5) == 0 && section[5] != '\0') {
		if (rule_key(ctx, section + 5, name, value) == -1)
			goto bad;
		return 1;
	}
	if (strncmp(section, "syslog.", 7) == 0 && section[7] != '\0') {
		if (syslog_rule_key(ctx->cf, section + 7, name, value, ctx->err,
		    ctx->errlen) == -1)
			goto bad;
		return 1;
	}
	if (strcmp(section, "source.zabbix") == 0 && strcmp(name, "timezone") == 0) {
		if (!valid_zone(value) || (ctx->zone_ok && !ctx->zone_ok(value))) {
			snprintf(ctx->err, ctx->errlen, "[source.zabbix] timezone: "
			    "no such zone \"%s\"", value);
			goto bad;
		}
		free(ctx->cf->zabbix_timezone);
		if ((ctx->cf->zabbix_timezone = strdup(value)) == NULL)
			goto bad;
		return 1;
	}
	if (*section == '\0')
		snprintf(ctx->err, ctx->errlen, "%s: outside any section (keys "
		    "of sochid belong under [sochid])", name);
	else
		snprintf(ctx->err, ctx->errlen, "[%s] %s: unknown key", section,
		    name);
bad:
	ctx->failed = 1;
	return 0;
}

/* [web] read_without_token, parsed. */
static int
web_config_finish(struct sochi_config *cf, char *err, size_t errlen)
{
	char why[200];

	netlist_free(&cf->web.open_list);
	if (netlist_parse(cf->web.read_without_token, 0, &cf->web.open_list,
	    why, sizeof(why)) == -1) {
		snprintf(err, errlen, "[web] read_without_token: %s", why);
		return -1;
	}
	return 0;
}

static int
build_phase_ids(struct sochi_config *cf)
{
	size_t i;

	free(cf->phase_ids);
	cf->phase_ids = calloc(cf->phases.n + 1, sizeof(char *));
	if (cf->phase_ids == NULL)
		return -1;
	for (i = 0; i < cf->phases.n; i++)
		cf->phase_ids[i] = cf->phases.pairs[i].name;
	return 0;
}

void
config_init(struct sochi_config *cf)
{
	struct parse_ctx ctx;
	const struct ckey *k;
	char err[256];
	size_t i;

	memset(cf, 0, sizeof(*cf));
	memset(&ctx, 0, sizeof(ctx));
	ctx.cf = cf;
	ctx.err = err;
	ctx.errlen = sizeof(err);
	for (k = keys; k->name != NULL; k++)
		(void)set_key(&ctx, k, k->def);
	for (i = 0; i < sizeof(default_phases) / sizeof(default_phases[0]); i++)
		(void)map_add(&cf->phases, default_phases[i][0],
		    default_phases[i][1]);
	(void)build_phase_ids(cf);
	(void)syslog_config_finish(cf, NULL, err, sizeof(err));
	(void)web_config_finish(cf, err, sizeof(err));
}

int
config_parse(struct sochi_config *cf, const char *text, const char *file,
    config_zone_check zone_ok, char *err, size_t errlen)
{
	struct parse_ctx ctx;
	char msg[512];
	int line;

	memset(&ctx, 0, sizeof(ctx));
	ctx.cf = cf;
	ctx.err = msg;
	ctx.errlen = sizeof(msg);
	ctx.zone_ok = zone_ok;
	msg[0] = '\0';
	line = ini_parse_string(text, handler, &ctx);
	if (line != 0) {
		if (ctx.failed)
			snprintf(err, errlen, "%s:%d: %s", file, line, msg);
		else
			snprintf(err, errlen, "%s:%d: not a [section], "
			    "key = value or comment line", file, line);
		return -1;
	}
	{
		const char *f = cf->drafts.formats, *e;

		/* formats: a comma-separated subset of text, md, html, json, docx. */
		while (*f != '\0') {
			size_t n;

			e = strchr(f, ',');
			n = e ? (size_t)(e - f) : strlen(f);
			if (!((n == 4 && (strncmp(f, "text", 4) == 0 ||
			    strncmp(f, "html", 4) == 0 || strncmp(f, "json",
			    4) == 0 || strncmp(f, "docx", 4) == 0)) || (n == 2 &&
			    strncmp(f, "md", 2) == 0))) {
				snprintf(err, errlen, "%s: [drafts] formats: expected "
				    "text, md, html, json or docx separated by commas, "
				    "got \"%s\"", file, cf->drafts.formats);
				return -1;
			}
			f += n + (e ? 1 : 0);
		}
	}
	if (strncmp(cf->drafts.notify_url, "", 1) != 0 &&
	    strncmp(cf->drafts.notify_url, "http://", 7) != 0) {
		snprintf(err, errlen, "%s: [drafts] notify_url: expected an "
		    "http:// URL, got \"%s\"", file, cf->drafts.notify_url);
		return -1;
	}
	for (size_t i = 0; i < cf->nrules; i++)
		if (cf->rules[i].match == NULL) {
			snprintf(err, errlen, "%s: [rule.%s] match: required (which "
			    "alerts the rule is for)", file, cf->rules[i].name);
			return -1;
		}
	if (build_phase_ids(cf) == -1) {
		snprintf(err, errlen, "%s: out of memory", file);
		return -1;
	}
	/* [syslog] and every [syslog.NAME]: lists, zones, rules' expressions. */
	if (syslog_config_finish(cf, zone_ok, msg, sizeof(msg)) == -1 ||
	    web_config_finish(cf, msg, sizeof(msg)) == -1) {
		snprintf(err, errlen, "%s: %s", file, msg);
		return -1;
	}
	return 0;
}

void
config_free(struct sochi_config *cf)
{
	const struct ckey *k;
	size_t i;

	if (cf == NULL)
		return;
	for (k = keys; k->name != NULL; k++) {
		switch (k->type) {
		case CT_STRING: case CT_PATH: case CT_LISTEN: case CT_ZONE:
		case CT_TABLE: case CT_JOURNAL:
			free(*(char **)(void *)((char *)cf + k->offset));
			break;
		default:
			break;
		}
	}
	for (i = 0; maps[i].section != NULL; i++)
		map_free((struct config_map *)(void *)((char *)cf +
		    maps[i].offset));
	free(cf->phase_ids);
	for (i = 0; i < cf->nrules; i++) {
		struct config_rule *r = &cf->rules[i];

		free(r->name);
		free(r->match);
		free(r->title);
		free(r->service);
		free(r->impact_name);
		free(r->impact_label);
		free(r->actor);
	}
	free(cf->rules);
	free(cf->zabbix_timezone);
	netlist_free(&cf->web.open_list);
	syslog_config_free(cf);
	memset(cf, 0, sizeof(*cf));
}

int
config_print(const struct sochi_config *cf, struct sbuf *b)
{
	const struct ckey *k;
	const char *base;
	const struct config_map *m;
	size_t i, j;
	int rv = 0;

	for (k = keys; k->name != NULL; k++) {
		base = (const char *)cf + k->offset;
		rv |= sbuf_printf(b, "%s.%s = ", k->section, k->name);
		switch (k->type) {
		case CT_INT:
			rv |= sbuf_printf(b, "%ld\n", *(const long *)(const void *)base);
			break;
		case CT_MODE:
			rv |= sbuf_printf(b, "%04o\n",
			    *(const unsigned *)(const void *)base);
			break;
		case CT_LEVEL:
			rv |= sbuf_printf(b, "%s\n", log_level_name(
			    *(const enum log_level *)(const void *)base));
			break;
		default:
			if (strcmp(k->name, "database") == 0 &&
			    strstr(*(char *const *)(const void *)base,
			    "password") != NULL)
				rv |= sbuf_printf(b, "(set; contains a password, "
				    "not shown)\n");
			else
				rv |= sbuf_printf(b, "%s\n",
				    *(char *const *)(const void *)base);
		}
	}
	for (i = 0; i < cf->nrules; i++) {
		const struct config_rule *r = &cf->rules[i];

		rv |= sbuf_printf(b, "rule.%s.match = %s\n", r->name,
		    r->match ? r->match : "");
		if (r->title)
			rv |= sbuf_printf(b, "rule.%s.title = %s\n", r->name,
			    r->title);
		if (r->service)
			rv |= sbuf_printf(b, "rule.%s.service = %s\n", r->name,
			    r->service);
		if (r->category)
			rv |= sbuf_printf(b, "rule.%s.category = %d\n", r->name,
			    r->category);
		if (r->impact_name)
			rv |= sbuf_printf(b, "rule.%s.impact = %s %s\n", r->name,
			    r->impact_name, r->impact_label);
		rv |= sbuf_printf(b, "rule.%s.actor = %s\n", r->name,
		    r->actor ? r->actor : "監視業務部門");
		rv |= sbuf_printf(b, "rule.%s.open = %s\n", r->name,
		    r->open ? "yes" : "no");
	}
	if (cf->zabbix_timezone)
		rv |= sbuf_printf(b, "source.zabbix.timezone = %s\n",
		    cf->zabbix_timezone);
	rv |= syslog_config_print(cf, b);
	for (i = 0; maps[i].section != NULL; i++) {
		m = (const struct config_map *)(const void *)((const char *)cf +
		    maps[i].offset);
		for (j = 0; j < m->n; j++)
			rv |= sbuf_printf(b, "%s.%s = %s\n", maps[i].section,
			    m->pairs[j].name, maps[i].secret ? "********" :
			    m->pairs[j].value);
	}
	return rv ? -1 : 0;
}

/* The sender name whose secret is tok, compared in constant time. */
const char *
config_token_name(const struct sochi_config *cf, const char *tok, size_t n)
{
	const char *found = NULL;
	size_t i, j, len;
	unsigned char diff;

	for (i = 0; i < cf->tokens.n; i++) {
		const char *s = cf->tokens.pairs[i].value;

		len = strlen(s);
		diff = (unsigned char)(len != n);
		for (j = 0; j < n; j++)
			diff |= (unsigned char)(s[j < len ? j : 0] ^ tok[j]);
		if (diff == 0 && found == NULL)
			found = cf->tokens.pairs[i].name;
	}
	return found;
}

/* What the session cookie's value is made from, with the token as key. */
#define SESSION_TEXT	"sochi web view session, version 1"

void
config_session_value(const char *token, char out[65])
{
	sha256_hmac_hex(token, strlen(token), SESSION_TEXT,
	    sizeof(SESSION_TEXT) - 1, out);
}

const char *
config_session_name(const struct sochi_config *cf, const char *v, size_t n)
{
	const char *found = NULL;
	char want[65];
	unsigned char diff;
	size_t i, j;

	for (i = 0; i < cf->tokens.n; i++) {
		config_session_value(cf->tokens.pairs[i].value, want);
		diff = (unsigned char)(n != 64);
		for (j = 0; j < 64; j++)
			diff |= (unsigned char)(want[j] ^ (j < n ? v[j] : 0));
		if (diff == 0 && found == NULL)
			found = cf->tokens.pairs[i].name;
	}
	return found;
}

/*
 * A token's name becomes the source of the events it sends, a label of
 * /metrics and part of every idempotency key's scope: letters, digits and
 * . _ - only, and neither "local" nor "syslog", so that no name can pass
 * for a local user ("local:0") or a syslog sender.
 */
static int
token_name_ok(const char *name)
{
	const char *p;

	if (*name == '\0' || strlen(name) > 64)
		return 0;
	for (p = name; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '.' || *p == '_' ||
		    *p == '-'))
			return 0;
	return 1;
}

struct tokens_ctx {
	struct config_map map;		/* what is read */
	char		*err;		/* first error, without file and line */
	size_t		 errlen;	/* its size */
	int		 failed;	/* an error was recorded */
};

static int
tokens_handler(void *arg, const char *section, const char *name,
    const char *value)
{
	struct tokens_ctx *t = arg;

	if (t->failed)
		return 1;
	if (*section != '\0')
		snprintf(t->err, t->errlen, "[%s]: a tokens file has no sections, "
		    "only \"name = secret\" lines", section);
	else if (!token_name_ok(name))
		snprintf(t->err, t->errlen, "%s: a token's name is 1 to 64 "
		    "letters, digits, '.', '_' or '-'", name);
	else if (strcmp(name, "local") == 0 || strcmp(name, "syslog") == 0)
		snprintf(t->err, t->errlen, "%s: a name sochid gives senders of "
		    "its own (the Unix socket's, syslog's); choose another", name);
	else if (config_map_get(&t->map, name) != NULL)
		snprintf(t->err, t->errlen, "%s: given twice", name);
	else if (*value == '\0')
		snprintf(t->err, t->errlen, "%s: empty secret", name);
	else if (map_add(&t->map, name, value) == -1)
		snprintf(t->err, t->errlen, "out of memory");
	else
		return 1;
	t->failed = 1;
	return 0;
}

int
config_tokens_parse(struct sochi_config *cf, const char *text,
    const char *file, char *err, size_t errlen)
{
	struct tokens_ctx t;
	char msg[256];
	int line;

	memset(&t, 0, sizeof(t));
	t.err = msg;
	t.errlen = sizeof(msg);
	msg[0] = '\0';
	line = ini_parse_string(text, tokens_handler, &t);
	if (line != 0) {
		if (t.failed)
			snprintf(err, errlen, "%s:%d: %s", file, line, msg);
		else
			snprintf(err, errlen, "%s:%d: not a \"name = secret\" or "
			    "comment line", file, line);
		map_free(&t.map);
		return -1;
	}
	map_free(&cf->tokens);
	cf->tokens = t.map;
	return 0;
}

/* How a key is named in the reload's log line. */
static void
key_label(const struct ckey *k, char *buf, size_t len)
{
	if (strcmp(k->section, "sochid") == 0)
		snprintf(buf, len, "%s", k->name);
	else
		snprintf(buf, len, "[%s] %s", k->section, k->name);
}

static int
key_differs(const struct ckey *k, const struct sochi_config *a,
    const struct sochi_config *b)
{
	const char *pa = (const char *)a + k->offset;
	const char *pb = (const char *)b + k->offset;

	switch (k->type) {
	case CT_INT:
		return *(const long *)(const void *)pa !=
		    *(const long *)(const void *)pb;
	case CT_MODE:
		return *(const unsigned *)(const void *)pa !=
		    *(const unsigned *)(const void *)pb;
	case CT_LEVEL:
		return *(const enum log_level *)(const void *)pa !=
		    *(const enum log_level *)(const void *)pb;
	default:
		return strcmp(*(char *const *)(const void *)pa,
		    *(char *const *)(const void *)pb) != 0;
	}
}

static int
str_differs(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a != b;
	return strcmp(a, b) != 0;
}

static void
diff_map(const char *section, const struct config_map *a,
    const struct config_map *b, int reloadable, config_diff_fn fn, void *arg)
{
	const char *v;
	char what[128];
	size_t i;
	int any = 0, order = a->n != b->n;

	for (i = 0; i < a->n; i++) {
		v = config_map_get(b, a->pairs[i].name);
		if (v == NULL || strcmp(v, a->pairs[i].value) != 0) {
			snprintf(what, sizeof(what), "[%s] %s", section,
			    a->pairs[i].name);
			fn(what, reloadable, arg);
			any = 1;
		} else if (!order && strcmp(a->pairs[i].name,
		    b->pairs[i].name) != 0)
			order = 1;
	}
	for (i = 0; i < b->n; i++)
		if (config_map_get(a, b->pairs[i].name) == NULL) {
			snprintf(what, sizeof(what), "[%s] %s", section,
			    b->pairs[i].name);
			fn(what, reloadable, arg);
			any = 1;
		}
	/* The same pairs in another order: the phases' order is the timeline's. */
	if (!any && order) {
		snprintf(what, sizeof(what), "[%s] order", section);
		fn(what, reloadable, arg);
	}
}

static const struct config_rule *
rule_named(const struct sochi_config *cf, const char *name)
{
	size_t i;

	for (i = 0; i < cf->nrules; i++)
		if (strcmp(cf->rules[i].name, name) == 0)
			return &cf->rules[i];
	return NULL;
}

static int
rule_differs(const struct config_rule *a, const struct config_rule *b)
{
	return b == NULL || str_differs(a->match, b->match) ||
	    str_differs(a->title, b->title) ||
	    str_differs(a->service, b->service) || a->category != b->category ||
	    str_differs(a->impact_name, b->impact_name) ||
	    str_differs(a->impact_label, b->impact_label) ||
	    str_differs(a->actor, b->actor) || a->open != b->open;
}

static void
diff_rules(const struct sochi_config *a, const struct sochi_config *b,
    config_diff_fn fn, void *arg)
{
	char what[128];
	size_t i;
	int any = 0, order = 0;

	for (i = 0; i < a->nrules; i++)
		if (rule_differs(&a->rules[i], rule_named(b, a->rules[i].name))) {
			snprintf(what, sizeof(what), "[rule.%s]", a->rules[i].name);
			fn(what, RULES_RELOADABLE, arg);
			any = 1;
		} else if (i < b->nrules && strcmp(a->rules[i].name,
		    b->rules[i].name) != 0)
			order = 1;
	for (i = 0; i < b->nrules; i++)
		if (rule_named(a, b->rules[i].name) == NULL) {
			snprintf(what, sizeof(what), "[rule.%s]", b->rules[i].name);
			fn(what, RULES_RELOADABLE, arg);
			any = 1;
		}
	/* The first rule that matches wins: their order is a setting too. */
	if (!any && order)
		fn("[rule.*] order", RULES_RELOADABLE, arg);
}

/* The lines syslog_config_print gives for rule NAME ("syslog.NAME."). */
static void
syslog_rule_lines(const struct sbuf *all, const char *name, struct sbuf *out)
{
	const char *p = all->data, *nl;
	char prefix[160];
	size_t plen;

	snprintf(prefix, sizeof(prefix), "syslog.%s.", name);
	plen = strlen(prefix);
	while (p != NULL && *p != '\0') {
		nl = strchr(p, '\n');
		if (strncmp(p, prefix, plen) == 0)
			(void)sbuf_add(out, p, nl ? (size_t)(nl - p + 1) :
			    strlen(p));
		p = nl ? nl + 1 : NULL;
	}
	(void)sbuf_add(out, "", 0);
}

static void
diff_syslog_rules(const struct sochi_config *a, const struct sochi_config *b,
    config_diff_fn fn, void *arg)
{
	struct sbuf pa = SBUF_INIT, pb = SBUF_INIT;
	const struct sochi_config *cfs[2] = { a, b };
	char what[160];
	size_t i, k, j;
	int seen;

	(void)syslog_config_print(a, &pa);
	(void)syslog_config_print(b, &pb);
	(void)sbuf_add(&pa, "", 0);
	(void)sbuf_add(&pb, "", 0);
	for (k = 0; k < 2; k++)
		for (i = 0; i < cfs[k]->nsyslog_rules; i++) {
			const char *name = cfs[k]->syslog_rules[i].name;
			struct sbuf la = SBUF_INIT, lb = SBUF_INIT;

			/* A rule of both is looked at once, from a's side. */
			for (j = 0, seen = 0; k == 1 && j < a->nsyslog_rules; j++)
				seen |= strcmp(a->syslog_rules[j].name, name) == 0;
			if (seen)
				continue;
			syslog_rule_lines(&pa, name, &la);
			syslog_rule_lines(&pb, name, &lb);
			if (strcmp(la.data, lb.data) != 0) {
				snprintf(what, sizeof(what), "[syslog.%s]", name);
				fn(what, SYSLOG_RULES_RELOADABLE, arg);
			}
			sbuf_free(&la);
			sbuf_free(&lb);
		}
	sbuf_free(&pa);
	sbuf_free(&pb);
}

void
config_diff(const struct sochi_config *cur, const struct sochi_config *neu,
    config_diff_fn fn, void *arg)
{
	const struct ckey *k;
	char what[128];
	size_t i;

	for (k = keys; k->name != NULL; k++)
		if (key_differs(k, cur, neu)) {
			key_label(k, what, sizeof(what));
			fn(what, k->reloadable, arg);
		}
	for (i = 0; maps[i].section != NULL; i++)
		diff_map(maps[i].section, (const struct config_map *)(const void *)
		    ((const char *)cur + maps[i].offset),
		    (const struct config_map *)(const void *)((const char *)neu +
		    maps[i].offset), maps[i].reloadable, fn, arg);
	diff_rules(cur, neu, fn, arg);
	if (str_differs(cur->zabbix_timezone, neu->zabbix_timezone))
		fn("[source.zabbix] timezone", ZABBIX_ZONE_RELOADABLE, arg);
	diff_syslog_rules(cur, neu, fn, arg);
}

void
config_reload(struct sochi_config *cur, struct sochi_config *neu)
{
	const struct ckey *k;
	struct config_map m;
	struct config_rule *rules;
	const char **ids;
	char *pc, *pn, tmp[16];	/* a long, a mode, a level or a pointer */
	size_t i, n, size;

	for (k = keys; k->name != NULL; k++) {
		if (!k->reloadable)
			continue;
		pc = (char *)cur + k->offset;
		pn = (char *)neu + k->offset;
		switch (k->type) {
		case CT_INT: size = sizeof(long); break;
		case CT_MODE: size = sizeof(unsigned); break;
		case CT_LEVEL: size = sizeof(enum log_level); break;
		default: size = sizeof(char *); break;
		}
		memcpy(tmp, pc, size);
		memcpy(pc, pn, size);
		memcpy(pn, tmp, size);
	}
	for (i = 0; maps[i].section != NULL; i++) {
		if (!maps[i].reloadable)
			continue;
		pc = (char *)cur + maps[i].offset;
		pn = (char *)neu + maps[i].offset;
		memcpy(&m, pc, sizeof(m));
		memcpy(pc, pn, sizeof(m));
		memcpy(pn, &m, sizeof(m));
	}
	/* phase_ids points into the phases' pairs: it goes with them. */
	ids = cur->phase_ids;
	cur->phase_ids = neu->phase_ids;
	neu->phase_ids = ids;
	if (RULES_RELOADABLE) {
		rules = cur->rules;
		n = cur->nrules;
		cur->rules = neu->rules;
		cur->nrules = neu->nrules;
		neu->rules = rules;
		neu->nrules = n;
	}
}
