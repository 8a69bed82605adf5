-- The rows of a batch (a JSON array of the objects lib/event.c and
-- lib/webhook.c write) as typed columns, numbered from 1 in input order.
-- plain: a row the bulk insert stores as it is (sochi_ingest_plain); any
-- other row needs its own steps (sochi_ingest_row).  A value PostgreSQL
-- cannot take (a time out of its range, say) fails the whole statement
-- with a data error, and the writer splits the batch to find the row.
create or replace function sochi_rows(p_rows jsonb)
returns table (ord integer, kind text, incident text, at timestamptz,
               src text, key text, actor text, phase text, txt text,
               rec_by text, sup bigint, data jsonb, grp text, open jsonb,
               imp jsonb, plain boolean)
language sql stable as $fn$
    select t.ord::integer, x.kind, x.incident, x.at, x.src, x.key, x.actor,
           x.phase, x.text, x.by, x.sup, coalesce(x.data, '{}'), x.grp,
           x.open, x.imp,
           x.kind in ('action', 'impact', 'users', 'notice', 'inquiry',
                      'note', 'alert')
           and x.incident is not null and x.sup is null and x.grp is null
           and x.open is null and x.imp is null
    from jsonb_array_elements(p_rows) with ordinality as t(j, ord),
         jsonb_to_record(t.j) as x(kind text, incident text, at timestamptz,
                                   src text, key text, actor text,
                                   phase text, text text, by text, sup bigint,
                                   data jsonb, grp text, open jsonb, imp jsonb)
$fn$;
