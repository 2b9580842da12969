/* SPDX-License-Identifier: MIT */
/*
 * fuzz_resolve.c: libFuzzer target for the resolver (SPEC 5.5): whatever
 * path a program writes, with symbolic links in play, a resolution under a
 * mount never yields a backing path outside that mount's root.
 *
 * Built from the library's core (preload/ without its wrap_*.c, so that
 * nothing is interposed in this process) and run in a world made by
 * resolve_tree.sh: EFSAP_CONFIG names its efsap.conf, which init.c's
 * constructor loads before main (two mounts of one file system: /m, its
 * root, and /ap, through an access point rooted at /apdir).
 *
 * Input: SELECTOR PATH [NUL ...].  The selector byte chooses the start
 * (bits 0-2, see start()), EFS_R_FOLLOW unless bit 5 is set (so upper-case
 * letters follow, lower-case ones do not) and EFS_R_EMPTY with bit 4.
 * PATH ends at the first NUL, at most EFS_PATH_MAX + 64 bytes.
 *
 * Checked on every result (abort() on a violation):
 *  - the result is 0, EFS_NOT_MAPPED or -errno among those a walk may give;
 *  - 0: babs is the mount's broot followed by "" or "/name..." with no
 *    empty, "." or ".." component; every directory on the way is a real
 *    directory, not a link (lstat); realpath() of the parent stays under
 *    the root; the final object is what r.st says (or is missing, when
 *    r.exists is 0); the view is normal, under the mount point, and its
 *    tail equals babs's tail; resolving the view again gives the same babs;
 *  - EFS_NOT_MAPPED: the host path is lexically under no mount point, and
 *    it lies under the backing directory only when the input asked for it
 *    (the backing directory's name, or a tobk* link that names it: see
 *    resolve_tree.sh), never because the resolver spliced a backing path.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "env.h"
#include "path.h"
#include "resolve.h"
#include "state.h"

#define IN_MAX	(EFS_PATH_MAX + 64)

static char bk[PATH_MAX];			/* realpath of the backing directory */
static const char *marker;			/* its last component */
static char rroot[EFS_MAX_MOUNTS][PATH_MAX];	/* realpath of each mount's root */
static int fd_m = -1, fd_ap = -1;		/* descriptors under /m/d1/d2 and /ap */

static void
die(const char *msg)
{
	fprintf(stderr, "fuzz_resolve: %s\n", msg);
	fprintf(stderr, "fuzz_resolve: build the world with `sh tests/fuzz/resolve_tree.sh DIR` "
	    "and run with EFSAP_CONFIG=DIR/efsap.conf (tests/fuzz/run.sh does)\n");
	_exit(2);
}

/*
 * Before init.c's constructor (default priority) loads the configuration:
 * without EFSAP_CONFIG it would fall back to a built-in default and create
 * efs-data/ in the current directory.
 */
__attribute__((constructor(101))) static void
need_config(void)
{
	const char *c = getenv(EFSAP_ENV_CONFIG);

	if (c == NULL || *c == '\0')
		die("EFSAP_CONFIG is not set");
	if (access(c, R_OK) != 0)
		die("EFSAP_CONFIG names no readable file");
	/* a clean start: nothing inherited from an efsap parent */
	unsetenv(EFSAP_ENV_DISABLE);
	unsetenv(EFSAP_ENV_LOG);
	unsetenv(EFSAP_ENV_CRED);
	unsetenv(EFSAP_ENV_CWD);
	unsetenv(EFSAP_ENV_FDS);
}

/* Is p (text) s itself or below it? */
static int
under(const char *p, const char *s)
{
	size_t n = strlen(s);

	return strncmp(p, s, n) == 0 && (p[n] == '\0' || p[n] == '/');
}

static int
open_dir(const char *b, const char *rel, int mount, int flags)
{
	char p[EFS_PATH_MAX * 2];
	int fd;

	snprintf(p, sizeof p, "%s%s", b, rel);
	if ((fd = open(p, flags | O_DIRECTORY | O_CLOEXEC)) < 0) {
		fprintf(stderr, "fuzz_resolve: %s: %s\n", p, strerror(errno));
		die("the tree is incomplete");
	}
	efs_fd_mark(fd, mount, (flags & O_PATH) != 0);
	return fd;
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct stat st;
	char p[EFS_PATH_MAX * 2];
	const char *s;
	int k;

	(void)argc;
	(void)argv;
	if (!efs.ready)
		die("efsap did not start");
	if (efs.nmnt != 2 || strcmp(efs.mnt[0].cpath, "/m") != 0 ||
	    strcmp(efs.mnt[1].cpath, "/ap") != 0 || efs.mnt[1].m->ap < 0)
		die("the configuration is not resolve_tree.sh's (/m, then /ap through an access point)");
	if (realpath(efs.cfg.backing, bk) == NULL)
		die("no backing directory");
	marker = (s = strrchr(bk, '/')) != NULL ? s + 1 : bk;
	for (k = 0; k < efs.nmnt; k++) {
		if (realpath(efs.mnt[k].broot, rroot[k]) == NULL ||
		    strcmp(rroot[k], efs.mnt[k].broot) != 0 || !under(rroot[k], bk))
			die("a mount's backing root is not canonical");
	}
	snprintf(p, sizeof p, "%s/tobk", efs.mnt[0].broot);
	if (lstat(p, &st) != 0 || !S_ISLNK(st.st_mode))
		die("the tree is incomplete");
	fd_m = open_dir(efs.mnt[0].broot, "/d1/d2", 0, O_PATH);
	fd_ap = open_dir(efs.mnt[1].broot, "", 1, O_RDONLY);
	return 0;
}

/* The case at hand, for the report. */
static struct {
	int sel, flags, dirfd, rc;
	const char *cwd;
	const char *path;
	const struct efs_res *r;
} now;

static void __attribute__((noreturn))
fail(const char *why)
{
	const struct efs_res *r = now.r;

	fprintf(stderr, "\nfuzz_resolve: INVARIANT VIOLATED: %s\n"
	    "  selector 0x%02x: cwd \"%s\", dirfd %d, flags%s%s\n"
	    "  path \"%s\"\n  rc %d\n", why, now.sel, now.cwd, now.dirfd,
	    now.flags & EFS_R_FOLLOW ? " FOLLOW" : "", now.flags & EFS_R_EMPTY ? " EMPTY" : "",
	    now.path, now.rc);
	if (now.rc == 0)
		fprintf(stderr, "  mount %d (root %s)\n  view \"%s\"\n  babs \"%s\"\n"
		    "  exists %d is_root %d dotlast %d slash %d bparent %zu\n",
		    r->mount, r->mount >= 0 && r->mount < efs.nmnt ? efs.mnt[r->mount].broot : "?",
		    r->view, r->babs, r->exists, r->is_root, r->dotlast, r->slash, r->bparent);
	else if (now.rc == EFS_NOT_MAPPED)
		fprintf(stderr, "  host \"%s\"\n", r->host);
	abort();
}

static int
known_error(int rc)
{
	switch (-rc) {
	case ENOENT: case ENOTDIR: case EACCES: case ELOOP: case ENAMETOOLONG:
	case EFAULT: case ESTALE: case EINVAL:
		return 1;
	}
	return 0;
}

/* Is r's object on the host what the resolver says it is? */
static void
check_object(const struct efs_res *r, int flags)
{
	char buf[EFS_PATH_MAX], rp[PATH_MAX];
	struct stat st;
	size_t i, end = r->is_root ? strlen(r->babs) : r->bparent;
	const char *rootp = efs.mnt[r->mount].broot;
	size_t blen = strlen(rootp);

	/* every directory from the root down to the parent: a directory, not a link */
	for (i = blen; i <= end; i++) {
		if (i != end && r->babs[i] != '/')
			continue;
		memcpy(buf, r->babs, i);
		buf[i] = '\0';
		if (lstat(buf, &st) != 0)
			fail("a directory on the backing path does not exist");
		if (S_ISLNK(st.st_mode))
			fail("a directory on the backing path is a symbolic link");
		if (!S_ISDIR(st.st_mode))
			fail("a directory on the backing path is not a directory");
	}
	/* where the kernel lands with it: still under the root */
	memcpy(buf, r->babs, end);
	buf[end] = '\0';
	if (realpath(buf, rp) == NULL)
		fail("realpath of the parent fails");
	if (!under(rp, rroot[r->mount]))
		fail("the parent's realpath leaves the mount's root");
	/* the final object */
	if (lstat(r->babs, &st) != 0) {
		if (r->exists || errno != ENOENT)
			fail("the object does not exist but r.exists says it does");
		return;
	}
	if (!r->exists)
		fail("r.exists says missing but the object exists");
	if (st.st_dev != r->st.st_dev || st.st_ino != r->st.st_ino)
		fail("r.st is not the object at babs");
	if (S_ISLNK(st.st_mode) && ((flags & EFS_R_FOLLOW) || r->slash || r->is_root || r->dotlast))
		fail("a final symbolic link was not followed");
	if (r->slash && !S_ISDIR(st.st_mode) && !S_ISLNK(st.st_mode))
		fail("a path ending in '/' names a non-directory");
	if (S_ISDIR(st.st_mode)) {
		if (realpath(r->babs, rp) == NULL || !under(rp, rroot[r->mount]))
			fail("the object's realpath leaves the mount's root");
	}
}

static void
check_mapped(struct efs_call *c, const struct efs_res *r, int flags)
{
	static struct efs_res again;
	struct efs_call c2;
	const struct efs_mnt *mt;
	const char *p, *e;
	size_t n;
	int rc;

	if (r->mount < 0 || r->mount >= efs.nmnt || r->mt != &efs.mnt[r->mount])
		fail("r.mount and r.mt disagree");
	if (c->mount != r->mount)
		fail("the call's mount is not the result's");
	mt = r->mt;
	n = strnlen(r->babs, sizeof r->babs);
	if (n >= sizeof r->babs)
		fail("babs is not terminated");
	if (!under(r->babs, mt->broot))
		fail("babs is not under the mount's root");
	/* no empty, "." or ".." component below the root; names of at most 255 bytes */
	for (p = r->babs + mt->blen; *p == '/'; p = e) {
		e = strchr(p + 1, '/');
		if (e == NULL)
			e = p + strlen(p);
		n = (size_t)(e - p - 1);
		if (n == 0 || n > EFS_NAME_MAX || (n == 1 && p[1] == '.') ||
		    (n == 2 && p[1] == '.' && p[2] == '.'))
			fail("babs has an empty, \".\", \"..\" or too long component");
	}
	if (*p != '\0')
		fail("babs is malformed");
	/* the view: normal, under the mount point, the same path as babs below the root */
	if (!efs_path_is_normal(r->view) || !under(r->view, mt->cpath))
		fail("the view is not a normal path under the mount point");
	if (strcmp(r->view + mt->clen, r->babs + mt->blen) != 0)
		fail("the view and babs disagree below the mount");
	if (r->is_root != (r->babs[mt->blen] == '\0'))
		fail("r.is_root is wrong");
	if (r->is_root && !r->exists)
		fail("a mount root that does not exist");
	if (!r->is_root) {
		if (r->bparent < mt->blen || r->babs[r->bparent] != '/' ||
		    r->name != r->babs + r->bparent + 1 || r->name[0] == '\0' ||
		    strchr(r->name, '/') != NULL)
			fail("r.bparent or r.name is wrong");
	}
	/*
	 * Below a deep working directory the view and the backing path may
	 * pass PATH_MAX (only the string a call passes is limited): the host
	 * cannot be asked about them by absolute path, and the textual checks
	 * above are what holds.
	 */
	if (strlen(r->babs) >= PATH_MAX || strlen(r->view) >= PATH_MAX)
		return;
	check_object(r, flags);
	/* the view names the same object: resolving it again lands on the same backing path */
	memset(&c2, 0, sizeof c2);
	c2.mount = -1;
	rc = efs_resolve(&c2, AT_FDCWD, r->view, flags & ~EFS_R_EMPTY, &again);
	if (rc != 0 || again.mount != r->mount || strcmp(again.babs, r->babs) != 0)
		fail("resolving the view again gives another result");
}

static void
check_host(const char *input, const struct efs_res *r)
{
	char norm[EFS_PATH_MAX];
	int k, spliced = 0;

	if (strnlen(r->host, sizeof r->host) >= sizeof r->host)
		fail("r.host is not terminated");
	if (r->host[0] != '/')
		fail("r.host is relative, though every start here is absolute");
	if (efs_path_join("/", r->host, norm, sizeof norm) < 0)
		return;
	if (efs_path_mount(&efs.cfg, norm, NULL) >= 0)
		fail("r.host is under a mount point");
	/* a host path under the backing directory: the input must have asked for it */
	if (under(norm, bk))
		spliced = 1;
	for (k = 0; k < efs.nmnt; k++)
		if (under(norm, efs.mnt[k].broot))
			spliced = 1;
	if (spliced && strstr(input, "tobk") == NULL && strstr(input, marker) == NULL)
		fail("r.host is a backing path the input never named");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char input[IN_MAX + 1], path[IN_MAX + 16];
	static struct efs_res r;
	static struct efs_call c;
	const char *cwd = "/", *pre = "";
	int cwd_mount = -1, dirfd = AT_FDCWD, sel, flags, rc;
	size_t i;

	if (size < 1)
		return 0;
	sel = data[0];
	for (i = 1; i < size && data[i] != '\0' && i - 1 < IN_MAX; i++)
		input[i - 1] = (char)data[i];
	input[i - 1] = '\0';
	flags = (sel & 0x20) ? 0 : EFS_R_FOLLOW;
	if (sel & 0x10)
		flags |= EFS_R_EMPTY;
	switch (sel & 7) {
	case 0: break;						/* as written, cwd "/" */
	case 1: pre = "/m/"; break;
	case 2: pre = "/ap/"; break;
	case 3: cwd = "/m/d1"; cwd_mount = 0; break;
	case 4: cwd = "/ap/sub"; cwd_mount = 1; break;
	case 5: dirfd = fd_m; break;				/* /m/d1/d2, O_PATH */
	case 6: dirfd = fd_ap; break;				/* /ap */
	case 7: cwd = "/m"; cwd_mount = 0; break;
	}
	snprintf(path, sizeof path, "%s%s", pre, input);

	pthread_mutex_lock(&efs.lock);
	strcpy(efs.cwd, cwd);
	efs.cwd_mount = cwd_mount;
	pthread_mutex_unlock(&efs.lock);
	/* every input starts with cold caches, so that a run is reproducible */
	efs_gen_bump();

	/* poison: a field the resolver should have set and did not shows up */
	memset(&r, 0xa5, sizeof r);
	memset(&c, 0, sizeof c);
	c.op = "fuzz";
	c.path = path;
	c.mount = -1;
	c.why = EFS_WHY_NONE;
	now.sel = sel;
	now.flags = flags;
	now.dirfd = dirfd;
	now.cwd = cwd;
	now.path = path;
	now.r = &r;
	now.rc = 0;
	efs_guard = 1;
	rc = efs_resolve(&c, dirfd, path, flags, &r);
	efs_guard = 0;
	now.rc = rc;
#ifdef FUZZ_RESOLVE_TRACE	/* -DFUZZ_RESOLVE_TRACE: one line per input, to see what the seeds do */
	fprintf(stderr, "[%c] %.60s -> %d %s\n", sel, path, rc,
	    rc == 0 ? r.babs : rc == EFS_NOT_MAPPED ? r.host : "");
#endif

	if (rc == 0) {
		if (path[0] == '\0' && dirfd != AT_FDCWD) {
			/* AT_EMPTY_PATH on a descriptor: the descriptor itself, no babs */
			if (r.mount != efs_fd_mount(dirfd) || r.babs[0] != '\0')
				fail("AT_EMPTY_PATH on a descriptor resolved elsewhere");
			return 0;
		}
		check_mapped(&c, &r, flags);
	} else if (rc == EFS_NOT_MAPPED)
		check_host(input, &r);
	else if (rc > 0 || !known_error(rc))
		fail("an unexpected result");
	return 0;
}
