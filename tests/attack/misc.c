/* SPDX-License-Identifier: MIT */
/*
 * misc.c: small checks, one per CASE; prints "ok" or "err WHY".
 *
 *   misc setgroups            setgroups with 65,536 groups succeeds, with
 *                             65,537 or with gid 4294967295 fails EINVAL;
 *                             the 65,536 groups survive execve
 *   misc ctime PATH...        lchown of each PATH to a new owner moves its
 *                             ctime forward
 */
#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static int
try_groups(void)
{
	static gid_t g[65537];
	int i, n;

	for (i = 0; i < 65537; i++)
		g[i] = 100000 + i;
	if (setgroups(65536, g) != 0)
		return printf("err setgroups(65536): %s\n", strerror(errno)), 1;
	if ((n = getgroups(0, NULL)) != 65536)
		return printf("err getgroups gives %d groups\n", n), 1;
	if (setgroups(65537, g) == 0 || errno != EINVAL)
		return printf("err setgroups(65537): %s\n", strerror(errno)), 1;
	g[0] = (gid_t)4294967295u;
	if (setgroups(1, g) == 0 || errno != EINVAL)
		return printf("err setgroups({4294967295}): %s\n", errno ? strerror(errno) : "succeeded"), 1;
	/* the refused calls changed nothing, and the groups cross execve */
	fflush(stdout);
	execl("/proc/self/exe", "misc", "groups-after-exec", (char *)NULL);
	return printf("err execl: %s\n", strerror(errno)), 1;
}

static int
check_groups(void)
{
	static gid_t g[65536];
	int i, n = getgroups(65536, g);

	if (n != 65536)
		return printf("err after execve: getgroups gives %d groups\n", n), 1;
	for (i = 0; i < n; i++)
		if (g[i] != (gid_t)(100000 + i))
			return printf("err after execve: group %d is %u\n", i, (unsigned)g[i]), 1;
	return printf("ok\n"), 0;
}

static int
try_ctime(char **paths)
{
	struct stat a, b;
	struct timespec pause = { 0, 20000000 };

	for (; *paths != NULL; paths++) {
		if (lstat(*paths, &a) != 0)
			return printf("err lstat %s: %s\n", *paths, strerror(errno)), 1;
		nanosleep(&pause, NULL);
		if (lchown(*paths, a.st_uid + 1, a.st_gid + 1) != 0 || lstat(*paths, &b) != 0)
			return printf("err lchown %s: %s\n", *paths, strerror(errno)), 1;
		if (b.st_ctim.tv_sec == a.st_ctim.tv_sec && b.st_ctim.tv_nsec == a.st_ctim.tv_nsec)
			return printf("err %s: ctime unchanged by lchown\n", *paths), 1;
	}
	return printf("ok\n"), 0;
}

int
main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "setgroups") == 0)
		return try_groups();
	if (argc >= 2 && strcmp(argv[1], "groups-after-exec") == 0)
		return check_groups();
	if (argc >= 3 && strcmp(argv[1], "ctime") == 0)
		return try_ctime(argv + 2);
	return 2;
}
