/* SPDX-License-Identifier: MIT */
/*
 * wrap_cwd.c: the working directory and the paths libc hands back (SPEC
 * 5.5).  The program's view of its working directory is efs.cwd (absolute,
 * normalised) with efs.cwd_mount; inside a mount the real process stands
 * in the backing directory, so that host tools and children that use
 * relative paths reach the right objects.  getcwd and realpath answer with
 * program-view paths, never backing ones.
 */
#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "act.h"
#include "path.h"
#include "perm.h"
#include "real.h"
#include "resolve.h"
#include "uaccess.h"

char *__getwd_chk(char *, size_t);

/* Set the program's view of its working directory. */
static void
cwd_set(const char *view, int mount)
{
	size_t n = strlen(view);
	sigset_t saved;

	if (n >= sizeof efs.cwd)
		return;
	efs_write_begin(&saved);
	memcpy(efs.cwd, view, n + 1);
	efs.cwd_mount = mount;
	efs_write_end(&saved);
}

/*
 * The real chdir to r's backing directory: by its absolute path, or, past
 * PATH_MAX, by the path relative to where we stand (efs_at), as the
 * program's own relative chdir would go.
 */
static int
backing_chdir(const struct efs_res *r)
{
	const char *rel;
	int dfd, fd, rc;

	/* through the pinned parent, never through a link swapped in since */
	if ((rc = efs_pin(r->mt, r->babs, &dfd, &rel)) != 0)
		return rc;
	if (dfd == AT_FDCWD && rel[0] == '/')
		return real.chdir(rel) == 0 ? 0 : -errno;
	if ((fd = real.openat(dfd, rel, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		return -errno;
	rc = real.fchdir(fd) == 0 ? 0 : -errno;
	real.close(fd);
	return rc;
}

/*
 * After a chdir outside every mount: the host's own answer (chdir is not
 * hot), through buf (EFS_PATH_MAX bytes).
 */
static void
cwd_from_host(char *buf)
{
	int e = errno;

	/* a host directory that a mount hides in the view stays the host's */
	if (real.getcwd(buf, EFS_PATH_MAX) != NULL && buf[0] == '/')
		cwd_set(buf, -1);
	errno = e;
}

/*
 * chdir or fchdir (path NULL) to a host directory.  The buffer is taken
 * first: without it the view could not follow the real directory.
 */
static int
host_chdir(const char *path, int fd)
{
	char *buf = efs_scratch_path();		/* the wrapper's: goes when it leaves */
	int rc;

	if (buf == NULL) {
		errno = ENOMEM;
		return -1;
	}
	rc = path != NULL ? real.chdir(path) : real.fchdir(fd);
	if (rc == 0)
		cwd_from_host(buf);
	return rc;
}

/* chdir(2) under a mount: the server identity needs search on the directory. */
EFS_EXPORT int
chdir(const char *path)
{
	struct efs_call c;
	struct efs_res *r;
	int rc;

	if (!efs_enter(&c, "chdir", path))
		return real.chdir(path);
	if (!efs_may_map(AT_FDCWD, path))
		return efs_pass(&c, host_chdir(path, -1));
	if ((r = efs_res_new()) == NULL)
		return efs_leave(&c, -ENOMEM);
	rc = efs_resolve(&c, AT_FDCWD, path, EFS_R_FOLLOW, r);
	if (rc == EFS_NOT_MAPPED)
		return efs_pass(&c, host_chdir(r->host, -1));
	if (rc == 0 && !r->exists)
		rc = -ENOENT;
	if (rc == 0 && !S_ISDIR(r->st.st_mode))
		rc = -ENOTDIR;
	if (rc == 0)
		rc = efs_need_access(&c, r, EFS_MAY_EXEC);
	if (rc == 0)
		rc = backing_chdir(r);
	if (rc == 0)
		cwd_set(r->view, r->mount);
	return efs_leave(&c, rc);
}

EFS_EXPORT int
fchdir(int fd)
{
	struct efs_call c;
	struct efs_res *r;
	char *buf;
	int rc, k;

	if (!efs_enter(&c, "fchdir", NULL))
		return real.fchdir(fd);
	if (efs_fd_mount(fd) < 0)
		return efs_pass(&c, host_chdir(NULL, fd));
	if ((r = efs_res_new()) == NULL)
		return efs_leave(&c, -ENOMEM);
	rc = efs_resolve_fd(&c, fd, 0, r);	/* never EFS_NOT_MAPPED: the fd is under a mount */
	if (rc == 0 && !S_ISDIR(r->st.st_mode))
		rc = -ENOTDIR;
	if (rc == 0)
		rc = efs_need_access(&c, r, EFS_MAY_EXEC);
	if (rc == 0 && real.fchdir(fd) != 0)
		rc = -errno;
	if (rc == 0) {
		if (r->view[0] == '\0' && ((buf = efs_scratch_path()) == NULL ||
		    real.getcwd(buf, EFS_PATH_MAX) == NULL ||
		    (r->mt->image ? (size_t)snprintf(r->view, sizeof r->view, "%s", buf) >=
		    sizeof r->view : efs_backing_to_view(buf, r->view, sizeof r->view) != 0)))
			snprintf(r->view, sizeof r->view, "%s", efs.mnt[r->mount].cpath[0] != '\0' ?
			    efs.mnt[r->mount].cpath : "/");
		k = efs_path_mount(&efs.cfg, r->view, NULL);
		cwd_set(r->view, k >= 0 ? k : r->mount);
	}
	return efs_leave(&c, rc);
}

/*
 * The program-view working directory inside mount k, into view: the real
 * cwd mapped back (so a directory renamed under us shows its new path),
 * else the recorded one.  0, or -ENOENT when the directory was removed.
 */
static int
cwd_view(int k, char *view, size_t len)
{
	const struct efs_mnt *mt = &efs.mnt[k];
	char *buf = efs_scratch_path();		/* the wrapper's: goes when it leaves */
	sigset_t saved;

	if (buf != NULL && real.getcwd(buf, EFS_PATH_MAX) != NULL) {
		if (mt->image) {		/* the image's paths are the program's */
			if (strlen(buf) >= len)
				return -ENAMETOOLONG;
			strcpy(view, buf);
			return 0;
		}
		if (strncmp(buf, mt->broot, mt->blen) == 0 &&
		    (buf[mt->blen] == '\0' || buf[mt->blen] == '/') &&
		    (size_t)snprintf(view, len, "%s%s", mt->cpath, buf + mt->blen) < len) {
			efs_write_begin(&saved);
			if (efs.cwd_mount == k && strcmp(efs.cwd, view) != 0)
				memcpy(efs.cwd, view, strlen(view) + 1);	/* renamed */
			efs_write_end(&saved);
			return 0;
		}
		if (efs_backing_to_view(buf, view, len) == 0)
			return 0;
	} else if (buf != NULL && errno == ENOENT)
		return -ENOENT;
	return efs_cwd_get(view, len) == EFS_CWD_TOO_LONG ? -ENAMETOOLONG : 0;
}

/*
 * getcwd with glibc's contract: buf NULL and size 0 allocates the exact
 * size, buf NULL and size > 0 allocates size bytes, ERANGE when too
 * small, EINVAL for size 0 with a buffer.  Returns NULL with errno set
 * through efs_leave.
 */
static char *
cwd_get(const char *op, char *buf, size_t size)
{
	struct efs_call c;
	char *view, *out = NULL;
	size_t n;
	int k, rc;

	if (!efs_enter(&c, op, NULL))
		return real.getcwd(buf, size);
	k = __atomic_load_n(&efs.cwd_mount, __ATOMIC_RELAXED);
	if (k < 0) {
		out = real.getcwd(buf, size);
		efs_pass(&c, 0);
		return out;
	}
	rc = 0;
	if (buf != NULL && size == 0)
		rc = -EINVAL;
	if (rc == 0 && (view = efs_scratch_alloc(EFS_VIEW_MAX)) == NULL)
		rc = -ENOMEM;
	if (rc == 0)
		rc = cwd_view(k, view, EFS_VIEW_MAX);
	if (rc == 0) {
		n = strlen(view) + 1;
		if (size != 0 && size < n)
			rc = -ERANGE;
		else if (buf != NULL)
			out = buf;
		else if ((out = malloc(size != 0 ? size : n)) == NULL)
			rc = -ENOMEM;
		/* the kernel would copy to the caller's buffer: EFAULT, not a crash */
		if (rc == 0 && out == buf)
			rc = efs_uwrite(buf, n);
		if (rc == 0)
			memcpy(out, view, n);
	}
	efs_leave(&c, rc);
	return rc == 0 ? out : NULL;
}

EFS_EXPORT char *
getcwd(char *buf, size_t size)
{
	return cwd_get("getcwd", buf, size);
}

EFS_EXPORT char *
__getcwd_chk(char *buf, size_t size, size_t buflen)
{
	if (size > buflen)
		return real.__getcwd_chk(buf, size, buflen);	/* aborts: buffer overflow */
	return cwd_get("getcwd", buf, size);
}

/* getwd: glibc writes the error's text into buf on failure. */
static char *
wd_get(char *buf)
{
	char *msg;

	__asm__("" : "+r"(buf));	/* declared nonnull, yet glibc checks */
	if (buf == NULL) {
		errno = EINVAL;
		return NULL;
	}
	if (cwd_get("getwd", buf, PATH_MAX) != NULL)
		return buf;
#ifdef __GLIBC__
	msg = strerror_r(errno, buf, 1024);	/* the GNU strerror_r */
	if (msg != buf)
		snprintf(buf, 1024, "%s", msg);
#else
	msg = strerror(errno);
	snprintf(buf, 1024, "%s", msg);
#endif
	return NULL;
}

EFS_EXPORT char *
__getwd_chk(char *buf, size_t buflen)
{
	static char *(*chk)(char *, size_t);

	if (buflen < PATH_MAX) {
		/* glibc aborts here (__chk_fail); let it */
		if (chk == NULL)
			chk = (char *(*)(char *, size_t))dlsym(RTLD_NEXT, "__getwd_chk");
		if (chk != NULL)
			return chk(buf, buflen);
		abort();
	}
	return wd_get(buf);
}

EFS_EXPORT char *
getwd(char *buf)
{
	return wd_get(buf);
}

/* glibc also trusts $PWD when it names the same directory; inside a mount we do not. */
EFS_EXPORT char *
get_current_dir_name(void)
{
	if (efs_active() && __atomic_load_n(&efs.cwd_mount, __ATOMIC_RELAXED) >= 0)
		return cwd_get("get_current_dir_name", NULL, 0);
	return real.get_current_dir_name();
}

/*
 * realpath(3) under a mount: the program-view path of the object the path
 * names, following every link; a path that leads out of the mounts is the
 * host's.  resolved NULL: a malloc'd copy, as glibc.
 */
static char *
resolve_path(const char *op, const char *path, char *resolved)
{
	struct efs_call c;
	struct efs_res *r;
	char *out = NULL;
	size_t n;
	int rc;

	if (!efs_enter(&c, op, path))
		return real.realpath(path, resolved);
	if (!efs_may_map(AT_FDCWD, path)) {
		out = real.realpath(path, resolved);
		efs_pass(&c, 0);
		return out;
	}
	r = efs_res_new();
	rc = r == NULL ? -ENOMEM : efs_resolve(&c, AT_FDCWD, path, EFS_R_FOLLOW, r);
	if (rc == EFS_NOT_MAPPED) {
		out = real.realpath(r->host, resolved);
		efs_pass(&c, 0);
		return out;
	}
	if (rc == 0 && !r->exists)
		rc = -ENOENT;
	if (rc == 0) {
		n = strlen(r->view) + 1;
		if (n > PATH_MAX)
			rc = -ENAMETOOLONG;
		else if (resolved != NULL)
			out = resolved;
		else if ((out = malloc(n)) == NULL)
			rc = -ENOMEM;
		if (rc == 0)
			memcpy(out, r->view, n);
	}
	efs_leave(&c, rc);
	return rc == 0 ? out : NULL;
}

EFS_EXPORT char *
realpath(const char *path, char *resolved)
{
	return resolve_path("realpath", path, resolved);
}

EFS_EXPORT char *
__realpath_chk(const char *path, char *resolved, size_t resolvedlen)
{
	if (resolvedlen < PATH_MAX)
		return real.__realpath_chk(path, resolved, resolvedlen);	/* aborts */
	return resolve_path("realpath", path, resolved);
}

EFS_EXPORT char *
canonicalize_file_name(const char *path)
{
	return resolve_path("canonicalize_file_name", path, NULL);
}
