/* SPDX-License-Identifier: MIT */
/*
 * wrap_stat.c: the stat family, every generation (SPEC 5.3: what stat
 * reports).  Under a mount: the recorded owner, group and mode over the
 * backing object's size, times, link count and inode.
 */
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>

#include "attr.h"
#include "owner.h"
#include "real.h"
#include "resolve.h"
#include "uaccess.h"

#if EFS_LFS_ALIASES
/* On x86_64 and the other LP64 targets, struct stat64 is struct stat. */
_Static_assert(sizeof(struct stat) == sizeof(struct stat64), "stat64 layout");
#endif

static int
resolve_flags(int atflags)
{
	return ((atflags & AT_SYMLINK_NOFOLLOW) ? 0 : EFS_R_FOLLOW) |
	    ((atflags & AT_EMPTY_PATH) ? EFS_R_EMPTY : 0);
}

/* fstatat semantics for every path variant. */
static int
stat_at(const char *op, int dirfd, const char *path, struct stat *st, int atflags)
{
	struct efs_call c;
	struct efs_res *r;
	int rc;

	if (!efs_enter(&c, op, path))
		return real.fstatat(dirfd, path, st, atflags);
	if (!efs_may_map(dirfd, path))
		return efs_pass(&c, real.fstatat(dirfd, path, st, atflags));
	/* the final lstat lands in the caller's buffer: a bad one gives EFAULT */
	if ((r = efs_res_new()) == NULL)
		return efs_leave(&c, -ENOMEM);
	rc = efs_resolve_into(&c, dirfd, path, resolve_flags(atflags), r, st);
	if (rc == EFS_NOT_MAPPED)
		return efs_pass(&c, real.fstatat(dirfd, r->host, st, atflags));
	if (rc == 0 && !r->exists)
		rc = -ENOENT;
	if (rc == 0)
		efs_attr_apply_stat(&r->attr, st);
	return efs_leave(&c, rc);
}

static int
stat_fd(const char *op, int fd, struct stat *st)
{
	struct efs_call c;
	struct efs_attr a;
	int k;

	if (!efs_enter(&c, op, NULL))
		return real.fstat(fd, st);
	if ((k = efs_fd_mount(fd)) < 0)
		return efs_pass(&c, real.fstat(fd, st));
	c.mount = k;
	/* into the caller's buffer first: the kernel checks it */
	if (real.fstat(fd, st) != 0)
		return efs_leave(&c, -errno);
	efs_owner_fget(fd, st, &a);
	efs_attr_apply_stat(&a, st);
	return efs_leave(&c, 0);
}

EFS_EXPORT int
stat(const char *path, struct stat *st)
{
	return stat_at("stat", AT_FDCWD, path, st, 0);
}

#if EFS_LFS_ALIASES
EFS_EXPORT int
stat64(const char *path, struct stat64 *st)
{
	return stat_at("stat", AT_FDCWD, path, (struct stat *)st, 0);
}
#endif

EFS_EXPORT int
lstat(const char *path, struct stat *st)
{
	return stat_at("lstat", AT_FDCWD, path, st, AT_SYMLINK_NOFOLLOW);
}

#if EFS_LFS_ALIASES
EFS_EXPORT int
lstat64(const char *path, struct stat64 *st)
{
	return stat_at("lstat", AT_FDCWD, path, (struct stat *)st, AT_SYMLINK_NOFOLLOW);
}
#endif

EFS_EXPORT int
fstatat(int dirfd, const char *path, struct stat *st, int flags)
{
	if ((flags & AT_EMPTY_PATH) && dirfd != AT_FDCWD && efs_upath(path) && path[0] == '\0')
		return stat_fd("fstat", dirfd, st);
	return stat_at("fstatat", dirfd, path, st, flags);
}

#if EFS_LFS_ALIASES
EFS_EXPORT int
fstatat64(int dirfd, const char *path, struct stat64 *st, int flags)
{
	return fstatat(dirfd, path, (struct stat *)st, flags);
}
#endif

EFS_EXPORT int
fstat(int fd, struct stat *st)
{
	return stat_fd("fstat", fd, st);
}

#if EFS_LFS_ALIASES
EFS_EXPORT int
fstat64(int fd, struct stat64 *st)
{
	return stat_fd("fstat", fd, (struct stat *)st);
}
#endif

/* Pre-2.33 binaries call these; ver is _STAT_VER, the kernel layout on x86_64. */
EFS_EXPORT int
__xstat(int ver, const char *path, struct stat *st)
{
	return stat_at("stat", AT_FDCWD, path, st, 0);
}

#if EFS_LFS_ALIASES
EFS_EXPORT int
__xstat64(int ver, const char *path, struct stat64 *st)
{
	return stat_at("stat", AT_FDCWD, path, (struct stat *)st, 0);
}
#endif

EFS_EXPORT int
__lxstat(int ver, const char *path, struct stat *st)
{
	return stat_at("lstat", AT_FDCWD, path, st, AT_SYMLINK_NOFOLLOW);
}

#if EFS_LFS_ALIASES
EFS_EXPORT int
__lxstat64(int ver, const char *path, struct stat64 *st)
{
	return stat_at("lstat", AT_FDCWD, path, (struct stat *)st, AT_SYMLINK_NOFOLLOW);
}
#endif

EFS_EXPORT int
__fxstat(int ver, int fd, struct stat *st)
{
	return stat_fd("fstat", fd, st);
}

#if EFS_LFS_ALIASES
EFS_EXPORT int
__fxstat64(int ver, int fd, struct stat64 *st)
{
	return stat_fd("fstat", fd, (struct stat *)st);
}
#endif

EFS_EXPORT int
__fxstatat(int ver, int dirfd, const char *path, struct stat *st, int flags)
{
	return fstatat(dirfd, path, st, flags);
}

#if EFS_LFS_ALIASES
EFS_EXPORT int
__fxstatat64(int ver, int dirfd, const char *path, struct stat64 *st, int flags)
{
	return fstatat(dirfd, path, (struct stat *)st, flags);
}
#endif

EFS_EXPORT int
statx(int dirfd, const char *path, int flags, unsigned int mask, struct statx *stx)
{
	struct efs_call c;
	struct efs_res *r;
	int rc;

	if (real.statx == NULL) {
		errno = ENOSYS;
		return -1;
	}
	if (!efs_enter(&c, "statx", path))
		return real.statx(dirfd, path, flags, mask, stx);
	if (!efs_may_map(dirfd, path))
		return efs_pass(&c, real.statx(dirfd, path, flags, mask, stx));
	if ((r = efs_res_new()) == NULL)
		return efs_leave(&c, -ENOMEM);
	rc = efs_resolve(&c, dirfd, path, resolve_flags(flags), r);
	if (rc == EFS_NOT_MAPPED)
		return efs_pass(&c, real.statx(dirfd, r->host, flags, mask, stx));
	if (rc == 0 && !r->exists)
		rc = -ENOENT;
	if (rc == 0) {
		const char *rel;
		int dfd;

		if (r->babs[0] == '\0')
			rc = real.statx(dirfd, "", flags | AT_EMPTY_PATH, mask, stx) == 0 ? 0 : -errno;
		else if ((rc = efs_pin(r->mt, r->babs, &dfd, &rel)) == 0)
			rc = real.statx(dfd, rel, AT_SYMLINK_NOFOLLOW | (flags & AT_STATX_SYNC_TYPE),
			    mask, stx) == 0 ? 0 : -errno;
	}
	if (rc == 0)
		efs_attr_apply_statx(&r->attr, stx);
	return efs_leave(&c, rc);
}
