/* SPDX-License-Identifier: MIT */
/*
 * The drafter: a process of its own (titled `sochid: drafter`), forked and
 * watched by sochid (worker_proc.c), that keeps every slow or unbounded
 * piece of work away from the ingest loop, as OpenSMTPD and relayd keep
 * heavy work out of the process that talks to the network.
 *
 * It LISTENs on sochi_incident: every committed batch notifies the codes of
 * the incidents it touched, whichever daemon committed it.  For each, at
 * most twice a second, it reads the incident and its events again on its
 * own connection, rebuilds the model, and drafts the 速報 the first time the
 * incident is serious (with a timer set to the moment a running impact will
 * meet a pair) and the 詳報 when the last impact recovers; stores them with
 * sochi_draft_add (once per trigger, whichever daemon comes first), writes
 * them to the spool folder and runs notify_command / notify_url.  At start,
 * after every reconnection and every hour it also sweeps the unfiled
 * incidents with impacts: for what it could not hear, and for the deadline
 * warnings.
 */
#ifndef SOCHID_DRAFTER_H
#define SOCHID_DRAFTER_H

/* The drafter process's main: reads the config file, runs until SIGTERM. */
int	drafter_main(const char *, int);

#endif
