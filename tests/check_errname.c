/* SPDX-License-Identifier: MIT */
/*
 * check_errname.c: efsap's errno names (errname.h): a table of values and
 * the names the log must show, and, where the C library has
 * strerrorname_np (glibc 2.32), the same answer as it for every value up
 * to 200 that either knows.
 */
#include <check.h>
#include <errno.h>
#include <string.h>

#include "errname.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

static const struct {
	int e;
	const char *want;		/* NULL: not in the table */
} rows[] = {
	{ EACCES, "EACCES" }, { EPERM, "EPERM" }, { EROFS, "EROFS" }, { ENOENT, "ENOENT" },
	{ EEXIST, "EEXIST" }, { EXDEV, "EXDEV" }, { ENOTEMPTY, "ENOTEMPTY" },
	{ ENAMETOOLONG, "ENAMETOOLONG" }, { EMLINK, "EMLINK" }, { EDQUOT, "EDQUOT" },
	{ ENOSYS, "ENOSYS" }, { EFAULT, "EFAULT" }, { ENODATA, "ENODATA" },
	{ EAGAIN, "EAGAIN" },			/* not EWOULDBLOCK */
	{ EOPNOTSUPP, "EOPNOTSUPP" },		/* not ENOTSUP */
	{ 0, NULL }, { -1, NULL }, { 100000, NULL },
};

START_TEST(test_rows)
{
	const char *got = efs_errname(rows[_i].e);

	if (rows[_i].want == NULL)
		ck_assert_ptr_null(got);
	else
		ck_assert_msg(got != NULL && strcmp(got, rows[_i].want) == 0, "%d: %s, not %s",
		    rows[_i].e, got != NULL ? got : "NULL", rows[_i].want);
}
END_TEST

#if defined(__GLIBC__) && (__GLIBC__ > 2 || __GLIBC_MINOR__ >= 32)
START_TEST(test_as_glibc)
{
	const char *ours, *theirs;
	int e;

	for (e = 1; e < 200; e++) {
		ours = efs_errname(e);
		theirs = strerrorname_np(e);
		if (ours != NULL)
			ck_assert_msg(theirs != NULL && strcmp(ours, theirs) == 0,
			    "%d: %s, glibc says %s", e, ours, theirs != NULL ? theirs : "NULL");
	}
}
END_TEST
#endif

Suite *
suite_errname(void)
{
	Suite *s = suite_create("errname");
	TCase *tc = tcase_create("errname");

	tcase_add_loop_test(tc, test_rows, 0, NELEM(rows));
#if defined(__GLIBC__) && (__GLIBC__ > 2 || __GLIBC_MINOR__ >= 32)
	tcase_add_test(tc, test_as_glibc);
#endif
	suite_add_tcase(s, tc);
	return s;
}
