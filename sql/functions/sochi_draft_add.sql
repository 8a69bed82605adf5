-- SPDX-License-Identifier: MIT
-- sochi_draft_add stores one version of a draft in every format given and
-- answers its version number (0 for the 速報, 1, 2, ... for the 詳報), or
-- null when a draft of that trigger already exists (made by this daemon
-- earlier or by another one just now).  p_bodies[i] is format i's text, or
-- null when p_data[i] holds its bytes (docx).
create or replace function sochi_draft_add(p_incident bigint, p_trigger text,
                                p_formats text[], p_bodies text[],
                                p_last_event bigint,
                                p_data bytea[] default null)
returns integer
language plpgsql as $fn$
declare
    v_version integer;
begin
    -- One writer of versions at a time per incident.
    perform 1 from incident where id = p_incident for update;
    if p_trigger in ('recovery', 'sokuho') and exists (
        select 1 from draft where incident_id = p_incident
                              and trigger = p_trigger) then
        return null;
    end if;
    -- The 速報 is version 0; the 詳報's versions count from 1.
    if p_trigger = 'sokuho' then
        v_version := 0;
    else
        select coalesce(max(version), 0) + 1 into v_version
        from draft where incident_id = p_incident and version > 0;
    end if;
    insert into draft (incident_id, version, trigger, format, body, data,
                       last_event)
    select p_incident, v_version, p_trigger, f, b, d, p_last_event
    from unnest(p_formats, p_bodies, coalesce(p_data, '{}'::bytea[]))
         as u(f, b, d)
    where f is not null
    on conflict do nothing;
    if not found then
        return null;
    end if;
    return v_version;
end
$fn$;
