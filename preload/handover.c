/* SPDX-License-Identifier: MIT */
/*
 * handover.c: the library's half of handover.h: what a child inherits
 * from this process (its environment, built from the live state at exec
 * or spawn time), and what start-up takes from what an efsap parent left
 * (identity, working directory, descriptors).  The string formats are
 * handover_fmt.c's.
 *
 * The exec family runs from signal handlers and vfork children: building
 * a child's environment takes no lock and no malloc; it reads the
 * identity and the working directory as the seqlock readers do, without
 * waiting, into the wrapper's scratch or a mapping of its own.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "act.h"
#include "elfdyn.h"
#include "handover.h"
#include "perm.h"
#include "real.h"
#include "resolve.h"
#include "state.h"
#include "uaccess.h"
#include "vfork.h"

extern char **environ;

/* Room for EFSAP_STATE_GROUPS: under the kernel's limit for one string (MAX_ARG_STRLEN). */
#define GROUPS_ROOM	(128 * 1024)
#define NREPLACED	7	/* sync_environ: variables only efsap sets */

/*
 * EFSAP_LOG and EFSAP_LOG_FILE as the process found them, to re-add for a
 * child whose environment the program cleared.  Captured once, at load
 * time or at the first exec wrapper (it runs once, before main or outside
 * any vfork child's critical path); written only under capture_once,
 * read-only afterwards.
 */
static pthread_once_t capture_once = PTHREAD_ONCE_INIT;
static char cap_log[sizeof EFSAP_ENV_LOG + 16];
static char cap_logfile[sizeof EFSAP_ENV_LOG_FILE + EFS_PATH_MAX];

static void
capture(void)
{
	const char *v;

	if ((v = efs_env_value(environ, EFSAP_ENV_LOG)) != NULL)
		efs_env_put(cap_log, sizeof cap_log, EFSAP_ENV_LOG, v, strlen(v));
	if ((v = efs_env_value(environ, EFSAP_ENV_LOG_FILE)) != NULL)
		efs_env_put(cap_logfile, sizeof cap_logfile, EFSAP_ENV_LOG_FILE, v, strlen(v));
}

__attribute__((constructor)) static void
capture_at_start(void)
{
	pthread_once(&capture_once, capture);
}

int
efs_fds_encode(char *buf, size_t len)
{
	size_t n = 0;
	int fd;

	buf[0] = '\0';
	for (fd = 0; fd < __atomic_load_n(&efs.fd_hi, __ATOMIC_RELAXED); fd++) {
		int k = efs_fd_mount(fd), fl;

		if (k < 0 || (fl = real.fcntl(fd, F_GETFD)) < 0 || (fl & FD_CLOEXEC))
			continue;
		if (efs_fds_put(buf, len, &n, fd, k, efs_fd_is_opath(fd)) != 0)
			return -E2BIG;
	}
	return 0;
}

/*
 * EFSAP_STATE_GROUPS for a caller with more groups than its identity holds
 * inline: all of them, as ranges, in b->groups (efs_handover_done unmaps
 * it).  0, -ENOMEM, or -E2BIG when the list does not fit one string
 * (thousands of groups that are not consecutive: a limit, README).
 */
static int
groups_var(struct efs_envbuf *b)
{
	size_t room = EFS_NGROUPS_MAX * sizeof(uint32_t), pl = strlen(EFSAP_ENV_GROUPS) + 1;
	uint32_t *all;
	int n, rc;

	all = mmap(NULL, room, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (all == MAP_FAILED)
		return -ENOMEM;
	b->groups = mmap(NULL, GROUPS_ROOM, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
	    -1, 0);
	if (b->groups == MAP_FAILED) {
		b->groups = NULL;
		munmap(all, room);
		return -ENOMEM;
	}
	efs_vfork_mapped(b->groups, GROUPS_ROOM);
	efs_env_put(b->groups, GROUPS_ROOM, EFSAP_ENV_GROUPS, "", 0);
	n = efs_groups_get(all, EFS_NGROUPS_MAX);
	rc = n < 0 ? -E2BIG : efs_groups_encode(all, (unsigned)n, b->groups + pl, GROUPS_ROOM - pl);
	munmap(all, room);
	return rc == 0 ? 0 : -E2BIG;
}

void
efs_handover_done(struct efs_envbuf *b)
{
	if (b != NULL && b->groups != NULL) {
		efs_vfork_unmapped(b->groups);
		munmap(b->groups, GROUPS_ROOM);
		b->groups = NULL;
	}
}

/*
 * The loader's search-path entries under a mount, as the call may reach
 * them: a directory the server identity may search (LD_LIBRARY_PATH,
 * RUNPATH), a file it may read (LD_PRELOAD), given as its backing path.
 * What is refused, missing, relative or holds another loader token ($LIB,
 * $PLATFORM) is kept as it is: the loader fails on it as on EFS.  The
 * directory's files are not judged one by one: the loader opens them
 * itself (a limit, README).
 */
struct ldx {
	struct efs_call *c;
	struct efs_res *r;		/* from the scratch arena, on first need */
	char *path;
	int file;			/* an LD_PRELOAD entry: a file to read */
};

static int
ld_xlate(void *ctx, const char *e, size_t n, char *out, size_t len)
{
	struct ldx *x = ctx;
	struct efs_call sub;
	struct efs_res *r;
	size_t bl;
	int rc;

	if (e[0] != '/' || n >= EFS_PATH_MAX || memchr(e, '$', n) != NULL)
		return 0;
	if (x->path == NULL && (x->path = efs_scratch_path()) == NULL)
		return 0;
	memcpy(x->path, e, n);
	x->path[n] = '\0';
	if (!efs_may_map(AT_FDCWD, x->path))
		return 0;
	if (x->r == NULL && (x->r = efs_res_new()) == NULL)
		return 0;
	r = x->r;
	/* judged as the loader's open, but neither blamed on the exec nor logged */
	sub = *x->c;
	sub.objpath = NULL;
	rc = efs_resolve(&sub, AT_FDCWD, x->path, EFS_R_FOLLOW, r);
	if (rc != 0 || !r->exists)
		return 0;
	if (x->file ? !S_ISREG(r->st.st_mode) || efs_need_access(&sub, r, EFS_MAY_READ) != 0 :
	    !S_ISDIR(r->st.st_mode) || efs_need_access(&sub, r, EFS_MAY_EXEC) != 0)
		return 0;
	if ((bl = strlen(r->babs)) + 1 > len)
		return -E2BIG;
	memcpy(out, r->babs, bl + 1);
	return 1;
}

/*
 * LD_PRELOAD for the loader (b->preload, the program's view, composed):
 * its entries under mounts translated into b->preload_x, with the state
 * that gives the child the program's value back.  Adds one or two
 * pointers at out (b->preload as it is when nothing names a mount or the
 * translation does not fit); returns how many.
 */
static int
preload_for_loader(struct efs_call *c, struct efs_envbuf *b, char **out)
{
	struct ldx x = { c, NULL, NULL, 1 };
	size_t pl = strlen(EFS_LD_PRELOAD) + 1;
	int rc;

	efs_env_put(b->preload_x, sizeof b->preload_x, EFS_LD_PRELOAD, "", 0);
	rc = efs_preload_translate(b->preload_x + pl, sizeof b->preload_x - pl, b->preload + pl,
	    efs.self, ld_xlate, &x);
	if (rc <= 0 || efs_ldstate_put(b->preload_state, sizeof b->preload_state,
	    EFSAP_ENV_PRELOAD, b->preload_x + pl, b->preload + pl) != 0) {
		out[0] = b->preload;	/* nothing under a mount, or too long: as it is */
		return 1;
	}
	out[0] = b->preload_x;
	out[1] = b->preload_state;
	return 2;
}

/*
 * efsap's own entries for a child whose program-given environment is env:
 * up to EFS_HANDED_MAX pointers into out (NULL-terminated), strings
 * in *b; with c, LD_PRELOAD as the loader needs it (without, as the
 * program sees it: system and popen's shell starts with it).
 * 0, -ENOMEM or -E2BIG.
 */
static int
handed(struct efs_call *c, char *const *env, char **out, struct efs_envbuf *b)
{
	size_t n = 0, pl;
	int rc;

	pthread_once(&capture_once, capture);
	/* the caller identity and the working directory: read without waiting */
	efs_cred_get(&b->credv);
	pl = strlen(EFSAP_ENV_CRED) + 1;
	efs_env_put(b->cred, sizeof b->cred, EFSAP_ENV_CRED, "", 0);
	if ((rc = efs_cred_encode(&b->credv, b->cred + pl, sizeof b->cred - pl)) != 0)
		return -E2BIG;
	out[n++] = b->cred;
	/* the capabilities as they stand: the child applies execve's rules */
	pl = strlen(EFSAP_ENV_CAPS) + 1;
	efs_env_put(b->caps, sizeof b->caps, EFSAP_ENV_CAPS, "", 0);
	if (efs_caps_encode(&b->credv.caps, b->caps + pl, sizeof b->caps - pl) != 0)
		return -E2BIG;
	out[n++] = b->caps;
	if (b->credv.ngroups > EFS_GROUPS_MAX) {
		if ((rc = groups_var(b)) != 0)
			return rc;
		out[n++] = b->groups;
	}
	pl = strlen(EFSAP_ENV_CWD) + 1;
	efs_env_put(b->cwd, sizeof b->cwd, EFSAP_ENV_CWD, "", 0);
	if (efs_cwd_get(b->cwd + pl, sizeof b->cwd - pl) >= 0)
		out[n++] = b->cwd;
	/* descriptors under mounts that the child inherits */
	pl = strlen(EFSAP_ENV_FDS) + 1;
	efs_env_put(b->fds, sizeof b->fds, EFSAP_ENV_FDS, "", 0);
	if (efs_fds_encode(b->fds + pl, sizeof b->fds - pl) == 0 && b->fds[pl] != '\0')
		out[n++] = b->fds;
	if (efs.config_abs[0] != '\0') {
		if ((rc = efs_env_put(b->config, sizeof b->config, EFSAP_ENV_CONFIG,
		    efs.config_abs, strlen(efs.config_abs))) != 0)
			return rc;
		out[n++] = b->config;
		if (efs.compiled[0] != '\0') {
			if ((rc = efs_env_put(b->compiled, sizeof b->compiled, EFSAP_ENV_COMPILED,
			    efs.compiled, strlen(efs.compiled))) != 0)
				return rc;
			out[n++] = b->compiled;
		}
	} else {
		/* the built-in default: its backing directory is DIR/efs-data */
		if ((rc = efs_env_put(b->dflt, sizeof b->dflt, EFSAP_ENV_DEFAULT_DIR,
		    efs.cfg.backing, efs_default_dir_len(efs.cfg.backing))) != 0)
			return rc;
		out[n++] = b->dflt;
	}
	if (efs.self[0] != '\0') {
		pl = strlen(EFS_LD_PRELOAD) + 1;
		efs_env_put(b->preload, sizeof b->preload, EFS_LD_PRELOAD, "", 0);
		if ((rc = efs_preload_compose(b->preload + pl, sizeof b->preload - pl, efs.self,
		    efs_env_value(env, EFS_LD_PRELOAD))) != 0)
			return rc;
		if (c != NULL)
			n += (size_t)preload_for_loader(c, b, out + n);
		else
			out[n++] = b->preload;
	}
	if (cap_log[0] != '\0' && efs_env_value(env, EFSAP_ENV_LOG) == NULL)
		out[n++] = cap_log;
	if (cap_logfile[0] != '\0' && efs_env_value(env, EFSAP_ENV_LOG_FILE) == NULL)
		out[n++] = cap_logfile;
	out[n] = NULL;
	return 0;
}

int
efs_handover_env(struct efs_call *c, char *const *env, char **out, struct efs_envbuf *b)
{
	size_t i, n = 0;

	for (i = 0; env != NULL && env[i] != NULL; i++)
		if (!efs_env_is_handed(env[i], efs.self[0] != '\0'))
			out[n++] = env[i];
	return handed(c, env, out + n, b);
}

/*
 * The ELF reader over a file: one window of the file, refilled when a
 * read falls outside it (the headers, the dynamic section and the string
 * table take one pread each in a usual executable).
 */
struct elfwin {
	int fd;
	char *win;
	uint64_t woff;
	size_t wlen;
};

static long
elf_read(void *ctx, uint64_t off, void *buf, size_t n)
{
	struct elfwin *w = ctx;
	ssize_t got;

	if (n > sizeof ((struct efs_ldbuf *)0)->win || off > (uint64_t)INT64_MAX)
		return -1;
	if (off < w->woff || off + n > w->woff + w->wlen) {
		do
			got = pread(w->fd, w->win, sizeof ((struct efs_ldbuf *)0)->win, (off_t)off);
		while (got < 0 && errno == EINTR);
		if (got < 0)
			return -1;
		w->woff = off;
		w->wlen = (size_t)got;
	}
	if (off - w->woff >= w->wlen)
		return 0;
	if (n > w->wlen - (off - w->woff))
		n = w->wlen - (off - w->woff);
	memcpy(buf, w->win + (off - w->woff), n);
	return (long)n;
}

/* The executable's DT_RUNPATH or DT_RPATH into b->dt: EFS_LD_*. */
static int
exe_search_path(int dirfd, const char *path, int flags, struct efs_ldbuf *b)
{
	struct elfwin w = { -1, b->win, 0, 0 };
	int rc, saved = errno;

	if (efs_ustr(path, EFS_PATH_MAX) != 0)
		return EFS_LD_NONE;	/* the kernel answers EFAULT or ENAMETOOLONG */
	if (path[0] == '\0' && (flags & AT_EMPTY_PATH))
		w.fd = dirfd;		/* fexecve: read the descriptor (not an O_PATH one) */
	else if ((w.fd = real.openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK |
	    ((flags & AT_SYMLINK_NOFOLLOW) ? O_NOFOLLOW : 0))) < 0) {
		errno = saved;
		return EFS_LD_NONE;	/* not readable: the loader's own path search only */
	}
	rc = efs_elf_search_path(elf_read, &w, b->dt, sizeof b->dt);
	if (w.fd != dirfd)
		real.close(w.fd);
	errno = saved;
	return rc == EFS_ELF_RUNPATH ? EFS_LD_RUNPATH : rc == EFS_ELF_RPATH ? EFS_LD_RPATH :
	    EFS_LD_NONE;
}

int
efs_handover_ldpath(struct efs_call *c, char *const *env, int dirfd, const char *path,
    int flags, const char *view, struct efs_ldbuf *b)
{
	struct ldx x = { c, NULL, NULL, 0 };
	const char *llp = efs_env_value(env, "LD_LIBRARY_PATH"), *origin = NULL;
	size_t pl = strlen("LD_LIBRARY_PATH") + 1;
	char *slash;
	int kind, rc;

	if (efs.nmnt == 0)
		return 0;
	kind = exe_search_path(dirfd, path, flags, b);
	if (kind != EFS_LD_NONE && view != NULL && view[0] == '/' &&
	    strlen(view) < sizeof b->origin) {
		/* $ORIGIN: the executable's directory as the program sees it */
		strcpy(b->origin, view);
		slash = strrchr(b->origin, '/');
		slash[slash == b->origin ? 1 : 0] = '\0';
		origin = b->origin;
	}
	efs_env_put(b->ldpath, sizeof b->ldpath, "LD_LIBRARY_PATH", "", 0);
	rc = efs_ldpath_compose(b->ldpath + pl, sizeof b->ldpath - pl, llp, kind, b->dt, origin,
	    b->work, sizeof b->work, ld_xlate, &x);
	if (rc <= 0)
		return 0;	/* nothing under a mount, or too long: as it is */
	if (efs_ldstate_put(b->state, sizeof b->state, EFSAP_ENV_LDPATH, b->ldpath + pl, llp) != 0)
		return 0;
	return 1;
}

/*
 * The EFSAP_ variables as the process began.  Start-up may run after the
 * program's first instructions (a child sets up at its first call:
 * init.c), when the program may have changed or cleared its environment,
 * or written over the strings themselves to set its title (setproctitle,
 * PostgreSQL, nginx).  efs_handover_snapshot copies them at load time;
 * start-up reads them here.  Written once, before any reader.
 */
static char **start_env;
static char start_room[1024] __attribute__((aligned(sizeof(char *))));

int
efs_handover_snapshot(void)
{
	size_t n = 0, len = 0, i = 0;
	char **e, **v, *p;

	if (start_env != NULL)
		return 0;
	for (e = environ; e != NULL && *e != NULL; e++)
		if (strncmp(*e, "EFSAP_", 6) == 0) {
			n++;
			len += strlen(*e) + 1;
		}
	/* usually a few hundred bytes: malloc would set up the heap in every process */
	if ((n + 1) * sizeof *v + len <= sizeof start_room)
		v = (char **)start_room;
	else if ((v = malloc((n + 1) * sizeof *v + len)) == NULL)
		return -1;
	p = (char *)(v + n + 1);
	for (e = environ; e != NULL && *e != NULL && i < n; e++)
		if (strncmp(*e, "EFSAP_", 6) == 0) {
			size_t l = strlen(*e) + 1;

			memcpy(p, *e, l);
			v[i++] = p;
			p += l;
		}
	v[i] = NULL;
	start_env = v;
	return 0;
}

/* A variable as the process began (environ before the snapshot). */
static const char *
start_value(const char *name)
{
	return efs_env_value(start_env != NULL ? start_env : environ, name);
}

/* One variable and its state (start-up: setenv). */
static void
restore_one(const char *name, const char *state_name)
{
	const char *state = efs_env_value(environ, state_name), *orig;

	if (state == NULL)
		return;
	if (efs_ldstate_take(state, efs_env_value(environ, name), &orig)) {
		if (orig != NULL)
			setenv(name, orig, 1);
		else
			unsetenv(name);
	}
	unsetenv(state_name);
}

void
efs_handover_restore_ld(void)
{
	restore_one("LD_LIBRARY_PATH", EFSAP_ENV_LDPATH);
	restore_one(EFS_LD_PRELOAD, EFSAP_ENV_PRELOAD);
}

/*
 * setenv allocates and is not safe against a concurrent getenv in another
 * thread; system and popen already fork a shell, and glibc's own system
 * is documented as not thread-safe with respect to environ changes, so
 * this is accepted here.  Only changed values are set: glibc never frees
 * replaced strings.
 */
void
efs_handover_sync_environ(void)
{
	/* the first NREPLACED are efsap's alone; the others are the program's when set */
	static const char *const names[] = {
		EFSAP_ENV_CRED, EFSAP_ENV_CAPS, EFSAP_ENV_GROUPS, EFSAP_ENV_CWD, EFSAP_ENV_CONFIG,
		EFSAP_ENV_DEFAULT_DIR, EFSAP_ENV_COMPILED, EFSAP_ENV_LOG, EFSAP_ENV_LOG_FILE,
		EFS_LD_PRELOAD
	};
	char *ours[EFS_HANDED_MAX + 1];
	struct efs_envbuf *b;
	size_t i, k;

	/* the wrapper's scratch: released when it leaves */
	if ((b = efs_scratch_alloc(sizeof *b)) == NULL)
		return;
	b->groups = NULL;
	if (handed(NULL, environ, ours, b) != 0) {
		efs_handover_done(b);
		return;
	}
	for (k = 0; k < sizeof names / sizeof names[0]; k++) {
		const char *have = efs_env_value(environ, names[k]), *want = NULL;

		for (i = 0; ours[i] != NULL; i++)
			if (efs_env_is(ours[i], names[k]))
				want = ours[i] + strlen(names[k]) + 1;
		if (want != NULL && (have == NULL || strcmp(have, want) != 0))
			setenv(names[k], want, 1);
		else if (want == NULL && have != NULL && k < NREPLACED)
			unsetenv(names[k]);	/* a stale copy: cwd left the mounts */
	}
	efs_handover_done(b);
}

const char *
efs_handover_config(void)
{
	return start_value(EFSAP_ENV_CONFIG);
}

const char *
efs_handover_compiled(void)
{
	return start_value(EFSAP_ENV_COMPILED);
}

void
efs_handover_compiled_dropped(void)
{
	unsetenv(EFSAP_ENV_COMPILED);
}

const char *
efs_handover_default_dir(void)
{
	return start_value(EFSAP_ENV_DEFAULT_DIR);
}

void
efs_handover_config_chosen(const char *abs)
{
	setenv(EFSAP_ENV_CONFIG, abs, 1);
}

void
efs_handover_default_chosen(const char *dir)
{
	setenv(EFSAP_ENV_DEFAULT_DIR, dir, 1);
}

void
efs_handover_log(const char **level, const char **file)
{
	*level = start_value(EFSAP_ENV_LOG);
	*file = start_value(EFSAP_ENV_LOG_FILE);
}

int
efs_handover_inherited(void)
{
	return start_value(EFSAP_ENV_CRED) != NULL;
}

/*
 * The groups past the first EFS_GROUPS_MAX, from EFSAP_STATE_GROUPS, when
 * they agree with those the identity holds inline.
 */
static void
take_groups(void)
{
	const char *v = start_value(EFSAP_ENV_GROUPS);
	uint32_t *room;
	unsigned n;

	if (v == NULL || efs.cred.ngroups != EFS_GROUPS_MAX || (room = efs_groups_room()) == NULL)
		return;
	if (efs_groups_decode(v, room, EFS_NGROUPS_MAX, &n) == 0 && n > EFS_GROUPS_MAX &&
	    memcmp(room, efs.cred.groups, sizeof efs.cred.groups) == 0)
		efs.cred.ngroups = n;
}

int
efs_handover_take_cred(void)
{
	const char *cred = start_value(EFSAP_ENV_CRED);

	if (cred == NULL || efs_cred_decode(cred, &efs.cred) != 0)
		return -1;
	take_groups();
	/* a parent that handed no capabilities: as if this one started the task */
	if (efs_caps_decode(start_value(EFSAP_ENV_CAPS), &efs.cred.caps) != 0)
		efs_caps_start(&efs.cred.caps, efs_cap_last(), efs.cred.ruid, efs.cred.euid);
	/* this process began with an execve, which changes them (and the saved ids) */
	efs_cred_exec(&efs.cred);
	return 0;
}

const char *
efs_handover_cwd(void)
{
	return start_value(EFSAP_ENV_CWD);
}

/*
 * Descriptors inherited across exec that lie under a mount: the parent, an
 * efsap process, listed them (efs_fds_encode); a first process inherits
 * none that efsap opened.
 */
void
efs_handover_take_fds(void)
{
	const char *p = start_value(EFSAP_ENV_FDS);
	long fd, k;
	int opath;

	while (efs_fds_next(&p, &fd, &k, &opath))
		if (fd >= 0 && fd < EFS_FDTAB && k >= 0 && k < efs_mnt_all())
			efs_fd_mark((int)fd, (int)k, opath);
}
