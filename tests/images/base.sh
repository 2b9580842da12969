#!/bin/sh
# SPDX-License-Identifier: MIT
# base.sh DIR: build the Debian root file systems the image tests and the
# demo start from, once: DIR/bookworm.tar and DIR/bullseye.tar (glibc 2.36
# and 2.31), each a minbase from Debian's own packages, made by mmdebstrap
# (unprivileged with --mode=unshare when not root).  A root that exists is
# kept; one that cannot be made (no mmdebstrap, no mirror) is reported and
# the status is 77, which the tests count as skipped.
# EFSAP_DEBIAN_MIRROR overrides http://deb.debian.org/debian.
set -u
dir=${1:?usage: base.sh DIR}
mirror=${EFSAP_DEBIAN_MIRROR:-http://deb.debian.org/debian}
mkdir -p "$dir" || exit 1
command -v mmdebstrap >/dev/null 2>&1 || {
	echo "base.sh: mmdebstrap is not installed (apt-get install mmdebstrap)" >&2
	exit 77
}
mode=auto
[ "$(id -u)" = 0 ] || mode=unshare
st=0
for suite in bookworm bullseye; do
	out=$dir/$suite.tar
	[ -s "$out" ] && continue
	tmp=$out.tmp.$$
	# the shared helper packages the tests use: none beyond minbase
	if mmdebstrap --quiet --mode="$mode" --variant=minbase --format=tar \
	    "$suite" "$tmp" "$mirror" >"$dir/$suite.log" 2>&1; then
		chmod 0644 "$tmp" && mv "$tmp" "$out"
	else
		rm -f "$tmp"
		echo "base.sh: mmdebstrap $suite failed; see $dir/$suite.log" >&2
		st=77
	fi
done
exit $st
