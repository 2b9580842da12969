#!/bin/sh
# SPDX-License-Identifier: MIT
# The build-agents story (seed 002), run for real: two pipeline agents on
# ECS Fargate share an EFS volume at /shared-storage.
# Phase 1, no access point: the agent (uid 1000) cannot create anything in
# the new file system's root (0:0 0755), and efsap says why.
# Phase 2, an access point with posix_user 1000:1000 and creation_info: it
# works, and a second agent running as another container user shares the files.
# The configurations are those beside this script's directory: conf/ in the
# source tree, /usr/share/doc/efsap/examples/ in the Debian package.
# EFSAP_BIN names the efsap to run (an installed one: /usr/bin/efsap, or
# efsap from PATH); without it, the build tree's ($EFSAP_BUILD, as make demo sets).
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
cd "$work"

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
show() { printf '$ %s\n' "$*"; }

step "Phase 1: the task mounts the file system root, no access point"
show "efsap check --explain agents-before.conf"
"$efsap" check --explain agents-before.conf
show "efsap run --log=deny -c agents-before.conf -- mkdir -p /shared-storage/pipeline/artifacts"
"$efsap" run --log=deny -c agents-before.conf -- mkdir -p /shared-storage/pipeline/artifacts
rc=$?
if [ $rc -eq 0 ]; then
	echo "demo: unexpected success in phase 1" >&2
	exit 1
fi
echo "(exit $rc: the pipeline fails here, as it did on Fargate)"

step "Phase 2: the task mounts through access point fsap-azp-agent"
show "efsap check --explain agents-after.conf"
"$efsap" check --explain agents-after.conf
step "Agent 1 (container user 1000) builds and publishes artifacts"
"$efsap" run -c agents-after.conf -- sh -c '
	set -e
	id
	mkdir -p /shared-storage/pipeline/artifacts
	echo "build 42" > /shared-storage/pipeline/artifacts/app.tar
	ls -ln /shared-storage /shared-storage/pipeline/artifacts' || exit 1
step "Agent 2 (container user 2000) retrieves and deploys them"
"$efsap" run -c agents-after-agent2.conf -- sh -c '
	set -e
	id
	cat /shared-storage/pipeline/artifacts/app.tar
	echo "deployed by agent 2" > /shared-storage/pipeline/deployed.txt
	ls -ln /shared-storage/pipeline' || exit 1
step "Agent 1 verifies agent 2's data"
"$efsap" run -c agents-after.conf -- sh -c 'cat /shared-storage/pipeline/deployed.txt && stat -c "%n owner %u:%g mode %a" /shared-storage /shared-storage/pipeline/deployed.txt' || exit 1
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
