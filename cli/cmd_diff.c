/* SPDX-License-Identifier: MIT */
/*
 * sochi diff A B [-i CODE]: what changed between two draft versions.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "write.h"

static int	cmd_diff_exec(struct cli *, int, char **);

const struct cmd_entry cmd_diff_entry = { "diff", "A B [-i CODE]",
    "what changed between two draft versions", cmd_diff_exec };

static void
diff_usage(FILE *fp)
{
	fprintf(fp, "usage: sochi diff A B [-i CODE]\n"
	    "Shows what changed from draft version A to version B (text; 0 is\n"
	    "the 速報, 1 the first 詳報),\n"
	    "line by line: \"- \" for a line only in A, \"+ \" for one only in B.\n"
	    "Exit status 1 when they differ.\n");
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
	int64_t a64, b64;

	if ((rv = wargs_parse("diff", argc, argv, WO(W_INCIDENT), diff_usage,
	    &w)) != 0)
		return rv > 0 ? 0 : EXIT_TROUBLE;
	if (w.argc != 2 || wargs_count("diff", "A", w.argv[0], &a64) == -1 ||
	    wargs_count("diff", "B", w.argv[1], &b64) == -1) {
		diff_usage(stderr);
		return EXIT_TROUBLE;
	}
	va = (int)a64;
	vb = (int)b64;
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
