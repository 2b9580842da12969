/* SPDX-License-Identifier: MIT */
/*
 * check_mountplan.c: the mount plan (SPEC 5.1), table-driven.  Each case
 * builds its configuration in code (no parsing), plans mount 0 and checks
 * the decision, the server identity, the root directory creation and the
 * exact failure message.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "mountplan.h"

/* Policies a case can ask for. */
enum {
	POL_DEFAULT = 0,	/* no file_system.policy */
	POL_NO_MOUNT,		/* Allow "*" ClientWrite only */
	POL_MOUNT_ONLY,		/* Allow "*" ClientMount: read-only, squashed */
	POL_NO_ROOT,		/* Allow "*" ClientMount, ClientWrite: squashed */
	POL_DENY_WRITE,		/* Allow "*" Client*, Deny "*" ClientWrite */
	POL_TASK_ONLY		/* Allow "task" Client* */
};

/*
 * Access points of every case's configuration: a case's .ap is the index
 * plus one, so that 0 (left out) means a mount without access point.
 */
enum {
	AP_NONE = 0,
	AP_AGENT,		/* /agent-storage, creation 1000:1000 0755, posix_user 1000:1000 [2000] */
	AP_NOCREATE,		/* /data, no creation_info, no posix_user */
	AP_ROOTUSER,		/* /rootdir, creation 0:0 0700, posix_user 0:0 */
	AP_LOCKED,		/* /locked, creation 0:0 0700, posix_user 1000:1000 */
	AP_SLASH,		/* /, no creation_info */
	AP_DEEP			/* /a/b/c, creation 1000:1000 0750 */
};

struct mp_case {
	const char *name;
	/* configuration */
	int pol;
	int ap;				/* AP_*; AP_NONE by default */
	const char *root_directory;	/* NULL: "/" */
	const char *cpath;		/* NULL: "/mnt/efs" */
	const char *backing;		/* NULL: "/srv/efs" */
	int read_only, iam, transit;
	uint32_t anon_uid, anon_gid;	/* 0: 65534 */
	uint32_t uid, gid;		/* task user */
	unsigned ngroups;		/* 0: [ gid ] */
	uint32_t groups[4];
	/* the backing store */
	enum efs_root_state state;
	struct efs_attr root;
	/* expected */
	int rc;
	int want_ro;
	int want_create;
	struct efs_attr want_attr;
	uint32_t want_uid, want_gid;
	int want_root, want_squashed;
	int skip_squashed;		/* do not check who.squashed */
	int want_ngroups;		/* -1: do not check the groups */
	uint32_t want_groups[4];
	const char *want_fs_path;
	const char *want_backing;
	const char *want_error;		/* exact; a final '*' makes it a prefix */
};

#define DIR(m)	(S_IFDIR | (m))

static const struct mp_case cases[] = {
	{ .name = "default policy, existing file system root",
	  .uid = 1000, .gid = 1000, .state = EFS_ROOT_EXISTS,
	  .root = { 0, 0, DIR(0755) },
	  .want_uid = 1000, .want_gid = 1000, .want_ngroups = 1,
	  .want_groups = { 1000 },
	  .want_fs_path = "/", .want_backing = "/srv/efs" },
	{ .name = "missing backing directory is a new file system",
	  .uid = 1000, .gid = 1000, .state = EFS_ROOT_MISSING,
	  .want_create = 1, .want_attr = { 0, 0, DIR(0755) },
	  .want_uid = 1000, .want_gid = 1000, .want_ngroups = -1,
	  .want_fs_path = "/", .want_backing = "/srv/efs" },
	{ .name = "root_directory missing without access point",
	  .root_directory = "/grafana", .cpath = "/var/lib/grafana",
	  .uid = 472, .gid = 472, .state = EFS_ROOT_MISSING,
	  .rc = -ENOENT, .want_uid = 472, .want_gid = 472, .want_ngroups = -1,
	  .want_fs_path = "/grafana", .want_backing = "/srv/efs/grafana",
	  .want_error = "efsap: mount fs-local:/grafana on /var/lib/grafana "
	  "failed, reason given by server: No such file or directory" },
	{ .name = "root_directory exists without access point",
	  .root_directory = "/grafana", .cpath = "/var/lib/grafana",
	  .uid = 472, .gid = 472, .state = EFS_ROOT_EXISTS,
	  .root = { 472, 472, DIR(0700) },
	  .want_uid = 472, .want_gid = 472, .want_ngroups = -1,
	  .want_fs_path = "/grafana", .want_backing = "/srv/efs/grafana" },
	{ .name = "root_directory not a directory",
	  .root_directory = "/file", .uid = 1000, .gid = 1000,
	  .state = EFS_ROOT_NOTDIR, .rc = -ENOTDIR,
	  .want_uid = 1000, .want_gid = 1000, .want_ngroups = -1,
	  .want_fs_path = "/file", .want_backing = "/srv/efs/file",
	  .want_error = "efsap: mount fs-local:/file on /mnt/efs failed, "
	  "reason given by server: Not a directory" },
	{ .name = "access point root not a directory",
	  .ap = AP_AGENT, .transit = 1, .cpath = "/shared-storage",
	  .uid = 1000, .gid = 1000, .state = EFS_ROOT_NOTDIR, .rc = -ENOTDIR,
	  .want_uid = 1000, .want_gid = 1000, .want_ngroups = -1,
	  .want_fs_path = "/agent-storage",
	  .want_backing = "/srv/efs/agent-storage",
	  .want_error = "efsap: mount fs-local:/agent-storage on "
	  "/shared-storage failed, reason given by server: Not a directory" },
	{ .name = "access point root created from creation_info",
	  .ap = AP_AGENT, .transit = 1, .cpath = "/shared-storage",
	  .uid = 0, .gid = 0, .state = EFS_ROOT_MISSING,
	  .want_create = 1, .want_attr = { 1000, 1000, DIR(0755) },
	  .want_uid = 1000, .want_gid = 1000, .want_ngroups = 1,
	  .want_groups = { 2000 },
	  .want_fs_path = "/agent-storage",
	  .want_backing = "/srv/efs/agent-storage" },
	{ .name = "existing access point root is never changed",
	  .ap = AP_AGENT, .transit = 1, .uid = 1000, .gid = 1000,
	  .state = EFS_ROOT_EXISTS, .root = { 0, 0, DIR(0755) },
	  .want_uid = 1000, .want_gid = 1000, .want_ngroups = -1,
	  .want_fs_path = "/agent-storage",
	  .want_backing = "/srv/efs/agent-storage" },
	{ .name = "existing access point root not searchable",
	  .ap = AP_AGENT, .transit = 1, .cpath = "/shared-storage",
	  .uid = 1000, .gid = 1000,
	  .state = EFS_ROOT_EXISTS, .root = { 0, 0, DIR(0700) },
	  .rc = -EACCES, .want_uid = 1000, .want_gid = 1000,
	  .want_ngroups = -1, .want_fs_path = "/agent-storage",
	  .want_backing = "/srv/efs/agent-storage",
	  .want_error = "efsap: mount fs-local:/agent-storage on "
	  "/shared-storage failed: access denied by server (server identity "
	  "1000:1000 lacks search permission on the root directory owner "
	  "0:0 mode 0700)" },
	{ .name = "access point root without creation_info",
	  .ap = AP_NOCREATE, .transit = 1, .cpath = "/shared-storage",
	  .uid = 1000, .gid = 1000, .state = EFS_ROOT_MISSING, .rc = -EACCES,
	  .want_uid = 1000, .want_gid = 1000, .want_ngroups = -1,
	  .want_fs_path = "/data", .want_backing = "/srv/efs/data",
	  .want_error = "efsap: mount fs-local:/data on /shared-storage "
	  "failed: access denied by server (the access point's root "
	  "directory does not exist and it has no creation_info)" },
	{ .name = "created root the access point user cannot search",
	  .ap = AP_LOCKED, .transit = 1, .uid = 1000, .gid = 1000,
	  .state = EFS_ROOT_MISSING, .rc = -EACCES,
	  .want_create = 1, .want_attr = { 0, 0, DIR(0700) },
	  .want_uid = 1000, .want_gid = 1000, .want_ngroups = -1,
	  .want_fs_path = "/locked", .want_backing = "/srv/efs/locked",
	  .want_error = "efsap: mount fs-local:/locked on /mnt/efs failed: "
	  "access denied by server (server identity 1000:1000 lacks search "
	  "permission on the root directory owner 0:0 mode 0700)" },
	{ .name = "read-only mount still creates the access point root",
	  .ap = AP_AGENT, .transit = 1, .read_only = 1,
	  .uid = 1000, .gid = 1000, .state = EFS_ROOT_MISSING,
	  .want_ro = 1, .want_create = 1, .want_attr = { 1000, 1000, DIR(0755) },
	  .want_uid = 1000, .want_gid = 1000, .want_ngroups = -1,
	  .want_fs_path = "/agent-storage",
	  .want_backing = "/srv/efs/agent-storage" },
	{ .name = "ClientWrite not granted: read-only, root still created",
	  .pol = POL_MOUNT_ONLY, .ap = AP_AGENT, .transit = 1,
	  .uid = 1000, .gid = 1000, .state = EFS_ROOT_MISSING,
	  .want_ro = 1, .want_create = 1, .want_attr = { 1000, 1000, DIR(0755) },
	  .want_uid = 1000, .want_gid = 1000, .want_ngroups = -1,
	  .want_fs_path = "/agent-storage",
	  .want_backing = "/srv/efs/agent-storage" },
	{ .name = "ClientWrite denied by a Deny statement",
	  .pol = POL_DENY_WRITE, .uid = 1000, .gid = 1000,
	  .state = EFS_ROOT_EXISTS, .root = { 0, 0, DIR(0755) },
	  .want_ro = 1, .want_uid = 1000, .want_gid = 1000, .want_ngroups = -1,
	  .want_fs_path = "/", .want_backing = "/srv/efs" },
	{ .name = "read_only = true",
	  .read_only = 1, .uid = 1000, .gid = 1000,
	  .state = EFS_ROOT_EXISTS, .root = { 0, 0, DIR(0755) },
	  .want_ro = 1, .want_uid = 1000, .want_gid = 1000, .want_ngroups = -1,
	  .want_fs_path = "/", .want_backing = "/srv/efs" },
	{ .name = "ClientMount denied comes first",
	  .pol = POL_NO_MOUNT, .ap = AP_NOCREATE, .transit = 1,
	  .uid = 1000, .gid = 1000, .state = EFS_ROOT_MISSING, .rc = -EACCES,
	  .want_uid = 1000, .want_gid = 1000, .want_ngroups = -1,
	  .want_fs_path = "/data", .want_backing = "/srv/efs/data",
	  .want_error = "efsap: mount fs-local:/data on /mnt/efs failed: "
	  "access denied by server (ClientMount not granted: *" },
	{ .name = "ClientMount denied: nothing is created",
	  .pol = POL_NO_MOUNT, .ap = AP_AGENT, .transit = 1,
	  .uid = 1000, .gid = 1000, .state = EFS_ROOT_MISSING, .rc = -EACCES,
	  .want_uid = 1000, .want_gid = 1000, .want_ngroups = -1,
	  .want_fs_path = "/agent-storage",
	  .want_backing = "/srv/efs/agent-storage",
	  .want_error = "efsap: mount fs-local:/agent-storage on /mnt/efs "
	  "failed: access denied by server (ClientMount not granted: *" },
	{ .name = "principal task without iam: anonymous, denied",
	  .pol = POL_TASK_ONLY, .uid = 1000, .gid = 1000,
	  .state = EFS_ROOT_EXISTS, .root = { 0, 0, DIR(0755) },
	  .rc = -EACCES, .want_ro = 1,
	  .want_uid = 1000, .want_gid = 1000, .want_ngroups = -1,
	  .want_fs_path = "/", .want_backing = "/srv/efs",
	  .want_error = "efsap: mount fs-local:/ on /mnt/efs failed: "
	  "access denied by server (ClientMount not granted: *" },
	{ .name = "principal task with iam: allowed",
	  .pol = POL_TASK_ONLY, .iam = 1, .transit = 1, .uid = 1000, .gid = 1000,
	  .state = EFS_ROOT_EXISTS, .root = { 0, 0, DIR(0755) },
	  .want_uid = 1000, .want_gid = 1000, .want_ngroups = -1,
	  .want_fs_path = "/", .want_backing = "/srv/efs" },
	{ .name = "root caller squashed without ClientRootAccess",
	  .pol = POL_NO_ROOT, .uid = 0, .gid = 0,
	  .state = EFS_ROOT_EXISTS, .root = { 0, 0, DIR(0755) },
	  .want_uid = 65534, .want_gid = 65534, .want_squashed = 1,
	  .want_ngroups = 0, .want_fs_path = "/", .want_backing = "/srv/efs" },
	{ .name = "squashed root cannot search a 0700 root",
	  .pol = POL_NO_ROOT, .uid = 0, .gid = 0,
	  .state = EFS_ROOT_EXISTS, .root = { 0, 0, DIR(0700) },
	  .rc = -EACCES, .want_uid = 65534, .want_gid = 65534,
	  .want_squashed = 1, .want_ngroups = -1,
	  .want_fs_path = "/", .want_backing = "/srv/efs",
	  .want_error = "efsap: mount fs-local:/ on /mnt/efs failed: access "
	  "denied by server (server identity 65534:65534 lacks search "
	  "permission on the root directory owner 0:0 mode 0700)" },
	{ .name = "squashed to the configured anon ids",
	  .pol = POL_MOUNT_ONLY, .anon_uid = 4242, .anon_gid = 4343,
	  .uid = 0, .gid = 0,
	  .state = EFS_ROOT_EXISTS, .root = { 0, 0, DIR(0755) },
	  .want_ro = 1, .want_uid = 4242, .want_gid = 4343, .want_squashed = 1,
	  .want_ngroups = -1, .want_fs_path = "/", .want_backing = "/srv/efs" },
	{ .name = "squashing drops group 0",
	  .pol = POL_NO_ROOT, .uid = 1000, .gid = 1000,
	  .ngroups = 2, .groups = { 0, 1000 },
	  .state = EFS_ROOT_EXISTS, .root = { 0, 0, DIR(0755) },
	  .want_uid = 1000, .want_gid = 1000, .skip_squashed = 1,
	  .want_ngroups = 1, .want_groups = { 1000 },
	  .want_fs_path = "/", .want_backing = "/srv/efs" },
	{ .name = "root not squashed bypasses a 0700 root",
	  .uid = 0, .gid = 0,
	  .state = EFS_ROOT_EXISTS, .root = { 1000, 1000, DIR(0700) },
	  .want_uid = 0, .want_gid = 0, .want_root = 1, .want_ngroups = -1,
	  .want_fs_path = "/", .want_backing = "/srv/efs" },
	{ .name = "posix_user 0 with ClientRootAccess: root",
	  .ap = AP_ROOTUSER, .transit = 1, .uid = 1000, .gid = 1000,
	  .state = EFS_ROOT_MISSING,
	  .want_create = 1, .want_attr = { 0, 0, DIR(0700) },
	  .want_uid = 0, .want_gid = 0, .want_root = 1, .want_ngroups = -1,
	  .want_fs_path = "/rootdir", .want_backing = "/srv/efs/rootdir" },
	{ .name = "posix_user 0 squashed cannot search its 0700 root",
	  .pol = POL_NO_ROOT, .ap = AP_ROOTUSER, .transit = 1,
	  .uid = 1000, .gid = 1000, .state = EFS_ROOT_MISSING, .rc = -EACCES,
	  .want_create = 1, .want_attr = { 0, 0, DIR(0700) },
	  .want_uid = 65534, .want_gid = 65534, .want_squashed = 1,
	  .want_ngroups = -1,
	  .want_fs_path = "/rootdir", .want_backing = "/srv/efs/rootdir",
	  .want_error = "efsap: mount fs-local:/rootdir on /mnt/efs failed: "
	  "access denied by server (server identity 65534:65534 lacks search "
	  "permission on the root directory owner 0:0 mode 0700)" },
	{ .name = "posix_user replaces the task user",
	  .ap = AP_AGENT, .transit = 1, .uid = 3000, .gid = 3000,
	  .state = EFS_ROOT_EXISTS, .root = { 1000, 1000, DIR(0700) },
	  .want_uid = 1000, .want_gid = 1000, .want_ngroups = 1,
	  .want_groups = { 2000 }, .want_fs_path = "/agent-storage",
	  .want_backing = "/srv/efs/agent-storage" },
	{ .name = "search through the group bits",
	  .uid = 1000, .gid = 2000,
	  .state = EFS_ROOT_EXISTS, .root = { 0, 2000, DIR(0710) },
	  .want_uid = 1000, .want_gid = 2000, .want_ngroups = -1,
	  .want_fs_path = "/", .want_backing = "/srv/efs" },
	{ .name = "search through a supplementary group",
	  .uid = 1000, .gid = 1000, .ngroups = 2, .groups = { 1000, 3000 },
	  .state = EFS_ROOT_EXISTS, .root = { 0, 3000, DIR(0750) },
	  .want_uid = 1000, .want_gid = 1000, .want_ngroups = 2,
	  .want_groups = { 1000, 3000 },
	  .want_fs_path = "/", .want_backing = "/srv/efs" },
	{ .name = "other bits without x",
	  .uid = 1000, .gid = 1000,
	  .state = EFS_ROOT_EXISTS, .root = { 0, 0, DIR(0774) }, .rc = -EACCES,
	  .want_uid = 1000, .want_gid = 1000, .want_ngroups = -1,
	  .want_fs_path = "/", .want_backing = "/srv/efs",
	  .want_error = "efsap: mount fs-local:/ on /mnt/efs failed: access "
	  "denied by server (server identity 1000:1000 lacks search "
	  "permission on the root directory owner 0:0 mode 0774)" },
	{ .name = "access point at / on a missing backing directory",
	  .ap = AP_SLASH, .transit = 1, .uid = 1000, .gid = 1000,
	  .state = EFS_ROOT_MISSING,
	  .want_create = 1, .want_attr = { 0, 0, DIR(0755) },
	  .want_uid = 1000, .want_gid = 1000, .want_ngroups = -1,
	  .want_fs_path = "/", .want_backing = "/srv/efs" },
	{ .name = "nested access point root created",
	  .ap = AP_DEEP, .transit = 1, .uid = 1000, .gid = 1000,
	  .state = EFS_ROOT_MISSING,
	  .want_create = 1, .want_attr = { 1000, 1000, DIR(0750) },
	  .want_uid = 1000, .want_gid = 1000, .want_ngroups = -1,
	  .want_fs_path = "/a/b/c", .want_backing = "/srv/efs/a/b/c" },
	{ .name = "backing directory /",
	  .backing = "/", .root_directory = "/data",
	  .uid = 1000, .gid = 1000,
	  .state = EFS_ROOT_EXISTS, .root = { 0, 0, DIR(0755) },
	  .want_uid = 1000, .want_gid = 1000, .want_ngroups = -1,
	  .want_fs_path = "/data", .want_backing = "/data" },
};

static void
add_stmt(struct efs_config *cfg, int deny, int principal, unsigned actions)
{
	struct efs_stmt *s = &cfg->policy[cfg->npolicy];

	memset(s, 0, sizeof(*s));
	s->deny = deny;
	s->principal = principal;
	s->actions = actions;
	s->secure_transport = -1;
	s->line = 10 + cfg->npolicy;
	cfg->npolicy++;
	cfg->has_policy = 1;
}

static struct efs_ap *
add_ap(struct efs_config *cfg, const char *id, const char *root)
{
	struct efs_ap *ap = &cfg->aps[cfg->naps++];

	memset(ap, 0, sizeof(*ap));
	snprintf(ap->id, sizeof(ap->id), "%s", id);
	snprintf(ap->root, sizeof(ap->root), "%s", root);
	ap->line = 30 + cfg->naps;
	return ap;
}

static void
set_creation(struct efs_ap *ap, uint32_t uid, uint32_t gid, uint32_t perm)
{
	ap->has_creation = 1;
	ap->owner_uid = uid;
	ap->owner_gid = gid;
	ap->permissions = perm;
}

static void
set_user(struct efs_ap *ap, uint32_t uid, uint32_t gid, unsigned n, const uint32_t *g)
{
	ap->has_posix_user = 1;
	ap->posix_user.uid = uid;
	ap->posix_user.gid = gid;
	ap->posix_user.ngroups = n;
	if (n > 0)
		memcpy(ap->posix_user.groups, g, n * sizeof(*g));
}

/* The configuration of case c, with its one mount. */
static void
build(const struct mp_case *c, struct efs_config *cfg)
{
	static const uint32_t g2000[] = { 2000 };
	struct efs_mount *m;
	struct efs_ap *ap;

	memset(cfg, 0, sizeof(*cfg));
	snprintf(cfg->file, sizeof(cfg->file), "/test/efsap.conf");
	snprintf(cfg->fs_id, sizeof(cfg->fs_id), "fs-local");
	snprintf(cfg->backing, sizeof(cfg->backing), "%s",
	    c->backing != NULL ? c->backing : "/srv/efs");
	cfg->anon_uid = c->anon_uid != 0 ? c->anon_uid : 65534;
	cfg->anon_gid = c->anon_gid != 0 ? c->anon_gid : 65534;

	switch (c->pol) {
	case POL_NO_MOUNT:
		add_stmt(cfg, 0, EFS_PRIN_ANY, EFS_ACT_WRITE);
		break;
	case POL_MOUNT_ONLY:
		add_stmt(cfg, 0, EFS_PRIN_ANY, EFS_ACT_MOUNT);
		break;
	case POL_NO_ROOT:
		add_stmt(cfg, 0, EFS_PRIN_ANY, EFS_ACT_MOUNT | EFS_ACT_WRITE);
		break;
	case POL_DENY_WRITE:
		add_stmt(cfg, 0, EFS_PRIN_ANY, EFS_ACT_ALL);
		add_stmt(cfg, 1, EFS_PRIN_ANY, EFS_ACT_WRITE);
		break;
	case POL_TASK_ONLY:
		add_stmt(cfg, 0, EFS_PRIN_TASK, EFS_ACT_ALL);
		break;
	}

	cfg->task.uid = c->uid;
	cfg->task.gid = c->gid;
	if (c->ngroups == 0) {
		cfg->task.ngroups = 1;
		cfg->task.groups[0] = c->gid;
	} else {
		cfg->task.ngroups = c->ngroups;
		memcpy(cfg->task.groups, c->groups, c->ngroups * sizeof(uint32_t));
	}

	ap = add_ap(cfg, "fsap-agent", "/agent-storage");
	set_creation(ap, 1000, 1000, 0755);
	set_user(ap, 1000, 1000, 1, g2000);
	add_ap(cfg, "fsap-nocreate", "/data");
	ap = add_ap(cfg, "fsap-rootuser", "/rootdir");
	set_creation(ap, 0, 0, 0700);
	set_user(ap, 0, 0, 0, NULL);
	ap = add_ap(cfg, "fsap-locked", "/locked");
	set_creation(ap, 0, 0, 0700);
	set_user(ap, 1000, 1000, 0, NULL);
	add_ap(cfg, "fsap-slash", "/");
	ap = add_ap(cfg, "fsap-deep", "/a/b/c");
	set_creation(ap, 1000, 1000, 0750);

	cfg->nmounts = 1;
	m = &cfg->mounts[0];
	snprintf(m->container_path, sizeof(m->container_path), "%s",
	    c->cpath != NULL ? c->cpath : "/mnt/efs");
	m->ap = c->ap - 1;
	snprintf(m->root_directory, sizeof(m->root_directory), "%s",
	    c->root_directory != NULL ? c->root_directory : "/");
	m->read_only = c->read_only;
	m->iam = c->iam;
	m->transit_encryption = c->transit;
	m->line = 50;
}

static struct efs_config cfg;

START_TEST(test_plan)
{
	const struct mp_case *c = &cases[_i];
	struct efs_mount_plan plan;
	struct efs_cred caller;
	size_t n;
	int rc, k;

	build(c, &cfg);
	efs_cred_from_ident(&cfg.task, &caller);
	rc = efs_mount_plan(&cfg, 0, &caller, c->state,
	    c->state == EFS_ROOT_EXISTS ? &c->root : NULL, &plan);

	ck_assert_msg(rc == c->rc, "%s: rc %d, want %d (%s)", c->name, rc,
	    c->rc, plan.error);
	ck_assert_msg(plan.fail == (c->rc != 0), "%s: fail %d", c->name,
	    plan.fail);
	ck_assert_msg(plan.read_only == c->want_ro, "%s: read_only %d",
	    c->name, plan.read_only);
	ck_assert_msg(plan.create == c->want_create, "%s: create %d",
	    c->name, plan.create);
	if (c->want_create) {
		ck_assert_msg(plan.create_attr.uid == c->want_attr.uid &&
		    plan.create_attr.gid == c->want_attr.gid &&
		    plan.create_attr.mode == c->want_attr.mode,
		    "%s: create_attr %u:%u %o", c->name,
		    plan.create_attr.uid, plan.create_attr.gid,
		    plan.create_attr.mode);
	}
	ck_assert_msg(plan.who.id.uid == c->want_uid &&
	    plan.who.id.gid == c->want_gid, "%s: who %u:%u", c->name,
	    plan.who.id.uid, plan.who.id.gid);
	ck_assert_msg(plan.who.root == c->want_root, "%s: root %d", c->name,
	    plan.who.root);
	if (!c->skip_squashed)
		ck_assert_msg(plan.who.squashed == c->want_squashed,
		    "%s: squashed %d", c->name, plan.who.squashed);
	if (c->want_ngroups >= 0) {
		ck_assert_msg(plan.who.id.ngroups == (unsigned)c->want_ngroups,
		    "%s: %u groups", c->name, plan.who.id.ngroups);
		for (k = 0; k < c->want_ngroups; k++)
			ck_assert_msg(plan.who.id.groups[k] == c->want_groups[k],
			    "%s: group %d is %u", c->name, k,
			    plan.who.id.groups[k]);
	}
	ck_assert_str_eq(plan.fs_path, c->want_fs_path);
	ck_assert_str_eq(plan.backing_root, c->want_backing);
	if (c->want_error == NULL)
		ck_assert_str_eq(plan.error, "");
	else if ((n = strlen(c->want_error)) > 0 && c->want_error[n - 1] == '*')
		ck_assert_msg(strncmp(plan.error, c->want_error, n - 1) == 0,
		    "%s: error [%s]", c->name, plan.error);
	else
		ck_assert_str_eq(plan.error, c->want_error);
}
END_TEST

/* The three decisions are always filled in, even when the mount fails. */
START_TEST(test_decisions_on_failure)
{
	static const struct mp_case c = { .name = "decisions",
	    .pol = POL_NO_MOUNT, .uid = 0, .gid = 0 };
	struct efs_mount_plan plan;
	struct efs_cred caller;

	build(&c, &cfg);
	efs_cred_from_ident(&cfg.task, &caller);
	ck_assert_int_eq(efs_mount_plan(&cfg, 0, &caller, EFS_ROOT_MISSING,
	    NULL, &plan), -EACCES);
	ck_assert_int_eq(plan.dec_mount.allowed, 0);
	ck_assert_int_eq(plan.dec_mount.source, EFS_DEC_IMPLICIT);
	ck_assert_int_eq(plan.dec_write.allowed, 1);
	ck_assert_int_eq(plan.dec_write.source, EFS_DEC_FS_POLICY);
	ck_assert_ptr_eq(plan.dec_write.stmt, &cfg.policy[0]);
	ck_assert_int_eq(plan.dec_root.allowed, 0);
	ck_assert_int_eq(plan.who.squashed, 1);
	ck_assert_int_eq(plan.create, 0);
	ck_assert_str_eq(plan.error, "efsap: mount fs-local:/ on /mnt/efs "
	    "failed: access denied by server (ClientMount not granted: "
	    "denied: no statement allows it (implicit deny))");
}
END_TEST

/* The default policy: all three allowed, by the default policy. */
START_TEST(test_default_policy)
{
	static const struct mp_case c = { .name = "default", .uid = 1000,
	    .gid = 1000 };
	static const struct efs_attr root = { 0, 0, S_IFDIR | 0755 };
	struct efs_mount_plan plan;
	struct efs_cred caller;

	build(&c, &cfg);
	efs_cred_from_ident(&cfg.task, &caller);
	ck_assert_int_eq(efs_mount_plan(&cfg, 0, &caller, EFS_ROOT_EXISTS,
	    &root, &plan), 0);
	ck_assert_int_eq(plan.dec_mount.source, EFS_DEC_DEFAULT);
	ck_assert_int_eq(plan.dec_write.source, EFS_DEC_DEFAULT);
	ck_assert_int_eq(plan.dec_root.source, EFS_DEC_DEFAULT);
	ck_assert(plan.dec_mount.allowed && plan.dec_write.allowed &&
	    plan.dec_root.allowed);
}
END_TEST

/* The caller identity, not the task user, decides without posix_user. */
START_TEST(test_caller_not_task)
{
	static const struct mp_case c = { .name = "caller", .uid = 1000,
	    .gid = 1000 };
	static const struct efs_attr root = { 2000, 2000, S_IFDIR | 0700 };
	struct efs_mount_plan plan;
	struct efs_cred caller;

	build(&c, &cfg);
	efs_cred_from_ident(&cfg.task, &caller);
	caller.euid = 2000;
	caller.egid = 2000;
	ck_assert_int_eq(efs_mount_plan(&cfg, 0, &caller, EFS_ROOT_EXISTS,
	    &root, &plan), 0);
	ck_assert_uint_eq(plan.who.id.uid, 2000);
	ck_assert_uint_eq(plan.who.id.gid, 2000);
}
END_TEST

START_TEST(test_bad_index)
{
	static const struct mp_case c = { .name = "index", .uid = 1000,
	    .gid = 1000 };
	struct efs_mount_plan plan;
	struct efs_cred caller;

	build(&c, &cfg);
	efs_cred_from_ident(&cfg.task, &caller);
	ck_assert_int_eq(efs_mount_plan(&cfg, 1, &caller, EFS_ROOT_MISSING,
	    NULL, &plan), -EINVAL);
	ck_assert_int_eq(plan.fail, 1);
	ck_assert_int_eq(efs_mount_plan(&cfg, -1, &caller, EFS_ROOT_MISSING,
	    NULL, &plan), -EINVAL);
}
END_TEST

Suite *
suite_mountplan(void)
{
	Suite *s;
	TCase *tc;

	s = suite_create("mountplan");
	tc = tcase_create("cases");
	tcase_add_loop_test(tc, test_plan, 0, sizeof(cases) / sizeof(cases[0]));
	tcase_add_test(tc, test_decisions_on_failure);
	tcase_add_test(tc, test_default_policy);
	tcase_add_test(tc, test_caller_not_task);
	tcase_add_test(tc, test_bad_index);
	suite_add_tcase(s, tc);
	return s;
}
