/* SPDX-License-Identifier: MIT */
/*
 * Syslog as equipment sends it: RFC 5424 and RFC 3164 messages, and the
 * framing of RFC 6587 for syslog over TCP.  Pure functions: the daemon
 * reads the bytes, lib says what they are.
 *
 * A message is refused, with a reason naming what is wrong, when it cannot
 * be stored as the equipment meant it: a bad PRI, no timestamp (the event
 * time is the message's own, never the arrival), MSG that is not UTF-8 or
 * holds a NUL (PostgreSQL's text cannot), a header field too long.
 */
#ifndef SOCHI_SYSLOG_H
#define SOCHI_SYSLOG_H

#include <stddef.h>
#include <stdint.h>

#include "zone.h"

/* RFC 5424's limits, in bytes; RFC 3164's TAG is held to the same. */
#define SYSLOG_HOST_MAX		255
#define SYSLOG_APP_MAX		48
#define SYSLOG_PROCID_MAX	128
#define SYSLOG_MSGID_MAX	32

enum syslog_format { SYSLOG_RFC3164, SYSLOG_RFC5424 };

struct syslog_msg {
	enum syslog_format format;	/* which RFC its header follows */
	int		 pri;		/* 0..191: facility * 8 + severity */
	int		 facility;	/* 0 kern .. 23 local7 */
	int		 severity;	/* 0 emerg .. 7 debug */
	int64_t		 at;		/* its own timestamp, µs since the epoch */
	int64_t		 received;	/* when it arrived, µs (the caller's) */
	char		 host[SYSLOG_HOST_MAX + 1]; /* HOSTNAME, else the sender's */
	char		 app[SYSLOG_APP_MAX + 1]; /* APP-NAME or TAG, or "" */
	char		 procid[SYSLOG_PROCID_MAX + 1]; /* PROCID or TAG's [pid], or "" */
	char		 msgid[SYSLOG_MSGID_MAX + 1]; /* MSGID, or "" */
	const char	*sd;		/* STRUCTURED-DATA as sent (borrowed), or NULL */
	size_t		 sdlen;		/* its length */
	const char	*msg;		/* MSG, BOM removed (borrowed from the input) */
	size_t		 msglen;	/* its length; it is valid UTF-8, no NUL */
};

/* What syslog_parse needs besides the bytes. */
struct syslog_opts {
	int64_t		 received;	/* arrival time, µs: picks RFC 3164's year */
	const struct zone *zone;	/* the zone RFC 3164's local times are in */
	const char	*sender;	/* the sender's address: the host when none is sent */
};

/*
 * Parses one message (a UDP datagram or a TCP frame's MSG).  m borrows buf
 * for sd and msg.  Returns 0, or -1 with the reason in err.
 */
int	syslog_parse(const char *buf, size_t len, const struct syslog_opts *,
	    struct syslog_msg *m, char *err, size_t errlen);

const char *syslog_facility_name(int);
const char *syslog_severity_name(int);
/* A facility or severity by name (local7, notice) or number; -1 if none. */
int	syslog_facility_from_name(const char *);
int	syslog_severity_from_name(const char *);
/* Whether s[0..n) is UTF-8 without NUL; else where it goes wrong. */
int	syslog_utf8_check(const char *, size_t, size_t *);

/*
 * RFC 6587 framing over a TCP stream, detected frame by frame: a frame that
 * begins with a digit is octet-counted (`LEN SP MSG`), one that begins with
 * `<` runs to its LF (or NUL) trailer.  The framer keeps only what it needs
 * to drop an oversize frame without buffering it.
 */
struct syslog_framer {
	size_t		 max;		/* the longest MSG accepted */
	size_t		 skip;		/* bytes of an oversize counted frame still to drop */
	int		 skip_line;	/* dropping an oversize LF-framed frame to its LF */
};

enum syslog_frame_rc {
	SYSLOG_FRAME_MORE,		/* need more bytes */
	SYSLOG_FRAME_MSG,		/* a frame: *msg, *msglen */
	SYSLOG_FRAME_DROP,		/* an oversize frame is being dropped: count it */
	SYSLOG_FRAME_ERROR		/* not RFC 6587 framing: close the connection */
};

void	syslog_framer_init(struct syslog_framer *, size_t);
/*
 * Looks at buf[0..len), the bytes received and not yet consumed.  Sets
 * *used to the bytes the caller must consume now, whatever it returns (a
 * dropped frame's bytes are consumed as they come).  On SYSLOG_FRAME_MSG,
 * *msg points into buf and is valid until those bytes are consumed.
 * SYSLOG_FRAME_DROP and SYSLOG_FRAME_ERROR say why in err; after DROP the
 * caller calls again, after ERROR it closes the connection.
 */
enum syslog_frame_rc syslog_frame_next(struct syslog_framer *, const char *buf,
	    size_t len, size_t *used, const char **msg, size_t *msglen, char *err,
	    size_t errlen);

#endif
