/* SPDX-License-Identifier: MIT */
/*
 * Address and prefix lists.  See netlist.h.
 */
#include <arpa/inet.h>
#include <netinet/in.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "netlist.h"

static void
entry_trim(char **s, char **e)
{
	while (**s == ' ' || **s == '\t')
		(*s)++;
	while (*e > *s && ((*e)[-1] == ' ' || (*e)[-1] == '\t'))
		*--*e = '\0';
}

static int
parse_one(char *s, int tagged, struct net_prefix *p, char *err, size_t errlen)
{
	char *slash, *sp = NULL, *end;
	long bits;
	int max, i;

	memset(p, 0, sizeof(*p));
	if (tagged) {
		if ((sp = strchr(s, ' ')) == NULL) {
			snprintf(err, errlen, "\"%s\": expected an address or "
			    "prefix, a space and a zone", s);
			return -1;
		}
		*sp++ = '\0';
		while (*sp == ' ')
			sp++;
		if (*sp == '\0' || strchr(sp, ' ') != NULL) {
			snprintf(err, errlen, "\"%s %s\": expected one zone after "
			    "the address", s, sp);
			return -1;
		}
	}
	if ((slash = strchr(s, '/')) != NULL)
		*slash++ = '\0';
	if (inet_pton(AF_INET, s, p->addr) == 1)
		p->family = AF_INET, max = 32;
	else if (inet_pton(AF_INET6, s, p->addr) == 1)
		p->family = AF_INET6, max = 128;
	else {
		snprintf(err, errlen, "\"%s\": not an IPv4 or IPv6 address", s);
		return -1;
	}
	p->bits = max;
	if (slash != NULL) {
		bits = strtol(slash, &end, 10);
		if (*slash == '\0' || *end != '\0' || bits < 0 || bits > max) {
			snprintf(err, errlen, "\"%s/%s\": the prefix length must be "
			    "0 to %d", s, slash, max);
			return -1;
		}
		p->bits = (int)bits;
	}
	for (i = 0; i < max / 8; i++)
		if (i * 8 >= p->bits)
			p->addr[i] = 0;
		else if (i * 8 + 8 > p->bits)
			p->addr[i] &= (unsigned char)(0xff << (8 - (p->bits - i * 8)));
	if (sp != NULL && (p->tag = strdup(sp)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	return 0;
}

int
netlist_parse(const char *text, int tagged, struct netlist *l, char *err,
    size_t errlen)
{
	char *copy, *part, *save = NULL, *end;
	struct net_prefix *v;

	memset(l, 0, sizeof(*l));
	if ((copy = strdup(text)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (part = strtok_r(copy, ",", &save); part != NULL;
	    part = strtok_r(NULL, ",", &save)) {
		end = part + strlen(part);
		entry_trim(&part, &end);
		if (*part == '\0')
			continue;
		if ((v = realloc(l->v, (l->n + 1) * sizeof(*v))) == NULL) {
			snprintf(err, errlen, "out of memory");
			goto bad;
		}
		l->v = v;
		if (parse_one(part, tagged, &l->v[l->n], err, errlen) == -1)
			goto bad;
		l->n++;
	}
	free(copy);
	return 0;
bad:
	free(copy);
	netlist_free(l);
	return -1;
}

static int
in_prefix(const struct net_prefix *p, const unsigned char *a)
{
	int full = p->bits / 8, rest = p->bits % 8;

	if (memcmp(p->addr, a, (size_t)full) != 0)
		return 0;
	return rest == 0 || ((a[full] ^ p->addr[full]) &
	    (0xff << (8 - rest))) == 0;
}

const struct net_prefix *
netlist_match(const struct netlist *l, const struct sockaddr *sa)
{
	const unsigned char *a;
	int family;
	size_t i;

	if (sa == NULL)
		return NULL;
	if (sa->sa_family == AF_INET) {
		family = AF_INET;
		a = (const unsigned char *)&((const struct sockaddr_in *)
		    (const void *)sa)->sin_addr;
	} else if (sa->sa_family == AF_INET6) {
		const struct in6_addr *a6 = &((const struct sockaddr_in6 *)
		    (const void *)sa)->sin6_addr;

		family = AF_INET6;
		a = (const unsigned char *)a6;
		if (IN6_IS_ADDR_V4MAPPED(a6)) {
			family = AF_INET;
			a += 12;
		}
	} else
		return NULL;
	for (i = 0; i < l->n; i++)
		if (l->v[i].family == family && in_prefix(&l->v[i], a))
			return &l->v[i];
	return NULL;
}

int
netlist_print(const struct netlist *l, struct sbuf *b)
{
	char a[INET6_ADDRSTRLEN];
	size_t i;
	int rv = 0;

	for (i = 0; i < l->n; i++) {
		const struct net_prefix *p = &l->v[i];

		inet_ntop(p->family, p->addr, a, sizeof(a));
		rv |= sbuf_printf(b, "%s%s", i ? ", " : "", a);
		if (p->bits != (p->family == AF_INET ? 32 : 128))
			rv |= sbuf_printf(b, "/%d", p->bits);
		if (p->tag != NULL)
			rv |= sbuf_printf(b, " %s", p->tag);
	}
	return rv ? -1 : 0;
}

void
netlist_free(struct netlist *l)
{
	size_t i;

	if (l == NULL)
		return;
	for (i = 0; i < l->n; i++)
		free(l->v[i].tag);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}
