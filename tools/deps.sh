#!/bin/sh
# SPDX-License-Identifier: MIT
# deps.sh: make sure the build dependencies (Debian packages) are present.
# As root with apt-get available, install what is missing; otherwise stop
# with the exact command to run.
PKGS="libconfig-dev libjansson-dev libarchive-dev check pkg-config"
missing=""
command -v pkg-config >/dev/null 2>&1 || missing="pkg-config"
if command -v pkg-config >/dev/null 2>&1; then
	pkg-config --exists libconfig || missing="$missing libconfig-dev"
	pkg-config --exists jansson || missing="$missing libjansson-dev"
	pkg-config --exists libarchive || missing="$missing libarchive-dev"
	pkg-config --exists check || missing="$missing check"
else
	missing="$PKGS"
fi
# Programs some tests run (a test without one is a SKIP): installed along
# with the build dependencies by root, never required.
optional=""
command -v capsh >/dev/null 2>&1 || [ -x /sbin/capsh ] || optional="libcap2-bin"
# the demo's and the image tests' Debian roots, and their image writer
command -v mmdebstrap >/dev/null 2>&1 || optional="$optional mmdebstrap"
command -v python3 >/dev/null 2>&1 || optional="$optional python3"
[ -z "$missing$optional" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
	echo "efsap: installing build dependencies:$missing $optional" >&2
	apt-get update -qq >/dev/null &&
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing $optional >/dev/null && exit 0
	echo "efsap: apt-get install failed" >&2
	exit 1
fi
if [ -z "$missing" ]; then
	echo "efsap: for every test, also: sudo apt-get install $optional" >&2
	exit 0
fi
echo "efsap: missing build dependencies:$missing" >&2
echo "efsap: run: sudo apt-get install $missing" >&2
exit 1
