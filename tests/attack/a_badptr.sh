#!/bin/sh
# SPDX-License-Identifier: MIT
# a_badptr.sh: the library changes nothing but what it emulates (STYLE
# principle 5): a pointer to unmapped memory, or (char *)-1, in a path,
# a link target, a name, an output buffer or an exec vector of 49 calls,
# and a good path whose page was then unmapped or protected, give EFAULT
# as natively, with the working directory on the host or under a mount,
# never a crash (badptr.c lists them).
. "$EFSAP_SRC/tests/attack/lib.sh"
T=$(mktmp); cd "$T" || exit 1
M=/efsap-atk/bp
ap_conf c.conf bk $M
nat=$(timeout 20 "$A/badptr" 2>&1)
if printf '%s\n' "$nat" | grep -qv ' ok$'; then
	notok "badptr" "test broken: natively $(printf '%s\n' "$nat" | grep -v ' ok$' | head -1)"
	finish
fi
for where in host mount; do
	d=$T; [ $where = mount ] && d=$M
	out=$(pre c.conf timeout 30 "$A/badptr" $d 2>&1); rc=$?
	bad=$(printf '%s\n' "$out" | grep -v ' ok$')
	if dead $rc; then notok "badptr-efault-cwd-$where" "exit $rc"
	elif [ -z "$bad" ]; then ok "badptr-efault-cwd-$where"
	else notok "badptr-efault-cwd-$where" "$(printf '%s\n' "$bad" | wc -l) calls: $(printf '%s\n' "$bad" | head -3 | tr '\n' ';')"; fi
done
finish
