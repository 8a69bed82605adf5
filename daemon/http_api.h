/* SPDX-License-Identifier: MIT */
/*
 * The HTTP API (on daemon/http_server.c): POST /v1/events, the monitoring
 * webhooks (/v1/alertmanager, /v1/grafana, /v1/zabbix) and GET /healthz.
 */
#ifndef SOCHID_HTTP_API_H
#define SOCHID_HTTP_API_H

#include <event2/event.h>

#include "config.h"

struct correlator;
struct zone;

int	http_api_init(struct event_base *, struct sochi_config *,
	    const struct correlator *, const struct zone *);
/* Requests still waiting for the database. */
size_t	http_api_pending(void);
/* Connections open. */
size_t	http_api_conns(void);
void	http_api_drain(void);
void	http_api_free(void);

#endif
