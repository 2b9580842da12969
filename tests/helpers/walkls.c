/* SPDX-License-Identifier: MIT */
/*
 * walkls.c: libc's directory walkers as a test sees them, for the image
 * tests (t_imagefs.sh runs it inside a container, from the build
 * directory the launcher binds at /.efsap/lib):
 *
 *   walkls nftw DIR       one line per object nftw (FTW_PHYS) reports:
 *                         "PATH UID:GID MODE" (mode in octal)
 *   walkls scandir DIR    the names scandir lists, sorted, on one line
 */
#include <dirent.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int
show(const char *path, const struct stat *st, int type, struct FTW *f)
{
	if (st == NULL || type == FTW_NS)
		printf("%s ?\n", path);
	else
		printf("%s %u:%u %o\n", path, (unsigned)st->st_uid, (unsigned)st->st_gid,
		    (unsigned)(st->st_mode & 07777));
	return 0;
}

int
main(int argc, char **argv)
{
	struct dirent **l;
	int i, n;

	if (argc != 3)
		return 2;
	if (strcmp(argv[1], "nftw") == 0)
		return nftw(argv[2], show, 8, FTW_PHYS) == 0 ? 0 : 1;
	if (strcmp(argv[1], "scandir") != 0)
		return 2;
	if ((n = scandir(argv[2], &l, NULL, alphasort)) < 0) {
		perror(argv[2]);
		return 1;
	}
	for (i = 0; i < n; i++) {
		printf("%s%s", i ? " " : "", l[i]->d_name);
		free(l[i]);
	}
	printf("\n");
	free(l);
	return 0;
}
