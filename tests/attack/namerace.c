/* SPDX-License-Identifier: MIT */
/*
 * namerace: workers that create, replace and remove objects of every kind
 * under two names of one directory, as fast as they can, for a while.  The
 * names are few so that a remover's look at a name and its removal are
 * often split by another worker's remove and create: what the name held
 * when it was looked at is then not what the removal takes.
 *
 *	namerace DIR SECONDS WORKERS [nested]
 *
 * The names are in DIR/d, below the mount root.  With "nested", a timer
 * interrupts each worker every millisecond, often inside one of efsap's
 * wrappers, and its handler makes a call of its own on the same names:
 * efsap then takes another way to the directory (no pinned descriptors in
 * a nested call), waits for locks on top of the interrupted call's, and
 * must neither deadlock nor name another lock.
 *
 * Exits 0 after SECONDS, or dies of SIGALRM 60 s later (a hang); the
 * caller audits the records.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "mksock.h"

static char a[4096], b[4096];
static unsigned hseed;

/* One call on the names, from the timer's handler: no rand(), no stdio. */
static void
nested(int sig)
{
	int e = errno;
	const char *p, *q;

	(void)sig;
	hseed = hseed * 1103515245u + 12345u;
	p = (hseed >> 16) & 1 ? a : b;
	q = p == a ? b : a;
	switch ((hseed >> 17) % 4) {
	case 0: mkfifo(p, 0640); break;
	case 1: symlink("a", p); break;
	case 2: rename(p, q); break;
	default: unlink(p); break;
	}
	errno = e;
}

static void
work(const char *dir, time_t end, unsigned seed, int nest)
{
	struct sigaction sa = { .sa_handler = nested, .sa_flags = SA_RESTART };
	struct itimerval it = { { 0, 1000 }, { 0, 1000 } };
	unsigned n = 0;
	int fd;

	snprintf(a, sizeof a, "%s/d/a", dir);
	snprintf(b, sizeof b, "%s/d/b", dir);
	srand(seed);
	hseed = seed;
	sigemptyset(&sa.sa_mask);
	if (nest) {
		sigaction(SIGALRM, &sa, NULL);
		setitimer(ITIMER_REAL, &it, NULL);
	}
	for (;;) {
		const char *p = rand() % 2 ? a : b, *q = p == a ? b : a;

		if (++n % 64 == 0 && time(NULL) >= end)
			_exit(0);
		switch (rand() % 12) {
		case 0:
		case 1:
			if ((fd = open(p, O_WRONLY | O_CREAT | O_NONBLOCK, 0644)) >= 0)
				close(fd);
			break;
		case 2:
		case 3: mkfifo(p, 0640); break;
		case 4: symlink("a", p); break;
		case 5: mksock(p); break;
		case 6: rename(p, q); break;
		case 7: chmod(p, 0600); break;
		default: unlink(p); break;
		}
	}
}

int
main(int argc, char **argv)
{
	int i, w, st, bad = 0;
	time_t end;

	if (argc != 4 && (argc != 5 || strcmp(argv[4], "nested") != 0))
		return 2;
	end = time(NULL) + atoi(argv[2]);
	w = atoi(argv[3]);
	snprintf(a, sizeof a, "%s/d", argv[1]);
	(void)mkdir(a, 0755);
	alarm((unsigned)atoi(argv[2]) + 60);	/* the parent's own limit */
	for (i = 0; i < w; i++)
		if (fork() == 0)
			work(argv[1], end, (unsigned)(getpid() * 7919 + i), argc == 5);
	for (i = 0; i < w; i++)
		if (wait(&st) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
			bad = 1;
	return bad;
}
