/* SPDX-License-Identifier: MIT */
/*
 * vfork.c: a child that shares the parent's memory (vfork, posix_spawn)
 * changes its own working directory and closes its descriptors; the
 * parent's must not change.  Run in DIR (a directory with a subdirectory
 * "sub"), then prints the parent's "cwd=PATH", the "uid=UID" of a file it
 * creates relatively afterwards and the "dirfd-uid=UID" of one it creates
 * through a descriptor of "sub" that the child closed, or "err WHAT: WHY".
 *
 *   vfork MODE DIR     MODE: exit (chdir, close_range, _exit), exec
 *                      (chdir, close, execve /bin/true), spawn (posix_spawn
 *                      with addchdir_np, addopen, addclose)
 */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

int
main(int argc, char **argv)
{
	char *tru[] = { "true", NULL };
	posix_spawn_file_actions_t fa;
	char cwd[4096];
	struct stat st;
	pid_t pid;
	int fd, dfd, st_;

	if (argc != 3 || chdir(argv[2]) != 0)
		return 2;
	fd = open("f0", O_RDWR | O_CREAT, 0644);	/* descriptors to close */
	dfd = open("sub", O_RDONLY | O_DIRECTORY);
	if (strcmp(argv[1], "spawn") == 0) {
		posix_spawn_file_actions_init(&fa);
		posix_spawn_file_actions_addchdir_np(&fa, "sub");
		posix_spawn_file_actions_addopen(&fa, 7, "f1", O_RDONLY | O_CREAT, 0644);
		posix_spawn_file_actions_addclose(&fa, fd);
		posix_spawn_file_actions_addclose(&fa, dfd);
		errno = posix_spawn(&pid, "/bin/true", &fa, NULL, tru, environ);
		if (errno != 0)
			printf("err posix_spawn: %s\n", strerror(errno));
	} else {
		pid = vfork();
		if (pid == 0) {
			if (chdir("sub") != 0)
				_exit(3);
			if (strcmp(argv[1], "exec") == 0) {
				close(fd);
				close(dfd);
				execve("/bin/true", tru, environ);
				_exit(4);
			}
			close_range(3, ~0U, 0);
			_exit(0);
		}
	}
	if (pid > 0 && (waitpid(pid, &st_, 0) != pid || st_ != 0))
		printf("err child: status %d\n", st_);
	if (getcwd(cwd, sizeof cwd) == NULL)
		printf("err getcwd: %s\n", strerror(errno));
	else
		printf("cwd=%s\n", cwd);
	close(fd);
	fd = open("after", O_WRONLY | O_CREAT, 0644);
	if (fd < 0 || fstat(fd, &st) != 0)
		printf("err create: %s\n", strerror(errno));
	else
		printf("uid=%u\n", (unsigned)st.st_uid);
	if (access("sub/after", F_OK) == 0)
		printf("err create: made in sub/\n");
	close(fd);
	fd = openat(dfd, "viafd", O_WRONLY | O_CREAT, 0644);
	if (fd < 0 || fstat(fd, &st) != 0)
		printf("err create through the descriptor: %s\n", strerror(errno));
	else
		printf("dirfd-uid=%u\n", (unsigned)st.st_uid);
	return 0;
}
