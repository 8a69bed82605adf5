/* SPDX-License-Identifier: MIT */
/*
 * CRC-32C (Castagnoli), as iSCSI and ext4 use it: the checksum of each
 * journal record.
 */
#ifndef SOCHI_CRC32C_H
#define SOCHI_CRC32C_H

#include <stddef.h>
#include <stdint.h>

/* Continues crc over n bytes; start with 0. */
uint32_t	crc32c(uint32_t, const void *, size_t);

#endif
