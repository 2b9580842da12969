/* SPDX-License-Identifier: MIT */
/*
 * badptr.c: path arguments that point to unmapped memory must give
 * EFAULT, as the kernel does, not crash the program.  Each call runs in a
 * child process; prints "CALL ADDR ok" (EFAULT), "CALL ADDR err ERRNO"
 * (another result) or "CALL ADDR crash SIGNAL".
 *
 *   badptr [DIR]        chdir to DIR first (relative resolution)
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static int
call(int k, const char *p)
{
	struct stat st;

	switch (k) {
	case 0: return stat(p, &st);
	case 1: return lstat(p, &st);
	case 2: return open(p, O_RDONLY);
	case 3: return open(p, O_WRONLY | O_CREAT, 0644);
	case 4: return mkdir(p, 0755);
	case 5: return chmod(p, 0644);
	case 6: return chown(p, 0, 0);
	case 7: return access(p, F_OK);
	case 8: return unlink(p);
	case 9: return rename(p, "x");
	case 10: return openat(AT_FDCWD, p, O_RDONLY);
	case 11: return fstatat(AT_FDCWD, p, &st, 0);
	case 12: return mkdirat(AT_FDCWD, p, 0755);
	case 13: return chdir(p);
	}
	return 0;
}

static const char *names[] = { "stat", "lstat", "open", "open-creat", "mkdir",
	"chmod", "chown", "access", "unlink", "rename", "openat", "fstatat",
	"mkdirat", "chdir" };

int
main(int argc, char **argv)
{
	char *bad[2];
	int k, i, st;
	pid_t pid;

	if (argc > 1 && chdir(argv[1]) != 0)
		return 2;
	/* a page mapped and unmapped again: surely unmapped, above 64 KiB */
	bad[0] = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (bad[0] == MAP_FAILED || munmap(bad[0], 4096) != 0)
		return 2;
	bad[1] = (char *)-1;
	for (k = 0; k < (int)(sizeof names / sizeof names[0]); k++)
		for (i = 0; i < 2; i++) {
			fflush(stdout);
			if ((pid = fork()) == 0) {
				errno = 0;
				_exit(call(k, bad[i]) == -1 && errno == EFAULT ? 0 :
				    errno == 0 ? 255 : errno);
			}
			waitpid(pid, &st, 0);
			printf("%s %s ", names[k], i == 0 ? "unmapped" : "-1");
			if (WIFSIGNALED(st))
				printf("crash %s\n", strsignal(WTERMSIG(st)));
			else if (WEXITSTATUS(st) != 0)
				printf("err %s\n", strerror(WEXITSTATUS(st)));
			else
				printf("ok\n");
		}
	return 0;
}
