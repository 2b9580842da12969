/* SPDX-License-Identifier: MIT */
/*
 * check_ident.c: the server identity with squashing (SPEC 5.2), the setuid
 * family on an emulated caller identity, and its encoding.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ident.h"

#define N	((uint32_t)-1)

/* ---- server identity ---- */

struct whocase {
	const char *name;
	int posix_user;			/* the mount's access point has one */
	uint32_t pu_uid, pu_gid;
	unsigned pu_ngroups;
	uint32_t pu_groups[EFS_NFS_GROUPS];
	int ap;				/* the mount uses the access point */
	uint32_t ruid, euid, rgid, egid;	/* the caller */
	unsigned ngroups;
	uint32_t groups[20];
	int root_access;
	uint32_t anon_uid, anon_gid;
	uint32_t uid, gid;		/* expected */
	unsigned want_ngroups;
	uint32_t want_groups[EFS_NFS_GROUPS];
	int root, squashed;
};

#define G20	{ 100, 101, 102, 103, 104, 105, 106, 107, 108, 109, \
		  110, 111, 112, 113, 114, 115, 116, 117, 118, 119 }
#define G16	{ 100, 101, 102, 103, 104, 105, 106, 107, 108, 109, \
		  110, 111, 112, 113, 114, 115 }

static const struct whocase whocases[] = {
	{ "caller, root access granted", 0, 0, 0, 0, {0}, 0,
	    1000, 1000, 1000, 1000, 2, { 1000, 2000 }, 1, 65534, 65534,
	    1000, 1000, 2, { 1000, 2000 }, 0, 0 },
	{ "caller, root access denied: nothing to squash", 0, 0, 0, 0, {0}, 0,
	    1000, 1000, 1000, 1000, 2, { 1000, 2000 }, 0, 65534, 65534,
	    1000, 1000, 2, { 1000, 2000 }, 0, 0 },
	{ "effective ids, not real ones", 0, 0, 0, 0, {0}, 0,
	    0, 1000, 0, 1001, 1, { 5 }, 1, 65534, 65534,
	    1000, 1001, 1, { 5 }, 0, 0 },
	{ "root caller, root access granted", 0, 0, 0, 0, {0}, 0,
	    0, 0, 0, 0, 1, { 0 }, 1, 65534, 65534,
	    0, 0, 1, { 0 }, 1, 0 },
	{ "root caller squashed", 0, 0, 0, 0, {0}, 0,
	    0, 0, 0, 0, 2, { 0, 10 }, 0, 65534, 65534,
	    65534, 65534, 1, { 10 }, 0, 1 },
	{ "uid 0 only squashed", 0, 0, 0, 0, {0}, 0,
	    0, 0, 1000, 1000, 1, { 1000 }, 0, 65534, 65534,
	    65534, 1000, 1, { 1000 }, 0, 1 },
	{ "gid 0 is root", 0, 0, 0, 0, {0}, 0,
	    1000, 1000, 0, 0, 0, {0}, 1, 65534, 65534,
	    1000, 0, 0, {0}, 1, 0 },
	{ "gid 0 only squashed", 0, 0, 0, 0, {0}, 0,
	    1000, 1000, 0, 0, 0, {0}, 0, 65534, 65534,
	    1000, 65534, 0, {0}, 0, 1 },
	{ "group 0 dropped for a non-root caller", 0, 0, 0, 0, {0}, 0,
	    1000, 1000, 1000, 1000, 3, { 0, 1000, 0 }, 0, 65534, 65534,
	    1000, 1000, 1, { 1000 }, 0, 1 },
	{ "group 0 kept with root access; groups make no root", 0, 0, 0, 0,
	    {0}, 0,
	    1000, 1000, 1000, 1000, 2, { 0, 1000 }, 1, 65534, 65534,
	    1000, 1000, 2, { 0, 1000 }, 0, 0 },
	{ "custom anon ids", 0, 0, 0, 0, {0}, 0,
	    0, 0, 0, 0, 0, {0}, 0, 99, 98,
	    99, 98, 0, {0}, 0, 1 },
	{ "anon ids 0 stay root", 0, 0, 0, 0, {0}, 0,
	    0, 0, 0, 0, 0, {0}, 0, 0, 0,
	    0, 0, 0, {0}, 1, 1 },
	{ "16 groups of 20", 0, 0, 0, 0, {0}, 0,
	    1000, 1000, 1000, 1000, 20, G20, 1, 65534, 65534,
	    1000, 1000, 16, G16, 0, 0 },
	{ "group 0 beyond 16 is not counted", 0, 0, 0, 0, {0}, 0,
	    1000, 1000, 1000, 1000, 18,
	    { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 0, 17 },
	    0, 65534, 65534,
	    1000, 1000, 16,
	    { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 }, 0, 0 },
	{ "truncation before squashing", 0, 0, 0, 0, {0}, 0,
	    1000, 1000, 1000, 1000, 18,
	    { 1, 2, 0, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18 },
	    0, 65534, 65534,
	    1000, 1000, 15,
	    { 1, 2, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 }, 0, 1 },
	{ "posix_user replaces the caller", 1, 1000, 1000, 1, { 2000 }, 1,
	    0, 0, 0, 0, 1, { 0 }, 0, 65534, 65534,
	    1000, 1000, 1, { 2000 }, 0, 0 },
	{ "posix_user replaces a non-root caller too", 1, 2000, 3000, 0, {0}, 1,
	    1000, 1000, 1000, 1000, 1, { 1000 }, 1, 65534, 65534,
	    2000, 3000, 0, {0}, 0, 0 },
	{ "posix_user 0:0 with root access", 1, 0, 0, 0, {0}, 1,
	    1000, 1000, 1000, 1000, 0, {0}, 1, 65534, 65534,
	    0, 0, 0, {0}, 1, 0 },
	{ "posix_user 0:0 squashed", 1, 0, 0, 1, { 0 }, 1,
	    1000, 1000, 1000, 1000, 0, {0}, 0, 65534, 65534,
	    65534, 65534, 0, {0}, 0, 1 },
	{ "posix_user 1001:0 is root", 1, 1001, 0, 0, {0}, 1,
	    1000, 1000, 1000, 1000, 0, {0}, 1, 65534, 65534,
	    1001, 0, 0, {0}, 1, 0 },
	{ "posix_user 1001:0 squashed", 1, 1001, 0, 0, {0}, 1,
	    1000, 1000, 1000, 1000, 0, {0}, 0, 65534, 65534,
	    1001, 65534, 0, {0}, 0, 1 },
	{ "posix_user with 16 secondary gids", 1, 5, 6, 16, G16, 1,
	    0, 0, 0, 0, 0, {0}, 0, 65534, 65534,
	    5, 6, 16, G16, 0, 0 },
	{ "access point without posix_user: the caller", 0, 0, 0, 0, {0}, 1,
	    0, 0, 0, 0, 0, {0}, 0, 65534, 65534,
	    65534, 65534, 0, {0}, 0, 1 },
	{ "posix_user of an unused access point is ignored", 1, 7, 7, 0, {0}, 0,
	    1000, 1000, 1000, 1000, 0, {0}, 1, 65534, 65534,
	    1000, 1000, 0, {0}, 0, 0 },
};

START_TEST(test_server_who)
{
	const struct whocase *t = &whocases[_i];
	struct efs_config *cfg;
	struct efs_cred c;
	struct efs_who who;
	unsigned i;

	cfg = calloc(1, sizeof(*cfg));
	ck_assert_ptr_nonnull(cfg);
	cfg->anon_uid = t->anon_uid;
	cfg->anon_gid = t->anon_gid;
	cfg->naps = 1;
	strcpy(cfg->aps[0].id, "fsap-a");
	cfg->aps[0].has_posix_user = t->posix_user;
	cfg->aps[0].posix_user.uid = t->pu_uid;
	cfg->aps[0].posix_user.gid = t->pu_gid;
	cfg->aps[0].posix_user.ngroups = t->pu_ngroups;
	memcpy(cfg->aps[0].posix_user.groups, t->pu_groups,
	    sizeof(t->pu_groups));
	cfg->nmounts = 1;
	cfg->mounts[0].ap = t->ap ? 0 : -1;

	memset(&c, 0, sizeof(c));
	c.ruid = c.suid = t->ruid;
	c.euid = t->euid;
	c.rgid = c.sgid = t->rgid;
	c.egid = t->egid;
	c.ngroups = t->ngroups;
	memcpy(c.groups, t->groups, sizeof(t->groups));

	memset(&who, 0x5a, sizeof(who));
	efs_server_who(cfg, &cfg->mounts[0], &c, t->root_access, &who);
	ck_assert_msg(who.id.uid == t->uid && who.id.gid == t->gid,
	    "%s: %u:%u, want %u:%u", t->name, who.id.uid, who.id.gid,
	    t->uid, t->gid);
	ck_assert_msg(who.id.ngroups == t->want_ngroups,
	    "%s: %u groups, want %u", t->name, who.id.ngroups,
	    t->want_ngroups);
	for (i = 0; i < t->want_ngroups; i++)
		ck_assert_msg(who.id.groups[i] == t->want_groups[i],
		    "%s: group %u is %u, want %u", t->name, i,
		    who.id.groups[i], t->want_groups[i]);
	ck_assert_msg(who.root == t->root, "%s: root %d", t->name, who.root);
	ck_assert_msg(who.squashed == t->squashed, "%s: squashed %d",
	    t->name, who.squashed);
	free(cfg);
}
END_TEST

START_TEST(test_cred_from_ident)
{
	struct efs_ident id = { 1000, 2000, 2, { 2000, 3000 } };
	struct efs_cred c;

	memset(&c, 0x5a, sizeof(c));
	efs_cred_from_ident(&id, &c);
	ck_assert_uint_eq(c.ruid, 1000);
	ck_assert_uint_eq(c.euid, 1000);
	ck_assert_uint_eq(c.suid, 1000);
	ck_assert_uint_eq(c.rgid, 2000);
	ck_assert_uint_eq(c.egid, 2000);
	ck_assert_uint_eq(c.sgid, 2000);
	ck_assert_uint_eq(c.ngroups, 2);
	ck_assert_uint_eq(c.groups[0], 2000);
	ck_assert_uint_eq(c.groups[1], 3000);
}
END_TEST

/* ---- the setuid family ---- */

enum { SETUID, SETEUID, SETREUID, SETRESUID, SETGID, SETEGID, SETREGID,
    SETRESGID };

struct setcase {
	const char *name;
	int op;
	uint32_t a, b, c;
	uint32_t in[6];			/* ruid euid suid rgid egid sgid */
	int rc;
	uint32_t out[6];		/* ignored when rc != 0: must equal in */
};

static const struct setcase setcases[] = {
	/* setuid */
	{ "setuid: root takes any uid, all three", SETUID, 1000, 0, 0,
	    { 0, 0, 0, 0, 0, 0 }, 0, { 1000, 1000, 1000, 0, 0, 0 } },
	{ "setuid: euid 0 with other real uid sets all", SETUID, 5, 0, 0,
	    { 1000, 0, 1000, 1, 1, 1 }, 0, { 5, 5, 5, 1, 1, 1 } },
	{ "setuid: unprivileged to itself", SETUID, 1000, 0, 0,
	    { 1000, 1000, 1000, 1, 1, 1 }, 0, { 1000, 1000, 1000, 1, 1, 1 } },
	{ "setuid: unprivileged to root", SETUID, 0, 0, 0,
	    { 1000, 1000, 1000, 1, 1, 1 }, -EPERM, {0} },
	{ "setuid: unprivileged to saved uid", SETUID, 3000, 0, 0,
	    { 1000, 2000, 3000, 1, 1, 1 }, 0, { 1000, 3000, 3000, 1, 1, 1 } },
	{ "setuid: unprivileged to real uid", SETUID, 1000, 0, 0,
	    { 1000, 2000, 3000, 1, 1, 1 }, 0, { 1000, 1000, 3000, 1, 1, 1 } },
	{ "setuid: unprivileged to its euid only", SETUID, 2000, 0, 0,
	    { 1000, 2000, 3000, 1, 1, 1 }, -EPERM, {0} },
	{ "setuid: back to root through the real uid", SETUID, 0, 0, 0,
	    { 0, 1000, 0, 1, 1, 1 }, 0, { 0, 0, 0, 1, 1, 1 } },
	{ "setuid: -1", SETUID, N, 0, 0,
	    { 0, 0, 0, 0, 0, 0 }, -EINVAL, {0} },
	/* seteuid */
	{ "seteuid: root drops euid, keeps saved", SETEUID, 1000, 0, 0,
	    { 0, 0, 0, 0, 0, 0 }, 0, { 0, 1000, 0, 0, 0, 0 } },
	{ "seteuid: regain root from saved", SETEUID, 0, 0, 0,
	    { 1000, 1000, 0, 1, 1, 1 }, 0, { 1000, 0, 0, 1, 1, 1 } },
	{ "seteuid: unprivileged to a stranger", SETEUID, 2000, 0, 0,
	    { 1000, 1000, 1000, 1, 1, 1 }, -EPERM, {0} },
	{ "seteuid: unprivileged to saved", SETEUID, 3000, 0, 0,
	    { 1000, 2000, 3000, 1, 1, 1 }, 0, { 1000, 3000, 3000, 1, 1, 1 } },
	{ "seteuid: unprivileged to its own euid", SETEUID, 2000, 0, 0,
	    { 1000, 2000, 3000, 1, 1, 1 }, 0, { 1000, 2000, 3000, 1, 1, 1 } },
	{ "seteuid: -1", SETEUID, N, 0, 0,
	    { 0, 0, 0, 0, 0, 0 }, -EINVAL, {0} },
	/* setreuid */
	{ "setreuid: root sets both, saved follows", SETREUID, 1000, 1000, 0,
	    { 0, 0, 0, 0, 0, 0 }, 0, { 1000, 1000, 1000, 0, 0, 0 } },
	{ "setreuid: root euid only, != ruid: saved follows", SETREUID,
	    N, 1000, 0,
	    { 0, 0, 0, 0, 0, 0 }, 0, { 0, 1000, 1000, 0, 0, 0 } },
	{ "setreuid: euid only, == ruid: saved kept", SETREUID, N, 1000, 0,
	    { 1000, 0, 0, 0, 0, 0 }, 0, { 1000, 1000, 0, 0, 0, 0 } },
	{ "setreuid: ruid to old euid", SETREUID, 2000, N, 0,
	    { 1000, 2000, 3000, 1, 1, 1 }, 0, { 2000, 2000, 2000, 1, 1, 1 } },
	{ "setreuid: ruid to saved refused", SETREUID, 3000, N, 0,
	    { 1000, 2000, 3000, 1, 1, 1 }, -EPERM, {0} },
	{ "setreuid: euid to saved", SETREUID, N, 3000, 0,
	    { 1000, 2000, 3000, 1, 1, 1 }, 0, { 1000, 3000, 3000, 1, 1, 1 } },
	{ "setreuid: euid to real, saved kept", SETREUID, N, 1000, 0,
	    { 1000, 2000, 3000, 1, 1, 1 }, 0, { 1000, 1000, 3000, 1, 1, 1 } },
	{ "setreuid: swap", SETREUID, 2000, 1000, 0,
	    { 1000, 2000, 2000, 1, 1, 1 }, 0, { 2000, 1000, 1000, 1, 1, 1 } },
	{ "setreuid: euid to a stranger", SETREUID, N, 4000, 0,
	    { 1000, 2000, 3000, 1, 1, 1 }, -EPERM, {0} },
	{ "setreuid: good ruid, bad euid: nothing changes", SETREUID,
	    2000, 4000, 0,
	    { 1000, 2000, 3000, 1, 1, 1 }, -EPERM, {0} },
	{ "setreuid: -1 -1", SETREUID, N, N, 0,
	    { 1000, 2000, 3000, 1, 1, 1 }, 0, { 1000, 2000, 3000, 1, 1, 1 } },
	/* setresuid */
	{ "setresuid: root any", SETRESUID, 1, 2, 3,
	    { 0, 0, 0, 0, 0, 0 }, 0, { 1, 2, 3, 0, 0, 0 } },
	{ "setresuid: unprivileged permutation", SETRESUID, 3000, 1000, 2000,
	    { 1000, 2000, 3000, 1, 1, 1 }, 0, { 3000, 1000, 2000, 1, 1, 1 } },
	{ "setresuid: unprivileged stranger saved", SETRESUID, N, N, 4000,
	    { 1000, 2000, 3000, 1, 1, 1 }, -EPERM, {0} },
	{ "setresuid: unprivileged to root", SETRESUID, 0, 0, 0,
	    { 1000, 1000, 1000, 1, 1, 1 }, -EPERM, {0} },
	{ "setresuid: all unchanged", SETRESUID, N, N, N,
	    { 1000, 2000, 3000, 1, 1, 1 }, 0, { 1000, 2000, 3000, 1, 1, 1 } },
	{ "setresuid: euid 0, real unchanged", SETRESUID, 5, N, N,
	    { 1000, 0, 1000, 1, 1, 1 }, 0, { 5, 0, 1000, 1, 1, 1 } },
	{ "setresuid: drop all privilege", SETRESUID, 1000, 1000, 1000,
	    { 0, 0, 0, 0, 0, 0 }, 0, { 1000, 1000, 1000, 0, 0, 0 } },
	/* setgid */
	{ "setgid: euid 0 takes any gid", SETGID, 50, 0, 0,
	    { 0, 0, 0, 1, 1, 1 }, 0, { 0, 0, 0, 50, 50, 50 } },
	{ "setgid: root uid but other euid is unprivileged", SETGID, 50, 0, 0,
	    { 0, 1000, 0, 1, 1, 1 }, -EPERM, {0} },
	{ "setgid: unprivileged to real gid", SETGID, 10, 0, 0,
	    { 1, 1, 1, 10, 20, 30 }, 0, { 1, 1, 1, 10, 10, 30 } },
	{ "setgid: unprivileged to saved gid", SETGID, 30, 0, 0,
	    { 1, 1, 1, 10, 20, 30 }, 0, { 1, 1, 1, 10, 30, 30 } },
	{ "setgid: unprivileged to its egid only", SETGID, 20, 0, 0,
	    { 1, 1, 1, 10, 20, 30 }, -EPERM, {0} },
	{ "setgid: unprivileged to gid 0 it has", SETGID, 0, 0, 0,
	    { 1, 1, 1, 0, 20, 30 }, 0, { 1, 1, 1, 0, 0, 30 } },
	{ "setgid: unprivileged to root group", SETGID, 0, 0, 0,
	    { 1, 1, 1, 10, 10, 10 }, -EPERM, {0} },
	{ "setgid: -1", SETGID, N, 0, 0,
	    { 0, 0, 0, 0, 0, 0 }, -EINVAL, {0} },
	/* setegid */
	{ "setegid: root any", SETEGID, 50, 0, 0,
	    { 0, 0, 0, 0, 0, 0 }, 0, { 0, 0, 0, 0, 50, 0 } },
	{ "setegid: unprivileged to saved", SETEGID, 30, 0, 0,
	    { 1, 1, 1, 10, 20, 30 }, 0, { 1, 1, 1, 10, 30, 30 } },
	{ "setegid: unprivileged stranger", SETEGID, 40, 0, 0,
	    { 1, 1, 1, 10, 20, 30 }, -EPERM, {0} },
	{ "setegid: -1", SETEGID, N, 0, 0,
	    { 0, 0, 0, 0, 0, 0 }, -EINVAL, {0} },
	/* setregid */
	{ "setregid: root both", SETREGID, 5, 6, 0,
	    { 0, 0, 0, 1, 1, 1 }, 0, { 0, 0, 0, 5, 6, 6 } },
	{ "setregid: root egid only != rgid: saved follows", SETREGID, N, 6, 0,
	    { 0, 0, 0, 1, 1, 1 }, 0, { 0, 0, 0, 1, 6, 6 } },
	{ "setregid: egid only == rgid: saved kept", SETREGID, N, 10, 0,
	    { 1, 1, 1, 10, 20, 30 }, 0, { 1, 1, 1, 10, 10, 30 } },
	{ "setregid: rgid to egid", SETREGID, 20, N, 0,
	    { 1, 1, 1, 10, 20, 30 }, 0, { 1, 1, 1, 20, 20, 20 } },
	{ "setregid: rgid to saved refused", SETREGID, 30, N, 0,
	    { 1, 1, 1, 10, 20, 30 }, -EPERM, {0} },
	{ "setregid: swap", SETREGID, 20, 10, 0,
	    { 1, 1, 1, 10, 20, 20 }, 0, { 1, 1, 1, 20, 10, 10 } },
	{ "setregid: stranger egid", SETREGID, N, 40, 0,
	    { 1, 1, 1, 10, 20, 30 }, -EPERM, {0} },
	/* setresgid */
	{ "setresgid: root any", SETRESGID, 4, 5, 6,
	    { 0, 0, 0, 1, 1, 1 }, 0, { 0, 0, 0, 4, 5, 6 } },
	{ "setresgid: unprivileged permutation", SETRESGID, 30, 10, 20,
	    { 1, 1, 1, 10, 20, 30 }, 0, { 1, 1, 1, 30, 10, 20 } },
	{ "setresgid: unprivileged stranger", SETRESGID, 40, N, N,
	    { 1, 1, 1, 10, 20, 30 }, -EPERM, {0} },
	{ "setresgid: all unchanged", SETRESGID, N, N, N,
	    { 1, 1, 1, 10, 20, 30 }, 0, { 1, 1, 1, 10, 20, 30 } },
};

static int
apply(int op, struct efs_cred *c, uint32_t a, uint32_t b, uint32_t d)
{
	switch (op) {
	case SETUID:
		return efs_cred_setuid(c, a);
	case SETEUID:
		return efs_cred_seteuid(c, a);
	case SETREUID:
		return efs_cred_setreuid(c, a, b);
	case SETRESUID:
		return efs_cred_setresuid(c, a, b, d);
	case SETGID:
		return efs_cred_setgid(c, a);
	case SETEGID:
		return efs_cred_setegid(c, a);
	case SETREGID:
		return efs_cred_setregid(c, a, b);
	default:
		return efs_cred_setresgid(c, a, b, d);
	}
}

static void
to_cred(const uint32_t v[6], struct efs_cred *c)
{
	memset(c, 0, sizeof(*c));
	c->ruid = v[0];
	c->euid = v[1];
	c->suid = v[2];
	c->rgid = v[3];
	c->egid = v[4];
	c->sgid = v[5];
	c->ngroups = 1;
	c->groups[0] = 77;
	/* the capabilities a program started with these ids holds */
	efs_caps_start(&c->caps, EFS_CAP_LAST, c->ruid, c->euid);
}

/* The ids and groups of two identities agree (check_caps tests the capabilities). */
static int
same_ids(const struct efs_cred *a, const struct efs_cred *b)
{
	return a->ruid == b->ruid && a->euid == b->euid && a->suid == b->suid &&
	    a->rgid == b->rgid && a->egid == b->egid && a->sgid == b->sgid &&
	    a->ngroups == b->ngroups && memcmp(a->groups, b->groups, sizeof a->groups) == 0;
}

START_TEST(test_setid)
{
	const struct setcase *t = &setcases[_i];
	struct efs_cred c, want;
	int rc;

	to_cred(t->in, &c);
	rc = apply(t->op, &c, t->a, t->b, t->c);
	ck_assert_msg(rc == t->rc, "%s: rc %d, want %d", t->name, rc, t->rc);
	to_cred(t->rc == 0 ? t->out : t->in, &want);
	ck_assert_msg(same_ids(&c, &want),
	    "%s: %u,%u,%u:%u,%u,%u, want %u,%u,%u:%u,%u,%u", t->name,
	    c.ruid, c.euid, c.suid, c.rgid, c.egid, c.sgid,
	    want.ruid, want.euid, want.suid, want.rgid, want.egid, want.sgid);
}
END_TEST

static const struct {
	const char *name;
	uint32_t euid;
	size_t n;
	int rc;
	int invalid_last;		/* the last group is (gid_t)-1, which Linux refuses */
} groupcases[] = {
	{ "root sets two", 0, 2, 0, 0 },
	{ "root clears", 0, 0, 0, 0 },
	{ "root sets more than it holds inline", 0, EFS_GROUPS_MAX + 1, 0, 0 },
	{ "root sets the most", 0, EFS_NGROUPS_MAX, 0, 0 },
	{ "root sets too many", 0, EFS_NGROUPS_MAX + 1, -EINVAL, 0 },
	{ "unprivileged refused", 1000, 2, -EPERM, 0 },
	{ "unprivileged refused even to clear", 1000, 0, -EPERM, 0 },
	{ "unprivileged, too many: EPERM first", 1000, EFS_NGROUPS_MAX + 1,
	    -EPERM, 0 },
	{ "root sets gid 4294967295", 0, 1, -EINVAL, 1 },
	{ "root sets it among others", 0, 3, -EINVAL, 1 },
	{ "unprivileged sets it: EPERM first", 1000, 1, -EPERM, 1 },
};

START_TEST(test_setgroups)
{
	static uint32_t g[EFS_NGROUPS_MAX + 1];
	struct efs_cred c;
	size_t i;
	int rc;

	for (i = 0; i < EFS_NGROUPS_MAX + 1; i++)
		g[i] = 500 + (uint32_t)i;
	if (groupcases[_i].invalid_last)
		g[groupcases[_i].n - 1] = UINT32_MAX;
	memset(&c, 0, sizeof(c));
	c.ruid = 1000;
	c.euid = c.suid = groupcases[_i].euid;
	c.ngroups = 1;
	c.groups[0] = 9;
	efs_caps_start(&c.caps, EFS_CAP_LAST, c.ruid, c.euid);
	rc = efs_cred_setgroups(&c, groupcases[_i].n, g);
	ck_assert_msg(rc == groupcases[_i].rc, "%s: rc %d",
	    groupcases[_i].name, rc);
	if (rc != 0) {
		ck_assert_uint_eq(c.ngroups, 1);
		ck_assert_uint_eq(c.groups[0], 9);
		return;
	}
	ck_assert_uint_eq(c.ngroups, groupcases[_i].n);
	for (i = 0; i < groupcases[_i].n && i < EFS_GROUPS_MAX; i++)
		ck_assert_uint_eq(c.groups[i], 500 + i);
}
END_TEST

/* ---- group lists as ranges ---- */

static const struct {
	const char *name;
	unsigned n;
	uint32_t g[8];
	const char *enc;
} rangecases[] = {
	{ "none", 0, { 0 }, "" },
	{ "one", 1, { 7 }, "7" },
	{ "a run", 4, { 100, 101, 102, 103 }, "100-103" },
	{ "two apart", 2, { 5, 7 }, "5,7" },
	{ "a pair is a range", 2, { 5, 6 }, "5-6" },
	{ "runs and singles, order kept", 6, { 9, 1, 2, 3, 0, 4294967294u }, "9,1-3,0,4294967294" },
	{ "descending is no run", 3, { 3, 2, 1 }, "3,2,1" },
};

START_TEST(test_groups_ranges)
{
	uint32_t back[8];
	char buf[128];
	unsigned n = 99, i;

	ck_assert_int_eq(efs_groups_encode(rangecases[_i].g, rangecases[_i].n, buf, sizeof buf), 0);
	ck_assert_str_eq(buf, rangecases[_i].enc);
	ck_assert_int_eq(efs_groups_decode(buf, back, 8, &n), 0);
	ck_assert_uint_eq(n, rangecases[_i].n);
	for (i = 0; i < n; i++)
		ck_assert_uint_eq(back[i], rangecases[_i].g[i]);
	if (buf[0] != '\0')
		ck_assert_int_eq(efs_groups_encode(rangecases[_i].g, rangecases[_i].n, buf,
		    strlen(rangecases[_i].enc)), -ENAMETOOLONG);
}
END_TEST

static const char *const bad_ranges[] = {
	",", "1,", ",1", "1,,2", "5-3", "1-", "-1", "x", "1 2", "4294967296", "1-4294967296",
	"0-8",		/* nine groups: more than the decoder's room of eight */
};

START_TEST(test_groups_ranges_bad)
{
	uint32_t back[8];
	unsigned n = 99;

	ck_assert_msg(efs_groups_decode(bad_ranges[_i], back, 8, &n) == -EINVAL, "%s", bad_ranges[_i]);
	ck_assert_uint_eq(n, 99);
}
END_TEST

START_TEST(test_groups_ranges_most)
{
	static uint32_t g[EFS_NGROUPS_MAX], back[EFS_NGROUPS_MAX];
	char buf[64];
	unsigned i, n;

	for (i = 0; i < EFS_NGROUPS_MAX; i++)
		g[i] = 100000 + i;
	ck_assert_int_eq(efs_groups_encode(g, EFS_NGROUPS_MAX, buf, sizeof buf), 0);
	ck_assert_str_eq(buf, "100000-165535");
	ck_assert_int_eq(efs_groups_decode(buf, back, EFS_NGROUPS_MAX, &n), 0);
	ck_assert_uint_eq(n, EFS_NGROUPS_MAX);
	ck_assert_uint_eq(back[EFS_NGROUPS_MAX - 1], 165535);
	ck_assert_int_eq(efs_groups_decode("4294967290-4294967294", back, 8, &n), 0);
	ck_assert_uint_eq(n, 5);
}
END_TEST

/* ---- encoding ---- */

static const struct {
	const char *name;
	struct efs_cred c;
	const char *enc;
} encodes[] = {
	{ "plain", { 1, 2, 3, 4, 5, 6, 2, { 7, 8 }, { 0 } }, "1,2,3:4,5,6:7,8" },
	{ "no groups", { 1000, 1000, 1000, 1000, 1000, 1000, 0, {0}, { 0 } },
	    "1000,1000,1000:1000,1000,1000:" },
	{ "zeros", { 0, 0, 0, 0, 0, 0, 1, { 0 }, { 0 } }, "0,0,0:0,0,0:0" },
	{ "largest ids", { 4294967295u, 4294967294u, 0, 65534, 65534, 65534,
	    1, { 4294967295u }, { 0 } },
	    "4294967295,4294967294,0:65534,65534,65534:4294967295" },
};

START_TEST(test_encode)
{
	char buf[1024];
	struct efs_cred back;
	size_t len = strlen(encodes[_i].enc), n;

	ck_assert_int_eq(efs_cred_encode(&encodes[_i].c, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, encodes[_i].enc);
	ck_assert_int_eq(efs_cred_decode(buf, &back), 0);
	ck_assert_msg(memcmp(&back, &encodes[_i].c, sizeof(back)) == 0,
	    "%s: round trip", encodes[_i].name);
	/* Too small a buffer fails, whatever the size. */
	for (n = 0; n <= len; n++)
		ck_assert_int_eq(efs_cred_encode(&encodes[_i].c, buf, n),
		    -ENAMETOOLONG);
	ck_assert_int_eq(efs_cred_encode(&encodes[_i].c, buf, len + 1), 0);
	ck_assert_str_eq(buf, encodes[_i].enc);
}
END_TEST

START_TEST(test_encode_most_groups)
{
	struct efs_cred c, back;
	char buf[1024];
	unsigned i;

	memset(&c, 0, sizeof(c));
	c.ruid = c.euid = c.suid = 4000000000u;
	c.rgid = c.egid = c.sgid = 4000000001u;
	c.ngroups = EFS_GROUPS_MAX;
	for (i = 0; i < EFS_GROUPS_MAX; i++)
		c.groups[i] = 4000000000u + i;
	ck_assert_int_eq(efs_cred_encode(&c, buf, sizeof(buf)), 0);
	ck_assert_int_eq(efs_cred_decode(buf, &back), 0);
	ck_assert(memcmp(&c, &back, sizeof(c)) == 0);
}
END_TEST

static const char *const bad_encodings[] = {
	"",
	"1,2,3:4,5,6",
	"1,2,3:4,5,6,",
	"1,2:4,5,6:",
	"1,2,3,4:5,6,7:",
	"1,2,3:4,5:6:",
	"1,2,3;4,5,6:",
	"1,2,3:4,5,6:7,",
	"1,2,3:4,5,6:,7",
	"1,2,3:4,5,6:7,,8",
	"1,2,3:4,5,6:7:8",
	"1,2,3:4,5,6::",
	"a,2,3:4,5,6:",
	"-1,2,3:4,5,6:",
	"+1,2,3:4,5,6:",
	" 1,2,3:4,5,6:",
	"1,2,3:4,5,6:7 ",
	"1,2,3:4,5,6:7\n",
	",2,3:4,5,6:",
	"4294967296,0,0:0,0,0:",
	"0,0,0:0,0,0:99999999999999999999",
	"0x1,2,3:4,5,6:",
	"1,2,3:4,5,6:7,x",
};

START_TEST(test_decode_bad)
{
	struct efs_cred c;

	memset(&c, 0x5a, sizeof(c));
	ck_assert_msg(efs_cred_decode(bad_encodings[_i], &c) == -EINVAL,
	    "\"%s\" accepted", bad_encodings[_i]);
	/* A refused string leaves *c alone. */
	ck_assert_uint_eq(c.ruid, 0x5a5a5a5a);
}
END_TEST

START_TEST(test_decode_too_many_groups)
{
	struct efs_cred c;
	char buf[1024];
	size_t pos;
	int i;

	pos = (size_t)snprintf(buf, sizeof(buf), "1,1,1:1,1,1:");
	for (i = 0; i < EFS_GROUPS_MAX + 1; i++)
		pos += (size_t)snprintf(buf + pos, sizeof(buf) - pos, "%s%d",
		    i ? "," : "", i);
	ck_assert_int_eq(efs_cred_decode(buf, &c), -EINVAL);
	ck_assert_int_eq(efs_cred_decode(NULL, &c), -EINVAL);
}
END_TEST

/* ---- groups ---- */

static const struct {
	const char *name;
	uint32_t gid;
	int want;
} ingroup[] = {
	{ "primary", 100, 1 },
	{ "first supplementary", 200, 1 },
	{ "last supplementary", 400, 1 },
	{ "beyond ngroups", 500, 0 },
	{ "stranger", 600, 0 },
	{ "root group", 0, 0 },
};

START_TEST(test_in_group)
{
	struct efs_ident id = { 1, 100, 3, { 200, 300, 400, 500 } };

	ck_assert_msg(efs_ident_in_group(&id, ingroup[_i].gid) ==
	    ingroup[_i].want, "%s", ingroup[_i].name);
}
END_TEST

#define NELEM(a)	((int)(sizeof(a) / sizeof((a)[0])))

Suite *
suite_ident(void)
{
	Suite *s = suite_create("ident");
	TCase *tc;

	tc = tcase_create("server_who");
	tcase_add_loop_test(tc, test_server_who, 0, NELEM(whocases));
	tcase_add_test(tc, test_cred_from_ident);
	suite_add_tcase(s, tc);

	tc = tcase_create("setid");
	tcase_add_loop_test(tc, test_setid, 0, NELEM(setcases));
	tcase_add_loop_test(tc, test_setgroups, 0, NELEM(groupcases));
	tcase_add_loop_test(tc, test_groups_ranges, 0, NELEM(rangecases));
	tcase_add_loop_test(tc, test_groups_ranges_bad, 0, NELEM(bad_ranges));
	tcase_add_test(tc, test_groups_ranges_most);
	suite_add_tcase(s, tc);

	tc = tcase_create("encode");
	tcase_add_loop_test(tc, test_encode, 0, NELEM(encodes));
	tcase_add_test(tc, test_encode_most_groups);
	tcase_add_loop_test(tc, test_decode_bad, 0, NELEM(bad_encodings));
	tcase_add_test(tc, test_decode_too_many_groups);
	suite_add_tcase(s, tc);

	tc = tcase_create("in_group");
	tcase_add_loop_test(tc, test_in_group, 0, NELEM(ingroup));
	suite_add_tcase(s, tc);
	return s;
}
