-- sochi_ingest stores a batch of validated events, one array per column
-- (the rows lib/event.c and lib/webhook.c make; sochid sends the arrays in
-- binary), and answers one row per input row, in input order (ord counts
-- from 1): the event id and incident code, or the reason it was refused.
-- A row whose (src, key) is already stored answers with the stored id and
-- adds nothing.  With p_atomic, any refusal raises SQLSTATE SC001 and
-- nothing is stored.
--
-- p_plain says which rows are stored as they are (sochid decides, by
-- lib/event.c's event_row_plain): those go to sochi_ingest_plain in bulk.
-- The others (incident operations, alerts of a group, corrections,
-- retractions, unattached alerts) go first, one by one in input order
-- through sochi_ingest_row, so that the plain rows after them find the
-- incidents they open.
create or replace function sochi_ingest(
    p_kind text[], p_incident text[], p_at timestamptz[], p_src text[],
    p_key text[], p_actor text[], p_phase text[], p_text text[],
    p_by text[], p_data jsonb[], p_sup bigint[], p_grp text[],
    p_open jsonb[], p_imp jsonb[], p_plain boolean[], p_tz text,
    p_atomic boolean)
returns table (ord integer, id bigint, code text, err text)
language plpgsql as $fn$
declare
    v      record;
    n      integer := coalesce(array_length(p_kind, 1), 0);
    v_ord  integer[] := '{}';
    v_id   bigint[] := '{}';
    v_code text[] := '{}';
    v_err  text[] := '{}';
    v_map  integer[] := '{}';
    i      integer;
begin
    for i in 1 .. n loop
        if p_plain[i] then
            v_map := v_map || i;
            continue;
        end if;
        select * into v
        from sochi_ingest_row(i, p_kind[i], p_incident[i], p_at[i], p_src[i],
                              p_key[i], p_actor[i], p_phase[i], p_text[i],
                              p_by[i], p_sup[i], coalesce(p_data[i], '{}'),
                              p_grp[i], p_open[i], p_imp[i], p_tz);
        if p_atomic and v.o_err is not null then
            raise exception '%', format('event %s: %s', i, v.o_err)
                using errcode = 'SC001';
        end if;
        v_ord := v_ord || i;
        v_id := v_id || v.o_id;
        v_code := v_code || v.o_code;
        v_err := v_err || v.o_err;
    end loop;
    return query
    select v_map[p.ord], p.id, p.code, p.err
    from sochi_ingest_plain(
        array(select p_kind[m] from unnest(v_map) m),
        array(select p_incident[m] from unnest(v_map) m),
        array(select p_at[m] from unnest(v_map) m),
        array(select p_src[m] from unnest(v_map) m),
        array(select p_key[m] from unnest(v_map) m),
        array(select p_actor[m] from unnest(v_map) m),
        array(select p_phase[m] from unnest(v_map) m),
        array(select p_text[m] from unnest(v_map) m),
        array(select p_by[m] from unnest(v_map) m),
        array(select p_data[m] from unnest(v_map) m),
        p_atomic) p
    where cardinality(v_map) > 0
    union all
    select * from unnest(v_ord, v_id, v_code, v_err)
    order by 1;
end
$fn$;
