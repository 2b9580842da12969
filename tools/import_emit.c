/* SPDX-License-Identifier: MIT */
/*
 * import_emit.c: write the configuration `efsap import` joined
 * (import_join.c): every value with a comment naming its source, policies
 * as IAM JSON strings, one libconfig literal per line of JSON.
 *
 * The text is validated with the library's own loader before anything is
 * written: a configuration efsap would refuse is never written.  With -o
 * it is written to a temporary file beside the target and renamed, so the
 * target is untouched on any error.  file_system.path is "efs-" + the file
 * system id, relative to the configuration: one local folder per file
 * system.
 */
#include <err.h>
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "efsap_tool.h"
#include "import.h"

#define COMMENT_COL	44

static int
streq(const char *a, const char *b)
{
	return a != NULL && b != NULL && strcmp(a, b) == 0;
}


/* ------------------------------------------------------------------ */
/* Writing                                                             */

/* The characters of a libconfig string literal, without the quotes. */
static void
put_chars(FILE *fp, const char *s)
{
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(fp, "\\%c", *p);
		else if (*p == '\n')
			fputs("\\n", fp);
		else if (*p == '\t')
			fputs("\\t", fp);
		else if (*p < ' ' || *p == 0x7f)
			fprintf(fp, "\\x%02x", *p);
		else
			fputc(*p, fp);
	}
}

/* A string as a libconfig literal. */
static void
put_str(FILE *fp, const char *s)
{
	fputc('"', fp);
	put_chars(fp, s);
	fputc('"', fp);
}

/* A comment's text: one line, no control characters. */
static void
put_comment(FILE *fp, const char *s)
{
	for (; *s != '\0'; s++)
		fputc((unsigned char)*s < ' ' || *s == 0x7f ? '?' : *s, fp);
}

/* End a value's line (started at *start) with its source. */
static void
end_line(FILE *fp, long start, const char *src)
{
	long col = ftell(fp) - start;

	if (src != NULL) {
		do
			fputc(' ', fp);
		while (++col < COMMENT_COL);
		fputs("# ", fp);
		put_comment(fp, src);
	}
	fputc('\n', fp);
}

static void
kv_str(FILE *fp, const char *ind, const char *key, const char *v,
    const char *src)
{
	long start;

	fflush(fp);
	start = ftell(fp);
	fprintf(fp, "%s%s = ", ind, key);
	put_str(fp, v);
	fputc(';', fp);
	end_line(fp, start, src);
}

static void
kv_num(FILE *fp, const char *ind, const char *key, long long v, const char *src)
{
	long start;

	fflush(fp);
	start = ftell(fp);
	fprintf(fp, "%s%s = %lld;", ind, key, v);
	end_line(fp, start, src);
}

static void
kv_bool(FILE *fp, const char *ind, const char *key, int v, const char *src)
{
	long start;

	fflush(fp);
	start = ftell(fp);
	fprintf(fp, "%s%s = %s;", ind, key, v ? "true" : "false");
	end_line(fp, start, src);
}

/* A policy document as a libconfig string, one literal per JSON line. */
static void
kv_policy(FILE *fp, const char *ind, const char *key, json_t *doc,
    const char *src)
{
	char *text, *line, *nl;

	fprintf(fp, "%s# ", ind);
	put_comment(fp, src);
	fprintf(fp, "\n%s%s =\n", ind, key);
	text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
	    JSON_ENSURE_ASCII);
	if (text == NULL)
		err(EXIT_USAGE, "json_dumps");
	for (line = text; line != NULL; line = nl) {
		if ((nl = strchr(line, '\n')) != NULL)
			*nl++ = '\0';
		fprintf(fp, "%s  \"", ind);
		put_chars(fp, line);
		fputs(nl != NULL ? "\\n\"\n" : "\";\n", fp);
	}
	free(text);
}

/* ------------------------------------------------------------------ */
/* The configuration text                                              */

static void
write_ap(FILE *fp, const struct imp_ap *ap, int last)
{
	long start;
	int i;

	fputs("  {\n", fp);
	kv_str(fp, "    ", "id", ap->id, ap->id_src);
	if (ap->name != NULL) {
		fputs("    # Name: ", fp);
		put_comment(fp, ap->name);
		fputc('\n', fp);
	}
	fputs("    root_directory = {\n", fp);
	kv_str(fp, "      ", "path", ap->root,
	    ap->root_src ? ap->root_src
			 : "no RootDirectory: AWS's default \"/\"");
	if (ap->has_ci) {
		fputs("      creation_info = {\n", fp);
		kv_num(fp, "        ", "owner_uid", ap->ci_uid, ap->ci_uid_src);
		kv_num(fp, "        ", "owner_gid", ap->ci_gid, ap->ci_gid_src);
		kv_str(fp, "        ", "permissions", ap->perms, ap->perms_src);
		fputs("      };\n", fp);
	} else {
		fputs("      # no CreationInfo: a missing root directory fails "
		      "the mount\n",
		    fp);
	}
	fputs("    };\n", fp);
	if (ap->has_pu) {
		fputs("    posix_user = {\n", fp);
		kv_num(fp, "      ", "uid", ap->pu_uid, ap->pu_uid_src);
		kv_num(fp, "      ", "gid", ap->pu_gid, ap->pu_gid_src);
		if (ap->nsec > 0) {
			fflush(fp);
			start = ftell(fp);
			fputs("      secondary_gids = [ ", fp);
			for (i = 0; i < ap->nsec; i++)
				fprintf(
				    fp, "%s%lld", i ? ", " : "", ap->sec[i]);
			fputs(" ];", fp);
			end_line(fp, start, ap->sec_src);
		}
		fputs("    };\n", fp);
	} else {
		fputs("    # no PosixUser: the container's own ids are used\n",
		    fp);
	}
	fprintf(fp, "  }%s\n", last ? "" : ",");
}

static void
write_mount(FILE *fp, const struct imp_mount *m, int last)
{
	const struct imp_volume *v = m->vol;

	fputs("  {\n", fp);
	kv_str(fp, "    ", "container_path", m->cpath, m->cpath_src);
	if (v->ap != NULL)
		kv_str(fp, "    ", "access_point", v->ap, v->ap_src);
	else if (v->root != NULL)
		kv_str(fp, "    ", "root_directory", v->root, v->root_src);
	kv_bool(fp, "    ", "read_only", m->ro,
	    m->ro_src ? m->ro_src : "no readOnly: ECS's default false");
	kv_bool(fp, "    ", "iam", v->iam,
	    v->iam_src ? v->iam_src : "no authorizationConfig.iam: DISABLED");
	kv_bool(fp, "    ", "transit_encryption", v->tls,
	    v->tls_src ? v->tls_src : "no transitEncryption: DISABLED");
	fprintf(fp, "  }%s\n", last ? "" : ",");
}

static void
write_conf(struct imp *im, struct imp_joined *j, FILE *fp)
{
	json_t *rp;
	int i, n, last;

	fprintf(fp, "# efsap.conf written by efsap import (efsap %s) from:\n",
	    EFSAP_VERSION);
	for (i = 0; i < im->nfiles; i++) {
		fputs("#   ", fp);
		put_comment(fp, im->files[i]);
		fputc('\n', fp);
	}
	fputs("# Each value's comment names the document and the JSON path it "
	      "came from.\n",
	    fp);
	if (j->task != NULL) {
		fputs("# The task: container \"", fp);
		put_comment(fp, j->cname);
		fputs("\" of the task definition at ", fp);
		put_comment(fp, j->task->where);
		fputc('\n', fp);
	}
	fputs("\nfile_system = {\n", fp);
	kv_str(fp, "  ", "id", j->fs_id, j->fs_src);
	kv_str(fp, "  ", "path", imp_printf(im, "efs-%s", j->fs_id),
	    "efsap: one local folder per file system id, beside this file");
	if (j->fs != NULL && j->fs->name != NULL) {
		fputs("  # Name: ", fp);
		put_comment(fp, j->fs->name);
		fputc('\n', fp);
	}
	if (j->fs_policy != NULL)
		kv_policy(
		    fp, "  ", "policy", j->fs_policy->doc, j->fs_policy->src);
	else
		fputs(
		    "  # no file system policy: the default EFS policy allows "
		    "every action to anyone\n",
		    fp);
	fputs("};\n", fp);

	for (i = n = 0; i < im->naps; i++)
		n += streq(im->aps[i].fs_id, j->fs_id);
	if (n > 0) {
		fputs("\naccess_points = (\n", fp);
		for (i = 0, last = n; i < im->naps; i++)
			if (streq(im->aps[i].fs_id, j->fs_id))
				write_ap(fp, &im->aps[i], --last == 0);
		fputs(");\n", fp);
	}

	fputs("\ntask = {\n", fp);
	if (j->user != NULL)
		kv_str(fp, "  ", "user", j->user, j->user_src);
	else if (j->task != NULL)
		fputs(
		    "  # the container has no user: the image's USER applies; "
		    "efsap uses the invoking user's ids (set user = "
		    "\"uid:gid\")\n",
		    fp);
	if (j->user != NULL)
		fputs("  # groups: the default [ gid ]; the image's /etc/group "
		      "may add more\n",
		    fp);
	if (j->role_arn != NULL)
		kv_str(fp, "  ", "role_arn", j->role_arn, j->role_src);
	if (j->account != NULL)
		kv_str(fp, "  ", "account", j->account, j->account_src);
	if (j->region != NULL)
		kv_str(fp, "  ", "region", j->region, j->region_src);
	if (j->nrole > 0) {
		rp = imp_role_policy(j);
		kv_policy(fp, "  ", "role_policy", rp,
		    j->nrole == 1 ? j->role[0]->src
				  : imp_printf(im,
					"the statements of %d role policies: "
					"%s, ...",
					j->nrole, j->role[0]->src));
		json_decref(rp);
	}
	fputs("};\n", fp);

	fputs("\nmounts = (\n", fp);
	if (j->task == NULL) {
		fputs("  # no task definition: the file system's root at "
		      "/mnt/efs, as efsap's built-in default\n",
		    fp);
		fputs("  { container_path = \"/mnt/efs\"; }\n", fp);
	}
	for (i = 0; i < j->nm; i++)
		write_mount(fp, &j->m[i], i == j->nm - 1);
	fputs(");\n", fp);
}

/* ------------------------------------------------------------------ */
/* Validation and output                                               */

/* Line n (1-based) of text, for a diagnostic. */
static void
print_line(const char *text, int n)
{
	const char *p = text, *e;

	while (--n > 0 && (p = strchr(p, '\n')) != NULL)
		p++;
	if (p == NULL || n > 0)
		return;
	e = strchr(p, '\n');
	while (*p == ' ')
		p++;
	fprintf(stderr, "    %.*s\n", e ? (int)(e - p) : (int)strlen(p), p);
}

/*
 * Validate text with the library's loader, as a file in dir (relative
 * paths are relative to it).  Returns 0 when efsap accepts it.
 */
static int
validate(const char *text, size_t len, const char *dir)
{
	struct efs_ident invoker;
	struct efs_config *cfg;
	struct efs_diags *d;
	char tmp[4096];
	int fd, rc, i;

	if (snprintf(tmp, sizeof(tmp), "%s/.efsap-import.XXXXXX", dir) >=
	    (int)sizeof(tmp))
		errx(EXIT_USAGE, "%s: path too long", dir);
	if ((fd = mkstemp(tmp)) == -1) {
		warn("cannot write a file in %s", dir);
		return -1;
	}
	if (write(fd, text, len) != (ssize_t)len) {
		warn("%s", tmp);
		close(fd);
		unlink(tmp);
		return -1;
	}
	close(fd);
	tool_invoker(&invoker);
	cfg = tool_config_alloc();
	d = tool_diags_alloc();
	rc = efs_config_load(tmp, &invoker, cfg, d);
	unlink(tmp);
	fflush(stdout);
	if (rc != 0)
		fprintf(stderr,
		    "efsap: the documents give a configuration efsap "
		    "refuses:\n");
	for (i = 0; i < d->n; i++) {
		if (rc == 0 && !d->d[i].warning)
			continue;
		fprintf(stderr, "  %s%s\n", d->d[i].warning ? "warning: " : "",
		    d->d[i].msg);
		if (d->d[i].line > 0)
			print_line(text, d->d[i].line);
	}
	free(d);
	free(cfg);
	return rc == 0 ? 0 : -1;
}

static mode_t
umask_value(void)
{
	mode_t m = umask(0);

	umask(m);
	return m;
}

static int
write_out(const char *text, size_t len, const char *out_file)
{
	char *copy, tmp[4096];
	const char *dir;
	int fd;

	if (out_file == NULL) {
		if (fwrite(text, 1, len, stdout) != len ||
		    fflush(stdout) != 0) {
			warn("stdout");
			return EXIT_USAGE;
		}
		return 0;
	}
	if ((copy = strdup(out_file)) == NULL)
		err(EXIT_USAGE, "strdup");
	dir = dirname(copy);
	if (validate(text, len, dir) != 0) {
		free(copy);
		return EXIT_USAGE;
	}
	snprintf(tmp, sizeof(tmp), "%s/.efsap-import.XXXXXX", dir);
	free(copy);
	if ((fd = mkstemp(tmp)) == -1) {
		warn("cannot write beside %s", out_file);
		return EXIT_USAGE;
	}
	if (fchmod(fd, 0644 & ~umask_value()) == -1 ||
	    write(fd, text, len) != (ssize_t)len || fsync(fd) == -1) {
		warn("%s", tmp);
		close(fd);
		unlink(tmp);
		return EXIT_USAGE;
	}
	close(fd);
	if (rename(tmp, out_file) == -1) {
		warn("%s", out_file);
		unlink(tmp);
		return EXIT_USAGE;
	}
	return 0;
}

int
imp_emit(struct imp *im, const char *container, const char *out_file)
{
	struct imp_joined *j;
	const char *tmpdir;
	char *text = NULL;
	size_t len = 0;
	FILE *fp;
	int status = EXIT_USAGE;

	if ((j = calloc(1, sizeof(*j))) == NULL)
		err(EXIT_USAGE, "calloc");
	if (imp_join(im, j, container) != 0)
		goto out;

	if ((fp = open_memstream(&text, &len)) == NULL)
		err(EXIT_USAGE, "open_memstream");
	write_conf(im, j, fp);
	if (fclose(fp) != 0)
		err(EXIT_USAGE, "open_memstream");
	if (out_file == NULL) {
		/* relative paths are relative to the current directory */
		if ((tmpdir = getenv("TMPDIR")) == NULL || tmpdir[0] != '/')
			tmpdir = "/tmp";
		if (access(".", W_OK) == 0)
			tmpdir = ".";
		if (validate(text, len, tmpdir) != 0)
			goto out;
	}
	status = write_out(text, len, out_file);
out:
	free(text);
	free(j);
	return status;
}
