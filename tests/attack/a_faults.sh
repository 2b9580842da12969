#!/bin/sh
# a_faults.sh: the library never crashes the program (SPEC 5.3, README
# "faults"): a full backing file system gives ENOSPC, not SIGBUS on the
# shared page, and a shared generation file truncated behind efsap's back
# does not kill a running program.
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
[ -f .bk.efsap/gen ] || { notok "fault-gen-truncated" "test broken: no .bk.efsap/gen"; finish; }
pre g.conf timeout 20 "$PY" -c "
import os, time
end = time.time() + 1.5
while time.time() < end:
    os.mkdir('$M/d'); os.chmod('$M/d', 0o700); os.rmdir('$M/d')" > loop.out 2>&1 &
lp=$!
sleep 0.3; truncate -s 0 .bk.efsap/gen
wait $lp; rc=$?; out=$(head -c 300 loop.out)
sigbus "fault-gen-truncated-while-running" && expect_eq "fault-gen-truncated-while-running" 0 "$rc"
truncate -s 0 .bk.efsap/gen
out=$(pre g.conf timeout 20 "$P" mkdir $M/x 0755 -- chmod $M/x 0700 -- stat $M/x 2>&1); rc=$?
sigbus "fault-gen-truncated-before-start" && expect_eq "fault-gen-truncated-before-start" "ok
ok
ok 0:0 0700 dir" "$out"

# 2. Root: the backing directory on a tiny tmpfs, full before first use.
if ! is_root; then
	skip "fault-full-tmpfs-no-sigbus" "needs root to mount a tmpfs"
	finish
fi
if ! unshare -m true 2>/dev/null; then
	skip "fault-full-tmpfs-no-sigbus" "unshare -m fails"
	finish
fi
mkdir t
cat > t.conf <<CONF
file_system = { path = "$T/t/bk"; };
task = { user = "1000:1000"; };
mounts = ( { container_path = "$M"; } );
CONF
out=$(timeout 60 unshare -m --propagation private sh -c '
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
