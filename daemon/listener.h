/* SPDX-License-Identifier: MIT */
/*
 * NDJSON listeners: the Unix socket (the CLI's, guarded by its file mode,
 * the peer's uid recorded) and TCP (senders authenticate with a first line
 * {"auth":"<token>"}).  One request a line, one answer a line, in order.
 */
#ifndef SOCHID_LISTENER_H
#define SOCHID_LISTENER_H

#include <event2/event.h>

#include "config.h"

int	listener_init(struct event_base *, struct sochi_config *);
/* Stops accepting and reading; connections close once answered. */
void	listener_drain(void);
/* Connections still open. */
size_t	listener_count(void);
void	listener_free(void);

#endif
