/* SPDX-License-Identifier: MIT */
/*
 * image_unpack.c: apply image layers, in order, to one root directory,
 * unprivileged: regular files, directories, symbolic links, hard links and
 * FIFOs are created; device nodes and sockets are counted and skipped;
 * ".wh.NAME" removes NAME of lower layers and ".wh..wh..opq" empties a
 * directory of what lower layers put there.
 *
 * Nothing is written outside the root: member names with ".." are
 * refused, and every path is resolved by img_resolve() (image_fs.c:
 * symbolic links followed as the image itself would, with the root as
 * "/") and then opened one component at a time with O_NOFOLLOW.
 *
 * The owner and mode of each regular file and directory come from the tar
 * header and are recorded as libefsap records them (xattr user.efsap,
 * "UID:GID:MODE:TYPE"); the object on disk gets efs_attr_real_mode(), so
 * that the kernel never decides.  Symbolic links, FIFOs and hard links'
 * extra names are not recorded (a hard link shares its inode's record).
 * What set each path (layer, owner, mode, type) is kept in memory and
 * written as the index.
 */
#include <sys/stat.h>
#include <sys/xattr.h>

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "attr.h"
#include "image_int.h"

/* ------------------------------------------------------------------ */
/* What set each path                                                  */

struct prov {
	char *path;			/* NULL: free slot; TOMB: removed */
	int layer;
	int has_entries;
	int has_mtime;			/* a directory's mtime, set when all is done */
	struct efs_attr a;
	struct timespec mtime;
};

static char tomb_;
#define TOMB	(&tomb_)

struct img_unpack {
	int rootfd;
	struct prov *tab;
	size_t cap, used, live;		/* slots, slots ever used, live entries */
	int layer;
	/* The last parent directory opened, reused by the next member. */
	char last_parent[PATH_MAX];
	int last_fd;
	unsigned devices;
	int xattr_ok;
	const char *cache;
	char path[PATH_MAX];		/* scratch for removals */
	char *err;
	size_t errlen;
	const char *what;
};

static uint64_t
hash(const char *s)
{
	uint64_t h = 14695981039346656037ULL;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static struct prov *
map_find(struct img_unpack *u, const char *path)
{
	size_t i = (size_t)hash(path) & (u->cap - 1);

	for (; u->tab[i].path != NULL; i = (i + 1) & (u->cap - 1))
		if (u->tab[i].path != TOMB && strcmp(u->tab[i].path, path) == 0)
			return &u->tab[i];
	return NULL;
}

static void map_grow(struct img_unpack *u);

static struct prov *
map_set(struct img_unpack *u, const char *path, int layer, const struct efs_attr *a)
{
	struct prov *p = map_find(u, path);
	size_t i;

	if (p == NULL) {
		if ((u->used + 1) * 4 > u->cap * 3)
			map_grow(u);
		i = (size_t)hash(path) & (u->cap - 1);
		while (u->tab[i].path != NULL && u->tab[i].path != TOMB)
			i = (i + 1) & (u->cap - 1);
		p = &u->tab[i];
		if (p->path == NULL)
			u->used++;
		if ((p->path = strdup(path)) == NULL)
			err(EXIT_FAILURE, "strdup");
		u->live++;
	}
	p->layer = layer;
	p->a = *a;
	p->has_entries = 0;
	p->has_mtime = 0;
	return p;
}

static void
map_grow(struct img_unpack *u)
{
	struct prov *old = u->tab;
	size_t oldcap = u->cap, i, j;

	u->cap = oldcap ? oldcap * 2 : 4096;
	if ((u->tab = calloc(u->cap, sizeof(*u->tab))) == NULL)
		err(EXIT_FAILURE, "calloc");
	u->used = 0;
	for (i = 0; i < oldcap; i++) {
		if (old[i].path == NULL || old[i].path == TOMB)
			continue;
		j = (size_t)hash(old[i].path) & (u->cap - 1);
		while (u->tab[j].path != NULL)
			j = (j + 1) & (u->cap - 1);
		u->tab[j] = old[i];
		u->used++;
	}
	free(old);
}

/* Forget path alone (not a directory). */
static void
map_del_one(struct img_unpack *u, const char *path)
{
	struct prov *p = map_find(u, path);

	if (p != NULL) {
		free(p->path);
		p->path = TOMB;
		u->live--;
	}
}

/* Forget path and everything under it. */
static void
map_del_tree(struct img_unpack *u, const char *path)
{
	size_t i, n = strlen(path);

	for (i = 0; i < u->cap; i++) {
		char *p = u->tab[i].path;

		if (p == NULL || p == TOMB)
			continue;
		if (strncmp(p, path, n) == 0 && (p[n] == '\0' || p[n] == '/')) {
			free(p);
			u->tab[i].path = TOMB;
			u->live--;
		}
	}
}

struct img_unpack *
img_unpack_new(int rootfd, const char *cache)
{
	struct img_unpack *u;

	if ((u = calloc(1, sizeof(*u))) == NULL)
		err(EXIT_FAILURE, "calloc");
	u->rootfd = rootfd;
	u->last_fd = -1;
	u->xattr_ok = 1;
	u->cache = cache;
	map_grow(u);
	return u;
}

void
img_unpack_free(struct img_unpack *u)
{
	size_t i;

	if (u == NULL)
		return;
	for (i = 0; i < u->cap; i++)
		if (u->tab[i].path != NULL && u->tab[i].path != TOMB)
			free(u->tab[i].path);
	free(u->tab);
	if (u->last_fd != -1)
		close(u->last_fd);
	free(u);
}

unsigned
img_unpack_devices(const struct img_unpack *u)
{
	return u->devices;
}

int
img_unpack_xattrs(const struct img_unpack *u)
{
	return u->xattr_ok;
}

/* ------------------------------------------------------------------ */
/* Members                                                             */

static int
fail(struct img_unpack *u, int rc, const char *member, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(u->err, u->errlen, "%s: member %s: %s", u->what, member, msg);
	return rc < 0 ? rc : -EINVAL;
}

static void
forget_parent(struct img_unpack *u)
{
	if (u->last_fd != -1)
		close(u->last_fd);
	u->last_fd = -1;
	u->last_parent[0] = '\0';
}

/* Record *a on the open object fd and give it its real mode. */
static int
record(struct img_unpack *u, int fd, const struct efs_attr *a)
{
	char rec[EFS_ATTR_RECMAX];
	int n;

	if (u->xattr_ok && (n = efs_attr_format(a, rec, sizeof(rec))) > 0 &&
	    fsetxattr(fd, EFS_ATTR_XATTR, rec, (size_t)n, 0) == -1) {
		if (errno != ENOTSUP && errno != EOPNOTSUPP)
			return -errno;
		u->xattr_ok = 0;
		warnx("%s: the cache file system refuses user extended attributes: "
		    "the image's owners and modes are not recorded", u->cache);
	}
	if (fchmod(fd, efs_attr_real_mode(a)) == -1)
		return -errno;
	return 0;
}

/*
 * Open the directory at canonical path cpath (no symbolic links), creating
 * missing components as directories of root (layer u->layer).  Returns a
 * descriptor or a negative errno.
 */
static int
open_dir(struct img_unpack *u, const char *cpath)
{
	static const struct efs_attr implicit = { 0, 0, S_IFDIR | 0755 };
	char sofar[PATH_MAX];
	const char *p = cpath, *c;
	size_t n, sl = 0;
	int fd, next, rc;

	if ((fd = dup(u->rootfd)) == -1)
		return -errno;
	while (*p != '\0') {
		c = p;
		while (*p != '/' && *p != '\0')
			p++;
		n = (size_t)(p - c);
		if (n >= NAME_MAX + 1 || sl + n + 2 > sizeof(sofar)) {
			close(fd);
			return -ENAMETOOLONG;
		}
		if (sl > 0)
			sofar[sl++] = '/';
		memcpy(sofar + sl, c, n);
		sl += n;
		sofar[sl] = '\0';
		if (*p == '/')
			p++;
		next = openat(fd, sofar + sl - n,
		    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (next == -1 && errno == ENOENT) {
			if (mkdirat(fd, sofar + sl - n, 0700) == -1 && errno != EEXIST) {
				rc = -errno;
				close(fd);
				return rc;
			}
			next = openat(fd, sofar + sl - n,
			    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (next != -1) {
				map_set(u, sofar, u->layer, &implicit);
				if ((rc = record(u, next, &implicit)) != 0) {
					close(next);
					close(fd);
					return rc;
				}
			}
		}
		rc = -errno;
		close(fd);
		if (next == -1)
			return rc == -ELOOP ? -ENOTDIR : rc;
		fd = next;
	}
	return fd;
}

/*
 * The parent directory of a member (canonical path of the member in
 * cpath, its last component in *name).  Returns a descriptor owned by u,
 * or a negative errno.
 */
static int
member_parent(struct img_unpack *u, const char *mpath, int create, char *cpath,
    size_t len, const char **name)
{
	char parent[PATH_MAX], resolved[PATH_MAX];
	const char *slash = strrchr(mpath, '/');
	const char *base = slash != NULL ? slash + 1 : mpath;
	size_t pl = slash != NULL ? (size_t)(slash - mpath) : 0;
	int rc, fd;

	memcpy(parent, mpath, pl);
	parent[pl] = '\0';
	if (u->last_fd != -1 && strcmp(parent, u->last_parent) == 0 &&
	    create) {
		fd = u->last_fd;
		rc = 0;
		goto found;
	}
	if ((rc = img_resolve(u->rootfd, parent, 1, resolved, sizeof(resolved))) != 0)
		return rc;
	if (!create) {
		struct stat st;

		if (resolved[0] != '\0' &&
		    (fstatat(u->rootfd, resolved, &st, AT_SYMLINK_NOFOLLOW) == -1 ||
		    !S_ISDIR(st.st_mode)))
			return -ENOENT;
	}
	if ((fd = open_dir(u, resolved)) < 0)
		return fd;
	forget_parent(u);
	u->last_fd = fd;
	strcpy(u->last_parent, parent);
	strcpy(u->path, resolved);
found:
	if (snprintf(cpath, len, "%s%s%s", u->path, u->path[0] ? "/" : "", base) >=
	    (int)len)
		return -ENAMETOOLONG;
	*name = base;
	return fd;
}

/*
 * Remove what lower layers put in the directory dfd (canonical path
 * dpath), keeping what this layer set.
 */
static int
rm_lower(struct img_unpack *u, int dfd, const char *dpath)
{
	char child[PATH_MAX];
	struct dirent *d;
	struct prov *p;
	DIR *dir;
	int fd, sub, rc = 0;

	if ((fd = dup(dfd)) == -1)
		return -errno;
	if ((dir = fdopendir(fd)) == NULL) {
		rc = -errno;
		close(fd);
		return rc;
	}
	rewinddir(dir);
	while ((d = readdir(dir)) != NULL) {
		if (strcmp(d->d_name, ".") == 0 || strcmp(d->d_name, "..") == 0)
			continue;
		if (snprintf(child, sizeof(child), "%s%s%s", dpath, dpath[0] ? "/" : "",
		    d->d_name) >= (int)sizeof(child)) {
			rc = -ENAMETOOLONG;
			break;
		}
		p = map_find(u, child);
		if (p != NULL && p->layer == u->layer) {
			if (!S_ISDIR(p->a.mode))
				continue;
			sub = openat(dfd, d->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
			    O_CLOEXEC);
			if (sub == -1) {
				rc = -errno;
				break;
			}
			rc = rm_lower(u, sub, child);
			close(sub);
		} else {
			rc = img_rm_tree(dfd, d->d_name);
			if (p != NULL && !S_ISDIR(p->a.mode))
				map_del_one(u, child);
			else
				map_del_tree(u, child);
		}
		if (rc != 0)
			break;
	}
	closedir(dir);
	return rc;
}

/* Make room for a new object name in pfd: 1 when a directory is kept. */
static int
make_room(struct img_unpack *u, int pfd, const char *name, const char *cpath, int keep_dir)
{
	struct stat st;
	int rc;

	if (fstatat(pfd, name, &st, AT_SYMLINK_NOFOLLOW) == -1)
		return errno == ENOENT ? 0 : -errno;
	if (S_ISDIR(st.st_mode) && keep_dir)
		return 1;
	if ((rc = img_rm_tree(pfd, name)) != 0)
		return rc;
	if (S_ISDIR(st.st_mode))
		map_del_tree(u, cpath);
	else
		map_del_one(u, cpath);
	return 0;
}

static int
whiteout(struct img_unpack *u, const char *mpath, enum efs_wh kind, const char *target)
{
	char cpath[PATH_MAX], tpath[PATH_MAX];
	const char *name;
	struct prov *p;
	int pfd, fd, rc;

	pfd = member_parent(u, mpath, kind == EFS_WH_OPAQUE, cpath, sizeof(cpath), &name);
	if (pfd == -ENOENT)
		return 0;	/* nothing below to hide */
	if (pfd < 0)
		return fail(u, pfd, mpath, "%s", strerror(-pfd));
	/* cpath is "DIR/.wh.X": the directory is u->path. */
	if (kind == EFS_WH_OPAQUE) {
		if ((rc = rm_lower(u, pfd, u->path)) != 0)
			return fail(u, rc, mpath, "%s", strerror(-rc));
		return 0;
	}
	if (snprintf(tpath, sizeof(tpath), "%s%s%s", u->path, u->path[0] ? "/" : "",
	    target) >= (int)sizeof(tpath))
		return fail(u, -ENAMETOOLONG, mpath, "name too long");
	p = map_find(u, tpath);
	if (p != NULL && p->layer == u->layer) {
		/* A whiteout hides lower layers only. */
		if (!S_ISDIR(p->a.mode))
			return 0;
		fd = openat(pfd, target, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd == -1)
			return 0;
		rc = rm_lower(u, fd, tpath);
		close(fd);
		return rc != 0 ? fail(u, rc, mpath, "%s", strerror(-rc)) : 0;
	}
	if ((rc = img_rm_tree(pfd, target)) != 0)
		return fail(u, rc, mpath, "%s", strerror(-rc));
	if (p != NULL && !S_ISDIR(p->a.mode))
		map_del_one(u, tpath);
	else
		map_del_tree(u, tpath);
	return 0;
}

static int
write_data(struct archive *a, int fd)
{
	const void *buf;
	size_t size;
	la_int64_t off;
	ssize_t w;
	int r;

	while ((r = archive_read_data_block(a, &buf, &size, &off)) == ARCHIVE_OK) {
		while (size > 0) {
			w = pwrite(fd, buf, size, (off_t)off);
			if (w == -1) {
				if (errno == EINTR)
					continue;
				return -errno;
			}
			buf = (const char *)buf + w;
			size -= (size_t)w;
			off += w;
		}
	}
	return r == ARCHIVE_EOF ? 0 : -EIO;
}

static int
member(struct img_unpack *u, struct archive *a, struct archive_entry *e)
{
	char mpath[PATH_MAX], cpath[PATH_MAX], lpath[PATH_MAX], lres[PATH_MAX];
	const char *raw = archive_entry_pathname(e), *base, *name, *target = NULL;
	const char *hl = archive_entry_hardlink(e);
	struct efs_attr at;
	struct timespec ts[2];
	enum efs_wh wh;
	struct prov *p;
	struct stat st;
	mode_t type = archive_entry_filetype(e);
	int pfd, fd, rc;

	if (raw == NULL)
		return fail(u, -EINVAL, "?", "a member without a name");
	rc = efs_image_member_path(raw, mpath, sizeof(mpath));
	if (rc == -EPERM)
		return fail(u, rc, raw, "refused: a \"..\" component could leave the image");
	if (rc != 0)
		return fail(u, rc, raw, "name too long");
	at.uid = (uint32_t)archive_entry_uid(e);
	at.gid = (uint32_t)archive_entry_gid(e);
	at.mode = (uint32_t)(archive_entry_perm(e) & 07777);
	ts[0].tv_sec = ts[1].tv_sec = archive_entry_mtime(e);
	ts[0].tv_nsec = ts[1].tv_nsec = archive_entry_mtime_nsec(e);

	/* The root itself ("./"): only its owner and mode. */
	if (mpath[0] == '\0') {
		if (hl != NULL || type != AE_IFDIR)
			return fail(u, -EINVAL, raw, "the image root must be a directory");
		at.mode |= S_IFDIR;
		p = map_set(u, "", u->layer, &at);
		p->mtime = ts[1];
		p->has_mtime = 1;
		if ((rc = record(u, u->rootfd, &at)) != 0)
			return fail(u, rc, raw, "%s", strerror(-rc));
		return 0;
	}
	base = strrchr(mpath, '/');
	base = base != NULL ? base + 1 : mpath;
	wh = efs_image_whiteout(base, &target);
	if (wh == EFS_WH_META)
		return 0;
	if (wh != EFS_WH_NONE)
		return whiteout(u, mpath, wh, target);

	pfd = member_parent(u, mpath, 1, cpath, sizeof(cpath), &name);
	if (pfd < 0)
		return fail(u, pfd, raw, "%s", pfd == -ENOTDIR ?
		    "a parent is not a directory" : strerror(-pfd));

	if (hl != NULL) {
		rc = efs_image_member_path(hl, lpath, sizeof(lpath));
		if (rc == -EPERM)
			return fail(u, rc, raw, "refused: hard link target %s has a \"..\" component", hl);
		if (rc == 0)
			rc = img_resolve(u->rootfd, lpath, 0, lres, sizeof(lres));
		if (rc == 0 && (fstatat(u->rootfd, lres, &st, AT_SYMLINK_NOFOLLOW) == -1 ||
		    lres[0] == '\0'))
			rc = lres[0] == '\0' ? -EISDIR : -errno;
		if (rc != 0)
			return fail(u, rc, raw, "hard link to %s: %s", hl, strerror(-rc));
		if (S_ISDIR(st.st_mode))
			return fail(u, -EPERM, raw, "hard link to a directory, %s", hl);
		if (strcmp(lres, cpath) == 0)
			return 0;
		if ((rc = make_room(u, pfd, name, cpath, 0)) < 0)
			return fail(u, rc, raw, "%s", strerror(-rc));
		if (linkat(u->rootfd, lres, pfd, name, 0) == -1)
			return fail(u, -errno, raw, "hard link to %s: %s", hl, strerror(errno));
		p = map_find(u, lres);
		if (p != NULL) {
			at = p->a;
		} else {
			at.mode |= st.st_mode & S_IFMT;
		}
		map_set(u, cpath, u->layer, &at);
		return 0;
	}

	switch (type) {
	case AE_IFDIR:
		at.mode |= S_IFDIR;
		if ((rc = make_room(u, pfd, name, cpath, 1)) < 0)
			return fail(u, rc, raw, "%s", strerror(-rc));
		if (rc == 0 && mkdirat(pfd, name, 0700) == -1)
			return fail(u, -errno, raw, "mkdir: %s", strerror(errno));
		if ((fd = openat(pfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
		    O_CLOEXEC)) == -1)
			return fail(u, -errno, raw, "%s", strerror(errno));
		rc = record(u, fd, &at);
		close(fd);
		if (rc != 0)
			return fail(u, rc, raw, "%s", strerror(-rc));
		p = map_set(u, cpath, u->layer, &at);
		p->mtime = ts[1];
		p->has_mtime = 1;
		return 0;
	case AE_IFREG:
		at.mode |= S_IFREG;
		if ((rc = make_room(u, pfd, name, cpath, 0)) < 0)
			return fail(u, rc, raw, "%s", strerror(-rc));
		fd = openat(pfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		    0600);
		if (fd == -1)
			return fail(u, -errno, raw, "%s", strerror(errno));
		rc = write_data(a, fd);
		if (rc == -EIO) {
			close(fd);
			return fail(u, rc, raw, "%s", archive_error_string(a));
		}
		if (rc == 0 && ftruncate(fd, (off_t)archive_entry_size(e)) == -1)
			rc = -errno;
		if (rc == 0)
			rc = record(u, fd, &at);
		if (rc == 0 && futimens(fd, ts) == -1)
			rc = -errno;
		close(fd);
		if (rc != 0)
			return fail(u, rc, raw, "%s", strerror(-rc));
		map_set(u, cpath, u->layer, &at);
		return 0;
	case AE_IFLNK:
		at.mode = S_IFLNK | 0777;
		if (archive_entry_symlink(e) == NULL)
			return fail(u, -EINVAL, raw, "a symbolic link without a target");
		if ((rc = make_room(u, pfd, name, cpath, 0)) < 0)
			return fail(u, rc, raw, "%s", strerror(-rc));
		if (symlinkat(archive_entry_symlink(e), pfd, name) == -1)
			return fail(u, -errno, raw, "symlink: %s", strerror(errno));
		(void)utimensat(pfd, name, ts, AT_SYMLINK_NOFOLLOW);
		map_set(u, cpath, u->layer, &at);
		return 0;
	case AE_IFIFO:
		at.mode |= S_IFIFO;
		if ((rc = make_room(u, pfd, name, cpath, 0)) < 0)
			return fail(u, rc, raw, "%s", strerror(-rc));
		if (mkfifoat(pfd, name, at.mode & 0777) == -1)
			return fail(u, -errno, raw, "mkfifo: %s", strerror(errno));
		map_set(u, cpath, u->layer, &at);
		return 0;
	default:
		/* Devices and sockets: an unprivileged unpack cannot make them. */
		u->devices++;
		return 0;
	}
}

int
img_unpack_layer(struct img_unpack *u, int layer, struct archive *a, const char *what,
    char *err, size_t errlen)
{
	struct archive_entry *e;
	int r, rc = 0;

	u->layer = layer;
	u->what = what;
	u->err = err;
	u->errlen = errlen;
	forget_parent(u);
	while ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK ||
	    r == ARCHIVE_WARN) {
		if ((rc = member(u, a, e)) != 0)
			break;
	}
	forget_parent(u);
	if (rc == 0 && r != ARCHIVE_EOF) {
		snprintf(err, errlen, "%s: %s", what, archive_error_string(a) ?
		    archive_error_string(a) : "cannot read the layer");
		rc = -EIO;
	}
	return rc;
}

/* ------------------------------------------------------------------ */
/* The index                                                           */

/*
 * The index file: a first line IMG_INDEX_MAGIC, then one line per path of
 * the image, sorted by path (so parents come before their children):
 *   LAYER <tab> HAS_ENTRIES <tab> RECORD <tab> PATH
 * LAYER the index of the layer that last set the path (-1: nobody, the
 * root), HAS_ENTRIES 1 for a directory that is not empty, RECORD as
 * efs_attr_format() writes it (types of any kind), PATH relative to the
 * root ("" for the root) with efs_image_escape()'s escapes.
 */

/* Give directories the mtimes of their tar entries, now that nothing more is added. */
static void
set_dir_times(struct img_unpack *u)
{
	struct timespec ts[2];
	size_t i;

	for (i = 0; i < u->cap; i++) {
		struct prov *p = &u->tab[i];

		if (p->path == NULL || p->path == TOMB || !p->has_mtime)
			continue;
		ts[0] = ts[1] = p->mtime;
		if (p->path[0] == '\0')
			(void)futimens(u->rootfd, ts);
		else
			(void)utimensat(u->rootfd, p->path, ts, AT_SYMLINK_NOFOLLOW);
	}
}

static int
by_path(const void *a, const void *b)
{
	return strcmp((*(const struct prov *const *)a)->path,
	    (*(const struct prov *const *)b)->path);
}

int
img_unpack_write_index(struct img_unpack *u, int fd)
{
	static const struct efs_attr root = { 0, 0, S_IFDIR | 0755 };
	char parent[PATH_MAX], esc[3 * PATH_MAX], rec[EFS_ATTR_RECMAX];
	struct prov **v, *p;
	size_t i, n = 0;
	FILE *fp;
	int rc = 0, dfd;

	set_dir_times(u);
	if (map_find(u, "") == NULL)
		map_set(u, "", -1, &root);
	if ((v = calloc(u->live, sizeof(*v))) == NULL)
		return -ENOMEM;
	for (i = 0; i < u->cap; i++) {
		p = &u->tab[i];
		if (p->path == NULL || p->path == TOMB)
			continue;
		v[n++] = p;
		if (p->path[0] != '\0') {
			char *s = strrchr(p->path, '/');
			size_t pl = s != NULL ? (size_t)(s - p->path) : 0;
			struct prov *q;

			memcpy(parent, p->path, pl);
			parent[pl] = '\0';
			if ((q = map_find(u, parent)) != NULL)
				q->has_entries = 1;
		}
	}
	qsort(v, n, sizeof(*v), by_path);
	if ((dfd = dup(fd)) == -1 || (fp = fdopen(dfd, "w")) == NULL) {
		rc = -errno;
		if (dfd != -1)
			close(dfd);
		free(v);
		return rc;
	}
	fprintf(fp, "%s\n", IMG_INDEX_MAGIC);
	for (i = 0; i < n; i++) {
		if (efs_image_escape(v[i]->path, esc, sizeof(esc)) < 0 ||
		    efs_attr_format(&v[i]->a, rec, sizeof(rec)) < 0) {
			rc = -ENAMETOOLONG;
			break;
		}
		fprintf(fp, "%d\t%d\t%s\t%s\n", v[i]->layer, v[i]->has_entries, rec, esc);
	}
	if (fflush(fp) != 0 && rc == 0)
		rc = -errno;
	if (fclose(fp) != 0 && rc == 0)
		rc = -errno;
	free(v);
	return rc;
}
