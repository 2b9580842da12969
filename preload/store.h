/* SPDX-License-Identifier: MIT */
/*
 * store.h: the sidecar store beside the backing directory (.NAME.efsap/):
 * the names of its files, written here once; the record locks; the
 * generation shared by every process on the store; and the staging
 * directory where new objects get their record before they get a name.
 */
#ifndef EFSAP_STORE_H
#define EFSAP_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "efsap.h"

#define EFS_STORE_LOCK	"lock"		/* record locks: OFD locks on byte (inode) */
#define EFS_STORE_GEN	"gen.shm"	/* symbolic link to "SHMID:NONCE" */
#define EFS_STORE_STAGE	"new"		/* staging directory for new objects */

/* The store's own path: efs_store_name (handover.h) of the canonical backing directory. */

/*
 * Open the store at efs.store for this process and attach the shared
 * segment; the first process of a tree (first) also creates the store,
 * its lock file and staging directory and checks that it takes locks.
 * 0, or -errno with a sentence for the mount's message in why.
 */
int efs_store_open(int first, char *why, size_t len) EFS_HIDDEN;

/* "STORE/name" into buf: 0 or -ENAMETOOLONG. */
int efs_store_path(const char *name, char *buf, size_t len) EFS_HIDDEN;

/*
 * Serialise read-modify-write of the record of inode ino across threads
 * and processes.  The kernel holds the lock: it dies with its holder, a
 * waiter sleeps, and pid namespaces change nothing.  Returns whether it
 * was taken, for efs_store_unlock: a call that a signal handler made
 * inside another call waits at most about 50 ms (see slot_lock in store.c)
 * and then goes on without it.
 */
int efs_store_lock(uint64_t ino) EFS_HIDDEN;
void efs_store_unlock(uint64_t ino, int taken) EFS_HIDDEN;

/*
 * Counts shared by the processes of the store.  moves grows when an object
 * whose record lives in the store may take a name it did not have (its
 * create, a link: before; a rename: after), left after an object leaves a
 * name (unlink, rmdir); both while the name's lock is still held.
 *
 * A remover that reads efs_store_moves() before its look at a name and
 * again under the name's lock knows that no such object came to the name
 * in between.  A call that reads efs_store_changes() before its look and
 * again under the lock knows that the name still holds what it saw: a
 * name changes only by a departure or a rename (a create needs it free).
 * 0: not shared (no segment), so not known.
 */
uint64_t efs_store_moves(void) EFS_HIDDEN;
void efs_store_moved(void) EFS_HIDDEN;
void efs_store_left(void) EFS_HIDDEN;
uint64_t efs_store_changes(void) EFS_HIDDEN;

/*
 * Name locks, on (directory, name), the directory by its efs_dir_key so
 * that a rename of it or of an ancestor changes nothing: every call that
 * takes a name away from its object (unlink, rmdir, rename's source and
 * target) holds the locks of the names it empties or replaces, and so
 * does a record written by name (chmod, chown) while it checks that the
 * name still holds its object and writes.  So what a rename displaces is
 * what it looked at under the lock (and that object's store record goes
 * with it), and no record lands on an object that took the name since.
 * A create whose record lives in the store (a FIFO, a socket, a link; any
 * object without xattrs) holds the lock of the name it fills, so that a
 * remover that looked at a file under the lock removes that file, never
 * such an object put there since without its record going along (publish.c).
 * The name is the last component of a (the rest names a directory below
 * the one of key ka in a nested call, efs_pin_key).  Name locks come
 * before record locks, never after: a thread holding a record lock (a
 * signal handler came in) tries, and goes on without; a call a signal
 * handler made waits at most about 50 ms, and goes on without.  b may be
 * NULL (one name); held says what to give back.
 */
struct efs_names {
	int n;
	uint64_t h[2];
};
void efs_store_names_lock(uint64_t ka, const char *a, uint64_t kb, const char *b,
    struct efs_names *held) EFS_HIDDEN;
void efs_store_names_unlock(struct efs_names *held) EFS_HIDDEN;

/*
 * Staging: a fresh name in the staging directory ("new/CLAIM-SEQ"), for an
 * object that gets its record before it is renamed into place.  CLAIM is
 * a byte of the lock file that the process holds while it lives (taken on
 * its first staging); a staged name whose claim is free belongs to a
 * creator that died, and efs_store_sweep() removes it.  0 or -errno.
 */
int efs_store_stage(char *name, size_t len) EFS_HIDDEN;
/* The store directory's descriptor (O_PATH), for *at calls on staged names; -1 if closed. */
int efs_store_fd(void) EFS_HIDDEN;

/*
 * Remove the staged object (dirfd, name), and its store record when that
 * was its last name (efs_owner_forget).
 */
void efs_store_drop(int dirfd, const char *name) EFS_HIDDEN;

/* Remove what dead creators left in the staging directory, with their records. */
void efs_store_sweep(void) EFS_HIDDEN;

/* In a fork child: a lock file of its own (OFD locks are shared with the parent). */
void efs_store_atfork_child(void) EFS_HIDDEN;

/* The program closed descriptors first..last: forget the store's among them. */
void efs_store_fds_gone(unsigned int first, unsigned int last) EFS_HIDDEN;

#endif
