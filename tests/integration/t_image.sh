#!/bin/sh
# SPDX-License-Identifier: MIT
# t_image.sh: `efsap run --image` (issue 11) with real Debian images: the
# seed stories as images built from a mmdebstrap root (tests/images/base.sh,
# found in $EFSAP_TEST_IMAGES) and layers written by tests/images/mkimage.py.
# The container: its user, environment, working directory, command, its
# own /etc/passwd, a writable layer thrown away at exit; the EFS mounts
# emulated inside; the mount that hides the image's directory, named with
# its layer in the denial; the EC2 launch type's copy into an empty volume;
# the library loading in Debian 11 (glibc 2.31); no user namespace: 69.
. "$EFSAP_SRC/tests/integration/lib.sh"
image_setup image-runs
skip() { echo "ok $1 # SKIP $2"; }

# The agent image of seed 002: Debian, a user agent (1000), the Dockerfile's
# RUN chown agent /shared-storage in a layer of its own, USER agent.
base_layer() {
	printf '{ "tar": "%s", "created_by": "/bin/sh -c #(nop) ADD file:debian-%s-minbase in / " }' "$IMG/$1.tar" "$1"
}
passwd_layer() {
	cat <<EOF
{ "created_by": "RUN useradd -u 1000 -m agent",
  "entries": [
  { "type": "file", "path": "etc/passwd", "mode": "0644", "content": "$(sed 's/$/\\n/' "$2" | tr -d '\n')agent:x:1000:1000::/home/agent:/bin/sh\\n" },
  { "type": "file", "path": "etc/group", "mode": "0644", "content": "$(sed 's/$/\\n/' "$3" | tr -d '\n')agent:x:1000:\\nbuilders:x:1500:agent\\n" },
  { "type": "dir", "path": "home/agent", "uid": 1000, "gid": 1000, "mode": "0750" } ] }
EOF
}
tar -xf "$IMG/bookworm.tar" -O ./etc/passwd > passwd.base 2>/dev/null || tar -xf "$IMG/bookworm.tar" -O etc/passwd > passwd.base
tar -xf "$IMG/bookworm.tar" -O ./etc/group > group.base 2>/dev/null || tar -xf "$IMG/bookworm.tar" -O etc/group > group.base
cat > agent.json <<EOF
{ "config": { "User": "agent", "WorkingDir": "/work", "Env": ["PATH=/usr/local/bin:/usr/bin:/bin", "GREETING=from the image"],
              "Cmd": ["sh", "-c", "echo cmd \$GREETING"] },
  "layers": [ $(base_layer bookworm), $(passwd_layer x passwd.base group.base),
    { "created_by": "RUN mkdir /shared-storage && chown agent /shared-storage",
      "entries": [ { "type": "dir", "path": "shared-storage", "uid": 1000, "gid": 1000, "mode": "0755" },
                   { "type": "file", "path": "shared-storage/from-image", "uid": 1000, "gid": 1000, "content": "image\\n" } ] } ] }
EOF
python3 "$MK" --format docker agent.json agent.tar 2>mk.err || notok "mkimage docker" "$(cat mk.err)"
python3 "$MK" --format oci agent.json agent.oci 2>mk.err || notok "mkimage oci" "$(cat mk.err)"
# the first unpack says which device nodes it could not make: not under test here
efsap image unpack agent.tar >/dev/null 2>&1 || notok "unpack agent.tar" "failed"

cat > none.conf <<EOF
file_system = { path = "efs"; };
mounts = ( { container_path = "/mnt/efs"; } );
EOF

out=$(efsap run --image agent.tar -c none.conf 2>&1); rc=$?
expect_eq "no COMMAND: the image's Cmd, with its Env" "cmd from the image 0" "$out $rc"
out=$(efsap run --image agent.tar -c none.conf -- sh -c 'echo $(id -un) $(id -u) $(id -G) $(pwd) $HOME $HOSTNAME' 2>&1)
expect_eq "USER agent from the image's /etc/passwd and /etc/group, WorkingDir, HOME" \
	"agent 1000 1000 1500 /work /home/agent efsap" "$out"
out=$(efsap run --image agent.oci -c none.conf -- sh -c '. /etc/os-release; echo $VERSION_CODENAME; cat /etc/hostname' 2>&1)
expect_eq "an OCI layout runs too: the image's own files" "bookworm efsap" "$(echo $out)"
sed 's/^mounts/task = { user = "2000:2000"; };\nmounts/' none.conf > u2000.conf
out=$(efsap run --image agent.tar -c u2000.conf -- id -u 2>&1)
expect_eq "task.user overrides the image's User" "2000" "$out"
efsap run --image agent.tar -c none.conf -- sh -c 'echo x > /tmp/left-behind' >/dev/null 2>&1
out=$(efsap run --image agent.tar -c none.conf -- sh -c 'test -e /tmp/left-behind && echo kept || echo gone' 2>&1)
expect_eq "the writable layer is thrown away at exit (docker run --rm)" "gone" "$out"
out=$(efsap run --image agent.tar -c none.conf -- sh -c 'grep -c libefsap /proc/self/maps >/dev/null && grep -o "/.efsap/lib/libefsap.so" /proc/self/maps | head -1' 2>&1)
expect_eq "the library is loaded inside the container" "/.efsap/lib/libefsap.so" "$out"
out=$(efsap run --image agent.tar -c none.conf -- sh -c 'exit 7' 2>&1); rc=$?
expect_eq "the command's exit status" 7 "$rc"
efsap run --image agent.tar -c none.conf -- /no/such/program >/dev/null 2>&1; rc=$?
expect_eq "a missing program: 127" 127 "$rc"
out=$(efsap run --image "$T/nothing-here" -c none.conf -- true 2>&1); rc=$?
expect_eq "a missing image: a usage error" 2 "$rc"

# A hostile image: its etc, dev, mnt and .efsap are symbolic links to host
# directories; the container is made inside the image, so nothing of the
# host's is created, replaced or removed.
mkdir -p victim/etc victim/dev victim/mnt victim/efsap
ln -s /nowhere victim/etc/hosts && echo host-file > victim/etc/resolv.conf
cat > hostile.json <<EOF
{ "config": { "Cmd": ["true"] },
  "layers": [ $(base_layer bookworm),
    { "created_by": "RUN rm -rf /etc /dev /mnt && ln -s $T/victim/etc /etc ...",
      "entries": [ { "type": "whiteout", "path": "etc" }, { "type": "whiteout", "path": "dev" },
                   { "type": "whiteout", "path": "mnt" } ] },
    { "created_by": "RUN ln -s ...",
      "entries": [ { "type": "symlink", "path": "etc", "target": "$T/victim/etc" },
                   { "type": "symlink", "path": "dev", "target": "$T/victim/dev" },
                   { "type": "symlink", "path": "mnt", "target": "$T/victim/mnt" },
                   { "type": "symlink", "path": ".efsap", "target": "$T/victim/efsap" } ] } ] }
EOF
python3 "$MK" --format docker hostile.json hostile.tar 2>mk.err || notok "mkimage hostile" "$(cat mk.err)"
efsap image unpack hostile.tar >/dev/null 2>&1
before=$(cd victim && find . -printf '%p %y %l\n' | sort | tr '\n' ' ')
efsap run --image hostile.tar -c none.conf -- true >/dev/null 2>&1
after=$(cd victim && find . -printf '%p %y %l\n' | sort | tr '\n' ' ')
expect_eq "a hostile image's links to host directories: the host is untouched" "$before" "$after"

# Signals: the command is the container's pid 1, which ignores what it has
# no handler for; a second SIGTERM kills it (docker stop's rule), and a
# SIGKILL of the launcher leaves no container behind.
"$EFSAP" run --image agent.tar -c none.conf -- sleep 3600.$$ >/dev/null 2>&1 & lp=$!
sleep 2; kill -TERM $lp; sleep 1; kill -TERM $lp 2>/dev/null
i=0; while kill -0 $lp 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
if kill -0 $lp 2>/dev/null; then
	kill -KILL $lp; pkill -KILL -f "sleep 3600.$$"
	notok "two SIGTERMs end the container" "the launcher still waits 5 s later"
else
	wait $lp; rc=$?
	expect_eq "two SIGTERMs end the container: 128 + SIGKILL" 137 "$rc"
fi
"$EFSAP" run --image agent.tar -c none.conf -- sleep 3601.$$ >/dev/null 2>&1 & lp=$!
sleep 2; kill -KILL $lp; wait $lp 2>/dev/null; sleep 1
if pgrep -f "sleep 3601.$$" >/dev/null; then
	pkill -KILL -f "sleep 3601.$$"
	notok "a launcher killed by SIGKILL takes its container along" "the command still ran"
else
	ok "a launcher killed by SIGKILL takes its container along"
fi

# Seed 002 in the image: the root of a new file system is 0:0 0755.
cp "$EFSAP_SRC/conf/agents-before.conf" "$EFSAP_SRC/conf/agents-after.conf" .
sed -i 's/^  user = "1000:1000";.*//' agents-before.conf agents-after.conf
out=$(efsap run --image agent.tar -c agents-before.conf --log=deny -- mkdir /shared-storage/artifacts 2>&1); rc=$?
expect_match "without an access point: Permission denied" "Permission denied" "$out"
expect_match "the hint names the image's directory and its layer" \
	"the image has /shared-storage (1000:1000 0755, a directory with entries, layer 3 (sha256:" "$out"
expect_match "... and the Dockerfile command" "RUN mkdir /shared-storage && chown agent /shared-storage" "$out"
out=$(efsap check --explain --image agent.tar agents-before.conf 2>&1)
expect_match "check --explain --image says what the mount hides" "chown agent /shared-storage" "$out"
out=$(efsap run --image agent.tar -c agents-after.conf -- sh -c 'mkdir /shared-storage/artifacts && echo built > /shared-storage/artifacts/a && ls /shared-storage; stat -c "%u:%g" /shared-storage/artifacts/a' 2>&1)
expect_eq "through the access point it works, and the image's file is hidden" "artifacts 1000:1000" "$(echo $out)"

# The EC2 launch type: Docker copies the image's directory into the empty volume.
mkdir ec2 && cd ec2
sed 's/^task = {/task = { launch_type = "EC2";/' ../agents-after.conf > ec2.conf
grep -q launch_type ec2.conf || printf 'task = { launch_type = "EC2"; };\n' >> ec2.conf
out=$(efsap run --image ../agent.tar -c ec2.conf -- sh -c 'cat /shared-storage/from-image; stat -c "%u:%g %a" /shared-storage' 2>&1); rc=$?
expect_eq "EC2: the image directory owned by the access point user is copied up" "image 1000:1000 755 0" "$(echo $out) $rc"
cd .. && mkdir ec2root && cd ec2root
cat > root.json <<EOF
{ "config": { "User": "agent" },
  "layers": [ $(base_layer bookworm), $(passwd_layer x ../passwd.base ../group.base),
    { "created_by": "RUN mkdir -p /var/lib/app && echo seed > /var/lib/app/seed",
      "entries": [ { "type": "dir", "path": "var/lib/app", "mode": "0755" },
                   { "type": "file", "path": "var/lib/app/seed", "content": "seed\\n" } ] } ] }
EOF
python3 "$MK" --format docker root.json root.tar 2>mk.err || notok "mkimage root" "$(cat mk.err)"
efsap image unpack root.tar >/dev/null 2>&1 || notok "unpack root.tar" "failed"
sed 's|/shared-storage|/var/lib/app|' ../ec2/ec2.conf > ec2.conf
out=$(efsap run --image root.tar -c ec2.conf -- true 2>&1); rc=$?
expect_match "EC2: a root-owned image directory over an access point: the task does not start" \
	"CannotCreateContainerError: Error response from daemon: failed to copy file info for /var/lib/ecs/volumes/" "$out"
expect_match "... because lchown is not permitted" "lchown /var/lib/ecs/volumes/" "$out"
expect_eq "... with status 125" 125 "$rc"
sed 's/launch_type = "EC2"/launch_type = "FARGATE"/' ec2.conf > fg.conf
out=$(efsap run --image root.tar -c fg.conf -- sh -c 'ls -A /var/lib/app | wc -l' 2>&1); rc=$?
expect_eq "FARGATE: no copy, the task starts with the volume as it is" "0 0" "$out $rc"
cd ..

# Seed 004 as an image: a web image whose USER www-data reads what root
# uploaded to a read-only mount, and cannot write there.
cat > web.json <<EOF
{ "config": { "User": "www-data", "Cmd": ["cat", "/var/www/html/index.html"] },
  "layers": [ $(base_layer bookworm),
    { "created_by": "COPY default.html /var/www/html/index.html",
      "entries": [ { "type": "dir", "path": "var/www/html", "mode": "0755" },
                   { "type": "file", "path": "var/www/html/index.html", "content": "the image's page\n" } ] } ] }
EOF
python3 "$MK" --format oci web.json web.oci 2>mk.err || notok "mkimage web" "$(cat mk.err)"
efsap image unpack web.oci >/dev/null 2>&1 || notok "unpack web.oci" "failed"
grep -v '^  user = ' "$EFSAP_SRC/conf/web-readonly.conf" > web.conf
mkdir -p efs-data/web && echo "uploaded by root" > efs-data/web/index.html
out=$(efsap run --image web.oci -c web.conf 2>&1); rc=$?
expect_eq "web image: USER www-data reads the uploaded page, not the image's" "uploaded by root 0" "$out $rc"
out=$(efsap run --image web.oci -c web.conf -- sh -c 'id -un; echo x > /var/www/html/new' 2>&1); rc=$?
expect_match "web image: writing to the read-only mount fails" "Read-only file system" "$out"
expect_match "... as www-data, from the image's /etc/passwd" "www-data" "$out"

# PostgreSQL as USER 999 (the image's postgres), its data on EFS.
if [ -s "$IMG/bookworm-postgresql.tar" ]; then
	cat > pg.json <<EOF
{ "config": { "User": "postgres", "Env": ["PATH=/usr/lib/postgresql/15/bin:/usr/bin:/bin", "PGDATA=/var/lib/postgresql/data"] },
  "layers": [ $(base_layer bookworm-postgresql) ] }
EOF
	python3 "$MK" --format docker pg.json pg.tar 2>mk.err || notok "mkimage pg" "$(cat mk.err)"
	efsap image unpack pg.tar >/dev/null 2>&1 || notok "unpack pg.tar" "failed"
	mkdir pg && cat > pg/root.conf <<EOF
file_system = { path = "efs"; };
mounts = ( { container_path = "/var/lib/postgresql/data"; } );
EOF
	cat > pg/ap.conf <<EOF
file_system = { path = "efs"; };
access_points = ( { id = "fsap-pg"; root_directory = { path = "/pgdata";
  creation_info = { owner_uid = 999; owner_gid = 999; permissions = "0700"; }; };
  posix_user = { uid = 999; gid = 999; }; } );
mounts = ( { container_path = "/var/lib/postgresql/data"; access_point = "fsap-pg"; transit_encryption = true; } );
EOF
	out=$(efsap run --image pg.tar -c pg/root.conf -- initdb 2>&1); rc=$?
	expect_match "postgres on the file system's root (0:0 0755): initdb fails" \
		"initdb: error: could not change permissions of directory" "$out"
	out=$(efsap run --image pg.tar -c pg/ap.conf -- sh -c 'initdb >/dev/null 2>&1; echo $?; id -un; stat -c "%u:%g %a" $PGDATA $PGDATA/PG_VERSION' 2>&1)
	expect_eq "postgres through an access point 999:999 0700: initdb works, every file 999's" \
		"0 postgres 999:999 700 999:999 600" "$(echo $out)"
else
	skip postgresql "no PostgreSQL base root"
fi

# A musl image (as Alpine's): musl's loader and a musl-gcc program, nothing
# else; the launcher gives it the musl build of the library.
if command -v musl-gcc >/dev/null 2>&1 && [ -f "$EFSAP_BUILD/musl/libefsap.so" ]; then
	mkdir -p musl/stage/lib musl/stage/bin musl/stage/tmp
	ld=$(ls /lib/ld-musl-*.so.1 2>/dev/null | head -1)
	cat > musl/mk.c <<'EOF'
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
int main(int argc, char **argv)
{
	struct stat st;
	if (mkdir(argv[1], 0755) != 0) { printf("mkdir %s\n", strerror(errno)); return 1; }
	if (stat(argv[1], &st) != 0) return 2;
	printf("uid %d owner %u:%u\n", (int)getuid(), (unsigned)st.st_uid, (unsigned)st.st_gid);
	return 0;
}
EOF
	if [ -n "$ld" ] && musl-gcc -o musl/stage/bin/mk musl/mk.c 2>musl/cc.err; then
		cp -L "$ld" "musl/stage/lib/$(basename "$ld")"
		tar -cf musl/layer.tar --owner=0 --group=0 -C musl/stage .
		printf '{ "config": { "User": "1000:1000", "Entrypoint": ["/bin/mk"] }, "layers": [ { "tar": "layer.tar" } ] }\n' > musl/spec.json
		python3 "$MK" --format docker musl/spec.json musl.tar 2>mk.err || notok "mkimage musl" "$(cat mk.err)"
		efsap image unpack musl.tar >/dev/null 2>&1
		out=$(efsap run --image musl.tar -c none.conf -- /mnt/efs/d 2>&1); rc=$?
		expect_eq "a musl image: the musl library, the file system root refuses uid 1000" "mkdir Permission denied 1" "$out $rc"
		sed 's/^mounts/task = { user = "0:0"; };\nmounts/' none.conf > root.conf
		out=$(efsap run --image musl.tar -c root.conf -- /mnt/efs/d 2>&1); rc=$?
		expect_eq "a musl image: root creates, and the record says so" "uid 0 owner 0:0 0" "$out $rc"
	else
		skip musl-image "musl-gcc cannot build here: $(cat musl/cc.err 2>/dev/null)"
	fi
else
	skip musl-image "no musl-gcc or no musl build of the library (make musl)"
fi

# Debian 11: glibc 2.31, the library built against 2.36 loads there.
if [ -s "$IMG/bullseye.tar" ]; then
	cat > bullseye.json <<EOF
{ "config": { "Cmd": ["sh"] }, "layers": [ $(base_layer bullseye) ] }
EOF
	python3 "$MK" --format oci-tar bullseye.json bullseye.oci.tar 2>mk.err || notok "mkimage bullseye" "$(cat mk.err)"
	efsap image unpack bullseye.oci.tar >/dev/null 2>&1 || notok "unpack bullseye" "failed"
	cat > b.conf <<EOF
file_system = { path = "befs"; };
access_points = ( { id = "fsap-b"; root_directory = { path = "/b"; creation_info = { owner_uid = 1000; owner_gid = 1000; permissions = "0755"; }; };
  posix_user = { uid = 1000; gid = 1000; }; } );
task = { user = "0:0"; };
mounts = ( { container_path = "/data"; access_point = "fsap-b"; transit_encryption = true; } );
EOF
	out=$(efsap run --image bullseye.oci.tar -c b.conf -- sh -c '. /etc/os-release; echo $VERSION_CODENAME; ldd --version | head -1 | grep -o "2\.31" | head -1; touch /data/f && stat -c %u:%g /data/f; chown 0 /data/f 2>&1 | grep -o "Operation not permitted"' 2>&1)
	expect_eq "Debian 11 (glibc 2.31) runs the library: an access point's owner and its chown refusal" \
		"bullseye 2.31 1000:1000 Operation not permitted" "$(echo $out)"
else
	skip bullseye "no Debian 11 base root"
fi

# No user namespace (a namespace without a uid mapping may not make one): 69.
out=$(TMPDIR="$T" unshare -U "$EFSAP" run --image agent.tar -c none.conf -- true 2>&1); rc=$?
expect_eq "no user namespace: one line, status 69" "69 1" "$rc $(printf '%s\n' "$out" | grep -c 'no unprivileged user namespace')"
finish
