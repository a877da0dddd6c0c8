/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The virtual GICv3: one distributor and one redistributor per vCPU,
 * emulated at EL1 (vgic-mmio.c), delivered through the list registers
 * (vgic.c builds them, hyp/vgic-sr.c loads them). All interrupt state of a
 * VM is under hvl_vgic.lock, which nests inside hvl_vm.lock and never the
 * other way round.
 */
#ifndef __HVLITE_VGIC_H__
#define __HVLITE_VGIC_H__

#include <linux/spinlock.h>
#include <linux/types.h>

#define HVL_VGIC_NR_PRIVATE	32
#define HVL_VGIC_NR_SGIS	16
#define HVL_VGIC_DEFAULT_IRQS	256		/* as KVM: 224 SPIs */
#define HVL_VGIC_MAX_IRQS	1024
#define HVL_VGIC_VTIMER_INTID	27
#define HVL_VGIC_PTIMER_INTID	30
#define HVL_VGIC_ADDR_UNDEF	(~0ULL)

struct hvl_vcpu;
struct hvl_vm;

/* One interrupt's state (Arm GIC architecture spec, IHI 0069, 4.1). */
struct hvl_irq {
	u64 route;		/* SPIs: GICD_IROUTER (Aff3.Aff2.Aff1.Aff0, IRM) */
	u8 priority;
	bool enabled;
	bool group1;
	bool edge;		/* GICD_ICFGR: edge-triggered */
	bool pending_latch;	/* an edge, or a GICD_ISPENDR write */
	bool line_level;	/* level-triggered input */
	bool active;
};

struct hvl_vgic_cpu {
	struct hvl_irq private[HVL_VGIC_NR_PRIVATE];
	u32 lr_intid[16];	/* which interrupt each used list register holds */
	u16 lr_latched;		/* LRs whose pending state came from pending_latch */
	u32 nr_used_lr;
	bool sleeping;		/* GICR_WAKER.ProcessorSleep */
};

#define HVL_VGIC_MAX_RD_REGIONS	16

/*
 * A redistributor region: KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION (count > 0),
 * or the legacy KVM_VGIC_V3_ADDR_TYPE_REDIST (count 0: as many as vCPUs).
 * vCPUs take its slots in creation order (hvl_vgic_place()).
 */
struct hvl_rd_region {
	u64 base;
	u32 count;
	u32 used;		/* slots given to vCPUs */
};

struct hvl_vgic {
	spinlock_t lock;	/* every interrupt's state; inside hvl_vm.lock */
	bool initialized;
	u32 nr_irqs;		/* SGIs + PPIs + SPIs */
	u64 dist_base;
	struct hvl_rd_region rd[HVL_VGIC_MAX_RD_REGIONS];	/* by index; vm.lock */
	u32 nr_rd;
	bool redist_legacy;
	u32 ctlr;		/* GICD_CTLR: EnableGrp0, EnableGrp1 */
	struct hvl_irq *spis;
	/*
	 * SPIs that may be pending or active: set wherever an SPI's latch,
	 * line or active state is set, cleared by the scans that find it
	 * idle. An entry looks at these instead of every SPI.
	 */
	unsigned long *spi_live;
	struct hvl_vgic_cpu *cpus[];	/* by vCPU id, allocated at init */
};

static inline bool hvl_irq_pending(const struct hvl_irq *irq)
{
	return irq->pending_latch || (!irq->edge && irq->line_level);
}

/* After setting @irq's latch, line or active state; under hvl_vgic.lock. */
static inline void hvl_vgic_mark_live(struct hvl_vgic *v, const struct hvl_irq *irq)
{
	if (irq >= v->spis && irq < v->spis + (v->nr_irqs - HVL_VGIC_NR_PRIVATE))
		__set_bit(irq - v->spis, v->spi_live);
}

/* vgic.c */
int hvl_vgic_create_device(struct hvl_vm *vm, void __user *argp);
int hvl_vgic_irq_line(struct hvl_vm *vm, void __user *argp);
int hvl_vgic_ensure_ready(struct hvl_vm *vm);
void hvl_vgic_destroy(struct hvl_vm *vm);
void hvl_vgic_flush(struct hvl_vcpu *vcpu);
void hvl_vgic_sync(struct hvl_vcpu *vcpu);
bool hvl_vgic_vcpu_pending(struct hvl_vcpu *vcpu);
void hvl_vgic_send_sgi(struct hvl_vcpu *vcpu, u64 val, bool group1);
struct hvl_irq *hvl_vgic_irq(struct hvl_vm *vm, struct hvl_vcpu *vcpu, u32 intid);
void hvl_vgic_kick_target(struct hvl_vm *vm, u32 intid, struct hvl_vcpu *owner);
void hvl_vgic_kick_others(struct hvl_vcpu *vcpu);
void hvl_vgic_place(struct hvl_vm *vm);
u64 hvl_vgic_rd_base(struct hvl_vm *vm, struct hvl_vcpu *vcpu);
bool hvl_vgic_rd_is_last(struct hvl_vm *vm, struct hvl_vcpu *vcpu);
int hvl_vgic_init_hw(void);

/* vgic-mmio.c */
struct hvl_vcpu *hvl_vgic_vcpu_by_mpidr(struct hvl_vm *vm, u32 packed);
bool hvl_vgic_mmio(struct hvl_vcpu *vcpu, u64 ipa, unsigned int len, bool write, u64 *val);
int hvl_vgic_reg_attr(struct hvl_vm *vm, bool redist, u64 attr, bool write, u32 *val);
int hvl_vgic_level_attr(struct hvl_vm *vm, u64 attr, bool write, u32 *val);

#endif /* __HVLITE_VGIC_H__ */
