-- SPDX-License-Identifier: MIT
-- One incident of :n events, loaded straight into PostgreSQL for the
-- benchmark (tests/bench/bench.sh): far faster than sending them, and the
-- drafter and `sochi report` read an incident the same way however its
-- events arrived.  psql variables:
--   code      the incident's code (also the prefix of its events' keys)
--   n         events
--   category  1-5, or '' for none
--   recover   true: the impacts recover at the end; false: they stay open
-- The mix is a long outage's: mostly actions in the detect, identify,
-- recover and notify phases over four hours, an affected-user sample every
-- 1,000 events, a note every 10,000, and two impacts that start first (and
-- recover last).  The impact starts make the drafter read the incident past
-- its own row.
with inc as (
    insert into incident (code, title, service, category, opened_at)
    values (:'code', 'ベンチマークの障害 ' || :'code',
            'インターネット関連サービス（電子メール）',
            nullif(:'category', '')::smallint,
            timestamptz '2026-11-20 10:00+09')
    returning id
)
insert into event (incident_id, source, source_key, kind, occurred_at, actor,
                   phase, text, data)
select inc.id, 'bench', :'code' || '-' || g, e.kind,
       timestamptz '2026-11-20 10:00+09' + interval '4 hours' * (g::float8 / :n),
       'ネットワークオペレーション部門',
       case when e.kind = 'action' then (array['detect', 'identify',
           'recover', 'notify'])[1 + (g * 4) / (:n + 1)] end,
       case e.kind when 'action' then '負荷試験の対処 ' || g
                   when 'note' then '負荷試験の記述 ' || g end,
       case e.kind
       when 'impact' then case g
           when 1 then '{"op":"start","name":"mail-send","label":"電子メールの送受信ができない","users":12000}'
           when 2 then '{"op":"start","name":"webmail","label":"ウェブメールが利用できない"}'
           when :n - 1 then '{"op":"recover","name":"mail-send"}'
           else '{"op":"recover","name":"webmail"}' end::jsonb
       when 'users' then jsonb_build_object('count', 12000 + g / 100,
           'total', 1000000, 'basis', '契約数ベース')
       when 'note' then jsonb_build_object('section', (array['overview',
           'cause.summary', 'measure.interim', 'cause.scale'])[1 + (g / 10000) % 4])
       else '{}' end
from inc, generate_series(1, :n) g,
     lateral (select case
         when g <= 2 or (:recover and g >= :n - 1) then 'impact'
         when g % 1000 = 500 then 'users'
         when g % 10000 = 7 then 'note'
         else 'action' end as kind) e;
