/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * VMs and vCPUs as the KVM ioctl ABI presents them (core/vm.c, core/vcpu.c)
 * and the pieces that serve them: Stage-2 (mmu/stage2.c), exit handling
 * (core/exit.c), system registers (core/sysregs.c), PSCI/SMCCC
 * (core/hypercall.c), register access (core/regs.c).
 *
 * Lock order: hvl_vcpu.lock, then hvl_vm.lock, then hvl_vm.power_lock or
 * hvl_vgic.lock. hvl_vcpu.lock is held for the whole of a vCPU ioctl,
 * KVM_RUN included; nothing takes it with hvl_vm.lock held.
 */
#ifndef __HVLITE_VM_H__
#define __HVLITE_VM_H__

#include <linux/kref.h>
#include <linux/hrtimer.h>
#include "kvm_compat.h"
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include "hvlite.h"
#include "vgic/vgic.h"

#define HVL_MAX_VCPUS		512
#define HVL_MAX_MEMSLOTS	32
#define HVL_DEFAULT_IPA_BITS	40
#define HVL_MIN_IPA_BITS	32
#define HVL_MAX_SMCCC_FILTERS	16
#define HVL_NR_DBG_REGS		16
#define HVL_NR_FW_BMAP		3	/* KVM_REG_ARM_{STD,STD_HYP,VENDOR_HYP}_BMAP */
#define HVL_INVALID_GPA		(~0ULL)

/* One Stage-2 translation: 4K granule, start level 0 or 1. */
struct hvl_s2 {
	u64 *pgd;
	unsigned int ipa_bits;
	unsigned int start_level;
	u16 vmid;
	u64 vtcr;
	u64 vttbr;
};

struct hvl_memslot {
	bool used;
	u32 id;			/* KVM slot number: as_id << 16 | slot */
	u32 flags;		/* KVM_MEM_* */
	u64 gpa;
	u64 size;
	u64 uaddr;
	struct page **pages;
	unsigned long npages;
};

struct hvl_smccc_filter {
	u32 base;
	u32 nr;
	u8 action;		/* KVM_SMCCC_FILTER_* */
};

struct hvl_vm {
	struct kref ref;
	struct mutex lock;		/* slots, vcpus, caps, filters */
	struct mm_struct *mm;		/* the creator's, for locked-memory accounting */
	struct hvl_s2 s2;
	struct hvl_memslot slots[HVL_MAX_MEMSLOTS];
	unsigned long locked_pages;
	struct hvl_vcpu *vcpus[HVL_MAX_VCPUS];
	unsigned int nr_vcpus;
	bool has_run;			/* configuration is frozen after the first KVM_RUN */
	bool nisv_to_user;		/* KVM_CAP_ARM_NISV_TO_USER */
	bool system_suspend;		/* KVM_CAP_ARM_SYSTEM_SUSPEND */
	u64 cntvoff;
	u64 cntpoff;			/* KVM_REG_ARM_PTIMER_CNT: the guest's physical counter */
	struct hvl_smccc_filter filters[HVL_MAX_SMCCC_FILTERS];
	unsigned int nr_filters;
	spinlock_t power_lock;		/* every vCPU's power state */
	struct hvl_vgic *vgic;		/* KVM_CREATE_DEVICE(VGIC_V3), or NULL */
	u64 fw_bmap[HVL_NR_FW_BMAP];	/* SMCCC services offered (core/smccc.c) */
};

struct hvl_vcpu {
	struct hvl_vm *vm;
	u32 id;
	struct mutex lock;		/* held for a whole vCPU ioctl */
	struct kvm_run *run;
	struct hvl_vcpu_ctxt *ctxt;	/* mapped at EL2 */
	bool initialized;
	u32 features;			/* KVM_ARM_VCPU_* init features */
	bool power_off;			/* under vm->power_lock */
	bool pending_reset;		/* CPU_ON: reset to the entry point */
	u64 reset_pc, reset_x0;
	wait_queue_head_t wq;
	struct task_struct *task;	/* in KVM_RUN, for kicks */
	bool wake;			/* a kick not yet seen by an entry or a WFI wait */
	struct hrtimer wfi_timer;	/* the guest's timer deadline in WFI */
	u64 ptimer_ctl, ptimer_cval;	/* the emulated physical timer (core/timer.c) */
	bool mmio_pending;		/* an MMIO exit waits for the next KVM_RUN */
	bool mmio_write;
	u8 mmio_rt, mmio_len;
	bool mmio_sse, mmio_sf;
	bool sw_flushed;		/* set/way: guest memory already cleaned */
	u64 dbg_bvr[HVL_NR_DBG_REGS], dbg_bcr[HVL_NR_DBG_REGS];
	u64 dbg_wvr[HVL_NR_DBG_REGS], dbg_wcr[HVL_NR_DBG_REGS];
	u64 oslsr, osdlr, mdccint, dbgprcr, actlr;
	u64 aarch32_sys[4];		/* DBGVCR32, DACR32, IFSR32, FPEXC32_EL2: storage only */
	u64 spsr32[KVM_NR_SPSR - 1];	/* AArch32 banked SPSRs (abt, und, irq, fiq) */
	u64 nr_exits;
	u32 guest_debug;		/* KVM_GUESTDBG_* */
	struct kvm_guest_debug_arch dbg_arch;	/* the debugger's registers */
	bool ss_pending;		/* single step: the step already happened */
	u64 s2_retry_ipa;		/* a Stage-2 fault in a slot, retried once */
	u32 idx;			/* creation order */
	s8 rd_region;			/* vGIC redistributor: region, or -1 */
	u16 rd_index;			/* and slot in it */
	u64 st_ipa;			/* PV stolen-time record, or HVL_INVALID_GPA */
	u64 st_last, st_steal;		/* run_delay at the last update; total */
	bool st_active;			/* the guest asked for it (PV_TIME_ST) */
};

/* mmu/stage2.c */
int hvl_s2_init(struct hvl_s2 *s2, unsigned int ipa_bits);
void hvl_s2_destroy(struct hvl_s2 *s2);
int hvl_s2_map(struct hvl_s2 *s2, u64 gpa, struct page **pages, unsigned long npages,
	       bool writable);
void hvl_s2_unmap(struct hvl_s2 *s2, u64 gpa, u64 size);
unsigned int hvl_s2_max_ipa_bits(void);
int hvl_vmid_init(void);
void hvl_vmid_exit(void);

/* core/vm.c */
int hvl_create_vm(unsigned long type);
int hvl_check_extension(struct hvl_vm *vm, long cap);
void hvl_vm_put(struct hvl_vm *vm);
struct hvl_memslot *hvl_find_slot(struct hvl_vm *vm, u64 gpa);
void hvl_vm_clean_dcache(struct hvl_vm *vm);

/* core/vcpu.c */
int hvl_create_vcpu(struct hvl_vm *vm, unsigned long id);
void hvl_vcpu_free(struct hvl_vcpu *vcpu);
void hvl_vcpu_kick(struct hvl_vcpu *vcpu);
void hvl_vcpu_reset(struct hvl_vcpu *vcpu);
int hvl_vcpu_block(struct hvl_vcpu *vcpu);

/* core/exit.c */
int hvl_handle_exit(struct hvl_vcpu *vcpu, u64 exit_code);
void hvl_mmio_complete(struct hvl_vcpu *vcpu);
void hvl_inject_undef(struct hvl_vcpu *vcpu);
void hvl_inject_abort(struct hvl_vcpu *vcpu, bool iabt, u64 addr);
void hvl_skip_instr(struct hvl_vcpu *vcpu);
bool hvl_pstate_valid(u64 pstate);
u64 hvl_get_reg(struct hvl_vcpu *vcpu, unsigned int rt);
void hvl_set_reg(struct hvl_vcpu *vcpu, unsigned int rt, u64 val);

/* core/sysregs.c */
int hvl_handle_sysreg(struct hvl_vcpu *vcpu);
bool hvl_is_id_reg(u32 enc);
u64 hvl_id_reg_value(struct hvl_vcpu *vcpu, u32 enc);
void hvl_sysregs_reset(struct hvl_vcpu *vcpu);
int hvl_sysreg_user(struct hvl_vcpu *vcpu, u32 enc, bool set, u64 *v);

/* core/timer.c */
u64 hvl_timer_ticks_left(struct hvl_vcpu *vcpu);
void hvl_timer_levels(struct hvl_vcpu *vcpu, bool *vlevel, bool *plevel);
bool hvl_timer_vtimer_asserted(struct hvl_vcpu *vcpu);
bool hvl_timer_sysreg(struct hvl_vcpu *vcpu, u32 enc, bool read, unsigned int rt);
u64 hvl_timer_cnthctl(struct hvl_vm *vm);
int hvl_timer_get_reg(struct hvl_vcpu *vcpu, u64 id, u64 *val);
int hvl_timer_set_reg(struct hvl_vcpu *vcpu, u64 id, u64 val);
void hvl_timer_reset(struct hvl_vcpu *vcpu);

/* core/smccc.c */
void hvl_smccc_vm_init(struct hvl_vm *vm);
bool hvl_smccc_service(struct hvl_vcpu *vcpu, u32 fn, u64 *r);
void hvl_pvtime_update(struct hvl_vcpu *vcpu);
int hvl_pvtime_attr(struct hvl_vcpu *vcpu, unsigned int ioctl, struct kvm_device_attr *a);
bool hvl_fw_reg_id(u64 id);
int hvl_fw_reg_get(struct hvl_vcpu *vcpu, u64 id, u64 *val);
int hvl_fw_reg_set(struct hvl_vcpu *vcpu, u64 id, u64 val);

/* core/hypercall.c */
int hvl_handle_hvc(struct hvl_vcpu *vcpu, bool smc);
int hvl_smccc_get_attr(struct hvl_vm *vm, struct kvm_device_attr *attr, bool has_only);
int hvl_smccc_set_attr(struct hvl_vm *vm, struct kvm_device_attr *attr);

/* core/debug.c */
int hvl_set_guest_debug(struct hvl_vcpu *vcpu, void __user *argp);
int hvl_debug_nr_hw(bool watchpoints);
void hvl_debug_prepare(struct hvl_vcpu *vcpu);
void hvl_debug_after_exit(struct hvl_vcpu *vcpu);
int hvl_handle_debug_exit(struct hvl_vcpu *vcpu);

/* core/introspect.c: hvlite's own VM-fd ioctls */
long hvl_vm_ioctl_ext(struct hvl_vm *vm, unsigned int cmd, void __user *argp);

/* core/regs.c */
int hvl_get_one_reg(struct hvl_vcpu *vcpu, const struct kvm_one_reg *reg);
int hvl_set_one_reg(struct hvl_vcpu *vcpu, const struct kvm_one_reg *reg);
int hvl_get_reg_list(struct hvl_vcpu *vcpu, struct kvm_reg_list __user *ulist);

/* core/el2.c: the preemption quantum (EL2 physical timer ticks). */
u64 hvl_quantum_ticks(void);
void hvl_vtimer_irq_prepare(bool asserted);
unsigned int hvl_quantum_us(void);

/* What hvlite holds, host-wide (HVLITE_GET_STATS). */
extern atomic64_t hvl_nr_vms, hvl_nr_vcpus, hvl_nr_pinned, hvl_nr_el2_timer_exits;
int hvl_el2_call_any(unsigned long id, unsigned long a1, struct hvl_hvc_res *res);

#endif /* __HVLITE_VM_H__ */
