-- SPDX-License-Identifier: MIT
-- sochi schema, version 2: monitoring alerts correlated into incidents
-- (sql/functions/sochi_ingest_row.sql reads the members grp, open and imp
-- that sochid's webhook endpoints write).  Unattached alerts are listed by
-- `sochi alerts --unattached`.

create index if not exists event_alert_unattached on event (id)
    where kind = 'alert' and incident_id is null;
