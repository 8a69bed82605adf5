/* SPDX-License-Identifier: MIT */
/*
 * The web view: a process of its own (titled `sochid: web`), started and
 * watched by sochid like the drafter (worker_proc.c), that answers the read
 * paths — the pages (/, /login, /incidents/…) and GET /v1/incidents… — on
 * connections the ingest process hands it, with the bytes it had read,
 * once it has checked the reader may read (fdpass.h, http_api.c).  So no
 * database read, no rendering and no event stream ever runs on the ingest
 * loop, and the web view can die or stall without holding up an event.
 *
 * It has its own database connection (db_query.h: a deadline of [web]
 * timeout on each query), renders with lib/ (web.h, listing.h, report.h)
 * from one loader for the pages and the API, and LISTENs on
 * sochi_incident to send the pages following an incident its <main> drawn
 * again when events arrive (server-sent events).  It serves at most [web]
 * max_clients connections at once, event streams included; past that a
 * connection is answered 503 at once.
 */
#ifndef SOCHID_WEB_WORKER_H
#define SOCHID_WEB_WORKER_H

/* The web worker's main: reads the config file, runs until SIGTERM. */
int	web_worker_main(const char *, int);

#endif
