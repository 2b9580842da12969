/* SPDX-License-Identifier: MIT */
/*
 * decide.c: the namespace calls' decisions, pure; see decide.h.
 *
 * The internal helpers take a side: 0 for the (old) object, 1 for the new
 * name of a rename or link, so that a refusal blames the right one.  They
 * add to a verdict the caller cleared; only the exported functions clear.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "decide.h"
#include "perm.h"

#define IS(o, t)	((o)->type == (t))

static int
blame_obj(int side)
{
	return side ? EFS_BLAME_NEW : EFS_BLAME_OBJ;
}

static int
blame_parent(int side)
{
	return side ? EFS_BLAME_NEW_PARENT : EFS_BLAME_PARENT;
}

/* A refusal without a reason for the log (the errno says it all). */
static int
fail(struct efs_verdict *v, int err)
{
	v->err = err;
	return err;
}

/* A refusal the log explains, blaming an object (or none). */
static int
refuse(struct efs_verdict *v, int err, int why, int blame)
{
	v->err = err;
	v->why = why;
	v->blame = blame;
	return err;
}

static void
clear(struct efs_verdict *v)
{
	memset(v, 0, sizeof *v);
}

/* Why the server identity's permission bits refused. */
static int
perm_why(const struct efs_dmnt *m)
{
	return m->who->squashed ? EFS_WHY_SQUASH : EFS_WHY_PERM;
}

int
efs_decide_dotdot(const char *path)
{
	size_t n = strlen(path);

	while (n > 1 && path[n - 1] == '/')
		n--;
	return n >= 2 && path[n - 1] == '.' && path[n - 2] == '.' &&
	    (n == 2 || path[n - 3] == '/');
}

/* Is backing path `in` strictly inside directory `dir`? */
static int
inside(const char *in, const char *dir)
{
	size_t n = strlen(dir);

	return strncmp(in, dir, n) == 0 && in[n] == '/';
}

void
efs_decide_relate(const char *obabs, size_t obparent, const char *nbabs,
    size_t nbparent, struct efs_drel *rel)
{
	rel->new_in_old = inside(nbabs, obabs);
	rel->old_in_new = inside(obabs, nbabs);
	rel->same_parent = obparent == nbparent && memcmp(obabs, nbabs, obparent) == 0;
}

int
efs_decide_open_access(int flags)
{
	int acc;

	switch (flags & O_ACCMODE) {
	case O_RDONLY:
		acc = EFS_MAY_READ;
		break;
	case O_WRONLY:
		acc = EFS_MAY_WRITE;
		break;
	default:
		acc = EFS_MAY_READ | EFS_MAY_WRITE;
		break;
	}
	if (flags & O_TRUNC)
		acc |= EFS_MAY_WRITE;
	return acc;
}

/* ------------------------------------------------------ shared checks */

static int
gate(const struct efs_dmnt *m, struct efs_verdict *v)
{
	if (m->erofs == 0)
		return 0;
	return refuse(v, -EROFS, m->erofs, EFS_BLAME_NONE);
}

static int
may_access(const struct efs_dmnt *m, const struct efs_dobj *o, int side, int mask,
    struct efs_verdict *v)
{
	if (efs_perm_access(m->who, &o->attr, mask) == 0)
		return 0;
	return refuse(v, -EACCES, perm_why(m), blame_obj(side));
}

static int
parent_write(const struct efs_dmnt *m, const struct efs_dobj *o, int side,
    struct efs_verdict *v)
{
	if (efs_perm_dir_write(m->who, &o->pattr) == 0)
		return 0;
	return refuse(v, -EACCES, perm_why(m), blame_parent(side));
}

static int
create(const struct efs_dmnt *m, const struct efs_dobj *o, int side,
    struct efs_verdict *v)
{
	int rc;

	if (o->exists || o->is_root || o->dotlast)
		return fail(v, -EEXIST);
	if ((rc = gate(m, v)) != 0)
		return rc;
	return parent_write(m, o, side, v);
}

static int
delete(const struct efs_dmnt *m, const struct efs_dobj *o, int side,
    struct efs_verdict *v)
{
	int rc;

	if (!o->exists)
		return fail(v, -ENOENT);
	if (o->is_root)
		return fail(v, -EBUSY);
	if (!IS(o, S_IFREG))
		v->stale = 1;		/* a directory or a link may lose its name */
	if ((rc = gate(m, v)) != 0)
		return rc;
	if ((rc = parent_write(m, o, side, v)) != 0)
		return rc;
	if (efs_perm_delete(m->who, &o->pattr, &o->attr) != 0)
		return refuse(v, -EPERM, EFS_WHY_STICKY, blame_obj(side));
	return 0;
}

int
efs_decide_access(const struct efs_dmnt *m, const struct efs_dobj *o, int mask,
    struct efs_verdict *v)
{
	clear(v);
	return may_access(m, o, 0, mask, v);
}

int
efs_decide_faccess(const struct efs_dmnt *m, const struct efs_dobj *o, int mode,
    struct efs_verdict *v)
{
	int rc;

	clear(v);
	if (!o->exists)
		return fail(v, -ENOENT);
	if (mode == F_OK)
		return 0;
	if ((rc = may_access(m, o, 0, mode, v)) != 0)
		return rc;
	if ((mode & W_OK) && (IS(o, S_IFREG) || IS(o, S_IFDIR) || IS(o, S_IFLNK)))
		return gate(m, v);
	return 0;
}

int
efs_decide_gate(const struct efs_dmnt *m, struct efs_verdict *v)
{
	clear(v);
	return gate(m, v);
}

int
efs_decide_create(const struct efs_dmnt *m, const struct efs_dobj *o,
    struct efs_verdict *v)
{
	clear(v);
	return create(m, o, 0, v);
}

int
efs_decide_delete(const struct efs_dmnt *m, const struct efs_dobj *o,
    struct efs_verdict *v)
{
	clear(v);
	return delete(m, o, 0, v);
}

/* ------------------------------------------------------ unlink, rmdir */

int
efs_decide_unlink(const struct efs_dmnt *m, const struct efs_dobj *o,
    struct efs_verdict *v)
{
	int rc;

	clear(v);
	if (o->dotlast || o->is_root)
		return fail(v, -EISDIR);
	if ((rc = gate(m, v)) != 0)
		return rc;
	if (!o->exists)
		return fail(v, -ENOENT);
	if (o->slash && IS(o, S_IFDIR))
		return fail(v, -EISDIR);
	if ((rc = delete(m, o, 0, v)) != 0)
		return rc;
	if (IS(o, S_IFDIR))
		return fail(v, -EISDIR);
	return 0;
}

int
efs_decide_rmdir(const struct efs_dmnt *m, const struct efs_dobj *o,
    struct efs_verdict *v)
{
	int rc;

	clear(v);
	if (o->dotlast)
		return fail(v, o->dotdot ? -ENOTEMPTY : -EINVAL);
	if (o->is_root)
		return fail(v, -EBUSY);
	if ((rc = gate(m, v)) != 0)
		return rc;
	if (!o->exists)
		return fail(v, -ENOENT);
	if ((rc = delete(m, o, 0, v)) != 0)
		return rc;
	if (!IS(o, S_IFDIR))
		return fail(v, -ENOTDIR);
	return 0;
}

/* ------------------------------------------------------ mknod, symlink */

int
efs_decide_mknod(const struct efs_dmnt *m, const struct efs_dobj *o, uint32_t type,
    struct efs_verdict *v)
{
	int rc;

	clear(v);
	if (type == 0)
		type = S_IFREG;
	if (type == S_IFDIR)
		return fail(v, -EPERM);
	if (type != S_IFREG && type != S_IFIFO && type != S_IFSOCK && type != S_IFCHR &&
	    type != S_IFBLK)
		return fail(v, -EINVAL);
	if ((rc = create(m, o, 0, v)) != 0)
		return rc;
	if (type == S_IFCHR || type == S_IFBLK)
		return refuse(v, -EPERM, EFS_WHY_UNSUPPORTED, EFS_BLAME_NONE);
	return 0;
}

int
efs_decide_symlink(const struct efs_dmnt *m, const struct efs_dobj *o, size_t tlen,
    struct efs_verdict *v)
{
	int rc;

	clear(v);
	if ((rc = create(m, o, 0, v)) != 0)
		return rc;
	if (tlen > EFS_SYMLINK_MAX)
		return refuse(v, -ENAMETOOLONG, EFS_WHY_LIMIT, EFS_BLAME_NONE);
	return 0;
}

/* ------------------------------------------------------------- rename */

int
efs_decide_rename(const struct efs_dmnt *m, const struct efs_dobj *o,
    const struct efs_dobj *n, const struct efs_drel *rel, unsigned flags,
    struct efs_verdict *v)
{
	int xchg = (flags & RENAME_EXCHANGE) != 0;
	int odir, ndir, rc;

	clear(v);
	if ((flags & ~(unsigned)(RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT)) ||
	    (xchg && (flags & (RENAME_NOREPLACE | RENAME_WHITEOUT))))
		return fail(v, -EINVAL);
	if (flags & RENAME_WHITEOUT)
		return fail(v, -EINVAL);	/* an overlayfs feature: not over NFS */
	if (o->mount < 0 || n->mount < 0 || o->mount != n->mount)
		return refuse(v, -EXDEV, EFS_WHY_XDEV, EFS_BLAME_NONE);

	if (o->dotlast || o->is_root)
		return fail(v, -EBUSY);
	if (n->dotlast || n->is_root)
		return fail(v, (flags & RENAME_NOREPLACE) ? -EEXIST : -EBUSY);
	if ((rc = gate(m, v)) != 0)
		return rc;
	if (!o->exists)
		return fail(v, -ENOENT);
	if ((flags & RENAME_NOREPLACE) && n->exists)
		return fail(v, -EEXIST);
	if (xchg && !n->exists)
		return fail(v, -ENOENT);
	odir = IS(o, S_IFDIR);
	ndir = n->exists && IS(n, S_IFDIR);
	if (!xchg && !odir && (o->slash || n->slash))
		return fail(v, -ENOTDIR);
	if (rel->new_in_old)
		return fail(v, -EINVAL);
	if (rel->old_in_new)
		return fail(v, xchg ? -EINVAL : -ENOTEMPTY);
	if (n->exists && o->dev == n->dev && o->ino == n->ino) {
		v->noop = 1;		/* the same file: nothing to do */
		return 0;
	}
	if ((rc = delete(m, o, 0, v)) != 0)
		return rc;
	if (!n->exists)
		rc = create(m, n, 1, v);
	else if ((rc = delete(m, n, 1, v)) == 0 && !xchg) {
		if (odir && !ndir)
			rc = fail(v, -ENOTDIR);
		else if (!odir && ndir)
			rc = fail(v, -EISDIR);
	}
	if (rc != 0)
		return rc;
	if (!rel->same_parent) {
		if (odir && (rc = may_access(m, o, 0, EFS_MAY_WRITE, v)) != 0)
			return rc;
		if (xchg && ndir && (rc = may_access(m, n, 1, EFS_MAY_WRITE, v)) != 0)
			return rc;
	}
	return 0;
}

/* --------------------------------------------------------------- link */

static int
hardlink(const struct efs_dmnt *m, const struct efs_dobj *o, struct efs_verdict *v)
{
	const struct efs_who *who = m->who;
	const struct efs_attr *a = &o->attr;

	if (who->root || who->id.uid == a->uid)
		return 0;
	if (S_ISREG(a->mode) && !(a->mode & S_ISUID) &&
	    (a->mode & (S_ISGID | S_IXGRP)) != (S_ISGID | S_IXGRP) &&
	    efs_perm_access(who, a, EFS_MAY_READ | EFS_MAY_WRITE) == 0)
		return 0;
	return refuse(v, -EPERM, EFS_WHY_PERM, EFS_BLAME_OBJ);
}

int
efs_decide_hardlink(const struct efs_dmnt *m, const struct efs_dobj *o,
    struct efs_verdict *v)
{
	clear(v);
	return hardlink(m, o, v);
}

int
efs_decide_link(const struct efs_dmnt *m, const struct efs_dobj *o,
    const struct efs_dobj *n, struct efs_verdict *v)
{
	int rc;

	clear(v);
	if (n->mount < 0)
		return refuse(v, -EXDEV, EFS_WHY_XDEV, EFS_BLAME_NONE);
	if (n->exists || n->is_root || n->dotlast)
		return fail(v, -EEXIST);
	if ((rc = gate(m, v)) != 0)
		return rc;
	if (o->mount != n->mount)
		return refuse(v, -EXDEV, EFS_WHY_XDEV, EFS_BLAME_NONE);
	if (!o->exists)
		return fail(v, -ENOENT);
	if ((rc = hardlink(m, o, v)) != 0)
		return rc;
	if ((rc = create(m, n, 1, v)) != 0)
		return rc;
	if (IS(o, S_IFDIR))
		return fail(v, -EPERM);
	if (o->nlink >= EFS_LINK_MAX)
		return refuse(v, -EMLINK, EFS_WHY_LIMIT, EFS_BLAME_OBJ);
	return 0;
}

/* --------------------------------------------------------------- open */

int
efs_decide_open(const struct efs_dmnt *m, const struct efs_dobj *o, int flags,
    struct efs_verdict *v)
{
	int acc = efs_decide_open_access(flags), rc;

	clear(v);
	if ((flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL))
		return fail(v, -EEXIST);
	if ((flags & O_CREAT) && IS(o, S_IFDIR))
		return fail(v, -EISDIR);
	if ((flags & O_DIRECTORY) && !IS(o, S_IFDIR))
		return fail(v, -ENOTDIR);
	if (flags & O_PATH)		/* no access is checked for a path handle */
		return 0;
	if ((flags & O_TRUNC) && IS(o, S_IFREG) && (rc = gate(m, v)) != 0)
		return rc;
	if (IS(o, S_IFLNK))
		return fail(v, -ELOOP);
	if (IS(o, S_IFDIR) && (acc & EFS_MAY_WRITE))
		return fail(v, -EISDIR);
	if (IS(o, S_IFREG) && (acc & EFS_MAY_WRITE) && (rc = gate(m, v)) != 0)
		return rc;
	return may_access(m, o, 0, acc, v);
}

int
efs_decide_tmpfile(const struct efs_dmnt *m, const struct efs_dobj *o,
    struct efs_verdict *v)
{
	int rc;

	clear(v);
	if (!o->exists)
		return fail(v, -ENOENT);
	if (!IS(o, S_IFDIR))
		return fail(v, -ENOTDIR);
	if ((rc = gate(m, v)) != 0)
		return rc;
	if (efs_perm_dir_write(m->who, &o->attr) != 0)
		return refuse(v, -EACCES, perm_why(m), EFS_BLAME_OBJ);
	return 0;
}

int
efs_decide_truncate(const struct efs_dmnt *m, const struct efs_dobj *o,
    struct efs_verdict *v)
{
	int rc;

	clear(v);
	if (!o->exists)
		return fail(v, -ENOENT);
	if (IS(o, S_IFDIR))
		return fail(v, -EISDIR);
	if (!IS(o, S_IFREG))
		return fail(v, -EINVAL);
	if ((rc = gate(m, v)) != 0)
		return rc;
	return may_access(m, o, 0, EFS_MAY_WRITE, v);
}
