/*
 * Correlation rules.
 */
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "correlate.h"

struct cond {
	char		*label;		/* which label */
	char		*value;		/* equality: the value */
	regex_t		 re;		/* =~: the expression, anchored */
	int		 is_re;
};

struct crule {
	const struct config_rule *cfg;	/* the config's rule */
	struct cond	*conds;
	size_t		 nconds;
};

struct correlator {
	struct crule	*rules;
	size_t		 n;
};

static char *
trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		*--e = '\0';
	return s;
}

static void
conds_free(struct cond *c, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(c[i].label);
		free(c[i].value);
		if (c[i].is_re)
			regfree(&c[i].re);
	}
	free(c);
}

/* Parses "a=b, c=~d" into conditions; -1 with a message. */
static int
parse(const char *match, struct cond **out, size_t *nout, char *err,
    size_t errlen)
{
	char *copy, *part, *save = NULL, *eq, *label, *val, anchored[1024];
	struct cond *c = NULL, *p;
	size_t n = 0;
	int rc;

	*out = NULL;
	*nout = 0;
	if (match == NULL || *match == '\0') {
		snprintf(err, errlen, "match: empty (write label=value or "
		    "label=~regex, separated by commas)");
		return -1;
	}
	if ((copy = strdup(match)) == NULL)
		return -1;
	for (part = strtok_r(copy, ",", &save); part != NULL;
	    part = strtok_r(NULL, ",", &save)) {
		part = trim(part);
		if ((eq = strchr(part, '=')) == NULL || eq == part) {
			snprintf(err, errlen, "match: \"%s\" is not label=value "
			    "or label=~regex", part);
			goto bad;
		}
		if ((p = realloc(c, (n + 1) * sizeof(*c))) == NULL)
			goto bad;
		c = p;
		memset(&c[n], 0, sizeof(c[n]));
		*eq = '\0';
		label = trim(part);
		val = eq + 1;
		if (*val == '~') {
			val = trim(val + 1);
			snprintf(anchored, sizeof(anchored), "^(%s)$", val);
			if ((rc = regcomp(&c[n].re, anchored,
			    REG_EXTENDED | REG_NOSUB)) != 0) {
				char m[128];

				regerror(rc, &c[n].re, m, sizeof(m));
				snprintf(err, errlen, "match: %s=~%s: %s", label,
				    val, m);
				goto bad;
			}
			c[n].is_re = 1;
		} else
			c[n].value = strdup(trim(val));
		c[n].label = strdup(label);
		n++;
	}
	free(copy);
	*out = c;
	*nout = n;
	return 0;
bad:
	free(copy);
	conds_free(c, n);
	return -1;
}

int
correlate_check(const char *match, char *err, size_t errlen)
{
	struct cond *c;
	size_t n;

	if (parse(match, &c, &n, err, errlen) == -1)
		return -1;
	conds_free(c, n);
	return 0;
}

struct correlator *
correlate_new(const struct sochi_config *cf, char *err, size_t errlen)
{
	struct correlator *co = calloc(1, sizeof(*co));
	char msg[512];
	size_t i;

	if (co == NULL)
		return NULL;
	co->rules = calloc(cf->nrules + 1, sizeof(*co->rules));
	if (co->rules == NULL) {
		free(co);
		return NULL;
	}
	for (i = 0; i < cf->nrules; i++) {
		co->rules[i].cfg = &cf->rules[i];
		if (parse(cf->rules[i].match, &co->rules[i].conds,
		    &co->rules[i].nconds, msg, sizeof(msg)) == -1) {
			snprintf(err, errlen, "[rule.%s] %s", cf->rules[i].name,
			    msg);
			co->n = i;
			correlate_free(co);
			return NULL;
		}
	}
	co->n = cf->nrules;
	return co;
}

const struct config_rule *
correlate_match(const struct correlator *co, const json_t *labels)
{
	size_t i, k;

	for (i = 0; co != NULL && i < co->n; i++) {
		const struct crule *r = &co->rules[i];

		for (k = 0; k < r->nconds; k++) {
			const char *v = json_string_value(json_object_get(labels,
			    r->conds[k].label));

			if (v == NULL)
				break;
			if (r->conds[k].is_re ?
			    regexec(&r->conds[k].re, v, 0, NULL, 0) != 0 :
			    strcmp(v, r->conds[k].value) != 0)
				break;
		}
		if (k == r->nconds)
			return r->cfg;
	}
	return NULL;
}

void
correlate_free(struct correlator *co)
{
	size_t i;

	if (co == NULL)
		return;
	for (i = 0; i < co->n; i++)
		conds_free(co->rules[i].conds, co->rules[i].nconds);
	free(co->rules);
	free(co);
}
