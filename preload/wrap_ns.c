/* SPDX-License-Identifier: MIT */
/*
 * wrap_ns.c: the namespace operations (SPEC 5.3, 5.5, 5.6): mkdir, mknod
 * and mkfifo, unlink, rmdir and remove, rename, link, symlink, readlink.
 * Under a mount the emulated server decides with the server identity
 * (decide.h, the verdict applied by act.h), the real call acts on the
 * backing paths, and new objects are recorded.  Outside every mount the
 * calls pass through, except readlink of /proc links that would show a
 * backing path (SPEC 5.5).
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "act.h"
#include "owner.h"
#include "perm.h"
#include "publish.h"
#include "real.h"
#include "resolve.h"
#include "store.h"
#include "uaccess.h"

#ifdef __GLIBC__
extern void __chk_fail(void) __attribute__((noreturn));
#else
#include <stdlib.h>
#define __chk_fail	abort	/* no _FORTIFY_SOURCE callers outside glibc: never reached */
#endif

/* 0 or -errno from a real call that returns 0 or -1. */
static int
sys(int ret)
{
	return ret == 0 ? 0 : -errno;
}

/* ---------------------------------------------------------------- mkdir */

static int
mkdir_at(const char *op, int dirfd, const char *path, mode_t mode)
{
	struct efs_call c;
	struct efs_res *r;
	int rc;

	if (!efs_enter(&c, op, path))
		return real.mkdirat(dirfd, path, mode);
	if (!efs_may_map(dirfd, path))
		return efs_pass(&c, real.mkdirat(dirfd, path, mode));
	if ((r = efs_res_new()) == NULL)
		return efs_leave(&c, -ENOMEM);
	rc = efs_resolve(&c, dirfd, path, 0, r);
	if (rc == EFS_NOT_MAPPED)
		return efs_pass(&c, real.mkdirat(dirfd, r->host, mode));
	if (rc == 0)
		rc = efs_need_create(&c, r);
	if (rc == 0)
		rc = efs_publish_node(r, S_IFDIR, mode, NULL);
	return efs_leave(&c, rc);
}

EFS_EXPORT int
mkdir(const char *path, mode_t mode)
{
	return mkdir_at("mkdir", AT_FDCWD, path, mode);
}

EFS_EXPORT int
mkdirat(int dirfd, const char *path, mode_t mode)
{
	return mkdir_at("mkdirat", dirfd, path, mode);
}

/* ---------------------------------------------------------------- mknod */

/* mknodat semantics for every variant (efs_decide_mknod). */
static int
mknod_at(const char *op, int dirfd, const char *path, mode_t mode, dev_t dev)
{
	struct efs_call c;
	struct efs_res *r;
	uint32_t type = mode & S_IFMT;
	int rc = 0;

	if (!efs_enter(&c, op, path))
		return real.mknodat(dirfd, path, mode, dev);
	if (!efs_may_map(dirfd, path))
		return efs_pass(&c, real.mknodat(dirfd, path, mode, dev));
	if ((r = efs_res_new()) == NULL)
		return efs_leave(&c, -ENOMEM);
	rc = efs_resolve(&c, dirfd, path, 0, r);
	if (rc == EFS_NOT_MAPPED)
		return efs_pass(&c, real.mknodat(dirfd, r->host, mode, dev));
	if (rc == 0) {
		struct efs_dmnt m = efs_dmnt_of(r->mt);
		struct efs_verdict v;
		struct efs_dobj d;

		efs_dobj_from(r, rc, path, &d);
		efs_decide_mknod(&m, &d, type, &v);
		rc = efs_verdict_apply(&c, &v, r, NULL);
	}
	if (rc == 0)
		rc = efs_publish_node(r, type != 0 ? type : S_IFREG, mode, NULL);
	return efs_leave(&c, rc);
}

EFS_EXPORT int
mknod(const char *path, mode_t mode, dev_t dev)
{
	return mknod_at("mknod", AT_FDCWD, path, mode, dev);
}

EFS_EXPORT int
mknodat(int dirfd, const char *path, mode_t mode, dev_t dev)
{
	return mknod_at("mknodat", dirfd, path, mode, dev);
}

/* Pre-2.33 binaries; ver is _MKNOD_VER and carries nothing on x86_64. */
EFS_EXPORT int
__xmknod(int ver, const char *path, mode_t mode, dev_t *dev)
{
	return mknod_at("mknod", AT_FDCWD, path, mode, dev != NULL ? *dev : 0);
}

EFS_EXPORT int
__xmknodat(int ver, int dirfd, const char *path, mode_t mode, dev_t *dev)
{
	return mknod_at("mknodat", dirfd, path, mode, dev != NULL ? *dev : 0);
}

/* glibc's mkfifo calls its internal mknodat, which no wrapper sees. */
EFS_EXPORT int
mkfifo(const char *path, mode_t mode)
{
	return mknod_at("mkfifo", AT_FDCWD, path, S_IFIFO | (mode & 07777), 0);
}

EFS_EXPORT int
mkfifoat(int dirfd, const char *path, mode_t mode)
{
	return mknod_at("mkfifoat", dirfd, path, S_IFIFO | (mode & 07777), 0);
}

/* ------------------------------------------------- unlink, rmdir, remove */

enum { RM_UNLINK, RM_RMDIR, RM_REMOVE };

static int
remove_pass(int how, int dirfd, const char *path)
{
	switch (how) {
	case RM_UNLINK:
		return real.unlinkat(dirfd, path, 0);
	case RM_RMDIR:
		return real.unlinkat(dirfd, path, AT_REMOVEDIR);
	default:
		return real.remove(path);
	}
}

/*
 * unlink, rmdir and remove; remove decides as glibc's does: unlink, and on
 * EISDIR rmdir.  The object's store record goes when its last name does.
 */
static int
remove_at(const char *op, int dirfd, const char *path, int how)
{
	struct efs_call c;
	struct efs_res *r;
	const char *rel;
	uint64_t dkey, moves;
	int dfd;
	int rc, dir = how == RM_RMDIR;

	if (!efs_enter(&c, op, path))
		return remove_pass(how, dirfd, path);
	if (!efs_may_map(dirfd, path))
		return efs_pass(&c, remove_pass(how, dirfd, path));
	if ((r = efs_res_new()) == NULL)
		return efs_leave(&c, -ENOMEM);
	moves = efs_store_moves();		/* before the look: efs_retire_unlink */
	rc = efs_resolve(&c, dirfd, path, EFS_R_REMOVE, r);
	if (rc == EFS_NOT_MAPPED)
		return efs_pass(&c, remove_pass(how, dirfd, r->host));
	if (rc == 0) {
		struct efs_dmnt m = efs_dmnt_of(r->mt);
		struct efs_verdict v;
		struct efs_dobj d;

		efs_dobj_from(r, rc, path, &d);
		if (!dir) {
			efs_decide_unlink(&m, &d, &v);
			rc = efs_verdict_apply(&c, &v, r, NULL);
			if (rc == -EISDIR && how == RM_REMOVE)
				dir = 1;	/* as glibc's remove: unlink, then rmdir */
		}
		if (dir && (rc == 0 || rc == -EISDIR)) {
			efs_decide_rmdir(&m, &d, &v);
			rc = efs_verdict_apply(&c, &v, r, NULL);
		}
	}
	if (rc == 0 && (rc = efs_pin_key(r->mt, r->babs, &dfd, &rel, &dkey)) == 0) {
		struct efs_names held;

		efs_store_names_lock(dkey, rel, 0, NULL, &held);
		if (!dir)
			rc = efs_retire_unlink(dfd, rel, &r->st, moves);
		else {
			/* a directory: its record is in its xattr, or (no xattrs) in the store */
			struct efs_attr saved;
			int taken = efs_owner_forget(&r->st, &saved);

			rc = sys(real.unlinkat(dfd, rel, AT_REMOVEDIR));
			if (rc != 0 && taken)
				efs_owner_unforget(&r->st, &saved);
		}
		efs_store_left();	/* after the departure, under its lock */
		efs_store_names_unlock(&held);
	}
	return efs_leave(&c, rc);
}

EFS_EXPORT int
unlink(const char *path)
{
	return remove_at("unlink", AT_FDCWD, path, RM_UNLINK);
}

EFS_EXPORT int
unlinkat(int dirfd, const char *path, int flags)
{
	if (flags & ~AT_REMOVEDIR)
		return real.unlinkat(dirfd, path, flags);	/* EINVAL */
	return remove_at("unlinkat", dirfd, path,
	    (flags & AT_REMOVEDIR) ? RM_RMDIR : RM_UNLINK);
}

EFS_EXPORT int
rmdir(const char *path)
{
	return remove_at("rmdir", AT_FDCWD, path, RM_RMDIR);
}

/* glibc's remove calls its internal unlinkat, which no wrapper sees. */
EFS_EXPORT int
remove(const char *path)
{
	return remove_at("remove", AT_FDCWD, path, RM_REMOVE);
}

/*
 * A two-path call names both ends in the log: the first (c->view, which
 * the second resolution overwrote) and the second, each in the program's
 * view or, off the mounts, the host path; the mount is the one involved.
 */
static void
two_ends(struct efs_call *c, const struct efs_res *o, int ro, const struct efs_res *n, int rn,
    const char *np)
{
	c->view = ro == EFS_NOT_MAPPED ? o->host : o->view;
	c->path2 = np;
	c->view2 = rn == EFS_NOT_MAPPED ? n->host : n->view;
	c->mount = ro == 0 ? o->mount : n->mount;
}

/* ---------------------------------------------------------------- rename */

static int
rename_pass(int od, const char *op, int nd, const char *np, unsigned flags)
{
	if (flags == 0)
		return real.renameat(od, op, nd, np);
	if (real.renameat2 == NULL) {
		errno = ENOSYS;
		return -1;
	}
	return real.renameat2(od, op, nd, np, flags);
}

/* rename_move's answer when a target taken as missing (EFS_R_GUESS) was there. */
#define LOOK_AGAIN	1

/*
 * The rename itself, once decided: under the two names' locks, so that
 * what the target holds stays what it holds now until the rename; the
 * record retired is the displaced object's.  An exchange displaces
 * nothing, but it too puts an object at a name that a remover may hold.
 */
static int
rename_move(struct efs_res *o, struct efs_res *n, unsigned flags)
{
	char staged[64];
	struct efs_attr saved;
	struct efs_names held = { 0 };
	struct stat now;
	const char *orel, *nrel;
	uint64_t okey, nkey;
	int odfd, ndfd, rc;
	int replaces = n->exists && !(flags & (RENAME_EXCHANGE | RENAME_NOREPLACE));
	int kept = 0, taken = 0;

	if ((rc = efs_pin_key(o->mt, o->babs, &odfd, &orel, &okey)) != 0 ||
	    (rc = efs_pin_key(n->mt, n->babs, &ndfd, &nrel, &nkey)) != 0)
		return rc;
	efs_store_names_lock(okey, orel, nkey, nrel, &held);
	if (!(flags & RENAME_EXCHANGE)) {
		if (!n->exists && flags == 0) {
			/* nothing there a moment ago (or not looked at): most likely still nothing */
			rc = sys(real.renameat2(odfd, orel, ndfd, nrel, RENAME_NOREPLACE));
			/* there after all, or no RENAME_NOREPLACE here: a guess looks */
			if (n->guessed && (rc == -EEXIST || rc == -EINVAL))
				rc = LOOK_AGAIN;
			if (rc != -EEXIST && rc != -EINVAL) {
				efs_store_moved();	/* after: efs_store_changes */
				efs_store_names_unlock(&held);
				return rc;
			}
		}
		if (!(flags & RENAME_NOREPLACE))
			replaces = real.fstatat(ndfd, nrel, &now, AT_SYMLINK_NOFOLLOW) == 0;
		if (replaces)
			n->st = now;
	}
	/* an overwritten FIFO, socket or link loses its store record with it */
	if (replaces && !S_ISDIR(n->st.st_mode))
		kept = efs_retire_begin(ndfd, nrel, &n->st, staged, sizeof staged);
	if (kept == -ENOENT)		/* the target went meanwhile: nothing to replace */
		kept = 0;
	else if (replaces && kept == 0)
		taken = efs_owner_forget(&n->st, &saved);
	rc = sys(rename_pass(odfd, orel, ndfd, nrel, flags));
	if (kept > 0)
		efs_retire_end(staged, &n->st);
	if (rc != 0 && taken)
		efs_owner_unforget(&n->st, &saved);
	efs_store_moved();
	efs_store_names_unlock(&held);
	return rc;
}

/*
 * A rename that may create its target (flags 0 or RENAME_NOREPLACE) takes
 * the target as missing without looking (EFS_R_GUESS) and renames with
 * RENAME_NOREPLACE: the kernel says whether it was there.  It was, or the
 * decision refused: look, and decide again with what is there, so that
 * the answer is the one that a look first gives.
 */
static int
rename_at(const char *opname, int od, const char *op, int nd, const char *np,
    unsigned flags)
{
	struct efs_call c;
	struct efs_res *o, *n;
	struct efs_dobj dob, dnb;
	struct efs_verdict v;
	int ro, rn, rc, guess;

	if (!efs_enter(&c, opname, op))
		return rename_pass(od, op, nd, np, flags);
	if (!efs_may_map(od, op) && !efs_may_map(nd, np))
		return efs_pass(&c, rename_pass(od, op, nd, np, flags));
	if ((o = efs_res_new()) == NULL || (n = efs_res_new()) == NULL)
		return efs_leave(&c, -ENOMEM);
	guess = (flags & ~(unsigned)RENAME_NOREPLACE) == 0 ? EFS_R_GUESS : 0;
	for (;;) {
		struct efs_dmnt m = { NULL, 0 };
		struct efs_drel rel = { 0, 0, 0 };

		ro = efs_resolve(&c, od, op, EFS_R_REMOVE, o);
		if (ro < 0)
			return efs_leave(&c, ro);
		rn = efs_resolve(&c, nd, np, EFS_R_REMOVE | guess, n);
		if (rn < 0)
			return efs_leave(&c, rn);
		if (ro == EFS_NOT_MAPPED && rn == EFS_NOT_MAPPED)
			return efs_pass(&c, rename_pass(od, o->host, nd, n->host, flags));
		two_ends(&c, o, ro, n, rn, np);
		efs_dobj_from(o, ro, op, &dob);
		efs_dobj_from(n, rn, np, &dnb);
		if (ro == 0 && rn == 0) {
			m = efs_dmnt_of(o->mt);
			efs_decide_relate(o->babs, o->bparent, n->babs, n->bparent, &rel);
		}
		efs_decide_rename(&m, &dob, &dnb, &rel, flags, &v);
		if (v.err != 0 && rn == 0 && n->guessed) {
			guess = 0;
			continue;
		}
		rc = efs_verdict_apply(&c, &v, o, n);
		if (rc == 0 && !v.noop)
			rc = rename_move(o, n, flags);
		if (rc != LOOK_AGAIN)
			return efs_leave(&c, rc);
		guess = 0;
	}
}

EFS_EXPORT int
rename(const char *oldpath, const char *newpath)
{
	return rename_at("rename", AT_FDCWD, oldpath, AT_FDCWD, newpath, 0);
}

EFS_EXPORT int
renameat(int olddirfd, const char *oldpath, int newdirfd, const char *newpath)
{
	return rename_at("renameat", olddirfd, oldpath, newdirfd, newpath, 0);
}

EFS_EXPORT int
renameat2(int olddirfd, const char *oldpath, int newdirfd, const char *newpath,
    unsigned int flags)
{
	return rename_at("renameat2", olddirfd, oldpath, newdirfd, newpath, flags);
}

/* ------------------------------------------------------------------ link */

static int
link_at(const char *opname, int od, const char *op, int nd, const char *np, int flags)
{
	struct efs_call c;
	struct efs_res *o, *n;
	struct efs_dobj dob, dnb;
	struct efs_dmnt m = { NULL, 0 };
	struct efs_verdict v;
	char proc[64];
	const char *orel, *nrel;
	int ro, rn, rc, odfd, ndfd;

	if (!efs_enter(&c, opname, op))
		return real.linkat(od, op, nd, np, flags);
	if ((flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH)) ||
	    (!efs_may_map(od, op) && !efs_may_map(nd, np)))
		return efs_pass(&c, real.linkat(od, op, nd, np, flags));
	if ((o = efs_res_new()) == NULL || (n = efs_res_new()) == NULL)
		return efs_leave(&c, -ENOMEM);
	ro = efs_resolve(&c, od, op, ((flags & AT_SYMLINK_FOLLOW) ? EFS_R_FOLLOW : 0) |
	    ((flags & AT_EMPTY_PATH) ? EFS_R_EMPTY : 0), o);
	if (ro < 0)
		return efs_leave(&c, ro);
	rn = efs_resolve(&c, nd, np, 0, n);
	if (rn < 0)
		return efs_leave(&c, rn);
	if (ro == EFS_NOT_MAPPED && rn == EFS_NOT_MAPPED)
		return efs_pass(&c, real.linkat(od, o->host, nd, n->host, flags));
	two_ends(&c, o, ro, n, rn, np);
	efs_dobj_from(o, ro, op, &dob);
	efs_dobj_from(n, rn, np, &dnb);
	if (rn == 0)
		m = efs_dmnt_of(n->mt);
	efs_decide_link(&m, &dob, &dnb, &v);
	rc = efs_verdict_apply(&c, &v, o, n);
	if (rc == 0 && (rc = efs_pin(n->mt, n->babs, &ndfd, &nrel)) == 0) {
		efs_store_moved();	/* a second name: see efs_store_moves */
		if (o->babs[0] != '\0' && o->mt == NULL)	/* a host object: decide_link said so */
			rc = sys(real.linkat(AT_FDCWD, o->babs, ndfd, nrel, 0));
		else if (o->babs[0] != '\0') {
			if ((rc = efs_pin(o->mt, o->babs, &odfd, &orel)) == 0)
				rc = sys(real.linkat(odfd, orel, ndfd, nrel, 0));
		} else {
			/* AT_EMPTY_PATH: the descriptor's object, by its /proc link */
			snprintf(proc, sizeof proc, "/proc/self/fd/%d", od);
			rc = sys(real.linkat(AT_FDCWD, proc, ndfd, nrel, AT_SYMLINK_FOLLOW));
		}
	}
	return efs_leave(&c, rc);
}

EFS_EXPORT int
link(const char *oldpath, const char *newpath)
{
	return link_at("link", AT_FDCWD, oldpath, AT_FDCWD, newpath, 0);
}

EFS_EXPORT int
linkat(int olddirfd, const char *oldpath, int newdirfd, const char *newpath, int flags)
{
	return link_at("linkat", olddirfd, oldpath, newdirfd, newpath, flags);
}

/* --------------------------------------------------------------- symlink */

/*
 * symlink(2): the target is stored as written; the client resolves it
 * (resolve.c).  The client's own limits first (empty, PATH_MAX), then
 * creation and EFS's 4,080-byte limit (efs_decide_symlink, SPEC 5.6).
 */
static int
symlink_at(const char *op, const char *target, int dirfd, const char *path)
{
	struct efs_call c;
	struct efs_res *r;
	size_t tl;
	int rc;

	if (!efs_enter(&c, op, path))
		return real.symlinkat(target, dirfd, path);
	/* a target efsap may not read: the kernel says EFAULT or ENAMETOOLONG
	 * (it copies the target before it looks at the path) */
	if (efs_ustr(target, EFS_PATH_MAX) != 0 || !efs_may_map(dirfd, path))
		return efs_pass(&c, real.symlinkat(target, dirfd, path));
	tl = strlen(target);
	if ((r = efs_res_new()) == NULL)
		return efs_leave(&c, -ENOMEM);
	if (tl == 0)
		rc = -ENOENT;
	else if (tl >= EFS_PATH_MAX)
		rc = -ENAMETOOLONG;
	else
		rc = efs_resolve(&c, dirfd, path, 0, r);
	if (rc == EFS_NOT_MAPPED)
		return efs_pass(&c, real.symlinkat(target, dirfd, r->host));
	if (rc == 0) {
		struct efs_dmnt m = efs_dmnt_of(r->mt);
		struct efs_verdict v;
		struct efs_dobj d;

		efs_dobj_from(r, rc, path, &d);
		efs_decide_symlink(&m, &d, tl, &v);
		rc = efs_verdict_apply(&c, &v, r, NULL);
	}
	if (rc == 0)
		rc = efs_publish_node(r, S_IFLNK, 0777, target);
	return efs_leave(&c, rc);
}

EFS_EXPORT int
symlink(const char *target, const char *linkpath)
{
	return symlink_at("symlink", target, AT_FDCWD, linkpath);
}

EFS_EXPORT int
symlinkat(const char *target, int newdirfd, const char *linkpath)
{
	return symlink_at("symlinkat", target, newdirfd, linkpath);
}

/* -------------------------------------------------------------- readlink */

static int
parse_uint(const char **s, unsigned long *v)
{
	const char *p = *s;

	if (*p < '0' || *p > '9')
		return -1;
	for (*v = 0; *p >= '0' && *p <= '9'; p++)
		*v = *v * 10 + (unsigned long)(*p - '0');
	*s = p;
	return 0;
}

/*
 * What follows "/proc/<this process>/" (or thread-self, or a task of this
 * process) in path, or NULL when path names another process or none.
 */
static const char *
proc_self_rest(const char *path)
{
	const char *p = path + 6;	/* after "/proc/" */
	unsigned long v;

	if (strncmp(path, "/dev/fd/", 8) == 0)
		return path + 5;	/* a link to /proc/self/fd */

	if (strncmp(p, "thread-self/", 12) == 0)
		return p + 12;
	if (strncmp(p, "self/", 5) == 0)
		p += 5;
	else if (parse_uint(&p, &v) == 0 && *p == '/' && v == (unsigned long)getpid())
		p++;
	else
		return NULL;
	if (strncmp(p, "task/", 5) == 0) {
		p += 5;
		if (parse_uint(&p, &v) != 0 || *p != '/')
			return NULL;
		p++;
	}
	return p;
}

/*
 * readlink of a /proc link (cwd, fd/N, exe...) outside every mount: the
 * kernel answers with backing paths, the program must see its view
 * (SPEC 5.5).  Truncated to len without a NUL, as readlink does.
 */
static ssize_t
proc_readlink(const char *path, char *buf, size_t len)
{
	char *target, *view;
	const char *rest, *out;
	unsigned long fd;
	ssize_t n;
	size_t ol;
	int k;

	if (buf == NULL || len == 0)
		return real.readlink(path, buf, len);	/* EFAULT, EINVAL */
	/* the wrapper's scratch: released when it leaves */
	if ((target = efs_scratch_path()) == NULL || (view = efs_scratch_path()) == NULL) {
		errno = ENOMEM;
		return -1;
	}
	out = target;
	n = real.readlink(path, target, EFS_PATH_MAX);
	if (n < 0 || (size_t)n >= EFS_PATH_MAX)
		return n < 0 ? n : real.readlink(path, buf, len);
	target[n] = '\0';
	ol = (size_t)n;
	rest = target[0] == '/' ? proc_self_rest(path) : NULL;
	if (rest != NULL && strcmp(rest, "cwd") == 0 &&
	    __atomic_load_n(&efs.cwd_mount, __ATOMIC_RELAXED) >= 0) {
		if (efs_cwd_get(view, EFS_PATH_MAX) == EFS_CWD_TOO_LONG) {
			errno = ENAMETOOLONG;	/* as the kernel says of a path past a page */
			return -1;
		}
		out = view;
	} else if (rest != NULL && strncmp(rest, "fd/", 3) == 0 &&
	    (rest += 3, parse_uint(&rest, &fd) == 0) && *rest == '\0' &&
	    fd < EFS_FDTAB && (k = efs_fd_mount((int)fd)) >= 0 &&
	    strncmp(target, efs.mnt[k].broot, efs.mnt[k].blen) == 0 &&
	    (target[efs.mnt[k].blen] == '\0' || target[efs.mnt[k].blen] == '/')) {
		/* the descriptor's own mount, where two mounts share a backing */
		if ((size_t)snprintf(view, EFS_PATH_MAX, "%s%s", efs.mnt[k].cpath,
		    target + efs.mnt[k].blen) < EFS_PATH_MAX)
			out = view;
	} else if (target[0] == '/' && efs_backing_to_view(target, view, EFS_PATH_MAX) == 0)
		out = view;
	if (out == view)
		ol = strlen(view);
	if (ol > len)
		ol = len;
	if (efs_uwrite(buf, ol) != 0) {		/* the kernel's answer for such a buffer */
		errno = EFAULT;
		return -1;
	}
	memcpy(buf, out, ol);
	return (ssize_t)ol;
}

/* Might readlink of path show a backing path (SPEC 5.5)? */
static int
is_proc(const char *path)
{
	return strncmp(path, "/proc/", 6) == 0 || strncmp(path, "/dev/fd/", 8) == 0;
}

static ssize_t
readlink_at(const char *op, int dirfd, const char *path, char *buf, size_t len)
{
	struct efs_call c;
	struct efs_res *r;
	long rc;
	ssize_t n;

	if (!efs_enter(&c, op, path))
		return real.readlinkat(dirfd, path, buf, len);
	if (!efs_may_map(dirfd, path) || path[0] == '\0' || len == 0) {
		/* "" names dirfd itself: the kernel reads the link text as stored;
		 * len 0 is EINVAL before anything else */
		if (efs_upath(path) && is_proc(path))
			return efs_pass(&c, proc_readlink(path, buf, len));
		return efs_pass(&c, real.readlinkat(dirfd, path, buf, len));
	}
	if ((r = efs_res_new()) == NULL)
		return efs_leave(&c, -ENOMEM);
	rc = efs_resolve(&c, dirfd, path, 0, r);
	if (rc == EFS_NOT_MAPPED) {
		if (is_proc(r->host))
			return efs_pass(&c, proc_readlink(r->host, buf, len));
		return efs_pass(&c, real.readlinkat(dirfd, r->host, buf, len));
	}
	if (rc == 0 && !r->exists)
		rc = -ENOENT;
	if (rc == 0 && !S_ISLNK(r->st.st_mode))
		rc = -EINVAL;
	if (rc == 0) {
		const char *rel;
		int dfd;

		if ((rc = efs_pin(r->mt, r->babs, &dfd, &rel)) == 0) {
			n = real.readlinkat(dfd, rel, buf, len);
			rc = n < 0 ? -errno : n;
		}
	}
	return efs_leave(&c, rc);
}

EFS_EXPORT ssize_t
readlink(const char *path, char *buf, size_t len)
{
	return readlink_at("readlink", AT_FDCWD, path, buf, len);
}

EFS_EXPORT ssize_t
readlinkat(int dirfd, const char *path, char *buf, size_t len)
{
	return readlink_at("readlinkat", dirfd, path, buf, len);
}

/* _FORTIFY_SOURCE entry points: the buffer's known size must hold len. */
EFS_EXPORT ssize_t
__readlink_chk(const char *path, char *buf, size_t len, size_t buflen)
{
	if (len > buflen)
		__chk_fail();
	return readlink_at("readlink", AT_FDCWD, path, buf, len);
}

EFS_EXPORT ssize_t
__readlinkat_chk(int dirfd, const char *path, char *buf, size_t len, size_t buflen)
{
	if (len > buflen)
		__chk_fail();
	return readlink_at("readlinkat", dirfd, path, buf, len);
}
