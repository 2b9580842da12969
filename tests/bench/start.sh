#!/bin/sh
# SPDX-License-Identifier: MIT
# start.sh: process start under efsap, with and without the compiled
# configuration: a shell runs /bin/true START_N times (default 500),
# natively, under `efsap run` (EFSAP_CONFIG_COMPILED: no parsing), and
# with LD_PRELOAD and EFSAP_CONFIG alone (every process parses the
# configuration with libconfig), and, when EFSAP_BUILD_BEFORE names another
# build, under that build's `efsap run`, in START_ROUNDS interleaved rounds
# (default 5).  Prints the median microseconds per start of each, wall
# clock and CPU (user + system of the loop's processes, which a busy
# machine disturbs less).
# START_SH names the looping shell (default sh: dash starts each command
# with vfork; bash forks).
# EFSAP_BUILD names the build; the configuration is conf/agents-after.conf.
set -eu
: "${EFSAP_BUILD:?set EFSAP_BUILD to the build directory}"
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
n=${START_N:-500}
rounds=${START_ROUNDS:-5}
shell=${START_SH:-sh}
work=$(mktemp -d "${TMPDIR:-/tmp}/efsap-start.XXXXXX")
trap 'rm -rf "$work"' EXIT
cp "$src/conf/agents-after.conf" "$work/efsap.conf"
cd "$work"
loop="i=0; while [ \$i -lt $n ]; do /bin/true; i=\$((i + 1)); done"

once() {	# MODE: "wall cpu" microseconds per start (cpu: user + system, the loop's processes)
	/usr/bin/time -f '%e %U %S' -o "$work/t" sh "$work/run" "$1" || exit 1
	awk -v n="$n" '{ printf "%d %d\n", $1 * 1e6 / n, ($2 + $3) * 1e6 / n }' "$work/t"
}

cat >"$work/run" <<EOF
cd "$work"
case \$1 in
native) $shell -c "\$LOOP" ;;
compiled) "$EFSAP_BUILD/efsap" run -c efsap.conf -- $shell -c "\$LOOP" ;;
parsed) env -u EFSAP_CONFIG_COMPILED EFSAP_CONFIG="$work/efsap.conf" \
		LD_PRELOAD="$EFSAP_BUILD/libefsap.so" $shell -c "\$LOOP" ;;
before) "${EFSAP_BUILD_BEFORE:-}/efsap" run -c efsap.conf -- $shell -c "\$LOOP" ;;
esac
EOF
export LOOP="$loop"

median() { awk -v k="$1" '{ print $k }' | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

"$EFSAP_BUILD/efsap" run -c efsap.conf -- true	# the backing store, once
modes="native compiled parsed${EFSAP_BUILD_BEFORE:+ before}"
r=0
while [ $r -lt "$rounds" ]; do
	for m in $modes; do
		once $m >>"$work/$m"
	done
	r=$((r + 1))
done
for m in $modes; do
	printf '%-9s %6s us/start wall %6s us/start cpu\n' "$m" "$(median 1 <"$work/$m")" \
	    "$(median 2 <"$work/$m")"
done
