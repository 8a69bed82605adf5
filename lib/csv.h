/* SPDX-License-Identifier: MIT */
/*
 * Tables for spreadsheets and auditors, as RFC 4180 CSV: a UTF-8 byte
 * order mark first (spreadsheet programs read the file as UTF-8 only with
 * it), a header row, CRLF line ends, a field quoted when it holds a comma,
 * a quote, CR or LF, and a quote inside doubled.
 */
#ifndef SOCHI_CSV_H
#define SOCHI_CSV_H

#include <stddef.h>

#include "sbuf.h"
#include "timeline.h"

#define CSV_BOM		"\xef\xbb\xbf"

/* A field; first says it begins a row (no comma before it).  NULL: empty. */
int	csv_field(struct sbuf *, const char *, int);
/* The end of a row. */
int	csv_end(struct sbuf *);
/* A row of fields from a NULL-terminated list, ended. */
int	csv_row(struct sbuf *, const char *const *);
/* A time in the zone, with its offset: 2026-11-16T12:03:00+09:00. */
int	csv_time(const struct zone *, int64_t, struct sbuf *);

/*
 * The 詳細な措置模様 as a table, one row per entry in the model's order:
 * time, phase, heading, text, actor, source, recorded_by, event_id,
 * supersedes, superseded_by, retracted_by, state (current, superseded,
 * retracted), alert_fingerprint.  evs are the events the model was built
 * from.  With all, the actions and alerts no longer shown (superseded or
 * retracted) are rows too, each after the entries of its time.
 */
int	csv_timeline(const struct timeline *, const struct tl_event *, size_t,
	    const struct tl_config *, int, struct sbuf *);

#endif
