/* SPDX-License-Identifier: MIT */
/*
 * The 措置模様 block:
 *
 *   （障害検知）
 *   11/16 12:03 サービス監視システムにてサービス障害を検知
 *   【対応者：監視業務部門】
 *
 * - A heading in full-width parentheses whenever the phase changes, with a
 *   blank line before every heading but the first.
 * - HH:MM, with M/D before it on the first entry and when the day changes.
 * - 【対応者：…】 after each run of consecutive entries of one phase by one
 *   actor; an entry with no actor gets none.
 */
#include <string.h>

#include "timeline_text.h"
#include "wareki.h"

static int
same(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

/* Under an entry: its source and, for a local sender, its login. */
static int
who_line(const struct tl_entry *e,
    const char *(*login)(const char *, void *), void *arg, struct sbuf *b)
{
	const char *name;
	int rv = 0;

	rv |= sbuf_printf(b, "　〔送信元：%s", e->source != NULL ? e->source :
	    "（記録なし）");
	if (e->recorded_by != NULL) {
		name = login(e->recorded_by, arg);
		if (name != NULL)
			rv |= sbuf_printf(b, "　記録者：%s (uid %s)", name,
			    e->recorded_by);
		else
			rv |= sbuf_printf(b, "　記録者：uid %s（この機械に"
			    "その uid の利用者なし）", e->recorded_by);
	}
	rv |= sbuf_printf(b, "〕\n");
	return rv;
}

static int
block(const struct timeline *tl, const struct zone *z,
    const char *(*login)(const char *, void *), void *arg, struct sbuf *b)
{
	struct local_time lt, prev = { 0, 0, 0, 0, 0, 0, 0 };
	size_t i;
	int rv = 0;

	for (i = 0; i < tl->nentries; i++) {
		const struct tl_entry *e = &tl->entries[i];
		const struct tl_entry *next = i + 1 < tl->nentries ?
		    &tl->entries[i + 1] : NULL;
		int new_block = i == 0 || !same(e->heading,
		    tl->entries[i - 1].heading);

		zone_local(z, e->at, &lt);
		if (new_block) {
			if (i > 0)
				rv |= sbuf_addc(b, '\n');
			if (e->heading != NULL)
				rv |= sbuf_printf(b, "（%s）\n", e->heading);
		}
		if (i == 0 || lt.year != prev.year || lt.month != prev.month ||
		    lt.day != prev.day)
			rv |= wareki_short_daytime(&lt, b);
		else
			rv |= wareki_short_time(&lt, b);
		rv |= sbuf_printf(b, " %s\n", e->text != NULL ? e->text : "");
		if (login != NULL)
			rv |= who_line(e, login, arg, b);
		if (e->actor != NULL && (next == NULL ||
		    !same(next->heading, e->heading) ||
		    !same(next->actor, e->actor)))
			rv |= sbuf_printf(b, "【対応者：%s】\n", e->actor);
		prev = lt;
	}
	return rv ? -1 : 0;
}

int
timeline_text_block(const struct timeline *tl, const struct zone *z,
    struct sbuf *b)
{
	return block(tl, z, NULL, NULL, b);
}

int
timeline_text_block_who(const struct timeline *tl, const struct zone *z,
    const char *(*login)(const char *, void *), void *arg, struct sbuf *b)
{
	return block(tl, z, login, arg, b);
}
