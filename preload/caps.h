/* SPDX-License-Identifier: MIT */
/*
 * caps.h: capabilities of the emulated caller identity, pure: the sets
 * Linux keeps per task (effective, permitted, inheritable, bounding,
 * ambient), the securebits with PR_SET_KEEPCAPS among them, no_new_privs,
 * and the transitions Linux applies to them (capabilities(7)): at
 * execve, when the uids change, at capset and at the capability prctls.
 *
 * Capabilities are numbered 0..last, last being the running kernel's
 * highest (/proc/sys/kernel/cap_last_cap); the shell finds it and passes
 * it in where it matters.  Every function returns 0 (or a result >= 0)
 * and changes *k, or -errno and leaves *k alone.
 */
#ifndef EFSAP_CAPS_H
#define EFSAP_CAPS_H

#include <stddef.h>
#include <stdint.h>

#define EFS_CAP_SETGID		6
#define EFS_CAP_SETUID		7
#define EFS_CAP_SETPCAP		8
#define EFS_CAP_LAST		40	/* CAP_CHECKPOINT_RESTORE: a guess, when the kernel cannot say */
#define EFS_CAP_MAX		63	/* the most these sets hold */

/* The securebits Linux had before 6.14 (linux/securebits.h), each followed by its lock. */
#define EFS_SECBIT_NOROOT		0x01
#define EFS_SECBIT_NO_SETUID_FIXUP	0x04
#define EFS_SECBIT_KEEP_CAPS		0x10
#define EFS_SECBIT_KEEP_CAPS_LOCKED	0x20
#define EFS_SECBIT_NO_CAP_AMBIENT_RAISE	0x40
#define EFS_SECBITS_ALL			0x55
#define EFS_SECBITS_LOCKS		0xaa

struct efs_caps {
	uint64_t eff, prm, inh, bnd, amb;
	uint32_t secbits;		/* EFS_SECBIT_* */
	uint32_t nnp;			/* no_new_privs: 0 or 1 */
};

/* Capabilities 0..last as a set. */
uint64_t efs_caps_all(unsigned last);

/*
 * A first process: the full bounding set of 0..last, nothing else, then
 * the execve transformation for ruid and euid (root gets every
 * capability, anyone else none).
 */
void efs_caps_start(struct efs_caps *k, unsigned last, uint32_t ruid, uint32_t euid);

/*
 * execve of a program that is neither set-id nor carries file
 * capabilities, by a task whose ids are ruid and euid: when either is 0
 * (and SECBIT_NOROOT is clear) permitted becomes bounding | inheritable
 * and, for euid 0, effective = permitted; otherwise both become the
 * ambient set.  KEEP_CAPS is cleared; the rest stays.
 */
void efs_caps_exec(struct efs_caps *k, uint32_t ruid, uint32_t euid);

/*
 * The uids changed from o[3] (real, effective, saved) to n[3] by a
 * setuid-family call: from some 0 to no 0, permitted and effective are
 * cleared (unless KEEP_CAPS) and ambient always; effective is cleared
 * when euid leaves 0 and becomes permitted when it reaches 0.  Nothing
 * with SECBIT_NO_SETUID_FIXUP.
 */
void efs_caps_setuid_fixup(struct efs_caps *k, const uint32_t o[3], const uint32_t n[3]);

/* Is capability cap (0..EFS_CAP_MAX) effective?  1 or 0. */
int efs_caps_has(const struct efs_caps *k, unsigned cap);

/*
 * capset(2) for this task: the new sets (bits past last are dropped, as
 * Linux drops them).  -EPERM unless permitted shrinks, effective lies in
 * the new permitted and inheritable in the old inheritable | bounding and,
 * without CAP_SETPCAP, in the old inheritable | permitted.  Ambient keeps
 * only what stays both permitted and inheritable.
 */
int efs_caps_set(struct efs_caps *k, unsigned last, uint64_t eff, uint64_t prm, uint64_t inh);

/*
 * The capability prctl(2) options on *k, args a2..a5 as the program gave
 * them: PR_CAPBSET_READ, PR_CAPBSET_DROP, PR_CAP_AMBIENT, PR_GET_KEEPCAPS,
 * PR_SET_KEEPCAPS, PR_GET_SECUREBITS, PR_SET_SECUREBITS,
 * PR_GET_NO_NEW_PRIVS, PR_SET_NO_NEW_PRIVS.  1 with *ret set (the result
 * >= 0 or -errno) when option is one of them, 0 for any other option
 * (then *k and *ret are untouched).
 */
int efs_caps_prctl(struct efs_caps *k, unsigned last, int option, unsigned long a2,
    unsigned long a3, unsigned long a4, unsigned long a5, long *ret);

/*
 * capget/capset's header version: 0 with *words the 32-bit words of each
 * set it carries (1 for _LINUX_CAPABILITY_VERSION_1, 2 for versions 2
 * and 3), or -EINVAL for another (the kernel then writes
 * EFS_CAP_VERSION_PREFERRED into the header).
 */
#define EFS_CAP_VERSION_PREFERRED	0x20080522u	/* _LINUX_CAPABILITY_VERSION_3 */
int efs_caps_version(uint32_t version, unsigned *words);

/*
 * The state as a short printable string for the environment across
 * execve ("eff,prm,inh,bnd,amb,secbits,nnp" in hex), and back: 0 or
 * -ENAMETOOLONG; decoding 0, or -EINVAL for a malformed string or sets
 * that Linux could never hold (effective or ambient outside permitted,
 * ambient outside inheritable, unknown securebits).
 */
int efs_caps_encode(const struct efs_caps *k, char *buf, size_t len);
int efs_caps_decode(const char *s, struct efs_caps *k);

#endif
