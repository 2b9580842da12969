/* SPDX-License-Identifier: MIT */
/*
 * smallstack.c: file system calls from small stacks and from signal
 * handlers, for t_stacks.sh.  Prints "ok" (or, for nested, a summary) or
 * "err STEP: ERRNO"; a crash kills it (the caller sees the signal).
 *
 *   smallstack DIR thread        a PTHREAD_STACK_MIN (16 KiB) thread runs
 *                                open, stat, mkdir, rename, readdir, chmod,
 *                                unlink, rmdir under DIR
 *   smallstack DIR sigaltstack   a handler on a SIGSTKSZ alternate stack
 *                                runs stat and open under DIR
 *   smallstack DIR nested N      the main thread loops stat/open/mkdir/
 *                                rmdir under DIR while N timer signals'
 *                                handler (on a SIGSTKSZ alternate stack)
 *                                creates DIR/h; prints "signals=N failed=F
 *                                errno=E"
 *   smallstack DIR exhaust       nftw of DIR from inside nftw's callback,
 *                                deeper and deeper until efsap's per-thread
 *                                memory runs out: prints "enomem at LEVEL,
 *                                then ok" when that nftw failed with ENOMEM
 *                                and a stat afterwards works
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

static const char *dir;
static char where[64];
static volatile sig_atomic_t handled, signals, failed, lasterr;

/* Fail at step s: record where, return errno. */
static int
fail(const char *s)
{
	int e = errno;

	snprintf(where, sizeof where, "%s", s);
	return e != 0 ? e : EIO;
}

/* The calls a program makes; 0 or an errno (where says which step). */
static int
work(const char *tag)
{
	char a[256], b[256], d[256], e[256];
	struct stat st;
	struct dirent *de;
	DIR *dp;
	int fd, seen = 0;

	snprintf(a, sizeof a, "%s/%s.f", dir, tag);
	snprintf(b, sizeof b, "%s/%s.g", dir, tag);
	snprintf(d, sizeof d, "%s/%s.d", dir, tag);
	snprintf(e, sizeof e, "%s/%s.e", dir, tag);
	if ((fd = open(a, O_WRONLY | O_CREAT | O_TRUNC, 0644)) < 0)
		return fail("open");
	if (write(fd, "x", 1) != 1)
		return fail("write");
	if (fstat(fd, &st) != 0 || st.st_size != 1)
		return fail("fstat");
	close(fd);
	if (stat(a, &st) != 0 || lstat(a, &st) != 0 || access(a, R_OK) != 0)
		return fail("stat");
	if (mkdir(d, 0755) != 0)
		return fail("mkdir");
	if (rename(a, b) != 0 || rename(d, e) != 0)
		return fail("rename");
	if (chmod(b, 0600) != 0 || stat(b, &st) != 0 || (st.st_mode & 07777) != 0600)
		return fail("chmod");
	if ((dp = opendir(dir)) == NULL)
		return fail("opendir");
	while ((de = readdir(dp)) != NULL)
		seen += strcmp(de->d_name, strrchr(b, '/') + 1) == 0;
	closedir(dp);
	if (seen != 1) {
		errno = ENOENT;
		return fail("readdir");
	}
	if (unlink(b) != 0 || rmdir(e) != 0)
		return fail("unlink");
	if (stat(b, &st) == 0 || errno != ENOENT)
		return fail("gone");
	return 0;
}

static void *
thread(void *arg)
{
	return (void *)(long)work(arg);
}

static void
on_usr1(int sig)
{
	char a[256];
	struct stat st;
	int fd, saved = errno;

	snprintf(a, sizeof a, "%s/sig.f", dir);
	handled = 2;
	if ((fd = open(a, O_WRONLY | O_CREAT, 0644)) >= 0) {
		close(fd);
		if (stat(a, &st) == 0 && stat(dir, &st) == 0 && unlink(a) == 0)
			handled = 1;
	}
	errno = saved;
}

static void
on_alarm(int sig)
{
	char h[256];
	struct stat st;
	int fd, saved = errno;

	snprintf(h, sizeof h, "%s/h", dir);
	fd = open(h, O_WRONLY | O_CREAT, 0644);
	if (fd < 0 || stat(h, &st) != 0) {
		failed++;
		lasterr = errno;
	}
	if (fd >= 0)
		close(fd);
	signals++;
	errno = saved;
}

static int
altstack(void)
{
	stack_t ss;

	ss.ss_sp = malloc(SIGSTKSZ);
	ss.ss_size = SIGSTKSZ;
	ss.ss_flags = 0;
	return ss.ss_sp == NULL ? -1 : sigaltstack(&ss, NULL);
}

static int
run_thread(void)
{
	pthread_attr_t at;
	pthread_t t;
	void *rv;
	int e;

	pthread_attr_init(&at);
	if ((e = pthread_attr_setstacksize(&at, PTHREAD_STACK_MIN)) != 0 ||
	    (e = pthread_create(&t, &at, thread, "t")) != 0) {
		printf("err pthread_create: %s\n", strerror(e));
		return 1;
	}
	pthread_join(t, &rv);
	if (rv != NULL) {
		printf("err %s: %s\n", where, strerrorname_np((int)(long)rv));
		return 1;
	}
	printf("ok\n");
	return 0;
}

static int
run_nested(long want)
{
	struct itimerval it = { { 0, 500 }, { 0, 500 } };
	struct sigaction sa;
	struct stat st;
	char f[256], d[256];
	int fd;

	snprintf(f, sizeof f, "%s/f", dir);
	snprintf(d, sizeof d, "%s/d", dir);
	if ((fd = open(f, O_WRONLY | O_CREAT, 0644)) < 0)
		return perror(f), 2;
	close(fd);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_alarm;
	sa.sa_flags = SA_RESTART | SA_ONSTACK;
	if (altstack() != 0 || sigaction(SIGALRM, &sa, NULL) != 0)
		return 2;
	setitimer(ITIMER_REAL, &it, NULL);
	while (signals < want) {
		stat(f, &st);
		if ((fd = open(f, O_RDONLY)) >= 0)
			close(fd);
		if (mkdir(d, 0755) == 0)
			rmdir(d);
	}
	it.it_value.tv_usec = it.it_interval.tv_usec = 0;
	setitimer(ITIMER_REAL, &it, NULL);
	printf("signals=%ld failed=%d errno=%s\n", (long)signals, (int)failed,
	    lasterr ? strerrorname_np(lasterr) : "0");
	return 0;
}

static int nest, enomem_at;

static int
nest_fn(const char *path, const struct stat *st, int type, struct FTW *f)
{
	int rc;

	if (f->level != 0 || enomem_at != 0 || nest >= 64)
		return 0;
	nest++;
	rc = nftw(dir, nest_fn, 4, FTW_PHYS);
	if (rc != 0 && errno == ENOMEM && enomem_at == 0)
		enomem_at = nest;
	nest--;
	return 0;
}

static int
run_exhaust(void)
{
	struct stat st;

	if (nftw(dir, nest_fn, 4, FTW_PHYS) != 0 && enomem_at == 0) {
		printf("err nftw: %s\n", strerrorname_np(errno));
		return 1;
	}
	if (enomem_at == 0) {
		printf("err no ENOMEM after 64 nested walks\n");
		return 1;
	}
	if (stat(dir, &st) != 0) {
		printf("err stat after: %s\n", strerrorname_np(errno));
		return 1;
	}
	printf("enomem at %d, then ok\n", enomem_at);
	return 0;
}

int
main(int argc, char **argv)
{
	struct sigaction sa;

	if (argc < 3)
		return 2;
	dir = argv[1];
	if (strcmp(argv[2], "thread") == 0)
		return run_thread();
	if (strcmp(argv[2], "nested") == 0 && argc == 4)
		return run_nested(atol(argv[3]));
	if (strcmp(argv[2], "exhaust") == 0)
		return run_exhaust();
	if (strcmp(argv[2], "sigaltstack") != 0)
		return 2;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_usr1;
	sa.sa_flags = SA_ONSTACK;
	if (altstack() != 0 || sigaction(SIGUSR1, &sa, NULL) != 0)
		return 2;
	raise(SIGUSR1);
	printf(handled == 1 ? "ok\n" : "err the handler's calls failed\n");
	return handled == 1 ? 0 : 1;
}
