/* SPDX-License-Identifier: MIT */
/*
 * perm.c: the emulated server's POSIX decisions (SPEC 5.2, 5.3), pure.
 * Everything is judged with the server identity and the recorded
 * attributes, as an NFS server does; the process plays no part.
 */
#include <sys/stat.h>

#include <errno.h>

#include "ident.h"
#include "perm.h"

#define UNCHANGED	((uint32_t)-1)

/* The rwx bits of obj that apply to who: owner, else group, else other. */
static unsigned
class_bits(const struct efs_who *who, const struct efs_attr *obj)
{
	if (who->id.uid == obj->uid)
		return (obj->mode >> 6) & 7;
	if (efs_ident_in_group(&who->id, obj->gid))
		return (obj->mode >> 3) & 7;
	return obj->mode & 7;
}

int
efs_perm_access(const struct efs_who *who, const struct efs_attr *obj, int mask)
{
	unsigned want = (unsigned)mask & 7;

	if (who->root) {
		/* Even root cannot run a file nobody may run. */
		if ((want & EFS_MAY_EXEC) && !S_ISDIR(obj->mode) &&
		    (obj->mode & 0111) == 0)
			return -EACCES;
		return 0;
	}
	if ((want & ~class_bits(who, obj)) != 0)
		return -EACCES;
	return 0;
}

int
efs_perm_search(const struct efs_who *who, const struct efs_attr *dir)
{
	return efs_perm_access(who, dir, EFS_MAY_EXEC);
}

int
efs_perm_dir_write(const struct efs_who *who, const struct efs_attr *dir)
{
	return efs_perm_access(who, dir, EFS_MAY_WRITE | EFS_MAY_EXEC);
}

int
efs_perm_delete(const struct efs_who *who, const struct efs_attr *dir,
    const struct efs_attr *obj)
{
	int rc;

	if ((rc = efs_perm_dir_write(who, dir)) != 0)
		return rc;
	if ((dir->mode & S_ISVTX) && !who->root &&
	    who->id.uid != obj->uid && who->id.uid != dir->uid)
		return -EPERM;
	return 0;
}

void
efs_perm_new_attr(const struct efs_who *who, const struct efs_attr *parent,
    uint32_t type, uint32_t mode, uint32_t umask, struct efs_attr *out)
{
	uint32_t bits;

	type &= S_IFMT;
	out->uid = who->id.uid;
	out->gid = (parent->mode & S_ISGID) ? parent->gid : who->id.gid;
	if (type == S_IFLNK) {
		out->mode = S_IFLNK | 0777;
		return;
	}
	bits = mode & 07777 & ~(umask & 0777);
	if (type == S_IFDIR) {
		/* mkdir(2) takes only permission and sticky bits. */
		bits &= 01777;
		if (parent->mode & S_ISGID)
			bits |= S_ISGID;
	} else if ((bits & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP) &&
	    !who->root && !efs_ident_in_group(&who->id, out->gid)) {
		/* Linux: no set-group-id file in a group one lacks. */
		bits &= ~(uint32_t)S_ISGID;
	}
	out->mode = type | bits;
}

int
efs_perm_chown(const struct efs_who *who, const struct efs_attr *obj,
    uint32_t uid, uint32_t gid, struct efs_attr *out)
{
	uint32_t nuid = uid == UNCHANGED ? obj->uid : uid;
	uint32_t ngid = gid == UNCHANGED ? obj->gid : gid;
	int changed = nuid != obj->uid || ngid != obj->gid;
	struct efs_attr a = *obj;

	if (!who->root) {
		/*
		 * chown_restricted: only root gives a file away; the owner may
		 * change the group to one of its own.  As Linux, an id given
		 * as -1 is not asked for at all: chown(f, -1, -1) succeeds
		 * for anyone.
		 */
		if (uid != UNCHANGED && (uid != obj->uid || who->id.uid != obj->uid))
			return -EPERM;
		if (gid != UNCHANGED && (who->id.uid != obj->uid ||
		    (gid != obj->gid && !efs_ident_in_group(&who->id, gid))))
			return -EPERM;
	}
	a.uid = nuid;
	a.gid = ngid;
	if (changed && !S_ISDIR(a.mode)) {
		a.mode &= ~(uint32_t)S_ISUID;
		if (a.mode & S_IXGRP)
			a.mode &= ~(uint32_t)S_ISGID;
	}
	*out = a;
	return 0;
}

int
efs_perm_chmod(const struct efs_who *who, const struct efs_attr *obj,
    uint32_t mode, struct efs_attr *out)
{
	struct efs_attr a = *obj;

	if (!who->root && who->id.uid != obj->uid)
		return -EPERM;
	a.mode = (obj->mode & S_IFMT) | (mode & 07777);
	if (!who->root && (a.mode & S_ISGID) &&
	    !efs_ident_in_group(&who->id, a.gid))
		a.mode &= ~(uint32_t)S_ISGID;
	*out = a;
	return 0;
}

int
efs_perm_utimes(const struct efs_who *who, const struct efs_attr *obj,
    int explicit_times)
{
	if (who->root || who->id.uid == obj->uid)
		return 0;
	if (explicit_times)
		return -EPERM;
	return efs_perm_access(who, obj, EFS_MAY_WRITE);
}

int
efs_perm_after_write(const struct efs_who *who, struct efs_attr *a)
{
	uint32_t mode = a->mode;

	if (who->root || !S_ISREG(a->mode))
		return 0;
	mode &= ~(uint32_t)S_ISUID;
	if (mode & S_IXGRP)
		mode &= ~(uint32_t)S_ISGID;
	if (mode == a->mode)
		return 0;
	a->mode = mode;
	return 1;
}
