/*
 * Drafts that write themselves.  After each commit that touches an
 * incident the detector reads it again and rebuilds its model (no polling
 * over the whole database): when every impact has recovered it makes the
 * 詳報 draft, when the incident first meets a serious-accident pair the 速報
 * (with a timer set to the minute a running impact will meet one), stores
 * them (sochi_draft_add: once per trigger, whichever daemon comes first),
 * writes them to the spool folder and notifies.
 */
#ifndef SOCHID_DETECTOR_H
#define SOCHID_DETECTOR_H

#include <event2/event.h>

#include "config.h"
#include "zone.h"

int	detector_init(struct event_base *, const struct sochi_config *,
	    const struct zone *);
/* An incident's events were committed. */
void	detector_touch(const char *);
/* Nothing queued or running. */
int	detector_idle(void);
void	detector_free(void);

#endif
