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

#endif
