#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# 10,000 events on each of the Unix socket, TCP and HTTP; sochid restarted;
# every event is in the database exactly once, and sending all of them again
# answers the same ids and adds no rows.
. "$(dirname "$0")/lib.sh"
sb_up
inc=$(open_incident "restart")

send_all() {
	local tag=$1
	"$LOADGEN" --unix "$SOCHI_SOCKET" --incident "$inc" -c 2 -n 5000 \
		--key-prefix u --ids "$T/u.$tag" -q >"$T/out" || fail "unix: $(cat "$T/out")"
	"$LOADGEN" --tcp "$SOCHI_TCP" --token "$SOCHI_TOKEN" --incident "$inc" -c 2 \
		-n 5000 --key-prefix t --ids "$T/t.$tag" -q >"$T/out" || fail "tcp: $(cat "$T/out")"
	: >"$T/h.$tag"
	for b in $(seq 0 19); do
		awk -v from=$((b * 500)) -v inc="$inc" 'BEGIN { printf "["
			for (i = from; i < from + 500; i++)
				printf "%s{\"kind\":\"action\",\"incident\":\"%s\",\"at\":\"2026-11-20T12:00:00+09:00\",\"text\":\"h%d\",\"key\":\"h-%d\"}", (i > from ? "," : ""), inc, i, i
			printf "]" }' >"$T/b.json"
		code=$(curl -sS -o "$T/body" -w '%{http_code}' -H "Authorization: Bearer $SOCHI_TOKEN" \
			--data-binary "@$T/b.json" "$SOCHI_HTTP/v1/events")
		[ "$code" = 200 ] || fail "http batch $b: $code $(cat "$T/body")"
		grep -o '"id":[0-9]*' "$T/body" >>"$T/h.$tag"
	done
}

send_all 1
pid=$(sochid_pid)
sandbox down --sochid
alive "$pid" && fail "sochid still running"
eval "$(sandbox up)"
[ "$(sochid_pid)" != "$pid" ] || fail "sochid was not restarted"
expect_eq "each once" "$(sql "select count(*), count(distinct (source, source_key)) from event where source_key ~ '^[uth]-'")" "30000|30000"
expect_eq "by transport" "$(sql "select string_agg(source || ':' || n, ' ' order by source) from (select source, count(*) n from event where source_key ~ '^[uth]-' group by source) s")" "local:$(id -u):10000 sandbox:20000"
pass "30,000 events over three transports, sochid restarted, each stored exactly once"

send_all 2
for f in u t h; do
	sort "$T/$f.1" >"$T/a"; sort "$T/$f.2" >"$T/b"
	cmp -s "$T/a" "$T/b" || fail "$f: resent events got other ids"
done
expect_eq "rows after resend" "$(sql "select count(*) from event where source_key ~ '^[uth]-'")" 30000
pass "the same 30,000 again after the restart: the same ids, no new rows"
