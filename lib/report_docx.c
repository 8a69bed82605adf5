/* SPDX-License-Identifier: MIT */
/*
 * The draft as a Word document (Office Open XML, WordprocessingML), in the
 * form's layout: the letter's head, the two-column bordered table of
 * 様式第50の3 with its ＜…＞ sub-headings, 【要記入】 highlighted, and the two
 * attachments as pictures, on A4 portrait with the margins of the HTML
 * draft.  The text is set in IPAMincho, whose font entry names ＭＳ 明朝 as
 * the font Word takes where IPAMincho is not installed.
 *
 * Only the parts' bytes are made here: the caller rasterises the charts
 * (report_chart_svg) and writes the zip.
 */
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "wareki.h"

/* Twentieths of a point (twips) per millimetre, and EMUs. */
#define TW_MM(mm)	((int)((mm) * 1440.0 / 25.4 + 0.5))
#define EMU_MM		36000L

/* A4 portrait; the margins of report_html's @page. */
#define PAGE_W		11906
#define PAGE_H		16838
#define MARGIN_TOP	TW_MM(14)
#define MARGIN_SIDE	TW_MM(14)
#define MARGIN_BOTTOM	TW_MM(16)
#define TEXT_W		(PAGE_W - 2 * MARGIN_SIDE)
#define TEXT_MM		182
/* The label column, as wide as the HTML's (30mm). */
#define LABEL_W		TW_MM(30)
/* The letter's head starts at 40% of the line, as in the HTML. */
#define HEAD_IND	(TEXT_W * 2 / 5)
#define HEAD_LABEL_W	TW_MM(30)

#define FONT		"IPAMincho"
#define FONT_ALT	"ＭＳ 明朝"

#define NS_W	"http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define NS_R	"http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define NS_WP	"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
#define NS_A	"http://schemas.openxmlformats.org/drawingml/2006/main"
#define NS_PIC	"http://schemas.openxmlformats.org/drawingml/2006/picture"
#define NS_PKG	"http://schemas.openxmlformats.org/package/2006/relationships"
#define REL	"http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define XML_DECL "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"

/* Escapes text for XML; control characters XML cannot hold are dropped. */
static void
esc(struct sbuf *b, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		switch (c) {
		case '<': sbuf_adds(b, "&lt;"); break;
		case '>': sbuf_adds(b, "&gt;"); break;
		case '&': sbuf_adds(b, "&amp;"); break;
		case '"': sbuf_adds(b, "&quot;"); break;
		default:
			if (c >= 0x20 || c == '\t')
				sbuf_addc(b, (char)c);
		}
	}
}

static void
escs(struct sbuf *b, const char *s)
{
	esc(b, s, strlen(s));
}

/* A run of plain text; tabs as w:tab. */
static void
run(struct sbuf *b, const char *s, size_t n, const char *rpr)
{
	size_t i, start = 0;

	if (n == 0)
		return;
	sbuf_adds(b, "<w:r>");
	if (rpr != NULL)
		sbuf_printf(b, "<w:rPr>%s</w:rPr>", rpr);
	for (i = 0; i <= n; i++) {
		if (i < n && s[i] != '\t')
			continue;
		if (i > start) {
			sbuf_adds(b, "<w:t xml:space=\"preserve\">");
			esc(b, s + start, i - start);
			sbuf_adds(b, "</w:t>");
		}
		if (i < n)
			sbuf_adds(b, "<w:tab/>");
		start = i + 1;
	}
	sbuf_adds(b, "</w:r>");
}

/* 【要記入】 stands out as in the HTML: bold on a yellow highlight. */
#define RPR_FILL_IN	"<w:rStyle w:val=\"FillIn\"/><w:b/>" \
	"<w:highlight w:val=\"yellow\"/>"
#define RPR_SUB		"<w:rStyle w:val=\"SubHeading\"/><w:b/>"

#define DURATION	"（継続時間："

/* A line of content: runs, 【要記入】 highlighted, ＜…＞ set as a sub-heading. */
static void
line_runs(struct sbuf *b, const char *s, size_t n)
{
	static const char open[] = "＜", close[] = "＞";
	size_t fill = strlen(REPORT_FILL_IN), dur = strlen(DURATION), i = 0;
	size_t start = 0;
	const char *rpr = NULL;

	if (n >= 2 * strlen(open) && memcmp(s, open, strlen(open)) == 0 &&
	    memcmp(s + n - strlen(close), close, strlen(close)) == 0)
		rpr = RPR_SUB;
	while (i < n) {
		/*
		 * A duration on a line of its own, as the text format sets it:
		 * Word has no way to keep a figure from breaking in CJK text,
		 * and 継続時間：2 / 時間15分間 is what it did otherwise.
		 */
		if (i > 0 && n - i >= dur && memcmp(s + i, DURATION, dur) == 0) {
			run(b, s + start, i - start, rpr);
			sbuf_adds(b, "<w:r><w:br/></w:r>");
			start = i;
		}
		if (n - i >= fill && memcmp(s + i, REPORT_FILL_IN, fill) == 0) {
			run(b, s + start, i - start, rpr);
			run(b, s + i, fill, RPR_FILL_IN);
			i += fill;
			start = i;
			continue;
		}
		i++;
	}
	run(b, s + start, n - start, rpr);
}

/* One paragraph per line of text; pstyle and ppr may be NULL. */
static void
paragraphs(struct sbuf *b, const char *text, const char *pstyle,
    const char *ppr)
{
	const char *line = text, *nl;

	for (;;) {
		nl = strchr(line, '\n');
		sbuf_adds(b, "<w:p>");
		if (pstyle != NULL || ppr != NULL) {
			sbuf_adds(b, "<w:pPr>");
			if (pstyle != NULL)
				sbuf_printf(b, "<w:pStyle w:val=\"%s\"/>", pstyle);
			if (ppr != NULL)
				sbuf_adds(b, ppr);
			sbuf_adds(b, "</w:pPr>");
		}
		line_runs(b, line, nl != NULL ? (size_t)(nl - line) :
		    strlen(line));
		sbuf_adds(b, "</w:p>");
		if (nl == NULL)
			break;
		line = nl + 1;
	}
}

static void
cell(struct sbuf *b, int width, const char *tcpr, const char *text,
    const char *pstyle)
{
	sbuf_printf(b, "<w:tc><w:tcPr><w:tcW w:w=\"%d\" w:type=\"dxa\"/>%s"
	    "</w:tcPr>", width, tcpr != NULL ? tcpr : "");
	paragraphs(b, text, pstyle, NULL);
	sbuf_adds(b, "</w:tc>");
}

/* The letter's head: an unbordered table from 40% of the line. */
static void
head_table(struct sbuf *b, const struct report_doc *d)
{
	struct sbuf c = SBUF_INIT;
	size_t i;

	sbuf_printf(b, "<w:tbl><w:tblPr><w:tblStyle w:val=\"HeadTable\"/>"
	    "<w:tblW w:w=\"%d\" w:type=\"dxa\"/><w:tblInd w:w=\"%d\" "
	    "w:type=\"dxa\"/><w:tblLayout w:type=\"fixed\"/><w:tblLook "
	    "w:val=\"0000\"/></w:tblPr><w:tblGrid><w:gridCol w:w=\"%d\"/>"
	    "<w:gridCol w:w=\"%d\"/></w:tblGrid>\n", TEXT_W - HEAD_IND,
	    HEAD_IND, HEAD_LABEL_W, TEXT_W - HEAD_IND - HEAD_LABEL_W);
	for (i = 0; i < d->nheader; i++) {
		const struct report_item *it = &d->header[i];

		if (strcmp(it->key, "registration_date") == 0) {
			sbuf_adds(b, "<w:tr>");
			cell(b, TEXT_W - HEAD_IND, "<w:gridSpan w:val=\"2\"/>",
			    "登録年月日又は届出年月日及び届出番号", NULL);
			sbuf_adds(b, "</w:tr>\n");
		}
		sbuf_truncate(&c, 0);
		sbuf_adds(&c, it->content);
		if (strcmp(it->key, "representative") == 0)
			sbuf_adds(&c, "　印");
		sbuf_adds(b, "<w:tr>");
		cell(b, HEAD_LABEL_W, NULL, it->label, NULL);
		cell(b, TEXT_W - HEAD_IND - HEAD_LABEL_W, NULL, c.data, NULL);
		sbuf_adds(b, "</w:tr>\n");
	}
	sbuf_adds(b, "</w:tbl>\n");
	sbuf_free(&c);
}

/* The form: the two-column bordered table, rows free to cross pages. */
static void
form_table(struct sbuf *b, const struct report_doc *d)
{
	size_t i;

	sbuf_printf(b, "<w:tbl><w:tblPr><w:tblStyle w:val=\"FormTable\"/>"
	    "<w:tblW w:w=\"%d\" w:type=\"dxa\"/><w:tblLayout w:type=\"fixed\"/>"
	    "<w:tblLook w:val=\"0000\"/></w:tblPr><w:tblGrid><w:gridCol "
	    "w:w=\"%d\"/><w:gridCol w:w=\"%d\"/></w:tblGrid>\n", TEXT_W,
	    LABEL_W, TEXT_W - LABEL_W);
	for (i = 0; i < d->nrows; i++) {
		sbuf_printf(b, "<w:tr>");
		cell(b, LABEL_W, NULL, d->rows[i].label, "FormLabel");
		cell(b, TEXT_W - LABEL_W, NULL, d->rows[i].content, NULL);
		sbuf_adds(b, "</w:tr>\n");
	}
	sbuf_adds(b, "</w:tbl>\n");
}

/* The picture of an attachment, as wide as the text, its height to scale. */
static void
picture(struct sbuf *b, int id, const char *rid, const char *name,
    const char *descr, const struct report_image *img)
{
	long cx = TEXT_MM * EMU_MM;
	long cy = (long)((double)cx * img->height / img->width + 0.5);

	sbuf_adds(b, "<w:p><w:pPr><w:pStyle w:val=\"Figure\"/></w:pPr><w:r>"
	    "<w:drawing><wp:inline distT=\"0\" distB=\"0\" distL=\"0\" "
	    "distR=\"0\">");
	sbuf_printf(b, "<wp:extent cx=\"%ld\" cy=\"%ld\"/><wp:effectExtent "
	    "l=\"0\" t=\"0\" r=\"0\" b=\"0\"/><wp:docPr id=\"%d\" name=\"", cx,
	    cy, id);
	escs(b, name);
	sbuf_adds(b, "\" descr=\"");
	escs(b, descr);
	sbuf_adds(b, "\"/><wp:cNvGraphicFramePr><a:graphicFrameLocks "
	    "noChangeAspect=\"1\"/></wp:cNvGraphicFramePr><a:graphic>"
	    "<a:graphicData uri=\"" NS_PIC "\"><pic:pic><pic:nvPicPr>");
	sbuf_printf(b, "<pic:cNvPr id=\"%d\" name=\"", id);
	escs(b, name);
	sbuf_printf(b, ".png\"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill>"
	    "<a:blip r:embed=\"%s\"/><a:stretch><a:fillRect/></a:stretch>"
	    "</pic:blipFill><pic:spPr><a:xfrm><a:off x=\"0\" y=\"0\"/>"
	    "<a:ext cx=\"%ld\" cy=\"%ld\"/></a:xfrm><a:prstGeom prst=\"rect\">"
	    "<a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData>"
	    "</a:graphic></wp:inline></w:drawing></w:r></w:p>\n", rid, cx, cy);
}

/* What the timeline chart shows, in words, for its alternative text. */
static void
impacts_descr(const struct report *r, struct sbuf *b)
{
	size_t i;

	sbuf_adds(b, "影響と措置の時系列");
	for (i = 0; i < r->tl->nimpacts; i++) {
		const struct tl_impact *im = &r->tl->impacts[i];

		if (im->no == 0)
			continue;
		sbuf_adds(b, "\n");
		report_circled(im->no, b);
		sbuf_printf(b, " %s ", im->label ? im->label : im->name);
		duration_format(im->duration, b);
		if (im->provisional)
			sbuf_adds(b, "（暫定）");
	}
	sbuf_printf(b, "\n措置 %zu件", r->tl->nentries);
}

/* An attachment the caller drew. */
static int
drawn(const struct report_image *images, int i)
{
	return images != NULL && images[i].png != NULL && images[i].len > 0 &&
	    images[i].width > 0 && images[i].height > 0;
}

static void
document(const struct report *r, const struct report_doc *d,
    const struct report_image *images, struct sbuf *b)
{
	struct sbuf descr = SBUF_INIT;

	sbuf_adds(b, XML_DECL "<w:document xmlns:w=\"" NS_W "\" xmlns:r=\""
	    NS_R "\" xmlns:wp=\"" NS_WP "\" xmlns:a=\"" NS_A "\" xmlns:pic=\""
	    NS_PIC "\"><w:body>\n");
	paragraphs(b, "様式第50の３（第57条関係）", NULL, NULL);
	paragraphs(b, "重大な事故報告書（詳報）", "Title", NULL);
	paragraphs(b, d->date, NULL, "<w:jc w:val=\"right\"/>");
	paragraphs(b, "総務大臣 殿", "ToLine", NULL);
	head_table(b, d);
	paragraphs(b, "", NULL, NULL);
	form_table(b, d);

	paragraphs(b, "別添　影響利用者数の推移", "Heading2", NULL);
	if (drawn(images, 0)) {
		sbuf_adds(&descr, "影響利用者数の推移\n");
		sbuf_adds(&descr, d->users_chart);
		picture(b, 1, "rId10", "影響利用者数の推移", descr.data, &images[0]);
	} else
		paragraphs(b, REPORT_FILL_IN "（影響利用者数の記録がありません）",
		    NULL, NULL);
	paragraphs(b, "別添　影響と措置の時系列", "Heading2", NULL);
	if (drawn(images, 1)) {
		sbuf_truncate(&descr, 0);
		impacts_descr(r, &descr);
		picture(b, 2, "rId11", "影響と措置の時系列", descr.data, &images[1]);
	}
	sbuf_printf(b, "<w:sectPr><w:pgSz w:w=\"%d\" w:h=\"%d\"/><w:pgMar "
	    "w:top=\"%d\" w:right=\"%d\" w:bottom=\"%d\" w:left=\"%d\" "
	    "w:header=\"425\" w:footer=\"425\" w:gutter=\"0\"/><w:cols "
	    "w:space=\"425\"/><w:docGrid w:linePitch=\"360\"/></w:sectPr>\n"
	    "</w:body></w:document>\n", PAGE_W, PAGE_H, MARGIN_TOP,
	    MARGIN_SIDE, MARGIN_BOTTOM, MARGIN_SIDE);
	sbuf_free(&descr);
}

/* Named in the headings too: a reader's own heading styles do not apply. */
#define RFONTS	"<w:rFonts w:ascii=\"" FONT "\" w:eastAsia=\"" FONT "\" " \
	"w:hAnsi=\"" FONT "\" w:cs=\"" FONT "\"/>"

/*
 * The styles: IPAMincho 10pt for everything (as the HTML's 10pt), Japanese
 * line breaking, the form's borders and cell padding (1.5mm by 2mm).
 */
static const char styles[] = XML_DECL
"<w:styles xmlns:w=\"" NS_W "\">"
"<w:docDefaults><w:rPrDefault><w:rPr>"
RFONTS "<w:kern w:val=\"2\"/><w:sz w:val=\"20\"/>"
"<w:szCs w:val=\"20\"/><w:lang w:val=\"ja-JP\" w:eastAsia=\"ja-JP\" "
"w:bidi=\"ar-SA\"/></w:rPr></w:rPrDefault>"
"<w:pPrDefault><w:pPr><w:spacing w:after=\"0\" w:line=\"300\" "
"w:lineRule=\"auto\"/></w:pPr></w:pPrDefault></w:docDefaults>\n"
"<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\">"
"<w:name w:val=\"Normal\"/><w:qFormat/><w:pPr><w:widowControl/>"
"<w:jc w:val=\"both\"/></w:pPr></w:style>\n"
"<w:style w:type=\"paragraph\" w:styleId=\"Title\"><w:name w:val=\"Title\"/>"
"<w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/><w:pPr>"
"<w:spacing w:before=\"120\" w:after=\"240\"/><w:jc w:val=\"center\"/>"
"<w:outlineLvl w:val=\"0\"/></w:pPr><w:rPr>" RFONTS "<w:spacing w:val=\"60\"/>"
"<w:sz w:val=\"30\"/><w:szCs w:val=\"30\"/></w:rPr></w:style>\n"
"<w:style w:type=\"paragraph\" w:styleId=\"ToLine\"><w:name w:val=\"To\"/>"
"<w:basedOn w:val=\"Normal\"/><w:pPr><w:spacing w:before=\"120\" "
"w:after=\"240\"/></w:pPr></w:style>\n"
"<w:style w:type=\"paragraph\" w:styleId=\"Heading2\"><w:name "
"w:val=\"heading 2\"/><w:basedOn w:val=\"Normal\"/><w:next "
"w:val=\"Normal\"/><w:qFormat/><w:pPr><w:keepNext/><w:spacing "
"w:before=\"454\" w:after=\"170\"/><w:outlineLvl w:val=\"1\"/></w:pPr>"
"<w:rPr>" RFONTS "<w:b/><w:sz w:val=\"24\"/><w:szCs w:val=\"24\"/>"
"</w:rPr></w:style>\n"
"<w:style w:type=\"paragraph\" w:styleId=\"FormLabel\"><w:name "
"w:val=\"Form Label\"/><w:basedOn w:val=\"Normal\"/><w:pPr><w:jc "
"w:val=\"left\"/></w:pPr></w:style>\n"
"<w:style w:type=\"paragraph\" w:styleId=\"Figure\"><w:name "
"w:val=\"Figure\"/><w:basedOn w:val=\"Normal\"/><w:pPr><w:jc "
"w:val=\"center\"/><w:spacing w:line=\"240\" w:lineRule=\"auto\"/></w:pPr>"
"</w:style>\n"
"<w:style w:type=\"character\" w:styleId=\"SubHeading\"><w:name "
"w:val=\"Sub-heading\"/><w:rPr><w:b/></w:rPr></w:style>\n"
"<w:style w:type=\"character\" w:styleId=\"FillIn\"><w:name "
"w:val=\"To Fill In\"/><w:rPr><w:b/><w:highlight w:val=\"yellow\"/>"
"</w:rPr></w:style>\n"
"<w:style w:type=\"table\" w:default=\"1\" w:styleId=\"TableNormal\">"
"<w:name w:val=\"Normal Table\"/><w:tblPr><w:tblInd w:w=\"0\" "
"w:type=\"dxa\"/><w:tblCellMar><w:top w:w=\"0\" w:type=\"dxa\"/><w:left "
"w:w=\"108\" w:type=\"dxa\"/><w:bottom w:w=\"0\" w:type=\"dxa\"/><w:right "
"w:w=\"108\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr></w:style>\n"
"<w:style w:type=\"table\" w:styleId=\"HeadTable\"><w:name "
"w:val=\"Letter Head\"/><w:basedOn w:val=\"TableNormal\"/><w:tblPr>"
"<w:tblCellMar><w:top w:w=\"0\" w:type=\"dxa\"/><w:left w:w=\"0\" "
"w:type=\"dxa\"/><w:bottom w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"170\" "
"w:type=\"dxa\"/></w:tblCellMar></w:tblPr></w:style>\n"
"<w:style w:type=\"table\" w:styleId=\"FormTable\"><w:name "
"w:val=\"Form\"/><w:basedOn w:val=\"TableNormal\"/><w:tblPr><w:tblBorders>"
"<w:top w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>"
"<w:left w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>"
"<w:bottom w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>"
"<w:right w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>"
"<w:insideH w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>"
"<w:insideV w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>"
"</w:tblBorders><w:tblCellMar><w:top w:w=\"85\" w:type=\"dxa\"/><w:left "
"w:w=\"113\" w:type=\"dxa\"/><w:bottom w:w=\"85\" w:type=\"dxa\"/>"
"<w:right w:w=\"113\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr></w:style>\n"
"</w:styles>\n";

/* IPAMincho, and ＭＳ 明朝 where it is not installed (w:altName). */
static const char fonts[] = XML_DECL
"<w:fonts xmlns:w=\"" NS_W "\">"
"<w:font w:name=\"" FONT "\"><w:altName w:val=\"" FONT_ALT "\"/>"
"<w:panose1 w:val=\"02020609040205080304\"/><w:charset w:val=\"80\"/>"
"<w:family w:val=\"roman\"/><w:pitch w:val=\"fixed\"/></w:font>"
"<w:font w:name=\"" FONT_ALT "\"><w:altName w:val=\"MS Mincho\"/>"
"<w:panose1 w:val=\"02020609040205080304\"/><w:charset w:val=\"80\"/>"
"<w:family w:val=\"roman\"/><w:pitch w:val=\"fixed\"/></w:font>"
"</w:fonts>\n";

/* A line ended by a break (before a duration) is not spread out. */
static const char settings[] = XML_DECL
"<w:settings xmlns:w=\"" NS_W "\"><w:zoom w:percent=\"100\"/>"
"<w:defaultTabStop w:val=\"840\"/><w:characterSpacingControl "
"w:val=\"compressPunctuation\"/><w:compat><w:doNotExpandShiftReturn/>"
"<w:compatSetting "
"w:name=\"compatibilityMode\" w:uri=\"http://schemas.microsoft.com/office/"
"word\" w:val=\"15\"/></w:compat><w:themeFontLang w:val=\"en-US\" "
"w:eastAsia=\"ja-JP\"/></w:settings>\n";

static const char content_types[] = XML_DECL
"<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
"<Default Extension=\"rels\" ContentType=\"application/"
"vnd.openxmlformats-package.relationships+xml\"/>"
"<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
"<Default Extension=\"png\" ContentType=\"image/png\"/>"
"<Override PartName=\"/word/document.xml\" ContentType=\"application/"
"vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>"
"<Override PartName=\"/word/styles.xml\" ContentType=\"application/"
"vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>"
"<Override PartName=\"/word/settings.xml\" ContentType=\"application/"
"vnd.openxmlformats-officedocument.wordprocessingml.settings+xml\"/>"
"<Override PartName=\"/word/fontTable.xml\" ContentType=\"application/"
"vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml\"/>"
"<Override PartName=\"/docProps/core.xml\" ContentType=\"application/"
"vnd.openxmlformats-package.core-properties+xml\"/>"
"<Override PartName=\"/docProps/app.xml\" ContentType=\"application/"
"vnd.openxmlformats-officedocument.extended-properties+xml\"/>"
"</Types>\n";

static const char package_rels[] = XML_DECL
"<Relationships xmlns=\"" NS_PKG "\">"
"<Relationship Id=\"rId1\" Type=\"" REL "/officeDocument\" "
"Target=\"word/document.xml\"/>"
"<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/"
"2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>"
"<Relationship Id=\"rId3\" Type=\"" REL "/extended-properties\" "
"Target=\"docProps/app.xml\"/>"
"</Relationships>\n";

static const char app[] = XML_DECL
"<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/"
"extended-properties\"><Application>sochi</Application></Properties>\n";

static void
document_rels(const struct report_image *images, struct sbuf *b)
{
	sbuf_adds(b, XML_DECL "<Relationships xmlns=\"" NS_PKG "\">"
	    "<Relationship Id=\"rId1\" Type=\"" REL "/styles\" "
	    "Target=\"styles.xml\"/>"
	    "<Relationship Id=\"rId2\" Type=\"" REL "/settings\" "
	    "Target=\"settings.xml\"/>"
	    "<Relationship Id=\"rId3\" Type=\"" REL "/fontTable\" "
	    "Target=\"fontTable.xml\"/>");
	if (drawn(images, 0))
		sbuf_adds(b, "<Relationship Id=\"rId10\" Type=\"" REL "/image\" "
		    "Target=\"media/users.png\"/>");
	if (drawn(images, 1))
		sbuf_adds(b, "<Relationship Id=\"rId11\" Type=\"" REL "/image\" "
		    "Target=\"media/timeline.png\"/>");
	sbuf_adds(b, "</Relationships>\n");
}

static void
core(const struct report *r, struct sbuf *b)
{
	struct sochi_time st;
	char when[RFC3339_MAX];

	st.usec = r->now - r->now % 1000000;
	st.offset_min = 0;
	rfc3339_format(&st, when, sizeof(when));
	sbuf_adds(b, XML_DECL "<cp:coreProperties xmlns:cp=\"http://"
	    "schemas.openxmlformats.org/package/2006/metadata/core-properties\" "
	    "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\""
	    "http://purl.org/dc/terms/\" xmlns:xsi=\"http://www.w3.org/2001/"
	    "XMLSchema-instance\"><dc:title>重大な事故報告書（詳報）");
	if (r->inc != NULL && r->inc->code != NULL) {
		sbuf_addc(b, ' ');
		escs(b, r->inc->code);
	}
	sbuf_adds(b, "</dc:title><dc:language>ja-JP</dc:language>"
	    "<dc:creator>sochi</dc:creator><dcterms:created "
	    "xsi:type=\"dcterms:W3CDTF\">");
	sbuf_adds(b, when);
	sbuf_adds(b, "</dcterms:created></cp:coreProperties>\n");
}

static int
add_part(struct report_parts *p, const char *name, const void *data,
    size_t len, int compress)
{
	struct report_part *v = realloc(p->v, (p->n + 1) * sizeof(*v));

	if (v == NULL)
		return -1;
	p->v = v;
	v[p->n].name = name;
	v[p->n].len = len;
	v[p->n].compress = compress;
	if ((v[p->n].data = malloc(len + 1)) == NULL)
		return -1;
	memcpy(v[p->n].data, data, len);
	v[p->n].data[len] = '\0';
	p->n++;
	return 0;
}

/* Takes the sbuf's text as a part; -1 without memory. */
static int
add_sbuf(struct report_parts *p, const char *name, struct sbuf *b)
{
	int rv = b->data != NULL ? add_part(p, name, b->data, b->len, 1) : -1;

	sbuf_truncate(b, 0);
	return rv;
}

int
report_docx(const struct report *r, const struct report_image *images,
    struct report_parts *parts)
{
	struct report_doc d;
	struct sbuf b = SBUF_INIT;
	int rv = 0;

	memset(parts, 0, sizeof(*parts));
	if (report_build(r, &d) == -1) {
		report_doc_free(&d);
		return -1;
	}
	rv |= add_part(parts, "[Content_Types].xml", content_types,
	    sizeof(content_types) - 1, 1);
	rv |= add_part(parts, "_rels/.rels", package_rels,
	    sizeof(package_rels) - 1, 1);
	core(r, &b);
	rv |= add_sbuf(parts, "docProps/core.xml", &b);
	rv |= add_part(parts, "docProps/app.xml", app, sizeof(app) - 1, 1);
	document(r, &d, images, &b);
	rv |= add_sbuf(parts, "word/document.xml", &b);
	document_rels(images, &b);
	rv |= add_sbuf(parts, "word/_rels/document.xml.rels", &b);
	rv |= add_part(parts, "word/styles.xml", styles, sizeof(styles) - 1, 1);
	rv |= add_part(parts, "word/settings.xml", settings,
	    sizeof(settings) - 1, 1);
	rv |= add_part(parts, "word/fontTable.xml", fonts, sizeof(fonts) - 1, 1);
	if (drawn(images, 0))
		rv |= add_part(parts, "word/media/users.png", images[0].png,
		    images[0].len, 0);
	if (drawn(images, 1))
		rv |= add_part(parts, "word/media/timeline.png", images[1].png,
		    images[1].len, 0);
	sbuf_free(&b);
	report_doc_free(&d);
	if (rv != 0) {
		report_parts_free(parts);
		return -1;
	}
	return 0;
}

void
report_parts_free(struct report_parts *parts)
{
	size_t i;

	if (parts == NULL)
		return;
	for (i = 0; i < parts->n; i++)
		free(parts->v[i].data);
	free(parts->v);
	memset(parts, 0, sizeof(*parts));
}
