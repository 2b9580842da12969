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
 * With "reads", the victim only looks: stat, lstat, statx, access, readlink,
 * open and read, chdir, opendir of DIR/d/x, DIR/d/xr and DIR/d/xd, where
 * DIR/d holds only x (4 bytes, "aaa\n"); an answer that could only come
 * from the other access point (x of 9 bytes, xr or xd found) is an
 * escape.  Prints "tries=N escapes=M".
 *
 *   swap DIR SECONDS MAXOPS [reads]
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

static long escapes;
static const char *const what[] = {
	"stat", "lstat", "statx", "access", "readlink", "read", "chdir", "opendir"
};
static long per[8];

static void
escape(int k)
{
	escapes++;
	per[k]++;
}

static long
reader(time_t end, long max)
{
	struct stat st;
	struct statx sx;
	char buf[64];
	long n = 0;
	ssize_t k;
	DIR *dp;
	int fd;

	while (n < max && time(NULL) < end) {
		if (stat(x, &st) == 0 && st.st_size != 4)
			escape(0);
		if (lstat(x, &st) == 0 && st.st_size != 4)
			escape(1);
		if (statx(AT_FDCWD, x, 0, STATX_SIZE, &sx) == 0 && sx.stx_size != 4)
			escape(2);
		if (access(xr, F_OK) == 0 || stat(xr, &st) == 0)
			escape(3);
		if (readlink(xr, buf, sizeof buf) >= 0 || errno == EINVAL)
			escape(4);
		if ((fd = open(x, O_RDONLY)) >= 0) {
			k = read(fd, buf, sizeof buf);
			if (k != 4 && k >= 0)
				escape(5);
			close(fd);
		}
		if (chdir(xd) == 0) {
			escape(6);
			(void)chdir("/");
		}
		if ((dp = opendir(xd)) != NULL) {
			escape(7);
			closedir(dp);
		}
		n += 10;
	}
	return n;
}

int
main(int argc, char **argv)
{
	pid_t pid;
	long tries;
	int reads = argc == 5 && strcmp(argv[4], "reads") == 0;

	if (argc != 4 && !reads)
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
	if (reads)
		tries = reader(time(NULL) + atoi(argv[2]), atol(argv[3]));
	else
		tries = victim(time(NULL) + atoi(argv[2]), atol(argv[3]));
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	if (reads) {
		int i;

		printf("tries=%ld escapes=%ld", tries, escapes);
		for (i = 0; i < 8; i++)
			if (per[i] != 0)
				printf(" %s:%ld", what[i], per[i]);
		printf("\n");
	}
	else
		printf("tries=%ld\n", tries);
	return 0;
}
