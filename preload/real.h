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

struct efs_real {
#define REAL(ret, name, args) ret (*name) args;
#include "real.def"
#undef REAL
};

extern struct efs_real real EFS_HIDDEN;

/* Bind every symbol, once; safe to call from any thread, any number of times. */
void efs_real_bind(void) EFS_HIDDEN;

#endif
