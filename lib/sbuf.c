/* SPDX-License-Identifier: MIT */
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
 * Length of the UTF-8 character at s[0..n), or 0 when those bytes do not
 * begin one (a stray continuation byte, a cut or overlong sequence, a
 * surrogate, a code point past U+10FFFF).
 */
static size_t
utf8_len(const unsigned char *s, size_t n)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t len, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		if (s[0] == 0xe0)
			lo = 0xa0;
		else if (s[0] == 0xed)
			hi = 0x9f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		if (s[0] == 0xf0)
			lo = 0x90;
		else if (s[0] == 0xf4)
			hi = 0x8f;
	} else
		return 0;
	if (len > n || s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < len; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return len;
}

/*
 * Appends s as a JSON string literal, escaping what JSON requires.  Most
 * text is valid UTF-8 already (it came out of jansson or out of our own
 * code), but not all: jansson's own error messages quote the bytes near a
 * syntax error, cut anywhere.  Each byte that does not begin a valid
 * character becomes U+FFFD, so that what is written is always valid JSON
 * (the fuzz_event harness found an answer line a sender could not parse).
 */
int
sbuf_add_json_string(struct sbuf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, run = 0, clen;

	if (sbuf_addc(b, '"') == -1)
		return -1;
	while (i < n) {
		unsigned char c = u[i];
		char esc[7];
		size_t elen = 2;

		if (c >= 0x80) {
			if ((clen = utf8_len(u + i, n - i)) > 0) {
				i += clen;
				continue;
			}
			if (sbuf_add(b, s + run, i - run) == -1 ||
			    sbuf_add(b, "\xef\xbf\xbd", 3) == -1)
				return -1;
			run = ++i;
			continue;
		}
		if (c >= 0x20 && c != '"' && c != '\\') {
			i++;
			continue;
		}
		if (sbuf_add(b, s + run, i - run) == -1)
			return -1;
		run = ++i;
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
		if (items[i] == NULL) {
			rv |= sbuf_adds(b, i ? ",NULL" : "NULL");
			continue;
		}
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

int
sbuf_pg_bytea_array(struct sbuf *b, unsigned char *const *items,
    const size_t *lens, int n)
{
	static const char hex[] = "0123456789abcdef";
	size_t k;
	int i, rv = sbuf_addc(b, '{');

	for (i = 0; i < n; i++) {
		if (i > 0)
			rv |= sbuf_addc(b, ',');
		if (items[i] == NULL) {
			rv |= sbuf_adds(b, "NULL");
			continue;
		}
		/* "\\x…": the element's text is \x…, bytea's hex form. */
		rv |= sbuf_reserve(b, lens[i] * 2 + 8);
		rv |= sbuf_adds(b, "\"\\\\x");
		for (k = 0; k < lens[i]; k++) {
			rv |= sbuf_addc(b, hex[items[i][k] >> 4]);
			rv |= sbuf_addc(b, hex[items[i][k] & 15]);
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
