/* SPDX-License-Identifier: MIT */
/*
 * The spool folder where drafts are written as files, each atomically: a
 * temporary file, fsync, rename.  Drafter process only.
 */
#ifndef SOCHID_SPOOL_H
#define SOCHID_SPOOL_H

#include <stddef.h>

/* Creates the folder if need be; -1 (logged) if it cannot be used. */
int	spool_init(const char *);
/* Writes text as name in the folder; path gets the file's full path. */
int	spool_write(const char *, const char *, size_t, char *, size_t);
void	spool_free(void);

#endif
