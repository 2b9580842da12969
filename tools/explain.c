/* SPDX-License-Identifier: MIT */
/*
 * explain.c: the report of `efsap check --explain`.  For each mount it
 * looks at the backing store as the library would at start-up (the root
 * directory and its recorded attributes), asks efs_mount_plan() what the
 * mount does, and prints one "key: value" line per fact under a
 * "mount PATH" header.  efsap(1) documents the format; the "result:" line
 * is exactly what the library does.
 */
#include <err.h>
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "efsap_tool.h"
#include "attr.h"
#include "handover.h"
#include "image.h"
#include "mountplan.h"

/* What the backing store holds at a mount's root. */
struct root_seen {
	enum efs_root_state state;
	struct efs_attr attr;		/* when EXISTS */
	int recorded;			/* attr came from efsap's record */
};

/*
 * The record of a symbolic link, FIFO or socket, or of anything on a
 * backing file system without user xattrs: the library's sidecar store
 * beside the backing directory, DIR/.NAME.efsap/DEV-INO, a symbolic link
 * whose target is the record.  0, or -1 when there is none.
 */
static int
store_get(const char *bk, const struct stat *st, struct efs_attr *a)
{
	char store[EFS_PATH_MAX], key[EFS_PATH_MAX];
	char rec[EFS_ATTR_RECMAX];
	ssize_t n;

	if (efs_store_name(bk, store, sizeof(store)) != 0 ||
	    (size_t)snprintf(key, sizeof(key), "%s/%llx-%llx", store,
	    (unsigned long long)st->st_dev,
	    (unsigned long long)st->st_ino) >= sizeof(key))
		return -1;
	n = readlink(key, rec, sizeof(rec));
	if (n < 0 ||
	    efs_attr_parse(rec, (size_t)n, st->st_mode & S_IFMT, a) != 0)
		return -1;
	return 0;
}

/*
 * Look at the root directory of a mount as the library does at start-up:
 * the backing directory with its symbolic links resolved, then fs_path
 * inside it, not followed when it is itself a link.  An object without a
 * valid record is owned by 0:0 with its real mode (SPEC 5.1).
 * Returns 0, or -errno when it cannot be looked at.
 */
static int
inspect_root(const char *backing, const char *fs_path, struct root_seen *rs)
{
	char bk[PATH_MAX], path[EFS_PATH_MAX], rec[EFS_ATTR_RECMAX];
	struct stat st;
	ssize_t n;

	memset(rs, 0, sizeof(*rs));
	rs->state = EFS_ROOT_MISSING;
	if (realpath(backing, bk) == NULL)
		return errno == ENOENT ? 0 : -errno;
	if ((size_t)snprintf(path, sizeof(path), "%s%s", bk,
	    strcmp(fs_path, "/") == 0 ? "" : fs_path) >= sizeof(path))
		return -ENAMETOOLONG;
	if (lstat(path, &st) == -1) {
		if (errno == ENOENT)
			return 0;
		if (errno == ENOTDIR) {
			rs->state = EFS_ROOT_NOTDIR;
			return 0;
		}
		return -errno;
	}
	if (!S_ISDIR(st.st_mode)) {
		rs->state = EFS_ROOT_NOTDIR;
		return 0;
	}
	rs->state = EFS_ROOT_EXISTS;
	n = lgetxattr(path, EFS_ATTR_XATTR, rec, sizeof(rec));
	if (n >= 0 && efs_attr_parse(rec, (size_t)n, st.st_mode & S_IFMT,
	    &rs->attr) == 0)
		rs->recorded = 1;
	else if (n < 0 && (errno == ENOTSUP || errno == ENOSYS) &&
	    store_get(bk, &st, &rs->attr) == 0)
		rs->recorded = 1;
	else
		efs_attr_unrecorded(&st, &rs->attr);
	return 0;
}

/*
 * Will creating the root directory create parents too?  Only parents
 * inside the file system count: a missing backing directory is a new file
 * system, created as such.
 */
static int
missing_parents(const char *backing_root, const char *fs_path)
{
	char buf[EFS_PATH_MAX];
	struct stat st;
	const char *slash;

	if ((slash = strrchr(fs_path, '/')) == NULL || slash == fs_path)
		return 0;
	snprintf(buf, sizeof(buf), "%s", backing_root);
	return stat(dirname(buf), &st) == -1;
}

static void
print_identity(FILE *fp, const struct efs_config *cfg, const struct efs_ap *ap,
    const struct efs_who *who)
{
	unsigned i;

	fprintf(fp, "  identity: uid=%u gid=%u groups=", (unsigned)who->id.uid,
	    (unsigned)who->id.gid);
	if (who->id.ngroups == 0)
		fputs("none", fp);
	for (i = 0; i < who->id.ngroups; i++)
		fprintf(fp, "%s%u", i > 0 ? "," : "",
		    (unsigned)who->id.groups[i]);
	if (ap != NULL && ap->has_posix_user)
		fprintf(fp, " (posix_user of %s)\n", ap->id);
	else
		fputs(" (the task user)\n", fp);
}

static void
print_decision(FILE *fp, const char *key, const struct efs_decision *dec)
{
	char buf[256];

	fprintf(fp, "  %s: %s\n", key, efs_decision_describe(dec, buf,
	    sizeof(buf)));
}

static void
print_root(FILE *fp, const struct efs_ap *ap, const struct efs_mount_plan *plan,
    const struct root_seen *rs)
{
	const struct efs_attr *a = &plan->create_attr;

	fputs("  root directory: ", fp);
	if (plan->create && strcmp(plan->fs_path, "/") == 0)
		fprintf(fp, "will be created with owner %u:%u mode %04o "
		    "(a new file system)\n", (unsigned)a->uid,
		    (unsigned)a->gid, (unsigned)(a->mode & 07777));
	else if (plan->create)
		fprintf(fp, "will be created with owner %u:%u mode %04o "
		    "(from creation_info)%s\n", (unsigned)a->uid,
		    (unsigned)a->gid, (unsigned)(a->mode & 07777),
		    missing_parents(plan->backing_root, plan->fs_path) ?
		    ", with missing parents" : "");
	else if (rs->state == EFS_ROOT_EXISTS)
		fprintf(fp, "exists, owner %u:%u mode %04o%s\n",
		    (unsigned)rs->attr.uid, (unsigned)rs->attr.gid,
		    (unsigned)(rs->attr.mode & 07777), rs->recorded ? "" :
		    " (not created by efsap: owned as if uploaded by root)");
	else if (rs->state == EFS_ROOT_NOTDIR)
		fputs("not a directory\n", fp);
	else if (ap != NULL && !ap->has_creation)
		fputs("does not exist, and the access point has no "
		    "creation_info\n", fp);
	else
		fputs("does not exist\n", fp);
}

int
tool_image_note(const struct efs_image *img, const char *path, char *out, size_t len)
{
	struct efs_image_entry e;
	const char *type;
	size_t n;

	if (img == NULL || efs_image_at(img, path, &e) != 0)
		return -1;
	type = S_ISDIR(e.attr.mode) ? (e.has_entries ? "a directory with entries" :
	    "an empty directory") : S_ISREG(e.attr.mode) ? "a file" :
	    S_ISLNK(e.attr.mode) ? "a symbolic link" : "a special file";
	snprintf(out, len, "%u:%u %04o, %s", (unsigned)e.attr.uid, (unsigned)e.attr.gid,
	    (unsigned)(e.attr.mode & 07777), type);
	n = strlen(out);
	if (e.layer >= 0 && n < len) {
		snprintf(out + n, len - n, ", layer %d", e.layer + 1);
		n += strlen(out + n);
		if (e.layer_digest != NULL && n < len) {
			const char *hex = strchr(e.layer_digest, ':');

			snprintf(out + n, len - n, " (sha256:%.12s)", hex != NULL ? hex + 1 : e.layer_digest);
			n += strlen(out + n);
		}
		if (e.created_by != NULL && e.created_by[0] != '\0' && n < len)
			snprintf(out + n, len - n, ": %s", e.created_by);
	}
	return 0;
}

/* The report for mount i.  Returns 0, or EXIT_USAGE. */
static int
explain_mount(const struct efs_config *cfg, int i,
    const struct efs_cred *caller, const struct efs_image *img, FILE *fp)
{
	char note[EFS_PATH_MAX];
	const struct efs_mount *m = &cfg->mounts[i];
	const struct efs_ap *ap = efs_config_ap(cfg, m);
	struct efs_mount_plan plan;
	struct root_seen rs;
	char arn[EFS_ARN_MAX];
	int rc;

	/* A first plan only to learn where the root is: planning is pure. */
	efs_mount_plan(cfg, i, caller, EFS_ROOT_MISSING, NULL, &plan);
	if ((rc = inspect_root(cfg->backing, plan.fs_path, &rs)) != 0) {
		errno = -rc;
		warn("%s", plan.backing_root);
		fprintf(fp, "mount %s\n  backing: %s\n  result: unknown\n\n",
		    m->container_path, plan.backing_root);
		return EXIT_USAGE;
	}
	efs_mount_plan(cfg, i, caller, rs.state, &rs.attr, &plan);

	fprintf(fp, "mount %s\n", m->container_path);
	fprintf(fp, "  file system: %s:%s\n", cfg->fs_id, plan.fs_path);
	if (ap != NULL)
		fprintf(fp, "  access point: %s\n", ap->id);
	else
		fputs("  access point: none\n", fp);
	if (efs_config_arn(cfg, NULL, arn, sizeof(arn)) == 0) {
		fprintf(fp, "  arn: %s", arn);
		if (ap != NULL && efs_config_arn(cfg, ap->id, arn,
		    sizeof(arn)) == 0)
			fprintf(fp, " (access point %s)", arn);
		fputc('\n', fp);
	}
	fprintf(fp, "  backing: %s\n", plan.backing_root);
	if (m->iam && cfg->role_arn[0] != '\0')
		fprintf(fp, "  principal: the task role %s (iam = true)\n",
		    cfg->role_arn);
	else
		fprintf(fp, "  principal: %s\n", m->iam ?
		    "the task role (iam = true)" : "anonymous (iam = false)");
	print_identity(fp, cfg, ap, &plan.who);
	if (plan.who.squashed)
		fprintf(fp, "  squash: root squashed to %u:%u "
		    "(ClientRootAccess not granted)\n", (unsigned)plan.who.id.uid,
		    (unsigned)plan.who.id.gid);
	else if (plan.who.root)
		fputs("  squash: root, not squashed (ClientRootAccess "
		    "granted)\n", fp);
	else
		fputs("  squash: not root\n", fp);
	print_decision(fp, "mount", &plan.dec_mount);
	print_decision(fp, "write", &plan.dec_write);
	print_decision(fp, "root access", &plan.dec_root);
	if (m->read_only && !plan.dec_write.allowed)
		fputs("  read-only: yes (read_only = true; ClientWrite not "
		    "granted)\n", fp);
	else if (m->read_only)
		fputs("  read-only: yes (read_only = true)\n", fp);
	else if (plan.read_only)
		fputs("  read-only: yes (ClientWrite not granted)\n", fp);
	else
		fputs("  read-only: no\n", fp);
	print_root(fp, ap, &plan, &rs);
	if (img != NULL) {
		if (tool_image_note(img, m->container_path, note, sizeof note) == 0) {
			fprintf(fp, "  image: has %s (%s); the mount hides it, so what "
			    "that layer did there does not apply\n", m->container_path, note);
			if (cfg->ec2)
				fputs("  copy-up: launch_type EC2: Docker copies it into the volume "
				    "when the volume is empty, chowning as the server identity\n", fp);
		} else
			fprintf(fp, "  image: has nothing at %s\n", m->container_path);
	}
	if (plan.fail)
		fprintf(fp, "  result: fails: %s\n", plan.error);
	else
		fputs("  result: mounts\n", fp);
	fputc('\n', fp);
	return 0;
}

int
tool_explain(const struct efs_config *cfg, const struct efs_image *img, FILE *fp)
{
	struct efs_cred caller;
	int i, status = 0;

	efs_cred_from_ident(&cfg->task, &caller);
	if (cfg->nmounts == 0)
		fputs("no mounts\n", fp);
	for (i = 0; i < cfg->nmounts; i++)
		if (explain_mount(cfg, i, &caller, img, fp) != 0)
			status = EXIT_USAGE;
	if (img != NULL)		/* what efsap run --image decides beside the mounts */
		fprintf(fp, "image: its own paths keep the owners and modes of its layers and are "
		    "decided with POSIX rules and the caller identity (uid %u gid %u at start), "
		    "as in a container: no access point, squashing or policy\n",
		    (unsigned)caller.euid, (unsigned)caller.egid);
	return status;
}
