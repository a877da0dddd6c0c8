// SPDX-License-Identifier: GPL-2.0-only
/*
 * The virtual GICv3's distributor (64 KiB) and redistributors (2 x 64 KiB
 * per vCPU: RD_base, then SGI_base) as the guest sees them (GIC architecture
 * specification IHI 0069, chapter 12). One security state (GICD_CTLR.DS =
 * 1), affinity routing always on, no LPIs. Any other offset reads as zero
 * and ignores writes; any access size is handled without harm.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitfield.h>
#include <linux/irqchip/arm-gic-v3.h>
#include "../vm.h"
#include "vgic.h"

#define CTLR_ENABLE_GRP0	BIT(0)
#define CTLR_ENABLE_GRP1	BIT(1)
#define CTLR_ARE		BIT(4)
#define CTLR_DS			BIT(6)
#define GIC_PIDR2_ARCH_GICV3	0x3b	/* ArchRev 3 in [7:4] */
#define GIC_IIDR_ARM		0x0000043b	/* JEP106 for Arm */
#define SGI_BASE_OFFSET		SZ_64K

enum bitop { BIT_SET_ENABLE, BIT_CLR_ENABLE, BIT_SET_PEND, BIT_CLR_PEND,
	     BIT_SET_ACTIVE, BIT_CLR_ACTIVE, BIT_GROUP };

/* Registers of one bit per interrupt, at their offset from the frame. */
static const struct {
	u32 base;
	enum bitop op;
} hvl_bit_regs[] = {
	{ GICD_IGROUPR, BIT_GROUP },
	{ GICD_ISENABLER, BIT_SET_ENABLE }, { GICD_ICENABLER, BIT_CLR_ENABLE },
	{ GICD_ISPENDR, BIT_SET_PEND }, { GICD_ICPENDR, BIT_CLR_PEND },
	{ GICD_ISACTIVER, BIT_SET_ACTIVE }, { GICD_ICACTIVER, BIT_CLR_ACTIVE },
};

static bool hvl_bit_get(const struct hvl_irq *irq, enum bitop op)
{
	switch (op) {
	case BIT_SET_ENABLE:
	case BIT_CLR_ENABLE:
		return irq->enabled;
	case BIT_SET_PEND:
	case BIT_CLR_PEND:
		return hvl_irq_pending(irq);
	case BIT_SET_ACTIVE:
	case BIT_CLR_ACTIVE:
		return irq->active;
	default:
		return irq->group1;
	}
}

/* A 1 written to a set/clear register; IGROUPR takes the bit's value. */
static void hvl_bit_put(struct hvl_irq *irq, enum bitop op, bool bit)
{
	switch (op) {
	case BIT_SET_ENABLE:
		irq->enabled |= bit;
		break;
	case BIT_CLR_ENABLE:
		irq->enabled &= !bit;
		break;
	case BIT_SET_PEND:
		irq->pending_latch |= bit;
		break;
	case BIT_CLR_PEND:
		if (bit)
			irq->pending_latch = false;
		break;
	case BIT_SET_ACTIVE:
		irq->active |= bit;
		break;
	case BIT_CLR_ACTIVE:
		irq->active &= !bit;
		break;
	default:
		irq->group1 = bit;
	}
}

/*
 * One access to the interrupts [first, first + 8 * len) of a bit register:
 * @first is 0 in a redistributor's SGI frame (its own SGIs/PPIs), or the
 * register's INTID range in the distributor (whose first 32 are RAZ/WI).
 */
static void hvl_bits_access(struct hvl_vcpu *vcpu, struct hvl_vcpu *owner, u32 first,
			    unsigned int len, enum bitop op, bool write, u64 *val)
{
	struct hvl_vm *vm = vcpu->vm;
	unsigned int i;
	u64 v = 0;

	for (i = 0; i < len * 8; i++) {
		struct hvl_irq *irq = hvl_vgic_irq(vm, owner, first + i);

		if (!irq || (!owner && first + i < HVL_VGIC_NR_PRIVATE))
			continue;
		if (write) {
			hvl_bit_put(irq, op, *val & BIT_ULL(i));
			if (*val & BIT_ULL(i))
				hvl_vgic_mark_live(vm->vgic, irq);
		} else if (hvl_bit_get(irq, op)) {
			v |= BIT_ULL(i);
		}
	}
	if (!write)
		*val = v;
}

static void hvl_prio_access(struct hvl_vm *vm, struct hvl_vcpu *owner, u32 first,
			    unsigned int len, bool write, u64 *val)
{
	unsigned int i;
	u64 v = 0;

	for (i = 0; i < len; i++) {
		struct hvl_irq *irq = hvl_vgic_irq(vm, owner, first + i);

		if (!irq || (!owner && first + i < HVL_VGIC_NR_PRIVATE))
			continue;
		if (write)
			irq->priority = (*val >> (8 * i)) & 0xff;
		else
			v |= (u64)irq->priority << (8 * i);
	}
	if (!write)
		*val = v;
}

/*
 * GICD_ICFGR / GICR_ICFGR: 2 bits per interrupt. SGIs are always edge; a
 * PPI's configuration is IMPLEMENTATION DEFINED and, as in KVM, fixed at
 * level: the timers' outputs are levels (PPIs 27 and 30).
 */
static void hvl_cfg_access(struct hvl_vm *vm, struct hvl_vcpu *owner, u32 first,
			   unsigned int len, bool write, u64 *val)
{
	unsigned int i;
	u64 v = 0;

	for (i = 0; i < len * 4; i++) {
		struct hvl_irq *irq = hvl_vgic_irq(vm, owner, first + i);

		if (!irq || (!owner && first + i < HVL_VGIC_NR_PRIVATE))
			continue;
		if (write && first + i >= HVL_VGIC_NR_PRIVATE)
			irq->edge = *val & BIT_ULL(2 * i + 1);
		else if (!write && irq->edge)
			v |= BIT_ULL(2 * i + 1);
	}
	if (!write)
		*val = v;
}

/* The bit, priority and config registers shared by GICD and GICR_SGI frames. */
static bool hvl_irq_regs(struct hvl_vcpu *vcpu, struct hvl_vcpu *owner, u32 off,
			 unsigned int len, bool write, u64 *val)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(hvl_bit_regs); i++) {
		u32 base = hvl_bit_regs[i].base;

		if (off >= base && off < base + HVL_VGIC_MAX_IRQS / 8) {
			hvl_bits_access(vcpu, owner, (off - base) * 8, len,
					hvl_bit_regs[i].op, write, val);
			return true;
		}
	}
	if (off >= GICD_IPRIORITYR && off < GICD_IPRIORITYR + HVL_VGIC_MAX_IRQS) {
		hvl_prio_access(vcpu->vm, owner, off - GICD_IPRIORITYR, len, write, val);
		return true;
	}
	if (off >= GICD_ICFGR && off < GICD_ICFGR + HVL_VGIC_MAX_IRQS / 4) {
		hvl_cfg_access(vcpu->vm, owner, (off - GICD_ICFGR) * 4, len, write, val);
		return true;
	}
	return false;
}

static void hvl_gicd_access(struct hvl_vcpu *vcpu, u32 off, unsigned int len, bool write,
			    u64 *val)
{
	struct hvl_vgic *v = vcpu->vm->vgic;

	if (hvl_irq_regs(vcpu, NULL, off, len, write, val))
		return;
	if (off >= GICD_IROUTER + 8 * HVL_VGIC_NR_PRIVATE && off < GICD_IROUTER + 8 * v->nr_irqs) {
		struct hvl_irq *irq = hvl_vgic_irq(vcpu->vm, NULL, (off - GICD_IROUTER) / 8);
		/* Aff3 [39:32], IRM [31], Aff2.Aff1.Aff0 [23:0]; 32-bit halves allowed. */
		u64 mask = GENMASK_ULL(39, 32) | BIT_ULL(31) | GENMASK_ULL(23, 0);
		unsigned int shift = (off % 8) * 8;

		if (write)
			irq->route = ((irq->route & ~(GENMASK_ULL(len * 8 - 1, 0) << shift)) |
				      ((*val & GENMASK_ULL(len * 8 - 1, 0)) << shift)) & mask;
		else
			*val = (irq->route >> shift) & GENMASK_ULL(len * 8 - 1, 0);
		return;
	}
	if (write) {
		if (off == GICD_CTLR)
			v->ctlr = *val & (CTLR_ENABLE_GRP0 | CTLR_ENABLE_GRP1);
		return;
	}
	switch (off) {
	case GICD_CTLR:
		*val = v->ctlr | CTLR_ARE | CTLR_DS;
		break;
	case GICD_TYPER:
		/* ITLinesNumber, IDbits = 10 bits, No1N (no 1-of-N SPIs). */
		*val = (v->nr_irqs / 32 - 1) | (9U << 19) | BIT(25);
		break;
	case GICD_IIDR:
		*val = GIC_IIDR_ARM;
		break;
	case GICD_PIDR2:
		*val = GIC_PIDR2_ARCH_GICV3;
		break;
	default:
		*val = 0;
	}
}

static void hvl_gicr_rd_access(struct hvl_vcpu *vcpu, struct hvl_vcpu *owner, u32 off,
			       unsigned int len, bool write, u64 *val)
{
	struct hvl_vgic_cpu *cpu = vcpu->vm->vgic->cpus[owner->id];
	u64 typer;

	if (write) {
		if (off == GICR_WAKER)
			cpu->sleeping = *val & GICR_WAKER_ProcessorSleep;
		return;
	}
	switch (off) {
	case GICR_IIDR:
		*val = GIC_IIDR_ARM;
		break;
	case GICR_TYPER:
	case GICR_TYPER + 4:
		/* Affinity [63:32], Processor_Number [23:8], Last [4]. */
		typer = (owner->ctxt->vmpidr_el2 & 0xffffff) << 32 |
			(owner->ctxt->vmpidr_el2 & GENMASK_ULL(39, 32)) << 24 |
			FIELD_PREP(GENMASK_ULL(23, 8), owner->id);
		if (hvl_vgic_rd_is_last(vcpu->vm, owner))
			typer |= GICR_TYPER_LAST;
		*val = off == GICR_TYPER ? typer : typer >> 32;
		if (len == 4 && off == GICR_TYPER)
			*val &= GENMASK_ULL(31, 0);
		break;
	case GICR_WAKER:
		*val = cpu->sleeping ? GICR_WAKER_ProcessorSleep | GICR_WAKER_ChildrenAsleep : 0;
		break;
	case GICR_PIDR2:
		*val = GIC_PIDR2_ARCH_GICV3;
		break;
	default:
		*val = 0;
	}
}

/* @frame_off in @owner's redistributor: RD frame, then SGI frame. */
static void hvl_gicr_access(struct hvl_vcpu *vcpu, struct hvl_vcpu *owner, u32 frame_off,
			    unsigned int len, bool write, u64 *val)
{
	if (frame_off < SGI_BASE_OFFSET) {
		hvl_gicr_rd_access(vcpu, owner, frame_off, len, write, val);
		return;
	}
	frame_off -= SGI_BASE_OFFSET;
	/* The SGI frame: one register of each kind for interrupts 0-31. */
	if (frame_off < GICD_IPRIORITYR + HVL_VGIC_NR_PRIVATE ||
	    (frame_off >= GICD_ICFGR && frame_off < GICD_ICFGR + 8)) {
		if ((frame_off < GICD_IPRIORITYR && frame_off % 0x80 >= 4) ||
		    !hvl_irq_regs(vcpu, owner, frame_off, len, write, val)) {
			if (!write)
				*val = 0;
		}
		return;
	}
	if (!write)
		*val = 0;
}

/*
 * A data abort in the GIC frames: emulate it. Returns false when @ipa is
 * not the vGIC's. Accesses must be naturally aligned (GIC spec 12.1.3);
 * others read as zero and are ignored.
 */
/*
 * The redistributor frame holding @ipa: its owner, or NULL (@*in_region
 * says whether @ipa is in a region at all: an unused slot reads as zero).
 * The regions are fixed once the VM runs.
 */
static struct hvl_vcpu *hvl_gicr_owner(struct hvl_vm *vm, u64 ipa, bool *in_region)
{
	struct hvl_vgic *v = vm->vgic;
	unsigned int r, i;

	*in_region = false;
	for (r = 0; r < v->nr_rd; r++) {
		const struct hvl_rd_region *rd = &v->rd[r];
		u64 slots = rd->count ?: vm->nr_vcpus, idx;

		if (ipa < rd->base || ipa - rd->base >= slots * KVM_VGIC_V3_REDIST_SIZE)
			continue;
		*in_region = true;
		idx = (ipa - rd->base) / KVM_VGIC_V3_REDIST_SIZE;
		for (i = 0; i < HVL_MAX_VCPUS; i++) {
			struct hvl_vcpu *t = vm->vcpus[i];

			if (t && t->rd_region == r && t->rd_index == idx && v->cpus[i])
				return t;
		}
		return NULL;
	}
	return NULL;
}

bool hvl_vgic_mmio(struct hvl_vcpu *vcpu, u64 ipa, unsigned int len, bool write, u64 *val)
{
	struct hvl_vm *vm = vcpu->vm;
	struct hvl_vgic *v = vm->vgic;
	struct hvl_vcpu *owner = NULL;
	bool dist, redist;

	if (!v || !v->initialized)
		return false;
	dist = ipa >= v->dist_base && ipa - v->dist_base < KVM_VGIC_V3_DIST_SIZE;
	if (!dist)
		owner = hvl_gicr_owner(vm, ipa, &redist);
	if (!dist && !redist)
		return false;
	if (!IS_ALIGNED(ipa, len) || (!dist && !owner)) {
		if (!write)
			*val = 0;
		return true;
	}
	spin_lock(&v->lock);
	if (dist)
		hvl_gicd_access(vcpu, ipa - v->dist_base, len, write, val);
	else
		hvl_gicr_access(vcpu, owner, (ipa - v->rd[owner->rd_region].base) %
				KVM_VGIC_V3_REDIST_SIZE, len, write, val);
	spin_unlock(&v->lock);
	/* An enable, pending or group write may make something deliverable. */
	if (write)
		hvl_vgic_kick_others(vcpu);
	return true;
}

/* The vCPU whose packed affinity (Aff3.Aff2.Aff1.Aff0) is @packed, or NULL. */
struct hvl_vcpu *hvl_vgic_vcpu_by_mpidr(struct hvl_vm *vm, u32 packed)
{
	unsigned int i;

	for (i = 0; i < HVL_MAX_VCPUS; i++) {
		struct hvl_vcpu *t = vm->vcpus[i];
		u64 m;

		/* After init every vCPU has its state: none is created later. */
		if (!t || (vm->vgic->initialized && !vm->vgic->cpus[i]))
			continue;
		m = t->ctxt->vmpidr_el2;
		if (((m & 0xffffff) | ((m >> 8) & 0xff000000)) == packed)
			return t;
	}
	return NULL;
}

/*
 * KVM_DEV_ARM_VGIC_GRP_{DIST,REDIST}_REGS: one 32-bit register at offset
 * attr[31:0] of the distributor, or of the redistributor (RD frame, then SGI
 * frame at +64 KiB) of the vCPU whose packed affinity is attr[63:32].
 * Called with hvl_vm.lock held, after the vGIC's initialization.
 */
int hvl_vgic_reg_attr(struct hvl_vm *vm, bool redist, u64 attr, bool write, u32 *val)
{
	struct hvl_vgic *v = vm->vgic;
	u32 off = attr & KVM_DEV_ARM_VGIC_OFFSET_MASK;
	struct hvl_vcpu *vcpu;
	u64 data = *val;

	vcpu = hvl_vgic_vcpu_by_mpidr(vm, attr >> KVM_DEV_ARM_VGIC_V3_MPIDR_SHIFT);
	if (!vcpu || !IS_ALIGNED(off, 4) ||
	    off >= (redist ? KVM_VGIC_V3_REDIST_SIZE : KVM_VGIC_V3_DIST_SIZE))
		return -EINVAL;
	spin_lock(&v->lock);
	if (redist)
		hvl_gicr_access(vcpu, vcpu, off, 4, write, &data);
	else
		hvl_gicd_access(vcpu, off, 4, write, &data);
	spin_unlock(&v->lock);
	*val = data;
	return 0;
}

/*
 * KVM_DEV_ARM_VGIC_GRP_LEVEL_INFO (line level): the input levels of the 32
 * interrupts from attr[9:0] (a multiple of 32), private ones of the vCPU
 * named by attr[63:32].
 */
int hvl_vgic_level_attr(struct hvl_vm *vm, u64 attr, bool write, u32 *val)
{
	struct hvl_vgic *v = vm->vgic;
	u32 first = attr & KVM_DEV_ARM_VGIC_LINE_LEVEL_INTID_MASK;
	u32 info = (attr & KVM_DEV_ARM_VGIC_LINE_LEVEL_INFO_MASK) >>
		   KVM_DEV_ARM_VGIC_LINE_LEVEL_INFO_SHIFT;
	struct hvl_vcpu *vcpu;
	unsigned int i;
	u32 bits = 0;

	vcpu = hvl_vgic_vcpu_by_mpidr(vm, attr >> KVM_DEV_ARM_VGIC_V3_MPIDR_SHIFT);
	if (info != 0 /* VGIC_LEVEL_INFO_LINE_LEVEL */ || first % 32 || !vcpu)
		return -EINVAL;
	spin_lock(&v->lock);
	for (i = 0; i < 32; i++) {
		struct hvl_irq *irq = hvl_vgic_irq(vm, vcpu, first + i);

		if (!irq)
			continue;
		if (write && !irq->edge) {
			irq->line_level = *val & BIT(i);
			if (irq->line_level)
				hvl_vgic_mark_live(v, irq);
		} else if (!write && irq->line_level) {
			bits |= BIT(i);
		}
	}
	spin_unlock(&v->lock);
	if (!write) {
		*val = bits;
		return 0;
	}
	hvl_vgic_kick_others(vcpu);
	hvl_vcpu_kick(vcpu);
	return 0;
}
