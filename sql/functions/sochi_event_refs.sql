-- SPDX-License-Identifier: MIT
-- event's references, checked once a statement rather than once a row
-- (migration 008 says why): an event's incident_id names an incident and
-- its supersedes names an event, and neither is deleted, nor its id
-- changed, while an event refers to it.  They hold what the foreign keys
-- event_incident_id_fkey and event_supersedes_fkey held, the same way: the
-- rows referred to are locked FOR KEY SHARE until the transaction ends, so
-- a concurrent delete waits for the new reference and then sees it.
--
-- One function for the six triggers of migration 008: after INSERT and
-- UPDATE on event (the new rows as sochi_new), after DELETE and UPDATE on
-- incident and on event (the old rows as sochi_old), before TRUNCATE on
-- incident.  It runs as the
-- role whose statement fired it, like the other functions (a function
-- with its own search_path, as SECURITY DEFINER would need, cost a
-- quarter of the alert path's speed), so a role other than sochid's that
-- inserts events needs UPDATE on incident and event for the lock, as for
-- SELECT ... FOR KEY SHARE.  Errors are foreign_key_violation (23503), as
-- a foreign key's.
create or replace function sochi_event_refs()
returns trigger
language plpgsql as $fn$
declare
    v_id  bigint;
    v_sup bigint;
begin
    -- TRUNCATE incident (a foreign key refused it too) while events refer.
    if TG_OP = 'TRUNCATE' then
        if exists (select 1 from event e where e.incident_id is not null) then
            raise exception 'cannot truncate table "incident": events refer to it'
                using errcode = 'foreign_key_violation',
                      hint = 'Truncate event first, or in the same statement after it.';
        end if;
        return null;
    end if;
    if TG_TABLE_NAME = 'event' and TG_OP in ('INSERT', 'UPDATE') then
        -- One statement (a statement of one row is common: it is the
        -- check's whole cost there): lock what is referred to, then name
        -- a reference that found nothing to lock.
        with inc as (
            select x.id from incident x
            where x.id in (select n.incident_id from sochi_new n)
            for key share of x
        ), sup as (
            select x.id from event x
            where x.id in (select n.supersedes from sochi_new n)
            for key share of x
        )
        select (select n.incident_id from sochi_new n
                where n.incident_id is not null
                  and n.incident_id not in (select inc.id from inc)
                limit 1),
               (select n.supersedes from sochi_new n
                where n.supersedes is not null
                  and n.supersedes not in (select sup.id from sup)
                limit 1)
        into v_id, v_sup;
        if v_id is not null then
            raise exception 'insert or update on table "event" violates its reference to table "incident"'
                using errcode = 'foreign_key_violation',
                      detail = format('Key (incident_id)=(%s) is not present in table "incident".', v_id);
        end if;
        if v_sup is not null then
            raise exception 'insert or update on table "event" violates its reference to table "event"'
                using errcode = 'foreign_key_violation',
                      detail = format('Key (supersedes)=(%s) is not present in table "event".', v_sup);
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
        -- A foreign key's check would also see, through a snapshot of its
        -- own, an event committed after this transaction's snapshot was
        -- taken; this one cannot, so outside READ COMMITTED (where every
        -- statement has a new snapshot and the insert's lock makes this
        -- delete wait) an id gone is refused as a serialization failure.
        if not found and current_setting('transaction_isolation') <> 'read committed' then
            if TG_TABLE_NAME = 'incident' then
                select o.id into v_id from sochi_old o
                where not exists (select 1 from incident x where x.id = o.id)
                limit 1;
            else
                select o.id into v_id from sochi_old o
                where not exists (select 1 from event x where x.id = o.id)
                limit 1;
            end if;
            if found then
                raise exception 'update or delete on table "%" can be checked against the events referring to it only at READ COMMITTED',
                        TG_TABLE_NAME
                    using errcode = 'serialization_failure',
                          detail = format('Key (id)=(%s).', v_id),
                          hint = 'Run it again at READ COMMITTED.';
            end if;
            found := false;
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
