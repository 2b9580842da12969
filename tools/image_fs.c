/* SPDX-License-Identifier: MIT */
/*
 * image_fs.c: paths inside an unpacked root file system: resolving them as
 * the image would, with the root as "/" (nothing resolved here leaves the
 * root), and removing trees without following links.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "image_int.h"

#define MAX_LINKS	40	/* symbolic links followed in one path, as Linux */


int
img_resolve(int rootfd, const char *path, int follow_last, char *out, size_t len)
{
	char rest[2 * PATH_MAX], tmp[2 * PATH_MAX], target[PATH_MAX];
	size_t rl = 0, cl, save;
	const char *p, *c;
	struct stat st;
	int links = 0, n, missing = 0;
	ssize_t tl;

	if (strlen(path) >= sizeof(rest))
		return -ENAMETOOLONG;
	strcpy(rest, path);
	p = rest;
	out[0] = '\0';
	for (;;) {
		while (*p == '/')
			p++;
		if (*p == '\0')
			break;
		c = p;
		while (*p != '/' && *p != '\0')
			p++;
		cl = (size_t)(p - c);
		if (cl == 1 && c[0] == '.')
			continue;
		if (cl == 2 && c[0] == '.' && c[1] == '.') {
			while (rl > 0 && out[rl - 1] != '/')
				rl--;
			if (rl > 0)
				rl--;
			out[rl] = '\0';
			missing = 0;	/* a parent that exists, or the root */
			continue;
		}
		save = rl;
		if (rl + (rl > 0) + cl + 1 > len)
			return -ENAMETOOLONG;
		if (rl > 0)
			out[rl++] = '/';
		memcpy(out + rl, c, cl);
		rl += cl;
		out[rl] = '\0';
		if (missing)
			continue;
		{
			const char *q = p;
			int last;

			while (*q == '/')
				q++;
			last = *q == '\0';
			if (last && !follow_last)
				break;
			if (fstatat(rootfd, out, &st, AT_SYMLINK_NOFOLLOW) == -1) {
				if (errno != ENOENT)
					return -errno;
				missing = 1;
				continue;
			}
			if (S_ISLNK(st.st_mode)) {
				if (++links > MAX_LINKS)
					return -ELOOP;
				tl = readlinkat(rootfd, out, target, sizeof(target) - 1);
				if (tl == -1)
					return -errno;
				target[tl] = '\0';
				rl = target[0] == '/' ? 0 : save;
				out[rl] = '\0';
				n = snprintf(tmp, sizeof(tmp), "%s/%s", target, q);
				if (n < 0 || (size_t)n >= sizeof(tmp))
					return -ENAMETOOLONG;
				strcpy(rest, tmp);
				p = rest;
				continue;
			}
			if (!last && !S_ISDIR(st.st_mode))
				return -ENOTDIR;
		}
	}
	return 0;
}

int
img_rm_tree(int dirfd, const char *name)
{
	struct dirent *d;
	struct stat st;
	DIR *dir;
	int fd, rc = 0;

	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == -1)
		return errno == ENOENT ? 0 : -errno;
	if (!S_ISDIR(st.st_mode))
		return unlinkat(dirfd, name, 0) == -1 && errno != ENOENT ? -errno : 0;
	/* A directory we cannot search or write (a test's 0500) is ours: open it up. */
	(void)fchmodat(dirfd, name, 0700, 0);
	fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd == -1 || (dir = fdopendir(fd)) == NULL) {
		rc = -errno;
		if (fd != -1)
			close(fd);
		return rc;
	}
	while ((d = readdir(dir)) != NULL) {
		if (strcmp(d->d_name, ".") == 0 || strcmp(d->d_name, "..") == 0)
			continue;
		if ((rc = img_rm_tree(fd, d->d_name)) != 0)
			break;
	}
	closedir(dir);
	if (rc == 0 && unlinkat(dirfd, name, AT_REMOVEDIR) == -1 && errno != ENOENT)
		rc = -errno;
	return rc;
}
