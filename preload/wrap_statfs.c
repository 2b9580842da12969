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

/* The four shapes of answer: statfs and statvfs, each in two layouts. */
enum fs_kind { FS_STATFS, FS_STATFS64, FS_STATVFS, FS_STATVFS64 };

/* Room for what the real call returns, whichever the kind. */
union fs_buf {
	struct statfs f;
	struct statfs64 f64;
	struct statvfs v;
	struct statvfs64 v64;
};

static size_t
fs_size(enum fs_kind kind)
{
	switch (kind) {
	case FS_STATFS:
		return sizeof(struct statfs);
	case FS_STATFS64:
		return sizeof(struct statfs64);
	case FS_STATVFS:
		return sizeof(struct statvfs);
	case FS_STATVFS64:
		return sizeof(struct statvfs64);
	}
	return 0;
}

/* The real path call of kind into buf. */
static int
fs_real_path(enum fs_kind kind, const char *path, void *buf)
{
	switch (kind) {
	case FS_STATFS:
		return real.statfs(path, buf);
	case FS_STATFS64:
		return real.statfs64(path, buf);
	case FS_STATVFS:
		return real.statvfs(path, buf);
	case FS_STATVFS64:
		return real.statvfs64(path, buf);
	}
	errno = EINVAL;
	return -1;
}

/* The real descriptor call of kind into buf. */
static int
fs_real_fd(enum fs_kind kind, int fd, void *buf)
{
	switch (kind) {
	case FS_STATFS:
		return real.fstatfs(fd, buf);
	case FS_STATFS64:
		return real.fstatfs64(fd, buf);
	case FS_STATVFS:
		return real.fstatvfs(fd, buf);
	case FS_STATVFS64:
		return real.fstatvfs64(fd, buf);
	}
	errno = EINVAL;
	return -1;
}

/* The EFS answer over the backing one b, into the caller's out, for mount k. */
static void
fs_convert(enum fs_kind kind, const union fs_buf *b, void *out, int k)
{
	switch (kind) {
	case FS_STATFS:
		efs_attr_statfs(&b->f, out);
		((struct statfs *)out)->f_flags |= ro_flag(k);
		break;
	case FS_STATFS64:
		efs_attr_statfs64(&b->f64, out);
		((struct statfs64 *)out)->f_flags |= ro_flag(k);
		break;
	case FS_STATVFS:
		efs_attr_statvfs(&b->v, out);
		((struct statvfs *)out)->f_flag |= ro_flag(k);
		break;
	case FS_STATVFS64:
		efs_attr_statvfs64(&b->v64, out);
		((struct statvfs64 *)out)->f_flag |= ro_flag(k);
		break;
	}
}

/*
 * Every path call: the real call on the backing object, then the EFS
 * answer over it.
 */
static int
fs_path(const char *op, enum fs_kind kind, const char *path, void *buf)
{
	struct efs_call c;
	struct efs_res *r;
	union fs_buf b;
	int rc;

	if (!efs_enter(&c, op, path))
		return fs_real_path(kind, path, buf);
	if (!efs_may_map(AT_FDCWD, path))
		return efs_pass(&c, fs_real_path(kind, path, buf));
	if ((r = efs_res_new()) == NULL)
		return efs_leave(&c, -ENOMEM);
	rc = fs_resolve(&c, path, r);
	if (rc == EFS_NOT_MAPPED)
		return efs_pass(&c, fs_real_path(kind, r->host, buf));
	if (rc == 0 && r->mt->image)	/* the image is what it is */
		return efs_pass(&c, fs_real_path(kind, r->babs, buf));
	if (rc == 0)
		rc = fs_real_path(kind, r->babs, &b) == 0 ? 0 : -errno;
	if (rc == 0)	/* the caller's buffer: EFAULT, as the kernel */
		rc = efs_uwrite(buf, fs_size(kind));
	if (rc == 0)
		fs_convert(kind, &b, buf, r->mount);
	return efs_leave(&c, rc);
}

/* Every descriptor call. */
static int
fs_fd(const char *op, enum fs_kind kind, int fd, void *buf)
{
	struct efs_call c;
	union fs_buf b;
	int k, rc;

	if (!efs_enter(&c, op, NULL))
		return fs_real_fd(kind, fd, buf);
	if ((k = efs_fd_mount(fd)) < 0 || efs.mnt[k].image)
		return efs_pass(&c, fs_real_fd(kind, fd, buf));
	c.mount = k;
	rc = fs_real_fd(kind, fd, &b) == 0 ? 0 : -errno;
	if (rc == 0)
		rc = efs_uwrite(buf, fs_size(kind));
	if (rc == 0)
		fs_convert(kind, &b, buf, k);
	return efs_leave(&c, rc);
}

EFS_EXPORT int
statfs(const char *path, struct statfs *buf)
{
	return fs_path("statfs", FS_STATFS, path, buf);
}

#if EFS_LFS64
EFS_EXPORT int
statfs64(const char *path, struct statfs64 *buf)
{
	return fs_path("statfs", FS_STATFS64, path, buf);
}
#endif

EFS_EXPORT int
fstatfs(int fd, struct statfs *buf)
{
	return fs_fd("fstatfs", FS_STATFS, fd, buf);
}

#if EFS_LFS64
EFS_EXPORT int
fstatfs64(int fd, struct statfs64 *buf)
{
	return fs_fd("fstatfs", FS_STATFS64, fd, buf);
}
#endif

EFS_EXPORT int
statvfs(const char *path, struct statvfs *buf)
{
	return fs_path("statvfs", FS_STATVFS, path, buf);
}

#if EFS_LFS64
EFS_EXPORT int
statvfs64(const char *path, struct statvfs64 *buf)
{
	return fs_path("statvfs", FS_STATVFS64, path, buf);
}
#endif

EFS_EXPORT int
fstatvfs(int fd, struct statvfs *buf)
{
	return fs_fd("fstatvfs", FS_STATVFS, fd, buf);
}

#if EFS_LFS64
EFS_EXPORT int
fstatvfs64(int fd, struct statvfs64 *buf)
{
	return fs_fd("fstatvfs", FS_STATVFS64, fd, buf);
}
#endif

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
	if (!r->mt->image && (v = efs_limit(name)) != 0)
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
	if ((k = efs_fd_mount(fd)) < 0 || efs.mnt[k].image)
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
