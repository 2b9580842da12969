#!/bin/sh
# SPDX-License-Identifier: MIT
# t_perm.sh: permissions and ownership decided by the emulated server
# (SPEC 5.3): search along the path, the owner/group/other classes, new
# objects' owner, group and mode (setgid directories, umask), chown and
# chmod rules, set-id stripping, sticky directories, utimes, exec, and what
# stat shows.  The task is root (not squashed) without an access point, so
# that the server identity follows the probe's setuid calls.
. "$EFSAP_SRC/tests/integration/lib.sh"

scratch_setup

cat > c.conf <<'EOF'
file_system = { path = "efs"; };
task = { user = "0:0"; };
mounts = ( { container_path = "/efsap-t/m"; } );
EOF
M=/efsap-t/m

pr() {
	out=$(LD_PRELOAD="$LIB" EFSAP_CONFIG="$TP/c.conf" "$P" "$@" 2>"$T/.err"); rc=$?
	err=$(cat "$T/.err")
}
# as UID GID GROUPS OPS...: the probe as that caller (and so server)
# identity; $out without the three lines of the identity change.
as() {
	_u=$1 _g=$2 _gs=$3; shift 3
	pr setgroups "$_gs" -- setgid "$_g" -- setuid "$_u" -- "$@"
	case "$out" in "ok
ok
ok"*) out=$(printf '%s\n' "$out" | sed 1,3d);;
	*) out="identity change failed: $out";;
	esac
}
# setup NAME OPS...: root operations that must all succeed.
setup() {
	_n=$1; shift
	pr "$@"
	if [ "$rc" = 0 ]; then ok "setup: $_n"; else notok "setup: $_n" "$(printf '%s' "$out" | tr '\n' '|')"; fi
}

# --- search permission along the path --------------------------------------------
setup "private tree" mkdir $M/priv 0700 -- chown $M/priv 1000 1000 -- mkdir $M/priv/in 0777 -- chmod $M/priv/in 0777 \
    -- write $M/priv/in/f x -- chmod $M/priv/in/f 0666 -- chown $M/priv/in/f 2000 2000
as 2000 2000 2000 stat $M/priv/in/f -- read $M/priv/in/f -- write $M/priv/in/f y -- access $M/priv/in/f f -- mkdir $M/priv/in/d 755 -- unlink $M/priv/in/f
expect_eq "no search permission on a parent: EACCES for everything below" "err EACCES
err EACCES
err EACCES
err EACCES
err EACCES
err EACCES" "$out"
as 1000 1000 1000 stat $M/priv/in/f -- read $M/priv/in/f
expect_eq "the owner of the parent searches it" "ok 2000:2000 0666 file
ok x" "$out"
as 1000 1000 1000 ls $M/priv -- chmod $M/priv 0100 -- ls $M/priv -- stat $M/priv/in -- chmod $M/priv 0700
expect_eq "x without r: lookups work, listing does not" "ok in
ok
err EACCES
ok 0:0 0777 dir
ok" "$out"

# --- owner, group and other classes -------------------------------------------------
setup "classes" mkdir $M/cls 0755 -- write $M/cls/f data -- chown $M/cls/f 1000 1500 -- chmod $M/cls/f 0046
as 1000 1000 1000,1500 access $M/cls/f r -- read $M/cls/f -- access $M/cls/f w
expect_eq "owner class applies first (owner stricter than group and other)" "err EACCES
err EACCES
err EACCES" "$out"
as 2000 2000 2000,1500 access $M/cls/f r -- read $M/cls/f -- access $M/cls/f w -- open $M/cls/f w
expect_eq "group class: r, not w" "ok
ok data
err EACCES
err EACCES" "$out"
as 3000 3000 3000 access $M/cls/f rw -- open $M/cls/f rw -- access $M/cls/f x
expect_eq "other class: rw, not x" "ok
ok
err EACCES" "$out"
as 2500 1500 2500 read $M/cls/f
expect_eq "the primary gid counts as a group" "ok data" "$out"
setup "mode 0000" write $M/cls/zero z -- chown $M/cls/zero 1000 1000 -- chmod $M/cls/zero 0 -- read $M/cls/zero -- write $M/cls/zero zz
as 1000 1000 1000 read $M/cls/zero -- open $M/cls/zero w -- truncate $M/cls/zero 0 -- chmod $M/cls/zero 0600 -- read $M/cls/zero
expect_eq "mode 0000: root reads and writes, the owner cannot until it chmods" "err EACCES
err EACCES
err EACCES
ok
ok zz" "$out"
as 3000 3000 3000 unlink $M/cls/f -- rename $M/cls/f $M/cls/g -- link $M/cls/f $M/cls/h -- write $M/cls/new x -- mkdir $M/cls/d 755 -- symlink f $M/cls/s
expect_eq "no write permission on the directory: every change in it EACCES" "err EACCES
err EACCES
err EACCES
err EACCES
err EACCES
err EACCES" "$out"
as 3000 3000 3000 open $M/cls/f wcx 644 -- mkdir $M/cls/f 755
expect_eq "an existing name: EEXIST before EACCES" "err EEXIST
err EEXIST" "$out"

# --- new objects --------------------------------------------------------------------
setup "public directory" mkdir $M/pub 0777 -- chmod $M/pub 0777
as 1000 1000 1000,1500 write $M/pub/f x -- stat $M/pub/f -- mkdir $M/pub/d 0777 -- stat $M/pub/d -- symlink f $M/pub/l -- lstat $M/pub/l -- mknod-fifo $M/pub/p -- stat $M/pub/p
expect_eq "new objects: server uid and gid, mode less umask 022" "ok
ok 1000:1000 0644 file
ok
ok 1000:1000 0755 dir
ok
ok 1000:1000 0777 symlink
ok
ok 1000:1000 0644 fifo" "$out"
as 1000 1000 1000 umask 077 -- open $M/pub/u wc 0666 -- stat $M/pub/u -- mkdir $M/pub/ud 0777 -- stat $M/pub/ud -- umask 0 -- open $M/pub/u0 wc 0666 -- stat $M/pub/u0
expect_eq "umask applied" "ok 0022
ok
ok 1000:1000 0600 file
ok
ok 1000:1000 0700 dir
ok 0077
ok
ok 1000:1000 0666 file" "$out"
as 1000 1000 1000 open $M/pub/m wc 4777 -- stat $M/pub/m
expect_eq "requested set-id bits are kept by the owner's create" "ok
ok 1000:1000 4755 file" "$out"
pr stat $M/pub/f -- stat $M/pub -- fstat $M/pub/f -- statx $M/pub/f -- fstatat-dirfd $M/pub f -- fstatat-dirfd $M/pub l
expect_eq "stat, fstat, statx, fstatat agree (another process)" "ok 1000:1000 0644 file
ok 0:0 0777 dir
ok 1000:1000 0644 file
ok 1000:1000 0644 file
ok 1000:1000 0644 file
ok 1000:1000 0777 symlink" "$out"
out=$(LD_PRELOAD="$LIB" EFSAP_CONFIG="$TP/c.conf" "$PY" -c "import os; s = os.stat('$M/pub/f'); print(s.st_uid, s.st_gid, oct(s.st_mode & 0o7777)); s = os.lstat('$M/pub/l'); print(s.st_uid, s.st_gid)" 2>&1)
expect_eq "python3 os.stat sees the same owners" "1000 1000 0o644
1000 1000" "$out"

# setgid directories.
setup "setgid directory" mkdir $M/sg 0777 -- chown $M/sg 0 1500 -- chmod $M/sg 2777 -- stat $M/sg
expect_eq "setgid directory: recorded" "ok 0:1500 2777 dir" "$(printf '%s\n' "$out" | tail -n 1)"
as 1000 1000 1000 write $M/sg/f x -- stat $M/sg/f -- mkdir $M/sg/d 0755 -- stat $M/sg/d -- mkdir $M/sg/d/e 0700 -- stat $M/sg/d/e
expect_eq "setgid directory: group inherited, subdirectories setgid" "ok
ok 1000:1500 0644 file
ok
ok 1000:1500 2755 dir
ok
ok 1000:1500 2700 dir" "$out"

# --- chown and chgrp ------------------------------------------------------------------
setup "chown file" write $M/pub/own x -- chown $M/pub/own 1000 1000
as 1000 1000 1000,1500 chown $M/pub/own 2000 -1 -- chown $M/pub/own 2000 1000 -- chown $M/pub/own -1 2500 -- chown $M/pub/own -1 1500 -- stat $M/pub/own \
    -- chown $M/pub/own 1000 1500 -- chown $M/pub/own -1 -1 -- chown $M/pub/own 1000 -1 -- lchown $M/pub/own -1 1000 -- fchown $M/pub/own -1 1500 -- stat $M/pub/own
expect_eq "chown: owner may change the group to its groups, nothing else; no-op allowed" "err EPERM
err EPERM
err EPERM
ok
ok 1000:1500 0644 file
ok
ok
ok
ok
ok
ok 1000:1500 0644 file" "$out"
as 2000 2000 2000,1500 chown $M/pub/own -1 2000 -- chown $M/pub/own -1 1500 -- chown $M/pub/own 2000 -1
expect_eq "chown by a non-owner: EPERM, even to a group both share or a no-op" "err EPERM
err EPERM
err EPERM" "$out"
pr chown $M/pub/own 2000 2500 -- stat $M/pub/own -- lchown $M/pub/l 3000 3000 -- lstat $M/pub/l -- stat $M/pub/f
expect_eq "root chowns to anyone; lchown changes the link" "ok
ok 2000:2500 0644 file
ok
ok 3000:3000 0777 symlink
ok 1000:1000 0644 file" "$out"

# --- chmod and set-id bits ------------------------------------------------------------
setup "chmod file" write $M/pub/cm x -- chown $M/pub/cm 1000 2500
as 2000 2000 2000 chmod $M/pub/cm 0777 -- fchmod $M/pub/cm 0777
expect_eq "chmod by a non-owner: EPERM" "err EPERM
err EPERM" "$out"
as 1000 1000 1000 chmod $M/pub/cm 0600 -- stat $M/pub/cm -- chmod $M/pub/cm 2755 -- stat $M/pub/cm -- chmod $M/pub/cm 4755 -- stat $M/pub/cm
expect_eq "chmod by the owner; S_ISGID dropped when it lacks the group, S_ISUID kept" "ok
ok 1000:2500 0600 file
ok
ok 1000:2500 0755 file
ok
ok 1000:2500 4755 file" "$out"
as 1000 1000 1000,2500 chmod $M/pub/cm 2755 -- stat $M/pub/cm
expect_eq "S_ISGID kept when the owner has the group" "ok
ok 1000:2500 2755 file" "$out"
pr chmod $M/pub/cm 6755 -- chown $M/pub/cm 3000 -1 -- stat $M/pub/cm
expect_eq "chown to another owner clears set-id bits" "ok
ok
ok 3000:2500 0755 file" "$out"
pr chmod $M/pub/cm 6755 -- chown $M/pub/cm 3000 2500 -- stat $M/pub/cm
expect_eq "a chown that changes nothing keeps set-id bits" "ok
ok
ok 3000:2500 6755 file" "$out"

# --- sticky directories ---------------------------------------------------------------
setup "sticky directory" mkdir $M/tmp 0777 -- chmod $M/tmp 1777 -- mkdir $M/tmp2 0777 -- chmod $M/tmp2 0777
as 1000 1000 1000 write $M/tmp/a x -- write $M/tmp/b x -- write $M/tmp2/a x
as 2000 2000 2000 unlink $M/tmp/a -- rename $M/tmp/a $M/tmp/c -- rename $M/tmp/b $M/tmp2/b -- write $M/tmp/mine x -- rename $M/tmp/mine $M/tmp/mine2 -- unlink $M/tmp/mine2 -- unlink $M/tmp2/a
expect_eq "sticky directory: only the entry's owner; plain 0777: anyone" "err EPERM
err EPERM
err EPERM
ok
ok
ok
ok" "$out"
as 2000 2000 2000 write $M/tmp/over y -- rename $M/tmp/over $M/tmp/b
expect_eq "sticky directory: renaming over another's entry EPERM" "ok
err EPERM" "$out"
pr unlink $M/tmp/a -- stat $M/tmp/b
expect_eq "sticky directory: root removes anything" "ok
ok 1000:1000 0644 file" "$out"
setup "sticky directory owned by 3000" mkdir $M/tmp3 0777 -- chmod $M/tmp3 1777 -- chown $M/tmp3 3000 3000
as 1000 1000 1000 mkdir $M/tmp3/d 0755
as 3000 3000 3000 rmdir $M/tmp3/d
expect_eq "sticky directory: the directory's owner removes anything" "ok" "$out"

# --- utimes ---------------------------------------------------------------------------
setup "utimes files" write $M/pub/ut x -- chown $M/pub/ut 1000 1000 -- chmod $M/pub/ut 0666 -- write $M/pub/ut2 x -- chown $M/pub/ut2 1000 1000
as 2000 2000 2000 utimes-now $M/pub/ut -- utimes-explicit $M/pub/ut -- utimes $M/pub/ut -- utimes-now $M/pub/ut2 -- utimes-explicit $M/pub/ut2
expect_eq "utimes: now needs write, explicit times need the owner" "ok
err EPERM
err EPERM
err EACCES
err EPERM" "$out"
as 1000 1000 1000 utimes-explicit $M/pub/ut2
expect_eq "utimes: the owner sets explicit times" "ok" "$out"
expect_eq "utimes: explicit times applied, refused ones not" "1000000000 no" \
    "$(stat -c %Y efs/pub/ut2) $([ "$(stat -c %Y efs/pub/ut)" = 1000000000 ] && echo yes || echo no)"
as 1000 1000 1000 chmod $M/pub/ut2 0 -- utimes-now $M/pub/ut2 -- utimes-explicit $M/pub/ut2
expect_eq "utimes: the owner may, whatever the mode" "ok
ok
ok" "$out"

# --- exec -----------------------------------------------------------------------------
printf '#!/bin/sh\necho ran\n' > script
setup "scripts" write $M/pub/x "$(cat script)" -- chown $M/pub/x 1000 1000 -- chmod $M/pub/x 0644
pr exec $M/pub/x
expect_eq "exec without any x bit: EACCES even for root" "err EACCES" "$out"
pr chmod $M/pub/x 0700 -- exec $M/pub/x
expect_eq "exec: root needs one x bit" "ok
ran" "$out"
as 2000 2000 2000 exec $M/pub/x
expect_eq "exec: x for the owner only" "err EACCES" "$out"
as 1000 1000 1000 exec $M/pub/x
expect_eq "exec: the owner runs it" "ran" "$out"

# --- read and write checks on open files ------------------------------------------------------
setup "readonly file" write $M/pub/ro x -- chown $M/pub/ro 1000 1000 -- chmod $M/pub/ro 0444
as 1000 1000 1000 open $M/pub/ro w -- open $M/pub/ro rt -- truncate $M/pub/ro 0 -- open $M/pub/ro a -- read $M/pub/ro
expect_eq "0444 for its owner: writes EACCES, reads work" "err EACCES
err EACCES
err EACCES
err EACCES
ok x" "$out"

finish
