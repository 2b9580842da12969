/* SPDX-License-Identifier: MIT */
/*
 * handover_fmt.c: the pure half of handover.h: the strings that cross
 * execve (environment entries, LD_PRELOAD, EFSAP_STATE_FDS), the PATH
 * search, and the sidecar store's name, which the library and the tool
 * must agree on.  No state, no system calls: safe in a signal handler and
 * a vfork child (no malloc, no stdio).
 */
#include <errno.h>
#include <stdint.h>
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
	    efs_env_is(e, EFSAP_ENV_COMPILED) ||
	    efs_env_is(e, EFSAP_ENV_LDPATH) || efs_env_is(e, EFSAP_ENV_PRELOAD) ||
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

/* ---- the loader's variables: LD_LIBRARY_PATH and LD_PRELOAD for a child ---- */

/* 64-bit FNV-1a of s: names the value efsap gave a variable. */
static uint64_t
fnv64(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
	return h;
}

int
efs_ldstate_put(char *buf, size_t len, const char *name, const char *set, const char *orig)
{
	size_t n = strlen(name), ol = orig != NULL ? strlen(orig) : 0, i;
	uint64_t h = fnv64(set);

	if (n + 1 + 16 + 1 + ol + 1 > len)
		return -E2BIG;
	memcpy(buf, name, n);
	buf[n++] = '=';
	for (i = 0; i < 16; i++)
		buf[n++] = "0123456789abcdef"[(h >> (60 - 4 * i)) & 0xf];
	buf[n++] = orig != NULL ? '+' : '-';
	memcpy(buf + n, orig != NULL ? orig : "", ol + 1);
	return 0;
}

int
efs_ldstate_take(const char *state, const char *cur, const char **orig)
{
	uint64_t h = 0;
	int i, d;

	if (state == NULL || cur == NULL)
		return 0;
	for (i = 0; i < 16; i++) {
		if ((d = efs_hexval((unsigned char)state[i])) < 0)
			return 0;
		h = h << 4 | (uint64_t)d;
	}
	if ((state[16] != '+' && state[16] != '-') || (state[16] == '-' && state[17] != '\0') ||
	    h != fnv64(cur))
		return 0;
	*orig = state[16] == '+' ? state + 17 : NULL;
	return 1;
}

/*
 * Append s (n bytes) at *at in buf (len bytes, NUL kept after it).
 * 0 or -E2BIG.
 */
static int
append(char *buf, size_t len, size_t *at, const char *s, size_t n)
{
	if (*at + n + 1 > len)
		return -E2BIG;
	memcpy(buf + *at, s, n);
	*at += n;
	buf[*at] = '\0';
	return 0;
}

/*
 * One entry e (n bytes) at *at: translated by xl when it names a mount
 * (*changed set), else as it is.  0 or -E2BIG.
 */
static int
entry(char *buf, size_t len, size_t *at, const char *e, size_t n, efs_ld_xlate_fn xl,
    void *ctx, int *changed)
{
	int rc;

	if (*at + 1 > len)
		return -E2BIG;
	rc = n > 0 ? xl(ctx, e, n, buf + *at, len - *at) : 0;
	if (rc < 0)
		return rc;
	if (rc > 0) {
		*at += strlen(buf + *at);
		*changed = 1;
		return 0;
	}
	return append(buf, len, at, e, n);
}

/*
 * An entry of DT_RPATH or DT_RUNPATH with $ORIGIN and ${ORIGIN} replaced
 * by origin, into work (len bytes): its length, or -E2BIG.
 */
static long
expand_origin(const char *e, size_t n, const char *origin, char *work, size_t len)
{
	size_t at = 0, ol = strlen(origin), i = 0, skip;

	while (i < n) {
		skip = 0;
		if (e[i] == '$' && n - i >= 7 && memcmp(e + i + 1, "ORIGIN", 6) == 0 &&
		    (n - i == 7 || !(e[i + 7] == '_' || (e[i + 7] >= 'A' && e[i + 7] <= 'Z') ||
		    (e[i + 7] >= 'a' && e[i + 7] <= 'z') || (e[i + 7] >= '0' && e[i + 7] <= '9'))))
			skip = 7;
		else if (e[i] == '$' && n - i >= 9 && memcmp(e + i + 1, "{ORIGIN}", 8) == 0)
			skip = 9;
		if (skip > 0) {
			if (append(work, len, &at, origin, ol) != 0)
				return -E2BIG;
			i += skip;
		} else {
			if (append(work, len, &at, e + i, 1) != 0)
				return -E2BIG;
			i++;
		}
	}
	return (long)at;
}

/*
 * The entries of a DT_RPATH or DT_RUNPATH list at *at, after a ':' when
 * something precedes them, only when one of them translates (else *at
 * stays).  0 or -E2BIG.
 */
static int
dt_list(char *buf, size_t len, size_t *at, const char *list, const char *origin, char *work,
    size_t wlen, efs_ld_xlate_fn xl, void *ctx, int *changed)
{
	size_t start = *at, n;
	const char *p, *e, *src;
	int any = 0, rc;
	long el;

	for (p = list; *p != '\0'; p = *e != '\0' ? e + 1 : e) {
		e = strchrnul(p, ':');
		if (e == p)
			continue;	/* an empty entry: not passed on */
		src = p;
		n = (size_t)(e - p);
		if (origin != NULL && memchr(p, '$', n) != NULL) {
			if ((el = expand_origin(p, n, origin, work, wlen)) < 0)
				goto too_big;
			src = work;
			n = (size_t)el;
		}
		if (*at > 0 && append(buf, len, at, ":", 1) != 0)
			goto too_big;
		if ((rc = entry(buf, len, at, src, n, xl, ctx, &any)) != 0)
			goto too_big;
	}
	if (any) {
		*changed = 1;
		return 0;
	}
	*at = start;
	buf[start] = '\0';
	return 0;
too_big:
	*at = start;
	buf[start] = '\0';
	return -E2BIG;
}

int
efs_ldpath_compose(char *buf, size_t len, const char *llp, int kind, const char *dtpath,
    const char *origin, char *work, size_t wlen, efs_ld_xlate_fn xl, void *ctx)
{
	size_t at = 0;
	const char *p, *e;
	int changed = 0, rc;

	if (len == 0)
		return -E2BIG;
	buf[0] = '\0';
	if (kind == EFS_LD_RPATH && dtpath != NULL &&
	    (rc = dt_list(buf, len, &at, dtpath, origin, work, wlen, xl, ctx, &changed)) != 0)
		return rc;
	if (llp != NULL && *llp != '\0') {
		if (at > 0 && (rc = append(buf, len, &at, ":", 1)) != 0)
			return rc;
		/* the program's entries, with their separators and empty entries */
		for (p = llp;; p = e + 1) {
			e = p + strcspn(p, ":;");
			if ((rc = entry(buf, len, &at, p, (size_t)(e - p), xl, ctx, &changed)) != 0)
				return rc;
			if (*e == '\0')
				break;
			if ((rc = append(buf, len, &at, e, 1)) != 0)
				return rc;
		}
	}
	if (kind == EFS_LD_RUNPATH && dtpath != NULL &&
	    (rc = dt_list(buf, len, &at, dtpath, origin, work, wlen, xl, ctx, &changed)) != 0)
		return rc;
	return changed;
}

int
efs_preload_translate(char *buf, size_t len, const char *val, const char *self,
    efs_ld_xlate_fn xl, void *ctx)
{
	size_t at = 0, sl = self != NULL ? strlen(self) : 0;
	const char *p, *e;
	int changed = 0, rc;

	if (len == 0)
		return -E2BIG;
	buf[0] = '\0';
	for (p = val;; p = e + 1) {
		e = p + strcspn(p, " :");
		if (sl > 0 && (size_t)(e - p) == sl && memcmp(p, self, sl) == 0)
			rc = append(buf, len, &at, p, sl);
		else
			rc = entry(buf, len, &at, p, (size_t)(e - p), xl, ctx, &changed);
		if (rc != 0)
			return rc;
		if (*e == '\0')
			break;
		if ((rc = append(buf, len, &at, e, 1)) != 0)
			return rc;
	}
	return changed;
}
