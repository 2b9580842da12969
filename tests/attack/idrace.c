/* SPDX-License-Identifier: MIT */
/*
 * idrace.c: two threads change two halves of the caller identity at once,
 * N times each: one flips its effective uid between 0 and 1000 with
 * setresuid(-1, X, -1) (the saved uid is 1000), the other its effective
 * gid between 0 and 100 with setresgid(-1, X, -1) (the saved gid is 100),
 * and after each change each reads its half back.  The identity is one
 * record: a change made as read-copy-write without one lock can put back
 * the other thread's half as it was, and a read-back then differs.
 * Prints the number of read-backs that differed; exits 1 when any did.
 * (glibc's setresuid changes every thread; that serialises them in the
 * kernel, not in efsap, which sees each call on its own thread.)
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static long n;
static long lost_uid, lost_gid;

static void *
uids(void *arg)
{
	uid_t r, e, s;
	long i;

	for (i = 0; i < n; i++) {
		uid_t want = (i & 1) ? 1000 : 0;

		if (setresuid(-1, want, -1) != 0) {
			perror("setresuid");
			exit(2);
		}
		getresuid(&r, &e, &s);
		lost_uid += e != want;
	}
	return arg;
}

static void *
gids(void *arg)
{
	gid_t r, e, s;
	long i;

	for (i = 0; i < n; i++) {
		gid_t want = (i & 1) ? 100 : 0;

		if (setresgid(-1, want, -1) != 0) {
			perror("setresgid");
			exit(2);
		}
		getresgid(&r, &e, &s);
		lost_gid += e != want;
	}
	return arg;
}

int
main(int argc, char **argv)
{
	pthread_t a, b;

	n = argc > 1 ? atol(argv[1]) : 200000;
	if (setresgid(0, 0, 100) != 0 || setresuid(0, 0, 1000) != 0) {
		perror("set-up");
		return 2;
	}
	pthread_create(&a, NULL, uids, NULL);
	pthread_create(&b, NULL, gids, NULL);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	printf("%ld uid and %ld gid read-backs lost of %ld each\n", lost_uid, lost_gid, n);
	return lost_uid + lost_gid != 0;
}
