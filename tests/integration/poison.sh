#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# One row the database refuses refuses that row only: a line PostgreSQL
# turns down (here a CHECK constraint the validator knows nothing of, as a
# carrier's own constraint or a newer server would be) among 1,000 good
# lines from other connections comes back with its own error; every other
# line is stored.  The writer splits the batch until it finds the row.
. "$(dirname "$0")/lib.sh"
sb_up
inc=$(open_incident "poison")
sql "alter table event add constraint poison_test check (text is distinct from 'poison')"

"$LOADGEN" --unix "$SOCHI_SOCKET" --incident "$inc" -c 4 -n 250 -w 64 \
	--key-prefix good -q >"$T/good" 2>&1 &
gen=$!
poisoned=$(printf '%s\n' \
	"{\"kind\":\"action\",\"incident\":\"$inc\",\"at\":\"2026-11-20T12:00:00+09:00\",\"text\":\"fine before\"}" \
	"{\"kind\":\"action\",\"incident\":\"$inc\",\"at\":\"2026-11-20T12:00:00+09:00\",\"text\":\"poison\"}" \
	"{\"kind\":\"action\",\"incident\":\"$inc\",\"at\":\"2026-11-20T12:00:00+09:00\",\"text\":\"fine after\"}" | "$SOCHI" send || true)
wait $gen || fail "the good lines: $(cat "$T/good")"
expect_match "good lines" "$(cat "$T/good")" "ok 1000 refused 0 unexpected 0"
expect_match "line before" "$(sed -n 1p <<<"$poisoned")" '^\{"ok":true'
expect_match "the poisoned line" "$(sed -n 2p <<<"$poisoned")" '^\{"ok":false,"error":"database error: new row for relation \\"event\\" violates check constraint \\"poison_test\\"","line":2\}$'
expect_match "line after" "$(sed -n 3p <<<"$poisoned")" '^\{"ok":true'
expect_eq "stored" "$(sql "select count(*) from event where incident_id = (select id from incident where code = '$inc') and kind = 'action'")" 1002
pass "one line the database refuses among 1,000 others: only it is refused, with the database's reason"

# In a batch of its own (an HTTP array is all or nothing) it refuses the batch.
code=$(curl -s -o "$T/body" -w '%{http_code}' -H "Authorization: Bearer $SOCHI_TOKEN" \
	-d "[{\"kind\":\"action\",\"incident\":\"$inc\",\"at\":\"2026-11-20T12:00:00+09:00\",\"text\":\"a\"},{\"kind\":\"action\",\"incident\":\"$inc\",\"at\":\"2026-11-20T12:00:00+09:00\",\"text\":\"poison\"}]" \
	"$SOCHI_HTTP/v1/events")
expect_eq "an array with the row" "$code" 400
expect_match "its reason" "$(cat "$T/body")" 'violates check constraint'
expect_eq "nothing of it stored" "$(sql "select count(*) from event where text = 'a'")" 0
pass "an array holding such a row is refused whole, 400"
