/* SPDX-License-Identifier: MIT */
/*
 * rmw.c: concurrent changes of one record never lose an update.  Changes
 * one field of FILE's record (uid by chown, gid by chown, or the mode by
 * chmod) N times, each time to a new value, and checks with stat right
 * after that the value it just set is there: another process that changes
 * another field of the same record must not write back an old value.
 * Starts at the epoch second START, so that processes started apart
 * (in another namespace) overlap.  Prints "FIELD ops=N lost=L"; exit 1 when
 * L > 0.
 *
 *   rmw uid|gid|mode FILE N START
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	struct stat st;
	long i, n, lost = 0;
	unsigned v, got;

	if (argc != 5)
		return 2;
	n = atol(argv[3]);
	while (time(NULL) < atol(argv[4]))
		usleep(1000);
	for (i = 0; i < n; i++) {
		v = (unsigned)(i % 500);
		if (strcmp(argv[1], "uid") == 0) {
			v += 2000;
			if (chown(argv[2], v, -1) != 0)
				return perror("chown"), 2;
		} else if (strcmp(argv[1], "gid") == 0) {
			v += 3000;
			if (chown(argv[2], -1, v) != 0)
				return perror("chown"), 2;
		} else {
			v = 0400 | (v & 0377);
			if (chmod(argv[2], v) != 0)
				return perror("chmod"), 2;
		}
		if (stat(argv[2], &st) != 0)
			return perror("stat"), 2;
		got = argv[1][0] == 'u' ? st.st_uid : argv[1][0] == 'g' ? st.st_gid :
		    st.st_mode & 07777;
		lost += got != v;
	}
	printf("%s ops=%ld lost=%ld\n", argv[1], n, lost);
	return lost != 0;
}
