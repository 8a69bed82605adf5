-- SPDX-License-Identifier: MIT
-- sochi_ingest stores a batch of validated events, one array per column
-- (the rows lib/event.c and lib/webhook.c make; sochid sends the arrays in
-- binary), and answers one row per input row, in input order (ord counts
-- from 1): the event id and incident code, or the reason it was refused.
-- A row whose (src, key) is already stored answers with the stored id and
-- adds nothing.  With p_atomic, any refusal raises SQLSTATE SC001 and
-- nothing is stored.
--
-- p_own and p_at_given: see sochi_ingest_plain.
--
-- p_plain says which rows are stored as they are (sochid decides, by
-- lib/event.c's event_row_plain).  Rows are stored in input order, so ids
-- follow it: each run of plain rows goes to sochi_ingest_plain in bulk,
-- each other row (an incident operation, an alert of a group, a
-- correction, a retraction, an unattached alert) through sochi_ingest_row,
-- so that rows after an incident's opening find it.
create or replace function sochi_ingest(
    p_kind text[], p_incident text[], p_at timestamptz[], p_src text[],
    p_key text[], p_actor text[], p_phase text[], p_text text[],
    p_by text[], p_data jsonb[], p_own boolean[], p_at_given boolean[],
    p_sup bigint[], p_grp text[], p_open jsonb[], p_imp jsonb[],
    p_plain boolean[], p_tz text, p_atomic boolean)
returns table (ord integer, id bigint, code text, err text)
language plpgsql as $fn$
declare
    v      record;
    p      record;
    n      integer := coalesce(array_length(p_kind, 1), 0);
    i      integer;
    j      integer := 1;	-- the first row of the run of plain rows
begin
    for i in 1 .. n + 1 loop
        if i <= n and p_plain[i] then
            continue;
        end if;
        -- The run of plain rows j .. i - 1, in bulk.
        if i > j then
            if p_atomic then
                -- Checked here, to name the row by its place in the batch.
                select j + u.o - 1 as o, u.inc as inc into v
                from unnest(p_incident[j:i - 1]) with ordinality as u(inc, o)
                where not exists (select 1 from incident x where x.code = u.inc)
                order by u.o limit 1;
                if found then
                    raise exception '%', format('event %s: incident: no incident "%s"',
                                                v.o, v.inc)
                        using errcode = 'SC001';
                end if;
            end if;
            for p in select * from sochi_ingest_plain(
                    p_kind[j:i - 1], p_incident[j:i - 1], p_at[j:i - 1],
                    p_src[j:i - 1], p_key[j:i - 1], p_actor[j:i - 1],
                    p_phase[j:i - 1], p_text[j:i - 1], p_by[j:i - 1],
                    p_data[j:i - 1], p_own[j:i - 1], p_at_given[j:i - 1],
                    false) loop
                -- All or none: a plain row refused (a key already used for
                -- another event) refuses the batch too.
                if p_atomic and p.err is not null then
                    raise exception '%', format('event %s: %s', j + p.ord - 1,
                                                p.err)
                        using errcode = 'SC001';
                end if;
                ord := j + p.ord - 1;
                id := p.id;
                code := p.code;
                err := p.err;
                return next;
            end loop;
        end if;
        j := i + 1;
        exit when i > n;
        select * into v
        from sochi_ingest_row(i, p_kind[i], p_incident[i], p_at[i], p_src[i],
                              p_key[i], p_actor[i], p_phase[i], p_text[i],
                              p_by[i], p_sup[i], coalesce(p_data[i], '{}'),
                              p_grp[i], p_open[i], p_imp[i], p_own[i],
                              p_at_given[i], p_tz);
        if p_atomic and v.o_err is not null then
            raise exception '%', format('event %s: %s', i, v.o_err)
                using errcode = 'SC001';
        end if;
        ord := i;
        id := v.o_id;
        code := v.o_code;
        err := v.o_err;
        return next;
    end loop;
end
$fn$;
