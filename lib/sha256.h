/* SPDX-License-Identifier: MIT */
/*
 * SHA-256 (FIPS 180-4), for keys that must not collide by accident or by
 * design: a syslog line's idempotency key is the hash of its host, time
 * and message, chosen by whoever can send to the listener.  The web
 * view's session cookie is an HMAC keyed with a token.
 */
#ifndef SOCHI_SHA256_H
#define SOCHI_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct sha256 {
	uint32_t	 h[8];		/* the state */
	uint64_t	 len;		/* bytes hashed so far */
	unsigned char	 buf[64];	/* a block being filled */
	size_t		 nbuf;		/* bytes in it */
};

void	sha256_init(struct sha256 *);
void	sha256_add(struct sha256 *, const void *, size_t);
void	sha256_end(struct sha256 *, unsigned char[32]);
/* The digest as 64 lower-case hex digits and a NUL. */
void	sha256_hex(struct sha256 *, char[65]);
/* HMAC-SHA256 (RFC 2104) of a message under a key, as hex and a NUL. */
void	sha256_hmac_hex(const void *, size_t, const void *, size_t, char[65]);

#endif
