/* SPDX-License-Identifier: MIT */
/*
 * fstest.c: the conformance suite's program under test, in the manner of
 * pjdfstest's fstest.
 *
 *   fstest [-u UID] [-g GID[,GID...]] [-U UMASK] OP ARG... [: OP ARG...]...
 *
 * It takes the identity first (setgroups(GIDs), setegid(first GID),
 * seteuid(UID): real system calls natively as root, emulated under efsap),
 * sets the umask (0 unless -U), then performs the operations in order.  The
 * first one that fails prints its errno name (EACCES, ...) and stops; when
 * all succeed the last one's result is printed: "0", or the value asked for
 * (stat fields, bytes read).  Descriptors opened by `open` are numbered
 * from 0 in the order they were opened, for the descriptor operations.
 *
 * Operations:
 *   open PATH FLAGS [MODE]    FLAGS: O_RDONLY,O_WRONLY,O_RDWR,O_CREAT,O_EXCL,
 *                             O_TRUNC,O_APPEND,O_NOFOLLOW,O_DIRECTORY,O_NONBLOCK
 *   create PATH MODE          open(O_CREAT|O_EXCL|O_WRONLY) and close
 *   mkdir PATH MODE   mkfifo PATH MODE   rmdir PATH   unlink PATH
 *   link OLD NEW   symlink TARGET PATH   rename OLD NEW   readlink PATH
 *   chmod PATH MODE   lchmod PATH MODE (fchmodat AT_SYMLINK_NOFOLLOW)
 *   chown PATH UID GID   lchown PATH UID GID      (-1 leaves an id alone)
 *   truncate PATH LEN
 *   utimensat PATH ASEC ANSEC MSEC MNSEC [AT_SYMLINK_NOFOLLOW]
 *   utimensat PATH NULL [AT_SYMLINK_NOFOLLOW]
 *                             NSEC may be UTIME_NOW or UTIME_OMIT; NULL
 *                             passes a NULL times array
 *   write FD DATA   read FD LEN   ftruncate FD LEN   fchmod FD MODE
 *   fchown FD UID GID   close FD
 *   stat PATH FIELD   lstat PATH FIELD   fstat FD FIELD
 *                             FIELD: mode (octal, 07777 bits), uid, gid,
 *                             type (regular dir fifo symlink socket char
 *                             block), nlink, size, atime, mtime, ctime
 *                             (seconds), atime_ns, mtime_ns
 * Exit status: 0 when every operation succeeded, 1 on the first failure,
 * 2 on a usage error.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#define MAXFD	16
#define MAXGID	64

static int fds[MAXFD];
static int nfds;

static void
usage(void)
{
	fputs("usage: fstest [-u UID] [-g GID[,GID...]] [-U UMASK] OP ARG... [: OP ARG...]...\n",
	    stderr);
	exit(2);
}

static void
die_usage(const char *what, const char *arg)
{
	fprintf(stderr, "fstest: %s: %s\n", what, arg);
	exit(2);
}

static long long
num(const char *s)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 0);
	if (errno != 0 || end == s || *end != '\0')
		die_usage("not a number", s);
	return v;
}

static mode_t
mode_arg(const char *s)
{
	char *end;
	unsigned long v = strtoul(s, &end, 8);

	if (end == s || *end != '\0' || v > 07777)
		die_usage("not an octal mode", s);
	return (mode_t)v;
}

static int
fd_arg(const char *s)
{
	long long i = num(s);

	if (i < 0 || i >= nfds)
		die_usage("no such descriptor", s);
	return fds[i];
}

static const struct {
	const char *name;
	int flag;
} oflags[] = {
	{ "O_RDONLY", O_RDONLY }, { "O_WRONLY", O_WRONLY }, { "O_RDWR", O_RDWR },
	{ "O_CREAT", O_CREAT }, { "O_EXCL", O_EXCL }, { "O_TRUNC", O_TRUNC },
	{ "O_APPEND", O_APPEND }, { "O_NOFOLLOW", O_NOFOLLOW },
	{ "O_DIRECTORY", O_DIRECTORY }, { "O_NONBLOCK", O_NONBLOCK },
	{ "O_NOCTTY", O_NOCTTY }, { "O_PATH", O_PATH },
};

static int
flags_arg(const char *s)
{
	char buf[256], *tok, *save;
	int flags = 0;
	size_t i;

	if (strlen(s) >= sizeof buf)
		die_usage("flags too long", s);
	strcpy(buf, s);
	for (tok = strtok_r(buf, ",|", &save); tok != NULL;
	    tok = strtok_r(NULL, ",|", &save)) {
		for (i = 0; i < sizeof oflags / sizeof oflags[0]; i++)
			if (strcmp(tok, oflags[i].name) == 0)
				break;
		if (i == sizeof oflags / sizeof oflags[0])
			die_usage("unknown open flag", tok);
		flags |= oflags[i].flag;
	}
	return flags;
}

static long
nsec_arg(const char *s)
{
	if (strcmp(s, "UTIME_NOW") == 0)
		return UTIME_NOW;
	if (strcmp(s, "UTIME_OMIT") == 0)
		return UTIME_OMIT;
	return (long)num(s);
}

static const char *
type_name(mode_t m)
{
	switch (m & S_IFMT) {
	case S_IFREG: return "regular";
	case S_IFDIR: return "dir";
	case S_IFIFO: return "fifo";
	case S_IFLNK: return "symlink";
	case S_IFSOCK: return "socket";
	case S_IFCHR: return "char";
	case S_IFBLK: return "block";
	}
	return "unknown";
}

/* Format FIELD of *st into out. */
static void
stat_field(const struct stat *st, const char *field, char *out, size_t len)
{
	if (strcmp(field, "mode") == 0)
		snprintf(out, len, "0%o", (unsigned)(st->st_mode & 07777));
	else if (strcmp(field, "uid") == 0)
		snprintf(out, len, "%u", (unsigned)st->st_uid);
	else if (strcmp(field, "gid") == 0)
		snprintf(out, len, "%u", (unsigned)st->st_gid);
	else if (strcmp(field, "type") == 0)
		snprintf(out, len, "%s", type_name(st->st_mode));
	else if (strcmp(field, "nlink") == 0)
		snprintf(out, len, "%lu", (unsigned long)st->st_nlink);
	else if (strcmp(field, "size") == 0)
		snprintf(out, len, "%lld", (long long)st->st_size);
	else if (strcmp(field, "atime") == 0)
		snprintf(out, len, "%lld", (long long)st->st_atim.tv_sec);
	else if (strcmp(field, "mtime") == 0)
		snprintf(out, len, "%lld", (long long)st->st_mtim.tv_sec);
	else if (strcmp(field, "ctime") == 0)
		snprintf(out, len, "%lld", (long long)st->st_ctim.tv_sec);
	else if (strcmp(field, "atime_ns") == 0)
		snprintf(out, len, "%ld", st->st_atim.tv_nsec);
	else if (strcmp(field, "mtime_ns") == 0)
		snprintf(out, len, "%ld", st->st_mtim.tv_nsec);
	else
		die_usage("unknown stat field", field);
}

/*
 * Perform one operation, argv[0] the name, argc its words.  Returns 0 with
 * the result in out, or an errno value.
 */
static int
perform(int argc, char **argv, char *out, size_t len)
{
	const char *op = argv[0];
	struct stat st;
	int fd, rc = 0;

#define NEED(n) do { if (argc != (n) + 1) die_usage("wrong argument count for", op); } while (0)
#define SYS(call) do { if ((call) < 0) return errno; } while (0)
	snprintf(out, len, "0");
	if (strcmp(op, "open") == 0) {
		if (argc != 3 && argc != 4)
			die_usage("wrong argument count for", op);
		if (nfds == MAXFD)
			die_usage("too many descriptors", op);
		fd = open(argv[1], flags_arg(argv[2]), argc == 4 ? mode_arg(argv[3]) : 0);
		if (fd < 0)
			return errno;
		fds[nfds++] = fd;
	} else if (strcmp(op, "create") == 0) {
		NEED(2);
		fd = open(argv[1], O_CREAT | O_EXCL | O_WRONLY, mode_arg(argv[2]));
		if (fd < 0)
			return errno;
		close(fd);
	} else if (strcmp(op, "mkdir") == 0) {
		NEED(2);
		SYS(mkdir(argv[1], mode_arg(argv[2])));
	} else if (strcmp(op, "mkfifo") == 0) {
		NEED(2);
		SYS(mkfifo(argv[1], mode_arg(argv[2])));
	} else if (strcmp(op, "rmdir") == 0) {
		NEED(1);
		SYS(rmdir(argv[1]));
	} else if (strcmp(op, "unlink") == 0) {
		NEED(1);
		SYS(unlink(argv[1]));
	} else if (strcmp(op, "link") == 0) {
		NEED(2);
		SYS(link(argv[1], argv[2]));
	} else if (strcmp(op, "symlink") == 0) {
		NEED(2);
		SYS(symlink(argv[1], argv[2]));
	} else if (strcmp(op, "rename") == 0) {
		NEED(2);
		SYS(rename(argv[1], argv[2]));
	} else if (strcmp(op, "readlink") == 0) {
		char buf[PATH_MAX];
		ssize_t n;

		NEED(1);
		if ((n = readlink(argv[1], buf, sizeof buf - 1)) < 0)
			return errno;
		buf[n] = '\0';
		snprintf(out, len, "%s", buf);
	} else if (strcmp(op, "chmod") == 0) {
		NEED(2);
		SYS(chmod(argv[1], mode_arg(argv[2])));
	} else if (strcmp(op, "lchmod") == 0) {
		NEED(2);
		SYS(fchmodat(AT_FDCWD, argv[1], mode_arg(argv[2]), AT_SYMLINK_NOFOLLOW));
	} else if (strcmp(op, "chown") == 0) {
		NEED(3);
		SYS(chown(argv[1], (uid_t)num(argv[2]), (gid_t)num(argv[3])));
	} else if (strcmp(op, "lchown") == 0) {
		NEED(3);
		SYS(lchown(argv[1], (uid_t)num(argv[2]), (gid_t)num(argv[3])));
	} else if (strcmp(op, "truncate") == 0) {
		NEED(2);
		SYS(truncate(argv[1], (off_t)num(argv[2])));
	} else if (strcmp(op, "utimensat") == 0) {
		struct timespec ts[2];
		int flags = 0;

		int nullts = argc >= 3 && strcmp(argv[2], "NULL") == 0;
		int nargs = nullts ? 3 : 6;

		if (argc != nargs && argc != nargs + 1)
			die_usage("wrong argument count for", op);
		if (argc == nargs + 1) {
			if (strcmp(argv[nargs], "AT_SYMLINK_NOFOLLOW") != 0)
				die_usage("unknown utimensat flag", argv[nargs]);
			flags = AT_SYMLINK_NOFOLLOW;
		}
		if (nullts) {
			SYS(utimensat(AT_FDCWD, argv[1], NULL, flags));
		} else {
			ts[0].tv_sec = (time_t)num(argv[2]);
			ts[0].tv_nsec = nsec_arg(argv[3]);
			ts[1].tv_sec = (time_t)num(argv[4]);
			ts[1].tv_nsec = nsec_arg(argv[5]);
			SYS(utimensat(AT_FDCWD, argv[1], ts, flags));
		}
	} else if (strcmp(op, "write") == 0) {
		NEED(2);
		SYS(write(fd_arg(argv[1]), argv[2], strlen(argv[2])));
	} else if (strcmp(op, "read") == 0) {
		char buf[4096];
		ssize_t n;
		long long want;

		NEED(2);
		want = num(argv[2]);
		if (want < 0 || want >= (long long)sizeof buf)
			die_usage("bad read length", argv[2]);
		if ((n = read(fd_arg(argv[1]), buf, (size_t)want)) < 0)
			return errno;
		buf[n] = '\0';
		snprintf(out, len, "%s", buf);
	} else if (strcmp(op, "ftruncate") == 0) {
		NEED(2);
		SYS(ftruncate(fd_arg(argv[1]), (off_t)num(argv[2])));
	} else if (strcmp(op, "fchmod") == 0) {
		NEED(2);
		SYS(fchmod(fd_arg(argv[1]), mode_arg(argv[2])));
	} else if (strcmp(op, "fchown") == 0) {
		NEED(3);
		SYS(fchown(fd_arg(argv[1]), (uid_t)num(argv[2]), (gid_t)num(argv[3])));
	} else if (strcmp(op, "close") == 0) {
		NEED(1);
		SYS(close(fd_arg(argv[1])));
	} else if (strcmp(op, "stat") == 0 || strcmp(op, "lstat") == 0) {
		NEED(2);
		if (op[0] == 's')
			rc = stat(argv[1], &st);
		else
			rc = lstat(argv[1], &st);
		if (rc < 0)
			return errno;
		stat_field(&st, argv[2], out, len);
	} else if (strcmp(op, "fstat") == 0) {
		NEED(2);
		SYS(fstat(fd_arg(argv[1]), &st));
		stat_field(&st, argv[2], out, len);
	} else {
		die_usage("unknown operation", op);
	}
#undef NEED
#undef SYS
	return 0;
}

int
main(int argc, char **argv)
{
	gid_t gids[MAXGID];
	int ngids = 0, ch, i, start, e;
	long long uid = -1;
	mode_t mask = 0;
	char out[PATH_MAX + 64], *s, *tok, *save;
	const char *name;

	while ((ch = getopt(argc, argv, "+u:g:U:")) != -1) {
		switch (ch) {
		case 'u':
			uid = num(optarg);
			break;
		case 'g':
			for (s = optarg; (tok = strtok_r(s, ",", &save)) != NULL; s = NULL) {
				if (ngids == MAXGID)
					die_usage("too many groups", optarg);
				gids[ngids++] = (gid_t)num(tok);
			}
			break;
		case 'U':
			mask = mode_arg(optarg);
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0)
		usage();

	if ((ngids > 0 && (setgroups((size_t)ngids, gids) < 0 ||
	    setegid(gids[0]) < 0)) ||
	    (uid != -1 && seteuid((uid_t)uid) < 0)) {
		fprintf(stderr, "fstest: cannot take the identity: %s\n",
		    strerror(errno));
		return 2;
	}
	umask(mask);

	for (start = 0; start < argc; start = i + 1) {
		for (i = start; i < argc && strcmp(argv[i], ":") != 0; i++)
			;
		if (i == start)
			usage();
		argv[i < argc ? i : argc] = NULL;
		e = perform(i - start, argv + start, out, sizeof out);
		if (e != 0) {
			name = strerrorname_np(e);
			if (name != NULL)
				printf("%s\n", name);
			else
				printf("E%d\n", e);
			return 1;
		}
	}
	printf("%s\n", out);
	return 0;
}
