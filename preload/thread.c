/* SPDX-License-Identifier: MIT */
/*
 * thread.c: per-thread memory (see thread.h).  A few words of static TLS
 * per thread; the block itself is an anonymous mapping reserved without
 * swap (MAP_NORESERVE), so that taking it needs no malloc (wrappers may
 * run inside malloc's callers, or in a signal handler) and its untouched
 * pages cost nothing, and a pthread key's destructor unmaps it at thread
 * exit.
 */
#include <pthread.h>
#include <sys/mman.h>

#include "resolve.h"
#include "thread.h"

__thread struct efs_thread efs_th __attribute__((tls_model("initial-exec")));
static pthread_key_t key;
static int have_key;

static void
release(void *p)
{
	if (p != NULL) {
		efs_pin_thread_exit(p);
		munmap(p, EFS_THREAD_BYTES);
	}
	efs_th.block = NULL;
	efs_th.top = 0;
}

void
efs_thread_init(void)
{
	have_key = pthread_key_create(&key, release) == 0;
}

char *
efs_thread_map(void)
{
	char *p = __atomic_load_n(&efs_th.block, __ATOMIC_RELAXED), *none = NULL;

	if (p != NULL)
		return p;
	p = mmap(NULL, EFS_THREAD_BYTES, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	/* a signal handler on this thread may have taken one meanwhile: keep the first */
	if (!__atomic_compare_exchange_n(&efs_th.block, &none, p, 0, __ATOMIC_RELAXED,
	    __ATOMIC_RELAXED)) {
		munmap(p, EFS_THREAD_BYTES);
		return none;
	}
	if (have_key)
		(void)pthread_setspecific(key, p);
	return p;
}
