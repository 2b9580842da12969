/* SPDX-License-Identifier: MIT */
/*
 * check_caps.c: capabilities of the emulated caller identity (caps.c):
 * execve's transformation, the setuid family judged by CAP_SETUID and
 * CAP_SETGID and the capabilities following the uids (with ident.c),
 * capset, the capability prctls, and the encoding across execve.
 */
#include <check.h>
#include <errno.h>
#include <linux/capability.h>
#include <string.h>
#include <sys/prctl.h>

#include "caps.h"
#include "ident.h"

#define N	((uint32_t)-1)
#define ALL	((uint64_t)0x1ffffffffffULL)	/* capabilities 0..40 */
#define B(c)	((uint64_t)1 << (c))
#define SETUID	B(EFS_CAP_SETUID)
#define SETGID	B(EFS_CAP_SETGID)
#define SETPCAP	B(EFS_CAP_SETPCAP)
#define CHOWN	B(0)
#define NETBIND	B(10)
#define KEEP	EFS_SECBIT_KEEP_CAPS

#define NELEM(a)	((int)(sizeof(a) / sizeof((a)[0])))

static void
caps_eq(const char *name, const struct efs_caps *got, const struct efs_caps *want)
{
	ck_assert_msg(got->eff == want->eff && got->prm == want->prm && got->inh == want->inh &&
	    got->bnd == want->bnd && got->amb == want->amb && got->secbits == want->secbits &&
	    got->nnp == want->nnp,
	    "%s: eff %llx prm %llx inh %llx bnd %llx amb %llx sec %x nnp %u; "
	    "want %llx %llx %llx %llx %llx %x %u", name,
	    (unsigned long long)got->eff, (unsigned long long)got->prm,
	    (unsigned long long)got->inh, (unsigned long long)got->bnd,
	    (unsigned long long)got->amb, got->secbits, got->nnp,
	    (unsigned long long)want->eff, (unsigned long long)want->prm,
	    (unsigned long long)want->inh, (unsigned long long)want->bnd,
	    (unsigned long long)want->amb, want->secbits, want->nnp);
}

/* ---- the sets of all capabilities ---- */

static const struct {
	unsigned last;
	uint64_t want;
} allcases[] = {
	{ 0, 1 }, { 7, 0xff }, { 40, ALL }, { 62, 0x7fffffffffffffffULL },
	{ 63, UINT64_MAX }, { 200, UINT64_MAX },
};

START_TEST(test_all)
{
	ck_assert_uint_eq(efs_caps_all(allcases[_i].last), allcases[_i].want);
}
END_TEST

/* ---- execve ---- */

static const struct {
	const char *name;
	struct efs_caps in;
	uint32_t ruid, euid;
	struct efs_caps want;
} execcases[] = {
	{ "root: everything the bounding set allows", { 0, 0, 0, ALL, 0, 0, 0 }, 0, 0,
	    { ALL, ALL, 0, ALL, 0, 0, 0 } },
	{ "root with a smaller bounding set", { ALL, ALL, 0, ALL & ~NETBIND, 0, 0, 0 }, 0, 0,
	    { ALL & ~NETBIND, ALL & ~NETBIND, 0, ALL & ~NETBIND, 0, 0, 0 } },
	{ "root: inheritable outside the bounding set still counts",
	    { 0, 0, NETBIND, ALL & ~NETBIND, 0, 0, 0 }, 0, 0,
	    { ALL, ALL, NETBIND, ALL & ~NETBIND, 0, 0, 0 } },
	{ "root regains what it dropped from permitted", { 0, CHOWN, 0, ALL, 0, 0, 0 }, 0, 0,
	    { ALL, ALL, 0, ALL, 0, 0, 0 } },
	{ "real uid 0 alone: permitted, not effective", { 0, 0, 0, ALL, 0, 0, 0 }, 0, 1000,
	    { 0, ALL, 0, ALL, 0, 0, 0 } },
	{ "effective uid 0 alone: both", { 0, 0, 0, ALL, 0, 0, 0 }, 1000, 0,
	    { ALL, ALL, 0, ALL, 0, 0, 0 } },
	{ "non-root loses everything", { ALL, ALL, 0, ALL, 0, 0, 0 }, 1000, 1000,
	    { 0, 0, 0, ALL, 0, 0, 0 } },
	{ "non-root keeps inheritable, gains nothing from it",
	    { ALL, ALL, NETBIND, ALL, 0, 0, 0 }, 1000, 1000,
	    { 0, 0, NETBIND, ALL, 0, 0, 0 } },
	{ "non-root: the ambient set", { ALL, ALL, NETBIND | CHOWN, ALL, NETBIND, 0, 0 },
	    1000, 1000, { NETBIND, NETBIND, NETBIND | CHOWN, ALL, NETBIND, 0, 0 } },
	{ "KEEP_CAPS is cleared, other bits stay", { 0, 0, 0, ALL, 0,
	    KEEP | EFS_SECBIT_NO_SETUID_FIXUP, 1 }, 1000, 1000,
	    { 0, 0, 0, ALL, 0, EFS_SECBIT_NO_SETUID_FIXUP, 1 } },
	{ "SECBIT_NOROOT: root is nobody special", { ALL, ALL, 0, ALL, 0,
	    EFS_SECBIT_NOROOT, 0 }, 0, 0, { 0, 0, 0, ALL, 0, EFS_SECBIT_NOROOT, 0 } },
	{ "no_new_privs stays", { 0, 0, 0, ALL, 0, 0, 1 }, 0, 0,
	    { ALL, ALL, 0, ALL, 0, 0, 1 } },
};

START_TEST(test_exec)
{
	struct efs_caps k = execcases[_i].in;

	efs_caps_exec(&k, execcases[_i].ruid, execcases[_i].euid);
	caps_eq(execcases[_i].name, &k, &execcases[_i].want);
}
END_TEST

START_TEST(test_start)
{
	struct efs_caps k, want = { ALL, ALL, 0, ALL, 0, 0, 0 };

	memset(&k, 0x5a, sizeof k);
	efs_caps_start(&k, 40, 0, 0);
	caps_eq("root", &k, &want);
	efs_caps_start(&k, 40, 1000, 1000);
	want.eff = want.prm = 0;
	caps_eq("non-root", &k, &want);
	efs_caps_start(&k, 37, 0, 0);
	want.eff = want.prm = want.bnd = 0x3fffffffffULL;
	caps_eq("an older kernel's 38", &k, &want);
}
END_TEST

/* ---- the identity calls, judged by capabilities, and what they do to them ---- */

enum { END, SETUIDC, SETEUIDC, SETREUIDC, SETRESUIDC, SETGIDC, SETRESGIDC, SETGROUPSC,
    CAPSET, PRCTL, EXEC };

struct step {
	int op;
	uint64_t a, b, c;
	long rc;
};

static const struct {
	const char *name;
	uint32_t uid;			/* the task, started as a first process */
	struct step s[7];
	uint32_t ids[3];		/* want: ruid euid suid */
	uint64_t eff, prm, amb;
} flows[] = {
	{ "root drops all: capabilities gone", 0,
	    { { SETRESUIDC, 33, 33, 33, 0 } }, { 33, 33, 33 }, 0, 0, 0 },
	{ "root drops all with KEEPCAPS: permitted stays", 0,
	    { { PRCTL, PR_SET_KEEPCAPS, 1, 0, 0 }, { SETRESUIDC, 33, 33, 33, 0 } },
	    { 33, 33, 33 }, 0, ALL, 0 },
	{ "setpriv: KEEPCAPS, setresuid, capset, then setresgid", 0,
	    { { PRCTL, PR_SET_KEEPCAPS, 1, 0, 0 }, { SETRESUIDC, 33, 33, 33, 0 },
	    { CAPSET, ALL, ALL, 0, 0 }, { SETRESGIDC, 33, 33, 33, 0 }, { SETGROUPSC, 0, 0, 0, 0 } },
	    { 33, 33, 33 }, ALL, ALL, 0 },
	{ "without KEEPCAPS the same order fails", 0,
	    { { SETRESUIDC, 33, 33, 33, 0 }, { CAPSET, ALL, ALL, 0, -EPERM },
	    { SETRESGIDC, 33, 33, 33, -EPERM }, { SETGROUPSC, 0, 0, 0, -EPERM } },
	    { 33, 33, 33 }, 0, 0, 0 },
	{ "gosu order: groups, gid, uid", 0,
	    { { SETGROUPSC, 0, 0, 0, 0 }, { SETGIDC, 1000, 0, 0, 0 }, { SETUIDC, 1000, 0, 0, 0 },
	    { SETUIDC, 0, 0, 0, -EPERM }, { SETGIDC, 0, 0, 0, -EPERM } },
	    { 1000, 1000, 1000 }, 0, 0, 0 },
	{ "after a drop with KEEPCAPS, exec clears permitted", 0,
	    { { PRCTL, PR_SET_KEEPCAPS, 1, 0, 0 }, { SETRESUIDC, 33, 33, 33, 0 }, { EXEC, 0, 0, 0, 0 },
	    { PRCTL, PR_GET_KEEPCAPS, 0, 0, 0 } },
	    { 33, 33, 33 }, 0, 0, 0 },
	{ "seteuid away: effective cleared, permitted kept", 0,
	    { { SETEUIDC, 1000, 0, 0, 0 }, { SETGIDC, 5, 0, 0, -EPERM } },
	    { 0, 1000, 0 }, 0, ALL, 0 },
	{ "seteuid back to 0: effective = permitted", 0,
	    { { SETEUIDC, 1000, 0, 0, 0 }, { SETEUIDC, 0, 0, 0, 0 }, { SETGIDC, 5, 0, 0, 0 } },
	    { 0, 0, 0 }, ALL, ALL, 0 },
	{ "a saved uid 0 keeps permitted", 0,
	    { { SETRESUIDC, 1000, 1000, 0, 0 } }, { 1000, 1000, 0 }, 0, ALL, 0 },
	{ "setreuid drops both: saved follows, all gone", 0,
	    { { SETREUIDC, 1000, 1000, 0, 0 } }, { 1000, 1000, 1000 }, 0, 0, 0 },
	{ "root without CAP_SETUID in effective is unprivileged", 0,
	    { { CAPSET, ALL & ~SETUID, ALL, 0, 0 }, { SETUIDC, 1000, 0, 0, -EPERM },
	    { SETRESUIDC, 1, 1, 1, -EPERM }, { SETGIDC, 1000, 0, 0, 0 } },
	    { 0, 0, 0 }, ALL & ~SETUID, ALL, 0 },
	{ "... and setuid(0) to itself only touches the effective uid", 0,
	    { { CAPSET, ALL & ~SETUID, ALL, 0, 0 }, { SETUIDC, 0, 0, 0, 0 } },
	    { 0, 0, 0 }, ALL & ~SETUID, ALL, 0 },
	{ "root without CAP_SETGID cannot setgroups", 0,
	    { { CAPSET, ALL & ~SETGID, ALL & ~SETGID, 0, 0 }, { SETGROUPSC, 0, 0, 0, -EPERM },
	    { SETGIDC, 7, 0, 0, -EPERM }, { SETUIDC, 7, 0, 0, 0 } },
	    { 7, 7, 7 }, 0, 0, 0 },
	{ "a drop to non-root clears ambient, even with KEEPCAPS", 0,
	    { { CAPSET, ALL, ALL, SETUID, 0 }, { PRCTL, PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, EFS_CAP_SETUID, 0 },
	    { PRCTL, PR_SET_KEEPCAPS, 1, 0, 0 }, { SETRESUIDC, 1000, 1000, 1000, 0 },
	    { EXEC, 0, 0, 0, 0 }, { SETUIDC, 4242, 0, 0, -EPERM } },
	    { 1000, 1000, 1000 }, 0, 0, 0 },
	{ "capsh --addamb: non-root with an ambient CAP_SETUID takes any uid", 0,
	    { { PRCTL, PR_SET_KEEPCAPS, 1, 0, 0 }, { SETRESUIDC, 1000, 1000, 1000, 0 },
	    { CAPSET, SETUID, ALL, SETUID, 0 },
	    { PRCTL, PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, EFS_CAP_SETUID, 0 },
	    { EXEC, 0, 0, 0, 0 }, { SETUIDC, 4242, 0, 0, 0 } },
	    { 4242, 4242, 4242 }, SETUID, SETUID, SETUID },
	{ "ambient survives a seteuid and exec", 0,
	    { { CAPSET, ALL, ALL, SETUID, 0 }, { PRCTL, PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, EFS_CAP_SETUID, 0 },
	    { SETEUIDC, 1000, 0, 0, 0 }, { EXEC, 0, 0, 0, 0 } },
	    { 0, 1000, 1000 }, SETUID, ALL, SETUID },
	{ "NO_SETUID_FIXUP: the capabilities stay", 0,
	    { { PRCTL, PR_SET_SECUREBITS, EFS_SECBIT_NO_SETUID_FIXUP, 0, 0 },
	    { SETRESUIDC, 5, 5, 5, 0 }, { SETUIDC, 6, 0, 0, 0 } },
	    { 6, 6, 6 }, ALL, ALL, 0 },
	{ "an unprivileged task: no capability, no change", 1000,
	    { { SETUIDC, 0, 0, 0, -EPERM }, { PRCTL, PR_SET_KEEPCAPS, 1, 0, 0 },
	    { CAPSET, SETUID, SETUID, 0, -EPERM }, { PRCTL, PR_CAPBSET_DROP, 3, 0, -EPERM } },
	    { 1000, 1000, 1000 }, 0, 0, 0 },
	{ "a bounding-set drop lasts past exec", 0,
	    { { PRCTL, PR_CAPBSET_DROP, EFS_CAP_SETUID, 0, 0 }, { EXEC, 0, 0, 0, 0 },
	    { SETUIDC, 1000, 0, 0, -EPERM } },
	    { 0, 0, 0 }, ALL & ~SETUID, ALL & ~SETUID, 0 },
};

START_TEST(test_flow)
{
	struct efs_ident id = { flows[_i].uid, flows[_i].uid, 0, { 0 } };
	const struct step *st;
	struct efs_cred c;
	uint32_t none = 0;
	long rc;
	unsigned i;

	efs_cred_from_ident(&id, &c);
	for (i = 0; i < 7 && flows[_i].s[i].op != END; i++) {
		st = &flows[_i].s[i];
		switch (st->op) {
		case SETUIDC:
			rc = efs_cred_setuid(&c, (uint32_t)st->a);
			break;
		case SETEUIDC:
			rc = efs_cred_seteuid(&c, (uint32_t)st->a);
			break;
		case SETREUIDC:
			rc = efs_cred_setreuid(&c, (uint32_t)st->a, (uint32_t)st->b);
			break;
		case SETRESUIDC:
			rc = efs_cred_setresuid(&c, (uint32_t)st->a, (uint32_t)st->b, (uint32_t)st->c);
			break;
		case SETGIDC:
			rc = efs_cred_setgid(&c, (uint32_t)st->a);
			break;
		case SETRESGIDC:
			rc = efs_cred_setresgid(&c, (uint32_t)st->a, (uint32_t)st->b, (uint32_t)st->c);
			break;
		case SETGROUPSC:
			rc = efs_cred_setgroups(&c, 0, &none);
			break;
		case CAPSET:
			rc = efs_caps_set(&c.caps, 40, st->a, st->b, st->c);
			break;
		case PRCTL:
			ck_assert(efs_caps_prctl(&c.caps, 40, (int)st->a, st->b, st->c, 0, 0, &rc));
			/* a GET answers 0 or 1: compare it as the expectation says */
			break;
		default:
			efs_cred_exec(&c);
			rc = 0;
			break;
		}
		ck_assert_msg(rc == st->rc, "%s: step %u: rc %ld, want %ld", flows[_i].name, i,
		    rc, st->rc);
	}
	ck_assert_msg(c.ruid == flows[_i].ids[0] && c.euid == flows[_i].ids[1] &&
	    c.suid == flows[_i].ids[2], "%s: uids %u,%u,%u", flows[_i].name, c.ruid, c.euid,
	    c.suid);
	ck_assert_msg(c.caps.eff == flows[_i].eff && c.caps.prm == flows[_i].prm &&
	    c.caps.amb == flows[_i].amb, "%s: eff %llx prm %llx amb %llx", flows[_i].name,
	    (unsigned long long)c.caps.eff, (unsigned long long)c.caps.prm,
	    (unsigned long long)c.caps.amb);
}
END_TEST

/* A refused identity call changes no capability either. */
START_TEST(test_refused_leaves_caps)
{
	struct efs_ident id = { 1000, 1000, 0, { 0 } };
	struct efs_cred c, before;

	efs_cred_from_ident(&id, &c);
	c.caps.inh = c.caps.amb = c.caps.prm = c.caps.eff = NETBIND;
	before = c;
	ck_assert_int_eq(efs_cred_setresuid(&c, 1, 1, 1), -EPERM);
	ck_assert_int_eq(efs_cred_setreuid(&c, 2, N), -EPERM);
	ck_assert_int_eq(efs_cred_setuid(&c, 3), -EPERM);
	ck_assert(memcmp(&c, &before, sizeof c) == 0);
}
END_TEST

/* ---- capset ---- */

static const struct {
	const char *name;
	struct efs_caps in;
	uint64_t eff, prm, inh;
	int rc;
	struct efs_caps want;
} setcases[] = {
	{ "root keeps all", { ALL, ALL, 0, ALL, 0, 0, 0 }, ALL, ALL, 0, 0,
	    { ALL, ALL, 0, ALL, 0, 0, 0 } },
	{ "drop from effective only", { ALL, ALL, 0, ALL, 0, 0, 0 }, CHOWN, ALL, 0, 0,
	    { CHOWN, ALL, 0, ALL, 0, 0, 0 } },
	{ "drop from permitted", { ALL, ALL, 0, ALL, 0, 0, 0 }, CHOWN, CHOWN | SETUID, 0, 0,
	    { CHOWN, CHOWN | SETUID, 0, ALL, 0, 0, 0 } },
	{ "permitted cannot grow", { CHOWN, CHOWN, 0, ALL, 0, 0, 0 }, CHOWN, CHOWN | SETUID, 0,
	    -EPERM, { CHOWN, CHOWN, 0, ALL, 0, 0, 0 } },
	{ "effective outside the new permitted", { ALL, ALL, 0, ALL, 0, 0, 0 }, SETUID, CHOWN, 0,
	    -EPERM, { ALL, ALL, 0, ALL, 0, 0, 0 } },
	{ "raise effective from permitted", { 0, ALL, 0, ALL, 0, 0, 0 }, ALL, ALL, 0, 0,
	    { ALL, ALL, 0, ALL, 0, 0, 0 } },
	{ "inheritable from permitted", { 0, CHOWN, 0, ALL, 0, 0, 0 }, 0, CHOWN, CHOWN, 0,
	    { 0, CHOWN, CHOWN, ALL, 0, 0, 0 } },
	{ "inheritable beyond permitted needs CAP_SETPCAP", { 0, CHOWN, 0, ALL, 0, 0, 0 },
	    0, CHOWN, CHOWN | NETBIND, -EPERM, { 0, CHOWN, 0, ALL, 0, 0, 0 } },
	{ "with CAP_SETPCAP, any inheritable in bounding",
	    { SETPCAP, SETPCAP, 0, ALL, 0, 0, 0 }, SETPCAP, SETPCAP, NETBIND, 0,
	    { SETPCAP, SETPCAP, NETBIND, ALL, 0, 0, 0 } },
	{ "never inheritable outside bounding (even with CAP_SETPCAP)",
	    { ALL, ALL, 0, ALL & ~NETBIND, 0, 0, 0 }, ALL, ALL, NETBIND, -EPERM,
	    { ALL, ALL, 0, ALL & ~NETBIND, 0, 0, 0 } },
	{ "an inheritable one kept though outside bounding",
	    { 0, 0, NETBIND, ALL & ~NETBIND, 0, 0, 0 }, 0, 0, NETBIND, 0,
	    { 0, 0, NETBIND, ALL & ~NETBIND, 0, 0, 0 } },
	{ "ambient follows permitted", { ALL, ALL, NETBIND | CHOWN, ALL, NETBIND | CHOWN, 0, 0 },
	    ALL & ~NETBIND, ALL & ~NETBIND, NETBIND | CHOWN, 0,
	    { ALL & ~NETBIND, ALL & ~NETBIND, NETBIND | CHOWN, ALL, CHOWN, 0, 0 } },
	{ "ambient follows inheritable", { ALL, ALL, NETBIND | CHOWN, ALL, NETBIND | CHOWN, 0, 0 },
	    ALL, ALL, CHOWN, 0, { ALL, ALL, CHOWN, ALL, CHOWN, 0, 0 } },
	{ "bits past the kernel's last are dropped", { ALL, ALL, 0, ALL, 0, 0, 0 },
	    UINT64_MAX, UINT64_MAX, 0, 0, { ALL, ALL, 0, ALL, 0, 0, 0 } },
	{ "empty all", { ALL, ALL, 0, ALL, 0, 0, 0 }, 0, 0, 0, 0, { 0, 0, 0, ALL, 0, 0, 0 } },
};

START_TEST(test_capset)
{
	struct efs_caps k = setcases[_i].in;

	ck_assert_msg(efs_caps_set(&k, 40, setcases[_i].eff, setcases[_i].prm,
	    setcases[_i].inh) == setcases[_i].rc, "%s: rc", setcases[_i].name);
	caps_eq(setcases[_i].name, &k, &setcases[_i].want);
}
END_TEST

/* ---- prctl ---- */

#define ROOT	{ ALL, ALL, 0, ALL, 0, 0, 0 }
#define NOBODY	{ 0, 0, 0, ALL, 0, 0, 0 }

static const struct {
	const char *name;
	struct efs_caps in;
	int option;
	unsigned long a2, a3, a4, a5;
	int handled;
	long ret;
	struct efs_caps want;
} prcases[] = {
	{ "other options are not ours", ROOT, PR_SET_NAME, 1, 0, 0, 0, 0, 0, ROOT },
	{ "PR_SET_DUMPABLE is not ours", ROOT, PR_SET_DUMPABLE, 1, 0, 0, 0, 0, 0, ROOT },
	{ "bounding read, in", ROOT, PR_CAPBSET_READ, 40, 0, 0, 0, 1, 1, ROOT },
	{ "bounding read, past the last", ROOT, PR_CAPBSET_READ, 41, 0, 0, 0, 1, -EINVAL, ROOT },
	{ "bounding read, huge", ROOT, PR_CAPBSET_READ, (unsigned long)-1, 0, 0, 0, 1, -EINVAL, ROOT },
	{ "bounding read, dropped", { 0, 0, 0, ALL & ~CHOWN, 0, 0, 0 }, PR_CAPBSET_READ, 0,
	    0, 0, 0, 1, 0, { 0, 0, 0, ALL & ~CHOWN, 0, 0, 0 } },
	{ "bounding drop", ROOT, PR_CAPBSET_DROP, 0, 0, 0, 0, 1, 0,
	    { ALL, ALL, 0, ALL & ~CHOWN, 0, 0, 0 } },
	{ "bounding drop keeps permitted", ROOT, PR_CAPBSET_DROP, EFS_CAP_SETPCAP, 0, 0, 0, 1, 0,
	    { ALL, ALL, 0, ALL & ~SETPCAP, 0, 0, 0 } },
	{ "bounding drop past the last", ROOT, PR_CAPBSET_DROP, 41, 0, 0, 0, 1, -EINVAL, ROOT },
	{ "bounding drop without CAP_SETPCAP", NOBODY, PR_CAPBSET_DROP, 0, 0, 0, 0, 1, -EPERM, NOBODY },
	{ "... EPERM before EINVAL", NOBODY, PR_CAPBSET_DROP, 99, 0, 0, 0, 1, -EPERM, NOBODY },
	{ "keepcaps get", { 0, 0, 0, ALL, 0, KEEP, 0 }, PR_GET_KEEPCAPS, 0, 0, 0, 0, 1, 1,
	    { 0, 0, 0, ALL, 0, KEEP, 0 } },
	{ "keepcaps set", NOBODY, PR_SET_KEEPCAPS, 1, 0, 0, 0, 1, 0, { 0, 0, 0, ALL, 0, KEEP, 0 } },
	{ "keepcaps clear", { 0, 0, 0, ALL, 0, KEEP, 0 }, PR_SET_KEEPCAPS, 0, 0, 0, 0, 1, 0, NOBODY },
	{ "keepcaps 2", NOBODY, PR_SET_KEEPCAPS, 2, 0, 0, 0, 1, -EINVAL, NOBODY },
	{ "keepcaps locked", { 0, 0, 0, ALL, 0, EFS_SECBIT_KEEP_CAPS_LOCKED, 0 }, PR_SET_KEEPCAPS,
	    1, 0, 0, 0, 1, -EPERM, { 0, 0, 0, ALL, 0, EFS_SECBIT_KEEP_CAPS_LOCKED, 0 } },
	{ "securebits get", { 0, 0, 0, ALL, 0, 0x14, 0 }, PR_GET_SECUREBITS, 0, 0, 0, 0, 1, 0x14,
	    { 0, 0, 0, ALL, 0, 0x14, 0 } },
	{ "securebits set", ROOT, PR_SET_SECUREBITS, 0x30, 0, 0, 0, 1, 0,
	    { ALL, ALL, 0, ALL, 0, 0x30, 0 } },
	{ "securebits need CAP_SETPCAP", NOBODY, PR_SET_SECUREBITS, 0x10, 0, 0, 0, 1, -EPERM, NOBODY },
	{ "securebits: unknown bit", ROOT, PR_SET_SECUREBITS, 0x100, 0, 0, 0, 1, -EPERM, ROOT },
	{ "securebits: a locked bit stays", { ALL, ALL, 0, ALL, 0, 0x30, 0 }, PR_SET_SECUREBITS,
	    0x20, 0, 0, 0, 1, -EPERM, { ALL, ALL, 0, ALL, 0, 0x30, 0 } },
	{ "securebits: a lock stays", { ALL, ALL, 0, ALL, 0, 0x02, 0 }, PR_SET_SECUREBITS,
	    0x00, 0, 0, 0, 1, -EPERM, { ALL, ALL, 0, ALL, 0, 0x02, 0 } },
	{ "securebits: others move beside a lock", { ALL, ALL, 0, ALL, 0, 0x02, 0 },
	    PR_SET_SECUREBITS, 0x16, 0, 0, 0, 1, 0, { ALL, ALL, 0, ALL, 0, 0x16, 0 } },
	{ "ambient raise", { ALL, ALL, NETBIND, ALL, 0, 0, 0 }, PR_CAP_AMBIENT,
	    PR_CAP_AMBIENT_RAISE, 10, 0, 0, 1, 0, { ALL, ALL, NETBIND, ALL, NETBIND, 0, 0 } },
	{ "ambient raise, not inheritable", ROOT, PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, 10, 0, 0,
	    1, -EPERM, ROOT },
	{ "ambient raise, not permitted", { 0, 0, NETBIND, ALL, 0, 0, 0 }, PR_CAP_AMBIENT,
	    PR_CAP_AMBIENT_RAISE, 10, 0, 0, 1, -EPERM, { 0, 0, NETBIND, ALL, 0, 0, 0 } },
	{ "ambient raise, NO_CAP_AMBIENT_RAISE", { ALL, ALL, NETBIND, ALL, 0, 0x40, 0 },
	    PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, 10, 0, 0, 1, -EPERM,
	    { ALL, ALL, NETBIND, ALL, 0, 0x40, 0 } },
	{ "ambient is set", { ALL, ALL, NETBIND, ALL, NETBIND, 0, 0 }, PR_CAP_AMBIENT,
	    PR_CAP_AMBIENT_IS_SET, 10, 0, 0, 1, 1, { ALL, ALL, NETBIND, ALL, NETBIND, 0, 0 } },
	{ "ambient is not set", ROOT, PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, 10, 0, 0, 1, 0, ROOT },
	{ "ambient is set, bad cap", ROOT, PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, 41, 0, 0, 1,
	    -EINVAL, ROOT },
	{ "ambient is set, a4 not 0", ROOT, PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, 1, 1, 0, 1,
	    -EINVAL, ROOT },
	{ "ambient lower", { ALL, ALL, NETBIND, ALL, NETBIND, 0, 0 }, PR_CAP_AMBIENT,
	    PR_CAP_AMBIENT_LOWER, 10, 0, 0, 1, 0, { ALL, ALL, NETBIND, ALL, 0, 0, 0 } },
	{ "ambient clear all", { ALL, ALL, NETBIND, ALL, NETBIND, 0, 0 }, PR_CAP_AMBIENT,
	    PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0, 1, 0, { ALL, ALL, NETBIND, ALL, 0, 0, 0 } },
	{ "ambient clear all, a3 not 0", ROOT, PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 1, 0, 0,
	    1, -EINVAL, ROOT },
	{ "ambient, unknown op", ROOT, PR_CAP_AMBIENT, 9, 1, 0, 0, 1, -EINVAL, ROOT },
	{ "no_new_privs set", NOBODY, PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0, 1, 0,
	    { 0, 0, 0, ALL, 0, 0, 1 } },
	{ "no_new_privs set 2", NOBODY, PR_SET_NO_NEW_PRIVS, 2, 0, 0, 0, 1, -EINVAL, NOBODY },
	{ "no_new_privs set, a3", NOBODY, PR_SET_NO_NEW_PRIVS, 1, 1, 0, 0, 1, -EINVAL, NOBODY },
	{ "no_new_privs get", { 0, 0, 0, ALL, 0, 0, 1 }, PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0, 1, 1,
	    { 0, 0, 0, ALL, 0, 0, 1 } },
	{ "no_new_privs get, a2", NOBODY, PR_GET_NO_NEW_PRIVS, 1, 0, 0, 0, 1, -EINVAL, NOBODY },
};

START_TEST(test_prctl)
{
	struct efs_caps k = prcases[_i].in;
	long ret = 12345;
	int h;

	h = efs_caps_prctl(&k, 40, prcases[_i].option, prcases[_i].a2, prcases[_i].a3,
	    prcases[_i].a4, prcases[_i].a5, &ret);
	ck_assert_msg(h == prcases[_i].handled, "%s: handled %d", prcases[_i].name, h);
	ck_assert_msg(ret == (h ? prcases[_i].ret : 12345), "%s: ret %ld", prcases[_i].name, ret);
	caps_eq(prcases[_i].name, &k, &prcases[_i].want);
}
END_TEST

/* ---- capget/capset's header ---- */

static const struct {
	uint32_t version;
	int rc;
	unsigned words;
} versions[] = {
	{ _LINUX_CAPABILITY_VERSION_1, 0, 1 },
	{ _LINUX_CAPABILITY_VERSION_2, 0, 2 },
	{ _LINUX_CAPABILITY_VERSION_3, 0, 2 },
	{ 0, -EINVAL, 99 },
	{ 0x20080523, -EINVAL, 99 },
	{ 0xffffffff, -EINVAL, 99 },
};

START_TEST(test_version)
{
	unsigned w = 99;

	ck_assert_int_eq(efs_caps_version(versions[_i].version, &w), versions[_i].rc);
	ck_assert_uint_eq(w, versions[_i].words);
	ck_assert_uint_eq(EFS_CAP_VERSION_PREFERRED, _LINUX_CAPABILITY_VERSION_3);
}
END_TEST

/* ---- encoding ---- */

static const struct {
	struct efs_caps k;
	const char *enc;
} encs[] = {
	{ ROOT, "1ffffffffff,1ffffffffff,0,1ffffffffff,0,0,0" },
	{ NOBODY, "0,0,0,1ffffffffff,0,0,0" },
	{ { 0x400, 0x401, 0x400, 0x8000000000000000ULL, 0x400, 0xaa, 1 },
	    "400,401,400,8000000000000000,400,aa,1" },
	{ { UINT64_MAX, UINT64_MAX, UINT64_MAX, UINT64_MAX, UINT64_MAX, 0xff, 1 },
	    "ffffffffffffffff,ffffffffffffffff,ffffffffffffffff,ffffffffffffffff,"
	    "ffffffffffffffff,ff,1" },
};

START_TEST(test_encode)
{
	struct efs_caps back;
	char buf[256];
	size_t n, len = strlen(encs[_i].enc);

	ck_assert_int_eq(efs_caps_encode(&encs[_i].k, buf, sizeof buf), 0);
	ck_assert_str_eq(buf, encs[_i].enc);
	memset(&back, 0x5a, sizeof back);
	ck_assert_int_eq(efs_caps_decode(buf, &back), 0);
	caps_eq(encs[_i].enc, &back, &encs[_i].k);
	for (n = 0; n <= len; n++)
		ck_assert_int_eq(efs_caps_encode(&encs[_i].k, buf, n), -ENAMETOOLONG);
}
END_TEST

static const char *const bad_encs[] = {
	"", "0,0,0,0,0,0", "0,0,0,0,0,0,", "0,0,0,0,0,0,0,", "0,0,0,0,0,0,0,0",
	",0,0,0,0,0,0", "0,,0,0,0,0,0", "x,0,0,0,0,0,0", "0,0,0,0,0,0,0 ", " 0,0,0,0,0,0,0",
	"A,A,0,0,0,0,0",			/* lower-case hex only */
	"0x1,1,0,0,0,0,0",
	"10000000000000000,0,0,0,0,0,0",	/* 17 digits */
	"1,0,0,0,0,0,0",			/* effective outside permitted */
	"0,1,0,0,1,0,0",			/* ambient outside inheritable */
	"0,0,1,0,1,0,0",			/* ambient outside permitted */
	"0,0,0,0,0,100,0",			/* an unknown securebit */
	"0,0,0,0,0,0,2",			/* no_new_privs is 0 or 1 */
};

START_TEST(test_decode_bad)
{
	struct efs_caps k;

	memset(&k, 0x5a, sizeof k);
	ck_assert_msg(efs_caps_decode(bad_encs[_i], &k) == -EINVAL, "\"%s\" accepted", bad_encs[_i]);
	ck_assert_uint_eq(k.eff, 0x5a5a5a5a5a5a5a5aULL);
	ck_assert_int_eq(efs_caps_decode(NULL, &k), -EINVAL);
}
END_TEST

Suite *
suite_caps(void)
{
	Suite *s = suite_create("caps");
	TCase *tc;

	tc = tcase_create("sets");
	tcase_add_loop_test(tc, test_all, 0, NELEM(allcases));
	tcase_add_loop_test(tc, test_exec, 0, NELEM(execcases));
	tcase_add_test(tc, test_start);
	suite_add_tcase(s, tc);

	tc = tcase_create("identity");
	tcase_add_loop_test(tc, test_flow, 0, NELEM(flows));
	tcase_add_test(tc, test_refused_leaves_caps);
	suite_add_tcase(s, tc);

	tc = tcase_create("capset_prctl");
	tcase_add_loop_test(tc, test_capset, 0, NELEM(setcases));
	tcase_add_loop_test(tc, test_prctl, 0, NELEM(prcases));
	tcase_add_loop_test(tc, test_version, 0, NELEM(versions));
	suite_add_tcase(s, tc);

	tc = tcase_create("encode");
	tcase_add_loop_test(tc, test_encode, 0, NELEM(encs));
	tcase_add_loop_test(tc, test_decode_bad, 0, NELEM(bad_encs));
	suite_add_tcase(s, tc);
	return s;
}
