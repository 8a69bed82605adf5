-- SPDX-License-Identifier: MIT
-- sochi schema, version 5: drafts that are files, not text.
-- A .docx draft (a zip) is kept as what it is, bytes in `data`, with `body`
-- null; a text draft keeps `body` and has no `data`.  Base64 in `body` was
-- the other way: a third larger, and a `body` that a reader of the text
-- formats (sochi diff, the drafts' listings) would take for the report.
-- Written to be run again harmlessly, as 004 is (a version row removed by
-- hand, a half-restored database).
alter table draft add column if not exists data bytea;
alter table draft alter column body drop not null;
alter table draft drop constraint if exists draft_body_or_data;
alter table draft add constraint draft_body_or_data
    check ((body is null) <> (data is null));

-- sochi_draft_add takes the drafts' bytes as a sixth argument (defaulting
-- to none, so that a call with five still works); the function with five
-- arguments would make such a call ambiguous.
drop function if exists sochi_draft_add(bigint, text, text[], text[], bigint);
