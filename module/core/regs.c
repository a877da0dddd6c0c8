// SPDX-License-Identifier: GPL-2.0-only
/*
 * KVM_GET/SET_ONE_REG and KVM_GET_REG_LIST with KVM's arm64 register ids:
 * core registers (struct kvm_regs offsets), system registers
 * (ARM64_SYS_REG), the timers (with KVM's documented CNT/CVAL id swap for
 * the virtual one) and the firmware registers (PSCI version, the SMCCC
 * workarounds and service bitmaps).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/uaccess.h>
#include <asm/ptrace.h>
#include <asm/sysreg.h>
#include <clocksource/arm_arch_timer.h>
#include <uapi/linux/psci.h>
#include "../vm.h"

#define CORE_ID(name)	(KVM_REG_ARM64 | KVM_REG_ARM_CORE | KVM_REG_ARM_CORE_REG(name))
#define CORE_OFF(name)	KVM_REG_ARM_CORE_REG(name)

/* Sysreg ids backed by a switched register of the context. */
static const struct {
	u64 id;
	enum hvl_sysreg idx;
} hvl_ctxt_sysregs[] = {
	{ ARM64_SYS_REG(3, 0, 1, 0, 0), HVL_SCTLR_EL1 },
	{ ARM64_SYS_REG(3, 0, 1, 0, 2), HVL_CPACR_EL1 },
	{ ARM64_SYS_REG(3, 0, 2, 0, 0), HVL_TTBR0_EL1 },
	{ ARM64_SYS_REG(3, 0, 2, 0, 1), HVL_TTBR1_EL1 },
	{ ARM64_SYS_REG(3, 0, 2, 0, 2), HVL_TCR_EL1 },
	{ ARM64_SYS_REG(3, 0, 5, 1, 0), HVL_AFSR0_EL1 },
	{ ARM64_SYS_REG(3, 0, 5, 1, 1), HVL_AFSR1_EL1 },
	{ ARM64_SYS_REG(3, 0, 5, 2, 0), HVL_ESR_EL1 },
	{ ARM64_SYS_REG(3, 0, 6, 0, 0), HVL_FAR_EL1 },
	{ ARM64_SYS_REG(3, 0, 7, 4, 0), HVL_PAR_EL1 },
	{ ARM64_SYS_REG(3, 0, 10, 2, 0), HVL_MAIR_EL1 },
	{ ARM64_SYS_REG(3, 0, 10, 3, 0), HVL_AMAIR_EL1 },
	{ ARM64_SYS_REG(3, 0, 12, 0, 0), HVL_VBAR_EL1 },
	{ ARM64_SYS_REG(3, 0, 13, 0, 1), HVL_CONTEXTIDR_EL1 },
	{ ARM64_SYS_REG(3, 0, 13, 0, 4), HVL_TPIDR_EL1 },
	{ ARM64_SYS_REG(3, 0, 14, 1, 0), HVL_CNTKCTL_EL1 },
	{ ARM64_SYS_REG(3, 2, 0, 0, 0), HVL_CSSELR_EL1 },
	{ ARM64_SYS_REG(3, 3, 13, 0, 2), HVL_TPIDR_EL0 },
	{ ARM64_SYS_REG(3, 3, 13, 0, 3), HVL_TPIDRRO_EL0 },
	{ ARM64_SYS_REG(2, 0, 0, 2, 2), HVL_MDSCR_EL1 },
	{ KVM_REG_ARM_TIMER_CTL, HVL_CNTV_CTL_EL0 },
	{ KVM_REG_ARM_TIMER_CVAL, HVL_CNTV_CVAL_EL0 },
};

#define HVL_MIDR_ID		ARM64_SYS_REG(3, 0, 0, 0, 0)
#define HVL_MPIDR_ID		ARM64_SYS_REG(3, 0, 0, 0, 5)
#define HVL_NR_ID_REGS		(7 * 8)	/* Op0=3 Op1=0 CRn=0 CRm=1..7 Op2=0..7 */
#define HVL_NR_CORE_REGS	(31 + 3 + 2 + KVM_NR_SPSR + 32 + 2)

/* The id of core register @i, 0 <= i < HVL_NR_CORE_REGS, in KVM's order. */
static u64 hvl_core_reg_id(unsigned int i)
{
	if (i < 31)
		return CORE_ID(regs.regs[i]) | KVM_REG_SIZE_U64;
	i -= 31;
	if (i < 3)
		return (i == 0 ? CORE_ID(regs.sp) : i == 1 ? CORE_ID(regs.pc) :
			CORE_ID(regs.pstate)) | KVM_REG_SIZE_U64;
	i -= 3;
	if (i < 2)
		return (i ? CORE_ID(elr_el1) : CORE_ID(sp_el1)) | KVM_REG_SIZE_U64;
	i -= 2;
	if (i < KVM_NR_SPSR)
		return CORE_ID(spsr[i]) | KVM_REG_SIZE_U64;
	i -= KVM_NR_SPSR;
	if (i < 32)
		return CORE_ID(fp_regs.vregs[i]) | KVM_REG_SIZE_U128;
	i -= 32;
	return (i ? CORE_ID(fp_regs.fpcr) : CORE_ID(fp_regs.fpsr)) | KVM_REG_SIZE_U32;
}

/* Storage of a core register at u32 offset @off, and its size; NULL if none. */
static void *hvl_core_reg_at(struct hvl_vcpu *vcpu, u64 off, unsigned int *size)
{
	struct hvl_vcpu_ctxt *g = vcpu->ctxt;

	*size = 8;
	if (off >= CORE_OFF(regs.regs[0]) && off <= CORE_OFF(regs.regs[30]))
		return (off - CORE_OFF(regs.regs[0])) % 2 ? NULL :
			&g->x[(off - CORE_OFF(regs.regs[0])) / 2];
	if (off == CORE_OFF(regs.sp))
		return &g->sp_el0;
	if (off == CORE_OFF(regs.pc))
		return &g->pc;
	if (off == CORE_OFF(regs.pstate))
		return &g->pstate;
	if (off == CORE_OFF(sp_el1))
		return &g->sys[HVL_SP_EL1];
	if (off == CORE_OFF(elr_el1))
		return &g->sys[HVL_ELR_EL1];
	if (off == CORE_OFF(spsr[KVM_SPSR_EL1]))
		return &g->sys[HVL_SPSR_EL1];
	if (off > CORE_OFF(spsr[0]) && off <= CORE_OFF(spsr[KVM_NR_SPSR - 1]))
		return (off - CORE_OFF(spsr[0])) % 2 ? NULL :
			&vcpu->spsr32[(off - CORE_OFF(spsr[1])) / 2];
	*size = 16;
	if (off >= CORE_OFF(fp_regs.vregs[0]) && off <= CORE_OFF(fp_regs.vregs[31]))
		return (off - CORE_OFF(fp_regs.vregs[0])) % 4 ? NULL :
			&g->vregs[(off - CORE_OFF(fp_regs.vregs[0])) / 4];
	*size = 4;
	if (off == CORE_OFF(fp_regs.fpsr))
		return &g->fpsr;
	if (off == CORE_OFF(fp_regs.fpcr))
		return &g->fpcr;
	return NULL;
}

/*
 * Storage of a core register: its address in the context and its size.
 * ERR_PTR(-EINVAL) for an offset inside a register, -ENOENT beyond them.
 */
static void *hvl_core_reg(struct hvl_vcpu *vcpu, u64 off, unsigned int *size)
{
	void *p = hvl_core_reg_at(vcpu, off, size);

	if (p)
		return p;
	return off < sizeof(struct kvm_regs) / sizeof(u32) ? ERR_PTR(-EINVAL) : ERR_PTR(-ENOENT);
}

static int hvl_core_reg_access(struct hvl_vcpu *vcpu, const struct kvm_one_reg *reg, bool set)
{
	void __user *uaddr = u64_to_user_ptr(reg->addr);
	u64 off = reg->id & ~(KVM_REG_ARCH_MASK | KVM_REG_SIZE_MASK | KVM_REG_ARM_COPROC_MASK);
	unsigned int size;
	void *p = hvl_core_reg(vcpu, off, &size);
	u64 v = 0;

	if (IS_ERR(p))
		return PTR_ERR(p);
	if (KVM_REG_SIZE(reg->id) != size)
		return -EINVAL;
	if (!set)
		return copy_to_user(uaddr, p, size) ? -EFAULT : 0;
	if (size == 8 && p == &vcpu->ctxt->pstate) {
		if (copy_from_user(&v, uaddr, 8))
			return -EFAULT;
		if (!hvl_pstate_valid(v))
			return -EINVAL;
		vcpu->ctxt->pstate = v;
		return 0;
	}
	return copy_from_user(p, uaddr, size) ? -EFAULT : 0;
}

/* Backing storage of a sysreg id, or NULL. */
static u64 *hvl_sysreg_slot(struct hvl_vcpu *vcpu, u64 id)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(hvl_ctxt_sysregs); i++)
		if (hvl_ctxt_sysregs[i].id == id)
			return &vcpu->ctxt->sys[hvl_ctxt_sysregs[i].idx];
	if (id == HVL_MPIDR_ID)
		return &vcpu->ctxt->vmpidr_el2;
	return NULL;
}

/* The kernel's sys_reg() encoding of a KVM sysreg id. */
static u32 hvl_sysreg_enc(u64 id)
{
	return sys_reg((id & KVM_REG_ARM64_SYSREG_OP0_MASK) >> KVM_REG_ARM64_SYSREG_OP0_SHIFT,
		       (id & KVM_REG_ARM64_SYSREG_OP1_MASK) >> KVM_REG_ARM64_SYSREG_OP1_SHIFT,
		       (id & KVM_REG_ARM64_SYSREG_CRN_MASK) >> KVM_REG_ARM64_SYSREG_CRN_SHIFT,
		       (id & KVM_REG_ARM64_SYSREG_CRM_MASK) >> KVM_REG_ARM64_SYSREG_CRM_SHIFT,
		       (id & KVM_REG_ARM64_SYSREG_OP2_MASK) >> KVM_REG_ARM64_SYSREG_OP2_SHIFT);
}

/* Read-only identification: MIDR_EL1 and the ID registers the guest sees. */
static bool hvl_sysreg_ident(struct hvl_vcpu *vcpu, u64 id, u64 *v)
{
	u32 enc;

	if ((id & KVM_REG_ARM_COPROC_MASK) != KVM_REG_ARM64_SYSREG)
		return false;
	if (id == HVL_MIDR_ID) {
		*v = vcpu->ctxt->vpidr_el2;
		return true;
	}
	enc = hvl_sysreg_enc(id);
	if (!hvl_is_id_reg(enc))
		return false;
	*v = hvl_id_reg_value(vcpu, enc);
	return true;
}

/* ARM64_SYS_REG(op0, op1, CRn, CRm, op2) and nothing else in the id. */
static bool hvl_plain_sysreg_id(u64 id)
{
	return (id & ~(u64)GENMASK(15, 0)) ==
	       (KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM64_SYSREG);
}

/* KVM_REG_ARM_PSCI_VERSION: 1.1, or 0.1 without KVM_ARM_VCPU_PSCI_0_2. */
static u64 hvl_psci_version(struct hvl_vcpu *vcpu)
{
	return vcpu->features & BIT(KVM_ARM_VCPU_PSCI_0_2) ? PSCI_VERSION(1, 1) :
							     PSCI_VERSION(0, 1);
}

static int hvl_sysreg_get(struct hvl_vcpu *vcpu, u64 id, u64 *v)
{
	u64 *slot = hvl_sysreg_slot(vcpu, id);

	if (hvl_sysreg_ident(vcpu, id, v))
		return 0;
	if (hvl_timer_get_reg(vcpu, id, v) != -ENOENT)
		return 0;
	if (id == KVM_REG_ARM_TIMER_CNT) {
		*v = arch_timer_read_counter() - vcpu->vm->cntvoff;
		return 0;
	}
	if (id == KVM_REG_ARM_PSCI_VERSION) {
		*v = hvl_psci_version(vcpu);
		return 0;
	}
	if (slot) {
		*v = *slot;
		return 0;
	}
	if (hvl_fw_reg_id(id))
		return hvl_fw_reg_get(vcpu, id, v);
	if (!hvl_plain_sysreg_id(id))
		return -ENOENT;
	return hvl_sysreg_user(vcpu, hvl_sysreg_enc(id), false, v);
}

static int hvl_sysreg_set(struct hvl_vcpu *vcpu, u64 id, u64 v)
{
	u64 *slot = hvl_sysreg_slot(vcpu, id);
	unsigned int i;
	u64 cur;
	int ret;

	/* Identification registers take only the value they already have. */
	if (hvl_sysreg_ident(vcpu, id, &cur))
		return v == cur ? 0 : -EINVAL;
	if (id == KVM_REG_ARM_TIMER_CNT) {
		/* One counter offset per VM: every vCPU sees the new count. */
		vcpu->vm->cntvoff = arch_timer_read_counter() - v;
		for (i = 0; i < HVL_MAX_VCPUS; i++)
			if (vcpu->vm->vcpus[i])
				vcpu->vm->vcpus[i]->ctxt->cntvoff_el2 = vcpu->vm->cntvoff;
		return 0;
	}
	if (id == KVM_REG_ARM_PSCI_VERSION)
		return v == hvl_psci_version(vcpu) ? 0 : -EINVAL;
	if (slot) {
		*slot = v;
		return 0;
	}
	if (hvl_fw_reg_id(id))
		return hvl_fw_reg_set(vcpu, id, v);
	ret = hvl_timer_set_reg(vcpu, id, v);
	if (ret != -ENOENT)
		return ret;
	if (!hvl_plain_sysreg_id(id))
		return -ENOENT;
	return hvl_sysreg_user(vcpu, hvl_sysreg_enc(id), true, &v);
}

static int hvl_sysreg_access(struct hvl_vcpu *vcpu, const struct kvm_one_reg *reg, bool set)
{
	u64 __user *uaddr = u64_to_user_ptr(reg->addr);
	u64 v;
	int ret;

	if (KVM_REG_SIZE(reg->id) != sizeof(u64))
		return -EINVAL;
	if (set) {
		if (get_user(v, uaddr))
			return -EFAULT;
		return hvl_sysreg_set(vcpu, reg->id, v);
	}
	ret = hvl_sysreg_get(vcpu, reg->id, &v);
	if (ret)
		return ret;
	return put_user(v, uaddr) ? -EFAULT : 0;
}

static int hvl_one_reg(struct hvl_vcpu *vcpu, const struct kvm_one_reg *reg, bool set)
{
	if ((reg->id & KVM_REG_ARCH_MASK) != KVM_REG_ARM64)
		return -EINVAL;
	switch (reg->id & KVM_REG_ARM_COPROC_MASK) {
	case KVM_REG_ARM_CORE:
		return hvl_core_reg_access(vcpu, reg, set);
	case KVM_REG_ARM64_SYSREG:
	case KVM_REG_ARM_FW:
	case KVM_REG_ARM_FW_FEAT_BMAP:
		return hvl_sysreg_access(vcpu, reg, set);
	default:
		return -ENOENT;
	}
}

int hvl_get_one_reg(struct hvl_vcpu *vcpu, const struct kvm_one_reg *reg)
{
	return hvl_one_reg(vcpu, reg, false);
}

int hvl_set_one_reg(struct hvl_vcpu *vcpu, const struct kvm_one_reg *reg)
{
	return hvl_one_reg(vcpu, reg, true);
}

/* Ids after the core registers, the context's and the ID registers. */
static const u64 hvl_misc_reg_ids[] = {
	HVL_MIDR_ID,
	HVL_MPIDR_ID,
	ARM64_SYS_REG(3, 0, 0, 0, 6),	/* REVIDR_EL1 */
	ARM64_SYS_REG(3, 1, 0, 0, 1),	/* CLIDR_EL1 */
	ARM64_SYS_REG(3, 1, 0, 0, 7),	/* AIDR_EL1 */
	ARM64_SYS_REG(3, 3, 0, 0, 1),	/* CTR_EL0 */
	ARM64_SYS_REG(3, 0, 1, 0, 1),	/* ACTLR_EL1 */
	ARM64_SYS_REG(3, 0, 12, 1, 1),	/* DISR_EL1 */
	ARM64_SYS_REG(2, 0, 0, 2, 0),	/* MDCCINT_EL1 */
	ARM64_SYS_REG(2, 0, 1, 1, 4),	/* OSLSR_EL1 */
	ARM64_SYS_REG(2, 4, 0, 7, 0),	/* DBGVCR32_EL2 */
	ARM64_SYS_REG(3, 4, 3, 0, 0),	/* DACR32_EL2 */
	ARM64_SYS_REG(3, 4, 5, 0, 1),	/* IFSR32_EL2 */
	ARM64_SYS_REG(3, 4, 5, 3, 0),	/* FPEXC32_EL2 */
	KVM_REG_ARM_TIMER_CNT,
	KVM_REG_ARM_PTIMER_CTL,
	KVM_REG_ARM_PTIMER_CVAL,
	KVM_REG_ARM_PTIMER_CNT,
	KVM_REG_ARM_PSCI_VERSION,
	KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_1,
	KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2,
	KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_3,
	KVM_REG_ARM_STD_BMAP,
	KVM_REG_ARM_STD_HYP_BMAP,
	KVM_REG_ARM_VENDOR_HYP_BMAP,
};

/* DBG{B,W}{V,C}Rn_EL1, n = 0..15: listed whatever the CPU has, as KVM. */
#define HVL_NR_DBG_IDS		(4 * HVL_NR_DBG_REGS)

/* Ids beyond the core registers, in list order. */
static u64 hvl_other_reg_id(unsigned int i)
{
	if (i < ARRAY_SIZE(hvl_ctxt_sysregs))
		return hvl_ctxt_sysregs[i].id;
	i -= ARRAY_SIZE(hvl_ctxt_sysregs);
	if (i < HVL_NR_ID_REGS)
		return ARM64_SYS_REG(3, 0, 0, i / 8 + 1, i % 8);
	i -= HVL_NR_ID_REGS;
	if (i < HVL_NR_DBG_IDS)
		return ARM64_SYS_REG(2, 0, 0, i / 4, 4 + i % 4);
	return hvl_misc_reg_ids[i - HVL_NR_DBG_IDS];
}

#define HVL_NR_OTHER_REGS	(ARRAY_SIZE(hvl_ctxt_sysregs) + HVL_NR_ID_REGS + \
				 HVL_NR_DBG_IDS + ARRAY_SIZE(hvl_misc_reg_ids))

int hvl_get_reg_list(struct hvl_vcpu *vcpu, struct kvm_reg_list __user *ulist)
{
	u64 n, total = HVL_NR_CORE_REGS + HVL_NR_OTHER_REGS;
	unsigned int i;

	if (get_user(n, &ulist->n))
		return -EFAULT;
	if (put_user(total, &ulist->n))
		return -EFAULT;
	if (n < total)
		return -E2BIG;
	for (i = 0; i < total; i++) {
		u64 id = i < HVL_NR_CORE_REGS ? hvl_core_reg_id(i) :
			 hvl_other_reg_id(i - HVL_NR_CORE_REGS);

		if (put_user(id, &ulist->reg[i]))
			return -EFAULT;
	}
	return 0;
}
