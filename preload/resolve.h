/* SPDX-License-Identifier: MIT */
/*
 * resolve.h: resolve a path the program wrote the way an NFS client would,
 * checking search permission along it with the server identity.
 */
#ifndef EFSAP_RESOLVE_H
#define EFSAP_RESOLVE_H

#include <stdint.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>

#include "state.h"
#include "walk.h"

/*
 * Addresses that are never the program's: below vm.mmap_min_addr, and, on
 * 64-bit targets, at or above 2^56, past every user address space (x86_64
 * with 5-level paging ends at 2^56, arm64 at 2^52): EFAULT without a
 * system call.  Every other address is proven readable by uaccess.h
 * (efs_ustr, efs_uread) before efsap reads it.
 */
#if UINTPTR_MAX > 0xffffffffu
#define EFS_BAD_PTR(p)	((uintptr_t)(const void *)(p) < 65536 || \
			 (uintptr_t)(const void *)(p) >= ((uintptr_t)1 << 56))
#else
#define EFS_BAD_PTR(p)	((uintptr_t)(const void *)(p) < 65536)
#endif

/*
 * Resolve (dirfd, path).  Returns 0 with *r filled for an object (or a
 * missing final component) under a mount, EFS_NOT_MAPPED with r->host set
 * when the path leads outside every mount, or -errno (-ENOENT, -ENOTDIR,
 * -EACCES with the call blamed, -ELOOP, -ENAMETOOLONG).
 */
int efs_resolve(struct efs_call *c, int dirfd, const char *path, int flags,
    struct efs_res *r) EFS_HIDDEN;

/* efs_resolve, with the final object's lstat written to the caller's buffer ust too. */
int efs_resolve_into(struct efs_call *c, int dirfd, const char *path, int flags,
    struct efs_res *r, struct stat *ust) EFS_HIDDEN;

/*
 * Resolve an open descriptor under a mount (for f* calls): 0,
 * EFS_NOT_MAPPED, -errno.  flags: EFS_R_NOATTR.  r->view is filled only
 * when the log may need it (it costs a readlink).
 */
int efs_resolve_fd(struct efs_call *c, int fd, int flags, struct efs_res *r) EFS_HIDDEN;

/*
 * Is the fast path enough?  0 when (dirfd, path) certainly names nothing
 * under a mount, so the wrapper may pass the call through untouched.
 */
int efs_may_map(int dirfd, const char *path) EFS_HIDDEN;

/*
 * Is path one of this process's magic links, /proc/{self,thread-self,PID}
 * [/task/TID]/{fd/N,cwd} or /dev/fd/N, perhaps followed by more?  Returns
 * the length of the link part with *fd set (-1 for cwd), -1 when path is
 * a proper prefix of one ("/proc/self"), 0 otherwise.
 */
int efs_proc_link(const char *path, int *fd) EFS_HIDDEN;

/*
 * open of this process's /proc/self/maps (or /proc/PID/maps) read-only,
 * while some mount exists: 0 with *fdp on a copy whose backing paths are
 * in the program's view (wrap_proc.c), EFS_NOT_MAPPED for any other open,
 * or -errno.
 */
int efs_proc_open(const char *path, int flags, int *fdp) EFS_HIDDEN;

/* Map a backing absolute path to the program's view (for paths returned). 0 or -ENOENT. */
int efs_backing_to_view(const char *babs, char *view, size_t len) EFS_HIDDEN;

/*
 * One tree: host directories on the way to a mount point ("/", "/mnt"
 * for a mount on /mnt/data).  efs_host_anc: is the absolute host path one?
 * efs_fd_hostpath: the path of host descriptor fd (0, or -errno: -ENOENT
 * when it has no name any more).  efs_mount_point_next: the mount points
 * that are entries of the host directory dir (absolute; dfd its
 * descriptor, or AT_FDCWD) and that the host itself lacks, in mount
 * order: the first from mount k on, with *name (pointing into its
 * container path, *len bytes), or -1.  Mount points neither repeat nor
 * nest (config.c refuses both), so each name comes once.
 */
int efs_host_anc(const char *host) EFS_HIDDEN;
int efs_fd_hostpath(int fd, char *path, size_t len) EFS_HIDDEN;
int efs_mount_point_next(int dfd, const char *dir, int k, const char **name, size_t *len)
    EFS_HIDDEN;

/*
 * efs_at for a path from the mount root too long for the kernel: relative
 * to the working directory when the object lies below it (the kernel's
 * own working directory is the backing one), as the program's relative
 * path was.  rootfd and the long *rel otherwise (ENAMETOOLONG follows).
 */
int efs_at_long(const struct efs_mnt *mt, const char *babs, const char **rel, int rootfd)
    EFS_HIDDEN;

/*
 * Where the kernel finds r's object: returns a descriptor and sets *rel to
 * a path relative to it, the mount root's descriptor when it is open (a
 * short path walk), else AT_FDCWD and the whole backing path.
 */
static inline int
efs_at(const struct efs_mnt *mt, const char *babs, const char **rel)
{
	int fd = __atomic_load_n(&mt->rootfd, __ATOMIC_RELAXED);

	if (fd < 0 || babs[0] != '/') {
		*rel = babs;
		return AT_FDCWD;
	}
	*rel = babs[mt->blen] == '/' ? babs + mt->blen + 1 : ".";
	if (memchr(*rel, '\0', EFS_PATH_MAX) == NULL)
		return efs_at_long(mt, babs, rel, fd);
	return fd;
}

/*
 * efs_at for a call that changes, opens or removes the object: the
 * descriptor of its parent directory, opened beneath the mount root
 * without following any symbolic link (openat2 RESOLVE_BENEATH |
 * RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS), with *rel its last name.
 * A link that another process swaps in after efsap looked then fails the
 * open instead of leading the kernel out of the mount.  Pins are kept per
 * thread (PIN_SLOTS, valid until a directory or link is renamed or
 * removed, for at most a second).  0 with *dfd and *rel, or -ENOENT (the
 * path changed meanwhile) or -errno.  Without openat2 (before Linux 5.6,
 * or refused by a seccomp filter) the parent is opened one component at a
 * time with O_NOFOLLOW.  In a call a signal handler made inside another,
 * or when the program closed the mount root's descriptor, it is efs_at.
 */
int efs_pin(const struct efs_mnt *mt, const char *babs, int *dfd, const char **rel)
    EFS_HIDDEN;
/*
 * efs_pin, and *key the parent directory's efs_dir_key (kept with the
 * pin): what names the directory whatever its path, for name locks.
 */
int efs_pin_key(const struct efs_mnt *mt, const char *babs, int *dfd, const char **rel,
    uint64_t *key) EFS_HIDDEN;
/* The device and inode of the directory (dfd, rel) ("" for dfd itself), mixed; 0 if unknown. */
uint64_t efs_dir_key(int dfd, const char *rel) EFS_HIDDEN;
/* A thread exits: close its pins (its block, thread.h). */
void efs_pin_thread_exit(void *block) EFS_HIDDEN;

#endif
