/* SPDX-License-Identifier: MIT */
/*
 * owner.h: where recorded owner, group and mode live: the one place that
 * persists them.  Regular files and directories carry an xattr
 * (EFS_ATTR_XATTR); symbolic links, FIFOs and sockets, which cannot, have a
 * record in the sidecar store beside the backing directory, keyed by inode.
 */
#ifndef EFSAP_OWNER_H
#define EFSAP_OWNER_H

#include <stdint.h>
#include <sys/stat.h>

#include "efsap.h"

/* getxattrat(2) and setxattrat(2), Linux 6.13; glibc 2.36 has no wrappers. */
#define EFS_SYS_setxattrat	463
#define EFS_SYS_getxattrat	464

struct efs_xattr_args {
	uint64_t value;		/* pointer to the value buffer */
	uint32_t size;
	uint32_t flags;
};

/* Attributes of the object at backing path babs whose lstat is *st: 0 or -errno. */
int efs_owner_get(const char *babs, const struct stat *st, struct efs_attr *a) EFS_HIDDEN;
int efs_owner_fget(int fd, const struct stat *st, struct efs_attr *a) EFS_HIDDEN;
/* The same for the object at (dirfd, rel), which is babs: one short path walk when the kernel can. */
int efs_owner_getat(int dirfd, const char *rel, const char *babs, const struct stat *st,
    struct efs_attr *a) EFS_HIDDEN;

/* Record *a for the object (and give it the matching real mode): 0 or -errno. */
int efs_owner_set(const char *babs, const struct stat *st, const struct efs_attr *a) EFS_HIDDEN;
int efs_owner_fset(int fd, const struct stat *st, const struct efs_attr *a) EFS_HIDDEN;
/* The same for the object at (dirfd, rel), which is babs. */
int efs_owner_setat(int dirfd, const char *rel, const char *babs, const struct stat *st,
    const struct efs_attr *a) EFS_HIDDEN;

/* Does an object of this type keep its record in the store (not in an xattr)? */
int efs_owner_in_store(mode_t mode) EFS_HIDDEN;

/*
 * An object with lstat *st is about to lose a name (unlink, rmdir, rename
 * over it).  When that is the last name of an object recorded in the
 * store, its record is taken out now, while the object still holds its
 * inode, so that a new object given the same inode afterwards cannot lose
 * its record to us; *saved keeps it.  Returns 1 when a record was taken:
 * then efs_owner_unforget() puts it back if the call fails.
 */
int efs_owner_forget(const struct stat *st, struct efs_attr *saved) EFS_HIDDEN;
void efs_owner_unforget(const struct stat *st, const struct efs_attr *saved) EFS_HIDDEN;

/* Serialise read-modify-write of one object's record across processes (efs_store_lock). */
int efs_owner_lock(const struct stat *st) EFS_HIDDEN;
void efs_owner_unlock(const struct stat *st, int taken) EFS_HIDDEN;

#endif
