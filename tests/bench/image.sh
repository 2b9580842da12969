#!/bin/sh
# SPDX-License-Identifier: MIT
# image.sh: `make bench`'s image run (issue 11): a Debian image (from
# $EFSAP_TEST_IMAGES/bookworm.tar, tests/images/base.sh) started natively
# with util-linux unshare (user, mount and pid namespaces, the image's root:
# what bubblewrap or efsap's launcher do, without an overlay) and with
# `efsap run --image` (overlay, /proc, /dev, the library, a configuration
# with one mount), in IMAGE_ROUNDS interleaved rounds (default 5):
#   - a container start: /bin/true as the container's command;
#   - process start inside: a shell in the container runs /bin/true
#     IMAGE_N times (default 300).
# Prints the medians and the ratios; a missing base root or user namespace
# is said, and the script exits 0 (nothing measured).
set -u
: "${EFSAP_BUILD:?set EFSAP_BUILD to the build directory}"
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
n=${IMAGE_N:-300}
rounds=${IMAGE_ROUNDS:-5}
base=${EFSAP_TEST_IMAGES:-}
if [ -z "$base" ] || [ ! -s "$base/bookworm.tar" ]; then
	echo "bench: image run: no Debian root (set EFSAP_TEST_IMAGES; tests/images/base.sh makes it): not measured"
	exit 0
fi
if ! unshare -Urm true 2>/dev/null; then
	echo "bench: image run: no unprivileged user namespace here: not measured"
	exit 0
fi
work=$(mktemp -d "${BENCH_TMP:-/dev/shm}/efsap-bench-image.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT
export EFSAP_CACHE_DIR="$work/cache"
cd "$work" || exit 1
printf '{ "config": {}, "layers": [ { "tar": "%s" } ] }\n' "$base/bookworm.tar" > i.json
python3 "$src/tests/images/mkimage.py" --format oci i.json img || exit 1
root=$("$EFSAP_BUILD/efsap" image unpack img 2>/dev/null | sed -n 's/^rootfs: //p')
[ -d "$root" ] || { echo "bench: image run: unpack failed" >&2; exit 1; }
cat > e.conf <<EOF
file_system = { path = "efs"; };
mounts = ( { container_path = "/mnt/efs"; } );
EOF
loop="i=0; while [ \$i -lt $n ]; do /bin/true; i=\$((i + 1)); done"

us() {	# microseconds COMMAND...: how long COMMAND takes
	t0=$(date +%s%N)
	"$@" >/dev/null 2>&1
	t1=$(date +%s%N)
	echo $(( (t1 - t0) / 1000 ))
}
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

"$EFSAP_BUILD/efsap" run --image img -c e.conf -- true >/dev/null 2>&1	# the backing store, once
r=0
while [ $r -lt "$rounds" ]; do
	us unshare -Urmpf --root="$root" /bin/true >>native.start
	us "$EFSAP_BUILD/efsap" run --image img -c e.conf -- /bin/true >>efsap.start
	echo $(( $(us unshare -Urmpf --root="$root" /bin/sh -c "$loop") / n )) >>native.loop
	echo $(( $(us "$EFSAP_BUILD/efsap" run --image img -c e.conf -- /bin/sh -c "$loop") / n )) >>efsap.loop
	r=$((r + 1))
done
for w in start loop; do
	nat=$(median <native.$w) efs=$(median <efsap.$w)
	case $w in
	start) what="image run: container start (/bin/true as the command)" ;;
	loop) what="image run: process start inside (/bin/true from sh, $n)" ;;
	esac
	printf '%-58s native %7s us  efsap %7s us  ratio %s\n' "$what" "$nat" "$efs" \
	    "$(awk -v a="$efs" -v b="$nat" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')"
done
