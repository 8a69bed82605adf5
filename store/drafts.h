/* SPDX-License-Identifier: MIT */
/*
 * An incident's stored drafts (sql/003_drafts.sql): the list of versions
 * and a version's text, read by `sochi drafts`, `sochi report --draft`,
 * `sochi diff` and the web view's drafts page with the same SQL.
 */
#ifndef SOCHI_STORE_DRAFTS_H
#define SOCHI_STORE_DRAFTS_H

#include <stddef.h>
#include <stdint.h>

#include <libpq-fe.h>

#include "web.h"

/*
 * The versions of incident $1 (its code): version, trigger, when it was
 * made (µs), its formats, and whether an event came after it (stale).
 */
#define STORE_DRAFTS_SQL \
	"select d.version, min(d.trigger), (extract(epoch from " \
	"min(d.generated_at)) * 1000000)::bigint, string_agg(d.format, ',' " \
	"order by d.format), exists (select 1 from event e where " \
	"e.incident_id = min(d.incident_id) and e.id > min(d.last_event)) " \
	"from draft d join incident i on i.id = d.incident_id where i.code = " \
	"$1 group by d.version order by d.version"

/*
 * The text of version $2 of incident $1 in format $3, else in text, else
 * in any text format it was stored in (a docx has no text).
 */
#define STORE_DRAFT_BODY_SQL \
	"select d.body from draft d join incident i on i.id = d.incident_id " \
	"where i.code = $1 and d.version = $2::int and d.body is not null " \
	"order by d.format = $3 desc, d.format = 'text' desc limit 1"


struct store_drafts {
	struct web_draft *v;		/* in version order; strings borrow res */
	size_t		 n;		/* how many */
	PGresult	*res;		/* the rows */
};

/* Takes a result of STORE_DRAFTS_SQL (owned from then on); -1 without memory. */
int	store_drafts_rows(struct store_drafts *, PGresult *);
void	store_drafts_free(struct store_drafts *);

#endif
