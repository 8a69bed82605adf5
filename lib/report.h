/* SPDX-License-Identifier: MIT */
/*
 * The draft 重大な事故報告書（詳報）, 様式第50の3: the header and the body rows
 * of the form, in the official order and wording (spec/form-50-3.md), built
 * once from the timeline model and rendered by report_text.c, report_md.c,
 * report_html.c and report_json.c.  Whatever the events cannot tell shows
 * REPORT_FILL_IN, and is listed in `missing`.
 */
#ifndef SOCHI_REPORT_H
#define SOCHI_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "related.h"
#include "sbuf.h"
#include "timeline.h"
#include "zone.h"

#define REPORT_FILL_IN	"【要記入】"

struct report {
	const struct timeline	*tl;		/* the model */
	const struct tl_incident *inc;		/* the incident */
	const struct report_profile *profile;	/* the carrier's header */
	const struct zone	*zone;		/* the carrier's zone */
	int64_t			 now;		/* the report date */
	const struct related_set *related;	/* past incidents looked up, or NULL */
};

struct report_item {
	const char	*label;		/* 郵便番号, 発生年月日及び時刻, ... */
	const char	*key;		/* its name in JSON and in `missing` */
	char		*content;	/* lines separated by '\n' */
	int		 missing;	/* content has REPORT_FILL_IN in it */
};

struct report_doc {
	struct report_item *header;	/* the letter's head, in order */
	size_t		 nheader;
	struct report_item *rows;	/* the form's rows, in order */
	size_t		 nrows;
	char		*date;		/* 令和8年11月28日 */
	char		*timeline;	/* the 詳細な措置模様 block */
	char		*users_chart;	/* 影響利用者数の推移 as text lines */
};

int	report_build(const struct report *, struct report_doc *);
void	report_doc_free(struct report_doc *);

/* The renderers. */
int	report_text(const struct report *, struct sbuf *);
int	report_markdown(const struct report *, struct sbuf *);
int	report_html(const struct report *, struct sbuf *);
/*
 * report_html's parts, for a page that shows the draft among other
 * things (the web view): its style sheet, and what goes in its body.
 */
extern const char report_html_style[];
int	report_html_body(const struct report *, struct sbuf *);
int	report_json(const struct report *, struct sbuf *);
/*
 * Members of the JSON report that the list (lib/listing.c) and the web
 * view's API give too, so that one figure reads alike everywhere: a time
 * in the zone (RFC 3339), the impacts, the entries of the 詳細な措置模様,
 * and the classification (null without an impact, its name then added to
 * missing when that is not NULL).  Each returns a new reference.
 */
json_t	*report_json_time(const struct zone *, int64_t);
json_t	*report_json_impacts(const struct timeline *, const struct zone *);
json_t	*report_json_entries(const struct timeline *, const struct zone *);
json_t	*report_json_classification(const struct timeline *, json_t *);
/* Formats a draft is stored in at most: text, md, html, json, docx. */
#define REPORT_FORMATS_MAX	5
/* Whether a comma-separated list of formats names this one. */
int	report_format_listed(const char *, const char *);
/*
 * Renders the draft in each text format named in a comma-separated list
 * (text, md, html, json; docx is the caller's, see office/docx.h):
 * names[i] is the format, bodies[i] its text, to free.  Returns how many,
 * at most 4.
 */
int	report_render_formats(const struct report *, const char *, const char **,
	    char **);
/*
 * The attachments 「影響利用者数の推移」 and 「影響と措置の時系列」, drawn as
 * report_html draws them, each as a standalone SVG document (its font
 * rules inside) for whoever rasterises it.  Returns -1 when there is
 * nothing to draw: no users count was recorded.
 */
enum report_chart {
	REPORT_CHART_USERS,		/* 影響利用者数の推移 */
	REPORT_CHART_TIMELINE		/* 影響と措置の時系列 */
};
int	report_chart_svg(const struct report *, enum report_chart,
	    struct sbuf *);

/* An attachment rasterised by the caller, from report_chart_svg. */
struct report_image {
	const unsigned char *png;	/* the PNG's bytes, or NULL: none */
	size_t		 len;		/* their length */
	int		 width;		/* pixels */
	int		 height;	/* pixels */
};

/* A file of an Office Open XML package. */
struct report_part {
	const char	*name;		/* its path in the zip: word/document.xml */
	unsigned char	*data;		/* its bytes, owned */
	size_t		 len;		/* their length */
	int		 compress;	/* worth deflating (XML; not PNG) */
};

struct report_parts {
	struct report_part *v;		/* in the order they go into the zip */
	size_t		 n;
};

/*
 * The draft as WordprocessingML (.docx): the parts of the package, for the
 * caller to zip in order ([Content_Types].xml first).  images[0] is 影響利用者
 * 数の推移, images[1] 影響と措置の時系列 (NULL or a NULL png: left out).
 */
int	report_docx(const struct report *, const struct report_image *,
	    struct report_parts *);
void	report_parts_free(struct report_parts *);

/* The 速報: the first report, as text. */
int	report_sokuho(const struct report *, struct sbuf *);

/* Display columns of UTF-8 text: East Asian wide characters count two. */
size_t	text_width(const char *, size_t);
/* ① for 1 ... ⑳ for 20, ㉑ ... ㊿ for 50, then (51)... */
int	report_circled(int, struct sbuf *);
/*
 * What `sochi check` prints after "classification: " and "due: ":
 *   serious 五 A (2時間15分間 >= 2時間, 58,990人 >= 30,000人)
 *   undetermined 五 (3時間0分間 >= 2時間, users unknown)
 *   2026-12-16 if serious; 2027-05-31 if not
 * report_class_line takes a classification, the duration it was made with
 * (provisional: marked ※暫定) and the users (-1: unknown).
 */
int	report_class_line(const struct reg_result *, int64_t, int, int64_t,
	    struct sbuf *);
int	report_incident_line(const struct timeline *, struct sbuf *);
/* impact ①: serious 五 A (…) */
int	report_impact_line(const struct tl_impact *, struct sbuf *);
int	report_due_line(const struct timeline *, struct sbuf *);

#endif
