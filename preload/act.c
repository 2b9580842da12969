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

void
efs_dobj_from(const struct efs_res *r, int rc, const char *path, struct efs_dobj *d)
{
	memset(d, 0, sizeof *d);
	if (rc == EFS_NOT_MAPPED) {
		d->mount = -1;
		return;
	}
	d->mount = r->mount;
	d->exists = r->exists;
	d->is_root = r->is_root;
	d->dotlast = r->dotlast;
	d->dotdot = r->dotlast && path != NULL && efs_decide_dotdot(path);
	d->slash = r->slash;
	if (r->exists) {
		d->type = r->st.st_mode & S_IFMT;
		d->dev = r->st.st_dev;
		d->ino = r->st.st_ino;
		d->nlink = r->st.st_nlink;
	}
	d->attr = r->attr;
	if (!r->is_root)
		d->pattr = r->pattr;
}

/* Blame r's object, or its parent directory (named in the log when it is on). */
static void
blame(struct efs_call *c, int why, const struct efs_res *r, int parent)
{
	if (!parent) {
		efs_call_blame(c, why, &r->attr, r->view);
		return;
	}
	efs_call_blame(c, why, &r->pattr, NULL);
	if (c->objpath != NULL)
		efs_parent_view(r, c->objpath, EFS_PATH_MAX);
}

int
efs_verdict_apply(struct efs_call *c, const struct efs_verdict *v,
    const struct efs_res *o, const struct efs_res *n)
{
	if (v->stale)
		efs_gen_bump();		/* before the call acts: a name goes */
	if (v->why == EFS_WHY_NONE)
		return v->err;
	switch (v->blame) {
	case EFS_BLAME_OBJ:
		blame(c, v->why, o, 0);
		break;
	case EFS_BLAME_PARENT:
		blame(c, v->why, o, 1);
		break;
	case EFS_BLAME_NEW:
		blame(c, v->why, n, 0);
		break;
	case EFS_BLAME_NEW_PARENT:
		blame(c, v->why, n, 1);
		break;
	default:
		efs_call_blame(c, v->why, NULL, NULL);
		break;
	}
	return v->err;
}

int
efs_write_gate(struct efs_call *c, const struct efs_res *r)
{
	struct efs_dmnt m = efs_dmnt_of(r->mt);
	struct efs_verdict v;

	efs_decide_gate(&m, &v);
	return efs_verdict_apply(c, &v, r, NULL);
}

int
efs_need_access(struct efs_call *c, const struct efs_res *r, int mask)
{
	struct efs_dmnt m = efs_dmnt_of(r->mt);
	struct efs_verdict v;
	struct efs_dobj d;

	efs_dobj_from(r, 0, NULL, &d);
	efs_decide_access(&m, &d, mask, &v);
	return efs_verdict_apply(c, &v, r, NULL);
}

int
efs_need_create(struct efs_call *c, const struct efs_res *r)
{
	struct efs_dmnt m = efs_dmnt_of(r->mt);
	struct efs_verdict v;
	struct efs_dobj d;

	efs_dobj_from(r, 0, NULL, &d);
	efs_decide_create(&m, &d, &v);
	return efs_verdict_apply(c, &v, r, NULL);
}

void
efs_clear_setid(const struct efs_mnt *mt, int fd, const char *babs,
    const struct stat *st, const struct efs_attr *a)
{
	struct efs_attr cur;
	int taken;

	if (!(a->mode & (S_ISUID | S_ISGID)) || !S_ISREG(a->mode) || mt->who.root)
		return;
	taken = efs_owner_lock(st);
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
	efs_owner_unlock(st, taken);
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

