/* SPDX-License-Identifier: MIT */
/*
 * Monitoring webhooks as they are sent: Prometheus Alertmanager (version 4),
 * Grafana Alerting's webhook contact point (version 1) and sochi's Zabbix
 * media type (conf/zabbix/media_sochi.yaml).  Each payload becomes a list of
 * alert state changes with the time they happened (never the time the POST
 * arrived) and a key that makes each change one event however often it is
 * sent again; lib/correlate decides which incident each one belongs to.
 */
#ifndef SOCHI_WEBHOOK_H
#define SOCHI_WEBHOOK_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "config.h"
#include "event.h"
#include "sbuf.h"
#include "zone.h"

struct wh_alert {
	char		 status[12];	/* firing or resolved */
	const char	*name;		/* alertname, or the Zabbix trigger */
	json_t		*labels;	/* label -> string (a reference) */
	json_t		*annotations;	/* annotation -> string (a reference) */
	int64_t		 at;		/* startsAt (firing) or endsAt (resolved) */
	char		 key[256];	/* fingerprint:status:startsAt */
	char		 group[512];	/* the sender's group of the alert */
	char		 fingerprint[96]; /* as sent, or made from the labels */
};

struct wh_batch {
	struct wh_alert	*a;		/* the alerts, in payload order */
	size_t		 n;
	long		 truncated;	/* alerts Alertmanager left out */
	char		 group[512];	/* the payload's group (for logging) */
};

int	webhook_alertmanager(json_t *, struct wh_batch *, char *, size_t);
int	webhook_grafana(json_t *, struct wh_batch *, char *, size_t);
/* Zabbix's date macros carry no offset: they are read in the given zone. */
int	webhook_zabbix(json_t *, const struct zone *, struct wh_batch *, char *,
	    size_t);
void	wh_batch_free(struct wh_batch *);

/* An alert's row and the text it holds. */
struct wh_row {
	struct event_row row;		/* borrows the alert and the buffers below */
	struct sbuf	 data;		/* status, name, labels, annotations, ... */
	struct sbuf	 grp;		/* source:group */
	struct sbuf	 open;		/* what a firing alert opens, if it may */
	struct sbuf	 imp;		/* the impact it starts or recovers */
};

/*
 * The row sochi_ingest takes for an alert: its incident (a label
 * "incident") or its group, and what the rule matched (or NULL) adds: the
 * actor, whether a firing alert opens an incident, the impact it starts
 * or recovers.  The row borrows the alert and the rule.
 */
int	webhook_row(const struct wh_alert *, const struct config_rule *,
	    const char *, const char *, struct wh_row *);
void	wh_row_free(struct wh_row *);

#endif
