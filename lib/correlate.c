/* SPDX-License-Identifier: MIT */
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

/*
 * What an expression may cost.  glibc's regcomp copies a repeated part of
 * an expression once per repetition ("a{3}" becomes "aaa", "a+" "aa*"),
 * and a repetition of a repetition multiplies: the config fuzzer ran
 * regcomp out of memory with "x++++++++++++++++++++++" (2^22 copies).
 */
#define RE_ELEMENTS_MAX	4096
#define RE_DEPTH_MAX	32

/* {m}, {m,} or {m,n} at p: the copies it makes and its length; 0 if none. */
static size_t
interval(const char *p, long *copies)
{
	const char *q = p + 1;
	long m = 0, n;

	if (*q < '0' || *q > '9')
		return 0;
	while (*q >= '0' && *q <= '9' && m <= 100000)
		m = m * 10 + (*q++ - '0');
	n = m;
	if (*q == ',') {
		q++;
		if (*q == '}')
			n = m + 1;	/* {m,} is m copies and a star */
		else {
			for (n = 0; *q >= '0' && *q <= '9' && n <= 100000; )
				n = n * 10 + (*q++ - '0');
		}
	}
	if (*q != '}')
		return 0;
	*copies = n > m ? n : m;
	if (*copies < 1)
		*copies = 1;
	return (size_t)(q + 1 - p);
}

/*
 * Refuses what would make a rule's expression expensive before regcomp
 * sees it: more than RE_ELEMENTS_MAX elements once its repetitions are
 * expanded, groups nested deeper than RE_DEPTH_MAX, a repetition operator
 * applied straight to another (a**, a+?: undefined in POSIX, and the
 * multiplier above), and back-references, with which glibc's regexec can
 * take time exponential in the length of the label a sender chose.
 * Returns 0, or -1 with the reason in why.
 */
static int
re_check(const char *re, char *why, size_t whylen)
{
	long open[RE_DEPTH_MAX];	/* elements before each open group */
	long elements = 0;		/* so far, repetitions expanded */
	long last = 0;			/* elements of what a repetition would repeat */
	long copies;
	int depth = 0, repeated = 0;
	const unsigned char *p = (const unsigned char *)re;
	size_t len;

	while (*p != '\0') {
		len = 0;
		copies = 0;
		if (*p == '*' || *p == '?')
			copies = 1, len = 1;
		else if (*p == '+')
			copies = 2, len = 1;
		else if (*p == '{')
			len = interval((const char *)p, &copies);
		if (len > 0) {
			if (repeated) {
				snprintf(why, whylen, "a repetition of a repetition "
				    "(\"%.*s\" after another); group the first, as "
				    "in (a+)?", (int)len, (const char *)p);
				return -1;
			}
			elements += last * (copies - 1);
			last *= copies;
			repeated = 1;
			p += len;
		} else {
			repeated = 0;
			switch (*p) {
			case '(':
				if (depth == RE_DEPTH_MAX) {
					snprintf(why, whylen, "groups nested deeper "
					    "than %d", RE_DEPTH_MAX);
					return -1;
				}
				open[depth++] = elements;
				last = 0;
				p++;
				break;
			case ')':
				if (depth > 0)
					last = elements - open[--depth];
				else {
					elements++;	/* unmatched: regcomp decides */
					last = 1;
				}
				p++;
				break;
			case '|':
				last = 0;
				p++;
				break;
			case '\\':
				if (p[1] >= '1' && p[1] <= '9') {
					snprintf(why, whylen, "a back-reference "
					    "(\\%c): matching could take very long",
					    p[1]);
					return -1;
				}
				p += p[1] != '\0' ? 2 : 1;
				elements++;
				last = 1;
				break;
			case '[':
				/* A bracket expression is one element. */
				p++;
				if (*p == '^')
					p++;
				if (*p == ']')
					p++;
				while (*p != '\0' && *p != ']') {
					if (*p == '[' && (p[1] == ':' || p[1] == '.' ||
					    p[1] == '=')) {
						const char *end = strchr(
						    (const char *)p + 2, p[1]);

						while (end != NULL && end[1] != ']')
							end = strchr(end + 1, p[1]);
						if (end == NULL)
							break;
						p = (const unsigned char *)end + 2;
					} else
						p++;
				}
				if (*p == ']')
					p++;
				elements++;
				last = 1;
				break;
			default:
				/* One character, however many bytes. */
				p++;
				while ((*p & 0xc0) == 0x80)
					p++;
				elements++;
				last = 1;
				break;
			}
		}
		if (elements > RE_ELEMENTS_MAX) {
			snprintf(why, whylen, "too large once its repetitions are "
			    "expanded (more than %d elements)", RE_ELEMENTS_MAX);
			return -1;
		}
	}
	return 0;
}

/* Parses "a=b, c=~d" into conditions; -1 with a message. */
static int
parse(const char *match, struct cond **out, size_t *nout, char *err,
    size_t errlen)
{
	char *copy, *part, *save = NULL, *eq, *label, *val, *anchored, why[160];
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
			if (re_check(val, why, sizeof(why)) == -1) {
				snprintf(err, errlen, "match: %s=~%s: %s", label, val,
				    why);
				goto bad;
			}
			if ((anchored = malloc(strlen(val) + 5)) == NULL)
				goto bad;
			sprintf(anchored, "^(%s)$", val);
			rc = regcomp(&c[n].re, anchored, REG_EXTENDED | REG_NOSUB);
			free(anchored);
			if (rc != 0) {
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
