/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer harness: one NDJSON request line through the decoder and the
 * validator (lib/event.c), as sochid's listener hands it over: the bytes of
 * the line and its length, no NUL after it.  Properties checked besides
 * memory safety: the answer sochid would send for a refusal is valid JSON
 * (a sender must be able to read why); the row made for an accepted event
 * has its kind's own fields as valid JSON (the database takes them as
 * jsonb), and packs into a journal record that reads back the same.
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
		struct event_row row, back;
		struct sbuf data = SBUF_INIT;
		int i;

		if (event_row_make(&ev, "fuzz", "1000", "~fuzz:1",
		    1763262000000000LL, &row, &data) == 0) {
			must_parse(row.data, strlen(row.data), "the row's data");
			if (event_row_pack(&row, &b) == 0) {
				if (event_row_unpack(b.data, b.len, &back) !=
				    b.len || back.kind != row.kind ||
				    back.at != row.at || back.sup != row.sup ||
				    back.own_key != row.own_key ||
				    back.at_given != row.at_given)
					abort();
				for (i = 0; i < ROW__COUNT; i++) {
					const char *x = event_row_text(&row,
					    (enum event_row_text)i), *y =
					    event_row_text(&back,
					    (enum event_row_text)i);

					if ((x == NULL) != (y == NULL) ||
					    (x != NULL && strcmp(x, y) != 0))
						abort();
				}
			}
		}
		sbuf_free(&data);
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
