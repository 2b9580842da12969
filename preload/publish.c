/* SPDX-License-Identifier: MIT */
/*
 * publish.c: new objects appear with their records (see publish.h).
 *
 * Every new object is made under a fresh name in the store's staging
 * directory, which no listing under a mount shows, recorded there, and
 * renamed into place with RENAME_NOREPLACE, which fails with EEXIST rather
 * than replace.  A creator killed in between leaves a staged object whose
 * claim (store.c) is free, and the next efsap process tree to start
 * removes it with its record.  (An unnamed O_TMPFILE linked into place
 * would leave nothing at all, but its descriptor keeps naming the unnamed
 * file, "/#INODE (deleted)", where programs read /proc/self/fd.)
 *
 * Where the file system lacks a piece (a store on another file system, no
 * RENAME_NOREPLACE), the object is created under its name and recorded
 * just after, as before.
 *
 * The image of efsap run --image is another file system than the store's:
 * its new objects are staged in its own EFS_IMAGE_STAGE directory, which
 * the container throws away with its writable layer.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "attr.h"
#include "owner.h"
#include "perm.h"
#include "publish.h"
#include "real.h"
#include "store.h"

/* What the new object records, and the real mode it is made with. */
static void
new_attr(const struct efs_res *r, uint32_t type, mode_t mode, struct efs_attr *a,
    mode_t *real_mode)
{
	struct efs_who who;

	efs_who_get(r->mt, &who);
	efs_perm_new_attr(&who, &r->pattr, type, mode & 07777, efs_umask(), a);
	*real_mode = efs_attr_real_mode(a);
}

/*
 * The lstat of a new regular file or directory made with real_mode, when
 * its record goes into an xattr, which needs only the type and the mode:
 * 1 with *st filled, no system call; 0 when the caller must ask.
 */
static int
made_stat(uint32_t type, mode_t real_mode, struct stat *st)
{
	if ((type != S_IFREG && type != S_IFDIR) || !__atomic_load_n(&efs.xattr_ok, __ATOMIC_RELAXED))
		return 0;
	memset(st, 0, sizeof *st);
	st->st_mode = type | (real_mode & ~efs_umask());
	st->st_nlink = type == S_IFDIR ? 2 : 1;
	return 1;
}

/* Record a new object on its descriptor. */
static int
record_fd(int fd, uint32_t type, mode_t real_mode, const struct efs_attr *a)
{
	struct stat st;

	if (!made_stat(type, real_mode, &st) && real.fstat(fd, &st) != 0)
		return -errno;
	return efs_owner_fset(fd, &st, a);
}

mode_t
efs_create_mode(const struct efs_res *r, uint32_t type, uint32_t mode)
{
	struct efs_attr a;
	mode_t real_mode;

	new_attr(r, type, mode, &a, &real_mode);
	return real_mode;
}

int
efs_record_new(const struct efs_res *r, int fd, uint32_t type, uint32_t mode)
{
	struct efs_attr a;
	struct stat st;
	mode_t real_mode;

	new_attr(r, type, mode, &a, &real_mode);
	if (fd >= 0)
		return record_fd(fd, type, real_mode, &a);
	if (!made_stat(type, real_mode, &st) && real.lstat(r->babs, &st) != 0)
		return -errno;
	return efs_owner_set(r->babs, &st, &a);
}

static int store_elsewhere(int rc);

/*
 * Pin r's parent and, when the new object's record lives in the store (a
 * FIFO's, a socket's, a link's; any object's without xattrs), take its
 * name's lock until the object is in place.  A remover holds the same lock
 * from its last look at the name to the removal: no object whose record it
 * would have to take along can take the name in between, and plain
 * removal of what it saw leaves no record behind (efs_retire_unlink).
 */
static int
pin_locked(const struct efs_res *r, uint32_t type, int *dfd, const char **rel,
    struct efs_names *held)
{
	uint64_t key;
	int rc;

	held->n = 0;
	if ((rc = efs_pin_key(r->mt, r->babs, dfd, rel, &key)) == 0 && efs_owner_in_store(type)) {
		efs_store_names_lock(key, *rel, 0, NULL, held);
		efs_store_moved();
	}
	return rc;
}

/*
 * Where a new object under mount mt (NULL: in the store's file system) is
 * staged: 0 with *sfd the staging directory and a fresh name in it, the
 * store's or the image's; -1 when there is none (the object is made in
 * place).
 */
static int
stage_for(const struct efs_mnt *mt, int *sfd, char *name, size_t len)
{
	char tmp[64];

	if (mt == NULL || !mt->image) {
		*sfd = efs_store_fd();
		return *sfd >= 0 && efs_store_stage(name, len) == 0 ? 0 : -1;
	}
	*sfd = __atomic_load_n(&mt->stagefd, __ATOMIC_RELAXED);
	/* the store's fresh name, "new/CLAIM-SEQ", without its directory */
	if (*sfd < 0 || efs_store_stage(tmp, sizeof tmp) != 0 ||
	    (size_t)snprintf(name, len, "%s", tmp + sizeof EFS_STORE_STAGE) >= len)
		return -1;
	return 0;
}

/* The absolute path of the staged name, into buf (EFS_PATH_MAX bytes). */
static int
staged_path(const struct efs_mnt *mt, const char *name, char *buf)
{
	if (mt == NULL || !mt->image)
		return efs_store_path(name, buf, EFS_PATH_MAX);
	return (size_t)snprintf(buf, EFS_PATH_MAX, "/" EFS_IMAGE_STAGE "/%s", name) >=
	    EFS_PATH_MAX ? -ENAMETOOLONG : 0;
}

/* The old way: create under the name, then record. */
static int
file_in_place(const struct efs_res *r, int flags, mode_t real_mode, const struct efs_attr *a,
    int *fdp)
{
	struct efs_names held;
	const char *rel;
	int dfd, fd, rc;

	if ((rc = pin_locked(r, S_IFREG, &dfd, &rel, &held)) != 0)
		return rc;
	flags = (flags & ~O_TRUNC) | O_CREAT | O_EXCL | O_NOFOLLOW;
	if ((fd = real.openat(dfd, rel, flags, real_mode)) < 0)
		rc = -errno;
	else if ((rc = record_fd(fd, S_IFREG, real_mode, a)) != 0) {
		(void)real.unlinkat(dfd, rel, 0);
		efs_store_left();
		real.close(fd);
	} else
		*fdp = fd;
	efs_store_names_unlock(&held);
	return rc;
}

int
efs_publish_file(const struct efs_res *r, int flags, mode_t mode, int *fdp)
{
	char name[64];
	const char *rel;
	struct efs_names held;
	struct efs_attr a;
	mode_t real_mode;
	int sfd, dfd, fd, rc;

	new_attr(r, S_IFREG, mode, &a, &real_mode);
	if (stage_for(r->mt, &sfd, name, sizeof name) != 0)
		return file_in_place(r, flags, real_mode, &a, fdp);
	fd = real.openat(sfd, name, (flags & ~O_TRUNC) | O_CREAT | O_EXCL | O_NOFOLLOW, real_mode);
	if (fd < 0 && errno == ENOENT)		/* the staging directory went away */
		return file_in_place(r, flags, real_mode, &a, fdp);
	if (fd < 0)
		return -errno;
	if ((rc = record_fd(fd, S_IFREG, real_mode, &a)) == 0 &&
	    (rc = pin_locked(r, S_IFREG, &dfd, &rel, &held)) == 0) {
		rc = real.renameat2(sfd, name, dfd, rel, RENAME_NOREPLACE) == 0 ? 0 : -errno;
		efs_store_names_unlock(&held);
		if (rc == 0) {
			*fdp = fd;
			return 0;
		}
	}
	efs_store_drop(sfd, name);
	real.close(fd);
	if (store_elsewhere(rc))
		return file_in_place(r, flags, real_mode, &a, fdp);
	return rc;
}

/* Make the object at the staged name (relative to the store's descriptor sfd). */
static int
make_staged(int sfd, const char *name, uint32_t type, mode_t real_mode, const char *target)
{
	int rc;

	if (type == S_IFDIR)
		rc = real.mkdirat(sfd, name, real_mode);
	else if (type == S_IFLNK)
		rc = real.symlinkat(target, sfd, name);
	else
		rc = real.mknodat(sfd, name, type | real_mode, 0);
	return rc == 0 ? 0 : -errno;
}

static int
node_in_place(int dfd, const char *rel, const char *babs, uint32_t type, mode_t real_mode,
    const char *target, const struct efs_attr *a)
{
	struct stat st;
	int rc;

	if ((rc = make_staged(dfd, rel, type, real_mode, target)) != 0)
		return rc;
	if (real.fstatat(dfd, rel, &st, AT_SYMLINK_NOFOLLOW) != 0)
		rc = -errno;
	else
		rc = efs_owner_setat(dfd, rel, babs, &st, a);
	if (rc != 0) {
		(void)real.unlinkat(dfd, rel, type == S_IFDIR ? AT_REMOVEDIR : 0);
		efs_store_left();
	}
	return rc;
}

/*
 * Record the object just made at the staged name and rename it to (dfd,
 * rel) without replacing anything; on failure it is taken away again.
 */
static int
finish_staged(const struct efs_mnt *mt, int sfd, const char *name, uint32_t type,
    mode_t real_mode, int dfd, const char *rel, const struct efs_attr *a)
{
	size_t mark = efs_scratch_mark();
	char *sabs = efs_scratch_path();
	struct stat st;
	int rc;

	if (sabs == NULL)
		rc = -ENOMEM;
	else if ((rc = staged_path(mt, name, sabs)) != 0)
		;
	else if (!made_stat(type, real_mode, &st) &&
	    real.fstatat(sfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0)
		rc = -errno;
	else
		rc = efs_owner_setat(sfd, name, sabs, &st, a);
	if (rc == 0 && real.renameat2(sfd, name, dfd, rel, RENAME_NOREPLACE) != 0)
		rc = -errno;
	if (rc != 0)
		efs_store_drop(sfd, name);
	efs_scratch_release(mark);
	return rc;
}

/* Is rc the answer of a store on another file system, or of one without RENAME_NOREPLACE? */
static int
store_elsewhere(int rc)
{
	return rc == -EXDEV || rc == -EINVAL || rc == -ENOSYS;
}

/* efs_publish_node_at, for an object under mount mt (NULL: in the store's file system). */
static int
publish_node(const struct efs_mnt *mt, int dfd, const char *rel, const char *babs,
    uint32_t type, mode_t real_mode, const char *target, const struct efs_attr *a)
{
	char name[64];
	int sfd, rc;

	if (stage_for(mt, &sfd, name, sizeof name) != 0)
		return node_in_place(dfd, rel, babs, type, real_mode, target, a);
	if ((rc = make_staged(sfd, name, type, real_mode, target)) != 0)
		return rc == -ENOENT ?		/* the staging directory went away */
		    node_in_place(dfd, rel, babs, type, real_mode, target, a) : rc;
	rc = finish_staged(mt, sfd, name, type, real_mode, dfd, rel, a);
	if (store_elsewhere(rc))
		return node_in_place(dfd, rel, babs, type, real_mode, target, a);
	return rc;
}

int
efs_publish_node_at(int dfd, const char *rel, const char *babs, uint32_t type,
    mode_t real_mode, const char *target, const struct efs_attr *a)
{
	return publish_node(NULL, dfd, rel, babs, type, real_mode, target, a);
}

int
efs_publish_staged(const struct efs_res *r, const char *name, uint32_t type, mode_t mode)
{
	struct efs_names held;
	const char *rel;
	struct efs_attr a;
	mode_t real_mode;
	int dfd, rc;

	new_attr(r, type, mode, &a, &real_mode);
	if ((rc = pin_locked(r, type, &dfd, &rel, &held)) != 0) {
		efs_store_drop(efs_store_fd(), name);
		return rc;
	}
	rc = finish_staged(NULL, efs_store_fd(), name, type, real_mode, dfd, rel, &a);
	efs_store_names_unlock(&held);
	return rc;
}

int
efs_publish_node(const struct efs_res *r, uint32_t type, mode_t mode, const char *target)
{
	struct efs_names held;
	const char *rel;
	struct efs_attr a;
	mode_t real_mode;
	int dfd, rc;

	if ((rc = pin_locked(r, type, &dfd, &rel, &held)) != 0)
		return rc;
	new_attr(r, type, mode, &a, &real_mode);
	rc = publish_node(r->mt, dfd, rel, r->babs, type, real_mode, target, &a);
	efs_store_names_unlock(&held);
	return rc;
}

/* Must the object with lstat *st be retired through the staging directory? */
static int
retires_staged(const struct stat *st)
{
	return !S_ISDIR(st->st_mode) && efs_owner_in_store(st->st_mode) && efs_store_fd() >= 0;
}

int
efs_retire_begin(int dfd, const char *rel, const struct stat *st, char *name, size_t len)
{
	if (!retires_staged(st) || efs_store_stage(name, len) != 0)
		return 0;
	if (real.linkat(dfd, rel, efs_store_fd(), name, 0) != 0)
		return errno == ENOENT ? -ENOENT : 0;	/* gone already, or no link here */
	return 1;
}

void
efs_retire_end(const char *name, const struct stat *st)
{
	/* under the record lock; the record goes when this was the last name */
	int taken = efs_owner_lock(st);

	efs_store_drop(efs_store_fd(), name);
	efs_owner_unlock(st, taken);
}

/* A plain unlink of an object on another file system than the store's, and its store record. */
static int
unlink_forget(int dfd, const char *rel, const struct stat *st)
{
	struct efs_attr saved;
	int forgot, rc, taken;

	taken = efs_owner_lock(st);
	forgot = efs_owner_forget(st, &saved);
	rc = real.unlinkat(dfd, rel, 0) == 0 ? 0 : -errno;
	if (rc != 0 && forgot)
		efs_owner_unforget(st, &saved);
	efs_owner_unlock(st, taken);
	return rc;
}

int
efs_retire_unlink(int dfd, const char *rel, const struct stat *st, uint64_t moves)
{
	char name[64];
	struct stat now;
	int sfd = efs_store_fd(), taken;

	if (!S_ISDIR(st->st_mode) && !efs_owner_in_store(st->st_mode) && sfd >= 0 &&
	    (moves == 0 || moves != efs_store_moves())) {
		/*
		 * A file with its record in its xattr, when efsap looked.  Under
		 * the name's lock, which every creator of an object recorded in
		 * the store takes (publish.c), look again: one may have taken
		 * the name between that look and the lock (efs_store_moves says
		 * whether any has, anywhere).
		 */
		if (real.fstatat(dfd, rel, &now, AT_SYMLINK_NOFOLLOW) != 0)
			return -errno;
		st = &now;
	}
	if (S_ISDIR(st->st_mode) || !efs_owner_in_store(st->st_mode) || sfd < 0 ||
	    efs_store_stage(name, sizeof name) != 0)
		return real.unlinkat(dfd, rel, 0) == 0 ? 0 : -errno;
	/*
	 * Move whatever the name holds now into the staging directory, in one
	 * step: the object efsap looked at, or one that took its name since,
	 * which unlink would have removed just the same.  Its record then goes
	 * with its last name, under the record lock, so that a chmod or chown
	 * cannot write it back.
	 */
	if (real.renameat(dfd, rel, sfd, name) != 0)
		return errno == EXDEV ? unlink_forget(dfd, rel, st) : -errno;
	if (real.fstatat(sfd, name, &now, AT_SYMLINK_NOFOLLOW) != 0)
		return 0;
	if (S_ISDIR(now.st_mode)) {		/* a directory took the name: unlink says EISDIR */
		(void)real.renameat2(sfd, name, dfd, rel, RENAME_NOREPLACE);
		return -EISDIR;
	}
	taken = efs_owner_lock(&now);
	efs_store_drop(sfd, name);
	efs_owner_unlock(&now, taken);
	return 0;
}
