/* SPDX-License-Identifier: MIT */
/*
 * ustr.c: the pure part of uaccess.h: the walk over the pages a string
 * the program passed touches, and which memory calls may make a readable
 * page unreadable.  No system calls here; the unit tests drive it with
 * tables.
 */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include "uaccess.h"

int
efs_ustr_walk(const char *s, size_t max, int (*page_ok)(uintptr_t page, void *arg), void *arg)
{
	uintptr_t a = (uintptr_t)s;
	size_t seen = 0;

	while (seen < max) {
		uintptr_t page = a & ~(uintptr_t)(EFS_UPAGE - 1);
		size_t n = (size_t)(page + EFS_UPAGE - a);

		if (!page_ok(page, arg))
			return -EFAULT;
		if (n > max - seen)
			n = max - seen;
		/* memchr reads aligned words: none crosses out of this page */
		if (memchr((const void *)a, '\0', n) != NULL)
			return 0;
		seen += n;
		a = page + EFS_UPAGE;
		if (a == 0)		/* the last page of the address space */
			return -EFAULT;
	}
	return -ENAMETOOLONG;
}

int
efs_mem_may_revoke(enum efs_memop op, long arg)
{
	switch (op) {
	case EFS_MEM_MUNMAP:
	case EFS_MEM_MREMAP:
	case EFS_MEM_SHMDT:
	case EFS_MEM_PKEY_MPROTECT:	/* the key's rights may deny reading */
		return 1;
	case EFS_MEM_MPROTECT:
		return !(arg & PROT_READ);
	case EFS_MEM_MMAP:		/* replaces what was there; a new range was unmapped */
#ifdef MAP_FIXED_NOREPLACE
		if (arg & MAP_FIXED_NOREPLACE)
			return 0;
#endif
		return (arg & MAP_FIXED) != 0;
	case EFS_MEM_PKEY_SET:		/* rights of 0 allow everything */
		return arg != 0;
	case EFS_MEM_MADVISE:
		switch (arg) {
		case 0: case 1: case 2: case 3:	/* NORMAL RANDOM SEQUENTIAL WILLNEED */
		case 4:			/* DONTNEED: reads find zeros or the file again */
		case 8: case 9:		/* FREE, REMOVE: zeros */
		case 10: case 11:	/* DONTFORK, DOFORK: a fork child forgets anyway */
		case 12: case 13: case 14: case 15: case 16: case 17: case 18: case 19:
		case 20: case 21: case 22: case 23: case 24: case 25:
		case 103:		/* GUARD_REMOVE makes pages readable */
			return 0;
		}
		return 1;		/* GUARD_INSTALL (102), HWPOISON (100), unknown */
	}
	return 1;
}
