-- sochi schema, version 1: the append-only event log, the incidents it is
-- about, the drafts made from it, and the function sochid writes through.
-- Applied by `sochid --migrate` in one transaction.

create table if not exists schema_migrations (
    version     integer primary key,
    applied_at  timestamptz not null default now()
);

create table incident (
    id          bigserial primary key,
    code        text not null unique,          -- what people type: 2026-0001
    title       text not null,
    service     text,
    category    smallint check (category between 1 and 5),
    location    text,
    equipment   text,
    opened_at   timestamptz not null,          -- when it was declared in sochi
    closed_at   timestamptz,
    state       text not null default 'open' check (state in ('open', 'closed')),
    group_key   text                           -- ties monitoring alerts to it
);

-- One open incident per alert group, whichever daemon opens it first.
create unique index incident_open_group on incident (group_key)
    where state = 'open' and group_key is not null;

-- The last number handed out per year, for codes YYYY-NNNN.  A row lock
-- here, not daemon memory, keeps several daemons from giving out one code.
create table incident_code_seq (
    year        integer primary key,
    last        integer not null
);

create table event (
    id          bigserial primary key,
    incident_id bigint references incident (id),  -- null: an unattached alert
    source      text not null,                 -- sender: token name, or 'local'
    source_key  text not null,                 -- sender's idempotency key
    kind        text not null check (kind in ('incident', 'action', 'impact',
                    'users', 'notice', 'inquiry', 'note', 'alert', 'retract')),
    occurred_at timestamptz not null,          -- when it happened
    received_at timestamptz not null default now(),
    actor       text,
    phase       text,
    text        text,
    data        jsonb not null default '{}',   -- the kind's own fields
    recorded_by text,                          -- uid of a local sender
    supersedes  bigint references event (id),  -- the event this one corrects
    unique (source, source_key)
);

-- One incident's events in the order they happened.
create index event_incident_time on event (incident_id, occurred_at, id);
create index event_unattached on event (id) where incident_id is null;
create index event_supersedes on event (supersedes) where supersedes is not null;
create index event_retract_target on event (((data->>'target')::bigint))
    where kind = 'retract';

create table draft (
    incident_id  bigint not null references incident (id),
    version      integer not null,
    trigger      text not null,
    generated_at timestamptz not null default now(),
    format       text not null,
    body         text not null,
    primary key (incident_id, version, format)
);

-- sochi_ingest stores a batch of validated events (a JSON array of the rows
-- lib/event.c writes) and answers one row per input row, in input order:
-- the event id and incident code, or the reason it was refused.  A row whose
-- (src, key) is already stored answers with the stored id and adds nothing.
-- With p_atomic, any refusal raises SQLSTATE SC001 and nothing is stored.
create function sochi_ingest(p_rows jsonb, p_tz text, p_atomic boolean)
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
            err text
        ) on commit delete rows;
    end if;
    delete from sochi_batch;

    insert into sochi_batch (ord, src, key, kind, inc_code, at, actor, phase,
                             txt, data, rec_by, sup)
    select e.ord, e.r->>'src', e.r->>'key', e.r->>'kind', e.r->>'incident',
           (e.r->>'at')::timestamptz, e.r->>'actor', e.r->>'phase',
           e.r->>'text', coalesce(e.r->'data', '{}'), e.r->>'by',
           (e.r->>'sup')::bigint
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
        when ev.incident_id is distinct from b.inc_id then
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
