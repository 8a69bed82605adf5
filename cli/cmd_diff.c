/* SPDX-License-Identifier: MIT */
/*
 * sochi diff A B [-i CODE]: what changed between two draft versions.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"
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

static int
cmd_diff_exec(struct cli *cli, int argc, char **argv)
{
	struct wargs w;
	char code[80], *a, *b;
	struct diff d;
	size_t i;
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
	if (diff_lines(a, b, &d) == -1) {
		fprintf(stderr, "sochi diff: out of memory\n");
		free(a);
		free(b);
		return EXIT_TROUBLE;
	}
	printf("--- %s version %d\n+++ %s version %d\n", code, va, code, vb);
	for (i = 0; i < d.n; i++)
		if (d.v[i].op != DIFF_SAME)
			printf("%c %.*s\n", d.v[i].op == DIFF_ADD ? '+' : '-',
			    (int)d.v[i].len, d.v[i].text);
	changed = d.changed > 0;
	diff_free(&d);
	free(a);
	free(b);
	return changed ? EXIT_FINDINGS : 0;
}
