/* SPDX-License-Identifier: MIT */
/*
 * fuzz_iam.c: libFuzzer target for IAM policy JSON (iam.c) and its
 * evaluation (policy.c).  The first byte picks a file system or a role
 * policy and the shape of the mount; the rest is the document.  A parsed
 * policy is decided for the three actions: no crash, no leak, the pool
 * and the condition table never overflow, and a parse either gives
 * statements or reports an error.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "iam.h"
#include "policy.h"

static struct efs_config cfg;
static int nerrors;

static void
count(void *arg, int warning, int line, int column, const char *msg)
{
	if (!warning)
		nerrors++;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct efs_decision d;
	struct efs_mount *m = &cfg.mounts[0];
	unsigned flags;
	int role, n, rc, i;

	if (size < 1)
		return 0;
	flags = data[0];
	role = flags & 1;
	memset(&cfg, 0, sizeof(cfg));
	cfg.pool_used = 1;
	strcpy(cfg.fs_id, "fs-1");
	if (flags & 2) {
		strcpy(cfg.account, "111122223333");
		strcpy(cfg.region, "eu-west-1");
	}
	if (flags & 4)
		strcpy(cfg.role_arn, "arn:aws:iam::111122223333:role/app");
	cfg.naps = 1;
	strcpy(cfg.aps[0].id, "fsap-a");
	strcpy(cfg.aps[0].root, "/");
	cfg.nmounts = 1;
	strcpy(m->container_path, "/m");
	strcpy(m->root_directory, "/");
	m->ap = flags & 8 ? 0 : -1;
	m->iam = (flags & 16) != 0;
	m->transit_encryption = (flags & 32) != 0;
	nerrors = 0;
	n = efs_iam_parse(&cfg, (const char *)data + 1, size - 1, role, 1,
	    role ? cfg.role : cfg.policy, count, NULL);
	if (cfg.pool_used > sizeof(cfg.pool) || cfg.nconds > EFS_MAX_CONDS)
		abort();
	if ((n < 0) != (nerrors > 0) || n > EFS_MAX_STMTS)
		abort();
	if (n <= 0)
		return 0;
	if (role) {
		cfg.has_role_policy = 1;
		cfg.nrole = n;
	} else {
		cfg.has_policy = 1;
		cfg.npolicy = n;
	}
	for (i = 0; i < 3; i++) {
		char buf[512];

		rc = efs_policy_decide(&cfg, m, 1u << i, &d);
		if (rc != d.allowed)
			abort();
		efs_decision_describe(&d, buf, sizeof(buf));
	}
	return 0;
}
