/* SPDX-License-Identifier: MIT */
/*
 * import_aws.c: recognise the documents `efsap import` reads and read those
 * of ECS, the AWS CLI and IAM into the model (import.h), catching two
 * documents that describe one access point or file system differently.
 *
 * A document is recognised by its content, never by its name:
 *   taskDefinition{containerDefinitions}  aws ecs describe-task-definition
 *   containerDefinitions                  a registered task definition
 *   AccessPoints / AccessPointId          aws efs describe-access-points
 *                                         (or create-access-point)
 *   FileSystems                           aws efs describe-file-systems
 *   FileSystemId + Policy (a string)      aws efs describe-file-system-policy
 *   RoleName + PolicyDocument             aws iam get-role-policy
 *   PolicyVersion{Document}               aws iam get-policy-version
 *   Statement                             an IAM policy document
 *   format_version + values/planned_values  terraform show -json
 */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "efsap_tool.h"
#include "iam.h"
#include "import.h"

/* ------------------------------------------------------------------ */
/* The model: adding what documents hold, and catching contradictions */

static int
streq(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

/* Permissions as a number, for comparing "755" with "0755". */
static long
perm_value(const char *s)
{
	return s == NULL ? -1 : strtol(s, NULL, 8);
}

static const char *
ap_difference(const struct imp_ap *a, const struct imp_ap *b)
{
	int i;

	if (!streq(a->fs_id, b->fs_id))
		return "file system";
	if (!streq(a->root, b->root))
		return "root directory path";
	if (a->has_ci != b->has_ci ||
	    (a->has_ci &&
		(a->ci_uid != b->ci_uid || a->ci_gid != b->ci_gid ||
		    perm_value(a->perms) != perm_value(b->perms))))
		return "creation info";
	if (a->has_pu != b->has_pu ||
	    (a->has_pu &&
		(a->pu_uid != b->pu_uid || a->pu_gid != b->pu_gid ||
		    a->nsec != b->nsec)))
		return "POSIX user";
	for (i = 0; a->has_pu && i < a->nsec; i++)
		if (a->sec[i] != b->sec[i])
			return "POSIX user's secondary gids";
	return NULL;
}

int
imp_add_ap(struct imp *im, const struct imp_ap *ap)
{
	const char *what;
	int i;

	for (i = 0; i < im->naps; i++) {
		if (strcmp(im->aps[i].id, ap->id) != 0)
			continue;
		if ((what = ap_difference(&im->aps[i], ap)) != NULL) {
			imp_error(im, ap->where,
			    "access point %s is defined differently (%s) in %s",
			    ap->id, what, im->aps[i].where);
			return -1;
		}
		return 0;
	}
	if (im->naps == IMP_MAX) {
		imp_error(im, ap->where, "more than %d access points", IMP_MAX);
		return -1;
	}
	im->aps[im->naps++] = *ap;
	return 0;
}

int
imp_add_fs(struct imp *im, const struct imp_fs *fs)
{
	struct imp_fs *f;
	int i;

	for (i = 0; i < im->nfs; i++) {
		f = &im->fs[i];
		if (strcmp(f->id, fs->id) != 0)
			continue;
		if (f->arn != NULL && fs->arn != NULL &&
		    strcmp(f->arn, fs->arn) != 0) {
			imp_error(im, fs->arn_src,
			    "file system %s has ARN %s, but %s says %s",
			    fs->id, fs->arn, f->arn_src, f->arn);
			return -1;
		}
		if (f->arn == NULL) {
			f->arn = fs->arn;
			f->arn_src = fs->arn_src;
		}
		if (f->owner == NULL) {
			f->owner = fs->owner;
			f->owner_src = fs->owner_src;
		}
		if (f->name == NULL)
			f->name = fs->name;
		return 0;
	}
	if (im->nfs == IMP_MAX) {
		imp_error(im, fs->id_src, "more than %d file systems", IMP_MAX);
		return -1;
	}
	im->fs[im->nfs++] = *fs;
	return 0;
}

/*
 * Does the document look like an IAM policy?  A Statement that is an
 * object or an array of objects.  *resource is set when a statement names
 * a Principal or NotPrincipal (a resource policy, such as the file
 * system's).
 */
static int
policy_shape(json_t *doc, int *resource)
{
	json_t *st, *s;
	size_t i;

	*resource = 0;
	if (!json_is_object(doc) ||
	    (st = json_object_get(doc, "Statement")) == NULL)
		return 0;
	if (json_is_object(st)) {
		*resource = json_object_get(st, "Principal") != NULL ||
		    json_object_get(st, "NotPrincipal") != NULL;
		return 1;
	}
	if (!json_is_array(st))
		return 0;
	json_array_foreach(st, i, s) {
		if (!json_is_object(s))
			return 0;
		if (json_object_get(s, "Principal") != NULL ||
		    json_object_get(s, "NotPrincipal") != NULL)
			*resource = 1;
	}
	return 1;
}

int
imp_add_policy(struct imp *im, json_t *doc, const char *file, const char *path,
    const char *fs_id, const char *role, int from_tf)
{
	struct imp_policy *p;
	int resource;

	if (!policy_shape(doc, &resource)) {
		imp_error(im, imp_src(im, file, path),
		    "not an IAM policy document (it needs a \"Statement\" "
		    "object or array of objects)");
		return -1;
	}
	if (im->npol == IMP_MAX) {
		imp_error(im, imp_src(im, file, path), "more than %d policies",
		    IMP_MAX);
		return -1;
	}
	p = &im->pol[im->npol++];
	p->doc = json_incref(doc);
	p->src = imp_src(im, file, path);
	p->fs_id = imp_strdup(im, fs_id);
	p->role = imp_strdup(im, role);
	p->resource = resource;
	p->from_tf = from_tf;
	return 0;
}

struct imp_task *
imp_new_task(struct imp *im, const char *file, const char *where)
{
	struct imp_task *t;

	if (im->ntask == IMP_MAX) {
		imp_error(im, where, "more than %d task definitions", IMP_MAX);
		return NULL;
	}
	t = &im->task[im->ntask++];
	memset(t, 0, sizeof(*t));
	t->file = file;
	t->where = imp_strdup(im, where);
	return t;
}

/* ------------------------------------------------------------------ */
/* ECS task definitions                                                */

static void
read_ecs_volume(struct imp *im, const char *file, json_t *v, const char *path,
    struct imp_volume *vol)
{
	json_t *efs, *auth;
	char *p, *ap, *s;

	vol->where = imp_src(im, file, path);
	if (imp_str(im, file, v, path, "name", &vol->name) == 0)
		imp_error(im, vol->where, "a volume without a name");
	efs = json_object_get(v, "efsVolumeConfiguration");
	if (efs == NULL || json_is_null(efs))
		return;
	p = imp_key(im, path, "efsVolumeConfiguration");
	if (!json_is_object(efs)) {
		imp_error(im, imp_src(im, file, p), "expected an object");
		return;
	}
	vol->efs = 1;
	if (imp_str(im, file, efs, p, "fileSystemId", &vol->fs_id) == 0)
		imp_error(im, imp_src(im, file, p), "no fileSystemId");
	vol->fs_src = imp_src(im, file, imp_key(im, p, "fileSystemId"));
	if (imp_str(im, file, efs, p, "rootDirectory", &vol->root) == 1)
		vol->root_src =
		    imp_src(im, file, imp_key(im, p, "rootDirectory"));
	if (imp_enabled(im, file, efs, p, "transitEncryption", &vol->tls) == 1)
		vol->tls_src =
		    imp_src(im, file, imp_key(im, p, "transitEncryption"));
	auth = json_object_get(efs, "authorizationConfig");
	if (auth == NULL || json_is_null(auth))
		return;
	ap = imp_key(im, p, "authorizationConfig");
	if (!json_is_object(auth)) {
		imp_error(im, imp_src(im, file, ap), "expected an object");
		return;
	}
	if (imp_str(im, file, auth, ap, "accessPointId", &s) == 1) {
		vol->ap = s;
		vol->ap_src =
		    imp_src(im, file, imp_key(im, ap, "accessPointId"));
	}
	if (imp_enabled(im, file, auth, ap, "iam", &vol->iam) == 1)
		vol->iam_src = imp_src(im, file, imp_key(im, ap, "iam"));
}

static void
read_taskdef(struct imp *im, const char *file, json_t *td, const char *path)
{
	struct imp_task *t;
	json_t *c, *vols, *v;
	size_t i;
	char *vp;

	if ((t = imp_new_task(im, file, imp_src(im, file, path))) == NULL)
		return;
	if (imp_str(im, file, td, path, "taskDefinitionArn", &t->arn) == 1)
		t->arn_src =
		    imp_src(im, file, imp_key(im, path, "taskDefinitionArn"));
	if (imp_str(im, file, td, path, "taskRoleArn", &t->role_arn) == 1)
		t->role_src =
		    imp_src(im, file, imp_key(im, path, "taskRoleArn"));
	c = json_object_get(td, "containerDefinitions");
	t->containers_path =
	    imp_src(im, file, imp_key(im, path, "containerDefinitions"));
	if (!json_is_array(c)) {
		imp_error(
		    im, t->containers_path, "expected an array of containers");
		return;
	}
	t->containers = json_incref(c);
	vols = json_object_get(td, "volumes");
	if (vols == NULL || json_is_null(vols))
		return;
	vp = imp_key(im, path, "volumes");
	if (!json_is_array(vols)) {
		imp_error(im, imp_src(im, file, vp), "expected an array");
		return;
	}
	json_array_foreach(vols, i, v) {
		if (t->nvol == IMP_MAX) {
			imp_error(im, imp_src(im, file, vp),
			    "more than %d volumes", IMP_MAX);
			return;
		}
		if (!json_is_object(v)) {
			imp_error(im, imp_src(im, file, imp_idx(im, vp, i)),
			    "expected an object");
			continue;
		}
		read_ecs_volume(
		    im, file, v, imp_idx(im, vp, i), &t->vol[t->nvol++]);
	}
}

/* ------------------------------------------------------------------ */
/* EFS CLI output                                                      */

static void
read_cli_ap(struct imp *im, const char *file, json_t *o, const char *path)
{
	struct imp_ap ap;
	json_t *rd, *ci, *pu;
	char *rp, *cp, *pp, *sp;
	int bad = im->errors;

	memset(&ap, 0, sizeof(ap));
	ap.where = imp_src(im, file, path);
	if (imp_str(im, file, o, path, "AccessPointId", &ap.id) != 1) {
		imp_error(
		    im, ap.where, "an access point without AccessPointId");
		return;
	}
	ap.id_src = imp_src(im, file, imp_key(im, path, "AccessPointId"));
	if (imp_str(im, file, o, path, "FileSystemId", &ap.fs_id) != 1)
		imp_error(
		    im, ap.where, "access point %s has no FileSystemId", ap.id);
	ap.fs_src = imp_src(im, file, imp_key(im, path, "FileSystemId"));
	if (imp_str(im, file, o, path, "AccessPointArn", &ap.arn) == 1)
		ap.arn_src =
		    imp_src(im, file, imp_key(im, path, "AccessPointArn"));
	if (imp_str(im, file, o, path, "OwnerId", &ap.owner) == 1)
		ap.owner_src = imp_src(im, file, imp_key(im, path, "OwnerId"));
	(void)imp_str(im, file, o, path, "Name", &ap.name);
	ap.root = "/";
	rd = json_object_get(o, "RootDirectory");
	rp = imp_key(im, path, "RootDirectory");
	if (json_is_object(rd)) {
		if (imp_str(im, file, rd, rp, "Path", &ap.root) != 1)
			ap.root = "/";
		else
			ap.root_src =
			    imp_src(im, file, imp_key(im, rp, "Path"));
		ci = json_object_get(rd, "CreationInfo");
		cp = imp_key(im, rp, "CreationInfo");
		if (json_is_object(ci)) {
			ap.has_ci = 1;
			if (imp_int(im, file, ci, cp, "OwnerUid", &ap.ci_uid) !=
				1 ||
			    imp_int(im, file, ci, cp, "OwnerGid", &ap.ci_gid) !=
				1 ||
			    imp_str(im, file, ci, cp, "Permissions",
				&ap.perms) != 1)
				imp_error(im, imp_src(im, file, cp),
				    "CreationInfo needs OwnerUid, OwnerGid "
				    "and Permissions");
			ap.ci_uid_src =
			    imp_src(im, file, imp_key(im, cp, "OwnerUid"));
			ap.ci_gid_src =
			    imp_src(im, file, imp_key(im, cp, "OwnerGid"));
			ap.perms_src =
			    imp_src(im, file, imp_key(im, cp, "Permissions"));
		} else if (ci != NULL && !json_is_null(ci)) {
			imp_error(
			    im, imp_src(im, file, cp), "expected an object");
		}
	} else if (rd != NULL && !json_is_null(rd)) {
		imp_error(im, imp_src(im, file, rp), "expected an object");
	}
	pu = json_object_get(o, "PosixUser");
	pp = imp_key(im, path, "PosixUser");
	if (json_is_object(pu)) {
		ap.has_pu = 1;
		if (imp_int(im, file, pu, pp, "Uid", &ap.pu_uid) != 1 ||
		    imp_int(im, file, pu, pp, "Gid", &ap.pu_gid) != 1)
			imp_error(im, imp_src(im, file, pp),
			    "PosixUser needs Uid and Gid");
		ap.pu_uid_src = imp_src(im, file, imp_key(im, pp, "Uid"));
		ap.pu_gid_src = imp_src(im, file, imp_key(im, pp, "Gid"));
		sp = imp_key(im, pp, "SecondaryGids");
		ap.sec_src = imp_src(im, file, sp);
		imp_gids(
		    im, file, json_object_get(pu, "SecondaryGids"), sp, &ap);
	} else if (pu != NULL && !json_is_null(pu)) {
		imp_error(im, imp_src(im, file, pp), "expected an object");
	}
	if (im->errors == bad)
		imp_add_ap(im, &ap);
}

static void
read_cli_fs(struct imp *im, const char *file, json_t *o, const char *path)
{
	struct imp_fs fs;

	memset(&fs, 0, sizeof(fs));
	if (imp_str(im, file, o, path, "FileSystemId", &fs.id) != 1) {
		imp_error(im, imp_src(im, file, path),
		    "a file system without FileSystemId");
		return;
	}
	fs.id_src = imp_src(im, file, imp_key(im, path, "FileSystemId"));
	if (imp_str(im, file, o, path, "FileSystemArn", &fs.arn) == 1)
		fs.arn_src =
		    imp_src(im, file, imp_key(im, path, "FileSystemArn"));
	if (imp_str(im, file, o, path, "OwnerId", &fs.owner) == 1)
		fs.owner_src = imp_src(im, file, imp_key(im, path, "OwnerId"));
	(void)imp_str(im, file, o, path, "Name", &fs.name);
	imp_add_fs(im, &fs);
}

/* Each element of an array member, an object, to fn. */
static void
each_object(struct imp *im, const char *file, json_t *root, const char *key,
    void (*fn)(struct imp *, const char *, json_t *, const char *))
{
	json_t *a = json_object_get(root, key), *o;
	char *p = imp_key(im, "$", key);
	size_t i;

	if (!json_is_array(a)) {
		imp_error(im, imp_src(im, file, p), "expected an array");
		return;
	}
	json_array_foreach(a, i, o) {
		if (!json_is_object(o))
			imp_error(im, imp_src(im, file, imp_idx(im, p, i)),
			    "expected an object");
		else
			fn(im, file, o, imp_idx(im, p, i));
	}
}

/* ------------------------------------------------------------------ */
/* IAM policies                                                        */

/*
 * A policy document held in a string, as the IAM API returns it (URL
 * encoded; the AWS CLI decodes it, other tools may not) or as plain JSON.
 */
static json_t *
policy_from_string(struct imp *im, const char *file, const char *path,
    const char *s)
{
	char *d, *o;
	json_t *doc;
	int h, l;

	if (s[0] != '%')
		return imp_parse_string(im, file, path, s);
	if ((d = malloc(strlen(s) + 1)) == NULL)
		err(EXIT_USAGE, "malloc");
	for (o = d; *s != '\0'; s++) {
		if (*s == '%' && (h = efs_hexval(s[1])) >= 0 &&
		    (l = efs_hexval(s[2])) >= 0) {
			*o++ = (char)(h * 16 + l);
			s += 2;
		} else {
			*o++ = *s == '+' ? ' ' : *s;
		}
	}
	*o = '\0';
	doc = imp_parse_string(im, file, path, d);
	free(d);
	return doc;
}

/* A policy member that is an object or a string holding one. */
static void
read_policy_member(struct imp *im, const char *file, json_t *o,
    const char *path, const char *key, const char *fs_id, const char *role)
{
	json_t *v = json_object_get(o, key), *doc;
	char *p = imp_key(im, path, key);

	if (json_is_object(v)) {
		imp_add_policy(im, v, file, p, fs_id, role, 0);
	} else if (json_is_string(v)) {
		if ((doc = policy_from_string(
			 im, file, p, json_string_value(v))) != NULL) {
			imp_add_policy(im, doc, file, p, fs_id, role, 0);
			json_decref(doc);
		}
	} else {
		imp_error(im, imp_src(im, file, p),
		    "expected a policy document (an object, or a string "
		    "holding one)");
	}
}

static void
read_fs_policy(struct imp *im, const char *file, json_t *root)
{
	char *fs;

	if (imp_str(im, file, root, "$", "FileSystemId", &fs) != 1)
		return;
	read_policy_member(im, file, root, "$", "Policy", fs, NULL);
}

static void
note_file(struct imp *im, const char *file, const char *what)
{
	if (im->nfiles < IMP_MAX)
		im->files[im->nfiles++] = imp_printf(im, "%s: %s", file, what);
}

/* ------------------------------------------------------------------ */
/* Recognition                                                         */

void
imp_read_document(struct imp *im, const char *file, json_t *root)
{
	json_t *v;
	int resource;

	if (!json_is_object(root)) {
		imp_error(im, imp_src(im, file, "$"),
		    "expected a JSON object (an AWS document), found %s",
		    efs_iam_json_type(root));
		return;
	}
	if (json_object_get(root, "format_version") != NULL &&
	    (json_object_get(root, "values") != NULL ||
		json_object_get(root, "planned_values") != NULL ||
		json_object_get(root, "terraform_version") != NULL)) {
		note_file(im, file, "terraform show -json");
		imp_read_terraform(im, file, root);
	} else if (json_is_object(
		       v = json_object_get(root, "taskDefinition"))) {
		note_file(im, file, "aws ecs describe-task-definition");
		read_taskdef(im, file, v, "$.taskDefinition");
	} else if (json_object_get(root, "containerDefinitions") != NULL) {
		note_file(im, file, "ECS task definition");
		read_taskdef(im, file, root, "$");
	} else if (json_object_get(root, "AccessPoints") != NULL) {
		note_file(im, file, "aws efs describe-access-points");
		each_object(im, file, root, "AccessPoints", read_cli_ap);
	} else if (json_object_get(root, "AccessPointId") != NULL) {
		note_file(im, file, "an EFS access point");
		read_cli_ap(im, file, root, "$");
	} else if (json_object_get(root, "FileSystems") != NULL) {
		note_file(im, file, "aws efs describe-file-systems");
		each_object(im, file, root, "FileSystems", read_cli_fs);
	} else if (json_object_get(root, "Policy") != NULL &&
	    json_object_get(root, "FileSystemId") != NULL) {
		note_file(im, file, "aws efs describe-file-system-policy");
		read_fs_policy(im, file, root);
	} else if (json_object_get(root, "PolicyDocument") != NULL) {
		char *role = NULL;

		note_file(im, file, "aws iam get-role-policy");
		(void)imp_str(im, file, root, "$", "RoleName", &role);
		read_policy_member(
		    im, file, root, "$", "PolicyDocument", NULL, role);
	} else if (json_is_object(v = json_object_get(root, "PolicyVersion")) &&
	    json_object_get(v, "Document") != NULL) {
		note_file(im, file, "aws iam get-policy-version");
		read_policy_member(
		    im, file, v, "$.PolicyVersion", "Document", NULL, NULL);
	} else if (policy_shape(root, &resource)) {
		note_file(im, file,
		    resource ? "IAM resource policy" : "IAM identity policy");
		imp_add_policy(im, root, file, "$", NULL, NULL, 0);
	} else {
		imp_error(im, imp_src(im, file, "$"),
		    "not an AWS document efsap import knows: expected an ECS "
		    "task definition, the output of aws efs "
		    "describe-access-points, describe-file-systems or "
		    "describe-file-system-policy, of aws iam get-role-policy "
		    "or get-policy-version, an IAM policy document, or "
		    "terraform show -json");
	}
}

