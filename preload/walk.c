/* SPDX-License-Identifier: MIT */
/*
 * walk.c: resolve a path the program wrote as an NFS client resolves it,
 * as a loop over small steps, one per kind of component.
 *
 * The walk is over the program's view: host components are taken
 * lexically until the path enters a mount; inside a mount every component
 * is looked up in the backing directory, search permission is checked with
 * the server identity on each directory, and symbolic links are read and
 * spliced in: a relative target from the link's directory in the program's
 * view, an absolute one from the program's "/".  ".." at a mount's root
 * leaves the mount for the parent of the mount point.  The backing path is
 * only ever built from the mount's root by appending looked-up, non-link
 * components, so it never reaches outside the mount's root.
 *
 * Pure: the file system is reached only through env->ops (walk.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "attr.h"
#include "perm.h"
#include "walk.h"

#define MORE	2		/* a step's answer: walk on (never a result) */

#ifdef __SIZEOF_INT128__
#define FNV_PRIME	(((efs_dkey)1 << 88) + 0x13b)
#else
#define FNV_PRIME	0x100000001b3ull
#endif

static inline efs_dkey
hash(efs_dkey h, const char *p, size_t n)
{
	while (n-- > 0)
		h = (h ^ (unsigned char)*p++) * FNV_PRIME;
	return h;
}

efs_dkey
efs_walk_hash(efs_dkey h, const char *p, size_t n)
{
	return hash(h, p, n);
}

/* Component w at *p (followed by '/' or the end): step over it; 1 or 0. */
static int
word(const char **p, const char *w)
{
	size_t n = strlen(w);

	if (strncmp(*p, w, n) != 0 || ((*p)[n] != '/' && (*p)[n] != '\0'))
		return 0;
	*p += n;
	return 1;
}

/* A decimal component as the kernel's name_to_int takes it: 1 or 0. */
static int
number(const char **p, unsigned long *v)
{
	const char *s = *p;

	if (*s < '0' || *s > '9' || (s[0] == '0' && s[1] >= '0' && s[1] <= '9'))
		return 0;
	for (*v = 0; *s >= '0' && *s <= '9'; s++)
		if ((*v = *v * 10 + (unsigned long)(*s - '0')) > INT_MAX)
			return 0;
	if (*s != '/' && *s != '\0')
		return 0;
	*p = s;
	return 1;
}

/*
 * efs_walk_proc_link, with this process's pid from env's operations (only
 * when a number needs it: getpid is a system call) when env is set.
 */
static int
proc_link(const char *path, const struct efs_walkenv *env, pid_t pid, int *fd)
{
	const char *p = path;
	unsigned long v;

	if (word(&p, "/dev")) {
		if (*p++ == '\0')
			return -1;
		if (!word(&p, "fd"))
			return 0;
	} else {
		if (!word(&p, "/proc"))
			return 0;
		if (*p++ == '\0')
			return -1;
		if (!word(&p, "self") && !word(&p, "thread-self") &&
		    !(number(&p, &v) &&
		    v == (unsigned long)(env != NULL ? env->ops->pid(env->ctx) : pid)))
			return 0;
		if (*p++ == '\0')
			return -1;
		if (word(&p, "task")) {
			if (*p++ == '\0')
				return -1;
			if (!number(&p, &v))
				return 0;
			if (*p++ == '\0')
				return -1;
		}
		if (word(&p, "cwd")) {
			*fd = -1;
			return (int)(p - path);
		}
		if (!word(&p, "fd"))
			return 0;
	}
	if (*p++ == '\0')
		return -1;
	if (!number(&p, &v))
		return 0;
	*fd = (int)v;
	return (int)(p - path);
}

int
efs_walk_proc_link(const char *path, pid_t pid, int *fd)
{
	return proc_link(path, NULL, pid, fd);
}

/*
 * The walker: where it stands (view and backing paths, the mount and the
 * current directory's record), what is left of the path, and the
 * component at hand.  r->view and r->babs stay terminated at vlen, blen.
 */
struct walker {
	const struct efs_walkenv *env;
	struct efs_res *r;
	struct efs_walkout *out;
	int flags;
	char *p;			/* the rest of the path */
	char *work, *spare, *other;	/* link targets are spliced into work and spare by turns */
	char *target;			/* EFS_PATH_MAX bytes for a link's target */
	size_t vlen, blen;
	struct efs_mnt *mt;		/* the mount the walk is in, or NULL */
	struct efs_attr cur;		/* the current directory's record, in a mount */
	efs_dkey h;			/* its cache key */
	int nlinks;
	const char *comp;		/* the component at hand */
	size_t cl;
	int last;			/* nothing but slashes after it */
};

#define OPS(w)	((w)->env->ops)
#define CTX(w)	((w)->env->ctx)

/* Is view (vlen bytes) a strict ancestor of some mount point? */
static int
leads_to_mount(const struct efs_walkenv *env, const char *view, size_t vlen)
{
	int k;

	for (k = 0; k < env->nmnt; k++) {
		const char *cp = env->mnt[k].cpath;

		if (strncmp(cp, view, vlen) == 0 && cp[vlen] == '/')
			return 1;
	}
	return 0;
}

static int
exact_mount(const struct efs_walkenv *env, const char *view, size_t vlen)
{
	int k;

	for (k = 0; k < env->nmnt; k++)
		if (env->mnt[k].clen == vlen && memcmp(env->mnt[k].cpath, view, vlen) == 0)
			return k;
	return -1;
}

/* The top-level names of the container that are not the image's. */
static const char *const holes[] = { "proc", "sys", "dev", ".efsap" };

/* Is the name (n bytes) under "/" a hole? */
static int
hole_name(const char *name, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof holes / sizeof holes[0]; i++)
		if (strlen(holes[i]) == n && memcmp(holes[i], name, n) == 0)
			return 1;
	return 0;
}

int
efs_walk_hole(const char *path, size_t len)
{
	size_t n;

	if (len < 2 || path[0] != '/')
		return 0;
	for (n = 1; n < len && path[n] != '/'; n++)
		;
	return hole_name(path + 1, n - 1);
}

/* Is the container path cp the view with the component at hand added? */
static int
is_next(const struct walker *w, const char *cp, size_t cl)
{
	return cl == w->vlen + 1 + w->cl && memcmp(cp, w->r->view, w->vlen) == 0 &&
	    cp[w->vlen] == '/' && memcmp(cp + w->vlen + 1, w->comp, w->cl) == 0;
}

static int
has_dotdot(const char *p)
{
	for (; (p = strstr(p, "..")) != NULL; p += 2)
		if ((p[2] == '\0' || p[2] == '/'))
			return 1;
	return 0;
}

/* Append the component at hand to the view (its length was checked). */
static void
view_push(struct walker *w)
{
	struct efs_res *r = w->r;

	r->view[w->vlen++] = '/';
	memcpy(r->view + w->vlen, w->comp, w->cl);
	w->vlen += w->cl;
	r->view[w->vlen] = '\0';
}

/* Search permission on the current directory, for the server identity. */
static int
search(struct walker *w)
{
	if (efs_perm_search(&w->mt->who, &w->cur) == 0)
		return 0;
	w->out->denied = 1;
	w->out->squashed = w->mt->who.squashed;
	w->out->dir = w->cur;
	return -EACCES;
}

/* The walk goes on from target, then what was left of the path. */
static int
splice_in(struct walker *w, const char *target)
{
	if ((size_t)snprintf(w->other, EFS_WALK_WORK, "%s%s%s", target,
	    *w->p != '\0' ? "/" : "", w->p) >= EFS_WALK_WORK)
		return -ENAMETOOLONG;
	w->p = w->other;
	w->other = w->other == w->spare ? w->work : w->spare;
	return MORE;
}

/* From here on the path is the host's: r->host is the view and the rest. */
static int
to_host(struct walker *w)
{
	struct efs_res *r = w->r;

	if ((size_t)snprintf(r->host, sizeof r->host, "%s%s%s", r->view,
	    *w->p != '\0' ? "/" : "", w->p) >= sizeof r->host)
		return -ENAMETOOLONG;
	return EFS_NOT_MAPPED;
}

/* Look at the backing directory r->babs: it must exist and be a directory. */
static int
load_dir(struct walker *w)
{
	const struct efs_attr *ca;
	struct stat st;
	int rc;

	w->h = hash(EFS_DKEY_INIT, w->r->babs, w->blen);
	if ((ca = OPS(w)->dir_cached(CTX(w), w->h)) != NULL) {
		w->cur = *ca;
		return 0;
	}
	if ((rc = OPS(w)->lstat(CTX(w), w->mt, w->r->babs, &st)) != 0)
		return rc;
	if (!S_ISDIR(st.st_mode))
		return -ENOTDIR;
	if ((rc = OPS(w)->record(CTX(w), w->mt, w->r->babs, &st, &w->cur)) != 0)
		return rc;
	OPS(w)->dir_remember(CTX(w), w->h, &w->cur);
	return 0;
}

/*
 * lstat r->babs, the last one through the caller's buffer when given (the
 * kernel proves it writable).
 */
static int
lstat_obj(struct walker *w, int last)
{
	struct efs_res *r = w->r;
	int rc;

	if (!last || r->ustat == NULL)
		return OPS(w)->lstat(CTX(w), w->mt, r->babs, &r->st);
	if ((rc = OPS(w)->lstat(CTX(w), w->mt, r->babs, r->ustat)) != 0)
		return rc;
	r->st = *r->ustat;
	return 0;
}

/*
 * Into the image, at the directory the view names (a directory the walk
 * came to by "..", or "/"): its backing path is "/." and the view.
 */
static int
enter_image(struct walker *w)
{
	struct efs_res *r = w->r;
	int rc;

	w->mt = &w->env->mnt[w->env->img];
	r->mount = w->env->img;
	r->mt = w->mt;
	w->out->entered = w->env->img;
	if (w->mt->blen + w->vlen >= sizeof r->babs)
		return -ENAMETOOLONG;
	memcpy(r->babs, w->mt->broot, w->mt->blen);
	memcpy(r->babs + w->mt->blen, r->view, w->vlen);
	w->blen = w->mt->blen + w->vlen;
	r->babs[w->blen] = '\0';
	if ((rc = load_dir(w)) != 0)
		return rc;
	return MORE;
}

/* Back on the host's side at the view: in the image again unless it is a hole. */
static int
host_or_image(struct walker *w)
{
	if (w->env->img < 0 || efs_walk_hole(w->r->view, w->vlen))
		return MORE;
	return enter_image(w);
}

/* Step: the host component at hand names mount k's mount point. */
static int
step_enter(struct walker *w, int k)
{
	struct efs_res *r = w->r;
	int rc;

	w->mt = &w->env->mnt[k];
	r->mount = k;
	r->mt = w->mt;
	w->out->entered = k;
	memcpy(r->babs, w->mt->broot, w->mt->blen + 1);
	w->blen = w->mt->blen;
	if ((rc = load_dir(w)) != 0)
		return rc == -ENOENT ? -ESTALE : rc;
	return MORE;
}

/*
 * Step: "..".  Up one in the view; in a mount, up one in the backing path
 * too, or out of the mount at its root (to the mount point's parent).
 */
static int
step_dotdot(struct walker *w)
{
	struct efs_res *r = w->r;
	int rc;

	r->dotlast = w->last;
	if (w->mt != NULL && (rc = search(w)) != 0)
		return rc;
	while (w->vlen > 0 && r->view[w->vlen - 1] != '/')
		w->vlen--;
	if (w->vlen > 0)
		w->vlen--;
	r->view[w->vlen] = '\0';
	if (w->mt == NULL)
		return host_or_image(w);
	if (w->blen == w->mt->blen) {		/* above the mount's root */
		if (w->mt->image)
			return MORE;		/* "/.." is "/" */
		w->mt = NULL;
		r->mount = -1;
		return host_or_image(w);
	}
	while (w->blen > w->mt->blen && r->babs[w->blen - 1] != '/')
		w->blen--;
	w->blen--;
	r->babs[w->blen] = '\0';
	if ((rc = load_dir(w)) != 0)
		return rc;
	return MORE;
}

/*
 * Step: /proc/self/fd/N, /proc/self/cwd..., a symbolic link to the
 * object's path in the program's view.  EFS_NOT_MAPPED: the kernel's.
 */
static int
step_magic(struct walker *w, int fd)
{
	struct efs_res *r = w->r;
	int rc;

	if (++w->nlinks > EFS_MAXLINKS)
		return -ELOOP;
	if ((rc = OPS(w)->magic(CTX(w), fd, r->view, w->p, w->target)) != 0)
		return rc;
	w->vlen = 0;
	r->view[0] = '\0';
	if ((rc = splice_in(w, w->target)) != MORE)
		return rc;
	return w->env->img >= 0 ? enter_image(w) : MORE;
}

/* Step: a component outside every mount, taken lexically. */
static int
step_host(struct walker *w)
{
	struct efs_res *r = w->r;
	int k, m, fd, rc;

	view_push(w);
	if ((k = exact_mount(w->env, r->view, w->vlen)) >= 0)
		return step_enter(w, k);
	if ((r->view[1] == 'p' || r->view[1] == 'd') &&
	    (m = proc_link(r->view, w->env, 0, &fd)) != 0) {
		if (m < 0)
			return MORE;		/* may become a magic link */
		if (!w->last || (w->flags & EFS_R_FOLLOW) || r->slash) {
			if ((rc = step_magic(w, fd)) != EFS_NOT_MAPPED)
				return rc;
		}
	} else if (leads_to_mount(w->env, r->view, w->vlen) || has_dotdot(w->p))
		return MORE;
	return to_host(w);
}

/* Step: a symbolic link met inside a mount, to follow: splice its target. */
static int
step_link(struct walker *w)
{
	struct efs_res *r = w->r;
	int n;

	if (++w->nlinks > EFS_MAXLINKS)
		return -ELOOP;
	n = OPS(w)->readlink(CTX(w), w->mt, r->babs, w->target, EFS_PATH_MAX - 1);
	if (n == -EINVAL)
		return -EAGAIN;	/* no link now: renamed away meanwhile, walk again */
	if (n < 0)
		return n;
	w->target[n] = '\0';
	r->babs[w->blen] = '\0';
	if (splice_in(w, w->target) != MORE)
		return -ENAMETOOLONG;
	if (w->target[0] == '/') {
		w->vlen = 0;
		r->view[0] = '\0';
		w->mt = NULL;
		r->mount = -1;
		return host_or_image(w);
	}
	return MORE;
}

/* Step: the last component, looked up inside a mount (or taken as missing). */
static int
step_final(struct walker *w)
{
	struct efs_res *r = w->r;

	if (r->exists && r->slash && !S_ISDIR(r->st.st_mode))
		return -ENOTDIR;
	r->pattr = w->cur;
	r->bparent = w->blen;
	r->name = r->babs + w->blen + 1;
	if (!r->exists || (w->flags & EFS_R_NOATTR))
		return 0;
	/*
	 * Unlink, rmdir and rename read an object's record only for the
	 * sticky rule and for a directory's own permission (decide.c); for
	 * anything else the record stays unread, and r->attr says only what
	 * lstat said (efs_attr_unrecorded).
	 */
	if ((w->flags & EFS_R_REMOVE) && !S_ISDIR(r->st.st_mode) && !(r->pattr.mode & S_ISVTX)) {
		efs_attr_unrecorded(&r->st, &r->attr);
		return 0;
	}
	return OPS(w)->record(CTX(w), w->mt, r->babs, &r->st, &r->attr);
}

/* Step: into a directory met along the way; remember it. */
static int
step_descend(struct walker *w)
{
	struct efs_res *r = w->r;
	int rc;

	if (!S_ISDIR(r->st.st_mode))
		return -ENOTDIR;
	w->h = hash(w->h, r->babs + w->blen, 1 + w->cl);
	w->blen += 1 + w->cl;
	if ((rc = OPS(w)->record(CTX(w), w->mt, r->babs, &r->st, &w->cur)) != 0)
		return rc;
	OPS(w)->dir_remember(CTX(w), w->h, &w->cur);
	return MORE;
}

/* Step: a component inside mount w->mt: look it up in the current directory. */
static int
step_lookup(struct walker *w)
{
	struct efs_res *r = w->r;
	int rc;

	if ((rc = search(w)) != 0)
		return rc;
	if (w->mt->image) {
		/* an EFS mount point, or one of the kernel's own mounts */
		int k;

		for (k = 0; k < w->env->nmnt; k++)
			if (is_next(w, w->env->mnt[k].cpath, w->env->mnt[k].clen)) {
				view_push(w);
				return step_enter(w, k);
			}
		if (w->vlen == 0 && hole_name(w->comp, w->cl)) {
			w->mt = NULL;
			r->mount = -1;
			return step_host(w);
		}
	}
	if (w->blen + 1 + w->cl >= sizeof r->babs)
		return -ENAMETOOLONG;
	r->babs[w->blen] = '/';
	memcpy(r->babs + w->blen + 1, w->comp, w->cl);
	r->babs[w->blen + 1 + w->cl] = '\0';
	if (!w->last) {
		/* a directory met before? */
		efs_dkey ch = hash(w->h, r->babs + w->blen, 1 + w->cl);
		const struct efs_attr *ca = OPS(w)->dir_cached(CTX(w), ch);

		if (ca != NULL) {
			view_push(w);
			w->blen += 1 + w->cl;
			w->h = ch;
			w->cur = *ca;
			return MORE;
		}
	}
	if (w->last && (w->flags & EFS_R_GUESS) && !r->slash) {
		/* the caller creates with RENAME_NOREPLACE and looks on EEXIST */
		r->exists = 0;
		r->guessed = 1;
	} else if ((rc = lstat_obj(w, w->last)) != 0) {
		if (rc != -ENOENT || !w->last)
			return rc;
		r->exists = 0;
	} else
		r->exists = 1;
	if (r->exists && S_ISLNK(r->st.st_mode) &&
	    (!w->last || (w->flags & EFS_R_FOLLOW) || r->slash))
		return step_link(w);
	view_push(w);
	return w->last ? step_final(w) : step_descend(w);
}

/* The path ended on a directory the walk stands in ("/", ".", "..", a mount root). */
static int
step_end(struct walker *w)
{
	struct efs_res *r = w->r;
	int rc;

	if (w->mt == NULL) {
		if ((size_t)snprintf(r->host, sizeof r->host, "%s",
		    w->vlen ? r->view : "/") >= sizeof r->host)
			return -ENAMETOOLONG;
		return EFS_NOT_MAPPED;
	}
	if ((rc = lstat_obj(w, 1)) != 0)
		return rc;
	if (w->vlen == 0)
		strcpy(r->view, "/");		/* the image's root */
	r->exists = 1;
	r->attr = w->cur;
	r->is_root = w->blen == w->mt->blen;
	r->pattr = w->cur;
	r->bparent = w->blen;
	r->name = r->babs + w->blen;
	while (r->name > r->babs && r->name[-1] != '/')
		r->name--;
	if (!r->is_root)
		r->bparent = (size_t)(r->name - r->babs) - 1;
	return 0;
}

/* The next component: 1 with w->comp, w->cl, w->last set, or 0 at the end. */
static int
next_component(struct walker *w)
{
	char *e;

	while (*w->p == '/')
		w->p++;
	if (*w->p == '\0')
		return 0;
	w->comp = w->p;
	for (e = w->p; *e != '\0' && *e != '/'; e++)
		;
	w->cl = (size_t)(e - w->comp);
	while (*e == '/')
		e++;
	w->last = *e == '\0';
	w->p = e;
	w->r->dotlast = 0;
	return 1;
}

/* Walk w->p, an absolute path, from "/". */
static int
walk(struct walker *w)
{
	struct efs_res *r = w->r;
	int rc;

	w->vlen = 0;
	w->blen = 0;
	w->mt = NULL;
	w->h = EFS_DKEY_INIT;
	w->nlinks = 0;
	memset(&w->cur, 0, sizeof w->cur);
	r->mount = -1;
	r->mt = NULL;
	r->exists = 0;
	r->guessed = 0;
	r->is_root = 0;
	r->dotlast = 0;
	r->view[0] = '\0';
	if (OPS(w)->begin != NULL)
		OPS(w)->begin(CTX(w));
	if (w->env->img >= 0 && (rc = enter_image(w)) != MORE)
		return rc;
	while (next_component(w)) {
		if (w->cl == 1 && w->comp[0] == '.') {
			r->dotlast = w->last;
			continue;
		}
		if (w->cl == 2 && w->comp[0] == '.' && w->comp[1] == '.')
			rc = step_dotdot(w);
		else if (w->cl > EFS_NAME_MAX || w->vlen + 1 + w->cl >= sizeof r->view)
			rc = -ENAMETOOLONG;
		else if (w->mt == NULL)
			rc = step_host(w);
		else
			rc = step_lookup(w);
		if (rc != MORE)
			return rc;
	}
	return step_end(w);
}

int
efs_walk(const struct efs_walkenv *env, int dirfd, const char *path, int flags,
    struct efs_res *r, char *scratch, struct efs_walkout *out)
{
	struct walker w;
	size_t pl = strlen(path);
	int rc, tries = 0;

	out->entered = -1;
	out->denied = 0;
	if (pl == 0)
		return -ENOENT;
	if (pl >= EFS_PATH_MAX)
		return -ENAMETOOLONG;
	r->slash = path[pl - 1] == '/';
	if (path[0] != '/' && dirfd != AT_FDCWD && env->img < 0 &&
	    env->ops->fd_mount(env->ctx, dirfd) < 0 && !env->ops->fd_anc(env->ctx, dirfd)) {
		/* relative to a host directory off every mount's way: the host's business */
		memcpy(r->host, path, pl + 1);
		r->mount = -1;
		return EFS_NOT_MAPPED;
	}
	w.env = env;
	w.r = r;
	w.out = out;
	w.flags = flags;
	w.work = scratch;
	w.spare = scratch + EFS_WALK_WORK;
	w.target = scratch + 2 * EFS_WALK_WORK;
	for (;;) {
		if (path[0] == '/')
			memcpy(w.work, path, pl + 1);
		else {
			char *base = w.spare;	/* free until the walk */
			size_t bl;

			/* the caller's string is limited, not the path it names (PATH_MAX) */
			if (dirfd == AT_FDCWD)
				(void)env->ops->cwd(env->ctx, base, EFS_VIEW_MAX);
			else if ((rc = env->ops->fd_view(env->ctx, dirfd,
			    env->ops->fd_mount(env->ctx, dirfd), base, EFS_VIEW_MAX)) != 0)
				return rc;
			bl = strlen(base);
			if (bl + 1 + pl >= EFS_WALK_WORK)
				return -ENAMETOOLONG;
			memcpy(w.work, base, bl);
			w.work[bl] = '/';
			memcpy(w.work + bl + 1, path, pl + 1);
		}
		w.p = w.work;
		w.other = w.spare;
		rc = walk(&w);
		/*
		 * A link that another process renamed away between efsap's lstat
		 * and its readlink: the kernel's own walk would have taken
		 * whichever it met, so walk again (a few times; a path that keeps
		 * changing that fast reads as gone).
		 */
		if (rc != -EAGAIN)
			return rc;
		if (++tries >= 8)
			return -ENOENT;
	}
}
