/* SPDX-License-Identifier: MIT */
/*
 * Related past incidents.  See related.h.
 */
#include <stdlib.h>
#include <string.h>

#include "related.h"
#include "wareki.h"

/* The line that says a person must confirm what follows. */
#define RELATED_DRAFT_MARK \
	"【下書き：sochiに記録された過去の事故から作成。内容を確認のこと】"

void
related_from_timeline(struct related_incident *ri, const struct timeline *tl)
{
	size_t i;

	ri->occurred = tl->occurred;
	ri->recovered = tl->all_recovered ? tl->recovered : 0;
	ri->longest = tl->nshown > 0 ? tl->longest : -1;
	ri->provisional = 0;
	for (i = 0; i < tl->nimpacts; i++)
		if (tl->impacts[i].no != 0 && tl->impacts[i].provisional)
			ri->provisional = 1;
	ri->users = tl->users.max;
	ri->assessed = tl->assessed;
	ri->cls = tl->assessed ? tl->reg.cls : REG_UNDETERMINED;
}

static int
newest_first(const void *a, const void *b)
{
	const struct related_incident *x = a, *y = b;
	int64_t tx = x->occurred ? x->occurred : x->opened_at;
	int64_t ty = y->occurred ? y->occurred : y->opened_at;

	if (tx != ty)
		return tx > ty ? -1 : 1;
	return strcmp(y->code, x->code);
}

void
related_sort(struct related_set *s)
{
	if (s->n > 1)
		qsort(s->v, s->n, sizeof(*s->v), newest_first);
}

int
related_reportable(const struct related_incident *ri)
{
	return ri->assessed && ri->cls != REG_NONE;
}

const char *
related_tag(const struct related_incident *ri)
{
	if (!ri->assessed)
		return NULL;
	switch (ri->cls) {
	case REG_SERIOUS:
		return "【重大な事故に該当した事例】";
	case REG_PERIODIC:
		return "【四半期報告事故に該当した事例】";
	case REG_UNDETERMINED:
		return "【重大な事故又は四半期報告事故への該当は要確認】";
	default:
		return NULL;
	}
}

/* The closest likeness of an incident, equipment first. */
static unsigned
closest(const struct related_incident *ri)
{
	static const unsigned order[] = { RELATED_EQUIPMENT, RELATED_STAGE,
	    RELATED_SERVICE, RELATED_CATEGORY };
	size_t i;

	for (i = 0; i < 4; i++)
		if (ri->shares & order[i])
			return order[i];
	return 0;
}

static void
sentence(const struct related_set *s, unsigned kind, struct sbuf *b)
{
	const struct related_incident *first = NULL;
	size_t i, n = 0;

	for (i = 0; i < s->n; i++)
		if (related_reportable(&s->v[i]) && closest(&s->v[i]) == kind) {
			if (first == NULL)
				first = &s->v[i];
			n++;
		}
	if (n == 0)
		return;
	sbuf_printf(b, "過去%d年間に", s->years);
	switch (kind) {
	case RELATED_EQUIPMENT:
		sbuf_printf(b, "同一設備（%s）に起因する事故が", s->equipment ?
		    s->equipment : first->equipment);
		break;
	case RELATED_STAGE:
		sbuf_printf(b, "同じ管理段階（%s）に原因のある事故が",
		    first->stages);
		break;
	case RELATED_SERVICE:
		sbuf_printf(b, "同一の電気通信役務（%s）に影響を与えた事故が",
		    s->service ? s->service : first->service);
		break;
	default:
		sbuf_adds(b, "影響を与えた電気通信役務の区分が同じ事故が");
		break;
	}
	sbuf_printf(b, "%zu件（", n);
	n = 0;
	for (i = 0; i < s->n; i++)
		if (related_reportable(&s->v[i]) && closest(&s->v[i]) == kind)
			sbuf_printf(b, "%s%s", n++ ? "、" : "", s->v[i].code);
	sbuf_adds(b, "）発生している。\n");
}

int
related_draft(const struct related_set *s, const struct zone *z,
    struct sbuf *b)
{
	static const unsigned kinds[] = { RELATED_EQUIPMENT, RELATED_STAGE,
	    RELATED_SERVICE, RELATED_CATEGORY };
	struct local_time lt;
	size_t i, listed = 0;

	sbuf_adds(b, RELATED_DRAFT_MARK "\n");
	for (i = 0; i < 4; i++)
		sentence(s, kinds[i], b);
	for (i = 0; i < s->n; i++) {
		const struct related_incident *ri = &s->v[i];

		if (!related_reportable(ri))
			continue;
		listed++;
		sbuf_printf(b, "・%s ", ri->code);
		zone_local(z, ri->occurred, &lt);
		wareki_date(&lt, b);
		sbuf_printf(b, "発生 %s（継続時間：", ri->title);
		if (ri->longest >= 0) {
			duration_format(ri->longest, b);
			if (ri->provisional)
				sbuf_adds(b, "（未復旧）");
		} else
			sbuf_adds(b, "不明");
		sbuf_adds(b, "、影響利用者数：");
		if (ri->users >= 0) {
			count_format(ri->users, b);
			sbuf_adds(b, "人");
		} else
			sbuf_adds(b, "不明");
		sbuf_printf(b, "）%s\n", related_tag(ri));
	}
	if (listed == 0)
		sbuf_printf(b, "過去%d年間にsochiに記録された事故のうち、同一の設備、"
		    "電気通信役務、役務区分又は原因の管理段階の重大な事故及び四半期"
		    "報告事故はない。\n", s->years);
	if (b->len > 0 && b->data[b->len - 1] == '\n')
		sbuf_truncate(b, b->len - 1);
	return b->data == NULL ? -1 : 0;
}
