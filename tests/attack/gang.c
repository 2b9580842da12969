/* SPDX-License-Identifier: MIT */
/*
 * gang.c: start N copies of a command at the same instant: N children
 * wait at a gate (a pipe closed by the parent once all are forked), then
 * exec COMMAND with stdout and stderr in OUTDIR/I.  Prints one line per
 * child: "I STATUS" (exit status, or 128+signal).
 *
 *   gang N OUTDIR COMMAND [ARG...]
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	int n, i, fd, st, gate[2];
	pid_t pids[1024];
	char path[4096], c;

	if (argc < 4 || (n = atoi(argv[1])) < 1 || n > 1024 || pipe(gate) != 0)
		return 2;
	for (i = 0; i < n; i++) {
		if ((pids[i] = fork()) == 0) {
			close(gate[1]);
			snprintf(path, sizeof path, "%s/%d", argv[2], i);
			if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644)) < 0)
				_exit(125);
			dup2(fd, 1);
			dup2(fd, 2);
			(void)read(gate[0], &c, 1);
			execvp(argv[3], argv + 3);
			_exit(127);
		}
	}
	close(gate[0]);
	usleep(100000);
	close(gate[1]);
	for (i = 0; i < n; i++) {
		waitpid(pids[i], &st, 0);
		printf("%d %d\n", i, WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
	}
	return 0;
}
