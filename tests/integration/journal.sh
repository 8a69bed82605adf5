#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# While the database is away, events are kept in the journal and their
# senders answered at once: "journaled" on the socket (the CLI says so),
# 202 over HTTP; /healthz says how many and how old.  When the database is
# back they are stored exactly once, in order, and the journal is emptied.
# A record cut short by a crash is dropped; a journal at journal_max_bytes
# refuses clearly; a journaled event the database then refuses is kept
# aside in journal.rejected, not lost.
. "$(dirname "$0")/lib.sh"
sb_up
inc=$("$SOCHI" open ジャーナル --category 5)
journal=$SOCHI_SANDBOX_DIR/state/journal
sandbox down --postgres

out=$("$SOCHI" log -i "$inc" --at -3m 停止中の作業1)
expect_eq "sochi log" "$out" "recorded (journaled: the database is away; it will be stored when it is back)"
"$SOCHI" log -i "$inc" --at -2m 停止中の作業2 >/dev/null
code=$(curl -s -o "$T/body" -w '%{http_code}' -H "Authorization: Bearer $SOCHI_TOKEN" \
	-d "{\"kind\":\"action\",\"incident\":\"$inc\",\"at\":\"$(date -d -1min +%Y-%m-%dT%H:%M:%S%:z)\",\"text\":\"停止中の作業3\"}" "$SOCHI_HTTP/v1/events")
expect_eq "HTTP while away" "$code" 202
expect_eq "its body" "$(cat "$T/body")" '{"ok":true,"journaled":true}'
health=$(curl -s "$SOCHI_HTTP/healthz")
expect_match "healthz while journaling" "$health" '"journaling":true,"journal_events":3,'
grep -q "journaling: the database is unreachable" "$SOCHI_SANDBOX_DIR/sochid.log" || fail "journaling was not logged"
[ -s "$journal" ] || fail "no journal file"
pass "with PostgreSQL stopped: sochi log says journaled, HTTP 202, healthz counts 3"

eval "$(sandbox up)"
wait_for 60 '[ "$(sql "select count(*) from event where text like '"'"'停止中の作業%'"'"'")" = 3 ]' ||
	fail "not stored after the database came back"
expect_eq "in order, once" "$(sql "select string_agg(text, ' ' order by id) from event where text like '停止中の作業%'")" "停止中の作業1 停止中の作業2 停止中の作業3"
wait_for 30 '[ ! -s "$journal" ]' || fail "the journal was not emptied"
wait_for 30 'curl -s "$SOCHI_HTTP/healthz" | grep -q "\"journaling\":false"' || fail "still journaling"
expect_match "new events" "$("$SOCHI" log -i "$inc" --at -1m 復旧後)" '^recorded event [0-9]+'
pass "once PostgreSQL is back the three are stored once, in order; the journal is empty"

# A torn last record (the crash came in the middle of writing it).
sandbox down --postgres
"$SOCHI" log -i "$inc" --at -1m 裂ける前 >/dev/null
sandbox down --sochid
printf '\x40\x00\x00\x00torn' >>"$journal"
eval "$(sandbox up)"
grep -q "journal: .*dropping 8 bytes at .*a record cut short" "$SOCHI_SANDBOX_DIR/sochid.log" || fail "the torn record was not reported"
wait_for 60 '[ "$(sql "select count(*) from event where text = '"'"'裂ける前'"'"'")" = 1 ]' || fail "the record before the torn one was lost"
pass "a torn last record is dropped; the one before it is stored"

# A journal at its limit refuses, clearly.
sandbox down --sochid
sed -i 's/^write_timeout = .*/write_timeout = 30\njournal_max_bytes = 1048576/' "$SOCHI_CONFIG"
eval "$(sandbox up)"
sandbox down --postgres
# A journaled event the database will refuse (no such incident).
expect_match "journaled for an unknown incident" "$("$SOCHI" log -i NO-SUCH --at -1m 行き場なし)" "journaled"
big=$(head -c 60000 /dev/zero | tr '\0' 'x')
for i in $(seq 1 25); do
	printf '{"kind":"action","incident":"%s","at":"2026-11-20T12:00:00+09:00","text":"%s","key":"full-%d"}\n' "$inc" "$big" "$i"
done >"$T/big.ndjson"
"$SOCHI" send <"$T/big.ndjson" >"$T/big.out" || true
ok=$(grep -c '"journaled":true' "$T/big.out" || true)
full=$(grep -c 'the journal is full (journal_max_bytes 1048576)' "$T/big.out" || true)
echo "journal at 1 MiB: $ok journaled, $full refused"
[ "$ok" -ge 10 ] && [ "$full" -ge 1 ] && [ $((ok + full)) = 25 ] || fail "journaled $ok, refused $full: $(head -c 300 "$T/big.out")"
eval "$(sandbox up)"
wait_for 60 '[ "$(sql "select count(*) from event where source_key like '"'"'full-%'"'"'")" = '"$ok"' ]' || fail "the journaled ones were not all stored"
wait_for 30 'grep -q "行き場なし" "$SOCHI_SANDBOX_DIR/state/journal.rejected" 2>/dev/null' || fail "the refused event is not in journal.rejected"
grep -q 'was refused when stored from the journal: incident: no incident \\"NO-SUCH\\"' "$SOCHI_SANDBOX_DIR/sochid.log" ||
	grep -q 'was refused when stored from the journal: incident: no incident "NO-SUCH"' "$SOCHI_SANDBOX_DIR/sochid.log" || fail "the refusal was not logged"
pass "a full journal refuses with journal_max_bytes; $ok journaled are stored; one refused on replay is kept aside"
