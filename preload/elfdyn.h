/* SPDX-License-Identifier: MIT */
/*
 * elfdyn.h: the library search path an ELF executable names for the dynamic
 * loader (DT_RUNPATH, or the older DT_RPATH), read from its dynamic
 * section.  Pure: the bytes come through a reader the caller supplies (a
 * file in the library, a table of crafted bytes in the tests), so the
 * parser makes no system call.  Host byte order only, 32- and 64-bit.
 */
#ifndef EFSAP_ELFDYN_H
#define EFSAP_ELFDYN_H

#include <stddef.h>
#include <stdint.h>

#include "efsap.h"

/*
 * Read n bytes at offset off into buf: the number read (fewer at the end
 * of the file), or -1.
 */
typedef long (*efs_elf_read_fn)(void *ctx, uint64_t off, void *buf, size_t n);

#define EFS_ELF_NONE	0	/* no search path: static, or neither tag */
#define EFS_ELF_RPATH	1	/* DT_RPATH (searched before LD_LIBRARY_PATH) */
#define EFS_ELF_RUNPATH	2	/* DT_RUNPATH (after it; DT_RPATH is then ignored) */

#define EFS_ELF_MAX_PHDRS	256	/* program headers looked at */
#define EFS_ELF_MAX_DYNS	4096	/* dynamic entries looked at */
#define EFS_ELF_MAX_LOADS	16	/* PT_LOAD segments kept to map DT_STRTAB */

/*
 * The search path of the ELF file read through rd: EFS_ELF_RUNPATH when
 * it has DT_RUNPATH (the loader ignores DT_RPATH then), else
 * EFS_ELF_RPATH, with the string (NUL-terminated) in out (len bytes);
 * EFS_ELF_NONE when it has neither or no dynamic section; -ENOEXEC for
 * what is not an ELF executable or shared object of the host's byte order,
 * or whose headers do not hold together; -E2BIG when the string does not
 * fit out; -EIO when rd fails.
 */
int efs_elf_search_path(efs_elf_read_fn rd, void *ctx, char *out, size_t len) EFS_HIDDEN;

#endif
