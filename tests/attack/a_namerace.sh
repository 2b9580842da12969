#!/bin/sh
# SPDX-License-Identifier: MIT
# a_namerace.sh: a record goes with its object, also when the object a
# remover looked at is replaced before the removal: workers create files,
# FIFOs, links and sockets under two names, rename them over each other,
# chmod and unlink them, all at once; then every object has its record and
# no record outlives its object (SPEC 5.3).  Then the same with a signal
# handler in every worker that makes calls of its own on the same names,
# inside whatever call it interrupts: no deadlock, every object recorded.
. "$EFSAP_SRC/tests/attack/lib.sh"
T=$(mktmp); cd "$T" || exit 1
M=/efsap-atk/r
audit() { "$PY" "$EFSAP_SRC/tests/attack/audit.py" "$1" ".$1.efsap" "$1/apa/in" '[abd]' 2>&1; }
for v in plain nested; do
	ap_conf $v.conf $v $M
	pre $v.conf /bin/true || { notok "namerace-$v" "set-up failed"; continue; }
	rc=0
	case $v in
	plain) pre $v.conf "$A/namerace" $M "${NAMERACE_SECONDS:-20}" 10 || rc=$? ;;
	nested) pre $v.conf "$A/namerace" $M "${NAMERACE_SECONDS:-10}" 10 nested || rc=$? ;;
	esac
	if [ $v = nested ]; then
		if [ $rc -ne 0 ]; then
			notok "namerace-nested-finishes" "a worker failed or hung (exit $rc)"
		else
			ok "namerace-nested-finishes"
		fi
	fi
	# what a killed worker left staged is swept by the next process tree
	pre $v.conf /bin/true
	out=$(audit $v)
	if [ $rc -ne 0 ] && [ $v = plain ]; then
		notok "namerace-$v-records" "a worker failed (exit $rc)"
	elif [ "$(printf '%s\n' "$out" | head -1)" = 0 ]; then
		ok "namerace-$v-records"
	else
		notok "namerace-$v-records" "problems: $(printf '%s\n' "$out" | cut -c1-90 | tr '\n' ';')"
	fi
done
finish
