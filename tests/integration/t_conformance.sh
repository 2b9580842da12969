#!/bin/sh
# SPDX-License-Identifier: MIT
# t_conformance.sh: the POSIX conformance suite (tests/conformance): under
# efsap as the invoking user, natively when root (the reference), and under
# efsap as an unprivileged user when root (every case that passes natively
# must pass there too).  One ok line per case file and mode; each failing
# case is a not ok line.
. "$EFSAP_SRC/tests/integration/lib.sh"
unset EFSAP_CONFIG EFSAP_LOG EFSAP_LOG_FILE EFSAP_DISABLE LD_PRELOAD
R="$EFSAP_SRC/tests/conformance/run.sh"

# conform LABEL RUNNER-OUTPUT: turn run.sh's output into ok / not ok lines
# (in this shell, so that the failures count).
conform() {
	_label=$1 _out=$2 _summary=0
	while IFS= read -r l; do
		case $l in
		"not ok "*) notok "conformance $_label" "${l#not ok }" ;;
		"xpass "*) ok "conformance $_label: a known gap now passes: ${l#xpass }" ;;
		"conformance: "*" passed, 0 failed") _summary=1; ok "conformance $_label: ${l#conformance: }" ;;
		"conformance: "*" passed, "*" failed") _summary=1 ;;
		*": "*" passed, 0 failed"*) ok "conformance $_label: $l" ;;
		*": "*" passed, "*" failed"*) ;;
		"conformance: "*) ok "conformance $_label: ${l#conformance: }" ;;
		"") ;;
		*) notok "conformance $_label" "$l" ;;
		esac
	done <<EOF
$_out
EOF
	[ $_summary = 1 ] || notok "conformance $_label" "the runner gave no summary"
}

T=$(mktmp)
out=$(sh "$R" "$T/efsap" --efsap 2>&1)
conform efsap "$out"

if [ "$(id -u)" = 0 ]; then
	out=$(sh "$R" "$T/native" --native 2>&1)
	conform native "$out"
	# The same suite under efsap, as an unprivileged user.
	U=$(mktmp)
	chown 65534:65534 "$U"
	if setpriv --reuid=65534 --regid=65534 --clear-groups \
	    sh -c 'test -r "$1" && test -x "$2" && test -r "$3"' sh \
	    "$LIB" "$EFSAP_BUILD/conformance/fstest" "$R" 2>/dev/null; then
		out=$(setpriv --reuid=65534 --regid=65534 --clear-groups \
			env HOME="$U" TMPDIR="$U" sh "$R" "$U/efsap" --efsap 2>&1)
		conform "efsap-unprivileged" "$out"
	else
		ok "conformance efsap-unprivileged: skipped (the build is not readable by uid 65534)"
	fi
fi
finish
