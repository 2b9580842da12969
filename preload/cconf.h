/* SPDX-License-Identifier: MIT */
/*
 * cconf.h: the compiled configuration (SPEC 5.9), a struct efs_config that
 * `efsap run` validated, in a compact form that the library loads at
 * start-up without libconfig or Jansson.  Pure: bytes in, bytes out.
 *
 * Layout: a header (magic, format version, efsap VERSION, the size of
 * struct efs_config, the length of the body, a checksum of the body), then
 * the body: the live regions of the structure in their order (the scalars
 * before each array, then the array's first COUNT elements, the pool's
 * first pool_used bytes), each as runs of zeros and literal bytes.  The
 * form is for the machine and the efsap build that wrote it: native byte
 * order, this build's structure layout.
 */
#ifndef EFSAP_CCONF_H
#define EFSAP_CCONF_H

#include <stddef.h>

#include "config.h"

#define EFS_CCONF_MAGIC		"efsapcc\n"	/* 8 bytes */
#define EFS_CCONF_FORMAT	1
#define EFS_CCONF_HEADER	48		/* bytes before the body */
#define EFS_CCONF_MAX		(1024 * 1024)	/* no compiled form is longer */

/*
 * Encode cfg into buf (len bytes).  Returns the length written, or
 * -ENOSPC when len is too small (EFS_CCONF_MAX always fits), -EINVAL when
 * cfg itself would not pass efs_cconf_check.
 */
long efs_cconf_encode(const struct efs_config *cfg, void *buf, size_t len);

/*
 * Decode buf (len bytes, the whole file) into *cfg and check it.  Only the
 * live regions of *cfg are written.  Returns 0, or -EINVAL with the
 * reason in why (a short phrase: "bad checksum", "mounts[2].ap: no such
 * access point", ...).  Never reads outside buf and never trusts a count,
 * offset or string before it has checked it.
 */
int efs_cconf_decode(const void *buf, size_t len, struct efs_config *cfg,
    char *why, size_t whylen);

/*
 * Check a decoded configuration: counts within bounds, every string
 * NUL-terminated inside its array, pool offsets and string lists inside
 * pool_used, indices valid, paths absolute and normal.  0, or -EINVAL with
 * the reason in why.
 */
int efs_cconf_check(const struct efs_config *cfg, char *why, size_t whylen);

/* The checksum the header carries (64-bit FNV-1a), exposed for the tests. */
uint64_t efs_cconf_sum(const void *p, size_t n);

#endif
