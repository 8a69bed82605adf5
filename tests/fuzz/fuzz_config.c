/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer harness for sochid.conf (lib/config.c over libinih, and the
 * match rules of lib/correlate.c): the input is the file's text.
 * Properties checked besides memory safety: a file that config_parse
 * accepts can be printed (sochid --print-config) and its rules compile
 * (correlate_new), since sochid checks them once, when the file is read.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "correlate.h"
#include "sbuf.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sochi_config cf;
	struct correlator *co;
	struct sbuf b = SBUF_INIT;
	char *text, err[1024];

	if ((text = malloc(size + 1)) == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	config_init(&cf);
	if (config_parse(&cf, text, "fuzz.conf", NULL, err, sizeof(err)) == 0) {
		if (config_print(&cf, &b) == -1) {
			fprintf(stderr, "config_print failed\n");
			abort();
		}
		if ((co = correlate_new(&cf, err, sizeof(err))) == NULL) {
			fprintf(stderr, "accepted rules that do not compile: %s\n",
			    err);
			abort();
		}
		correlate_free(co);
	}
	sbuf_free(&b);
	config_free(&cf);
	free(text);
	return 0;
}
