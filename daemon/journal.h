/* SPDX-License-Identifier: MIT */
/*
 * The journal: where accepted events wait while PostgreSQL cannot commit
 * them (down, unreachable, stalled, read-only), so that the record of an
 * outage is kept during the outage.  An append-only file in state_dir of
 * length-prefixed records, each with a CRC-32C; a sender is answered
 * "journaled" only once its record is fsync'd.  The writes and the fsync
 * happen on a thread of their own (as Redis's bio does), never on the
 * ingest loop, in groups.  When the database is back the writer reads the
 * records again in order and stores them (idempotently: the same source
 * and key), and the file is emptied once all of it is stored.  A record
 * cut short by a crash was never answered: it is found and dropped at start.
 *
 * Record:  u32 length | u32 crc32c(payload) | payload
 * Payload: u8 version (1) | u8 flags (1: atomic) | u32 rows |
 *          i64 accepted (µs since the epoch) | rows (event_row_pack)
 * All little-endian.
 */
#ifndef SOCHID_JOURNAL_H
#define SOCHID_JOURNAL_H

#include <stddef.h>
#include <stdint.h>

#include <event2/event.h>

#include "config.h"
#include "event.h"

/* Called once a record is on disk (err NULL) or could not be written. */
typedef void (*journal_cb)(void *, const char *);

/* One record read back for storing. */
struct journal_rec {
	uint64_t	 id;		/* its place in the file */
	int		 atomic;	/* its rows are stored together or not at all */
	size_t		 n;		/* rows */
	struct event_row *rows;		/* borrowing buf */
	int64_t		 accepted;	/* when sochid took it, µs since the epoch */
	char		*buf;		/* the record's bytes, owned */
};

/* Opens (or makes) the journal; with journal = off, does nothing. */
int	journal_init(struct event_base *, const struct sochi_config *);
int	journal_enabled(void);
/*
 * Appends n rows as one record; cb(arg, NULL) once it is on disk.  -1 with
 * a reason when it cannot be taken (journal_max_bytes reached).
 */
int	journal_append(const struct event_row *, size_t, int, journal_cb,
	    void *, char *, size_t);
/*
 * The next record on disk not yet handed out: 1 and rec (free it with
 * journal_rec_free), or 0 when there is none.
 */
int	journal_next(struct journal_rec *);
void	journal_rec_free(struct journal_rec *);
/* A record handed out is stored (or refused for good, and kept aside). */
void	journal_done(uint64_t);
/* Hand out again, from the first record not done. */
void	journal_rewind(void);
/* Nothing on disk or on its way there that is not stored. */
int	journal_empty(void);
/* Everything on disk handed out, nothing on its way there. */
int	journal_caught_up(void);
/* Empties the file once journal_empty(); returns 0 or -1 (logged). */
int	journal_truncate(void);
/* A row the database refused for good on replay: kept in journal.rejected. */
void	journal_reject(const struct event_row *, const char *);
/* Events on disk not yet stored, and how long the oldest has waited (µs). */
void	journal_backlog(size_t *, int64_t *, size_t *);
void	journal_free(void);

#endif
