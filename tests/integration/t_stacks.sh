#!/bin/sh
# SPDX-License-Identifier: MIT
# t_stacks.sh: wrappers run on small stacks and from signal handlers
# (issue 9, "Small and reentrant"): a PTHREAD_STACK_MIN thread's calls
# under a mount, a SIGSTKSZ alternate stack's, the same with every call
# logged, and preloaded but disabled; a signal handler that creates a
# file while its thread is inside other wrappers is emulated too: the
# file is recorded for the task's uid and nothing appears on the host
# path the mount hides.  Running out of efsap's per-thread memory fails
# a call with ENOMEM, and later calls work.
. "$EFSAP_SRC/tests/integration/lib.sh"

scratch_setup
S="$EFSAP_BUILD/tests/smallstack"
M=$T/mnt
mkdir mnt host		# mnt: the host directory the mount hides; it must stay empty
cat > c.conf <<CONF
file_system = { path = "bk"; };
access_points = (
  { id = "fsap-s";
    root_directory = { path = "/in"; creation_info = { owner_uid = 1000; owner_gid = 1000; permissions = "0755"; }; }; }
);
task = { user = "1000:1000"; };
mounts = ( { container_path = "$M"; access_point = "fsap-s"; transit_encryption = true; } );
CONF
# run CMD...: under the library; $out and $rc.
run() { out=$(LD_PRELOAD="$LIB" EFSAP_CONFIG="$T/c.conf" timeout 60 "$@" 2>&1); rc=$?; }
# died: a signal death or a timeout.
died() { [ "$rc" -ge 124 ]; }
# host_clean NAME: nothing was made on the host path under the mount.
host_clean() {
	_h=$(ls -A "$T/mnt" | tr '\n' ' ')
	if [ -n "$_h" ]; then notok "$1" "created on the host: $_h"; else ok "$1"; fi
}

run "$S" "$M" thread
if died; then notok "stack-min-thread" "exit $rc: $out"; else expect_eq "stack-min-thread" ok "$out"; fi

run "$S" "$M" sigaltstack
if died; then notok "stack-sigaltstack" "exit $rc: $out"; else expect_eq "stack-sigaltstack" ok "$out"; fi

out=$(LD_PRELOAD="$LIB" EFSAP_CONFIG="$T/c.conf" EFSAP_LOG=all EFSAP_LOG_FILE="$T/log" \
    timeout 60 "$S" "$M" thread 2>&1); rc=$?
if died; then notok "stack-min-thread-logged" "exit $rc: $out"
elif [ "$out" != ok ]; then notok "stack-min-thread-logged" "$out"
else expect_match "stack-min-thread-logged" "efsap: rename $M/t.f" "$(cat "$T/log")"; fi

run "$S" "$M" nested 2000
if died; then notok "stack-nested-handler" "exit $rc: $out"
else expect_match "stack-nested-handler" "failed=0 errno=0" "$out"; fi
run stat -c %u:%g "$M/h"
expect_eq "stack-nested-handler-owner" 1000:1000 "$out"
host_clean "stack-nested-handler-host"

out=$(LD_PRELOAD="$LIB" EFSAP_CONFIG="$T/c.conf" EFSAP_DISABLE=1 timeout 60 \
    "$S" "$T/host" thread 2>&1); rc=$?
if died; then notok "stack-min-thread-disabled" "exit $rc: $out"
else expect_eq "stack-min-thread-disabled" ok "$out"; fi
host_clean "stack-host-untouched"

# per-thread memory exhausted by nested walks: ENOMEM, then calls work again
run "$S" "$M" exhaust
if died; then notok "stack-scratch-exhausted" "exit $rc: $out"
else expect_match "stack-scratch-exhausted" "then ok" "$out"; fi
finish
