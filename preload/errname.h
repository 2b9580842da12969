/* SPDX-License-Identifier: MIT */
/*
 * errname.h: the symbolic name of an errno value for the log ("EACCES"),
 * efsap's own table: glibc's strerrorname_np is 2.32's and the library
 * must load under glibc 2.17 and musl.
 */
#ifndef EFSAP_ERRNAME_H
#define EFSAP_ERRNAME_H

/* "EACCES" for EACCES, ...; NULL for a value the table does not hold. */
const char *efs_errname(int e);

#endif
