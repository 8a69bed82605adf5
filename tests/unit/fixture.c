/* Wire-format fixtures for the unit tests. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"
#include "rfc3339.h"

char *
fixture_read_text(const char *name)
{
	const char *top = getenv("top_srcdir");
	char path[1024];
	struct sbuf b = SBUF_INIT;
	char chunk[4096];
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/tests/fixtures/%s", top ? top : ".",
	    name);
	if ((f = fopen(path, "rb")) == NULL)
		fail_msg("cannot read %s (set top_srcdir)", path);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		sbuf_add(&b, chunk, n);
	fclose(f);
	sbuf_add(&b, "", 0);
	return sbuf_steal(&b);
}

int64_t
fixture_at(const char *s)
{
	struct sochi_time t;

	assert_int_equal(rfc3339_parse(s, &t), 0);
	return t.usec;
}

static void
rebuild(struct fixture *fx)
{
	size_t i;

	free(fx->evs);
	fx->evs = calloc(json_array_size(fx->lines), sizeof(*fx->evs));
	fx->n = 0;
	for (i = 0; i < json_array_size(fx->lines); i++) {
		json_t *o = json_array_get(fx->lines, i);
		json_t *id = json_object_get(o, "_id");

		if (strcmp(json_string_value(json_object_get(o, "kind")),
		    "incident") == 0) {
			assert_int_equal(tl_incident_from_wire(o, &fx->inc), 0);
			continue;
		}
		if (tl_event_from_wire(o, json_integer_value(id),
		    &fx->evs[fx->n]) != 0)
			fail_msg("line %zu is not a valid event", i + 1);
		fx->n++;
	}
}

void
fixture_add(struct fixture *fx, const char *line)
{
	json_error_t err;
	json_t *o = json_loads(line, 0, &err);

	if (o == NULL)
		fail_msg("fixture line: %s: %s", line, err.text);
	json_object_set_new(o, "_id",
	    json_integer((json_int_t)json_array_size(fx->lines) + 1));
	json_array_append_new(fx->lines, o);
	rebuild(fx);
}

void
fixture_drop(struct fixture *fx, int64_t id)
{
	size_t i;

	for (i = 0; i < json_array_size(fx->lines); i++)
		if (json_integer_value(json_object_get(json_array_get(fx->lines,
		    i), "_id")) == id) {
			json_array_remove(fx->lines, i);
			break;
		}
	rebuild(fx);
}

void
fixture_load(struct fixture *fx, const char *name)
{
	char *text = fixture_read_text(name), *line, *save = NULL;

	memset(fx, 0, sizeof(*fx));
	fx->lines = json_array();
	for (line = strtok_r(text, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save))
		if (*line != '\0')
			fixture_add(fx, line);
	free(text);
	zone_fixed(&fx->zone, 9 * 3600, "Asia/Tokyo");
	config_init(&fx->conf);
	fx->cf.zone = &fx->zone;
	fx->cf.phases = &fx->conf.phases;
	fx->cf.alert_actor = "監視業務部門";
}

void
fixture_free(struct fixture *fx)
{
	free(fx->evs);
	json_decref(fx->lines);
	config_free(&fx->conf);
	zone_free(&fx->zone);
	memset(fx, 0, sizeof(*fx));
}
