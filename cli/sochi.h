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

/* Connects to sochid's socket; on failure prints why (naming it) and returns -1. */
int	cli_connect(const struct cli *);

/* One incident as read from the database, and its timeline's inputs. */
struct cli_incident {
	int64_t		 id;		/* incident.id */
	char		 code[80];	/* incident.code */
	int		 open;		/* state = open */
	struct tl_incident inc;		/* strings borrow res_inc */
	struct tl_event	*evs;		/* strings borrow res_ev, data owned */
	size_t		 n;
	int64_t		 max_event;	/* the newest event's id */
	PGresult	*res_inc;
	PGresult	*res_ev;
	struct tl_config tcf;		/* zone and phases from the config */
};

/* Exit statuses shared by the verbs. */
#define EXIT_FINDINGS	1	/* check: errors found; write: refused */
#define EXIT_TROUBLE	2	/* usage, database or daemon unreachable */

int	cli_db(struct cli *);
int	cli_load_zone(struct cli *);
/* -i, else $SOCHI_INCIDENT, else the only open incident; prints why not. */
int	cli_pick_incident(struct cli *, const char *, char *, size_t);
int	cli_load_incident(struct cli *, const char *, struct cli_incident *);
void	cli_incident_free(struct cli_incident *);
int	cli_build(struct cli *, struct cli_incident *, int64_t,
	    struct timeline *);
/* --now: an RFC 3339 time; NULL means the current time. */
int	cli_now(const char *, int64_t *);
int	cli_write_out(const char *, const char *, size_t);

#endif
