-- SPDX-License-Identifier: MIT
-- sochi schema, version 3: drafts that write themselves, and filing.
-- A draft remembers the newest event it was made from (last_event): it is
-- stale when the incident has a newer one, derived on reading, never
-- updated.  An automatic draft (trigger recovery or sokuho) is made once
-- per incident: the unique index decides between daemons, not memory
-- (sql/functions/sochi_draft_add.sql).

alter table draft add column last_event bigint not null default 0;

create unique index draft_once_per_trigger on draft (incident_id, trigger, format)
    where trigger in ('recovery', 'sokuho');

-- The day the 詳報 was filed with the ministry, once a person says so.
alter table incident add column filed_on date;

-- `sochi filed` records the day as an incident update {"filed": "YYYY-MM-DD"}
-- (sql/functions/sochi_incident_filed.sql).
create trigger event_incident_filed after insert on event
    for each row when (new.kind = 'incident' and new.data ? 'filed')
    execute function sochi_incident_filed();
