/* SPDX-License-Identifier: MIT */
/*
 * Telling people a draft was made: notify_command (fork/exec, no shell, its
 * output logged with its exit status, killed after notify_timeout) and
 * notify_url (a JSON summary POSTed, names resolved asynchronously).  Both
 * run in the drafter process, never on the ingest loop.
 */
#ifndef SOCHID_NOTIFY_H
#define SOCHID_NOTIFY_H

#include <stddef.h>

#include <event2/event.h>

#include "config.h"

int	notify_init(struct event_base *, const struct sochi_config *);
/*
 * Runs notify_command and POSTs to notify_url for one new draft: the
 * incident's code, the version, the trigger and the files written.
 */
void	notify_draft(const char *, int, const char *, char (*)[1024], size_t);
/* Commands still running. */
size_t	notify_running(void);
void	notify_free(void);

#endif
