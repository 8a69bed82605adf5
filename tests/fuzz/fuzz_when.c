/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer harness for the times people type (lib/when.c): the input is
 * the text of sochi's --at (when_parse) and a pasted line (when_prefix),
 * in a heap block of its exact size with its NUL, so that a read past the
 * end is caught.  Properties checked besides memory safety: nothing
 * accepted lies more than a minute after now, and a prefix is never
 * longer than the line.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "when.h"
#include "zone.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int64_t now = 1763272800000000LL;	/* 2026-11-16T15:00+09:00 */
	struct zone jst;
	char *s, err[512];
	int64_t t;
	int n;

	if ((s = malloc(size + 1)) == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	zone_fixed(&jst, 9 * 3600, "Asia/Tokyo");
	if (when_parse(s, &jst, now, &t, err, sizeof(err)) == 0 &&
	    t > now + 60 * 1000000LL) {
		fprintf(stderr, "when_parse accepted a time after now: %s\n", s);
		abort();
	}
	n = when_prefix(s, &jst, now, &t, err, sizeof(err));
	if (n > 0 && ((size_t)n > strlen(s) || t > now + 60 * 1000000LL)) {
		fprintf(stderr, "when_prefix read %d bytes of \"%s\"\n", n, s);
		abort();
	}
	free(s);
	return 0;
}
