/* SPDX-License-Identifier: MIT */
/*
 * appendrace.c: N pre-forked workers open ONE new file with fopen("a") at
 * the same instant (released together by closing a pipe) and append a
 * line; repeated for ROUNDS new files in DIR.  Prints "errors=E tries=T"
 * and, per failure, "round R: fopen: ERRNO".  Exit 0 when E is 0.
 *
 *   appendrace DIR NWORKERS ROUNDS
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int
worker(int gate, const char *path)
{
	char c;
	FILE *f;

	(void)read(gate, &c, 1);	/* returns at EOF: the gate opened */
	f = fopen(path, "a");
	if (f == NULL)
		return errno;
	fprintf(f, "%d\n", (int)getpid());
	return fclose(f) == 0 ? 0 : errno;
}

int
main(int argc, char **argv)
{
	int n, rounds, r, i, st, gate[2], errors = 0, tries = 0;
	char path[4096];
	pid_t pid;

	if (argc != 4)
		return 2;
	n = atoi(argv[2]);
	rounds = atoi(argv[3]);
	for (r = 0; r < rounds; r++) {
		snprintf(path, sizeof path, "%s/log%d.txt", argv[1], r);
		if (pipe(gate) != 0)
			return 2;
		for (i = 0; i < n; i++) {
			pid = fork();
			if (pid == 0) {
				close(gate[1]);
				_exit(worker(gate[0], path));
			}
		}
		close(gate[0]);
		usleep(20000);		/* every worker waits at the gate */
		close(gate[1]);
		for (i = 0; i < n; i++) {
			if (wait(&st) < 0)
				break;
			tries++;
			if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
				errors++;
				printf("round %d: fopen: %s\n", r, WIFEXITED(st) ?
				    strerror(WEXITSTATUS(st)) : "killed by a signal");
			}
		}
	}
	printf("errors=%d tries=%d\n", errors, tries);
	return errors != 0;
}
