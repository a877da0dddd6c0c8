// SPDX-License-Identifier: GPL-2.0-only
/*
 * hvlite-run: a guest virtual address through the guest's own stage-1
 * tables (VMSAv8-64, Arm ARM D8.2), read with ONE_REG (SCTLR_EL1, TCR_EL1,
 * TTBR0/1_EL1) and guest RAM: 4K, 16K and 64K granules, blocks, TBI.
 * No 52-bit addresses (LPA/LPA2), no permission checks: a debugger reads
 * what the tables map. MMU off: the address is the physical address.
 */
#include <string.h>

#include "gdb.h"

#define TCR_T0SZ(t)	((t) & 0x3f)
#define TCR_EPD0(t)	(((t) >> 7) & 1)
#define TCR_TG0(t)	(((t) >> 14) & 3)
#define TCR_T1SZ(t)	(((t) >> 16) & 0x3f)
#define TCR_EPD1(t)	(((t) >> 23) & 1)
#define TCR_TG1(t)	(((t) >> 30) & 3)
#define TCR_TBI0(t)	(((t) >> 37) & 1)
#define TCR_TBI1(t)	(((t) >> 38) & 1)
#define OA_MASK(g)	(((1ULL << 48) - 1) & ~((1ULL << (g)) - 1))

/* TG0 0/1/2 = 4K/64K/16K; TG1 1/2/3 = 16K/4K/64K. Reserved values act as 4K. */
static unsigned int s1__granule(uint64_t tcr, bool upper)
{
	static const unsigned int tg0[] = { 12, 16, 14, 12 }, tg1[] = { 12, 14, 12, 16 };

	return upper ? tg1[TCR_TG1(tcr)] : tg0[TCR_TG0(tcr)];
}

/* Which half of the address space and its size; false if va is in neither. */
static bool s1__region(struct s1_walk *w, uint64_t tcr, uint64_t va)
{
	unsigned int tsz, top;
	uint64_t hi;

	w->upper = (va >> 55) & 1;
	tsz = w->upper ? TCR_T1SZ(tcr) : TCR_T0SZ(tcr);
	if (tsz < 16)
		tsz = 16;
	if (tsz > 48)
		tsz = 48;
	w->ia_bits = 64 - tsz;
	w->granule_shift = s1__granule(tcr, w->upper);
	top = (w->upper ? TCR_TBI1(tcr) : TCR_TBI0(tcr)) ? 55 : 63;
	hi = (va >> w->ia_bits) & ((1ULL << (top - w->ia_bits + 1)) - 1);
	return hi == (w->upper ? (1ULL << (top - w->ia_bits + 1)) - 1 : 0);
}

static bool s1__read_desc(struct vcpu *vcpu, uint64_t pa, uint64_t *desc)
{
	void *p = kvm__gpa_to_hva(vcpu->kvm, pa, 8);

	if (!p)
		return false;
	memcpy(desc, p, 8);
	return true;
}

/* Blocks: level 1 and 2 with 4K, level 2 with 16K and 64K (no LPA). */
static bool s1__block_ok(unsigned int g, int level)
{
	return level == 2 || (g == 12 && level == 1);
}

static int s1__fault(struct s1_walk *w, const char *why)
{
	w->fault = why;
	return -1;
}

static int s1__levels(struct vcpu *vcpu, uint64_t va, uint64_t table, struct s1_walk *w)
{
	unsigned int g = w->granule_shift, stride = g - 3;
	int level;

	for (level = w->start_level; level <= 3; level++) {
		unsigned int shift = g + stride * (3 - level);
		unsigned int bits = level == w->start_level ? w->ia_bits - shift : stride;
		uint64_t idx = (va >> shift) & ((1ULL << bits) - 1), desc;

		w->table[w->levels] = table;
		if (!s1__read_desc(vcpu, table + 8 * idx, &desc))
			return s1__fault(w, "a table is outside guest RAM");
		w->desc[w->levels++] = desc;
		if (!(desc & 1))
			return s1__fault(w, "translation fault (invalid descriptor)");
		if (level == 3 || (desc & 2) == 0) {
			if (level == 3 ? !(desc & 2) : !s1__block_ok(g, level))
				return s1__fault(w, "translation fault (reserved descriptor)");
			w->leaf_level = level;
			w->block_size = 1ULL << shift;
			w->pa = (desc & OA_MASK(shift)) | (va & (w->block_size - 1));
			return 0;
		}
		table = desc & OA_MASK(g);
	}
	return s1__fault(w, "walk did not end");
}

/* Translate va as the vCPU's MMU would; 0 with w->pa, or -1 with w->fault. */
int s1__walk(struct vcpu *vcpu, uint64_t va, struct s1_walk *w)
{
	uint64_t sctlr, tcr, ttbr;
	unsigned int levels;

	memset(w, 0, sizeof(*w));
	if (gdb__get_reg(vcpu, SYSREG_SCTLR, &sctlr) < 0 || gdb__get_reg(vcpu, SYSREG_TCR, &tcr) < 0)
		return s1__fault(w, "cannot read SCTLR_EL1/TCR_EL1");
	if (!(sctlr & SCTLR_M)) {
		w->pa = va;
		return 0;
	}
	w->mmu_on = true;
	if (!s1__region(w, tcr, va))
		return s1__fault(w, "address outside both TTBR0 and TTBR1 ranges");
	if (w->upper ? TCR_EPD1(tcr) : TCR_EPD0(tcr))
		return s1__fault(w, "walks disabled for this range (TCR_EL1.EPDn)");
	if (gdb__get_reg(vcpu, w->upper ? SYSREG_TTBR1 : SYSREG_TTBR0, &ttbr) < 0)
		return s1__fault(w, "cannot read TTBRn_EL1");
	levels = (w->ia_bits - w->granule_shift + (w->granule_shift - 3) - 1) /
		 (w->granule_shift - 3);
	if (levels < 1 || levels > 4)
		return s1__fault(w, "TCR_EL1 size out of range");
	w->start_level = 4 - levels;
	return s1__levels(vcpu, va, ttbr & ((1ULL << 48) - 2), w);
}
