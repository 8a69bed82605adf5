/* SPDX-License-Identifier: MIT */
/*
 * The syslog listeners (listen_syslog_udp, listen_syslog_tcp): equipment
 * command logs as RFC 5424 or RFC 3164 messages, a datagram each on UDP,
 * RFC 6587 frames (octet counting or LF) on TCP.  A sender not in
 * [syslog] allow is dropped before anything is read from it; each message
 * is parsed (lib/syslog.c), matched against the [syslog.NAME] rules
 * (lib/syslog_rule.c), and a line a rule takes goes to the writer as an
 * action row.  Syslog has no answers: whatever is not stored is counted,
 * and each kind of trouble is logged at most once a minute.
 */
#ifndef SOCHID_SYSLOG_LISTENER_H
#define SOCHID_SYSLOG_LISTENER_H

#include <stddef.h>
#include <stdint.h>

#include <event2/event.h>

#include "config.h"

/*
 * The counters, since start.  Every message read from an allowed sender
 * is received, and then exactly one of malformed, unmatched, match_errors,
 * or matched; a matched line is then stored, journaled or refused once the
 * writer answers (pending until then).
 */
struct syslog_stats {
	uint64_t	 received;	/* messages read: datagrams and TCP frames */
	uint64_t	 disallowed;	/* datagrams and TCP connections from senders not allowed */
	uint64_t	 malformed;	/* bad PRI, no timestamp, oversize, not UTF-8, bad framing */
	uint64_t	 unmatched;	/* taken by no rule: not stored */
	uint64_t	 match_errors;	/* a rule's expression hit its limits: not stored */
	uint64_t	 stored;	/* matched and answered with an event id */
	uint64_t	 journaled;	/* matched and kept in the journal for the database */
	uint64_t	 refused;	/* matched and not stored: no room, no incident, ... */
	size_t		 pending;	/* matched lines the writer still holds */
	size_t		 connections;	/* TCP connections open */
	size_t		 paused;	/* ... of them not read until the writer has room */
};

/* Binds what the config turns on; 0 when neither listener is on. */
int	syslog_listener_init(struct event_base *, struct sochi_config *);
/* Stops reading; what was read is handed to the writer, sockets closed. */
void	syslog_listener_drain(void);
void	syslog_listener_stats(struct syslog_stats *);
/* The address a listener is bound to ("127.0.0.1:5514"), or NULL when off. */
const char *syslog_listener_addr(int tcp);
/* Logs the counters once (the shutdown's summary) and frees everything. */
void	syslog_listener_free(void);

#endif
