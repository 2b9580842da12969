/* SPDX-License-Identifier: MIT */
/*
 * wrap_access.c: access(2) and its relatives.  Under a mount the emulated
 * server answers with the server identity (SPEC 5.3), so real and
 * effective ids make no difference there (AT_EACCESS is moot).  Linux's
 * order: flags, resolution, permission bits, then EROFS for a write on a
 * read-only mount (regular files, directories and links only, as
 * do_faccessat does for a read-only mount).
 */
#include <fcntl.h>
#include <unistd.h>

#include "act.h"
#include "perm.h"
#include "real.h"
#include "resolve.h"
#include "uaccess.h"

/* The decision on r's resolved object (efs_decide_faccess): 0, -ENOENT, -EACCES or -EROFS. */
static int
decide(struct efs_call *c, const struct efs_res *r, int mode)
{
	struct efs_dmnt m = efs_dmnt_of(r->mt);
	struct efs_verdict v;
	struct efs_dobj d;

	efs_dobj_from(r, 0, NULL, &d);
	efs_decide_faccess(&m, &d, mode, &v);
	return efs_verdict_apply(c, &v, r, NULL);
}

static int
access_at(const char *op, int dirfd, const char *path, int mode, int flags)
{
	struct efs_call c;
	struct efs_res *r;
	int rc;

	if (!efs_enter(&c, op, path))
		return real.faccessat(dirfd, path, mode, flags);
	/* faccessat(AT_FDCWD, "", AT_EMPTY_PATH) is the working directory, maybe under a mount. */
	if (dirfd == AT_FDCWD && (flags & AT_EMPTY_PATH) && efs_upath(path) && path[0] == '\0')
		path = ".";
	if (!efs_may_map(dirfd, path))
		return efs_pass(&c, real.faccessat(dirfd, path, mode, flags));
	if ((mode & ~(R_OK | W_OK | X_OK)) != 0 ||
	    (flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) != 0)
		return efs_leave(&c, -EINVAL);
	if ((r = efs_res_new()) == NULL)
		return efs_leave(&c, -ENOMEM);
	rc = efs_resolve(&c, dirfd, path, ((flags & AT_SYMLINK_NOFOLLOW) ? 0 : EFS_R_FOLLOW) |
	    ((flags & AT_EMPTY_PATH) ? EFS_R_EMPTY : 0), r);
	if (rc == EFS_NOT_MAPPED)
		return efs_pass(&c, real.faccessat(dirfd, r->host, mode, flags));
	if (rc == 0)
		rc = decide(&c, r, mode);
	return efs_leave(&c, rc);
}

EFS_EXPORT int
access(const char *path, int mode)
{
	return access_at("access", AT_FDCWD, path, mode, 0);
}

/* glibc calls the faccessat2 system call directly, so this is its own entry. */
EFS_EXPORT int
faccessat(int dirfd, const char *path, int mode, int flags)
{
	return access_at("faccessat", dirfd, path, mode, flags);
}

EFS_EXPORT int
euidaccess(const char *path, int mode)
{
	return access_at("euidaccess", AT_FDCWD, path, mode, AT_EACCESS);
}

EFS_EXPORT int
eaccess(const char *path, int mode)
{
	return access_at("eaccess", AT_FDCWD, path, mode, AT_EACCESS);
}
