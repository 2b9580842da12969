#!/bin/sh
# SPDX-License-Identifier: MIT
# t_ident.sh: identity and squashing (SPEC 5.2): the caller identity comes
# from task.user and task.groups and changes only with the setuid family
# (POSIX rules), survives fork and exec (even `env -i`), and the real
# credentials never change; the server identity is the access point's
# posix_user whatever the caller is, else the caller's, squashed when root
# lacks ClientRootAccess.
. "$EFSAP_SRC/tests/integration/lib.sh"

scratch_setup
RUID=$(id -u)

# pr CONF PROBE-ARGS...: the probe under the library; $out, $err, $rc.
pr() {
	_c=$1; shift
	out=$(LD_PRELOAD="$LIB" EFSAP_CONFIG="$_c" "$P" "$@" 2>"$T/.err"); rc=$?
	err=$(cat "$T/.err")
}
# ru CONF CMD...: any command under the library.
ru() {
	_c=$1; shift
	out=$(LD_PRELOAD="$LIB" EFSAP_CONFIG="$_c" "$@" 2>"$T/.err"); rc=$?
	err=$(cat "$T/.err")
}

cat > user.conf <<'EOF'
file_system = { path = "efs"; };
task = { user = "1000:1000"; groups = [ 1000, 2000, 3000 ]; };
mounts = ( { container_path = "/efsap-t/m"; } );
EOF
cat > nogroups.conf <<'EOF'
file_system = { path = "efs"; };
task = { user = "1234:4321"; };
mounts = ( { container_path = "/efsap-t/m"; } );
EOF
cat > root.conf <<'EOF'
file_system = { path = "efs"; };
task = { user = "0:0"; };
mounts = ( { container_path = "/efsap-t/m"; } );
EOF

# --- what the program sees ------------------------------------------------------
pr "$TP/user.conf" id -- getuid
expect_eq "task.user and task.groups: getres*id, getgroups" "ok 1000 1000 1000 1000 1000 1000 1000,2000,3000
ok 1000" "$out"
pr "$TP/nogroups.conf" id
expect_eq "task.groups defaults to [ gid ]" "ok 1234 1234 1234 4321 4321 4321 4321" "$out"
ru "$TP/user.conf" /usr/bin/id
expect_eq "id(1) shows the task user" "uid=1000 gid=1000 groups=1000,2000,3000" "$(printf '%s' "$out" | sed 's/([^)]*)//g')"
ru "$TP/user.conf" "$PY" -c 'import os; print(os.getuid(), os.geteuid(), os.getgid(), os.getegid(), sorted(os.getgroups()))'
expect_eq "python3 os.get*id" "1000 1000 1000 1000 [1000, 2000, 3000]" "$out"

# --- the setuid family ------------------------------------------------------------
pr "$TP/root.conf" setgroups 2000,2001 -- setgid 1000 -- setuid 1000 -- id -- setuid 0 -- setgid 0 -- setgroups 0
expect_eq "root drops to 1000, then cannot come back" "ok
ok
ok
ok 1000 1000 1000 1000 1000 1000 2000,2001
err EPERM
err EPERM
err EPERM" "$out"
pr "$TP/root.conf" seteuid 1000 -- id -- seteuid 0 -- id
expect_eq "seteuid: saved uid 0 lets root come back" "ok
ok 0 1000 0 0 0 0 0
ok
ok 0 0 0 0 0 0 0" "$out"
pr "$TP/root.conf" setresgid 4 5 6 -- setresuid 1 2 3 -- id
expect_eq "setresuid, setresgid" "ok
ok
ok 1 2 3 4 5 6 0" "$out"
pr "$TP/root.conf" setreuid 7 8 -- id
expect_eq "setreuid" "ok
ok 7 8 8 0 0 0 0" "$out"
pr "$TP/user.conf" setuid 0 -- seteuid 0 -- setgid 0 -- setegid 0 -- setgroups 0 -- setresuid 0 0 0 -- id
expect_eq "unprivileged task: every change to another id is EPERM" "err EPERM
err EPERM
err EPERM
err EPERM
err EPERM
err EPERM
ok 1000 1000 1000 1000 1000 1000 1000,2000,3000" "$out"
pr "$TP/user.conf" setuid 1000 -- setgid 1000 -- seteuid 1000
expect_eq "unprivileged task: setting its own ids is allowed" "ok
ok
ok" "$out"

# The real credentials never change.
pr "$TP/root.conf" setgid 1000 -- setuid 1000 -- exec /bin/sh -c 'sed -n "s/^Uid:[[:space:]]*\([0-9]*\).*/\1/p" /proc/self/status'
expect_eq "real credentials unchanged after setuid" "ok
ok
$RUID" "$out"

# --- the identity survives fork and exec ---------------------------------------------
pr "$TP/root.conf" setgroups 5 -- setgid 1000 -- setuid 1000 -- exec /bin/sh -c 'id -u; id -g; id -G; (id -u); sh -c "id -u"'
expect_eq "identity survives fork and exec (sh -c id)" "ok
ok
ok
1000
1000
1000 5
1000
1000" "$out"
pr "$TP/root.conf" setgid 1001 -- setuid 1001 -- exec /usr/bin/env -i /usr/bin/id -u
expect_eq "identity survives env -i" "ok
ok
1001" "$out"
ru "$TP/user.conf" /usr/bin/env -i /usr/bin/id -u
expect_eq "task user survives env -i" "1000" "$out"
ru "$TP/root.conf" "$PY" -c '
import os, subprocess
os.setgroups([7]); os.setgid(1002); os.setuid(1002)
print(subprocess.run(["id", "-u"], capture_output=True, text=True).stdout.strip())
print(subprocess.run(["id", "-u"], capture_output=True, text=True, env={}).stdout.strip())
pid = os.fork()
if pid == 0:
    print(os.getuid(), flush=True); os._exit(0)
os.waitpid(pid, 0)
'
expect_eq "python3: subprocess (with and without env) and fork" "1002
1002
1002" "$out"

# --- the server identity ----------------------------------------------------------
cat > ap.conf <<'EOF'
file_system = { path = "efs-ap"; };
access_points = ( {
  id = "fsap-app";
  root_directory = { path = "/app"; creation_info = { owner_uid = 1000; owner_gid = 1000; permissions = "0755"; }; };
  posix_user = { uid = 1000; gid = 1000; secondary_gids = [ 2000 ]; };
} );
task = { user = "0:0"; };
mounts = ( { container_path = "/efsap-t/app"; access_point = "fsap-app"; transit_encryption = true; } );
EOF
sed 's/"0:0"/"2000:2000"/' ap.conf > ap2000.conf
pr "$TP/ap.conf" mkdir /efsap-t/app/byroot 755 -- stat /efsap-t/app/byroot -- id
expect_eq "access point: root task creates as posix_user" "ok
ok 1000:1000 0755 dir
ok 0 0 0 0 0 0 0" "$out"
pr "$TP/ap2000.conf" write /efsap-t/app/by2000 x -- stat /efsap-t/app/by2000 -- getuid
expect_eq "access point: task 2000 creates as posix_user" "ok
ok 1000:1000 0644 file
ok 2000" "$out"
pr "$TP/ap.conf" setgid 3000 -- setuid 3000 -- mkdir /efsap-t/app/by3000 700 -- stat /efsap-t/app/by3000
expect_eq "access point: setuid changes nothing on the server" "ok
ok
ok
ok 1000:1000 0700 dir" "$out"

# Without an access point the server follows the caller's setuid calls.
pr "$TP/root.conf" mkdir /efsap-t/m/pub 777 -- chmod /efsap-t/m/pub 0777 -- setgroups - -- setgid 3000 -- setuid 3000 -- mkdir /efsap-t/m/pub/x 755 -- stat /efsap-t/m/pub/x -- mkdir /efsap-t/m/y 755
expect_eq "no access point: the server identity follows setuid" "ok
ok
ok
ok
ok
ok
ok 3000:3000 0755 dir
err EACCES" "$out"

# Two processes, two task users, the same backing directory: the same owners.
pr "$TP/user.conf" stat /efsap-t/m/pub/x -- stat /efsap-t/m/pub
expect_eq "another process and task user sees the same owners" "ok 3000:3000 0755 dir
ok 0:0 0777 dir" "$out"

# gid 0 alone is root (AWS: "If a user or group ID is 0").
cat > gid0.conf <<'EOF'
file_system = { path = "efs"; };
task = { user = "1000:0"; };
mounts = ( { container_path = "/efsap-t/m"; } );
EOF
pr "$TP/gid0.conf" mkdir /efsap-t/m/g0 755 -- stat /efsap-t/m/g0
expect_eq "gid 0 alone is root on the server" "ok
ok 1000:0 0755 dir" "$out"

# Root squashing applies to a posix_user of 0 as well.
cat > ap0.conf <<'EOF'
file_system = { path = "efs-ap0";
  policy = ( { effect = "Allow"; principal = "*"; actions = [ "ClientMount", "ClientWrite" ]; } ); };
access_points = ( {
  id = "fsap-root";
  root_directory = { path = "/pub"; creation_info = { owner_uid = 0; owner_gid = 0; permissions = "1777"; }; };
  posix_user = { uid = 0; gid = 0; };
} );
task = { user = "1000:1000"; };
mounts = ( { container_path = "/efsap-t/pub"; access_point = "fsap-root"; transit_encryption = true; } );
EOF
pr "$TP/ap0.conf" write /efsap-t/pub/f x -- stat /efsap-t/pub/f -- chown /efsap-t/pub/f 1000 1000
expect_eq "posix_user 0:0 without ClientRootAccess: squashed" "ok
ok 65534:65534 0644 file
err EPERM" "$out"

# Only the first 16 groups count (the NFS limit).
pr "$TP/root.conf" mkdir /efsap-t/m/g17 0 -- chown /efsap-t/m/g17 0 117 -- chmod /efsap-t/m/g17 0070 -- stat /efsap-t/m/g17
expect_eq "a directory for group 117 only" "ok
ok
ok
ok 0:117 0070 dir" "$out"
cat > g17.conf <<'EOF'
file_system = { path = "efs"; };
task = { user = "1000:1000"; groups = [ 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113, 114, 115, 116, 117 ]; };
mounts = ( { container_path = "/efsap-t/m"; } );
EOF
sed 's/101, 102/117, 102/; s/116, 117/116, 101/' g17.conf > g1.conf
pr "$TP/g17.conf" access /efsap-t/m/g17 x
expect_eq "the 17th group does not count" "err EACCES" "$out"
pr "$TP/g1.conf" access /efsap-t/m/g17 x
expect_eq "the 1st group counts" "ok" "$out"

finish
