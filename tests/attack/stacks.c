/* SPDX-License-Identifier: MIT */
/*
 * stacks.c: file system calls under a mount from small stacks: threads
 * with 64 KiB and PTHREAD_STACK_MIN stacks, and a signal handler on a
 * SIGSTKSZ alternate stack; and pthread_create with a 32 KiB stack.
 * Prints "ok" or "err WHY"; a crash kills the program (the caller sees
 * the signal).
 *
 *   stacks DIR CASE     CASE: create-32k (an idle thread), thread-64k,
 *                       thread-min, sigaltstack
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *dir;
static volatile int handled;

/* open, stat, mkdir, rename, readdir under DIR; 0 or an errno. */
static int
work(const char *tag)
{
	char a[512], b[512];
	struct stat st;
	DIR *d;
	int fd;

	snprintf(a, sizeof a, "%s/%s.f", dir, tag);
	snprintf(b, sizeof b, "%s/%s.d", dir, tag);
	if ((fd = open(a, O_WRONLY | O_CREAT, 0644)) < 0)
		return errno;
	close(fd);
	if (stat(a, &st) != 0 || (mkdir(b, 0755) != 0 && errno != EEXIST))
		return errno;
	if (rename(b, a) == 0 || errno != ENOTDIR) {	/* a dir over a file */
		snprintf(a, sizeof a, "%s/%s.g", dir, tag);
		if (rename(b, a) != 0)
			return errno;
	}
	if ((d = opendir(dir)) == NULL)
		return errno;
	while (readdir(d) != NULL)
		;
	closedir(d);
	return 0;
}

static void *
thread(void *tag)
{
	return tag == NULL ? NULL : (void *)(long)work(tag);
}

static void
run_thread(const char *tag, size_t size)
{
	pthread_attr_t at;
	pthread_t t;
	void *rv;
	int e;

	pthread_attr_init(&at);
	if ((e = pthread_attr_setstacksize(&at, size)) != 0 ||
	    (e = pthread_create(&t, &at, thread, (void *)tag)) != 0) {
		printf("err pthread_create(%zu): %s\n", size, strerror(e));
		return;
	}
	pthread_join(t, &rv);
	if (rv != NULL)
		printf("err %s\n", strerror((int)(long)rv));
	else
		printf("ok\n");
}

static void
on_usr1(int sig)
{
	handled = work("sig") == 0 ? 1 : 2;
}

int
main(int argc, char **argv)
{
	stack_t ss;
	struct sigaction sa;

	if (argc != 3)
		return 2;
	dir = argv[1];
	if (strcmp(argv[2], "create-32k") == 0)
		run_thread(NULL, 32768);
	else if (strcmp(argv[2], "thread-64k") == 0)
		run_thread("t64k", 65536);
	else if (strcmp(argv[2], "thread-min") == 0)
		run_thread("tmin", PTHREAD_STACK_MIN);
	else {
		ss.ss_sp = malloc(SIGSTKSZ);
		ss.ss_size = SIGSTKSZ;
		ss.ss_flags = 0;
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = on_usr1;
		sa.sa_flags = SA_ONSTACK;
		if (sigaltstack(&ss, NULL) != 0 || sigaction(SIGUSR1, &sa, NULL) != 0)
			return 2;
		raise(SIGUSR1);
		printf(handled == 1 ? "ok\n" : "err the calls failed\n");
	}
	return 0;
}
