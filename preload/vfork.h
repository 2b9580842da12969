/* SPDX-License-Identifier: MIT */
/*
 * vfork.h: a real vfork.  The child shares the parent's memory, and with
 * it efsap's state; the parent saves what a child's wrappers may change
 * before the vfork and puts it back when the child has gone (exec or
 * exit), with its signals blocked in between.  Each module saves its own
 * part into its own static room: one vfork at a time, as only a
 * single-threaded process outside any wrapper takes a real one.
 */
#ifndef EFSAP_VFORK_H
#define EFSAP_VFORK_H

#include <stddef.h>

#include "efsap.h"

/*
 * Set while a real vfork's child runs: what runs on this memory then is
 * the child (the parent is suspended, and has no other thread).
 */
extern int efs_vfork_child EFS_HIDDEN;

/* state.c: identity, working directory, umask, descriptor marks.  0, or -1: fork instead. */
int efs_state_vsave(void) EFS_HIDDEN;
void efs_state_vrestore(int child_died_inside) EFS_HIDDEN;

/* store.c: the store's descriptors and claim; locks a child left held are released. */
void efs_store_vsave(void) EFS_HIDDEN;
void efs_store_vrestore(void) EFS_HIDDEN;
/* Did the vfork child leave a store lock held (it died taking or holding one)? */
int efs_store_locks_held(void) EFS_HIDDEN;

/* resolve.c: the thread's pins and descriptor view. */
void efs_resolve_vsave(void) EFS_HIDDEN;
void efs_resolve_vrestore(int child_died_inside) EFS_HIDDEN;

/* wrap_dir.c and wrap_walk.c: the directory streams and the walk being made. */
void efs_dir_vsave(void) EFS_HIDDEN;
void efs_dir_vrestore(void) EFS_HIDDEN;
void efs_walk_vsave(void) EFS_HIDDEN;
void efs_walk_vrestore(void) EFS_HIDDEN;

/*
 * A mapping a wrapper makes for itself and unmaps before it returns
 * (exec's vectors): in a vfork child whose exec succeeds it would stay in
 * the parent's address space, so the parent unmaps it.  Note it after
 * mmap, forget it before munmap.
 */
void efs_vfork_mapped(void *p, size_t len) EFS_HIDDEN;
void efs_vfork_unmapped(void *p) EFS_HIDDEN;

/* A fork child (of a vfork child, maybe) has its own memory: no vfork is under way there. */
void efs_vfork_atfork_child(void) EFS_HIDDEN;

/* Called by the exec wrapper just before the kernel's exec. */
void efs_vfork_exec_note(void) EFS_HIDDEN;

#endif
