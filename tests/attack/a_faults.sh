#!/bin/sh
# SPDX-License-Identifier: MIT
# a_faults.sh: the library never crashes the program (SPEC 5.3, README
# "faults"): a full backing file system gives ENOSPC, not SIGBUS on the
# shared page, and a shared generation file truncated behind efsap's back
# (any file of the store) does not kill a running program.  The full file
# system needs a tmpfs: root mounts it in a private mount namespace, a user
# in a user namespace of its own; without either the test is skipped.
. "$EFSAP_SRC/tests/attack/lib.sh"
T=$(mktmp); cd "$T" || exit 1
M=/efsap-atk/f
# sigbus NAME: the last run ($rc, $out) ended by itself, not by a signal.
sigbus() {
	case $rc in
	124) notok "$1" "hang: $out" ;;
	135|138) notok "$1" "killed by SIGBUS (exit $rc): $out" ;;
	*) if [ $rc -gt 128 ]; then notok "$1" "killed by a signal (exit $rc): $out"; return 1; fi; return 0 ;;
	esac
	return 1
}

# 1. A running program whose generation file is truncated to 0 bytes.
cat > g.conf <<CONF
file_system = { path = "bk"; };
task = { user = "0:0"; };
mounts = ( { container_path = "$M"; } );
CONF
pre g.conf /bin/true
[ -d .bk.efsap ] || { notok "fault-gen-truncated" "test broken: no store .bk.efsap"; finish; }
# truncate_store: every regular file of the store (the generation, when it
# lives in a mapped file) to 0 bytes.
truncate_store() { find .bk.efsap -maxdepth 1 -type f -exec truncate -s 0 {} +; }
pre g.conf timeout 20 "$PY" -c "
import os, time
end = time.time() + 1.5
while time.time() < end:
    os.mkdir('$M/d'); os.chmod('$M/d', 0o700); os.rmdir('$M/d')" > loop.out 2>&1 &
lp=$!
sleep 0.3; truncate_store
wait $lp; rc=$?; out=$(head -c 300 loop.out)
sigbus "fault-gen-truncated-while-running" && expect_eq "fault-gen-truncated-while-running" 0 "$rc"
truncate_store
out=$(pre g.conf timeout 20 "$P" mkdir $M/x 0755 -- chmod $M/x 0700 -- stat $M/x 2>&1); rc=$?
sigbus "fault-gen-truncated-before-start" && expect_eq "fault-gen-truncated-before-start" "ok
ok
ok 0:0 0700 dir" "$out"

# 2. The backing directory on a tiny tmpfs, full before first use: as root
# in a private mount namespace, else in a user namespace of our own.
if is_root; then ns="unshare -m --propagation private"; else ns="unshare --user --map-root-user --mount"; fi
if ! $ns true 2>/dev/null; then
	skip "fault-full-tmpfs-no-sigbus" "cannot mount a tmpfs: $ns fails"
	finish
fi
mkdir t
cat > t.conf <<CONF
file_system = { path = "$T/t/bk"; };
task = { user = "0:0"; };
mounts = ( { container_path = "$M"; } );
CONF
out=$(timeout 60 $ns sh -c '
	mount -t tmpfs -o size=64k none "$1/t" || exit 99
	mkdir "$1/t/bk"
	dd if=/dev/zero of="$1/t/fill" bs=4k 2>/dev/null
	LD_PRELOAD="$2" EFSAP_CONFIG="$1/t.conf" "$3" write '"$M"'/f x -- mkdir '"$M"'/d 0755 -- stat '"$M"'
	' sh "$T" "$LIB" "$P" 2>&1); rc=$?
if [ $rc = 99 ]; then
	skip "fault-full-tmpfs-no-sigbus" "cannot mount a tmpfs"
elif sigbus "fault-full-tmpfs-no-sigbus"; then
	expect_match "fault-full-tmpfs-no-sigbus" "err ENOSPC" "$out"
fi
finish
