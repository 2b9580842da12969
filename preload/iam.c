/* SPDX-License-Identifier: MIT */
/*
 * iam.c: the IAM matching rules (wildcards, ARNs, actions, accounts) and
 * statement names.  Pure, without Jansson: linked into libefsap.so;
 * iam_parse.c turns IAM policy JSON into the flat statements of struct
 * efs_config (its comment tells the decisions).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "iam.h"

const char *
efs_iam_stmt_name(const char *sid, int index, int line, char *buf,
    size_t len)
{
	int n;

	if (len == 0)
		return buf;
	if (sid != NULL && sid[0] != '\0')
		n = snprintf(buf, len, "statement \"%.40s\" (Statement[%d]",
		    sid, index);
	else
		n = snprintf(buf, len, "statement Statement[%d]", index);
	if (n < 0 || (size_t)n >= len)
		return buf;
	if (line > 0)
		snprintf(buf + n, len - n, "%sline %d)",
		    sid != NULL && sid[0] != '\0' ? ", " : " (", line);
	else if (sid != NULL && sid[0] != '\0')
		snprintf(buf + n, len - n, ")");
	return buf;
}

/* ---- matching ---- */

static int
fold(int c, int icase)
{
	return icase && c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* Wildcard match of pattern[0..pn) against s[0..sn). */
static int
glob_n(const char *pat, size_t pn, const char *s, size_t sn, int icase)
{
	size_t pi = 0, si = 0, star = (size_t)-1, mark = 0;

	/* Greedy with one backtrack point: linear enough for policy sizes. */
	while (si < sn) {
		if (pi < pn && pat[pi] == '*') {
			star = pi++;
			mark = si;
		} else if (pi < pn && (pat[pi] == '?' ||
		    fold((unsigned char)pat[pi], icase) ==
		    fold((unsigned char)s[si], icase))) {
			pi++;
			si++;
		} else if (star != (size_t)-1) {
			pi = star + 1;
			si = ++mark;
		} else
			return 0;
	}
	while (pi < pn && pat[pi] == '*')
		pi++;
	return pi == pn;
}

int
efs_iam_glob(const char *pat, const char *s, int icase)
{
	return glob_n(pat, strlen(pat), s, strlen(s), icase);
}

/* The start of each of the six parts of an ARN, and the end; 0 or -1. */
static int
arn_split(const char *arn, const char *part[7])
{
	const char *p = arn, *c;
	int i;

	for (i = 0; i < 5; i++) {
		if ((c = strchr(p, ':')) == NULL)
			return -1;
		part[i] = p;
		p = c + 1;
	}
	part[5] = p;
	part[6] = p + strlen(p) + 1;	/* as if a ':' ended the last part */
	return 0;
}

int
efs_iam_arn_like(const char *pattern, const char *arn)
{
	const char *a[7], *b[7];
	int i;

	if (arn_split(pattern, a) != 0 || arn_split(arn, b) != 0)
		return 0;
	for (i = 0; i < 6; i++)
		if (!glob_n(a[i], a[i + 1] - a[i] - 1, b[i],
		    b[i + 1] - b[i] - 1, 0))
			return 0;
	return 1;
}

unsigned
efs_iam_action_bits(const char *pattern)
{
	static const struct {
		const char *name;
		unsigned bit;
	} acts[] = {
		{ "elasticfilesystem:ClientMount", EFS_ACT_MOUNT },
		{ "elasticfilesystem:ClientWrite", EFS_ACT_WRITE },
		{ "elasticfilesystem:ClientRootAccess", EFS_ACT_ROOT },
	};
	unsigned bits = 0;
	size_t i;

	for (i = 0; i < sizeof(acts) / sizeof(acts[0]); i++)
		if (efs_iam_glob(pattern, acts[i].name, 1))
			bits |= acts[i].bit;
	return bits;
}

int
efs_iam_is_account(const char *s)
{
	int i;

	for (i = 0; i < 12; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return s[12] == '\0';
}

const char *
efs_iam_account(const char *principal, char *buf, size_t len)
{
	const char *p = principal, *c;
	int i;

	if (len < 13)
		return NULL;
	if (efs_iam_is_account(principal)) {
		memcpy(buf, principal, 13);
		return buf;
	}
	if (strncmp(p, "arn:", 4) != 0)
		return NULL;
	for (i = 0; i < 4; i++) {
		if ((p = strchr(p, ':')) == NULL)
			return NULL;
		p++;
	}
	if ((c = strchr(p, ':')) == NULL || c - p != 12)
		return NULL;
	memcpy(buf, p, 12);
	buf[12] = '\0';
	return efs_iam_is_account(buf) ? buf : NULL;
}
