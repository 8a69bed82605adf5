/* SPDX-License-Identifier: MIT */
/*
 * What the write verbs (open, log, impact, users, notice, inquiry, note,
 * amend, retract, close) share: one option table, the incident, the time,
 * the actor, sending events to sochid and reporting each answer.
 */
#ifndef SOCHI_CLI_WRITE_H
#define SOCHI_CLI_WRITE_H

#include <stdio.h>

#include <jansson.h>

#include "sochi.h"

/* The options a verb may take; each verb names the ones it accepts. */
enum wopt {
	W_INCIDENT, W_AT, W_ACTOR, W_JSON, W_PHASE, W_HEADING, W_SERVICE,
	W_CATEGORY, W_LOCATION, W_EQUIPMENT, W_USERS, W_TOTAL, W_BASIS,
	W_REGION, W_CHANNEL, W_TOPIC, W_STAGE, W_DUE, W_DONE, W_WHY, W_TEXT,
	W_LABEL, W_COUNT, W_LIST, W_KEY, W_CODE, W_FORCE, W_IMPACT, W__COUNT
};

#define WO(o)	(1u << (o))
#define WO_COMMON (WO(W_INCIDENT) | WO(W_AT) | WO(W_ACTOR) | WO(W_JSON) | \
		    WO(W_KEY))

struct wargs {
	const char	*v[W__COUNT];	/* each option's value, or NULL */
	int		 json;		/* --json */
	int		 list;		/* --list */
	int		 force;		/* --force */
	int		 print_code;	/* answer with the incident code alone (open) */
	int		 argc;		/* positional arguments */
	char		**argv;
	int64_t		 now;		/* when the command started */
};

/*
 * Parses argv for a verb taking the options in mask; on --help prints the
 * usage and returns 1; on an error prints it and returns -1.
 */
int	wargs_parse(const char *, int, char **, unsigned,
	    void (*)(FILE *), struct wargs *);
/* The positional arguments from index `from` on, joined by spaces. */
void	wargs_join(const struct wargs *, int, struct sbuf *);
/* A non-negative integer option or argument; -1 with a message if not. */
int	wargs_count(const char *, const char *, const char *, int64_t *);

/* The event to send: kind, incident, at (or now), actor, key. */
json_t	*cli_event(struct cli *, const struct wargs *, const char *,
	    const char *, int64_t);
/* --at (or now), read in the carrier's zone. */
int	cli_at(struct cli *, const char *, int64_t, int64_t *);
json_t	*cli_time_json(struct cli *, int64_t);
/* The incident for a write: -i, $SOCHI_INCIDENT, or the only open one. */
int	cli_write_incident(struct cli *, const struct wargs *, char *, size_t);
/*
 * The incident of an event a write names (amend, retract): its own; when
 * -i or $SOCHI_INCIDENT names another, refused with a message.
 */
int	cli_event_target(struct cli *, const struct wargs *, const char *,
	    int64_t, char *, size_t);

/*
 * Sends the events on one connection and prints each answer (the daemon's
 * line with --json).  Returns the exit status: 0 when every event was
 * committed, 1 when any was refused, 2 when sochid could not be reached.
 * With labels, each answer is prefixed by its label (sochi log's lines).
 */
int	cli_send_events(struct cli *, const struct wargs *, json_t **, size_t,
	    const char *const *);

#endif
