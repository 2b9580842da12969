#!/bin/sh
# SPDX-License-Identifier: MIT
# a_store.sh: records are shared by every process on a backing directory
# (README "on-disk format"): when the sidecar store cannot be created, a
# program must not start with a private fallback (it must fail at start-up
# naming the mount), and a symbolic link or FIFO whose record cannot be
# written must not be left behind.
. "$EFSAP_SRC/tests/attack/lib.sh"
T=$(mktmp); cd "$T" || exit 1
chmod 755 "$T"
M=/efsap-atk/s
# Everything as 65534 when root: root would write into a read-only directory.
mkdir p1 p2 p3
is_root && chown 65534:65534 p1 p2 p3
for d in p1 p2 p3; do
	cat > $d.conf <<CONF
file_system = { path = "$T/$d/bk"; };
task = { user = "1000:1000"; };
mounts = ( { container_path = "$M"; } );
CONF
done
# startup NAME: the last run must have failed before main, naming the mount.
startup() {
	if [ $rc -ne 0 ] && [ $rc -lt 124 ] && [ "$out" != "ran" ] && 
	   printf '%s' "$out" | grep -q "$M"; then
		ok "$1"
	else
		notok "$1" "exit $rc, output [$(printf '%s' "$out" | head -2 | tr '\n' ';')]"
	fi
}
# 1. The store's parent directory is read-only.
as_nobody mkdir p1/bk && chmod 555 p1
out=$(as_nobody env LD_PRELOAD="$LIB" EFSAP_CONFIG="$T/p1.conf" timeout 20 sh -c 'echo ran' 2>&1); rc=$?
startup "store-unwritable-parent-fails-startup"
chmod 755 p1
# 2. A file where the store directory should be.
as_nobody sh -c 'mkdir p2/bk && echo x > p2/.bk.efsap'
out=$(as_nobody env LD_PRELOAD="$LIB" EFSAP_CONFIG="$T/p2.conf" timeout 20 sh -c 'echo ran' 2>&1); rc=$?
startup "store-is-a-file-fails-startup"
# 3. The store turns read-only while a program runs: ln -s and mkfifo
# either fail and leave nothing, or succeed with their record.
as_nobody env LD_PRELOAD="$LIB" EFSAP_CONFIG="$T/p3.conf" true
out=$(as_nobody env LD_PRELOAD="$LIB" EFSAP_CONFIG="$T/p3.conf" timeout 20 sh -c "
	chmod 500 $T/p3/.bk.efsap
	ln -s t $M/l 2>/dev/null; echo \"ln \$?\"
	mkfifo $M/p 2>/dev/null; echo \"mkfifo \$?\"
	chmod 700 $T/p3/.bk.efsap" 2>&1); rc=$?
res=""
for o in l p; do
	case $o in l) op=ln; e=$(printf '%s\n' "$out" | sed -n 's/^ln //p');;
	p) op=mkfifo; e=$(printf '%s\n' "$out" | sed -n 's/^mkfifo //p');; esac
	if [ -e p3/bk/$o ] || [ -L p3/bk/$o ]; then
		key=$(stat -c '%d %i' p3/bk/$o | awk '{ printf "%x-%x", $1, $2 }')
		if [ "$e" != 0 ]; then res="$res $op failed (exit $e) but left the object;"
		elif [ ! -L p3/.bk.efsap/$key ]; then res="$res $op succeeded without a record;"; fi
	fi
done
if dead $rc; then notok "store-unwritable-no-orphan" "exit $rc: $out"
elif [ -z "$res" ]; then ok "store-unwritable-no-orphan ($(printf '%s' "$out" | tr '\n' ' '))"
else notok "store-unwritable-no-orphan" "$res"; fi
finish
