-- SPDX-License-Identifier: MIT
-- sochi schema, version 8: event's references to incident and to event
-- are checked once a statement (sql/functions/sochi_event_refs.sql), not
-- once a row by foreign keys.
--
-- A foreign key checks every inserted row on its own: a trigger event
-- queued for the row, then a query that finds and locks the row referred
-- to, for each of the two references.  A batch of 4,096 events of one
-- incident ran 8,192 of them to lock the same incident 4,096 times, and
-- that was a third of the server's time in sochid's writer: at 64
-- connections, 68-72k events/s with the foreign keys, 85-104k without
-- (measured on 128,000 events).  The statement's triggers do the same
-- work once: they lock each incident and corrected event referred to
-- FOR KEY SHARE, as a foreign key does, and check that none is missing;
-- deleting an incident or an event, or changing its id, is refused while
-- an event refers to it (outside READ COMMITTED, any such delete is refused
-- as a serialization failure: the check cannot see events committed after
-- the transaction's snapshot), and so is truncating incident.  Written to
-- be run again harmlessly.
alter table event drop constraint if exists event_incident_id_fkey;
alter table event drop constraint if exists event_supersedes_fkey;
drop trigger if exists event_refs_insert on event;
drop trigger if exists event_refs_update on event;
drop trigger if exists event_refs_delete on event;
drop trigger if exists incident_refs_update on incident;
drop trigger if exists incident_refs_delete on incident;
drop trigger if exists incident_refs_truncate on incident;
create trigger event_refs_insert after insert on event
    referencing new table as sochi_new
    for each statement execute function sochi_event_refs();
create trigger event_refs_update after update on event
    referencing old table as sochi_old new table as sochi_new
    for each statement execute function sochi_event_refs();
create trigger event_refs_delete after delete on event
    referencing old table as sochi_old
    for each statement execute function sochi_event_refs();
create trigger incident_refs_update after update on incident
    referencing old table as sochi_old
    for each statement execute function sochi_event_refs();
create trigger incident_refs_delete after delete on incident
    referencing old table as sochi_old
    for each statement execute function sochi_event_refs();
create trigger incident_refs_truncate before truncate on incident
    for each statement execute function sochi_event_refs();
