-- SPDX-License-Identifier: MIT
-- The fast path: rows that are stored as they are (lib/event.c,
-- event_row_plain: actions, impacts, users samples, notices, inquiries,
-- notes and attached alerts that correct nothing), one array per column.
-- sochid sends the arrays in binary, so nothing is parsed but the data
-- objects.  A batch none of whose keys is stored yet (nearly all) goes in
-- one plain INSERT; otherwise one INSERT ... ON CONFLICT DO NOTHING skips
-- the stored keys and the rows are matched back to what was stored.
--
-- Answers one row per input row, in input order (ord counts from 1): the
-- new event's id, or for a key already stored the stored event's id, and
-- the incident code; or the reason it was refused.  A key the sender chose
-- itself (p_own) that is already stored for a different event is refused,
-- naming it: what the event says is compared, and its time only when the
-- sender gave one (p_at_given; otherwise it is when sochid took it, which a
-- resend changes).  With p_atomic any refusal raises SC001 and nothing is
-- stored.  sochi_ingest calls it for
-- the plain rows of the batches that hold others too.
create or replace function sochi_ingest_plain(
    p_kind text[], p_incident text[], p_at timestamptz[], p_src text[],
    p_key text[], p_actor text[], p_phase text[], p_text text[],
    p_by text[], p_data jsonb[], p_own boolean[], p_at_given boolean[],
    p_atomic boolean)
returns table (ord integer, id bigint, code text, err text)
language plpgsql as $fn$
declare
    v_inc   bigint[];	-- each row's incident, null where there is none
    v_nid   bigint[];	-- each row's new id, drawn in input order
    v_ord   integer[];
    v_id    bigint[];
    v_code  text[];
    v_err   text[];
    v_lost  integer;
    v_first integer;
    v_msg   text;
    i       integer;
begin
    v_inc := array(select x.id
                   from unnest(p_incident) with ordinality as u(inc, o)
                   left join incident x on x.code = u.inc
                   order by u.o);
    if p_atomic then
        select u.o, format('incident: no incident "%s"', u.inc)
        into v_first, v_msg
        from unnest(v_inc, p_incident) with ordinality as u(id, inc, o)
        where u.id is null
        order by u.o limit 1;
        if v_msg is not null then
            raise exception '%', format('event %s: %s', v_first, v_msg)
                using errcode = 'SC001';
        end if;
    end if;
    -- Each row's id is drawn here, in input order.  A row that meets a
    -- stored key leaves its id unused.
    v_nid := array(select case when x is not null
                              then nextval('event_id_seq') end
                   from unnest(v_inc) as x);
    -- Nearly every batch meets no stored key: one INSERT stores it, its
    -- columns read straight from the arrays (set-returning functions in the
    -- select list stream; in FROM they are first copied into a tuplestore),
    -- and the answers are the ids drawn.  A key already stored raises
    -- unique_violation, which undoes the insert; the statement after it
    -- then sorts out which rows are new.
    begin
        insert into event (id, incident_id, source, source_key, kind,
                           occurred_at, actor, phase, text, data, recorded_by)
        select s.nid, s.inc, s.src, s.key, s.kind, s.at, s.actor, s.phase,
               s.txt, coalesce(s.data, '{}'), s.rec_by
        from (select unnest(v_nid) as nid, unnest(v_inc) as inc,
                     unnest(p_src) as src, unnest(p_key) as key,
                     unnest(p_kind) as kind, unnest(p_at) as at,
                     unnest(p_actor) as actor, unnest(p_phase) as phase,
                     unnest(p_text) as txt, unnest(p_data) as data,
                     unnest(p_by) as rec_by) s
        where s.nid is not null;
        perform pg_notify('sochi_incident', x.code)
        from incident x
        where x.id in (select distinct u from unnest(v_inc) as u);
        return query
            select u.o::integer, u.nid, u.inc,
                   case when u.id is null then
                       format('incident: no incident "%s"', u.inc) end
            from unnest(v_nid, p_incident, v_inc)
                 with ordinality as u(nid, inc, id, o);
        return;
    exception when unique_violation then
        null;
    end;
    -- Some key is already stored: the insert skips those rows, and the
    -- rows it stored are joined back by the ids drawn above.
    with r as materialized (
        select *
        from unnest(p_kind, p_incident, p_at, p_src, p_key, p_actor, p_phase,
                    p_text, p_by, p_data, p_own, p_at_given, v_inc, v_nid)
             with ordinality as u(kind, incident, at, src, key, actor, phase,
                                  txt, rec_by, data, own, at_given, inc_id,
                                  nid, o)
    ), ins as (
        insert into event as e (id, incident_id, source, source_key, kind,
                                occurred_at, actor, phase, text, data,
                                recorded_by)
        select r.nid, r.inc_id, r.src, r.key, r.kind, r.at, r.actor, r.phase,
               r.txt, coalesce(r.data, '{}'), r.rec_by
        from r where r.nid is not null
        on conflict (source, source_key) do nothing
        returning e.id
    ), a as (
        -- A key stored before this statement answers with its stored id,
        -- unless the sender's own key names a different event.  The stored
        -- event is looked up only for a row the insert did not store
        -- (offset 0 keeps that test a filter on the lookup as a whole).
        select r.o,
               case when r.inc_id is not null and (old.id is null or old.same)
                   then coalesce(ins.id, old.id) end as id,
               r.incident as code,
               case when r.inc_id is null then
                        format('incident: no incident "%s"', r.incident)
                    when old.id is not null and not old.same then
                        format('key already used for a different event (id %s)',
                               old.id)
               end as err
        from r left join ins on ins.id = r.nid
        left join lateral (
            select e.id,
                   not r.own
                   or (e.kind = r.kind and e.incident_id = r.inc_id
                       and (not r.at_given or e.occurred_at = r.at)
                       and e.actor is not distinct from r.actor
                       and e.phase is not distinct from r.phase
                       and e.text is not distinct from r.txt
                       and e.data = coalesce(r.data, '{}')
                       and e.supersedes is null) as same
            from event e
            where ins.id is null and r.inc_id is not null
              and e.source = r.src and e.source_key = r.key
            offset 0
        ) old on true
    )
    select array_agg(a.o::integer order by a.o),
           array_agg(a.id order by a.o), array_agg(a.code order by a.o),
           array_agg(a.err order by a.o),
           count(*) filter (where a.id is null and a.err is null)
    into v_ord, v_id, v_code, v_err, v_lost
    from a;
    -- A key another transaction stored while this statement waited for it
    -- was invisible to the statement; this one sees it.
    if v_lost > 0 then
        for i in 1 .. array_length(v_ord, 1) loop
            if v_id[i] is null and v_err[i] is null then
                v_id[i] := (select e.id from event e
                            where e.source = p_src[v_ord[i]]
                              and e.source_key = p_key[v_ord[i]]);
            end if;
        end loop;
    end if;
    if p_atomic then
        select u.o, u.err into v_first, v_msg
        from unnest(v_ord, v_err) as u(o, err)
        where u.err is not null order by u.o limit 1;
        if v_msg is not null then
            raise exception '%', format('event %s: %s', v_first, v_msg)
                using errcode = 'SC001';
        end if;
    end if;
    -- The drafter (LISTEN sochi_incident) reads each incident again once
    -- this commits; PostgreSQL folds identical notifications of one
    -- transaction into one.
    perform pg_notify('sochi_incident', d.code)
    from (select distinct u.code from unnest(v_code, v_err) as u(code, err)
          where u.err is null) d;
    return query select * from unnest(v_ord, v_id, v_code, v_err);
end
$fn$;
