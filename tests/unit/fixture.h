/* SPDX-License-Identifier: MIT */
/* Loading wire-format incidents from tests/fixtures for the unit tests. */
#ifndef SOCHI_TEST_FIXTURE_H
#define SOCHI_TEST_FIXTURE_H

#include <stddef.h>

#include <jansson.h>

#include "timeline.h"
#include "zone.h"

struct fixture {
	json_t		*lines;		/* the objects, in file order */
	struct tl_event	*evs;		/* one per line but the incident open */
	size_t		 n;
	struct tl_incident inc;		/* from the first line */
	struct zone	 zone;		/* Asia/Tokyo as a fixed +09:00 */
	struct tl_config cf;		/* default phases */
	struct sochi_config conf;	/* where the phases come from */
	int64_t		*line_of_id;	/* permuted: the line of each new id, */
	int64_t		*id_of_line;	/*   and back (index: the line) */
	size_t		 nlines;
};

/* Reads a file under tests/fixtures; event ids are line numbers. */
void	fixture_load(struct fixture *, const char *);
/* Appends a wire-format line (JSON text) as the next event. */
void	fixture_add(struct fixture *, const char *);
/* Drops the event with this id. */
void	fixture_drop(struct fixture *, int64_t);
void	fixture_free(struct fixture *);
/*
 * The same events with new ids (distinct, in a random order, supersedes and
 * target following them), given in a random order; recorded times are
 * shuffled too when shuffle_recorded.  fixture_line maps an id back.
 */
void	fixture_permute(struct fixture *, const struct fixture *, unsigned *,
	    int);
int64_t	fixture_line(const struct fixture *, int64_t);
/* Every case under tests/fixtures/cases (NAME.ndjson), sorted; free each. */
char	**fixture_cases(size_t *);
char	*fixture_read_text(const char *);
int64_t	fixture_at(const char *);

#endif
