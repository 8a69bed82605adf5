-- SPDX-License-Identifier: MIT
-- sochi schema, version 4: the database records which build of the
-- functions in sql/functions/ it holds, so that a daemon connecting to it
-- can tell when they are not its own.  (The functions themselves now live
-- in sql/functions/, one file each, re-created by every `sochid --migrate`.)

create table if not exists schema_functions (
    digest      text not null,                 -- sha256 of sql/functions/*.sql
    applied_at  timestamptz not null default now()
);

-- sochi_ingest takes one array per column now (sql/functions/): the JSON
-- text of version 3 cost more to parse than the insert itself.
drop function if exists sochi_ingest(jsonb, text, boolean);
