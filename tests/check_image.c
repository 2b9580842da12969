/* SPDX-License-Identifier: MIT */
/*
 * check_image.c: the pure decisions of image handling (tools/image_pure.c):
 * SHA-256, member names, whiteouts, history-to-layer mapping, the cache
 * directory, USER parsing and passwd/group lookups, the platform choice,
 * the index file's escaping.
 */
#include <check.h>
#include <errno.h>
#include <string.h>

#include "../tools/image.h"

#define NELEM(a)	((int)(sizeof(a) / sizeof((a)[0])))

/* ---- SHA-256: FIPS 180-4 examples; block boundaries as sha256sum(1) hashes them ---- */

static const struct {
	const char *name;
	const char *in;
	size_t repeat;		/* in repeated this many times */
	const char *want;
} shas[] = {
	{ "empty", "", 1,
	    "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
	{ "abc", "abc", 1,
	    "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
	{ "two blocks", "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 1,
	    "sha256:248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
	{ "a million a", "a", 1000000,
	    "sha256:cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0" },
	{ "55 bytes (padding fits)", "0123456789012345678901234567890123456789012345678901234", 1,
	    "sha256:f34d5a0f80c0cbf84c8c0b90218c22637abd199965249da736a20143c8c9c9d9" },
	{ "56 bytes (padding spills)", "01234567890123456789012345678901234567890123456789012345", 1,
	    "sha256:83aa034bda83e458a0dc9cbce0d4e354716aa0ff770ed37ac0ed2b292052e4af" },
};

START_TEST(test_sha256)
{
	char out[EFS_IMAGE_DIGEST_MAX];
	struct efs_sha256 s;
	size_t i, n = strlen(shas[_i].in);

	efs_sha256_init(&s);
	for (i = 0; i < shas[_i].repeat; i++)
		efs_sha256_update(&s, shas[_i].in, n);
	efs_sha256_final(&s, out);
	ck_assert_msg(strcmp(out, shas[_i].want) == 0, "%s: %s", shas[_i].name, out);
	/* Fed a byte at a time, the same digest. */
	if (shas[_i].repeat == 1) {
		efs_sha256_init(&s);
		for (i = 0; i < n; i++)
			efs_sha256_update(&s, shas[_i].in + i, 1);
		efs_sha256_final(&s, out);
		ck_assert_str_eq(out, shas[_i].want);
	}
	ck_assert_ptr_nonnull(efs_image_digest_hex(out));
}
END_TEST

static const struct {
	const char *d;
	int ok;
} digests[] = {
	{ "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", 1 },
	{ "sha256:E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855", 0 },
	{ "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85", 0 },
	{ "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b8550", 0 },
	{ "sha512:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", 0 },
	{ "sha256:../../../../etc/passwd", 0 },
	{ "", 0 },
};

START_TEST(test_digest_hex)
{
	const char *h = efs_image_digest_hex(digests[_i].d);

	ck_assert_msg((h != NULL) == digests[_i].ok, "%s", digests[_i].d);
	if (h != NULL)
		ck_assert_ptr_eq(h, digests[_i].d + 7);
}
END_TEST

/* ---- member names ---- */

static const struct {
	const char *in;
	int rc;
	const char *out;
} members[] = {
	{ "etc/passwd", 0, "etc/passwd" },
	{ "./etc/passwd", 0, "etc/passwd" },
	{ "/etc/passwd", 0, "etc/passwd" },
	{ "etc//./passwd", 0, "etc/passwd" },
	{ "etc/", 0, "etc" },
	{ "./", 0, "" },
	{ ".", 0, "" },
	{ "/", 0, "" },
	{ "..", -EPERM, NULL },
	{ "../x", -EPERM, NULL },
	{ "a/../../x", -EPERM, NULL },
	{ "a/..", -EPERM, NULL },
	{ "a/b/../c", -EPERM, NULL },
	{ "...", 0, "..." },
	{ "..a/.b", 0, "..a/.b" },
	{ "a/.wh..wh..opq", 0, "a/.wh..wh..opq" },
};

START_TEST(test_member_path)
{
	char out[64];

	ck_assert_int_eq(efs_image_member_path(members[_i].in, out, sizeof(out)),
	    members[_i].rc);
	if (members[_i].rc == 0)
		ck_assert_str_eq(out, members[_i].out);
}
END_TEST

START_TEST(test_member_path_long)
{
	char out[8];

	ck_assert_int_eq(efs_image_member_path("abcdefg", out, sizeof(out)), 0);
	ck_assert_int_eq(efs_image_member_path("abcdefgh", out, sizeof(out)), -ENAMETOOLONG);
	ck_assert_int_eq(efs_image_member_path("abc/efgh", out, sizeof(out)), -ENAMETOOLONG);
}
END_TEST

static const struct {
	const char *base;
	enum efs_wh kind;
	const char *target;
} whs[] = {
	{ "passwd", EFS_WH_NONE, NULL },
	{ ".wh.passwd", EFS_WH_FILE, "passwd" },
	{ ".wh..hidden", EFS_WH_FILE, ".hidden" },
	{ ".wh..wh..opq", EFS_WH_OPAQUE, NULL },
	{ ".wh..wh.plnk", EFS_WH_META, NULL },
	{ ".wh..wh.aufs", EFS_WH_META, NULL },
	{ ".wh.", EFS_WH_META, NULL },
	{ ".whx", EFS_WH_NONE, NULL },
	{ "a.wh.b", EFS_WH_NONE, NULL },
};

START_TEST(test_whiteout)
{
	const char *t = NULL;

	ck_assert_int_eq(efs_image_whiteout(whs[_i].base, &t), whs[_i].kind);
	if (whs[_i].target != NULL)
		ck_assert_str_eq(t, whs[_i].target);
}
END_TEST

/* ---- history ---- */

static const struct {
	const char *name;
	int empty[8];
	int nhistory;
	int nlayers;
	int want[8];
} hists[] = {
	{ "one to one", { 0, 0, 0 }, 3, 3, { 0, 1, 2 } },
	{ "empty layers skipped", { 0, 1, 1, 0, 1, 0 }, 6, 3, { 0, 3, 5 } },
	{ "leading empty", { 1, 0, 0 }, 3, 2, { 1, 2 } },
	{ "history too short", { 0, 1 }, 2, 3, { 0, -1, -1 } },
	{ "no history", { 0 }, 0, 2, { -1, -1 } },
	{ "more history than layers", { 0, 0, 0 }, 3, 1, { 0 } },
};

START_TEST(test_history)
{
	int out[8], i;

	efs_image_history_map(hists[_i].empty, hists[_i].nhistory, out, hists[_i].nlayers);
	for (i = 0; i < hists[_i].nlayers; i++)
		ck_assert_msg(out[i] == hists[_i].want[i], "%s: layer %d -> %d",
		    hists[_i].name, i, out[i]);
}
END_TEST

/* ---- cache directory ---- */

static const struct {
	const char *name, *efsap, *xdg, *home;
	int rc;
	const char *want;
} caches[] = {
	{ "EFSAP_CACHE_DIR wins", "/c", "/x", "/h", 0, "/c" },
	{ "trailing slash dropped", "/c/", NULL, NULL, 0, "/c" },
	{ "XDG_CACHE_HOME", "", "/x", "/h", 0, "/x/efsap" },
	{ "relative XDG ignored", NULL, "x", "/h", 0, "/h/.cache/efsap" },
	{ "HOME", NULL, NULL, "/h", 0, "/h/.cache/efsap" },
	{ "nothing", NULL, "", "", -ENOENT, NULL },
};

START_TEST(test_cache_dir)
{
	char out[64];

	ck_assert_int_eq(efs_image_cache_dir(caches[_i].efsap, caches[_i].xdg,
	    caches[_i].home, out, sizeof(out)), caches[_i].rc);
	if (caches[_i].rc == 0)
		ck_assert_msg(strcmp(out, caches[_i].want) == 0, "%s: %s", caches[_i].name, out);
}
END_TEST

/* ---- USER, passwd, group ---- */

static const struct {
	const char *in;
	int rc;
	const char *user, *group;
	int unum, gnum;
	uint32_t uid, gid;
} users[] = {
	{ "agent", 0, "agent", "", 0, 0, 0, 0 },
	{ "1000", 0, "1000", "", 1, 0, 1000, 0 },
	{ "1000:1000", 0, "1000", "1000", 1, 1, 1000, 1000 },
	{ "agent:staff", 0, "agent", "staff", 0, 0, 0, 0 },
	{ "agent:50", 0, "agent", "50", 0, 1, 0, 50 },
	{ "0", 0, "0", "", 1, 0, 0, 0 },
	{ "4294967295", 0, "4294967295", "", 1, 0, 4294967295u, 0 },
	{ "4294967296", 0, "4294967296", "", 0, 0, 0, 0 },
	{ "", 0, "", "", 0, 0, 0, 0 },
	{ ":50", -EINVAL, NULL, NULL, 0, 0, 0, 0 },
	{ "a:b:c", -EINVAL, NULL, NULL, 0, 0, 0, 0 },
	{ "12a", 0, "12a", "", 0, 0, 0, 0 },
};

START_TEST(test_parse_user)
{
	struct efs_image_userspec u;

	ck_assert_int_eq(efs_image_parse_user(users[_i].in, &u), users[_i].rc);
	if (users[_i].rc != 0)
		return;
	ck_assert_str_eq(u.user, users[_i].user);
	ck_assert_str_eq(u.group, users[_i].group);
	ck_assert_int_eq(u.user_num, users[_i].unum);
	ck_assert_int_eq(u.group_num, users[_i].gnum);
	if (u.user_num)
		ck_assert_uint_eq(u.uid, users[_i].uid);
	if (u.group_num)
		ck_assert_uint_eq(u.gid, users[_i].gid);
}
END_TEST

static const char passwd[] =
    "root:x:0:0:root:/root:/bin/bash\n"
    "# a comment\n"
    "broken line\n"
    "bad:x:notanumber:0::/:/bin/sh\n"
    "postgres:x:999:999:PostgreSQL:/var/lib/postgresql:/bin/bash\n"
    "agent:x:1000:1000::/home/agent:/bin/sh\n"
    "nohome:x:1002:1002\n"
    "relhome:x:1003:1003::home/rel:/bin/sh\n"
    "agentx:x:1001:1001::/home/agentx:/bin/sh";	/* no final newline */

static const struct {
	const char *name;	/* NULL: by uid */
	uint32_t uid;
	int rc;
	uint32_t want_uid, want_gid;
	const char *want_name, *want_home;
} pws[] = {
	{ "root", 0, 0, 0, 0, "root", "/root" },
	{ "agent", 0, 0, 1000, 1000, "agent", "/home/agent" },
	{ "agentx", 0, 0, 1001, 1001, "agentx", "/home/agentx" },
	{ "nohome", 0, 0, 1002, 1002, "nohome", "/" },
	{ "relhome", 0, 0, 1003, 1003, "relhome", "/" },
	{ "agen", 0, -ENOENT, 0, 0, NULL, NULL },
	{ "bad", 0, -ENOENT, 0, 0, NULL, NULL },
	{ "# a comment", 0, -ENOENT, 0, 0, NULL, NULL },
	{ NULL, 999, 0, 999, 999, "postgres", "/var/lib/postgresql" },
	{ NULL, 1001, 0, 1001, 1001, "agentx", "/home/agentx" },
	{ NULL, 4242, -ENOENT, 0, 0, NULL, NULL },
};

START_TEST(test_passwd)
{
	uint32_t u = 7, g = 7;
	char name[32], home[64];

	ck_assert_int_eq(efs_image_passwd_find(passwd, sizeof(passwd) - 1, pws[_i].name,
	    pws[_i].uid, &u, &g, name, sizeof(name), home, sizeof(home)), pws[_i].rc);
	if (pws[_i].rc != 0)
		return;
	ck_assert_uint_eq(u, pws[_i].want_uid);
	ck_assert_uint_eq(g, pws[_i].want_gid);
	ck_assert_str_eq(name, pws[_i].want_name);
	ck_assert_str_eq(home, pws[_i].want_home);
}
END_TEST

static const char group[] =
    "root:x:0:\n"
    "staff:x:50:agent,other\n"
    "docker:x:998:other,agent\n"
    "agent:x:1000:\n"
    "agents:x:1001:agentx\n"
    "dup:x:50:agent\n"
    "self:x:1000:agent";

START_TEST(test_group)
{
	uint32_t g = 7, gs[8];

	ck_assert_int_eq(efs_image_group_find(group, sizeof(group) - 1, "staff", &g), 0);
	ck_assert_uint_eq(g, 50);
	ck_assert_int_eq(efs_image_group_find(group, sizeof(group) - 1, "self", &g), 0);
	ck_assert_uint_eq(g, 1000);
	ck_assert_int_eq(efs_image_group_find(group, sizeof(group) - 1, "nope", &g), -ENOENT);
	/* agent is in staff (50), docker (998), dup (50 again), self (1000 = primary). */
	ck_assert_int_eq(efs_image_group_members(group, sizeof(group) - 1, "agent", 1000,
	    gs, 8), 2);
	ck_assert_uint_eq(gs[0], 50);
	ck_assert_uint_eq(gs[1], 998);
	/* Not a prefix match: agentx is only in agents. */
	ck_assert_int_eq(efs_image_group_members(group, sizeof(group) - 1, "agentx", 1001,
	    gs, 8), 0);
	ck_assert_int_eq(efs_image_group_members(group, sizeof(group) - 1, "agentx", 0,
	    gs, 8), 1);
	ck_assert_uint_eq(gs[0], 1001);
	/* Counted beyond max, stored up to it. */
	ck_assert_int_eq(efs_image_group_members(group, sizeof(group) - 1, "agent", 1000,
	    gs, 1), 2);
}
END_TEST

/* ---- platforms ---- */

#define P(o, a, v)	{ o, a, v }
static const struct {
	const char *name;
	struct efs_image_platform p[4];
	int n;
	int want;
} picks[] = {
	{ "amd64 among several", { P("linux", "arm64", "v8"), P("linux", "amd64", NULL),
	    P("unknown", "unknown", NULL) }, 3, 1 },
	{ "the only one", { P("linux", "arm64", NULL) }, 1, 0 },
	{ "no platform, only one", { P(NULL, NULL, NULL) }, 1, 0 },
	{ "only one beside attestations", { P("unknown", "unknown", NULL),
	    P("linux", "s390x", NULL) }, 2, 1 },
	{ "several, none fits", { P("linux", "arm64", NULL), P("linux", "s390x", NULL) },
	    2, -2 },
	{ "attestations only", { P("unknown", "unknown", NULL) }, 1, -1 },
	{ "windows amd64 is not linux", { P("windows", "amd64", NULL),
	    P("linux", "arm64", NULL) }, 2, -2 },
};

START_TEST(test_pick)
{
	ck_assert_msg(efs_image_pick(picks[_i].p, picks[_i].n, "linux", "amd64") ==
	    picks[_i].want, "%s", picks[_i].name);
}
END_TEST

/* ---- the index file's escaping ---- */

static const struct {
	const char *in, *esc;
} escs[] = {
	{ "etc/passwd", "etc/passwd" },
	{ "a\tb", "a%09b" },
	{ "new\nline", "new%0Aline" },
	{ "50%", "50%25" },
	{ "caf\xc3\xa9 \x7f", "caf\xc3\xa9 %7F" },
	{ "", "" },
};

START_TEST(test_escape)
{
	char e[64], back[64];
	int n;

	n = efs_image_escape(escs[_i].in, e, sizeof(e));
	ck_assert_int_eq(n, (int)strlen(escs[_i].esc));
	ck_assert_str_eq(e, escs[_i].esc);
	ck_assert_int_eq(efs_image_unescape(e, (size_t)n, back, sizeof(back)),
	    (int)strlen(escs[_i].in));
	ck_assert_str_eq(back, escs[_i].in);
}
END_TEST

START_TEST(test_escape_bad)
{
	char out[8];

	ck_assert_int_eq(efs_image_unescape("%4", 2, out, sizeof(out)), -EINVAL);
	ck_assert_int_eq(efs_image_unescape("%", 1, out, sizeof(out)), -EINVAL);
	ck_assert_int_eq(efs_image_unescape("%zz", 3, out, sizeof(out)), -EINVAL);
	ck_assert_int_eq(efs_image_unescape("abcdefgh", 8, out, sizeof(out)), -ENAMETOOLONG);
	ck_assert_int_eq(efs_image_escape("abcdefgh", out, sizeof(out)), -ENAMETOOLONG);
	ck_assert_int_eq(efs_image_escape("abcde\n", out, sizeof(out)), -ENAMETOOLONG);
}
END_TEST

Suite *
suite_image(void)
{
	Suite *s = suite_create("image");
	TCase *tc = tcase_create("pure");

	tcase_add_loop_test(tc, test_sha256, 0, NELEM(shas));
	tcase_add_loop_test(tc, test_digest_hex, 0, NELEM(digests));
	tcase_add_loop_test(tc, test_member_path, 0, NELEM(members));
	tcase_add_test(tc, test_member_path_long);
	tcase_add_loop_test(tc, test_whiteout, 0, NELEM(whs));
	tcase_add_loop_test(tc, test_history, 0, NELEM(hists));
	tcase_add_loop_test(tc, test_cache_dir, 0, NELEM(caches));
	tcase_add_loop_test(tc, test_parse_user, 0, NELEM(users));
	tcase_add_loop_test(tc, test_passwd, 0, NELEM(pws));
	tcase_add_test(tc, test_group);
	tcase_add_loop_test(tc, test_pick, 0, NELEM(picks));
	tcase_add_loop_test(tc, test_escape, 0, NELEM(escs));
	tcase_add_test(tc, test_escape_bad);
	suite_add_tcase(s, tc);
	return s;
}
