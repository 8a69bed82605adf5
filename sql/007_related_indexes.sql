-- SPDX-License-Identifier: MIT
-- sochi schema, version 7: the events that the related-incidents lookup
-- (store/history.h) and the incident's own row (store/incident.h) read of
-- every incident, found by index instead of by reading all its events.
--
-- Of an incident's events only the figure events (impacts, user samples,
-- retractions) and the cause notes that name a stage tell what a related
-- incident was; an outage of hundreds of thousands of actions holds a few
-- dozen of them.  event_incident_time leads to all of an incident's
-- events, so the planner read them all (or the whole table) once per past
-- incident, and its estimate of that cost was high enough to JIT-compile
-- the query: 1.7 s of compiling for a 0.3 ms answer (measured on a
-- database of 400,000 events).  These partial indexes hold only those
-- rows; the write path maintains them like any index, at the cost of one
-- predicate test for every other row.  Written to be run again harmlessly.
create index if not exists event_figures on event (incident_id, occurred_at, id)
    where kind in ('impact', 'users', 'retract');
create index if not exists event_stage_notes on event (incident_id)
    where kind = 'note' and data ? 'stage';
