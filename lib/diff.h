/* SPDX-License-Identifier: MIT */
/*
 * What changed between two texts, line by line: `sochi diff` and the web
 * view's drafts page show the same differences.  The lines both share at
 * the start and at the end are set aside first (two drafts of one
 * incident differ in a few rows), then the longest common subsequence of
 * the rest is found.
 */
#ifndef SOCHI_DIFF_H
#define SOCHI_DIFF_H

#include <stddef.h>

/*
 * The most cells (lines of one by lines of the other, once the shared
 * start and end are set aside) the comparison takes: 64 MiB.  Past it the
 * rest is shown as deleted, then added, whole.
 */
#define DIFF_MAX_CELLS	(16u * 1024 * 1024)

enum diff_op {
	DIFF_SAME,			/* in both */
	DIFF_DEL,			/* only in the first */
	DIFF_ADD			/* only in the second */
};

struct diff_line {
	enum diff_op	 op;		/* where the line is */
	const char	*text;		/* into the text it came from, not NUL-ended */
	size_t		 len;		/* its length, without the newline */
};

struct diff {
	struct diff_line *v;		/* every line of both, in reading order */
	size_t		 n;		/* how many */
	size_t		 changed;	/* lines deleted or added */
	int		 coarse;	/* past DIFF_MAX_CELLS: replaced whole */
};

/*
 * Compares a and b (a last line without a newline is a line too).  The
 * lines point into a and b, which must outlive the result.  Returns 0, or
 * -1 without memory.
 */
int	diff_lines(const char *, const char *, struct diff *);
void	diff_free(struct diff *);

#endif
