/* SPDX-License-Identifier: MIT */
/*
 * real.h: the real libc functions, bound once (real.def is the list).
 */
#ifndef EFSAP_REAL_H
#define EFSAP_REAL_H

#include <dirent.h>
#include <dlfcn.h>
#include <fcntl.h>
#include <ftw.h>
#include <glob.h>
#include <link.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/types.h>
#include <utime.h>

#include "efsap.h"

#ifndef __GLIBC__
/*
 * What glibc declares and another C library (musl) may not: the kernel's
 * struct statx, the dlmopen namespace type, glibc's dlinfo request and
 * open's mode rule, and the calls efsap wraps (and calls by name) that
 * such a library lacks.  Its programs never use the glibc-only ones.
 */
#ifndef STATX_TYPE
#include <linux/stat.h>
#endif
#ifndef LM_ID_BASE
typedef long Lmid_t;
#define LM_ID_BASE	0
#endif
#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE	1
#define RENAME_EXCHANGE		2
#endif
#ifndef RTLD_DI_ORIGIN
#define RTLD_DI_ORIGIN	6
#endif
#ifndef __OPEN_NEEDS_MODE
#define __OPEN_NEEDS_MODE(f)	(((f) & O_CREAT) != 0 || ((f) & O_TMPFILE) == O_TMPFILE)
#endif
int statx(int, const char *, int, unsigned int, struct statx *);
int renameat2(int, const char *, int, const char *, unsigned int);
int close_range(unsigned int, unsigned int, int);
void closefrom(int);
int execveat(int, const char *, char *const [], char *const [], int);
int dladdr1(const void *, Dl_info *, void **, int);
int pkey_mprotect(void *, size_t, int, int);
int pkey_set(int, unsigned int);
#endif

struct efs_real {
#define REAL(ret, name, args) ret (*name) args;
#include "real.def"
#undef REAL
};

extern struct efs_real real EFS_HIDDEN;

/* Bind every symbol, once; safe to call from any thread, any number of times. */
void efs_real_bind(void) EFS_HIDDEN;

#endif
