/* SPDX-License-Identifier: MIT */
/*
 * wrap_statfs.c: file system statistics and limits (SPEC 5.6).  Under a
 * mount statfs and statvfs report what df shows for EFS (NFS magic, 255
 * byte names, 8 EiB of space: attr.c) and pathconf the EFS limits.  glibc
 * implements statvfs and pathconf with its own internal statfs, so each is
 * wrapped as its own entry.
 */
#include <dlfcn.h>
#include <fcntl.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "attr.h"
#include "real.h"
#include "resolve.h"
#include "uaccess.h"

#if EFS_LFS_ALIASES
_Static_assert(sizeof(struct statfs) == sizeof(struct statfs64), "statfs64 layout");
_Static_assert(sizeof(struct statvfs) == sizeof(struct statvfs64), "statvfs64 layout");
#endif

/* A read_only mount is a read-only mount to df and findmnt too. */
static unsigned long
ro_flag(int mount)
{
	return efs.mnt[mount].erofs == EFS_WHY_RO ? ST_RDONLY : 0;
}

/* Resolve (following links) to an existing object: 0, EFS_NOT_MAPPED, -errno. */
static int
fs_resolve(struct efs_call *c, const char *path, struct efs_res *r)
{
	int rc = efs_resolve(c, AT_FDCWD, path, EFS_R_FOLLOW, r);

	if (rc == 0 && !r->exists)
		rc = -ENOENT;
	return rc;
}

/*
 * One shape for the four path calls: the real call on the backing object,
 * then the EFS answer over it.
 */
#define FS_PATH(op, call, type, conv, flagsfield)			\
	struct efs_call c;						\
	struct efs_res *r;						\
	type b;								\
	int rc;								\
									\
	if (!efs_enter(&c, op, path))					\
		return real.call(path, buf);				\
	if (!efs_may_map(AT_FDCWD, path))				\
		return efs_pass(&c, real.call(path, buf));		\
	if ((r = efs_res_new()) == NULL)					\
		return efs_leave(&c, -ENOMEM);				\
	rc = fs_resolve(&c, path, r);					\
	if (rc == EFS_NOT_MAPPED)					\
		return efs_pass(&c, real.call(r->host, buf));		\
	if (rc == 0)							\
		rc = real.call(r->babs, &b) == 0 ? 0 : -errno;		\
	if (rc == 0)	/* the caller's buffer: EFAULT, as the kernel */	\
		rc = efs_uwrite(buf, sizeof *buf);			\
	if (rc == 0) {							\
		conv(&b, buf);						\
		buf->flagsfield |= ro_flag(r->mount);			\
	}								\
	return efs_leave(&c, rc)

#define FS_FD(op, call, type, conv, flagsfield)				\
	struct efs_call c;						\
	type b;								\
	int k, rc;							\
									\
	if (!efs_enter(&c, op, NULL))					\
		return real.call(fd, buf);				\
	if ((k = efs_fd_mount(fd)) < 0)					\
		return efs_pass(&c, real.call(fd, buf));		\
	c.mount = k;							\
	rc = real.call(fd, &b) == 0 ? 0 : -errno;			\
	if (rc == 0)							\
		rc = efs_uwrite(buf, sizeof *buf);			\
	if (rc == 0) {							\
		conv(&b, buf);						\
		buf->flagsfield |= ro_flag(k);				\
	}								\
	return efs_leave(&c, rc)

EFS_EXPORT int
statfs(const char *path, struct statfs *buf)
{
	FS_PATH("statfs", statfs, struct statfs, efs_attr_statfs, f_flags);
}

EFS_EXPORT int
statfs64(const char *path, struct statfs64 *buf)
{
	FS_PATH("statfs", statfs64, struct statfs64, efs_attr_statfs64, f_flags);
}

EFS_EXPORT int
fstatfs(int fd, struct statfs *buf)
{
	FS_FD("fstatfs", fstatfs, struct statfs, efs_attr_statfs, f_flags);
}

EFS_EXPORT int
fstatfs64(int fd, struct statfs64 *buf)
{
	FS_FD("fstatfs", fstatfs64, struct statfs64, efs_attr_statfs64, f_flags);
}

EFS_EXPORT int
statvfs(const char *path, struct statvfs *buf)
{
	FS_PATH("statvfs", statvfs, struct statvfs, efs_attr_statvfs, f_flag);
}

EFS_EXPORT int
statvfs64(const char *path, struct statvfs64 *buf)
{
	FS_PATH("statvfs", statvfs64, struct statvfs64, efs_attr_statvfs64, f_flag);
}

EFS_EXPORT int
fstatvfs(int fd, struct statvfs *buf)
{
	FS_FD("fstatvfs", fstatvfs, struct statvfs, efs_attr_statvfs, f_flag);
}

EFS_EXPORT int
fstatvfs64(int fd, struct statvfs64 *buf)
{
	FS_FD("fstatvfs", fstatvfs64, struct statvfs64, efs_attr_statvfs64, f_flag);
}

/* The EFS limits pathconf reports under a mount; 0 for "ask the backing file system". */
static long
efs_limit(int name)
{
	switch (name) {
	case _PC_NAME_MAX:
		return EFS_NAME_MAX;
	case _PC_SYMLINK_MAX:
		return EFS_SYMLINK_MAX;
	case _PC_LINK_MAX:
		return EFS_LINK_MAX;
	}
	return 0;
}

/*
 * Leave a pathconf-like call: v >= 0 a limit, -errno, or -1 with err 0
 * for "no limit", which returns -1 and leaves errno alone.
 */
static long
conf_leave(struct efs_call *c, long v, int err)
{
	if (v == -1 && err == 0) {
		efs_leave(c, 0);
		return -1;
	}
	return efs_leave(c, v < 0 ? -err : v);
}

EFS_EXPORT long
pathconf(const char *path, int name)
{
	struct efs_call c;
	struct efs_res *r;
	long v;
	int rc;

	if (!efs_enter(&c, "pathconf", path))
		return real.pathconf(path, name);
	if (!efs_may_map(AT_FDCWD, path))
		return efs_pass(&c, real.pathconf(path, name));
	if ((r = efs_res_new()) == NULL)
		return efs_leave(&c, -ENOMEM);
	rc = fs_resolve(&c, path, r);
	if (rc == EFS_NOT_MAPPED)
		return efs_pass(&c, real.pathconf(r->host, name));
	if (rc != 0)
		return efs_leave(&c, rc);
	if ((v = efs_limit(name)) != 0)
		return efs_leave(&c, v);
	errno = 0;
	v = real.pathconf(r->babs, name);
	return conf_leave(&c, v, errno);
}

/* fpathconf is not in real.def (yet): bound here, lazily, once. */
static long (*real_fpathconf)(int, int);

static long
call_fpathconf(int fd, int name)
{
	long (*f)(int, int) = __atomic_load_n(&real_fpathconf, __ATOMIC_ACQUIRE);

	if (f == NULL) {
		f = (long (*)(int, int))dlsym(RTLD_NEXT, "fpathconf");
		if (f == NULL) {
			errno = ENOSYS;
			return -1;
		}
		__atomic_store_n(&real_fpathconf, f, __ATOMIC_RELEASE);
	}
	return f(fd, name);
}

EFS_EXPORT long
fpathconf(int fd, int name)
{
	struct efs_call c;
	long v, lim;
	int k, err;

	if (!efs_enter(&c, "fpathconf", NULL))
		return call_fpathconf(fd, name);
	if ((k = efs_fd_mount(fd)) < 0)
		return efs_pass(&c, call_fpathconf(fd, name));
	c.mount = k;
	errno = 0;
	v = call_fpathconf(fd, name);
	err = errno;
	if (v < 0 && err != 0)
		return efs_leave(&c, -err);	/* EBADF first, as glibc */
	if ((lim = efs_limit(name)) != 0)
		return efs_leave(&c, lim);
	return conf_leave(&c, v, err);
}
