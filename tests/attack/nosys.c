/* SPDX-License-Identifier: MIT */
/*
 * nosys.c: run a command as on a system without a system call: a seccomp
 * filter answers ENOSYS to it, for this process and everything it starts.
 * No privilege needed (no_new_privs).  Checks that the filter holds
 * before it runs the command.
 *
 *   nosys openat2 COMMAND [ARG...]   a kernel before Linux 5.6
 *   nosys shmget COMMAND [ARG...]    no System V shared memory (efsap's
 *                                    store then locks with byte locks)
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/openat2.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/prctl.h>
#include <sys/shm.h>
#include <sys/syscall.h>
#include <unistd.h>

#if defined(__x86_64__)
#define ARCH	AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define ARCH	AUDIT_ARCH_AARCH64
#elif defined(__i386__)
#define ARCH	AUDIT_ARCH_I386
#endif

/*
 * The system call itself, not libc's syscall(): under efsap that is a
 * wrapper, which answers openat2 without the kernel when it must.
 */
static long
raw4(long nr, long a, long b, long c, long d)
{
#if defined(__x86_64__)
	long ret;
	register long r10 __asm__("r10") = d;

	__asm__ volatile("syscall" : "=a"(ret) : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10)
	    : "rcx", "r11", "memory");
	return ret;
#else
	long ret = syscall(nr, a, b, c, d);

	return ret < 0 ? -errno : ret;
#endif
}

/* Does the call now fail with ENOSYS? */
static int
refused(long nr)
{
	struct open_how how;

	memset(&how, 0, sizeof how);
	how.flags = O_PATH;
	if (nr == SYS_openat2)
		return raw4(SYS_openat2, AT_FDCWD, (long)"/", (long)&how, (long)sizeof how) == -ENOSYS;
	return raw4(SYS_shmget, IPC_PRIVATE, 4096, IPC_CREAT | 0600, 0) == -ENOSYS;
}

int
main(int argc, char **argv)
{
#if defined(ARCH) && defined(SYS_shmget)
	long nr = argc >= 3 && strcmp(argv[1], "openat2") == 0 ? SYS_openat2 :
	    argc >= 3 && strcmp(argv[1], "shmget") == 0 ? SYS_shmget : -1;
	struct sock_filter code[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ARCH, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)nr, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { sizeof code / sizeof code[0], code };

	if (nr < 0) {
		fprintf(stderr, "usage: nosys openat2|shmget COMMAND [ARG...]\n");
		return 2;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) != 0) {
		fprintf(stderr, "nosys: seccomp: %s\n", strerror(errno));
		return 77;
	}
	if (!refused(nr)) {
		fprintf(stderr, "nosys: the filter does not hold\n");
		return 77;
	}
	execvp(argv[2], argv + 2);
	fprintf(stderr, "nosys: %s: %s\n", argv[2], strerror(errno));
	return 127;
#else
	fprintf(stderr, "nosys: no seccomp filter for this architecture\n");
	return 77;
#endif
}
