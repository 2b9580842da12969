/* SPDX-License-Identifier: MIT */
/*
 * sanitize.c: when libefsap is built with AddressSanitizer (the CI's
 * sanitizer job), it is preloaded into programs that were not, after
 * libc: tell ASan not to insist on coming first, and not to report the
 * host programs' own leaks.  Options in ASAN_OPTIONS still win.  Empty in
 * an ordinary build.
 */
#include "efsap.h"

#if EFS_ASAN

EFS_EXPORT const char *__asan_default_options(void);

EFS_EXPORT const char *
__asan_default_options(void)
{
	return "verify_asan_link_order=0:detect_leaks=0";
}
#else
typedef int efs_sanitize_unused;	/* ISO C wants something in a file */
#endif
