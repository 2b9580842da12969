/* SPDX-License-Identifier: MIT */
/*
 * check_attr.c: the attribute record, the real mode, and what stat and
 * statfs report under a mount.
 */
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>

#include <check.h>
#include <errno.h>
#include <string.h>

#include "attr.h"

#define REG	S_IFREG
#define DIR	S_IFDIR
#define LNK	S_IFLNK
#define NELEM(a)	((int)(sizeof(a) / sizeof((a)[0])))
#define S(lit)	lit, sizeof(lit) - 1	/* a literal and its length, NULs kept */

/* ---- format and parse ---- */

static const struct {
	const char *name;
	struct efs_attr a;
	const char *rec;
} records[] = {
	{ "dir", { 1000, 1000, DIR | 0755 }, "1000:1000:0755:dir" },
	{ "file", { 0, 0, REG | 0644 }, "0:0:0644:file" },
	{ "file 0000", { 1, 2, REG | 0000 }, "1:2:0000:file" },
	{ "largest ids, all bits", { 4294967295u, 4294967295u, REG | 07777 },
	    "4294967295:4294967295:7777:file" },
	{ "setgid dir", { 1, 2, DIR | 02775 }, "1:2:2775:dir" },
	{ "sticky dir", { 0, 0, DIR | 01777 }, "0:0:1777:dir" },
	{ "symlink", { 5, 6, LNK | 0777 }, "5:6:0777:symlink" },
	{ "pipe", { 5, 6, S_IFIFO | 0600 }, "5:6:0600:pipe" },
	{ "socket", { 5, 6, S_IFSOCK | 0755 }, "5:6:0755:socket" },
	{ "character device: fuse-overlayfs form", { 0, 0, S_IFCHR | 0600 },
	    "0:0:20600" },
	{ "block device: fuse-overlayfs form", { 0, 6, S_IFBLK | 0660 },
	    "0:6:60660" },
};

START_TEST(test_round_trip)
{
	char buf[EFS_ATTR_RECMAX];
	struct efs_attr back;
	int n;

	n = efs_attr_format(&records[_i].a, buf, sizeof(buf));
	ck_assert_int_eq(n, (int)strlen(records[_i].rec));
	ck_assert_str_eq(buf, records[_i].rec);
	memset(&back, 0x5a, sizeof(back));
	ck_assert_int_eq(efs_attr_parse(buf, (size_t)n,
	    records[_i].a.mode & S_IFMT, &back), 0);
	ck_assert_msg(memcmp(&back, &records[_i].a, sizeof(back)) == 0,
	    "%s: %u:%u %o", records[_i].name, back.uid, back.gid, back.mode);
	/* With its NUL, as some writers store it. */
	memset(&back, 0x5a, sizeof(back));
	ck_assert_int_eq(efs_attr_parse(buf, (size_t)n + 1,
	    records[_i].a.mode & S_IFMT, &back), 0);
	ck_assert(memcmp(&back, &records[_i].a, sizeof(back)) == 0);
	/* Too short a buffer is refused, not truncated. */
	ck_assert_int_eq(efs_attr_format(&records[_i].a, buf, (size_t)n),
	    -ENAMETOOLONG);
}
END_TEST

START_TEST(test_format_untyped)
{
	struct efs_attr a = { 7, 8, 0644 }, back;
	char buf[EFS_ATTR_RECMAX];

	ck_assert_int_eq(efs_attr_format(&a, buf, sizeof(buf)), 7);
	ck_assert_str_eq(buf, "7:8:644");
	ck_assert_int_eq(efs_attr_parse(buf, 7, REG, &back), 0);
	ck_assert_uint_eq(back.mode, REG | 0644);
}
END_TEST

static const struct {
	const char *name;
	const char *s;
	size_t len;
	uint32_t real_type;
	int rc;
	struct efs_attr want;
} parses[] = {
	{ "fuse-overlayfs file", S("123:456:100644"), REG, 0,
	    { 123, 456, REG | 0644 } },
	{ "fuse-overlayfs dir", S("0:0:40755"), DIR, 0,
	    { 0, 0, DIR | 0755 } },
	{ "fuse-overlayfs dir, leading zero", S("0:0:040755"), DIR, 0,
	    { 0, 0, DIR | 0755 } },
	{ "fuse-overlayfs symlink", S("1:2:120777"), LNK, 0,
	    { 1, 2, LNK | 0777 } },
	{ "three fields, no type: real type", S("1:2:755"), DIR, 0,
	    { 1, 2, DIR | 0755 } },
	{ "three fields, no type, leading zero", S("1:2:0644"), REG, 0,
	    { 1, 2, REG | 0644 } },
	{ "three fields, setuid", S("1:2:4755"), REG, 0,
	    { 1, 2, REG | 04755 } },
	{ "three fields, unknown real type", S("1:2:644"), 0, 0,
	    { 1, 2, 0644 } },
	{ "four fields, unknown real type", S("1:2:0644:file"), 0, 0,
	    { 1, 2, REG | 0644 } },
	{ "real type with permission bits", S("1:2:0644:file"), REG | 0777, 0,
	    { 1, 2, REG | 0644 } },
	{ "leading zeros in ids", S("0001:0002:0644:file"), REG, 0,
	    { 1, 2, REG | 0644 } },
	{ "short mode", S("1:2:644:file"), REG, 0, { 1, 2, REG | 0644 } },
	{ "trailing NUL", S("1:2:0644:file\0"), REG, 0,
	    { 1, 2, REG | 0644 } },
	/* type mismatches: the record is stale */
	{ "file record on a dir", S("1:2:0644:file"), DIR, -EINVAL, {0} },
	{ "dir record on a file", S("1:2:0755:dir"), REG, -EINVAL, {0} },
	{ "symlink record on a file", S("1:2:0777:symlink"), REG, -EINVAL,
	    {0} },
	{ "pipe record on a socket", S("1:2:0600:pipe"), S_IFSOCK, -EINVAL,
	    {0} },
	{ "fuse-overlayfs file on a dir", S("1:2:100644"), DIR, -EINVAL,
	    {0} },
	/* malformed */
	{ "empty", S(""), REG, -EINVAL, {0} },
	{ "colon", S(":"), REG, -EINVAL, {0} },
	{ "one field", S("1"), REG, -EINVAL, {0} },
	{ "two fields", S("1:2"), REG, -EINVAL, {0} },
	{ "empty mode", S("1:2:"), REG, -EINVAL, {0} },
	{ "empty gid", S("1::0644:file"), REG, -EINVAL, {0} },
	{ "empty uid", S(":2:0644:file"), REG, -EINVAL, {0} },
	{ "empty type", S("1:2:0644:"), REG, -EINVAL, {0} },
	{ "short type", S("1:2:0644:fil"), REG, -EINVAL, {0} },
	{ "long type", S("1:2:0644:files"), REG, -EINVAL, {0} },
	{ "upper-case type", S("1:2:0644:FILE"), REG, -EINVAL, {0} },
	{ "device type", S("1:2:0644:block-8-0"), REG, -EINVAL, {0} },
	{ "fifth field", S("1:2:0644:file:"), REG, -EINVAL, {0} },
	{ "trailing space", S("1:2:0644:file "), REG, -EINVAL, {0} },
	{ "trailing newline", S("1:2:0644:file\n"), REG, -EINVAL, {0} },
	{ "two trailing NULs", S("1:2:0644:file\0\0"), REG, -EINVAL, {0} },
	{ "NUL inside", S("1:2\0:0644:file"), REG, -EINVAL, {0} },
	{ "leading space", S(" 1:2:0644:file"), REG, -EINVAL, {0} },
	{ "negative uid", S("-1:2:0644:file"), REG, -EINVAL, {0} },
	{ "plus uid", S("+1:2:0644:file"), REG, -EINVAL, {0} },
	{ "uid overflow", S("4294967296:0:0644:file"), REG, -EINVAL, {0} },
	{ "gid overflow", S("0:4294967296:0644:file"), REG, -EINVAL, {0} },
	{ "huge uid", S("99999999999999999999999:0:0644:file"), REG, -EINVAL,
	    {0} },
	{ "non-octal mode", S("1:2:0648:file"), REG, -EINVAL, {0} },
	{ "hex mode", S("1:2:0x644"), REG, -EINVAL, {0} },
	{ "type bits with a type", S("1:2:100644:file"), REG, -EINVAL, {0} },
	{ "mode over 07777 with a type", S("1:2:10644:file"), REG, -EINVAL,
	    {0} },
	{ "unknown type bits", S("1:2:30644"), REG, -EINVAL, {0} },
	{ "mode too big", S("1:2:200644"), REG, -EINVAL, {0} },
	{ "letters", S("a:b:c:d"), REG, -EINVAL, {0} },
	{ "semicolons", S("1;2;0644;file"), REG, -EINVAL, {0} },
};

START_TEST(test_parse)
{
	struct efs_attr a = { 9, 9, 9 };
	int rc;

	rc = efs_attr_parse(parses[_i].s, parses[_i].len,
	    parses[_i].real_type, &a);
	ck_assert_msg(rc == parses[_i].rc, "%s: %d, want %d",
	    parses[_i].name, rc, parses[_i].rc);
	if (rc != 0)
		return;
	ck_assert_msg(a.uid == parses[_i].want.uid &&
	    a.gid == parses[_i].want.gid && a.mode == parses[_i].want.mode,
	    "%s: %u:%u %o", parses[_i].name, a.uid, a.gid, a.mode);
}
END_TEST

/* The record is not NUL-terminated: parse must stop at len. */
START_TEST(test_parse_stops_at_len)
{
	const char buf[] = "1:2:0644:file:junk";
	struct efs_attr a;

	ck_assert_int_eq(efs_attr_parse(buf, 13, REG, &a), 0);
	ck_assert_uint_eq(a.mode, REG | 0644);
	ck_assert_int_eq(efs_attr_parse(buf, 12, REG, &a), -EINVAL);
	ck_assert_int_eq(efs_attr_parse("1:2:07551", 8, DIR, &a), 0);
	ck_assert_uint_eq(a.mode, DIR | 0755);
}
END_TEST

/* ---- unrecorded objects and the real mode ---- */

START_TEST(test_unrecorded)
{
	struct stat st;
	struct efs_attr a;

	memset(&st, 0, sizeof(st));
	st.st_uid = 1000;
	st.st_gid = 1000;
	st.st_mode = DIR | 02755;
	efs_attr_unrecorded(&st, &a);
	ck_assert_uint_eq(a.uid, 0);
	ck_assert_uint_eq(a.gid, 0);
	ck_assert_uint_eq(a.mode, DIR | 02755);
}
END_TEST

static const struct {
	uint32_t mode, real;
} reals[] = {
	{ REG | 0644, 0644 },
	{ REG | 0000, 0600 },
	{ REG | 0444, 0644 },
	{ REG | 0066, 0666 },
	{ REG | 0755, 0755 },
	{ REG | 0001, 0701 },
	{ REG | 0010, 0710 },
	{ REG | 0100, 0700 },
	{ REG | 04755, 0755 },
	{ REG | 07777, 0777 },
	{ REG | 06000, 0600 },
	{ DIR | 0000, 0700 },
	{ DIR | 0555, 0755 },
	{ DIR | 0644, 0744 },
	{ DIR | 01777, 0777 },
	{ DIR | 02750, 0750 },
	{ S_IFIFO | 0600, 0600 },
	{ S_IFSOCK | 0000, 0600 },
};

START_TEST(test_real_mode)
{
	struct efs_attr a = { 1, 2, reals[_i].mode };
	uint32_t m = efs_attr_real_mode(&a);

	ck_assert_msg(m == reals[_i].real, "%o: %o, want %o", reals[_i].mode,
	    m, reals[_i].real);
}
END_TEST

/* ---- stat ---- */

static const struct {
	const char *name;
	uint32_t real_mode;
	struct efs_attr a;
	uint32_t want;
} stats[] = {
	{ "file", REG | 0600, { 1000, 2000, REG | 0644 }, REG | 0644 },
	{ "setuid file", REG | 0700, { 1000, 2000, REG | 04755 },
	    REG | 04755 },
	{ "setgid dir", DIR | 0700, { 0, 500, DIR | 02775 }, DIR | 02775 },
	{ "sticky dir", DIR | 0777, { 0, 0, DIR | 01777 }, DIR | 01777 },
	{ "mode 0000", REG | 0600, { 5, 5, REG | 0000 }, REG | 0000 },
	{ "real type wins", DIR | 0755, { 5, 5, 0750 }, DIR | 0750 },
	{ "symlink", LNK | 0777, { 5, 5, LNK | 0777 }, LNK | 0777 },
};

START_TEST(test_apply_stat)
{
	struct stat st;
	struct stat64 st64;

	memset(&st, 0, sizeof(st));
	st.st_mode = stats[_i].real_mode;
	st.st_uid = 4321;
	st.st_gid = 4321;
	st.st_size = 12345;
	st.st_ino = 99;
	st.st_nlink = 3;
	efs_attr_apply_stat(&stats[_i].a, &st);
	ck_assert_uint_eq(st.st_uid, stats[_i].a.uid);
	ck_assert_uint_eq(st.st_gid, stats[_i].a.gid);
	ck_assert_msg(st.st_mode == stats[_i].want, "%s: %o, want %o",
	    stats[_i].name, st.st_mode, stats[_i].want);
	ck_assert_int_eq(st.st_size, 12345);
	ck_assert_uint_eq(st.st_ino, 99);
	ck_assert_uint_eq(st.st_nlink, 3);

	memset(&st64, 0, sizeof(st64));
	st64.st_mode = stats[_i].real_mode;
	st64.st_size = 12345;
	efs_attr_apply_stat64(&stats[_i].a, &st64);
	ck_assert_uint_eq(st64.st_uid, stats[_i].a.uid);
	ck_assert_uint_eq(st64.st_gid, stats[_i].a.gid);
	ck_assert_uint_eq(st64.st_mode, stats[_i].want);
	ck_assert_int_eq(st64.st_size, 12345);
}
END_TEST

static const struct {
	const char *name;
	uint32_t mask;
	int uid, gid, mode;		/* expected to be replaced */
} statxs[] = {
	{ "basic stats", STATX_BASIC_STATS, 1, 1, 1 },
	{ "size only", STATX_SIZE, 0, 0, 0 },
	{ "uid only", STATX_UID, 1, 0, 0 },
	{ "gid only", STATX_GID, 0, 1, 0 },
	{ "mode only", STATX_MODE, 0, 0, 1 },
	{ "type only", STATX_TYPE, 0, 0, 1 },
	{ "nothing", 0, 0, 0, 0 },
};

START_TEST(test_apply_statx)
{
	struct efs_attr a = { 1000, 2000, REG | 04750 };
	struct statx stx;

	memset(&stx, 0, sizeof(stx));
	stx.stx_mask = statxs[_i].mask;
	stx.stx_uid = 7;
	stx.stx_gid = 8;
	stx.stx_mode = REG | 0600;
	stx.stx_size = 42;
	efs_attr_apply_statx(&a, &stx);
	ck_assert_uint_eq(stx.stx_uid, statxs[_i].uid ? 1000 : 7);
	ck_assert_uint_eq(stx.stx_gid, statxs[_i].gid ? 2000 : 8);
	ck_assert_uint_eq(stx.stx_mode,
	    statxs[_i].mode ? REG | 04750 : REG | 0600);
	ck_assert_uint_eq(stx.stx_size, 42);
	ck_assert_uint_eq(stx.stx_mask, statxs[_i].mask);
}
END_TEST

/* ---- statfs ---- */

#define BLOCKS	8796093022208ULL	/* 2^63 / 2^20 */
#define KBLOCKS	9007199254740992ULL	/* df -k on EFS: 2^53 */
/*
 * What a field holds for BLOCKS: BLOCKS, or the field's largest value
 * when it is too narrow (32-bit targets, without large file support).
 */
#define WANT_BLOCKS(f)	(sizeof(f) >= sizeof(unsigned long long) ? BLOCKS : \
	(unsigned long long)(__typeof__(f))-1)

START_TEST(test_statfs)
{
	struct statfs real, out;

	memset(&real, 0, sizeof(real));
	real.f_type = 0xEF53;
	real.f_bsize = 4096;
	real.f_frsize = 4096;
	real.f_blocks = 1000;
	real.f_bfree = 500;
	real.f_bavail = 400;
	real.f_files = 100;
	real.f_ffree = 50;
	real.f_namelen = 1024;
	real.f_fsid.__val[0] = 11;
	real.f_fsid.__val[1] = 22;
	real.f_flags = ST_RDONLY | ST_NOSUID;
	efs_attr_statfs(&real, &out);
	ck_assert_int_eq(out.f_type, 0x6969);
	ck_assert_int_eq(out.f_bsize, 1048576);
	ck_assert_int_eq(out.f_frsize, 1048576);
	ck_assert_uint_eq(out.f_blocks, WANT_BLOCKS(out.f_blocks));
	ck_assert_uint_eq(out.f_bfree, WANT_BLOCKS(out.f_bfree));
	ck_assert_uint_eq(out.f_bavail, WANT_BLOCKS(out.f_bavail));
	if (sizeof(out.f_blocks) >= sizeof(unsigned long long))
		ck_assert_uint_eq((unsigned long long)out.f_blocks *
		    (unsigned long long)(out.f_bsize / 1024), KBLOCKS);
	ck_assert_uint_eq(out.f_files, 0);
	ck_assert_uint_eq(out.f_ffree, 0);
	ck_assert_int_eq(out.f_namelen, 255);
	ck_assert_int_eq(out.f_fsid.__val[0], 11);
	ck_assert_int_eq(out.f_fsid.__val[1], 22);
	ck_assert_int_eq(out.f_flags, ST_RDONLY | ST_NOSUID);
}
END_TEST

START_TEST(test_statfs64)
{
	struct statfs64 real, out;

	memset(&real, 0, sizeof(real));
	real.f_type = 0x01021994;
	real.f_blocks = 1;
	real.f_files = 100;
	real.f_fsid.__val[0] = 33;
	real.f_flags = ST_NOEXEC;
	efs_attr_statfs64(&real, &out);
	ck_assert_int_eq(out.f_type, 0x6969);
	ck_assert_int_eq(out.f_bsize, 1048576);
	ck_assert_int_eq(out.f_frsize, 1048576);
	ck_assert_uint_eq(out.f_blocks, WANT_BLOCKS(out.f_blocks));
	ck_assert_uint_eq(out.f_bfree, WANT_BLOCKS(out.f_bfree));
	ck_assert_uint_eq(out.f_bavail, WANT_BLOCKS(out.f_bavail));
	ck_assert_uint_eq(out.f_files, 0);
	ck_assert_uint_eq(out.f_ffree, 0);
	ck_assert_int_eq(out.f_namelen, 255);
	ck_assert_int_eq(out.f_fsid.__val[0], 33);
	ck_assert_int_eq(out.f_flags, ST_NOEXEC);
}
END_TEST

START_TEST(test_statvfs)
{
	struct statvfs real, out;
	struct statvfs64 real64, out64;

	memset(&real, 0, sizeof(real));
	real.f_bsize = 4096;
	real.f_blocks = 10;
	real.f_files = 10;
	real.f_ffree = 5;
	real.f_favail = 5;
	real.f_fsid = 77;
	real.f_flag = ST_RDONLY;
	real.f_namemax = 1024;
	efs_attr_statvfs(&real, &out);
	ck_assert_uint_eq(out.f_bsize, 1048576);
	ck_assert_uint_eq(out.f_frsize, 1048576);
	ck_assert_uint_eq(out.f_blocks, WANT_BLOCKS(out.f_blocks));
	ck_assert_uint_eq(out.f_bfree, WANT_BLOCKS(out.f_bfree));
	ck_assert_uint_eq(out.f_bavail, WANT_BLOCKS(out.f_bavail));
	ck_assert_uint_eq(out.f_files, 0);
	ck_assert_uint_eq(out.f_ffree, 0);
	ck_assert_uint_eq(out.f_favail, 0);
	ck_assert_uint_eq(out.f_namemax, 255);
	ck_assert_uint_eq(out.f_fsid, 77);
	ck_assert_uint_eq(out.f_flag, ST_RDONLY);

	memset(&real64, 0, sizeof(real64));
	real64.f_fsid = 78;
	real64.f_flag = ST_NOSUID;
	real64.f_favail = 9;
	efs_attr_statvfs64(&real64, &out64);
	ck_assert_uint_eq(out64.f_bsize, 1048576);
	ck_assert_uint_eq(out64.f_frsize, 1048576);
	ck_assert_uint_eq(out64.f_blocks, BLOCKS);
	ck_assert_uint_eq(out64.f_bfree, BLOCKS);
	ck_assert_uint_eq(out64.f_bavail, BLOCKS);
	ck_assert_uint_eq(out64.f_files, 0);
	ck_assert_uint_eq(out64.f_ffree, 0);
	ck_assert_uint_eq(out64.f_favail, 0);
	ck_assert_uint_eq(out64.f_namemax, 255);
	ck_assert_uint_eq(out64.f_fsid, 78);
	ck_assert_uint_eq(out64.f_flag, ST_NOSUID);
}
END_TEST

/* The same transformation of a real answer, in place. */
START_TEST(test_statfs_real)
{
	struct statfs st;

	ck_assert_int_eq(statfs("/", &st), 0);
	efs_attr_statfs(&st, &st);
	ck_assert_int_eq(st.f_type, 0x6969);
	ck_assert_uint_eq(st.f_blocks, WANT_BLOCKS(st.f_blocks));
	ck_assert_int_eq(st.f_namelen, 255);
}
END_TEST

Suite *
suite_attr(void)
{
	Suite *s = suite_create("attr");
	TCase *tc;

	tc = tcase_create("record");
	tcase_add_loop_test(tc, test_round_trip, 0, NELEM(records));
	tcase_add_test(tc, test_format_untyped);
	tcase_add_loop_test(tc, test_parse, 0, NELEM(parses));
	tcase_add_test(tc, test_parse_stops_at_len);
	suite_add_tcase(s, tc);

	tc = tcase_create("mode");
	tcase_add_test(tc, test_unrecorded);
	tcase_add_loop_test(tc, test_real_mode, 0, NELEM(reals));
	tcase_add_loop_test(tc, test_apply_stat, 0, NELEM(stats));
	tcase_add_loop_test(tc, test_apply_statx, 0, NELEM(statxs));
	suite_add_tcase(s, tc);

	tc = tcase_create("statfs");
	tcase_add_test(tc, test_statfs);
	tcase_add_test(tc, test_statfs64);
	tcase_add_test(tc, test_statvfs);
	tcase_add_test(tc, test_statfs_real);
	suite_add_tcase(s, tc);
	return s;
}
