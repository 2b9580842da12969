/* SPDX-License-Identifier: MIT */
/*
 * mountplan.c: what happens when a mount is made (SPEC 5.1), pure.
 *
 * The library's start-up and `efsap check --explain` both call
 * efs_mount_plan(), so that what the tool predicts is what the library
 * does.  The caller looks at the backing store and passes the state of the
 * root directory; nothing here touches the file system.
 *
 * Choices where EFS is silent or where the emulation has to pick:
 *
 * - The policy decisions, the server identity and read_only are filled in
 *   even when the mount fails, so that an explanation can show them.
 * - A read-only mount (read_only = true, or ClientWrite not granted) still
 *   creates a missing access point root from creation_info: EFS creates it
 *   on the server side, not through the client's (read-only) credentials.
 * - A root directory created from creation_info that its own server
 *   identity cannot search fails the mount, as on EFS; `create` stays 1 in
 *   that case, because EFS has created the directory by then.
 * - A missing file system root ("/", the backing directory itself) is a new
 *   file system: it is created owned by 0:0 with mode 0755 (SPEC 5.1), with
 *   or without an access point.
 * - A root directory that is not a directory fails with "Not a directory",
 *   through an access point too.
 *
 * Besides -EACCES and -ENOENT, efs_mount_plan() returns -ENOTDIR for that
 * case, -ENAMETOOLONG when backing + root does not fit in a path, and
 * -EINVAL for a bad index or state; plan->fail and plan->error are set for
 * every failure.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "mountplan.h"
#include "perm.h"

#define NEWFS_MODE	0755	/* the root of a new EFS file system */

/* The access point of m, or NULL (efs_config_ap() without config.c). */
static const struct efs_ap *
plan_ap(const struct efs_config *cfg, const struct efs_mount *m)
{
	if (m->ap < 0 || m->ap >= cfg->naps)
		return NULL;
	return &cfg->aps[m->ap];
}

/*
 * backing + fs_path into out; "/" is the backing directory itself.
 * Returns 0 or -ENAMETOOLONG.
 */
static int
plan_backing(const char *backing, const char *fs_path, char *out, size_t len)
{
	int n;

	if (strcmp(fs_path, "/") == 0)
		n = snprintf(out, len, "%s", backing);
	else if (strcmp(backing, "/") == 0)
		n = snprintf(out, len, "%s", fs_path);
	else
		n = snprintf(out, len, "%s%s", backing, fs_path);
	if (n < 0 || (size_t)n >= len) {
		out[0] = '\0';
		return -ENAMETOOLONG;
	}
	return 0;
}

/*
 * Fail the plan with "efsap: mount FS:PATH on CPATH failed" followed by
 * sep and the reason (": access denied by server (...)" or ", reason
 * given by server: ...").  Returns rc.
 */
static int
plan_fail(struct efs_mount_plan *plan, const struct efs_config *cfg,
    const struct efs_mount *m, int rc, const char *sep, const char *reason)
{
	size_t len = sizeof(plan->error);
	int n;

	plan->fail = 1;
	n = snprintf(plan->error, len, "efsap: mount %s:%s on %s failed%s%s",
	    cfg->fs_id, plan->fs_path, m->container_path, sep, reason);
	if (n < 0 || (size_t)n >= len)		/* long paths: say so */
		memcpy(plan->error + len - 4, "...", 4);
	return rc;
}

/* The search check on the (existing or new) root directory. */
static int
plan_search(struct efs_mount_plan *plan, const struct efs_config *cfg,
    const struct efs_mount *m, const struct efs_attr *root)
{
	char reason[256];

	if (efs_perm_search(&plan->who, root) == 0)
		return 0;
	snprintf(reason, sizeof(reason), "access denied by server "
	    "(server identity %u:%u lacks search permission on the root "
	    "directory owner %u:%u mode %04o)",
	    (unsigned)plan->who.id.uid, (unsigned)plan->who.id.gid,
	    (unsigned)root->uid, (unsigned)root->gid,
	    (unsigned)(root->mode & 07777));
	return plan_fail(plan, cfg, m, -EACCES, ": ", reason);
}

int
efs_mount_plan(const struct efs_config *cfg, int index,
    const struct efs_cred *caller, enum efs_root_state state,
    const struct efs_attr *root_attr, struct efs_mount_plan *plan)
{
	const struct efs_mount *m;
	const struct efs_ap *ap;
	char reason[384], desc[256];
	int toolong;

	memset(plan, 0, sizeof(*plan));
	if (index < 0 || index >= cfg->nmounts) {
		plan->fail = 1;
		snprintf(plan->error, sizeof(plan->error),
		    "efsap: mount number %d does not exist", index);
		return -EINVAL;
	}
	m = &cfg->mounts[index];
	ap = plan_ap(cfg, m);

	/* Everything an explanation shows, whatever happens next. */
	efs_policy_decide(cfg, m, EFS_ACT_MOUNT, &plan->dec_mount);
	efs_policy_decide(cfg, m, EFS_ACT_WRITE, &plan->dec_write);
	efs_policy_decide(cfg, m, EFS_ACT_ROOT, &plan->dec_root);
	plan->read_only = m->read_only || !plan->dec_write.allowed;
	efs_server_who(cfg, m, caller, plan->dec_root.allowed, &plan->who);
	snprintf(plan->fs_path, sizeof(plan->fs_path), "%s",
	    ap != NULL ? ap->root : m->root_directory);
	if (plan->fs_path[0] == '\0')
		strcpy(plan->fs_path, "/");
	toolong = plan_backing(cfg->backing, plan->fs_path,
	    plan->backing_root, sizeof(plan->backing_root));

	/* 1. ClientMount. */
	if (!plan->dec_mount.allowed) {
		snprintf(reason, sizeof(reason), "access denied by server "
		    "(ClientMount not granted: %s)",
		    efs_decision_describe(&plan->dec_mount, desc,
		    sizeof(desc)));
		return plan_fail(plan, cfg, m, -EACCES, ": ", reason);
	}
	if (toolong != 0)
		return plan_fail(plan, cfg, m, toolong,
		    ", reason given by server: ", "File name too long");

	/* 2, 3. The root directory. */
	switch (state) {
	case EFS_ROOT_EXISTS:
		if (root_attr == NULL)
			return plan_fail(plan, cfg, m, -EINVAL, ": ",
			    "no attributes given for the root directory");
		return plan_search(plan, cfg, m, root_attr);
	case EFS_ROOT_NOTDIR:
		return plan_fail(plan, cfg, m, -ENOTDIR,
		    ", reason given by server: ", "Not a directory");
	case EFS_ROOT_MISSING:
		break;
	default:
		return plan_fail(plan, cfg, m, -EINVAL, ": ",
		    "unknown root directory state");
	}
	if (strcmp(plan->fs_path, "/") == 0) {
		/* A new file system (the backing directory is missing). */
		plan->create = 1;
		plan->create_attr.uid = 0;
		plan->create_attr.gid = 0;
		plan->create_attr.mode = S_IFDIR | NEWFS_MODE;
		return plan_search(plan, cfg, m, &plan->create_attr);
	}
	if (ap == NULL)
		return plan_fail(plan, cfg, m, -ENOENT,
		    ", reason given by server: ", "No such file or directory");
	if (!ap->has_creation)
		return plan_fail(plan, cfg, m, -EACCES, ": ",
		    "access denied by server (the access point's root "
		    "directory does not exist and it has no creation_info)");
	/* Created even on a read-only mount: see the comment at the top. */
	plan->create = 1;
	plan->create_attr.uid = ap->owner_uid;
	plan->create_attr.gid = ap->owner_gid;
	plan->create_attr.mode = S_IFDIR | (ap->permissions & 07777);
	return plan_search(plan, cfg, m, &plan->create_attr);
}
