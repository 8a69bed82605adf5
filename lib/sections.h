/* SPDX-License-Identifier: MIT */
/*
 * The report sections a note can fill (spec/form-50-3.md).
 */
#ifndef SOCHI_SECTIONS_H
#define SOCHI_SECTIONS_H

enum section_use {
	SECTION_PLAIN,		/* free text */
	SECTION_CAUSE,		/* a cause: takes a management stage */
	SECTION_MEASURE		/* a measure: takes due and done dates */
};

struct section {
	const char	*id;		/* what `note` names, e.g. cause.scale */
	const char	*label;		/* the form's label for it */
	const char	*purpose;	/* what a person writes there */
	enum section_use use;		/* which extra fields it takes */
};

extern const struct section sections[];

const struct section	*section_find(const char *);

#endif
