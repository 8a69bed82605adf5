/*
 * The sochi CLI: each verb is one file, cmd_<verb>.c, declaring one row of
 * the command table (STYLE.md, habit 1).
 */
#ifndef SOCHI_CLI_H
#define SOCHI_CLI_H

#include "config.h"

struct cli {
	const char	*conf_path;	/* the config file in use */
	struct sochi_config cf;		/* its values, or the defaults */
	const char	*socket;	/* sochid's Unix socket */
};

struct cmd_entry {
	const char	*name;		/* the verb */
	const char	*usage;		/* its arguments, for --help */
	const char	*summary;	/* one line on what it does */
	int		(*exec)(struct cli *, int, char **);
};

extern const struct cmd_entry cmd_send_entry;

/* Connects to sochid's socket; on failure prints why (naming it) and returns -1. */
int	cli_connect(const struct cli *);

#endif
