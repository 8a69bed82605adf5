/* SPDX-License-Identifier: MIT */
/*
 * The timeline model: what an incident's events say, reconstructed in one
 * place so that every renderer (the 措置模様 block, the text, Markdown, HTML
 * and JSON reports, `sochi check`) shows the same figures.
 *
 * Input: the incident and its events in any order (struct tl_event, as read
 * from the event table or from wire-format lines).  Output: struct timeline.
 * Every figure carries the ids of the events it came from.  Strings in the
 * model are borrowed from the events (and their JSON data), which must
 * outlive it, or owned by the model itself (texts it composes, such as an
 * alert's entry); timeline_free() releases what it owns.
 *
 * Rules (spec/form-50-3.md, DESIGN.md):
 * - One current version per event.  Corrections (supersedes) form chains:
 *   a correction of a correction follows it, and the last link is what the
 *   timeline shows.  When two corrections name the same event, the
 *   later-recorded one stands (struct timeline's conflicts name both, for
 *   lint).  A retracted event is dropped and its corrections attach to what
 *   it corrected, so retracting the current version restores the one
 *   before it.
 * - The model is a function of the set of events, never of their ids or of
 *   the order they arrive in: everything is ordered by when it happened,
 *   and events at one instant by their content (for one impact name a
 *   recovery closes the running impact before a start opens the next).
 *   Ids break a tie only between events identical in every field, which
 *   give the same model either way.
 * - 発生 is the earliest impact start, not when the incident was opened.
 * - Each impact's 継続時間 is its recovery minus its own start; an impact not
 *   yet recovered is measured to `now` and marked provisional.
 * - Each impact is classified against its own row (its category, else the
 *   incident's) with its own users (its start's users and the samples that
 *   name it), else the peak of the samples tied to no impact; the incident
 *   is classified as its most severe impact.  A figure no event gives stays
 *   unknown (-1, REG_USERS_UNKNOWN), never zero.
 * - Alerts become entries: firing in the detect phase, resolved in the
 *   recover phase, with the actor configured for monitoring.
 * - An impact moved by alerts (its events carry "alert", the alert's
 *   fingerprint) is held open by every alert that started it and recovers
 *   when the last of them resolves.
 */
#ifndef SOCHI_TIMELINE_H
#define SOCHI_TIMELINE_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "config.h"
#include "event.h"
#include "regulation.h"
#include "sbuf.h"
#include "zone.h"

/* One stored event. */
struct tl_event {
	int64_t		 id;		/* event id */
	enum sochi_kind	 kind;		/* what it is */
	int64_t		 at;		/* when it happened, µs since the epoch */
	int64_t		 recorded;	/* when it was recorded (received_at), µs */
	const char	*actor;		/* who acted, or NULL */
	const char	*phase;		/* action phase id, or NULL */
	const char	*text;		/* action, notice, note text; retract reason */
	int64_t		 supersedes;	/* the event it corrects, or 0 */
	const json_t	*data;		/* the kind's own fields (op, name, count, ...) */
	const char	*source;	/* who sent it (token name, local), or NULL */
	const char	*recorded_by;	/* the local sender's uid, or NULL */
};

/* The incident's own record. */
struct tl_incident {
	const char	*code;		/* 2026-0001 */
	const char	*title;		/* its title */
	const char	*service;	/* ＜影響を与えた電気通信役務＞ */
	int		 category;	/* 1..5, or 0 when not yet set */
	const char	*location;	/* 発生場所, or NULL */
	const char	*equipment;	/* 設備名, or NULL */
	int64_t		 opened_at;	/* when it was declared in sochi */
	int		 closed;	/* closed in sochi */
	int		 key_facility;	/* a satellite/submarine facility lost all traffic */
};

struct tl_config {
	const struct zone *zone;	/* the carrier's zone */
	const struct config_map *phases; /* phase id -> heading, in order */
	const char	*alert_actor;	/* actor of alert entries (監視業務部門) */
};

/* What a reader may ask besides: a view as of a time, a what-if table. */
struct tl_options {
	int64_t		 as_of;		/* only events that occurred by then; 0: all */
	const struct reg_table *table;	/* classify with it; NULL: the one in force */
};

struct tl_entry {
	int64_t		 at;		/* when */
	const char	*text;		/* what was done */
	const char	*actor;		/* who, or NULL */
	const char	*phase;		/* phase id, or NULL */
	const char	*heading;	/* the phase's heading in this incident */
	int64_t		 id;		/* the event */
	const char	*source;	/* who sent the event (token name, local:UID), or NULL */
	const char	*recorded_by;	/* the local sender's uid, or NULL */
};

struct tl_impact {
	int		 no;		/* 1 for ①, in order of start; 0: a lone recovery */
	const char	*name;		/* short id, e.g. mail-send */
	const char	*label;		/* 電子メールの送受信ができない */
	int64_t		 start;		/* when it began */
	int64_t		 recovered;	/* when it recovered, or 0 */
	int64_t		 duration;	/* recovered (or now) minus start, µs */
	int		 provisional;	/* not recovered: duration runs to now */
	int64_t		 users;		/* users stated with the start, or -1 */
	int		 category;	/* its own category 1..6, or 0: the incident's */
	int64_t		 own_users;	/* most users stated for it (start, samples), or -1 */
	int64_t		 own_users_id;	/* the event that stated them */
	int64_t		 cls_users;	/* the users it is classified with, or -1 */
	int64_t		 cls_users_id;	/* their event */
	int		 users_from_peak; /* cls_users is the peak of untied samples */
	int		 assessed;	/* reg holds its classification */
	struct reg_result reg;		/* against its own row */
	int64_t		 start_id;	/* the start event */
	int64_t		 recover_id;	/* the recovery event, or 0 */
	int64_t		 since_occurred; /* recovered minus 発生, µs, or -1 if open */
	const char	*holders[16];	/* alerts holding it open (from monitoring) */
	int		 nholders;
};

struct tl_sample {
	int64_t		 at;		/* when */
	int64_t		 count;		/* affected users then */
	int64_t		 id;		/* the event */
	const char	*impact;	/* the impact name it counts, or NULL */
	int		 impact_no;	/* that impact's ①② number, or 0: untied */
};

struct tl_users {
	struct tl_sample *samples;	/* in time order */
	size_t		 n;		/* how many */
	int64_t		 max;		/* the most affected, or -1 */
	int64_t		 max_id;	/* the sample that stated it */
	int64_t		 untied_max;	/* the most in samples tied to no impact, or -1 */
	int64_t		 untied_max_id;	/* its sample */
	size_t		 untied;	/* samples tied to no impact */
	int64_t		 total;		/* 総契約数 (latest stated), or -1 */
	int64_t		 total_id;	/* its event */
	int64_t		 total_at;	/* as of when */
	const char	*basis;		/* 契約数ベース (latest stated), or NULL */
	int64_t		 basis_id;	/* its event */
	const char	*region;	/* 全国 (latest stated), or NULL */
	int64_t		 region_id;	/* its event */
};

struct tl_notice {
	int		 no;		/* 第N報 within its channel */
	const char	*channel;	/* web, press, sns, other */
	const char	*text;		/* what it said */
	int64_t		 at;		/* when */
	int64_t		 id;		/* the event */
};

struct tl_count {
	const char	*key;		/* channel (phone, mail, other) or topic */
	int64_t		 count;		/* cumulative, as of at */
	int64_t		 at;		/* the latest sample's time */
	int64_t		 id;		/* the latest sample */
};

struct tl_inquiries {
	struct tl_count	*channels;	/* latest per channel, in first-seen order */
	size_t		 nchannels;
	struct tl_count	*topics;	/* latest per topic */
	size_t		 ntopics;
	int64_t		 total;		/* sum of the channels, or -1 with none */
	int64_t		 as_of;		/* the latest of their samples */
	int64_t		*seen;		/* every count stated, channel or topic */
	size_t		 nseen;
};

struct tl_note {
	const char	*section;	/* overview, cause.scale, ... */
	const char	*text;		/* what a person wrote */
	const char	*stage;		/* 設計, 工事, 維持・運用, or NULL */
	const char	*due;		/* YYYY-MM-DD or NULL */
	const char	*done;		/* YYYY-MM-DD or NULL */
	int64_t		 at;		/* when it was written */
	int64_t		 id;		/* the event */
};

/* Two corrections of one event: the later-recorded stands. */
struct tl_conflict {
	int64_t		 target;	/* the event both correct */
	int64_t		 kept;		/* the correction that stands */
	int64_t		 lost;		/* the one that does not */
};

struct timeline {
	const struct tl_incident *incident; /* borrowed */
	int64_t		 occurred;	/* 発生: earliest impact start, or 0 */
	int64_t		 occurred_id;	/* the impact event it came from */
	int64_t		 now;		/* the time provisional durations run to */
	struct tl_impact *impacts;	/* ①②..., in order of start */
	size_t		 nimpacts;
	int		 all_recovered;	/* at least one impact, none open */
	int64_t		 recovered;	/* the last recovery, when all are */
	int64_t		 longest;	/* the longest 継続時間, µs */
	int64_t		 longest_id;	/* the impact start it belongs to */
	int64_t		*dup_starts;	/* starts of an impact already open: ignored */
	size_t		 ndup_starts;
	size_t		 nshown;	/* impacts with a start: ①..(nshown) */
	struct tl_conflict *conflicts;	/* corrections that lost to another */
	size_t		 nconflicts;
	int64_t		*unknown_impact; /* users samples naming no impact there is */
	size_t		 nunknown_impact;
	struct tl_entry	*entries;	/* the 詳細な措置模様, in order */
	size_t		 nentries;
	struct tl_users	 users;		/* the affected-user series */
	struct tl_notice *notices;	/* in time order */
	size_t		 nnotices;
	struct tl_inquiries inquiries;
	struct tl_note	*notes;		/* effective notes, by section then time */
	size_t		 nnotes;
	int64_t		 detected;	/* first detect entry, or 0 */
	int64_t		 detected_id;
	int64_t		 identified;	/* first identify entry, or 0 */
	int64_t		 identified_id;
	int64_t		 to_detect;	/* 発生 to detection, µs, or -1 */
	int64_t		 to_identify;	/* 発生 to identification, µs, or -1 */
	int		 assessed;	/* reg holds what can be said (impacts exist) */
	int		 classified;	/* ... and of a known row: reg.row is set */
	struct reg_result reg;		/* the most severe impact's: class, due date */
	int		 cls_impact;	/* that impact's index in impacts, or -1 */
	struct reg_date	 occurred_date;	/* 発生日 in the carrier's zone */
	char		**owned;	/* strings the model made */
	size_t		 nowned;
};

/* Fills ev from one wire-format object (DESIGN.md); data borrows obj. */
int	tl_event_from_wire(const json_t *, int64_t, struct tl_event *);
/* Fills inc from a wire-format incident open; strings borrow obj. */
int	tl_incident_from_wire(const json_t *, struct tl_incident *);

int	timeline_build(const struct tl_incident *, const struct tl_event *,
	    size_t, const struct tl_config *, int64_t, struct timeline *);
/* The same with options (NULL: none, as timeline_build). */
int	timeline_build_opts(const struct tl_incident *, const struct tl_event *,
	    size_t, const struct tl_config *, const struct tl_options *, int64_t,
	    struct timeline *);
void	timeline_free(struct timeline *);

/* The effective notes of a section: the first, and how many follow it. */
const struct tl_note *timeline_notes(const struct timeline *, const char *,
	    size_t *);
/* The heading a phase id has in this timeline's config. */
const char *timeline_phase_heading(const struct tl_config *, const char *);
/*
 * The current version of an event among evs (following its corrections),
 * by the rules above: its id, or 0 when it and every later version are
 * retracted, or -1 when there is no such event.
 */
int64_t	timeline_current_version(const struct tl_event *, size_t, int64_t);
/*
 * Where each event stands in the log, for audits (sochi timeline --all):
 * standing[i] is evs[i]'s.  A correction that lost to a later-recorded one
 * is superseded by the one that stands; a retracted event whose
 * corrections took its place is both.
 */
struct tl_standing {
	int64_t		 superseded_by;	/* the version in its place, or 0 */
	int64_t		 retracted_by;	/* the retraction that removed it, or 0 */
};

int	timeline_standing(const struct tl_event *, size_t, struct tl_standing *);
/* An alert's entry: StorageDown（storage-a）：summary を検知 (or の解消を確認). */
int	timeline_alert_text(const struct tl_event *, struct sbuf *);
/*
 * Whether a 詳報 draft is due now that every impact has recovered: not for
 * an incident classified none (no report follows from it).  When not,
 * *why says so, for the log.
 */
int	timeline_wants_detail(const struct timeline *, const char **);

#endif
