/* SPDX-License-Identifier: MIT */
/*
 * path.h: lexical path work, pure: normalisation and mount lookup.
 */
#ifndef EFSAP_PATH_H
#define EFSAP_PATH_H

#include <stddef.h>
#include "config.h"

/*
 * Is `path` absolute and normalised: starts with '/', no "." or ".."
 * component, no "//", no trailing '/' (except "/" itself)?  1 or 0.
 */
int efs_path_is_normal(const char *path);

/*
 * Join base (absolute, normalised) and rel, resolving "." and ".." and
 * doubled slashes lexically, into out (len bytes).  An absolute rel ignores
 * base.  ".." at "/" stays at "/".  Returns the length, or -ENAMETOOLONG.
 */
int efs_path_join(const char *base, const char *rel, char *out, size_t len);

/*
 * The mount whose container_path is path or an ancestor of it, for a
 * normalised absolute path; *rest then points at the remainder ("" or
 * "/a/b").  Returns the mount index, or -1.
 */
int efs_path_mount(const struct efs_config *cfg, const char *path, const char **rest);

/*
 * Might text s (a path) hold a "." or ".." component or "//", which a
 * lexical comparison cannot see through?  1 or 0.
 */
int efs_path_odd(const char *s);

/*
 * Could the path reach a mount, by text alone?  A fast, conservative
 * filter for the wrappers: 0 only when the path (taken relative to cwd,
 * an absolute normalised path) certainly names nothing under a mount.
 */
int efs_path_may_enter(const struct efs_config *cfg, const char *cwd, const char *path);

/*
 * Is the absolute path `path` (normalised, but for trailing slashes) a
 * proper ancestor of the mount point cpath?  "/", "/mnt" and "/mnt/" are
 * ancestors of "/mnt/data"; "/mn", "/mnt/data" and "/mnt/data/x" are not.
 */
int efs_path_is_anc(const char *path, const char *cpath);

/*
 * Is the mount point cpath an entry of the directory dir (cpath = dir +
 * "/" + name)?  Its name's length with *name pointing into cpath, or 0.
 */
size_t efs_path_child(const char *dir, const char *cpath, const char **name);

#endif
