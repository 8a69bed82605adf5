/* SPDX-License-Identifier: MIT */
/*
 * Sockets passed by systemd's socket activation (sochid.socket), taken
 * the way sd_listen_fds(3) does it but without libsystemd: $LISTEN_PID
 * names this process, $LISTEN_FDS counts the descriptors from 3 on.
 *
 * Each listener asks for the socket bound to its configured address (a
 * Unix path, or a host and port) before it binds one itself, so a unit's
 * ListenStream= lines and sochid.conf are matched by address, not by
 * order or by name.
 */
#ifndef SOCHID_SDLISTEN_H
#define SOCHID_SDLISTEN_H

#include <sys/socket.h>

#include <stddef.h>

/*
 * Takes the passed descriptors (close-on-exec from now on) and clears the
 * variables, so that neither the drafter nor a notify_command inherits
 * them.  Returns how many, 0 when not socket-activated, -1 with err set
 * when the variables are malformed.
 */
int	sdlisten_init(char *, size_t);
/* The passed listening socket bound to path, taken out of the pool; or -1. */
int	sdlisten_take_unix(const char *);
/* The passed socket of that type bound to that address; or -1. */
int	sdlisten_take(const struct sockaddr *, socklen_t, int);
/*
 * Describes in buf a passed socket no listener took ("tcp 127.0.0.1:7421")
 * and returns 1, or returns 0 when all were taken.
 */
int	sdlisten_leftover(char *, size_t);
/* Closes whatever was not taken. */
void	sdlisten_free(void);

#endif
