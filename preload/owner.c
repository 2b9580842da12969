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
 * Read-modify-write of one record (chmod, chown) is serialised by a
 * striped mutex in the process and an OFD lock on efs.store/lock across
 * processes.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "attr.h"
#include "owner.h"
#include "real.h"
#include "state.h"

#define STRIPES 64

static pthread_mutex_t stripe[STRIPES] = {
	[0 ... STRIPES - 1] = PTHREAD_MUTEX_INITIALIZER
};

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

static int
store_key(const struct stat *st, char *buf, size_t len)
{
	int n;

	n = snprintf(buf, len, "%s/%llx-%llx", efs.store,
	    (unsigned long long)st->st_dev, (unsigned long long)st->st_ino);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

static int
store_ensure(void)
{
	if (real.mkdir(efs.store, 0700) == 0 || errno == EEXIST)
		return 0;
	return -errno;
}

static int
store_get(const struct stat *st, struct efs_attr *a)
{
	char key[EFS_PATH_MAX], rec[EFS_ATTR_RECMAX];
	ssize_t n;

	if (store_key(st, key, sizeof key) != 0)
		return -ENOENT;
	n = real.readlink(key, rec, sizeof rec);
	if (n < 0 || efs_attr_parse(rec, (size_t)n, st->st_mode & S_IFMT, a) != 0)
		return -ENOENT;
	return 0;
}

static int
store_set(const struct stat *st, const struct efs_attr *a)
{
	char key[EFS_PATH_MAX], tmp[EFS_PATH_MAX], rec[EFS_ATTR_RECMAX];
	int rc;

	if ((rc = store_key(st, key, sizeof key)) != 0)
		return rc;
	if (snprintf(tmp, sizeof tmp, "%s.%d.%lx", key, (int)getpid(),
	    (unsigned long)pthread_self()) >= (int)sizeof tmp)
		return -ENAMETOOLONG;
	efs_attr_format(a, rec, sizeof rec);
	if ((rc = store_ensure()) != 0)
		return rc;
	(void)real.unlink(tmp);
	if (real.symlink(rec, tmp) != 0)
		return -errno;
	if (real.rename(tmp, key) != 0) {
		rc = -errno;
		(void)real.unlink(tmp);
		return rc;
	}
	return 0;
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
fix_real_mode(const char *babs, int fd, const struct stat *st, const struct efs_attr *a)
{
	mode_t want = efs_attr_real_mode(a);

	if (S_ISLNK(st->st_mode) || (st->st_mode & 07777) == want)
		return;
	if (babs != NULL)
		(void)real.fchmodat(AT_FDCWD, babs, want, 0);
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
	int n, rc;

	fix_real_mode(babs, fd, st, a);
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
	return store_set(st, a);
}

int
efs_owner_set(const char *babs, const struct stat *st, const struct efs_attr *a)
{
	return owner_set(babs, -1, st, a);
}

int
efs_owner_fset(int fd, const struct stat *st, const struct efs_attr *a)
{
	return owner_set(NULL, fd, st, a);
}

void
efs_owner_unlinked(const struct stat *st)
{
	char key[EFS_PATH_MAX];

	if (st->st_nlink > 1 || (!is_special(st->st_mode) && efs.xattr_ok))
		return;
	if (store_key(st, key, sizeof key) == 0)
		(void)real.unlink(key);
}

static int
lock_fd(void)
{
	char path[EFS_PATH_MAX];
	int fd, hi;

	fd = __atomic_load_n(&efs.lockfd, __ATOMIC_ACQUIRE);
	if (fd >= 0)
		return fd;
	if (store_ensure() != 0 ||
	    snprintf(path, sizeof path, "%s/lock", efs.store) >= (int)sizeof path)
		return -1;
	fd = real.open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	/* out of the way of the program's own low descriptors */
	hi = real.fcntl(fd, F_DUPFD_CLOEXEC, 700);
	if (hi >= 0) {
		real.close(fd);
		fd = hi;
	}
	__atomic_store_n(&efs.lockfd, fd, __ATOMIC_RELEASE);
	return fd;
}

static void
ofd_lock(const struct stat *st, short type)
{
	struct flock fl;
	int fd;

	if ((fd = lock_fd()) < 0)
		return;
	memset(&fl, 0, sizeof fl);
	fl.l_type = type;
	fl.l_whence = SEEK_SET;
	fl.l_start = (off_t)(st->st_ino % 65521);
	fl.l_len = 1;
	while (real.fcntl(fd, F_OFD_SETLKW, &fl) != 0 && errno == EINTR)
		;
}

void
efs_owner_lock(const struct stat *st)
{
	pthread_mutex_lock(&stripe[st->st_ino % STRIPES]);
	ofd_lock(st, F_WRLCK);
}

void
efs_owner_unlock(const struct stat *st)
{
	ofd_lock(st, F_UNLCK);
	pthread_mutex_unlock(&stripe[st->st_ino % STRIPES]);
}

void
efs_owner_atfork_child(void)
{
	int i;

	for (i = 0; i < STRIPES; i++)
		pthread_mutex_init(&stripe[i], NULL);
	if (efs.lockfd >= 0) {
		real.close(efs.lockfd);
		efs.lockfd = -1;
	}
}
