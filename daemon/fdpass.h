/* SPDX-License-Identifier: MIT */
/*
 * A connection passed from one process to another over a Unix socket of
 * type SOCK_SEQPACKET: its socket as SCM_RIGHTS and the bytes already read
 * from it, one message per connection.  The ingest process hands the web
 * view's requests to the web worker so (http_api.c, web.c).
 */
#ifndef SOCHID_FDPASS_H
#define SOCHID_FDPASS_H

#include <stddef.h>

/* The most bytes one message carries. */
#define FDPASS_MAX	(64 * 1024)

/*
 * Sends fd and the bytes; never waits.  0, or -1 with errno (EAGAIN: the
 * other side is not keeping up; EPIPE, ECONNREFUSED: it is gone; EMSGSIZE:
 * more than FDPASS_MAX).
 */
int	fdpass_send(int, int, const void *, size_t);
/*
 * Receives one message into buf (cap at least FDPASS_MAX): 1 with *fd (to
 * close) and *len; 0 when none waits; -1 at the end (the other side
 * closed) or on an error.  A message that arrived cut (too long, without
 * exactly one descriptor) is dropped, its descriptors closed, and 0 said.
 */
int	fdpass_recv(int, int *, void *, size_t, size_t *);

#endif
