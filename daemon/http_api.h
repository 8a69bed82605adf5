/* SPDX-License-Identifier: MIT */
/*
 * The HTTP API (on daemon/http_server.c): POST /v1/events, the monitoring
 * webhooks (/v1/alertmanager, /v1/grafana, /v1/zabbix), GET /healthz and
 * GET /metrics; the read paths (lib/web.h: /, /login, /incidents/…,
 * /v1/incidents…) go to the web worker once access is checked.
 */
#ifndef SOCHID_HTTP_API_H
#define SOCHID_HTTP_API_H

#include <stddef.h>
#include <stdint.h>

#include <event2/event.h>

#include "config.h"

struct correlator;
struct worker_proc;
struct zone;

int	http_api_init(struct event_base *, struct sochi_config *,
	    const struct correlator *, const struct zone *);
/* The web worker that answers the read paths (NULL: they are 404). */
void	http_api_set_web(struct worker_proc *);
/* Requests still waiting for the database. */
size_t	http_api_pending(void);
/* Connections open, and accepted since start. */
size_t	http_api_conns(void);
uint64_t http_api_accepted(void);
/*
 * SIGHUP: the rules compiled again (the caller frees the old ones after
 * this) and the limits of the running config apply now.
 */
void	http_api_reload(const struct correlator *);
void	http_api_drain(void);
void	http_api_free(void);

#endif
