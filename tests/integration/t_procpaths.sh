#!/bin/sh
# SPDX-License-Identifier: MIT
# t_procpaths.sh: paths through this process's magic links (SPEC 5.5):
# /proc/self/fd/N, /dev/fd/N, /proc/thread-self/fd/N, /proc/PID/fd/N and
# /proc/self/cwd into a mount are walked by efsap from the view path, so
# ".." at the mount root leads to the mount point's parent; readlink and
# /proc/self/maps show view paths; host descriptors stay the kernel's.
. "$EFSAP_SRC/tests/integration/lib.sh"

scratch_setup

mounts_setup

pr mkdir "$M/sub" 755 -- write "$M/sub/f" hello -- mkdir "$A/sub" 700 -- write "$A/sub/x" apx -- chmod "$A/sub/x" 0400
expect_eq "setup" "ok
ok
ok
ok
ok" "$out"
echo outside > store/efs/outside-ap
pr ls "$TP/mnt" -- stat "$TP/mnt"
want_up=$out

# --- ".." at an access point root: the mount point's parent ----------------------
pr holdfd "$A" 50 -- ls /proc/self/fd/50/.. -- stat /proc/self/fd/50/..
expect_eq "/proc/self/fd/N/.. at the access point root is the mount's parent" "ok 50
$want_up" "$out"
pr holdfd "$A/sub" 50 -- ls /proc/self/fd/50/../.. -- stat /proc/self/fd/50/../.. -- ls /dev/fd/50/..
expect_eq "/proc/self/fd/N/../.. from a directory under the mount" "ok 50
$want_up
$(pr ls "$A"; echo "$out")" "$out"
pr chdir "$A" -- ls /proc/self/cwd/.. -- stat /proc/self/cwd/.. -- chdir /proc/self/cwd/.. -- getcwd
expect_eq "/proc/self/cwd/.. at the access point root is the mount's parent" "ok
$want_up
ok
ok $TP/mnt" "$out"
pr chdir "$A/sub" -- ls /proc/self/cwd/../../.. -- ls "$TP"
set -- $(printf '%s\n' "$out" | sed -n 2p) && a=$* && set -- $(printf '%s\n' "$out" | sed -n 3p)
expect_eq "/proc/self/cwd/../../.. reaches the host above the mount" "$*" "$a"

# --- the rest of the path is walked in the mount ---------------------------------
pr holdfd "$M" 50 -- read /proc/self/fd/50/sub/f -- read /dev/fd/50/sub/f -- read /proc/thread-self/fd/50/sub/f -- read /proc/self/task/fd/50/sub/f
expect_eq "/proc/self/fd/N/sub/f, /dev/fd/N/sub/f, /proc/thread-self/fd/N/sub/f" "ok 50
ok hello
ok hello
ok hello
err ENOENT" "$out"
ru sh -c "exec 7<'$M/sub'; exec cat /proc/\$\$/fd/7/f"
expect_eq "/proc/PID/fd/N/f for the process's own pid" "hello" "$out"
pr stat "$A/sub/x" -- holdfd "$A/sub/x" 50 -- stat /proc/self/fd/50 -- lstat /proc/self/fd/50
expect_eq "stat /proc/self/fd/N reports the recorded owner and mode" "ok 0:0 0400 file" "$(printf '%s\n' "$out" | sed -n 3p)"
expect_match "lstat /proc/self/fd/N is the link itself" "symlink" "$(printf '%s\n' "$out" | sed -n 4p)"
pr mkdir "$M/priv" 700 -- write "$M/priv/x" x -- setgroups - -- setgid 1000 -- setuid 1000 -- holdfd "$M" 50 -- read /proc/self/fd/50/priv/x
expect_eq "search permission is checked past /proc/self/fd/N" "ok
ok
ok
ok
ok
ok 50
err EACCES" "$out"
pr chdir "$M/sub" -- read /proc/self/cwd/f -- realpath /proc/self/cwd/../sub/f
expect_eq "/proc/self/cwd/f and realpath through it" "ok
ok hello
ok $M/sub/f" "$out"

# --- paths shown: readlink, /proc/self/maps -------------------------------------
pr holdfd "$A/sub" 50 -- readlink /dev/fd/50 -- readlink /proc/self/fd/50 -- readlink /proc/thread-self/fd/50
expect_eq "readlink /dev/fd/N and /proc/thread-self/fd/N show the view path" "ok 50
ok $A/sub
ok $A/sub
ok $A/sub" "$out"
pr maps "$M/sub/f" fopen -- maps "$A/sub/x" open
expect_eq "/proc/self/maps shows view paths (fopen, open)" "ok $M/sub/f
ok $A/sub/x" "$out"
ru cat /proc/self/maps
expect_match "/proc/self/maps still lists the process's mappings" "libefsap.so" "$out"

# --- host descriptors and working directories: the kernel's ----------------------
pr holdfd "$TP/mnt" 50 -- read /proc/self/fd/50/hostfile -- readlink /proc/self/fd/50 -- ls /proc/self/fd/50/.. -- ls "$TP"
expect_eq "a host descriptor's /proc/self/fd/N works natively" "ok 50
ok host
ok $TP/mnt
$(printf '%s\n' "$out" | sed -n 5p)" "$(printf '%s\n' "$out" | sed -n 1,4p)"
pr chdir "$TP/mnt" -- read /proc/self/cwd/hostfile -- read /proc/self/cwd/m/sub/f -- read /proc/self/fd/0/../nonesuch
expect_eq "a host cwd's /proc/self/cwd, and into a mount below it" "ok
ok host
ok hello
err ENOENT" "$out"
pr holdfd "$TP/mnt" 50 -- read /proc/self/fd/50/m/sub/f
expect_eq "a host descriptor leads into a mount below it" "ok 50
ok hello" "$out"
finish
