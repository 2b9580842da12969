/* SPDX-License-Identifier: MIT */
/*
 * metabench.c: the metadata workload of `make bench`.
 *
 *   metabench [-d D] [-f F] [-n N] [-o OUTSIDE] [-p PHASES] ROOT
 *   metabench -T [--] COMMAND [ARG...]
 *
 * First form: on the tree ROOT/dNNN/fNNNNN (D directories x F files,
 * defaults 20 x 500) run the phases in order, each timed in-process with
 * CLOCK_MONOTONIC, and print one line per phase:
 *
 *   phase NAME OPS SECONDS        or    phase NAME error
 *
 * then the resident set size (VmRSS, KiB) before the first phase, after the
 * create phase and at the end:
 *
 *   rss_kb_start N / rss_kb_mid N / rss_kb N
 *
 * Phases (-p takes a comma-separated subset; default: all, in this order):
 *   create        mkdir per dir; open(O_CREAT) + write 100 B + close per file
 *   stat          stat(path)
 *   fstatat       fstatat(dirfd, name), each directory opened once
 *   open_read     open(O_RDONLY) + read + close
 *   chmod         chmod(path, 0600)
 *   chown         chown(path, uid, gid) to the file's current owner
 *   rename        rename(dNNN/fNNNNN, dNNN/rNNNNN)
 *   readdir       opendir/readdir-to-end/closedir of ROOT and every dir
 *                 (ops = entries)
 *   nftw          nftw(ROOT, FTW_PHYS) (ops = entries visited)
 *   unlink_rmdir  unlink per file, rmdir per dir
 *   outside_stat  N (200,000) x stat(OUTSIDE) (/usr/bin/env), a path
 *                 outside every mount
 * Every result is checked (mode, size, bytes read, entry counts); a phase
 * whose first failure is met stops there, prints "error" and the reason on
 * stderr; the later phases still run.  Exit status 1 when any failed.
 *
 * Second form: run COMMAND with its standard output on /dev/null, and print
 * "elapsed SECONDS status N" (N: exit status, 128+signal) on standard
 * output.  Exit status 0 unless COMMAND could not be started.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define FILE_BYTES	100

static int ndirs = 20, nfiles = 500;
static long nout = 200000;
static const char *outside = "/usr/bin/env";
static const char *root;
static int renamed;		/* files are now named rNNNNN */
static uid_t *uids;		/* current owners, for chown */
static gid_t *gids;
static char errmsg[4096];

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Record the first failure of a phase; returns -1 for "return fail(...)". */
static int
fail(const char *fmt, ...)
{
	va_list ap;
	int e = errno;

	va_start(ap, fmt);
	vsnprintf(errmsg, sizeof(errmsg), fmt, ap);
	va_end(ap);
	if (e != 0) {
		size_t l = strlen(errmsg);
		snprintf(errmsg + l, sizeof(errmsg) - l, ": %s", strerror(e));
	}
	return -1;
}

static void
dpath(char *buf, size_t len, int d)
{
	snprintf(buf, len, "%s/d%03d", root, d);
}

static void
fname(char *buf, size_t len, int f)
{
	snprintf(buf, len, "%c%05d", renamed ? 'r' : 'f', f);
}

static void
fpath(char *buf, size_t len, int d, int f)
{
	snprintf(buf, len, "%s/d%03d/%c%05d", root, d, renamed ? 'r' : 'f', f);
}

static long
rss_kb(void)
{
	char line[256];
	long kb = -1;
	FILE *fp = fopen("/proc/self/status", "r");

	if (fp == NULL)
		return -1;
	while (fgets(line, sizeof(line), fp) != NULL)
		if (strncmp(line, "VmRSS:", 6) == 0) {
			kb = strtol(line + 6, NULL, 10);
			break;
		}
	fclose(fp);
	return kb;
}

static int
ph_create(long *ops)
{
	char p[4096], data[FILE_BYTES];
	int d, f, fd;

	memset(data, 'x', sizeof(data));
	for (d = 0; d < ndirs; d++) {
		dpath(p, sizeof(p), d);
		if (mkdir(p, 0755) != 0)
			return fail("mkdir %s", p);
		for (f = 0; f < nfiles; f++) {
			fpath(p, sizeof(p), d, f);
			fd = open(p, O_CREAT | O_WRONLY | O_TRUNC, 0644);
			if (fd < 0)
				return fail("open(O_CREAT) %s", p);
			errno = 0;
			if (write(fd, data, sizeof(data)) != sizeof(data)) {
				close(fd);
				return fail("write %s", p);
			}
			if (close(fd) != 0)
				return fail("close %s", p);
		}
	}
	*ops = (long)ndirs * nfiles + ndirs;
	return 0;
}

static int
check_st(const struct stat *st, const char *p)
{
	errno = 0;
	if (!S_ISREG(st->st_mode))
		return fail("stat %s: not a regular file (mode %o)", p,
		    (unsigned)st->st_mode);
	if (st->st_size != FILE_BYTES)
		return fail("stat %s: size %lld, want %d", p,
		    (long long)st->st_size, FILE_BYTES);
	return 0;
}

static int
ph_stat(long *ops)
{
	char p[4096];
	struct stat st;
	int d, f;

	for (d = 0; d < ndirs; d++)
		for (f = 0; f < nfiles; f++) {
			fpath(p, sizeof(p), d, f);
			if (stat(p, &st) != 0)
				return fail("stat %s", p);
			if (check_st(&st, p) != 0)
				return -1;
		}
	*ops = (long)ndirs * nfiles;
	return 0;
}

static int
ph_fstatat(long *ops)
{
	char p[4096], n[64];
	struct stat st;
	int d, f, dfd;

	for (d = 0; d < ndirs; d++) {
		dpath(p, sizeof(p), d);
		dfd = open(p, O_RDONLY | O_DIRECTORY);
		if (dfd < 0)
			return fail("open(O_DIRECTORY) %s", p);
		for (f = 0; f < nfiles; f++) {
			fname(n, sizeof(n), f);
			if (fstatat(dfd, n, &st, 0) != 0) {
				fail("fstatat %s/%s", p, n);
				close(dfd);
				return -1;
			}
			if (check_st(&st, n) != 0) {
				close(dfd);
				return -1;
			}
		}
		close(dfd);
	}
	*ops = (long)ndirs * nfiles;
	return 0;
}

static int
ph_open_read(long *ops)
{
	char p[4096], buf[FILE_BYTES * 2];
	int d, f, fd;
	ssize_t r;

	for (d = 0; d < ndirs; d++)
		for (f = 0; f < nfiles; f++) {
			fpath(p, sizeof(p), d, f);
			fd = open(p, O_RDONLY);
			if (fd < 0)
				return fail("open(O_RDONLY) %s", p);
			errno = 0;
			r = read(fd, buf, sizeof(buf));
			close(fd);
			if (r != FILE_BYTES)
				return fail("read %s: %zd bytes", p, r);
		}
	*ops = (long)ndirs * nfiles;
	return 0;
}

static int
ph_chmod(long *ops)
{
	char p[4096];
	int d, f;

	for (d = 0; d < ndirs; d++)
		for (f = 0; f < nfiles; f++) {
			fpath(p, sizeof(p), d, f);
			if (chmod(p, 0600) != 0)
				return fail("chmod %s", p);
		}
	*ops = (long)ndirs * nfiles;
	return 0;
}

/* Untimed: every file's current owner, for the chown phase. */
static int
owners(void)
{
	char p[4096];
	struct stat st;
	int d, f;

	for (d = 0; d < ndirs; d++)
		for (f = 0; f < nfiles; f++) {
			fpath(p, sizeof(p), d, f);
			if (stat(p, &st) != 0)
				return fail("stat (before chown) %s", p);
			uids[d * nfiles + f] = st.st_uid;
			gids[d * nfiles + f] = st.st_gid;
		}
	return 0;
}

static int
ph_chown(long *ops)
{
	char p[4096];
	int d, f;

	for (d = 0; d < ndirs; d++)
		for (f = 0; f < nfiles; f++) {
			fpath(p, sizeof(p), d, f);
			if (chown(p, uids[d * nfiles + f],
			    gids[d * nfiles + f]) != 0)
				return fail("chown %s to %u:%u", p,
				    (unsigned)uids[d * nfiles + f],
				    (unsigned)gids[d * nfiles + f]);
		}
	*ops = (long)ndirs * nfiles;
	return 0;
}

static int
ph_rename(long *ops)
{
	char from[4096], to[4096];
	int d, f;

	for (d = 0; d < ndirs; d++)
		for (f = 0; f < nfiles; f++) {
			snprintf(from, sizeof(from), "%s/d%03d/f%05d", root, d, f);
			snprintf(to, sizeof(to), "%s/d%03d/r%05d", root, d, f);
			if (rename(from, to) != 0)
				return fail("rename %s %s", from, to);
		}
	renamed = 1;
	*ops = (long)ndirs * nfiles;
	return 0;
}

/* Entries of p other than . and .., or -1. */
static long
list_dir(const char *p)
{
	DIR *dp;
	struct dirent *de;
	long n = 0;

	if ((dp = opendir(p)) == NULL)
		return fail("opendir %s", p);
	errno = 0;
	while ((de = readdir(dp)) != NULL) {
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
			n++;
		errno = 0;
	}
	if (errno != 0) {
		fail("readdir %s", p);
		closedir(dp);
		return -1;
	}
	if (closedir(dp) != 0)
		return fail("closedir %s", p);
	return n;
}

static int
ph_readdir(long *ops)
{
	char p[4096];
	long n, total;
	int d;

	if ((n = list_dir(root)) < 0)
		return -1;
	errno = 0;
	if (n < ndirs)
		return fail("readdir %s: %ld entries, want at least %d", root,
		    n, ndirs);
	total = n;
	for (d = 0; d < ndirs; d++) {
		dpath(p, sizeof(p), d);
		if ((n = list_dir(p)) < 0)
			return -1;
		errno = 0;
		if (n != nfiles)
			return fail("readdir %s: %ld entries, want %d", p, n,
			    nfiles);
		total += n;
	}
	*ops = total;
	return 0;
}

static long walked;

static int
walk_cb(const char *p, const struct stat *st, int type, struct FTW *ftw)
{
	(void)p; (void)st; (void)ftw;
	if (type == FTW_NS || type == FTW_DNR)
		return 1;
	walked++;
	return 0;
}

static int
ph_nftw(long *ops)
{
	int r;
	long want = 1 + ndirs + (long)ndirs * nfiles;

	walked = 0;
	r = nftw(root, walk_cb, 64, FTW_PHYS);
	if (r != 0)
		return fail("nftw %s (returned %d after %ld entries)", root, r,
		    walked);
	errno = 0;
	if (walked < want)
		return fail("nftw %s: %ld entries, want %ld", root, walked,
		    want);
	*ops = walked;
	return 0;
}

static int
ph_unlink_rmdir(long *ops)
{
	char p[4096];
	int d, f;

	for (d = 0; d < ndirs; d++) {
		for (f = 0; f < nfiles; f++) {
			fpath(p, sizeof(p), d, f);
			if (unlink(p) != 0)
				return fail("unlink %s", p);
		}
		dpath(p, sizeof(p), d);
		if (rmdir(p) != 0)
			return fail("rmdir %s", p);
	}
	*ops = (long)ndirs * nfiles + ndirs;
	return 0;
}

static int
ph_outside(long *ops)
{
	struct stat st;
	long i;

	for (i = 0; i < nout; i++)
		if (stat(outside, &st) != 0)
			return fail("stat %s", outside);
	*ops = nout;
	return 0;
}

static const struct phase {
	const char *name;
	int (*fn)(long *);
} phases[] = {
	{ "create", ph_create },
	{ "stat", ph_stat },
	{ "fstatat", ph_fstatat },
	{ "open_read", ph_open_read },
	{ "chmod", ph_chmod },
	{ "chown", ph_chown },
	{ "rename", ph_rename },
	{ "readdir", ph_readdir },
	{ "nftw", ph_nftw },
	{ "unlink_rmdir", ph_unlink_rmdir },
	{ "outside_stat", ph_outside },
};
#define NPHASES (sizeof(phases) / sizeof(phases[0]))

static int
selected(const char *list, const char *name)
{
	size_t l = strlen(name);
	const char *p = list;

	if (list == NULL)
		return 1;
	while ((p = strstr(p, name)) != NULL) {
		if ((p == list || p[-1] == ',') && (p[l] == ',' || p[l] == '\0'))
			return 1;
		p += l;
	}
	return 0;
}

static int
timed_exec(char **argv)
{
	double t0, t1;
	pid_t pid;
	int st, fd, code;

	fflush(stdout);
	t0 = now();
	pid = fork();
	if (pid < 0) {
		perror("metabench: fork");
		return 2;
	}
	if (pid == 0) {
		fd = open("/dev/null", O_WRONLY);
		if (fd >= 0 && fd != 1) {
			dup2(fd, 1);
			close(fd);
		}
		execvp(argv[0], argv);
		fprintf(stderr, "metabench: %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR) {
			perror("metabench: waitpid");
			return 2;
		}
	t1 = now();
	code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	printf("elapsed %.6f status %d\n", t1 - t0, code);
	return 0;
}

static void
usage(void)
{
	fprintf(stderr, "usage: metabench [-d D] [-f F] [-n N] [-o OUTSIDE] "
	    "[-p PHASES] ROOT\n       metabench -T [--] COMMAND [ARG...]\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	const char *plist = NULL;
	int c, failed = 0;
	size_t i;
	long ops;
	double t0, t1;

	while ((c = getopt(argc, argv, "+d:f:n:o:p:T")) != -1)
		switch (c) {
		case 'd': ndirs = atoi(optarg); break;
		case 'f': nfiles = atoi(optarg); break;
		case 'n': nout = atol(optarg); break;
		case 'o': outside = optarg; break;
		case 'p': plist = optarg; break;
		case 'T':
			if (optind < argc && strcmp(argv[optind], "--") == 0)
				optind++;
			if (optind >= argc)
				usage();
			return timed_exec(argv + optind);
		default: usage();
		}
	if (optind != argc - 1 || ndirs < 1 || ndirs > 999 || nfiles < 1 ||
	    nfiles > 99999 || nout < 1)
		usage();
	root = argv[optind];
	if (plist != NULL) {
		/* Refuse unknown names. */
		char *copy = strdup(plist), *tok, *save = NULL;
		for (tok = strtok_r(copy, ",", &save); tok != NULL;
		    tok = strtok_r(NULL, ",", &save)) {
			for (i = 0; i < NPHASES; i++)
				if (strcmp(tok, phases[i].name) == 0)
					break;
			if (i == NPHASES) {
				fprintf(stderr, "metabench: unknown phase %s\n",
				    tok);
				return 2;
			}
		}
		free(copy);
	}
	/* Allocated up front, so that they do not count as growth. */
	uids = calloc((size_t)ndirs * nfiles, sizeof(*uids));
	gids = calloc((size_t)ndirs * nfiles, sizeof(*gids));
	if (uids == NULL || gids == NULL) {
		perror("metabench: calloc");
		return 2;
	}
	memset(uids, 0, (size_t)ndirs * nfiles * sizeof(*uids));
	memset(gids, 0, (size_t)ndirs * nfiles * sizeof(*gids));
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("rss_kb_start %ld\n", rss_kb());
	for (i = 0; i < NPHASES; i++) {
		if (!selected(plist, phases[i].name))
			continue;
		if (phases[i].fn == ph_chown && owners() != 0) {
			fprintf(stderr, "metabench: %s: %s\n", phases[i].name,
			    errmsg);
			printf("phase %s error\n", phases[i].name);
			failed = 1;
			continue;
		}
		ops = 0;
		errno = 0;
		t0 = now();
		c = phases[i].fn(&ops);
		t1 = now();
		if (c != 0) {
			fprintf(stderr, "metabench: %s: %s\n", phases[i].name,
			    errmsg);
			printf("phase %s error\n", phases[i].name);
			failed = 1;
			/* A failed rename may have renamed part of the tree. */
			if (phases[i].fn == ph_rename)
				renamed = 1;
		} else
			printf("phase %s %ld %.6f\n", phases[i].name, ops,
			    t1 - t0);
		if (phases[i].fn == ph_create)
			printf("rss_kb_mid %ld\n", rss_kb());
	}
	printf("rss_kb %ld\n", rss_kb());
	return failed;
}
