# SPDX-License-Identifier: MIT
# audit.py BK STORE TOP NAMES: the records of backing directory BK, read
# natively, against its objects: xattrs on files and directories, the
# sidecar store STORE (DEV-INO links) for the others.  Every object under
# TOP (a path under BK) must be named by the regular expression NAMES.
# Prints the number of problems, then the first four.
import os, re, stat, sys
bk, store, top, names = sys.argv[1:5]
rec = re.compile(r"^\d+:\d+:[0-7]{3,4}:(file|dir|symlink|pipe|socket)$")
kinds = {stat.S_IFREG: "file", stat.S_IFDIR: "dir", stat.S_IFLNK: "symlink",
         stat.S_IFIFO: "pipe", stat.S_IFSOCK: "socket"}
bad, specials = [], set()
for d, dirs, files in os.walk(bk):
    for n in dirs + files + ([] if d != bk else ["."]):
        p = os.path.normpath(os.path.join(d, n))
        st = os.lstat(p)
        kind = kinds.get(stat.S_IFMT(st.st_mode), "?")
        if p.startswith(top + "/") and not re.fullmatch(names, n):
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
        bad.append("stale store record: %s -> %s" % (n, os.readlink(os.path.join(store, n))))
print(len(bad))
for b in bad[:4]:
    print(b)
