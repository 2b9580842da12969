/* SPDX-License-Identifier: MIT */
/*
 * wrap_syscall.c: libc's syscall().  Programs that call the kernel through
 * it (libuv, hence Node.js and npm, asks for statx this way) would pass
 * every wrapper by.  Each system call number that efsap wraps as a libc
 * function goes through that same wrapper, converted where the raw call
 * answers differently (getcwd returns a length); every other number
 * passes through untouched.  syscall() and the libc functions share one
 * convention: -1 and errno on failure.
 *
 * openat2 has no libc function: with no RESOLVE_* flags it is openat; with
 * some, under a mount, it answers ENOSYS, as a kernel before 5.6 would,
 * and the programs that ask (runc, systemd) fall back to openat.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/openat2.h>
#include <stdarg.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/xattr.h>
#include <unistd.h>
#include <utime.h>

#include "real.h"
#include "resolve.h"
#include "state.h"
#include "uaccess.h"

/*
 * The kernel's struct stat and struct statfs are glibc's on the 64-bit
 * targets; a 32-bit kernel's older layouts are left to the kernel.
 */
#if UINTPTR_MAX > 0xffffffffu
#define ROUTE_STAT 1
#else
#define ROUTE_STAT 0
#endif

#define P(x)	((void *)(x))
#define S(x)	((const char *)(x))
#define I(x)	((int)(x))
#define U(x)	((unsigned int)(x))

/* efsap's capget and capset (wrap_caps.c): glibc declares neither. */
int capget(void *hdrp, void *datap);
int capset(void *hdrp, const void *datap);

/* openat2(2): routed when it asks nothing openat cannot do. */
static long
route_openat2(long dirfd, long path, long howp, long size)
{
	struct open_how how;

	if ((size_t)size < sizeof how || efs_uread(P(howp), sizeof how) != 0)
		return real.syscall(SYS_openat2, dirfd, path, howp, size);
	memcpy(&how, P(howp), sizeof how);
	if (how.resolve == 0 && (size_t)size == sizeof how && (how.flags >> 32) == 0)
		return openat(I(dirfd), S(path), (int)how.flags, (mode_t)how.mode);
	if (how.resolve != 0 && efs_may_map(I(dirfd), S(path))) {
		errno = ENOSYS;
		return -1;
	}
	return real.syscall(SYS_openat2, dirfd, path, howp, size);
}

/* getcwd(2) answers the length, with its NUL. */
static long
route_getcwd(long buf, long size)
{
	if (getcwd(P(buf), (size_t)size) == NULL)
		return -1;
	return (long)strlen(P(buf)) + 1;
}

/* One routed call: 1 with *rc set, or 0 when nr is not efsap's. */
static int
route(long nr, long a, long b, long c, long d, long e, long f, long *rc)
{
	switch (nr) {
	/* namespace and metadata */
#ifdef SYS_open
	case SYS_open: *rc = open(S(a), I(b), (mode_t)c); return 1;
#endif
#ifdef SYS_creat
	case SYS_creat: *rc = creat(S(a), (mode_t)b); return 1;
#endif
	case SYS_openat: *rc = openat(I(a), S(b), I(c), (mode_t)d); return 1;
	case SYS_openat2: *rc = route_openat2(a, b, c, d); return 1;
#if ROUTE_STAT
#ifdef SYS_stat
	case SYS_stat: *rc = stat(S(a), P(b)); return 1;
#endif
#ifdef SYS_lstat
	case SYS_lstat: *rc = lstat(S(a), P(b)); return 1;
#endif
	case SYS_fstat: *rc = fstat(I(a), P(b)); return 1;
#ifdef SYS_newfstatat
	case SYS_newfstatat: *rc = fstatat(I(a), S(b), P(c), I(d)); return 1;
#endif
#endif
	case SYS_statx: *rc = statx(I(a), S(b), I(c), U(d), P(e)); return 1;
#ifdef SYS_access
	case SYS_access: *rc = access(S(a), I(b)); return 1;
#endif
	case SYS_faccessat: *rc = faccessat(I(a), S(b), I(c), 0); return 1;
#ifdef SYS_faccessat2
	case SYS_faccessat2: *rc = faccessat(I(a), S(b), I(c), I(d)); return 1;
#endif
#ifdef SYS_mkdir
	case SYS_mkdir: *rc = mkdir(S(a), (mode_t)b); return 1;
#endif
	case SYS_mkdirat: *rc = mkdirat(I(a), S(b), (mode_t)c); return 1;
#ifdef SYS_mknod
	case SYS_mknod: *rc = mknod(S(a), (mode_t)b, (dev_t)c); return 1;
#endif
	case SYS_mknodat: *rc = mknodat(I(a), S(b), (mode_t)c, (dev_t)d); return 1;
#ifdef SYS_unlink
	case SYS_unlink: *rc = unlink(S(a)); return 1;
#endif
	case SYS_unlinkat: *rc = unlinkat(I(a), S(b), I(c)); return 1;
#ifdef SYS_rmdir
	case SYS_rmdir: *rc = rmdir(S(a)); return 1;
#endif
#ifdef SYS_rename
	case SYS_rename: *rc = rename(S(a), S(b)); return 1;
#endif
#ifdef SYS_renameat
	case SYS_renameat: *rc = renameat(I(a), S(b), I(c), S(d)); return 1;
#endif
	case SYS_renameat2: *rc = renameat2(I(a), S(b), I(c), S(d), U(e)); return 1;
#ifdef SYS_link
	case SYS_link: *rc = link(S(a), S(b)); return 1;
#endif
	case SYS_linkat: *rc = linkat(I(a), S(b), I(c), S(d), I(e)); return 1;
#ifdef SYS_symlink
	case SYS_symlink: *rc = symlink(S(a), S(b)); return 1;
#endif
	case SYS_symlinkat: *rc = symlinkat(S(a), I(b), S(c)); return 1;
#ifdef SYS_readlink
	case SYS_readlink: *rc = readlink(S(a), P(b), (size_t)c); return 1;
#endif
	case SYS_readlinkat: *rc = readlinkat(I(a), S(b), P(c), (size_t)d); return 1;
#ifdef SYS_chmod
	case SYS_chmod: *rc = chmod(S(a), (mode_t)b); return 1;
#endif
	case SYS_fchmod: *rc = fchmod(I(a), (mode_t)b); return 1;
	case SYS_fchmodat: *rc = fchmodat(I(a), S(b), (mode_t)c, 0); return 1;
#ifdef SYS_fchmodat2
	case SYS_fchmodat2: *rc = fchmodat(I(a), S(b), (mode_t)c, I(d)); return 1;
#endif
#ifdef SYS_chown
	case SYS_chown: *rc = chown(S(a), (uid_t)b, (gid_t)c); return 1;
#endif
#ifdef SYS_lchown
	case SYS_lchown: *rc = lchown(S(a), (uid_t)b, (gid_t)c); return 1;
#endif
	case SYS_fchown: *rc = fchown(I(a), (uid_t)b, (gid_t)c); return 1;
	case SYS_fchownat: *rc = fchownat(I(a), S(b), (uid_t)c, (gid_t)d, I(e)); return 1;
	case SYS_truncate: *rc = truncate(S(a), (off_t)b); return 1;
	case SYS_ftruncate: *rc = ftruncate(I(a), (off_t)b); return 1;
	case SYS_utimensat: *rc = utimensat(I(a), S(b), P(c), I(d)); return 1;
#ifdef SYS_utime
	case SYS_utime: *rc = utime(S(a), P(b)); return 1;
#endif
#ifdef SYS_utimes
	case SYS_utimes: *rc = utimes(S(a), P(b)); return 1;
#endif
#ifdef SYS_futimesat
	case SYS_futimesat: *rc = futimesat(I(a), S(b), P(c)); return 1;
#endif
#if ROUTE_STAT
	case SYS_statfs: *rc = statfs(S(a), P(b)); return 1;
	case SYS_fstatfs: *rc = fstatfs(I(a), P(b)); return 1;
#endif
	case SYS_getxattr: *rc = getxattr(S(a), S(b), P(c), (size_t)d); return 1;
	case SYS_lgetxattr: *rc = lgetxattr(S(a), S(b), P(c), (size_t)d); return 1;
	case SYS_fgetxattr: *rc = fgetxattr(I(a), S(b), P(c), (size_t)d); return 1;
	case SYS_setxattr: *rc = setxattr(S(a), S(b), P(c), (size_t)d, I(e)); return 1;
	case SYS_lsetxattr: *rc = lsetxattr(S(a), S(b), P(c), (size_t)d, I(e)); return 1;
	case SYS_fsetxattr: *rc = fsetxattr(I(a), S(b), P(c), (size_t)d, I(e)); return 1;
	case SYS_listxattr: *rc = listxattr(S(a), P(b), (size_t)c); return 1;
	case SYS_llistxattr: *rc = llistxattr(S(a), P(b), (size_t)c); return 1;
	case SYS_flistxattr: *rc = flistxattr(I(a), P(b), (size_t)c); return 1;
	case SYS_removexattr: *rc = removexattr(S(a), S(b)); return 1;
	case SYS_lremovexattr: *rc = lremovexattr(S(a), S(b)); return 1;
	case SYS_fremovexattr: *rc = fremovexattr(I(a), S(b)); return 1;
	/* the working directory, descriptors, sockets */
	case SYS_chdir: *rc = chdir(S(a)); return 1;
	case SYS_fchdir: *rc = fchdir(I(a)); return 1;
	case SYS_getcwd: *rc = route_getcwd(a, b); return 1;
	case SYS_close: *rc = close(I(a)); return 1;
#ifdef SYS_close_range
	case SYS_close_range: *rc = close_range(U(a), U(b), I(c)); return 1;
#endif
	case SYS_dup: *rc = dup(I(a)); return 1;
#ifdef SYS_dup2
	case SYS_dup2: *rc = dup2(I(a), I(b)); return 1;
#endif
	case SYS_dup3: *rc = dup3(I(a), I(b), I(c)); return 1;
	case SYS_fcntl: *rc = fcntl(I(a), I(b), c); return 1;
	case SYS_bind: *rc = bind(I(a), P(b), (socklen_t)c); return 1;
	case SYS_connect: *rc = connect(I(a), P(b), (socklen_t)c); return 1;
	case SYS_sendto: *rc = sendto(I(a), P(b), (size_t)c, I(d), P(e), (socklen_t)f); return 1;
	case SYS_sendmsg: *rc = sendmsg(I(a), P(b), I(c)); return 1;
	case SYS_getsockname: *rc = getsockname(I(a), P(b), P(c)); return 1;
	case SYS_getpeername: *rc = getpeername(I(a), P(b), P(c)); return 1;
	case SYS_execve: *rc = execve(S(a), P(b), P(c)); return 1;
	case SYS_execveat: *rc = execveat(I(a), S(b), P(c), P(d), I(e)); return 1;
	case SYS_umask: *rc = umask((mode_t)a); return 1;
	/* the caller identity */
	case SYS_getuid: *rc = getuid(); return 1;
	case SYS_geteuid: *rc = geteuid(); return 1;
	case SYS_getgid: *rc = getgid(); return 1;
	case SYS_getegid: *rc = getegid(); return 1;
	case SYS_getresuid: *rc = getresuid(P(a), P(b), P(c)); return 1;
	case SYS_getresgid: *rc = getresgid(P(a), P(b), P(c)); return 1;
	case SYS_getgroups: *rc = getgroups(I(a), P(b)); return 1;
	case SYS_setuid: *rc = setuid((uid_t)a); return 1;
	case SYS_setgid: *rc = setgid((gid_t)a); return 1;
	case SYS_setreuid: *rc = setreuid((uid_t)a, (uid_t)b); return 1;
	case SYS_setregid: *rc = setregid((gid_t)a, (gid_t)b); return 1;
	case SYS_setresuid: *rc = setresuid((uid_t)a, (uid_t)b, (uid_t)c); return 1;
	case SYS_setresgid: *rc = setresgid((gid_t)a, (gid_t)b, (gid_t)c); return 1;
	case SYS_setgroups: *rc = setgroups((size_t)a, P(b)); return 1;
	case SYS_setfsuid: *rc = setfsuid((uid_t)a); return 1;
	case SYS_setfsgid: *rc = setfsgid((gid_t)a); return 1;
	/* its capabilities */
	case SYS_capget: *rc = capget(P(a), P(b)); return 1;
	case SYS_capset: *rc = capset(P(a), P(b)); return 1;
	case SYS_prctl: *rc = prctl(I(a), (unsigned long)b, (unsigned long)c, (unsigned long)d,
	    (unsigned long)e); return 1;
	/* what can make a page unreadable (uaccess.c) */
	case SYS_munmap: *rc = munmap(P(a), (size_t)b); return 1;
	case SYS_mprotect: *rc = mprotect(P(a), (size_t)b, I(c)); return 1;
	default:
		return 0;
	}
}

EFS_EXPORT long
syscall(long nr, ...)
{
	va_list ap;
	long a, b, c, d, e, f, rc;

	va_start(ap, nr);
	a = va_arg(ap, long);
	b = va_arg(ap, long);
	c = va_arg(ap, long);
	d = va_arg(ap, long);
	e = va_arg(ap, long);
	f = va_arg(ap, long);
	va_end(ap);
	if (real.syscall == NULL)
		efs_real_bind();
	/* efsap's own calls use real.syscall; a library switched off passes all */
	if (efs_active() && route(nr, a, b, c, d, e, f, &rc))
		return rc;
	return real.syscall(nr, a, b, c, d, e, f);
}
