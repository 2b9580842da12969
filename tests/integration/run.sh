#!/bin/sh
# SPDX-License-Identifier: MIT
# run.sh: run every tests/integration/t_*.sh; each prints "ok NAME" or
# "not ok NAME" lines (TAP-like) and exits non-zero on failure.
# Needs EFSAP_BUILD (the build directory, absolute); INTEGRATION_ONLY=WORD
# runs only the scripts whose name contains WORD.
: "${EFSAP_BUILD:?set EFSAP_BUILD to the build directory}"
here=$(cd "$(dirname "$0")" && pwd)
export EFSAP_SRC="$(cd "$here/../.." && pwd)"
export EFSAP_BUILD
pass=0 fail=0 skip=0
for t in "$here"/t_*.sh; do
	[ -e "$t" ] || continue
	[ -n "${INTEGRATION_ONLY:-}" ] && case $(basename "$t") in *"$INTEGRATION_ONLY"*) ;; *) continue ;; esac
	out=$(sh "$t" 2>&1); rc=$?
	# a skipped check ("ok NAME # SKIP why") is reported as such, never as a pass
	ns=$(printf '%s\n' "$out" | grep -c '^ok .*# SKIP')
	np=$(( $(printf '%s\n' "$out" | grep -c '^ok ') - ns ))
	nf=$(printf '%s\n' "$out" | grep -c '^not ok ')
	if [ $rc -ne 0 ] && [ "$nf" -eq 0 ]; then nf=1; fi
	pass=$((pass + np)); fail=$((fail + nf)); skip=$((skip + ns))
	if [ "$nf" -ne 0 ]; then
		echo "== $(basename "$t"): FAILED (exit $rc)"
		printf '%s\n' "$out" | sed 's/^/   /'
	elif [ "$ns" -ne 0 ]; then
		echo "== $(basename "$t"): $np passed, $ns skipped"
		printf '%s\n' "$out" | grep '^ok .*# SKIP' | sed 's/^/   /'
	else
		echo "== $(basename "$t"): $np passed"
	fi
done
echo "integration: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
