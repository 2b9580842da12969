/* SPDX-License-Identifier: MIT */
/*
 * efsap.h: types and limits shared by every module of efsap, pure or not.
 *
 * Conventions: functions of the pure core return 0 or -Exxx; only wrappers
 * set errno.  Internal symbols are efs_<module>_<verb> and hidden.
 */
#ifndef EFSAP_H
#define EFSAP_H

#include <errno.h>
#include <stdint.h>
#include <sys/types.h>

#define EFS_HIDDEN	__attribute__((visibility("hidden")))

#ifndef EFSAP_VERSION
#define EFSAP_VERSION	"unknown"	/* the Makefile gives VERSION's */
#endif
#define EFS_EXPORT	__attribute__((visibility("default")))

/* Built with AddressSanitizer: gcc's macro, or clang's feature test. */
#if defined(__SANITIZE_ADDRESS__)
#define EFS_ASAN	1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define EFS_ASAN	1
#endif
#endif
#ifndef EFS_ASAN
#define EFS_ASAN	0
#endif

/*
 * Append v in base 10 or 16 to buf (len bytes, *pos used), then sep unless
 * it is '\0', and end the string: 0, or -ENAMETOOLONG when it does not
 * fit.  For the short strings that cross execve (ids, capabilities).
 */
static inline int
efs_put_num(char *buf, size_t len, size_t *pos, uint64_t v, unsigned base, char sep)
{
	char tmp[20];
	size_t n = 0;

	do {
		tmp[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v != 0);
	if (len - *pos < n + (sep != '\0') + 1)
		return -ENAMETOOLONG;
	while (n > 0)
		buf[(*pos)++] = tmp[--n];
	if (sep != '\0')
		buf[(*pos)++] = sep;
	buf[*pos] = '\0';
	return 0;
}

/*
 * Does glibc make each *64 function of the large-file interface the same
 * function as the plain one (struct stat64 is struct stat, dirent64 is
 * dirent)?  On LP64 targets, yes; on 32-bit ones the layouts differ.
 */
#if defined(__OFF_T_MATCHES_OFF64_T) && defined(__INO_T_MATCHES_INO64_T)
#define EFS_LFS_ALIASES	1
#else
#define EFS_LFS_ALIASES	0
#endif

/*
 * Does the C library have the *64 functions of the large-file interface
 * as functions of their own?  glibc does; musl has only the plain ones
 * (its headers map the *64 names onto them), and efsap then neither binds
 * nor wraps them.
 */
#if defined(__GLIBC__)
#define EFS_LFS64	1
#else
#define EFS_LFS64	0
#endif

/*
 * What a waiting loop does between two reads of a sequence word: a pause hint
 * where the architecture has one, else just a compiler barrier.
 */
static inline void
efs_cpu_relax(void)
{
#if defined(__i386__) || defined(__x86_64__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ volatile("yield" ::: "memory");
#else
	__asm__ volatile("" ::: "memory");
#endif
}

#define EFS_PATH_MAX	4096	/* PATH_MAX on Linux */
/*
 * The longest program-view path efsap keeps (a working directory, an
 * object reached from it): Linux limits only the string a call passes to
 * PATH_MAX, so a relative path below a deep working directory goes further.
 */
#define EFS_VIEW_MAX	(2 * EFS_PATH_MAX)
#define EFS_NAME_MAX	255	/* EFS: longest name, in bytes */
#define EFS_SYMLINK_MAX	4080	/* EFS: longest symbolic link target */
#define EFS_LINK_MAX	177	/* EFS: most hard links to one file */
#define EFS_NFS_GROUPS	16	/* NFS (AUTH_SYS) carries at most 16 groups */
#define EFS_GROUPS_MAX	64	/* groups a caller identity holds inline (the first ones) */
#define EFS_NGROUPS_MAX	65536	/* most groups a caller may have (Linux's NGROUPS_MAX) */
/*
 * efsap run --image: the directory at the image's root where the library
 * makes new objects, on the image's own file system, before they get
 * their names (made by the launcher, 0700, never listed).
 */
#define EFS_IMAGE_STAGE	".efsap-staging"
/*
 * ... and where it keeps the records of the image's symbolic links, FIFOs
 * and sockets, which no xattr can hold: on the container's own tmpfs, so
 * that they go with it rather than pile up in the EFS store.
 */
#define EFS_IMAGE_RECORDS	"/.efsap/records"

/* A set of POSIX credentials: the caller's, or the server's. */
struct efs_ident {
	uint32_t uid;
	uint32_t gid;
	unsigned ngroups;		/* supplementary groups, <= EFS_GROUPS_MAX */
	uint32_t groups[EFS_GROUPS_MAX];
};

/*
 * The identity the emulated server decides with (SPEC 5.2): the access
 * point's posix_user or the caller's effective ids, after squashing.
 */
struct efs_who {
	struct efs_ident id;		/* at most EFS_NFS_GROUPS groups */
	int root;			/* uid or gid 0, not squashed: bypasses checks */
	int squashed;			/* root was mapped to anon_uid/anon_gid */
};

/* What efsap records for an object: owner, group and st_mode (type bits included). */
struct efs_attr {
	uint32_t uid;
	uint32_t gid;
	uint32_t mode;
};

/* Why an operation was refused, for the log (SPEC 5.7). */
enum efs_why {
	EFS_WHY_NONE = 0,
	EFS_WHY_PERM,			/* POSIX permission bits */
	EFS_WHY_SQUASH,			/* ... and the identity is squashed root */
	EFS_WHY_RO,			/* read-only mount */
	EFS_WHY_NOWRITE,		/* ClientWrite not granted */
	EFS_WHY_CHOWN,			/* chown restricted */
	EFS_WHY_CHMOD,			/* chmod: not the owner */
	EFS_WHY_STICKY,			/* sticky directory */
	EFS_WHY_UNSUPPORTED,		/* not supported by EFS */
	EFS_WHY_LIMIT,			/* an EFS limit */
	EFS_WHY_XDEV			/* across mounts */
};

/* The value of a hexadecimal digit, or -1. */
static inline int
efs_hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

#endif
