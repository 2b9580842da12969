/* SPDX-License-Identifier: MIT */
/*
 * image_src.c: where an image's pieces are read from, and which pieces
 * make it.  A source is a directory or a tar (plain or compressed, read
 * with libarchive, a member found by scanning and seeking past the
 * others; old `docker save` archives link a repeated layer.tar to its
 * first copy, and the link is followed inside the archive).  Every member
 * is hashed as it is read.  The plan is the configuration and the layer
 * blobs in order, from manifest.json (docker save: "<id>/layer.tar" or,
 * from Docker 25, "blobs/sha256/<hex>") or from index.json (an OCI
 * layout: the index, then the manifest for this machine's platform).
 */
#include <sys/stat.h>

#include <archive.h>
#include <archive_entry.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "image_int.h"

#define MAX_HOPS	8			/* links between members of a save archive */
#define MAX_NEST	4			/* indexes inside indexes */

#define MT_INDEX	"application/vnd.oci.image.index.v1+json"
#define MT_DLIST	"application/vnd.docker.distribution.manifest.list.v2+json"

void
img_oom(void)
{
	err(EXIT_FAILURE, "out of memory");
}

int
img_errf(char *err, size_t errlen, int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return rc < 0 ? rc : -EINVAL;
}

/* ------------------------------------------------------------------ */
/* Sources: a directory or a tar holding manifests and blobs           */

/* Join dir and a link target lexically ("../x" climbs, never above ""). */
static int
lexical_join(const char *dir, const char *target, char *out, size_t len)
{
	char tmp[2 * PATH_MAX];
	char *p, *c;
	size_t o = 0;

	if (snprintf(tmp, sizeof(tmp), "%s/%s", target[0] == '/' ? "" : dir, target) >=
	    (int)sizeof(tmp))
		return -ENAMETOOLONG;
	out[0] = '\0';
	for (p = tmp; (c = strsep(&p, "/")) != NULL;) {
		if (c[0] == '\0' || strcmp(c, ".") == 0)
			continue;
		if (strcmp(c, "..") == 0) {
			while (o > 0 && out[o - 1] != '/')
				o--;
			if (o > 0)
				o--;
			out[o] = '\0';
			continue;
		}
		if (o + strlen(c) + 2 > len)
			return -ENAMETOOLONG;
		if (o > 0)
			out[o++] = '/';
		strcpy(out + o, c);
		o += strlen(c);
	}
	return 0;
}

void
img_rd_close(struct img_rd *r)
{
	if (r->fd != -1)
		close(r->fd);
	if (r->outer != NULL)
		archive_read_free(r->outer);
	free(r->buf);
	r->fd = -1;
	r->outer = NULL;
	r->buf = NULL;
}

/* Open member name of s for reading.  0, -ENOENT, or another error in err. */
int
img_rd_open(struct img_src *s, const char *name, struct img_rd *r, char *err, size_t errlen)
{
	char want[PATH_MAX], got[PATH_MAX], dir[PATH_MAX];
	struct archive_entry *e;
	int hops, rc, found;
	const char *link;
	char *slash;

	memset(r, 0, sizeof(*r));
	r->fd = -1;
	efs_sha256_init(&r->sha);
	if ((r->buf = malloc(IMG_RD_BUF)) == NULL)
		return img_errf(err, errlen, -ENOMEM, "out of memory");
	if (efs_image_member_path(name, want, sizeof(want)) != 0)
		return img_errf(err, errlen, -EINVAL, "%s: bad name %s", s->arg, name);
	snprintf(r->name, sizeof(r->name), "%s", want);
	if (s->dirfd != -1) {
		r->fd = openat(s->dirfd, want, O_RDONLY | O_CLOEXEC);
		if (r->fd == -1) {
			rc = -errno;
			img_rd_close(r);
			if (rc == -ENOENT)
				return rc;
			return img_errf(err, errlen, rc, "%s: %s: %s", s->arg, want, strerror(-rc));
		}
		return 0;
	}
	for (hops = 0; hops < MAX_HOPS; hops++) {
		if (r->outer != NULL)
			archive_read_free(r->outer);
		r->outer = archive_read_new();
		archive_read_support_filter_all(r->outer);
		archive_read_support_format_tar(r->outer);
		if (archive_read_open_filename(r->outer, s->arg, 65536) != ARCHIVE_OK) {
			rc = img_errf(err, errlen, -EIO, "%s: cannot read it as a tar archive: %s",
			    s->arg, archive_error_string(r->outer));
			img_rd_close(r);
			return rc;
		}
		found = 0;
		while ((rc = archive_read_next_header(r->outer, &e)) == ARCHIVE_OK ||
		    rc == ARCHIVE_WARN) {
			if (efs_image_member_path(archive_entry_pathname(e), got,
			    sizeof(got)) != 0 || strcmp(got, want) != 0)
				continue;
			found = 1;
			break;
		}
		if (!found) {
			if (rc != ARCHIVE_EOF) {
				rc = img_errf(err, errlen, -EIO, "%s: cannot read it as a tar "
				    "archive: %s", s->arg, archive_error_string(r->outer));
				img_rd_close(r);
				return rc;
			}
			img_rd_close(r);
			return -ENOENT;
		}
		/* Old `docker save` links a repeated layer.tar to the first one. */
		if ((link = archive_entry_hardlink(e)) != NULL) {
			snprintf(dir, sizeof(dir), "%s", link);
			if (efs_image_member_path(dir, want, sizeof(want)) != 0)
				break;
			continue;
		}
		if (archive_entry_filetype(e) == AE_IFLNK) {
			snprintf(dir, sizeof(dir), "%s", want);
			slash = strrchr(dir, '/');
			if (slash != NULL)
				*slash = '\0';
			else
				dir[0] = '\0';
			if (lexical_join(dir, archive_entry_symlink(e), want, sizeof(want)) != 0)
				break;
			continue;
		}
		if (archive_entry_filetype(e) != AE_IFREG)
			break;
		return 0;
	}
	img_rd_close(r);
	return img_errf(err, errlen, -EINVAL, "%s: %s: not a regular file, or too many links",
	    s->arg, name);
}

/*
 * The next bytes of the member, hashed: *p points at them (in r->buf, or
 * in the outer archive's own buffer, without a copy).  Returns how many,
 * 0 at the end, -1 on an error (errno set; img_rd_error() says more).
 */
ssize_t
img_rd_next(struct img_rd *r, const void **p)
{
	la_int64_t off;
	ssize_t got;
	size_t size;
	int rc;

	if (r->fd != -1) {
		do
			got = read(r->fd, r->buf, IMG_RD_BUF);
		while (got == -1 && errno == EINTR);
		if (got < 0)
			return -1;
		*p = r->buf;
	} else {
		rc = archive_read_data_block(r->outer, p, &size, &off);
		if (rc == ARCHIVE_EOF)
			return 0;
		if (rc != ARCHIVE_OK && rc != ARCHIVE_WARN) {
			errno = EIO;
			return -1;
		}
		got = (ssize_t)size;
	}
	efs_sha256_update(&r->sha, *p, (size_t)got);
	return got;
}

const char *
img_rd_error(struct img_rd *r)
{
	if (r->fd == -1 && archive_error_string(r->outer) != NULL)
		return archive_error_string(r->outer);
	return strerror(errno);
}

/*
 * Read all of member name (at most IMG_SMALL_MAX bytes) into *buf (with a NUL
 * after it); its digest into digest.  0, -ENOENT, or an error in err.
 */
int
img_load_small(struct img_src *s, const char *name, char **buf, size_t *len,
    char digest[EFS_IMAGE_DIGEST_MAX], char *err, size_t errlen)
{
	size_t cap = 65536, n = 0;
	const void *chunk;
	struct img_rd r;
	ssize_t got;
	char *b, *nb;
	int rc;

	if ((rc = img_rd_open(s, name, &r, err, errlen)) != 0)
		return rc;
	if ((b = malloc(cap + 1)) == NULL) {
		img_rd_close(&r);
		return img_errf(err, errlen, -ENOMEM, "out of memory");
	}
	for (;;) {
		if ((got = img_rd_next(&r, &chunk)) == 0)
			break;
		if (got < 0) {
			rc = img_errf(err, errlen, -EIO, "%s: %s: %s", s->arg, name, img_rd_error(&r));
			free(b);
			img_rd_close(&r);
			return rc;
		}
		while (n + (size_t)got > cap) {
			if (cap >= IMG_SMALL_MAX) {
				free(b);
				img_rd_close(&r);
				return img_errf(err, errlen, -EFBIG, "%s: %s: larger than %d MiB",
				    s->arg, name, IMG_SMALL_MAX >> 20);
			}
			cap *= 2;
			if ((nb = realloc(b, cap + 1)) == NULL) {
				free(b);
				img_rd_close(&r);
				return img_errf(err, errlen, -ENOMEM, "out of memory");
			}
			b = nb;
		}
		memcpy(b + n, chunk, (size_t)got);
		n += (size_t)got;
	}
	b[n] = '\0';
	efs_sha256_final(&r.sha, digest);
	img_rd_close(&r);
	*buf = b;
	*len = n;
	return 0;
}

/* Parse JSON, with IMAGE, the member, line and column in errors. */
static json_t *
parse_json(struct img_src *s, const char *name, const char *buf, size_t len, char *err,
    size_t errlen)
{
	json_error_t e;
	json_t *j;

	if ((j = json_loadb(buf, len, 0, &e)) == NULL)
		img_errf(err, errlen, -EINVAL, "%s: %s:%d:%d: malformed JSON: %s", s->arg, name,
		    e.line, e.column, e.text);
	return j;
}

/* Load and parse member name; when want is a digest, the bytes must match it. */
json_t *
img_load_json(struct img_src *s, const char *name, const char *want, char **raw,
    size_t *rawlen, char digest[EFS_IMAGE_DIGEST_MAX], int *rc, char *err, size_t errlen)
{
	char *buf;
	size_t len;
	json_t *j;

	if ((*rc = img_load_small(s, name, &buf, &len, digest, err, errlen)) != 0) {
		if (*rc == -ENOENT)
			img_errf(err, errlen, -ENOENT, "%s: %s: missing", s->arg, name);
		return NULL;
	}
	if (want != NULL && strcmp(want, digest) != 0) {
		*rc = img_errf(err, errlen, -EINVAL, "%s: %s: digest mismatch: expected %s, "
		    "the file has %s", s->arg, name, want, digest);
		free(buf);
		return NULL;
	}
	if ((j = parse_json(s, name, buf, len, err, errlen)) == NULL)
		*rc = -EINVAL;
	if (raw != NULL && j != NULL) {
		*raw = buf;
		*rawlen = len;
	} else {
		free(buf);
	}
	return j;
}

/* ------------------------------------------------------------------ */
/* The plan: which config and which layer blobs, in order              */

void
img_plan_free(struct img_plan *p)
{
	if (p->config != NULL)
		json_decref(p->config);
	free(p->layer_name);
	free(p->layer_digest);
	memset(p, 0, sizeof(*p));
}

static int
plan_layers(struct img_plan *p, int n, char *err, size_t errlen)
{
	p->nlayers = n;
	p->layer_name = calloc((size_t)n + 1, sizeof(*p->layer_name));
	p->layer_digest = calloc((size_t)n + 1, sizeof(*p->layer_digest));
	if (p->layer_name == NULL || p->layer_digest == NULL)
		return img_errf(err, errlen, -ENOMEM, "out of memory");
	return 0;
}

/* "blobs/sha256/<hex>" names its own digest. */
static const char *
blob_name(const char *digest, char *out, size_t len)
{
	const char *hex = efs_image_digest_hex(digest);

	if (hex == NULL)
		return NULL;
	snprintf(out, len, "blobs/sha256/%s", hex);
	return out;
}

static int
blob_digest_of_name(const char *name, char out[EFS_IMAGE_DIGEST_MAX])
{
	char norm[PATH_MAX];

	if (efs_image_member_path(name, norm, sizeof(norm)) != 0 ||
	    strncmp(norm, "blobs/sha256/", 13) != 0)
		return -1;
	snprintf(out, EFS_IMAGE_DIGEST_MAX, "sha256:%.64s", norm + 13);
	return efs_image_digest_hex(out) != NULL && strlen(norm + 13) == 64 ? 0 : -1;
}

/*
 * A `skopeo copy ... dir:` or `podman save --format docker-dir` directory:
 * manifest.json is the image manifest itself, and each blob is a file
 * named by its digest's hex digits.
 */
static int
plan_dir(struct img_src *s, json_t *man, struct img_plan *p, char *err, size_t errlen)
{
	json_t *c = json_object_get(man, "config"), *layers = json_object_get(man, "layers"), *l;
	const char *dg = img_jstr(c, "digest");
	size_t i;
	int rc;

	if (efs_image_digest_hex(dg) == NULL || !json_is_array(layers))
		return img_errf(err, errlen, -EINVAL, "%s: manifest.json: expected \"config\" "
		    "with a sha256 digest and \"layers\"", s->arg);
	snprintf(p->config_name, sizeof(p->config_name), "%s", efs_image_digest_hex(dg));
	p->config = img_load_json(s, p->config_name, dg, NULL, NULL, p->config_digest, &rc,
	    err, errlen);
	if (p->config == NULL)
		return rc;
	if ((rc = plan_layers(p, (int)json_array_size(layers), err, errlen)) != 0)
		return rc;
	json_array_foreach(layers, i, l) {
		dg = img_jstr(l, "digest");
		if (efs_image_digest_hex(dg) == NULL)
			return img_errf(err, errlen, -EINVAL, "%s: manifest.json: layers[%zu]: "
			    "expected a sha256 \"digest\"", s->arg, i);
		snprintf(p->layer_name[i], PATH_MAX, "%s", efs_image_digest_hex(dg));
		snprintf(p->layer_digest[i], EFS_IMAGE_DIGEST_MAX, "%s", dg);
	}
	return 0;
}

int
img_plan_docker(struct img_src *s, json_t *man, struct img_plan *p, char *err,
    size_t errlen)
{
	json_t *m, *cfg, *layers, *l, *diff;
	char want[EFS_IMAGE_DIGEST_MAX], *raw;
	size_t i, rawlen;
	int rc;

	if (json_is_object(man))
		return plan_dir(s, man, p, err, errlen);
	if (!json_is_array(man) || json_array_size(man) == 0)
		return img_errf(err, errlen, -EINVAL, "%s: manifest.json: expected a non-empty "
		    "array (docker save) or an image manifest (skopeo dir:)", s->arg);
	if (json_array_size(man) > 1) {
		char names[1024] = "";
		size_t k;

		json_array_foreach(man, i, m) {
			json_t *tags = json_object_get(m, "RepoTags");
			const char *t = json_string_value(json_array_get(tags, 0));

			k = strlen(names);
			snprintf(names + k, sizeof(names) - k, "%s%s", i ? ", " : "",
			    t != NULL ? t : "(untagged)");
		}
		return img_errf(err, errlen, -EINVAL, "%s: manifest.json holds %zu images (%s): "
		    "save one image per archive", s->arg, json_array_size(man), names);
	}
	m = json_array_get(man, 0);
	cfg = json_object_get(m, "Config");
	layers = json_object_get(m, "Layers");
	if (!json_is_string(cfg) || !json_is_array(layers))
		return img_errf(err, errlen, -EINVAL, "%s: manifest.json[0]: expected \"Config\" "
		    "(a string) and \"Layers\" (an array)", s->arg);
	snprintf(p->config_name, sizeof(p->config_name), "%s", json_string_value(cfg));
	p->config = img_load_json(s, p->config_name,
	    blob_digest_of_name(p->config_name, want) == 0 ? want : NULL, &raw, &rawlen,
	    p->config_digest, &rc, err, errlen);
	if (p->config == NULL)
		return rc;
	free(raw);
	if ((rc = plan_layers(p, (int)json_array_size(layers), err, errlen)) != 0)
		return rc;
	diff = json_object_get(json_object_get(p->config, "rootfs"), "diff_ids");
	json_array_foreach(layers, i, l) {
		if (!json_is_string(l))
			return img_errf(err, errlen, -EINVAL, "%s: manifest.json[0].Layers[%zu]: "
			    "expected a string", s->arg, i);
		snprintf(p->layer_name[i], PATH_MAX, "%s", json_string_value(l));
		/* A blob names its digest; an old layer.tar is its own diff_id. */
		if (blob_digest_of_name(p->layer_name[i], p->layer_digest[i]) != 0) {
			const char *d = json_string_value(json_array_get(diff, i));

			snprintf(p->layer_digest[i], EFS_IMAGE_DIGEST_MAX, "%s",
			    d != NULL && efs_image_digest_hex(d) ? d : "");
		}
	}
	return 0;
}

const char *
img_jstr(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

int
img_plan_oci(struct img_src *s, json_t *index, struct img_plan *p, char *err, size_t errlen)
{
	struct efs_image_platform plat[64];
	char name[PATH_MAX], digest[EFS_IMAGE_DIGEST_MAX], from[PATH_MAX] = "index.json";
	json_t *ms, *d, *man = NULL, *cur = index, *layers, *l, *c;
	const char *mt, *dg;
	int depth, n, pick, rc;
	size_t i;

	for (depth = 0; depth < MAX_NEST; depth++) {
		ms = json_object_get(cur, "manifests");
		if (!json_is_array(ms) || json_array_size(ms) == 0) {
			rc = img_errf(err, errlen, -EINVAL, "%s: %s: no \"manifests\"", s->arg, from);
			goto out;
		}
		n = (int)json_array_size(ms);
		if (n > 64)
			n = 64;
		for (i = 0; i < (size_t)n; i++) {
			json_t *pl = json_object_get(json_array_get(ms, i), "platform");

			plat[i].os = img_jstr(pl, "os");
			plat[i].arch = img_jstr(pl, "architecture");
			plat[i].variant = img_jstr(pl, "variant");
		}
		pick = efs_image_pick(plat, n, "linux", efs_image_host_arch());
		if (pick < 0) {
			char names[1024] = "";
			size_t k;

			for (i = 0; i < (size_t)n; i++) {
				k = strlen(names);
				snprintf(names + k, sizeof(names) - k, "%s%s/%s%s%s",
				    i ? ", " : "", plat[i].os ? plat[i].os : "?",
				    plat[i].arch ? plat[i].arch : "?",
				    plat[i].variant ? "/" : "",
				    plat[i].variant ? plat[i].variant : "");
			}
			rc = img_errf(err, errlen, -EINVAL, "%s: %s: no manifest for linux/%s "
			    "among %s", s->arg, from, efs_image_host_arch(), names);
			goto out;
		}
		d = json_array_get(ms, (size_t)pick);
		dg = img_jstr(d, "digest");
		mt = img_jstr(d, "mediaType");
		if (blob_name(dg, name, sizeof(name)) == NULL) {
			rc = img_errf(err, errlen, -EINVAL, "%s: %s: manifests[%d]: expected a "
			    "sha256 \"digest\"", s->arg, from, pick);
			goto out;
		}
		if (man != NULL && man != index)
			json_decref(man);
		man = img_load_json(s, name, dg, NULL, NULL, digest, &rc, err, errlen);
		if (man == NULL)
			goto out;
		snprintf(from, sizeof(from), "%s", name);
		if ((mt != NULL && (strcmp(mt, MT_INDEX) == 0 || strcmp(mt, MT_DLIST) == 0)) ||
		    (json_object_get(man, "manifests") != NULL &&
		    json_object_get(man, "layers") == NULL)) {
			cur = man;
			continue;
		}
		break;
	}
	if (depth == MAX_NEST) {
		rc = img_errf(err, errlen, -EINVAL, "%s: indexes nested too deeply", s->arg);
		goto out;
	}
	c = json_object_get(man, "config");
	layers = json_object_get(man, "layers");
	if (blob_name(img_jstr(c, "digest"), p->config_name, sizeof(p->config_name)) == NULL ||
	    !json_is_array(layers)) {
		rc = img_errf(err, errlen, -EINVAL, "%s: %s: expected \"config\" with a sha256 "
		    "digest and \"layers\"", s->arg, from);
		goto out;
	}
	p->config = img_load_json(s, p->config_name, img_jstr(c, "digest"), NULL, NULL,
	    p->config_digest, &rc, err, errlen);
	if (p->config == NULL)
		goto out;
	if ((rc = plan_layers(p, (int)json_array_size(layers), err, errlen)) != 0)
		goto out;
	json_array_foreach(layers, i, l) {
		dg = img_jstr(l, "digest");
		if (blob_name(dg, p->layer_name[i], PATH_MAX) == NULL) {
			rc = img_errf(err, errlen, -EINVAL, "%s: %s: layers[%zu]: expected a sha256 "
			    "\"digest\"", s->arg, from, i);
			goto out;
		}
		snprintf(p->layer_digest[i], EFS_IMAGE_DIGEST_MAX, "%s", dg);
	}
	rc = 0;
out:
	if (man != NULL && man != index)
		json_decref(man);
	return rc;
}

