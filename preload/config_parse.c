/* SPDX-License-Identifier: MIT */
/*
 * config_parse.c: load and validate an efsap configuration file (SPEC 2)
 * with libconfig.  Linked into the tool, the unit tests and
 * libefsap-conf.so, never into libefsap.so itself (which loads that only
 * when it has no compiled configuration, cconf.h).
 *
 * The file is read whole (at most 1 MiB) and pre-scanned before libconfig
 * sees it: the bytes must be UTF-8 without NUL, nesting may not exceed 32
 * levels, @include is refused (a configuration is one file), and every
 * plain integer literal gets an "L" suffix (64 bits), because libconfig 1.5
 * silently truncates one beyond 32 bits (4294967295 would read as -1).
 * Then every rule is checked; every error and warning is collected with
 * its line.
 *
 * Diagnostics name settings with libconfig's path syntax and 0-based
 * indexes, e.g. "access_points.[1].root_directory.path: ...".  A diagnostic
 * about the whole file (a missing top-level key, an unreadable file) has
 * line 0.
 *
 * Decisions the contract leaves open:
 * - file_system, file_system.path and a non-empty mounts list are required;
 *   an empty file is an error ("empty configuration").
 * - A policy list with no statement is an error, as AWS requires one.
 * - Actions are matched without regard to case (as IAM does), with or
 *   without the "elasticfilesystem:" prefix, and may be one string or a
 *   list of strings.  An access_point condition may be an access point ARN.
 * - task.user "UID" alone has gid 0, as Docker gives a uid without a passwd
 *   entry in the image; a warning says so, since EFS treats gid 0 as root.
 * - The configuration path is made absolute lexically (symbolic links are
 *   not resolved), and so is file_system.path.
 * - file_system.policy and task.role_policy are a list of simplified
 *   statements, or a string holding an IAM policy document (iam.c parses
 *   it); policy_file and role_policy_file name a document in a file,
 *   relative to the configuration's directory, read here (at most 1 MiB).
 *   A problem inside an inline document is reported at the line of the
 *   setting, with the JSON's own line and column in the message; one in a
 *   file at that file's line and column.
 */
#include <sys/stat.h>
#include <sys/syscall.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <libconfig.h>

#include "config.h"
#include "env.h"
#include "iam.h"

#define CONF_SIZE_MAX	(1024 * 1024)	/* bytes */
#define CONF_DEPTH_MAX	32		/* ( [ { nesting */
#define CONF_LINES_MAX	65535		/* libconfig keeps lines in an unsigned short */
#define KEY_MAX		160		/* a setting's path in a diagnostic */
#define ID_RANGE_MAX	4294967295LL

struct ctx {
	const char *file;		/* as the caller named it, for diagnostics */
	struct efs_config *cfg;
	struct efs_diags *d;
	const struct efs_ident *inv;
};

/* A value quoted for a diagnostic: escaped and shortened. */
struct quoted {
	char s[64];
};

/*
 * fstat(2) that libefsap-conf.so may call under glibc 2.17: glibc's fstat
 * function is 2.33's (before, a header inline called __fxstat), so the
 * system call where struct stat is the kernel's own.
 */
static int
file_stat(int fd, struct stat *st)
{
#if defined(__GLIBC__) && (defined(__x86_64__) || defined(__aarch64__))
	return (int)syscall(SYS_fstat, fd, st);
#else
	return fstat(fd, st);
#endif
}

static void diag_add(struct efs_diags *, const char *, int, int,
    const char *, ...) __attribute__((format(printf, 5, 6)));
static void report(struct ctx *, int, int, const char *, ...)
    __attribute__((format(printf, 4, 5)));
static void diag_column(struct efs_diags *, const char *, int, int, int,
    const char *, ...) __attribute__((format(printf, 6, 7)));

#define ERROR(x, line, ...)	report((x), (line), 0, __VA_ARGS__)
#define WARN(x, line, ...)	report((x), (line), 1, __VA_ARGS__)

static void
diag_vadd(struct efs_diags *d, const char *file, int line, int column,
    int warning, const char *fmt, va_list ap)
{
	struct efs_diag *e;

	if (warning)
		d->nwarnings++;
	else
		d->nerrors++;
	if (d->n >= EFS_MAX_DIAGS) {
		d->dropped++;
		return;
	}
	e = &d->d[d->n++];
	snprintf(e->file, sizeof(e->file), "%s", file);
	e->line = line;
	e->column = column;
	e->warning = warning;
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
}

static void
diag_add(struct efs_diags *d, const char *file, int line, int warning,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vadd(d, file, line, 0, warning, fmt, ap);
	va_end(ap);
}

static void
report(struct ctx *x, int line, int warning, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vadd(x->d, x->file, line, 0, warning, fmt, ap);
	va_end(ap);
}

/* s in double quotes, control characters escaped, cut with "..." when long. */
static const char *
quote(struct quoted *q, const char *s)
{
	size_t o = 0, max = sizeof(q->s) - 6;
	unsigned char c;

	q->s[o++] = '"';
	for (; *s != '\0'; s++) {
		c = (unsigned char)*s;
		if (o + 4 > max) {
			memcpy(q->s + o, "...", 3);
			o += 3;
			break;
		}
		if (c == '"' || c == '\\') {
			q->s[o++] = '\\';
			q->s[o++] = c;
		} else if (c == '\n') {
			q->s[o++] = '\\';
			q->s[o++] = 'n';
		} else if (c < 0x20 || c == 0x7f) {
			o += snprintf(q->s + o, 5, "\\x%02x", c);
		} else
			q->s[o++] = c;
	}
	q->s[o++] = '"';
	q->s[o] = '\0';
	return q->s;
}

/* The path of member name under parent, e.g. "file_system.path". */
static const char *
key_of(char *out, const char *parent, const char *name)
{
	int n;

	if (parent[0] == '\0')
		n = snprintf(out, KEY_MAX, "%s", name);
	else
		n = snprintf(out, KEY_MAX, "%s.%s", parent, name);
	if (n < 0)
		out[0] = '\0';
	return out;
}

/* The path of element i of parent, e.g. "mounts.[0]". */
static const char *
key_at(char *out, const char *parent, int i)
{
	if (snprintf(out, KEY_MAX, "%s.[%d]", parent, i) < 0)
		out[0] = '\0';
	return out;
}

static int
line_of(const config_setting_t *s)
{
	return config_setting_source_line(s);
}

static const char *
type_name(const config_setting_t *s)
{
	switch (config_setting_type(s)) {
	case CONFIG_TYPE_GROUP:
		return "a group { }";
	case CONFIG_TYPE_INT:
	case CONFIG_TYPE_INT64:
		return "an integer";
	case CONFIG_TYPE_FLOAT:
		return "a floating-point number";
	case CONFIG_TYPE_STRING:
		return "a string";
	case CONFIG_TYPE_BOOL:
		return "a boolean";
	case CONFIG_TYPE_ARRAY:
		return "an array [ ]";
	case CONFIG_TYPE_LIST:
		return "a list ( )";
	}
	return "an unknown type";
}


/*
 * Why s is not an absolute normalised path, or NULL when it is one.
 * "/" is accepted only when allow_root.
 */
static const char *
abs_path_problem(const char *s, int allow_root)
{
	const char *p, *e;
	size_t n;

	if (s[0] != '/')
		return "must be an absolute path";
	if (strlen(s) >= EFS_PATH_MAX)
		return "is too long";
	if (s[1] == '\0')
		return allow_root ? NULL : "is the root directory; a mount "
		    "needs a path below \"/\"";
	if (s[strlen(s) - 1] == '/')
		return "must not end with \"/\"";
	for (p = s + 1;; p = e + 1) {
		for (e = p; *e != '\0' && *e != '/'; e++)
			;
		n = e - p;
		if (n == 0)
			return "must not contain \"//\"";
		if (n == 1 && p[0] == '.')
			return "must not contain a \".\" component";
		if (n == 2 && p[0] == '.' && p[1] == '.')
			return "must not contain a \"..\" component";
		if (*e == '\0')
			return NULL;
	}
}

/*
 * The AWS rule for an access point root directory (RootDirectory.Path):
 * "/" or 1 to 4 components, 1 to 100 characters, no component starting with
 * ".", none of $ # < > ; ` | & ? { } ^ * or newline, no empty component and
 * no trailing "/".  Returns NULL when valid, else why (in buf).
 */
static const char *
ap_path_problem(const char *s, char *buf, size_t len)
{
	static const char bad[] = "$#<>;`|&?{}^*\n";
	struct quoted q;
	const char *p, *e, *c;
	char comp[EFS_AP_PATH_MAX + 1];
	size_t n;
	int ncomp = 0;

	if (s[0] == '\0')
		return "must not be empty";
	if (strlen(s) > EFS_AP_PATH_MAX) {
		snprintf(buf, len, "is %zu characters long (at most %d)",
		    strlen(s), EFS_AP_PATH_MAX);
		return buf;
	}
	if (s[0] != '/')
		return "must start with \"/\"";
	if (s[1] == '\0')
		return NULL;
	if (s[strlen(s) - 1] == '/')
		return "must not end with \"/\"";
	for (p = s + 1;; p = e + 1) {
		for (e = p; *e != '\0' && *e != '/'; e++)
			;
		n = e - p;
		if (n == 0)
			return "must not contain an empty component (\"//\")";
		memcpy(comp, p, n);
		comp[n] = '\0';
		if (comp[0] == '.') {
			snprintf(buf, len, "component %s starts with \".\"",
			    quote(&q, comp));
			return buf;
		}
		for (c = comp; *c != '\0'; c++) {
			if (strchr(bad, *c) == NULL)
				continue;
			if (*c == '\n')
				snprintf(buf, len, "component %s contains a "
				    "newline", quote(&q, comp));
			else
				snprintf(buf, len, "component %s contains "
				    "\"%c\", which AWS forbids", quote(&q, comp),
				    *c);
			return buf;
		}
		if (++ncomp > 4)
			return "has more than 4 components";
		if (*e == '\0')
			return NULL;
	}
}

/* Edit distance of two short strings, for "did you mean". */
static int
distance(const char *a, const char *b)
{
	int row[KEY_MAX + 1], i, j, diag, up, best;
	size_t la = strlen(a), lb = strlen(b);

	if (la > KEY_MAX || lb > KEY_MAX)
		return KEY_MAX;
	for (j = 0; j <= (int)lb; j++)
		row[j] = j;
	for (i = 1; i <= (int)la; i++) {
		diag = row[0];
		row[0] = i;
		for (j = 1; j <= (int)lb; j++) {
			up = row[j];
			best = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

/* Report every member of group g that is not in keys (NULL-terminated). */
static void
check_keys(struct ctx *x, const config_setting_t *g, const char *path,
    const char *const *keys)
{
	config_setting_t *m;
	const char *name, *near;
	char k[KEY_MAX];
	int i, j, dist, best;

	for (i = 0; (m = config_setting_get_elem(g, i)) != NULL; i++) {
		name = config_setting_name(m);
		if (name == NULL)
			continue;
		for (j = 0; keys[j] != NULL; j++)
			if (strcmp(name, keys[j]) == 0)
				break;
		if (keys[j] != NULL)
			continue;
		near = NULL;
		best = 3;
		for (j = 0; keys[j] != NULL; j++) {
			dist = distance(name, keys[j]);
			if (dist < best) {
				best = dist;
				near = keys[j];
			}
		}
		key_of(k, path, name);
		if (near != NULL)
			ERROR(x, line_of(m), "%s: unknown key (did you mean "
			    "\"%s\"?)", k, near);
		else
			ERROR(x, line_of(m), "%s: unknown key", k);
	}
}

/* 0 when s is a group, else -1 (reported). */
static int
expect_group(struct ctx *x, const config_setting_t *s, const char *path)
{
	if (config_setting_type(s) == CONFIG_TYPE_GROUP)
		return 0;
	ERROR(x, line_of(s), "%s: must be a group { ... }, not %s", path,
	    type_name(s));
	return -1;
}

/* 0 when s is a list ( ... ), else -1 (reported). */
static int
expect_list(struct ctx *x, const config_setting_t *s, const char *path)
{
	if (config_setting_type(s) == CONFIG_TYPE_LIST)
		return 0;
	if (config_setting_type(s) == CONFIG_TYPE_GROUP)
		ERROR(x, line_of(s), "%s: must be a list ( { ... }, ... ), not "
		    "a group; put the group in parentheses", path);
	else
		ERROR(x, line_of(s), "%s: must be a list ( { ... }, ... ), not "
		    "%s", path, type_name(s));
	return -1;
}

/* A string member: 1 present, 0 absent, -1 wrong type (reported). */
static int
get_string(struct ctx *x, const config_setting_t *g, const char *path,
    const char *key, const char **out)
{
	config_setting_t *s;
	char k[KEY_MAX];

	if ((s = config_setting_get_member(g, key)) == NULL)
		return 0;
	if (config_setting_type(s) != CONFIG_TYPE_STRING) {
		ERROR(x, line_of(s), "%s: must be a string, not %s",
		    key_of(k, path, key), type_name(s));
		return -1;
	}
	*out = config_setting_get_string(s);
	return 1;
}

/* A boolean member: 1 present, 0 absent, -1 wrong type (reported). */
static int
get_bool(struct ctx *x, const config_setting_t *g, const char *path,
    const char *key, int *out)
{
	config_setting_t *s;
	char k[KEY_MAX];

	if ((s = config_setting_get_member(g, key)) == NULL)
		return 0;
	if (config_setting_type(s) != CONFIG_TYPE_BOOL) {
		ERROR(x, line_of(s), "%s: must be true or false, not %s",
		    key_of(k, path, key), type_name(s));
		return -1;
	}
	*out = config_setting_get_bool(s) != 0;
	return 1;
}

/* A uid or gid in s: 0, or -1 (reported). */
static int
id_value(struct ctx *x, const config_setting_t *s, const char *path,
    uint32_t *out)
{
	long long v;

	switch (config_setting_type(s)) {
	case CONFIG_TYPE_INT:
		v = config_setting_get_int(s);
		break;
	case CONFIG_TYPE_INT64:
		v = config_setting_get_int64(s);
		break;
	default:
		ERROR(x, line_of(s), "%s: must be an integer 0..4294967295, "
		    "not %s", path, type_name(s));
		return -1;
	}
	if (v < 0 || v > ID_RANGE_MAX) {
		ERROR(x, line_of(s), "%s: %lld is out of range 0..4294967295",
		    path, v);
		return -1;
	}
	*out = (uint32_t)v;
	return 0;
}

/* A uid or gid member: 1 present, 0 absent, -1 invalid (reported). */
static int
get_id(struct ctx *x, const config_setting_t *g, const char *path,
    const char *key, uint32_t *out)
{
	config_setting_t *s;
	char k[KEY_MAX];

	if ((s = config_setting_get_member(g, key)) == NULL)
		return 0;
	return id_value(x, s, key_of(k, path, key), out) == 0 ? 1 : -1;
}

/*
 * An array or list of ids: at most max, into ids.
 * Returns the count, or -1 (reported).
 */
static int
get_ids(struct ctx *x, const config_setting_t *s, const char *path,
    uint32_t *ids, int max, const char *limit_why)
{
	config_setting_t *e;
	char k[KEY_MAX];
	int i, n, bad = 0;

	if (config_setting_type(s) != CONFIG_TYPE_ARRAY &&
	    config_setting_type(s) != CONFIG_TYPE_LIST) {
		ERROR(x, line_of(s), "%s: must be an array [ ... ] of "
		    "integers, not %s", path, type_name(s));
		return -1;
	}
	n = config_setting_length(s);
	if (n > max) {
		e = config_setting_get_elem(s, max);
		ERROR(x, line_of(e), "%s: %d entries, at most %d (%s)", path,
		    n, max, limit_why);
		return -1;
	}
	for (i = 0; i < n; i++) {
		e = config_setting_get_elem(s, i);
		if (id_value(x, e, key_at(k, path, i), &ids[i]) != 0)
			bad = 1;
	}
	return bad ? -1 : n;
}

/* An id (file system or access point): non-empty, short, printable. */
static int
check_id(struct ctx *x, const config_setting_t *s, const char *path,
    const char *v)
{
	const unsigned char *p;

	if (v[0] == '\0') {
		ERROR(x, line_of(s), "%s: must not be empty", path);
		return -1;
	}
	if (strlen(v) >= EFS_ID_MAX) {
		ERROR(x, line_of(s), "%s: longer than %d characters", path,
		    EFS_ID_MAX - 1);
		return -1;
	}
	for (p = (const unsigned char *)v; *p != '\0'; p++) {
		if (*p <= ' ' || *p == 0x7f || *p == '/') {
			ERROR(x, line_of(s), "%s: must not contain spaces, "
			    "control characters or \"/\"", path);
			return -1;
		}
	}
	return 0;
}

/*
 * One action name to its bits, or 0.  IAM compares action names without
 * regard to case; the "elasticfilesystem:" service prefix is optional.
 */
static unsigned
action_bits(const char *s)
{
	static const struct {
		const char *name;
		unsigned bits;
	} acts[] = {
		{ "ClientMount", EFS_ACT_MOUNT },
		{ "ClientWrite", EFS_ACT_WRITE },
		{ "ClientRootAccess", EFS_ACT_ROOT },
		{ "Client*", EFS_ACT_ALL },
	};
	static const char prefix[] = "elasticfilesystem:";
	size_t i;

	if (strncasecmp(s, prefix, sizeof(prefix) - 1) == 0)
		s += sizeof(prefix) - 1;
	for (i = 0; i < sizeof(acts) / sizeof(acts[0]); i++)
		if (strcasecmp(s, acts[i].name) == 0)
			return acts[i].bits;
	return 0;
}

static void
parse_actions(struct ctx *x, const config_setting_t *s, const char *path,
    struct efs_stmt *st)
{
	config_setting_t *e;
	struct quoted q;
	char k[KEY_MAX];
	unsigned bits;
	int i, n;

	if (config_setting_type(s) == CONFIG_TYPE_STRING) {
		if ((bits = action_bits(config_setting_get_string(s))) == 0)
			ERROR(x, line_of(s), "%s: unknown action %s (expected "
			    "ClientMount, ClientWrite, ClientRootAccess or "
			    "Client*)", path,
			    quote(&q, config_setting_get_string(s)));
		st->actions = bits;
		return;
	}
	if (config_setting_type(s) != CONFIG_TYPE_ARRAY &&
	    config_setting_type(s) != CONFIG_TYPE_LIST) {
		ERROR(x, line_of(s), "%s: must be an array [ ... ] of action "
		    "names, not %s", path, type_name(s));
		return;
	}
	if ((n = config_setting_length(s)) == 0) {
		ERROR(x, line_of(s), "%s: must name at least one action", path);
		return;
	}
	for (i = 0; i < n; i++) {
		e = config_setting_get_elem(s, i);
		key_at(k, path, i);
		if (config_setting_type(e) != CONFIG_TYPE_STRING) {
			ERROR(x, line_of(e), "%s: must be a string, not %s", k,
			    type_name(e));
			continue;
		}
		if ((bits = action_bits(config_setting_get_string(e))) == 0) {
			ERROR(x, line_of(e), "%s: unknown action %s (expected "
			    "ClientMount, ClientWrite, ClientRootAccess or "
			    "Client*)", k,
			    quote(&q, config_setting_get_string(e)));
			continue;
		}
		st->actions |= bits;
	}
}

/*
 * A policy statement.  role: a task.role_policy statement, whose principal
 * is always the task role.
 */
static void
parse_stmt(struct ctx *x, const config_setting_t *s, const char *path,
    int role, struct efs_stmt *st)
{
	static const char *const keys[] = { "effect", "principal", "actions",
	    "access_point", "secure_transport", NULL };
	static const char arn_sep[] = ":access-point/";
	config_setting_t *m;
	struct quoted q;
	const char *v, *arn;
	char k[KEY_MAX];
	int b;

	memset(st, 0, sizeof(*st));
	st->principal = role ? EFS_PRIN_TASK : EFS_PRIN_ANY;
	st->secure_transport = -1;
	st->line = line_of(s);
	if (expect_group(x, s, path) != 0)
		return;
	check_keys(x, s, path, keys);

	v = NULL;
	switch (get_string(x, s, path, "effect", &v)) {
	case 0:
		ERROR(x, st->line, "%s: missing required key \"effect\"", path);
		break;
	case 1:
		if (strcmp(v, "Deny") == 0)
			st->deny = 1;
		else if (strcmp(v, "Allow") != 0)
			ERROR(x, line_of(config_setting_get_member(s, "effect")),
			    "%s: %s is not \"Allow\" or \"Deny\"",
			    key_of(k, path, "effect"), quote(&q, v));
		break;
	}

	v = NULL;
	if (role && (m = config_setting_get_member(s, "principal")) != NULL)
		ERROR(x, line_of(m), "%s: not allowed in task.role_policy "
		    "(its principal is the task role)",
		    key_of(k, path, "principal"));
	else if (get_string(x, s, path, "principal", &v) == 1) {
		if (strcmp(v, "task") == 0)
			st->principal = EFS_PRIN_TASK;
		else if (strcmp(v, "*") != 0)
			ERROR(x, line_of(config_setting_get_member(s,
			    "principal")), "%s: %s is not \"*\" or \"task\"",
			    key_of(k, path, "principal"), quote(&q, v));
	}

	if ((m = config_setting_get_member(s, "actions")) == NULL)
		ERROR(x, st->line, "%s: missing required key \"actions\"",
		    path);
	else
		parse_actions(x, m, key_of(k, path, "actions"), st);

	v = NULL;
	if (get_string(x, s, path, "access_point", &v) == 1) {
		/* arn:aws:elasticfilesystem:REGION:ACCOUNT:access-point/fsap-... */
		if (strncmp(v, "arn:", 4) == 0 &&
		    (arn = strstr(v, arn_sep)) != NULL)
			v = arn + sizeof(arn_sep) - 1;
		if (check_id(x, config_setting_get_member(s, "access_point"),
		    key_of(k, path, "access_point"), v) == 0)
			snprintf(st->access_point, sizeof(st->access_point),
			    "%s", v);
	}
	if (get_bool(x, s, path, "secure_transport", &b) == 1)
		st->secure_transport = b;
}

/* A list of statements: file_system.policy or task.role_policy. */
static int
parse_policy(struct ctx *x, const config_setting_t *s, const char *path,
    int role, struct efs_stmt *stmts)
{
	char k[KEY_MAX];
	int i, n;

	if (expect_list(x, s, path) != 0)
		return 0;
	n = config_setting_length(s);
	if (n == 0) {
		ERROR(x, line_of(s), "%s: has no statement (AWS requires one; "
		    "omit the key for %s)", path, role ? "no role policy" :
		    "the default EFS policy");
		return 0;
	}
	if (n > EFS_MAX_STMTS) {
		ERROR(x, line_of(config_setting_get_elem(s, EFS_MAX_STMTS)),
		    "%s: %d statements, at most %d", path, n, EFS_MAX_STMTS);
		n = EFS_MAX_STMTS;
	}
	for (i = 0; i < n; i++)
		parse_stmt(x, config_setting_get_elem(s, i), key_at(k, path, i),
		    role, &stmts[i]);
	return n;
}

/* Where the problems of one IAM policy document go. */
struct json_report {
	struct ctx *x;
	const char *path;		/* the setting, e.g. "file_system.policy" */
	int line;			/* of the setting */
	const char *file;		/* the policy file, NULL for an inline document */
};

/* A diagnostic with a column: a JSON file's. */
static void
diag_column(struct efs_diags *d, const char *file, int line, int column,
    int warning, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vadd(d, file, line, column, warning, fmt, ap);
	va_end(ap);
}

static void
json_report(void *arg, int warning, int line, int column, const char *msg)
{
	struct json_report *r = arg;
	struct efs_diags *d = r->x->d;

	if (r->file != NULL)
		diag_column(d, r->file, line, column, warning, "%s", msg);
	else if (column > 0)
		report(r->x, r->line, warning, "%s: JSON line %d, column %d: "
		    "%s", r->path, line, column, msg);
	else
		report(r->x, r->line, warning, "%s: %s", r->path, msg);
}

/*
 * Read the policy document `file` (absolute) whole into a new buffer,
 * NUL-terminated.  Returns 0, or -1 with an error at the setting's line.
 */
static int
read_policy_file(struct ctx *x, int line, const char *path, const char *file,
    char **bufp, size_t *lenp)
{
	struct stat st;
	size_t len = 0;
	ssize_t n;
	char *buf = NULL;
	int fd, e = 0;

	if ((fd = open(file, O_RDONLY | O_CLOEXEC | O_NOCTTY |
	    O_NONBLOCK)) < 0) {
		ERROR(x, line, "%s: cannot open %s: %s", path, file,
		    strerror(errno));
		return -1;
	}
	if (file_stat(fd, &st) != 0)
		e = errno;
	else if (S_ISDIR(st.st_mode))
		e = EISDIR;
	else if (!S_ISREG(st.st_mode))
		e = EINVAL;
	else if (st.st_size > CONF_SIZE_MAX)
		e = EFBIG;
	else if ((buf = malloc((size_t)st.st_size + 1)) == NULL)
		e = ENOMEM;
	while (e == 0 && len < (size_t)st.st_size) {
		n = read(fd, buf + len, (size_t)st.st_size - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			e = errno;
		else if (n == 0)
			break;
		else
			len += n;
	}
	close(fd);
	if (e != 0) {
		ERROR(x, line, "%s: %s: %s", path, file, e == EINVAL ?
		    "not a regular file" : e == EFBIG ? "larger than 1 MiB" :
		    strerror(e));
		free(buf);
		return -1;
	}
	buf[len] = '\0';
	*bufp = buf;
	*lenp = len;
	return 0;
}

/*
 * An IAM policy document (text, len bytes) into stmts: from the inline
 * string of setting s, or from file (absolute) when not NULL.
 */
static int
parse_json_policy(struct ctx *x, const config_setting_t *s, const char *path,
    int role, const char *text, size_t len, const char *file,
    struct efs_stmt *stmts)
{
	struct json_report r;
	int n;

	r.x = x;
	r.path = path;
	r.line = line_of(s);
	r.file = file;
	if (!role && len > 20000)
		WARN(x, line_of(s), "%s: %zu characters; AWS refuses a file "
		    "system policy longer than 20,000", path, len);
	n = efs_iam_parse(x->cfg, text, len, role, line_of(s), stmts,
	    json_report, &r);
	return n < 0 ? 0 : n;
}

/*
 * file_system.policy / policy_file, or task.role_policy / role_policy_file,
 * of group g (named gpath): a list of statements, a string with a policy
 * document, or a file holding one.  Returns 1 when a policy is given.
 */
static int
parse_any_policy(struct ctx *x, const config_setting_t *g, const char *gpath,
    const char *key, const char *file_key, int role, struct efs_stmt *stmts,
    int *nstmts, struct efs_policy_src *src)
{
	config_setting_t *s, *f;
	char k[KEY_MAX], fk[KEY_MAX], dir[EFS_PATH_MAX], *slash, *buf;
	const char *v;
	size_t len;

	src->form = EFS_FORM_LIST;
	src->line = 0;
	src->file[0] = '\0';
	*nstmts = 0;
	s = config_setting_get_member(g, key);
	f = config_setting_get_member(g, file_key);
	key_of(k, gpath, key);
	key_of(fk, gpath, file_key);
	if (s != NULL && f != NULL) {
		ERROR(x, line_of(f), "%s and %s exclude each other (%s is at "
		    "line %d)", fk, k, k, line_of(s));
		return 1;
	}
	if (s != NULL && config_setting_type(s) == CONFIG_TYPE_STRING) {
		src->form = EFS_FORM_JSON;
		src->line = line_of(s);
		v = config_setting_get_string(s);
		*nstmts = parse_json_policy(x, s, k, role, v, strlen(v), NULL,
		    stmts);
		return 1;
	}
	if (s != NULL) {
		src->line = line_of(s);
		*nstmts = parse_policy(x, s, k, role, stmts);
		return 1;
	}
	if (f == NULL)
		return 0;
	src->form = EFS_FORM_FILE;
	src->line = line_of(f);
	if (get_string(x, g, gpath, file_key, &v) != 1)
		return 1;
	if (v[0] == '\0') {
		ERROR(x, line_of(f), "%s: must not be empty", fk);
		return 1;
	}
	snprintf(dir, sizeof(dir), "%s", x->cfg->file);
	slash = strrchr(dir, '/');
	if (slash == dir)
		slash[1] = '\0';
	else if (slash != NULL)
		*slash = '\0';
	if (efs_config_path_join(dir, v, src->file, sizeof(src->file)) != 0) {
		ERROR(x, line_of(f), "%s: too long once made absolute", fk);
		return 1;
	}
	if (read_policy_file(x, line_of(f), fk, src->file, &buf, &len) != 0)
		return 1;
	*nstmts = parse_json_policy(x, f, fk, role, buf, len, src->file,
	    stmts);
	free(buf);
	return 1;
}

static int
is_account_id(const char *s)
{
	int i;

	for (i = 0; i < 12; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return s[12] == '\0';
}

/* An AWS region name: letters and digits in dash-separated parts, e.g. us-gov-west-1. */
static int
is_region(const char *s)
{
	const char *p;
	int parts = 1;

	if (strlen(s) < 4 || strlen(s) >= 32 || s[0] < 'a' || s[0] > 'z')
		return 0;
	for (p = s; *p != '\0'; p++) {
		if (*p == '-') {
			if (p[1] == '\0' || p[1] == '-')
				return 0;
			parts++;
		} else if (!((*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9')))
			return 0;
	}
	return parts >= 3 && s[strlen(s) - 1] >= '0' && s[strlen(s) - 1] <= '9';
}

/*
 * Why v is not an IAM role ARN (arn:PARTITION:iam::ACCOUNT:role/[PATH/]NAME),
 * or NULL.  Role names: 1 to 64 of letters, digits and +=,.@_- (IAM).
 */
static const char *
role_arn_problem(const char *v)
{
	static const char name_chars[] = "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+=,.@_-";
	const char *p, *name;
	char acct[16];

	if (strlen(v) >= EFS_ARN_MAX)
		return "is too long";
	if (strncmp(v, "arn:", 4) != 0)
		return "is not an ARN (arn:aws:iam::ACCOUNT:role/NAME)";
	p = v + 4;
	if (strncmp(p, "aws:", 4) == 0)
		p += 4;
	else if (strncmp(p, "aws-cn:", 7) == 0)
		p += 7;
	else if (strncmp(p, "aws-us-gov:", 11) == 0)
		p += 11;
	else
		return "has an unknown partition (aws, aws-cn or aws-us-gov)";
	if (strncmp(p, "iam::", 5) != 0)
		return "is not an IAM ARN (arn:aws:iam::ACCOUNT:role/NAME)";
	p += 5;
	if (strlen(p) < 13 || p[12] != ':')
		return "has no 12-digit account id";
	memcpy(acct, p, 12);
	acct[12] = '\0';
	if (!is_account_id(acct))
		return "has no 12-digit account id";
	p += 13;
	if (strncmp(p, "role/", 5) != 0)
		return "is not a role ARN (the resource part starts with "
		    "\"role/\")";
	p += 5;
	name = strrchr(p, '/') != NULL ? strrchr(p, '/') + 1 : p;
	if (name[0] == '\0' || strlen(name) > 64 ||
	    strspn(name, name_chars) != strlen(name))
		return "has no valid role name (1 to 64 letters, digits or "
		    "+=,.@_-)";
	return NULL;
}

static void
parse_file_system(struct ctx *x, const config_setting_t *root)
{
	static const char *const keys[] = { "id", "path", "anon_uid",
	    "anon_gid", "policy", "policy_file", NULL };
	static const char *const path = "file_system";
	struct efs_config *cfg = x->cfg;
	config_setting_t *fs, *m;
	char dir[EFS_PATH_MAX], *slash, k[KEY_MAX];
	const char *v;

	if ((fs = config_setting_get_member(root, path)) == NULL) {
		ERROR(x, 0, "file_system is required");
		return;
	}
	if (expect_group(x, fs, path) != 0)
		return;
	check_keys(x, fs, path, keys);

	if (get_string(x, fs, path, "id", &v) == 1 &&
	    check_id(x, config_setting_get_member(fs, "id"),
	    key_of(k, path, "id"), v) == 0)
		snprintf(cfg->fs_id, sizeof(cfg->fs_id), "%s", v);

	switch (get_string(x, fs, path, "path", &v)) {
	case 0:
		ERROR(x, line_of(fs), "file_system: missing required key "
		    "\"path\" (the backing directory)");
		break;
	case 1:
		m = config_setting_get_member(fs, "path");
		snprintf(dir, sizeof(dir), "%s", cfg->file);
		slash = strrchr(dir, '/');
		if (slash == dir)
			slash[1] = '\0';
		else if (slash != NULL)
			*slash = '\0';
		if (v[0] == '\0')
			ERROR(x, line_of(m), "file_system.path: must not be "
			    "empty");
		else if (efs_config_path_join(dir, v, cfg->backing,
		    sizeof(cfg->backing)) != 0)
			ERROR(x, line_of(m), "file_system.path: too long once "
			    "made absolute");
		break;
	}

	get_id(x, fs, path, "anon_uid", &cfg->anon_uid);
	get_id(x, fs, path, "anon_gid", &cfg->anon_gid);

	cfg->has_policy = parse_any_policy(x, fs, "file_system", "policy",
	    "policy_file", 0, cfg->policy, &cfg->npolicy, &cfg->policy_src);
}

static void
parse_creation_info(struct ctx *x, const config_setting_t *s,
    const char *path, struct efs_ap *ap)
{
	static const char *const keys[] = { "owner_uid", "owner_gid",
	    "permissions", NULL };
	config_setting_t *m;
	struct quoted q;
	const char *v = NULL, *c;
	char k[KEY_MAX], missing[64];
	int has_uid, has_gid, has_perm, ok = 1;

	if (expect_group(x, s, path) != 0)
		return;
	check_keys(x, s, path, keys);
	has_uid = get_id(x, s, path, "owner_uid", &ap->owner_uid);
	has_gid = get_id(x, s, path, "owner_gid", &ap->owner_gid);
	m = config_setting_get_member(s, "permissions");
	if (m != NULL && (config_setting_type(m) == CONFIG_TYPE_INT ||
	    config_setting_type(m) == CONFIG_TYPE_INT64)) {
		ERROR(x, line_of(m), "%s: must be a string such as \"0755\", "
		    "not an integer (a number loses its octal meaning)",
		    key_of(k, path, "permissions"));
		has_perm = -1;
	} else
		has_perm = get_string(x, s, path, "permissions", &v);
	if (has_perm == 1) {
		for (c = v; *c >= '0' && *c <= '7'; c++)
			;
		if (*c != '\0' || strlen(v) < 3 || strlen(v) > 4) {
			ERROR(x, line_of(m), "%s: %s is not 3 or 4 octal "
			    "digits, such as \"755\" or \"0755\"",
			    key_of(k, path, "permissions"), quote(&q, v));
			ok = 0;
		} else
			ap->permissions = (uint32_t)strtoul(v, NULL, 8);
	}
	missing[0] = '\0';
	if (has_uid == 0)
		strcat(missing, " owner_uid");
	if (has_gid == 0)
		strcat(missing, " owner_gid");
	if (has_perm == 0)
		strcat(missing, " permissions");
	if (missing[0] != '\0') {
		ERROR(x, line_of(s), "%s: missing%s (creation_info needs all "
		    "of owner_uid, owner_gid and permissions, or is omitted)",
		    path, missing);
		ok = 0;
	}
	if (has_uid < 0 || has_gid < 0 || has_perm < 0)
		ok = 0;
	ap->has_creation = ok;
}

static void
parse_root_directory(struct ctx *x, const config_setting_t *s,
    const char *path, struct efs_ap *ap)
{
	static const char *const keys[] = { "path", "creation_info", NULL };
	config_setting_t *m;
	const char *v, *why;
	char k[KEY_MAX], buf[160];

	if (config_setting_type(s) == CONFIG_TYPE_STRING) {
		ERROR(x, line_of(s), "%s: must be a group { path = ...; }, "
		    "not a string", path);
		return;
	}
	if (expect_group(x, s, path) != 0)
		return;
	check_keys(x, s, path, keys);
	if (get_string(x, s, path, "path", &v) == 1) {
		m = config_setting_get_member(s, "path");
		if ((why = ap_path_problem(v, buf, sizeof(buf))) != NULL)
			ERROR(x, line_of(m), "%s: %s", key_of(k, path, "path"),
			    why);
		else
			snprintf(ap->root, sizeof(ap->root), "%s", v);
	}
	if ((m = config_setting_get_member(s, "creation_info")) != NULL)
		parse_creation_info(x, m, key_of(k, path, "creation_info"), ap);
}

static void
parse_posix_user(struct ctx *x, const config_setting_t *s, const char *path,
    struct efs_ap *ap)
{
	static const char *const keys[] = { "uid", "gid", "secondary_gids",
	    NULL };
	config_setting_t *m;
	char k[KEY_MAX];
	int ok = 1, n;

	if (expect_group(x, s, path) != 0)
		return;
	check_keys(x, s, path, keys);
	if (get_id(x, s, path, "uid", &ap->posix_user.uid) != 1) {
		ok = 0;
		if (config_setting_get_member(s, "uid") == NULL)
			ERROR(x, line_of(s), "%s: missing required key \"uid\"",
			    path);
	}
	if (get_id(x, s, path, "gid", &ap->posix_user.gid) != 1) {
		ok = 0;
		if (config_setting_get_member(s, "gid") == NULL)
			ERROR(x, line_of(s), "%s: missing required key \"gid\"",
			    path);
	}
	if ((m = config_setting_get_member(s, "secondary_gids")) != NULL) {
		n = get_ids(x, m, key_of(k, path, "secondary_gids"),
		    ap->posix_user.groups, EFS_NFS_GROUPS,
		    "AWS allows 16 secondary gids");
		if (n < 0)
			ok = 0;
		else
			ap->posix_user.ngroups = n;
	}
	ap->has_posix_user = ok;
}

static void
parse_ap(struct ctx *x, const config_setting_t *s, const char *path,
    struct efs_ap *ap)
{
	static const char *const keys[] = { "id", "root_directory",
	    "posix_user", NULL };
	config_setting_t *m;
	const char *v;
	char k[KEY_MAX];

	memset(ap, 0, sizeof(*ap));
	strcpy(ap->root, "/");
	ap->line = line_of(s);
	if (expect_group(x, s, path) != 0)
		return;
	check_keys(x, s, path, keys);
	switch (get_string(x, s, path, "id", &v)) {
	case 0:
		ERROR(x, ap->line, "%s: missing required key \"id\"", path);
		break;
	case 1:
		if (check_id(x, config_setting_get_member(s, "id"),
		    key_of(k, path, "id"), v) == 0)
			snprintf(ap->id, sizeof(ap->id), "%s", v);
		break;
	}
	if ((m = config_setting_get_member(s, "root_directory")) != NULL)
		parse_root_directory(x, m, key_of(k, path, "root_directory"),
		    ap);
	if ((m = config_setting_get_member(s, "posix_user")) != NULL)
		parse_posix_user(x, m, key_of(k, path, "posix_user"), ap);
}

static void
parse_access_points(struct ctx *x, const config_setting_t *root)
{
	static const char *const path = "access_points";
	struct efs_config *cfg = x->cfg;
	config_setting_t *s, *e;
	struct quoted q;
	char k[KEY_MAX];
	int i, j, n;

	if ((s = config_setting_get_member(root, path)) == NULL)
		return;
	if (expect_list(x, s, path) != 0)
		return;
	n = config_setting_length(s);
	if (n > EFS_MAX_APS) {
		e = config_setting_get_elem(s, EFS_MAX_APS);
		ERROR(x, line_of(e), "access_points: %d access points, at "
		    "most %d", n, EFS_MAX_APS);
		n = EFS_MAX_APS;
	}
	for (i = 0; i < n; i++) {
		e = config_setting_get_elem(s, i);
		parse_ap(x, e, key_at(k, path, i), &cfg->aps[i]);
		if (cfg->aps[i].id[0] == '\0')
			continue;
		for (j = 0; j < i; j++) {
			if (strcmp(cfg->aps[j].id, cfg->aps[i].id) != 0)
				continue;
			snprintf(k + strlen(k), KEY_MAX - strlen(k), ".id");
			ERROR(x, line_of(config_setting_get_member(e, "id")),
			    "%s: duplicate id %s (first at line %d)", k,
			    quote(&q, cfg->aps[i].id), cfg->aps[j].line);
			break;
		}
	}
	cfg->naps = n;
}

static int
parse_number(const char *s, uint32_t *out)
{
	unsigned long long v = 0;

	if (*s == '\0')
		return -1;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s - '0');
		if (v > (unsigned long long)ID_RANGE_MAX)
			return -2;
	}
	*out = (uint32_t)v;
	return 0;
}

/* getpwnam_r or getgrnam_r: 0, -ENOENT when the name is unknown, -errno. */
static int
lookup_name(const char *name, int group, uint32_t *id, uint32_t *gid)
{
	struct passwd pw, *pwp = NULL;
	struct group gr, *grp = NULL;
	size_t len = 1024;
	char *buf;
	int e;

	for (;;) {
		if ((buf = malloc(len)) == NULL)
			return -ENOMEM;
		if (group)
			e = getgrnam_r(name, &gr, buf, len, &grp);
		else
			e = getpwnam_r(name, &pw, buf, len, &pwp);
		if (e != ERANGE || len >= 1024 * 1024)
			break;
		free(buf);
		len *= 4;
	}
	if (e == 0 && group && grp != NULL)
		*id = grp->gr_gid;
	else if (e == 0 && !group && pwp != NULL) {
		*id = pwp->pw_uid;
		*gid = pwp->pw_gid;
	} else if (e == 0)
		e = ENOENT;
	free(buf);
	return -e;
}

/*
 * task.user: "uid", "uid:gid", "name", "name:group", "uid:group",
 * "name:gid", as an ECS container user; names come from the host.
 */
static int
parse_user(struct ctx *x, const config_setting_t *s, const char *v,
    uint32_t *uid, uint32_t *gid)
{
	struct quoted q;
	char user[256], *group;
	uint32_t pgid = 0;
	int e, named = 0;

	if (v[0] == '\0' || strlen(v) >= sizeof(user)) {
		ERROR(x, line_of(s), "task.user: must be \"uid\", \"uid:gid\" "
		    "or user and group names");
		return -1;
	}
	snprintf(user, sizeof(user), "%s", v);
	if ((group = strchr(user, ':')) != NULL)
		*group++ = '\0';
	if (user[0] == '\0' || (group != NULL && (group[0] == '\0' ||
	    strchr(group, ':') != NULL))) {
		ERROR(x, line_of(s), "task.user: %s is not \"uid\", "
		    "\"uid:gid\", \"user\" or \"user:group\"", quote(&q, v));
		return -1;
	}
	if ((e = parse_number(user, uid)) == -2) {
		ERROR(x, line_of(s), "task.user: uid %s is out of range "
		    "0..4294967295", quote(&q, user));
		return -1;
	} else if (e != 0) {
		if ((e = lookup_name(user, 0, uid, &pgid)) != 0) {
			ERROR(x, line_of(s), "task.user: %s: %s", quote(&q,
			    user), e == -ENOENT ? "no such user on this host" :
			    strerror(-e));
			return -1;
		}
		named = 1;
	}
	if (group == NULL) {
		*gid = pgid;
		if (!named)
			WARN(x, line_of(s), "task.user: %s gives no group: "
			    "like Docker without a passwd entry, the gid is 0, "
			    "which EFS treats as root; write \"uid:gid\"",
			    quote(&q, v));
		return 0;
	}
	if ((e = parse_number(group, gid)) == -2) {
		ERROR(x, line_of(s), "task.user: gid %s is out of range "
		    "0..4294967295", quote(&q, group));
		return -1;
	} else if (e != 0 && (e = lookup_name(group, 1, gid, NULL)) != 0) {
		ERROR(x, line_of(s), "task.user: %s: %s", quote(&q, group),
		    e == -ENOENT ? "no such group on this host" :
		    strerror(-e));
		return -1;
	}
	return 0;
}

static void
parse_task(struct ctx *x, const config_setting_t *root)
{
	static const char *const keys[] = { "user", "groups", "role_policy",
	    "role_policy_file", "role_arn", "account", "region", "launch_type", NULL };
	static const char *const path = "task";
	struct efs_config *cfg = x->cfg;
	config_setting_t *t, *m;
	struct quoted q;
	const char *v, *why;
	uint32_t uid, gid;
	int n;

	if ((t = config_setting_get_member(root, path)) == NULL)
		return;
	if (expect_group(x, t, path) != 0)
		return;
	check_keys(x, t, path, keys);
	if (get_string(x, t, path, "user", &v) == 1 &&
	    parse_user(x, config_setting_get_member(t, "user"), v, &uid,
	    &gid) == 0) {
		cfg->task.uid = uid;
		cfg->task.gid = gid;
		cfg->has_task_user = 1;
		cfg->task.ngroups = 1;
		cfg->task.groups[0] = gid;
	}
	if ((m = config_setting_get_member(t, "groups")) != NULL &&
	    (n = get_ids(x, m, "task.groups", cfg->task.groups,
	    EFS_GROUPS_MAX, "efsap keeps 64 groups")) >= 0)
		cfg->task.ngroups = n;
	cfg->has_role_policy = parse_any_policy(x, t, "task", "role_policy",
	    "role_policy_file", 1, cfg->role, &cfg->nrole, &cfg->role_src);
	if (get_string(x, t, path, "role_arn", &v) == 1) {
		m = config_setting_get_member(t, "role_arn");
		if ((why = role_arn_problem(v)) != NULL)
			ERROR(x, line_of(m), "task.role_arn: %s %s", quote(&q,
			    v), why);
		else
			snprintf(cfg->role_arn, sizeof(cfg->role_arn), "%s", v);
	}
	if (get_string(x, t, path, "account", &v) == 1) {
		if (!is_account_id(v))
			ERROR(x, line_of(config_setting_get_member(t,
			    "account")), "task.account: %s is not an AWS "
			    "account id (12 digits)", quote(&q, v));
		else
			snprintf(cfg->account, sizeof(cfg->account), "%s", v);
	}
	if (get_string(x, t, path, "region", &v) == 1) {
		if (!is_region(v))
			ERROR(x, line_of(config_setting_get_member(t,
			    "region")), "task.region: %s is not an AWS region "
			    "such as \"eu-west-1\"", quote(&q, v));
		else
			snprintf(cfg->region, sizeof(cfg->region), "%s", v);
	}
	if (get_string(x, t, path, "launch_type", &v) == 1) {
		if (strcmp(v, "FARGATE") == 0 || strcmp(v, "EC2") == 0)
			cfg->ec2 = strcmp(v, "EC2") == 0;
		else
			ERROR(x, line_of(config_setting_get_member(t,
			    "launch_type")), "task.launch_type: %s is neither "
			    "\"FARGATE\" nor \"EC2\"", quote(&q, v));
	}
}

static void
parse_mount(struct ctx *x, const config_setting_t *s, const char *path,
    struct efs_mount *mt)
{
	static const char *const keys[] = { "container_path", "access_point",
	    "root_directory", "read_only", "iam", "transit_encryption",
	    NULL };
	struct efs_config *cfg = x->cfg;
	config_setting_t *m;
	struct quoted q;
	const char *v, *why, *apid = NULL;
	char k[KEY_MAX];
	int i;

	memset(mt, 0, sizeof(*mt));
	mt->ap = -1;
	strcpy(mt->root_directory, "/");
	mt->line = line_of(s);
	if (expect_group(x, s, path) != 0)
		return;
	check_keys(x, s, path, keys);

	switch (get_string(x, s, path, "container_path", &v)) {
	case 0:
		ERROR(x, mt->line, "%s: missing required key "
		    "\"container_path\"", path);
		break;
	case 1:
		m = config_setting_get_member(s, "container_path");
		if ((why = abs_path_problem(v, 0)) != NULL)
			ERROR(x, line_of(m), "%s: %s %s",
			    key_of(k, path, "container_path"), quote(&q, v),
			    why);
		else
			snprintf(mt->container_path,
			    sizeof(mt->container_path), "%s", v);
		break;
	}

	if (get_string(x, s, path, "access_point", &apid) == 1) {
		for (i = 0; i < cfg->naps; i++)
			if (strcmp(cfg->aps[i].id, apid) == 0)
				break;
		if (i < cfg->naps)
			mt->ap = i;
		else
			ERROR(x, line_of(config_setting_get_member(s,
			    "access_point")), "%s: %s names no access point "
			    "in access_points", key_of(k, path,
			    "access_point"), quote(&q, apid));
	} else
		apid = NULL;

	if (get_string(x, s, path, "root_directory", &v) == 1) {
		m = config_setting_get_member(s, "root_directory");
		key_of(k, path, "root_directory");
		if (apid != NULL && strcmp(v, "/") != 0)
			ERROR(x, line_of(m), "%s: root_directory must be "
			    "omitted or \"/\" when access_point is set (the "
			    "access point sets the root)", k);
		else if ((why = abs_path_problem(v, 1)) != NULL)
			ERROR(x, line_of(m), "%s: %s %s", k, quote(&q, v), why);
		else
			snprintf(mt->root_directory,
			    sizeof(mt->root_directory), "%s", v);
	}

	get_bool(x, s, path, "read_only", &mt->read_only);
	get_bool(x, s, path, "iam", &mt->iam);
	if (get_bool(x, s, path, "transit_encryption",
	    &mt->transit_encryption) < 0)
		mt->transit_encryption = 1;	/* reported already */
	if (!mt->transit_encryption && (apid != NULL || mt->iam)) {
		m = config_setting_get_member(s, "transit_encryption");
		ERROR(x, m != NULL ? line_of(m) : mt->line, "%s: %s requires "
		    "transit_encryption = true (ECS rejects the task "
		    "definition otherwise)", path, apid != NULL ?
		    "access_point" : "iam = true");
	}
}

static void
parse_mounts(struct ctx *x, const config_setting_t *root)
{
	static const char *const path = "mounts";
	struct efs_config *cfg = x->cfg;
	const struct efs_mount *a, *b;
	config_setting_t *s, *cp;
	struct quoted q, q2;
	char k[KEY_MAX];
	int line[EFS_MAX_MOUNTS];
	size_t la, lb;
	int i, j, n;

	if ((s = config_setting_get_member(root, path)) == NULL) {
		ERROR(x, 0, "mounts is required (a list of at least one mount)");
		return;
	}
	if (expect_list(x, s, path) != 0)
		return;
	if ((n = config_setting_length(s)) == 0) {
		ERROR(x, line_of(s), "mounts: must contain at least one mount");
		return;
	}
	if (n > EFS_MAX_MOUNTS) {
		ERROR(x, line_of(config_setting_get_elem(s, EFS_MAX_MOUNTS)),
		    "mounts: %d mounts, at most %d", n, EFS_MAX_MOUNTS);
		n = EFS_MAX_MOUNTS;
	}
	for (i = 0; i < n; i++) {
		parse_mount(x, config_setting_get_elem(s, i), key_at(k, path, i),
		    &cfg->mounts[i]);
		cp = config_setting_get_member(config_setting_get_elem(s, i),
		    "container_path");
		line[i] = cp != NULL ? line_of(cp) : cfg->mounts[i].line;
	}
	cfg->nmounts = n;

	/* Unique, and none inside another: reported at the later mount. */
	for (j = 1; j < n; j++) {
		b = &cfg->mounts[j];
		lb = strlen(b->container_path);
		for (i = 0; lb > 0 && i < j; i++) {
			a = &cfg->mounts[i];
			la = strlen(a->container_path);
			if (la == 0)
				continue;
			key_at(k, path, j);
			if (la == lb && memcmp(a->container_path,
			    b->container_path, la) == 0) {
				ERROR(x, line[j], "%s.container_path: %s is "
				    "already a mount (line %d)", k,
				    quote(&q, b->container_path), line[i]);
				break;
			}
			if (la < lb && memcmp(a->container_path,
			    b->container_path, la) == 0 &&
			    b->container_path[la] == '/') {
				ERROR(x, line[j], "%s.container_path: %s lies "
				    "inside the mount %s (line %d)", k,
				    quote(&q, b->container_path),
				    quote(&q2, a->container_path), line[i]);
				break;
			}
			if (lb < la && memcmp(a->container_path,
			    b->container_path, lb) == 0 &&
			    a->container_path[lb] == '/') {
				ERROR(x, line[j], "%s.container_path: the mount "
				    "%s (line %d) lies inside %s", k,
				    quote(&q2, a->container_path), line[i],
				    quote(&q, b->container_path));
				break;
			}
		}
	}
}

/* A warning about IAM statement st of the policy from src, where it is. */
static void warn_stmt(struct ctx *, const struct efs_policy_src *,
    const struct efs_stmt *, const char *, ...)
    __attribute__((format(printf, 4, 5)));

static void
warn_stmt(struct ctx *x, const struct efs_policy_src *src,
    const struct efs_stmt *st, const char *fmt, ...)
{
	char name[160], msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	efs_iam_stmt_name(efs_config_str(x->cfg, st->sid), st->index,
	    st->jline, name, sizeof(name));
	if (src->form == EFS_FORM_FILE)
		diag_add(x->d, src->file, st->jline, 1, "%s: %s", name, msg);
	else
		WARN(x, st->line, "%s: %s", name, msg);
}

/* Are all the AWS principals of st accounts ("ACCOUNT", arn:...:root)? */
static int
only_accounts(const struct efs_config *cfg, const struct efs_stmt *st)
{
	const char *v = efs_config_str(cfg, st->prin.off);
	char acct[16];
	uint32_t k;

	for (k = 0; k < st->prin.n; k++, v += strlen(v) + 1)
		if (efs_iam_account(v, acct, sizeof(acct)) == NULL ||
		    (strcmp(v, acct) != 0 && (strlen(v) < 5 ||
		    strcmp(v + strlen(v) - 5, ":root") != 0)))
			return 0;
	return 1;
}

/*
 * IAM statements that name ARNs efsap cannot form (no task.account,
 * task.region or task.role_arn), or a Resource that is not this file
 * system: they never apply, which is rarely what their author meant.
 */
static void
cross_check_iam(struct ctx *x, int role, int iam_mounts)
{
	struct efs_config *cfg = x->cfg;
	const struct efs_policy_src *src = role ? &cfg->role_src :
	    &cfg->policy_src;
	const struct efs_stmt *st;
	const struct efs_cond *c;
	const char *v;
	char arn[EFS_ARN_MAX];
	int i, j, n = role ? cfg->nrole : cfg->npolicy, need_arn, match;
	int have_arn = efs_config_arn(cfg, NULL, arn, sizeof(arn)) == 0;
	int said_arn = 0, said_role = 0;
	uint32_t k;

	for (i = 0; i < n; i++) {
		st = role ? &cfg->role[i] : &cfg->policy[i];
		if (!st->iam)
			continue;
		need_arn = 0;
		match = 0;
		v = efs_config_str(cfg, st->res.off);
		for (k = 0; st->has_resource && k < st->res.n;
		    k++, v += strlen(v) + 1) {
			if (strcmp(v, "*") != 0)
				need_arn = 1;
			if (strcmp(v, "*") == 0 ||
			    (have_arn && efs_iam_glob(v, arn, 0)))
				match = 1;
		}
		for (j = 0; j < st->ncond && st->cond + j < cfg->nconds; j++) {
			c = &cfg->conds[st->cond + j];
			if (c->key == EFS_KEY_ACCESS_POINT_ARN)
				need_arn = 1;
			if (c->key == EFS_KEY_PRINCIPAL_ARN && iam_mounts &&
			    cfg->role_arn[0] == '\0' && !said_role++)
				warn_stmt(x, src, st, "aws:PrincipalArn needs "
				    "task.role_arn: without it the condition "
				    "never holds for iam mounts");
		}
		if (need_arn && !have_arn && !said_arn++)
			warn_stmt(x, src, st, "names ARNs, but without "
			    "task.account and task.region efsap cannot form "
			    "the ARNs to match: Resource ARNs and "
			    "AccessPointArn conditions never match");
		else if (have_arn && st->has_resource && !st->not_resource &&
		    !match && st->actions != 0)
			warn_stmt(x, src, st, "its Resource does not match "
			    "this file system, %s: the statement never "
			    "applies", arn);
		if (!role && !st->deny && st->prin_form == EFS_PF_PRINCIPAL &&
		    st->prin.n > 0 && !st->prin_any && only_accounts(cfg, st))
			warn_stmt(x, src, st, "an Allow to an account only "
			    "delegates to the account's identity policies "
			    "(IAM): it grants nothing by itself; a role needs "
			    "task.role_policy to allow");
		if (!role && iam_mounts && cfg->role_arn[0] == '\0' &&
		    st->prin.n > 0 && !st->prin_any && !said_role++)
			warn_stmt(x, src, st, "names principals by ARN or "
			    "account, but task.role_arn is not set: they never "
			    "match the task role");
	}
}

/* Rules across sections: policy conditions and principals that can never match. */
static void
cross_check(struct ctx *x)
{
	struct efs_config *cfg = x->cfg;
	struct efs_stmt *st;
	struct quoted q;
	int i, j, iam = 0, nstmt;

	for (i = 0; i < cfg->nmounts; i++)
		if (cfg->mounts[i].iam)
			iam = 1;
	for (i = 0; i < cfg->npolicy + cfg->nrole; i++) {
		nstmt = i < cfg->npolicy;
		st = nstmt ? &cfg->policy[i] : &cfg->role[i - cfg->npolicy];
		if (nstmt && st->principal == EFS_PRIN_TASK && !iam)
			WARN(x, st->line, "file_system.policy.[%d]: principal "
			    "\"task\" matches only mounts with iam = true, and "
			    "no mount has it: this statement never applies", i);
		if (st->access_point[0] == '\0')
			continue;
		for (j = 0; j < cfg->naps; j++)
			if (strcmp(cfg->aps[j].id, st->access_point) == 0)
				break;
		if (j == cfg->naps)
			WARN(x, st->line, "%s.[%d].access_point: %s names no "
			    "access point in access_points: this statement "
			    "never applies", nstmt ? "file_system.policy" :
			    "task.role_policy", nstmt ? i : i - cfg->npolicy,
			    quote(&q, st->access_point));
	}
	if (cfg->has_role_policy && cfg->nrole > 0 && !iam)
		WARN(x, cfg->role[0].line, "task.role_policy: applies only to "
		    "mounts with iam = true, and no mount has it");
	cross_check_iam(x, 0, iam);
	cross_check_iam(x, 1, iam);
}

/*
 * The line of the first byte that is not valid UTF-8, or 0; *bad gets the
 * byte.  Overlong forms, surrogates and code points above U+10FFFF are
 * invalid.  A NUL byte is refused as well (libconfig would stop there).
 */
static int
utf8_problem(const unsigned char *s, size_t len, unsigned *bad)
{
	size_t i = 0, n, k;
	unsigned cp, min;
	int line = 1;

	while (i < len) {
		if (s[i] == '\n')
			line++;
		if (s[i] == '\0') {
			*bad = 0;
			return line;
		}
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if (s[i] >= 0xc2 && s[i] <= 0xdf) {
			n = 1;
			cp = s[i] & 0x1f;
			min = 0x80;
		} else if (s[i] >= 0xe0 && s[i] <= 0xef) {
			n = 2;
			cp = s[i] & 0x0f;
			min = 0x800;
		} else if (s[i] >= 0xf0 && s[i] <= 0xf4) {
			n = 3;
			cp = s[i] & 0x07;
			min = 0x10000;
		} else {
			*bad = s[i];
			return line;
		}
		for (k = 1; k <= n; k++) {
			if (i + k >= len || (s[i + k] & 0xc0) != 0x80) {
				*bad = s[i];
				return line;
			}
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
			*bad = s[i];
			return line;
		}
		i += n + 1;
	}
	return 0;
}

static int
is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '*';
}

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/*
 * Copy the number at in[*ip] to out[*op], giving every plain integer
 * literal an "L" suffix: libconfig 1.5 would truncate one beyond 32 bits,
 * and an array must not mix 32- and 64-bit integers, so all are 64-bit.
 */
static void
copy_number(const char *in, size_t len, size_t *ip, char *out, size_t *op)
{
	size_t i = *ip, start = *ip;
	int sign = 0, hex = 0, integer = 1;

	if (in[i] == '-' || in[i] == '+') {
		sign = 1;
		i++;
	}
	if (!sign && in[i] == '0' && i + 2 < len && (in[i + 1] == 'x' ||
	    in[i + 1] == 'X') && efs_hexval(in[i + 2]) >= 0) {
		hex = 1;
		for (i += 2; i < len && efs_hexval(in[i]) >= 0; i++)
			;
	} else {
		while (i < len && is_digit(in[i]))
			i++;
	}
	if (!hex && i < len && (in[i] == '.' || in[i] == 'e' || in[i] == 'E')) {
		/* a float: copied as it is */
		while (i < len && (is_digit(in[i]) || in[i] == '.' ||
		    in[i] == 'e' || in[i] == 'E' || ((in[i] == '-' ||
		    in[i] == '+') && (in[i - 1] == 'e' || in[i - 1] == 'E'))))
			i++;
		integer = 0;
	} else if (i < len && in[i] == 'L')
		integer = 0;		/* already 64-bit */
	memcpy(out + *op, in + start, i - start);
	*op += i - start;
	if (integer)
		out[(*op)++] = 'L';
	*ip = i;
}

/*
 * Prepare the bytes of a configuration for libconfig (see the top of the
 * file) into out, which has room for 2 * len + 1 bytes.  Returns 0, or the
 * line of the first problem with *why set.
 */
static int
prescan(const char *in, size_t len, char *out, const char **why)
{
	size_t i = 0, o = 0, lines = 0;
	int line = 1, depth = 0;
	char c;

	for (i = 0; i < len; i++)
		if (in[i] == '\n')
			lines++;
	if (len > 0 && in[len - 1] != '\n')
		lines++;
	if (lines > CONF_LINES_MAX) {
		*why = "more than 65535 lines";
		return CONF_LINES_MAX + 1;
	}
	i = 0;
	if (len >= 3 && memcmp(in, "\xef\xbb\xbf", 3) == 0) {
		/* a byte order mark: whitespace to libconfig */
		memcpy(out, "   ", 3);
		i = o = 3;
	}
	while (i < len) {
		c = in[i];
		if (c == '\n')
			line++;
		if (c == '#' || (c == '/' && i + 1 < len && in[i + 1] == '/')) {
			while (i < len && in[i] != '\n')
				out[o++] = in[i++];
		} else if (c == '/' && i + 1 < len && in[i + 1] == '*') {
			out[o++] = in[i++];
			out[o++] = in[i++];
			while (i < len && !(in[i] == '*' && i + 1 < len &&
			    in[i + 1] == '/')) {
				if (in[i] == '\n')
					line++;
				out[o++] = in[i++];
			}
		} else if (c == '"') {
			out[o++] = in[i++];
			while (i < len && in[i] != '"') {
				if (in[i] == '\\' && i + 1 < len)
					out[o++] = in[i++];
				if (in[i] == '\n')
					line++;
				out[o++] = in[i++];
			}
			if (i < len)
				out[o++] = in[i++];
		} else if (c == '@') {
			*why = "@include is not supported (a configuration is "
			    "one file)";
			return line;
		} else if (c == '(' || c == '[' || c == '{') {
			if (++depth > CONF_DEPTH_MAX) {
				*why = "nesting deeper than 32 levels";
				return line;
			}
			out[o++] = in[i++];
		} else if (c == ')' || c == ']' || c == '}') {
			if (depth > 0)
				depth--;
			out[o++] = in[i++];
		} else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    c == '*') {
			while (i < len && is_name_char(in[i]))
				out[o++] = in[i++];
		} else if (is_digit(c) || ((c == '-' || c == '+') &&
		    i + 1 < len && is_digit(in[i + 1])))
			copy_number(in, len, &i, out, &o);
		else
			out[o++] = in[i++];
	}
	out[o] = '\0';
	return 0;
}

/*
 * Read file whole into a new buffer (NUL-terminated).  Returns 0, or
 * -errno with a diagnostic: -EISDIR, -EINVAL for something that is not a
 * regular file, -EFBIG beyond CONF_SIZE_MAX.
 */
static int
read_whole(struct ctx *x, char **bufp, size_t *lenp)
{
	struct stat st;
	size_t len = 0, cap = 0;
	ssize_t n;
	char *buf = NULL;
	int fd, e = 0;

	if ((fd = open(x->file, O_RDONLY | O_CLOEXEC | O_NOCTTY |
	    O_NONBLOCK)) < 0) {
		e = -errno;
		ERROR(x, 0, "cannot open: %s", strerror(-e));
		return e;
	}
	if (file_stat(fd, &st) != 0) {
		e = -errno;
		ERROR(x, 0, "cannot stat: %s", strerror(-e));
	} else if (S_ISDIR(st.st_mode)) {
		e = -EISDIR;
		ERROR(x, 0, "is a directory, not a configuration file");
	} else if (!S_ISREG(st.st_mode)) {
		e = -EINVAL;
		ERROR(x, 0, "not a regular file");
	} else if (st.st_size > CONF_SIZE_MAX) {
		e = -EFBIG;
		ERROR(x, 0, "too large: %lld bytes (at most 1 MiB)",
		    (long long)st.st_size);
	} else {
		/* room for the file as it is and some growth: one more byte than
		   CONF_SIZE_MAX at most, to see a file that grew too large */
		cap = (size_t)st.st_size + 4096 < CONF_SIZE_MAX + 1 ?
		    (size_t)st.st_size + 4096 : CONF_SIZE_MAX + 1;
		if ((buf = malloc(cap + 1)) == NULL) {
			e = -ENOMEM;
			ERROR(x, 0, "out of memory");
		}
	}
	while (e == 0 && len < cap) {
		n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			e = -errno;
			ERROR(x, 0, "cannot read: %s", strerror(-e));
		} else if (n == 0)
			break;
		else
			len += n;
	}
	if (e == 0 && len > CONF_SIZE_MAX) {
		e = -EFBIG;
		ERROR(x, 0, "too large: more than 1 MiB");
	} else if (e == 0 && len == cap) {
		e = -EAGAIN;
		ERROR(x, 0, "the file grew while it was being read");
	}
	close(fd);
	if (e != 0) {
		free(buf);
		return e;
	}
	buf[len] = '\0';
	*bufp = buf;
	*lenp = len;
	return 0;
}

/* Order the diagnostics by line, keeping the order of those on one line. */
static int
diag_before(const struct efs_diag *a, const struct efs_diag *b,
    const char *main)
{
	int fa = strcmp(a->file, main) != 0, fb = strcmp(b->file, main) != 0;

	/* The configuration's own first, then the policy files' */
	if (fa != fb)
		return fa < fb;
	return a->line < b->line;
}

static void
diags_sort(struct efs_diags *d, const char *main)
{
	struct efs_diag *t;
	int i, j;

	if (d->n < 2 || (t = malloc(sizeof(*t))) == NULL)
		return;
	for (i = 1; i < d->n; i++) {
		if (!diag_before(&d->d[i], &d->d[i - 1], main))
			continue;
		*t = d->d[i];
		for (j = i; j > 0 && diag_before(t, &d->d[j - 1], main); j--)
			d->d[j] = d->d[j - 1];
		d->d[j] = *t;
	}
	free(t);
}

/* Parse the prepared text and check every rule.  Returns 0 or -EINVAL. */
static int
validate(struct ctx *x, const char *text)
{
	static const char *const keys[] = { "file_system", "access_points",
	    "task", "mounts", NULL };
	config_setting_t *root;
	config_t lc;

	config_init(&lc);
	if (config_read_string(&lc, text) != CONFIG_TRUE) {
		ERROR(x, config_error_line(&lc), "%s",
		    config_error_text(&lc) != NULL ? config_error_text(&lc) :
		    "syntax error");
		config_destroy(&lc);
		return -EINVAL;
	}
	root = config_root_setting(&lc);
	if (config_setting_length(root) == 0) {
		ERROR(x, 0, "empty configuration: file_system and mounts are "
		    "required");
		config_destroy(&lc);
		return -EINVAL;
	}
	check_keys(x, root, "", keys);
	parse_file_system(x, root);
	parse_access_points(x, root);
	parse_task(x, root);
	parse_mounts(x, root);
	cross_check(x);
	diags_sort(x->d, x->file);
	config_destroy(&lc);
	return x->d->nerrors > 0 ? -EINVAL : 0;
}


int
efs_config_load(const char *file, const struct efs_ident *invoker,
    struct efs_config *cfg, struct efs_diags *d)
{
	struct ctx x;
	char cwd[EFS_PATH_MAX], *raw = NULL, *text = NULL;
	const char *why;
	unsigned bad;
	size_t len = 0;
	int e, line;

	d->n = d->nerrors = d->nwarnings = d->dropped = 0;	/* entries are written whole */
	efs_config_clear(invoker, cfg);
	if (file == NULL || file[0] == '\0') {
		diag_add(d, "efsap", 0, 0, "no configuration file named");
		return -EINVAL;
	}
	x.file = file;
	x.cfg = cfg;
	x.d = d;
	x.inv = invoker;

	if (file[0] == '/')
		e = efs_config_path_normalise(file, cfg->file, sizeof(cfg->file));
	else if (getcwd(cwd, sizeof(cwd)) == NULL) {
		e = -errno;
		ERROR(&x, 0, "cannot find the current directory: %s",
		    strerror(-e));
		return e;
	} else
		e = efs_config_path_join(cwd, file, cfg->file, sizeof(cfg->file));
	if (e != 0) {
		ERROR(&x, 0, "path too long");
		return -ENAMETOOLONG;
	}

	if ((e = read_whole(&x, &raw, &len)) != 0)
		return e;
	if ((line = utf8_problem((unsigned char *)raw, len, &bad)) != 0) {
		if (bad == 0)
			ERROR(&x, line, "NUL byte: not a text file");
		else
			ERROR(&x, line, "not valid UTF-8 (byte 0x%02x)", bad);
		free(raw);
		return -EINVAL;
	}
	if ((text = malloc(2 * len + 1)) == NULL) {
		free(raw);
		ERROR(&x, 0, "out of memory");
		return -ENOMEM;
	}
	if ((line = prescan(raw, len, text, &why)) != 0) {
		ERROR(&x, line, "%s", why);
		e = -EINVAL;
	} else
		e = validate(&x, text);
	free(text);
	free(raw);
	return e;
}
