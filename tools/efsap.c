/* SPDX-License-Identifier: MIT */
/*
 * efsap.c: the efsap program, one command with subcommands in the style of
 * git: `efsap check` validates configurations, `efsap run` runs a program
 * under libefsap, `efsap import` writes a configuration from AWS
 * documents, `efsap image` unpacks and inspects images.  This file dispatches and holds what they share.
 */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "copyup.h"
#include "efsap_tool.h"

static const char usage_text[] =
    "usage: efsap check [-q] [--explain] [--image IMAGE] FILE...\n"
    "       efsap run [-c FILE] [--log=deny|all] [--] COMMAND [ARG...]\n"
    "       efsap run --image IMAGE [-c FILE] [--log=deny|all] [--] [COMMAND [ARG...]]\n"
    "       efsap compile [-c FILE] [-o OUT]\n"
    "       efsap import [-o FILE] [--container NAME] JSON...\n"
    "       efsap image unpack IMAGE\n"
    "       efsap image inspect [-r] IMAGE [PATH...]\n"
    "       efsap --help | --version\n";

static const char help_text[] =
    "\n"
    "Emulate Amazon EFS (access points, root squashing, file system\n"
    "policy) on a local directory, for unmodified programs.\n"
    "\n"
    "commands:\n"
    "  check      validate configuration files; --explain prints, per mount,\n"
    "             the server identity, the policy decisions and what the\n"
    "             mount will do\n"
    "  run        validate the configuration, then run COMMAND with\n"
    "             libefsap.so preloaded; with --image, in a container of\n"
    "             IMAGE (a root directory, docker save archive or OCI\n"
    "             layout), unprivileged, the mounts emulated inside\n"
    "  compile    write the compiled form of a configuration, for a\n"
    "             container that docker or podman runs with the library\n"
    "  import     write a configuration from AWS documents: ECS task\n"
    "             definitions, aws efs describe-access-points,\n"
    "             describe-file-systems and describe-file-system-policy\n"
    "             output, IAM policies, terraform show -json\n"
    "  image      unpack IMAGE (a root file system directory, a docker or\n"
    "             podman save archive, an OCI layout) into the cache and\n"
    "             print its root; inspect: its configuration and what it\n"
    "             has at each PATH, with the layer that put it there\n"
    "\n"
    "See efsap(1) and efsap.conf(5).\n";

void
usage(void)
{
	fputs(usage_text, stderr);
	exit(EXIT_USAGE);
}

void
bad_option(int ch, char **argv)
{
	if (ch == ':')
		warnx("option %s needs an argument", argv[optind - 1]);
	else if (optopt != 0)
		warnx("unknown option -%c", optopt);
	else
		warnx("unknown option %s", argv[optind - 1]);
	usage();
}

int
tool_mkdir_p(const char *path, mode_t mode)
{
	char p[PATH_MAX];
	size_t i, n = strlen(path);

	if (n >= sizeof p)
		return -ENAMETOOLONG;
	memcpy(p, path, n + 1);
	for (i = 1; i <= n; i++) {
		if (p[i] != '/' && p[i] != '\0')
			continue;
		p[i] = '\0';
		if (mkdir(p, mode) == -1 && errno != EEXIST)
			return -errno;
		p[i] = path[i];
	}
	return 0;
}

void
tool_invoker(struct efs_ident *id)
{
	gid_t *gs;
	int i, n;

	memset(id, 0, sizeof(*id));
	id->uid = getuid();
	id->gid = getgid();
	if ((n = getgroups(0, NULL)) <= 0)
		return;
	if ((gs = calloc(n, sizeof(*gs))) == NULL)
		err(EXIT_USAGE, "calloc");
	if ((n = getgroups(n, gs)) == -1)
		err(EXIT_USAGE, "getgroups");
	for (i = 0; i < n && i < EFS_GROUPS_MAX; i++)
		id->groups[i] = gs[i];
	id->ngroups = i;
	free(gs);
}

struct efs_config *
tool_config_alloc(void)
{
	struct efs_config *cfg;

	if ((cfg = calloc(1, sizeof(*cfg))) == NULL)
		err(EXIT_USAGE, "calloc");
	return cfg;
}

struct efs_diags *
tool_diags_alloc(void)
{
	struct efs_diags *d;

	if ((d = calloc(1, sizeof(*d))) == NULL)
		err(EXIT_USAGE, "calloc");
	return d;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "help",	no_argument,	NULL,	'h' },
		{ "version",	no_argument,	NULL,	'V' },
		{ NULL,		0,		NULL,	0 }
	};
	int ch;

	opterr = 0;
	while ((ch = getopt_long(argc, argv, "+:hV", longopts, NULL)) != -1) {
		switch (ch) {
		case 'h':
			fputs(usage_text, stdout);
			fputs(help_text, stdout);
			return 0;
		case 'V':
			printf("efsap %s\n", EFSAP_VERSION);
			return 0;
		default:
			bad_option(ch, argv);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0)
		usage();

	/* Each command parses its own options from a fresh getopt. */
	optind = 0;
	if (strcmp(argv[0], "check") == 0)
		return cmd_check(argc, argv);
	if (strcmp(argv[0], "run") == 0)
		return cmd_run(argc, argv);
	if (strcmp(argv[0], "import") == 0)
		return cmd_import(argc, argv);
	if (strcmp(argv[0], "image") == 0)
		return cmd_image(argc, argv);
	if (strcmp(argv[0], "compile") == 0)
		return cmd_compile(argc, argv);
	if (strcmp(argv[0], "copyup") == 0)	/* efsap run --image's, not in the usage */
		return cmd_copyup(argc, argv);
	if (strcmp(argv[0], "help") == 0) {
		fputs(usage_text, stdout);
		fputs(help_text, stdout);
		return 0;
	}
	warnx("unknown command: %s", argv[0]);
	usage();
}
