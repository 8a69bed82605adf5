/* SPDX-License-Identifier: MIT */
/* sochi phases: the configured phases, for people and for completion. */
#include <stdio.h>

#include "sochi.h"

static int	cmd_phases_exec(struct cli *, int, char **);

const struct cmd_entry cmd_phases_entry = {
	"phases", "", "the timeline's phases and their headings", cmd_phases_exec
};

static int
cmd_phases_exec(struct cli *cli, int argc, char **argv)
{
	size_t i;

	if (argc > 1) {
		printf("usage: sochi phases\nLists the phase ids --phase takes, "
		    "with their headings, in order.\n");
		return argc == 2 && (argv[1][0] == '-') ? 0 : EXIT_TROUBLE;
	}
	for (i = 0; i < cli->cf.phases.n; i++)
		printf("%s\t%s\n", cli->cf.phases.pairs[i].name,
		    cli->cf.phases.pairs[i].value);
	return 0;
}
