/* SPDX-License-Identifier: MIT */
/*
 * run.c: `efsap run [-c FILE] [--log=deny|all] [--] COMMAND [ARG...]`
 * (and, with --image, run_image.c):
 * validate the configuration, then exec COMMAND with libefsap.so
 * preloaded.  Nothing is mounted here: the library does that when it
 * starts in COMMAND, with the same plan that `efsap check --explain` shows.
 */
#include <elf.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "efsap_tool.h"
#include "elfdyn.h"
#include "env.h"
#include "handover.h"
#include "path.h"

/* Is path an existing regular file? */
static int
is_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/*
 * The library: beside the program (a build tree, or an installation that
 * keeps both together), else in ../lib/efsap beside its bin directory (an
 * installation under another PREFIX than the one built for), else in the
 * package library directory.
 */
static void
find_library(char *out, size_t len)
{
	char self[EFS_PATH_MAX], *dir;
	ssize_t n;

	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n > 0) {
		self[n] = '\0';
		dir = dirname(self);
		if ((size_t)snprintf(out, len, "%s/%s", dir, EFS_LIBNAME) < len && is_file(out))
			return;
		if ((size_t)snprintf(out, len, "%s/../lib/efsap/%s", dir, EFS_LIBNAME) < len &&
		    is_file(out))
			return;
	}
	if ((size_t)snprintf(out, len, "%s/%s", EFSAP_PKGLIBDIR,
	    EFS_LIBNAME) < len && is_file(out))
		return;
	errx(EXIT_USAGE, "cannot find %s (beside the efsap program or in %s)",
	    EFS_LIBNAME, EFSAP_PKGLIBDIR);
}

/*
 * Where execvp() would find cmd: the first candidate of the PATH search
 * that is an executable regular file.  0, or -1 when none is.
 */
static int
find_command(const char *cmd, char *out, size_t len)
{
	struct efs_search s;

	efs_search_start(&s, cmd, getenv("PATH"));
	while (efs_search_next(&s, out, len))
		if (is_file(out) && access(out, X_OK) == 0)
			return 0;
	return -1;
}

/*
 * Is the ELF file at path statically linked, that is without a program
 * interpreter (PT_INTERP)?  Returns 1 or 0; 0 as well for what is not a
 * native ELF executable (a script, unreadable), which we cannot judge.
 */
static int
elf_is_static(const char *path)
{
	Elf64_Ehdr e64;
	Elf32_Ehdr e32;
	Elf64_Phdr p64;
	Elf32_Phdr p32;
	uint64_t off;
	unsigned i, phnum, phentsize, type;
	int fd, cls, result = 0;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)) == -1)
		return 0;
	if (pread(fd, &e64, sizeof(e64), 0) < (ssize_t)EI_NIDENT ||
	    memcmp(e64.e_ident, ELFMAG, SELFMAG) != 0)
		goto out;
	cls = e64.e_ident[EI_CLASS];
	if (cls == ELFCLASS64) {
		if (pread(fd, &e64, sizeof(e64), 0) != sizeof(e64))
			goto out;
		type = e64.e_type;
		off = e64.e_phoff;
		phnum = e64.e_phnum;
		phentsize = e64.e_phentsize;
		if (phentsize < sizeof(p64))
			goto out;
	} else if (cls == ELFCLASS32) {
		if (pread(fd, &e32, sizeof(e32), 0) != sizeof(e32))
			goto out;
		type = e32.e_type;
		off = e32.e_phoff;
		phnum = e32.e_phnum;
		phentsize = e32.e_phentsize;
		if (phentsize < sizeof(p32))
			goto out;
	} else
		goto out;
	if (type != ET_EXEC && type != ET_DYN)
		goto out;
	for (i = 0; i < phnum; i++, off += phentsize) {
		if (cls == ELFCLASS64) {
			if (pread(fd, &p64, sizeof(p64), off) != sizeof(p64))
				goto out;
			if (p64.p_type == PT_INTERP)
				goto out;
		} else {
			if (pread(fd, &p32, sizeof(p32), off) != sizeof(p32))
				goto out;
			if (p32.p_type == PT_INTERP)
				goto out;
		}
	}
	result = 1;
out:
	close(fd);
	return result;
}

/* Print the diagnostics; an invalid or unreadable file exits 78. */
static void
load_or_exit(const char *file, struct efs_config *cfg)
{
	struct efs_ident invoker;
	struct efs_diags *d;
	int rc;

	tool_invoker(&invoker);
	d = tool_diags_alloc();
	rc = efs_config_load(file, &invoker, cfg, d);
	efs_diags_print(d, STDERR_FILENO);
	if (rc != 0) {
		if (rc != -EINVAL && d->n == 0)
			warnx("%s: %s", file, strerror(-rc));
		exit(EFSAP_EXIT_CONFIG);
	}
	free(d);
}

/* LD_PRELOAD = lib, then whatever was there (efs_preload_prepend). */
static void
set_preload(const char *lib)
{
	const char *old = getenv(EFS_LD_PRELOAD);
	size_t len = strlen(lib) + 2 + (old != NULL ? strlen(old) : 0);
	char *v;

	if ((v = malloc(len)) == NULL)
		err(EXIT_USAGE, "malloc");
	if (efs_preload_prepend(v, len, lib, old) != 0)
		errx(EXIT_USAGE, "LD_PRELOAD does not fit");
	if (setenv(EFS_LD_PRELOAD, v, 1) == -1)
		err(EXIT_USAGE, "setenv");
	free(v);
}

/*
 * Hand the library the configuration validated here, compiled: it starts
 * without libconfig or Jansson, and without parsing.  cfg->file becomes
 * the path EFSAP_CONFIG names, as the library would have it.  When the
 * file cannot be written, the library parses the configuration itself.
 */
static void
compile_config(struct efs_config *cfg, const char *abs)
{
	char path[EFS_PATH_MAX];
	int rc;

	if (strlen(abs) >= sizeof(cfg->file))
		return;
	strcpy(cfg->file, abs);
	if ((rc = tool_cconf_write(cfg, path, sizeof(path))) != 0) {
		warnx("warning: cannot write the compiled configuration (%s); "
		    "every process will parse %s", strerror(-rc), abs);
		return;
	}
	if (setenv(EFSAP_ENV_COMPILED, path, 1) == -1)
		err(EXIT_USAGE, "setenv");
}

/*
 * Choose the configuration: -c, $EFSAP_CONFIG, ./efsap.conf, else the
 * built-in default, announced here once; the library, seeing
 * EFSAP_STATE_DEFAULT, then takes the default silently.
 */
static void
choose_config(const char *file, struct efs_config *cfg, int image)
{
	struct efs_ident invoker;
	char cwd[EFS_PATH_MAX], abs[PATH_MAX];
	const char *prev;

	if (file == NULL && (file = getenv(EFSAP_ENV_CONFIG)) != NULL &&
	    *file == '\0')
		file = NULL;
	if (file == NULL && access(EFSAP_DEFAULT_CONFIG, F_OK) == 0)
		file = EFSAP_DEFAULT_CONFIG;
	unsetenv(EFSAP_ENV_COMPILED);		/* an outer run's, for its own file */
	if (file != NULL) {
		load_or_exit(file, cfg);
		if (realpath(file, abs) == NULL)
			err(EFSAP_EXIT_CONFIG, "%s", file);
		if (setenv(EFSAP_ENV_CONFIG, abs, 1) == -1)
			err(EXIT_USAGE, "setenv");
		if (image)	/* the container gets its own (run_image.c) */
			snprintf(cfg->file, sizeof(cfg->file), "%s", abs);
		else
			compile_config(cfg, abs);
		return;
	}

	if (getcwd(cwd, sizeof(cwd)) == NULL)
		err(EFSAP_EXIT_CONFIG, "getcwd");
	tool_invoker(&invoker);
	if (efs_config_default(cwd, &invoker, cfg) != 0)
		errx(EFSAP_EXIT_CONFIG, "%s: %s", cwd, strerror(ENAMETOOLONG));
	prev = getenv(EFSAP_ENV_DEFAULT_DIR);
	if (prev == NULL || strcmp(prev, cwd) != 0)
		fprintf(stderr, "efsap: no configuration file; using the "
		    "built-in default (file system in %s mounted at %s)\n",
		    cfg->backing, EFSAP_DEFAULT_MOUNT);
	unsetenv(EFSAP_ENV_CONFIG);
	if (setenv(EFSAP_ENV_DEFAULT_DIR, cwd, 1) == -1)
		err(EXIT_USAGE, "setenv");
}

/* Is path (relative to cwd) in a mount, by text? */
static int
under_mount(const struct efs_config *cfg, const char *cwd, const char *path)
{
	char abs[EFS_PATH_MAX];

	return efs_path_join(cwd, path, abs, sizeof(abs)) >= 0 &&
	    efs_path_mount(cfg, abs, NULL) >= 0;
}

/*
 * Could cmd live under a mount: a path that reaches one, or a bare name
 * whose PATH candidate does?  Then the launcher, which runs before the
 * library and so sees no mounts, lets a shell under the library find and
 * execute it.
 */
static int
may_live_in_mount(const struct efs_config *cfg, const char *cmd)
{
	char cwd[EFS_PATH_MAX], cand[EFS_PATH_MAX];
	struct efs_search s;

	if (getcwd(cwd, sizeof(cwd)) == NULL)
		return 0;
	/* execvp's candidates, as find_command takes them */
	efs_search_start(&s, cmd, getenv("PATH"));
	while (efs_search_next(&s, cand, sizeof(cand)))
		if (under_mount(cfg, cwd, cand))
			return 1;
	return 0;
}

/* Does an absolute entry of list (separated by any of seps) name a path under a mount? */
static int
list_names_mount(const struct efs_config *cfg, const char *list, const char *seps)
{
	char entry[EFS_PATH_MAX], norm[EFS_PATH_MAX];
	const char *p, *e;

	for (p = list; p != NULL && *p != '\0'; p = *e != '\0' ? e + 1 : e) {
		e = p + strcspn(p, seps);
		if (*p != '/' || (size_t)(e - p) >= sizeof(entry))
			continue;
		memcpy(entry, p, (size_t)(e - p));
		entry[e - p] = '\0';
		if (efs_path_join("/", entry, norm, sizeof(norm)) >= 0 &&
		    efs_path_mount(cfg, norm, NULL) >= 0)
			return 1;
	}
	return 0;
}

static long
file_read(void *ctx, uint64_t off, void *buf, size_t n)
{
	ssize_t got = pread(*(int *)ctx, buf, n, (off_t)off);

	return got < 0 ? -1 : (long)got;
}

/* Does the executable at path name a mount in its DT_RUNPATH or DT_RPATH? */
static int
exe_names_mount(const struct efs_config *cfg, const char *path)
{
	char dt[EFS_PATH_MAX];
	int fd, kind;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)) == -1)
		return 0;
	kind = efs_elf_search_path(file_read, &fd, dt, sizeof(dt));
	close(fd);
	return kind > 0 && list_names_mount(cfg, dt, ":");
}

/*
 * The loader of COMMAND must find libraries under a mount (LD_LIBRARY_PATH,
 * LD_PRELOAD, or the program's own RUNPATH name one): only the library
 * translates them, so a shell started under it executes COMMAND.  That
 * shell's loader must not fail on LD_PRELOAD's mount entries: they are
 * left out of its LD_PRELOAD and come back, through EFSAP_STATE_PRELOAD,
 * when the library starts in it (handover.h).
 */
static void
preload_for_shell(const struct efs_config *cfg)
{
	const char *full = getenv(EFS_LD_PRELOAD), *p, *e;
	size_t len, n = 0;
	char *v, *state;

	if (full == NULL)
		return;
	len = strlen(full) + 1;
	if ((v = malloc(len)) == NULL || (state = malloc(len + 64)) == NULL)
		err(EXIT_USAGE, "malloc");
	for (p = full; *p != '\0'; p = *e != '\0' ? e + 1 : e) {
		char one[EFS_PATH_MAX];

		e = p + strcspn(p, " :");
		if (e == p)
			continue;
		if ((size_t)(e - p) < sizeof(one)) {
			memcpy(one, p, (size_t)(e - p));
			one[e - p] = '\0';
			if (list_names_mount(cfg, one, ""))
				continue;
		}
		if (n > 0)
			v[n++] = ':';
		memcpy(v + n, p, (size_t)(e - p));
		n += (size_t)(e - p);
	}
	v[n] = '\0';
	if (strcmp(v, full) != 0) {
		if (efs_ldstate_put(state, len + 64, EFSAP_ENV_PRELOAD, v, full) != 0)
			errx(EXIT_USAGE, "LD_PRELOAD does not fit");
		if (setenv(EFSAP_ENV_PRELOAD, state + strlen(EFSAP_ENV_PRELOAD) + 1, 1) == -1 ||
		    setenv(EFS_LD_PRELOAD, v, 1) == -1)
			err(EXIT_USAGE, "setenv");
	}
	free(v);
	free(state);
}

/* exec COMMAND through a shell under the library; returns only on failure. */
static int
exec_via_shell(int argc, char **argv)
{
	char **av = calloc((size_t)argc + 4, sizeof(*av));

	if (av == NULL)
		err(EXIT_USAGE, "calloc");
	av[0] = "sh";
	av[1] = "-c";
	av[2] = "exec \"$0\" \"$@\"";
	memcpy(av + 3, argv, (size_t)argc * sizeof(*av));
	execv("/bin/sh", av);
	warn("/bin/sh");
	return 126;
}

int
cmd_run(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config",	required_argument,	NULL,	'c' },
		{ "log",	required_argument,	NULL,	'l' },
		{ "image",	required_argument,	NULL,	'i' },
		{ NULL,		0,			NULL,	0 }
	};
	struct efs_config *cfg;
	char lib[EFS_PATH_MAX], cmdpath[EFS_PATH_MAX];
	const char *file = NULL, *log = NULL, *image = NULL;
	int ch, e, in_mount, found, loader, rc;

	opterr = 0;
	while ((ch = getopt_long(argc, argv, "+:c:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			file = optarg;
			break;
		case 'i':
			image = optarg;
			break;
		case 'l':
			if (strcmp(optarg, "deny") != 0 &&
			    strcmp(optarg, "all") != 0) {
				warnx("--log takes deny or all, not %s",
				    optarg);
				usage();
			}
			log = optarg;
			break;
		default:
			bad_option(ch, argv);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0 && image == NULL)
		usage();

	find_library(lib, sizeof(lib));
	cfg = tool_config_alloc();
	choose_config(file, cfg, image != NULL);
	if (image != NULL) {
		rc = run_image(image, cfg, log, lib, argc, argv);
		free(cfg);
		return rc;
	}
	in_mount = may_live_in_mount(cfg, argv[0]);
	found = find_command(argv[0], cmdpath, sizeof(cmdpath)) == 0;
	loader = list_names_mount(cfg, getenv("LD_LIBRARY_PATH"), ":;") ||
	    list_names_mount(cfg, getenv(EFS_LD_PRELOAD), " :") ||
	    (found && exe_names_mount(cfg, cmdpath));

	set_preload(lib);
	if (loader)
		preload_for_shell(cfg);
	free(cfg);
	if (log != NULL && setenv(EFSAP_ENV_LOG, log, 1) == -1)
		err(EXIT_USAGE, "setenv");
	if (found && elf_is_static(cmdpath))
		fprintf(stderr, "efsap: warning: %s is statically linked; "
		    "efsap cannot see its calls\n", argv[0]);
	if (loader)
		return exec_via_shell(argc, argv);

	execvp(argv[0], argv);
	e = errno;
	if (in_mount && (e == ENOENT || e == EACCES || e == ENOTDIR))
		/*
		 * Not on the host as the program sees it: a shell started with
		 * the library looks again, in the program's view, and executes
		 * it (its own error and 126/127 when it is not there either).
		 */
		return exec_via_shell(argc, argv);
	warn("%s", argv[0]);
	return e == ENOENT ? 127 : 126;
}

/*
 * `efsap compile [-c FILE] [-o OUT]`: the compiled form of a configuration
 * (EFSAP_CONFIG_COMPILED), for a container that a real engine runs with
 * the library bind-mounted (efsap(1), EXAMPLES): the backing directory's
 * parent must be bound at the same path inside.  FILE as efsap run
 * chooses it; OUT, else standard output.
 */
int
cmd_compile(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config",	required_argument,	NULL,	'c' },
		{ "output",	required_argument,	NULL,	'o' },
		{ NULL,		0,			NULL,	0 }
	};
	struct efs_config *cfg;
	const char *file = NULL, *out = NULL;
	char abs[PATH_MAX];
	unsigned char *buf;
	long n;
	int ch, fd;

	opterr = 0;
	while ((ch = getopt_long(argc, argv, "+:c:o:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			file = optarg;
			break;
		case 'o':
			out = optarg;
			break;
		default:
			bad_option(ch, argv);
		}
	}
	if (optind != argc)
		usage();
	if (file == NULL && (file = getenv(EFSAP_ENV_CONFIG)) != NULL && *file == '\0')
		file = NULL;
	if (file == NULL)
		file = EFSAP_DEFAULT_CONFIG;
	cfg = tool_config_alloc();
	load_or_exit(file, cfg);
	if (realpath(file, abs) == NULL)
		err(EFSAP_EXIT_CONFIG, "%s", file);
	snprintf(cfg->file, sizeof(cfg->file), "%s", abs);
	if ((n = tool_cconf_encode(cfg, &buf)) < 0)
		errx(EXIT_USAGE, "%s: cannot compile: %s", file, strerror((int)-n));
	fd = out == NULL ? STDOUT_FILENO : open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd == -1)
		err(EXIT_USAGE, "%s", out);
	if (write(fd, buf, (size_t)n) != n)
		err(EXIT_USAGE, "%s", out != NULL ? out : "standard output");
	if (out != NULL && close(fd) == -1)
		err(EXIT_USAGE, "%s", out);
	free(buf);
	free(cfg);
	return 0;
}
