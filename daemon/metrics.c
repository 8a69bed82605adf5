/* SPDX-License-Identifier: MIT */
/*
 * sochid's counters and their page.  See metrics.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_writer.h"
#include "worker_proc.h"
#include "http_api.h"
#include "listener.h"
#include "syslog_listener.h"
#include "metrics.h"

/*
 * Sources beyond this many (tokens named over many reloads) are counted as
 * "other": a bound on the series whatever the config says.
 */
#define SOURCES_MAX	64
#define KINDS		(KIND__COUNT + 1)	/* and "invalid" */

/* Upper bounds of the histograms' buckets (+Inf is added). */
static const double batch_bounds[] = { 1, 2, 4, 8, 16, 32, 64, 128, 256,
    512, 1024, 2048, 4096, 16384, 65536 };
#define NBATCH	(sizeof(batch_bounds) / sizeof(batch_bounds[0]))
static const double commit_bounds[] = { 0.001, 0.0025, 0.005, 0.01, 0.025,
    0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30 };
#define NCOMMIT	(sizeof(commit_bounds) / sizeof(commit_bounds[0]))

static const char *const event_names[METRICS__EVENTS] = { "accepted",
    "committed", "refused", "journaled" };
static const char *const event_help[METRICS__EVENTS] = {
	"Events that passed validation and were handed to the writer.",
	"Events stored in PostgreSQL, directly or replayed from the journal.",
	"Events answered with an error: invalid, refused by the database, or "
	    "not stored in time.",
	"Events answered \"journaled\": kept on disk while the database was "
	    "away.",
};

struct histogram {
	uint64_t	 buckets[16];	/* per bucket, not cumulative; last: +Inf */
	uint64_t	 count;		/* observations */
	double		 sum;		/* their total */
};

static struct {
	char		*sources[SOURCES_MAX]; /* label values, in order known */
	unsigned	 nsources;	/* in use */
	unsigned	 other;		/* the index of "other" */
	uint64_t	 events[METRICS__EVENTS][KINDS][SOURCES_MAX]; /* counts */
	struct histogram batch;		/* rows per committed batch */
	struct histogram commit;	/* seconds from sending to COMMIT */
	long		 open_incidents; /* from the drafter; -1: unknown */
	uint64_t	 drafts[2];	/* drafts stored: sokuho, recovery */
	uint64_t	 accepted;	/* every event accepted, for STATUS= */
	const struct worker_proc *drafter; /* for its restarts, or NULL */
} m;

static unsigned
source_add(const char *name)
{
	unsigned i;

	for (i = 0; i < m.nsources; i++)
		if (strcmp(m.sources[i], name) == 0)
			return i;
	if (m.nsources == SOURCES_MAX || (m.sources[m.nsources] =
	    strdup(name)) == NULL)
		return m.other;
	return m.nsources++;
}

void
metrics_init(const struct sochi_config *cf)
{
	unsigned i;

	for (i = 0; i < m.nsources; i++)
		free(m.sources[i]);
	memset(&m, 0, sizeof(m));
	m.open_incidents = -1;
	m.other = source_add("other");
	(void)source_add("local");
	(void)source_add("syslog");
	metrics_tokens(cf);
}

void
metrics_tokens(const struct sochi_config *cf)
{
	size_t i;

	for (i = 0; i < cf->tokens.n; i++)
		(void)source_add(cf->tokens.pairs[i].name);
}

unsigned
metrics_source(const char *src)
{
	unsigned i;

	if (src == NULL)
		return m.other;
	if (strncmp(src, "local:", 6) == 0)
		src = "local";
	else if (strncmp(src, "syslog:", 7) == 0)
		src = "syslog";
	/* Token names only: whatever else arrives is "other", not a new series. */
	for (i = 0; i < m.nsources; i++)
		if (strcmp(m.sources[i], src) == 0)
			return i;
	return m.other;
}

void
metrics_event(enum metrics_event what, unsigned kind, unsigned source)
{
	if ((unsigned)what >= METRICS__EVENTS || kind >= KINDS ||
	    source >= SOURCES_MAX)
		return;
	m.events[what][kind][source]++;
	if (what == METRICS_ACCEPTED)
		m.accepted++;
}

static void
observe(struct histogram *h, const double *bounds, size_t n, double v)
{
	size_t i;

	for (i = 0; i < n && v > bounds[i]; i++)
		;
	h->buckets[i]++;
	h->count++;
	h->sum += v;
}

void
metrics_batch(size_t rows, int64_t usec)
{
	observe(&m.batch, batch_bounds, NBATCH, (double)rows);
	observe(&m.commit, commit_bounds, NCOMMIT, (double)usec / 1e6);
}

void
metrics_set_drafter(const struct worker_proc *w)
{
	m.drafter = w;
}

void
metrics_drafter_line(const char *line)
{
	char *end;
	long v;

	if (strncmp(line, "open ", 5) == 0) {
		v = strtol(line + 5, &end, 10);
		if (end != line + 5 && *end == '\0' && v >= 0)
			m.open_incidents = v;
	} else if (strcmp(line, "draft sokuho") == 0)
		m.drafts[0]++;
	else if (strcmp(line, "draft recovery") == 0)
		m.drafts[1]++;
}

long
metrics_open_incidents(void)
{
	return m.open_incidents;
}

uint64_t
metrics_accepted(void)
{
	return m.accepted;
}

static int
family(struct sbuf *b, const char *name, const char *type, const char *help)
{
	return sbuf_printf(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name,
	    type);
}

/* A label value, escaped as the format asks (\\, \", \n). */
static int
label(struct sbuf *b, const char *v)
{
	int rv = 0;

	for (; *v != '\0'; v++) {
		if (*v == '\\' || *v == '"')
			rv |= sbuf_addc(b, '\\') | sbuf_addc(b, *v);
		else if (*v == '\n')
			rv |= sbuf_adds(b, "\\n");
		else
			rv |= sbuf_addc(b, *v);
	}
	return rv;
}

static int
histogram(struct sbuf *b, const char *name, const char *help,
    const struct histogram *h, const double *bounds, size_t n)
{
	uint64_t cum = 0;
	size_t i;
	int rv;

	rv = family(b, name, "histogram", help);
	for (i = 0; i <= n; i++) {
		cum += h->buckets[i];
		if (i < n)
			rv |= sbuf_printf(b, "%s_bucket{le=\"%g\"} %llu\n", name,
			    bounds[i], (unsigned long long)cum);
		else
			rv |= sbuf_printf(b, "%s_bucket{le=\"+Inf\"} %llu\n",
			    name, (unsigned long long)cum);
	}
	rv |= sbuf_printf(b, "%s_sum %.6f\n%s_count %llu\n", name, h->sum, name,
	    (unsigned long long)h->count);
	return rv;
}

int
metrics_render(struct sbuf *b)
{
	struct db_writer_stats st;
	struct listener_stats ls;
	struct syslog_stats ss;
	char name[64];
	unsigned e, k, s;
	int rv = 0;

	db_writer_stats(&st);
	listener_stats(&ls);
	syslog_listener_stats(&ss);
	for (e = 0; e < METRICS__EVENTS; e++) {
		snprintf(name, sizeof(name), "sochi_events_%s_total",
		    event_names[e]);
		rv |= family(b, name, "counter", event_help[e]);
		/*
		 * Every kind of every known source, zeros too, so that a rate
		 * can be taken from the first scrape; "invalid" only where it
		 * can happen.
		 */
		for (k = 0; k < KINDS; k++) {
			if (k == METRICS_KIND_INVALID && e != METRICS_REFUSED)
				continue;
			for (s = 0; s < m.nsources; s++) {
				rv |= sbuf_printf(b, "%s{kind=\"%s\",source=\"", name,
				    k == METRICS_KIND_INVALID ? "invalid" :
				    event_kind_name((enum sochi_kind)k));
				rv |= label(b, m.sources[s]);
				rv |= sbuf_printf(b, "\"} %llu\n",
				    (unsigned long long)m.events[e][k][s]);
			}
		}
	}
	rv |= histogram(b, "sochi_batch_events", "Events per batch committed "
	    "(one transaction).", &m.batch, batch_bounds, NBATCH);
	rv |= histogram(b, "sochi_commit_duration_seconds", "Seconds from "
	    "sending a batch to its COMMIT.", &m.commit, commit_bounds, NCOMMIT);
	rv |= family(b, "sochi_events_pending", "gauge", "Events held, waiting "
	    "for the database or in flight.");
	rv |= sbuf_printf(b, "sochi_events_pending %zu\n", st.pending);
	rv |= family(b, "sochi_database_up", "gauge", "1 while the writer's "
	    "connection is up and its schema checked.");
	rv |= sbuf_printf(b, "sochi_database_up %d\n", st.connected ? 1 : 0);
	rv |= family(b, "sochi_connections", "gauge", "Connections open, by "
	    "listener.");
	rv |= sbuf_printf(b, "sochi_connections{listener=\"unix\"} %zu\n"
	    "sochi_connections{listener=\"tcp\"} %zu\n"
	    "sochi_connections{listener=\"http\"} %zu\n"
	    "sochi_connections{listener=\"syslog\"} %zu\n", ls.unix_conns,
	    ls.tcp_conns, http_api_conns(), ss.connections);
	rv |= family(b, "sochi_connections_accepted_total", "counter",
	    "Connections accepted, by listener.");
	rv |= sbuf_printf(b, "sochi_connections_accepted_total{listener=\"unix\"} "
	    "%llu\nsochi_connections_accepted_total{listener=\"tcp\"} %llu\n"
	    "sochi_connections_accepted_total{listener=\"http\"} %llu\n",
	    (unsigned long long)ls.unix_accepted,
	    (unsigned long long)ls.tcp_accepted,
	    (unsigned long long)http_api_accepted());
	/* Syslog has no answers: what became of each message is counted. */
	rv |= family(b, "sochi_syslog_messages_total", "counter", "Syslog "
	    "messages read from allowed senders, by what became of them "
	    "(stored, journaled and refused are the matched lines the writer "
	    "answered).");
	rv |= sbuf_printf(b, "sochi_syslog_messages_total{outcome=\"malformed\"} "
	    "%llu\nsochi_syslog_messages_total{outcome=\"unmatched\"} %llu\n"
	    "sochi_syslog_messages_total{outcome=\"match_error\"} %llu\n"
	    "sochi_syslog_messages_total{outcome=\"stored\"} %llu\n"
	    "sochi_syslog_messages_total{outcome=\"journaled\"} %llu\n"
	    "sochi_syslog_messages_total{outcome=\"refused\"} %llu\n",
	    (unsigned long long)ss.malformed, (unsigned long long)ss.unmatched,
	    (unsigned long long)ss.match_errors, (unsigned long long)ss.stored,
	    (unsigned long long)ss.journaled, (unsigned long long)ss.refused);
	rv |= family(b, "sochi_syslog_disallowed_total", "counter", "Syslog "
	    "datagrams and TCP connections from senders not allowed.");
	rv |= sbuf_printf(b, "sochi_syslog_disallowed_total %llu\n",
	    (unsigned long long)ss.disallowed);
	rv |= family(b, "sochi_journal_events", "gauge", "Events in the journal "
	    "not yet stored.");
	rv |= sbuf_printf(b, "sochi_journal_events %zu\n", st.journal_events);
	rv |= family(b, "sochi_journal_bytes", "gauge", "Bytes of the journal "
	    "not yet stored.");
	rv |= sbuf_printf(b, "sochi_journal_bytes %zu\n", st.journal_bytes);
	rv |= family(b, "sochi_journal_age_seconds", "gauge", "How long the "
	    "oldest event in the journal has waited (0 when it is empty).");
	rv |= sbuf_printf(b, "sochi_journal_age_seconds %.3f\n",
	    (double)st.journal_age / 1e6);
	/* Unknown is not zero: no sample until the drafter has counted. */
	rv |= family(b, "sochi_incidents_open", "gauge", "Incidents open, as "
	    "the drafter last counted them (absent until it has).");
	if (m.open_incidents >= 0)
		rv |= sbuf_printf(b, "sochi_incidents_open %ld\n",
		    m.open_incidents);
	rv |= family(b, "sochi_drafts_written_total", "counter", "Automatic "
	    "drafts this sochid's drafter stored, by trigger.");
	rv |= sbuf_printf(b, "sochi_drafts_written_total{trigger=\"sokuho\"} "
	    "%llu\nsochi_drafts_written_total{trigger=\"recovery\"} %llu\n",
	    (unsigned long long)m.drafts[0], (unsigned long long)m.drafts[1]);
	rv |= family(b, "sochi_drafter_restarts_total", "counter", "Times the "
	    "drafter process was started again after it ended.");
	rv |= sbuf_printf(b, "sochi_drafter_restarts_total %llu\n",
	    (unsigned long long)worker_proc_restarts(m.drafter));
	return rv ? -1 : 0;
}

void
metrics_free(void)
{
	unsigned i;

	for (i = 0; i < m.nsources; i++)
		free(m.sources[i]);
	memset(&m, 0, sizeof(m));
}
