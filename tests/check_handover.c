/* SPDX-License-Identifier: MIT */
/*
 * check_handover.c: the pure half of handover.h, one table per format or
 * rule: environment entries, the LD_PRELOAD list a child gets,
 * EFSAP_STATE_FDS both ways, the built-in default's directory, the
 * sidecar store's name, and execvp's PATH search.
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "handover.h"

#define NELEM(a)	((int)(sizeof(a) / sizeof((a)[0])))

/* ---- environment entries ---- */

static char *const envv[] = {
	"PATH=/bin", "EFSAP_STATE_CRED=1:2", "EFSAP_STATE_CREDX=no", "EMPTY=", "NOEQUALS", NULL
};

static const struct {
	const char *name;
	const char *var;
	const char *want;		/* NULL: absent */
} values[] = {
	{ "a plain variable", "PATH", "/bin" },
	{ "not a prefix of a longer name", "EFSAP_STATE_CRE", NULL },
	{ "the exact name among longer ones", "EFSAP_STATE_CRED", "1:2" },
	{ "an empty value", "EMPTY", "" },
	{ "an entry without '=' defines nothing", "NOEQUALS", NULL },
	{ "absent", "HOME", NULL },
};

START_TEST(test_value)
{
	const char *got = efs_env_value(envv, values[_i].var);

	if (values[_i].want == NULL)
		ck_assert_msg(got == NULL, "%s: got %s", values[_i].name, got);
	else
		ck_assert_msg(got != NULL && strcmp(got, values[_i].want) == 0, "%s: got %s",
		    values[_i].name, got != NULL ? got : "(null)");
}
END_TEST

START_TEST(test_value_null_env)
{
	ck_assert_ptr_null(efs_env_value(NULL, "PATH"));
}
END_TEST

static const struct {
	const char *name;
	const char *entry;
	int ld_preload;
	int want;
} handed[] = {
	{ "the identity", "EFSAP_STATE_CRED=0:0:0:0:0:0", 1, 1 },
	{ "the groups", "EFSAP_STATE_GROUPS=1-5", 1, 1 },
	{ "the capabilities", "EFSAP_STATE_CAPS=0,0,0,0,0,0,0", 1, 1 },
	{ "the working directory", "EFSAP_STATE_CWD=/mnt/efs", 1, 1 },
	{ "the descriptors", "EFSAP_STATE_FDS=3:0", 1, 1 },
	{ "the configuration", "EFSAP_CONFIG=/etc/efsap.conf", 1, 1 },
	{ "its compiled form", "EFSAP_CONFIG_COMPILED=/run/user/1/efsap/cc-1", 1, 1 },
	{ "the default's directory", "EFSAP_STATE_DEFAULT=/tmp", 1, 1 },
	{ "the program's LD_LIBRARY_PATH", "EFSAP_STATE_LDPATH=0000000000000000-", 1, 1 },
	{ "the program's LD_PRELOAD", "EFSAP_STATE_PRELOAD=0000000000000000+/x", 0, 1 },
	{ "LD_LIBRARY_PATH is the program's", "LD_LIBRARY_PATH=/x", 1, 0 },
	{ "LD_PRELOAD, when the library knows itself", "LD_PRELOAD=/x.so", 1, 1 },
	{ "LD_PRELOAD, when it does not: the program's stands", "LD_PRELOAD=/x.so", 0, 0 },
	{ "the log is the program's to set", "EFSAP_LOG=all", 1, 0 },
	{ "a longer name", "EFSAP_CONFIGX=1", 1, 0 },
	{ "the program's own", "HOME=/root", 1, 0 },
};

START_TEST(test_handed)
{
	ck_assert_msg(efs_env_is_handed(handed[_i].entry, handed[_i].ld_preload) == handed[_i].want,
	    "%s", handed[_i].name);
}
END_TEST

static const struct {
	const char *name;
	size_t len;
	const char *val;
	size_t vlen;
	int rc;
	const char *want;
} puts_[] = {
	{ "fits", 16, "abc", 3, 0, "N=abc" },
	{ "fits exactly", 6, "abc", 3, 0, "N=abc" },
	{ "one byte short", 5, "abc", 3, -E2BIG, NULL },
	{ "a prefix of the value", 16, "abcdef", 2, 0, "N=ab" },
	{ "empty value", 3, "", 0, 0, "N=" },
};

START_TEST(test_put)
{
	char buf[32];

	ck_assert_int_eq(efs_env_put(buf, puts_[_i].len, "N", puts_[_i].val, puts_[_i].vlen),
	    puts_[_i].rc);
	if (puts_[_i].want != NULL)
		ck_assert_str_eq(buf, puts_[_i].want);
}
END_TEST

/* ---- LD_PRELOAD ---- */

static const struct {
	const char *name;
	const char *self;
	const char *old;
	size_t len;
	int rc;
	const char *want;
} preloads[] = {
	{ "nothing before", "/l/libefsap.so", NULL, 64, 0, "/l/libefsap.so" },
	{ "empty before", "/l/libefsap.so", "", 64, 0, "/l/libefsap.so" },
	{ "others kept, after", "/l/libefsap.so", "/a.so:/b.so", 64, 0, "/l/libefsap.so:/a.so:/b.so" },
	{ "blanks separate too", "/l/libefsap.so", " /a.so  /b.so ", 64, 0,
	    "/l/libefsap.so:/a.so:/b.so" },
	{ "self dropped", "/l/libefsap.so", "/a.so:/l/libefsap.so", 64, 0, "/l/libefsap.so:/a.so" },
	{ "a relative copy dropped", "/l/libefsap.so", "libefsap.so:/a.so", 64, 0,
	    "/l/libefsap.so:/a.so" },
	{ "another build's copy dropped", "/l/libefsap.so", "/old/build/libefsap.so", 64, 0,
	    "/l/libefsap.so" },
	{ "a name that only ends like it kept", "/l/libefsap.so", "/a/xlibefsap.so", 64, 0,
	    "/l/libefsap.so:/a/xlibefsap.so" },
	{ "empty entries skipped", "/l/libefsap.so", "::/a.so::", 64, 0, "/l/libefsap.so:/a.so" },
	{ "self does not fit", "/l/libefsap.so", NULL, 14, -E2BIG, NULL },
	{ "self fits exactly", "/l/libefsap.so", NULL, 15, 0, "/l/libefsap.so" },
	{ "another does not fit", "/l/libefsap.so", "/a.so", 20, -E2BIG, NULL },
	{ "another fits exactly", "/l/libefsap.so", "/a.so", 21, 0, "/l/libefsap.so:/a.so" },
};

START_TEST(test_preload)
{
	char buf[128];

	ck_assert_msg(efs_preload_compose(buf, preloads[_i].len, preloads[_i].self,
	    preloads[_i].old) == preloads[_i].rc, "%s: rc", preloads[_i].name);
	if (preloads[_i].want != NULL)
		ck_assert_msg(strcmp(buf, preloads[_i].want) == 0, "%s: got %s",
		    preloads[_i].name, buf);
}
END_TEST

static const struct {
	const char *name;
	const char *old;
	size_t len;
	int rc;
	const char *want;
} prepends[] = {
	{ "nothing before", NULL, 64, 0, "/l/libefsap.so" },
	{ "empty before", "", 64, 0, "/l/libefsap.so" },
	{ "the user's list kept as given", " /a.so  /b.so", 64, 0, "/l/libefsap.so: /a.so  /b.so" },
	{ "a copy of the library kept too", "/l/libefsap.so", 64, 0,
	    "/l/libefsap.so:/l/libefsap.so" },
	{ "fits exactly", "/a.so", 21, 0, "/l/libefsap.so:/a.so" },
	{ "one byte short", "/a.so", 20, -E2BIG, NULL },
	{ "alone, one byte short", NULL, 14, -E2BIG, NULL },
};

START_TEST(test_prepend)
{
	char buf[128];

	ck_assert_msg(efs_preload_prepend(buf, prepends[_i].len, "/l/libefsap.so",
	    prepends[_i].old) == prepends[_i].rc, "%s: rc", prepends[_i].name);
	if (prepends[_i].want != NULL)
		ck_assert_msg(strcmp(buf, prepends[_i].want) == 0, "%s: got %s",
		    prepends[_i].name, buf);
}
END_TEST

/* ---- EFSAP_STATE_FDS ---- */

static const struct {
	const char *name;
	int n;
	int fd[3], mount[3], opath[3];
	size_t len;
	int rc;
	const char *want;
} fdputs[] = {
	{ "one", 1, { 3 }, { 0 }, { 0 }, 64, 0, "3:0" },
	{ "O_PATH marked", 1, { 7 }, { 2 }, { 1 }, 64, 0, "7:2:p" },
	{ "three, comma separated", 3, { 0, 10, 65535 }, { 1, 0, 62 }, { 0, 1, 0 }, 64, 0,
	    "0:1,10:0:p,65535:62" },
	{ "exactly fits", 1, { 12 }, { 3 }, { 0 }, 5, 0, "12:3" },
	{ "one byte short", 1, { 12 }, { 3 }, { 0 }, 4, -E2BIG, "" },
	{ "the second does not fit: the first stays", 2, { 1, 2 }, { 0, 0 }, { 0, 0 }, 6, -E2BIG,
	    "1:0" },
};

START_TEST(test_fds_put)
{
	char buf[64] = "";
	size_t n = 0;
	int i, rc = 0;

	for (i = 0; i < fdputs[_i].n && rc == 0; i++)
		rc = efs_fds_put(buf, fdputs[_i].len, &n, fdputs[_i].fd[i], fdputs[_i].mount[i],
		    fdputs[_i].opath[i]);
	ck_assert_msg(rc == fdputs[_i].rc, "%s: rc %d", fdputs[_i].name, rc);
	ck_assert_msg(strcmp(buf, fdputs[_i].want) == 0, "%s: got %s", fdputs[_i].name, buf);
	ck_assert_uint_eq(n, strlen(buf));
}
END_TEST

static const struct {
	const char *name;
	const char *s;
	int n;				/* entries read */
	long fd[3], mount[3];
	int opath[3];
} fdnexts[] = {
	{ "none", NULL, 0, { 0 }, { 0 }, { 0 } },
	{ "empty", "", 0, { 0 }, { 0 }, { 0 } },
	{ "one", "3:0", 1, { 3 }, { 0 }, { 0 } },
	{ "what efs_fds_put writes", "0:1,10:0:p,65535:62", 3, { 0, 10, 65535 }, { 1, 0, 62 },
	    { 0, 1, 0 } },
	{ "a malformed entry ends the list", "3:0,x:1,4:0", 1, { 3 }, { 0 }, { 0 } },
	{ "no colon", "3", 0, { 0 }, { 0 }, { 0 } },
	{ "out of range numbers are the caller's to check", "-1:99", 1, { -1 }, { 99 }, { 0 } },
	{ "an unknown flag is not O_PATH", "5:1:q", 1, { 5 }, { 1 }, { 0 } },
	{ "a trailing comma", "5:1,", 1, { 5 }, { 1 }, { 0 } },
};

START_TEST(test_fds_next)
{
	const char *p = fdnexts[_i].s;
	long fd, k;
	int o, n = 0;

	while (n < 3 && efs_fds_next(&p, &fd, &k, &o)) {
		ck_assert_msg(fd == fdnexts[_i].fd[n] && k == fdnexts[_i].mount[n] &&
		    o == fdnexts[_i].opath[n], "%s: entry %d is %ld:%ld:%d", fdnexts[_i].name, n,
		    fd, k, o);
		n++;
	}
	ck_assert_msg(n == fdnexts[_i].n, "%s: %d entries", fdnexts[_i].name, n);
}
END_TEST

/* ---- the built-in default's directory, the store's name ---- */

static const struct {
	const char *backing;
	size_t want;
} dflts[] = {
	{ "/home/u/efs-data", 7 },
	{ "/efs-data", 1 },
	{ "efs-data", 0 },
};

START_TEST(test_default_dir)
{
	ck_assert_uint_eq(efs_default_dir_len(dflts[_i].backing), dflts[_i].want);
}
END_TEST

static const struct {
	const char *name;
	const char *bk;
	size_t len;
	int rc;
	const char *want;
} stores[] = {
	{ "beside the backing directory", "/srv/efs/data", 64, 0, "/srv/efs/.data.efsap" },
	{ "at the root", "/bk", 64, 0, "/.bk.efsap" },
	{ "no slash", "bk", 64, -EINVAL, NULL },
	{ "fits exactly", "/a/bk", 13, 0, "/a/.bk.efsap" },
	{ "one byte short", "/a/bk", 12, -ENAMETOOLONG, NULL },
};

START_TEST(test_store)
{
	char buf[64];

	ck_assert_msg(efs_store_name(stores[_i].bk, buf, stores[_i].len) == stores[_i].rc, "%s",
	    stores[_i].name);
	if (stores[_i].want != NULL)
		ck_assert_str_eq(buf, stores[_i].want);
}
END_TEST

/* ---- the PATH search ---- */

/*
 * A search over a pretend file system: outcome lists "CANDIDATE=ERRNO"
 * (0 runs); a candidate not listed fails with ENOENT.  want lists the
 * candidates tried, space separated.
 */
static const struct {
	const char *name;
	const char *file;
	const char *path;		/* NULL: unset */
	const char *outcome[4];
	const char *tried;
	int rc;
} searches[] = {
	{ "first hit", "ls", "/bin:/usr/bin", { "/bin/ls=0" }, "/bin/ls", 0 },
	{ "on past ENOENT", "ls", "/a:/bin", { "/bin/ls=0" }, "/a/ls /bin/ls", 0 },
	{ "nothing: ENOENT", "ls", "/a:/b", { NULL }, "/a/ls /b/ls", -ENOENT },
	{ "EACCES remembered over a later ENOENT", "ls", "/a:/b", { "/a/ls=13" }, "/a/ls /b/ls",
	    -EACCES },
	{ "EACCES, then a hit", "ls", "/a:/b", { "/a/ls=13", "/b/ls=0" }, "/a/ls /b/ls", 0 },
	{ "ENOTDIR goes on", "ls", "/a:/b", { "/a/ls=20" }, "/a/ls /b/ls", -ENOENT },
	{ "another error stops", "ls", "/a:/b", { "/a/ls=7" }, "/a/ls", -E2BIG },
	{ "an empty element is the current directory", "ls", "/a::/b", { "ls=0" }, "/a/ls ls", 0 },
	{ "a leading empty element", "ls", ":/a", { NULL }, "ls /a/ls", -ENOENT },
	{ "a trailing empty element", "ls", "/a:", { NULL }, "/a/ls ls", -ENOENT },
	{ "an empty PATH is the current directory", "ls", "", { NULL }, "ls", -ENOENT },
	{ "unset PATH: the default", "ls", NULL, { NULL }, "/bin/ls /usr/bin/ls", -ENOENT },
	{ "a name with '/' is not searched", "./x", "/a:/b", { NULL }, "./x", -ENOENT },
	{ "a name with '/': EACCES stops", "d/x", "/a", { "d/x=13" }, "d/x", -EACCES },
	{ "an empty name: ENOENT, nothing tried", "", "/a", { NULL }, "", -ENOENT },
	{ "an element too long is skipped",
	    "ls", "/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa:/b",
	    { "/b/ls=0" }, "/b/ls", 0 },
};

static int
outcome(int k, const char *cand)
{
	int i;

	for (i = 0; i < 4 && searches[k].outcome[i] != NULL; i++) {
		const char *o = searches[k].outcome[i], *eq = strchr(o, '=');

		if ((size_t)(eq - o) == strlen(cand) && strncmp(o, cand, (size_t)(eq - o)) == 0)
			return -atoi(eq + 1);
	}
	return -ENOENT;
}

/* The search as handover.h shows it, candidates noted in tried. */
static int
run_search(int k, char *tried)
{
	struct efs_search s;
	char buf[48];
	int rc;

	efs_search_start(&s, searches[k].file, searches[k].path);
	while (efs_search_next(&s, buf, sizeof buf)) {
		if (tried[0] != '\0')
			strcat(tried, " ");
		strcat(tried, buf);
		if ((rc = outcome(k, buf)) == 0 || !efs_search_failed(&s, rc))
			return rc;
	}
	return efs_search_result(&s);
}

START_TEST(test_search)
{
	char tried[256] = "";
	int rc = run_search(_i, tried);

	ck_assert_msg(strcmp(tried, searches[_i].tried) == 0, "%s: tried [%s]",
	    searches[_i].name, tried);
	ck_assert_msg(rc == searches[_i].rc, "%s: rc %d", searches[_i].name, rc);
}
END_TEST

/* ---- the loader's variables ---- */

/*
 * A stand-in for the library's translator: /mnt/x... is under a mount,
 * backed by /bk...; /mnt/x/deny is refused; /mnt/x/huge does not fit.
 */
static int
fake_xl(void *ctx, const char *e, size_t n, char *out, size_t len)
{
	int *calls = ctx;

	(*calls)++;
	if (n < 6 || memcmp(e, "/mnt/x", 6) != 0 || (n > 6 && e[6] != '/') ||
	    memchr(e, '$', n) != NULL)
		return 0;
	if (n >= 11 && memcmp(e, "/mnt/x/deny", 11) == 0)
		return 0;
	if ((n >= 11 && memcmp(e, "/mnt/x/huge", 11) == 0) || 3 + (n - 6) + 1 > len)
		return -E2BIG;
	memcpy(out, "/bk", 3);
	memcpy(out + 3, e + 6, n - 6);
	out[3 + n - 6] = '\0';
	return 1;
}

static const struct {
	const char *name;
	const char *llp;
	int kind;
	const char *dt;
	const char *origin;
	size_t len;			/* 0: 512 */
	int rc;
	const char *want;		/* when rc is 1 */
} composes[] = {
	{ "no variable, no search path", NULL, 0, NULL, NULL, 0, 0, NULL },
	{ "host entries only: the program's value stands", "/usr/lib:/opt/lib", 0, NULL, NULL,
	  0, 0, NULL },
	{ "an entry under a mount", "/mnt/x/lib", 0, NULL, NULL, 0, 1, "/bk/lib" },
	{ "separators, empty entries and host entries kept", "/a;/mnt/x/lib::/b:", 0, NULL,
	  NULL, 0, 1, "/a;/bk/lib::/b:" },
	{ "a refused entry is kept as it is", "/mnt/x/deny:/mnt/x/lib", 0, NULL, NULL, 0, 1,
	  "/mnt/x/deny:/bk/lib" },
	{ "a relative entry is kept", "lib:/mnt/x", 0, NULL, NULL, 0, 1, "lib:/bk" },
	{ "not a mount: a prefix of a component", "/mnt/xy", 0, NULL, NULL, 0, 0, NULL },
	{ "RUNPATH after the variable", "/usr/lib", EFS_LD_RUNPATH, "/opt:/mnt/x/l", NULL, 0, 1,
	  "/usr/lib:/opt:/bk/l" },
	{ "RUNPATH alone", NULL, EFS_LD_RUNPATH, "/mnt/x/l", NULL, 0, 1, "/bk/l" },
	{ "RUNPATH with an empty variable: no empty entry added", "", EFS_LD_RUNPATH, "/mnt/x/l",
	  NULL, 0, 1, "/bk/l" },
	{ "RPATH before the variable", "/mnt/x/a", EFS_LD_RPATH, "/mnt/x/r", NULL, 0, 1,
	  "/bk/r:/bk/a" },
	{ "a search path naming no mount is left to the loader", "/mnt/x/a", EFS_LD_RUNPATH,
	  "/opt:/usr", NULL, 0, 1, "/bk/a" },
	{ "... and alone changes nothing", NULL, EFS_LD_RPATH, "/opt", NULL, 0, 0, NULL },
	{ "empty search-path entries dropped", NULL, EFS_LD_RUNPATH, "::/mnt/x/l::", NULL, 0, 1,
	  "/bk/l" },
	{ "$ORIGIN in the program's view", NULL, EFS_LD_RUNPATH, "$ORIGIN/../lib", "/mnt/x/bin",
	  0, 1, "/bk/bin/../lib" },
	{ "${ORIGIN}, twice in one list", NULL, EFS_LD_RUNPATH, "${ORIGIN}/a:$ORIGIN", "/mnt/x",
	  0, 1, "/bk/a:/bk" },
	{ "$ORIGINAL is not $ORIGIN", NULL, EFS_LD_RUNPATH, "$ORIGINAL/x", "/mnt/x", 0, 0, NULL },
	{ "$ORIGIN of a host program is the loader's", NULL, EFS_LD_RUNPATH, "$ORIGIN/../lib",
	  NULL, 0, 0, NULL },
	{ "$LIB is left to the loader", NULL, EFS_LD_RUNPATH, "/mnt/x/$LIB:/mnt/x/l", "/mnt/x",
	  0, 1, "/mnt/x/$LIB:/bk/l" },
	{ "a translation too long", "/mnt/x/huge", 0, NULL, NULL, 0, -E2BIG, NULL },
	{ "a buffer too small for the variable", "/mnt/x/lib:/usr/lib/long", 0, NULL, NULL, 12,
	  -E2BIG, NULL },
	{ "a buffer too small for the search path", "/a", EFS_LD_RUNPATH, "/mnt/x/lib/deeper",
	  NULL, 10, -E2BIG, NULL },
	{ "a buffer that just fits", "/mnt/x/lib", EFS_LD_RUNPATH, "/mnt/x/l", NULL, 14, 1,
	  "/bk/lib:/bk/l" },
};

START_TEST(test_compose)
{
	char buf[512], work[64];
	int calls = 0, rc;

	rc = efs_ldpath_compose(buf, composes[_i].len != 0 ? composes[_i].len : sizeof buf,
	    composes[_i].llp, composes[_i].kind, composes[_i].dt, composes[_i].origin, work,
	    sizeof work, fake_xl, &calls);
	ck_assert_msg(rc == composes[_i].rc, "%s: rc %d", composes[_i].name, rc);
	if (rc == 1)
		ck_assert_msg(strcmp(buf, composes[_i].want) == 0, "%s: got [%s]",
		    composes[_i].name, buf);
}
END_TEST

static const struct {
	const char *name;
	const char *val;
	int rc;
	const char *want;
} ptrans[] = {
	{ "self only", "/lib/libefsap.so", 0, NULL },
	{ "self is never translated", "/mnt/x/libefsap.so", 0, NULL },
	{ "an entry under a mount", "/lib/libefsap.so:/mnt/x/libhook.so", 1,
	  "/lib/libefsap.so:/bk/libhook.so" },
	{ "blanks kept, a bare name kept", "/lib/libefsap.so /mnt/x/h.so libm.so", 1,
	  "/lib/libefsap.so /bk/h.so libm.so" },
	{ "a refused entry kept", "/lib/libefsap.so:/mnt/x/deny.so", 0, NULL },
	{ "too long", "/lib/libefsap.so:/mnt/x/huge", -E2BIG, NULL },
};

START_TEST(test_preload_translate)
{
	char buf[256];
	int calls = 0, rc;
	const char *self = strncmp(ptrans[_i].val, "/mnt", 4) == 0 ? "/mnt/x/libefsap.so" :
	    "/lib/libefsap.so";

	rc = efs_preload_translate(buf, sizeof buf, ptrans[_i].val, self, fake_xl, &calls);
	ck_assert_msg(rc == ptrans[_i].rc, "%s: rc %d", ptrans[_i].name, rc);
	if (rc == 1)
		ck_assert_msg(strcmp(buf, ptrans[_i].want) == 0, "%s: got [%s]", ptrans[_i].name,
		    buf);
}
END_TEST

static const struct {
	const char *name;
	const char *set;		/* the value efsap set */
	const char *orig;		/* the program's, NULL: unset */
	const char *cur;		/* the variable in the child */
	const char *mangle;		/* replaces the state's value, or NULL */
	int take;
	const char *want;
} states[] = {
	{ "put back", "/bk/lib", "/mnt/x/lib", "/bk/lib", NULL, 1, "/mnt/x/lib" },
	{ "put back an empty value", "/bk/lib", "", "/bk/lib", NULL, 1, "" },
	{ "unset again", "/bk/lib", NULL, "/bk/lib", NULL, 1, NULL },
	{ "changed since: left alone", "/bk/lib", "/mnt/x/lib", "/other", NULL, 0, NULL },
	{ "unset since: left alone", "/bk/lib", "/mnt/x/lib", NULL, NULL, 0, NULL },
	{ "not hex", "/bk/lib", "/x", "/bk/lib", "zz00000000000000+/x", 0, NULL },
	{ "short", "/bk/lib", "/x", "/bk/lib", "12+/x", 0, NULL },
	{ "no mark", "/bk/lib", "/x", "/bk/lib", "0000000000000000", 0, NULL },
	{ "'-' with a value", "/bk/lib", "/x", "/bk/lib", "0000000000000000-/x", 0, NULL },
};

START_TEST(test_ldstate)
{
	char buf[256];
	const char *state, *orig = "untouched";
	int got;

	ck_assert_int_eq(efs_ldstate_put(buf, sizeof buf, "S", states[_i].set, states[_i].orig), 0);
	ck_assert(strncmp(buf, "S=", 2) == 0);
	state = states[_i].mangle != NULL ? states[_i].mangle : buf + 2;
	got = efs_ldstate_take(state, states[_i].cur, &orig);
	ck_assert_msg(got == states[_i].take, "%s: %d", states[_i].name, got);
	if (got && states[_i].want == NULL)
		ck_assert_msg(orig == NULL, "%s: got %s", states[_i].name, orig);
	else if (got)
		ck_assert_msg(orig != NULL && strcmp(orig, states[_i].want) == 0, "%s: got %s",
		    states[_i].name, orig != NULL ? orig : "(null)");
}
END_TEST

START_TEST(test_ldstate_room)
{
	char buf[32];

	/* "S=" 16 digits '+' "abcdefghijkl" NUL: 32 bytes */
	ck_assert_int_eq(efs_ldstate_put(buf, sizeof buf, "S", "x", "abcdefghijkl"), 0);
	ck_assert_int_eq(efs_ldstate_put(buf, sizeof buf, "S", "x", "abcdefghijklm"), -E2BIG);
	ck_assert_int_eq(efs_ldstate_take(NULL, "x", &(const char *){ NULL }), 0);
}
END_TEST

Suite *
suite_handover(void)
{
	Suite *s = suite_create("handover");
	TCase *tc = tcase_create("handover");

	tcase_add_loop_test(tc, test_value, 0, NELEM(values));
	tcase_add_test(tc, test_value_null_env);
	tcase_add_loop_test(tc, test_handed, 0, NELEM(handed));
	tcase_add_loop_test(tc, test_put, 0, NELEM(puts_));
	tcase_add_loop_test(tc, test_preload, 0, NELEM(preloads));
	tcase_add_loop_test(tc, test_prepend, 0, NELEM(prepends));
	tcase_add_loop_test(tc, test_fds_put, 0, NELEM(fdputs));
	tcase_add_loop_test(tc, test_fds_next, 0, NELEM(fdnexts));
	tcase_add_loop_test(tc, test_default_dir, 0, NELEM(dflts));
	tcase_add_loop_test(tc, test_store, 0, NELEM(stores));
	tcase_add_loop_test(tc, test_search, 0, NELEM(searches));
	tcase_add_loop_test(tc, test_compose, 0, NELEM(composes));
	tcase_add_loop_test(tc, test_preload_translate, 0, NELEM(ptrans));
	tcase_add_loop_test(tc, test_ldstate, 0, NELEM(states));
	tcase_add_test(tc, test_ldstate_room);
	suite_add_tcase(s, tc);
	return s;
}
