/* SPDX-License-Identifier: MIT */
/*
 * image_pure.c: the decisions of image handling, without I/O: SHA-256,
 * tar member names and whiteouts, history-to-layer mapping, the cache
 * directory, Dockerfile USER and passwd/group lookups, the platform of an
 * OCI index, the index file's escaping.  Tested by tests/check_image.c.
 *
 * SHA-256 is written here (FIPS 180-4) rather than taken from libcrypto:
 * the tool needs only this one digest, and one more -dev package and a
 * shared library for forty lines of arithmetic is a poor trade.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image.h"

/* ------------------------------------------------------------------ */
/* SHA-256                                                             */

static const uint32_t K[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
	0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
	0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
	0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
	0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
	0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
	0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
	0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

#define ROR(x, n)	(((x) >> (n)) | ((x) << (32 - (n))))

static void
sha256_block(uint32_t h[8], const unsigned char *p)
{
	uint32_t w[64], a, b, c, d, e, f, g, hh, t1, t2;
	int i;

	for (i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		    (uint32_t)p[4 * i + 2] << 8 | (uint32_t)p[4 * i + 3];
	for (i = 16; i < 64; i++)
		w[i] = (ROR(w[i - 2], 17) ^ ROR(w[i - 2], 19) ^ (w[i - 2] >> 10)) +
		    w[i - 7] +
		    (ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^ (w[i - 15] >> 3)) +
		    w[i - 16];
	a = h[0]; b = h[1]; c = h[2]; d = h[3];
	e = h[4]; f = h[5]; g = h[6]; hh = h[7];
	for (i = 0; i < 64; i++) {
		t1 = hh + (ROR(e, 6) ^ ROR(e, 11) ^ ROR(e, 25)) +
		    ((e & f) ^ (~e & g)) + K[i] + w[i];
		t2 = (ROR(a, 2) ^ ROR(a, 13) ^ ROR(a, 22)) +
		    ((a & b) ^ (a & c) ^ (b & c));
		hh = g; g = f; f = e; e = d + t1;
		d = c; c = b; b = a; a = t1 + t2;
	}
	h[0] += a; h[1] += b; h[2] += c; h[3] += d;
	h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
}

void
efs_sha256_init(struct efs_sha256 *s)
{
	static const uint32_t h0[8] = {
		0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
		0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
	};

	memcpy(s->h, h0, sizeof(h0));
	s->len = 0;
	s->nbuf = 0;
}

void
efs_sha256_update(struct efs_sha256 *s, const void *data, size_t n)
{
	const unsigned char *p = data;
	size_t k;

	s->len += n;
	if (s->nbuf > 0) {
		k = 64 - s->nbuf < n ? 64 - s->nbuf : n;
		memcpy(s->buf + s->nbuf, p, k);
		s->nbuf += k;
		p += k;
		n -= k;
		if (s->nbuf < 64)
			return;
		sha256_block(s->h, s->buf);
		s->nbuf = 0;
	}
	for (; n >= 64; p += 64, n -= 64)
		sha256_block(s->h, p);
	memcpy(s->buf, p, n);
	s->nbuf = n;
}

void
efs_sha256_final(struct efs_sha256 *s, char out[EFS_IMAGE_DIGEST_MAX])
{
	uint64_t bits = s->len * 8;
	int i;

	s->buf[s->nbuf++] = 0x80;
	if (s->nbuf > 56) {
		memset(s->buf + s->nbuf, 0, 64 - s->nbuf);
		sha256_block(s->h, s->buf);
		s->nbuf = 0;
	}
	memset(s->buf + s->nbuf, 0, 56 - s->nbuf);
	for (i = 0; i < 8; i++)
		s->buf[56 + i] = (unsigned char)(bits >> (56 - 8 * i));
	sha256_block(s->h, s->buf);
	memcpy(out, "sha256:", 7);
	for (i = 0; i < 8; i++)
		snprintf(out + 7 + 8 * i, 9, "%08x", s->h[i]);
}

const char *
efs_image_digest_hex(const char *d)
{
	size_t i;

	if (d == NULL || strncmp(d, "sha256:", 7) != 0)
		return NULL;
	for (i = 0; i < 64; i++)
		if (!((d[7 + i] >= '0' && d[7 + i] <= '9') ||
		    (d[7 + i] >= 'a' && d[7 + i] <= 'f')))
			return NULL;
	return d[7 + 64] == '\0' ? d + 7 : NULL;
}

/* ------------------------------------------------------------------ */
/* Member names and whiteouts                                          */

int
efs_image_member_path(const char *name, char *out, size_t len)
{
	const char *p = name, *c;
	size_t n, o = 0;

	if (len == 0)
		return -ENAMETOOLONG;
	for (;;) {
		while (*p == '/')
			p++;
		if (*p == '\0')
			break;
		c = p;
		while (*p != '/' && *p != '\0')
			p++;
		n = (size_t)(p - c);
		if (n == 1 && c[0] == '.')
			continue;
		if (n == 2 && c[0] == '.' && c[1] == '.')
			return -EPERM;
		if (o + (o > 0) + n + 1 > len)
			return -ENAMETOOLONG;
		if (o > 0)
			out[o++] = '/';
		memcpy(out + o, c, n);
		o += n;
	}
	out[o] = '\0';
	return 0;
}

enum efs_wh
efs_image_whiteout(const char *base, const char **target)
{
	if (strncmp(base, ".wh.", 4) != 0)
		return EFS_WH_NONE;
	if (strcmp(base, ".wh..wh..opq") == 0)
		return EFS_WH_OPAQUE;
	if (strncmp(base, ".wh..wh.", 8) == 0)
		return EFS_WH_META;
	if (base[4] == '\0')
		return EFS_WH_META;	/* ".wh." names nothing */
	*target = base + 4;
	return EFS_WH_FILE;
}

void
efs_image_history_map(const int *empty_layer, int nhistory, int *out, int nlayers)
{
	int h = 0, i;

	for (i = 0; i < nlayers; i++) {
		while (h < nhistory && empty_layer[h])
			h++;
		out[i] = h < nhistory ? h++ : -1;
	}
}

int
efs_image_cache_dir(const char *efsap_cache, const char *xdg, const char *home,
    char *out, size_t len)
{
	int n;

	if (efsap_cache != NULL && efsap_cache[0] != '\0')
		n = snprintf(out, len, "%s", efsap_cache);
	else if (xdg != NULL && xdg[0] == '/')
		n = snprintf(out, len, "%s/efsap", xdg);
	else if (home != NULL && home[0] != '\0')
		n = snprintf(out, len, "%s/.cache/efsap", home);
	else
		return -ENOENT;
	if (n < 0 || (size_t)n >= len)
		return -ENAMETOOLONG;
	/* "/a/b/" and "/a/b" are the same directory: keep one spelling. */
	while (n > 1 && out[n - 1] == '/')
		out[--n] = '\0';
	return 0;
}

/* ------------------------------------------------------------------ */
/* USER, passwd and group                                              */

/* Is s (n bytes) a decimal number below 2^32?  Sets *v. */
static int
is_number(const char *s, size_t n, uint32_t *v)
{
	uint64_t x = 0;
	size_t i;

	if (n == 0 || n > 10)
		return 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		x = x * 10 + (uint64_t)(s[i] - '0');
	}
	if (x > UINT32_MAX)
		return 0;
	*v = (uint32_t)x;
	return 1;
}

int
efs_image_parse_user(const char *s, struct efs_image_userspec *u)
{
	const char *colon = strchr(s, ':');
	size_t un = colon != NULL ? (size_t)(colon - s) : strlen(s);
	const char *g = colon != NULL ? colon + 1 : "";

	memset(u, 0, sizeof(*u));
	if (un >= sizeof(u->user) || strlen(g) >= sizeof(u->group))
		return -EINVAL;
	if (un == 0 && (colon != NULL || s[0] != '\0'))
		return -EINVAL;
	if (strchr(g, ':') != NULL)
		return -EINVAL;
	memcpy(u->user, s, un);
	u->user[un] = '\0';
	strcpy(u->group, g);
	u->user_num = is_number(u->user, un, &u->uid);
	u->group_num = is_number(u->group, strlen(u->group), &u->gid);
	return 0;
}

/*
 * Split the line at *pos (of text, len bytes) into at most max fields at
 * ':'; each field is pointer and length.  Advances *pos past the line.
 * Returns the number of fields, 0 at the end of text.
 */
static int
next_line(const char *text, size_t len, size_t *pos, const char **f, size_t *fl,
    int max)
{
	size_t p = *pos, end;
	int n = 0;

	if (p >= len)
		return 0;
	end = p;
	while (end < len && text[end] != '\n')
		end++;
	*pos = end + 1;
	f[0] = text + p;
	while (p <= end && n < max) {
		size_t s = p;

		while (p < end && text[p] != ':')
			p++;
		f[n] = text + s;
		fl[n] = p - s;
		n++;
		p++;
	}
	return n;
}

static int
field_is(const char *f, size_t n, const char *s)
{
	return strlen(s) == n && memcmp(f, s, n) == 0;
}

int
efs_image_passwd_find(const char *text, size_t len, const char *name, uint32_t uid,
    uint32_t *uid_out, uint32_t *gid_out, char *namebuf, size_t namelen,
    char *homebuf, size_t homelen)
{
	const char *f[7];
	size_t fl[7], pos = 0;
	uint32_t u, g;
	int n;

	while ((n = next_line(text, len, &pos, f, fl, 7)) != 0) {
		if (n < 4 || fl[0] == 0 || f[0][0] == '#')
			continue;
		if (!is_number(f[2], fl[2], &u) || !is_number(f[3], fl[3], &g))
			continue;
		if (name != NULL ? !field_is(f[0], fl[0], name) : u != uid)
			continue;
		*uid_out = u;
		*gid_out = g;
		if (namebuf != NULL && namelen > 0) {
			size_t k = fl[0] < namelen - 1 ? fl[0] : namelen - 1;

			memcpy(namebuf, f[0], k);
			namebuf[k] = '\0';
		}
		if (homebuf != NULL && homelen > 0) {
			/* Docker's rule: an absolute home, else "/" */
			size_t k = n >= 6 && fl[5] > 0 && f[5][0] == '/' && fl[5] < homelen ?
			    fl[5] : 0;

			if (k == 0)
				snprintf(homebuf, homelen, "/");
			else {
				memcpy(homebuf, f[5], k);
				homebuf[k] = '\0';
			}
		}
		return 0;
	}
	return -ENOENT;
}

int
efs_image_group_find(const char *text, size_t len, const char *name, uint32_t *gid)
{
	const char *f[4];
	size_t fl[4], pos = 0;
	uint32_t g;
	int n;

	while ((n = next_line(text, len, &pos, f, fl, 4)) != 0) {
		if (n < 3 || !field_is(f[0], fl[0], name) ||
		    !is_number(f[2], fl[2], &g))
			continue;
		*gid = g;
		return 0;
	}
	return -ENOENT;
}

int
efs_image_group_members(const char *text, size_t len, const char *user, uint32_t except,
    uint32_t *groups, int max)
{
	const char *f[4], *m, *e;
	size_t fl[4], pos = 0;
	uint32_t g;
	int n, count = 0, i, dup;

	while ((n = next_line(text, len, &pos, f, fl, 4)) != 0) {
		if (n < 4 || !is_number(f[2], fl[2], &g) || g == except)
			continue;
		for (m = f[3], e = f[3] + fl[3]; m < e;) {
			const char *c = m;

			while (m < e && *m != ',')
				m++;
			if (field_is(c, (size_t)(m - c), user)) {
				for (dup = 0, i = 0; i < count && i < max; i++)
					dup |= groups[i] == g;
				if (!dup) {
					if (count < max)
						groups[count] = g;
					count++;
				}
				break;
			}
			m++;
		}
	}
	return count;
}

/* ------------------------------------------------------------------ */
/* Platforms                                                           */

static int
str_is(const char *a, const char *b)
{
	return a != NULL && strcmp(a, b) == 0;
}

int
efs_image_pick(const struct efs_image_platform *p, int n, const char *os, const char *arch)
{
	int i, only = -1, candidates = 0;

	for (i = 0; i < n; i++)
		if (str_is(p[i].os, os) && str_is(p[i].arch, arch))
			return i;
	for (i = 0; i < n; i++) {
		if (str_is(p[i].os, "unknown") && str_is(p[i].arch, "unknown"))
			continue;	/* buildx attestations */
		only = i;
		candidates++;
	}
	if (candidates == 1)
		return only;
	return candidates == 0 ? -1 : -2;
}

const char *
efs_image_host_arch(void)
{
#if defined(__x86_64__)
	return "amd64";
#elif defined(__aarch64__)
	return "arm64";
#elif defined(__i386__)
	return "386";
#elif defined(__arm__)
	return "arm";
#elif defined(__powerpc64__) && defined(__LITTLE_ENDIAN__)
	return "ppc64le";
#elif defined(__s390x__)
	return "s390x";
#elif defined(__riscv) && __riscv_xlen == 64
	return "riscv64";
#else
	return "unknown";
#endif
}

/* ------------------------------------------------------------------ */
/* The index file's escaping                                           */

static int
needs_escape(unsigned char c)
{
	return c < 0x20 || c == 0x7f || c == '%';
}

int
efs_image_escape(const char *s, char *out, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t o = 0;

	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (o + (needs_escape(c) ? 3 : 1) + 1 > len)
			return -ENAMETOOLONG;
		if (needs_escape(c)) {
			out[o++] = '%';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 15];
		} else {
			out[o++] = (char)c;
		}
	}
	if (o + 1 > len)
		return -ENAMETOOLONG;
	out[o] = '\0';
	return (int)o;
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int
efs_image_unescape(const char *s, size_t n, char *out, size_t len)
{
	size_t i, o = 0;
	int hi, lo;

	for (i = 0; i < n; i++) {
		if (o + 1 >= len)
			return -ENAMETOOLONG;
		if (s[i] == '%') {
			if (i + 2 >= n)
				return -EINVAL;
			if ((hi = hexval(s[i + 1])) < 0 || (lo = hexval(s[i + 2])) < 0)
				return -EINVAL;
			out[o++] = (char)(hi << 4 | lo);
			i += 2;
		} else {
			out[o++] = s[i];
		}
	}
	if (o >= len)
		return -ENAMETOOLONG;
	out[o] = '\0';
	return (int)o;
}
