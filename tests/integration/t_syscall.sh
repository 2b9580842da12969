#!/bin/sh
# SPDX-License-Identifier: MIT
# t_syscall.sh: libc's syscall() goes through efsap's wrappers for every
# number efsap wraps (issue 10): libuv asks for statx that way, so Node.js
# and npm on a mount depend on it; other numbers pass untouched.
. "$EFSAP_SRC/tests/integration/lib.sh"
scratch_setup
mkdir bk
cat > r.conf <<EOF
file_system = { path = "bk"; };
task = { user = "0:0"; };
mounts = ( { container_path = "$TP/mnt"; } );
EOF
sed 's/"0:0"/"1000:1000"/' r.conf > u.conf
efsap run -c r.conf -- sh -c "mkdir $TP/mnt/w && chown 1000:1000 $TP/mnt/w" ||
	notok "set-up" "mkdir under the mount failed"
S="$EFSAP_BUILD/tests/sysc"
out=$(efsap run -c u.conf -- "$S" "$TP/mnt/w" 2>&1)
line() { printf '%s\n' "$out" | sed -n "s/^$1 //p"; }
expect_eq "syscall(SYS_openat) creates under the mount" 0 "$(line openat)"
expect_eq "syscall(SYS_statx) shows the recorded owner and mode" "1000:1000 640" "$(line statx-owner)"
expect_eq "syscall(SYS_fchmodat) records the mode" "1000:1000 604" "$(line stat-after)"
expect_eq "syscall(SYS_mkdirat) records the owner" "1000:1000 750" "$(line mkdirat-owner)"
expect_eq "syscall(SYS_renameat2) with RENAME_NOREPLACE" 0 "$(line renameat2)"
expect_eq "syscall(SYS_renameat2) onto an existing name: EEXIST" EEXIST "$(line renameat2-exists)"
expect_eq "syscall(SYS_openat2) without RESOLVE flags is openat" 0 "$(line openat2)"
expect_eq "syscall(SYS_openat2) with RESOLVE flags: ENOSYS, as before Linux 5.6" ENOSYS "$(line openat2-resolve)"
expect_eq "syscall(SYS_unlinkat)" 0 "$(line unlinkat)"
expect_eq "syscall(SYS_getcwd): the view, as a length" "length $TP/mnt/w" "$(line getcwd)"
expect_eq "syscall(SYS_getuid): the task's uid" "1000 1000" "$(line getuid)"
expect_eq "syscall(SYS_getegid): the task's gid" "1000 1000" "$(line getegid)"
expect_eq "syscall(SYS_getpid) passes through" same "$(line getpid)"
nat=$(mkdir nat && "$S" "$TP/nat" 2>&1 | sed -n 's/^renameat2-exists //p')
expect_eq "natively too: renameat2 onto an existing name gives EEXIST (the test holds)" EEXIST "$nat"

# Node.js: fs calls through libuv, statx among them.  A sanitizer build of
# the library cannot start node under it (its runtime must come first in
# LD_PRELOAD): said, and skipped.
asan=$(ldd "$LIB" 2>/dev/null | grep -c 'libasan')
if [ "$asan" -gt 0 ]; then
	echo "ok node-on-a-mount # SKIP the library is built with ASan, which cannot start node preloaded"
	echo "ok npm-install-on-a-mount # SKIP the library is built with ASan"
	finish
fi
if ! command -v node >/dev/null 2>&1; then
	echo "ok node-on-a-mount # SKIP node is not installed"
else
	out=$(efsap run -c u.conf -- node -e "
const fs = require('fs');
fs.mkdirSync('$TP/mnt/w/n/a', { recursive: true });
fs.writeFileSync('$TP/mnt/w/n/a/f', 'x');
const s = fs.statSync('$TP/mnt/w/n/a/f');
console.log(s.uid + ':' + s.gid, fs.readdirSync('$TP/mnt/w/n').join(','));
" 2>&1)
	expect_eq "node: mkdir -p, write and stat on a mount" "1000:1000 a" "$out"
fi

# npm: install from the registry into a project on the mount, its cache there too.
if ! command -v npm >/dev/null 2>&1; then
	echo "ok npm-install-on-a-mount # SKIP npm is not installed"
elif ! timeout 20 npm view left-pad version >/dev/null 2>&1; then
	echo "ok npm-install-on-a-mount # SKIP the npm registry cannot be reached"
else
	out=$(HOME=$T timeout 300 "$EFSAP" run -c u.conf -- sh -c "
cd $TP/mnt/w && mkdir proj && cd proj && npm init -y >/dev/null 2>&1 &&
npm install --cache $TP/mnt/w/npm-cache --no-audit --no-fund --no-update-notifier left-pad@1.3.0 >/dev/null 2>&1 &&
node -e 'console.log(require(\"left-pad\")(\"x\", 3))' && stat -c %u:%g node_modules/left-pad/package.json" 2>&1)
	expect_eq "npm install into a project on a mount, and node requires it" "  x
1000:1000" "$out"
fi
finish
