/* SPDX-License-Identifier: MIT */
/*
 * From syslog lines to actions: the [syslog] section and the [syslog.NAME]
 * rules of sochid.conf, their matching (PCRE2, named captures) and the row
 * a matched line becomes.  The first rule, in file order, whose every
 * condition holds on a message decides; a line no rule takes is not
 * stored.
 *
 *   [syslog.cisco-config]
 *   program = .*                      ; the whole APP-NAME or TAG
 *   facility = local7
 *   message = %PARSER-5-CFGLOG_LOGGEDCMD: User:(?<user>\S+) +logged command:(?<cmd>.*)
 *   incident = host, single           ; how the incident is found
 *   phase = recover
 *   actor = ${user}
 *   text = ${host}で設定コマンドを投入：${cmd}
 *
 * The daemon's listener calls, for each message:
 *   netlist_match(&cf->syslog.allow_list, peer)   (NULL: count and drop)
 *   syslog_sender_zone(cf, peer)                  (the zone to load for it)
 *   syslog_frame_next / syslog_parse              (lib/syslog.h)
 *   syslog_match(rules, &msg, &act, ...)          (0: not stored)
 *   syslog_row_make(&msg, &act, &row)             (the row to write)
 */
#ifndef SOCHI_SYSLOG_RULE_H
#define SOCHI_SYSLOG_RULE_H

#include <sys/socket.h>

#include <stddef.h>

#include "config.h"
#include "event.h"
#include "sbuf.h"
#include "syslog.h"

/* The [syslog.NAME] keys, as config_parse meets them. */
int	syslog_rule_key(struct sochi_config *, const char *name, const char *key,
	    const char *value, char *err, size_t errlen);
/*
 * Once the file is read: parses [syslog] allow and sender_timezones, vets
 * the zones (zone_ok, when not NULL) and the phases, and compiles every
 * rule's expressions and templates, so that `sochid -n` refuses what
 * would not work.  Returns 0, or -1 with "[syslog.NAME] key: why" in err.
 */
int	syslog_config_finish(struct sochi_config *,
	    int (*zone_ok)(const char *), char *err, size_t errlen);
int	syslog_config_print(const struct sochi_config *, struct sbuf *);
void	syslog_config_free(struct sochi_config *);
/* The zone name a sender's RFC 3164 times are read in. */
const char *syslog_sender_zone(const struct sochi_config *,
	    const struct sockaddr *);

struct syslog_rules;

/* Compiles the config's rules; NULL with the reason in err. */
struct syslog_rules *syslog_rules_new(const struct sochi_config *, char *,
	    size_t);
void	syslog_rules_free(struct syslog_rules *);

/* What a matched line does. */
struct syslog_action {
	const struct config_syslog_rule *rule; /* the rule that took it */
	char		*actor;		/* the actor, or NULL: none */
	char		*text;		/* the action's text, never empty */
};

/*
 * The first rule that takes msg: 1 with act filled (free it with
 * syslog_action_free), 0 when none does, -1 when matching failed (an
 * expression hit its limits; err names the rule).
 */
int	syslog_match(const struct syslog_rules *, const struct syslog_msg *,
	    struct syslog_action *, char *, size_t);
void	syslog_action_free(struct syslog_action *);

/*
 * The row of a matched line: an `action` with source `syslog:HOST`, the
 * message's own time, the key `sha256:` and the hash of host, time and
 * MSG (a relay's resend adds nothing), no incident but grp naming how
 * sochi_ingest_row finds it ("host=rtr1 single": the open incident of
 * host rtr1, else the only open incident), and data holding the syslog
 * header and when it was received.  The row borrows act and the buffers
 * of sr.
 */
struct syslog_row {
	struct event_row row;		/* what the writer sends */
	struct sbuf	 src;		/* syslog:HOST */
	struct sbuf	 key;		/* sha256:... */
	struct sbuf	 grp;		/* the incident finder */
	struct sbuf	 data;		/* {"syslog":{...}} */
};

int	syslog_row_make(const struct syslog_msg *, const struct syslog_action *,
	    struct syslog_row *);
void	syslog_row_free(struct syslog_row *);

#endif
