/* SPDX-License-Identifier: MIT */
/*
 * check_cconf.c: the compiled configuration (cconf.h).  Every conf/NAME.conf
 * round-trips (decoded into memory full of garbage, re-encoded to the same
 * bytes); a file cut at every length, or with any byte changed, is refused;
 * a body changed under a recomputed checksum is refused or decodes to a
 * configuration that passes the check, never crashes; and a table of bad
 * values, each refused with its reason.
 */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cconf.h"
#include "config.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

static const struct efs_ident invoker = {
	.uid = 1234, .gid = 1235, .ngroups = 2, .groups = { 1235, 44 }
};

static const char *
srcdir(void)
{
	const char *s = getenv("EFSAP_SRCDIR");

	return s != NULL && s[0] != '\0' ? s : ".";
}

/* Every conf/NAME.conf, loaded into cfgs (calloc'd): how many. */
static int
load_all(struct efs_config **cfgs, int max, char names[][256])
{
	struct efs_diags *d = calloc(1, sizeof(*d));
	char dir[EFS_PATH_MAX], path[EFS_PATH_MAX + 300];
	struct dirent *e;
	DIR *dp;
	int n = 0;
	size_t l;

	ck_assert_ptr_nonnull(d);
	snprintf(dir, sizeof(dir), "%s/conf", srcdir());
	dp = opendir(dir);
	ck_assert_msg(dp != NULL, "%s: %s", dir, strerror(errno));
	while ((e = readdir(dp)) != NULL && n < max) {
		l = strlen(e->d_name);
		if (e->d_name[0] == '.' || l < 5 || strcmp(e->d_name + l - 5, ".conf") != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		cfgs[n] = calloc(1, sizeof(struct efs_config));
		ck_assert_ptr_nonnull(cfgs[n]);
		ck_assert_msg(efs_config_load(path, &invoker, cfgs[n], d) == 0, "%s", path);
		snprintf(names[n], 256, "%s", e->d_name);
		n++;
	}
	closedir(dp);
	free(d);
	ck_assert_int_ge(n, 5);
	return n;
}

static unsigned char *
encode(const struct efs_config *cfg, long *len)
{
	unsigned char *buf = malloc(EFS_CCONF_MAX);

	ck_assert_ptr_nonnull(buf);
	*len = efs_cconf_encode(cfg, buf, EFS_CCONF_MAX);
	ck_assert_msg(*len > EFS_CCONF_HEADER, "encode: %ld", *len);
	return buf;
}

/* The header's checksum, made right again after a change to the body. */
static void
reseal(unsigned char *buf, size_t len)
{
	uint64_t sum = efs_cconf_sum(buf + EFS_CCONF_HEADER, len - EFS_CCONF_HEADER);
	uint32_t body = (uint32_t)(len - EFS_CCONF_HEADER);

	memcpy(buf + 16, &body, sizeof(body));
	memcpy(buf + 24, &sum, sizeof(sum));
}

START_TEST(test_round_trip)
{
	struct efs_config *cfgs[64], *back = malloc(sizeof(struct efs_config));
	char names[64][256], why[200];
	unsigned char *a, *b;
	long la, lb;
	int n, i;

	ck_assert_ptr_nonnull(back);
	n = load_all(cfgs, 64, names);
	for (i = 0; i < n; i++) {
		a = encode(cfgs[i], &la);
		/* compact: a few KiB, not the structure's size */
		ck_assert_msg((size_t)la < sizeof(struct efs_config) / 16, "%s: %ld bytes",
		    names[i], la);
		memset(back, 0xa5, sizeof(*back));
		ck_assert_msg(efs_cconf_decode(a, (size_t)la, back, why, sizeof(why)) == 0,
		    "%s: %s", names[i], why);
		b = encode(back, &lb);
		ck_assert_msg(la == lb && memcmp(a, b, (size_t)la) == 0, "%s: re-encoded differs",
		    names[i]);
		/* what the library reads */
		ck_assert_str_eq(back->file, cfgs[i]->file);
		ck_assert_str_eq(back->backing, cfgs[i]->backing);
		ck_assert_int_eq(back->nmounts, cfgs[i]->nmounts);
		ck_assert_str_eq(back->mounts[back->nmounts - 1].container_path,
		    cfgs[i]->mounts[cfgs[i]->nmounts - 1].container_path);
		ck_assert_int_eq(back->pool_used, cfgs[i]->pool_used);
		ck_assert_int_eq(memcmp(back->pool, cfgs[i]->pool, back->pool_used), 0);
		ck_assert_int_eq(memcmp(&back->task, &cfgs[i]->task, sizeof(back->task)), 0);
		free(a);
		free(b);
		free(cfgs[i]);
	}
	free(back);
}
END_TEST

START_TEST(test_default_round_trip)
{
	struct efs_config *c = calloc(1, sizeof(*c)), *back = calloc(1, sizeof(*back));
	unsigned char *a;
	char why[200];
	long la;

	ck_assert_int_eq(efs_config_default("/srv/x", &invoker, c), 0);
	a = encode(c, &la);
	ck_assert_msg(efs_cconf_decode(a, (size_t)la, back, why, sizeof(why)) == 0, "%s", why);
	ck_assert_str_eq(back->backing, "/srv/x/efs-data");
	ck_assert_str_eq(back->mounts[0].container_path, "/mnt/efs");
	ck_assert_int_eq(back->mounts[0].ap, -1);
	ck_assert_int_eq(back->task.uid, 1234);
	free(a);
	free(c);
	free(back);
}
END_TEST

/* Cut at every length: refused; with a resealed header too (the regions' own checks). */
START_TEST(test_truncated)
{
	struct efs_config *cfgs[64], *back = calloc(1, sizeof(struct efs_config));
	char names[64][256], why[200];
	unsigned char *a, *t;
	long la, k;
	int n, i;

	n = load_all(cfgs, 64, names);
	for (i = 0; i < n; i++) {
		a = encode(cfgs[i], &la);
		for (k = 0; k < la; k++) {
			t = malloc((size_t)k + 1);	/* exact size: ASan sees any overread */
			memcpy(t, a, (size_t)k);
			ck_assert_msg(efs_cconf_decode(t, (size_t)k, back, why, sizeof(why)) == -EINVAL,
			    "%s cut at %ld accepted", names[i], k);
			if (k >= EFS_CCONF_HEADER) {
				reseal(t, (size_t)k);
				ck_assert_msg(efs_cconf_decode(t, (size_t)k, back, why,
				    sizeof(why)) == -EINVAL, "%s cut at %ld, resealed, accepted",
				    names[i], k);
			}
			free(t);
		}
		free(a);
		free(cfgs[i]);
	}
	free(back);
}
END_TEST

/*
 * Any byte changed: refused (the header's fields, then the checksum).  The
 * same change under a recomputed checksum: refused, or a configuration
 * that passes the check.
 */
START_TEST(test_flipped)
{
	static const unsigned char masks[] = { 0x01, 0x80, 0xff };
	struct efs_config *cfgs[64], *back = calloc(1, sizeof(struct efs_config));
	char names[64][256], why[200];
	unsigned char *a;
	long la, k;
	size_t m;
	int n, i, rc;

	n = load_all(cfgs, 64, names);
	for (i = 0; i < n; i++) {
		a = encode(cfgs[i], &la);
		for (k = 0; k < la; k++)
			for (m = 0; m < NELEM(masks); m++) {
				a[k] ^= masks[m];
				ck_assert_msg(efs_cconf_decode(a, (size_t)la, back, why,
				    sizeof(why)) == -EINVAL, "%s: byte %ld ^ %#x accepted",
				    names[i], k, masks[m]);
				if (k >= EFS_CCONF_HEADER) {
					reseal(a, (size_t)la);
					rc = efs_cconf_decode(a, (size_t)la, back, why, sizeof(why));
					ck_assert(rc == 0 || rc == -EINVAL);
					if (rc == 0)
						ck_assert_int_eq(efs_cconf_check(back, why, sizeof(why)), 0);
				}
				a[k] ^= masks[m];
				reseal(a, (size_t)la);
			}
		free(a);
		free(cfgs[i]);
	}
	free(back);
}
END_TEST

/* ---- bad values, each refused by the check with its reason ---- */

struct badval {
	const char *name;
	void (*spoil)(struct efs_config *);
	const char *why;		/* a part of the reason */
};

static void s_npolicy(struct efs_config *c) { c->npolicy = EFS_MAX_STMTS + 1; }
static void s_nrole(struct efs_config *c) { c->nrole = -1; }
static void s_nmounts0(struct efs_config *c) { c->nmounts = 0; }
static void s_nmounts(struct efs_config *c) { c->nmounts = EFS_MAX_MOUNTS + 1; }
static void s_naps(struct efs_config *c) { c->naps = EFS_MAX_APS + 1; }
static void s_nconds(struct efs_config *c) { c->nconds = EFS_MAX_CONDS + 1; }
static void s_pool0(struct efs_config *c) { c->pool_used = 0; }
static void s_poolbig(struct efs_config *c) { c->pool_used = EFS_IAM_POOL + 1; }
static void s_poolend(struct efs_config *c) { c->pool[c->pool_used++] = 'x'; }
static void s_backing(struct efs_config *c) { memset(c->backing, 'a', sizeof(c->backing)); }
static void s_backrel(struct efs_config *c) { strcpy(c->backing, "rel/x"); }
static void s_backdot(struct efs_config *c) { strcpy(c->backing, "/a/../b"); }
static void s_file(struct efs_config *c) { strcpy(c->file, "x.conf"); }
static void s_fsid(struct efs_config *c) { memset(c->fs_id, 'f', sizeof(c->fs_id)); }
static void s_region(struct efs_config *c) { memset(c->region, 'r', sizeof(c->region)); }
static void s_cpath(struct efs_config *c) { strcpy(c->mounts[0].container_path, "/"); }
static void s_cpath2(struct efs_config *c) { strcpy(c->mounts[0].container_path, "/a//b"); }
static void s_cpath3(struct efs_config *c)
{
	memset(c->mounts[0].container_path, 'p', sizeof(c->mounts[0].container_path));
}
static void s_rootdir(struct efs_config *c) { strcpy(c->mounts[0].root_directory, "x"); }
static void s_ap(struct efs_config *c) { c->mounts[0].ap = c->naps; }
static void s_apneg(struct efs_config *c) { c->mounts[0].ap = -2; }
static void s_ro(struct efs_config *c) { c->mounts[0].read_only = 2; }
static void s_groups(struct efs_config *c) { c->task.ngroups = EFS_GROUPS_MAX + 1; }
static void
s_stmt(struct efs_config *c)
{
	c->npolicy = 1;
	memset(&c->policy[0], 0, sizeof(c->policy[0]));
	c->policy[0].actions = 8;
}
static void
s_stmt_ap(struct efs_config *c)
{
	c->npolicy = 1;
	memset(&c->policy[0], 0, sizeof(c->policy[0]));
	memset(c->policy[0].access_point, 'a', sizeof(c->policy[0].access_point));
}
static void
s_stmt_sid(struct efs_config *c)
{
	c->npolicy = 1;
	memset(&c->policy[0], 0, sizeof(c->policy[0]));
	c->policy[0].sid = c->pool_used;
}
static void
s_stmt_strs(struct efs_config *c)
{
	c->npolicy = 1;
	memset(&c->policy[0], 0, sizeof(c->policy[0]));
	c->policy[0].prin.off = 0;
	c->policy[0].prin.n = c->pool_used + 1;	/* more strings than the pool holds */
}
static void
s_stmt_cond(struct efs_config *c)
{
	c->npolicy = 1;
	memset(&c->policy[0], 0, sizeof(c->policy[0]));
	c->policy[0].cond = c->nconds;
	c->policy[0].ncond = 1;
}
static void
s_stmt_cond_wrap(struct efs_config *c)
{
	c->npolicy = 1;
	memset(&c->policy[0], 0, sizeof(c->policy[0]));
	c->policy[0].cond = 1;
	c->policy[0].ncond = 0x7fffffff;
}
static void
s_cond(struct efs_config *c)
{
	c->nconds = 1;
	memset(&c->conds[0], 0, sizeof(c->conds[0]));
	c->conds[0].op = EFS_OP_NULL + 1;
}
static void
s_cond_name(struct efs_config *c)
{
	c->nconds = 1;
	memset(&c->conds[0], 0, sizeof(c->conds[0]));
	c->conds[0].key_name = 0xffffffffu;
}
static void
s_apx(struct efs_config *c)
{
	c->naps = 1;
	memset(&c->aps[0], 0, sizeof(c->aps[0]));
	strcpy(c->aps[0].root, "/x");
	c->aps[0].permissions = 010000;
}
static void
s_aproot(struct efs_config *c)
{
	c->naps = 1;
	memset(&c->aps[0], 0, sizeof(c->aps[0]));
	strcpy(c->aps[0].root, "x");
}
static void s_src(struct efs_config *c) { c->policy_src.form = 3; }

static const struct badval bads[] = {
	{ "npolicy", s_npolicy, "count" },
	{ "nrole", s_nrole, "count" },
	{ "nmounts 0", s_nmounts0, "count" },
	{ "nmounts", s_nmounts, "count" },
	{ "naps", s_naps, "count" },
	{ "nconds", s_nconds, "count" },
	{ "pool_used 0", s_pool0, "pool" },
	{ "pool_used too big", s_poolbig, "pool" },
	{ "pool unterminated", s_poolend, "pool" },
	{ "backing unterminated", s_backing, "terminated" },
	{ "backing relative", s_backrel, "backing" },
	{ "backing not normal", s_backdot, "backing" },
	{ "file relative", s_file, "file" },
	{ "fs_id unterminated", s_fsid, "terminated" },
	{ "region unterminated", s_region, "terminated" },
	{ "container_path /", s_cpath, "container_path" },
	{ "container_path not normal", s_cpath2, "container_path" },
	{ "container_path unterminated", s_cpath3, "container_path" },
	{ "root_directory relative", s_rootdir, "root_directory" },
	{ "ap past the end", s_ap, "no such access point" },
	{ "ap -2", s_apneg, "no such access point" },
	{ "read_only 2", s_ro, "out of range" },
	{ "task groups", s_groups, "groups" },
	{ "statement actions", s_stmt, "policy[0]" },
	{ "statement access_point", s_stmt_ap, "policy[0].access_point" },
	{ "statement sid", s_stmt_sid, "policy[0].sid" },
	{ "statement principals", s_stmt_strs, "string list" },
	{ "statement conditions", s_stmt_cond, "conditions" },
	{ "statement conditions overflow", s_stmt_cond_wrap, "conditions" },
	{ "condition operator", s_cond, "conds[0]" },
	{ "condition key name", s_cond_name, "conds[0]" },
	{ "access point permissions", s_apx, "access_points[0]" },
	{ "access point root", s_aproot, "access_points[0]" },
	{ "policy source form", s_src, "policy_src" },
};

START_TEST(test_bad_values)
{
	const struct badval *t = &bads[_i];
	struct efs_config *c = calloc(1, sizeof(*c));
	unsigned char buf[256];
	char why[200];

	ck_assert_int_eq(efs_config_default("/srv/x", &invoker, c), 0);
	ck_assert_int_eq(efs_cconf_check(c, why, sizeof(why)), 0);
	t->spoil(c);
	ck_assert_msg(efs_cconf_check(c, why, sizeof(why)) == -EINVAL, "%s: accepted", t->name);
	ck_assert_msg(strstr(why, t->why) != NULL, "%s: \"%s\" lacks \"%s\"", t->name, why, t->why);
	ck_assert_int_eq(efs_cconf_encode(c, buf, sizeof(buf)), -EINVAL);
	free(c);
}
END_TEST

/*
 * A body the encoder would never write, with a right checksum: a count
 * out of bounds in the first region, a run past a region's end, an empty
 * run, bytes after the last region.
 */
static size_t
raw_file(unsigned char *buf, const struct efs_config *c, const unsigned char *tail, size_t tl)
{
	size_t pos = EFS_CCONF_HEADER, n = offsetof(struct efs_config, policy);
	struct efs_config *d = calloc(1, sizeof(*d));
	long good;

	/* a valid header, taken from a real encoding */
	ck_assert_int_eq(efs_config_default("/", &invoker, d), 0);
	good = efs_cconf_encode(d, buf, EFS_CCONF_MAX);
	free(d);
	ck_assert_int_gt(good, 0);
	buf[pos++] = 0;					/* no zeros */
	buf[pos++] = (unsigned char)(0x80 | (n & 0x7f));	/* n literal bytes */
	buf[pos++] = (unsigned char)((n >> 7) & 0x7f);
	ck_assert_uint_lt(n, 1u << 14);
	memcpy(buf + pos, c, n);
	pos += n;
	if (tl > 0)
		memcpy(buf + pos, tail, tl);
	pos += tl;
	reseal(buf, pos);
	return pos;
}

START_TEST(test_bad_bodies)
{
	struct efs_config *c = calloc(1, sizeof(*c)), *back = calloc(1, sizeof(*back));
	unsigned char *buf = malloc(EFS_CCONF_MAX);
	static const unsigned char empty[] = { 0, 0 };
	static const unsigned char over[] = { 0x81, 0x80, 0x80, 0x80, 0x01, 0 };
	static const unsigned char huge[] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f };
	char why[200];
	size_t len;

	ck_assert_int_eq(efs_config_default("/srv/x", &invoker, c), 0);
	/* npolicy out of bounds: refused before region 1 is read */
	c->npolicy = 100000;
	len = raw_file(buf, c, NULL, 0);
	c->npolicy = 0;
	ck_assert_int_eq(efs_cconf_decode(buf, len, back, why, sizeof(why)), -EINVAL);
	ck_assert_msg(strstr(why, "npolicy is 100000") != NULL, "%s", why);
	/* then an empty run for region 1 (npolicy 0 has none: region 2) */
	len = raw_file(buf, c, empty, sizeof(empty));
	ck_assert_int_eq(efs_cconf_decode(buf, len, back, why, sizeof(why)), -EINVAL);
	ck_assert_msg(strstr(why, "overflows region 2") != NULL, "%s", why);
	/* a run of zeros past the region's end */
	len = raw_file(buf, c, over, sizeof(over));
	ck_assert_int_eq(efs_cconf_decode(buf, len, back, why, sizeof(why)), -EINVAL);
	ck_assert_msg(strstr(why, "overflows region 2") != NULL, "%s", why);
	/* a number too long for LEB128's 32 bits */
	len = raw_file(buf, c, huge, sizeof(huge));
	ck_assert_int_eq(efs_cconf_decode(buf, len, back, why, sizeof(why)), -EINVAL);
	ck_assert_msg(strstr(why, "cut short in region 2") != NULL, "%s", why);
	/* bytes after the last region */
	len = (size_t)efs_cconf_encode(c, buf, EFS_CCONF_MAX);
	buf[len++] = 0;
	reseal(buf, len);
	ck_assert_int_eq(efs_cconf_decode(buf, len, back, why, sizeof(why)), -EINVAL);
	ck_assert_msg(strstr(why, "after the last region") != NULL, "%s", why);
	/* another version, another structure size, another magic */
	len = (size_t)efs_cconf_encode(c, buf, EFS_CCONF_MAX);
	buf[32] ^= 1;
	ck_assert_int_eq(efs_cconf_decode(buf, len, back, why, sizeof(why)), -EINVAL);
	ck_assert_msg(strstr(why, "written by efsap") != NULL, "%s", why);
	buf[32] ^= 1;
	buf[12] ^= 1;
	ck_assert_int_eq(efs_cconf_decode(buf, len, back, why, sizeof(why)), -EINVAL);
	ck_assert_msg(strstr(why, "bytes, this build") != NULL, "%s", why);
	buf[12] ^= 1;
	buf[0] ^= 1;
	ck_assert_int_eq(efs_cconf_decode(buf, len, back, why, sizeof(why)), -EINVAL);
	ck_assert_msg(strstr(why, "not a compiled efsap configuration") != NULL, "%s", why);
	buf[0] ^= 1;
	ck_assert_int_eq(efs_cconf_decode(buf, len, back, why, sizeof(why)), 0);
	/* too small a buffer for the encoder */
	ck_assert_int_eq(efs_cconf_encode(c, buf, EFS_CCONF_HEADER + 3), -ENOSPC);
	ck_assert_int_eq(efs_cconf_encode(c, buf, 10), -ENOSPC);
	free(buf);
	free(c);
	free(back);
}
END_TEST

Suite *
suite_cconf(void)
{
	Suite *s = suite_create("cconf");
	TCase *tc;

	tc = tcase_create("round trip");
	tcase_add_test(tc, test_round_trip);
	tcase_add_test(tc, test_default_round_trip);
	suite_add_tcase(s, tc);

	tc = tcase_create("damage");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_truncated);
	tcase_add_test(tc, test_flipped);
	tcase_add_test(tc, test_bad_bodies);
	suite_add_tcase(s, tc);

	tc = tcase_create("bad values");
	tcase_add_loop_test(tc, test_bad_values, 0, NELEM(bads));
	suite_add_tcase(s, tc);
	return s;
}
