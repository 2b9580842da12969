/* SPDX-License-Identifier: MIT */
/*
 * sandbox.c: the container of `efsap run --image` (sandbox.h), made with
 * unshare(2), mount(2) and pivot_root(2) in the launcher itself.
 *
 * Why not bubblewrap: a container's writable layer is an overlay over the
 * image, thrown away at exit, and Debian 12's bubblewrap (0.8) cannot mount
 * one; the kernel (5.11 and later) lets an unprivileged user namespace mount
 * overlayfs with "userxattr", which also keeps efsap's records (user.efsap)
 * on the image's files.  The calls bubblewrap would make are few, and the
 * launcher needs no setuid helper, daemon or root.
 *
 * The launcher unshares user, pid and UTS namespaces, maps its own uid and
 * gid to 0 (the only mapping an unprivileged process may write; the library
 * presents the task's identity above it) and forks the container's first
 * process (pid 1), which makes a mount namespace of its own (pivot_root
 * would move the launcher's root too), builds the root in it and executes
 * the command.
 * The launcher waits, passes on SIGINT, SIGTERM, SIGHUP and SIGQUIT, and
 * returns the command's status.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "efsap_tool.h"
#include "path.h"
#include "sandbox.h"

#define EXIT_CONTAINER	125	/* as docker run: the container could not be made */

static pid_t child;
static volatile sig_atomic_t forwarded;

/*
 * Pass a signal on to the container's first process.  As the first
 * process of a pid namespace it ignores the signals it has no handler for
 * (docker run without --init behaves so), so a second one is SIGKILL, as
 * docker stop's.
 */
static void
forward(int sig)
{
	if (child > 0)
		kill(child, forwarded++ > 0 ? SIGKILL : sig);
}

/* One line on stderr, then _exit: the container's first process gives up. */
static void __attribute__((noreturn, format(printf, 2, 3)))
fail(int status, const char *fmt, ...)
{
	char msg[EFS_PATH_MAX + 256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(msg, sizeof msg - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	if ((size_t)n > sizeof msg - 2)
		n = (int)sizeof msg - 2;
	msg[n++] = '\n';
	if (write(STDERR_FILENO, "efsap: ", 7) < 0 || write(STDERR_FILENO, msg, (size_t)n) < 0)
		_exit(status);
	_exit(status);
}

static int
write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd == -1)
		return -1;
	n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

/* dir + "/" + rel into buf, or give up: every path here is built from known parts. */
static void
join(char *buf, size_t len, const char *dir, const char *rel)
{
	while (*rel == '/')
		rel++;
	if ((size_t)snprintf(buf, len, "%s/%s", dir, rel) >= len)
		fail(EXIT_CONTAINER, "%s/%s: %s", dir, rel, strerror(ENAMETOOLONG));
}

/* mkdir -p of rel under root; new directories get mode. */
static void
mkdirs(const char *root, const char *rel, mode_t mode)
{
	char p[EFS_PATH_MAX];
	int rc;

	join(p, sizeof p, root, rel);
	if ((rc = tool_mkdir_p(p, mode)) != 0)
		fail(EXIT_CONTAINER, "cannot make %s in the container: %s", p, strerror(-rc));
}

static void
must_mount(const char *src, const char *target, const char *type,
    unsigned long flags, const char *data, const char *what)
{
	if (mount(src, target, type, flags, data) == -1)
		fail(EXIT_CONTAINER, "cannot mount %s: %s", what, strerror(errno));
}

/*
 * A file at target to bind another file onto: an image's symbolic link
 * there (resolv.conf often is one) is replaced, as Docker does.
 */
static int
file_mountpoint(const char *target)
{
	struct stat st;
	int fd;

	if (lstat(target, &st) == 0 && !S_ISREG(st.st_mode))
		if (unlink(target) == -1)
			return -1;
	fd = open(target, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd == -1)
		return -1;
	close(fd);
	return 0;
}

static void
bind_file(const char *src, const char *root, const char *rel)
{
	char t[EFS_PATH_MAX];

	join(t, sizeof t, root, rel);
	if (file_mountpoint(t) == -1 || mount(src, t, NULL, MS_BIND, NULL) == -1)
		fail(EXIT_CONTAINER, "cannot give the container %s: %s", rel, strerror(errno));
}

static void
bind_dir(const char *src, const char *root, const char *rel, int ro)
{
	char t[EFS_PATH_MAX];

	mkdirs(root, rel, 0755);
	join(t, sizeof t, root, rel);
	must_mount(src, t, NULL, MS_BIND | MS_REC, NULL, src);
	/* best effort: a bind of a locked mount keeps the flags it must */
	if (ro)
		(void)mount(NULL, t, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV, NULL);
}

/* /dev as a container has it: a tmpfs with the host's harmless devices. */
static void
make_dev(const char *root, const char *host)
{
	static const char *const nodes[] = { "null", "zero", "full", "random", "urandom", "tty" };
	static const char *const links[][2] = {
		{ "fd", "/proc/self/fd" }, { "stdin", "/proc/self/fd/0" },
		{ "stdout", "/proc/self/fd/1" }, { "stderr", "/proc/self/fd/2" },
		{ "ptmx", "pts/ptmx" },
	};
	char dev[EFS_PATH_MAX], t[EFS_PATH_MAX], src[EFS_PATH_MAX + 64];
	size_t i;

	mkdirs(root, "dev", 0755);
	join(dev, sizeof dev, root, "dev");
	must_mount("tmpfs", dev, "tmpfs", MS_NOSUID | MS_NOEXEC, "mode=0755", "/dev");
	for (i = 0; i < sizeof nodes / sizeof nodes[0]; i++) {
		snprintf(src, sizeof src, "%s/dev/%s", host, nodes[i]);
		join(t, sizeof t, dev, nodes[i]);
		if (access(src, F_OK) != 0)
			continue;
		if (file_mountpoint(t) == -1 || mount(src, t, NULL, MS_BIND, NULL) == -1)
			fail(EXIT_CONTAINER, "cannot give the container /dev/%s: %s", nodes[i],
			    strerror(errno));
	}
	for (i = 0; i < sizeof links / sizeof links[0]; i++) {
		join(t, sizeof t, dev, links[i][0]);
		if (symlink(links[i][1], t) == -1)
			fail(EXIT_CONTAINER, "cannot make /dev/%s: %s", links[i][0], strerror(errno));
	}
	mkdirs(dev, "pts", 0755);
	join(t, sizeof t, dev, "pts");
	/* a terminal of its own; without one (an old kernel), the program has no ptys */
	(void)mount("devpts", t, "devpts", MS_NOSUID | MS_NOEXEC,
	    "newinstance,ptmxmode=0666,mode=0620");
	mkdirs(dev, "shm", 01777);
	join(t, sizeof t, dev, "shm");
	must_mount("tmpfs", t, "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777", "/dev/shm");
}

/* Overlay option text: the kernel splits lowerdir at ':' and options at ','. */
static void
escape_opt(char *out, size_t len, const char *in)
{
	size_t n = 0;

	for (; *in != '\0'; in++) {
		if (n + 3 > len)
			fail(EXIT_CONTAINER, "%s: %s", in, strerror(ENAMETOOLONG));
		if (*in == ':' || *in == ',' || *in == '\\')
			out[n++] = '\\';
		out[n++] = *in;
	}
	out[n] = '\0';
}

static void
write_cconf(const char *root, const void *buf, size_t len)
{
	char p[EFS_PATH_MAX];
	const char *b = buf;
	int fd;

	join(p, sizeof p, root, EFS_SB_CCONF);
	fd = open(p, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0444);
	if (fd == -1)
		fail(EXIT_CONTAINER, "cannot write %s: %s", EFS_SB_CCONF, strerror(errno));
	while (len > 0) {
		ssize_t w = write(fd, b, len);

		if (w <= 0)
			fail(EXIT_CONTAINER, "cannot write %s: %s", EFS_SB_CCONF,
			    strerror(w < 0 ? errno : ENOSPC));
		b += w;
		len -= (size_t)w;
	}
	close(fd);
}

/*
 * A host path as the container's first process sees it once it has entered
 * the image: the host's tree is kept under host (a fresh name in the
 * image's root) until the mounts are made.  Host symbolic links are
 * resolved on the host first (/etc/resolv.conf often is one).  "" when
 * the host has nothing there.
 */
static void
host_path(const char *host, const char *path, char *out, size_t len)
{
	char *r = realpath(path, NULL);

	out[0] = '\0';
	if (r == NULL)
		return;
	if ((size_t)snprintf(out, len, "%s%s", host, r) >= len)
		out[0] = '\0';
	free(r);
}

/*
 * A copy of the host's file src at dir/name, for the container to change
 * as it likes (Docker gives copies too): 0, or -1 when src is unreadable
 * (the container then has none).
 */
static int
copy_in(const char *src, const char *dir, const char *name, char *out, size_t len)
{
	char buf[8192];
	ssize_t n;
	int in, fd, rc = 0;

	join(out, len, dir, name);
	if ((in = open(src, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	if ((fd = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) == -1)
		fail(EXIT_CONTAINER, "cannot write /etc/%s: %s", name, strerror(errno));
	while (rc == 0 && (n = read(in, buf, sizeof buf)) != 0)
		if (n < 0 ? errno != EINTR : write(fd, buf, (size_t)n) != n)
			rc = -1;
	close(in);
	if (close(fd) == -1 || rc == -1)
		fail(EXIT_CONTAINER, "cannot write /etc/%s: %s", name, strerror(errno));
	return 0;
}

/* The container's first process: build the root in scratch, enter it, execute. */
static void __attribute__((noreturn))
first_process(const struct efs_sandbox *sb, const char *scratch)
{
	char low[2 * EFS_PATH_MAX], up[EFS_PATH_MAX], work[EFS_PATH_MAX], root[EFS_PATH_MAX];
	char opts[6 * EFS_PATH_MAX], t[EFS_PATH_MAX], e1[2 * EFS_PATH_MAX], e2[2 * EFS_PATH_MAX];
	char hostdir[EFS_PATH_MAX], host[EFS_PATH_MAX], hostabs[EFS_PATH_MAX];
	char s_sys[EFS_PATH_MAX], s_hosts[EFS_PATH_MAX], s_resolv[EFS_PATH_MAX];
	char s_lib[EFS_PATH_MAX], s_fs[EFS_PATH_MAX], s_log[EFS_PATH_MAX], s_name[EFS_PATH_MAX];
	char c_hosts[EFS_PATH_MAX], c_resolv[EFS_PATH_MAX];
	const char *const *m;
	extern char **environ;
	struct stat st;
	int e;

	/* a mount namespace of its own: pivot_root moves every process of one */
	if (unshare(CLONE_NEWNS) == -1 ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == -1)
		fail(EXIT_CONTAINER, "cannot make a mount namespace: %s", strerror(errno));
	must_mount("tmpfs", scratch, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755",
	    "the container's writable layer");
	join(up, sizeof up, scratch, "upper");
	join(work, sizeof work, scratch, "work");
	join(root, sizeof root, scratch, "root");
	if (mkdir(up, 0755) == -1 || mkdir(work, 0755) == -1 || mkdir(root, 0755) == -1)
		fail(EXIT_CONTAINER, "cannot make the writable layer: %s", strerror(errno));
	escape_opt(low, sizeof low, sb->rootfs);
	escape_opt(e1, sizeof e1, up);
	escape_opt(e2, sizeof e2, work);
	if ((size_t)snprintf(opts, sizeof opts, "lowerdir=%s,upperdir=%s,workdir=%s,userxattr",
	    low, e1, e2) >= sizeof opts)
		fail(EXIT_CONTAINER, "%s: %s", sb->rootfs, strerror(ENAMETOOLONG));
	if (mount("overlay", root, "overlay", 0, opts) == -1)
		fail(EXIT_CONTAINER, "cannot mount the image %s as an overlay (%s): "
		    "unprivileged overlays need Linux 5.11 or later", sb->rootfs, strerror(errno));
	join(t, sizeof t, scratch, "hostname");
	{
		int fd = open(t, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);

		if (fd == -1 || write(fd, "efsap\n", 6) != 6)
			fail(EXIT_CONTAINER, "cannot write /etc/hostname: %s", strerror(errno));
		close(fd);
	}
	/* the host's files are the host's: the container changes copies */
	if (copy_in("/etc/hosts", scratch, "hosts", c_hosts, sizeof c_hosts) == -1)
		c_hosts[0] = '\0';
	if (copy_in("/etc/resolv.conf", scratch, "resolv.conf", c_resolv, sizeof c_resolv) == -1)
		c_resolv[0] = '\0';

	/*
	 * Enter the image first, keeping the host's tree under a fresh name:
	 * every path made below is then resolved inside the container, so
	 * that an image's symbolic link (etc -> /home/me) can never lead a
	 * mount, a new file or an unlink onto the host.
	 */
	join(hostdir, sizeof hostdir, root, ".efsap-host.XXXXXX");
	if (mkdtemp(hostdir) == NULL)
		fail(EXIT_CONTAINER, "cannot make a directory in the image's root: %s", strerror(errno));
	snprintf(host, sizeof host, "/%s", strrchr(hostdir, '/') + 1);
	host_path(host, "/sys", s_sys, sizeof s_sys);
	s_hosts[0] = s_resolv[0] = '\0';
	if (c_hosts[0] != '\0')
		host_path(host, c_hosts, s_hosts, sizeof s_hosts);
	if (c_resolv[0] != '\0')
		host_path(host, c_resolv, s_resolv, sizeof s_resolv);
	host_path(host, sb->libdir, s_lib, sizeof s_lib);
	host_path(host, t, s_name, sizeof s_name);
	s_fs[0] = s_log[0] = '\0';
	if (sb->fsdir != NULL)
		host_path(host, sb->fsdir, s_fs, sizeof s_fs);
	if (sb->logfile != NULL)
		host_path(host, sb->logfile, s_log, sizeof s_log);
	if (s_lib[0] == '\0' || s_name[0] == '\0' || (sb->fsdir != NULL && s_fs[0] == '\0') ||
	    (sb->logfile != NULL && s_log[0] == '\0'))
		fail(EXIT_CONTAINER, "cannot find efsap's own files to give the container");
	if (syscall(SYS_pivot_root, root, hostdir) == -1 || chdir("/") == -1)
		fail(EXIT_CONTAINER, "cannot enter the container's root: %s", strerror(errno));
	/* from here on, "" is the container's root */
	root[0] = '\0';

	mkdirs(root, "proc", 0555);
	must_mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL, "/proc");
	mkdirs(root, "sys", 0555);
	if (s_sys[0] == '\0' || mount(s_sys, "/sys", NULL, MS_BIND | MS_REC, NULL) == -1)
		(void)0;	/* no /sys on the host side (a minimal sandbox): the container has none */
	make_dev(root, host);
	if (access("/tmp", F_OK) != 0) {
		mkdirs(root, "tmp", 01777);
		(void)chmod("/tmp", 01777);
	}
	mkdirs(root, "etc", 0755);
	if (s_hosts[0] != '\0')
		bind_file(s_hosts, root, "etc/hosts");
	if (s_resolv[0] != '\0')
		bind_file(s_resolv, root, "etc/resolv.conf");
	bind_file(s_name, root, "etc/hostname");
	(void)sethostname("efsap", 5);
	for (m = sb->mkdirs; m != NULL && *m != NULL; m++)
		mkdirs(root, *m, 0755);
	/*
	 * Where the library stages the image's new objects, on the image's
	 * own file system: made fresh, whatever the image had there.
	 */
	if (lstat("/" EFS_IMAGE_STAGE, &st) == 0 && !S_ISDIR(st.st_mode) &&
	    unlink("/" EFS_IMAGE_STAGE) == -1)
		fail(EXIT_CONTAINER, "cannot make /%s: %s", EFS_IMAGE_STAGE, strerror(errno));
	if (mkdir("/" EFS_IMAGE_STAGE, 0700) == -1 && errno != EEXIST)
		fail(EXIT_CONTAINER, "cannot make /%s: %s", EFS_IMAGE_STAGE, strerror(errno));

	/* efsap's own files: an image's /.efsap that is not a directory goes */
	if (lstat(EFS_SB_DIR, &st) == 0 && !S_ISDIR(st.st_mode) && unlink(EFS_SB_DIR) == -1)
		fail(EXIT_CONTAINER, "cannot make %s: %s", EFS_SB_DIR, strerror(errno));
	mkdirs(root, EFS_SB_DIR, 0755);
	must_mount("tmpfs", EFS_SB_DIR, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755,size=16m", EFS_SB_DIR);
	bind_dir(s_lib, root, EFS_SB_LIB, 1);
	if (sb->fsdir != NULL)
		bind_dir(s_fs, root, EFS_SB_FS, 0);
	if (sb->logfile != NULL)
		bind_file(s_log, root, EFS_SB_LOG);
	if (sb->cconf != NULL)
		write_cconf(root, sb->cconf, sb->cconf_len);

	/* the host's tree leaves */
	snprintf(hostabs, sizeof hostabs, "%s", host);
	if (umount2(hostabs, MNT_DETACH) == -1 || rmdir(hostabs) == -1)
		fail(EXIT_CONTAINER, "cannot leave the host's tree: %s", strerror(errno));
	if (sb->workdir != NULL && sb->workdir[0] != '\0') {
		mkdirs(root, sb->workdir, 0755);
		if (chdir(sb->workdir) == -1)
			fail(EXIT_CONTAINER, "WorkingDir %s: %s", sb->workdir, strerror(errno));
	}
	environ = (char **)sb->envp;
	execvp(sb->argv[0], sb->argv);
	e = errno;
	fail(e == ENOENT ? 127 : 126, "%s: %s", sb->argv[0], strerror(e));
}

static int
status_of(int st)
{
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return EXIT_CONTAINER;
}

int
efs_sandbox_run(const struct efs_sandbox *sb)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
	char scratch[EFS_PATH_MAX], map[64];
	const char *tmp = getenv("TMPDIR");
	uid_t uid = geteuid();
	gid_t gid = getegid();
	struct sigaction sa;
	size_t i;
	int st;

	if (tmp == NULL || tmp[0] != '/')
		tmp = "/tmp";
	if ((size_t)snprintf(scratch, sizeof scratch, "%s/efsap-ctr.XXXXXX", tmp) >= sizeof scratch ||
	    mkdtemp(scratch) == NULL) {
		fprintf(stderr, "efsap: cannot make a directory in %s: %s\n", tmp, strerror(errno));
		return EXIT_CONTAINER;
	}
	if (unshare(CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWUTS) == -1) {
		fprintf(stderr, "efsap: this system gives no unprivileged user namespace "
		    "(unshare: %s), so it cannot run an image\n", strerror(errno));
		rmdir(scratch);
		return EFSAP_EXIT_NOUSERNS;
	}
	snprintf(map, sizeof map, "0 %lu 1\n", (unsigned long)uid);
	if (write_file("/proc/self/setgroups", "deny") == -1 && errno != ENOENT)
		goto nomap;
	if (write_file("/proc/self/uid_map", map) == -1)
		goto nomap;
	snprintf(map, sizeof map, "0 %lu 1\n", (unsigned long)gid);
	if (write_file("/proc/self/gid_map", map) == -1)
		goto nomap;

	fflush(NULL);
	child = fork();
	if (child == -1) {
		fprintf(stderr, "efsap: cannot start the container: %s\n", strerror(errno));
		rmdir(scratch);
		return EXIT_CONTAINER;
	}
	if (child == 0) {
		for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
			signal(sigs[i], SIG_DFL);
		/* the container dies with the launcher, even by SIGKILL */
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) == -1)
			_exit(EXIT_CONTAINER);
		first_process(sb, scratch);
	}
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = forward;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		sigaction(sigs[i], &sa, NULL);
	while (waitpid(child, &st, 0) == -1)
		if (errno != EINTR) {
			st = EXIT_CONTAINER << 8;
			break;
		}
	rmdir(scratch);
	return status_of(st);

nomap:
	fprintf(stderr, "efsap: cannot map the user into its namespace: %s\n", strerror(errno));
	rmdir(scratch);
	return EFSAP_EXIT_NOUSERNS;
}
