/* SPDX-License-Identifier: MIT */
/*
 * fuzz_cconf.c: libFuzzer target for the compiled configuration's decoder
 * (cconf.h).  The input is a body; a right header (this build's magic,
 * version, structure size, length and checksum) is put before it, so that
 * the region decoder and the check see every input.  Whatever decodes must
 * pass efs_cconf_check, encode again, and decode from that to the same
 * encoding.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cconf.h"

static struct efs_config a, b, d;
static unsigned char file[EFS_CCONF_MAX], again[EFS_CCONF_MAX], third[EFS_CCONF_MAX];

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char why[200];
	long n, m;

	if (size > EFS_CCONF_MAX - EFS_CCONF_HEADER)
		return 0;
	/* a header from a real encoding of the default, then the body */
	if (efs_config_default("/srv", NULL, &d) != 0 ||
	    efs_cconf_encode(&d, file, sizeof(file)) <= 0)
		abort();
	memcpy(file + EFS_CCONF_HEADER, data, size);
	{
		uint32_t body = (uint32_t)size;
		uint64_t sum = efs_cconf_sum(file + EFS_CCONF_HEADER, size);

		memcpy(file + 16, &body, sizeof(body));
		memcpy(file + 24, &sum, sizeof(sum));
	}
	if (efs_cconf_decode(file, EFS_CCONF_HEADER + size, &a, why, sizeof(why)) != 0)
		return 0;
	if (efs_cconf_check(&a, why, sizeof(why)) != 0) {
		fprintf(stderr, "INVARIANT: decoded but the check says %s\n", why);
		abort();
	}
	if ((n = efs_cconf_encode(&a, again, sizeof(again))) <= 0 ||
	    efs_cconf_decode(again, (size_t)n, &b, why, sizeof(why)) != 0 ||
	    (m = efs_cconf_encode(&b, third, sizeof(third))) != n ||
	    memcmp(again, third, (size_t)n) != 0) {
		fprintf(stderr, "INVARIANT: a decoded configuration does not round-trip\n");
		abort();
	}
	return 0;
}
