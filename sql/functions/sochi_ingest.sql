-- sochi_ingest stores a batch of validated events (a JSON array of the rows
-- lib/event.c and lib/webhook.c write) and answers one row per input row,
-- in input order: the event id and incident code, or the reason it was
-- refused.  A row whose (src, key) is already stored answers with the
-- stored id and adds nothing.  With p_atomic, any refusal raises SQLSTATE
-- SC001 and nothing is stored.
--
-- The rows that need steps of their own (sochi_ingest_row) go first, one
-- by one in input order, so that the plain rows after them (stored in bulk
-- by sochi_ingest_plain) find the incidents they open.  No temporary table:
-- a migration that changes a table never leaves a session's copy behind.
create or replace function sochi_ingest(p_rows jsonb, p_tz text, p_atomic boolean)
returns table (ord integer, id bigint, code text, err text)
language plpgsql as $fn$
declare
    r      record;
    v      record;
    v_ord  integer[] := '{}';
    v_id   bigint[] := '{}';
    v_code text[] := '{}';
    v_err  text[] := '{}';
begin
    for r in select * from sochi_rows(p_rows) s where not s.plain
             order by s.ord loop
        select * into v
        from sochi_ingest_row(r.ord, r.kind, r.incident, r.at, r.src, r.key,
                              r.actor, r.phase, r.txt, r.rec_by, r.sup,
                              r.data, r.grp, r.open, r.imp, p_tz);
        if p_atomic and v.o_err is not null then
            raise exception '%', format('event %s: %s', r.ord, v.o_err)
                using errcode = 'SC001';
        end if;
        v_ord := v_ord || r.ord;
        v_id := v_id || v.o_id;
        v_code := v_code || v.o_code;
        v_err := v_err || v.o_err;
    end loop;
    return query
    select * from sochi_ingest_plain(p_rows, p_atomic)
    union all
    select * from unnest(v_ord, v_id, v_code, v_err)
    order by 1;
end
$fn$;
