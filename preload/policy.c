/* SPDX-License-Identifier: MIT */
/*
 * policy.c: file system policy evaluation (SPEC 5.4), pure.
 *
 * IAM order: an explicit Deny that applies wins, then an explicit Allow,
 * then the implicit deny.  The file system policy is searched before the
 * task role policy, so that a report names the first deciding statement in
 * the order a reader finds them in the configuration.
 *
 * Statements from IAM policy JSON (st->iam) are matched against a request
 * context built from the mount, as EFS builds it for an NFS client
 * (efs-semantics.md 6.4, 6.5):
 * - the principal is the task role ARN (task.role_arn) for an iam mount,
 *   else anonymous, which only "*" names;
 * - the resource is the file system ARN, formed from task.region,
 *   task.account and file_system.id; without them it is unknown and only
 *   Resource "*" matches it;
 * - aws:SecureTransport is the mount's transit_encryption,
 *   elasticfilesystem:AccessedViaMountTarget is always true,
 *   elasticfilesystem:AccessPointArn is present for a mount through an
 *   access point, aws:PrincipalArn for an iam mount.  A key that is
 *   present but whose value efsap cannot form (an ARN without account and
 *   region, the role ARN without task.role_arn) matches no condition.
 *
 * Condition logic, from the IAM User Guide:
 * - "If the key that you specify in a policy condition is not present in
 *   the request context, the values do not match and the condition is
 *   false.  If the policy condition requires that the key is not matched,
 *   such as StringNotLike or ArnNotLike, and the right key is not present,
 *   the condition is true.  This logic applies to all condition operators
 *   except ...IfExists and Null check."  (reference_policies_elements_
 *   condition_operators.html)
 * - ...IfExists: an absent key makes the condition true; a present one is
 *   tested by the operator.  Null: "true" holds when the key is absent,
 *   "false" when present.  (same page)
 * - Several operators, and several keys under one operator, are ANDed;
 *   several values of one key are ORed, and a negated operator holds when
 *   no value matches (NOR).  (reference_policies_condition-logic-multiple-
 *   context-keys-or-values.html)
 * - Key names compare without regard to case, values with it, except the
 *   ...IgnoreCase operators and Bool.  (reference_policies_elements_
 *   condition.html)
 * - ArnEquals and ArnLike both match the six colon-separated parts of the
 *   ARN one by one, with wildcards.  (condition operators page, "Amazon
 *   Resource Name (ARN) condition operators")
 * An operator or key efsap does not evaluate makes its condition false,
 * for any operator (SPEC 5.10); `efsap check` warns about it.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "iam.h"
#include "policy.h"

/*
 * An ARN efsap forms: "arn:aws-us-gov:elasticfilesystem:" (33), a region
 * (31 at most), an account (12), "access-point/" and an id (127 at most).
 */
#define RES_ARN_MAX	256

/* A condition key's value in a request: absent, present, or present but unknown. */
enum kstate { K_ABSENT, K_PRESENT, K_UNKNOWN };

/* The request context of one mount, for IAM statements. */
struct req {
	int iam;			/* the principal is the task role */
	const char *role_arn;		/* "" when task.role_arn is not set */
	int has_fs_arn;
	char fs_arn[RES_ARN_MAX];
	int ap_state;			/* enum kstate */
	char ap_arn[RES_ARN_MAX];
	int tls;
};

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

static void
req_init(const struct efs_config *cfg, const struct efs_mount *m,
    const char *ap_id, struct req *r)
{
	r->iam = m->iam != 0;
	r->role_arn = cfg->role_arn;
	r->has_fs_arn = efs_config_arn(cfg, NULL, r->fs_arn,
	    sizeof(r->fs_arn)) == 0;
	if (ap_id == NULL)
		r->ap_state = K_ABSENT;
	else if (efs_config_arn(cfg, ap_id, r->ap_arn, sizeof(r->ap_arn)) == 0)
		r->ap_state = K_PRESENT;
	else
		r->ap_state = K_UNKNOWN;
	r->tls = m->transit_encryption != 0;
}

/* The value of key in request r: its state, and the value in *v. */
static int
key_value(const struct req *r, int key, const char **v)
{
	switch (key) {
	case EFS_KEY_SECURE_TRANSPORT:
		*v = r->tls ? "true" : "false";
		return K_PRESENT;
	case EFS_KEY_VIA_MOUNT_TARGET:
		*v = "true";
		return K_PRESENT;
	case EFS_KEY_ACCESS_POINT_ARN:
		*v = r->ap_arn;
		return r->ap_state;
	case EFS_KEY_PRINCIPAL_ARN:
		*v = r->role_arn;
		if (!r->iam)
			return K_ABSENT;
		return r->role_arn[0] != '\0' ? K_PRESENT : K_UNKNOWN;
	}
	return K_UNKNOWN;
}

static int
op_negated(int op)
{
	return op == EFS_OP_STRING_NOT_EQUALS ||
	    op == EFS_OP_STRING_NOT_EQUALS_IC || op == EFS_OP_STRING_NOT_LIKE ||
	    op == EFS_OP_ARN_NOT_EQUALS || op == EFS_OP_ARN_NOT_LIKE;
}

/* Does one policy value match the request's value under op (its positive form)? */
static int
value_matches(int op, const char *want, const char *have)
{
	switch (op) {
	case EFS_OP_STRING_EQUALS:
	case EFS_OP_STRING_NOT_EQUALS:
		return strcmp(want, have) == 0;
	case EFS_OP_STRING_EQUALS_IC:
	case EFS_OP_STRING_NOT_EQUALS_IC:
		return strcasecmp(want, have) == 0;
	case EFS_OP_STRING_LIKE:
	case EFS_OP_STRING_NOT_LIKE:
		return efs_iam_glob(want, have, 0);
	case EFS_OP_ARN_EQUALS:
	case EFS_OP_ARN_LIKE:
	case EFS_OP_ARN_NOT_EQUALS:
	case EFS_OP_ARN_NOT_LIKE:
		return efs_iam_arn_like(want, have);
	case EFS_OP_BOOL:
		return strcasecmp(want, have) == 0;
	}
	return 0;
}

/* Does condition c hold for request r? */
static int
cond_holds(const struct efs_config *cfg, const struct efs_cond *c,
    const struct req *r)
{
	const char *have = "", *want;
	uint32_t i;
	int state, any = 0;

	if (c->op == EFS_OP_UNKNOWN || c->key == EFS_KEY_UNKNOWN)
		return 0;
	state = key_value(r, c->key, &have);
	if (state == K_UNKNOWN)
		return 0;
	want = efs_config_str(cfg, c->values.off);
	if (c->op == EFS_OP_NULL) {
		for (i = 0; i < c->values.n; i++, want += strlen(want) + 1)
			if ((strcasecmp(want, "true") == 0 && state == K_ABSENT) ||
			    (strcasecmp(want, "false") == 0 &&
			    state == K_PRESENT))
				return 1;
		return 0;
	}
	if (state == K_ABSENT)
		return c->if_exists || op_negated(c->op);
	for (i = 0; i < c->values.n && !any; i++, want += strlen(want) + 1)
		any = value_matches(c->op, want, have);
	return op_negated(c->op) ? !any : any;
}

/*
 * Does one AWS principal of a policy name the request's principal?
 * accounts: whether an account principal counts.  IAM: an account in a
 * resource-based policy "delegates authority to the account", whose
 * identity-based policies must then grant (reference_policies_elements_
 * principal.html, "AWS account principals"); so an Allow naming the
 * account grants nothing by itself, while a Deny naming it, or a
 * NotPrincipal listing it, does concern every role of the account.
 */
static int
aws_principal_matches(const char *v, const struct req *r, int accounts)
{
	char a[16], b[16];

	if (strcmp(v, "*") == 0)
		return 1;
	if (!r->iam || r->role_arn[0] == '\0')
		return 0;		/* anonymous, or a role efsap cannot name */
	if (strcmp(v, r->role_arn) == 0)
		return 1;
	/* An account names every principal of that account: "ACCOUNT" or
	   arn:PARTITION:iam::ACCOUNT:root. */
	if (!accounts || efs_iam_account(v, a, sizeof(a)) == NULL ||
	    efs_iam_account(r->role_arn, b, sizeof(b)) == NULL ||
	    strcmp(a, b) != 0)
		return 0;
	return strchr(v, ':') == NULL || (strncmp(v, "arn:", 4) == 0 &&
	    strlen(v) > 5 && strcmp(v + strlen(v) - 5, ":root") == 0);
}

/* Principal / NotPrincipal of IAM statement s against the request. */
static int
iam_principal_matches(const struct efs_config *cfg, const struct efs_stmt *s,
    const struct req *r)
{
	const char *v = efs_config_str(cfg, s->prin.off);
	uint32_t i;
	int named = s->prin_any;
	int accounts = s->deny || s->prin_form == EFS_PF_NOT;

	for (i = 0; i < s->prin.n && !named; i++, v += strlen(v) + 1)
		named = aws_principal_matches(v, r, accounts);
	switch (s->prin_form) {
	case EFS_PF_PRINCIPAL:
		return named;
	case EFS_PF_NOT:
		return !named;
	}
	return 1;			/* an identity policy: the task role */
}

/* Resource / NotResource of IAM statement s against the file system ARN. */
static int
iam_resource_matches(const struct efs_config *cfg, const struct efs_stmt *s,
    const struct req *r)
{
	const char *v = efs_config_str(cfg, s->res.off);
	uint32_t i;
	int any = 0;

	if (!s->has_resource)
		return 1;		/* a file system policy: its own file system */
	for (i = 0; i < s->res.n && !any; i++, v += strlen(v) + 1)
		any = strcmp(v, "*") == 0 ||
		    (r->has_fs_arn && efs_iam_glob(v, r->fs_arn, 0));
	if (!s->not_resource)
		return any;
	/* NotResource: only a known ARN can be outside the list. */
	return !any && r->has_fs_arn;
}

/* Does IAM statement s apply to `action` in request r (principal included)? */
static int
iam_applies(const struct efs_config *cfg, const struct efs_stmt *s,
    const struct req *r, unsigned action)
{
	int i;

	if ((s->actions & action) == 0)
		return 0;
	if (!iam_principal_matches(cfg, s, r) ||
	    !iam_resource_matches(cfg, s, r))
		return 0;
	for (i = 0; i < s->ncond; i++) {
		if (s->cond + i < 0 || s->cond + i >= cfg->nconds ||
		    s->cond + i >= EFS_MAX_CONDS)
			return 0;
		if (!cond_holds(cfg, &cfg->conds[s->cond + i], r))
			return 0;
	}
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
	struct req r;
	int i;

	req_init(cfg, m, ap_id, &r);
	if (cfg->has_policy) {
		for (i = 0; i < cfg->npolicy && i < EFS_MAX_STMTS; i++) {
			s = &cfg->policy[i];
			if ((s->deny != 0) != deny)
				continue;
			if (s->iam ? iam_applies(cfg, s, &r, action) :
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
			if ((s->deny != 0) == deny && (s->iam ?
			    iam_applies(cfg, s, &r, action) :
			    stmt_applies(s, ap_id, m, action))) {
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
	d.cfg = cfg;
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

/*
 * "denied by statement "Sid" (Statement[1], line 9) of SOURCE (Deny)",
 * written in place: the library describes decisions on small stacks.
 */
static void
describe_iam(const struct efs_decision *dec, const char *verb,
    const char *effect, char *buf, size_t len)
{
	const struct efs_stmt *s = dec->stmt;
	const struct efs_policy_src *src = NULL;
	const char *sid = "";
	int role = dec->source == EFS_DEC_ROLE_POLICY, n;
	size_t o;

	if (dec->cfg != NULL) {
		sid = efs_config_str(dec->cfg, s->sid);
		src = role ? &dec->cfg->role_src : &dec->cfg->policy_src;
	}
	n = snprintf(buf, len, "%s by ", verb);
	if (n < 0 || (size_t)n >= len)
		return;
	o = (size_t)n;
	efs_iam_stmt_name(sid, s->index, s->jline, buf + o, len - o);
	o += strlen(buf + o);
	if (src != NULL && src->form == EFS_FORM_FILE)
		snprintf(buf + o, len - o, " of %s %s (%s)", role ?
		    "task.role_policy_file" : "file_system.policy_file",
		    src->file, effect);
	else if (s->line > 0)
		snprintf(buf + o, len - o, " of %s at line %d (%s)", role ?
		    "task.role_policy" : "file_system.policy", s->line, effect);
	else
		snprintf(buf + o, len - o, " of %s (%s)", role ?
		    "task.role_policy" : "file_system.policy", effect);
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
		if (dec->stmt->iam) {
			describe_iam(dec, verb, effect, buf, len);
			break;
		}
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
