#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Who wrote what: `sochi timeline --who` shows under each entry the event's
# source and, for a local sender, the login name of the uid sochid saw on
# the socket, so that a free-text actor can be checked against who really
# sent it; the JSON report carries source and recorded_by per entry.
. "$(dirname "$0")/lib.sh"
sb_up
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root to send as other uids"; exit 77; }
inc=$(open_incident "who")
me=$(id -un)
nob=$(id -u nobody)
# A uid with no account on this machine (setpriv takes any number).
ghost=4242
while getent passwd "$ghost" >/dev/null; do ghost=$((ghost + 1)); done

"$SOCHI" log -i "$inc" --at "2026-11-20 12:00" --actor 山田 ルータを再起動 >/dev/null ||
	fail "root's action"
runuser -u nobody -- env SOCHI_CONFIG=/dev/null "$SOCHI" --socket "$SOCHI_SOCKET" \
	log -i "$inc" --at "2026-11-20 12:05" --actor 山田 設定を戻した >/dev/null ||
	fail "nobody's action"
setpriv --reuid="$ghost" --regid="$ghost" --clear-groups -- env SOCHI_CONFIG=/dev/null \
	"$SOCHI" --socket "$SOCHI_SOCKET" log -i "$inc" --at "2026-11-20 12:10" \
	--actor 山田 切り戻しを確認 >/dev/null || fail "uid $ghost's action"
code=$(curl -s -o "$T/body" -w '%{http_code}' -H "Authorization: Bearer $SOCHI_TOKEN" \
	-d "{\"kind\":\"action\",\"incident\":\"$inc\",\"at\":\"2026-11-20T12:15:00+09:00\",\"text\":\"監視で正常を確認\",\"actor\":\"山田\",\"key\":\"who-1\"}" \
	"$SOCHI_HTTP/v1/events")
expect_eq "HTTP" "$code" 200

"$SOCHI" timeline -i "$inc" --who >"$T/who" || fail "timeline --who"
"$SOCHI" timeline -i "$inc" >"$T/plain" || fail "timeline"
{
	# The default phase's heading, if it has one, as the plain block shows it.
	head -n 1 "$T/plain" | grep '^（' || true
	cat <<WANT
11/20 12:00 ルータを再起動
　〔送信元：local:0　記録者：$me (uid 0)〕
12:05 設定を戻した
　〔送信元：local:$nob　記録者：nobody (uid $nob)〕
12:10 切り戻しを確認
　〔送信元：local:$ghost　記録者：uid $ghost（この機械にその uid の利用者なし）〕
12:15 監視で正常を確認
　〔送信元：sandbox〕
【対応者：山田】
WANT
} >"$T/want"
diff -u "$T/want" "$T/who" || fail "timeline --who differs"
expect_eq "without --who" "$(grep -c 送信元 "$T/plain" || true)" 0
pass "timeline --who: one 山田, three local users and a token, each named"

"$SOCHI" report -i "$inc" --format json >"$T/report.json" || fail "report --format json"
got=$(python3 -c '
import json, sys
for e in json.load(open(sys.argv[1]))["timeline"]:
    print(e["text"], e["actor"], e["source"], e["recorded_by"])
' "$T/report.json")
want="ルータを再起動 山田 local:0 0
設定を戻した 山田 local:$nob $nob
切り戻しを確認 山田 local:$ghost $ghost
監視で正常を確認 山田 sandbox None"
expect_eq "the JSON report's entries" "$got" "$want"
pass "the JSON report carries source and recorded_by per entry"

rc=0; "$SOCHI" timeline -i "$inc" --who --format csv >/dev/null 2>"$T/err" || rc=$?
expect_eq "--who with csv" "$rc" 2
expect_match "its message" "$(cat "$T/err")" "--who goes with the block"
pass "--who with --format csv is refused"
