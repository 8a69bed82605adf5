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
 * - An event corrected by another (supersedes) is replaced by it; a retracted
 *   event is dropped; retracting a correction restores what it corrected.
 * - Everything is ordered by when it happened, ties by event id, so the
 *   arrival order never matters.
 * - 発生 is the earliest impact start, not when the incident was opened.
 * - Each impact's 継続時間 is its recovery minus its own start; an impact not
 *   yet recovered is measured to `now` and marked provisional.
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
#include "zone.h"

/* One stored event. */
struct tl_event {
	int64_t		 id;		/* event id */
	enum sochi_kind	 kind;		/* what it is */
	int64_t		 at;		/* when it happened, µs since the epoch */
	const char	*actor;		/* who acted, or NULL */
	const char	*phase;		/* action phase id, or NULL */
	const char	*text;		/* action, notice, note text; retract reason */
	int64_t		 supersedes;	/* the event it corrects, or 0 */
	const json_t	*data;		/* the kind's own fields (op, name, count, ...) */
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

struct tl_entry {
	int64_t		 at;		/* when */
	const char	*text;		/* what was done */
	const char	*actor;		/* who, or NULL */
	const char	*phase;		/* phase id, or NULL */
	const char	*heading;	/* the phase's heading in this incident */
	int64_t		 id;		/* the event */
};

struct tl_impact {
	int		 no;		/* 1 for ①, in order of start */
	const char	*name;		/* short id, e.g. mail-send */
	const char	*label;		/* 電子メールの送受信ができない */
	int64_t		 start;		/* when it began */
	int64_t		 recovered;	/* when it recovered, or 0 */
	int64_t		 duration;	/* recovered (or now) minus start, µs */
	int		 provisional;	/* not recovered: duration runs to now */
	int64_t		 users;		/* users stated with the start, or -1 */
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
};

struct tl_users {
	struct tl_sample *samples;	/* in time order */
	size_t		 n;		/* how many */
	int64_t		 max;		/* the most affected, or -1 */
	int64_t		 max_id;	/* the sample that stated it */
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
	int		 classified;	/* reg holds a classification */
	struct reg_result reg;		/* serious / periodic / none, due date */
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
void	timeline_free(struct timeline *);

/* The effective notes of a section: the first, and how many follow it. */
const struct tl_note *timeline_notes(const struct timeline *, const char *,
	    size_t *);
/* The heading a phase id has in this timeline's config. */
const char *timeline_phase_heading(const struct tl_config *, const char *);

#endif
