/* SPDX-License-Identifier: MIT */
/*
 * image.h: container images for `efsap run --image` and `efsap image`:
 * turn IMAGE (an unpacked root file system, a docker/podman save archive,
 * an OCI image layout as a directory or a tar) into an unpacked, cached
 * root file system, its configuration, and what each path of it came from.
 *
 * image_pure.c holds the decisions (no I/O, tested by tests/check_image.c),
 * image_src.c reads manifests and blobs, image.c opens images and keeps
 * the cache, image_unpack.c applies layers, image_fs.c resolves paths
 * inside a root, image_query.c answers USER and what is at a path,
 * image_cmd.c is `efsap image`.
 */
#ifndef EFSAP_IMAGE_H
#define EFSAP_IMAGE_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "efsap.h"

#define EFS_IMAGE_DIGEST_MAX	80	/* "sha256:" + 64 hex digits, with room */

/* One layer of an image, in order (0 is the lowest). */
struct efs_image_layer {
	char digest[EFS_IMAGE_DIGEST_MAX];	/* of the layer blob, "sha256:..." */
	char *created_by;		/* its history entry's created_by, or NULL */
};

struct efs_image {
	char rootfs[PATH_MAX];		/* absolute path of the unpacked, cached root */
	char digest[EFS_IMAGE_DIGEST_MAX]; /* "sha256:..." of the config; "" for a directory */
	char **entrypoint, **cmd;	/* NULL-terminated, NULL when absent */
	char **env;			/* "K=V", NULL-terminated, never NULL */
	char workdir[PATH_MAX];		/* "" when absent */
	char user[256];			/* as written in the image ("" = root) */

	char cachedir[PATH_MAX];	/* .../images/<hex>; "" for a directory IMAGE */
	int nlayers;
	struct efs_image_layer *layers;
	int cached;			/* 1: found in the cache, not unpacked now */
	unsigned skipped_devices;	/* device nodes and sockets not created */
	int xattrs;			/* 1: owners and modes recorded in user.efsap,
					   0: the cache refused xattrs, -1: not known
					   (a cache hit, a directory) */
};

/* What the image has at one path (efsap check --explain --image). */
struct efs_image_entry {
	struct efs_attr attr;		/* owner, group, st_mode (type bits included) */
	int recorded;			/* 1: owner and mode come from the layers */
	int has_entries;		/* a directory that is not empty */
	int layer;			/* index into img->layers, -1 when unknown */
	const char *layer_digest;	/* NULL when layer is -1; owned by img */
	const char *created_by;		/* NULL when unknown; owned by img */
	char path[PATH_MAX];		/* inside the image, symlinks resolved, relative
					   to its root (no leading '/'; "" is the root) */
};

/*
 * Open IMAGE: use a directory root file system in place, or find the
 * image's configuration, unpack its layers into the cache unless the cache
 * has them, and fill *img.  Returns 0, or a negative errno with a message
 * naming the file (and the layer, member, JSON line and column) in err.
 * Prints one warning on stderr for skipped device nodes and for a cache
 * file system without user xattrs.
 */
int efs_image_open(const char *arg, struct efs_image *img, char *err, size_t errlen);
void efs_image_free(struct efs_image *img);

/*
 * The identity of `user` (a Dockerfile USER: "", "name", "uid",
 * "name:group", "uid:gid") from the image's /etc/passwd and /etc/group, as
 * runc does: a numeric uid need not be in passwd (then gid 0 and no
 * groups); names must be.  groups receives up to *ngroups supplementary
 * groups (the groups listing the user by name); *ngroups is set to how
 * many.  home (homelen bytes, or NULL) receives HOME as Docker sets it:
 * the user's passwd home, else "/".  Returns 0, or -ENOENT/-EINVAL with
 * err filled.
 */
int efs_image_user(const char *rootfs, const char *user, uid_t *uid, gid_t *gid,
    gid_t *groups, int *ngroups, char *home, size_t homelen, char *err, size_t errlen);

/*
 * What the image has at path (absolute or relative to the image root;
 * symbolic links in the image are followed within the image, the last
 * component too).  Returns 0 and fills *e, -ENOENT when the image has
 * nothing there, another negative errno on an I/O error.
 */
int efs_image_at(const struct efs_image *img, const char *path, struct efs_image_entry *e);

/*
 * Call fn for path and every path under it (not following symbolic links),
 * parents before children.  Stops at and returns the first non-zero fn
 * result; -ENOENT when path is not in the image.
 */
int efs_image_each(const struct efs_image *img, const char *path,
    int (*fn)(const struct efs_image_entry *e, void *arg), void *arg);

/* ------------------------------------------------------------------ */
/* Pure decisions (image_pure.c)                                       */

/* SHA-256 (FIPS 180-4). */
struct efs_sha256 {
	uint32_t h[8];
	uint64_t len;			/* bytes hashed */
	unsigned char buf[64];
	size_t nbuf;
};
void efs_sha256_init(struct efs_sha256 *s);
void efs_sha256_update(struct efs_sha256 *s, const void *p, size_t n);
/* Finish and write "sha256:" and 64 lowercase hex digits into out. */
void efs_sha256_final(struct efs_sha256 *s, char out[EFS_IMAGE_DIGEST_MAX]);

/*
 * Is d a "sha256:" digest of 64 lowercase hex digits?  Returns the hex
 * part, or NULL.
 */
const char *efs_image_digest_hex(const char *d);

/*
 * Normalise a tar member name into a relative path: leading "/" and "./"
 * removed, "." components and repeated slashes dropped, a trailing slash
 * dropped.  The image root is "".  Returns 0, -EPERM when a component is
 * ".." (a member that could leave the image), -ENAMETOOLONG.
 */
int efs_image_member_path(const char *name, char *out, size_t len);

enum efs_wh { EFS_WH_NONE, EFS_WH_FILE, EFS_WH_OPAQUE, EFS_WH_META };
/*
 * What a member's last component says: EFS_WH_FILE for ".wh.NAME" (NAME
 * set to *target), EFS_WH_OPAQUE for ".wh..wh..opq", EFS_WH_META for
 * other ".wh..wh." names (aufs metadata, ignored), EFS_WH_NONE otherwise.
 */
enum efs_wh efs_image_whiteout(const char *base, const char **target);

/*
 * Map layers to history: out[i] is the index in history of the i-th
 * entry whose empty_layer is false, or -1 when history has too few.
 */
void efs_image_history_map(const int *empty_layer, int nhistory, int *out, int nlayers);

/*
 * The cache directory: $EFSAP_CACHE_DIR, else $XDG_CACHE_HOME/efsap (when
 * absolute), else $HOME/.cache/efsap.  Each argument may be NULL or "".
 * Returns 0, -ENOENT when none is set, -ENAMETOOLONG.
 */
int efs_image_cache_dir(const char *efsap_cache, const char *xdg, const char *home,
    char *out, size_t len);

/*
 * A Dockerfile USER split at the first ':' into user and group (group ""
 * when absent).  *uid_num (*gid_num) is set and *is_num (*gis_num) to 1 when
 * that part is a decimal number below 2^32.  Returns 0 or -EINVAL (empty
 * user part before ':', too long).
 */
struct efs_image_userspec {
	char user[256], group[256];
	int user_num, group_num;	/* 1: the part is numeric */
	uint32_t uid, gid;
};
int efs_image_parse_user(const char *s, struct efs_image_userspec *u);

/*
 * Look up a passwd line in text (len bytes): by name when name is non-NULL,
 * else by uid.  Fills *uid, *gid, the user's name (namebuf) and home
 * (homebuf: "/" when the line has no absolute one, as Docker sets HOME);
 * either buffer may be NULL.  Returns 0 or -ENOENT.
 */
int efs_image_passwd_find(const char *text, size_t len, const char *name, uint32_t uid,
    uint32_t *uid_out, uint32_t *gid_out, char *namebuf, size_t namelen,
    char *homebuf, size_t homelen);
/* Look up a group by name: its gid, 0 or -ENOENT. */
int efs_image_group_find(const char *text, size_t len, const char *name, uint32_t *gid);
/*
 * The groups of /etc/group that list user as a member, appended to groups
 * (at most max, duplicates and `except` skipped).  Returns how many there are.
 */
int efs_image_group_members(const char *text, size_t len, const char *user, uint32_t except,
    uint32_t *groups, int max);

/*
 * The platform choice in an OCI index: the index of the entry for os/arch
 * (variant ignored), else the only entry that is not an attestation
 * ("unknown/unknown"), else -1 (none) or -2 (several, none fits).
 */
struct efs_image_platform {
	const char *os, *arch, *variant;	/* NULL when absent */
};
int efs_image_pick(const struct efs_image_platform *p, int n, const char *os,
    const char *arch);
/* The OCI name of this machine's architecture ("amd64", "arm64", ...). */
const char *efs_image_host_arch(void);

/*
 * The index file's escaping of paths and commands: '%', control bytes,
 * DEL and the tab and newline as %XX.  Return the output length, or
 * -ENAMETOOLONG.
 */
int efs_image_escape(const char *s, char *out, size_t len);
int efs_image_unescape(const char *s, size_t n, char *out, size_t len);

#endif
