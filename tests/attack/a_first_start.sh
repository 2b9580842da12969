#!/bin/sh
# SPDX-License-Identifier: MIT
# a_first_start.sh: the first mount through an access point creates its
# missing root directory (SPEC 5.1), also when 48 processes start at the
# same instant: none fails (exit 32, "File exists"), and all see the root
# with the creation_info owner and mode.
. "$EFSAP_SRC/tests/attack/lib.sh"
T=$(mktmp); cd "$T" || exit 1
M=/efsap-atk/fs
cat > c.conf <<CONF
file_system = { path = "bk"; };
access_points = ( { id = "fsap-n";
  root_directory = { path = "/deep/er/root"; creation_info = { owner_uid = 1234; owner_gid = 2345; permissions = "0750"; }; };
  posix_user = { uid = 1234; gid = 2345; }; } );
task = { user = "1000:1000"; };
mounts = ( { container_path = "$M"; access_point = "fsap-n"; transit_encryption = true; } );
CONF
# Five rounds, each on a fresh file system.
round=0 res=""
while [ $round -lt 5 ] && [ -z "$res" ]; do
	round=$((round + 1))
	rm -rf bk .bk.efsap o && mkdir o
	st=$(timeout 60 "$A/gang" 48 o env LD_PRELOAD="$LIB" EFSAP_CONFIG="$T/c.conf" "$P" stat $M 2>&1); rc=$?
	bad=$(printf '%s\n' "$st" | awk '$2 != 0' | wc -l)
	wrong=$(cat o/* | grep -vx 'ok 1234:2345 0750 dir' | sort | uniq -c | head -3 | tr '\n' ';')
	if dead $rc; then res="round $round: gang exit $rc"
	elif [ "$bad" -ne 0 ] || [ -n "$wrong" ]; then
		res="round $round: $bad of 48 failed (exit $(printf '%s\n' "$st" | awk '$2 != 0 { print $2 }' | sort -u | tr '\n' ' ')): $wrong"
	fi
done
if [ -z "$res" ]; then ok "first-start-48-at-once ($round rounds)"; else notok "first-start-48-at-once" "$res"; fi
finish
