/* SPDX-License-Identifier: MIT */
/*
 * ident.c: identities, pure.  The server identity with root squashing
 * (SPEC 5.2), the Linux rules of the setuid family applied to an emulated
 * caller identity (judged by its capabilities, which follow its uids:
 * caps.c), and its encoding for the environment across execve.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "ident.h"

#define UNCHANGED	((uint32_t)-1)

void
efs_cred_from_ident(const struct efs_ident *id, struct efs_cred *c)
{
	unsigned n;

	memset(c, 0, sizeof(*c));
	c->ruid = c->euid = c->suid = id->uid;
	c->rgid = c->egid = c->sgid = id->gid;
	n = id->ngroups < EFS_GROUPS_MAX ? id->ngroups : EFS_GROUPS_MAX;
	memcpy(c->groups, id->groups, n * sizeof(c->groups[0]));
	c->ngroups = n;
	efs_caps_start(&c->caps, EFS_CAP_LAST, c->ruid, c->euid);
}

void
efs_cred_exec(struct efs_cred *c)
{
	c->suid = c->euid;
	c->sgid = c->egid;
	efs_caps_exec(&c->caps, c->ruid, c->euid);
}

void
efs_server_who(const struct efs_config *cfg, const struct efs_mount *m,
    const struct efs_cred *caller, int root_access, struct efs_who *who)
{
	const struct efs_ident *pu = NULL;
	const uint32_t *src;
	unsigned i, n, k;

	memset(who, 0, sizeof(*who));
	if (m != NULL && m->ap >= 0 && m->ap < cfg->naps &&
	    cfg->aps[m->ap].has_posix_user)
		pu = &cfg->aps[m->ap].posix_user;
	if (pu != NULL) {
		who->id.uid = pu->uid;
		who->id.gid = pu->gid;
		n = pu->ngroups;
		src = pu->groups;
	} else {
		who->id.uid = caller->euid;
		who->id.gid = caller->egid;
		n = caller->ngroups;
		src = caller->groups;
	}
	/* AUTH_SYS carries 16 groups: the rest never reach the server. */
	if (n > EFS_NFS_GROUPS)
		n = EFS_NFS_GROUPS;
	for (i = k = 0; i < n; i++) {
		if (!root_access && src[i] == 0) {
			who->squashed = 1;
			continue;
		}
		who->id.groups[k++] = src[i];
	}
	who->id.ngroups = k;
	if (!root_access) {
		if (who->id.uid == 0) {
			who->id.uid = cfg->anon_uid;
			who->squashed = 1;
		}
		if (who->id.gid == 0) {
			who->id.gid = cfg->anon_gid;
			who->squashed = 1;
		}
	}
	who->root = who->id.uid == 0 || who->id.gid == 0;
}

/* Is id one of the three ids (or -1 "unchanged")? */
static int
one_of(uint32_t id, uint32_t a, uint32_t b, uint32_t c)
{
	return id == UNCHANGED || id == a || id == b || id == c;
}

static int
may_setuid(const struct efs_cred *c)
{
	return efs_caps_has(&c->caps, EFS_CAP_SETUID);
}

static int
may_setgid(const struct efs_cred *c)
{
	return efs_caps_has(&c->caps, EFS_CAP_SETGID);
}

/* The uids of c changed from the saved o[3]: the capabilities follow. */
static void
uids_changed(struct efs_cred *c, const uint32_t o[3])
{
	const uint32_t n[3] = { c->ruid, c->euid, c->suid };

	efs_caps_setuid_fixup(&c->caps, o, n);
}

int
efs_cred_setuid(struct efs_cred *c, uint32_t uid)
{
	const uint32_t o[3] = { c->ruid, c->euid, c->suid };

	if (uid == UNCHANGED)
		return -EINVAL;
	if (may_setuid(c))
		c->ruid = c->euid = c->suid = uid;
	else if (uid != c->ruid && uid != c->suid)
		return -EPERM;
	else
		c->euid = uid;
	uids_changed(c, o);
	return 0;
}

int
efs_cred_seteuid(struct efs_cred *c, uint32_t euid)
{
	/* glibc: setresuid(-1, euid, -1), with -1 refused. */
	if (euid == UNCHANGED)
		return -EINVAL;
	return efs_cred_setresuid(c, UNCHANGED, euid, UNCHANGED);
}

int
efs_cred_setreuid(struct efs_cred *c, uint32_t ruid, uint32_t euid)
{
	const uint32_t o[3] = { c->ruid, c->euid, c->suid };
	uint32_t nr = c->ruid, ne = c->euid;
	int priv = may_setuid(c);

	if (ruid != UNCHANGED) {
		if (!priv && ruid != c->ruid && ruid != c->euid)
			return -EPERM;
		nr = ruid;
	}
	if (euid != UNCHANGED) {
		if (!priv && !one_of(euid, c->ruid, c->euid, c->suid))
			return -EPERM;
		ne = euid;
	}
	/* Linux: the saved id follows a new real id, or an euid != old ruid. */
	if (ruid != UNCHANGED || (euid != UNCHANGED && euid != c->ruid))
		c->suid = ne;
	c->ruid = nr;
	c->euid = ne;
	uids_changed(c, o);
	return 0;
}

int
efs_cred_setresuid(struct efs_cred *c, uint32_t ruid, uint32_t euid,
    uint32_t suid)
{
	const uint32_t o[3] = { c->ruid, c->euid, c->suid };

	if (!may_setuid(c) &&
	    (!one_of(ruid, c->ruid, c->euid, c->suid) ||
	    !one_of(euid, c->ruid, c->euid, c->suid) ||
	    !one_of(suid, c->ruid, c->euid, c->suid)))
		return -EPERM;
	if (ruid != UNCHANGED)
		c->ruid = ruid;
	if (euid != UNCHANGED)
		c->euid = euid;
	if (suid != UNCHANGED)
		c->suid = suid;
	uids_changed(c, o);
	return 0;
}

int
efs_cred_setgid(struct efs_cred *c, uint32_t gid)
{
	if (gid == UNCHANGED)
		return -EINVAL;
	if (may_setgid(c)) {
		c->rgid = c->egid = c->sgid = gid;
		return 0;
	}
	if (gid != c->rgid && gid != c->sgid)
		return -EPERM;
	c->egid = gid;
	return 0;
}

int
efs_cred_setegid(struct efs_cred *c, uint32_t egid)
{
	if (egid == UNCHANGED)
		return -EINVAL;
	return efs_cred_setresgid(c, UNCHANGED, egid, UNCHANGED);
}

int
efs_cred_setregid(struct efs_cred *c, uint32_t rgid, uint32_t egid)
{
	uint32_t nr = c->rgid, ne = c->egid;
	int priv = may_setgid(c);

	if (rgid != UNCHANGED) {
		if (!priv && rgid != c->rgid && rgid != c->egid)
			return -EPERM;
		nr = rgid;
	}
	if (egid != UNCHANGED) {
		if (!priv && !one_of(egid, c->rgid, c->egid, c->sgid))
			return -EPERM;
		ne = egid;
	}
	if (rgid != UNCHANGED || (egid != UNCHANGED && egid != c->rgid))
		c->sgid = ne;
	c->rgid = nr;
	c->egid = ne;
	return 0;
}

int
efs_cred_setresgid(struct efs_cred *c, uint32_t rgid, uint32_t egid,
    uint32_t sgid)
{
	if (!may_setgid(c) &&
	    (!one_of(rgid, c->rgid, c->egid, c->sgid) ||
	    !one_of(egid, c->rgid, c->egid, c->sgid) ||
	    !one_of(sgid, c->rgid, c->egid, c->sgid)))
		return -EPERM;
	if (rgid != UNCHANGED)
		c->rgid = rgid;
	if (egid != UNCHANGED)
		c->egid = egid;
	if (sgid != UNCHANGED)
		c->sgid = sgid;
	return 0;
}

int
efs_cred_setgroups(struct efs_cred *c, size_t n, const uint32_t *groups)
{
	size_t i;

	if (!may_setgid(c))
		return -EPERM;
	if (n > EFS_NGROUPS_MAX || (n > 0 && groups == NULL))
		return -EINVAL;
	for (i = 0; i < n; i++)
		if (groups[i] == UINT32_MAX)	/* (gid_t)-1 is no group: gid_valid() */
			return -EINVAL;
	if (n > 0)
		memcpy(c->groups, groups, (n < EFS_GROUPS_MAX ? n : EFS_GROUPS_MAX) *
		    sizeof(c->groups[0]));
	c->ngroups = (unsigned)n;
	return 0;
}

int
efs_cred_encode(const struct efs_cred *c, char *buf, size_t len)
{
	const uint32_t ids[6] = { c->ruid, c->euid, c->suid,
	    c->rgid, c->egid, c->sgid };
	static const char seps[6] = { ',', ',', ':', ',', ',', ':' };
	size_t pos = 0;
	unsigned i, n;
	int rc;

	if (len == 0)
		return -ENAMETOOLONG;
	buf[0] = '\0';
	for (i = 0; i < 6; i++)
		if ((rc = efs_put_num(buf, len, &pos, ids[i], 10, seps[i])) != 0)
			return rc;
	n = c->ngroups < EFS_GROUPS_MAX ? c->ngroups : EFS_GROUPS_MAX;
	for (i = 0; i < n; i++)
		if ((rc = efs_put_num(buf, len, &pos, c->groups[i], 10,
		    i + 1 < n ? ',' : '\0')) != 0)
			return rc;
	return 0;
}

int
efs_groups_encode(const uint32_t *g, unsigned n, char *buf, size_t len)
{
	size_t pos = 0;
	unsigned i, j;
	int rc;

	if (len == 0)
		return -ENAMETOOLONG;
	buf[0] = '\0';
	for (i = 0; i < n; i = j + 1) {
		for (j = i; j + 1 < n && g[j] != UINT32_MAX && g[j + 1] == g[j] + 1; j++)
			;
		if (j > i && (rc = efs_put_num(buf, len, &pos, g[i], 10, '-')) != 0)
			return rc;
		if ((rc = efs_put_num(buf, len, &pos, g[j], 10, j + 1 < n ? ',' : '\0')) != 0)
			return rc;
	}
	return 0;
}

static int get_u32(const char **sp, uint32_t *out);

int
efs_groups_decode(const char *s, uint32_t *g, unsigned max, unsigned *n)
{
	uint32_t a, b;
	unsigned k = 0;

	if (s == NULL)
		return -EINVAL;
	while (*s != '\0') {
		if (get_u32(&s, &a) != 0)
			return -EINVAL;
		b = a;
		if (*s == '-' && (s++, get_u32(&s, &b) != 0 || b < a))
			return -EINVAL;
		if ((uint64_t)b - a + 1 > (uint64_t)(max - k))
			return -EINVAL;
		for (;; a++) {
			g[k++] = a;
			if (a == b)
				break;
		}
		if (*s == ',' && s[1] != '\0')
			s++;
		else if (*s != '\0')
			return -EINVAL;
	}
	*n = k;
	return 0;
}

/* Parse a decimal uint32_t at *sp: at least one digit, no overflow. */
static int
get_u32(const char **sp, uint32_t *out)
{
	const char *s = *sp;
	uint64_t v = 0;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	while (*s >= '0' && *s <= '9') {
		v = v * 10 + (uint64_t)(*s++ - '0');
		if (v > UINT32_MAX)
			return -EINVAL;
	}
	*out = (uint32_t)v;
	*sp = s;
	return 0;
}

int
efs_cred_decode(const char *s, struct efs_cred *c)
{
	struct efs_cred t;
	uint32_t ids[6];
	unsigned i;

	if (s == NULL)
		return -EINVAL;
	memset(&t, 0, sizeof(t));
	for (i = 0; i < 6; i++) {
		if (get_u32(&s, &ids[i]) != 0)
			return -EINVAL;
		if (*s++ != (i % 3 == 2 ? ':' : ','))
			return -EINVAL;
	}
	if (*s != '\0') {
		for (;;) {
			if (t.ngroups == EFS_GROUPS_MAX ||
			    get_u32(&s, &t.groups[t.ngroups]) != 0)
				return -EINVAL;
			t.ngroups++;
			if (*s == '\0')
				break;
			if (*s++ != ',')
				return -EINVAL;
		}
	}
	t.ruid = ids[0];
	t.euid = ids[1];
	t.suid = ids[2];
	t.rgid = ids[3];
	t.egid = ids[4];
	t.sgid = ids[5];
	*c = t;
	return 0;
}

int
efs_ident_in_group(const struct efs_ident *id, uint32_t gid)
{
	unsigned i, n;

	if (id->gid == gid)
		return 1;
	n = id->ngroups < EFS_GROUPS_MAX ? id->ngroups : EFS_GROUPS_MAX;
	for (i = 0; i < n; i++)
		if (id->groups[i] == gid)
			return 1;
	return 0;
}
