#!/bin/sh
# SPDX-License-Identifier: MIT
# t_caps.sh: capabilities of the caller identity (issue 10, item 4).  An
# emulated root task holds every capability and drops privilege as Linux
# lets it: setpriv (PR_SET_KEEPCAPS, setresuid, capset, then setresgid and
# setgroups), su-exec/gosu order, capsh; the setuid family is judged by
# CAP_SETUID and CAP_SETGID; execve transforms the sets; capget, capset
# and the capability prctls answer from the emulation, through libc and
# through syscall().  Files created after a drop belong to the new uid on
# a mount, or to an access point's posix_user (SPEC 5.2).  The same
# whether the real process is root or not.
. "$EFSAP_SRC/tests/integration/lib.sh"

scratch_setup
X="$EFSAP_BUILD/tests/capsx"
LAST=$(cat /proc/sys/kernel/cap_last_cap 2>/dev/null || echo 40)
FULL=$(printf '%x' $(( (1 << (LAST + 1)) - 1 )))
DROP7=$(printf '%x' $(( ((1 << (LAST + 1)) - 1) & ~(1 << 7) )))

mkdir mnt
M=$TP/mnt/m A=$TP/mnt/ap
cat > root.conf <<EOF
file_system = { path = "store/efs"; };
access_points = ( { id = "fsap-app";
  root_directory = { path = "/app"; creation_info = { owner_uid = 1000; owner_gid = 1000; permissions = "0777"; }; };
  posix_user = { uid = 1000; gid = 1000; }; } );
task = { user = "0:0"; };
mounts = (
  { container_path = "$M"; },
  { container_path = "$A"; access_point = "fsap-app"; transit_encryption = true; }
);
EOF
sed 's/"0:0"/"1000:1000"/' root.conf > user.conf

# ru CONF CMD...: a command under the library; $out, $err, $rc.
ru() {
	_c=$1; shift
	out=$(LD_PRELOAD="$LIB" EFSAP_CONFIG="$TP/$_c" "$@" 2>"$T/.err"); rc=$?
	err=$(cat "$T/.err")
}

# --- what a task holds -------------------------------------------------------------
ru root.conf "$X" capget -- capget1 -- capgetsys -- getkeepcaps -- bread 0 -- bread "$LAST" -- bread $((LAST + 1))
expect_eq "root task: every capability (capget v3, v1, syscall), none past the last" "ok $FULL $FULL 0
ok ffffffff ffffffff 0
ok $FULL $FULL 0
ok 0
ok 1
ok 1
err EINVAL" "$out"
ru user.conf "$X" capget -- bdrop 0 -- setuid 0 -- capset 80 80 0
expect_eq "task 1000: no capability, no drop, no setuid(0), no capset to gain" "ok 0 0 0
err EPERM
err EPERM
err EPERM" "$out"
ru root.conf "$X" capprobe -- capbadver
expect_eq "capget's version probe: NULL data answers 0 with the version; bad version EINVAL" "ok 0x20080522
version 0x20080522
err EINVAL" "$out"
ru root.conf "$X" capgetpid 1
# another process is the kernel's to answer: it succeeds whatever pid 1 holds
expect_match "capget of another process passes to the kernel" "ok " "$out"

# --- su-exec / gosu, and the reverse ----------------------------------------------
ru root.conf "$X" setgroups 1000 -- setgid 1000 -- setuid 1000 -- capget -- setuid 0 -- setgid 0 -- setgroups -
expect_eq "gosu order: groups, gid, uid; then no way back" "ok
ok
ok
ok 0 0 0
err EPERM
err EPERM
err EPERM" "$out"
ru root.conf "$X" setuid 1000 -- setgid 1000 -- setgroups -
expect_eq "reverse order: after setuid the gid cannot change" "ok
err EPERM
err EPERM" "$out"
ru root.conf "$X" keepcaps 1 -- setresuid 1000 1000 1000 -- capget -- setgid 5 -- capset "$FULL" "$FULL" 0 -- setresgid 5 5 5 -- setuid 0
expect_eq "PR_SET_KEEPCAPS then setresuid keeps permitted; capset raises effective" "ok
ok
ok 0 $FULL 0
err EPERM
ok
ok
ok" "$out"
ru root.conf "$X" setresuid 1000 1000 1000 -- capget -- capset "$FULL" "$FULL" 0
expect_eq "without KEEPCAPS setresuid clears permitted" "ok
ok 0 0 0
err EPERM" "$out"
ru root.conf "$X" keepcaps 1 -- setresuid 1000 1000 1000 -- exec "$X" capget -- getkeepcaps
expect_eq "execve after a KEEPCAPS drop: permitted gone, KEEPCAPS cleared" "ok
ok
ok 0 0 0
ok 0" "$out"
ru root.conf "$X" setresuid 1000 1000 0 -- capget -- setresuid 0 0 0 -- capget
expect_eq "a saved uid 0 keeps permitted; back to euid 0 restores effective" "ok
ok 0 $FULL 0
ok
ok $FULL $FULL 0" "$out"

# --- the bounding set, no_new_privs, ambient ----------------------------------------
ru root.conf "$X" bdrop 7 -- bread 7 -- capget -- exec "$X" capget -- setuid 5 -- setgid 5
expect_eq "bounding drop: permitted stays until execve; then no CAP_SETUID" "ok
ok 0
ok $FULL $FULL 0
ok $DROP7 $DROP7 0
err EPERM
ok" "$out"
ru root.conf "$X" getnnp -- nnp -- getnnp -- exec /bin/sh -c "grep -c '^NoNewPrivs:[[:space:]]*1' /proc/self/status; \"$X\" getnnp"
expect_eq "no_new_privs: emulated, given to the kernel, kept across execve" "ok 0
ok
ok 1
1
ok 1" "$out"
ru root.conf "$X" keepcaps 1 -- setresuid 1000 1000 1000 -- capset 80 "$FULL" 80 -- ambraise 7 -- ambis 7 -- exec "$X" capget -- setuid 4242 -- exec /usr/bin/id -u
expect_eq "capsh --addamb style: an ambient CAP_SETUID survives execve as non-root" "ok
ok
ok
ok
ok 1
ok 80 80 80
ok
4242" "$out"

# --- real programs ---------------------------------------------------------------------
if command -v setpriv >/dev/null 2>&1; then
	ru root.conf setpriv --reuid=33 --regid=33 --clear-groups /usr/bin/id -u
	expect_eq "setpriv --reuid=33 --regid=33 --clear-groups id -u" "33" "$out"
	ru root.conf setpriv --reuid=33 --regid=33 --clear-groups /usr/bin/id -G
	expect_eq "setpriv: groups cleared to the new gid" "33" "$out"
	if getent passwd 33 >/dev/null 2>&1; then
		ru root.conf setpriv --reuid=33 --regid=33 --init-groups /usr/bin/id -u
		expect_eq "setpriv --init-groups (uid 33 in /etc/passwd)" "33" "$out"
	else
		echo "ok setpriv --init-groups # SKIP no user 33 in /etc/passwd"
	fi
	ru root.conf setpriv --reuid=33 --regid=33 --clear-groups --inh-caps=-all --bounding-set=-all "$X" bread 0 -- bread 7 -- capget -- setuid 0
	expect_eq "setpriv --inh-caps=-all --bounding-set=-all: nothing left" "ok 0
ok 0
ok 0 0 0
err EPERM" "$out"
	ru user.conf setpriv --reuid=33 --regid=33 --clear-groups /usr/bin/id -u
	check "setpriv as an unprivileged task fails" [ "$rc" -ne 0 ]
	LD_PRELOAD="$LIB" EFSAP_CONFIG="$TP/root.conf" "$P" mkdir "$M/pub" 777 -- chmod "$M/pub" 777 >/dev/null
	ru root.conf setpriv --reuid=33 --regid=33 --clear-groups /bin/sh -c "echo x > $M/pub/f && echo y > $A/g"
	expect_eq "setpriv's child writes on both mounts" "0" "$rc"
else
	echo "ok setpriv # SKIP setpriv (util-linux) is not installed"
fi
RUNUSER=$(command -v runuser || { [ -x /sbin/runuser ] && echo /sbin/runuser; })
if [ "$(ldd "$LIB" 2>/dev/null | grep -c 'libasan')" -gt 0 ]; then
	# libcap-ng's constructor opens a file through the library's instrumented
	# open() before the sanitizer's runtime has started: a crash that only the
	# sanitizer build has (as with node in t_syscall.sh)
	echo "ok runuser # SKIP the library is built with ASan, which cannot start runuser preloaded"
elif [ -n "$RUNUSER" ] && getent passwd 33 >/dev/null 2>&1; then
	ru root.conf "$RUNUSER" -u "$(getent passwd 33 | cut -d: -f1)" -- /usr/bin/id -u
	expect_eq "runuser -u (PAM, initgroups, setgid, setuid)" "33" "$out"
else
	echo "ok runuser # SKIP runuser (util-linux) or a user 33 is missing"
fi
CAPSH=$(command -v capsh || { [ -x /sbin/capsh ] && echo /sbin/capsh; })
if [ -n "$CAPSH" ]; then
	ru root.conf "$CAPSH" --has-p=cap_setuid
	expect_eq "capsh: root holds cap_setuid" "0" "$rc"
	ru user.conf "$CAPSH" --has-p=cap_setuid
	check "capsh: task 1000 does not" [ "$rc" -ne 0 ]
	ru root.conf "$CAPSH" --has-b=cap_net_raw
	expect_eq "capsh: cap_net_raw in the bounding set" "0" "$rc"
	ru root.conf "$CAPSH" --drop=cap_net_raw --has-b=cap_net_raw
	check "capsh --drop: the bounding set lost it" [ "$rc" -ne 0 ]
	ru root.conf "$CAPSH" --caps=cap_chown+ep --has-p=cap_chown -- -c '"$0" capget' "$X"
	expect_eq "capsh --caps, then a shell: root's execve restores every capability" "ok $FULL $FULL 0" "$out"
	ru root.conf "$CAPSH" --gid=33 --uid=33 -- -c '/usr/bin/id -u; "$0" capget' "$X"
	expect_eq "capsh --uid: dropped, no capability left" "33
ok 0 0 0" "$out"
else
	echo "ok capsh # SKIP capsh (libcap2-bin) is not installed"
fi

# --- the server identity after a drop ----------------------------------------------------
# (made by root before the drop: a directory everyone may write)
LD_PRELOAD="$LIB" EFSAP_CONFIG="$TP/root.conf" "$P" mkdir "$M/pub" 777 -- chmod "$M/pub" 777 >/dev/null
out=$(LD_PRELOAD="$LIB" EFSAP_CONFIG="$TP/root.conf" "$P" stat "$M/pub")
expect_eq "the shared directory" "ok 0:0 0777 dir" "$out"
ru root.conf "$X" setgroups - -- setgid 33 -- setuid 33 -- exec /bin/sh -c "echo x > $M/pub/h && echo y > $A/h2"
expect_eq "a dropped task writes on the mounts" "ok
ok
ok" "$out"
out=$(LD_PRELOAD="$LIB" EFSAP_CONFIG="$TP/root.conf" "$P" stat "$M/pub/h" -- stat "$A/h2" 2>&1)
expect_eq "files created after a drop: the new uid; an access point's posix_user wins" "ok 33:33 0644 file
ok 1000:1000 0644 file" "$out"
if command -v setpriv >/dev/null 2>&1; then
	out=$(LD_PRELOAD="$LIB" EFSAP_CONFIG="$TP/root.conf" "$P" stat "$M/pub/f" -- stat "$A/g" 2>&1)
	expect_eq "files created by setpriv's child: 33 on the mount, posix_user on the access point" "ok 33:33 0644 file
ok 1000:1000 0644 file" "$out"
fi

# --- a fork keeps them, a vfork child cannot change the parent's ------------------------
ru root.conf "$PY" -c '
import os, ctypes
libc = ctypes.CDLL(None, use_errno=True)
PR_SET_KEEPCAPS, PR_GET_KEEPCAPS, PR_CAPBSET_DROP, PR_CAPBSET_READ = 8, 7, 24, 23
libc.prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0)
pid = os.fork()
if pid == 0:
    print("child", libc.prctl(PR_GET_KEEPCAPS, 0, 0, 0, 0), flush=True)
    libc.prctl(PR_CAPBSET_DROP, 0, 0, 0, 0)
    os._exit(0)
os.waitpid(pid, 0)
print("parent", libc.prctl(PR_GET_KEEPCAPS, 0, 0, 0, 0), libc.prctl(PR_CAPBSET_READ, 0, 0, 0, 0))
'
expect_eq "fork: the child inherits, its drop stays its own" "child 1
parent 1 1" "$out"
ru root.conf "$X" vforkdrop 33 -- capget
expect_eq "vfork: the child drops its uid and bounding set, the parent keeps both" "ok child 0 parent 0 1
ok $FULL $FULL 0" "$out"
ru root.conf "$PY" -c '
import os, subprocess
# the child sets its groups, gid and uid itself before its exec
r = subprocess.run(["/usr/bin/id", "-u"], capture_output=True, text=True, user=33, group=33, extra_groups=[])
print(r.stdout.strip(), os.getuid(), os.geteuid())
print(subprocess.run(["/usr/bin/id", "-u"], capture_output=True, text=True).stdout.strip())
'
expect_eq "subprocess user=33: the child drops, the parent stays root" "33 0 0
0" "$out"

finish
