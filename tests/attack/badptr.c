/* SPDX-License-Identifier: MIT */
/*
 * badptr.c: pointers to memory the program may not read or write (path
 * arguments, link targets, names, output buffers, vectors) must give
 * EFAULT, as the kernel does, not crash the program.  Each call runs in a
 * child process; prints "CALL ADDR ok" (EFAULT), "CALL ADDR err ERRNO"
 * (another result) or "CALL ADDR crash SIGNAL".  ADDR is "unmapped" (a
 * page mapped and unmapped again), "-1", or "revoked" for the cases that
 * first use a good path, then make its page unreadable (munmap, mprotect,
 * mmap MAP_FIXED, mremap, munmap in another thread or in a child sharing
 * the memory, MADV_DONTFORK in a fork child) and pass it again.
 *
 *   badptr [DIR]        chdir to DIR first (relative resolution)
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

#define LNK	"badptr-lnk"		/* a symbolic link the parent makes in DIR */

static struct stat st;
static char buf[256];

/* ---- one bad pointer in one argument ---- */

static int c_stat(char *p) { return stat(p, &st); }
static int c_lstat(char *p) { return lstat(p, &st); }
static int c_open(char *p) { return open(p, O_RDONLY); }
static int c_creat(char *p) { return open(p, O_WRONLY | O_CREAT, 0644); }
static int c_mkdir(char *p) { return mkdir(p, 0755); }
static int c_chmod(char *p) { return chmod(p, 0644); }
static int c_chown(char *p) { return chown(p, 0, 0); }
static int c_lchown(char *p) { return lchown(p, 0, 0); }
static int c_access(char *p) { return access(p, F_OK); }
static int c_unlink(char *p) { return unlink(p); }
static int c_rmdir(char *p) { return rmdir(p); }
static int c_rename_old(char *p) { return rename(p, "x"); }
static int c_rename_new(char *p) { return rename(LNK, p); }
static int c_link_old(char *p) { return link(p, "x"); }
static int c_link_new(char *p) { return link(LNK, p); }
static int c_symlink_target(char *p) { return symlink(p, "x"); }
static int c_symlink_path(char *p) { return symlink("t", p); }
static int c_readlink(char *p) { return (int)readlink(p, buf, sizeof buf); }
static int c_readlink_buf(char *p) { return (int)readlink(LNK, p, 64); }
static int c_truncate(char *p) { return truncate(p, 0); }
static int c_mkfifo(char *p) { return mkfifo(p, 0644); }
static int c_mknod(char *p) { return mknod(p, S_IFIFO | 0644, 0); }
static int c_openat(char *p) { return openat(AT_FDCWD, p, O_RDONLY); }
static int c_fstatat(char *p) { return fstatat(AT_FDCWD, p, &st, 0); }
static int c_stat_buf(char *p) { return stat(".", (struct stat *)(void *)p); }
static int c_lstat_buf(char *p) { return lstat(LNK, (struct stat *)(void *)p); }
static int c_statx(char *p) { struct statx sx; return statx(AT_FDCWD, p, 0, STATX_BASIC_STATS, &sx); }
static int c_statx_buf(char *p) { return statx(AT_FDCWD, ".", 0, STATX_BASIC_STATS, (struct statx *)(void *)p); }
static int c_mkdirat(char *p) { return mkdirat(AT_FDCWD, p, 0755); }
static int c_chdir(char *p) { return chdir(p); }
static int c_utimensat(char *p) { return utimensat(AT_FDCWD, p, NULL, 0); }
static int c_utimensat_ts(char *p) { return utimensat(AT_FDCWD, ".", (struct timespec *)(void *)p, 0); }
static int c_statfs(char *p) { struct statfs s; return statfs(p, &s); }
static int c_statfs_buf(char *p) { return statfs(".", (struct statfs *)(void *)p); }
static int c_getxattr_name(char *p) { return (int)getxattr(".", p, buf, sizeof buf); }
static int c_setxattr_name(char *p) { return setxattr(".", p, "v", 1, 0); }
static int c_setxattr_value(char *p) { return setxattr(".", "user.badptr", p, 16, 0); }
static int c_removexattr_name(char *p) { return removexattr(".", p); }
static int c_getcwd_buf(char *p) { return getcwd(p, 4096) == NULL ? -1 : 0; }
static int c_getresuid(char *p) { uid_t e, s; return getresuid((uid_t *)(void *)p, &e, &s); }
static int c_inotify(char *p) { int fd = inotify_init(); return fd < 0 ? fd : inotify_add_watch(fd, p, IN_ALL_EVENTS); }

static int
c_bind(char *p)
{
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	return fd < 0 ? fd : bind(fd, (struct sockaddr *)(void *)p, sizeof(struct sockaddr_un));
}

static int
c_connect(char *p)
{
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	return fd < 0 ? fd : connect(fd, (struct sockaddr *)(void *)p, sizeof(struct sockaddr_un));
}

/* An AF_UNIX socket bound in DIR (efsap rewrites its name under a mount). */
static int
c_getsockname(char *addr, char *len)
{
	struct sockaddr_un su;
	socklen_t sl = sizeof su;
	int fd = socket(AF_UNIX, SOCK_STREAM, 0), r, e;

	memset(&su, 0, sizeof su);
	su.sun_family = AF_UNIX;
	snprintf(su.sun_path, sizeof su.sun_path, "badptr-sock-%d", (int)getpid());
	if (fd < 0 || bind(fd, (struct sockaddr *)&su, sizeof su) != 0)
		_exit(10);
	r = getsockname(fd, addr != NULL ? (struct sockaddr *)(void *)addr : (struct sockaddr *)&su,
	    len != NULL ? (socklen_t *)(void *)len : &sl);
	e = errno;
	unlink(su.sun_path);
	errno = e;
	return r;
}

static int c_getsockname_addr(char *p) { return c_getsockname(p, NULL); }
static int c_getsockname_len(char *p) { return c_getsockname(NULL, p); }

static int
c_execve_path(char *p)
{
	char *av[] = { (char *)"true", NULL }, *ev[] = { NULL };

	return execve(p, av, ev);
}

static int
c_execve_argv(char *p)
{
	char *ev[] = { NULL };

	return execve("/bin/true", (char **)(void *)p, ev);
}

static int
c_execve_arg(char *p)
{
	char *av[] = { (char *)"true", p, NULL }, *ev[] = { NULL };

	return execve("/bin/true", av, ev);
}

static int
c_execve_envp(char *p)
{
	char *av[] = { (char *)"true", NULL };

	return execve("/bin/true", av, (char **)(void *)p);
}

static const struct {
	const char *name;
	int (*fn)(char *);
} calls[] = {
	{ "stat", c_stat }, { "lstat", c_lstat }, { "open", c_open }, { "open-creat", c_creat },
	{ "mkdir", c_mkdir }, { "chmod", c_chmod }, { "chown", c_chown }, { "lchown", c_lchown },
	{ "access", c_access }, { "unlink", c_unlink }, { "rmdir", c_rmdir },
	{ "rename", c_rename_old }, { "rename-new", c_rename_new },
	{ "link", c_link_old }, { "link-new", c_link_new },
	{ "symlink-target", c_symlink_target }, { "symlink", c_symlink_path },
	{ "readlink", c_readlink }, { "readlink-buf", c_readlink_buf },
	{ "truncate", c_truncate }, { "mkfifo", c_mkfifo }, { "mknod", c_mknod },
	{ "openat", c_openat }, { "fstatat", c_fstatat }, { "stat-buf", c_stat_buf },
	{ "lstat-buf", c_lstat_buf }, { "statx", c_statx }, { "statx-buf", c_statx_buf },
	{ "mkdirat", c_mkdirat }, { "chdir", c_chdir }, { "utimensat", c_utimensat },
	{ "utimensat-times", c_utimensat_ts }, { "statfs", c_statfs },
	{ "statfs-buf", c_statfs_buf }, { "getxattr-name", c_getxattr_name },
	{ "setxattr-name", c_setxattr_name }, { "setxattr-value", c_setxattr_value },
	{ "removexattr-name", c_removexattr_name }, { "getcwd-buf", c_getcwd_buf },
	{ "getresuid", c_getresuid }, { "inotify_add_watch", c_inotify },
	{ "bind", c_bind }, { "connect", c_connect },
	{ "getsockname-addr", c_getsockname_addr }, { "getsockname-len", c_getsockname_len }, { "execve", c_execve_path },
	{ "execve-argv", c_execve_argv }, { "execve-arg", c_execve_arg },
	{ "execve-envp", c_execve_envp },
};

/* ---- a good path whose page becomes unreadable after a first use ---- */

static char *
fresh(void)
{
	char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		_exit(2);
	strcpy(p, ".");
	if (stat(p, &st) != 0)		/* the first use: proven readable */
		_exit(3);
	return p;
}

static void *
unmapper(void *p)
{
	munmap(p, 4096);
	return NULL;
}

static int
r_munmap(void)
{
	char *p = fresh();

	munmap(p, 4096);
	return stat(p, &st);
}

static int
r_mprotect(void)
{
	char *p = fresh();

	mprotect(p, 4096, PROT_NONE);
	return stat(p, &st);
}

static int
r_mmap_fixed(void)
{
	char *p = fresh();

	if (mmap(p, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != p)
		_exit(4);
	return stat(p, &st);
}

static int
r_other_thread(void)
{
	char *p = fresh();
	pthread_t t;

	if (pthread_create(&t, NULL, unmapper, p) != 0)
		_exit(5);
	pthread_join(t, NULL);
	return open(p, O_RDONLY);
}

static int
r_mremap(void)
{
	char *p = fresh();
	void *q = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	/* moved onto a place reserved for it: the old page is surely gone */
	if (q == MAP_FAILED || mremap(p, 4096, 4096, MREMAP_MAYMOVE | MREMAP_FIXED, q) != q)
		_exit(6);
	return chmod(p, 0755);
}

/* A fork child lacks its parent's MADV_DONTFORK pages: EFAULT there. */
static int
r_dontfork(void)
{
	char *p = fresh();
	pid_t pid;
	int ws;

	if (madvise(p, 4096, MADV_DONTFORK) != 0)
		_exit(7);
	if ((pid = fork()) == 0)
		_exit(stat(p, &st) == -1 && errno == EFAULT ? 0 : errno == 0 ? 255 : errno);
	if (pid < 0 || waitpid(pid, &ws, 0) != pid)
		_exit(8);
	if (WIFSIGNALED(ws))
		raise(WTERMSIG(ws));	/* the child's crash is ours to report */
	errno = WEXITSTATUS(ws) == 0 ? EFAULT : WEXITSTATUS(ws);
	return -1;
}

/*
 * A child that shares the parent's memory (clone CLONE_VM, as posix_spawn
 * makes; efsap turns vfork into fork): its munmap is the parent's too.
 */
static int
unmap_child(void *p)
{
	munmap(p, 4096);
	return 0;
}

static int
r_clone_vm(void)
{
	static char stack[64 * 1024] __attribute__((aligned(16)));
	char *p = fresh();
	pid_t pid;

	pid = clone(unmap_child, stack + sizeof stack, CLONE_VM | SIGCHLD, p);
	if (pid < 0 || waitpid(pid, NULL, 0) != pid)
		_exit(9);
	return lstat(p, &st);
}

static const struct {
	const char *name;
	int (*fn)(void);
} revokes[] = {
	{ "stat-in-fork-child-after-dontfork", r_dontfork },
	{ "lstat-after-clone-vm-child-munmap", r_clone_vm },
	{ "stat-after-munmap", r_munmap }, { "stat-after-mprotect", r_mprotect },
	{ "stat-after-mmap-fixed", r_mmap_fixed }, { "open-after-thread-munmap", r_other_thread },
	{ "chmod-after-mremap", r_mremap },
};

/* Run fn(arg) or rfn() in a child and report as the header says. */
static void
report(const char *name, const char *addr, int (*fn)(char *), char *arg, int (*rfn)(void))
{
	pid_t pid;
	int st;

	fflush(stdout);
	if ((pid = fork()) == 0) {
		errno = 0;
		_exit((fn != NULL ? fn(arg) : rfn()) == -1 && errno == EFAULT ? 0 :
		    errno == 0 ? 255 : errno);
	}
	waitpid(pid, &st, 0);
	printf("%s %s ", name, addr);
	if (WIFSIGNALED(st))
		printf("crash %s\n", strsignal(WTERMSIG(st)));
	else if (WEXITSTATUS(st) == 255)
		printf("err none (the call succeeded)\n");
	else if (WEXITSTATUS(st) != 0)
		printf("err %s\n", strerror(WEXITSTATUS(st)));
	else
		printf("ok\n");
}

int
main(int argc, char **argv)
{
	char *bad[2];
	int k, i;

	if (argc > 1 && chdir(argv[1]) != 0)
		return 2;
	if (symlink("target", LNK) != 0 && errno != EEXIST)
		return 2;
	/* a page mapped and unmapped again: surely unmapped, above 64 KiB */
	bad[0] = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (bad[0] == MAP_FAILED || munmap(bad[0], 4096) != 0)
		return 2;
	bad[1] = (char *)-1;
	for (k = 0; k < (int)(sizeof calls / sizeof calls[0]); k++)
		for (i = 0; i < 2; i++)
			report(calls[k].name, i == 0 ? "unmapped" : "-1", calls[k].fn, bad[i], NULL);
	for (k = 0; k < (int)(sizeof revokes / sizeof revokes[0]); k++)
		report(revokes[k].name, "revoked", NULL, NULL, revokes[k].fn);
	unlink(LNK);
	return 0;
}
