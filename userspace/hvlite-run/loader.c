// SPDX-License-Identifier: GPL-2.0-only
/* hvlite-run: placing the kernel Image (or a bare-metal ELF/raw payload), initrd and DTB in RAM. */
#include <elf.h>
#include <stdlib.h>
#include <string.h>

#include "hvlite-run.h"

static void loader__copy(struct kvm *kvm, uint64_t gpa, const void *src, uint64_t len,
			 uint64_t memsz, const char *what)
{
	void *dst = kvm__gpa_to_hva(kvm, gpa, memsz);

	if (!dst)
		die("%s: [0x%llx, 0x%llx) is outside guest RAM [0x%llx, 0x%llx)", what,
		    (unsigned long long)gpa, (unsigned long long)(gpa + memsz), RAM_BASE,
		    RAM_BASE + (unsigned long long)kvm->ram_size);
	memcpy(dst, src, len);
	memset((char *)dst + len, 0, memsz - len);
}

static void loader__image(struct kvm *kvm)
{
	const char *path = kvm->cfg->kernel, *why;
	struct image_info info;
	size_t size;
	void *buf = file__read(path, &size);
	uint64_t gpa;

	if (gzip__is_gzip(buf, size)) {
		void *raw = gunzip(buf, size, &size, &why);

		if (!raw)
			die("%s: corrupt gzip file (%s)", path, why);
		free(buf);
		buf = raw;
	}
	if (image__parse(buf, size, &info, &why))
		die("%s: %s", path, why);
	/* Flags bit 3 clear: a 2 MiB-aligned base as near the start of RAM as possible. */
	gpa = ALIGN_UP(RAM_BASE, SZ_2M) + info.text_offset;
	if (gpa + info.image_size > RAM_BASE + kvm->ram_size)
		die("-m %llu: memory too small for %s (at least %llu MiB)",
		    (unsigned long long)kvm->cfg->mem_mib, path,
		    (unsigned long long)((gpa + info.image_size - RAM_BASE + 2 * SZ_2M) >> 20) + 1);
	loader__copy(kvm, gpa, buf, size, size, path);
	kvm->entry = gpa;
	kvm->payload_end = gpa + info.image_size;
	pr_debug(kvm->cfg, "kernel: %s at 0x%llx, %llu bytes in memory", path,
		 (unsigned long long)gpa, (unsigned long long)info.image_size);
	free(buf);
}

static void loader__elf(struct kvm *kvm, const unsigned char *buf, size_t size)
{
	const Elf64_Ehdr *eh = (const void *)buf;
	const char *path = kvm->cfg->bare;
	unsigned int i;

	if (size < sizeof(*eh) || eh->e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh->e_ident[EI_DATA] != ELFDATA2LSB || eh->e_machine != EM_AARCH64)
		die("%s: not a little-endian AArch64 ELF64 file", path);
	if (eh->e_phentsize != sizeof(Elf64_Phdr) || eh->e_phoff > size ||
	    (size - eh->e_phoff) / sizeof(Elf64_Phdr) < eh->e_phnum)
		die("%s: corrupt ELF program headers", path);
	for (i = 0; i < eh->e_phnum; i++) {
		const Elf64_Phdr *ph = (const void *)(buf + eh->e_phoff + i * sizeof(*ph));

		if (ph->p_type != PT_LOAD || !ph->p_memsz)
			continue;
		if (ph->p_filesz > ph->p_memsz || ph->p_offset > size ||
		    ph->p_filesz > size - ph->p_offset)
			die("%s: corrupt ELF segment %u", path, i);
		loader__copy(kvm, ph->p_paddr, buf + ph->p_offset, ph->p_filesz, ph->p_memsz, path);
		if (ph->p_paddr + ph->p_memsz > kvm->payload_end)
			kvm->payload_end = ph->p_paddr + ph->p_memsz;
	}
	if (!kvm->payload_end)
		die("%s: no loadable segment", path);
	kvm->entry = eh->e_entry;
}

static void loader__bare(struct kvm *kvm)
{
	size_t size;
	unsigned char *buf = file__read(kvm->cfg->bare, &size);

	if (size >= SELFMAG && !memcmp(buf, ELFMAG, SELFMAG)) {
		loader__elf(kvm, buf, size);
	} else {
		loader__copy(kvm, kvm->cfg->bare_addr, buf, size, size, kvm->cfg->bare);
		kvm->entry = kvm->cfg->bare_addr;
		kvm->payload_end = kvm->cfg->bare_addr + size;
	}
	pr_debug(kvm->cfg, "bare payload: %s, entry 0x%llx", kvm->cfg->bare,
		 (unsigned long long)kvm->entry);
	free(buf);
}

/*
 * The DTB (up to 2 MiB) goes in the last 2 MiB-aligned 2 MiB of RAM and the
 * initrd just below it: both above everything the kernel claims (image_size).
 */
static void loader__place(struct kvm *kvm, uint64_t initrd_size)
{
	uint64_t ram_end = RAM_BASE + kvm->ram_size;
	uint64_t need = kvm->payload_end - RAM_BASE + ALIGN_UP(initrd_size, SZ_4K) + 2 * SZ_2M;

	if (ram_end < RAM_BASE + SZ_2M || kvm->payload_end > ram_end)
		die("-m %llu: memory too small", (unsigned long long)kvm->cfg->mem_mib);
	kvm->dtb_gpa = ALIGN_DOWN(ram_end - SZ_2M, SZ_2M);
	kvm->initrd_gpa = ALIGN_DOWN(kvm->dtb_gpa - initrd_size, SZ_4K);
	if (kvm->dtb_gpa < kvm->payload_end || initrd_size > kvm->dtb_gpa - RAM_BASE ||
	    kvm->initrd_gpa < kvm->payload_end)
		die("-m %llu: memory too small for the payload, initrd and DTB (at least %llu MiB)",
		    (unsigned long long)kvm->cfg->mem_mib, (unsigned long long)(need >> 20) + 1);
}

void loader__load(struct kvm *kvm)
{
	void *initrd = NULL;
	size_t initrd_size = 0;

	if (kvm->cfg->bare)
		loader__bare(kvm);
	else
		loader__image(kvm);
	if (kvm->cfg->initrd)
		initrd = file__read(kvm->cfg->initrd, &initrd_size);
	loader__place(kvm, initrd_size);
	if (initrd) {
		loader__copy(kvm, kvm->initrd_gpa, initrd, initrd_size, initrd_size,
			     kvm->cfg->initrd);
		kvm->initrd_size = initrd_size;
		pr_debug(kvm->cfg, "initrd: %zu bytes at 0x%llx", initrd_size,
			 (unsigned long long)kvm->initrd_gpa);
		free(initrd);
	}
}
