/* SPDX-License-Identifier: MIT */
/*
 * The draft as plain UTF-8 text: the letter's head, then the form's rows as
 * two columns, the label wrapped within its column and the content beside
 * it, aligned by display width (a full-width character is two columns).
 *
 * Every line stays within the frame (PAGE columns, the width of its rules).
 * A content line too long for its column is wrapped with a hanging indent:
 * its continuation lines start under the text after a leading time, number
 * or bullet (12:03, 11/16 12:00, ①, 1., ・, ※, ○, 第N報), else two columns
 * in.  Lines break between characters (Japanese has no spaces to break at)
 * but never inside a figure or an ASCII word, never before closing
 * punctuation (、。）」…) and never after an opening bracket.
 */
#include <stdlib.h>
#include <string.h>

#include "report.h"

#define PAGE		76	/* columns of a line */
#define LABEL		28	/* columns of the label column: 14 full-width */
#define GAP		2	/* between label and content */
#define HEAD		28	/* the letter's head starts here */

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

static int
at(const char *s, const char *w)
{
	return strncmp(s, w, strlen(w)) == 0;
}

static size_t
char_len(const char *s)
{
	size_t n = 1;

	while ((s[n] & 0xc0) == 0x80)
		n++;
	return n;
}

static size_t
width(const char *s, size_t n)
{
	return text_width(s, n);
}

static int
digit(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	return (*p >= '0' && *p <= '9') || (p[0] == 0xef && p[1] == 0xbc &&
	    p[2] >= 0x90 && p[2] <= 0x99);
}

/*
 * The unit starting at s that a line never breaks inside: a figure (digits
 * with their separators and units, and what leads them: 令和8年11月16日
 * （月曜日）12時00分, 継続時間：2時間15分間, 58,990人, 第12報), an ASCII word,
 * else one character.
 */
static size_t
atom(const char *s)
{
	static const char *const units[] = { "年", "月", "日", "時", "分", "秒",
	    "間", "人", "件", "報", "万", "回", NULL };
	static const char *const lead[] = { "継続時間：", "令和", "平成", "昭和",
	    "大正", "明治", "第", "約", NULL };
	const char *p = s, *const *u;

	/* 令和8年…, 継続時間：2時間15分間, 第12報, 約300件: one unit. */
	for (u = lead; *u != NULL; u++)
		if (at(p, *u) && digit(p + strlen(*u))) {
			p += strlen(*u);
			break;
		}
	if (digit(p)) {
		for (;;) {
			if (digit(p))
				p += char_len(p);
			else if (at(p, "（") && at(p + 6, "曜日）"))
				p += 6 + strlen("曜日）");	/* （月曜日） */
			else if ((*p == ',' || *p == '.' || *p == ':' ||
			    *p == '/') && digit(p + 1))
				p++;
			else {
				for (u = units; *u != NULL; u++)
					if (at(p, *u))
						break;
				if (*u == NULL)
					break;
				p += strlen(*u);
			}
		}
		return (size_t)(p - s);
	}
	if ((unsigned char)*p > ' ' && (unsigned char)*p < 0x80) {
		while ((unsigned char)*p > ' ' && (unsigned char)*p < 0x80)
			p++;
		return (size_t)(p - s);
	}
	return char_len(s);
}

/* Punctuation that never starts a line, and brackets that never end one. */
static int
no_start(const char *s)
{
	static const char *const p[] = { "、", "。", "，", "．", "）", "」", "』",
	    "】", "〕", "〉", "》", "？", "！", "：", "；", "ー", "…", "‥", ")",
	    ",", ".", ":", ";", "!", "?", NULL };
	const char *const *q;

	for (q = p; *q != NULL; q++)
		if (at(s, *q))
			return 1;
	return 0;
}

static int
no_end(const char *s)
{
	static const char *const p[] = { "（", "「", "『", "【", "〔", "〈", "《",
	    "(", NULL };
	const char *const *q;

	for (q = p; *q != NULL; q++)
		if (at(s, *q))
			return 1;
	return 0;
}

/*
 * The hanging indent of a line: the width of what it begins with, a time
 * (12:03 , 11/16 12:00 ), a number (①, 1. , 第10報 ) or a bullet (・※○),
 * else 2.  At most half the width, so that some text always fits.
 */
static size_t
hang(const char *s, size_t cols)
{
	const char *p = s;
	size_t h = 2, n;

	if (digit(p)) {
		/* 12:03 text, 11/16 12:00 text, 1. text */
		n = atom(p);
		p += n;
		if (*p == ' ' && digit(p + 1) && s[n - 1] != '.')
			p += 1 + atom(p + 1);
		if (*p == '.')
			p++;
		if (*p == ' ')
			h = width(s, (size_t)(p + 1 - s));
	} else if (at(p, "第") && digit(p + strlen("第"))) {
		p += strlen("第");
		p += atom(p);
		if (*p == ' ')
			h = width(s, (size_t)(p + 1 - s));
	} else if (at(p, "・") || at(p, "※") || at(p, "○") || at(p, "●")) {
		h = width(p, char_len(p));
	} else {
		unsigned char c0 = (unsigned char)p[0], c1 = (unsigned char)p[1];
		unsigned char c2 = (unsigned char)p[2];

		/* ①..⑳ (E2 91 A0..B3) and ㉑..㊿ (E3 89/8A) */
		if ((c0 == 0xe2 && c1 == 0x91 && c2 >= 0xa0 && c2 <= 0xb3) ||
		    (c0 == 0xe3 && (c1 == 0x89 || c1 == 0x8a))) {
			p += 3;
			h = width(s, (size_t)(p - s)) + (*p == ' ');
		}
	}
	return h <= cols / 2 ? h : 2;
}

/*
 * Appends line (len bytes) wrapped to cols columns as separate lines
 * (without newlines) to the list.
 */
/*
 * A cell's wrapped lines, one after another in one buffer, each ended by
 * a NUL: a row of 100,000 lines (経過) made as many allocations when each
 * line was its own string.
 */
struct lines {
	struct sbuf	 text;		/* the lines, NUL after each */
	size_t		*off;		/* where each begins in text */
	size_t		 n;		/* how many */
	size_t		 cap;		/* room in off */
};

#define LINES_INIT	{ SBUF_INIT, NULL, 0, 0 }

static void
lines_add(struct lines *ls, const char *s, size_t len)
{
	size_t cap, *p;

	if (ls->n == ls->cap) {
		cap = ls->cap != 0 ? ls->cap * 2 : 16;
		if ((p = realloc(ls->off, cap * sizeof(*p))) == NULL)
			return;
		ls->off = p;
		ls->cap = cap;
	}
	ls->off[ls->n] = ls->text.len;
	if (sbuf_add(&ls->text, s, len) == -1 ||
	    sbuf_add(&ls->text, "", 1) == -1) {
		sbuf_truncate(&ls->text, ls->off[ls->n]);
		return;
	}
	ls->n++;
}

static const char *
lines_at(const struct lines *ls, size_t i)
{
	return ls->text.data + ls->off[i];
}

static void
lines_free(struct lines *ls)
{
	sbuf_free(&ls->text);
	free(ls->off);
	ls->off = NULL;
	ls->n = 0;
	ls->cap = 0;
}

static void
wrap(struct lines *ls, const char *s, size_t len, size_t cols)
{
	const char *end = s + len, *p, *brk, *prev, *pprev;
	size_t h = 0, w, avail, aw;
	struct sbuf b = SBUF_INIT;
	int first = 1;

	if (width(s, len) <= cols) {
		lines_add(ls, s, len);
		return;
	}
	h = hang(s, cols);
	while (s < end) {
		avail = first ? cols : cols - h;
		/* The longest run of atoms that fits. */
		w = 0;
		p = s;
		prev = pprev = NULL;
		while (p < end) {
			size_t n = atom(p);

			if (p + n > end)
				n = (size_t)(end - p);
			aw = width(p, n);
			if (w + aw > avail)
				break;
			pprev = prev;
			prev = p;
			w += aw;
			p += n;
		}
		brk = p;
		if (brk < end && brk > s) {
			/* Kinsoku: pull back a character that cannot start. */
			if (no_start(brk) && prev != NULL && prev > s)
				brk = prev, prev = pprev;
			if (prev != NULL && prev > s && no_end(prev))
				brk = prev;
		}
		if (brk == s) {
			/* One atom wider than the line: cut it by characters. */
			for (w = 0, brk = s; brk < end; brk += char_len(brk)) {
				aw = width(brk, char_len(brk));
				if (w + aw > avail && brk > s)
					break;
				w += aw;
			}
		}
		sbuf_truncate(&b, 0);
		if (!first)
			spaces(&b, h);
		/* A space at the break is dropped. */
		p = brk;
		while (p > s && p[-1] == ' ')
			p--;
		sbuf_add(&b, s, (size_t)(p - s));
		lines_add(ls, b.data ? b.data : "", b.len);
		s = brk;
		while (s < end && *s == ' ')
			s++;
		first = 0;
	}
	sbuf_free(&b);
}

/* The next piece of s, at most `cols` wide; returns its length in bytes. */
static size_t
cut(const char *s, size_t cols)
{
	size_t i = 0, w = 0;

	while (s[i] != '\0') {
		size_t len = char_len(s + i), cw;

		cw = width(s + i, len);
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
	struct lines ls = LINES_INIT;
	const char *l = label, *c = content, *nl;
	size_t i, ln, cn;

	/* The content's lines, each wrapped to the content column. */
	while (*c != '\0') {
		nl = strchr(c, '\n');
		cn = nl != NULL ? (size_t)(nl - c) : strlen(c);
		wrap(&ls, c, cn, PAGE - LABEL - GAP);
		c += cn;
		if (*c == '\n')
			c++;
	}
	for (i = 0; i < ls.n || *l != '\0'; i++) {
		ln = cut(l, LABEL);
		sbuf_add(b, l, ln);
		if (i < ls.n && *lines_at(&ls, i) != '\0') {
			spaces(b, LABEL + GAP - width(l, ln));
			sbuf_adds(b, lines_at(&ls, i));
		}
		sbuf_addc(b, '\n');
		l += ln;
	}
	lines_free(&ls);
}

static void
centered(struct sbuf *b, const char *s, int right)
{
	size_t w = width(s, strlen(s));

	if (w < PAGE)
		spaces(b, right ? PAGE - w : (PAGE - w) / 2);
	sbuf_printf(b, "%s\n", s);
}

/* A line of the head: at indent, wrapped under what follows its label. */
static void
head_line(struct sbuf *b, size_t indent, const char *label, const char *text,
    size_t len)
{
	struct lines ls = LINES_INIT;
	struct sbuf line = SBUF_INIT;
	size_t lw = width(label, strlen(label)), i;
	const char *l;

	sbuf_adds(&line, label);
	sbuf_add(&line, text, len);
	if (width(line.data, line.len) + indent <= PAGE) {
		spaces(b, indent);
		sbuf_printf(b, "%s\n", line.data);
	} else {
		wrap(&ls, text, len, PAGE - indent - lw);
		for (i = 0; i < ls.n; i++) {
			spaces(b, indent + (i > 0 ? lw : 0));
			if (i == 0)
				sbuf_adds(b, label);
			/* wrap's own indent is not wanted under a label */
			l = lines_at(&ls, i);
			sbuf_printf(b, "%s\n", i > 0 ? l + strspn(l, " ") : l);
		}
	}
	lines_free(&ls);
	sbuf_free(&line);
}

int
report_text(const struct report *r, struct sbuf *b)
{
	struct report_doc d;
	struct sbuf lab = SBUF_INIT;
	size_t i;

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

		if (strcmp(h->key, "registration_date") == 0)
			head_line(b, HEAD, "", "登録年月日又は届出年月日及び届出番号",
			    strlen("登録年月日又は届出年月日及び届出番号"));
		for (;;) {
			size_t n;

			nl = strchr(line, '\n');
			n = nl ? (size_t)(nl - line) : strlen(line);
			sbuf_truncate(&lab, 0);
			if (line == h->content && *h->label != '\0')
				sbuf_printf(&lab, "%s ", h->label);
			else if (line == h->content)
				sbuf_adds(&lab, "  ");
			if (strcmp(h->key, "representative") == 0) {
				/* 印 follows the name, as on the form. */
				struct sbuf t = SBUF_INIT;

				sbuf_add(&t, line, n);
				sbuf_adds(&t, "　印");
				head_line(b, HEAD, lab.data ? lab.data : "", t.data,
				    t.len);
				sbuf_free(&t);
			} else
				head_line(b, HEAD + (line != h->content ? 4 : 0),
				    lab.data ? lab.data : "", line, n);
			if (nl == NULL)
				break;
			line = nl + 1;
		}
	}
	sbuf_free(&lab);
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
