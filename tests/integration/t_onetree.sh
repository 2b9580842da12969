#!/bin/sh
# SPDX-License-Identifier: MIT
# t_onetree.sh: one tree (issue 10, item 3).  A mount point is an entry of
# its host parent, and a walk that starts on the host (a descriptor of "/"
# or of a mount point's parent, a working directory there) leads into the
# mount: ls, find, rsync (3.x walks the destination with openat from "/"),
# glob, Python's os.scandir and dir_fd calls.
. "$EFSAP_SRC/tests/integration/lib.sh"
scratch_setup
mounts_setup
# a mount point at the top, which an unprivileged user could never create
TOP=/efsap-onetree-$$
[ -e "$TOP" ] && { notok "a free top-level name" "$TOP exists"; finish; }
sed "s|^mounts = (|mounts = (\n  { container_path = \"$TOP\"; access_point = \"fsap-ap\"; transit_encryption = true; },|" \
    c.conf > top.conf
mkdir -p src/sub && echo one > src/a && echo two > src/sub/b && ln -s a src/l
R() { LD_PRELOAD="$LIB" EFSAP_CONFIG="$TP/c.conf" "$@"; }
RT() { LD_PRELOAD="$LIB" EFSAP_CONFIG="$TP/top.conf" "$@"; }

# listings: the host's own entries, then the mount points the host lacks
expect_eq "ls of a mount point's parent shows the mount points" "ap
hostfile
m" "$(R ls "$TP/mnt")"
expect_eq "ls -a: each once, with . and .." ". .. ap hostfile m" "$(R ls -a "$TP/mnt" | tr '\n' ' ' | sed 's/ $//')"
expect_eq "ls -ln shows the access point root's recorded owner and mode" \
    "drwxr-xr-x 0 0 ap" "$(R ls -ln "$TP/mnt" | awk '$NF == "ap" { print $1, $3, $4, $NF }')"
expect_eq "ls -d of the top-level mount point" "$TOP" "$(RT ls -d "$TOP")"
expect_eq "ls / shows the top-level mount point" "1" "$(RT ls / | grep -cx "${TOP#/}")"
expect_eq "a second listing of the same stream (rewinddir) shows it again" "ap m|ap m" \
    "$(R "$PY" -c '
import ctypes, ctypes.util, sys
libc = ctypes.CDLL(None)
libc.opendir.restype = ctypes.c_void_p
libc.readdir.restype = ctypes.c_void_p
libc.readdir.argtypes = [ctypes.c_void_p]
libc.rewinddir.argtypes = [ctypes.c_void_p]
libc.closedir.argtypes = [ctypes.c_void_p]
d = libc.opendir(sys.argv[1].encode())
def names():
    out = []
    while True:
        e = libc.readdir(d)
        if not e:
            break
        n = ctypes.string_at(e + 19).decode()
        if n in ("ap", "m"):
            out.append(n)
    return " ".join(sorted(out))
a = names(); libc.rewinddir(d); b = names(); libc.closedir(d)
print(a + "|" + b)' "$TP/mnt")"
expect_eq "os.scandir of the parent" "['ap', 'hostfile', 'm']" \
    "$(R "$PY" -c 'import os, sys; print(sorted(e.name for e in os.scandir(sys.argv[1])))' "$TP/mnt")"
expect_eq "glob of the parent" "$TP/mnt/ap $TP/mnt/hostfile $TP/mnt/m" "$(R sh -c 'echo "$1"/*' sh "$TP/mnt")"
expect_eq "libc glob of the parent" "['$TP/mnt/ap', '$TP/mnt/hostfile', '$TP/mnt/m']" \
    "$(R "$PY" -c '
import ctypes, sys
class G(ctypes.Structure):
    _fields_ = [("pathc", ctypes.c_size_t), ("pathv", ctypes.POINTER(ctypes.c_char_p)),
                ("offs", ctypes.c_size_t), ("flags", ctypes.c_int), ("pad", ctypes.c_void_p * 8)]
libc = ctypes.CDLL(None)
g = G()
rc = libc.glob((sys.argv[1] + "/*").encode(), 0, None, ctypes.byref(g))
print(sorted(g.pathv[i].decode() for i in range(g.pathc)) if rc == 0 else rc)' "$TP/mnt")"

# walks that start on the host
R sh -c 'echo data > "$1/ap/f" && mkdir "$1/ap/d" && echo deep > "$1/ap/d/g"' sh "$TP/mnt"
expect_eq "find from the parent descends into the mounts" "$TP/mnt
$TP/mnt/ap
$TP/mnt/ap/d
$TP/mnt/ap/d/g
$TP/mnt/ap/f
$TP/mnt/hostfile
$TP/mnt/m
$TP/mnt/m/ap
$TP/mnt/m/ap/d
$TP/mnt/m/ap/d/g
$TP/mnt/m/ap/f" "$(R find "$TP/mnt" | sort)"
expect_eq "find / reaches the top-level mount point" "$TOP/d/g" \
    "$(RT find / -maxdepth 3 -path /proc -prune -o -path "$TOP/*/g" -print 2>/dev/null)"
expect_eq "find -type d at the parent (fstatat from its descriptor)" "$TP/mnt/ap" \
    "$(R find "$TP/mnt" -maxdepth 1 -type d -name ap)"
cat > nftw.py <<'PYEOF'
import ctypes, sys
class FTW(ctypes.Structure):
    _fields_ = [("base", ctypes.c_int), ("level", ctypes.c_int)]
CB = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_char_p, ctypes.c_void_p, ctypes.c_int, ctypes.POINTER(FTW))
libc = ctypes.CDLL(None)
start, flags, only = sys.argv[1], int(sys.argv[2]), sys.argv[3] if len(sys.argv) > 3 else None
out = []
def cb(p, st, t, f):
    p = p.decode()
    # FTW_ACTIONRETVAL (16): skip every subtree of / but the one asked for
    if only is not None and f.contents.level == 1 and t == 1 and p != only:
        return 2
    if only is None or p.startswith(only):
        out.append("%s %d %d %s" % (p, t, f.contents.level, p[f.contents.base:]))
    return 0
rc = libc.nftw(start.encode(), CB(cb), 16, flags)
print("\n".join(sorted(out) if flags & 8 == 0 else out)); print("rc", rc)
PYEOF
# nftw (FTW_PHYS): path, type (FTW_D 1, FTW_F 0, FTW_DP 5), level, base name
expect_eq "nftw from the parent descends into the mounts" "$TP/mnt 1 0 mnt
$TP/mnt/ap 1 1 ap
$TP/mnt/ap/d 1 2 d
$TP/mnt/ap/d/g 0 3 g
$TP/mnt/ap/f 0 2 f
$TP/mnt/hostfile 0 1 hostfile
$TP/mnt/m 1 1 m
$TP/mnt/m/ap 1 2 ap
$TP/mnt/m/ap/d 1 3 d
$TP/mnt/m/ap/d/g 0 4 g
$TP/mnt/m/ap/f 0 3 f
rc 0" "$(R "$PY" nftw.py "$TP/mnt" 1)"
expect_eq "nftw FTW_DEPTH: the mount point after its entries, the parent last" "$TP/mnt/ap/d/g 0 3 g
$TP/mnt/ap/d 5 2 d
$TP/mnt/ap 5 1 ap" "$(R "$PY" nftw.py "$TP/mnt" 9 | grep " $TP/mnt/ap\| $TP/mnt/ap/d\|^$TP/mnt/ap" | grep -v "/f ")"
expect_eq "nftw FTW_DEPTH: the parent is the last" "$TP/mnt 5 0 mnt" "$(R "$PY" nftw.py "$TP/mnt" 9 | tail -n 2 | head -n 1)"
expect_eq "nftw of / reaches the top-level mount point" "$TOP 1 1 ${TOP#/}
$TOP/d 1 2 d
$TOP/d/g 0 3 g
$TOP/f 0 2 f
rc 0" "$(RT "$PY" nftw.py / 17 "$TOP")"
expect_eq "dir_fd calls from a descriptor of /" "data|deep|0:0" "$(R "$PY" -c '
import os, sys
root = os.open("/", os.O_PATH | os.O_DIRECTORY)
rel = sys.argv[1].lstrip("/")
fd = os.open(rel + "/ap/f", os.O_RDONLY, dir_fd=root)
a = os.read(fd, 10).decode().strip()
mnt = os.open(rel, os.O_RDONLY | os.O_DIRECTORY, dir_fd=root)
fd = os.open("ap/d/g", os.O_RDONLY, dir_fd=mnt)
b = os.read(fd, 10).decode().strip()
st = os.stat("ap", dir_fd=mnt)
print("%s|%s|%d:%d" % (a, b, st.st_uid, st.st_gid))' "$TP/mnt")"
expect_eq "fchdir to the parent, then relative paths" "deep" "$(R "$PY" -c '
import os, sys
os.fchdir(os.open(sys.argv[1], os.O_RDONLY | os.O_DIRECTORY))
print(open("ap/d/g").read().strip())' "$TP/mnt")"
expect_eq "a working directory of /, then a relative path" "deep" \
    "$(RT sh -c 'cd / && cat "$1/d/g"' sh "${TOP#/}")"

# rsync 3.x: host to mount, mount to mount
if command -v rsync >/dev/null 2>&1; then
	R rsync -a src/ "$TP/mnt/ap/x/" 2>"$T/.err"
	expect_eq "rsync -a host to mount" "0:" "$?:$(cat "$T/.err")"
	expect_eq "rsync -a host to mount: contents" "one two a" \
	    "$(R sh -c 'cd "$1" && echo $(cat a sub/b) $(readlink l)' sh "$TP/mnt/ap/x")"
	R rsync -a "$TP/mnt/ap/x/" "$TP/mnt/m/y/" 2>"$T/.err"
	expect_eq "rsync -a mount to mount" "0:" "$?:$(cat "$T/.err")"
	expect_eq "rsync -a mount to mount: contents" "one two a" \
	    "$(R sh -c 'cd "$1" && echo $(cat a sub/b) $(readlink l)' sh "$TP/mnt/m/y")"
	RT rsync -a src/ "$TOP/z/" 2>"$T/.err"
	expect_eq "rsync -a into a top-level mount point" "0:one" "$?:$(RT cat "$TOP/z/a")"
else
	echo "ok rsync host to mount # SKIP rsync is not installed"
	echo "ok rsync mount to mount # SKIP rsync is not installed"
fi

# nothing changes for the host: its own parent has no such entries
expect_eq "without the library the host lacks the mount points" "hostfile" "$(ls "$TP/mnt")"
finish
