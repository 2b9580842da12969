/* SPDX-License-Identifier: MIT */
/*
 * policy.h: file system policy evaluation (SPEC 5.4), pure.
 */
#ifndef EFSAP_POLICY_H
#define EFSAP_POLICY_H

#include "config.h"

enum efs_dec_source {
	EFS_DEC_DEFAULT = 0,		/* no file_system.policy: the default EFS policy allows */
	EFS_DEC_FS_POLICY = 1,		/* a statement of file_system.policy decided */
	EFS_DEC_ROLE_POLICY = 2,	/* a statement of task.role_policy decided */
	EFS_DEC_IMPLICIT = 3		/* no statement applies: implicit deny */
};

struct efs_decision {
	int allowed;
	int source;			/* enum efs_dec_source */
	const struct efs_stmt *stmt;	/* the deciding statement, NULL for DEFAULT and IMPLICIT */
	const struct efs_config *cfg;	/* where stmt lives (its Sid, its file); may be NULL */
};

/*
 * Decide one action (a single EFS_ACT_* bit) for mount m of cfg.
 * Principal: the task role when m->iam, else anonymous.  Deny wins, then
 * Allow, then implicit deny; no file_system.policy means the default policy
 * (everything allowed to anyone; the role policy still may Deny).
 * Statements from IAM policy JSON are matched as IAM does (Action,
 * Principal, Resource against the file system ARN, Condition).
 * Returns 1 when allowed, 0 when denied, and fills *out when not NULL.
 */
int efs_policy_decide(const struct efs_config *cfg, const struct efs_mount *m,
    unsigned action, struct efs_decision *out);

/* "ClientMount", "ClientWrite", "ClientRootAccess" for one action bit. */
const char *efs_action_name(unsigned action);

/*
 * Describe a decision in one line for humans, e.g.
 * "allowed by file_system.policy statement at line 12 (Allow \"*\")",
 * "denied by statement \"DenyWrite\" (Statement[1], line 9) of
 *  file_system.policy_file /srv/fs-policy.json (Deny)",
 * "denied: no statement allows it (implicit deny)",
 * "allowed by the default file system policy".
 * Returns buf.
 */
char *efs_decision_describe(const struct efs_decision *dec, char *buf, size_t len);

#endif
