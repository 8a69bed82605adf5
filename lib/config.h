/* SPDX-License-Identifier: MIT */
/*
 * sochid.conf: one table of keys drives parsing, checking and printing
 * (STYLE.md, habit 11).  The daemon and the CLI share it.
 */
#ifndef SOCHI_CONFIG_H
#define SOCHI_CONFIG_H

#include <stddef.h>

#include "netlist.h"
#include "sbuf.h"

#define SOCHI_DEFAULT_TCP_PORT	7419
#define SOCHI_DEFAULT_HTTP_PORT	7420
/* The syslog listeners' port when listen_syslog_* names a host alone. */
#define SOCHI_DEFAULT_SYSLOG_PORT	5514

enum log_level { LOG_LEVEL_ERROR, LOG_LEVEL_WARN, LOG_LEVEL_INFO,
    LOG_LEVEL_DEBUG };

struct config_pair {
	char	*name;		/* the key as written */
	char	*value;		/* its value */
};

struct config_map {
	struct config_pair *pairs;	/* in file order */
	size_t		 n;		/* pairs in use */
};

/* [rule.NAME]: how monitoring alerts become incident events. */
struct config_rule {
	char		*name;		/* NAME of [rule.NAME] */
	char		*match;		/* label=value, label=~regex, ... (all must hold) */
	char		*title;		/* title of an incident it opens */
	char		*service;	/* the incident's service */
	int		 category;	/* 1..5, or 0 */
	char		*impact_name;	/* impact started/recovered by the alert, or NULL */
	char		*impact_label;	/* its label */
	char		*actor;		/* actor of its entries (監視業務部門) */
	int		 open;		/* a firing alert opens an incident for its group */
	int		 line;		/* where it was written, for messages */
};

/* [syslog.NAME]: which syslog lines become actions, and how (lib/syslog_rule.c). */
struct config_syslog_rule {
	char		*name;		/* NAME of [syslog.NAME] */
	char		*host;		/* expression the whole HOSTNAME matches, or NULL */
	char		*program;	/* expression the whole APP-NAME/TAG matches, or NULL */
	unsigned	 facilities;	/* a bit per facility it takes; 0: any */
	unsigned	 severities;	/* a bit per severity it takes; 0: any */
	char		*message;	/* expression searched in MSG, named captures */
	char		*incident;	/* how its incident is found: host, single */
	char		*phase;		/* the action's phase id, or NULL */
	char		*actor;		/* template of the actor, or NULL */
	char		*text;		/* template of the action's text, or NULL */
};

struct sochi_config {
	char		*database;	/* libpq conninfo; empty: the PG* environment */
	char		*socket;	/* Unix socket path; empty: no Unix listener */
	unsigned	 socket_mode;	/* file mode of the socket */
	char		*socket_group;	/* group owning the socket, or empty */
	char		*listen_tcp;	/* NDJSON over TCP, host[:port]; empty: off */
	char		*listen_http;	/* HTTP API, host[:port]; empty: off */
	char		*listen_syslog_udp; /* syslog over UDP, host[:port]; empty: off */
	char		*listen_syslog_tcp; /* syslog over TCP, host[:port]; empty: off */
	char		*state_dir;	/* where sochid keeps its own files */
	char		*tokens_file;	/* the senders' secrets, apart; empty: none */
	char		*timezone;	/* the carrier's zone, e.g. Asia/Tokyo */
	long		 max_line_bytes; /* longest request line accepted */
	long		 max_body_bytes; /* largest HTTP request body accepted */
	long		 max_pending;	/* unanswered requests before a connection pauses */
	long		 max_clients_unix; /* Unix socket connections at once */
	long		 max_clients_tcp; /* NDJSON-over-TCP connections at once */
	long		 max_clients_http; /* HTTP connections at once */
	long		 max_clients_syslog; /* syslog-over-TCP connections at once */
	long		 auth_timeout;	/* seconds a TCP client has to authenticate */
	long		 idle_timeout;	/* seconds a connection may wait, idle */
	long		 http_request_timeout; /* seconds for a whole HTTP request */
	long		 batch_max;	/* most events in one database round trip */
	long		 write_timeout;	/* seconds an event may wait for the database */
	long		 max_pending_bytes; /* bytes all unanswered requests may hold */
	long		 pipeline_depth; /* batches in flight at once */
	char		*journal;	/* outage: journal while the DB is away; off */
	long		 journal_max_bytes; /* the journal's largest size */
	enum log_level	 log_level;	/* least severe message logged */
	struct report_profile {
		char	*company;	/* 氏名: the carrier's name */
		char	*company_kana;	/* its ふりがな */
		char	*representative; /* 代表者: 代表取締役社長 ○○ ○○ */
		char	*postal_code;	/* 郵便番号 */
		char	*address;	/* 住所 */
		char	*address_kana;	/* its ふりがな */
		char	*registration_date; /* 登録年月日 (or 届出年月日) */
		char	*registration_number; /* 登録番号 (or 届出番号) */
		char	*contact_phone;	/* 連絡先 */
		char	*contact_department; /* 部署 */
		char	*contact_person; /* 担当 */
		char	*general_manager; /* 電気通信設備統括管理者 */
		char	*chief_engineer; /* 主任技術者と資格: 総務 次郎（伝送交換） */
		char	*alert_actor;	/* the actor of alert entries */
		char	*table;		/* threshold table: in-force, or a what-if */
		char	*chromium;	/* the browser that prints the PDF draft */
		long	 related_years; /* how far back 関連する事故 are looked for */
	} report;			/* [report]: the report's header */
	struct {
		char	*spool_dir;	/* where drafts are written as files */
		char	*formats;	/* formats of automatic drafts: text,html */
		char	*notify_command; /* argv run for each new draft, or empty */
		long	 notify_timeout; /* seconds it may run */
		char	*notify_url;	/* where a JSON summary is POSTed, or empty */
	} drafts;			/* [drafts] */
	struct config_map tokens;	/* name = secret, from tokens_file */
	struct config_map phases;	/* [phases] id = heading, in order */
	struct config_map actors;	/* [actors] login = department */
	const char	**phase_ids;	/* phases' ids, NULL-terminated, for the decoder */
	struct config_rule *rules;	/* [rule.NAME] sections, in file order */
	size_t		 nrules;
	char		*zabbix_timezone; /* [source.zabbix] timezone of its date macros */
	struct {
		char	*allow;		/* senders, as written: 127.0.0.1, 10.0.0.0/8 */
		struct netlist allow_list; /* ... parsed */
		char	*timezone;	/* zone of RFC 3164 times; empty: the carrier's */
		char	*sender_timezones; /* "PREFIX ZONE, ..." as written */
		struct netlist sender_zones; /* ... parsed, each tagged with its zone */
		long	 max_message_bytes; /* the longest message (TCP frame) taken */
	} syslog;			/* [syslog] */
	struct {
		long	 max_clients;	/* pages and event streams served at once */
		char	*read_without_token; /* peers that need no token, as written */
		struct netlist open_list; /* ... parsed */
		long	 timeout;	/* seconds a page may wait for the database */
	} web;				/* [web]: the web view and read API */
	struct config_syslog_rule *syslog_rules; /* [syslog.NAME], in file order */
	size_t		 nsyslog_rules;
};

void	 config_init(struct sochi_config *);
/* Tells whether a zone name exists; the caller looks, since lib does no I/O. */
typedef int (*config_zone_check)(const char *);

/*
 * Parses text (the contents of file, which is only used in messages) over
 * the defaults.  On error returns -1 with "FILE:LINE: key: what" in err.
 * zone_ok, when not NULL, vets the timezone key.
 */
int	 config_parse(struct sochi_config *, const char *text, const char *file,
	    config_zone_check zone_ok, char *err, size_t errlen);
void	 config_free(struct sochi_config *);
/* The effective values, one "section.key = value" a line, secrets masked. */
int	 config_print(const struct sochi_config *, struct sbuf *);
/* Splits host[:port] or [v6]:port; returns -1 when it is not one. */
int	 config_split_listen(const char *, char *, size_t, int *, int);
const char *config_token_name(const struct sochi_config *, const char *,
	    size_t);
/*
 * The web view's session cookie for a token (GET /login?token=): an
 * HMAC-SHA256 under the token, 64 hex digits, so that the cookie lets a
 * browser read but cannot send events.  config_session_name is the sender
 * whose cookie a value is (compared in constant time), or NULL.
 */
void	 config_session_value(const char *, char[65]);
const char *config_session_name(const struct sochi_config *, const char *,
	    size_t);

/*
 * The tokens file's text (one "name = secret" a line, # or ; comments)
 * into cf->tokens, replacing what was there; -1 with "FILE:LINE: what".
 */
int	 config_tokens_parse(struct sochi_config *, const char *text,
	    const char *file, char *err, size_t errlen);

/*
 * A reload compares the running config with the file read again.  fn is
 * called for each key whose value differs, named as a person would look
 * for it ("[report] company", "listen_tcp" for the keys of [sochid],
 * "[tokens] NAME", "[rule.NAME]"), with whether SIGHUP applies it (the
 * table's reloadable column).
 */
typedef void (*config_diff_fn)(const char *what, int reloadable, void *arg);
void	 config_diff(const struct sochi_config *cur,
	    const struct sochi_config *neu, config_diff_fn fn, void *arg);
/*
 * Moves the value of every reloadable key from neu into cur; cur's old
 * values go to neu, freed with it.  Keys that need a restart keep their
 * running values.
 */
void	 config_reload(struct sochi_config *cur, struct sochi_config *neu);
const char *config_map_get(const struct config_map *, const char *);
const char *log_level_name(enum log_level);

#endif
