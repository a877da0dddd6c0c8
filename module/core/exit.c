// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guest exits at EL1: dispatch by exception class, MMIO emulation through
 * KVM_EXIT_MMIO / KVM_EXIT_ARM_NISV, WFI/WFE, and exception injection.
 * Handlers return 1 to re-enter the guest, 0 to return to userspace with
 * run->exit_reason set, or a negative errno.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitfield.h>
#include <linux/sched.h>
#include <linux/swab.h>
#include <asm/cpufeature.h>
#include <asm/esr.h>
#include <asm/kvm_arm.h>
#include <asm/ptrace.h>
#include <asm/sysreg.h>
#include "../vm.h"

u64 hvl_get_reg(struct hvl_vcpu *vcpu, unsigned int rt)
{
	return rt == 31 ? 0 : vcpu->ctxt->x[rt];
}

void hvl_set_reg(struct hvl_vcpu *vcpu, unsigned int rt, u64 val)
{
	if (rt != 31)
		vcpu->ctxt->x[rt] = val;
}

/* Step over the trapped instruction: 2 bytes for a 16-bit T32 one (IL == 0). */
void hvl_skip_instr(struct hvl_vcpu *vcpu)
{
	vcpu->ctxt->pc += (vcpu->ctxt->esr_el2 & ESR_ELx_IL) ? 4 : 2;
	/* An emulated instruction is a completed single step. */
	if (vcpu->guest_debug & KVM_GUESTDBG_SINGLESTEP)
		vcpu->ss_pending = true;
}

/* AArch64 EL0t/EL1t/EL1h, or AArch32 User where the CPUs have AArch32 EL0. */
bool hvl_pstate_valid(u64 pstate)
{
	static int aa32_el0 = -1;
	u64 mode = pstate & (PSR_MODE_MASK | PSR_MODE32_BIT);

	if (mode == PSR_MODE_EL0t || mode == PSR_MODE_EL1t || mode == PSR_MODE_EL1h)
		return true;
	if ((pstate & PSR_AA32_MODE_MASK) != PSR_AA32_MODE_USR)
		return false;
	if (aa32_el0 < 0) {
		u64 pfr0 = read_sanitised_ftr_reg(SYS_ID_AA64PFR0_EL1);
		u64 el0 = cpuid_feature_extract_unsigned_field(pfr0, ID_AA64PFR0_EL1_EL0_SHIFT);

		aa32_el0 = el0 == 2;
	}
	return aa32_el0;
}

/*
 * Take a synchronous exception to the guest's EL1, as the CPU would
 * (Arm ARM D1.10): ELR/SPSR/ESR_EL1, then PC = VBAR_EL1 + offset, EL1h with
 * DAIF masked, PAN set unless SCTLR_EL1.SPAN, SSBS from SCTLR_EL1.DSSBS.
 */
static void hvl_inject_sync(struct hvl_vcpu *vcpu, u64 esr)
{
	struct hvl_vcpu_ctxt *g = vcpu->ctxt;
	u64 mode = g->pstate & PSR_MODE_MASK, sctlr = g->sys[HVL_SCTLR_EL1];
	u64 off = mode == PSR_MODE_EL1h ? 0x200 : mode == PSR_MODE_EL1t ? 0 : 0x400;

	/* From AArch32 EL0: the "lower EL using AArch32" vectors. */
	if (g->pstate & PSR_MODE32_BIT)
		off = 0x600;
	u64 pstate = PSR_MODE_EL1h | PSR_D_BIT | PSR_A_BIT | PSR_I_BIT | PSR_F_BIT;

	if (!(sctlr & SCTLR_EL1_SPAN))
		pstate |= PSR_PAN_BIT;
	if (sctlr & SCTLR_ELx_DSSBS)
		pstate |= PSR_SSBS_BIT;
	g->sys[HVL_ELR_EL1] = g->pc;
	g->sys[HVL_SPSR_EL1] = g->pstate;
	g->sys[HVL_ESR_EL1] = esr;
	g->pc = g->sys[HVL_VBAR_EL1] + off;
	g->pstate = pstate;
}

/* UNDEFINED instruction: ESR_EL1.EC = 0 with IL for the 32-bit instruction. */
void hvl_inject_undef(struct hvl_vcpu *vcpu)
{
	hvl_inject_sync(vcpu, FIELD_PREP(ESR_ELx_EC_MASK, ESR_ELx_EC_UNKNOWN) | ESR_ELx_IL);
}

/* Synchronous external abort on a data access or an instruction fetch. */
void hvl_inject_abort(struct hvl_vcpu *vcpu, bool iabt, u64 addr)
{
	bool from_el0 = (vcpu->ctxt->pstate & PSR_MODE_MASK) == PSR_MODE_EL0t ||
			(vcpu->ctxt->pstate & PSR_MODE32_BIT);
	u64 ec = iabt ? (from_el0 ? ESR_ELx_EC_IABT_LOW : ESR_ELx_EC_IABT_CUR) :
			(from_el0 ? ESR_ELx_EC_DABT_LOW : ESR_ELx_EC_DABT_CUR);

	hvl_inject_sync(vcpu, FIELD_PREP(ESR_ELx_EC_MASK, ec) | ESR_ELx_IL | ESR_ELx_FSC_EXTABT);
	vcpu->ctxt->sys[HVL_FAR_EL1] = addr;
}

static u64 hvl_fault_ipa(struct hvl_vcpu *vcpu)
{
	struct hvl_vcpu_ctxt *g = vcpu->ctxt;

	/* HPFAR_EL2.FIPA holds IPA[47:12]; the page offset comes from FAR_EL2. */
	return ((g->hpfar_el2 & HPFAR_MASK) << 8) | (g->far_el2 & ~PAGE_MASK);
}

static bool hvl_guest_big_endian(struct hvl_vcpu *vcpu)
{
	struct hvl_vcpu_ctxt *g = vcpu->ctxt;

	if ((g->pstate & PSR_MODE_MASK) == PSR_MODE_EL0t)
		return g->sys[HVL_SCTLR_EL1] & SCTLR_EL1_E0E;
	return g->sys[HVL_SCTLR_EL1] & SCTLR_ELx_EE;
}

static u64 hvl_mmio_swab(u64 v, unsigned int len)
{
	switch (len) {
	case 2:
		return swab16(v);
	case 4:
		return swab32(v);
	case 8:
		return swab64(v);
	default:
		return v;
	}
}

/*
 * The next KVM_RUN after an MMIO exit: a load takes run->mmio.data into Rt;
 * either way the PC steps past the instruction only now, as KVM does.
 */
void hvl_mmio_complete(struct hvl_vcpu *vcpu)
{
	unsigned int len = vcpu->mmio_len;
	u64 v = 0;

	vcpu->mmio_pending = false;
	hvl_skip_instr(vcpu);
	if (vcpu->mmio_write)
		return;

	memcpy(&v, vcpu->run->mmio.data, len);
	if (hvl_guest_big_endian(vcpu))
		v = hvl_mmio_swab(v, len);
	if (len < 8 && vcpu->mmio_sse)
		v = sign_extend64(v, len * 8 - 1);
	if (!vcpu->mmio_sf)
		v &= GENMASK_ULL(31, 0);
	hvl_set_reg(vcpu, vcpu->mmio_rt, v);
}

static int hvl_mmio_exit(struct hvl_vcpu *vcpu, u64 esr, u64 ipa)
{
	struct kvm_run *run = vcpu->run;
	unsigned int len = 1U << FIELD_GET(ESR_ELx_SAS, esr);
	unsigned int rt = FIELD_GET(ESR_ELx_SRT_MASK, esr);
	bool write = esr & ESR_ELx_WNR;
	u64 v;

	run->exit_reason = KVM_EXIT_MMIO;
	run->mmio.phys_addr = ipa;
	run->mmio.len = len;
	run->mmio.is_write = write;
	memset(run->mmio.data, 0, sizeof(run->mmio.data));
	if (write) {
		v = hvl_get_reg(vcpu, rt);
		if (hvl_guest_big_endian(vcpu))
			v = hvl_mmio_swab(v, len);
		memcpy(run->mmio.data, &v, len);
	}
	vcpu->mmio_pending = true;
	vcpu->mmio_write = write;
	vcpu->mmio_rt = rt;
	vcpu->mmio_len = len;
	vcpu->mmio_sse = esr & ESR_ELx_SSE;
	vcpu->mmio_sf = esr & ESR_ELx_SF;
	return 0;
}

/* A data abort without a valid instruction syndrome (ESR_EL2.ISV == 0). */
static int hvl_nisv_exit(struct hvl_vcpu *vcpu, u64 esr, u64 ipa)
{
	if (!vcpu->vm->nisv_to_user) {
		pr_warn_ratelimited("vCPU %u: MMIO access at IPA %#llx without a valid syndrome (ESR_EL2 %#llx); enable KVM_CAP_ARM_NISV_TO_USER to emulate it\n",
				    vcpu->id, ipa, esr);
		return -ENOSYS;
	}
	vcpu->run->exit_reason = KVM_EXIT_ARM_NISV;
	vcpu->run->arm_nisv.esr_iss = esr & (ESR_ELx_CM | ESR_ELx_WNR | ESR_ELx_FSC);
	vcpu->run->arm_nisv.fault_ipa = ipa;
	return 0;
}

/* An access to the vGIC's frames: emulated here, completed at once. */
static bool hvl_vgic_dabt(struct hvl_vcpu *vcpu, u64 esr, u64 ipa)
{
	unsigned int len = 1U << FIELD_GET(ESR_ELx_SAS, esr);
	unsigned int rt = FIELD_GET(ESR_ELx_SRT_MASK, esr);
	bool write = esr & ESR_ELx_WNR;
	u64 v = write ? hvl_get_reg(vcpu, rt) : 0;

	if (!hvl_vgic_mmio(vcpu, ipa, len, write, &v))
		return false;
	if (!write) {
		if (len < 8 && (esr & ESR_ELx_SSE))
			v = sign_extend64(v, len * 8 - 1);
		if (!(esr & ESR_ELx_SF))
			v &= GENMASK_ULL(31, 0);
		hvl_set_reg(vcpu, rt, v);
	}
	hvl_skip_instr(vcpu);
	return true;
}

static int hvl_handle_dabt(struct hvl_vcpu *vcpu)
{
	u64 esr = vcpu->ctxt->esr_el2, ipa = hvl_fault_ipa(vcpu);
	struct hvl_memslot *slot;

	/* Stage-1 table walk outside RAM: an external abort for the guest. */
	if (esr & ESR_ELx_S1PTW) {
		hvl_inject_abort(vcpu, false, vcpu->ctxt->far_el2);
		return 1;
	}
	if ((esr & ESR_ELx_ISV) && hvl_vgic_dabt(vcpu, esr, ipa))
		return 1;
	mutex_lock(&vcpu->vm->lock);
	slot = hvl_find_slot(vcpu->vm, ipa);
	mutex_unlock(&vcpu->vm->lock);
	/*
	 * Inside a slot only a write to read-only memory faults, or an access
	 * that raced with the slot being moved or created: it is mapped now, so
	 * the access is retried. A fault that persists is a bug: say so once
	 * and give the guest an external abort rather than loop.
	 */
	if (slot && !((slot->flags & KVM_MEM_READONLY) && (esr & ESR_ELx_WNR))) {
		if (vcpu->s2_retry_ipa != ipa) {
			vcpu->s2_retry_ipa = ipa;
			return 1;
		}
		vcpu->s2_retry_ipa = ~0ULL;
		pr_warn_ratelimited("vCPU %u: Stage-2 fault at IPA %#llx inside a slot persists (ESR_EL2 %#llx); external abort injected\n",
				    vcpu->id, ipa, esr);
		hvl_inject_abort(vcpu, false, vcpu->ctxt->far_el2);
		return 1;
	}
	vcpu->s2_retry_ipa = ~0ULL;
	/* Cache maintenance on MMIO has nothing to maintain (as KVM): skip it. */
	if (esr & ESR_ELx_CM) {
		hvl_skip_instr(vcpu);
		return 1;
	}
	if (!(esr & ESR_ELx_ISV) || (esr & ESR_ELx_FnV))
		return hvl_nisv_exit(vcpu, esr, ipa);
	return hvl_mmio_exit(vcpu, esr, ipa);
}

/* Instruction fetch from outside guest memory. */
static int hvl_handle_iabt(struct hvl_vcpu *vcpu)
{
	struct hvl_vcpu_ctxt *g = vcpu->ctxt;

	/* Often a guest exception taken with VBAR_EL1 unset: say which one. */
	pr_warn_ratelimited("vCPU %u: instruction fetch outside memory at IPA %#llx (guest ESR_EL1 %#llx ELR_EL1 %#llx); prefetch abort injected\n",
			    vcpu->id, hvl_fault_ipa(vcpu), g->sys[HVL_ESR_EL1],
			    g->sys[HVL_ELR_EL1]);
	hvl_inject_abort(vcpu, true, vcpu->ctxt->far_el2);
	return 1;
}

/*
 * WFI blocks the vCPU thread until something is pending for it (nothing
 * can be without an interrupt controller) or a signal; WFE yields.
 */
static int hvl_handle_wfx(struct hvl_vcpu *vcpu)
{
	hvl_skip_instr(vcpu);
	/* WFE: let whatever else wants this CPU run first. */
	if (vcpu->ctxt->esr_el2 & ESR_ELx_WFx_ISS_WFE) {
		cond_resched();
		return 1;
	}
	return hvl_vcpu_block(vcpu);
}

static int hvl_handle_undef(struct hvl_vcpu *vcpu)
{
	pr_warn_ratelimited("vCPU %u: unhandled exit ESR_EL2 %#llx at PC %#llx; UNDEF injected\n",
			    vcpu->id, vcpu->ctxt->esr_el2, vcpu->ctxt->pc);
	hvl_inject_undef(vcpu);
	return 1;
}

static int hvl_handle_sync(struct hvl_vcpu *vcpu)
{
	u64 esr = vcpu->ctxt->esr_el2;

	if (ESR_ELx_EC(esr) != ESR_ELx_EC_SYS64)
		vcpu->sw_flushed = false;
	switch (ESR_ELx_EC(esr)) {
	case ESR_ELx_EC_DABT_LOW:
		return hvl_handle_dabt(vcpu);
	case ESR_ELx_EC_IABT_LOW:
		return hvl_handle_iabt(vcpu);
	case ESR_ELx_EC_HVC64:
		return hvl_handle_hvc(vcpu, false);
	case ESR_ELx_EC_SMC64:
		return hvl_handle_hvc(vcpu, true);
	case ESR_ELx_EC_SYS64:
		return hvl_handle_sysreg(vcpu);
	case ESR_ELx_EC_WFx:
		return hvl_handle_wfx(vcpu);
	case ESR_ELx_EC_BRK64:
	case ESR_ELx_EC_SOFTSTP_LOW:
	case ESR_ELx_EC_BREAKPT_LOW:
	case ESR_ELx_EC_WATCHPT_LOW:
		return hvl_handle_debug_exit(vcpu);
	default:
		/* SVE, SME, PAC, and whatever else traps without being emulated. */
		return hvl_handle_undef(vcpu);
	}
}

int hvl_handle_exit(struct hvl_vcpu *vcpu, u64 exit_code)
{
	switch (exit_code) {
	case HVL_EXIT_SYNC:
		return hvl_handle_sync(vcpu);
	case HVL_EXIT_IRQ:
	case HVL_EXIT_FIQ:
		/* A host interrupt (or the preemption timer): the host takes it. */
		return 1;
	case HVL_EXIT_SERROR:
		pr_warn_ratelimited("vCPU %u: SError from the guest (ESR_EL2 %#llx)\n",
				    vcpu->id, vcpu->ctxt->esr_el2);
		vcpu->run->exit_reason = KVM_EXIT_INTERNAL_ERROR;
		vcpu->run->internal.suberror = KVM_INTERNAL_ERROR_EMULATION;
		vcpu->run->internal.ndata = 0;
		return 0;
	default:
		return -EIO;
	}
}
