/* SPDX-License-Identifier: MIT */
/*
 * churn.c: create (file, directory, FIFO, symbolic link, socket), rename,
 * chmod and remove random names in DIR and its subdirectories, forever, so
 * that a SIGKILL at a random instant interrupts some operation midway.
 *
 *   churn DIR SEED
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "mksock.h"

static const char *dir;

/* A random name: DIR/nA or DIR/nA/nB. */
static void
pick(char *buf, size_t len)
{
	if (rand() % 3 == 0)
		snprintf(buf, len, "%s/n%d/n%d", dir, rand() % 6, rand() % 6);
	else
		snprintf(buf, len, "%s/n%d", dir, rand() % 6);
}

int
main(int argc, char **argv)
{
	char p[4096], q[4096];
	int fd;

	if (argc != 3)
		return 2;
	dir = argv[1];
	srand(atoi(argv[2]));
	for (;;) {
		pick(p, sizeof p);
		switch (rand() % 10) {
		case 0:
			if ((fd = open(p, O_WRONLY | O_CREAT, 0644)) >= 0)
				close(fd);
			break;
		case 1: mkdir(p, 0755); break;
		case 2: mkfifo(p, 0640); break;
		case 3: symlink("n0", p); break;
		case 4: mksock(p); break;
		case 5:
		case 6: pick(q, sizeof q); rename(p, q); break;
		case 7: chmod(p, 0700 | (rand() % 0100)); break;
		case 8: unlink(p); break;
		case 9: rmdir(p); break;
		}
	}
}
