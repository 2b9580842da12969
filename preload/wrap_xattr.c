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

#ifndef XATTR_NAME_MAX		/* <linux/limits.h>'s, which musl's headers do not give */
#define XATTR_NAME_MAX	255
#define XATTR_SIZE_MAX	65536
#endif

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
	if (!tool_name(name) && !r->mt->image)	/* the image's hold efsap's records */
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

/* Which call a request is: it picks the real call, the checks and the answer. */
enum xa_kind { XA_GET, XA_SET, XA_LIST, XA_REMOVE };

/* One extended-attribute call, as the program made it. */
struct xa_req {
	const char *op;
	enum xa_kind kind;
	int follow;			/* path calls: 1 follows a final link (getxattr), 0 not (l*) */
	const char *name;		/* XA_GET, XA_SET, XA_REMOVE */
	void *value;			/* XA_GET, XA_SET (read only there); the list for XA_LIST */
	size_t size;
	int flags;			/* XA_SET */
};

/* The real call on path (host or caller's). */
static ssize_t
xa_real_path(const struct xa_req *q, const char *path)
{
	switch (q->kind) {
	case XA_GET:
		return q->follow ? real.getxattr(path, q->name, q->value, q->size) :
		    real.lgetxattr(path, q->name, q->value, q->size);
	case XA_SET:
		return q->follow ? real.setxattr(path, q->name, q->value, q->size, q->flags) :
		    real.lsetxattr(path, q->name, q->value, q->size, q->flags);
	case XA_LIST:
		return q->follow ? real.listxattr(path, q->value, q->size) :
		    real.llistxattr(path, q->value, q->size);
	case XA_REMOVE:
		return q->follow ? real.removexattr(path, q->name) :
		    real.lremovexattr(path, q->name);
	}
	errno = EINVAL;
	return -1;
}

/* The real call on descriptor fd. */
static ssize_t
xa_real_fd(const struct xa_req *q, int fd)
{
	switch (q->kind) {
	case XA_GET:
		return real.fgetxattr(fd, q->name, q->value, q->size);
	case XA_SET:
		return real.fsetxattr(fd, q->name, q->value, q->size, q->flags);
	case XA_LIST:
		return real.flistxattr(fd, q->value, q->size);
	case XA_REMOVE:
		return real.fremovexattr(fd, q->name);
	}
	errno = EINVAL;
	return -1;
}

/* What the kernel checks before any file system: 0 or -errno. */
static int
xa_args(const struct xa_req *q)
{
	switch (q->kind) {
	case XA_GET:
	case XA_REMOVE:
		return xa_name(q->name);
	case XA_SET:
		return xa_set_args(q->name, q->value, q->size);
	case XA_LIST:
		break;
	}
	return 0;
}

/* The answer under a mount: list is empty, get is unsupported, set and remove are refused. */
static int
xa_decide(struct efs_call *c, const struct xa_req *q, const struct efs_res *r)
{
	switch (q->kind) {
	case XA_GET:
		return unsupported(c, r);
	case XA_SET:
	case XA_REMOVE:
		return xa_change(c, r, q->name);
	case XA_LIST:
		break;
	}
	return 0;
}

/*
 * Every path call: the real call on path, or on the host path when the
 * object is not under a mount; the EFS answer under one.
 */
static ssize_t
xa_path(const struct xa_req *q, const char *path)
{
	struct efs_call c;
	struct efs_res *r;
	int rc;

	if (!efs_enter(&c, q->op, path))
		return xa_real_path(q, path);
	if (!efs_may_map(AT_FDCWD, path))
		return efs_pass(&c, xa_real_path(q, path));
	if ((rc = xa_args(q)) != 0)
		return efs_leave(&c, rc);
	if ((r = efs_res_new()) == NULL)
		return efs_leave(&c, -ENOMEM);
	rc = xa_resolve(&c, path, q->follow, r);
	if (rc == EFS_NOT_MAPPED)
		return efs_pass(&c, xa_real_path(q, r->host));
	if (rc == 0)
		rc = xa_decide(&c, q, r);
	return efs_leave(&c, rc);
}

/* Every descriptor call. */
static ssize_t
xa_fd(const struct xa_req *q, int fd)
{
	struct efs_call c;
	struct efs_res *r;
	int rc;

	if (!efs_enter(&c, q->op, NULL))
		return xa_real_fd(q, fd);
	if (efs_fd_mount(fd) < 0)
		return efs_pass(&c, xa_real_fd(q, fd));
	if ((rc = xa_args(q)) != 0)
		return efs_leave(&c, rc);
	if ((r = efs_res_new()) == NULL)
		return efs_leave(&c, -ENOMEM);
	rc = efs_fd_is_opath(fd) ? -EBADF : efs_resolve_fd(&c, fd, 0, r);
	if (rc == 0)
		rc = xa_decide(&c, q, r);
	return efs_leave(&c, rc);
}

EFS_EXPORT ssize_t
getxattr(const char *path, const char *name, void *value, size_t size)
{
	const struct xa_req q = { "getxattr", XA_GET, 1, name, value, size, 0 };

	return xa_path(&q, path);
}

EFS_EXPORT ssize_t
lgetxattr(const char *path, const char *name, void *value, size_t size)
{
	const struct xa_req q = { "lgetxattr", XA_GET, 0, name, value, size, 0 };

	return xa_path(&q, path);
}

EFS_EXPORT ssize_t
fgetxattr(int fd, const char *name, void *value, size_t size)
{
	const struct xa_req q = { "fgetxattr", XA_GET, 0, name, value, size, 0 };

	return xa_fd(&q, fd);
}

EFS_EXPORT int
setxattr(const char *path, const char *name, const void *value, size_t size, int flags)
{
	const struct xa_req q = { "setxattr", XA_SET, 1, name, (void *)value, size, flags };

	return (int)xa_path(&q, path);
}

EFS_EXPORT int
lsetxattr(const char *path, const char *name, const void *value, size_t size, int flags)
{
	const struct xa_req q = { "lsetxattr", XA_SET, 0, name, (void *)value, size, flags };

	return (int)xa_path(&q, path);
}

EFS_EXPORT int
fsetxattr(int fd, const char *name, const void *value, size_t size, int flags)
{
	const struct xa_req q = { "fsetxattr", XA_SET, 0, name, (void *)value, size, flags };

	return (int)xa_fd(&q, fd);
}

EFS_EXPORT ssize_t
listxattr(const char *path, char *list, size_t size)
{
	const struct xa_req q = { "listxattr", XA_LIST, 1, NULL, list, size, 0 };

	return xa_path(&q, path);
}

EFS_EXPORT ssize_t
llistxattr(const char *path, char *list, size_t size)
{
	const struct xa_req q = { "llistxattr", XA_LIST, 0, NULL, list, size, 0 };

	return xa_path(&q, path);
}

EFS_EXPORT ssize_t
flistxattr(int fd, char *list, size_t size)
{
	const struct xa_req q = { "flistxattr", XA_LIST, 0, NULL, list, size, 0 };

	return xa_fd(&q, fd);
}

EFS_EXPORT int
removexattr(const char *path, const char *name)
{
	const struct xa_req q = { "removexattr", XA_REMOVE, 1, name, NULL, 0, 0 };

	return (int)xa_path(&q, path);
}

EFS_EXPORT int
lremovexattr(const char *path, const char *name)
{
	const struct xa_req q = { "lremovexattr", XA_REMOVE, 0, name, NULL, 0, 0 };

	return (int)xa_path(&q, path);
}

EFS_EXPORT int
fremovexattr(int fd, const char *name)
{
	const struct xa_req q = { "fremovexattr", XA_REMOVE, 0, name, NULL, 0, 0 };

	return (int)xa_fd(&q, fd);
}
