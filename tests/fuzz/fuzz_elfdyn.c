/* SPDX-License-Identifier: MIT */
/*
 * fuzz_elfdyn.c: libFuzzer target for the ELF search-path parser: any
 * bytes as the file; the parser reads only inside them, and a search path
 * it returns is a NUL-terminated string within the buffer it was given.
 * A second pass through a small buffer must agree or say -E2BIG.
 * Input: the file's bytes.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elfdyn.h"

struct mem {
	const uint8_t *p;
	size_t n;
};

static long
mem_read(void *ctx, uint64_t off, void *buf, size_t n)
{
	struct mem *m = ctx;

	if (off >= m->n)
		return 0;
	if (n > m->n - off)
		n = m->n - (size_t)off;
	memcpy(buf, m->p + off, n);
	return (long)n;
}

static void
fail(const char *what)
{
	fprintf(stderr, "INVARIANT: %s\n", what);
	abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mem m = { data, size };
	char out[256], small[16];
	int rc, rc2;

	rc = efs_elf_search_path(mem_read, &m, out, sizeof out);
	if (rc != EFS_ELF_NONE && rc != EFS_ELF_RPATH && rc != EFS_ELF_RUNPATH &&
	    rc != -ENOEXEC && rc != -E2BIG && rc != -EIO)
		fail("an answer outside the contract");
	if (rc > 0 && memchr(out, '\0', sizeof out) == NULL)
		fail("a search path without its NUL");
	rc2 = efs_elf_search_path(mem_read, &m, small, sizeof small);
	if (rc > 0 && strlen(out) < sizeof small && (rc2 != rc || strcmp(small, out) != 0))
		fail("a small buffer disagrees on a short string");
	if (rc > 0 && strlen(out) >= sizeof small && rc2 != -E2BIG)
		fail("a small buffer does not say -E2BIG for a long string");
	return 0;
}
