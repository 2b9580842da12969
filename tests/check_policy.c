/* SPDX-License-Identifier: MIT */
/*
 * check_policy.c: file system policy evaluation (SPEC 5.4), one table of
 * configurations built in code, each decided for the three actions.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "policy.h"

#define M	EFS_ACT_MOUNT
#define W	EFS_ACT_WRITE
#define R	EFS_ACT_ROOT
#define ALL	EFS_ACT_ALL

#define ANY	EFS_PRIN_ANY
#define TASK	EFS_PRIN_TASK

#define DEF	EFS_DEC_DEFAULT
#define FS	EFS_DEC_FS_POLICY
#define ROLE	EFS_DEC_ROLE_POLICY
#define IMPL	EFS_DEC_IMPLICIT

/* A statement in a case: actions 0 ends the list. */
struct st {
	int deny;
	int prin;
	unsigned actions;
	const char *ap;			/* NULL: no condition */
	int tls;			/* -1: no condition */
	int line;
};

/* The expected decision for one action. */
struct want {
	int allowed;
	int source;
	int line;			/* of the deciding statement, 0 for none */
};

struct pcase {
	const char *name;
	int has_policy;
	struct st fs[4];
	struct st role[4];
	int ap;				/* -1, 0 ("fsap-a") or 1 ("fsap-b") */
	int iam;
	int tls;
	struct want mount, write, root;
};

#define ALLOW(p, a, l)		{ 0, p, a, NULL, -1, l }
#define DENY(p, a, l)		{ 1, p, a, NULL, -1, l }
#define ALLOW_AP(p, a, ap, l)	{ 0, p, a, ap, -1, l }
#define ALLOW_TLS(p, a, t, l)	{ 0, p, a, NULL, t, l }
#define DENY_TLS(p, a, t, l)	{ 1, p, a, NULL, t, l }

#define YES(src, l)	{ 1, src, l }
#define NO(src, l)	{ 0, src, l }
#define DEFAULT_YES	{ 1, DEF, 0 }
#define IMPLICIT	{ 0, IMPL, 0 }

static const struct pcase cases[] = {
	{ "no policy, anonymous", 0, {{0}}, {{0}}, -1, 0, 0,
	    DEFAULT_YES, DEFAULT_YES, DEFAULT_YES },
	{ "no policy, iam, role allows mount only", 0, {{0}},
	    { ALLOW(TASK, M, 30) }, -1, 1, 1,
	    DEFAULT_YES, DEFAULT_YES, DEFAULT_YES },
	{ "no policy, iam, role denies write", 0, {{0}},
	    { DENY(TASK, W, 30) }, -1, 1, 1,
	    DEFAULT_YES, NO(ROLE, 30), DEFAULT_YES },
	{ "no policy, anonymous, role deny ignored", 0, {{0}},
	    { DENY(TASK, ALL, 30) }, -1, 0, 1,
	    DEFAULT_YES, DEFAULT_YES, DEFAULT_YES },
	{ "no policy, statements present but has_policy 0", 0,
	    { DENY(ANY, ALL, 10) }, {{0}}, -1, 0, 0,
	    DEFAULT_YES, DEFAULT_YES, DEFAULT_YES },
	{ "empty policy: implicit deny", 1, {{0}}, {{0}}, -1, 0, 0,
	    IMPLICIT, IMPLICIT, IMPLICIT },
	{ "prevent root access preset", 1,
	    { ALLOW(ANY, M | W, 10) }, {{0}}, -1, 0, 0,
	    YES(FS, 10), YES(FS, 10), IMPLICIT },
	{ "enforce read-only preset", 1,
	    { ALLOW(ANY, M, 10) }, {{0}}, -1, 0, 0,
	    YES(FS, 10), IMPLICIT, IMPLICIT },
	{ "all three presets off: Client*", 1,
	    { ALLOW(ANY, ALL, 10) }, {{0}}, -1, 0, 0,
	    YES(FS, 10), YES(FS, 10), YES(FS, 10) },
	{ "prevent anonymous access, anonymous", 1,
	    { ALLOW(ANY, W | R, 10) }, {{0}}, -1, 0, 1,
	    IMPLICIT, YES(FS, 10), YES(FS, 10) },
	{ "prevent anonymous access, iam with role", 1,
	    { ALLOW(ANY, W | R, 10) }, { ALLOW(TASK, M | W, 30) }, -1, 1, 1,
	    YES(ROLE, 30), YES(FS, 10), YES(FS, 10) },
	{ "prevent anonymous access, iam without role", 1,
	    { ALLOW(ANY, W | R, 10) }, {{0}}, -1, 1, 1,
	    IMPLICIT, YES(FS, 10), YES(FS, 10) },
	{ "prevent anonymous access, role ignored without iam", 1,
	    { ALLOW(ANY, W | R, 10) }, { ALLOW(TASK, ALL, 30) }, -1, 0, 1,
	    IMPLICIT, YES(FS, 10), YES(FS, 10) },
	{ "per access point, through fsap-a", 1,
	    { ALLOW_AP(ANY, ALL, "fsap-a", 10), ALLOW_AP(ANY, M, "fsap-b", 11) },
	    {{0}}, 0, 0, 1,
	    YES(FS, 10), YES(FS, 10), YES(FS, 10) },
	{ "per access point, through fsap-b", 1,
	    { ALLOW_AP(ANY, ALL, "fsap-a", 10), ALLOW_AP(ANY, M, "fsap-b", 11) },
	    {{0}}, 1, 0, 1,
	    YES(FS, 11), IMPLICIT, IMPLICIT },
	{ "per access point, no access point never matches", 1,
	    { ALLOW_AP(ANY, ALL, "fsap-a", 10), ALLOW_AP(ANY, M, "fsap-b", 11) },
	    {{0}}, -1, 0, 1,
	    IMPLICIT, IMPLICIT, IMPLICIT },
	{ "per access point deny, other access point", 1,
	    { DENY(ANY, R, 9), ALLOW(ANY, ALL, 10) }, {{0}}, 1, 0, 1,
	    YES(FS, 10), YES(FS, 10), NO(FS, 9) },
	{ "role statement with access point condition, match", 1, {{0}},
	    { ALLOW_AP(TASK, ALL, "fsap-a", 30) }, 0, 1, 1,
	    YES(ROLE, 30), YES(ROLE, 30), YES(ROLE, 30) },
	{ "role statement with access point condition, no match", 1, {{0}},
	    { ALLOW_AP(TASK, ALL, "fsap-a", 30) }, 1, 1, 1,
	    IMPLICIT, IMPLICIT, IMPLICIT },
	{ "secure_transport true, with TLS", 1,
	    { ALLOW_TLS(ANY, ALL, 1, 10) }, {{0}}, -1, 0, 1,
	    YES(FS, 10), YES(FS, 10), YES(FS, 10) },
	{ "secure_transport true, without TLS", 1,
	    { ALLOW_TLS(ANY, ALL, 1, 10) }, {{0}}, -1, 0, 0,
	    IMPLICIT, IMPLICIT, IMPLICIT },
	{ "deny when secure_transport false, without TLS", 1,
	    { DENY_TLS(ANY, ALL, 0, 9), ALLOW(ANY, ALL, 10) }, {{0}}, -1, 0, 0,
	    NO(FS, 9), NO(FS, 9), NO(FS, 9) },
	{ "deny when secure_transport false, with TLS", 1,
	    { DENY_TLS(ANY, ALL, 0, 9), ALLOW(ANY, ALL, 10) }, {{0}}, -1, 0, 1,
	    YES(FS, 10), YES(FS, 10), YES(FS, 10) },
	{ "secure_transport false allow, with TLS", 1,
	    { ALLOW_TLS(ANY, M, 0, 10) }, {{0}}, -1, 0, 1,
	    IMPLICIT, IMPLICIT, IMPLICIT },
	{ "deny before allow", 1,
	    { DENY(ANY, W, 10), ALLOW(ANY, ALL, 11) }, {{0}}, -1, 0, 0,
	    YES(FS, 11), NO(FS, 10), YES(FS, 11) },
	{ "allow before deny", 1,
	    { ALLOW(ANY, ALL, 10), DENY(ANY, W, 11) }, {{0}}, -1, 0, 0,
	    YES(FS, 10), NO(FS, 11), YES(FS, 10) },
	{ "two denies: the first is reported", 1,
	    { ALLOW(ANY, ALL, 10), DENY(ANY, W | R, 11), DENY(ANY, W, 12) },
	    {{0}}, -1, 0, 0,
	    YES(FS, 10), NO(FS, 11), NO(FS, 11) },
	{ "role deny wins over fs allow", 1,
	    { ALLOW(ANY, ALL, 10) }, { DENY(TASK, R, 30) }, -1, 1, 1,
	    YES(FS, 10), YES(FS, 10), NO(ROLE, 30) },
	{ "fs deny wins over role allow", 1,
	    { DENY(ANY, R, 10), ALLOW(ANY, M, 11) }, { ALLOW(TASK, ALL, 30) },
	    -1, 1, 1,
	    YES(FS, 11), YES(ROLE, 30), NO(FS, 10) },
	{ "fs deny reported before role deny", 1,
	    { DENY(ANY, W, 10) }, { DENY(TASK, W, 30), ALLOW(TASK, ALL, 31) },
	    -1, 1, 1,
	    YES(ROLE, 31), NO(FS, 10), YES(ROLE, 31) },
	{ "role deny after role allow", 1, {{0}},
	    { ALLOW(TASK, ALL, 30), DENY(TASK, M, 31) }, -1, 1, 1,
	    NO(ROLE, 31), YES(ROLE, 30), YES(ROLE, 30) },
	{ "fs allow reported before role allow", 1,
	    { ALLOW(ANY, M, 10) }, { ALLOW(TASK, M | W, 30) }, -1, 1, 1,
	    YES(FS, 10), YES(ROLE, 30), IMPLICIT },
	{ "task principal ignored without iam", 1,
	    { ALLOW(TASK, ALL, 10) }, {{0}}, -1, 0, 1,
	    IMPLICIT, IMPLICIT, IMPLICIT },
	{ "task principal matches with iam", 1,
	    { ALLOW(TASK, ALL, 10) }, {{0}}, -1, 1, 1,
	    YES(FS, 10), YES(FS, 10), YES(FS, 10) },
	{ "task deny ignored without iam", 1,
	    { DENY(TASK, W, 10), ALLOW(ANY, ALL, 11) }, {{0}}, -1, 0, 1,
	    YES(FS, 11), YES(FS, 11), YES(FS, 11) },
	{ "task deny applies with iam", 1,
	    { DENY(TASK, W, 10), ALLOW(ANY, ALL, 11) }, {{0}}, -1, 1, 1,
	    YES(FS, 11), NO(FS, 10), YES(FS, 11) },
	{ "Client* deny", 1,
	    { ALLOW(ANY, ALL, 10), DENY(ANY, ALL, 11) }, {{0}}, -1, 0, 0,
	    NO(FS, 11), NO(FS, 11), NO(FS, 11) },
	{ "access point and transport conditions together", 1,
	    { { 0, ANY, ALL, "fsap-a", 1, 10 } }, {{0}}, 0, 0, 1,
	    YES(FS, 10), YES(FS, 10), YES(FS, 10) },
	{ "access point matches, transport does not", 1,
	    { { 0, ANY, ALL, "fsap-a", 1, 10 } }, {{0}}, 0, 0, 0,
	    IMPLICIT, IMPLICIT, IMPLICIT },
};

#define NCASES	((int)(sizeof(cases) / sizeof(cases[0])))

static void
fill(struct efs_stmt *out, int *n, const struct st *in)
{
	int i;

	for (i = 0; i < 4 && in[i].actions != 0; i++) {
		memset(&out[i], 0, sizeof(out[i]));
		out[i].deny = in[i].deny;
		out[i].principal = in[i].prin;
		out[i].actions = in[i].actions;
		if (in[i].ap != NULL)
			strcpy(out[i].access_point, in[i].ap);
		out[i].secure_transport = in[i].tls;
		out[i].line = in[i].line;
	}
	*n = i;
}

static struct efs_config *
build(const struct pcase *c)
{
	struct efs_config *cfg;
	struct efs_mount *m;

	cfg = calloc(1, sizeof(*cfg));
	ck_assert_ptr_nonnull(cfg);
	strcpy(cfg->fs_id, "fs-local");
	cfg->anon_uid = cfg->anon_gid = 65534;
	cfg->has_policy = c->has_policy;
	fill(cfg->policy, &cfg->npolicy, c->fs);
	fill(cfg->role, &cfg->nrole, c->role);
	cfg->has_role_policy = cfg->nrole > 0;
	cfg->naps = 2;
	strcpy(cfg->aps[0].id, "fsap-a");
	strcpy(cfg->aps[0].root, "/a");
	strcpy(cfg->aps[1].id, "fsap-b");
	strcpy(cfg->aps[1].root, "/b");
	cfg->nmounts = 1;
	m = &cfg->mounts[0];
	strcpy(m->container_path, "/mnt/efs");
	strcpy(m->root_directory, "/");
	m->ap = c->ap;
	m->iam = c->iam;
	m->transit_encryption = c->tls;
	return cfg;
}

static void
expect(const struct pcase *c, const struct efs_config *cfg, unsigned action,
    const struct want *w)
{
	struct efs_decision d;
	int rc;

	memset(&d, 0x5a, sizeof(d));
	rc = efs_policy_decide(cfg, &cfg->mounts[0], action, &d);
	ck_assert_msg(rc == w->allowed && d.allowed == w->allowed,
	    "%s: %s: allowed %d, want %d", c->name, efs_action_name(action),
	    rc, w->allowed);
	ck_assert_msg(d.source == w->source, "%s: %s: source %d, want %d",
	    c->name, efs_action_name(action), d.source, w->source);
	if (w->line == 0)
		ck_assert_msg(d.stmt == NULL, "%s: %s: unexpected statement",
		    c->name, efs_action_name(action));
	else {
		ck_assert_msg(d.stmt != NULL, "%s: %s: no statement",
		    c->name, efs_action_name(action));
		ck_assert_msg(d.stmt->line == w->line,
		    "%s: %s: line %d, want %d", c->name,
		    efs_action_name(action), d.stmt->line, w->line);
	}
	/* out may be NULL. */
	ck_assert_int_eq(efs_policy_decide(cfg, &cfg->mounts[0], action, NULL),
	    w->allowed);
}

START_TEST(test_decide)
{
	const struct pcase *c = &cases[_i];
	struct efs_config *cfg = build(c);

	expect(c, cfg, M, &c->mount);
	expect(c, cfg, W, &c->write);
	expect(c, cfg, R, &c->root);
	free(cfg);
}
END_TEST

static const struct efs_stmt s_fs_any = { .deny = 0, .principal = ANY, .actions = ALL,
    .secure_transport = -1, .line = 12 };
static const struct efs_stmt s_fs_task_deny = { .deny = 1, .principal = TASK, .actions = W,
    .secure_transport = -1, .line = 5 };
static const struct efs_stmt s_role_deny = { .deny = 1, .principal = TASK, .actions = R,
    .secure_transport = -1, .line = 30 };
static const struct efs_stmt s_role_allow = { .deny = 0, .principal = TASK, .actions = M,
    .secure_transport = -1, .line = 31 };

static const struct {
	const char *name;
	struct efs_decision dec;
	const char *want;
} describes[] = {
	{ "default", { .allowed = 1, .source = DEF, .stmt = NULL },
	    "allowed by the default file system policy (no file_system.policy)" },
	{ "fs allow", { .allowed = 1, .source = FS, .stmt = &s_fs_any },
	    "allowed by file_system.policy statement at line 12 (Allow \"*\")" },
	{ "fs deny task", { .allowed = 0, .source = FS, .stmt = &s_fs_task_deny },
	    "denied by file_system.policy statement at line 5 (Deny \"task\")" },
	{ "role deny", { .allowed = 0, .source = ROLE, .stmt = &s_role_deny },
	    "denied by task.role_policy statement at line 30 (Deny)" },
	{ "role allow", { .allowed = 1, .source = ROLE, .stmt = &s_role_allow },
	    "allowed by task.role_policy statement at line 31 (Allow)" },
	{ "implicit", { .allowed = 0, .source = IMPL, .stmt = NULL },
	    "denied: no statement allows it (implicit deny)" },
};

START_TEST(test_describe)
{
	char buf[256];

	memset(buf, 'x', sizeof(buf));
	ck_assert_ptr_eq(efs_decision_describe(&describes[_i].dec, buf,
	    sizeof(buf)), buf);
	ck_assert_str_eq(buf, describes[_i].want);
}
END_TEST

START_TEST(test_describe_short)
{
	struct efs_decision d = { .allowed = 1, .source = FS, .stmt = &s_fs_any };
	char buf[8];

	memset(buf, 'x', sizeof(buf));
	efs_decision_describe(&d, buf, sizeof(buf));
	ck_assert_str_eq(buf, "allowed");
}
END_TEST

START_TEST(test_describe_decided)
{
	struct efs_config *cfg = build(&cases[1]);
	struct efs_decision d;
	char buf[256];

	/* A decision from decide() describes itself with the line. */
	cfg->has_policy = 1;
	cfg->npolicy = 1;
	cfg->policy[0] = s_fs_any;
	efs_policy_decide(cfg, &cfg->mounts[0], W, &d);
	ck_assert_str_eq(efs_decision_describe(&d, buf, sizeof(buf)),
	    "allowed by file_system.policy statement at line 12 (Allow \"*\")");
	free(cfg);
}
END_TEST

static const struct {
	unsigned action;
	const char *name;
} names[] = {
	{ EFS_ACT_MOUNT, "ClientMount" },
	{ EFS_ACT_WRITE, "ClientWrite" },
	{ EFS_ACT_ROOT, "ClientRootAccess" },
	{ EFS_ACT_ALL, "Client*" },
};

START_TEST(test_action_name)
{
	ck_assert_str_eq(efs_action_name(names[_i].action), names[_i].name);
}
END_TEST

Suite *
suite_policy(void)
{
	Suite *s = suite_create("policy");
	TCase *tc;

	tc = tcase_create("decide");
	tcase_add_loop_test(tc, test_decide, 0, NCASES);
	suite_add_tcase(s, tc);

	tc = tcase_create("describe");
	tcase_add_loop_test(tc, test_describe, 0,
	    (int)(sizeof(describes) / sizeof(describes[0])));
	tcase_add_test(tc, test_describe_short);
	tcase_add_test(tc, test_describe_decided);
	tcase_add_loop_test(tc, test_action_name, 0,
	    (int)(sizeof(names) / sizeof(names[0])));
	suite_add_tcase(s, tc);
	return s;
}
