/* SPDX-License-Identifier: MIT */
/* mksock.h: make a socket at path by bind(2), for the churning helpers. */
#ifndef ATTACK_MKSOCK_H
#define ATTACK_MKSOCK_H
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static void
mksock(const char *path)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int s = socket(AF_UNIX, SOCK_STREAM, 0);

	if (s < 0)
		return;
	if (strlen(path) < sizeof a.sun_path) {
		strcpy(a.sun_path, path);
		(void)bind(s, (struct sockaddr *)&a, sizeof a);
	}
	close(s);
}
#endif
