// SPDX-License-Identifier: GPL-2.0-only
/*
 * Stage-2 translation of a VM: 4K granule, IPA size from KVM_CREATE_VM,
 * 2 MiB blocks where guest and host memory allow, one VMID per VM.
 * Tables are edited at EL1 under the VM's lock; the TLB is invalidated at
 * EL2 (HVL_HC_FLUSH_VMID) after anything is removed.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitfield.h>
#include <linux/gfp.h>
#include <linux/idr.h>
#include <linux/mm.h>
#include <linux/smp.h>
#include <asm/cpufeature.h>
#include <asm/kvm_arm.h>
#include <asm/sysreg.h>
#include "../vm.h"

/* Stage-2 descriptor fields (Arm ARM D8.3, VMSAv8-64 stage 2). */
#define S2_VALID		BIT_ULL(0)
#define S2_TABLE		BIT_ULL(1)	/* table (levels 0-2) or page (level 3) */
#define S2_MEMATTR		GENMASK_ULL(5, 2)
#define S2_MEMATTR_NORMAL_WB	0xf		/* Normal, Inner/Outer Write-Back */
#define S2_AP			GENMASK_ULL(7, 6)
#define S2_AP_RO		1
#define S2_AP_RW		3
#define S2_SH			GENMASK_ULL(9, 8)
#define S2_SH_INNER		3
#define S2_AF			BIT_ULL(10)
#define S2_ADDR			GENMASK_ULL(47, 12)

#define S2_PTRS			512
#define S2_BLOCK_SIZE		SZ_2M
#define S2_BLOCK_PAGES		(S2_BLOCK_SIZE / PAGE_SIZE)

static DEFINE_IDA(hvl_vmid_ida);
static unsigned int hvl_vmid_bits;

int hvl_vmid_init(void)
{
	u64 mmfr1 = read_sanitised_ftr_reg(SYS_ID_AA64MMFR1_EL1);
	u64 bits = cpuid_feature_extract_unsigned_field(mmfr1, ID_AA64MMFR1_EL1_VMIDBits_SHIFT);

	hvl_vmid_bits = bits == 2 ? 16 : 8;
	return 0;
}

void hvl_vmid_exit(void)
{
	ida_destroy(&hvl_vmid_ida);
}

unsigned int hvl_s2_max_ipa_bits(void)
{
	u64 mmfr0 = read_sanitised_ftr_reg(SYS_ID_AA64MMFR0_EL1);
	u64 pa = cpuid_feature_extract_unsigned_field(mmfr0, ID_AA64MMFR0_EL1_PARANGE_SHIFT);
	static const unsigned int bits[] = { 32, 36, 40, 42, 44, 48 };

	/* 52-bit PA needs LPA descriptors, which hvlite does not use. */
	return pa < ARRAY_SIZE(bits) ? bits[pa] : 48;
}

static u64 s2_ps_field(void)
{
	unsigned int bits = hvl_s2_max_ipa_bits();

	return bits == 48 ? 5 : bits == 44 ? 4 : bits == 42 ? 3 : bits == 40 ? 2 :
	       bits == 36 ? 1 : 0;
}

static unsigned int s2_shift(int level)
{
	return PAGE_SHIFT + 9 * (3 - level);
}

/* VMID 0 is the host's. Invalidate everything the VMID may have cached. */
static void s2_flush_vmid(struct hvl_s2 *s2)
{
	struct hvl_hvc_res res;
	int ret;

	/* tlbi vmalls12e1is broadcasts: any CPU whose EL2 is ours will do. */
	ret = hvl_el2_call_any(HVL_HC_FLUSH_VMID, s2->vttbr, &res);
	WARN_ON_ONCE(ret);
}

int hvl_s2_init(struct hvl_s2 *s2, unsigned int ipa_bits)
{
	int vmid;

	s2->ipa_bits = ipa_bits;
	/* A 4K-granule walk of up to 39 bits starts at level 1, beyond at level 0. */
	s2->start_level = ipa_bits > 39 ? 0 : 1;
	s2->pgd = (u64 *)get_zeroed_page(GFP_KERNEL_ACCOUNT);
	if (!s2->pgd)
		return -ENOMEM;
	vmid = ida_alloc_range(&hvl_vmid_ida, 1, (1U << hvl_vmid_bits) - 1, GFP_KERNEL);
	if (vmid < 0) {
		free_page((unsigned long)s2->pgd);
		return vmid == -ENOSPC ? -EAGAIN : vmid;
	}
	s2->vmid = vmid;
	s2->vtcr = VTCR_EL2_RES1 | VTCR_EL2_T0SZ(ipa_bits) |
		   ((s2->start_level ? 1ULL : 2ULL) << VTCR_EL2_SL0_SHIFT) |
		   VTCR_EL2_IRGN0_WBWA | VTCR_EL2_ORGN0_WBWA | VTCR_EL2_SH0_INNER |
		   VTCR_EL2_TG0_4K | (s2_ps_field() << VTCR_EL2_PS_SHIFT) |
		   (hvl_vmid_bits == 16 ? VTCR_EL2_VS_16BIT : 0);
	s2->vttbr = __pa(s2->pgd) | ((u64)vmid << VTTBR_VMID_SHIFT);
	/* A VMID freed by another VM was flushed then; flush again, cheaply safe. */
	s2_flush_vmid(s2);
	return 0;
}

static void s2_free_table(u64 *table, int level)
{
	unsigned int i;

	for (i = 0; level < 3 && i < S2_PTRS; i++) {
		u64 d = table[i];

		if ((d & (S2_VALID | S2_TABLE)) == (S2_VALID | S2_TABLE))
			s2_free_table(phys_to_virt(d & S2_ADDR), level + 1);
	}
	free_page((unsigned long)table);
}

/* After every mapping is gone and no vCPU of the VM can run. */
void hvl_s2_destroy(struct hvl_s2 *s2)
{
	if (!s2->pgd)
		return;
	s2_flush_vmid(s2);
	s2_free_table(s2->pgd, s2->start_level);
	ida_free(&hvl_vmid_ida, s2->vmid);
	s2->pgd = NULL;
}

static u64 *s2_next_table(u64 *table, unsigned int idx)
{
	u64 d = READ_ONCE(table[idx]);
	u64 *next;

	if (d & S2_VALID)
		return (d & S2_TABLE) ? phys_to_virt(d & S2_ADDR) : NULL;
	next = (u64 *)get_zeroed_page(GFP_KERNEL_ACCOUNT);
	if (!next)
		return NULL;
	smp_wmb();	/* zeroed before a walker can reach it */
	WRITE_ONCE(table[idx], __pa(next) | S2_TABLE | S2_VALID);
	return next;
}

static u64 s2_leaf(phys_addr_t pa, bool writable, bool block)
{
	return pa | S2_VALID | (block ? 0 : S2_TABLE) | S2_AF |
	       FIELD_PREP(S2_MEMATTR, S2_MEMATTR_NORMAL_WB) |
	       FIELD_PREP(S2_SH, S2_SH_INNER) |
	       FIELD_PREP(S2_AP, writable ? S2_AP_RW : S2_AP_RO);
}

/* Install one leaf at @level (2: 2 MiB block, 3: page); entries start invalid. */
static int s2_set_leaf(struct hvl_s2 *s2, u64 gpa, int level, u64 desc)
{
	u64 *table = s2->pgd;
	int l;

	for (l = s2->start_level; l < level; l++) {
		table = s2_next_table(table, (gpa >> s2_shift(l)) & (S2_PTRS - 1));
		if (!table)
			return -ENOMEM;
	}
	WRITE_ONCE(table[(gpa >> s2_shift(level)) & (S2_PTRS - 1)], desc);
	return 0;
}

static bool s2_can_block(u64 gpa, struct page **pages, unsigned long left)
{
	unsigned long pfn = page_to_pfn(pages[0]), i;

	if (!IS_ALIGNED(gpa, S2_BLOCK_SIZE) || left < S2_BLOCK_PAGES ||
	    !IS_ALIGNED(pfn, S2_BLOCK_PAGES))
		return false;
	for (i = 1; i < S2_BLOCK_PAGES; i++)
		if (page_to_pfn(pages[i]) != pfn + i)
			return false;
	return true;
}

/* Map pinned @pages at @gpa. The range was unmapped: no TLB maintenance. */
int hvl_s2_map(struct hvl_s2 *s2, u64 gpa, struct page **pages, unsigned long npages,
	       bool writable)
{
	unsigned long i = 0;
	int ret = 0;

	while (i < npages && !ret) {
		u64 at = gpa + i * PAGE_SIZE;
		bool block = s2_can_block(at, pages + i, npages - i);

		ret = s2_set_leaf(s2, at, block ? 2 : 3,
				  s2_leaf(page_to_phys(pages[i]), writable, block));
		i += block ? S2_BLOCK_PAGES : 1;
	}
	dsb(ishst);
	return ret;
}

static void s2_clear_range(u64 *table, int level, u64 base, u64 start, u64 end)
{
	u64 span = 1ULL << s2_shift(level);
	unsigned int i;

	for (i = 0; i < S2_PTRS; i++) {
		u64 lo = base + i * span, hi = lo + span, d = table[i];

		if (hi <= start || lo >= end || !(d & S2_VALID))
			continue;
		if (level < 3 && (d & S2_TABLE))
			s2_clear_range(phys_to_virt(d & S2_ADDR), level + 1, lo, start, end);
		else
			WRITE_ONCE(table[i], 0);
	}
}

/* Remove [gpa, gpa + size) and invalidate the VMID's TLB entries. */
void hvl_s2_unmap(struct hvl_s2 *s2, u64 gpa, u64 size)
{
	s2_clear_range(s2->pgd, s2->start_level, 0, gpa, gpa + size);
	dsb(ishst);
	s2_flush_vmid(s2);
}
