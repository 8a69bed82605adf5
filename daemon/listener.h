/* SPDX-License-Identifier: MIT */
/*
 * NDJSON listeners: the Unix socket (the CLI's, guarded by its file mode,
 * the peer's uid recorded) and TCP (senders authenticate with a first line
 * {"auth":"<token>"}).  One request a line, one answer a line, in order.
 */
#ifndef SOCHID_LISTENER_H
#define SOCHID_LISTENER_H

#include <stddef.h>
#include <stdint.h>

#include <event2/event.h>

#include "config.h"

int	listener_init(struct event_base *, struct sochi_config *);
/* Stops accepting and reading; connections close once answered. */
void	listener_drain(void);
/* Connections still open. */
size_t	listener_count(void);

struct listener_stats {
	size_t		 unix_conns;	/* open on the Unix socket */
	size_t		 tcp_conns;	/* open on TCP */
	uint64_t	 unix_accepted;	/* accepted on the Unix socket, ever */
	uint64_t	 tcp_accepted;	/* accepted on TCP, ever */
};

void	listener_stats(struct listener_stats *);
/* SIGHUP: the caps (max_clients_*) of the running config apply now. */
void	listener_reload(void);
void	listener_free(void);

#endif
