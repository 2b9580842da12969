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
 * once is element 0.  A value a plan does not know yet (the id of a
 * resource still to be created) is absent from planned_values: that is an
 * error telling to import the state after `terraform apply`.
 */
#include <stdio.h>
#include <string.h>

#include "import.h"

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

static void
tf_fs(struct imp *im, const char *file, json_t *v, const char *vp,
    const char *address)
{
	struct imp_fs fs;
	json_t *tags;

	memset(&fs, 0, sizeof(fs));
	if (imp_str(im, file, v, vp, "id", &fs.id) != 1) {
		unknown(im, file, vp, "id", address);
		return;
	}
	fs.id_src = imp_src(im, file, imp_key(im, vp, "id"));
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
	json_t *rd, *ci, *pu;
	char *rp, *cp, *pp, *sp;
	int bad = im->errors;

	memset(&ap, 0, sizeof(ap));
	ap.where = imp_src(im, file, vp);
	if (imp_str(im, file, v, vp, "id", &ap.id) != 1) {
		unknown(im, file, vp, "id", address);
		return;
	}
	ap.id_src = imp_src(im, file, imp_key(im, vp, "id"));
	if (imp_str(im, file, v, vp, "file_system_id", &ap.fs_id) != 1) {
		unknown(im, file, vp, "file_system_id", address);
		return;
	}
	ap.fs_src = imp_src(im, file, imp_key(im, vp, "file_system_id"));
	if (imp_str(im, file, v, vp, "arn", &ap.arn) == 1)
		ap.arn_src = imp_src(im, file, imp_key(im, vp, "arn"));
	if (imp_str(im, file, v, vp, "owner_id", &ap.owner) == 1)
		ap.owner_src = imp_src(im, file, imp_key(im, vp, "owner_id"));
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
	char *fs;

	if (imp_str(im, file, v, vp, "file_system_id", &fs) != 1) {
		unknown(im, file, vp, "file_system_id", address);
		return;
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

static void
tf_volume(struct imp *im, const char *file, json_t *o, const char *path,
    struct imp_volume *vol)
{
	json_t *efs, *auth;
	char *ep, *ap, *s;

	vol->where = imp_src(im, file, path);
	if (imp_str(im, file, o, path, "name", &vol->name) != 1)
		imp_error(im, vol->where, "a volume without a name");
	if ((efs = block(im, file, o, path, "efs_volume_configuration", &ep)) ==
	    NULL)
		return;
	vol->efs = 1;
	if (imp_str(im, file, efs, ep, "file_system_id", &vol->fs_id) != 1)
		unknown(im, file, ep, "file_system_id",
		    vol->name ? vol->name : "a volume");
	vol->fs_src = imp_src(im, file, imp_key(im, ep, "file_system_id"));
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
	if (imp_str(im, file, auth, ap, "access_point_id", &s) == 1 &&
	    s[0] != '\0') {
		vol->ap = s;
		vol->ap_src =
		    imp_src(im, file, imp_key(im, ap, "access_point_id"));
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
			tf_volume(im, file, o, imp_idx(im, volp, i),
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
	tf_module(im, file, mod,
	    imp_key(im, imp_key(im, "$", key), "root_module"), 0);
}
