/* SPDX-License-Identifier: MIT */
/*
 * import_tf.c: read `terraform show -json` for `efsap import`: a plan
 * (planned_values.root_module) or a state (values.root_module), child
 * modules included.  The resources read are aws_efs_file_system,
 * aws_efs_access_point, aws_efs_file_system_policy, aws_ecs_task_definition
 * (whose container_definitions is a JSON string), aws_iam_role_policy and
 * the inline_policy blocks of aws_iam_role; the rest is ignored.
 *
 * Terraform writes a nested block as a list of objects (root_directory,
 * creation_info, volume, efs_volume_configuration, ...); a block given
 * once is element 0.  A value a plan does not know yet is absent from
 * planned_values: the id of a file system or access point the plan
 * creates is named after its resource, and what refers to one is found
 * through the plan's configuration (see tf_name_id()); anything else
 * unknown is an error telling to import the state after `terraform
 * apply`.
 */
#include <stdio.h>
#include <string.h>

#include "import.h"
#include "import_name.h"

/* Element 0 of a nested block list, with its path; NULL when absent. */
static json_t *
block(struct imp *im, const char *file, json_t *o, const char *path,
    const char *key, char **bpath)
{
	json_t *v = json_object_get(o, key), *b;
	char *p = imp_key(im, path, key);

	*bpath = imp_idx(im, p, 0);
	if (v == NULL || json_is_null(v))
		return NULL;
	if (json_is_object(v)) { /* tolerate a bare object */
		*bpath = p;
		return v;
	}
	if (!json_is_array(v)) {
		imp_error(im, imp_src(im, file, p), "expected a block list");
		return NULL;
	}
	if (json_array_size(v) == 0)
		return NULL;
	b = json_array_get(v, 0);
	if (!json_is_object(b)) {
		imp_error(im, imp_src(im, file, *bpath), "expected an object");
		return NULL;
	}
	return b;
}

/* A value the plan leaves to apply time. */
static void
unknown(struct imp *im, const char *file, const char *path, const char *key,
    const char *address)
{
	imp_error(im, imp_src(im, file, imp_key(im, path, key)),
	    "%s has no %s: a plan does not know it before terraform apply; "
	    "import the state (terraform show -json after apply) or give the "
	    "aws CLI documents",
	    address, key);
}

/*
 * A plan does not know the ids of resources it creates.  They are named
 * after their resources ("fs-" or "fsap-" and the resource's name, its
 * modules' names before it), and a value that refers to one (an access
 * point's file_system_id, a volume's access_point_id) is found through
 * the references of the plan's configuration.  This is the context of one
 * document, set by imp_read_terraform().
 */
struct tf_res {
	char *address;			/* without instance keys */
	char *id, *id_src;
};
static struct {
	json_t *config;			/* configuration.root_module, or NULL */
	int nres;
	struct tf_res res[IMP_MAX];
} tfx;

/* An address without its instance keys: module.a[0].x.y["k"] -> module.a.x.y */
static char *
bare_address(struct imp *im, const char *address)
{
	char *s = imp_strdup(im, address);

	/* never longer than the address */
	(void)imp_bare_address(address, s, strlen(address) + 1);
	return s;
}

/* The module part of a bare address: "module.a.module.b", or "". */
static char *
module_of(struct imp *im, const char *bare)
{
	return imp_printf(im, "%.*s", (int)imp_module_len(bare), bare);
}

/* The id a resource will have: its own, or one named after it. */
static void
tf_name_id(struct imp *im, const char *file, const char *vp, json_t *v,
    const char *type, const char *address)
{
	const char *prefix = strcmp(type, "aws_efs_file_system") == 0 ?
	    "fs-" : "fsap-";
	char *bare = bare_address(im, address), *id;
	struct tf_res *r;
	size_t n;
	json_t *known = json_object_get(v, "id");

	if (tfx.nres == IMP_MAX)
		return;
	r = &tfx.res[tfx.nres++];
	r->address = bare;
	if (json_is_string(known)) {
		r->id = imp_strdup(im, json_string_value(known));
		r->id_src = imp_src(im, file, imp_key(im, vp, "id"));
		return;
	}
	/* module.efs.aws_efs_access_point.var -> fsap-efs-var */
	n = strlen(prefix) + strlen(bare) + 1;
	id = imp_printf(im, "%*s", (int)n, "");
	if (imp_named_id(bare, prefix, id, n + 1) != 0) {
		tfx.nres--;		/* cannot happen: n is enough */
		return;
	}
	r->id = id;
	r->id_src = imp_printf(im, "%s: %s, created by this plan: its id "
	    "is named after it", file, address);
}

static struct tf_res *
tf_find(const char *bare)
{
	int i;

	for (i = 0; i < tfx.nres; i++)
		if (strcmp(tfx.res[i].address, bare) == 0)
			return &tfx.res[i];
	return NULL;
}

/* The configuration of a resource, and its JSON path. */
static json_t *
tf_config(struct imp *im, const char *address, char **path)
{
	char *bare = bare_address(im, address), *mod = module_of(im, bare);
	const char *p, *q, *type_name = bare + strlen(mod) + (mod[0] != '\0');
	json_t *m = tfx.config, *rs, *r;
	size_t i;

	*path = imp_strdup(im, "$.configuration.root_module");
	for (p = mod; m != NULL && *p != '\0'; p = q + (*q != '\0')) {
		/* "module" "." NAME ["." ...] */
		p += 7;
		if ((q = strchr(p, '.')) == NULL)
			q = p + strlen(p);
		m = json_object_get(json_object_get(json_object_get(m,
		    "module_calls"), imp_printf(im, "%.*s", (int)(q - p), p)),
		    "module");
		*path = imp_printf(im, "%s.module_calls.%.*s.module", *path,
		    (int)(q - p), p);
	}
	rs = json_object_get(m, "resources");
	json_array_foreach(rs, i, r) {
		if (strcmp(json_string_value(json_object_get(r, "address")) ?
		    json_string_value(json_object_get(r, "address")) : "",
		    type_name) == 0) {
			*path = imp_printf(im, "%s.resources[%zu].expressions",
			    *path, i);
			return json_object_get(r, "expressions");
		}
	}
	return NULL;
}

/*
 * The id an expression refers to: "aws_efs_file_system.x.id" (or the
 * resource itself) within the module of `address`.  Sets *src.
 */
static char *
tf_ref(struct imp *im, const char *file, json_t *expr, const char *path,
    const char *address, char **src)
{
	char *mod = module_of(im, bare_address(im, address)), *ref;
	const char *s, *dot;
	struct tf_res *r;
	json_t *refs, *one;
	size_t i;

	refs = json_object_get(expr, "references");
	json_array_foreach(refs, i, one) {
		if ((s = json_string_value(one)) == NULL ||
		    (dot = strchr(s, '.')) == NULL)
			continue;
		if ((dot = strchr(dot + 1, '.')) == NULL)
			dot = s + strlen(s);
		ref = imp_printf(im, "%s%s%.*s", mod, mod[0] ? "." : "",
		    (int)(dot - s), s);
		if ((r = tf_find(bare_address(im, ref))) != NULL) {
			*src = imp_printf(im, "%s: %s refers to %s", file,
			    path, r->address);
			return r->id;
		}
	}
	return NULL;
}

/* A value the plan leaves unknown, found through the configuration. */
static char *
tf_resolve(struct imp *im, const char *file, json_t *exprs,
    const char *epath, const char *key, const char *address, char **src)
{
	json_t *e = json_object_get(exprs, key);

	if (e == NULL)
		return NULL;
	return tf_ref(im, file, e, imp_key(im, epath, key), address, src);
}

static void
tf_fs(struct imp *im, const char *file, json_t *v, const char *vp,
    const char *address)
{
	struct imp_fs fs;
	struct tf_res *r;
	json_t *tags;

	memset(&fs, 0, sizeof(fs));
	if ((r = tf_find(bare_address(im, address))) == NULL) {
		unknown(im, file, vp, "id", address);
		return;
	}
	fs.id = r->id;
	fs.id_src = r->id_src;
	if (imp_str(im, file, v, vp, "arn", &fs.arn) == 1)
		fs.arn_src = imp_src(im, file, imp_key(im, vp, "arn"));
	if (imp_str(im, file, v, vp, "owner_id", &fs.owner) == 1)
		fs.owner_src = imp_src(im, file, imp_key(im, vp, "owner_id"));
	if (json_is_object(tags = json_object_get(v, "tags")))
		(void)imp_str(
		    im, file, tags, imp_key(im, vp, "tags"), "Name", &fs.name);
	imp_add_fs(im, &fs);
}

static void
tf_ap(struct imp *im, const char *file, json_t *v, const char *vp,
    const char *address)
{
	struct imp_ap ap;
	struct tf_res *r;
	json_t *rd, *ci, *pu, *exprs, *tags;
	char *rp, *cp, *pp, *sp, *ep;
	int bad = im->errors;

	memset(&ap, 0, sizeof(ap));
	ap.where = imp_src(im, file, vp);
	if ((r = tf_find(bare_address(im, address))) == NULL) {
		unknown(im, file, vp, "id", address);
		return;
	}
	ap.id = r->id;
	ap.id_src = r->id_src;
	if (imp_str(im, file, v, vp, "file_system_id", &ap.fs_id) == 1) {
		ap.fs_src = imp_src(im, file,
		    imp_key(im, vp, "file_system_id"));
	} else {
		exprs = tf_config(im, address, &ep);
		ap.fs_id = tf_resolve(im, file, exprs, ep, "file_system_id",
		    address, &ap.fs_src);
		if (ap.fs_id == NULL) {
			unknown(im, file, vp, "file_system_id", address);
			return;
		}
	}
	if (imp_str(im, file, v, vp, "arn", &ap.arn) == 1)
		ap.arn_src = imp_src(im, file, imp_key(im, vp, "arn"));
	if (imp_str(im, file, v, vp, "owner_id", &ap.owner) == 1)
		ap.owner_src = imp_src(im, file, imp_key(im, vp, "owner_id"));
	if (json_is_object(tags = json_object_get(v, "tags")))
		(void)imp_str(im, file, tags, imp_key(im, vp, "tags"), "Name",
		    &ap.name);
	ap.root = "/";
	if ((rd = block(im, file, v, vp, "root_directory", &rp)) != NULL) {
		if (imp_str(im, file, rd, rp, "path", &ap.root) != 1)
			ap.root = "/";
		else
			ap.root_src =
			    imp_src(im, file, imp_key(im, rp, "path"));
		if ((ci = block(im, file, rd, rp, "creation_info", &cp)) !=
		    NULL) {
			ap.has_ci = 1;
			if (imp_int(im, file, ci, cp, "owner_uid",
				&ap.ci_uid) != 1 ||
			    imp_int(im, file, ci, cp, "owner_gid",
				&ap.ci_gid) != 1 ||
			    imp_str(im, file, ci, cp, "permissions",
				&ap.perms) != 1)
				imp_error(im, imp_src(im, file, cp),
				    "creation_info needs owner_uid, owner_gid "
				    "and permissions");
			ap.ci_uid_src =
			    imp_src(im, file, imp_key(im, cp, "owner_uid"));
			ap.ci_gid_src =
			    imp_src(im, file, imp_key(im, cp, "owner_gid"));
			ap.perms_src =
			    imp_src(im, file, imp_key(im, cp, "permissions"));
		}
	}
	if ((pu = block(im, file, v, vp, "posix_user", &pp)) != NULL) {
		ap.has_pu = 1;
		if (imp_int(im, file, pu, pp, "uid", &ap.pu_uid) != 1 ||
		    imp_int(im, file, pu, pp, "gid", &ap.pu_gid) != 1)
			imp_error(im, imp_src(im, file, pp),
			    "posix_user needs uid and gid");
		ap.pu_uid_src = imp_src(im, file, imp_key(im, pp, "uid"));
		ap.pu_gid_src = imp_src(im, file, imp_key(im, pp, "gid"));
		sp = imp_key(im, pp, "secondary_gids");
		ap.sec_src = imp_src(im, file, sp);
		imp_gids(
		    im, file, json_object_get(pu, "secondary_gids"), sp, &ap);
	}
	if (im->errors == bad)
		imp_add_ap(im, &ap);
}

/* A policy held in a string attribute. */
static void
tf_policy_string(struct imp *im, const char *file, json_t *v, const char *vp,
    const char *key, const char *fs_id, const char *role, const char *address)
{
	json_t *doc;
	char *s;

	if (imp_str(im, file, v, vp, key, &s) != 1) {
		unknown(im, file, vp, key, address);
		return;
	}
	if ((doc = imp_parse_string(im, file, imp_key(im, vp, key), s)) == NULL)
		return;
	imp_add_policy(im, doc, file, imp_key(im, vp, key), fs_id, role, 1);
	json_decref(doc);
}

static void
tf_fs_policy(struct imp *im, const char *file, json_t *v, const char *vp,
    const char *address)
{
	char *fs, *ep, *src;
	json_t *exprs;

	if (imp_str(im, file, v, vp, "file_system_id", &fs) != 1) {
		exprs = tf_config(im, address, &ep);
		fs = tf_resolve(im, file, exprs, ep, "file_system_id", address,
		    &src);
		if (fs == NULL) {
			unknown(im, file, vp, "file_system_id", address);
			return;
		}
	}
	tf_policy_string(im, file, v, vp, "policy", fs, NULL, address);
}

static void
tf_role_policy(struct imp *im, const char *file, json_t *v, const char *vp,
    const char *address)
{
	char *role;

	if (imp_str(im, file, v, vp, "role", &role) != 1) {
		unknown(im, file, vp, "role", address);
		return;
	}
	tf_policy_string(im, file, v, vp, "policy", NULL, role, address);
}

static void
tf_role(struct imp *im, const char *file, json_t *v, const char *vp,
    const char *address)
{
	json_t *ips, *ip;
	char *name, *ipp;
	size_t i;

	if (imp_str(im, file, v, vp, "name", &name) != 1)
		return;
	ips = json_object_get(v, "inline_policy");
	ipp = imp_key(im, vp, "inline_policy");
	if (!json_is_array(ips))
		return;
	json_array_foreach(ips, i, ip) {
		if (json_is_object(ip) &&
		    json_is_string(json_object_get(ip, "policy")) &&
		    json_string_value(json_object_get(ip, "policy"))[0] != '\0')
			tf_policy_string(im, file, ip, imp_idx(im, ipp, i),
			    "policy", NULL, name, address);
	}
}

/*
 * The expressions of block `key` (element 0) below those of volume `name`
 * of a task definition's configuration; NULL when absent.
 */
static json_t *
tf_volume_config(struct imp *im, const char *address, const char *name,
    const char *key, const char *key2, char **path)
{
	json_t *exprs, *vs, *v, *b;
	const char *n;
	char *ep;
	size_t i;

	if (name == NULL || (exprs = tf_config(im, address, &ep)) == NULL)
		return NULL;
	vs = json_object_get(exprs, "volume");
	json_array_foreach(vs, i, v) {
		n = json_string_value(json_object_get(json_object_get(v,
		    "name"), "constant_value"));
		if (n == NULL || strcmp(n, name) != 0)
			continue;
		b = json_array_get(json_object_get(v, key), 0);
		*path = imp_printf(im, "%s.volume[%zu].%s[0]", ep, i, key);
		if (b != NULL && key2 != NULL) {
			b = json_array_get(json_object_get(b, key2), 0);
			*path = imp_printf(im, "%s.%s[0]", *path, key2);
		}
		return b;
	}
	return NULL;
}

static void
tf_volume(struct imp *im, const char *file, json_t *o, const char *path,
    const char *address, struct imp_volume *vol)
{
	json_t *efs, *auth, *cfg;
	char *ep, *ap, *s, *cp;

	vol->where = imp_src(im, file, path);
	if (imp_str(im, file, o, path, "name", &vol->name) != 1)
		imp_error(im, vol->where, "a volume without a name");
	if ((efs = block(im, file, o, path, "efs_volume_configuration", &ep)) ==
	    NULL)
		return;
	vol->efs = 1;
	vol->fs_src = imp_src(im, file, imp_key(im, ep, "file_system_id"));
	if (imp_str(im, file, efs, ep, "file_system_id", &vol->fs_id) != 1) {
		cfg = tf_volume_config(im, address, vol->name,
		    "efs_volume_configuration", NULL, &cp);
		vol->fs_id = tf_resolve(im, file, cfg, cp, "file_system_id",
		    address, &vol->fs_src);
		if (vol->fs_id == NULL)
			unknown(im, file, ep, "file_system_id", address);
	}
	if (imp_str(im, file, efs, ep, "root_directory", &vol->root) == 1 &&
	    vol->root[0] != '\0')
		vol->root_src =
		    imp_src(im, file, imp_key(im, ep, "root_directory"));
	else
		vol->root = NULL;
	if (imp_enabled(im, file, efs, ep, "transit_encryption", &vol->tls) ==
	    1)
		vol->tls_src =
		    imp_src(im, file, imp_key(im, ep, "transit_encryption"));
	if ((auth = block(im, file, efs, ep, "authorization_config", &ap)) ==
	    NULL)
		return;
	if (imp_str(im, file, auth, ap, "access_point_id", &s) == 1) {
		if (s[0] != '\0') {
			vol->ap = s;
			vol->ap_src = imp_src(im, file,
			    imp_key(im, ap, "access_point_id"));
		}
	} else {
		cfg = tf_volume_config(im, address, vol->name,
		    "efs_volume_configuration", "authorization_config", &cp);
		if (json_object_get(cfg, "access_point_id") != NULL &&
		    (vol->ap = tf_resolve(im, file, cfg, cp, "access_point_id",
		    address, &vol->ap_src)) == NULL)
			unknown(im, file, ap, "access_point_id", address);
	}
	if (imp_enabled(im, file, auth, ap, "iam", &vol->iam) == 1)
		vol->iam_src = imp_src(im, file, imp_key(im, ap, "iam"));
}

static void
tf_task(struct imp *im, const char *file, json_t *v, const char *vp,
    const char *address)
{
	struct imp_task *t;
	json_t *c, *vols, *o;
	char *s, *cp, *volp;
	size_t i;

	if ((t = imp_new_task(im, file, imp_src(im, file, vp))) == NULL)
		return;
	if (imp_str(im, file, v, vp, "arn", &t->arn) == 1)
		t->arn_src = imp_src(im, file, imp_key(im, vp, "arn"));
	if (imp_str(im, file, v, vp, "task_role_arn", &t->role_arn) == 1 &&
	    t->role_arn[0] != '\0')
		t->role_src =
		    imp_src(im, file, imp_key(im, vp, "task_role_arn"));
	else
		t->role_arn = NULL;
	cp = imp_key(im, vp, "container_definitions");
	t->containers_path = imp_printf(im, "%s: %s: $", file, cp);
	if (imp_str(im, file, v, vp, "container_definitions", &s) != 1) {
		unknown(im, file, vp, "container_definitions", address);
		return;
	}
	if ((c = imp_parse_string(im, file, cp, s)) == NULL)
		return;
	if (!json_is_array(c)) {
		imp_error(im, imp_src(im, file, cp),
		    "expected a JSON array of containers in the string");
		json_decref(c);
		return;
	}
	t->containers = c;
	vols = json_object_get(v, "volume");
	volp = imp_key(im, vp, "volume");
	if (vols == NULL || json_is_null(vols))
		return;
	if (!json_is_array(vols)) {
		imp_error(im, imp_src(im, file, volp), "expected a block list");
		return;
	}
	json_array_foreach(vols, i, o) {
		if (t->nvol == IMP_MAX) {
			imp_error(im, imp_src(im, file, volp),
			    "more than %d volumes", IMP_MAX);
			return;
		}
		if (json_is_object(o))
			tf_volume(im, file, o, imp_idx(im, volp, i), address,
			    &t->vol[t->nvol++]);
		else
			imp_error(im, imp_src(im, file, imp_idx(im, volp, i)),
			    "expected an object");
	}
}

static const struct {
	const char *type;
	void (*fn)(
	    struct imp *, const char *, json_t *, const char *, const char *);
} tf_types[] = {
	{ "aws_efs_file_system", tf_fs },
	{ "aws_efs_access_point", tf_ap },
	{ "aws_efs_file_system_policy", tf_fs_policy },
	{ "aws_ecs_task_definition", tf_task },
	{ "aws_iam_role_policy", tf_role_policy },
	{ "aws_iam_role", tf_role },
};

static void
tf_module(struct imp *im, const char *file, json_t *mod, const char *path,
    int depth)
{
	json_t *rs, *r, *v, *cms, *cm;
	const char *type, *address;
	char *rp, *rsp, *cmp;
	size_t i, k;

	if (depth > 32) {
		imp_error(
		    im, imp_src(im, file, path), "modules nested too deeply");
		return;
	}
	rs = json_object_get(mod, "resources");
	rsp = imp_key(im, path, "resources");
	json_array_foreach(rs, i, r) {
		rp = imp_idx(im, rsp, i);
		type = json_string_value(json_object_get(r, "type"));
		address = json_string_value(json_object_get(r, "address"));
		if (type == NULL)
			continue;
		for (k = 0; k < sizeof(tf_types) / sizeof(tf_types[0]); k++) {
			if (strcmp(type, tf_types[k].type) != 0)
				continue;
			v = json_object_get(r, "values");
			if (!json_is_object(v)) {
				imp_error(im, imp_src(im, file, rp),
				    "a resource without values");
				break;
			}
			tf_types[k].fn(im, file, v, imp_key(im, rp, "values"),
			    address != NULL ? address : type);
		}
	}
	cms = json_object_get(mod, "child_modules");
	cmp = imp_key(im, path, "child_modules");
	json_array_foreach(cms, i, cm)
		if (json_is_object(cm))
			tf_module(im, file, cm, imp_idx(im, cmp, i), depth + 1);
}

/* Pass 1: the ids of the file systems and access points, known or not. */
static void
tf_ids(struct imp *im, const char *file, json_t *mod, const char *path,
    int depth)
{
	json_t *rs, *r, *cms, *cm;
	const char *type, *address;
	char *rsp;
	size_t i;

	if (depth > 32)
		return;
	rs = json_object_get(mod, "resources");
	rsp = imp_key(im, path, "resources");
	json_array_foreach(rs, i, r) {
		type = json_string_value(json_object_get(r, "type"));
		address = json_string_value(json_object_get(r, "address"));
		if (type == NULL || address == NULL ||
		    (strcmp(type, "aws_efs_file_system") != 0 &&
		    strcmp(type, "aws_efs_access_point") != 0) ||
		    !json_is_object(json_object_get(r, "values")))
			continue;
		tf_name_id(im, file, imp_key(im, imp_idx(im, rsp, i), "values"),
		    json_object_get(r, "values"), type, address);
	}
	cms = json_object_get(mod, "child_modules");
	json_array_foreach(cms, i, cm)
		if (json_is_object(cm))
			tf_ids(im, file, cm, imp_idx(im, imp_key(im, path,
			    "child_modules"), i), depth + 1);
}

void
imp_read_terraform(struct imp *im, const char *file, json_t *root)
{
	json_t *top, *mod;
	const char *key;

	key = "planned_values";
	if (!json_is_object(top = json_object_get(root, key))) {
		key = "values";
		top = json_object_get(root, key);
	}
	if (!json_is_object(top)) {
		imp_error(im, imp_src(im, file, "$"),
		    "terraform show -json without planned_values or values: "
		    "an empty state?");
		return;
	}
	mod = json_object_get(top, "root_module");
	if (!json_is_object(mod)) {
		imp_error(im,
		    imp_src(im, file,
			imp_key(im, imp_key(im, "$", key), "root_module")),
		    "expected an object");
		return;
	}
	memset(&tfx, 0, sizeof(tfx));
	tfx.config = json_object_get(json_object_get(root, "configuration"),
	    "root_module");
	tf_ids(im, file, mod, imp_key(im, imp_key(im, "$", key), "root_module"),
	    0);
	tf_module(im, file, mod,
	    imp_key(im, imp_key(im, "$", key), "root_module"), 0);
}
