/* SPDX-License-Identifier: MIT */
/*
 * check_resolve.c: the resolver's walk (walk.c, SPEC 5.5) over a fake,
 * in-memory file system given as a table: backing paths with their type,
 * record and link target, descriptors and a working directory.  Every
 * case runs three times: without a directory cache, with a cold one and
 * with a warm one, and must give the same answer each time.  Every
 * operation the walk asks for checks that its backing path lies under the
 * mount's root.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "walk.h"

#define NELEM(a)	((int)(sizeof(a) / sizeof((a)[0])))
#define LNK		(S_IFLNK | 0777)
#define DIR(m)		(S_IFDIR | (m))
#define REG(m)		(S_IFREG | (m))
#define PID		4242

/* ---- the fake file system ---- */

struct node {
	const char *path;		/* backing path */
	uint32_t mode;			/* type and permission bits, as recorded */
	uint32_t uid, gid;
	const char *target;		/* a link's */
	int flaky;			/* a link that is renamed away before every readlink */
};

static const struct node fixed[] = {
	{ "/bk", DIR(0755), 0, 0, NULL, 0 },
	{ "/bk/a", DIR(0755), 1000, 1000, NULL, 0 },
	{ "/bk/a/d", DIR(0755), 1000, 1000, NULL, 0 },
	{ "/bk/a/d/f", REG(0644), 1000, 1000, NULL, 0 },
	{ "/bk/a/d/e", DIR(0750), 1000, 1000, NULL, 0 },
	{ "/bk/a/d/e/g", REG(0600), 1000, 1000, NULL, 0 },
	{ "/bk/a/d/up", LNK, 1000, 1000, "../f", 0 },
	{ "/bk/a/f", REG(0644), 1000, 1000, NULL, 0 },
	{ "/bk/a/priv", DIR(0700), 2000, 2000, NULL, 0 },
	{ "/bk/a/priv/x", REG(0644), 2000, 2000, NULL, 0 },
	{ "/bk/a/rel", LNK, 1000, 1000, "d/f", 0 },
	{ "/bk/a/abs", LNK, 1000, 1000, "/mnt/a/d/e", 0 },
	{ "/bk/a/tob", LNK, 1000, 1000, "/mnt/b/y", 0 },
	{ "/bk/a/out", LNK, 1000, 1000, "../../etc", 0 },
	{ "/bk/a/hostabs", LNK, 1000, 1000, "/etc/passwd", 0 },
	{ "/bk/a/loop", LNK, 1000, 1000, "loop", 0 },
	{ "/bk/a/dangling", LNK, 1000, 1000, "nothing", 0 },
	{ "/bk/a/dl", LNK, 1000, 1000, "d", 0 },
	{ "/bk/a/upup", LNK, 1000, 1000, "../../../../../..", 0 },
	{ "/bk/a/flaky", LNK, 1000, 1000, "f", 1 },
	{ "/bk/a/deep", DIR(0755), 1000, 1000, NULL, 0 },
	{ "/bk/a/tmp", DIR(01777), 0, 0, NULL, 0 },
	{ "/bk/a/tmp/t", REG(0644), 2000, 2000, NULL, 0 },
	{ "/bk/b", DIR(0755), 0, 0, NULL, 0 },
	{ "/bk/b/y", REG(0644), 0, 0, NULL, 0 },
	{ "/bk/c", DIR(0755), 0, 0, NULL, 0 },
	{ "/bk/c/z", REG(0644), 0, 0, NULL, 0 },
	{ "/bk/z", REG(0644), 0, 0, NULL, 0 },	/* beside the roots: never reached */
	/* an image as "/" (efsap run --image): backing paths "/." and the view */
	{ "/.", DIR(0755), 0, 0, NULL, 0 },
	{ "/./etc", DIR(0755), 0, 0, NULL, 0 },
	{ "/./etc/passwd", REG(0644), 0, 0, NULL, 0 },
	{ "/./etc/mtab", LNK, 0, 0, "../proc/self/mounts", 0 },
	{ "/./mnt", DIR(0755), 0, 0, NULL, 0 },
	{ "/./srv", DIR(0755), 0, 0, NULL, 0 },
	{ "/./srv/deep", DIR(0755), 0, 0, NULL, 0 },
	{ "/./priv", DIR(0700), 2000, 2000, NULL, 0 },
	{ "/./priv/x", REG(0644), 2000, 2000, NULL, 0 },
	{ "/./lnk", LNK, 0, 0, "/mnt/a/d", 0 },
	{ "/./up", LNK, 0, 0, "../../../etc", 0 },
};

/* l00 -> l01 -> ... -> l40 -> f: 41 links from l00, 40 from l01. */
#define CHAIN	41
/* /bk/a/deep/X/X/...: DEEP directories of a 200-byte name, a file f in each. */
#define DEEP	45
#define XLEN	200

static struct node *tree;
static int ntree;
static char xname[XLEN + 1];

static void
add(const char *path, uint32_t mode, const char *target)
{
	struct node *n = &tree[ntree++];

	n->path = strdup(path);
	n->mode = mode;
	n->uid = n->gid = 1000;
	n->target = target != NULL ? strdup(target) : NULL;
	n->flaky = 0;
	ck_assert(n->path != NULL);
}

/* "/PREFIX/deep" followed by depth times "/X" (and "/f" when file). */
static char *
deep_path(const char *prefix, int depth, int file)
{
	size_t len = strlen(prefix) + 6 + (size_t)depth * (XLEN + 1) + 3;
	char *p = malloc(len), *e;
	int i;

	ck_assert(p != NULL);
	e = p + sprintf(p, "%s/deep", prefix);
	for (i = 0; i < depth; i++)
		e += sprintf(e, "/%s", xname);
	if (file)
		strcpy(e, "/f");
	return p;
}

static void
build_tree(void)
{
	char path[64], target[64];
	int i;

	if (tree != NULL)
		return;
	memset(xname, 'X', XLEN);
	tree = calloc((size_t)NELEM(fixed) + CHAIN + 2 * DEEP, sizeof *tree);
	ck_assert(tree != NULL);
	memcpy(tree, fixed, sizeof fixed);
	ntree = NELEM(fixed);
	for (i = 0; i < CHAIN; i++) {
		snprintf(path, sizeof path, "/bk/a/l%02d", i);
		if (i + 1 < CHAIN)
			snprintf(target, sizeof target, "l%02d", i + 1);
		else
			snprintf(target, sizeof target, "f");
		add(path, LNK, target);
	}
	for (i = 1; i <= DEEP; i++) {
		char *p = deep_path("/bk/a", i, 0);

		add(p, DIR(0755), NULL);
		free(p);
		p = deep_path("/bk/a", i, 1);
		add(p, REG(0644), NULL);
		free(p);
	}
}

static const struct node *
lookup(const char *path)
{
	int i;

	for (i = 0; i < ntree; i++)
		if (strcmp(tree[i].path, path) == 0)
			return &tree[i];
	return NULL;
}

/* A descriptor of the fake process. */
struct fdent {
	int fd;
	int mount;			/* -1: on the host; FK_ANC: a host one toward a mount */
	const char *view;
};

#define FK_ANC	(-2)

static const struct fdent fds[] = {
	{ 7, 0, "/mnt/a/d" },
	{ 8, -1, "/etc" },
	{ 9, 1, "/mnt/b" },
	{ 10, FK_ANC, "/" },
	{ 11, FK_ANC, "/mnt" },
	{ 12, FK_ANC, "/srv" },
};

struct fake {
	const char *cwd;
	int cwd_mount;
	int cache;			/* keep a directory cache */
	struct {
		int used;
		efs_dkey k;
		struct efs_attr a;
	} dc[128];
	int nbegin, nlstat, nreadlink, nrecord;
};

static const struct fdent *
fd_find(int fd)
{
	int i;

	for (i = 0; i < NELEM(fds); i++)
		if (fds[i].fd == fd)
			return &fds[i];
	return NULL;
}

/* The walk never asks about a backing path outside the mount's root. */
static void
confined(const struct efs_mnt *mt, const char *babs)
{
	ck_assert_msg(strncmp(babs, mt->broot, mt->blen) == 0 &&
	    (babs[mt->blen] == '\0' || babs[mt->blen] == '/'),
	    "backing path %s outside the root %s", babs, mt->broot);
}

static void
fk_begin(void *ctx)
{
	((struct fake *)ctx)->nbegin++;
}

static const struct efs_attr *
fk_dir_cached(void *ctx, efs_dkey k)
{
	struct fake *f = ctx;
	int i;

	for (i = 0; f->cache && i < NELEM(f->dc); i++)
		if (f->dc[i].used && f->dc[i].k == k)
			return &f->dc[i].a;
	return NULL;
}

static void
fk_dir_remember(void *ctx, efs_dkey k, const struct efs_attr *a)
{
	struct fake *f = ctx;
	int i;

	for (i = 0; f->cache && i < NELEM(f->dc); i++)
		if (!f->dc[i].used || f->dc[i].k == k) {
			f->dc[i].used = 1;
			f->dc[i].k = k;
			f->dc[i].a = *a;
			return;
		}
}

/* As the kernel answers an lstat: ENOTDIR through a non-directory, ENOENT through nothing. */
static int
fk_lstat(void *ctx, const struct efs_mnt *mt, const char *babs, struct stat *st)
{
	char pre[EFS_PATH_MAX + EFS_VIEW_MAX];
	const struct node *n;
	size_t i;

	((struct fake *)ctx)->nlstat++;
	confined(mt, babs);
	for (i = 1; babs[i] != '\0'; i++) {
		if (babs[i] != '/')
			continue;
		memcpy(pre, babs, i);
		pre[i] = '\0';
		if ((n = lookup(pre)) == NULL)
			return -ENOENT;
		if (!S_ISDIR(n->mode))
			return -ENOTDIR;
	}
	if ((n = lookup(babs)) == NULL)
		return -ENOENT;
	memset(st, 0, sizeof *st);
	st->st_mode = n->mode;
	st->st_ino = (ino_t)(n - tree) + 1;
	return 0;
}

static int
fk_readlink(void *ctx, const struct efs_mnt *mt, const char *babs, char *buf, size_t len)
{
	const struct node *n = lookup(babs);
	size_t tl;

	((struct fake *)ctx)->nreadlink++;
	confined(mt, babs);
	if (n == NULL)
		return -ENOENT;
	if (n->target == NULL || n->flaky)
		return -EINVAL;
	tl = strlen(n->target);
	if (tl > len)
		tl = len;
	memcpy(buf, n->target, tl);
	return (int)tl;
}

static int
fk_record(void *ctx, const struct efs_mnt *mt, const char *babs, const struct stat *st,
    struct efs_attr *a)
{
	const struct node *n = lookup(babs);

	((struct fake *)ctx)->nrecord++;
	confined(mt, babs);
	ck_assert_msg(n != NULL, "record of %s, which is not there", babs);
	ck_assert((uint32_t)st->st_mode == n->mode);
	a->uid = n->uid;
	a->gid = n->gid;
	a->mode = n->mode;
	return 0;
}

/* As resolve.c's: a link under a mount is the walk's; a host one the kernel's at the end. */
static int
fk_magic(void *ctx, int fd, const char *link, const char *rest, char *out)
{
	struct fake *f = ctx;
	const struct fdent *e = NULL;
	const char *view;
	int mount;

	if (fd < 0) {
		view = f->cwd;
		mount = f->cwd_mount;
	} else if ((e = fd_find(fd)) != NULL) {
		view = e->view;
		mount = e->mount;
	} else
		return *rest != '\0' ? -ENOENT : EFS_NOT_MAPPED;
	if (mount < 0 && *rest == '\0')
		return EFS_NOT_MAPPED;
	snprintf(out, EFS_PATH_MAX, "%s", view);
	return 0;
}

static int
fk_fd_mount(void *ctx, int fd)
{
	const struct fdent *e = fd_find(fd);

	return e != NULL && e->mount >= 0 ? e->mount : -1;
}

static int
fk_fd_anc(void *ctx, int fd)
{
	const struct fdent *e = fd_find(fd);

	return e != NULL && e->mount == FK_ANC;
}

static int
fk_fd_view(void *ctx, int fd, int k, char *view, size_t len)
{
	const struct fdent *e = fd_find(fd);

	ck_assert(e != NULL && (e->mount >= 0 ? e->mount : -1) == k);
	if ((size_t)snprintf(view, len, "%s", e->view) >= len)
		return -ENAMETOOLONG;
	return 0;
}

static int
fk_cwd(void *ctx, char *buf, size_t len)
{
	struct fake *f = ctx;

	if ((size_t)snprintf(buf, len, "%s", f->cwd) >= len) {
		buf[0] = '\0';
		return EFS_CWD_TOO_LONG;
	}
	return f->cwd_mount;
}

static pid_t
fk_pid(void *ctx)
{
	return PID;
}

static const struct efs_fsops fakeops = {
	.begin = fk_begin,
	.dir_cached = fk_dir_cached,
	.dir_remember = fk_dir_remember,
	.lstat = fk_lstat,
	.readlink = fk_readlink,
	.record = fk_record,
	.magic = fk_magic,
	.fd_mount = fk_fd_mount,
	.fd_anc = fk_fd_anc,
	.fd_view = fk_fd_view,
	.cwd = fk_cwd,
	.pid = fk_pid,
};

/* ---- the mounts ---- */

enum { U1000, SQUASH, ROOT };

static const struct efs_who who_u1000 = { { 1000, 1000, 1, { 1000 } }, 0, 0 };
static const struct efs_who who_squash = { { 65534, 65534, 0, { 0 } }, 0, 1 };
static const struct efs_who who_root = { { 0, 0, 1, { 0 } }, 1, 0 };

static struct efs_mnt mnts[5];
#define NEFS	4		/* mnts[NEFS] is the image's */
static int image_run;		/* the walks see an image as "/" */

/*
 * /mnt/a, /mnt/b, /srv/deep/c and /mnt/gone (whose root is missing), as
 * cfg says; and an image as "/", used when image_run is set.
 */
static void
mounts(int cfg)
{
	static const char *const cp[] = { "/mnt/a", "/mnt/b", "/srv/deep/c", "/mnt/gone" };
	static const char *const bp[] = { "/bk/a", "/bk/b", "/bk/c", "/bk/gone" };
	int k;

	memset(mnts, 0, sizeof mnts);
	mnts[NEFS].cpath = "";
	strcpy(mnts[NEFS].broot, "/.");
	mnts[NEFS].blen = 2;
	mnts[NEFS].who = cfg == SQUASH ? who_squash : cfg == ROOT ? who_root : who_u1000;
	mnts[NEFS].rootfd = -1;
	mnts[NEFS].image = 1;
	for (k = 0; k < NEFS; k++) {
		mnts[k].cpath = cp[k];
		mnts[k].clen = strlen(cp[k]);
		snprintf(mnts[k].broot, sizeof mnts[k].broot, "%s", bp[k]);
		mnts[k].blen = strlen(bp[k]);
		mnts[k].who = cfg == SQUASH ? who_squash : cfg == ROOT ? who_root : who_u1000;
		mnts[k].rootfd = -1;
	}
}

/* Walk (at, path) as cfg and cwd say; at 0 is AT_FDCWD. */
static int
run(struct fake *f, int cfg, const char *cwd, int cwd_mount, int at, const char *path,
    int flags, struct efs_res *r, struct efs_walkout *out)
{
	static char scratch[EFS_WALK_SCRATCH];
	struct efs_walkenv env;

	build_tree();
	mounts(cfg);
	f->cwd = cwd;
	f->cwd_mount = cwd_mount;
	env.ops = &fakeops;
	env.ctx = f;
	env.mnt = mnts;
	env.nmnt = NEFS;
	env.img = image_run ? NEFS : -1;
	memset(r, 0, sizeof *r);
	return efs_walk(&env, at == 0 ? AT_FDCWD : at, path, flags, r, scratch, out);
}

/* ---- the table ---- */

#define F	EFS_R_FOLLOW
#define NM	EFS_NOT_MAPPED

struct wcase {
	const char *name;
	int cfg;
	const char *cwd;		/* NULL: "/" */
	int at;				/* 0: AT_FDCWD */
	const char *path;
	int flags;
	int rc;				/* 0, EFS_NOT_MAPPED or -errno */
	const char *where;		/* rc 0: the backing path; NM: the host path */
	const char *view;		/* rc 0: the program's view */
	int exists;
	int mount;
	const char *blamed;		/* -EACCES: the view of the directory that refused */
};

static const struct wcase cases[] = {
	/* host paths */
	{ "a host path", U1000, NULL, 0, "/etc/passwd", F, NM, "/etc/passwd", NULL, 0, -1, NULL },
	{ "the root", U1000, NULL, 0, "/", F, NM, "/", NULL, 0, -1, NULL },
	{ "above a mount point", U1000, NULL, 0, "/mnt", F, NM, "/mnt", NULL, 0, -1, NULL },
	{ "a host path with dot-dot", U1000, NULL, 0, "/usr/../etc/./passwd", F, NM,
	    "/etc/./passwd", NULL, 0, -1, NULL },
	{ "a mount point's sibling", U1000, NULL, 0, "/mnt/ab/x", F, NM, "/mnt/ab/x", NULL,
	    0, -1, NULL },
	{ "a deep mount point's host parent", U1000, NULL, 0, "/srv/deep", F, NM, "/srv/deep",
	    NULL, 0, -1, NULL },
	/* entering a mount */
	{ "a mount point", U1000, NULL, 0, "/mnt/a", F, 0, "/bk/a", "/mnt/a", 1, 0, NULL },
	{ "a mount point with a slash", U1000, NULL, 0, "/mnt/a/", F, 0, "/bk/a", "/mnt/a", 1,
	    0, NULL },
	{ "a file in a mount", U1000, NULL, 0, "/mnt/a/d/f", F, 0, "/bk/a/d/f", "/mnt/a/d/f",
	    1, 0, NULL },
	{ "doubled slashes and dots", U1000, NULL, 0, "//mnt/./a//d/./f", F, 0, "/bk/a/d/f",
	    "/mnt/a/d/f", 1, 0, NULL },
	{ "a second mount", U1000, NULL, 0, "/mnt/b/y", F, 0, "/bk/b/y", "/mnt/b/y", 1, 1, NULL },
	{ "a mount under a missing host directory", U1000, NULL, 0, "/srv/deep/c/z", F, 0,
	    "/bk/c/z", "/srv/deep/c/z", 1, 2, NULL },
	{ "into a mount by dot-dot", U1000, NULL, 0, "/srv/x/../deep/c/z", F, 0, "/bk/c/z",
	    "/srv/deep/c/z", 1, 2, NULL },
	{ "a missing final name", U1000, NULL, 0, "/mnt/a/d/new", F, 0, "/bk/a/d/new",
	    "/mnt/a/d/new", 0, 0, NULL },
	{ "a missing directory on the way", U1000, NULL, 0, "/mnt/a/no/x", F, -ENOENT, NULL,
	    NULL, 0, 0, NULL },
	{ "a mount whose root is gone", U1000, NULL, 0, "/mnt/gone/x", F, -ESTALE, NULL, NULL,
	    0, 3, NULL },
	/* dot-dot */
	{ "dot-dot out of a mount root", U1000, NULL, 0, "/mnt/a/..", F, NM, "/mnt", NULL, 0,
	    -1, NULL },
	{ "dot-dot out of a root into another mount", U1000, NULL, 0, "/mnt/a/../b/y", F, 0,
	    "/bk/b/y", "/mnt/b/y", 1, 1, NULL },
	{ "dot-dot out of a root to the host", U1000, NULL, 0, "/mnt/a/../../etc/passwd", F, NM,
	    "/etc/passwd", NULL, 0, -1, NULL },
	{ "dot-dot inside a mount", U1000, NULL, 0, "/mnt/a/d/e/../f", F, 0, "/bk/a/d/f",
	    "/mnt/a/d/f", 1, 0, NULL },
	{ "dot-dot last", U1000, NULL, 0, "/mnt/a/d/..", F, 0, "/bk/a", "/mnt/a", 1, 0, NULL },
	{ "dot last", U1000, NULL, 0, "/mnt/a/d/.", F, 0, "/bk/a/d", "/mnt/a/d", 1, 0, NULL },
	{ "dot-dot after a file", U1000, NULL, 0, "/mnt/a/d/f/..", F, -ENOTDIR, NULL, NULL, 0, 0,
	    NULL },
	/* trailing slashes, ENOTDIR */
	{ "a file with a trailing slash", U1000, NULL, 0, "/mnt/a/f/", F, -ENOTDIR, NULL, NULL, 0,
	    0, NULL },
	{ "a directory with a trailing slash", U1000, NULL, 0, "/mnt/a/d/", 0, 0, "/bk/a/d",
	    "/mnt/a/d", 1, 0, NULL },
	{ "through a file", U1000, NULL, 0, "/mnt/a/f/x", F, -ENOTDIR, NULL, NULL, 0, 0, NULL },
	{ "a link to a directory with a slash", U1000, NULL, 0, "/mnt/a/dl/", 0, 0, "/bk/a/d",
	    "/mnt/a/d", 1, 0, NULL },
	{ "a missing name with a slash", U1000, NULL, 0, "/mnt/a/new/", 0, 0, "/bk/a/new",
	    "/mnt/a/new", 0, 0, NULL },
	/* links inside a mount */
	{ "a relative link", U1000, NULL, 0, "/mnt/a/rel", F, 0, "/bk/a/d/f", "/mnt/a/d/f", 1, 0,
	    NULL },
	{ "a relative link, not followed", U1000, NULL, 0, "/mnt/a/rel", 0, 0, "/bk/a/rel",
	    "/mnt/a/rel", 1, 0, NULL },
	{ "a relative link up", U1000, NULL, 0, "/mnt/a/d/up", F, 0, "/bk/a/f", "/mnt/a/f", 1, 0,
	    NULL },
	{ "an absolute link on the way", U1000, NULL, 0, "/mnt/a/abs/g", 0, 0, "/bk/a/d/e/g",
	    "/mnt/a/d/e/g", 1, 0, NULL },
	{ "a dangling link", U1000, NULL, 0, "/mnt/a/dangling", F, 0, "/bk/a/nothing",
	    "/mnt/a/nothing", 0, 0, NULL },
	{ "a link renamed away each time", U1000, NULL, 0, "/mnt/a/flaky", F, -ENOENT, NULL, NULL,
	    0, 0, NULL },
	/* links leaving a mount */
	{ "a link to another mount", U1000, NULL, 0, "/mnt/a/tob", F, 0, "/bk/b/y", "/mnt/b/y", 1,
	    1, NULL },
	{ "a relative link out of the root", U1000, NULL, 0, "/mnt/a/out/passwd", F, NM,
	    "/etc/passwd", NULL, 0, -1, NULL },
	{ "an absolute link to the host", U1000, NULL, 0, "/mnt/a/hostabs", F, NM, "/etc/passwd",
	    NULL, 0, -1, NULL },
	{ "a link of many dot-dots", U1000, NULL, 0, "/mnt/a/upup/mnt/b/y", F, 0, "/bk/b/y",
	    "/mnt/b/y", 1, 1, NULL },
	/* loops */
	{ "a link to itself", U1000, NULL, 0, "/mnt/a/loop", F, -ELOOP, NULL, NULL, 0, 0, NULL },
	{ "a link to itself on the way", U1000, NULL, 0, "/mnt/a/loop/x", 0, -ELOOP, NULL, NULL,
	    0, 0, NULL },
	{ "40 links", U1000, NULL, 0, "/mnt/a/l01", F, 0, "/bk/a/f", "/mnt/a/f", 1, 0, NULL },
	{ "41 links", U1000, NULL, 0, "/mnt/a/l00", F, -ELOOP, NULL, NULL, 0, 0, NULL },
	{ "41 links, the last not followed", U1000, NULL, 0, "/mnt/a/l00", 0, 0, "/bk/a/l00",
	    "/mnt/a/l00", 1, 0, NULL },
	/* search permission */
	{ "search denied", U1000, NULL, 0, "/mnt/a/priv/x", F, -EACCES, NULL, NULL, 0, 0,
	    "/mnt/a/priv" },
	{ "search denied for dot-dot", U1000, NULL, 0, "/mnt/a/priv/..", F, -EACCES, NULL, NULL, 0,
	    0, "/mnt/a/priv" },
	{ "no search needed on the last", U1000, NULL, 0, "/mnt/a/priv", F, 0, "/bk/a/priv",
	    "/mnt/a/priv", 1, 0, NULL },
	{ "search denied to a squashed root", SQUASH, NULL, 0, "/mnt/a/priv/x", F, -EACCES, NULL,
	    NULL, 0, 0, "/mnt/a/priv" },
	{ "a group-only directory, searched by its owner", U1000, NULL, 0, "/mnt/b/../a/d/e/g", F, 0, "/bk/a/d/e/g",
	    "/mnt/a/d/e/g", 1, 0, NULL },
	{ "root searches everything", ROOT, NULL, 0, "/mnt/a/priv/x", F, 0, "/bk/a/priv/x",
	    "/mnt/a/priv/x", 1, 0, NULL },
	/* relative paths */
	{ "relative to a working directory in a mount", U1000, "/mnt/a/d", 0, "e/g", F, 0,
	    "/bk/a/d/e/g", "/mnt/a/d/e/g", 1, 0, NULL },
	{ "dot-dot from a working directory", U1000, "/mnt/a/d", 0, "../../b/y", F, 0, "/bk/b/y",
	    "/mnt/b/y", 1, 1, NULL },
	{ "dot-dot at a working directory's root", U1000, "/mnt/a", 0, "..", F, NM, "/mnt", NULL, 0,
	    -1, NULL },
	{ "dot as the path", U1000, "/mnt/a/d", 0, ".", F, 0, "/bk/a/d", "/mnt/a/d", 1, 0, NULL },
	{ "relative to a host working directory", U1000, "/tmp", 0, "x", F, NM, "/tmp/x", NULL, 0,
	    -1, NULL },
	{ "relative to a host one, into a mount", U1000, "/mnt", 0, "a/f", F, 0, "/bk/a/f",
	    "/mnt/a/f", 1, 0, NULL },
	{ "relative to a descriptor in a mount", U1000, "/", 7, "e/g", F, 0, "/bk/a/d/e/g",
	    "/mnt/a/d/e/g", 1, 0, NULL },
	{ "relative to a host descriptor", U1000, "/mnt/a", 8, "x", F, NM, "x", NULL, 0, -1, NULL },
	{ "absolute beside a descriptor", U1000, "/", 7, "/mnt/b/y", F, 0, "/bk/b/y", "/mnt/b/y",
	    1, 1, NULL },
	/* one tree: host descriptors on the way to a mount point */
	{ "from a host / into a mount", U1000, "/tmp", 10, "mnt/a/d/f", F, 0, "/bk/a/d/f",
	    "/mnt/a/d/f", 1, 0, NULL },
	{ "from a host / to a host parent", U1000, "/tmp", 10, "mnt", F, NM, "/mnt", NULL, 0,
	    -1, NULL },
	{ "from a host / to elsewhere", U1000, "/tmp", 10, "etc/passwd", F, NM, "/etc/passwd",
	    NULL, 0, -1, NULL },
	{ "from a host parent to its mount point", U1000, "/tmp", 11, "a", F, 0, "/bk/a",
	    "/mnt/a", 1, 0, NULL },
	{ "from a host parent by dot-dot", U1000, "/tmp", 11, "../mnt/b/y", F, 0, "/bk/b/y",
	    "/mnt/b/y", 1, 1, NULL },
	{ "from a host parent, a sibling", U1000, "/tmp", 11, "ab/x", F, NM, "/mnt/ab/x", NULL,
	    0, -1, NULL },
	{ "from a host grandparent through a missing one", U1000, "/tmp", 12, "deep/c/z", F, 0,
	    "/bk/c/z", "/srv/deep/c/z", 1, 2, NULL },
	/* magic links */
	{ "/proc/self/fd/N into a mount", U1000, NULL, 0, "/proc/self/fd/7/e/g", F, 0,
	    "/bk/a/d/e/g", "/mnt/a/d/e/g", 1, 0, NULL },
	{ "/proc/self/fd/N followed", U1000, NULL, 0, "/proc/self/fd/7", F, 0, "/bk/a/d",
	    "/mnt/a/d", 1, 0, NULL },
	{ "/proc/self/fd/N itself", U1000, NULL, 0, "/proc/self/fd/7", 0, NM, "/proc/self/fd/7",
	    NULL, 0, -1, NULL },
	{ "/proc/self/fd/N/..", U1000, NULL, 0, "/proc/self/fd/7/..", F, 0, "/bk/a", "/mnt/a",
	    1, 0, NULL },
	{ "/proc/self/fd/N/../..", U1000, NULL, 0, "/proc/self/fd/9/../..", F, NM, "/", NULL, 0,
	    -1, NULL },
	{ "/dev/fd/N", U1000, NULL, 0, "/dev/fd/7/f", F, 0, "/bk/a/d/f", "/mnt/a/d/f", 1, 0,
	    NULL },
	{ "/proc/PID/fd/N", U1000, NULL, 0, "/proc/4242/fd/9/y", F, 0, "/bk/b/y", "/mnt/b/y", 1, 1,
	    NULL },
	{ "/proc/PID/task/TID/fd/N", U1000, NULL, 0, "/proc/4242/task/4243/fd/9/y", F, 0,
	    "/bk/b/y", "/mnt/b/y", 1, 1, NULL },
	{ "another process's /proc/PID/fd/N", U1000, NULL, 0, "/proc/1/fd/9/y", F, NM,
	    "/proc/1/fd/9/y", NULL, 0, -1, NULL },
	{ "a descriptor that is not open", U1000, NULL, 0, "/proc/self/fd/5/x", F, -ENOENT, NULL,
	    NULL, 0, -1, NULL },
	{ "a host descriptor, then more", U1000, NULL, 0, "/proc/self/fd/8/passwd", F, NM,
	    "/etc/passwd", NULL, 0, -1, NULL },
	{ "/proc/self/cwd in a mount", U1000, "/mnt/a/d", 0, "/proc/self/cwd/f", F, 0,
	    "/bk/a/d/f", "/mnt/a/d/f", 1, 0, NULL },
	{ "/proc/self/cwd/.. at a root", U1000, "/mnt/a", 0, "/proc/self/cwd/..", F, NM, "/mnt",
	    NULL, 0, -1, NULL },
	{ "/proc/thread-self/cwd", U1000, "/mnt/b", 0, "/proc/thread-self/cwd/y", F, 0, "/bk/b/y",
	    "/mnt/b/y", 1, 1, NULL },
	/* names and paths too long */
	{ "a 256-byte name", U1000, NULL, 0, "/mnt/a/"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxx", F, -ENAMETOOLONG, NULL, NULL, 0, 0, NULL },
	{ "a 255-byte name", U1000, NULL, 0, "/mnt/a/"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxx", F, 0, NULL, NULL, 0, 0, NULL },
};

static void
expect(const struct wcase *k, int rc, const struct efs_res *r, const struct efs_walkout *out)
{
	ck_assert_msg(rc == k->rc, "%s: %s: rc %d, expected %d", k->name,
	    k->path, rc, k->rc);
	if (rc == NM) {
		ck_assert_str_eq(r->host, k->where);
		return;
	}
	if (rc == 0) {
		if (k->where != NULL) {
			ck_assert_str_eq(r->babs, k->where);
			ck_assert_str_eq(r->view, k->view);
		}
		ck_assert_int_eq(r->exists, k->exists);
		ck_assert_int_eq(r->mount, k->mount);
		ck_assert_ptr_eq(r->mt, &mnts[k->mount]);
		/* name and bparent split babs, but for a mount's root */
		if (!r->is_root) {
			ck_assert(r->babs[r->bparent] == '/');
			ck_assert_ptr_eq(r->name, r->babs + r->bparent + 1);
		} else
			ck_assert_int_eq(r->bparent, strlen(r->babs));
		return;
	}
	if (k->mount >= 0)
		ck_assert_int_eq(out->entered, k->mount);
	ck_assert_int_eq(out->denied, k->blamed != NULL);
	if (k->blamed != NULL) {
		ck_assert_str_eq(r->view, k->blamed);
		ck_assert_int_eq(out->dir.uid, 2000);
		ck_assert_int_eq(out->squashed, k->cfg == SQUASH);
	}
}

START_TEST(test_walk)
{
	static struct efs_res r;
	struct efs_walkout out;
	struct fake *f = calloc(1, sizeof *f);
	int pass, rc;

	ck_assert(f != NULL);
	/* without a cache, then with a cold one, then with the one it filled */
	for (pass = 0; pass < 3; pass++) {
		f->cache = pass > 0;
		rc = run(f, cases[_i].cfg, cases[_i].cwd != NULL ? cases[_i].cwd : "/",
		    cases[_i].cwd != NULL && strncmp(cases[_i].cwd, "/mnt/a", 6) == 0 ? 0 :
		    cases[_i].cwd != NULL && strncmp(cases[_i].cwd, "/mnt/b", 6) == 0 ? 1 : -1,
		    cases[_i].at, cases[_i].path, cases[_i].flags, &r, &out);
		expect(&cases[_i], rc, &r, &out);
	}
	free(f);
}
END_TEST

/*
 * An image as "/" (efsap run --image): every path is the image's (mount
 * NEFS, backing "/." and the view) but under an EFS mount point, where
 * the EFS mount takes over, and under /proc, /sys, /dev and /.efsap, the
 * kernel's own (NM).  Dot-dot out of an EFS root lands in the image again.
 */
#define IMG	NEFS
static const struct wcase icases[] = {
	{ "the image's root", U1000, NULL, 0, "/", F, 0, "/.", "/", 1, IMG, NULL },
	{ "an image file", U1000, NULL, 0, "/etc/passwd", F, 0, "/./etc/passwd", "/etc/passwd",
	    1, IMG, NULL },
	{ "a missing name in the image", U1000, NULL, 0, "/etc/new", F, 0, "/./etc/new",
	    "/etc/new", 0, IMG, NULL },
	{ "a missing directory in the image", U1000, NULL, 0, "/nodir/x", F, -ENOENT, NULL, NULL,
	    0, IMG, NULL },
	{ "dot-dot above the root", U1000, NULL, 0, "/../..", F, 0, "/.", "/", 1, IMG, NULL },
	{ "an EFS mount on top", U1000, NULL, 0, "/mnt/a/d/f", F, 0, "/bk/a/d/f", "/mnt/a/d/f",
	    1, 0, NULL },
	{ "an EFS mount under image directories", U1000, NULL, 0, "/srv/deep/c/z", F, 0,
	    "/bk/c/z", "/srv/deep/c/z", 1, 2, NULL },
	{ "beside an EFS mount point", U1000, NULL, 0, "/mnt/ab", F, 0, "/./mnt/ab", "/mnt/ab",
	    0, IMG, NULL },
	{ "dot-dot out of an EFS root", U1000, NULL, 0, "/mnt/a/..", F, 0, "/./mnt", "/mnt", 1,
	    IMG, NULL },
	{ "dot-dot out of an EFS root, on", U1000, NULL, 0, "/mnt/a/../../etc/passwd", F, 0,
	    "/./etc/passwd", "/etc/passwd", 1, IMG, NULL },
	{ "an EFS link to the image", U1000, NULL, 0, "/mnt/a/hostabs", F, 0, "/./etc/passwd",
	    "/etc/passwd", 1, IMG, NULL },
	{ "an image link into an EFS mount", U1000, NULL, 0, "/lnk/f", F, 0, "/bk/a/d/f",
	    "/mnt/a/d/f", 1, 0, NULL },
	{ "an image link up and up", U1000, NULL, 0, "/up/passwd", F, 0, "/./etc/passwd",
	    "/etc/passwd", 1, IMG, NULL },
	{ "an image link into /proc", U1000, NULL, 0, "/etc/mtab", F, NM, "/proc/self/mounts",
	    NULL, 0, -1, NULL },
	{ "/proc is the kernel's", U1000, NULL, 0, "/proc/self/status", F, NM,
	    "/proc/self/status", NULL, 0, -1, NULL },
	{ "/dev is the kernel's", U1000, NULL, 0, "/dev/null", F, NM, "/dev/null", NULL, 0, -1,
	    NULL },
	{ "/.efsap is the kernel's", U1000, NULL, 0, "/.efsap/config", F, NM, "/.efsap/config",
	    NULL, 0, -1, NULL },
	{ "a name that starts like a hole", U1000, NULL, 0, "/devx", F, 0, "/./devx", "/devx", 0,
	    IMG, NULL },
	{ "dot-dot out of a hole", U1000, NULL, 0, "/proc/../etc/passwd", F, 0, "/./etc/passwd",
	    "/etc/passwd", 1, IMG, NULL },
	{ "dot-dot out of a hole to the root", U1000, NULL, 0, "/dev/..", F, 0, "/.", "/", 1, IMG,
	    NULL },
	{ "/proc/self/fd/N into an EFS mount", U1000, NULL, 0, "/proc/self/fd/7/e/g", F, 0,
	    "/bk/a/d/e/g", "/mnt/a/d/e/g", 1, 0, NULL },
	{ "search denied in the image", U1000, NULL, 0, "/priv/x", F, -EACCES, NULL, NULL, 0, IMG,
	    "/priv" },
	{ "root searches the image", ROOT, NULL, 0, "/priv/x", F, 0, "/./priv/x", "/priv/x", 1,
	    IMG, NULL },
	{ "relative to an image working directory", U1000, "/etc", 0, "passwd", F, 0,
	    "/./etc/passwd", "/etc/passwd", 1, IMG, NULL },
	{ "relative, dot-dot into an EFS mount", U1000, "/etc", 0, "../mnt/b/y", F, 0, "/bk/b/y",
	    "/mnt/b/y", 1, 1, NULL },
	{ "relative to a host descriptor", U1000, "/", 8, "passwd", F, 0, "/./etc/passwd",
	    "/etc/passwd", 1, IMG, NULL },
};

START_TEST(test_image_walk)
{
	static struct efs_res r;
	struct efs_walkout out;
	struct fake *f = calloc(1, sizeof *f);
	const struct wcase *k = &icases[_i];
	int pass, rc;

	ck_assert(f != NULL);
	image_run = 1;
	for (pass = 0; pass < 3; pass++) {
		f->cache = pass > 0;
		rc = run(f, k->cfg, k->cwd != NULL ? k->cwd : "/", k->cwd != NULL ? IMG : -1,
		    k->at, k->path, k->flags, &r, &out);
		expect(k, rc, &r, &out);
	}
	image_run = 0;
	free(f);
}
END_TEST

/* The records: the object's and its parent's. */
START_TEST(test_records)
{
	static struct efs_res r;
	struct efs_walkout out;
	struct fake f = { 0 };

	ck_assert_int_eq(run(&f, U1000, "/", -1, 0, "/mnt/a/priv/x", EFS_R_FOLLOW, &r, &out),
	    -EACCES);
	ck_assert_int_eq(run(&f, ROOT, "/", -1, 0, "/mnt/a/priv/x", EFS_R_FOLLOW, &r, &out), 0);
	ck_assert_int_eq(r.attr.uid, 2000);
	ck_assert_int_eq(r.attr.mode, REG(0644));
	ck_assert_int_eq(r.pattr.mode, DIR(0700));
	ck_assert_str_eq(r.name, "x");
	ck_assert_int_eq(r.is_root, 0);
	/* a mount root: its own record, and a root */
	ck_assert_int_eq(run(&f, U1000, "/", -1, 0, "/mnt/a/.", 0, &r, &out), 0);
	ck_assert_int_eq(r.is_root, 1);
	ck_assert_int_eq(r.dotlast, 1);
	ck_assert_int_eq(r.attr.mode, DIR(0755));
	/* EFS_R_NOATTR leaves the final record to the caller */
	f.nrecord = 0;
	ck_assert_int_eq(run(&f, U1000, "/", -1, 0, "/mnt/a/f", EFS_R_NOATTR, &r, &out), 0);
	ck_assert_int_eq(f.nrecord, 1);		/* the root's only */
	/* EFS_R_REMOVE: a file's record only under a sticky parent, a directory's always */
	f.nrecord = 0;
	ck_assert_int_eq(run(&f, U1000, "/", -1, 0, "/mnt/a/d/f", EFS_R_REMOVE, &r, &out), 0);
	ck_assert_int_eq(f.nrecord, 2);		/* the root's and d's */
	ck_assert_int_eq(r.pattr.mode, DIR(0755));
	ck_assert_int_eq(r.attr.mode & S_IFMT, S_IFREG);
	f.nrecord = 0;
	ck_assert_int_eq(run(&f, U1000, "/", -1, 0, "/mnt/a/tmp/t", EFS_R_REMOVE, &r, &out), 0);
	ck_assert_int_eq(f.nrecord, 3);
	ck_assert_int_eq(r.attr.uid, 2000);
	f.nrecord = 0;
	ck_assert_int_eq(run(&f, U1000, "/", -1, 0, "/mnt/a/d/e", EFS_R_REMOVE, &r, &out), 0);
	ck_assert_int_eq(f.nrecord, 3);
	ck_assert_int_eq(r.attr.mode, DIR(0750));
}
END_TEST

/* EFS_R_GUESS takes a final name as missing without looking. */
START_TEST(test_guess)
{
	static struct efs_res r;
	struct efs_walkout out;
	struct fake f = { 0 };

	ck_assert_int_eq(run(&f, U1000, "/", -1, 0, "/mnt/a/d/f", EFS_R_GUESS, &r, &out), 0);
	ck_assert_int_eq(r.exists, 0);
	ck_assert_int_eq(r.guessed, 1);
	ck_assert_str_eq(r.babs, "/bk/a/d/f");
	/* not with a trailing slash: that one looks */
	ck_assert_int_eq(run(&f, U1000, "/", -1, 0, "/mnt/a/d/", EFS_R_GUESS, &r, &out), 0);
	ck_assert_int_eq(r.guessed, 0);
	ck_assert_int_eq(r.exists, 1);
}
END_TEST

/* A walk met before costs one lstat: the directories come from the cache. */
START_TEST(test_cached)
{
	static struct efs_res r;
	struct efs_walkout out;
	struct fake *f = calloc(1, sizeof *f);

	ck_assert(f != NULL);
	f->cache = 1;
	ck_assert_int_eq(run(f, U1000, "/", -1, 0, "/mnt/a/d/e/g", EFS_R_FOLLOW, &r, &out), 0);
	ck_assert_int_eq(f->nlstat, 4);
	f->nlstat = f->nrecord = f->nreadlink = 0;
	ck_assert_int_eq(run(f, U1000, "/", -1, 0, "/mnt/a/d/e/g", EFS_R_FOLLOW, &r, &out), 0);
	ck_assert_int_eq(f->nlstat, 1);
	ck_assert_int_eq(f->nrecord, 1);
	ck_assert_int_eq(f->nreadlink, 0);
	/* a renamed-away link walks again, 8 times in all */
	f->nbegin = 0;
	ck_assert_int_eq(run(f, U1000, "/", -1, 0, "/mnt/a/flaky", EFS_R_FOLLOW, &r, &out),
	    -ENOENT);
	ck_assert_int_eq(f->nbegin, 8);
	free(f);
}
END_TEST

/* Paths longer than PATH_MAX through a deep working directory. */
START_TEST(test_deep)
{
	static struct efs_res r;
	struct efs_walkout out;
	struct fake f = { 0 };
	char *cwd, *rel, *want, *wview, *p;
	int i;

	build_tree();
	cwd = deep_path("/mnt/a", 15, 0);		/* 3,026 bytes */
	rel = malloc((DEEP - 15) * (XLEN + 1) + 3);
	ck_assert(rel != NULL);
	for (p = rel, i = 15; i < DEEP; i++)
		p += sprintf(p, "%s/", xname);
	strcpy(p, "f");
	/* 30 more levels: 6,031 bytes of string, past PATH_MAX */
	ck_assert_int_eq(run(&f, U1000, cwd, 0, 0, rel, EFS_R_FOLLOW, &r, &out), -ENAMETOOLONG);
	/* 10 more: the string is short, the path 5,038 bytes long */
	p = rel + 10 * (XLEN + 1);
	strcpy(p, "f");
	want = deep_path("/bk/a", 25, 1);
	wview = deep_path("/mnt/a", 25, 1);
	ck_assert(strlen(wview) > EFS_PATH_MAX);
	ck_assert_int_eq(run(&f, U1000, cwd, 0, 0, rel, EFS_R_FOLLOW, &r, &out), 0);
	ck_assert_int_eq(r.exists, 1);
	ck_assert_str_eq(r.babs, want);
	ck_assert_str_eq(r.view, wview);
	free(want);
	free(wview);
	free(cwd);
	/* a working directory of 40 levels (8,051 bytes) and one more: past the view's limit */
	cwd = deep_path("/mnt/a", 40, 0);
	strcpy(rel + XLEN, "/f");
	ck_assert_int_eq(run(&f, U1000, cwd, 0, 0, rel, EFS_R_FOLLOW, &r, &out), -ENAMETOOLONG);
	ck_assert_int_eq(run(&f, U1000, cwd, 0, 0, "../f", EFS_R_FOLLOW, &r, &out), 0);
	ck_assert_int_eq(r.exists, 1);
	want = deep_path("/bk/a", 39, 1);
	ck_assert_str_eq(r.babs, want);
	free(want);
	free(cwd);
	free(rel);
}
END_TEST

/* The magic-link parser. */
static const struct {
	const char *path;
	int len;
	int fd;
} procs[] = {
	{ "/proc/self/fd/3", 15, 3 },
	{ "/proc/self/fd/3/x", 15, 3 },
	{ "/proc/self/cwd", 14, -1 },
	{ "/proc/4242/cwd/a", 14, -1 },
	{ "/proc/4243/cwd", 0, 0 },
	{ "/proc/thread-self/fd/12", 23, 12 },
	{ "/proc/self/task/7/fd/1", 22, 1 },
	{ "/dev/fd/0", 9, 0 },
	{ "/dev/fd/07", 0, 0 },
	{ "/dev/fd/x", 0, 0 },
	{ "/dev/fd", -1, 0 },
	{ "/proc/self", -1, 0 },
	{ "/proc/self/task/7", -1, 0 },
	{ "/proc/selfish/fd/1", 0, 0 },
	{ "/proc/self/fd/99999999999", 0, 0 },
	{ "/etc/passwd", 0, 0 },
};

START_TEST(test_proc_link)
{
	int fd = -7, n = efs_walk_proc_link(procs[_i].path, PID, &fd);

	ck_assert_msg(n == procs[_i].len, "%s: %d", procs[_i].path, n);
	if (n > 0)
		ck_assert_int_eq(fd, procs[_i].fd);
}
END_TEST

Suite *
suite_resolve(void)
{
	Suite *s = suite_create("resolve");
	TCase *tc;

	tc = tcase_create("walk");
	tcase_add_loop_test(tc, test_walk, 0, NELEM(cases));
	tcase_add_loop_test(tc, test_image_walk, 0, NELEM(icases));
	tcase_add_test(tc, test_records);
	tcase_add_test(tc, test_guess);
	tcase_add_test(tc, test_cached);
	tcase_add_test(tc, test_deep);
	suite_add_tcase(s, tc);

	tc = tcase_create("proc");
	tcase_add_loop_test(tc, test_proc_link, 0, NELEM(procs));
	suite_add_tcase(s, tc);
	return s;
}
