/* SPDX-License-Identifier: MIT */
/*
 * check_elfdyn.c: the ELF search-path parser (elfdyn.h) on crafted
 * images, 32- and 64-bit: DT_RUNPATH, DT_RPATH and the rule between them,
 * files without a dynamic section, and every way the headers can lie
 * (truncated, offsets past the end, a string table outside the
 * segments, a string without its NUL, a buffer too small).
 */
#include <check.h>
#include <elf.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "elfdyn.h"

#define NELEM(a)	((int)(sizeof(a) / sizeof((a)[0])))

/* The image: headers at 0, the dynamic section at DYN_OFF, strings at STR_OFF. */
#define IMG_SIZE	1024
#define DYN_OFF		0x100
#define STR_OFF		0x200
#define VBASE		0x400000u
static const char strtab[] = "\0libc.so.6\0/mnt/x/lib:/usr/lib\0$ORIGIN/../lib\0";
#define S_RPATH		11	/* "/mnt/x/lib:/usr/lib" */
#define S_RUNPATH	31	/* "$ORIGIN/../lib" */

struct dyn {
	int64_t tag;
	uint64_t val;
};

struct mem {
	const unsigned char *p;
	size_t n;
	int fail;			/* the reader fails */
};

static long
mem_read(void *ctx, uint64_t off, void *buf, size_t n)
{
	struct mem *m = ctx;

	if (m->fail)
		return -1;
	if (off >= m->n)
		return 0;
	if (n > m->n - off)
		n = m->n - (size_t)off;
	memcpy(buf, m->p + off, n);
	return (long)n;
}

static const struct ecase {
	const char *name;
	int is64;
	int type;			/* e_type; 0: ET_DYN */
	int nodyn;			/* no PT_DYNAMIC */
	int bad_magic, other_endian, bad_class;
	uint64_t load_vaddr;		/* 0: VBASE; the strtab must lie in the segment */
	uint64_t load_filesz;		/* 0: the whole image */
	struct dyn d[6];		/* up to DT_NULL */
	size_t trunc;			/* the file ends here (0: IMG_SIZE) */
	size_t outlen;			/* 0: 256 */
	int fail;
	int want;
	const char *str;
} cases[] = {
	{ "64: DT_RUNPATH", 1, 0, 0, 0, 0, 0, 0, 0,
	  { { DT_NEEDED, 1 }, { DT_STRTAB, VBASE + STR_OFF }, { DT_STRSZ, sizeof strtab },
	    { DT_RUNPATH, S_RUNPATH } }, 0, 0, 0, EFS_ELF_RUNPATH, "$ORIGIN/../lib" },
	{ "32: DT_RUNPATH", 0, 0, 0, 0, 0, 0, 0, 0,
	  { { DT_NEEDED, 1 }, { DT_STRTAB, VBASE + STR_OFF }, { DT_STRSZ, sizeof strtab },
	    { DT_RUNPATH, S_RUNPATH } }, 0, 0, 0, EFS_ELF_RUNPATH, "$ORIGIN/../lib" },
	{ "64: DT_RPATH", 1, ET_EXEC, 0, 0, 0, 0, 0, 0,
	  { { DT_RPATH, S_RPATH }, { DT_STRTAB, VBASE + STR_OFF }, { DT_STRSZ, sizeof strtab } },
	  0, 0, 0, EFS_ELF_RPATH, "/mnt/x/lib:/usr/lib" },
	{ "32: DT_RPATH", 0, ET_EXEC, 0, 0, 0, 0, 0, 0,
	  { { DT_RPATH, S_RPATH }, { DT_STRTAB, VBASE + STR_OFF } },
	  0, 0, 0, EFS_ELF_RPATH, "/mnt/x/lib:/usr/lib" },
	{ "both: DT_RUNPATH wins, whatever the order", 1, 0, 0, 0, 0, 0, 0, 0,
	  { { DT_RUNPATH, S_RUNPATH }, { DT_RPATH, S_RPATH }, { DT_STRTAB, VBASE + STR_OFF } },
	  0, 0, 0, EFS_ELF_RUNPATH, "$ORIGIN/../lib" },
	{ "both, DT_RPATH first", 0, 0, 0, 0, 0, 0, 0, 0,
	  { { DT_RPATH, S_RPATH }, { DT_RUNPATH, S_RUNPATH }, { DT_STRTAB, VBASE + STR_OFF } },
	  0, 0, 0, EFS_ELF_RUNPATH, "$ORIGIN/../lib" },
	{ "neither tag", 1, 0, 0, 0, 0, 0, 0, 0,
	  { { DT_NEEDED, 1 }, { DT_STRTAB, VBASE + STR_OFF } }, 0, 0, 0, EFS_ELF_NONE, NULL },
	{ "a tag after DT_NULL is not read", 1, 0, 0, 0, 0, 0, 0, 0,
	  { { DT_STRTAB, VBASE + STR_OFF }, { DT_NULL, 0 }, { DT_RUNPATH, S_RUNPATH } },
	  0, 0, 0, EFS_ELF_NONE, NULL },
	{ "static: no PT_DYNAMIC", 1, ET_EXEC, 1, 0, 0, 0, 0, 0, { { DT_NULL, 0 } },
	  0, 0, 0, EFS_ELF_NONE, NULL },
	{ "not ELF", 1, 0, 0, 1, 0, 0, 0, 0, { { DT_NULL, 0 } }, 0, 0, 0, -ENOEXEC, NULL },
	{ "the other byte order", 1, 0, 0, 0, 1, 0, 0, 0, { { DT_NULL, 0 } }, 0, 0, 0, -ENOEXEC,
	  NULL },
	{ "an unknown class", 1, 0, 0, 0, 0, 1, 0, 0, { { DT_NULL, 0 } }, 0, 0, 0, -ENOEXEC, NULL },
	{ "a relocatable object", 1, ET_REL, 0, 0, 0, 0, 0, 0,
	  { { DT_RUNPATH, S_RUNPATH } }, 0, 0, 0, -ENOEXEC, NULL },
	{ "a file shorter than its header", 1, 0, 0, 0, 0, 0, 0, 0, { { DT_NULL, 0 } },
	  40, 0, 0, -ENOEXEC, NULL },
	{ "32: a file shorter than its program headers", 0, 0, 0, 0, 0, 0, 0, 0,
	  { { DT_NULL, 0 } }, 60, 0, 0, -ENOEXEC, NULL },
	{ "the dynamic section past the end", 1, 0, 0, 0, 0, 0, 0, 0,
	  { { DT_RUNPATH, S_RUNPATH } }, DYN_OFF + 8, 0, 0, -ENOEXEC, NULL },
	{ "no DT_STRTAB", 1, 0, 0, 0, 0, 0, 0, 0, { { DT_RUNPATH, S_RUNPATH } },
	  0, 0, 0, -ENOEXEC, NULL },
	{ "DT_STRTAB outside every PT_LOAD", 1, 0, 0, 0, 0, 0, 0x800000, 0,
	  { { DT_RUNPATH, S_RUNPATH }, { DT_STRTAB, VBASE + STR_OFF } }, 0, 0, 0, -ENOEXEC, NULL },
	{ "the string past DT_STRSZ", 1, 0, 0, 0, 0, 0, 0, 0,
	  { { DT_RUNPATH, S_RUNPATH }, { DT_STRTAB, VBASE + STR_OFF }, { DT_STRSZ, S_RUNPATH } },
	  0, 0, 0, -ENOEXEC, NULL },
	{ "DT_STRSZ cuts the string before its NUL", 1, 0, 0, 0, 0, 0, 0, 0,
	  { { DT_RUNPATH, S_RUNPATH }, { DT_STRTAB, VBASE + STR_OFF }, { DT_STRSZ, S_RUNPATH + 4 } },
	  0, 0, 0, -ENOEXEC, NULL },
	{ "the segment ends before the string's NUL", 1, 0, 0, 0, 0, 0, 0, STR_OFF + S_RUNPATH + 3,
	  { { DT_RUNPATH, S_RUNPATH }, { DT_STRTAB, VBASE + STR_OFF } }, 0, 0, 0, -ENOEXEC, NULL },
	{ "the file ends inside the string", 1, 0, 0, 0, 0, 0, 0, 0,
	  { { DT_RUNPATH, S_RUNPATH }, { DT_STRTAB, VBASE + STR_OFF } },
	  STR_OFF + S_RUNPATH + 3, 0, 0, -ENOEXEC, NULL },
	{ "a buffer too small", 1, 0, 0, 0, 0, 0, 0, 0,
	  { { DT_RUNPATH, S_RUNPATH }, { DT_STRTAB, VBASE + STR_OFF } }, 0, 8, 0, -E2BIG, NULL },
	{ "a buffer that just fits", 1, 0, 0, 0, 0, 0, 0, 0,
	  { { DT_RUNPATH, S_RUNPATH }, { DT_STRTAB, VBASE + STR_OFF } }, 0, 15, 0,
	  EFS_ELF_RUNPATH, "$ORIGIN/../lib" },
	{ "the reader fails", 1, 0, 0, 0, 0, 0, 0, 0, { { DT_NULL, 0 } }, 0, 0, 1, -EIO, NULL },
};

/* Lay out case e's image in img (IMG_SIZE bytes). */
static void
build(const struct ecase *e, unsigned char *img)
{
	uint64_t lv = e->load_vaddr != 0 ? e->load_vaddr : VBASE;
	uint64_t lsz = e->load_filesz != 0 ? e->load_filesz : IMG_SIZE;
	unsigned type = e->type != 0 ? (unsigned)e->type : ET_DYN;
	size_t nd = 0, i;

	/* the entries up to the last one given (a DT_NULL among them is kept) */
	for (i = 0; i < 6; i++)
		if (e->d[i].tag != 0 || e->d[i].val != 0)
			nd = i + 1;
	memset(img, 0, IMG_SIZE);
	memcpy(img + STR_OFF, strtab, sizeof strtab);
	if (e->is64) {
		Elf64_Ehdr h = { .e_type = type, .e_machine = EM_X86_64, .e_version = EV_CURRENT,
		    .e_phoff = sizeof(Elf64_Ehdr), .e_ehsize = sizeof(Elf64_Ehdr),
		    .e_phentsize = sizeof(Elf64_Phdr), .e_phnum = e->nodyn ? 1 : 2 };
		Elf64_Phdr p[2] = {
			{ .p_type = PT_LOAD, .p_offset = 0, .p_vaddr = lv, .p_filesz = lsz },
			{ .p_type = PT_DYNAMIC, .p_offset = DYN_OFF, .p_vaddr = lv + DYN_OFF,
			  .p_filesz = (nd + 1) * sizeof(Elf64_Dyn) },
		};

		memcpy(h.e_ident, ELFMAG, SELFMAG);
		h.e_ident[EI_CLASS] = ELFCLASS64;
		h.e_ident[EI_DATA] = ELFDATA2LSB;
		h.e_ident[EI_VERSION] = EV_CURRENT;
		memcpy(img, &h, sizeof h);
		memcpy(img + sizeof h, p, sizeof p);
		for (i = 0; i < nd; i++) {
			Elf64_Dyn d = { .d_tag = e->d[i].tag, .d_un.d_val = e->d[i].val };

			memcpy(img + DYN_OFF + i * sizeof d, &d, sizeof d);
		}
	} else {
		Elf32_Ehdr h = { .e_type = type, .e_machine = EM_386, .e_version = EV_CURRENT,
		    .e_phoff = sizeof(Elf32_Ehdr), .e_ehsize = sizeof(Elf32_Ehdr),
		    .e_phentsize = sizeof(Elf32_Phdr), .e_phnum = e->nodyn ? 1 : 2 };
		Elf32_Phdr p[2] = {
			{ .p_type = PT_LOAD, .p_offset = 0, .p_vaddr = (Elf32_Addr)lv,
			  .p_filesz = (Elf32_Word)lsz },
			{ .p_type = PT_DYNAMIC, .p_offset = DYN_OFF, .p_vaddr = (Elf32_Addr)lv + DYN_OFF,
			  .p_filesz = (Elf32_Word)((nd + 1) * sizeof(Elf32_Dyn)) },
		};

		memcpy(h.e_ident, ELFMAG, SELFMAG);
		h.e_ident[EI_CLASS] = ELFCLASS32;
		h.e_ident[EI_DATA] = ELFDATA2LSB;
		h.e_ident[EI_VERSION] = EV_CURRENT;
		memcpy(img, &h, sizeof h);
		memcpy(img + sizeof h, p, sizeof p);
		for (i = 0; i < nd; i++) {
			Elf32_Dyn d = { .d_tag = (Elf32_Sword)e->d[i].tag,
			    .d_un.d_val = (Elf32_Word)e->d[i].val };

			memcpy(img + DYN_OFF + i * sizeof d, &d, sizeof d);
		}
	}
	if (e->bad_magic)
		img[1] = 'X';
	if (e->other_endian)
		img[EI_DATA] = ELFDATA2MSB;
	if (e->bad_class)
		img[EI_CLASS] = 7;
}

START_TEST(test_search_path)
{
	const struct ecase *e = &cases[_i];
	unsigned char img[IMG_SIZE];
	char out[256];
	struct mem m = { img, e->trunc != 0 ? e->trunc : IMG_SIZE, e->fail };
	int rc;

	build(e, img);
	memset(out, 'x', sizeof out);
	rc = efs_elf_search_path(mem_read, &m, out, e->outlen != 0 ? e->outlen : sizeof out);
	ck_assert_msg(rc == e->want, "%s: rc %d, want %d", e->name, rc, e->want);
	if (e->str != NULL)
		ck_assert_msg(strcmp(out, e->str) == 0, "%s: got [%s]", e->name, out);
}
END_TEST

/* Every prefix of a good image: an answer, never a read past what was given. */
START_TEST(test_every_truncation)
{
	unsigned char img[IMG_SIZE];
	char out[256];
	size_t n;
	int rc;

	build(&cases[0], img);
	for (n = 0; n <= IMG_SIZE; n++) {
		struct mem m = { img, n, 0 };

		rc = efs_elf_search_path(mem_read, &m, out, sizeof out);
		if (n > STR_OFF + S_RUNPATH + 14)
			ck_assert_msg(rc == EFS_ELF_RUNPATH, "%zu bytes: %d", n, rc);
		else
			ck_assert_msg(rc == -ENOEXEC, "%zu bytes: %d", n, rc);
	}
}
END_TEST

Suite *
suite_elfdyn(void)
{
	Suite *s = suite_create("elfdyn");
	TCase *tc = tcase_create("search_path");

	tcase_add_loop_test(tc, test_search_path, 0, NELEM(cases));
	tcase_add_test(tc, test_every_truncation);
	suite_add_tcase(s, tc);
	return s;
}
