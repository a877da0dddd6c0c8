// SPDX-License-Identifier: GPL-2.0-only
/*
 * hvlite's EL2 stage-1 translation: 4K granule, 48-bit VA, four levels, one
 * TTBR0_EL2 shared by every CPU. The layout is described in hyp/hyp.h.
 * Entries are only ever added while EL2 runs, and only removed when no CPU
 * uses the tables any more, so no EL2 TLB maintenance is needed here.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitfield.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/vmalloc.h>
#include <asm/cpufeature.h>
#include <asm/kvm_arm.h>
#include <asm/memory.h>
#include <asm/pgtable-hwdef.h>
#include <asm/sysreg.h>
#include "../hvlite.h"

/* Stage-1 descriptor fields (Arm ARM D8.3, VMSAv8-64 translation table format). */
#define HYP_DESC_VALID		BIT_ULL(0)
#define HYP_DESC_TABLE		BIT_ULL(1)	/* table (levels 0-2) or page (level 3) */
#define HYP_DESC_ATTRINDX	GENMASK_ULL(4, 2)
#define HYP_DESC_AP1		BIT_ULL(6)	/* AP[1]: RES1 in the EL2 regime */
#define HYP_DESC_AP2_RO		BIT_ULL(7)	/* AP[2]: read-only */
#define HYP_DESC_SH		GENMASK_ULL(9, 8)
#define HYP_DESC_SH_INNER	3
#define HYP_DESC_AF		BIT_ULL(10)
#define HYP_DESC_XN		BIT_ULL(54)
#define HYP_DESC_ADDR		GENMASK_ULL(47, 12)

#define HYP_LEVELS		4
#define HYP_PTRS_PER_TABLE	512
/* Kernel VAs at or above this (modules, vmalloc) map to VA & GENMASK(47, 0). */
#define HYP_KVA_VMALLOC_START	(~0UL << 47)

static u64 *hyp_pgd;
static DEFINE_MUTEX(hyp_pgtable_lock);

static unsigned int hyp_index(u64 va, int level)
{
	return (va >> (PAGE_SHIFT + 9 * (HYP_LEVELS - 1 - level))) & (HYP_PTRS_PER_TABLE - 1);
}

static u64 hyp_leaf_attrs(enum hvl_hyp_prot prot)
{
	/* Normal memory, as the host maps it: MAIR_EL2 is a copy of MAIR_EL1. */
	u64 d = HYP_DESC_VALID | HYP_DESC_TABLE | HYP_DESC_AF | HYP_DESC_AP1 |
		FIELD_PREP(HYP_DESC_ATTRINDX, MT_NORMAL) |
		FIELD_PREP(HYP_DESC_SH, HYP_DESC_SH_INNER);

	if (prot != HVL_HYP_RX)
		d |= HYP_DESC_XN;
	if (prot != HVL_HYP_RW)
		d |= HYP_DESC_AP2_RO;
	return d;
}

static u64 *hyp_table_next(u64 *table, unsigned int idx)
{
	u64 desc = READ_ONCE(table[idx]);
	u64 *next;

	if (desc & HYP_DESC_VALID)
		return phys_to_virt(desc & HYP_DESC_ADDR);
	next = (u64 *)get_zeroed_page(GFP_KERNEL);
	if (!next)
		return NULL;
	/* The table must be zero before a walker can see it. */
	smp_wmb();
	WRITE_ONCE(table[idx], __pa(next) | HYP_DESC_TABLE | HYP_DESC_VALID);
	return next;
}

static int hyp_map_page_locked(u64 va, phys_addr_t pa, enum hvl_hyp_prot prot)
{
	u64 *table = hyp_pgd, desc, old;
	int level;

	lockdep_assert_held(&hyp_pgtable_lock);
	if (pa >= HVL_HYP_PA_LIMIT) {
		pr_err("physical address %pa is beyond what EL2 maps (64 TiB)\n", &pa);
		return -EOPNOTSUPP;
	}
	for (level = 0; level < HYP_LEVELS - 1; level++) {
		table = hyp_table_next(table, hyp_index(va, level));
		if (!table)
			return -ENOMEM;
	}
	desc = pa | hyp_leaf_attrs(prot);
	old = READ_ONCE(table[hyp_index(va, level)]);
	if (old == desc)
		return 0;
	if (old & HYP_DESC_VALID) {
		if (WARN_ON_ONCE((old & HYP_DESC_ADDR) != pa))
			return -EEXIST;
		/* Same page asked with other rights: keep the wider one. */
		if (!(old & HYP_DESC_AP2_RO) || !(old & HYP_DESC_XN))
			return 0;
	}
	WRITE_ONCE(table[hyp_index(va, level)], desc);
	return 0;
}

/* The EL2 VA of a kernel address that EL2 may use (after hvl_hyp_map()). */
u64 hvl_hyp_va(const void *kva)
{
	unsigned long va = (unsigned long)kva;

	if (va >= HYP_KVA_VMALLOC_START)
		return va & GENMASK_ULL(HVL_HYP_VA_BITS - 1, 0);
	return HVL_HYP_LINEAR_BASE + __pa(va);
}

static phys_addr_t hyp_kva_to_phys(const void *kva)
{
	if ((unsigned long)kva >= HYP_KVA_VMALLOC_START)
		return page_to_phys(vmalloc_to_page(kva)) + offset_in_page(kva);
	return __pa(kva);
}

/* Map [kva, kva + size) at hvl_hyp_va(kva); linear map, modules or vmalloc. */
int hvl_hyp_map(const void *kva, size_t size, enum hvl_hyp_prot prot)
{
	unsigned long start = (unsigned long)kva & PAGE_MASK;
	unsigned long end = PAGE_ALIGN((unsigned long)kva + size);
	unsigned long va;
	int ret = 0;

	mutex_lock(&hyp_pgtable_lock);
	for (va = start; va < end && !ret; va += PAGE_SIZE)
		ret = hyp_map_page_locked(hvl_hyp_va((void *)va),
					  hyp_kva_to_phys((void *)va), prot);
	mutex_unlock(&hyp_pgtable_lock);
	return ret;
}

int hvl_hyp_map_idmap(phys_addr_t pa, enum hvl_hyp_prot prot)
{
	int ret;

	mutex_lock(&hyp_pgtable_lock);
	ret = hyp_map_page_locked(pa, pa, prot);
	mutex_unlock(&hyp_pgtable_lock);
	return ret;
}

/* EL2 runs code and reads data of this module at their hvl_hyp_va(). */
int hvl_hyp_map_module(void)
{
	struct module *m = THIS_MODULE;
	int ret;

#ifdef HVL_HAVE_MODULE_MEMORY
	ret = hvl_hyp_map(m->mem[MOD_TEXT].base, m->mem[MOD_TEXT].size, HVL_HYP_RX);
	if (!ret)
		ret = hvl_hyp_map(m->mem[MOD_RODATA].base, m->mem[MOD_RODATA].size,
				  HVL_HYP_RO);
	if (!ret && m->mem[MOD_RO_AFTER_INIT].size)
		ret = hvl_hyp_map(m->mem[MOD_RO_AFTER_INIT].base,
				  m->mem[MOD_RO_AFTER_INIT].size, HVL_HYP_RO);
	if (!ret)
		ret = hvl_hyp_map(m->mem[MOD_DATA].base, m->mem[MOD_DATA].size, HVL_HYP_RW);
#else
	struct module_layout *l = &m->core_layout;

	ret = hvl_hyp_map(l->base, l->text_size, HVL_HYP_RX);
	if (!ret)
		ret = hvl_hyp_map(l->base + l->text_size, l->ro_after_init_size - l->text_size,
				  HVL_HYP_RO);
	if (!ret)
		ret = hvl_hyp_map(l->base + l->ro_after_init_size,
				  l->size - l->ro_after_init_size, HVL_HYP_RW);
#endif
	return ret;
}

u64 hvl_hyp_ttbr0(void)
{
	return __pa(hyp_pgd);
}

u64 hvl_hyp_tcr(void)
{
	u64 mmfr0 = read_sanitised_ftr_reg(SYS_ID_AA64MMFR0_EL1);
	u64 ps = cpuid_feature_extract_unsigned_field(mmfr0, ID_AA64MMFR0_EL1_PARANGE_SHIFT);

	/* PS beyond 48 bits needs FEAT_LPA/LPA2 descriptors, which we do not use. */
	ps = min_t(u64, ps, ID_AA64MMFR0_EL1_PARANGE_48);
	return TCR_EL2_RES1 | TCR_T0SZ(HVL_HYP_VA_BITS) | TCR_TG0_4K |
	       TCR_SH0_INNER | TCR_ORGN0_WBWA | TCR_IRGN0_WBWA |
	       (ps << TCR_EL2_PS_SHIFT);
}

int hvl_hyp_pgtable_init(void)
{
	hyp_pgd = (u64 *)get_zeroed_page(GFP_KERNEL);
	return hyp_pgd ? 0 : -ENOMEM;
}

static void hyp_free_table(u64 *table, int level)
{
	unsigned int i;

	for (i = 0; level < HYP_LEVELS - 1 && i < HYP_PTRS_PER_TABLE; i++)
		if (table[i] & HYP_DESC_VALID)
			hyp_free_table(phys_to_virt(table[i] & HYP_DESC_ADDR), level + 1);
	free_page((unsigned long)table);
}

/* Only once no CPU runs with these tables (every CPU gave EL2 back). */
void hvl_hyp_pgtable_free(void)
{
	if (hyp_pgd)
		hyp_free_table(hyp_pgd, 0);
	hyp_pgd = NULL;
}
