#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Bash completion offers the verbs, a verb's options, and the configured
# phase names after --phase.
. "$(dirname "$0")/lib.sh"
export PATH="$(dirname "$SOCHI"):$PATH"
export SOCHI_CONFIG=/dev/null
. "$top_srcdir/contrib/bash-completion/sochi"
complete_words() { # complete_words WORD...: what <TAB> after them offers
	COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMPREPLY=()
	_sochi
	printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' '
}
expect_match "verbs" "$(complete_words sochi '')" "amend .*check .*close .*log .*note .*open .*report .*retract"
expect_eq "verbs starting with re" "$(complete_words sochi re)" "related report retract "
expect_match "log options" "$(complete_words sochi log --)" "--actor .*--at .*--incident .*--phase"
expect_eq "phases" "$(complete_words sochi log --phase '')" "detect followup identify notify recover work "
expect_eq "phase prefix" "$(complete_words sochi log --phase re)" "recover "
expect_eq "notice channels" "$(complete_words sochi notice --channel '')" "other press sns web "
expect_eq "inquiry channels" "$(complete_words sochi inquiry --channel '')" "mail other phone "
expect_eq "impact ops" "$(complete_words sochi impact '')" "recover start "
expect_match "note sections" "$(complete_words sochi note cause)" "^cause.duration cause.scale cause.summary $"
expect_eq "formats" "$(complete_words sochi report -f '')" "docx html json md pdf text "
expect_eq "timeline formats" "$(complete_words sochi timeline --format '')" "csv text "
expect_eq "alerts formats" "$(complete_words sochi alerts -f '')" "csv text "
expect_match "timeline --all, --who" "$(complete_words sochi timeline --)" "--all .*--format .*--who"
expect_eq "tables" "$(complete_words sochi check --table '')" "1985 2015 2019 in-force proposed-2025 "
expect_eq "an impact's categories" "$(complete_words sochi impact start x y --category '')" "1 2 3 4 5 6 "
expect_match "impact options" "$(complete_words sochi impact recover x --)" "--category .*--force"
expect_match "users --impact" "$(complete_words sochi users 10 --)" "--impact"
expect_match "report --as-of" "$(complete_words sochi report --)" "--as-of .*--table"
pass "bash completion: verbs, options, phases, sections, channels, formats"
