/* SPDX-License-Identifier: MIT */
/*
 * The ＜詳細な措置模様＞ block as plain text, laid out by the rules of
 * spec/form-50-3.md; the report renderers and `sochi timeline` share it.
 */
#ifndef SOCHI_TIMELINE_TEXT_H
#define SOCHI_TIMELINE_TEXT_H

#include "sbuf.h"
#include "timeline.h"
#include "zone.h"

int	timeline_text_block(const struct timeline *, const struct zone *,
	    struct sbuf *);

/*
 * The block with, under each entry, who really sent it (`sochi timeline
 * --who`):
 *
 *   11/16 12:05 ルータ再起動
 *   　〔送信元：local:1000　記録者：alice (uid 1000)〕
 *
 * so that a free-text actor can be checked against the sender.  login
 * gives the login name of a uid (lib/ looks nothing up), or NULL when the
 * system has none; recorded_by is shown only for local senders, which are
 * the only ones that have it.
 */
int	timeline_text_block_who(const struct timeline *, const struct zone *,
	    const char *(*login)(const char *uid, void *arg), void *arg,
	    struct sbuf *);

#endif
