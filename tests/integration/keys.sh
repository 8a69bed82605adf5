#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Idempotency keys are private and mean one event: every local user is a
# source of its own (local:UID), so one user's keys can neither take nor
# answer another's; a key the sender chose that is already stored for a
# different event is refused, naming it; a plain resend answers the same id;
# the CLI makes a random key for every event it sends.
. "$(dirname "$0")/lib.sh"
sb_up
inc=$(open_incident "keys")
act() { echo "{\"kind\":\"action\",\"incident\":\"$inc\",\"at\":\"${3:-2026-11-20T12:00:00+09:00}\",\"text\":\"$2\",\"key\":\"$1\"}"; }

first=$(ndjson "$(act k1 "first")")
expect_match "a new key" "$first" '^\{"ok":true,"id":[0-9]+'
id1=$(sed -n 's/.*"id":\([0-9]*\).*/\1/p' <<<"$first")
expect_match "the same event again" "$(ndjson "$(act k1 "first")")" "^\\{\"ok\":true,\"id\":$id1,"
rc=0; out=$(ndjson "$(act k1 "something else")") || rc=$?
expect_eq "exit status" "$rc" 1
expect_eq "the same key, another event" "$out" "{\"ok\":false,\"error\":\"key already used for a different event (id $id1)\",\"line\":1}"
rc=0; out=$(ndjson "$(act k1 "first" 2026-11-20T12:05:00+09:00)") || rc=$?
expect_match "another time" "$out" "key already used for a different event \\(id $id1\\)"
code=$(curl -s -o "$T/body" -w '%{http_code}' -H "Authorization: Bearer $SOCHI_TOKEN" -d "$(act h1 "over http")" "$SOCHI_HTTP/v1/events")
expect_eq "HTTP, a new key" "$code" 200
code=$(curl -s -o "$T/body" -w '%{http_code}' -H "Authorization: Bearer $SOCHI_TOKEN" -d "$(act h1 "not the same")" "$SOCHI_HTTP/v1/events")
expect_eq "HTTP, the key again for another event" "$code" 400
expect_match "its reason" "$(cat "$T/body")" 'key already used for a different event'
# Without a time of its own, an event's time is when sochid took it: a
# resend is the same event.
users="{\"kind\":\"users\",\"incident\":\"$inc\",\"count\":5,\"key\":\"u1\"}"
a=$(ndjson "$users"); b=$(ndjson "$users")
expect_eq "a resend without a time" "$(sed 's/"id":\([0-9]*\).*/\1/' <<<"$b")" "$(sed 's/"id":\([0-9]*\).*/\1/' <<<"$a")"
pass "a key is one event: a resend answers its id, another event with it is refused, naming the stored one"

expect_eq "source of a local sender" "$(sql "select source from event where id = $id1")" "local:$(id -u)"
if id nobody >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
	nob=$(id -u nobody)
	# nobody plants the key root is about to use...
	out=$(runuser -u nobody -- env SOCHI_CONFIG=/dev/null "$SOCHI" --socket "$SOCHI_SOCKET" send <<<"$(act planted "nobody's")")
	expect_match "nobody's event" "$out" '"ok":true'
	# ... and root's event with that key is root's own.
	out=$(ndjson "$(act planted "root's")")
	expect_match "root's event" "$out" '"ok":true'
	expect_eq "both stored" "$(sql "select string_agg(source || '=' || text, ' ' order by source) from event where source_key = 'planted'")" "local:0=root's local:$nob=nobody's"
	pass "local users' keys are their own: nobody's key does not answer root's event"
fi

# One key twice in one send (one batch, as a rule): one event, one id.
out=$(ndjson "$(act twice "twice")" "$(act twice "twice")")
expect_eq "two answers" "$(wc -l <<<"$out")" 2
expect_match "the first" "$(sed -n 1p <<<"$out")" '^\{"ok":true,"id":[0-9]+'
expect_eq "the same id twice" "$(sed -n 2p <<<"$out" | sed 's/"id":\([0-9]*\).*/\1/')" "$(sed -n 1p <<<"$out" | sed 's/"id":\([0-9]*\).*/\1/')"
expect_eq "stored once" "$(sql "select count(*) from event where source_key = 'twice'")" 1
pass "a key twice in one batch is one event"

# The CLI's keys: random, 128 bits, one per event.
"$SOCHI" log -i "$inc" --at -1m 同じ文 >/dev/null
"$SOCHI" log -i "$inc" --at -1m 同じ文 >/dev/null
expect_eq "two commands, two events" "$(sql "select count(distinct source_key) from event where text = '同じ文'")" 2
sql "select source_key from event where text = '同じ文'" | while read -r k; do
	expect_match "a CLI key" "$k" '^cli-[0-9a-f]{32}$'
done
pass "the CLI sends every event with a random 128-bit key"

# A key that another transaction stores while the statement waits for it:
# the statement's snapshot cannot see that row, so the function reads it
# again and answers its id.  Transaction A stores r1 and waits on an
# advisory lock this test holds; B sends r0, stored before (so its first,
# plain INSERT fails and the statement that skips stored keys runs), then
# r1, and waits for A; A commits once B is seen waiting.
plain() { # KEY...: sochi_ingest_plain for one action a key, the sender's keys
	local k keys= kinds= incs= ats= srcs= nulls= texts= datas= trues=
	for k in "$@"; do
		keys+=",'$k'" kinds+=",'action'" incs+=",'$inc'" srcs+=",'race'"
		ats+=",'2026-11-20T12:00:00+09:00'" nulls+=",null" texts+=",'same'"
		datas+=",'{}'" trues+=",true"
	done
	echo "select id, coalesce(err, '-') from sochi_ingest_plain(
	    array[${kinds#,}], array[${incs#,}], array[${ats#,}]::timestamptz[],
	    array[${srcs#,}], array[${keys#,}], array[${nulls#,}]::text[],
	    array[${nulls#,}]::text[], array[${texts#,}], array[${nulls#,}]::text[],
	    array[${datas#,}]::jsonb[], array[${trues#,}], array[${trues#,}], false)"
}
id0=$(sql "$(plain r0)" | sed 's/|.*//')
mkfifo "$T/hold"
psql -X -q -At <"$T/hold" >/dev/null &
holder=$!
exec 7>"$T/hold"
echo "select pg_advisory_lock(4242);" >&7
wait_for 10 '[ "$(sql "select count(*) from pg_locks where locktype = '\''advisory'\'' and objid = 4242 and granted")" = 1 ]' ||
	fail "the test could not take its advisory lock"
psql -X -q -At -v ON_ERROR_STOP=1 >"$T/race_a" 2>&1 <<SQL &
begin;
$(plain r1);
select pg_advisory_lock(4242);
commit;
SQL
ra=$!
wait_for 10 '[ "$(sql "select count(*) from pg_locks where locktype = '\''advisory'\'' and objid = 4242 and not granted")" = 1 ]' ||
	fail "transaction A did not reach its lock: $(cat "$T/race_a")"
psql -X -q -At -v ON_ERROR_STOP=1 -c "$(plain r0 r1)" >"$T/race_b" 2>&1 &
rb=$!
wait_for 10 '[ "$(sql "select count(*) from pg_stat_activity where wait_event = '\''transactionid'\''")" = 1 ]' ||
	fail "B did not wait for A: $(cat "$T/race_b")"
echo "select pg_advisory_unlock(4242);" >&7
exec 7>&-
wait "$ra" || fail "transaction A: $(cat "$T/race_a")"
wait "$rb" || fail "B: $(cat "$T/race_b")"
wait "$holder" || true
ida=$(sed -n '1s/|.*//p' "$T/race_a")
expect_match "A's answer" "$(head -1 "$T/race_a")" '^[0-9]+\|-$'
expect_eq "B's answers: r0's id, A's id" "$(cat "$T/race_b" | paste -sd' ')" "$id0|- $ida|-"
expect_eq "stored once" "$(sql "select count(*) from event where source = 'race' and source_key = 'r1'")" 1
pass "a key stored by another transaction while the statement waited answers that transaction's id"
