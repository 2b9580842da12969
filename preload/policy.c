/* SPDX-License-Identifier: MIT */
/*
 * policy.c: file system policy evaluation (SPEC 5.4), pure.
 *
 * IAM order: an explicit Deny that applies wins, then an explicit Allow,
 * then the implicit deny.  The file system policy is searched before the
 * task role policy, so that a report names the first deciding statement in
 * the order a reader finds them in the configuration.
 */
#include <stdio.h>
#include <string.h>

#include "policy.h"

/* The access point id of mount m, or NULL when it mounts without one. */
static const char *
mount_ap_id(const struct efs_config *cfg, const struct efs_mount *m)
{
	if (m->ap < 0 || m->ap >= cfg->naps)
		return NULL;
	return cfg->aps[m->ap].id;
}

/* Does statement s apply to `action` on mount m (principal aside)? */
static int
stmt_applies(const struct efs_stmt *s, const char *ap_id,
    const struct efs_mount *m, unsigned action)
{
	if ((s->actions & action) == 0)
		return 0;
	if (s->access_point[0] != '\0' &&
	    (ap_id == NULL || strcmp(s->access_point, ap_id) != 0))
		return 0;
	if (s->secure_transport != -1 &&
	    (s->secure_transport != 0) != (m->transit_encryption != 0))
		return 0;
	return 1;
}

/* Does principal p of a file system policy statement match this mount? */
static int
principal_matches(int p, const struct efs_mount *m)
{
	if (p == EFS_PRIN_ANY)
		return 1;
	return p == EFS_PRIN_TASK && m->iam;
}

/*
 * The first statement of fs policy (then role policy) with the given effect
 * that applies; its source in *src.  NULL when none does.
 */
static const struct efs_stmt *
find(const struct efs_config *cfg, const struct efs_mount *m, unsigned action,
    int deny, int *src)
{
	const char *ap_id = mount_ap_id(cfg, m);
	const struct efs_stmt *s;
	int i;

	if (cfg->has_policy) {
		for (i = 0; i < cfg->npolicy && i < EFS_MAX_STMTS; i++) {
			s = &cfg->policy[i];
			if ((s->deny != 0) == deny &&
			    principal_matches(s->principal, m) &&
			    stmt_applies(s, ap_id, m, action)) {
				*src = EFS_DEC_FS_POLICY;
				return s;
			}
		}
	}
	if (m->iam) {
		for (i = 0; i < cfg->nrole && i < EFS_MAX_STMTS; i++) {
			s = &cfg->role[i];
			if ((s->deny != 0) == deny &&
			    stmt_applies(s, ap_id, m, action)) {
				*src = EFS_DEC_ROLE_POLICY;
				return s;
			}
		}
	}
	return NULL;
}

int
efs_policy_decide(const struct efs_config *cfg, const struct efs_mount *m,
    unsigned action, struct efs_decision *out)
{
	struct efs_decision d;

	memset(&d, 0, sizeof(d));
	if ((d.stmt = find(cfg, m, action, 1, &d.source)) != NULL)
		d.allowed = 0;
	else if (!cfg->has_policy) {
		/* The default policy grants everything; nothing to find. */
		d.allowed = 1;
		d.source = EFS_DEC_DEFAULT;
	} else if ((d.stmt = find(cfg, m, action, 0, &d.source)) != NULL)
		d.allowed = 1;
	else {
		d.allowed = 0;
		d.source = EFS_DEC_IMPLICIT;
	}
	if (out != NULL)
		*out = d;
	return d.allowed;
}

const char *
efs_action_name(unsigned action)
{
	switch (action) {
	case EFS_ACT_MOUNT:
		return "ClientMount";
	case EFS_ACT_WRITE:
		return "ClientWrite";
	case EFS_ACT_ROOT:
		return "ClientRootAccess";
	case EFS_ACT_ALL:
		return "Client*";
	default:
		return "unknown action";
	}
}

char *
efs_decision_describe(const struct efs_decision *dec, char *buf, size_t len)
{
	const char *verb = dec->allowed ? "allowed" : "denied";
	const char *effect;

	if (len == 0)
		return buf;
	switch (dec->source) {
	case EFS_DEC_DEFAULT:
		if (dec->allowed)
			snprintf(buf, len, "allowed by the default file "
			    "system policy (no file_system.policy)");
		else
			snprintf(buf, len, "denied by the default file "
			    "system policy");
		break;
	case EFS_DEC_FS_POLICY:
	case EFS_DEC_ROLE_POLICY:
		if (dec->stmt == NULL) {
			snprintf(buf, len, "%s by %s", verb,
			    dec->source == EFS_DEC_FS_POLICY ?
			    "file_system.policy" : "task.role_policy");
			break;
		}
		effect = dec->stmt->deny ? "Deny" : "Allow";
		if (dec->source == EFS_DEC_ROLE_POLICY)
			snprintf(buf, len, "%s by task.role_policy statement "
			    "at line %d (%s)", verb, dec->stmt->line, effect);
		else
			snprintf(buf, len, "%s by file_system.policy "
			    "statement at line %d (%s \"%s\")", verb,
			    dec->stmt->line, effect,
			    dec->stmt->principal == EFS_PRIN_TASK ?
			    "task" : "*");
		break;
	case EFS_DEC_IMPLICIT:
	default:
		snprintf(buf, len, "denied: no statement allows it "
		    "(implicit deny)");
		break;
	}
	return buf;
}
