/* SPDX-License-Identifier: MIT */
/*
 * wrap_meta.c: chmod, chown and the utimes family (SPEC 5.3, 5.4).  Under
 * a mount the emulated server decides with the server identity on the
 * recorded owner and mode; chmod and chown change only the record (and the
 * real mode that matches it), never the backing object's real owner.
 * Checks come in Linux's order: flags, resolution, read-only, permission.
 */
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>
#include <utime.h>

#include "act.h"
#include "owner.h"
#include "perm.h"
#include "real.h"
#include "resolve.h"
#include "store.h"
#include "uaccess.h"

/* How a call sets times (utimensat(2) rules). */
enum { T_NONE, T_NOW, T_EXPLICIT, T_INVAL };

/*
 * fchownat(AT_FDCWD, "", AT_EMPTY_PATH) names the working directory, which
 * may lie under a mount: resolve it as "." in the program's view.
 */
static const char *
cwd_empty(int dirfd, const char *path, int flags)
{
	if (dirfd == AT_FDCWD && (flags & AT_EMPTY_PATH) && efs_upath(path) && path[0] == '\0')
		return ".";
	return path;
}

/* The record of r's object: by path, or by fd when r came from a descriptor. */
static int
rec_get(const struct efs_res *r, int fd, struct efs_attr *a)
{
	const char *rel;
	int dfd, rc;

	if (r->babs[0] == '\0')
		return efs_owner_fget(fd, &r->st, a);
	if ((rc = efs_pin(r->mt, r->babs, &dfd, &rel)) != 0)
		return rc;
	return efs_owner_getat(dfd, rel, r->babs, &r->st, a);
}

static int
rec_set(const struct efs_res *r, int fd, const struct efs_attr *a)
{
	const char *rel;
	int dfd, rc;

	if (r->babs[0] == '\0')
		return efs_owner_fset(fd, &r->st, a);
	if ((rc = efs_pin(r->mt, r->babs, &dfd, &rel)) != 0)
		return rc;
	return efs_owner_setat(dfd, rel, r->babs, &r->st, a);
}

/*
 * Under the name lock: is r's object still at its name?  A record written
 * by name would otherwise land on an object that a rename moved there
 * since (a directory given a file's record), and a record in the store,
 * written for an object an unlink has just taken away, would stay behind
 * for good.  Unlink and rename hold the same lock.  When no name anywhere
 * changed since the look (stamp, efs_store_changes), it is still there
 * without asking the kernel.
 */
static int
still_there(const struct efs_res *r, uint64_t stamp)
{
	struct stat st;
	const char *rel;
	int dfd;

	if (r->babs[0] == '\0' || (stamp != 0 && stamp == efs_store_changes()))
		return 1;
	return efs_pin(r->mt, r->babs, &dfd, &rel) == 0 &&
	    real.fstatat(dfd, rel, &st, AT_SYMLINK_NOFOLLOW) == 0 && st.st_ino == r->st.st_ino &&
	    st.st_dev == r->st.st_dev;
}

/* The lock on r's name, when its record is written by name. */
static void
name_lock(const struct efs_res *r, struct efs_names *held)
{
	const char *rel;
	uint64_t key;
	int dfd;

	held->n = 0;
	if (r->babs[0] != '\0' && efs_pin_key(r->mt, r->babs, &dfd, &rel, &key) == 0)
		efs_store_names_lock(key, rel, 0, NULL, held);
}

/*
 * A record in the store (a FIFO's, a socket's, a link's) changes no inode:
 * change the real ctime as the kernel would have, with a chown to -1 -1.
 */
static void
touch_ctime(const struct efs_res *r, int fd)
{
	const char *rel;
	int dfd;

	if (r->babs[0] == '\0') {
		(void)real.fchownat(fd, "", (uid_t)-1, (gid_t)-1, AT_EMPTY_PATH);
		return;
	}
	if (efs_pin(r->mt, r->babs, &dfd, &rel) == 0)
		(void)real.fchownat(dfd, rel, (uid_t)-1, (gid_t)-1, AT_SYMLINK_NOFOLLOW);
}

/*
 * chmod (is_chown 0) or chown of r's object, as one read-modify-write of
 * its record under the record lock; stamp is efs_store_changes() from
 * before r was resolved (0: unknown).  0, -EROFS, -EPERM or -errno.
 *
 * A record in the store is written with every signal blocked: a handler
 * that removed the object between the look and the write (its own thread
 * holds the locks it would wait for) would leave the record behind.  An
 * xattr record cannot outlive its object.
 */
static int
change(struct efs_call *c, const struct efs_res *r, int fd, uint64_t stamp, int is_chown,
    mode_t mode, uid_t uid, gid_t gid)
{
	struct efs_attr cur, a;
	struct efs_names held;
	struct efs_who who;
	sigset_t all, saved;
	int rc, taken, store = efs_owner_in_store(r->st.st_mode);

	if ((rc = efs_write_gate(c, r)) != 0)
		return rc;
	if (store) {
		sigfillset(&all);
		pthread_sigmask(SIG_BLOCK, &all, &saved);
	}
	name_lock(r, &held);
	taken = efs_owner_lock(&r->st);
	rc = rec_get(r, fd, &cur);
	if (rc == 0) {
		efs_who_get(r->mt, &who);
		if (is_chown)
			rc = efs_perm_chown(&who, &cur, (uint32_t)uid, (uint32_t)gid, &a);
		else
			rc = efs_perm_chmod(&who, &cur, (uint32_t)mode, &a);
		if (rc != 0)
			efs_call_blame(c, is_chown ? EFS_WHY_CHOWN : EFS_WHY_CHMOD, &cur, r->view);
	}
	if (rc == 0 && memcmp(&a, &cur, sizeof a) != 0) {	/* nothing to write for a no-op */
		rc = still_there(r, stamp) ? rec_set(r, fd, &a) : -ENOENT;
		if (rc == 0 && !S_ISREG(r->st.st_mode) && !S_ISDIR(r->st.st_mode))
			touch_ctime(r, fd);
	}
	efs_owner_unlock(&r->st, taken);
	efs_store_names_unlock(&held);
	if (store)
		pthread_sigmask(SIG_SETMASK, &saved, NULL);
	return rc;
}

static int
chmod_at(const char *op, int dirfd, const char *path, mode_t mode, int flags)
{
	struct efs_call c;
	struct efs_res *r;
	uint64_t stamp;
	int rc;

	if (!efs_enter(&c, op, path))
		return real.fchmodat(dirfd, path, mode, flags);
	if (!efs_may_map(dirfd, path))
		return efs_pass(&c, real.fchmodat(dirfd, path, mode, flags));
	if (flags & ~AT_SYMLINK_NOFOLLOW)
		return efs_leave(&c, -EINVAL);
	/* the record is read under the lock, in change() */
	if ((r = efs_res_new()) == NULL)
		return efs_leave(&c, -ENOMEM);
	stamp = efs_store_changes();		/* before the look: still_there */
	rc = efs_resolve(&c, dirfd, path, EFS_R_NOATTR |
	    ((flags & AT_SYMLINK_NOFOLLOW) ? 0 : EFS_R_FOLLOW), r);
	if (rc == EFS_NOT_MAPPED)
		return efs_pass(&c, real.fchmodat(dirfd, r->host, mode, flags));
	if (rc == 0 && !r->exists)
		rc = -ENOENT;
	if (rc == 0 && S_ISLNK(r->st.st_mode))
		rc = -EOPNOTSUPP;		/* glibc: links have no mode of their own */
	if (rc == 0)
		rc = change(&c, r, -1, stamp, 0, mode, 0, 0);
	return efs_leave(&c, rc);
}

EFS_EXPORT int
chmod(const char *path, mode_t mode)
{
	return chmod_at("chmod", AT_FDCWD, path, mode, 0);
}

EFS_EXPORT int
lchmod(const char *path, mode_t mode)
{
	return chmod_at("lchmod", AT_FDCWD, path, mode, AT_SYMLINK_NOFOLLOW);
}

EFS_EXPORT int
fchmodat(int dirfd, const char *path, mode_t mode, int flags)
{
	return chmod_at("fchmodat", dirfd, path, mode, flags);
}

EFS_EXPORT int
fchmod(int fd, mode_t mode)
{
	struct efs_call c;
	struct efs_res *r;
	int rc;

	if (!efs_enter(&c, "fchmod", NULL))
		return real.fchmod(fd, mode);
	if (efs_fd_mount(fd) < 0)
		return efs_pass(&c, real.fchmod(fd, mode));
	if ((r = efs_res_new()) == NULL)
		return efs_leave(&c, -ENOMEM);
	rc = efs_fd_is_opath(fd) ? -EBADF : efs_resolve_fd(&c, fd, EFS_R_NOATTR, r);
	if (rc == 0)
		rc = change(&c, r, fd, 0, 0, mode, 0, 0);
	return efs_leave(&c, rc);
}

static int
chown_at(const char *op, int dirfd, const char *path, uid_t uid, gid_t gid, int flags)
{
	struct efs_call c;
	struct efs_res *r;
	uint64_t stamp;
	int rc;

	if (!efs_enter(&c, op, path))
		return real.fchownat(dirfd, path, uid, gid, flags);
	path = cwd_empty(dirfd, path, flags);
	if (!efs_may_map(dirfd, path))
		return efs_pass(&c, real.fchownat(dirfd, path, uid, gid, flags));
	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return efs_leave(&c, -EINVAL);
	if ((r = efs_res_new()) == NULL)
		return efs_leave(&c, -ENOMEM);
	stamp = efs_store_changes();
	rc = efs_resolve(&c, dirfd, path, EFS_R_NOATTR |
	    ((flags & AT_SYMLINK_NOFOLLOW) ? 0 : EFS_R_FOLLOW) |
	    ((flags & AT_EMPTY_PATH) ? EFS_R_EMPTY : 0), r);
	if (rc == EFS_NOT_MAPPED)
		return efs_pass(&c, real.fchownat(dirfd, r->host, uid, gid, flags));
	if (rc == 0 && !r->exists)
		rc = -ENOENT;
	if (rc == 0)
		rc = change(&c, r, dirfd, stamp, 1, 0, uid, gid);
	return efs_leave(&c, rc);
}

EFS_EXPORT int
chown(const char *path, uid_t uid, gid_t gid)
{
	return chown_at("chown", AT_FDCWD, path, uid, gid, 0);
}

EFS_EXPORT int
lchown(const char *path, uid_t uid, gid_t gid)
{
	return chown_at("lchown", AT_FDCWD, path, uid, gid, AT_SYMLINK_NOFOLLOW);
}

EFS_EXPORT int
fchownat(int dirfd, const char *path, uid_t uid, gid_t gid, int flags)
{
	return chown_at("fchownat", dirfd, path, uid, gid, flags);
}

EFS_EXPORT int
fchown(int fd, uid_t uid, gid_t gid)
{
	struct efs_call c;
	struct efs_res *r;
	int rc;

	if (!efs_enter(&c, "fchown", NULL))
		return real.fchown(fd, uid, gid);
	if (efs_fd_mount(fd) < 0)
		return efs_pass(&c, real.fchown(fd, uid, gid));
	if ((r = efs_res_new()) == NULL)
		return efs_leave(&c, -ENOMEM);
	rc = efs_fd_is_opath(fd) ? -EBADF : efs_resolve_fd(&c, fd, EFS_R_NOATTR, r);
	if (rc == 0)
		rc = change(&c, r, fd, 0, 1, 0, uid, gid);
	return efs_leave(&c, rc);
}

/* The times family */

static int
nsec_valid(long ns)
{
	return ns == UTIME_NOW || ns == UTIME_OMIT || (ns >= 0 && ns < 1000000000L);
}

/*
 * What ts asks for.  NULL, or UTIME_NOW and UTIME_OMIT only, is "now"
 * (write permission suffices); any other value is explicit (owner or
 * root); both UTIME_OMIT change nothing.
 */
static int
times_kind(const struct timespec *ts)
{
	if (ts == NULL)
		return T_NOW;
	if (!nsec_valid(ts[0].tv_nsec) || !nsec_valid(ts[1].tv_nsec))
		return T_INVAL;
	if (ts[0].tv_nsec == UTIME_OMIT && ts[1].tv_nsec == UTIME_OMIT)
		return T_NONE;
	if ((ts[0].tv_nsec != UTIME_NOW && ts[0].tv_nsec != UTIME_OMIT) ||
	    (ts[1].tv_nsec != UTIME_NOW && ts[1].tv_nsec != UTIME_OMIT))
		return T_EXPLICIT;
	return T_NOW;
}

/* The old calls' microseconds as utimensat's nanoseconds (glibc does the same). */
static const struct timespec *
tv_ts(const struct timeval *tv, struct timespec ts[2])
{
	int i;

	if (tv == NULL)
		return NULL;
	for (i = 0; i < 2; i++) {
		ts[i].tv_sec = tv[i].tv_sec;
		ts[i].tv_nsec = tv[i].tv_usec >= 0 && tv[i].tv_usec < 1000000 ?
		    tv[i].tv_usec * 1000 : -1;
	}
	return ts;
}

/* Decide and set the times of r's object (fd when r came from a descriptor). */
static int
set_times(struct efs_call *c, const struct efs_res *r, int fd, const struct timespec *ts)
{
	char proc[64];
	int kind = times_kind(ts), rc;

	if (kind == T_INVAL)
		return -EINVAL;
	if ((rc = efs_write_gate(c, r)) != 0)
		return rc;
	if (efs_perm_utimes(&r->mt->who, &r->attr, kind == T_EXPLICIT) != 0) {
		efs_call_blame(c, efs_perm_why(r), &r->attr, r->view);
		return kind == T_EXPLICIT ? -EPERM : -EACCES;
	}
	/* A followed resolution never ends on a link, so NOFOLLOW is always right. */
	if (r->babs[0] != '\0') {
		const char *rel;
		int dfd;

		if ((rc = efs_pin(r->mt, r->babs, &dfd, &rel)) != 0)
			return rc;
		rc = real.utimensat(dfd, rel, ts, AT_SYMLINK_NOFOLLOW);
	} else if ((rc = real.futimens(fd, ts)) != 0 && errno == EBADF) {
		snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);	/* O_PATH */
		rc = real.utimensat(AT_FDCWD, proc, ts, 0);
	}
	return rc == 0 ? 0 : -errno;
}

/* utimensat(2) semantics for every path variant; path is not NULL. */
static int
times_at(const char *op, int dirfd, const char *path, const struct timespec *ts, int flags)
{
	struct efs_call c;
	struct efs_res *r;
	int rc;

	if (!efs_enter(&c, op, path))
		return real.utimensat(dirfd, path, ts, flags);
	/* Both UTIME_OMIT: Linux returns 0 without looking at the path.
	 * Times efsap may not read: the kernel's EFAULT. */
	if (efs_uread(ts, ts != NULL ? 2 * sizeof *ts : 0) != 0 || times_kind(ts) == T_NONE)
		return efs_pass(&c, real.utimensat(dirfd, path, ts, flags));
	path = cwd_empty(dirfd, path, flags);
	if (!efs_may_map(dirfd, path))
		return efs_pass(&c, real.utimensat(dirfd, path, ts, flags));
	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return efs_leave(&c, -EINVAL);
	if ((r = efs_res_new()) == NULL)
		return efs_leave(&c, -ENOMEM);
	rc = efs_resolve(&c, dirfd, path,
	    ((flags & AT_SYMLINK_NOFOLLOW) ? 0 : EFS_R_FOLLOW) |
	    ((flags & AT_EMPTY_PATH) ? EFS_R_EMPTY : 0), r);
	if (rc == EFS_NOT_MAPPED)
		return efs_pass(&c, real.utimensat(dirfd, r->host, ts, flags));
	if (rc == 0 && !r->exists)
		rc = -ENOENT;
	if (rc == 0)
		rc = set_times(&c, r, dirfd, ts);
	return efs_leave(&c, rc);
}

/* futimens(3) semantics for every descriptor variant. */
static int
times_fd(const char *op, int fd, const struct timespec *ts)
{
	struct efs_call c;
	struct efs_res *r;
	int rc;

	if (!efs_enter(&c, op, NULL))
		return real.futimens(fd, ts);
	if (efs_fd_mount(fd) < 0 || efs_uread(ts, ts != NULL ? 2 * sizeof *ts : 0) != 0 ||
	    times_kind(ts) == T_NONE)
		return efs_pass(&c, real.futimens(fd, ts));
	if ((r = efs_res_new()) == NULL)
		return efs_leave(&c, -ENOMEM);
	rc = efs_fd_is_opath(fd) ? -EBADF : efs_resolve_fd(&c, fd, 0, r);
	if (rc == 0)
		rc = set_times(&c, r, fd, ts);
	return efs_leave(&c, rc);
}

EFS_EXPORT int
utimensat(int dirfd, const char *path, const struct timespec ts[2], int flags)
{
	if (efs_null(path)) {		/* glibc: EINVAL, never the kernel's fd form */
		efs_real_bind();
		return real.utimensat(dirfd, path, ts, flags);
	}
	return times_at("utimensat", dirfd, path, ts, flags);
}

EFS_EXPORT int
futimens(int fd, const struct timespec ts[2])
{
	return times_fd("futimens", fd, ts);
}

EFS_EXPORT int
utime(const char *path, const struct utimbuf *buf)
{
	struct timespec ts[2];

	if (efs_null(path)) {
		efs_real_bind();
		return real.utime(path, buf);
	}
	if (buf != NULL) {
		ts[0].tv_sec = buf->actime;
		ts[0].tv_nsec = 0;
		ts[1].tv_sec = buf->modtime;
		ts[1].tv_nsec = 0;
	}
	return times_at("utime", AT_FDCWD, path, buf != NULL ? ts : NULL, 0);
}

EFS_EXPORT int
utimes(const char *path, const struct timeval tv[2])
{
	struct timespec ts[2];

	if (efs_null(path)) {
		efs_real_bind();
		return real.utimes(path, tv);
	}
	return times_at("utimes", AT_FDCWD, path, tv_ts(tv, ts), 0);
}

EFS_EXPORT int
lutimes(const char *path, const struct timeval tv[2])
{
	struct timespec ts[2];

	if (efs_null(path)) {
		efs_real_bind();
		return real.lutimes(path, tv);
	}
	return times_at("lutimes", AT_FDCWD, path, tv_ts(tv, ts), AT_SYMLINK_NOFOLLOW);
}

/*
 * futimes and futimesat(fd, NULL) reach the kernel's utimensat(fd, NULL),
 * whose errors for descriptors not under a mount (AT_FDCWD: EFAULT) differ
 * from futimens': pass those to their own real function.
 */
EFS_EXPORT int
futimes(int fd, const struct timeval tv[2])
{
	struct timespec ts[2];

	if (efs_fd_mount(fd) < 0) {
		efs_real_bind();
		return real.futimes(fd, tv);
	}
	return times_fd("futimes", fd, tv_ts(tv, ts));
}

EFS_EXPORT int
futimesat(int dirfd, const char *path, const struct timeval tv[2])
{
	struct timespec ts[2];

	if (efs_null(path) && efs_fd_mount(dirfd) < 0) {
		efs_real_bind();
		return real.futimesat(dirfd, path, tv);
	}
	if (efs_null(path))		/* the kernel's form for dirfd itself */
		return times_fd("futimesat", dirfd, tv_ts(tv, ts));
	return times_at("futimesat", dirfd, path, tv_ts(tv, ts), 0);
}
