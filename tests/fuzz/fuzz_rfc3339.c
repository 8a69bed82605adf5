/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer harness for the RFC 3339 parser (lib/rfc3339.c): the input is
 * parsed from its bytes (rfc3339_parse_n, no NUL after them) and, as a
 * string, by rfc3339_parse; whatever is accepted must survive
 * parse -> format -> parse with the same instant and offset, and format
 * again to the same text (sochid writes what it read for PostgreSQL).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rfc3339.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sochi_time t, t2, t3;
	char buf[RFC3339_MAX], buf2[RFC3339_MAX], *s;
	int rv;

	rv = rfc3339_parse_n((const char *)data, size, &t);
	if ((s = malloc(size + 1)) == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	/* The same text as a string: the same answer, unless it holds a NUL. */
	if (strlen(s) == size && rfc3339_parse(s, &t2) != rv) {
		fprintf(stderr, "rfc3339_parse and _parse_n disagree on %s\n", s);
		abort();
	}
	if (rv == 0) {
		size_t n = rfc3339_format(&t, buf, sizeof(buf));

		if (n == 0 || n >= sizeof(buf) || rfc3339_parse(buf, &t2) != 0 ||
		    t2.usec != t.usec || t2.offset_min != t.offset_min ||
		    rfc3339_format(&t2, buf2, sizeof(buf2)) != n ||
		    strcmp(buf, buf2) != 0 || rfc3339_parse_n(buf, n, &t3) != 0 ||
		    t3.usec != t.usec) {
			fprintf(stderr, "round trip: \"%s\" -> %lld%+d -> \"%s\"\n",
			    s, (long long)t.usec, t.offset_min, buf);
			abort();
		}
	}
	free(s);
	return 0;
}
