#!/bin/sh
# SPDX-License-Identifier: MIT
# t_dgram.sh: datagram sockets bound under a mount take datagrams sent to
# their path (sendto, sendmsg, connect + send), with the write permission
# the kernel asks of the socket's file (issue 10, item 5).
. "$EFSAP_SRC/tests/integration/lib.sh"
scratch_setup
mkdir bk
cat > u.conf <<EOF
file_system = { path = "bk"; };
task = { user = "0:0"; };
mounts = ( { container_path = "$TP/mnt"; } );
EOF
sed 's/"0:0"/"2000:2000"/' u.conf > o.conf
cat > dg.py <<'EOF'
import os, socket, sys
path, mode = sys.argv[1], sys.argv[2]
if mode == "serve":
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.bind(path)
    c = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    c.sendto(b"one", path)
    c.sendmsg([b"two"], [], 0, path)
    c.connect(path)
    c.send(b"three")
    print(" ".join(s.recv(16).decode() for _ in range(3)))
    st = os.lstat(path)
    print("%d:%d %o" % (st.st_uid, st.st_gid, st.st_mode & 0o7777))
else:
    c = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    try:
        c.sendto(b"x", path)
        print("sent")
    except OSError as e:
        print(os.strerror(e.errno))
EOF
out=$(efsap run -c u.conf -- "$PY" dg.py "$TP/mnt/d.sock" serve 2>&1)
expect_eq "sendto, sendmsg and connect+send reach a datagram socket bound under a mount" \
    "one two three
0:0 755" "$out"
out=$(efsap run -c o.conf -- "$PY" dg.py "$TP/mnt/d.sock" send 2>&1)
expect_eq "another identity without write permission on the socket: EACCES" \
    "Permission denied" "$out"
out=$(efsap run -c u.conf -- "$PY" dg.py "$TP/mnt/none.sock" send 2>&1)
expect_eq "no socket at the path: ENOENT" "No such file or directory" "$out"
finish
