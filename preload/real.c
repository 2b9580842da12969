/* SPDX-License-Identifier: MIT */
/*
 * real.c: bind the real libc symbols once with dlsym(RTLD_NEXT), all in
 * one go (as fakeroot does: resolving them one by one misbehaves).
 */
#include <dlfcn.h>
#include <pthread.h>

#include "real.h"

struct efs_real real;

static pthread_once_t bind_once = PTHREAD_ONCE_INIT;

static void
bind_all(void)
{
#define REAL(ret, name, args) real.name = (ret (*) args)dlsym(RTLD_NEXT, #name);
#include "real.def"
#undef REAL
}

void
efs_real_bind(void)
{
	pthread_once(&bind_once, bind_all);
}
