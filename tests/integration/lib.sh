# SPDX-License-Identifier: MIT
# lib.sh: helpers for the integration tests (sourced).
#   T=$(mktmp)            a fresh scratch directory, removed at exit
#   ok NAME / notok NAME MSG
#   check NAME CMD...     ok when CMD succeeds
#   expect_eq NAME WANT GOT
#   efsap ARGS...         the built tool;  LIB: the built library
: "${EFSAP_BUILD:?}" "${EFSAP_SRC:?}"
LIB="$EFSAP_BUILD/libefsap.so"
EFSAP="$EFSAP_BUILD/efsap"
efsap() { "$EFSAP" "$@"; }
_fails=0
ok() { echo "ok $1"; }
notok() { echo "not ok $1: $2"; _fails=$((_fails + 1)); }
check() { _n=$1; shift; if "$@" >/dev/null 2>&1; then ok "$_n"; else notok "$_n" "command failed: $*"; fi; }
expect_eq() { if [ "$2" = "$3" ]; then ok "$1"; else notok "$1" "want [$2] got [$3]"; fi; }
expect_match() { case "$3" in *$2*) ok "$1";; *) notok "$1" "want *$2* in [$3]";; esac; }
# Every scratch directory lives under one per-test root, made here (not in
# the subshell of $(mktmp)) so that the exit trap removes them all.
_troot=$(mktemp -d "${TMPDIR:-/tmp}/efsap-t.XXXXXX") && chmod 755 "$_troot"
_tmps=""
mktmp() { mktemp -d "$_troot/d.XXXXXX"; }
cleanup() { for d in $_tmps "$_troot"; do chmod -R u+rwx "$d" 2>/dev/null; rm -rf "$d"; done; }
trap cleanup EXIT
finish() { exit $((_fails != 0)); }

# scratch_setup: a fresh scratch directory as the cwd ($T, and $TP with
# links resolved), umask 022, no efsap variables inherited; $P is the probe
# program and $PY a python3.
scratch_setup() {
	T=$(mktmp)
	cd "$T" || exit 1
	TP=$(pwd -P)
	umask 022
	unset EFSAP_CONFIG EFSAP_LOG EFSAP_LOG_FILE EFSAP_STATE_DEFAULT EFSAP_DISABLE LD_PRELOAD
	P="$EFSAP_BUILD/tests/probe"
	PY=/usr/bin/python3
	[ -x "$PY" ] || PY=python3
}

# mounts_setup: in the scratch directory, two mount points whose parent
# exists on the host and which do not themselves: $M, the file system root
# (store/efs), and $A, the access point fsap-ap on /ap, named by c.conf,
# beside a host file mnt/hostfile.  Defines pr PROBE-ARGS..., the probe,
# and ru CMD..., any program, under the library: $out, $err and $rc.
mounts_setup() {
	mkdir mnt
	M=$TP/mnt/m A=$TP/mnt/ap
	echo host > mnt/hostfile
	cat > c.conf <<EOF
file_system = { path = "store/efs"; };
access_points = ( { id = "fsap-ap";
  root_directory = { path = "/ap"; creation_info = { owner_uid = 0; owner_gid = 0; permissions = "0755"; }; }; } );
task = { user = "0:0"; };
mounts = (
  { container_path = "$M"; },
  { container_path = "$A"; access_point = "fsap-ap"; transit_encryption = true; }
);
EOF
	pr() {
		out=$(LD_PRELOAD="$LIB" EFSAP_CONFIG="$TP/c.conf" "$P" "$@" 2>"$T/.err"); rc=$?
		err=$(cat "$T/.err")
	}
	ru() {
		out=$(LD_PRELOAD="$LIB" EFSAP_CONFIG="$TP/c.conf" "$@" 2>"$T/.err"); rc=$?
		err=$(cat "$T/.err")
	}
}

# image_setup NAME: the image tests' start (t_image.sh, t_imagefs.sh): a
# scratch directory, MK (the image writer), IMG (the Debian base roots of
# $EFSAP_TEST_IMAGES) and a cache of their own; the test is skipped as NAME
# without a user namespace, a base root, or with an ASan library (its
# runtime is not in the image).
image_setup() {
	scratch_setup
	MK="$EFSAP_SRC/tests/images/mkimage.py"
	IMG=${EFSAP_TEST_IMAGES:-}
	if ! unshare -Ur true 2>/dev/null; then
		echo "ok $1 # SKIP no unprivileged user namespace here"
		finish
	fi
	if [ -z "$IMG" ] || [ ! -s "$IMG/bookworm.tar" ]; then
		echo "ok $1 # SKIP no Debian base root (set EFSAP_TEST_IMAGES; tests/images/base.sh makes it)"
		finish
	fi
	if ldd "$LIB" 2>/dev/null | grep -q libasan; then
		echo "ok $1 # SKIP the library is an ASan build"
		finish
	fi
	export EFSAP_CACHE_DIR="$T/cache"
}
