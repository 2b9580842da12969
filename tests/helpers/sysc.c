/* SPDX-License-Identifier: MIT */
/*
 * sysc.c: the calls of t_syscall.sh, made through libc's syscall() as
 * libuv makes them, one per line of output: "NAME RESULT".
 *
 *   sysc DIR     under DIR (a mount): statx, openat, mkdirat, renameat2,
 *                unlinkat, fchmodat, getcwd, openat2, and the identity
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static void
say(const char *name, long rc)
{
	if (rc < 0)
		printf("%s %s\n", name, strerrorname_np(errno));
	else
		printf("%s %ld\n", name, rc);
}

int
main(int argc, char **argv)
{
	char p[4096], q[4096], buf[4096];
	struct statx sx;
	struct stat st;
	struct open_how how;
	long fd, rc;

	if (argc != 2)
		return 2;
	snprintf(p, sizeof p, "%s/f", argv[1]);
	fd = syscall(SYS_openat, AT_FDCWD, p, O_CREAT | O_WRONLY | O_EXCL, 0640);
	say("openat", fd < 0 ? fd : 0);
	if (fd >= 0)
		close((int)fd);
	rc = syscall(SYS_statx, AT_FDCWD, p, 0, STATX_BASIC_STATS, &sx);
	say("statx", rc);
	printf("statx-owner %u:%u %o\n", sx.stx_uid, sx.stx_gid, sx.stx_mode & 07777);
	rc = syscall(SYS_fchmodat, AT_FDCWD, p, 0604);
	say("fchmodat", rc);
	if (stat(p, &st) == 0)
		printf("stat-after %u:%u %o\n", st.st_uid, st.st_gid, st.st_mode & 07777);
	snprintf(q, sizeof q, "%s/d", argv[1]);
	say("mkdirat", syscall(SYS_mkdirat, AT_FDCWD, q, 0750));
	if (stat(q, &st) == 0)
		printf("mkdirat-owner %u:%u %o\n", st.st_uid, st.st_gid, st.st_mode & 07777);
	snprintf(q, sizeof q, "%s/g", argv[1]);
	say("renameat2", syscall(SYS_renameat2, AT_FDCWD, p, AT_FDCWD, q, RENAME_NOREPLACE));
	say("renameat2-exists", syscall(SYS_renameat2, AT_FDCWD, q, AT_FDCWD, q, RENAME_NOREPLACE));
	memset(&how, 0, sizeof how);
	how.flags = O_RDONLY;
	fd = syscall(SYS_openat2, AT_FDCWD, q, &how, sizeof how);
	say("openat2", fd < 0 ? fd : 0);
	if (fd >= 0)
		close((int)fd);
	how.resolve = RESOLVE_BENEATH;
	say("openat2-resolve", syscall(SYS_openat2, AT_FDCWD, q, &how, sizeof how));
	say("unlinkat", syscall(SYS_unlinkat, AT_FDCWD, q, 0));
	if (chdir(argv[1]) == 0) {
		rc = syscall(SYS_getcwd, buf, sizeof buf);
		printf("getcwd %s %s\n", rc == (long)strlen(argv[1]) + 1 ? "length" : "wrong-length",
		    rc > 0 ? buf : "?");
	}
	printf("getuid %ld %d\n", syscall(SYS_getuid), getuid());
	printf("getegid %ld %d\n", syscall(SYS_getegid), getegid());
	printf("getpid %s\n", syscall(SYS_getpid) == getpid() ? "same" : "differs");
	return 0;
}
