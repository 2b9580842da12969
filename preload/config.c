/* SPDX-License-Identifier: MIT */
/*
 * config.c: the configuration model's pure parts, which need neither
 * libconfig nor Jansson: the built-in default, paths made absolute and
 * normal, diagnostics printed, strings and ARNs looked up.  Linked into
 * libefsap.so; the loader itself is config_parse.c.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "env.h"

/*
 * Lexical path normalisation: in is absolute; "." and empty components go,
 * ".." removes the previous component (and stays at "/").
 * Returns 0 or -ENAMETOOLONG.
 */
int
efs_config_path_normalise(const char *in, char *out, size_t len)
{
	const char *p = in, *e;
	size_t o = 0, n;

	if (len < 2)
		return -ENAMETOOLONG;
	while (*p != '\0') {
		while (*p == '/')
			p++;
		if (*p == '\0')
			break;
		for (e = p; *e != '\0' && *e != '/'; e++)
			;
		n = e - p;
		if (n == 1 && p[0] == '.') {
			/* nothing */
		} else if (n == 2 && p[0] == '.' && p[1] == '.') {
			while (o > 0 && out[o - 1] != '/')
				o--;
			if (o > 0)
				o--;
		} else {
			if (o + 1 + n + 1 > len)
				return -ENAMETOOLONG;
			out[o++] = '/';
			memcpy(out + o, p, n);
			o += n;
		}
		p = e;
	}
	if (o == 0)
		out[o++] = '/';
	out[o] = '\0';
	return 0;
}

/* dir (absolute) joined with rel, normalised; an absolute rel ignores dir. */
int
efs_config_path_join(const char *dir, const char *rel, char *out, size_t len)
{
	char tmp[2 * EFS_PATH_MAX + 2];

	if (rel[0] == '/')
		return efs_config_path_normalise(rel, out, len);
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s/%s", dir, rel) >= sizeof(tmp))
		return -ENAMETOOLONG;
	return efs_config_path_normalise(tmp, out, len);
}

void
efs_config_clear(const struct efs_ident *invoker, struct efs_config *cfg)
{
	/*
	 * Clear the scalars only: the arrays are written element by element as
	 * they fill (a process start should not touch half a megabyte).
	 */
	cfg->file[0] = '\0';
	cfg->backing[0] = '\0';
	cfg->has_policy = cfg->npolicy = 0;
	cfg->has_role_policy = cfg->nrole = 0;
	cfg->policy_src.form = cfg->role_src.form = EFS_FORM_LIST;
	cfg->policy_src.line = cfg->role_src.line = 0;
	cfg->policy_src.file[0] = cfg->role_src.file[0] = '\0';
	cfg->role_arn[0] = cfg->account[0] = cfg->region[0] = '\0';
	cfg->nconds = 0;
	cfg->pool[0] = '\0';
	cfg->pool_used = 1;
	cfg->naps = cfg->nmounts = 0;
	memset(&cfg->task, 0, sizeof(cfg->task));
	cfg->has_task_user = 0;
	cfg->ec2 = 0;
	strcpy(cfg->fs_id, "fs-local");
	cfg->anon_uid = 65534;
	cfg->anon_gid = 65534;
	if (invoker != NULL)
		cfg->task = *invoker;
	if (cfg->task.ngroups > EFS_GROUPS_MAX)
		cfg->task.ngroups = EFS_GROUPS_MAX;
}

int
efs_config_default(const char *cwd, const struct efs_ident *invoker,
    struct efs_config *cfg)
{
	struct efs_mount *m;
	int e;

	efs_config_clear(invoker, cfg);
	if (cwd == NULL || cwd[0] != '/')
		return -EINVAL;
	if ((e = efs_config_path_join(cwd, EFSAP_DEFAULT_BACKING, cfg->backing,
	    sizeof(cfg->backing))) != 0)
		return e;
	cfg->nmounts = 1;
	m = &cfg->mounts[0];
	memset(m, 0, sizeof(*m));	/* the whole of it: cfg may have held another configuration */
	strcpy(m->container_path, EFSAP_DEFAULT_MOUNT);
	strcpy(m->root_directory, "/");
	m->ap = -1;
	return 0;
}

void
efs_diags_print(const struct efs_diags *d, int fd)
{
	const struct efs_diag *e;
	char buf[EFS_PATH_MAX + 512];
	const char *file;
	size_t off, len;
	ssize_t n;
	int i;

	for (i = 0; i <= d->n; i++) {
		if (i < d->n) {
			e = &d->d[i];
			file = e->file[0] != '\0' ? e->file : "efsap";
			if (e->line > 0 && e->column > 0)
				len = snprintf(buf, sizeof(buf), "%s:%d:%d: "
				    "%s: %s\n", file, e->line, e->column,
				    e->warning ? "warning" : "error", e->msg);
			else if (e->line > 0)
				len = snprintf(buf, sizeof(buf), "%s:%d: %s: "
				    "%s\n", file, e->line, e->warning ?
				    "warning" : "error", e->msg);
			else
				len = snprintf(buf, sizeof(buf), "%s: %s: %s\n",
				    file, e->warning ? "warning" : "error",
				    e->msg);
		} else if (d->dropped > 0)
			len = snprintf(buf, sizeof(buf), "efsap: %d more "
			    "errors and warnings not shown\n", d->dropped);
		else
			break;
		if (len >= sizeof(buf))
			len = sizeof(buf) - 1;
		for (off = 0; off < len; off += n) {
			n = write(fd, buf + off, len - off);
			if (n < 0 && errno == EINTR) {
				n = 0;
				continue;
			}
			if (n <= 0)
				return;
		}
	}
}

const struct efs_ap *
efs_config_ap(const struct efs_config *cfg, const struct efs_mount *m)
{
	if (m == NULL || m->ap < 0 || m->ap >= cfg->naps)
		return NULL;
	return &cfg->aps[m->ap];
}

const char *
efs_config_str(const struct efs_config *cfg, uint32_t off)
{
	if (off >= cfg->pool_used || off >= sizeof(cfg->pool))
		return "";
	return cfg->pool + off;
}

int
efs_config_arn(const struct efs_config *cfg, const char *ap_id, char *buf,
    size_t len)
{
	const char *part = "aws";
	int n;

	if (cfg->account[0] == '\0' || cfg->region[0] == '\0')
		return -ENOENT;
	if (strncmp(cfg->region, "cn-", 3) == 0)
		part = "aws-cn";
	else if (strncmp(cfg->region, "us-gov-", 7) == 0)
		part = "aws-us-gov";
	n = snprintf(buf, len, "arn:%s:elasticfilesystem:%s:%s:%s/%s", part,
	    cfg->region, cfg->account, ap_id != NULL ? "access-point" :
	    "file-system", ap_id != NULL ? ap_id : cfg->fs_id);
	if (n < 0 || (size_t)n >= len)
		return -ENAMETOOLONG;
	return 0;
}
