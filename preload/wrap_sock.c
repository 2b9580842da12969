/* SPDX-License-Identifier: MIT */
/*
 * wrap_sock.c: calls that take a path outside the open/stat families:
 * bind and connect with an AF_UNIX address (sockets live on EFS as on any
 * NFS mount, SPEC 5.6), and inotify_add_watch.
 */
#include <dlfcn.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "act.h"
#include "perm.h"
#include "publish.h"
#include "real.h"
#include "store.h"
#include "resolve.h"
#include "uaccess.h"

#define SUN_OFF	offsetof(struct sockaddr_un, sun_path)

/*
 * The path of an AF_UNIX address, NUL-terminated into buf; 0 when the
 * address is not one efsap looks at (another family, abstract, unnamed, or
 * malformed: the kernel then gives its own answer).
 */
static int
sun_path_of(const struct sockaddr *sa, socklen_t len, char *buf, size_t size)
{
	const struct sockaddr_un *su = (const struct sockaddr_un *)sa;
	size_t n;

	if (sa == NULL || len <= SUN_OFF || len > sizeof(struct sockaddr_un) ||
	    efs_uread(sa, len) != 0 ||	/* the kernel says EFAULT */
	    sa->sa_family != AF_UNIX || su->sun_path[0] == '\0')
		return 0;
	n = strnlen(su->sun_path, len - SUN_OFF);
	if (n >= size)
		return 0;
	memcpy(buf, su->sun_path, n);
	buf[n] = '\0';
	return 1;
}

/* An address naming path; -ENAMETOOLONG when sun_path cannot hold it. */
static int
sun_make(struct sockaddr_un *su, socklen_t *len, const char *path)
{
	size_t n = strlen(path);

	if (n >= sizeof su->sun_path)
		return -ENAMETOOLONG;
	memset(su, 0, sizeof *su);
	su->sun_family = AF_UNIX;
	memcpy(su->sun_path, path, n + 1);
	*len = (socklen_t)(SUN_OFF + n + 1);
	return 0;
}

/*
 * The address of backing object r for bind/connect.  A backing path too
 * long for sun_path goes through the parent directory's descriptor
 * (/proc/self/fd/N/name), which *dfd then holds (close it after the call).
 */
static int
sun_backing(const struct efs_res *r, struct sockaddr_un *su, socklen_t *len, int *dfd)
{
	char *parent, via[sizeof su->sun_path + 64];

	*dfd = -1;
	if (sun_make(su, len, r->babs) == 0)
		return 0;
	if (r->bparent >= EFS_PATH_MAX)
		return -ENAMETOOLONG;
	if ((parent = efs_scratch_path()) == NULL)	/* until the wrapper leaves */
		return -ENOMEM;
	memcpy(parent, r->babs, r->bparent);
	parent[r->bparent] = '\0';
	if ((*dfd = real.open(parent, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
		return -errno;
	snprintf(via, sizeof via, "/proc/self/fd/%d/%s", *dfd, r->name);
	return sun_make(su, len, via);
}

/* Pass a path that leads out of the mounts to the host, as the host path. */
static int
sun_host(const char *path, const struct efs_res *r, const struct sockaddr *sa,
    socklen_t salen, struct sockaddr_un *su, socklen_t *len)
{
	/* relative to a host cwd: the kernel resolves it as the program wrote it */
	if (path[0] != '/' && __atomic_load_n(&efs.cwd_mount, __ATOMIC_RELAXED) < 0) {
		memcpy(su, sa, salen);
		*len = salen;
		return 0;
	}
	return sun_make(su, len, r->host);
}

/*
 * Bind fd at a fresh name in the store's staging directory (through the
 * store's descriptor when the path is too long for sun_path), then record
 * the socket object and rename it to r's name (publish.h).  -ENOSTR when
 * there is no staging to use.
 */
static int
bind_staged(int fd, const struct efs_res *r)
{
	struct sockaddr_un su;
	socklen_t sulen;
	char name[64], *path;
	int sfd = efs_store_fd();

	if (r->mt->image || sfd < 0 || efs_store_stage(name, sizeof name) != 0)
		return -ENOSTR;		/* the image is another file system than the store's */
	if ((path = efs_scratch_path()) == NULL)	/* until the wrapper leaves */
		return -ENOMEM;
	if (efs_store_path(name, path, EFS_PATH_MAX) != 0 || sun_make(&su, &sulen, path) != 0) {
		snprintf(path, EFS_PATH_MAX, "/proc/self/fd/%d/%s", sfd, name);
		if (sun_make(&su, &sulen, path) != 0)
			return -ENOSTR;
	}
	if (real.bind(fd, (struct sockaddr *)&su, sulen) != 0)
		return -errno;
	return efs_publish_staged(r, name, S_IFSOCK, 0777);	/* the kernel's 0777 less umask */
}

/* bind(2) of an AF_UNIX socket under a mount creates a socket object. */
EFS_EXPORT int
bind(int fd, const struct sockaddr *sa, socklen_t salen)
{
	struct efs_call c;
	struct efs_res *r;
	struct sockaddr_un su;
	socklen_t sulen;
	char path[sizeof su.sun_path + 1];
	int rc, dfd = -1;

	if (!sun_path_of(sa, salen, path, sizeof path))
		return real.bind(fd, sa, salen);
	if (!efs_enter(&c, "bind", path))
		return real.bind(fd, sa, salen);
	if (!efs_may_map(AT_FDCWD, path))
		return efs_pass(&c, real.bind(fd, sa, salen));
	if ((r = efs_res_new()) == NULL)
		return efs_leave(&c, -ENOMEM);
	rc = efs_resolve(&c, AT_FDCWD, path, 0, r);
	if (rc == EFS_NOT_MAPPED) {
		if ((rc = sun_host(path, r, sa, salen, &su, &sulen)) == 0)
			return efs_pass(&c, real.bind(fd, (struct sockaddr *)&su, sulen));
		return efs_leave(&c, rc);
	}
	if (rc == 0) {
		rc = efs_need_create(&c, r);
		if (rc == -EEXIST)
			rc = -EADDRINUSE;	/* what bind says of an existing name */
	}
	if (rc == 0)
		rc = bind_staged(fd, r);
	if (rc == -ENOSTR) {		/* no staging: bind in place, then record */
		rc = sun_backing(r, &su, &sulen, &dfd);
		if (rc == 0 && real.bind(fd, (struct sockaddr *)&su, sulen) != 0)
			rc = -errno;
		if (dfd >= 0)
			real.close(dfd);
		if (rc == 0)
			rc = efs_record_new(r, -1, S_IFSOCK, 0777);	/* the kernel's 0777 less umask */
	}
	return efs_leave(&c, rc == -EEXIST ? -EADDRINUSE : rc);
}

/* connect(2) to an AF_UNIX socket under a mount needs write permission on it. */
/*
 * The address a connect or send to path (under a mount, or leading out of
 * the mounts) goes to: the backing object's, after the write permission
 * the kernel asks of a socket's file; the host path; or the address as the
 * program gave it (*pass).  0, or -errno.  *dfd as sun_backing's.
 */
static int
sun_to(struct efs_call *c, const char *path, const struct sockaddr *sa, socklen_t salen,
    struct sockaddr_un *su, socklen_t *sulen, int *dfd, int *pass)
{
	struct efs_res *r;
	int rc;

	*dfd = -1;
	*pass = 0;
	if (!efs_may_map(AT_FDCWD, path)) {
		*pass = 1;
		return 0;
	}
	if ((r = efs_res_new()) == NULL)
		return -ENOMEM;
	rc = efs_resolve(c, AT_FDCWD, path, EFS_R_FOLLOW, r);
	if (rc == EFS_NOT_MAPPED)
		return sun_host(path, r, sa, salen, su, sulen);
	if (rc == 0 && !r->exists)
		rc = -ENOENT;
	if (rc == 0)
		rc = efs_need_access(c, r, EFS_MAY_WRITE);
	if (rc == 0)
		rc = sun_backing(r, su, sulen, dfd);
	return rc;
}

EFS_EXPORT int
connect(int fd, const struct sockaddr *sa, socklen_t salen)
{
	struct efs_call c;
	struct sockaddr_un su;
	socklen_t sulen;
	char path[sizeof su.sun_path + 1];
	int rc, dfd, pass;

	if (!sun_path_of(sa, salen, path, sizeof path))
		return real.connect(fd, sa, salen);
	if (!efs_enter(&c, "connect", path))
		return real.connect(fd, sa, salen);
	rc = sun_to(&c, path, sa, salen, &su, &sulen, &dfd, &pass);
	if (rc == 0 && pass)
		return efs_pass(&c, real.connect(fd, sa, salen));
	if (rc == 0 && real.connect(fd, (struct sockaddr *)&su, sulen) != 0)
		rc = -errno;
	if (dfd >= 0)
		real.close(dfd);
	return efs_leave(&c, rc);
}

/* sendto(2) of a datagram to a socket bound under a mount. */
EFS_EXPORT ssize_t
sendto(int fd, const void *buf, size_t len, int flags, const struct sockaddr *sa,
    socklen_t salen)
{
	struct efs_call c;
	struct sockaddr_un su;
	socklen_t sulen;
	char path[sizeof su.sun_path + 1];
	ssize_t n = 0;
	int rc, dfd, pass;

	if (!sun_path_of(sa, salen, path, sizeof path))
		return real.sendto(fd, buf, len, flags, sa, salen);
	if (!efs_enter(&c, "sendto", path))
		return real.sendto(fd, buf, len, flags, sa, salen);
	rc = sun_to(&c, path, sa, salen, &su, &sulen, &dfd, &pass);
	if (rc == 0 && pass)
		return efs_pass(&c, real.sendto(fd, buf, len, flags, sa, salen));
	if (rc == 0 && (n = real.sendto(fd, buf, len, flags, (struct sockaddr *)&su, sulen)) < 0)
		rc = -errno;
	if (dfd >= 0)
		real.close(dfd);
	return efs_leave(&c, rc != 0 ? rc : (long)n);
}

/* sendmsg(2): the same, for msg_name. */
EFS_EXPORT ssize_t
sendmsg(int fd, const struct msghdr *msg, int flags)
{
	struct efs_call c;
	struct sockaddr_un su;
	struct msghdr m;
	socklen_t sulen;
	char path[sizeof su.sun_path + 1];
	ssize_t n = 0;
	int rc, dfd, pass;

	if (msg == NULL || efs_uread(msg, sizeof *msg) != 0 ||
	    !sun_path_of(msg->msg_name, msg->msg_namelen, path, sizeof path))
		return real.sendmsg(fd, msg, flags);
	if (!efs_enter(&c, "sendmsg", path))
		return real.sendmsg(fd, msg, flags);
	rc = sun_to(&c, path, msg->msg_name, msg->msg_namelen, &su, &sulen, &dfd, &pass);
	if (rc == 0 && pass)
		return efs_pass(&c, real.sendmsg(fd, msg, flags));
	if (rc == 0) {
		m = *msg;
		m.msg_name = &su;
		m.msg_namelen = sulen;
		if ((n = real.sendmsg(fd, &m, flags)) < 0)
			rc = -errno;
	}
	if (dfd >= 0)
		real.close(dfd);
	return efs_leave(&c, rc != 0 ? rc : (long)n);
}

/* inotify_add_watch(2): watching needs read permission, as in the kernel. */
EFS_EXPORT int
inotify_add_watch(int ifd, const char *path, uint32_t mask)
{
	struct efs_call c;
	struct efs_res *r;
	int rc;

	if (!efs_enter(&c, "inotify_add_watch", path))
		return real.inotify_add_watch(ifd, path, mask);
	if (!efs_may_map(AT_FDCWD, path))
		return efs_pass(&c, real.inotify_add_watch(ifd, path, mask));
	if ((r = efs_res_new()) == NULL)
		return efs_leave(&c, -ENOMEM);
	rc = efs_resolve(&c, AT_FDCWD, path, (mask & IN_DONT_FOLLOW) ? 0 : EFS_R_FOLLOW, r);
	if (rc == EFS_NOT_MAPPED)
		return efs_pass(&c, real.inotify_add_watch(ifd, r->host, mask));
	if (rc == 0 && !r->exists)
		rc = -ENOENT;
	if (rc == 0)
		rc = efs_need_access(&c, r, EFS_MAY_READ);
	if (rc == 0 && (rc = real.inotify_add_watch(ifd, r->babs, mask)) < 0)
		rc = -errno;
	return efs_leave(&c, rc);
}

/*
 * getsockname and getpeername: an AF_UNIX address efsap bound under a mount
 * names the backing path; show the program-view one (SPEC 5.5).  Not in
 * real.def yet: bound lazily.
 */
typedef int (*name_fn)(int, struct sockaddr *, socklen_t *);

static int
sock_name(const char *op, name_fn fn, int fd, struct sockaddr *sa, socklen_t *len)
{
	struct efs_call c;
	struct sockaddr_un su;
	socklen_t sulen = sizeof su, cap, n;
	char *view;
	int rc;

	if (fn == NULL) {
		errno = ENOSYS;
		return -1;
	}
	if (len == NULL || sa == NULL || !efs_enter(&c, op, NULL))
		return fn(fd, sa, len);
	memset(&su, 0, sizeof su);
	if (fn(fd, (struct sockaddr *)&su, &sulen) != 0 || su.sun_family != AF_UNIX ||
	    sulen <= SUN_OFF || su.sun_path[0] == '\0' || sulen > sizeof su)
		return efs_pass(&c, fn(fd, sa, len));
	su.sun_path[sulen - SUN_OFF < sizeof su.sun_path ? sulen - SUN_OFF : sizeof su.sun_path - 1] = '\0';
	if ((view = efs_scratch_path()) != NULL &&
	    efs_backing_to_view(su.sun_path, view, EFS_PATH_MAX) == 0 &&
	    sun_make(&su, &sulen, view) != 0)
		sulen = (socklen_t)(SUN_OFF + strlen(su.sun_path) + 1);
	/* the kernel reads *len, then writes the address and *len: EFAULT, never a crash */
	if (efs_uread(len, sizeof *len) != 0)
		return efs_leave(&c, -EFAULT);
	cap = *len;
	n = cap < sulen ? cap : sulen;
	if (efs_uwrite(sa, n) != 0 || efs_uwrite(len, sizeof *len) != 0)
		return efs_leave(&c, -EFAULT);
	memcpy(sa, &su, n);
	*len = sulen;
	rc = 0;
	return efs_leave(&c, rc);
}

EFS_EXPORT int
getsockname(int fd, struct sockaddr *sa, socklen_t *len)
{
	static name_fn fn;

	if (fn == NULL)
		fn = (name_fn)dlsym(RTLD_NEXT, "getsockname");
	return sock_name("getsockname", fn, fd, sa, len);
}

EFS_EXPORT int
getpeername(int fd, struct sockaddr *sa, socklen_t *len)
{
	static name_fn fn;

	if (fn == NULL)
		fn = (name_fn)dlsym(RTLD_NEXT, "getpeername");
	return sock_name("getpeername", fn, fd, sa, len);
}
