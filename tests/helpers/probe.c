/* SPDX-License-Identifier: MIT */
/*
 * probe.c: perform file system and identity operations given on the command
 * line and print one line per operation, for the integration tests.
 *
 *   probe OP ARG... [-- OP ARG...]...
 *
 * Operations run in order in one process, so that identity changes (setuid,
 * setgroups, umask, chdir) carry to the later ones.  Each prints
 *   ok            success
 *   ok VALUE      success with a result
 *   err ENAME     failure, with the errno name (strerrorname_np)
 * The exit status is 0 when every operation succeeded, 1 when one failed,
 * 2 on a usage error.  `exec` replaces the probe and must come last.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/xattr.h>
#include <unistd.h>

static int failed;

static void
say_ok(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void
say_ok(const char *fmt, ...)
{
	va_list ap;

	fputs("ok", stdout);
	if (fmt != NULL) {
		fputc(' ', stdout);
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
	}
	fputc('\n', stdout);
	fflush(stdout);
}

static void
say_err(int e)
{
	const char *n = strerrorname_np(e);

	if (n != NULL)
		printf("err %s\n", n);
	else
		printf("err E%d\n", e);
	fflush(stdout);
	failed = 1;
}

/* Print the result of a call returning 0 / -1 with errno. */
static void
rc0(int rc)
{
	if (rc < 0)
		say_err(errno);
	else
		say_ok(NULL);
}

static long
num(const char *s)
{
	return strtol(s, NULL, 0);
}

static mode_t
octal(const char *s)
{
	return (mode_t)strtoul(s, NULL, 8);
}

static const char *
type_name(mode_t m)
{
	if (S_ISREG(m))
		return "file";
	if (S_ISDIR(m))
		return "dir";
	if (S_ISLNK(m))
		return "symlink";
	if (S_ISFIFO(m))
		return "fifo";
	if (S_ISSOCK(m))
		return "socket";
	if (S_ISCHR(m))
		return "chr";
	if (S_ISBLK(m))
		return "blk";
	return "?";
}

static void
print_stat(int rc, const struct stat *st)
{
	if (rc < 0) {
		say_err(errno);
		return;
	}
	say_ok("%u:%u %04o %s", (unsigned)st->st_uid, (unsigned)st->st_gid,
	    (unsigned)(st->st_mode & 07777), type_name(st->st_mode));
}

/* open flags from letters: r w (rw) c x t a d n e(O_PATH) */
static int
open_flags(const char *s)
{
	int rd = strchr(s, 'r') != NULL;
	int wr = strchr(s, 'w') != NULL || strchr(s, 'a') != NULL;
	int f = rd && wr ? O_RDWR : wr ? O_WRONLY : O_RDONLY;

	if (strchr(s, 'c'))
		f |= O_CREAT;
	if (strchr(s, 'x'))
		f |= O_EXCL;
	if (strchr(s, 't'))
		f |= O_TRUNC;
	if (strchr(s, 'a'))
		f |= O_APPEND;
	if (strchr(s, 'd'))
		f |= O_DIRECTORY;
	if (strchr(s, 'n'))
		f |= O_NOFOLLOW;
	if (strchr(s, 'p'))
		f = O_PATH | (f & (O_DIRECTORY | O_NOFOLLOW));
	return f;
}

static void
print_groups(char *buf, size_t len)
{
	gid_t g[NGROUPS_MAX];
	int n = getgroups(NGROUPS_MAX, g), i;
	size_t off = 0;

	buf[0] = '\0';
	if (n <= 0) {
		snprintf(buf, len, "-");
		return;
	}
	for (i = 0; i < n && off < len; i++)
		off += snprintf(buf + off, len - off, "%s%u", i ? "," : "", (unsigned)g[i]);
}

static int
parse_groups(const char *s, gid_t *g)
{
	int n = 0;
	char *copy = strdup(s), *tok, *save = NULL;

	for (tok = strtok_r(copy, ",", &save); tok != NULL && n < NGROUPS_MAX;
	    tok = strtok_r(NULL, ",", &save))
		g[n++] = (gid_t)strtoul(tok, NULL, 0);
	free(copy);
	return n;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Print the sorted names in directory p, "." and ".." left out. */
static void
op_ls(const char *p)
{
	DIR *d = opendir(p);
	struct dirent *e;
	char *names[4096];
	size_t n = 0, i;

	if (d == NULL) {
		say_err(errno);
		return;
	}
	while ((e = readdir(d)) != NULL && n < 4096) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		names[n++] = strdup(e->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof names[0], cmp_str);
	fputs("ok", stdout);
	for (i = 0; i < n; i++) {
		printf("%s%s", i ? "," : " ", names[i]);
		free(names[i]);
	}
	fputc('\n', stdout);
	fflush(stdout);
}

static void
op_read(const char *p)
{
	char buf[65536];
	int fd = open(p, O_RDONLY);
	ssize_t n, tot = 0;

	if (fd < 0) {
		say_err(errno);
		return;
	}
	while ((n = read(fd, buf + tot, sizeof buf - 1 - (size_t)tot)) > 0)
		tot += n;
	if (n < 0) {
		say_err(errno);
		close(fd);
		return;
	}
	close(fd);
	buf[tot] = '\0';
	while (tot > 0 && buf[tot - 1] == '\n')
		buf[--tot] = '\0';
	if (tot == 0)
		say_ok(NULL);
	else
		say_ok("%s", buf);
}

static void
op_write(const char *p, const char *text, int flags)
{
	int fd = open(p, flags, 0666);
	size_t len = strlen(text);

	if (fd < 0) {
		say_err(errno);
		return;
	}
	if (write(fd, text, len) != (ssize_t)len) {
		say_err(errno);
		close(fd);
		return;
	}
	if (close(fd) < 0) {
		say_err(errno);
		return;
	}
	say_ok(NULL);
}

static void
print_link(ssize_t n, char *buf)
{
	if (n < 0) {
		say_err(errno);
		return;
	}
	buf[n] = '\0';
	say_ok("%s", buf);
}

/*
 * maps P HOW: map P, then read /proc/self/maps (HOW: fopen, or open and
 * fdopen) and print the path of every line whose path ends in P's last
 * component.
 */
static void
op_maps(const char *p, const char *how)
{
	char line[PATH_MAX + 256], out[PATH_MAX * 2] = "";
	const char *base = strrchr(p, '/') ? strrchr(p, '/') + 1 : p;
	struct stat st;
	void *m;
	FILE *f;
	int fd, mfd;

	if ((fd = open(p, O_RDONLY)) < 0 || fstat(fd, &st) < 0) {
		say_err(errno);
		return;
	}
	m = mmap(NULL, st.st_size > 0 ? (size_t)st.st_size : 1, PROT_READ, MAP_SHARED, fd, 0);
	if (m == MAP_FAILED) {
		say_err(errno);
		close(fd);
		return;
	}
	if (strcmp(how, "fopen") == 0)
		f = fopen("/proc/self/maps", "re");
	else
		f = (mfd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC)) < 0 ? NULL : fdopen(mfd, "r");
	if (f == NULL)
		say_err(errno);
	else {
		while (fgets(line, sizeof line, f) != NULL) {
			char *path = strchr(line, '/'), *nl = strchr(line, '\n');

			if (nl != NULL)
				*nl = '\0';
			size_t pl = path != NULL ? strlen(path) : 0, bl = strlen(base);

			if (pl > bl && strcmp(path + pl - bl, base) == 0 && path[pl - bl - 1] == '/' &&
			    strlen(out) + strlen(path) + 2 < sizeof out) {
				if (out[0] != '\0')
					strcat(out, " ");
				strcat(out, path);
			}
		}
		fclose(f);
		say_ok("%s", out[0] != '\0' ? out : "none");
	}
	munmap(m, st.st_size > 0 ? (size_t)st.st_size : 1);
	close(fd);
}

static int
usage(const char *why)
{
	fprintf(stderr, "probe: %s\n", why);
	return 2;
}

/* Run one operation; argv[0] is its name.  Returns 2 on a usage error. */
static int
run(int argc, char **argv)
{
	const char *op = argv[0];
	struct stat st;
	char buf[PATH_MAX * 2];
	int fd;

#define NEED(n) do { if (argc < (n) + 1) return usage(op); } while (0)
	if (strcmp(op, "stat") == 0) {
		NEED(1);
		print_stat(stat(argv[1], &st), &st);
	} else if (strcmp(op, "lstat") == 0) {
		NEED(1);
		print_stat(lstat(argv[1], &st), &st);
	} else if (strcmp(op, "fstat") == 0) {
		NEED(1);
		fd = open(argv[1], O_RDONLY);
		if (fd < 0) {
			say_err(errno);
			return 0;
		}
		print_stat(fstat(fd, &st), &st);
		close(fd);
	} else if (strcmp(op, "statx") == 0) {
		struct statx sx;
		NEED(1);
		if (statx(AT_FDCWD, argv[1], AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, &sx) < 0)
			say_err(errno);
		else
			say_ok("%u:%u %04o %s", sx.stx_uid, sx.stx_gid,
			    (unsigned)(sx.stx_mode & 07777), type_name(sx.stx_mode));
	} else if (strcmp(op, "fstatat-dirfd") == 0) {
		NEED(2);
		fd = open(argv[1], O_RDONLY | O_DIRECTORY);
		if (fd < 0) {
			say_err(errno);
			return 0;
		}
		print_stat(fstatat(fd, argv[2], &st, AT_SYMLINK_NOFOLLOW), &st);
		close(fd);
	} else if (strcmp(op, "mkdir") == 0) {
		NEED(2);
		rc0(mkdir(argv[1], octal(argv[2])));
	} else if (strcmp(op, "mkdirat-dirfd") == 0) {
		NEED(3);
		fd = open(argv[1], O_RDONLY | O_DIRECTORY);
		if (fd < 0) {
			say_err(errno);
			return 0;
		}
		rc0(mkdirat(fd, argv[2], octal(argv[3])));
		close(fd);
	} else if (strcmp(op, "open") == 0) {
		NEED(2);
		fd = open(argv[1], open_flags(argv[2]), argc > 3 ? octal(argv[3]) : 0666);
		if (fd < 0)
			say_err(errno);
		else {
			close(fd);
			say_ok(NULL);
		}
	} else if (strcmp(op, "write") == 0) {
		NEED(2);
		op_write(argv[1], argv[2], O_WRONLY | O_CREAT | O_TRUNC);
	} else if (strcmp(op, "append") == 0) {
		NEED(2);
		op_write(argv[1], argv[2], O_WRONLY | O_CREAT | O_APPEND);
	} else if (strcmp(op, "read") == 0) {
		NEED(1);
		op_read(argv[1]);
	} else if (strcmp(op, "ls") == 0) {
		NEED(1);
		op_ls(argv[1]);
	} else if (strcmp(op, "unlink") == 0) {
		NEED(1);
		rc0(unlink(argv[1]));
	} else if (strcmp(op, "rmdir") == 0) {
		NEED(1);
		rc0(rmdir(argv[1]));
	} else if (strcmp(op, "rename") == 0) {
		NEED(2);
		rc0(rename(argv[1], argv[2]));
	} else if (strcmp(op, "link") == 0) {
		NEED(2);
		rc0(link(argv[1], argv[2]));
	} else if (strcmp(op, "linkmany") == 0) {
		/* linkmany P N: hard links P.1 .. P.N; ok N, or the first error as "err E at K" */
		long i, n;
		NEED(2);
		n = num(argv[2]);
		for (i = 1; i <= n; i++) {
			snprintf(buf, sizeof buf, "%s.%ld", argv[1], i);
			if (link(argv[1], buf) < 0) {
				const char *en = strerrorname_np(errno);
				printf("err %s at %ld\n", en ? en : "E?", i);
				fflush(stdout);
				failed = 1;
				return 0;
			}
		}
		say_ok("%ld", n);
	} else if (strcmp(op, "symlink") == 0) {
		NEED(2);
		rc0(symlink(argv[1], argv[2]));
	} else if (strcmp(op, "readlink") == 0) {
		NEED(1);
		print_link(readlink(argv[1], buf, sizeof buf - 1), buf);
	} else if (strcmp(op, "readlink-fd") == 0) {
		/* readlink-fd P: open P, then readlink /proc/self/fd/N */
		char lnk[64];
		NEED(1);
		fd = open(argv[1], O_RDONLY);
		if (fd < 0) {
			say_err(errno);
			return 0;
		}
		snprintf(lnk, sizeof lnk, "/proc/self/fd/%d", fd);
		print_link(readlink(lnk, buf, sizeof buf - 1), buf);
		close(fd);
	} else if (strcmp(op, "holdfd") == 0) {
		/* holdfd P N: open P (read-only) as descriptor N, left open */
		int n;
		NEED(2);
		n = (int)num(argv[2]);
		fd = open(argv[1], O_RDONLY);
		if (fd < 0 || (fd != n && (dup2(fd, n) < 0 || close(fd) < 0)))
			say_err(errno);
		else
			say_ok("%d", n);
	} else if (strcmp(op, "maps") == 0) {
		NEED(2);
		op_maps(argv[1], argv[2]);
	} else if (strcmp(op, "chmod") == 0) {
		NEED(2);
		rc0(chmod(argv[1], octal(argv[2])));
	} else if (strcmp(op, "fchmod") == 0) {
		NEED(2);
		fd = open(argv[1], O_RDONLY);
		if (fd < 0) {
			say_err(errno);
			return 0;
		}
		rc0(fchmod(fd, octal(argv[2])));
		close(fd);
	} else if (strcmp(op, "chown") == 0) {
		NEED(3);
		rc0(chown(argv[1], (uid_t)num(argv[2]), (gid_t)num(argv[3])));
	} else if (strcmp(op, "lchown") == 0) {
		NEED(3);
		rc0(lchown(argv[1], (uid_t)num(argv[2]), (gid_t)num(argv[3])));
	} else if (strcmp(op, "fchown") == 0) {
		NEED(3);
		fd = open(argv[1], O_RDONLY);
		if (fd < 0) {
			say_err(errno);
			return 0;
		}
		rc0(fchown(fd, (uid_t)num(argv[2]), (gid_t)num(argv[3])));
		close(fd);
	} else if (strcmp(op, "utimes-now") == 0) {
		NEED(1);
		rc0(utimensat(AT_FDCWD, argv[1], NULL, 0));
	} else if (strcmp(op, "utimes-explicit") == 0) {
		struct timespec ts[2] = { { 1000000000, 0 }, { 1000000000, 0 } };
		NEED(1);
		rc0(utimensat(AT_FDCWD, argv[1], ts, 0));
	} else if (strcmp(op, "utimes") == 0) {
		/* the old utimes(2) interface, explicit times */
		struct timeval tv[2] = { { 1000000000, 0 }, { 1000000000, 0 } };
		NEED(1);
		rc0(utimes(argv[1], tv));
	} else if (strcmp(op, "access") == 0) {
		int m = 0;
		NEED(2);
		if (strchr(argv[2], 'r'))
			m |= R_OK;
		if (strchr(argv[2], 'w'))
			m |= W_OK;
		if (strchr(argv[2], 'x'))
			m |= X_OK;
		rc0(access(argv[1], m));
	} else if (strcmp(op, "mknod-fifo") == 0) {
		NEED(1);
		rc0(mknod(argv[1], S_IFIFO | 0644, 0));
	} else if (strcmp(op, "mkfifo") == 0) {
		NEED(1);
		rc0(mkfifo(argv[1], 0644));
	} else if (strcmp(op, "mknod-chr") == 0) {
		NEED(1);
		rc0(mknod(argv[1], S_IFCHR | 0644, makedev(1, 3)));
	} else if (strcmp(op, "mknod-blk") == 0) {
		NEED(1);
		rc0(mknod(argv[1], S_IFBLK | 0644, makedev(7, 0)));
	} else if (strcmp(op, "socket") == 0) {
		/* socket P: bind a UNIX socket at P */
		struct sockaddr_un sa = { .sun_family = AF_UNIX };
		NEED(1);
		if (strlen(argv[1]) >= sizeof sa.sun_path)
			return usage("socket path too long");
		strcpy(sa.sun_path, argv[1]);
		fd = socket(AF_UNIX, SOCK_STREAM, 0);
		if (fd < 0) {
			say_err(errno);
			return 0;
		}
		rc0(bind(fd, (struct sockaddr *)&sa, sizeof sa));
		close(fd);
	} else if (strcmp(op, "truncate") == 0) {
		NEED(2);
		rc0(truncate(argv[1], (off_t)num(argv[2])));
	} else if (strcmp(op, "getxattr") == 0) {
		ssize_t n;
		NEED(2);
		n = getxattr(argv[1], argv[2], buf, sizeof buf - 1);
		if (n < 0)
			say_err(errno);
		else {
			buf[n] = '\0';
			say_ok("%s", buf);
		}
	} else if (strcmp(op, "lgetxattr") == 0) {
		ssize_t n;
		NEED(2);
		n = lgetxattr(argv[1], argv[2], buf, sizeof buf - 1);
		if (n < 0)
			say_err(errno);
		else {
			buf[n] = '\0';
			say_ok("%s", buf);
		}
	} else if (strcmp(op, "fgetxattr") == 0) {
		ssize_t n;
		NEED(2);
		fd = open(argv[1], O_RDONLY);
		if (fd < 0) {
			say_err(errno);
			return 0;
		}
		n = fgetxattr(fd, argv[2], buf, sizeof buf - 1);
		if (n < 0)
			say_err(errno);
		else {
			buf[n] = '\0';
			say_ok("%s", buf);
		}
		close(fd);
	} else if (strcmp(op, "setxattr") == 0) {
		NEED(3);
		rc0(setxattr(argv[1], argv[2], argv[3], strlen(argv[3]), 0));
	} else if (strcmp(op, "removexattr") == 0) {
		NEED(2);
		rc0(removexattr(argv[1], argv[2]));
	} else if (strcmp(op, "listxattr") == 0 || strcmp(op, "llistxattr") == 0 ||
	    strcmp(op, "flistxattr") == 0) {
		/* prints ok SIZE NAME,NAME... */
		ssize_t n, i;
		NEED(1);
		if (op[0] == 'f') {
			fd = open(argv[1], O_RDONLY);
			if (fd < 0) {
				say_err(errno);
				return 0;
			}
			n = flistxattr(fd, buf, sizeof buf);
			close(fd);
		} else if (op[0] == 'l')
			n = llistxattr(argv[1], buf, sizeof buf);
		else
			n = listxattr(argv[1], buf, sizeof buf);
		if (n < 0) {
			say_err(errno);
			return 0;
		}
		for (i = 0; i + 1 < n; i++)
			if (buf[i] == '\0')
				buf[i] = ',';
		if (n > 0)
			buf[n - 1] = '\0';
		say_ok("%zd%s%s", n, n > 0 ? " " : "", n > 0 ? buf : "");
	} else if (strcmp(op, "statfs") == 0) {
		struct statfs sf;
		NEED(1);
		if (statfs(argv[1], &sf) < 0)
			say_err(errno);
		else
			say_ok("%lx %ld", (unsigned long)sf.f_type, (long)sf.f_namelen);
	} else if (strcmp(op, "getuid") == 0) {
		say_ok("%u", (unsigned)getuid());
	} else if (strcmp(op, "id") == 0) {
		uid_t r, e, s;
		gid_t rg, eg, sg;
		char g[4096];
		if (getresuid(&r, &e, &s) < 0 || getresgid(&rg, &eg, &sg) < 0) {
			say_err(errno);
			return 0;
		}
		print_groups(g, sizeof g);
		say_ok("%u %u %u %u %u %u %s", (unsigned)r, (unsigned)e, (unsigned)s,
		    (unsigned)rg, (unsigned)eg, (unsigned)sg, g);
	} else if (strcmp(op, "setuid") == 0) {
		NEED(1);
		rc0(setuid((uid_t)num(argv[1])));
	} else if (strcmp(op, "seteuid") == 0) {
		NEED(1);
		rc0(seteuid((uid_t)num(argv[1])));
	} else if (strcmp(op, "setreuid") == 0) {
		NEED(2);
		rc0(setreuid((uid_t)num(argv[1]), (uid_t)num(argv[2])));
	} else if (strcmp(op, "setresuid") == 0) {
		NEED(3);
		rc0(setresuid((uid_t)num(argv[1]), (uid_t)num(argv[2]), (uid_t)num(argv[3])));
	} else if (strcmp(op, "setgid") == 0) {
		NEED(1);
		rc0(setgid((gid_t)num(argv[1])));
	} else if (strcmp(op, "setegid") == 0) {
		NEED(1);
		rc0(setegid((gid_t)num(argv[1])));
	} else if (strcmp(op, "setresgid") == 0) {
		NEED(3);
		rc0(setresgid((gid_t)num(argv[1]), (gid_t)num(argv[2]), (gid_t)num(argv[3])));
	} else if (strcmp(op, "setgroups") == 0) {
		gid_t g[NGROUPS_MAX];
		int n;
		NEED(1);
		n = strcmp(argv[1], "-") == 0 ? 0 : parse_groups(argv[1], g);
		rc0(setgroups((size_t)n, g));
	} else if (strcmp(op, "chdir") == 0) {
		NEED(1);
		rc0(chdir(argv[1]));
	} else if (strcmp(op, "fchdir") == 0) {
		NEED(1);
		fd = open(argv[1], O_RDONLY | O_DIRECTORY);
		if (fd < 0) {
			say_err(errno);
			return 0;
		}
		rc0(fchdir(fd));
		close(fd);
	} else if (strcmp(op, "getcwd") == 0) {
		if (getcwd(buf, sizeof buf) == NULL)
			say_err(errno);
		else
			say_ok("%s", buf);
	} else if (strcmp(op, "realpath") == 0) {
		char *r;
		NEED(1);
		r = realpath(argv[1], NULL);
		if (r == NULL)
			say_err(errno);
		else {
			say_ok("%s", r);
			free(r);
		}
	} else if (strcmp(op, "umask") == 0) {
		NEED(1);
		say_ok("%04o", (unsigned)umask(octal(argv[1])));
	} else if (strcmp(op, "errno-preserved") == 0) {
		/* a successful stat must leave errno alone */
		int rc;
		NEED(1);
		errno = 1234;
		rc = stat(argv[1], &st);
		if (rc < 0)
			say_err(errno);
		else
			say_ok("%s", errno == 1234 ? "yes" : "no");
	} else if (strcmp(op, "badptr-null") == 0) {
		/* stat(NULL): EFAULT, never a crash */
		const char *volatile p = NULL;
		rc0(stat(p, &st));
	} else if (strcmp(op, "badptr-buf") == 0) {
		/* stat(P, (void *)1): EFAULT, never a crash */
		struct stat *volatile sp = (struct stat *)1;
		NEED(1);
		rc0(stat(argv[1], sp));
	} else if (strcmp(op, "badptr-lstat-buf") == 0) {
		struct stat *volatile sp = (struct stat *)1;
		NEED(1);
		rc0(lstat(argv[1], sp));
	} else if (strcmp(op, "badptr-open") == 0) {
		const char *volatile p = (const char *)1;
		fd = open(p, O_RDONLY);
		if (fd >= 0)
			close(fd);
		rc0(fd < 0 ? -1 : 0);
	} else if (strcmp(op, "exec") == 0) {
		NEED(1);
		fflush(stdout);
		if (strchr(argv[1], '/'))
			execv(argv[1], argv + 1);
		else
			execvp(argv[1], argv + 1);
		say_err(errno);
	} else
		return usage("unknown operation");
#undef NEED
	return 0;
}

int
main(int argc, char **argv)
{
	int i = 1, j, r;

	if (argc < 2)
		return usage("usage: probe OP ARG... [-- OP ARG...]...");
	while (i < argc) {
		if (strcmp(argv[i], "exec") == 0)	/* the rest of the line */
			return run(argc - i, argv + i) ? 2 : 1;
		for (j = i; j < argc && strcmp(argv[j], "--") != 0; j++)
			;
		if (j > i) {
			argv[j] = NULL;		/* argv[argc] is NULL already */
			r = run(j - i, argv + i);
			if (r != 0)
				return r;
		}
		i = j + 1;
	}
	return failed;
}
