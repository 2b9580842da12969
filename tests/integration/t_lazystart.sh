#!/bin/sh
# SPDX-License-Identifier: MIT
# t_lazystart.sh: a process that an efsap process started inherits the
# mounts and sets up its view at its first call (init.c; README "Process
# start").  What it inherited must survive what a program may do before
# that call: clear its environment, write over the strings (setproctitle),
# take a signal whose handler calls the library while the first call is
# setting up.  A first process still mounts before main, and a child whose
# mount fails says so with status 32 at its first call.
. "$EFSAP_SRC/tests/integration/lib.sh"
scratch_setup
unset EFSAP_CONFIG_COMPILED
H="$EFSAP_BUILD/tests/lazystart"
mkdir bk
cat > c.conf <<EOF
file_system = { path = "bk"; };
task = { user = "0:0"; };
mounts = ( { container_path = "$TP/mnt"; } );
EOF

# root hands identity 1234 and a working directory in the mount to a child,
# which empties or overwrites its environment before its first call
efsap run -c c.conf -- sh -c "mkdir $TP/mnt/d && chown 1234:1234 $TP/mnt/d" || notok "set-up" "mkdir failed"
for m in clearenv clobber; do
	out=$(efsap run -c c.conf -- sh -c \
		"cd $TP/mnt/d && exec setpriv --reuid=1234 --regid=1234 --clear-groups $H $m $TP/mnt/d" 2>&1)
	expect_eq "$m before the first call: the handed identity and working directory" \
		"uid=1234 cwd=$TP/mnt/d owner=1234" "$out"
done

# a signal handler that creates files while the first call sets up: every
# create is emulated (none reaches the host path, which does not exist)
fails=0 bad=
i=0
while [ $i -lt 20 ]; do
	out=$(efsap run -c c.conf -- sh -c \
		"exec setpriv --reuid=1234 --regid=1234 --clear-groups $H signal $TP/mnt/d" 2>&1)
	case $out in
	*"owner=1234"*"handler ok="*" failed=0") ;;
	*) fails=$((fails + 1)); bad=$out ;;
	esac
	i=$((i + 1))
done
expect_eq "a handler's creates during the first call's set-up, 20 runs: all emulated" "0" "$fails${bad:+ ($bad)}"
n=$(find bk/d -name 'sig.*' | wc -l)
owners=$(efsap run -c c.conf -- sh -c "stat -c %u $TP/mnt/d/sig.* | sort -u" 2>&1)
if [ "$n" -gt 0 ] && [ "$owners" = 1234 ]; then
	ok "the handler's $n files are in the file system, owned by 1234"
else
	notok "the handler's files are in the file system, owned by 1234" "$n files, owners [$owners]"
fi
[ ! -e "$TP/mnt" ] && ok "nothing was created at the host path" ||
	notok "nothing was created at the host path" "$(ls -la "$TP/mnt" 2>&1)"

# a first process mounts before main; a child whose own mount fails (its
# identity may not search the root) stops at its first call, status 32
efsap run -c c.conf -- chmod 700 "$TP/mnt" || notok "set-up" "chmod failed"
out=$(efsap run -c c.conf -- sh -c \
	"exec setpriv --reuid=1234 --regid=1234 --clear-groups $H none $TP/mnt" 2>&1); rc=$?
# (an ASan build has no stack of its own for start-up: it sets up before main)
if ldd "$LIB" 2>/dev/null | grep -q libasan; then
	expect_match "a child's failed mount: status 32 and the mount's message before main (ASan)" \
		"32 efsap: mount fs-local:/ on $TP/mnt failed" "$rc $(echo $out)"
else
	expect_match "a child's failed mount: status 32 and the mount's message at its first call" \
		"32 started efsap: mount fs-local:/ on $TP/mnt failed" "$rc $(echo $out)"
fi
out=$(efsap run -c c.conf -- sh -c "chmod 755 $TP/mnt && echo fixed" 2>&1)
expect_eq "the root's mode put back" "fixed" "$out"

finish
