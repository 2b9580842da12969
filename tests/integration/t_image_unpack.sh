#!/bin/sh
# SPDX-License-Identifier: MIT
# t_image_unpack.sh: the image side of `efsap run --image` (issue 11):
# `efsap image unpack|inspect` on images written by tests/images/mkimage.py
# in every form (docker save, old and Docker 25+; OCI directory and tar;
# skopeo's dir:),
# whiteouts and opaque directories across layers, hard links, owners and
# modes recorded in user.efsap, hostile layers, the cache (hit, concurrent
# first unpacks, killed unpacks), digest mismatches, platform choice,
# USER lookups, and a directory used in place.
. "$EFSAP_SRC/tests/integration/lib.sh"

scratch_setup
MK="$EFSAP_SRC/tests/images/mkimage.py"
export EFSAP_CACHE_DIR="$TP/cache"

# Run the tool; stdout in $out, stderr in $err, exit status in $rc.
t() {
	out=$("$EFSAP" "$@" 2>"$T/.err"); rc=$?
	err=$(cat "$T/.err")
}
# xattr PATH: the user.efsap record of PATH, or "none".
xattr() {
	"$PY" -c 'import os,sys
try: print(os.getxattr(sys.argv[1], "user.efsap", follow_symlinks=False).decode())
except OSError: print("none")' "$1"
}
# realmode PATH: the octal permission bits on disk.
realmode() { stat -c %a "$1"; }
# line KEY: the value of "KEY: value" in $out.
line() { printf '%s\n' "$out" | sed -n "s|^$1: ||p" | head -n 1; }
# ntmp: leftover unpack directories in the cache.
ntmp() { ls -A "$EFSAP_CACHE_DIR/images" 2>/dev/null | grep -c '^\.tmp-'; }

# --- the image: four layers, every kind of entry -------------------------
# Layer 0 lays a base; layer 1 whites out etc/old and writes an opaque
# var/cache *after* a file of its own there (which must survive); layer 2
# is `RUN chown agent /shared-storage` with a hard link to a layer-0 file;
# layer 3 is gzip-compressed.
cat > spec.json <<'EOF'
{ "config": { "Entrypoint": ["/bin/agent"], "Cmd": ["--serve", "a b"],
    "Env": ["PATH=/usr/bin:/bin", "A=b c"], "WorkingDir": "/work", "User": "agent" },
  "history": [ {"created_by": "ADD rootfs.tar /"},
    {"created_by": "ENV A=b", "empty_layer": true},
    {"created_by": "RUN useradd agent && rm /etc/old && rm -rf /var/cache/*"},
    {"created_by": "RUN chown agent /shared-storage"},
    {"created_by": "RUN touch /etc/late"} ],
  "layers": [
    { "compress": "none", "entries": [
      {"type":"dir","path":"etc"},
      {"type":"file","path":"etc/passwd","content":"root:x:0:0:root:/root:/bin/sh\n"},
      {"type":"file","path":"etc/group","content":"root:x:0:\n"},
      {"type":"file","path":"etc/old","content":"old"},
      {"type":"dir","path":"etc/gone.d"}, {"type":"file","path":"etc/gone.d/x","content":"x"},
      {"type":"dir","path":"usr/bin"},
      {"type":"file","path":"usr/bin/agent","content":"#!/bin/sh\n","mode":"0755"},
      {"type":"hardlink","path":"usr/bin/agent-same-layer","target":"usr/bin/agent"},
      {"type":"file","path":"usr/bin/su","content":"su","mode":"04755","uid":0,"gid":0},
      {"type":"file","path":"usr/bin/secret","content":"s","mode":"0000"},
      {"type":"symlink","path":"bin","target":"usr/bin"},
      {"type":"dir","path":"var/cache/apt"}, {"type":"file","path":"var/cache/apt/pkg","content":"p"},
      {"type":"dir","path":"ro","mode":"0555"}, {"type":"file","path":"ro/f","content":"f"},
      {"type":"chardev","path":"dev/null","major":1,"minor":3},
      {"type":"fifo","path":"run/fifo"} ]},
    { "entries": [
      {"type":"file","path":"etc/passwd","content":"root:x:0:0:root:/root:/bin/sh\nagent:x:1000:1000::/home/agent:/bin/sh\n"},
      {"type":"file","path":"etc/group","content":"root:x:0:\nagent:x:1000:\nstaff:x:50:other,agent\n"},
      {"type":"whiteout","path":"etc/old"},
      {"type":"whiteout","path":"etc/gone.d"},
      {"type":"file","path":"var/cache/mine","content":"m"},
      {"type":"opaque","path":"var/cache"},
      {"type":"dir","path":"shared-storage","mode":"0755"},
      {"type":"file","path":"ro/g","content":"g"} ]},
    { "entries": [
      {"type":"dir","path":"shared-storage","uid":1000,"gid":1000,"mode":"0750"},
      {"type":"hardlink","path":"shared-storage/agent","target":"usr/bin/agent"} ]},
    { "compress": "gzip", "entries": [ {"type":"file","path":"etc/late","content":"l","uid":7,"gid":8,"mode":"0640"} ]}
  ] }
EOF
for f in docker docker-old oci oci-tar dir; do
	"$PY" "$MK" --format $f spec.json img-$f || notok "mkimage $f" "failed"
done

# --- every form gives the same root --------------------------------------
t image unpack img-docker
expect_eq "docker (Docker 25+ blobs/): unpack exits 0" 0 "$rc"
R=$(line rootfs) D=$(line digest)
expect_match "docker: the rootfs is in the cache, under the config digest" \
	"$TP/cache/images/${D#sha256:}/rootfs" "$R"
expect_match "docker: first run unpacks" "unpacked in" "$err"
expect_match "docker: the skipped device node is counted once" "1 device node or socket not created" "$err"
for f in docker-old oci oci-tar dir; do
	t image unpack img-$f
	expect_eq "$f: unpack exits 0, same digest (the config's)" "0 $D" "$rc $(line digest)"
	expect_match "$f: found in the cache" "found in the cache" "$err"
done
# Each form unpacked afresh gives the same tree and the same records.
for f in docker-old oci oci-tar dir; do
	EFSAP_CACHE_DIR="$TP/cache-$f" "$EFSAP" image unpack img-$f >/dev/null 2>&1
	a=$(cd "$R" && find . -printf '%p %y %s %m\n' | sort | md5sum)
	b=$(cd "$TP/cache-$f/images/${D#sha256:}/rootfs" 2>/dev/null && find . -printf '%p %y %s %m\n' | sort | md5sum)
	expect_eq "$f: unpacked alone, the same tree as docker's" "$a" "$b"
done

# --- configuration ---------------------------------------------------------
t image inspect img-oci
expect_eq "inspect: entrypoint" '["/bin/agent"]' "$(line entrypoint)"
expect_eq "inspect: cmd" '["--serve", "a b"]' "$(line cmd)"
expect_eq "inspect: env" "PATH=/usr/bin:/bin|A=b c" "$(printf '%s\n' "$out" | sed -n 's/^env: //p' | paste -sd'|')"
expect_eq "inspect: workdir" "/work" "$(line workdir)"
expect_eq "inspect: USER agent from the image's passwd and group" "agent (uid 1000, gid 1000, groups 50)" "$(line user)"
expect_match "inspect: history mapped to layers, empty_layer skipped" \
	"RUN chown agent /shared-storage" "$(line 'layer 2')"
expect_match "inspect: the gzip layer's digest is its blob's" "sha256:" "$(line 'layer 3')"

# --- whiteouts, opaque directories, hard links ------------------------------
[ ! -e "$R/etc/old" ] && ok "whiteout: etc/old removed" || notok "whiteout: etc/old" "still there"
[ ! -e "$R/etc/gone.d" ] && ok "whiteout: a directory removed with its contents" || notok "whiteout dir" "still there"
[ ! -e "$R/var/cache/apt" ] && ok "opaque: lower layer's var/cache/apt hidden" || notok "opaque" "apt still there"
[ -f "$R/var/cache/mine" ] && ok "opaque: the same layer's var/cache/mine kept (before the marker)" || notok "opaque same layer" "mine lost"
[ ! -e "$R/var/cache/.wh..wh..opq" ] && [ ! -e "$R/etc/.wh.old" ] && ok "whiteout markers not written" || notok "markers" "written"
[ -f "$R/ro/f" ] && [ -f "$R/ro/g" ] && ok "a 0555 directory gets files of a later layer" || notok "ro dir" "missing files"
i1=$(stat -c %i "$R/usr/bin/agent") i2=$(stat -c %i "$R/usr/bin/agent-same-layer") i3=$(stat -c %i "$R/shared-storage/agent")
expect_eq "hard link within a layer: one inode" "$i1" "$i2"
expect_eq "hard link across layers: one inode" "$i1" "$i3"
expect_eq "symbolic link kept as written" "usr/bin" "$(readlink "$R/bin")"
[ -p "$R/run/fifo" ] && ok "FIFO created" || notok "FIFO" "missing"
expect_eq "mtimes from the layers: files and directories (after their children)" \
	"1700000000 1700000000" "$(stat -c %Y "$R/etc/late" "$R/shared-storage" | paste -sd' ')"
[ ! -e "$R/dev/null" ] && ok "device node skipped" || notok "device" "created"

# --- owners and modes: the library's record, real modes the kernel ignores ---
expect_eq "record: chowned directory" "1000:1000:0750:dir" "$(xattr "$R/shared-storage")"
expect_eq "record: setuid file keeps its bits in the record" "0:0:4755:file" "$(xattr "$R/usr/bin/su")"
expect_eq "real mode: no setuid bit on disk" 755 "$(realmode "$R/usr/bin/su")"
expect_eq "record: mode 0000" "0:0:0000:file" "$(xattr "$R/usr/bin/secret")"
expect_eq "real mode: 0000 is readable by its real owner" 600 "$(realmode "$R/usr/bin/secret")"
expect_eq "record: 0555 directory" "0:0:0555:dir" "$(xattr "$R/ro")"
expect_eq "real mode: 0555 directory writable by its real owner" 755 "$(realmode "$R/ro")"
expect_eq "record: a later layer's owner" "7:8:0640:file" "$(xattr "$R/etc/late")"
expect_eq "record: missing parent directories are root's 0755" "0:0:0755:dir" "$(xattr "$R/var")"
expect_eq "record: none on symbolic links" "none" "$(xattr "$R/bin")"

# --- provenance: efs_image_at ---------------------------------------------
t image inspect img-docker /shared-storage /etc/late /etc/old /bin/agent /usr/bin /
expect_match "at: chowned directory, its layer and command" \
	"/shared-storage: dir 1000:1000 0750, not empty; layer 2 (sha256:" "$out"
expect_match "at: ... created_by from history" "): RUN chown agent /shared-storage" "$(printf '%s\n' "$out" | grep '^/shared-storage:')"
expect_match "at: a file of the gzip layer" "/etc/late: file 7:8 0640; layer 3" "$out"
expect_match "at: a whited-out path is not in the image" "/etc/old: not in the image" "$out"
expect_match "at: symbolic links followed inside the image" "/bin/agent: file 0:0 0755; layer 0" "$out"
expect_match "at: the root" "/: dir 0:0 0755, not empty" "$out"
expect_eq "inspect: exit 1 when a PATH is missing" 1 "$rc"

t image inspect -r img-docker /shared-storage
expect_eq "at -r: the path and everything under it, parents first" \
	"/shared-storage: dir 1000:1000 0750, not empty|/shared-storage/agent: file 0:0 0755" \
	"$(printf '%s\n' "$out" | grep '^/shared' | sed 's/;.*//' | paste -sd'|')"
t image inspect -r img-oci /var
expect_eq "at -r: whited-out and opaque-hidden paths are gone" \
	"/var|/var/cache|/var/cache/mine" "$(printf '%s\n' "$out" | grep '^/var' | sed 's/:.*//' | paste -sd'|')"

# The root's own entry ("./") sets the root's owner and mode.
echo '{"layers":[{"entries":[{"type":"dir","path":"./","uid":5,"gid":6,"mode":"0711"},{"type":"file","path":"./f","content":"x"}]}]}' > root.json
"$PY" "$MK" --format docker-old root.json rootimg
EFSAP_CACHE_DIR="$TP/cache-root" t image inspect rootimg / /f
expect_match "root entry: recorded" "/: dir 5:6 0711, not empty; layer 0" "$out"
expect_eq "root entry: the record on disk" "5:6:0711:dir" "$(xattr "$(line rootfs)")"

# --- hostile layers: nothing lands outside the root -----------------------
mkdir -p outside
cat > h-dotdot.json <<'EOF'
{"layers":[{"entries":[{"type":"file","path":"ok","content":"1"},{"type":"file","path":"../../../../../../OUT/x","content":"x"}]}]}
EOF
sed "s|OUT|${TP#/}/outside|" h-dotdot.json > h1.json
cat > h2.json <<EOF
{"layers":[{"entries":[
 {"type":"symlink","path":"a","target":"$TP/outside"},{"type":"file","path":"a/f","content":"x"},
 {"type":"symlink","path":"b","target":"../../../../../../../..$TP/outside"},{"type":"file","path":"b/g","content":"x"},
 {"type":"file","path":"$TP/outside/abs","content":"x"},
 {"type":"hardlink","path":"hl","target":"a/f"}]},
 {"entries":[{"type":"file","path":"a/later","content":"x"},{"type":"symlink","path":"c","target":"/"},{"type":"dir","path":"c/etc"}]}]}
EOF
cat > h3.json <<'EOF'
{"layers":[{"entries":[{"type":"hardlink","path":"hl","target":"../../../../etc/passwd"}]}]}
EOF
cat > h4.json <<'EOF'
{"layers":[{"entries":[{"type":"symlink","path":"loop","target":"loop/x"},{"type":"file","path":"loop/f","content":"x"}]}]}
EOF
"$PY" "$MK" --format oci h1.json h1 && "$PY" "$MK" --format oci h2.json h2 &&
	"$PY" "$MK" --format docker h3.json h3 && "$PY" "$MK" --format oci-tar h4.json h4 ||
	notok "mkimage: hostile images" "failed"
t image unpack h1
expect_eq "hostile ../ member: refused" 1 "$rc"
expect_match "hostile ../ member: the error names the layer and member" "layer 0 (blobs/sha256/" "$err"
expect_match "hostile ../ member: ... and why" 'refused: a ".." component could leave the image' "$err"
t image unpack h2
expect_eq "symlink tricks: unpacked (links resolved inside the image)" 0 "$rc"
H=$(line rootfs)
expect_eq "symlink tricks: nothing written outside" "" "$(ls -A outside)"
[ -f "$H/$TP/outside/f" ] && [ -f "$H/$TP/outside/g" ] && [ -f "$H/$TP/outside/abs" ] &&
	[ -f "$H/$TP/outside/later" ] && ok "symlink tricks: the files are inside the image, where the image's own / is" ||
	notok "symlink tricks: inside" "$(cd "$H" && find . | tr '\n' ' ')"
[ -d "$H/etc" ] && ok "symlink to / then c/etc: the image's /etc" || notok "c/etc" "missing"
t image unpack h3
expect_match "hostile hard link: refused" 'hard link target ../../../../etc/passwd has a ".." component' "$err"
t image unpack h4
expect_eq "symlink loop: refused" 1 "$rc"
expect_match "symlink loop: named" "member loop/f" "$err"
expect_eq "hostile images: no half-unpacked directory left in the cache" 0 "$(ntmp)"

# --- digest mismatch -------------------------------------------------------
cp -R img-oci bad-oci
blob=$("$PY" -c 'import json,sys
m=json.load(open(sys.argv[1]+"/index.json"))["manifests"][0]["digest"][7:]
print(json.load(open(sys.argv[1]+"/blobs/sha256/"+m))["layers"][0]["digest"][7:])' bad-oci)
"$PY" - "bad-oci/blobs/sha256/$blob" <<'EOF'
import sys
p = sys.argv[1]
b = bytearray(open(p, "rb").read())
i = b.index(b"root:x:0:0")
b[i] = ord("R")   # the tar stays valid: only the content changes
open(p, "wb").write(bytes(b))
EOF
rm -rf cache-bad
EFSAP_CACHE_DIR="$TP/cache-bad" t image unpack bad-oci
expect_eq "digest mismatch: exit 1" 1 "$rc"
expect_match "digest mismatch: names the layer" "bad-oci: layer 0 (blobs/sha256/$blob): digest mismatch: the manifest says sha256:$blob, the layer is sha256:" "$err"
expect_eq "digest mismatch: nothing cached" "" "$(ls -A "$TP/cache-bad/images")"
cp -R img-oci bad-config
cfg=$("$PY" -c 'import json,sys
m=json.load(open(sys.argv[1]+"/index.json"))["manifests"][0]["digest"][7:]
print(json.load(open(sys.argv[1]+"/blobs/sha256/"+m))["config"]["digest"][7:])' bad-config)
chmod u+w "bad-config/blobs/sha256/$cfg"; printf ' ' >> "bad-config/blobs/sha256/$cfg"
t image unpack bad-config
expect_match "config digest mismatch: named" "blobs/sha256/$cfg: digest mismatch" "$err"

# --- malformed JSON: file, line and column --------------------------------
mkdir badjson && printf '{\n "manifests": [,]\n}\n' > badjson/index.json
t image unpack badjson
expect_match "malformed index.json: FILE:LINE:COL" "badjson: index.json:2:" "$err"

# --- not images --------------------------------------------------------------
tar cf export.tar spec.json
t image unpack export.tar
expect_match "a root file system tar: says to unpack it" "not an image: no manifest.json (docker save) or index.json (OCI layout); a root file system tar (docker export) is used unpacked" "$err"
echo garbage > garbage
t image unpack garbage
expect_match "not a tar: said" "garbage: cannot read it as a tar archive" "$err"
t image unpack nonexistent
expect_match "missing IMAGE: said" "nonexistent: No such file or directory" "$err"
expect_eq "missing IMAGE: exit 1" 1 "$rc"
t image frobnicate x
expect_eq "unknown image command: usage, exit 2" 2 "$rc"

# --- platform choice ---------------------------------------------------------
"$PY" "$MK" --format oci --platforms linux/arm64,linux/s390x spec.json plat-none
t image unpack plat-none
expect_match "platform: none for this machine: the choices are named" "among linux/arm64, linux/s390x" "$err"
"$PY" "$MK" --format oci --platforms linux/arm64,linux/amd64/v3 spec.json plat-two 2>/dev/null
t image unpack plat-two
case $(uname -m) in
x86_64) expect_eq "platform: linux/amd64 picked among several" 0 "$rc" ;;
*) ok "platform: linux/amd64 picked # SKIP not an amd64 machine" ;;
esac
"$PY" "$MK" --format oci --platforms linux/arm64 spec.json plat-one
t image unpack plat-one
expect_eq "platform: the only manifest is used whatever it says" 0 "$rc"

# --- zstd layers -------------------------------------------------------------
if command -v zstd >/dev/null 2>&1; then
	sed 's/"compress": "gzip"/"compress": "zstd"/' spec.json > zspec.json
	"$PY" "$MK" --format oci zspec.json img-zstd
	EFSAP_CACHE_DIR="$TP/cache-z" t image inspect img-zstd /etc/late
	expect_match "zstd layer: unpacked" "/etc/late: file 7:8 0640; layer 3" "$out"
else
	ok "zstd layer # SKIP no zstd program"
fi

# --- the cache ---------------------------------------------------------------
t image unpack img-docker
expect_match "cache hit: a second run finds the image" "found in the cache" "$err"
# A killed unpack leaves .tmp-<hex>-<pid>-*: a later miss removes it when
# its process is gone, and leaves a live one alone.
mkdir -p "cache/images/.tmp-${D#sha256:}-999999999-dead/rootfs/x" "cache/images/.tmp-${D#sha256:}-$$-live"
t image unpack img-oci-tar
expect_eq "killed unpack: a hit does not sweep" 2 "$(ntmp)"
echo '{"layers":[{"entries":[{"type":"file","path":"miss","content":"m"}]}]}' > miss.json
"$PY" "$MK" --format oci miss.json miss
t image unpack miss
[ ! -e "cache/images/.tmp-${D#sha256:}-999999999-dead" ] && ok "killed unpack: a miss removes what a dead unpack left" ||
	notok "sweep" "still there"
[ -e "cache/images/.tmp-${D#sha256:}-$$-live" ] && ok "killed unpack: a live unpack's directory is kept" ||
	notok "sweep live" "removed"
rm -rf "cache/images/.tmp-${D#sha256:}-$$-live"
# Concurrent first runs: all succeed and agree; one copy, nothing left over.
rm -rf cache-c
for i in 1 2 3 4; do
	(EFSAP_CACHE_DIR="$TP/cache-c" "$EFSAP" image unpack img-docker > conc.$i 2>conc.$i.err; echo $? > conc.$i.rc) &
done
wait
expect_eq "concurrent first unpacks: all exit 0" "0000" "$(cat conc.1.rc conc.2.rc conc.3.rc conc.4.rc | tr -d '\n')"
expect_eq "concurrent first unpacks: one root for all" 1 "$(cat conc.1 conc.2 conc.3 conc.4 | grep '^rootfs:' | sort -u | wc -l)"
expect_eq "concurrent first unpacks: one image directory, no leftovers" \
	"${D#sha256:}" "$(ls -A cache-c/images)"
expect_eq "concurrent first unpacks: the records are there" "1000:1000:0750:dir" \
	"$(xattr "cache-c/images/${D#sha256:}/rootfs/shared-storage")"

# --- a directory used in place -------------------------------------------
mkdir -p dirimg/etc dirimg/data
printf 'root:x:0:0::/root:/bin/sh\npg:x:999:999::/var/lib/pg:/bin/sh\n' > dirimg/etc/passwd
printf 'pg:x:999:\nssl:x:101:pg\n' > dirimg/etc/group
touch dirimg/data/f
t image inspect dirimg /data /etc/passwd /nope
expect_eq "directory: used in place" "$TP/dirimg" "$(line rootfs)"
expect_eq "directory: no digest" "(none: a directory)" "$(line digest)"
expect_eq "directory: no entrypoint" "(none)" "$(line entrypoint)"
expect_match "directory: what is at a path, owner unrecorded" "/data: dir $(id -u):$(id -g) 0755, not empty (owner unrecorded)" "$out"
expect_match "directory: a missing path" "/nope: not in the image" "$out"
"$PY" -c 'import os; os.setxattr("dirimg/data/f", "user.efsap", b"999:999:0600:file")'
t image inspect dirimg /data/f
expect_match "directory: a recorded owner is used" "/data/f: file 999:999 0600" "$out"
t image inspect -r dirimg /data
expect_eq "directory: -r walks the disk" "/data: dir|/data/f: file 999:999 0600" \
	"$(printf '%s\n' "$out" | grep '^/data' | sed 's/ [0-9]*:[0-9]* 0755.*//; s/;.*//' | paste -sd'|')"

# --- USER lookups --------------------------------------------------------------
for u in "pg|pg (uid 999, gid 999, groups 101)" "999|999 (uid 999, gid 999, groups 101)" \
	"4242|4242 (uid 4242, gid 0, groups none)" "pg:ssl|pg:ssl (uid 999, gid 101, groups none)" \
	"1:2|1:2 (uid 1, gid 2, groups none)" "nobody|nobody (user \"nobody\": no such user in the image's /etc/passwd)" \
	"pg:nogroup|pg:nogroup (user \"pg:nogroup\": no such group \"nogroup\" in the image's /etc/group)"; do
	spec=${u%%|*} want=${u#*|}
	printf '{"config":{"User":"%s"},"layers":[{"tar":"dir.tar"}]}\n' "$spec" > u.json
	(cd dirimg && tar cf ../dir.tar etc)
	"$PY" "$MK" --format oci u.json uimg 2>/dev/null
	rm -rf uimg.c; EFSAP_CACHE_DIR="$TP/uimg.c" t image inspect uimg
	expect_eq "USER $spec" "$want" "$(line user)"
	rm -rf uimg
done

# --- unprivileged: uid 65534 unpacks its own cache -------------------------
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null 2>&1; then
	mkdir nob && chown 65534:65534 nob && chmod 755 "$TP"
	o=$(cd nob && EFSAP_CACHE_DIR="$TP/nob/cache" setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$EFSAP" image inspect "$TP/img-docker-old" /shared-storage /usr/bin/su 2>&1); r=$?
	expect_eq "uid 65534: unpack exits 0" 0 "$r"
	expect_match "uid 65534: owners recorded from the layers" "/shared-storage: dir 1000:1000 0750" "$o"
	expect_match "uid 65534: setuid recorded" "/usr/bin/su: file 0:0 4755" "$o"
	expect_eq "uid 65534: the files are its own" "65534" "$(stat -c %u "$(ls -d nob/cache/images/*/rootfs)/usr/bin/su")"
else
	ok "uid 65534 unpack # SKIP not root (this whole file then runs unprivileged)"
fi

finish
