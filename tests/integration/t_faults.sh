#!/bin/sh
# SPDX-License-Identifier: MIT
# t_faults.sh: efsap on a hostile backing directory.  Changes made behind
# its back (garbage, stale or missing records, a native chmod, a file
# replaced by a directory) give consistent answers: an object without a
# valid record is 0:0 with its real mode bits (SPEC 5.1).  As root, in a
# private mount namespace: a backing file system without user xattrs
# (ramfs: every record in the sidecar store), a full one (ENOSPC cleanly,
# records consistent), a read-only one (EROFS, reading works).  Never a
# crash, never a hang.
. "$EFSAP_SRC/tests/integration/lib.sh"
unset EFSAP_CONFIG EFSAP_LOG EFSAP_LOG_FILE EFSAP_DISABLE LD_PRELOAD
P="$EFSAP_BUILD/tests/probe"
T=$(mktmp)
cd "$T" || exit 1
M=/efsap-t/f

# pr CONF PROBE-ARGS...: the probe under the library; $out, $rc (124: hang).
pr() {
	_c=$1; shift
	out=$(LD_PRELOAD="$LIB" EFSAP_CONFIG="$_c" timeout 30 "$P" "$@" 2>&1); rc=$?
}
# alive NAME: the last run ended by itself (no signal, no hang).
alive() {
	if [ "$rc" -ge 124 ]; then notok "$1" "exit $rc (crash or hang): $out"; else ok "$1"; fi
}
# rmode FILE: the real permission bits, as efsap reports an unrecorded object.
rmode() { printf '%04o' "0$(stat -c %a "$1")"; }
setx() { python3 -c 'import os, sys; os.setxattr(sys.argv[1], "user.efsap", sys.argv[2].encode(), follow_symlinks=False)' "$@"; }
delx() { python3 -c 'import os, sys; os.removexattr(sys.argv[1], "user.efsap")' "$@"; }

conf() {	# conf FILE BACKING USER
	cat > "$1" <<EOF
file_system = { path = "$2"; };
task = { user = "$3"; };
mounts = ( { container_path = "$M"; } );
EOF
}
conf c.conf efs 0:0

# --- behind efsap's back ------------------------------------------------------------
pr "$T/c.conf" write $M/f1 x -- chown $M/f1 1000 1000 -- chmod $M/f1 0640 \
	-- write $M/f2 x -- chown $M/f2 1000 1000 -- chmod $M/f2 0600 \
	-- write $M/f3 x -- chown $M/f3 1000 1000 -- chmod $M/f3 0644 \
	-- write $M/f4 x -- chown $M/f4 1000 1000 \
	-- mkdir $M/d1 0750 -- chown $M/d1 1000 1000 \
	-- write $M/f5 x -- chown $M/f5 1000 1000 \
	-- write $M/f6 x -- chown $M/f6 1000 1000 \
	-- symlink f1 $M/l1 -- lchown $M/l1 7 7 \
	-- mkfifo $M/p1 0640 -- chown $M/p1 8 8
expect_eq "set-up under efsap" 0 "$rc"

setx efs/f1 'garbage'
pr "$T/c.conf" stat $M/f1
expect_eq "a garbage record: unrecorded (0:0, real mode)" "ok 0:0 $(rmode efs/f1) file" "$out"
setx efs/f5 "$(printf '%0300d' 1)"
pr "$T/c.conf" stat $M/f5
expect_eq "an oversized record: unrecorded" "ok 0:0 $(rmode efs/f5) file" "$out"
setx efs/f6 '1000:1000:0755:dir'
pr "$T/c.conf" stat $M/f6
expect_eq "a record of the wrong type: unrecorded" "ok 0:0 $(rmode efs/f6) file" "$out"
delx efs/f2
pr "$T/c.conf" stat $M/f2
expect_eq "a deleted record: unrecorded" "ok 0:0 $(rmode efs/f2) file" "$out"
chmod 0604 efs/f3
pr "$T/c.conf" stat $M/f3 -- open $M/f3 r
alive "a native chmod: stat and open answer"
case $out in "ok 1000:1000 "*" file"*) ok "a native chmod: the record still owns it" ;;
*) notok "a native chmod: the record still owns it" "got [$out]" ;; esac
rm efs/f4 && mkdir efs/f4
f4mode=$(rmode efs/f4)
pr "$T/c.conf" stat $M/f4
expect_eq "a file replaced by a directory: a new, unrecorded object" "ok 0:0 $f4mode dir" "$out"
rmdir efs/d1 && echo x > efs/d1
pr "$T/c.conf" stat $M/d1
expect_eq "a directory replaced by a file" "ok 0:0 $(rmode efs/d1) file" "$out"
for s in .efs.efsap/*-*; do [ -L "$s" ] && ln -sfn 'x:y:z' "$s"; done
pr "$T/c.conf" lstat $M/l1 -- lstat $M/p1
expect_eq "garbage in the sidecar store: unrecorded" "ok 0:0 0777 symlink
ok 0:0 $(rmode efs/p1) fifo" "$out"
# ... and efsap can take them over again.
pr "$T/c.conf" chown $M/f1 5 6 -- chmod $M/f1 0600 -- stat $M/f1 -- chown $M/f4 5 6 -- stat $M/f4 \
	-- lchown $M/l1 9 9 -- lstat $M/l1 -- unlink $M/f2 -- rmdir $M/f4 -- unlink $M/d1
expect_eq "recording again after the damage" "ok
ok
ok 5:6 0600 file
ok
ok 5:6 $f4mode dir
ok
ok 9:9 0777 symlink
ok
ok
ok" "$out"
# The record store itself gone, or unwritable.
rm -rf .efs.efsap
pr "$T/c.conf" lstat $M/l1 -- stat $M/f1
expect_eq "the sidecar store removed" "ok 0:0 0777 symlink
ok 5:6 0600 file" "$out"

# --- root only: other backing file systems, in a private mount namespace ------------
if [ "$(id -u)" != 0 ]; then
	ok "faults on ramfs, full and read-only backing: skipped (not root)"
	finish
fi
if ! unshare -m true 2>/dev/null; then
	ok "faults on ramfs, full and read-only backing: skipped (unshare -m fails)"
	finish
fi
# ns SCRIPT: run sh SCRIPT in a private mount namespace (mounts vanish with it).
ns() { out=$(timeout 60 unshare -m --propagation private sh -c "$1" 2>&1); rc=$?; }
export LIB P M T

# ramfs: no user xattrs, so every record lives in the sidecar store.
mkdir -p ram && conf ram.conf ram/efs 0:0
ns 'mount -t ramfs none "$T/ram" || exit 99
	pr() { LD_PRELOAD="$LIB" EFSAP_CONFIG="$T/ram.conf" "$P" "$@"; }
	pr mkdir $M/d 0750 -- chown $M/d 1000 1000 -- write $M/d/f x -- chown $M/d/f 1001 1002 \
		-- chmod $M/d/f 0604 -- symlink f $M/d/l -- rename $M/d/f $M/d/g -- link $M/d/g $M/d/h >/dev/null
	pr stat $M/d -- stat $M/d/g -- stat $M/d/h -- lstat $M/d/l -- unlink $M/d/h -- stat $M/d/g'
if [ $rc = 99 ]; then
	ok "ramfs backing: skipped (cannot mount ramfs)"
else
	expect_eq "ramfs backing (no user xattrs): records in the store" "ok 1000:1000 0750 dir
ok 1001:1002 0604 file
ok 1001:1002 0604 file
ok 0:0 0777 symlink
ok
ok 1001:1002 0604 file" "$out"
fi

# A full file system: ENOSPC, cleanly, and every object that exists has its record.
mkdir -p full && cat > full.conf <<EOF
file_system = { path = "full/efs"; };
access_points = ( { id = "fsap-u";
  root_directory = { path = "/u"; creation_info = { owner_uid = 1000; owner_gid = 1000; permissions = "0755"; }; }; } );
task = { user = "1000:1000"; };
mounts = ( { container_path = "$M"; access_point = "fsap-u"; transit_encryption = true; } );
EOF
cat > full.sh <<'EOF'
"$P" write $M/keep x -- chmod $M/keep 0640 >/dev/null
head -c 1048576 /dev/zero > $M/big 2>/dev/null && echo "big: written"
i=0; while [ $i -lt 400 ]; do i=$((i + 1)); (: > $M/f$i) 2>/dev/null || break; done
[ $i -lt 400 ] || echo "never full"
mkdir $M/dir 2>&1 | grep -v "No space left" | head -1
rm -f $M/big
"$P" stat $M/keep
bad=0; for f in $M/f*; do
	s=$("$P" stat $f); [ "$s" = "ok 1000:1000 0644 file" ] || { bad=$((bad + 1)); echo "$f: $s"; }
done; echo "inconsistent: $bad"
rm -f $M/f1 $M/f2 $M/f3
: > $M/after && "$P" stat $M/after
EOF
ns 'mount -t tmpfs -o size=512k,nr_inodes=200 none "$T/full" || exit 99
	LD_PRELOAD="$LIB" EFSAP_CONFIG="$T/full.conf" sh "$T/full.sh"'
case $rc in
99) ok "full backing: skipped (cannot mount tmpfs)" ;;
0) expect_eq "full backing: ENOSPC cleanly, records consistent" "ok 1000:1000 0640 file
inconsistent: 0
ok 1000:1000 0644 file" "$out" ;;
*) notok "full backing: ENOSPC cleanly, records consistent" "exit $rc: $out" ;;
esac

# A read-only backing file system: reading works, changes fail with EROFS.
mkdir -p ro && conf ro.conf ro/efs 0:0
ns 'mount -t tmpfs -o size=1m none "$T/ro" || exit 99
	pr() { LD_PRELOAD="$LIB" EFSAP_CONFIG="$T/ro.conf" "$P" "$@"; }
	pr write $M/f hello -- chown $M/f 1000 1000 -- symlink f $M/l >/dev/null
	mount -o remount,ro "$T/ro" || exit 99
	pr stat $M/f -- read $M/f -- lstat $M/l -- mkdir $M/d 0755 -- write $M/g x -- chmod $M/f 0600 \
		-- chown $M/f 1 1 -- unlink $M/f -- rename $M/f $M/g -- stat $M/f'
case $rc in
99) ok "read-only backing: skipped (cannot mount tmpfs)" ;;
*) expect_eq "read-only backing: reads work, changes fail with EROFS" "ok 1000:1000 0644 file
ok hello
ok 0:0 0777 symlink
err EROFS
err EROFS
err EROFS
err EROFS
err EROFS
err EROFS
ok 1000:1000 0644 file" "$out" ;;
esac
finish
