/* SPDX-License-Identifier: MIT */
/*
 * handover.h: everything that crosses execve, in one place.  An efsap
 * process hands its child the caller identity (EFSAP_STATE_CRED, and
 * EFSAP_STATE_GROUPS past EFS_GROUPS_MAX groups) with its capabilities
 * (EFSAP_STATE_CAPS, before execve transforms them), the program's view of
 * its working directory (EFSAP_STATE_CWD), the descriptors under mounts it
 * keeps open (EFSAP_STATE_FDS), the configuration (EFSAP_CONFIG, or the
 * built-in default's directory, EFSAP_STATE_DEFAULT), the log variables
 * and LD_PRELOAD; the efsap tool's `run` builds the first process's.
 *
 * Two halves: handover_fmt.c, pure (the string formats, the LD_PRELOAD
 * list, the PATH search, the sidecar store's name), linked into the
 * library, the tool and the unit tests; handover.c, the library's shell
 * (the child's environment from the live state, and what start-up takes
 * from the inherited one).
 */
#ifndef EFSAP_HANDOVER_H
#define EFSAP_HANDOVER_H

#include <stddef.h>
#include <stdint.h>

#include "efsap.h"
#include "env.h"
#include "ident.h"

#define EFS_LD_PRELOAD		"LD_PRELOAD"
#define EFS_LIBNAME		"libefsap.so"
#define EFS_DEFAULT_PATH	"/bin:/usr/bin"	/* glibc's _CS_PATH, when PATH is unset */

/* ---- pure: handover_fmt.c ---- */

/*
 * The value of name in an environment vector, or NULL.  Start-up reads
 * `environ` with it rather than getenv(), which programs such as bash
 * replace with their own.
 */
const char *efs_env_value(char *const *env, const char *name) EFS_HIDDEN;

/* Does environment entry e define name?  1 or 0. */
int efs_env_is(const char *e, const char *name) EFS_HIDDEN;

/* "NAME=value" (vlen bytes of val) into buf (len bytes): 0 or -E2BIG. */
int efs_env_put(char *buf, size_t len, const char *name, const char *val, size_t vlen) EFS_HIDDEN;

/*
 * Is entry e one that efsap sets for a child, replacing the program's
 * copy: the state, the configuration, and LD_PRELOAD when ld_preload is
 * nonzero (the library knows its own path)?  1 or 0.
 */
int efs_env_is_handed(const char *e, int ld_preload) EFS_HIDDEN;

/*
 * The LD_PRELOAD value for a child into buf (len bytes): self first (by
 * its absolute path: a relative one fails after chdir), then the entries
 * of old (NULL or "" for none; separated by blanks or colons) that are
 * neither self nor another copy of libefsap.so, joined by ':'.
 * 0 or -E2BIG.
 */
int efs_preload_compose(char *buf, size_t len, const char *self, const char *old) EFS_HIDDEN;

/*
 * The LD_PRELOAD value the launcher (efsap run) gives the first process:
 * lib, then old as the user gave it (NULL or "" for none), untouched;
 * the library composes its children's with efs_preload_compose.
 * 0 or -E2BIG.
 */
int efs_preload_prepend(char *buf, size_t len, const char *lib, const char *old) EFS_HIDDEN;

/*
 * EFSAP_STATE_FDS, "FD:MOUNT[:p],...": append one descriptor (opath
 * marks an O_PATH one) to buf (len bytes) whose string is *n bytes long.
 * 0, or -E2BIG (buf then holds what fitted before).
 */
int efs_fds_put(char *buf, size_t len, size_t *n, int fd, int mount, int opath) EFS_HIDDEN;

/*
 * The entry of EFSAP_STATE_FDS at *p: 1 with *fd, *mount and *opath set
 * and *p moved to the next entry (NULL after the last); 0 at the end or
 * at a malformed entry, which ends the list.  The caller checks ranges.
 */
int efs_fds_next(const char **p, long *fd, long *mount, int *opath) EFS_HIDDEN;

/*
 * The built-in default's backing directory is DIR/efs-data: the length
 * of its DIR part in backing (1 for "/", 0 without a '/').
 */
size_t efs_default_dir_len(const char *backing) EFS_HIDDEN;

/*
 * The sidecar store of the canonical backing directory bk:
 * "DIR/.NAME.efsap" beside "DIR/NAME", into buf (len bytes).
 * 0, -EINVAL for a bk without '/', or -ENAMETOOLONG.
 */
int efs_store_name(const char *bk, char *buf, size_t len) EFS_HIDDEN;

/*
 * execvp's PATH search, as glibc does it: a name with a '/' is its own
 * one candidate; otherwise each element of PATH (EFS_DEFAULT_PATH when
 * unset) in turn, an empty element meaning the current directory, an
 * element too long for the buffer skipped.  After a candidate fails with
 * -EACCES, -ENOENT, -ESTALE, -ENOTDIR, -ENODEV or -ETIMEDOUT the search
 * goes on; any other error ends it.  When every candidate failed, the
 * answer is -EACCES if one was refused so, else the last error (-ENOENT
 * for an empty name or when there was no candidate).
 *
 *	efs_search_start(&s, file, path);
 *	while (efs_search_next(&s, buf, sizeof buf))
 *		if ((rc = try(buf)) == 0 || !efs_search_failed(&s, rc))
 *			return rc;
 *	return efs_search_result(&s);
 */
struct efs_search {
	const char *file;
	const char *p;			/* the next PATH element, or NULL */
	int direct;			/* file holds a '/' */
	int done;
	int eacces;			/* a candidate failed with EACCES */
	int rc;				/* the last failure */
};

void efs_search_start(struct efs_search *s, const char *file, const char *path) EFS_HIDDEN;
/* The next candidate into buf (len bytes): 1, or 0 when there is none left. */
int efs_search_next(struct efs_search *s, char *buf, size_t len) EFS_HIDDEN;
/* The candidate failed with rc (-errno): 1 to go on, 0 to stop with rc. */
int efs_search_failed(struct efs_search *s, int rc) EFS_HIDDEN;
/* The search's answer once no candidate is left: -errno. */
int efs_search_result(const struct efs_search *s) EFS_HIDDEN;

/*
 * The loader's variables.  The dynamic loader opens an executable's
 * libraries with its own system calls, so a child's LD_LIBRARY_PATH and
 * LD_PRELOAD name backing paths where the program's name mount paths;
 * the program's own values cross execve in EFSAP_STATE_LDPATH and
 * EFSAP_STATE_PRELOAD, which the child's start-up puts back.
 *
 * Such a state is "NAME=H" then "+VALUE" (the program's value) or "-"
 * (the program had none), H the 16 hex digits of a 64-bit FNV-1a hash of
 * the value efsap set: a child restores only when the variable still
 * holds that value (a program without the library in between may have
 * changed it).  efs_ldstate_put: 0 or -E2BIG.
 */
int efs_ldstate_put(char *buf, size_t len, const char *name, const char *set, const char *orig)
    EFS_HIDDEN;
/*
 * Should the state's variable, now cur (NULL: unset), be put back?  1
 * with *orig the program's value (NULL: unset it), 0 when cur is not the
 * value efsap set or the state is malformed.
 */
int efs_ldstate_take(const char *state, const char *cur, const char **orig) EFS_HIDDEN;

/*
 * Translate one search-path entry (n bytes at e, no NUL) that names a
 * mount into out (len bytes, NUL-terminated): 1, or 0 to keep it as it is
 * (a host path, relative, refused, missing), or -E2BIG.
 */
typedef int (*efs_ld_xlate_fn)(void *ctx, const char *e, size_t n, char *out, size_t len);

#define EFS_LD_NONE	0	/* the executable names no search path */
#define EFS_LD_RPATH	1	/* DT_RPATH (elfdyn.h: EFS_ELF_RPATH) */
#define EFS_LD_RUNPATH	2	/* DT_RUNPATH (EFS_ELF_RUNPATH) */

/*
 * The LD_LIBRARY_PATH the loader gets, into buf (len bytes): the
 * program's llp (NULL or "" for none) with entries translated by xl,
 * its separators (':' or ';') and empty entries kept; and the
 * executable's search path dtpath of kind EFS_LD_RPATH before them or
 * EFS_LD_RUNPATH after them, the whole list (host entries too, so that its
 * own order holds) but only when one of its entries translates, empty
 * entries dropped, $ORIGIN and ${ORIGIN} replaced by origin (the
 * program-view directory of an executable under a mount; NULL leaves
 * them to the loader).  work (wlen bytes) holds an expanded entry.
 * 1 with the value in buf when it differs from llp, 0 when llp stands,
 * -E2BIG.
 */
int efs_ldpath_compose(char *buf, size_t len, const char *llp, int kind, const char *dtpath,
    const char *origin, char *work, size_t wlen, efs_ld_xlate_fn xl, void *ctx) EFS_HIDDEN;

/*
 * LD_PRELOAD (val, entries separated by blanks or colons) with its
 * entries translated by xl, but self, into buf (len bytes), separators
 * kept: 1 when it differs from val, 0 when val stands, -E2BIG.
 */
int efs_preload_translate(char *buf, size_t len, const char *val, const char *self,
    efs_ld_xlate_fn xl, void *ctx) EFS_HIDDEN;

/* ---- the library's shell: handover.c ---- */

struct efs_call;

#define EFS_HANDED_MAX	11	/* entries efs_handover_env adds */
#define EFS_LDPATH_MAX	(2 * EFS_PATH_MAX)	/* the longest LD_LIBRARY_PATH efsap rewrites */

/* efsap's strings for one child's environment: the wrapper's scratch. */
struct efs_envbuf {
	struct efs_cred credv;
	char cred[sizeof EFSAP_ENV_CRED + 1024];
	char caps[sizeof EFSAP_ENV_CAPS + 128];
	char cwd[sizeof EFSAP_ENV_CWD + EFS_VIEW_MAX];
	char config[sizeof EFSAP_ENV_CONFIG + EFS_PATH_MAX];
	char compiled[sizeof EFSAP_ENV_COMPILED + EFS_PATH_MAX];
	char dflt[sizeof EFSAP_ENV_DEFAULT_DIR + EFS_PATH_MAX];
	char preload[sizeof EFS_LD_PRELOAD + 2 * EFS_PATH_MAX];
	char preload_x[sizeof EFS_LD_PRELOAD + 2 * EFS_PATH_MAX];	/* translated */
	char preload_state[sizeof EFSAP_ENV_PRELOAD + 18 + 2 * EFS_PATH_MAX];
	char fds[sizeof EFSAP_ENV_FDS + 1024];
	char *groups;			/* EFSAP_STATE_GROUPS=..., mapped, or NULL */
};

/*
 * The child's environment: the program's env (NULL is empty) without its
 * copies of what efsap hands over, then efsap's entries, built from the
 * live state without waiting (safe in a signal handler and a vfork
 * child); LD_PRELOAD's entries under mounts translated for the loader as
 * the call c may (its state then added).  out holds (entries of env) +
 * EFS_HANDED_MAX + 1 pointers; the strings live in *b (b->groups NULL on
 * entry) until efs_handover_done.  0, -ENOMEM or -E2BIG.
 */
int efs_handover_env(struct efs_call *c, char *const *env, char **out, struct efs_envbuf *b)
    EFS_HIDDEN;

/* What efs_handover_ldpath builds: the wrapper's scratch. */
struct efs_ldbuf {
	char ldpath[sizeof "LD_LIBRARY_PATH" + EFS_LDPATH_MAX];
	char state[sizeof EFSAP_ENV_LDPATH + 18 + EFS_LDPATH_MAX];
	char dt[EFS_PATH_MAX];		/* the executable's DT_RUNPATH or DT_RPATH */
	char work[EFS_PATH_MAX];
	char origin[EFS_VIEW_MAX];
	char win[4096];			/* the ELF reader's window */
};

/*
 * The child's LD_LIBRARY_PATH for the executable the kernel runs (dirfd,
 * path, execveat flags; view its program-view path when it lies under a
 * mount, else NULL), when env's LD_LIBRARY_PATH or the executable's own
 * search path names directories under mounts the call c may search:
 * 1 with "LD_LIBRARY_PATH=..." in b->ldpath and "EFSAP_STATE_LDPATH=..."
 * in b->state, 0 when env's stands as it is.
 */
int efs_handover_ldpath(struct efs_call *c, char *const *env, int dirfd, const char *path,
    int flags, const char *view, struct efs_ldbuf *b) EFS_HIDDEN;

/*
 * Start-up: put back the program's LD_LIBRARY_PATH and LD_PRELOAD that an
 * efsap parent replaced for the loader, and drop their states (setenv).
 */
void efs_handover_restore_ld(void) EFS_HIDDEN;

/* Release what efs_handover_env mapped in b (NULL is fine). */
void efs_handover_done(struct efs_envbuf *b) EFS_HIDDEN;

/*
 * system() and popen() start /bin/sh inside libc with environ: put
 * efsap's entries into environ first (setenv: not async-signal-safe).
 */
void efs_handover_sync_environ(void) EFS_HIDDEN;

/*
 * The descriptors under mounts that survive exec (not close-on-exec), as
 * EFSAP_STATE_FDS's value into buf: 0 or -E2BIG.
 */
int efs_fds_encode(char *buf, size_t len) EFS_HIDDEN;

/*
 * Start-up, the configuration: EFSAP_CONFIG (the user's, or an efsap
 * parent's absolute path), or NULL; the directory in which an efsap
 * ancestor chose the built-in default (EFSAP_STATE_DEFAULT), or NULL.
 */
const char *efs_handover_config(void) EFS_HIDDEN;
/* $EFSAP_CONFIG_COMPILED, or NULL. */
const char *efs_handover_compiled(void) EFS_HIDDEN;
/* Start-up: the compiled form was not used (stale or absent): children do not get it. */
void efs_handover_compiled_dropped(void) EFS_HIDDEN;
const char *efs_handover_default_dir(void) EFS_HIDDEN;
/*
 * Start-up chose the configuration file abs (absolute), or the built-in
 * default in dir: said in environ too, for children that efsap's exec
 * wrappers do not see start (setenv: start-up only).
 */
void efs_handover_config_chosen(const char *abs) EFS_HIDDEN;
void efs_handover_default_chosen(const char *dir) EFS_HIDDEN;
/* EFSAP_LOG and EFSAP_LOG_FILE as this process found them, or NULL. */
void efs_handover_log(const char **level, const char **file) EFS_HIDDEN;

/* Start-up, from the environment an efsap parent left: */
/*
 * the caller identity into efs.cred, with its capabilities as execve
 * leaves them: 0, or -1 when there is none (a first process).
 */
int efs_handover_take_cred(void) EFS_HIDDEN;
/* the working directory's view path, or NULL: init.c checks it names where we stand. */
const char *efs_handover_cwd(void) EFS_HIDDEN;
/* mark the inherited descriptors under mounts. */
void efs_handover_take_fds(void) EFS_HIDDEN;
/*
 * Load time: copy the EFSAP_ variables, which start-up reads later
 * (malloc): 0, or -1 when there is no memory (start-up then reads environ
 * and must run at once).
 */
int efs_handover_snapshot(void) EFS_HIDDEN;
/* Was this process started by an efsap process (the state was handed over)? */
int efs_handover_inherited(void) EFS_HIDDEN;

#endif
