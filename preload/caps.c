/* SPDX-License-Identifier: MIT */
/*
 * caps.c: capabilities of the emulated caller identity, pure: the rules
 * of capabilities(7) ("Transformation of capabilities during execve()",
 * "Effect of user ID changes on capabilities", capset(2), the
 * capability prctls), applied to a struct efs_caps.  No state, no
 * system calls, no stdio: the encoding runs in exec wrappers, which may
 * run in a signal handler or a vfork child.
 */
#include <errno.h>
#include <string.h>
#include <sys/prctl.h>

#include "caps.h"
#include "efsap.h"

uint64_t
efs_caps_all(unsigned last)
{
	if (last >= EFS_CAP_MAX)
		return UINT64_MAX;
	return ((uint64_t)1 << (last + 1)) - 1;
}

void
efs_caps_start(struct efs_caps *k, unsigned last, uint32_t ruid, uint32_t euid)
{
	memset(k, 0, sizeof *k);
	k->bnd = efs_caps_all(last);
	efs_caps_exec(k, ruid, euid);
}

void
efs_caps_exec(struct efs_caps *k, uint32_t ruid, uint32_t euid)
{
	int rootish = !(k->secbits & EFS_SECBIT_NOROOT);

	/* no file capabilities: file permitted and inheritable are empty ... */
	k->prm = 0;
	/* ... unless root, for whom they count as full (the bounding set limits) */
	if (rootish && (ruid == 0 || euid == 0))
		k->prm = k->bnd | k->inh;
	k->prm |= k->amb;
	/* the file effective bit counts as set for euid 0 alone */
	k->eff = rootish && euid == 0 ? k->prm : k->amb;
	k->secbits &= ~(uint32_t)EFS_SECBIT_KEEP_CAPS;
}

static int
has_zero(const uint32_t id[3])
{
	return id[0] == 0 || id[1] == 0 || id[2] == 0;
}

void
efs_caps_setuid_fixup(struct efs_caps *k, const uint32_t o[3], const uint32_t n[3])
{
	if (k->secbits & EFS_SECBIT_NO_SETUID_FIXUP)
		return;
	if (has_zero(o) && !has_zero(n)) {
		if (!(k->secbits & EFS_SECBIT_KEEP_CAPS))
			k->prm = k->eff = 0;
		/* programs from before ambient capabilities expect exec to drop them */
		k->amb = 0;
	}
	if (o[1] == 0 && n[1] != 0)
		k->eff = 0;
	if (o[1] != 0 && n[1] == 0)
		k->eff = k->prm;
}

int
efs_caps_has(const struct efs_caps *k, unsigned cap)
{
	return cap <= EFS_CAP_MAX && (k->eff >> cap & 1) != 0;
}

/* Is every member of a also one of b? */
static int
subset(uint64_t a, uint64_t b)
{
	return (a & ~b) == 0;
}

int
efs_caps_set(struct efs_caps *k, unsigned last, uint64_t eff, uint64_t prm, uint64_t inh)
{
	uint64_t all = efs_caps_all(last);

	eff &= all;
	prm &= all;
	inh &= all;
	/* without CAP_SETPCAP, no inheritable capability it could not use */
	if (!efs_caps_has(k, EFS_CAP_SETPCAP) && !subset(inh, k->inh | k->prm))
		return -EPERM;
	/* never one outside the bounding set, whatever it holds */
	if (!subset(inh, k->inh | k->bnd))
		return -EPERM;
	if (!subset(prm, k->prm) || !subset(eff, prm))
		return -EPERM;
	k->eff = eff;
	k->prm = prm;
	k->inh = inh;
	k->amb &= prm & inh;
	return 0;
}

static int
valid_cap(unsigned last, unsigned long cap)
{
	return cap <= last && cap <= EFS_CAP_MAX;
}

/* PR_CAP_AMBIENT: op a2 on capability a3. */
static long
ambient(struct efs_caps *k, unsigned last, unsigned long op, unsigned long cap,
    unsigned long a4, unsigned long a5)
{
	uint64_t bit;

	if (op == PR_CAP_AMBIENT_CLEAR_ALL) {
		if (cap != 0 || a4 != 0 || a5 != 0)
			return -EINVAL;
		k->amb = 0;
		return 0;
	}
	if (!valid_cap(last, cap) || a4 != 0 || a5 != 0)
		return -EINVAL;
	bit = (uint64_t)1 << cap;
	switch (op) {
	case PR_CAP_AMBIENT_IS_SET:
		return (k->amb & bit) != 0;
	case PR_CAP_AMBIENT_RAISE:
		if (!(k->prm & bit) || !(k->inh & bit) ||
		    (k->secbits & EFS_SECBIT_NO_CAP_AMBIENT_RAISE))
			return -EPERM;
		k->amb |= bit;
		return 0;
	case PR_CAP_AMBIENT_LOWER:
		k->amb &= ~bit;
		return 0;
	default:
		return -EINVAL;
	}
}

/* PR_SET_SECUREBITS: locked bits stay, locks stay, CAP_SETPCAP needed. */
static long
securebits(struct efs_caps *k, unsigned long bits)
{
	uint32_t old = k->secbits;

	if (bits & ~(unsigned long)(EFS_SECBITS_ALL | EFS_SECBITS_LOCKS))
		return -EPERM;
	if (((old & EFS_SECBITS_LOCKS) >> 1) & (old ^ (uint32_t)bits))
		return -EPERM;
	if (old & EFS_SECBITS_LOCKS & ~(uint32_t)bits)
		return -EPERM;
	if (!efs_caps_has(k, EFS_CAP_SETPCAP))
		return -EPERM;
	k->secbits = (uint32_t)bits;
	return 0;
}

int
efs_caps_prctl(struct efs_caps *k, unsigned last, int option, unsigned long a2,
    unsigned long a3, unsigned long a4, unsigned long a5, long *ret)
{
	switch (option) {
	case PR_CAPBSET_READ:
		*ret = !valid_cap(last, a2) ? -EINVAL : (long)(k->bnd >> a2 & 1);
		return 1;
	case PR_CAPBSET_DROP:
		/* Linux asks for the privilege before it looks at the number */
		if (!efs_caps_has(k, EFS_CAP_SETPCAP))
			*ret = -EPERM;
		else if (!valid_cap(last, a2))
			*ret = -EINVAL;
		else {
			k->bnd &= ~((uint64_t)1 << a2);
			*ret = 0;
		}
		return 1;
	case PR_CAP_AMBIENT:
		*ret = ambient(k, last, a2, a3, a4, a5);
		return 1;
	case PR_GET_KEEPCAPS:
		*ret = (k->secbits & EFS_SECBIT_KEEP_CAPS) != 0;
		return 1;
	case PR_SET_KEEPCAPS:
		if (a2 > 1)
			*ret = -EINVAL;
		else if (k->secbits & EFS_SECBIT_KEEP_CAPS_LOCKED)
			*ret = -EPERM;
		else {
			if (a2)
				k->secbits |= EFS_SECBIT_KEEP_CAPS;
			else
				k->secbits &= ~(uint32_t)EFS_SECBIT_KEEP_CAPS;
			*ret = 0;
		}
		return 1;
	case PR_GET_SECUREBITS:
		*ret = (long)k->secbits;
		return 1;
	case PR_SET_SECUREBITS:
		*ret = securebits(k, a2);
		return 1;
	case PR_GET_NO_NEW_PRIVS:
		*ret = (a2 | a3 | a4 | a5) != 0 ? -EINVAL : (long)k->nnp;
		return 1;
	case PR_SET_NO_NEW_PRIVS:
		if (a2 != 1 || (a3 | a4 | a5) != 0)
			*ret = -EINVAL;
		else {
			k->nnp = 1;
			*ret = 0;
		}
		return 1;
	default:
		return 0;
	}
}

int
efs_caps_version(uint32_t version, unsigned *words)
{
	switch (version) {
	case 0x19980330u:		/* _LINUX_CAPABILITY_VERSION_1: 32 bits */
		*words = 1;
		return 0;
	case 0x20071026u:		/* _LINUX_CAPABILITY_VERSION_2 (deprecated) */
	case EFS_CAP_VERSION_PREFERRED:
		*words = 2;
		return 0;
	default:
		return -EINVAL;
	}
}

int
efs_caps_encode(const struct efs_caps *k, char *buf, size_t len)
{
	const uint64_t v[7] = { k->eff, k->prm, k->inh, k->bnd, k->amb, k->secbits, k->nnp };
	size_t pos = 0;
	unsigned i;
	int rc;

	if (len == 0)
		return -ENAMETOOLONG;
	buf[0] = '\0';
	for (i = 0; i < 7; i++)
		if ((rc = efs_put_num(buf, len, &pos, v[i], 16, i < 6 ? ',' : '\0')) != 0)
			return rc;
	return 0;
}

/* One hex number of 1 to 16 digits at *sp. */
static int
get_hex(const char **sp, uint64_t *out)
{
	const char *s = *sp;
	uint64_t v = 0;
	unsigned n = 0;
	int d;

	for (;; s++, n++) {
		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if (*s >= 'a' && *s <= 'f')
			d = *s - 'a' + 10;
		else
			break;
		if (n == 16)
			return -EINVAL;
		v = v << 4 | (uint64_t)d;
	}
	if (n == 0)
		return -EINVAL;
	*out = v;
	*sp = s;
	return 0;
}

int
efs_caps_decode(const char *s, struct efs_caps *k)
{
	uint64_t v[7];
	unsigned i;

	if (s == NULL)
		return -EINVAL;
	for (i = 0; i < 7; i++) {
		if (get_hex(&s, &v[i]) != 0)
			return -EINVAL;
		if (*s++ != (i < 6 ? ',' : '\0'))
			return -EINVAL;
	}
	if (!subset(v[0], v[1]) || !subset(v[4], v[1] & v[2]) ||
	    (v[5] & ~(uint64_t)(EFS_SECBITS_ALL | EFS_SECBITS_LOCKS)) != 0 || v[6] > 1)
		return -EINVAL;
	k->eff = v[0];
	k->prm = v[1];
	k->inh = v[2];
	k->bnd = v[3];
	k->amb = v[4];
	k->secbits = (uint32_t)v[5];
	k->nnp = (uint32_t)v[6];
	return 0;
}
