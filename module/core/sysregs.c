// SPDX-License-Identifier: GPL-2.0-only
/*
 * Trapped system registers: the ID registers the guest reads (HCR_EL2.TID3)
 * with every feature hvlite does not virtualize hidden, the debug registers
 * (MDCR_EL2.TDA) kept as per-vCPU shadows, ACTLR_EL1 (HCR_EL2.TACR), set/way
 * cache maintenance (HCR_EL2.TSW), the physical timer (core/timer.c), and
 * UNDEF for everything else that traps. Also their KVM_{GET,SET}_ONE_REG.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitfield.h>
#include <asm/cpufeature.h>
#include <asm/esr.h>
#include <linux/irqchip/arm-gic-v3.h>
#include <asm/sysreg.h>
#include "../vm.h"

#define SCTLR_EL1_RESET		0x00c50078	/* KVM's reset value (RES1 bits, MMU off) */
#define OSLSR_OSLM_IMPLEMENTED	BIT(3)
#define OSLSR_OSLK		BIT(1)

/* Which fields of each sanitised ID register the guest may see (kept as is). */
struct hvl_id_reg {
	u32 enc;
	u64 keep;
};

#define FLD(hi, lo)	GENMASK_ULL(hi, lo)
static const struct hvl_id_reg hvl_id_regs[] = {
	/* AArch32 views: as the host's, with the PMU hidden (ID_DFR0.PerfMon). */
	{ SYS_ID_PFR0_EL1, ~0ULL }, { SYS_ID_PFR1_EL1, ~0ULL },
	{ SYS_ID_DFR0_EL1, ~FLD(27, 24) }, { SYS_ID_MMFR0_EL1, ~0ULL },
	{ SYS_ID_MMFR1_EL1, ~0ULL }, { SYS_ID_MMFR2_EL1, ~0ULL },
	{ SYS_ID_MMFR3_EL1, ~0ULL }, { SYS_ID_ISAR0_EL1, ~0ULL },
	{ SYS_ID_ISAR1_EL1, ~0ULL }, { SYS_ID_ISAR2_EL1, ~0ULL },
	{ SYS_ID_ISAR3_EL1, ~0ULL }, { SYS_ID_ISAR4_EL1, ~0ULL },
	{ SYS_ID_ISAR5_EL1, ~0ULL }, { SYS_ID_MMFR4_EL1, ~0ULL },
	{ SYS_ID_ISAR6_EL1, ~0ULL }, { SYS_MVFR0_EL1, ~0ULL },
	{ SYS_MVFR1_EL1, ~0ULL }, { SYS_MVFR2_EL1, ~0ULL },
	{ SYS_ID_PFR2_EL1, ~0ULL }, { SYS_ID_MMFR5_EL1, ~0ULL },
	/*
	 * PFR0: EL0, EL1 (made AArch64 only), FP, AdvSIMD, RAS, DIT, CSV2, CSV3;
	 * no EL2/EL3, SVE, GIC, AMU, MPAM.
	 */
	{ SYS_ID_AA64PFR0_EL1, FLD(3, 0) | FLD(23, 16) | FLD(31, 28) | FLD(51, 48) | FLD(63, 56) },
	/* PFR1: BT, SSBS, RAS_frac, CSV2_frac; no MTE, SME, NMI, GCS. */
	{ SYS_ID_AA64PFR1_EL1, FLD(7, 0) | FLD(15, 12) | FLD(35, 32) },
	/* DFR0: DebugVer, BRPs, WRPs, CTX_CMPs, DoubleLock; no PMU, SPE, trace, BRBE. */
	{ SYS_ID_AA64DFR0_EL1, FLD(3, 0) | FLD(15, 12) | FLD(23, 20) | FLD(31, 28) | FLD(39, 36) },
	/* ISAR0: all but TME. */
	{ SYS_ID_AA64ISAR0_EL1, ~FLD(27, 24) },
	/* ISAR1: no pointer authentication (APA, API, GPA, GPI), no LS64. */
	{ SYS_ID_AA64ISAR1_EL1, ~(FLD(11, 4) | FLD(31, 24) | FLD(63, 60)) },
	/* ISAR2: RPRES, BC, CLRBHB; no WFxT, MOPS, PAuth2/3. */
	{ SYS_ID_AA64ISAR2_EL1, FLD(7, 4) | FLD(23, 20) | FLD(31, 28) },
	/* MMFR0: all but ECV and FGT (PARange is capped per VM). */
	{ SYS_ID_AA64MMFR0_EL1, ~FLD(63, 56) },
	/* MMFR1: no VHE, LORegions, TWED, HCX. */
	{ SYS_ID_AA64MMFR1_EL1, ~(FLD(11, 8) | FLD(19, 16) | FLD(35, 32) | FLD(43, 40)) },
	/* MMFR2: no NV, FWB, EVT. */
	{ SYS_ID_AA64MMFR2_EL1, ~(FLD(27, 24) | FLD(43, 40) | FLD(59, 56)) },
};

static u64 hvl_parange_for(unsigned int ipa_bits)
{
	static const unsigned int bits[] = { 32, 36, 40, 42, 44, 48 };
	u64 i;

	for (i = ARRAY_SIZE(bits) - 1; i > 0 && bits[i] > ipa_bits; i--)
		;
	return i;
}

/* The value of ID register @enc (Op0=3, Op1=0, CRn=0, CRm=1-7) for @vcpu. */
u64 hvl_id_reg_value(struct hvl_vcpu *vcpu, u32 enc)
{
	unsigned int i;
	u64 v;

	for (i = 0; i < ARRAY_SIZE(hvl_id_regs); i++) {
		if (hvl_id_regs[i].enc != enc)
			continue;
		v = read_sanitised_ftr_reg(enc) & hvl_id_regs[i].keep;
		if (enc == SYS_ID_AA64PFR0_EL1) {
			v |= FIELD_PREP(FLD(7, 4), 1);		/* EL1: AArch64 only */
			if (vcpu->vm->vgic)			/* GIC: system registers */
				v |= FIELD_PREP(FLD(27, 24), 1);
		}
		if (enc == SYS_ID_AA64MMFR0_EL1) {
			u64 pa = min_t(u64, v & FLD(3, 0), hvl_parange_for(vcpu->vm->s2.ipa_bits));

			v = (v & ~FLD(3, 0)) | pa;
		}
		return v;
	}
	/* SVE/SME/other feature registers hvlite hides, and unallocated ones: RAZ. */
	return 0;
}

bool hvl_is_id_reg(u32 enc)
{
	return sys_reg_Op0(enc) == 3 && sys_reg_Op1(enc) == 0 && sys_reg_CRn(enc) == 0 &&
	       sys_reg_CRm(enc) >= 1 && sys_reg_CRm(enc) <= 7;
}

/* Shadowed debug registers: DBG{B,W}{V,C}Rn_EL1. */
static u64 *hvl_dbg_slot(struct hvl_vcpu *vcpu, u32 enc)
{
	unsigned int n = sys_reg_CRm(enc);

	if (sys_reg_Op0(enc) != 2 || sys_reg_Op1(enc) != 0 || sys_reg_CRn(enc) != 0)
		return NULL;
	switch (sys_reg_Op2(enc)) {
	case 4:
		return &vcpu->dbg_bvr[n];
	case 5:
		return &vcpu->dbg_bcr[n];
	case 6:
		return &vcpu->dbg_wvr[n];
	case 7:
		return &vcpu->dbg_wcr[n];
	default:
		return NULL;
	}
}

/* Debug and other registers with a plain shadow; NULL if not one. */
static u64 *hvl_shadow_reg(struct hvl_vcpu *vcpu, u32 enc)
{
	switch (enc) {
	case SYS_MDSCR_EL1:
		return &vcpu->ctxt->sys[HVL_MDSCR_EL1];
	case SYS_OSDLR_EL1:
		return &vcpu->osdlr;
	case SYS_MDCCINT_EL1:
		return &vcpu->mdccint;
	case SYS_DBGPRCR_EL1:
		return &vcpu->dbgprcr;
	case SYS_ACTLR_EL1:
		return &vcpu->actlr;
	default:
		return hvl_dbg_slot(vcpu, enc);
	}
}

/* Registers that read as zero and ignore writes. */
static bool hvl_is_raz_wi(u32 enc)
{
	switch (enc) {
	case SYS_MDRAR_EL1:
	case SYS_OSECCR_EL1:
	case SYS_DBGCLAIMSET_EL1:
	case SYS_DBGCLAIMCLR_EL1:
	case SYS_DBGAUTHSTATUS_EL1:
	case SYS_MDCCSR_EL0:
	case SYS_DBGDTR_EL0:
	case SYS_DBGDTRRX_EL0:
	case SYS_TRFCR_EL1:
		return true;
	default:
		return false;
	}
}

/* Set/way operations cannot be virtualized: clean all guest memory once. */
static bool hvl_set_way(struct hvl_vcpu *vcpu, u32 enc)
{
	if (enc != SYS_DC_ISW && enc != SYS_DC_CSW && enc != SYS_DC_CISW)
		return false;
	if (!vcpu->sw_flushed)
		hvl_vm_clean_dcache(vcpu->vm);
	vcpu->sw_flushed = true;
	return true;
}

/* SGIs: writes to ICC_SGI1R_EL1 (group 1), ICC_ASGI1R_EL1, ICC_SGI0R_EL1. */
static bool hvl_sgi(struct hvl_vcpu *vcpu, u32 enc, bool read, unsigned int rt)
{
	if (enc != SYS_ICC_SGI1R_EL1 && enc != SYS_ICC_ASGI1R_EL1 && enc != SYS_ICC_SGI0R_EL1)
		return false;
	if (read || !vcpu->vm->vgic || !vcpu->vm->vgic->initialized)
		return false;
	hvl_vgic_send_sgi(vcpu, hvl_get_reg(vcpu, rt), enc == SYS_ICC_SGI1R_EL1);
	return true;
}

/* Emulate one access; false if the register is not emulated (UNDEF). */
static bool hvl_emulate_sysreg(struct hvl_vcpu *vcpu, u32 enc, bool read, unsigned int rt)
{
	u64 *shadow;

	if (hvl_sgi(vcpu, enc, read, rt) || hvl_timer_sysreg(vcpu, enc, read, rt))
		return true;
	if (hvl_is_id_reg(enc)) {
		if (!read)
			return false;
		hvl_set_reg(vcpu, rt, hvl_id_reg_value(vcpu, enc));
		return true;
	}
	if (enc == SYS_OSLAR_EL1) {
		if (read)
			return false;
		vcpu->oslsr = hvl_get_reg(vcpu, rt) & 1 ? OSLSR_OSLK : 0;
		return true;
	}
	if (enc == SYS_OSLSR_EL1) {
		if (!read)
			return false;
		hvl_set_reg(vcpu, rt, OSLSR_OSLM_IMPLEMENTED | vcpu->oslsr);
		return true;
	}
	if (hvl_is_raz_wi(enc)) {
		if (read)
			hvl_set_reg(vcpu, rt, 0);
		return true;
	}
	shadow = hvl_shadow_reg(vcpu, enc);
	if (shadow) {
		if (read)
			hvl_set_reg(vcpu, rt, *shadow);
		else
			*shadow = hvl_get_reg(vcpu, rt);
		return true;
	}
	return hvl_set_way(vcpu, enc);
}

int hvl_handle_sysreg(struct hvl_vcpu *vcpu)
{
	u64 esr = vcpu->ctxt->esr_el2;
	u32 enc = esr_sys64_to_sysreg(esr);
	bool read = esr & ESR_ELx_SYS64_ISS_DIR_READ;
	unsigned int rt = FIELD_GET(ESR_ELx_SYS64_ISS_RT_MASK, esr);

	if (hvl_emulate_sysreg(vcpu, enc, read, rt)) {
		hvl_skip_instr(vcpu);
		return 1;
	}
	pr_warn_ratelimited("vCPU %u: %s of unemulated system register op0=%u op1=%u CRn=%u CRm=%u op2=%u at PC %#llx; UNDEF injected\n",
			    vcpu->id, read ? "read" : "write", sys_reg_Op0(enc), sys_reg_Op1(enc),
			    sys_reg_CRn(enc), sys_reg_CRm(enc), sys_reg_Op2(enc), vcpu->ctxt->pc);
	hvl_inject_undef(vcpu);
	return 1;
}

/* AArch32 EL1/EL2 state (no AArch32 EL1 guests here): kept for the VMM only. */
#define SYS_DBGVCR32_EL2	sys_reg(2, 4, 0, 7, 0)
#define SYS_DACR32_EL2_ENC	sys_reg(3, 4, 3, 0, 0)
#define SYS_IFSR32_EL2_ENC	sys_reg(3, 4, 5, 0, 1)
#define SYS_FPEXC32_EL2_ENC	sys_reg(3, 4, 5, 3, 0)
#define FPEXC32_RESET		0x700	/* KVM's reset value */

static u64 *hvl_aarch32_slot(struct hvl_vcpu *vcpu, u32 enc)
{
	switch (enc) {
	case SYS_DBGVCR32_EL2:
		return &vcpu->aarch32_sys[0];
	case SYS_DACR32_EL2_ENC:
		return &vcpu->aarch32_sys[1];
	case SYS_IFSR32_EL2_ENC:
		return &vcpu->aarch32_sys[2];
	case SYS_FPEXC32_EL2_ENC:
		return &vcpu->aarch32_sys[3];
	default:
		return NULL;
	}
}

/*
 * Identification the guest reads from the hardware itself (HCR_EL2.TID1/2
 * clear), and DISR_EL1: hvlite never defers an SError, so it is 0.
 */
static bool hvl_fixed_reg(u32 enc, u64 *v)
{
	switch (enc) {
	case SYS_REVIDR_EL1:
		*v = read_sysreg(revidr_el1);
		return true;
	case SYS_CLIDR_EL1:
		*v = read_sysreg(clidr_el1);
		return true;
	case SYS_AIDR_EL1:
		*v = read_sysreg(aidr_el1);
		return true;
	case SYS_CTR_EL0:
		*v = read_sanitised_ftr_reg(SYS_CTR_EL0);
		return true;
	case SYS_DISR_EL1:
		*v = 0;
		return true;
	default:
		return false;
	}
}

/*
 * KVM_GET/SET_ONE_REG of the system registers emulated here (ONE_REG ids
 * not backed by the switched context); -ENOENT for any other.
 */
int hvl_sysreg_user(struct hvl_vcpu *vcpu, u32 enc, bool set, u64 *v)
{
	u64 *slot = hvl_shadow_reg(vcpu, enc);
	u64 cur;

	if (!slot)
		slot = hvl_aarch32_slot(vcpu, enc);
	if (slot) {
		if (set)
			*slot = *v;
		else
			*v = *slot;
		return 0;
	}
	if (hvl_fixed_reg(enc, &cur)) {
		if (set)
			return *v == cur ? 0 : -EINVAL;
		*v = cur;
		return 0;
	}
	if (enc == SYS_OSLSR_EL1) {
		/* Only OSLK may change; OSLM says the OS lock is implemented. */
		if (!set) {
			*v = OSLSR_OSLM_IMPLEMENTED | vcpu->oslsr;
			return 0;
		}
		if ((*v & ~OSLSR_OSLK) != OSLSR_OSLM_IMPLEMENTED)
			return -EINVAL;
		vcpu->oslsr = *v & OSLSR_OSLK;
		return 0;
	}
	return -ENOENT;
}

/* Values at KVM_ARM_VCPU_INIT (the rest of the context is zero). */
void hvl_sysregs_reset(struct hvl_vcpu *vcpu)
{
	vcpu->ctxt->sys[HVL_SCTLR_EL1] = SCTLR_EL1_RESET;
	vcpu->oslsr = 0;
	vcpu->osdlr = 0;
	vcpu->mdccint = 0;
	vcpu->dbgprcr = 0;
	vcpu->actlr = 0;
	memset(vcpu->aarch32_sys, 0, sizeof(vcpu->aarch32_sys));
	vcpu->aarch32_sys[3] = FPEXC32_RESET;
	memset(vcpu->dbg_bvr, 0, sizeof(vcpu->dbg_bvr));
	memset(vcpu->dbg_bcr, 0, sizeof(vcpu->dbg_bcr));
	memset(vcpu->dbg_wvr, 0, sizeof(vcpu->dbg_wvr));
	memset(vcpu->dbg_wcr, 0, sizeof(vcpu->dbg_wcr));
}
