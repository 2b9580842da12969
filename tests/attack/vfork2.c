/* SPDX-License-Identifier: MIT */
/*
 * vfork2.c: efsap's real vfork (preload/vfork.c) attacked.  Run in DIR, a
 * directory under a mount; prints "ok" lines or "err WHAT: WHY".
 *
 *   vfork2 shared DIR    the child's store to memory is the parent's (a real
 *                        vfork, not a fork), in a single-threaded process;
 *                        with a second thread alive the child's chdir still
 *                        leaves the parent's working directory alone
 *   vfork2 state DIR     the child chdirs, sets umask 077, creates, setuid
 *                        (2000, when root), closes every descriptor, fails an
 *                        exec, _exits; the parent's uid, umask, cwd and
 *                        descriptors are its own (a create through its dirfd
 *                        is recorded with its uid and mode)
 *   vfork2 signal DIR    a signal sent to the parent by its child is handled
 *                        after the child has gone, by a handler that creates
 *                        a file relative to the parent's cwd
 *   vfork2 kill DIR N    N children chmod and create in a loop until another
 *                        process SIGKILLs them at a random instant; after each,
 *                        a fork child, then the parent, take the same locks (one
 *                        the child left held would hang them: the parent's own
 *                        takes would release a byte lock the child shared) and
 *                        the parent's state stays its own
 *   vfork2 bigexec DIR   children exec /bin/true with 5000 environment
 *                        variables (efsap maps the vector it hands the kernel):
 *                        the parent's address space does not grow
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static volatile int shared_word;

static void *
sleeper(void *arg)
{
	(void)arg;
	pause();
	return NULL;
}

static int
wait_ok(pid_t pid)
{
	int st;

	return pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

static int
cwd_is(const char *want)
{
	char buf[4096];

	return getcwd(buf, sizeof buf) != NULL && strcmp(buf, want) == 0;
}

static int
do_shared(const char *dir)
{
	pthread_t t;
	pid_t pid;

	shared_word = 0;
	pid = vfork();
	if (pid == 0) {
		shared_word = 42;
		_exit(0);
	}
	if (!wait_ok(pid) || shared_word != 42)
		printf("err shared: the child's store is not seen (%d): a fork\n", shared_word);
	else
		printf("ok shared memory\n");
	if (pthread_create(&t, NULL, sleeper, NULL) != 0)
		return printf("err thread: %s\n", strerror(errno)), 1;
	pid = vfork();
	if (pid == 0) {
		if (chdir("sub") != 0)
			_exit(3);
		_exit(0);
	}
	if (!wait_ok(pid) || !cwd_is(dir))
		printf("err threaded: the parent's cwd changed\n");
	else
		printf("ok threaded cwd\n");
	return 0;
}

static int
do_state(const char *dir)
{
	char *nope[] = { "nope", NULL };
	uid_t uid = geteuid();
	struct stat st;
	mode_t um;
	pid_t pid;
	int dfd, fd;

	dfd = open("sub", O_RDONLY | O_DIRECTORY);
	fd = open("f0", O_RDWR | O_CREAT, 0644);
	if (dfd < 0 || fd < 0)
		return printf("err set-up: %s\n", strerror(errno)), 1;
	umask(022);
	pid = vfork();
	if (pid == 0) {
		if (chdir("sub") != 0)
			_exit(3);
		umask(077);
		if (open("child1", O_WRONLY | O_CREAT, 0666) < 0 || mkdir("cdir", 0777) != 0 ||
		    open("cdir/x", O_WRONLY | O_CREAT, 0666) < 0)
			_exit(4);
		if (uid == 0 && setuid(2000) != 0)
			_exit(5);
		close_range(3, ~0U, 0);
		execve("/nonexistent/efsap-vfork2", nope, environ);
		_exit(0);
	}
	if (!wait_ok(pid))
		printf("err child: failed\n");
	um = umask(022);
	if (getuid() != uid || geteuid() != uid)
		printf("err uid: %u/%u, was %u\n", (unsigned)getuid(), (unsigned)geteuid(),
		    (unsigned)uid);
	else if (um != 022)
		printf("err umask: %03o\n", (unsigned)um);
	else if (!cwd_is(dir))
		printf("err cwd: changed\n");
	else if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
		printf("err fd: %s\n", strerror(errno));
	else if (close(fd) != 0 || (fd = openat(dfd, "p", O_WRONLY | O_CREAT, 0666)) < 0 ||
	    fstat(fd, &st) != 0)
		printf("err create through the dirfd: %s\n", strerror(errno));
	else if (st.st_uid != uid || (st.st_mode & 0777) != 0644)
		printf("err create: uid %u mode %o\n", (unsigned)st.st_uid,
		    (unsigned)(st.st_mode & 0777));
	else if (stat("sub/child1", &st) != 0 || st.st_uid != uid || (st.st_mode & 0777) != 0600)
		printf("err the child's create: %s uid %u mode %o\n", strerror(errno),
		    (unsigned)st.st_uid, (unsigned)(st.st_mode & 0777));
	else
		printf("ok state\n");
	return 0;
}

static volatile sig_atomic_t sig_rc = -1;

static void
on_usr1(int s)
{
	int fd = open("by-handler", O_WRONLY | O_CREAT, 0644);

	(void)s;
	sig_rc = fd >= 0 ? 0 : errno;
	if (fd >= 0)
		close(fd);
}

static int
do_signal(const char *dir)
{
	struct sigaction sa;
	struct stat st;
	pid_t pid;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	pid = vfork();
	if (pid == 0) {
		if (chdir("sub") != 0)
			_exit(3);
		kill(getppid(), SIGUSR1);
		_exit(0);
	}
	if (!wait_ok(pid))
		printf("err child: failed\n");
	while (sig_rc == -1)
		;
	if (sig_rc != 0)
		printf("err handler: %s\n", strerror(sig_rc));
	else if (stat("by-handler", &st) != 0 || st.st_uid != 1000)
		printf("err handler's file: not in the parent's cwd with uid 1000\n");
	else if (access("sub/by-handler", F_OK) == 0)
		printf("err handler's file: made in the child's cwd\n");
	else
		printf("ok signal\n");
	return 0;
}

/* A fork child (its own thread id) takes every lock the vfork children took. */
static int
other_process_ok(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		char name[64];
		unsigned k;

		alarm(5);
		for (k = 0; k < 8; k++) {
			snprintf(name, sizeof name, "c%u", k);
			(void)close(open(name, O_WRONLY | O_CREAT, 0644));
			(void)unlink(name);
		}
		_exit(chmod("k", 0644) == 0 ? 0 : 1);
	}
	return wait_ok(pid);
}

static int
do_kill(const char *dir, int n)
{
	uid_t uid = getuid();
	struct stat st;
	int i, p[2], hit = 0;

	if (open("k", O_WRONLY | O_CREAT, 0644) < 0)
		return printf("err set-up: %s\n", strerror(errno)), 1;
	srand((unsigned)getpid());
	for (i = 0; i < n; i++) {
		unsigned delay = (unsigned)(rand() % 3000);
		pid_t killer, child;
		int st_;

		if (pipe(p) != 0)
			return printf("err pipe\n"), 1;
		killer = fork();
		if (killer == 0) {
			pid_t c;
			struct timespec ts = { 0, (long)delay * 1000 };

			close(p[1]);
			if (read(p[0], &c, sizeof c) != (ssize_t)sizeof c)
				_exit(1);
			nanosleep(&ts, NULL);
			kill(c, SIGKILL);
			_exit(0);
		}
		close(p[0]);
		child = vfork();
		if (child == 0) {
			pid_t me = getpid();
			char name[64];
			unsigned k;

			if (write(p[1], &me, sizeof me) != (ssize_t)sizeof me)
				_exit(1);
			for (k = 0;; k++) {
				(void)chmod("k", k & 1 ? 0600 : 0644);
				snprintf(name, sizeof name, "c%u", k % 8);
				(void)close(open(name, O_WRONLY | O_CREAT, 0644));
				(void)unlink(name);
			}
		}
		close(p[1]);
		if (waitpid(child, &st_, 0) == child && WIFSIGNALED(st_))
			hit++;
		waitpid(killer, NULL, 0);
		if (!other_process_ok())
			return printf("err another process: hangs on a lock killed child %d left\n", i), 1;
		if (chmod("k", 0640) != 0 || stat("k", &st) != 0 || (st.st_mode & 0777) != 0640)
			return printf("err parent chmod after %d: %s\n", i, strerror(errno)), 1;
	}
	if (!cwd_is(dir) || getuid() != uid)
		printf("err state: changed\n");
	else if (hit == 0)
		printf("err kill: no child was killed\n");
	else
		printf("ok kill\n");
	return 0;
}

static size_t
mapped_kb(void)
{
	FILE *f = fopen("/proc/self/statm", "r");
	unsigned long pages = 0;

	if (f != NULL) {
		if (fscanf(f, "%lu", &pages) != 1)
			pages = 0;
		fclose(f);
	}
	return pages * (size_t)sysconf(_SC_PAGESIZE) / 1024;
}

static int
do_bigexec(void)
{
	static char *av[] = { "true", NULL };
	static char *ev[5002], names[5000][16];
	size_t before, after;
	int i;

	for (i = 0; i < 5000; i++) {
		snprintf(names[i], sizeof names[i], "EFSAP_X%d=1", i);
		ev[i] = names[i];
	}
	ev[5000] = NULL;
	before = mapped_kb();
	for (i = 0; i < 20; i++) {
		pid_t pid = vfork();

		if (pid == 0) {
			execve("/bin/true", av, ev);
			_exit(127);
		}
		if (!wait_ok(pid))
			return printf("err bigexec: child failed\n"), 1;
	}
	after = mapped_kb();
	if (after > before + 64)
		printf("err bigexec: %zu KiB mapped before, %zu after\n", before, after);
	else
		printf("ok bigexec\n");
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc < 3 || chdir(argv[2]) != 0)
		return 2;
	if (strcmp(argv[1], "shared") == 0)
		return do_shared(argv[2]);
	if (strcmp(argv[1], "state") == 0)
		return do_state(argv[2]);
	if (strcmp(argv[1], "signal") == 0)
		return do_signal(argv[2]);
	if (strcmp(argv[1], "kill") == 0 && argc == 4)
		return do_kill(argv[2], atoi(argv[3]));
	if (strcmp(argv[1], "bigexec") == 0)
		return do_bigexec();
	return 2;
}
