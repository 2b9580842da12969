/* SPDX-License-Identifier: MIT */
/*
 * vfork.c: vfork as the kernel gives it, where efsap can afford it.
 *
 * A vfork child shares its parent's memory, and with it efsap's state:
 * its chdir, close_range, setuid or umask would be the parent's (Python's
 * subprocess and dash do such things between vfork and exec).  A fork
 * gives the child its own copy, but copying the page tables and taking
 * the copy-on-write faults afterwards is what makes a shell's loop slow
 * (tests/bench/start.sh).  So the parent takes a real vfork when it can
 * put its state back afterwards, and a fork otherwise:
 *
 *  - it is single-threaded (/proc/self/task has 2 + threads links: other
 *    threads would run, and change the state, beside the child) and is
 *    not inside a wrapper (a signal handler that interrupted one);
 *  - it blocks its signals, so that no handler sees the child's state or
 *    changes what was saved, and each module saves what a child's
 *    wrappers may change (vfork.h);
 *  - the child restores the program's signal mask at once and runs;
 *  - when the kernel resumes the parent (the child has exec'd or exited,
 *    or died), the parent puts everything back, releases the store locks
 *    a child killed inside a wrapper left held (they carry this thread's
 *    ids, which the child shared), unmaps what a child's exec left mapped,
 *    and unblocks its signals.
 *
 * A program that reads what its child wrote to memory sees it, as
 * without efsap; the child's descriptors, working directory and identity
 * are its own.  Only x86_64 has the stub (the child returns from it on
 * the stack the parent returns on, so it keeps the return address in a
 * register, as glibc's own does); elsewhere, and under AddressSanitizer,
 * vfork is a fork.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "real.h"
#include "state.h"
#include "thread.h"
#include "vfork.h"

#define NMAPS	4

/* The stub: x86_64, and not under AddressSanitizer */
#if defined(__x86_64__) && !EFS_ASAN
#define EFS_REAL_VFORK	1
#else
#define EFS_REAL_VFORK	0
#endif
#define STR_(x)	#x
#define STR(x)	STR_(x)

/* A real vfork's child may be running: the parent is suspended, so what runs is the child. */
int efs_vfork_child;

static struct {
	sigset_t mask;			/* the program's signal mask */
	struct efs_thread th;		/* this thread's arena and depth */
	int guard;
	unsigned exec_depth;		/* efs_th.depth at the child's exec, or 0 */
	struct {
		void *p;
		size_t len;
	} maps[NMAPS];			/* what the child's wrappers mapped and did not unmap */
} vf;

void
efs_vfork_mapped(void *p, size_t len)
{
	int i;

	if (!efs_vfork_child)
		return;
	for (i = 0; i < NMAPS; i++)
		if (vf.maps[i].p == NULL) {
			vf.maps[i].p = p;
			vf.maps[i].len = len;
			return;
		}
}

void
efs_vfork_unmapped(void *p)
{
	int i;

	if (!efs_vfork_child)
		return;
	for (i = 0; i < NMAPS; i++)
		if (vf.maps[i].p == p)
			vf.maps[i].p = NULL;
}

void
efs_vfork_atfork_child(void)
{
	efs_vfork_child = 0;
}

void
efs_vfork_exec_note(void)
{
	if (efs_vfork_child)
		vf.exec_depth = efs_th.depth;
}

#if EFS_REAL_VFORK
static int
single_threaded(void)
{
	struct stat st;

	return real.syscall(SYS_newfstatat, AT_FDCWD, "/proc/self/task", &st, 0) == 0 &&
	    st.st_nlink == 3;
}

/*
 * Before the vfork: 0 to take a real one (state saved, signals blocked
 * unless the library is idle), 1 to fork instead.
 */
static int
vfork_begin(void)
{
	sigset_t all;

	if (efs_guard || efs_th.depth != 0 || efs_vfork_child)
		return 1;
	if (!__atomic_load_n(&efs.inited, __ATOMIC_ACQUIRE))
		efs_init();		/* a child must not set up the parent's state */
	if (!efs.ready)
		return 0;		/* wrappers pass through: nothing to save */
	if (!single_threaded() || efs_thread_block() == NULL)
		return 1;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &vf.mask);
	if (efs_state_vsave() != 0) {
		pthread_sigmask(SIG_SETMASK, &vf.mask, NULL);
		return 1;
	}
	efs_store_vsave();
	efs_resolve_vsave();
	efs_dir_vsave();
	efs_walk_vsave();
	vf.th = efs_th;
	vf.guard = efs_guard;
	vf.exec_depth = 0;
	memset(vf.maps, 0, sizeof vf.maps);
	__atomic_store_n(&efs_vfork_child, 1, __ATOMIC_RELAXED);
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	return 0;
}

int efs_vfork_begin(void) EFS_HIDDEN;
int
efs_vfork_begin(void)
{
	int saved = errno, rc = vfork_begin();

	errno = saved;
	return rc;
}

/* In the child, first thing: the program's signal mask. */
void efs_vfork_child_start(void) EFS_HIDDEN;
void
efs_vfork_child_start(void)
{
	if (efs_vfork_child)
		pthread_sigmask(SIG_SETMASK, &vf.mask, NULL);
}

/* In the parent, the child gone: r is the system call's result (pid or -errno). */
pid_t efs_vfork_end(long r) EFS_HIDDEN;
pid_t
efs_vfork_end(long r)
{
	int i, inside, saved = errno;

	if (efs_vfork_child) {
		/* a child that ended inside a wrapper (killed, or _exit from a
		 * handler) other than at its exec may have left things half done */
		inside = (efs_th.depth != vf.th.depth &&
		    (vf.exec_depth == 0 || efs_th.depth != vf.exec_depth)) ||
		    efs_store_locks_held();
		for (i = 0; i < NMAPS; i++)
			if (vf.maps[i].p != NULL)
				munmap(vf.maps[i].p, vf.maps[i].len);
		efs_walk_vrestore();
		efs_dir_vrestore();
		efs_resolve_vrestore(inside);
		efs_store_vrestore();
		efs_state_vrestore(inside);
		efs_th.top = vf.th.top;
		efs_th.depth = vf.th.depth;
		efs_guard = vf.guard;
		__atomic_signal_fence(__ATOMIC_SEQ_CST);
		__atomic_store_n(&efs_vfork_child, 0, __ATOMIC_RELAXED);
		pthread_sigmask(SIG_SETMASK, &vf.mask, NULL);
	}
	errno = r < 0 ? (int)-r : saved;
	return r < 0 ? -1 : (pid_t)r;
}

pid_t efs_vfork_fork(void) EFS_HIDDEN;
pid_t
efs_vfork_fork(void)
{
	return fork();
}

/*
 * The stub.  The child returns first, through the parent's stack frame
 * (it may overwrite the return address the caller pushed), so the
 * return address lives in %rdi across the system call and is pushed back
 * by each.  Stack alignment: the entry's %rsp is 8 off a 16-byte
 * boundary, as at the calls below after sub $8.
 */
__asm__(
	"	.text\n"
	"	.globl	vfork\n"
	"	.type	vfork, @function\n"
	"	.globl	__vfork\n"
	"	.type	__vfork, @function\n"
	"vfork:\n"
	"__vfork:\n"
	"	sub	$8, %rsp\n"
	"	call	efs_vfork_begin\n"
	"	add	$8, %rsp\n"
	"	test	%eax, %eax\n"
	"	jnz	efs_vfork_fork\n"
	"	pop	%rdi\n"
	"	mov	$" STR(SYS_vfork) ", %eax\n"
	"	syscall\n"
	"	push	%rdi\n"
	"	test	%rax, %rax\n"
	"	jz	1f\n"
	"	mov	%rax, %rdi\n"
	"	sub	$8, %rsp\n"
	"	call	efs_vfork_end\n"
	"	add	$8, %rsp\n"
	"	ret\n"
	"1:	sub	$8, %rsp\n"
	"	call	efs_vfork_child_start\n"
	"	add	$8, %rsp\n"
	"	xor	%eax, %eax\n"
	"	ret\n"
	"	.size	vfork, .-vfork\n"
	"	.size	__vfork, .-__vfork\n"
);
#else
EFS_EXPORT pid_t
vfork(void)
{
	return fork();
}

EFS_EXPORT pid_t
__vfork(void)
{
	return fork();
}
#endif
