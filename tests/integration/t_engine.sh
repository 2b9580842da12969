#!/bin/sh
# SPDX-License-Identifier: MIT
# t_engine.sh: the library in an image that another engine runs (issue 11,
# item 4; efsap(1) EXAMPLES): podman, then bubblewrap, each with the
# library, the configuration compiled by `efsap compile` and the backing
# directory's parent bind-mounted, nothing privileged.  An engine that is
# missing or cannot start a container here is a SKIP that says why.
. "$EFSAP_SRC/tests/integration/lib.sh"
scratch_setup
IMG=${EFSAP_TEST_IMAGES:-}
skip() { echo "ok $1 # SKIP $2"; }
if [ -z "$IMG" ] || [ ! -s "$IMG/bookworm.tar" ]; then
	skip engines "no Debian base root (set EFSAP_TEST_IMAGES; tests/images/base.sh makes it)"
	finish
fi
if ldd "$LIB" 2>/dev/null | grep -q libasan; then
	skip engines "the library is an ASan build (its runtime is not in the image)"
	finish
fi
export EFSAP_CACHE_DIR="$T/cache"
LIBDIR=$(dirname "$LIB")
cat > e.conf <<EOF
file_system = { path = "efs"; };
task = { user = "1000:1000"; };
mounts = ( { container_path = "/mnt/efs"; } );
EOF
mkdir -p efs
efsap compile -c e.conf -o e.cc || notok "efsap compile" "failed"
# what every engine runs: a mkdir the file system root refuses to uid 1000
probe='id -u; LC_ALL=C mkdir /mnt/efs/x 2>&1; echo rc=$?'
want="1000 mkdir: cannot create directory '/mnt/efs/x': Permission denied rc=1"

# podman, as its documentation runs it (root here, rootless elsewhere)
if command -v podman >/dev/null 2>&1; then
	printf '{ "config": {}, "layers": [ { "tar": "%s" } ] }\n' "$IMG/bookworm.tar" > p.json
	python3 "$EFSAP_SRC/tests/images/mkimage.py" --format docker --tag efsap-test/bookworm:t p.json p.tar 2>/dev/null
	if ! perr=$(podman load -q -i p.tar 2>&1); then
		skip podman "podman cannot load an image here: $(printf '%s' "$perr" | tail -1)"
	elif perr=$(podman run --rm --network=none localhost/efsap-test/bookworm:t true 2>&1); then
		out=$(podman run --rm --network=none \
		    -v "$LIBDIR:/.efsap/lib:ro" -v "$T/e.cc:/.efsap/config:ro" -v "$T:$T" \
		    -e LD_PRELOAD=/.efsap/lib/libefsap.so -e EFSAP_CONFIG_COMPILED=/.efsap/config \
		    localhost/efsap-test/bookworm:t sh -c "$probe" 2>&1)
		expect_eq "podman run with the library bind-mounted: the EFS root refuses uid 1000" "$want" "$(echo $out)"
	else
		skip podman "podman cannot start a container here: $(printf '%s' "$perr" | tail -1)"
	fi
	podman rmi -f localhost/efsap-test/bookworm:t >/dev/null 2>&1
else
	skip podman "podman is not installed"
fi

# bubblewrap over the same image, unpacked by efsap
if command -v bwrap >/dev/null 2>&1 && bwrap --unshare-user --ro-bind / / true 2>/dev/null; then
	printf '{ "config": {}, "layers": [ { "tar": "%s" } ] }\n' "$IMG/bookworm.tar" > b.json
	python3 "$EFSAP_SRC/tests/images/mkimage.py" --format oci b.json b.oci 2>/dev/null
	root=$(efsap image unpack b.oci 2>/dev/null | sed -n 's/^rootfs: //p')
	out=$(bwrap --unshare-user --unshare-pid --ro-bind "$root" / --proc /proc --dev /dev --tmpfs /tmp \
	    --tmpfs /opt --ro-bind "$LIBDIR" /opt/efsap/lib --ro-bind "$T/e.cc" /opt/efsap/config \
	    --bind "$T" "$T" --setenv LD_PRELOAD /opt/efsap/lib/libefsap.so \
	    --setenv EFSAP_CONFIG_COMPILED /opt/efsap/config sh -c "$probe" 2>&1)
	expect_eq "bwrap with the library bind-mounted: the EFS root refuses uid 1000" "$want" "$(echo $out)"
else
	skip bwrap "bubblewrap is missing or cannot make a user namespace"
fi
finish
