/* SPDX-License-Identifier: MIT */
/*
 * thread.h: per-thread memory, mapped on a thread's first use and released
 * when it exits: the resolver's caches, and a scratch arena that takes
 * every large buffer a wrapper needs, so that wrappers run on a program's
 * small stacks (a PTHREAD_STACK_MIN thread, a SIGSTKSZ signal stack).
 * Static TLS stays a few words, so that small thread stacks (which glibc
 * carves the static TLS out of) still fit: Node.js starts threads with
 * 32 KiB stacks.
 *
 * The arena is a bump allocator used strictly last-in first-out: a wrapper
 * takes a mark on entry and releases back to it on leaving.  A signal
 * handler that calls a wrapper allocates above whatever the interrupted
 * code holds and releases back before it returns, so the interrupted code
 * finds the arena as it left it.
 */
#ifndef EFSAP_THREAD_H
#define EFSAP_THREAD_H

#include <stddef.h>

#include "efsap.h"

#define EFS_CACHE_BYTES		(32 * 1024)	/* caches, at the start of a block: the
						   resolver's, then uaccess.c's page cache
						   in its last EFS_UCACHE_BYTES */
#define EFS_SCRATCH_BYTES	(224 * 1024)	/* the arena, after them */
#define EFS_THREAD_BYTES	(EFS_CACHE_BYTES + EFS_SCRATCH_BYTES)

/*
 * Each thread's own: only that thread and its signal handlers touch it,
 * and a handler leaves it as it found it.
 */
struct efs_thread {
	char *block;			/* the mapping, or NULL before first use: published
					   by CAS (efs_thread_map) */
	size_t top;			/* bytes of the arena in use: relaxed loads and stores,
					   signal fences around them (efs_scratch_*) */
	unsigned depth;			/* wrappers active on this thread: efs_enter/efs_exit,
					   efs_call_suspend/efs_call_resume */
};

extern __thread struct efs_thread efs_th EFS_HIDDEN __attribute__((tls_model("initial-exec")));

/*
 * This thread's block, EFS_THREAD_BYTES of zeroed address space on first
 * use (pages cost memory only once touched), or NULL when it cannot be
 * had.  Safe in a signal handler: allocation is one mmap, published by CAS.
 */
char *efs_thread_map(void) EFS_HIDDEN;

/* The resolver's caches (EFS_CACHE_BYTES), or NULL: then callers work without them. */
static inline void *
efs_thread_block(void)
{
	return efs_th.block != NULL ? efs_th.block : efs_thread_map();
}

/* Start-up: arrange for blocks to be released at thread exit. */
void efs_thread_init(void) EFS_HIDDEN;

/* Where the arena stands now: give it to efs_scratch_release. */
static inline size_t
efs_scratch_mark(void)
{
	return __atomic_load_n(&efs_th.top, __ATOMIC_RELAXED);
}

/*
 * n bytes (aligned to 16) of this thread's arena, valid until the mark
 * taken before is released; NULL when the arena is exhausted or cannot be
 * mapped (the caller fails with -ENOMEM).  A signal handler interrupting
 * between the load and the store of top allocates from the same place and
 * releases back to it before this code runs on: nothing is lost.
 */
static inline void *
efs_scratch_alloc(size_t n)
{
	char *b = efs_th.block;
	size_t top;

	if (b == NULL && (b = efs_thread_map()) == NULL)
		return NULL;
	top = __atomic_load_n(&efs_th.top, __ATOMIC_RELAXED);
	n = (n + 15) & ~(size_t)15;
	if (n > EFS_SCRATCH_BYTES - top)
		return NULL;
	__atomic_store_n(&efs_th.top, top + n, __ATOMIC_RELAXED);
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	return b + EFS_CACHE_BYTES + top;
}

/* Give back everything allocated since mark. */
static inline void
efs_scratch_release(size_t mark)
{
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	__atomic_store_n(&efs_th.top, mark, __ATOMIC_RELAXED);
}

/* A path buffer (EFS_PATH_MAX bytes) from the arena, or NULL. */
static inline char *
efs_scratch_path(void)
{
	return efs_scratch_alloc(EFS_PATH_MAX);
}

/*
 * efs_th.depth belongs to its thread alone (a signal handler on it
 * restores what it changes before it returns); it is written only by
 * efs_enter/efs_exit and by this pair.  A wrapper that calls back into
 * the program (nftw's function, scandir's selector) suspends its call
 * around the callback, which then runs as the code that called the
 * wrapper: its own wrapped calls are outermost again.
 */
static inline void
efs_call_suspend(void)
{
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	efs_th.depth--;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
}

static inline void
efs_call_resume(void)
{
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	efs_th.depth++;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
}

/* Is this the outermost wrapper on its thread (not one a signal handler entered)? */
static inline int
efs_outermost(void)
{
	return efs_th.depth <= 1;
}

#endif
