#!/bin/sh
# SPDX-License-Identifier: MIT
# t_tool.sh: the efsap program itself: `check` (exit statuses, -q,
# diagnostics, --explain), `run` (environment, configuration lookup, exit
# status, static binaries), --help and --version.  `run` is tested with
# EFSAP_DISABLE=1 so that the library stays out of the way.
. "$EFSAP_SRC/tests/integration/lib.sh"

T=$(mktmp)
cd "$T" || exit 1
TP=$(pwd -P)
unset EFSAP_CONFIG EFSAP_LOG EFSAP_LOG_FILE EFSAP_STATE_DEFAULT LD_PRELOAD

# Run the tool; stdout in $out, stderr in $err, exit status in $rc.
t() {
	out=$("$EFSAP" "$@" 2>"$T/.err"); rc=$?
	err=$(cat "$T/.err")
}

cat > valid.conf <<'EOF'
file_system = { path = "efs-data"; };
task = { user = "1000:1000"; };
mounts = ( { container_path = "/mnt/efs"; } );
EOF
cat > invalid.conf <<'EOF'
file_system = {
  path = "efs-data";
  colour = "blue";
};
mounts = ( { container_path = "relative/path"; } );
EOF
cat > warn.conf <<'EOF'
file_system = {
  path = "efs-data";
  policy = ( { effect = "Allow"; principal = "task"; actions = [ "Client*" ]; } );
};
mounts = ( { container_path = "/mnt/efs"; } );
EOF
mkdir adir

# --- check: exit statuses and output --------------------------------------
t check valid.conf
expect_eq "check valid: exit 0" 0 "$rc"
expect_eq "check valid: ok line" "valid.conf: ok" "$out"
expect_eq "check valid: stderr empty" "" "$err"

t check invalid.conf
expect_eq "check invalid: exit 1" 1 "$rc"
expect_match "check invalid: FILE:LINE: error for the unknown key" "invalid.conf:3: error: " "$err"
expect_match "check invalid: FILE:LINE: error for the mount" "invalid.conf:5: error: " "$err"
expect_eq "check invalid: no ok line" "" "$out"
n=$(printf '%s\n' "$err" | grep -c ': error: ')
if [ "$n" -ge 2 ]; then ok "check invalid: every error, not only the first"; else notok "check invalid: every error" "$n errors in [$err]"; fi

t check warn.conf
expect_eq "check warnings: exit 0" 0 "$rc"
expect_eq "check warnings: ok line counts them" "warn.conf: ok, 1 warning" "$out"
expect_match "check warnings: FILE:LINE: warning" "warn.conf:3: warning: " "$err"

t check -q valid.conf
expect_eq "check -q valid: exit 0" 0 "$rc"
expect_eq "check -q valid: no output" "" "$out$err"
t check -q warn.conf
expect_eq "check -q warnings: exit 0, no output" "0:" "$rc:$out$err"
t check -q invalid.conf
expect_eq "check -q invalid: exit 1" 1 "$rc"
expect_eq "check -q invalid: nothing on stdout" "" "$out"
bad=$(printf '%s\n' "$err" | grep -vc '^invalid.conf:[0-9]*: error: ')
expect_eq "check -q invalid: only diagnostics" 0 "$bad"

t check missing.conf
expect_eq "check missing file: exit 2" 2 "$rc"
expect_match "check missing file: says why" "missing.conf: No such file or directory" "$err"
t check adir
expect_eq "check directory: exit 2" 2 "$rc"
expect_match "check directory: says why" "adir: Is a directory" "$err"
mkfifo afifo
out=$(timeout 10 "$EFSAP" check afifo 2>"$T/.err"); rc=$?; err=$(cat "$T/.err")
expect_eq "check FIFO: exit 2, without waiting for a writer" 2 "$rc"
expect_match "check FIFO: says why" "afifo: not a regular file" "$err"
t check --no-such-option valid.conf
expect_eq "check unknown option: exit 2" 2 "$rc"
expect_match "check unknown option: usage" "usage: efsap" "$err"
t check
expect_eq "check without files: exit 2" 2 "$rc"
t check valid.conf invalid.conf
expect_eq "check valid + invalid: exit 1" 1 "$rc"
expect_match "check valid + invalid: valid one is ok" "valid.conf: ok" "$out"
t check invalid.conf missing.conf valid.conf
expect_eq "check with an I/O error: exit 2" 2 "$rc"
if [ "$(id -u)" != 0 ]; then
	cp valid.conf unreadable.conf && chmod 000 unreadable.conf
	t check unreadable.conf
	expect_eq "check unreadable file: exit 2" 2 "$rc"
else
	ok "check unreadable file # skip as root"
fi

# --- check --explain ------------------------------------------------------
mkdir ex && cd ex || exit 1
cat > ap.conf <<'EOF'
file_system = { path = "efs-data"; };
access_points = (
  {
    id = "fsap-agent";
    root_directory = {
      path = "/agent-storage";
      creation_info = { owner_uid = 1000; owner_gid = 1000; permissions = "0750"; };
    };
    posix_user = { uid = 1000; gid = 1000; secondary_gids = [ 2000 ]; };
  },
  { id = "fsap-bare"; root_directory = { path = "/bare"; }; },
  {
    id = "fsap-deep";
    root_directory = {
      path = "/teams/a/home";
      creation_info = { owner_uid = 42; owner_gid = 43; permissions = "0755"; };
    };
  }
);
task = { user = "3000:3000"; };
mounts = (
  { container_path = "/shared-storage"; access_point = "fsap-agent"; transit_encryption = true; },
  { container_path = "/bare"; access_point = "fsap-bare"; transit_encryption = true; },
  { container_path = "/deep"; access_point = "fsap-deep"; transit_encryption = true; },
  { container_path = "/var/lib/grafana"; root_directory = "/grafana"; },
  { container_path = "/mnt/efs"; read_only = true; }
);
EOF
# The block of mount $1 in $out.
block() { printf '%s\n' "$out" | sed -n "/^mount $(printf '%s' "$1" | sed 's,/,\\/,g')\$/,/^\$/p"; }
# The value of key $2 in the block of mount $1.
field() { block "$1" | sed -n "s/^  $2: //p"; }

t check --explain ap.conf
expect_eq "explain: exit 0 although mounts fail" 0 "$rc"
expect_eq "explain: one header per mount" 5 "$(printf '%s\n' "$out" | grep -c '^mount /')"
expect_eq "explain: access point" "fsap-agent" "$(field /shared-storage 'access point')"
expect_eq "explain: file system path" "fs-local:/agent-storage" "$(field /shared-storage 'file system')"
expect_match "explain: backing path" "*/ex/efs-data/agent-storage" "$(field /shared-storage backing)"
expect_eq "explain: posix_user identity" "uid=1000 gid=1000 groups=2000 (posix_user of fsap-agent)" "$(field /shared-storage identity)"
expect_eq "explain: not root" "not root" "$(field /shared-storage squash)"
expect_eq "explain: default policy" "allowed by the default file system policy (no file_system.policy)" "$(field /shared-storage mount)"
expect_eq "explain: read-write" "no" "$(field /shared-storage read-only)"
expect_eq "explain: root created from creation_info" "will be created with owner 1000:1000 mode 0750 (from creation_info)" "$(field /shared-storage 'root directory')"
expect_eq "explain: mounts" "mounts" "$(field /shared-storage result)"
expect_eq "explain: task user identity" "uid=3000 gid=3000 groups=3000 (the task user)" "$(field /bare identity)"
expect_eq "explain: no creation_info fails" "fails: efsap: mount fs-local:/bare on /bare failed: access denied by server (the access point's root directory does not exist and it has no creation_info)" "$(field /bare result)"
expect_eq "explain: missing parents" "will be created with owner 42:43 mode 0755 (from creation_info), with missing parents" "$(field /deep 'root directory')"
expect_eq "explain: missing root_directory fails with ENOENT" "fails: efsap: mount fs-local:/grafana on /var/lib/grafana failed, reason given by server: No such file or directory" "$(field /var/lib/grafana result)"
expect_eq "explain: access point none" "none" "$(field /var/lib/grafana 'access point')"
expect_eq "explain: new file system" "will be created with owner 0:0 mode 0755 (a new file system)" "$(field /mnt/efs 'root directory')"
expect_eq "explain: read_only" "yes (read_only = true)" "$(field /mnt/efs read-only)"
if [ -e efs-data ]; then notok "explain: creates nothing" "efs-data exists"; else ok "explain: creates nothing"; fi

# An existing root that efsap did not create: 0:0 with its real mode.
mkdir -p efs-data/grafana efs-data/bare && chmod 0700 efs-data/grafana && chmod 0755 efs-data/bare
t check --explain ap.conf
expect_eq "explain: unrecorded root is 0:0" "exists, owner 0:0 mode 0700 (not created by efsap: owned as if uploaded by root)" "$(field /var/lib/grafana 'root directory')"
expect_eq "explain: unsearchable root fails" "fails: efsap: mount fs-local:/grafana on /var/lib/grafana failed: access denied by server (server identity 3000:3000 lacks search permission on the root directory owner 0:0 mode 0700)" "$(field /var/lib/grafana result)"
expect_eq "explain: existing access point root mounts" "mounts" "$(field /bare result)"
expect_eq "explain: existing backing directory" "exists, owner 0:0 mode 0755 (not created by efsap: owned as if uploaded by root)" "$(field /mnt/efs 'root directory')"
touch efs-data/agent-storage
t check --explain ap.conf
expect_eq "explain: root not a directory" "fails: efsap: mount fs-local:/agent-storage on /shared-storage failed, reason given by server: Not a directory" "$(field /shared-storage result)"
rm -f efs-data/agent-storage

# A recorded root: the xattr decides.
if mkdir efs-data/agent-storage && chmod 0700 efs-data/agent-storage &&
    python3 -c 'import os,sys; os.setxattr(sys.argv[1], "user.efsap", b"1000:1000:0700:dir")' \
    efs-data/agent-storage 2>/dev/null; then
	t check --explain ap.conf
	expect_eq "explain: recorded owner and mode" "exists, owner 1000:1000 mode 0700" "$(field /shared-storage 'root directory')"
	expect_eq "explain: recorded owner may search" "mounts" "$(field /shared-storage result)"
else
	ok "explain: recorded owner and mode # skip (no python3 or no user xattrs)"
fi
cd "$T" || exit 1

cat > squash.conf <<'EOF'
file_system = {
  path = "efs-data";
  policy = ( { effect = "Allow"; actions = [ "ClientMount" ]; } );
};
task = { user = "0:0"; };
mounts = ( { container_path = "/mnt/efs"; } );
EOF
t check --explain squash.conf
expect_eq "explain: root squashed" "root squashed to 65534:65534 (ClientRootAccess not granted)" "$(field /mnt/efs squash)"
expect_eq "explain: squashed identity" "uid=65534 gid=65534 groups=none (the task user)" "$(field /mnt/efs identity)"
expect_match "explain: write decision" "denied: *implicit deny*" "$(field /mnt/efs write)"
expect_match "explain: mount decision names the statement" "allowed by file_system.policy statement at line 3*" "$(field /mnt/efs mount)"
expect_eq "explain: ClientWrite read-only" "yes (ClientWrite not granted)" "$(field /mnt/efs read-only)"
expect_eq "explain: squashed root mounts a new file system" "mounts" "$(field /mnt/efs result)"

cat > rootok.conf <<'EOF'
file_system = { path = "efs-data"; };
task = { user = "0:0"; };
mounts = ( { container_path = "/mnt/efs"; } );
EOF
t check --explain rootok.conf
expect_eq "explain: root not squashed" "root, not squashed (ClientRootAccess granted)" "$(field /mnt/efs squash)"

cat > nomount.conf <<'EOF'
file_system = {
  path = "efs-data";
  policy = ( { effect = "Allow"; principal = "task"; actions = [ "Client*" ]; } );
};
task = { user = "1000:1000"; };
mounts = ( { container_path = "/mnt/efs"; } );
EOF
t check --explain nomount.conf
expect_eq "explain: anonymous principal" "anonymous (iam = false)" "$(field /mnt/efs principal)"
expect_match "explain: ClientMount denied first" "fails: efsap: mount fs-local:/ on /mnt/efs failed: access denied by server (ClientMount not granted: denied*" "$(field /mnt/efs result)"

t check -q --explain valid.conf
expect_eq "explain -q: no ok line" "mount /mnt/efs" "$(printf '%s\n' "$out" | head -n 1)"
t check --explain invalid.conf
expect_eq "explain invalid: exit 1, no report" "1:" "$rc:$out"

# Every example configuration explains.
nconf=0
for f in "$EFSAP_SRC"/conf/*.conf; do
	[ -e "$f" ] || continue
	nconf=$((nconf + 1))
	t check --explain "$f"
	expect_eq "explain conf/$(basename "$f"): exit 0" 0 "$rc"
	case "$out" in *"result: "*) ok "explain conf/$(basename "$f"): has results";;
	*) [ -n "$(grep -l mounts "$f")" ] && notok "explain conf/$(basename "$f")" "no result line" || ok "explain conf/$(basename "$f"): no mounts";; esac
done
[ "$nconf" -eq 0 ] && ok "explain conf/*.conf # skip (none yet)"

# --- run ------------------------------------------------------------------
if [ ! -f "$LIB" ]; then
	ok "run # skip (no libefsap.so)"
else
	export EFSAP_DISABLE=1
	t run -c valid.conf -- /bin/sh -c 'echo "$LD_PRELOAD"; echo "$EFSAP_CONFIG"; echo "${EFSAP_LOG-unset}"'
	expect_eq "run: exit 0" 0 "$rc"
	expect_match "run: LD_PRELOAD is the library" "/libefsap.so" "$(echo "$out" | sed -n 1p)"
	case "$(echo "$out" | sed -n 1p)" in /*) ok "run: LD_PRELOAD is absolute";; *) notok "run: LD_PRELOAD is absolute" "$out";; esac
	expect_eq "run: EFSAP_CONFIG absolute" "$TP/valid.conf" "$(echo "$out" | sed -n 2p)"
	expect_eq "run: EFSAP_LOG unset without --log" "unset" "$(echo "$out" | sed -n 3p)"
	expect_eq "run: silent with a configuration" "" "$err"

	libpath=$(echo "$out" | sed -n 1p)
	out=$(LD_PRELOAD="$libpath" "$EFSAP" run -c valid.conf /bin/sh -c 'echo "$LD_PRELOAD"' 2>/dev/null)
	expect_eq "run: prepended to LD_PRELOAD" "$libpath:$libpath" "$out"

	t run --log=deny -c valid.conf /bin/sh -c 'echo "$EFSAP_LOG"'
	expect_eq "run --log=deny" "deny" "$out"
	t run --log=all -c valid.conf /bin/sh -c 'echo "$EFSAP_LOG"'
	expect_eq "run --log=all" "all" "$out"
	t run --log=some -c valid.conf true
	expect_eq "run --log=bad: exit 2" 2 "$rc"

	t run -c valid.conf -- /bin/sh -c 'exit 7'
	expect_eq "run: exit status is COMMAND's" 7 "$rc"
	{ t run -c valid.conf -- /bin/sh -c 'kill -TERM $$'; } 2>/dev/null
	expect_eq "run: killed COMMAND" 143 "$rc"
	t run -c valid.conf no-such-command-efsap
	expect_eq "run: command not found: 127" 127 "$rc"
	printf 'not a program\n' > notexec && chmod 0644 notexec
	t run -c valid.conf ./notexec
	expect_eq "run: not executable: 126" 126 "$rc"
	t run -c invalid.conf true
	expect_eq "run: invalid configuration: 78" 78 "$rc"
	expect_match "run: invalid configuration diagnostics" "invalid.conf:3: error: " "$err"
	t run -c missing.conf true
	expect_eq "run: missing configuration: 78" 78 "$rc"
	t run
	expect_eq "run without COMMAND: exit 2" 2 "$rc"
	t run -x true
	expect_eq "run unknown option: exit 2" 2 "$rc"

	mkdir d1 && cd d1 || exit 1
	t run /bin/sh -c 'echo "[${EFSAP_CONFIG-}]"; echo "$EFSAP_STATE_DEFAULT"'
	expect_eq "run default: announced" "efsap: no configuration file; using the built-in default (file system in $TP/d1/efs-data mounted at /mnt/efs)" "$err"
	expect_eq "run default: no EFSAP_CONFIG" "[]" "$(echo "$out" | sed -n 1p)"
	expect_eq "run default: the library is told" "$TP/d1" "$(echo "$out" | sed -n 2p)"
	export EFSAP_STATE_DEFAULT="$TP/d1"
	t run true
	expect_eq "run default: announced once" "" "$err"
	unset EFSAP_STATE_DEFAULT
	cp ../valid.conf efsap.conf
	t run /bin/sh -c 'echo "$EFSAP_CONFIG"'
	expect_eq "run: ./efsap.conf" "$TP/d1/efsap.conf" "$out"
	expect_eq "run: ./efsap.conf not announced" "" "$err"
	export EFSAP_CONFIG=../warn.conf
	t run /bin/sh -c 'echo "$EFSAP_CONFIG"'
	unset EFSAP_CONFIG
	expect_eq "run: \$EFSAP_CONFIG first, made absolute" "$TP/warn.conf" "$out"
	cd "$T" || exit 1

	t run -c valid.conf /bin/sh -c 'exit 0'
	expect_eq "run: no warning for a dynamic program" "" "$err"
	printf 'int main(void) { return 3; }\n' > static.c
	if cc -static -o static static.c 2>/dev/null; then
		t run -c valid.conf ./static
		expect_eq "run static: runs anyway" 3 "$rc"
		expect_eq "run static: warns" "efsap: warning: ./static is statically linked; efsap cannot see its calls" "$err"
	else
		ok "run static # skip (cc -static failed)"
	fi
	unset EFSAP_DISABLE
fi

# --- help and version -------------------------------------------------------
t --help
expect_eq "--help: exit 0" 0 "$rc"
expect_match "--help: usage on stdout" "usage: efsap check" "$out"
t help
expect_eq "help: exit 0" 0 "$rc"
t --version
expect_eq "--version" "0:efsap $(cat "$EFSAP_SRC/VERSION")" "$rc:$out"
t frobnicate
expect_eq "unknown command: exit 2" 2 "$rc"
expect_match "unknown command: usage on stderr" "usage: efsap" "$err"
t
expect_eq "no command: exit 2" 2 "$rc"
t --frobnicate
expect_eq "unknown option: exit 2" 2 "$rc"

finish
