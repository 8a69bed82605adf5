/* SPDX-License-Identifier: MIT */
/*
 * Syslog rules.  See syslog_rule.h.
 *
 * Expressions are PCRE2's (Perl syntax, named captures), compiled in UTF
 * mode, and run with limits on backtracking, depth and memory: a rule is
 * written by the carrier, but the lines it runs on come from any allowed
 * sender, and one pathological line must not stall the listener.
 */
#define PCRE2_CODE_UNIT_WIDTH 8

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <pcre2.h>

#include "rfc3339.h"
#include "sha256.h"
#include "syslog_rule.h"

/* What one match may cost (PCRE2's own defaults are far higher). */
#define MATCH_LIMIT	200000
#define DEPTH_LIMIT	10000
#define HEAP_LIMIT_KB	8192
/* The longest expression or template taken. */
#define EXPR_MAX	4096

/* The fields a template may name besides the message's captures. */
enum var {
	VAR_HOST, VAR_PROGRAM, VAR_PROCID, VAR_MSGID, VAR_FACILITY,
	VAR_SEVERITY, VAR_MSG, VAR__COUNT
};

static const char *const var_names[VAR__COUNT] = {
	"host", "program", "procid", "msgid", "facility", "severity", "msg"
};

/* A template, compiled: literal text and variables in turn. */
struct tpart {
	const char	*lit;		/* literal text (into the rule's copy), or NULL */
	size_t		 len;		/* its length */
	int		 group;		/* a capture group's number, or 0 */
	int		 var;		/* an enum var, when group is 0 and lit NULL */
};

struct tmpl {
	char		*src;		/* the template as written */
	struct tpart	*parts;		/* in order */
	size_t		 n;		/* how many */
};

struct srule {
	const struct config_syslog_rule *cfg; /* the config's rule */
	pcre2_code	*host;		/* anchored both ends, caseless, or NULL */
	pcre2_code	*program;	/* anchored both ends, or NULL */
	pcre2_code	*message;	/* searched, or NULL */
	struct tmpl	 actor;		/* empty n and NULL src: no actor */
	struct tmpl	 text;		/* ${msg} unless given */
	char		 finder[2][8];	/* host, single, in the order to try */
	int		 nfinders;
};

struct syslog_rules {
	struct srule	*r;		/* in file order */
	size_t		 n;
	pcre2_match_context *mctx;	/* the limits above */
};

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

static struct config_syslog_rule *
rule_get(struct sochi_config *cf, const char *name)
{
	struct config_syslog_rule *p;
	size_t i;

	for (i = 0; i < cf->nsyslog_rules; i++)
		if (strcmp(cf->syslog_rules[i].name, name) == 0)
			return &cf->syslog_rules[i];
	p = realloc(cf->syslog_rules, (cf->nsyslog_rules + 1) * sizeof(*p));
	if (p == NULL)
		return NULL;
	cf->syslog_rules = p;
	p = &p[cf->nsyslog_rules];
	memset(p, 0, sizeof(*p));
	if ((p->name = strdup(name)) == NULL)
		return NULL;
	cf->nsyslog_rules++;
	return p;
}

/* "local7, local6" or "notice, warning": a bit for each. */
static int
bits(const char *v, int (*from)(const char *), unsigned *out)
{
	char *copy = strdup(v), *part, *save = NULL, *e;
	int b;

	if (copy == NULL)
		return -1;
	*out = 0;
	for (part = strtok_r(copy, ",", &save); part != NULL;
	    part = strtok_r(NULL, ",", &save)) {
		while (*part == ' ')
			part++;
		e = part + strlen(part);
		while (e > part && e[-1] == ' ')
			*--e = '\0';
		if ((b = from(part)) < 0) {
			free(copy);
			return -1;
		}
		*out |= 1u << b;
	}
	free(copy);
	return *out == 0 ? -1 : 0;
}

static pcre2_code *re_compile(const char *, uint32_t, char *, size_t);

int
syslog_rule_key(struct sochi_config *cf, const char *name, const char *k,
    const char *v, char *err, size_t errlen)
{
	struct config_syslog_rule *r = rule_get(cf, name);
	char **str = NULL;

	if (r == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (strcmp(k, "host") == 0)
		str = &r->host;
	else if (strcmp(k, "program") == 0)
		str = &r->program;
	else if (strcmp(k, "message") == 0)
		str = &r->message;
	else if (strcmp(k, "incident") == 0)
		str = &r->incident;
	else if (strcmp(k, "phase") == 0)
		str = &r->phase;
	else if (strcmp(k, "actor") == 0)
		str = &r->actor;
	else if (strcmp(k, "text") == 0)
		str = &r->text;
	else if (strcmp(k, "facility") == 0) {
		if (r->facilities != 0 || bits(v, syslog_facility_from_name,
		    &r->facilities) == -1) {
			snprintf(err, errlen, "[syslog.%s] facility: expected "
			    "names such as local7 or numbers 0 to 23, separated by "
			    "commas, given once; got \"%s\"", name, v);
			return -1;
		}
		return 0;
	} else if (strcmp(k, "severity") == 0) {
		if (r->severities != 0 || bits(v, syslog_severity_from_name,
		    &r->severities) == -1) {
			snprintf(err, errlen, "[syslog.%s] severity: expected "
			    "names (emerg, alert, crit, err, warning, notice, info, "
			    "debug) or numbers 0 to 7, separated by commas, given "
			    "once; got \"%s\"", name, v);
			return -1;
		}
		return 0;
	} else {
		snprintf(err, errlen, "[syslog.%s] %s: unknown key (host, "
		    "program, facility, severity, message, incident, phase, "
		    "actor, text)", name, k);
		return -1;
	}
	if (*str != NULL) {
		snprintf(err, errlen, "[syslog.%s] %s: given twice", name, k);
		return -1;
	}
	if (strlen(v) > EXPR_MAX) {
		snprintf(err, errlen, "[syslog.%s] %s: longer than %d bytes", name,
		    k, EXPR_MAX);
		return -1;
	}
	/* An expression is checked here too, so the message names its line. */
	if (str == &r->host || str == &r->program || str == &r->message) {
		pcre2_code *re;
		char why[300];

		if ((re = re_compile(v, 0, why, sizeof(why))) == NULL) {
			snprintf(err, errlen, "[syslog.%s] %s: %s", name, k, why);
			return -1;
		}
		pcre2_code_free(re);
	}
	if (set_str(str, v) == -1) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	return 0;
}

static void
tmpl_free(struct tmpl *t)
{
	free(t->src);
	free(t->parts);
	memset(t, 0, sizeof(*t));
}

static int
tpart_add(struct tmpl *t, const struct tpart *p)
{
	struct tpart *v = realloc(t->parts, (t->n + 1) * sizeof(*v));

	if (v == NULL)
		return -1;
	t->parts = v;
	v[t->n++] = *p;
	return 0;
}

/*
 * "${user} が ${cmd} を投入": literal text and ${NAME}, NAME a capture of
 * the message expression or one of var_names; "$$" is a dollar sign.
 */
static int
tmpl_compile(const char *src, const pcre2_code *re, struct tmpl *t,
    char *why, size_t whylen)
{
	struct tpart p;
	const char *s, *e;
	char name[64];
	int g, i;

	memset(t, 0, sizeof(*t));
	if ((t->src = strdup(src)) == NULL)
		goto oom;
	for (s = t->src; *s != '\0'; ) {
		memset(&p, 0, sizeof(p));
		if (s[0] == '$' && s[1] == '$') {
			p.lit = s;
			p.len = 1;
			s += 2;
		} else if (s[0] == '$' && s[1] == '{') {
			if ((e = strchr(s + 2, '}')) == NULL ||
			    (size_t)(e - s - 2) >= sizeof(name) || e == s + 2) {
				snprintf(why, whylen, "\"%.20s\": expected ${NAME}", s);
				goto bad;
			}
			memcpy(name, s + 2, (size_t)(e - s - 2));
			name[e - s - 2] = '\0';
			g = re != NULL ? pcre2_substring_number_from_name(re,
			    (PCRE2_SPTR)name) : PCRE2_ERROR_NOSUBSTRING;
			if (g > 0)
				p.group = g;
			else {
				for (i = 0; i < VAR__COUNT; i++)
					if (strcmp(name, var_names[i]) == 0)
						break;
				if (i == VAR__COUNT) {
					snprintf(why, whylen, "${%s}: neither a named "
					    "capture (?<%s>...) of message nor one of "
					    "host, program, procid, msgid, facility, "
					    "severity, msg", name, name);
					goto bad;
				}
				p.var = i;
			}
			s = e + 1;
		} else if (s[0] == '$') {
			snprintf(why, whylen, "a $ not followed by { or $");
			goto bad;
		} else {
			p.lit = s;
			while (*s != '\0' && *s != '$')
				s++;
			p.len = (size_t)(s - p.lit);
		}
		if (tpart_add(t, &p) == -1)
			goto oom;
	}
	return 0;
oom:
	snprintf(why, whylen, "out of memory");
bad:
	tmpl_free(t);
	return -1;
}

static pcre2_code *
re_compile(const char *src, uint32_t opts, char *why, size_t whylen)
{
	PCRE2_UCHAR msg[160];
	PCRE2_SIZE off;
	pcre2_code *re;
	int rc;

	re = pcre2_compile((PCRE2_SPTR)src, PCRE2_ZERO_TERMINATED,
	    PCRE2_UTF | PCRE2_NEVER_BACKSLASH_C | opts, &rc, &off, NULL);
	if (re == NULL) {
		pcre2_get_error_message(rc, msg, sizeof(msg));
		snprintf(why, whylen, "%s at offset %zu of \"%s\"", (char *)msg,
		    (size_t)off, src);
	}
	return re;
}

static void
srule_free(struct srule *r)
{
	pcre2_code_free(r->host);
	pcre2_code_free(r->program);
	pcre2_code_free(r->message);
	tmpl_free(&r->actor);
	tmpl_free(&r->text);
}

/* Compiles one rule; -1 with "[syslog.NAME] key: why" in err. */
static int
srule_compile(const struct config_syslog_rule *c, struct srule *r, char *err,
    size_t errlen)
{
	char why[400], *copy, *part, *save = NULL;
	const char *key = "";
	uint32_t names = 0;

	memset(r, 0, sizeof(*r));
	r->cfg = c;
	if (c->host != NULL && (r->host = re_compile(c->host, PCRE2_ANCHORED |
	    PCRE2_ENDANCHORED | PCRE2_CASELESS, why, sizeof(why))) == NULL) {
		key = "host";
		goto bad;
	}
	if (c->program != NULL && (r->program = re_compile(c->program,
	    PCRE2_ANCHORED | PCRE2_ENDANCHORED, why, sizeof(why))) == NULL) {
		key = "program";
		goto bad;
	}
	if (c->message != NULL && (r->message = re_compile(c->message, 0, why,
	    sizeof(why))) == NULL) {
		key = "message";
		goto bad;
	}
	if (c->message == NULL && c->host == NULL && c->program == NULL &&
	    c->facilities == 0 && c->severities == 0) {
		key = "message";
		snprintf(why, sizeof(why), "a rule needs at least one condition "
		    "(host, program, facility, severity or message)");
		goto bad;
	}
	if (c->actor != NULL) {
		if (tmpl_compile(c->actor, r->message, &r->actor, why,
		    sizeof(why)) == -1) {
			key = "actor";
			goto bad;
		}
	} else if (r->message != NULL && pcre2_substring_number_from_name(
	    r->message, (PCRE2_SPTR)"user") > 0 && tmpl_compile("${user}",
	    r->message, &r->actor, why, sizeof(why)) == -1) {
		key = "actor";
		goto bad;
	}
	if (tmpl_compile(c->text != NULL ? c->text : "${msg}", r->message,
	    &r->text, why, sizeof(why)) == -1) {
		key = "text";
		goto bad;
	}
	if ((copy = strdup(c->incident != NULL ? c->incident : "host")) == NULL) {
		snprintf(why, sizeof(why), "out of memory");
		goto bad;
	}
	for (part = strtok_r(copy, ", ", &save); part != NULL;
	    part = strtok_r(NULL, ", ", &save)) {
		uint32_t bit = strcmp(part, "host") == 0 ? 1 :
		    strcmp(part, "single") == 0 ? 2 : 0;

		if (bit == 0 || (names & bit) != 0) {
			snprintf(why, sizeof(why), "expected host, single or "
			    "\"host, single\", got \"%s\"", c->incident);
			free(copy);
			key = "incident";
			goto bad;
		}
		names |= bit;
		snprintf(r->finder[r->nfinders++], sizeof(r->finder[0]), "%s",
		    part);
	}
	free(copy);
	if (r->nfinders == 0) {
		snprintf(why, sizeof(why), "expected host, single or \"host, "
		    "single\"");
		key = "incident";
		goto bad;
	}
	return 0;
bad:
	snprintf(err, errlen, "[syslog.%s] %s: %s", c->name, key, why);
	srule_free(r);
	return -1;
}

struct syslog_rules *
syslog_rules_new(const struct sochi_config *cf, char *err, size_t errlen)
{
	struct syslog_rules *rs = calloc(1, sizeof(*rs));
	size_t i;

	if (rs == NULL || (rs->r = calloc(cf->nsyslog_rules + 1,
	    sizeof(*rs->r))) == NULL || (rs->mctx =
	    pcre2_match_context_create(NULL)) == NULL) {
		snprintf(err, errlen, "out of memory");
		syslog_rules_free(rs);
		return NULL;
	}
	pcre2_set_match_limit(rs->mctx, MATCH_LIMIT);
	pcre2_set_depth_limit(rs->mctx, DEPTH_LIMIT);
	pcre2_set_heap_limit(rs->mctx, HEAP_LIMIT_KB);
	for (i = 0; i < cf->nsyslog_rules; i++) {
		if (srule_compile(&cf->syslog_rules[i], &rs->r[i], err,
		    errlen) == -1) {
			syslog_rules_free(rs);
			return NULL;
		}
		rs->n = i + 1;
	}
	return rs;
}

void
syslog_rules_free(struct syslog_rules *rs)
{
	size_t i;

	if (rs == NULL)
		return;
	for (i = 0; i < rs->n; i++)
		srule_free(&rs->r[i]);
	free(rs->r);
	pcre2_match_context_free(rs->mctx);
	free(rs);
}

int
syslog_config_finish(struct sochi_config *cf, int (*zone_ok)(const char *),
    char *err, size_t errlen)
{
	struct syslog_rules *rs;
	char why[300];
	const char *z;
	size_t i;

	netlist_free(&cf->syslog.allow_list);
	netlist_free(&cf->syslog.sender_zones);
	if (netlist_parse(cf->syslog.allow, 0, &cf->syslog.allow_list, why,
	    sizeof(why)) == -1) {
		snprintf(err, errlen, "[syslog] allow: %s", why);
		return -1;
	}
	if (netlist_parse(cf->syslog.sender_timezones, 1,
	    &cf->syslog.sender_zones, why, sizeof(why)) == -1) {
		snprintf(err, errlen, "[syslog] sender_timezones: %s", why);
		return -1;
	}
	for (i = 0; i <= cf->syslog.sender_zones.n; i++) {
		z = i < cf->syslog.sender_zones.n ?
		    cf->syslog.sender_zones.v[i].tag : cf->syslog.timezone;
		if (*z == '\0' || strstr(z, "..") != NULL || *z == '/' ||
		    strspn(z, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		    "0123456789/_-+") != strlen(z) || (zone_ok != NULL &&
		    !zone_ok(z))) {
			if (*z == '\0' && i == cf->syslog.sender_zones.n)
				continue;	/* timezone empty: the carrier's */
			snprintf(err, errlen, "[syslog] %s: no such zone \"%s\"",
			    i < cf->syslog.sender_zones.n ? "sender_timezones" :
			    "timezone", z);
			return -1;
		}
	}
	for (i = 0; i < cf->nsyslog_rules; i++) {
		const char *ph = cf->syslog_rules[i].phase;

		if (ph != NULL && config_map_get(&cf->phases, ph) == NULL) {
			snprintf(err, errlen, "[syslog.%s] phase: \"%s\" is not "
			    "one of the configured [phases]",
			    cf->syslog_rules[i].name, ph);
			return -1;
		}
	}
	if ((rs = syslog_rules_new(cf, err, errlen)) == NULL)
		return -1;
	syslog_rules_free(rs);
	return 0;
}

const char *
syslog_sender_zone(const struct sochi_config *cf, const struct sockaddr *sa)
{
	const struct net_prefix *p = netlist_match(&cf->syslog.sender_zones,
	    sa);

	if (p != NULL)
		return p->tag;
	return *cf->syslog.timezone != '\0' ? cf->syslog.timezone :
	    cf->timezone;
}

static int
print_bits(struct sbuf *b, const char *rule, const char *key, unsigned v,
    const char *(*name)(int))
{
	int i, first = 1, rv = 0;

	if (v == 0)
		return 0;
	rv |= sbuf_printf(b, "syslog.%s.%s = ", rule, key);
	for (i = 0; i < 24; i++)
		if (v & (1u << i)) {
			rv |= sbuf_printf(b, "%s%s", first ? "" : ", ", name(i));
			first = 0;
		}
	return rv | sbuf_addc(b, '\n');
}

int
syslog_config_print(const struct sochi_config *cf, struct sbuf *b)
{
	size_t i;
	int rv = 0;

	rv |= sbuf_adds(b, "syslog.allow (parsed) = ");
	rv |= netlist_print(&cf->syslog.allow_list, b);
	rv |= sbuf_addc(b, '\n');
	for (i = 0; i < cf->nsyslog_rules; i++) {
		const struct config_syslog_rule *r = &cf->syslog_rules[i];
		const char *const keys[] = { "host", "program", "message",
		    "incident", "phase", "actor", "text" };
		const char *const vals[] = { r->host, r->program, r->message,
		    r->incident ? r->incident : "host", r->phase, r->actor,
		    r->text ? r->text : "${msg}" };
		size_t k;

		rv |= print_bits(b, r->name, "facility", r->facilities,
		    syslog_facility_name);
		rv |= print_bits(b, r->name, "severity", r->severities,
		    syslog_severity_name);
		for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
			if (vals[k] != NULL)
				rv |= sbuf_printf(b, "syslog.%s.%s = %s\n", r->name,
				    keys[k], vals[k]);
	}
	return rv ? -1 : 0;
}

void
syslog_config_free(struct sochi_config *cf)
{
	size_t i;

	netlist_free(&cf->syslog.allow_list);
	netlist_free(&cf->syslog.sender_zones);
	for (i = 0; i < cf->nsyslog_rules; i++) {
		struct config_syslog_rule *r = &cf->syslog_rules[i];

		free(r->name);
		free(r->host);
		free(r->program);
		free(r->message);
		free(r->incident);
		free(r->phase);
		free(r->actor);
		free(r->text);
	}
	free(cf->syslog_rules);
	cf->syslog_rules = NULL;
	cf->nsyslog_rules = 0;
}

/* Whether the whole of s[0..n) matches re; -1 when the match failed. */
static int
re_run(const struct syslog_rules *rs, const pcre2_code *re, const char *s,
    size_t n, pcre2_match_data *md)
{
	int rc = pcre2_match(re, (PCRE2_SPTR)s, n, 0, PCRE2_NO_UTF_CHECK, md,
	    rs->mctx);

	if (rc >= 0)
		return 1;
	return rc == PCRE2_ERROR_NOMATCH ? 0 : rc;
}

static void
var_value(const struct syslog_msg *m, int v, const char **s, size_t *n)
{
	switch (v) {
	case VAR_HOST: *s = m->host; break;
	case VAR_PROGRAM: *s = m->app; break;
	case VAR_PROCID: *s = m->procid; break;
	case VAR_MSGID: *s = m->msgid; break;
	case VAR_FACILITY: *s = syslog_facility_name(m->facility); break;
	case VAR_SEVERITY: *s = syslog_severity_name(m->severity); break;
	default:
		*s = m->msg;
		*n = m->msglen;
		return;
	}
	*n = strlen(*s);
}

/* A template with the message's fields and captures; NULL if it is empty. */
static char *
expand(const struct tmpl *t, const struct syslog_msg *m, pcre2_match_data *md,
    int *oom)
{
	PCRE2_SIZE *ov = md != NULL ? pcre2_get_ovector_pointer(md) : NULL;
	struct sbuf b = SBUF_INIT;
	const char *s;
	size_t i, n;
	int rv = 0;

	for (i = 0; i < t->n; i++) {
		const struct tpart *p = &t->parts[i];

		if (p->lit != NULL)
			rv |= sbuf_add(&b, p->lit, p->len);
		else if (p->group > 0) {
			/* A group that took no part in the match is empty. */
			if (ov != NULL && (uint32_t)p->group <
			    pcre2_get_ovector_count(md) &&
			    ov[2 * p->group] != PCRE2_UNSET)
				rv |= sbuf_add(&b, m->msg + ov[2 * p->group],
				    ov[2 * p->group + 1] - ov[2 * p->group]);
		} else {
			var_value(m, p->var, &s, &n);
			rv |= sbuf_add(&b, s, n);
		}
	}
	if (rv != 0) {
		*oom = 1;
		sbuf_free(&b);
		return NULL;
	}
	/* Trailing blanks (Junos pads its commands) say nothing. */
	while (b.len > 0 && (b.data[b.len - 1] == ' ' ||
	    b.data[b.len - 1] == '\t'))
		b.len--;
	if (b.len == 0) {
		sbuf_free(&b);
		return NULL;
	}
	b.data[b.len] = '\0';
	return sbuf_steal(&b);
}

int
syslog_match(const struct syslog_rules *rs, const struct syslog_msg *m,
    struct syslog_action *act, char *err, size_t errlen)
{
	pcre2_match_data *md = NULL;
	size_t i;
	int rc, oom = 0;

	memset(act, 0, sizeof(*act));
	for (i = 0; rs != NULL && i < rs->n; i++) {
		const struct srule *r = &rs->r[i];
		const struct config_syslog_rule *c = r->cfg;

		if ((c->facilities != 0 && !(c->facilities & (1u << m->facility))) ||
		    (c->severities != 0 && !(c->severities & (1u << m->severity))))
			continue;
		pcre2_match_data_free(md);
		if ((md = pcre2_match_data_create(1, NULL)) == NULL)
			goto oom;
		if (r->host != NULL && (rc = re_run(rs, r->host, m->host,
		    strlen(m->host), md)) != 1)
			goto next;
		if (r->program != NULL && (rc = re_run(rs, r->program, m->app,
		    strlen(m->app), md)) != 1)
			goto next;
		if (r->message != NULL) {
			pcre2_match_data_free(md);
			if ((md = pcre2_match_data_create_from_pattern(r->message,
			    NULL)) == NULL)
				goto oom;
			if ((rc = re_run(rs, r->message, m->msg, m->msglen,
			    md)) != 1)
				goto next;
		}
		act->rule = c;
		if (r->actor.n > 0)
			act->actor = expand(&r->actor, m, r->message ? md : NULL,
			    &oom);
		act->text = expand(&r->text, m, r->message ? md : NULL, &oom);
		pcre2_match_data_free(md);
		if (oom)
			goto oom_act;
		if (act->text == NULL) {
			/* Nothing to write in the timeline: nothing stored. */
			syslog_action_free(act);
			return 0;
		}
		return 1;
next:
		if (rc < 0) {
			PCRE2_UCHAR msg[120];

			pcre2_get_error_message(rc, msg, sizeof(msg));
			snprintf(err, errlen, "[syslog.%s]: matching failed: %s",
			    c->name, (char *)msg);
			pcre2_match_data_free(md);
			return -1;
		}
	}
	pcre2_match_data_free(md);
	return 0;
oom:
	pcre2_match_data_free(md);
oom_act:
	syslog_action_free(act);
	snprintf(err, errlen, "out of memory");
	return -1;
}

void
syslog_action_free(struct syslog_action *act)
{
	if (act == NULL)
		return;
	free(act->actor);
	free(act->text);
	memset(act, 0, sizeof(*act));
}

static int
dump_cb(const char *buf, size_t n, void *arg)
{
	return sbuf_add(arg, buf, n);
}

int
syslog_row_make(const struct syslog_msg *m, const struct syslog_action *act,
    struct syslog_row *sr)
{
	static const char *const formats[] = { "rfc3164", "rfc5424" };
	struct sochi_time recv = { m->received, 0 };
	char hex[65], tbuf[RFC3339_MAX], atbuf[24];
	struct sha256 h;
	json_t *o, *d;
	int rv = 0, i;

	memset(sr, 0, sizeof(*sr));
	/* The hash of host, time and MSG: what a relay's resend keeps. */
	snprintf(atbuf, sizeof(atbuf), "%lld", (long long)m->at);
	sha256_init(&h);
	sha256_add(&h, m->host, strlen(m->host) + 1);
	sha256_add(&h, atbuf, strlen(atbuf) + 1);
	sha256_add(&h, m->msg, m->msglen);
	sha256_hex(&h, hex);
	rv |= sbuf_printf(&sr->key, "sha256:%s", hex);
	rv |= sbuf_printf(&sr->src, "syslog:%s", m->host);
	/* How sochi_ingest_row finds the incident, in the rule's order. */
	{
		const char *inc = act->rule->incident != NULL ?
		    act->rule->incident : "host";
		char *copy = strdup(inc), *part, *save = NULL;

		if (copy == NULL) {
			syslog_row_free(sr);
			return -1;
		}
		for (part = strtok_r(copy, ", ", &save); part != NULL;
		    part = strtok_r(NULL, ", ", &save)) {
			if (sr->grp.len > 0)
				rv |= sbuf_addc(&sr->grp, ' ');
			if (strcmp(part, "host") == 0)
				rv |= sbuf_printf(&sr->grp, "host=%s", m->host);
			else
				rv |= sbuf_adds(&sr->grp, part);
		}
		free(copy);
	}
	rfc3339_format(&recv, tbuf, sizeof(tbuf));
	o = json_object();
	d = json_object();
	if (o == NULL || d == NULL) {
		json_decref(o);
		json_decref(d);
		syslog_row_free(sr);
		return -1;
	}
	{
		const char *const k[] = { "host", "program", "procid", "msgid" };
		const char *const v[] = { m->host, m->app, m->procid, m->msgid };

		for (i = 0; i < 4; i++)
			if (*v[i] != '\0')
				json_object_set_new(o, k[i], json_string(v[i]));
	}
	json_object_set_new(o, "facility", json_string(syslog_facility_name(
	    m->facility)));
	json_object_set_new(o, "severity", json_string(syslog_severity_name(
	    m->severity)));
	json_object_set_new(o, "format", json_string(formats[m->format]));
	json_object_set_new(o, "received", json_string(tbuf));
	json_object_set_new(o, "rule", json_string(act->rule->name));
	json_object_set_new(o, "message", json_stringn(m->msg, m->msglen));
	json_object_set_new(d, "syslog", o);
	rv |= json_dump_callback(d, dump_cb, &sr->data, JSON_COMPACT |
	    JSON_SORT_KEYS);
	json_decref(d);
	if (rv != 0 || sr->data.data == NULL || sr->key.data == NULL ||
	    sr->src.data == NULL || sr->grp.data == NULL) {
		syslog_row_free(sr);
		return -1;
	}
	sr->row.kind = KIND_ACTION;
	sr->row.incident = NULL;
	sr->row.at = m->at;
	sr->row.src = sr->src.data;
	sr->row.key = sr->key.data;
	sr->row.actor = act->actor;
	sr->row.phase = act->rule->phase;
	sr->row.text = act->text;
	sr->row.data = sr->data.data;
	sr->row.grp = sr->grp.data;
	return 0;
}

void
syslog_row_free(struct syslog_row *sr)
{
	if (sr == NULL)
		return;
	sbuf_free(&sr->src);
	sbuf_free(&sr->key);
	sbuf_free(&sr->grp);
	sbuf_free(&sr->data);
	memset(sr, 0, sizeof(*sr));
}
