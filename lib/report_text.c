/*
 * The draft as plain UTF-8 text: the letter's head, then the form's rows as
 * two columns, the label wrapped within its column and the content beside
 * it, aligned by display width (a full-width character is two columns).
 */
#include <string.h>

#include "report.h"

#define PAGE		76	/* columns of a line */
#define LABEL		28	/* columns of the label column: 14 full-width */
#define GAP		2	/* between label and content */

static void
spaces(struct sbuf *b, size_t n)
{
	while (n-- > 0)
		sbuf_addc(b, ' ');
}

static void
rule(struct sbuf *b, char c)
{
	size_t i;

	for (i = 0; i < PAGE; i++)
		sbuf_addc(b, c);
	sbuf_addc(b, '\n');
}

/* The next piece of s, at most `cols` wide; returns its length in bytes. */
static size_t
cut(const char *s, size_t cols)
{
	size_t i = 0, w = 0;

	while (s[i] != '\0') {
		size_t len = 1, cw;

		while ((s[i + len] & 0xc0) == 0x80)
			len++;
		cw = text_width(s + i, len);
		if (w + cw > cols)
			break;
		w += cw;
		i += len;
	}
	return i;
}

static void
row(struct sbuf *b, const char *label, const char *content)
{
	const char *l = label, *c = content;

	while (*l != '\0' || *c != '\0') {
		size_t ln = cut(l, LABEL), cn;
		const char *nl = strchr(c, '\n');

		sbuf_add(b, l, ln);
		l += ln;
		cn = nl != NULL ? (size_t)(nl - c) : strlen(c);
		if (cn > 0) {
			spaces(b, LABEL + GAP - text_width(l - ln, ln));
			sbuf_add(b, c, cn);
		}
		sbuf_addc(b, '\n');
		c += cn;
		if (*c == '\n') {
			c++;
			if (*c == '\0' && *l == '\0')
				break;
		}
	}
}

static void
centered(struct sbuf *b, const char *s, int right)
{
	size_t w = text_width(s, strlen(s));

	if (w < PAGE)
		spaces(b, right ? PAGE - w : (PAGE - w) / 2);
	sbuf_printf(b, "%s\n", s);
}

int
report_text(const struct report *r, struct sbuf *b)
{
	struct report_doc d;
	size_t i;
	const size_t indent = 28;

	if (report_build(r, &d) == -1) {
		report_doc_free(&d);
		return -1;
	}
	sbuf_adds(b, "様式第50の３（第57条関係）\n\n");
	centered(b, "重大な事故報告書（詳報）", 0);
	sbuf_addc(b, '\n');
	centered(b, d.date, 1);
	sbuf_adds(b, "総務大臣 殿\n");
	for (i = 0; i < d.nheader; i++) {
		const struct report_item *h = &d.header[i];
		const char *line = h->content, *nl;

		if (strcmp(h->key, "registration_date") == 0) {
			spaces(b, indent);
			sbuf_adds(b, "登録年月日又は届出年月日及び届出番号\n");
		}
		for (;;) {
			nl = strchr(line, '\n');
			spaces(b, indent + (line != h->content ? 4 : 0));
			if (line == h->content && *h->label != '\0')
				sbuf_printf(b, "%s ", h->label);
			else if (line == h->content)
				spaces(b, 2);
			sbuf_add(b, line, nl ? (size_t)(nl - line) : strlen(line));
			if (strcmp(h->key, "representative") == 0)
				sbuf_adds(b, "　印");
			sbuf_addc(b, '\n');
			if (nl == NULL)
				break;
			line = nl + 1;
		}
	}
	sbuf_addc(b, '\n');
	rule(b, '=');
	for (i = 0; i < d.nrows; i++) {
		if (i > 0)
			rule(b, '-');
		row(b, d.rows[i].label, d.rows[i].content);
	}
	rule(b, '=');
	if (*d.users_chart != '\0') {
		sbuf_adds(b, "\n別添　影響利用者数の推移\n");
		sbuf_adds(b, d.users_chart);
	}
	report_doc_free(&d);
	return 0;
}
