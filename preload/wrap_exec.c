/* SPDX-License-Identifier: MIT */
/*
 * wrap_exec.c: exec and spawn (SPEC 4, 5.2, 5.3).  Under a mount the
 * emulated server decides execution: a regular file with execute
 * permission for the server identity (root needs one x bit).  A "#!"
 * script under a mount is started through its interpreter, with the
 * program-view path of the script as the kernel would pass it, so that
 * the interpreter opens the script through efsap and never sees a backing
 * path.  Every child gets efsap's state in its environment (caller
 * identity, working directory, configuration, LD_PRELOAD: handover.h),
 * even when the program passes an empty one (`env -i`); and its dynamic
 * loader, which opens libraries with its own system calls, gets backing
 * paths for the LD_LIBRARY_PATH and LD_PRELOAD entries under mounts and
 * for the executable's own DT_RUNPATH or DT_RPATH there (ld_env), the
 * program's values restored when the library starts in the child.
 *
 * The exec family runs from signal handlers (execve is async-signal-safe):
 * no malloc, no stdio, no lock.  The child's environment and argument
 * vectors are built in the thread's scratch arena (thread.h), or for a
 * very large one in a mapping of its own, never on the stack (a
 * program's thread or signal stack may be small).
 *
 * glibc's execvp, execl*, posix_spawn*, system and popen reach the kernel
 * through internal aliases, not through execve (peers.md 8.3), so each is
 * wrapped here.  posix_spawn file actions that name paths under a mount
 * (addopen, addchdir_np) run inside the child through libc internals and
 * cannot be translated: they act on the host path (peers.md 8.3).
 * A host script whose "#!" interpreter lies under a mount is left to the
 * kernel, which cannot find it.  fork is never wrapped; vfork is
 * vfork.c's.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "act.h"
#include "handover.h"
#include "perm.h"
#include "real.h"
#include "resolve.h"
#include "uaccess.h"
#include "vfork.h"

extern char **environ;

#define NSCRIPT		5	/* Linux (fs/exec.c exec_binprm): scripts in a row before ELOOP */
#define SHEBANG_MAX	256	/* Linux: BINPRM_BUF_SIZE, the "#!" line read */

/* What the kernel is asked to execute, after "#!" scripts under mounts. */
struct target {
	int dirfd;
	const char *path;
	int flags;			/* execveat flags */
	char buf[EFS_PATH_MAX];
	char shown[EFS_PATH_MAX];	/* the first script's program-view path */
	const char *view;		/* the program-view path of what the kernel runs, when
					   it lies under a mount (the resolution's), or NULL */
	int nlev;			/* scripts replaced by their interpreter */
	struct {
		char line[SHEBANG_MAX + 1];
		const char *interp;
		const char *arg;	/* the optional argument, or NULL */
		const char *fname;	/* the script's name, passed to the interpreter */
	} lev[NSCRIPT];
};

/*
 * Under AddressSanitizer, a successful exec from a vfork child leaves the
 * shared stack poisoned for the parent: unpoison it first, as ASan does
 * before other calls that do not return.
 */
#if EFS_ASAN
#include <sanitizer/asan_interface.h>
static void
before_exec(void)
{
	efs_vfork_exec_note();
	__asan_handle_no_return();
}
#else
static void
before_exec(void)
{
	efs_vfork_exec_note();
}
#endif

/*
 * A vector of n pointers: from the scratch arena when it is small, else a
 * mapping of its own (*mapped set to its length, for vec_free).  NULL
 * when neither can be had.
 */
#define VEC_SCRATCH	(32 * 1024)

static char **
vec_alloc(size_t n, size_t *mapped)
{
	size_t len = n * sizeof(char *);
	void *p;

	*mapped = 0;
	if (len <= VEC_SCRATCH)
		return efs_scratch_alloc(len);
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	efs_vfork_mapped(p, len);
	*mapped = len;
	return p;
}

static void
vec_free(char **v, size_t mapped)
{
	if (mapped != 0) {
		efs_vfork_unmapped(v);
		munmap(v, mapped);
	}
}

static size_t
vec_count(char *const *v)
{
	size_t n = 0;

	while (v != NULL && v[n] != NULL)
		n++;
	return n;
}

/*
 * May efsap read vector v (argv, envp) and its strings, as the kernel's
 * count() and copy_strings() do?  0, -EFAULT, or -E2BIG for a string past
 * MAX_ARG_STRLEN (32 pages).  NULL is Linux's empty vector.
 */
#define EFS_ARG_STRLEN	(32 * 4096)

static int
vec_ok(char *const *v)
{
	size_t i;
	int rc;

	for (i = 0; v != NULL; i++) {
		if (efs_uread(&v[i], sizeof v[i]) != 0)
			return -EFAULT;
		if (v[i] == NULL)
			return 0;
		if ((rc = efs_ustr(v[i], EFS_ARG_STRLEN)) != 0)
			return rc == -ENAMETOOLONG ? -E2BIG : rc;
	}
	return 0;
}

/*
 * Parse a "#!" line as Linux does (fs/binfmt_script.c): the interpreter
 * up to blank, then one optional argument, the rest of the line without
 * its surrounding blanks.  1 for a script, 0 otherwise, -ENOEXEC for "#!"
 * without an interpreter.
 */
static int
parse_shebang(char *line, size_t n, const char **interp, const char **arg)
{
	char *p, *end;

	if (n < 2 || line[0] != '#' || line[1] != '!')
		return 0;
	line[n] = '\0';
	if ((end = memchr(line, '\n', n)) == NULL)
		end = line + n;
	*end = '\0';
	while (end > line + 2 && (end[-1] == ' ' || end[-1] == '\t'))
		*--end = '\0';
	for (p = line + 2; *p == ' ' || *p == '\t'; p++)
		;
	if (*p == '\0')
		return -ENOEXEC;
	*interp = p;
	p += strcspn(p, " \t");
	*arg = NULL;
	if (*p != '\0') {
		*p++ = '\0';
		p += strspn(p, " \t");
		if (*p != '\0')
			*arg = p;
	}
	return 1;
}

/* Read the head of a backing file and parse a "#!" line from it. */
static int
read_shebang(const char *babs, char *line, const char **interp, const char **arg)
{
	ssize_t n;
	int fd;

	if ((fd = real.open(babs, O_RDONLY | O_CLOEXEC | O_NOCTTY)) < 0)
		return 0;		/* the kernel decides */
	n = read(fd, line, SHEBANG_MAX);
	real.close(fd);
	if (n < 0)
		return 0;
	return parse_shebang(line, (size_t)n, interp, arg);
}

/*
 * The kernel checks the real mode as well: a backing file the server lets
 * the identity run needs the real owner's x bit.  The recorded mode gives
 * it (efs_attr_real_mode), but a record set by other means may not.
 */
static void
real_x(const struct efs_res *r)
{
	if ((r->st.st_mode & S_IXUSR) == 0 && (r->attr.mode & 07777) != (r->st.st_mode & 07777) &&
	    r->st.st_uid == real.geteuid())
		real.chmod(r->babs, (r->st.st_mode & 07777) | S_IXUSR);
}

/*
 * Decide what the kernel executes for (dirfd, path) with execveat flags:
 * a host path as it is; under a mount, a regular file the server identity
 * may execute (-ENOENT, -EACCES, -ELOOP with AT_SYMLINK_NOFOLLOW), its
 * backing path, or for a script its interpreter, recursively.  0 or -errno.
 */
static int
prepare(struct efs_call *c, int dirfd, const char *path, int flags, struct target *t)
{
	struct efs_res *r;
	char spare[SHEBANG_MAX + 1];
	const char *file = path, *shown = path, *interp, *arg;
	int rflags, rc, k;

	t->nlev = 0;
	if ((r = efs_res_new()) == NULL)
		return -ENOMEM;
	for (;;) {
		k = t->nlev;
		t->dirfd = k == 0 ? dirfd : AT_FDCWD;
		t->path = file;
		t->flags = k == 0 ? flags : 0;
		t->view = NULL;
		if (!efs_may_map(t->dirfd, file))
			return 0;
		rflags = EFS_R_FOLLOW;
		if (k == 0 && (flags & AT_SYMLINK_NOFOLLOW))
			rflags = 0;
		if (k == 0 && (flags & AT_EMPTY_PATH))
			rflags |= EFS_R_EMPTY;
		rc = efs_resolve(c, t->dirfd, file, rflags, r);
		if (rc == EFS_NOT_MAPPED) {
			memcpy(t->buf, r->host, strlen(r->host) + 1);
			t->path = t->buf;
			return 0;
		}
		if (rc < 0)
			return rc;
		if (!r->exists)
			return -ENOENT;
		if (S_ISLNK(r->st.st_mode))
			return -ELOOP;
		if (!S_ISREG(r->st.st_mode))
			return -EACCES;	/* the client's rule, not the server's: not blamed */
		if ((rc = efs_need_access(c, r, EFS_MAY_EXEC)) != 0)
			return rc;
		t->view = r->view;
		if (r->babs[0] == '\0')
			return 0;	/* a descriptor: the kernel reads "#!" itself */
		real_x(r);
		rc = read_shebang(r->babs, k < NSCRIPT ? t->lev[k].line : spare, &interp, &arg);
		if (rc < 0)
			return rc;
		if (rc == 0) {
			memcpy(t->buf, r->babs, strlen(r->babs) + 1);
			t->dirfd = AT_FDCWD;
			t->path = t->buf;
			t->flags = 0;
			return 0;
		}
		if (k == NSCRIPT)
			return -ELOOP;	/* Linux: too many interpreters in a row */
		/* a script: the interpreter gets its name as the program wrote it */
		if (k == 0 && (dirfd != AT_FDCWD || path[0] == '\0')) {
			memcpy(t->shown, r->view, strlen(r->view) + 1);
			shown = t->shown;
		}
		t->lev[k].interp = interp;
		t->lev[k].arg = arg;
		t->lev[k].fname = shown;
		file = shown = t->lev[k].interp;
		t->nlev++;
	}
}

/*
 * The argument vector for t: argv itself, or for scripts
 * [interp, arg?, script, ..., argv[1..]].  out holds vec_count(argv) +
 * 2 * NSCRIPT + 2 pointers.
 */
static char *const *
target_argv(const struct target *t, char *const argv[], char **out)
{
	size_t n = 0, i, argc = vec_count(argv);
	int k;

	if (t->nlev == 0)
		return argv;
	out[n++] = (char *)t->lev[t->nlev - 1].interp;
	for (k = t->nlev - 1; k >= 0; k--) {
		if (t->lev[k].arg != NULL)
			out[n++] = (char *)t->lev[k].arg;
		out[n++] = (char *)t->lev[k].fname;
	}
	for (i = 1; i < argc; i++)
		out[n++] = argv[i];
	out[n] = NULL;
	return out;
}

/*
 * The environment the loader needs for t: env, or a copy (a vector from
 * vec_alloc, *mapped for vec_free) whose LD_LIBRARY_PATH names the
 * backing directories of its entries under mounts and those of the
 * executable's DT_RUNPATH or DT_RPATH (efs_handover_ldpath), with the
 * state that gives the child the program's value back.  Without room
 * for it (a signal handler's exec deep in the arena), env as it is: the
 * exec goes ahead as it would have without efsap's help to the loader.
 */
static char **
ld_env(struct efs_call *c, const struct target *t, char **env, size_t *mapped)
{
	struct efs_ldbuf *b;
	char **v;
	size_t i, n = 0;

	*mapped = 0;
	if ((b = efs_scratch_alloc(sizeof *b)) == NULL ||
	    efs_handover_ldpath(c, env, t->dirfd, t->path, t->flags, t->view, b) == 0 ||
	    (v = vec_alloc(vec_count(env) + 3, mapped)) == NULL)
		return env;
	for (i = 0; env[i] != NULL; i++)
		if (!efs_env_is(env[i], "LD_LIBRARY_PATH"))
			v[n++] = env[i];
	v[n++] = b->ldpath;
	v[n++] = b->state;
	v[n] = NULL;
	return v;
}

/* Execute (dirfd, path) with a ready environment; returns -errno on failure. */
static int
exec_at(struct efs_call *c, int dirfd, const char *path, char *const argv[],
    char **env, int flags)
{
	size_t mark = efs_scratch_mark(), mapped, emapped;
	struct target *t;
	char *const *v;
	char **av, **lenv;
	int rc;

	if ((t = efs_scratch_alloc(sizeof *t)) == NULL)
		return -ENOMEM;
	if ((rc = prepare(c, dirfd, path, flags, t)) != 0)
		goto out;
	rc = -ENOMEM;
	lenv = ld_env(c, t, env, &emapped);
	if ((av = vec_alloc((t->nlev > 0 ? vec_count(argv) : 0) + 2 * NSCRIPT + 2, &mapped)) == NULL) {
		if (lenv != env)
			vec_free(lenv, emapped);
		goto out;
	}
	v = target_argv(t, argv, av);
	if (efs.log_level >= 2 && c->mount >= 0)
		efs_log_call(c, 0);
	before_exec();
	if (t->dirfd == AT_FDCWD && t->flags == 0)
		real.execve(t->path, v, lenv);
	else
		real.execveat(t->dirfd, t->path, v, lenv, t->flags);
	rc = -errno;
	vec_free(av, mapped);
	if (lenv != env)
		vec_free(lenv, emapped);
out:
	efs_scratch_release(mark);
	return rc;
}

/* glibc's fallback for a file the kernel will not run (ENOEXEC): /bin/sh file args. */
static int
exec_sh(struct efs_call *c, const char *file, char *const argv[], char **env)
{
	size_t i, argc = vec_count(argv), mark = efs_scratch_mark(), mapped;
	char **av;
	int rc;

	if ((av = vec_alloc(argc + 3, &mapped)) == NULL)
		return -ENOMEM;
	av[0] = (char *)"/bin/sh";
	av[1] = (char *)file;
	for (i = 1; i < argc; i++)
		av[i + 1] = argv[i];
	av[argc > 1 ? argc + 1 : 2] = NULL;
	rc = exec_at(c, AT_FDCWD, "/bin/sh", av, env, 0);
	vec_free(av, mapped);
	efs_scratch_release(mark);
	return rc;
}

/* execvpe: search PATH (of environ, as glibc does) with efsap's execve. */
static int
exec_search(struct efs_call *c, const char *file, char *const argv[], char **env)
{
	struct efs_search s;
	char *buf;
	int rc;

	if (file == NULL)
		return -EFAULT;
	if ((buf = efs_scratch_path()) == NULL)		/* until the wrapper leaves */
		return -ENOMEM;
	efs_search_start(&s, file, efs_env_value(environ, "PATH"));
	while (efs_search_next(&s, buf, EFS_PATH_MAX)) {
		rc = exec_at(c, AT_FDCWD, buf, argv, env, 0);
		if (rc == -ENOEXEC)
			return exec_sh(c, buf, argv, env);
		if (!efs_search_failed(&s, rc))
			return rc;
	}
	return efs_search_result(&s);
}

/* The wrapper around every exec entry: enter, rebuild the environment, act, leave. */
enum { EX_PATH, EX_SEARCH, EX_FD };

static int
exec_common(const char *op, int dirfd, const char *path, char *const argv[],
    char *const envp[], int flags, int kind)
{
	struct efs_call c;
	struct efs_envbuf *b;
	size_t mapped;
	char **env;
	int rc, search = kind == EX_SEARCH;

	path = efs_launder(path);
	argv = efs_launder(argv);
	envp = efs_launder(envp);
	if (!efs_enter(&c, op, kind == EX_FD ? NULL : path)) {
		if (kind == EX_SEARCH)
			return real.execvpe(path, argv, envp);
		if (kind == EX_FD)
			return real.fexecve(dirfd, argv, envp);
		if (dirfd == AT_FDCWD && flags == 0)
			return real.execve(path, argv, envp);
		return real.execveat(dirfd, path, argv, envp, flags);
	}
	/* vectors efsap may not read: the kernel's answer for them (EFAULT, E2BIG)
	 * outside the mounts, where it opens the file first; EFAULT under them */
	if ((rc = vec_ok(argv)) != 0 || (rc = vec_ok(envp)) != 0) {
		if (kind == EX_PATH && !efs_may_map(dirfd, path)) {
			if (dirfd == AT_FDCWD && flags == 0)
				return efs_pass(&c, real.execve(path, argv, envp));
			return efs_pass(&c, real.execveat(dirfd, path, argv, envp, flags));
		}
		return efs_leave(&c, rc);
	}
	env = vec_alloc(vec_count(envp) + EFS_HANDED_MAX + 1, &mapped);
	if ((b = efs_scratch_alloc(sizeof *b)) != NULL)
		b->groups = NULL;
	rc = env == NULL || b == NULL ? -ENOMEM : efs_handover_env(&c, envp, env, b);
	if (rc == 0 && search)
		rc = exec_search(&c, path, argv, env);
	else if (rc == 0)
		rc = exec_at(&c, dirfd, path, argv, env, flags);
	efs_handover_done(b);
	if (env != NULL)
		vec_free(env, mapped);
	return efs_leave(&c, rc);
}

EFS_EXPORT int
execve(const char *path, char *const argv[], char *const envp[])
{
	return exec_common("execve", AT_FDCWD, path, argv, envp, 0, EX_PATH);
}

EFS_EXPORT int
execv(const char *path, char *const argv[])
{
	return exec_common("execve", AT_FDCWD, path, argv, environ, 0, EX_PATH);
}

EFS_EXPORT int
execvpe(const char *file, char *const argv[], char *const envp[])
{
	return exec_common("execvp", AT_FDCWD, file, argv, envp, 0, EX_SEARCH);
}

EFS_EXPORT int
execvp(const char *file, char *const argv[])
{
	return exec_common("execvp", AT_FDCWD, file, argv, environ, 0, EX_SEARCH);
}

EFS_EXPORT int
execveat(int dirfd, const char *path, char *const argv[], char *const envp[], int flags)
{
	if (flags & ~(AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW)) {
		errno = EINVAL;
		return -1;
	}
	return exec_common("execveat", dirfd, path, argv, envp, flags, EX_PATH);
}

EFS_EXPORT int
fexecve(int fd, char *const argv[], char *const envp[])
{
	if (fd < 0 || efs_launder(argv) == NULL || efs_launder(envp) == NULL) {	/* as glibc */
		errno = EINVAL;
		return -1;
	}
	return exec_common("fexecve", fd, "", argv, envp, AT_EMPTY_PATH, EX_FD);
}

/* Count execl's arguments, arg included, up to the terminating NULL (as glibc). */
#define EXECL_COUNT(n, arg) do {					\
	va_list ap_;							\
	va_start(ap_, arg);						\
	for ((n) = 1; va_arg(ap_, const char *) != NULL; (n)++)		\
		;							\
	va_end(ap_);							\
} while (0)

/* Fill argv[0..n] from arg and the variadic list, leaving *ap after the NULL. */
static void
execl_fill(char **argv, size_t n, const char *arg, va_list *ap)
{
	size_t i;

	argv[0] = (char *)arg;
	for (i = 1; i <= n; i++)
		argv[i] = va_arg(*ap, char *);
}

EFS_EXPORT int
execl(const char *path, const char *arg, ...)
{
	va_list ap;
	size_t n;

	EXECL_COUNT(n, arg);
	{
		char *argv[n + 1];

		va_start(ap, arg);
		execl_fill(argv, n, arg, &ap);
		va_end(ap);
		return exec_common("execve", AT_FDCWD, path, argv, environ, 0, EX_PATH);
	}
}

EFS_EXPORT int
execlp(const char *file, const char *arg, ...)
{
	va_list ap;
	size_t n;

	EXECL_COUNT(n, arg);
	{
		char *argv[n + 1];

		va_start(ap, arg);
		execl_fill(argv, n, arg, &ap);
		va_end(ap);
		return exec_common("execvp", AT_FDCWD, file, argv, environ, 0, EX_SEARCH);
	}
}

EFS_EXPORT int
execle(const char *path, const char *arg, ...)
{
	va_list ap;
	size_t n;
	char *const *envp;

	EXECL_COUNT(n, arg);
	{
		char *argv[n + 1];

		va_start(ap, arg);
		execl_fill(argv, n, arg, &ap);
		envp = va_arg(ap, char *const *);
		va_end(ap);
		return exec_common("execve", AT_FDCWD, path, argv, envp, 0, EX_PATH);
	}
}

/*
 * posix_spawn: glibc executes in the child through its internal execve,
 * so the path is decided here: a mapped program becomes its backing path
 * (or its interpreter, for a script) after the execute check.  Returns an
 * error number, 0 on success.
 */
static int
spawn_target(struct efs_call *c, pid_t *pid, const struct target *t,
    const posix_spawn_file_actions_t *fa, const posix_spawnattr_t *attr,
    char *const argv[], char **env)
{
	size_t mark = efs_scratch_mark(), mapped, emapped;
	char **av, **lenv;
	int err = ENOMEM;

	lenv = ld_env(c, t, env, &emapped);
	if ((av = vec_alloc((t->nlev > 0 ? vec_count(argv) : 0) + 2 * NSCRIPT + 2, &mapped)) != NULL) {
		err = real.posix_spawn(pid, t->path, fa, attr, target_argv(t, argv, av), lenv);
		vec_free(av, mapped);
	}
	if (lenv != env)
		vec_free(lenv, emapped);
	efs_scratch_release(mark);
	return err;
}

static int
spawn_at(struct efs_call *c, pid_t *pid, const char *path,
    const posix_spawn_file_actions_t *fa, const posix_spawnattr_t *attr,
    char *const argv[], char **env)
{
	struct target *t;
	int rc;

	if ((t = efs_scratch_alloc(sizeof *t)) == NULL)	/* until the wrapper leaves */
		return ENOMEM;
	if ((rc = prepare(c, AT_FDCWD, path, 0, t)) != 0)
		return -rc;
	return spawn_target(c, pid, t, fa, attr, argv, env);
}

/* Could the kernel execute this host candidate?  0, or the error a search continues after. */
static int
host_probe(const char *path)
{
	struct stat st;

	if (real.stat(path, &st) != 0)
		return -errno;
	if (!S_ISREG(st.st_mode))
		return -EACCES;
	if (real.faccessat(AT_FDCWD, path, X_OK, AT_EACCESS) != 0)
		return -errno;
	return 0;
}

/*
 * posix_spawnp: glibc's search (execvpe without the shell fallback), with
 * candidates under a mount decided by efsap and host ones probed as the
 * kernel would; the one found is spawned as a target, so that its
 * loader gets LD_LIBRARY_PATH as ld_env makes it.
 */
static int
spawn_search(struct efs_call *c, pid_t *pid, const char *file,
    const posix_spawn_file_actions_t *fa, const posix_spawnattr_t *attr,
    char *const argv[], char **env)
{
	const char *path = efs_env_value(environ, "PATH");
	struct efs_search s;
	struct target *t;
	int rc;
	char *buf;

	/* until the wrapper leaves */
	if ((buf = efs_scratch_path()) == NULL || (t = efs_scratch_alloc(sizeof *t)) == NULL)
		return ENOMEM;
	efs_search_start(&s, file, path);
	while (efs_search_next(&s, buf, EFS_PATH_MAX)) {
		if (efs_may_map(AT_FDCWD, buf)) {
			/* a host path that only might lead into a mount ("/home/u/.local/bin")
			 * comes back unchecked: probe it as any host candidate */
			if ((rc = prepare(c, AT_FDCWD, buf, 0, t)) == 0 && t->view == NULL)
				rc = host_probe(t->path);
		} else if ((rc = host_probe(buf)) == 0) {
			t->dirfd = AT_FDCWD;
			t->path = buf;
			t->flags = 0;
			t->nlev = 0;
			t->view = NULL;
		}
		if (rc == 0)
			return spawn_target(c, pid, t, fa, attr, argv, env);
		if (!efs_search_failed(&s, rc))
			return -rc;
	}
	return -efs_search_result(&s);
}

static int
spawn_common(const char *op, pid_t *pid, const char *file,
    const posix_spawn_file_actions_t *fa, const posix_spawnattr_t *attr,
    char *const argv[], char *const envp[], int search)
{
	struct efs_call c;
	struct efs_envbuf *b;
	size_t mapped;
	char **env;
	int err;

	file = efs_launder(file);
	argv = efs_launder(argv);
	envp = efs_launder(envp);
	if (!efs_enter(&c, op, file))
		return search ? real.posix_spawnp(pid, file, fa, attr, argv, envp) :
		    real.posix_spawn(pid, file, fa, attr, argv, envp);
	/* vectors efsap may not read: what the child's execve would say */
	if ((err = -vec_ok(argv)) != 0 || (err = -vec_ok(envp)) != 0) {
		efs_leave(&c, -err);
		return err;
	}
	/* envp NULL: the kernel's empty environment, plus ours */
	env = vec_alloc(vec_count(envp) + EFS_HANDED_MAX + 1, &mapped);
	if ((b = efs_scratch_alloc(sizeof *b)) != NULL)
		b->groups = NULL;
	err = env == NULL || b == NULL ? ENOMEM : -efs_handover_env(&c, envp, env, b);
	if (err == 0 && search && file != NULL && file[0] != '\0' && strchr(file, '/') == NULL)
		err = spawn_search(&c, pid, file, fa, attr, argv, env);
	else if (err == 0)
		err = spawn_at(&c, pid, file, fa, attr, argv, env);
	efs_handover_done(b);
	if (env != NULL)
		vec_free(env, mapped);
	efs_leave(&c, -err);
	return err;
}

EFS_EXPORT int
posix_spawn(pid_t *pid, const char *path, const posix_spawn_file_actions_t *fa,
    const posix_spawnattr_t *attr, char *const argv[], char *const envp[])
{
	return spawn_common("posix_spawn", pid, path, fa, attr, argv, envp, 0);
}

EFS_EXPORT int
posix_spawnp(pid_t *pid, const char *file, const posix_spawn_file_actions_t *fa,
    const posix_spawnattr_t *attr, char *const argv[], char *const envp[])
{
	return spawn_common("posix_spawnp", pid, file, fa, attr, argv, envp, 1);
}

/*
 * system and popen start /bin/sh inside libc with environ, so efsap's
 * variables go into environ first (efs_handover_sync_environ).
 */
EFS_EXPORT int
system(const char *command)
{
	struct efs_call c;

	if (!efs_enter(&c, "system", NULL))
		return real.system(command);
	efs_handover_sync_environ();
	efs_pass(&c, 0);
	return real.system(command);
}

EFS_EXPORT FILE *
popen(const char *command, const char *type)
{
	struct efs_call c;

	if (!efs_enter(&c, "popen", NULL))
		return real.popen(command, type);
	efs_handover_sync_environ();
	efs_pass(&c, 0);
	return real.popen(command, type);
}
