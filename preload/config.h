/* SPDX-License-Identifier: MIT */
/*
 * config.h: the configuration model (SPEC section 2), one for the tool, the
 * library and the tests.  efs_config_load() parses a libconfig file and
 * validates every rule, collecting all errors and warnings with their line.
 */
#ifndef EFSAP_CONFIG_H
#define EFSAP_CONFIG_H

#include "efsap.h"

#define EFS_MAX_MOUNTS	32
#define EFS_MAX_APS	128
#define EFS_MAX_STMTS	64
#define EFS_MAX_DIAGS	128
#define EFS_ID_MAX	128	/* file system and access point ids */
#define EFS_AP_PATH_MAX	100	/* AWS: access point root directory path */

/* Policy actions, as a bit set. */
enum efs_action {
	EFS_ACT_MOUNT = 1,		/* elasticfilesystem:ClientMount */
	EFS_ACT_WRITE = 2,		/* elasticfilesystem:ClientWrite */
	EFS_ACT_ROOT = 4,		/* elasticfilesystem:ClientRootAccess */
	EFS_ACT_ALL = 7			/* elasticfilesystem:Client* */
};

enum efs_principal {
	EFS_PRIN_ANY = 0,		/* "*": anyone, anonymous included */
	EFS_PRIN_TASK = 1		/* "task": the task role (iam mounts only) */
};

struct efs_stmt {
	int deny;			/* effect: 1 "Deny", 0 "Allow" */
	int principal;			/* enum efs_principal; EFS_PRIN_TASK in role_policy */
	unsigned actions;		/* enum efs_action bits */
	char access_point[EFS_ID_MAX];	/* condition; "" when absent */
	int secure_transport;		/* condition: -1 absent, else 0 or 1 */
	int line;
};

struct efs_ap {
	char id[EFS_ID_MAX];
	char root[EFS_AP_PATH_MAX + 1];	/* root_directory.path, "/" by default */
	int has_creation;
	uint32_t owner_uid;
	uint32_t owner_gid;
	uint32_t permissions;		/* mode bits, 07777 at most */
	int has_posix_user;
	struct efs_ident posix_user;	/* secondary_gids in groups, at most 16 */
	int line;
};

struct efs_mount {
	char container_path[EFS_PATH_MAX];	/* absolute, normalised, not "/" */
	int ap;				/* index into access_points, -1 for none */
	char root_directory[EFS_PATH_MAX];	/* "/" by default */
	int read_only;
	int iam;
	int transit_encryption;
	int line;
};

struct efs_config {
	char file[EFS_PATH_MAX];	/* absolute path of the file; "" for the built-in default */
	char fs_id[EFS_ID_MAX];		/* "fs-local" by default */
	char backing[EFS_PATH_MAX];	/* absolute, normalised backing directory */
	uint32_t anon_uid;
	uint32_t anon_gid;
	int has_policy;			/* file_system.policy given (else the default EFS policy) */
	int npolicy;
	struct efs_stmt policy[EFS_MAX_STMTS];
	struct efs_ident task;		/* task.user and task.groups, or the invoking user's */
	int has_role_policy;
	int nrole;
	struct efs_stmt role[EFS_MAX_STMTS];	/* principal is EFS_PRIN_TASK */
	int naps;
	struct efs_ap aps[EFS_MAX_APS];
	int nmounts;
	struct efs_mount mounts[EFS_MAX_MOUNTS];
};

struct efs_diag {
	char file[EFS_PATH_MAX];
	int line;			/* 0 when no line applies */
	int warning;			/* 1 warning, 0 error */
	char msg[256];
};

struct efs_diags {
	int n;				/* entries in d[] */
	int nerrors;
	int nwarnings;
	int dropped;			/* diagnostics beyond EFS_MAX_DIAGS */
	struct efs_diag d[EFS_MAX_DIAGS];
};

/*
 * Load and validate FILE into *cfg.  The invoking user's ids (for the task
 * defaults) are passed in so that the function stays deterministic:
 * `invoker` is the real uid, gid and groups of the process.
 * Returns 0 when the file is valid (warnings may be present), -EINVAL when
 * it is not (every error is in *d), or -errno when it cannot be read
 * (a diagnostic with line 0 says why).
 */
int efs_config_load(const char *file, const struct efs_ident *invoker,
    struct efs_config *cfg, struct efs_diags *d);

/*
 * Fill *cfg with the built-in default: a file system in CWD/efs-data,
 * mounted at /mnt/efs, no access point, no policy, the invoker as task user.
 * Returns 0, or -ENAMETOOLONG.
 */
int efs_config_default(const char *cwd, const struct efs_ident *invoker,
    struct efs_config *cfg);

/* Write every diagnostic as "FILE:LINE: error: MESSAGE\n" (or "warning") into fd. */
void efs_diags_print(const struct efs_diags *d, int fd);

/* The access point of mount m, or NULL. */
const struct efs_ap *efs_config_ap(const struct efs_config *cfg, const struct efs_mount *m);

#endif
