/* SPDX-License-Identifier: MIT */
/*
 * efsap_tool.h: what the files of the efsap program share.  efsap.c holds
 * main() and the command table, check.c `efsap check`, explain.c its
 * --explain report, run.c `efsap run`, import*.c `efsap import`, image*.c
 * images and `efsap image`.
 */
#ifndef EFSAP_TOOL_H
#define EFSAP_TOOL_H

#include <stdio.h>
#include <sys/types.h>

#include "config.h"

#define EXIT_USAGE	2	/* usage or I/O error */

#ifndef EFSAP_PKGLIBDIR
#define EFSAP_PKGLIBDIR	"/usr/local/lib/efsap"
#endif

/* Print the usage lines to stderr and exit with EXIT_USAGE. */
void usage(void) __attribute__((noreturn));

/* Report a bad option from getopt_long() (opterr is 0) and call usage(). */
void bad_option(int ch, char **argv) __attribute__((noreturn));

/*
 * mkdir -p: path and each missing parent, made with mode (and the umask).
 * 0, or -errno of the first that could not be made.
 */
int tool_mkdir_p(const char *path, mode_t mode);

/* The invoking user: real uid, real gid, supplementary groups. */
void tool_invoker(struct efs_ident *id);

/*
 * Allocate a configuration and a diagnostics list (both large) or exit.
 * Free them with free().
 */
struct efs_config *tool_config_alloc(void);
struct efs_diags *tool_diags_alloc(void);

/*
 * Write the compiled form of cfg (cconf.h), a validated configuration, to
 * a file of the user's own named by its content, and put its absolute
 * path in path_out (len bytes): what EFSAP_CONFIG_COMPILED names.  The
 * library uses it only when its cfg->file equals $EFSAP_CONFIG (or that is
 * unset).  Returns 0, or -errno (-EINVAL: cfg does not pass the check).
 */
int tool_cconf_write(const struct efs_config *cfg, char *path_out, size_t len);

/*
 * The compiled form of cfg in a buffer of its own (*out, to free):
 * its length, or -errno (-ENOMEM, or -EINVAL: cfg does not pass the check).
 */
long tool_cconf_encode(const struct efs_config *cfg, unsigned char **out);

int cmd_check(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_compile(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_image(int argc, char **argv);

/* One line saying what an image has at path (image_cmd.c). */
struct efs_image_entry;
void tool_image_entry_print(const char *path, const struct efs_image_entry *e, FILE *fp);

/*
 * efsap run --image: run COMMAND (argc, argv; none: the image's Cmd) in a
 * container of IMAGE with cfg's mounts, with the library at lib.  Returns
 * the exit status.
 */
int run_image(const char *image, struct efs_config *cfg, const char *log,
    const char *lib, int argc, char **argv);

/*
 * Print the --explain report of every mount of cfg to fp, after looking at
 * the backing store; with img, what the image has at each mount path.  Returns 0, or EXIT_USAGE when the backing store
 * could not be inspected.
 */
struct efs_image;
int tool_explain(const struct efs_config *cfg, const struct efs_image *img, FILE *fp);

/*
 * What img has at path, for a person: "1000:1000 0755, a directory with
 * entries, layer 3 (sha256:0123456789ab): RUN chown agent /shared-storage".
 * 0, or -1 when img is NULL or has nothing there.
 */
int tool_image_note(const struct efs_image *img, const char *path, char *out, size_t len);

/*
 * An image run's task identity: task.user when cfg gives it, else the
 * image's User from its /etc/passwd and /etc/group; and, unless home is
 * NULL, HOME as Docker sets it for that uid (efs_image_user).  0, or -1
 * with a message in err.
 */
int tool_image_task(struct efs_config *cfg, const struct efs_image *img, char *home,
    size_t homelen, char *err, size_t len);

#endif
