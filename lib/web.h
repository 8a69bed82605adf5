/* SPDX-License-Identifier: MIT */
/*
 * The web view's pages, as HTML written from the same structs the other
 * renderers take: the list of incidents (lib/listing.h), an incident with
 * its live 措置模様, its figures and the draft as `sochi report --format
 * html` draws it (report_html_body), its stored drafts, one of them, the
 * differences between two (lib/diff.h), and the login form.  Plain HTML
 * with a style sheet inside, no framework and no outside asset; the only
 * script is the few lines that follow an incident's event stream, and a
 * page without script refreshes itself (<noscript> meta refresh).  Every
 * text from the database or the request is escaped here.
 *
 * Also the paths the view answers (web_route), so that the ingest process
 * and the web worker agree on them, and the server-sent events it streams.
 */
#ifndef SOCHI_WEB_H
#define SOCHI_WEB_H

#include <stddef.h>
#include <stdint.h>

#include "diff.h"
#include "listing.h"
#include "report.h"
#include "sbuf.h"
#include "zone.h"

/* Seconds between the reloads of a page read without script. */
#define WEB_REFRESH_S	30

enum web_kind {
	WEB_NONE,			/* not the web view's */
	WEB_LIST,			/* /: the incidents */
	WEB_LOGIN,			/* /login: the token, as a cookie */
	WEB_INCIDENT,			/* /incidents/CODE */
	WEB_EVENTS,			/* /incidents/CODE/events: its stream */
	WEB_DRAFTS,			/* /incidents/CODE/drafts */
	WEB_DRAFT,			/* /incidents/CODE/drafts/N */
	WEB_DIFF,			/* /incidents/CODE/drafts/diff?a=A&b=B */
	WEB_API_LIST,			/* /v1/incidents */
	WEB_API_REPORT,			/* /v1/incidents/CODE: the JSON report */
	WEB_API_TIMELINE,		/* /v1/incidents/CODE/timeline */
	WEB_API_FORMAT,			/* /v1/incidents/CODE/report?format=F */
	WEB_NOT_FOUND			/* under the view's paths, but no page */
};

struct web_route {
	enum web_kind	 kind;		/* which page */
	char		 code[80];	/* the incident, when one is named */
	int		 version;	/* WEB_DRAFT: the version */
};

/*
 * What a path is.  An incident code is 1 to 64 of [A-Za-z0-9._-], the
 * first a letter or a digit (as DESIGN.md says), else WEB_NOT_FOUND.
 */
enum web_kind web_route(const char *, struct web_route *);
/* Whether a code is one. */
int	web_code_valid(const char *);
/*
 * The value of a query parameter, %-decoded ('+' is a blank), into out;
 * -1 when it is absent, longer than out, or not text.
 */
int	web_query(const char *, const char *, char *, size_t);
/* HTML text or attribute value, escaped. */
void	web_esc(struct sbuf *, const char *);

/* An incident as its page shows it. */
struct web_incident {
	const struct report *r;		/* the draft: model, record, zone, now */
	int		 open;		/* state open */
	const char	*filed_on;	/* YYYY-MM-DD or "" when filed, else NULL */
	int64_t		 last_event;	/* its newest event: the stream goes on from it */
};

/* A stored draft, as listed (store/drafts.h fills them). */
struct web_draft {
	int		 version;	/* 0 the 速報, 1 the first 詳報, ... */
	const char	*trigger;	/* sokuho, recovery, manual */
	int64_t		 made;		/* when, µs since the epoch */
	const char	*formats;	/* text,html,... */
	int		 stale;		/* events came after it */
};

int	web_list_page(const struct listing *, struct sbuf *);
int	web_incident_page(const struct web_incident *, struct sbuf *);
/*
 * The incident page's <main>: what web_incident_page shows, and what its
 * event stream sends in place of it when events arrive.
 */
int	web_incident_main(const struct web_incident *, struct sbuf *);
int	web_drafts_page(const char *, const char *, const struct web_draft *,
	    size_t, const struct zone *, struct sbuf *);
int	web_draft_page(const char *, int, const char *, struct sbuf *);
int	web_diff_page(const char *, int, int, const struct diff *,
	    struct sbuf *);
/* GET /v1/incidents/CODE/timeline: the entries as in the JSON report. */
int	web_timeline_json(const struct web_incident *, struct sbuf *);
/*
 * The Content-Security-Policy of the pages: nothing from elsewhere, the
 * style inside, and no script but the one that follows the event stream
 * (by its hash).
 */
int	web_csp(struct sbuf *);
/* The form for a token; next is where to go after (a path), error or NULL. */
int	web_login_page(const char *, const char *, struct sbuf *);
int	web_error_page(int, const char *, const char *, struct sbuf *);

/*
 * One server-sent event: its name, its id (0: none) and its data, each
 * line of which (CR, LF or CRLF ending it) goes on a data: line.
 */
int	web_sse(struct sbuf *, const char *, int64_t, const char *);

#endif
