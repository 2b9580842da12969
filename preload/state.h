/* SPDX-License-Identifier: MIT */
/*
 * state.h: the library's run-time state and the shape every wrapper shares:
 * enter -> resolve -> decide -> act -> leave.
 */
#ifndef EFSAP_STATE_H
#define EFSAP_STATE_H

#include <errno.h>
#include <pthread.h>
#include <signal.h>

#include "config.h"
#include "ident.h"
#include "mountplan.h"
#include "thread.h"

#define EFS_FDTAB	65536	/* descriptors tracked without a system call */

/* A mount as the running library sees it. */
struct efs_mnt {
	const struct efs_mount *m;
	const char *cpath;		/* container path */
	size_t clen;
	char broot[EFS_PATH_MAX];	/* canonical backing path of the mount's root */
	size_t blen;
	char fs_path[EFS_PATH_MAX];	/* the root inside the file system, for messages */
	int root_access;		/* ClientRootAccess granted, decided at mount */
	struct efs_who who;		/* server identity; follows the caller's setuid calls
					   (seq: efs_who_get) */
	int erofs;			/* 0, or why writes fail: EFS_WHY_RO or EFS_WHY_NOWRITE */
	struct efs_decision dec_write;	/* ClientWrite and ClientRootAccess as decided at */
	struct efs_decision dec_root;	/* mount, for the log: they name the deciding statement */
	int rootfd;			/* O_PATH descriptor of broot, or -1 (the program closed it) */
	uint64_t root_key;		/* efs_dir_key of broot */
	/*
	 * The image of efsap run --image (efs.img): "/" as a local POSIX file
	 * system, not EFS.  cpath "" (a view is cpath and what follows broot),
	 * broot "/." (backing paths "/./etc", short paths from rootfd), who
	 * the caller identity itself.
	 */
	int image;
	int stagefd;			/* the image's: O_PATH descriptor of EFS_IMAGE_STAGE, or -1
					   (none, or the program closed it: objects are then
					   made in place, and recorded just after) */
};

/*
 * The library's state.  Every field says how it may be touched:
 *  - fixed: written by start-up (init.c) before efs.inited is released,
 *    read freely afterwards (readers come through efs_enter/efs_active,
 *    which acquire efs.inited);
 *  - atomic: which operations write it and how it is read;
 *  - seq: written between efs_write_begin and efs_write_end (efs.lock
 *    held, efs.seq odd), read only through the seqlock readers
 *    (efs_cred_get, efs_cred_id, efs_groups_get, efs_cwd_get, efs_who_get), which never
 *    wait, so that a signal handler may read while its thread writes.
 */
struct efs_state {
	/*
	 * Pinned directories (resolve.c): pin_epoch is bumped, atomically,
	 * when the program closes or replaces a descriptor at or above
	 * pin_lo, the lowest number a pin was given (atomic, only lowered);
	 * pins from an older epoch are forgotten without a close.
	 */
	unsigned pin_epoch;		/* atomic: add (release), load (acquire) */
	int pin_lo;			/* atomic: lowered by CAS, loaded (relaxed/acquire) */
	int inited;			/* atomic: stored once (release) at the end of start-up */
	int ready;			/* fixed: configured and enabled, wrappers act */
	int log_level;			/* fixed: 0 silent, 1 deny, 2 all */
	int log_fd;			/* atomic: fixed at start-up, then only CAS to 2 when
					   the program closes it (efs_own_fds_gone); load relaxed */
	struct efs_config cfg;		/* fixed */
	int nmnt;			/* fixed: the EFS mounts, mnt[0 .. nmnt) */
	int img;			/* fixed: nmnt when "/" is an image (mnt[nmnt]), else -1;
					   never 0 then (an image has a mount), so that code
					   that may run before start-up tests img > 0 */
	struct efs_mnt mnt[EFS_MAX_MOUNTS + 1];	/* fixed, but for each mount's who (seq: it
					   follows cred; read with efs_who_get) and rootfd
					   (atomic: CAS to -1 when the program closes it,
					   load relaxed) */
	pthread_mutex_t lock;		/* the lock of the seq writers; re-made in a fork child */
	unsigned seq;			/* atomic: odd while a seq writer runs */
	struct efs_cred cred;		/* seq: the caller identity, with its capabilities */
	uint32_t *groups_all;		/* atomic pointer, published once by CAS (efs_groups_room);
					   its contents are seq: every group of cred when it has
					   more than EFS_GROUPS_MAX */
	char cwd[EFS_VIEW_MAX];		/* seq: the program's view of its working directory */
	int cwd_mount;			/* seq: mount of cwd, or -1; a reader that needs only
					   this int may load it alone (relaxed) */
	mode_t umask;			/* atomic: stored by umask(), load relaxed (efs_umask) */
	char store[EFS_PATH_MAX];	/* fixed: sidecar store for what xattrs cannot hold */
	dev_t bk_dev;			/* fixed, with an image only: the backing directory's
					   device (what is not on it is the image's) */
	int xattr_ok;			/* atomic: 1 at start-up, stored 0 (relaxed) once the
					   backing file system refuses user xattrs; load relaxed */
	int have_xattrat;		/* fixed: the kernel has getxattrat/setxattrat (6.13) */
	uint64_t *gen;			/* fixed pointer (the store's shared segment); the
					   counter is atomic: add (release), load (acquire).
					   Bumped when a directory's attributes or a name of a
					   directory or link change, so resolution caches drop them */
	char self[EFS_PATH_MAX];	/* fixed: absolute path of libefsap.so */
	char config_abs[EFS_PATH_MAX];	/* fixed: absolute configuration path, "" for the default */
	char compiled[EFS_PATH_MAX];	/* fixed: the compiled form loaded, "" when none */
	int fd_hi;			/* atomic: raised by CAS, load relaxed; every marked
					   descriptor is below it */
	unsigned char fdmount[EFS_FDTAB];	/* atomic bytes: exchange/or/and, load relaxed;
					   0, or 1 + mount of an fd under a mount, with flags */
	uint16_t fdgen[EFS_FDTAB];	/* atomic: add (release) whenever that descriptor's
					   mark changes, load (acquire) */
};

extern struct efs_state efs EFS_HIDDEN;

/* The mounts with the image's: mnt[0 .. efs_mnt_all()) (before start-up: none). */
static inline int
efs_mnt_all(void)
{
	return efs.img > 0 ? efs.img + 1 : efs.nmnt;
}
/*
 * Set while efsap's own start-up runs on this thread: every wrapper passes
 * through.  This thread's alone; written only by efs_guard_raise and
 * efs_guard_lower, read by efs_enter and efs_active.
 */
extern __thread int efs_guard EFS_HIDDEN __attribute__((tls_model("initial-exec")));

static inline void
efs_guard_raise(void)
{
	efs_guard++;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
}

static inline void
efs_guard_lower(void)
{
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	efs_guard--;
}

/* What one wrapper call carries from enter to leave. */
struct efs_call {
	int saved_errno;
	const char *op;
	const char *path;		/* as the program wrote it */
	const char *view;		/* the object's program-view path, once resolved */
	const char *path2;		/* a two-path call's other end, as written, or NULL */
	const char *view2;		/* ... and where that is */
	int why;			/* enum efs_why of a refusal */
	int mount;			/* mount of the object, for the log */
	int have_obj;
	struct efs_attr obj;		/* the object that refused, for the log */
	char *objpath;			/* its program-view path (scratch), or NULL */
	size_t mark;			/* the thread's scratch arena on entry */
};

/* Start-up (init.c), once per process; every wrapper's first call ends up here. */
void efs_init(void) EFS_HIDDEN;

/* Start-up's first step for state.c: the lock and the fork handlers. */
void efs_state_start(void) EFS_HIDDEN;

/*
 * libc declares many wrapped parameters nonnull, so the compiler may drop
 * a plain NULL test; programs pass NULL anyway, and libc or the kernel
 * must see it to answer EFAULT or EINVAL.  Hide the pointer's origin.
 */
static inline const void *
efs_launder(const void *p)
{
	__asm__("" : "+r"(p));
	return p;
}

static inline int
efs_null(const void *p)
{
	return efs_launder(p) == NULL;
}

/* Should a call that needs no bookkeeping (getuid) answer from efsap? */
static inline int
efs_active(void)
{
	if (efs_guard)
		return 0;
	if (!__atomic_load_n(&efs.inited, __ATOMIC_ACQUIRE))
		efs_init();
	return efs.ready;
}

/*
 * Logging is on: take c->objpath now, below everything the call's
 * steps take and give back, so that a refusal found deep down can be
 * named when the call leaves.
 */
void efs_call_logged(struct efs_call *c) EFS_HIDDEN;

/*
 * Enter a wrapper: 1 when the library should act, 0 to pass the call
 * through (disabled, not configured, or efsap's own start-up calling).
 * A call from a signal handler that interrupted another wrapper acts too:
 * it allocates above the interrupted call's scratch and releases it again.
 */
static inline int
efs_enter(struct efs_call *c, const char *op, const char *path)
{
	if (efs_guard)
		return 0;
	if (!__atomic_load_n(&efs.inited, __ATOMIC_ACQUIRE))
		efs_init();
	if (!efs.ready)
		return 0;
	c->saved_errno = errno;
	c->op = op;
	c->path = path;
	c->why = EFS_WHY_NONE;
	c->mount = -1;
	c->view = NULL;
	c->path2 = c->view2 = NULL;
	c->have_obj = 0;
	c->objpath = NULL;
	c->mark = efs_scratch_mark();
	efs_th.depth++;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	if (efs.log_level != 0)
		efs_call_logged(c);
	return 1;
}

/* Give back what the call took: its scratch, its depth. */
static inline void
efs_exit(struct efs_call *c)
{
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	efs_th.depth--;
	efs_scratch_release(c->mark);
}

/* Leave after passing the call through: the real call's errno stands. */
static inline long
efs_pass(struct efs_call *c, long ret)
{
	efs_exit(c);
	return ret;
}

void efs_log_call(struct efs_call *c, long rc) EFS_HIDDEN;

/*
 * Leave after acting: rc is a result >= 0 or -errno.  Sets errno on
 * failure, restores it on success, logs as EFSAP_LOG asks.
 */
static inline long
efs_leave(struct efs_call *c, long rc)
{
	if (efs.log_level != 0 && c->mount >= 0)
		efs_log_call(c, rc);
	efs_exit(c);
	if (rc < 0) {
		errno = (int)-rc;
		return -1;
	}
	errno = c->saved_errno;
	return rc;
}

/*
 * A struct efs_res for this call, from the scratch arena: NULL when the
 * arena is exhausted (the wrapper leaves with -ENOMEM).
 */
struct efs_res;
struct efs_res *efs_res_new(void) EFS_HIDDEN;

/* Note the object that refused, for the log. */
void efs_call_blame(struct efs_call *c, int why, const struct efs_attr *obj, const char *viewpath) EFS_HIDDEN;

/* Cached resolutions are stale: a directory's attributes or names changed. */
static inline void
efs_gen_bump(void)
{
	__atomic_add_fetch(efs.gen, 1, __ATOMIC_RELEASE);
}

/*
 * Descriptor bookkeeping: efs.fdmount[fd] is 0, or 1 + the mount of a
 * descriptor under a mount, with EFS_FD_OPATH set for an O_PATH one.
 */
#define EFS_FD_OPATH	0x80
#define EFS_FD_SETID	0x40	/* open for writing a file whose record has set-id bits */
#define EFS_FD_MOUNT	0x3f	/* 1 + the mount (EFS_MAX_MOUNTS < 62) */
/*
 * A host directory on the way to a mount point ("/", "/mnt" for a mount
 * on /mnt/data): relative paths from it go through the resolver, and its
 * listing shows the mount points (wrap_dir.c).  Not carried across execve.
 */
#define EFS_FD_HOSTANC	EFS_FD_MOUNT
_Static_assert(EFS_MAX_MOUNTS + 1 < EFS_FD_HOSTANC, "mount marks below EFS_FD_HOSTANC");

/* The mark of fd (0 <= fd < EFS_FDTAB), as its rule reads it. */
static inline unsigned char
efs_fd_bits(int fd)
{
	return __atomic_load_n(&efs.fdmount[fd], __ATOMIC_RELAXED);
}

static inline int
efs_fd_mount(int fd)
{
	if (fd >= 0 && fd < EFS_FDTAB) {
		int m = efs_fd_bits(fd) & EFS_FD_MOUNT;

		return m == EFS_FD_HOSTANC ? -1 : m - 1;
	}
	return -1;
}

/* Does efsap keep any mark for fd (under a mount, or EFS_FD_HOSTANC)? */
static inline int
efs_fd_marked(int fd)
{
	return fd >= 0 && fd < EFS_FDTAB && efs_fd_bits(fd) != 0;
}

/* Is fd a host directory on the way to a mount point? */
static inline int
efs_fd_is_anc(int fd)
{
	return fd >= 0 && fd < EFS_FDTAB &&
	    (efs_fd_bits(fd) & EFS_FD_MOUNT) == EFS_FD_HOSTANC;
}

/*
 * After a successful write through fd: a descriptor marked EFS_FD_SETID
 * (cheap to test on every write) has its file's set-id bits cleared as a
 * non-root write does, once.
 */
void efs_fd_written(int fd) EFS_HIDDEN;

static inline void
efs_after_write(int fd)
{
	if (fd >= 0 && fd < EFS_FDTAB && (efs_fd_bits(fd) & EFS_FD_SETID))
		efs_fd_written(fd);
}

/* Was the descriptor (under a mount) opened with O_PATH? */
static inline int
efs_fd_is_opath(int fd)
{
	return fd >= 0 && fd < EFS_FDTAB && (efs_fd_bits(fd) & EFS_FD_OPATH) != 0;
}

/*
 * efsap's own descriptors (mount roots, the store, pins, the log) live at
 * or above EFS_OWN_FD_MIN, close-on-exec: efs_fd_high moves fd there (the
 * same fd when it cannot); efs_open_high opens there, or -errno.
 */
#define EFS_OWN_FD_MIN	800
int efs_fd_high(int fd) EFS_HIDDEN;
int efs_open_high(const char *path, int flags, mode_t mode) EFS_HIDDEN;

/* Mark fd as under mount (or clear with -1), noting O_PATH. */
void efs_fd_mark(int fd, int mount, int opath) EFS_HIDDEN;
/*
 * fd was opened on the host at the absolute path host: mark it
 * EFS_FD_HOSTANC when that is an ancestor of a mount point, else clear
 * any stale mark.  Returns fd.
 */
int efs_fd_host(int fd, const char *host) EFS_HIDDEN;
/* A directory stream is closed: forget its extra entries (wrap_dir.c). */
void efs_dir_gone(void *dir) EFS_HIDDEN;
/* Watch fd's writes for set-id clearing (EFS_FD_SETID), or stop. */
void efs_fd_watch_setid(int fd, int on) EFS_HIDDEN;
/* newfd now refers to what oldfd refers to. */
void efs_fd_copy(int oldfd, int newfd) EFS_HIDDEN;
static inline void
efs_fd_set(int fd, int mount)
{
	efs_fd_mark(fd, mount, 0);
}

/*
 * The program closed (or dup2'ed over) descriptors first..last: forget
 * those among efsap's own (the log, the mount roots).
 */
void efs_own_fds_gone(unsigned int first, unsigned int last) EFS_HIDDEN;

/*
 * Snapshot of the caller identity (efs_cred_update below changes it, and
 * with it the server identity of each mount).  Readers never block (a signal handler may read while its
 * thread writes): they copy and retry while efs.seq says a write ran.
 */
void efs_cred_get(struct efs_cred *c) EFS_HIDDEN;

/* Mount mt's server identity (seq: it follows the caller's), read as efs_cred_get reads. */
void efs_who_get(const struct efs_mnt *mt, struct efs_who *out) EFS_HIDDEN;

/* One id of the caller identity, read as efs_cred_get reads: for getuid and the like. */
enum efs_cred_id { EFS_RUID, EFS_EUID, EFS_SUID, EFS_RGID, EFS_EGID, EFS_SGID };
uint32_t efs_cred_id(enum efs_cred_id which) EFS_HIDDEN;
/*
 * Read-modify-write of the caller identity, atomic against every other
 * writer (two threads' setresuid and setresgid never lose each other's
 * change): fn changes a copy under efs.lock, signals blocked, and a result
 * >= 0 that changed it is published with every mount's server identity.
 * fn must be pure (no system call, no lock).  Returns fn's result.
 */
long efs_cred_update(long (*fn)(struct efs_cred *c, void *arg), void *arg) EFS_HIDDEN;
/*
 * setgroups' read-modify-write: efs_cred_setgroups' rules on the current
 * identity, then all (n groups) published.  0, -EPERM, -EINVAL, or
 * -ENOMEM when more than EFS_GROUPS_MAX find no room.
 */
int efs_cred_update_groups(size_t n, const uint32_t *all) EFS_HIDDEN;
/*
 * The room for more than EFS_GROUPS_MAX groups (efs.groups_all), mapped
 * on first need and published once; NULL when it cannot be had.
 */
uint32_t *efs_groups_room(void) EFS_HIDDEN;
/* Copy the caller's groups into out (room for max): their number, or -EINVAL. */
int efs_groups_get(uint32_t *out, unsigned max) EFS_HIDDEN;

/*
 * The program's working directory (its view) into buf (len bytes), and its
 * mount (-1 on the host); EFS_CWD_TOO_LONG, with buf "", when it does not fit.
 */
#define EFS_CWD_TOO_LONG	(-2)
int efs_cwd_get(char *buf, size_t len) EFS_HIDDEN;

/*
 * Bracket a change of efs.cred or efs.cwd: takes efs.lock, blocks this
 * thread's signals (a handler reading would wait for ever on its own
 * thread's write) and makes efs.seq odd; efs_write_end undoes that.
 */
void efs_write_begin(sigset_t *saved) EFS_HIDDEN;
void efs_write_end(const sigset_t *saved) EFS_HIDDEN;

/*
 * The highest capability the running kernel knows (its cap_last_cap),
 * asked once; EFS_CAP_LAST when it will not say.  errno is left alone.
 */
unsigned efs_cap_last(void) EFS_HIDDEN;

/* The current umask, as the program set it. */
mode_t efs_umask(void) EFS_HIDDEN;

#endif
