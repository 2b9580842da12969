/* SPDX-License-Identifier: MIT */
/*
 * check_import.c: the pure name decisions of `efsap import`
 * (tools/import_name.c): ARN fields, role names, numeric container users,
 * Terraform addresses and the ids of a plan's new resources.
 */
#include <check.h>
#include <errno.h>
#include <string.h>

#include "../tools/import_name.h"

#define FS_ARN	"arn:aws:elasticfilesystem:eu-west-1:111122223333:" \
		"file-system/fs-0abc"
#define AP_ARN	"arn:aws:elasticfilesystem:eu-west-1:111122223333:" \
		"access-point/fsap-1"
#define TD_ARN	"arn:aws:ecs:eu-west-1:1:task-definition/app:3"

struct arncase {
	const char *name;
	const char *arn;
	int field;
	int rc;
	const char *want;
};

static const struct arncase arncases[] = {
	{ "file system region", FS_ARN, 3, 0, "eu-west-1" },
	{ "file system account", FS_ARN, 4, 0, "111122223333" },
	{ "access point resource", AP_ARN, 5, 0, "access-point/fsap-1" },
	{ "resource keeps its colons", TD_ARN, 5, 0, "task-definition/app:3" },
	{ "task definition region", TD_ARN, 3, 0, "eu-west-1" },
	{ "partition", "arn:aws-cn:iam::1:role/x", 1, 0, "aws-cn" },
	{ "IAM has no region", "arn:aws:iam::12:role/task", 3, -EINVAL, NULL },
	{ "IAM account", "arn:aws:iam::12:role/task", 4, 0, "12" },
	{ "not an ARN", "fs-0abc", 3, -EINVAL, NULL },
	{ "too few fields", "arn:aws:iam", 4, -EINVAL, NULL },
	{ "empty", "", 0, -EINVAL, NULL },
	{ "field out of range", "arn:aws:iam::1:role/x", 6, -EINVAL, NULL },
	{ "does not fit", "arn:aws:elasticfilesystem:"
	    "a-region-name-far-too-long-for-the-buffer:1:x", 3, -ENAMETOOLONG,
	    NULL },
};

START_TEST(test_arn_field)
{
	const struct arncase *c = &arncases[_i];
	char out[24];
	int rc;

	rc = imp_arn_field(c->arn, c->field, out, sizeof(out));
	ck_assert_msg(rc == c->rc, "%s: rc %d, want %d", c->name, rc, c->rc);
	if (c->want != NULL)
		ck_assert_msg(strcmp(out, c->want) == 0, "%s: [%s], want [%s]",
		    c->name, out, c->want);
}
END_TEST

struct rolecase {
	const char *name;
	const char *arn;
	const char *want;		/* NULL: not a role ARN */
};

static const struct rolecase rolecases[] = {
	{ "a role", "arn:aws:iam::12:role/app-task", "app-task" },
	{ "a role with a path", "arn:aws:iam::1:role/service/ecs/app-task",
	    "app-task" },
	{ "a user is not a role", "arn:aws:iam::1:user/deployer", NULL },
	{ "an assumed-role session is not a role ARN",
	    "arn:aws:sts::1:assumed-role/app/s", NULL },
	{ "another service", "arn:aws:ecs:eu-west-1:1:role/x", NULL },
	{ "no name", "arn:aws:iam::1:role/", NULL },
	{ "not an ARN", "app-task", NULL },
};

START_TEST(test_role_name)
{
	const struct rolecase *c = &rolecases[_i];
	const char *got = imp_role_name(c->arn);

	if (c->want == NULL)
		ck_assert_msg(got == NULL, "%s: [%s], want none", c->name, got);
	else
		ck_assert_msg(got != NULL && strcmp(got, c->want) == 0,
		    "%s: [%s], want [%s]", c->name, got ? got : "(null)",
		    c->want);
}
END_TEST

struct usercase {
	const char *user;
	int want;
};

static const struct usercase usercases[] = {
	{ "1000", 1 },
	{ "1000:1000", 1 },
	{ "0:0", 1 },
	{ "4294967295:4294967295", 1 },
	{ "4294967296", 0 },
	{ "12345678901", 0 },
	{ "vespa", 0 },
	{ "vespa:vespa", 0 },
	{ "1000:vespa", 0 },
	{ "vespa:1000", 0 },
	{ "", 0 },
	{ ":", 0 },
	{ "1000:", 0 },
	{ ":1000", 0 },
	{ "-1", 0 },
	{ "+1", 0 },
	{ " 1000", 0 },
	{ "1000:1000:1000", 0 },
};

START_TEST(test_user_numeric)
{
	const struct usercase *c = &usercases[_i];

	ck_assert_msg(imp_user_numeric(c->user) == c->want, "[%s]: want %d",
	    c->user, c->want);
}
END_TEST

struct idcase {
	const char *id;
	int want;
};

static const struct idcase idcases[] = {
	{ "fs-0123456789abcdef0", 1 },
	{ "fsap-0aaaaaaaaaaaaaaa1", 1 },
	{ "fs-vespa-sn", 1 },
	{ "fsap-app_storage.home", 1 },
	{ "", 0 },
	{ ".", 0 },
	{ "..", 0 },
	{ "fs-0a\"b", 0 },
	{ "fs/0", 0 },
	{ "fs 0", 0 },
	{ "fs-\xc3\xa9", 0 },
	{ "arn:aws:elasticfilesystem:eu-west-1:1:file-system/fs-1", 0 },
};

START_TEST(test_id_ok)
{
	const struct idcase *c = &idcases[_i];

	ck_assert_msg(imp_id_ok(c->id) == c->want, "[%s]: want %d", c->id,
	    c->want);
}
END_TEST

struct tfcase {
	const char *name;
	const char *address;
	const char *bare;
	size_t module_len;
	const char *prefix;
	const char *id;
};

static const struct tfcase tfcases[] = {
	{ "root module", "aws_efs_access_point.vespa-sn-var",
	    "aws_efs_access_point.vespa-sn-var", 0, "fsap-",
	    "fsap-vespa-sn-var" },
	{ "a child module", "module.efs.aws_efs_file_system.this",
	    "module.efs.aws_efs_file_system.this", 10, "fs-", "fs-efs-this" },
	{ "nested modules",
	    "module.app.module.storage.aws_efs_access_point.home",
	    "module.app.module.storage.aws_efs_access_point.home", 25, "fsap-",
	    "fsap-app-storage-home" },
	{ "count and for_each keys",
	    "module.app[0].aws_efs_access_point.ap[\"a.b\"]",
	    "module.app.aws_efs_access_point.ap", 10, "fsap-", "fsap-app-ap" },
	{ "a module named module", "module.module.aws_efs_file_system.x",
	    "module.module.aws_efs_file_system.x", 13, "fs-", "fs-x" },
};

START_TEST(test_terraform_names)
{
	const struct tfcase *c = &tfcases[_i];
	char bare[128], id[128];

	ck_assert_int_eq(imp_bare_address(c->address, bare, sizeof(bare)), 0);
	ck_assert_msg(strcmp(bare, c->bare) == 0, "%s: bare [%s], want [%s]",
	    c->name, bare, c->bare);
	ck_assert_msg(imp_module_len(bare) == c->module_len,
	    "%s: module length %zu, want %zu", c->name, imp_module_len(bare),
	    c->module_len);
	ck_assert_int_eq(imp_named_id(bare, c->prefix, id, sizeof(id)), 0);
	ck_assert_msg(strcmp(id, c->id) == 0, "%s: id [%s], want [%s]",
	    c->name, id, c->id);
}
END_TEST

START_TEST(test_terraform_names_too_long)
{
	char small[8];

	ck_assert_int_eq(imp_bare_address("aws_efs_file_system.long", small,
	    sizeof(small)), -ENAMETOOLONG);
	ck_assert_int_eq(imp_named_id("aws_efs_file_system.longer", "fs-",
	    small, sizeof(small)), -ENAMETOOLONG);
	ck_assert_int_eq(imp_named_id("aws_efs_file_system.abcd", "fs-", small,
	    sizeof(small)), 0);
	ck_assert_str_eq(small, "fs-abcd");
}
END_TEST

#define NCASES(a)	((int)(sizeof(a) / sizeof((a)[0])))

Suite *
suite_import(void)
{
	Suite *s = suite_create("import");
	TCase *tc = tcase_create("names");

	tcase_add_loop_test(tc, test_arn_field, 0, NCASES(arncases));
	tcase_add_loop_test(tc, test_role_name, 0, NCASES(rolecases));
	tcase_add_loop_test(tc, test_user_numeric, 0, NCASES(usercases));
	tcase_add_loop_test(tc, test_id_ok, 0, NCASES(idcases));
	tcase_add_loop_test(tc, test_terraform_names, 0, NCASES(tfcases));
	tcase_add_test(tc, test_terraform_names_too_long);
	suite_add_tcase(s, tc);
	return s;
}
