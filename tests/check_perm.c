/* SPDX-License-Identifier: MIT */
/*
 * check_perm.c: the emulated server's POSIX decisions (SPEC 5.2, 5.3), one
 * table per decision.
 */
#include <sys/stat.h>

#include <check.h>
#include <errno.h>

#include "perm.h"

#define N	((uint32_t)-1)
#define REG	S_IFREG
#define DIR	S_IFDIR
#define NELEM(a)	((int)(sizeof(a) / sizeof((a)[0])))

/* The identities, as efs_server_who would make them. */
static const struct efs_who u1000 = { { 1000, 1000, 2, { 1000, 2000 } }, 0, 0 };
static const struct efs_who u1001 = { { 1001, 1001, 1, { 1001 } }, 0, 0 };
static const struct efs_who u3000 = { { 3000, 3000, 1, { 500 } }, 0, 0 };
static const struct efs_who root = { { 0, 0, 1, { 0 } }, 1, 0 };
static const struct efs_who groot = { { 1001, 0, 0, {0} }, 1, 0 };
static const struct efs_who squashed = { { 65534, 65534, 0, {0} }, 0, 1 };

/* ---- access ---- */

static const struct {
	const char *name;
	const struct efs_who *who;
	struct efs_attr obj;
	int mask;
	int rc;
} accesses[] = {
	{ "owner reads 0600", &u1000, { 1000, 1000, REG | 0600 }, 4, 0 },
	{ "owner writes 0600", &u1000, { 1000, 1000, REG | 0600 }, 2, 0 },
	{ "owner runs 0600", &u1000, { 1000, 1000, REG | 0600 }, 1, -EACCES },
	{ "owner runs 0700", &u1000, { 1000, 1000, REG | 0700 }, 1, 0 },
	{ "owner rwx 0700", &u1000, { 1000, 1000, REG | 0700 }, 7, 0 },
	{ "owner rwx 0600", &u1000, { 1000, 1000, REG | 0600 }, 7, -EACCES },
	{ "owner stricter than group and other", &u1000,
	    { 1000, 1000, REG | 0044 }, 4, -EACCES },
	{ "owner stricter than other", &u1000,
	    { 1000, 5, REG | 0606 }, 2, 0 },
	{ "owner with no bits, other all", &u1000,
	    { 1000, 5, REG | 0007 }, 4, -EACCES },
	{ "group by primary gid", &u1000, { 5, 1000, REG | 0040 }, 4, 0 },
	{ "group by supplementary gid", &u1000, { 5, 2000, REG | 0040 }, 4, 0 },
	{ "group write denied", &u1000, { 5, 2000, REG | 0046 }, 2, -EACCES },
	{ "group stricter than other", &u1000,
	    { 5, 1000, REG | 0704 }, 4, -EACCES },
	{ "other reads 0004", &u1000, { 5, 5, REG | 0004 }, 4, 0 },
	{ "other writes 0004", &u1000, { 5, 5, REG | 0004 }, 2, -EACCES },
	{ "other reads 0640", &u1000, { 5, 5, REG | 0640 }, 4, -EACCES },
	{ "other reads and writes 0666", &u1000, { 5, 5, REG | 0666 }, 6, 0 },
	{ "existence only", &u1000, { 5, 5, REG | 0000 }, 0, 0 },
	{ "root reads 0000", &root, { 5, 5, REG | 0000 }, 4, 0 },
	{ "root writes 0000", &root, { 5, 5, REG | 0000 }, 2, 0 },
	{ "root runs 0000", &root, { 5, 5, REG | 0000 }, 1, -EACCES },
	{ "root runs 0644", &root, { 0, 0, REG | 0644 }, 1, -EACCES },
	{ "root runs 0001", &root, { 5, 5, REG | 0001 }, 1, 0 },
	{ "root runs 0010", &root, { 5, 5, REG | 0010 }, 1, 0 },
	{ "root runs 0100", &root, { 5, 5, REG | 0100 }, 1, 0 },
	{ "root searches 0000 dir", &root, { 5, 5, DIR | 0000 }, 1, 0 },
	{ "root rwx 0000 dir", &root, { 5, 5, DIR | 0000 }, 7, 0 },
	{ "gid 0 reads 0000", &groot, { 5, 5, REG | 0000 }, 4, 0 },
	{ "gid 0 runs 0000", &groot, { 5, 5, REG | 0000 }, 1, -EACCES },
	{ "squashed reads root's 0600", &squashed, { 0, 0, REG | 0600 }, 4,
	    -EACCES },
	{ "squashed writes root's 0755 dir", &squashed, { 0, 0, DIR | 0755 },
	    3, -EACCES },
	{ "squashed reads 0644", &squashed, { 0, 0, REG | 0644 }, 4, 0 },
	{ "squashed writes 0777 dir", &squashed, { 0, 0, DIR | 0777 }, 3, 0 },
	{ "squashed owns its 0600", &squashed,
	    { 65534, 65534, REG | 0600 }, 6, 0 },
	{ "squashed group 0 no longer counts", &squashed,
	    { 5, 0, REG | 0060 }, 4, -EACCES },
};

START_TEST(test_access)
{
	int rc = efs_perm_access(accesses[_i].who, &accesses[_i].obj,
	    accesses[_i].mask);

	ck_assert_msg(rc == accesses[_i].rc, "%s: %d, want %d",
	    accesses[_i].name, rc, accesses[_i].rc);
}
END_TEST

/* ---- search and dir_write ---- */

static const struct {
	const char *name;
	const struct efs_who *who;
	struct efs_attr dir;
	int search, write;		/* expected */
} dirs[] = {
	{ "root's 0755, other", &u1000, { 0, 0, DIR | 0755 }, 0, -EACCES },
	{ "root's 0700, other", &u1000, { 0, 0, DIR | 0700 }, -EACCES,
	    -EACCES },
	{ "0710 by group", &u1000, { 0, 1000, DIR | 0710 }, 0, -EACCES },
	{ "0770 by group", &u1000, { 0, 2000, DIR | 0770 }, 0, 0 },
	{ "0777", &u1000, { 0, 0, DIR | 0777 }, 0, 0 },
	{ "0733 other: w and x", &u1000, { 0, 0, DIR | 0733 }, 0, 0 },
	{ "0766 other: no x", &u1000, { 0, 0, DIR | 0766 }, -EACCES,
	    -EACCES },
	{ "0300 owner", &u1000, { 1000, 0, DIR | 0300 }, 0, 0 },
	{ "0500 owner", &u1000, { 1000, 0, DIR | 0500 }, 0, -EACCES },
	{ "1777 sticky", &u1000, { 0, 0, DIR | 01777 }, 0, 0 },
	{ "root on 0000", &root, { 5, 5, DIR | 0000 }, 0, 0 },
	{ "root on 0555", &root, { 5, 5, DIR | 0555 }, 0, 0 },
	{ "squashed on root's 0755", &squashed, { 0, 0, DIR | 0755 }, 0,
	    -EACCES },
	{ "squashed on root's 0700", &squashed, { 0, 0, DIR | 0700 },
	    -EACCES, -EACCES },
};

START_TEST(test_dirs)
{
	int s = efs_perm_search(dirs[_i].who, &dirs[_i].dir);
	int w = efs_perm_dir_write(dirs[_i].who, &dirs[_i].dir);

	ck_assert_msg(s == dirs[_i].search, "%s: search %d", dirs[_i].name, s);
	ck_assert_msg(w == dirs[_i].write, "%s: write %d", dirs[_i].name, w);
}
END_TEST

/* ---- delete (unlink, rmdir, rename away) ---- */

static const struct {
	const char *name;
	const struct efs_who *who;
	struct efs_attr dir, obj;
	int rc;
} deletes[] = {
	{ "plain 0777: anyone's", &u1000, { 0, 0, DIR | 0777 },
	    { 1001, 1001, REG | 0644 }, 0 },
	{ "plain 0755 root's: no w", &u1000, { 0, 0, DIR | 0755 },
	    { 1000, 1000, REG | 0644 }, -EACCES },
	{ "sticky: own entry", &u1000, { 0, 0, DIR | 01777 },
	    { 1000, 1000, REG | 0644 }, 0 },
	{ "sticky: other's entry", &u1000, { 0, 0, DIR | 01777 },
	    { 1001, 1001, REG | 0666 }, -EPERM },
	{ "sticky: other's entry, dir owner", &u1000, { 1000, 0, DIR | 01777 },
	    { 1001, 1001, REG | 0644 }, 0 },
	{ "sticky: root removes any", &root, { 5, 5, DIR | 01777 },
	    { 1001, 1001, REG | 0644 }, 0 },
	{ "sticky: gid 0 removes any", &groot, { 5, 5, DIR | 01777 },
	    { 7, 7, REG | 0644 }, 0 },
	{ "sticky: squashed removes root's", &squashed, { 0, 0, DIR | 01777 },
	    { 0, 0, REG | 0644 }, -EPERM },
	{ "sticky: squashed removes its own", &squashed, { 0, 0, DIR | 01777 },
	    { 65534, 65534, REG | 0644 }, 0 },
	{ "sticky: no w first gives EACCES", &u1000, { 0, 0, DIR | 01755 },
	    { 1000, 1000, REG | 0644 }, -EACCES },
	{ "sticky: no w on other's gives EACCES", &u1000,
	    { 0, 0, DIR | 01755 }, { 1001, 1001, REG | 0644 }, -EACCES },
	{ "sticky group dir: other member's", &u1000, { 0, 1000, DIR | 01770 },
	    { 1001, 1000, REG | 0660 }, -EPERM },
	{ "sticky: subdirectory of other", &u1000, { 0, 0, DIR | 01777 },
	    { 1001, 1001, DIR | 0777 }, -EPERM },
	{ "sticky: entry in group, not owner", &u1000, { 0, 0, DIR | 01777 },
	    { 1001, 1000, REG | 0666 }, -EPERM },
};

START_TEST(test_delete)
{
	int rc = efs_perm_delete(deletes[_i].who, &deletes[_i].dir,
	    &deletes[_i].obj);

	ck_assert_msg(rc == deletes[_i].rc, "%s: %d, want %d",
	    deletes[_i].name, rc, deletes[_i].rc);
}
END_TEST

/* ---- new objects ---- */

static const struct {
	const char *name;
	const struct efs_who *who;
	struct efs_attr parent;
	uint32_t type, mode, umask;
	struct efs_attr want;
} news[] = {
	{ "file, umask 022", &u1000, { 0, 0, DIR | 0777 }, REG, 0666, 022,
	    { 1000, 1000, REG | 0644 } },
	{ "dir, umask 022", &u1000, { 0, 0, DIR | 0777 }, DIR, 0777, 022,
	    { 1000, 1000, DIR | 0755 } },
	{ "file, umask 077", &u1000, { 0, 0, DIR | 0777 }, REG, 0666, 077,
	    { 1000, 1000, REG | 0600 } },
	{ "file, umask 0", &u1000, { 0, 0, DIR | 0777 }, REG, 0777, 0,
	    { 1000, 1000, REG | 0777 } },
	{ "file, umask 002", &u1000, { 0, 0, DIR | 0777 }, REG, 0666, 002,
	    { 1000, 1000, REG | 0664 } },
	{ "file in setgid dir", &u1000, { 0, 500, DIR | 02777 }, REG, 0666,
	    022, { 1000, 500, REG | 0644 } },
	{ "dir in setgid dir inherits", &u1000, { 0, 500, DIR | 02777 }, DIR,
	    0777, 022, { 1000, 500, DIR | 02755 } },
	{ "dir in setgid dir, umask 077", &u1000, { 0, 500, DIR | 02777 },
	    DIR, 0777, 077, { 1000, 500, DIR | 02700 } },
	{ "symlink ignores umask", &u1000, { 0, 0, DIR | 0777 }, S_IFLNK,
	    0600, 077, { 1000, 1000, S_IFLNK | 0777 } },
	{ "symlink in setgid dir", &u1000, { 0, 500, DIR | 02777 }, S_IFLNK,
	    0777, 022, { 1000, 500, S_IFLNK | 0777 } },
	{ "fifo", &u1000, { 0, 0, DIR | 0777 }, S_IFIFO, 0666, 022,
	    { 1000, 1000, S_IFIFO | 0644 } },
	{ "socket", &u1000, { 0, 0, DIR | 0777 }, S_IFSOCK, 0777, 022,
	    { 1000, 1000, S_IFSOCK | 0755 } },
	{ "setuid file kept", &u1000, { 0, 0, DIR | 0777 }, REG, 04755, 022,
	    { 1000, 1000, REG | 04755 } },
	{ "mkdir takes no set-id bits", &u1000, { 0, 0, DIR | 0777 }, DIR,
	    06777, 022, { 1000, 1000, DIR | 0755 } },
	{ "mkdir keeps sticky", &u1000, { 0, 0, DIR | 0777 }, DIR, 01777, 022,
	    { 1000, 1000, DIR | 01755 } },
	{ "setgid file in foreign setgid dir stripped", &u1000,
	    { 0, 500, DIR | 02777 }, REG, 02775, 022,
	    { 1000, 500, REG | 0755 } },
	{ "setgid file in own setgid dir kept", &u3000,
	    { 0, 500, DIR | 02777 }, REG, 02775, 022,
	    { 3000, 500, REG | 02755 } },
	{ "setgid file by root kept", &root,
	    { 0, 500, DIR | 02777 }, REG, 02775, 022,
	    { 0, 500, REG | 02755 } },
	{ "setgid without gx kept", &u1000,
	    { 0, 500, DIR | 02777 }, REG, 02664, 022,
	    { 1000, 500, REG | 02644 } },
	{ "squashed root's file", &squashed, { 0, 0, DIR | 0777 }, REG, 0666,
	    022, { 65534, 65534, REG | 0644 } },
	{ "root's dir", &root, { 0, 0, DIR | 0755 }, DIR, 0755, 0,
	    { 0, 0, DIR | 0755 } },
	{ "gid 0 identity owns with its ids", &groot, { 0, 0, DIR | 0755 },
	    REG, 0644, 0, { 1001, 0, REG | 0644 } },
};

START_TEST(test_new_attr)
{
	struct efs_attr a = { 1, 2, 3 };

	efs_perm_new_attr(news[_i].who, &news[_i].parent, news[_i].type,
	    news[_i].mode, news[_i].umask, &a);
	ck_assert_msg(a.uid == news[_i].want.uid &&
	    a.gid == news[_i].want.gid && a.mode == news[_i].want.mode,
	    "%s: %u:%u %o, want %u:%u %o", news[_i].name, a.uid, a.gid,
	    a.mode, news[_i].want.uid, news[_i].want.gid, news[_i].want.mode);
}
END_TEST

/* ---- chown ---- */

static const struct {
	const char *name;
	const struct efs_who *who;
	struct efs_attr obj;
	uint32_t uid, gid;
	int rc;
	struct efs_attr want;
} chowns[] = {
	{ "root gives away", &root, { 1000, 1000, REG | 0644 }, 2000, 3000,
	    0, { 2000, 3000, REG | 0644 } },
	{ "root no-op", &root, { 1000, 1000, REG | 0644 }, N, N,
	    0, { 1000, 1000, REG | 0644 } },
	{ "gid 0 gives away", &groot, { 1000, 1000, REG | 0644 }, 5, N,
	    0, { 5, 1000, REG | 0644 } },
	{ "owner no-op by uid", &u1000, { 1000, 1000, REG | 0644 }, 1000, N,
	    0, { 1000, 1000, REG | 0644 } },
	{ "owner no-op -1 -1", &u1000, { 1000, 1000, REG | 0644 }, N, N,
	    0, { 1000, 1000, REG | 0644 } },
	{ "owner no-op both", &u1000, { 1000, 5, REG | 0644 }, 1000, 5,
	    0, { 1000, 5, REG | 0644 } },
	{ "owner chgrp to supplementary", &u1000, { 1000, 1000, REG | 0644 },
	    N, 2000, 0, { 1000, 2000, REG | 0644 } },
	{ "owner chgrp to primary", &u1000, { 1000, 2000, REG | 0644 },
	    N, 1000, 0, { 1000, 1000, REG | 0644 } },
	{ "owner chown self:group", &u1000, { 1000, 1000, REG | 0644 },
	    1000, 2000, 0, { 1000, 2000, REG | 0644 } },
	{ "owner chgrp to foreign group", &u1000, { 1000, 1000, REG | 0644 },
	    N, 3000, -EPERM, {0} },
	{ "owner gives away", &u1000, { 1000, 1000, REG | 0644 },
	    1001, N, -EPERM, {0} },
	{ "owner gives away with own group", &u1000,
	    { 1000, 1000, REG | 0644 }, 1001, 2000, -EPERM, {0} },
	{ "non-owner -1 -1 (Linux asks nothing)", &u1001, { 1000, 1000, REG | 0644 }, N, N,
	    0, { 1000, 1000, REG | 0644 } },
	{ "non-owner chgrp to the same group", &u1001, { 1000, 1000, REG | 0644 }, N, 1000,
	    -EPERM, {0} },
	{ "non-owner no-op by ids", &u1001, { 1000, 1000, REG | 0644 },
	    1000, 1000, -EPERM, {0} },
	{ "non-owner chgrp to its group", &u1001, { 1000, 1000, REG | 0644 },
	    N, 1001, -EPERM, {0} },
	{ "non-owner takes", &u1001, { 1000, 1000, REG | 0644 }, 1001, N,
	    -EPERM, {0} },
	{ "group member chgrp", &u1000, { 5, 1000, REG | 0664 }, N, 2000,
	    -EPERM, {0} },
	{ "squashed chowns root's", &squashed, { 0, 0, DIR | 0755 }, 65534,
	    65534, -EPERM, {0} },
	{ "squashed no-op on its own", &squashed,
	    { 65534, 65534, REG | 0644 }, 65534, 65534, 0,
	    { 65534, 65534, REG | 0644 } },
	{ "root chown clears setuid", &root, { 1000, 1000, REG | 04755 },
	    2000, N, 0, { 2000, 1000, REG | 0755 } },
	{ "root chown clears setuid and setgid", &root,
	    { 1000, 1000, REG | 06755 }, 2000, N, 0,
	    { 2000, 1000, REG | 0755 } },
	{ "owner chgrp clears setgid with gx", &u1000,
	    { 1000, 1000, REG | 02755 }, N, 2000, 0,
	    { 1000, 2000, REG | 0755 } },
	{ "owner chgrp keeps setgid without gx", &u1000,
	    { 1000, 1000, REG | 02745 }, N, 2000, 0,
	    { 1000, 2000, REG | 02745 } },
	{ "owner chgrp keeps sticky", &u1000,
	    { 1000, 1000, REG | 01755 }, N, 2000, 0,
	    { 1000, 2000, REG | 01755 } },
	{ "no-op keeps set-id bits", &u1000, { 1000, 1000, REG | 06755 },
	    1000, 1000, 0, { 1000, 1000, REG | 06755 } },
	{ "directory keeps setgid", &u1000, { 1000, 1000, DIR | 02775 },
	    N, 2000, 0, { 1000, 2000, DIR | 02775 } },
	{ "directory keeps setuid", &root, { 1000, 1000, DIR | 04755 },
	    5, 5, 0, { 5, 5, DIR | 04755 } },
};

START_TEST(test_chown)
{
	struct efs_attr out = { 7, 7, 7 };
	int rc;

	rc = efs_perm_chown(chowns[_i].who, &chowns[_i].obj, chowns[_i].uid,
	    chowns[_i].gid, &out);
	ck_assert_msg(rc == chowns[_i].rc, "%s: %d, want %d",
	    chowns[_i].name, rc, chowns[_i].rc);
	if (rc != 0)
		return;
	ck_assert_msg(out.uid == chowns[_i].want.uid &&
	    out.gid == chowns[_i].want.gid && out.mode == chowns[_i].want.mode,
	    "%s: %u:%u %o", chowns[_i].name, out.uid, out.gid, out.mode);
}
END_TEST

/* ---- chmod ---- */

static const struct {
	const char *name;
	const struct efs_who *who;
	struct efs_attr obj;
	uint32_t mode;
	int rc;
	uint32_t want;
} chmods[] = {
	{ "owner", &u1000, { 1000, 1000, REG | 0644 }, 0600, 0, REG | 0600 },
	{ "owner of 0000", &u1000, { 1000, 1000, REG | 0000 }, 0755, 0,
	    REG | 0755 },
	{ "owner of a dir", &u1000, { 1000, 1000, DIR | 0755 }, 0700, 0,
	    DIR | 0700 },
	{ "type bits in the request ignored", &u1000,
	    { 1000, 1000, DIR | 0755 }, REG | 0700, 0, DIR | 0700 },
	{ "non-owner", &u1001, { 1000, 1000, REG | 0666 }, 0600, -EPERM, 0 },
	{ "group member", &u1000, { 5, 1000, REG | 0664 }, 0600, -EPERM, 0 },
	{ "root", &root, { 1000, 1000, REG | 0644 }, 0600, 0, REG | 0600 },
	{ "gid 0", &groot, { 1000, 1000, REG | 0644 }, 0600, 0, REG | 0600 },
	{ "squashed on root's", &squashed, { 0, 0, DIR | 0755 }, 0777, -EPERM,
	    0 },
	{ "squashed on its own", &squashed, { 65534, 65534, REG | 0644 },
	    0600, 0, REG | 0600 },
	{ "setgid, own group", &u1000, { 1000, 1000, REG | 0755 }, 02755, 0,
	    REG | 02755 },
	{ "setgid, supplementary group", &u1000, { 1000, 2000, REG | 0755 },
	    02755, 0, REG | 02755 },
	{ "setgid, foreign group stripped", &u1000,
	    { 1000, 3000, REG | 0755 }, 02755, 0, REG | 0755 },
	{ "setgid without gx, foreign group stripped", &u1000,
	    { 1000, 3000, REG | 0644 }, 02644, 0, REG | 0644 },
	{ "setgid dir, foreign group stripped (Linux)", &u1000,
	    { 1000, 3000, DIR | 0755 }, 02755, 0, DIR | 0755 },
	{ "setgid dir, own group kept", &u1000,
	    { 1000, 1000, DIR | 0755 }, 02755, 0, DIR | 02755 },
	{ "setgid by root, foreign group kept", &root,
	    { 1000, 3000, REG | 0755 }, 02755, 0, REG | 02755 },
	{ "setuid by owner", &u1000, { 1000, 1000, REG | 0755 }, 04755, 0,
	    REG | 04755 },
	{ "setuid and setgid, foreign group", &u1000,
	    { 1000, 3000, REG | 0755 }, 06755, 0, REG | 04755 },
	{ "sticky on a file", &u1000, { 1000, 1000, REG | 0644 }, 01644, 0,
	    REG | 01644 },
	{ "sticky on a dir", &u1000, { 1000, 1000, DIR | 0777 }, 01777, 0,
	    DIR | 01777 },
	{ "clearing bits", &u1000, { 1000, 3000, REG | 06755 }, 0644, 0,
	    REG | 0644 },
};

START_TEST(test_chmod)
{
	struct efs_attr out = { 7, 7, 7 };
	int rc;

	rc = efs_perm_chmod(chmods[_i].who, &chmods[_i].obj, chmods[_i].mode,
	    &out);
	ck_assert_msg(rc == chmods[_i].rc, "%s: %d, want %d",
	    chmods[_i].name, rc, chmods[_i].rc);
	if (rc != 0)
		return;
	ck_assert_msg(out.mode == chmods[_i].want, "%s: %o, want %o",
	    chmods[_i].name, out.mode, chmods[_i].want);
	ck_assert_uint_eq(out.uid, chmods[_i].obj.uid);
	ck_assert_uint_eq(out.gid, chmods[_i].obj.gid);
}
END_TEST

/* ---- utimes ---- */

static const struct {
	const char *name;
	const struct efs_who *who;
	struct efs_attr obj;
	int explicit_times;
	int rc;
} utimes_cases[] = {
	{ "owner, explicit", &u1000, { 1000, 1000, REG | 0444 }, 1, 0 },
	{ "owner, now, read-only file", &u1000, { 1000, 1000, REG | 0444 }, 0,
	    0 },
	{ "other, explicit, world-writable", &u1000, { 5, 5, REG | 0666 }, 1,
	    -EPERM },
	{ "other, now, world-writable", &u1000, { 5, 5, REG | 0666 }, 0, 0 },
	{ "other, now, 0644", &u1000, { 5, 5, REG | 0644 }, 0, -EACCES },
	{ "group, now, group-writable", &u1000, { 5, 2000, REG | 0664 }, 0,
	    0 },
	{ "group, explicit, group-writable", &u1000, { 5, 2000, REG | 0664 },
	    1, -EPERM },
	{ "root, explicit", &root, { 5, 5, REG | 0000 }, 1, 0 },
	{ "root, now", &root, { 5, 5, REG | 0000 }, 0, 0 },
	{ "gid 0, explicit", &groot, { 5, 5, REG | 0000 }, 1, 0 },
	{ "squashed, explicit, root's", &squashed, { 0, 0, REG | 0666 }, 1,
	    -EPERM },
	{ "squashed, now, root's 0666", &squashed, { 0, 0, REG | 0666 }, 0,
	    0 },
	{ "squashed, now, root's 0644", &squashed, { 0, 0, REG | 0644 }, 0,
	    -EACCES },
};

START_TEST(test_utimes)
{
	int rc = efs_perm_utimes(utimes_cases[_i].who, &utimes_cases[_i].obj,
	    utimes_cases[_i].explicit_times);

	ck_assert_msg(rc == utimes_cases[_i].rc, "%s: %d, want %d",
	    utimes_cases[_i].name, rc, utimes_cases[_i].rc);
}
END_TEST

/* ---- after write ---- */

static const struct {
	const char *name;
	const struct efs_who *who;
	uint32_t mode;
	int changed;
	uint32_t want;
} writes[] = {
	{ "setuid cleared", &u1000, REG | 04755, 1, REG | 0755 },
	{ "setgid with gx cleared", &u1000, REG | 02755, 1, REG | 0755 },
	{ "setgid without gx kept", &u1000, REG | 02745, 0, REG | 02745 },
	{ "both cleared", &u1000, REG | 06755, 1, REG | 0755 },
	{ "setuid cleared, setgid without gx kept", &u1000, REG | 06745, 1,
	    REG | 02745 },
	{ "nothing to clear", &u1000, REG | 0644, 0, REG | 0644 },
	{ "sticky kept", &u1000, REG | 01755, 0, REG | 01755 },
	{ "root keeps", &root, REG | 06755, 0, REG | 06755 },
	{ "gid 0 keeps", &groot, REG | 06755, 0, REG | 06755 },
	{ "squashed clears", &squashed, REG | 04755, 1, REG | 0755 },
	{ "directory untouched", &u1000, DIR | 02775, 0, DIR | 02775 },
};

START_TEST(test_after_write)
{
	struct efs_attr a = { 1000, 1000, writes[_i].mode };
	int rc = efs_perm_after_write(writes[_i].who, &a);

	ck_assert_msg(rc == writes[_i].changed, "%s: %d", writes[_i].name, rc);
	ck_assert_msg(a.mode == writes[_i].want, "%s: %o, want %o",
	    writes[_i].name, a.mode, writes[_i].want);
	ck_assert_uint_eq(a.uid, 1000);
	ck_assert_uint_eq(a.gid, 1000);
}
END_TEST

Suite *
suite_perm(void)
{
	Suite *s = suite_create("perm");
	TCase *tc;

	tc = tcase_create("access");
	tcase_add_loop_test(tc, test_access, 0, NELEM(accesses));
	tcase_add_loop_test(tc, test_dirs, 0, NELEM(dirs));
	tcase_add_loop_test(tc, test_delete, 0, NELEM(deletes));
	suite_add_tcase(s, tc);

	tc = tcase_create("create");
	tcase_add_loop_test(tc, test_new_attr, 0, NELEM(news));
	suite_add_tcase(s, tc);

	tc = tcase_create("setattr");
	tcase_add_loop_test(tc, test_chown, 0, NELEM(chowns));
	tcase_add_loop_test(tc, test_chmod, 0, NELEM(chmods));
	tcase_add_loop_test(tc, test_utimes, 0, NELEM(utimes_cases));
	tcase_add_loop_test(tc, test_after_write, 0, NELEM(writes));
	suite_add_tcase(s, tc);
	return s;
}
