/* SPDX-License-Identifier: MIT */
/*
 * log.c: explain denials (SPEC 5.7) and, with EFSAP_LOG=all, trace every
 * operation under a mount.  One line per operation, written with a single
 * write(2) so that lines from several processes do not mix.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "errname.h"
#include "real.h"
#include "state.h"
#include "uaccess.h"

static const char *
why_text(int why)
{
	switch (why) {
	case EFS_WHY_PERM:	return "POSIX permission bits";
	case EFS_WHY_SQUASH:	return "POSIX permission bits, as root squashed (ClientRootAccess not granted)";
	case EFS_WHY_RO:	return "read-only mount (read_only = true)";
	case EFS_WHY_NOWRITE:	return "ClientWrite not granted";
	case EFS_WHY_CHOWN:	return "chown restricted (only root may change the owner; the owner may change the group to one of its groups)";
	case EFS_WHY_CHMOD:	return "only the owner or root may change the mode";
	case EFS_WHY_STICKY:	return "sticky directory (only root, the entry's owner or the directory's owner may remove or rename)";
	case EFS_WHY_UNSUPPORTED: return "not supported by EFS";
	case EFS_WHY_LIMIT:	return "an EFS limit";
	case EFS_WHY_XDEV:	return "across mounts";
	}
	return "";
}

/* Append to buf at *n, never past len. */
static void
put(char *buf, size_t len, size_t *n, const char *fmt, ...)
{
	va_list ap;
	int w;

	if (*n >= len)
		return;
	va_start(ap, fmt);
	w = vsnprintf(buf + *n, len - *n, fmt, ap);
	va_end(ap);
	if (w > 0)
		*n += (size_t)w < len - *n ? (size_t)w : len - *n - 1;
}

static void
put_who(char *buf, size_t len, size_t *n, const struct efs_who *w)
{
	unsigned i;

	put(buf, len, n, "uid=%u gid=%u groups=", w->id.uid, w->id.gid);
	for (i = 0; i < w->id.ngroups; i++)
		put(buf, len, n, "%s%u", i ? "," : "", w->id.groups[i]);
	if (w->id.ngroups == 0)
		put(buf, len, n, "none");
	if (w->squashed)
		put(buf, len, n, " (root squashed)");
}

/* " (denied by statement ... of ...)": the policy statement that decided. */
static void
put_decision(char *buf, size_t len, size_t *n, const struct efs_decision *dec)
{
	if (*n + 4 >= len)
		return;
	put(buf, len, n, " (");
	efs_decision_describe(dec, buf + *n, len - *n);
	*n += strlen(buf + *n);
	put(buf, len, n, ")");
}

/*
 * The pitfalls of efs-semantics.md section 9 that one denial can show.
 * The first: the mount point exists on the host (in the image) with an
 * owner that the program may expect, but the mount hides it.
 */
static void
put_hint(char *buf, size_t len, size_t *n, const struct efs_call *c, const struct efs_mnt *mt,
    const struct efs_who *who)
{
	const struct efs_ap *ap = efs_config_ap(&efs.cfg, mt->m);
	struct stat hst;
	int on_root = c->have_obj && c->objpath != NULL && c->objpath[0] != '\0' &&
	    strcmp(c->objpath, mt->cpath) == 0;

	switch (c->why) {
	case EFS_WHY_PERM:
		if (!on_root)
			return;
		if (mt->m->image_note[0] != '\0')
			put(buf, len, n, "; hint: the image has %s (%s), but the EFS mount hides it, "
			    "so that layer does not apply; ", mt->cpath, mt->m->image_note);
		else if (real.stat(mt->cpath, &hst) == 0 && S_ISDIR(hst.st_mode) &&
		    (hst.st_uid != c->obj.uid || hst.st_gid != c->obj.gid)) {
			put(buf, len, n, "; hint: %s exists on this host (in the image) owned by %u:%u, "
			    "but the EFS mount hides it, so a chown in the Dockerfile does not apply; ",
			    mt->cpath, (unsigned)hst.st_uid, (unsigned)hst.st_gid);
		} else
			put(buf, len, n, "; hint: the mount's root directory on EFS is owned by %u:%u mode %04o; ",
			    c->obj.uid, c->obj.gid, c->obj.mode & 07777);
		if (ap == NULL)
			put(buf, len, n, "mount through an access point whose posix_user is uid %u "
			    "and whose root_directory has creation_info owner_uid = %u",
			    who->id.uid, who->id.uid);
		else if (!ap->has_posix_user)
			put(buf, len, n, "give access point %s a posix_user with uid %u, or "
			    "creation_info owner_uid = %u for a new root directory",
			    ap->id, who->id.uid, who->id.uid);
		else
			put(buf, len, n, "access point %s acts as uid %u: make its creation_info "
			    "owner_uid %u (for a new root directory) or its posix_user the owner %u",
			    ap->id, who->id.uid, who->id.uid, c->obj.uid);
		return;
	case EFS_WHY_SQUASH:
		put(buf, len, n, "; hint: root is squashed to %u:%u because ClientRootAccess is not "
		    "granted; allow it in the policy, or run as a non-root user that owns the data",
		    efs.cfg.anon_uid, efs.cfg.anon_gid);
		return;
	case EFS_WHY_CHOWN:
		if (ap != NULL && ap->has_posix_user)
			put(buf, len, n, "; hint: access point %s makes every operation run as uid %u, "
			    "which is not root; run the container as that user so that its "
			    "entrypoint need not chown", ap->id, ap->posix_user.uid);
		return;
	case EFS_WHY_NOWRITE:
		put(buf, len, n, "; hint: add ClientWrite to %s",
		    mt->m->iam ? "the file system policy or the task role policy"
		    : "the file system policy for anonymous clients (or mount with iam = true and a task role that has it)");
		return;
	}
}

void
efs_log_call(struct efs_call *c, long rc)
{
	enum { LINE = 2048 };
	char *buf;
	size_t n = 0, mark = efs_scratch_mark();
	const struct efs_mnt *mt;
	struct efs_who who;

	if (c->mount < 0 || (rc >= 0 && efs.log_level < 2))
		return;
	/*
	 * Not a refusal: ENOENT, EEXIST and the like, and EXDEV across mounts,
	 * which programs expect and recover from (mv copies, git clone falls
	 * back), as they do between two NFS mounts.
	 */
	if (rc < 0 && (c->why == EFS_WHY_NONE || c->why == EFS_WHY_XDEV) && efs.log_level < 2)
		return;
	if ((buf = efs_scratch_alloc(LINE)) == NULL)
		return;
	mt = &efs.mnt[c->mount];
	efs_who_get(mt, &who);
	if (c->path != NULL && !efs_upath(c->path))
		c->path = NULL;		/* one efsap may not read (EFAULT): never a crash */
	/* the path as the program wrote it, and where that is when it was relative */
	if (c->path != NULL && c->path[0] != '\0')
		put(buf, LINE, &n, "efsap: %s %s", c->op, c->path);
	else
		put(buf, LINE, &n, "efsap: %s %s", c->op,
		    c->view != NULL && c->view[0] != '\0' ? "" : "(fd)");
	if (c->view != NULL && c->view[0] != '\0' &&
	    (c->path == NULL || strcmp(c->path, c->view) != 0))
		put(buf, LINE, &n, c->path != NULL && c->path[0] != '\0' ? " (%s)" : "%s",
		    c->view);
	if (c->path2 != NULL && efs_upath(c->path2)) {
		put(buf, LINE, &n, " -> %s", c->path2);
		if (c->view2 != NULL && c->view2[0] != '\0' && strcmp(c->path2, c->view2) != 0)
			put(buf, LINE, &n, " (%s)", c->view2);
	}
	put(buf, LINE, &n, ": ");
	if (rc >= 0) {
		put(buf, LINE, &n, "ok\n");
		goto out;
	}
	put(buf, LINE, &n, "%s (%s)", efs_errname((int)-rc) ? efs_errname((int)-rc) : "E?",
	    strerror((int)-rc));
	if (c->why == EFS_WHY_XDEV)
		put(buf, LINE, &n, "; %s, not a denial: programs copy instead", why_text(c->why));
	else if (c->why != EFS_WHY_NONE) {
		/* the image is no server's: its paths are decided with the caller's */
		put(buf, LINE, &n, mt != NULL && mt->image ? "; in the image, caller identity " :
		    "; server identity ");
		put_who(buf, LINE, &n, &who);
		if (c->have_obj)
			put(buf, LINE, &n, "; %s owner %u:%u mode %04o",
			    c->objpath != NULL && c->objpath[0] ? c->objpath : c->path,
			    c->obj.uid, c->obj.gid,
			    c->obj.mode & 07777);
		put(buf, LINE, &n, "; rule: %s", why_text(c->why));
		if (c->why == EFS_WHY_NOWRITE || c->why == EFS_WHY_SQUASH)
			put_decision(buf, LINE, &n, c->why == EFS_WHY_NOWRITE ?
			    &mt->dec_write : &mt->dec_root);
		put_hint(buf, LINE, &n, c, mt, &who);
	}
	put(buf, LINE, &n, "\n");
out:
	if (n >= LINE)
		n = LINE - 1;
	buf[n - 1] = '\n';
	if (write(__atomic_load_n(&efs.log_fd, __ATOMIC_RELAXED), buf, n) < 0)
		n = 0;
	efs_scratch_release(mark);
}
