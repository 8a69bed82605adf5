/* SPDX-License-Identifier: MIT */
/*
 * Reading sochid.conf from disk; shared by sochid and the sochi CLI.
 */
#ifndef SOCHI_CONFFILE_H
#define SOCHI_CONFFILE_H

#include <stddef.h>

#include "config.h"

#ifndef SOCHI_SYSCONFDIR
#define SOCHI_SYSCONFDIR "/etc"
#endif
#define SOCHI_DEFAULT_CONFIG	SOCHI_SYSCONFDIR "/sochi/sochid.conf"

struct zone;

/* The file to read: the argument, else $SOCHI_CONFIG, else the default. */
const char	*conffile_path(const char *);
/*
 * Fills cf from the file.  A missing file is an error only when required.
 * On error returns -1 with a message naming the file, line and key.
 */
int		 conffile_load(struct sochi_config *, const char *, int required,
		    char *, size_t);
/*
 * Fills cf->tokens from cf->tokens_file (none when it is empty).  Refuses a
 * file others may read or write, as ssh refuses such a private key.
 */
int		 conffile_tokens(struct sochi_config *, char *, size_t);
/* The user's own file: $XDG_CONFIG_HOME/sochi/sochi.conf or ~/.config/... */
int		 conffile_user_path(char *, size_t);
/*
 * The CLI's configuration: the file -c names, alone; otherwise
 * $SOCHI_CONFIG or the default (missing: the defaults; unreadable: the
 * user's file alone, if there is one) with the user's file read over it,
 * key by key (a map section, such as [actors], as a whole).  used says
 * which files were read, for messages.
 */
int		 conffile_load_cli(struct sochi_config *, const char *, char *,
		    size_t, char *, size_t);
/* Loads a zone from the system's zone database (TZif files). */
int		 conffile_zone(const char *, struct zone *, char *, size_t);

#endif
