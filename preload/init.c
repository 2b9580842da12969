/* SPDX-License-Identifier: MIT */
/*
 * init.c: start-up (the "mount", SPEC 5.1): the constructor, the
 * configuration, the mounts and the sidecar store, the state inherited
 * from an efsap parent (identity, working directory, descriptors), the
 * log and the library's own path.  Start-up is the only place that reads
 * the environment, allocates or may exit the process; what it fills is
 * fixed afterwards, except the fields state.h names with another rule.
 * It has two parts: init_start at load time in every process, and the
 * rest (init_all) before main in a first process, at the first call in a
 * process an efsap process started (README, "Choices").
 */
#include <dlfcn.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

#include "attr.h"
#include "cconf.h"
#include "env.h"
#include "handover.h"
#include "owner.h"
#include "path.h"
#include "publish.h"
#include "real.h"
#include "resolve.h"
#include "state.h"
#include "store.h"
#include "thread.h"
#include "uaccess.h"

/* efs.gen's counter until the store's shared one is attached; then unused. */
static uint64_t private_gen;
/* Start-up runs once, under it; everything below is touched only inside. */
static pthread_once_t init_once = PTHREAD_ONCE_INIT;

static void
say(const char *s)
{
	if (write(2, s, strlen(s)) < 0)
		return;
}

/* Mount failure or bad configuration: a message, then exit before main. */
static void __attribute__((noreturn))
die(int status, const char *msg)
{
	say(msg);
	say("\n");
	_exit(status);
}

static void
invoker_ident(struct efs_ident *id)
{
	gid_t g[EFS_GROUPS_MAX];
	int n, i;

	id->uid = real.getuid();
	id->gid = real.getgid();
	n = real.getgroups(EFS_GROUPS_MAX, g);
	id->ngroups = n > 0 ? (unsigned)n : 0;
	for (i = 0; i < n; i++)
		id->groups[i] = g[i];
}

/* mkdir -p for the backing directory: missing parts get mode 0755. */
static int
mkdir_p(const char *path, mode_t mode)
{
	char buf[EFS_PATH_MAX];
	size_t i, n = strlen(path);

	if (n >= sizeof buf)
		return -ENAMETOOLONG;
	memcpy(buf, path, n + 1);
	for (i = 1; i <= n; i++) {
		if (buf[i] != '/' && buf[i] != '\0')
			continue;
		buf[i] = '\0';
		if (real.mkdir(buf, mode) != 0 && errno != EEXIST)
			return -errno;
		buf[i] = path[i];
	}
	return 0;
}

/*
 * The compiled configuration at path (EFSAP_CONFIG_COMPILED) into efs.cfg,
 * checked whole before anything trusts it: 0, or -1 with the reason in why.
 */
static int
load_compiled(const char *path, char *why, size_t wl)
{
	const char *e = NULL;
	void *p = MAP_FAILED;
	off_t n = 0;
	int fd, rc = -1;

	if (path[0] != '/')
		e = "not an absolute path";
	else if ((fd = real.open(path, O_RDONLY | O_CLOEXEC)) < 0)
		e = strerror(errno);
	else {
		n = lseek(fd, 0, SEEK_END);
		if (n < EFS_CCONF_HEADER || n > EFS_CCONF_MAX)
			e = "not a compiled efsap configuration (size)";
		else if ((p = mmap(NULL, (size_t)n, PROT_READ, MAP_PRIVATE, fd, 0)) == MAP_FAILED)
			e = strerror(errno);
		else
			rc = efs_cconf_decode(p, (size_t)n, &efs.cfg, why, wl) == 0 ? 0 : -1;
		real.close(fd);
	}
	if (p != MAP_FAILED)
		munmap(p, (size_t)n);
	if (e != NULL)
		snprintf(why, wl, "%s", e);
	return rc;
}

static void
init_self(void)
{
	Dl_info info;

	if (real.dladdr((void *)efs_init, &info) == 0 || info.dli_fname == NULL)
		goto none;
	/* LD_PRELOAD as given: absolute already when the launcher set it */
	if (info.dli_fname[0] == '/' && strlen(info.dli_fname) < sizeof efs.self) {
		strcpy(efs.self, info.dli_fname);
		return;
	}
	if (real.realpath(info.dli_fname, efs.self) != NULL)
		return;
none:
	efs.self[0] = '\0';
}

/*
 * The parser itself, when it is linked in (the fuzzers link the library's
 * start-up with it); in libefsap.so it is not, and this is NULL.
 */
extern __typeof__(efs_config_load) efs_config_load __attribute__((weak, visibility("hidden")));

typedef int conf_load_fn(const char *, size_t, size_t, const char *, const struct efs_ident *,
    struct efs_config *, struct efs_diags *);

/*
 * Parse file with libefsap-conf.so (conf_dso.c), loaded from the
 * directory of this library: only here are libconfig and Jansson loaded.
 * Returns what efs_config_load does; a parser that cannot be loaded is a
 * start-up error, said here.
 */
static int
parse_config(const char *file, const struct efs_ident *inv, struct efs_diags *d)
{
	char path[EFS_PATH_MAX], msg[3 * EFS_PATH_MAX];
	const char *slash = strrchr(efs.self, '/'), *e;
	conf_load_fn *fn;
	void *h;
	int rc;

	if (efs_config_load != NULL)
		return efs_config_load(file, inv, &efs.cfg, d);
	if (slash == NULL || (size_t)snprintf(path, sizeof path, "%.*s/%s",
	    (int)(slash - efs.self), efs.self, EFS_CONF_LIBNAME) >= sizeof path)
		die(EFSAP_EXIT_CONFIG, "efsap: cannot find the directory of libefsap.so, "
		    "where " EFS_CONF_LIBNAME " (the configuration parser) lies");
	if ((h = real.dlopen(path, RTLD_NOW | RTLD_LOCAL)) == NULL ||
	    (fn = (conf_load_fn *)dlsym(h, EFS_CONF_ENTRY)) == NULL) {
		e = real.dlerror != NULL ? real.dlerror() : NULL;
		snprintf(msg, sizeof msg, "efsap: %s (%s): cannot load the configuration parser "
		    "%s: %s (efsap run hands the library a compiled configuration instead)",
		    file, EFSAP_ENV_CONFIG, path, e != NULL ? e : "not found");
		die(EFSAP_EXIT_CONFIG, msg);
	}
	if ((rc = fn(EFSAP_VERSION, sizeof efs.cfg, sizeof *d, file, inv, &efs.cfg, d)) == -EPROTO) {
		snprintf(msg, sizeof msg, "efsap: %s is not from this efsap (%s)", path,
		    EFSAP_VERSION);
		die(EFSAP_EXIT_CONFIG, msg);
	}
	return rc;
}

static void
load_config(void)
{
	static struct efs_diags *diags;
	struct efs_ident inv;
	const char *file, *dflt, *cc;
	char cwd[EFS_PATH_MAX], msg[EFS_PATH_MAX + 400], why[200];
	int rc;

	invoker_ident(&inv);
	file = efs_handover_config();
	cc = efs_handover_compiled();
	if (cc != NULL && *cc != '\0') {
		if (load_compiled(cc, why, sizeof why) != 0) {
			snprintf(msg, sizeof msg, "efsap: %.*s (%s, the compiled form of %s): %s",
			    EFS_PATH_MAX, cc, EFSAP_ENV_COMPILED,
			    file != NULL && *file != '\0' ? file : "no file", why);
			die(EFSAP_EXIT_CONFIG, msg);
		}
		/* made from the configuration named, or stale (EFSAP_CONFIG changed since) */
		if ((file == NULL || strcmp(file, efs.cfg.file) == 0) && efs.cfg.file[0] == '/' &&
		    strlen(cc) < sizeof efs.compiled) {
			strcpy(efs.compiled, cc);
			strcpy(efs.config_abs, efs.cfg.file);
			if (file == NULL)
				efs_handover_config_chosen(efs.config_abs);
			return;
		}
		efs_handover_compiled_dropped();
	}
	if ((file == NULL || *file == '\0') && real.access(EFSAP_DEFAULT_CONFIG, F_OK) == 0)
		file = EFSAP_DEFAULT_CONFIG;
	if (file == NULL || *file == '\0') {
		dflt = efs_handover_default_dir();
		if (dflt != NULL && dflt[0] == '/')
			rc = efs_config_default(dflt, &inv, &efs.cfg);
		else {
			if (real.getcwd(cwd, sizeof cwd) == NULL)
				die(EFSAP_EXIT_CONFIG, "efsap: cannot find the current directory");
			rc = efs_config_default(cwd, &inv, &efs.cfg);
			snprintf(msg, sizeof msg, "efsap: no configuration file; using the "
			    "built-in default (file system in %s/%s mounted at %s)\n",
			    cwd, EFSAP_DEFAULT_BACKING, EFSAP_DEFAULT_MOUNT);
			say(msg);
			efs_handover_default_chosen(cwd);
		}
		if (rc != 0)
			die(EFSAP_EXIT_CONFIG, "efsap: the built-in default does not fit here");
		return;
	}
	diags = mmap(NULL, sizeof *diags, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (diags == MAP_FAILED)
		die(EFSAP_EXIT_CONFIG, "efsap: out of memory");
	rc = parse_config(file, &inv, diags);
	if (rc != 0) {
		efs_diags_print(diags, 2);
		if (diags->n == 0) {
			snprintf(msg, sizeof msg, "efsap: %s: cannot load (%s)", file, strerror(-rc));
			die(EFSAP_EXIT_CONFIG, msg);
		}
		_exit(EFSAP_EXIT_CONFIG);
	}
	munmap(diags, sizeof *diags);
	snprintf(efs.config_abs, sizeof efs.config_abs, "%s", efs.cfg.file);
	efs_handover_config_chosen(efs.config_abs);	/* children: absolute */
}

/* Create the missing directories of plan->fs_path under the canonical backing root. */
static void
create_root(const char *bk, const struct efs_mount_plan *plan)
{
	char path[EFS_PATH_MAX], msg[EFS_PATH_MAX * 2];
	const char *p = plan->fs_path;
	struct stat st;
	size_t n = strlen(bk);
	int rc;

	memcpy(path, bk, n + 1);
	while (*p == '/') {
		const char *e = strchr(p + 1, '/');
		size_t cl = e != NULL ? (size_t)(e - p) : strlen(p);

		if (n + cl >= sizeof path)
			die(EFSAP_EXIT_MOUNT, "efsap: access point path too long");
		memcpy(path + n, p, cl);
		n += cl;
		path[n] = '\0';
		p += cl;
		if (real.lstat(path, &st) == 0)
			continue;
		/* recorded before it has its name: a process starting beside us sees it whole */
		rc = efs_publish_node_at(AT_FDCWD, path, path, S_IFDIR,
		    efs_attr_real_mode(&plan->create_attr), NULL, &plan->create_attr);
		if (rc != 0 && rc != -EEXIST) {
			snprintf(msg, sizeof msg, "efsap: cannot create %s: %s", path, strerror(-rc));
			die(EFSAP_EXIT_MOUNT, msg);
		}
	}
}

/* Does the kernel have getxattrat (Linux 6.13)?  Asked once, on the first mount root. */
static void
probe_xattrat(const struct efs_mnt *mt)
{
	struct efs_xattr_args args;
	char buf[EFS_ATTR_RECMAX], want[EFS_ATTR_RECMAX];
	ssize_t n, m;

	if (mt->rootfd < 0)
		return;
	memset(&args, 0, sizeof args);
	args.value = (uintptr_t)buf;
	args.size = sizeof buf;
	n = real.syscall(EFS_SYS_getxattrat, mt->rootfd, ".", AT_SYMLINK_NOFOLLOW, EFS_ATTR_XATTR,
	    &args, sizeof args);
	m = real.lgetxattr(mt->broot, EFS_ATTR_XATTR, want, sizeof want);
	/* the same answer as lgetxattr, record or ENODATA: trust it */
	efs.have_xattrat = (n >= 0 && n == m && memcmp(buf, want, (size_t)n) == 0) ||
	    (n < 0 && m < 0 && errno == ENODATA);
}

static void
mount_one(int k, const char *bk)
{
	struct efs_mnt *mt = &efs.mnt[k];
	const struct efs_mount *m = &efs.cfg.mounts[k];
	struct efs_mount_plan plan;
	enum efs_root_state state;
	struct efs_attr attr;
	const struct efs_ap *ap;
	const char *fs_path;
	char root[EFS_PATH_MAX];
	struct stat st;
	int rc;

	memset(&attr, 0, sizeof attr);
	mt->m = m;
	mt->cpath = m->container_path;
	mt->clen = strlen(m->container_path);
	/* the root inside the file system, and what the backing store holds there */
	ap = efs_config_ap(&efs.cfg, m);
	fs_path = ap != NULL ? ap->root : m->root_directory;
	if ((size_t)snprintf(root, sizeof root, "%s%s", bk,
	    strcmp(fs_path, "/") == 0 ? "" : fs_path) >= sizeof root)
		die(EFSAP_EXIT_MOUNT, "efsap: the backing path of a mount root is too long");
	state = EFS_ROOT_MISSING;
	if (real.lstat(root, &st) == 0) {
		state = S_ISDIR(st.st_mode) ? EFS_ROOT_EXISTS : EFS_ROOT_NOTDIR;
		efs_owner_get(root, &st, &attr);
	}
	rc = efs_mount_plan(&efs.cfg, k, &efs.cred, state, &attr, &plan);
	if (plan.create)		/* EFS creates it even when the mount then fails */
		create_root(bk, &plan);
	if (rc != 0)
		die(EFSAP_EXIT_MOUNT, plan.error);
	snprintf(mt->broot, sizeof mt->broot, "%s", root);
	mt->blen = strlen(mt->broot);
	snprintf(mt->fs_path, sizeof mt->fs_path, "%s", plan.fs_path);
	mt->root_access = plan.dec_root.allowed;
	mt->dec_write = plan.dec_write;
	mt->dec_root = plan.dec_root;
	mt->who = plan.who;
	mt->erofs = m->read_only ? EFS_WHY_RO : !plan.dec_write.allowed ? EFS_WHY_NOWRITE : 0;
	mt->rootfd = efs_open_high(mt->broot, O_PATH | O_DIRECTORY, 0);
	if (mt->rootfd < 0)
		mt->rootfd = -1;
	mt->root_key = efs_dir_key(mt->rootfd >= 0 ? mt->rootfd : AT_FDCWD,
	    mt->rootfd >= 0 ? "" : mt->broot);
}

/*
 * efsap run --image: "/" is the image (SPEC 5.9), a mount of its own after
 * the EFS ones, decided with POSIX rules and the caller identity: no
 * access point, no squashing, no policy, writable.
 */
static void
mount_image(const char *bk)
{
	struct stat st;
	static const struct efs_mount image_mount = {
		.container_path = "/", .ap = -1, .root_directory = "/"
	};
	struct efs_mnt *mt = &efs.mnt[efs.nmnt];

	mt->m = &image_mount;
	mt->cpath = "";
	mt->clen = 0;
	strcpy(mt->broot, "/.");
	mt->blen = 2;
	strcpy(mt->fs_path, "/");
	mt->image = 1;
	mt->root_access = 1;
	mt->dec_write.allowed = 1;
	mt->dec_root.allowed = 1;
	efs_server_who(&efs.cfg, mt->m, &efs.cred, 1, &mt->who);
	mt->rootfd = efs_open_high("/", O_PATH | O_DIRECTORY, 0);
	if (mt->rootfd < 0)
		mt->rootfd = -1;
	mt->root_key = efs_dir_key(mt->rootfd >= 0 ? mt->rootfd : AT_FDCWD,
	    mt->rootfd >= 0 ? "" : "/");
	mt->stagefd = efs_open_high("/" EFS_IMAGE_STAGE, O_PATH | O_DIRECTORY | O_NOFOLLOW, 0);
	if (mt->stagefd < 0)
		mt->stagefd = -1;
	/* what is not on the backing directory's device is the image's (owner.c) */
	efs.bk_dev = real.stat(bk, &st) == 0 ? st.st_dev : 0;
	efs.img = efs.nmnt;
}

static void
mount_all(void)
{
	char bk[EFS_PATH_MAX], msg[EFS_PATH_MAX * 3], why[EFS_PATH_MAX + 100];
	struct stat st;
	int k, rc, first;

	if (real.lstat(efs.cfg.backing, &st) != 0) {
		/* a new file system: its root is 0:0 0755 (unrecorded) */
		if ((rc = mkdir_p(efs.cfg.backing, 0755)) != 0 ||
		    real.chmod(efs.cfg.backing, 0755) != 0) {
			snprintf(msg, sizeof msg, "efsap: cannot create the backing directory %s: %s",
			    efs.cfg.backing, strerror(rc != 0 ? -rc : errno));
			die(EFSAP_EXIT_MOUNT, msg);
		}
	}
	if (real.realpath(efs.cfg.backing, bk) == NULL) {
		snprintf(msg, sizeof msg, "efsap: backing directory %s: %s",
		    efs.cfg.backing, strerror(errno));
		die(EFSAP_EXIT_MOUNT, msg);
	}
	/* the sidecar store: beside the backing directory */
	first = !efs_handover_inherited();
	if (efs_store_name(bk, efs.store, sizeof efs.store) != 0 ||
	    efs_store_open(first, why, sizeof why) != 0) {
		snprintf(msg, sizeof msg, "efsap: mount %s:/ on %s failed: %.*s", efs.cfg.fs_id,
		    efs.cfg.mounts[0].container_path, EFS_PATH_MAX, why);
		die(EFSAP_EXIT_MOUNT, msg);
	}
	/* the first efsap process of a tree cleans up after creators that died */
	if (first)
		efs_store_sweep();
	for (k = 0; k < efs.cfg.nmounts; k++)
		mount_one(k, bk);
	efs.nmnt = efs.cfg.nmounts;
	if (efs.nmnt > 0)
		probe_xattrat(&efs.mnt[0]);
	if (efs.cfg.image)
		mount_image(bk);
}

static void
init_cwd(void)
{
	char real_cwd[EFS_PATH_MAX];
	const char *v = efs_handover_cwd();

	if (real.getcwd(real_cwd, sizeof real_cwd) == NULL)
		snprintf(real_cwd, sizeof real_cwd, "/");
	if (v != NULL && v[0] == '/' && efs_path_is_normal(v) &&
	    strlen(v) < sizeof efs.cwd && efs_path_mount(&efs.cfg, v, NULL) >= 0) {
		/* inherited: trust it when it names the very directory we stand in */
		int k = efs_path_mount(&efs.cfg, v, NULL);
		char b[EFS_PATH_MAX];
		struct stat here, there;

		if ((size_t)snprintf(b, sizeof b, "%s%s", efs.mnt[k].broot,
		    v + efs.mnt[k].clen) < sizeof b &&
		    real.stat(".", &here) == 0 && real.stat(b, &there) == 0 &&
		    here.st_dev == there.st_dev && here.st_ino == there.st_ino) {
			strcpy(efs.cwd, v);
			efs.cwd_mount = k;
			return;
		}
	}
	if (efs_backing_to_view(real_cwd, efs.cwd, sizeof efs.cwd) == 0) {
		efs.cwd_mount = efs_path_mount(&efs.cfg, efs.cwd, NULL);
		return;
	}
	snprintf(efs.cwd, sizeof efs.cwd, "%s", real_cwd);
	efs.cwd_mount = efs.img >= 0 && !efs_walk_hole(real_cwd, strlen(real_cwd)) ? efs.img : -1;
}

static void
init_log(void)
{
	const char *lv, *lf;

	efs_handover_log(&lv, &lf);
	if (lv == NULL)
		return;
	if (strcmp(lv, "deny") == 0)
		efs.log_level = 1;
	else if (strcmp(lv, "all") == 0)
		efs.log_level = 2;
	if (efs.log_level == 0)
		return;
	efs.log_fd = 2;
	if (lf != NULL && *lf != '\0') {
		int fd = efs_open_high(lf, O_WRONLY | O_APPEND | O_CREAT, 0644);

		if (fd >= 0)
			efs.log_fd = fd;
	}
}

/*
 * Start-up runs on a stack of its own: the first call may come from a
 * thread with a small stack, or a signal handler on one, and start-up
 * (libconfig's parser, the mount's path buffers) needs tens of KiB.
 * Without the mapping, or in an AddressSanitizer build, it runs where it
 * is.
 */
#define INIT_STACK	(512 * 1024)

#if EFS_ASAN
#define EFS_INIT_OWN_STACK	0	/* ASan warns when start-up _exits on a stack of its own */
#elif !defined(__GLIBC__)
#define EFS_INIT_OWN_STACK	0	/* musl has no makecontext: start-up runs where it is called */
#else
#define EFS_INIT_OWN_STACK	1
#endif

/*
 * Load time, in every process: the real symbols, the lock and fork
 * handlers, the thread state, the program's own LD_ variables, and a copy
 * of the variables the rest of start-up reads.  Cheap: no file is opened.
 * Under start_once; 1 in set_up_now when the rest must follow at once.
 */
static pthread_once_t start_once = PTHREAD_ONCE_INIT;
static int disabled, set_up_now;

static void
init_start(void)
{
	const char *dis;

	efs_real_bind();
	efs_state_start();
	efs.gen = &private_gen;
	efs.pin_lo = INT_MAX;
	efs.log_fd = -1;
	efs.cwd_mount = -1;
	efs.img = -1;
	efs.xattr_ok = 1;
	efs_thread_init();
	/* the program sees its own LD_LIBRARY_PATH and LD_PRELOAD, never the loader's */
	efs_handover_restore_ld();
	dis = efs_env_value(environ, EFSAP_ENV_DISABLE);
	disabled = dis != NULL && strcmp(dis, "1") == 0;
	/*
	 * A first process mounts before main (SPEC 5.1).  A process an efsap
	 * process started inherits the mounts, as a process inherits its
	 * parent's mount namespace, and sets up its view at its first call:
	 * one that never calls the library (true, sleep) pays nothing more.
	 * Descriptors under a mount handed across exec are taken at once.
	 * Where start-up cannot have a stack of its own, it runs now, on the
	 * main thread's: a first call may come from a thread with a small one.
	 */
	set_up_now = disabled || !EFS_INIT_OWN_STACK || !efs_handover_inherited() ||
	    efs_env_value(environ, EFSAP_ENV_FDS) != NULL || efs_handover_snapshot() != 0;
}

static void
init_all(void)
{
	mode_t m;

	pthread_once(&start_once, init_start);
	if (disabled)
		goto done;
	init_log();
	init_self();		/* where libefsap-conf.so lies */
	load_config();
	if (efs_handover_take_cred() != 0) {	/* a first process: the task identity */
		efs_cred_from_ident(&efs.cfg.task, &efs.cred);
		efs_caps_start(&efs.cred.caps, efs_cap_last(), efs.cred.ruid, efs.cred.euid);
		/* no_new_privs is the kernel's too (wrap_caps.c): it may be set already */
		efs.cred.caps.nnp = real.prctl != NULL &&
		    real.prctl(PR_GET_NO_NEW_PRIVS, 0UL, 0UL, 0UL, 0UL) == 1;
	}
	m = real.umask(022);
	real.umask(m);
	efs.umask = m;
	mount_all();
	init_cwd();
	efs_handover_take_fds();
	efs.ready = 1;
done:
	__atomic_store_n(&efs.inited, 1, __ATOMIC_RELEASE);
}

static void
init_on_own_stack(void)
{
#if EFS_INIT_OWN_STACK
	static ucontext_t init_caller, init_ctx;	/* inside init_once only */
	char *stk = mmap(NULL, INIT_STACK, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);

	if (stk == MAP_FAILED) {
		init_all();
		return;
	}
	if (getcontext(&init_ctx) == 0) {
		init_ctx.uc_stack.ss_sp = stk;
		init_ctx.uc_stack.ss_size = INIT_STACK;
		init_ctx.uc_link = &init_caller;
		makecontext(&init_ctx, init_all, 0);
		if (swapcontext(&init_caller, &init_ctx) == 0) {
			munmap(stk, INIT_STACK);
			return;
		}
	}
	munmap(stk, INIT_STACK);
#endif
	init_all();
}

/*
 * Start-up, from the constructor or a wrapper's first call.  No signal is
 * delivered on this thread meanwhile: a handler's call would pass through
 * (efs_guard) and reach the host's paths.
 */
void
efs_init(void)
{
	sigset_t all, old;

	sigfillset(&all);
	if (pthread_sigmask(SIG_BLOCK, &all, &old) != 0)
		sigemptyset(&old);
	efs_guard_raise();
	pthread_once(&init_once, init_on_own_stack);
	efs_guard_lower();
	pthread_sigmask(SIG_SETMASK, &old, NULL);
}

/*
 * Load time: the cheap part always; the rest before main in a first
 * process, so that a bad configuration or mount stops the program there,
 * and at the first call in a process an efsap process started.
 */
__attribute__((constructor)) static void
efs_constructor(void)
{
	if (efs_guard || __atomic_load_n(&efs.inited, __ATOMIC_ACQUIRE))
		return;
	efs_guard_raise();
	pthread_once(&start_once, init_start);
	efs_guard_lower();
	if (set_up_now)
		efs_init();
}
