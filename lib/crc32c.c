/* SPDX-License-Identifier: MIT */
/*
 * CRC-32C, reflected polynomial 0x82F63B78, a byte at a time from a table
 * made on first use: a journal record is checked once when written and
 * once when read, so this is far from any hot path.
 */
#include "crc32c.h"

static uint32_t	table[256];
static int	ready;

static void
make_table(void)
{
	uint32_t c;
	int i, k;

	for (i = 0; i < 256; i++) {
		c = (uint32_t)i;
		for (k = 0; k < 8; k++)
			c = c & 1 ? (c >> 1) ^ 0x82F63B78U : c >> 1;
		table[i] = c;
	}
	ready = 1;
}

uint32_t
crc32c(uint32_t crc, const void *buf, size_t n)
{
	const unsigned char *p = buf;

	if (!ready)
		make_table();
	crc = ~crc;
	while (n-- > 0)
		crc = table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return ~crc;
}
