/* SPDX-License-Identifier: MIT */
/*
 * The systemd notification protocol (READY=1, RELOADING=1, STOPPING=1),
 * spoken directly so that sochid needs no libsystemd.
 */
#ifndef SOCHID_SDNOTIFY_H
#define SOCHID_SDNOTIFY_H

/* Sends msg to $NOTIFY_SOCKET; does nothing when sochid is not under systemd. */
int	sdnotify(const char *);

#endif
