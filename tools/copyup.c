/* SPDX-License-Identifier: MIT */
/*
 * copyup.c: what Docker does to an empty volume on ECS with the EC2 launch
 * type (efs-semantics §7.5), for `efsap run --image` with
 * task.launch_type = "EC2".
 *
 * On EC2 an EFS volume is a Docker volume.  When the image has a directory
 * where the volume is mounted and the volume is empty, the Docker daemon
 * (root) copies the directory into it through the EFS mount, the way
 * containerd's continuity CopyDirectory does: for a directory, chmod the
 * target (or mkdir it), then its file information (lchown, chmod, times),
 * then each entry, files copied and given their file information too.
 * Over an access point, EFS does all of that as the access point's user,
 * so the first lchown to another owner fails, and ECS reports
 *   CannotCreateContainerError: Error response from daemon: failed to copy
 *   file info for V: failed to chown V: lchown V: operation not permitted
 * and the task never starts.
 *
 * `efsap copyup SRC DST VOLUME` (not for people: efsap run starts it) does
 * that copy from the image's directory SRC to the mount path DST, with the
 * library preloaded and root as the caller, so that every step is decided
 * by the emulated EFS server exactly as the daemon's would be.  The image's
 * owners and modes are its records (the unpacked image cannot hold them).
 * Exit 0 when the volume was not empty or the copy succeeded; else the
 * ECS message on stderr and EFSAP_EXIT_NOSTART.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "attr.h"
#include "copyup.h"
#include "efsap_tool.h"

/* The volume's name in the daemon's messages (/var/lib/ecs/volumes/NAME). */
static const char *volume;
static const char *dst_root;

/* Go's text for an errno: strerror, lower-case first letter. */
static const char *
go_err(int e, char *buf, size_t len)
{
	snprintf(buf, len, "%s", strerror(e));
	if (buf[0] >= 'A' && buf[0] <= 'Z')
		buf[0] = (char)(buf[0] - 'A' + 'a');
	return buf;
}

/*
 * ECS's message, "WHAT P: GOOP P: ERR", then give up.  P is a target as
 * the daemon names it (its path under the volume's directory), or a
 * source as the image has it.
 */
static int
task_fails(const char *what, const char *path, int target, const char *goop, int e)
{
	char p[EFS_PATH_MAX + 64], eb[128];

	if (target)
		snprintf(p, sizeof p, "/var/lib/ecs/volumes/%s%s", volume, path + strlen(dst_root));
	else
		snprintf(p, sizeof p, "%s", path);
	fprintf(stderr, "efsap: the task did not start (launch_type EC2): "
	    "CannotCreateContainerError: Error response from daemon: "
	    "%s%s%s: %s %s: %s\n", what, what[0] != '\0' ? " " : "", p, goop, p,
	    go_err(e, eb, sizeof eb));
	return EFSAP_EXIT_NOSTART;
}

static int
fail_target(const char *what, const char *dst, const char *goop, int e)
{
	return task_fails(what, dst, 1, goop, e);
}

static int
fail_source(const char *what, const char *src, const char *goop, int e)
{
	return task_fails(what, src, 0, goop, e);
}

/* "failed to copy file info for P: failed to OP P: GOOP P: ERR" */
static int
fail_info(const char *dst, const char *op, const char *goop, int e)
{
	char what[EFS_PATH_MAX + 128];

	snprintf(what, sizeof what, "failed to copy file info for /var/lib/ecs/volumes/%s%s: "
	    "failed to %s", volume, dst + strlen(dst_root), op);
	return fail_target(what, dst, goop, e);
}

/* The image's owner and mode of src: its record, else 0:0 and the real mode. */
static void
image_attr(const char *src, const struct stat *st, struct efs_attr *a)
{
	char rec[EFS_ATTR_RECMAX];
	ssize_t n = -1;

	if (!S_ISLNK(st->st_mode))
		n = lgetxattr(src, EFS_ATTR_XATTR, rec, sizeof rec);
	if (n < 0 || efs_attr_parse(rec, (size_t)n, st->st_mode & S_IFMT, a) != 0)
		efs_attr_unrecorded(st, a);
}

/* continuity's copyFileInfo: lchown, chmod (not for links), times. */
static int
file_info(const char *dst, const struct stat *st, const struct efs_attr *a)
{
	struct timespec ts[2] = { st->st_atim, st->st_mtim };

	if (lchown(dst, a->uid, a->gid) == -1)
		return fail_info(dst, "chown", "lchown", errno);
	if (!S_ISLNK(st->st_mode) && chmod(dst, a->mode & 07777) == -1)
		return fail_info(dst, "chmod", "chmod", errno);
	if (utimensat(AT_FDCWD, dst, ts, AT_SYMLINK_NOFOLLOW) == -1)
		return fail_info(dst, "utime", "utimensat", errno);
	return 0;
}

static int
copy_file(const char *src, const char *dst, const struct efs_attr *a)
{
	char buf[65536];
	ssize_t n;
	int in, out, e = 0;

	if ((in = open(src, O_RDONLY | O_CLOEXEC)) == -1)
		return fail_source("failed to copy files: failed to open source", src, "open", errno);
	if ((out = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, a->mode & 0777)) == -1) {
		e = errno;
		close(in);
		return fail_target("failed to copy files: failed to open target", dst, "open", e);
	}
	while ((n = read(in, buf, sizeof buf)) > 0)
		if (write(out, buf, (size_t)n) != n) {
			e = errno != 0 ? errno : ENOSPC;
			break;
		}
	if (n < 0)
		e = errno;
	close(in);
	if (close(out) == -1 && e == 0)
		e = errno;
	return e != 0 ? fail_target("failed to copy files: copy", dst, "write", e) : 0;
}

static int
copy_dir(const char *src, const char *dst)
{
	char s[EFS_PATH_MAX], d[EFS_PATH_MAX], link[EFS_PATH_MAX];
	struct efs_attr a, ea;
	struct stat st, dt, et;
	struct dirent *de;
	DIR *dir;
	ssize_t n;
	int rc = 0;

	if (stat(src, &st) == -1)
		return fail_source("failed to stat", src, "stat", errno);
	image_attr(src, &st, &a);
	if (stat(dst, &dt) == -1) {
		if (mkdir(dst, a.mode & 07777) == -1)
			return fail_target("failed to mkdir", dst, "mkdir", errno);
	} else if (!S_ISDIR(dt.st_mode))
		return fail_target("cannot copy to non-directory:", dst, "mkdir", ENOTDIR);
	else if (chmod(dst, a.mode & 07777) == -1)
		return fail_target("failed to chmod on", dst, "chmod", errno);
	if ((dir = opendir(src)) == NULL)
		return fail_source("failed to read", src, "open", errno);
	if ((rc = file_info(dst, &st, &a)) != 0)
		goto out;
	while ((de = readdir(dir)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if ((size_t)snprintf(s, sizeof s, "%s/%s", src, de->d_name) >= sizeof s ||
		    (size_t)snprintf(d, sizeof d, "%s/%s", dst, de->d_name) >= sizeof d) {
			rc = fail_target("failed to copy files:", d, "open", ENAMETOOLONG);
			goto out;
		}
		if (lstat(s, &et) == -1)
			continue;	/* gone from the image meanwhile: nothing to copy */
		image_attr(s, &et, &ea);
		if (S_ISDIR(et.st_mode))
			rc = copy_dir(s, d);
		else if (S_ISREG(et.st_mode)) {
			if ((rc = copy_file(s, d, &ea)) == 0)
				rc = file_info(d, &et, &ea);
		} else if (S_ISLNK(et.st_mode)) {
			if ((n = readlink(s, link, sizeof link - 1)) < 0)
				rc = fail_source("failed to read link:", s, "readlink", errno);
			else {
				link[n] = '\0';
				if (symlink(link, d) == -1)
					rc = fail_target("failed to create symlink:", d, "symlink", errno);
				else
					rc = file_info(d, &et, &ea);
			}
		}
		/* device nodes, FIFOs and sockets: an unpacked image has none to give */
		if (rc != 0)
			break;
	}
out:
	closedir(dir);
	return rc;
}

/* Does the directory dst have an entry? */
static int
has_entries(const char *dst)
{
	struct dirent *de;
	DIR *d = opendir(dst);
	int any = 0;

	if (d == NULL)
		return 0;
	while (!any && (de = readdir(d)) != NULL)
		any = strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0;
	closedir(d);
	return any;
}

int
cmd_copyup(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: efsap copyup SRC DST VOLUME (efsap run starts it)\n");
		return EXIT_USAGE;
	}
	volume = argv[3];
	dst_root = argv[2];
	/* Docker copies into an empty volume only */
	if (has_entries(argv[2]))
		return 0;
	return copy_dir(argv[1], argv[2]);
}
