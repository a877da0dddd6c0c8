// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guest debugging, KVM's way: KVM_SET_GUEST_DEBUG routes the guest's debug
 * exceptions to EL2 (MDCR_EL2.TDE) and each one ends KVM_RUN with
 * KVM_EXIT_DEBUG; the breakpoint list lives in userspace, which decides
 * whether an exception is its own. Without a debugger, a guest that arms
 * its own breakpoints gets its shadowed debug registers loaded instead.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/uaccess.h>
#include <asm/cpufeature.h>
#include <asm/debug-monitors.h>
#include <asm/esr.h>
#include <asm/kvm_arm.h>
#include <asm/sysreg.h>
#include "../vm.h"

#define HVL_GUESTDBG_VALID	(KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_SINGLESTEP | \
				 KVM_GUESTDBG_USE_SW_BP | KVM_GUESTDBG_USE_HW)
/* DBGBCR/DBGWCR: HMC, SSC and SSCE would let a match fire outside EL1/EL0. */
#define DBG_xCR_EL_SELECT	(BIT_ULL(13) | GENMASK_ULL(15, 14) | BIT_ULL(29))

static unsigned int hvl_nr_brps(void)
{
	u64 dfr0 = read_sanitised_ftr_reg(SYS_ID_AA64DFR0_EL1);

	return cpuid_feature_extract_unsigned_field(dfr0, ID_AA64DFR0_EL1_BRPs_SHIFT) + 1;
}

static unsigned int hvl_nr_wrps(void)
{
	u64 dfr0 = read_sanitised_ftr_reg(SYS_ID_AA64DFR0_EL1);

	return cpuid_feature_extract_unsigned_field(dfr0, ID_AA64DFR0_EL1_WRPs_SHIFT) + 1;
}

/* KVM_CAP_GUEST_DEBUG_HW_BPS / _WPS */
int hvl_debug_nr_hw(bool watchpoints)
{
	return watchpoints ? hvl_nr_wrps() : hvl_nr_brps();
}

int hvl_set_guest_debug(struct hvl_vcpu *vcpu, void __user *argp)
{
	struct kvm_guest_debug dbg;
	unsigned int i;

	if (copy_from_user(&dbg, argp, sizeof(dbg)))
		return -EFAULT;
	if (dbg.control & ~HVL_GUESTDBG_VALID)
		return -EINVAL;
	if (!(dbg.control & KVM_GUESTDBG_ENABLE))
		dbg.control = 0;
	for (i = 0; i < KVM_ARM_MAX_DBG_REGS; i++) {
		dbg.arch.dbg_bcr[i] &= ~DBG_xCR_EL_SELECT;
		dbg.arch.dbg_wcr[i] &= ~DBG_xCR_EL_SELECT;
	}
	vcpu->guest_debug = dbg.control;
	vcpu->dbg_arch = dbg.arch;
	vcpu->ss_pending = false;
	return 0;
}

/* The guest's own breakpoints: its shadows, when it enabled debug for itself. */
static bool hvl_guest_self_debug(struct hvl_vcpu *vcpu)
{
	u64 mdscr = vcpu->ctxt->sys[HVL_MDSCR_EL1];

	return (mdscr & (DBG_MDSCR_MDE | DBG_MDSCR_KDE | DBG_MDSCR_SS)) &&
	       !(vcpu->oslsr & BIT(1));
}

static void hvl_load_dbg_regs(struct hvl_vcpu_ctxt *g, const u64 *bcr, const u64 *bvr,
			      const u64 *wcr, const u64 *wvr)
{
	g->nr_brps = hvl_nr_brps();
	g->nr_wrps = hvl_nr_wrps();
	memcpy(g->dbg_bcr, bcr, sizeof(g->dbg_bcr));
	memcpy(g->dbg_bvr, bvr, sizeof(g->dbg_bvr));
	memcpy(g->dbg_wcr, wcr, sizeof(g->dbg_wcr));
	memcpy(g->dbg_wvr, wvr, sizeof(g->dbg_wvr));
	g->flags |= HVL_CTXT_DEBUG_REGS;
}

/*
 * Before an entry: MDCR_EL2.TDE, the MDSCR_EL1 the hardware runs with, the
 * breakpoint registers, and PSTATE.SS. A step whose instruction already
 * completed (in hardware, or emulated by hvlite) is active-pending: enter
 * with PSTATE.SS clear so the step exception comes before anything else runs.
 */
void hvl_debug_prepare(struct hvl_vcpu *vcpu)
{
	struct hvl_vcpu_ctxt *g = vcpu->ctxt;
	u32 dbg = vcpu->guest_debug;

	g->mdscr_el1 = 0;
	g->mdcr_el2 &= ~MDCR_EL2_TDE;
	/* PSTATE.SS is the guest's own unless hvlite single-steps it. */
	if (!dbg) {
		if (hvl_guest_self_debug(vcpu)) {
			g->mdscr_el1 = g->sys[HVL_MDSCR_EL1];
			hvl_load_dbg_regs(g, vcpu->dbg_bcr, vcpu->dbg_bvr, vcpu->dbg_wcr,
					  vcpu->dbg_wvr);
		}
		return;
	}
	g->mdcr_el2 |= MDCR_EL2_TDE;
	g->pstate &= ~DBG_SPSR_SS;
	if (dbg & KVM_GUESTDBG_SINGLESTEP) {
		g->mdscr_el1 |= DBG_MDSCR_SS;
		if (!vcpu->ss_pending)
			g->pstate |= DBG_SPSR_SS;
	}
	if (dbg & KVM_GUESTDBG_USE_HW) {
		g->mdscr_el1 |= DBG_MDSCR_MDE | DBG_MDSCR_KDE;
		hvl_load_dbg_regs(g, vcpu->dbg_arch.dbg_bcr, vcpu->dbg_arch.dbg_bvr,
				  vcpu->dbg_arch.dbg_wcr, vcpu->dbg_arch.dbg_wvr);
	}
}

/* After an exit: PSTATE.SS cleared by the hardware means the step completed. */
void hvl_debug_after_exit(struct hvl_vcpu *vcpu)
{
	if (vcpu->guest_debug & KVM_GUESTDBG_SINGLESTEP) {
		vcpu->ss_pending = !(vcpu->ctxt->pstate & DBG_SPSR_SS);
		vcpu->ctxt->pstate &= ~DBG_SPSR_SS;
	}
	vcpu->ctxt->flags &= ~HVL_CTXT_DEBUG_REGS;
}

/* BRK, hardware breakpoint, software step, watchpoint: KVM_EXIT_DEBUG. */
int hvl_handle_debug_exit(struct hvl_vcpu *vcpu)
{
	struct kvm_run *run = vcpu->run;
	u64 esr = vcpu->ctxt->esr_el2;

	if (!vcpu->guest_debug) {
		/* Only routed here with a debugger attached. */
		hvl_inject_undef(vcpu);
		return 1;
	}
	run->exit_reason = KVM_EXIT_DEBUG;
	run->debug.arch.hsr = lower_32_bits(esr);
	run->debug.arch.hsr_high = upper_32_bits(esr);
	run->flags = KVM_DEBUG_ARCH_HSR_HIGH_VALID;
	run->debug.arch.far = 0;
	if (ESR_ELx_EC(esr) == ESR_ELx_EC_WATCHPT_LOW)
		run->debug.arch.far = vcpu->ctxt->far_el2;
	if (ESR_ELx_EC(esr) == ESR_ELx_EC_SOFTSTP_LOW)
		vcpu->ss_pending = false;
	return 0;
}
