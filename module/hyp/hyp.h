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

#define HVL_HC_OK		_AC(0, UL)
#define HVL_HC_NOT_SUPPORTED	(~_AC(0, UL))		/* SMCCC_RET_NOT_SUPPORTED */
/* x0 after an exception taken at EL2 while serving the call (see fault.S). */
#define HVL_HC_EL2_FAULT	_AC(0x48564c46, UL)	/* "HVLF" */
/* x0 from the idmap init when an exception hit it; x1 = ESR_EL2. */
#define HVL_HC_INIT_FAULT	_AC(0x48564c49, UL)	/* "HVLI" */

#ifndef __ASSEMBLY__
#include <linux/types.h>

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

/* Assembly symbols of module/hyp/, for their addresses only. */
extern char __hvl_vectors[];
extern char __hvl_idmap_start[], __hvl_idmap_end[];
extern char __hvl_idmap_init[], __hvl_idmap_teardown[], __hvl_idmap_restart_probe[];
#endif /* __ASSEMBLY__ */

#endif /* __HVLITE_HYP_H__ */
