#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tests/sanitize.sh asan|valgrind: the test suite under the sanitizers, for
# script/test.  Prints "PASS: NAME" or "FAIL: NAME" per test program (and
# what went wrong under a failure); exits non-zero when any failed.
#
#   asan      builds the tree with gcc's -fsanitize=address,undefined in
#             build/sanitize (a copy made by script/build-apart: the
#             in-tree build stays as it is) and runs every unit and
#             integration test there, leak detection on.  sochid, sochi
#             and the load generator of the integration tests are the
#             sanitized ones; a report from any of them (a sochid stopped
#             by the sandbox exits after the test has passed) is written
#             to build/sanitize/reports/ and fails the stage.
#   valgrind  runs the in-tree unit tests (built by script/test) under
#             valgrind's memcheck: no invalid access, no definite or
#             indirect leak.
set -uo pipefail
cd "$(dirname "$0")/.."
top=$PWD
jobs=$(nproc 2>/dev/null || echo 2)

# The unit test programs, as Makefile.am lists them.
unit_tests() {
	sed -n '/^UNIT_TESTS += /,/^endif/p' Makefile.am |
		grep -o 'tests/unit/test_[a-z0-9_]*' | sort -u
}

# results DIR PREFIX: PASS/FAIL per .trs under DIR/tests; failures' logs.
results() {
	local dir=$1 prefix=$2 trs name result failed=0
	while IFS= read -r trs; do
		name=${trs#"$dir"/}; name=${name%.trs}
		result=$(sed -n 's/^:test-result: //p' "$trs" | head -n 1)
		case $result in
		PASS|SKIP|XFAIL) echo "PASS: $prefix$name" ;;
		*)
			failed=1
			echo "FAIL: $prefix$name"
			echo "  ---- $name.log (last 40 lines) ----"
			tail -n 40 "$dir/$name.log" | sed 's/^/  | /'
			;;
		esac
	done < <(find "$dir/tests" -name '*.trs' | sort)
	return $failed
}

asan() {
	local dir=$top/build/sanitize reports f failed=0 flags
	reports=$dir/reports
	flags="-g -O1 -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
	script/build-apart "$dir" --enable-werror CFLAGS="$flags" LDFLAGS="-fsanitize=address,undefined" ||
		{ echo "FAIL: asan/configure"; return 1; }
	if ! make -C "$dir" -j"$jobs" >"$dir/make.out" 2>&1; then
		tail -n 40 "$dir/make.out"
		echo "FAIL: asan/build"
		return 1
	fi
	rm -rf "$reports"; mkdir -p "$reports"
	find "$dir/tests" -name '*.trs' -delete 2>/dev/null
	# Every sanitized process writes its report to reports/NAME.PID.
	# tests/lsan.supp says why fontconfig's cache is not a leak.
	LSAN_OPTIONS="suppressions=$top/tests/lsan.supp:print_suppressions=0" \
	ASAN_OPTIONS="detect_leaks=1:halt_on_error=1:log_path=$reports/asan:log_exe_name=1" \
	UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:log_path=$reports/ubsan:log_exe_name=1" \
		make -C "$dir" -j"$jobs" check >"$dir/check.out" 2>&1
	results "$dir" asan/ || failed=1
	for f in "$reports"/*; do
		[ -e "$f" ] || continue
		failed=1
		echo "FAIL: asan/report ${f#"$top"/}"
		head -n 60 "$f" | sed 's/^/  | /'
	done
	return $failed
}

valgrind_units() {
	local t failed=0 log
	command -v valgrind >/dev/null ||
		{ echo "FAIL: valgrind (not installed; script/bootstrap installs it)"; return 1; }
	mkdir -p "$top/build/valgrind"
	for t in $(unit_tests); do
		log=$top/build/valgrind/$(basename "$t").log
		if [ ! -x "$t" ]; then
			echo "FAIL: valgrind/$t (not built)"
			failed=1
			continue
		fi
		if valgrind --quiet --error-exitcode=99 --leak-check=full \
			--show-leak-kinds=definite,indirect \
			--errors-for-leak-kinds=definite,indirect \
			--track-origins=yes "$t" >"$log" 2>&1; then
			echo "PASS: valgrind/$t"
		else
			failed=1
			echo "FAIL: valgrind/$t"
			echo "  ---- $log (last 60 lines) ----"
			tail -n 60 "$log" | sed 's/^/  | /'
		fi
	done
	return $failed
}

case ${1:-} in
asan) asan ;;
valgrind) valgrind_units ;;
*) echo "usage: tests/sanitize.sh asan|valgrind" >&2; exit 2 ;;
esac
