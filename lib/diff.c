/* SPDX-License-Identifier: MIT */
/*
 * Line differences.  See diff.h.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"

struct lines {
	const char	**p;		/* where each line starts */
	size_t		*len;		/* its length, without the newline */
	size_t		 n;		/* how many */
};

static void
lines_free(struct lines *l)
{
	free(l->p);
	free(l->len);
}

static int
split(const char *s, struct lines *l)
{
	const char *nl;
	size_t cap = 1;

	memset(l, 0, sizeof(*l));
	for (nl = s; (nl = strchr(nl, '\n')) != NULL; nl++)
		cap++;
	if ((l->p = calloc(cap, sizeof(*l->p))) == NULL ||
	    (l->len = calloc(cap, sizeof(*l->len))) == NULL) {
		lines_free(l);
		return -1;
	}
	while (*s != '\0') {
		nl = strchr(s, '\n');
		l->p[l->n] = s;
		l->len[l->n] = nl != NULL ? (size_t)(nl - s) : strlen(s);
		l->n++;
		if (nl == NULL)
			break;
		s = nl + 1;
	}
	return 0;
}

static int
same(const struct lines *a, size_t i, const struct lines *b, size_t j)
{
	return a->len[i] == b->len[j] &&
	    memcmp(a->p[i], b->p[j], a->len[i]) == 0;
}

static void
emit(struct diff *d, enum diff_op op, const struct lines *l, size_t i)
{
	d->v[d->n].op = op;
	d->v[d->n].text = l->p[i];
	d->v[d->n].len = l->len[i];
	d->n++;
	if (op != DIFF_SAME)
		d->changed++;
}

int
diff_lines(const char *a, const char *b, struct diff *d)
{
	struct lines la, lb;
	size_t pre = 0, suf = 0, na, nb, i, j, w;
	uint32_t *lcs = NULL;
	int rv = -1;

	memset(d, 0, sizeof(*d));
	if (split(a, &la) == -1)
		return -1;
	if (split(b, &lb) == -1) {
		lines_free(&la);
		return -1;
	}
	if ((d->v = calloc(la.n + lb.n + 1, sizeof(*d->v))) == NULL)
		goto out;
	while (pre < la.n && pre < lb.n && same(&la, pre, &lb, pre))
		pre++;
	while (suf < la.n - pre && suf < lb.n - pre &&
	    same(&la, la.n - 1 - suf, &lb, lb.n - 1 - suf))
		suf++;
	na = la.n - pre - suf;
	nb = lb.n - pre - suf;
	for (i = 0; i < pre; i++)
		emit(d, DIFF_SAME, &la, i);
	if ((na + 1) > DIFF_MAX_CELLS / (nb + 1)) {
		/* Too large to compare: the middle replaced whole. */
		d->coarse = 1;
		for (i = 0; i < na; i++)
			emit(d, DIFF_DEL, &la, pre + i);
		for (j = 0; j < nb; j++)
			emit(d, DIFF_ADD, &lb, pre + j);
	} else {
		/* lcs[i][j]: the longest common run of a[i..] and b[j..]. */
		w = nb + 1;
		if ((lcs = calloc((na + 1) * w, sizeof(*lcs))) == NULL)
			goto out;
		for (i = na; i-- > 0;)
			for (j = nb; j-- > 0;)
				lcs[i * w + j] = same(&la, pre + i, &lb, pre + j) ?
				    lcs[(i + 1) * w + j + 1] + 1 :
				    lcs[(i + 1) * w + j] > lcs[i * w + j + 1] ?
				    lcs[(i + 1) * w + j] : lcs[i * w + j + 1];
		for (i = 0, j = 0; i < na || j < nb;) {
			if (i < na && j < nb && same(&la, pre + i, &lb, pre + j)) {
				emit(d, DIFF_SAME, &la, pre + i);
				i++;
				j++;
			} else if (j < nb && (i == na || lcs[i * w + j + 1] >=
			    lcs[(i + 1) * w + j]))
				emit(d, DIFF_ADD, &lb, pre + j++);
			else
				emit(d, DIFF_DEL, &la, pre + i++);
		}
	}
	for (i = la.n - suf; i < la.n; i++)
		emit(d, DIFF_SAME, &la, i);
	rv = 0;
out:
	free(lcs);
	lines_free(&la);
	lines_free(&lb);
	if (rv == -1)
		diff_free(d);
	return rv;
}

void
diff_free(struct diff *d)
{
	if (d == NULL)
		return;
	free(d->v);
	memset(d, 0, sizeof(*d));
}
