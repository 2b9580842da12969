#!/bin/sh
# SPDX-License-Identifier: MIT
# t_import.sh: `efsap import` (issue 12): one case per AWS document type
# (tests/fixtures/aws), one per error (exit 2, nothing written, -o left
# untouched), and a round trip per seed scenario that has a hand-written
# conf/ file: import the documents, then `efsap check --explain` and the
# same script under `efsap run` must give the same answers with the
# imported and the hand-written configuration.  Only names differ (file
# system and access point ids, backing directories, which statement is
# quoted); they are mapped, not dropped.
. "$EFSAP_SRC/tests/integration/lib.sh"

F="$EFSAP_SRC/tests/fixtures/aws"
T=$(mktmp)
cd "$T" || exit 1
TP=$(pwd -P)
umask 022
unset EFSAP_CONFIG EFSAP_LOG EFSAP_LOG_FILE EFSAP_STATE_DEFAULT EFSAP_DISABLE LD_PRELOAD

# Run the tool; stdout in $out, stderr in $err, exit status in $rc.
t() {
	out=$("$EFSAP" "$@" 2>"$T/.err"); rc=$?
	err=$(cat "$T/.err")
}
# imp NAME ARGS...: import into NAME.conf; the configuration must pass check.
imp() {
	_n=$1; shift
	t import -o "$_n.conf" "$@"
	if [ "$rc" -eq 0 ] && "$EFSAP" check -q "$_n.conf" 2>"$T/.cerr"; then
		ok "import $_n: exit 0, efsap check accepts it"
	else
		notok "import $_n" "rc=$rc err=[$err] check: [$(cat "$T/.cerr" 2>/dev/null)]"
	fi
	conf=$(cat "$_n.conf" 2>/dev/null)
}
# has NAME WANT GOT: WANT (one line, taken literally) is in GOT.
has() {
	if printf '%s\n' "$3" | grep -qF -- "$2"; then ok "$1"; else notok "$1" "want [$2] in [$3]"; fi
}
# fails NAME WANT ARGS...: import fails with exit 2, WANT in stderr, no output.
fails() {
	_n=$1 _w=$2; shift 2
	t import "$@"
	expect_eq "error $_n: exit 2, nothing on stdout" "2:" "$rc:$out"
	has "error $_n: says where" "$_w" "$err"
}
cp "$F"/*.json .

# --- one case per document type -------------------------------------------
imp regtask --container azp-agent-1 agents-before-taskdef.json
has "registered task definition: the mount, with its JSON path" \
    'container_path = "/shared-storage";     # agents-before-taskdef.json: $.containerDefinitions[0].mountPoints[0].containerPath' "$conf"
has "registered task definition: the user" \
    'user = "1000:1000";                       # agents-before-taskdef.json: $.containerDefinitions[0].user' "$conf"
has "registered task definition: transit encryption" \
    'transit_encryption = true;              # agents-before-taskdef.json: $.volumes[0].efsVolumeConfiguration.transitEncryption' "$conf"
has "registered task definition: the backing directory per file system id" \
    'path = "efs-fs-0aa9e47c1d2b3e4f5";' "$conf"
t import --container azp-agent-2 agents-before-taskdef.json
has "--container picks the second container" '$.containerDefinitions[1].user' "$out"

imp describetask web-readonly-taskdef.json
has "describe-task-definition: readOnly" \
    'read_only = true;                       # web-readonly-taskdef.json: $.taskDefinition.containerDefinitions[0].mountPoints[0].readOnly' "$conf"
has "describe-task-definition: account from taskDefinitionArn" \
    'account = "111122223333";                 # web-readonly-taskdef.json: $.taskDefinition.taskDefinitionArn' "$conf"

imp aps agents-access-points.json
has "describe-access-points: PosixUser" \
    'uid = 1000;                           # agents-access-points.json: $.AccessPoints[0].PosixUser.Uid' "$conf"
has "describe-access-points: creation info" \
    'permissions = "755";                # agents-access-points.json: $.AccessPoints[0].RootDirectory.CreationInfo.Permissions' "$conf"
has "describe-access-points: region from the ARN" \
    'region = "ap-southeast-2";' "$conf"
has "describe-access-points alone: the default mount" \
    'container_path = "/mnt/efs";' "$conf"

cat > one-ap.json <<'EOF'
{ "ClientToken": "t", "Name": "single", "AccessPointId": "fsap-0123456789abcdef1",
  "AccessPointArn": "arn:aws:elasticfilesystem:us-east-1:444455556666:access-point/fsap-0123456789abcdef1",
  "FileSystemId": "fs-0123456789abcdef0", "PosixUser": { "Uid": 0, "Gid": 0, "SecondaryGids": [ 5, 6 ] },
  "RootDirectory": { "Path": "/" }, "OwnerId": "444455556666", "LifeCycleState": "creating" }
EOF
imp oneap one-ap.json
has "create-access-point output: one access point" \
    'id = "fsap-0123456789abcdef1";          # one-ap.json: $.AccessPointId' "$conf"
has "create-access-point output: secondary gids" \
    'secondary_gids = [ 5, 6 ];            # one-ap.json: $.PosixUser.SecondaryGids' "$conf"
has "create-access-point output: no creation info, said" \
    '# no CreationInfo: a missing root directory fails the mount' "$conf"

cat > one-fs.json <<'EOF'
{ "FileSystems": [ { "OwnerId": "444455556666", "FileSystemId": "fs-0123456789abcdef0",
    "FileSystemArn": "arn:aws:elasticfilesystem:us-east-1:444455556666:file-system/fs-0123456789abcdef0",
    "LifeCycleState": "available", "Name": "only", "PerformanceMode": "generalPurpose" } ] }
EOF
imp fs one-fs.json
has "describe-file-systems: the id" \
    'id = "fs-0123456789abcdef0";              # one-fs.json: $.FileSystems[0].FileSystemId' "$conf"
has "describe-file-systems: the account from the ARN" \
    'account = "444455556666";                 # one-fs.json: $.FileSystems[0].FileSystemArn' "$conf"

imp fspolicy root-squash-fs-policy.json
has "describe-file-system-policy: the policy, its source" \
    '# root-squash-fs-policy.json: $.Policy' "$conf"
has "describe-file-system-policy: the JSON, escaped" \
    '    "      \"Sid\": \"efs-statement-prevent-root\",\n"' "$conf"

imp identity web-readonly-taskdef.json web-transfer-role-policy.json
has "bare identity policy: the role policy" '# web-transfer-role-policy.json: $' "$conf"
has "bare identity policy: its statements" 'elasticfilesystem:DescribeMountTargets' "$conf"

imp rolepolicy agents-after-taskdef.json agents-access-points.json agents-role-policy.json --container azp-agent-1
has "get-role-policy: the role policy" '# agents-role-policy.json: $.PolicyDocument' "$conf"
has "get-role-policy: the task role" \
    'role_arn = "arn:aws:iam::111122223333:role/azp-agent-task"; # agents-after-taskdef.json: $.taskDefinition.taskRoleArn' "$conf"
has "get-role-policy: iam" \
    'iam = true;                             # agents-after-taskdef.json: $.taskDefinition.volumes[0].efsVolumeConfiguration.authorizationConfig.iam' "$conf"

cat > version.json <<'EOF'
{ "PolicyVersion": { "Document": "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22elasticfilesystem%3AClientMount%22%2C%22Resource%22%3A%22%2A%22%7D%5D%7D",
    "VersionId": "v2", "IsDefaultVersion": true, "CreateDate": "2025-08-21T10:00:00+00:00" } }
EOF
imp version web-readonly-taskdef.json version.json
has "get-policy-version (URL-encoded): the role policy" '# version.json: $.PolicyVersion.Document' "$conf"

imp tfstate vespa-tf-state.json
has "terraform state: the access point from aws_efs_access_point" \
    'id = "fsap-0a11ce5e0000000a1";          # vespa-tf-state.json: $.values.root_module.resources[1].values.id' "$conf"
has "terraform state: the user from container_definitions (a JSON string)" \
    'user = "1000:1000";                       # vespa-tf-state.json: $.values.root_module.resources[3].values.container_definitions: $[0].user' "$conf"

imp tfpolicy root-squash-tf-state.json
has "terraform state: the file system policy from aws_efs_file_system_policy" \
    '# root-squash-tf-state.json: $.values.root_module.resources[1].values.policy' "$conf"

imp tfplan --container azp-agent-1 agents-after-tf-plan.json
has "terraform plan: child modules" \
    '$.planned_values.root_module.child_modules[0].resources[1].values.posix_user[0].uid' "$conf"
has "terraform plan: the task role's aws_iam_role_policy" \
    '# agents-after-tf-plan.json: $.planned_values.root_module.child_modules[1].resources[0].values.policy' "$conf"
case $conf in
*ecr:GetAuthorizationToken*) notok "terraform plan: other roles' policies left out" "[$conf]" ;;
*) ok "terraform plan: other roles' policies left out" ;;
esac

imp tfplan-new vespa-tf-plan.json
has "terraform plan of new resources: an id named after its resource" \
    'id = "fsap-vespa-sn-var";               # vespa-tf-plan.json: aws_efs_access_point.vespa-sn-var, created by this plan: its id is named after it' "$conf"
has "terraform plan of new resources: a reference found in the configuration" \
    'access_point = "fsap-vespa-sn-var";     # vespa-tf-plan.json: $.configuration.root_module.resources[3].expressions.volume[0].efs_volume_configuration[0].authorization_config[0].access_point_id refers to aws_efs_access_point.vespa-sn-var' "$conf"

cat > plan-module.json <<'EOF'
{ "format_version": "1.2", "terraform_version": "1.9.5",
  "planned_values": { "root_module": { "child_modules": [ { "address": "module.app", "resources": [
    { "address": "module.app.aws_efs_file_system.data", "mode": "managed", "type": "aws_efs_file_system", "name": "data",
      "values": { "encrypted": true } },
    { "address": "module.app.aws_efs_access_point.home", "mode": "managed", "type": "aws_efs_access_point", "name": "home",
      "values": { "posix_user": [ { "uid": 2000, "gid": 2000, "secondary_gids": [ 3000, 3001 ] } ],
                  "root_directory": [ { "path": "/home", "creation_info": [ { "owner_uid": 2000, "owner_gid": 2000, "permissions": "0700" } ] } ] } },
    { "address": "module.app.aws_ecs_task_definition.app", "mode": "managed", "type": "aws_ecs_task_definition", "name": "app",
      "values": { "container_definitions": "[{\"name\":\"app\",\"user\":\"2000:2000\",\"mountPoints\":[{\"sourceVolume\":\"home\",\"containerPath\":\"/home/app\"}]}]",
                  "volume": [ { "name": "home", "efs_volume_configuration": [ { "transit_encryption": "ENABLED",
                      "authorization_config": [ { "iam": "DISABLED" } ] } ] } ] } } ] } ] } },
  "configuration": { "root_module": { "module_calls": { "app": { "source": "./app", "module": { "resources": [
    { "address": "aws_efs_access_point.home", "type": "aws_efs_access_point", "name": "home",
      "expressions": { "file_system_id": { "references": [ "aws_efs_file_system.data.id", "aws_efs_file_system.data" ] } } },
    { "address": "aws_ecs_task_definition.app", "type": "aws_ecs_task_definition", "name": "app",
      "expressions": { "volume": [ { "name": { "constant_value": "home" }, "efs_volume_configuration": [ {
        "file_system_id": { "references": [ "aws_efs_file_system.data.id", "aws_efs_file_system.data" ] },
        "authorization_config": [ { "access_point_id": { "references": [ "aws_efs_access_point.home.id", "aws_efs_access_point.home" ] } } ] } ] } ] } } ] } } } } } }
EOF
imp tfplan-module plan-module.json
has "terraform plan of a module: the file system named after its resource" 'id = "fs-app-data";' "$conf"
has "terraform plan of a module: the access point's file system, from the module's configuration" \
    'refers to module.app.aws_efs_file_system.data' "$conf"
has "terraform plan of a module: the mount through the access point" 'access_point = "fsap-app-home";' "$conf"
has "terraform plan of a module: secondary gids" 'secondary_gids = [ 3000, 3001 ];' "$conf"

imp twotasks --container apache web-readonly-taskdef.json read-only-taskdef.json
has "two task definitions: --container picks the one that has it" \
    '# The task: container "apache" of the task definition at web-readonly-taskdef.json: $.taskDefinition' "$conf"

cp web-readonly-taskdef.json "web task def.json"
imp spaces "web task def.json"
has "a file name with spaces in the comments" '# web task def.json: $.taskDefinition' "$conf"

# --- errors ---------------------------------------------------------------
fails "access point not described" \
    'agents-after-taskdef.json: $.taskDefinition.volumes[0].efsVolumeConfiguration.authorizationConfig.accessPointId: access point fsap-0bb1c2d3e4f5a6b7c is not described' \
    --container azp-agent-1 agents-after-taskdef.json
sed 's/"FileSystemId": "fs-0aa9e47c1d2b3e4f5"/"FileSystemId": "fs-0999999999999999a"/' \
    agents-access-points.json > other-fs-aps.json
fails "access point of another file system" \
    'accessPointId: access point fsap-0bb1c2d3e4f5a6b7c belongs to file system fs-0999999999999999a (other-fs-aps.json: $.AccessPoints[0].FileSystemId)' \
    --container azp-agent-1 agents-after-taskdef.json other-fs-aps.json
sed 's/"Uid": 1000/"Uid": 1001/' agents-access-points.json > other-uid-aps.json
fails "an access point defined differently twice" \
    'other-uid-aps.json: $.AccessPoints[0]: access point fsap-0bb1c2d3e4f5a6b7c is defined differently (POSIX user) in agents-access-points.json: $.AccessPoints[0]' \
    agents-access-points.json other-uid-aps.json
cat > hostvol.json <<'EOF'
{ "family": "x", "containerDefinitions": [ { "name": "app", "user": "1000",
    "mountPoints": [ { "sourceVolume": "scratch", "containerPath": "/scratch" } ] } ],
  "volumes": [ { "name": "scratch", "host": { "sourcePath": "/srv" } } ] }
EOF
fails "a mount of a volume without efsVolumeConfiguration" \
    'hostvol.json: $.containerDefinitions[0].mountPoints[0].sourceVolume: volume "scratch" (hostvol.json: $.volumes[0]) has no EFS volume configuration' hostvol.json
sed 's/"sourceVolume": "scratch"/"sourceVolume": "nothing"/' hostvol.json > novol.json
fails "a mount of a volume the task does not define" \
    'novol.json: $.containerDefinitions[0].mountPoints[0].sourceVolume: no volume named "nothing"' novol.json
cat > badid.json <<'EOF'
{ "family": "x", "containerDefinitions": [ { "name": "app", "user": "1000",
    "mountPoints": [ { "sourceVolume": "a", "containerPath": "/a" } ] } ],
  "volumes": [ { "name": "a", "efsVolumeConfiguration": { "fileSystemId": "fs-0a/../b" } } ] }
EOF
fails "a file system id efsap cannot use as a folder name" \
    'badid.json: $.volumes[0].efsVolumeConfiguration.fileSystemId: file system id "fs-0a/../b": efsap takes ids of letters' \
    badid.json
printf '{\n  "AccessPoints": [\n    { "AccessPointId": "fsap-1" ]\n}\n' > bad.json
fails "malformed JSON: file, line and column" 'bad.json:3:33: malformed JSON: ' bad.json
printf '{ "FileSystemId": "fs-0123456789abcdef0",\n  "Policy": "{\\n \\"Statement\\": [ }" }\n' > badpolicy.json
fails "malformed JSON inside the Policy string" \
    'badpolicy.json: $.Policy: malformed JSON inside the string, at its line 2, column' badpolicy.json
printf '{ "hello": "world" }\n' > unknown.json
fails "a document efsap does not know" 'unknown.json: $: not an AWS document efsap import knows' unknown.json
printf '[ 1, 2 ]\n' > array.json
fails "a document that is not an object" 'array.json: $: expected a JSON object' array.json
fails "several containers without --container" \
    'agents-before-taskdef.json: $.containerDefinitions: 2 containers (azp-agent-1, azp-agent-2): choose one with --container NAME' \
    agents-before-taskdef.json
fails "--container naming no container" \
    'no container named "agent"; the containers are: azp-agent-1, azp-agent-2' \
    --container agent agents-before-taskdef.json
sed 's/1000:1000/vespa/' vespa-tf-state.json > named.json
fails "a user name instead of numbers" \
    'named.json: $.values.root_module.resources[3].values.container_definitions: $[0].user: user "vespa" is not numeric' named.json
fails "two task definitions and no --container" \
    'import: 2 task definitions: web-readonly-taskdef.json: $.taskDefinition (containers: apache); read-only-taskdef.json: $ (containers: app); choose a container with --container NAME' \
    web-readonly-taskdef.json read-only-taskdef.json
fails "two task definitions, neither with the container" \
    'import: no task definition has a container named "nginx"' \
    --container nginx web-readonly-taskdef.json read-only-taskdef.json
fails "two task definitions with the container" \
    'import: 2 task definitions have a container named "app"' \
    --container app root-squash-taskdef.json read-only-taskdef.json
fails "two identity policies that name no role" 'a second identity policy that names no role' \
    web-readonly-taskdef.json web-transfer-role-policy.json per-app-role-policy.json
sed 's/"Id": /"Ignored": 1, "Id": /' root-squash-fs-policy.json > sq2.json
sed 's/ClientWrite/ClientRootAccess/' root-squash-fs-policy.json > sq3.json
fails "two different policies of one file system" 'sq3.json: $.Policy: a file system policy that differs from the one in root-squash-fs-policy.json: $.Policy' \
    root-squash-taskdef.json root-squash-fs-policy.json sq3.json
cat > twofs.json <<'EOF'
{ "family": "x", "containerDefinitions": [ { "name": "app", "user": "1000",
    "mountPoints": [ { "sourceVolume": "a", "containerPath": "/a" }, { "sourceVolume": "b", "containerPath": "/b" } ] } ],
  "volumes": [ { "name": "a", "efsVolumeConfiguration": { "fileSystemId": "fs-0aaaaaaaaaaaaaaaa" } },
               { "name": "b", "efsVolumeConfiguration": { "fileSystemId": "fs-0bbbbbbbbbbbbbbbb" } } ] }
EOF
sed 's/ap-southeast-2/us-east-2/g' agents-file-systems.json > east-fs.json
fails "a region that contradicts another" \
    'agents-access-points.json: $.AccessPoints[0].AccessPointArn: region ap-southeast-2 contradicts region us-east-2 (east-fs.json: $.FileSystems[0].FileSystemArn)' \
    --container azp-agent-1 agents-after-taskdef.json agents-access-points.json east-fs.json
sed 's/"RoleName": "azp-agent-task"/"RoleName": "someone-else"/' agents-role-policy.json > other-role.json
fails "a role policy of another role" \
    'other-role.json: $.PolicyDocument: a policy of role someone-else, but the task role is arn:aws:iam::111122223333:role/azp-agent-task' \
    --container azp-agent-1 agents-after-taskdef.json agents-access-points.json other-role.json
t import web-readonly-taskdef.json root-squash-fs-policy.json
expect_eq "the policy of another file system: exit 0" 0 "$rc"
has "the policy of another file system: a warning, and it is left out" \
    'root-squash-fs-policy.json: $.Policy: warning: the policy of file system fs-0f00d0f00d0f00d02, not of fs-0feb0feb0feb0feb3' "$err"
case $out in
*efs-statement-prevent-root*) notok "the policy of another file system: not written" "[$out]" ;;
*) ok "the policy of another file system: not written" ;;
esac
fails "mounts of two file systems" \
    'twofs.json: $.volumes[1].efsVolumeConfiguration.fileSystemId: file system fs-0bbbbbbbbbbbbbbbb, but twofs.json: $.volumes[0].efsVolumeConfiguration.fileSystemId mounts fs-0aaaaaaaaaaaaaaaa: efsap emulates one file system per configuration' \
    twofs.json
fails "several file systems and no task definition" \
    '2 file systems and no task definition to choose one: fs-0aa9e47c1d2b3e4f5 (agents-file-systems.json: $.FileSystems[0].FileSystemId), fs-0999999999999999a' \
    agents-file-systems.json
cat > plan-unknown.json <<'EOF'
{ "format_version": "1.2", "terraform_version": "1.9.5",
  "planned_values": { "root_module": { "resources": [
    { "address": "aws_efs_access_point.var", "mode": "managed", "type": "aws_efs_access_point", "name": "var",
      "values": { "posix_user": [], "root_directory": [ { "path": "/var", "creation_info": [] } ], "tags": null } } ] } } }
EOF
fails "terraform plan: a value known only after apply, and no configuration" \
    'plan-unknown.json: $.planned_values.root_module.resources[0].values.file_system_id: aws_efs_access_point.var has no file_system_id: a plan does not know it before terraform apply' \
    plan-unknown.json
printf 'file_system = { path = "x"; };\n' > keep.conf
t import -o keep.conf --container azp-agent-1 agents-after-taskdef.json
expect_eq "error with -o: exit 2" 2 "$rc"
expect_eq "error with -o: the file is untouched" 'file_system = { path = "x"; };' "$(cat keep.conf)"
expect_eq "error with -o: no temporary file left" "" "$(ls -A | grep '^\.efsap-import' || true)"
sed 's|/opt/vespa/logs|/opt/vespa/var/logs|' vespa-tf-state.json > nested.json
t import -o keep.conf nested.json
expect_eq "a configuration efsap refuses: exit 2" 2 "$rc"
has "a configuration efsap refuses: the loader's message and the line, with its source" \
    'container_path = "/opt/vespa/var/logs";' "$err"
expect_eq "a configuration efsap refuses: -o untouched" 'file_system = { path = "x"; };' "$(cat keep.conf)"
t import -o no-such-dir/efsap.conf --container azp-agent-1 agents-after-taskdef.json \
    agents-access-points.json agents-file-systems.json agents-role-policy.json
expect_eq "-o into a missing directory: exit 2" 2 "$rc"
has "-o into a missing directory: names the directory" "cannot write a file in no-such-dir" "$err"
mkfifo fifo.json
out=$(timeout 10 "$EFSAP" import fifo.json 2>"$T/.err"); rc=$?; err=$(cat "$T/.err")
expect_eq "a FIFO: exit 2, no hang" 2 "$rc"
has "a FIFO: says why" "fifo.json: not a regular file" "$err"
t import missing.json
expect_eq "a missing file: exit 2" 2 "$rc"
has "a missing file: says why" "missing.json: No such file or directory" "$err"
t import
expect_eq "no file: usage, exit 2" 2 "$rc"
has "no file: usage" "usage: efsap" "$err"
t import --bogus x.json
expect_eq "unknown option: exit 2" 2 "$rc"

# --- round trips: the seed scenarios ---------------------------------------
# The script every round trip runs under `efsap run`, on each mount: what
# the mount root looks like, and what mkdir, touch, chown, chmod and ls -n
# under it do.  Exit statuses and messages (which name container paths
# only) are compared.
cat > probe.sh <<'EOF'
for m; do
	echo "== $m"
	ls -nd "$m" | awk '{print $1, $3, $4}'
	mkdir "$m/d" 2>&1; echo "mkdir $?"
	touch "$m/f" 2>&1; echo "touch $?"
	chown 0:0 "$m/f" 2>&1; echo "chown $?"
	chmod 600 "$m/f" 2>&1; echo "chmod $?"
	mkdir -p "$m/d/e" 2>&1; echo "mkdir -p $?"
	ls -nA "$m" | awk 'NR > 1 {print $1, $3, $4, $NF}'
done
EOF
# explain DIR: the --explain report of DIR/efsap.conf, names mapped: the
# backing directory, the task role's ARN and the file system's and access
# points' ARNs (hand-written files may lack account and region),
# where a policy is (a line of the file, a policy_file), and, unless
# $keepsid is set (both sides name their statements by Sid), which
# statement decided.
explain() {
	(cd "$1" && "$EFSAP" check --explain efsap.conf) 2>&1 | sed \
	    -e "s|$1/efs-data/[a-z-]*|BACKING|" -e "s|$1/efs-fs-[^/]*|BACKING|" \
	    -e 's/principal: the task role arn:[^ ]* (/principal: the task role (/' \
	    -e '/^  arn: arn:aws:elasticfilesystem:/d' \
	    -e 's/ (Statement\[\([0-9]*\)\], line [0-9]*)/ (Statement[\1])/' \
	    -e 's/ of \(file_system\.policy\|task\.role_policy\)[^(]*(\(Allow\|Deny\))/ of \1 (\2)/' \
	    -e "${keepsid:+#}"'s/by statement "[^"]*" (Statement\[[0-9]*\]) of \([a-z_.]*\) (\(Allow\|Deny\))/by \1 (\2)/' \
	    -e 's/by \([a-z_.]*\) statement at line [0-9]* (\(Allow\|Deny\)[^)]*)/by \1 (\2)/' \
	    $ids
}
keepsid=
# roundtrip NAME CONF IDMAP ARGS...: IDMAP is sed expressions mapping the
# imported ids onto the hand-written ones.
roundtrip() {
	_n=$1 _c=$2 ids=$3
	shift 3
	mkdir -p "$T/rt-$_n/hand" "$T/rt-$_n/imp"
	cp "$EFSAP_SRC/conf/$_c" "$T/rt-$_n/hand/efsap.conf"
	cp -R "$EFSAP_SRC/conf/policies" "$T/rt-$_n/hand/" 2>/dev/null	# policy_file
	t import -o "$T/rt-$_n/imp/efsap.conf" "$@"
	expect_eq "round trip $_n: import exit 0" "0:" "$rc:$(printf '%s' "$err" | grep -v warning)"
	explain "$T/rt-$_n/hand" > "$T/rt-$_n/hand.explain"
	explain "$T/rt-$_n/imp" > "$T/rt-$_n/imp.explain"
	if cmp -s "$T/rt-$_n/hand.explain" "$T/rt-$_n/imp.explain"; then
		ok "round trip $_n: efsap check --explain agrees with conf/$_c"
	else
		notok "round trip $_n: --explain" "$(diff "$T/rt-$_n/hand.explain" "$T/rt-$_n/imp.explain")"
	fi
	_m=$(sed -n 's/^mount //p' "$T/rt-$_n/hand.explain")
	for _w in hand imp; do
		(cd "$T/rt-$_n/$_w" && "$EFSAP" run -c efsap.conf -- sh "$T/probe.sh" $_m \
		    > "$T/rt-$_n/$_w.run" 2>&1; echo "exit $?" >> "$T/rt-$_n/$_w.run")
	done
	if cmp -s "$T/rt-$_n/hand.run" "$T/rt-$_n/imp.run"; then
		ok "round trip $_n: efsap run gives the same results ($(grep -c ' 0$' "$T/rt-$_n/hand.run") calls succeed, $(grep -c ' [1-9][0-9]*$' "$T/rt-$_n/hand.run") fail)"
	else
		notok "round trip $_n: efsap run" "$(diff "$T/rt-$_n/hand.run" "$T/rt-$_n/imp.run")"
	fi
}
roundtrip vespa vespa.conf "-e s/fs-0e1a5c5d8b7f6a901/fs-vespa-sn/ -e s/fsap-0a11ce5e0000000a1/fsap-vespa-sn-var/ -e s/fsap-0a11ce5e0000000a2/fsap-vespa-sn-logs/" \
    vespa-tf-state.json
roundtrip vespa-plan vespa.conf "" vespa-tf-plan.json
roundtrip agents-before agents-before.conf "-e s/fs-0aa9e47c1d2b3e4f5/fs-azp-agents/" \
    --container azp-agent-1 agents-before-taskdef.json
roundtrip agents-after agents-after.conf "-e s/fs-0aa9e47c1d2b3e4f5/fs-azp-agents/ -e s/fsap-0bb1c2d3e4f5a6b7c/fsap-azp-agent/" \
    --container azp-agent-1 agents-after-taskdef.json agents-access-points.json agents-role-policy.json agents-file-systems.json
roundtrip agents-after-tf agents-after.conf "-e s/fs-0aa9e47c1d2b3e4f5/fs-azp-agents/ -e s/fsap-0bb1c2d3e4f5a6b7c/fsap-azp-agent/" \
    --container azp-agent-2 agents-after-tf-plan.json
roundtrip dataset-ro dataset-ro.conf "-e s/fs-0d47a5e75d47a5e70/fs-datasets/ -e s/fsap-0e0f1a2b3c4d5e6f7/fsap-nopii/" \
    dataset-ro-taskdef.json dataset-ro-access-points.json dataset-ro-fs-policy.json
roundtrip per-app per-app.conf "-e s/fs-0c0ffee0c0ffee012/fs-shared-apps/ -e s/fsap-0a1a1a1a1a1a1a1a1/fsap-app1/ -e s/fsap-0a2a2a2a2a2a2a2a2/fsap-app2/" \
    per-app-taskdef.json per-app-access-points.json per-app-fs-policy.json per-app-role-policy.json
keepsid=1
roundtrip iam-per-app iam-per-app.conf "" \
    iam-per-app-taskdef.json iam-per-app-access-points.json \
    "$EFSAP_SRC/conf/policies/per-app.json" "$EFSAP_SRC/conf/policies/app1-task-role.json"
roundtrip iam-read-only iam-read-only.conf "-e s/fs-0bead0bead0bead01/fs-read-only/" \
    read-only-taskdef.json "$EFSAP_SRC/conf/policies/enforce-read-only.json"
keepsid=
roundtrip read-only read-only.conf "-e s/fs-0bead0bead0bead01/fs-read-only/" \
    read-only-taskdef.json read-only-fs-policy.json
roundtrip root-squash root-squash.conf "-e s/fs-0f00d0f00d0f00d02/fs-root-squash/" \
    root-squash-taskdef.json root-squash-fs-policy.json
roundtrip root-squash-tf root-squash.conf "-e s/fs-0f00d0f00d0f00d02/fs-root-squash/" \
    root-squash-tf-state.json
roundtrip web-readonly web-readonly.conf "-e s/fs-0feb0feb0feb0feb3/fs-web-content/" \
    web-readonly-taskdef.json
finish
