/* SPDX-License-Identifier: MIT */
/*
 * The draft as Markdown: the letter's head as paragraphs, the form as the
 * two-column table of the sample, lines within a cell joined by <br>.
 */
#include <string.h>

#include "report.h"

/* A cell: | escaped, line breaks as <br>, HTML's own characters escaped. */
static void
cell(struct sbuf *b, const char *s)
{
	for (; *s != '\0'; s++) {
		switch (*s) {
		case '|': sbuf_adds(b, "\\|"); break;
		case '\n': sbuf_adds(b, "<br>"); break;
		case '<': sbuf_adds(b, "&lt;"); break;
		case '>': sbuf_adds(b, "&gt;"); break;
		case '&': sbuf_adds(b, "&amp;"); break;
		default: sbuf_addc(b, *s);
		}
	}
}

int
report_markdown(const struct report *r, struct sbuf *b)
{
	struct report_doc d;
	size_t i;

	if (report_build(r, &d) == -1) {
		report_doc_free(&d);
		return -1;
	}
	sbuf_adds(b, "様式第50の３（第57条関係）\n\n# 重大な事故報告書（詳報）\n\n");
	sbuf_printf(b, "%s\n\n総務大臣 殿\n\n", d.date);
	sbuf_adds(b, "| | |\n|---|---|\n");
	for (i = 0; i < d.nheader; i++) {
		if (strcmp(d.header[i].key, "registration_date") == 0)
			sbuf_adds(b, "| 登録年月日又は届出年月日及び届出番号 | |\n");
		sbuf_adds(b, "| ");
		cell(b, d.header[i].label);
		sbuf_adds(b, " | ");
		cell(b, d.header[i].content);
		if (strcmp(d.header[i].key, "representative") == 0)
			sbuf_adds(b, "　印");
		sbuf_adds(b, " |\n");
	}
	sbuf_adds(b, "\n| 項目 | 内容 |\n|---|---|\n");
	for (i = 0; i < d.nrows; i++) {
		sbuf_adds(b, "| ");
		cell(b, d.rows[i].label);
		sbuf_adds(b, " | ");
		cell(b, d.rows[i].content);
		sbuf_adds(b, " |\n");
	}
	if (*d.users_chart != '\0') {
		sbuf_adds(b, "\n## 別添　影響利用者数の推移\n\n| 日時 | 影響利用者数 |\n"
		    "|---|---|\n");
		/* Each line is "11/16 12:20 21,000人": the time, then the count. */
		const char *line = d.users_chart, *nl, *p, *last;

		while ((nl = strchr(line, '\n')) != NULL) {
			for (p = last = line; p < nl; p++)
				if (*p == ' ')
					last = p;
			sbuf_adds(b, "| ");
			sbuf_add(b, line, (size_t)(last - line));
			sbuf_adds(b, " | ");
			sbuf_add(b, last + 1, (size_t)(nl - last - 1));
			sbuf_adds(b, " |\n");
			line = nl + 1;
		}
	}
	report_doc_free(&d);
	return 0;
}
