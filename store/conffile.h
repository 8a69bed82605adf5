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
/* Loads a zone from the system's zone database (TZif files). */
int		 conffile_zone(const char *, struct zone *, char *, size_t);

#endif
