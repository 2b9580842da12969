#!/bin/sh
# SPDX-License-Identifier: MIT
# a_deep.sh: fixed-size buffers fail with ENAMETOOLONG only where the
# kernel would (STYLE principle 5, SPEC 5.6): relative paths of up to 4,095
# bytes from a deep working directory under a mount work as they do
# natively, and 4,096 bytes give ENAMETOOLONG as natively.
. "$EFSAP_SRC/tests/attack/lib.sh"
T=$(mktmp); cd "$T" || exit 1
M=/efsap-atk/deep
ap_conf c.conf bk $M
mkdir native
(cd native && timeout 30 "$A/deep") > native.out 2>&1
pre c.conf timeout 30 sh -c "cd $M && exec $A/deep" > efsap.out 2>&1; rc=$?
if grep -qv ' ok$\|^len\|4096 ENAMETOOLONG$' native.out; then
	notok "deep-relative-paths" "test broken: natively $(grep -v ' ok$' native.out | head -1)"
elif dead $rc; then
	notok "deep-relative-paths" "exit $rc"
elif cmp -s native.out efsap.out; then
	ok "deep-relative-paths"
else
	notok "deep-relative-paths" "differs from native (native / efsap): $(diff native.out efsap.out | grep '^[<>]' | head -4 | tr '\n' ';')"
fi
finish
