#!/bin/sh
# SPDX-License-Identifier: MIT
# base.sh DIR: build the Debian root file systems the image tests and the
# demo start from, once: DIR/bookworm.tar and DIR/bullseye.tar (glibc 2.36
# and 2.31), each a minbase from Debian's own packages, and
# DIR/bookworm-postgresql.tar, bookworm with PostgreSQL 15 whose postgres
# user and group are 999, as in the official postgres image; made by
# mmdebstrap (unprivileged with --mode=unshare when not root).  A root that exists is
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
for name in bookworm bullseye bookworm-postgresql; do
	out=$dir/$name.tar
	[ -s "$out" ] && continue
	tmp=$out.tmp.$$
	suite=${name%%-*}
	set --
	if [ "$name" = bookworm-postgresql ]; then
		set -- --include=postgresql-15 \
		    --customize-hook='chroot "$1" groupmod -g 999 postgres' \
		    --customize-hook='chroot "$1" usermod -u 999 -g 999 postgres' \
		    --customize-hook='chroot "$1" chown -R 999:999 /var/lib/postgresql /var/run/postgresql /var/log/postgresql /etc/postgresql'
	fi
	if mmdebstrap --quiet --mode="$mode" --variant=minbase --format=tar "$@" \
	    "$suite" "$tmp" "$mirror" >"$dir/$name.log" 2>&1; then
		chmod 0644 "$tmp" && mv "$tmp" "$out"
	else
		rm -f "$tmp"
		echo "base.sh: mmdebstrap $name failed; see $dir/$name.log" >&2
		st=77
	fi
done
exit $st
