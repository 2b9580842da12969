#!/bin/sh
# SPDX-License-Identifier: MIT
# t_stress.sh: processes x threads creating, renaming, linking, chmodding,
# chowning and deleting in one directory under a mount, at once; every
# surviving object's recorded owner, group and mode must match the model
# (tests/helpers/stress.c), in the same process and from a fresh one, and
# nothing may be lost or extra.  Bounded by a timeout: a hang is a failure.
. "$EFSAP_SRC/tests/integration/lib.sh"
unset EFSAP_CONFIG EFSAP_LOG EFSAP_LOG_FILE EFSAP_DISABLE LD_PRELOAD
S="$EFSAP_BUILD/tests/stress"
T=$(mktmp)
cd "$T" || exit 1
cat > c.conf <<'CONF'
file_system = { path = "efs"; };
task = { user = "0:0"; };
mounts = ( { container_path = "/efsap-t/stress"; } );
CONF
cat > ap.conf <<'CONF'
file_system = { path = "efs"; };
access_points = ( {
  id = "fsap-s";
  root_directory = { path = "/ap"; creation_info = { owner_uid = 0; owner_gid = 0; permissions = "0755"; }; };
} );
task = { user = "0:0"; };
mounts = ( { container_path = "/efsap-t/ap"; access_point = "fsap-s"; transit_encryption = true; } );
CONF

# stress NAME CONF DIR ARGS...: a run, then a check from a fresh process.
stress() {
	_n=$1 _c=$2 _d=$3; shift 3
	out=$(LD_PRELOAD="$LIB" EFSAP_CONFIG="$T/$_c" timeout 60 sh -c \
		'mkdir "$1" && shift && exec "$@"' sh "$_d" "$S" "$@" "$_d" 2>&1)
	rc=$?
	case $rc in
	0) ok "stress $_n: $(printf '%s\n' "$out" | tail -1)" ;;
	124) notok "stress $_n" "timed out (a hang)" ;;
	*) notok "stress $_n" "exit $rc: $(printf '%s\n' "$out" | head -5 | tr '\n' ';')" ;;
	esac
	out=$(LD_PRELOAD="$LIB" EFSAP_CONFIG="$T/$_c" timeout 60 "$S" -V "$@" "$_d" 2>&1)
	expect_match "stress $_n: the state seen from a fresh process" "ok " "$out"
}

stress "4 procs x 4 threads, 1500 ops each" c.conf /efsap-t/stress/a -p 4 -t 4 -n 1500 -s 1
stress "8 procs x 2 threads, seed 2" c.conf /efsap-t/stress/b -p 8 -t 2 -n 800 -s 2
stress "1 proc x 16 threads" c.conf /efsap-t/stress/c -p 1 -t 16 -n 800 -s 3
stress "through an access point" ap.conf /efsap-t/ap/d -p 4 -t 4 -n 800 -s 4
# The same plan natively (when root, so that chown works) must pass too:
# the model, not the library, is then under test.
if [ "$(id -u)" = 0 ]; then
	mkdir "$T/native"
	out=$(timeout 60 "$S" -p 4 -t 4 -n 1500 -s 1 "$T/native" 2>&1)
	expect_match "stress natively (the model itself)" "ok " "$out"
fi
finish
