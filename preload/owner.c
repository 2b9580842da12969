/* SPDX-License-Identifier: MIT */
/*
 * owner.c: the one place that persists recorded owner, group and mode.
 *
 * Regular files and directories carry the record in the xattr
 * EFS_ATTR_XATTR, so that it lives and dies with the object and survives
 * renames, hard links and `cp --preserve=xattr`.  Symbolic links, FIFOs and
 * sockets cannot carry user xattrs; their records live in the sidecar store
 * (efs.store, beside the backing directory) as symbolic links named
 * DEV-INO whose target is the record, replaced atomically by rename.  A
 * backing file system without user xattrs puts every record there.
 *
 * Read-modify-write of one record (chmod, chown) is serialised across
 * threads and processes by the store's record locks (store.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "attr.h"
#include "owner.h"
#include "real.h"
#include "state.h"
#include "store.h"

static int
is_special(mode_t mode)
{
	return !S_ISREG(mode) && !S_ISDIR(mode);
}

static int
uses_xattr(mode_t mode)
{
	return !is_special(mode) && __atomic_load_n(&efs.xattr_ok, __ATOMIC_RELAXED);
}

static int
no_xattr_support(int err)
{
	return err == ENOTSUP || err == EOPNOTSUPP || err == ENOSYS;
}

/* The store of st's record: the EFS store, or the image's (efsap run --image). */
static const char *
store_dir(const struct stat *st)
{
	return efs.img >= 0 && st->st_dev != efs.bk_dev ? EFS_IMAGE_RECORDS : efs.store;
}

static int
store_key(const struct stat *st, char *buf, size_t len)
{
	int n;

	n = snprintf(buf, len, "%s/%llx-%llx", store_dir(st),
	    (unsigned long long)st->st_dev, (unsigned long long)st->st_ino);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

static int
store_ensure(const struct stat *st)
{
	if (real.mkdir(store_dir(st), 0700) == 0 || errno == EEXIST)
		return 0;
	return -errno;
}

static int
store_get(const struct stat *st, struct efs_attr *a)
{
	char *key, rec[EFS_ATTR_RECMAX];
	size_t mark = efs_scratch_mark();
	ssize_t n;
	int rc = -ENOENT;

	if ((key = efs_scratch_path()) == NULL)
		return -ENOENT;
	if (store_key(st, key, EFS_PATH_MAX) == 0 &&
	    (n = real.readlink(key, rec, sizeof rec)) >= 0 &&
	    efs_attr_parse(rec, (size_t)n, st->st_mode & S_IFMT, a) == 0)
		rc = 0;
	efs_scratch_release(mark);
	return rc;
}

static int
store_set_in(const struct stat *st, const struct efs_attr *a, char *key, char *tmp2)
{
	char tmp[64], rec[EFS_ATTR_RECMAX];
	int rc;

	if ((rc = store_key(st, key, EFS_PATH_MAX)) != 0)
		return rc;
	efs_attr_format(a, rec, sizeof rec);
	if ((rc = store_ensure(st)) != 0)
		return rc;
	/* written aside, under a staged name that the sweep removes if we die */
	if (store_dir(st) != efs.store || efs_store_stage(tmp, sizeof tmp) != 0 ||
	    efs_store_path(tmp, tmp2, EFS_PATH_MAX) != 0) {
		if (snprintf(tmp2, EFS_PATH_MAX, "%s.%d.%lx", key, (int)getpid(),
		    (unsigned long)pthread_self()) >= EFS_PATH_MAX)
			return -ENAMETOOLONG;
		(void)real.unlink(tmp2);
	}
	if (real.symlink(rec, tmp2) != 0)
		return -errno;
	if (real.rename(tmp2, key) != 0) {
		rc = -errno;
		(void)real.unlink(tmp2);
		return rc;
	}
	return 0;
}

/* Record *a for st in the sidecar store: 0 or -errno. */
static int
store_set(const struct stat *st, const struct efs_attr *a)
{
	size_t mark = efs_scratch_mark();
	char *key = efs_scratch_path(), *tmp = efs_scratch_path();
	int rc = tmp == NULL ? -ENOMEM : store_set_in(st, a, key, tmp);

	efs_scratch_release(mark);
	return rc;
}

/* Parse an xattr answer; a missing, stale or malformed record means "unrecorded". */
static int
xattr_result(ssize_t n, const char *rec, const struct stat *st, struct efs_attr *a)
{
	if (n >= 0 && efs_attr_parse(rec, (size_t)n, st->st_mode & S_IFMT, a) == 0)
		return 0;
	if (n < 0 && no_xattr_support(errno)) {
		__atomic_store_n(&efs.xattr_ok, 0, __ATOMIC_RELAXED);
		if (store_get(st, a) == 0)
			return 0;
	}
	efs_attr_unrecorded(st, a);
	return 0;
}

int
efs_owner_get(const char *babs, const struct stat *st, struct efs_attr *a)
{
	char rec[EFS_ATTR_RECMAX];

	if (uses_xattr(st->st_mode))
		return xattr_result(real.lgetxattr(babs, EFS_ATTR_XATTR, rec, sizeof rec),
		    rec, st, a);
	if (store_get(st, a) != 0)
		efs_attr_unrecorded(st, a);
	return 0;
}

int
efs_owner_getat(int dirfd, const char *rel, const char *babs, const struct stat *st,
    struct efs_attr *a)
{
	char rec[EFS_ATTR_RECMAX];
	struct efs_xattr_args args;

	if (!efs.have_xattrat || !uses_xattr(st->st_mode))
		return efs_owner_get(babs, st, a);
	args.value = (uintptr_t)rec;
	args.size = sizeof rec;
	args.flags = 0;
	return xattr_result(real.syscall(EFS_SYS_getxattrat, dirfd, rel, AT_SYMLINK_NOFOLLOW,
	    EFS_ATTR_XATTR, &args, sizeof args), rec, st, a);
}

int
efs_owner_fget(int fd, const struct stat *st, struct efs_attr *a)
{
	char rec[EFS_ATTR_RECMAX], proc[64];
	ssize_t n;

	if (!uses_xattr(st->st_mode)) {
		if (store_get(st, a) != 0)
			efs_attr_unrecorded(st, a);
		return 0;
	}
	n = real.fgetxattr(fd, EFS_ATTR_XATTR, rec, sizeof rec);
	if (n < 0 && errno == EBADF) {		/* an O_PATH descriptor */
		snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
		n = real.getxattr(proc, EFS_ATTR_XATTR, rec, sizeof rec);
	}
	return xattr_result(n, rec, st, a);
}

/* Give the backing object the real mode that matches *a. */
static void
fix_real_mode(int dirfd, const char *babs, int fd, const struct stat *st,
    const struct efs_attr *a)
{
	mode_t want = efs_attr_real_mode(a), have = st->st_mode & 07777;

	/*
	 * Only the real owner's bits matter (the kernel must never refuse the
	 * real user, and exec needs a real x bit): leave the rest alone rather
	 * than pay a chmod for every recorded one.
	 */
	if (S_ISLNK(st->st_mode) || (have & 0700) == (want & 0700))
		return;
	if (babs != NULL)	/* relative to dirfd; never through a final link */
		(void)real.fchmodat(dirfd, babs, want, dirfd == AT_FDCWD ? 0 : AT_SYMLINK_NOFOLLOW);
	else if (real.fchmod(fd, want) != 0 && errno == EBADF) {
		char proc[64];

		snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
		(void)real.chmod(proc, want);
	}
}

static int
owner_set(const char *babs, int fd, const struct stat *st, const struct efs_attr *a)
{
	char rec[EFS_ATTR_RECMAX], proc[64];
	struct stat fresh;
	int n, rc;

	fix_real_mode(AT_FDCWD, babs, fd, st, a);
	if (S_ISDIR(st->st_mode))
		efs_gen_bump();
	if (uses_xattr(st->st_mode)) {
		n = efs_attr_format(a, rec, sizeof rec);
		if (babs != NULL)
			rc = real.lsetxattr(babs, EFS_ATTR_XATTR, rec, (size_t)n, 0);
		else if ((rc = real.fsetxattr(fd, EFS_ATTR_XATTR, rec, (size_t)n, 0)) != 0 &&
		    errno == EBADF) {
			snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
			rc = real.setxattr(proc, EFS_ATTR_XATTR, rec, (size_t)n, 0);
		}
		if (rc == 0)
			return 0;
		if (!no_xattr_support(errno))
			return -errno;
		__atomic_store_n(&efs.xattr_ok, 0, __ATOMIC_RELAXED);
	}
	if (st->st_ino == 0) {		/* made up by the caller: the store needs the inode */
		if ((babs != NULL ? real.lstat(babs, &fresh) : real.fstat(fd, &fresh)) != 0)
			return -errno;
		st = &fresh;
	}
	return store_set(st, a);
}

int
efs_owner_set(const char *babs, const struct stat *st, const struct efs_attr *a)
{
	return owner_set(babs, -1, st, a);
}

int
efs_owner_setat(int dirfd, const char *rel, const char *babs, const struct stat *st,
    const struct efs_attr *a)
{
	char rec[EFS_ATTR_RECMAX];
	struct efs_xattr_args args;
	int n;

	if (!uses_xattr(st->st_mode) && st->st_ino != 0) {
		/* a store record: only the real mode is the object's, changed through dirfd */
		fix_real_mode(dirfd, rel, -1, st, a);
		return store_set(st, a);
	}
	if (!efs.have_xattrat)
		return owner_set(babs, -1, st, a);
	fix_real_mode(dirfd, rel, -1, st, a);
	if (S_ISDIR(st->st_mode))
		efs_gen_bump();
	n = efs_attr_format(a, rec, sizeof rec);
	args.value = (uintptr_t)rec;
	args.size = (uint32_t)n;
	args.flags = 0;
	if (real.syscall(EFS_SYS_setxattrat, dirfd, rel, AT_SYMLINK_NOFOLLOW, EFS_ATTR_XATTR,
	    &args, sizeof args) == 0)
		return 0;
	return owner_set(babs, -1, st, a);	/* the general path decides what failed */
}

int
efs_owner_fset(int fd, const struct stat *st, const struct efs_attr *a)
{
	return owner_set(NULL, fd, st, a);
}

int
efs_owner_in_store(mode_t mode)
{
	return !uses_xattr(mode);
}

int
efs_owner_forget(const struct stat *st, struct efs_attr *saved)
{
	size_t mark = efs_scratch_mark();
	char *key;
	int rc = 0;

	if (st->st_nlink > 1 || (!is_special(st->st_mode) &&
	    __atomic_load_n(&efs.xattr_ok, __ATOMIC_RELAXED)))
		return 0;
	if (store_get(st, saved) == 0 && (key = efs_scratch_path()) != NULL &&
	    store_key(st, key, EFS_PATH_MAX) == 0)
		rc = real.unlink(key) == 0;
	efs_scratch_release(mark);
	return rc;
}

void
efs_owner_unforget(const struct stat *st, const struct efs_attr *saved)
{
	(void)store_set(st, saved);
}

int
efs_owner_lock(const struct stat *st)
{
	return efs_store_lock((uint64_t)st->st_ino);
}

void
efs_owner_unlock(const struct stat *st, int taken)
{
	efs_store_unlock((uint64_t)st->st_ino, taken);
}
