/* SPDX-License-Identifier: MIT */
/*
 * capsx.c: capability and identity operations given on the command line,
 * one line printed per operation, for the integration tests (t_caps.sh).
 *
 *   capsx OP ARG... [-- OP ARG...]...
 *
 * Operations run in order in one process, so that a drop carries to the
 * later ones.  Each prints "ok", "ok VALUE" or "err ENAME"; the exit
 * status is 0 when every operation succeeded, 1 when one failed, 2 on a
 * usage error.  `exec` replaces the process and must come last.
 *
 *   setuid U | setgid G | setgroups G,G... (- for none)
 *   setresuid R E S | setresgid R E S
 *   keepcaps 0|1 | getkeepcaps | nnp | getnnp | secbits N | getsecbits
 *   capget        effective permitted inheritable, hex (libc capget, v3)
 *   capget1       the same through version 1 (32 bits)
 *   capgetsys     the same through syscall(SYS_capget)
 *   capgetpid P   the same for process P
 *   capprobe      the version probe: a NULL data pointer and version 0
 *   capbadver     version 0 with data: EINVAL and the version preferred
 *   capset E P I  hex sets (v3)
 *   bread N | bdrop N | ambraise N | ambis N | ambclear
 *   vforkdrop U   a vfork child drops capability 0 from the bounding set
 *                 and its uids to U, then _exits; prints the parent's uid and
 *                 whether its bounding set still holds capability 0
 *   exec PROG ARG...
 */
#include <errno.h>
#include <grp.h>
#include <linux/capability.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* glibc exports capget and capset but declares neither. */
int capget(cap_user_header_t hdrp, cap_user_data_t datap);
int capset(cap_user_header_t hdrp, const cap_user_data_t datap);

static int failed;

static void
say(long rc, const char *fmt, unsigned long long a, unsigned long long b,
    unsigned long long c)
{
	const char *n;

	if (rc < 0) {
		n = strerrorname_np(errno);
		printf("err %s\n", n != NULL ? n : "E?");
		failed = 1;
	} else if (fmt != NULL) {
		printf("ok ");
		printf(fmt, a, b, c);
		printf("\n");
	} else {
		printf("ok\n");
	}
	fflush(stdout);
}

static unsigned long
num(const char *s)
{
	return strtoul(s, NULL, 0);
}

static unsigned long long
hex(const char *s)
{
	return strtoull(s, NULL, 16);
}

/* capget through libc (how 0), version 1 (how 1), syscall() (how 2), for pid. */
static void
show(int how, int pid)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, pid };
	struct __user_cap_data_struct d[2];
	long rc;

	memset(d, 0, sizeof d);
	if (how == 1)
		h.version = _LINUX_CAPABILITY_VERSION_1;
	rc = how == 2 ? syscall(SYS_capget, &h, d) : capget(&h, d);
	say(rc, "%llx %llx %llx",
	    (unsigned long long)d[1].effective << 32 | d[0].effective,
	    (unsigned long long)d[1].permitted << 32 | d[0].permitted,
	    (unsigned long long)d[1].inheritable << 32 | d[0].inheritable);
}

/* One operation: the number of arguments it took, or -1 for a usage error. */
static int
op(char **a, int n)
{
	struct __user_cap_header_struct h = { 0, 0 };
	struct __user_cap_data_struct d[2];
	gid_t g[64];
	size_t ng = 0;
	char *p;
	long rc;

#define NEED(k)	do { if (n < (k) + 1) return -1; } while (0)
	if (strcmp(a[0], "setuid") == 0) {
		NEED(1);
		say(setuid((uid_t)num(a[1])), NULL, 0, 0, 0);
		return 1;
	} else if (strcmp(a[0], "setgid") == 0) {
		NEED(1);
		say(setgid((gid_t)num(a[1])), NULL, 0, 0, 0);
		return 1;
	} else if (strcmp(a[0], "setgroups") == 0) {
		NEED(1);
		for (p = a[1]; strcmp(a[1], "-") != 0 && *p != '\0' && ng < 64; p++) {
			g[ng++] = (gid_t)strtoul(p, &p, 10);
			if (*p == '\0')
				break;
		}
		say(setgroups(ng, g), NULL, 0, 0, 0);
		return 1;
	} else if (strcmp(a[0], "setresuid") == 0) {
		NEED(3);
		say(setresuid((uid_t)num(a[1]), (uid_t)num(a[2]), (uid_t)num(a[3])), NULL, 0, 0, 0);
		return 3;
	} else if (strcmp(a[0], "setresgid") == 0) {
		NEED(3);
		say(setresgid((gid_t)num(a[1]), (gid_t)num(a[2]), (gid_t)num(a[3])), NULL, 0, 0, 0);
		return 3;
	} else if (strcmp(a[0], "keepcaps") == 0) {
		NEED(1);
		say(prctl(PR_SET_KEEPCAPS, num(a[1]), 0UL, 0UL, 0UL), NULL, 0, 0, 0);
		return 1;
	} else if (strcmp(a[0], "getkeepcaps") == 0) {
		rc = prctl(PR_GET_KEEPCAPS, 0UL, 0UL, 0UL, 0UL);
		say(rc, "%llu", (unsigned long long)rc, 0, 0);
		return 0;
	} else if (strcmp(a[0], "nnp") == 0) {
		say(prctl(PR_SET_NO_NEW_PRIVS, 1UL, 0UL, 0UL, 0UL), NULL, 0, 0, 0);
		return 0;
	} else if (strcmp(a[0], "getnnp") == 0) {
		rc = prctl(PR_GET_NO_NEW_PRIVS, 0UL, 0UL, 0UL, 0UL);
		say(rc, "%llu", (unsigned long long)rc, 0, 0);
		return 0;
	} else if (strcmp(a[0], "secbits") == 0) {
		NEED(1);
		say(prctl(PR_SET_SECUREBITS, num(a[1]), 0UL, 0UL, 0UL), NULL, 0, 0, 0);
		return 1;
	} else if (strcmp(a[0], "getsecbits") == 0) {
		rc = prctl(PR_GET_SECUREBITS, 0UL, 0UL, 0UL, 0UL);
		say(rc, "%#llx", (unsigned long long)rc, 0, 0);
		return 0;
	} else if (strcmp(a[0], "capget") == 0) {
		show(0, 0);
		return 0;
	} else if (strcmp(a[0], "capget1") == 0) {
		show(1, 0);
		return 0;
	} else if (strcmp(a[0], "capgetsys") == 0) {
		show(2, 0);
		return 0;
	} else if (strcmp(a[0], "capgetpid") == 0) {
		NEED(1);
		show(0, (int)num(a[1]));
		return 1;
	} else if (strcmp(a[0], "capprobe") == 0) {
		rc = capget(&h, NULL);
		say(rc, "%#llx", (unsigned long long)h.version, 0, 0);
		return 0;
	} else if (strcmp(a[0], "capbadver") == 0) {
		rc = capget(&h, d);
		printf("version %#x\n", h.version);
		say(rc, NULL, 0, 0, 0);
		return 0;
	} else if (strcmp(a[0], "capset") == 0) {
		unsigned long long e, pp, i;

		NEED(3);
		e = hex(a[1]);
		pp = hex(a[2]);
		i = hex(a[3]);
		h.version = _LINUX_CAPABILITY_VERSION_3;
		d[0].effective = (uint32_t)e;
		d[1].effective = (uint32_t)(e >> 32);
		d[0].permitted = (uint32_t)pp;
		d[1].permitted = (uint32_t)(pp >> 32);
		d[0].inheritable = (uint32_t)i;
		d[1].inheritable = (uint32_t)(i >> 32);
		say(capset(&h, d), NULL, 0, 0, 0);
		return 3;
	} else if (strcmp(a[0], "bread") == 0) {
		NEED(1);
		rc = prctl(PR_CAPBSET_READ, num(a[1]), 0UL, 0UL, 0UL);
		say(rc, "%llu", (unsigned long long)rc, 0, 0);
		return 1;
	} else if (strcmp(a[0], "bdrop") == 0) {
		NEED(1);
		say(prctl(PR_CAPBSET_DROP, num(a[1]), 0UL, 0UL, 0UL), NULL, 0, 0, 0);
		return 1;
	} else if (strcmp(a[0], "ambraise") == 0) {
		NEED(1);
		say(prctl(PR_CAP_AMBIENT, (unsigned long)PR_CAP_AMBIENT_RAISE, num(a[1]), 0UL, 0UL),
		    NULL, 0, 0, 0);
		return 1;
	} else if (strcmp(a[0], "ambis") == 0) {
		NEED(1);
		rc = prctl(PR_CAP_AMBIENT, (unsigned long)PR_CAP_AMBIENT_IS_SET, num(a[1]), 0UL, 0UL);
		say(rc, "%llu", (unsigned long long)rc, 0, 0);
		return 1;
	} else if (strcmp(a[0], "ambclear") == 0) {
		say(prctl(PR_CAP_AMBIENT, (unsigned long)PR_CAP_AMBIENT_CLEAR_ALL, 0UL, 0UL, 0UL),
		    NULL, 0, 0, 0);
		return 0;
	} else if (strcmp(a[0], "vforkdrop") == 0) {
		pid_t pid;
		int st;

		NEED(1);
		uid_t u = (uid_t)num(a[1]);
		pid = vfork();
		if (pid == 0) {
			/* what a vfork child may not do, and programs do (Python's subprocess did) */
			if (prctl(PR_CAPBSET_DROP, 0UL, 0UL, 0UL, 0UL) != 0 || setresuid(u, u, u) != 0)
				_exit(3);
			_exit(getuid() == u ? 0 : 4);
		}
		if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st)) {
			say(-1, NULL, 0, 0, 0);
			return 1;
		}
		rc = prctl(PR_CAPBSET_READ, 0UL, 0UL, 0UL, 0UL);
		say(rc, "child %llu parent %llu %llu", (unsigned long long)WEXITSTATUS(st),
		    (unsigned long long)getuid(), (unsigned long long)rc);
		return 1;
	} else if (strcmp(a[0], "exec") == 0) {
		NEED(1);
		execvp(a[1], a + 1);
		say(-1, NULL, 0, 0, 0);
		exit(1);
	}
	return -1;
#undef NEED
}

int
main(int argc, char **argv)
{
	int i = 1, j, k;

	while (i < argc) {
		/* one operation's words: up to the next "--" (exec takes the rest) */
		for (j = i; j < argc && strcmp(argv[j], "--") != 0; j++)
			if (strcmp(argv[i], "exec") == 0) {
				j = argc;
				break;
			}
		if (j < argc)
			argv[j] = NULL;
		if ((k = op(argv + i, j - i)) < 0 || (strcmp(argv[i], "exec") != 0 && k != j - i - 1)) {
			fprintf(stderr, "capsx: bad operation at %s\n", argv[i]);
			return 2;
		}
		i = j + 1;
	}
	return failed;
}
