/* SPDX-License-Identifier: MIT */
/*
 * real.c: bind the real libc symbols once with dlsym(RTLD_NEXT), all in
 * one go (as fakeroot does: resolving them one by one misbehaves).
 *
 * Under a C library that lacks one the library itself calls, a stand-in
 * takes its place, so that no call of efsap's own goes through NULL:
 * before glibc 2.33, stat, lstat, fstat, fstatat, mknod and mknodat (and
 * the *64 forms) are not exported (programs call __xstat and the rest,
 * which stand in here); renameat2 and execveat are system calls older
 * than their glibc functions (2.28, 2.34).  The wrappers of the missing
 * names are then simply never called by the programs of that libc.
 */
#include <dlfcn.h>
#include <pthread.h>
#include <sys/syscall.h>

#include "real.h"

struct efs_real real;

static pthread_once_t bind_once = PTHREAD_ONCE_INIT;

/* The version arguments of glibc's __xstat and __xmknod families, per architecture. */
#if defined(__x86_64__)
#define STAT_VER	1
#define MKNOD_VER	0
#elif defined(__i386__)
#define STAT_VER	3
#define MKNOD_VER	1
#elif defined(__aarch64__)
#define STAT_VER	0
#define MKNOD_VER	0
#endif

#ifdef STAT_VER
static int
fb_stat(const char *p, struct stat *st)
{
	return real.__xstat(STAT_VER, p, st);
}

static int
fb_stat64(const char *p, struct stat64 *st)
{
	return real.__xstat64(STAT_VER, p, st);
}

static int
fb_lstat(const char *p, struct stat *st)
{
	return real.__lxstat(STAT_VER, p, st);
}

static int
fb_lstat64(const char *p, struct stat64 *st)
{
	return real.__lxstat64(STAT_VER, p, st);
}

static int
fb_fstat(int fd, struct stat *st)
{
	return real.__fxstat(STAT_VER, fd, st);
}

static int
fb_fstat64(int fd, struct stat64 *st)
{
	return real.__fxstat64(STAT_VER, fd, st);
}

static int
fb_fstatat(int d, const char *p, struct stat *st, int fl)
{
	return real.__fxstatat(STAT_VER, d, p, st, fl);
}

static int
fb_fstatat64(int d, const char *p, struct stat64 *st, int fl)
{
	return real.__fxstatat64(STAT_VER, d, p, st, fl);
}

static int
fb_mknod(const char *p, mode_t m, dev_t dev)
{
	return real.__xmknod(MKNOD_VER, p, m, &dev);
}

static int
fb_mknodat(int d, const char *p, mode_t m, dev_t dev)
{
	return real.__xmknodat(MKNOD_VER, d, p, m, &dev);
}
#endif

static int
fb_renameat2(int od, const char *op, int nd, const char *np, unsigned int flags)
{
	return (int)real.syscall(SYS_renameat2, od, op, nd, np, flags);
}

static int
fb_execveat(int d, const char *p, char *const argv[], char *const envp[], int flags)
{
	return (int)real.syscall(SYS_execveat, d, p, argv, envp, flags);
}

#define STAND_IN(name, fb) do { \
		if (real.name == NULL) \
			real.name = fb; \
	} while (0)
#define STAND_IN_FOR(name, via, fb) do { \
		if (real.name == NULL && real.via != NULL) \
			real.name = fb; \
	} while (0)

static void
bind_all(void)
{
#define REAL(ret, name, args) real.name = (ret (*) args)dlsym(RTLD_NEXT, #name);
#include "real.def"
#undef REAL
#ifdef STAT_VER
	STAND_IN_FOR(stat, __xstat, fb_stat);
	STAND_IN_FOR(stat64, __xstat64, fb_stat64);
	STAND_IN_FOR(lstat, __lxstat, fb_lstat);
	STAND_IN_FOR(lstat64, __lxstat64, fb_lstat64);
	STAND_IN_FOR(fstat, __fxstat, fb_fstat);
	STAND_IN_FOR(fstat64, __fxstat64, fb_fstat64);
	STAND_IN_FOR(fstatat, __fxstatat, fb_fstatat);
	STAND_IN_FOR(fstatat64, __fxstatat64, fb_fstatat64);
	STAND_IN_FOR(mknod, __xmknod, fb_mknod);
	STAND_IN_FOR(mknodat, __xmknodat, fb_mknodat);
#endif
	if (real.syscall != NULL) {
		STAND_IN(renameat2, fb_renameat2);
		STAND_IN(execveat, fb_execveat);
	}
}

void
efs_real_bind(void)
{
	pthread_once(&bind_once, bind_all);
}
