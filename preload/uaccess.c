/* SPDX-License-Identifier: MIT */
/*
 * uaccess.c: prove the program's memory readable before efsap reads it
 * (uaccess.h), without ever faulting.
 *
 * How a page is proven.  efsap may not take a fault: a SIGSEGV handler
 * would be process-wide state of the program's.  So a system call reads
 * the page for efsap, and the kernel, which handles its own faults on
 * user memory, answers EFAULT for an unreadable one:
 *
 *  1. rt_sigprocmask(how = -1, set = page, NULL, sizeof kernel sigset):
 *     the kernel copies the set from user memory before it looks at how
 *     (kernel/signal.c: copy_from_user, then sigprocmask() returns
 *     -EINVAL for an unknown how, changing nothing), so EINVAL means
 *     "readable" and EFAULT "not".  One system call, no descriptor, no
 *     side effect, and a call that no seccomp profile forbids (every
 *     threaded program makes it).  Its copy is an ordinary user access:
 *     it obeys PROT_NONE, guard regions, memory protection keys, and a
 *     file mapping past the end of its file (the fault that would be a
 *     SIGBUS is EFAULT in the kernel).
 *  2. process_vm_readv of one byte from our own pid (a process may always
 *     read itself: ptrace's access check passes for its own thread
 *     group): for kernels or emulators where 1 does not tell (qemu-user
 *     checks how first, so both answers are EINVAL).  It reads through
 *     get_user_pages, which ignores protection keys and wants VM_READ
 *     (a PROT_WRITE-only page, which x86 lets user code read, is EFAULT).
 *  3. Neither works (seccomp answers EPERM or ENOSYS): memory is taken as
 *     readable, as before this module, beyond EFS_BAD_PTR's free test.
 *
 * Which one is decided once, by a self-test on a page known readable (a
 * static byte) and one known unreadable (a fresh PROT_NONE mapping).
 *
 * The cache: EFS_UCACHE_SLOTS page addresses, direct-mapped, in the
 * thread's block; it holds for one value of the global epoch (bumped
 * after each call that may revoke readability, wrap_mem.c) and while the
 * program break does not go down.  Every access is a single aligned word,
 * so a signal handler that interrupts another wrapper may use it too:
 * at worst it clears entries the interrupted call then proves again; an
 * entry added after its proof is withdrawn when the epoch moved meanwhile.
 * A vfork child shares the parent's memory, so its proofs and its bumps
 * hold for both; a fork child starts a new epoch (atfork, state.c).
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "resolve.h"
#include "thread.h"
#include "uaccess.h"

enum { M_UNKNOWN, M_SIGPROCMASK, M_VMREADV, M_NONE };

unsigned long efs_uepoch;
static int method;			/* atomic: M_*, decided once */

_Static_assert(sizeof(struct efs_ucache) <= EFS_UCACHE_BYTES, "the page cache fits its place");

#define KSIGSET_BYTES	((_NSIG - 1) / 8)

/* 1: readable, 0: EFAULT, -1: the method cannot tell (another error). */
static int
probe(int m, uintptr_t page)
{
	long r;

	if (m == M_SIGPROCMASK) {
		r = syscall(SYS_rt_sigprocmask, -1L, (void *)page, NULL, (size_t)KSIGSET_BYTES);
		if (r == -1 && errno == EINVAL)
			return 1;
	} else {
		char byte;
		struct iovec l = { &byte, 1 }, rv = { (void *)page, 1 };

		r = syscall(SYS_process_vm_readv, (long)getpid(), &l, 1L, &rv, 1L, 0L);
		if (r == 1)
			return 1;
	}
	return r == -1 && errno == EFAULT ? 0 : -1;
}

static const char known_readable[EFS_UPAGE] __attribute__((aligned(EFS_UPAGE))) = "efsap";

/* Does method m answer right on a readable and an unreadable page? */
static int
method_works(int m, uintptr_t none)
{
	return probe(m, (uintptr_t)known_readable) == 1 && probe(m, none) == 0;
}

static int
choose(void)
{
	int m = __atomic_load_n(&method, __ATOMIC_RELAXED);
	void *none;

	if (m != M_UNKNOWN)
		return m;
	/* mmap, not syscall(SYS_mmap): i386's SYS_mmap is the old one-argument call */
	none = mmap(NULL, EFS_UPAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (none == MAP_FAILED)
		return M_NONE;		/* try again next time */
	if (method_works(M_SIGPROCMASK, (uintptr_t)none))
		m = M_SIGPROCMASK;
	else if (method_works(M_VMREADV, (uintptr_t)none))
		m = M_VMREADV;
	else
		m = M_NONE;
	(void)syscall(SYS_munmap, none, (size_t)EFS_UPAGE);	/* efsap's own: no epoch */
	__atomic_store_n(&method, m, __ATOMIC_RELAXED);
	return m;
}

void
efs_umem_changed(void)
{
	__atomic_add_fetch(&efs_uepoch, 1, __ATOMIC_RELEASE);
}

/* The walk's state: this thread's cache (or NULL) and the epoch it holds for. */
struct walk {
	struct efs_ucache *uc;
	unsigned long epoch;
};

static int
page_ok(uintptr_t page, void *arg)
{
	struct walk *w = arg;
	unsigned slot = (unsigned)((page / EFS_UPAGE) % EFS_UCACHE_SLOTS);
	int m, ok;

	if (EFS_BAD_PTR(page))		/* page-aligned: every byte of it is bad */
		return 0;
	if (w->uc != NULL && __atomic_load_n(&w->uc->page[slot], __ATOMIC_RELAXED) == page)
		return 1;
	if ((m = choose()) == M_NONE)
		return 1;
	if ((ok = probe(m, page)) < 0)
		return 1;		/* cannot tell: as without a method */
	if (ok && w->uc != NULL) {
		__atomic_store_n(&w->uc->page[slot], page, __ATOMIC_RELAXED);
		__atomic_signal_fence(__ATOMIC_SEQ_CST);
		/* memory changed since the walk began: the proof may be stale already */
		if (__atomic_load_n(&efs_uepoch, __ATOMIC_ACQUIRE) != w->epoch)
			__atomic_store_n(&w->uc->page[slot], 0, __ATOMIC_RELAXED);
	}
	return ok;
}

/* This thread's cache, current for the epoch now (w->epoch), or NULL. */
static void
walk_begin(struct walk *w)
{
	char *b = efs_th.block != NULL ? efs_th.block : efs_thread_map();
	struct efs_ucache *uc;
	uintptr_t brk = &__curbrk != NULL ? (uintptr_t)__curbrk : 0;
	int i;

	w->epoch = __atomic_load_n(&efs_uepoch, __ATOMIC_ACQUIRE);
	w->uc = NULL;
	if (b == NULL)
		return;
	uc = EFS_UCACHE(b);
	if (__atomic_load_n(&uc->epoch, __ATOMIC_RELAXED) != w->epoch + 1 ||
	    brk < __atomic_load_n(&uc->brk, __ATOMIC_RELAXED)) {
		for (i = 0; i < EFS_UCACHE_SLOTS; i++)
			__atomic_store_n(&uc->page[i], 0, __ATOMIC_RELAXED);
		__atomic_signal_fence(__ATOMIC_SEQ_CST);
		__atomic_store_n(&uc->epoch, w->epoch + 1, __ATOMIC_RELAXED);	/* 0: never used */
	}
	__atomic_store_n(&uc->brk, brk, __ATOMIC_RELAXED);
	w->uc = uc;
}

int
efs_ustr_slow(const char *s, size_t max)
{
	struct walk w;
	int e, rc;

	if (EFS_BAD_PTR(s))
		return -EFAULT;
	e = errno;
	walk_begin(&w);
	rc = efs_ustr_walk(s, max, page_ok, &w);
	errno = e;
	return rc;
}

int
efs_uread(const void *p, size_t n)
{
	uintptr_t a = (uintptr_t)p, page;
	struct walk w;
	int e, rc = 0;

	if (n == 0)
		return 0;
	if (EFS_BAD_PTR(p) || a + n - 1 < a)
		return -EFAULT;
	e = errno;
	walk_begin(&w);
	for (page = a & ~(uintptr_t)(EFS_UPAGE - 1); rc == 0; page += EFS_UPAGE) {
		if (!page_ok(page, &w))
			rc = -EFAULT;
		if (page >= ((a + n - 1) & ~(uintptr_t)(EFS_UPAGE - 1)))
			break;
	}
	errno = e;
	return rc;
}

/*
 * Output buffers: getrandom(2) copies its bytes to user memory with the
 * kernel's own fault handling, so it answers EFAULT for memory the
 * program may not write, needs no descriptor, and never blocks with
 * GRND_INSECURE (Linux 5.6) or GRND_NONBLOCK (earlier: EAGAIN only before
 * the pool is ready at boot).  A byte it writes is one the caller then
 * overwrites.  When it cannot tell (seccomp, EAGAIN), the page is taken
 * as writable, as before this module.
 */
#ifndef GRND_INSECURE
#define GRND_INSECURE	0x0004
#endif

static int grnd_flags = GRND_INSECURE;	/* atomic: GRND_NONBLOCK on kernels before 5.6 */

static int
page_writable(char *p)
{
	int f = __atomic_load_n(&grnd_flags, __ATOMIC_RELAXED);
	long r;

	for (;;) {
		r = syscall(SYS_getrandom, p, (size_t)1, (unsigned)f);
		if (r == 1)
			return 1;
		if (r == -1 && errno == EFAULT)
			return 0;
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1 && errno == EINVAL && f == GRND_INSECURE) {
			f = GRND_NONBLOCK;
			__atomic_store_n(&grnd_flags, f, __ATOMIC_RELAXED);
			continue;
		}
		return 1;		/* cannot tell */
	}
}

int
efs_uwrite(void *p, size_t n)
{
	uintptr_t a = (uintptr_t)p, end;
	int e, rc = 0;

	if (n == 0)
		return 0;
	if (EFS_BAD_PTR(p) || a + n - 1 < a)
		return -EFAULT;
	e = errno;
	end = a + n - 1;
	/* one byte in each page of the range: the first, then each page's start */
	for (;;) {
		if (!page_writable((char *)a)) {
			rc = -EFAULT;
			break;
		}
		a = (a & ~(uintptr_t)(EFS_UPAGE - 1)) + EFS_UPAGE;
		if (a == 0 || a > end)
			break;
	}
	errno = e;
	return rc;
}
