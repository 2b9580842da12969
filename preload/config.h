/* SPDX-License-Identifier: MIT */
/*
 * config.h: the configuration model (SPEC section 2), one for the tool, the
 * library and the tests.  efs_config_load() (config_parse.c) parses a
 * libconfig file and validates every rule, collecting all errors and
 * warnings with their line; the rest is config.c's, without libconfig.
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
#define EFS_ARN_MAX	2048	/* an IAM role ARN (AWS allows 2048 characters) */
#define EFS_MAX_CONDS	256	/* IAM condition (operator, key) pairs, both policies */
#define EFS_IAM_POOL	65536	/* bytes of IAM strings (Sid, principals, resources, values) */

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

/*
 * A list of strings in efs_config.pool: n strings, each ended by NUL, one
 * after the other from offset off.  No pointers, so that a configuration
 * can be copied and serialized as it is.
 */
struct efs_strs {
	uint32_t off;
	uint32_t n;
};

/* How an IAM statement names its principal. */
enum efs_prin_form {
	EFS_PF_NONE = 0,		/* no Principal: an identity policy (or a simplified statement) */
	EFS_PF_PRINCIPAL = 1,		/* Principal */
	EFS_PF_NOT = 2			/* NotPrincipal */
};

/* The condition operators efsap evaluates (IAM names, without IfExists). */
enum efs_cond_op {
	EFS_OP_UNKNOWN = 0,
	EFS_OP_STRING_EQUALS,
	EFS_OP_STRING_NOT_EQUALS,
	EFS_OP_STRING_EQUALS_IC,	/* StringEqualsIgnoreCase */
	EFS_OP_STRING_NOT_EQUALS_IC,	/* StringNotEqualsIgnoreCase */
	EFS_OP_STRING_LIKE,
	EFS_OP_STRING_NOT_LIKE,
	EFS_OP_ARN_EQUALS,
	EFS_OP_ARN_LIKE,
	EFS_OP_ARN_NOT_EQUALS,
	EFS_OP_ARN_NOT_LIKE,
	EFS_OP_BOOL,
	EFS_OP_NULL
};

/* The condition keys an EFS client request carries. */
enum efs_cond_key {
	EFS_KEY_UNKNOWN = 0,
	EFS_KEY_SECURE_TRANSPORT,	/* aws:SecureTransport */
	EFS_KEY_VIA_MOUNT_TARGET,	/* elasticfilesystem:AccessedViaMountTarget */
	EFS_KEY_ACCESS_POINT_ARN,	/* elasticfilesystem:AccessPointArn */
	EFS_KEY_PRINCIPAL_ARN		/* aws:PrincipalArn */
};

/* One operator and key of a Condition block, with its values (OR). */
struct efs_cond {
	int op;				/* enum efs_cond_op */
	int if_exists;			/* the ...IfExists form */
	int key;			/* enum efs_cond_key */
	uint32_t op_name;		/* pool offset: the operator as written */
	uint32_t key_name;		/* pool offset: the key as written */
	struct efs_strs values;
};

/* Where a policy came from. */
enum efs_policy_form {
	EFS_FORM_LIST = 0,		/* a libconfig list of simplified statements */
	EFS_FORM_JSON = 1,		/* a string holding an IAM policy document */
	EFS_FORM_FILE = 2		/* policy_file / role_policy_file */
};

struct efs_policy_src {
	int form;			/* enum efs_policy_form */
	int line;			/* of the setting in the configuration */
	char file[EFS_PATH_MAX];	/* EFS_FORM_FILE: the absolute path */
};

struct efs_stmt {
	int deny;			/* effect: 1 "Deny", 0 "Allow" */
	int principal;			/* enum efs_principal; EFS_PRIN_TASK in role_policy */
	unsigned actions;		/* enum efs_action bits (IAM: Action/NotAction, matched) */
	char access_point[EFS_ID_MAX];	/* condition; "" when absent */
	int secure_transport;		/* condition: -1 absent, else 0 or 1 */
	int line;			/* of the statement, or of the policy setting (IAM) */
	/* IAM policy JSON only (iam = 1): */
	int iam;
	int index;			/* 0-based position in Statement */
	int jline;			/* line in the JSON document, 0 when unknown */
	uint32_t sid;			/* pool offset of Sid; 0 (the empty string) when none */
	int prin_form;			/* enum efs_prin_form */
	int prin_any;			/* "*" or {"AWS": "*"} is among the principals */
	struct efs_strs prin;		/* AWS principals: ARNs, account roots as arn:...:root */
	int not_resource;		/* NotResource rather than Resource */
	int has_resource;
	struct efs_strs res;
	int cond;			/* conds[cond .. cond + ncond) */
	int ncond;
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
	/*
	 * efsap run --image: what the image has at container_path, which the
	 * mount hides ("1000:1000 0755, layer 3 (sha256:...): RUN chown ..."),
	 * for the denial hint; "" otherwise.  Never read from a file.
	 */
	char image_note[512];
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
	struct efs_policy_src policy_src;
	struct efs_ident task;		/* task.user and task.groups, or the invoking user's */
	int has_task_user;		/* task.user was given (it overrides an image's User) */
	int has_role_policy;
	int nrole;
	struct efs_stmt role[EFS_MAX_STMTS];	/* principal is EFS_PRIN_TASK */
	struct efs_policy_src role_src;
	char role_arn[EFS_ARN_MAX];	/* task.role_arn, "" when not given */
	char account[16];		/* task.account: 12 digits, "" when not given */
	char region[32];		/* task.region, "" when not given */
	int ec2;			/* task.launch_type "EC2" (1) or "FARGATE" (0, the default) */
	/*
	 * efsap run --image: "/" is the image, a local POSIX file system whose
	 * records the unpack wrote, decided with the caller identity (SPEC
	 * 5.9); set by the launcher in the compiled form, never read from a file.
	 */
	int image;
	int nconds;
	struct efs_cond conds[EFS_MAX_CONDS];
	uint32_t pool_used;		/* bytes of pool in use; offset 0 is "" */
	char pool[EFS_IAM_POOL];
	int naps;
	struct efs_ap aps[EFS_MAX_APS];
	int nmounts;
	struct efs_mount mounts[EFS_MAX_MOUNTS];
};

struct efs_diag {
	char file[EFS_PATH_MAX];
	int line;			/* 0 when no line applies */
	int column;			/* 0 when no column applies (JSON files have one) */
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

/*
 * Write every diagnostic as "FILE:LINE: error: MESSAGE\n" (or "warning";
 * "FILE:LINE:COLUMN: ..." when it has a column) into fd.
 */
void efs_diags_print(const struct efs_diags *d, int fd);

/*
 * Clear cfg's scalars (the arrays are written element by element as they
 * fill) and set the defaults: fs-local, anonymous 65534, the invoker (may
 * be NULL) as the task user.
 */
void efs_config_clear(const struct efs_ident *invoker, struct efs_config *cfg);

/*
 * Lexical path normalisation: in is absolute; "." and empty components
 * go, ".." removes the previous component (and stays at "/").  And dir
 * (absolute) joined with rel, normalised (an absolute rel ignores dir).
 * 0 or -ENAMETOOLONG.
 */
int efs_config_path_normalise(const char *in, char *out, size_t len);
int efs_config_path_join(const char *dir, const char *rel, char *out, size_t len);

/* String at pool offset off of cfg ("" for a bad offset). */
const char *efs_config_str(const struct efs_config *cfg, uint32_t off);

/*
 * The ARN of the file system, or of access point ap_id when not NULL, as
 * AWS forms it: arn:PARTITION:elasticfilesystem:REGION:ACCOUNT:file-system/ID
 * (access-point/ID).  Returns 0, or -ENOENT when task.account or
 * task.region is missing, -ENAMETOOLONG when it does not fit.
 */
int efs_config_arn(const struct efs_config *cfg, const char *ap_id,
    char *buf, size_t len);

/* The access point of mount m, or NULL. */
const struct efs_ap *efs_config_ap(const struct efs_config *cfg, const struct efs_mount *m);

#endif
