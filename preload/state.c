/* SPDX-License-Identifier: MIT */
/*
 * state.c: the library's state at run time: the caller identity and the
 * working directory (a seqlock: writers under efs.lock, readers that never
 * wait), the descriptor table, efsap's own descriptors, the umask, and
 * fork.  Start-up, which fills what stays fixed afterwards, is init.c.
 */
#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

#include "attr.h"
#include "env.h"
#include "owner.h"
#include "path.h"
#include "publish.h"
#include "real.h"
#include "resolve.h"
#include "state.h"
#include "store.h"
#include "thread.h"
#include "uaccess.h"
#include "vfork.h"

/* Zero-initialised (bss), so that a process start touches only what it uses. */
struct efs_state efs;
__thread int efs_guard __attribute__((tls_model("initial-exec")));


/*
 * Move fd out of the way of the program's low descriptors (a shell's
 * redirections use 0-9, and some programs assume the next open returns
 * the lowest free number), close-on-exec; the same fd when it cannot.
 */
int
efs_fd_high(int fd)
{
	int hi = real.fcntl(fd, F_DUPFD_CLOEXEC, EFS_OWN_FD_MIN);

	if (hi < 0)
		return fd;
	real.close(fd);
	return hi;
}

int
efs_open_high(const char *path, int flags, mode_t mode)
{
	int fd = real.open(path, flags | O_CLOEXEC, mode);

	return fd < 0 ? -errno : efs_fd_high(fd);
}

static void
atfork_prepare(void)
{
	pthread_mutex_lock(&efs.lock);
}

static void
atfork_parent(void)
{
	pthread_mutex_unlock(&efs.lock);
}

static void
atfork_child(void)
{
	pthread_mutex_init(&efs.lock, NULL);
	efs_store_atfork_child();
	efs_vfork_atfork_child();
	/* a fork child lacks its parent's MADV_DONTFORK ranges: prove pages anew */
	efs_umem_changed();
	/* the log descriptor is shared with the parent: appends interleave by line */
}

void
efs_state_start(void)
{
	pthread_mutex_init(&efs.lock, NULL);
	pthread_atfork(atfork_prepare, atfork_parent, atfork_child);
}

static void
fd_put(int fd, unsigned char v)
{
	int hi;

	if (fd < 0 || fd >= EFS_FDTAB)
		return;
	if (v != 0) {
		hi = __atomic_load_n(&efs.fd_hi, __ATOMIC_RELAXED);
		while (fd >= hi && !__atomic_compare_exchange_n(&efs.fd_hi, &hi, fd + 1, 0,
		    __ATOMIC_RELAXED, __ATOMIC_RELAXED))
			;
	}
	if (__atomic_exchange_n(&efs.fdmount[fd], v, __ATOMIC_RELAXED) != 0)
		__atomic_add_fetch(&efs.fdgen[fd], 1, __ATOMIC_RELEASE);
}

void
efs_fd_mark(int fd, int mount, int opath)
{
	fd_put(fd, mount < 0 ? 0 : (unsigned char)((mount + 1) | (opath ? EFS_FD_OPATH : 0)));
}

int
efs_fd_host(int fd, const char *host)
{
	if (fd < 0 || fd >= EFS_FDTAB)
		return fd;
	if (efs_host_anc(host))
		fd_put(fd, EFS_FD_HOSTANC);
	else if (efs_fd_bits(fd) != 0)
		fd_put(fd, 0);
	return fd;
}

void
efs_fd_watch_setid(int fd, int on)
{
	if (fd < 0 || fd >= EFS_FDTAB)
		return;
	if (on)
		__atomic_or_fetch(&efs.fdmount[fd], EFS_FD_SETID, __ATOMIC_RELAXED);
	else
		__atomic_and_fetch(&efs.fdmount[fd], (unsigned char)~EFS_FD_SETID, __ATOMIC_RELAXED);
}

void
efs_fd_copy(int oldfd, int newfd)
{
	unsigned char v = oldfd >= 0 && oldfd < EFS_FDTAB ? efs_fd_bits(oldfd) : 0;

	if (v != 0 || efs_fd_bits(newfd) != 0)
		fd_put(newfd, v);
}

void
efs_own_fds_gone(unsigned int first, unsigned int last)
{
	int fd, k;

	efs_store_fds_gone(first, last);
	if (last >= (unsigned int)__atomic_load_n(&efs.pin_lo, __ATOMIC_ACQUIRE))
		__atomic_add_fetch(&efs.pin_epoch, 1, __ATOMIC_RELEASE);	/* pins: forget */
	fd = __atomic_load_n(&efs.log_fd, __ATOMIC_RELAXED);
	if (fd > 2 && (unsigned int)fd >= first && (unsigned int)fd <= last)
		__atomic_compare_exchange_n(&efs.log_fd, &fd, 2, 0, __ATOMIC_ACQ_REL,
		    __ATOMIC_RELAXED);
	for (k = 0; k < efs_mnt_all(); k++) {
		fd = __atomic_load_n(&efs.mnt[k].rootfd, __ATOMIC_RELAXED);
		if (fd >= 0 && (unsigned int)fd >= first && (unsigned int)fd <= last)
			__atomic_compare_exchange_n(&efs.mnt[k].rootfd, &fd, -1, 0,
			    __ATOMIC_ACQ_REL, __ATOMIC_RELAXED);
		fd = __atomic_load_n(&efs.mnt[k].stagefd, __ATOMIC_RELAXED);
		if (efs.mnt[k].image && fd >= 0 && (unsigned int)fd >= first &&
		    (unsigned int)fd <= last)
			__atomic_compare_exchange_n(&efs.mnt[k].stagefd, &fd, -1, 0,
			    __ATOMIC_ACQ_REL, __ATOMIC_RELAXED);
	}
}

void
efs_write_begin(sigset_t *saved)
{
	sigset_t all;

	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, saved);
	pthread_mutex_lock(&efs.lock);
	__atomic_store_n(&efs.seq, efs.seq + 1, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_RELEASE);
}

void
efs_write_end(const sigset_t *saved)
{
	__atomic_store_n(&efs.seq, efs.seq + 1, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&efs.lock);
	pthread_sigmask(SIG_SETMASK, saved, NULL);
}

/* Seqlock reads: the sequence before a copy, and whether the copy held. */
static unsigned
read_begin(void)
{
	unsigned s;

	while ((s = __atomic_load_n(&efs.seq, __ATOMIC_ACQUIRE)) & 1)
		efs_cpu_relax();
	return s;
}

static int
read_retry(unsigned s)
{
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	return __atomic_load_n(&efs.seq, __ATOMIC_RELAXED) != s;
}

void
efs_cred_get(struct efs_cred *c)
{
	unsigned s;

	do {
		s = read_begin();
		*c = efs.cred;
	} while (read_retry(s));
}

void
efs_who_get(const struct efs_mnt *mt, struct efs_who *out)
{
	unsigned s;

	do {
		s = read_begin();
		*out = mt->who;
	} while (read_retry(s));
}

uint32_t
efs_cred_id(enum efs_cred_id which)
{
	unsigned s;
	uint32_t v;

	do {
		s = read_begin();
		switch (which) {
		case EFS_RUID:
			v = efs.cred.ruid;
			break;
		case EFS_EUID:
			v = efs.cred.euid;
			break;
		case EFS_SUID:
			v = efs.cred.suid;
			break;
		case EFS_RGID:
			v = efs.cred.rgid;
			break;
		case EFS_EGID:
			v = efs.cred.egid;
			break;
		default:
			v = efs.cred.sgid;
			break;
		}
	} while (read_retry(s));
	return v;
}

int
efs_cwd_get(char *buf, size_t len)
{
	unsigned s;
	size_t n;
	int k;

	do {
		s = read_begin();
		n = strnlen(efs.cwd, sizeof efs.cwd - 1);
		k = efs.cwd_mount;
		if (n < len)
			memcpy(buf, efs.cwd, n);
	} while (read_retry(s));
	if (n >= len) {
		buf[0] = '\0';
		return EFS_CWD_TOO_LONG;
	}
	buf[n] = '\0';
	return k;
}

/* With efs.lock held: publish c as the caller identity, with each mount's server identity. */
static void
cred_store(const struct efs_cred *c)
{
	int k;

	efs.cred = *c;
	for (k = 0; k < efs_mnt_all(); k++)
		efs_server_who(&efs.cfg, efs.mnt[k].m, c, efs.mnt[k].root_access,
		    &efs.mnt[k].who);
}

long
efs_cred_update(long (*fn)(struct efs_cred *c, void *arg), void *arg)
{
	struct efs_cred c;
	sigset_t saved;
	long rc;

	efs_write_begin(&saved);
	c = efs.cred;
	rc = fn(&c, arg);
	if (rc >= 0 && memcmp(&c, &efs.cred, sizeof c) != 0)
		cred_store(&c);
	efs_write_end(&saved);
	return rc;
}

uint32_t *
efs_groups_room(void)
{
	uint32_t *g = __atomic_load_n(&efs.groups_all, __ATOMIC_ACQUIRE), *none = NULL;

	if (g != NULL)
		return g;
	g = mmap(NULL, EFS_NGROUPS_MAX * sizeof *g, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (g == MAP_FAILED)
		return NULL;
	if (!__atomic_compare_exchange_n(&efs.groups_all, &none, g, 0, __ATOMIC_ACQ_REL,
	    __ATOMIC_ACQUIRE)) {
		munmap(g, EFS_NGROUPS_MAX * sizeof *g);
		return none;
	}
	return g;
}

int
efs_cred_update_groups(size_t n, const uint32_t *all)
{
	struct efs_cred c;
	sigset_t saved;
	uint32_t *room = NULL;
	int rc;

	if (n > EFS_GROUPS_MAX && (room = efs_groups_room()) == NULL)
		return -ENOMEM;
	efs_write_begin(&saved);
	c = efs.cred;
	if ((rc = efs_cred_setgroups(&c, n, all)) == 0) {
		if (room != NULL)
			memcpy(room, all, c.ngroups * sizeof *room);
		cred_store(&c);
	}
	efs_write_end(&saved);
	return rc;
}

int
efs_groups_get(uint32_t *out, unsigned max)
{
	unsigned s, n;

	do {
		s = read_begin();
		n = efs.cred.ngroups;
		if (n <= max)
			memcpy(out, n > EFS_GROUPS_MAX ? efs.groups_all : efs.cred.groups,
			    n * sizeof *out);
	} while (read_retry(s));
	return n <= max ? (int)n : -EINVAL;
}

struct efs_res *
efs_res_new(void)
{
	return efs_scratch_alloc(sizeof(struct efs_res));
}

unsigned
efs_cap_last(void)
{
	static int last = -1;	/* atomic: stored once found, load relaxed */
	int v = __atomic_load_n(&last, __ATOMIC_RELAXED), e = errno;
	unsigned lo = 0, hi = EFS_CAP_MAX + 1, mid;

	if (v >= 0)
		return (unsigned)v;
	/* PR_CAPBSET_READ answers EINVAL past the last: two calls, or a bisection */
	if (real.prctl == NULL || real.prctl(PR_CAPBSET_READ, 0UL, 0UL, 0UL, 0UL) < 0) {
		v = EFS_CAP_LAST;
	} else {
		if (real.prctl(PR_CAPBSET_READ, (unsigned long)EFS_CAP_LAST, 0UL, 0UL, 0UL) >= 0) {
			lo = EFS_CAP_LAST;
			if (real.prctl(PR_CAPBSET_READ, (unsigned long)EFS_CAP_LAST + 1, 0UL, 0UL,
			    0UL) < 0)
				hi = EFS_CAP_LAST + 1;
		} else {
			hi = EFS_CAP_LAST;
		}
		while (hi - lo > 1) {
			mid = lo + (hi - lo) / 2;
			if (real.prctl(PR_CAPBSET_READ, (unsigned long)mid, 0UL, 0UL, 0UL) >= 0)
				lo = mid;
			else
				hi = mid;
		}
		v = (int)lo;
	}
	errno = e;
	__atomic_store_n(&last, v, __ATOMIC_RELAXED);
	return (unsigned)v;
}

mode_t
efs_umask(void)
{
	return __atomic_load_n(&efs.umask, __ATOMIC_RELAXED);
}

void
efs_call_logged(struct efs_call *c)
{
	if ((c->objpath = efs_scratch_path()) != NULL)
		c->objpath[0] = '\0';
}

void
efs_call_blame(struct efs_call *c, int why, const struct efs_attr *obj, const char *viewpath)
{
	c->why = why;
	if (obj != NULL) {
		c->have_obj = 1;
		c->obj = *obj;
	}
	/* only the log reads it (efs_call_logged) */
	if (c->objpath != NULL)
		snprintf(c->objpath, EFS_PATH_MAX, "%s", viewpath != NULL ? viewpath : "");
}

/*
 * A real vfork (vfork.c): what a child's wrappers may change in efs, saved
 * by the parent before and put back after.  Descriptor marks are saved up
 * to fd_hi, which is small in the programs that vfork (shells, Python);
 * above VSAVE_FDS, or with more groups than cred holds inline, the caller
 * forks instead.
 */
#define VSAVE_FDS	1024

static struct {
	unsigned seq;
	struct efs_cred cred;
	struct efs_who who[EFS_MAX_MOUNTS + 1];
	int rootfd[EFS_MAX_MOUNTS + 1];
	int stagefd[EFS_MAX_MOUNTS + 1];
	char cwd[EFS_VIEW_MAX];
	int cwd_mount;
	mode_t umask;
	int log_fd;
	unsigned pin_epoch;
	int pin_lo;
	int fd_hi;
	unsigned char fdmount[VSAVE_FDS];
} vs;

int
efs_state_vsave(void)
{
	int k, n = efs_mnt_all();

	vs.fd_hi = __atomic_load_n(&efs.fd_hi, __ATOMIC_RELAXED);
	if (vs.fd_hi > VSAVE_FDS || efs.cred.ngroups > EFS_GROUPS_MAX)
		return -1;
	memcpy(vs.fdmount, efs.fdmount, (size_t)vs.fd_hi);
	vs.seq = efs.seq;
	vs.cred = efs.cred;
	for (k = 0; k < n; k++) {
		vs.who[k] = efs.mnt[k].who;
		vs.rootfd[k] = efs.mnt[k].rootfd;
		vs.stagefd[k] = efs.mnt[k].stagefd;
	}
	memcpy(vs.cwd, efs.cwd, strnlen(efs.cwd, sizeof efs.cwd - 1) + 1);
	vs.cwd_mount = efs.cwd_mount;
	vs.umask = efs.umask;
	vs.log_fd = efs.log_fd;
	vs.pin_epoch = efs.pin_epoch;
	vs.pin_lo = efs.pin_lo;
	return 0;
}

/*
 * The child has gone; this process is single-threaded and its signals
 * are blocked, so plain stores do.  A child that died inside a seq writer
 * left the lock held and the sequence odd: both are made anew.
 */
void
efs_state_vrestore(int child_died_inside)
{
	int fd, k, n = efs_mnt_all(), hi = __atomic_load_n(&efs.fd_hi, __ATOMIC_RELAXED);

	if (child_died_inside || (efs.seq & 1) != 0) {
		if (pthread_mutex_trylock(&efs.lock) != 0)
			pthread_mutex_init(&efs.lock, NULL);
		else
			pthread_mutex_unlock(&efs.lock);
	}
	for (fd = vs.fd_hi; fd < hi && fd < EFS_FDTAB; fd++)
		if (efs.fdmount[fd] != 0)
			fd_put(fd, 0);
	for (fd = 0; fd < vs.fd_hi; fd++)
		if (efs.fdmount[fd] != vs.fdmount[fd])
			fd_put(fd, vs.fdmount[fd]);
	__atomic_store_n(&efs.fd_hi, vs.fd_hi, __ATOMIC_RELAXED);
	if (efs.seq != vs.seq || memcmp(&efs.cred, &vs.cred, sizeof vs.cred) != 0 ||
	    strcmp(efs.cwd, vs.cwd) != 0) {
		efs.cred = vs.cred;
		for (k = 0; k < n; k++)
			efs.mnt[k].who = vs.who[k];
		memcpy(efs.cwd, vs.cwd, strlen(vs.cwd) + 1);
		efs.cwd_mount = vs.cwd_mount;
		/* a new even sequence (no reader runs now): no copy of the child's holds */
		__atomic_store_n(&efs.seq, (efs.seq | 1) + 1, __ATOMIC_RELEASE);
	}
	for (k = 0; k < n; k++) {
		efs.mnt[k].rootfd = vs.rootfd[k];
		efs.mnt[k].stagefd = vs.stagefd[k];
	}
	efs.umask = vs.umask;
	efs.log_fd = vs.log_fd;
	efs.pin_lo = vs.pin_lo;
	__atomic_store_n(&efs.pin_epoch, vs.pin_epoch, __ATOMIC_RELEASE);
}
