/* SPDX-License-Identifier: MIT */
/*
 * cconf_write.c: write the compiled form of a validated configuration
 * (cconf.h) where every process of the tree can read it, for
 * EFSAP_CONFIG_COMPILED.
 *
 * One file per content, named by its checksum, in a directory of the
 * user's own: $XDG_RUNTIME_DIR/efsap when that is the user's, else
 * ${TMPDIR:-/tmp}/efsap-UID (created 0700; refused when someone else owns
 * it or may write it).  Files are 0600, written under a temporary name and
 * renamed, never removed: a process started long after `efsap run` (a
 * daemon's child) still finds its configuration, and a second run of the
 * same configuration finds the file there.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cconf.h"
#include "efsap_tool.h"

/* Is dir a directory of ours that nobody else may write? (made when missing) */
static int
own_dir(const char *dir)
{
	struct stat st;

	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		return -errno;
	if (lstat(dir, &st) != 0)
		return -errno;
	if (!S_ISDIR(st.st_mode) || st.st_uid != geteuid() || (st.st_mode & 022) != 0)
		return -EPERM;
	return 0;
}

static int
choose_dir(char *dir, size_t len)
{
	const char *x = getenv("XDG_RUNTIME_DIR"), *t = getenv("TMPDIR");
	struct stat st;

	if (x != NULL && x[0] == '/' && stat(x, &st) == 0 && S_ISDIR(st.st_mode) &&
	    st.st_uid == geteuid() && (size_t)snprintf(dir, len, "%s/efsap", x) < len &&
	    own_dir(dir) == 0)
		return 0;
	if (t == NULL || t[0] != '/')
		t = "/tmp";
	if ((size_t)snprintf(dir, len, "%s/efsap-%u", t, (unsigned)geteuid()) >= len)
		return -ENAMETOOLONG;
	return own_dir(dir);
}

/* Does the file at path hold exactly buf? */
static int
same_content(const char *path, const unsigned char *buf, size_t n)
{
	unsigned char *have;
	struct stat st;
	ssize_t got;
	size_t off = 0;
	int fd, same = 0;

	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		return 0;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == geteuid() &&
	    (st.st_mode & 077) == 0 && (size_t)st.st_size == n && (have = malloc(n)) != NULL) {
		while (off < n && (got = read(fd, have + off, n - off)) > 0)
			off += (size_t)got;
		same = off == n && memcmp(have, buf, n) == 0;
		free(have);
	}
	close(fd);
	return same;
}

long
tool_cconf_encode(const struct efs_config *cfg, unsigned char **out)
{
	long n;

	if ((*out = malloc(EFS_CCONF_MAX)) == NULL)
		return -ENOMEM;
	if ((n = efs_cconf_encode(cfg, *out, EFS_CCONF_MAX)) < 0) {
		free(*out);
		*out = NULL;
	}
	return n;
}

int
tool_cconf_write(const struct efs_config *cfg, char *path_out, size_t len)
{
	char dir[EFS_PATH_MAX], tmp[EFS_PATH_MAX + 32];
	unsigned char *buf;
	size_t off = 0;
	ssize_t w;
	long n;
	int fd, rc;

	if ((n = tool_cconf_encode(cfg, &buf)) < 0)
		return (int)n;
	if ((rc = choose_dir(dir, sizeof(dir))) != 0)
		goto out;
	if ((size_t)snprintf(path_out, len, "%s/cc-%016" PRIx64, dir,
	    efs_cconf_sum(buf, (size_t)n)) >= len) {
		rc = -ENAMETOOLONG;
		goto out;
	}
	if (same_content(path_out, buf, (size_t)n))
		goto out;
	snprintf(tmp, sizeof(tmp), "%s/.cc-XXXXXX", dir);
	if ((fd = mkstemp(tmp)) < 0) {
		rc = -errno;
		goto out;
	}
	while (off < (size_t)n && (w = write(fd, buf + off, (size_t)n - off)) > 0)
		off += (size_t)w;
	if (off != (size_t)n) {
		close(fd);
		rc = -EIO;
		unlink(tmp);
	} else if (close(fd) != 0 || rename(tmp, path_out) != 0) {
		rc = -errno;
		unlink(tmp);
	}
out:
	free(buf);
	return rc;
}
