#!/bin/sh
# SPDX-License-Identifier: MIT
# a_sigkill.sh: an object and its record appear together, and a process
# killed at any instant leaves no object without its record, no record
# without its object and no temporary (SPEC 5.3).
. "$EFSAP_SRC/tests/attack/lib.sh"
T=$(mktmp); cd "$T" || exit 1
M=/efsap-atk/k
ap_conf c.conf bk $M
pre c.conf /bin/true || { notok "sigkill-storm" "set-up failed"; finish; }
rounds=0 end=$(($(date +%s) + ${KILL_SECONDS:-30}))
while [ $rounds -lt 150 ] && [ "$(date +%s)" -lt $end ]; do
	rounds=$((rounds + 1))
	env LD_PRELOAD="$LIB" EFSAP_CONFIG="$T/c.conf" "$A/churn" $M $rounds & p1=$!
	env LD_PRELOAD="$LIB" EFSAP_CONFIG="$T/c.conf" "$A/churn" $M $((rounds + 1000)) & p2=$!
	sleep "0.$(printf '%03d' $(($(od -An -N2 -tu2 /dev/urandom) % 150 + 10)))"
	kill -9 $p1 $p2 2>/dev/null
	wait $p1 $p2 2>/dev/null
done
# The next process tree to start sweeps what the killed ones left staged
# ("cleaned up", SPEC 5.3): start one before the audit.
pre c.conf /bin/true
n=$(find bk/apa/in | wc -l)
# The records, read natively (audit.py).
out=$("$PY" "$EFSAP_SRC/tests/attack/audit.py" bk .bk.efsap bk/apa/in 'n\d' 2>&1)
if [ "$(printf '%s\n' "$out" | head -1)" = 0 ]; then
	ok "sigkill-storm-records ($rounds rounds, $n objects)"
else
	notok "sigkill-storm-records" "after $rounds rounds, $n objects, problems: $(printf '%s\n' "$out" | cut -c1-90 | tr '\n' ';')"
fi
# Seen from a fresh process: every object owned by the task's uid.
cat > owners.py <<'PYEOF'
import os, sys
bad = []
for d, dirs, files in os.walk(sys.argv[1]):
    for n in dirs + files:
        st = os.lstat(os.path.join(d, n))
        if (st.st_uid, st.st_gid) != (1000, 1000):
            bad.append("%s %d:%d" % (os.path.join(d, n), st.st_uid, st.st_gid))
print(len(bad), *bad[:3])
PYEOF
out=$(pre c.conf timeout 30 "$PY" owners.py $M 2>&1 | tail -1)
case $out in
0) ok "sigkill-storm-owners" ;;
*) notok "sigkill-storm-owners" "objects not owned by 1000:1000: $(printf '%s' "$out" | cut -c1-300)" ;;
esac
finish
