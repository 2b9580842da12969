/* SPDX-License-Identifier: MIT */
/*
 * elfdyn.c: the DT_RUNPATH or DT_RPATH string of an ELF file (elfdyn.h), found
 * as the dynamic loader finds it: the program headers give PT_DYNAMIC
 * and the PT_LOAD segments, the dynamic section gives DT_STRTAB (an
 * address, mapped to a file offset through the segments), DT_STRSZ and
 * the string's offset.  Every offset and size read from the file is
 * checked before use; nothing is trusted.
 */
#include <elf.h>
#include <errno.h>
#include <string.h>

#include "elfdyn.h"

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define HOST_DATA	ELFDATA2LSB
#else
#define HOST_DATA	ELFDATA2MSB
#endif

/* What the parse keeps, in 64-bit form whatever the class. */
struct load {
	uint64_t vaddr, off, filesz;
};

struct img {
	efs_elf_read_fn rd;
	void *ctx;
	int is64;
	uint64_t dyn_off, dyn_size;
	int have_dyn;
	struct load loads[EFS_ELF_MAX_LOADS];
	int nloads;
};

/* Read exactly n bytes at off: 0, -ENOEXEC when the file is shorter, -EIO. */
static int
get(struct img *im, uint64_t off, void *buf, size_t n)
{
	long got = im->rd(im->ctx, off, buf, n);

	if (got < 0)
		return -EIO;
	return (size_t)got == n ? 0 : -ENOEXEC;
}

static int
headers(struct img *im)
{
	unsigned char id[EI_NIDENT];
	uint64_t phoff, k;
	unsigned phnum, phentsize, type, minent;
	int rc;

	if ((rc = get(im, 0, id, sizeof id)) != 0)
		return rc;
	if (memcmp(id, ELFMAG, SELFMAG) != 0 || id[EI_DATA] != HOST_DATA ||
	    id[EI_VERSION] != EV_CURRENT)
		return -ENOEXEC;
	if (id[EI_CLASS] == ELFCLASS64) {
		Elf64_Ehdr e;

		if ((rc = get(im, 0, &e, sizeof e)) != 0)
			return rc;
		im->is64 = 1;
		type = e.e_type;
		phoff = e.e_phoff;
		phnum = e.e_phnum;
		phentsize = e.e_phentsize;
		minent = sizeof(Elf64_Phdr);
	} else if (id[EI_CLASS] == ELFCLASS32) {
		Elf32_Ehdr e;

		if ((rc = get(im, 0, &e, sizeof e)) != 0)
			return rc;
		im->is64 = 0;
		type = e.e_type;
		phoff = e.e_phoff;
		phnum = e.e_phnum;
		phentsize = e.e_phentsize;
		minent = sizeof(Elf32_Phdr);
	} else
		return -ENOEXEC;
	if (type != ET_EXEC && type != ET_DYN)
		return -ENOEXEC;
	if (phnum == 0)
		return 0;
	if (phentsize < minent || phnum > EFS_ELF_MAX_PHDRS || phoff > UINT64_MAX / 2)
		return -ENOEXEC;
	for (k = 0; k < phnum; k++) {
		uint64_t at = phoff + k * phentsize, ptype, off, vaddr, filesz;

		if (im->is64) {
			Elf64_Phdr p;

			if ((rc = get(im, at, &p, sizeof p)) != 0)
				return rc;
			ptype = p.p_type, off = p.p_offset, vaddr = p.p_vaddr, filesz = p.p_filesz;
		} else {
			Elf32_Phdr p;

			if ((rc = get(im, at, &p, sizeof p)) != 0)
				return rc;
			ptype = p.p_type, off = p.p_offset, vaddr = p.p_vaddr, filesz = p.p_filesz;
		}
		if (ptype == PT_DYNAMIC && !im->have_dyn) {
			im->have_dyn = 1;
			im->dyn_off = off;
			im->dyn_size = filesz;
		} else if (ptype == PT_LOAD && im->nloads < EFS_ELF_MAX_LOADS) {
			im->loads[im->nloads].vaddr = vaddr;
			im->loads[im->nloads].off = off;
			im->loads[im->nloads].filesz = filesz;
			im->nloads++;
		}
	}
	return 0;
}

/* The file offset of address a, with *room the bytes of its segment from there. */
static int
addr_to_off(const struct img *im, uint64_t a, uint64_t *off, uint64_t *room)
{
	int i;

	for (i = 0; i < im->nloads; i++) {
		const struct load *l = &im->loads[i];

		if (a >= l->vaddr && a - l->vaddr < l->filesz && l->off <= UINT64_MAX - l->filesz) {
			*off = l->off + (a - l->vaddr);
			*room = l->filesz - (a - l->vaddr);
			return 0;
		}
	}
	return -ENOEXEC;
}

int
efs_elf_search_path(efs_elf_read_fn rd, void *ctx, char *out, size_t len)
{
	struct img im;
	uint64_t strtab = 0, strsz = 0, rpath = 0, runpath = 0, k, n, s, off, room, want;
	int have_strtab = 0, have_strsz = 0, kind = EFS_ELF_NONE, rc;
	size_t esz, i;
	long got;

	memset(&im, 0, sizeof im);
	im.rd = rd;
	im.ctx = ctx;
	if ((rc = headers(&im)) != 0)
		return rc;
	if (!im.have_dyn)
		return EFS_ELF_NONE;
	esz = im.is64 ? sizeof(Elf64_Dyn) : sizeof(Elf32_Dyn);
	n = im.dyn_size / esz;
	if (n > EFS_ELF_MAX_DYNS)
		n = EFS_ELF_MAX_DYNS;
	if (im.dyn_off > UINT64_MAX - n * esz)
		return -ENOEXEC;
	for (k = 0; k < n; k++) {
		int64_t tag;
		uint64_t val;

		if (im.is64) {
			Elf64_Dyn d;

			if ((rc = get(&im, im.dyn_off + k * esz, &d, sizeof d)) != 0)
				return rc;
			tag = d.d_tag, val = d.d_un.d_val;
		} else {
			Elf32_Dyn d;

			if ((rc = get(&im, im.dyn_off + k * esz, &d, sizeof d)) != 0)
				return rc;
			tag = d.d_tag, val = d.d_un.d_val;
		}
		if (tag == DT_NULL)
			break;
		if (tag == DT_STRTAB)
			strtab = val, have_strtab = 1;
		else if (tag == DT_STRSZ)
			strsz = val, have_strsz = 1;
		else if (tag == DT_RPATH && kind == EFS_ELF_NONE)
			rpath = val, kind = EFS_ELF_RPATH;
		else if (tag == DT_RUNPATH && kind != EFS_ELF_RUNPATH)
			runpath = val, kind = EFS_ELF_RUNPATH;
	}
	if (kind == EFS_ELF_NONE)
		return EFS_ELF_NONE;
	s = kind == EFS_ELF_RUNPATH ? runpath : rpath;
	if (!have_strtab || (rc = addr_to_off(&im, strtab, &off, &room)) != 0)
		return -ENOEXEC;
	if (have_strsz && strsz < room)
		room = strsz;
	if (s >= room || off > UINT64_MAX - s)
		return -ENOEXEC;
	/* the string, with its NUL, lies within the table */
	if (len == 0)
		return -E2BIG;
	want = room - s < len ? room - s : len;
	if ((got = rd(ctx, off + s, out, (size_t)want)) < 0)
		return -EIO;
	for (i = 0; i < (size_t)got; i++)
		if (out[i] == '\0')
			return kind;
	if ((uint64_t)got == room - s)
		return -ENOEXEC;	/* the table ends before the string does */
	out[0] = '\0';
	return (size_t)got == len ? -E2BIG : -ENOEXEC;
}
