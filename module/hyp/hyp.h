/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What EL1 and EL2 share: the per-CPU EL2 data block, the frame a host call
 * leaves on the EL2 stack, the host-call numbers and the EL2 address layout.
 * Included by EL2 C, EL2 assembly (through hyp-offsets.h) and EL1 C.
 */
#ifndef __HVLITE_HYP_H__
#define __HVLITE_HYP_H__

#include <linux/bits.h>
#include <linux/const.h>

/*
 * EL2 stage-1 virtual address layout (48-bit VA, TTBR0_EL2 only):
 *   [0,        2^46)  identity map: the one idmap page, VA == PA
 *   [2^46,     2^47)  linear window: HVL_HYP_LINEAR_BASE + PA
 *   [2^47,     2^48)  module and vmalloc space: kernel VA & GENMASK(47, 0)
 * Only what hvlite maps explicitly is valid; the rest faults.
 */
#define HVL_HYP_VA_BITS		48
#define HVL_HYP_LINEAR_BASE	BIT_ULL(46)
#define HVL_HYP_VMALLOC_BASE	BIT_ULL(47)
#define HVL_HYP_PA_LIMIT	BIT_ULL(46)
/* A page-aligned VA no mapping can ever cover (linear window, PA 2^46 - 4K). */
#define HVL_HYP_VA_GUARD	(HVL_HYP_VMALLOC_BASE - 0x1000)

/* Per-CPU EL2 block: struct hvl_hyp_cpu at its start, the EL2 stack above. */
#define HVL_HYP_CPU_ORDER	2
#define HVL_HYP_CPU_SIZE	(_AC(0x1000, UL) << HVL_HYP_CPU_ORDER)

/*
 * Host calls: x0 = number, x1-x4 arguments, results in x0-x3. x18-x30 and
 * SP are preserved, x4-x17 are not. Numbers below HVC_STUB_HCALL_NR keep
 * their hyp-stub meaning (Documentation/virt/kvm/arm/hyp-abi.rst); ours are
 * SMCCC fast-call ids in the vendor-hypervisor range.
 */
#define HVL_HC(n)		(_AC(0xc6000000, UL) | (n))
#define HVL_HC_PING		HVL_HC(0)
#define HVL_HC_TEST_FAULT	HVL_HC(1)
#define HVL_HC_VCPU_RUN		HVL_HC(2)	/* x1: EL2 VA of the vCPU context */
#define HVL_HC_FLUSH_VMID	HVL_HC(3)	/* x1: VTTBR_EL2 of the VM */
#define HVL_HC_READ_VTR		HVL_HC(4)	/* x1 = ICH_VTR_EL2 */

/* hvl_vcpu_ctxt.exit_code: how the guest left (which vector). */
#define HVL_EXIT_SYNC		0
#define HVL_EXIT_IRQ		1
#define HVL_EXIT_FIQ		2
#define HVL_EXIT_SERROR		3

#define HVL_HC_OK		_AC(0, UL)
#define HVL_HC_NOT_SUPPORTED	(~_AC(0, UL))		/* SMCCC_RET_NOT_SUPPORTED */
/* x0 after an exception taken at EL2 while serving the call (see fault.S). */
#define HVL_HC_EL2_FAULT	_AC(0x48564c46, UL)	/* "HVLF" */
/* x0 from the idmap init when an exception hit it; x1 = ESR_EL2. */
#define HVL_HC_INIT_FAULT	_AC(0x48564c49, UL)	/* "HVLI" */

/* GICv3 list registers: at most 16 (ICH_VTR_EL2.ListRegs). */
#define HVL_NR_LR		16

/* Hardware breakpoints and watchpoints: at most 16 of each (Arm ARM). */
#define HVL_NR_HW_DBG		16

#ifndef __ASSEMBLY__
#include <linux/types.h>

/*
 * EL1 registers switched between host and guest on every entry and exit
 * (hyp/switch.c), indexes into hvl_vcpu_ctxt.sys and hvl_host_state.sys.
 * The guest's MDSCR_EL1 is a shadow of what it wrote (debug registers trap);
 * the hardware runs the guest with 0.
 */
enum hvl_sysreg {
	HVL_SCTLR_EL1,
	HVL_CPACR_EL1,
	HVL_TTBR0_EL1,
	HVL_TTBR1_EL1,
	HVL_TCR_EL1,
	HVL_ESR_EL1,
	HVL_AFSR0_EL1,
	HVL_AFSR1_EL1,
	HVL_FAR_EL1,
	HVL_MAIR_EL1,
	HVL_VBAR_EL1,
	HVL_CONTEXTIDR_EL1,
	HVL_AMAIR_EL1,
	HVL_CNTKCTL_EL1,
	HVL_PAR_EL1,
	HVL_TPIDR_EL1,
	HVL_SP_EL1,
	HVL_ELR_EL1,
	HVL_SPSR_EL1,
	HVL_TPIDR_EL0,
	HVL_TPIDRRO_EL0,
	HVL_CSSELR_EL1,
	HVL_CNTV_CTL_EL0,
	HVL_CNTV_CVAL_EL0,
	HVL_MDSCR_EL1,		/* shadow only, never loaded */
	HVL_NR_SYSREGS
};

/**
 * struct hvl_vcpu_ctxt - a vCPU's architectural state and EL2 controls
 * @x: x0-x30
 * @sp_el0: SP_EL0
 * @pc: PC (ELR_EL2 at entry and exit)
 * @pstate: PSTATE (SPSR_EL2 at entry and exit)
 * @sys: EL1 system registers (enum hvl_sysreg)
 * @vregs: V0-V31
 * @fpsr: FPSR
 * @fpcr: FPCR
 * @hcr_el2: HCR_EL2 while this vCPU runs
 * @vttbr_el2: VTTBR_EL2 (VMID and Stage-2 root)
 * @vtcr_el2: VTCR_EL2
 * @vmpidr_el2: the MPIDR_EL1 the guest reads
 * @vpidr_el2: the MIDR_EL1 the guest reads
 * @cptr_el2: CPTR_EL2 while this vCPU runs
 * @mdcr_el2: MDCR_EL2 while this vCPU runs
 * @cnthctl_el2: CNTHCTL_EL2 while this vCPU runs
 * @cntvoff_el2: the VM's virtual counter offset
 * @cnthp_tval: EL2 physical timer ticks bounding one entry (preemption)
 * @exit_code: HVL_EXIT_*, set by EL2 on exit
 * @esr_el2: ESR_EL2 of a synchronous exit
 * @far_el2: FAR_EL2 of that exit
 * @hpfar_el2: HPFAR_EL2 of that exit
 * @fast_exits: exits answered at EL2 without returning to EL1
 * @el2_timer_fired: the entry ended with CNTHP asserted (set by EL2)
 * @flags: HVL_CTXT_* set by EL1 before entry
 * @mdscr_el1: the MDSCR_EL1 the hardware runs the guest with
 * @nr_brps: breakpoints to switch (HVL_CTXT_DEBUG_REGS)
 * @nr_wrps: watchpoints to switch (HVL_CTXT_DEBUG_REGS)
 * @dbg_bcr: DBGBCRn_EL1 to load (a debugger's, or the guest's own)
 * @dbg_bvr: DBGBVRn_EL1 to load
 * @dbg_wcr: DBGWCRn_EL1 to load
 * @dbg_wvr: DBGWVRn_EL1 to load
 * @ich_hcr: ICH_HCR_EL2 for the entry; 0 when the VM has no vGIC
 * @ich_vmcr: ICH_VMCR_EL2, kept across entries
 * @ich_misr: ICH_MISR_EL2 at the exit
 * @nr_lr: list registers in use (ICH_VTR_EL2.ListRegs + 1)
 * @nr_apr: ICH_AP1Rn_EL2 registers (by ICH_VTR_EL2.PRIbits)
 * @ich_ap1r: group 1 active priorities, kept across entries
 * @ich_lr: list registers, built by EL1, read back by EL2
 *
 * Allocated from the linear map and mapped at EL2; EL1 touches it only
 * while the vCPU is not running.
 */
struct hvl_vcpu_ctxt {
	u64 x[31];
	u64 sp_el0;
	u64 pc;
	u64 pstate;
	u64 sys[HVL_NR_SYSREGS];
	__uint128_t vregs[32] __aligned(16);
	u64 fpsr;
	u64 fpcr;
	u64 hcr_el2;
	u64 vttbr_el2;
	u64 vtcr_el2;
	u64 vmpidr_el2;
	u64 vpidr_el2;
	u64 cptr_el2;
	u64 mdcr_el2;
	u64 cnthctl_el2;
	u64 cntvoff_el2;
	u64 cnthp_tval;
	u64 exit_code;
	u64 esr_el2;
	u64 far_el2;
	u64 hpfar_el2;
	u64 fast_exits;
	u64 el2_timer_fired;
	u64 flags;
	u64 mdscr_el1;
	u64 nr_brps;
	u64 nr_wrps;
	u64 dbg_bcr[HVL_NR_HW_DBG];
	u64 dbg_bvr[HVL_NR_HW_DBG];
	u64 dbg_wcr[HVL_NR_HW_DBG];
	u64 dbg_wvr[HVL_NR_HW_DBG];
	u64 ich_hcr;
	u64 ich_vmcr;
	u64 ich_misr;
	u64 nr_lr;
	u64 nr_apr;
	u64 ich_ap1r[4];
	u64 ich_lr[HVL_NR_LR];
};

/* hvl_vcpu_ctxt.flags */
#define HVL_CTXT_FAST_HVC	BIT(0)	/* EL2 may answer PSCI/SMCCC queries */
#define HVL_CTXT_DEBUG_REGS	BIT(1)	/* load dbg_* into the hardware */

/**
 * struct hvl_host_state - what a guest entry saves of the host, per CPU
 * @sys: the host's EL1 system registers
 * @mdscr_el1: the host's MDSCR_EL1
 * @sp_el0: the host's SP_EL0 (its current task)
 * @hcr_el2: the host's (the stub's) HCR_EL2
 * @cptr_el2: the host's CPTR_EL2
 * @mdcr_el2: the host's MDCR_EL2
 * @cnthctl_el2: the host's CNTHCTL_EL2
 * @vmpidr_el2: the host's VMPIDR_EL2 (its MPIDR)
 * @vpidr_el2: the host's VPIDR_EL2 (its MIDR)
 * @gprs: EL2's own x18-x30 and SP around the guest run
 * @dbg_bcr: the host's DBGBCRn_EL1 while a guest's are loaded
 * @dbg_bvr: the host's DBGBVRn_EL1
 * @dbg_wcr: the host's DBGWCRn_EL1
 * @dbg_wvr: the host's DBGWVRn_EL1
 */
struct hvl_host_state {
	u64 sys[HVL_NR_SYSREGS];
	u64 mdscr_el1;
	u64 sp_el0;
	u64 hcr_el2;
	u64 cptr_el2;
	u64 mdcr_el2;
	u64 cnthctl_el2;
	u64 vmpidr_el2;
	u64 vpidr_el2;
	u64 gprs[14];
	u64 dbg_bcr[HVL_NR_HW_DBG];
	u64 dbg_bvr[HVL_NR_HW_DBG];
	u64 dbg_wcr[HVL_NR_HW_DBG];
	u64 dbg_wvr[HVL_NR_HW_DBG];
};

/**
 * struct hvl_hyp_cpu - one CPU's EL2 data, at the start of its EL2 block
 * @init_ttbr0: TTBR0_EL2 to load (PA of the EL2 stage-1 root table)
 * @init_tcr: TCR_EL2 to load
 * @init_mair: MAIR_EL2 to load (the host's MAIR_EL1: same attributes)
 * @init_sctlr_set: bits ORed into the stub's SCTLR_EL2 to turn the MMU on
 * @init_vbar: EL2 VA of the main vectors
 * @init_sp: EL2 VA of the top of this CPU's EL2 stack
 * @init_tpidr: EL2 VA of this structure
 * @idmap_teardown: PA (== EL2 VA) of the teardown routine in the idmap page
 * @stack_top: EL2 VA of the top of the stack (host frame lies just below)
 * @cpu: logical CPU number, answered by the ping call
 * @stub_vbar: VBAR_EL2 of the hyp stub, restored when EL2 is given back
 * @stub_sctlr: SCTLR_EL2 of the hyp stub, restored when EL2 is given back
 * @fault_esr: ESR_EL2 of the last exception taken at EL2
 * @fault_elr: ELR_EL2 of that exception
 * @fault_far: FAR_EL2 of that exception
 * @fault_spsr: SPSR_EL2 of that exception
 * @fault_count: exceptions taken at EL2 so far
 * @guest: EL2 VA of the vCPU context running on this CPU, or 0
 * @host: the host state saved around a guest run
 *
 * The init_* fields are read by EL2 with its MMU off: EL1 cleans them to the
 * Point of Coherency before the call.
 */
struct hvl_hyp_cpu {
	u64 init_ttbr0;
	u64 init_tcr;
	u64 init_mair;
	u64 init_sctlr_set;
	u64 init_vbar;
	u64 init_sp;
	u64 init_tpidr;
	u64 idmap_teardown;
	u64 stack_top;
	u64 cpu;
	u64 stub_vbar;
	u64 stub_sctlr;
	u64 fault_esr;
	u64 fault_elr;
	u64 fault_far;
	u64 fault_spsr;
	u64 fault_count;
	u64 guest;
	struct hvl_host_state host;
};

/**
 * struct hvl_host_frame - what a host call saves on the EL2 stack
 * @x: x0-x7, the call number and arguments in, the results out
 * @x18: x18-x30, restored when an EL2 fault abandons the call
 * @elr: ELR_EL2 of the host's hvc
 * @spsr: SPSR_EL2 of the host's hvc
 */
struct hvl_host_frame {
	u64 x[8];
	u64 x18[13];
	u64 elr;
	u64 spsr;
	u64 pad;
};

/* EL2 C entry points (module/hyp/). */
void hvl_hyp_host_hcall(struct hvl_host_frame *f);
u64 hvl_hyp_vcpu_run(struct hvl_vcpu_ctxt *g);
void hvl_hyp_debug_to_guest(struct hvl_host_state *h, const struct hvl_vcpu_ctxt *g);
void hvl_hyp_debug_to_host(const struct hvl_host_state *h, const struct hvl_vcpu_ctxt *g);
void hvl_hyp_vgic_load(const struct hvl_vcpu_ctxt *g);
void hvl_hyp_vgic_save(struct hvl_vcpu_ctxt *g);
u64 hvl_hyp_read_vtr(void);
void hvl_hyp_fault_recover(void);

/* EL2 assembly (module/hyp/entry.S). */
u64 __hvl_guest_enter(struct hvl_vcpu_ctxt *g, u64 *host_gprs);
void __hvl_fpsimd_load(struct hvl_vcpu_ctxt *g);
void __hvl_fpsimd_save(struct hvl_vcpu_ctxt *g);

/* Assembly symbols of module/hyp/, for their addresses only. */
extern char __hvl_vectors[];
extern char __hvl_idmap_start[], __hvl_idmap_end[];
extern char __hvl_idmap_init[], __hvl_idmap_teardown[], __hvl_idmap_restart_probe[];
#endif /* __ASSEMBLY__ */

#endif /* __HVLITE_HYP_H__ */
