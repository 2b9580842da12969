/* SPDX-License-Identifier: MIT */
/*
 * image_int.h: what the image_*.c files share and nobody else needs:
 * errors, sources and plans (image_src.c), resolving paths inside an
 * unpacked root, applying layers, the per-path index (image_unpack.c).
 */
#ifndef EFSAP_IMAGE_INT_H
#define EFSAP_IMAGE_INT_H

#include <archive.h>
#include <jansson.h>
#include <sys/types.h>

#include "image.h"

#define IMG_INDEX	"index"		/* the per-path index beside rootfs/ */
#define IMG_INDEX_MAGIC	"efsap-image-index 1"

#define IMG_SMALL_MAX	(16 * 1024 * 1024)	/* manifests, configs, passwd */
#define IMG_RD_BUF		(256 * 1024)

/* Fill err (errlen bytes) from fmt; returns rc when negative, else -EINVAL. */
int img_errf(char *err, size_t errlen, int rc, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Out of memory: exit, as the tool does. */
void img_oom(void) __attribute__((noreturn));

/* ---- image_src.c: sources and plans ---- */

struct img_src {
	const char *arg;		/* IMAGE as given, for messages */
	int dirfd;			/* a directory, else -1 */
};

/* One member or file being read, hashed as it goes. */
struct img_rd {
	int fd;
	struct archive *outer;
	struct efs_sha256 sha;
	unsigned char *buf;
	char name[PATH_MAX];		/* the member's name in IMAGE */
};

/*
 * Open member name of s for reading.  Returns 0, -ENOENT (err untouched),
 * or another negative errno with err filled.
 */
int img_rd_open(struct img_src *s, const char *name, struct img_rd *r, char *err,
    size_t errlen);
/*
 * The next bytes of the member, hashed into r->sha: *p points at them.
 * Returns how many, 0 at the end, -1 on an error (img_rd_error() says which).
 */
ssize_t img_rd_next(struct img_rd *r, const void **p);
const char *img_rd_error(struct img_rd *r);
void img_rd_close(struct img_rd *r);
/*
 * Read all of member name (at most IMG_SMALL_MAX bytes, NUL-terminated) into
 * *buf, its digest into digest.  0, -ENOENT, or an error in err.
 */
int img_load_small(struct img_src *s, const char *name, char **buf, size_t *len,
    char digest[EFS_IMAGE_DIGEST_MAX], char *err, size_t errlen);
/*
 * Load and parse member name as JSON (errors with line and column); when
 * want is a digest, the bytes must have it.  *raw (when raw is not NULL)
 * receives the bytes.  NULL with *rc and err set on failure.
 */
json_t *img_load_json(struct img_src *s, const char *name, const char *want,
    char **raw, size_t *rawlen, char digest[EFS_IMAGE_DIGEST_MAX], int *rc, char *err,
    size_t errlen);

/* What makes the image: its configuration and its layer blobs, in order. */
struct img_plan {
	char config_name[PATH_MAX];
	char config_digest[EFS_IMAGE_DIGEST_MAX];
	json_t *config;
	int nlayers;
	char (*layer_name)[PATH_MAX];
	char (*layer_digest)[EFS_IMAGE_DIGEST_MAX];	/* expected, "" when unknown */
};

/* The plan from manifest.json (man) or index.json (index): 0 or an error in err. */
int img_plan_docker(struct img_src *s, json_t *man, struct img_plan *p, char *err,
    size_t errlen);
int img_plan_oci(struct img_src *s, json_t *index, struct img_plan *p, char *err,
    size_t errlen);
void img_plan_free(struct img_plan *p);
/* The string member k of object o, or NULL. */
const char *img_jstr(json_t *o, const char *k);

/* ---- image_fs.c: paths inside an unpacked root ---- */

/*
 * Resolve path (relative to the root rootfd, or absolute meaning the
 * same) into a path without symbolic links or "..", following symbolic
 * links in it as the image would with itself as "/": absolute targets
 * start again at the root, ".." stops at the root.  The last component is
 * followed when follow_last.  Missing components are kept as written.
 * Returns 0, -ELOOP, -ENOTDIR, -ENAMETOOLONG or another negative errno.
 */
int img_resolve(int rootfd, const char *path, int follow_last, char *out, size_t len);

/* Remove name under dirfd and everything below it, following no link. */
int img_rm_tree(int dirfd, const char *name);

/* ---- image_unpack.c: layers and the index ---- */

/* Applies layers to one root directory and keeps what set each path. */
struct img_unpack;

struct img_unpack *img_unpack_new(int rootfd, const char *cache_for_warning);
/*
 * Apply every member of a (an archive opened on one layer) as layer
 * number `layer`.  what names the layer in errors ("IMAGE: layer 2
 * (sha256:...)").  Returns 0, or a negative errno with err filled.
 */
int img_unpack_layer(struct img_unpack *u, int layer, struct archive *a, const char *what,
    char *err, size_t errlen);
/*
 * After the last layer: give directories their mtimes and write the index
 * to indexfd.  Returns 0 or a negative errno.
 */
int img_unpack_write_index(struct img_unpack *u, int indexfd);
unsigned img_unpack_devices(const struct img_unpack *u);
int img_unpack_xattrs(const struct img_unpack *u);
void img_unpack_free(struct img_unpack *u);

#endif
