/* SPDX-License-Identifier: MIT */
/*
 * walk.h: the resolver's walk (SPEC 5.5), pure: small step functions over
 * a walker state, and every look at the file system through a table of
 * operations (struct efs_fsops).  The library's table (resolve.c) makes
 * the real system calls through pinned parents and keeps the per-thread
 * caches; the Check suite's (tests/check_resolve.c) is an in-memory tree.
 */
#ifndef EFSAP_WALK_H
#define EFSAP_WALK_H

#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "state.h"

/* Flags */
#define EFS_R_FOLLOW	1	/* follow a final symbolic link */
#define EFS_R_EMPTY	2	/* AT_EMPTY_PATH: "" names dirfd itself */
#define EFS_R_NOATTR	4	/* the caller reads the final record itself (under its lock) */
#define EFS_R_GUESS	8	/* a create: take a final name as missing without looking */
#define EFS_R_REMOVE	16	/* a removal: read the final record only where a decision
				   reads it (a directory's; any under a sticky parent) */

/* Results besides 0 and -errno */
#define EFS_NOT_MAPPED	1	/* not under a mount: act on r->host */

#define EFS_MAXLINKS	40	/* symbolic links one walk follows (Linux's MAXSYMLINKS) */

struct efs_res {
	int mount;			/* mount index */
	struct efs_mnt *mt;
	char view[EFS_VIEW_MAX];	/* program-view absolute path of the object */
	char babs[EFS_PATH_MAX + EFS_VIEW_MAX];	/* backing absolute path of the object */
	size_t bparent;			/* length of babs's parent part */
	const char *name;		/* last component, inside babs */
	int exists;
	int guessed;			/* EFS_R_GUESS took the final name as missing */
	int is_root;			/* the object is the mount's root */
	int dotlast;			/* the path ended in "." or ".." */
	int slash;			/* the path ended in '/' */
	struct stat st;			/* backing lstat, when exists */
	struct efs_attr attr;		/* recorded attributes, when exists */
	struct efs_attr pattr;		/* the parent directory's, unless is_root */
	char host[EFS_PATH_MAX];	/* EFS_NOT_MAPPED: the host path to use */
	struct stat *ustat;		/* when set, the final lstat lands here first (a
					   caller's buffer: the kernel checks it, EFAULT) */
};

/*
 * Keys of the directory cache: 128-bit FNV-1a hashes of the backing path,
 * chained component by component (no two paths met by accident share one;
 * efsap does not defend against crafted collisions, SPEC 5.8).
 */
#ifdef __SIZEOF_INT128__
typedef unsigned __int128 efs_dkey;
#define EFS_DKEY_INIT	(((efs_dkey)0x6c62272e07bb0142ull << 64) | 0x62b821756295c58dull)
#else
typedef uint64_t efs_dkey;		/* 32-bit targets: 64-bit FNV-1a */
#define EFS_DKEY_INIT	0xcbf29ce484222325ull
#endif

/* h extended by the n bytes at p. */
efs_dkey efs_walk_hash(efs_dkey h, const char *p, size_t n) EFS_HIDDEN;

/*
 * What the walk asks of the file system.  Backing paths given are under
 * mt's root, built by the walk from looked-up, non-link components.
 * Every function returns 0 (or a length) or -errno unless said otherwise.
 */
struct efs_fsops {
	/* A walk (or a walk again after -EAGAIN) starts: caches take their clock. */
	void (*begin)(void *ctx);
	/* The recorded attributes of the directory with key k, if remembered; or NULL. */
	const struct efs_attr *(*dir_cached)(void *ctx, efs_dkey k);
	/* Remember a directory's attributes under key k. */
	void (*dir_remember)(void *ctx, efs_dkey k, const struct efs_attr *a);
	/* lstat of babs's last component through its parent (never following a link). */
	int (*lstat)(void *ctx, const struct efs_mnt *mt, const char *babs, struct stat *st);
	/* The target of the link babs into buf (len bytes, not terminated): its length. */
	int (*readlink)(void *ctx, const struct efs_mnt *mt, const char *babs, char *buf,
	    size_t len);
	/* The record of the object babs whose lstat is *st, into *a. */
	int (*record)(void *ctx, const struct efs_mnt *mt, const char *babs,
	    const struct stat *st, struct efs_attr *a);
	/*
	 * The target of this process's magic link `link` (descriptor fd, or the
	 * working directory when fd < 0) for a walk that goes on with rest: 0
	 * with the program-view path in out (EFS_PATH_MAX bytes), EFS_NOT_MAPPED
	 * when the kernel may follow it (the host's), or -errno.
	 */
	int (*magic)(void *ctx, int fd, const char *link, const char *rest, char *out);
	/* The mount a descriptor is under, or -1 (not an errno). */
	int (*fd_mount)(void *ctx, int fd);
	/* Is fd a host directory on the way to a mount point (EFS_FD_HOSTANC)? */
	int (*fd_anc)(void *ctx, int fd);
	/* The program-view path of descriptor fd under mount k (-1: a host one) into view. */
	int (*fd_view)(void *ctx, int fd, int k, char *view, size_t len);
	/* The working directory's view into buf: its mount, -1, or EFS_CWD_TOO_LONG. */
	int (*cwd)(void *ctx, char *buf, size_t len);
	/* This process's id, for /proc/PID/... (asked only for such a path). */
	pid_t (*pid)(void *ctx);
};

/* Where a walk runs: the mounts, the process, and its file system. */
struct efs_walkenv {
	const struct efs_fsops *ops;
	void *ctx;
	struct efs_mnt *mnt;
	int nmnt;
	int img;			/* efsap run --image: mnt[img] is "/" (its broot "/."); else -1 */
};

/*
 * With an image as "/": the kernel's own mounts that the launcher gives
 * the container (tools/sandbox.c) stay the host's, walked and acted on by
 * the kernel.  Is the absolute normal path (len bytes) at or under one?
 */
int efs_walk_hole(const char *path, size_t len) EFS_HIDDEN;

/* What a walk leaves for the caller's log besides its result. */
struct efs_walkout {
	int entered;			/* the last mount it entered, or -1 */
	int denied;			/* search permission refused on dir (-EACCES) */
	int squashed;			/* ... for a squashed root identity */
	struct efs_attr dir;		/* the directory that refused; its view is r->view */
};

/* The scratch a walk needs: two path buffers and a link target. */
#define EFS_WALK_WORK		(EFS_VIEW_MAX + EFS_PATH_MAX)
#define EFS_WALK_SCRATCH	(2 * EFS_WALK_WORK + EFS_PATH_MAX)

/*
 * Resolve (dirfd, path) (path non-empty, readable) in env, with scratch
 * of EFS_WALK_SCRATCH bytes.  Returns 0 with *r filled for an object (or
 * a missing final component) under a mount, EFS_NOT_MAPPED with r->host
 * set when the path leads outside every mount, or -errno (-ENOENT,
 * -ENOTDIR, -EACCES with out->denied, -ELOOP, -ENAMETOOLONG, -ESTALE for
 * a mount root that is gone).  A link renamed away between its lstat and
 * its readlink makes the walk start again, up to 8 times.
 */
int efs_walk(const struct efs_walkenv *env, int dirfd, const char *path, int flags,
    struct efs_res *r, char *scratch, struct efs_walkout *out) EFS_HIDDEN;

/*
 * Is path one of process pid's magic links, /proc/{self,thread-self,PID}
 * [/task/TID]/{fd/N,cwd} or /dev/fd/N, perhaps followed by more?  Returns
 * the length of the link part with *fd set (-1 for cwd), -1 when path is
 * a proper prefix of one ("/proc/self"), 0 otherwise.
 */
int efs_walk_proc_link(const char *path, pid_t pid, int *fd) EFS_HIDDEN;

#endif
