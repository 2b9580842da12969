/* SPDX-License-Identifier: MIT */
/*
 * check_iam.c: IAM policy JSON (issue 12): one table row per policy
 * element, condition operator and key with the decisions it must give for
 * ClientMount, ClientWrite and ClientRootAccess; the matching rules
 * (wildcards, ARNs, actions); the description of a decision; documents IAM
 * would refuse, with their line and column; and the configuration keys
 * (policy_file, role_policy_file, the inline form, role_arn, account,
 * region) loaded from real files.
 *
 * Policies are written with single quotes, turned into double quotes
 * before parsing, so that the tables stay readable.
 */
#include <sys/stat.h>

#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "iam.h"
#include "policy.h"

#define M	EFS_ACT_MOUNT
#define W	EFS_ACT_WRITE
#define R	EFS_ACT_ROOT

#define DEF	EFS_DEC_DEFAULT
#define FS	EFS_DEC_FS_POLICY
#define ROLE	EFS_DEC_ROLE_POLICY
#define IMPL	EFS_DEC_IMPLICIT

#define ROLE_ARN	"arn:aws:iam::111122223333:role/app"
#define FS_ARN		"arn:aws:elasticfilesystem:eu-west-1:111122223333:file-system/fs-1"
#define AP_A		"arn:aws:elasticfilesystem:eu-west-1:111122223333:access-point/fsap-a"
#define AP_B		"arn:aws:elasticfilesystem:eu-west-1:111122223333:access-point/fsap-b"

/* What the configuration knows to form ARNs. */
enum { ARNS_NONE = 0, ARNS_ALL = 1, ARNS_ROLE = 2, ARNS_PLACE = 3 };

/* The expected decision for one action: allowed, source, statement index (-1 none). */
struct want {
	int allowed;
	int source;
	int index;
};

#define Y(src, i)	{ 1, src, i }
#define N(src, i)	{ 0, src, i }
#define DEFAULT_YES	{ 1, DEF, -1 }
#define IMPLICIT	{ 0, IMPL, -1 }
#define ALL3(w)		w, w, w

struct dcase {
	const char *name;
	const char *fs;			/* file system policy, NULL for none */
	const char *role;		/* task role policy, NULL for none */
	int ap;				/* -1, 0 (fsap-a) or 1 (fsap-b) */
	int iam;
	int tls;
	int arns;
	struct want mount, write, root;
};

/* Policy skeletons: one statement, or two. */
#define DOC(st)		"{'Version':'2012-10-17','Statement':[" st "]}"
#define ALLOW_ANY(extra)	"{'Effect':'Allow','Principal':'*','Action':'*'" extra "}"
#define COND(c)		",'Condition':{" c "}"
#define ALLOW_IF(c)	DOC(ALLOW_ANY(COND(c)))
#define ROLE_DOC(st)	"{'Version':'2012-10-17','Statement':" st "}"

static const struct dcase dcases[] = {
	/* Action and NotAction */
	{ "Action exact", DOC("{'Effect':'Allow','Principal':'*',"
	    "'Action':'elasticfilesystem:ClientMount'}"), NULL, -1, 0, 0,
	    ARNS_NONE, Y(FS, 0), IMPLICIT, IMPLICIT },
	{ "Action case-insensitive", DOC("{'Effect':'Allow','Principal':'*',"
	    "'Action':'ELASTICFILESYSTEM:clientwrite'}"), NULL, -1, 0, 0,
	    ARNS_NONE, IMPLICIT, Y(FS, 0), IMPLICIT },
	{ "Action Client*", DOC("{'Effect':'Allow','Principal':'*',"
	    "'Action':'elasticfilesystem:Client*'}"), NULL, -1, 0, 0,
	    ARNS_NONE, ALL3(Y(FS, 0)) },
	{ "Action *", DOC(ALLOW_ANY("")), NULL, -1, 0, 0, ARNS_NONE,
	    ALL3(Y(FS, 0)) },
	{ "Action elasticfilesystem:*", DOC("{'Effect':'Allow',"
	    "'Principal':'*','Action':'elasticfilesystem:*'}"), NULL, -1, 0,
	    0, ARNS_NONE, ALL3(Y(FS, 0)) },
	{ "Action with ?", DOC("{'Effect':'Allow','Principal':'*',"
	    "'Action':'elasticfilesystem:ClientWr?te'}"), NULL, -1, 0, 0,
	    ARNS_NONE, IMPLICIT, Y(FS, 0), IMPLICIT },
	{ "Action array", DOC("{'Effect':'Allow','Principal':'*',"
	    "'Action':['elasticfilesystem:ClientMount',"
	    "'elasticfilesystem:ClientWrite']}"), NULL, -1, 0, 0, ARNS_NONE,
	    Y(FS, 0), Y(FS, 0), IMPLICIT },
	{ "NotAction", DOC("{'Effect':'Allow','Principal':'*',"
	    "'NotAction':'elasticfilesystem:ClientRootAccess'}"), NULL, -1, 0,
	    0, ARNS_NONE, Y(FS, 0), Y(FS, 0), IMPLICIT },
	{ "Action of another service", DOC("{'Effect':'Allow',"
	    "'Principal':'*','Action':['s3:GetObject',"
	    "'elasticfilesystem:DescribeMountTargets']}"), NULL, -1, 0, 0,
	    ARNS_NONE, ALL3(IMPLICIT) },

	/* Effect: explicit Deny wins, whatever the order */
	{ "Deny after Allow", DOC(ALLOW_ANY("") ",{'Effect':'Deny',"
	    "'Principal':'*','Action':'elasticfilesystem:ClientWrite'}"),
	    NULL, -1, 0, 0, ARNS_NONE, Y(FS, 0), N(FS, 1), Y(FS, 0) },
	{ "Deny before Allow", DOC("{'Effect':'Deny','Principal':'*',"
	    "'Action':'elasticfilesystem:ClientRootAccess'}," ALLOW_ANY("")),
	    NULL, -1, 0, 0, ARNS_NONE, Y(FS, 1), Y(FS, 1), N(FS, 0) },
	{ "Statement as one object", "{'Version':'2012-10-17','Statement':"
	    ALLOW_ANY("") "}", NULL, -1, 0, 0, ARNS_NONE, ALL3(Y(FS, 0)) },
	{ "no Version (2008-10-17)", "{'Statement':[" ALLOW_ANY("") "]}",
	    NULL, -1, 0, 0, ARNS_NONE, ALL3(Y(FS, 0)) },

	/* Principal and NotPrincipal */
	{ "Principal * anonymous", DOC(ALLOW_ANY("")), NULL, -1, 0, 0,
	    ARNS_ALL, ALL3(Y(FS, 0)) },
	{ "Principal AWS * anonymous", DOC("{'Effect':'Allow',"
	    "'Principal':{'AWS':'*'},'Action':'*'}"), NULL, -1, 0, 0,
	    ARNS_ALL, ALL3(Y(FS, 0)) },
	{ "Principal role ARN, anonymous", DOC("{'Effect':'Allow',"
	    "'Principal':{'AWS':'" ROLE_ARN "'},'Action':'*'}"), NULL, -1, 0,
	    0, ARNS_ALL, ALL3(IMPLICIT) },
	{ "Principal role ARN, iam", DOC("{'Effect':'Allow',"
	    "'Principal':{'AWS':'" ROLE_ARN "'},'Action':'*'}"), NULL, -1, 1,
	    1, ARNS_ALL, ALL3(Y(FS, 0)) },
	{ "Principal role ARN, iam without role_arn", DOC("{'Effect':'Allow',"
	    "'Principal':{'AWS':'" ROLE_ARN "'},'Action':'*'}"), NULL, -1, 1,
	    1, ARNS_PLACE, ALL3(IMPLICIT) },
	{ "Principal list, one is the role", DOC("{'Effect':'Allow',"
	    "'Principal':{'AWS':['arn:aws:iam::111122223333:role/other','"
	    ROLE_ARN "']},'Action':'*'}"), NULL, -1, 1, 1, ARNS_ALL,
	    ALL3(Y(FS, 0)) },
	{ "Principal account root ARN: an Allow only delegates",
	    DOC("{'Effect':'Allow','Principal':{'AWS':"
	    "'arn:aws:iam::111122223333:root'},'Action':'*'}"), NULL, -1, 1,
	    1, ARNS_ROLE, ALL3(IMPLICIT) },
	{ "Principal account: the role policy grants",
	    DOC("{'Effect':'Allow','Principal':{'AWS':'111122223333'},"
	    "'Action':'*'}"), ROLE_DOC("{'Effect':'Allow','Action':"
	    "'elasticfilesystem:ClientMount','Resource':'*'}"), -1, 1, 1,
	    ARNS_ROLE, Y(ROLE, 0), IMPLICIT, IMPLICIT },
	{ "Principal account root ARN: a Deny applies", DOC(ALLOW_ANY("")
	    ",{'Effect':'Deny','Principal':{'AWS':"
	    "'arn:aws:iam::111122223333:root'},'Action':"
	    "'elasticfilesystem:ClientRootAccess'}"), NULL, -1, 1, 1,
	    ARNS_ROLE, Y(FS, 0), Y(FS, 0), N(FS, 1) },
	{ "Principal bare account id: a Deny applies", DOC(ALLOW_ANY("")
	    ",{'Effect':'Deny','Principal':{'AWS':'111122223333'},"
	    "'Action':'elasticfilesystem:ClientWrite'}"), NULL, -1, 1, 1,
	    ARNS_ROLE, Y(FS, 0), N(FS, 1), Y(FS, 0) },
	{ "NotPrincipal account: its roles are exempt", DOC(ALLOW_ANY("")
	    ",{'Effect':'Deny','NotPrincipal':{'AWS':'111122223333'},"
	    "'Action':'elasticfilesystem:ClientWrite'}"), NULL, -1, 1, 1,
	    ARNS_ROLE, ALL3(Y(FS, 0)) },
	{ "Principal account, anonymous", DOC(ALLOW_ANY("") ",{'Effect':"
	    "'Deny','Principal':{'AWS':'111122223333'},'Action':'*'}"), NULL,
	    -1, 0, 1, ARNS_ROLE, ALL3(Y(FS, 0)) },
	{ "Principal other account", DOC(ALLOW_ANY("") ",{'Effect':'Deny',"
	    "'Principal':{'AWS':'arn:aws:iam::999999999999:root'},"
	    "'Action':'*'}"), NULL, -1, 1, 1, ARNS_ALL, ALL3(Y(FS, 0)) },
	{ "Principal other role", DOC("{'Effect':'Allow',"
	    "'Principal':{'AWS':'arn:aws:iam::111122223333:role/other'},"
	    "'Action':'*'}"), NULL, -1, 1, 1, ARNS_ALL, ALL3(IMPLICIT) },
	{ "Principal Service never an NFS client", DOC("{'Effect':'Allow',"
	    "'Principal':{'Service':'ecs-tasks.amazonaws.com'},"
	    "'Action':'*'}"), NULL, -1, 1, 1, ARNS_ALL, ALL3(IMPLICIT) },
	{ "NotPrincipal deny, the role itself", DOC(ALLOW_ANY("")
	    ",{'Effect':'Deny','NotPrincipal':{'AWS':'" ROLE_ARN "'},"
	    "'Action':'elasticfilesystem:ClientWrite'}"), NULL, -1, 1, 1,
	    ARNS_ALL, ALL3(Y(FS, 0)) },
	{ "NotPrincipal deny, anonymous", DOC(ALLOW_ANY("")
	    ",{'Effect':'Deny','NotPrincipal':{'AWS':'" ROLE_ARN "'},"
	    "'Action':'elasticfilesystem:ClientWrite'}"), NULL, -1, 0, 1,
	    ARNS_ALL, Y(FS, 0), N(FS, 1), Y(FS, 0) },

	/* Resource and NotResource */
	{ "Resource the file system ARN", DOC("{'Effect':'Allow',"
	    "'Principal':'*','Action':'*','Resource':'" FS_ARN "'}"), NULL,
	    -1, 0, 0, ARNS_ALL, ALL3(Y(FS, 0)) },
	{ "Resource with wildcards", DOC("{'Effect':'Allow','Principal':'*',"
	    "'Action':'*','Resource':'arn:aws:elasticfilesystem:*:"
	    "111122223333:file-system/*'}"), NULL, -1, 0, 0, ARNS_ALL,
	    ALL3(Y(FS, 0)) },
	{ "Resource another file system", DOC("{'Effect':'Allow',"
	    "'Principal':'*','Action':'*','Resource':'arn:aws:"
	    "elasticfilesystem:eu-west-1:111122223333:file-system/fs-2'}"),
	    NULL, -1, 0, 0, ARNS_ALL, ALL3(IMPLICIT) },
	{ "Resource ARN without account and region", DOC("{'Effect':'Allow',"
	    "'Principal':'*','Action':'*','Resource':'" FS_ARN "'}"), NULL,
	    -1, 0, 0, ARNS_NONE, ALL3(IMPLICIT) },
	{ "Resource * without account and region", DOC("{'Effect':'Allow',"
	    "'Principal':'*','Action':'*','Resource':'*'}"), NULL, -1, 0, 0,
	    ARNS_NONE, ALL3(Y(FS, 0)) },
	{ "NotResource another file system", DOC("{'Effect':'Allow',"
	    "'Principal':'*','Action':'*','NotResource':'arn:aws:"
	    "elasticfilesystem:eu-west-1:111122223333:file-system/fs-2'}"),
	    NULL, -1, 0, 0, ARNS_ALL, ALL3(Y(FS, 0)) },
	{ "NotResource without account and region", DOC("{'Effect':'Allow',"
	    "'Principal':'*','Action':'*','NotResource':'arn:aws:"
	    "elasticfilesystem:eu-west-1:111122223333:file-system/fs-2'}"),
	    NULL, -1, 0, 0, ARNS_NONE, ALL3(IMPLICIT) },
	{ "NotResource this file system", DOC("{'Effect':'Allow',"
	    "'Principal':'*','Action':'*','NotResource':'" FS_ARN "'}"),
	    NULL, -1, 0, 0, ARNS_ALL, ALL3(IMPLICIT) },

	/* Bool */
	{ "Bool SecureTransport true, TLS", ALLOW_IF("'Bool':"
	    "{'aws:SecureTransport':'true'}"), NULL, -1, 0, 1, ARNS_NONE,
	    ALL3(Y(FS, 0)) },
	{ "Bool SecureTransport true, no TLS", ALLOW_IF("'Bool':"
	    "{'aws:SecureTransport':'true'}"), NULL, -1, 0, 0, ARNS_NONE,
	    ALL3(IMPLICIT) },
	{ "Deny without TLS (the console preset), no TLS",
	    DOC(ALLOW_ANY("") ",{'Effect':'Deny','Principal':{'AWS':'*'},"
	    "'Action':'*','Condition':{'Bool':{'aws:SecureTransport':"
	    "'false'}}}"), NULL, -1, 0, 0, ARNS_NONE, ALL3(N(FS, 1)) },
	{ "Deny without TLS (the console preset), TLS",
	    DOC(ALLOW_ANY("") ",{'Effect':'Deny','Principal':{'AWS':'*'},"
	    "'Action':'*','Condition':{'Bool':{'aws:SecureTransport':"
	    "'false'}}}"), NULL, -1, 0, 1, ARNS_NONE, ALL3(Y(FS, 0)) },
	{ "Bool with a JSON boolean", ALLOW_IF("'Bool':"
	    "{'aws:SecureTransport':true}"), NULL, -1, 0, 1, ARNS_NONE,
	    ALL3(Y(FS, 0)) },
	{ "Bool value case", ALLOW_IF("'Bool':"
	    "{'aws:SecureTransport':'TRUE'}"), NULL, -1, 0, 1, ARNS_NONE,
	    ALL3(Y(FS, 0)) },
	{ "Bool AccessedViaMountTarget true", ALLOW_IF("'Bool':"
	    "{'elasticfilesystem:AccessedViaMountTarget':'true'}"), NULL, -1,
	    0, 0, ARNS_NONE, ALL3(Y(FS, 0)) },
	{ "Bool AccessedViaMountTarget false", ALLOW_IF("'Bool':"
	    "{'elasticfilesystem:AccessedViaMountTarget':'false'}"), NULL,
	    -1, 0, 0, ARNS_NONE, ALL3(IMPLICIT) },
	{ "condition key names ignore case", ALLOW_IF("'Bool':"
	    "{'AWS:securetransport':'true'}"), NULL, -1, 0, 1, ARNS_NONE,
	    ALL3(Y(FS, 0)) },

	/* String operators on elasticfilesystem:AccessPointArn */
	{ "StringEquals access point, match", ALLOW_IF("'StringEquals':"
	    "{'elasticfilesystem:AccessPointArn':'" AP_A "'}"), NULL, 0, 0, 1,
	    ARNS_ALL, ALL3(Y(FS, 0)) },
	{ "StringEquals access point, other", ALLOW_IF("'StringEquals':"
	    "{'elasticfilesystem:AccessPointArn':'" AP_A "'}"), NULL, 1, 0, 1,
	    ARNS_ALL, ALL3(IMPLICIT) },
	{ "StringEquals access point, none (absent)", ALLOW_IF(
	    "'StringEquals':{'elasticfilesystem:AccessPointArn':'" AP_A "'}"),
	    NULL, -1, 0, 1, ARNS_ALL, ALL3(IMPLICIT) },
	{ "StringEquals access point, no account and region",
	    ALLOW_IF("'StringEquals':{'elasticfilesystem:AccessPointArn':'"
	    AP_A "'}"), NULL, 0, 0, 1, ARNS_NONE, ALL3(IMPLICIT) },
	{ "StringEquals is case-sensitive", ALLOW_IF("'StringEquals':"
	    "{'elasticfilesystem:AccessPointArn':'arn:aws:elasticfilesystem:"
	    "eu-west-1:111122223333:access-point/FSAP-A'}"), NULL, 0, 0, 1,
	    ARNS_ALL, ALL3(IMPLICIT) },
	{ "StringEqualsIgnoreCase", ALLOW_IF("'StringEqualsIgnoreCase':"
	    "{'elasticfilesystem:AccessPointArn':'arn:aws:elasticfilesystem:"
	    "eu-west-1:111122223333:access-point/FSAP-A'}"), NULL, 0, 0, 1,
	    ARNS_ALL, ALL3(Y(FS, 0)) },
	{ "StringNotEquals, other access point", ALLOW_IF("'StringNotEquals':"
	    "{'elasticfilesystem:AccessPointArn':'" AP_A "'}"), NULL, 1, 0, 1,
	    ARNS_ALL, ALL3(Y(FS, 0)) },
	{ "StringNotEquals, same access point", ALLOW_IF("'StringNotEquals':"
	    "{'elasticfilesystem:AccessPointArn':'" AP_A "'}"), NULL, 0, 0, 1,
	    ARNS_ALL, ALL3(IMPLICIT) },
	{ "StringNotEquals, absent key is true", ALLOW_IF("'StringNotEquals':"
	    "{'elasticfilesystem:AccessPointArn':'" AP_A "'}"), NULL, -1, 0,
	    1, ARNS_ALL, ALL3(Y(FS, 0)) },
	{ "StringNotEqualsIgnoreCase", ALLOW_IF("'StringNotEqualsIgnoreCase':"
	    "{'elasticfilesystem:AccessPointArn':'arn:aws:elasticfilesystem:"
	    "eu-west-1:111122223333:access-point/FSAP-A'}"), NULL, 0, 0, 1,
	    ARNS_ALL, ALL3(IMPLICIT) },
	{ "StringLike with ? and *", ALLOW_IF("'StringLike':"
	    "{'elasticfilesystem:AccessPointArn':'arn:aws:elasticfilesystem:"
	    "*:access-point/fsap-?'}"), NULL, 1, 0, 1, ARNS_ALL,
	    ALL3(Y(FS, 0)) },
	{ "StringLike no match", ALLOW_IF("'StringLike':"
	    "{'elasticfilesystem:AccessPointArn':'*/fsap-a'}"), NULL, 1, 0, 1,
	    ARNS_ALL, ALL3(IMPLICIT) },
	{ "StringNotLike, matching", ALLOW_IF("'StringNotLike':"
	    "{'elasticfilesystem:AccessPointArn':'*/fsap-a'}"), NULL, 0, 0, 1,
	    ARNS_ALL, ALL3(IMPLICIT) },
	{ "StringNotLike, not matching", ALLOW_IF("'StringNotLike':"
	    "{'elasticfilesystem:AccessPointArn':'*/fsap-a'}"), NULL, 1, 0, 1,
	    ARNS_ALL, ALL3(Y(FS, 0)) },

	/* ARN operators */
	{ "ArnEquals", ALLOW_IF("'ArnEquals':"
	    "{'elasticfilesystem:AccessPointArn':'" AP_A "'}"), NULL, 0, 0, 1,
	    ARNS_ALL, ALL3(Y(FS, 0)) },
	{ "ArnLike, part wildcards", ALLOW_IF("'ArnLike':"
	    "{'elasticfilesystem:AccessPointArn':'arn:aws:elasticfilesystem:"
	    "eu-west-1:*:access-point/*'}"), NULL, 1, 0, 1, ARNS_ALL,
	    ALL3(Y(FS, 0)) },
	{ "ArnLike, * does not cross ':'", ALLOW_IF("'ArnLike':"
	    "{'elasticfilesystem:AccessPointArn':'arn:*:access-point/fsap-a'}"),
	    NULL, 0, 0, 1, ARNS_ALL, ALL3(IMPLICIT) },
	{ "StringLike, * crosses ':'", ALLOW_IF("'StringLike':"
	    "{'elasticfilesystem:AccessPointArn':'arn:*:access-point/fsap-a'}"),
	    NULL, 0, 0, 1, ARNS_ALL, ALL3(Y(FS, 0)) },
	{ "ArnNotEquals, other", ALLOW_IF("'ArnNotEquals':"
	    "{'elasticfilesystem:AccessPointArn':'" AP_A "'}"), NULL, 1, 0, 1,
	    ARNS_ALL, ALL3(Y(FS, 0)) },
	{ "ArnNotEquals, same", ALLOW_IF("'ArnNotEquals':"
	    "{'elasticfilesystem:AccessPointArn':'" AP_A "'}"), NULL, 0, 0, 1,
	    ARNS_ALL, ALL3(IMPLICIT) },
	{ "ArnNotLike, same", ALLOW_IF("'ArnNotLike':"
	    "{'elasticfilesystem:AccessPointArn':'arn:aws:elasticfilesystem:"
	    "*:*:access-point/fsap-a'}"), NULL, 0, 0, 1, ARNS_ALL,
	    ALL3(IMPLICIT) },
	{ "ArnNotLike, absent key is true", ALLOW_IF("'ArnNotLike':"
	    "{'elasticfilesystem:AccessPointArn':'arn:aws:elasticfilesystem:"
	    "*:*:access-point/fsap-a'}"), NULL, -1, 0, 1, ARNS_ALL,
	    ALL3(Y(FS, 0)) },

	/* ...IfExists and Null */
	{ "StringEqualsIfExists, absent", ALLOW_IF("'StringEqualsIfExists':"
	    "{'elasticfilesystem:AccessPointArn':'" AP_A "'}"), NULL, -1, 0,
	    1, ARNS_ALL, ALL3(Y(FS, 0)) },
	{ "StringEqualsIfExists, present, other", ALLOW_IF(
	    "'StringEqualsIfExists':{'elasticfilesystem:AccessPointArn':'"
	    AP_A "'}"), NULL, 1, 0, 1, ARNS_ALL, ALL3(IMPLICIT) },
	{ "ArnLikeIfExists, present, match", ALLOW_IF("'ArnLikeIfExists':"
	    "{'elasticfilesystem:AccessPointArn':'arn:aws:elasticfilesystem:"
	    "*:*:access-point/fsap-a'}"), NULL, 0, 0, 1, ARNS_ALL,
	    ALL3(Y(FS, 0)) },
	{ "BoolIfExists, present, false", ALLOW_IF("'BoolIfExists':"
	    "{'aws:SecureTransport':'true'}"), NULL, -1, 0, 0, ARNS_NONE,
	    ALL3(IMPLICIT) },
	{ "Null true, absent", ALLOW_IF("'Null':"
	    "{'elasticfilesystem:AccessPointArn':'true'}"), NULL, -1, 0, 1,
	    ARNS_ALL, ALL3(Y(FS, 0)) },
	{ "Null true, present", ALLOW_IF("'Null':"
	    "{'elasticfilesystem:AccessPointArn':'true'}"), NULL, 0, 0, 1,
	    ARNS_ALL, ALL3(IMPLICIT) },
	{ "Null false, present", ALLOW_IF("'Null':"
	    "{'elasticfilesystem:AccessPointArn':'false'}"), NULL, 0, 0, 1,
	    ARNS_ALL, ALL3(Y(FS, 0)) },

	/* aws:PrincipalArn */
	{ "PrincipalArn StringEquals, iam", ALLOW_IF("'StringEquals':"
	    "{'aws:PrincipalArn':'" ROLE_ARN "'}"), NULL, -1, 1, 1, ARNS_ALL,
	    ALL3(Y(FS, 0)) },
	{ "PrincipalArn StringEquals, anonymous (absent)", ALLOW_IF(
	    "'StringEquals':{'aws:PrincipalArn':'" ROLE_ARN "'}"), NULL, -1,
	    0, 1, ARNS_ALL, ALL3(IMPLICIT) },
	{ "PrincipalArn ArnLike role/*, iam", ALLOW_IF("'ArnLike':"
	    "{'aws:PrincipalArn':'arn:aws:iam::111122223333:role/*'}"), NULL,
	    -1, 1, 1, ARNS_ALL, ALL3(Y(FS, 0)) },
	{ "PrincipalArn, iam without role_arn", ALLOW_IF("'ArnLike':"
	    "{'aws:PrincipalArn':'arn:aws:iam::111122223333:role/*'}"), NULL,
	    -1, 1, 1, ARNS_PLACE, ALL3(IMPLICIT) },
	{ "PrincipalArn StringNotEquals, anonymous", ALLOW_IF(
	    "'StringNotEquals':{'aws:PrincipalArn':'" ROLE_ARN "'}"), NULL,
	    -1, 0, 1, ARNS_ALL, ALL3(Y(FS, 0)) },

	/* several values (OR), several keys and operators (AND) */
	{ "two values, the second matches", ALLOW_IF("'StringEquals':"
	    "{'elasticfilesystem:AccessPointArn':['" AP_B "','" AP_A "']}"),
	    NULL, 0, 0, 1, ARNS_ALL, ALL3(Y(FS, 0)) },
	{ "StringNotEquals two values (NOR), one matches", ALLOW_IF(
	    "'StringNotEquals':{'elasticfilesystem:AccessPointArn':['" AP_B
	    "','" AP_A "']}"), NULL, 0, 0, 1, ARNS_ALL, ALL3(IMPLICIT) },
	{ "two operators, both hold", ALLOW_IF("'Bool':"
	    "{'aws:SecureTransport':'true'},'StringEquals':"
	    "{'elasticfilesystem:AccessPointArn':'" AP_A "'}"), NULL, 0, 0, 1,
	    ARNS_ALL, ALL3(Y(FS, 0)) },
	{ "two operators, one fails", ALLOW_IF("'Bool':"
	    "{'aws:SecureTransport':'true'},'StringEquals':"
	    "{'elasticfilesystem:AccessPointArn':'" AP_A "'}"), NULL, 1, 0, 1,
	    ARNS_ALL, ALL3(IMPLICIT) },
	{ "two keys under one operator, one fails", ALLOW_IF("'Bool':"
	    "{'aws:SecureTransport':'true',"
	    "'elasticfilesystem:AccessedViaMountTarget':'true'}"), NULL, -1,
	    0, 0, ARNS_NONE, ALL3(IMPLICIT) },
	{ "two keys under one operator, both hold", ALLOW_IF("'Bool':"
	    "{'aws:SecureTransport':'true',"
	    "'elasticfilesystem:AccessedViaMountTarget':'true'}"), NULL, -1,
	    0, 1, ARNS_NONE, ALL3(Y(FS, 0)) },

	/* what efsap does not evaluate never applies */
	{ "unknown operator: Allow does not apply", ALLOW_IF(
	    "'NumericLessThan':{'aws:EpochTime':'1'}"), NULL, -1, 0, 1,
	    ARNS_NONE, ALL3(IMPLICIT) },
	{ "unknown operator: Deny does not apply", DOC(ALLOW_ANY("")
	    ",{'Effect':'Deny','Principal':'*','Action':'*','Condition':"
	    "{'IpAddress':{'aws:SourceIp':'10.0.0.0/8'}}}"), NULL, -1, 0, 1,
	    ARNS_NONE, ALL3(Y(FS, 0)) },
	{ "unknown key, even negated", ALLOW_IF("'StringNotEquals':"
	    "{'aws:SourceVpc':'vpc-1'}"), NULL, -1, 0, 1, ARNS_NONE,
	    ALL3(IMPLICIT) },
	{ "set operator prefix is unknown", ALLOW_IF(
	    "'ForAnyValue:StringEquals':{'aws:SecureTransport':'true'}"),
	    NULL, -1, 0, 1, ARNS_NONE, ALL3(IMPLICIT) },

	/* the task role's identity policy */
	{ "role policy Deny, no fs policy", NULL, ROLE_DOC("[{'Effect':'Deny',"
	    "'Action':'elasticfilesystem:ClientWrite','Resource':'*'}]"), -1,
	    1, 1, ARNS_ALL, DEFAULT_YES, N(ROLE, 0), DEFAULT_YES },
	{ "role policy ignored without iam", NULL, ROLE_DOC("{'Effect':"
	    "'Deny','Action':'*','Resource':'*'}"), -1, 0, 1, ARNS_ALL,
	    ALL3(DEFAULT_YES) },
	{ "prevent anonymous access preset, role grants mount",
	    DOC("{'Effect':'Allow','Principal':{'AWS':'*'},'Action':["
	    "'elasticfilesystem:ClientRootAccess','elasticfilesystem:"
	    "ClientWrite'],'Condition':{'Bool':{'elasticfilesystem:"
	    "AccessedViaMountTarget':'true'}}}"),
	    ROLE_DOC("{'Effect':'Allow','Action':['elasticfilesystem:"
	    "ClientMount','elasticfilesystem:ClientWrite'],'Resource':'"
	    FS_ARN "'}"), -1, 1, 1, ARNS_ALL, Y(ROLE, 0), Y(FS, 0), Y(FS, 0) },
	{ "prevent anonymous access preset, anonymous",
	    DOC("{'Effect':'Allow','Principal':{'AWS':'*'},'Action':["
	    "'elasticfilesystem:ClientRootAccess','elasticfilesystem:"
	    "ClientWrite'],'Condition':{'Bool':{'elasticfilesystem:"
	    "AccessedViaMountTarget':'true'}}}"),
	    ROLE_DOC("{'Effect':'Allow','Action':['elasticfilesystem:"
	    "ClientMount'],'Resource':'" FS_ARN "'}"), -1, 0, 1, ARNS_ALL,
	    IMPLICIT, Y(FS, 0), Y(FS, 0) },
	{ "role policy Resource of another file system", DOC("{'Effect':"
	    "'Allow','Principal':'*','Action':'elasticfilesystem:"
	    "ClientWrite'}"), ROLE_DOC("{'Effect':'Allow','Action':'*',"
	    "'Resource':'arn:aws:elasticfilesystem:eu-west-1:111122223333:"
	    "file-system/fs-2'}"), -1, 1, 1, ARNS_ALL, IMPLICIT, Y(FS, 0),
	    IMPLICIT },
	{ "role policy with an access point condition", DOC("{'Effect':"
	    "'Allow','Principal':'*','Action':'elasticfilesystem:"
	    "ClientMount'}"), ROLE_DOC("{'Effect':'Allow','Action':"
	    "'elasticfilesystem:Client*','Resource':'*','Condition':"
	    "{'StringEquals':{'elasticfilesystem:AccessPointArn':'" AP_A
	    "'}}}"), 0, 1, 1, ARNS_ALL, Y(FS, 0), Y(ROLE, 0), Y(ROLE, 0) },
	{ "the seed's role policy (004)", DOC("{'Effect':'Allow',"
	    "'Principal':{'AWS':'" ROLE_ARN "'},'Action':"
	    "'elasticfilesystem:ClientMount'}"), ROLE_DOC("[{'Effect':"
	    "'Allow','Action':['elasticfilesystem:ClientMount',"
	    "'elasticfilesystem:ClientRootAccess','elasticfilesystem:"
	    "ClientWrite','elasticfilesystem:DescribeMountTargets'],"
	    "'Resource':'*'}]"), -1, 1, 1, ARNS_ALL, Y(FS, 0), Y(ROLE, 0),
	    Y(ROLE, 0) },
};

#define NDCASES	((int)(sizeof(dcases) / sizeof(dcases[0])))

/* Single quotes to double quotes, in a new string. */
static char *
dq(const char *s)
{
	char *o = strdup(s), *p;

	ck_assert_ptr_nonnull(o);
	for (p = o; *p != '\0'; p++)
		if (*p == '\'')
			*p = '"';
	return o;
}

/* What a parse reported. */
struct reported {
	int errors;
	int warnings;
	int line;			/* of the first error */
	int column;
	char first[512];		/* the first error, else the first warning */
};

static void
collect(void *arg, int warning, int line, int column, const char *msg)
{
	struct reported *r = arg;

	if (warning)
		r->warnings++;
	else if (r->errors++ == 0) {
		r->line = line;
		r->column = column;
		snprintf(r->first, sizeof(r->first), "%s", msg);
		return;
	}
	if (r->first[0] == '\0')
		snprintf(r->first, sizeof(r->first), "%s", msg);
}

/* A configuration like the loader's defaults, with two access points and one mount. */
static struct efs_config *
base_config(void)
{
	struct efs_config *cfg = calloc(1, sizeof(*cfg));

	ck_assert_ptr_nonnull(cfg);
	cfg->pool_used = 1;
	strcpy(cfg->fs_id, "fs-1");
	cfg->anon_uid = cfg->anon_gid = 65534;
	cfg->naps = 2;
	strcpy(cfg->aps[0].id, "fsap-a");
	strcpy(cfg->aps[0].root, "/a");
	strcpy(cfg->aps[1].id, "fsap-b");
	strcpy(cfg->aps[1].root, "/b");
	cfg->nmounts = 1;
	strcpy(cfg->mounts[0].container_path, "/mnt/efs");
	strcpy(cfg->mounts[0].root_directory, "/");
	cfg->mounts[0].ap = -1;
	return cfg;
}

/* Parse a single-quoted document into cfg; fails the test on an error. */
static int
parse_ok(struct efs_config *cfg, const char *doc, int role,
    struct efs_stmt *stmts, const char *name)
{
	struct reported r;
	char *text = dq(doc);
	int n;

	memset(&r, 0, sizeof(r));
	n = efs_iam_parse(cfg, text, strlen(text), role, 7, stmts, collect, &r);
	ck_assert_msg(n > 0 && r.errors == 0, "%s: parse failed (%d): %s",
	    name, n, r.first);
	free(text);
	return n;
}

static void
expect(const struct dcase *c, const struct efs_config *cfg, unsigned action,
    const struct want *w)
{
	struct efs_decision d;
	const struct efs_stmt *base;

	memset(&d, 0x5a, sizeof(d));
	efs_policy_decide(cfg, &cfg->mounts[0], action, &d);
	ck_assert_msg(d.allowed == w->allowed, "%s: %s: allowed %d, want %d",
	    c->name, efs_action_name(action), d.allowed, w->allowed);
	ck_assert_msg(d.source == w->source, "%s: %s: source %d, want %d",
	    c->name, efs_action_name(action), d.source, w->source);
	if (w->index < 0) {
		ck_assert_msg(d.stmt == NULL, "%s: %s: unexpected statement",
		    c->name, efs_action_name(action));
		return;
	}
	ck_assert_msg(d.stmt != NULL, "%s: %s: no statement", c->name,
	    efs_action_name(action));
	base = w->source == ROLE ? cfg->role : cfg->policy;
	ck_assert_msg(d.stmt == &base[w->index], "%s: %s: statement %d, "
	    "want %d", c->name, efs_action_name(action),
	    (int)(d.stmt - base), w->index);
	ck_assert_int_eq(d.stmt->index, w->index);
	ck_assert_int_eq(d.stmt->iam, 1);
}

START_TEST(test_decide)
{
	const struct dcase *c = &dcases[_i];
	struct efs_config *cfg = base_config();
	struct efs_mount *m = &cfg->mounts[0];

	if (c->arns == ARNS_ALL || c->arns == ARNS_PLACE) {
		strcpy(cfg->account, "111122223333");
		strcpy(cfg->region, "eu-west-1");
	}
	if (c->arns == ARNS_ALL || c->arns == ARNS_ROLE)
		strcpy(cfg->role_arn, ROLE_ARN);
	if (c->fs != NULL) {
		cfg->has_policy = 1;
		cfg->npolicy = parse_ok(cfg, c->fs, 0, cfg->policy, c->name);
	}
	if (c->role != NULL) {
		cfg->has_role_policy = 1;
		cfg->nrole = parse_ok(cfg, c->role, 1, cfg->role, c->name);
	}
	m->ap = c->ap;
	m->iam = c->iam;
	m->transit_encryption = c->tls;
	expect(c, cfg, M, &c->mount);
	expect(c, cfg, W, &c->write);
	expect(c, cfg, R, &c->root);
	free(cfg);
}
END_TEST

/* ---- matching rules ---- */

static const struct {
	const char *pat, *s;
	int icase, want;
} globs[] = {
	{ "*", "", 0, 1 },
	{ "*", "anything:at/all", 0, 1 },
	{ "a?c", "abc", 0, 1 },
	{ "a?c", "ac", 0, 0 },
	{ "a*c", "abbbc", 0, 1 },
	{ "a*c", "abbbd", 0, 0 },
	{ "*b*", "abc", 0, 1 },
	{ "abc", "ABC", 0, 0 },
	{ "abc", "ABC", 1, 1 },
	{ "a**", "a", 0, 1 },
	{ "*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaa", 0, 0 },
	{ "", "", 0, 1 },
	{ "", "x", 0, 0 },
};

START_TEST(test_glob)
{
	ck_assert_msg(efs_iam_glob(globs[_i].pat, globs[_i].s,
	    globs[_i].icase) == globs[_i].want, "glob %s %s",
	    globs[_i].pat, globs[_i].s);
}
END_TEST

static const struct {
	const char *pat, *arn;
	int want;
} arns[] = {
	{ AP_A, AP_A, 1 },
	{ "arn:aws:elasticfilesystem:*:*:access-point/*", AP_A, 1 },
	{ "arn:*:*:*:*:*", AP_A, 1 },
	{ "arn:*:access-point/fsap-a", AP_A, 0 },
	{ "arn:aws:elasticfilesystem:eu-west-?:111122223333:access-point/fsap-a",
	    AP_A, 1 },
	{ "arn:aws:elasticfilesystem:us-east-1:111122223333:access-point/fsap-a",
	    AP_A, 0 },
	{ AP_A, "fsap-a", 0 },
	{ "arn:aws:s3:::bucket/a:b", "arn:aws:s3:::bucket/a:b", 1 },
	{ "arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/a:b", 1 },
};

START_TEST(test_arn_like)
{
	ck_assert_msg(efs_iam_arn_like(arns[_i].pat, arns[_i].arn) ==
	    arns[_i].want, "arn %s %s", arns[_i].pat, arns[_i].arn);
}
END_TEST

static const struct {
	const char *pat;
	unsigned want;
} actions[] = {
	{ "*", EFS_ACT_ALL },
	{ "elasticfilesystem:*", EFS_ACT_ALL },
	{ "elasticfilesystem:Client*", EFS_ACT_ALL },
	{ "ElasticFileSystem:CLIENTMOUNT", EFS_ACT_MOUNT },
	{ "elasticfilesystem:ClientWrite", EFS_ACT_WRITE },
	{ "elasticfilesystem:ClientRootAccess", EFS_ACT_ROOT },
	{ "elasticfilesystem:Client?ount", EFS_ACT_MOUNT },
	{ "elasticfilesystem:*Access", EFS_ACT_ROOT },
	{ "elasticfilesystem:Describe*", 0 },
	{ "s3:*", 0 },
	{ "ClientMount", 0 },
};

START_TEST(test_action_bits)
{
	ck_assert_msg(efs_iam_action_bits(actions[_i].pat) == actions[_i].want,
	    "action %s", actions[_i].pat);
}
END_TEST

START_TEST(test_account)
{
	char buf[16];

	ck_assert_str_eq(efs_iam_account("111122223333", buf, sizeof(buf)),
	    "111122223333");
	ck_assert_str_eq(efs_iam_account(ROLE_ARN, buf, sizeof(buf)),
	    "111122223333");
	ck_assert_str_eq(efs_iam_account("arn:aws:iam::444455556666:root", buf,
	    sizeof(buf)), "444455556666");
	ck_assert_ptr_null(efs_iam_account("*", buf, sizeof(buf)));
	ck_assert_ptr_null(efs_iam_account("11112222333", buf, sizeof(buf)));
	ck_assert_ptr_null(efs_iam_account("arn:aws:s3:::bucket", buf,
	    sizeof(buf)));
}
END_TEST

START_TEST(test_config_arn)
{
	struct efs_config *cfg = base_config();
	char buf[EFS_ARN_MAX];

	ck_assert_int_eq(efs_config_arn(cfg, NULL, buf, sizeof(buf)), -ENOENT);
	strcpy(cfg->account, "111122223333");
	ck_assert_int_eq(efs_config_arn(cfg, NULL, buf, sizeof(buf)), -ENOENT);
	strcpy(cfg->region, "eu-west-1");
	ck_assert_int_eq(efs_config_arn(cfg, NULL, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, FS_ARN);
	ck_assert_int_eq(efs_config_arn(cfg, "fsap-a", buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, AP_A);
	strcpy(cfg->region, "cn-north-1");
	ck_assert_int_eq(efs_config_arn(cfg, NULL, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "arn:aws-cn:elasticfilesystem:cn-north-1:"
	    "111122223333:file-system/fs-1");
	strcpy(cfg->region, "us-gov-west-1");
	ck_assert_int_eq(efs_config_arn(cfg, "x", buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "arn:aws-us-gov:elasticfilesystem:us-gov-west-1:"
	    "111122223333:access-point/x");
	ck_assert_int_eq(efs_config_arn(cfg, NULL, buf, 20), -ENAMETOOLONG);
	free(cfg);
}
END_TEST

/* ---- describing a decision ---- */

START_TEST(test_describe)
{
	struct efs_config *cfg = base_config();
	struct efs_decision d;
	char buf[EFS_PATH_MAX + 256];
	static const char doc[] = "{\n 'Version': '2012-10-17',\n"
	    " 'Statement': [\n  {'Sid': 'AllowAll', 'Effect': 'Allow',"
	    " 'Principal': '*', 'Action': '*'},\n"
	    "  {'Effect': 'Deny', 'Principal': '*',\n"
	    "   'Action': 'elasticfilesystem:ClientWrite'}\n ]\n}\n";

	cfg->has_policy = 1;
	cfg->npolicy = parse_ok(cfg, doc, 0, cfg->policy, "describe");
	cfg->policy_src.form = EFS_FORM_FILE;
	strcpy(cfg->policy_src.file, "/srv/fs-policy.json");
	efs_policy_decide(cfg, &cfg->mounts[0], M, &d);
	ck_assert_str_eq(efs_decision_describe(&d, buf, sizeof(buf)),
	    "allowed by statement \"AllowAll\" (Statement[0], line 4) of "
	    "file_system.policy_file /srv/fs-policy.json (Allow)");
	efs_policy_decide(cfg, &cfg->mounts[0], W, &d);
	ck_assert_str_eq(efs_decision_describe(&d, buf, sizeof(buf)),
	    "denied by statement Statement[1] (line 5) of "
	    "file_system.policy_file /srv/fs-policy.json (Deny)");
	cfg->policy_src.form = EFS_FORM_JSON;
	efs_policy_decide(cfg, &cfg->mounts[0], W, &d);
	ck_assert_str_eq(efs_decision_describe(&d, buf, sizeof(buf)),
	    "denied by statement Statement[1] (line 5) of "
	    "file_system.policy at line 7 (Deny)");
	/* Without the configuration, the index still names it. */
	d.cfg = NULL;
	ck_assert_str_eq(efs_decision_describe(&d, buf, sizeof(buf)),
	    "denied by statement Statement[1] (line 5) of "
	    "file_system.policy at line 7 (Deny)");
	free(cfg);
}
END_TEST

START_TEST(test_describe_role)
{
	struct efs_config *cfg = base_config();
	struct efs_decision d;
	char buf[EFS_PATH_MAX + 256];

	cfg->has_role_policy = 1;
	cfg->nrole = parse_ok(cfg, "{'Statement':{'Sid':'NoWrite','Effect':"
	    "'Deny','Action':'*','Resource':'*'}}", 1, cfg->role, "role");
	cfg->role_src.form = EFS_FORM_FILE;
	strcpy(cfg->role_src.file, "/srv/role.json");
	cfg->mounts[0].iam = 1;
	efs_policy_decide(cfg, &cfg->mounts[0], W, &d);
	ck_assert_str_eq(efs_decision_describe(&d, buf, sizeof(buf)),
	    "denied by statement \"NoWrite\" (Statement[0], line 1) of "
	    "task.role_policy_file /srv/role.json (Deny)");
	free(cfg);
}
END_TEST

/* ---- documents IAM would refuse ---- */

struct ecase {
	const char *name;
	const char *doc;		/* single quotes become double quotes */
	int role;
	const char *want;		/* in the first error */
	int line, column;		/* of the first error; -1: any */
};

#define ST(body)	"{'Version':'2012-10-17','Statement':[" body "]}"

static const struct ecase ecases[] = {
	{ "empty text", "", 0, "end of file", 1, -1 },
	{ "unclosed object", "{\n 'Version': '2012-10-17',\n", 0,
	    "end of file", 3, -1 },
	{ "trailing comma", "{\n 'Version': '2012-10-17',\n 'Statement': "
	    "[ {'Effect':'Allow',} ]\n}", 0, "expected", 3, 35 },
	{ "garbage after the document", "{'Statement':[]} x", 0,
	    "end of file expected", 1, 18 },
	{ "duplicate key", "{'Statement':[],\n'Statement':[]}", 0,
	    "duplicate object key", 2, -1 },
	{ "not an object", "[]", 0, "a policy document is a JSON object",
	    1, 0 },
	{ "unknown top-level element", "{'Version':'2012-10-17','Statment':[]}",
	    0, "unknown top-level element \"Statment\"", 0, 0 },
	{ "bad Version", "{'Version':'2013-01-01','Statement':" ALLOW_ANY("")
	    "}", 0, "Version must be", 0, 0 },
	{ "Statement missing", "{'Version':'2012-10-17'}", 0,
	    "Statement is missing", 0, 0 },
	{ "Statement empty", ST(""), 0, "empty array", 0, 0 },
	{ "Statement a string", "{'Statement':'x'}", 0,
	    "Statement must be an object or an array", 0, 0 },
	{ "statement not an object", ST("1"), 0,
	    "statement Statement[0] (line 1) must be an object", 1, 0 },
	{ "unknown statement element", ST("{'Effect':'Allow','Principal':'*',"
	    "'Actions':'*'}"), 0, "unknown element \"Actions\"", 1, 0 },
	{ "Effect missing", ST("{'Principal':'*','Action':'*'}"), 0,
	    "Effect is missing", 1, 0 },
	{ "Effect lower case", ST("{'Effect':'allow','Principal':'*',"
	    "'Action':'*'}"), 0, "Effect must be \"Allow\" or \"Deny\"", 1, 0 },
	{ "Action and NotAction", ST("{'Effect':'Allow','Principal':'*',"
	    "'Action':'*','NotAction':'*'}"), 0, "both Action and NotAction",
	    1, 0 },
	{ "no Action", ST("{'Effect':'Allow','Principal':'*'}"), 0,
	    "Action (or NotAction) is missing", 1, 0 },
	{ "Action without service", ST("{'Effect':'Allow','Principal':'*',"
	    "'Action':'ClientMount'}"), 0, "is not \"*\" or \"service:action\"",
	    1, 0 },
	{ "Action empty array", ST("{'Effect':'Allow','Principal':'*',"
	    "'Action':[]}"), 0, "Action is an empty array", 1, 0 },
	{ "Action a number", ST("{'Effect':'Allow','Principal':'*',"
	    "'Action':5}"), 0, "must be a string or an array of strings", 1, 0 },
	{ "fs policy without Principal", ST("{'Effect':'Allow','Action':'*'}"),
	    0, "Principal is missing", 1, 0 },
	{ "Principal a name", ST("{'Effect':'Allow','Principal':'me',"
	    "'Action':'*'}"), 0, "Principal as a string must be \"*\"", 1, 0 },
	{ "Principal type unknown", ST("{'Effect':'Allow','Principal':"
	    "{'Users':'x'},'Action':'*'}"), 0, "unknown principal type \"Users\"",
	    1, 0 },
	{ "Principal AWS not an ARN", ST("{'Effect':'Allow','Principal':"
	    "{'AWS':'bob'},'Action':'*'}"), 0, "principal \"bob\" is not", 1,
	    0 },
	{ "Principal and NotPrincipal", ST("{'Effect':'Allow','Principal':'*',"
	    "'NotPrincipal':{'AWS':'111122223333'},'Action':'*'}"), 0,
	    "both Principal and NotPrincipal", 1, 0 },
	{ "role policy with Principal", ST("{'Effect':'Allow','Principal':'*',"
	    "'Action':'*','Resource':'*'}"), 1, "must not name a Principal",
	    1, 0 },
	{ "role policy without Resource", ST("{'Effect':'Allow','Action':'*'}"),
	    1, "Resource is missing", 1, 0 },
	{ "Resource and NotResource", ST("{'Effect':'Allow','Action':'*',"
	    "'Resource':'*','NotResource':'*'}"), 1,
	    "both Resource and NotResource", 1, 0 },
	{ "Condition not an object", ST("{'Effect':'Allow','Principal':'*',"
	    "'Action':'*','Condition':[]}"), 0, "Condition must be an object",
	    1, 0 },
	{ "Condition operator not an object", ST("{'Effect':'Allow',"
	    "'Principal':'*','Action':'*','Condition':{'Bool':'true'}}"), 0,
	    "must hold an object", 1, 0 },
	{ "Condition value null", ST("{'Effect':'Allow','Principal':'*',"
	    "'Action':'*','Condition':{'Bool':{'aws:SecureTransport':null}}}"),
	    0, "must be a string or an array of strings, not null", 1, 0 },
	{ "Sid named in the error", "{'Version':'2012-10-17','Statement':[\n"
	    "  {'Sid':'One','Effect':'Allow','Principal':'*','Action':'*'},\n"
	    "  {'Sid':'Two','Effect':'Alow','Principal':'*','Action':'*'}\n]}",
	    0, "statement \"Two\" (Statement[1], line 3): Effect", 3, 0 },
	{ "a ']' inside a string does not end the list",
	    "{'Statement':[\n {'Sid':']','Effect':'Allow','Principal':'*',"
	    "'Action':'*'},\n\n {'Effect':'Deny'}]}", 0,
	    "statement Statement[1] (line 4): Action", 4, 0 },
};

#define NECASES	((int)(sizeof(ecases) / sizeof(ecases[0])))

START_TEST(test_errors)
{
	const struct ecase *c = &ecases[_i];
	struct efs_config *cfg = base_config();
	struct reported r;
	char *text = dq(c->doc);
	int n;

	memset(&r, 0, sizeof(r));
	n = efs_iam_parse(cfg, text, strlen(text), c->role, 3, cfg->policy,
	    collect, &r);
	ck_assert_msg(n == -EINVAL, "%s: parse gave %d", c->name, n);
	ck_assert_msg(r.errors > 0, "%s: no error reported", c->name);
	ck_assert_msg(strstr(r.first, c->want) != NULL, "%s: error \"%s\", "
	    "want \"%s\"", c->name, r.first, c->want);
	if (c->line >= 0)
		ck_assert_msg(r.line == c->line, "%s: line %d, want %d",
		    c->name, r.line, c->line);
	if (c->column >= 0)
		ck_assert_msg(r.column == c->column, "%s: column %d, want %d",
		    c->name, r.column, c->column);
	free(text);
	free(cfg);
}
END_TEST

/* Warnings: the statement is named, and the document stays valid. */
static const struct {
	const char *name, *doc, *want;
} wcases[] = {
	{ "unknown operator", ST("{'Sid':'Old','Effect':'Allow','Principal':"
	    "'*','Action':'*','Condition':{'DateLessThan':{'aws:CurrentTime':"
	    "'2020-01-01T00:00:00Z'}}}"), "statement \"Old\" (Statement[0], "
	    "line 1): efsap does not evaluate the condition operator "
	    "\"DateLessThan\"" },
	{ "unknown key", ST("{'Effect':'Allow','Principal':'*','Action':'*',"
	    "'Condition':{'IpAddress':{'aws:SourceIp':'10.0.0.0/8'}}}"),
	    "condition operator \"IpAddress\"" },
	{ "unknown key, known operator", ST("{'Effect':'Allow','Principal':"
	    "'*','Action':'*','Condition':{'StringEquals':{'aws:SourceVpc':"
	    "'vpc-1'}}}"), "statement Statement[0] (line 1): efsap does not "
	    "evaluate the condition key \"aws:SourceVpc\"" },
	{ "Null has no IfExists form", ST("{'Effect':'Allow','Principal':"
	    "'*','Action':'*','Condition':{'NullIfExists':{'aws:SecureTransport'"
	    ":'true'}}}"), "\"NullIfExists\"" },
};

START_TEST(test_warnings)
{
	struct efs_config *cfg = base_config();
	struct reported r;
	char *text = dq(wcases[_i].doc);
	int n;

	memset(&r, 0, sizeof(r));
	n = efs_iam_parse(cfg, text, strlen(text), 0, 3, cfg->policy, collect,
	    &r);
	ck_assert_msg(n == 1 && r.errors == 0, "%s: %d, %s", wcases[_i].name,
	    n, r.first);
	ck_assert_int_eq(r.warnings, 1);
	ck_assert_msg(strstr(r.first, wcases[_i].want) != NULL, "%s: \"%s\"",
	    wcases[_i].name, r.first);
	free(text);
	free(cfg);
}
END_TEST

START_TEST(test_pool_full)
{
	struct efs_config *cfg = base_config();
	struct reported r;
	char *doc;
	size_t len = EFS_IAM_POOL + 100, o;
	int n;

	/* One Sid longer than the pool: an error, never an overflow. */
	doc = malloc(len + 200);
	ck_assert_ptr_nonnull(doc);
	o = (size_t)sprintf(doc, "{\"Statement\":{\"Sid\":\"");
	memset(doc + o, 'a', len);
	o += len;
	sprintf(doc + o, "\",\"Effect\":\"Allow\",\"Principal\":\"*\","
	    "\"Action\":\"*\"}}");
	memset(&r, 0, sizeof(r));
	n = efs_iam_parse(cfg, doc, strlen(doc), 0, 1, cfg->policy, collect,
	    &r);
	ck_assert_int_eq(n, -EINVAL);
	ck_assert_msg(strstr(r.first, "too large") != NULL, "%s", r.first);
	ck_assert_uint_le(cfg->pool_used, EFS_IAM_POOL);
	free(doc);
	free(cfg);
}
END_TEST

/* ---- the configuration keys, through real files ---- */

static const struct efs_ident invoker = {
	.uid = 1234, .gid = 1235, .ngroups = 1, .groups = { 1235 }
};

struct files {
	char dir[512];
	char conf[600];
	struct efs_config *cfg;
	struct efs_diags *d;
	int rc;
};

static void
put_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	ck_assert_msg(fp != NULL, "%s: %s", path, strerror(errno));
	fputs(text, fp);
	fclose(fp);
}

/* Write conf (and json as DIR/p.json when not NULL) and load conf. */
static struct files *
load(const char *conf, const char *json)
{
	const char *t = getenv("TMPDIR");
	struct files *f = calloc(1, sizeof(*f));
	char path[700], *text;

	ck_assert_ptr_nonnull(f);
	snprintf(f->dir, sizeof(f->dir), "%s/efsap-iam-XXXXXX",
	    t != NULL && t[0] == '/' ? t : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(f->dir));
	snprintf(f->conf, sizeof(f->conf), "%s/efsap.conf", f->dir);
	text = dq(conf);
	put_file(f->conf, text);
	free(text);
	if (json != NULL) {
		snprintf(path, sizeof(path), "%s/p.json", f->dir);
		text = dq(json);
		put_file(path, text);
		free(text);
	}
	f->cfg = calloc(1, sizeof(*f->cfg));
	f->d = calloc(1, sizeof(*f->d));
	ck_assert_ptr_nonnull(f->cfg);
	ck_assert_ptr_nonnull(f->d);
	f->rc = efs_config_load(f->conf, &invoker, f->cfg, f->d);
	unlink(f->conf);
	snprintf(path, sizeof(path), "%s/p.json", f->dir);
	unlink(path);
	rmdir(f->dir);
	return f;
}

static void
files_free(struct files *f)
{
	free(f->cfg);
	free(f->d);
	free(f);
}

/* The first diagnostic containing text, or NULL. */
static const struct efs_diag *
find_diag(const struct efs_diags *d, const char *text)
{
	int i;

	for (i = 0; i < d->n; i++)
		if (strstr(d->d[i].msg, text) != NULL)
			return &d->d[i];
	return NULL;
}

#define CONF_FS(extra)	"file_system = { id = 'fs-1'; path = 'data'; " extra " };\n"
#define CONF_MNT	"mounts = ( { container_path = '/m'; iam = true; " \
			"transit_encryption = true; } );\n"
#define POLICY		"{'Version':'2012-10-17','Statement':[{'Sid':'NoWrite'," \
			"'Effect':'Deny','Principal':'*','Action':" \
			"'elasticfilesystem:ClientWrite'},{'Effect':'Allow'," \
			"'Principal':'*','Action':'*'}]}"

START_TEST(test_policy_file)
{
	struct files *f = load(CONF_FS("policy_file = 'p.json';") CONF_MNT,
	    POLICY);
	char want[600];
	struct efs_decision d;

	ck_assert_msg(f->rc == 0, "load: %d %s", f->rc, f->d->n ?
	    f->d->d[0].msg : "");
	ck_assert_int_eq(f->cfg->has_policy, 1);
	ck_assert_int_eq(f->cfg->npolicy, 2);
	ck_assert_int_eq(f->cfg->policy_src.form, EFS_FORM_FILE);
	ck_assert_int_eq(f->cfg->policy_src.line, 1);
	snprintf(want, sizeof(want), "%s/p.json", f->dir);
	ck_assert_str_eq(f->cfg->policy_src.file, want);
	ck_assert_int_eq(efs_policy_decide(f->cfg, &f->cfg->mounts[0], W, &d),
	    0);
	ck_assert_int_eq(d.stmt->index, 0);
	ck_assert_str_eq(efs_config_str(f->cfg, d.stmt->sid), "NoWrite");
	ck_assert_int_eq(efs_policy_decide(f->cfg, &f->cfg->mounts[0], M, NULL),
	    1);
	files_free(f);
}
END_TEST

START_TEST(test_policy_inline)
{
	struct files *f;
	char conf[2048], *p;

	/* The document as a libconfig string: its quotes escaped. */
	snprintf(conf, sizeof(conf), "file_system = { path = \"d\";\n"
	    "  policy = \"%s\"; };\n", POLICY);
	for (p = strstr(conf, "policy = \"") + 10; p[1] != ';'; p++)
		if (*p == '\'') {
			memmove(p + 2, p + 1, strlen(p + 1) + 1);
			p[0] = '\\';
			p[1] = '"';
			p++;
		}
	strcat(conf, "mounts = ( { container_path = \"/m\"; } );\n");
	f = load(conf, NULL);
	ck_assert_msg(f->rc == 0, "load: %s", f->d->n ? f->d->d[0].msg : "");
	ck_assert_int_eq(f->cfg->policy_src.form, EFS_FORM_JSON);
	ck_assert_int_eq(f->cfg->npolicy, 2);
	ck_assert_int_eq(f->cfg->policy[0].line, 2);
	ck_assert_int_eq(efs_policy_decide(f->cfg, &f->cfg->mounts[0], W, NULL),
	    0);
	files_free(f);
}
END_TEST

/* Configurations that must fail, with the diagnostic's file, line, column. */
static const struct {
	const char *name, *conf, *json, *want;
	int in_json;			/* the diagnostic names p.json */
	int line, column;
} fcases[] = {
	{ "policy and policy_file", CONF_FS("policy = ( { effect = 'Allow'; "
	    "actions = 'Client*'; } );\n policy_file = 'p.json';") CONF_MNT,
	    POLICY, "file_system.policy_file and file_system.policy exclude "
	    "each other", 0, 2, 0 },
	{ "role_policy and role_policy_file", CONF_FS("") "task = {\n"
	    " role_policy_file = 'p.json';\n role_policy = '{}'; };\n" CONF_MNT,
	    NULL, "task.role_policy_file and task.role_policy exclude each "
	    "other", 0, 3, 0 },
	{ "policy_file missing", CONF_FS("policy_file = 'nope.json';")
	    CONF_MNT, NULL, "file_system.policy_file: cannot open", 0, 1, 0 },
	{ "policy_file a directory", CONF_FS("policy_file = '.';") CONF_MNT,
	    NULL, "Is a directory", 0, 1, 0 },
	{ "policy_file empty", CONF_FS("policy_file = '';") CONF_MNT, NULL,
	    "must not be empty", 0, 1, 0 },
	{ "policy_file a number", CONF_FS("policy_file = 1;") CONF_MNT, NULL,
	    "must be a string", 0, 1, 0 },
	{ "JSON error in the file", CONF_FS("policy_file = 'p.json';")
	    CONF_MNT, "{\n  'Statement': [\n    {'Effect': 'Allow' 'x'}\n]}",
	    "'}' expected", 1, 3, 26 },
	{ "policy error in the file, at the statement's line",
	    CONF_FS("policy_file = 'p.json';") CONF_MNT, "{\n 'Statement': [\n"
	    "  {'Effect':'Allow','Principal':'*','Action':'*'},\n\n"
	    "  {'Effect':'Allow','Action':'*'}\n]}", "Principal is missing",
	    1, 5, 0 },
	{ "JSON error inline", CONF_FS("\n policy = '{\\n\\'Statement\\': "
	    "[,]}';") CONF_MNT, NULL, "file_system.policy: JSON line 2, "
	    "column 15:", 0, 2, 0 },
	{ "role policy with a Principal", CONF_FS("") "task = { "
	    "role_policy_file = 'p.json'; };\n" CONF_MNT, POLICY,
	    "must not name a Principal", 1, 1, 0 },
	{ "role_arn not an ARN", CONF_FS("") "task = { role_arn = 'app'; };\n"
	    CONF_MNT, NULL, "task.role_arn: \"app\" is not an ARN", 0, 2, 0 },
	{ "role_arn a user", CONF_FS("") "task = { role_arn = "
	    "'arn:aws:iam::111122223333:user/bob'; };\n" CONF_MNT, NULL,
	    "is not a role ARN", 0, 2, 0 },
	{ "role_arn short account", CONF_FS("") "task = { role_arn = "
	    "'arn:aws:iam::11112222333:role/app'; };\n" CONF_MNT, NULL,
	    "has no 12-digit account id", 0, 2, 0 },
	{ "role_arn bad partition", CONF_FS("") "task = { role_arn = "
	    "'arn:azure:iam::111122223333:role/app'; };\n" CONF_MNT, NULL,
	    "unknown partition", 0, 2, 0 },
	{ "role_arn bad name", CONF_FS("") "task = { role_arn = "
	    "'arn:aws:iam::111122223333:role/a b'; };\n" CONF_MNT, NULL,
	    "no valid role name", 0, 2, 0 },
	{ "account not 12 digits", CONF_FS("") "task = { account = "
	    "'1111-2222-3333'; };\n" CONF_MNT, NULL, "task.account: "
	    "\"1111-2222-3333\" is not an AWS account id", 0, 2, 0 },
	{ "region not a region", CONF_FS("") "task = { region = 'Ireland'; };\n"
	    CONF_MNT, NULL, "task.region: \"Ireland\" is not an AWS region", 0,
	    2, 0 },
	{ "region without a number", CONF_FS("") "task = { region = "
	    "'eu-west'; };\n" CONF_MNT, NULL, "is not an AWS region", 0, 2, 0 },
	{ "unknown task key near role_arn", CONF_FS("") "task = { role_ar = "
	    "'x'; };\n" CONF_MNT, NULL, "did you mean \"role_arn\"", 0, 2, 0 },
};

START_TEST(test_config_errors)
{
	struct files *f = load(fcases[_i].conf, fcases[_i].json);
	const struct efs_diag *e = find_diag(f->d, fcases[_i].want);
	char want_file[700];

	ck_assert_msg(f->rc == -EINVAL, "%s: rc %d", fcases[_i].name, f->rc);
	ck_assert_msg(e != NULL, "%s: no \"%s\" in %d diagnostics, first: %s",
	    fcases[_i].name, fcases[_i].want, f->d->n,
	    f->d->n > 0 ? f->d->d[0].msg : "");
	ck_assert_int_eq(e->warning, 0);
	snprintf(want_file, sizeof(want_file), "%s/%s", f->dir,
	    fcases[_i].in_json ? "p.json" : "efsap.conf");
	ck_assert_msg(strcmp(e->file, want_file) == 0 ||
	    (!fcases[_i].in_json && strstr(e->file, "efsap.conf") != NULL),
	    "%s: file %s", fcases[_i].name, e->file);
	ck_assert_msg(e->line == fcases[_i].line, "%s: line %d, want %d",
	    fcases[_i].name, e->line, fcases[_i].line);
	ck_assert_msg(e->column == fcases[_i].column, "%s: column %d, want %d",
	    fcases[_i].name, e->column, fcases[_i].column);
	files_free(f);
}
END_TEST

START_TEST(test_config_task_arns)
{
	struct files *f = load(CONF_FS("") "task = {\n role_arn = "
	    "'arn:aws:iam::111122223333:role/service-role/app+1';\n"
	    " account = '111122223333';\n region = 'us-gov-west-1'; };\n"
	    CONF_MNT, NULL);

	ck_assert_msg(f->rc == 0, "load: %s", f->d->n ? f->d->d[0].msg : "");
	ck_assert_str_eq(f->cfg->role_arn,
	    "arn:aws:iam::111122223333:role/service-role/app+1");
	ck_assert_str_eq(f->cfg->account, "111122223333");
	ck_assert_str_eq(f->cfg->region, "us-gov-west-1");
	ck_assert_int_eq(f->d->nwarnings, 0);
	files_free(f);
}
END_TEST

/* The longest warning still ends whole in a diagnostic of 256 bytes. */
START_TEST(test_long_names)
{
	char sid[100], key[120], doc[600], conf[1200], *p;
	struct files *f;

	memset(sid, 'S', sizeof(sid) - 1);
	sid[sizeof(sid) - 1] = '\0';
	memset(key, 'k', sizeof(key) - 1);
	key[sizeof(key) - 1] = '\0';
	memcpy(key, "aws:", 4);
	snprintf(doc, sizeof(doc), "{'Statement':[{'Sid':'%s','Effect':"
	    "'Allow','Principal':'*','Action':'*','Condition':{'StringEquals':"
	    "{'%s':'x'}}}]}", sid, key);
	snprintf(conf, sizeof(conf), "file_system = { path = 'd';\n\n\n"
	    "policy = '%s'; };\n" CONF_MNT, doc);
	/* inside the libconfig string, the JSON's quotes are \" */
	for (p = strstr(conf, "policy = '") + 10; p[1] != ';'; p++)
		if (*p == '\'') {
			memmove(p + 1, p, strlen(p) + 1);
			p[0] = '\\';
			p[1] = '"';
			p++;
		}
	f = load(conf, NULL);
	ck_assert_msg(f->rc == 0 && f->d->n == 1, "rc %d, %d diagnostics",
	    f->rc, f->d->n);
	p = f->d->d[0].msg;
	ck_assert_msg(strlen(p) > 13 && strcmp(p + strlen(p) - 13,
	    "never applies") == 0, "cut: %s", p);
	files_free(f);
}
END_TEST

/* Warnings efsap check gives about IAM statements that never apply. */
static const struct {
	const char *name, *conf, *json, *want;
} cwcases[] = {
	{ "ARN without account and region", CONF_FS("policy_file = 'p.json';")
	    CONF_MNT, ST("{'Effect':'Allow','Principal':'*','Action':'*',"
	    "'Resource':'" FS_ARN "'}"), "without task.account and "
	    "task.region efsap cannot form" },
	{ "Resource of another file system", CONF_FS("policy_file = 'p.json';")
	    "task = { account = '111122223333'; region = 'eu-west-1'; };\n"
	    CONF_MNT, ST("{'Effect':'Allow','Principal':'*','Action':'*',"
	    "'Resource':'arn:aws:elasticfilesystem:eu-west-1:111122223333:"
	    "file-system/fs-9'}"), "its Resource does not match this file "
	    "system" },
	{ "principal ARN without role_arn", CONF_FS("policy_file = 'p.json';")
	    CONF_MNT, ST("{'Effect':'Allow','Principal':{'AWS':'" ROLE_ARN
	    "'},'Action':'*'}"), "task.role_arn is not set" },
	{ "PrincipalArn without role_arn", CONF_FS("policy_file = 'p.json';")
	    CONF_MNT, ST("{'Effect':'Allow','Principal':'*','Action':'*',"
	    "'Condition':{'StringEquals':{'aws:PrincipalArn':'" ROLE_ARN
	    "'}}}"), "aws:PrincipalArn needs task.role_arn" },
	{ "Allow to an account", CONF_FS("policy_file = 'p.json';")
	    "task = { role_arn = '" ROLE_ARN "'; };\n" CONF_MNT,
	    ST("{'Effect':'Allow','Principal':{'AWS':['111122223333',"
	    "'arn:aws:iam::444455556666:root']},'Action':'*'}"),
	    "an Allow to an account only delegates" },
	{ "unknown operator", CONF_FS("policy_file = 'p.json';") CONF_MNT,
	    ST("{'Effect':'Allow','Principal':'*','Action':'*','Condition':"
	    "{'IpAddress':{'aws:SourceIp':'10.0.0.0/8'}}}"),
	    "does not evaluate the condition operator" },
};

START_TEST(test_config_warnings)
{
	struct files *f = load(cwcases[_i].conf, cwcases[_i].json);
	const struct efs_diag *e = find_diag(f->d, cwcases[_i].want);

	ck_assert_msg(f->rc == 0, "%s: rc %d: %s", cwcases[_i].name, f->rc,
	    f->d->n ? f->d->d[0].msg : "");
	ck_assert_msg(e != NULL && e->warning, "%s: no warning \"%s\"; "
	    "first: %s", cwcases[_i].name, cwcases[_i].want,
	    f->d->n ? f->d->d[0].msg : "");
	ck_assert_msg(strstr(e->file, "p.json") != NULL, "%s: in %s",
	    cwcases[_i].name, e->file);
	ck_assert_int_eq(e->line, 1);
	files_free(f);
}
END_TEST

Suite *
suite_iam(void)
{
	Suite *s = suite_create("iam");
	TCase *tc;

	tc = tcase_create("decide");
	tcase_add_loop_test(tc, test_decide, 0, NDCASES);
	suite_add_tcase(s, tc);

	tc = tcase_create("match");
	tcase_add_loop_test(tc, test_glob, 0,
	    (int)(sizeof(globs) / sizeof(globs[0])));
	tcase_add_loop_test(tc, test_arn_like, 0,
	    (int)(sizeof(arns) / sizeof(arns[0])));
	tcase_add_loop_test(tc, test_action_bits, 0,
	    (int)(sizeof(actions) / sizeof(actions[0])));
	tcase_add_test(tc, test_account);
	tcase_add_test(tc, test_config_arn);
	suite_add_tcase(s, tc);

	tc = tcase_create("describe");
	tcase_add_test(tc, test_describe);
	tcase_add_test(tc, test_describe_role);
	suite_add_tcase(s, tc);

	tc = tcase_create("parse");
	tcase_add_loop_test(tc, test_errors, 0, NECASES);
	tcase_add_loop_test(tc, test_warnings, 0,
	    (int)(sizeof(wcases) / sizeof(wcases[0])));
	tcase_add_test(tc, test_pool_full);
	suite_add_tcase(s, tc);

	tc = tcase_create("config");
	tcase_add_test(tc, test_policy_file);
	tcase_add_test(tc, test_policy_inline);
	tcase_add_loop_test(tc, test_config_errors, 0,
	    (int)(sizeof(fcases) / sizeof(fcases[0])));
	tcase_add_test(tc, test_config_task_arns);
	tcase_add_test(tc, test_long_names);
	tcase_add_loop_test(tc, test_config_warnings, 0,
	    (int)(sizeof(cwcases) / sizeof(cwcases[0])));
	suite_add_tcase(s, tc);
	return s;
}
