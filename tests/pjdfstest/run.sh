#!/bin/sh
# SPDX-License-Identifier: MIT
# run.sh: the external POSIX oracle (../shared/oracles/pjdfstest, upstream
# pjdfstest) as a ratchet.  Runs it (as root: it drops to an unprivileged
# user for efsap itself), and fails when more assertions differ from the
# native reference than tests/pjdfstest/BASELINE allows; says so when
# fewer do, so that the baseline can come down.  The goal is 0.
#
#   EFSAP_BUILD=/abs/build sh tests/pjdfstest/run.sh [ORACLE_DIR]
: "${EFSAP_BUILD:?set EFSAP_BUILD to the build directory (absolute)}"
here=$(cd "$(dirname "$0")" && pwd)
oracle=${1:-$here/../../../shared/oracles/pjdfstest}
[ -f "$oracle/run.sh" ] || { echo "pjdfstest: no oracle at $oracle"; exit 2; }
base=$(grep -v "^#" "$here/BASELINE" | head -1)
scratch=$(mktemp -d /tmp/efsap-pjdfstest.XXXXXX)
# the oracle runs efsap as an unprivileged user: a copy of the build it can reach
mkdir "$scratch/build" && cp "$EFSAP_BUILD/efsap" "$EFSAP_BUILD/libefsap.so" "$scratch/build/" &&
	chmod -R a+rX "$scratch" || exit 2
out=$(EFSAP_BUILD="$scratch/build" bash "$oracle/run.sh" "$scratch/run" 2>&1)
printf '%s\n' "$out" | tail -n 200
bad=$(printf '%s\n' "$out" | sed -n 's/^pjdfstest: [0-9]* passed, \([0-9]*\) failed$/\1/p')
[ -n "$bad" ] || { echo "pjdfstest: the oracle did not finish"; exit 2; }
echo "pjdfstest: $bad assertions differ from the native reference (baseline $base)"
if [ "$bad" -gt "$base" ]; then
	echo "pjdfstest: more than the baseline: a regression"
	exit 1
fi
[ "$bad" -lt "$base" ] && echo "pjdfstest: fewer than the baseline: lower tests/pjdfstest/BASELINE to $bad"
rm -rf "$scratch"
exit 0
