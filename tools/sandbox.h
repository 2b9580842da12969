/* SPDX-License-Identifier: MIT */
/*
 * sandbox.h: a container for `efsap run --image`, made unprivileged with
 * the kernel's own namespaces (user, mount, pid): the image's root file
 * system under an overlay whose writable layer is a tmpfs thrown away at
 * exit (docker run --rm), /proc, /dev, /sys, /etc/hosts, /etc/resolv.conf
 * and /etc/hostname as a container has them, and efsap's own files under
 * /.efsap.
 */
#ifndef EFSAP_SANDBOX_H
#define EFSAP_SANDBOX_H

#include <stddef.h>

/* Where efsap's files appear inside the container. */
#define EFS_SB_DIR	"/.efsap"
#define EFS_SB_LIB	EFS_SB_DIR "/lib"	/* the directory of libefsap.so */
#define EFS_SB_FS	EFS_SB_DIR "/fs"	/* the directory holding the backing directory */
#define EFS_SB_CCONF	EFS_SB_DIR "/config"	/* the compiled configuration */
#define EFS_SB_LOG	EFS_SB_DIR "/log"	/* EFSAP_LOG_FILE, when one is given */

/* Exit status when the kernel refuses an unprivileged user namespace (EX_UNAVAILABLE). */
#define EFSAP_EXIT_NOUSERNS	69

struct efs_sandbox {
	const char *rootfs;		/* the image's root file system: the overlay's lower layer */
	const char *libdir;		/* host directory holding libefsap.so */
	const char *fsdir;		/* host directory holding the backing directory, or NULL */
	const void *cconf;		/* the compiled configuration, written to EFS_SB_CCONF */
	size_t cconf_len;
	const char *logfile;		/* host EFSAP_LOG_FILE, or NULL */
	const char *const *mkdirs;	/* mount points the container gets (as Docker makes them) */
	const char *workdir;		/* "" or NULL: "/" */
	char *const *argv;		/* the command, looked up with envp's PATH */
	char *const *envp;		/* the container's whole environment */
};

/*
 * Run sb's command in a new container and wait for it.  Returns its exit
 * status (128 + N when signal N ended it), EFSAP_EXIT_NOUSERNS when user
 * namespaces are unavailable, 125 when the container could not be made,
 * 126 or 127 when the command could not be executed; says why on stderr.
 */
int efs_sandbox_run(const struct efs_sandbox *sb);

#endif
