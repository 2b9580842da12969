/* SPDX-License-Identifier: MIT */
/*
 * import_name.h: the pure decisions of `efsap import` about names: the
 * fields of an ARN, the role name of a role ARN, whether a container user
 * is numeric, and the ids a Terraform plan's new resources are given.
 * No I/O, no allocation; tested in tests/check_import.c.
 */
#ifndef EFSAP_IMPORT_NAME_H
#define EFSAP_IMPORT_NAME_H

#include <stddef.h>

/*
 * Field n (0-based) of "arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE"
 * (3 is the region, 4 the account) into out.  Returns 0, -EINVAL when arn
 * is not an ARN or the field is missing or empty, -ENAMETOOLONG when it
 * does not fit.  The resource (field 5) is the rest, colons included.
 */
int imp_arn_field(const char *arn, int n, char *out, size_t len);

/*
 * The role name of an IAM role ARN: the last component of its path
 * ("arn:aws:iam::1:role/path/name" gives "name"), or NULL when arn is not
 * a role ARN.  Points into arn.
 */
const char *imp_role_name(const char *arn);

/*
 * Is an ECS container user "UID" or "UID:GID" with decimal ids in
 * 0..4294967295?  Returns 1 or 0 (a name, empty, signs, spaces, ...).
 */
int imp_user_numeric(const char *user);

/*
 * Is id usable as an efsap id and in a folder name ("efs-" + id)?  1 when
 * it has 1 to 127 characters from A-Z a-z 0-9 . _ - and is not "." or
 * "..": real ids (fs-0123abcd, fsap-0123abcd) and the names of a plan's
 * new resources are.  Else 0.
 */
int imp_id_ok(const char *id);

/*
 * A Terraform address without its instance keys, into out:
 * module.a[0].aws_x.y["k"] gives module.a.aws_x.y.  Returns 0 or
 * -ENAMETOOLONG.
 */
int imp_bare_address(const char *address, char *out, size_t len);

/* The length of the module part of a bare address ("module.a.module.b"). */
size_t imp_module_len(const char *bare);

/*
 * The id of a resource a plan creates, named after it: prefix, then the
 * module names and the resource name joined with "-" ("fsap-",
 * module.efs.aws_efs_access_point.var gives "fsap-efs-var").  Returns 0 or
 * -ENAMETOOLONG.
 */
int imp_named_id(const char *bare, const char *prefix, char *out,
    size_t len);

#endif
