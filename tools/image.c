/* SPDX-License-Identifier: MIT */
/*
 * image.c: find an image's configuration and layers, keep the unpacked
 * root file system in the cache, and answer what the image has at a path
 * and who its USER is.
 *
 * IMAGE is a directory or a tar (plain or compressed, read with
 * libarchive).  With manifest.json it is a `docker save`/`podman save`
 * archive (layers as "<id>/layer.tar" or, from Docker 25, as
 * "blobs/sha256/<hex>"); with index.json an OCI image layout (index, then
 * the manifest for this machine's platform, then config and layers); a
 * directory with neither is a root file system used in place.
 *
 * The cache ($EFSAP_CACHE_DIR, else $XDG_CACHE_HOME/efsap, else
 * ~/.cache/efsap) holds images/<config-hex>/{rootfs,index}.  An image is
 * unpacked into images/.tmp-<hex>-<pid>-XXXXXX and renamed into place
 * whole, so a killed unpack leaves no half image (its directory is removed
 * by the next miss) and two first runs at once both end with the winner's.
 */
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/xattr.h>

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "attr.h"
#include "image_int.h"

#define SMALL_MAX	(16 * 1024 * 1024)	/* manifests, configs, passwd */
#define RD_BUF		(256 * 1024)
#define MAX_HOPS	8			/* links between members of a save archive */
#define MAX_NEST	4			/* indexes inside indexes */

#define MT_INDEX	"application/vnd.oci.image.index.v1+json"
#define MT_DLIST	"application/vnd.docker.distribution.manifest.list.v2+json"

static void
oom(void)
{
	err(EXIT_FAILURE, "out of memory");
}

static int
errf(char *err, size_t errlen, int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return rc < 0 ? rc : -EINVAL;
}

/* ------------------------------------------------------------------ */
/* Sources: a directory or a tar holding manifests and blobs           */

struct src {
	const char *arg;		/* IMAGE as given, for messages */
	int dirfd;			/* a directory, else -1 */
};

/* One member or file being read, hashed as it goes. */
struct rd {
	int fd;
	struct archive *outer;
	struct efs_sha256 sha;
	unsigned char *buf;
	char name[PATH_MAX];		/* the member's name in IMAGE */
};

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

static void
rd_close(struct rd *r)
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
static int
rd_open(struct src *s, const char *name, struct rd *r, char *err, size_t errlen)
{
	char want[PATH_MAX], got[PATH_MAX], dir[PATH_MAX];
	struct archive_entry *e;
	int hops, rc, found;
	const char *link;
	char *slash;

	memset(r, 0, sizeof(*r));
	r->fd = -1;
	efs_sha256_init(&r->sha);
	if ((r->buf = malloc(RD_BUF)) == NULL)
		return errf(err, errlen, -ENOMEM, "out of memory");
	if (efs_image_member_path(name, want, sizeof(want)) != 0)
		return errf(err, errlen, -EINVAL, "%s: bad name %s", s->arg, name);
	snprintf(r->name, sizeof(r->name), "%s", want);
	if (s->dirfd != -1) {
		r->fd = openat(s->dirfd, want, O_RDONLY | O_CLOEXEC);
		if (r->fd == -1) {
			rc = -errno;
			rd_close(r);
			if (rc == -ENOENT)
				return rc;
			return errf(err, errlen, rc, "%s: %s: %s", s->arg, want, strerror(-rc));
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
			rc = errf(err, errlen, -EIO, "%s: cannot read it as a tar archive: %s",
			    s->arg, archive_error_string(r->outer));
			rd_close(r);
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
				rc = errf(err, errlen, -EIO, "%s: cannot read it as a tar "
				    "archive: %s", s->arg, archive_error_string(r->outer));
				rd_close(r);
				return rc;
			}
			rd_close(r);
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
	rd_close(r);
	return errf(err, errlen, -EINVAL, "%s: %s: not a regular file, or too many links",
	    s->arg, name);
}

/*
 * The next bytes of the member, hashed: *p points at them (in r->buf, or
 * in the outer archive's own buffer, without a copy).  Returns how many,
 * 0 at the end, -1 on an error (errno set; rd_error() says more).
 */
static ssize_t
rd_next(struct rd *r, const void **p)
{
	la_int64_t off;
	ssize_t got;
	size_t size;
	int rc;

	if (r->fd != -1) {
		do
			got = read(r->fd, r->buf, RD_BUF);
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

static const char *
rd_error(struct rd *r)
{
	if (r->fd == -1 && archive_error_string(r->outer) != NULL)
		return archive_error_string(r->outer);
	return strerror(errno);
}

/*
 * Read all of member name (at most SMALL_MAX bytes) into *buf (with a NUL
 * after it); its digest into digest.  0, -ENOENT, or an error in err.
 */
static int
load_small(struct src *s, const char *name, char **buf, size_t *len,
    char digest[EFS_IMAGE_DIGEST_MAX], char *err, size_t errlen)
{
	size_t cap = 65536, n = 0;
	const void *chunk;
	struct rd r;
	ssize_t got;
	char *b, *nb;
	int rc;

	if ((rc = rd_open(s, name, &r, err, errlen)) != 0)
		return rc;
	if ((b = malloc(cap + 1)) == NULL) {
		rd_close(&r);
		return errf(err, errlen, -ENOMEM, "out of memory");
	}
	for (;;) {
		if ((got = rd_next(&r, &chunk)) == 0)
			break;
		if (got < 0) {
			rc = errf(err, errlen, -EIO, "%s: %s: %s", s->arg, name, rd_error(&r));
			free(b);
			rd_close(&r);
			return rc;
		}
		while (n + (size_t)got > cap) {
			if (cap >= SMALL_MAX) {
				free(b);
				rd_close(&r);
				return errf(err, errlen, -EFBIG, "%s: %s: larger than %d MiB",
				    s->arg, name, SMALL_MAX >> 20);
			}
			cap *= 2;
			if ((nb = realloc(b, cap + 1)) == NULL) {
				free(b);
				rd_close(&r);
				return errf(err, errlen, -ENOMEM, "out of memory");
			}
			b = nb;
		}
		memcpy(b + n, chunk, (size_t)got);
		n += (size_t)got;
	}
	b[n] = '\0';
	efs_sha256_final(&r.sha, digest);
	rd_close(&r);
	*buf = b;
	*len = n;
	return 0;
}

/* Parse JSON, with IMAGE, the member, line and column in errors. */
static json_t *
parse_json(struct src *s, const char *name, const char *buf, size_t len, char *err,
    size_t errlen)
{
	json_error_t e;
	json_t *j;

	if ((j = json_loadb(buf, len, 0, &e)) == NULL)
		errf(err, errlen, -EINVAL, "%s: %s:%d:%d: malformed JSON: %s", s->arg, name,
		    e.line, e.column, e.text);
	return j;
}

/* Load and parse member name; when want is a digest, the bytes must match it. */
static json_t *
load_json(struct src *s, const char *name, const char *want, char **raw, size_t *rawlen,
    char digest[EFS_IMAGE_DIGEST_MAX], int *rc, char *err, size_t errlen)
{
	char *buf;
	size_t len;
	json_t *j;

	if ((*rc = load_small(s, name, &buf, &len, digest, err, errlen)) != 0) {
		if (*rc == -ENOENT)
			errf(err, errlen, -ENOENT, "%s: %s: missing", s->arg, name);
		return NULL;
	}
	if (want != NULL && strcmp(want, digest) != 0) {
		*rc = errf(err, errlen, -EINVAL, "%s: %s: digest mismatch: expected %s, "
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

struct plan {
	char config_name[PATH_MAX];
	char config_digest[EFS_IMAGE_DIGEST_MAX];
	json_t *config;
	int nlayers;
	char (*layer_name)[PATH_MAX];
	char (*layer_digest)[EFS_IMAGE_DIGEST_MAX];	/* expected, "" when unknown */
};

static void
plan_free(struct plan *p)
{
	if (p->config != NULL)
		json_decref(p->config);
	free(p->layer_name);
	free(p->layer_digest);
	memset(p, 0, sizeof(*p));
}

static int
plan_layers(struct plan *p, int n, char *err, size_t errlen)
{
	p->nlayers = n;
	p->layer_name = calloc((size_t)n + 1, sizeof(*p->layer_name));
	p->layer_digest = calloc((size_t)n + 1, sizeof(*p->layer_digest));
	if (p->layer_name == NULL || p->layer_digest == NULL)
		return errf(err, errlen, -ENOMEM, "out of memory");
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

static int
docker_plan(struct src *s, json_t *man, struct plan *p, char *err, size_t errlen)
{
	json_t *m, *cfg, *layers, *l, *diff;
	char want[EFS_IMAGE_DIGEST_MAX], *raw;
	size_t i, rawlen;
	int rc;

	if (!json_is_array(man) || json_array_size(man) == 0)
		return errf(err, errlen, -EINVAL, "%s: manifest.json: expected a non-empty array",
		    s->arg);
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
		return errf(err, errlen, -EINVAL, "%s: manifest.json holds %zu images (%s): "
		    "save one image per archive", s->arg, json_array_size(man), names);
	}
	m = json_array_get(man, 0);
	cfg = json_object_get(m, "Config");
	layers = json_object_get(m, "Layers");
	if (!json_is_string(cfg) || !json_is_array(layers))
		return errf(err, errlen, -EINVAL, "%s: manifest.json[0]: expected \"Config\" "
		    "(a string) and \"Layers\" (an array)", s->arg);
	snprintf(p->config_name, sizeof(p->config_name), "%s", json_string_value(cfg));
	p->config = load_json(s, p->config_name,
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
			return errf(err, errlen, -EINVAL, "%s: manifest.json[0].Layers[%zu]: "
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

static const char *
jstr(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static int
oci_plan(struct src *s, json_t *index, struct plan *p, char *err, size_t errlen)
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
			rc = errf(err, errlen, -EINVAL, "%s: %s: no \"manifests\"", s->arg, from);
			goto out;
		}
		n = (int)json_array_size(ms);
		if (n > 64)
			n = 64;
		for (i = 0; i < (size_t)n; i++) {
			json_t *pl = json_object_get(json_array_get(ms, i), "platform");

			plat[i].os = jstr(pl, "os");
			plat[i].arch = jstr(pl, "architecture");
			plat[i].variant = jstr(pl, "variant");
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
			rc = errf(err, errlen, -EINVAL, "%s: %s: no manifest for linux/%s "
			    "among %s", s->arg, from, efs_image_host_arch(), names);
			goto out;
		}
		d = json_array_get(ms, (size_t)pick);
		dg = jstr(d, "digest");
		mt = jstr(d, "mediaType");
		if (blob_name(dg, name, sizeof(name)) == NULL) {
			rc = errf(err, errlen, -EINVAL, "%s: %s: manifests[%d]: expected a "
			    "sha256 \"digest\"", s->arg, from, pick);
			goto out;
		}
		if (man != NULL && man != index)
			json_decref(man);
		man = load_json(s, name, dg, NULL, NULL, digest, &rc, err, errlen);
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
		rc = errf(err, errlen, -EINVAL, "%s: indexes nested too deeply", s->arg);
		goto out;
	}
	c = json_object_get(man, "config");
	layers = json_object_get(man, "layers");
	if (blob_name(jstr(c, "digest"), p->config_name, sizeof(p->config_name)) == NULL ||
	    !json_is_array(layers)) {
		rc = errf(err, errlen, -EINVAL, "%s: %s: expected \"config\" with a sha256 "
		    "digest and \"layers\"", s->arg, from);
		goto out;
	}
	p->config = load_json(s, p->config_name, jstr(c, "digest"), NULL, NULL,
	    p->config_digest, &rc, err, errlen);
	if (p->config == NULL)
		goto out;
	if ((rc = plan_layers(p, (int)json_array_size(layers), err, errlen)) != 0)
		goto out;
	json_array_foreach(layers, i, l) {
		dg = jstr(l, "digest");
		if (blob_name(dg, p->layer_name[i], PATH_MAX) == NULL) {
			rc = errf(err, errlen, -EINVAL, "%s: %s: layers[%zu]: expected a sha256 "
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
		oom();
	json_array_foreach(a, i, x) {
		if (!json_is_string(x)) {
			*bad = 1;
			v[i] = NULL;
			break;
		}
		if ((v[i] = strdup(json_string_value(x))) == NULL)
			oom();
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
read_config(struct src *s, struct plan *p, struct efs_image *img, char *err, size_t errlen)
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
		return errf(err, errlen, -EINVAL, "%s: %s: config.%s: expected an array of "
		    "strings", s->arg, p->config_name, field);
	if (img->env == NULL && (img->env = calloc(1, sizeof(char *))) == NULL)
		oom();
	w = jstr(c, "WorkingDir");
	u = jstr(c, "User");
	if ((w != NULL && strlen(w) >= sizeof(img->workdir)) ||
	    (u != NULL && strlen(u) >= sizeof(img->user)))
		return errf(err, errlen, -EINVAL, "%s: %s: config.WorkingDir or User too long",
		    s->arg, p->config_name);
	snprintf(img->workdir, sizeof(img->workdir), "%s", w ? w : "");
	snprintf(img->user, sizeof(img->user), "%s", u ? u : "");
	snprintf(img->digest, sizeof(img->digest), "%s", p->config_digest);

	img->nlayers = p->nlayers;
	if ((img->layers = calloc((size_t)p->nlayers + 1, sizeof(*img->layers))) == NULL)
		oom();
	h = json_object_get(p->config, "history");
	nh = json_is_array(h) ? (int)json_array_size(h) : 0;
	empty = calloc((size_t)nh + 1, sizeof(int));
	map = calloc((size_t)p->nlayers + 1, sizeof(int));
	if (empty == NULL || map == NULL)
		oom();
	json_array_foreach(h, k, e)
		empty[k] = json_is_true(json_object_get(e, "empty_layer"));
	efs_image_history_map(empty, nh, map, p->nlayers);
	for (i = 0; i < p->nlayers; i++) {
		const char *cb = map[i] >= 0 ?
		    jstr(json_array_get(h, (size_t)map[i]), "created_by") : NULL;

		snprintf(img->layers[i].digest, sizeof(img->layers[i].digest), "%s",
		    p->layer_digest[i]);
		if (cb != NULL && (img->layers[i].created_by = strdup(cb)) == NULL)
			oom();
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
	struct rd *r = cd;
	ssize_t n = rd_next(r, buf);

	if (n < 0) {
		archive_set_error(a, EIO, "%s", rd_error(r));
		return -1;
	}
	return n;
}

static int
unpack_layer(struct src *s, struct plan *p, int i, struct img_unpack *u, char *err,
    size_t errlen)
{
	char what[PATH_MAX + 160], got[EFS_IMAGE_DIGEST_MAX];
	const void *rest;
	struct archive *a;
	struct rd r;
	ssize_t n;
	int rc;

	snprintf(what, sizeof(what), "%s: layer %d (%s)", s->arg, i, p->layer_name[i]);
	if ((rc = rd_open(s, p->layer_name[i], &r, err, errlen)) != 0) {
		if (rc == -ENOENT)
			errf(err, errlen, rc, "%s: missing", what);
		return rc;
	}
	a = archive_read_new();
	archive_read_support_filter_all(a);
	archive_read_support_format_tar(a);
	archive_read_support_format_empty(a);
	if (archive_read_open(a, &r, NULL, layer_read, NULL) != ARCHIVE_OK) {
		rc = errf(err, errlen, -EIO, "%s: %s", what, archive_error_string(a));
		goto out;
	}
	if ((rc = img_unpack_layer(u, i, a, what, err, errlen)) != 0)
		goto out;
	/* The digest covers every byte, also those after the tar's end. */
	while ((n = rd_next(&r, &rest)) > 0)
		;
	if (n < 0) {
		rc = errf(err, errlen, -EIO, "%s: %s", what, rd_error(&r));
		goto out;
	}
	efs_sha256_final(&r.sha, got);
	if (p->layer_digest[i][0] != '\0' && strcmp(got, p->layer_digest[i]) != 0)
		rc = errf(err, errlen, -EINVAL, "%s: digest mismatch: the manifest says %s, "
		    "the layer is %s", what, p->layer_digest[i], got);
	else if (p->layer_digest[i][0] == '\0')
		snprintf(p->layer_digest[i], EFS_IMAGE_DIGEST_MAX, "%s", got);
out:
	archive_read_free(a);
	rd_close(&r);
	return rc;
}

static int
mkdir_p(char *path, mode_t mode)
{
	char *p;

	for (p = path + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, mode) == -1 && errno != EEXIST) {
			*p = '/';
			return -errno;
		}
		*p = '/';
	}
	if (mkdir(path, mode) == -1 && errno != EEXIST)
		return -errno;
	return 0;
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
unpack_all(struct src *s, struct plan *p, const char *images, const char *final,
    struct efs_image *img, char *err, size_t errlen)
{
	char tmp[PATH_MAX];
	struct img_unpack *u = NULL;
	int tfd = -1, rootfd = -1, ifd = -1, rc, i;

	sweep(images);
	if (snprintf(tmp, sizeof(tmp), "%s/.tmp-%s-%ld-XXXXXX", images,
	    efs_image_digest_hex(p->config_digest), (long)getpid()) >= (int)sizeof(tmp))
		return errf(err, errlen, -ENAMETOOLONG, "%s: cache path too long", images);
	if (mkdtemp(tmp) == NULL)
		return errf(err, errlen, -errno, "%s: %s", images, strerror(errno));
	(void)chmod(tmp, 0755);
	if ((tfd = open(tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1 ||
	    mkdirat(tfd, "rootfs", 0755) == -1 ||
	    (rootfd = openat(tfd, "rootfs", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1) {
		rc = errf(err, errlen, -errno, "%s: %s", tmp, strerror(errno));
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
		rc = errf(err, errlen, ifd == -1 ? -errno : rc, "%s/%s: %s", tmp, IMG_INDEX,
		    strerror(ifd == -1 ? errno : -rc));
		goto out;
	}
	if (rename(tmp, final) == -1) {
		if (errno != EEXIST && errno != ENOTEMPTY) {
			rc = errf(err, errlen, -errno, "%s: %s", final, strerror(errno));
			goto out;
		}
		/* Another first run finished first: theirs is the same image. */
		rc = exists(final, IMG_INDEX) ? 0 :
		    errf(err, errlen, -EEXIST, "%s: exists without an index (a damaged "
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
open_cached(struct src *s, struct plan *p, struct efs_image *img, char *err, size_t errlen)
{
	char cache[PATH_MAX], images[PATH_MAX + 16], final[PATH_MAX + 96], real[PATH_MAX];
	int rc;

	rc = efs_image_cache_dir(getenv("EFSAP_CACHE_DIR"), getenv("XDG_CACHE_HOME"),
	    getenv("HOME"), cache, sizeof(cache));
	if (rc != 0)
		return errf(err, errlen, rc, "%s: no cache directory: set EFSAP_CACHE_DIR or HOME",
		    s->arg);
	snprintf(images, sizeof(images), "%s/images", cache);
	if ((rc = mkdir_p(images, 0755)) != 0)
		return errf(err, errlen, rc, "%s: %s", images, strerror(-rc));
	snprintf(final, sizeof(final), "%s/%s", images, efs_image_digest_hex(p->config_digest));
	if (exists(final, IMG_INDEX)) {
		img->cached = 1;
		img->xattrs = -1;	/* not known without looking */
	} else if ((rc = unpack_all(s, p, images, final, img, err, errlen)) != 0) {
		return rc;
	}
	if (realpath(final, real) == NULL)
		return errf(err, errlen, -errno, "%s: %s", final, strerror(errno));
	if (snprintf(img->cachedir, sizeof(img->cachedir), "%s", real) >=
	    (int)sizeof(img->cachedir) ||
	    snprintf(img->rootfs, sizeof(img->rootfs), "%s/rootfs", real) >=
	    (int)sizeof(img->rootfs))
		return errf(err, errlen, -ENAMETOOLONG, "%s: path too long", real);
	return 0;
}

int
efs_image_open(const char *arg, struct efs_image *img, char *err, size_t errlen)
{
	struct src s = { arg, -1 };
	struct plan p;
	char digest[EFS_IMAGE_DIGEST_MAX];
	struct stat st;
	json_t *top;
	int rc;

	memset(img, 0, sizeof(*img));
	memset(&p, 0, sizeof(p));
	if (stat(arg, &st) == -1)
		return errf(err, errlen, -errno, "%s: %s", arg, strerror(errno));
	if (S_ISDIR(st.st_mode)) {
		if ((s.dirfd = open(arg, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
			return errf(err, errlen, -errno, "%s: %s", arg, strerror(errno));
		if (faccessat(s.dirfd, "manifest.json", F_OK, 0) == -1 &&
		    faccessat(s.dirfd, "index.json", F_OK, 0) == -1) {
			/* A root file system, used in place. */
			close(s.dirfd);
			if (realpath(arg, img->rootfs) == NULL)
				return errf(err, errlen, -errno, "%s: %s", arg, strerror(errno));
			if ((img->env = calloc(1, sizeof(char *))) == NULL)
				oom();
			img->xattrs = -1;
			return 0;
		}
	} else if (!S_ISREG(st.st_mode)) {
		return errf(err, errlen, -EINVAL, "%s: neither a directory nor an archive", arg);
	}
	top = load_json(&s, "manifest.json", NULL, NULL, NULL, digest, &rc, err, errlen);
	if (top != NULL) {
		rc = docker_plan(&s, top, &p, err, errlen);
	} else if (rc == -ENOENT) {
		top = load_json(&s, "index.json", NULL, NULL, NULL, digest, &rc, err, errlen);
		if (top != NULL)
			rc = oci_plan(&s, top, &p, err, errlen);
		else if (rc == -ENOENT)
			rc = errf(err, errlen, -EINVAL, "%s: not an image: no manifest.json "
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
	plan_free(&p);
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

/* ------------------------------------------------------------------ */
/* USER                                                                */

/* Read a small file of the image (symbolic links followed inside it). */
static int
read_image_file(int rootfd, const char *path, char **buf, size_t *len)
{
	char canon[PATH_MAX];
	struct stat st;
	ssize_t n;
	size_t got = 0;
	int fd, rc;

	if ((rc = img_resolve(rootfd, path, 1, canon, sizeof(canon))) != 0)
		return rc;
	if ((fd = openat(rootfd, canon[0] ? canon : ".", O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) == -1)
		return -errno;
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) || st.st_size > SMALL_MAX) {
		close(fd);
		return -EINVAL;
	}
	if ((*buf = malloc((size_t)st.st_size + 1)) == NULL) {
		close(fd);
		return -ENOMEM;
	}
	while (got < (size_t)st.st_size &&
	    (n = read(fd, *buf + got, (size_t)st.st_size - got)) > 0)
		got += (size_t)n;
	(*buf)[got] = '\0';
	*len = got;
	close(fd);
	return 0;
}

int
efs_image_user(const char *rootfs, const char *user, uid_t *uid, gid_t *gid,
    gid_t *groups, int *ngroups, char *err, size_t errlen)
{
	struct efs_image_userspec us;
	char *pw = NULL, *gr = NULL, name[256] = "";
	size_t pwlen = 0, grlen = 0;
	uint32_t u, g, sg[EFS_GROUPS_MAX];
	int rootfd, rc, n, i, max = *ngroups;

	*ngroups = 0;
	if (efs_image_parse_user(user[0] ? user : "0", &us) != 0)
		return errf(err, errlen, -EINVAL, "user \"%s\": expected USER, UID, "
		    "USER:GROUP or UID:GID", user);
	if ((rootfd = open(rootfs, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return errf(err, errlen, -errno, "%s: %s", rootfs, strerror(errno));
	(void)read_image_file(rootfd, "etc/passwd", &pw, &pwlen);
	(void)read_image_file(rootfd, "etc/group", &gr, &grlen);
	close(rootfd);
	rc = 0;
	if (us.user_num) {
		if (pw == NULL || efs_image_passwd_find(pw, pwlen, NULL, us.uid, &u, &g, name,
		    sizeof(name)) != 0) {
			u = us.uid;
			g = 0;
			name[0] = '\0';
		}
	} else if (pw == NULL || efs_image_passwd_find(pw, pwlen, us.user, 0, &u, &g, name,
	    sizeof(name)) != 0) {
		rc = errf(err, errlen, -ENOENT, "user \"%s\": no such user in the image's "
		    "/etc/passwd", us.user);
		goto out;
	}
	if (us.group[0] != '\0') {
		if (us.group_num)
			g = us.gid;
		else if (gr == NULL || efs_image_group_find(gr, grlen, us.group, &g) != 0) {
			rc = errf(err, errlen, -ENOENT, "user \"%s\": no such group \"%s\" in the "
			    "image's /etc/group", user, us.group);
			goto out;
		}
	}
	*uid = u;
	*gid = g;
	if (name[0] != '\0' && gr != NULL) {
		n = efs_image_group_members(gr, grlen, name, g, sg, EFS_GROUPS_MAX);
		for (i = 0; i < n && i < max && i < EFS_GROUPS_MAX; i++)
			groups[i] = sg[i];
		*ngroups = i;
	}
out:
	free(pw);
	free(gr);
	return rc;
}

/* ------------------------------------------------------------------ */
/* What the image has at a path                                        */

/* Parse one index line (without its newline) into *e; its path into path. */
static int
index_line(const struct efs_image *img, char *line, struct efs_image_entry *e)
{
	char *f[4], *p = line;
	int i, layer;

	for (i = 0; i < 4; i++) {
		f[i] = p;
		if (i < 3) {
			if ((p = strchr(p, '\t')) == NULL)
				return -EINVAL;
			*p++ = '\0';
		}
	}
	layer = atoi(f[0]);
	memset(e, 0, sizeof(*e));
	if (efs_attr_parse(f[2], strlen(f[2]), 0, &e->attr) != 0 ||
	    efs_image_unescape(f[3], strlen(f[3]), e->path, sizeof(e->path)) < 0)
		return -EINVAL;
	e->has_entries = f[1][0] == '1';
	e->recorded = 1;
	e->layer = layer >= 0 && layer < img->nlayers ? layer : -1;
	if (e->layer >= 0) {
		e->layer_digest = img->layers[layer].digest;
		e->created_by = img->layers[layer].created_by;
	}
	return 0;
}

struct each {
	const char *prefix;		/* canonical path */
	int (*fn)(const struct efs_image_entry *e, void *arg);
	void *arg;
	int exact;			/* stop after the path itself */
	struct efs_image_entry *out;
	int found;
};

static int
under(const char *path, const char *prefix)
{
	size_t n = strlen(prefix);

	if (n == 0)
		return 1;
	return strncmp(path, prefix, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

static int
scan_index(const struct efs_image *img, struct each *w)
{
	char path[PATH_MAX + 16], *line = NULL;
	struct efs_image_entry e;
	size_t cap = 0;
	ssize_t n;
	FILE *fp;
	int rc = 0;

	snprintf(path, sizeof(path), "%s/%s", img->cachedir, IMG_INDEX);
	if ((fp = fopen(path, "re")) == NULL)
		return -errno;
	if ((n = getline(&line, &cap, fp)) <= 0 ||
	    strncmp(line, IMG_INDEX_MAGIC, strlen(IMG_INDEX_MAGIC)) != 0) {
		rc = -EINVAL;
		goto out;
	}
	while ((n = getline(&line, &cap, fp)) > 0) {
		if (line[n - 1] == '\n')
			line[--n] = '\0';
		if (index_line(img, line, &e) != 0) {
			rc = -EINVAL;
			break;
		}
		if (w->exact ? strcmp(e.path, w->prefix) != 0 : !under(e.path, w->prefix))
			continue;
		w->found = 1;
		if (w->exact) {
			*w->out = e;
			break;
		}
		if ((rc = w->fn(&e, w->arg)) != 0)
			break;
	}
out:
	free(line);
	fclose(fp);
	return rc;
}

/* A directory image: the object on disk, its record when it has one. */
static int
disk_entry(int rootfd, const char *canon, struct efs_image_entry *e)
{
	char rec[EFS_ATTR_RECMAX];
	struct dirent *d;
	struct stat st;
	ssize_t n;
	DIR *dir;
	int fd;

	memset(e, 0, sizeof(*e));
	e->layer = -1;
	snprintf(e->path, sizeof(e->path), "%s", canon);
	if (fstatat(rootfd, canon[0] ? canon : ".", &st, AT_SYMLINK_NOFOLLOW) == -1)
		return -errno;
	e->attr.uid = st.st_uid;
	e->attr.gid = st.st_gid;
	e->attr.mode = st.st_mode;
	if (S_ISREG(st.st_mode) || S_ISDIR(st.st_mode)) {
		fd = openat(rootfd, canon[0] ? canon : ".", O_RDONLY | O_NOFOLLOW | O_CLOEXEC |
		    O_NONBLOCK);
		if (fd != -1) {
			n = fgetxattr(fd, EFS_ATTR_XATTR, rec, sizeof(rec));
			if (n > 0 && efs_attr_parse(rec, (size_t)n, st.st_mode & S_IFMT,
			    &e->attr) == 0)
				e->recorded = 1;
			if (S_ISDIR(st.st_mode) && (dir = fdopendir(fd)) != NULL) {
				while ((d = readdir(dir)) != NULL)
					if (strcmp(d->d_name, ".") != 0 &&
					    strcmp(d->d_name, "..") != 0) {
						e->has_entries = 1;
						break;
					}
				closedir(dir);
			} else {
				close(fd);
			}
		}
	}
	return 0;
}

static int
disk_each(int rootfd, char *canon, size_t len, struct each *w)
{
	struct efs_image_entry e;
	struct dirent *d;
	DIR *dir;
	size_t cl = strlen(canon);
	int fd, rc;

	if ((rc = disk_entry(rootfd, canon, &e)) != 0)
		return rc;
	if ((rc = w->fn(&e, w->arg)) != 0 || !S_ISDIR(e.attr.mode))
		return rc;
	fd = openat(rootfd, cl ? canon : ".", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd == -1 || (dir = fdopendir(fd)) == NULL) {
		if (fd != -1)
			close(fd);
		return 0;
	}
	while ((d = readdir(dir)) != NULL) {
		if (strcmp(d->d_name, ".") == 0 || strcmp(d->d_name, "..") == 0)
			continue;
		if (cl + strlen(d->d_name) + 2 > len)
			continue;
		snprintf(canon + cl, len - cl, "%s%s", cl ? "/" : "", d->d_name);
		rc = disk_each(rootfd, canon, len, w);
		canon[cl] = '\0';
		if (rc != 0)
			break;
	}
	closedir(dir);
	return rc;
}

static int
lookup(const struct efs_image *img, const char *path, struct each *w)
{
	char canon[PATH_MAX];
	int rootfd, rc;

	if ((rootfd = open(img->rootfs, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return -errno;
	rc = img_resolve(rootfd, path, 1, canon, sizeof(canon));
	w->prefix = canon;
	if (rc == 0 && img->cachedir[0] != '\0') {
		rc = scan_index(img, w);
		if (rc == 0 && !w->found)
			rc = -ENOENT;
	} else if (rc == 0 && w->exact) {
		rc = disk_entry(rootfd, canon, w->out);
	} else if (rc == 0) {
		rc = disk_each(rootfd, canon, sizeof(canon), w);
	}
	close(rootfd);
	return rc;
}

int
efs_image_at(const struct efs_image *img, const char *path, struct efs_image_entry *e)
{
	struct each w = { NULL, NULL, NULL, 1, e, 0 };

	return lookup(img, path, &w);
}

int
efs_image_each(const struct efs_image *img, const char *path,
    int (*fn)(const struct efs_image_entry *e, void *arg), void *arg)
{
	struct each w = { NULL, fn, arg, 0, NULL, 0 };

	return lookup(img, path, &w);
}
