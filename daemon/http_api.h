/*
 * The HTTP API (evhttp): POST /v1/events and GET /healthz.
 */
#ifndef SOCHID_HTTP_API_H
#define SOCHID_HTTP_API_H

#include <event2/event.h>

#include "config.h"

int	http_api_init(struct event_base *, struct sochi_config *);
/* Requests still waiting for the database. */
size_t	http_api_pending(void);
void	http_api_drain(void);
void	http_api_free(void);

#endif
