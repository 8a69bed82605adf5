/*
 * Growable buffers.  Every append keeps the data NUL-terminated so that the
 * contents can be handed to C string functions and to libpq as they are.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sbuf.h"

int
sbuf_reserve(struct sbuf *b, size_t more)
{
	size_t need, cap;
	char *p;

	if (more > (size_t)-1 / 2 - b->len)
		return -1;
	need = b->len + more + 1;
	if (need <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 256;
	while (cap < need)
		cap *= 2;
	if ((p = realloc(b->data, cap)) == NULL)
		return -1;
	b->data = p;
	b->cap = cap;
	return 0;
}

int
sbuf_add(struct sbuf *b, const void *p, size_t n)
{
	if (sbuf_reserve(b, n) == -1)
		return -1;
	if (n > 0)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

int
sbuf_adds(struct sbuf *b, const char *s)
{
	return sbuf_add(b, s, strlen(s));
}

int
sbuf_addc(struct sbuf *b, char c)
{
	return sbuf_add(b, &c, 1);
}

int
sbuf_vprintf(struct sbuf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	int n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0 || sbuf_reserve(b, (size_t)n) == -1)
		return -1;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return 0;
}

int
sbuf_printf(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int rv;

	va_start(ap, fmt);
	rv = sbuf_vprintf(b, fmt, ap);
	va_end(ap);
	return rv;
}

/*
 * Appends s as a JSON string literal.  The input is already valid UTF-8 (it
 * came out of jansson or out of our own code); only the characters JSON
 * requires to be escaped are escaped.
 */
int
sbuf_add_json_string(struct sbuf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, run = 0;

	if (sbuf_addc(b, '"') == -1)
		return -1;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		char esc[7];
		size_t elen = 2;

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		if (sbuf_add(b, s + run, i - run) == -1)
			return -1;
		run = i + 1;
		esc[0] = '\\';
		switch (c) {
		case '"': esc[1] = '"'; break;
		case '\\': esc[1] = '\\'; break;
		case '\n': esc[1] = 'n'; break;
		case '\r': esc[1] = 'r'; break;
		case '\t': esc[1] = 't'; break;
		default:
			memcpy(esc + 1, "u00", 3);
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			elen = 6;
		}
		if (sbuf_add(b, esc, elen) == -1)
			return -1;
	}
	if (sbuf_add(b, s + run, n - run) == -1)
		return -1;
	return sbuf_addc(b, '"');
}

int
sbuf_pg_array(struct sbuf *b, char *const *items, int n)
{
	const char *p;
	int i, rv = sbuf_addc(b, '{');

	for (i = 0; i < n; i++) {
		rv |= sbuf_adds(b, i ? ",\"" : "\"");
		for (p = items[i]; *p; p++) {
			if (*p == '"' || *p == '\\')
				rv |= sbuf_addc(b, '\\');
			rv |= sbuf_addc(b, *p);
		}
		rv |= sbuf_addc(b, '"');
	}
	rv |= sbuf_addc(b, '}');
	return rv ? -1 : 0;
}

void
sbuf_truncate(struct sbuf *b, size_t len)
{
	if (len < b->len) {
		b->len = len;
		b->data[len] = '\0';
	}
}

char *
sbuf_steal(struct sbuf *b)
{
	char *p = b->data;

	if (p == NULL)
		p = strdup("");
	b->data = NULL;
	b->len = b->cap = 0;
	return p;
}

void
sbuf_free(struct sbuf *b)
{
	if (b == NULL)
		return;
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}
