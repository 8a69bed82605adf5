/* SPDX-License-Identifier: MIT */
/*
 * The report sections notes fill, in the order of the form.
 */

#include <stddef.h>
#include <string.h>

#include "sections.h"

const struct section sections[] = {
	{ "overview", "事故の全体概要＜概要＞",
	    "what happened, in a few sentences", SECTION_PLAIN },
	{ "location", "発生場所",
	    "facility and address of the equipment that caused it",
	    SECTION_PLAIN },
	{ "equipment.normal", "事故の原因となつた電気通信設備の概要＜正常時の動作＞",
	    "how the equipment works normally", SECTION_PLAIN },
	{ "equipment.failure", "事故の原因となつた電気通信設備の概要＜事故発生時の動作＞",
	    "what the equipment did in the accident", SECTION_PLAIN },
	{ "users.region", "発生状況＜影響を与えた地域＞",
	    "the region affected, when no users sample states it",
	    SECTION_PLAIN },
	{ "users.basis", "発生状況＜影響利用者数の算定根拠＞",
	    "how the affected-user count was reckoned", SECTION_PLAIN },
	{ "measure.summary", "措置模様＜措置模様の概要＞",
	    "the response in a few sentences", SECTION_PLAIN },
	{ "cause.summary", "発生原因＜発生原因の概要＞",
	    "why it happened", SECTION_CAUSE },
	{ "cause.scale", "発生原因＜大規模化した原因＞",
	    "why it grew large", SECTION_CAUSE },
	{ "cause.duration", "発生原因＜長期化した原因＞",
	    "why it lasted long", SECTION_CAUSE },
	{ "measure.interim", "再発防止策＜暫定対処＞",
	    "an interim measure, with its date", SECTION_MEASURE },
	{ "measure.permanent", "再発防止策＜恒久対処＞",
	    "a permanent measure, with its date", SECTION_MEASURE },
	{ "inquiry.scope", "利用者対応状況＜問い合わせ件数＞",
	    "which channels were counted and their opening hours",
	    SECTION_PLAIN },
	{ "notice.web", "利用者対応状況＜自社HPへの情報掲載＞",
	    "where the postings were made (page, URL)", SECTION_PLAIN },
	{ "notice.press", "利用者対応状況＜報道発表＞",
	    "press releases", SECTION_PLAIN },
	{ "response.other", "利用者対応状況＜その他の対応＞",
	    "other responses to users", SECTION_PLAIN },
	{ "standards", "関連する基準及び規程",
	    "the clauses of the standard and which measure relates to each",
	    SECTION_PLAIN },
	{ "related", "関連する事故の発生傾向",
	    "earlier related accidents", SECTION_PLAIN },
	{ NULL, NULL, NULL, SECTION_PLAIN }
};

const struct section *
section_find(const char *id)
{
	const struct section *s;

	for (s = sections; s->id != NULL; s++)
		if (strcmp(s->id, id) == 0)
			return s;
	return NULL;
}
