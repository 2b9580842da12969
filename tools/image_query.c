/* SPDX-License-Identifier: MIT */
/*
 * image_query.c: questions about an opened image: who its USER is (from
 * its own /etc/passwd and /etc/group, as runc answers), and what it has
 * at a path and under it (from the index of an unpacked image, or from
 * the disk and user.efsap records of a directory image).
 */
#include <sys/stat.h>
#include <sys/xattr.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "attr.h"
#include "image_int.h"

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
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) || st.st_size > IMG_SMALL_MAX) {
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
    gid_t *groups, int *ngroups, char *home, size_t homelen, char *err, size_t errlen)
{
	struct efs_image_userspec us;
	char *pw = NULL, *gr = NULL, name[256] = "";
	size_t pwlen = 0, grlen = 0;
	uint32_t u, g, sg[EFS_GROUPS_MAX];
	int rootfd, rc, n, i, max = *ngroups;

	*ngroups = 0;
	if (home != NULL && homelen > 0)
		snprintf(home, homelen, "/");
	if (efs_image_parse_user(user[0] ? user : "0", &us) != 0)
		return img_errf(err, errlen, -EINVAL, "user \"%s\": expected USER, UID, "
		    "USER:GROUP or UID:GID", user);
	if ((rootfd = open(rootfs, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return img_errf(err, errlen, -errno, "%s: %s", rootfs, strerror(errno));
	(void)read_image_file(rootfd, "etc/passwd", &pw, &pwlen);
	(void)read_image_file(rootfd, "etc/group", &gr, &grlen);
	close(rootfd);
	rc = 0;
	if (us.user_num) {
		if (pw == NULL || efs_image_passwd_find(pw, pwlen, NULL, us.uid, &u, &g, name,
		    sizeof(name), home, homelen) != 0) {
			u = us.uid;
			g = 0;
			name[0] = '\0';
		}
	} else if (pw == NULL || efs_image_passwd_find(pw, pwlen, us.user, 0, &u, &g, name,
	    sizeof(name), home, homelen) != 0) {
		rc = img_errf(err, errlen, -ENOENT, "user \"%s\": no such user in the image's "
		    "/etc/passwd", us.user);
		goto out;
	}
	if (us.group[0] != '\0') {
		if (us.group_num)
			g = us.gid;
		else if (gr == NULL || efs_image_group_find(gr, grlen, us.group, &g) != 0) {
			rc = img_errf(err, errlen, -ENOENT, "user \"%s\": no such group \"%s\" in the "
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

