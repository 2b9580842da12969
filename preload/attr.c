/* SPDX-License-Identifier: MIT */
/*
 * attr.c: how efsap records attributes and what stat and statfs report
 * under a mount (SPEC 5.1, 5.3, 5.6), pure.
 */
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "attr.h"

#define NFS_SUPER_MAGIC	0x6969
#define EFS_BSIZE	(1UL << 20)	/* the EFS rsize and wsize */
#define EFS_BLOCKS	((1ULL << 63) / EFS_BSIZE)	/* 8 EiB */

static const struct {
	const char *name;
	uint32_t type;
} types[] = {
	{ "file", S_IFREG },
	{ "dir", S_IFDIR },
	{ "symlink", S_IFLNK },
	{ "pipe", S_IFIFO },
	{ "socket", S_IFSOCK },
};

#define NTYPES	(sizeof(types) / sizeof(types[0]))

static const char *
type_name(uint32_t type)
{
	size_t i;

	for (i = 0; i < NTYPES; i++)
		if (types[i].type == type)
			return types[i].name;
	return NULL;
}

/* Any POSIX file type, devices included (fuse-overlayfs records them). */
static int
valid_type(uint32_t type)
{
	return type_name(type) != NULL || type == S_IFCHR || type == S_IFBLK;
}

int
efs_attr_format(const struct efs_attr *a, char *buf, size_t len)
{
	const char *name = type_name(a->mode & S_IFMT);
	int n;

	/* An object of no type efsap names keeps its type bits in MODE. */
	if (name != NULL)
		n = snprintf(buf, len, "%u:%u:%04o:%s", a->uid, a->gid,
		    a->mode & 07777, name);
	else
		n = snprintf(buf, len, "%u:%u:%o", a->uid, a->gid, a->mode);
	if (n < 0 || (size_t)n >= len)
		return -ENAMETOOLONG;
	return n;
}

/* Decimal (base 10) or octal (base 8) number at *p before end; no overflow. */
static int
get_num(const char **p, const char *end, unsigned base, uint64_t max,
    uint32_t *out)
{
	const char *s = *p;
	uint64_t v = 0;

	if (s == end || *s < '0' || *s >= (char)('0' + base))
		return -EINVAL;
	while (s < end && *s >= '0' && *s < (char)('0' + base)) {
		v = v * base + (uint64_t)(*s++ - '0');
		if (v > max)
			return -EINVAL;
	}
	*out = (uint32_t)v;
	*p = s;
	return 0;
}

int
efs_attr_parse(const char *buf, size_t len, uint32_t real_type,
    struct efs_attr *a)
{
	const char *p = buf, *end = buf + len;
	uint32_t uid, gid, mode, type;
	size_t i, n;

	/* Writers that store the NUL too are welcome. */
	if (len > 0 && buf[len - 1] == '\0')
		end--;
	real_type &= S_IFMT;
	if (get_num(&p, end, 10, UINT32_MAX, &uid) != 0 ||
	    p == end || *p++ != ':' ||
	    get_num(&p, end, 10, UINT32_MAX, &gid) != 0 ||
	    p == end || *p++ != ':' ||
	    get_num(&p, end, 8, 0177777, &mode) != 0)
		return -EINVAL;
	if (p == end) {
		/* fuse-overlayfs: "UID:GID:MODE", MODE with or without type. */
		type = mode & S_IFMT;
		if (type == 0)
			type = real_type;
		else if (!valid_type(type) ||
		    (real_type != 0 && type != real_type))
			return -EINVAL;
	} else {
		if (*p++ != ':' || (mode & S_IFMT) != 0)
			return -EINVAL;
		n = (size_t)(end - p);
		type = 0;
		for (i = 0; i < NTYPES; i++)
			if (strlen(types[i].name) == n &&
			    memcmp(types[i].name, p, n) == 0)
				type = types[i].type;
		if (type == 0 || (real_type != 0 && type != real_type))
			return -EINVAL;
	}
	a->uid = uid;
	a->gid = gid;
	a->mode = type | (mode & 07777);
	return 0;
}

void
efs_attr_unrecorded(const struct stat *st, struct efs_attr *a)
{
	a->uid = 0;
	a->gid = 0;
	a->mode = st->st_mode;
}

uint32_t
efs_attr_real_mode(const struct efs_attr *a)
{
	uint32_t m = a->mode & 0777;

	if (S_ISDIR(a->mode))
		return m | 0700;
	m |= 0600;
	if (a->mode & 0111)
		m |= 0100;
	return m;
}

void
efs_attr_apply_stat(const struct efs_attr *a, struct stat *st)
{
	st->st_uid = a->uid;
	st->st_gid = a->gid;
	st->st_mode = (st->st_mode & S_IFMT) | (a->mode & 07777);
}

void
efs_attr_apply_stat64(const struct efs_attr *a, struct stat64 *st)
{
	st->st_uid = a->uid;
	st->st_gid = a->gid;
	st->st_mode = (st->st_mode & S_IFMT) | (a->mode & 07777);
}

void
efs_attr_apply_statx(const struct efs_attr *a, struct statx *stx)
{
	if (stx->stx_mask & STATX_UID)
		stx->stx_uid = a->uid;
	if (stx->stx_mask & STATX_GID)
		stx->stx_gid = a->gid;
	if (stx->stx_mask & (STATX_MODE | STATX_TYPE))
		stx->stx_mode = (uint16_t)((stx->stx_mode & S_IFMT) |
		    (a->mode & 07777));
}

/*
 * The same numbers for the four structures.  A field too narrow for 8 EiB
 * in 1 MiB units (32-bit, without large file support) gets its largest value.
 */
#define FIT(field, v)	do {					\
	(field) = (__typeof__(field))(v);			\
	if ((unsigned long long)(field) != (v))			\
		(field) = (__typeof__(field))-1;		\
} while (0)

/* statfs and statfs64 (statvfs and statvfs64) differ only in their types. */
#define FILL_STATFS(out, real, namelen) do {				\
	*(out) = *(real);						\
	(out)->f_bsize = EFS_BSIZE;					\
	(out)->f_frsize = EFS_BSIZE;					\
	(out)->namelen = EFS_NAME_MAX;					\
	FIT((out)->f_blocks, EFS_BLOCKS);				\
	FIT((out)->f_bfree, EFS_BLOCKS);				\
	FIT((out)->f_bavail, EFS_BLOCKS);				\
	(out)->f_files = 0;						\
	(out)->f_ffree = 0;						\
} while (0)

void
efs_attr_statfs(const struct statfs *real, struct statfs *out)
{
	FILL_STATFS(out, real, f_namelen);
	out->f_type = NFS_SUPER_MAGIC;
}

void
efs_attr_statfs64(const struct statfs64 *real, struct statfs64 *out)
{
	FILL_STATFS(out, real, f_namelen);
	out->f_type = NFS_SUPER_MAGIC;
}

void
efs_attr_statvfs(const struct statvfs *real, struct statvfs *out)
{
	FILL_STATFS(out, real, f_namemax);
	out->f_favail = 0;
}

void
efs_attr_statvfs64(const struct statvfs64 *real, struct statvfs64 *out)
{
	FILL_STATFS(out, real, f_namemax);
	out->f_favail = 0;
}
