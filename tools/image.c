/* SPDX-License-Identifier: MIT */
/*
 * image.c: open an image: read its configuration, and keep its unpacked
 * root file system in the cache, unpacking it there on the first run.
 *
 * IMAGE is a directory or a tar (image_src.c reads both): with
 * manifest.json a `docker save`/`podman save` archive (or a skopeo dir:
 * directory), with index.json an OCI image layout, and a directory with
 * neither a root file system used in place.
 *
 * The cache ($EFSAP_CACHE_DIR, else $XDG_CACHE_HOME/efsap, else
 * ~/.cache/efsap) holds images/<config-hex>/{rootfs,index}.  An image is
 * unpacked into images/.tmp-<hex>-<pid>-XXXXXX and renamed into place
 * whole, so a killed unpack leaves no half image (its directory is removed
 * by the next miss) and two first runs at once both end with the winner's.
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <archive.h>
#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "efsap_tool.h"
#include "image_int.h"

/* ------------------------------------------------------------------ */
/* The configuration                                                   */

static char **
str_array(json_t *a, const char *what, int *bad)
{
	char **v;
	json_t *x;
	size_t i;

	if (a == NULL || json_is_null(a))
		return NULL;
	if (!json_is_array(a)) {
		*bad = 1;
		return NULL;
	}
	if ((v = calloc(json_array_size(a) + 1, sizeof(*v))) == NULL)
		img_oom();
	json_array_foreach(a, i, x) {
		if (!json_is_string(x)) {
			*bad = 1;
			v[i] = NULL;
			break;
		}
		if ((v[i] = strdup(json_string_value(x))) == NULL)
			img_oom();
	}
	(void)what;
	return v;
}

static void
str_free(char **v)
{
	char **p;

	if (v == NULL)
		return;
	for (p = v; *p != NULL; p++)
		free(*p);
	free(v);
}

static int
read_config(struct img_src *s, struct img_plan *p, struct efs_image *img, char *err,
    size_t errlen)
{
	json_t *c = json_object_get(p->config, "config"), *h, *e;
	const char *field = NULL, *w, *u;
	int bad = 0, nh, *empty, *map, i;
	size_t k;

	img->entrypoint = str_array(json_object_get(c, "Entrypoint"), "Entrypoint", &bad);
	if (bad)
		field = "Entrypoint";
	img->cmd = str_array(json_object_get(c, "Cmd"), "Cmd", &bad);
	if (bad && field == NULL)
		field = "Cmd";
	img->env = str_array(json_object_get(c, "Env"), "Env", &bad);
	if (bad && field == NULL)
		field = "Env";
	if (field != NULL)
		return img_errf(err, errlen, -EINVAL, "%s: %s: config.%s: expected an array of "
		    "strings", s->arg, p->config_name, field);
	if (img->env == NULL && (img->env = calloc(1, sizeof(char *))) == NULL)
		img_oom();
	w = img_jstr(c, "WorkingDir");
	u = img_jstr(c, "User");
	if ((w != NULL && strlen(w) >= sizeof(img->workdir)) ||
	    (u != NULL && strlen(u) >= sizeof(img->user)))
		return img_errf(err, errlen, -EINVAL, "%s: %s: config.WorkingDir or User too long",
		    s->arg, p->config_name);
	snprintf(img->workdir, sizeof(img->workdir), "%s", w ? w : "");
	snprintf(img->user, sizeof(img->user), "%s", u ? u : "");
	snprintf(img->digest, sizeof(img->digest), "%s", p->config_digest);

	img->nlayers = p->nlayers;
	if ((img->layers = calloc((size_t)p->nlayers + 1, sizeof(*img->layers))) == NULL)
		img_oom();
	h = json_object_get(p->config, "history");
	nh = json_is_array(h) ? (int)json_array_size(h) : 0;
	empty = calloc((size_t)nh + 1, sizeof(int));
	map = calloc((size_t)p->nlayers + 1, sizeof(int));
	if (empty == NULL || map == NULL)
		img_oom();
	json_array_foreach(h, k, e)
		empty[k] = json_is_true(json_object_get(e, "empty_layer"));
	efs_image_history_map(empty, nh, map, p->nlayers);
	for (i = 0; i < p->nlayers; i++) {
		const char *cb = map[i] >= 0 ?
		    img_jstr(json_array_get(h, (size_t)map[i]), "created_by") : NULL;

		snprintf(img->layers[i].digest, sizeof(img->layers[i].digest), "%s",
		    p->layer_digest[i]);
		if (cb != NULL && (img->layers[i].created_by = strdup(cb)) == NULL)
			img_oom();
	}
	free(empty);
	free(map);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Unpacking into the cache                                            */

static la_ssize_t
layer_read(struct archive *a, void *cd, const void **buf)
{
	struct img_rd *r = cd;
	ssize_t n = img_rd_next(r, buf);

	if (n < 0) {
		archive_set_error(a, EIO, "%s", img_rd_error(r));
		return -1;
	}
	return n;
}

static int
unpack_layer(struct img_src *s, struct img_plan *p, int i, struct img_unpack *u, char *err,
    size_t errlen)
{
	char what[PATH_MAX + 160], got[EFS_IMAGE_DIGEST_MAX];
	const void *rest;
	struct archive *a;
	struct img_rd r;
	ssize_t n;
	int rc;

	snprintf(what, sizeof(what), "%s: layer %d (%s)", s->arg, i, p->layer_name[i]);
	if ((rc = img_rd_open(s, p->layer_name[i], &r, err, errlen)) != 0) {
		if (rc == -ENOENT)
			img_errf(err, errlen, rc, "%s: missing", what);
		return rc;
	}
	a = archive_read_new();
	archive_read_support_filter_all(a);
	archive_read_support_format_tar(a);
	archive_read_support_format_empty(a);
	if (archive_read_open(a, &r, NULL, layer_read, NULL) != ARCHIVE_OK) {
		rc = img_errf(err, errlen, -EIO, "%s: %s", what, archive_error_string(a));
		goto out;
	}
	if ((rc = img_unpack_layer(u, i, a, what, err, errlen)) != 0)
		goto out;
	/* The digest covers every byte, also those after the tar's end. */
	while ((n = img_rd_next(&r, &rest)) > 0)
		;
	if (n < 0) {
		rc = img_errf(err, errlen, -EIO, "%s: %s", what, img_rd_error(&r));
		goto out;
	}
	efs_sha256_final(&r.sha, got);
	if (p->layer_digest[i][0] != '\0' && strcmp(got, p->layer_digest[i]) != 0)
		rc = img_errf(err, errlen, -EINVAL, "%s: digest mismatch: the manifest says %s, "
		    "the layer is %s", what, p->layer_digest[i], got);
	else if (p->layer_digest[i][0] == '\0')
		snprintf(p->layer_digest[i], EFS_IMAGE_DIGEST_MAX, "%s", got);
out:
	archive_read_free(a);
	img_rd_close(&r);
	return rc;
}

/* Remove what unpacks that were killed left behind (their process is gone). */
static void
sweep(const char *images)
{
	struct dirent *d;
	DIR *dir;
	long pid;
	char *end;

	if ((dir = opendir(images)) == NULL)
		return;
	while ((d = readdir(dir)) != NULL) {
		/* .tmp-<64 hex>-<pid>-XXXXXX */
		if (strncmp(d->d_name, ".tmp-", 5) != 0 || strlen(d->d_name) < 5 + 64 + 2)
			continue;
		pid = strtol(d->d_name + 5 + 64 + 1, &end, 10);
		if (*end != '-' || pid <= 0)
			continue;
		if (kill((pid_t)pid, 0) == -1 && errno == ESRCH)
			(void)img_rm_tree(dirfd(dir), d->d_name);
	}
	closedir(dir);
}

static int
exists(const char *dir, const char *name)
{
	char path[2 * PATH_MAX];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return stat(path, &st) == 0;
}

static int
unpack_all(struct img_src *s, struct img_plan *p, const char *images, const char *final,
    struct efs_image *img, char *err, size_t errlen)
{
	char tmp[PATH_MAX];
	struct img_unpack *u = NULL;
	int tfd = -1, rootfd = -1, ifd = -1, rc, i;

	sweep(images);
	if (snprintf(tmp, sizeof(tmp), "%s/.tmp-%s-%ld-XXXXXX", images,
	    efs_image_digest_hex(p->config_digest), (long)getpid()) >= (int)sizeof(tmp))
		return img_errf(err, errlen, -ENAMETOOLONG, "%s: cache path too long", images);
	if (mkdtemp(tmp) == NULL)
		return img_errf(err, errlen, -errno, "%s: %s", images, strerror(errno));
	(void)chmod(tmp, 0755);
	if ((tfd = open(tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1 ||
	    mkdirat(tfd, "rootfs", 0755) == -1 ||
	    (rootfd = openat(tfd, "rootfs", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1) {
		rc = img_errf(err, errlen, -errno, "%s: %s", tmp, strerror(errno));
		goto out;
	}
	u = img_unpack_new(rootfd, images);
	for (i = 0; i < p->nlayers; i++)
		if ((rc = unpack_layer(s, p, i, u, err, errlen)) != 0)
			goto out;
	img->skipped_devices = img_unpack_devices(u);
	img->xattrs = img_unpack_xattrs(u);
	if ((ifd = openat(tfd, IMG_INDEX, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644)) == -1 ||
	    (rc = img_unpack_write_index(u, ifd)) != 0) {
		rc = img_errf(err, errlen, ifd == -1 ? -errno : rc, "%s/%s: %s", tmp, IMG_INDEX,
		    strerror(ifd == -1 ? errno : -rc));
		goto out;
	}
	if (rename(tmp, final) == -1) {
		if (errno != EEXIST && errno != ENOTEMPTY) {
			rc = img_errf(err, errlen, -errno, "%s: %s", final, strerror(errno));
			goto out;
		}
		/* Another first run finished first: theirs is the same image. */
		rc = exists(final, IMG_INDEX) ? 0 :
		    img_errf(err, errlen, -EEXIST, "%s: exists without an index (a damaged "
		    "cache entry): remove it", final);
		goto out;
	}
	tmp[0] = '\0';
	rc = 0;
out:
	img_unpack_free(u);
	if (ifd != -1)
		close(ifd);
	if (rootfd != -1)
		close(rootfd);
	if (tfd != -1)
		close(tfd);
	if (tmp[0] != '\0')
		(void)img_rm_tree(AT_FDCWD, tmp);
	return rc;
}

static int
open_cached(struct img_src *s, struct img_plan *p, struct efs_image *img, char *err,
    size_t errlen)
{
	char cache[PATH_MAX], images[PATH_MAX + 16], final[PATH_MAX + 96], real[PATH_MAX];
	int rc;

	rc = efs_image_cache_dir(getenv("EFSAP_CACHE_DIR"), getenv("XDG_CACHE_HOME"),
	    getenv("HOME"), cache, sizeof(cache));
	if (rc != 0)
		return img_errf(err, errlen, rc, "%s: no cache directory: set EFSAP_CACHE_DIR or HOME",
		    s->arg);
	snprintf(images, sizeof(images), "%s/images", cache);
	if ((rc = tool_mkdir_p(images, 0755)) != 0)
		return img_errf(err, errlen, rc, "%s: %s", images, strerror(-rc));
	snprintf(final, sizeof(final), "%s/%s", images, efs_image_digest_hex(p->config_digest));
	if (exists(final, IMG_INDEX)) {
		img->cached = 1;
		img->xattrs = -1;	/* not known without looking */
	} else if ((rc = unpack_all(s, p, images, final, img, err, errlen)) != 0) {
		return rc;
	}
	if (realpath(final, real) == NULL)
		return img_errf(err, errlen, -errno, "%s: %s", final, strerror(errno));
	if (snprintf(img->cachedir, sizeof(img->cachedir), "%s", real) >=
	    (int)sizeof(img->cachedir) ||
	    snprintf(img->rootfs, sizeof(img->rootfs), "%s/rootfs", real) >=
	    (int)sizeof(img->rootfs))
		return img_errf(err, errlen, -ENAMETOOLONG, "%s: path too long", real);
	return 0;
}

int
efs_image_open(const char *arg, struct efs_image *img, char *err, size_t errlen)
{
	struct img_src s = { arg, -1 };
	struct img_plan p;
	char digest[EFS_IMAGE_DIGEST_MAX];
	struct stat st;
	json_t *top;
	int rc;

	memset(img, 0, sizeof(*img));
	memset(&p, 0, sizeof(p));
	if (stat(arg, &st) == -1)
		return img_errf(err, errlen, -errno, "%s: %s", arg, strerror(errno));
	if (S_ISDIR(st.st_mode)) {
		if ((s.dirfd = open(arg, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
			return img_errf(err, errlen, -errno, "%s: %s", arg, strerror(errno));
		if (faccessat(s.dirfd, "manifest.json", F_OK, 0) == -1 &&
		    faccessat(s.dirfd, "index.json", F_OK, 0) == -1) {
			/* A root file system, used in place. */
			close(s.dirfd);
			if (realpath(arg, img->rootfs) == NULL)
				return img_errf(err, errlen, -errno, "%s: %s", arg, strerror(errno));
			if ((img->env = calloc(1, sizeof(char *))) == NULL)
				img_oom();
			img->xattrs = -1;
			return 0;
		}
	} else if (!S_ISREG(st.st_mode)) {
		return img_errf(err, errlen, -EINVAL, "%s: neither a directory nor an archive", arg);
	}
	top = img_load_json(&s, "manifest.json", NULL, NULL, NULL, digest, &rc, err, errlen);
	if (top != NULL) {
		rc = img_plan_docker(&s, top, &p, err, errlen);
	} else if (rc == -ENOENT) {
		top = img_load_json(&s, "index.json", NULL, NULL, NULL, digest, &rc, err, errlen);
		if (top != NULL)
			rc = img_plan_oci(&s, top, &p, err, errlen);
		else if (rc == -ENOENT)
			rc = img_errf(err, errlen, -EINVAL, "%s: not an image: no manifest.json "
			    "(docker save) or index.json (OCI layout)%s", arg,
			    s.dirfd == -1 ? "; a root file system tar (docker export) is used "
			    "unpacked: mkdir DIR && tar -xf IMAGE -C DIR" : "");
	}
	if (top != NULL)
		json_decref(top);
	if (rc == 0)
		rc = read_config(&s, &p, img, err, errlen);
	if (rc == 0)
		rc = open_cached(&s, &p, img, err, errlen);
	if (rc == 0) {
		int i;

		for (i = 0; i < p.nlayers; i++)	/* digests learnt while unpacking */
			if (img->layers[i].digest[0] == '\0')
				snprintf(img->layers[i].digest, sizeof(img->layers[i].digest),
				    "%s", p.layer_digest[i]);
	}
	img_plan_free(&p);
	if (s.dirfd != -1)
		close(s.dirfd);
	if (rc != 0)
		efs_image_free(img);
	else if (img->skipped_devices > 0)
		warnx("%s: %u device node%s or socket%s not created (an unprivileged "
		    "unpack cannot make them)", arg, img->skipped_devices,
		    img->skipped_devices == 1 ? "" : "s", img->skipped_devices == 1 ? "" : "s");
	return rc;
}

void
efs_image_free(struct efs_image *img)
{
	int i;

	str_free(img->entrypoint);
	str_free(img->cmd);
	str_free(img->env);
	for (i = 0; i < img->nlayers && img->layers != NULL; i++)
		free(img->layers[i].created_by);
	free(img->layers);
	img->entrypoint = img->cmd = img->env = NULL;
	img->layers = NULL;
	img->nlayers = 0;
}

