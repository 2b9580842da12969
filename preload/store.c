/* SPDX-License-Identifier: MIT */
/*
 * store.c: the sidecar store (see store.h).
 *
 * The generation and the record locks live in a System V shared memory
 * segment, found through the link STORE/gen.shm.  The segment is marked
 * for removal as soon as it is made (Linux lets processes attach it until
 * the last one detaches), so nothing outlives the processes using it, and,
 * unlike a file mapping, nothing another process does to a file can make
 * an access to it fault.
 *
 * Record locks are EFS_STRIPES robust, process-shared mutexes there, and
 * name locks as many more (see efs_store_names_lock): the
 * kernel wakes a waiter when the holder dies (EOWNERDEAD) and waiters
 * sleep in futex waits, whoever holds the lock and in whatever pid
 * namespace.  Without a segment, they are OFD locks on byte INODE of
 * STORE/lock, taken through one open file description per process (a
 * fork child opens its own), and, since OFD locks do not exclude each
 * other within one description, the threads of a process first take a
 * process-local mutex.  Either way, a wrapper that a signal handler enters
 * while its thread holds a stripe takes it again without waiting (nested),
 * rather than deadlock, and waits for another stripe at most about 50 ms
 * (slot_lock).  Without a segment the generation is private, and
 * other processes' changes are seen within the caches' time limit.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/random.h>
#include <sys/syscall.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "owner.h"
#include "real.h"
#include "state.h"
#include "store.h"
#include "vfork.h"

#define EFS_STRIPES	64
#define EFS_SLOTS	(2 * EFS_STRIPES)	/* record stripes, then name stripes */
/*
 * Lock bytes: a record's at INODE modulo HALF_SPAN, a name's at HALF_SPAN +
 * HASH modulo HALF_SPAN, a claim's at LOCK_SPAN + CLAIM, so that none
 * meet; off_t may be 32 bits.  HALF_SPAN is a multiple of EFS_STRIPES:
 * one byte, one stripe.
 */
#define LOCK_SPAN	((uint64_t)1 << (sizeof(off_t) * 8 - 3))
#define HALF_SPAN	(LOCK_SPAN / 2)
#define CLAIM_BASE	((off_t)LOCK_SPAN)
#define GEN_MAGIC	0x6566736170676e34ull	/* "efsapgn4" */

/* A stripe as this process sees it. */
struct stripe {
	pthread_mutex_t m;		/* without a segment: between this process's threads */
	pthread_t owner;		/* the thread of this process holding it, or 0 */
	unsigned depth;			/* nested takes by that thread (signal handlers) */
};

struct gen_page {
	uint64_t gen;			/* first: efs.gen points here */
	uint64_t magic;
	uint64_t dev, ino;		/* the store directory it belongs to */
	uint64_t nonce;
	pthread_mutex_t locks[EFS_SLOTS];	/* robust, process-shared */
	uint64_t moves __attribute__((aligned(64)));	/* efs_store_moved: atomic,
					   on a line of its own, away from gen */
	uint64_t left;			/* efs_store_left: atomic */
};

static struct stripe stripes[EFS_SLOTS];
static int lockfd = -1;			/* STORE/lock, O_RDWR: the process's OFD */
static int storefd = -1;		/* STORE, O_PATH */
static uint64_t private_gen;
static struct gen_page *page;		/* the shared segment, or NULL */
static uint64_t proc_claim;		/* this process's claim on what it stages, or 0 */
static unsigned long stage_seq;
static int nheld;			/* stripes a vfork child is taking or holds, for
					   one that dies holding one (vfork.h) */

/* Count a vfork child's takes (d = 1, before it waits) and gives (d = -1); no one else's. */
static inline void
child_held(int d)
{
	if (__atomic_load_n(&efs_vfork_child, __ATOMIC_RELAXED))
		__atomic_add_fetch(&nheld, d, __ATOMIC_RELAXED);
}

int
efs_store_path(const char *name, char *buf, size_t len)
{
	int n = snprintf(buf, len, "%s/%s", efs.store, name);

	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

static int
open_lockfile(void)
{
	size_t mark = efs_scratch_mark();
	char *path = efs_scratch_path();	/* wrappers reopen it after a fork or a close */
	int rc;

	if (path == NULL)
		return -ENOMEM;
	if ((rc = efs_store_path(EFS_STORE_LOCK, path, EFS_PATH_MAX)) == 0)
		rc = efs_open_high(path, O_RDWR | O_CREAT, 0600);
	efs_scratch_release(mark);
	return rc;
}

/* Take (F_WRLCK) or drop (F_UNLCK) the byte at off; wait when asked.  0 or -errno. */
static int
ofd(int fd, short type, off_t off, int wait)
{
	struct flock fl;

	memset(&fl, 0, sizeof fl);
	fl.l_type = type;
	fl.l_whence = SEEK_SET;
	fl.l_start = off;
	fl.l_len = 1;
	while (real.fcntl(fd, wait ? F_OFD_SETLKW : F_OFD_SETLK, &fl) != 0) {
		if (errno != EINTR)
			return -errno;
	}
	return 0;
}

static int lock_fd(void);

/* The shared page: attach the segment the link names, if it is ours. */
static struct gen_page *
gen_attach(const char *link, const struct stat *sst)
{
	char buf[64];
	struct gen_page *g;
	unsigned long long nonce;
	ssize_t n;
	int id;

	n = real.readlink(link, buf, sizeof buf - 1);
	if (n <= 0)
		return NULL;
	buf[n] = '\0';
	if (sscanf(buf, "%d:%llx", &id, &nonce) != 2)
		return NULL;
	g = shmat(id, NULL, 0);
	if (g == (void *)-1)
		return NULL;
	if (g->magic != GEN_MAGIC || g->dev != (uint64_t)sst->st_dev ||
	    g->ino != (uint64_t)sst->st_ino || g->nonce != nonce) {
		shmdt(g);
		return NULL;
	}
	return g;
}

static struct gen_page *
gen_create(const char *link, const struct stat *sst)
{
	char tmp[64], target[64];
	struct gen_page *g, *other;
	pthread_mutexattr_t ma;
	struct timespec ts;
	int id, i;

	id = shmget(IPC_PRIVATE, sizeof *g, IPC_CREAT | 0600);
	if (id < 0)
		return NULL;
	g = shmat(id, NULL, 0);
	(void)shmctl(id, IPC_RMID, NULL);	/* gone with its last user */
	if (g == (void *)-1)
		return NULL;
	if (pthread_mutexattr_init(&ma) != 0 ||
	    pthread_mutexattr_setpshared(&ma, PTHREAD_PROCESS_SHARED) != 0 ||
	    pthread_mutexattr_setrobust(&ma, PTHREAD_MUTEX_ROBUST) != 0 ||
	    pthread_mutexattr_settype(&ma, PTHREAD_MUTEX_ERRORCHECK) != 0) {
		shmdt(g);
		return NULL;
	}
	for (i = 0; i < EFS_SLOTS; i++)
		pthread_mutex_init(&g->locks[i], &ma);
	pthread_mutexattr_destroy(&ma);
	clock_gettime(CLOCK_REALTIME, &ts);
	g->magic = GEN_MAGIC;
	g->dev = (uint64_t)sst->st_dev;
	g->ino = (uint64_t)sst->st_ino;
	g->nonce = ((uint64_t)ts.tv_nsec << 32) ^ (uint64_t)ts.tv_sec ^ ((uint64_t)getpid() << 16);
	snprintf(target, sizeof target, "%d:%llx", id, (unsigned long long)g->nonce);
	/*
	 * Made under a staged name and renamed into place: a process killed
	 * in between leaves a staged link, which the sweep removes (its
	 * claim is free), never a stray entry in the store.
	 */
	if (storefd >= 0 && efs_store_stage(tmp, sizeof tmp) == 0 &&
	    real.symlinkat(target, storefd, tmp) == 0 &&
	    real.renameat(storefd, tmp, storefd, EFS_STORE_GEN) != 0)
		(void)real.unlinkat(storefd, tmp, 0);
	/* a process starting at the same moment may have published its own: share it */
	if ((other = gen_attach(link, sst)) != NULL) {
		shmdt(g);
		return other;
	}
	return g;
}

/*
 * Attach the store's segment, or make it: under the lock file's byte 0,
 * so that processes starting together agree on one segment (two would
 * mean two sets of record locks, and no exclusion between them).
 */
static void
gen_open(const struct stat *sst)
{
	char link[EFS_PATH_MAX];
	struct gen_page *g = NULL;
	int fd, locked;

	if (efs_store_path(EFS_STORE_GEN, link, sizeof link) != 0)
		return;
	if ((g = gen_attach(link, sst)) == NULL) {
		fd = lock_fd();
		locked = fd >= 0 && ofd(fd, F_WRLCK, 0, 1) == 0;
		if ((g = gen_attach(link, sst)) == NULL)	/* still none: ours is the one */
			g = gen_create(link, sst);
		if (locked)
			(void)ofd(fd, F_UNLCK, 0, 0);
	}
	page = g;
	efs.gen = g != NULL ? &g->gen : &private_gen;
}

int
efs_store_open(int first, char *why, size_t len)
{
	char stage[EFS_PATH_MAX];
	struct stat sst;
	int fd, rc;

	/*
	 * A read-only backing file system needs no locks and no staging:
	 * nothing can change there, and efsap answers EROFS to every change.
	 * A child of an efsap process finds the store as its parent checked
	 * it, and opens its lock file only when it first needs it.
	 */
	efs.gen = &private_gen;
	fd = efs_open_high(efs.store, O_PATH | O_DIRECTORY, 0);
	if (fd == -ENOENT) {
		if (real.mkdir(efs.store, 0700) != 0 && errno != EEXIST) {
			rc = -errno;
			if (rc == -EROFS)	/* a read-only file system without a store */
				return 0;
			snprintf(why, len, "cannot create the record store %s: %s", efs.store,
			    strerror(-rc));
			return rc;
		}
		fd = efs_open_high(efs.store, O_PATH | O_DIRECTORY, 0);
	}
	if (fd < 0 || real.fstat(fd, &sst) != 0) {
		rc = fd < 0 ? fd : -errno;
		snprintf(why, len, "cannot open the record store %s: %s", efs.store, strerror(-rc));
		return rc;
	}
	storefd = fd;
	if (first) {
		if ((fd = open_lockfile()) == -EROFS)
			return 0;
		if (fd < 0) {
			snprintf(why, len, "cannot open the record store's lock file in %s: %s",
			    efs.store, strerror(-fd));
			return fd;
		}
		lockfd = fd;
		if ((rc = ofd(fd, F_WRLCK, 0, 0)) != 0 && rc != -EAGAIN) {
			snprintf(why, len, "the record store %s takes no OFD locks: %s", efs.store,
			    strerror(-rc));
			return rc;
		}
		(void)ofd(fd, F_UNLCK, 0, 0);
		if ((rc = efs_store_path(EFS_STORE_STAGE, stage, sizeof stage)) != 0 ||
		    (real.mkdir(stage, 0700) != 0 && errno != EEXIST && (rc = -errno) != 0)) {
			snprintf(why, len, "cannot create %s: %s", stage, strerror(-rc));
			return rc;
		}
	}
	gen_open(&sst);
	return 0;
}

int
efs_store_fd(void)
{
	return __atomic_load_n(&storefd, __ATOMIC_RELAXED);
}

/* The process's lock file descriptor, opened again if the program closed it. */
static int
lock_fd(void)
{
	int fd = __atomic_load_n(&lockfd, __ATOMIC_ACQUIRE), none = -1;

	if (fd >= 0)
		return fd;
	if ((fd = open_lockfile()) < 0)
		return -1;
	if (!__atomic_compare_exchange_n(&lockfd, &none, fd, 0, __ATOMIC_ACQ_REL,
	    __ATOMIC_ACQUIRE)) {
		real.close(fd);
		return none;
	}
	return fd;
}

/*
 * Take stripe slot (lock byte byte without a segment); with trylock, give
 * up rather than wait: 1 when taken (or nested), 0 when not.
 */
static int
slot_take(unsigned slot, off_t byte, int trylock)
{
	struct stripe *s = &stripes[slot];
	pthread_t self = pthread_self();
	int saved = errno, fd, rc;

	if (__atomic_load_n(&s->owner, __ATOMIC_RELAXED) == self) {
		s->depth++;		/* a signal handler, inside this thread's own take */
		return 1;
	}
	child_held(1);
	if (page != NULL) {
		rc = trylock ? pthread_mutex_trylock(&page->locks[slot]) :
		    pthread_mutex_lock(&page->locks[slot]);
		if (rc == EOWNERDEAD)	/* its holder died: records are written whole */
			(void)pthread_mutex_consistent(&page->locks[slot]);
		else if (rc == EDEADLK) {
			/*
			 * This thread's id holds it: a signal handler that came
			 * in before the owner was noted, or a thread with the same
			 * id in another pid namespace, which no exclusion here
			 * can tell apart.  Nested.
			 */
			s->depth++;
			child_held(-1);
			errno = saved;
			return 1;
		} else if (rc != 0) {
			child_held(-1);
			errno = saved;
			return 0;	/* EBUSY: trylock only */
		}
	} else {
		if (trylock ? pthread_mutex_trylock(&s->m) != 0 : pthread_mutex_lock(&s->m) != 0) {
			child_held(-1);
			errno = saved;
			return 0;
		}
		if ((fd = lock_fd()) >= 0 && ofd(fd, F_WRLCK, byte, !trylock) != 0) {
			pthread_mutex_unlock(&s->m);
			child_held(-1);
			errno = saved;
			return 0;
		}
	}
	__atomic_store_n(&s->owner, self, __ATOMIC_RELAXED);
	errno = saved;
	return 1;
}

/*
 * slot_take, except that a call a signal handler made inside another call
 * on its thread waits at most about 50 ms.  The handler runs on top of
 * whatever the interrupted call holds, out of the order that keeps takers
 * from deadlocking, and may have interrupted it inside the C library's
 * mutex code: between an unlock's release of the word and its wake of the
 * waiters, say, so that they sleep on a free lock until the handler
 * returns.  Two processes whose handlers wait on what the other's
 * interrupted call holds or owes would wait for ever.  After the bound the
 * call goes on without the lock, as a call holding a record does when it
 * meets a held name.
 */
static int
slot_lock(unsigned slot, off_t byte, int trylock)
{
	struct timespec ts = { 0, 20000 };
	long waited = 0;

	if (trylock || efs_outermost())
		return slot_take(slot, byte, trylock);
	while (!slot_take(slot, byte, 1)) {
		if (waited >= 50000000)
			return 0;
		(void)nanosleep(&ts, NULL);
		waited += ts.tv_nsec;
		if (ts.tv_nsec < 5000000)
			ts.tv_nsec *= 2;
	}
	return 1;
}

static void
slot_unlock(unsigned slot, off_t byte)
{
	struct stripe *s = &stripes[slot];
	int saved = errno, fd;

	if (s->depth > 0) {
		s->depth--;
		return;
	}
	__atomic_store_n(&s->owner, (pthread_t)0, __ATOMIC_RELAXED);
	if (page != NULL)
		pthread_mutex_unlock(&page->locks[slot]);
	else {
		if ((fd = __atomic_load_n(&lockfd, __ATOMIC_ACQUIRE)) >= 0)
			(void)ofd(fd, F_UNLCK, byte, 0);
		pthread_mutex_unlock(&s->m);
	}
	child_held(-1);
	errno = saved;
}

/* Does this thread hold one of the count stripes from first? */
static int
holds(unsigned first, unsigned count)
{
	pthread_t self = pthread_self();
	unsigned i;

	for (i = first; i < first + count; i++)
		if (__atomic_load_n(&stripes[i].owner, __ATOMIC_RELAXED) == self)
			return 1;
	return 0;
}

int
efs_store_lock(uint64_t ino)
{
	return slot_lock((unsigned)(ino % EFS_STRIPES), (off_t)(ino % HALF_SPAN), 0);
}

void
efs_store_unlock(uint64_t ino, int taken)
{
	if (taken)
		slot_unlock((unsigned)(ino % EFS_STRIPES), (off_t)(ino % HALF_SPAN));
}

/* The shared segment, or NULL: then nothing is counted, and the counts read 0, "not known". */
static struct gen_page *
shared(void)
{
	return __atomic_load_n(&page, __ATOMIC_ACQUIRE);
}

#define COUNT_KNOWN	(1ull << 63)	/* set in every count read from a segment */

uint64_t
efs_store_moves(void)
{
	struct gen_page *g = shared();

	return g == NULL ? 0 : __atomic_load_n(&g->moves, __ATOMIC_ACQUIRE) | COUNT_KNOWN;
}

uint64_t
efs_store_changes(void)
{
	struct gen_page *g = shared();

	return g == NULL ? 0 : (__atomic_load_n(&g->moves, __ATOMIC_ACQUIRE) +
	    __atomic_load_n(&g->left, __ATOMIC_ACQUIRE)) | COUNT_KNOWN;
}

void
efs_store_moved(void)
{
	struct gen_page *g = shared();

	if (g != NULL)
		(void)__atomic_fetch_add(&g->moves, 1, __ATOMIC_SEQ_CST);
}

void
efs_store_left(void)
{
	struct gen_page *g = shared();

	if (g != NULL)
		(void)__atomic_fetch_add(&g->left, 1, __ATOMIC_SEQ_CST);
}

/*
 * FNV-1a of a name in the directory with key dkey: which name stripe it
 * takes.  Only the last component counts: a nested call names its object
 * by a longer path from another directory (efs_at), and dkey is then the
 * key of the directory that holds it (efs_pin_key).
 */
static uint64_t
name_hash(uint64_t dkey, const char *name)
{
	uint64_t h = 0xcbf29ce484222325ull ^ dkey;
	const char *slash = strrchr(name, '/');

	if (slash != NULL)
		name = slash + 1;

	h *= 0x100000001b3ull;
	while (*name != '\0')
		h = (h ^ (unsigned char)*name++) * 0x100000001b3ull;
	return h ^ (h >> 29);
}

#define NAME_SLOT(h)	(EFS_STRIPES + (unsigned)((h) % EFS_STRIPES))
#define NAME_BYTE(h)	((off_t)(HALF_SPAN + (h) % HALF_SPAN))

void
efs_store_names_lock(uint64_t ka, const char *a, uint64_t kb, const char *b,
    struct efs_names *held)
{
	uint64_t h[2];
	/* a thread holding a record may not wait for a name: names come first */
	int i, n = b != NULL ? 2 : 1, wait = !holds(0, EFS_STRIPES);

	held->n = 0;
	if (efs_store_fd() < 0)
		return;
	h[0] = name_hash(ka, a);
	h[1] = n == 2 ? name_hash(kb, b) : 0;
	if (n == 2 && NAME_SLOT(h[0]) > NAME_SLOT(h[1])) {	/* slot order: takers never deadlock */
		uint64_t t = h[0];

		h[0] = h[1];
		h[1] = t;
	}
	for (i = 0; i < n; i++) {
		if (!slot_lock(NAME_SLOT(h[i]), NAME_BYTE(h[i]), !wait))
			break;
		held->h[held->n++] = h[i];
	}
}

void
efs_store_names_unlock(struct efs_names *held)
{
	while (held->n > 0) {
		held->n--;
		slot_unlock(NAME_SLOT(held->h[held->n]), NAME_BYTE(held->h[held->n]));
	}
}

static uint64_t
random61(void)
{
	uint64_t x = 0;

	/* the system call: getrandom(3) is glibc 2.25's */
	if (real.syscall(SYS_getrandom, &x, sizeof x, GRND_NONBLOCK) != (long)sizeof x) {
		struct timespec ts;

		clock_gettime(CLOCK_MONOTONIC, &ts);
		x = ((uint64_t)ts.tv_nsec * 0x9e3779b97f4a7c15ull) ^ ((uint64_t)getpid() << 32) ^
		    (uint64_t)(uintptr_t)&ts;
	}
	return (x & (LOCK_SPAN - 1)) | 1;	/* never 0: 0 is "none yet" */
}

/* The process's claim, taken on its first staging: a byte it locks while it lives. */
static uint64_t
claim(void)
{
	uint64_t c = __atomic_load_n(&proc_claim, __ATOMIC_ACQUIRE), none = 0;
	int fd;

	if (c != 0)
		return c;
	if ((fd = lock_fd()) < 0)
		return 0;
	c = random61();
	if (ofd(fd, F_WRLCK, CLAIM_BASE + (off_t)c, 0) != 0)
		return 0;
	if (!__atomic_compare_exchange_n(&proc_claim, &none, c, 0, __ATOMIC_ACQ_REL,
	    __ATOMIC_ACQUIRE)) {
		(void)ofd(fd, F_UNLCK, CLAIM_BASE + (off_t)c, 0);
		return none;
	}
	return c;
}

int
efs_store_stage(char *name, size_t len)
{
	uint64_t c = claim();
	unsigned long seq = __atomic_fetch_add(&stage_seq, 1, __ATOMIC_RELAXED);

	if (c == 0)
		return -ENOLCK;
	if (snprintf(name, len, EFS_STORE_STAGE "/%llx-%lx", (unsigned long long)c, seq) >= (int)len)
		return -ENAMETOOLONG;
	return 0;
}

void
efs_store_drop(int dirfd, const char *name)
{
	struct efs_attr saved;
	struct stat st;
	uint64_t ino;
	int taken;

	if (real.fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0)
		return;
	/*
	 * Under the record lock (taken again, nested, by callers that hold
	 * it): a sweep that drops a dead renamer's second name while a live
	 * unlink takes the object's other one would otherwise both see two
	 * links, neither forget the record, and leave it behind.  The staged
	 * name is this caller's alone, so the object it holds stays put.
	 */
	ino = (uint64_t)st.st_ino;
	taken = efs_store_lock(ino);
	if (real.fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		(void)efs_owner_forget(&st, &saved);	/* only when this is its last name */
		(void)real.unlinkat(dirfd, name, S_ISDIR(st.st_mode) ? AT_REMOVEDIR : 0);
	}
	efs_store_unlock(ino, taken);
}

void
efs_store_sweep(void)
{
	char stage[EFS_PATH_MAX];
	struct dirent *de;
	DIR *d;
	int dfd, fd = lock_fd();

	if (fd < 0 || efs_store_path(EFS_STORE_STAGE, stage, sizeof stage) != 0 ||
	    (d = real.opendir(stage)) == NULL)
		return;
	dfd = dirfd(d);
	while ((de = readdir(d)) != NULL) {
		char *end;
		unsigned long long c = strtoull(de->d_name, &end, 16);

		if (de->d_name[0] == '.' || *end != '-' || c >= LOCK_SPAN)
			continue;
		if (ofd(fd, F_WRLCK, CLAIM_BASE + (off_t)c, 0) != 0)
			continue;	/* its creator is still at work */
		efs_store_drop(dfd, de->d_name);
		(void)ofd(fd, F_UNLCK, CLAIM_BASE + (off_t)c, 0);
	}
	real.closedir(d);
}

void
efs_store_atfork_child(void)
{
	int i, fd = __atomic_load_n(&lockfd, __ATOMIC_RELAXED);

	/*
	 * Only the stripes a vanished thread may have held: an unused one is
	 * still all zero, and reading it leaves the pages the child shares
	 * with its parent unwritten (every fork of a shell pays for each one
	 * written).
	 */
	for (i = 0; i < EFS_SLOTS; i++) {
		static const struct stripe unused;

		if (memcmp(&stripes[i], &unused, sizeof unused) == 0)
			continue;
		pthread_mutex_init(&stripes[i].m, NULL);
		stripes[i].owner = 0;
		stripes[i].depth = 0;
	}
	/* the parent's description holds the parent's locks: open our own when needed */
	__atomic_store_n(&proc_claim, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&lockfd, -1, __ATOMIC_RELAXED);
	if (fd >= 0)
		real.close(fd);
}

void
efs_store_fds_gone(unsigned int first, unsigned int last)
{
	int fd;

	fd = __atomic_load_n(&lockfd, __ATOMIC_RELAXED);
	if (fd >= 0 && (unsigned int)fd >= first && (unsigned int)fd <= last &&
	    __atomic_compare_exchange_n(&lockfd, &fd, -1, 0, __ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
		__atomic_store_n(&proc_claim, 0, __ATOMIC_RELAXED);	/* it went with the lock file */
	fd = __atomic_load_n(&storefd, __ATOMIC_RELAXED);
	if (fd >= 0 && (unsigned int)fd >= first && (unsigned int)fd <= last)
		__atomic_compare_exchange_n(&storefd, &fd, -1, 0, __ATOMIC_ACQ_REL, __ATOMIC_RELAXED);
}

/* A real vfork (vfork.h): the descriptors a child may close, reopen or claim with. */
static struct {
	int lockfd, storefd;
	uint64_t claim;
} vs;

void
efs_store_vsave(void)
{
	vs.lockfd = lockfd;
	vs.storefd = storefd;
	vs.claim = proc_claim;
	nheld = 0;
}

int
efs_store_locks_held(void)
{
	return __atomic_load_n(&nheld, __ATOMIC_RELAXED) != 0;
}

/*
 * The child ran as this thread (same pthread_self, same kernel id in the
 * shared thread descriptor), so a stripe it died holding looks like this
 * thread's own: this thread holds none now (a real vfork is taken outside
 * every wrapper), so every one still held is given back.  Without the
 * shared segment its byte locks were taken on this process's description
 * (or on the child's own, which went with it): the record and name bytes
 * are released, the claim is kept.
 */
void
efs_store_vrestore(void)
{
	unsigned i;
	int rc;

	lockfd = vs.lockfd;
	storefd = vs.storefd;
	proc_claim = vs.claim;
	if (!efs_store_locks_held())
		return;
	for (i = 0; i < EFS_SLOTS; i++) {
		if (page != NULL) {
			/* EDEADLK: "ours", the child's; another process's is waited for,
			 * as any take waits (musl's trylock says EBUSY for both) */
			rc = pthread_mutex_lock(&page->locks[i]);
			if (rc == EOWNERDEAD)
				(void)pthread_mutex_consistent(&page->locks[i]);
			if (rc == 0 || rc == EOWNERDEAD || rc == EDEADLK)
				pthread_mutex_unlock(&page->locks[i]);
		}
		pthread_mutex_init(&stripes[i].m, NULL);
		stripes[i].owner = 0;
		stripes[i].depth = 0;
	}
	if (page == NULL && lockfd >= 0) {
		struct flock fl;

		memset(&fl, 0, sizeof fl);
		fl.l_type = F_UNLCK;
		fl.l_whence = SEEK_SET;
		fl.l_start = 0;
		fl.l_len = CLAIM_BASE;
		(void)real.fcntl(lockfd, F_OFD_SETLK, &fl);
	}
	nheld = 0;
}
