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
# The records, read natively: xattrs on files and directories, the sidecar
# store (.bk.efsap/DEV-INO) for the others.
cat > audit.py <<'PYEOF'
import os, re, stat, sys
bk, store = "bk", ".bk.efsap"
rec = re.compile(r"^\d+:\d+:[0-7]{3,4}:(file|dir|symlink|pipe|socket)$")
kinds = {stat.S_IFREG: "file", stat.S_IFDIR: "dir", stat.S_IFLNK: "symlink",
         stat.S_IFIFO: "pipe", stat.S_IFSOCK: "socket"}
bad, specials = [], set()
for d, dirs, files in os.walk(bk):
    for n in dirs + files + ([] if d != bk else ["."]):
        p = os.path.normpath(os.path.join(d, n))
        st = os.lstat(p)
        kind = kinds.get(stat.S_IFMT(st.st_mode), "?")
        if p.startswith("bk/apa/in/") and not re.fullmatch(r"n\d", n):
            bad.append("stray name %s (%s)" % (p, kind))
        if kind in ("file", "dir"):
            try:
                r = os.getxattr(p, "user.efsap", follow_symlinks=False).decode()
            except OSError:
                r = None
            if p == bk and r is None:
                continue        # the file system root: unrecorded 0:0 by design
        else:
            specials.add("%x-%x" % (st.st_dev, st.st_ino))
            try:
                r = os.readlink(os.path.join(store, "%x-%x" % (st.st_dev, st.st_ino)))
            except OSError:
                r = None
        if r is None:
            bad.append("no record: %s (%s)" % (p, kind))
        elif not rec.match(r) or r.split(":")[3] != kind:
            bad.append("bad record %r: %s (%s)" % (r, p, kind))
# The store's own files are allowed; a directory in it (a staging area)
# must be empty.
for n in os.listdir(store):
    if os.path.isdir(os.path.join(store, n)) and not os.path.islink(os.path.join(store, n)):
        bad += ["store temporary: %s/%s" % (n, m) for m in os.listdir(os.path.join(store, n))]
        continue
    if n in ("gen", "gen.shm", "lock"):
        continue
    if not re.fullmatch(r"[0-9a-f]+-[0-9a-f]+", n):
        bad.append("store temporary or unknown entry: " + n)
    elif n not in specials:
        bad.append("stale store record: " + n)
print(len(bad))
for b in bad[:4]:
    if b.startswith("stale"): b += " -> " + os.readlink(os.path.join(store, b.split()[-1]))
    print(b)
PYEOF
out=$("$PY" audit.py 2>&1)
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
