/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer harness for the TZif parser (lib/zone.c): the input is a zone
 * file's contents.  A zone that parses is used as sochi uses it: offsets
 * at a few instants, local times and back.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "zone.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int64_t when[] = { -2208988800LL, 0, 1763272800LL,
	    4102444800LL };	/* 1900, 1970, 2026, 2100 */
	struct zone z;
	struct local_time lt;
	size_t i;

	if (zone_from_tzif(&z, data, size, "fuzz") == 0) {
		for (i = 0; i < sizeof(when) / sizeof(when[0]); i++) {
			(void)zone_offset(&z, when[i]);
			zone_local(&z, when[i] * 1000000, &lt);
			(void)zone_utc(&z, &lt);
		}
		/* sochi's instants are microseconds: ±292,000 years. */
		for (i = 0; i < z.n; i++) {
			if (z.trans[i] < -9000000000000LL ||
			    z.trans[i] > 9000000000000LL)
				continue;
			zone_local(&z, z.trans[i] * 1000000, &lt);
			(void)zone_utc(&z, &lt);
		}
	}
	zone_free(&z);
	return 0;
}
