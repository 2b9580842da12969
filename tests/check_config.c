/* SPDX-License-Identifier: MIT */
/*
 * check_config.c: the configuration loader (SPEC 2).  Tables of snippets,
 * each written to a temporary file and loaded: valid ones with the values
 * they must give, invalid ones with the line and text of an expected error,
 * files that must give warnings; then the robustness cases (bytes that are
 * not text, sizes, nesting, directories), every conf/NAME.conf (valid, no
 * warning) and every tests/fixtures/invalid/NAME.conf (its "# expect:"
 * line).
 */
#include <sys/stat.h>

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"

/* The invoking user the loader is given: fixed, so results do not depend on who runs the tests. */
static const struct efs_ident invoker = {
	.uid = 1234, .gid = 1235, .ngroups = 2, .groups = { 1235, 44 }
};

/* Loading state, on the heap: struct efs_config and efs_diags are large. */
struct load {
	struct efs_config *cfg;
	struct efs_diags *d;
	char path[600];
	char dir[512];
	int rc;
};

static const char *
tmpdir(void)
{
	const char *t = getenv("TMPDIR");

	return t != NULL && t[0] == '/' ? t : "/tmp";
}

static struct load *
load_new(void)
{
	struct load *l;

	l = calloc(1, sizeof(*l));
	ck_assert_ptr_nonnull(l);
	l->cfg = calloc(1, sizeof(*l->cfg));
	l->d = calloc(1, sizeof(*l->d));
	ck_assert_ptr_nonnull(l->cfg);
	ck_assert_ptr_nonnull(l->d);
	return l;
}

static void
load_free(struct load *l)
{
	free(l->cfg);
	free(l->d);
	free(l);
}

/* Write len bytes to a new temporary file; its path and directory go into l. */
static void
write_tmp(struct load *l, const char *bytes, size_t len)
{
	size_t off;
	ssize_t n;
	int fd;

	snprintf(l->dir, sizeof(l->dir), "%s", tmpdir());
	snprintf(l->path, sizeof(l->path), "%s/efsap-check-XXXXXX", l->dir);
	fd = mkstemp(l->path);
	ck_assert_msg(fd >= 0, "mkstemp in %s: %s", l->dir, strerror(errno));
	for (off = 0; off < len; off += n) {
		n = write(fd, bytes + off, len - off);
		ck_assert_msg(n > 0, "write: %s", strerror(errno));
	}
	close(fd);
}

/* Load a snippet of bytes through a temporary file. */
static struct load *
load_bytes(const char *bytes, size_t len)
{
	struct load *l = load_new();

	write_tmp(l, bytes, len);
	l->rc = efs_config_load(l->path, &invoker, l->cfg, l->d);
	unlink(l->path);
	return l;
}

static struct load *
load_text(const char *text)
{
	return load_bytes(text, strlen(text));
}

/* Every diagnostic, one per line, for failure messages. */
static const char *
diags_text(const struct efs_diags *d)
{
	static char buf[4096];
	size_t o = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < d->n && o < sizeof(buf) - 1; i++)
		o += snprintf(buf + o, sizeof(buf) - o, "\n  %d: %s: %s",
		    d->d[i].line, d->d[i].warning ? "warning" : "error",
		    d->d[i].msg);
	return buf;
}

/* Is there a diagnostic of that kind at line with text in its message? */
static int
has_diag(const struct efs_diags *d, int warning, int line, const char *text)
{
	int i;

	for (i = 0; i < d->n; i++)
		if (d->d[i].warning == warning && d->d[i].line == line &&
		    strstr(d->d[i].msg, text) != NULL)
			return 1;
	return 0;
}

static void
ids_text(char *out, size_t len, const uint32_t *ids, unsigned n)
{
	size_t o = 0;
	unsigned i;

	out[0] = '\0';
	for (i = 0; i < n && o < len; i++)
		o += snprintf(out + o, len - o, "%s%u", i ? "," : "", ids[i]);
}

/*
 * The value of a named field of cfg as text, for the tables: "task.uid",
 * "mount.0.container_path", "ap.1.permissions" (octal), "policy.0.actions"...
 */
static void
field(const struct efs_config *c, const char *key, char *out, size_t len)
{
	char sect[16], name[32];
	int i = 0;

#define S(v)	snprintf(out, len, "%s", (v))
#define U(v)	snprintf(out, len, "%lld", (long long)(v))
	out[0] = '\0';
	if (sscanf(key, "%15[a-z].%d.%31s", sect, &i, name) == 3) {
		const struct efs_stmt *st = NULL;

		if (strcmp(sect, "policy") == 0)
			st = &c->policy[i];
		else if (strcmp(sect, "role") == 0)
			st = &c->role[i];
		if (st != NULL) {
			if (!strcmp(name, "deny")) U(st->deny);
			else if (!strcmp(name, "principal")) U(st->principal);
			else if (!strcmp(name, "actions")) U(st->actions);
			else if (!strcmp(name, "access_point")) S(st->access_point);
			else if (!strcmp(name, "secure_transport")) U(st->secure_transport);
			else if (!strcmp(name, "line")) U(st->line);
		} else if (strcmp(sect, "ap") == 0) {
			const struct efs_ap *a = &c->aps[i];

			if (!strcmp(name, "id")) S(a->id);
			else if (!strcmp(name, "root")) S(a->root);
			else if (!strcmp(name, "has_creation")) U(a->has_creation);
			else if (!strcmp(name, "owner_uid")) U(a->owner_uid);
			else if (!strcmp(name, "owner_gid")) U(a->owner_gid);
			else if (!strcmp(name, "permissions"))
				snprintf(out, len, "%o", a->permissions);
			else if (!strcmp(name, "has_posix_user")) U(a->has_posix_user);
			else if (!strcmp(name, "uid")) U(a->posix_user.uid);
			else if (!strcmp(name, "gid")) U(a->posix_user.gid);
			else if (!strcmp(name, "groups"))
				ids_text(out, len, a->posix_user.groups,
				    a->posix_user.ngroups);
			else if (!strcmp(name, "line")) U(a->line);
		} else if (strcmp(sect, "mount") == 0) {
			const struct efs_mount *m = &c->mounts[i];

			if (!strcmp(name, "container_path")) S(m->container_path);
			else if (!strcmp(name, "ap")) U(m->ap);
			else if (!strcmp(name, "root_directory")) S(m->root_directory);
			else if (!strcmp(name, "read_only")) U(m->read_only);
			else if (!strcmp(name, "iam")) U(m->iam);
			else if (!strcmp(name, "transit_encryption")) U(m->transit_encryption);
			else if (!strcmp(name, "line")) U(m->line);
		}
		return;
	}
	if (!strcmp(key, "fs_id")) S(c->fs_id);
	else if (!strcmp(key, "backing")) S(c->backing);
	else if (!strcmp(key, "anon_uid")) U(c->anon_uid);
	else if (!strcmp(key, "anon_gid")) U(c->anon_gid);
	else if (!strcmp(key, "has_policy")) U(c->has_policy);
	else if (!strcmp(key, "npolicy")) U(c->npolicy);
	else if (!strcmp(key, "has_role_policy")) U(c->has_role_policy);
	else if (!strcmp(key, "nrole")) U(c->nrole);
	else if (!strcmp(key, "naps")) U(c->naps);
	else if (!strcmp(key, "nmounts")) U(c->nmounts);
	else if (!strcmp(key, "has_task_user")) U(c->has_task_user);
	else if (!strcmp(key, "ec2")) U(c->ec2);
	else if (!strcmp(key, "task.uid")) U(c->task.uid);
	else if (!strcmp(key, "task.gid")) U(c->task.gid);
	else if (!strcmp(key, "task.groups"))
		ids_text(out, len, c->task.groups, c->task.ngroups);
	else
		snprintf(out, len, "<unknown field %s>", key);
#undef S
#undef U
}

/* A minimal valid configuration around some text, for the tables. */
#define FS	"file_system = { path = \"data\"; };\n"
#define MNT	"mounts = ( { container_path = \"/m\"; } );\n"

/* ---- valid snippets and the values they give ---- */

struct want {
	const char *key;
	const char *value;		/* "$DIR" starts a path in the file's directory */
};

struct vcase {
	const char *name;
	const char *text;
	struct want want[8];
};

static const struct vcase valid[] = {
	{ "defaults", FS MNT, {
	    { "fs_id", "fs-local" }, { "anon_uid", "65534" },
	    { "anon_gid", "65534" }, { "has_policy", "0" },
	    { "task.uid", "1234" }, { "task.gid", "1235" },
	    { "task.groups", "1235,44" }, { "backing", "$DIR/data" } } },
	{ "defaults of the task", FS MNT, {
	    { "has_task_user", "0" }, { "ec2", "0" } } },
	{ "launch type EC2",
	    FS "task = { launch_type = \"EC2\"; };\n" MNT, {
	    { "ec2", "1" }, { "has_task_user", "0" } } },
	{ "launch type FARGATE",
	    FS "task = { launch_type = \"FARGATE\"; };\n" MNT, {
	    { "ec2", "0" } } },
	{ "defaults of a mount", FS MNT, {
	    { "nmounts", "1" }, { "mount.0.container_path", "/m" },
	    { "mount.0.ap", "-1" }, { "mount.0.root_directory", "/" },
	    { "mount.0.read_only", "0" }, { "mount.0.iam", "0" },
	    { "mount.0.transit_encryption", "0" }, { "naps", "0" } } },
	{ "relative backing normalised",
	    "file_system = { path = \"./a//b/../c/\"; };\n" MNT, {
	    { "backing", "$DIR/a/c" } } },
	{ "absolute backing normalised",
	    "file_system = { path = \"/srv//efs/./x/..\"; };\n" MNT, {
	    { "backing", "/srv/efs" } } },
	{ "backing above the directory",
	    "file_system = { path = \"../../../../../../../../../..\"; };\n"
	    MNT, { { "backing", "/" } } },
	{ "file system id and anon ids",
	    "file_system = { id = \"fs-0123456789abcdef0\"; path = \"d\";\n"
	    "  anon_uid = 4294967294; anon_gid = 0; };\n" MNT, {
	    { "fs_id", "fs-0123456789abcdef0" },
	    { "anon_uid", "4294967294" }, { "anon_gid", "0" } } },
	{ "ids with L suffix and hex",
	    "file_system = { path = \"d\"; anon_uid = 4294967295L;\n"
	    "  anon_gid = 0xFFFFFFFF; };\n" MNT, {
	    { "anon_uid", "4294967295" }, { "anon_gid", "4294967295" } } },
	{ "ids just over the 32-bit int",
	    "file_system = { path = \"d\"; anon_uid = 2147483648;\n"
	    "  anon_gid = 0x80000000; };\n" MNT, {
	    { "anon_uid", "2147483648" }, { "anon_gid", "2147483648" } } },
	{ "policy statements",
	    "file_system = { path = \"d\"; policy = (\n"
	    "  { effect = \"Allow\"; actions = [ \"ClientMount\", \"ClientWrite\" ]; },\n"
	    "  { effect = \"Deny\"; principal = \"*\"; actions = \"ClientRootAccess\";\n"
	    "    secure_transport = false; }\n"
	    "); };\n" MNT, {
	    { "has_policy", "1" }, { "npolicy", "2" },
	    { "policy.0.deny", "0" }, { "policy.0.actions", "3" },
	    { "policy.0.principal", "0" }, { "policy.0.line", "2" },
	    { "policy.1.deny", "1" }, { "policy.1.secure_transport", "0" } } },
	{ "action spellings",
	    "file_system = { path = \"d\"; policy = (\n"
	    "  { effect = \"Allow\"; actions = [ \"elasticfilesystem:ClientMount\" ]; },\n"
	    "  { effect = \"Allow\"; actions = [ \"Client*\" ]; },\n"
	    "  { effect = \"Allow\"; actions = [ \"elasticfilesystem:Client*\" ]; },\n"
	    "  { effect = \"Allow\"; actions = ( \"clientrootaccess\" ); }\n"
	    "); };\n" MNT, {
	    { "policy.0.actions", "1" }, { "policy.1.actions", "7" },
	    { "policy.2.actions", "7" }, { "policy.3.actions", "4" } } },
	{ "access point condition by id and by ARN",
	    "file_system = { path = \"d\"; policy = (\n"
	    "  { effect = \"Allow\"; actions = \"ClientMount\"; access_point = \"fsap-1\"; },\n"
	    "  { effect = \"Allow\"; actions = \"ClientMount\"; access_point =\n"
	    "    \"arn:aws:elasticfilesystem:eu-west-1:123456789012:access-point/fsap-1\"; }\n"
	    "); };\n"
	    "access_points = ( { id = \"fsap-1\"; } );\n" MNT, {
	    { "policy.0.access_point", "fsap-1" },
	    { "policy.1.access_point", "fsap-1" },
	    { "policy.0.secure_transport", "-1" } } },
	{ "task principal with an iam mount",
	    "file_system = { path = \"d\"; policy = (\n"
	    "  { effect = \"Allow\"; principal = \"task\"; actions = \"Client*\"; }\n"
	    "); };\n"
	    "mounts = ( { container_path = \"/m\"; iam = true;\n"
	    "  transit_encryption = true; } );\n", {
	    { "policy.0.principal", "1" }, { "mount.0.iam", "1" },
	    { "mount.0.transit_encryption", "1" } } },
	{ "access point in full",
	    FS "access_points = ( {\n"
	    "  id = \"fsap-agent\";\n"
	    "  root_directory = { path = \"/agent-storage\";\n"
	    "    creation_info = { owner_uid = 1000; owner_gid = 1001; permissions = \"0755\"; }; };\n"
	    "  posix_user = { uid = 1002; gid = 1003; secondary_gids = [ 2000, 4294967295 ]; };\n"
	    "} );\n"
	    "mounts = ( { container_path = \"/shared-storage\"; access_point = \"fsap-agent\";\n"
	    "  transit_encryption = true; } );\n", {
	    { "ap.0.id", "fsap-agent" }, { "ap.0.root", "/agent-storage" },
	    { "ap.0.has_creation", "1" }, { "ap.0.owner_gid", "1001" },
	    { "ap.0.permissions", "755" }, { "ap.0.uid", "1002" },
	    { "ap.0.groups", "2000,4294967295" }, { "mount.0.ap", "0" } } },
	{ "access point defaults",
	    FS "access_points = ( { id = \"a\"; }, { id = \"b\";\n"
	    "  root_directory = { creation_info = { owner_uid = 0; owner_gid = 0;\n"
	    "  permissions = \"2775\"; }; }; } );\n" MNT, {
	    { "naps", "2" }, { "ap.0.root", "/" }, { "ap.0.has_creation", "0" },
	    { "ap.0.has_posix_user", "0" }, { "ap.1.root", "/" },
	    { "ap.1.permissions", "2775" }, { "ap.1.line", "2" } } },
	{ "access point paths at the limits",
	    FS "access_points = (\n"
	    "  { id = \"a\"; root_directory = { path = \"/a/b/c/d\"; }; },\n"
	    "  { id = \"b\"; root_directory = { path = \"/with space/x-y_z.v@w\"; }; },\n"
	    "  { id = \"c\"; root_directory = { path =\n"
	    "  \"/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"; }; },\n"
	    "  { id = \"d\"; root_directory = { path = \"/é\"; }; }\n"
	    ");\n" MNT, {
	    { "ap.0.root", "/a/b/c/d" }, { "ap.1.root", "/with space/x-y_z.v@w" },
	    { "ap.3.root", "/é" } } },
	{ "mount details",
	    FS "access_points = ( { id = \"a\"; } );\n"
	    "mounts = (\n"
	    "  { container_path = \"/x\"; root_directory = \"/sub/dir\"; read_only = true; },\n"
	    "  { container_path = \"/xy\"; access_point = \"a\"; root_directory = \"/\";\n"
	    "    transit_encryption = true; },\n"
	    "  { container_path = \"/y/x\"; iam = true; transit_encryption = true; }\n"
	    ");\n", {
	    { "nmounts", "3" }, { "mount.0.root_directory", "/sub/dir" },
	    { "mount.0.read_only", "1" }, { "mount.1.ap", "0" },
	    { "mount.1.root_directory", "/" }, { "mount.2.iam", "1" },
	    { "mount.2.line", "7" } } },
	{ "task user uid:gid",
	    FS "task = { user = \"1000:1000\"; };\n" MNT, {
	    { "task.uid", "1000" }, { "task.gid", "1000" },
	    { "task.groups", "1000" }, { "has_task_user", "1" } } },
	{ "task user and groups",
	    FS "task = { user = \"33:34\"; groups = [ 34, 4294967295 ]; };\n" MNT, {
	    { "task.uid", "33" }, { "task.gid", "34" },
	    { "task.groups", "34,4294967295" } } },
	{ "task groups without user",
	    FS "task = { groups = ( 7 ); };\n" MNT, {
	    { "task.uid", "1234" }, { "task.gid", "1235" },
	    { "task.groups", "7" } } },
	{ "task empty groups",
	    FS "task = { user = \"5:6\"; groups = [ ]; };\n" MNT, {
	    { "task.groups", "" } } },
	{ "task user by name",
	    FS "task = { user = \"root\"; };\n" MNT, {
	    { "task.uid", "0" }, { "task.gid", "0" }, { "task.groups", "0" } } },
	{ "task user and group names",
	    FS "task = { user = \"root:root\"; };\n" MNT, {
	    { "task.uid", "0" }, { "task.gid", "0" } } },
	{ "task uid and group name",
	    FS "task = { user = \"1000:root\"; };\n" MNT, {
	    { "task.uid", "1000" }, { "task.gid", "0" } } },
	{ "role policy",
	    FS "task = { role_policy = (\n"
	    "  { effect = \"Allow\"; actions = [ \"ClientMount\", \"ClientWrite\" ]; },\n"
	    "  { effect = \"Deny\"; actions = \"ClientRootAccess\"; access_point = \"a\"; }\n"
	    "); };\n"
	    "access_points = ( { id = \"a\"; } );\n"
	    "mounts = ( { container_path = \"/m\"; iam = true; transit_encryption = true; } );\n", {
	    { "has_role_policy", "1" }, { "nrole", "2" },
	    { "role.0.principal", "1" }, { "role.0.actions", "3" },
	    { "role.1.deny", "1" }, { "role.1.access_point", "a" } } },
	{ "comments, C++ comments, block comments",
	    "# a comment\n// another\n/* a block\n comment */\n" FS
	    "/* x */ mounts = ( { container_path = \"/m\"; } ); // end\n", {
	    { "nmounts", "1" } } },
	{ "numbers inside strings and names untouched",
	    "file_system = { id = \"fs-4294967296\"; path = \"9999999999\"; };\n" MNT, {
	    { "fs_id", "fs-4294967296" }, { "backing", "$DIR/9999999999" } } },
	{ "byte order mark and CRLF",
	    "\xef\xbb\xbf" "file_system = { path = \"d\"; };\r\n"
	    "mounts = ( { container_path = \"/m\"; } );\r\n", {
	    { "nmounts", "1" } } },
};

START_TEST(test_valid)
{
	const struct vcase *c = &valid[_i];
	struct load *l = load_text(c->text);
	char got[EFS_PATH_MAX], want[EFS_PATH_MAX];
	int j;

	ck_assert_msg(l->rc == 0 && l->d->nerrors == 0 && l->d->nwarnings == 0,
	    "%s: rc %d, %d errors, %d warnings:%s", c->name, l->rc,
	    l->d->nerrors, l->d->nwarnings, diags_text(l->d));
	for (j = 0; j < 8 && c->want[j].key != NULL; j++) {
		field(l->cfg, c->want[j].key, got, sizeof(got));
		if (strncmp(c->want[j].value, "$DIR", 4) == 0)
			snprintf(want, sizeof(want), "%s%s", l->dir,
			    c->want[j].value + 4);
		else
			snprintf(want, sizeof(want), "%s", c->want[j].value);
		ck_assert_msg(strcmp(got, want) == 0, "%s: %s is \"%s\", not "
		    "\"%s\"", c->name, c->want[j].key, got, want);
	}
	load_free(l);
}
END_TEST

/* ---- invalid snippets: the line and text of one expected error ---- */

struct icase {
	const char *name;
	const char *text;
	int line;
	const char *msg;
};

static const struct icase invalid[] = {
	{ "syntax error", "file_system = {\n path = = \"d\";\n};\n", 2,
	    "syntax error" },
	{ "unterminated string", "file_system = { path = \"d; };\n" MNT, 2,
	    "" },
	{ "duplicate setting", "file_system = { path = \"d\"; path = \"e\"; };\n"
	    MNT, 1, "duplicate setting" },
	{ "mixed array", FS "task = { groups = [ 1, \"a\" ]; };\n" MNT, 2,
	    "mismatched" },
	{ "unknown launch type", FS "task = {\n launch_type = \"ECS\"; };\n" MNT, 3,
	    "task.launch_type: \"ECS\" is neither \"FARGATE\" nor \"EC2\"" },
	{ "unknown top-level key", FS MNT "mount = 1;\n", 3,
	    "mount: unknown key (did you mean \"mounts\"?)" },
	{ "unknown file_system key",
	    "file_system = { path = \"d\";\n pth = \"x\"; };\n" MNT, 2,
	    "file_system.pth: unknown key" },
	{ "unknown statement key",
	    "file_system = { path = \"d\"; policy = (\n"
	    " { effect = \"Allow\"; actions = \"ClientMount\"; resource = \"*\"; }\n"
	    "); };\n" MNT, 2, "file_system.policy.[0].resource: unknown key" },
	{ "unknown access point key", FS
	    "access_points = ( { id = \"a\";\n rootdir = \"/\"; } );\n" MNT, 3,
	    "access_points.[0].rootdir: unknown key" },
	{ "unknown root_directory key", FS
	    "access_points = ( { id = \"a\"; root_directory = {\n"
	    " path = \"/a\"; mode = 1; }; } );\n" MNT, 3,
	    "access_points.[0].root_directory.mode: unknown key" },
	{ "unknown creation_info key", FS
	    "access_points = ( { id = \"a\"; root_directory = {\n"
	    " creation_info = { owner_uid = 1; owner_gid = 1; permissions = \"755\";\n"
	    " owner = 1; }; }; } );\n" MNT, 4, "creation_info.owner: unknown key" },
	{ "unknown posix_user key", FS
	    "access_points = ( { id = \"a\"; posix_user = { uid = 1; gid = 1;\n"
	    " groups = [ 1 ]; }; } );\n" MNT, 3,
	    "posix_user.groups: unknown key" },
	{ "unknown task key", FS "task = {\n uid = 1; };\n" MNT, 3,
	    "task.uid: unknown key" },
	{ "unknown role statement key", FS
	    "task = { role_policy = ( { effect = \"Allow\"; actions = \"Client*\";\n"
	    " sid = \"x\"; } ); };\n" MNT, 3, "role_policy.[0].sid: unknown key" },
	{ "unknown mount key", FS
	    "mounts = ( { container_path = \"/m\";\n readonly = true; } );\n", 3,
	    "mounts.[0].readonly: unknown key (did you mean \"read_only\"?)" },
	{ "missing file_system", MNT, 0, "file_system is required" },
	{ "missing path", "file_system = {\n id = \"fs-1\"; };\n" MNT, 1,
	    "missing required key \"path\"" },
	{ "empty path", "file_system = { path = \"\"; };\n" MNT, 1,
	    "file_system.path: must not be empty" },
	{ "path not a string", "file_system = { path = 1; };\n" MNT, 1,
	    "file_system.path: must be a string, not an integer" },
	{ "file_system not a group", "file_system = ( );\n" MNT, 1,
	    "file_system: must be a group" },
	{ "missing mounts", FS, 0, "mounts is required" },
	{ "empty mounts", FS "mounts = ( );\n", 2,
	    "must contain at least one mount" },
	{ "mounts a group", FS "mounts = { container_path = \"/m\"; };\n", 2,
	    "put the group in parentheses" },
	{ "anon_uid negative", "file_system = { path = \"d\";\n anon_uid = -1; };\n"
	    MNT, 2, "anon_uid: -1 is out of range" },
	{ "anon_gid too big", "file_system = { path = \"d\";\n anon_gid = 4294967296; };\n"
	    MNT, 2, "anon_gid: 4294967296 is out of range" },
	{ "uid too big with L", FS "access_points = ( { id = \"a\";\n"
	    " posix_user = { uid = 99999999999L; gid = 1; }; } );\n" MNT, 3,
	    "posix_user.uid: 99999999999 is out of range" },
	{ "uid far too big", FS "access_points = ( { id = \"a\";\n"
	    " posix_user = { uid = 1; gid = 99999999999999999999999; }; } );\n"
	    MNT, 3, "posix_user.gid:" },
	{ "uid a string", FS "access_points = ( { id = \"a\";\n"
	    " posix_user = { uid = \"1000\"; gid = 1; }; } );\n" MNT, 3,
	    "posix_user.uid: must be an integer 0..4294967295, not a string" },
	{ "uid a float", FS "access_points = ( { id = \"a\";\n"
	    " posix_user = { uid = 1.5; gid = 1; }; } );\n" MNT, 3,
	    "not a floating-point number" },
	{ "posix_user without gid", FS "access_points = ( { id = \"a\";\n"
	    " posix_user = { uid = 1; }; } );\n" MNT, 3,
	    "missing required key \"gid\"" },
	{ "17 secondary gids", FS "access_points = ( { id = \"a\";\n"
	    " posix_user = { uid = 1; gid = 1; secondary_gids = [\n"
	    " 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17 ]; }; } );\n"
	    MNT, 4, "17 entries, at most 16" },
	{ "effect lower case", "file_system = { path = \"d\"; policy = (\n"
	    " { effect = \"allow\"; actions = \"ClientMount\"; }\n); };\n" MNT, 2,
	    "effect: \"allow\" is not \"Allow\" or \"Deny\"" },
	{ "effect missing", "file_system = { path = \"d\"; policy = (\n"
	    " { actions = \"ClientMount\"; }\n); };\n" MNT, 2,
	    "missing required key \"effect\"" },
	{ "actions missing", "file_system = { path = \"d\"; policy = (\n"
	    " { effect = \"Allow\"; }\n); };\n" MNT, 2,
	    "missing required key \"actions\"" },
	{ "unknown action", "file_system = { path = \"d\"; policy = (\n"
	    " { effect = \"Allow\"; actions = [ \"ClientMount\",\n"
	    "   \"ClientRead\" ]; }\n); };\n" MNT, 3,
	    "actions.[1]: unknown action \"ClientRead\"" },
	{ "wildcard action", "file_system = { path = \"d\"; policy = (\n"
	    " { effect = \"Allow\"; actions = \"*\"; }\n); };\n" MNT, 2,
	    "unknown action \"*\"" },
	{ "empty actions", "file_system = { path = \"d\"; policy = (\n"
	    " { effect = \"Allow\"; actions = [ ]; }\n); };\n" MNT, 2,
	    "must name at least one action" },
	{ "bad principal", "file_system = { path = \"d\"; policy = (\n"
	    " { effect = \"Allow\"; principal = \"arn:aws:iam::1:role/x\";\n"
	    "   actions = \"ClientMount\"; }\n); };\n" MNT, 2,
	    "is not \"*\" or \"task\"" },
	{ "principal in role policy", FS "task = { role_policy = (\n"
	    " { effect = \"Allow\"; principal = \"task\"; actions = \"ClientMount\"; }\n"
	    "); };\n" MNT, 3, "task.role_policy.[0].principal: not allowed" },
	{ "secure_transport a string", "file_system = { path = \"d\"; policy = (\n"
	    " { effect = \"Allow\"; actions = \"ClientMount\";\n"
	    "   secure_transport = \"true\"; }\n); };\n" MNT, 3,
	    "secure_transport: must be true or false, not a string" },
	{ "empty policy", "file_system = { path = \"d\";\n policy = ( ); };\n"
	    MNT, 2, "file_system.policy: has no statement" },
	{ "policy a group", "file_system = { path = \"d\";\n policy = {\n"
	    " effect = \"Allow\"; actions = \"ClientMount\"; }; };\n" MNT, 2,
	    "put the group in parentheses" },
	{ "access point without id", FS "access_points = (\n { } );\n" MNT, 3,
	    "access_points.[0]: missing required key \"id\"" },
	{ "empty access point id", FS "access_points = ( { id = \"\"; } );\n"
	    MNT, 2, "access_points.[0].id: must not be empty" },
	{ "duplicate access point id", FS "access_points = ( { id = \"a\"; },\n"
	    " { id = \"b\"; },\n { id = \"a\"; } );\n" MNT, 4,
	    "access_points.[2].id: duplicate id \"a\" (first at line 2)" },
	{ "ap path relative", FS "access_points = ( { id = \"a\";\n"
	    " root_directory = { path = \"data\"; }; } );\n" MNT, 3,
	    "must start with \"/\"" },
	{ "ap path trailing slash", FS "access_points = ( { id = \"a\";\n"
	    " root_directory = { path = \"/data/\"; }; } );\n" MNT, 3,
	    "must not end with \"/\"" },
	{ "ap path empty component", FS "access_points = ( { id = \"a\";\n"
	    " root_directory = { path = \"/a//b\"; }; } );\n" MNT, 3,
	    "empty component" },
	{ "ap path dot component", FS "access_points = ( { id = \"a\";\n"
	    " root_directory = { path = \"/home/.cache\"; }; } );\n" MNT, 3,
	    "access_points.[0].root_directory.path: component \".cache\" starts with \".\"" },
	{ "ap path dotdot", FS "access_points = ( { id = \"a\";\n"
	    " root_directory = { path = \"/a/../b\"; }; } );\n" MNT, 3,
	    "component \"..\" starts with \".\"" },
	{ "ap path five components", FS "access_points = ( { id = \"a\";\n"
	    " root_directory = { path = \"/a/b/c/d/e\"; }; } );\n" MNT, 3,
	    "more than 4 components" },
	{ "ap path 101 characters", FS "access_points = ( { id = \"a\";\n"
	    " root_directory = { path =\n"
	    " \"/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"; }; } );\n"
	    MNT, 3, "101 characters long (at most 100)" },
	{ "ap path dollar", FS "access_points = ( { id = \"a\";\n"
	    " root_directory = { path = \"/a$b\"; }; } );\n" MNT, 3,
	    "contains \"$\"" },
	{ "ap path star", FS "access_points = ( { id = \"a\";\n"
	    " root_directory = { path = \"/a/*\"; }; } );\n" MNT, 3,
	    "contains \"*\"" },
	{ "ap path newline", FS "access_points = ( { id = \"a\";\n"
	    " root_directory = { path = \"/a\\nb\"; }; } );\n" MNT, 3,
	    "contains a newline" },
	{ "ap path backtick", FS "access_points = ( { id = \"a\";\n"
	    " root_directory = { path = \"/a`b\"; }; } );\n" MNT, 3,
	    "contains \"`\"" },
	{ "ap root_directory a string", FS "access_points = ( { id = \"a\";\n"
	    " root_directory = \"/a\"; } );\n" MNT, 3,
	    "root_directory: must be a group { path = ...; }, not a string" },
	{ "creation_info partial", FS "access_points = ( { id = \"a\";\n"
	    " root_directory = { path = \"/a\"; creation_info = {\n"
	    " owner_uid = 1; permissions = \"755\"; }; }; } );\n" MNT, 3,
	    "creation_info: missing owner_gid" },
	{ "creation_info empty", FS "access_points = ( { id = \"a\";\n"
	    " root_directory = { creation_info = { }; }; } );\n" MNT, 3,
	    "missing owner_uid owner_gid permissions" },
	{ "permissions a number", FS "access_points = ( { id = \"a\";\n"
	    " root_directory = { creation_info = { owner_uid = 1; owner_gid = 1;\n"
	    " permissions = 755; }; }; } );\n" MNT, 4,
	    "permissions: must be a string such as \"0755\"" },
	{ "permissions not octal", FS "access_points = ( { id = \"a\";\n"
	    " root_directory = { creation_info = { owner_uid = 1; owner_gid = 1;\n"
	    " permissions = \"0789\"; }; }; } );\n" MNT, 4,
	    "\"0789\" is not 3 or 4 octal digits" },
	{ "permissions too long", FS "access_points = ( { id = \"a\";\n"
	    " root_directory = { creation_info = { owner_uid = 1; owner_gid = 1;\n"
	    " permissions = \"10755\"; }; }; } );\n" MNT, 4,
	    "not 3 or 4 octal digits" },
	{ "permissions too short", FS "access_points = ( { id = \"a\";\n"
	    " root_directory = { creation_info = { owner_uid = 1; owner_gid = 1;\n"
	    " permissions = \"75\"; }; }; } );\n" MNT, 4,
	    "not 3 or 4 octal digits" },
	{ "mount without container_path", FS "mounts = (\n { read_only = true; } );\n",
	    3, "mounts.[0]: missing required key \"container_path\"" },
	{ "container_path relative", FS "mounts = (\n { container_path = \"m\"; } );\n",
	    3, "must be an absolute path" },
	{ "container_path root", FS "mounts = (\n { container_path = \"/\"; } );\n",
	    3, "is the root directory" },
	{ "container_path trailing slash", FS
	    "mounts = (\n { container_path = \"/m/\"; } );\n", 3,
	    "must not end with \"/\"" },
	{ "container_path dot", FS
	    "mounts = (\n { container_path = \"/a/./m\"; } );\n", 3,
	    "must not contain a \".\" component" },
	{ "container_path dotdot", FS
	    "mounts = (\n { container_path = \"/a/../m\"; } );\n", 3,
	    "must not contain a \"..\" component" },
	{ "container_path double slash", FS
	    "mounts = (\n { container_path = \"//m\"; } );\n", 3,
	    "must not contain \"//\"" },
	{ "container_path duplicate", FS "mounts = (\n { container_path = \"/m\"; },\n"
	    " { container_path = \"/m\"; } );\n", 4,
	    "mounts.[1].container_path: \"/m\" is already a mount (line 3)" },
	{ "mount inside another", FS "mounts = (\n { container_path = \"/m\"; },\n"
	    " { container_path = \"/m/n\"; } );\n", 4,
	    "\"/m/n\" lies inside the mount \"/m\" (line 3)" },
	{ "mount around another", FS "mounts = (\n { container_path = \"/m/n/o\"; },\n"
	    " { container_path = \"/m\"; } );\n", 4,
	    "the mount \"/m/n/o\" (line 3) lies inside \"/m\"" },
	{ "unknown access point", FS "mounts = ( { container_path = \"/m\";\n"
	    " access_point = \"fsap-x\"; transit_encryption = true; } );\n", 3,
	    "mounts.[0].access_point: \"fsap-x\" names no access point" },
	{ "access point without transit encryption", FS
	    "access_points = ( { id = \"a\"; } );\n"
	    "mounts = (\n { container_path = \"/m\"; access_point = \"a\"; } );\n", 4,
	    "access_point requires transit_encryption = true" },
	{ "iam without transit encryption", FS
	    "mounts = ( { container_path = \"/m\"; iam = true;\n"
	    " transit_encryption = false; } );\n", 3,
	    "iam = true requires transit_encryption = true" },
	{ "root_directory with access point", FS
	    "access_points = ( { id = \"a\"; } );\n"
	    "mounts = ( { container_path = \"/m\"; access_point = \"a\";\n"
	    " root_directory = \"/sub\"; transit_encryption = true; } );\n", 4,
	    "root_directory must be omitted or \"/\" when access_point is set" },
	{ "mount root_directory relative", FS
	    "mounts = ( { container_path = \"/m\";\n root_directory = \"sub\"; } );\n",
	    3, "mounts.[0].root_directory: \"sub\" must be an absolute path" },
	{ "mount root_directory not normalised", FS
	    "mounts = ( { container_path = \"/m\";\n root_directory = \"/a/\"; } );\n",
	    3, "must not end with \"/\"" },
	{ "read_only an integer", FS
	    "mounts = ( { container_path = \"/m\";\n read_only = 1; } );\n", 3,
	    "read_only: must be true or false, not an integer" },
	{ "task user unknown name", FS "task = {\n user = \"efsap-no-such-user\"; };\n"
	    MNT, 3, "\"efsap-no-such-user\": no such user on this host" },
	{ "task group unknown name", FS
	    "task = {\n user = \"1000:efsap-no-such-group\"; };\n" MNT, 3,
	    "no such group on this host" },
	{ "task user empty", FS "task = {\n user = \"\"; };\n" MNT, 3,
	    "task.user: must be" },
	{ "task user two colons", FS "task = {\n user = \"1:2:3\"; };\n" MNT, 3,
	    "is not \"uid\", \"uid:gid\"" },
	{ "task user empty gid", FS "task = {\n user = \"1000:\"; };\n" MNT, 3,
	    "is not \"uid\", \"uid:gid\"" },
	{ "task uid too big", FS "task = {\n user = \"4294967296:1\"; };\n" MNT, 3,
	    "uid \"4294967296\" is out of range" },
	{ "task user an integer", FS "task = {\n user = 1000; };\n" MNT, 3,
	    "task.user: must be a string" },
	{ "task groups negative", FS "task = { groups = [\n 1, -2 ]; };\n" MNT, 3,
	    "task.groups.[1]: -2 is out of range" },
	{ "task groups a string", FS "task = {\n groups = \"1000\"; };\n" MNT, 3,
	    "task.groups: must be an array" },
	{ "include refused", FS "@include \"other.conf\"\n" MNT, 2,
	    "@include is not supported" },
	{ "errors collected", "file_system = { path = \"d\";\n anon_uid = -1;\n"
	    " anon_gid = -2; };\nmounts = ( { container_path = \"m\"; } );\n", 3,
	    "anon_gid: -2" },
	{ "errors collected after a bad mount", FS "mounts = (\n"
	    " { container_path = \"m\"; },\n { container_path = \"/n/\"; } );\n", 4,
	    "mounts.[1].container_path: \"/n/\" must not end" },
};

START_TEST(test_invalid)
{
	const struct icase *c = &invalid[_i];
	struct load *l = load_text(c->text);

	ck_assert_msg(l->rc == -EINVAL, "%s: rc %d, not -EINVAL:%s", c->name,
	    l->rc, diags_text(l->d));
	ck_assert_msg(l->d->nerrors > 0, "%s: no error", c->name);
	ck_assert_msg(has_diag(l->d, 0, c->line, c->msg),
	    "%s: no error at line %d with \"%s\":%s", c->name, c->line, c->msg,
	    diags_text(l->d));
	load_free(l);
}
END_TEST

/* Every error is reported, not only the first. */
START_TEST(test_all_errors)
{
	struct load *l = load_text(
	    "file_system = { path = \"d\"; anon_uid = -1; };\n"	/* 1 */
	    "access_points = ( { id = \"a\"; root_directory = { path = \"/.x\"; }; } );\n"
	    "task = { user = \"1:2:3\"; };\n"			/* 3 */
	    "mounts = ( { container_path = \"m\"; },\n"		/* 4 */
	    " { container_path = \"/n\"; access_point = \"a\"; } );\n"
	    "other = 1;\n");					/* 6 */

	ck_assert_int_eq(l->rc, -EINVAL);
	ck_assert_msg(l->d->nerrors == 6, "%d errors:%s", l->d->nerrors,
	    diags_text(l->d));
	ck_assert(has_diag(l->d, 0, 1, "anon_uid"));
	ck_assert(has_diag(l->d, 0, 2, ".x"));
	ck_assert(has_diag(l->d, 0, 3, "task.user"));
	ck_assert(has_diag(l->d, 0, 4, "absolute"));
	ck_assert(has_diag(l->d, 0, 5, "transit_encryption"));
	ck_assert(has_diag(l->d, 0, 6, "other: unknown key"));
	/* in line order */
	ck_assert_int_le(l->d->d[0].line, l->d->d[l->d->n - 1].line);
	load_free(l);
}
END_TEST

/* More errors than EFS_MAX_DIAGS: counted, the rest dropped. */
START_TEST(test_many_errors)
{
	char *text;
	size_t o = 0, len = 64 * 1024;
	struct load *l;
	int i;

	text = malloc(len);
	ck_assert_ptr_nonnull(text);
	o += snprintf(text + o, len - o, "file_system = { path = \"d\"; };\n"
	    "mounts = ( { container_path = \"/m\"; } );\n");
	for (i = 0; i < EFS_MAX_DIAGS + 10; i++)
		o += snprintf(text + o, len - o, "k%d = 1;\n", i);
	l = load_text(text);
	ck_assert_int_eq(l->rc, -EINVAL);
	ck_assert_int_eq(l->d->nerrors, EFS_MAX_DIAGS + 10);
	ck_assert_int_eq(l->d->n, EFS_MAX_DIAGS);
	ck_assert_int_eq(l->d->dropped, 10);
	free(text);
	load_free(l);
}
END_TEST

/* ---- configurations that are valid but give a warning ---- */

static const struct icase warnings[] = {
	{ "task principal without iam mount", "file_system = { path = \"d\"; policy = (\n"
	    " { effect = \"Allow\"; actions = \"Client*\"; },\n"
	    " { effect = \"Allow\"; principal = \"task\"; actions = \"ClientWrite\"; }\n"
	    "); };\n" MNT, 3, "principal \"task\" matches only mounts with iam = true" },
	{ "condition on an unknown access point", "file_system = { path = \"d\"; policy = (\n"
	    " { effect = \"Allow\"; actions = \"Client*\"; access_point = \"fsap-x\"; }\n"
	    "); };\n" MNT, 2, "\"fsap-x\" names no access point" },
	{ "role policy without iam mount", FS "task = { role_policy = (\n"
	    " { effect = \"Allow\"; actions = \"Client*\"; } ); };\n" MNT, 3,
	    "task.role_policy: applies only to mounts with iam = true" },
	{ "task user uid alone", FS "task = {\n user = \"1000\"; };\n" MNT, 3,
	    "the gid is 0, which EFS treats as root" },
};

START_TEST(test_warning)
{
	const struct icase *c = &warnings[_i];
	struct load *l = load_text(c->text);

	ck_assert_msg(l->rc == 0 && l->d->nerrors == 0, "%s: rc %d:%s",
	    c->name, l->rc, diags_text(l->d));
	ck_assert_msg(has_diag(l->d, 1, c->line, c->msg),
	    "%s: no warning at line %d with \"%s\":%s", c->name, c->line,
	    c->msg, diags_text(l->d));
	load_free(l);
}
END_TEST

START_TEST(test_uid_alone)
{
	struct load *l = load_text(FS "task = { user = \"1000\"; };\n" MNT);

	ck_assert_int_eq(l->rc, 0);
	ck_assert_uint_eq(l->cfg->task.uid, 1000);
	ck_assert_uint_eq(l->cfg->task.gid, 0);
	load_free(l);
}
END_TEST

/* ---- robustness: files that are not configurations at all ---- */

struct rcase {
	const char *name;
	const char *bytes;
	size_t len;
	int rc;
	int line;
	const char *msg;
};

#define B(s)	s, sizeof(s) - 1

static const struct rcase robust[] = {
	{ "empty file", B(""), -EINVAL, 0, "empty configuration" },
	{ "only comments", B("# nothing\n\n// here\n"), -EINVAL, 0,
	    "empty configuration" },
	{ "invalid UTF-8", B(FS "\n# caf\xe9\n" MNT), -EINVAL, 3,
	    "not valid UTF-8 (byte 0xe9)" },
	{ "invalid UTF-8 in a string",
	    B("file_system = { path = \"\xff\"; };\n" MNT), -EINVAL, 1,
	    "not valid UTF-8 (byte 0xff)" },
	{ "overlong UTF-8", B(FS MNT "# \xc0\xaf\n"), -EINVAL, 3,
	    "not valid UTF-8" },
	{ "UTF-16 surrogate", B(FS "# \xed\xa0\x80\n" MNT), -EINVAL, 2,
	    "not valid UTF-8" },
	{ "truncated UTF-8 at the end", B(FS MNT "#\xe2\x82"), -EINVAL, 3,
	    "not valid UTF-8" },
	{ "NUL byte", B(FS "\n\0" MNT), -EINVAL, 3, "NUL byte" },
	{ "binary", B("\x7f" "ELF\x02\x01\x01\0\0\0"), -EINVAL, 1, "NUL byte" },
	{ "deep nesting", B(FS "x = ((((((((((((((((((((((((((((((((((((((((1))))))"
	    "))))))))))))))))))))))))))))))))));\n" MNT), -EINVAL, 2,
	    "nesting deeper than 32 levels" },
	{ "deep nesting of groups", B(FS "\nx = {a={a={a={a={a={a={a={a={a={a={"
	    "a={a={a={a={a={a={a={a={a={a={a={a={a={a={a={a={a={a={a={a={a={a={"
	    "a={a={a=1;};};};};};};};};};};};};};};};};};};};};};};};};};};};};"
	    "};};};};};};};};\n" MNT), -EINVAL, 3,
	    "nesting deeper than 32 levels" },
	{ "unbalanced brackets", B(FS ")))))\n" MNT), -EINVAL, 2, "" },
	{ "unterminated block comment", B(FS "/* no end\n" MNT), -EINVAL, 0, "" },
};

START_TEST(test_robust)
{
	const struct rcase *c = &robust[_i];
	struct load *l = load_bytes(c->bytes, c->len);

	ck_assert_msg(l->rc == c->rc, "%s: rc %d, not %d:%s", c->name, l->rc,
	    c->rc, diags_text(l->d));
	if (c->msg[0] != '\0' || c->line != 0)
		ck_assert_msg(has_diag(l->d, 0, c->line, c->msg),
		    "%s: no error at line %d with \"%s\":%s", c->name, c->line,
		    c->msg, diags_text(l->d));
	else
		ck_assert_int_gt(l->d->nerrors, 0);
	load_free(l);
}
END_TEST

/* Nesting far beyond what libconfig's parser stack holds: refused, no crash. */
START_TEST(test_very_deep)
{
	size_t n = 200000, i;
	struct load *l;
	char *text;

	text = malloc(2 * n + 64);
	ck_assert_ptr_nonnull(text);
	memcpy(text, "x = ", 4);
	for (i = 0; i < n; i++) {
		text[4 + i] = '(';
		text[4 + n + i] = ')';
	}
	strcpy(text + 4 + 2 * n, ";\n");
	l = load_text(text);
	ck_assert_int_eq(l->rc, -EINVAL);
	ck_assert(has_diag(l->d, 0, 1, "nesting deeper"));
	free(text);
	load_free(l);
}
END_TEST

/* Over 1 MiB: refused before parsing. */
START_TEST(test_huge)
{
	size_t len = 1024 * 1024 + 1;
	struct load *l;
	char *text;

	text = malloc(len);
	ck_assert_ptr_nonnull(text);
	memset(text, '\n', len);
	l = load_bytes(text, len);
	ck_assert_int_eq(l->rc, -EFBIG);
	ck_assert(has_diag(l->d, 0, 0, "too large"));
	free(text);
	load_free(l);

	/* exactly 1 MiB is read: here, a valid file padded with comments */
	len = 1024 * 1024;
	text = malloc(len);
	ck_assert_ptr_nonnull(text);
	memset(text, ' ', len);
	memcpy(text, FS MNT, strlen(FS MNT));
	l = load_bytes(text, len);
	ck_assert_msg(l->rc == 0, "rc %d:%s", l->rc, diags_text(l->d));
	free(text);
	load_free(l);
}
END_TEST

/* More lines than libconfig can number. */
START_TEST(test_many_lines)
{
	size_t len = 70000;
	struct load *l;
	char *text;

	text = malloc(len);
	ck_assert_ptr_nonnull(text);
	memset(text, '\n', len);
	l = load_bytes(text, len);
	ck_assert_int_eq(l->rc, -EINVAL);
	ck_assert(has_diag(l->d, 0, 65536, "more than 65535 lines"));
	free(text);
	load_free(l);
}
END_TEST

START_TEST(test_missing_file)
{
	struct load *l = load_new();
	char path[600];

	snprintf(path, sizeof(path), "%s/efsap-check-no-such-dir-%ld/x.conf",
	    tmpdir(), (long)getpid());
	l->rc = efs_config_load(path, &invoker, l->cfg, l->d);
	ck_assert_int_eq(l->rc, -ENOENT);
	ck_assert_int_eq(l->d->nerrors, 1);
	ck_assert_int_eq(l->d->d[0].line, 0);
	ck_assert_str_eq(l->d->d[0].file, path);
	ck_assert(has_diag(l->d, 0, 0, "cannot open"));
	load_free(l);
}
END_TEST

START_TEST(test_directory)
{
	struct load *l = load_new();
	char dir[600];

	snprintf(dir, sizeof(dir), "%s/efsap-check-XXXXXX", tmpdir());
	ck_assert_ptr_nonnull(mkdtemp(dir));
	l->rc = efs_config_load(dir, &invoker, l->cfg, l->d);
	rmdir(dir);
	ck_assert_int_eq(l->rc, -EISDIR);
	ck_assert(has_diag(l->d, 0, 0, "is a directory"));
	load_free(l);
}
END_TEST

START_TEST(test_not_regular)
{
	struct load *l = load_new();

	l->rc = efs_config_load("/dev/null", &invoker, l->cfg, l->d);
	ck_assert_int_eq(l->rc, -EINVAL);
	ck_assert(has_diag(l->d, 0, 0, "not a regular file"));
	load_free(l);
}
END_TEST

/* A relative configuration path: cfg->file is absolute, diagnostics use the name given. */
START_TEST(test_relative_file)
{
	static const char text[] = "file_system = { path = \"x\"; };\n"
	    "bad = 1;\n" MNT;
	struct load *l = load_new();
	char cwd[EFS_PATH_MAX], want[EFS_PATH_MAX + 16], *base;
	int fd;

	write_tmp(l, text, sizeof(text) - 1);
	fd = open(".", O_RDONLY | O_DIRECTORY);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(chdir(l->dir), 0);
	ck_assert_ptr_nonnull(getcwd(cwd, sizeof(cwd)));
	base = strrchr(l->path, '/') + 1;
	l->rc = efs_config_load(base, &invoker, l->cfg, l->d);
	ck_assert_int_eq(fchdir(fd), 0);
	close(fd);
	unlink(l->path);
	ck_assert_int_eq(l->rc, -EINVAL);
	ck_assert_str_eq(l->d->d[0].file, base);
	snprintf(want, sizeof(want), "%s/%s", strcmp(cwd, "/") ? cwd : "", base);
	ck_assert_str_eq(l->cfg->file, want);
	load_free(l);
}
END_TEST

/* ---- limits of config.h ---- */

/* n entries of fmt (with %d for the index) inside a list, the rest around it. */
static char *
repeat(const char *head, const char *fmt, int n, const char *tail)
{
	size_t len = strlen(head) + strlen(tail) + (size_t)n * (strlen(fmt) + 16) + 1;
	size_t o = 0;
	char *s;
	int i;

	s = malloc(len);
	ck_assert_ptr_nonnull(s);
	o += snprintf(s + o, len - o, "%s", head);
	for (i = 0; i < n; i++) {
		o += snprintf(s + o, len - o, fmt, i);
		o += snprintf(s + o, len - o, "%s", i + 1 < n ? ",\n" : "\n");
	}
	snprintf(s + o, len - o, "%s", tail);
	return s;
}

struct lcase {
	const char *name;
	const char *head, *fmt, *tail;
	int max;			/* the limit: max entries valid, max + 1 not */
	int first;			/* line of the first entry */
	const char *msg;
};

static const struct lcase limits[] = {
	{ "mounts", FS "mounts = (\n", "{ container_path = \"/m%d\"; }", ");\n",
	    EFS_MAX_MOUNTS, 3, "mounts: 33 mounts, at most 32" },
	{ "access points", FS "access_points = (\n", "{ id = \"a%d\"; }",
	    ");\n" MNT, EFS_MAX_APS, 3, "at most 128" },
	{ "policy statements", "file_system = { path = \"d\"; policy = (\n",
	    "{ effect = \"Allow\"; actions = \"Client*\"; }", "); };\n" MNT,
	    EFS_MAX_STMTS, 2, "65 statements, at most 64" },
	{ "role statements", FS "task = { role_policy = (\n",
	    "{ effect = \"Allow\"; actions = \"Client*\"; }",
	    "); };\nmounts = ( { container_path = \"/m\"; iam = true; "
	    "transit_encryption = true; } );\n", EFS_MAX_STMTS, 3,
	    "at most 64" },
	{ "task groups", FS "task = { groups = [\n", "%d", "]; };\n" MNT,
	    EFS_GROUPS_MAX, 3, "65 entries, at most 64" },
	{ "secondary gids", FS "access_points = ( { id = \"a\"; posix_user = {\n"
	    "uid = 1; gid = 1; secondary_gids = [\n", "%d", "]; }; } );\n" MNT,
	    EFS_NFS_GROUPS, 4, "17 entries, at most 16" },
};

START_TEST(test_limit)
{
	const struct lcase *c = &limits[_i];
	struct load *l;
	char *text;

	text = repeat(c->head, c->fmt, c->max, c->tail);
	l = load_text(text);
	ck_assert_msg(l->rc == 0, "%s: %d entries refused:%s", c->name, c->max,
	    diags_text(l->d));
	free(text);
	load_free(l);

	text = repeat(c->head, c->fmt, c->max + 1, c->tail);
	l = load_text(text);
	ck_assert_int_eq(l->rc, -EINVAL);
	ck_assert_msg(has_diag(l->d, 0, c->first + c->max, c->msg),
	    "%s: no error at line %d with \"%s\":%s", c->name,
	    c->first + c->max, c->msg, diags_text(l->d));
	free(text);
	load_free(l);
}
END_TEST

/* ---- the other functions of config.h ---- */

START_TEST(test_default)
{
	struct efs_config *cfg = calloc(1, sizeof(*cfg));
	char longcwd[EFS_PATH_MAX + 8];

	ck_assert_ptr_nonnull(cfg);
	ck_assert_int_eq(efs_config_default("/home/u/proj", &invoker, cfg), 0);
	ck_assert_str_eq(cfg->file, "");
	ck_assert_str_eq(cfg->backing, "/home/u/proj/efs-data");
	ck_assert_str_eq(cfg->fs_id, "fs-local");
	ck_assert_uint_eq(cfg->anon_uid, 65534);
	ck_assert_uint_eq(cfg->anon_gid, 65534);
	ck_assert_int_eq(cfg->has_policy, 0);
	ck_assert_int_eq(cfg->naps, 0);
	ck_assert_int_eq(cfg->nmounts, 1);
	ck_assert_str_eq(cfg->mounts[0].container_path, "/mnt/efs");
	ck_assert_str_eq(cfg->mounts[0].root_directory, "/");
	ck_assert_int_eq(cfg->mounts[0].ap, -1);
	ck_assert_int_eq(cfg->mounts[0].read_only, 0);
	ck_assert_uint_eq(cfg->task.uid, 1234);
	ck_assert_uint_eq(cfg->task.gid, 1235);
	ck_assert_uint_eq(cfg->task.ngroups, 2);
	ck_assert_ptr_null(efs_config_ap(cfg, &cfg->mounts[0]));

	ck_assert_int_eq(efs_config_default("/", &invoker, cfg), 0);
	ck_assert_str_eq(cfg->backing, "/efs-data");

	memset(longcwd, 'a', sizeof(longcwd) - 1);
	longcwd[0] = '/';
	longcwd[sizeof(longcwd) - 1] = '\0';
	ck_assert_int_eq(efs_config_default(longcwd, &invoker, cfg),
	    -ENAMETOOLONG);
	free(cfg);
}
END_TEST

START_TEST(test_config_ap)
{
	struct load *l = load_text(FS "access_points = ( { id = \"a\"; }, { id = \"b\"; } );\n"
	    "mounts = ( { container_path = \"/m\"; access_point = \"b\"; "
	    "transit_encryption = true; },\n { container_path = \"/n\"; } );\n");
	const struct efs_ap *ap;

	ck_assert_int_eq(l->rc, 0);
	ap = efs_config_ap(l->cfg, &l->cfg->mounts[0]);
	ck_assert_ptr_nonnull(ap);
	ck_assert_str_eq(ap->id, "b");
	ck_assert_ptr_null(efs_config_ap(l->cfg, &l->cfg->mounts[1]));
	load_free(l);
}
END_TEST

START_TEST(test_print)
{
	struct efs_diags *d = calloc(1, sizeof(*d));
	char buf[1024];
	ssize_t n;
	int fds[2];

	ck_assert_ptr_nonnull(d);
	d->n = 3;
	d->nerrors = 2;
	d->nwarnings = 1;
	d->dropped = 4;
	strcpy(d->d[0].file, "a.conf");
	d->d[0].line = 3;
	strcpy(d->d[0].msg, "mounts: bad");
	strcpy(d->d[1].file, "a.conf");
	d->d[1].line = 7;
	d->d[1].warning = 1;
	strcpy(d->d[1].msg, "task: odd");
	strcpy(d->d[2].file, "b.conf");
	strcpy(d->d[2].msg, "cannot open: No such file or directory");
	ck_assert_int_eq(pipe(fds), 0);
	efs_diags_print(d, fds[1]);
	close(fds[1]);
	n = read(fds[0], buf, sizeof(buf) - 1);
	close(fds[0]);
	ck_assert_int_gt(n, 0);
	buf[n] = '\0';
	ck_assert_str_eq(buf,
	    "a.conf:3: error: mounts: bad\n"
	    "a.conf:7: warning: task: odd\n"
	    "b.conf: error: cannot open: No such file or directory\n"
	    "efsap: 4 more errors and warnings not shown\n");
	free(d);
}
END_TEST

/* ---- the files of the repository ---- */

static const char *
srcdir(void)
{
	const char *s = getenv("EFSAP_SRCDIR");

	return s != NULL && s[0] != '\0' ? s : ".";
}

static int
has_suffix(const char *s, const char *suffix)
{
	size_t ls = strlen(s), lx = strlen(suffix);

	return ls >= lx && strcmp(s + ls - lx, suffix) == 0;
}

START_TEST(test_conf_files)
{
	struct load *l = load_new();
	struct dirent *e;
	char dir[EFS_PATH_MAX], path[EFS_PATH_MAX + 256];
	DIR *dp;
	int n = 0;

	snprintf(dir, sizeof(dir), "%s/conf", srcdir());
	dp = opendir(dir);
	ck_assert_msg(dp != NULL, "%s: %s", dir, strerror(errno));
	while ((e = readdir(dp)) != NULL) {
		if (!has_suffix(e->d_name, ".conf") || e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		l->rc = efs_config_load(path, &invoker, l->cfg, l->d);
		ck_assert_msg(l->rc == 0 && l->d->nerrors == 0 &&
		    l->d->nwarnings == 0, "%s: rc %d, %d errors, %d warnings:%s",
		    path, l->rc, l->d->nerrors, l->d->nwarnings,
		    diags_text(l->d));
		ck_assert_msg(l->cfg->nmounts > 0, "%s: no mount", path);
		n++;
	}
	closedir(dp);
	ck_assert_msg(n >= 9, "only %d files in %s", n, dir);
	load_free(l);
}
END_TEST

/*
 * Each tests/fixtures/invalid/NAME.conf starts with
 * "# expect: LINE: TEXT": loading it must give an error at LINE whose
 * message contains TEXT.
 */
START_TEST(test_fixtures)
{
	struct load *l = load_new();
	struct dirent *e;
	char dir[EFS_PATH_MAX], path[EFS_PATH_MAX + 256], first[512];
	char text[512], *nl;
	FILE *fp;
	DIR *dp;
	int n = 0, line;

	snprintf(dir, sizeof(dir), "%s/tests/fixtures/invalid", srcdir());
	dp = opendir(dir);
	ck_assert_msg(dp != NULL, "%s: %s", dir, strerror(errno));
	while ((e = readdir(dp)) != NULL) {
		if (!has_suffix(e->d_name, ".conf") || e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		fp = fopen(path, "r");
		ck_assert_msg(fp != NULL, "%s: %s", path, strerror(errno));
		ck_assert_msg(fgets(first, sizeof(first), fp) != NULL,
		    "%s: empty", path);
		fclose(fp);
		if ((nl = strchr(first, '\n')) != NULL)
			*nl = '\0';
		ck_assert_msg(sscanf(first, "# expect: %d: %511[^\n]", &line,
		    text) == 2, "%s: first line is not \"# expect: LINE: "
		    "TEXT\"", path);
		l->rc = efs_config_load(path, &invoker, l->cfg, l->d);
		ck_assert_msg(l->rc != 0, "%s: accepted", path);
		ck_assert_msg(has_diag(l->d, 0, line, text),
		    "%s: no error at line %d with \"%s\":%s", path, line, text,
		    diags_text(l->d));
		n++;
	}
	closedir(dp);
	ck_assert_msg(n >= 25, "only %d fixtures in %s", n, dir);
	load_free(l);
}
END_TEST

#define NELEM(a)	((int)(sizeof(a) / sizeof((a)[0])))

Suite *
suite_config(void)
{
	Suite *s = suite_create("config");
	TCase *tc;

	tc = tcase_create("valid");
	tcase_add_loop_test(tc, test_valid, 0, NELEM(valid));
	tcase_add_test(tc, test_uid_alone);
	tcase_add_test(tc, test_config_ap);
	suite_add_tcase(s, tc);

	tc = tcase_create("invalid");
	tcase_add_loop_test(tc, test_invalid, 0, NELEM(invalid));
	tcase_add_test(tc, test_all_errors);
	tcase_add_test(tc, test_many_errors);
	suite_add_tcase(s, tc);

	tc = tcase_create("warnings");
	tcase_add_loop_test(tc, test_warning, 0, NELEM(warnings));
	suite_add_tcase(s, tc);

	tc = tcase_create("robustness");
	tcase_add_loop_test(tc, test_robust, 0, NELEM(robust));
	tcase_add_test(tc, test_very_deep);
	tcase_add_test(tc, test_huge);
	tcase_add_test(tc, test_many_lines);
	tcase_add_test(tc, test_missing_file);
	tcase_add_test(tc, test_directory);
	tcase_add_test(tc, test_not_regular);
	tcase_add_test(tc, test_relative_file);
	suite_add_tcase(s, tc);

	tc = tcase_create("limits");
	tcase_add_loop_test(tc, test_limit, 0, NELEM(limits));
	suite_add_tcase(s, tc);

	tc = tcase_create("api");
	tcase_add_test(tc, test_default);
	tcase_add_test(tc, test_print);
	suite_add_tcase(s, tc);

	tc = tcase_create("files");
	tcase_add_test(tc, test_conf_files);
	tcase_add_test(tc, test_fixtures);
	suite_add_tcase(s, tc);

	return s;
}
