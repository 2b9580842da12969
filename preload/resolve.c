/* SPDX-License-Identifier: MIT */
/*
 * resolve.c: the resolver's shell.  walk.c walks a path the program wrote
 * as an NFS client would; this file gives it the library's file system
 * operations (struct efs_fsops): lstat, readlink and record reads through
 * parent directories pinned beneath the mount root (efs_pin), the
 * per-thread directory cache, the magic links of /proc and /dev/fd, and
 * the descriptor and working directory views.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/openat2.h>
#include <sys/syscall.h>

#include "owner.h"
#include "path.h"
#include "real.h"
#include "resolve.h"
#include "thread.h"
#include "uaccess.h"
#include "vfork.h"

/*
 * A per-thread cache of directories met along paths: backing path (by
 * hash) -> recorded attributes.  An entry holds while the shared
 * generation is unchanged (every efsap process bumps it when a directory's
 * attributes or a directory's or link's name change) and for at most
 * DC_TTL_NS, so that changes made behind efsap's back are seen within that
 * time, as an NFS client's attribute cache (acdirmin) and EFS's own
 * permission cache behave.
 */
#define DC_SIZE		512
#define DC_TTL_NS	1000000000ull

struct dcent {
	efs_dkey key;
	uint64_t gen;
	uint64_t stamp;
	struct efs_attr attr;
};

/* The cache's clock for one walk: the shared generation and the time, taken once. */
struct walkclock {
	uint64_t gen;
	uint64_t now;
};

/*
 * The last descriptor a thread resolved, and its view: dirfd-relative
 * calls in a loop then cost no readlink.  Valid while no descriptor's mark
 * changed (close, dup2) and no directory was renamed or removed.
 */
struct fdview {
	int fd1;			/* 1 + the descriptor; 0 for none */
	uint16_t fdgen;
	uint64_t gen;
	char view[EFS_PATH_MAX];
};

/*
 * Pinned parent directories (efs_pin): descriptors opened beneath a mount
 * root without following links, kept while no directory or link of the
 * store was renamed or removed (gen), for at most PIN_TTL_NS, and while
 * the program has closed no descriptor in efsap's range (efs.pin_epoch).
 */
#define PIN_SLOTS	4
#define PIN_TTL_NS	DC_TTL_NS

struct pin {
	int fd;				/* -1: free */
	const struct efs_mnt *mt;
	efs_dkey key;			/* hash of the parent's path from the mount root */
	uint64_t gen;
	uint64_t stamp;
	unsigned epoch;
	unsigned tick;			/* last use, for eviction */
	uint64_t dirkey;		/* efs_dir_key of the directory */
};

/*
 * A thread's caches, in its block (thread.h): none when it has no block,
 * and none for a wrapper a signal handler entered while its thread was in
 * another (it might interrupt that one's update of an entry).
 */
struct rcache {
	struct dcent dcache[DC_SIZE];
	struct fdview fdv;
	struct pin pins[PIN_SLOTS];
	unsigned pin_tick;
};

/* the end of the cache area holds uaccess.c's page cache */
_Static_assert(sizeof(struct rcache) <= EFS_CACHE_BYTES - EFS_UCACHE_BYTES,
    "resolver caches fit a thread block");

static struct rcache *
rcache(void)
{
	return efs_outermost() ? efs_thread_block() : NULL;
}

static const struct efs_attr *
dc_get(const struct walkclock *wc, efs_dkey h)
{
	const struct rcache *rc = rcache();
	const struct dcent *e;

	if (rc == NULL)
		return NULL;
	e = &rc->dcache[(uint64_t)h % DC_SIZE];
	if (e->key == h && e->gen == wc->gen && wc->now - e->stamp < DC_TTL_NS)
		return &e->attr;
	return NULL;
}

static void
dc_put(const struct walkclock *wc, efs_dkey h, const struct efs_attr *a)
{
	struct rcache *rc = rcache();
	struct dcent *e;

	if (rc == NULL)
		return;
	e = &rc->dcache[(uint64_t)h % DC_SIZE];
	e->key = h;
	e->gen = wc->gen;
	e->stamp = wc->now;
	e->attr = *a;
}

int
efs_proc_link(const char *path, int *fd)
{
	return efs_walk_proc_link(path, getpid(), fd);
}

/*
 * A path through one of this process's magic links: does efsap decide it?
 * Yes when the link leads under a mount, or when more follows a host one
 * (which might lead into a mount: the walk reads the link to see).
 */
static int
proc_may_map(const char *path)
{
	const char *rest;
	int fd, n = efs_proc_link(path, &fd);

	if (n <= 0)
		return 0;
	if (fd < 0 ? __atomic_load_n(&efs.cwd_mount, __ATOMIC_RELAXED) >= 0 :
	    efs_fd_mount(fd) >= 0)
		return 1;
	for (rest = path + n; *rest == '/'; rest++)
		;
	return *rest != '\0';
}

/*
 * A relative path from the working directory: may it reach a mount?  The
 * working directory is read under its seqlock (efs_cwd_get), never torn by
 * another thread's chdir; without scratch memory (a nested call), yes.
 */
static int
cwd_may_enter(const char *path)
{
	size_t mark;
	char *cwd;
	int k, rc = 1;

	if (__atomic_load_n(&efs.cwd_mount, __ATOMIC_RELAXED) >= 0)
		return 1;
	mark = efs_scratch_mark();
	if ((cwd = efs_scratch_alloc(EFS_VIEW_MAX)) != NULL) {
		k = efs_cwd_get(cwd, EFS_VIEW_MAX);
		rc = k >= 0 || k == EFS_CWD_TOO_LONG ? 1 : efs_path_may_enter(&efs.cfg, cwd, path);
	}
	efs_scratch_release(mark);
	return rc;
}

int
efs_may_map(int dirfd, const char *path)
{
	/* a path efsap may not read: the real call says EFAULT or ENAMETOOLONG */
	if ((efs.nmnt == 0 && efs.img < 0) || efs_ustr(path, EFS_PATH_MAX) != 0)
		return 0;
	if (efs.img >= 0)		/* "/" is the image: all but the kernel's own mounts */
		return path[0] != '/' || !efs_walk_hole(path, strlen(path)) ||
		    efs_path_odd(path) || proc_may_map(path);
	if (path[0] == '/') {
		int k;

		/*
		 * The hot path of every call outside the mounts: a few compares.
		 * Under a mount point, or on the way to one ("/", "/mnt": its
		 * descriptor leads into the mount, EFS_FD_HOSTANC).  A mount
		 * point is never "/", so a path whose second byte differs from
		 * its is neither, unless it is "/" itself.
		 */
		for (k = 0; k < efs.nmnt; k++) {
			const struct efs_mnt *mt = &efs.mnt[k];

			if (path[1] != mt->cpath[1] && path[1] != '\0')
				continue;
			if (strncmp(path, mt->cpath, mt->clen) == 0 &&
			    (path[mt->clen] == '\0' || path[mt->clen] == '/'))
				return 1;
			if (efs_path_is_anc(path, mt->cpath))
				return 1;
		}
		/* /proc/self/fd/N, /dev/fd/N, /proc/self/cwd... may lead into one */
		if ((path[1] == 'p' || path[1] == 'd') && proc_may_map(path))
			return 1;
		/* "//", "/./", "/../" could still lead into one */
		return efs_path_odd(path);
	}
	if (dirfd != AT_FDCWD)
		return efs_fd_marked(dirfd) && (efs_fd_bits(dirfd) & EFS_FD_MOUNT) != 0;
	return cwd_may_enter(path);
}

int
efs_backing_to_view(const char *babs, char *view, size_t len)
{
	int k, best = -1;
	size_t bl = 0;

	for (k = 0; k < efs.nmnt; k++) {
		const struct efs_mnt *mt = &efs.mnt[k];

		if (strncmp(babs, mt->broot, mt->blen) == 0 &&
		    (babs[mt->blen] == '\0' || babs[mt->blen] == '/') &&
		    (best < 0 || mt->blen > bl || (mt->blen == bl &&
		    k == __atomic_load_n(&efs.cwd_mount, __ATOMIC_RELAXED)))) {
			best = k;
			bl = mt->blen;
		}
	}
	if (best < 0)
		return -ENOENT;
	if ((size_t)snprintf(view, len, "%s%s", efs.mnt[best].cpath, babs + bl) >= len)
		return -ENAMETOOLONG;
	return 0;
}

/* Does a /proc link target name an object that has no name any more? */
static int
deleted(const char *t)
{
	size_t n = strlen(t);

	return n >= 10 && strcmp(t + n - 10, " (deleted)") == 0;
}

/* The program-view path of a descriptor under mount k (k < 0: a host directory's path). */
static int
fd_view(int fd, int k, char *view, size_t len)
{
	char proc[64], *target;
	const struct efs_mnt *mt = k >= 0 ? &efs.mnt[k] : NULL;
	size_t mark;
	uint16_t fdgen = fd < EFS_FDTAB ? __atomic_load_n(&efs.fdgen[fd], __ATOMIC_ACQUIRE) : 0;
	uint64_t gen = __atomic_load_n(efs.gen, __ATOMIC_ACQUIRE);
	struct rcache *cache = rcache();
	struct fdview *fdv = cache != NULL ? &cache->fdv : NULL;
	ssize_t n;
	int rc;

	if (fdv != NULL && fdv->fd1 == fd + 1 && fdv->fdgen == fdgen && fdv->gen == gen &&
	    fd < EFS_FDTAB) {
		n = (ssize_t)strlen(fdv->view);
		if ((size_t)n >= len)
			return -ENAMETOOLONG;
		memcpy(view, fdv->view, (size_t)n + 1);
		return 0;
	}
	mark = efs_scratch_mark();
	if ((target = efs_scratch_path()) == NULL)
		return -ENOMEM;
	snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
	n = real.readlink(proc, target, EFS_PATH_MAX - 1);
	if (n < 0) {
		efs_scratch_release(mark);
		return -EBADF;
	}
	target[n] = '\0';
	if (mt == NULL || mt->image) {	/* a host directory or the image's: its path is the view */
		rc = target[0] != '/' || deleted(target) ? -ENOENT :
		    (size_t)n >= len ? -ENAMETOOLONG : 0;
		if (rc == 0)
			memcpy(view, target, (size_t)n + 1);
	} else if (strncmp(target, mt->broot, mt->blen) == 0 &&
	    (target[mt->blen] == '\0' || target[mt->blen] == '/')) {
		rc = (size_t)snprintf(view, len, "%s%s", mt->cpath, target + mt->blen) >= len ?
		    -ENAMETOOLONG : 0;
	} else
		rc = efs_backing_to_view(target, view, len);
	efs_scratch_release(mark);
	if (rc == 0 && fdv != NULL && strlen(view) < sizeof fdv->view) {
		strcpy(fdv->view, view);
		fdv->fd1 = fd + 1;
		fdv->fdgen = fdgen;
		fdv->gen = gen;
	}
	return rc;
}

int
efs_fd_hostpath(int fd, char *path, size_t len)
{
	return fd_view(fd, -1, path, len);
}

int
efs_host_anc(const char *host)
{
	int k;

	for (k = 0; k < efs.nmnt; k++)
		if (efs_path_is_anc(host, efs.mnt[k].cpath))
			return 1;
	return 0;
}

int
efs_mount_point_next(int dfd, const char *dir, int k, const char **name, size_t *len)
{
	struct stat st;
	size_t mark = efs_scratch_mark(), dl = strlen(dir);
	char *one = dfd == AT_FDCWD ? efs_scratch_path() : efs_scratch_alloc(NAME_MAX + 1);
	const char *n;
	size_t l;

	for (; one != NULL && k < efs.nmnt; k++) {
		if ((l = efs_path_child(dir, efs.mnt[k].cpath, &n)) == 0 || l > NAME_MAX ||
		    dl + 1 + l >= EFS_PATH_MAX)
			continue;
		/* the host's own entry of that name is listed (and walked) already */
		if (dfd == AT_FDCWD)
			snprintf(one, EFS_PATH_MAX, "%s%s%.*s", dir,
			    dir[dl - 1] == '/' ? "" : "/", (int)l, n);
		else {
			memcpy(one, n, l);
			one[l] = '\0';
		}
		if (real.fstatat(dfd, one, &st, AT_SYMLINK_NOFOLLOW) == 0)
			continue;
		efs_scratch_release(mark);
		*name = n;
		*len = l;
		return k;
	}
	efs_scratch_release(mark);
	return -1;
}

/*
 * The target of the magic link `link` of this process (descriptor fd, or
 * the working directory when fd < 0) for a walk that goes on with rest:
 * 0 with the program-view path in out (EFS_PATH_MAX bytes), EFS_NOT_MAPPED when the kernel may
 * follow the link itself (it leads to the host, or to an object under a
 * mount that has no name, with nothing after it to walk), or -errno.
 */
static int
proc_target(int fd, const char *link, const char *rest, char *out)
{
	const size_t len = EFS_PATH_MAX;
	ssize_t n;
	int k, rc;

	if (fd < 0 && __atomic_load_n(&efs.cwd_mount, __ATOMIC_RELAXED) >= 0) {
		return efs_cwd_get(out, len) == EFS_CWD_TOO_LONG ? -ENAMETOOLONG : 0;
	}
	if (fd >= 0 && (k = efs_fd_mount(fd)) >= 0) {
		if ((rc = fd_view(fd, k, out, len)) == 0 && !deleted(out))
			return 0;
		/* never let the kernel walk on from it: that could leave the mount */
		if (*rest != '\0')
			return rc == -ENAMETOOLONG ? rc : -ENOENT;
		return EFS_NOT_MAPPED;
	}
	/*
	 * A host link: the kernel's, unless what follows may enter a mount.
	 * With something after it, one that cannot be read (no such
	 * descriptor) or names no directory (a pipe, a socket) gets the
	 * kernel's answer here, so that the kernel is never handed a walk
	 * through a link efsap has not judged (the descriptor may be opened
	 * in between).
	 */
	n = real.readlink(link, out, len);
	if (n < 0)
		return *rest != '\0' ? -errno : EFS_NOT_MAPPED;
	if (n == 0 || (size_t)n >= len || out[0] != '/')
		return *rest != '\0' && n > 0 && (size_t)n < len ? -ENOTDIR : EFS_NOT_MAPPED;
	out[n] = '\0';
	if (deleted(out) || !efs_path_may_enter(&efs.cfg, out, rest))
		return EFS_NOT_MAPPED;
	return 0;
}

static int no_openat2;			/* the kernel has no openat2 (or a filter refuses it) */

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Drop a slot; its descriptor is still ours unless the program closed some of our range. */
static void
pin_drop(struct pin *s)
{
	if (s->fd >= 0 && s->epoch == __atomic_load_n(&efs.pin_epoch, __ATOMIC_ACQUIRE))
		real.close(s->fd);
	s->fd = -1;
}

void
efs_pin_thread_exit(void *block)
{
	struct rcache *rc = block;
	int i;

	for (i = 0; i < PIN_SLOTS; i++)
		if (rc->pins[i].tick != 0)
			pin_drop(&rc->pins[i]);
}

uint64_t
efs_dir_key(int dfd, const char *rel)
{
	struct stat st;

	if (real.fstatat(dfd, rel, &st, rel[0] == '\0' ? AT_EMPTY_PATH : 0) != 0)
		return 0;
	return ((uint64_t)st.st_dev * 0x9e3779b97f4a7c15ull) ^ (uint64_t)st.st_ino;
}

/*
 * The directory parent (a relative path without "." or ".." components:
 * a canonical backing path below the mount root), opened O_PATH beneath
 * rootfd without following any link: openat2's RESOLVE_BENEATH |
 * RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS, or, where the kernel has no
 * openat2 (before 5.6) or a seccomp filter refuses it, one openat per
 * component with O_NOFOLLOW | O_DIRECTORY, each from the one before: a
 * link met on the way fails with ENOTDIR (or ELOOP), never followed.  A
 * descriptor, or -1 with errno.
 */
static int
open_beneath(int rootfd, const char *parent)
{
	struct open_how how;
	const char *p, *e;
	char name[EFS_NAME_MAX + 1];
	int fd, next, saved;

	if (!__atomic_load_n(&no_openat2, __ATOMIC_RELAXED)) {
		memset(&how, 0, sizeof how);
		how.flags = O_PATH | O_DIRECTORY | O_CLOEXEC;
		how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
		fd = (int)real.syscall(SYS_openat2, rootfd, parent, &how, sizeof how);
		if (fd >= 0 || (errno != ENOSYS && errno != E2BIG && errno != EPERM))
			return fd;
		__atomic_store_n(&no_openat2, 1, __ATOMIC_RELAXED);
	}
	for (fd = rootfd, p = parent; *p != '\0'; p = *e == '/' ? e + 1 : e) {
		e = p + strcspn(p, "/");
		if ((size_t)(e - p) > EFS_NAME_MAX) {
			errno = ENAMETOOLONG;
			goto fail;
		}
		memcpy(name, p, (size_t)(e - p));
		name[e - p] = '\0';
		if (name[0] == '\0' || strcmp(name, ".") == 0 || strcmp(name, "..") == 0) {
			errno = EXDEV;	/* never in a canonical path: refuse, as RESOLVE_BENEATH would */
			goto fail;
		}
		next = real.openat(fd, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd != rootfd)
			real.close(fd);
		if ((fd = next) < 0)
			return -1;
	}
	if (fd == rootfd)
		return real.fcntl(rootfd, F_DUPFD_CLOEXEC, 0);
	return fd;
fail:
	saved = errno;
	if (fd != rootfd)
		real.close(fd);
	errno = saved;
	return -1;
}

static int
pin(const struct efs_mnt *mt, const char *babs, const char **rel, uint64_t *dirkey)
{
	struct rcache *rc;
	struct pin *s, *victim;
	const char *p, *slash;
	size_t pl, mark;
	uint64_t gen, now;
	unsigned epoch;
	char *parent;
	efs_dkey key;
	int rootfd = __atomic_load_n(&mt->rootfd, __ATOMIC_RELAXED), fd, hi, i;

	/* a nested call (signal handler), no root descriptor: efs_at */
	if (dirkey != NULL)
		*dirkey = 0;		/* not known: efs_pin_key asks */
	if (rootfd < 0 || babs[0] != '/' || (rc = rcache()) == NULL)
		return efs_at(mt, babs, rel);
	if (babs[mt->blen] != '/') {
		*rel = ".";		/* the mount root itself */
		return rootfd;
	}
	p = babs + mt->blen + 1;
	if ((slash = strrchr(p, '/')) == NULL) {
		*rel = p;		/* an entry of the root */
		if (dirkey != NULL)
			*dirkey = mt->root_key;
		return rootfd;
	}
	pl = (size_t)(slash - p);
	if (pl >= EFS_PATH_MAX)		/* past PATH_MAX: efs_at_long's way */
		return efs_at(mt, babs, rel);
	*rel = slash + 1;
	key = efs_walk_hash(EFS_DKEY_INIT, p, pl);
	gen = __atomic_load_n(efs.gen, __ATOMIC_ACQUIRE);
	epoch = __atomic_load_n(&efs.pin_epoch, __ATOMIC_ACQUIRE);
	now = now_ns();
	victim = &rc->pins[0];
	for (i = 0; i < PIN_SLOTS; i++) {
		s = &rc->pins[i];
		if (s->tick != 0 && s->fd >= 0 && s->mt == mt && s->key == key && s->gen == gen &&
		    s->epoch == epoch && now - s->stamp < PIN_TTL_NS) {
			s->tick = ++rc->pin_tick;
			if (dirkey != NULL && (*dirkey = s->dirkey) == 0)
				*dirkey = s->dirkey = efs_dir_key(s->fd, "");
			return s->fd;
		}
		if (s->tick < victim->tick)
			victim = s;
	}
	mark = efs_scratch_mark();
	if ((parent = efs_scratch_alloc(pl + 1)) == NULL)
		return -ENOMEM;
	memcpy(parent, p, pl);
	parent[pl] = '\0';
	fd = open_beneath(rootfd, parent);
	efs_scratch_release(mark);
	if (fd < 0)	/* a link or a move between efsap's look and now: the path is gone */
		return errno == ELOOP || errno == EXDEV || errno == ENOTDIR ? -ENOENT : -errno;
	/* out of the way of the program's low descriptors, as efsap's own are */
	fd = efs_fd_high(fd);
	for (hi = __atomic_load_n(&efs.pin_lo, __ATOMIC_RELAXED); fd < hi &&
	    !__atomic_compare_exchange_n(&efs.pin_lo, &hi, fd, 0, __ATOMIC_RELEASE,
	    __ATOMIC_RELAXED);)
		;

	if (victim->tick != 0)
		pin_drop(victim);
	victim->fd = fd;
	victim->mt = mt;
	victim->key = key;
	victim->gen = gen;
	victim->stamp = now;
	victim->epoch = epoch;
	victim->tick = ++rc->pin_tick;
	victim->dirkey = 0;		/* asked for the first time it is needed */
	if (dirkey != NULL)
		*dirkey = victim->dirkey = efs_dir_key(fd, "");
	return fd;
}

int
efs_pin(const struct efs_mnt *mt, const char *babs, int *dfd, const char **rel)
{
	int fd = pin(mt, babs, rel, NULL);

	/* pin's answers: a descriptor, AT_FDCWD (efs_at's), or -errno */
	if (fd < 0 && fd != AT_FDCWD)
		return fd;
	*dfd = fd;
	return 0;
}

/*
 * The key of the directory that holds the last name of (fd, rel), where
 * rel may have several components (efs_at's answer): the same key as a
 * pin of that directory has, so that a nested call locks the names that
 * a call with pins does.
 */
static uint64_t
rel_parent_key(int fd, const char *rel)
{
	const char *slash = strrchr(rel, '/');
	size_t mark, n;
	uint64_t key = 0;
	char *parent;

	if (slash == NULL)
		return efs_dir_key(fd, ".");
	n = slash == rel ? 1 : (size_t)(slash - rel);	/* "/x": the root */
	mark = efs_scratch_mark();
	if ((parent = efs_scratch_alloc(n + 1)) != NULL) {
		memcpy(parent, rel, n);
		parent[n] = '\0';
		key = efs_dir_key(fd, parent);
	}
	efs_scratch_release(mark);
	return key;
}

int
efs_pin_key(const struct efs_mnt *mt, const char *babs, int *dfd, const char **rel,
    uint64_t *key)
{
	int fd = pin(mt, babs, rel, key);

	if (fd < 0 && fd != AT_FDCWD)
		return fd;
	*dfd = fd;
	if (*key == 0)
		*key = rel_parent_key(fd, *rel);
	return 0;
}

int
efs_at_long(const struct efs_mnt *mt, const char *babs, const char **rel, int rootfd)
{
	size_t mark = efs_scratch_mark(), cl, bl, n;
	char *cwd = efs_scratch_alloc(EFS_VIEW_MAX), *up, *p;
	const char *b = babs + mt->blen, *w;
	int k;

	if (cwd == NULL || (k = efs_cwd_get(cwd, EFS_VIEW_MAX)) < 0 || &efs.mnt[k] != mt)
		goto root;
	w = cwd + mt->clen;		/* the working directory below the mount point */
	cl = strlen(w);
	bl = strlen(b);
	if (bl >= cl && strncmp(b, w, cl) == 0 && (b[cl] == '/' || b[cl] == '\0')) {
		*rel = b[cl] == '/' ? b + cl + 1 : ".";		/* at or below it */
		efs_scratch_release(mark);
		return AT_FDCWD;
	}
	if (bl < cl && strncmp(b, w, bl) == 0 && w[bl] == '/') {
		/* above it, on its way from the root: as many ".." as names between */
		for (n = 0, p = (char *)w + bl; *p != '\0'; p++)
			n += *p == '/';
		efs_scratch_release(mark);	/* the working directory's copy is done with */
		if (3 * n < EFS_PATH_MAX && (up = efs_scratch_alloc(3 * n + 1)) != NULL) {
			for (p = up; n > 0; n--)
				p += sprintf(p, n > 1 ? "../" : "..");
			*p = '\0';
			*rel = up;		/* the caller's scratch: it lives as long as the call */
			return AT_FDCWD;
		}
		return rootfd;
	}
root:
	efs_scratch_release(mark);
	return rootfd;
}

/*
 * The library's file system for walk.c: real system calls through parents
 * pinned beneath the mount root (a link swapped in since efsap looked
 * fails, never followed), and this thread's directory cache.
 */
static void
fs_begin(void *ctx)
{
	struct walkclock *wc = ctx;

	wc->gen = __atomic_load_n(efs.gen, __ATOMIC_ACQUIRE);
	wc->now = now_ns();
}

static const struct efs_attr *
fs_dir_cached(void *ctx, efs_dkey k)
{
	return dc_get(ctx, k);
}

static void
fs_dir_remember(void *ctx, efs_dkey k, const struct efs_attr *a)
{
	dc_put(ctx, k, a);
}

static int
fs_lstat(void *ctx, const struct efs_mnt *mt, const char *babs, struct stat *st)
{
	const char *rel;
	int dfd, rc;

	if ((rc = efs_pin(mt, babs, &dfd, &rel)) != 0)
		return rc;
	return real.fstatat(dfd, rel, st, AT_SYMLINK_NOFOLLOW) != 0 ? -errno : 0;
}

static int
fs_readlink(void *ctx, const struct efs_mnt *mt, const char *babs, char *buf, size_t len)
{
	const char *rel;
	ssize_t n;
	int dfd, rc;

	if ((rc = efs_pin(mt, babs, &dfd, &rel)) != 0)
		return rc;
	n = real.readlinkat(dfd, rel, buf, len);
	return n < 0 ? -errno : (int)n;
}

/* A record that cannot be read reads as the unrecorded default (owner.c): not an error. */
static int
fs_record(void *ctx, const struct efs_mnt *mt, const char *babs, const struct stat *st,
    struct efs_attr *a)
{
	const char *rel;
	int dfd, rc;

	if ((rc = efs_pin(mt, babs, &dfd, &rel)) != 0)
		return rc;
	(void)efs_owner_getat(dfd, rel, babs, st, a);
	return 0;
}

static int
fs_magic(void *ctx, int fd, const char *link, const char *rest, char *out)
{
	return proc_target(fd, link, rest, out);
}

static int
fs_fd_mount(void *ctx, int fd)
{
	return efs_fd_mount(fd);
}

static int
fs_fd_anc(void *ctx, int fd)
{
	return efs_fd_is_anc(fd);
}

static int
fs_fd_view(void *ctx, int fd, int k, char *view, size_t len)
{
	return fd_view(fd, k, view, len);
}

static int
fs_cwd(void *ctx, char *buf, size_t len)
{
	return efs_cwd_get(buf, len);
}

static pid_t
fs_pid(void *ctx)
{
	return getpid();
}

static const struct efs_fsops fsops = {
	.begin = fs_begin,
	.dir_cached = fs_dir_cached,
	.dir_remember = fs_dir_remember,
	.lstat = fs_lstat,
	.readlink = fs_readlink,
	.record = fs_record,
	.magic = fs_magic,
	.fd_mount = fs_fd_mount,
	.fd_anc = fs_fd_anc,
	.fd_view = fs_fd_view,
	.cwd = fs_cwd,
	.pid = fs_pid,
};

int
efs_resolve(struct efs_call *c, int dirfd, const char *path, int flags, struct efs_res *r)
{
	return efs_resolve_into(c, dirfd, path, flags, r, NULL);
}

int
efs_resolve_into(struct efs_call *c, int dirfd, const char *path, int flags,
    struct efs_res *r, struct stat *ust)
{
	struct walkclock wc;
	struct efs_walkenv env;
	struct efs_walkout out;
	size_t mark;
	char *scratch;
	int rc;

	r->ustat = ust;
	r->view[0] = '\0';
	c->view = r->view;
	if ((rc = efs_ustr(path, EFS_PATH_MAX)) != 0)
		return rc;		/* -EFAULT, -ENAMETOOLONG */
	if (path[0] == '\0') {
		if (!(flags & EFS_R_EMPTY))
			return -ENOENT;
		if (dirfd != AT_FDCWD)
			return efs_resolve_fd(c, dirfd, flags, r);
		path = ".";		/* AT_FDCWD with AT_EMPTY_PATH: the working directory */
	}
	mark = efs_scratch_mark();
	if ((scratch = efs_scratch_alloc(EFS_WALK_SCRATCH)) == NULL)
		return -ENOMEM;
	env.ops = &fsops;
	env.ctx = &wc;
	env.mnt = efs.mnt;
	env.nmnt = efs.nmnt;
	env.img = efs.img;
	rc = efs_walk(&env, dirfd, path, flags, r, scratch, &out);
	if (out.entered >= 0)
		c->mount = out.entered;
	if (out.denied) {
		efs_call_blame(c, out.squashed ? EFS_WHY_SQUASH : EFS_WHY_PERM, &out.dir, NULL);
		/* c->objpath: when the log wants it (efs_enter) */
		if (c->objpath != NULL)
			snprintf(c->objpath, EFS_PATH_MAX, "%.*s", EFS_PATH_MAX - 1,
			    r->view[0] ? r->view : "/");
	}
	efs_scratch_release(mark);
	return rc;
}

int
efs_resolve_fd(struct efs_call *c, int fd, int flags, struct efs_res *r)
{
	int k = efs_fd_mount(fd);

	if (k < 0) {
		r->mount = -1;
		r->host[0] = '\0';
		return EFS_NOT_MAPPED;
	}
	r->mount = k;
	r->mt = &efs.mnt[k];
	c->mount = k;
	c->view = r->view;
	r->slash = 0;
	r->dotlast = 0;
	r->view[0] = '\0';
	if (real.fstat(fd, &r->st) != 0)
		return -errno;
	if (efs.log_level != 0 && fd_view(fd, k, r->view, sizeof r->view) != 0)
		r->view[0] = '\0';
	r->exists = 1;
	r->babs[0] = '\0';
	r->name = r->babs;
	r->bparent = 0;
	r->is_root = 0;
	if (!(flags & EFS_R_NOATTR))
		efs_owner_fget(fd, &r->st, &r->attr);
	return 0;
}

/*
 * A real vfork (vfork.h): the child's pins hold descriptors of the child's
 * table, the parent's must come back; its descriptor view is dropped.  A
 * child that died inside a wrapper may have left a cache entry half
 * written: the directory cache goes too then.
 */
static struct {
	int had;
	struct pin pins[PIN_SLOTS];
	unsigned pin_tick;
} vs;

void
efs_resolve_vsave(void)
{
	struct rcache *rc = (struct rcache *)efs_th.block;

	vs.had = rc != NULL;
	if (rc != NULL) {
		memcpy(vs.pins, rc->pins, sizeof vs.pins);
		vs.pin_tick = rc->pin_tick;
	}
}

void
efs_resolve_vrestore(int child_died_inside)
{
	struct rcache *rc = (struct rcache *)efs_th.block;
	int i;

	if (rc == NULL)
		return;
	if (vs.had) {
		memcpy(rc->pins, vs.pins, sizeof vs.pins);
		rc->pin_tick = vs.pin_tick;
	} else {
		for (i = 0; i < PIN_SLOTS; i++) {
			rc->pins[i].fd = -1;
			rc->pins[i].tick = 0;
		}
	}
	rc->fdv.fd1 = 0;
	if (child_died_inside)
		memset(rc->dcache, 0, sizeof rc->dcache);
}
