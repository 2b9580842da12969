#!/bin/sh
# SPDX-License-Identifier: MIT
# t_security.sh: "EFS client security end to end".  One test per row of
# efs-semantics.md section 9 that efsap can reproduce, each asserting what
# the user sees (the real program's message) and, with EFSAP_LOG=deny, the
# explanation (SPEC 5.7); one test per AWS console policy preset (SPEC
# 5.4); and, for every conf/*.conf, that `efsap check --explain` and the
# running library agree.
. "$EFSAP_SRC/tests/integration/lib.sh"

scratch_setup
export LC_ALL=C

# sec CONF CMD...: CMD under the library with EFSAP_LOG=deny into $T/log;
# $out (stdout), $err (stderr), $log (the log lines), $rc.
sec() {
	_c=$1; shift
	: > "$T/log"
	out=$(LD_PRELOAD="$LIB" EFSAP_CONFIG="$_c" EFSAP_LOG=deny EFSAP_LOG_FILE="$T/log" "$@" 2>"$T/.err"); rc=$?
	err=$(cat "$T/.err"); log=$(cat "$T/log")
}
# explained NAME OPS PATH ENAME RULE: a log line "efsap: OP PATH: ENAME (...)"
# (or, for a call on a descriptor, "efsap: OP (fd): ENAME (...; PATH owner")
# for one OP of the |-separated OPS, with "rule: RULE"; $line is it.
explained() {
	line=$(printf '%s\n' "$log" | grep -F -- " $3: $4 (" | head -n 1)
	[ -n "$line" ] || line=$(printf '%s\n' "$log" | grep -F -- " (fd): $4 (" | grep -F -- "; $3 owner " | head -n 1)
	_op=${line#efsap: }; _op=${_op%% *}
	case "|$2|" in *"|$_op|"*) _opok=1;; *) _opok=0;; esac
	case "$line" in
	"efsap: $_op $3: $4 ("*"; rule: $5"*|"efsap: $_op (fd): $4 ("*"; $3 owner "*"; rule: $5"*)
	    if [ $_opok = 1 ]; then ok "$1: explained"; else notok "$1: explained" "operation $_op not in $2: [$line]"; fi;;
	*) notok "$1: explained" "no line for $3 $4 with rule $5 in [$log]";;
	esac
}
# owner_of NAME CONF PATH WANT: stat under CONF shows WANT (U:G MODE TYPE).
owner_of() {
	_o=$(LD_PRELOAD="$LIB" EFSAP_CONFIG="$2" "$P" stat "$3" 2>&1)
	expect_eq "$1" "ok $4" "$_o"
}

# --- 9.1: non-root container on a new file system, no access point -------------------
mkdir -p s1/shared-storage
chown 1000:1000 s1/shared-storage 2>/dev/null	# the Dockerfile's chown (as root)
S1=$TP/s1/shared-storage
cat > s1/before.conf <<EOF
file_system = { id = "fs-azp-agents"; path = "efs"; };
task = { user = "1000:1000"; };
mounts = ( { container_path = "$S1"; transit_encryption = true; } );
EOF
sec "$TP/s1/before.conf" mkdir "$S1/artifacts"
expect_eq "9.1 new file system root 0:0 0755, uid 1000: mkdir Permission denied" \
    "1:mkdir: cannot create directory '$S1/artifacts': Permission denied" "$rc:$err"
explained "9.1" "mkdir|mkdirat" "$S1/artifacts" EACCES "POSIX permission bits"
expect_match "9.1: the log names the server identity and the root's owner" "server identity uid=1000 gid=1000 groups=1000; $S1 owner 0:0 mode 0755;" "$line"
expect_match "9.1: hint: the mount hides the image's directory" "hint: $S1 exists on this host (in the image) owned by *, but the EFS mount hides it, so a chown in the Dockerfile does not apply" "$line"
expect_match "9.1: hint: access point with posix_user and creation_info" "access point whose posix_user is uid 1000 and whose root_directory has creation_info owner_uid = 1000" "$line"
out=$(LD_PRELOAD="$LIB" EFSAP_CONFIG="$TP/s1/before.conf" EFSAP_LOG=deny mkdir "$S1/x" 2>&1 >/dev/null)
n=$(printf '%s\n' "$out" | grep -c '^efsap: ')
expect_eq "9.1: without EFSAP_LOG_FILE the explanation goes to stderr, once" 1 "$n"
sec "$TP/s1/before.conf" mkdir "$S1/x"
expect_eq "9.1: without EFSAP_LOG nothing is logged" "" "$(LD_PRELOAD="$LIB" EFSAP_CONFIG="$TP/s1/before.conf" mkdir "$S1/x" 2>&1 | grep '^efsap')"
cat > s1/after.conf <<EOF
file_system = { id = "fs-azp-agents"; path = "efs"; };
access_points = ( { id = "fsap-azp-agent";
  root_directory = { path = "/agent-storage"; creation_info = { owner_uid = 1000; owner_gid = 1000; permissions = "755"; }; };
  posix_user = { uid = 1000; gid = 1000; }; } );
task = { user = "1000:1000"; };
mounts = ( { container_path = "$S1"; access_point = "fsap-azp-agent"; transit_encryption = true; } );
EOF
sec "$TP/s1/after.conf" mkdir -p "$S1/artifacts/build-1"
expect_eq "9.1 fix: access point with posix_user and creation_info: mkdir works" "0:" "$rc:$err$log"
owner_of "9.1 fix: owned by the access point user" "$TP/s1/after.conf" "$S1/artifacts/build-1" "1000:1000 0755 dir"

# A root task on the same file system: no hint about access points.
sed 's/"1000:1000"/"0:0"/' s1/before.conf > s1/root.conf
sec "$TP/s1/root.conf" mkdir "$S1/byroot"
expect_eq "9.1 contrast: root (not squashed) writes the new root" "0:" "$rc:$err"

# --- 9.2: Jenkins home not writable by uid 1000 ------------------------------------------
mkdir s2 && cat > s2/c.conf <<'EOF'
file_system = { id = "fs-jenkins"; path = "efs"; };
task = { user = "1000:1000"; };
mounts = ( { container_path = "/var/jenkins_home"; } );
EOF
sec "$TP/s2/c.conf" touch /var/jenkins_home/copy_reference_file.log
expect_eq "9.2 Jenkins: touch Permission denied" \
    "1:touch: cannot touch '/var/jenkins_home/copy_reference_file.log': Permission denied" "$rc:$err"
explained "9.2" "open|openat|creat|utimensat" /var/jenkins_home/copy_reference_file.log EACCES "POSIX permission bits"
expect_match "9.2: hint about access points" "hint: *access point*posix_user*" "$line"
cat > s2/fix.conf <<'EOF'
file_system = { id = "fs-jenkins"; path = "efs"; };
access_points = ( { id = "fsap-jenkins";
  root_directory = { path = "/jenkins-home"; creation_info = { owner_uid = 1000; owner_gid = 1000; permissions = "755"; }; };
  posix_user = { uid = 1000; gid = 1000; }; } );
task = { user = "1000:1000"; };
mounts = ( { container_path = "/var/jenkins_home"; access_point = "fsap-jenkins"; transit_encryption = true; } );
EOF
sec "$TP/s2/fix.conf" touch /var/jenkins_home/copy_reference_file.log
expect_eq "9.2 fix: access point 1000:1000: touch works" "0:" "$rc:$err"
owner_of "9.2 fix: owner" "$TP/s2/fix.conf" /var/jenkins_home/copy_reference_file.log "1000:1000 0644 file"

# --- 9.3: missing rootDirectory without an access point ------------------------------------
mkdir s3 && cat > s3/c.conf <<'EOF'
file_system = { id = "fs-0123abcd"; path = "efs"; };
task = { user = "472:472"; };
mounts = ( { container_path = "/var/lib/grafana"; root_directory = "/grafana"; } );
EOF
sec "$TP/s3/c.conf" "$P" getuid
expect_eq "9.3 missing root_directory: exit 32, reason given by server" \
    "32:efsap: mount fs-0123abcd:/grafana on /var/lib/grafana failed, reason given by server: No such file or directory" "$rc:$err"
cat > s3/fix.conf <<'EOF'
file_system = { id = "fs-0123abcd"; path = "efs"; };
access_points = ( { id = "fsap-grafana";
  root_directory = { path = "/grafana"; creation_info = { owner_uid = 472; owner_gid = 472; permissions = "755"; }; };
  posix_user = { uid = 472; gid = 472; }; } );
task = { user = "472:472"; };
mounts = ( { container_path = "/var/lib/grafana"; access_point = "fsap-grafana"; transit_encryption = true; } );
EOF
sec "$TP/s3/fix.conf" "$P" write /var/lib/grafana/grafana.db x -- stat /var/lib/grafana/grafana.db
expect_eq "9.3 fix: access point uid 472 at /grafana" "0:ok
ok 472:472 0644 file" "$rc:$out"
sec "$TP/s3/c.conf" "$P" stat /var/lib/grafana
expect_eq "9.3: once created, the plain mount works too" "0:ok 472:472 0755 dir" "$rc:$out"

# --- 9.4: access point path missing, no creation_info --------------------------------------
mkdir s4 && cat > s4/c.conf <<'EOF'
file_system = { id = "fs-0123abcd"; path = "efs"; };
access_points = ( { id = "fsap-data"; root_directory = { path = "/data"; }; posix_user = { uid = 1000; gid = 1000; }; } );
task = { user = "1000:1000"; };
mounts = ( { container_path = "/data"; access_point = "fsap-data"; transit_encryption = true; } );
EOF
sec "$TP/s4/c.conf" "$P" getuid
expect_eq "9.4 access point root missing, no creation_info: access denied by server" \
    "32:efsap: mount fs-0123abcd:/data on /data failed: access denied by server (the access point's root directory does not exist and it has no creation_info)" "$rc:$err"
sed 's|root_directory = { path = "/data"; }|root_directory = { path = "/data"; creation_info = { owner_uid = 1000; owner_gid = 1000; permissions = "750"; }; }|' s4/c.conf > s4/fix.conf
sec "$TP/s4/fix.conf" "$P" stat /data
expect_eq "9.4 fix: creation_info" "0:ok 1000:1000 0750 dir" "$rc:$out"

# --- 9.5: entrypoint chown under a non-root access point ------------------------------------
mkdir s5 && cat > s5/c.conf <<'EOF'
file_system = { id = "fs-mongo"; path = "efs"; };
access_points = ( { id = "fsap-mongo";
  root_directory = { path = "/db"; creation_info = { owner_uid = 1001; owner_gid = 1001; permissions = "755"; }; };
  posix_user = { uid = 1001; gid = 1001; }; } );
task = { user = "0:0"; };
mounts = ( { container_path = "/data/db"; access_point = "fsap-mongo"; transit_encryption = true; } );
EOF
sec "$TP/s5/c.conf" chown 999:999 /data/db
expect_eq "9.5 root entrypoint chown under access point 1001: Operation not permitted" \
    "1:chown: changing ownership of '/data/db': Operation not permitted" "$rc:$err"
explained "9.5" "chown|lchown|fchown|fchownat" /data/db EPERM "chown restricted"
expect_match "9.5: hint: run the container as the access point user" "hint: access point fsap-mongo makes every operation run as uid 1001, which is not root" "$line"
sec "$TP/s5/c.conf" sh -c 'mkdir -p /data/db/journal && chown -R 999:999 /data/db 2>&1 | sort; chown -R 1001:1001 /data/db; echo $?'
expect_eq "9.5: chown -R to the image user fails, to the access point user is a no-op" \
    "chown: changing ownership of '/data/db': Operation not permitted
chown: changing ownership of '/data/db/journal': Operation not permitted
0" "$out"

# --- 9.6: install -o under a dynamically provisioned access point ----------------------------
mkdir s6 && cat > s6/c.conf <<'EOF'
file_system = { id = "fs-pg"; path = "efs"; };
access_points = ( { id = "fsap-pg";
  root_directory = { path = "/pg"; creation_info = { owner_uid = 50001; owner_gid = 50001; permissions = "700"; }; };
  posix_user = { uid = 50001; gid = 50001; }; } );
task = { user = "0:0"; };
mounts = ( { container_path = "/var/lib/postgresql"; access_point = "fsap-pg"; transit_encryption = true; } );
EOF
sec "$TP/s6/c.conf" install -d -o 999 -g 999 -m 0700 /var/lib/postgresql/pgdata
expect_eq "9.6 install -o: cannot change owner and permissions" \
    "1:install: cannot change owner and permissions of '/var/lib/postgresql/pgdata': Operation not permitted" "$rc:$err"
explained "9.6" "chown|lchown|fchown|fchownat" /var/lib/postgresql/pgdata EPERM "chown restricted"
sec "$TP/s6/c.conf" "$P" stat /var/lib/postgresql/pgdata
expect_eq "9.6: the directory exists, owned by the access point user" "ok 50001:50001 0700 dir" "$out"

# --- 9.7: the app compares st_uid with geteuid --------------------------------------------
mkdir s7 && cat > s7/c.conf <<'EOF'
file_system = { id = "fs-opc"; path = "efs"; };
access_points = ( { id = "fsap-opc";
  root_directory = { path = "/opc"; creation_info = { owner_uid = 1000; owner_gid = 1000; permissions = "700"; }; };
  posix_user = { uid = 1000; gid = 1000; }; } );
task = { user = "999:999"; };
mounts = ( { container_path = "/mnt/opc/data"; access_point = "fsap-opc"; transit_encryption = true; } );
EOF
opc='import os, sys
d = "/mnt/opc/data/.op/data/files"
os.makedirs(d, exist_ok=True)
if os.stat(d).st_uid != os.geteuid():
    sys.exit("We can'"'"'t safely access \"%s\" because it'"'"'s not owned by the current user." % d)
print("ok")'
sec "$TP/s7/c.conf" "$PY" -c "$opc"
expect_eq "9.7 owner is the access point uid, not the current user" \
    "1:We can't safely access \"/mnt/opc/data/.op/data/files\" because it's not owned by the current user." "$rc:$err"
sed 's/"999:999"/"1000:1000"/' s7/c.conf > s7/fix.conf
sec "$TP/s7/fix.conf" "$PY" -c "$opc"
expect_eq "9.7 fix: container user = access point uid" "0:ok" "$rc:$out"

# --- 9.8: access point posix_user 0:0 ----------------------------------------------------
mkdir s8 && cat > s8/c.conf <<'EOF'
file_system = { id = "fs-jenkins-root"; path = "efs"; };
access_points = ( { id = "fsap-root";
  root_directory = { path = "/jenkins"; creation_info = { owner_uid = 0; owner_gid = 0; permissions = "700"; }; };
  posix_user = { uid = 0; gid = 0; }; } );
task = { user = "1000:1000"; };
mounts = ( { container_path = "/var/jenkins_home"; access_point = "fsap-root"; transit_encryption = true; } );
EOF
sec "$TP/s8/c.conf" sh -c 'touch /var/jenkins_home/f && mkdir /var/jenkins_home/d && ls -ln /var/jenkins_home | awk "NR > 1 { print \$3 \":\" \$4, \$NF }"'
expect_eq "9.8 access point 0:0: everything owned by root" "0:0:0 d
0:0 f" "$rc:$out"
sec "$TP/s8/c.conf" sh -c 'chown 1000:1000 /var/jenkins_home/f && chown 4242 /var/jenkins_home/d && id -u'
expect_eq "9.8 access point 0:0: any container user can chown" "0:1000" "$rc:$out"
owner_of "9.8: chown applied" "$TP/s8/c.conf" /var/jenkins_home/d "4242:0 0755 dir"
if command -v git >/dev/null 2>&1; then
	mkdir -p s8/home
	sec "$TP/s8/c.conf" env HOME="$TP/s8/home" GIT_CONFIG_NOSYSTEM=1 sh -c 'git init -q /var/jenkins_home/repo && cd /var/jenkins_home/repo && git status'
	expect_match "9.8 access point 0:0: git detects dubious ownership" "fatal: detected dubious ownership in repository at '/var/jenkins_home/repo'" "$err"
else
	ok "9.8 git # skip (no git)"
fi

# --- 9.9: no ClientWrite --------------------------------------------------------------------
mkdir s9 && cat > s9/c.conf <<'EOF'
file_system = { id = "fs-atlantis"; path = "efs";
  policy = ( { effect = "Allow"; principal = "*"; actions = [ "ClientMount", "ClientRootAccess" ]; } ); };
task = { user = "100:1000"; };
mounts = ( { container_path = "/home/atlantis"; } );
EOF
sec "$TP/s9/c.conf" mkdir /home/atlantis/.atlantis
expect_eq "9.9 no ClientWrite: mkdir Read-only file system" \
    "1:mkdir: cannot create directory '/home/atlantis/.atlantis': Read-only file system" "$rc:$err"
explained "9.9" "mkdir|mkdirat" /home/atlantis/.atlantis EROFS "ClientWrite not granted"
expect_match "9.9: hint: add ClientWrite" "hint: add ClientWrite" "$line"
sec "$TP/s9/c.conf" ls -a /home/atlantis
expect_eq "9.9: reading works" "0:.
.." "$rc:$out"

# --- 9.10: restrictive policy, anonymous mount ----------------------------------------------
mkdir s10 && cat > s10/c.conf <<'EOF'
file_system = { id = "fs-copilot"; path = "efs";
  policy = ( { effect = "Allow"; principal = "task"; actions = [ "ClientMount", "ClientWrite" ]; } ); };
task = { user = "1000:1000"; };
mounts = ( { container_path = "/efs"; transit_encryption = true; } );
EOF
sec "$TP/s10/c.conf" "$P" getuid
expect_eq "9.10 restrictive policy, anonymous mount: exit 32" 32 "$rc"
expect_match "9.10: access denied by server" "efsap: mount fs-copilot:/ on /efs failed: access denied by server (ClientMount not granted*" "$err"
expect_eq "9.10: main never runs" "" "$out"
sed 's/transit_encryption = true;/transit_encryption = true; iam = true;/' s10/c.conf > s10/fix.conf
sec "$TP/s10/fix.conf" "$P" getuid
expect_eq "9.10 fix: iam = true" "0:ok 1000" "$rc:$out"

# --- 9.12: Compose access point at / without posix_user --------------------------------------
mkdir s12 && cat > s12/c.conf <<'EOF'
file_system = { id = "fs-compose"; path = "efs"; };
access_points = ( { id = "fsap-compose"; } );
task = { user = "1000:997"; };
mounts = ( { container_path = "/OMERO"; access_point = "fsap-compose"; transit_encryption = true; } );
EOF
sec "$TP/s12/c.conf" touch /OMERO/f
expect_eq "9.12 access point at / (root-owned), non-root image: Permission denied" \
    "1:touch: cannot touch '/OMERO/f': Permission denied" "$rc:$err"
explained "9.12" "open|openat|creat|utimensat" /OMERO/f EACCES "POSIX permission bits"
expect_match "9.12: hint: give the access point a posix_user" "hint: *give access point fsap-compose a posix_user with uid 1000" "$line"
sed 's/{ id = "fsap-compose"; }/{ id = "fsap-compose"; posix_user = { uid = 0; gid = 0; }; }/' s12/c.conf > s12/fix.conf
sec "$TP/s12/fix.conf" "$P" write /OMERO/f x -- stat /OMERO/f
expect_eq "9.12 fix: driver_opts uid/gid 0:0" "0:ok
ok 0:0 0644 file" "$rc:$out"

# --- 9.13: files owned by the access point identity ------------------------------------------
mkdir s13 && cat > s13/c.conf <<'EOF'
file_system = { id = "fs-csi"; path = "efs"; };
access_points = ( { id = "fsap-csi";
  root_directory = { path = "/pv"; creation_info = { owner_uid = 1002; owner_gid = 1002; permissions = "755"; }; };
  posix_user = { uid = 1002; gid = 1002; }; } );
task = { user = "1234:1234"; };
mounts = ( { container_path = "/data"; access_point = "fsap-csi"; transit_encryption = true; } );
EOF
sec "$TP/s13/c.conf" sh -c 'echo hi > /data/foo && id -u && ls -ln /data | awk "NR > 1 { print \$3, \$4, \$NF }"'
expect_eq "9.13 a file created by 1234 shows as the access point's 1002 1002" "0:1234
1002 1002 foo" "$rc:$out"

# --- 9.14: xattrs ---------------------------------------------------------------------------
sec "$TP/s13/c.conf" "$PY" -c 'import os; os.setxattr("/data/foo", "user.noobaa.md", b"1")'
expect_match "9.14 setxattr: Operation not supported" "OSError: [[]Errno 95[]] Operation not supported: '/data/foo'" "$err"
explained "9.14" "setxattr|lsetxattr|fsetxattr" /data/foo EOPNOTSUPP "not supported by EFS"

# --- 9.15: restoring ownership through an access point ---------------------------------------
mkdir -p s15/src && echo data > s15/src/file
sed 's/"1234:1234"/"0:0"/' s13/c.conf > s15/c.conf
if command -v rsync >/dev/null 2>&1; then
	sec "$TP/s15/c.conf" rsync -a "$TP/s15/src/" /data/restore/
	expect_match "9.15 rsync -a: chown failed: Operation not permitted (1)" "rsync: *chown \"/data/restore/*\" failed: Operation not permitted (1)" "$err"
	# rsync changes owners relative to the destination's descriptor (fchownat)
	expect_match "9.15: explained" "efsap: fchownat * (/data/restore/*): EPERM (*rule: chown restricted*" "$log"
else
	echo "ok 9.15 rsync -a # SKIP rsync is not installed"
	sec "$TP/s15/c.conf" cp -a "$TP/s15/src" /data/restore
	expect_eq "9.15 cp -a (as root): failed to preserve ownership" \
	    "cp: failed to preserve ownership for '/data/restore/file': Operation not permitted
cp: failed to preserve ownership for '/data/restore': Operation not permitted" "$err"
	explained "9.15" "chown|lchown|fchown|fchownat" /data/restore/file EPERM "chown restricted"
fi
tar -C s15/src -cf s15/a.tar file
sec "$TP/s15/c.conf" tar --same-owner -C /data -xf "$TP/s15/a.tar"
expect_match "9.15 tar as root: Cannot change ownership" "tar: file: Cannot change ownership to uid *, gid *: Operation not permitted" "$err"

# --- console policy presets --------------------------------------------------------------------
mkdir pol
# No policy: the default EFS policy allows everything to anyone.
cat > pol/none.conf <<'EOF'
file_system = { id = "fs-pol"; path = "efs"; };
task = { user = "0:0"; };
mounts = ( { container_path = "/efs"; } );
EOF
sec "$TP/pol/none.conf" "$P" mkdir /efs/pub 0777 -- chmod /efs/pub 1777 -- write /efs/rootfile x -- stat /efs/rootfile -- chown /efs/rootfile 1000 1000
expect_eq "preset none: root is root" "0:ok
ok
ok
ok 0:0 0644 file
ok" "$rc:$out"

# Prevent root access: ClientMount and ClientWrite only.
cat > pol/noroot.conf <<'EOF'
file_system = { id = "fs-pol"; path = "efs";
  policy = ( { effect = "Allow"; principal = "*"; actions = [ "ClientMount", "ClientWrite" ]; } ); };
task = { user = "0:0"; };
mounts = ( { container_path = "/efs"; } );
EOF
sec "$TP/pol/noroot.conf" "$P" id -- write /efs/pub/f x -- stat /efs/pub/f -- mkdir /efs/d 755 -- chown /efs/pub/f 0 0 -- read /efs/rootfile
expect_eq "preset prevent root access: squashed to 65534:65534" "ok 0 0 0 0 0 0 0
ok
ok 65534:65534 0644 file
err EACCES
err EPERM
ok x" "$out"
explained "preset prevent root access" "mkdir|mkdirat" /efs/d EACCES "POSIX permission bits, as root squashed (ClientRootAccess not granted)"
expect_match "preset prevent root access: hint" "hint: root is squashed to 65534:65534 because ClientRootAccess is not granted" "$line"
sec "$TP/pol/noroot.conf" touch /efs/hello
expect_eq "preset prevent root access: touch in the 0755 root" "touch: cannot touch '/efs/hello': Permission denied" "$err"

# Enforce read-only access.
cat > pol/ro.conf <<'EOF'
file_system = { id = "fs-pol"; path = "efs";
  policy = ( { effect = "Allow"; principal = "*"; actions = [ "ClientMount", "ClientRootAccess" ]; } ); };
task = { user = "0:0"; };
mounts = ( { container_path = "/efs"; } );
EOF
sec "$TP/pol/ro.conf" "$P" read /efs/rootfile -- stat /efs/pub/f -- ls /efs -- write /efs/new x -- open /efs/rootfile w -- open /efs/rootfile r -- mkdir /efs/d 755 \
    -- rmdir /efs/pub -- unlink /efs/rootfile -- rename /efs/rootfile /efs/r2 -- link /efs/rootfile /efs/r3 -- symlink x /efs/s -- mknod-fifo /efs/p \
    -- chmod /efs/rootfile 0600 -- chown /efs/rootfile 0 0 -- utimes-now /efs/rootfile -- truncate /efs/rootfile 0
expect_eq "preset enforce read-only: reads work, every change EROFS" "ok x
ok 65534:65534 0644 file
ok pub,rootfile
err EROFS
err EROFS
ok
err EROFS
err EROFS
err EROFS
err EROFS
err EROFS
err EROFS
err EROFS
err EROFS
err EROFS
err EROFS
err EROFS" "$out"
explained "preset enforce read-only" "open|openat|creat" /efs/new EROFS "ClientWrite not granted"
sed 's/container_path = "\/efs"; }/container_path = "\/efs"; read_only = true; }/' pol/none.conf > pol/romount.conf
sec "$TP/pol/romount.conf" "$P" write /efs/new x -- read /efs/rootfile
expect_eq "read_only mount: EROFS, reads work" "err EROFS
ok x" "$out"
explained "read_only mount" "open|openat|creat" /efs/new EROFS "read-only mount (read_only = true)"

# Prevent anonymous access: no ClientMount for anonymous clients.
cat > pol/noanon.conf <<'EOF'
file_system = { id = "fs-pol"; path = "efs";
  policy = ( { effect = "Allow"; principal = "*"; actions = [ "ClientWrite", "ClientRootAccess" ]; } ); };
task = { user = "0:0";
  role_policy = ( { effect = "Allow"; actions = [ "ClientMount" ]; } ); };
mounts = ( { container_path = "/efs"; transit_encryption = true; } );
EOF
sec "$TP/pol/noanon.conf" "$P" getuid
expect_eq "preset prevent anonymous access: anonymous mount exit 32" 32 "$rc"
expect_match "preset prevent anonymous access: access denied by server" "efsap: mount fs-pol:/ on /efs failed: access denied by server (ClientMount not granted*" "$err"
sed 's/transit_encryption = true;/transit_encryption = true; iam = true;/' pol/noanon.conf > pol/iam.conf
sec "$TP/pol/iam.conf" "$P" write /efs/byiam x -- stat /efs/byiam
expect_eq "preset prevent anonymous access: iam mount with the role's ClientMount works" "0:ok
ok 0:0 0644 file" "$rc:$out"

# Enforce in-transit encryption: deny everything without TLS.
cat > pol/tls.conf <<'EOF'
file_system = { id = "fs-pol"; path = "efs";
  policy = ( { effect = "Allow"; principal = "*"; actions = [ "Client*" ]; },
             { effect = "Deny"; principal = "*"; actions = [ "Client*" ]; secure_transport = false; } ); };
task = { user = "0:0"; };
mounts = ( { container_path = "/efs"; } );
EOF
sec "$TP/pol/tls.conf" "$P" getuid
expect_eq "preset enforce in-transit encryption: a mount without TLS fails" 32 "$rc"
sed 's/container_path = "\/efs"; }/container_path = "\/efs"; transit_encryption = true; }/' pol/tls.conf > pol/tls2.conf
sec "$TP/pol/tls2.conf" "$P" getuid
expect_eq "preset enforce in-transit encryption: a TLS mount works" "0:ok 0" "$rc:$out"

# Per access point rules.
cat > pol/perap.conf <<'EOF'
file_system = { id = "fs-pol"; path = "efs";
  policy = ( { effect = "Allow"; principal = "task"; actions = [ "ClientMount", "ClientWrite" ]; access_point = "fsap-app1"; },
             { effect = "Allow"; principal = "task"; actions = [ "ClientMount" ]; access_point = "fsap-app2"; } ); };
access_points = (
  { id = "fsap-app1"; root_directory = { path = "/app1"; creation_info = { owner_uid = 1001; owner_gid = 1001; permissions = "755"; }; };
    posix_user = { uid = 1001; gid = 1001; }; },
  { id = "fsap-app2"; root_directory = { path = "/app2"; creation_info = { owner_uid = 1002; owner_gid = 1002; permissions = "755"; }; };
    posix_user = { uid = 1002; gid = 1002; }; } );
task = { user = "1001:1001"; };
mounts = ( { container_path = "/data/app1"; access_point = "fsap-app1"; iam = true; transit_encryption = true; },
           { container_path = "/data/app2"; access_point = "fsap-app2"; iam = true; transit_encryption = true; } );
EOF
sec "$TP/pol/perap.conf" "$P" write /data/app1/out x -- stat /data/app1/out -- write /data/app2/out x -- stat /data/app2
expect_eq "per-access-point policy: write through app1, EROFS through app2" "ok
ok 1001:1001 0644 file
err EROFS
ok 1002:1002 0755 dir" "$out"
explained "per-access-point policy" "open|openat|creat" /data/app2/out EROFS "ClientWrite not granted"
cat > pol/perap-root.conf <<'EOF'
file_system = { id = "fs-pol"; path = "efs";
  policy = ( { effect = "Allow"; principal = "task"; actions = [ "ClientMount", "ClientWrite" ]; access_point = "fsap-app1"; } ); };
task = { user = "1001:1001"; };
mounts = ( { container_path = "/data"; iam = true; transit_encryption = true; } );
EOF
sec "$TP/pol/perap-root.conf" "$P" getuid
expect_eq "per-access-point policy: a mount without the access point fails" 32 "$rc"

# --- conf/*.conf: check --explain and the library agree --------------------------------------
mkdir confs
nconf=0
for f in "$EFSAP_SRC"/conf/*.conf; do
	[ -e "$f" ] || continue
	nconf=$((nconf + 1))
	b=$(basename "$f" .conf)
	if ! { mkdir "confs/$b" && cp "$f" "confs/$b/$b.conf"; }; then notok "conf/$b.conf: copy" "failed"; continue; fi
	# the IAM policy documents that policy_file and role_policy_file name
	[ -d "$EFSAP_SRC/conf/policies" ] && cp -R "$EFSAP_SRC/conf/policies" "confs/$b/"
	c="$TP/confs/$b/$b.conf"
	ex=$("$EFSAP" check --explain "$c" 2>/dev/null)
	fails=$(printf '%s\n' "$ex" | sed -n 's/^  result: fails: //p')
	out=$("$EFSAP" run -c "$c" -- /bin/true 2>&1); rc=$?
	if [ -z "$fails" ]; then
		expect_eq "conf/$b.conf: explain says every mount mounts; run exits 0" "0:" "$rc:$out"
	else
		expect_eq "conf/$b.conf: explain says a mount fails; run exits 32" 32 "$rc"
		case "
$fails
" in *"
$out
"*) ok "conf/$b.conf: run prints exactly explain's message";;
		*) notok "conf/$b.conf: run prints exactly explain's message" "[$out] not in [$fails]";;
		esac
		continue
	fi
	# Each writable mount: a new file is owned by explain's identity.
	for m in $(printf '%s\n' "$ex" | sed -n 's/^mount //p'); do
		blk=$(printf '%s\n' "$ex" | sed -n "\\|^mount $m\$|,/^\$/p")
		ro=$(printf '%s\n' "$blk" | sed -n 's/^  read-only: //p')
		id=$(printf '%s\n' "$blk" | sed -n 's/^  identity: uid=\([0-9]*\) gid=\([0-9]*\) .*/\1:\2/p')
		o=$("$EFSAP" run -c "$c" -- "$P" open "$m/.efsap-it" wcx 0644 -- stat "$m/.efsap-it" -- unlink "$m/.efsap-it" 2>&1)
		case "$ro:$o" in
		no:ok*) expect_eq "conf/$b.conf $m: a new file is owned by explain's identity" "$id" \
		    "$(printf '%s\n' "$o" | sed -n '2s/^ok \([0-9]*:[0-9]*\) .*/\1/p')";;
		no:*EACCES*) ok "conf/$b.conf $m: not writable for $id # skip";;
		yes*) expect_eq "conf/$b.conf $m: read-only as explain says" "err EROFS" "$(printf '%s\n' "$o" | head -n 1)";;
		*) notok "conf/$b.conf $m: create a file" "read-only [$ro], got [$o]";;
		esac
	done
done
if [ "$nconf" -eq 0 ]; then ok "conf/*.conf # skip (none)"; fi

finish
