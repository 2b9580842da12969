/* SPDX-License-Identifier: MIT */
/*
 * swap.c: the symlink-swap race.  An attacker process swaps DIR/d (a real
 * directory) with DIR/dl (a symbolic link whose target leads, if the
 * kernel follows it, into another access point's backing directory) with
 * renameat2(RENAME_EXCHANGE), while a victim process loops over
 * create/write/truncate/chmod/chown/utimes/rename/link/unlink/mkdir/rmdir
 * of DIR/d/x.  Both run under the library; the caller checks afterwards
 * that the other access point is untouched.  Prints "tries=N".
 *
 *   swap DIR SECONDS MAXOPS
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char d[4096], dl[4096], x[4096], xr[4096], xd[4096];

/* Swap d and dl forever; fall back to three renames without RENAME_EXCHANGE. */
static void
attack(void)
{
	char tmp[4200];

	snprintf(tmp, sizeof tmp, "%s.t", d);
	for (;;) {
		if (renameat2(AT_FDCWD, d, AT_FDCWD, dl, RENAME_EXCHANGE) == 0)
			continue;
		rename(d, tmp);
		rename(dl, d);
		rename(tmp, dl);
	}
}

static long
victim(time_t end, long max)
{
	long n = 0;
	int fd;

	while (n < max && time(NULL) < end) {
		fd = open(x, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd >= 0) {
			(void)write(fd, "victim\n", 7);
			close(fd);
		}
		truncate(x, 0);
		chmod(x, 0600);
		chown(x, 1000, 1000);
		utimensat(AT_FDCWD, x, NULL, 0);
		rename(x, xr);
		link(xr, x);
		unlink(xr);
		mkdir(xd, 0755);
		rmdir(xd);
		unlink(x);
		n += 11;
	}
	return n;
}

int
main(int argc, char **argv)
{
	pid_t pid;
	long tries;

	if (argc != 4)
		return 2;
	snprintf(d, sizeof d, "%s/d", argv[1]);
	snprintf(dl, sizeof dl, "%s/dl", argv[1]);
	snprintf(x, sizeof x, "%s/d/x", argv[1]);
	snprintf(xr, sizeof xr, "%s/d/xr", argv[1]);
	snprintf(xd, sizeof xd, "%s/d/xd", argv[1]);
	pid = fork();
	if (pid < 0)
		return 2;
	if (pid == 0)
		attack();
	tries = victim(time(NULL) + atoi(argv[2]), atol(argv[3]));
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	printf("tries=%ld\n", tries);
	return 0;
}
