/* SPDX-License-Identifier: MIT */
/*
 * The 詳報 as a Word file (.docx), for sochi and the drafter alike: lib
 * writes the WordprocessingML (lib/report_docx.c) and the charts as SVG;
 * here the charts are rasterised to PNG (librsvg, from the very SVG the
 * HTML draft carries) and the parts zipped (libzip).  This library is
 * apart from store/ because what it links (libzip, librsvg with cairo,
 * pango and glib) has nothing to do with reaching the database.
 */
#ifndef SOCHI_OFFICE_DOCX_H
#define SOCHI_OFFICE_DOCX_H

#include <stddef.h>
#include <stdint.h>

#include "report.h"

/*
 * The .docx's bytes in *out (to free) and their length, or -1 with err.
 */
int	docx_render(const struct report *, unsigned char **, size_t *, char *,
	    size_t);
/*
 * A stored draft in every format a [drafts] formats list names, as
 * sochi_draft_add takes them: fmts[i] (static), and bodies[i] (its text)
 * or, for docx, data[i] and lens[i] (its bytes); the arrays hold
 * REPORT_FORMATS_MAX.  Returns how many (to free with docx_draft_free),
 * or -1 with err.
 */
int	docx_draft_formats(const struct report *, const char *, const char **,
	    char **, unsigned char **, size_t *, char *, size_t);
void	docx_draft_free(char **, unsigned char **, int);
/*
 * An SVG document as PNG, scale pixels per SVG unit: its bytes in *png (to
 * free), their length and the picture's size, or -1 with err.
 */
int	docx_svg_png(const char *, size_t, double, unsigned char **, size_t *,
	    int *, int *, char *, size_t);
/*
 * Parts zipped in order, deflated where compress says (each stamped with
 * the time given, so that one draft gives the same bytes every time).
 */
int	docx_zip(const struct report_parts *, int64_t, unsigned char **,
	    size_t *, char *, size_t);

#endif
