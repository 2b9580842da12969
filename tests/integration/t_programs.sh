#!/bin/sh
# SPDX-License-Identifier: MIT
# t_programs.sh: real programs on a mount through an access point whose
# posix_user (1000:1000) differs from the task user (2000:2000, and 0:0):
# coreutils, tar, python3 (os, shutil, sqlite3, threads), git, dash and
# bash.  Everything they create must be owned by 1000:1000.
. "$EFSAP_SRC/tests/integration/lib.sh"

scratch_setup
export LC_ALL=C

mkdir mnt
W=$TP/mnt/w
for u in 2000:2000 0:0 1000:1000; do
	cat > "task${u%%:*}.conf" <<EOF
file_system = { id = "fs-progs"; path = "efs"; };
access_points = ( { id = "fsap-w";
  root_directory = { path = "/w"; creation_info = { owner_uid = 1000; owner_gid = 1000; permissions = "755"; }; };
  posix_user = { uid = 1000; gid = 1000; }; } );
task = { user = "$u"; };
mounts = ( { container_path = "$W"; access_point = "fsap-w"; transit_encryption = true; } );
EOF
done
C=$TP/task2000.conf

# ru [-c CONF] CMD...: CMD under the library; $out (stdout), $err, $rc.
ru() {
	_c=$C
	[ "$1" = -c ] && { _c=$2; shift 2; }
	out=$(LD_PRELOAD="$LIB" EFSAP_CONFIG="$_c" "$@" 2>"$T/.err"); rc=$?
	err=$(cat "$T/.err")
}
# owners NAME PATH...: every path (recursively) is owned by 1000:1000.
owners() {
	_n=$1; shift
	_o=$(LD_PRELOAD="$LIB" EFSAP_CONFIG="$C" find "$@" -printf '%U:%G %p\n' 2>&1 | grep -v '^1000:1000 ')
	expect_eq "$_n: everything owned by 1000:1000" "" "$_o"
}
nobacking() {
	case "$2" in *"$TP/efs"*) notok "$1" "a backing path shows: [$2]";; *) ok "$1";; esac
}

# A host tree to copy in.
mkdir -p src/sub
echo one > src/one && chmod 0640 src/one
printf '#!/bin/sh\necho run\n' > src/sub/run.sh && chmod 0755 src/sub/run.sh
ln -s one src/link
touch -d '2001-02-03 04:05:06' src/one

# --- coreutils ----------------------------------------------------------------------
ru mkdir -p "$W/a/b/c"
expect_eq "mkdir -p" "0:" "$rc:$err"
ru stat -c '%u:%g %a %F' "$W/a" "$W/a/b" "$W/a/b/c"
expect_eq "stat: mkdir -p made 1000:1000 0755 directories" "1000:1000 755 directory
1000:1000 755 directory
1000:1000 755 directory" "$out"
ru touch "$W/a/t"
ru stat -c '%u:%g %a %F %s' "$W/a/t"
expect_eq "touch" "1000:1000 644 regular empty file 0" "$out"
ru cp -a "$TP/src" "$W/a/copy"
expect_eq "cp -a from the host: exit 0, silent (non-root does not report ownership)" "0:" "$rc:$err"
ru stat -c '%n %a %F %Y' "$W/a/copy/one" "$W/a/copy/sub/run.sh" "$W/a/copy/link"
expect_eq "cp -a: modes, types and times preserved" "$W/a/copy/one 640 regular file $(stat -c %Y src/one)
$W/a/copy/sub/run.sh 755 regular file $(stat -c %Y src/sub/run.sh)
$W/a/copy/link 777 symbolic link $(stat -c %Y src/link)" "$out"
ru readlink "$W/a/copy/link"
expect_eq "cp -a: symlink text" "one" "$out"
owners "cp -a" "$W/a/copy"
ru sh -c "'$W/a/copy/sub/run.sh'"
expect_eq "a copied script runs from the mount" "0:run" "$rc:$out"
ru cp -r "$W/a/copy" "$W/a/copy2"
expect_eq "cp -r within the mount" "0:" "$rc:$err"
ru diff -r "$TP/src" "$W/a/copy2"
expect_eq "cp -r: same contents" "0:" "$rc:$out"
ru mv "$W/a/t" "$W/a/t2"
expect_eq "mv within the mount" "0:" "$rc:$err"
echo moved > hostmove
ru mv "$TP/hostmove" "$W/a/"
expect_eq "mv from the host (EXDEV, then copy)" "0:" "$rc:$err"
ru stat -c '%u:%g %a' "$W/a/hostmove"
expect_eq "mv from the host: owned by the access point user" "1000:1000 644" "$out"
if [ -e hostmove ]; then notok "mv from the host: source removed" "still there"; else ok "mv from the host: source removed"; fi
ru mv "$W/a/copy2/one" "$TP/back"
expect_eq "mv to the host" "0:one" "$rc:$(cat back 2>/dev/null)"
ru chmod 0700 "$W/a/b"
ru stat -c '%a' "$W/a/b"
expect_eq "chmod by the access point user (owner)" "700" "$out"
ru chmod -R go-rx "$W/a/copy"
ru stat -c '%a' "$W/a/copy/sub"
expect_eq "chmod -R" "700" "$out"
ru chown 2000 "$W/a/t2"
expect_eq "chown to the task user: EPERM under a non-root access point" \
    "1:chown: changing ownership of '$W/a/t2': Operation not permitted" "$rc:$err"
ru chown 1000:1000 "$W/a/t2"
expect_eq "chown to the access point user itself: a no-op, allowed" "0:" "$rc:$err"
ru ln -s t2 "$W/a/sl"
ru ln "$W/a/t2" "$W/a/hl"
ru stat -c '%h %N' "$W/a/t2" "$W/a/sl"
expect_eq "ln -s, ln" "2 '$W/a/t2'
1 '$W/a/sl' -> 't2'" "$out"
ru ls -lnR "$W/a"
n=$(printf '%s\n' "$out" | awk '$1 ~ /^[-dlps]/ && ($3 != 1000 || $4 != 1000)' | wc -l)
t=$(printf '%s\n' "$out" | awk '$1 ~ /^[-dlps]/' | wc -l)
if [ "$rc" = 0 ] && [ "$n" = 0 ] && [ "$t" -gt 10 ]; then ok "ls -lnR: $t entries, all 1000 1000"; else notok "ls -lnR" "rc $rc, $n of $t not 1000: $out"; fi
nobacking "ls -lnR names no backing path" "$out"
ru ls -l "$W/a/t2"
expect_match "ls -l shows numeric or named owner" "-rw-r--r-- 2 * * 0 * $W/a/t2" "$out"
ru find "$W/a" -name 'run.sh'
expect_eq "find -name" "$W/a/copy/sub/run.sh
$W/a/copy2/sub/run.sh" "$(printf '%s\n' "$out" | sort)"
ru find "$W" -user 1000 -type d -name c
expect_eq "find -user 1000" "$W/a/b/c" "$out"
ru find "$W" ! -user 1000
expect_eq "find ! -user 1000: nothing" "0:" "$rc:$out"
ru stat -f -c '%T %l' "$W"
expect_eq "stat -f" "nfs 255" "$out"
ru df -k --output=size "$W"
expect_eq "df: 8 EiB" "9007199254740992" "$(printf '%s\n' "$out" | sed -n 2p | tr -d ' ')"
ru rm -rf "$W/a/copy" "$W/a/copy2"
expect_eq "rm -rf" "0:" "$rc:$err"
ru ls "$W/a"
expect_eq "rm -rf: gone" "b
hl
hostmove
sl
t2" "$out"
ru -c "$TP/task0.conf" sh -c "mkdir -p '$W/byroot/x' && touch '$W/byroot/x/f' && stat -c '%u:%g' '$W/byroot/x/f'"
expect_eq "task 0:0 under the access point: owned 1000:1000 too" "0:1000:1000" "$rc:$out"

# --- tar ------------------------------------------------------------------------------
ru tar -C "$W" -cf "$TP/from-mount.tar" a
expect_eq "tar create from the mount" "0:" "$rc:$err"
tv=$(tar --numeric-owner -tvf from-mount.tar | awk '{ print $2 }' | sort -u)
expect_eq "tar create: archived owner 1000/1000" "1000/1000" "$tv"
tar -C src -cf to-mount.tar .
ru mkdir "$W/untar"
ru tar -C "$W/untar" -xf "$TP/to-mount.tar"
expect_eq "tar extract into the mount (non-root task)" "0:" "$rc:$err"
ru stat -c '%u:%g %a %n' "$W/untar/one" "$W/untar/sub/run.sh"
expect_eq "tar extract: owners and modes" "1000:1000 640 $W/untar/one
1000:1000 755 $W/untar/sub/run.sh" "$out"
ru tar -C "$W/untar" -xf "$TP/from-mount.tar"
expect_eq "tar extract of its own archive" "0:" "$rc:$err"
owners "tar extract" "$W/untar"

# --- python3 ------------------------------------------------------------------------------
ru "$PY" - "$W" "$TP/src" <<'EOF'
import os, shutil, sqlite3, sys, threading
w, src = sys.argv[1], sys.argv[2]
d = os.path.join(w, "py")
os.makedirs(os.path.join(d, "x/y"), exist_ok=True)
st = os.stat(os.path.join(d, "x/y"))
print("makedirs", st.st_uid, st.st_gid, oct(st.st_mode & 0o777))
shutil.copytree(src, os.path.join(d, "tree"), symlinks=True)
print("copytree", sorted(os.listdir(os.path.join(d, "tree"))))
shutil.rmtree(os.path.join(d, "tree"))
print("rmtree", os.path.exists(os.path.join(d, "tree")))
db = sqlite3.connect(os.path.join(d, "app.db"))
db.execute("create table t (k integer primary key, v text)")
db.executemany("insert into t (v) values (?)", [("a",), ("b",), ("c",)])
db.commit()
db.close()
db = sqlite3.connect(os.path.join(d, "app.db"))
print("sqlite", db.execute("select count(*), group_concat(v) from t").fetchone())
db.close()
st = os.stat(os.path.join(d, "app.db"))
print("db owner", st.st_uid, st.st_gid)
def work(n):
    for i in range(20):
        with open(os.path.join(d, "t%d-%d" % (n, i)), "w") as f:
            f.write("%d %d\n" % (n, i))
ts = [threading.Thread(target=work, args=(n,)) for n in range(8)]
for t in ts: t.start()
for t in ts: t.join()
names = [n for n in os.listdir(d) if n.startswith("t")]
bad = [n for n in names if os.stat(os.path.join(d, n)).st_uid != 1000]
ok = all(open(os.path.join(d, n)).read() == "%s %s\n" % tuple(n[1:].split("-")) for n in names)
print("threads", len(names), len(bad), ok)
print("cwd", os.getcwd() if os.chdir(os.path.join(d, "x")) is None else "")
EOF
expect_eq "python3: os, shutil, sqlite3, threads" "makedirs 1000 1000 0o755
copytree ['link', 'one', 'sub']
rmtree False
sqlite (3, 'a,b,c')
db owner 1000 1000
threads 160 0 True
cwd $W/py/x" "$out"
[ "$rc" = 0 ] || notok "python3: exit status" "$rc: $err"
owners "python3" "$W/py"
ru sqlite3 "$W/py/app.db" "insert into t (v) values ('d'); select group_concat(v) from t;"
expect_eq "sqlite3 CLI on the same database" "0:a,b,c,d" "$rc:$out"

# --- git ------------------------------------------------------------------------------
if command -v git >/dev/null 2>&1; then
	mkdir gh
	G="env HOME=$TP/gh GIT_CONFIG_NOSYSTEM=1 GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.com GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.com git"
	# The task user is the access point user: git is content.
	ru -c "$TP/task1000.conf" sh -c "$G init -q '$W/repo' && cd '$W/repo' && echo hi > f && $G add f && $G commit -qm first && $G log --format=%s && $G status --porcelain"
	expect_eq "git init, add, commit, log (task user = access point user)" "0:first" "$rc:$out"
	owners "git" "$W/repo"
	# Another task user: git refuses the repository (efs-semantics 9.8).
	ru sh -c "cd '$W/repo' && $G status"
	expect_eq "git as another user: exit 128" 128 "$rc"
	expect_match "git as another user: dubious ownership" "fatal: detected dubious ownership in repository at '$W/repo'" "$err"
	ru sh -c "cd '$W/repo' && echo more >> f && $G -c safe.directory='*' commit -qam second && $G -c safe.directory='*' log --format=%s"
	expect_eq "git with safe.directory: commits as the access point user" "0:second
first" "$rc:$out"
	ru -c "$TP/task0.conf" sh -c "cd '$W/repo' && $G status --porcelain"
	expect_match "git as root (task 0:0, access point 1000): dubious ownership too" "fatal: detected dubious ownership" "$err"
else
	ok "git # skip (no git)"
fi

# --- dash and bash ------------------------------------------------------------------------
ru ln -s b "$W/a/lb"
ru chmod 0755 "$W/a/b"
script='cd "$1/a" && pwd && cd b && pwd && cd ../.. && pwd && cd .. && pwd && cd w/a/b/c && pwd && cd - >/dev/null && pwd && cd w/a/lb && pwd && pwd -P && cd ../b/./c/.. && pwd && echo x > rel && cat ../b/rel && ls'
for sh in dash bash; do
	if ! command -v $sh >/dev/null 2>&1; then ok "$sh # skip"; continue; fi
	ru $sh -c "$script" $sh "$W"
	expect_eq "$sh: cd with relative paths, pwd" "0:$W/a
$W/a/b
$W
$TP/mnt
$W/a/b/c
$TP/mnt
$W/a/lb
$W/a/b
$W/a/b
x
c
rel" "$rc:$out" 
	nobacking "$sh: no backing path" "$out$err"
done
printf 'cd "$1"\nmkdir -p s/t\ncd s/t\npwd\ncd ../..\nfor f in */; do echo "$f"; done | grep -c "^s/\$"\n' > script.sh
ru bash "$TP/script.sh" "$W"
expect_eq "bash script: cd, pwd, globs" "0:$W/s/t
1" "$rc:$out"

finish
