#!/bin/sh
# SPDX-License-Identifier: MIT
# a_stacks.sh: the library works on small stacks and does not eat the
# program's thread budget (README "a thin shell"): calls under a mount from
# 64 KiB and PTHREAD_STACK_MIN thread stacks and from a SIGSTKSZ signal
# stack do not crash, pthread_create with a 32 KiB stack still works (no
# large static TLS), and Node.js starts its threads.
. "$EFSAP_SRC/tests/attack/lib.sh"
T=$(mktmp); cd "$T" || exit 1
M=/efsap-atk/st
ap_conf c.conf bk $M
mkdir native
# each CASE natively first: the test itself must pass there.
for c in create-32k thread-64k thread-min sigaltstack; do
	nat=$(timeout 20 "$A/stacks" "$T/native" $c 2>&1)
	if [ "$nat" != ok ]; then notok "small-stack-$c" "test broken: natively [$nat]"; continue; fi
	out=$(pre c.conf timeout 20 "$A/stacks" $M $c 2>&1); rc=$?
	if dead $rc; then notok "small-stack-$c" "crashed (exit $rc): $out"
	else expect_eq "small-stack-$c" ok "$out"; fi
done
out=$(EFSAP_DISABLE=1 pre c.conf timeout 20 "$A/stacks" "$T/native" create-32k 2>&1); rc=$?
expect_eq "small-stack-create-32k-disabled" ok "$out"
if ! command -v node >/dev/null 2>&1; then
	skip "small-stack-node" "node not installed"
else
	out=$(pre c.conf timeout 30 node -e "require('fs').writeFileSync('$M/n.txt', 'x')" 2>&1); rc=$?
	if [ $rc -eq 0 ] && ! printf '%s' "$out" | grep -q 'pthread_create'; then ok "small-stack-node"
	else notok "small-stack-node" "exit $rc: $(printf '%s' "$out" | head -2 | tr '\n' ';')"; fi
fi
finish
