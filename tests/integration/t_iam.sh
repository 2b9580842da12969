#!/bin/sh
# SPDX-License-Identifier: MIT
# t_iam.sh: IAM policy JSON end to end (issue 12): a policy_file that
# denies ClientWrite makes `efsap run` programs see "Read-only file system"
# and the denial log and `efsap check --explain` name the statement by Sid
# and file; the inline form; role_policy_file for an iam mount; a console
# preset refusing anonymous mounts; malformed JSON reported with file, line
# and column before anything runs; and the conf/ examples that use
# conf/policies.
. "$EFSAP_SRC/tests/integration/lib.sh"

scratch_setup
export LC_ALL=C

# expect_has NAME WANT GOT: WANT, a fixed string (it holds brackets), is in GOT.
expect_has() {
	if printf '%s\n' "$3" | grep -qF -- "$2"; then ok "$1"; else notok "$1" "want [$2] in [$3]"; fi
}

# run_in CONF CMD...: efsap run with EFSAP_LOG=deny into $T/log; $out,
# $err, $log, $rc.
run_in() {
	_c=$1; shift
	: > "$T/log"
	out=$(EFSAP_LOG=deny EFSAP_LOG_FILE="$T/log" "$EFSAP" run -c "$_c" -- "$@" 2>"$T/.err"); rc=$?
	err=$(cat "$T/.err"); log=$(cat "$T/log")
}

mkdir p
cat > p/no-write.json <<'EOF'
{
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "AllowEverything",
            "Effect": "Allow",
            "Principal": { "AWS": "*" },
            "Action": "elasticfilesystem:Client*"
        },
        {
            "Sid": "NoWrite",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "elasticfilesystem:ClientWrite",
            "Resource": "arn:aws:elasticfilesystem:eu-west-1:111122223333:file-system/fs-iam"
        }
    ]
}
EOF
cat > deny.conf <<'EOF'
file_system = { id = "fs-iam"; path = "efs"; policy_file = "p/no-write.json"; };
task = { user = "0:0"; account = "111122223333"; region = "eu-west-1"; };
mounts = ( { container_path = "/data"; } );
EOF

# --- policy_file denying ClientWrite ---------------------------------------------------
run_in "$TP/deny.conf" touch /data/x
expect_eq "policy_file Deny ClientWrite: touch exits 1" 1 "$rc"
expect_has "policy_file Deny ClientWrite: Read-only file system" "touch: cannot touch '/data/x': Read-only file system" "$err"
line=$(printf '%s\n' "$log" | grep -F '/data/x: EROFS' | head -n 1)
expect_has "the denial log names the rule" "rule: ClientWrite not granted" "$line"
expect_has "the denial log names the statement by Sid and file" \
    "(denied by statement \"NoWrite\" (Statement[1], line 10) of file_system.policy_file $TP/p/no-write.json (Deny))" "$line"
run_in "$TP/deny.conf" ls -a /data
expect_eq "policy_file Deny ClientWrite: reading works" "0" "$rc"
ex=$("$EFSAP" check --explain "$TP/deny.conf" 2>&1)
expect_has "check --explain names the deciding statement" \
    "  write: denied by statement \"NoWrite\" (Statement[1], line 10) of file_system.policy_file $TP/p/no-write.json (Deny)" "$ex"
expect_has "check --explain: mount allowed by the Allow statement" \
    "  mount: allowed by statement \"AllowEverything\" (Statement[0], line 4)" "$ex"
expect_has "check --explain: read-only" "  read-only: yes (ClientWrite not granted)" "$ex"
expect_has "check --explain: the file system ARN" "  arn: arn:aws:elasticfilesystem:eu-west-1:111122223333:file-system/fs-iam" "$ex"

# Without account and region the Resource ARN cannot match: the Deny does
# not apply, and check says why.
sed 's/ account = "111122223333"; region = "eu-west-1";//' deny.conf > noarn.conf
run_in "$TP/noarn.conf" touch /data/y
expect_eq "without account and region the Deny's Resource never matches" "0" "$rc"
expect_has "efsap run shows the warning" "names ARNs, but without task.account" "$err"
ck=$("$EFSAP" check "$TP/noarn.conf" 2>&1)
expect_has "check warns that the ARN cannot be formed" \
    "$TP/p/no-write.json:10: warning: statement \"NoWrite\" (Statement[1], line 10): names ARNs, but without task.account and task.region" "$ck"

# --- the inline form ----------------------------------------------------------------------
cat > inline.conf <<'EOF'
file_system = { path = "efs";
  policy = "{\"Version\": \"2012-10-17\", \"Statement\": [
    {\"Sid\": \"ReadOnly\", \"Effect\": \"Allow\", \"Principal\": \"*\",
     \"Action\": [\"elasticfilesystem:ClientMount\", \"elasticfilesystem:ClientRootAccess\"]}]}";
};
task = { user = "0:0"; };
mounts = ( { container_path = "/data"; } );
EOF
run_in "$TP/inline.conf" mkdir /data/d
expect_has "inline policy without ClientWrite: mkdir EROFS" "Read-only file system" "$err"
expect_has "inline policy: the log names the setting's line" "rule: ClientWrite not granted (denied: no statement allows it (implicit deny))" "$log"
ex=$("$EFSAP" check --explain "$TP/inline.conf" 2>&1)
expect_has "inline policy: explain names the statement and the setting" \
    "  mount: allowed by statement \"ReadOnly\" (Statement[0], line 2) of file_system.policy at line 2 (Allow)" "$ex"

# --- role_policy_file for an iam mount --------------------------------------------------------
cat > p/role.json <<'EOF'
{"Version": "2012-10-17", "Statement": [
  {"Sid": "MountOnly", "Effect": "Allow", "Action": "elasticfilesystem:ClientMount", "Resource": "*"}
]}
EOF
cat > p/no-anon.json <<'EOF'
{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Principal": {"AWS": "*"},
   "Action": ["elasticfilesystem:ClientRootAccess", "elasticfilesystem:ClientWrite"],
   "Condition": {"Bool": {"elasticfilesystem:AccessedViaMountTarget": "true"}}}
]}
EOF
cat > role.conf <<'EOF'
file_system = { path = "efs"; policy_file = "p/no-anon.json"; };
task = { user = "0:0"; role_arn = "arn:aws:iam::111122223333:role/app"; role_policy_file = "p/role.json"; };
mounts = ( { container_path = "/data"; iam = true; transit_encryption = true; } );
EOF
run_in "$TP/role.conf" sh -c 'echo hi > /data/r && cat /data/r'
expect_eq "prevent anonymous access + role grants ClientMount: iam mount writes" "0:hi" "$rc:$out"
ex=$("$EFSAP" check --explain "$TP/role.conf" 2>&1)
expect_has "explain: mount allowed by the role policy file" \
    "  mount: allowed by statement \"MountOnly\" (Statement[0], line 2) of task.role_policy_file $TP/p/role.json (Allow)" "$ex"
expect_has "explain: the principal is the role ARN" "  principal: the task role arn:aws:iam::111122223333:role/app (iam = true)" "$ex"
sed 's/ iam = true;//' role.conf > anon.conf
run_in "$TP/anon.conf" true
expect_eq "prevent anonymous access: an anonymous mount fails (32)" 32 "$rc"
expect_has "prevent anonymous access: access denied by server" "access denied by server" "$err"

# --- malformed JSON: file, line and column; nothing runs -----------------------------------
printf '{\n  "Statement": [\n    {"Effect": "Allow" "Action": "*"}\n  ]\n}\n' > p/bad.json
cat > bad.conf <<'EOF'
file_system = { path = "efs"; policy_file = "p/bad.json"; };
mounts = ( { container_path = "/data"; } );
EOF
out=$("$EFSAP" check "$TP/bad.conf" 2>&1); rc=$?
expect_eq "malformed policy_file: check exits 1" 1 "$rc"
expect_has "malformed policy_file: FILE:LINE:COLUMN: error" "$TP/p/bad.json:3:31: error: " "$out"
out=$("$EFSAP" run -c "$TP/bad.conf" -- sh -c 'echo ran' 2>&1); rc=$?
expect_has "malformed policy_file: run refuses before running" "$TP/p/bad.json:3:31: error: " "$out"
case "$out" in *ran*) notok "malformed policy_file: the command did not run" "[$out]";; *) ok "malformed policy_file: the command did not run";; esac
[ "$rc" -ne 0 ] && ok "malformed policy_file: run fails" || notok "malformed policy_file: run fails" "rc 0"
cat > badinline.conf <<'EOF'
file_system = { path = "efs";
  policy = "{\"Statement\": [}"; };
mounts = ( { container_path = "/data"; } );
EOF
out=$("$EFSAP" check "$TP/badinline.conf" 2>&1)
expect_has "malformed inline policy: the setting's line, the JSON's line and column" \
    "$TP/badinline.conf:2: error: file_system.policy: JSON line 1, column 16: " "$out"
cat > exclusive.conf <<'EOF'
file_system = { path = "efs"; policy_file = "p/no-write.json";
  policy = ( { effect = "Allow"; actions = "Client*"; } ); };
mounts = ( { container_path = "/data"; } );
EOF
out=$("$EFSAP" check "$TP/exclusive.conf" 2>&1); rc=$?
expect_has "policy and policy_file exclude each other" "exclude each other" "$rc:$out"

# --- the examples in conf/ that use conf/policies ------------------------------------------
mkdir ex
cp -R "$EFSAP_SRC/conf/policies" ex/
cp "$EFSAP_SRC/conf/iam-read-only.conf" "$EFSAP_SRC/conf/iam-per-app.conf" ex/
run_in "$TP/ex/iam-read-only.conf" touch /data/hello
expect_has "conf/iam-read-only.conf: touch says Read-only file system" "Read-only file system" "$err"
expect_has "conf/iam-read-only.conf: the log names no allowing statement" "rule: ClientWrite not granted (denied: no statement allows it (implicit deny))" "$log"
run_in "$TP/ex/iam-per-app.conf" sh -c 'echo hi > /data/app1/out && cat /data/app1/out; echo no > /data/app2/out'
expect_eq "conf/iam-per-app.conf: app1 writes through its access point" "hi" "$out"
expect_has "conf/iam-per-app.conf: app2's access point is read-only" "/data/app2/out: Read-only file system" "$err"
expect_has "conf/iam-per-app.conf: explain shows the access point ARN" \
    "(access point arn:aws:elasticfilesystem:eu-west-1:111122223333:access-point/fsap-0aaaaaaaaaaaaaaa2)" \
    "$("$EFSAP" check --explain "$TP/ex/iam-per-app.conf" 2>&1)"
expect_eq "conf/iam-per-app.conf: check is clean" "$TP/ex/iam-per-app.conf: ok" "$("$EFSAP" check "$TP/ex/iam-per-app.conf" 2>&1)"
sed 's/transit_encryption = true;/transit_encryption = true; iam = false;/' ex/iam-per-app.conf > ex/anon.conf
sed -i 's/ iam = true;//' ex/anon.conf
sed -i 's/ transit_encryption = true; iam = false;/ iam = false; transit_encryption = true;/' ex/anon.conf
run_in "$TP/ex/anon.conf" true
expect_eq "conf/iam-per-app.conf without iam: the anonymous client may not mount" 32 "$rc"
finish
