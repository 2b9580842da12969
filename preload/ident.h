/* SPDX-License-Identifier: MIT */
/*
 * ident.h: identities, pure: the server identity with root squashing
 * (SPEC 5.2), and the setuid-family rules that change the caller identity.
 */
#ifndef EFSAP_IDENT_H
#define EFSAP_IDENT_H

#include "caps.h"
#include "config.h"

/*
 * The caller identity of a process, as the library emulates it: real,
 * effective and saved ids, and supplementary groups: ngroups of them, up
 * to EFS_NGROUPS_MAX, of which groups holds the first EFS_GROUPS_MAX
 * (the server sees 16 at most: AUTH_SYS); the process keeps the rest;
 * and its capabilities (caps.h), which the setuid family consults and
 * changes as Linux does.
 */
struct efs_cred {
	uint32_t ruid, euid, suid;
	uint32_t rgid, egid, sgid;
	unsigned ngroups;
	uint32_t groups[EFS_GROUPS_MAX];
	struct efs_caps caps;
};

/*
 * A fresh caller identity from a task identity: every uid = id->uid,
 * every gid = id->gid, the capabilities of a first process with that uid
 * (capabilities 0..EFS_CAP_LAST: start-up sets them again for the
 * running kernel's number).
 */
void efs_cred_from_ident(const struct efs_ident *id, struct efs_cred *c);

/*
 * execve of a program that is neither set-id nor carries file
 * capabilities: the saved ids take the effective ones, the capabilities
 * change as efs_caps_exec says.
 */
void efs_cred_exec(struct efs_cred *c);

/*
 * The server identity for mount m: the access point's posix_user when set,
 * else the caller's effective uid, effective gid and first 16 groups; then
 * squashing when root_access is 0: uid 0 -> anon_uid, gid 0 -> anon_gid,
 * group 0 dropped.  A uid or gid of 0 left after that makes who->root 1.
 */
void efs_server_who(const struct efs_config *cfg, const struct efs_mount *m,
    const struct efs_cred *caller, int root_access, struct efs_who *who);

/*
 * The setuid family with POSIX (Linux) rules: a caller with CAP_SETUID
 * effective may take any uid, one with CAP_SETGID any gid; a change of
 * uids changes the capabilities (efs_caps_setuid_fixup).  (uint32_t)-1
 * means "unchanged" where the call allows it.  Each returns 0 and updates
 * *c, or -EPERM (or -EINVAL) and leaves *c alone.
 */
int efs_cred_setuid(struct efs_cred *c, uint32_t uid);
int efs_cred_seteuid(struct efs_cred *c, uint32_t euid);
int efs_cred_setreuid(struct efs_cred *c, uint32_t ruid, uint32_t euid);
int efs_cred_setresuid(struct efs_cred *c, uint32_t ruid, uint32_t euid, uint32_t suid);
int efs_cred_setgid(struct efs_cred *c, uint32_t gid);
int efs_cred_setegid(struct efs_cred *c, uint32_t egid);
int efs_cred_setregid(struct efs_cred *c, uint32_t rgid, uint32_t egid);
int efs_cred_setresgid(struct efs_cred *c, uint32_t rgid, uint32_t egid, uint32_t sgid);
/*
 * setgroups: CAP_SETGID only (-EPERM), n <= EFS_NGROUPS_MAX and no gid
 * 4294967295 (-EINVAL).  Keeps the first EFS_GROUPS_MAX in c.
 */
int efs_cred_setgroups(struct efs_cred *c, size_t n, const uint32_t *groups);

/*
 * A group list as ranges, "100-199,7" (for the environment across exec,
 * where a list of thousands of consecutive groups stays short): 0 or
 * -ENAMETOOLONG.  Decoding fills at most max groups into g, *n of them:
 * 0, or -EINVAL for a malformed string or more than max groups.
 */
int efs_groups_encode(const uint32_t *g, unsigned n, char *buf, size_t len);
int efs_groups_decode(const char *s, uint32_t *g, unsigned max, unsigned *n);

/* Encode *c as a short printable string (for the environment across exec), and back. */
int efs_cred_encode(const struct efs_cred *c, char *buf, size_t len);	/* 0 or -ENAMETOOLONG */
int efs_cred_decode(const char *s, struct efs_cred *c);			/* 0 or -EINVAL */

/* Does the identity hold group gid (primary or supplementary)? */
int efs_ident_in_group(const struct efs_ident *id, uint32_t gid);

#endif
