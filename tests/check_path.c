/* SPDX-License-Identifier: MIT */
/*
 * check_path.c: the lexical path work of path.c, one table per function:
 * joining, finding a path's mount, the wrappers' "may it reach a mount?"
 * filter, and the host ancestors of mount points ("one tree").
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "path.h"

#define NELEM(a)	((int)(sizeof(a) / sizeof((a)[0])))

/* The mounts of every table: two siblings, one deep under a host directory. */
static struct efs_config cfg;

static void
setup(void)
{
	static const char *const cp[] = { "/mnt/a", "/mnt/b", "/srv/deep/c" };
	int k;

	memset(&cfg, 0, sizeof cfg);
	for (k = 0; k < NELEM(cp); k++)
		strcpy(cfg.mounts[k].container_path, cp[k]);
	cfg.nmounts = NELEM(cp);
}

static const struct {
	const char *base, *rel, *out;
	int rc;				/* 0: strlen(out) */
} joins[] = {
	{ "/", "a/b", "/a/b", 0 },
	{ "/x", "a/./b/../c", "/x/a/c", 0 },
	{ "/x/y", "../../..", "/", 0 },
	{ "/x", "/abs//p/", "/abs/p", 0 },
	{ "/", ".", "/", 0 },
	{ "/x", "", "/x", 0 },
};

START_TEST(test_join)
{
	char out[64];
	int rc = efs_path_join(joins[_i].base, joins[_i].rel, out, sizeof out);

	ck_assert_int_eq(rc, joins[_i].rc != 0 ? joins[_i].rc : (int)strlen(joins[_i].out));
	if (rc >= 0)
		ck_assert_str_eq(out, joins[_i].out);
}
END_TEST

START_TEST(test_join_long)
{
	char out[8];

	ck_assert_int_eq(efs_path_join("/", "abcdefgh", out, sizeof out), -ENAMETOOLONG);
	ck_assert_int_eq(efs_path_join("/abcdefghij", "x", out, sizeof out), -ENAMETOOLONG);
}
END_TEST

static const struct {
	const char *path;
	int mount;
	const char *rest;
} mounts[] = {
	{ "/mnt/a", 0, "" },
	{ "/mnt/a/x/y", 0, "/x/y" },
	{ "/mnt/b", 1, "" },
	{ "/mnt/ab", -1, NULL },
	{ "/mnt", -1, NULL },
	{ "/srv/deep/c/z", 2, "/z" },
	{ "/", -1, NULL },
};

START_TEST(test_mount)
{
	const char *rest = NULL;
	int k = efs_path_mount(&cfg, mounts[_i].path, &rest);

	ck_assert_int_eq(k, mounts[_i].mount);
	if (k >= 0)
		ck_assert_str_eq(rest, mounts[_i].rest);
}
END_TEST

static const struct {
	const char *name, *cwd, *path;
	int may;
} enters[] = {
	{ "a host file", "/", "/etc/passwd", 0 },
	{ "a mount's file", "/", "/mnt/a/f", 1 },
	{ "dot-dot may lead in", "/", "/usr/../mnt/a", 1 },
	{ "a host ancestor: the root", "/tmp", "/", 1 },
	{ "a host ancestor: the parent", "/tmp", "/mnt", 1 },
	{ "a host ancestor with a slash", "/tmp", "/mnt/", 1 },
	{ "a grandparent", "/tmp", "/srv", 1 },
	{ "a sibling of a mount point", "/tmp", "/mnt/ab", 0 },
	{ "a prefix that is no component", "/tmp", "/mn", 0 },
	{ "relative, host cwd, host name", "/tmp", "x", 0 },
	{ "relative from the root into a mount", "/", "mnt/a/f", 1 },
	{ "relative from the root to an ancestor", "/", "mnt", 1 },
	{ "relative from the root to an ancestor, slash", "/", "srv/", 1 },
	{ "relative from the root elsewhere", "/", "usr", 0 },
	{ "relative from the parent to the point", "/mnt", "a", 1 },
	{ "relative from the parent to a sibling", "/mnt", "ab", 0 },
	{ "relative from a mount", "/mnt/a", "x", 1 },
	{ "relative dot", "/", ".", 1 },
};

START_TEST(test_may_enter)
{
	ck_assert_msg(efs_path_may_enter(&cfg, enters[_i].cwd, enters[_i].path) == enters[_i].may,
	    "%s", enters[_i].name);
}
END_TEST

static const struct {
	const char *path, *cpath;
	int anc;
	const char *child;		/* efs_path_child's name, or NULL */
} ancs[] = {
	{ "/", "/mnt/a", 1, NULL },
	{ "/", "/data", 1, "data" },
	{ "/mnt", "/mnt/a", 1, "a" },
	{ "/mnt/", "/mnt/a", 1, "a" },
	{ "/mnt//", "/mnt/a", 1, "a" },
	{ "/mn", "/mnt/a", 0, NULL },
	{ "/mnt/a", "/mnt/a", 0, NULL },
	{ "/mnt/a/x", "/mnt/a", 0, NULL },
	{ "/mnt/ab", "/mnt/a", 0, NULL },
	{ "/srv", "/srv/deep/c", 1, NULL },
	{ "/srv/deep", "/srv/deep/c", 1, "c" },
	{ "mnt", "/mnt/a", 0, NULL },
	{ "", "/mnt/a", 0, NULL },
};

START_TEST(test_anc)
{
	const char *name = NULL;
	size_t n = efs_path_child(ancs[_i].path, ancs[_i].cpath, &name);

	ck_assert_msg(efs_path_is_anc(ancs[_i].path, ancs[_i].cpath) == ancs[_i].anc,
	    "%s of %s", ancs[_i].path, ancs[_i].cpath);
	if (ancs[_i].child == NULL)
		ck_assert_uint_eq(n, 0);
	else {
		ck_assert_uint_eq(n, strlen(ancs[_i].child));
		ck_assert_str_eq(name, ancs[_i].child);
	}
}
END_TEST

Suite *
suite_path(void)
{
	Suite *s = suite_create("path");
	TCase *tc = tcase_create("path");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_loop_test(tc, test_join, 0, NELEM(joins));
	tcase_add_test(tc, test_join_long);
	tcase_add_loop_test(tc, test_mount, 0, NELEM(mounts));
	tcase_add_loop_test(tc, test_may_enter, 0, NELEM(enters));
	tcase_add_loop_test(tc, test_anc, 0, NELEM(ancs));
	suite_add_tcase(s, tc);
	return s;
}
