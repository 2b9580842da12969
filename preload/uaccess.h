/* SPDX-License-Identifier: MIT */
/*
 * uaccess.h: may efsap read the program's memory?  The one place every
 * string or buffer a wrapper is given passes through before efsap reads
 * it, so that a bad pointer gives EFAULT, as the kernel's copy from user
 * memory does, and never a crash of the host program.
 *
 * A page (4 KiB: readability is uniform over every real page size, which
 * is a multiple of it) is proven readable by a system call that reads it
 * and reports EFAULT instead of faulting (uaccess.c says which and why),
 * and remembered in a small per-thread cache in the thread block
 * (thread.h), so that a call outside every mount costs a few loads and
 * the scan for the terminating NUL.  The cache is forgotten whenever the
 * program may have made a readable page unreadable: munmap, mremap,
 * mprotect without PROT_READ, pkey_mprotect, pkey_set, mmap with
 * MAP_FIXED, shmdt, madvise with an advice that can (MADV_GUARD_INSTALL,
 * MADV_HWPOISON...), a lower program break, and in a fork child (which
 * lacks MADV_DONTFORK ranges).  Each bumps one global epoch (wrap_mem.c).
 */
#ifndef EFSAP_UACCESS_H
#define EFSAP_UACCESS_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "efsap.h"
#include "thread.h"

#define EFS_UPAGE	4096u
#define EFS_UCACHE_SLOTS 32
/* The cache's bytes at the end of the thread block's cache area (thread.h). */
#define EFS_UCACHE_BYTES 512

/*
 * The per-thread cache, at the end of the thread block's cache area: it
 * holds for one value of efs_uepoch (epoch = efs_uepoch + 1; 0 is never
 * current) and while the program break stays at brk.
 */
struct efs_ucache {
	unsigned long epoch;
	uintptr_t brk;
	uintptr_t page[EFS_UCACHE_SLOTS];	/* proven pages; 0: none */
};

#define EFS_UCACHE(block)	((struct efs_ucache *)(void *)((block) + EFS_CACHE_BYTES - \
				    EFS_UCACHE_BYTES))

extern unsigned long efs_uepoch EFS_HIDDEN;	/* atomic: bumped by efs_umem_changed */
/* glibc's, updated by its brk() and sbrk(); weak: absent on other libcs */
extern void *__curbrk __attribute__((weak));

int efs_ustr_slow(const char *s, size_t max) EFS_HIDDEN;

/*
 * A NUL-terminated string the program passed, read by efsap for at most
 * max bytes (PATH_MAX for paths, counting the NUL, as the kernel's
 * getname): 0 when it is readable up to its NUL within max bytes,
 * -EFAULT when a byte before that is not readable, -ENAMETOOLONG when max
 * bytes are readable and hold no NUL (nothing past them is read).  errno
 * is left alone.  Safe in a signal handler and in a vfork child.
 *
 * The hot path, inline: a string that ends in a page this thread proved
 * readable in the current epoch costs a few loads and the scan for its NUL.
 */
static inline int
efs_ustr(const char *s, size_t max)
{
	uintptr_t a = (uintptr_t)s, page = a & ~(uintptr_t)(EFS_UPAGE - 1);
	const struct efs_ucache *uc;
	size_t n;

	if (efs_th.block == NULL || a < 65536)
		return efs_ustr_slow(s, max);
	uc = EFS_UCACHE(efs_th.block);
	if (__atomic_load_n(&uc->page[(page / EFS_UPAGE) % EFS_UCACHE_SLOTS], __ATOMIC_RELAXED) !=
	    page || __atomic_load_n(&uc->epoch, __ATOMIC_RELAXED) !=
	    __atomic_load_n(&efs_uepoch, __ATOMIC_ACQUIRE) + 1 ||
	    (&__curbrk != NULL && (uintptr_t)__curbrk != uc->brk))
		return efs_ustr_slow(s, max);
	n = (size_t)(page + EFS_UPAGE - a);
	if (n > max)
		n = max;
	/* memchr reads aligned words: none crosses out of this page */
	if (memchr(s, '\0', n) != NULL)
		return 0;
	return efs_ustr_slow(s, max);
}

/* A path efsap may read whole (EFS_PATH_MAX bytes at most, with its NUL)?  1 or 0. */
static inline int
efs_upath(const char *path)
{
	return efs_ustr(path, EFS_PATH_MAX) == 0;
}

/* n bytes at p the program passed (a structure efsap reads): 0 or -EFAULT. */
int efs_uread(const void *p, size_t n) EFS_HIDDEN;

/*
 * n bytes at p that efsap is about to write for the program (an output
 * buffer the kernel would have filled): 0 or -EFAULT.  Each page is
 * proven by a system call that writes one byte of the range (getrandom),
 * so the caller must then write all n bytes.  Not cached: outputs that
 * efsap writes itself are off the hot path.
 */
int efs_uwrite(void *p, size_t n) EFS_HIDDEN;

/* The program may have made readable memory unreadable: forget every proof. */
void efs_umem_changed(void) EFS_HIDDEN;

/*
 * The walk over the pages of a string, apart from how a page is proven
 * (pure, for the unit tests): page_ok(page, arg) says whether the 4 KiB
 * page at address page may be read.  Results as efs_ustr.
 */
int efs_ustr_walk(const char *s, size_t max, int (*page_ok)(uintptr_t page, void *arg),
    void *arg) EFS_HIDDEN;

/* The memory calls that efsap watches (wrap_mem.c). */
enum efs_memop {
	EFS_MEM_MUNMAP,
	EFS_MEM_MREMAP,
	EFS_MEM_MPROTECT,		/* arg: prot */
	EFS_MEM_PKEY_MPROTECT,		/* arg: prot */
	EFS_MEM_PKEY_SET,		/* arg: rights */
	EFS_MEM_MMAP,			/* arg: flags */
	EFS_MEM_SHMDT,
	EFS_MEM_MADVISE			/* arg: advice */
};

/* Pure: may this call, when it succeeds, leave a page unreadable that was readable? 1 or 0. */
int efs_mem_may_revoke(enum efs_memop op, long arg) EFS_HIDDEN;

#endif
