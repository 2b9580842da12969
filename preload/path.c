/* SPDX-License-Identifier: MIT */
/*
 * path.c: lexical path work, pure.  Nothing here touches the file system;
 * the resolver (resolve.c) does the walking that symbolic links need.
 */
#include <errno.h>
#include <string.h>

#include "path.h"

int
efs_path_is_normal(const char *path)
{
	const char *p;

	if (path[0] != '/')
		return 0;
	if (path[1] == '\0')
		return 1;
	for (p = path; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		/* p is at a separator: look at the component after it */
		if (p[1] == '\0' || p[1] == '/')
			return 0;
		if (p[1] == '.' && (p[2] == '\0' || p[2] == '/'))
			return 0;
		if (p[1] == '.' && p[2] == '.' && (p[3] == '\0' || p[3] == '/'))
			return 0;
	}
	return 1;
}

int
efs_path_join(const char *base, const char *rel, char *out, size_t len)
{
	size_t n = 0;
	const char *p, *e;

	if (len < 2)
		return -ENAMETOOLONG;
	out[0] = '/';
	out[1] = '\0';
	n = 1;
	if (rel[0] != '/') {
		size_t bl = strlen(base);

		if (bl >= len)
			return -ENAMETOOLONG;
		memcpy(out, base, bl + 1);
		n = bl;
	}
	for (p = rel; *p != '\0'; p = e) {
		size_t cl;

		while (*p == '/')
			p++;
		if (*p == '\0')
			break;
		for (e = p; *e != '\0' && *e != '/'; e++)
			;
		cl = (size_t)(e - p);
		if (cl == 1 && p[0] == '.')
			continue;
		if (cl == 2 && p[0] == '.' && p[1] == '.') {
			while (n > 1 && out[n - 1] != '/')
				n--;
			if (n > 1)
				n--;
			out[n] = '\0';
			continue;
		}
		if (n + (n > 1) + cl + 1 > len)
			return -ENAMETOOLONG;
		if (n > 1)
			out[n++] = '/';
		memcpy(out + n, p, cl);
		n += cl;
		out[n] = '\0';
	}
	return (int)n;
}

int
efs_path_mount(const struct efs_config *cfg, const char *path, const char **rest)
{
	int i;

	for (i = 0; i < cfg->nmounts; i++) {
		const char *cp = cfg->mounts[i].container_path;
		size_t cl = strlen(cp);

		if (strncmp(path, cp, cl) == 0 &&
		    (path[cl] == '\0' || path[cl] == '/')) {
			if (rest != NULL)
				*rest = path + cl;
			return i;
		}
	}
	return -1;
}

int
efs_path_odd(const char *s)
{
	const char *p;

	if (s[0] == '.')
		return 1;
	for (p = s; *p != '\0'; p++)
		if (p[0] == '/' && (p[1] == '/' || p[1] == '.'))
			return 1;
	return 0;
}

/*
 * Is text p (trailing slashes aside) a leading part of text c that ends
 * at one of c's component boundaries, short of c's end?  "mnt" and "mnt/"
 * of "mnt/data", "/" of "/data"; not "mn", nor "mnt/data" itself.
 */
static int
leads_to(const char *p, const char *c)
{
	size_t i = 0, j;

	while (p[i] != '\0' && p[i] == c[i])
		i++;
	for (j = i; p[j] == '/'; j++)	/* "mnt/" and "mnt//" as "mnt" */
		;
	if (i == 0 || p[j] != '\0' || c[i] == '\0')
		return 0;
	return c[i] == '/' || p[i - 1] == '/';
}

int
efs_path_may_enter(const struct efs_config *cfg, const char *cwd, const char *path)
{
	int i;

	if (path[0] == '/') {
		if (efs_path_mount(cfg, path, NULL) >= 0 || efs_path_odd(path))
			return 1;
		/* a host ancestor of a mount point: what is opened there may lead in */
		for (i = 0; i < cfg->nmounts; i++)
			if (efs_path_is_anc(path, cfg->mounts[i].container_path))
				return 1;
		return 0;
	}
	/* relative: from cwd */
	if (efs_path_mount(cfg, cwd, NULL) >= 0)
		return 1;
	if (efs_path_odd(path))
		return 1;
	for (i = 0; i < cfg->nmounts; i++) {
		const char *cp = cfg->mounts[i].container_path;
		size_t wl = strlen(cwd), rl;

		/* is cwd an ancestor of the mount point? */
		if (wl == 1)
			wl = 0;
		if (strncmp(cp, cwd, wl) != 0 || cp[wl] != '/')
			continue;
		cp += wl + 1;
		rl = strlen(cp);
		if (strncmp(path, cp, rl) == 0 &&
		    (path[rl] == '\0' || path[rl] == '/'))
			return 1;
		/* or an ancestor of it: "mnt" from "/" toward "/mnt/data" */
		if (leads_to(path, cp))
			return 1;
	}
	return 0;
}

/*
 * Ancestors of mount points ("one tree"): the host directories a walk may
 * start from and still reach a mount.  Lexical, like the rest of this file.
 */
int
efs_path_is_anc(const char *path, const char *cpath)
{
	return path[0] == '/' && leads_to(path, cpath);
}

size_t
efs_path_child(const char *dir, const char *cpath, const char **name)
{
	const char *n;

	if (!efs_path_is_anc(dir, cpath))
		return 0;
	/* the component of cpath after dir: skip dir's matching text and slashes */
	for (n = cpath; *dir != '\0' && *dir == *n; dir++, n++)
		;
	while (*n == '/')
		n++;
	if (*n == '\0' || strchr(n, '/') != NULL)
		return 0;
	*name = n;
	return strlen(n);
}
