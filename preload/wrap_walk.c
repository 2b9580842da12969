/* SPDX-License-Identifier: MIT */
/*
 * wrap_walk.c: the directory walkers of libc (scandir, nftw, ftw, glob).
 * glibc implements them with its internal open/stat/readdir, which no
 * wrapper sees (peers.md 8.3), so each is wrapped here.
 *
 * nftw under a mount walks the backing directory for real, physically,
 * through a trampoline that shows the caller program-view paths and
 * recorded attributes, decides with the server identity what a listing
 * and a lookup would allow (FTW_DNR, FTW_NS), and follows symbolic links
 * as an NFS client does (a walk of its own for a link to a directory).
 */
#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef FTW_ACTIONRETVAL		/* glibc's values; musl has no FTW_ACTIONRETVAL */
#define FTW_ACTIONRETVAL	16
#define FTW_CONTINUE		0
#define FTW_STOP		1
#define FTW_SKIP_SUBTREE	2
#define FTW_SKIP_SIBLINGS	3
#endif

#include "act.h"
#include "attr.h"
#include "owner.h"
#include "path.h"
#include "perm.h"
#include "real.h"
#include "resolve.h"
#include "vfork.h"

#if EFS_LFS_ALIASES
_Static_assert(sizeof(struct stat) == sizeof(struct stat64), "stat64 layout");
_Static_assert(sizeof(struct dirent) == sizeof(struct dirent64), "dirent64 layout");
#endif

/* ---- scandir ---- */

typedef int (*sel_fn)(const struct dirent *);
typedef int (*cmp_fn)(const struct dirent **, const struct dirent **);

/* Take efsap's staging directory out of a listing of the image's (n entries): the new count. */
static int
scan_unstage(struct dirent **l, int n)
{
	int i, k = 0;

	for (i = 0; i < n; i++) {
		if (strcmp(l[i]->d_name, EFS_IMAGE_STAGE) == 0)
			free(l[i]);
		else
			l[k++] = l[i];
	}
	return k;
}

/*
 * scandirat semantics for every variant: under a mount the server
 * identity needs read permission on the directory; the listing is the
 * backing directory's (names only), less efsap's staging directory in
 * the image's root.
 */
static int
scan_at(const char *op, int dirfd, const char *path, struct dirent ***list,
    sel_fn sel, cmp_fn cmp)
{
	struct efs_call c;
	struct efs_res *r;
	int rc, fd, n, e;

	if (!efs_enter(&c, op, path))
		return real.scandirat(dirfd, path, list, sel, cmp);
	/* passed through: leave first, the caller's functions run inside */
	if (!efs_may_map(dirfd, path)) {
		efs_pass(&c, 0);
		return real.scandirat(dirfd, path, list, sel, cmp);
	}
	if ((r = efs_res_new()) == NULL)
		return efs_leave(&c, -ENOMEM);
	rc = efs_resolve(&c, dirfd, path, EFS_R_FOLLOW, r);
	if (rc == EFS_NOT_MAPPED) {
		efs_pass(&c, 0);
		return real.scandirat(dirfd, r->host, list, sel, cmp);
	}
	if (rc == 0 && (fd = efs_open_dir(&c, r)) < 0)
		rc = fd;
	if (rc != 0)
		return efs_leave(&c, rc);
	/* the caller's selector and comparator may call wrapped functions: as the caller */
	efs_call_suspend();
	n = real.scandirat(fd, ".", list, sel, cmp);
	e = errno;
	efs_call_resume();
	real.close(fd);
	if (n > 0 && r->mt->image && r->is_root)
		n = scan_unstage(*list, n);
	return efs_leave(&c, n < 0 ? -e : n);
}

EFS_EXPORT int
scandir(const char *path, struct dirent ***list, sel_fn sel, cmp_fn cmp)
{
	return scan_at("scandir", AT_FDCWD, path, list, sel, cmp);
}

#if EFS_LFS_ALIASES
EFS_EXPORT int
scandir64(const char *path, struct dirent64 ***list,
    int (*sel)(const struct dirent64 *),
    int (*cmp)(const struct dirent64 **, const struct dirent64 **))
{
	return scan_at("scandir", AT_FDCWD, path, (struct dirent ***)list,
	    (sel_fn)sel, (cmp_fn)cmp);
}
#endif

EFS_EXPORT int
scandirat(int dirfd, const char *path, struct dirent ***list, sel_fn sel, cmp_fn cmp)
{
	return scan_at("scandirat", dirfd, path, list, sel, cmp);
}

#if EFS_LFS_ALIASES
EFS_EXPORT int
scandirat64(int dirfd, const char *path, struct dirent64 ***list,
    int (*sel)(const struct dirent64 *),
    int (*cmp)(const struct dirent64 **, const struct dirent64 **))
{
	return scan_at("scandirat", dirfd, path, (struct dirent ***)list,
	    (sel_fn)sel, (cmp_fn)cmp);
}
#endif

/* ---- nftw, ftw ---- */

typedef int (*nftw_fn)(const char *, const struct stat *, int, struct FTW *);
typedef int (*ftw_fn)(const char *, const struct stat *, int);

#define WALK_LEVELS	256	/* directory levels whose permissions are tracked */
#define NFTW_FLAGS	(FTW_PHYS | FTW_MOUNT | FTW_CHDIR | FTW_DEPTH | FTW_ACTIONRETVAL)

/* What the server lets the walk do with a directory (or an entry in it). */
enum lst {
	LS_OK,			/* listable and searchable */
	LS_NOX,			/* listable, not searchable: its entries are FTW_NS */
	LS_DNR,			/* not readable: FTW_DNR, no entries */
	LS_NS,			/* cannot be looked up: FTW_NS, no entries */
	LS_HIDDEN		/* not seen at all */
};

struct lvl {
	size_t len;		/* of its backing path; 0: not known */
	int ls;
	dev_t dev;
	ino_t ino;
};

/* One real nftw under way in this thread (walks nest: links, callbacks). */
struct walk {
	struct walk *prev;		/* the walk under way before this one */
	struct walk *up;		/* the walk whose link this one follows */
	nftw_fn fn;
	ftw_fn ofn;			/* ftw(3) callback, when fn is NULL */
	int flags;			/* the caller's */
	int fds;			/* the caller's limit of open directories */
	const struct efs_mnt *mt;	/* the walk's mount, NULL for a host directory */
	const char *bpre;		/* backing path given to the real nftw */
	size_t blen;
	const char *vpre;		/* what the caller sees for it */
	size_t vlen;
	const char *apre;		/* its absolute program-view path */
	size_t alen;
	int level0;			/* level of this walk's start in the caller's walk */
	int up_level;			/* level of the link in the walk `up` */
	const char *link_apath;		/* the link's absolute view path */
	int start_moved;		/* the start's directory is not the view's (a mount root) */
	int root_ls;			/* what the start's parent allows */
	int err;			/* errno that stopped the walk */
	int stopped;			/* the caller's callback stopped the walk */
	int stopval;
	struct lvl lv[WALK_LEVELS];
	char path[EFS_PATH_MAX];	/* the path shown to the caller */
};

static __thread struct walk *walk_cur;

/* glibc's ftw(3) view of the flags. */
static int
ftw_flag(int type)
{
	switch (type) {
	case FTW_DP:
		return FTW_D;
	case FTW_SL:
		return FTW_F;
	case FTW_SLN:
		return FTW_NS;
	default:
		return type;
	}
}

/* Where bpath continues past the walk's start. */
static const char *
walk_rest(const struct walk *w, const char *bpath)
{
	if (strncmp(bpath, w->bpre, w->blen) != 0)
		return NULL;
	if (w->blen == 1 && bpath[1] != '\0')	/* a walk of "/" */
		return bpath;
	return bpath + w->blen;
}

/* The attributes to show for an object the walk met: recorded under a mount, real outside. */
static void
walk_attr(const struct walk *w, const char *bpath, const struct stat *st, struct efs_attr *a)
{
	if (w->mt != NULL) {
		const char *rel;
		int dfd = efs_at(w->mt, bpath, &rel);

		/* a path under another mount's root is still a backing path: take it whole */
		if (dfd != AT_FDCWD && (strncmp(bpath, w->mt->broot, w->mt->blen) != 0 ||
		    (bpath[w->mt->blen] != '\0' && bpath[w->mt->blen] != '/')))
			dfd = AT_FDCWD, rel = bpath;
		efs_owner_getat(dfd, rel, bpath, st, a);
		return;
	}
	a->uid = st->st_uid;
	a->gid = st->st_gid;
	a->mode = st->st_mode;
}

/* A directory's own status, from its parent's and its attributes. */
static int
dir_ls(const struct walk *w, int parent, const struct efs_attr *a)
{
	if (parent == LS_HIDDEN || parent == LS_DNR || parent == LS_NS)
		return LS_HIDDEN;
	if (parent == LS_NOX)
		return LS_NS;
	if (w->mt == NULL)
		return LS_OK;
	if (efs_perm_access(&w->mt->who, a, EFS_MAY_READ) != 0)
		return LS_DNR;
	if (efs_perm_access(&w->mt->who, a, EFS_MAY_EXEC) != 0)
		return LS_NOX;
	return LS_OK;
}

/*
 * The status of the directory at level k on the path bpath (its first k
 * components past the start), computed when the walk has not told us yet
 * (depth-first walks report a directory after its entries).
 */
static int
level_ls(struct walk *w, const char *bpath, int k)
{
	size_t *len, mark = efs_scratch_mark();
	const char *p = bpath + w->blen;
	struct efs_attr a;
	struct stat st;
	char *dir;
	int i, j, ls;

	if (k >= WALK_LEVELS)
		return LS_OK;
	/* the length of each level's path; the highest level known decides from there up */
	len = efs_scratch_alloc((size_t)(k + 1) * sizeof *len + EFS_PATH_MAX);
	if (len == NULL) {
		w->err = ENOMEM;	/* the trampoline stops the walk */
		return LS_HIDDEN;
	}
	dir = (char *)(len + k + 1);
	for (i = 0; i <= k; i++) {
		len[i] = (size_t)(p - bpath) != 0 ? (size_t)(p - bpath) : 1;
		while (*p == '/')
			p++;
		while (*p != '\0' && *p != '/')
			p++;
	}
	for (j = k; j >= 0 && w->lv[j].len != len[j]; j--)
		;
	ls = j >= 0 ? w->lv[j].ls : w->root_ls;
	for (i = j + 1; i <= k; i++) {
		memcpy(dir, bpath, len[i]);
		dir[len[i]] = '\0';
		if (real.lstat(dir, &st) != 0) {
			ls = LS_OK;
			break;
		}
		walk_attr(w, dir, &st, &a);
		w->lv[i] = (struct lvl){ len[i], dir_ls(w, ls, &a), st.st_dev, st.st_ino };
		ls = w->lv[i].ls;
	}
	efs_scratch_release(mark);
	return ls;
}

/* Is (dev, ino) a directory this walk, or one it follows a link from, stands in? */
static int
walk_cycle(const struct walk *w, int level, dev_t dev, ino_t ino)
{
	int k;

	for (; w != NULL; level = w->up_level, w = w->up) {
		for (k = 0; k < level && k < WALK_LEVELS; k++)
			if (w->lv[k].len != 0 && w->lv[k].dev == dev && w->lv[k].ino == ino)
				return 1;
	}
	return 0;
}

/*
 * FTW_CHDIR: the real walk stands in the object's directory (in the
 * directory itself for FTW_DP); so does the program's view.  Where the two
 * differ in shape (a walk that starts at a mount's root, a followed link's
 * target shown from the link's directory, a directory the server refuses
 * to list reported after its walk), the real cwd is moved to match.
 */
static int
walk_cwd(const struct walk *w, const char *apath, int type, int rtype, int start)
{
	struct efs_call c = { .mount = -1 };
	struct efs_res *r;
	const char *slash;
	char *dir;
	size_t n, mark = efs_scratch_mark();
	int fix, k, back = -1;
	sigset_t saved;

	if ((dir = efs_scratch_path()) == NULL || (r = efs_res_new()) == NULL) {
		efs_scratch_release(mark);
		return -1;
	}
	if (start && w->link_apath != NULL && rtype != FTW_DP)
		apath = w->link_apath;
	if (rtype == FTW_DP && type == FTW_DP)
		n = strlen(apath);
	else {
		slash = strrchr(apath, '/');
		n = slash != NULL && slash != apath ? (size_t)(slash - apath) : 1;
	}
	memcpy(dir, apath, n);
	dir[n] = '\0';
	fix = (start && rtype != FTW_DP && (w->link_apath != NULL || w->start_moved)) ||
	    (rtype == FTW_DP && type != FTW_DP);
	if (fix && rtype == FTW_DP)	/* the real walk goes on from here: come back */
		back = real.open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fix) {
		k = efs_resolve(&c, AT_FDCWD, dir, EFS_R_FOLLOW, r);
		if (k == 0 && r->exists && real.chdir(r->babs) == 0)
			memcpy(dir, r->view, strlen(r->view) + 1);
		else if (k == EFS_NOT_MAPPED)
			(void)real.chdir(r->host);
	}
	k = efs_path_mount(&efs.cfg, dir, NULL);
	efs_write_begin(&saved);
	memcpy(efs.cwd, dir, strlen(dir) + 1);
	efs.cwd_mount = k;
	efs_write_end(&saved);
	efs_scratch_release(mark);
	return back;
}

/* Call the caller's function, as the caller (wrappers act inside it). */
static int
walk_call(struct walk *w, const char *apath, const struct stat *st, int type,
    int rtype, int level, int base)
{
	struct FTW f = { .base = base, .level = level };
	struct stat zero;
	int rv, back = -1;

	if (st == NULL) {
		memset(&zero, 0, sizeof zero);
		st = &zero;
	}
	if ((w->flags & FTW_CHDIR) && apath != NULL)
		back = walk_cwd(w, apath, type, rtype, level == w->level0);
	efs_call_suspend();	/* the callback runs as the code that called nftw */
	if (w->fn != NULL)
		rv = w->fn(w->path, st, type, &f);
	else
		rv = w->ofn(w->path, st, ftw_flag(type));
	efs_call_resume();
	if (back >= 0) {
		(void)real.fchdir(back);
		real.close(back);
	}
	if (rv != 0 && !(w->flags & FTW_ACTIONRETVAL)) {
		w->stopped = 1;
		w->stopval = rv;
		return FTW_STOP;
	}
	return rv;
}

static int walk_run(struct walk *w, const char *babs);
static int trampoline(const char *bpath, const struct stat *st, int type, struct FTW *f);

/* Run sub, a walk nested in w's (a link followed, a mount met), and carry its end to w. */
static int
walk_sub(struct walk *w, struct walk *sub, const char *babs)
{
	int rc = walk_run(sub, babs);

	if (sub->err != 0) {
		w->err = sub->err;
		return FTW_STOP;
	}
	if (sub->stopped) {
		w->stopped = 1;
		w->stopval = sub->stopval;
		return FTW_STOP;
	}
	return rc;
}

/*
 * A symbolic link met by a walk that follows links: what its target is in
 * the program's view.  A link to a directory is walked in turn.
 */
static int
walk_link(struct walk *w, const struct stat *lst, const struct efs_attr *la,
    const char *apath, int local, int level, int base)
{
	struct efs_call c = { .mount = -1 };
	struct efs_res *r;
	struct walk *sub;
	struct stat st;
	size_t mark = efs_scratch_mark();
	int rc;

	if ((r = efs_res_new()) == NULL || (sub = efs_scratch_alloc(sizeof *sub)) == NULL) {
		efs_scratch_release(mark);
		w->err = ENOMEM;
		return FTW_STOP;
	}
	rc = efs_resolve(&c, AT_FDCWD, apath, EFS_R_FOLLOW, r);
	if (rc == EFS_NOT_MAPPED) {
		if (real.stat(r->host, &r->st) != 0)
			rc = -errno;
		r->attr = (struct efs_attr){ r->st.st_uid, r->st.st_gid, r->st.st_mode };
		r->mount = -1;
		r->mt = NULL;
		r->exists = 1;
		memcpy(r->babs, r->host, strlen(r->host) + 1);
		memcpy(r->view, r->host, strlen(r->host) + 1);
	} else if (rc == 0 && !r->exists)
		rc = -ENOENT;
	if (rc == -ENOENT || rc == -EACCES) {
		st = *lst;
		efs_attr_apply_stat(la, &st);
		rc = walk_call(w, apath, &st, FTW_SLN, FTW_SL, level, base);
	} else if (rc < 0) {
		w->err = -rc;
		rc = FTW_STOP;
	} else if (!S_ISDIR(r->st.st_mode)) {
		st = r->st;
		efs_attr_apply_stat(&r->attr, &st);
		rc = walk_call(w, apath, &st, FTW_F, FTW_SL, level, base);
	} else if (walk_cycle(w, local, r->st.st_dev, r->st.st_ino))
		rc = 0;		/* glibc does not report a directory twice */
	else {
		/* the link's target, walked under the link's name */
		memset(sub, 0, sizeof *sub);
		sub->up = w;
		sub->fn = w->fn;
		sub->ofn = w->ofn;
		sub->flags = w->flags;
		sub->fds = w->fds;
		sub->mt = r->mount >= 0 ? &efs.mnt[r->mount] : NULL;
		sub->bpre = r->babs;
		sub->blen = strlen(r->babs);
		sub->vpre = w->path;	/* stable: w->path is not written during sub's walk */
		sub->vlen = strlen(w->path);
		sub->apre = r->view;
		sub->alen = strlen(r->view);
		sub->level0 = level;
		sub->up_level = local;
		sub->link_apath = apath;
		sub->root_ls = LS_OK;
		rc = walk_sub(w, sub, r->babs);
	}
	efs_scratch_release(mark);
	return rc;
}

/*
 * Mount k's tree, met by a walk of the host at the directory apath (w->path
 * in the caller's text) as its entry name: walked in turn, as a child
 * (level + 1) or, where the host has a directory of that name, in its
 * place (level).  What the callback asked (FTW_STOP and the like) comes back.
 */
static int
walk_mount(struct walk *w, int k, const char *name, size_t nl, int level)
{
	struct walk *sub;
	char *vpre;
	size_t vl = strlen(w->path), mark = efs_scratch_mark();
	int rc;

	if ((sub = efs_scratch_alloc(sizeof *sub)) == NULL ||
	    (vpre = efs_scratch_alloc(EFS_PATH_MAX)) == NULL) {
		efs_scratch_release(mark);
		w->err = ENOMEM;
		return FTW_STOP;
	}
	if (name != NULL) {
		if (vl + 1 + nl >= EFS_PATH_MAX) {
			efs_scratch_release(mark);
			w->err = ENAMETOOLONG;
			return FTW_STOP;
		}
		memcpy(vpre, w->path, vl);
		if (vl == 0 || vpre[vl - 1] != '/')	/* "/" + name, not "//" + name */
			vpre[vl++] = '/';
		memcpy(vpre + vl, name, nl);
		vpre[vl + nl] = '\0';
	} else
		memcpy(vpre, w->path, vl + 1);
	memset(sub, 0, offsetof(struct walk, lv));
	memset(sub->lv, 0, sizeof sub->lv);
	sub->fn = w->fn;
	sub->ofn = w->ofn;
	sub->flags = w->flags;
	sub->fds = w->fds;
	sub->mt = &efs.mnt[k];
	sub->bpre = efs.mnt[k].broot;
	sub->blen = efs.mnt[k].blen;
	sub->vpre = vpre;
	sub->vlen = strlen(vpre);
	sub->apre = efs.mnt[k].cpath;
	sub->alen = efs.mnt[k].clen;
	sub->level0 = name != NULL ? level + 1 : level;
	sub->root_ls = LS_OK;
	sub->start_moved = 1;
	rc = walk_sub(w, sub, efs.mnt[k].broot);
	if (rc != FTW_STOP)
		rc = FTW_CONTINUE;
	efs_scratch_release(mark);
	return rc;
}

/* The mount points that are entries of host directory apath and that the host lacks. */
static int
walk_mounts_in(struct walk *w, const char *apath, int level)
{
	const char *name;
	size_t nl;
	int k, rc = FTW_CONTINUE;

	for (k = 0; rc == FTW_CONTINUE &&
	    (k = efs_mount_point_next(AT_FDCWD, apath, k, &name, &nl)) >= 0; k++)
		rc = walk_mount(w, k, name, nl, level);
	return rc;
}

/*
 * A host walk (w->mt NULL) that may reach mount points: a mount point the
 * host has a directory for is walked in that directory's place; those it
 * lacks are walked as its parent's entries, after the parent (before it,
 * depth first).  Returns -1 when the trampoline goes on as usual.
 */
static int
walk_host_dir(struct walk *w, const char *apath, int type, int level, int *before)
{
	int k = efs_path_mount(&efs.cfg, apath, NULL);

	*before = FTW_CONTINUE;
	if (k >= 0) {
		if (strcmp(apath, efs.mnt[k].cpath) != 0)
			return FTW_CONTINUE;	/* the host's directory under a mount point: hidden */
		if (type == FTW_D || type == FTW_DP || type == FTW_DNR)
			return walk_mount(w, k, NULL, 0, level) == FTW_STOP ? FTW_STOP :
			    type == FTW_DP ? FTW_CONTINUE : FTW_SKIP_SUBTREE;
		return FTW_CONTINUE;	/* a file where a mount point is: the mount hides it */
	}
	if (type == FTW_DP && efs_host_anc(apath))
		*before = walk_mounts_in(w, apath, level);
	return -1;
}

/* What the real walk reports, shown to the caller as the program sees it. */
static int
trampoline(const char *bpath, const struct stat *bst, int type, struct FTW *f)
{
	struct walk *w = walk_cur;
	const char *rest, *slash;
	struct efs_attr a;
	struct stat st;
	int parent, own, level, base, rv, skip;
	size_t rl, mark = efs_scratch_mark();
	char *apath;

	skip = (type == FTW_D) ? FTW_SKIP_SUBTREE : FTW_CONTINUE;
	rest = walk_rest(w, bpath);
	if (rest == NULL)
		rest = bpath;
	if (w->vlen == 1 && w->vpre[0] == '/' && rest[0] == '/')
		rest++;			/* a walk of "/": "/etc", not "//etc" */
	rl = strlen(rest);
	if (w->vlen + rl >= sizeof w->path || w->alen + rl >= EFS_PATH_MAX) {
		w->err = ENAMETOOLONG;
		return FTW_STOP;
	}
	if ((apath = efs_scratch_path()) == NULL) {
		w->err = ENOMEM;
		return FTW_STOP;
	}
	memcpy(w->path, w->vpre, w->vlen);
	memcpy(w->path + w->vlen, rest, rl + 1);
	memcpy(apath, w->apre, w->alen);
	memcpy(apath + w->alen, rest, rl + 1);
	level = w->level0 + f->level;
	if (f->level == 0) {
		slash = strrchr(w->path, '/');
		base = slash != NULL ? (int)(slash - w->path) + 1 : 0;
	} else
		base = f->base - (int)(rest - bpath) + (int)w->vlen;

	if (w->mt != NULL && w->mt->image && strcmp(apath, "/" EFS_IMAGE_STAGE) == 0) {
		efs_scratch_release(mark);	/* efsap's, never shown */
		return skip;
	}
	if ((w->mt == NULL || w->mt->image) && efs.nmnt > 0) {
		/* the host's or the image's directories: mount points lead into the mounts */
		int before;

		if ((rv = walk_host_dir(w, apath, type, level, &before)) >= 0 ||
		    (rv = before) != FTW_CONTINUE) {
			efs_scratch_release(mark);
			return rv;
		}
	}
	parent = f->level == 0 ? w->root_ls : level_ls(w, bpath, f->level - 1);
	if (w->err != 0) {
		efs_scratch_release(mark);
		return FTW_STOP;
	}
	if (parent == LS_HIDDEN || parent == LS_DNR || parent == LS_NS) {
		efs_scratch_release(mark);
		return skip;
	}
	st = *bst;
	memset(&a, 0, sizeof a);
	if (type != FTW_NS) {
		walk_attr(w, bpath, bst, &a);
		efs_attr_apply_stat(&a, &st);
	}
	if (parent == LS_NOX) {
		rv = walk_call(w, apath, NULL, FTW_NS, type, level, base);
		efs_scratch_release(mark);
		return rv != 0 ? rv : skip;
	}
	switch (type) {
	case FTW_D:
	case FTW_DP:
		own = dir_ls(w, LS_OK, &a);
		if (f->level < WALK_LEVELS)
			w->lv[f->level] = (struct lvl){ strlen(bpath), own, bst->st_dev, bst->st_ino };
		if (type == FTW_DP && f->level < WALK_LEVELS)
			w->lv[f->level].len = 0;	/* its entries are done */
		if (own == LS_DNR)
			rv = walk_call(w, apath, &st, FTW_DNR, type, level, base);
		else
			rv = walk_call(w, apath, &st, type, type, level, base);
		if (rv == 0 && own == LS_DNR)
			rv = skip;
		else if (rv == FTW_CONTINUE && type == FTW_D && w->mt == NULL && efs_host_anc(apath))
			rv = walk_mounts_in(w, apath, level);
		break;
	case FTW_SL:
		if (w->flags & FTW_PHYS)
			rv = walk_call(w, apath, &st, FTW_SL, type, level, base);
		else
			rv = walk_link(w, bst, &a, apath, f->level, level, base);
		break;
	case FTW_NS:
		rv = walk_call(w, apath, NULL, FTW_NS, type, level, base);
		break;
	default:
		rv = walk_call(w, apath, &st, type, type, level, base);
		break;
	}
	efs_scratch_release(mark);
	return rv;
}

/* Run the real walk for w, with the trampoline; the real nftw's result. */
static int
walk_run(struct walk *w, const char *babs)
{
	int rc;

	w->prev = walk_cur;
	walk_cur = w;
	rc = real.nftw(babs, trampoline, w->fds,
	    (w->flags & (FTW_MOUNT | FTW_CHDIR | FTW_DEPTH)) | FTW_PHYS | FTW_ACTIONRETVAL);
	walk_cur = w->prev;
	return rc;
}

/* nftw/ftw semantics for every variant. */
static int
walk_start(const char *op, const char *path, nftw_fn fn, ftw_fn ofn, int fds, int flags)
{
	struct efs_call c;
	struct efs_res *r;
	struct walk *top;
	char *vpre, *savecwd;
	size_t n;
	int rc, e, savemount = -1;
	sigset_t saved;

	if (!efs_enter(&c, op, path))
		return fn != NULL ? real.nftw(path, fn, fds, flags) : real.ftw(path, ofn, fds);
	/* passed through: leave first, the caller's function runs inside */
	if (!efs_may_map(AT_FDCWD, path)) {
		efs_pass(&c, 0);
		return fn != NULL ? real.nftw(path, fn, fds, flags) : real.ftw(path, ofn, fds);
	}
	if (flags & ~NFTW_FLAGS)
		return efs_leave(&c, -EINVAL);
	/* the start is looked at without following: the trampoline follows */
	if ((r = efs_res_new()) == NULL || (top = efs_scratch_alloc(sizeof *top)) == NULL ||
	    (vpre = efs_scratch_alloc(EFS_PATH_MAX + EFS_VIEW_MAX)) == NULL)
		return efs_leave(&c, -ENOMEM);
	savecwd = vpre + EFS_PATH_MAX;
	rc = efs_resolve(&c, AT_FDCWD, path, 0, r);
	if (rc == EFS_NOT_MAPPED && !efs_host_anc(r->host)) {
		efs_pass(&c, 0);
		return fn != NULL ? real.nftw(r->host, fn, fds, flags) : real.ftw(r->host, ofn, fds);
	}
	if (rc == EFS_NOT_MAPPED) {
		/* a host directory on the way to a mount point: walked here, into the mounts */
		if (real.lstat(r->host, &r->st) != 0)
			return efs_leave(&c, -errno);
		rc = 0;
		r->exists = 1;
		r->mt = NULL;
		r->is_root = 0;
		memcpy(r->babs, r->host, strlen(r->host) + 1);
		memcpy(r->view, r->host, strlen(r->host) + 1);
	}
	if (rc == 0 && !r->exists)
		rc = -ENOENT;
	if (rc != 0)
		return efs_leave(&c, rc);
	/* the caller's text names the start, trailing slashes stripped, as glibc */
	n = strlen(path);
	while (n > 1 && path[n - 1] == '/')
		n--;
	memcpy(vpre, path, n);
	vpre[n] = '\0';
	memset(top, 0, offsetof(struct walk, lv));
	memset(top->lv, 0, sizeof top->lv);
	top->fn = fn;
	top->ofn = ofn;
	top->flags = flags;
	top->fds = fds;
	top->mt = r->mt;
	top->bpre = r->babs;
	top->blen = strlen(r->babs);
	top->vpre = vpre;
	top->vlen = n;
	top->apre = r->view;
	top->alen = strlen(r->view);
	top->root_ls = LS_OK;
	top->start_moved = r->is_root;
	if (flags & FTW_CHDIR)
		savemount = efs_cwd_get(savecwd, EFS_VIEW_MAX);
	rc = walk_run(top, r->babs);
	e = errno;
	if (flags & FTW_CHDIR) {
		efs_write_begin(&saved);
		memcpy(efs.cwd, savecwd, strlen(savecwd) + 1);
		efs.cwd_mount = savemount;
		efs_write_end(&saved);
	}
	if (top->err != 0)
		return efs_leave(&c, -top->err);
	if (top->stopped)
		rc = top->stopval;
	/* the walk's own result stands, errno as the walk left it */
	efs_exit(&c);
	errno = rc == 0 ? c.saved_errno : e;
	return rc;
}

EFS_EXPORT int
nftw(const char *path, nftw_fn fn, int fds, int flags)
{
	return walk_start("nftw", path, fn, NULL, fds, flags);
}

#if EFS_LFS_ALIASES
EFS_EXPORT int
nftw64(const char *path, int (*fn)(const char *, const struct stat64 *, int, struct FTW *),
    int fds, int flags)
{
	return walk_start("nftw", path, (nftw_fn)fn, NULL, fds, flags);
}
#endif

EFS_EXPORT int
ftw(const char *path, ftw_fn fn, int fds)
{
	return walk_start("ftw", path, NULL, fn, fds, 0);
}

#if EFS_LFS_ALIASES
EFS_EXPORT int
ftw64(const char *path, int (*fn)(const char *, const struct stat64 *, int), int fds)
{
	return walk_start("ftw", path, NULL, (ftw_fn)fn, fds, 0);
}
#endif

/* ---- glob ---- */

#ifdef GLOB_ALTDIRFUNC	/* glibc's; musl's glob reads directories with its own internals, unseen */

/*
 * glob(3) reads directories with libc internals; GLOB_ALTDIRFUNC makes it
 * use these, which call the exported opendir, readdir, closedir, stat and
 * lstat on purpose: efsap's own wrappers where it has them.
 */
static void *
alt_opendir(const char *path)
{
	return opendir(path);
}

static struct dirent *
alt_readdir(void *d)
{
	return readdir(d);
}

static struct dirent64 *
alt_readdir64(void *d)
{
	return readdir64(d);
}

static void
alt_closedir(void *d)
{
	closedir(d);
}

static int
alt_stat(const char *path, struct stat *st)
{
	return stat(path, st);
}

static int
alt_lstat(const char *path, struct stat *st)
{
	return lstat(path, st);
}

static int
alt_stat64(const char *path, struct stat64 *st)
{
	return stat64(path, st);
}

static int
alt_lstat64(const char *path, struct stat64 *st)
{
	return lstat64(path, st);
}

/*
 * Should glob go through the exported functions?  When the pattern may
 * reach a mount by its text, or its magic (wildcards before the mount
 * point, a tilde, braces) could.  A caller's own GLOB_ALTDIRFUNC stands.
 */
static int
glob_maps(const char *pattern, int flags)
{
	struct efs_call c;
	int map;

	if (pattern == NULL || (flags & GLOB_ALTDIRFUNC) || !efs_enter(&c, "glob", pattern))
		return 0;
	map = efs_may_map(AT_FDCWD, pattern) || strpbrk(pattern, "*?[{~") != NULL;
	efs_pass(&c, 0);
	return map;
}

EFS_EXPORT int
glob(const char *pattern, int flags, int (*errfunc)(const char *, int), glob_t *g)
{
	int rc;

	if (!glob_maps(pattern, flags))
		return real.glob(pattern, flags, errfunc, g);
	g->gl_opendir = alt_opendir;
	g->gl_readdir = alt_readdir;
	g->gl_closedir = alt_closedir;
	g->gl_stat = alt_stat;
	g->gl_lstat = alt_lstat;
	rc = real.glob(pattern, flags | GLOB_ALTDIRFUNC, errfunc, g);
	g->gl_flags &= ~GLOB_ALTDIRFUNC;
	return rc;
}

EFS_EXPORT int
glob64(const char *pattern, int flags, int (*errfunc)(const char *, int), glob64_t *g)
{
	int rc;

	if (!glob_maps(pattern, flags))
		return real.glob64(pattern, flags, errfunc, g);
	g->gl_opendir = alt_opendir;
	g->gl_readdir = alt_readdir64;
	g->gl_closedir = alt_closedir;
	g->gl_stat = alt_stat64;
	g->gl_lstat = alt_lstat64;
	rc = real.glob64(pattern, flags | GLOB_ALTDIRFUNC, errfunc, g);
	g->gl_flags &= ~GLOB_ALTDIRFUNC;
	return rc;
}
#endif

/* A real vfork (vfork.h): a child that execs inside a walk leaves walk_cur on its stack. */
static struct walk *vs_walk;

void
efs_walk_vsave(void)
{
	vs_walk = walk_cur;
}

void
efs_walk_vrestore(void)
{
	walk_cur = vs_walk;
}
