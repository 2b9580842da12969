/* SPDX-License-Identifier: MIT */
/*
 * mountplan.h: what happens when a mount is made (SPEC 5.1), pure.  The
 * same plan drives `efsap check --explain` and the library's start-up, so
 * that the two always agree.
 */
#ifndef EFSAP_MOUNTPLAN_H
#define EFSAP_MOUNTPLAN_H

#include "config.h"
#include "ident.h"
#include "policy.h"

/* State of the mount's root directory in the backing store, found by the caller. */
enum efs_root_state {
	EFS_ROOT_EXISTS = 0,		/* a directory; its attributes are given */
	EFS_ROOT_MISSING = 1,		/* does not exist */
	EFS_ROOT_NOTDIR = 2		/* exists but is not a directory */
};

struct efs_mount_plan {
	char fs_path[EFS_PATH_MAX];	/* the root inside the file system, e.g. "/agent-storage" */
	char backing_root[EFS_PATH_MAX];	/* cfg->backing + fs_path */
	struct efs_decision dec_mount;
	struct efs_decision dec_write;
	struct efs_decision dec_root;
	struct efs_who who;		/* server identity (after squashing) */
	int read_only;			/* read_only = true or ClientWrite denied */
	int create;			/* the root directory (and missing parents) will be created */
	struct efs_attr create_attr;	/* with this owner, group and mode (S_IFDIR included) */
	int fail;			/* the mount fails */
	char error[512];		/* the mount.nfs4-style message when it fails, see below */
};

/*
 * Plan mount number `index` of cfg for a process whose caller identity is
 * *caller.  `state` and *root_attr (when EXISTS) describe the root directory
 * as found in the backing store.  The checks are in SPEC order: ClientMount,
 * then the root directory (created from creation_info through an access
 * point; missing without one: "No such file or directory"), then search
 * permission on the root for the server identity.
 * On failure plan->error holds the whole line, e.g.
 * "efsap: mount fs-local:/agent-storage on /shared-storage failed: access denied by server (the access point's root directory does not exist and it has no creation_info)"
 * Returns 0 when the mount succeeds, -EACCES or -ENOENT when it fails.
 */
int efs_mount_plan(const struct efs_config *cfg, int index, const struct efs_cred *caller,
    enum efs_root_state state, const struct efs_attr *root_attr,
    struct efs_mount_plan *plan);

#endif
