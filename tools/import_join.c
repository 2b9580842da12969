/* SPDX-License-Identifier: MIT */
/*
 * import_join.c: join what `efsap import` read (import.h's model) into the
 * configuration to write.  The task definition's container (the only
 * one, or the one --container names, also among several task
 * definitions) gives the user and the mounts (its mountPoints joined with
 * the task's volumes); the mounts name the file system, which selects the
 * access points, the file system policy and the account and region; the
 * task role selects the role policies.  Whatever is missing or
 * contradictory is an error naming the file and the JSON path.
 *
 * Decisions:
 * - Without a task definition, the file system's root is mounted at
 *   /mnt/efs (the built-in default's mount).
 * - Several role policies of the task role are merged into one document
 *   (IAM evaluates their union); two documents that name no role cannot be
 *   told apart and are an error.
 * - The account and region come from the ARNs of the file system and its
 *   access points, then from a policy Resource naming the file system,
 *   then from the task definition's ARN (and the role's, for the account).
 */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "efsap_tool.h"
#include "import.h"
#include "import_name.h"

static int
streq(const char *a, const char *b)
{
	return a != NULL && b != NULL && strcmp(a, b) == 0;
}


/* ------------------------------------------------------------------ */
/* ARNs                                                                */

/* Field n of an ARN (3 the region, 4 the account), or NULL. */
static char *
arn_field(struct imp *im, const char *arn, int n)
{
	char buf[256];

	if (imp_arn_field(arn, n, buf, sizeof(buf)) != 0)
		return NULL;
	return imp_strdup(im, buf);
}

/* Take a value for account or region, or report a contradiction. */
static void
settle(struct imp *im, char **val, char **val_src, char *v, const char *src,
    const char *what)
{
	if (v == NULL)
		return;
	if (*val == NULL) {
		*val = v;
		*val_src = imp_strdup(im, src);
	} else if (strcmp(*val, v) != 0) {
		imp_error(im, src, "%s %s contradicts %s %s (%s)", what, v,
		    what, *val, *val_src);
	}
}

/*
 * The account and region of a Resource that is this file system's ARN
 * ("arn:aws:elasticfilesystem:REGION:ACCOUNT:file-system/ID").
 */
static void
policy_fs_arn(struct imp *im, struct imp_joined *j, const struct imp_policy *p)
{
	json_t *st = json_object_get(p->doc, "Statement"), *s, *r, *one;
	const char *arn, *tail;
	size_t i, k, n, nr;
	char *src;

	n = json_is_array(st) ? json_array_size(st) : 1;
	for (i = 0; i < n; i++) {
		s = json_is_array(st) ? json_array_get(st, i) : st;
		r = json_object_get(s, "Resource");
		nr = json_is_array(r) ? json_array_size(r) : 1;
		for (k = 0; k < nr; k++) {
			one = json_is_array(r) ? json_array_get(r, k) : r;
			if ((arn = json_string_value(one)) == NULL ||
			    (tail = strstr(arn, ":file-system/")) == NULL ||
			    strcmp(tail + 13, j->fs_id) != 0 ||
			    strncmp(arn, "arn:", 4) != 0 ||
			    strstr(arn, ":elasticfilesystem:") == NULL)
				continue;
			src = imp_printf(
			    im, "%s: Statement[%zu].Resource", p->src, i);
			if (j->account == NULL)
				settle(im, &j->account, &j->account_src,
				    arn_field(im, arn, 4), src, "account");
			if (j->region == NULL)
				settle(im, &j->region, &j->region_src,
				    arn_field(im, arn, 3), src, "region");
			return;
		}
	}
}

static void
join_account(struct imp *im, struct imp_joined *j)
{
	struct imp_ap *ap;
	int i;

	if (j->fs != NULL) {
		settle(im, &j->account, &j->account_src,
		    arn_field(im, j->fs->arn, 4), j->fs->arn_src, "account");
		settle(im, &j->region, &j->region_src,
		    arn_field(im, j->fs->arn, 3), j->fs->arn_src, "region");
		settle(im, &j->account, &j->account_src, j->fs->owner,
		    j->fs->owner_src, "account");
	}
	for (i = 0; i < im->naps; i++) {
		ap = &im->aps[i];
		if (!streq(ap->fs_id, j->fs_id))
			continue;
		settle(im, &j->account, &j->account_src,
		    arn_field(im, ap->arn, 4), ap->arn_src, "account");
		settle(im, &j->region, &j->region_src,
		    arn_field(im, ap->arn, 3), ap->arn_src, "region");
		settle(im, &j->account, &j->account_src, ap->owner,
		    ap->owner_src, "account");
	}
	/* A policy's Resource naming the file system's ARN. */
	if (j->fs_policy != NULL && (j->account == NULL || j->region == NULL))
		policy_fs_arn(im, j, j->fs_policy);
	for (i = 0; i < j->nrole; i++)
		if (j->account == NULL || j->region == NULL)
			policy_fs_arn(im, j, j->role[i]);
	/* The task's side only when the file system's side is silent. */
	if (j->task != NULL && j->account == NULL)
		settle(im, &j->account, &j->account_src,
		    arn_field(im, j->task->arn, 4), j->task->arn_src,
		    "account");
	if (j->task != NULL && j->region == NULL)
		settle(im, &j->region, &j->region_src,
		    arn_field(im, j->task->arn, 3), j->task->arn_src, "region");
	if (j->account == NULL)
		settle(im, &j->account, &j->account_src,
		    arn_field(im, j->role_arn, 4), j->role_src, "account");
}

/* ------------------------------------------------------------------ */
/* The container, its user and its mounts                              */

/* The names of the containers, for a message. */
static char *
container_names(struct imp *im, json_t *cs)
{
	char *s = imp_strdup(im, "");
	const char *n;
	json_t *c;
	size_t i;

	json_array_foreach(cs, i, c) {
		n = json_string_value(json_object_get(c, "name"));
		s = imp_printf(
		    im, "%s%s%s", s, i ? ", " : "", n ? n : "(unnamed)");
	}
	return s;
}

/* Does the task definition have a container named want? */
static int
has_container(const struct imp_task *t, const char *want)
{
	const char *n;
	json_t *c;
	size_t i;

	json_array_foreach(t->containers, i, c) {
		n = json_string_value(json_object_get(c, "name"));
		if (n != NULL && strcmp(n, want) == 0)
			return 1;
	}
	return 0;
}

/*
 * Of several task definitions (a Terraform state holds every service's),
 * the one with the container --container names.  NULL, with an error
 * listing them, when there is not exactly one.
 */
static struct imp_task *
pick_task(struct imp *im, const char *want)
{
	struct imp_task *found = NULL;
	char *list = imp_strdup(im, "");
	int i, n = 0;

	for (i = 0; i < im->ntask; i++) {
		list = imp_printf(im, "%s%s%s (containers: %s)", list,
		    i ? "; " : "", im->task[i].where,
		    container_names(im, im->task[i].containers));
		if (want != NULL && has_container(&im->task[i], want)) {
			found = &im->task[i];
			n++;
		}
	}
	if (n == 1)
		return found;
	if (want == NULL)
		imp_error(im, "import", "%d task definitions: %s; choose a "
		    "container with --container NAME", im->ntask, list);
	else if (n == 0)
		imp_error(im, "import", "no task definition has a container "
		    "named \"%s\": %s", want, list);
	else
		imp_error(im, "import", "%d task definitions have a container "
		    "named \"%s\": %s", n, want, list);
	return NULL;
}

static int
pick_container(struct imp *im, struct imp_joined *j, const char *want)
{
	json_t *cs = j->task->containers, *c;
	const char *n;
	size_t i, at = 0;
	int found = 0;

	if (json_array_size(cs) == 0) {
		imp_error(im, j->task->containers_path, "no containers");
		return -1;
	}
	if (want == NULL && json_array_size(cs) > 1) {
		imp_error(im, j->task->containers_path,
		    "%zu containers (%s): choose one with --container NAME",
		    json_array_size(cs), container_names(im, cs));
		return -1;
	}
	json_array_foreach(cs, i, c) {
		if (!json_is_object(c)) {
			imp_error(im,
			    imp_printf(
				im, "%s[%zu]", j->task->containers_path, i),
			    "expected an object");
			return -1;
		}
		n = json_string_value(json_object_get(c, "name"));
		if (want == NULL || (n != NULL && strcmp(n, want) == 0)) {
			at = i;
			found = 1;
			break;
		}
	}
	if (!found) {
		imp_error(im, j->task->containers_path,
		    "no container named \"%s\"; the containers are: %s",
		    want, container_names(im, cs));
		return -1;
	}
	j->container = json_array_get(cs, at);
	j->cprefix = imp_printf(im, "%s[%zu]", j->task->containers_path, at);
	n = json_string_value(json_object_get(j->container, "name"));
	j->cname = imp_strdup(im, n != NULL ? n : "(unnamed)");
	return 0;
}

static void
join_user(struct imp *im, struct imp_joined *j)
{
	json_t *u = json_object_get(j->container, "user");
	const char *s;
	char *src = imp_printf(im, "%s.user", j->cprefix);

	if (u == NULL || json_is_null(u))
		return;
	if (!json_is_string(u)) {
		imp_error(im, src, "expected a string");
		return;
	}
	s = json_string_value(u);
	if (!imp_user_numeric(s)) {
		imp_error(im, src,
		    "user \"%s\" is not numeric: efsap cannot read the "
		    "image's /etc/passwd; give the ids as ECS accepts them, "
		    "\"uid\" or \"uid:gid\" (for example \"1000:1000\")",
		    s);
		return;
	}
	j->user = imp_strdup(im, s);
	j->user_src = src;
}

static struct imp_volume *
find_volume(struct imp_task *t, const char *name)
{
	int i;

	for (i = 0; i < t->nvol; i++)
		if (streq(t->vol[i].name, name))
			return &t->vol[i];
	return NULL;
}

static struct imp_ap *
find_ap(struct imp *im, const char *id)
{
	int i;

	for (i = 0; i < im->naps; i++)
		if (streq(im->aps[i].id, id))
			return &im->aps[i];
	return NULL;
}

static void
join_mounts(struct imp *im, struct imp_joined *j)
{
	json_t *mps = json_object_get(j->container, "mountPoints"), *mp, *ro;
	char *mpp = imp_printf(im, "%s.mountPoints", j->cprefix), *p, *vname;
	struct imp_volume *vol;
	struct imp_mount *m;
	size_t i;

	if (mps != NULL && !json_is_null(mps) && !json_is_array(mps)) {
		imp_error(im, mpp, "expected an array");
		return;
	}
	json_array_foreach(mps, i, mp) {
		p = imp_idx(im, mpp, i);
		if (!json_is_object(mp)) {
			imp_error(im, p, "expected an object");
			continue;
		}
		vname = (char *)json_string_value(
		    json_object_get(mp, "sourceVolume"));
		if (vname == NULL) {
			imp_error(im, imp_key(im, p, "sourceVolume"),
			    "expected the name of a volume");
			continue;
		}
		if ((vol = find_volume(j->task, vname)) == NULL) {
			imp_error(im, imp_key(im, p, "sourceVolume"),
			    "no volume named \"%s\" in the task definition "
			    "(%s)",
			    vname, j->task->where);
			continue;
		}
		if (!vol->efs) {
			imp_error(im, imp_key(im, p, "sourceVolume"),
			    "volume \"%s\" (%s) has no EFS volume "
			    "configuration: efsap emulates EFS volumes only",
			    vname, vol->where);
			continue;
		}
		if (j->nm == EFS_MAX_MOUNTS) {
			imp_error(
			    im, mpp, "more than %d mounts", EFS_MAX_MOUNTS);
			return;
		}
		m = &j->m[j->nm++];
		m->vol = vol;
		if (!json_is_string(json_object_get(mp, "containerPath"))) {
			imp_error(im, imp_key(im, p, "containerPath"),
			    "expected a path");
			j->nm--;
			continue;
		}
		m->cpath = imp_strdup(im,
		    json_string_value(json_object_get(mp, "containerPath")));
		m->cpath_src = imp_key(im, p, "containerPath");
		ro = json_object_get(mp, "readOnly");
		if (json_is_boolean(ro)) {
			m->ro = json_is_true(ro);
			m->ro_src = imp_key(im, p, "readOnly");
		} else if (ro != NULL && !json_is_null(ro)) {
			imp_error(im, imp_key(im, p, "readOnly"),
			    "expected a boolean");
		}
	}
	if (j->nm == 0 && im->errors == 0)
		imp_error(im, j->cprefix,
		    "container \"%s\" mounts no EFS volume (its mountPoints "
		    "name none)",
		    j->cname);
}

/* Every mount on one file system, through access points of that file system. */
static void
join_fs_of_mounts(struct imp *im, struct imp_joined *j)
{
	struct imp_volume *v;
	struct imp_mount *m;
	int i;

	for (i = 0; i < j->nm; i++) {
		m = &j->m[i];
		v = m->vol;
		if (v->fs_id == NULL)
			continue;
		if (j->fs_id == NULL) {
			j->fs_id = v->fs_id;
			j->fs_src = v->fs_src;
		} else if (strcmp(j->fs_id, v->fs_id) != 0) {
			imp_error(im, v->fs_src,
			    "file system %s, but %s mounts %s: efsap emulates "
			    "one file system per configuration (write one per "
			    "file system)",
			    v->fs_id, j->fs_src, j->fs_id);
		}
		if (v->ap == NULL)
			continue;
		if ((m->ap = find_ap(im, v->ap)) == NULL) {
			imp_error(im, v->ap_src,
			    "access point %s is not described by any input: "
			    "add the output of aws efs describe-access-points "
			    "--access-point-id %s",
			    v->ap, v->ap);
		} else if (!streq(m->ap->fs_id, v->fs_id)) {
			imp_error(im, v->ap_src,
			    "access point %s belongs to file system %s (%s), "
			    "not to %s",
			    v->ap, m->ap->fs_id, m->ap->fs_src, v->fs_id);
		}
		if (v->root != NULL && strcmp(v->root, "/") != 0)
			imp_error(im, v->root_src,
			    "with an access point the root directory must be "
			    "omitted or \"/\" (ECS rejects the task "
			    "definition)");
		if (!v->tls)
			imp_error(im, v->tls_src ? v->tls_src : v->where,
			    "an access point needs transitEncryption ENABLED "
			    "(ECS rejects the task definition)");
	}
}

/* Without a task: the only file system the documents name. */
static void
join_fs_alone(struct imp *im, struct imp_joined *j)
{
	const char *ids[IMP_MAX * 3], *srcs[IMP_MAX * 3];
	char *list;
	int i, k, n = 0;

#define ADD(id, src) \
	do { \
		for (k = 0; k < n && strcmp(ids[k], (id)) != 0; k++) \
			; \
		if (k == n) { \
			ids[n] = (id); \
			srcs[n++] = (src); \
		} \
	} while (0)
	for (i = 0; i < im->nfs; i++)
		ADD(im->fs[i].id, im->fs[i].id_src);
	for (i = 0; i < im->naps; i++)
		if (im->aps[i].fs_id != NULL)
			ADD(im->aps[i].fs_id, im->aps[i].fs_src);
	for (i = 0; i < im->npol; i++)
		if (im->pol[i].fs_id != NULL)
			ADD(im->pol[i].fs_id, im->pol[i].src);
#undef ADD
	if (n == 1) {
		j->fs_id = (char *)ids[0];
		j->fs_src = (char *)srcs[0];
		return;
	}
	if (n == 0) {
		imp_error(im, "import",
		    "no file system: give a task definition, or the output of "
		    "aws efs describe-file-systems");
		return;
	}
	list = imp_strdup(im, "");
	for (k = 0; k < n; k++)
		list = imp_printf(
		    im, "%s%s%s (%s)", list, k ? ", " : "", ids[k], srcs[k]);
	imp_error(im, "import",
	    "%d file systems and no task definition to choose one: %s",
	    n, list);
}

/* ------------------------------------------------------------------ */
/* Policies                                                            */

static void
join_fs_policy(struct imp *im, struct imp_joined *j)
{
	struct imp_policy *p;
	int i;

	for (i = 0; i < im->npol; i++) {
		p = &im->pol[i];
		if (p->fs_id == NULL && !p->resource)
			continue;	/* an identity policy */
		if (p->fs_id != NULL && !streq(p->fs_id, j->fs_id)) {
			/* Terraform states hold every file system's */
			if (!p->from_tf)
				imp_warn(p->src, "the policy of file system "
				    "%s, not of %s (%s): left out", p->fs_id,
				    j->fs_id, j->fs_src);
			continue;
		}
		if (j->fs_policy == NULL)
			j->fs_policy = p;
		else if (!json_equal(j->fs_policy->doc, p->doc))
			imp_error(im, p->src, "a file system policy that "
			    "differs from the one in %s", j->fs_policy->src);
	}
}

static void
join_role_policies(struct imp *im, struct imp_joined *j)
{
	const char *want = imp_role_name(j->role_arn);
	struct imp_policy *p, *bare = NULL;
	int i;

	for (i = 0; i < im->npol; i++) {
		p = &im->pol[i];
		if (p->fs_id != NULL || p->resource)
			continue;
		if (p->role == NULL) {
			if (bare != NULL) {
				imp_error(im, p->src,
				    "a second identity policy that names no "
				    "role (the first: %s): efsap cannot tell "
				    "which is the task role's; give aws iam "
				    "get-role-policy output, which names the "
				    "role, or merge them",
				    bare->src);
				continue;
			}
			bare = p;
		} else if (want == NULL) {
			if (j->nrole > 0 && !streq(j->role[0]->role, p->role)) {
				imp_error(im, p->src,
				    "a policy of role %s, and %s is of role "
				    "%s, with no task role to choose",
				    p->role, j->role[0]->src, j->role[0]->role);
				continue;
			}
		} else if (strcmp(p->role, want) != 0) {
			if (!p->from_tf)
				imp_error(im, p->src,
				    "a policy of role %s, but the task role "
				    "is %s (%s)",
				    p->role, j->role_arn, j->role_src);
			continue;
		}
		j->role[j->nrole++] = p;
	}
}

/* One document from several: the union of their statements. */
json_t *
imp_role_policy(const struct imp_joined *j)
{
	json_t *doc, *all, *st;
	int i;

	if (j->nrole == 1)
		return json_incref(j->role[0]->doc);
	all = json_array();
	for (i = 0; i < j->nrole; i++) {
		st = json_object_get(j->role[i]->doc, "Statement");
		if (json_is_array(st))
			json_array_extend(all, st);
		else
			json_array_append(all, st);
	}
	doc =
	    json_pack("{s:s, s:o}", "Version", "2012-10-17", "Statement", all);
	if (doc == NULL)
		errx(EXIT_USAGE, "json_pack failed");
	return doc;
}

int
imp_join(struct imp *im, struct imp_joined *j, const char *container)
{
	int i;

	if (im->ntask > 1 && (j->task = pick_task(im, container)) == NULL)
		return -1;
	if (im->ntask == 1)
		j->task = &im->task[0];
	if (j->task != NULL) {
		j->role_arn = j->task->role_arn;
		j->role_src = j->task->role_src;
		if (j->task->containers == NULL ||
		    pick_container(im, j, container) != 0)
			return -1;
		join_user(im, j);
		join_mounts(im, j);
		join_fs_of_mounts(im, j);
	} else {
		if (container != NULL) {
			imp_error(im, "import",
			    "--container %s, but no task definition",
			    container);
			return -1;
		}
		join_fs_alone(im, j);
	}
	if (im->errors || j->fs_id == NULL)
		return -1;
	if (!imp_id_ok(j->fs_id))
		imp_error(im, j->fs_src, "file system id \"%s\": efsap takes "
		    "ids of letters, digits, \".\", \"_\" and \"-\"", j->fs_id);
	for (i = 0; i < im->naps; i++)
		if (streq(im->aps[i].fs_id, j->fs_id) &&
		    !imp_id_ok(im->aps[i].id))
			imp_error(im, im->aps[i].id_src, "access point id "
			    "\"%s\": efsap takes ids of letters, digits, "
			    "\".\", \"_\" and \"-\"", im->aps[i].id);
	for (i = 0; i < im->nfs; i++)
		if (streq(im->fs[i].id, j->fs_id))
			j->fs = &im->fs[i];
	join_fs_policy(im, j);
	join_role_policies(im, j);
	join_account(im, j);
	for (i = 0; i < j->nm; i++)
		if (j->m[i].vol->iam && j->role_arn == NULL)
			imp_warn(j->m[i].vol->iam_src,
			    "IAM authorization without a taskRoleArn: "
			    "statements about the task role cannot match");
	if (im->errors)
		return -1;
	return 0;
}
