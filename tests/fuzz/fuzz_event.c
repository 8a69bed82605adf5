/*
 * libFuzzer harness: one NDJSON request line through the decoder and the
 * validator (lib/event.c), as sochid's listener hands it over: the bytes of
 * the line and its length, no NUL after it.  Properties checked besides
 * memory safety: the answer sochid would send for a refusal is valid JSON
 * (a sender must be able to read why), and the row written for an accepted
 * event is valid JSON (the database takes it as jsonb).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "event.h"
#include "sbuf.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char *const phases[] = { "work", "detect", "identify",
    "recover", "notify", "followup", NULL };

/* Aborts unless text[0..n) is one JSON value; what names it. */
static void
must_parse(const char *text, size_t n, const char *what)
{
	json_error_t e;
	json_t *j = json_loadb(text, n, JSON_DECODE_ANY, &e);

	if (j == NULL) {
		fprintf(stderr, "%s is not valid JSON (%s): %.*s\n", what, e.text,
		    (int)n, text);
		abort();
	}
	json_decref(j);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct event_rules rules = { phases };
	struct sochi_event ev;
	struct sbuf b = SBUF_INIT;
	char err[512];

	err[0] = '\0';
	if (event_decode((const char *)data, size, &rules, &ev, err,
	    sizeof(err)) == 0) {
		struct event_row row;

		/* The row's data is what the writer sends as jsonb. */
		if (event_row_make(&ev, "fuzz", "1000", "~fuzz:1",
		    1763262000000000LL, &row, &b) == 0)
			must_parse(row.data, strlen(row.data), "the row's data");
	} else {
		/* The answer line, as daemon/listener.c writes it. */
		if (sbuf_adds(&b, "{\"ok\":false,\"error\":") == 0 &&
		    sbuf_add_json_string(&b, err, strlen(err)) == 0 &&
		    sbuf_adds(&b, ",\"line\":1}") == 0)
			must_parse(b.data, b.len, "the answer");
	}
	sbuf_free(&b);
	event_clear(&ev);
	return 0;
}
