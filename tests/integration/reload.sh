#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# SIGHUP reloads in full: every key the config table marks reloadable takes
# effect in both processes (here [report] company, in the drafter's next
# automatic draft), the log names exactly what changed and what waits for a
# restart, and a bad file or a tokens file others may read keeps the
# running configuration.
. "$(dirname "$0")/lib.sh"
sb_up
log=$SOCHI_SANDBOX_DIR/sochid.log
pid=$(sochid_pid)

# draft_of CODE: the body of its automatic 詳報 (text), once the drafter made it.
draft_of() {
	wait_for 30 "[ \"\$(sql \"select count(*) from draft d join incident i on i.id = d.incident_id where i.code = '$1' and d.trigger = 'recovery' and d.format = 'text'\")\" = 1 ]" ||
		fail "no 詳報 for $1: $(tail -n 5 "$log")"
	sql "select d.body from draft d join incident i on i.id = d.incident_id where i.code = '$1' and d.trigger = 'recovery' and d.format = 'text'"
}
# recovered TITLE: an incident whose impact recovered (so the drafter drafts).
recovered() {
	local inc
	inc=$("$SOCHI" open "$1" --category 5)
	"$SOCHI" impact start x 不可 --users 40000 --at -4h -i "$inc" >/dev/null
	"$SOCHI" impact recover x --at -1h -i "$inc" >/dev/null
	echo "$inc"
}
hup() { # hup WHAT-TO-WAIT-FOR: SIGHUP, then wait for that line in the log
	local n; n=$(grep -c "$1" "$log" || true)
	kill -HUP "$pid"
	wait_for 20 "[ \$(grep -c \"$1\" \"$log\" || true) -gt $n ]" || fail "no \"$1\" after SIGHUP: $(tail -n 5 "$log")"
}

expect_match "the draft before" "$(draft_of "$(recovered 前)")" "○○株式会社"

old_tcp=$(sed -n 's/^listen_tcp = //p' "$SOCHI_CONFIG")
sed -i 's/^company = .*/company = 改名通信株式会社/; s/^listen_tcp = .*/listen_tcp = 127.0.0.1:1/' "$SOCHI_CONFIG"
hup "sochid drafter: info: reloaded"
expect_match "what the reload says" "$(grep "reload: " "$log" | tail -n 1)" \
	'sochid: info: reload: changed \[report\] company; restart needed for listen_tcp$'
inc=$(recovered 後)
body=$(draft_of "$inc")
expect_match "the drafter's next draft" "$body" "改名通信株式会社"
grep -q "○○株式会社" <<<"$body" && fail "the old company is still in the draft"
expect_match "sochi report agrees" "$("$SOCHI" report -i "$inc")" "改名通信株式会社"
# listen_tcp needs a restart: the running listener stays where it was.
(exec 3<>"/dev/tcp/${old_tcp%:*}/${old_tcp#*:}") 2>/dev/null || fail "the TCP listener moved without a restart"
pass "SIGHUP: [report] company reaches the drafter's next draft; listen_tcp waits for a restart, and the log says both"

# A key still waiting for a restart is said again; once back, nothing is.
hup "reload: restart needed for listen_tcp$"
sed -i "s/^listen_tcp = .*/listen_tcp = $old_tcp/" "$SOCHI_CONFIG"
hup "reload: .*nothing changed"
pass "a reload that changes nothing says so"

# A bad file keeps the running configuration, in both processes.
cp "$SOCHI_CONFIG" "$T/good.conf"
printf '[sochid]\nbogus = 1\n' >>"$SOCHI_CONFIG"
sed -i 's/^company = .*/company = 誤読通信株式会社/' "$SOCHI_CONFIG"
hup "reload failed"
expect_match "its message" "$(grep "reload failed" "$log" | tail -n 1)" \
	'reload failed, keeping the running configuration: .*sochid.conf:[0-9]+: \[sochid\] bogus: unknown key$'
# (The CLI reads the file too, and would refuse it: it reads the copy.)
body=$(draft_of "$(SOCHI_CONFIG=$T/good.conf recovered 誤読)")
expect_match "the draft after a bad file" "$body" "改名通信株式会社"
grep -q "誤読通信株式会社" <<<"$body" && fail "a bad file's company reached the drafter"
pass "a file that does not parse keeps the running configuration (the drafter's too)"

# A tokens file others may read is refused on reload as at start.
cp "$T/good.conf" "$SOCHI_CONFIG"
chmod 644 "$SOCHI_SANDBOX_DIR/tokens"
hup "reload failed"
expect_match "its message" "$(grep "reload failed" "$log" | tail -n 1)" \
	"tokens_file $SOCHI_SANDBOX_DIR/tokens: others may read it \(mode 0644\)"
code=$(curl -sS -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $SOCHI_TOKEN" \
	--data-binary "{\"kind\":\"action\",\"incident\":\"$inc\",\"at\":\"2026-11-20T12:00:00+09:00\",\"text\":\"x\"}" "$SOCHI_HTTP/v1/events")
expect_eq "the token still works" "$code" 200
chmod 600 "$SOCHI_SANDBOX_DIR/tokens"
pass "a tokens file others may read is refused on reload; the running tokens stay"
