#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Secrets apart from settings: the senders' tokens live in tokens_file,
# which sochid refuses when others may read it, and sochid.conf holds no
# secret; [tokens] in sochid.conf is refused saying where it moved.  The
# CLI reads only sochid.conf and the user's own file (XDG_CONFIG_HOME),
# reaches PostgreSQL as the engineer's own role, a member of sochi_reader
# (made by the migrations, read-only), and is told which group to join when
# the socket does not let it write.
. "$(dirname "$0")/lib.sh"

# check_n CONFIG: sochid -n's status and output.
check_n() { local rc=0 out; out=$("$SOCHID" -n -f "$1" 2>&1) || rc=$?; echo "$rc $out"; }

printf 'alertmanager = s3cret-one\n# a comment\nci = s3cret-two\n' >"$T/tokens"
chmod 640 "$T/tokens"
printf '[sochid]\nlisten_http =\ntokens_file = %s\n' "$T/tokens" >"$T/ok.conf"
expect_eq "-n with a tokens file" "$(check_n "$T/ok.conf")" "0 $T/ok.conf: configuration OK"
out=$(SOCHI_CONFIG=$T/ok.conf "$SOCHID" --print-config)
grep -q s3cret <<<"$out" && fail "--print-config shows a secret"
expect_match "tokens masked" "$out" '^tokens.ci = \*+$'
expect_match "its path" "$out" "^sochid.tokens_file = $T/tokens\$"

chmod 644 "$T/tokens"
expect_match "a tokens file others may read" "$(check_n "$T/ok.conf")" \
	"^1 sochid: tokens_file $T/tokens: others may read it \(mode 0644\); it holds secrets, so sochid will not use it: chmod o-rwx $T/tokens"
chmod 642 "$T/tokens"
expect_match "... or write" "$(check_n "$T/ok.conf")" "^1 sochid: tokens_file $T/tokens: others may write it \(mode 0642\)"
chmod 600 "$T/tokens"
printf '[sochid]\ntokens_file = %s/none\n' "$T" >"$T/none.conf"
expect_match "a missing tokens file" "$(check_n "$T/none.conf")" "^1 sochid: tokens_file $T/none: No such file or directory$"
printf 'ci = a\nci = b\n' >"$T/dup"; chmod 600 "$T/dup"
printf '[sochid]\ntokens_file = %s/dup\n' "$T" >"$T/dup.conf"
expect_match "a bad tokens file" "$(check_n "$T/dup.conf")" "^1 sochid: $T/dup:2: ci: given twice$"
printf '[sochid]\nlisten_http =\n\n[tokens]\nalertmanager = s3cret-one\n' >"$T/old.conf"
expect_match "[tokens] in sochid.conf" "$(check_n "$T/old.conf")" \
	"^1 sochid: $T/old.conf:5: \[tokens\] alertmanager: tokens no longer belong in this file, which holds no secret: move each \"name = secret\" line of \[tokens\] to the file tokens_file names \(mode 0640 or stricter\), set tokens_file under \[sochid\], and remove \[tokens\] here$"
printf '[sochid]\ndatabase = host=/tmp password=hunter2\nlisten_tcp =\nlisten_http =\n' >"$T/pw.conf"
out=$(check_n "$T/pw.conf")
expect_match "a password in database is said, not refused" "$out" "^0 sochid: $T/pw.conf: database holds a password"
printf '[sochid]\nlisten_tcp = 127.0.0.1\n' >"$T/notok.conf"
expect_match "listeners without tokens" "$(check_n "$T/notok.conf")" "no tokens \(tokens_file not set\): every sender on TCP and HTTP will be refused"
pass "tokens_file: read apart, refused when others may read or write it; [tokens] in sochid.conf says where it moved"

sb_up
# The sandbox is laid out as a system is: sochid.conf for everyone, no secret in it.
expect_eq "sochid.conf's mode" "$(stat -c %a "$SOCHI_CONFIG")" 644
grep -qF "$SOCHI_TOKEN" "$SOCHI_CONFIG" && fail "the token is in sochid.conf"
expect_eq "the tokens file's mode" "$(stat -c %a "$SOCHI_SANDBOX_DIR/tokens")" 600
code=$(curl -sS -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $SOCHI_TOKEN" \
	--data-binary '{"kind":"incident","op":"open","title":"秘密","code":"SEC-1","at":"2026-11-20T12:00:00+09:00"}' "$SOCHI_HTTP/v1/events")
expect_eq "the token from tokens_file" "$code" 200
"$SOCHI" impact start x 不可 --users 100 --at 2026-11-20T12:00:00+09:00 -i SEC-1 >/dev/null || fail "impact"
pass "the sandbox: sochid.conf 0644 without a secret, the token in a file of its own"

# The CLI's own role: sochi_reader reads, and nothing else.
sql "create role sochi_alice login in role sochi_reader; create role sochi_bob login" >/dev/null
for verb in "list" "timeline -i SEC-1" "report -i SEC-1" "check -i SEC-1" "drafts -i SEC-1" "alerts"; do
	rc=0; out=$(PGUSER=sochi_alice "$SOCHI" $verb 2>&1) || rc=$?
	[ $rc = 0 ] || [ "$verb" = "check -i SEC-1" -a $rc = 1 ] || fail "sochi $verb as a member of sochi_reader: $rc $out"
done
expect_match "list as sochi_alice" "$(PGUSER=sochi_alice "$SOCHI" list)" "SEC-1"
expect_match "report as sochi_alice" "$(PGUSER=sochi_alice "$SOCHI" report -i SEC-1)" "重大な事故報告書"
rc=0; out=$(PGUSER=sochi_bob "$SOCHI" list 2>&1) || rc=$?
expect_eq "list without sochi_reader" "$rc" 2
expect_match "its message" "$out" "permission denied for table incident"
out=$(PGUSER=sochi_alice psql -X -At -c "insert into incident (code, title, opened_at) values ('X', 'x', now())" 2>&1) &&
	fail "sochi_reader may write: $out"
expect_match "sochi_reader cannot write" "$out" "permission denied for table incident"
expect_eq "sochi_reader cannot log in" "$(sql "select rolcanlogin from pg_roles where rolname = 'sochi_reader'")" f
# Roles are the cluster's: another database migrated later finds it there.
createdb other
sed "s/dbname=sochi/dbname=other/" "$SOCHI_CONFIG" >"$T/other.conf"
out=$(PGUSER=sochi "$SOCHID" -f "$T/other.conf" --migrate 2>&1) || fail "migrating a second database: $out"
expect_eq "the grant in the second database" \
	"$(PGUSER=sochi_alice psql -X -At -d other -c 'select count(*) from incident')" 0
pass "sochi list/timeline/report/check as a login in role sochi_reader; without it, permission denied; sochi_reader cannot write or log in; a second database's migration finds the role"

# A user's own file, over sochid.conf or alone.  Run as an unprivileged
# user when this test is root, so that file modes mean something.
chmod 755 "$T"
if [ "$(id -u)" = 0 ]; then
	user=sochi-sandbox
	as_user() { setpriv --reuid="$user" --regid="$(id -g "$user")" --clear-groups "$@"; }
	as_member() { setpriv --reuid="$user" --regid="$(id -g "$user")" --groups="$1" "${@:2}"; }
else
	as_user() { "$@"; }
fi
mkdir -p "$T/xdg/sochi"
printf '[report]\ncompany = 個人設定通信株式会社\n' >"$T/xdg/sochi/sochi.conf"
chmod -R a+rX "$T/xdg"
out=$(as_user env XDG_CONFIG_HOME="$T/xdg" PGUSER=sochi_alice "$SOCHI" report -i SEC-1) || fail "report with the user's file: $out"
expect_match "the user's file over sochid.conf" "$out" "個人設定通信株式会社"
cp "$SOCHI_CONFIG" "$T/closed.conf"; chmod 600 "$T/closed.conf"
if [ "$(id -u)" = 0 ]; then
	rc=0; out=$(as_user env SOCHI_CONFIG="$T/closed.conf" XDG_CONFIG_HOME="$T/none" "$SOCHI" phases 2>&1) || rc=$?
	expect_eq "an unreadable sochid.conf, no file of one's own" "$rc" 2
	expect_match "its message" "$out" "closed.conf: Permission denied \(sochid.conf holds no secret: an administrator may make it readable, chmod 0644; or write your settings in $T/none/sochi/sochi.conf\)"
	out=$(as_user env SOCHI_CONFIG="$T/closed.conf" XDG_CONFIG_HOME="$T/xdg" PGUSER=sochi_alice "$SOCHI" --db "host=$PGHOST dbname=sochi" report -i SEC-1 2>&1) ||
		fail "the user's file alone: $out"
	expect_match "the user's file alone" "$out" "個人設定通信株式会社"
fi
pass "the CLI reads sochid.conf and ~/.config/sochi/sochi.conf (XDG_CONFIG_HOME) over it, or the user's alone"

# The socket: mode 0660 and socket_group; a user outside the group is told
# which group to join.  A second sochid on the same database, with its own.
group=daemon
[ "$(id -u)" = 0 ] || group=$(id -gn)
sed -e "s|^socket = .*|socket = $T/grp.sock|" -e "s/^socket_mode = .*/socket_mode = 0660/" \
	-e "s/^listen_tcp = .*/listen_tcp =/" -e "s/^listen_http = .*/listen_http =/" -e "s/^listen_syslog_tcp = .*/listen_syslog_tcp =/" -e "s/^listen_syslog_udp = .*/listen_syslog_udp =/" \
	-e "s/^\[sochid\]$/[sochid]\nsocket_group = $group/" "$SOCHI_CONFIG" >"$T/grp.conf"
"$SOCHID" -f "$T/grp.conf" >"$T/grp.log" 2>&1 &
extra_pids+=($!)
wait_for 30 'grep -q "ready (pid" "$T/grp.log"' || fail "the second sochid did not start: $(cat "$T/grp.log")"
expect_eq "the socket's mode and group" "$(stat -c '%a %G' "$T/grp.sock")" "660 $group"
line='{"kind":"action","incident":"SEC-1","at":"2026-11-20T12:30:00+09:00","text":"group member"}'
if [ "$(id -u)" = 0 ]; then
	rc=0; out=$(printf '%s\n' "$line" | as_user "$SOCHI" --socket "$T/grp.sock" send 2>&1) || rc=$?
	expect_eq "a user outside the group" "$rc" 2
	expect_match "what the user is told" "$out" \
		"^sochi: cannot write to sochid's socket $T/grp.sock: Permission denied; the socket $T/grp.sock is open to the group daemon \(mode 0660\): ask an administrator to add you to it \(usermod -aG daemon YOUR_LOGIN\), then log in again$"
	out=$(printf '%s\n' "$line" | as_member daemon "$SOCHI" --socket "$T/grp.sock" send 2>&1) || fail "a member of the group: $out"
	expect_match "a member of the group writes" "$out" '"ok":true'
	expect_eq "recorded as that user" "$(sql "select recorded_by from event where text = 'group member'")" "$(id -u "$user")"
else
	# Not root: a socket whose mode lets nobody in (root would pass).
	chmod 000 "$T/grp.sock"
	rc=0; out=$(printf '%s\n' "$line" | "$SOCHI" --socket "$T/grp.sock" send 2>&1) || rc=$?
	expect_eq "a socket closed to this user" "$rc" 2
	expect_match "what the user is told" "$out" "cannot write to sochid's socket $T/grp.sock: Permission denied; the socket $T/grp.sock is open to the group $group \(mode 0000\)"
fi
pass "socket_mode 0660 and socket_group: a member writes, anyone else is told which group to join"
