/* SPDX-License-Identifier: MIT */
/*
 * wrap_proc.c: /proc files that would show backing paths (SPEC 5.5).
 *
 * /proc/self/maps names the files mapped from a mount by their backing
 * paths.  Opened while some mount exists, the program gets a memfd holding
 * the kernel's text with each such path in the program's view instead,
 * read in one pass at open.  No allocation: the text streams through
 * stack buffers a line at a time (a mapping of our own would show up in
 * the very text we copy).
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "real.h"
#include "resolve.h"
#include "uaccess.h"

#define LINE_MAX_BYTES	(EFS_PATH_MAX + 256)	/* one maps line: fields, padding, path */

/* Is path this process's maps file? */
static int
is_maps(const char *path)
{
	const char *p = path + 6;	/* after "/proc/" */
	unsigned long v = 0;

	if (strncmp(path, "/proc/", 6) != 0)
		return 0;
	if (strncmp(p, "self/", 5) == 0)
		p += 5;
	else if (strncmp(p, "thread-self/", 12) == 0)
		p += 12;
	else {
		if (*p < '1' || *p > '9')
			return 0;
		while (*p >= '0' && *p <= '9' && v <= 1u << 30)
			v = v * 10 + (unsigned long)(*p++ - '0');
		if (*p++ != '/' || v != (unsigned long)getpid())
			return 0;
	}
	return strcmp(p, "maps") == 0;
}

static int
write_all(int fd, const char *buf, size_t n)
{
	ssize_t w;

	while (n > 0) {
		if ((w = real.write(fd, buf, n)) < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		buf += w;
		n -= (size_t)w;
	}
	return 0;
}

/*
 * Copy one maps line (n bytes, its '\n' included when it has one) to fd,
 * its path in the program's view when it is a backing path under a mount.
 * The path is the sixth field, after the kernel's padding.
 */
static int
put_line(int fd, const char *line, size_t n, char *path, char *view)
{
	const char *p = line, *end = line + n;
	size_t pl;
	int i, rc;

	for (i = 0; i < 5; i++) {
		while (p < end && *p != ' ')
			p++;
		while (p < end && *p == ' ')
			p++;
	}
	pl = (size_t)(end - p);
	if (pl > 0 && p[pl - 1] == '\n')
		pl--;
	if (pl == 0 || *p != '/' || pl >= EFS_PATH_MAX)
		return write_all(fd, line, n);
	memcpy(path, p, pl);
	path[pl] = '\0';
	if (efs_backing_to_view(path, view, EFS_PATH_MAX) != 0)
		return write_all(fd, line, n);
	if ((rc = write_all(fd, line, (size_t)(p - line))) != 0 ||
	    (rc = write_all(fd, view, strlen(view))) != 0)
		return rc;
	return write_all(fd, p + pl, (size_t)(end - p - (ssize_t)pl));
}

/*
 * Copy the kernel's maps text from in to out, a line at a time, through
 * buf (MAPS_BUF bytes); path and view are EFS_PATH_MAX bytes for put_line.
 */
#define MAPS_BUF	(2 * LINE_MAX_BYTES)

static int
copy_lines(int in, int out, char *buf, char *path, char *view)
{
	size_t have = 0, used;
	ssize_t n;
	char *nl;
	int rc;

	for (;;) {
		n = read(in, buf + have, MAPS_BUF - have);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		have += (size_t)n;
		for (used = 0; (nl = memchr(buf + used, '\n', have - used)) != NULL;
		    used = (size_t)(nl - buf) + 1)
			if ((rc = put_line(out, buf + used, (size_t)(nl - buf) + 1 - used,
			    path, view)) != 0)
				return rc;
		if (n == 0 || (used == 0 && have == MAPS_BUF)) {
			/* the end, or a line too long to be a path's: as it is */
			if ((rc = put_line(out, buf + used, have - used, path, view)) != 0)
				return rc;
			if (n == 0)
				return 0;
			used = have;
		}
		memmove(buf, buf + used, have - used);
		have -= used;
	}
}

static int
copy_maps(int in, int out)
{
	size_t mark = efs_scratch_mark();
	char *buf = efs_scratch_alloc(MAPS_BUF + 2 * EFS_PATH_MAX);
	int rc;

	if (buf == NULL)
		return -ENOMEM;
	rc = copy_lines(in, out, buf, buf + MAPS_BUF, buf + MAPS_BUF + EFS_PATH_MAX);
	efs_scratch_release(mark);
	return rc;
}

int
efs_proc_open(const char *path, int flags, int *fdp)
{
	char self[64];
	int in, mem, fd, rc;

	if (efs.nmnt == 0 || !efs_upath(path) || path[0] != '/' || path[1] != 'p' ||
	    (flags & (O_ACCMODE | O_PATH | O_CREAT | O_DIRECTORY | O_TRUNC)) != O_RDONLY ||
	    !is_maps(path))
		return EFS_NOT_MAPPED;
	if ((in = real.openat(AT_FDCWD, path, O_RDONLY | O_CLOEXEC)) < 0)
		return -errno;
	mem = (int)real.syscall(SYS_memfd_create, "maps", MFD_CLOEXEC);	/* not glibc 2.27's */
	rc = mem < 0 ? -errno : copy_maps(in, mem);
	real.close(in);
	if (rc == 0) {
		/* read-only, as the real file: a description of its own, at 0 */
		snprintf(self, sizeof self, "/proc/self/fd/%d", mem);
		fd = real.openat(AT_FDCWD, self, O_RDONLY | (flags & (O_CLOEXEC | O_NONBLOCK)));
		if (fd < 0)
			rc = -errno;
		else
			*fdp = fd;
	}
	if (mem >= 0)
		real.close(mem);
	return rc;
}
