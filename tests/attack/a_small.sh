#!/bin/sh
# SPDX-License-Identifier: MIT
# a_small.sh: small contracts, each as Linux or the tool's manual has it:
# efsap check never hangs on a FIFO; setgroups takes NGROUPS_MAX (65,536)
# groups and refuses gid 4294967295; chown of a FIFO, socket or symbolic
# link updates its ctime; chown(f, -1, -1) by a non-owner succeeds.
. "$EFSAP_SRC/tests/attack/lib.sh"
T=$(mktmp); cd "$T" || exit 1
M=/efsap-atk/sm

# efsap check reads its files: a FIFO must not block it.
mkfifo x.conf
timeout 5 "$EFSAP" check x.conf > /dev/null 2>&1; rc=$?
case $rc in
1|2) ok "check-fifo-no-hang" ;;
124) notok "check-fifo-no-hang" "efsap check x.conf (a FIFO) hangs" ;;
*) notok "check-fifo-no-hang" "exit $rc, want 1 or 2" ;;
esac

cat > r.conf <<CONF
file_system = { path = "bk"; };
task = { user = "0:0"; };
mounts = ( { container_path = "$M"; } );
CONF
# setgroups under emulated root, as natively under real root.
if is_root && [ "$(timeout 20 "$A/misc" setgroups 2>&1)" != ok ]; then
	notok "setgroups-ngroups-max" "test broken: natively $("$A/misc" setgroups 2>&1)"
else
	out=$(pre r.conf timeout 20 "$A/misc" setgroups 2>&1)
	expect_eq "setgroups-ngroups-max" ok "$out"
fi

# lchown moves ctime: FIFO, socket, symbolic link (and a file, the control).
pre r.conf timeout 20 "$P" mkfifo $M/p 0644 -- socket $M/s -- symlink t $M/l -- write $M/f x > /dev/null
mkdir nat && (cd nat && mkfifo p && ln -s t l && echo x > f && "$PY" -c 'import socket; socket.socket(socket.AF_UNIX).bind("s")')
if is_root && [ "$(timeout 20 "$A/misc" ctime nat/p nat/s nat/l nat/f 2>&1)" != ok ]; then
	notok "chown-special-ctime" "test broken: natively $("$A/misc" ctime nat/p nat/s nat/l nat/f 2>&1)"
else
	out=$(pre r.conf timeout 20 "$A/misc" ctime $M/f $M/p $M/s $M/l 2>&1)
	expect_eq "chown-special-ctime" ok "$out"
fi

# chown(f, -1, -1) by a non-owner: 0, as on Linux.
cat > u.conf <<CONF
file_system = { path = "bk"; };
task = { user = "1000:1000"; };
mounts = ( { container_path = "$M"; } );
CONF
out=$(pre u.conf timeout 20 "$P" chown $M/f -1 -1 -- lchown $M/l -1 -1 2>&1)
expect_eq "chown-noop-by-non-owner" "ok
ok" "$out"
finish
