#!/bin/sh
# SPDX-License-Identifier: MIT
# run.sh: efsap's POSIX conformance suite, in the manner of pjdfstest.
#
#   tests/conformance/run.sh DIR [--native|--efsap] [CASE.t...]
#
# Runs every case file (tests/conformance/*.t, or those named) in a fresh
# directory:
#   --native  directly in DIR/work (needs real root: skipped otherwise), the
#             reference the emulation is held to;
#   --efsap   (the default) under libefsap.so, in a mount of a configuration
#             with the default policy and the task user 0:0 (a root task),
#             whose backing directory is DIR/efs.  Runs unprivileged.
# Prints the failures, per-file counts and a last line
#   conformance: N passed, M failed
# and exits 1 when M > 0.  Known gaps (`gap` cases) that fail under efsap are
# counted apart as expected failures.
# fstest is built into $EFSAP_BUILD/conformance/ (default: build/ beside
# this tree), the library taken from $EFSAP_BUILD/libefsap.so.
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
: "${EFSAP_BUILD:=$src/build}"
usage() { echo "usage: $0 DIR [--native|--efsap] [CASE.t...]" >&2; exit 2; }
[ $# -ge 1 ] || usage
dir=$1; shift
mode=efsap
case ${1-} in
--native) mode=native; shift ;;
--efsap) mode=efsap; shift ;;
--*) usage ;;
esac
mkdir -p "$dir" || exit 2
dir=$(cd "$dir" && pwd -P)

if [ "$mode" = native ] && [ "$(id -u)" != 0 ]; then
	echo "conformance: --native needs root; skipped"
	exit 0
fi

# fstest, built when missing or older than its source.
FSTEST=$EFSAP_BUILD/conformance/fstest
if [ ! -x "$FSTEST" ] || [ "$here/fstest.c" -nt "$FSTEST" ]; then
	mkdir -p "$EFSAP_BUILD/conformance" &&
	${CC:-cc} -std=gnu11 -D_GNU_SOURCE -Wall -Wextra -O2 -o "$FSTEST.tmp.$$" \
		"$here/fstest.c" && mv "$FSTEST.tmp.$$" "$FSTEST" || {
		echo "conformance: cannot build fstest"; exit 2; }
fi
export FSTEST CONF_MODE=$mode

if [ $# -gt 0 ]; then cases=$*; else cases=$(ls "$here"/*.t); fi

if [ "$mode" = efsap ]; then
	LIB=$EFSAP_BUILD/libefsap.so
	[ -r "$LIB" ] || { echo "conformance: no $LIB (make first)"; exit 2; }
	mnt=/efsap-conformance
	rm -rf "$dir/efs"
	cat > "$dir/conformance.conf" <<EOF
file_system = { path = "$dir/efs"; };
task = { user = "0:0"; };
mounts = ( { container_path = "$mnt"; } );
EOF
	base=$mnt
else
	rm -rf "$dir/work"
	mkdir -m 0755 "$dir/work" || exit 2
	base=$dir/work
fi

pass=0 fail=0 xfail=0 failures=""
for t in $cases; do
	case $t in /*) ;; *) [ -e "$t" ] || t=$here/$t ;; esac
	name=$(basename "$t")
	wd=$base/${name%.t}
	# The case runs in a shell of its own: under the library for --efsap,
	# so that the shell, fstest and the set-up all see the mount.
	if [ "$mode" = efsap ]; then
		out=$(cd / && LD_PRELOAD="$LIB" EFSAP_CONFIG="$dir/conformance.conf" \
			CONF_CASE="$name" sh -c 'umask 022; mkdir "$1" && cd "$1" &&
			. "$2" && . "$3"' sh "$wd" "$here/lib.sh" "$t" 2>&1)
	else
		out=$(cd / && CONF_CASE="$name" sh -c 'umask 022; mkdir "$1" && cd "$1" &&
			. "$2" && . "$3"' sh "$wd" "$here/lib.sh" "$t" 2>&1)
	fi
	p=$(printf '%s\n' "$out" | grep -c '^ok \|^xpass ')
	f=$(printf '%s\n' "$out" | grep -c '^not ok ')
	x=$(printf '%s\n' "$out" | grep -c '^xfail ')
	if [ $((p + f + x)) -eq 0 ]; then
		f=1
		out="not ok $name: no results: $(printf '%s' "$out" | head -c 300)"
	fi
	bad=$(printf '%s\n' "$out" | grep -v '^ok \|^xfail \|^xpass \|^not ok ' | grep -v '^$')
	printf '%s\n' "$out" | grep '^not ok \|^xpass '
	[ -n "$bad" ] && printf '%s\n' "$bad" | sed "s/^/$name: stray output: /" | head -5
	line="$name: $p passed, $f failed"
	[ "$x" -gt 0 ] && line="$line, $x expected failures (known gaps)"
	echo "$line"
	pass=$((pass + p)); fail=$((fail + f)); xfail=$((xfail + x))
done

if [ "$mode" = efsap ]; then rm -rf "$dir/efs" "$dir/.efs.efsap" "$dir/conformance.conf"
else rm -rf "$dir/work"; fi
[ "$xfail" -gt 0 ] && echo "conformance: $xfail expected failures (known gaps, $mode)"
echo "conformance: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
