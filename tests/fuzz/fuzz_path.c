/* SPDX-License-Identifier: MIT */
/*
 * fuzz_path.c: libFuzzer target for the lexical path module: the output of
 * efs_path_join() is normal and idempotent, and efs_path_mount() agrees
 * with a plain prefix test on component boundaries.
 * Input: BASE NUL REL NUL PATH (missing parts are empty).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "path.h"

static struct efs_config cfg;

static void
setup(void)
{
	static const char *mounts[] = { "/mnt/efs", "/shared-storage", "/a/b/c", "/data" };
	size_t i;

	cfg.nmounts = sizeof mounts / sizeof mounts[0];
	for (i = 0; i < sizeof mounts / sizeof mounts[0]; i++) {
		strcpy(cfg.mounts[i].container_path, mounts[i]);
		cfg.mounts[i].ap = -1;
		strcpy(cfg.mounts[i].root_directory, "/");
	}
}

/* The mount a normal path lies in, by prefix on component boundaries. */
static int
naive_mount(const char *p)
{
	int i;
	size_t n;

	for (i = 0; i < cfg.nmounts; i++) {
		n = strlen(cfg.mounts[i].container_path);
		if (strncmp(p, cfg.mounts[i].container_path, n) == 0 &&
		    (p[n] == '\0' || p[n] == '/'))
			return i;
	}
	return -1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char in[3][EFS_PATH_MAX * 2];
	char out[EFS_PATH_MAX], again[EFS_PATH_MAX], base[EFS_PATH_MAX];
	const char *rest;
	size_t k = 0, i;
	int n, m, bl;

	if (cfg.nmounts == 0)
		setup();
	for (i = 0; i < 3; i++) {
		size_t j = 0;

		while (k < size && data[k] != '\0' && j < sizeof in[i] - 1)
			in[i][j++] = (char)data[k++];
		in[i][j] = '\0';
		k++;
	}
	/* A normal base: join "/" and the first part. */
	bl = efs_path_join("/", in[0], base, sizeof base);
	if (bl < 0) {
		strcpy(base, "/");
	} else {
		if (!efs_path_is_normal(base) || (size_t)bl != strlen(base))
			abort();
	}
	n = efs_path_join(base, in[1], out, sizeof out);
	if (n >= 0) {
		if ((size_t)n != strlen(out) || !efs_path_is_normal(out))
			abort();
		/* Idempotent: joining a normal path again changes nothing. */
		if (efs_path_join("/", out, again, sizeof again) != n ||
		    strcmp(again, out) != 0)
			abort();
		if (efs_path_join(base, out, again, sizeof again) != n ||
		    strcmp(again, out) != 0)
			abort();
		m = efs_path_mount(&cfg, out, &rest);
		if (m != naive_mount(out))
			abort();
		if (m >= 0) {
			size_t cl = strlen(cfg.mounts[m].container_path);

			if (rest != out + cl || (rest[0] != '\0' && rest[0] != '/'))
				abort();
			if (!efs_path_may_enter(&cfg, "/", out))
				abort();
		}
	} else if (n != -36) {	/* -ENAMETOOLONG */
		abort();
	}
	/* is_normal on raw text never crashes and agrees with join. */
	if (efs_path_is_normal(in[2])) {
		n = efs_path_join("/", in[2], out, sizeof out);
		if (n >= 0 && strcmp(out, in[2]) != 0)
			abort();
	}
	return 0;
}
