#!/bin/sh
# SPDX-License-Identifier: MIT
# t_runmount.sh: `efsap run` runs programs and scripts that live under a
# mount, by path or through a PATH entry there (issue 10, item 6); the
# launcher itself runs before the library and sees no mounts.
. "$EFSAP_SRC/tests/integration/lib.sh"
scratch_setup
mkdir bk
cat > r.conf <<EOF
file_system = { path = "bk"; };
task = { user = "0:0"; };
mounts = ( { container_path = "$TP/mnt"; } );
EOF
sed 's/"0:0"/"1000:1000"/' r.conf > u.conf
B=$TP/mnt/bin
efsap run -c r.conf -- sh -c "mkdir $B && printf '#!/bin/sh\necho script \$(id -u) \"\$1\"\n' > $B/s && chmod 755 $B/s" ||
	notok "set-up" "mkdir under the mount failed"
if command -v cc >/dev/null 2>&1; then
	printf '#include <stdio.h>\n#include <unistd.h>\nint main(int c, char **v) { printf("app %%s %%d\\n", v[1], (int)getuid()); return 3; }\n' > app.c
	# built on the host and copied in: a sanitizer build of the library
	# cannot start gcc under it
	cc -o app app.c && efsap run -c r.conf -- cp app "$B/app" || notok "set-up" "building app failed"
	out=$(efsap run -c u.conf -- "$B/app" hello 2>&1); rc=$?
	expect_eq "a binary under a mount, by path: its output and its exit status" "app hello 1000 3" "$out $rc"
	out=$(PATH="$B:$PATH" efsap run -c u.conf -- app viapath 2>&1); rc=$?
	expect_eq "a binary under a mount, through a PATH entry there" "app viapath 1000 3" "$out $rc"
else
	echo "ok run-binary-in-mount # SKIP no C compiler"
fi
out=$(efsap run -c u.conf -- "$B/s" arg 2>&1); rc=$?
expect_eq "a script under a mount, by path" "script 1000 arg 0" "$out $rc"
efsap run -c u.conf -- "$B/nope" >/dev/null 2>&1; rc=$?
expect_eq "a missing program under a mount: 127" 127 "$rc"
efsap run -c u.conf -- efsap-no-such-command >/dev/null 2>&1; rc=$?
expect_eq "a missing program on the host: 127, as before" 127 "$rc"
finish
