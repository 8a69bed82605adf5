#!/bin/sh
# SPDX-License-Identifier: MIT
# Writes the C source that carries the schema inside sochid, so that a
# binary always knows exactly which schema it needs and how to reach it:
# the migrations (sql/NNN_name.sql, applied once each, in order) and the
# functions (sql/functions/*.sql, one each, re-created at every migrate),
# with a digest of the functions that the daemon compares on connecting.
# Usage: embed.sh sql/001_init.sql ... -- sql/functions/a.sql ... > daemon/migrations.c
set -eu
quote() { sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/\t    "/' -e 's/$/\\n"/' "$1"; }
echo '/* Generated from the files in sql/ by sql/embed.sh; do not edit. */'
echo '#include "migrate.h"'
echo
echo 'const struct migration migrations[] = {'
while [ $# -gt 0 ] && [ "$1" != -- ]; do
	base=$(basename "$1")
	version=$(printf '%s\n' "$base" | sed -n 's/^0*\([0-9][0-9]*\)_.*\.sql$/\1/p')
	[ -n "$version" ] || { echo "embed.sh: $1: not named NNN_name.sql" >&2; exit 1; }
	printf '\t{ %s, "%s",\n' "$version" "$base"
	quote "$1"
	printf '\t},\n'
	shift
done
printf '\t{ 0, NULL, NULL }\n};\n\n'
[ "${1:-}" = -- ] && shift
echo 'const struct migration sql_functions[] = {'
for f in "$@"; do
	printf '\t{ 0, "%s",\n' "$(basename "$f")"
	quote "$f"
	printf '\t},\n'
done
printf '\t{ 0, NULL, NULL }\n};\n\n'
digest=$(cat "$@" | sha256sum | cut -c1-64)
printf 'const char sql_functions_digest[] = "%s";\n' "$digest"
