#!/bin/sh
# SPDX-License-Identifier: MIT
# resolve_tree.sh DIR: build the world fuzz_resolve runs in (run.sh calls
# it; run it by hand to replay a crash):
#
#   sh tests/fuzz/resolve_tree.sh /tmp/rt
#   EFSAP_CONFIG=/tmp/rt/efsap.conf build/fuzz/fuzz_resolve CRASH-FILE
#
# DIR/efsap.conf mounts the file system DIR/fzbk twice: its root at /m and,
# through an access point, /apdir at /ap (task user 0:0).  The backing tree
# is full of traps for the resolver: symbolic links climbing out, absolute
# links to "/", "/etc", the other mount and the backing directory's real
# path, loops, a chain longer than 40 links, odd and very long names, paths
# whose backing form is longer than their view.  DIR/outside is a sibling
# of the backing directory that no resolution under a mount may reach.
#
# Convention the target relies on: the only links whose target names the
# backing directory by its host path are called tobk*, and the backing
# directory's name (fzbk) appears in no other link's target.
set -e
[ $# -eq 1 ] || { echo "usage: resolve_tree.sh DIR" >&2; exit 2; }
mkdir -p "$1"
D=$(cd "$1" && pwd -P)
B=$D/fzbk

cat >"$D/efsap.conf" <<'EOF'
# fuzz_resolve: two mounts of one file system, one through an access point.
file_system = {
  id = "fs-fuzz";
  path = "fzbk";
};
access_points = (
  {
    id = "fsap-fuzz";
    root_directory = {
      path = "/apdir";
      creation_info = { owner_uid = 0; owner_gid = 0; permissions = "0755"; };
    };
  }
);
task = { user = "0:0"; };
mounts = (
  { container_path = "/m"; },
  { container_path = "/ap"; access_point = "fsap-fuzz"; transit_encryption = true; }
);
EOF

# the sibling nothing under a mount may reach
mkdir -p "$D/outside/secret" "$D/apdir-twin"
: >"$D/outside/secret/file"

mkdir -p "$B/d1/d2/d3" "$B/apdir/sub/deeper" "$B/..." "$B/ " "$B/. " "$B/...." \
    "$B/ ../x" "$B/a b/c d" "$B/-" "$B/m" "$B/ap" "$B/closed"
: >"$B/f"
: >"$B/d1/f1"
: >"$B/apdir/sub/file"
chmod 0 "$B/closed"
cd "$B"

# climbing out, relative
ln -s ../../.. up3
ln -s ../outside outside-rel
ln -s ../outside/secret/file secret-rel
ln -s ../../../../../../../../../.. d1/up
ln -s ../../../../../../../../../../../../../../../../etc/passwd d1/d2/etcrel
ln -s ../../../outside d1/d2/out3
ln -s ../../../../fzbk/d1 d1/d2/d3/dd
ln -s .. dotdot
ln -s . dot
ln -s ./. dotdot2
ln -s "../$(basename "$B")/d1" d1/viaparent_tobk	# names the backing dir: tobk*
# absolute
ln -s / root
ln -s /etc etc
ln -s /etc/passwd passwd
ln -s /ap toap
ln -s /ap/sub toapsub
ln -s /ap/.. toapup
ln -s /m tom
ln -s /m/d1/../.. tomup
ln -s //m//d1/./d2/ slashes
ln -s /m/../ap/../m/d1 mixed
ln -s /m/../../../m/d1/d2 hostm
ln -s /apdir notamount
ln -s "$B" tobk
ln -s "$B/apdir" tobk_apdir
ln -s "$B/d1/.." tobk_dotdot
ln -s "$D" tobk_parent
ln -s "/proc/self/root$B" tobk_proc
ln -s /proc/self/cwd proccwd
ln -s "$D/outside" outside-abs
# loops
ln -s loop2 loop1
ln -s loop1 loop2
ln -s self self
ln -s selfdir/x selfdir
ln -s ../d1/loopup d1/loopup
ln -s /m/absloop absloop
ln -s /ap/aploop aploop
# files in the way
ln -s f filelink
ln -s f/x notdir
ln -s d1/ trailing
# a chain: c00 -> c01 -> ... -> c44 -> d1 (c05: 40 links, fine; c04: 41, ELOOP)
i=0
while [ $i -lt 44 ]; do
	ln -s "$(printf 'c%02d' $((i + 1)))" "$(printf 'c%02d' $i)"
	i=$((i + 1))
done
ln -s d1 c44
# a chain that alternates mounts: /m/x0 -> /ap/x1 -> /m/x2 ... -> /m/d1
i=0
while [ $i -lt 44 ]; do
	j=$((i + 1))
	if [ $((j % 2)) -eq 1 ]; then t=/ap/x$j; else t=/m/x$j; fi
	if [ $((i % 2)) -eq 0 ]; then ln -s "$t" "x$i"; else ln -s "$t" "apdir/x$i"; fi
	i=$j
done
ln -s /m/d1 x44
# odd names
ln -s ... threedots
ln -s "..." "... link"
ln -s " /.." space-dotdot
ln -s "  " twospace
ln -s ".. " dotdotspace
ln -s "... /../.." dots-up
# shellcheck disable=SC2226
ln -s - dash
ln -s "a b/c d/../../.." spaces-up
ln -s m/../../.. dirm-up
long=$(printf '%0255d' 0 | tr 0 L)
mkdir "$long"
ln -s ../.. "$long/up"
ln -s "$long/$long/x" twolong
long254=$(printf '%0254d' 0 | tr 0 N)
ln -s ../.. "$long254"
# a view short enough whose backing path is too long: 16 levels of 250 bytes
l250=$(printf '%0250d' 0 | tr 0 P)
(
	i=0
	mkdir deep && cd deep
	while [ $i -lt 16 ]; do
		mkdir "$l250" && cd "$l250"
		i=$((i + 1))
	done
	ln -s ../../../../../../../../../../../../../../../../../../.. up18
	ln -s /m/deep top
	ln -s . here
)
# a target as long as a link can hold
ln -s "$(printf '%04000d' 0 | sed 's/00/.\//g')d1" longtarget
ln -s "$(printf '%04092d' 0 | sed 's/0/\//g')etc" longslash

# inside the access point's root
cd "$B/apdir"
ln -s .. up
ln -s ../.. up2
ln -s ../d1 tod1
ln -s ../outside tooutside
ln -s ../../outside tooutside2
ln -s ../../apdir-twin twin
ln -s ../apdir/sub viaparent
ln -s ../../apdir/sub/.. sub/up2
ln -s ../../../d1 sub/deeper/up3
ln -s /m/d1 absm
ln -s /m absroot
ln -s /ap/sub/.. sub/toapdir
ln -s /ap/.. sub/toapup
ln -s / sub/root
ln -s "$B/d1" tobk_d1
ln -s "$B/apdir/sub" tobk_sub
ln -s loop loop
ln -s sub/../../d1 subup
ln -s sub/deeper/up3/../.. climb
ln -s ../ap m-sibling
