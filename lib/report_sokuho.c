/* SPDX-License-Identifier: MIT */
/*
 * The 速報 (first report), made the moment an incident first meets a
 * serious-accident pair (or asked for before: then titled as an accident that
 * may be serious): there is no form, only the content the ministry
 * asks for at once (spec/regulation.md) — 報告日時 as of now, 発生日時「…頃」,
 * 復旧日時 or 未復旧, 発生場所, the service and the range affected, users
 * 「約…人（詳細調査中）」 while the count may still change, the presumed
 * cause, and the 措置模様 so far.
 */
#include <string.h>

#include "report.h"
#include "timeline_text.h"
#include "wareki.h"

int
report_sokuho(const struct report *r, struct sbuf *b)
{
	const struct timeline *tl = r->tl;
	const struct report_profile *p = r->profile;
	struct local_time lt;
	size_t i, n;
	const struct tl_note *no;
	const char *loc;

	/*
	 * Until the figures make it serious, the first report says what it
	 * may be: a notice of an accident that may be a serious one.
	 */
	if (tl->assessed && tl->reg.cls == REG_SERIOUS)
		sbuf_adds(b, "重大な事故の発生について（速報）\n\n");
	else
		sbuf_adds(b, "重大な事故に該当するおそれのある事故の発生について"
		    "（速報）\n\n");
	zone_local(r->zone, r->now, &lt);
	sbuf_adds(b, "報告日時：");
	wareki_datetime(&lt, b);
	sbuf_adds(b, " 現在\n");
	sbuf_printf(b, "報告者：%s", p && p->company && *p->company ?
	    p->company : REPORT_FILL_IN);
	if (p && p->contact_department && *p->contact_department)
		sbuf_printf(b, " %s", p->contact_department);
	if (p && p->contact_phone && *p->contact_phone)
		sbuf_printf(b, "（連絡先：%s）", p->contact_phone);
	sbuf_adds(b, "\n\n発生日時：");
	if (tl->occurred_id != 0) {
		zone_local(r->zone, tl->occurred, &lt);
		wareki_datetime(&lt, b);
		sbuf_adds(b, "頃");
	} else
		sbuf_adds(b, REPORT_FILL_IN);
	sbuf_adds(b, "\n復旧日時：");
	if (tl->all_recovered) {
		zone_local(r->zone, tl->recovered, &lt);
		wareki_datetime(&lt, b);
	} else
		sbuf_adds(b, "未復旧");
	for (i = 0; i < tl->nimpacts; i++) {
		const struct tl_impact *im = &tl->impacts[i];

		if (im->no == 0)
			continue;
		sbuf_adds(b, "\n  ");
		report_circled(im->no, b);
		sbuf_printf(b, " %s：", im->label ? im->label : im->name);
		if (im->provisional)
			sbuf_adds(b, "未復旧（継続時間：");
		else {
			zone_local(r->zone, im->recovered, &lt);
			wareki_datetime(&lt, b);
			sbuf_adds(b, "（継続時間：");
		}
		duration_format(im->duration, b);
		sbuf_adds(b, im->provisional ? " 現在）" : "）");
	}
	loc = (no = timeline_notes(tl, "location", &n)) != NULL ? no->text :
	    r->inc ? r->inc->location : NULL;
	sbuf_printf(b, "\n発生場所：%s\n", loc ? loc : REPORT_FILL_IN);
	sbuf_printf(b, "影響を与えた電気通信役務：%s\n", r->inc && r->inc->service ?
	    r->inc->service : REPORT_FILL_IN);
	if (tl->classified)
		sbuf_printf(b, "区分：%s（%s）\n", tl->reg.row->kanji,
		    tl->reg.row->text);
	sbuf_adds(b, "影響範囲：");
	for (i = 0, n = 0; i < tl->nimpacts; i++)
		if (tl->impacts[i].start_id != 0)
			sbuf_printf(b, "%s%s", n++ ? "、" : "",
			    tl->impacts[i].label ? tl->impacts[i].label :
			    tl->impacts[i].name);
	if (n == 0)
		sbuf_adds(b, REPORT_FILL_IN);
	if (tl->users.region)
		sbuf_printf(b, "（%s）", tl->users.region);
	sbuf_adds(b, "\n影響利用者数：");
	if (tl->users.max >= 0) {
		/* While it lasts the count may still grow: say so. */
		if (!tl->all_recovered)
			sbuf_adds(b, "約");
		count_format(tl->users.max, b);
		sbuf_adds(b, "人");
		if (tl->users.basis)
			sbuf_printf(b, "（%s）", tl->users.basis);
		if (!tl->all_recovered)
			sbuf_adds(b, "（詳細調査中）");
	} else
		sbuf_adds(b, "調査中");
	no = timeline_notes(tl, "cause.summary", &n);
	sbuf_printf(b, "\n推定原因：%s\n", no != NULL ? no->text : "調査中");
	if (tl->classified && tl->reg.cls == REG_SERIOUS && tl->reg.pair) {
		const struct reg_pair *pr = tl->reg.pair == 'A' ?
		    &tl->reg.row->a : &tl->reg.row->b;

		sbuf_printf(b, "該当：重大な事故（%s %c：%d時間以上かつ",
		    tl->reg.row->kanji, tl->reg.pair, pr->hours);
		count_format(pr->users, b);
		sbuf_adds(b, "人以上）\n");
	}
	sbuf_adds(b, "\n措置模様（現在までの状況）：\n");
	if (tl->nentries > 0)
		timeline_text_block(tl, r->zone, b);
	else
		sbuf_adds(b, "調査中\n");
	return 0;
}
