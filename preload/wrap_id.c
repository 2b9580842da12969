/* SPDX-License-Identifier: MIT */
/*
 * wrap_id.c: the caller identity (SPEC 5.2).  The get* calls answer from
 * the emulated credentials; the set* calls change them by POSIX rules
 * (ident.c); the process's real credentials never change.
 */
#include <grp.h>
#include <string.h>
#include <unistd.h>

#include "ident.h"
#include "real.h"
#include "state.h"
#include "uaccess.h"

EFS_EXPORT uid_t
getuid(void)
{
	if (!efs_active())
		return real.getuid();
	return efs_cred_id(EFS_RUID);
}

EFS_EXPORT uid_t
geteuid(void)
{
	if (!efs_active())
		return real.geteuid();
	return efs_cred_id(EFS_EUID);
}

EFS_EXPORT gid_t
getgid(void)
{
	if (!efs_active())
		return real.getgid();
	return efs_cred_id(EFS_RGID);
}

EFS_EXPORT gid_t
getegid(void)
{
	if (!efs_active())
		return real.getegid();
	return efs_cred_id(EFS_EGID);
}

EFS_EXPORT int
getresuid(uid_t *r, uid_t *e, uid_t *s)
{
	struct efs_call c;
	struct efs_cred cr;

	if (!efs_enter(&c, "getresuid", NULL))
		return real.getresuid(r, e, s);
	efs_cred_get(&cr);
	/* in the kernel's order: each written, or EFAULT where one cannot be */
	if (efs_uwrite(r, sizeof *r) != 0)
		return efs_leave(&c, -EFAULT);
	*r = cr.ruid;
	if (efs_uwrite(e, sizeof *e) != 0)
		return efs_leave(&c, -EFAULT);
	*e = cr.euid;
	if (efs_uwrite(s, sizeof *s) != 0)
		return efs_leave(&c, -EFAULT);
	*s = cr.suid;
	return efs_leave(&c, 0);
}

EFS_EXPORT int
getresgid(gid_t *r, gid_t *e, gid_t *s)
{
	struct efs_call c;
	struct efs_cred cr;

	if (!efs_enter(&c, "getresgid", NULL))
		return real.getresgid(r, e, s);
	efs_cred_get(&cr);
	/* in the kernel's order: each written, or EFAULT where one cannot be */
	if (efs_uwrite(r, sizeof *r) != 0)
		return efs_leave(&c, -EFAULT);
	*r = cr.rgid;
	if (efs_uwrite(e, sizeof *e) != 0)
		return efs_leave(&c, -EFAULT);
	*e = cr.egid;
	if (efs_uwrite(s, sizeof *s) != 0)
		return efs_leave(&c, -EFAULT);
	*s = cr.sgid;
	return efs_leave(&c, 0);
}

EFS_EXPORT int
getgroups(int size, gid_t list[])
{
	struct efs_call c;
	struct efs_cred cr;
	int n;

	if (!efs_enter(&c, "getgroups", NULL))
		return real.getgroups(size, list);
	efs_cred_get(&cr);
	if (size < 0)
		return efs_leave(&c, -EINVAL);
	if (size == 0)
		return efs_leave(&c, (long)cr.ngroups);
	if ((unsigned)size < cr.ngroups)
		return efs_leave(&c, -EINVAL);
	if (efs_uwrite(list, cr.ngroups * sizeof list[0]) != 0)
		return efs_leave(&c, -EFAULT);
	n = efs_groups_get((uint32_t *)list, (unsigned)size);
	return efs_leave(&c, n);
}

/* The eight set* calls, which differ only in the rule they apply. */
enum setid { SET_UID, SET_EUID, SET_REUID, SET_RESUID, SET_GID, SET_EGID, SET_REGID, SET_RESGID };

/* The real call, for a call efsap passes through. */
static int
setid_real(enum setid which, uint32_t a, uint32_t b, uint32_t s)
{
	switch (which) {
	case SET_UID:
		return real.setuid(a);
	case SET_EUID:
		return real.seteuid(a);
	case SET_REUID:
		return real.setreuid(a, b);
	case SET_RESUID:
		return real.setresuid(a, b, s);
	case SET_GID:
		return real.setgid(a);
	case SET_EGID:
		return real.setegid(a);
	case SET_REGID:
		return real.setregid(a, b);
	case SET_RESGID:
		return real.setresgid(a, b, s);
	}
	errno = EINVAL;
	return -1;
}

/* The POSIX rule (ident.c) applied to cr: 0 or -errno. */
static int
setid_rule(enum setid which, struct efs_cred *cr, uint32_t a, uint32_t b, uint32_t s)
{
	switch (which) {
	case SET_UID:
		return efs_cred_setuid(cr, a);
	case SET_EUID:
		return efs_cred_seteuid(cr, a);
	case SET_REUID:
		return efs_cred_setreuid(cr, a, b);
	case SET_RESUID:
		return efs_cred_setresuid(cr, a, b, s);
	case SET_GID:
		return efs_cred_setgid(cr, a);
	case SET_EGID:
		return efs_cred_setegid(cr, a);
	case SET_REGID:
		return efs_cred_setregid(cr, a, b);
	case SET_RESGID:
		return efs_cred_setresgid(cr, a, b, s);
	}
	return -EINVAL;
}

struct setid_args {
	enum setid which;
	uint32_t a, b, s;
};

static long
setid_fn(struct efs_cred *cr, void *arg)
{
	const struct setid_args *x = arg;

	return setid_rule(x->which, cr, x->a, x->b, x->s);
}

/* Every set* call: the rule applied to the identity and published, in one step. */
static int
setid(const char *op, enum setid which, uint32_t a, uint32_t b, uint32_t s)
{
	struct setid_args x = { which, a, b, s };
	struct efs_call c;

	if (!efs_enter(&c, op, NULL))
		return setid_real(which, a, b, s);
	return (int)efs_leave(&c, efs_cred_update(setid_fn, &x));
}

EFS_EXPORT int
setuid(uid_t uid)
{
	return setid("setuid", SET_UID, uid, 0, 0);
}

EFS_EXPORT int
seteuid(uid_t uid)
{
	return setid("seteuid", SET_EUID, uid, 0, 0);
}

EFS_EXPORT int
setreuid(uid_t r, uid_t e)
{
	return setid("setreuid", SET_REUID, r, e, 0);
}

EFS_EXPORT int
setresuid(uid_t r, uid_t e, uid_t s)
{
	return setid("setresuid", SET_RESUID, r, e, s);
}

EFS_EXPORT int
setgid(gid_t gid)
{
	return setid("setgid", SET_GID, gid, 0, 0);
}

EFS_EXPORT int
setegid(gid_t gid)
{
	return setid("setegid", SET_EGID, gid, 0, 0);
}

EFS_EXPORT int
setregid(gid_t r, gid_t e)
{
	return setid("setregid", SET_REGID, r, e, 0);
}

EFS_EXPORT int
setresgid(gid_t r, gid_t e, gid_t s)
{
	return setid("setresgid", SET_RESGID, r, e, s);
}

_Static_assert(sizeof(gid_t) == sizeof(uint32_t), "gid_t is 32 bits");

EFS_EXPORT int
setgroups(size_t n, const gid_t *list)
{
	struct efs_call c;
	struct efs_cred cr;

	if (!efs_enter(&c, "setgroups", NULL))
		return real.setgroups(n, list);
	efs_cred_get(&cr);
	/* Linux's order: the privilege, the size, then the list (EFAULT) */
	if (efs_caps_has(&cr.caps, EFS_CAP_SETGID) && n > 0 && n <= EFS_NGROUPS_MAX &&
	    efs_uread(list, n * sizeof list[0]) != 0)
		return efs_leave(&c, -EFAULT);
	return efs_leave(&c, efs_cred_update_groups(n, (const uint32_t *)list));
}

/* initgroups: the host's group database, then setgroups' rules. */
EFS_EXPORT int
initgroups(const char *user, gid_t group)
{
	struct efs_call c;
	gid_t list[EFS_GROUPS_MAX];
	int n = EFS_GROUPS_MAX;

	if (!efs_enter(&c, "initgroups", NULL))
		return real.initgroups(user, group);
	if (getgrouplist(user, group, list, &n) < 0)
		n = EFS_GROUPS_MAX;
	return efs_leave(&c, efs_cred_update_groups((size_t)n, (const uint32_t *)list));
}

/* setfsuid/setfsgid: the filesystem ids follow the effective ones here. */
EFS_EXPORT int
setfsuid(uid_t uid)
{
	if (!efs_active())
		return real.setfsuid(uid);
	return (int)efs_cred_id(EFS_EUID);
}

EFS_EXPORT int
setfsgid(gid_t gid)
{
	if (!efs_active())
		return real.setfsgid(gid);
	return (int)efs_cred_id(EFS_EGID);
}

EFS_EXPORT mode_t
umask(mode_t mask)
{
	mode_t old;

	if (real.umask == NULL)
		efs_real_bind();
	old = real.umask(mask);
	__atomic_store_n(&efs.umask, mask & 0777, __ATOMIC_RELAXED);
	return old;
}
