// SPDX-License-Identifier: GPL-2.0-only
/*
 * The guest's generic timers.
 *
 * Virtual timer (CNTV_*, PPI 27): the guest owns the hardware registers
 * while it runs; EL2 switches them with CNTVOFF_EL2 = the VM's offset.
 *
 * Physical timer (CNTP_*, PPI 30): the host kernel uses the EL1 physical
 * timer itself in nVHE, so the guest's is emulated, as KVM does on hosts
 * without FEAT_ECV: CNTHCTL_EL2.EL1PCEN = 0 traps CNTP_CTL/CVAL/TVAL_EL0 to
 * EL2 and they are kept here. CNTPCT_EL0 reads straight from the hardware
 * while the VM's physical offset is 0 (EL1PCTEN = 1) and traps otherwise.
 * AArch32 EL0's CP15 view of the physical timer is not emulated: it UNDEFs.
 *
 * Both timers' outputs are levels computed from their registers and the
 * counter (hvl_timer_levels()); CNTHP ends an entry at the earlier deadline
 * and a host hrtimer wakes a vCPU blocked in WFI (hvl_timer_ticks_left()).
 */
#include <linux/bitfield.h>
#include <asm/sysreg.h>
#include <clocksource/arm_arch_timer.h>
#include "../vm.h"
#include "../vgic/vgic.h"

#ifndef SYS_CNTPCT_EL0
#define SYS_CNTPCT_EL0		sys_reg(3, 3, 14, 0, 1)
#endif

#define TIMER_CTL_RW		(ARCH_TIMER_CTRL_ENABLE | ARCH_TIMER_CTRL_IT_MASK)

static u64 hvl_vcnt(struct hvl_vcpu *vcpu)
{
	return arch_timer_read_counter() - vcpu->vm->cntvoff;
}

static u64 hvl_pcnt(struct hvl_vcpu *vcpu)
{
	return arch_timer_read_counter() - vcpu->vm->cntpoff;
}

/* Counter ticks until a timer's condition is met: 0 if met or never will be. */
static u64 hvl_ticks_left(u64 ctl, u64 cval, u64 now)
{
	if (!(ctl & ARCH_TIMER_CTRL_ENABLE) || (ctl & ARCH_TIMER_CTRL_IT_MASK) || cval <= now)
		return 0;
	return cval - now;
}

/* Ticks until the earlier of the two timers fires; 0 if neither will. */
u64 hvl_timer_ticks_left(struct hvl_vcpu *vcpu)
{
	u64 v, p;

	if (!vcpu->vm->vgic)
		return 0;
	v = hvl_ticks_left(vcpu->ctxt->sys[HVL_CNTV_CTL_EL0], vcpu->ctxt->sys[HVL_CNTV_CVAL_EL0],
			   hvl_vcnt(vcpu));
	p = hvl_ticks_left(vcpu->ptimer_ctl, vcpu->ptimer_cval, hvl_pcnt(vcpu));
	if (!v || !p)
		return v | p;
	return min(v, p);
}

static bool hvl_timer_istatus(u64 ctl, u64 cval, u64 now)
{
	return (ctl & ARCH_TIMER_CTRL_ENABLE) && now >= cval;
}

/* The interrupt outputs: ISTATUS and not IMASK. */
void hvl_timer_levels(struct hvl_vcpu *vcpu, bool *vlevel, bool *plevel)
{
	u64 vctl = vcpu->ctxt->sys[HVL_CNTV_CTL_EL0];

	*vlevel = !(vctl & ARCH_TIMER_CTRL_IT_MASK) &&
		  hvl_timer_istatus(vctl, vcpu->ctxt->sys[HVL_CNTV_CVAL_EL0], hvl_vcnt(vcpu));
	*plevel = !(vcpu->ptimer_ctl & ARCH_TIMER_CTRL_IT_MASK) &&
		  hvl_timer_istatus(vcpu->ptimer_ctl, vcpu->ptimer_cval, hvl_pcnt(vcpu));
}

/*
 * Whether the host's vtimer PPI must stay quiet for this entry: the guest's
 * virtual timer output is already high (the vGIC holds the interrupt), or
 * there is no vGIC to deliver it to.
 */
bool hvl_timer_vtimer_asserted(struct hvl_vcpu *vcpu)
{
	bool v, p;

	if (!vcpu->vm->vgic)
		return true;
	hvl_timer_levels(vcpu, &v, &p);
	return v;
}

static u64 hvl_ptimer_ctl(struct hvl_vcpu *vcpu)
{
	u64 ctl = vcpu->ptimer_ctl & TIMER_CTL_RW;

	if (hvl_timer_istatus(ctl, vcpu->ptimer_cval, hvl_pcnt(vcpu)))
		ctl |= ARCH_TIMER_CTRL_IT_STAT;
	return ctl;
}

/* A trapped CNTP_CTL/CVAL/TVAL_EL0 or CNTPCT_EL0 access; false if not one. */
bool hvl_timer_sysreg(struct hvl_vcpu *vcpu, u32 enc, bool read, unsigned int rt)
{
	u64 val = read ? 0 : hvl_get_reg(vcpu, rt);

	switch (enc) {
	case SYS_CNTP_CTL_EL0:
		if (read)
			val = hvl_ptimer_ctl(vcpu);
		else
			vcpu->ptimer_ctl = val & TIMER_CTL_RW;
		break;
	case SYS_CNTP_CVAL_EL0:
		if (read)
			val = vcpu->ptimer_cval;
		else
			vcpu->ptimer_cval = val;
		break;
	case SYS_CNTP_TVAL_EL0:
		/* TimerValue: a signed 32-bit view of CVAL - count. */
		if (read)
			val = (u32)(vcpu->ptimer_cval - hvl_pcnt(vcpu));
		else
			vcpu->ptimer_cval = hvl_pcnt(vcpu) + (s64)(s32)val;
		break;
	case SYS_CNTPCT_EL0:
		if (!read)
			return false;
		val = hvl_pcnt(vcpu);
		break;
	default:
		return false;
	}
	if (read)
		hvl_set_reg(vcpu, rt, val);
	return true;
}

/* CNTHCTL_EL2 for the guest: the counter is direct unless it has an offset. */
u64 hvl_timer_cnthctl(struct hvl_vm *vm)
{
	return vm->cntpoff ? 0 : CNTHCTL_EL1PCTEN;
}

/*
 * KVM_REG_ARM_TIMER_CTL, KVM_REG_ARM_PTIMER_{CTL,CVAL,CNT}; -ENOENT for any
 * other id. ISTATUS is computed at the time of the read, as KVM does: the
 * CNTV_CTL_EL0 saved at the last exit may predate the deadline.
 */
int hvl_timer_get_reg(struct hvl_vcpu *vcpu, u64 id, u64 *val)
{
	u64 vctl = vcpu->ctxt->sys[HVL_CNTV_CTL_EL0] & TIMER_CTL_RW;

	switch (id) {
	case KVM_REG_ARM_TIMER_CTL:
		if (hvl_timer_istatus(vctl, vcpu->ctxt->sys[HVL_CNTV_CVAL_EL0], hvl_vcnt(vcpu)))
			vctl |= ARCH_TIMER_CTRL_IT_STAT;
		*val = vctl;
		return 0;
	case KVM_REG_ARM_PTIMER_CTL:
		*val = hvl_ptimer_ctl(vcpu);
		return 0;
	case KVM_REG_ARM_PTIMER_CVAL:
		*val = vcpu->ptimer_cval;
		return 0;
	case KVM_REG_ARM_PTIMER_CNT:
		*val = hvl_pcnt(vcpu);
		return 0;
	default:
		return -ENOENT;
	}
}

int hvl_timer_set_reg(struct hvl_vcpu *vcpu, u64 id, u64 val)
{
	struct hvl_vm *vm = vcpu->vm;
	unsigned int i;

	switch (id) {
	case KVM_REG_ARM_PTIMER_CTL:
		vcpu->ptimer_ctl = val & TIMER_CTL_RW;
		return 0;
	case KVM_REG_ARM_PTIMER_CVAL:
		vcpu->ptimer_cval = val;
		return 0;
	case KVM_REG_ARM_PTIMER_CNT:
		/* One offset per VM, as for the virtual counter. */
		vm->cntpoff = arch_timer_read_counter() - val;
		for (i = 0; i < HVL_MAX_VCPUS; i++)
			if (vm->vcpus[i])
				vm->vcpus[i]->ctxt->cnthctl_el2 = hvl_timer_cnthctl(vm);
		return 0;
	default:
		return -ENOENT;
	}
}

void hvl_timer_reset(struct hvl_vcpu *vcpu)
{
	vcpu->ptimer_ctl = 0;
	vcpu->ptimer_cval = 0;
}
