#!/bin/sh
# SPDX-License-Identifier: MIT
# a_proc_paths.sh: nothing under a mount resolves outside its root, even
# through /proc/self/fd, /dev/fd and /proc/self/cwd, and the program never
# sees a backing path (SPEC 5.5): not in readlink of /proc/self/fd/N or
# /dev/fd/N, not in /proc/self/maps.
. "$EFSAP_SRC/tests/attack/lib.sh"
T=$(mktmp); cd "$T" || exit 1
MA=/efsap-atk/a MB=/efsap-atk/b
BK=bk-atk-backing
ap_conf c.conf $BK $MA $MB
pre c.conf sh -c "mkdir $MA/sub && echo data > $MA/sub/m.dat && echo b > $MB/bfile" ||
	{ notok "proc-paths" "set-up failed"; finish; }
mkdir $BK/apa/outside-a
# Names that only a walk above A's root could show.
export BAD="in outside-a apa apb bfile $BK .$BK.efsap"
export MA
cat > p.py <<'PYEOF'
import mmap, os
ma = os.environ["MA"]
bad = set(os.environ["BAD"].split())
def names(p):
    try:
        return sorted(os.listdir(p))
    except OSError as e:
        return "errno %d" % e.errno
# LEAK: shows what only a walk above A's root could; WRONG: differs from
# the listing of the directory the path names in the program's view.
def ls(tag, p, view):
    got, want = names(p), names(view)
    leak = sorted(set(got) & bad) if isinstance(got, list) else []
    if leak:
        print(tag, "LEAK", " ".join(leak))
    elif got != want:
        print(tag, "WRONG", "lists %s, not %s (%s)" % (str(got)[:40], view, str(want)[:40]))
    else:
        print(tag, "ok")
fd = os.open(ma + "/sub", os.O_RDONLY | os.O_DIRECTORY)
up = os.path.dirname(ma)
ls("fd-dotdot", "/proc/self/fd/%d/.." % fd, ma)
ls("fd-dotdot2", "/proc/self/fd/%d/../.." % fd, up)
ls("fd-dotdot3", "/proc/self/fd/%d/../../.." % fd, "/")
os.chdir(ma)
ls("cwd-dotdot", "/proc/self/cwd/..", up)
ls("cwd-dotdot2", "/proc/self/cwd/../..", "/")
print("readlink-dev-fd", os.readlink("/dev/fd/%d" % fd))
print("readlink-proc-fd", os.readlink("/proc/self/fd/%d" % fd))
print("readlink-proc-cwd", os.readlink("/proc/self/cwd"))
with open(ma + "/sub/m.dat", "rb") as f:
    m = mmap.mmap(f.fileno(), 0, prot=mmap.PROT_READ)
    lines = [l for l in open("/proc/self/maps") if "m.dat" in l]
    print("maps", " ".join(l.split(None, 5)[5].strip() for l in lines) or "none")
PYEOF
out=$(pre c.conf timeout 30 "$PY" p.py 2>&1); rc=$?
dead $rc && notok "proc-paths" "exit $rc: $out"
val() { printf '%s\n' "$out" | sed -n "s/^$1 //p"; }
for t in fd-dotdot fd-dotdot2 fd-dotdot3 cwd-dotdot cwd-dotdot2; do
	case $(val $t) in
	ok*) ok "proc-escape-$t" ;;
	LEAK*) notok "proc-escape-$t" "a listing above the access point root shows:$(val $t | cut -c5-)" ;;
	WRONG*) notok "proc-escape-$t" "$(val $t | cut -c7-)" ;;
	*) notok "proc-escape-$t" "no answer: $out" ;;
	esac
done
expect_eq "proc-readlink-dev-fd" "$MA/sub" "$(val readlink-dev-fd)"
expect_eq "proc-readlink-proc-fd" "$MA/sub" "$(val readlink-proc-fd)"
expect_eq "proc-readlink-proc-cwd" "$MA" "$(val readlink-proc-cwd)"
expect_eq "proc-maps-view-path" "$MA/sub/m.dat" "$(val maps)"
finish
