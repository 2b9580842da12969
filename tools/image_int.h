/* SPDX-License-Identifier: MIT */
/*
 * image_int.h: what image.c and image_unpack.c share and nobody else
 * needs: resolving paths inside an unpacked root, applying layers, the
 * per-path index.
 */
#ifndef EFSAP_IMAGE_INT_H
#define EFSAP_IMAGE_INT_H

#include <archive.h>

#include "image.h"

#define IMG_INDEX	"index"		/* the per-path index beside rootfs/ */
#define IMG_INDEX_MAGIC	"efsap-image-index 1"

/*
 * Resolve path (relative to the root rootfd, or absolute meaning the
 * same) into a path without symbolic links or "..", following symbolic
 * links in it as the image would with itself as "/": absolute targets
 * start again at the root, ".." stops at the root.  The last component is
 * followed when follow_last.  Missing components are kept as written.
 * Returns 0, -ELOOP, -ENOTDIR, -ENAMETOOLONG or another negative errno.
 */
int img_resolve(int rootfd, const char *path, int follow_last, char *out, size_t len);

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
/* Write the index to indexfd.  Returns 0 or a negative errno. */
int img_unpack_write_index(struct img_unpack *u, int indexfd);
unsigned img_unpack_devices(const struct img_unpack *u);
int img_unpack_xattrs(const struct img_unpack *u);
void img_unpack_free(struct img_unpack *u);

/* Remove name under dirfd and everything below it, following no link. */
int img_rm_tree(int dirfd, const char *name);

#endif
