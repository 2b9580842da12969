# SPDX-License-Identifier: MIT
# lib.sh: helpers for the conformance case files (sourced by run.sh, in the
# case's fresh working directory, before the case file).
#
#   expect WANT [-u UID -g GIDS] OP ARG...
#       run fstest; its output must be WANT ("0", an errno name, a stat
#       value); WANT may list alternatives as "A|B".
#   gap WANT OP ARG...
#       the same, for a case efsap is known not to meet (a documented gap:
#       say why in a comment above it).  Under efsap a mismatch counts as an
#       expected failure, not a failure; natively it is an ordinary expect.
#   fs OP ARG...     run fstest for set-up, ignoring its output
#   namegen          print a fresh name
#
# Results go to stdout, one line per case: "ok CASE", "not ok CASE: got X",
# "xfail CASE: got X" (a known gap), "xpass CASE" (a gap that passed).
: "${FSTEST:?}" "${CONF_MODE:?}"
_case=${CONF_CASE:-case}
_n=0

_run() {
	_want=$1; _kind=$2; shift 2
	_n=$((_n + 1))
	_got=$("$FSTEST" "$@" 2>&1 | tr '\n' ' ' | sed 's/ $//')
	_ok=0
	_rest="$_want|"
	while [ -n "$_rest" ]; do
		_alt=${_rest%%|*}; _rest=${_rest#*|}
		[ "$_got" = "$_alt" ] && _ok=1
	done
	_what="$_case #$_n: $* (want $_want)"
	if [ $_ok = 1 ]; then
		if [ "$_kind" = gap ] && [ "$CONF_MODE" = efsap ]; then
			echo "xpass $_what"
		else
			echo "ok $_what"
		fi
	elif [ "$_kind" = gap ] && [ "$CONF_MODE" = efsap ]; then
		echo "xfail $_what: got $_got"
	else
		echo "not ok $_what: got $_got"
	fi
}

expect() { _w=$1; shift; _run "$_w" expect "$@"; }
gap() { _w=$1; shift; _run "$_w" gap "$@"; }
fs() { "$FSTEST" "$@" >/dev/null 2>&1; }
namegen() { echo "fstest_$(od -An -N4 -tx4 /dev/urandom | tr -d ' ')"; }
