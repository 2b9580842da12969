/* SPDX-License-Identifier: MIT */
/*
 * handover_fmt.c: the pure half of handover.h: the strings that cross
 * execve (environment entries, LD_PRELOAD, EFSAP_STATE_FDS), the PATH
 * search, and the sidecar store's name, which the library and the tool
 * must agree on.  No state, no system calls: safe in a signal handler and
 * a vfork child (no malloc, no stdio).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "handover.h"

const char *
efs_env_value(char *const *env, const char *name)
{
	size_t n = strlen(name);

	for (; env != NULL && *env != NULL; env++)
		if (strncmp(*env, name, n) == 0 && (*env)[n] == '=')
			return *env + n + 1;
	return NULL;
}

int
efs_env_is(const char *e, const char *name)
{
	size_t n = strlen(name);

	return strncmp(e, name, n) == 0 && e[n] == '=';
}

int
efs_env_put(char *buf, size_t len, const char *name, const char *val, size_t vlen)
{
	size_t n = strlen(name);

	if (n + 1 + vlen + 1 > len)
		return -E2BIG;
	memcpy(buf, name, n);
	buf[n] = '=';
	memcpy(buf + n + 1, val, vlen);
	buf[n + 1 + vlen] = '\0';
	return 0;
}

int
efs_env_is_handed(const char *e, int ld_preload)
{
	return efs_env_is(e, EFSAP_ENV_CRED) || efs_env_is(e, EFSAP_ENV_GROUPS) ||
	    efs_env_is(e, EFSAP_ENV_CAPS) ||
	    efs_env_is(e, EFSAP_ENV_CWD) || efs_env_is(e, EFSAP_ENV_FDS) ||
	    efs_env_is(e, EFSAP_ENV_CONFIG) || efs_env_is(e, EFSAP_ENV_DEFAULT_DIR) ||
	    (ld_preload && efs_env_is(e, EFS_LD_PRELOAD));
}

/* Is the LD_PRELOAD entry tok (n bytes) self, or another copy of the library? */
static int
is_self(const char *tok, size_t n, const char *self)
{
	const char *base = tok + n;
	size_t ln = strlen(EFS_LIBNAME);

	while (base > tok && base[-1] != '/')
		base--;
	return (strlen(self) == n && memcmp(tok, self, n) == 0) ||
	    ((size_t)(tok + n - base) == ln && memcmp(base, EFS_LIBNAME, ln) == 0);
}

int
efs_preload_compose(char *buf, size_t len, const char *self, const char *old)
{
	size_t n = strlen(self);
	const char *p, *e;

	if (n + 1 > len)
		return -E2BIG;
	memcpy(buf, self, n + 1);
	for (p = old; p != NULL && *p != '\0'; p = e) {
		p += strspn(p, " :");
		e = p + strcspn(p, " :");
		if (e == p || is_self(p, (size_t)(e - p), self))
			continue;
		if (n + 1 + (size_t)(e - p) + 1 > len)
			return -E2BIG;
		buf[n++] = ':';
		memcpy(buf + n, p, (size_t)(e - p));
		n += (size_t)(e - p);
		buf[n] = '\0';
	}
	return 0;
}

int
efs_preload_prepend(char *buf, size_t len, const char *lib, const char *old)
{
	size_t n = strlen(lib), m = old != NULL ? strlen(old) : 0;

	if (n + (m > 0 ? 1 + m : 0) + 1 > len)
		return -E2BIG;
	memcpy(buf, lib, n);
	if (m > 0) {
		buf[n++] = ':';
		memcpy(buf + n, old, m);
		n += m;
	}
	buf[n] = '\0';
	return 0;
}

/* The decimal digits of v (>= 0) into d, least significant first: their number. */
static size_t
digits(long v, char *d)
{
	size_t k = 0;

	do {
		d[k++] = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0);
	return k;
}

int
efs_fds_put(char *buf, size_t len, size_t *n, int fd, int mount, int opath)
{
	char df[24], dm[24];
	size_t kf = digits(fd, df), km = digits(mount, dm), need, at = *n;

	need = (at > 0) + kf + 1 + km + (opath ? 2 : 0);
	if (fd < 0 || mount < 0 || at + need + 1 > len)
		return -E2BIG;
	if (at > 0)
		buf[at++] = ',';
	while (kf > 0)
		buf[at++] = df[--kf];
	buf[at++] = ':';
	while (km > 0)
		buf[at++] = dm[--km];
	if (opath) {
		buf[at++] = ':';
		buf[at++] = 'p';
	}
	buf[at] = '\0';
	*n = at;
	return 0;
}

int
efs_fds_next(const char **p, long *fd, long *mount, int *opath)
{
	const char *s = *p, *c;
	char *e;

	if (s == NULL || *s == '\0')
		return 0;
	*fd = strtol(s, &e, 10);
	if (e == s || *e != ':')
		return 0;
	*mount = strtol(e + 1, &e, 10);
	*opath = *e == ':' && e[1] == 'p';
	c = strchr(e, ',');
	*p = c != NULL ? c + 1 : NULL;
	return 1;
}

size_t
efs_default_dir_len(const char *backing)
{
	const char *slash = strrchr(backing, '/');

	if (slash == NULL)
		return 0;
	return slash == backing ? 1 : (size_t)(slash - backing);
}

int
efs_store_name(const char *bk, char *buf, size_t len)
{
	const char *slash = strrchr(bk, '/');
	size_t dl, bl;

	if (slash == NULL)
		return -EINVAL;
	dl = (size_t)(slash - bk);
	bl = strlen(slash + 1);
	if (dl + 2 + bl + 6 + 1 > len)		/* DIR "/." NAME ".efsap" */
		return -ENAMETOOLONG;
	memcpy(buf, bk, dl);
	memcpy(buf + dl, "/.", 2);
	memcpy(buf + dl + 2, slash + 1, bl);
	memcpy(buf + dl + 2 + bl, ".efsap", 7);
	return 0;
}

void
efs_search_start(struct efs_search *s, const char *file, const char *path)
{
	s->file = file;
	s->p = path != NULL ? path : EFS_DEFAULT_PATH;
	s->direct = strchr(file, '/') != NULL;
	s->done = file[0] == '\0';
	s->eacces = 0;
	s->rc = -ENOENT;
}

int
efs_search_next(struct efs_search *s, char *buf, size_t len)
{
	size_t fl = strlen(s->file), dl;
	const char *e;

	if (s->done)
		return 0;
	if (s->direct) {
		s->done = 1;
		if (fl + 1 > len) {
			s->rc = -ENAMETOOLONG;
			return 0;
		}
		memcpy(buf, s->file, fl + 1);
		return 1;
	}
	while (s->p != NULL) {
		e = strchrnul(s->p, ':');
		dl = (size_t)(e - s->p);
		if (dl + 1 + fl + 1 <= len) {
			memcpy(buf, s->p, dl);
			if (dl > 0)
				buf[dl++] = '/';
			memcpy(buf + dl, s->file, fl + 1);
			s->p = *e != '\0' ? e + 1 : NULL;
			return 1;
		}
		s->p = *e != '\0' ? e + 1 : NULL;	/* too long: glibc skips it */
	}
	s->done = 1;
	return 0;
}

int
efs_search_failed(struct efs_search *s, int rc)
{
	s->rc = rc;
	if (s->direct)
		return 0;
	if (rc == -EACCES)
		s->eacces = 1;
	return rc == -EACCES || rc == -ENOENT || rc == -ESTALE || rc == -ENOTDIR ||
	    rc == -ENODEV || rc == -ETIMEDOUT;
}

int
efs_search_result(const struct efs_search *s)
{
	return s->eacces ? -EACCES : s->rc;
}
