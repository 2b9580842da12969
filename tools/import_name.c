/* SPDX-License-Identifier: MIT */
/*
 * import_name.c: the pure name decisions of `efsap import` (see
 * import_name.h): ARN fields, role names, numeric container users, and the
 * ids of the resources a Terraform plan creates.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import_name.h"

int
imp_arn_field(const char *arn, int n, char *out, size_t len)
{
	const char *p = arn, *e;
	int i;

	if (arn == NULL || strncmp(arn, "arn:", 4) != 0 || n < 0 || n > 5)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		if ((p = strchr(p, ':')) == NULL)
			return -EINVAL;
		p++;
	}
	if (n == 5 || (e = strchr(p, ':')) == NULL)
		e = p + strlen(p);
	if (e == p)
		return -EINVAL;
	if ((size_t)(e - p) >= len)
		return -ENAMETOOLONG;
	memcpy(out, p, (size_t)(e - p));
	out[e - p] = '\0';
	return 0;
}

const char *
imp_role_name(const char *arn)
{
	char service[16];
	const char *p;

	if (imp_arn_field(arn, 2, service, sizeof(service)) != 0 ||
	    strcmp(service, "iam") != 0 ||
	    (p = strstr(arn, ":role/")) == NULL)
		return NULL;
	p = strrchr(p, '/') + 1;
	return *p != '\0' ? p : NULL;
}

/* n decimal digits, 1 to 10, at most 4294967295. */
static int
decimal_id(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n > 10)
		return 0;
	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return strtoull(s, NULL, 10) <= 4294967295ULL;
}

int
imp_user_numeric(const char *user)
{
	const char *colon = strchr(user, ':');

	if (colon == NULL)
		return decimal_id(user, strlen(user));
	return decimal_id(user, (size_t)(colon - user)) &&
	    decimal_id(colon + 1, strlen(colon + 1));
}

int
imp_id_ok(const char *id)
{
	const char *p;

	if (id[0] == '\0' || strlen(id) > 127 || strcmp(id, ".") == 0 ||
	    strcmp(id, "..") == 0)
		return 0;
	for (p = id; *p != '\0'; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || *p == '.' || *p == '_' ||
		    *p == '-'))
			return 0;
	return 1;
}

int
imp_bare_address(const char *address, char *out, size_t len)
{
	size_t o = 0;
	int depth = 0;

	for (; *address != '\0'; address++) {
		if (*address == '[')
			depth++;
		else if (*address == ']' && depth > 0)
			depth--;
		else if (depth == 0) {
			if (o + 1 >= len)
				return -ENAMETOOLONG;
			out[o++] = *address;
		}
	}
	if (len == 0)
		return -ENAMETOOLONG;
	out[o] = '\0';
	return 0;
}

size_t
imp_module_len(const char *bare)
{
	const char *p = strrchr(bare, '.');

	/* the last two components are TYPE.NAME */
	if (p == NULL)
		return 0;
	while (p > bare && *--p != '.')
		;
	return (size_t)(p - bare);
}

/* Append n bytes of s to out (o bytes used), after a "-" unless one ends it. */
static int
append_part(char *out, size_t len, size_t *o, const char *s, size_t n)
{
	int dash = *o > 0 && out[*o - 1] != '-';

	if (*o + dash + n >= len)
		return -ENAMETOOLONG;
	if (dash)
		out[(*o)++] = '-';
	memcpy(out + *o, s, n);
	*o += n;
	return 0;
}

int
imp_named_id(const char *bare, const char *prefix, char *out, size_t len)
{
	size_t mlen = imp_module_len(bare), o = 0, n;
	const char *p, *e, *name;

	if ((n = strlen(prefix)) >= len)
		return -ENAMETOOLONG;
	memcpy(out, prefix, n);
	o = n;
	/* the module names: the components of module.A.module.B but "module" */
	for (p = bare; p < bare + mlen; p = e + 1) {
		if ((e = memchr(p, '.', (size_t)(bare + mlen - p))) == NULL)
			e = bare + mlen;
		if (!(e - p == 6 && strncmp(p, "module", 6) == 0) &&
		    append_part(out, len, &o, p, (size_t)(e - p)) != 0)
			return -ENAMETOOLONG;
	}
	name = strrchr(bare, '.');
	name = name != NULL ? name + 1 : bare;
	if (append_part(out, len, &o, name, strlen(name)) != 0)
		return -ENAMETOOLONG;
	out[o] = '\0';
	return 0;
}
