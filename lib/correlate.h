/* SPDX-License-Identifier: MIT */
/*
 * Correlation rules ([rule.NAME] in sochid.conf): the first rule whose every
 * condition holds on an alert's labels decides what the alert does.
 *   match = alertname=StorageDown, severity=~critical|major
 * `label=value` is equality, `label=~regex` a POSIX extended regular
 * expression that must match the whole value.
 */
#ifndef SOCHI_CORRELATE_H
#define SOCHI_CORRELATE_H

#include <stddef.h>

#include <jansson.h>

#include "config.h"

struct correlator;

/* Compiles the rules; on error names the rule and the condition. */
struct correlator *correlate_new(const struct sochi_config *, char *, size_t);
const struct config_rule *correlate_match(const struct correlator *,
	    const json_t *);
void	correlate_free(struct correlator *);
/* Checks one match string; used when the config is read. */
int	correlate_check(const char *, char *, size_t);

#endif
