/* SPDX-License-Identifier: MIT */
/*
 * noopenat2.c: run a command as on a kernel without openat2 (before Linux
 * 5.6): a seccomp filter answers ENOSYS to openat2, for this process and
 * everything it starts.  No privilege needed (no_new_privs).  Checks that
 * the filter holds before it runs the command.
 *
 *   noopenat2 COMMAND [ARG...]
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
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#if defined(__x86_64__)
#define ARCH	AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define ARCH	AUDIT_ARCH_AARCH64
#elif defined(__i386__)
#define ARCH	AUDIT_ARCH_I386
#endif

int
main(int argc, char **argv)
{
#ifdef ARCH
	struct sock_filter code[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ARCH, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_openat2, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { sizeof code / sizeof code[0], code };
	struct open_how how;

	if (argc < 2) {
		fprintf(stderr, "usage: noopenat2 COMMAND [ARG...]\n");
		return 2;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) != 0) {
		fprintf(stderr, "noopenat2: seccomp: %s\n", strerror(errno));
		return 77;
	}
	memset(&how, 0, sizeof how);
	how.flags = O_PATH;
	if (syscall(SYS_openat2, AT_FDCWD, "/", &how, sizeof how) >= 0 || errno != ENOSYS) {
		fprintf(stderr, "noopenat2: the filter does not hold\n");
		return 77;
	}
	execvp(argv[1], argv + 1);
	fprintf(stderr, "noopenat2: %s: %s\n", argv[1], strerror(errno));
	return 127;
#else
	fprintf(stderr, "noopenat2: no seccomp filter for this architecture\n");
	return 77;
#endif
}
