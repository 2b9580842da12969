/* SPDX-License-Identifier: MIT */
/*
 * act.c: decisions shared by the wrapper families; see act.h.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

#include "act.h"
#include "attr.h"
#include "owner.h"
#include "perm.h"
#include "real.h"

int
efs_perm_why(const struct efs_res *r)
{
	return r->mt->who.squashed ? EFS_WHY_SQUASH : EFS_WHY_PERM;
}

void
efs_parent_view(const struct efs_res *r, char *buf, size_t len)
{
	const char *slash = strrchr(r->view, '/');
	size_t n = slash != NULL ? (size_t)(slash - r->view) : 0;

	snprintf(buf, len, "%.*s", (int)(n ? n : 1), n ? r->view : "/");
}

int
efs_need_access(struct efs_call *c, const struct efs_res *r, int mask)
{
	if (efs_perm_access(&r->mt->who, &r->attr, mask) == 0)
		return 0;
	efs_call_blame(c, efs_perm_why(r), &r->attr, r->view);
	return -EACCES;
}

/* Blame r's parent directory, named in the log when it is on (efs_call_logged). */
static void
blame_parent(struct efs_call *c, int why, const struct efs_res *r)
{
	efs_call_blame(c, why, &r->pattr, NULL);
	if (c->objpath != NULL)
		efs_parent_view(r, c->objpath, EFS_PATH_MAX);
}

static int
need_parent_write(struct efs_call *c, const struct efs_res *r)
{
	if (efs_perm_dir_write(&r->mt->who, &r->pattr) == 0)
		return 0;
	blame_parent(c, efs_perm_why(r), r);
	return -EACCES;
}

int
efs_need_create(struct efs_call *c, const struct efs_res *r)
{
	int rc;

	if (r->exists || r->is_root || r->dotlast)
		return -EEXIST;
	if ((rc = efs_write_gate(c, r)) != 0)
		return rc;
	return need_parent_write(c, r);
}

int
efs_need_delete(struct efs_call *c, const struct efs_res *r)
{
	int rc;

	if (!r->exists)
		return -ENOENT;
	if (r->is_root)
		return -EBUSY;
	if (!S_ISREG(r->st.st_mode))
		efs_gen_bump();		/* a directory or a link may lose its name */
	if ((rc = efs_write_gate(c, r)) != 0)
		return rc;
	if ((rc = need_parent_write(c, r)) != 0)
		return rc;
	if (efs_perm_delete(&r->mt->who, &r->pattr, &r->attr) != 0) {
		efs_call_blame(c, EFS_WHY_STICKY, &r->attr, r->view);
		return -EPERM;
	}
	return 0;
}

void
efs_clear_setid(const struct efs_mnt *mt, int fd, const char *babs,
    const struct stat *st, const struct efs_attr *a)
{
	struct efs_attr cur;

	if (!(a->mode & (S_ISUID | S_ISGID)) || !S_ISREG(a->mode) || mt->who.root)
		return;
	efs_owner_lock(st);
	if (fd >= 0)
		efs_owner_fget(fd, st, &cur);
	else
		efs_owner_get(babs, st, &cur);
	if (efs_perm_after_write(&mt->who, &cur)) {
		if (fd >= 0)
			(void)efs_owner_fset(fd, st, &cur);
		else
			(void)efs_owner_set(babs, st, &cur);
	}
	efs_owner_unlock(st);
}

void
efs_fd_written(int fd)
{
	struct efs_call c;
	struct efs_attr a;
	struct stat st;
	int k;

	if (!efs_enter(&c, "write", NULL))
		return;
	efs_fd_watch_setid(fd, 0);		/* once: later writes find no bits */
	if ((k = efs_fd_mount(fd)) >= 0 && real.fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    efs_owner_fget(fd, &st, &a) == 0)
		efs_clear_setid(&efs.mnt[k], fd, NULL, &st, &a);
	(void)efs_leave(&c, 0);
}

int
efs_open_dir(struct efs_call *c, const struct efs_res *r)
{
	const char *rel;
	int rc, dfd, fd;

	if (!r->exists)
		return -ENOENT;
	if (!S_ISDIR(r->st.st_mode))
		return -ENOTDIR;
	if ((rc = efs_need_access(c, r, EFS_MAY_READ)) != 0)
		return rc;
	if ((rc = efs_pin(r->mt, r->babs, &dfd, &rel)) != 0)
		return rc;
	fd = real.openat(dfd, rel, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NONBLOCK | O_NOFOLLOW);
	return fd >= 0 ? fd : -errno;
}

