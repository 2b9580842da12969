/* SPDX-License-Identifier: MIT */
/*
 * attr.h: how efsap records and presents attributes, pure.
 *
 * Record format (an xattr value, or a record in the sidecar store):
 *   "UID:GID:MODE:TYPE"  e.g. "1000:1000:0755:dir"
 * UID and GID decimal, MODE four octal digits of permission bits (07777),
 * TYPE one of file, dir, symlink, pipe, socket.  The parser also accepts
 * three fields with MODE holding type bits ("123:456:100644"), as
 * fuse-overlayfs writes.
 */
#ifndef EFSAP_ATTR_H
#define EFSAP_ATTR_H

#include <sys/stat.h>
#include <sys/statfs.h>
#if !defined(__GLIBC__) && !defined(STATX_TYPE)
#include <linux/stat.h>		/* struct statx: musl before 1.2.5 lacks it */
#endif
#include "efsap.h"

#define EFS_ATTR_XATTR	"user.efsap"	/* name of the record on regular files and directories */
#define EFS_ATTR_RECMAX	64		/* longest record, with its NUL */

/*
 * Format *a as a record into buf (at least EFS_ATTR_RECMAX bytes).
 * Returns the length without the NUL.
 */
int efs_attr_format(const struct efs_attr *a, char *buf, size_t len);

/*
 * Parse a record of len bytes (not NUL-terminated).  real_type is the
 * backing object's S_IFMT, used when the record has no type, and checked
 * against it when it has one.  Returns 0, or -EINVAL for a malformed record
 * or one whose type does not match (the record is stale).
 */
int efs_attr_parse(const char *buf, size_t len, uint32_t real_type, struct efs_attr *a);

/*
 * The attributes of an object efsap did not create: owned by 0:0, with the
 * real mode bits (SPEC 5.1).
 */
void efs_attr_unrecorded(const struct stat *st, struct efs_attr *a);

/*
 * The real (backing) mode to give an object with recorded attributes *a:
 * permission bits only (no set-id or sticky bits), always readable and
 * writable (and searchable, for directories) by the real owner, so that the
 * kernel's own checks never decide.  Executable by the real owner when any
 * x bit is recorded.
 */
uint32_t efs_attr_real_mode(const struct efs_attr *a);

/* Overlay recorded owner, group and mode onto a stat result. */
void efs_attr_apply_stat(const struct efs_attr *a, struct stat *st);
void efs_attr_apply_stat64(const struct efs_attr *a, struct stat64 *st);
/* statx: only the fields the caller asked for in mask and the kernel filled. */
struct statx;
void efs_attr_apply_statx(const struct efs_attr *a, struct statx *stx);

/*
 * What statfs reports under a mount (SPEC 5.6): f_type 0x6969 (NFS),
 * f_namelen 255, f_bsize and f_frsize 1 MiB (the EFS wsize), 8 EiB (2^63
 * bytes) of size, available and free space in those units, f_files and
 * f_ffree 0.  `real` is the backing file system's answer (its f_fsid is kept).
 */
void efs_attr_statfs(const struct statfs *real, struct statfs *out);
void efs_attr_statfs64(const struct statfs64 *real, struct statfs64 *out);
struct statvfs;
struct statvfs64;
void efs_attr_statvfs(const struct statvfs *real, struct statvfs *out);
void efs_attr_statvfs64(const struct statvfs64 *real, struct statvfs64 *out);

#endif
