#!/bin/sh
# SPDX-License-Identifier: MIT
# t_imagefs.sh: the image's own files under `efsap run --image` (issue 11,
# item 3; SPEC 5.9): they keep the owners and modes of their layers and are
# decided with POSIX rules and the caller identity (the task's user, then
# what setuid makes of it), while the EFS mount on top keeps the EFS rules,
# /dev, /proc and /etc/hosts stay the host kernel's, nothing of efsap's shows
# beyond what the launcher needs, and the writable layer is thrown away.
# Each check runs one container and compares its whole output.
. "$EFSAP_SRC/tests/integration/lib.sh"
image_setup imagefs

# The agent image of t_image.sh (seed 002) and a layer of our own: a
# root-only script, a file only agent may read, a root-owned /srv/app.
tar -xf "$IMG/bookworm.tar" -O ./etc/passwd > passwd.base 2>/dev/null || tar -xf "$IMG/bookworm.tar" -O etc/passwd > passwd.base
tar -xf "$IMG/bookworm.tar" -O ./etc/group > group.base 2>/dev/null || tar -xf "$IMG/bookworm.tar" -O etc/group > group.base
cat > agent.json <<EOF
{ "config": { "User": "agent", "Env": ["PATH=/usr/local/bin:/usr/bin:/bin"], "Cmd": ["sh"] },
  "layers": [
    { "tar": "$IMG/bookworm.tar", "created_by": "/bin/sh -c #(nop) ADD file:debian-bookworm-minbase in / " },
    { "created_by": "RUN useradd -u 1000 -m agent",
      "entries": [
      { "type": "file", "path": "etc/passwd", "mode": "0644", "content": "$(sed 's/$/\\n/' passwd.base | tr -d '\n')agent:x:1000:1000::/home/agent:/bin/sh\\n" },
      { "type": "file", "path": "etc/group", "mode": "0644", "content": "$(sed 's/$/\\n/' group.base | tr -d '\n')agent:x:1000:\\n" },
      { "type": "dir", "path": "home/agent", "uid": 1000, "gid": 1000, "mode": "0750" } ] },
    { "created_by": "RUN mkdir /shared-storage && chown agent /shared-storage",
      "entries": [ { "type": "dir", "path": "shared-storage", "uid": 1000, "gid": 1000, "mode": "0755" } ] },
    { "created_by": "COPY secret.sh private /srv/app ...",
      "entries": [
      { "type": "file", "path": "usr/local/bin/secret.sh", "mode": "0700", "content": "#!/bin/sh\\necho secret\\n" },
      { "type": "file", "path": "home/agent/private", "uid": 1000, "gid": 1000, "mode": "0600", "content": "private\\n" },
      { "type": "dir", "path": "srv/app", "mode": "0755" } ] },
    { "created_by": "a hostile layer: efsap's staging name as a link to a directory of the image",
      "entries": [
      { "type": "dir", "path": "evil", "mode": "0777" },
      { "type": "symlink", "path": ".efsap-staging", "target": "/evil" } ] } ] }
EOF
python3 "$MK" --format docker agent.json agent.tar 2>mk.err || notok "mkimage agent" "$(cat mk.err)"
# the first unpack says which device nodes it could not make: not under test here
efsap image unpack agent.tar >/dev/null 2>&1 || notok "unpack agent.tar" "failed"

mkdir efs
for u in 1000 0; do
	cat > u$u.conf <<EOF
file_system = { path = "efs"; };
task = { user = "$u:$u"; };
mounts = ( { container_path = "/mnt/efs"; } );
EOF
done
# as U SCRIPT: the container's output (stdout and stderr, joined on one line)
as() {
	out=$(efsap run --image agent.tar -c u$1.conf -- sh -c "$2" 2>&1)
	out=$(echo $out)
}
# the owner and mode of a path in the base tar, as stat -c '%u:%g %a' prints them
tarstat() {
	python3 - "$IMG/bookworm.tar" "$@" <<'EOF'
import sys, tarfile
with tarfile.open(sys.argv[1]) as tf:
    for p in sys.argv[2:]:
        m = tf.getmember("./" + p)
        print("%d:%d %o" % (m.uid, m.gid, m.mode & 0o7777))
EOF
}

# 1. uid 1000 may not change root's files.
as 1000 'touch /etc/x; echo $?'
expect_eq "uid 1000: touch /etc/x is denied" "touch: cannot touch '/etc/x': Permission denied 1" "$out"
as 1000 'rm -f /etc/debian_version; echo $?; test -e /etc/debian_version && echo still'
expect_eq "uid 1000: rm /etc/debian_version is denied" \
	"rm: cannot remove '/etc/debian_version': Permission denied 1 still" "$out"
as 1000 'echo x >> /etc/passwd; echo $?; grep -c "^x\$" /etc/passwd'
expect_eq "uid 1000: appending to /etc/passwd is denied" \
	"sh: 1: cannot create /etc/passwd: Permission denied 2 0" "$out"
as 1000 'ls /root; echo $?'
expect_eq "uid 1000: ls /root (0700 root) is denied" \
	"ls: cannot open directory '/root': Permission denied 2" "$out"

# 2. The layers' owners and modes, read from the tars, not guessed.
want=$(echo $(tarstat etc/passwd etc/shadow tmp root) 1000:1000 750 1000:1000 600 0:0 700 0:0 755)
as 1000 'stat -c "%u:%g %a" /etc/passwd /etc/shadow /tmp /root /home/agent /home/agent/private /usr/local/bin/secret.sh /srv/app'
expect_eq "stat shows the layers' owners and modes" "$want" "$out"
as 1000 'cat /etc/shadow; echo $?'
expect_eq "uid 1000: cat /etc/shadow (0:42 0640) is denied" "cat: /etc/shadow: Permission denied 1" "$out"
as 1000 'cat /home/agent/private'
expect_eq "uid 1000 reads its own 0600 file" "private" "$out"

# 3. A new file in agent's home is agent's; agent chmods it, not /etc/passwd.
as 1000 'umask 022; echo hi > /home/agent/new && stat -c "%u:%g %a" /home/agent/new && chmod 600 /home/agent/new && stat -c %a /home/agent/new'
expect_eq "uid 1000 creates in its home: 1000:1000 644, and chmods it" "1000:1000 644 600" "$out"
as 1000 'chmod 666 /etc/passwd; echo $?; stat -c %a /etc/passwd'
expect_eq "uid 1000 may not chmod /etc/passwd" \
	"chmod: changing permissions of '/etc/passwd': Operation not permitted 1 644" "$out"

# setpriv (util-linux) changes the caller's identity inside the container.
as 0 'command -v setpriv'
expect_eq "the image has setpriv" "/usr/bin/setpriv" "$out"
SP="setpriv --reuid=1000 --regid=1000 --clear-groups"

# 4. /tmp is sticky: uid 1000 may not remove root's file there.
as 0 "stat -c %a /tmp; touch /tmp/r && $SP rm -f /tmp/r; echo \$?; test -e /tmp/r && echo still"
expect_eq "sticky /tmp: uid 1000 may not remove root's file" \
	"1777 rm: cannot remove '/tmp/r': Operation not permitted 1 still" "$out"

# 5. The emulated root owns the image: the nginx story (chown to another user).
as 0 'mkdir /srv/app/tmp && chown 101:101 /srv/app/tmp && stat -c %u:%g /srv/app/tmp'
expect_eq "root: mkdir then chown 101:101 in the image" "101:101" "$out"
as 0 'mkdir /srv/app/tmp && chmod 0700 /srv/app/tmp && stat -c %a /srv/app/tmp'
expect_eq "root: chmod 0700 in the image" "700" "$out"
as 0 'echo x > /etc/x && stat -c "%u:%g %a" /etc/x && cat /etc/x'
expect_eq "root writes /etc/x" "0:0 644 x" "$out"

# 6. The caller identity follows setuid.
as 0 "chown 1000:1000 /srv/app && $SP sh -c 'touch /srv/app/ok && stat -c %u:%g /srv/app/ok && touch /etc/no'; echo \$?; test -e /etc/no && echo made"
expect_eq "after setuid(1000): writes its own /srv/app, not /etc" \
	"1000:1000 touch: cannot touch '/etc/no': Permission denied 1" "$out"

as 0 "$SP sh -c 'id -u; touch /shared-storage/ok && stat -c %u:%g /shared-storage/ok && touch /etc/no'; echo \$?; test -e /etc/no && echo made"
expect_eq "after setuid(1000), no chown before: the image's 1000-owned dir, not /etc" \
	"1000 1000:1000 touch: cannot touch '/etc/no': Permission denied 1" "$out"

# 7. Execution follows the mode bits.
as 1000 '/usr/local/bin/secret.sh; echo $?'
expect_eq "uid 1000 may not run root's 0700 script" \
	"sh: 1: /usr/local/bin/secret.sh: Permission denied 126" "$out"
as 0 '/usr/local/bin/secret.sh; echo $?'
expect_eq "root runs it" "secret 0" "$out"

# 8. The EFS mount on top keeps the EFS rules (its root is 0:0 0755).
as 1000 'mkdir /mnt/efs/d; echo $?; stat -c "%U %u:%g %a" /mnt/efs'
expect_eq "EFS mount: uid 1000 may not mkdir in the file system's root" \
	"mkdir: cannot create directory '/mnt/efs/d': Permission denied 1 root 0:0 755" "$out"
as 0 'mkdir /mnt/efs/d && stat -c "%U %u:%g %a" /mnt/efs/d'
expect_eq "EFS mount: root's mkdir works" "root 0:0 755" "$out"
if [ -d efs/d ]; then ok "EFS mount: the backing directory has it"; else notok "EFS mount: the backing directory has it" "no $T/efs/d"; fi

# 9. What stays the host kernel's: /dev, /proc, the launcher's /etc/hosts.
as 1000 'echo x > /dev/null && echo null; grep -c "^Uid:" /proc/self/status; grep -c localhost /etc/hosts'
expect_eq "uid 1000: /dev/null, /proc/self/status, /etc/hosts" "null 1 1" "$out"

# 10. The root directory lists the image's top-level names, the mount
# points' (/mnt/efs is under the image's /mnt) and the launcher's /.efsap
# (the library is loaded from there), nothing else.
top=$(tar -tf "$IMG/bookworm.tar" | sed -n 's|^\./||; s|/$||; /^[^/][^/]*$/p')
want=$(printf '%s\n' . .. .efsap evil shared-storage $top | LC_ALL=C sort -u | tr '\n' ' ')
out=$(efsap run --image agent.tar -c u1000.conf -- ls -a / 2>&1 | LC_ALL=C sort | tr '\n' ' ')
expect_eq "ls -a / shows the image's names and /.efsap only" "$want" "$out"

# 12. New objects appear with their records: two uid-1000 `mkdir -p`
# racing on shared parents (each step fchdir's into an O_PATH descriptor)
# never meet a parent without its owner; the staging directory that makes
# this so is never listed.
as 1000 'for n in $(seq 1 100); do mkdir -p /tmp/r$n/x/y 2>>/tmp/err & mkdir -p /tmp/r$n/x/z 2>>/tmp/err & wait; done
cat /tmp/err; ls /tmp/r1/x | tr "\n" " "; stat -c "%u:%g %a" /tmp/r100/x /tmp/r100/x/z; ls -a / | grep -c staging'
expect_eq "uid 1000: 200 racing mkdir -p, all theirs, nothing listed of the staging" \
	"y z 1000:1000 755 1000:1000 755 0" "$out"

# 12b. An image whose staging name is a link (to /evil) gets a directory
# of efsap's there: nothing efsap makes lands in /evil.
as 1000 'touch /tmp/a && mkdir /tmp/b && mkfifo /tmp/c && echo made; ls -A /evil | wc -l'
expect_eq "a hostile image's staging link: nothing lands where it pointed" "made 0" "$out"
as 0 'stat -c "%F %u:%g %a" /.efsap-staging'
expect_eq "... for the link is replaced by a directory of efsap's" "directory 0:0 700" "$out"

# 13. The records of a FIFO and a link stay in the container (no xattr can
# hold them): the EFS store beside the backing directory gains none.
before=$(ls -A .efs.efsap 2>/dev/null | wc -l)
as 1000 'mkfifo /tmp/f && ln -s /etc /tmp/l && stat -c "%u:%g %a %F" /tmp/f /tmp/l'
expect_eq "uid 1000: its FIFO and link are its own" \
	"1000:1000 644 fifo 1000:1000 777 symbolic link" "$out"
expect_eq "the EFS store gained no record of the image's" "$before" \
	"$(ls -A .efs.efsap 2>/dev/null | wc -l)"

# 15. libc's walkers (tests/helpers/walkls, from the build directory the
# launcher binds at /.efsap/lib): nftw shows the layers' owners and goes
# from the image into the EFS mount at its mount point; scandir of / does
# not list efsap's staging directory.
W=/.efsap/lib/tests/walkls
if [ -x "$EFSAP_BUILD/tests/walkls" ] && [ "$LIB" = "$EFSAP_BUILD/libefsap.so" ]; then
	as 0 "mkdir -p /mnt/efs/w && chown 1000:1000 /mnt/efs/w && touch /mnt/efs/w/f; $W nftw /home; $W nftw /mnt | grep -c /mnt/efs/w; $W scandir / | grep -c staging"
	expect_eq "nftw: the image's owners, into the EFS mount; scandir: no staging directory" \
		"/home 0:0 755 /home/agent 1000:1000 750 /home/agent/private 1000:1000 600 2 0" "$out"
else
	echo "ok walkers # SKIP no tests/walkls in the library's directory"
fi

# 14. efsap check says how the image's own paths are decided.
out=$(efsap check --explain --image agent.tar u1000.conf 2>&1)
expect_match "check --explain --image: the image's paths, with the caller identity" \
	"*image: its own paths keep the owners and modes of its layers*caller identity (uid 1000 gid 1000 at start)*" "$out"

# 11. The changes are the container's: a second run starts from the image.
as 0 'echo x > /etc/x && cat /etc/x'
as 0 'test -e /etc/x && echo kept || echo gone; test -e /srv/app/tmp && echo kept || echo gone'
expect_eq "a second run sees the image again" "gone gone" "$out"
finish
