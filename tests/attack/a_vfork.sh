#!/bin/sh
# SPDX-License-Identifier: MIT
# a_vfork.sh: a vfork or posix_spawn child shares the parent's memory; what
# it does to its own working directory and descriptors must not change the
# parent's emulated state (SPEC 5.5, 5.3): the parent's getcwd stays its
# own and what it creates is still recorded for the task's uid.
. "$EFSAP_SRC/tests/attack/lib.sh"
T=$(mktmp); cd "$T" || exit 1
M=/efsap-atk/a
ap_conf c.conf bk $M
pre c.conf mkdir -p $M/sub || { notok "vfork" "set-up failed"; finish; }
want="cwd=$M
uid=1000
dirfd-uid=1000"
for mode in exit exec spawn; do
	out=$(pre c.conf timeout 20 "$A/vfork" $mode $M 2>&1); rc=$?
	if dead $rc; then
		notok "vfork-$mode-parent-state" "exit $rc (crash or hang)"
	else
		expect_eq "vfork-$mode-parent-state" "$want" "$out"
	fi
	pre c.conf rm -f $M/after $M/sub/viafd
done
cat > s.py <<'PYEOF'
import os, subprocess, sys
os.chdir(sys.argv[1])
dfd = os.open("sub", os.O_RDONLY | os.O_DIRECTORY)
subprocess.run(["true"], cwd=sys.argv[1] + "/sub", close_fds=True, check=True)
print("cwd=" + os.getcwd())
with open("after", "w") as f:
    print("uid=%d" % os.fstat(f.fileno()).st_uid)
fd = os.open("viafd", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=dfd)
print("dirfd-uid=%d" % os.fstat(fd).st_uid)
PYEOF
out=$(pre c.conf timeout 20 "$PY" s.py $M 2>&1); rc=$?
if dead $rc; then notok "vfork-python-subprocess-parent-state" "exit $rc (crash or hang)"
else expect_eq "vfork-python-subprocess-parent-state" "$want" "$out"; fi

# efsap's real vfork (preload/vfork.c): the child shares memory as without
# efsap, its state changes are undone for the parent, a signal waits for
# the parent's state, a child killed holding a lock does not hang anyone,
# an exec's big vectors do not stay mapped in the parent
sed 's/user = "1000:1000"/user = "0:0"/' c.conf > r.conf
for mode in shared state signal bigexec "kill 200"; do
	for conf in c.conf r.conf; do
		[ "$conf" = r.conf ] && [ "$mode" != state ] && continue
		pre c.conf rm -rf $M/sub $M/f0 $M/p $M/by-handler $M/k
		pre c.conf mkdir $M/sub
		name="vfork-real-${mode%% *}"; [ "$conf" = r.conf ] && name="$name-root"
		out=$(pre $conf timeout 60 "$A/vfork2" $mode $M 2>&1); rc=$?
		if dead $rc; then notok "$name" "exit $rc (crash or hang)"
		elif printf '%s\n' "$out" | grep -q '^err'; then notok "$name" "$out"
		else ok "$name"; fi
	done
done
# the same kills where the store has no shared segment (no System V shared
# memory): its locks are byte locks on a description the child shared
if ! "$A/nosys" shmget true 2>/dev/null; then
	skip "vfork-real-kill-no-segment" "no seccomp filter here: $("$A/nosys" shmget true 2>&1)"
else
	pre c.conf rm -rf $M/sub $M/k
	pre c.conf mkdir $M/sub
	out=$("$A/nosys" shmget env LD_PRELOAD="$LIB" EFSAP_CONFIG=c.conf \
	    timeout 60 "$A/vfork2" kill $M 200 2>&1); rc=$?
	if dead $rc; then notok "vfork-real-kill-no-segment" "exit $rc (crash or hang)"
	elif [ "$out" != "ok kill" ]; then notok "vfork-real-kill-no-segment" "$out"
	else ok "vfork-real-kill-no-segment"; fi
fi
finish
