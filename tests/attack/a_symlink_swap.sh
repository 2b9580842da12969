#!/bin/sh
# SPDX-License-Identifier: MIT
# a_symlink_swap.sh: confinement holds while another process swaps a
# directory with a symbolic link (SPEC 5.5): the kernel never follows a
# link under a mount that efsap did not decide, so a victim working in
# access point A never touches access point B's directory.
. "$EFSAP_SRC/tests/attack/lib.sh"
T=$(mktmp); cd "$T" || exit 1
MA=/efsap-atk/a MB=/efsap-atk/b
ap_conf c.conf bk $MA $MB
pre c.conf sh -c "mkdir $MA/d $MB/sub && echo sentinel > $MB/sub/x && echo sentinel > $MB/sub/xr &&
	mkdir $MB/sub/xd && chmod 0640 $MB/sub/x && echo other > $MB/keep" || { notok "symlink-swap" "set-up failed"; finish; }
# The link that leads from A's backing directory into B's, if followed by the kernel.
ln -s ../../apb/in/sub bk/apa/in/dl
[ "$(cat bk/apa/in/dl/x)" = sentinel ] || { notok "symlink-swap" "test broken: link does not reach B"; finish; }
snap bk/apb > before
out=$(pre c.conf timeout 120 "$A/swap" $MA "${SWAP_SECONDS:-45}" 1000000 2>&1); rc=$?
snap bk/apb > after
if dead $rc; then
	notok "symlink-swap" "exit $rc (crash or hang): $out"
elif ! cmp -s before after; then
	notok "symlink-swap" "B's directory changed after $out: $(diff before after | grep '^[<>]' | head -4 | tr '\n' ';')"
else
	ok "symlink-swap ($out)"
fi
# Reads: stat, lstat, statx, access, readlink, open, chdir and opendir of
# A/d/... never answer with B's objects (B's x is 9 bytes, A's 4; only B
# has xr and xd).
if [ -L bk/apa/in/d ]; then	# the attacker died with the link in place: put it back
	mv bk/apa/in/d bk/apa/in/d.l && mv bk/apa/in/dl bk/apa/in/d && mv bk/apa/in/d.l bk/apa/in/dl
fi
pre c.conf sh -c "rm -rf $MA/d/* && printf 'aaa\n' > $MA/d/x" || notok "symlink-swap-reads" "set-up failed"
out=$(pre c.conf timeout 120 "$A/swap" $MA "${SWAP_SECONDS:-45}" 1000000 reads 2>&1); rc=$?
if dead $rc; then
	notok "symlink-swap-reads" "exit $rc (crash or hang): $out"
else
	case $out in
	tries=*" escapes=0") ok "symlink-swap-reads ($out)" ;;
	*) notok "symlink-swap-reads" "answers from B's directory: $out" ;;
	esac
fi
# The same where the kernel has no openat2 (a seccomp filter refuses it):
# the parent is then opened one component at a time, never through a link.
if ! "$A/nosys" openat2 true 2>/dev/null; then
	skip "symlink-swap-no-openat2" "no seccomp filter here: $("$A/nosys" openat2 true 2>&1)"
else
	snap bk/apb > before
	out=$(pre c.conf timeout 120 "$A/nosys" openat2 "$A/swap" $MA "${SWAP_SECONDS_FALLBACK:-20}" 300000 2>&1); rc=$?
	snap bk/apb > after
	if dead $rc; then
		notok "symlink-swap-no-openat2" "exit $rc (crash or hang): $out"
	elif [ $rc -ne 0 ]; then
		notok "symlink-swap-no-openat2" "exit $rc: $out"
	elif ! cmp -s before after; then
		notok "symlink-swap-no-openat2" "B's directory changed after $out: $(diff before after | grep '^[<>]' | head -4 | tr '\n' ';')"
	else
		ok "symlink-swap-no-openat2 ($out)"
	fi
fi
finish
