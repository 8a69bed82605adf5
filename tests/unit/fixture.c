/* SPDX-License-Identifier: MIT */
/* Wire-format fixtures for the unit tests. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <dirent.h>

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
		/* Recorded in file order, as sochid would have. */
		fx->evs[fx->n].recorded = json_integer_value(json_object_get(o,
		    "_recorded"));
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
	if (json_object_get(o, "_recorded") == NULL)
		json_object_set_new(o, "_recorded",
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

static unsigned
next_rand(unsigned *seed)
{
	*seed = *seed * 1103515245 + 12345;
	return *seed >> 8;
}

static void
shuffle(int64_t *v, size_t n, unsigned *seed)
{
	size_t i, j;
	int64_t t;

	for (i = n; i > 1; i--) {
		j = next_rand(seed) % i;
		t = v[i - 1];
		v[i - 1] = v[j];
		v[j] = t;
	}
}

void
fixture_permute(struct fixture *dst, const struct fixture *src, unsigned *seed,
    int shuffle_recorded)
{
	size_t n = json_array_size(src->lines), i;
	int64_t *ids = calloc(n + 1, sizeof(*ids)), *rec = calloc(n + 1,
	    sizeof(*rec)), *order = calloc(n + 1, sizeof(*order));
	static const char *const refs[] = { "supersedes", "target", NULL };
	const char *const *r;

	memset(dst, 0, sizeof(*dst));
	dst->lines = json_array();
	dst->nlines = n;
	dst->id_of_line = calloc(n + 2, sizeof(*dst->id_of_line));
	/* New ids: distinct, unrelated to the lines' order. */
	for (i = 0; i < n; i++) {
		ids[i] = 1000 + 7 * (int64_t)i;
		rec[i] = (int64_t)i + 1;
		order[i] = (int64_t)i;
	}
	shuffle(ids, n, seed);
	if (shuffle_recorded)
		shuffle(rec, n, seed);
	shuffle(order, n, seed);
	for (i = 0; i < n; i++)
		dst->id_of_line[json_integer_value(json_object_get(
		    json_array_get(src->lines, i), "_id"))] = ids[i];
	for (i = 0; i < n; i++) {
		json_t *o = json_deep_copy(json_array_get(src->lines,
		    (size_t)order[i]));
		int64_t line = json_integer_value(json_object_get(o, "_id"));

		json_object_set_new(o, "_id", json_integer(dst->id_of_line[line]));
		if (shuffle_recorded)
			json_object_set_new(o, "_recorded",
			    json_integer(rec[order[i]]));
		for (r = refs; *r != NULL; r++)
			if (json_is_integer(json_object_get(o, *r)))
				json_object_set_new(o, *r, json_integer(
				    dst->id_of_line[json_integer_value(
				    json_object_get(o, *r))]));
		json_array_append_new(dst->lines, o);
	}
	free(ids);
	free(rec);
	free(order);
	rebuild(dst);
	zone_fixed(&dst->zone, 9 * 3600, "Asia/Tokyo");
	config_init(&dst->conf);
	dst->cf.zone = &dst->zone;
	dst->cf.phases = &dst->conf.phases;
	dst->cf.alert_actor = "監視業務部門";
}

int64_t
fixture_line(const struct fixture *fx, int64_t id)
{
	size_t i;

	if (id == 0 || fx->id_of_line == NULL)
		return id;
	for (i = 1; i <= fx->nlines; i++)
		if (fx->id_of_line[i] == id)
			return (int64_t)i;
	return -id;
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char **
fixture_cases(size_t *n)
{
	const char *top = getenv("top_srcdir");
	char path[1024], **v = NULL;
	struct dirent *de;
	DIR *d;
	size_t len;

	*n = 0;
	snprintf(path, sizeof(path), "%s/tests/fixtures/cases", top ? top : ".");
	if ((d = opendir(path)) == NULL)
		fail_msg("cannot read %s (set top_srcdir)", path);
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (len < 7 || strcmp(de->d_name + len - 7, ".ndjson") != 0)
			continue;
		v = realloc(v, (*n + 1) * sizeof(*v));
		v[(*n)++] = strndup(de->d_name, len - 7);
	}
	closedir(d);
	qsort(v, *n, sizeof(*v), by_name);
	return v;
}

void
fixture_free(struct fixture *fx)
{
	free(fx->id_of_line);
	free(fx->evs);
	json_decref(fx->lines);
	config_free(&fx->conf);
	zone_free(&fx->zone);
	memset(fx, 0, sizeof(*fx));
}
