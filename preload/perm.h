/* SPDX-License-Identifier: MIT */
/*
 * perm.h: the emulated server's POSIX decisions (SPEC 5.2, 5.3), pure.
 * Every function judges with the server identity `who` and the recorded
 * attributes; none looks at the process or the kernel.
 * Return 0 when allowed, else -EACCES or -EPERM as POSIX says.
 */
#ifndef EFSAP_PERM_H
#define EFSAP_PERM_H

#include "efsap.h"

#define EFS_MAY_EXEC	1	/* same values as X_OK, W_OK, R_OK */
#define EFS_MAY_WRITE	2
#define EFS_MAY_READ	4

/*
 * Access with mask (EFS_MAY_* bits) to an object.  Root bypasses every
 * check, except that executing a non-directory needs at least one x bit.
 * The class is chosen as POSIX says: owner, else group (gid or groups),
 * else other; only that class's bits count.  -EACCES when refused.
 */
int efs_perm_access(const struct efs_who *who, const struct efs_attr *obj, int mask);

/* Search (x) on a directory along a path: efs_perm_access(..., EFS_MAY_EXEC). */
int efs_perm_search(const struct efs_who *who, const struct efs_attr *dir);

/* Create or remove an entry in dir: w and x on it.  -EACCES. */
int efs_perm_dir_write(const struct efs_who *who, const struct efs_attr *dir);

/*
 * Remove or rename away entry `obj` of dir: w+x on dir (-EACCES), and for a
 * sticky dir root, the entry's owner or the dir's owner (-EPERM).
 */
int efs_perm_delete(const struct efs_who *who, const struct efs_attr *dir,
    const struct efs_attr *obj);

/*
 * The attributes of a new object of type `type` (S_IFREG, S_IFDIR, ...)
 * created in `parent` with the requested mode and the process umask:
 * owner = who uid; group = parent's gid when the parent is setgid (and a
 * new directory inherits S_ISGID), else who gid; mode = mode & ~umask
 * (symbolic links are 0777).  Never fails.
 */
void efs_perm_new_attr(const struct efs_who *who, const struct efs_attr *parent,
    uint32_t type, uint32_t mode, uint32_t umask, struct efs_attr *out);

/*
 * chown(obj, uid, gid), (uint32_t)-1 meaning unchanged.  Changing the
 * owner: root only.  Changing the group: root, or the owner to one of its
 * groups.  A chown that changes nothing is allowed to the owner (and root).
 * On success *out holds the new attributes: for a non-directory whose
 * owner or group changed, S_ISUID is cleared, and S_ISGID when group
 * execute is set (Linux), for root too.  -EPERM.
 */
int efs_perm_chown(const struct efs_who *who, const struct efs_attr *obj,
    uint32_t uid, uint32_t gid, struct efs_attr *out);

/*
 * chmod(obj, mode): root or the owner, else -EPERM.  A non-root owner that
 * sets S_ISGID on an object whose group it lacks loses that bit (Linux
 * does so for directories too).
 * *out holds the new attributes.
 */
int efs_perm_chmod(const struct efs_who *who, const struct efs_attr *obj,
    uint32_t mode, struct efs_attr *out);

/*
 * utimensat: explicit times need root or the owner (-EPERM); setting both
 * to the current time also allows anyone with write permission (else
 * -EACCES).
 */
int efs_perm_utimes(const struct efs_who *who, const struct efs_attr *obj, int explicit_times);

/*
 * After a successful write or truncate of a regular file by a non-root
 * identity: S_ISUID cleared, and S_ISGID when group execute is set.
 * Returns 1 when *a changed.
 */
int efs_perm_after_write(const struct efs_who *who, struct efs_attr *a);

#endif
