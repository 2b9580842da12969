/* SPDX-License-Identifier: MIT */
/*
 * wrap_caps.c: the capabilities of the caller identity (caps.h).  capget
 * and capset on this process answer from and change the emulated sets,
 * with the kernel's header protocol (_LINUX_CAPABILITY_VERSION_1, 2 and
 * 3, and the version probe); the capability prctls act on them too.
 * Other processes and every other prctl option go to the kernel, and so
 * does PR_SET_NO_NEW_PRIVS, which only takes privilege away.  The
 * process's real capabilities never change.
 *
 * Linux keeps capabilities per thread; efsap keeps them per process, as
 * it keeps the identity (glibc makes setuid act on every thread).
 */
#include <errno.h>
#include <linux/capability.h>
#include <stdarg.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "caps.h"
#include "real.h"
#include "state.h"
#include "uaccess.h"

/* The kernel's calls, for what efsap passes through. */
static long
kernel_capget(void *h, void *d)
{
	if (real.capget != NULL)
		return real.capget(h, d);
	return real.syscall(SYS_capget, h, d);
}

static long
kernel_capset(void *h, const void *d)
{
	if (real.capset != NULL)
		return real.capset(h, d);
	return real.syscall(SYS_capset, h, d);
}

static long
kernel_prctl(int option, unsigned long a2, unsigned long a3, unsigned long a4,
    unsigned long a5)
{
	if (real.prctl != NULL)
		return real.prctl(option, a2, a3, a4, a5);
	return real.syscall(SYS_prctl, (long)option, a2, a3, a4, a5);
}

/*
 * The header's version, as the kernel reads it: 0 with *n the number of
 * 32-bit words per set; -EINVAL for one it does not know, after writing
 * the version it prefers into the header; -EFAULT.
 */
static int
header_version(struct __user_cap_header_struct *h, unsigned *n)
{
	if (efs_uread(&h->version, sizeof h->version) != 0)
		return -EFAULT;
	if (efs_caps_version(h->version, n) == 0)
		return 0;
	if (efs_uwrite(&h->version, sizeof h->version) != 0)
		return -EFAULT;
	h->version = EFS_CAP_VERSION_PREFERRED;
	return -EINVAL;
}

_Static_assert(EFS_CAP_VERSION_PREFERRED == _LINUX_CAPABILITY_VERSION_3, "version 3");
_Static_assert(_LINUX_CAPABILITY_U32S_3 == 2 && _LINUX_CAPABILITY_U32S_1 == 1, "words per set");
_Static_assert(EFS_CAP_SETUID == CAP_SETUID && EFS_CAP_SETGID == CAP_SETGID &&
    EFS_CAP_SETPCAP == CAP_SETPCAP, "capability numbers");

/* The header's pid: 0 with *pid, or -EFAULT. */
static int
header_pid(const struct __user_cap_header_struct *h, int *pid)
{
	if (efs_uread(&h->pid, sizeof h->pid) != 0)
		return -EFAULT;
	*pid = h->pid;
	return 0;
}

EFS_EXPORT int
capget(void *hdrp, void *datap)
{
	struct __user_cap_header_struct *h = hdrp;
	struct __user_cap_data_struct *d = datap;
	struct efs_call c;
	struct efs_cred cr;
	unsigned n, i;
	int rc, pid;

	if (!efs_enter(&c, "capget", NULL))
		return (int)kernel_capget(hdrp, datap);
	rc = header_version(h, &n);
	/* no data: a probe of the version, which answers 0 */
	if (efs_null(d))
		return (int)efs_leave(&c, rc == -EINVAL ? 0 : rc);
	if (rc != 0)
		return (int)efs_leave(&c, rc);
	if ((rc = header_pid(h, &pid)) != 0)
		return (int)efs_leave(&c, rc);
	if (pid < 0)
		return (int)efs_leave(&c, -EINVAL);
	/* another process: the kernel knows it (by its real capabilities) */
	if (pid != 0 && pid != getpid() && pid != (pid_t)real.syscall(SYS_gettid))
		return (int)efs_pass(&c, kernel_capget(hdrp, datap));
	if (efs_uwrite(d, n * sizeof *d) != 0)
		return (int)efs_leave(&c, -EFAULT);
	efs_cred_get(&cr);
	for (i = 0; i < n; i++) {
		d[i].effective = (uint32_t)(cr.caps.eff >> (32 * i));
		d[i].permitted = (uint32_t)(cr.caps.prm >> (32 * i));
		d[i].inheritable = (uint32_t)(cr.caps.inh >> (32 * i));
	}
	return (int)efs_leave(&c, 0);
}

struct capset_args {
	uint64_t eff, prm, inh;
};

static long
capset_fn(struct efs_cred *cr, void *arg)
{
	const struct capset_args *x = arg;

	return efs_caps_set(&cr->caps, efs_cap_last(), x->eff, x->prm, x->inh);
}

EFS_EXPORT int
capset(void *hdrp, const void *datap)
{
	struct capset_args x;
	struct __user_cap_header_struct *h = hdrp;
	const struct __user_cap_data_struct *d = datap;
	struct efs_call c;
	uint64_t eff = 0, prm = 0, inh = 0;
	unsigned n, i;
	int rc, pid;

	if (!efs_enter(&c, "capset", NULL))
		return (int)kernel_capset(hdrp, datap);
	if ((rc = header_version(h, &n)) != 0 || (rc = header_pid(h, &pid)) != 0)
		return (int)efs_leave(&c, rc);
	/* only the calling thread: the kernel refuses any other (EPERM) */
	if (pid != 0 && pid != (pid_t)real.syscall(SYS_gettid))
		return (int)efs_pass(&c, kernel_capset(hdrp, datap));
	if (efs_uread(d, n * sizeof *d) != 0)
		return (int)efs_leave(&c, -EFAULT);
	for (i = 0; i < n; i++) {
		eff |= (uint64_t)d[i].effective << (32 * i);
		prm |= (uint64_t)d[i].permitted << (32 * i);
		inh |= (uint64_t)d[i].inheritable << (32 * i);
	}
	x.eff = eff;
	x.prm = prm;
	x.inh = inh;
	return (int)efs_leave(&c, efs_cred_update(capset_fn, &x));
}

struct prctl_args {
	int option;
	unsigned long a2, a3, a4, a5;
	long ret;		/* the emulated result */
};

/* 1 with x->ret when efsap emulates the option, 0 when the kernel answers it. */
static long
prctl_fn(struct efs_cred *cr, void *arg)
{
	struct prctl_args *x = arg;

	if (!efs_caps_prctl(&cr->caps, efs_cap_last(), x->option, x->a2, x->a3, x->a4, x->a5,
	    &x->ret))
		return 0;
	return x->ret >= 0 ? 1 : x->ret;
}

/*
 * prctl(2) is variadic: every option reads at most four more unsigned
 * longs, which the caller may not have passed (the registers hold
 * whatever they held, as the kernel sees them too).
 */
EFS_EXPORT int
prctl(int option, ...)
{
	struct prctl_args x;
	struct efs_call c;
	struct efs_cred cr;
	va_list ap;
	long rc;

	va_start(ap, option);
	x.option = option;
	x.a2 = va_arg(ap, unsigned long);
	x.a3 = va_arg(ap, unsigned long);
	x.a4 = va_arg(ap, unsigned long);
	x.a5 = va_arg(ap, unsigned long);
	va_end(ap);
	if (!efs_enter(&c, "prctl", NULL))
		return (int)kernel_prctl(option, x.a2, x.a3, x.a4, x.a5);
	/* an option efsap does not emulate: the kernel's (decided on a copy, changing nothing) */
	efs_cred_get(&cr);
	x.ret = 0;
	if (prctl_fn(&cr, &x) == 0)
		return (int)efs_pass(&c, kernel_prctl(option, x.a2, x.a3, x.a4, x.a5));
	/*
	 * no_new_privs binds the real process too (harmless, and exec honours
	 * it): the kernel first, which checks the arguments as efsap does
	 */
	if (option == PR_SET_NO_NEW_PRIVS && x.ret == 0 &&
	    kernel_prctl(option, x.a2, x.a3, x.a4, x.a5) != 0)
		return (int)efs_leave(&c, -errno);
	/* then the change, made on the identity as it is now */
	rc = efs_cred_update(prctl_fn, &x);
	return (int)efs_leave(&c, rc > 0 ? x.ret : rc);
}
