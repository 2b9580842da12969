/* SPDX-License-Identifier: MIT */
/*
 * act.h: the decisions every wrapper family shares, made with the server
 * identity on resolved objects, each blaming the refusing object for the
 * log; and the bookkeeping after an object is created.
 */
#ifndef EFSAP_ACT_H
#define EFSAP_ACT_H

#include "decide.h"
#include "resolve.h"

/*
 * The decisions' input for r's object (decide.h): rc is what efs_resolve
 * returned for it (EFS_NOT_MAPPED: outside every mount, mount -1 and
 * nothing else known); path the program's, to tell ".." from ".", or NULL.
 */
void efs_dobj_from(const struct efs_res *r, int rc, const char *path, struct efs_dobj *d)
    EFS_HIDDEN;

/* The decisions' view of mount mt. */
static inline struct efs_dmnt
efs_dmnt_of(const struct efs_mnt *mt)
{
	struct efs_dmnt m = { &mt->who, mt->erofs };

	return m;
}

/*
 * Carry out verdict v's side of a decision on the call: blame the object
 * it names (o the old or only object, n the new name: their records and
 * program-view paths) for the log, and drop cached resolutions when it
 * says they go stale.  Returns v->err.
 */
int efs_verdict_apply(struct efs_call *c, const struct efs_verdict *v,
    const struct efs_res *o, const struct efs_res *n) EFS_HIDDEN;

/* The write gate (SPEC 5.4) of r's mount: efs_decide_gate, applied (-EROFS). */
int efs_write_gate(struct efs_call *c, const struct efs_res *r) EFS_HIDDEN;

/* Access with mask (EFS_MAY_*) to r's existing object: efs_decide_access, applied. */
int efs_need_access(struct efs_call *c, const struct efs_res *r, int mask) EFS_HIDDEN;

/* Creating r's final component: efs_decide_create, applied. */
int efs_need_create(struct efs_call *c, const struct efs_res *r) EFS_HIDDEN;

/*
 * Open r's object, which must exist and be a directory the server identity
 * may read, for reading its entries: a descriptor (close-on-exec), or
 * -ENOENT, -ENOTDIR, -EACCES, -errno.
 */
int efs_open_dir(struct efs_call *c, const struct efs_res *r) EFS_HIDDEN;

/*
 * After a successful write or truncate by a non-root identity of mount mt:
 * clear the set-id bits of the regular file's record, under its lock
 * (POSIX; Linux clears S_ISGID only with group execute).  fd >= 0 names
 * the file, else babs.  Locks and re-reads only when the known attributes
 * *a carry a set-id bit.
 */
void efs_clear_setid(const struct efs_mnt *mt, int fd, const char *babs,
    const struct stat *st, const struct efs_attr *a) EFS_HIDDEN;

/* The parent of r's object in the program's view, for messages. */
void efs_parent_view(const struct efs_res *r, char *buf, size_t len) EFS_HIDDEN;

/* Blame the server identity's refusal on an object: EFS_WHY_SQUASH or EFS_WHY_PERM. */
int efs_perm_why(const struct efs_res *r) EFS_HIDDEN;

#endif
