/* SPDX-License-Identifier: MIT */
/*
 * iam.h: IAM policy JSON documents (a file system policy, a task role's
 * identity policy) read with Jansson into the flat statements of struct
 * efs_config (iam_parse.c), and the IAM matching rules that both the
 * parse and the evaluation (policy.c) use (iam.c, without Jansson).  Pure:
 * text in, configuration out.
 */
#ifndef EFSAP_IAM_H
#define EFSAP_IAM_H

#include <stddef.h>

#include "config.h"

struct json_t;			/* Jansson's json_t: only iam_parse.c and the tool include it */

/*
 * Where a problem goes: warning 0 (error) or 1, the line and column in the
 * JSON document (0 when none applies), and the message, which names the
 * statement ("statement \"Sid\" (Statement[2], line 9)") when it is about
 * one.
 */
typedef void efs_iam_report_fn(void *arg, int warning, int line, int column,
    const char *msg);

/*
 * Parse the IAM policy document text (len bytes, not NUL-terminated
 * necessarily) into stmts, which has room for EFS_MAX_STMTS; strings go to
 * cfg->pool and conditions to cfg->conds.  role: 1 for an identity policy
 * (no Principal; Resource required), 0 for a file system policy (Principal
 * required).  conf_line becomes every statement's line.
 * Returns the number of statements, or -EINVAL when the document is not a
 * valid policy (every problem reported through report).
 */
int efs_iam_parse(struct efs_config *cfg, const char *text, size_t len,
    int role, int conf_line, struct efs_stmt *stmts,
    efs_iam_report_fn *report, void *arg);

/*
 * IAM wildcard matching: '*' any run of characters, '?' any one character;
 * icase: ASCII letters compare without regard to case (action names).
 * Returns 1 on a match.
 */
int efs_iam_glob(const char *pattern, const char *s, int icase);

/* What a JSON value is, for messages: "an object", "a string", "a number"... */
const char *efs_iam_json_type(const struct json_t *v);

/*
 * ArnLike/ArnEquals: the six colon-separated parts of an ARN compared one
 * by one, each with wildcards (the resource part, the sixth, keeps its own
 * colons).  Returns 1 on a match; a value that is not an ARN never matches.
 */
int efs_iam_arn_like(const char *pattern, const char *arn);

/*
 * A statement's name for messages: "statement \"Sid\" (Statement[2],
 * line 9)", or "statement Statement[2] (line 9)" without a Sid; line 0
 * leaves the line out.  Returns buf.
 */
const char *efs_iam_stmt_name(const char *sid, int index, int line,
    char *buf, size_t len);

/* Is s an AWS account id (12 digits)? */
int efs_iam_is_account(const char *s);

/* The EFS client action bits that an Action pattern (one string) names. */
unsigned efs_iam_action_bits(const char *pattern);

/*
 * The account of a principal as a policy names it: "123456789012", or an
 * ARN's fifth part.  Copies it into buf (13 bytes at least); returns buf,
 * or NULL when it has none.
 */
const char *efs_iam_account(const char *principal, char *buf, size_t len);

#endif
