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
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "handover.h"
#include "real.h"
#include "state.h"

extern char **environ;

/* Room for EFSAP_STATE_GROUPS: under the kernel's limit for one string (MAX_ARG_STRLEN). */
#define GROUPS_ROOM	(128 * 1024)
#define NREPLACED	6	/* sync_environ: variables only efsap sets */

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
		munmap(b->groups, GROUPS_ROOM);
		b->groups = NULL;
	}
}

/*
 * efsap's own entries for a child whose program-given environment is env:
 * up to EFS_HANDED_MAX pointers into out (NULL-terminated), strings in *b.
 * 0, -ENOMEM or -E2BIG.
 */
static int
handed(char *const *env, char **out, struct efs_envbuf *b)
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
efs_handover_env(char *const *env, char **out, struct efs_envbuf *b)
{
	size_t i, n = 0;

	for (i = 0; env != NULL && env[i] != NULL; i++)
		if (!efs_env_is_handed(env[i], efs.self[0] != '\0'))
			out[n++] = env[i];
	return handed(env, out + n, b);
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
		EFSAP_ENV_DEFAULT_DIR, EFSAP_ENV_LOG, EFSAP_ENV_LOG_FILE, EFS_LD_PRELOAD
	};
	char *ours[EFS_HANDED_MAX + 1];
	struct efs_envbuf *b;
	size_t i, k;

	/* the wrapper's scratch: released when it leaves */
	if ((b = efs_scratch_alloc(sizeof *b)) == NULL)
		return;
	b->groups = NULL;
	if (handed(environ, ours, b) != 0) {
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
	return efs_env_value(environ, EFSAP_ENV_CONFIG);
}

const char *
efs_handover_default_dir(void)
{
	return efs_env_value(environ, EFSAP_ENV_DEFAULT_DIR);
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
	*level = efs_env_value(environ, EFSAP_ENV_LOG);
	*file = efs_env_value(environ, EFSAP_ENV_LOG_FILE);
}

int
efs_handover_inherited(void)
{
	return efs_env_value(environ, EFSAP_ENV_CRED) != NULL;
}

/*
 * The groups past the first EFS_GROUPS_MAX, from EFSAP_STATE_GROUPS, when
 * they agree with those the identity holds inline.
 */
static void
take_groups(void)
{
	const char *v = efs_env_value(environ, EFSAP_ENV_GROUPS);
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
	const char *cred = efs_env_value(environ, EFSAP_ENV_CRED);

	if (cred == NULL || efs_cred_decode(cred, &efs.cred) != 0)
		return -1;
	take_groups();
	/* a parent that handed no capabilities: as if this one started the task */
	if (efs_caps_decode(efs_env_value(environ, EFSAP_ENV_CAPS), &efs.cred.caps) != 0)
		efs_caps_start(&efs.cred.caps, efs_cap_last(), efs.cred.ruid, efs.cred.euid);
	/* this process began with an execve, which changes them (and the saved ids) */
	efs_cred_exec(&efs.cred);
	return 0;
}

const char *
efs_handover_cwd(void)
{
	return efs_env_value(environ, EFSAP_ENV_CWD);
}

/*
 * Descriptors inherited across exec that lie under a mount: the parent, an
 * efsap process, listed them (efs_fds_encode); a first process inherits
 * none that efsap opened.
 */
void
efs_handover_take_fds(void)
{
	const char *p = efs_env_value(environ, EFSAP_ENV_FDS);
	long fd, k;
	int opath;

	while (efs_fds_next(&p, &fd, &k, &opath))
		if (fd >= 0 && fd < EFS_FDTAB && k >= 0 && k < efs.nmnt)
			efs_fd_mark((int)fd, (int)k, opath);
}
