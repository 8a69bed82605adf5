/* SPDX-License-Identifier: MIT */
/*
 * Events as they arrive on the wire (DESIGN.md, "Wire format"): decoding one
 * JSON object, validating every field of its kind, and writing the row that
 * the database's ingest function takes.
 */
#ifndef SOCHI_EVENT_H
#define SOCHI_EVENT_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "rfc3339.h"
#include "sbuf.h"

enum sochi_kind {
	KIND_INCIDENT,
	KIND_ACTION,
	KIND_IMPACT,
	KIND_USERS,
	KIND_NOTICE,
	KIND_INQUIRY,
	KIND_NOTE,
	KIND_ALERT,
	KIND_RETRACT,
	KIND__COUNT
};

/* The longest idempotency key and incident code we accept, in bytes. */
#define EVENT_KEY_MAX	200
#define EVENT_CODE_MAX	64

/* How an incident code is written, for messages. */
#define EVENT_CODE_RULE	"expected an incident code: 1 to 64 of A-Z a-z 0-9 . _ -, " \
			"beginning with a letter or digit"

/* What the decoder needs to know of the configuration. */
struct event_rules {
	const char *const *phases;	/* configured phase ids, NULL-terminated */
};

/*
 * One decoded, validated event.  The strings point into root, which the
 * event owns; event_clear() releases it.
 */
struct sochi_event {
	enum sochi_kind	 kind;		/* what happened */
	const char	*incident;	/* incident code, or NULL (open, unattached alert) */
	const char	*key;		/* sender's idempotency key, or NULL */
	const char	*actor;		/* who acted, or NULL */
	const char	*phase;		/* action phase id, or NULL */
	const char	*text;		/* action/notice/note text, retract reason */
	const char	*op;		/* incident or impact op, alert status */
	struct sochi_time at;		/* when it happened */
	int		 has_at;	/* at was given (else the daemon uses now) */
	int64_t		 supersedes;	/* event id this one corrects, or 0 */
	int64_t		 target;	/* retract: the event id removed */
	json_t		*root;		/* the decoded object */
};

const char	*event_kind_name(enum sochi_kind);
/* Whether s[0..n) is an incident code: [A-Za-z0-9][A-Za-z0-9._-]*, <= 64 bytes. */
int		 event_valid_code(const char *, size_t);
int		 event_kind_from_name(const char *, enum sochi_kind *);

/*
 * Decodes one request line.  On failure returns -1 and writes a message that
 * names the field and the offending value, as the answer's "error".
 */
int	event_decode(const char *, size_t, const struct event_rules *,
	    struct sochi_event *, char *, size_t);
/* The same for an object that is already parsed (HTTP arrays); borrows obj. */
int	event_decode_json(json_t *, const struct event_rules *,
	    struct sochi_event *, char *, size_t);
void	event_clear(struct sochi_event *);

/*
 * One row of the event table as sochid hands it to the database
 * (sql/functions/sochi_ingest*.sql): a value per column, with the kind's own
 * fields as the JSON object `data`.  Alerts from the webhooks also carry
 * grp, open and imp (lib/webhook.c).  Strings are borrowed; NULL is SQL
 * null.
 */
struct event_row {
	enum sochi_kind	 kind;		/* what happened */
	const char	*incident;	/* the incident's code as named, or NULL */
	int64_t		 at;		/* when, µs since the epoch */
	const char	*src;		/* the sender: a token's name, local:UID */
	const char	*key;		/* its idempotency key */
	const char	*actor;		/* who acted, or NULL */
	const char	*phase;		/* action phase id, or NULL */
	const char	*text;		/* text, or NULL */
	const char	*by;		/* a local sender's uid, or NULL */
	int64_t		 sup;		/* the event it corrects, or 0 */
	const char	*data;		/* the kind's own fields: a JSON object */
	const char	*grp;		/* an alert's group, or NULL */
	const char	*open;		/* what a firing alert opens: JSON, or NULL */
	const char	*imp;		/* the impact an alert moves: JSON, or NULL */
	int		 own_key;	/* the sender chose the key (not sochid) */
	int		 at_given;	/* the sender gave the time (not "now") */
};

/* The columns of event_row that are strings, in a fixed order. */
enum event_row_text {
	ROW_INCIDENT, ROW_SRC, ROW_KEY, ROW_ACTOR, ROW_PHASE, ROW_TEXT,
	ROW_BY, ROW_DATA, ROW_GRP, ROW_OPEN, ROW_IMP, ROW__COUNT
};

/*
 * Fills row from a decoded event sent by source (recorded_by: a local
 * sender's uid, or NULL).  now is used when the event carried no time,
 * auto_key when it carried no key.  The text of data goes into buf, which
 * row borrows, as it borrows the event.
 */
int	event_row_make(const struct sochi_event *, const char *source,
	    const char *recorded_by, const char *auto_key, int64_t now_usec,
	    struct event_row *, struct sbuf *);
/*
 * A row the bulk insert stores as it is: an action, impact, users sample,
 * notice, inquiry, note or attached alert that corrects nothing and moves
 * nothing else.  The others need steps of their own in the database.
 */
int	event_row_plain(const struct event_row *);
/* Column i of ROW_*, or NULL. */
const char *event_row_text(const struct event_row *, enum event_row_text);
/*
 * A row as bytes (the journal's records): every column, each string with
 * its length and a NUL, so that event_row_unpack can lend them out.
 */
int	event_row_pack(const struct event_row *, struct sbuf *);
/*
 * Reads one packed row from buf (len bytes); row borrows buf.  Returns the
 * bytes used, or 0 when they do not hold a whole row.
 */
size_t	event_row_unpack(const char *, size_t, struct event_row *);

#endif
