#!/bin/sh
# SPDX-License-Identifier: MIT
# t_paths.sh: paths (SPEC 5.5) and what EFS does not support (SPEC 5.6):
# ".." at the mount root, symbolic links resolved as a client does, nothing
# resolving outside a mount's root, no backing path ever shown, EXDEV
# between mounts, xattrs, device nodes, FIFOs and sockets, the EFS limits,
# statfs, errno kept on success, bad pointers.
. "$EFSAP_SRC/tests/integration/lib.sh"

scratch_setup

# M (the file system root) and A (an access point): see mounts_setup; N,
# a second file system.
mounts_setup
N=$TP/mnt/n
mkdir store && echo secret > store/secret
# nobacking NAME TEXT: TEXT names no backing path.
nobacking() {
	case "$2" in
	*"$TP/store"*) notok "$1" "a backing path shows: [$2]";;
	*) ok "$1";;
	esac
}

pr mkdir "$M/sub" 755 -- write "$M/sub/f" hello -- write "$A/inap" ap
expect_eq "setup" "ok
ok
ok" "$out"
echo outside > store/efs/outside-ap

# --- ".." and the mount's root ---------------------------------------------------
HU=$(stat -c %u:%g mnt/hostfile)
pr stat "$M/.." -- read "$M/../hostfile" -- stat "$M/../hostfile" -- realpath "$M/.." -- read "$M/sub/../../hostfile"
expect_eq "'..' at the mount root is the mount point's parent" "ok $(stat -c '%u:%g %04a' mnt) dir
ok host
ok $HU 0644 file
ok $TP/mnt
ok host" "$out"
up=$(printf '%s' "$M" | sed 's,[^/][^/]*,..,g')
pr read "$M/$up/etc/passwd" -- realpath "$M/$up/etc/passwd" -- realpath "$M/$up/.."
expect_eq "'../..' up to / reaches the host's /etc/passwd" "ok $(sed -e :a -e '/^\n*$/{$d;N;ba' -e '}' /etc/passwd)
ok /etc/passwd
ok /" "$out"
pr read "$M/sub/../../../secret" -- read "$A/../outside-ap" -- stat "$A/.." -- read "$A/sub/../../outside-ap"
expect_eq "'..' never reaches the backing directory's parent" "err ENOENT
err ENOENT
ok $(stat -c '%u:%g %04a' mnt) dir
err ENOENT" "$out"
pr chdir "$A" -- stat .. -- read ../hostfile -- read ../outside-ap -- getcwd
expect_eq "relative '..' from the access point root" "ok
ok $(stat -c '%u:%g %04a' mnt) dir
ok host
err ENOENT
ok $A" "$out"
pr chdir "$M/sub" -- read f -- read ./f -- read ../sub/./f -- stat ../.. -- read ../../hostfile
expect_eq "relative paths inside a mount" "ok
ok hello
ok hello
ok hello
ok $(stat -c '%u:%g %04a' mnt) dir
ok host" "$out"
pr read "$TP//mnt/m/sub//f" -- read "$TP/./mnt/m/./sub/f" -- read "$TP/mnt/../mnt/m/sub/f"
expect_eq "// and /./ and .. before the mount point" "ok hello
ok hello
ok hello" "$out"
pr stat "$M/sub/f/" -- stat "$M/sub/f/." -- rmdir "$M" -- stat "$M/sub/"
expect_eq "trailing slash on a file: ENOTDIR; the mount root is busy" "err ENOTDIR
err ENOTDIR
err EBUSY
ok 0:0 0755 dir" "$out"

# --- symbolic links -----------------------------------------------------------------
pr symlink sub/f "$M/rel" -- symlink "$M/sub/f" "$M/abs" -- symlink ../hostfile "$M/up" \
    -- symlink "$TP/mnt/hostfile" "$M/tohost" -- symlink ../../../secret "$M/sub/esc" -- symlink "$A/inap" "$M/toap" \
    -- symlink /etc/passwd "$A/etcpw"
expect_eq "symlinks created" "ok
ok
ok
ok
ok
ok
ok" "$out"
pr read "$M/rel" -- read "$M/abs" -- read "$M/up" -- read "$M/tohost" -- read "$M/sub/esc" -- read "$M/toap" -- read "$A/etcpw"
expect_eq "symlinks resolve as on the client" "ok hello
ok hello
ok host
ok host
err ENOENT
ok ap
ok $(sed -e :a -e '/^\n*$/{$d;N;ba' -e '}' /etc/passwd)" "$out"
pr readlink "$M/rel" -- readlink "$M/abs" -- readlink "$M/sub/esc" -- lstat "$M/rel" -- stat "$M/rel" -- realpath "$M/rel" -- realpath "$M/up" -- realpath "$M/toap"
expect_eq "readlink shows the stored text; lstat the link; realpath the program's view" "ok sub/f
ok $M/sub/f
ok ../../../secret
ok 0:0 0777 symlink
ok 0:0 0644 file
ok $M/sub/f
ok $TP/mnt/hostfile
ok $A/inap" "$out"
if [ "$(readlink store/efs/abs 2>/dev/null)" = "$M/sub/f" ]; then ok "symlink text stored unchanged"; else notok "symlink text stored unchanged" "efs/abs -> $(readlink store/efs/abs)"; fi
ln -s "$M/sub/f" hostlink
pr read "$TP/hostlink"
expect_eq "a host symlink into a mount is not followed (README limit)" "err ENOENT" "$out"

# --- no backing path is ever shown --------------------------------------------------------
pr chdir "$M/sub" -- getcwd -- readlink /proc/self/cwd -- readlink-fd f -- readlink-fd "$A/inap" -- realpath . -- realpath f -- fchdir "$A" -- getcwd
expect_eq "getcwd, /proc/self/cwd, /proc/self/fd/N, realpath: mount paths" "ok
ok $M/sub
ok $M/sub
ok $M/sub/f
ok $A/inap
ok $M/sub
ok $M/sub/f
ok
ok $A" "$out"
nobacking "probe path results name no backing path" "$out$err"
ru /bin/sh -c "cd '$M/sub' && pwd && pwd -P && /bin/pwd && readlink -f f && ls -l /proc/self/cwd | sed 's/.*-> //' && realpath ."
expect_eq "sh, pwd -P, /bin/pwd, readlink -f, ls -l /proc/self/cwd" "$M/sub
$M/sub
$M/sub
$M/sub/f
$M/sub
$M/sub" "$out"
nobacking "shell path results name no backing path" "$out$err"
ru "$PY" -c "
import os
os.chdir('$M/sub'); print(os.getcwd()); print(os.path.realpath('f'))
fd = os.open('f', os.O_RDONLY); print(os.readlink('/proc/self/fd/%d' % fd))
print(os.readlink('/proc/self/cwd'))
"
expect_eq "python3 getcwd, realpath, /proc/self/fd" "$M/sub
$M/sub/f
$M/sub/f
$M/sub" "$out"
nobacking "python3 path results name no backing path" "$out$err"
ru /bin/sh -c "cd '$M' && cd sub && cd .. && pwd -P && cd .. && pwd -P"
expect_eq "cd .. from the mount root" "$M
$TP/mnt" "$out"

# --- EXDEV between mounts and with the host --------------------------------------------
cat > x.conf <<EOF
file_system = { path = "store/efs"; };
task = { user = "0:0"; };
mounts = ( { container_path = "$M"; }, { container_path = "$N"; } );
EOF
echo hf > hf
out=$(LD_PRELOAD="$LIB" EFSAP_CONFIG="$TP/x.conf" "$P" write "$M/x" x -- rename "$M/x" "$N/x" -- link "$M/x" "$N/y" \
    -- rename "$M/x" "$TP/x" -- link "$M/x" "$TP/x" -- rename "$TP/hf" "$M/hf" -- link "$TP/hf" "$M/hf" \
    -- rename "$M/x" "$M/sub/x" -- link "$M/sub/x" "$M/y" 2>&1)
expect_eq "EXDEV between two mounts (even of one file system) and with the host" "ok
err EXDEV
err EXDEV
err EXDEV
err EXDEV
err EXDEV
err EXDEV
ok
ok" "$out"
if [ -e hf ] && [ ! -e x ]; then ok "EXDEV: nothing moved"; else notok "EXDEV: nothing moved" "$(ls)"; fi
# The log: EXDEV is no denial (programs copy instead), and both ends are named.
out=$(LD_PRELOAD="$LIB" EFSAP_CONFIG="$TP/x.conf" EFSAP_LOG=deny "$P" rename "$M/x" "$N/x" \
    -- rename "$M/x" "$TP/x" -- rename "$TP/hf" "$M/hf" 2>&1 >/dev/null)
expect_eq "the denial log is silent about EXDEV" "" "$out"
out=$(LD_PRELOAD="$LIB" EFSAP_CONFIG="$TP/x.conf" EFSAP_LOG=all "$P" rename "$M/x" "$TP/x" \
    -- link "$TP/hf" "$M/hf" 2>&1 >/dev/null | grep -e ' rename ' -e ' link ')
expect_eq "the full log names both ends of a call across mounts, and says it is no denial" \
    "efsap: rename $M/x -> $TP/x: EXDEV (Invalid cross-device link); across mounts, not a denial: programs copy instead
efsap: link $TP/hf -> $M/hf: EXDEV (Invalid cross-device link); across mounts, not a denial: programs copy instead" "$out"
pr rename "$A/inap" "$M/ap/inap2"
expect_eq "EXDEV between an access point mount and the root mount" "err EXDEV" "$out"

# --- xattrs ---------------------------------------------------------------------------
pr getxattr "$M/sub/f" user.efsap -- getxattr "$M/sub" user.efsap -- lgetxattr "$M/rel" user.efsap -- fgetxattr "$M/sub/f" user.efsap \
    -- setxattr "$M/sub/f" user.x v -- removexattr "$M/sub/f" user.efsap -- getxattr "$M/sub/f" system.posix_acl_access \
    -- setxattr "$M/sub/f" security.selinux x -- listxattr "$M/sub/f" -- llistxattr "$M/rel" -- flistxattr "$M/sub/f" -- listxattr "$M"
expect_eq "xattrs: EOPNOTSUPP, listxattr empty, bookkeeping invisible" "err EOPNOTSUPP
err EOPNOTSUPP
err EOPNOTSUPP
err EOPNOTSUPP
err EOPNOTSUPP
err EOPNOTSUPP
err EOPNOTSUPP
err EOPNOTSUPP
ok 0
ok 0
ok 0
ok 0" "$out"
pr stat "$M/sub/f"
expect_eq "xattrs: the record survives removexattr attempts" "ok 0:0 0644 file" "$out"

# --- special files ------------------------------------------------------------------------
pr mknod-chr "$M/chr" -- mknod-blk "$M/blk" -- mknod-fifo "$M/fifo" -- mkfifo "$M/fifo2" -- socket "$M/sock" \
    -- stat "$M/chr" -- stat "$M/fifo" -- lstat "$M/fifo2" -- stat "$M/sock"
expect_eq "mknod: devices EPERM, FIFOs and sockets work" "err EPERM
err EPERM
ok
ok
ok
err ENOENT
ok 0:0 0644 fifo
ok 0:0 0644 fifo
ok 0:0 0755 socket" "$out"
( sleep 1; timeout 10 sh -c 'echo piped > "$1"' sh "$TP/store/efs/fifo" ) &
out=$(LD_PRELOAD="$LIB" EFSAP_CONFIG="$TP/c.conf" timeout 10 "$P" read "$M/fifo" 2>&1)
wait
expect_eq "a FIFO carries data" "ok piped" "$out"

# --- limits ---------------------------------------------------------------------------
n255=$(printf '%255s' '' | tr ' ' n)
n256=$(printf '%256s' '' | tr ' ' n)
t4080=$(printf '%4080s' '' | tr ' ' t)
t4081=$(printf '%4081s' '' | tr ' ' t)
pr mkdir "$M/$n256" 755 -- open "$M/$n256" wc 644 -- symlink x "$M/$n256" -- mkdir "$M/$n255" 755 -- stat "$M/$n255" -- rename "$M/$n255" "$M/${n255}x"
expect_eq "names: 255 bytes fit, 256 are ENAMETOOLONG" "err ENAMETOOLONG
err ENAMETOOLONG
err ENAMETOOLONG
ok
ok 0:0 0755 dir
err ENAMETOOLONG" "$out"
pr symlink "$t4081" "$M/long1" -- symlink "$t4080" "$M/long0" -- lstat "$M/long0" -- lstat "$M/long1"
expect_eq "symlink targets: 4080 bytes fit, 4081 are ENAMETOOLONG" "err ENAMETOOLONG
ok
ok 0:0 0777 symlink
err ENOENT" "$out"
pr write "$M/lf" x -- linkmany "$M/lf" 177
expect_eq "hard links: a 178th link is EMLINK" "ok
err EMLINK at 177" "$out"

# --- statfs ---------------------------------------------------------------------------
pr statfs "$M" -- statfs "$M/sub/f" -- statfs "$A"
expect_eq "statfs: NFS magic, name length 255" "ok 6969 255
ok 6969 255
ok 6969 255" "$out"
ru stat -f -c '%T %l %s %b' "$M"
expect_eq "stat -f: nfs, 255, 8 EiB" "nfs 255 1048576 8796093022208" "$out"

# --- errno and bad pointers ---------------------------------------------------------------
pr errno-preserved "$M/sub/f" -- errno-preserved "$M" -- errno-preserved "$M/rel" -- errno-preserved "$TP/mnt/hostfile"
expect_eq "errno preserved on success" "ok yes
ok yes
ok yes
ok yes" "$out"
for op in badptr-null "badptr-buf $M/sub/f" "badptr-lstat-buf $M/sub/f" "badptr-buf $M" badptr-open "badptr-buf $TP/mnt/hostfile"; do
	# shellcheck disable=SC2086
	pr $op
	expect_eq "bad pointer: $(printf '%s' "$op" | sed "s,$TP,T,g"): EFAULT, no crash" "1:err EFAULT" "$rc:$out"
done

# --- efsap's own descriptors ----------------------------------------------------------
# efsap holds a descriptor per mount root (high numbers, close-on-exec); a
# program that closes every descriptor, or dup2s over one, must keep working.
ru "$PY" -c "
import os
os.closerange(3, 65536)
open('$M/sub/afterclose', 'w').write('x')
st = os.stat('$M/sub/afterclose')
fd = os.open('/etc/hostname', os.O_RDONLY)
for n in range(700, 1024):
    os.dup2(fd, n)
print(st.st_uid, os.stat('$M/sub/afterclose').st_size, sorted(os.listdir('$M/sub'))[0])
"
expect_eq "descriptors closed or replaced by the program: efsap keeps working" "0 1 afterclose" "$out"

# A descriptor under a mount that a child inherits across exec is still
# known to be under the mount in the child (fstat shows the record).
ru sh -c "exec 3<'$A'; \"$PY\" -c 'import os; print(os.fstat(3).st_uid, oct(os.fstat(3).st_mode & 0o7777))'"
expect_eq "a descriptor under a mount inherited across exec" "0 0o755" "$out"
ru "$PY" -c "
import os, subprocess
fd = os.open('$M/sub/f', os.O_RDONLY)
os.set_inheritable(fd, True)
os.chmod('$M/sub/f', 0o640)
print(subprocess.run(['$PY', '-c', 'import os; print(oct(os.fstat(%d).st_mode & 0o777))' % fd], close_fds=False, capture_output=True, text=True).stdout.strip())
"
expect_eq "an inheritable descriptor under a mount, through subprocess" "0o640" "$out"

finish
