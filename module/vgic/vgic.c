// SPDX-License-Identifier: GPL-2.0-only
/*
 * The virtual GICv3's model: the KVM device ABI (KVM_CREATE_DEVICE with
 * KVM_DEV_TYPE_ARM_VGIC_V3 and its attributes), KVM_IRQ_LINE, SGIs from
 * ICC_SGI1R_EL1, and the list registers built before each entry and read
 * back after it. Lock order: hvl_vm.lock, then hvl_vgic.lock.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/anon_inodes.h>
#include <linux/bitfield.h>
#include <linux/file.h>
#include <linux/irqchip/arm-gic-v3.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/uaccess.h>
#include <asm/arch_timer.h>
#include <clocksource/arm_arch_timer.h>
#include "../vm.h"
#include "vgic.h"

/* KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION's value (api.rst) */
#define RDIST_INDEX_MASK	GENMASK_ULL(11, 0)
#define RDIST_FLAGS_MASK	GENMASK_ULL(15, 12)
#define RDIST_BASE_MASK		GENMASK_ULL(51, 16)
#define RDIST_COUNT_MASK	GENMASK_ULL(63, 52)

static unsigned int hvl_nr_lr, hvl_nr_apr;

/* The CPU interface's list registers and priority bits (ICH_VTR_EL2). */
int hvl_vgic_init_hw(void)
{
	struct hvl_hvc_res res;
	unsigned int pribits;
	int ret = hvl_el2_call_any(HVL_HC_READ_VTR, 0, &res);

	if (ret)
		return ret;
	hvl_nr_lr = min_t(unsigned int, (res.a1 & 0x1f) + 1, HVL_NR_LR);
	pribits = ((res.a1 >> 29) & 7) + 1;
	hvl_nr_apr = pribits >= 7 ? 4 : pribits == 6 ? 2 : 1;
	return 0;
}

struct hvl_irq *hvl_vgic_irq(struct hvl_vm *vm, struct hvl_vcpu *vcpu, u32 intid)
{
	struct hvl_vgic *v = vm->vgic;

	if (intid < HVL_VGIC_NR_PRIVATE)
		return vcpu && v->cpus[vcpu->id] ? &v->cpus[vcpu->id]->private[intid] : NULL;
	if (intid < v->nr_irqs)
		return &v->spis[intid - HVL_VGIC_NR_PRIVATE];
	return NULL;
}

static u64 hvl_vcpu_aff(struct hvl_vcpu *vcpu)
{
	return vcpu->ctxt->vmpidr_el2 & MPIDR_HWID_BITMASK;
}

/* GICD_IROUTER affinity (Aff3 in [39:32]) to MPIDR layout (Aff3 in [39:32]). */
static bool hvl_spi_targets(const struct hvl_irq *irq, struct hvl_vcpu *vcpu)
{
	if (irq->route & BIT_ULL(31))	/* IRM: any participating PE, vCPU 0 here */
		return vcpu->id == 0;
	return (irq->route & MPIDR_HWID_BITMASK) == hvl_vcpu_aff(vcpu);
}

static struct hvl_vcpu *hvl_spi_owner(struct hvl_vm *vm, const struct hvl_irq *irq)
{
	unsigned int i;

	for (i = 0; i < HVL_MAX_VCPUS; i++)
		if (vm->vcpus[i] && vm->vgic->cpus[i] && hvl_spi_targets(irq, vm->vcpus[i]))
			return vm->vcpus[i];
	return NULL;
}

/* Something became pending: wake or kick the vCPU that must see it. */
void hvl_vgic_kick_target(struct hvl_vm *vm, u32 intid, struct hvl_vcpu *owner)
{
	struct hvl_vcpu *t = owner;

	if (intid >= HVL_VGIC_NR_PRIVATE)
		t = hvl_spi_owner(vm, &vm->vgic->spis[intid - HVL_VGIC_NR_PRIVATE]);
	if (t)
		hvl_vcpu_kick(t);
}

/* After a GICD/GICR write: the other vCPUs look at their interrupts again. */
void hvl_vgic_kick_others(struct hvl_vcpu *vcpu)
{
	unsigned int i;

	for (i = 0; i < HVL_MAX_VCPUS; i++)
		if (vcpu->vm->vcpus[i] && vcpu->vm->vcpus[i] != vcpu)
			hvl_vcpu_kick(vcpu->vm->vcpus[i]);
}

/* Deliverable to the guest: enabled, pending, its group enabled (GICD_CTLR). */
static bool hvl_irq_deliverable(const struct hvl_vgic *v, const struct hvl_irq *irq)
{
	/* GICD_CTLR with DS=1: bit 0 EnableGrp0, bit 1 EnableGrp1. */
	u32 grp = irq->group1 ? BIT(1) : BIT(0);

	return irq->enabled && hvl_irq_pending(irq) && (v->ctlr & grp);
}

/* The timers' outputs are levels on PPIs 27 (virtual) and 30 (physical). */
static void hvl_vgic_update_timers(struct hvl_vcpu *vcpu, struct hvl_vgic_cpu *cpu)
{
	hvl_timer_levels(vcpu, &cpu->private[HVL_VGIC_VTIMER_INTID].line_level,
			 &cpu->private[HVL_VGIC_PTIMER_INTID].line_level);
}

struct hvl_lr_cand {
	u32 intid;
	u8 priority;
	bool active;
};

static int hvl_lr_cmp(const void *a, const void *b)
{
	const struct hvl_lr_cand *x = a, *y = b;

	/* Active ones first (the guest must be able to deactivate them), then by priority. */
	if (x->active != y->active)
		return x->active ? -1 : 1;
	return (int)x->priority - (int)y->priority;
}

/*
 * A level-sensitive interrupt asks for a maintenance interrupt when the
 * guest deactivates it (ICH_LR_EOI), as KVM does: the exit that follows
 * resamples its line, so a line still high is taken again at once.
 */
static u64 hvl_make_lr(const struct hvl_irq *irq, u32 intid)
{
	u64 lr = intid | FIELD_PREP(ICH_LR_PRIORITY_MASK, irq->priority);

	if (!irq->edge)
		lr |= ICH_LR_EOI;
	if (irq->group1)
		lr |= ICH_LR_GROUP;
	if (irq->active)
		lr |= ICH_LR_ACTIVE_BIT;
	if (hvl_irq_pending(irq))
		lr |= ICH_LR_PENDING_BIT;
	return lr;
}

/* An SPI that is neither pending nor active leaves the live set. */
static bool hvl_spi_still_live(struct hvl_vgic *v, unsigned int b)
{
	const struct hvl_irq *irq = &v->spis[b];

	if (irq->pending_latch || irq->line_level || irq->active)
		return true;
	__clear_bit(b, v->spi_live);
	return false;
}

/*
 * This vCPU's candidates for the list registers: its SGIs and PPIs, and
 * the live SPIs routed to it, that are active or deliverable.
 */
static unsigned int hvl_collect(struct hvl_vcpu *vcpu, struct hvl_lr_cand *c, unsigned int max)
{
	struct hvl_vgic *v = vcpu->vm->vgic;
	struct hvl_vgic_cpu *cpu = v->cpus[vcpu->id];
	unsigned int n = 0, i, b;

	for (i = 0; i < HVL_VGIC_NR_PRIVATE && n < max; i++) {
		struct hvl_irq *irq = &cpu->private[i];

		if (irq->active || hvl_irq_deliverable(v, irq))
			c[n++] = (struct hvl_lr_cand){ i, irq->priority, irq->active };
	}
	for_each_set_bit(b, v->spi_live, v->nr_irqs - HVL_VGIC_NR_PRIVATE) {
		struct hvl_irq *irq = &v->spis[b];

		if (n == max)
			break;
		if (!hvl_spi_still_live(v, b) || !hvl_spi_targets(irq, vcpu))
			continue;
		if (irq->active || hvl_irq_deliverable(v, irq))
			c[n++] = (struct hvl_lr_cand){ b + HVL_VGIC_NR_PRIVATE, irq->priority,
						       irq->active };
	}
	return n;
}

/*
 * Before an entry: the highest-priority pending and active interrupts of
 * this vCPU go into the list registers, rebuilt from the model each time.
 * A latched pending state (an edge, a GICD_ISPENDR write) moved into a list
 * register leaves the model; hvl_vgic_sync() takes back what the guest did
 * not acknowledge. With more candidates than list registers, the underflow
 * maintenance interrupt (ICH_HCR_EL2.UIE) brings the vCPU out to refill
 * them once the guest has drained all but one.
 */
void hvl_vgic_flush(struct hvl_vcpu *vcpu)
{
	struct hvl_vgic *v = vcpu->vm->vgic;
	struct hvl_vcpu_ctxt *g = vcpu->ctxt;
	struct hvl_lr_cand cand[64];
	struct hvl_vgic_cpu *cpu;
	unsigned int n, i;
	u64 hcr = ICH_HCR_EN;

	spin_lock(&v->lock);
	cpu = v->cpus[vcpu->id];
	hvl_vgic_update_timers(vcpu, cpu);
	n = hvl_collect(vcpu, cand, ARRAY_SIZE(cand));
	sort(cand, n, sizeof(cand[0]), hvl_lr_cmp, NULL);
	if (n > hvl_nr_lr) {
		n = hvl_nr_lr;
		hcr |= ICH_HCR_UIE;
	}
	cpu->lr_latched = 0;
	for (i = 0; i < hvl_nr_lr; i++) {
		struct hvl_irq *irq;

		g->ich_lr[i] = 0;
		if (i >= n)
			continue;
		irq = hvl_vgic_irq(vcpu->vm, vcpu, cand[i].intid);
		g->ich_lr[i] = hvl_make_lr(irq, cand[i].intid);
		cpu->lr_intid[i] = cand[i].intid;
		if (irq->pending_latch)
			cpu->lr_latched |= BIT(i);
		irq->pending_latch = false;
	}
	cpu->nr_used_lr = n;
	g->nr_lr = hvl_nr_lr;
	g->nr_apr = hvl_nr_apr;
	g->ich_hcr = hcr;
	spin_unlock(&v->lock);
}

/* After an exit: fold the list registers' state back into the model. */
void hvl_vgic_sync(struct hvl_vcpu *vcpu)
{
	struct hvl_vgic *v = vcpu->vm->vgic;
	struct hvl_vcpu_ctxt *g = vcpu->ctxt;
	struct hvl_vgic_cpu *cpu;
	unsigned int i;

	spin_lock(&v->lock);
	cpu = v->cpus[vcpu->id];
	for (i = 0; i < cpu->nr_used_lr; i++) {
		struct hvl_irq *irq = hvl_vgic_irq(vcpu->vm, vcpu, cpu->lr_intid[i]);
		u64 lr = g->ich_lr[i];

		if (!irq)
			continue;
		irq->active = lr & ICH_LR_ACTIVE_BIT;
		/*
		 * Still pending: not yet acknowledged, so a latched state goes
		 * back to the model. A level re-pends from its line anyway.
		 */
		if ((lr & ICH_LR_PENDING_BIT) && (cpu->lr_latched & BIT(i)))
			irq->pending_latch = true;
		/*
		 * While only this list register held an SPI's state, another
		 * vCPU's scan (hvl_spi_still_live()) may have taken it out of
		 * the live set: back in, or it would never be seen again.
		 */
		if (irq->active || irq->pending_latch)
			hvl_vgic_mark_live(v, irq);
	}
	cpu->nr_used_lr = 0;
	hvl_vgic_update_timers(vcpu, cpu);
	spin_unlock(&v->lock);
}

/* For WFI: anything this vCPU could take (priority masking left to the guest). */
bool hvl_vgic_vcpu_pending(struct hvl_vcpu *vcpu)
{
	struct hvl_vgic *v = vcpu->vm->vgic;
	struct hvl_vgic_cpu *cpu;
	bool ret = false;
	unsigned int i, b;

	if (!v || !v->initialized)
		return false;
	spin_lock(&v->lock);
	cpu = v->cpus[vcpu->id];
	hvl_vgic_update_timers(vcpu, cpu);
	for (i = 0; i < HVL_VGIC_NR_PRIVATE && !ret; i++)
		ret = hvl_irq_deliverable(v, &cpu->private[i]) && !cpu->private[i].active;
	for_each_set_bit(b, v->spi_live, v->nr_irqs - HVL_VGIC_NR_PRIVATE) {
		struct hvl_irq *irq = &v->spis[b];

		if (ret)
			break;
		if (hvl_spi_still_live(v, b) && hvl_spi_targets(irq, vcpu))
			ret = hvl_irq_deliverable(v, irq) && !irq->active;
	}
	spin_unlock(&v->lock);
	return ret;
}

/*
 * ICC_SGI1R_EL1 (and ASGI1R/SGI0R): TargetList, Aff3.Aff2.Aff1, INTID, IRM
 * (GIC spec 12.2.22). With IRM, every vCPU but the sender.
 */
void hvl_vgic_send_sgi(struct hvl_vcpu *vcpu, u64 val, bool group1)
{
	struct hvl_vm *vm = vcpu->vm;
	u32 sgi = FIELD_GET(ICC_SGI1R_SGI_ID_MASK, val);
	u64 aff = (FIELD_GET(ICC_SGI1R_AFFINITY_3_MASK, val) << 32) |
		  (FIELD_GET(ICC_SGI1R_AFFINITY_2_MASK, val) << 16) |
		  (FIELD_GET(ICC_SGI1R_AFFINITY_1_MASK, val) << 8);
	u16 targets = FIELD_GET(ICC_SGI1R_TARGET_LIST_MASK, val);
	u32 rs = FIELD_GET(ICC_SGI1R_RS_MASK, val);
	bool all = val & BIT_ULL(ICC_SGI1R_IRQ_ROUTING_MODE_BIT);
	unsigned int i;

	for (i = 0; i < HVL_MAX_VCPUS; i++) {
		struct hvl_vcpu *t = vm->vcpus[i];
		u64 a;
		struct hvl_irq *irq;

		if (!t || !vm->vgic->cpus[i])
			continue;
		a = hvl_vcpu_aff(t);
		if (all ? t == vcpu :
		    ((a & ~0xffULL) != aff || (a & 0xff) / 16 != rs ||
		     !(targets & BIT((a & 0xff) % 16))))
			continue;
		spin_lock(&vm->vgic->lock);
		irq = &vm->vgic->cpus[i]->private[sgi];
		if (irq->group1 == group1 || !irq->group1)
			irq->pending_latch = true;
		spin_unlock(&vm->vgic->lock);
		/* The sender's own next entry picks its SGI up: no kick. */
		if (t != vcpu)
			hvl_vcpu_kick(t);
	}
}

/*
 * The reset state KVM's vgic_init() gives a GICv3's interrupts: all in
 * group 1, priority 0, SPIs routed to Aff 0.0.0.0; SGIs enabled; PPIs
 * level-triggered, SGIs and SPIs edge (the GIC spec leaves these
 * IMPLEMENTATION DEFINED; guests such as Linux program all of them).
 */
static void hvl_vgic_reset_irq(struct hvl_irq *irq, u32 intid)
{
	memset(irq, 0, sizeof(*irq));
	irq->group1 = true;
	irq->enabled = intid < HVL_VGIC_NR_SGIS;
	irq->edge = intid < HVL_VGIC_NR_SGIS || intid >= HVL_VGIC_NR_PRIVATE;
}

static void hvl_vgic_free_state(struct hvl_vgic *v)
{
	unsigned int i;

	for (i = 0; i < HVL_MAX_VCPUS; i++) {
		kfree(v->cpus[i]);
		v->cpus[i] = NULL;
	}
	kvfree(v->spis);
	v->spis = NULL;
	bitmap_free(v->spi_live);
	v->spi_live = NULL;
}

/* KVM_DEV_ARM_VGIC_CTRL_INIT, or the first KVM_RUN: size the state. */
static int hvl_vgic_init_locked(struct hvl_vm *vm)
{
	struct hvl_vgic *v = vm->vgic;
	unsigned int i, j;

	lockdep_assert_held(&vm->lock);
	if (v->initialized)
		return 0;
	if (!vm->nr_vcpus)
		return -EINVAL;
	if (!v->nr_irqs)
		v->nr_irqs = HVL_VGIC_DEFAULT_IRQS;
	v->spis = kvcalloc(v->nr_irqs - HVL_VGIC_NR_PRIVATE, sizeof(*v->spis),
			   GFP_KERNEL_ACCOUNT);
	v->spi_live = bitmap_zalloc(v->nr_irqs - HVL_VGIC_NR_PRIVATE, GFP_KERNEL_ACCOUNT);
	if (!v->spis || !v->spi_live)
		goto nomem;
	for (i = HVL_VGIC_NR_PRIVATE; i < v->nr_irqs; i++)
		hvl_vgic_reset_irq(&v->spis[i - HVL_VGIC_NR_PRIVATE], i);
	for (i = 0; i < HVL_MAX_VCPUS; i++) {
		if (!vm->vcpus[i])
			continue;
		v->cpus[i] = kzalloc(sizeof(*v->cpus[i]), GFP_KERNEL_ACCOUNT);
		if (!v->cpus[i])
			goto nomem;
		v->cpus[i]->sleeping = true;
		for (j = 0; j < HVL_VGIC_NR_PRIVATE; j++)
			hvl_vgic_reset_irq(&v->cpus[i]->private[j], j);
	}
	/* Paired with KVM_IRQ_LINE's lockless check. */
	smp_store_release(&v->initialized, true);
	return 0;
nomem:
	/* Nothing half-built stays: a later attempt starts from scratch. */
	hvl_vgic_free_state(v);
	return -ENOMEM;
}

/* The vCPU created @idx-th, or NULL. */
static struct hvl_vcpu *hvl_vcpu_by_idx(struct hvl_vm *vm, u32 idx)
{
	unsigned int i;

	for (i = 0; i < HVL_MAX_VCPUS; i++)
		if (vm->vcpus[i] && vm->vcpus[i]->idx == idx)
			return vm->vcpus[i];
	return NULL;
}

/*
 * Give each vCPU without a redistributor the first free slot of the regions,
 * in creation order (as KVM): after a region is added and after a vCPU is
 * created. Called with hvl_vm.lock held.
 */
void hvl_vgic_place(struct hvl_vm *vm)
{
	struct hvl_vgic *v = vm->vgic;
	unsigned int k, r;

	lockdep_assert_held(&vm->lock);
	for (k = 0; k < vm->nr_vcpus; k++) {
		struct hvl_vcpu *vcpu = hvl_vcpu_by_idx(vm, k);

		if (!vcpu || vcpu->rd_region >= 0)
			continue;
		for (r = 0; r < v->nr_rd; r++) {
			if (v->rd[r].count && v->rd[r].used == v->rd[r].count)
				continue;
			vcpu->rd_region = r;
			vcpu->rd_index = v->rd[r].used++;
			break;
		}
	}
}

/* Where @vcpu's redistributor (RD_base) is; only for a placed vCPU. */
u64 hvl_vgic_rd_base(struct hvl_vm *vm, struct hvl_vcpu *vcpu)
{
	return vm->vgic->rd[vcpu->rd_region].base + (u64)vcpu->rd_index * KVM_VGIC_V3_REDIST_SIZE;
}

/*
 * GICR_TYPER.Last, as KVM sets it: the last used slot of its region, unless
 * the region is full and another region with redistributors follows it
 * contiguously.
 */
bool hvl_vgic_rd_is_last(struct hvl_vm *vm, struct hvl_vcpu *vcpu)
{
	struct hvl_vgic *v = vm->vgic;
	const struct hvl_rd_region *rd;
	unsigned int r;
	u64 end;

	if (vcpu->rd_region < 0)
		return false;
	rd = &v->rd[vcpu->rd_region];
	if (vcpu->rd_index + 1 < rd->used)
		return false;
	if (!rd->count || rd->used < rd->count)
		return true;
	end = rd->base + (u64)rd->count * KVM_VGIC_V3_REDIST_SIZE;
	for (r = 0; r < v->nr_rd; r++)
		if (v->rd[r].base == end && v->rd[r].used)
			return false;
	return true;
}

/* The bytes a region covers: a legacy one as many frames as vCPUs. */
static u64 hvl_rd_size(struct hvl_vm *vm, const struct hvl_rd_region *rd)
{
	return (u64)(rd->count ?: max(vm->nr_vcpus, 1U)) * KVM_VGIC_V3_REDIST_SIZE;
}

static bool hvl_ranges_overlap(u64 a, u64 asize, u64 b, u64 bsize)
{
	return a < b + bsize && b < a + asize;
}

/*
 * Before the first entry, in KVM's order: a redistributor for every vCPU
 * and the distributor placed (ENXIO), the frames inside the IPA space and
 * apart (EINVAL), and the vGIC explicitly initialized with CTRL_INIT
 * (EBUSY): a GICv3 is never initialized behind the VMM's back.
 */
int hvl_vgic_ensure_ready(struct hvl_vm *vm)
{
	struct hvl_vgic *v = vm->vgic;
	unsigned int i;
	int ret = 0;

	mutex_lock(&vm->lock);
	for (i = 0; i < HVL_MAX_VCPUS; i++)
		if (vm->vcpus[i] && vm->vcpus[i]->rd_region < 0)
			ret = -ENXIO;
	if (v->dist_base == HVL_VGIC_ADDR_UNDEF)
		ret = -ENXIO;
	for (i = 0; i < v->nr_rd && !ret; i++) {
		u64 size = hvl_rd_size(vm, &v->rd[i]);

		if (v->rd[i].base + size > BIT_ULL(vm->s2.ipa_bits) ||
		    hvl_ranges_overlap(v->rd[i].base, size, v->dist_base, KVM_VGIC_V3_DIST_SIZE))
			ret = -EINVAL;
	}
	if (!ret && !v->initialized)
		ret = -EBUSY;
	mutex_unlock(&vm->lock);
	return ret;
}

void hvl_vgic_destroy(struct hvl_vm *vm)
{
	if (!vm->vgic)
		return;
	hvl_vgic_free_state(vm->vgic);
	kfree(vm->vgic);
	vm->vgic = NULL;
}

/*
 * Add a redistributor region: KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION (count >
 * 0, index the next one) or the legacy KVM_VGIC_V3_ADDR_TYPE_REDIST (count
 * 0: the only region). Errors in KVM's order.
 */
static int hvl_vgic_add_region(struct hvl_vm *vm, u32 index, u64 base, u32 count)
{
	struct hvl_vgic *v = vm->vgic;
	u64 size = count ? (u64)count * KVM_VGIC_V3_REDIST_SIZE :
		   (u64)max(vm->nr_vcpus, 1U) * KVM_VGIC_V3_REDIST_SIZE;
	unsigned int r;

	if (base + size < base)
		return -EINVAL;
	if (!v->nr_rd) {
		if (index)
			return -EINVAL;
	} else {
		if (!count && v->rd[v->nr_rd - 1].count)
			return -EINVAL;	/* REDIST after REDIST_REGION */
		if (!count)
			return -EEXIST;	/* REDIST twice */
		if (index != v->nr_rd)
			return -EINVAL;	/* not the next index, or after REDIST */
	}
	if (v->dist_base != HVL_VGIC_ADDR_UNDEF &&
	    hvl_ranges_overlap(base, size, v->dist_base, KVM_VGIC_V3_DIST_SIZE))
		return -EINVAL;
	for (r = 0; r < v->nr_rd; r++)
		if (hvl_ranges_overlap(base, size, v->rd[r].base, hvl_rd_size(vm, &v->rd[r])))
			return -EINVAL;
	if (!IS_ALIGNED(base, SZ_64K))
		return -EINVAL;
	if (base + size > BIT_ULL(vm->s2.ipa_bits))
		return -E2BIG;
	if (v->nr_rd == HVL_VGIC_MAX_RD_REGIONS)
		return -ENOSPC;
	if (vm->has_run)
		return -EBUSY;
	v->rd[v->nr_rd++] = (struct hvl_rd_region){ .base = base, .count = count };
	v->redist_legacy = !count;
	hvl_vgic_place(vm);
	return 0;
}

static int hvl_vgic_set_addr(struct hvl_vm *vm, u64 attr, u64 addr)
{
	struct hvl_vgic *v = vm->vgic;

	switch (attr) {
	case KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION:
		/* count [63:52], base [51:16], flags [15:12], index [11:0] */
		if (!FIELD_GET(RDIST_COUNT_MASK, addr) ||
		    FIELD_GET(RDIST_FLAGS_MASK, addr))
			return -EINVAL;
		return hvl_vgic_add_region(vm, addr & RDIST_INDEX_MASK,
					   addr & RDIST_BASE_MASK,
					   FIELD_GET(RDIST_COUNT_MASK, addr));
	case KVM_VGIC_V3_ADDR_TYPE_REDIST:
		if (v->nr_rd && !v->redist_legacy)
			return -EINVAL;
		return hvl_vgic_add_region(vm, 0, addr, 0);
	case KVM_VGIC_V3_ADDR_TYPE_DIST:
		if (!IS_ALIGNED(addr, SZ_64K))
			return -EINVAL;
		if (addr + KVM_VGIC_V3_DIST_SIZE < addr ||
		    addr + KVM_VGIC_V3_DIST_SIZE > BIT_ULL(vm->s2.ipa_bits))
			return -E2BIG;
		if (v->dist_base != HVL_VGIC_ADDR_UNDEF)
			return -EEXIST;
		if (vm->has_run)
			return -EBUSY;
		v->dist_base = addr;
		return 0;
	default:
		return -ENODEV;
	}
}

/* GET of an address; REDIST_REGION reads the index from the user's value. */
static int hvl_vgic_get_addr(struct hvl_vgic *v, u64 attr, u64 in, u64 *out)
{
	const struct hvl_rd_region *rd;
	u32 index = in & RDIST_INDEX_MASK;

	switch (attr) {
	case KVM_VGIC_V3_ADDR_TYPE_DIST:
		*out = v->dist_base;
		return 0;
	case KVM_VGIC_V3_ADDR_TYPE_REDIST:
		*out = v->redist_legacy ? v->rd[0].base : HVL_VGIC_ADDR_UNDEF;
		return 0;
	default:
		if (v->redist_legacy || index >= v->nr_rd)
			return -ENOENT;
		rd = &v->rd[index];
		*out = FIELD_PREP(RDIST_COUNT_MASK, (u64)rd->count) | rd->base | index;
		return 0;
	}
}

/* The register and line-level state, for save/restore and for tests. */
static int hvl_vgic_state_attr(struct hvl_vm *vm, unsigned int ioctl, struct kvm_device_attr *a)
{
	u32 __user *u32p = u64_to_user_ptr(a->addr);
	bool write = ioctl == KVM_SET_DEVICE_ATTR;
	u32 val = 0;
	int ret;

	/* As KVM: an unknown vCPU (attr[63:32]) first, then the init state. */
	if (a->group != KVM_DEV_ARM_VGIC_GRP_DIST_REGS &&
	    !hvl_vgic_vcpu_by_mpidr(vm, a->attr >> KVM_DEV_ARM_VGIC_V3_MPIDR_SHIFT))
		return -EINVAL;
	if (!vm->vgic->initialized)
		return -EBUSY;
	if (ioctl == KVM_HAS_DEVICE_ATTR)
		return 0;
	if (write && get_user(val, u32p))
		return -EFAULT;
	if (a->group == KVM_DEV_ARM_VGIC_GRP_LEVEL_INFO)
		ret = hvl_vgic_level_attr(vm, a->attr, write, &val);
	else
		ret = hvl_vgic_reg_attr(vm, a->group == KVM_DEV_ARM_VGIC_GRP_REDIST_REGS,
					a->attr, write, &val);
	if (!ret && !write && put_user(val, u32p))
		return -EFAULT;
	return ret;
}

static int hvl_vgic_attr(struct hvl_vm *vm, unsigned int ioctl, struct kvm_device_attr *a)
{
	struct hvl_vgic *v = vm->vgic;
	u64 __user *u64p = u64_to_user_ptr(a->addr);
	u32 __user *u32p = u64_to_user_ptr(a->addr);
	u64 val;
	u32 nr;
	int ret;

	lockdep_assert_held(&vm->lock);
	switch (a->group) {
	case KVM_DEV_ARM_VGIC_GRP_ADDR:
		if (a->attr != KVM_VGIC_V3_ADDR_TYPE_DIST &&
		    a->attr != KVM_VGIC_V3_ADDR_TYPE_REDIST &&
		    a->attr != KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION)
			return -ENXIO;
		if (ioctl == KVM_HAS_DEVICE_ATTR)
			return 0;
		if (get_user(val, u64p))
			return -EFAULT;
		if (ioctl == KVM_SET_DEVICE_ATTR)
			return hvl_vgic_set_addr(vm, a->attr, val);
		ret = hvl_vgic_get_addr(v, a->attr, val, &val);
		if (ret)
			return ret;
		return put_user(val, u64p) ? -EFAULT : 0;
	case KVM_DEV_ARM_VGIC_GRP_NR_IRQS:
		if (a->attr)
			return -ENXIO;
		if (ioctl == KVM_HAS_DEVICE_ATTR)
			return 0;
		if (ioctl == KVM_GET_DEVICE_ATTR)
			return put_user(v->nr_irqs ?: HVL_VGIC_DEFAULT_IRQS, u32p) ? -EFAULT : 0;
		if (get_user(nr, u32p))
			return -EFAULT;
		if (nr < HVL_VGIC_NR_PRIVATE + 32 || nr > HVL_VGIC_MAX_IRQS - 4 || nr % 32)
			return -EINVAL;
		if (v->initialized || v->nr_irqs)
			return -EBUSY;
		v->nr_irqs = nr;
		return 0;
	case KVM_DEV_ARM_VGIC_GRP_DIST_REGS:
	case KVM_DEV_ARM_VGIC_GRP_REDIST_REGS:
	case KVM_DEV_ARM_VGIC_GRP_LEVEL_INFO:
		return hvl_vgic_state_attr(vm, ioctl, a);
	case KVM_DEV_ARM_VGIC_GRP_CTRL:
		if (a->attr != KVM_DEV_ARM_VGIC_CTRL_INIT)
			return -ENXIO;
		if (ioctl == KVM_HAS_DEVICE_ATTR)
			return 0;
		if (ioctl == KVM_GET_DEVICE_ATTR)
			return -ENXIO;
		return hvl_vgic_init_locked(vm);
	default:
		return -ENXIO;
	}
}

static long hvl_vgic_ioctl(struct file *file, unsigned int ioctl, unsigned long arg)
{
	struct hvl_vm *vm = file->private_data;
	struct kvm_device_attr a;
	int ret;

	if (vm->mm != current->mm)
		return -EIO;
	if (ioctl != KVM_SET_DEVICE_ATTR && ioctl != KVM_GET_DEVICE_ATTR &&
	    ioctl != KVM_HAS_DEVICE_ATTR)
		return -ENOTTY;
	if (copy_from_user(&a, (void __user *)arg, sizeof(a)))
		return -EFAULT;
	if (a.flags)
		return -EINVAL;
	mutex_lock(&vm->lock);
	ret = hvl_vgic_attr(vm, ioctl, &a);
	mutex_unlock(&vm->lock);
	return ret;
}

static int hvl_vgic_release(struct inode *inode, struct file *file)
{
	hvl_vm_put(file->private_data);
	return 0;
}

static const struct file_operations hvl_vgic_fops = {
	.owner = THIS_MODULE,
	.release = hvl_vgic_release,
	.unlocked_ioctl = hvl_vgic_ioctl,
	.llseek = noop_llseek,
};

/* KVM_CREATE_DEVICE: only KVM_DEV_TYPE_ARM_VGIC_V3, once per VM, before any run. */
int hvl_vgic_create_device(struct hvl_vm *vm, void __user *argp)
{
	struct kvm_create_device cd;
	struct hvl_vgic *v;
	int fd;

	if (copy_from_user(&cd, argp, sizeof(cd)))
		return -EFAULT;
	if (cd.flags & ~KVM_CREATE_DEVICE_TEST)
		return -EINVAL;
	if (cd.type != KVM_DEV_TYPE_ARM_VGIC_V3)
		return -ENODEV;
	if (cd.flags & KVM_CREATE_DEVICE_TEST)
		return 0;
	mutex_lock(&vm->lock);
	if (vm->vgic) {
		fd = -EEXIST;
		goto out;
	}
	if (vm->has_run) {
		fd = -EBUSY;
		goto out;
	}
	v = kzalloc(struct_size(v, cpus, HVL_MAX_VCPUS), GFP_KERNEL_ACCOUNT);
	if (!v) {
		fd = -ENOMEM;
		goto out;
	}
	spin_lock_init(&v->lock);
	v->dist_base = HVL_VGIC_ADDR_UNDEF;
	vm->vgic = v;
	kref_get(&vm->ref);
	fd = anon_inode_getfd("hvlite-vgic-v3", &hvl_vgic_fops, vm, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		refcount_dec(&vm->ref.refcount);
		goto out;
	}
	cd.fd = fd;
	if (copy_to_user(argp, &cd, sizeof(cd))) {
		/* The fd exists; as KVM, report the fault and leave it to close. */
		fd = -EFAULT;
	}
out:
	mutex_unlock(&vm->lock);
	return fd < 0 ? fd : 0;
}

/*
 * KVM_IRQ_LINE's target: @num on @*vcpu (a PPI) or on the VM (an SPI),
 * checked in KVM's order (kvm_vm_ioctl_irq_line(), kvm_vgic_inject_irq()):
 * the type and the vCPU, the INTID's kind, the vGIC's initialization, then
 * the INTID's range. hvlite has no userspace irqchip: the CPU type (IRQ/FIQ
 * lines) is ENXIO, as KVM answers it once an in-kernel vGIC exists.
 */
static int hvl_irq_line_target(struct hvl_vm *vm, u32 type, u32 vid, u32 num,
			       struct hvl_vcpu **vcpu)
{
	switch (type) {
	case KVM_ARM_IRQ_TYPE_CPU:
		return -ENXIO;
	case KVM_ARM_IRQ_TYPE_PPI:
		if (!vm->vgic)
			return -ENXIO;
		*vcpu = vid < HVL_MAX_VCPUS ? vm->vcpus[vid] : NULL;
		if (!*vcpu || num < HVL_VGIC_NR_SGIS || num >= HVL_VGIC_NR_PRIVATE)
			return -EINVAL;
		break;
	case KVM_ARM_IRQ_TYPE_SPI:
		if (!vm->vgic)
			return -ENXIO;
		if (num < HVL_VGIC_NR_PRIVATE)
			return -EINVAL;
		break;
	default:
		return -EINVAL;
	}
	/* As KVM: a GICv3 takes interrupts only once CTRL_INIT made it. */
	if (!smp_load_acquire(&vm->vgic->initialized))
		return -EBUSY;
	if (*vcpu ? !vm->vgic->cpus[vid] : num >= vm->vgic->nr_irqs)
		return -EINVAL;
	return 0;
}

/* KVM_IRQ_LINE with the arm64 encoding: SPI or per-vCPU PPI, level or edge. */
int hvl_vgic_irq_line(struct hvl_vm *vm, void __user *argp)
{
	struct kvm_irq_level l;
	u32 type, vidx, num;
	struct hvl_vcpu *vcpu = NULL;
	struct hvl_irq *irq;
	int ret;

	if (copy_from_user(&l, argp, sizeof(l)))
		return -EFAULT;
	type = (l.irq >> KVM_ARM_IRQ_TYPE_SHIFT) & KVM_ARM_IRQ_TYPE_MASK;
	vidx = ((l.irq >> KVM_ARM_IRQ_VCPU_SHIFT) & KVM_ARM_IRQ_VCPU_MASK) |
	       (((l.irq >> KVM_ARM_IRQ_VCPU2_SHIFT) & KVM_ARM_IRQ_VCPU2_MASK) << 8);
	num = (l.irq >> KVM_ARM_IRQ_NUM_SHIFT) & KVM_ARM_IRQ_NUM_MASK;
	ret = hvl_irq_line_target(vm, type, vidx, num, &vcpu);
	if (ret)
		return ret;
	spin_lock(&vm->vgic->lock);
	irq = hvl_vgic_irq(vm, vcpu, num);
	/* As KVM: every level = 1 on an edge interrupt is an edge. */
	if (irq->edge && l.level)
		irq->pending_latch = true;
	irq->line_level = l.level;
	if (l.level)
		hvl_vgic_mark_live(vm->vgic, irq);
	spin_unlock(&vm->vgic->lock);
	if (l.level)
		hvl_vgic_kick_target(vm, num, vcpu);
	return 0;
}
