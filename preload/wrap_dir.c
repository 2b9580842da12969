/* SPDX-License-Identifier: MIT */
/*
 * wrap_dir.c: mount points in their host parent's listing ("one tree").
 *
 * A mount point need not exist on the host (an unprivileged user cannot
 * make /shared-storage), yet a container shows it in `ls /`.  readdir of
 * a host directory on the way to a mount point (a descriptor marked
 * EFS_FD_HOSTANC when it was opened) goes on, after the host's own
 * entries, with the mount points that are its children and that the host
 * lacks.  Every other stream pays one byte load per entry.
 *
 * The position among the extra entries is kept per stream in a few slots,
 * claimed on the first extra entry and freed by closedir: a stream is
 * read by one thread at a time (POSIX), so a slot needs no lock once
 * claimed.  With every slot taken, a listing simply lacks its extras.
 */
#include <dirent.h>
#include <string.h>
#include <unistd.h>

#include "real.h"
#include "resolve.h"
#include "state.h"
#include "vfork.h"

#define SLOTS	16

static struct slot {
	DIR *dir;			/* the stream, claimed by compare-and-swap; NULL: free */
	int next;			/* the next mount to consider */
	union {
		struct dirent de;
		struct dirent64 de64;
	} u;
} slots[SLOTS];

static struct slot *
slot_find(DIR *d)
{
	int i;

	for (i = 0; i < SLOTS; i++)
		if (__atomic_load_n(&slots[i].dir, __ATOMIC_ACQUIRE) == d)
			return &slots[i];
	return NULL;
}

static struct slot *
slot_claim(DIR *d)
{
	struct slot *s;
	int i;

	if ((s = slot_find(d)) != NULL)
		return s;
	for (i = 0; i < SLOTS; i++) {
		DIR *none = NULL;

		if (__atomic_compare_exchange_n(&slots[i].dir, &none, d, 0,
		    __ATOMIC_ACQ_REL, __ATOMIC_RELAXED)) {
			slots[i].next = 0;
			return &slots[i];
		}
	}
	return NULL;
}

void
efs_dir_gone(void *d)
{
	struct slot *s = slot_find(d);

	if (s != NULL)
		__atomic_store_n(&s->dir, NULL, __ATOMIC_RELEASE);
}

/* The inode a stat of mount k's point reports: its backing root's. */
static ino_t
root_ino(const struct efs_mnt *mt)
{
	struct stat st;
	int fd = __atomic_load_n(&mt->rootfd, __ATOMIC_RELAXED);

	if ((fd >= 0 ? real.fstat(fd, &st) : real.stat(mt->broot, &st)) != 0)
		return 1;
	return st.st_ino;
}

/* After the host's last entry of stream d: the next extra one, or NULL. */
static void *
extra(DIR *d, int fd, int wide)
{
	struct efs_call c;
	struct slot *s;
	char *dir;
	const char *name;
	size_t len, mark;
	int k = -1;

	if (!efs_enter(&c, "readdir", NULL))
		return NULL;
	mark = efs_scratch_mark();
	if ((s = slot_claim(d)) != NULL && (dir = efs_scratch_path()) != NULL &&
	    efs_fd_hostpath(fd, dir, EFS_PATH_MAX) == 0) {
		k = efs_mount_point_next(fd, dir, s->next, &name, &len);
		s->next = k >= 0 ? k + 1 : efs.nmnt;
	}
	efs_scratch_release(mark);
	if (k < 0)
		return (void *)efs_pass(&c, 0);
	if (wide) {
		struct dirent64 *e = &s->u.de64;

		e->d_ino = root_ino(&efs.mnt[k]);
		e->d_off = (off64_t)(k + 1) << 32;
		e->d_reclen = sizeof *e;
		e->d_type = DT_DIR;
		memcpy(e->d_name, name, len);
		e->d_name[len] = '\0';
	} else {
		struct dirent *e = &s->u.de;

		e->d_ino = root_ino(&efs.mnt[k]);
		e->d_off = (off_t)(k + 1) << (sizeof(off_t) > 4 ? 32 : 16);
		e->d_reclen = sizeof *e;
		e->d_type = DT_DIR;
		memcpy(e->d_name, name, len);
		e->d_name[len] = '\0';
	}
	errno = c.saved_errno;
	return (void *)efs_pass(&c, (long)&s->u);
}

/* Is this entry of an image directory efsap's staging directory, never listed? */
#define STAGED_ENTRY(d, e)	((e) != NULL && (e)->d_name[0] == '.' && \
	strcmp((e)->d_name, EFS_IMAGE_STAGE) == 0 && efs.img > 0 && \
	efs_fd_mount(dirfd(d)) == efs.img)

EFS_EXPORT struct dirent *
readdir(DIR *d)
{
	struct dirent *e;
	int fd, saved = errno;

	if (real.readdir == NULL)
		efs_real_bind();
	if (!efs_null(d) && efs.img > 0 && !efs_fd_is_anc(dirfd(d))) {
		do
			e = real.readdir(d);
		while (STAGED_ENTRY(d, e));
		return e;
	}
	if (efs_null(d) || !efs_fd_is_anc(fd = dirfd(d)))
		return real.readdir(d);
	errno = 0;
	if ((e = real.readdir(d)) != NULL || errno != 0) {
		if (e != NULL)
			errno = saved;
		return e;
	}
	errno = saved;
	return extra(d, fd, 0);
}

#if EFS_LFS_ALIASES
EFS_EXPORT struct dirent64 *
readdir64(DIR *d)
{
	return (struct dirent64 *)readdir(d);
}
#elif EFS_LFS64
EFS_EXPORT struct dirent64 *
readdir64(DIR *d)
{
	struct dirent64 *e;
	int fd, saved = errno;

	if (real.readdir64 == NULL)
		efs_real_bind();
	if (!efs_null(d) && efs.img > 0 && !efs_fd_is_anc(dirfd(d))) {
		do
			e = real.readdir64(d);
		while (STAGED_ENTRY(d, e));
		return e;
	}
	if (efs_null(d) || !efs_fd_is_anc(fd = dirfd(d)))
		return real.readdir64(d);
	errno = 0;
	if ((e = real.readdir64(d)) != NULL || errno != 0) {
		if (e != NULL)
			errno = saved;
		return e;
	}
	errno = saved;
	return extra(d, fd, 1);
}
#endif

EFS_EXPORT void
rewinddir(DIR *d)
{
	struct slot *s;

	if (real.rewinddir == NULL)
		efs_real_bind();
	if (!efs_null(d) && efs_fd_is_anc(dirfd(d)) && (s = slot_find(d)) != NULL)
		s->next = 0;
	real.rewinddir(d);
}

/* A real vfork (vfork.h): the streams a child opened are not the parent's. */
static struct {
	DIR *dir;
	int next;
} vs[SLOTS];

void
efs_dir_vsave(void)
{
	int i;

	for (i = 0; i < SLOTS; i++) {
		vs[i].dir = slots[i].dir;
		vs[i].next = slots[i].next;
	}
}

void
efs_dir_vrestore(void)
{
	int i;

	for (i = 0; i < SLOTS; i++) {
		slots[i].dir = vs[i].dir;
		slots[i].next = vs[i].next;
	}
}
