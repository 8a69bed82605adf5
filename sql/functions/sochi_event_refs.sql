-- SPDX-License-Identifier: MIT
-- event's references, checked once a statement rather than once a row
-- (migration 008 says why): an event's incident_id names an incident and
-- its supersedes names an event, and neither is deleted, nor its id
-- changed, while an event refers to it.  They hold what the foreign keys
-- event_incident_id_fkey and event_supersedes_fkey held, the same way: the
-- rows referred to are locked FOR KEY SHARE until the transaction ends, so
-- a concurrent delete waits for the new reference and then sees it.
--
-- One function for the five triggers of migration 008: after INSERT and
-- UPDATE on event (the new rows as sochi_new), after DELETE and UPDATE on
-- incident and on event (the old rows as sochi_old).  It runs as its
-- owner, as a foreign key's checks do, so a role that may insert events
-- needs no UPDATE right on incident for the lock.  Errors are
-- foreign_key_violation (23503), as a foreign key's.
create or replace function sochi_event_refs()
returns trigger
language plpgsql security definer set search_path from current as $fn$
declare
    v_id bigint;
begin
    if TG_TABLE_NAME = 'event' and TG_OP in ('INSERT', 'UPDATE') then
        perform 1 from incident x
        where x.id in (select n.incident_id from sochi_new n)
        for key share of x;
        select n.incident_id into v_id from sochi_new n
        where n.incident_id is not null
          and not exists (select 1 from incident x where x.id = n.incident_id)
        limit 1;
        if found then
            raise exception 'insert or update on table "event" violates its reference to table "incident"'
                using errcode = 'foreign_key_violation',
                      detail = format('Key (incident_id)=(%s) is not present in table "incident".', v_id);
        end if;
        perform 1 from event x
        where x.id in (select n.supersedes from sochi_new n
                       where n.supersedes is not null)
        for key share of x;
        select n.supersedes into v_id from sochi_new n
        where n.supersedes is not null
          and not exists (select 1 from event x where x.id = n.supersedes)
        limit 1;
        if found then
            raise exception 'insert or update on table "event" violates its reference to table "event"'
                using errcode = 'foreign_key_violation',
                      detail = format('Key (supersedes)=(%s) is not present in table "event".', v_id);
        end if;
    end if;
    if TG_OP in ('UPDATE', 'DELETE') then
        -- An id gone from the table must not be referred to any more.
        if TG_TABLE_NAME = 'incident' then
            select o.id into v_id from sochi_old o
            where not exists (select 1 from incident x where x.id = o.id)
              and exists (select 1 from event e where e.incident_id = o.id)
            limit 1;
        else
            select o.id into v_id from sochi_old o
            where not exists (select 1 from event x where x.id = o.id)
              and exists (select 1 from event e where e.supersedes = o.id)
            limit 1;
        end if;
        if found then
            raise exception 'update or delete on table "%" violates the reference to it from table "event"',
                    TG_TABLE_NAME
                using errcode = 'foreign_key_violation',
                      detail = format('Key (id)=(%s) is still referenced from table "event".', v_id);
        end if;
    end if;
    return null;
end
$fn$;
