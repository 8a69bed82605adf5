/* SPDX-License-Identifier: MIT */
/*
 * The sochi CLI: each verb is one file, cmd_<verb>.c, declaring one row of
 * the command table (STYLE.md, habit 1).  Writes go through sochid's Unix
 * socket; reads go straight to PostgreSQL (cli/incident.c).
 */
#ifndef SOCHI_CLI_H
#define SOCHI_CLI_H

#include <stdint.h>

#include <libpq-fe.h>

#include "config.h"
#include "incident.h"
#include "history.h"
#include "timeline.h"
#include "zone.h"

struct cli {
	const char	*conf_path;	/* the config file in use */
	struct sochi_config cf;		/* its values, or the defaults */
	const char	*socket;	/* sochid's Unix socket */
	const char	*db;		/* --db conninfo, or NULL */
	PGconn		*conn;		/* the database, once connected */
	struct zone	 zone;		/* the carrier's zone, once loaded */
	int		 zone_loaded;
	const struct reg_table *table;	/* --table or [report] table; NULL: in force */
	int		 table_chosen;	/* table was read from the option or config */
	int64_t		 as_of;		/* --as-of: events that occurred by then; 0: all */
};

struct cmd_entry {
	const char	*name;		/* the verb */
	const char	*usage;		/* its arguments, for --help */
	const char	*summary;	/* one line on what it does */
	int		(*exec)(struct cli *, int, char **);
};

extern const struct cmd_entry cmd_send_entry;
extern const struct cmd_entry cmd_list_entry;
extern const struct cmd_entry cmd_timeline_entry;
extern const struct cmd_entry cmd_report_entry;
extern const struct cmd_entry cmd_check_entry;
extern const struct cmd_entry cmd_open_entry;
extern const struct cmd_entry cmd_log_entry;
extern const struct cmd_entry cmd_impact_entry;
extern const struct cmd_entry cmd_users_entry;
extern const struct cmd_entry cmd_notice_entry;
extern const struct cmd_entry cmd_inquiry_entry;
extern const struct cmd_entry cmd_note_entry;
extern const struct cmd_entry cmd_amend_entry;
extern const struct cmd_entry cmd_retract_entry;
extern const struct cmd_entry cmd_close_entry;
extern const struct cmd_entry cmd_phases_entry;
extern const struct cmd_entry cmd_alerts_entry;
extern const struct cmd_entry cmd_attach_entry;
extern const struct cmd_entry cmd_drafts_entry;
extern const struct cmd_entry cmd_draft_entry;
extern const struct cmd_entry cmd_diff_entry;
extern const struct cmd_entry cmd_due_entry;
extern const struct cmd_entry cmd_filed_entry;
extern const struct cmd_entry cmd_related_entry;
/* A stored draft version's body, preferring the format given. */
char	*cli_draft_body(struct cli *, const char *, int, const char *);
/* A stored draft version's bytes in that format (docx); NULL, said why. */
char	*cli_draft_bytes(struct cli *, const char *, int, const char *,
	    size_t *);

/* Connects to sochid's socket; on failure prints why (naming it) and returns -1. */
int	cli_connect(const struct cli *);
/*
 * Writes data (expect request lines) to sochid on one connection and calls
 * on_line for each answer line; -1 (with a message) if sochid cannot be
 * reached or closes before answering every line.
 */
int	cli_exchange(const struct cli *, const char *, size_t, size_t,
	    void (*)(const char *, size_t, void *), void *);

/* Exit statuses shared by the verbs. */
#define EXIT_FINDINGS	1	/* check: errors found; write: refused */
#define EXIT_TROUBLE	2	/* usage, database or daemon unreachable */

int	cli_db(struct cli *);
int	cli_load_zone(struct cli *);
/* -i, else $SOCHI_INCIDENT, else the only open incident; prints why not. */
int	cli_pick_incident(struct cli *, const char *, char *, size_t);
int	cli_load_incident(struct cli *, const char *, struct store_incident *);
/* Its row alone, without the events (the same errors). */
int	cli_load_incident_row(struct cli *, const char *,
	    struct store_incident *);
int	cli_build(struct cli *, struct store_incident *, int64_t,
	    struct timeline *);
/*
 * The usual start of a read verb: --now (or the clock), the incident (-i,
 * $SOCHI_INCIDENT, the only open one), its events, its timeline.
 */
int	cli_open_timeline(struct cli *, const char *, const char *, int64_t *,
	    struct store_incident *, struct timeline *);
/* --now: an RFC 3339 time; NULL means the current time. */
int	cli_now(const char *, int64_t *);
/* --table NAME (NULL: [report] table); prints why not and returns -1. */
int	cli_table(struct cli *, const char *);
/* A time as a listing shows it: 2026-11-16 12:00:00+09:00, in the carrier's zone. */
void	cli_local_time(struct cli *, int64_t, int, struct sbuf *);
int	cli_write_out(const char *, const char *, size_t);
/*
 * HTML printed to PDF by headless Chromium ([report] chromium): the PDF's
 * bytes in *pdf (to free), or -1 having said why (naming the package when
 * the browser is not there).
 */
int	cli_print_pdf(struct cli *, const char *, size_t, char **, size_t *);
/*
 * A binary format goes to -o FILE, or to standard output when that is not
 * a terminal; -1 having said so when it is.
 */
int	cli_binary_out(const char *, const char *, const char *, size_t);
/*
 * The past incidents related to code (years <= 0: [report] related_years),
 * their open impacts measured to now; prints why not and returns -1.
 */
int	cli_related(struct cli *, const char *, int64_t, int,
	    struct store_history *);

#endif
