#!/bin/sh
# SPDX-License-Identifier: MIT
# run.sh: build the libFuzzer targets (clang) into $EFSAP_BUILD/fuzz/, run
# every regression input once, then fuzz each target for SECONDS.
#
#   tests/fuzz/run.sh [SECONDS]        (default 60; 0: regressions only)
#
# Targets: tests/fuzz/fuzz_NAME.c, seeded from tests/fuzz/corpus/NAME/ (read
# only: the growing corpus lives in $EFSAP_BUILD/fuzz/corpus/NAME/).  Most
# link the pure core only; fuzz_resolve links the library's core without
# its wrappers and runs in a scratch world made by resolve_tree.sh (a
# configuration and a backing tree full of symbolic-link traps), removed
# on exit.  A crash
# leaves its input in $EFSAP_BUILD/fuzz/crash-NAME-*; copy it into
# tests/fuzz/regress/NAME/ once fixed, so that every later run replays it.
# Exits 1 on a crash or a failed regression, 2 when the build fails.
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
: "${EFSAP_BUILD:=$src/build}"
secs=${1:-60}
CLANG=${CLANG:-$(command -v clang-14 || command -v clang)}
[ -n "$CLANG" ] || { echo "fuzz: clang not found"; exit 2; }
out=$EFSAP_BUILD/fuzz
mkdir -p "$out" || exit 2
PURE="config cconf errname config_parse iam iam_parse policy caps ident perm attr mountplan path ustr decide handover_fmt walk elfdyn"
# the library's shell without the wrappers (nothing interposed in the fuzzer)
CORE="resolve owner init state handover real act log store thread publish uaccess vfork"
FLAGS="-g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -std=gnu11 -D_GNU_SOURCE -I$src/preload"
CFG_CFLAGS="$(pkg-config --cflags libconfig 2>/dev/null) $(pkg-config --cflags jansson 2>/dev/null)"
CFG_LIBS="$(pkg-config --libs libconfig 2>/dev/null || echo -lconfig) $(pkg-config --libs jansson 2>/dev/null || echo -ljansson)"
pure_srcs=""
for m in $PURE; do pure_srcs="$pure_srcs $src/preload/$m.c"; done
core_srcs=""
for m in $CORE; do core_srcs="$core_srcs $src/preload/$m.c"; done

world=""
cleanup() {
	[ -n "$world" ] || return 0
	chmod 755 "$world/fzbk/closed" 2>/dev/null
	rm -rf "$world"
	world=""
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# libconfig's scanner leaks its string buffer on some syntax errors
# (strbuf_append); efsap calls config_destroy(), so that leak is not ours.
LSAN_OPTIONS="suppressions=$here/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export LSAN_OPTIONS
status=0
for t in "$here"/fuzz_*.c; do
	name=$(basename "$t" .c); name=${name#fuzz_}
	bin=$out/fuzz_$name
	srcs=$pure_srcs
	libs=$CFG_LIBS
	[ "$name" = resolve ] && { srcs="$srcs $core_srcs"; libs="$libs -ldl -lpthread"; }
	# shellcheck disable=SC2086
	if ! $CLANG $FLAGS $CFG_CFLAGS -o "$bin" "$t" $srcs $libs 2>"$out/$name.build.log"; then
		echo "fuzz $name: build failed"; sed 's/^/   /' "$out/$name.build.log" | head -20
		exit 2
	fi
	unset EFSAP_CONFIG
	if [ "$name" = resolve ]; then
		if ! world=$(mktemp -d "${TMPDIR:-/tmp}/efsap-fuzz-resolve.XXXXXX") ||
		    ! sh "$here/resolve_tree.sh" "$world" 2>"$out/$name.world.log"; then
			echo "fuzz $name: cannot build its world"; sed 's/^/   /' "$out/$name.world.log" | head -20
			exit 2
		fi
		EFSAP_CONFIG=$world/efsap.conf
		export EFSAP_CONFIG
	fi
	regs=$(find "$here/regress/$name" -type f ! -name '.*' 2>/dev/null)
	if [ -n "$regs" ]; then
		# shellcheck disable=SC2086
		if "$bin" $regs >"$out/$name.regress.log" 2>&1; then
			echo "fuzz $name: $(echo "$regs" | wc -l) regression inputs pass"
		else
			echo "fuzz $name: a regression input fails (see $out/$name.regress.log)"
			tail -30 "$out/$name.regress.log" | sed 's/^/   /'
			status=1
		fi
	fi
	[ "$secs" -gt 0 ] || continue
	mkdir -p "$out/corpus/$name"
	if "$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
	    -artifact_prefix="$out/crash-$name-" "$out/corpus/$name" "$here/corpus/$name" \
	    >"$out/$name.log" 2>&1; then
		echo "fuzz $name: ${secs}s, $(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$out/$name.log") runs, no crash"
	else
		echo "fuzz $name: CRASH; input saved as $(ls -t "$out"/crash-"$name"-* 2>/dev/null | head -1)"
		echo "   (once fixed, copy it into tests/fuzz/regress/$name/)"
		grep -A15 'ERROR\|SUMMARY\|==ERROR\|INVARIANT' "$out/$name.log" | head -30 | sed 's/^/   /'
		status=1
	fi
	unset EFSAP_CONFIG
	cleanup
done
exit $status
