/* SPDX-License-Identifier: MIT */
/*
 * wrap_mem.c: the memory calls that may make a readable page unreadable
 * (munmap, mremap, mprotect, pkey_mprotect, pkey_set, mmap MAP_FIXED,
 * shmdt, madvise): each does the real call, then, when it succeeded and
 * efs_mem_may_revoke says it may have revoked reading, forgets every
 * page uaccess.c proved readable.  The bump comes after the call, so
 * that a proof that began before it is never kept past it.  Nothing else
 * changes: these wrappers hold no lock, take no memory, and work before
 * efsap starts up (they bind the real functions themselves).
 */
#include <errno.h>
#include <stdarg.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "real.h"
#include "uaccess.h"

static void
bound(void *fn)
{
	if (fn == NULL)
		efs_real_bind();
}

static void
after(int ok, enum efs_memop op, long arg)
{
	if (ok && efs_mem_may_revoke(op, arg))
		efs_umem_changed();
}

EFS_EXPORT int
munmap(void *addr, size_t len)
{
	int rc;

	bound(real.munmap);
	rc = real.munmap != NULL ? real.munmap(addr, len) : (int)syscall(SYS_munmap, addr, len);
	after(rc == 0, EFS_MEM_MUNMAP, 0);
	return rc;
}

EFS_EXPORT void *
mremap(void *old, size_t oldlen, size_t newlen, int flags, ...)
{
	void *p, *want = NULL;
	va_list ap;

	if (flags & (MREMAP_FIXED | MREMAP_DONTUNMAP)) {
		va_start(ap, flags);
		want = va_arg(ap, void *);
		va_end(ap);
	}
	bound(real.mremap);
	if (real.mremap == NULL) {
		errno = ENOSYS;
		return MAP_FAILED;
	}
	p = real.mremap(old, oldlen, newlen, flags, want);
	after(p != MAP_FAILED, EFS_MEM_MREMAP, 0);
	return p;
}

EFS_EXPORT int
mprotect(void *addr, size_t len, int prot)
{
	int rc;

	bound(real.mprotect);
	rc = real.mprotect != NULL ? real.mprotect(addr, len, prot) :
	    (int)syscall(SYS_mprotect, addr, len, prot);
	after(rc == 0, EFS_MEM_MPROTECT, prot);
	return rc;
}

EFS_EXPORT int
pkey_mprotect(void *addr, size_t len, int prot, int pkey)
{
	int rc;

	bound(real.pkey_mprotect);
	if (real.pkey_mprotect == NULL) {
		errno = ENOSYS;
		return -1;
	}
	rc = real.pkey_mprotect(addr, len, prot, pkey);
	after(rc == 0, EFS_MEM_PKEY_MPROTECT, prot);
	return rc;
}

EFS_EXPORT int
pkey_set(int key, unsigned int rights)
{
	int rc;

	bound(real.pkey_set);
	if (real.pkey_set == NULL) {
		errno = ENOSYS;
		return -1;
	}
	rc = real.pkey_set(key, rights);
	after(rc == 0, EFS_MEM_PKEY_SET, (long)rights);
	return rc;
}

EFS_EXPORT void *
mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	void *p;

	bound(real.mmap);
	if (real.mmap == NULL) {
		errno = ENOSYS;
		return MAP_FAILED;
	}
	p = real.mmap(addr, len, prot, flags, fd, off);
	after(p != MAP_FAILED, EFS_MEM_MMAP, flags);
	return p;
}

#if EFS_LFS64
EFS_EXPORT void *
mmap64(void *addr, size_t len, int prot, int flags, int fd, off64_t off)
{
	void *p;

	bound(real.mmap64);
	if (real.mmap64 == NULL) {
		errno = ENOSYS;
		return MAP_FAILED;
	}
	p = real.mmap64(addr, len, prot, flags, fd, off);
	after(p != MAP_FAILED, EFS_MEM_MMAP, flags);
	return p;
}
#endif

EFS_EXPORT int
shmdt(const void *addr)
{
	int rc;

	bound(real.shmdt);
	if (real.shmdt == NULL) {
		errno = ENOSYS;
		return -1;
	}
	rc = real.shmdt(addr);
	after(rc == 0, EFS_MEM_SHMDT, 0);
	return rc;
}

EFS_EXPORT int
madvise(void *addr, size_t len, int advice)
{
	int rc;

	bound(real.madvise);
	rc = real.madvise != NULL ? real.madvise(addr, len, advice) :
	    (int)syscall(SYS_madvise, addr, len, advice);
	after(rc == 0, EFS_MEM_MADVISE, advice);
	return rc;
}
