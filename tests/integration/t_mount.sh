#!/bin/sh
# SPDX-License-Identifier: MIT
# t_mount.sh: starting the library, the "mount" (SPEC 5.1): a new file
# system's root, access point roots created from creation_info, existing
# roots left alone, the mount failures (exit 32, the exact message, before
# main), invalid configurations (exit 78), the built-in default announced
# once, EFSAP_DISABLE.
. "$EFSAP_SRC/tests/integration/lib.sh"

scratch_setup

# pr CONF PROBE-ARGS...: the probe under the library; $out, $err, $rc.
pr() {
	_c=$1; shift
	out=$(LD_PRELOAD="$LIB" EFSAP_CONFIG="$_c" "$P" "$@" 2>"$T/.err"); rc=$?
	err=$(cat "$T/.err")
}
# predicted NAME CONF: the failure in $err is what check --explain predicts.
predicted() {
	_w=$("$EFSAP" check --explain "$2" | sed -n 's/^  result: fails: //p')
	expect_eq "$1: the message check --explain predicts" "$_w" "$err"
}
# realmode PATH: the real permission bits of a backing object, octal.
realmode() { stat -c %a "$1"; }

# --- a new file system ------------------------------------------------------
mkdir new && cat > new/c.conf <<'EOF'
file_system = { path = "efs"; };
task = { user = "1000:1000"; };
mounts = ( { container_path = "/efsap-t/new"; } );
EOF
pr "$TP/new/c.conf" stat /efsap-t/new
expect_eq "new file system: root is 0:0 0755" "ok 0:0 0755 dir" "$out"
expect_eq "new file system: exit 0, silent" "0:" "$rc:$err"
if [ -d new/efs ]; then ok "new file system: backing directory created"; else notok "new file system: backing directory created" "no new/efs"; fi
pr "$TP/new/c.conf" stat /efsap-t/new
expect_eq "new file system: second start, same root" "ok 0:0 0755 dir" "$out"
pr "$TP/new/c.conf" fstatat-dirfd /efsap-t/new .
expect_eq "new file system: fstatat on the root" "ok 0:0 0755 dir" "$out"

# Objects placed in the backing directory by other means: 0:0, real mode.
printf 'up\n' > new/efs/uploaded && chmod 0640 new/efs/uploaded
mkdir new/efs/updir && chmod 0750 new/efs/updir
pr "$TP/new/c.conf" stat /efsap-t/new/uploaded -- stat /efsap-t/new/updir
expect_eq "unrecorded objects: owned 0:0 with their real mode" "ok 0:0 0640 file
ok 0:0 0750 dir" "$out"

# --- access point roots -----------------------------------------------------
mkdir ap && cat > ap/c.conf <<'EOF'
file_system = { id = "fs-ap"; path = "efs"; };
access_points = (
  {
    id = "fsap-deep";
    root_directory = {
      path = "/teams/a/home";
      creation_info = { owner_uid = 1000; owner_gid = 1001; permissions = "0750"; };
    };
    posix_user = { uid = 1000; gid = 1001; };
  },
  {
    id = "fsap-pre";
    root_directory = {
      path = "/pre";
      creation_info = { owner_uid = 1000; owner_gid = 1000; permissions = "0700"; };
    };
  }
);
task = { user = "0:0"; };
mounts = (
  { container_path = "/efsap-t/deep"; access_point = "fsap-deep"; transit_encryption = true; },
  { container_path = "/efsap-t/pre"; access_point = "fsap-pre"; transit_encryption = true; },
  { container_path = "/efsap-t/all"; }
);
EOF
mkdir -p ap/efs/pre && chmod 0751 ap/efs/pre
pr "$TP/ap/c.conf" stat /efsap-t/deep -- stat /efsap-t/all/teams -- stat /efsap-t/all/teams/a -- stat /efsap-t/all/teams/a/home
expect_eq "access point root: created from creation_info, parents too" "ok 1000:1001 0750 dir
ok 1000:1001 0750 dir
ok 1000:1001 0750 dir
ok 1000:1001 0750 dir" "$out"
expect_eq "access point root: exit 0" 0 "$rc"
if [ -d ap/efs/teams/a/home ]; then ok "access point root: backing directories exist"; else notok "access point root: backing directories exist" "no ap/efs/teams/a/home"; fi
pr "$TP/ap/c.conf" stat /efsap-t/pre -- stat /efsap-t/all/pre
expect_eq "existing access point root: never changed (0:0, real mode)" "ok 0:0 0751 dir
ok 0:0 0751 dir" "$out"
expect_eq "existing access point root: real mode untouched" 751 "$(realmode ap/efs/pre)"
pr "$TP/ap/c.conf" stat /efsap-t/all
expect_eq "access point roots: file system root stays 0:0 0755" "ok 0:0 0755 dir" "$out"

# A created root is not re-created or changed on the next start; a deleted
# one is re-created.
pr "$TP/ap/c.conf" chmod /efsap-t/deep 0755 -- stat /efsap-t/deep
expect_eq "access point root: owner may chmod it" "ok
ok 1000:1001 0755 dir" "$out"
pr "$TP/ap/c.conf" stat /efsap-t/deep
expect_eq "access point root: next start keeps its mode" "ok 1000:1001 0755 dir" "$out"
rm -rf ap/efs/teams/a/home
pr "$TP/ap/c.conf" stat /efsap-t/deep
expect_eq "access point root: deleted root re-created at the next start" "ok 1000:1001 0750 dir" "$out"

# read_only mounts still create the access point root (README choice).
mkdir ro && cat > ro/c.conf <<'EOF'
file_system = { path = "efs"; };
access_points = ( { id = "fsap-ro"; root_directory = { path = "/ro";
  creation_info = { owner_uid = 7; owner_gid = 8; permissions = "755"; }; }; } );
task = { user = "7:8"; };
mounts = ( { container_path = "/efsap-t/ro"; access_point = "fsap-ro"; transit_encryption = true; read_only = true; } );
EOF
pr "$TP/ro/c.conf" stat /efsap-t/ro -- mkdir /efsap-t/ro/x 755
expect_eq "read-only mount: access point root created anyway, writes EROFS" "ok 7:8 0755 dir
err EROFS" "$out"

# --- mount failures ---------------------------------------------------------
mkdir fail && cd fail || exit 1
cat > noci.conf <<'EOF'
file_system = { path = "efs"; };
access_points = ( { id = "fsap-bare"; root_directory = { path = "/bare"; }; } );
task = { user = "1000:1000"; };
mounts = ( { container_path = "/bare"; access_point = "fsap-bare"; transit_encryption = true; } );
EOF
pr "$TP/fail/noci.conf" stat /bare
expect_eq "missing access point root, no creation_info: exit 32" 32 "$rc"
expect_eq "missing access point root, no creation_info: message" \
    "efsap: mount fs-local:/bare on /bare failed: access denied by server (the access point's root directory does not exist and it has no creation_info)" "$err"
expect_eq "mount failure: main never runs" "" "$out"
predicted "missing access point root" "$TP/fail/noci.conf"
if [ -e efs/bare ]; then notok "missing access point root: nothing created" "efs/bare exists"; else ok "missing access point root: nothing created"; fi

cat > nordir.conf <<'EOF'
file_system = { path = "efs"; };
task = { user = "1000:1000"; };
mounts = ( { container_path = "/var/lib/grafana"; root_directory = "/grafana"; } );
EOF
pr "$TP/fail/nordir.conf" stat /var/lib/grafana
expect_eq "missing root_directory: exit 32" 32 "$rc"
expect_eq "missing root_directory: message" \
    "efsap: mount fs-local:/grafana on /var/lib/grafana failed, reason given by server: No such file or directory" "$err"
expect_eq "missing root_directory: main never runs" "" "$out"
predicted "missing root_directory" "$TP/fail/nordir.conf"
touch efs/grafana
pr "$TP/fail/nordir.conf" stat /var/lib/grafana
expect_eq "root_directory not a directory: message" \
    "32:efsap: mount fs-local:/grafana on /var/lib/grafana failed, reason given by server: Not a directory" "$rc:$err"
rm -f efs/grafana

# Root not searchable by the server identity.
mkdir efs/grafana && chmod 0700 efs/grafana
pr "$TP/fail/nordir.conf" stat /var/lib/grafana
expect_eq "unsearchable root: exit 32" 32 "$rc"
expect_eq "unsearchable root: message" \
    "efsap: mount fs-local:/grafana on /var/lib/grafana failed: access denied by server (server identity 1000:1000 lacks search permission on the root directory owner 0:0 mode 0700)" "$err"
predicted "unsearchable root" "$TP/fail/nordir.conf"
sed 's/1000:1000/0:0/' nordir.conf > nordir-root.conf
pr "$TP/fail/nordir-root.conf" stat /var/lib/grafana
expect_eq "unsearchable root: root (not squashed) mounts it" "0:ok 0:0 0700 dir" "$rc:$out"
chmod 0701 efs/grafana
pr "$TP/fail/nordir.conf" stat /var/lib/grafana
expect_eq "root searchable by other (x only): mounts" "0:ok 0:0 0701 dir" "$rc:$out"

# ClientMount denied.
cat > nomount.conf <<'EOF'
file_system = {
  path = "efs";
  policy = ( { effect = "Allow"; principal = "*"; actions = [ "ClientWrite" ]; } );
};
task = { user = "1000:1000"; };
mounts = ( { container_path = "/efsap-t/nm"; } );
EOF
pr "$TP/fail/nomount.conf" stat /efsap-t/nm
expect_eq "ClientMount denied: exit 32" 32 "$rc"
expect_match "ClientMount denied: message" "efsap: mount fs-local:/ on /efsap-t/nm failed: access denied by server (ClientMount not granted*" "$err"
expect_eq "ClientMount denied: one line" 1 "$(printf '%s\n' "$err" | wc -l)"
predicted "ClientMount denied" "$TP/fail/nomount.conf"

# A failing mount fails the whole program, whatever the other mounts do.
cat > two.conf <<'EOF'
file_system = { path = "efs"; };
task = { user = "1000:1000"; };
mounts = ( { container_path = "/efsap-t/good"; },
           { container_path = "/efsap-t/bad"; root_directory = "/nowhere"; } );
EOF
pr "$TP/fail/two.conf" getuid
expect_eq "one failing mount among two: exit 32" 32 "$rc"
cd "$T" || exit 1

# --- invalid configurations -------------------------------------------------
mkdir inv && cat > inv/bad.conf <<'EOF'
file_system = {
  path = "efs";
  colour = "blue";
};
mounts = ( { container_path = "relative/path"; } );
EOF
pr "$TP/inv/bad.conf" getuid
expect_eq "invalid configuration: exit 78" 78 "$rc"
expect_eq "invalid configuration: main never runs" "" "$out"
expect_match "invalid configuration: FILE:LINE for the key" "bad.conf:3: error: " "$err"
expect_match "invalid configuration: FILE:LINE for the mount" "bad.conf:5: error: " "$err"
want=$("$EFSAP" check "$TP/inv/bad.conf" 2>&1 >/dev/null)
expect_eq "invalid configuration: the same messages as efsap check" "$want" "$err"
printf 'file_system = { path = "efs" \nmounts = ( );\n' > inv/syntax.conf
pr "$TP/inv/syntax.conf" getuid
expect_eq "syntax error: exit 78" 78 "$rc"
expect_match "syntax error: FILE:LINE" "syntax.conf:*: error: " "$err"
pr "$TP/inv/missing.conf" getuid
expect_eq "missing configuration file: exit 78" 78 "$rc"
expect_match "missing configuration file: says so" "missing.conf" "$err"
pr "$TP/inv/bad.conf" exec /bin/true
expect_eq "invalid configuration: a child never starts either" "78:" "$rc:$out"

# --- the built-in default and ./efsap.conf ------------------------------------
mkdir d1 && cd d1 || exit 1
out=$(LD_PRELOAD="$LIB" "$P" stat /mnt/efs -- getuid -- exec /bin/sh -c "\"$P\" stat /mnt/efs" 2>"$T/.err"); rc=$?
err=$(cat "$T/.err")
expect_eq "default: announced once (not by the child)" \
    "efsap: no configuration file; using the built-in default (file system in $TP/d1/efs-data mounted at /mnt/efs)" "$err"
expect_eq "default: /mnt/efs is a new file system, the invoking user" "ok 0:0 0755 dir
ok $(id -u)
ok 0:0 0755 dir" "$out"
if [ -d efs-data ]; then ok "default: ./efs-data created"; else notok "default: ./efs-data created" "missing"; fi
out=$("$EFSAP" run -- "$P" stat /mnt/efs 2>"$T/.err"); rc=$?
err=$(cat "$T/.err")
expect_eq "default through efsap run: announced once" \
    "efsap: no configuration file; using the built-in default (file system in $TP/d1/efs-data mounted at /mnt/efs)" "$err"
expect_eq "default through efsap run: works" "0:ok 0:0 0755 dir" "$rc:$out"
cat > efsap.conf <<'EOF'
file_system = { path = "here"; };
task = { user = "4242:4242"; };
mounts = ( { container_path = "/efsap-t/here"; } );
EOF
out=$(LD_PRELOAD="$LIB" "$P" getuid -- stat /efsap-t/here 2>"$T/.err"); rc=$?
err=$(cat "$T/.err")
expect_eq "./efsap.conf: used, not announced" "ok 4242
ok 0:0 0755 dir:" "$out:$err"
cd "$T" || exit 1

# --- EFSAP_DISABLE ------------------------------------------------------------
out=$(EFSAP_DISABLE=1 LD_PRELOAD="$LIB" EFSAP_CONFIG="$TP/new/c.conf" "$P" getuid -- stat /efsap-t/new 2>"$T/.err"); rc=$?
expect_eq "EFSAP_DISABLE=1: calls pass through" "ok $(id -u)
err ENOENT" "$out"
out=$(EFSAP_DISABLE=1 LD_PRELOAD="$LIB" EFSAP_CONFIG="$TP/inv/bad.conf" "$P" getuid 2>"$T/.err"); rc=$?
expect_eq "EFSAP_DISABLE=1: configuration not even read" "0:ok $(id -u)" "$rc:$out"
out=$(EFSAP_DISABLE=1 LD_PRELOAD="$LIB" EFSAP_CONFIG="$TP/fail/noci.conf" "$P" getuid 2>"$T/.err"); rc=$?
expect_eq "EFSAP_DISABLE=1: no mount, no failure" "0:ok $(id -u)" "$rc:$out"

finish
