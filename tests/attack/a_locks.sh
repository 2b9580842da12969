#!/bin/sh
# SPDX-License-Identifier: MIT
# a_locks.sh: concurrent changes of one record never lose an update, and a
# lock dies with its holder (SPEC 5.3): a stopped holder makes others wait
# without burning CPU, and processes in another PID namespace are
# serialised too.
. "$EFSAP_SRC/tests/attack/lib.sh"
T=$(mktmp); cd "$T" || exit 1
M=/efsap-atk/l
cat > c.conf <<CONF
file_system = { path = "bk"; };
task = { user = "0:0"; };
mounts = ( { container_path = "$M"; } );
CONF
pre c.conf sh -c "echo x > $M/f" || { notok "locks" "set-up failed"; finish; }

# (a) a holder stopped at random instants: the waiter must sleep, then go on.
out=$(pre c.conf timeout 60 "$A/lockstop" $M/f "${LOCK_SECONDS:-10}" 2>&1); rc=$?
case $rc in
0) ok "lock-stopped-holder ($out)" ;;
1) notok "lock-stopped-holder" "the waiter spins or stalls: $out" ;;
*) notok "lock-stopped-holder" "exit $rc: $out" ;;
esac

# (b) one record changed from two PID namespaces at once; first, as a
# control, from one.
# rmw3 PREFIX...: uid and gid changes in processes started through PREFIX,
# mode changes outside it, all at once; prints the three results.
rmw3() {
	_go=$(($(date +%s) + 2))
	timeout 60 "$@" env LD_PRELOAD="$LIB" EFSAP_CONFIG="$T/c.conf" sh -c \
		"$A/rmw uid $M/f 30000 $_go & $A/rmw gid $M/f 30000 $_go; wait" > in.out 2>&1 &
	pre c.conf timeout 60 "$A/rmw" mode $M/f 30000 $_go > out.out 2>&1
	wait
	sort in.out out.out | tr '\n' ' '
}
# rounds N PREFIX...: up to N rounds of rmw3, stopping at the first loss.
rounds() {
	_n=$1; shift; _i=0
	while [ $_i -lt $_n ]; do
		_i=$((_i + 1))
		out="round $_i: $(rmw3 "$@")"
		case $out in *"lost=0"*"lost=0"*"lost=0"*) ;; *) return 1 ;; esac
	done
}
if rounds 2 env; then ok "lock-same-pidns-control ($out)"
else notok "lock-same-pidns-control" "updates lost: $out"; fi
if is_root; then ns="unshare --pid --fork"; else ns="unshare --user --map-current-user --pid --fork"; fi
if ! $ns true 2>/dev/null; then
	skip "lock-cross-pidns" "cannot create a PID namespace ($ns)"
elif rounds 5 $ns; then ok "lock-cross-pidns ($out)"
else notok "lock-cross-pidns" "updates lost: $out"; fi
finish
