#!/bin/sh
# SPDX-License-Identifier: MIT
# t_bullseye.sh: the library loads and works in an older glibc's world
# (SPEC 5.9): a Debian 11 root (glibc 2.31) made once by
#
#   mmdebstrap --variant=minbase --format=directory bullseye DIR http://deb.debian.org/debian
#
# and named by EFSAP_TEST_BULLSEYE=DIR.  Unprivileged, with bwrap (a user
# and mount namespace, DIR as /, read-only), libefsap.so bind-mounted
# inside and EFSAP_CONFIG_COMPILED naming a compiled configuration whose
# backing directory is bound at its own path: ls, mkdir and an EFS denial
# inside, and the parser's absence (no libconfig there) said at start-up
# when only EFSAP_CONFIG is given.  Skipped without the root or bwrap.
. "$EFSAP_SRC/tests/integration/lib.sh"
R=${EFSAP_TEST_BULLSEYE:-}
if [ -z "$R" ] || [ ! -x "$R/bin/sh" ] || [ ! -f "$R/etc/debian_version" ]; then
	echo "ok bullseye # SKIP EFSAP_TEST_BULLSEYE names no Debian root (see the comment of t_bullseye.sh)"
	finish
fi
if ldd "$LIB" 2>/dev/null | grep -q libasan; then
	echo "ok bullseye # SKIP the library is an ASan build (its runtime is not in the root)"
	finish
fi
if ! command -v bwrap >/dev/null 2>&1 ||
	! bwrap --unshare-user --uid 0 --gid 0 --ro-bind / / true 2>/dev/null; then
	echo "ok bullseye # SKIP bwrap cannot make a user namespace here"
	finish
fi
scratch_setup
unset EFSAP_CONFIG_COMPILED
mkdir bk
# the same paths inside and outside: the configuration, the backing directory, the library
for u in 0:0 1000:1000; do
	cat > "c-${u%%:*}.conf" <<EOF
file_system = { path = "$TP/bk"; };
task = { user = "$u"; };
mounts = ( { container_path = "/mnt/efs"; } );
EOF
	efsap compile -c "c-${u%%:*}.conf" -o "$TP/c-${u%%:*}.cc" ||
		notok "compile c-${u%%:*}.conf" "efsap compile failed"
done

# The root is read-only, so bwrap can make mount points only under its
# /tmp tmpfs: the build goes there (a checkout at /check/... has no parent
# inside), and the scratch directory, under TMPDIR, is expected there too.
IB=/tmp/.efsap-build
case $TP in
/tmp/*) ;;
*)	echo "ok bullseye # SKIP the scratch directory $TP is not under /tmp (set TMPDIR)"
	finish ;;
esac
LIB=$IB/libefsap.so
# inroot ARGS...: bwrap ARGS... in the bullseye root, the scratch directory and the build bound
inroot() {
	bwrap --unshare-user --uid 0 --gid 0 --ro-bind "$R" / --proc /proc --dev /dev \
		--tmpfs /tmp --bind "$TP" "$TP" --ro-bind "$EFSAP_BUILD" "$IB" \
		--setenv PATH /usr/sbin:/usr/bin:/sbin:/bin "$@"
}
# box UID CMD: CMD by sh in the bullseye root under the library, the compiled c-UID.cc
box() {
	inroot --setenv LD_PRELOAD "$LIB" --setenv EFSAP_CONFIG "$TP/c-$1.conf" \
		--setenv EFSAP_CONFIG_COMPILED "$TP/c-$1.cc" --setenv EFSAP_LOG deny /bin/sh -c "$2"
}

glibc=$(inroot getconf GNU_LIBC_VERSION 2>&1)
case $glibc in
"glibc 2."[0-9]|"glibc 2."[12][0-9]|"glibc 2.3"[0-3]) ok "the root's glibc is older than 2.34 ($glibc)" ;;
*) notok "the root's glibc is older than 2.34" "[$glibc]" ;;
esac
expect_eq "libefsap.so is loaded in the bullseye shell, without libconfig" "yes 0" \
	"$(box 0 "grep -q '$LIB' /proc/self/maps && echo yes; grep -c libconfig /proc/self/maps" 2>&1 |
	tr '\n' ' ' | sed 's/ $//')"
out=$(box 0 'id -u; mkdir /mnt/efs/data && ls -ldn /mnt/efs/data | cut -d" " -f1,3,4; ls /mnt/efs' 2>&1)
expect_eq "as task root: mkdir and ls on the mount" "0 drwxr-xr-x 0 0 data" "$(echo $out)"
expect_eq "... landing in the backing directory" "data" "$(ls bk)"
out=$(box 1000 'id -u; mkdir /mnt/efs/data/x; echo "status $?"' 2>&1)
expect_match "as task user 1000: mkdir in root's 0755 directory is denied" \
	"/mnt/efs/data/x*: Permission denied status 1" "$(echo $out)"
expect_match "... and the log names the denial with its errno" "EACCES (Permission denied)" "$out"
out=$(box 1000 'touch /mnt/efs/data 2>&1; stat -c "%u:%g %a" /mnt/efs/data; id -G' 2>&1)
expect_match "stat reports the recorded owner inside" "0:0 755" "$out"

# without the compiled form the parser is needed, and the root has no libconfig
out=$(inroot --setenv LD_PRELOAD "$LIB" --setenv EFSAP_CONFIG "$TP/c-0.conf" /bin/true 2>&1); rc=$?
expect_match "EFSAP_CONFIG alone: status 78, the parser's libconfig missing said" \
	"78 efsap: $TP/c-0.conf (EFSAP_CONFIG): cannot load the configuration parser" "$rc $out"
finish
