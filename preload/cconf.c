/* SPDX-License-Identifier: MIT */
/*
 * cconf.c: the compiled configuration (cconf.h): encode a validated
 * struct efs_config compactly, decode and check one without trusting it.
 *
 * The body is the structure's live regions in order.  Each count
 * (npolicy, nrole, nconds, pool_used, naps, nmounts) lies in the scalar
 * region just before its array, so the decoder knows how long the next
 * region is from what it has already decoded and checked.  A region is
 * written as runs: a LEB128 count of zero bytes, a LEB128 count of literal
 * bytes, the literal bytes; the runs fill the region exactly.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "cconf.h"
#include "path.h"

/* Each count comes before its array: the decoder relies on it. */
_Static_assert(offsetof(struct efs_config, npolicy) < offsetof(struct efs_config, policy),
    "npolicy before policy");
_Static_assert(offsetof(struct efs_config, nrole) < offsetof(struct efs_config, role),
    "nrole before role");
_Static_assert(offsetof(struct efs_config, nconds) < offsetof(struct efs_config, conds),
    "nconds before conds");
_Static_assert(offsetof(struct efs_config, pool_used) < offsetof(struct efs_config, pool),
    "pool_used before pool");
_Static_assert(offsetof(struct efs_config, naps) < offsetof(struct efs_config, aps),
    "naps before aps");
_Static_assert(offsetof(struct efs_config, nmounts) < offsetof(struct efs_config, mounts),
    "nmounts before mounts");
_Static_assert(offsetof(struct efs_config, policy) < offsetof(struct efs_config, policy_src) &&
    offsetof(struct efs_config, role) < offsetof(struct efs_config, role_src) &&
    offsetof(struct efs_config, conds) < offsetof(struct efs_config, pool_used) &&
    offsetof(struct efs_config, pool) < offsetof(struct efs_config, naps) &&
    offsetof(struct efs_config, aps) < offsetof(struct efs_config, nmounts),
    "the regions follow each other");

/* The header, at the start of the file (native byte order). */
struct cc_header {
	char magic[8];
	uint32_t format;		/* EFS_CCONF_FORMAT */
	uint32_t cfg_size;		/* sizeof(struct efs_config) of the writer */
	uint32_t body_len;		/* bytes after the header */
	uint32_t zero;
	uint64_t sum;			/* efs_cconf_sum of the body */
	char version[16];		/* the writer's EFSAP_VERSION, NUL-padded */
};
_Static_assert(sizeof(struct cc_header) == EFS_CCONF_HEADER, "header size");

#define NREGIONS	12
#define ZERO_RUN	8	/* zeros shorter than this stay inside a literal */

static int
bad(char *why, size_t wl, const char *fmt, ...)
{
	va_list ap;

	if (why != NULL && wl > 0) {
		va_start(ap, fmt);
		vsnprintf(why, wl, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

uint64_t
efs_cconf_sum(const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= s[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

/*
 * Region k of cfg: offset and length.  The counts it reads belong to
 * earlier regions, already decoded; they are checked here before use.
 */
static int
region(const struct efs_config *c, int k, size_t *off, size_t *len, char *why, size_t wl)
{
#define SPAN(a, b) (*off = offsetof(struct efs_config, a), \
	*len = offsetof(struct efs_config, b) - *off)
#define ARRAY(a, n, max) do { \
		if ((n) < 0 || (n) > (max)) \
			return bad(why, wl, #n " is %d (0 to %d)", (int)(n), (max)); \
		*off = offsetof(struct efs_config, a); \
		*len = (size_t)(n) * sizeof(c->a[0]); \
	} while (0)

	switch (k) {
	case 0:
		*off = 0;
		*len = offsetof(struct efs_config, policy);
		break;
	case 1: ARRAY(policy, c->npolicy, EFS_MAX_STMTS); break;
	case 2: SPAN(policy_src, role); break;
	case 3: ARRAY(role, c->nrole, EFS_MAX_STMTS); break;
	case 4: SPAN(role_src, conds); break;
	case 5: ARRAY(conds, c->nconds, EFS_MAX_CONDS); break;
	case 6: SPAN(pool_used, pool); break;
	case 7:
		if (c->pool_used < 1 || c->pool_used > EFS_IAM_POOL)
			return bad(why, wl, "pool_used is %u (1 to %d)",
			    (unsigned)c->pool_used, EFS_IAM_POOL);
		*off = offsetof(struct efs_config, pool);
		*len = c->pool_used;
		break;
	case 8: SPAN(naps, aps); break;
	case 9: ARRAY(aps, c->naps, EFS_MAX_APS); break;
	case 10: SPAN(nmounts, mounts); break;
	default: ARRAY(mounts, c->nmounts, EFS_MAX_MOUNTS); break;
	}
	return 0;
#undef SPAN
#undef ARRAY
}

static int
put_uleb(unsigned char *buf, size_t len, size_t *pos, size_t v)
{
	do {
		if (*pos >= len)
			return -ENOSPC;
		buf[(*pos)++] = (unsigned char)((v & 0x7f) | (v >= 0x80 ? 0x80 : 0));
		v >>= 7;
	} while (v != 0);
	return 0;
}

/* A LEB128 number of at most 32 bits: 0, or -1 when cut short or too big. */
static int
get_uleb(const unsigned char *buf, size_t len, size_t *pos, size_t *v)
{
	size_t r = 0;
	int shift;

	for (shift = 0; shift < 35; shift += 7) {
		if (*pos >= len)
			return -1;
		r |= (size_t)(buf[*pos] & 0x7f) << shift;
		if ((buf[(*pos)++] & 0x80) == 0)
			return r <= 0xffffffffu ? (*v = r, 0) : -1;
	}
	return -1;
}

static int
encode_region(const unsigned char *src, size_t n, unsigned char *buf, size_t len,
    size_t *pos)
{
	size_t i = 0, z, l, k;

	while (i < n) {
		for (z = 0; i + z < n && src[i + z] == 0; z++)
			;
		i += z;
		/* a literal ends at the region's end or at ZERO_RUN zeros */
		for (l = 0; i + l < n; l++) {
			for (k = 0; k < ZERO_RUN && i + l + k < n && src[i + l + k] == 0; k++)
				;
			if (k == ZERO_RUN || i + l + k == n)
				break;
		}
		if (put_uleb(buf, len, pos, z) != 0 || put_uleb(buf, len, pos, l) != 0)
			return -ENOSPC;
		if (len - *pos < l)
			return -ENOSPC;
		memcpy(buf + *pos, src + i, l);
		*pos += l;
		i += l;
	}
	return 0;
}

long
efs_cconf_encode(const struct efs_config *cfg, void *out, size_t len)
{
	unsigned char *buf = out;
	struct cc_header h;
	size_t pos = EFS_CCONF_HEADER, off, n;
	char why[128];
	int k;

	if (efs_cconf_check(cfg, why, sizeof(why)) != 0)
		return -EINVAL;
	if (len < EFS_CCONF_HEADER)
		return -ENOSPC;
	for (k = 0; k < NREGIONS; k++) {
		if (region(cfg, k, &off, &n, why, sizeof(why)) != 0)
			return -EINVAL;
		if (encode_region((const unsigned char *)cfg + off, n, buf, len, &pos) != 0)
			return -ENOSPC;
	}
	memset(&h, 0, sizeof(h));
	memcpy(h.magic, EFS_CCONF_MAGIC, sizeof(h.magic));
	h.format = EFS_CCONF_FORMAT;
	h.cfg_size = sizeof(struct efs_config);
	h.body_len = (uint32_t)(pos - EFS_CCONF_HEADER);
	h.sum = efs_cconf_sum(buf + EFS_CCONF_HEADER, pos - EFS_CCONF_HEADER);
	strncpy(h.version, EFSAP_VERSION, sizeof(h.version) - 1);
	memcpy(buf, &h, sizeof(h));
	return (long)pos;
}

int
efs_cconf_decode(const void *in, size_t len, struct efs_config *cfg, char *why, size_t wl)
{
	const unsigned char *buf = in;
	struct cc_header h;
	char ver[sizeof(h.version)];
	size_t pos = EFS_CCONF_HEADER, off, n, fill, z, l;
	int k;

	if (len < EFS_CCONF_HEADER)
		return bad(why, wl, "too short for a compiled configuration (%zu bytes)", len);
	memcpy(&h, buf, sizeof(h));
	if (memcmp(h.magic, EFS_CCONF_MAGIC, sizeof(h.magic)) != 0)
		return bad(why, wl, "not a compiled efsap configuration");
	if (h.format != EFS_CCONF_FORMAT)
		return bad(why, wl, "compiled form %u, this efsap reads form %d",
		    (unsigned)h.format, EFS_CCONF_FORMAT);
	memset(ver, 0, sizeof(ver));
	strncpy(ver, EFSAP_VERSION, sizeof(ver) - 1);
	if (memcmp(h.version, ver, sizeof(ver)) != 0)
		return bad(why, wl, "written by efsap %.*s, this is efsap %s",
		    (int)sizeof(h.version), h.version, EFSAP_VERSION);
	if (h.cfg_size != sizeof(struct efs_config))
		return bad(why, wl, "written for a configuration of %u bytes, this build's has %zu",
		    (unsigned)h.cfg_size, sizeof(struct efs_config));
	if (h.zero != 0)
		return bad(why, wl, "reserved header field is not zero");
	if (h.body_len != len - EFS_CCONF_HEADER)
		return bad(why, wl, "length %zu, the header says %zu", len,
		    (size_t)h.body_len + EFS_CCONF_HEADER);
	if (h.sum != efs_cconf_sum(buf + EFS_CCONF_HEADER, h.body_len))
		return bad(why, wl, "bad checksum");
	for (k = 0; k < NREGIONS; k++) {
		if (region(cfg, k, &off, &n, why, wl) != 0)
			return -EINVAL;
		for (fill = 0; fill < n; fill += z + l) {
			if (get_uleb(buf, len, &pos, &z) != 0 || get_uleb(buf, len, &pos, &l) != 0)
				return bad(why, wl, "cut short in region %d", k);
			if (z + l == 0 || z > n - fill || l > n - fill - z)
				return bad(why, wl, "a run overflows region %d", k);
			if (l > len - pos)
				return bad(why, wl, "cut short in region %d", k);
			memset((unsigned char *)cfg + off + fill, 0, z);
			memcpy((unsigned char *)cfg + off + fill + z, buf + pos, l);
			pos += l;
		}
	}
	if (pos != len)
		return bad(why, wl, "%zu bytes after the last region", len - pos);
	return efs_cconf_check(cfg, why, wl);
}

/* Is the string array s (n bytes) NUL-terminated? */
#define TERMINATED(s)	(memchr((s), '\0', sizeof(s)) != NULL)

static int
bool_ok(int v)
{
	return v == 0 || v == 1;
}

/* n strings from pool offset off, each ended inside pool_used. */
static int
strs_ok(const struct efs_config *c, const struct efs_strs *s)
{
	uint32_t p = s->off, i;
	const char *e;

	if (s->n == 0)
		return p <= c->pool_used;
	for (i = 0; i < s->n; i++) {
		if (p >= c->pool_used)
			return 0;
		if ((e = memchr(c->pool + p, '\0', c->pool_used - p)) == NULL)
			return 0;
		p = (uint32_t)(e - c->pool) + 1;
	}
	return 1;
}

static int
stmt_check(const struct efs_config *c, const struct efs_stmt *st, const char *what, int i,
    char *why, size_t wl)
{
	if (!bool_ok(st->deny) || (st->principal != EFS_PRIN_ANY && st->principal != EFS_PRIN_TASK) ||
	    (st->actions & ~(unsigned)EFS_ACT_ALL) != 0 || !bool_ok(st->iam) ||
	    st->secure_transport < -1 || st->secure_transport > 1 ||
	    st->prin_form < EFS_PF_NONE || st->prin_form > EFS_PF_NOT ||
	    !bool_ok(st->prin_any) || !bool_ok(st->not_resource) || !bool_ok(st->has_resource))
		return bad(why, wl, "%s[%d]: a field out of range", what, i);
	if (!TERMINATED(st->access_point))
		return bad(why, wl, "%s[%d].access_point: not terminated", what, i);
	if (st->sid >= c->pool_used)
		return bad(why, wl, "%s[%d].sid: outside the pool", what, i);
	if (!strs_ok(c, &st->prin) || !strs_ok(c, &st->res))
		return bad(why, wl, "%s[%d]: a string list outside the pool", what, i);
	if (st->cond < 0 || st->ncond < 0 || st->cond > c->nconds || st->ncond > c->nconds - st->cond)
		return bad(why, wl, "%s[%d]: conditions %d+%d, not within the %d there are",
		    what, i, st->cond, st->ncond, c->nconds);
	return 0;
}

static int
src_check(const struct efs_policy_src *s, const char *what, char *why, size_t wl)
{
	if (s->form < EFS_FORM_LIST || s->form > EFS_FORM_FILE)
		return bad(why, wl, "%s.form is %d", what, s->form);
	if (!TERMINATED(s->file))
		return bad(why, wl, "%s.file: not terminated", what);
	return 0;
}

int
efs_cconf_check(const struct efs_config *c, char *why, size_t wl)
{
	int i, rc;

	if (!TERMINATED(c->file) || !TERMINATED(c->fs_id) || !TERMINATED(c->backing) ||
	    !TERMINATED(c->role_arn) || !TERMINATED(c->account) || !TERMINATED(c->region))
		return bad(why, wl, "a string of the file system or task is not terminated");
	if (c->file[0] != '\0' && c->file[0] != '/')
		return bad(why, wl, "file: not an absolute path");
	if (c->backing[0] != '/' || !efs_path_is_normal(c->backing))
		return bad(why, wl, "backing: not an absolute normal path");
	if (!bool_ok(c->has_policy) || !bool_ok(c->has_role_policy) || !bool_ok(c->image))
		return bad(why, wl, "has_policy or has_role_policy out of range");
	if (c->npolicy < 0 || c->npolicy > EFS_MAX_STMTS || c->nrole < 0 ||
	    c->nrole > EFS_MAX_STMTS || c->nconds < 0 || c->nconds > EFS_MAX_CONDS ||
	    c->naps < 0 || c->naps > EFS_MAX_APS || c->nmounts < 1 || c->nmounts > EFS_MAX_MOUNTS)
		return bad(why, wl, "a count out of range");
	if (c->pool_used < 1 || c->pool_used > EFS_IAM_POOL || c->pool[0] != '\0' ||
	    c->pool[c->pool_used - 1] != '\0')
		return bad(why, wl, "the string pool is not well formed");
	if (c->task.ngroups > EFS_GROUPS_MAX)
		return bad(why, wl, "task: %u groups", c->task.ngroups);
	if ((rc = src_check(&c->policy_src, "policy_src", why, wl)) != 0 ||
	    (rc = src_check(&c->role_src, "role_src", why, wl)) != 0)
		return rc;
	for (i = 0; i < c->npolicy; i++)
		if ((rc = stmt_check(c, &c->policy[i], "policy", i, why, wl)) != 0)
			return rc;
	for (i = 0; i < c->nrole; i++)
		if ((rc = stmt_check(c, &c->role[i], "role", i, why, wl)) != 0)
			return rc;
	for (i = 0; i < c->nconds; i++) {
		const struct efs_cond *d = &c->conds[i];

		if (d->op < EFS_OP_UNKNOWN || d->op > EFS_OP_NULL || !bool_ok(d->if_exists) ||
		    d->key < EFS_KEY_UNKNOWN || d->key > EFS_KEY_PRINCIPAL_ARN)
			return bad(why, wl, "conds[%d]: a field out of range", i);
		if (d->op_name >= c->pool_used || d->key_name >= c->pool_used ||
		    !strs_ok(c, &d->values))
			return bad(why, wl, "conds[%d]: a string outside the pool", i);
	}
	for (i = 0; i < c->naps; i++) {
		const struct efs_ap *a = &c->aps[i];

		if (!TERMINATED(a->id) || !TERMINATED(a->root) || a->root[0] != '/')
			return bad(why, wl, "access_points[%d]: a bad id or root", i);
		if (!bool_ok(a->has_creation) || !bool_ok(a->has_posix_user) ||
		    a->permissions > 07777 || a->posix_user.ngroups > EFS_GROUPS_MAX)
			return bad(why, wl, "access_points[%d]: a field out of range", i);
	}
	for (i = 0; i < c->nmounts; i++) {
		const struct efs_mount *m = &c->mounts[i];

		if (!TERMINATED(m->container_path) || m->container_path[0] != '/' ||
		    strcmp(m->container_path, "/") == 0 || !efs_path_is_normal(m->container_path))
			return bad(why, wl, "mounts[%d].container_path: not an absolute normal path", i);
		if (!TERMINATED(m->root_directory) || m->root_directory[0] != '/')
			return bad(why, wl, "mounts[%d].root_directory: not an absolute path", i);
		if (!TERMINATED(m->image_note))
			return bad(why, wl, "mounts[%d].image_note: not a string", i);
		if (m->ap < -1 || m->ap >= c->naps)
			return bad(why, wl, "mounts[%d].ap: no such access point", i);
		if (!bool_ok(m->read_only) || !bool_ok(m->iam) || !bool_ok(m->transit_encryption))
			return bad(why, wl, "mounts[%d]: a field out of range", i);
	}
	return 0;
}
