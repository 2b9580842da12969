/* SPDX-License-Identifier: MIT */
/*
 * wrap_dl.c: dlopen and dlmopen of shared objects under a mount.  The
 * dynamic loader opens files with its own system calls, which no wrapper
 * sees, so a path under a mount (ctypes.CDLL("/mnt/x/libfoo.so"), a Python
 * extension module in a venv on a mount) is resolved here, judged as the
 * open for reading the loader makes, and handed to the loader as its
 * backing path.  A bare name is searched in the LD_LIBRARY_PATH entries in
 * order, as the loader does, entries under a mount included; what none of
 * them has is left to the loader (RUNPATH, the cache, the defaults).
 * A refusal reaches the program through dlerror(), as the loader's own.
 *
 * The loader names what it loaded from a mount by the backing path it was
 * given, so dladdr, dladdr1, dl_iterate_phdr and dlinfo(RTLD_DI_ORIGIN)
 * answer with the program-view path instead.  The link_map itself
 * (dladdr1's RTLD_DL_LINKMAP, dlinfo's RTLD_DI_LINKMAP) is the loader's and
 * keeps its l_name: the loader matches names and computes $ORIGIN from it.
 */
#include <dlfcn.h>
#include <errno.h>
#include <link.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "act.h"
#include "perm.h"
#include "real.h"
#include "resolve.h"
#include "state.h"

/*
 * The message of efsap's last refusal on this thread, for dlerror(): a
 * buffer allocated on the thread's first refusal (static TLS stays small)
 * and freed when the thread exits.
 */
#define DL_MSG_MAX	320
static __thread char *dl_msg;
static __thread char dl_msg_set;
static pthread_key_t dl_key;
static pthread_once_t dl_once = PTHREAD_ONCE_INIT;

static void
dl_key_make(void)
{
	(void)pthread_key_create(&dl_key, free);
}

/*
 * Where the loader finds file (a path with a slash) under a mount: 0 with
 * its backing path in out, EFS_NOT_MAPPED when it is not under one, or
 * -errno (ENOENT, EACCES, ...).
 */
static int
dl_backing(struct efs_call *c, const char *file, char *out, size_t len)
{
	struct efs_res *r;
	int rc;

	if (!efs_may_map(AT_FDCWD, file))
		return EFS_NOT_MAPPED;
	if ((r = efs_res_new()) == NULL)
		return -ENOMEM;
	rc = efs_resolve(c, AT_FDCWD, file, EFS_R_FOLLOW, r);
	if (rc == EFS_NOT_MAPPED)
		return EFS_NOT_MAPPED;
	if (rc == 0 && !r->exists)
		rc = -ENOENT;
	if (rc == 0 && S_ISDIR(r->st.st_mode))
		rc = -EISDIR;
	if (rc == 0)
		rc = efs_need_access(c, r, EFS_MAY_READ);
	if (rc == 0 && (size_t)snprintf(out, len, "%s", r->babs) >= len)
		rc = -ENAMETOOLONG;
	return rc;
}

/*
 * A bare name: the first LD_LIBRARY_PATH entry that holds it, entries under
 * a mount resolved by efsap and host ones looked at as the loader would.
 * 0 with the path to hand the loader in out, or 1 when the loader should
 * search as usual.
 */
static int
dl_search(struct efs_call *c, const char *name, char *out, size_t len)
{
	const char *llp = getenv("LD_LIBRARY_PATH"), *p, *e;
	char *cand;
	size_t mark = efs_scratch_mark();
	int rc = 1, any = 0;

	if (llp == NULL || (cand = efs_scratch_path()) == NULL)
		return 1;
	for (p = llp; *p != '\0' && rc == 1; p = *e != '\0' ? e + 1 : e) {
		e = p + strcspn(p, ":;");
		if (e == p || (size_t)snprintf(cand, EFS_PATH_MAX, "%.*s/%s", (int)(e - p), p,
		    name) >= EFS_PATH_MAX)
			continue;
		if (efs_may_map(AT_FDCWD, cand)) {
			any = 1;
			if (dl_backing(c, cand, out, len) == 0)
				rc = 0;
		} else if (real.access(cand, F_OK) == 0)
			break;		/* a host entry has it first: the loader finds it */
	}
	efs_scratch_release(mark);
	return any ? rc : 1;
}

static void
refuse(const char *file, int err)
{
	if (dl_msg == NULL) {
		pthread_once(&dl_once, dl_key_make);
		if ((dl_msg = malloc(DL_MSG_MAX)) == NULL)
			return;
		(void)pthread_setspecific(dl_key, dl_msg);
	}
	snprintf(dl_msg, DL_MSG_MAX, "%s: cannot open shared object file: %s", file,
	    strerror(err));
	dl_msg_set = 1;
}

/* The loader's own call: dlmopen when m, else dlopen. */
static void *
loader(int m, Lmid_t lmid, const char *file, int mode)
{
	return m ? real.dlmopen(lmid, file, mode) : real.dlopen(file, mode);
}

static void *
dl_open(const char *op, int m, Lmid_t lmid, const char *file, int mode)
{
	struct efs_call c;
	char *path;
	void *h;
	int rc;

	dl_msg_set = 0;
	if (file == NULL || !efs_enter(&c, op, file))
		goto pass;
	if ((path = efs_scratch_path()) == NULL) {
		efs_leave(&c, 0);
		goto pass;
	}
	rc = strchr(file, '/') != NULL ? dl_backing(&c, file, path, EFS_PATH_MAX) :
	    dl_search(&c, file, path, EFS_PATH_MAX);
	if (rc < 0) {
		refuse(file, -rc);
		efs_leave(&c, rc);	/* logged as the call's refusal; errno as the loader leaves it */
		return NULL;
	}
	if (rc != 0) {
		efs_pass(&c, 0);
		goto pass;
	}
	h = loader(m, lmid, path, mode);
	efs_leave(&c, 0);
	return h;
pass:
	return loader(m, lmid, file, mode);
}

EFS_EXPORT void *
dlopen(const char *file, int mode)
{
	if (real.dlopen == NULL)
		efs_real_bind();
	return dl_open("dlopen", 0, LM_ID_BASE, file, mode);
}

EFS_EXPORT void *
dlmopen(Lmid_t lmid, const char *file, int mode)
{
	if (real.dlmopen == NULL)
		efs_real_bind();
	return dl_open("dlmopen", 1, lmid, file, mode);
}

/* The loader's last error, or efsap's refusal when that came last. */
EFS_EXPORT char *
dlerror(void)
{
	if (real.dlerror == NULL)
		efs_real_bind();
	if (dl_msg_set) {
		dl_msg_set = 0;
		(void)real.dlerror();	/* the loader's older message goes too */
		return dl_msg;
	}
	return real.dlerror();
}

/* ---- the loader's answers, in the program's view ---- */

/* Could name be a backing path under a mount (a prefix test, no copy)? */
static int
under_backing(const char *name)
{
	int k;

	if (name == NULL || name[0] != '/')
		return 0;
	for (k = 0; k < efs.nmnt; k++) {
		const struct efs_mnt *mt = &efs.mnt[k];

		if (strncmp(name, mt->broot, mt->blen) == 0 &&
		    (name[mt->blen] == '\0' || name[mt->blen] == '/'))
			return 1;
	}
	return 0;
}

/*
 * dladdr's names live as long as the object is loaded: each backing name
 * seen gets its view once, for the process's life, in a list that only
 * grows (pushed by CAS; a name two threads add at once is there twice,
 * harmlessly).  A node is its own mapping: objects loaded from mounts are
 * few.
 */
struct dl_name {
	struct dl_name *next;
	const char *view;
	char backing[];			/* then the view */
};

static struct dl_name *dl_names;	/* atomic: CAS push (release), load (acquire) */

static const char *
interned_view(const char *backing)
{
	struct dl_name *n, *head;
	size_t bl, vl, mark, size;
	char *view;

	for (n = __atomic_load_n(&dl_names, __ATOMIC_ACQUIRE); n != NULL; n = n->next)
		if (strcmp(n->backing, backing) == 0)
			return n->view;
	mark = efs_scratch_mark();
	if ((view = efs_scratch_path()) == NULL || efs_backing_to_view(backing, view,
	    EFS_PATH_MAX) != 0) {
		efs_scratch_release(mark);
		return backing;
	}
	bl = strlen(backing);
	vl = strlen(view);
	size = sizeof *n + bl + 1 + vl + 1;
	n = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (n == MAP_FAILED) {
		efs_scratch_release(mark);
		return backing;
	}
	memcpy(n->backing, backing, bl + 1);
	memcpy(n->backing + bl + 1, view, vl + 1);
	n->view = n->backing + bl + 1;
	efs_scratch_release(mark);
	head = __atomic_load_n(&dl_names, __ATOMIC_RELAXED);
	do
		n->next = head;
	while (!__atomic_compare_exchange_n(&dl_names, &head, n, 1, __ATOMIC_RELEASE,
	    __ATOMIC_RELAXED));
	return n->view;
}

EFS_EXPORT int
dladdr(const void *addr, Dl_info *info)
{
	int rc;

	if (real.dladdr == NULL)
		efs_real_bind();
	rc = real.dladdr(addr, info);
	if (rc != 0 && efs_active() && under_backing(info->dli_fname))
		info->dli_fname = interned_view(info->dli_fname);
	return rc;
}

EFS_EXPORT int
dladdr1(const void *addr, Dl_info *info, void **extra, int flags)
{
	int rc;

	if (real.dladdr1 == NULL)
		efs_real_bind();
	rc = real.dladdr1(addr, info, extra, flags);
	if (rc != 0 && efs_active() && under_backing(info->dli_fname))
		info->dli_fname = interned_view(info->dli_fname);
	return rc;
}

/* RTLD_DI_ORIGIN copies the directory into the caller's buffer (PATH_MAX bytes). */
EFS_EXPORT int
dlinfo(void *handle, int request, void *arg)
{
	size_t mark;
	char *view;
	int rc;

	if (real.dlinfo == NULL)
		efs_real_bind();
	rc = real.dlinfo(handle, request, arg);
	if (rc != 0 || request != RTLD_DI_ORIGIN || !efs_active() || !under_backing(arg))
		return rc;
	mark = efs_scratch_mark();
	if ((view = efs_scratch_path()) != NULL &&
	    efs_backing_to_view(arg, view, EFS_PATH_MAX) == 0)
		memcpy(arg, view, strlen(view) + 1);
	efs_scratch_release(mark);
	return rc;
}

/*
 * dl_iterate_phdr: the program's callback sees a copy of each entry whose
 * name is a backing path, named in the program's view; the copy and the
 * name live in this thread's scratch arena for the callback's duration
 * (no malloc: unwinders iterate from awkward places; a nested iteration
 * from the callback takes its own, above).  Other entries pass as the
 * loader gives them.
 */
struct dl_iter {
	int (*cb)(struct dl_phdr_info *, size_t, void *);
	void *data;
};

static int
iter_one(struct dl_phdr_info *info, size_t size, void *data)
{
	struct dl_iter *it = data;
	struct dl_phdr_info *copy;
	size_t mark;
	char *view;
	int rc;

	if (!under_backing(info->dlpi_name) || size < offsetof(struct dl_phdr_info, dlpi_phdr))
		return it->cb(info, size, it->data);
	mark = efs_scratch_mark();
	if ((copy = efs_scratch_alloc(size)) == NULL || (view = efs_scratch_path()) == NULL ||
	    efs_backing_to_view(info->dlpi_name, view, EFS_PATH_MAX) != 0) {
		efs_scratch_release(mark);
		return it->cb(info, size, it->data);
	}
	memcpy(copy, info, size);
	copy->dlpi_name = view;
	rc = it->cb(copy, size, it->data);
	efs_scratch_release(mark);
	return rc;
}

EFS_EXPORT int
dl_iterate_phdr(int (*cb)(struct dl_phdr_info *, size_t, void *), void *data)
{
	struct dl_iter it = { cb, data };

	if (real.dl_iterate_phdr == NULL)
		efs_real_bind();
	if (!efs_active() || efs.nmnt == 0)
		return real.dl_iterate_phdr(cb, data);
	return real.dl_iterate_phdr(iter_one, &it);
}
