#!/bin/sh
# SPDX-License-Identifier: MIT
# a_sigreent.sh: a call made from a signal handler that interrupted a
# wrapped call is still emulated (SPEC 5.5): it names the file system, not
# the host path under the mount point, so it neither fails with ENOENT nor
# creates anything in the host directory that the mount hides.
. "$EFSAP_SRC/tests/attack/lib.sh"
T=$(mktmp); cd "$T" || exit 1
M=$T/mnt
mkdir mnt		# the host directory the mount hides: it must stay empty
ap_conf c.conf bk $M
out=$(pre c.conf timeout 30 "$A/sigreent" $M "${SIG_SECONDS:-5}" 2>&1); rc=$?
host=$(ls -A mnt | tr '\n' ' ')
others=$(ls -A | grep -vxE 'mnt|bk|\.bk\.efsap|c\.conf' | tr '\n' ' ')
if dead $rc; then notok "signal-handler-reentrant" "exit $rc: $out"
elif [ -n "$host$others" ]; then notok "signal-handler-reentrant" "$out; created on the host: $host$others"
else case $out in
	*" failed=0 "*) ok "signal-handler-reentrant ($out)" ;;
	*) notok "signal-handler-reentrant" "the handler's open failed: $out" ;;
	esac
fi
finish
