/* SPDX-License-Identifier: MIT */
/*
 * check_decide.c: the namespace calls' decisions (decide.h), one table per
 * call.  Each row names a case, the mount (server identity and write
 * gate), the objects as the shell would describe them, and the verdict
 * wanted: the errno, the reason the log states, the object blamed, and
 * whether cached resolutions go stale or there is nothing to do.
 */
#include <sys/stat.h>

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "decide.h"
#include "perm.h"

#define NELEM(a)	((int)(sizeof(a) / sizeof((a)[0])))

/* The identities, as efs_server_who would make them. */
static const struct efs_who u1000 = { { 1000, 1000, 2, { 1000, 2000 } }, 0, 0 };
static const struct efs_who root = { { 0, 0, 1, { 0 } }, 1, 0 };
static const struct efs_who squashed = { { 65534, 65534, 0, { 0 } }, 0, 1 };

/* The mounts: read-write, read-only, ClientWrite refused; by identity. */
static const struct efs_dmnt rw = { &u1000, 0 };
static const struct efs_dmnt ro = { &u1000, EFS_WHY_RO };
static const struct efs_dmnt nw = { &u1000, EFS_WHY_NOWRITE };
static const struct efs_dmnt rwroot = { &root, 0 };
static const struct efs_dmnt roroot = { &root, EFS_WHY_RO };
static const struct efs_dmnt rwsq = { &squashed, 0 };

/* Parent directories' records. */
#define OPEN	{ 0, 0, S_IFDIR | 0777 }	/* anyone creates and removes */
#define SHUT	{ 0, 0, S_IFDIR | 0755 }	/* root's: only root writes */
#define RONLY	{ 0, 0, S_IFDIR | 0555 }	/* nobody writes but root */
#define STICKY	{ 0, 0, S_IFDIR | 01777 }	/* /tmp */
#define MYSTICK	{ 1000, 1000, S_IFDIR | 01777 }	/* sticky, u1000's */

/* Objects, as designated-initializer field lists (a row adds .pattr and the rest). */
#define OBJ_(t, i, n, u, m) .exists = 1, .type = (t), .dev = 1, .ino = (i), \
	.nlink = (n), .attr = { (u), (u), (t) | (m) }
#define REG_(i, u, m)	OBJ_(S_IFREG, i, 1, u, m)
#define DIR_(i, u, m)	OBJ_(S_IFDIR, i, 2, u, m)
#define LNK_(i, u)	OBJ_(S_IFLNK, i, 1, u, 0777)
#define FIFO_(i, u, m)	OBJ_(S_IFIFO, i, 1, u, m)
#define MISSING_	.exists = 0
#define ROOT_		OBJ_(S_IFDIR, 2, 3, 0, 0777), .is_root = 1
#define DOT_		OBJ_(S_IFDIR, 3, 2, 0, 0777), .dotlast = 1
#define DOTDOT_		DOT_, .dotdot = 1
#define HOST_		.mount = -1		/* outside every mount */

/* The verdict wanted. */
struct want {
	int err, why, blame, stale, noop;
};
#define OK		{ 0, 0, 0, 0, 0 }
#define OK_STALE	{ 0, 0, 0, 1, 0 }
#define NOOP		{ 0, 0, 0, 0, 1 }
#define E(e)		{ -(e), 0, 0, 0, 0 }
#define E_STALE(e)	{ -(e), 0, 0, 1, 0 }
#define EB(e, w, b)	{ -(e), EFS_WHY_##w, EFS_BLAME_##b, 0, 0 }
#define EB_STALE(e, w, b) { -(e), EFS_WHY_##w, EFS_BLAME_##b, 1, 0 }

static void
expect(const char *name, int rc, const struct efs_verdict *v, const struct want *w)
{
	ck_assert_msg(rc == v->err, "%s: returned %d, verdict %d", name, rc, v->err);
	ck_assert_msg(v->err == w->err, "%s: errno %d, want %d", name, -v->err, -w->err);
	ck_assert_msg(v->why == w->why, "%s: why %d, want %d", name, v->why, w->why);
	ck_assert_msg(v->blame == w->blame, "%s: blame %d, want %d", name, v->blame,
	    w->blame);
	ck_assert_msg(v->stale == w->stale, "%s: stale %d, want %d", name, v->stale,
	    w->stale);
	ck_assert_msg(v->noop == w->noop, "%s: noop %d, want %d", name, v->noop, w->noop);
}

/* One object and an argument (a mask, open flags, or nothing). */
struct one {
	const char *name;
	const struct efs_dmnt *m;
	struct efs_dobj o;
	int arg;
	struct want w;
};

/* ------------------------------------------------------------ helpers */

static const struct {
	const char *path;
	int dotdot;
} dotdots[] = {
	{ "..", 1 }, { "../", 1 }, { "a/..", 1 }, { "a/..//", 1 }, { "/..", 1 },
	{ ".", 0 }, { "a/.", 0 }, { "...", 0 }, { "a..", 0 }, { "a/b..", 0 },
	{ "..a", 0 }, { "/", 0 }, { "", 0 },
};

START_TEST(test_dotdot)
{
	ck_assert_msg(efs_decide_dotdot(dotdots[_i].path) == dotdots[_i].dotdot,
	    "\"%s\"", dotdots[_i].path);
}
END_TEST

static const struct {
	const char *name;
	const char *o, *n;
	struct efs_drel want;
} relates[] = {
	{ "siblings", "/m/d/a", "/m/d/b", { 0, 0, 1 } },
	{ "cousins", "/m/d/a", "/m/e/a", { 0, 0, 0 } },
	{ "into itself", "/m/d", "/m/d/x/y", { 1, 0, 0 } },
	{ "over an ancestor", "/m/d/x/y", "/m/d", { 0, 1, 0 } },
	{ "a name that only starts alike", "/m/d", "/m/dd/x", { 0, 0, 0 } },
	{ "onto itself", "/m/d/a", "/m/d/a", { 0, 0, 1 } },
	{ "same length parents differ", "/m/a/x", "/m/b/x", { 0, 0, 0 } },
};

START_TEST(test_relate)
{
	const char *o = relates[_i].o, *n = relates[_i].n;
	struct efs_drel rel;

	efs_decide_relate(o, (size_t)(strrchr(o, '/') - o), n, (size_t)(strrchr(n, '/') - n),
	    &rel);
	ck_assert_msg(rel.new_in_old == relates[_i].want.new_in_old &&
	    rel.old_in_new == relates[_i].want.old_in_new &&
	    rel.same_parent == relates[_i].want.same_parent, "%s: %d %d %d", relates[_i].name,
	    rel.new_in_old, rel.old_in_new, rel.same_parent);
}
END_TEST

static const struct {
	int flags, acc;
} accs[] = {
	{ O_RDONLY, EFS_MAY_READ },
	{ O_WRONLY, EFS_MAY_WRITE },
	{ O_RDWR, EFS_MAY_READ | EFS_MAY_WRITE },
	{ O_ACCMODE, EFS_MAY_READ | EFS_MAY_WRITE },	/* Linux's 3: ioctl-only, checked as rw */
	{ O_RDONLY | O_TRUNC, EFS_MAY_READ | EFS_MAY_WRITE },
	{ O_WRONLY | O_APPEND | O_CREAT, EFS_MAY_WRITE },
};

START_TEST(test_open_access)
{
	ck_assert_int_eq(efs_decide_open_access(accs[_i].flags), accs[_i].acc);
}
END_TEST

/* ------------------------------------------------ access, gate, create */

static const struct one accesses[] = {
	{ "owner reads 0600", &rw, { REG_(10, 1000, 0600) }, EFS_MAY_READ, OK },
	{ "owner runs 0600", &rw, { REG_(10, 1000, 0600) }, EFS_MAY_EXEC,
	    EB(EACCES, PERM, OBJ) },
	{ "other writes 0644", &rw, { REG_(10, 0, 0644) }, EFS_MAY_WRITE,
	    EB(EACCES, PERM, OBJ) },
	{ "root writes 0000", &rwroot, { REG_(10, 5, 0000) }, EFS_MAY_WRITE, OK },
	{ "squashed root reads root's 0600", &rwsq, { REG_(10, 0, 0600) }, EFS_MAY_READ,
	    EB(EACCES, SQUASH, OBJ) },
	{ "squashed root reads 0644", &rwsq, { REG_(10, 0, 0644) }, EFS_MAY_READ, OK },
	{ "read-only mount: access does not look at the gate", &ro,
	    { REG_(10, 1000, 0600) }, EFS_MAY_WRITE, OK },
};

START_TEST(test_access)
{
	const struct one *t = &accesses[_i];
	struct efs_verdict v;

	expect(t->name, efs_decide_access(t->m, &t->o, t->arg, &v), &v, &t->w);
}
END_TEST

static const struct one faccesses[] = {
	{ "F_OK", &rw, { REG_(10, 5, 0000) }, F_OK, OK },
	{ "F_OK, missing", &rw, { MISSING_ }, F_OK, E(ENOENT) },
	{ "R_OK, missing, on a read-only mount", &ro, { MISSING_ }, R_OK, E(ENOENT) },
	{ "R_OK own 0600", &rw, { REG_(10, 1000, 0600) }, R_OK, OK },
	{ "R_OK|W_OK own 0400", &rw, { REG_(10, 1000, 0400) }, R_OK | W_OK,
	    EB(EACCES, PERM, OBJ) },
	{ "X_OK, root, no x bit", &rwroot, { REG_(10, 5, 0644) }, X_OK, EB(EACCES, PERM, OBJ) },
	{ "squashed root, R_OK on root's 0600", &rwsq, { REG_(10, 0, 0600) }, R_OK,
	    EB(EACCES, SQUASH, OBJ) },
	{ "W_OK on a read-only mount", &ro, { REG_(10, 1000, 0600) }, W_OK,
	    EB(EROFS, RO, NONE) },
	{ "W_OK on a directory, ClientWrite refused", &nw, { DIR_(10, 1000, 0755) }, W_OK,
	    EB(EROFS, NOWRITE, NONE) },
	{ "W_OK on a read-only mount, the bits first", &ro, { REG_(10, 5, 0644) }, W_OK,
	    EB(EACCES, PERM, OBJ) },
	{ "W_OK on a FIFO on a read-only mount", &ro, { FIFO_(10, 1000, 0600) }, W_OK, OK },
	{ "R_OK on a read-only mount", &ro, { REG_(10, 1000, 0600) }, R_OK, OK },
	{ "root, W_OK on a read-only mount", &roroot, { REG_(10, 5, 0000) }, W_OK,
	    EB(EROFS, RO, NONE) },
};

START_TEST(test_faccess)
{
	const struct one *t = &faccesses[_i];
	struct efs_verdict v;

	expect(t->name, efs_decide_faccess(t->m, &t->o, t->arg, &v), &v, &t->w);
}
END_TEST

static const struct {
	const char *name;
	const struct efs_dmnt *m;
	struct want w;
} gates[] = {
	{ "read-write", &rw, OK },
	{ "read-only mount", &ro, EB(EROFS, RO, NONE) },
	{ "ClientWrite refused", &nw, EB(EROFS, NOWRITE, NONE) },
	{ "read-only mount, root", &roroot, EB(EROFS, RO, NONE) },
};

START_TEST(test_gate)
{
	struct efs_verdict v;

	expect(gates[_i].name, efs_decide_gate(gates[_i].m, &v), &v, &gates[_i].w);
}
END_TEST

static const struct one creates[] = {
	{ "new name in 0777", &rw, { MISSING_, .pattr = OPEN }, 0, OK },
	{ "exists", &rw, { REG_(10, 1000, 0644), .pattr = OPEN }, 0, E(EEXIST) },
	{ "exists beats the read-only mount", &ro, { REG_(10, 1000, 0644), .pattr = SHUT },
	    0, E(EEXIST) },
	{ "mount root", &rw, { ROOT_ }, 0, E(EEXIST) },
	{ "\".\"", &rw, { DOT_, .pattr = OPEN }, 0, E(EEXIST) },
	{ "\"..\"", &rw, { DOTDOT_, .pattr = OPEN }, 0, E(EEXIST) },
	{ "read-only mount", &ro, { MISSING_, .pattr = OPEN }, 0, EB(EROFS, RO, NONE) },
	{ "ClientWrite refused", &nw, { MISSING_, .pattr = OPEN }, 0,
	    EB(EROFS, NOWRITE, NONE) },
	{ "gate before the parent's bits", &ro, { MISSING_, .pattr = SHUT }, 0,
	    EB(EROFS, RO, NONE) },
	{ "root's 0755 parent", &rw, { MISSING_, .pattr = SHUT }, 0,
	    EB(EACCES, PERM, PARENT) },
	{ "squashed root, root's 0755 parent", &rwsq, { MISSING_, .pattr = SHUT }, 0,
	    EB(EACCES, SQUASH, PARENT) },
	{ "root in 0555", &rwroot, { MISSING_, .pattr = RONLY }, 0, OK },
	{ "sticky parent: creating is allowed", &rw, { MISSING_, .pattr = STICKY }, 0, OK },
};

START_TEST(test_create)
{
	const struct one *t = &creates[_i];
	struct efs_verdict v;

	expect(t->name, efs_decide_create(t->m, &t->o, &v), &v, &t->w);
}
END_TEST

static const struct one deletes[] = {
	{ "own file in 0777", &rw, { REG_(10, 1000, 0644), .pattr = OPEN }, 0, OK },
	{ "other's file in 0777", &rw, { REG_(10, 5, 0600), .pattr = OPEN }, 0, OK },
	{ "missing", &rw, { MISSING_, .pattr = OPEN }, 0, E(ENOENT) },
	{ "missing beats the read-only mount", &ro, { MISSING_, .pattr = OPEN }, 0,
	    E(ENOENT) },
	{ "mount root", &rw, { ROOT_ }, 0, E(EBUSY) },
	{ "a directory: caches go stale", &rw, { DIR_(10, 1000, 0755), .pattr = OPEN }, 0,
	    OK_STALE },
	{ "a link: caches go stale", &rw, { LNK_(10, 1000), .pattr = OPEN }, 0, OK_STALE },
	{ "a FIFO: caches go stale", &rw, { FIFO_(10, 1000, 0644), .pattr = OPEN }, 0,
	    OK_STALE },
	{ "read-only mount", &ro, { REG_(10, 1000, 0644), .pattr = OPEN }, 0,
	    EB(EROFS, RO, NONE) },
	{ "read-only mount, a directory", &ro, { DIR_(10, 1000, 0755), .pattr = OPEN }, 0,
	    EB_STALE(EROFS, RO, NONE) },
	{ "root's 0755 parent", &rw, { REG_(10, 1000, 0644), .pattr = SHUT }, 0,
	    EB(EACCES, PERM, PARENT) },
	{ "squashed, root's 0755 parent", &rwsq, { REG_(10, 65534, 0644), .pattr = SHUT }, 0,
	    EB(EACCES, SQUASH, PARENT) },
	{ "sticky: other's entry", &rw, { REG_(10, 5, 0666), .pattr = STICKY }, 0,
	    EB(EPERM, STICKY, OBJ) },
	{ "sticky: own entry", &rw, { REG_(10, 1000, 0600), .pattr = STICKY }, 0, OK },
	{ "sticky: the directory's owner", &rw, { REG_(10, 5, 0600), .pattr = MYSTICK }, 0,
	    OK },
	{ "sticky: root", &rwroot, { REG_(10, 5, 0600), .pattr = STICKY }, 0, OK },
	{ "sticky: squashed root, root's entry", &rwsq, { REG_(10, 0, 0644),
	    .pattr = STICKY }, 0, EB(EPERM, STICKY, OBJ) },
	{ "sticky: other's directory", &rw, { DIR_(10, 5, 0777), .pattr = STICKY }, 0,
	    EB_STALE(EPERM, STICKY, OBJ) },
};

START_TEST(test_delete)
{
	const struct one *t = &deletes[_i];
	struct efs_verdict v;

	expect(t->name, efs_decide_delete(t->m, &t->o, &v), &v, &t->w);
}
END_TEST

/* ------------------------------------------------------ unlink, rmdir */

static const struct one unlinks[] = {
	{ "a file", &rw, { REG_(10, 1000, 0644), .pattr = OPEN }, 0, OK },
	{ "a link", &rw, { LNK_(10, 1000), .pattr = OPEN }, 0, OK_STALE },
	{ "a FIFO", &rw, { FIFO_(10, 1000, 0600), .pattr = OPEN }, 0, OK_STALE },
	{ "\".\"", &rw, { DOT_, .pattr = OPEN }, 0, E(EISDIR) },
	{ "\"..\"", &rw, { DOTDOT_, .pattr = OPEN }, 0, E(EISDIR) },
	{ "\".\" on a read-only mount", &ro, { DOT_, .pattr = OPEN }, 0, E(EISDIR) },
	{ "mount root", &rw, { ROOT_ }, 0, E(EISDIR) },
	{ "read-only mount", &ro, { REG_(10, 1000, 0644), .pattr = OPEN }, 0,
	    EB(EROFS, RO, NONE) },
	{ "ClientWrite refused, missing", &nw, { MISSING_, .pattr = OPEN }, 0,
	    EB(EROFS, NOWRITE, NONE) },
	{ "missing", &rw, { MISSING_, .pattr = OPEN }, 0, E(ENOENT) },
	{ "missing in root's 0755", &rw, { MISSING_, .pattr = SHUT }, 0, E(ENOENT) },
	{ "a directory with a trailing slash, before the parent's bits", &rw,
	    { DIR_(10, 1000, 0755), .pattr = SHUT, .slash = 1 }, 0, E(EISDIR) },
	{ "a directory in root's 0755: the parent first", &rw,
	    { DIR_(10, 1000, 0755), .pattr = SHUT }, 0, EB_STALE(EACCES, PERM, PARENT) },
	{ "a directory in 0777", &rw, { DIR_(10, 1000, 0755), .pattr = OPEN }, 0,
	    E_STALE(EISDIR) },
	{ "a file in root's 0755", &rw, { REG_(10, 1000, 0644), .pattr = SHUT }, 0,
	    EB(EACCES, PERM, PARENT) },
	{ "squashed, a file in root's 0755", &rwsq, { REG_(10, 0, 0644), .pattr = SHUT }, 0,
	    EB(EACCES, SQUASH, PARENT) },
	{ "sticky: other's file", &rw, { REG_(10, 5, 0666), .pattr = STICKY }, 0,
	    EB(EPERM, STICKY, OBJ) },
	{ "sticky: own file", &rw, { REG_(10, 1000, 0600), .pattr = STICKY }, 0, OK },
	{ "root in 0555", &rwroot, { REG_(10, 5, 0000), .pattr = RONLY }, 0, OK },
};

START_TEST(test_unlink)
{
	const struct one *t = &unlinks[_i];
	struct efs_verdict v;

	expect(t->name, efs_decide_unlink(t->m, &t->o, &v), &v, &t->w);
}
END_TEST

static const struct one rmdirs[] = {
	{ "a directory", &rw, { DIR_(10, 1000, 0755), .pattr = OPEN }, 0, OK_STALE },
	{ "a directory with a trailing slash", &rw,
	    { DIR_(10, 1000, 0755), .pattr = OPEN, .slash = 1 }, 0, OK_STALE },
	{ "\".\"", &rw, { DOT_, .pattr = OPEN }, 0, E(EINVAL) },
	{ "\"..\"", &rw, { DOTDOT_, .pattr = OPEN }, 0, E(ENOTEMPTY) },
	{ "\".\" on a read-only mount", &ro, { DOT_, .pattr = OPEN }, 0, E(EINVAL) },
	{ "mount root", &rw, { ROOT_ }, 0, E(EBUSY) },
	{ "mount root on a read-only mount", &ro, { ROOT_ }, 0, E(EBUSY) },
	{ "read-only mount", &ro, { DIR_(10, 1000, 0755), .pattr = OPEN }, 0,
	    EB(EROFS, RO, NONE) },
	{ "read-only mount, missing", &ro, { MISSING_, .pattr = OPEN }, 0,
	    EB(EROFS, RO, NONE) },
	{ "missing", &rw, { MISSING_, .pattr = OPEN }, 0, E(ENOENT) },
	{ "a file in 0777", &rw, { REG_(10, 1000, 0644), .pattr = OPEN }, 0, E(ENOTDIR) },
	{ "a file in root's 0755: the parent first", &rw,
	    { REG_(10, 1000, 0644), .pattr = SHUT }, 0, EB(EACCES, PERM, PARENT) },
	{ "a link in 0777", &rw, { LNK_(10, 1000), .pattr = OPEN }, 0, E_STALE(ENOTDIR) },
	{ "a directory in root's 0755", &rw, { DIR_(10, 1000, 0755), .pattr = SHUT }, 0,
	    EB_STALE(EACCES, PERM, PARENT) },
	{ "sticky: other's directory", &rw, { DIR_(10, 5, 0777), .pattr = STICKY }, 0,
	    EB_STALE(EPERM, STICKY, OBJ) },
	{ "sticky: the directory's owner", &rw, { DIR_(10, 5, 0777), .pattr = MYSTICK }, 0,
	    OK_STALE },
	{ "squashed root, root's sticky", &rwsq, { DIR_(10, 0, 0777), .pattr = STICKY }, 0,
	    EB_STALE(EPERM, STICKY, OBJ) },
};

START_TEST(test_rmdir)
{
	const struct one *t = &rmdirs[_i];
	struct efs_verdict v;

	expect(t->name, efs_decide_rmdir(t->m, &t->o, &v), &v, &t->w);
}
END_TEST

/* ----------------------------------------------------- mknod, symlink */

static const struct one mknods[] = {
	{ "a FIFO", &rw, { MISSING_, .pattr = OPEN }, S_IFIFO, OK },
	{ "type 0 is a regular file", &rw, { MISSING_, .pattr = OPEN }, 0, OK },
	{ "a socket", &rw, { MISSING_, .pattr = OPEN }, S_IFSOCK, OK },
	{ "a directory: first", &ro, { REG_(10, 1000, 0644), .pattr = SHUT }, S_IFDIR,
	    E(EPERM) },
	{ "an unknown type", &ro, { REG_(10, 1000, 0644), .pattr = SHUT }, 0170000,
	    E(EINVAL) },
	{ "a symbolic link is not mknod's", &rw, { MISSING_, .pattr = OPEN }, S_IFLNK,
	    E(EINVAL) },
	{ "exists", &ro, { REG_(10, 1000, 0644), .pattr = SHUT }, S_IFIFO, E(EEXIST) },
	{ "read-only mount", &ro, { MISSING_, .pattr = OPEN }, S_IFIFO, EB(EROFS, RO, NONE) },
	{ "root's 0755 parent", &rw, { MISSING_, .pattr = SHUT }, S_IFIFO,
	    EB(EACCES, PERM, PARENT) },
	{ "a device: not in EFS", &rwroot, { MISSING_, .pattr = OPEN }, S_IFCHR,
	    EB(EPERM, UNSUPPORTED, NONE) },
	{ "a block device, after the parent's bits", &rw, { MISSING_, .pattr = SHUT },
	    S_IFBLK, EB(EACCES, PERM, PARENT) },
	{ "a block device, after the gate", &nw, { MISSING_, .pattr = OPEN }, S_IFBLK,
	    EB(EROFS, NOWRITE, NONE) },
};

START_TEST(test_mknod)
{
	const struct one *t = &mknods[_i];
	struct efs_verdict v;

	expect(t->name, efs_decide_mknod(t->m, &t->o, (uint32_t)t->arg, &v), &v, &t->w);
}
END_TEST

static const struct one symlinks[] = {
	{ "a short target", &rw, { MISSING_, .pattr = OPEN }, 1, OK },
	{ "4,080 bytes: EFS's longest", &rw, { MISSING_, .pattr = OPEN }, EFS_SYMLINK_MAX, OK },
	{ "4,081 bytes", &rw, { MISSING_, .pattr = OPEN }, EFS_SYMLINK_MAX + 1,
	    EB(ENAMETOOLONG, LIMIT, NONE) },
	{ "too long, but the name exists", &rw, { LNK_(10, 1000), .pattr = OPEN },
	    EFS_SYMLINK_MAX + 1, E(EEXIST) },
	{ "too long, on a read-only mount", &ro, { MISSING_, .pattr = OPEN },
	    EFS_SYMLINK_MAX + 1, EB(EROFS, RO, NONE) },
	{ "too long, in root's 0755", &rw, { MISSING_, .pattr = SHUT }, EFS_SYMLINK_MAX + 1,
	    EB(EACCES, PERM, PARENT) },
	{ "onto \".\"", &rw, { DOT_, .pattr = OPEN }, 1, E(EEXIST) },
};

START_TEST(test_symlink)
{
	const struct one *t = &symlinks[_i];
	struct efs_verdict v;

	expect(t->name, efs_decide_symlink(t->m, &t->o, (size_t)t->arg, &v), &v, &t->w);
}
END_TEST

/* ------------------------------------------------------------- rename */

#define SIB	{ 0, 0, 1 }		/* the two names share a parent */
#define FAR	{ 0, 0, 0 }		/* they do not */
#define INTO	{ 1, 0, 0 }		/* the new name is inside the old object */
#define OVER	{ 0, 1, 0 }		/* the old object is inside the new name */

static const struct {
	const char *name;
	const struct efs_dmnt *m;
	struct efs_dobj o, n;
	struct efs_drel rel;
	unsigned flags;
	struct want w;
} renames[] = {
	{ "a file to a new name", &rw, { REG_(10, 1000, 0644), .pattr = OPEN },
	    { MISSING_, .pattr = OPEN }, SIB, 0, OK },
	{ "a file over a file", &rw, { REG_(10, 1000, 0644), .pattr = OPEN },
	    { REG_(11, 1000, 0644), .pattr = OPEN }, FAR, 0, OK },
	{ "a directory to a new name, same parent", &rw,
	    { DIR_(10, 1000, 0755), .pattr = OPEN }, { MISSING_, .pattr = OPEN }, SIB, 0,
	    OK_STALE },
	{ "a link over a link", &rw, { LNK_(10, 1000), .pattr = OPEN },
	    { LNK_(11, 1000), .pattr = OPEN }, SIB, 0, OK_STALE },
	/* flags, then EXDEV, before anything about the objects */
	{ "unknown flag", &rw, { REG_(10, 1000, 0644), .pattr = OPEN },
	    { MISSING_, .pattr = OPEN }, SIB, 1u << 3, E(EINVAL) },
	{ "EXCHANGE with NOREPLACE", &rw, { REG_(10, 1000, 0644), .pattr = OPEN },
	    { REG_(11, 1000, 0644), .pattr = OPEN }, SIB, RENAME_EXCHANGE | RENAME_NOREPLACE,
	    E(EINVAL) },
	{ "EXCHANGE with WHITEOUT", &rw, { REG_(10, 1000, 0644), .pattr = OPEN },
	    { REG_(11, 1000, 0644), .pattr = OPEN }, SIB, RENAME_EXCHANGE | RENAME_WHITEOUT,
	    E(EINVAL) },
	{ "WHITEOUT: not over NFS", &rw, { REG_(10, 1000, 0644), .pattr = OPEN },
	    { MISSING_, .pattr = OPEN }, SIB, RENAME_WHITEOUT, E(EINVAL) },
	{ "WHITEOUT across mounts: EINVAL first", &rw, { REG_(10, 1000, 0644), .pattr = OPEN },
	    { HOST_ }, FAR, RENAME_WHITEOUT, E(EINVAL) },
	{ "to the host", &rw, { REG_(10, 1000, 0644), .pattr = OPEN }, { HOST_ }, FAR, 0,
	    EB(EXDEV, XDEV, NONE) },
	{ "from the host", &rw, { HOST_ }, { MISSING_, .pattr = OPEN }, FAR, 0,
	    EB(EXDEV, XDEV, NONE) },
	{ "to another mount", &rw, { REG_(10, 1000, 0644), .pattr = OPEN },
	    { MISSING_, .mount = 1, .pattr = OPEN }, FAR, 0, EB(EXDEV, XDEV, NONE) },
	{ "across mounts beats a missing source", &rw, { MISSING_, .pattr = OPEN },
	    { MISSING_, .mount = 1, .pattr = OPEN }, FAR, 0, EB(EXDEV, XDEV, NONE) },
	/* do_renameat2 */
	{ "from \".\"", &rw, { DOT_, .pattr = OPEN }, { MISSING_, .pattr = OPEN }, FAR, 0,
	    E(EBUSY) },
	{ "from \"..\"", &rw, { DOTDOT_, .pattr = OPEN }, { MISSING_, .pattr = OPEN }, FAR, 0,
	    E(EBUSY) },
	{ "the mount root", &rw, { ROOT_ }, { MISSING_, .pattr = OPEN }, OVER, 0, E(EBUSY) },
	{ "onto \".\"", &rw, { REG_(10, 1000, 0644), .pattr = OPEN },
	    { DOT_, .pattr = OPEN }, FAR, 0, E(EBUSY) },
	{ "onto the mount root", &rw, { REG_(10, 1000, 0644), .pattr = OPEN },
	    { ROOT_ }, OVER, 0, E(EBUSY) },
	{ "onto the mount root, NOREPLACE", &rw, { REG_(10, 1000, 0644), .pattr = OPEN },
	    { ROOT_ }, OVER, RENAME_NOREPLACE, E(EEXIST) },
	{ "\".\" on a read-only mount", &ro, { DOT_, .pattr = OPEN },
	    { MISSING_, .pattr = OPEN }, FAR, 0, E(EBUSY) },
	{ "read-only mount", &ro, { REG_(10, 1000, 0644), .pattr = OPEN },
	    { MISSING_, .pattr = OPEN }, SIB, 0, EB(EROFS, RO, NONE) },
	{ "read-only mount, missing source", &ro, { MISSING_, .pattr = OPEN },
	    { MISSING_, .pattr = OPEN }, SIB, 0, EB(EROFS, RO, NONE) },
	{ "ClientWrite refused", &nw, { REG_(10, 1000, 0644), .pattr = OPEN },
	    { MISSING_, .pattr = OPEN }, SIB, 0, EB(EROFS, NOWRITE, NONE) },
	{ "missing source", &rw, { MISSING_, .pattr = OPEN }, { MISSING_, .pattr = OPEN },
	    SIB, 0, E(ENOENT) },
	{ "NOREPLACE onto a file", &rw, { REG_(10, 1000, 0644), .pattr = OPEN },
	    { REG_(11, 1000, 0644), .pattr = OPEN }, SIB, RENAME_NOREPLACE, E(EEXIST) },
	{ "NOREPLACE onto itself", &rw, { REG_(10, 1000, 0644), .pattr = OPEN },
	    { REG_(10, 1000, 0644), .pattr = OPEN }, SIB, RENAME_NOREPLACE, E(EEXIST) },
	{ "NOREPLACE to a new name", &rw, { REG_(10, 1000, 0644), .pattr = OPEN },
	    { MISSING_, .pattr = OPEN }, SIB, RENAME_NOREPLACE, OK },
	{ "EXCHANGE with a missing name", &rw, { REG_(10, 1000, 0644), .pattr = OPEN },
	    { MISSING_, .pattr = OPEN }, SIB, RENAME_EXCHANGE, E(ENOENT) },
	{ "a file with a trailing slash", &rw,
	    { REG_(10, 1000, 0644), .pattr = OPEN, .slash = 1 }, { MISSING_, .pattr = OPEN },
	    SIB, 0, E(ENOTDIR) },
	{ "a file to a name with a trailing slash", &rw,
	    { REG_(10, 1000, 0644), .pattr = OPEN }, { MISSING_, .pattr = OPEN, .slash = 1 },
	    SIB, 0, E(ENOTDIR) },
	{ "trailing slash before the parent's bits", &rw,
	    { REG_(10, 1000, 0644), .pattr = SHUT, .slash = 1 }, { MISSING_, .pattr = SHUT },
	    SIB, 0, E(ENOTDIR) },
	{ "a directory with trailing slashes", &rw,
	    { DIR_(10, 1000, 0755), .pattr = OPEN, .slash = 1 },
	    { MISSING_, .pattr = OPEN, .slash = 1 }, SIB, 0, OK_STALE },
	{ "EXCHANGE of a file with a trailing slash", &rw,
	    { REG_(10, 1000, 0644), .pattr = OPEN, .slash = 1 },
	    { DIR_(11, 1000, 0755), .pattr = OPEN }, SIB, RENAME_EXCHANGE, OK_STALE },
	{ "a directory into itself", &rw, { DIR_(10, 1000, 0755), .pattr = OPEN },
	    { MISSING_, .pattr = OPEN }, INTO, 0, E(EINVAL) },
	{ "a directory over its ancestor", &rw, { DIR_(10, 1000, 0755), .pattr = OPEN },
	    { DIR_(11, 1000, 0755), .pattr = OPEN }, OVER, 0, E(ENOTEMPTY) },
	{ "EXCHANGE with its ancestor", &rw, { DIR_(10, 1000, 0755), .pattr = OPEN },
	    { DIR_(11, 1000, 0755), .pattr = OPEN }, OVER, RENAME_EXCHANGE, E(EINVAL) },
	{ "into itself before the parent's bits", &rw, { DIR_(10, 1000, 0755), .pattr = SHUT },
	    { MISSING_, .pattr = SHUT }, INTO, 0, E(EINVAL) },
	/* the same file: nothing to do, whatever the permissions */
	{ "onto itself", &rw, { REG_(10, 5, 0600), .pattr = SHUT },
	    { REG_(10, 5, 0600), .pattr = SHUT }, SIB, 0, NOOP },
	{ "onto another link to it", &rw, { REG_(10, 5, 0600), .pattr = STICKY },
	    { REG_(10, 5, 0600), .pattr = SHUT }, FAR, 0, NOOP },
	{ "EXCHANGE with itself", &rw, { DIR_(10, 1000, 0755), .pattr = OPEN },
	    { DIR_(10, 1000, 0755), .pattr = OPEN }, SIB, RENAME_EXCHANGE, NOOP },
	/* vfs_rename: the old name, then the new one */
	{ "from root's 0755", &rw, { REG_(10, 1000, 0644), .pattr = SHUT },
	    { MISSING_, .pattr = OPEN }, FAR, 0, EB(EACCES, PERM, PARENT) },
	{ "squashed, from root's 0755", &rwsq, { REG_(10, 65534, 0644), .pattr = SHUT },
	    { MISSING_, .pattr = OPEN }, FAR, 0, EB(EACCES, SQUASH, PARENT) },
	{ "from a sticky directory, other's", &rw, { REG_(10, 5, 0666), .pattr = STICKY },
	    { MISSING_, .pattr = OPEN }, FAR, 0, EB(EPERM, STICKY, OBJ) },
	{ "into root's 0755", &rw, { REG_(10, 1000, 0644), .pattr = OPEN },
	    { MISSING_, .pattr = SHUT }, FAR, 0, EB(EACCES, PERM, NEW_PARENT) },
	{ "over a file in root's 0755", &rw, { REG_(10, 1000, 0644), .pattr = OPEN },
	    { REG_(11, 1000, 0644), .pattr = SHUT }, FAR, 0, EB(EACCES, PERM, NEW_PARENT) },
	{ "over other's file in a sticky directory", &rw,
	    { REG_(10, 1000, 0644), .pattr = OPEN }, { REG_(11, 5, 0666), .pattr = STICKY },
	    FAR, 0, EB(EPERM, STICKY, NEW) },
	{ "over own file in a sticky directory", &rw, { REG_(10, 1000, 0644), .pattr = OPEN },
	    { REG_(11, 1000, 0600), .pattr = STICKY }, FAR, 0, OK },
	{ "a directory over a file", &rw, { DIR_(10, 1000, 0755), .pattr = OPEN },
	    { REG_(11, 1000, 0644), .pattr = OPEN }, SIB, 0, E_STALE(ENOTDIR) },
	{ "a file over a directory", &rw, { REG_(10, 1000, 0644), .pattr = OPEN },
	    { DIR_(11, 1000, 0755), .pattr = OPEN }, SIB, 0, E_STALE(EISDIR) },
	{ "a file over a directory in root's 0755: the bits first", &rw,
	    { REG_(10, 1000, 0644), .pattr = OPEN }, { DIR_(11, 1000, 0755), .pattr = SHUT },
	    FAR, 0, EB_STALE(EACCES, PERM, NEW_PARENT) },
	{ "a directory over a directory", &rw, { DIR_(10, 1000, 0755), .pattr = OPEN },
	    { DIR_(11, 1000, 0755), .pattr = OPEN }, SIB, 0, OK_STALE },
	{ "EXCHANGE of a directory and a file", &rw, { DIR_(10, 1000, 0755), .pattr = OPEN },
	    { REG_(11, 1000, 0644), .pattr = OPEN }, SIB, RENAME_EXCHANGE, OK_STALE },
	/* a directory whose ".." changes needs write permission on itself */
	{ "own 0555 directory to another parent", &rw, { DIR_(10, 1000, 0555), .pattr = OPEN },
	    { MISSING_, .pattr = OPEN }, FAR, 0, EB_STALE(EACCES, PERM, OBJ) },
	{ "own 0555 directory within its parent", &rw, { DIR_(10, 1000, 0555), .pattr = OPEN },
	    { MISSING_, .pattr = OPEN }, SIB, 0, OK_STALE },
	{ "other's 0755 directory to another parent", &rw,
	    { DIR_(10, 5, 0755), .pattr = OPEN }, { MISSING_, .pattr = OPEN }, FAR, 0,
	    EB_STALE(EACCES, PERM, OBJ) },
	{ "squashed, root's 0755 directory to another parent", &rwsq,
	    { DIR_(10, 0, 0755), .pattr = OPEN }, { MISSING_, .pattr = OPEN }, FAR, 0,
	    EB_STALE(EACCES, SQUASH, OBJ) },
	{ "root moves a 0555 directory", &rwroot, { DIR_(10, 5, 0555), .pattr = OPEN },
	    { MISSING_, .pattr = OPEN }, FAR, 0, OK_STALE },
	{ "a file to another parent needs no write on itself", &rw,
	    { REG_(10, 5, 0444), .pattr = OPEN }, { MISSING_, .pattr = OPEN }, FAR, 0, OK },
	{ "EXCHANGE: the new directory's bits too", &rw, { REG_(10, 1000, 0644), .pattr = OPEN },
	    { DIR_(11, 5, 0755), .pattr = OPEN }, FAR, RENAME_EXCHANGE,
	    EB_STALE(EACCES, PERM, NEW) },
	{ "EXCHANGE: the old directory's first", &rw, { DIR_(10, 5, 0755), .pattr = OPEN },
	    { DIR_(11, 5, 0755), .pattr = OPEN }, FAR, RENAME_EXCHANGE,
	    EB_STALE(EACCES, PERM, OBJ) },
	{ "without EXCHANGE the replaced directory's bits do not count", &rw,
	    { DIR_(10, 1000, 0755), .pattr = OPEN }, { DIR_(11, 5, 0755), .pattr = OPEN }, FAR,
	    0, OK_STALE },
};

START_TEST(test_rename)
{
	struct efs_verdict v;
	int rc = efs_decide_rename(renames[_i].m, &renames[_i].o, &renames[_i].n,
	    &renames[_i].rel, renames[_i].flags, &v);

	expect(renames[_i].name, rc, &v, &renames[_i].w);
}
END_TEST

/* --------------------------------------------------------------- link */

static const struct one hardlinks[] = {
	{ "root links anything", &rwroot, { REG_(10, 5, 04700) }, 0, OK },
	{ "the owner links its own", &rw, { REG_(10, 1000, 04000) }, 0, OK },
	{ "the owner links its own directory (vfs_link says no later)", &rw,
	    { DIR_(10, 1000, 0755) }, 0, OK },
	{ "other's 0666 file", &rw, { REG_(10, 5, 0666) }, 0, OK },
	{ "other's 0644 file: no write", &rw, { REG_(10, 5, 0644) }, 0,
	    EB(EPERM, PERM, OBJ) },
	{ "other's setuid file", &rw, { REG_(10, 5, 04666) }, 0, EB(EPERM, PERM, OBJ) },
	{ "other's setgid file with group execute", &rw, { REG_(10, 5, 02676) }, 0,
	    EB(EPERM, PERM, OBJ) },
	{ "other's setgid file without group execute (mandatory locking)", &rw,
	    { REG_(10, 5, 02666) }, 0, OK },
	{ "other's FIFO", &rw, { FIFO_(10, 5, 0666) }, 0, EB(EPERM, PERM, OBJ) },
	{ "squashed root: the reason stays the bits", &rwsq, { REG_(10, 0, 0644) }, 0,
	    EB(EPERM, PERM, OBJ) },
};

START_TEST(test_hardlink)
{
	const struct one *t = &hardlinks[_i];
	struct efs_verdict v;

	expect(t->name, efs_decide_hardlink(t->m, &t->o, &v), &v, &t->w);
}
END_TEST

static const struct {
	const char *name;
	const struct efs_dmnt *m;
	struct efs_dobj o, n;
	struct want w;
} links[] = {
	{ "own file to a new name", &rw, { REG_(10, 1000, 0644), .pattr = SHUT },
	    { MISSING_, .pattr = OPEN }, OK },
	{ "176 links: one more", &rw, { OBJ_(S_IFREG, 10, 176, 1000, 0644), .pattr = OPEN },
	    { MISSING_, .pattr = OPEN }, OK },
	{ "177 links: EFS's limit", &rw, { OBJ_(S_IFREG, 10, 177, 1000, 0644), .pattr = OPEN },
	    { MISSING_, .pattr = OPEN }, EB(EMLINK, LIMIT, OBJ) },
	{ "to the host", &rw, { REG_(10, 1000, 0644) }, { HOST_ }, EB(EXDEV, XDEV, NONE) },
	{ "to the host, from a missing name", &rw, { MISSING_ }, { HOST_ },
	    EB(EXDEV, XDEV, NONE) },
	{ "onto a file", &rw, { REG_(10, 1000, 0644) }, { REG_(11, 1000, 0644),
	    .pattr = OPEN }, E(EEXIST) },
	{ "onto a file, on a read-only mount", &ro, { REG_(10, 1000, 0644) },
	    { REG_(11, 1000, 0644), .pattr = OPEN }, E(EEXIST) },
	{ "onto a file from another mount", &rw, { REG_(10, 1000, 0644), .mount = 1 },
	    { REG_(11, 1000, 0644), .pattr = OPEN }, E(EEXIST) },
	{ "onto the mount root", &rw, { REG_(10, 1000, 0644) }, { ROOT_ }, E(EEXIST) },
	{ "onto \"..\"", &rw, { REG_(10, 1000, 0644) }, { DOTDOT_, .pattr = OPEN },
	    E(EEXIST) },
	{ "read-only mount", &ro, { REG_(10, 1000, 0644) }, { MISSING_, .pattr = OPEN },
	    EB(EROFS, RO, NONE) },
	{ "ClientWrite refused, from another mount", &nw,
	    { REG_(10, 1000, 0644), .mount = 1 }, { MISSING_, .pattr = OPEN },
	    EB(EROFS, NOWRITE, NONE) },
	{ "from another mount", &rw, { REG_(10, 1000, 0644), .mount = 1 },
	    { MISSING_, .pattr = OPEN }, EB(EXDEV, XDEV, NONE) },
	{ "from the host", &rw, { HOST_ }, { MISSING_, .pattr = OPEN },
	    EB(EXDEV, XDEV, NONE) },
	{ "a missing name", &rw, { MISSING_ }, { MISSING_, .pattr = OPEN }, E(ENOENT) },
	{ "a missing name, into root's 0755", &rw, { MISSING_ }, { MISSING_, .pattr = SHUT },
	    E(ENOENT) },
	{ "protected: other's 0644", &rw, { REG_(10, 5, 0644) }, { MISSING_, .pattr = SHUT },
	    EB(EPERM, PERM, OBJ) },
	{ "into root's 0755", &rw, { REG_(10, 1000, 0644) }, { MISSING_, .pattr = SHUT },
	    EB(EACCES, PERM, NEW_PARENT) },
	{ "squashed, into root's 0755", &rwsq, { REG_(10, 65534, 0644) },
	    { MISSING_, .pattr = SHUT }, EB(EACCES, SQUASH, NEW_PARENT) },
	{ "a directory", &rw, { DIR_(10, 1000, 0755) }, { MISSING_, .pattr = OPEN },
	    E(EPERM) },
	{ "a directory, into root's 0755: the bits first", &rw, { DIR_(10, 1000, 0755) },
	    { MISSING_, .pattr = SHUT }, EB(EACCES, PERM, NEW_PARENT) },
	{ "a directory at the limit", &rw, { OBJ_(S_IFDIR, 10, 200, 1000, 0755) },
	    { MISSING_, .pattr = OPEN }, E(EPERM) },
	{ "own link", &rw, { LNK_(10, 1000) }, { MISSING_, .pattr = OPEN }, OK },
	{ "root, other's setuid file at the limit", &rwroot,
	    { OBJ_(S_IFREG, 10, 177, 5, 04755) }, { MISSING_, .pattr = OPEN },
	    EB(EMLINK, LIMIT, OBJ) },
};

START_TEST(test_link)
{
	struct efs_verdict v;
	int rc = efs_decide_link(links[_i].m, &links[_i].o, &links[_i].n, &v);

	expect(links[_i].name, rc, &v, &links[_i].w);
}
END_TEST

/* --------------------------------------------------------------- open */

static const struct one opens[] = {
	{ "read own 0600", &rw, { REG_(10, 1000, 0600) }, O_RDONLY, OK },
	{ "write own 0600", &rw, { REG_(10, 1000, 0600) }, O_WRONLY, OK },
	{ "read other's 0600", &rw, { REG_(10, 5, 0600) }, O_RDONLY, EB(EACCES, PERM, OBJ) },
	{ "read-write other's 0644", &rw, { REG_(10, 5, 0644) }, O_RDWR,
	    EB(EACCES, PERM, OBJ) },
	{ "O_TRUNC asks for write", &rw, { REG_(10, 5, 0644) }, O_RDONLY | O_TRUNC,
	    EB(EACCES, PERM, OBJ) },
	{ "squashed root reads root's 0600", &rwsq, { REG_(10, 0, 0600) }, O_RDONLY,
	    EB(EACCES, SQUASH, OBJ) },
	{ "root reads 0000", &rwroot, { REG_(10, 5, 0000) }, O_RDWR, OK },
	{ "O_CREAT|O_EXCL on a file", &rw, { REG_(10, 1000, 0600) }, O_CREAT | O_EXCL,
	    E(EEXIST) },
	{ "O_CREAT|O_EXCL beats the read-only mount", &ro, { REG_(10, 5, 0000) },
	    O_WRONLY | O_CREAT | O_EXCL, E(EEXIST) },
	{ "O_CREAT of an existing file opens it", &rw, { REG_(10, 1000, 0600) },
	    O_WRONLY | O_CREAT, OK },
	{ "O_CREAT on a directory", &rw, { DIR_(10, 1000, 0755) }, O_RDONLY | O_CREAT,
	    E(EISDIR) },
	{ "O_DIRECTORY on a file", &rw, { REG_(10, 1000, 0600) }, O_RDONLY | O_DIRECTORY,
	    E(ENOTDIR) },
	{ "O_DIRECTORY on a link", &rw, { LNK_(10, 1000) }, O_RDONLY | O_DIRECTORY,
	    E(ENOTDIR) },
	{ "O_DIRECTORY on a directory", &rw, { DIR_(10, 1000, 0755) }, O_RDONLY | O_DIRECTORY,
	    OK },
	{ "O_PATH on an unreadable file", &rw, { REG_(10, 5, 0000) }, O_PATH, OK },
	{ "O_PATH on a link (O_NOFOLLOW)", &rw, { LNK_(10, 5) }, O_PATH | O_NOFOLLOW, OK },
	{ "O_PATH|O_DIRECTORY on a file", &rw, { REG_(10, 5, 0000) }, O_PATH | O_DIRECTORY,
	    E(ENOTDIR) },
	{ "O_PATH on a read-only mount", &ro, { REG_(10, 5, 0000) }, O_PATH, OK },
	{ "O_TRUNC on a read-only mount", &ro, { REG_(10, 1000, 0600) }, O_RDONLY | O_TRUNC,
	    EB(EROFS, RO, NONE) },
	{ "O_TRUNC of other's file on a read-only mount: the gate first", &ro,
	    { REG_(10, 5, 0000) }, O_RDONLY | O_TRUNC, EB(EROFS, RO, NONE) },
	{ "a link (O_NOFOLLOW)", &rw, { LNK_(10, 1000) }, O_RDONLY | O_NOFOLLOW, E(ELOOP) },
	{ "a link with O_TRUNC on a read-only mount", &ro, { LNK_(10, 1000) },
	    O_WRONLY | O_TRUNC | O_NOFOLLOW, E(ELOOP) },
	{ "a directory for writing", &rw, { DIR_(10, 1000, 0755) }, O_WRONLY, E(EISDIR) },
	{ "a directory for writing, on a read-only mount", &ro, { DIR_(10, 1000, 0755) },
	    O_RDWR, E(EISDIR) },
	{ "read a directory", &rw, { DIR_(10, 1000, 0755) }, O_RDONLY, OK },
	{ "read other's 0700 directory", &rw, { DIR_(10, 5, 0700) }, O_RDONLY,
	    EB(EACCES, PERM, OBJ) },
	{ "write on a read-only mount", &ro, { REG_(10, 1000, 0600) }, O_WRONLY,
	    EB(EROFS, RO, NONE) },
	{ "write, ClientWrite refused", &nw, { REG_(10, 1000, 0600) }, O_RDWR,
	    EB(EROFS, NOWRITE, NONE) },
	{ "read on a read-only mount", &ro, { REG_(10, 1000, 0600) }, O_RDONLY, OK },
	{ "write a FIFO on a read-only mount", &ro, { FIFO_(10, 1000, 0600) }, O_WRONLY, OK },
	{ "O_TRUNC of a FIFO on a read-only mount", &ro, { FIFO_(10, 1000, 0600) },
	    O_WRONLY | O_TRUNC, OK },
	{ "write other's FIFO", &rw, { FIFO_(10, 5, 0644) }, O_WRONLY, EB(EACCES, PERM, OBJ) },
	{ "root writes on a read-only mount", &roroot, { REG_(10, 5, 0666) }, O_WRONLY,
	    EB(EROFS, RO, NONE) },
};

START_TEST(test_open)
{
	const struct one *t = &opens[_i];
	struct efs_verdict v;

	expect(t->name, efs_decide_open(t->m, &t->o, t->arg, &v), &v, &t->w);
}
END_TEST

static const struct one tmpfiles[] = {
	{ "own directory", &rw, { DIR_(10, 1000, 0755), .pattr = SHUT }, 0, OK },
	{ "missing", &rw, { MISSING_, .pattr = OPEN }, 0, E(ENOENT) },
	{ "missing on a read-only mount", &ro, { MISSING_, .pattr = OPEN }, 0, E(ENOENT) },
	{ "a file", &rw, { REG_(10, 1000, 0644) }, 0, E(ENOTDIR) },
	{ "read-only mount", &ro, { DIR_(10, 1000, 0755) }, 0, EB(EROFS, RO, NONE) },
	{ "root's 0755: the directory itself is blamed", &rw,
	    { DIR_(10, 0, 0755), .pattr = OPEN }, 0, EB(EACCES, PERM, OBJ) },
	{ "squashed, root's 0755", &rwsq, { DIR_(10, 0, 0755) }, 0,
	    EB(EACCES, SQUASH, OBJ) },
	{ "the mount root", &rw, { ROOT_ }, 0, OK },
};

START_TEST(test_tmpfile)
{
	const struct one *t = &tmpfiles[_i];
	struct efs_verdict v;

	expect(t->name, efs_decide_tmpfile(t->m, &t->o, &v), &v, &t->w);
}
END_TEST

static const struct one truncates[] = {
	{ "own file", &rw, { REG_(10, 1000, 0644) }, 0, OK },
	{ "missing", &rw, { MISSING_ }, 0, E(ENOENT) },
	{ "a directory", &rw, { DIR_(10, 1000, 0755) }, 0, E(EISDIR) },
	{ "a directory on a read-only mount", &ro, { DIR_(10, 1000, 0755) }, 0, E(EISDIR) },
	{ "a FIFO", &rw, { FIFO_(10, 1000, 0666) }, 0, E(EINVAL) },
	{ "read-only mount", &ro, { REG_(10, 1000, 0644) }, 0, EB(EROFS, RO, NONE) },
	{ "other's 0644", &rw, { REG_(10, 5, 0644) }, 0, EB(EACCES, PERM, OBJ) },
	{ "squashed, root's 0644", &rwsq, { REG_(10, 0, 0644) }, 0,
	    EB(EACCES, SQUASH, OBJ) },
	{ "root, other's 0444", &rwroot, { REG_(10, 5, 0444) }, 0, OK },
};

START_TEST(test_truncate)
{
	const struct one *t = &truncates[_i];
	struct efs_verdict v;

	expect(t->name, efs_decide_truncate(t->m, &t->o, &v), &v, &t->w);
}
END_TEST

Suite *
suite_decide(void)
{
	Suite *s = suite_create("decide");
	TCase *tc;

	tc = tcase_create("helpers");
	tcase_add_loop_test(tc, test_dotdot, 0, NELEM(dotdots));
	tcase_add_loop_test(tc, test_relate, 0, NELEM(relates));
	tcase_add_loop_test(tc, test_open_access, 0, NELEM(accs));
	suite_add_tcase(s, tc);

	tc = tcase_create("shared");
	tcase_add_loop_test(tc, test_access, 0, NELEM(accesses));
	tcase_add_loop_test(tc, test_faccess, 0, NELEM(faccesses));
	tcase_add_loop_test(tc, test_gate, 0, NELEM(gates));
	tcase_add_loop_test(tc, test_create, 0, NELEM(creates));
	tcase_add_loop_test(tc, test_delete, 0, NELEM(deletes));
	suite_add_tcase(s, tc);

	tc = tcase_create("namespace");
	tcase_add_loop_test(tc, test_unlink, 0, NELEM(unlinks));
	tcase_add_loop_test(tc, test_rmdir, 0, NELEM(rmdirs));
	tcase_add_loop_test(tc, test_mknod, 0, NELEM(mknods));
	tcase_add_loop_test(tc, test_symlink, 0, NELEM(symlinks));
	tcase_add_loop_test(tc, test_rename, 0, NELEM(renames));
	tcase_add_loop_test(tc, test_hardlink, 0, NELEM(hardlinks));
	tcase_add_loop_test(tc, test_link, 0, NELEM(links));
	suite_add_tcase(s, tc);

	tc = tcase_create("open");
	tcase_add_loop_test(tc, test_open, 0, NELEM(opens));
	tcase_add_loop_test(tc, test_tmpfile, 0, NELEM(tmpfiles));
	tcase_add_loop_test(tc, test_truncate, 0, NELEM(truncates));
	suite_add_tcase(s, tc);
	return s;
}
