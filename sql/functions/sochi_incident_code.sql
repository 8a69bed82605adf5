-- SPDX-License-Identifier: MIT
-- The next automatic incident code for the year of p_at in the carrier's
-- zone: YYYY-NNNN, with as many digits as the number needs past 9999.  The
-- per-year counter row (incident_code_seq) is locked by the update, so
-- several daemons never hand out one number; a number already taken by a
-- carrier's own code is skipped.
create or replace function sochi_incident_code(p_at timestamptz, p_tz text)
returns text
language plpgsql as $fn$
declare
    v_year integer := extract(year from p_at at time zone p_tz);
    v_num  integer;
    v_code text;
begin
    loop
        insert into incident_code_seq as s (year, last)
        values (v_year, 1)
        on conflict (year) do update set last = s.last + 1
        returning s.last into v_num;
        v_code := v_year::text || '-' || lpad(v_num::text,
                                              greatest(4, length(v_num::text)),
                                              '0');
        exit when not exists (select 1 from incident i where i.code = v_code);
    end loop;
    return v_code;
end
$fn$;
