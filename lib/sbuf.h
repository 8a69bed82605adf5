/* SPDX-License-Identifier: MIT */
/*
 * A growable byte buffer that is always NUL-terminated.
 */
#ifndef SOCHI_SBUF_H
#define SOCHI_SBUF_H

#include <stdarg.h>
#include <stddef.h>

struct sbuf {
	char	*data;		/* the bytes, NUL-terminated; NULL until the first append */
	size_t	 len;		/* bytes in use, without the NUL */
	size_t	 cap;		/* bytes allocated */
};

#define SBUF_INIT	{ NULL, 0, 0 }

int	sbuf_reserve(struct sbuf *, size_t);
int	sbuf_add(struct sbuf *, const void *, size_t);
int	sbuf_adds(struct sbuf *, const char *);
int	sbuf_addc(struct sbuf *, char);
int	sbuf_printf(struct sbuf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
int	sbuf_vprintf(struct sbuf *, const char *, va_list)
	    __attribute__((format(printf, 2, 0)));
/* A JSON string literal; bytes that are not UTF-8 become U+FFFD. */
int	sbuf_add_json_string(struct sbuf *, const char *, size_t);
/* {"a","b"}: a PostgreSQL text array literal of the strings (NULL: NULL). */
int	sbuf_pg_array(struct sbuf *, char *const *, int);
/* {NULL,"\\x504b…"}: a bytea array literal of the byte strings (lengths). */
int	sbuf_pg_bytea_array(struct sbuf *, unsigned char *const *,
	    const size_t *, int);
void	sbuf_truncate(struct sbuf *, size_t);
char	*sbuf_steal(struct sbuf *);
void	sbuf_free(struct sbuf *);

#endif
