/* SPDX-License-Identifier: MIT */
/*
 * conf_dso.c: the one entry of libefsap-conf.so, the configuration parser
 * (config_parse.c, iam_parse.c, with libconfig and Jansson) in a shared
 * object of its own.  libefsap.so loads it with dlopen from its own
 * directory only when it has to parse a file (LD_PRELOAD and EFSAP_CONFIG
 * without a compiled configuration), so that libefsap.so itself needs
 * nothing beyond libc.
 */
#include <string.h>

#include "config.h"
#include "env.h"

/*
 * efs_config_load, for a caller built from the same efsap: version and the
 * sizes of the two structures must be this build's, else -EPROTO (another
 * efsap's libefsap-conf.so beside the library).
 */
EFS_EXPORT int
efsap_conf_load(const char *version, size_t cfg_size, size_t diags_size, const char *file,
    const struct efs_ident *invoker, struct efs_config *cfg, struct efs_diags *d)
{
	if (strcmp(version, EFSAP_VERSION) != 0 || cfg_size != sizeof(*cfg) ||
	    diags_size != sizeof(*d))
		return -EPROTO;
	return efs_config_load(file, invoker, cfg, d);
}
