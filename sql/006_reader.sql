-- SPDX-License-Identifier: MIT
-- sochi schema, version 6: the role the sochi CLI reads with.
--
-- An engineer's `sochi list`, `timeline`, `report`, `check` (and the other
-- read verbs) read PostgreSQL straight, as the engineer's own database
-- role, never as sochid's.  sochi_reader holds exactly what they read:
-- SELECT on incident, event and draft, and USAGE on the schema they are
-- in.  It cannot log in; an administrator gives an engineer a login that
-- is a member of it:
--
--     create role alice login in role sochi_reader;
--
-- (with peer authentication the engineer's Unix login is that role, and
-- nothing more is needed; otherwise a password in ~/.pgpass).  Writes go
-- through sochid's socket, never to the database: `sochi draft` alone
-- stores a draft itself and needs more (sochid's role, or INSERT on draft).
--
-- Roles belong to the whole cluster, not to this database: another
-- database of the cluster migrated before may have made it already, and an
-- administrator may have made it by hand (sochid's role need not be
-- allowed to create roles).  The grants are this database's own.
do $$
begin
    if not exists (select 1 from pg_roles where rolname = 'sochi_reader') then
        begin
            create role sochi_reader nologin;
        exception when insufficient_privilege then
            raise exception 'cannot create the role sochi_reader: %', sqlerrm
                using hint = 'as a superuser, run "create role sochi_reader '
                    'nologin;" and then sochid --migrate again';
        end;
    end if;
    execute format('grant usage on schema %I to sochi_reader',
        current_schema());
end
$$;

grant select on incident, event, draft to sochi_reader;
