/* SPDX-License-Identifier: MIT */
/*
 * check.c: `efsap check [-q] [--explain] [--image IMAGE] FILE...`: validate configuration
 * files with the library's own loader and print every diagnostic.
 * Exit 0 when every file is valid, 1 when any is invalid, 2 on usage or
 * I/O errors (the worst wins).
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "efsap_tool.h"
#include "image.h"

/*
 * Can `file` be read as a file?  Missing, unreadable files, directories,
 * FIFOs and devices are I/O errors (2), reported here so that the message
 * names the cause.
 */
static int
check_readable(const char *file)
{
	struct stat st;
	int fd;

	if ((fd = open(file, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)) == -1) {
		warn("%s", file);
		return -1;
	}
	if (fstat(fd, &st) == -1) {
		warn("%s", file);
		close(fd);
		return -1;
	}
	close(fd);
	if (S_ISDIR(st.st_mode)) {
		warnx("%s: %s", file, strerror(EISDIR));
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {	/* a FIFO or a device: opened without waiting, never read */
		warnx("%s: not a regular file", file);
		return -1;
	}
	return 0;
}

/* Check one file; returns its exit status (0, 1 or 2). */
static int
check_one(const char *file, const struct efs_ident *invoker, int quiet,
    int explain, const struct efs_image *img)
{
	char msg[512];
	struct efs_config *cfg;
	struct efs_diags *d;
	int rc, status;

	if (check_readable(file) != 0)
		return EXIT_USAGE;
	cfg = tool_config_alloc();
	d = tool_diags_alloc();
	rc = efs_config_load(file, invoker, cfg, d);
	fflush(stdout);
	if (rc == -EINVAL) {
		efs_diags_print(d, STDERR_FILENO);
		status = 1;
	} else if (rc < 0) {
		if (d->n > 0)
			efs_diags_print(d, STDERR_FILENO);
		else
			warnx("%s: %s", file, strerror(-rc));
		status = EXIT_USAGE;
	} else {
		status = 0;
		if (!quiet) {
			efs_diags_print(d, STDERR_FILENO);
			if (d->nwarnings == 0)
				printf("%s: ok\n", file);
			else
				printf("%s: ok, %d warning%s\n", file,
				    d->nwarnings, d->nwarnings == 1 ? "" : "s");
		}
		if (img != NULL && tool_image_task(cfg, img, NULL, 0, msg, sizeof msg) != 0) {
			warnx("%s", msg);
			status = EXIT_USAGE;
		} else if (explain)
			status = tool_explain(cfg, img, stdout);
	}
	fflush(stdout);
	free(d);
	free(cfg);
	return status;
}

int
cmd_check(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "explain",	no_argument,	NULL,	'e' },
		{ "quiet",	no_argument,	NULL,	'q' },
		{ "image",	required_argument, NULL, 'i' },
		{ NULL,		0,		NULL,	0 }
	};
	struct efs_ident invoker;
	struct efs_image img, *imgp = NULL;
	const char *image = NULL;
	char msg[512];
	int ch, explain = 0, quiet = 0, i, rc, status = 0;

	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":q", longopts, NULL)) != -1) {
		switch (ch) {
		case 'e':
			explain = 1;
			break;
		case 'q':
			quiet = 1;
			break;
		case 'i':
			image = optarg;
			explain = 1;
			break;
		default:
			bad_option(ch, argv);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0)
		usage();

	if (image != NULL) {
		if (efs_image_open(image, &img, msg, sizeof msg) != 0)
			errx(EXIT_USAGE, "%s", msg);
		imgp = &img;
	}
	tool_invoker(&invoker);
	for (i = 0; i < argc; i++) {
		rc = check_one(argv[i], &invoker, quiet, explain, imgp);
		if (rc > status)
			status = rc;
	}
	if (imgp != NULL)
		efs_image_free(imgp);
	return status;
}
