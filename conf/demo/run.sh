#!/bin/sh
# SPDX-License-Identifier: MIT
# The build-agents story (seed 002), run for real: two pipeline agents on
# ECS Fargate share an EFS volume at /shared-storage.
# The agent's image is a real one: Debian (a mmdebstrap root), a layer that
# adds the user agent (1000), a layer from the Dockerfile's
# `RUN mkdir /shared-storage && chown agent /shared-storage`, USER agent.
# Phase 1, no access point: the agent cannot create anything in the new
# file system's root (0:0 0755), and efsap says why: the mount hides the
# image's directory, and the layer that chowned it does not apply.
# Phase 2, an access point with posix_user 1000:1000 and creation_info: it
# works, and a second agent running as another container user shares the files.
# The configurations are those beside this script's directory: conf/ in the
# source tree, /usr/share/doc/efsap/examples/ in the Debian package.
# EFSAP_BIN names the efsap to run (an installed one: /usr/bin/efsap, or
# efsap from PATH); without it, the build tree's ($EFSAP_BUILD, as make demo sets).
# The Debian root comes from $EFSAP_TEST_IMAGES/bookworm.tar when set, else
# is made once by mmdebstrap into the cache ($EFSAP_CACHE_DIR, else
# ~/.cache/efsap); without mmdebstrap or a user namespace, the story runs
# on the host instead, and says so.
set -u
confs=$(cd "$(dirname "$0")/.." && pwd)
if [ -n "${EFSAP_BIN:-}" ]; then
	efsap=$(command -v "$EFSAP_BIN") || { echo "demo: $EFSAP_BIN: not found" >&2; exit 1; }
else
	: "${EFSAP_BUILD:?run me with make demo, or set EFSAP_BIN to an installed efsap}"
	efsap="$EFSAP_BUILD/efsap"
fi
echo "demo: $efsap, $("$efsap" --version)"
work=$(mktemp -d "${TMPDIR:-/tmp}/efsap-demo.XXXXXX")
trap 'rm -rf "$work"' EXIT
cp "$confs/agents-before.conf" "$confs/agents-after.conf" "$work/"
# agent 2: same task definition, another container user
sed 's/user = "1000:1000";/user = "2000:2000";/' "$work/agents-after.conf" > "$work/agents-after-agent2.conf"

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
show() { printf '$ %s\n' "$*"; }

# The image tools: beside the configurations when installed, in tests/images in the source tree.
images=$confs/images
[ -f "$images/mkimage.py" ] || images=$confs/../tests/images
in_image=""
step "Phase 0: the agent's image"
if ! unshare -Ur true 2>/dev/null; then
	echo "demo: this system gives no unprivileged user namespace: the story runs on the host"
elif ! command -v python3 >/dev/null 2>&1 || [ ! -f "$images/mkimage.py" ]; then
	echo "demo: python3 or $images/mkimage.py is missing: the story runs on the host"
else
	base=${EFSAP_TEST_IMAGES:-${EFSAP_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/efsap}/base}
	if [ ! -s "$base/bookworm.tar" ]; then
		echo "(a Debian bookworm root, made once by mmdebstrap into $base)"
		sh "$images/base.sh" "$base" >/dev/null 2>&1
	fi
	if [ -s "$base/bookworm.tar" ]; then
		tar -xOf "$base/bookworm.tar" ./etc/passwd > "$work/passwd" 2>/dev/null ||
			tar -xOf "$base/bookworm.tar" etc/passwd > "$work/passwd"
		tar -xOf "$base/bookworm.tar" ./etc/group > "$work/group" 2>/dev/null ||
			tar -xOf "$base/bookworm.tar" etc/group > "$work/group"
		python3 - "$base/bookworm.tar" "$work" > "$work/agent.json" <<'PY'
import json, sys
base, work = sys.argv[1], sys.argv[2]
passwd = open(work + "/passwd").read() + "agent:x:1000:1000::/home/agent:/bin/sh\n"
group = open(work + "/group").read() + "agent:x:1000:\n"
print(json.dumps({
  "config": {"User": "agent", "WorkingDir": "/home/agent",
             "Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
             "Cmd": ["/bin/sh"]},
  "layers": [
    {"tar": base, "created_by": "/bin/sh -c #(nop) ADD file:bookworm-minbase.tar in / "},
    {"created_by": "RUN useradd -u 1000 -m agent", "entries": [
      {"type": "file", "path": "etc/passwd", "mode": "0644", "content": passwd},
      {"type": "file", "path": "etc/group", "mode": "0644", "content": group},
      {"type": "dir", "path": "home/agent", "uid": 1000, "gid": 1000, "mode": "0755"}]},
    {"created_by": "RUN mkdir /shared-storage && chown agent /shared-storage", "entries": [
      {"type": "dir", "path": "shared-storage", "uid": 1000, "gid": 1000, "mode": "0755"}]}]}))
PY
		python3 "$images/mkimage.py" --format docker "$work/agent.json" "$work/agent.tar" &&
			in_image="--image agent.tar"
		"$efsap" image unpack "$work/agent.tar" >/dev/null 2>&1
	fi
	[ -n "$in_image" ] || echo "demo: no Debian root (mmdebstrap: make deps): the story runs on the host"
fi
cd "$work"
if [ -n "$in_image" ]; then
	echo "agent.tar: a docker save archive: Debian bookworm, user agent, USER agent"
	show "efsap image inspect agent.tar /shared-storage"
	"$efsap" image inspect agent.tar /shared-storage
	echo "(the Dockerfile's chown made /shared-storage the agent's, in layer 3)"
fi

step "Phase 1: the task mounts the file system root, no access point"
show "efsap check --explain ${in_image:+$in_image }agents-before.conf"
"$efsap" check --explain $in_image agents-before.conf
show "efsap run ${in_image:+$in_image }--log=deny -c agents-before.conf -- mkdir -p /shared-storage/pipeline/artifacts"
"$efsap" run $in_image --log=deny -c agents-before.conf -- mkdir -p /shared-storage/pipeline/artifacts
rc=$?
if [ $rc -eq 0 ]; then
	echo "demo: unexpected success in phase 1" >&2
	exit 1
fi
echo "(exit $rc: the pipeline fails here, as it did on Fargate)"

step "Phase 2: the task mounts through access point fsap-azp-agent"
show "efsap check --explain ${in_image:+$in_image }agents-after.conf"
"$efsap" check --explain $in_image agents-after.conf
step "Agent 1 (container user 1000) builds and publishes artifacts"
"$efsap" run $in_image -c agents-after.conf -- sh -c '
	set -e
	id
	mkdir -p /shared-storage/pipeline/artifacts
	echo "build 42" > /shared-storage/pipeline/artifacts/app.tar
	ls -ln /shared-storage /shared-storage/pipeline/artifacts' || exit 1
step "Agent 2 (container user 2000) retrieves and deploys them"
"$efsap" run $in_image -c agents-after-agent2.conf -- sh -c '
	set -e
	id
	cat /shared-storage/pipeline/artifacts/app.tar
	echo "deployed by agent 2" > /shared-storage/pipeline/deployed.txt
	ls -ln /shared-storage/pipeline' || exit 1
step "Agent 1 verifies agent 2's data"
"$efsap" run $in_image -c agents-after.conf -- sh -c 'cat /shared-storage/pipeline/deployed.txt && stat -c "%n owner %u:%g mode %a" /shared-storage /shared-storage/pipeline/deployed.txt' || exit 1
step "What the backing directory holds: plain files, with efsap's records in xattrs"
show "ls -lR efs-data/agents"
ls -lR efs-data/agents
if command -v python3 >/dev/null 2>&1; then
	python3 - <<'PY'
import os
for d, dirs, files in os.walk("efs-data/agents"):
    for n in [d] + [os.path.join(d, f) for f in files]:
        try:
            print("%-50s user.efsap=%s" % (n, os.getxattr(n, "user.efsap").decode()))
        except OSError:
            print("%-50s (no record: 0:0, real mode)" % n)
PY
fi
echo
echo "demo: both phases behaved as on EFS"
