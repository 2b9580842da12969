/* SPDX-License-Identifier: MIT */
/*
 * wrap_fd.c: keep the descriptor table (efs.fdmount) in step with the
 * program's descriptors: a closed descriptor loses its mark, a duplicate
 * takes its source's.  These calls are hot: no system call beyond the real
 * one, no lock, nothing but a table store.
 *
 * The library's own descriptors (the owner store's lock, the log file)
 * live high up in the table; a program that closes them, or duplicates
 * onto them, makes efsap forget them: the lock is reopened when next
 * needed, the log falls back to stderr.
 */
#include <dirent.h>
#include <dlfcn.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

#include "real.h"
#include "state.h"

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC	(1U << 2)
#endif

static inline void
bind_real(void)
{
	if (__builtin_expect(real.close == NULL, 0))
		efs_real_bind();
}

/* Descriptor fd is gone (closed, or replaced by dup2 onto it). */
static inline void
forget(int fd)
{
	if (efs_fd_marked(fd))
		efs_fd_set(fd, -1);
	efs_own_fds_gone((unsigned int)fd, (unsigned int)fd);
}

/* Descriptors first..last (inclusive, unsigned as close_range takes them) are gone. */
static void
forget_range(unsigned int first, unsigned int last)
{
	unsigned int fd;
	int hi;

	efs_own_fds_gone(first, last);
	/* nothing is marked at or above efs.fd_hi */
	hi = __atomic_load_n(&efs.fd_hi, __ATOMIC_RELAXED);
	if (hi == 0)
		return;
	if (last >= (unsigned int)hi)
		last = (unsigned int)hi - 1;
	for (fd = first; fd <= last; fd++)
		if (efs_fd_bits((int)fd) != 0)
			efs_fd_set((int)fd, -1);
}


EFS_EXPORT int
close(int fd)
{
	int rc;

	bind_real();
	rc = real.close(fd);
	/* Linux releases the descriptor even when close reports an error */
	if (rc == 0 || errno != EBADF)
		forget(fd);
	return rc;
}

EFS_EXPORT int
close_range(unsigned int first, unsigned int last, int flags)
{
	int rc;

	bind_real();
	if (real.close_range == NULL) {
		errno = ENOSYS;
		return -1;
	}
	rc = real.close_range(first, last, flags);
	if (rc == 0 && !(flags & CLOSE_RANGE_CLOEXEC))
		forget_range(first, last);
	return rc;
}

EFS_EXPORT void
closefrom(int lowfd)
{
	bind_real();
	real.closefrom(lowfd);
	forget_range(lowfd < 0 ? 0 : (unsigned int)lowfd, ~0U);
}

EFS_EXPORT int
dup(int fd)
{
	int nfd;

	bind_real();
	nfd = real.dup(fd);
	if (nfd >= 0)
		efs_fd_copy(fd, nfd);
	return nfd;
}

EFS_EXPORT int
dup2(int oldfd, int newfd)
{
	int rc;

	bind_real();
	rc = real.dup2(oldfd, newfd);
	if (rc >= 0 && oldfd != newfd) {
		forget(newfd);
		efs_fd_copy(oldfd, newfd);
	}
	return rc;
}

EFS_EXPORT int
dup3(int oldfd, int newfd, int flags)
{
	int rc;

	bind_real();
	rc = real.dup3(oldfd, newfd, flags);
	if (rc >= 0) {
		forget(newfd);
		efs_fd_copy(oldfd, newfd);
	}
	return rc;
}

/* glibc reads the third argument as a pointer for every command; so do we. */
static int
fcntl_common(int (*fn)(int, int, ...), int fd, int cmd, void *arg)
{
	int rc = fn(fd, cmd, arg);

	if (rc >= 0 && (cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC))
		efs_fd_copy(fd, rc);
	return rc;
}

EFS_EXPORT int
fcntl(int fd, int cmd, ...)
{
	va_list ap;
	void *arg;

	va_start(ap, cmd);
	arg = va_arg(ap, void *);
	va_end(ap);
	bind_real();
	return fcntl_common(real.fcntl, fd, cmd, arg);
}

EFS_EXPORT int
fcntl64(int fd, int cmd, ...)
{
	va_list ap;
	void *arg;

	va_start(ap, cmd);
	arg = va_arg(ap, void *);
	va_end(ap);
	bind_real();
	return fcntl_common(real.fcntl64 != NULL ? real.fcntl64 : real.fcntl, fd, cmd, arg);
}

/*
 * closedir and fclose close their descriptor inside libc, past close():
 * forget it here, or a later pipe or socket would inherit the mark.
 * fclose is not in real.def; it is looked up once, lazily.
 */
EFS_EXPORT int
closedir(DIR *d)
{
	int fd, rc;

	bind_real();
	if (efs_null(d))	/* declared nonnull, yet glibc answers NULL with EINVAL */
		return real.closedir(d);
	fd = dirfd(d);
	if (efs_fd_is_anc(fd))
		efs_dir_gone(d);
	rc = real.closedir(d);
	if (fd >= 0)
		forget(fd);
	return rc;
}

static int (*real_fclose)(FILE *);

EFS_EXPORT int
fclose(FILE *fp)
{
	int (*fn)(FILE *) = __atomic_load_n(&real_fclose, __ATOMIC_ACQUIRE);
	int fd = -1, saved = errno, rc;

	if (fn == NULL) {
		fn = (int (*)(FILE *))dlsym(RTLD_NEXT, "fclose");
		__atomic_store_n(&real_fclose, fn, __ATOMIC_RELEASE);
	}
	if (fp != NULL && (fd = fileno(fp)) < 0)
		errno = saved;		/* a stream without a descriptor */
	rc = fn(fp);
	if (efs_fd_marked(fd))
		efs_fd_set(fd, -1);
	return rc;
}

/*
 * The write family: passed straight through; a descriptor watched for
 * set-id clearing (efs_after_write: one byte to test) clears them once.
 * stdio's own writes go through libc internals and are not seen.
 */
/* A write-family entry whose libc lacks the call. */
static ssize_t
no_call(void)
{
	errno = ENOSYS;
	return -1;
}

/* After the real write: the one-byte test, then the real result. */
static inline ssize_t
written(int fd, ssize_t rc)
{
	if (rc > 0)
		efs_after_write(fd);
	return rc;
}

EFS_EXPORT ssize_t
write(int fd, const void *buf, size_t n)
{
	bind_real();
	if (real.write == NULL)
		return no_call();
	return written(fd, real.write(fd, buf, n));
}

EFS_EXPORT ssize_t
pwrite(int fd, const void *buf, size_t n, off_t off)
{
	bind_real();
	if (real.pwrite == NULL)
		return no_call();
	return written(fd, real.pwrite(fd, buf, n, off));
}

#if EFS_LFS64
EFS_EXPORT ssize_t
pwrite64(int fd, const void *buf, size_t n, off64_t off)
{
	bind_real();
	if (real.pwrite64 == NULL)
		return no_call();
	return written(fd, real.pwrite64(fd, buf, n, off));
}
#endif

EFS_EXPORT ssize_t
writev(int fd, const struct iovec *iov, int cnt)
{
	bind_real();
	if (real.writev == NULL)
		return no_call();
	return written(fd, real.writev(fd, iov, cnt));
}

EFS_EXPORT ssize_t
pwritev(int fd, const struct iovec *iov, int cnt, off_t off)
{
	bind_real();
	if (real.pwritev == NULL)
		return no_call();
	return written(fd, real.pwritev(fd, iov, cnt, off));
}

#if EFS_LFS64
EFS_EXPORT ssize_t
pwritev64(int fd, const struct iovec *iov, int cnt, off64_t off)
{
	bind_real();
	if (real.pwritev64 == NULL)
		return no_call();
	return written(fd, real.pwritev64(fd, iov, cnt, off));
}
#endif

EFS_EXPORT ssize_t
pwritev2(int fd, const struct iovec *iov, int cnt, off_t off, int flags)
{
	bind_real();
	if (real.pwritev2 == NULL)
		return no_call();
	return written(fd, real.pwritev2(fd, iov, cnt, off, flags));
}
