/* SPDX-License-Identifier: MIT */
/*
 * run_image.c: `efsap run --image IMAGE [-c FILE] [--] [COMMAND [ARG...]]`:
 * the image unpacked and cached (image.c), its configuration applied as ECS
 * applies it, the EFS configuration compiled for inside the container, and
 * the container made and run (sandbox.c).
 *
 * ECS's rules, as this file applies them: the command is Entrypoint
 * followed by COMMAND when one is given, else by the image's Cmd; the
 * environment is the image's Env, with PATH, HOSTNAME and HOME as Docker
 * supplies them when the image has none; the working directory is
 * WorkingDir, else /; the user is task.user when the configuration gives
 * it (a task definition's `user` overrides the image's), else the image's
 * User, else root.
 */
#include <err.h>
#include <dirent.h>
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "copyup.h"
#include "efsap_tool.h"
#include "env.h"
#include "handover.h"
#include "image.h"
#include "sandbox.h"

#define DOCKER_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

struct strv {
	char **v;
	size_t n, cap;
};

static void
strv_add(struct strv *s, const char *str)
{
	if (s->n + 2 > s->cap) {
		s->cap = s->cap == 0 ? 16 : 2 * s->cap;
		if ((s->v = realloc(s->v, s->cap * sizeof *s->v)) == NULL)
			err(EXIT_USAGE, "realloc");
	}
	if ((s->v[s->n++] = strdup(str)) == NULL)
		err(EXIT_USAGE, "strdup");
	s->v[s->n] = NULL;
}

static void
strv_addf(struct strv *s, const char *k, const char *v)
{
	char *kv;

	if (asprintf(&kv, "%s=%s", k, v) < 0)
		err(EXIT_USAGE, "asprintf");
	strv_add(s, kv);
	free(kv);
}

/* Is K set in env (K=...)? */
static int
strv_has(const struct strv *s, const char *k)
{
	size_t i, kl = strlen(k);

	for (i = 0; i < s->n; i++)
		if (strncmp(s->v[i], k, kl) == 0 && s->v[i][kl] == '=')
			return 1;
	return 0;
}

/*
 * launch_type EC2: for each mount whose path the image has as a directory,
 * Docker's copy into the empty volume (copyup.c), run as root under the
 * library with the host's view of the backing directory.  0, or the
 * status the task ends with.
 */
static int
copy_up(const struct efs_config *cfg, const struct efs_image *img, const char *lib)
{
	struct efs_config *root;
	struct efs_image_entry e;
	char cc[PATH_MAX], vol[EFS_PATH_MAX + 32], self[PATH_MAX];
	ssize_t n;
	int i, rc, st;

	if (!cfg->ec2 || img->rootfs[0] == '\0')
		return 0;
	if ((n = readlink("/proc/self/exe", self, sizeof self - 1)) < 0)
		err(EXIT_USAGE, "/proc/self/exe");
	self[n] = '\0';
	root = tool_config_alloc();
	*root = *cfg;
	/* the daemon: root, as ECS's agent and Docker run */
	memset(&root->task, 0, sizeof root->task);
	root->task.ngroups = 1;
	if ((rc = tool_cconf_write(root, cc, sizeof cc)) != 0)
		errx(EXIT_USAGE, "cannot write the compiled configuration: %s", strerror(-rc));
	free(root);
	for (i = 0; i < cfg->nmounts; i++) {
		const char *cp = cfg->mounts[i].container_path;
		pid_t pid;

		if (efs_image_at(img, cp, &e) != 0 || !S_ISDIR(e.attr.mode))
			continue;
		snprintf(vol, sizeof vol, "ecs-efsap-%d-%s", i + 1, strrchr(cp, '/') + 1);
		fflush(NULL);
		if ((pid = fork()) == -1)
			err(EXIT_USAGE, "fork");
		if (pid == 0) {
			char src[2 * PATH_MAX];

			snprintf(src, sizeof src, "%s/%s", img->rootfs, e.path);
			setenv(EFS_LD_PRELOAD, lib, 1);
			setenv(EFSAP_ENV_COMPILED, cc, 1);
			setenv(EFSAP_ENV_CONFIG, cfg->file, 1);
			execl(self, "efsap", "copyup", src, cp, vol, (char *)NULL);
			_exit(127);
		}
		while (waitpid(pid, &st, 0) == -1)
			if (errno != EINTR)
				err(EXIT_USAGE, "waitpid");
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
			return WIFEXITED(st) ? WEXITSTATUS(st) : EFSAP_EXIT_NOSTART;
	}
	return 0;
}

/*
 * Which C library the image's programs load: musl when the image has
 * musl's dynamic loader (lib/ld-musl-ARCH.so.1, as Alpine) and no glibc
 * one; glibc otherwise.
 */
static int
image_is_musl(const char *rootfs)
{
	static const char *const glibc[] = { "lib64/ld-linux-x86-64.so.2", "lib/ld-linux-aarch64.so.1",
	    "lib/ld-linux.so.2", "lib/ld-linux-armhf.so.3", NULL };
	char p[PATH_MAX];
	struct dirent *de;
	DIR *d;
	int musl = 0, i;

	for (i = 0; glibc[i] != NULL; i++)
		if ((size_t)snprintf(p, sizeof p, "%s/%s", rootfs, glibc[i]) < sizeof p &&
		    access(p, F_OK) == 0)
			return 0;
	if ((size_t)snprintf(p, sizeof p, "%s/lib", rootfs) >= sizeof p || (d = opendir(p)) == NULL)
		return 0;
	while (!musl && (de = readdir(d)) != NULL)
		musl = strncmp(de->d_name, "ld-musl-", 8) == 0;
	closedir(d);
	return musl;
}

/*
 * The library for the image: lib itself, or for a musl image the musl
 * build beside it (musl/libefsap.so: make musl).  Exits when there is none.
 */
static void
image_library(const char *rootfs, const char *lib, char *out, size_t len)
{
	char dir[PATH_MAX];

	snprintf(out, len, "%s", lib);
	if (!image_is_musl(rootfs))
		return;
	snprintf(dir, sizeof dir, "%s", lib);
	if ((size_t)snprintf(out, len, "%s/musl/%s", dirname(dir), EFS_LIBNAME) >= len ||
	    access(out, R_OK) != 0)
		errx(EXIT_USAGE, "the image's programs use musl (it has lib/ld-musl-*), and "
		    "%s is missing: build it with make musl", out);
}

int
tool_image_task(struct efs_config *cfg, const struct efs_image *img, char *home,
    size_t homelen, char *err, size_t len)
{
	uid_t uid;
	gid_t gid, groups[EFS_GROUPS_MAX];
	char task_uid[16];
	int ng = EFS_GROUPS_MAX, k;

	if (cfg->has_task_user) {
		/* only HOME comes from the image: task.user's uid in its /etc/passwd */
		snprintf(task_uid, sizeof task_uid, "%u", (unsigned)cfg->task.uid);
		if (home != NULL && efs_image_user(img->rootfs, task_uid, &uid, &gid, groups,
		    &ng, home, homelen, err, len) != 0)
			return -1;
		return 0;
	}
	if (efs_image_user(img->rootfs, img->user, &uid, &gid, groups, &ng, home, homelen,
	    err, len) != 0)
		return -1;
	cfg->task.uid = uid;
	cfg->task.gid = gid;
	cfg->task.groups[0] = gid;
	cfg->task.ngroups = 1;
	for (k = 0; k < ng && cfg->task.ngroups < EFS_GROUPS_MAX; k++)
		if (groups[k] != gid)
			cfg->task.groups[cfg->task.ngroups++] = groups[k];
	return 0;
}

int
run_image(const char *image, struct efs_config *cfg, const char *log,
    const char *lib, int argc, char **argv)
{
	struct efs_sandbox sb;
	struct efs_image img;
	struct strv av = { 0 }, env = { 0 }, mk = { 0 };
	char errbuf[512], libdir[PATH_MAX], fsdir[PATH_MAX], base[PATH_MAX];
	char home[PATH_MAX], *logfile = NULL;
	const char *v;
	unsigned char *cc;
	long cclen;
	int i, rc;

	if (efs_image_open(image, &img, errbuf, sizeof errbuf) != 0)
		errx(EXIT_USAGE, "%s", errbuf);

	if (tool_image_task(cfg, &img, home, sizeof home, errbuf, sizeof errbuf) != 0)
		errx(EFSAP_EXIT_CONFIG, "%s", errbuf);

	/* the command */
	for (i = 0; img.entrypoint != NULL && img.entrypoint[i] != NULL; i++)
		strv_add(&av, img.entrypoint[i]);
	if (argc > 0)
		for (i = 0; i < argc; i++)
			strv_add(&av, argv[i]);
	else
		for (i = 0; img.cmd != NULL && img.cmd[i] != NULL; i++)
			strv_add(&av, img.cmd[i]);
	if (av.n == 0)
		errx(EXIT_USAGE, "%s has no Entrypoint or Cmd: give a COMMAND", image);

	/* the environment: the image's, then efsap's own */
	for (i = 0; img.env != NULL && img.env[i] != NULL; i++)
		strv_add(&env, img.env[i]);
	if (!strv_has(&env, "PATH"))
		strv_addf(&env, "PATH", DOCKER_PATH);
	if (!strv_has(&env, "HOSTNAME"))
		strv_addf(&env, "HOSTNAME", "efsap");
	if (!strv_has(&env, "HOME"))
		strv_addf(&env, "HOME", home);
	if ((v = getenv("TERM")) != NULL && !strv_has(&env, "TERM"))
		strv_addf(&env, "TERM", v);
	strv_addf(&env, EFS_LD_PRELOAD, EFS_SB_LIB "/" EFS_LIBNAME);
	strv_addf(&env, EFSAP_ENV_COMPILED, EFS_SB_CCONF);
	if (cfg->file[0] != '\0')
		strv_addf(&env, EFSAP_ENV_CONFIG, cfg->file);
	if (log != NULL || (log = getenv(EFSAP_ENV_LOG)) != NULL)
		strv_addf(&env, EFSAP_ENV_LOG, log);
	if ((v = getenv(EFSAP_ENV_LOG_FILE)) != NULL && *v != '\0') {
		FILE *f = fopen(v, "a");

		if (f == NULL || (logfile = realpath(v, NULL)) == NULL)
			err(EXIT_USAGE, "%s", v);
		fclose(f);
		strv_addf(&env, EFSAP_ENV_LOG_FILE, EFS_SB_LOG);
	}

	if (cfg->file[0] == '\0')	/* the built-in default: a name for messages */
		snprintf(cfg->file, sizeof cfg->file, "%s", EFS_SB_DIR "/built-in-default");
	if ((rc = copy_up(cfg, &img, lib)) != 0) {
		efs_image_free(&img);
		return rc;
	}

	/* the backing directory, seen inside as EFS_SB_FS/NAME */
	snprintf(base, sizeof base, "%s", cfg->backing);
	if ((rc = tool_mkdir_p(cfg->backing, 0755)) != 0)
		errx(EXIT_USAGE, "%s: %s", cfg->backing, strerror(-rc));
	snprintf(fsdir, sizeof fsdir, "%s", dirname(base));
	snprintf(base, sizeof base, "%s", cfg->backing);
	if ((size_t)snprintf(cfg->backing, sizeof cfg->backing, "%s/%s", EFS_SB_FS,
	    basename(base)) >= sizeof cfg->backing)
		errx(EXIT_USAGE, "%s: %s", base, strerror(ENAMETOOLONG));
	for (i = 0; i < cfg->nmounts; i++) {
		strv_add(&mk, cfg->mounts[i].container_path);
		(void)tool_image_note(&img, cfg->mounts[i].container_path,
		    cfg->mounts[i].image_note, sizeof cfg->mounts[i].image_note);
	}

	cfg->image = 1;		/* the library decides the image's own paths (SPEC 5.9) */
	if ((cclen = tool_cconf_encode(cfg, &cc)) < 0)
		errx(EXIT_USAGE, "cannot compile the configuration: %s", strerror((int)-cclen));
	image_library(img.rootfs, lib, libdir, sizeof libdir);
	memset(&sb, 0, sizeof sb);
	sb.rootfs = img.rootfs;
	sb.libdir = dirname(libdir);
	sb.fsdir = fsdir;
	sb.cconf = cc;
	sb.cconf_len = (size_t)cclen;
	sb.logfile = logfile;
	sb.mkdirs = (const char *const *)mk.v;
	sb.workdir = img.workdir;
	sb.argv = av.v;
	sb.envp = env.v;
	rc = efs_sandbox_run(&sb);
	free(cc);
	free(logfile);
	efs_image_free(&img);
	return rc;
}
