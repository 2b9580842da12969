/* SPDX-License-Identifier: MIT */
/*
 * wrap_open.c: opening and creating files (SPEC 5.3, 5.4): the open family
 * with its fortify and 64-bit names, the stdio and directory entry points
 * that glibc implements with its own internal open (fopen, freopen,
 * opendir, the mkstemp family, mkdtemp), and truncate.
 *
 * Under a mount the emulated server decides, as Linux orders its checks:
 * flag validation, path resolution, O_EXCL, the object's type, the write
 * gate (EROFS), then the permission bits (EACCES).  A new file is created
 * with O_EXCL on the backing path and recorded with the server identity;
 * an existing one is opened with O_NOFOLLOW since its final component is
 * already resolved.  Every descriptor that names something under a mount
 * is marked (efs_fd_set); one outside every mount is unmarked, so that a
 * stale mark left by a close inside libc never sticks to a host file.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "act.h"
#include "owner.h"
#include "perm.h"
#include "publish.h"
#include "real.h"
#include "resolve.h"

#define PATH_ONLY_FLAGS	(O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
#define CREATE_RETRIES	8		/* lost races with another creator */
#define TMP_ATTEMPTS	(62 * 62 * 62)	/* glibc's ATTEMPTS_MIN */
/* The kernel's __O_TMPFILE bit (glibc's O_TMPFILE and __O_TMPFILE include O_DIRECTORY). */
#define TMPFILE_BIT	(O_TMPFILE & ~O_DIRECTORY)

/* A descriptor opened outside every mount: drop any stale mark. */
static int
host_fd(int fd)
{
	if (efs_fd_marked(fd))
		efs_fd_set(fd, -1);
	return fd;
}

static FILE *
host_file(FILE *fp)
{
	if (fp != NULL)
		host_fd(fileno(fp));
	return fp;
}

/* Real open of r->babs; 0 with *fdp, or -errno. */
static int
real_open(const struct efs_res *r, int flags, mode_t mode, int *fdp)
{
	const char *rel;
	int dfd, fd, rc;

	if ((rc = efs_pin(r->mt, r->babs, &dfd, &rel)) != 0)
		return rc;
	if ((fd = real.openat(dfd, rel, flags, mode)) < 0)
		return -errno;
	*fdp = fd;
	return 0;
}

/* O_TMPFILE in the directory r names: w+x on it, an unnamed file recorded on its fd. */
static int
open_tmpfile(struct efs_call *c, struct efs_res *r, int flags, mode_t mode, int *fdp)
{
	struct efs_dmnt m = efs_dmnt_of(r->mt);
	struct efs_verdict v;
	struct efs_dobj d;
	int rc;

	efs_dobj_from(r, 0, NULL, &d);
	efs_decide_tmpfile(&m, &d, &v);
	if ((rc = efs_verdict_apply(c, &v, r, NULL)) != 0)
		return rc;
	r->pattr = r->attr;		/* the directory is the new file's parent */
	if ((rc = real_open(r, flags, efs_create_mode(r, S_IFREG, mode), fdp)) != 0)
		return rc;
	if ((rc = efs_record_new(r, *fdp, S_IFREG, mode)) != 0) {
		real.close(*fdp);
		return rc;
	}
	return 0;
}

/* A missing final component with O_CREAT: create it exclusively and record it. */
static int
open_create(struct efs_call *c, struct efs_res *r, int flags, mode_t mode, int *fdp)
{
	int rc;

	if ((rc = efs_need_create(c, r)) != 0)
		return rc;
	return efs_publish_file(r, flags, mode, fdp);
}

/* An existing object: the checks of Linux's do_open and may_open (decide.h), then the open. */
static int
open_existing(struct efs_call *c, struct efs_res *r, int flags, int *fdp)
{
	struct efs_dmnt m = efs_dmnt_of(r->mt);
	mode_t type = r->st.st_mode & S_IFMT;
	struct efs_verdict v;
	struct efs_dobj d;
	int rc;

	efs_dobj_from(r, 0, NULL, &d);
	efs_decide_open(&m, &d, flags, &v);
	if ((rc = efs_verdict_apply(c, &v, r, NULL)) != 0)
		return rc;
	flags &= ~(O_CREAT | O_EXCL);
	if ((rc = real_open(r, flags | O_NOFOLLOW, 0, fdp)) != 0)
		return rc;
	if ((flags & O_TRUNC) && type == S_IFREG)
		efs_clear_setid(r->mt, *fdp, NULL, &r->st, &r->attr);
	return 0;
}

/*
 * The work of every open entry point, inside an entered call: resolve
 * (dirfd, path) into *r and open it.  Returns 0 with the descriptor in
 * *fdp (marked), EFS_NOT_MAPPED with r->host set (nothing opened), or
 * -errno.
 */
static int
open_core(struct efs_call *c, struct efs_res *r, int dirfd, const char *path,
    int flags, mode_t mode, int *fdp)
{
	char *stripped;
	int rc, tries, rflags;

	if (flags & O_PATH)
		flags &= PATH_ONLY_FLAGS;
	if (flags & TMPFILE_BIT) {
		if ((flags & (O_TMPFILE | O_CREAT)) != O_TMPFILE ||
		    !(efs_decide_open_access(flags) & EFS_MAY_WRITE))
			return -EINVAL;
	} else if ((flags & (O_CREAT | O_DIRECTORY)) == (O_CREAT | O_DIRECTORY))
		return -EINVAL;		/* Linux 6.4 and later */
	mode &= 07777;
	if ((flags & O_CREAT) && path != NULL && path[0] != '\0' &&
	    path[strlen(path) - 1] == '/') {
		/* "name/" with O_CREAT: EISDIR once its parent resolves */
		size_t n = strlen(path);

		while (n > 1 && path[n - 1] == '/')
			n--;
		if ((stripped = efs_scratch_path()) == NULL)	/* until the wrapper leaves */
			return -ENOMEM;
		memcpy(stripped, path, n);
		stripped[n] = '\0';
		rc = efs_resolve(c, dirfd, stripped, 0, r);
		if (rc == EFS_NOT_MAPPED) {	/* the host's business: give back its slash */
			size_t hl = strlen(r->host);

			if (hl + 2 > sizeof r->host)
				return -ENAMETOOLONG;
			memcpy(r->host + hl, "/", 2);
			return rc;
		}
		return rc == 0 ? -EISDIR : rc;
	}
	/* O_CREAT|O_EXCL never follows a final link: the link itself exists */
	rflags = (flags & O_NOFOLLOW) || (flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL) ?
	    0 : EFS_R_FOLLOW;
	/*
	 * A create that expects no file (O_EXCL, or O_TRUNC without O_APPEND:
	 * cp, tar, a shell's ">") first creates without looking: the create
	 * publishes with RENAME_NOREPLACE, which says EEXIST when the name
	 * exists, and only then is the name looked at.  Refusals are decided
	 * again after a look, so that EEXIST comes first as Linux has it.
	 */
	if ((flags & O_CREAT) && !(flags & TMPFILE_BIT) &&
	    ((flags & O_EXCL) || ((flags & O_TRUNC) && !(flags & O_APPEND))))
		rflags |= EFS_R_GUESS;
	for (tries = 0;; tries++) {
		rc = efs_resolve(c, dirfd, path, rflags, r);
		if (rc != 0)
			return rc;
		if (flags & TMPFILE_BIT)
			rc = open_tmpfile(c, r, flags, mode, fdp);
		else if (r->exists)
			rc = open_existing(c, r, flags, fdp);
		else if (!(flags & O_CREAT))
			return -ENOENT;
		else
			rc = open_create(c, r, flags, mode, fdp);
		/* a wrong guess, or a refusal that EEXIST may come before: look */
		if (r->guessed && rc != 0) {
			rflags &= ~EFS_R_GUESS;
			if (rc != -EEXIST || !(flags & O_EXCL))
				continue;
		}
		/* someone created the name between our look and our create: look again */
		if (rc == -EEXIST && !r->exists && !(flags & O_EXCL) && tries < CREATE_RETRIES)
			continue;
		if (rc == 0) {
			efs_fd_mark(*fdp, r->mount, (flags & O_PATH) != 0);
			/* a write by a non-root identity will clear set-id bits */
			if (r->exists && S_ISREG(r->st.st_mode) &&
			    (efs_decide_open_access(flags) & EFS_MAY_WRITE) &&
			    (r->attr.mode & (S_ISUID | S_ISGID)) && !r->mt->who.root)
				efs_fd_watch_setid(*fdp, 1);
		}
		return rc;
	}
}

/* openat(2) semantics for every open entry point. */
static int
open_at(const char *op, int dirfd, const char *path, int flags, mode_t mode)
{
	struct efs_call c;
	struct efs_res *r;
	int rc, fd = -1;

	if (!efs_enter(&c, op, path))
		return real.openat(dirfd, path, flags, mode);
	if (!efs_may_map(dirfd, path)) {
		if ((rc = efs_proc_open(path, flags, &fd)) != EFS_NOT_MAPPED)
			return efs_leave(&c, rc == 0 ? host_fd(fd) : rc);
		return efs_pass(&c, host_fd(real.openat(dirfd, path, flags, mode)));
	}
	if ((r = efs_res_new()) == NULL)
		return efs_leave(&c, -ENOMEM);
	rc = open_core(&c, r, dirfd, path, flags, mode, &fd);
	if (rc == EFS_NOT_MAPPED)
		return efs_pass(&c, efs_fd_host(real.openat(dirfd, r->host, flags, mode), r->host));
	return efs_leave(&c, rc == 0 ? fd : rc);
}

/* The mode argument exists only when the flags need it (__OPEN_NEEDS_MODE). */
#define OPEN_MODE(flags, last, mode)					\
	do {								\
		va_list ap;						\
									\
		(mode) = 0;						\
		if (__OPEN_NEEDS_MODE(flags)) {				\
			va_start(ap, last);				\
			(mode) = (mode_t)va_arg(ap, int);		\
			va_end(ap);					\
		}							\
	} while (0)

EFS_EXPORT int
open(const char *path, int flags, ...)
{
	mode_t mode;

	OPEN_MODE(flags, flags, mode);
	return open_at("open", AT_FDCWD, path, flags, mode);
}

#if EFS_LFS64
EFS_EXPORT int
open64(const char *path, int flags, ...)
{
	mode_t mode;

	OPEN_MODE(flags, flags, mode);
	return open_at("open", AT_FDCWD, path, flags, mode);
}
#endif

EFS_EXPORT int
openat(int dirfd, const char *path, int flags, ...)
{
	mode_t mode;

	OPEN_MODE(flags, flags, mode);
	return open_at("openat", dirfd, path, flags, mode);
}

#if EFS_LFS64
EFS_EXPORT int
openat64(int dirfd, const char *path, int flags, ...)
{
	mode_t mode;

	OPEN_MODE(flags, flags, mode);
	return open_at("openat", dirfd, path, flags, mode);
}
#endif

EFS_EXPORT int
creat(const char *path, mode_t mode)
{
	return open_at("creat", AT_FDCWD, path, O_CREAT | O_WRONLY | O_TRUNC, mode);
}

#if EFS_LFS64
EFS_EXPORT int
creat64(const char *path, mode_t mode)
{
	return open_at("creat", AT_FDCWD, path, O_CREAT | O_WRONLY | O_TRUNC, mode);
}
#endif

/*
 * The fortify entry points: a call that needs a mode has none, and glibc
 * aborts ("invalid open call"); let it.
 */
int __open_2(const char *, int);
int __open64_2(const char *, int);
int __openat_2(int, const char *, int);
int __openat64_2(int, const char *, int);

EFS_EXPORT int
__open_2(const char *path, int flags)
{
	if (__OPEN_NEEDS_MODE(flags))
		return real.__open_2(path, flags);
	return open_at("open", AT_FDCWD, path, flags, 0);
}

EFS_EXPORT int
__open64_2(const char *path, int flags)
{
	if (__OPEN_NEEDS_MODE(flags))
		return real.__open64_2(path, flags);
	return open_at("open", AT_FDCWD, path, flags, 0);
}

EFS_EXPORT int
__openat_2(int dirfd, const char *path, int flags)
{
	if (__OPEN_NEEDS_MODE(flags))
		return real.__openat_2(dirfd, path, flags);
	return open_at("openat", dirfd, path, flags, 0);
}

EFS_EXPORT int
__openat64_2(int dirfd, const char *path, int flags)
{
	if (__OPEN_NEEDS_MODE(flags))
		return real.__openat64_2(dirfd, path, flags);
	return open_at("openat", dirfd, path, flags, 0);
}

/*
 * fopen's mode string as glibc reads it (_IO_new_file_fopen): r, w or a,
 * then up to six of + x b m c e, stopping at ',' (",ccs=" is not
 * supported under a mount).  Returns the open flags, or -EINVAL.
 */
static int
fopen_flags(const char *mode, int *cloexec)
{
	int acc, flags, i;

	*cloexec = 0;
	switch (mode[0]) {
	case 'r':
		acc = O_RDONLY;
		flags = 0;
		break;
	case 'w':
		acc = O_WRONLY;
		flags = O_CREAT | O_TRUNC;
		break;
	case 'a':
		acc = O_WRONLY;
		flags = O_CREAT | O_APPEND;
		break;
	default:
		return -EINVAL;
	}
	for (i = 1; i < 7 && mode[i] != '\0' && mode[i] != ','; i++) {
		if (mode[i] == '+')
			acc = O_RDWR;
		else if (mode[i] == 'x')
			flags |= O_EXCL;
		else if (mode[i] == 'e') {
			flags |= O_CLOEXEC;
			*cloexec = 1;
		}
	}
	return acc | flags;
}

static FILE *
fopen_common(const char *op, const char *path, const char *mode)
{
	struct efs_call c;
	struct efs_res *r;
	FILE *fp = NULL;
	int rc, flags, cloexec, fd = -1;

	if (!efs_enter(&c, op, path))
		return real.fopen(path, mode);
	if (mode == NULL || !efs_may_map(AT_FDCWD, path)) {
		if (mode == NULL || (flags = fopen_flags(mode, &cloexec)) < 0 ||
		    (rc = efs_proc_open(path, flags, &fd)) == EFS_NOT_MAPPED)
			return (FILE *)efs_pass(&c, (long)host_file(real.fopen(path, mode)));
	} else if ((rc = fopen_flags(mode, &cloexec)) < 0) {
		efs_leave(&c, rc);
		return NULL;
	} else {
		flags = rc;
		r = efs_res_new();
		rc = r == NULL ? -ENOMEM : open_core(&c, r, AT_FDCWD, path, flags, 0666, &fd);
	}
	if (rc == EFS_NOT_MAPPED)
		return (FILE *)efs_pass(&c, (long)host_file(real.fopen(r->host, mode)));
	if (rc == 0 && (flags & (O_ACCMODE | O_APPEND)) == (O_WRONLY | O_APPEND))
		(void)lseek(fd, 0, SEEK_END);	/* as fopen "a": ftell reports the end */
	if (rc == 0 && (fp = fdopen(fd, mode)) == NULL) {
		rc = -errno;
		real.close(fd);
		efs_fd_set(fd, -1);
	}
	return efs_leave(&c, rc) < 0 ? NULL : fp;
}

EFS_EXPORT FILE *
fopen(const char *path, const char *mode)
{
	return fopen_common("fopen", path, mode);
}

#if EFS_LFS64
EFS_EXPORT FILE *
fopen64(const char *path, const char *mode)
{
	return fopen_common("fopen", path, mode);
}
#endif

/*
 * freopen under a mount: open the new file ourselves, then put it under
 * the stream's descriptor number, as glibc's freopen does with dup3.  The
 * stream keeps its buffering; its error and end-of-file flags are cleared.
 */
static FILE *
freopen_common(const char *op, const char *path, const char *mode, FILE *stream)
{
	struct efs_call c;
	struct efs_res *r;
	int rc, flags, cloexec, fd = -1, old;

	if (!efs_enter(&c, op, path))
		return real.freopen(path, mode, stream);
	if (path == NULL)	/* reopens the stream's own file, under the same descriptor */
		return (FILE *)efs_pass(&c, (long)real.freopen(path, mode, stream));
	if (mode == NULL || !efs_may_map(AT_FDCWD, path))
		return (FILE *)efs_pass(&c, (long)host_file(real.freopen(path, mode, stream)));
	if ((rc = fopen_flags(mode, &cloexec)) < 0) {
		efs_leave(&c, rc);
		return NULL;
	}
	flags = rc;
	if ((r = efs_res_new()) == NULL) {
		efs_leave(&c, -ENOMEM);
		return NULL;
	}
	rc = open_core(&c, r, AT_FDCWD, path, flags, 0666, &fd);
	if (rc == EFS_NOT_MAPPED)
		return (FILE *)efs_pass(&c, (long)host_file(real.freopen(r->host, mode, stream)));
	if (rc == 0) {
		fflush(stream);
		old = fileno(stream);
		if (old < 0)
			rc = -EBADF;
		else if (real.dup3(fd, old, cloexec ? O_CLOEXEC : 0) < 0)
			rc = -errno;
		real.close(fd);
		efs_fd_set(fd, -1);
		if (rc == 0) {
			efs_fd_set(old, r->mount);
			if ((flags & (O_ACCMODE | O_APPEND)) == (O_WRONLY | O_APPEND))
				(void)lseek(old, 0, SEEK_END);
			clearerr(stream);
		}
	}
	return efs_leave(&c, rc) < 0 ? NULL : stream;
}

EFS_EXPORT FILE *
freopen(const char *path, const char *mode, FILE *stream)
{
	return freopen_common("freopen", path, mode, stream);
}

#if EFS_LFS64
EFS_EXPORT FILE *
freopen64(const char *path, const char *mode, FILE *stream)
{
	return freopen_common("freopen", path, mode, stream);
}
#endif

/* opendir: a directory the server identity may read. */
EFS_EXPORT DIR *
opendir(const char *path)
{
	struct efs_call c;
	struct efs_res *r;
	DIR *d = NULL;
	int rc, fd;

	if (!efs_enter(&c, "opendir", path))
		return real.opendir(path);
	if (!efs_may_map(AT_FDCWD, path)) {
		d = real.opendir(path);
		if (d != NULL)
			host_fd(dirfd(d));
		return (DIR *)efs_pass(&c, (long)d);
	}
	if ((r = efs_res_new()) == NULL) {
		efs_leave(&c, -ENOMEM);
		return NULL;
	}
	rc = efs_resolve(&c, AT_FDCWD, path, EFS_R_FOLLOW, r);
	if (rc == EFS_NOT_MAPPED) {
		d = real.opendir(r->host);
		if (d != NULL)
			efs_fd_host(dirfd(d), r->host);
		return (DIR *)efs_pass(&c, (long)d);
	}
	if (rc == 0) {
		fd = efs_open_dir(&c, r);
		if (fd < 0)
			rc = fd;
		else if ((d = real.fdopendir(fd)) == NULL) {
			rc = -errno;
			real.close(fd);
		} else
			efs_fd_set(fd, r->mount);
	}
	return efs_leave(&c, rc) < 0 ? NULL : d;
}

/*
 * Names for the mkstemp family: a per-thread xorshift, stirred on every
 * call with the time and a process-wide counter so that threads and forked
 * children draw different names.
 */
static __thread uint64_t rng_state __attribute__((tls_model("initial-exec")));
static uint64_t rng_counter;

static const char letters[] =
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

static void
rng_stir(void)
{
	struct timespec ts;
	uint64_t n = __atomic_add_fetch(&rng_counter, 1, __ATOMIC_RELAXED);

	clock_gettime(CLOCK_MONOTONIC, &ts);
	rng_state ^= ((uint64_t)ts.tv_nsec << 20) ^ (uint64_t)ts.tv_sec ^
	    ((uint64_t)getpid() << 40) ^ (n * 0x9e3779b97f4a7c15ULL);
	if (rng_state == 0)
		rng_state = 0x2545f4914f6cdd1dULL;
}

static void
rng_fill(char *x)
{
	int i;

	for (i = 0; i < 6; i++) {
		rng_state ^= rng_state << 13;
		rng_state ^= rng_state >> 7;
		rng_state ^= rng_state << 17;
		x[i] = letters[rng_state % 62];
	}
}

/* Where the six X of tmpl end up, or NULL (EINVAL) for a bad template. */
static char *
tmpl_xs(char *tmpl, int suffixlen)
{
	size_t len = strlen(tmpl);

	if (suffixlen < 0 || len < 6 + (size_t)suffixlen ||
	    strspn(tmpl + len - 6 - suffixlen, "X") < 6)
		return NULL;
	return tmpl + len - 6 - suffixlen;
}

/* mkostemps semantics for every mkstemp variant. */
static int
mkstemp_common(const char *op, char *tmpl, int suffixlen, int flags,
    int (*host)(char *, int, int))
{
	struct efs_call c;
	struct efs_res *r;
	char *xs;
	int rc = -EEXIST, fd = -1, i;

	if (!efs_enter(&c, op, tmpl))
		return host(tmpl, suffixlen, flags);
	if (!efs_may_map(AT_FDCWD, tmpl))
		return efs_pass(&c, host_fd(host(tmpl, suffixlen, flags)));
	if ((xs = tmpl_xs(tmpl, suffixlen)) == NULL)
		return efs_leave(&c, -EINVAL);
	flags = (flags & ~O_ACCMODE) | O_RDWR | O_CREAT | O_EXCL;
	rng_stir();
	if ((r = efs_res_new()) == NULL)
		return efs_leave(&c, -ENOMEM);
	for (i = 0; i < TMP_ATTEMPTS; i++) {
		rng_fill(xs);
		rc = open_core(&c, r, AT_FDCWD, tmpl, flags, 0600, &fd);
		if (rc == EFS_NOT_MAPPED) {
			/* the template leads out of the mount: glibc's loop, on the host */
			fd = host_fd(real.openat(AT_FDCWD, r->host, flags, 0600));
			rc = fd < 0 ? -errno : 0;
		}
		if (rc != -EEXIST)
			break;
	}
	return efs_leave(&c, rc == 0 ? fd : rc);
}

static int
host_mkostemps(char *tmpl, int suffixlen, int flags)
{
	return real.mkostemps(tmpl, suffixlen, flags);
}

EFS_EXPORT int
mkstemp(char *tmpl)
{
	return mkstemp_common("mkstemp", tmpl, 0, 0, host_mkostemps);
}

#if EFS_LFS64
EFS_EXPORT int
mkstemp64(char *tmpl)
{
	return mkstemp_common("mkstemp", tmpl, 0, 0, host_mkostemps);
}
#endif

EFS_EXPORT int
mkostemp(char *tmpl, int flags)
{
	return mkstemp_common("mkostemp", tmpl, 0, flags, host_mkostemps);
}

#if EFS_LFS64
EFS_EXPORT int
mkostemp64(char *tmpl, int flags)
{
	return mkstemp_common("mkostemp", tmpl, 0, flags, host_mkostemps);
}
#endif

EFS_EXPORT int
mkstemps(char *tmpl, int suffixlen)
{
	return mkstemp_common("mkstemps", tmpl, suffixlen, 0, host_mkostemps);
}

#if EFS_LFS64
EFS_EXPORT int
mkstemps64(char *tmpl, int suffixlen)
{
	return mkstemp_common("mkstemps", tmpl, suffixlen, 0, host_mkostemps);
}
#endif

EFS_EXPORT int
mkostemps(char *tmpl, int suffixlen, int flags)
{
	return mkstemp_common("mkostemps", tmpl, suffixlen, flags, host_mkostemps);
}

#if EFS_LFS64
EFS_EXPORT int
mkostemps64(char *tmpl, int suffixlen, int flags)
{
	return mkstemp_common("mkostemps", tmpl, suffixlen, flags, host_mkostemps);
}
#endif

/* mkdtemp: mkdir(2) semantics with mode 0700 under a mount. */
EFS_EXPORT char *
mkdtemp(char *tmpl)
{
	struct efs_call c;
	struct efs_res *r;
	char *xs;
	int rc = -EEXIST, i;

	if (!efs_enter(&c, "mkdtemp", tmpl))
		return real.mkdtemp(tmpl);
	if (!efs_may_map(AT_FDCWD, tmpl))
		return (char *)efs_pass(&c, (long)real.mkdtemp(tmpl));
	if ((xs = tmpl_xs(tmpl, 0)) == NULL) {
		efs_leave(&c, -EINVAL);
		return NULL;
	}
	rng_stir();
	if ((r = efs_res_new()) == NULL) {
		efs_leave(&c, -ENOMEM);
		return NULL;
	}
	for (i = 0; i < TMP_ATTEMPTS; i++) {
		rng_fill(xs);
		rc = efs_resolve(&c, AT_FDCWD, tmpl, 0, r);
		if (rc == EFS_NOT_MAPPED)
			rc = real.mkdir(r->host, 0700) == 0 ? 0 : -errno;
		else if (rc == 0 && (rc = efs_need_create(&c, r)) == 0) {
			rc = efs_publish_node(r, S_IFDIR, 0700, NULL);
		}
		if (rc != -EEXIST)
			break;
	}
	return efs_leave(&c, rc) < 0 ? NULL : tmpl;
}

/*
 * The real truncate, through a descriptor opened from r's pinned parent
 * (efs_pin), so that no path is walked by the kernel again; the set-id
 * bits of its record go as a non-root write's would.
 */
static int
truncate_pinned(const struct efs_res *r, off_t len)
{
	const char *rel;
	int dfd, fd, rc;

	if ((rc = efs_pin(r->mt, r->babs, &dfd, &rel)) != 0)
		return rc;
	if ((fd = real.openat(dfd, rel, O_WRONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)) < 0)
		return -errno;
	rc = real.ftruncate(fd, len) == 0 ? 0 : -errno;
	if (rc == 0)
		efs_clear_setid(r->mt, fd, NULL, &r->st, &r->attr);
	real.close(fd);
	return rc;
}

/* truncate(2): a regular file the server identity may write. */
static int
truncate_common(const char *op, const char *path, off_t len)
{
	struct efs_call c;
	struct efs_res *r;
	int rc;

	if (!efs_enter(&c, op, path))
		return real.truncate(path, len);
	if (!efs_may_map(AT_FDCWD, path))
		return efs_pass(&c, real.truncate(path, len));
	if (len < 0)
		return efs_leave(&c, -EINVAL);
	if ((r = efs_res_new()) == NULL)
		return efs_leave(&c, -ENOMEM);
	rc = efs_resolve(&c, AT_FDCWD, path, EFS_R_FOLLOW, r);
	if (rc == EFS_NOT_MAPPED)
		return efs_pass(&c, real.truncate(r->host, len));
	if (rc == 0) {
		struct efs_dmnt m = efs_dmnt_of(r->mt);
		struct efs_verdict v;
		struct efs_dobj d;

		efs_dobj_from(r, rc, path, &d);
		efs_decide_truncate(&m, &d, &v);
		rc = efs_verdict_apply(&c, &v, r, NULL);
	}
	if (rc == 0)
		rc = truncate_pinned(r, len);
	return efs_leave(&c, rc);
}

EFS_EXPORT int
truncate(const char *path, off_t len)
{
	return truncate_common("truncate", path, len);
}

#if EFS_LFS64
EFS_EXPORT int
truncate64(const char *path, off64_t len)
{
	return truncate_common("truncate", path, (off_t)len);
}
#endif

/* ftruncate(2): the open decided; only the set-id bits of the record change. */
static int
ftruncate_common(const char *op, int fd, off_t len)
{
	struct efs_call c;
	struct efs_attr a;
	struct stat st;
	int rc, k;

	if (!efs_enter(&c, op, NULL))
		return real.ftruncate(fd, len);
	if ((k = efs_fd_mount(fd)) < 0)
		return efs_pass(&c, real.ftruncate(fd, len));
	c.mount = k;
	rc = real.ftruncate(fd, len) == 0 ? 0 : -errno;
	if (rc == 0 && real.fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    !efs.mnt[k].who.root && efs_owner_fget(fd, &st, &a) == 0)
		efs_clear_setid(&efs.mnt[k], fd, NULL, &st, &a);
	return efs_leave(&c, rc);
}

EFS_EXPORT int
ftruncate(int fd, off_t len)
{
	return ftruncate_common("ftruncate", fd, len);
}

#if EFS_LFS64
EFS_EXPORT int
ftruncate64(int fd, off64_t len)
{
	return ftruncate_common("ftruncate", fd, (off_t)len);
}
#endif
