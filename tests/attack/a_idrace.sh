#!/bin/sh
# SPDX-License-Identifier: MIT
# a_idrace.sh: the caller identity is changed as one read-modify-write
# (SPEC 5.2): two threads changing its uid and gid halves at once never
# put back each other's old half.
. "$EFSAP_SRC/tests/attack/lib.sh"
T=$(mktmp); cd "$T" || exit 1
cat > c.conf <<CONF
file_system = { path = "bk"; };
task = { user = "0:0"; };
mounts = ( { container_path = "/efsap-atk/id"; } );
CONF
out=$(pre c.conf "$A/idrace" "${IDRACE_N:-200000}" 2>&1); rc=$?
case $rc in
0) ok "identity-rmw ($out)" ;;
1) notok "identity-rmw" "an identity change lost another: $out" ;;
*) notok "identity-rmw" "exit $rc: $out" ;;
esac
finish
