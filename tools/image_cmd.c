/* SPDX-License-Identifier: MIT */
/*
 * image_cmd.c: `efsap image unpack IMAGE` (unpack into the cache, print
 * the root file system and the config digest) and `efsap image inspect
 * [-r] IMAGE [PATH...]` (the configuration, the layers, the USER's
 * identity, and what the image has at each PATH, with -r under it too):
 * the image side of `run --image`, to try without the launcher.
 */
#include <sys/stat.h>

#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "efsap_tool.h"
#include "image.h"

static const char *
type_name(uint32_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFDIR: return "dir";
	case S_IFREG: return "file";
	case S_IFLNK: return "symlink";
	case S_IFIFO: return "pipe";
	case S_IFSOCK: return "socket";
	case S_IFCHR: return "chardev";
	case S_IFBLK: return "blockdev";
	default: return "?";
	}
}

/* Print a NULL-terminated array as JSON strings would read. */
static void
print_argv(const char *key, char **v)
{
	const char *s;

	printf("%s:", key);
	if (v == NULL) {
		printf(" (none)\n");
		return;
	}
	printf(" [");
	for (; *v != NULL; v++) {
		printf("\"");
		for (s = *v; *s != '\0'; s++) {
			if (*s == '"' || *s == '\\')
				printf("\\%c", *s);
			else if ((unsigned char)*s < 0x20)
				printf("\\u%04x", (unsigned char)*s);
			else
				putchar(*s);
		}
		printf("\"%s", v[1] != NULL ? ", " : "");
	}
	printf("]\n");
}

/* One line saying what the image has at e->path. */
void
tool_image_entry_print(const char *path, const struct efs_image_entry *e, FILE *fp)
{
	fprintf(fp, "%s: %s %u:%u %04o%s%s", path, type_name(e->attr.mode), e->attr.uid,
	    e->attr.gid, e->attr.mode & 07777,
	    S_ISDIR(e->attr.mode) ? (e->has_entries ? ", not empty" : ", empty") : "",
	    e->recorded ? "" : " (owner unrecorded)");
	if (e->layer >= 0) {
		fprintf(fp, "; layer %d (%s)", e->layer, e->layer_digest);
		if (e->created_by != NULL)
			fprintf(fp, ": %s", e->created_by);
	}
	fputc('\n', fp);
}

static long
ms_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (t1.tv_sec - t0->tv_sec) * 1000 + (t1.tv_nsec - t0->tv_nsec) / 1000000;
}

static int
open_image(const char *arg, struct efs_image *img)
{
	struct timespec t0;
	char msg[PATH_MAX + 512];

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (efs_image_open(arg, img, msg, sizeof(msg)) != 0) {
		fflush(stdout);
		fprintf(stderr, "efsap: %s\n", msg);
		return -1;
	}
	if (img->digest[0] != '\0')
		fprintf(stderr, "efsap: %s: %s in %ld ms\n", arg,
		    img->cached ? "found in the cache" : "unpacked", ms_since(&t0));
	return 0;
}

static int
image_unpack(int argc, char **argv)
{
	struct efs_image img;

	if (argc != 2)
		usage();
	if (open_image(argv[1], &img) != 0)
		return 1;
	printf("rootfs: %s\n", img.rootfs);
	printf("digest: %s\n", img.digest[0] ? img.digest : "(none: a directory)");
	efs_image_free(&img);
	return 0;
}

static int
print_each(const struct efs_image_entry *e, void *arg)
{
	char path[PATH_MAX + 1];

	(void)arg;
	snprintf(path, sizeof(path), "/%s", e->path);
	tool_image_entry_print(path, e, stdout);
	return 0;
}

static int
image_inspect(int argc, char **argv)
{
	struct efs_image_entry e;
	struct efs_image img;
	char msg[512];
	gid_t groups[EFS_GROUPS_MAX];
	uid_t uid;
	gid_t gid;
	int i, n = EFS_GROUPS_MAX, rc, status = 0, recurse = 0;

	if (argc >= 2 && strcmp(argv[1], "-r") == 0) {
		recurse = 1;
		argc--;
		argv++;
	}
	if (argc < 2)
		usage();
	if (open_image(argv[1], &img) != 0)
		return 1;
	printf("rootfs: %s\n", img.rootfs);
	printf("digest: %s\n", img.digest[0] ? img.digest : "(none: a directory)");
	print_argv("entrypoint", img.entrypoint);
	print_argv("cmd", img.cmd);
	for (i = 0; img.env[i] != NULL; i++)
		printf("env: %s\n", img.env[i]);
	printf("workdir: %s\n", img.workdir);
	printf("user: %s", img.user);
	if (efs_image_user(img.rootfs, img.user, &uid, &gid, groups, &n, NULL, 0, msg,
	    sizeof(msg)) == 0) {
		printf(" (uid %u, gid %u, groups", (unsigned)uid, (unsigned)gid);
		for (i = 0; i < n; i++)
			printf("%s%u", i ? "," : " ", (unsigned)groups[i]);
		printf("%s)\n", n == 0 ? " none" : "");
	} else {
		printf(" (%s)\n", msg);
	}
	for (i = 0; i < img.nlayers; i++)
		printf("layer %d: %s%s%s\n", i, img.layers[i].digest,
		    img.layers[i].created_by ? ": " : "",
		    img.layers[i].created_by ? img.layers[i].created_by : "");
	for (i = 2; i < argc; i++) {
		if (recurse)
			rc = efs_image_each(&img, argv[i], print_each, NULL);
		else
			rc = efs_image_at(&img, argv[i], &e);
		if (rc == 0 && recurse) {
			continue;
		} else if (rc == 0) {
			tool_image_entry_print(argv[i], &e, stdout);
		} else {
			printf("%s: %s\n", argv[i], rc == -ENOENT ? "not in the image" :
			    strerror(-rc));
			status = 1;
		}
	}
	efs_image_free(&img);
	return status;
}

int
cmd_image(int argc, char **argv)
{
	if (argc < 2)
		usage();
	if (strcmp(argv[1], "unpack") == 0)
		return image_unpack(argc - 1, argv + 1);
	if (strcmp(argv[1], "inspect") == 0)
		return image_inspect(argc - 1, argv + 1);
	warnx("unknown image command: %s", argv[1]);
	usage();
}
