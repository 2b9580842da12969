/* SPDX-License-Identifier: MIT */
/*
 * publish.h: create an object under a mount so that it appears under its
 * name with its record already in place.  No other process ever sees it
 * unrecorded (as 0:0), and a creator killed at any instant leaves neither
 * an unrecorded object nor a stray record behind.
 */
#ifndef EFSAP_PUBLISH_H
#define EFSAP_PUBLISH_H

#include "resolve.h"

/*
 * Record the attributes of an object the caller created in place at
 * r->babs (an O_TMPFILE, a socket bound where staging cannot be used),
 * with type (S_IFREG...) and requested mode: owner from the server
 * identity, group from a setgid parent, the umask applied (SPEC 5.3).
 * fd >= 0 names the new object when the caller holds one.  0 or -errno.
 */
int efs_record_new(const struct efs_res *r, int fd, uint32_t type, uint32_t mode) EFS_HIDDEN;

/*
 * The real mode to create the backing object with, so that the kernel's
 * own checks never refuse the real user: see efs_attr_real_mode().
 */
mode_t efs_create_mode(const struct efs_res *r, uint32_t type, uint32_t mode) EFS_HIDDEN;

/*
 * A regular file at r's missing final component, opened with the
 * caller's flags (O_CREAT and O_EXCL implied) and requested mode: made
 * in the store's staging directory, recorded, then renamed into place
 * without replacing anything.  0 with *fdp, -EEXIST when the name exists
 * (by now), or -errno.
 */
int efs_publish_file(const struct efs_res *r, int flags, mode_t mode, int *fdp) EFS_HIDDEN;

/*
 * A directory, FIFO, socket node or symbolic link (type; target for a
 * link) at r's missing final component: made in the store's staging
 * directory, recorded there, then renamed into place without replacing
 * anything.  0, -EEXIST, or -errno.
 */
int efs_publish_node(const struct efs_res *r, uint32_t type, mode_t mode,
    const char *target) EFS_HIDDEN;

/*
 * The same for (dfd, rel), which is the backing path babs, with the record
 * *a and the real mode given: the access point roots made at mount time.
 */
int efs_publish_node_at(int dfd, const char *rel, const char *babs, uint32_t type,
    mode_t real_mode, const char *target, const struct efs_attr *a) EFS_HIDDEN;

/*
 * The caller made an object of type (a socket, by bind) at the staged
 * name (efs_store_stage); record it for r's missing final component and
 * rename it into place.  0, -EEXIST, or -errno (it is taken away then).
 */
int efs_publish_staged(const struct efs_res *r, const char *name, uint32_t type,
    mode_t mode) EFS_HIDDEN;

/*
 * An object whose record lives in the store (a FIFO, socket or link)
 * loses a name, at (dfd, rel), with lstat *st.  By unlink
 * (efs_retire_unlink): whatever the name holds is renamed into the staging
 * directory in one step, and its record goes there when that was its last
 * name.  By a rename over it (efs_retire_begin before, efs_retire_end
 * after, whether the rename replaced it or not): the object is first given
 * a second name in the staging directory.  Either way a process killed at
 * any instant leaves the object with its record, or neither (the sweep
 * finishes the job).  Other objects are left to the plain call: their
 * records die with them.  moves is efs_store_moves() from before the
 * caller's look at the name (*st).  efs_retire_begin returns 1 when it
 * staged a name (into name), 0 when the plain call suffices, or -errno.
 */
int efs_retire_unlink(int dfd, const char *rel, const struct stat *st, uint64_t moves)
    EFS_HIDDEN;
int efs_retire_begin(int dfd, const char *rel, const struct stat *st, char *name,
    size_t len) EFS_HIDDEN;
void efs_retire_end(const char *name, const struct stat *st) EFS_HIDDEN;

#endif
