/* SPDX-License-Identifier: MIT */
/*
 * iam_parse.c: IAM policy JSON into the flat statements of struct
 * efs_config, with Jansson (the matching rules are iam.c's).  Pure; linked
 * into the tool, the unit tests and libefsap-conf.so.
 *
 * Jansson parses; this file checks the grammar of the IAM policy language
 * ("IAM JSON policy element reference", docs.aws.amazon.com/IAM/latest/
 * UserGuide/reference_policies_elements.html) and keeps what evaluation
 * needs, with no pointer: strings go to cfg->pool, conditions to
 * cfg->conds, each statement remembers offsets and counts.
 *
 * Decisions:
 * - A document IAM would refuse is an error: a Version other than
 *   2012-10-17 or 2008-10-17, an unknown element, both or neither of
 *   Action and NotAction, a Principal in an identity policy (IAM:
 *   "Policy document should not specify a principal"), none in a file
 *   system policy (EFS: a resource policy needs one), a missing Resource in
 *   an identity policy.  A file system policy without Resource applies to
 *   the file system it is attached to.
 * - An Action names EFS client actions by wildcard, case-insensitively;
 *   the statement keeps the bits of the three it covers (NotAction: the
 *   others).  Actions of other services are legal and cover nothing.
 * - A condition operator or key efsap does not evaluate is kept as
 *   unknown and warned about: the statement then never applies (the
 *   contract of SPEC 5.10; IAM itself treats an absent key as no match).
 * - Statement lines: Jansson gives no position of a value, so after a
 *   successful parse a small scan of the (now known valid) text finds the
 *   line where each element of "Statement" starts, for messages.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "iam.h"

#define MSG_MAX	320

struct pctx {
	struct efs_config *cfg;
	efs_iam_report_fn *report;
	void *arg;
	int role;
	int errors;
	int full;			/* the pool or the condition table overflowed (reported once) */
	int cur_line;			/* of the statement being parsed, 0 unknown */
	int lines[EFS_MAX_STMTS];	/* where each statement starts, 0 unknown */
	int nlines;
};

/* Which statement, for messages: "statement \"Sid\" (Statement[2], line 9)". */
struct where {
	char s[160];
};

static void say(struct pctx *, int, int, const char *, ...)
    __attribute__((format(printf, 4, 5)));

static void
say(struct pctx *p, int warning, int line, const char *fmt, ...)
{
	char msg[MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!warning)
		p->errors++;
	p->report(p->arg, warning, line > 0 ? line : p->cur_line, 0, msg);
}


static const char *
where(struct where *w, const char *sid, int index, int line)
{
	return efs_iam_stmt_name(sid, index, line, w->s, sizeof(w->s));
}

/* ---- the string pool ---- */

/* Append s; its offset, or 0 when the pool is full (reported). */
static uint32_t
pool_add(struct pctx *p, const char *s)
{
	struct efs_config *cfg = p->cfg;
	size_t n = strlen(s) + 1;
	uint32_t off;

	if (cfg->pool_used == 0) {
		cfg->pool[0] = '\0';
		cfg->pool_used = 1;
	}
	if (n > sizeof(cfg->pool) - cfg->pool_used) {
		if (!p->full)
			say(p, 0, 0, "the policies are too large for efsap "
			    "(more than %zu bytes of strings)",
			    sizeof(cfg->pool));
		p->full = 1;
		p->errors++;
		return 0;
	}
	off = cfg->pool_used;
	memcpy(cfg->pool + off, s, n);
	cfg->pool_used += n;
	return off;
}

/* ---- statement lines ---- */

/*
 * Where each element of the top-level "Statement" starts, in text that
 * Jansson has accepted (so strings are closed and brackets balance).
 */
static void
find_lines(struct pctx *p, const char *t, size_t len)
{
	size_t i, kstart = 0;
	int line = 1, depth = 0, in_str = 0, expect_key = 0, is_key = 0;
	int want_value = 0, arr_depth = -1, want_elem = 0;

	p->nlines = 0;
	for (i = 0; i < len; i++) {
		char c = t[i];

		if (in_str) {
			if (c == '\\')
				i++;
			else if (c == '"') {
				in_str = 0;
				if (is_key && i - kstart == 9 &&
				    memcmp(t + kstart, "Statement", 9) == 0)
					want_value = 1;
			}
			continue;
		}
		if (c == '\n') {
			line++;
			continue;
		}
		if (c == ' ' || c == '\t' || c == '\r')
			continue;
		if (want_elem && c != ']') {
			if (p->nlines < EFS_MAX_STMTS)
				p->lines[p->nlines++] = line;
			want_elem = 0;
		}
		if (want_value && c != ':') {
			want_value = 0;
			if (c == '{' && p->nlines < EFS_MAX_STMTS)
				p->lines[p->nlines++] = line;
			else if (c == '[') {
				arr_depth = depth + 1;
				want_elem = 1;
			}
		}
		switch (c) {
		case '"':
			in_str = 1;
			is_key = depth == 1 && expect_key;
			expect_key = 0;
			kstart = i + 1;
			break;
		case '{':
		case '[':
			depth++;
			expect_key = depth == 1 && c == '{';
			break;
		case '}':
		case ']':
			if (depth == arr_depth)
				arr_depth = -1;
			depth--;
			break;
		case ',':
			if (depth == 1)
				expect_key = 1;
			if (depth == arr_depth)
				want_elem = 1;
			break;
		}
	}
}

/* ---- the grammar ---- */

const char *
efs_iam_json_type(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return "an object";
	case JSON_ARRAY:
		return "an array";
	case JSON_STRING:
		return "a string";
	case JSON_INTEGER:
		return "an integer";
	case JSON_REAL:
		return "a number";
	case JSON_TRUE:
	case JSON_FALSE:
		return "a boolean";
	case JSON_NULL:
		return "null";
	}
	return "an unknown value";
}

/*
 * A string or an array of strings (a "value list" of the grammar) into the
 * pool as one list.  scalars: booleans and numbers are written as text
 * (condition values).  Returns 0, or -1 (reported).
 */
static int
string_list(struct pctx *p, const json_t *v, int scalars, const char *what,
    const char *w, struct efs_strs *out)
{
	const json_t *e;
	char num[64];
	const char *s;
	size_t i, n = 1;
	uint32_t off;

	out->off = 0;
	out->n = 0;
	if (json_is_array(v)) {
		n = json_array_size(v);
		if (n == 0) {
			say(p, 0, 0, "%s: %s is an empty array", w, what);
			return -1;
		}
	}
	for (i = 0; i < n; i++) {
		e = json_is_array(v) ? json_array_get(v, i) : v;
		if (json_is_string(e))
			s = json_string_value(e);
		else if (scalars && json_is_boolean(e))
			s = json_is_true(e) ? "true" : "false";
		else if (scalars && json_is_integer(e)) {
			snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT,
			    json_integer_value(e));
			s = num;
		} else if (scalars && json_is_real(e)) {
			snprintf(num, sizeof(num), "%g", json_real_value(e));
			s = num;
		} else {
			say(p, 0, 0, "%s: %s must be a string or an array of "
			    "strings, not %s", w, what, efs_iam_json_type(e));
			return -1;
		}
		if ((off = pool_add(p, s)) == 0)
			return -1;
		if (i == 0)
			out->off = off;
	}
	out->n = n;
	return 0;
}

/* The next string of a list: s, then the one after it in the pool. */
static const char *
next_str(const char *s)
{
	return s + strlen(s) + 1;
}

static int
parse_action(struct pctx *p, const json_t *v, int not, const char *w,
    struct efs_stmt *st)
{
	struct efs_strs l;
	const char *s;
	unsigned bits = 0;
	uint32_t i;

	if (string_list(p, v, 0, not ? "NotAction" : "Action", w, &l) != 0)
		return -1;
	s = efs_config_str(p->cfg, l.off);
	for (i = 0; i < l.n; i++, s = next_str(s)) {
		if (strcmp(s, "*") != 0 && (strchr(s, ':') == NULL ||
		    s[0] == ':')) {
			say(p, 0, 0, "%s: action \"%.80s\" is not \"*\" or "
			    "\"service:action\" (such as "
			    "\"elasticfilesystem:ClientWrite\")", w, s);
			return -1;
		}
		bits |= efs_iam_action_bits(s);
	}
	st->actions = not ? (EFS_ACT_ALL & ~bits) : bits;
	return 0;
}

/* One AWS principal value: "*", an account id or an ARN.  0 or -1. */
static int
check_aws_principal(struct pctx *p, const char *s, const char *w)
{
	if (strcmp(s, "*") == 0 || efs_iam_is_account(s))
		return 0;
	if (strncmp(s, "arn:", 4) == 0 && strchr(s + 4, ':') != NULL)
		return 0;
	say(p, 0, 0, "%s: principal \"%.80s\" is not \"*\", an account id "
	    "(12 digits) or an ARN", w, s);
	return -1;
}

static int
parse_principal(struct pctx *p, const json_t *v, int not, const char *w,
    struct efs_stmt *st)
{
	const char *name = not ? "NotPrincipal" : "Principal", *key, *s;
	const json_t *val;
	struct efs_strs l;
	uint32_t i;

	st->prin_form = not ? EFS_PF_NOT : EFS_PF_PRINCIPAL;
	if (json_is_string(v)) {
		if (strcmp(json_string_value(v), "*") != 0) {
			say(p, 0, 0, "%s: %s as a string must be \"*\"; name "
			    "principals as {\"AWS\": [ ... ]}", w, name);
			return -1;
		}
		st->prin_any = 1;
		return 0;
	}
	if (!json_is_object(v) || json_object_size(v) == 0) {
		say(p, 0, 0, "%s: %s must be \"*\" or an object such as "
		    "{\"AWS\": \"arn:aws:iam::111122223333:role/name\"}", w,
		    name);
		return -1;
	}
	json_object_foreach((json_t *)v, key, val) {
		if (strcmp(key, "AWS") == 0) {
			if (string_list(p, val, 0, "AWS", w, &l) != 0)
				return -1;
			s = efs_config_str(p->cfg, l.off);
			for (i = 0; i < l.n; i++, s = next_str(s)) {
				if (check_aws_principal(p, s, w) != 0)
					return -1;
				if (strcmp(s, "*") == 0)
					st->prin_any = 1;
			}
			st->prin = l;
		} else if (strcmp(key, "Service") == 0 ||
		    strcmp(key, "Federated") == 0 ||
		    strcmp(key, "CanonicalUser") == 0) {
			/* Legal, and never an EFS client: not kept. */
			if (!json_is_string(val) && !json_is_array(val)) {
				say(p, 0, 0, "%s: %s.%s must be a string or an "
				    "array of strings", w, name, key);
				return -1;
			}
		} else {
			say(p, 0, 0, "%s: %s has an unknown principal type "
			    "\"%.40s\" (AWS, Service, Federated or "
			    "CanonicalUser)", w, name, key);
			return -1;
		}
	}
	return 0;
}

static int
parse_resource(struct pctx *p, const json_t *v, int not, const char *w,
    struct efs_stmt *st)
{
	st->has_resource = 1;
	st->not_resource = not;
	return string_list(p, v, 0, not ? "NotResource" : "Resource", w,
	    &st->res);
}

/* The operator name without IfExists: its enum, or EFS_OP_UNKNOWN. */
static int
op_of(const char *name, int *if_exists)
{
	static const struct {
		const char *name;
		int op;
	} ops[] = {
		{ "StringEquals", EFS_OP_STRING_EQUALS },
		{ "StringNotEquals", EFS_OP_STRING_NOT_EQUALS },
		{ "StringEqualsIgnoreCase", EFS_OP_STRING_EQUALS_IC },
		{ "StringNotEqualsIgnoreCase", EFS_OP_STRING_NOT_EQUALS_IC },
		{ "StringLike", EFS_OP_STRING_LIKE },
		{ "StringNotLike", EFS_OP_STRING_NOT_LIKE },
		{ "ArnEquals", EFS_OP_ARN_EQUALS },
		{ "ArnLike", EFS_OP_ARN_LIKE },
		{ "ArnNotEquals", EFS_OP_ARN_NOT_EQUALS },
		{ "ArnNotLike", EFS_OP_ARN_NOT_LIKE },
		{ "Bool", EFS_OP_BOOL },
		{ "Null", EFS_OP_NULL },
	};
	static const char sfx[] = "IfExists";
	char base[64];
	size_t i, n = strlen(name);

	*if_exists = 0;
	if (n >= sizeof(base))
		return EFS_OP_UNKNOWN;
	memcpy(base, name, n + 1);
	if (n > sizeof(sfx) - 1 && strcmp(base + n - (sizeof(sfx) - 1),
	    sfx) == 0) {
		base[n - (sizeof(sfx) - 1)] = '\0';
		*if_exists = 1;
	}
	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (strcmp(base, ops[i].name) == 0) {
			/* Null has no IfExists form (IAM). */
			if (ops[i].op == EFS_OP_NULL && *if_exists)
				return EFS_OP_UNKNOWN;
			return ops[i].op;
		}
	return EFS_OP_UNKNOWN;
}

/* Condition keys are not case-sensitive (IAM). */
static int
key_of(const char *name)
{
	static const struct {
		const char *name;
		int key;
	} keys[] = {
		{ "aws:SecureTransport", EFS_KEY_SECURE_TRANSPORT },
		{ "elasticfilesystem:AccessedViaMountTarget",
		    EFS_KEY_VIA_MOUNT_TARGET },
		{ "elasticfilesystem:AccessPointArn", EFS_KEY_ACCESS_POINT_ARN },
		{ "aws:PrincipalArn", EFS_KEY_PRINCIPAL_ARN },
	};
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (strcasecmp(name, keys[i].name) == 0)
			return keys[i].key;
	return EFS_KEY_UNKNOWN;
}

static int
parse_condition(struct pctx *p, const json_t *v, const char *w,
    struct efs_stmt *st)
{
	struct efs_config *cfg = p->cfg;
	struct efs_cond *c;
	const char *opname, *keyname;
	const json_t *keys, *vals;

	if (!json_is_object(v)) {
		say(p, 0, 0, "%s: Condition must be an object "
		    "{\"Operator\": {\"key\": values}}, not %s", w,
		    efs_iam_json_type(v));
		return -1;
	}
	st->cond = cfg->nconds;
	st->ncond = 0;
	json_object_foreach((json_t *)v, opname, keys) {
		if (!json_is_object(keys) || json_object_size(keys) == 0) {
			say(p, 0, 0, "%s: Condition operator \"%.60s\" must "
			    "hold an object {\"key\": values}", w, opname);
			return -1;
		}
		json_object_foreach((json_t *)keys, keyname, vals) {
			if (cfg->nconds >= EFS_MAX_CONDS) {
				if (!p->full)
					say(p, 0, 0, "%s: more than %d "
					    "condition keys in the policies",
					    w, EFS_MAX_CONDS);
				p->full = 1;
				p->errors++;
				return -1;
			}
			c = &cfg->conds[cfg->nconds];
			memset(c, 0, sizeof(*c));
			c->op = op_of(opname, &c->if_exists);
			c->key = key_of(keyname);
			if ((c->op_name = pool_add(p, opname)) == 0 ||
			    (c->key_name = pool_add(p, keyname)) == 0)
				return -1;
			if (string_list(p, vals, 1, keyname, w,
			    &c->values) != 0)
				return -1;
			if (c->op == EFS_OP_UNKNOWN)
				say(p, 1, 0, "%s: efsap does not evaluate the "
				    "condition operator \"%.60s\": the "
				    "statement never applies", w, opname);
			else if (c->key == EFS_KEY_UNKNOWN)
				say(p, 1, 0, "%s: efsap does not evaluate the "
				    "condition key \"%.60s\": the statement "
				    "never applies", w, keyname);
			cfg->nconds++;
			st->ncond++;
		}
	}
	return 0;
}

static int
parse_statement(struct pctx *p, const json_t *v, int index,
    struct efs_stmt *st)
{
	static const char *const known[] = { "Sid", "Effect", "Principal",
	    "NotPrincipal", "Action", "NotAction", "Resource", "NotResource",
	    "Condition", NULL };
	const json_t *m, *a, *na;
	const char *key, *sid = NULL, *eff;
	struct where wb;
	const char *w;
	int i, errors = p->errors;

	st->iam = 1;
	st->index = index;
	st->jline = index < p->nlines ? p->lines[index] : 0;
	st->principal = p->role ? EFS_PRIN_TASK : EFS_PRIN_ANY;
	st->secure_transport = -1;
	if (json_is_object(v) && (m = json_object_get(v, "Sid")) != NULL &&
	    json_is_string(m))
		sid = json_string_value(m);
	w = where(&wb, sid, index, st->jline);
	p->cur_line = st->jline;
	if (!json_is_object(v)) {
		say(p, 0, 0, "%s must be an object, not %s", w,
		    efs_iam_json_type(v));
		return -1;
	}
	json_object_foreach((json_t *)v, key, m) {
		for (i = 0; known[i] != NULL; i++)
			if (strcmp(key, known[i]) == 0)
				break;
		if (known[i] == NULL)
			say(p, 0, 0, "%s: unknown element \"%.60s\" (Sid, "
			    "Effect, Principal, NotPrincipal, Action, "
			    "NotAction, Resource, NotResource, Condition)", w,
			    key);
	}
	if ((m = json_object_get(v, "Sid")) != NULL) {
		if (!json_is_string(m))
			say(p, 0, 0, "%s: Sid must be a string", w);
		else if ((st->sid = pool_add(p, sid)) == 0)
			return -1;
	}

	if ((m = json_object_get(v, "Effect")) == NULL)
		say(p, 0, 0, "%s: Effect is missing (\"Allow\" or \"Deny\")",
		    w);
	else if (!json_is_string(m) ||
	    (strcmp((eff = json_string_value(m)), "Allow") != 0 &&
	    strcmp(eff, "Deny") != 0))
		say(p, 0, 0, "%s: Effect must be \"Allow\" or \"Deny\"", w);
	else
		st->deny = strcmp(eff, "Deny") == 0;

	a = json_object_get(v, "Action");
	na = json_object_get(v, "NotAction");
	if (a != NULL && na != NULL)
		say(p, 0, 0, "%s: has both Action and NotAction", w);
	else if (a == NULL && na == NULL)
		say(p, 0, 0, "%s: Action (or NotAction) is missing", w);
	else
		parse_action(p, a != NULL ? a : na, a == NULL, w, st);

	a = json_object_get(v, "Principal");
	na = json_object_get(v, "NotPrincipal");
	if (p->role && (a != NULL || na != NULL))
		say(p, 0, 0, "%s: an identity policy (task.role_policy) must "
		    "not name a %s; its principal is the task role", w,
		    a != NULL ? "Principal" : "NotPrincipal");
	else if (a != NULL && na != NULL)
		say(p, 0, 0, "%s: has both Principal and NotPrincipal", w);
	else if (!p->role && a == NULL && na == NULL)
		say(p, 0, 0, "%s: Principal is missing (a file system policy "
		    "names who it applies to: \"*\" for anyone)", w);
	else if (!p->role)
		parse_principal(p, a != NULL ? a : na, a == NULL, w, st);

	a = json_object_get(v, "Resource");
	na = json_object_get(v, "NotResource");
	if (a != NULL && na != NULL)
		say(p, 0, 0, "%s: has both Resource and NotResource", w);
	else if (p->role && a == NULL && na == NULL)
		say(p, 0, 0, "%s: Resource is missing (an identity policy "
		    "names the file system ARN, or \"*\")", w);
	else if (a != NULL || na != NULL)
		parse_resource(p, a != NULL ? a : na, a == NULL, w, st);

	if ((m = json_object_get(v, "Condition")) != NULL)
		parse_condition(p, m, w, st);
	return p->errors > errors ? -1 : 0;
}

/* Report a Jansson error at its line and column. */
static void
json_problem(struct pctx *p, const json_error_t *e)
{
	p->errors++;
	p->report(p->arg, 0, e->line > 0 ? e->line : 0,
	    e->column > 0 ? e->column : 0, e->text);
}

int
efs_iam_parse(struct efs_config *cfg, const char *text, size_t len,
    int role, int conf_line, struct efs_stmt *stmts,
    efs_iam_report_fn *report, void *arg)
{
	static const char *const known[] = { "Version", "Id", "Statement",
	    NULL };
	struct pctx p;
	json_error_t e;
	json_t *doc, *list, *m;
	const char *key, *ver;
	size_t i, n;
	int k;

	memset(&p, 0, sizeof(p));
	p.cfg = cfg;
	p.report = report;
	p.arg = arg;
	p.role = role;
	/* A fixed hash seed: no read of /dev/urandom from inside a host
	   program, and the documents are the user's own, not an attacker's. */
	json_object_seed(0x65667361);
	doc = json_loadb(text, len, JSON_REJECT_DUPLICATES, &e);
	if (doc == NULL) {
		json_problem(&p, &e);
		return -EINVAL;
	}
	if (!json_is_object(doc)) {
		say(&p, 0, 1, "a policy document is a JSON object "
		    "{\"Version\": ..., \"Statement\": [ ... ]}, not %s",
		    efs_iam_json_type(doc));
		json_decref(doc);
		return -EINVAL;
	}
	json_object_foreach(doc, key, m) {
		for (k = 0; known[k] != NULL; k++)
			if (strcmp(key, known[k]) == 0)
				break;
		if (known[k] == NULL)
			say(&p, 0, 0, "unknown top-level element \"%.60s\" "
			    "(Version, Id, Statement)", key);
	}
	if ((m = json_object_get(doc, "Version")) != NULL &&
	    (!json_is_string(m) ||
	    (strcmp((ver = json_string_value(m)), "2012-10-17") != 0 &&
	    strcmp(ver, "2008-10-17") != 0)))
		say(&p, 0, 0, "Version must be \"2012-10-17\" (or the older "
		    "\"2008-10-17\")");
	if ((m = json_object_get(doc, "Id")) != NULL && !json_is_string(m))
		say(&p, 0, 0, "Id must be a string");

	n = 0;
	if ((list = json_object_get(doc, "Statement")) == NULL)
		say(&p, 0, 0, "Statement is missing");
	else if (json_is_array(list) && json_array_size(list) == 0)
		say(&p, 0, 0, "Statement is an empty array (AWS requires one "
		    "statement at least)");
	else if (!json_is_array(list) && !json_is_object(list))
		say(&p, 0, 0, "Statement must be an object or an array of "
		    "objects, not %s", efs_iam_json_type(list));
	else {
		n = json_is_array(list) ? json_array_size(list) : 1;
		if (n > EFS_MAX_STMTS) {
			say(&p, 0, 0, "%zu statements, at most %d", n,
			    EFS_MAX_STMTS);
			n = EFS_MAX_STMTS;
		}
		find_lines(&p, text, len);
		for (i = 0; i < n; i++) {
			memset(&stmts[i], 0, sizeof(stmts[i]));
			stmts[i].line = conf_line;
			parse_statement(&p, json_is_array(list) ?
			    json_array_get(list, i) : list, (int)i, &stmts[i]);
		}
		p.cur_line = 0;
	}
	json_decref(doc);
	return p.errors > 0 ? -EINVAL : (int)n;
}
