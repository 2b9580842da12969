/* SPDX-License-Identifier: MIT */
/*
 * import.h: the model `efsap import` builds from AWS documents (ECS task
 * definitions, EFS CLI output, IAM policy documents, `terraform show
 * -json`) before it writes a configuration.  import.c holds the command
 * and the shared helpers, import_aws.c recognises the documents and reads
 * the AWS ones, import_tf.c Terraform's, import_join.c joins the model,
 * import_emit.c writes efsap.conf; import_name.c holds the pure decisions
 * on names.
 *
 * Every value keeps where it came from: a "source", the string
 * "FILE: $.json.path", which becomes the value's comment in the
 * configuration and names the place in an error.
 */
#ifndef EFSAP_IMPORT_H
#define EFSAP_IMPORT_H

#include <stdarg.h>

#include <jansson.h>

#include "config.h"

#define IMP_MAX		128	/* documents, file systems, access points */
#define IMP_SEC_MAX	16	/* AWS: at most 16 secondary gids */

struct imp_fs {
	char *id, *id_src;
	char *arn, *arn_src;
	char *owner, *owner_src;	/* OwnerId: the account */
	char *name;			/* the Name tag, for a comment */
};

struct imp_ap {
	char *where;			/* source of the whole access point */
	char *name;			/* the Name tag, for a comment */
	char *id, *id_src;
	char *fs_id, *fs_src;
	char *arn, *arn_src;
	char *owner, *owner_src;
	char *root, *root_src;		/* "/" when the document has none */
	int has_ci;
	long long ci_uid, ci_gid;
	char *perms;			/* as written: "755", "0750" */
	char *ci_uid_src, *ci_gid_src;
	char *perms_src;
	int has_pu;
	long long pu_uid, pu_gid;
	int nsec;
	long long sec[IMP_SEC_MAX];
	char *pu_uid_src, *pu_gid_src;
	char *sec_src;
};

/* A policy document, parsed. */
struct imp_policy {
	json_t *doc;			/* owned reference */
	char *src;
	char *fs_id;			/* its file system, or NULL */
	char *role;			/* its role's name, or NULL */
	int resource;			/* a statement names a Principal */
	int from_tf;			/* from Terraform (other roles' too) */
};

struct imp_volume {
	char *name, *where;
	int efs;			/* has an EFS volume configuration */
	char *fs_id, *fs_src;
	char *root, *root_src;		/* NULL when absent */
	int tls;
	char *tls_src;			/* NULL when absent (DISABLED) */
	int iam;
	char *iam_src;
	char *ap, *ap_src;
};

struct imp_task {
	const char *file;
	char *where;
	char *arn, *arn_src;		/* taskDefinitionArn */
	char *role_arn, *role_src;	/* taskRoleArn */
	json_t *containers;		/* owned: containerDefinitions */
	char *containers_path;		/* its source, a prefix */
	int nvol;
	struct imp_volume vol[IMP_MAX];
};

struct imp {
	int errors;
	int nfs, naps, npol, ntask;
	struct imp_fs fs[IMP_MAX];
	struct imp_ap aps[IMP_MAX];
	struct imp_policy pol[IMP_MAX];
	struct imp_task task[IMP_MAX];
	int nkeep, capkeep;
	void **keep;			/* every string above, freed last */
	int nfiles;
	char *files[IMP_MAX];		/* "FILE: what it was read as" */
};

/* A mount to write: a mount point of the container and its volume. */
struct imp_mount {
	char *cpath, *cpath_src;
	int ro;
	char *ro_src;
	struct imp_volume *vol;
	struct imp_ap *ap;
};

/* The configuration to write, joined from the model. */
struct imp_joined {
	struct imp_task *task;
	json_t *container;
	char *cprefix;			/* source of the container */
	char *cname;
	char *user, *user_src;
	int nm;
	struct imp_mount m[EFS_MAX_MOUNTS];
	char *fs_id, *fs_src;
	struct imp_fs *fs;
	struct imp_policy *fs_policy;
	int nrole;
	struct imp_policy *role[IMP_MAX];
	char *role_arn, *role_src;
	char *account, *account_src;
	char *region, *region_src;
};

/* Report an error (counted) or a warning about a place ("FILE: $.path"). */
void imp_error(struct imp *im, const char *where, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void imp_warn(const char *where, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* A string that lives as long as *im (freed by imp_free()). */
char *imp_printf(struct imp *im, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
char *imp_strdup(struct imp *im, const char *s);

/* JSON paths: "$" + ".key" or "[i]". */
char *imp_key(struct imp *im, const char *path, const char *key);
char *imp_idx(struct imp *im, const char *path, size_t i);
/* "FILE: PATH" */
char *imp_src(struct imp *im, const char *file, const char *path);

/*
 * Typed members.  Each returns 1 when present with the right type, 0 when
 * absent or null, -1 (an error is reported) when of another type.
 * imp_int accepts an integer or a string of decimal digits (Terraform
 * writes numbers both ways) in 0..4294967295.
 */
int imp_str(struct imp *im, const char *file, json_t *o, const char *path,
    const char *key, char **out);
int imp_int(struct imp *im, const char *file, json_t *o, const char *path,
    const char *key, long long *out);
/* ENABLED/DISABLED (or a JSON boolean): 1, 0, or -1 on error; absent: 0. */
int imp_enabled(struct imp *im, const char *file, json_t *o, const char *path,
    const char *key, int *out);

/*
 * The secondary gids of an access point, a JSON array at path, into *ap
 * (whose sec_src names the array); errors are reported.
 */
void imp_gids(struct imp *im, const char *file, json_t *a, const char *path,
    struct imp_ap *ap);

/*
 * Parse a JSON document held in a string (a Policy, Terraform's
 * container_definitions).  NULL, with an error naming the line and column
 * inside the string, when malformed.
 */
json_t *imp_parse_string(struct imp *im, const char *file, const char *path,
    const char *text);

/* Add what the documents hold; return 0 or -1 (errors reported). */
int imp_add_policy(struct imp *im, json_t *doc, const char *file,
    const char *path, const char *fs_id, const char *role, int from_tf);
int imp_add_ap(struct imp *im, const struct imp_ap *ap);
int imp_add_fs(struct imp *im, const struct imp_fs *fs);

/*
 * Read an ECS container list and volumes into a new task: shared by the
 * task definition JSON and Terraform (whose volume blocks import_tf.c
 * converts).  Returns the task, or NULL when there are too many.
 */
struct imp_task *imp_new_task(struct imp *im, const char *file,
    const char *where);

/* Recognise one document by its content and read it into *im. */
void imp_read_document(struct imp *im, const char *file, json_t *root);

/* Terraform `show -json` of a plan or a state. */
void imp_read_terraform(struct imp *im, const char *file, json_t *root);

/*
 * Join the model into *j (zeroed) for container `container` (or the only
 * one).  Returns 0, or -1 when an error was reported.
 */
int imp_join(struct imp *im, struct imp_joined *j, const char *container);

/* The task role's policy: one document or the union of several (a new
 * reference). */
json_t *imp_role_policy(const struct imp_joined *j);

/*
 * Join the model into a configuration for container `container` (or the
 * only one), write it to out_file (NULL: stdout) after validating it.
 * Returns the exit status: 0, or 2 when nothing was written.
 */
int imp_emit(struct imp *im, const char *container, const char *out_file);

void imp_free(struct imp *im);

#endif
