/* SPDX-License-Identifier: MIT */
/*
 * thread.h: per-thread memory, allocated on a thread's first use and
 * released when it exits.  Static TLS stays a few words, so that a
 * program's small thread stacks (which glibc carves the static TLS out of)
 * still fit: Node.js starts threads with 32 KiB stacks.
 */
#ifndef EFSAP_THREAD_H
#define EFSAP_THREAD_H

#include "efsap.h"

#define EFS_THREAD_BYTES	(32 * 1024)	/* what a thread's block holds at most */

/*
 * This thread's block, EFS_THREAD_BYTES of zeroed memory on first use, or
 * NULL when it cannot be had (then callers work without their caches).
 * Safe in a signal handler: allocation is one mmap, published by CAS.
 */
void *efs_thread_block(void) EFS_HIDDEN;

/* Start-up: arrange for blocks to be released at thread exit. */
void efs_thread_init(void) EFS_HIDDEN;

#endif
