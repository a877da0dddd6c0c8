// SPDX-License-Identifier: GPL-2.0-only
/*
 * EL2: the world switch. Saves the host's EL1 state, loads the vCPU's and
 * the EL2 controls it runs under, enters the guest until an exit EL1 must
 * see, and puts the host back. Exits that need no host decision are
 * answered here (hyp_fast_exit()).
 */
#include <linux/arm-smccc.h>
#include <uapi/linux/psci.h>
#include <asm/esr.h>
#include <asm/kvm_arm.h>
#include <asm/sysreg.h>
#include "hyp.h"
#include "psci.h"

#define CNTHP_CTL_ENABLE	BIT(0)
#define CNTHP_CTL_ISTATUS	BIT(2)

static struct hvl_hyp_cpu *hyp_this_cpu(void)
{
	return (struct hvl_hyp_cpu *)read_sysreg(tpidr_el2);
}

/* The EL1 registers of enum hvl_sysreg but MDSCR_EL1, as they are now. */
static void hyp_sysregs_save(u64 *r)
{
	r[HVL_SCTLR_EL1] = read_sysreg(sctlr_el1);
	r[HVL_CPACR_EL1] = read_sysreg(cpacr_el1);
	r[HVL_TTBR0_EL1] = read_sysreg(ttbr0_el1);
	r[HVL_TTBR1_EL1] = read_sysreg(ttbr1_el1);
	r[HVL_TCR_EL1] = read_sysreg(tcr_el1);
	r[HVL_ESR_EL1] = read_sysreg(esr_el1);
	r[HVL_AFSR0_EL1] = read_sysreg(afsr0_el1);
	r[HVL_AFSR1_EL1] = read_sysreg(afsr1_el1);
	r[HVL_FAR_EL1] = read_sysreg(far_el1);
	r[HVL_MAIR_EL1] = read_sysreg(mair_el1);
	r[HVL_VBAR_EL1] = read_sysreg(vbar_el1);
	r[HVL_CONTEXTIDR_EL1] = read_sysreg(contextidr_el1);
	r[HVL_AMAIR_EL1] = read_sysreg(amair_el1);
	r[HVL_CNTKCTL_EL1] = read_sysreg(cntkctl_el1);
	r[HVL_PAR_EL1] = read_sysreg(par_el1);
	r[HVL_TPIDR_EL1] = read_sysreg(tpidr_el1);
	r[HVL_SP_EL1] = read_sysreg(sp_el1);
	r[HVL_ELR_EL1] = read_sysreg(elr_el1);
	r[HVL_SPSR_EL1] = read_sysreg(spsr_el1);
	r[HVL_TPIDR_EL0] = read_sysreg(tpidr_el0);
	r[HVL_TPIDRRO_EL0] = read_sysreg(tpidrro_el0);
	r[HVL_CSSELR_EL1] = read_sysreg(csselr_el1);
	r[HVL_CNTV_CTL_EL0] = read_sysreg(cntv_ctl_el0);
	r[HVL_CNTV_CVAL_EL0] = read_sysreg(cntv_cval_el0);
}

static void hyp_sysregs_load(const u64 *r)
{
	write_sysreg(r[HVL_SCTLR_EL1], sctlr_el1);
	write_sysreg(r[HVL_CPACR_EL1], cpacr_el1);
	write_sysreg(r[HVL_TTBR0_EL1], ttbr0_el1);
	write_sysreg(r[HVL_TTBR1_EL1], ttbr1_el1);
	write_sysreg(r[HVL_TCR_EL1], tcr_el1);
	write_sysreg(r[HVL_ESR_EL1], esr_el1);
	write_sysreg(r[HVL_AFSR0_EL1], afsr0_el1);
	write_sysreg(r[HVL_AFSR1_EL1], afsr1_el1);
	write_sysreg(r[HVL_FAR_EL1], far_el1);
	write_sysreg(r[HVL_MAIR_EL1], mair_el1);
	write_sysreg(r[HVL_VBAR_EL1], vbar_el1);
	write_sysreg(r[HVL_CONTEXTIDR_EL1], contextidr_el1);
	write_sysreg(r[HVL_AMAIR_EL1], amair_el1);
	write_sysreg(r[HVL_CNTKCTL_EL1], cntkctl_el1);
	write_sysreg(r[HVL_PAR_EL1], par_el1);
	write_sysreg(r[HVL_TPIDR_EL1], tpidr_el1);
	write_sysreg(r[HVL_SP_EL1], sp_el1);
	write_sysreg(r[HVL_ELR_EL1], elr_el1);
	write_sysreg(r[HVL_SPSR_EL1], spsr_el1);
	write_sysreg(r[HVL_TPIDR_EL0], tpidr_el0);
	write_sysreg(r[HVL_TPIDRRO_EL0], tpidrro_el0);
	write_sysreg(r[HVL_CSSELR_EL1], csselr_el1);
	write_sysreg(r[HVL_CNTV_CTL_EL0], cntv_ctl_el0);
	write_sysreg(r[HVL_CNTV_CVAL_EL0], cntv_cval_el0);
}

static void hyp_host_save(struct hvl_host_state *h)
{
	hyp_sysregs_save(h->sys);
	h->mdscr_el1 = read_sysreg(mdscr_el1);
	h->sp_el0 = read_sysreg(sp_el0);
	h->hcr_el2 = read_sysreg(hcr_el2);
	h->cptr_el2 = read_sysreg(cptr_el2);
	h->mdcr_el2 = read_sysreg(mdcr_el2);
	h->cnthctl_el2 = read_sysreg(cnthctl_el2);
	h->vmpidr_el2 = read_sysreg(vmpidr_el2);
	h->vpidr_el2 = read_sysreg(vpidr_el2);
}

/* The host runs with VTTBR_EL2 = 0: EL1&0 TLB entries are tagged by VMID. */
static void hyp_host_restore(const struct hvl_host_state *h)
{
	write_sysreg(0, cnthp_ctl_el2);
	write_sysreg(h->hcr_el2, hcr_el2);
	write_sysreg(0, vttbr_el2);
	write_sysreg(0, cntvoff_el2);
	write_sysreg(h->cptr_el2, cptr_el2);
	write_sysreg(h->mdcr_el2, mdcr_el2);
	write_sysreg(h->cnthctl_el2, cnthctl_el2);
	write_sysreg(h->vmpidr_el2, vmpidr_el2);
	write_sysreg(h->vpidr_el2, vpidr_el2);
	hyp_sysregs_load(h->sys);
	write_sysreg(h->mdscr_el1, mdscr_el1);
	write_sysreg(h->sp_el0, sp_el0);
	isb();
}

static void hyp_guest_load(struct hvl_hyp_cpu *c, const struct hvl_vcpu_ctxt *g)
{
	hyp_sysregs_load(g->sys);
	if (g->flags & HVL_CTXT_DEBUG_REGS)
		hvl_hyp_debug_to_guest(&c->host, g);
	write_sysreg(g->mdscr_el1, mdscr_el1);
	write_sysreg(g->vmpidr_el2, vmpidr_el2);
	write_sysreg(g->vpidr_el2, vpidr_el2);
	write_sysreg(g->vtcr_el2, vtcr_el2);
	write_sysreg(g->vttbr_el2, vttbr_el2);
	write_sysreg(g->cntvoff_el2, cntvoff_el2);
	write_sysreg(g->cnthctl_el2, cnthctl_el2);
	write_sysreg(g->cptr_el2, cptr_el2);
	write_sysreg(g->mdcr_el2 | (c->host.mdcr_el2 & MDCR_EL2_HPMN_MASK), mdcr_el2);
	write_sysreg(g->hcr_el2, hcr_el2);
	__hvl_fpsimd_load((struct hvl_vcpu_ctxt *)g);
	if (g->ich_hcr)
		hvl_hyp_vgic_load(g);
	/* Preemption: the EL2 physical timer (INTID 26) bounds this entry. */
	write_sysreg(g->cnthp_tval, cnthp_tval_el2);
	write_sysreg(CNTHP_CTL_ENABLE, cnthp_ctl_el2);
	isb();
}

static void hyp_guest_save(struct hvl_vcpu_ctxt *g)
{
	/* Whether CNTHP ended this entry: the host never sees its interrupt. */
	g->el2_timer_fired = read_sysreg(cnthp_ctl_el2) & CNTHP_CTL_ISTATUS;
	write_sysreg(0, cnthp_ctl_el2);
	if (g->ich_hcr)
		hvl_hyp_vgic_save(g);
	g->esr_el2 = read_sysreg(esr_el2);
	g->far_el2 = read_sysreg(far_el2);
	g->hpfar_el2 = read_sysreg(hpfar_el2);
	__hvl_fpsimd_save(g);
	hyp_sysregs_save(g->sys);
}

/*
 * Version and PSCI feature queries from the guest need no host decision:
 * answer them here and go straight back (HVC: ELR_EL2 already points past
 * it). SMCCC_ARCH_FEATURES depends on the VM's firmware bitmaps: EL1's.
 * Must agree with the EL1 handler (core/hypercall.c), which answers them
 * when they arrive by SMC.
 */
static bool hyp_fast_hvc(struct hvl_vcpu_ctxt *g)
{
	u32 fn = g->x[0];

	/* SMCCC: x1-x3 are results too; zero them as KVM does. */
	switch (fn) {
	case PSCI_0_2_FN_PSCI_VERSION:
		g->x[0] = PSCI_VERSION(1, 1);
		return true;
	case PSCI_1_0_FN_PSCI_FEATURES:
		g->x[0] = hvl_psci_fn_supported(g->x[1]) ? 0 : PSCI_RET_NOT_SUPPORTED;
		return true;
	case ARM_SMCCC_VERSION_FUNC_ID:
		g->x[0] = ARM_SMCCC_VERSION_1_1;
		return true;
	default:
		return false;
	}
}

static bool hyp_fast_hvc_ret(struct hvl_vcpu_ctxt *g)
{
	if (!hyp_fast_hvc(g))
		return false;
	g->x[1] = 0;
	g->x[2] = 0;
	g->x[3] = 0;
	return true;
}

static bool hyp_fast_exit(struct hvl_vcpu_ctxt *g, u64 exit)
{
	if (exit != HVL_EXIT_SYNC || !(g->flags & HVL_CTXT_FAST_HVC) ||
	    ESR_ELx_EC(read_sysreg(esr_el2)) != ESR_ELx_EC_HVC64 ||
	    !hyp_fast_hvc_ret(g))
		return false;
	g->fast_exits++;
	return true;
}

/* HVL_HC_VCPU_RUN: run @g until an exit EL1 must handle. */
u64 hvl_hyp_vcpu_run(struct hvl_vcpu_ctxt *g)
{
	struct hvl_hyp_cpu *c = hyp_this_cpu();
	u64 exit;

	hyp_host_save(&c->host);
	c->guest = (u64)g;
	hyp_guest_load(c, g);
	do {
		exit = __hvl_guest_enter(g, c->host.gprs);
	} while (hyp_fast_exit(g, exit));
	hyp_guest_save(g);
	if (g->flags & HVL_CTXT_DEBUG_REGS)
		hvl_hyp_debug_to_host(&c->host, g);
	hyp_host_restore(&c->host);
	c->guest = 0;
	return exit;
}

/* An EL2 fault while a guest's state was loaded: give the host its own. */
void hvl_hyp_fault_recover(void)
{
	struct hvl_hyp_cpu *c = hyp_this_cpu();
	struct hvl_vcpu_ctxt *g = (struct hvl_vcpu_ctxt *)c->guest;

	write_sysreg_s(0, SYS_ICH_HCR_EL2);
	if (g->flags & HVL_CTXT_DEBUG_REGS)
		hvl_hyp_debug_to_host(&c->host, g);
	hyp_host_restore(&c->host);
	c->guest = 0;
}
