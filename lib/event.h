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
 * Appends the row the ingest function reads (sql/001_init.sql,
 * sochi_ingest): a JSON object with the event's fields and who sent it.
 * now is used when the event carried no time; auto_key when it carried no key.
 */
int	event_write_row(const struct sochi_event *, const char *source,
	    const char *recorded_by, const char *auto_key, int64_t now_usec,
	    struct sbuf *);

#endif
