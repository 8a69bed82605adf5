-- SPDX-License-Identifier: MIT
-- One row of a batch that needs more than an insert (sochi_rows' plain is
-- false): incident opens, updates and closes; alerts that join or open the
-- incident of their group and start or recover the impact their rule
-- names; actions from syslog, whose incident is found here; corrections
-- (sup) and retractions, checked against what they point at; unattached
-- alerts.  Answers the event's id and incident code,
-- or why it was refused.  A key already stored answers with the stored id
-- and changes nothing, so a resent batch adds nothing twice.
--
-- A data or constraint error in one row refuses that row only: the row's
-- work runs in a subtransaction (rows of this kind are few).
create or replace function sochi_ingest_row(p_ord integer, p_kind text,
    p_incident text, p_at timestamptz, p_src text, p_key text, p_actor text,
    p_phase text, p_txt text, p_rec_by text, p_sup bigint, p_data jsonb,
    p_grp text, p_open jsonb, p_imp jsonb, p_own boolean, p_at_given boolean,
    p_tz text, out o_id bigint, out o_code text, out o_err text)
language plpgsql as $fn$
declare
    v_inc    bigint;
    v_code   text;
    v_state  text;
    v_given  boolean;
    v_target record;
    v_find   text;
    v_host   text;
    v_open   bigint;
begin
    -- A retry: the stored event answers, unless the sender's own key
    -- names a different event (sochi_ingest_plain says what is compared).
    select e.id, i.code,
           not p_own
           or (e.kind = p_kind
               and (p_kind = 'incident' or i.code is not distinct from p_incident
                    or p_grp is not null)
               and (not p_at_given or e.occurred_at = p_at)
               and e.actor is not distinct from p_actor
               and e.phase is not distinct from p_phase
               and e.text is not distinct from p_txt
               and e.data = p_data
               and e.supersedes is not distinct from p_sup)
    into o_id, o_code, v_given
    from event e left join incident i on i.id = e.incident_id
    where e.source = p_src and e.source_key = p_key;
    if found then
        if not v_given then
            o_err := format('key already used for a different event (id %s)',
                            o_id);
            o_id := null;
            o_code := null;
        end if;
        return;
    end if;

    begin
        if p_kind = 'incident' and p_data->>'op' = 'open' then
            v_code := p_data->>'code';
            v_given := v_code is not null;
            loop
                if not v_given then
                    v_code := sochi_incident_code(p_at, p_tz);
                end if;
                insert into incident as i (code, title, service, category,
                                           location, equipment, opened_at)
                values (v_code, p_data->>'title', p_data->>'service',
                        (p_data->>'category')::smallint,
                        p_data->>'location', p_data->>'equipment', p_at)
                on conflict (code) do nothing
                returning i.id into v_inc;
                exit when v_inc is not null;
                if v_given then
                    o_err := format('code: incident "%s" already exists',
                                    v_code);
                    return;
                end if;
                -- A carrier's code took the number meanwhile: the next one.
            end loop;
        elsif p_kind = 'incident' then
            select i.id, i.state into v_inc, v_state
            from incident i where i.code = p_incident for update;
            if v_inc is null then
                o_err := format('incident: no incident "%s"', p_incident);
                return;
            end if;
            v_code := p_incident;
            if p_data->>'op' = 'close' then
                if v_state = 'closed' then
                    o_err := format('incident: "%s" is already closed',
                                    v_code);
                    return;
                end if;
                update incident set state = 'closed', closed_at = p_at
                where incident.id = v_inc;
            else
                update incident set
                    title = coalesce(p_data->>'title', title),
                    service = coalesce(p_data->>'service', service),
                    category = coalesce((p_data->>'category')::smallint,
                                        category),
                    location = coalesce(p_data->>'location', location),
                    equipment = coalesce(p_data->>'equipment', equipment)
                where incident.id = v_inc;
            end if;
        else
            v_code := p_incident;
            -- An action from syslog (lib/syslog_rule.c) says how its
            -- incident is found, in the order to try: "host=NAME", the open
            -- incident whose equipment is that host or that has an alert
            -- labelled with it (host, hostname, or instance without its
            -- port; the latest opened if several), and "single", the only
            -- open incident.  None found: the line is refused.
            if v_code is null and p_grp is not null and p_kind = 'action' then
                foreach v_find in array string_to_array(p_grp, ' ') loop
                    if v_find like 'host=_%' then
                        v_host := lower(substr(v_find, 6));
                        select i.code into v_code from incident i
                        where i.state = 'open'
                          and (lower(btrim(i.equipment)) = v_host
                               or exists (
                                   select 1 from event a
                                   where a.incident_id = i.id
                                     and a.kind = 'alert'
                                     and v_host in (
                                         lower(a.data->'labels'->>'host'),
                                         lower(a.data->'labels'->>'hostname'),
                                         lower(regexp_replace(
                                             a.data->'labels'->>'instance',
                                             ':[0-9]+$', '')))))
                        order by i.opened_at desc, i.id desc
                        limit 1;
                    elsif v_find = 'single' then
                        select min(i.code), count(*) into v_code, v_open
                        from incident i where i.state = 'open';
                        if v_open <> 1 then
                            v_code := null;
                        end if;
                    end if;
                    exit when v_code is not null;
                end loop;
                if v_code is null then
                    o_err := format('incident: no open incident found by %s',
                                    replace(p_grp, ' ', ' or '));
                    return;
                end if;
            end if;
            -- An alert of a group joins the open incident of that group; a
            -- firing one whose rule says so opens it.  The partial unique
            -- index on open incidents' group_key decides between daemons.
            if v_code is null and p_grp is not null then
                select i.code into v_code from incident i
                where i.group_key = p_grp and i.state = 'open';
                if v_code is null and p_open is not null
                   and p_data->>'status' = 'firing' then
                    loop
                        v_code := sochi_incident_code(p_at, p_tz);
                        begin
                            insert into incident as i (code, title, service,
                                                       category, opened_at,
                                                       group_key)
                            values (v_code, p_open->>'title',
                                    p_open->>'service',
                                    (p_open->>'category')::smallint, p_at,
                                    p_grp)
                            on conflict (group_key) where state = 'open'
                                and group_key is not null do nothing
                            returning i.id into v_inc;
                        exception when unique_violation then
                            -- The code was taken meanwhile: the next one.
                            continue;
                        end;
                        exit;
                    end loop;
                    if v_inc is null then
                        select i.code into v_code from incident i
                        where i.group_key = p_grp and i.state = 'open';
                    else
                        insert into event (incident_id, source, source_key,
                                           kind, occurred_at, actor, data,
                                           recorded_by)
                        values (v_inc, p_src, p_key || ':open', 'incident',
                                p_at, p_actor,
                                p_open || jsonb_build_object('op', 'open',
                                                             'group', p_grp),
                                p_rec_by)
                        on conflict (source, source_key) do nothing;
                    end if;
                end if;
            end if;
            if v_code is not null then
                select i.id into v_inc from incident i where i.code = v_code;
                if v_inc is null then
                    o_err := format('incident: no incident "%s"', v_code);
                    return;
                end if;
            end if;
            if p_sup is not null then
                select e.id, e.incident_id, e.kind into v_target
                from event e where e.id = p_sup;
                if v_target.id is null then
                    o_err := format('supersedes: no event %s', p_sup);
                    return;
                end if;
                -- An unattached alert is attached by an alert superseding it.
                if v_target.incident_id is distinct from v_inc
                   and not (v_target.kind = 'alert'
                            and v_target.incident_id is null) then
                    o_err := format('supersedes: event %s belongs to %s, not to %s',
                                    p_sup,
                                    coalesce((select i.code from incident i
                                              where i.id = v_target.incident_id),
                                             'no incident'),
                                    coalesce(v_code, 'no incident'));
                    return;
                end if;
                if v_target.kind <> p_kind then
                    o_err := format('supersedes: event %s is a %s, not a %s',
                                    p_sup, v_target.kind, p_kind);
                    return;
                end if;
            end if;
            if p_kind = 'retract' then
                select e.id, e.incident_id, e.kind into v_target
                from event e where e.id = (p_data->>'target')::bigint;
                if v_target.id is null then
                    o_err := format('target: no event %s', p_data->>'target');
                    return;
                end if;
                if v_target.incident_id is distinct from v_inc then
                    o_err := format('target: event %s belongs to %s, not to %s',
                                    p_data->>'target',
                                    coalesce((select i.code from incident i
                                              where i.id = v_target.incident_id),
                                             'no incident'),
                                    coalesce(v_code, 'no incident'));
                    return;
                end if;
                if v_target.kind in ('retract', 'incident') then
                    o_err := format('target: event %s is a %s and cannot be retracted',
                                    p_data->>'target', v_target.kind);
                    return;
                end if;
                if exists (select 1 from event x
                           where x.kind = 'retract'
                             and (x.data->>'target')::bigint = v_target.id) then
                    o_err := format('target: event %s is already retracted',
                                    p_data->>'target');
                    return;
                end if;
            end if;
        end if;

        insert into event as e (incident_id, source, source_key, kind,
                                occurred_at, actor, phase, text, data,
                                recorded_by, supersedes)
        values (v_inc, p_src, p_key, p_kind, p_at, p_actor, p_phase, p_txt,
                p_data, p_rec_by, p_sup)
        on conflict (source, source_key) do nothing
        returning e.id into o_id;
        if o_id is null then
            -- Stored by another transaction meanwhile: that one answers.
            select e.id into o_id from event e
            where e.source = p_src and e.source_key = p_key;
        end if;
        o_code := v_code;
        if v_code is not null then
            perform pg_notify('sochi_incident', v_code);
        end if;

        -- An alert whose rule names an impact starts or recovers it.  The
        -- impact records which alert moved it ("alert"): when several alerts
        -- hold one impact, it recovers when the last of them resolves.
        if p_kind = 'alert' and p_imp is not null and v_inc is not null then
            insert into event (incident_id, source, source_key, kind,
                               occurred_at, actor, data, recorded_by)
            values (v_inc, p_src, p_key || ':impact', 'impact', p_at, p_actor,
                    jsonb_build_object('op', p_imp->>'op',
                                       'name', p_imp->>'name',
                                       'alert', p_data->>'fingerprint')
                    || case when p_imp->>'op' = 'start'
                            then jsonb_build_object('label', p_imp->>'label')
                            else '{}'::jsonb end,
                    p_rec_by)
            on conflict (source, source_key) do nothing;
        end if;
    exception when data_exception or integrity_constraint_violation then
        o_id := null;
        o_code := null;
        o_err := sqlerrm;
    end;
end
$fn$;
