/* SPDX-License-Identifier: MIT */
/*
 * decide.h: the namespace calls' decisions (SPEC 5.3 to 5.6), pure.
 *
 * Each decision takes what it needs to know of the objects involved (a
 * struct efs_dobj, filled by the shell from a resolution, act.c), of their
 * mount (the server identity and the write gate) and the call's flags, and
 * returns a verdict: the errno, the reason the log line states and the
 * object it blames.  The checks come in the order Linux makes them
 * (do_unlinkat, do_rmdir, do_renameat2 and vfs_rename, do_linkat and
 * vfs_link, do_open and may_open), since programs and conformance suites
 * see which error comes first.  No system call, no global, no side effect:
 * what the shell must do besides (drop cached resolutions) the verdict says.
 */
#ifndef EFSAP_DECIDE_H
#define EFSAP_DECIDE_H

#include <stddef.h>
#include <stdio.h>

#include "efsap.h"

#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE	(1 << 0)
#define RENAME_EXCHANGE		(1 << 1)
#define RENAME_WHITEOUT		(1 << 2)
#endif

/* An object (or a missing final name) as the decisions see it. */
struct efs_dobj {
	int mount;			/* mount index, -1 outside every mount */
	int exists;
	int is_root;			/* the mount's root */
	int dotlast;			/* the path ended in "." or ".." */
	int dotdot;			/* ... in ".." */
	int slash;			/* the path ended in '/' */
	uint32_t type;			/* S_IFMT of the backing object, when it exists */
	uint64_t dev, ino;		/* the backing object's, when it exists */
	uint64_t nlink;
	struct efs_attr attr;		/* its record, when it exists */
	struct efs_attr pattr;		/* its parent directory's, unless is_root */
};

/* The mount an object lives in, as the decisions see it. */
struct efs_dmnt {
	const struct efs_who *who;	/* the server identity */
	int erofs;			/* 0, or why writes fail: EFS_WHY_RO, EFS_WHY_NOWRITE */
};

/* How two backing paths of one mount relate (efs_decide_relate). */
struct efs_drel {
	int new_in_old;			/* the new name lies strictly inside the old object */
	int old_in_new;			/* the old object lies strictly inside the new name */
	int same_parent;		/* both names are in one directory */
};

/* Which object the log blames (struct efs_verdict). */
enum efs_blame {
	EFS_BLAME_NONE = 0,		/* no object: the reason alone (a gate, EXDEV) */
	EFS_BLAME_OBJ,			/* the (old) object: its record and its path */
	EFS_BLAME_PARENT,		/* the (old) object's parent: its record and path */
	EFS_BLAME_NEW,			/* rename and link: the new name's object */
	EFS_BLAME_NEW_PARENT		/* ... the new name's parent */
};

struct efs_verdict {
	int err;			/* 0 or -errno */
	int noop;			/* allowed, with nothing to do (rename onto itself) */
	int why;			/* enum efs_why of a refusal the log explains, or EFS_WHY_NONE */
	int blame;			/* enum efs_blame, when why is set */
	int stale;			/* a directory or link may lose a name: cached
					   resolutions must go before the call acts */
};

/* Does the path's last component (trailing slashes aside) read ".."? */
int efs_decide_dotdot(const char *path);

/*
 * Relate two backing absolute paths of one mount, with the lengths of
 * their parent parts.  Never fails.
 */
void efs_decide_relate(const char *obabs, size_t obparent, const char *nbabs,
    size_t nbparent, struct efs_drel *rel);

/* EFS_MAY_* access that Linux derives from open flags (build_open_flags). */
int efs_decide_open_access(int flags);

/*
 * Access with mask (EFS_MAY_*) to o's existing object: 0 or -EACCES
 * (blaming it, EFS_WHY_PERM or EFS_WHY_SQUASH).
 */
int efs_decide_access(const struct efs_dmnt *m, const struct efs_dobj *o, int mask,
    struct efs_verdict *v);

/*
 * access(2) and faccessat of o's object with mode (F_OK, or R_OK, W_OK and
 * X_OK bits): -ENOENT when missing; F_OK 0; the permission bits -EACCES
 * (blaming it); W_OK on a regular file, directory or link the write gate
 * -EROFS (not on a FIFO, socket or device: writing those writes nothing).
 */
int efs_decide_faccess(const struct efs_dmnt *m, const struct efs_dobj *o, int mode,
    struct efs_verdict *v);

/* The write gate (SPEC 5.4): 0, or -EROFS with the mount's reason. */
int efs_decide_gate(const struct efs_dmnt *m, struct efs_verdict *v);

/*
 * Creating o's final name: -EEXIST when it exists, is the mount root or
 * "." / ".." (before anything else, as Linux), -EROFS from the write gate,
 * -EACCES without w+x on the parent (blaming it).
 */
int efs_decide_create(const struct efs_dmnt *m, const struct efs_dobj *o,
    struct efs_verdict *v);

/*
 * Removing or renaming away o's object: -ENOENT when missing, -EBUSY for
 * a mount root, -EROFS, -EACCES (w+x on the parent, blaming it), -EPERM
 * (sticky parent, blaming the object, EFS_WHY_STICKY).  Sets v->stale for
 * an object other than a regular file, once past -EBUSY.
 */
int efs_decide_delete(const struct efs_dmnt *m, const struct efs_dobj *o,
    struct efs_verdict *v);

/*
 * unlink(2): "." and ".." and a mount root -EISDIR; -EROFS; -ENOENT; a
 * trailing slash on a directory -EISDIR; as efs_decide_delete; a
 * directory -EISDIR.
 */
int efs_decide_unlink(const struct efs_dmnt *m, const struct efs_dobj *o,
    struct efs_verdict *v);

/*
 * rmdir(2): "." -EINVAL, ".." -ENOTEMPTY, a mount root -EBUSY; -EROFS;
 * -ENOENT; as efs_decide_delete; a non-directory -ENOTDIR.
 */
int efs_decide_rmdir(const struct efs_dmnt *m, const struct efs_dobj *o,
    struct efs_verdict *v);

/*
 * mknod(2) of o's final name for an object of type (S_IFMT bits; 0 is a
 * regular file), as Linux orders it: a directory -EPERM, an unknown type
 * -EINVAL, then creation (efs_decide_create); EFS refuses block and
 * character devices (SPEC 5.6) with -EPERM where Linux would check
 * CAP_MKNOD, after the permission checks.
 */
int efs_decide_mknod(const struct efs_dmnt *m, const struct efs_dobj *o, uint32_t type,
    struct efs_verdict *v);

/*
 * symlink(2) of o's final name to a target of tlen bytes (the client's own
 * limits, empty and PATH_MAX, checked before the path resolves): creation
 * (efs_decide_create), then EFS's limit on targets (EFS_SYMLINK_MAX)
 * -ENAMETOOLONG (EFS_WHY_LIMIT).
 */
int efs_decide_symlink(const struct efs_dmnt *m, const struct efs_dobj *o, size_t tlen,
    struct efs_verdict *v);

/*
 * rename(2) and renameat2 of o to n, with m the old object's mount:
 * flags other than RENAME_NOREPLACE or RENAME_EXCHANGE, or both, or
 * RENAME_WHITEOUT -EINVAL; two mounts (or one side outside every mount)
 * -EXDEV; then do_renameat2's and vfs_rename's order: "." / ".." or a
 * mount root -EBUSY (-EEXIST for the new name with RENAME_NOREPLACE),
 * -EROFS, -ENOENT, -EEXIST, -ENOTDIR for a trailing slash on a
 * non-directory, -EINVAL (a directory into itself), -ENOTEMPTY; the same
 * file: 0 with v->noop; delete and create permissions (EACCES, EPERM),
 * -ENOTDIR / -EISDIR for a directory over a non-directory and the
 * reverse; a directory moved to another parent needs write permission on
 * itself (its ".." changes).
 */
int efs_decide_rename(const struct efs_dmnt *m, const struct efs_dobj *o,
    const struct efs_dobj *n, const struct efs_drel *rel, unsigned flags,
    struct efs_verdict *v);

/*
 * Linux's protected_hardlinks (fs.protected_hardlinks = 1), with the server
 * identity: a non-root identity that does not own o may link only a
 * regular file that is not set-id (setgid with group execute) and that it
 * may read and write.  0 or -EPERM (blaming o, EFS_WHY_PERM).
 */
int efs_decide_hardlink(const struct efs_dmnt *m, const struct efs_dobj *o,
    struct efs_verdict *v);

/*
 * linkat(2) of o to the new name n, with m the new name's mount (o->mount
 * -1 for an object outside every mount), in do_linkat's and vfs_link's
 * order: n outside every mount -EXDEV; n existing, a mount root or "." /
 * ".." -EEXIST; -EROFS; two mounts -EXDEV; -ENOENT; protected hard links
 * -EPERM; creation (EACCES); a directory -EPERM; EFS_LINK_MAX links
 * -EMLINK (EFS_WHY_LIMIT).
 */
int efs_decide_link(const struct efs_dmnt *m, const struct efs_dobj *o,
    const struct efs_dobj *n, struct efs_verdict *v);

/*
 * open(2) of o's existing object with flags (O_PATH already narrowed to
 * the flags it keeps), in do_open's and may_open's order: O_CREAT|O_EXCL
 * -EEXIST; O_CREAT on a directory -EISDIR; O_DIRECTORY on a non-directory
 * -ENOTDIR; O_PATH: 0, no access checked; O_TRUNC of a regular file
 * -EROFS; a symbolic link (the final one, not followed) -ELOOP; a
 * directory for writing -EISDIR; a regular file for writing -EROFS; the
 * permission bits -EACCES.
 */
int efs_decide_open(const struct efs_dmnt *m, const struct efs_dobj *o, int flags,
    struct efs_verdict *v);

/*
 * open(2) with O_TMPFILE in o's directory: -ENOENT, -ENOTDIR, -EROFS, or
 * -EACCES without w+x on the directory itself (blaming it).
 */
int efs_decide_tmpfile(const struct efs_dmnt *m, const struct efs_dobj *o,
    struct efs_verdict *v);

/*
 * truncate(2) of o's object (links followed): -ENOENT, a directory
 * -EISDIR, another non-regular object -EINVAL, -EROFS, -EACCES without
 * write permission.
 */
int efs_decide_truncate(const struct efs_dmnt *m, const struct efs_dobj *o,
    struct efs_verdict *v);

#endif
