/* SPDX-License-Identifier: MIT */
/*
 * sigreent.c: a signal handler that interrupts a wrapped call and makes
 * its own call under the mount must be emulated too.  Two threads loop
 * stat and open on DIR/f; a 5 kHz timer signal's handler creates and
 * closes DIR/h.  Prints "signals=N failed=F errno=E" (E: the last
 * failure's errno, 0 if none).
 *
 *   sigreent DIR SECONDS
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static char f[4096], h[4096];
static volatile sig_atomic_t signals, failed, lasterr, stop;

static void
on_alarm(int sig)
{
	int saved = errno, fd;

	fd = open(h, O_WRONLY | O_CREAT, 0644);
	if (fd < 0) {
		failed++;
		lasterr = errno;
	} else
		close(fd);
	signals++;
	errno = saved;
}

static void *
spin(void *arg)
{
	struct stat st;
	int fd;

	while (!stop) {
		stat(f, &st);
		if ((fd = open(f, O_RDONLY)) >= 0)
			close(fd);
	}
	return arg;
}

int
main(int argc, char **argv)
{
	struct itimerval it = { { 0, 200 }, { 0, 200 } };
	struct sigaction sa;
	pthread_t t[2];
	sigset_t set;
	int fd;

	if (argc != 3)
		return 2;
	snprintf(f, sizeof f, "%s/f", argv[1]);
	snprintf(h, sizeof h, "%s/h", argv[1]);
	if ((fd = open(f, O_WRONLY | O_CREAT, 0644)) < 0)
		return perror(f), 2;
	close(fd);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_alarm;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGALRM, &sa, NULL);
	pthread_create(&t[0], NULL, spin, NULL);
	pthread_create(&t[1], NULL, spin, NULL);
	sigemptyset(&set);	/* the signals go to the spinning threads */
	sigaddset(&set, SIGALRM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
	sleep(atoi(argv[2]));
	it.it_value.tv_usec = it.it_interval.tv_usec = 0;
	setitimer(ITIMER_REAL, &it, NULL);
	stop = 1;
	pthread_join(t[0], NULL);
	pthread_join(t[1], NULL);
	printf("signals=%d failed=%d errno=%s\n", (int)signals, (int)failed,
	    lasterr ? strerrorname_np(lasterr) : "0");
	return 0;
}
