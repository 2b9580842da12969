/* SPDX-License-Identifier: MIT */
/*
 * fuzz_config.c: libFuzzer target for the configuration loader.  The input
 * is written to a temporary FILE.conf, loaded with efs_config_load() and its
 * diagnostics printed to /dev/null: no crash, no leak, and the loader's
 * contract (a valid file has no errors; an invalid one has at least one).
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"

static struct efs_config cfg;
static struct efs_diags diags;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char path[64];
	static int devnull = -1;
	struct efs_ident inv = { .uid = 1000, .gid = 1000, .ngroups = 1, .groups = { 1000 } };
	int fd, rc;

	if (path[0] == '\0') {
		snprintf(path, sizeof path, "/tmp/efsap-fuzz-%ld.conf", (long)getpid());
		devnull = open("/dev/null", O_WRONLY);
	}
	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600)) < 0)
		abort();
	if (size > 0 && write(fd, data, size) != (ssize_t)size)
		abort();
	close(fd);
	memset(&diags, 0, sizeof diags);
	rc = efs_config_load(path, &inv, &cfg, &diags);
	efs_diags_print(&diags, devnull);
	unlink(path);
	if (rc == 0 && diags.nerrors != 0)
		abort();
	if (rc == -22 && diags.nerrors == 0 && diags.dropped == 0)
		abort();
	return 0;
}
