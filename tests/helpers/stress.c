/* SPDX-License-Identifier: MIT */
/*
 * stress.c: concurrent namespace and metadata changes in one directory
 * under a mount, checked against a model.
 *
 *   stress [-V] [-p PROCS] [-t THREADS] [-n OPS] [-s SEED] DIR
 *
 * PROCS processes (fork) of THREADS threads each work in DIR at once.
 * Every worker owns its names (wP_T_sI, for SLOTS slots I) and applies a
 * plan drawn from a generator seeded by (SEED, P, T): create, mkdir, mkfifo,
 * rename, link, chmod, chown, unlink, rmdir.  The plan is generated from a
 * model of the worker's own objects, so it only asks for operations that
 * must succeed, and the model knows the final state of every name: its
 * type, mode, owner, group and link count, and which names share an object.
 * Afterwards the parent replays every plan on the model alone and checks
 * DIR: every expected name with its type, recorded mode, uid, gid and link
 * count (as lstat reports them), hard links sharing an inode, and no name
 * lost or extra.  -V only checks (from a fresh process, after a run with the
 * same options).  It runs as a root task (chown to any id), e.g. under
 * efsap with task.user "0:0".
 * Prints "ok N objects" or one line per mismatch; exit 0, 1 on a mismatch
 * or a failed operation, 2 on a usage error.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define SLOTS	12
#define MAXOBJ	4096
#define MAXW	64

enum { T_FILE = 1, T_DIR, T_FIFO };

struct obj {
	int type;
	unsigned mode, uid, gid;
	int nlink;		/* names in the model */
};

struct model {
	int p, t;
	uint64_t rng;
	int slot[SLOTS];	/* object index, -1 when the name is free */
	int nobj;
	struct obj obj[MAXOBJ];
};

static const char *dir;
static int nops = 300;
static unsigned long seed = 1;
static const unsigned uids[] = { 0, 1000, 1001, 65534 };
static const unsigned gids[] = { 0, 1000, 2000, 65534 };

static uint64_t
next(struct model *m)
{
	/* xorshift64* */
	m->rng ^= m->rng >> 12;
	m->rng ^= m->rng << 25;
	m->rng ^= m->rng >> 27;
	return m->rng * 2685821657736338717ULL;
}

static unsigned
pick(struct model *m, unsigned n)
{
	return (unsigned)(next(m) >> 33) % n;
}

static void
model_init(struct model *m, int p, int t)
{
	int i;

	memset(m, 0, sizeof *m);
	m->p = p;
	m->t = t;
	m->rng = (seed * 0x9E3779B97F4A7C15ULL) ^ ((uint64_t)p << 32) ^ (uint64_t)t ^ 0x5DEECE66DULL;
	if (m->rng == 0)
		m->rng = 1;
	for (i = 0; i < SLOTS; i++)
		m->slot[i] = -1;
}

static void
name(const struct model *m, int i, char *buf, size_t len)
{
	snprintf(buf, len, "%s/w%d_%d_s%d", dir, m->p, m->t, i);
}

/* A random permission mode; directories keep u+rwx so that they stay usable. */
static unsigned
rmode(struct model *m, int type)
{
	unsigned mode = pick(m, 01000);

	return type == T_DIR ? mode | 0700 : mode;
}

/* One step of the plan: choose an operation valid in the model, apply it to
 * the model and, when act is set, to the file system.  0, or -1 when the
 * real operation failed (reported). */
static int
step(struct model *m, int act)
{
	char a[4096], b[4096];
	int i = (int)pick(m, SLOTS), j = (int)pick(m, SLOTS), rc = 0, fd;
	unsigned op = pick(m, 9), mode, uid, gid;
	struct obj *o;
	const char *what = "";

	name(m, i, a, sizeof a);
	name(m, j, b, sizeof b);
	if (m->slot[i] < 0) {
		/* A free name: create something. */
		int type = op < 5 ? T_FILE : op < 8 ? T_DIR : T_FIFO;

		if (m->nobj == MAXOBJ)
			return 0;
		o = &m->obj[m->nobj];
		o->type = type;
		o->mode = rmode(m, type);
		o->uid = o->gid = 0;
		o->nlink = 1;
		m->slot[i] = m->nobj++;
		if (!act)
			return 0;
		if (type == T_FILE) {
			what = "create";
			fd = open(a, O_CREAT | O_EXCL | O_WRONLY, o->mode);
			rc = fd < 0 ? -1 : close(fd);
		} else if (type == T_DIR) {
			what = "mkdir";
			rc = mkdir(a, o->mode);
		} else {
			what = "mkfifo";
			rc = mkfifo(a, o->mode);
		}
		goto out;
	}
	o = &m->obj[m->slot[i]];
	switch (op) {
	case 0: case 1:
		mode = rmode(m, o->type);
		o->mode = mode;
		what = "chmod";
		if (act)
			rc = chmod(a, mode);
		break;
	case 2: case 3:
		uid = uids[pick(m, 4)];
		gid = gids[pick(m, 4)];
		o->uid = uid;
		o->gid = gid;
		what = "chown";
		if (act)
			rc = chown(a, uid, gid);
		break;
	case 4: case 5:
		if (i == j)
			return 0;
		if (m->slot[j] >= 0) {
			/* rename over: same type, not directories (keeps it simple) */
			if (o->type == T_DIR || m->obj[m->slot[j]].type == T_DIR)
				return 0;
			if (m->slot[j] == m->slot[i]) {
				/* two links to one object: rename does nothing */
				what = "rename (same object)";
				if (act)
					rc = rename(a, b);
				break;
			}
			m->obj[m->slot[j]].nlink--;
		}
		m->slot[j] = m->slot[i];
		m->slot[i] = -1;
		what = "rename";
		if (act)
			rc = rename(a, b);
		break;
	case 6:
		if (o->type == T_DIR || m->slot[j] >= 0)
			return 0;
		m->slot[j] = m->slot[i];
		o->nlink++;
		what = "link";
		if (act)
			rc = link(a, b);
		break;
	default:
		m->slot[i] = -1;
		o->nlink--;
		what = o->type == T_DIR ? "rmdir" : "unlink";
		if (act)
			rc = o->type == T_DIR ? rmdir(a) : unlink(a);
		break;
	}
out:
	if (act && rc < 0) {
		printf("FAIL %s %s%s%s: %s\n", what, a, op >= 4 && op <= 6 ? " " : "",
		    op >= 4 && op <= 6 ? b : "", strerror(errno));
		fflush(stdout);
		return -1;
	}
	return 0;
}

static void *
worker(void *arg)
{
	struct model *m = arg;
	int k;

	for (k = 0; k < nops; k++)
		if (step(m, 1) != 0)
			return (void *)1;
	return NULL;
}

static const char *
tname(int type)
{
	return type == T_FILE ? "file" : type == T_DIR ? "dir" : "fifo";
}

static int
stype(mode_t m)
{
	return S_ISREG(m) ? T_FILE : S_ISDIR(m) ? T_DIR : S_ISFIFO(m) ? T_FIFO : 0;
}

/* Replay every plan on the model and compare with DIR. */
static int
verify(int procs, int threads)
{
	static struct model m;
	char path[4096];
	ino_t ino[MAXOBJ];
	int p, t, i, bad = 0, expected = 0, seen = 0;
	struct stat st;
	struct obj *o;
	DIR *d;
	struct dirent *e;
	int wp, wt, ws;
	char extra;

	for (p = 0; p < procs; p++) {
		for (t = 0; t < threads; t++) {
			model_init(&m, p, t);
			for (i = 0; i < nops; i++)
				step(&m, 0);
			memset(ino, 0, sizeof ino);
			for (i = 0; i < SLOTS; i++) {
				name(&m, i, path, sizeof path);
				if (m.slot[i] < 0) {
					if (lstat(path, &st) == 0) {
						printf("extra: %s exists\n", path);
						bad++;
					}
					continue;
				}
				expected++;
				o = &m.obj[m.slot[i]];
				if (lstat(path, &st) < 0) {
					printf("lost: %s: %s\n", path, strerror(errno));
					bad++;
					continue;
				}
				if (stype(st.st_mode) != o->type ||
				    (st.st_mode & 07777) != o->mode ||
				    st.st_uid != o->uid || st.st_gid != o->gid ||
				    (o->type != T_DIR && (int)st.st_nlink != o->nlink)) {
					printf("%s: want %s %04o %u:%u nlink %d, got %s %04o %u:%u nlink %lu\n",
					    path, tname(o->type), o->mode, o->uid, o->gid, o->nlink,
					    stype(st.st_mode) ? tname(stype(st.st_mode)) : "other",
					    (unsigned)(st.st_mode & 07777), (unsigned)st.st_uid,
					    (unsigned)st.st_gid, (unsigned long)st.st_nlink);
					bad++;
				}
				if (ino[m.slot[i]] != 0 && ino[m.slot[i]] != st.st_ino) {
					printf("%s: not the same object as its other link\n", path);
					bad++;
				}
				ino[m.slot[i]] = st.st_ino;
			}
		}
	}
	/* Nothing else in DIR. */
	if ((d = opendir(dir)) == NULL) {
		printf("opendir %s: %s\n", dir, strerror(errno));
		return 1;
	}
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (sscanf(e->d_name, "w%d_%d_s%d%c", &wp, &wt, &ws, &extra) != 3 ||
		    wp < 0 || wp >= procs || wt < 0 || wt >= threads || ws < 0 || ws >= SLOTS) {
			printf("extra: %s/%s\n", dir, e->d_name);
			bad++;
			continue;
		}
		seen++;
	}
	closedir(d);
	if (seen != expected) {
		printf("readdir: %d names, want %d\n", seen, expected);
		bad++;
	}
	if (bad == 0)
		printf("ok %d objects\n", expected);
	return bad != 0;
}

static int
run_proc(int p, int threads)
{
	static struct model models[MAXW];
	pthread_t tid[MAXW];
	void *res;
	int t, failed = 0;

	for (t = 0; t < threads; t++) {
		model_init(&models[t], p, t);
		if (pthread_create(&tid[t], NULL, worker, &models[t]) != 0) {
			printf("FAIL pthread_create\n");
			return 1;
		}
	}
	for (t = 0; t < threads; t++) {
		pthread_join(tid[t], &res);
		if (res != NULL)
			failed = 1;
	}
	return failed;
}

int
main(int argc, char **argv)
{
	int procs = 4, threads = 4, ch, p, status, failed = 0, only_verify = 0;
	pid_t pid[MAXW];

	while ((ch = getopt(argc, argv, "Vp:t:n:s:")) != -1) {
		switch (ch) {
		case 'V': only_verify = 1; break;
		case 'p': procs = atoi(optarg); break;
		case 't': threads = atoi(optarg); break;
		case 'n': nops = atoi(optarg); break;
		case 's': seed = strtoul(optarg, NULL, 0); break;
		default: goto usage;
		}
	}
	if (optind != argc - 1 || procs < 1 || procs > MAXW || threads < 1 ||
	    threads > MAXW || nops < 0) {
usage:
		fprintf(stderr, "usage: stress [-V] [-p PROCS] [-t THREADS] [-n OPS] [-s SEED] DIR\n");
		return 2;
	}
	dir = argv[optind];
	umask(0);
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (p = 0; p < procs && !only_verify; p++) {
		pid[p] = fork();
		if (pid[p] < 0) {
			perror("fork");
			return 1;
		}
		if (pid[p] == 0)
			_exit(run_proc(p, threads));
	}
	for (p = 0; p < procs && !only_verify; p++) {
		if (waitpid(pid[p], &status, 0) < 0 || !WIFEXITED(status) ||
		    WEXITSTATUS(status) != 0) {
			printf("FAIL worker process %d: status 0x%x\n", p, status);
			failed = 1;
		}
	}
	return verify(procs, threads) || failed;
}
