/* SPDX-License-Identifier: MIT */
/*
 * import.c: `efsap import [-o FILE] [--container NAME] FILE...`: read AWS
 * documents and write an efsap.conf (SPEC 5.10).  This file holds the
 * command, the reading of files with Jansson (malformed JSON is an error
 * with its line and column), and the helpers every reader shares: typed
 * members with their JSON paths, errors, strings that live as long as the
 * import.  import_aws.c recognises and reads the AWS documents,
 * import_tf.c Terraform's; import_join.c joins them, import_emit.c writes.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "efsap_tool.h"
#include "iam.h"
#include "import.h"

#define DOC_SIZE_MAX	(64 * 1024 * 1024)	/* bytes of one document */

void
imp_error(struct imp *im, const char *where, const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "efsap: %s: ", where);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	im->errors++;
}

void
imp_warn(const char *where, const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "efsap: %s: warning: ", where);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void
keep(struct imp *im, void *p)
{
	void **n;

	if (im->nkeep == im->capkeep) {
		im->capkeep = im->capkeep ? im->capkeep * 2 : 256;
		if ((n = realloc(im->keep, im->capkeep * sizeof(*n))) == NULL)
			err(EXIT_USAGE, "realloc");
		im->keep = n;
	}
	im->keep[im->nkeep++] = p;
}

char *
imp_printf(struct imp *im, const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		err(EXIT_USAGE, "vasprintf");
	keep(im, s);
	return s;
}

char *
imp_strdup(struct imp *im, const char *s)
{
	return s == NULL ? NULL : imp_printf(im, "%s", s);
}

char *
imp_key(struct imp *im, const char *path, const char *key)
{
	return imp_printf(im, "%s.%s", path, key);
}

char *
imp_idx(struct imp *im, const char *path, size_t i)
{
	return imp_printf(im, "%s[%zu]", path, i);
}

char *
imp_src(struct imp *im, const char *file, const char *path)
{
	return imp_printf(im, "%s: %s", file, path);
}

int
imp_str(struct imp *im, const char *file, json_t *o, const char *path,
    const char *key, char **out)
{
	json_t *v = json_object_get(o, key);

	*out = NULL;
	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_string(v)) {
		imp_error(im, imp_src(im, file, imp_key(im, path, key)),
		    "expected a string, found %s", efs_iam_json_type(v));
		return -1;
	}
	*out = imp_strdup(im, json_string_value(v));
	return 1;
}

int
imp_int(struct imp *im, const char *file, json_t *o, const char *path,
    const char *key, long long *out)
{
	json_t *v = json_object_get(o, key);
	const char *s;
	char *end;

	*out = 0;
	if (v == NULL || json_is_null(v))
		return 0;
	if (json_is_integer(v)) {
		*out = json_integer_value(v);
	} else if (json_is_string(v) && (s = json_string_value(v))[0] >= '0' &&
	    s[0] <= '9') {
		errno = 0;
		*out = strtoll(s, &end, 10);
		if (*end != '\0' || errno != 0)
			goto bad;
	} else {
		goto bad;
	}
	if (*out < 0 || *out > 4294967295LL) {
		imp_error(im, imp_src(im, file, imp_key(im, path, key)),
		    "%lld is not an id in 0..4294967295", *out);
		return -1;
	}
	return 1;
bad:
	imp_error(im, imp_src(im, file, imp_key(im, path, key)),
	    "expected an integer, found %s", efs_iam_json_type(v));
	return -1;
}

int
imp_enabled(struct imp *im, const char *file, json_t *o, const char *path,
    const char *key, int *out)
{
	json_t *v = json_object_get(o, key);
	const char *s;

	*out = 0;
	if (v == NULL || json_is_null(v))
		return 0;
	if (json_is_boolean(v)) {
		*out = json_is_true(v);
		return 1;
	}
	if (json_is_string(v)) {
		s = json_string_value(v);
		if (s[0] == '\0')	/* Terraform's unset attribute */
			return 0;
		if (strcmp(s, "ENABLED") == 0) {
			*out = 1;
			return 1;
		}
		if (strcmp(s, "DISABLED") == 0)
			return 1;
	}
	imp_error(im, imp_src(im, file, imp_key(im, path, key)),
	    "expected \"ENABLED\" or \"DISABLED\"");
	return -1;
}

json_t *
imp_parse_string(struct imp *im, const char *file, const char *path,
    const char *text)
{
	json_error_t e;
	json_t *doc;

	doc = json_loads(text, JSON_REJECT_DUPLICATES, &e);
	if (doc == NULL)
		imp_error(im, imp_src(im, file, path),
		    "malformed JSON inside the string, at its line %d, "
		    "column %d: %s", e.line, e.column, e.text);
	return doc;
}

void
imp_gids(struct imp *im, const char *file, json_t *a, const char *path,
    struct imp_ap *ap)
{
	json_t *g;
	size_t i;

	if (a == NULL || json_is_null(a))
		return;
	if (!json_is_array(a)) {
		imp_error(im, ap->sec_src, "expected an array of gids");
		return;
	}
	json_array_foreach(a, i, g) {
		if (!json_is_integer(g) || json_integer_value(g) < 0 ||
		    json_integer_value(g) > 4294967295LL) {
			imp_error(im, imp_src(im, file, imp_idx(im, path, i)),
			    "expected a gid in 0..4294967295");
			continue;
		}
		if (ap->nsec == IMP_SEC_MAX) {
			imp_error(im, ap->sec_src,
			    "more than %d secondary gids (the AWS limit)",
			    IMP_SEC_MAX);
			return;
		}
		ap->sec[ap->nsec++] = json_integer_value(g);
	}
}

/* ------------------------------------------------------------------ */
/* Files                                                               */

static json_t *
load_file(struct imp *im, const char *file, int *io_error)
{
	struct stat st;
	json_error_t e;
	json_t *doc;
	char *buf;
	ssize_t n;
	size_t len = 0;
	int fd;

	*io_error = 0;
	if ((fd = open(file, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)) ==
		-1 ||
	    fstat(fd, &st) == -1) {
		warn("%s", file);
		if (fd != -1)
			close(fd);
		*io_error = 1;
		return NULL;
	}
	if (!S_ISREG(st.st_mode) || st.st_size > DOC_SIZE_MAX) {
		if (S_ISDIR(st.st_mode))
			warnx("%s: %s", file, strerror(EISDIR));
		else if (!S_ISREG(st.st_mode))
			warnx("%s: not a regular file", file);
		else
			warnx("%s: larger than 64 MiB", file);
		close(fd);
		*io_error = 1;
		return NULL;
	}
	if ((buf = malloc((size_t)st.st_size + 1)) == NULL)
		err(EXIT_USAGE, "malloc");
	while (len < (size_t)st.st_size &&
	    (n = read(fd, buf + len, (size_t)st.st_size - len)) != 0) {
		if (n == -1) {
			if (errno == EINTR)
				continue;
			warn("%s", file);
			free(buf);
			close(fd);
			*io_error = 1;
			return NULL;
		}
		len += (size_t)n;
	}
	close(fd);
	doc = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &e);
	free(buf);
	if (doc == NULL) {
		fflush(stdout);
		fprintf(stderr, "efsap: %s:%d:%d: malformed JSON: %s\n", file,
		    e.line, e.column, e.text);
		im->errors++;
	}
	return doc;
}

void
imp_free(struct imp *im)
{
	int i;

	for (i = 0; i < im->npol; i++)
		json_decref(im->pol[i].doc);
	for (i = 0; i < im->ntask; i++)
		json_decref(im->task[i].containers);
	for (i = 0; i < im->nkeep; i++)
		free(im->keep[i]);
	free(im->keep);
	free(im);
}

int
cmd_import(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "container", required_argument, NULL, 'C' },
		{ "output", required_argument, NULL, 'o' }, { NULL, 0, NULL, 0 }
	};
	const char *out = NULL, *container = NULL;
	struct imp *im;
	json_t *doc;
	int ch, i, io = 0, io1, status;

	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":o:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'C':
			container = optarg;
			break;
		case 'o':
			out = optarg;
			break;
		default:
			bad_option(ch, argv);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0)
		usage();
	if (argc > IMP_MAX) {
		warnx("more than %d documents", IMP_MAX);
		return EXIT_USAGE;
	}
	if ((im = calloc(1, sizeof(*im))) == NULL)
		err(EXIT_USAGE, "calloc");
	for (i = 0; i < argc; i++) {
		if ((doc = load_file(im, argv[i], &io1)) != NULL) {
			imp_read_document(im, argv[i], doc);
			json_decref(doc);
		}
		io |= io1;
	}
	if (io || im->errors)
		status = EXIT_USAGE;
	else
		status = imp_emit(im, container, out);
	if (status != 0)
		warnx("import: nothing written");
	imp_free(im);
	return status;
}
