/* SPDX-License-Identifier: MIT */
/*
 * lazystart: a process that an efsap process started sets up at its first
 * call (init.c).  This one first does what programs do before that call,
 * then makes it, and prints what it sees:
 *
 *   lazystart clearenv PATH   clearenv(3) first
 *   lazystart clobber PATH    write over every environment string in place
 *                             (as setproctitle does), then empty environ
 *   lazystart signal PATH     a SIGALRM handler that creates PATH/sig.PID.N,
 *                             every 100 us (the first after 30), while the
 *                             first call runs; 40 at most
 *   lazystart none PATH       say "started" and nothing else first
 *
 * Output: "uid=U cwd=C owner=O" (getuid, getcwd, the owner of PATH by
 * stat), and for signal "handler ok=K failed=F" (F: the handler's creates
 * that failed).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

extern char **environ;

static const char *dir;
static volatile sig_atomic_t n_ok, n_failed, seq, last_err;

static void
on_alarm(int sig)
{
	char p[4096];
	int fd, saved = errno;

	(void)sig;
	if (seq >= 40)
		return;
	snprintf(p, sizeof p, "%s/sig.%d.%d", dir, (int)getpid(), (int)seq++);
	fd = open(p, O_WRONLY | O_CREAT | O_EXCL, 0644);
	if (fd >= 0) {
		close(fd);
		n_ok++;
	} else {
		n_failed++;
		last_err = errno;
	}
	errno = saved;
}

int
main(int argc, char **argv)
{
	char cwd[4096], owner[64];
	struct stat st;
	const char *mode;
	int rc;

	if (argc != 3) {
		fprintf(stderr, "usage: lazystart clearenv|clobber|signal|none PATH\n");
		return 2;
	}
	mode = argv[1];
	dir = argv[2];
	if (strcmp(mode, "clearenv") == 0)
		clearenv();
	else if (strcmp(mode, "clobber") == 0) {
		char **e;

		for (e = environ; *e != NULL; e++)
			memset(*e, 'x', strlen(*e));
		environ[0] = NULL;
	} else if (strcmp(mode, "signal") == 0) {
		struct sigaction sa;
		struct itimerval it = { { 0, 100 }, { 0, 30 } };

		memset(&sa, 0, sizeof sa);
		sa.sa_handler = on_alarm;
		sigaction(SIGALRM, &sa, NULL);
		setitimer(ITIMER_REAL, &it, NULL);
	} else if (strcmp(mode, "none") == 0) {
		if (write(1, "started\n", 8) != 8)
			return 2;
	} else {
		fprintf(stderr, "lazystart: unknown mode %s\n", mode);
		return 2;
	}
	/* the first call into the library */
	rc = stat(dir, &st);
	if (strcmp(mode, "signal") == 0) {
		int i;

		/* let the handler run some more after start-up, then stop it */
		struct itimerval off = { { 0, 0 }, { 0, 0 } };

		for (i = 0; i < 200; i++)
			(void)getppid();
		usleep(2000);
		setitimer(ITIMER_REAL, &off, NULL);
	}
	if (rc == 0)
		snprintf(owner, sizeof owner, "%u", (unsigned)st.st_uid);
	else
		snprintf(owner, sizeof owner, "%s", strerror(errno));
	if (getcwd(cwd, sizeof cwd) == NULL)
		strcpy(cwd, "?");
	printf("uid=%u cwd=%s owner=%s\n", (unsigned)getuid(), cwd, owner);
	if (strcmp(mode, "signal") == 0)
		printf("handler ok=%d failed=%d%s%s\n", (int)n_ok, (int)n_failed,
		    n_failed ? " " : "", n_failed ? strerror(last_err) : "");
	return 0;
}
