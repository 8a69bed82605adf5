-- SPDX-License-Identifier: MIT
-- sochi schema, version 1: the append-only event log, the incidents it is
-- about and the drafts made from it.  The functions sochid writes through
-- live in sql/functions/, one file each, and are (re)created by
-- `sochid --migrate` around the migrations.

create table if not exists schema_migrations (
    version     integer primary key,
    applied_at  timestamptz not null default now()
);

create table incident (
    id          bigserial primary key,
    code        text not null unique,          -- what people type: 2026-0001
    title       text not null,
    service     text,
    category    smallint check (category between 1 and 5),
    location    text,
    equipment   text,
    opened_at   timestamptz not null,          -- when it was declared in sochi
    closed_at   timestamptz,
    state       text not null default 'open' check (state in ('open', 'closed')),
    group_key   text                           -- ties monitoring alerts to it
);

-- One open incident per alert group, whichever daemon opens it first.
create unique index incident_open_group on incident (group_key)
    where state = 'open' and group_key is not null;

-- The last number handed out per year, for codes YYYY-NNNN.  A row lock
-- here, not daemon memory, keeps several daemons from giving out one code.
create table incident_code_seq (
    year        integer primary key,
    last        integer not null
);

create table event (
    id          bigserial primary key,
    incident_id bigint references incident (id),  -- null: an unattached alert
    source      text not null,                 -- sender: token name, or 'local'
    source_key  text not null,                 -- sender's idempotency key
    kind        text not null check (kind in ('incident', 'action', 'impact',
                    'users', 'notice', 'inquiry', 'note', 'alert', 'retract')),
    occurred_at timestamptz not null,          -- when it happened
    received_at timestamptz not null default now(),
    actor       text,
    phase       text,
    text        text,
    data        jsonb not null default '{}',   -- the kind's own fields
    recorded_by text,                          -- uid of a local sender
    supersedes  bigint references event (id),  -- the event this one corrects
    unique (source, source_key)
);

-- One incident's events in the order they happened.
create index event_incident_time on event (incident_id, occurred_at, id);
create index event_unattached on event (id) where incident_id is null;
create index event_supersedes on event (supersedes) where supersedes is not null;
create index event_retract_target on event (((data->>'target')::bigint))
    where kind = 'retract';

create table draft (
    incident_id  bigint not null references incident (id),
    version      integer not null,
    trigger      text not null,
    generated_at timestamptz not null default now(),
    format       text not null,
    body         text not null,
    primary key (incident_id, version, format)
);
