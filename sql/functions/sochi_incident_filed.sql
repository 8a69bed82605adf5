-- SPDX-License-Identifier: MIT
-- `sochi filed` records the day as an incident update {"filed": "YYYY-MM-DD"}.
create or replace function sochi_incident_filed() returns trigger
language plpgsql as $fn$
begin
    update incident set filed_on = (new.data->>'filed')::date
    where id = new.incident_id;
    return null;
end
$fn$;
