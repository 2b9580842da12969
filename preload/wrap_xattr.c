/* SPDX-License-Identifier: MIT */
/*
 * wrap_xattr.c: extended attributes, which EFS does not support (SPEC
 * 5.6).  Under a mount, get, set and remove fail with EOPNOTSUPP and list
 * returns an empty list, so efsap's own records are never visible nor
 * changeable.  As on a Linux NFS client, a bad name or value comes first
 * (xa_name), then resolution errors, and
 * a read-only mount refuses set and remove with EROFS before the file
 * system is asked; a server that refuses writes (ClientWrite) is never
 * asked, so there the answer stays EOPNOTSUPP.
 */
#include <fcntl.h>
#include <string.h>
#include <sys/xattr.h>

#include "act.h"
#include "real.h"
#include "resolve.h"
#include "uaccess.h"

static int
xa_resolve(struct efs_call *c, const char *path, int follow, struct efs_res *r)
{
	int rc = efs_resolve(c, AT_FDCWD, path, follow ? EFS_R_FOLLOW : 0, r);

	if (rc == 0 && !r->exists)
		rc = -ENOENT;
	return rc;
}

/*
 * getxattr: EOPNOTSUPP, not blamed.  ls, cp and tar probe every file for
 * ACLs and SELinux labels and take this answer as "none"; explaining each
 * probe would bury the denials that matter under EFSAP_LOG=deny.
 */
static int
unsupported(struct efs_call *c, const struct efs_res *r)
{
	return -EOPNOTSUPP;
}

/*
 * ACLs (system.*) and security labels (security.*) are what cp -a,
 * install and tar try to carry over, falling back quietly on EOPNOTSUPP.
 */
static int
tool_name(const char *name)
{
	__asm__("" : "+r"(name));	/* declared nonnull, may be NULL */
	return name == NULL || strncmp(name, "system.", 7) == 0 ||
	    strncmp(name, "security.", 9) == 0;
}

/* setxattr, removexattr: explained when the program chose the name. */
static int
xa_change(struct efs_call *c, const struct efs_res *r, const char *name)
{
	if (r->mt->erofs == EFS_WHY_RO)
		return efs_write_gate(c, r);
	if (!tool_name(name))
		efs_call_blame(c, EFS_WHY_UNSUPPORTED, &r->attr, r->view);
	return -EOPNOTSUPP;
}

/*
 * The kernel copies the name (and a value to set) before it asks any file
 * system (fs/xattr.c: import_xattr_name, setxattr_copy): EFAULT for
 * memory it may not read, ERANGE for an empty name or one past
 * XATTR_NAME_MAX, E2BIG for a value past XATTR_SIZE_MAX.  efsap answers
 * the same before it reads the name.
 */
static int
xa_name(const char *name)
{
	int rc = efs_ustr(name, XATTR_NAME_MAX + 1);

	if (rc == -ENAMETOOLONG || (rc == 0 && name[0] == '\0'))
		return -ERANGE;
	return rc;
}

static int
xa_set_args(const char *name, const void *value, size_t size)
{
	int rc = xa_name(name);

	if (rc != 0)
		return rc;
	if (size > XATTR_SIZE_MAX)
		return -E2BIG;
	return efs_uread(value, size);
}

/*
 * One shape for every path call: `call` is the real call on `path`, which
 * is replaced by the host path when the object is not under a mount.
 */
#define XA_PATH(op, follow, call, args, decide)				\
	struct efs_call c;						\
	struct efs_res *r;						\
	int rc;								\
									\
	if (!efs_enter(&c, op, path))					\
		return real.call;					\
	if (!efs_may_map(AT_FDCWD, path))				\
		return efs_pass(&c, real.call);				\
	if ((rc = (args)) != 0)						\
		return efs_leave(&c, rc);				\
	if ((r = efs_res_new()) == NULL)					\
		return efs_leave(&c, -ENOMEM);				\
	rc = xa_resolve(&c, path, follow, r);				\
	if (rc == EFS_NOT_MAPPED) {					\
		path = r->host;						\
		return efs_pass(&c, real.call);				\
	}								\
	if (rc == 0)							\
		rc = decide;						\
	return efs_leave(&c, rc)

#define XA_FD(op, call, args, decide)					\
	struct efs_call c;						\
	struct efs_res *r;						\
	int rc;								\
									\
	if (!efs_enter(&c, op, NULL))					\
		return real.call;					\
	if (efs_fd_mount(fd) < 0)					\
		return efs_pass(&c, real.call);				\
	if ((rc = (args)) != 0)						\
		return efs_leave(&c, rc);				\
	if ((r = efs_res_new()) == NULL)					\
		return efs_leave(&c, -ENOMEM);				\
	rc = efs_fd_is_opath(fd) ? -EBADF : efs_resolve_fd(&c, fd, 0, r);	\
	if (rc == 0)							\
		rc = decide;						\
	return efs_leave(&c, rc)

EFS_EXPORT ssize_t
getxattr(const char *path, const char *name, void *value, size_t size)
{
	XA_PATH("getxattr", 1, getxattr(path, name, value, size), xa_name(name), unsupported(&c, r));
}

EFS_EXPORT ssize_t
lgetxattr(const char *path, const char *name, void *value, size_t size)
{
	XA_PATH("lgetxattr", 0, lgetxattr(path, name, value, size), xa_name(name), unsupported(&c, r));
}

EFS_EXPORT ssize_t
fgetxattr(int fd, const char *name, void *value, size_t size)
{
	XA_FD("fgetxattr", fgetxattr(fd, name, value, size), xa_name(name), unsupported(&c, r));
}

EFS_EXPORT int
setxattr(const char *path, const char *name, const void *value, size_t size, int flags)
{
	XA_PATH("setxattr", 1, setxattr(path, name, value, size, flags),
	    xa_set_args(name, value, size), xa_change(&c, r, name));
}

EFS_EXPORT int
lsetxattr(const char *path, const char *name, const void *value, size_t size, int flags)
{
	XA_PATH("lsetxattr", 0, lsetxattr(path, name, value, size, flags),
	    xa_set_args(name, value, size), xa_change(&c, r, name));
}

EFS_EXPORT int
fsetxattr(int fd, const char *name, const void *value, size_t size, int flags)
{
	XA_FD("fsetxattr", fsetxattr(fd, name, value, size, flags),
	    xa_set_args(name, value, size), xa_change(&c, r, name));
}

EFS_EXPORT ssize_t
listxattr(const char *path, char *list, size_t size)
{
	XA_PATH("listxattr", 1, listxattr(path, list, size), 0, 0);
}

EFS_EXPORT ssize_t
llistxattr(const char *path, char *list, size_t size)
{
	XA_PATH("llistxattr", 0, llistxattr(path, list, size), 0, 0);
}

EFS_EXPORT ssize_t
flistxattr(int fd, char *list, size_t size)
{
	XA_FD("flistxattr", flistxattr(fd, list, size), 0, 0);
}

EFS_EXPORT int
removexattr(const char *path, const char *name)
{
	XA_PATH("removexattr", 1, removexattr(path, name), xa_name(name), xa_change(&c, r, name));
}

EFS_EXPORT int
lremovexattr(const char *path, const char *name)
{
	XA_PATH("lremovexattr", 0, lremovexattr(path, name), xa_name(name), xa_change(&c, r, name));
}

EFS_EXPORT int
fremovexattr(int fd, const char *name)
{
	XA_FD("fremovexattr", fremovexattr(fd, name), xa_name(name), xa_change(&c, r, name));
}
