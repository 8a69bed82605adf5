#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# sochid -n and --print-config, errors naming file, line and key, and the
# refusal to start against a database whose schema is older than sochid.
. "$(dirname "$0")/lib.sh"
(umask 077 && printf 'alertmanager = very-secret-token\n' >"$T/tokens")
cat >"$T/good.conf" <<CONF
[sochid]
database = dbname=nowhere
listen_http =
timezone = Asia/Tokyo
tokens_file = $T/tokens
CONF
out=$("$SOCHID" -n -f "$T/good.conf") || fail "-n refused a good file: $out"
expect_eq "-n" "$out" "$T/good.conf: configuration OK"
out=$(SOCHI_CONFIG="$T/good.conf" "$SOCHID" --print-config)
grep -q "very-secret-token" <<<"$out" && fail "--print-config shows a secret"
expect_match "masked token" "$out" "^tokens.alertmanager = \*+$"
expect_match "effective default" "$out" "^sochid.max_line_bytes = 65536$"
expect_match "value from the file" "$out" "^sochid.listen_http = $"
pass "sochid -n and --print-config"

bad() { # bad TEXT WANT
	printf '%b' "$1" >"$T/bad.conf"
	local rc=0 out
	out=$("$SOCHID" -n -f "$T/bad.conf" 2>&1) || rc=$?
	expect_eq "exit status for: $1" "$rc" 1
	expect_match "message for: $1" "$out" "$2"
}
bad '[sochid]\n\nlisten_tcp = 127.0.0.1\nmax_linebytes = 1\n' "^sochid: $T/bad.conf:4: \[sochid\] max_linebytes: unknown key$"
bad '[sochid]\ntimezone = Asia/Nowhere\n' "bad.conf:2: timezone: no such zone"
bad '[sochid]\nmax_pending = lots\n' "bad.conf:2: max_pending: expected an integer"
bad '[sochid]\nsocket_mode = rw\n' "bad.conf:2: socket_mode: expected an octal mode"
bad '[sochid]\nlisten_http = 127.0.0.1:http\n' "bad.conf:2: listen_http: expected host"
bad '[secrets]\na = b\n' "bad.conf:2: \[secrets\] a: unknown key"
# Expressions that would make regcomp or regexec blow up (found by fuzz_config).
bad '[rule.x]\nmatch = a=~x++++++++++++++++++++++\n' "^sochid: $T/bad.conf:2: \[rule.x\] match: a=~x\+{22}: a repetition of a repetition \(\"\+\" after another\); group the first, as in \(a\+\)\?$"
bad '[rule.x]\nmatch = a=~(a{64}){65}\n' "bad.conf:2: \[rule.x\] match: a=~\(a\{64\}\)\{65\}: too large once its repetitions are expanded \(more than 4096 elements\)$"
bad '[rule.x]\nmatch = a=~(a*)\\1\n' "bad.conf:2: \[rule.x\] match: a=~\(a\*\)\\\\1: a back-reference \(\\\\1\): matching could take very long$"
# Syslog rules: every expression and template is checked, with its line.
bad '[syslog.cisco]\nmessage = User:(?<user>\\S+\n' "bad.conf:2: \[syslog.cisco\] message: missing closing parenthesis at offset"
bad '[syslog.x]\nmessage = x\ntext = ${cmd}\n' "bad.conf: \[syslog.x\] text: \\$\\{cmd\\}: neither a named capture"
bad '[syslog]\nallow = 10.0.0.0/33\n' "bad.conf: \[syslog\] allow: \"10.0.0.0/33\": the prefix length must be 0 to 32"
cat "$T/good.conf" "$top_srcdir/conf/syslog-rules.conf" >"$T/rules.conf"
out=$("$SOCHID" -n -f "$T/rules.conf") || fail "-n refused the shipped syslog rules: $out"
out=$(SOCHI_CONFIG="$T/rules.conf" "$SOCHID" --print-config)
expect_match "a shipped rule printed" "$out" "^syslog.junos-commit.program = mgd$"
out=$("$SOCHID" -n -f "$T/none.conf" 2>&1) && fail "a missing file was accepted"
expect_match "missing file" "$out" "none.conf: No such file or directory"
pass "bad files are refused naming file, line and key"

out=$("$SOCHID" --help); expect_match "--help" "$out" "^usage: sochid \[-dnV\] \[-f file\] \[--print-config\] \[--migrate\]"
out=$("$SOCHID" --version); expect_match "--version" "$out" "^sochid [0-9]"
rc=0; "$SOCHID" --frobnicate >/dev/null 2>&1 || rc=$?; expect_eq "unknown option" "$rc" 2
pass "--help, --version, unknown options"

# A database without sochi's schema: sochid refuses to start until migrated.
sb_up
createdb empty
sed "s/dbname=sochi/dbname=empty/" "$SOCHI_CONFIG" | sed "s|$SOCHI_SANDBOX_DIR/run/sochid.sock|$T/other.sock|; s/^listen_tcp = .*/listen_tcp =/; s/^listen_http = .*/listen_http =/; s/^listen_syslog_tcp = .*/listen_syslog_tcp =/; s/^listen_syslog_udp = .*/listen_syslog_udp =/" >"$T/empty.conf"
rc=0; out=$("$SOCHID" -f "$T/empty.conf" 2>&1) || rc=$?
expect_eq "exit status on an old schema" "$rc" 1
expect_match "old schema message" "$out" "schema is at version 0 and this sochid needs version [0-9]+: run .sochid --migrate. first"
out=$("$SOCHID" -f "$T/empty.conf" --migrate) || fail "--migrate: $out"
expect_match "--migrate" "$out" "schema migrated from version 0 to [0-9]+"
out=$("$SOCHID" -f "$T/empty.conf" --migrate) || fail "--migrate again: $out"
expect_match "--migrate again" "$out" "schema is at version [0-9]+; functions re-created"
expect_eq "the functions' digest recorded" "$(psql -X -At -d empty -c "select count(*) from schema_functions where digest ~ '^[0-9a-f]{64}$'")" 1
expect_eq "migrations recorded" "$(psql -X -At -d empty -c 'select count(*) > 0 from schema_migrations')" t
pass "sochid refuses an old schema; --migrate applies what is missing, once"
