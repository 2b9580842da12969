/* SPDX-License-Identifier: MIT */
/*
 * check_ustr.c: the pure part of uaccess.h, one table per decision: the
 * walk over the pages a string touches (which answer, and which pages it
 * asks about), and which memory calls may revoke reading.
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "uaccess.h"

#define NELEM(a)	((int)(sizeof(a) / sizeof((a)[0])))
#define PG		EFS_UPAGE
#define NPAGES		4

/* The pages of a buffer the predicate calls unreadable, and those it was asked about. */
struct fake {
	uintptr_t base;
	unsigned bad;			/* bit k: page k is unreadable */
	unsigned asked;			/* bit k: page k was asked about */
};

static int
fake_ok(uintptr_t page, void *arg)
{
	struct fake *f = arg;
	unsigned k = (unsigned)((page - f->base) / PG);

	ck_assert_uint_eq((page - f->base) % PG, 0);
	ck_assert_uint_lt(k, NPAGES);
	f->asked |= 1u << k;
	return !(f->bad & (1u << k));
}

static const struct {
	const char *name;
	size_t off;			/* where the string starts in the buffer */
	size_t len;			/* bytes before its NUL; (size_t)-1: no NUL at all */
	size_t max;
	unsigned bad;
	int rc;
	unsigned asked;
} walks[] = {
	{ "empty string", 0, 0, 4096, 0, 0, 1 },
	{ "short string", 10, 5, 4096, 0, 0, 1 },
	{ "unreadable first page", 10, 5, 4096, 1, -EFAULT, 1 },
	{ "NUL on the last byte of a page", 0, PG - 1, 4096, 2, 0, 1 },
	{ "crosses into a readable page", PG - 3, 10, 4096, 0, 0, 3 },
	{ "crosses into an unreadable page", PG - 3, 10, 4096, 2, -EFAULT, 3 },
	{ "NUL in the next page, past max", PG - 3, 10, 3, 2, -ENAMETOOLONG, 1 },
	{ "max bytes, no NUL, page-aligned", 0, (size_t)-1, PG, 2, -ENAMETOOLONG, 1 },
	{ "max bytes, no NUL, unreadable before max", 100, (size_t)-1, PG, 2, -EFAULT, 3 },
	{ "max bytes, no NUL, readable", 100, (size_t)-1, PG, 4, -ENAMETOOLONG, 3 },
	{ "three pages to the NUL", PG - 1, PG + 5, 3 * PG, 0, 0, 7 },
	{ "third page unreadable", PG - 1, PG + 5, 3 * PG, 4, -EFAULT, 7 },
	{ "max 1 with a name", 0, 1, 1, 0, -ENAMETOOLONG, 1 },
	{ "max 1, empty", 0, 0, 1, 0, 0, 1 },
};

START_TEST(test_walk)
{
	char *buf = aligned_alloc(PG, NPAGES * PG);
	struct fake f;
	int rc;

	ck_assert_ptr_nonnull(buf);
	memset(buf, 'a', NPAGES * PG);
	if (walks[_i].len != (size_t)-1)
		buf[walks[_i].off + walks[_i].len] = '\0';
	f.base = (uintptr_t)buf;
	f.bad = walks[_i].bad;
	f.asked = 0;
	rc = efs_ustr_walk(buf + walks[_i].off, walks[_i].max, fake_ok, &f);
	ck_assert_msg(rc == walks[_i].rc, "%s: %d, want %d", walks[_i].name, rc, walks[_i].rc);
	ck_assert_msg(f.asked == walks[_i].asked, "%s: asked about pages %#x, want %#x",
	    walks[_i].name, f.asked, walks[_i].asked);
	free(buf);
}
END_TEST

static const struct {
	const char *name;
	enum efs_memop op;
	long arg;
	int revoke;
} memops[] = {
	{ "munmap", EFS_MEM_MUNMAP, 0, 1 },
	{ "mremap", EFS_MEM_MREMAP, 0, 1 },
	{ "shmdt", EFS_MEM_SHMDT, 0, 1 },
	{ "mprotect PROT_NONE", EFS_MEM_MPROTECT, PROT_NONE, 1 },
	{ "mprotect PROT_WRITE", EFS_MEM_MPROTECT, PROT_WRITE, 1 },
	{ "mprotect PROT_EXEC", EFS_MEM_MPROTECT, PROT_EXEC, 1 },
	{ "mprotect PROT_READ", EFS_MEM_MPROTECT, PROT_READ, 0 },
	{ "mprotect PROT_READ|PROT_EXEC", EFS_MEM_MPROTECT, PROT_READ | PROT_EXEC, 0 },
	{ "pkey_mprotect PROT_READ", EFS_MEM_PKEY_MPROTECT, PROT_READ, 1 },
	{ "pkey_set all rights", EFS_MEM_PKEY_SET, 0, 0 },
	{ "pkey_set PKEY_DISABLE_ACCESS", EFS_MEM_PKEY_SET, 1, 1 },
	{ "mmap anywhere", EFS_MEM_MMAP, MAP_PRIVATE | MAP_ANONYMOUS, 0 },
	{ "mmap MAP_FIXED", EFS_MEM_MMAP, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, 1 },
	{ "mmap MAP_FIXED_NOREPLACE", EFS_MEM_MMAP, MAP_PRIVATE | MAP_ANONYMOUS |
	    MAP_FIXED_NOREPLACE, 0 },
	{ "madvise DONTNEED", EFS_MEM_MADVISE, MADV_DONTNEED, 0 },
	{ "madvise FREE", EFS_MEM_MADVISE, MADV_FREE, 0 },
	{ "madvise WILLNEED", EFS_MEM_MADVISE, MADV_WILLNEED, 0 },
	{ "madvise HUGEPAGE", EFS_MEM_MADVISE, MADV_HUGEPAGE, 0 },
	{ "madvise HWPOISON", EFS_MEM_MADVISE, 100, 1 },
	{ "madvise GUARD_INSTALL", EFS_MEM_MADVISE, 102, 1 },
	{ "madvise GUARD_REMOVE", EFS_MEM_MADVISE, 103, 0 },
	{ "madvise unknown", EFS_MEM_MADVISE, 77, 1 },
};

START_TEST(test_memops)
{
	ck_assert_msg(efs_mem_may_revoke(memops[_i].op, memops[_i].arg) == memops[_i].revoke,
	    "%s", memops[_i].name);
}
END_TEST

Suite *
suite_ustr(void)
{
	Suite *s = suite_create("ustr");
	TCase *tc = tcase_create("ustr");

	tcase_add_loop_test(tc, test_walk, 0, NELEM(walks));
	tcase_add_loop_test(tc, test_memops, 0, NELEM(memops));
	suite_add_tcase(s, tc);
	return s;
}
