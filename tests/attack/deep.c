/* SPDX-License-Identifier: MIT */
/*
 * deep.c: relative paths near PATH_MAX below a deep working directory.
 * In the current directory: builds a chain of 20 directories with 255-byte
 * names by relative mkdir and chdir steps, returns, chdirs 5 levels down
 * by relative steps (the absolute path is then over 1,280 bytes), and
 * there creates and stats relative paths of 4,095 bytes (which the kernel
 * takes) and 4,096 bytes (ENAMETOOLONG).  Prints one "STEP ok|err ERRNO"
 * line per step, to compare a native run with one under the library.
 *
 *   deep
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char name[256], path[8192];

static void
say(const char *step, int rc)
{
	printf("%s %s\n", step, rc < 0 ? strerrorname_np(errno) : "ok");
}

/* path = [./]  + K names + "/" + a LAST-byte name; returns its length. */
static size_t
mkpath(int dot, int k, int last, char c)
{
	size_t n = 0;
	int i;

	if (dot)
		n += sprintf(path, "./");
	for (i = 0; i < k; i++)
		n += sprintf(path + n, "%s/", name);
	memset(path + n, c, last);
	path[n + last] = '\0';
	return n + last;
}

int
main(void)
{
	char step[64];
	struct stat st;
	int i, base, fd;

	memset(name, 'd', 255);
	base = open(".", O_RDONLY | O_DIRECTORY);
	for (i = 0; i < 20; i++) {
		snprintf(step, sizeof step, "mkdir-%d", i);
		say(step, mkdir(name, 0755));
		snprintf(step, sizeof step, "chdir-%d", i);
		say(step, chdir(name));
	}
	say("fchdir-base", fchdir(base));
	for (i = 0; i < 5; i++) {
		snprintf(step, sizeof step, "chdir-down-%d", i);
		say(step, chdir(name));
	}
	/* 15 names (3,840 bytes with their slashes) + a 255-byte name: 4,095 */
	printf("len %zu\n", mkpath(0, 15, 255, 'f'));
	fd = open(path, O_WRONLY | O_CREAT, 0644);
	say("open-creat-4095", fd);
	if (fd >= 0)
		close(fd);
	say("stat-4095", stat(path, &st));
	say("lstat-4095", lstat(path, &st));
	mkpath(0, 15, 255, 'g');
	say("mkdir-4095", mkdir(path, 0755));
	say("stat-dir-4095", stat(path, &st));
	say("chdir-4095", chdir(path));
	say("fchdir-base", fchdir(base));
	say("chdir-down", chdir(name));
	/* "./" + 15 names + a 254-byte name: 4,096 bytes */
	printf("len %zu\n", mkpath(1, 15, 254, 'h'));
	say("open-creat-4096", open(path, O_WRONLY | O_CREAT, 0644));
	say("stat-4096", stat(path, &st));
	say("mkdir-4096", mkdir(path, 0755));
	return 0;
}
