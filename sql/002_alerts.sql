-- sochi schema, version 2: monitoring alerts correlated into incidents.
-- sochi_ingest learns three members of a row that sochid's webhook
-- endpoints write (never a sender): grp, the alert's group, which joins the
-- open incident of that group or, with open, opens one; imp, the impact a
-- rule says the alert starts or recovers.  An alert may supersede an
-- unattached alert, which is how `sochi attach` ties one to an incident.

create index if not exists event_alert_unattached on event (id)
    where kind = 'alert' and incident_id is null;

create or replace function sochi_ingest(p_rows jsonb, p_tz text, p_atomic boolean)
returns table (ord integer, id bigint, code text, err text)
language plpgsql as $fn$
declare
    r       record;
    v_inc   bigint;
    v_code  text;
    v_year  integer;
    v_num   integer;
    v_id    bigint;
    v_state text;
begin
    -- One scratch table per database session, emptied at every commit.
    if to_regclass('pg_temp.sochi_batch') is null then
        create temp table sochi_batch (
            ord integer, src text, key text, kind text, inc_code text,
            inc_id bigint, at timestamptz, actor text, phase text, txt text,
            data jsonb, rec_by text, sup bigint, id bigint, code text,
            err text, grp text, open jsonb, imp jsonb
        ) on commit delete rows;
    end if;
    delete from sochi_batch;

    insert into sochi_batch (ord, src, key, kind, inc_code, at, actor, phase,
                             txt, data, rec_by, sup, grp, open, imp)
    select e.ord, e.r->>'src', e.r->>'key', e.r->>'kind', e.r->>'incident',
           (e.r->>'at')::timestamptz, e.r->>'actor', e.r->>'phase',
           e.r->>'text', coalesce(e.r->'data', '{}'), e.r->>'by',
           (e.r->>'sup')::bigint, e.r->>'grp', e.r->'open', e.r->'imp'
    from jsonb_array_elements(p_rows) with ordinality as e(r, ord);
    -- A temp table has no statistics: without them the planner takes it
    -- for a few rows and joins it by nested loops, quadratic in the batch.
    analyze sochi_batch;

    -- Retries: an event already stored answers with its id.
    update sochi_batch b set id = ev.id, code = i.code
    from event ev left join incident i on i.id = ev.incident_id
    where ev.source = b.src and ev.source_key = b.key;

    -- Incident opens, updates and closes, one by one in order: they are
    -- rare, and later rows of the batch may name the incident they open.
    for r in select * from sochi_batch b
             where b.kind = 'incident' and b.id is null order by b.ord loop
        v_inc := null;
        if r.data->>'op' = 'open' then
            v_code := r.data->>'code';
            if v_code is null then
                v_year := extract(year from r.at at time zone p_tz);
                insert into incident_code_seq as s (year, last)
                values (v_year, 1)
                on conflict (year) do update set last = s.last + 1
                returning s.last into v_num;
                v_code := v_year::text || '-' || lpad(v_num::text, 4, '0');
            end if;
            insert into incident as inc (code, title, service, category,
                                         location, equipment, opened_at)
            values (v_code, r.data->>'title', r.data->>'service',
                    (r.data->>'category')::smallint, r.data->>'location',
                    r.data->>'equipment', r.at)
            on conflict on constraint incident_code_key do nothing
            returning inc.id into v_inc;
            if v_inc is null then
                update sochi_batch b
                set err = format('code: incident "%s" already exists', v_code)
                where b.ord = r.ord;
                continue;
            end if;
        else
            select inc.id, inc.state into v_inc, v_state
            from incident inc where inc.code = r.inc_code for update;
            if v_inc is null then
                update sochi_batch b
                set err = format('incident: no incident "%s"', r.inc_code)
                where b.ord = r.ord;
                continue;
            end if;
            v_code := r.inc_code;
            if r.data->>'op' = 'close' then
                if v_state = 'closed' then
                    update sochi_batch b
                    set err = format('incident: "%s" is already closed', v_code)
                    where b.ord = r.ord;
                    continue;
                end if;
                update incident set state = 'closed', closed_at = r.at
                where incident.id = v_inc;
            else
                update incident set
                    title = coalesce(r.data->>'title', title),
                    service = coalesce(r.data->>'service', service),
                    category = coalesce((r.data->>'category')::smallint, category),
                    location = coalesce(r.data->>'location', location),
                    equipment = coalesce(r.data->>'equipment', equipment)
                where incident.id = v_inc;
            end if;
        end if;
        insert into event (incident_id, source, source_key, kind, occurred_at,
                           actor, text, data, recorded_by)
        values (v_inc, r.src, r.key, 'incident', r.at, r.actor, r.txt,
                r.data, r.rec_by)
        on conflict (source, source_key) do nothing
        returning event.id into v_id;
        update sochi_batch b set id = v_id, code = v_code, inc_id = v_inc
        where b.ord = r.ord;
    end loop;

    -- Alerts of a group join the open incident of that group; a firing
    -- alert whose rule says so opens one.  The partial unique index on
    -- open incidents' group_key decides between daemons racing to open.
    for r in select * from sochi_batch b
             where b.kind = 'alert' and b.id is null and b.inc_code is null
               and b.grp is not null order by b.ord loop
        v_code := null;
        select inc.code into v_code from incident inc
        where inc.group_key = r.grp and inc.state = 'open';
        if v_code is null and r.open is not null
           and r.data->>'status' = 'firing' then
            v_year := extract(year from r.at at time zone p_tz);
            insert into incident_code_seq as s (year, last)
            values (v_year, 1)
            on conflict (year) do update set last = s.last + 1
            returning s.last into v_num;
            v_code := v_year::text || '-' || lpad(v_num::text, 4, '0');
            v_inc := null;
            insert into incident as inc (code, title, service, category,
                                         opened_at, group_key)
            values (v_code, r.open->>'title', r.open->>'service',
                    (r.open->>'category')::smallint, r.at, r.grp)
            on conflict (group_key) where state = 'open'
                                      and group_key is not null do nothing
            returning inc.id into v_inc;
            if v_inc is null then
                select inc.code into v_code from incident inc
                where inc.group_key = r.grp and inc.state = 'open';
            else
                insert into event (incident_id, source, source_key, kind,
                                   occurred_at, actor, data, recorded_by)
                values (v_inc, r.src, r.key || ':open', 'incident', r.at,
                        r.actor, r.open || jsonb_build_object('op', 'open',
                        'group', r.grp), r.rec_by)
                on conflict (source, source_key) do nothing;
            end if;
        end if;
        if v_code is not null then
            update sochi_batch b set inc_code = v_code where b.ord = r.ord;
        end if;
    end loop;

    -- Every other row: resolve its incident, check what it points at.
    update sochi_batch b set inc_id = i.id, code = i.code
    from incident i
    where b.id is null and b.kind <> 'incident' and i.code = b.inc_code;

    update sochi_batch b
    set err = format('incident: no incident "%s"', b.inc_code)
    where b.id is null and b.err is null and b.kind <> 'incident'
      and b.inc_code is not null and b.inc_id is null;

    update sochi_batch b
    set err = case
        when ev.id is null then format('supersedes: no event %s', b.sup)
        -- An unattached alert is attached by an alert that supersedes it.
        when ev.incident_id is distinct from b.inc_id
             and not (ev.kind = 'alert' and ev.incident_id is null) then
            format('supersedes: event %s belongs to %s, not to %s', b.sup,
                   coalesce((select i.code from incident i
                             where i.id = ev.incident_id), 'no incident'),
                   coalesce(b.inc_code, 'no incident'))
        when ev.kind <> b.kind then
            format('supersedes: event %s is a %s, not a %s', b.sup, ev.kind,
                   b.kind)
        end
    from (select s.ord, e2.id, e2.incident_id, e2.kind
          from sochi_batch s left join event e2 on e2.id = s.sup
          where s.sup is not null) ev
    where ev.ord = b.ord and b.id is null and b.err is null;

    update sochi_batch b
    set err = case
        when ev.id is null then format('target: no event %s', b.data->>'target')
        when ev.incident_id is distinct from b.inc_id then
            format('target: event %s belongs to %s, not to %s',
                   b.data->>'target',
                   coalesce((select i.code from incident i
                             where i.id = ev.incident_id), 'no incident'),
                   coalesce(b.inc_code, 'no incident'))
        when ev.kind in ('retract', 'incident') then
            format('target: event %s is a %s and cannot be retracted',
                   b.data->>'target', ev.kind)
        when ev.done or ev.rank > 1 then
            format('target: event %s is already retracted', b.data->>'target')
        end
    from (select s.ord, e2.id, e2.incident_id, e2.kind,
                 exists (select 1 from event x
                         where x.kind = 'retract'
                           and (x.data->>'target')::bigint = e2.id) as done,
                 row_number() over (partition by s.data->>'target'
                                    order by s.ord) as rank
          from sochi_batch s
          left join event e2 on e2.id = (s.data->>'target')::bigint
          where s.kind = 'retract' and s.id is null) ev
    where ev.ord = b.ord and b.id is null and b.err is null;

    if p_atomic then
        select b.ord, b.err into v_num, v_code
        from sochi_batch b where b.err is not null order by b.ord limit 1;
        if v_code is not null then
            raise exception '%', format('event %s: %s', v_num, v_code)
                using errcode = 'SC001';
        end if;
    end if;

    with ins as (
        insert into event (incident_id, source, source_key, kind, occurred_at,
                           actor, phase, text, data, recorded_by, supersedes)
        select b.inc_id, b.src, b.key, b.kind, b.at, b.actor, b.phase, b.txt,
               b.data, b.rec_by, b.sup
        from sochi_batch b
        where b.id is null and b.err is null and b.kind <> 'incident'
        order by b.ord
        on conflict (source, source_key) do nothing
        returning event.id, event.source, event.source_key
    )
    update sochi_batch b set id = ins.id
    from ins where b.src = ins.source and b.key = ins.source_key
      and b.err is null;

    -- An alert whose rule names an impact starts or recovers it.  The impact
-- records which alert moved it ("alert"): when several alerts hold one
-- impact, it recovers when the last of them resolves.
    insert into event (incident_id, source, source_key, kind, occurred_at,
                       actor, data, recorded_by)
    select b.inc_id, b.src, b.key || ':impact', 'impact', b.at, b.actor,
           jsonb_build_object('op', b.imp->>'op', 'name', b.imp->>'name',
                              'alert', b.data->>'fingerprint')
           || case when b.imp->>'op' = 'start'
                   then jsonb_build_object('label', b.imp->>'label')
                   else '{}'::jsonb end,
           b.rec_by
    from sochi_batch b
    where b.imp is not null and b.inc_id is not null and b.err is null
      and b.kind = 'alert'
    order by b.ord
    on conflict (source, source_key) do nothing;

    -- Rows that lost a race (the same key twice in the batch, or another
    -- daemon storing it meanwhile) answer with the id that won.
    update sochi_batch b set id = ev.id, code = i.code
    from event ev left join incident i on i.id = ev.incident_id
    where b.id is null and b.err is null
      and ev.source = b.src and ev.source_key = b.key;

    return query select b.ord, b.id, b.code, b.err
                 from sochi_batch b order by b.ord;
end
$fn$;
