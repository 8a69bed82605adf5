#!/usr/bin/env bash
# A sender that writes without reading its answers: sochid stops reading
# from it once max_pending requests are unanswered, so its memory stays
# bounded however much the sender pushes.
. "$(dirname "$0")/lib.sh"
sb_up
inc=$(open_incident "back-pressure")
pid=$(sochid_pid)
rss() { awk '/VmRSS/ { print $2 }' "/proc/$pid/status"; }
before=$(rss)

# 300,000 requests (about 45 MB) over TCP, never reading an answer.
host=${SOCHI_TCP%:*} port=${SOCHI_TCP##*:}
(
	exec 3<>"/dev/tcp/$host/$port"
	printf '{"auth":"%s"}\n' "$SOCHI_TOKEN" >&3
	awk -v inc="$inc" 'BEGIN { for (i = 0; i < 300000; i++)
		printf "{\"kind\":\"action\",\"incident\":\"%s\",\"at\":\"2026-11-20T12:00:00+09:00\",\"text\":\"push %d\",\"key\":\"bp-%d\"}\n", inc, i, i }' >&3
) 2>/dev/null &
writer=$!
sleep 4
stored1=$(sql "select count(*) from event where source_key like 'bp-%'")
sleep 1
stored2=$(sql "select count(*) from event where source_key like 'bp-%'")
after=$(rss)
kill $writer 2>/dev/null || true
wait $writer 2>/dev/null || true
echo "stored $stored1 then $stored2; sochid RSS ${before} kB -> ${after} kB"
[ "$stored2" -lt 300000 ] || fail "all 300,000 stored: the sender was never held back"
[ "$stored1" = "$stored2" ] || fail "sochid kept reading from a sender that reads no answers"
# What was stored before the pause is what the kernel's socket buffers could
# hold of the answers, plus max_pending; sochid itself holds little of it.
[ $((after - before)) -lt 20000 ] || fail "sochid grew by $((after - before)) kB"
kill -0 "$pid" || fail "sochid died"
expect_match "still serving others" "$(ndjson "{\"kind\":\"action\",\"incident\":\"$inc\",\"at\":\"2026-11-20T12:00:00+09:00\",\"text\":\"other\"}")" '"ok":true'
pass "a sender that does not read is paused at max_pending; sochid stays small and serves others"
