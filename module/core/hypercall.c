// SPDX-License-Identifier: GPL-2.0-only
/*
 * HVC and SMC from the guest: PSCI 1.1 and the SMCCC 1.1 discovery calls in
 * the module, everything else NOT_SUPPORTED unless KVM's SMCCC filter
 * (KVM_ARM_VM_SMCCC_FILTER) denies it or forwards it to userspace as
 * KVM_EXIT_HYPERCALL. HVC queries that need no host decision are answered
 * at EL2 already (hyp/switch.c); the same answers come from here for SMC.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/arm-smccc.h>
#include <linux/bitfield.h>
#include <linux/uaccess.h>
#include <uapi/linux/psci.h>
#include <asm/esr.h>
#include "../vm.h"
#include "../hyp/psci.h"

#define HVL_PSCI_VERSION	PSCI_VERSION(1, 1)
/* The Arm Architecture Calls ranges, which the filter may not touch (as KVM). */
#define SMCCC_ARCH32_BASE	ARM_SMCCC_CALL_VAL(ARM_SMCCC_FAST_CALL, ARM_SMCCC_SMC_32, 0, 0)
#define SMCCC_ARCH64_BASE	ARM_SMCCC_CALL_VAL(ARM_SMCCC_FAST_CALL, ARM_SMCCC_SMC_64, 0, 0)
#define SMCCC_ARCH_RANGE_SIZE	0x10000

static struct hvl_vcpu *hvl_vcpu_by_mpidr(struct hvl_vm *vm, u64 mpidr)
{
	unsigned int i;

	mpidr &= MPIDR_HWID_BITMASK;
	for (i = 0; i < HVL_MAX_VCPUS; i++) {
		struct hvl_vcpu *v = vm->vcpus[i];

		if (v && (v->ctxt->vmpidr_el2 & MPIDR_HWID_BITMASK) == mpidr)
			return v;
	}
	return NULL;
}

/* CPU_ON: exactly one of concurrent calls aimed at a vCPU wins. */
static long hvl_psci_cpu_on(struct hvl_vcpu *vcpu)
{
	struct hvl_vm *vm = vcpu->vm;
	struct hvl_vcpu *t;
	long ret = PSCI_RET_SUCCESS;

	/* As KVM: an affinity with bits outside MPIDR's Aff fields names nobody. */
	if (vcpu->ctxt->x[1] & ~MPIDR_HWID_BITMASK)
		return PSCI_RET_INVALID_PARAMS;
	mutex_lock(&vm->lock);
	t = hvl_vcpu_by_mpidr(vm, vcpu->ctxt->x[1]);
	mutex_unlock(&vm->lock);
	if (!t || !t->initialized)
		return PSCI_RET_INVALID_PARAMS;
	spin_lock(&vm->power_lock);
	if (!t->power_off) {
		ret = PSCI_RET_ALREADY_ON;
	} else if (t->pending_reset) {
		ret = PSCI_RET_ON_PENDING;
	} else {
		t->pending_reset = true;
		t->reset_pc = vcpu->ctxt->x[2];
		t->reset_x0 = vcpu->ctxt->x[3];
		t->power_off = false;
	}
	spin_unlock(&vm->power_lock);
	if (ret == PSCI_RET_SUCCESS)
		hvl_vcpu_kick(t);
	return ret;
}

/*
 * AFFINITY_INFO(target, lowest level 0-3): ON if any vCPU whose affinity
 * matches @target above that level is on, OFF if all are off, as KVM.
 * CPU_ON marks its target on at once, so ON_PENDING is never returned.
 */
static long hvl_psci_affinity_info(struct hvl_vcpu *vcpu)
{
	u64 target = vcpu->ctxt->x[1], level = vcpu->ctxt->x[2], mask;
	struct hvl_vm *vm = vcpu->vm;
	bool found = false, on = false;
	unsigned int i;

	if ((target & ~MPIDR_HWID_BITMASK) || level > 3)
		return PSCI_RET_INVALID_PARAMS;
	mask = MPIDR_HWID_BITMASK & ~(BIT_ULL(MPIDR_LEVEL_SHIFT(level)) - 1);
	mutex_lock(&vm->lock);
	spin_lock(&vm->power_lock);
	for (i = 0; i < HVL_MAX_VCPUS; i++) {
		struct hvl_vcpu *t = vm->vcpus[i];

		if (!t || ((t->ctxt->vmpidr_el2 ^ target) & mask))
			continue;
		found = true;
		on |= !t->power_off;
	}
	spin_unlock(&vm->power_lock);
	mutex_unlock(&vm->lock);
	if (!found)
		return PSCI_RET_INVALID_PARAMS;
	return on ? PSCI_0_2_AFFINITY_LEVEL_ON : PSCI_0_2_AFFINITY_LEVEL_OFF;
}

/* SYSTEM_OFF/RESET: stop every vCPU and tell userspace (KVM_EXIT_SYSTEM_EVENT). */
static int hvl_system_event(struct hvl_vcpu *vcpu, u32 type, u64 flags)
{
	struct hvl_vm *vm = vcpu->vm;
	struct kvm_run *run = vcpu->run;
	unsigned int i;

	mutex_lock(&vm->lock);
	spin_lock(&vm->power_lock);
	for (i = 0; i < HVL_MAX_VCPUS; i++)
		if (vm->vcpus[i])
			vm->vcpus[i]->power_off = true;
	spin_unlock(&vm->power_lock);
	for (i = 0; i < HVL_MAX_VCPUS; i++)
		if (vm->vcpus[i] && vm->vcpus[i] != vcpu)
			hvl_vcpu_kick(vm->vcpus[i]);
	mutex_unlock(&vm->lock);
	memset(&run->system_event, 0, sizeof(run->system_event));
	run->exit_reason = KVM_EXIT_SYSTEM_EVENT;
	run->system_event.type = type;
	run->system_event.ndata = 1;
	run->system_event.data[0] = flags;
	/* Resuming the guest after this is a VMM bug: PSCI says it failed. */
	vcpu->ctxt->x[0] = PSCI_RET_INTERNAL_FAILURE;
	return 0;
}

static int hvl_psci_reset2(struct hvl_vcpu *vcpu)
{
	u32 type = vcpu->ctxt->x[1];

	/* Architectural SYSTEM_WARM_RESET (0) or a vendor-specific type (bit 31). */
	if (type != PSCI_1_1_RESET_TYPE_SYSTEM_WARM_RESET &&
	    !(type & PSCI_1_1_RESET_TYPE_VENDOR_START)) {
		vcpu->ctxt->x[0] = PSCI_RET_INVALID_PARAMS;
		return 1;
	}
	return hvl_system_event(vcpu, KVM_SYSTEM_EVENT_RESET,
				KVM_SYSTEM_EVENT_RESET_FLAG_PSCI_RESET2);
}

/*
 * PSCI 0.1, for vCPUs initialised without KVM_ARM_VCPU_PSCI_0_2: KVM's own
 * function ids (KVM_PSCI_FN_*), CPU_OFF and CPU_ON only.
 */
static int hvl_psci_0_1_call(struct hvl_vcpu *vcpu, u32 fn)
{
	struct hvl_vcpu_ctxt *g = vcpu->ctxt;

	switch (fn) {
	case KVM_PSCI_FN_CPU_OFF:
		spin_lock(&vcpu->vm->power_lock);
		vcpu->power_off = true;
		spin_unlock(&vcpu->vm->power_lock);
		return 1;
	case KVM_PSCI_FN_CPU_ON:
		g->x[3] = 0;	/* no context id in PSCI 0.1 */
		g->x[0] = hvl_psci_cpu_on(vcpu);
		return 1;
	default:
		g->x[0] = PSCI_RET_NOT_SUPPORTED;
		return 1;
	}
}

static bool hvl_is_system_suspend(u32 fn)
{
	return fn == PSCI_1_0_FN_SYSTEM_SUSPEND || fn == PSCI_1_0_FN64_SYSTEM_SUSPEND;
}

/*
 * SYSTEM_SUSPEND (KVM_CAP_ARM_SYSTEM_SUSPEND): with every other vCPU off,
 * a KVM_SYSTEM_EVENT_SUSPEND exit with the entry point and context id left
 * in x1 and x2 for the VMM, as KVM; DENIED otherwise.
 */
static int hvl_psci_system_suspend(struct hvl_vcpu *vcpu)
{
	struct hvl_vm *vm = vcpu->vm;
	struct kvm_run *run = vcpu->run;
	bool others_on = false;
	unsigned int i;

	mutex_lock(&vm->lock);
	spin_lock(&vm->power_lock);
	for (i = 0; i < HVL_MAX_VCPUS; i++)
		if (vm->vcpus[i] && vm->vcpus[i] != vcpu && !vm->vcpus[i]->power_off)
			others_on = true;
	spin_unlock(&vm->power_lock);
	mutex_unlock(&vm->lock);
	if (others_on) {
		vcpu->ctxt->x[0] = PSCI_RET_DENIED;
		vcpu->ctxt->x[1] = 0;
		vcpu->ctxt->x[2] = 0;
		vcpu->ctxt->x[3] = 0;
		return 1;
	}
	memset(&run->system_event, 0, sizeof(run->system_event));
	run->exit_reason = KVM_EXIT_SYSTEM_EVENT;
	run->system_event.type = KVM_SYSTEM_EVENT_SUSPEND;
	run->system_event.ndata = 1;
	return 0;
}

/* PSCI and SMCCC discovery; 1 (re-enter), 0 (exit to userspace). */
static int hvl_psci_call(struct hvl_vcpu *vcpu, u32 fn)
{
	struct hvl_vcpu_ctxt *g = vcpu->ctxt;

	if (!(vcpu->features & BIT(KVM_ARM_VCPU_PSCI_0_2)) &&
	    fn != ARM_SMCCC_VERSION_FUNC_ID && fn != ARM_SMCCC_ARCH_FEATURES_FUNC_ID)
		return hvl_psci_0_1_call(vcpu, fn);
	switch (fn) {
	case PSCI_0_2_FN_PSCI_VERSION:
		g->x[0] = HVL_PSCI_VERSION;
		return 1;
	case PSCI_1_0_FN_PSCI_FEATURES:
		g->x[0] = hvl_psci_fn_supported(g->x[1]) ||
			  (hvl_is_system_suspend(g->x[1]) && vcpu->vm->system_suspend) ? 0 :
			  PSCI_RET_NOT_SUPPORTED;
		return 1;
	case ARM_SMCCC_VERSION_FUNC_ID:
		g->x[0] = ARM_SMCCC_VERSION_1_1;
		return 1;
	case PSCI_0_2_FN_CPU_SUSPEND:
	case PSCI_0_2_FN64_CPU_SUSPEND:
		/* Standby: a WFI that PSCI returns success from. */
		g->x[0] = PSCI_RET_SUCCESS;
		return hvl_vcpu_block(vcpu);
	case PSCI_0_2_FN_CPU_OFF:
		spin_lock(&vcpu->vm->power_lock);
		vcpu->power_off = true;
		spin_unlock(&vcpu->vm->power_lock);
		return 1;
	case PSCI_0_2_FN_CPU_ON:
	case PSCI_0_2_FN64_CPU_ON:
		g->x[0] = hvl_psci_cpu_on(vcpu);
		return 1;
	case PSCI_0_2_FN_AFFINITY_INFO:
	case PSCI_0_2_FN64_AFFINITY_INFO:
		g->x[0] = hvl_psci_affinity_info(vcpu);
		return 1;
	case PSCI_0_2_FN_MIGRATE_INFO_TYPE:
		g->x[0] = PSCI_0_2_TOS_MP;
		return 1;
	case PSCI_0_2_FN_SYSTEM_OFF:
		return hvl_system_event(vcpu, KVM_SYSTEM_EVENT_SHUTDOWN, 0);
	case PSCI_0_2_FN_SYSTEM_RESET:
		return hvl_system_event(vcpu, KVM_SYSTEM_EVENT_RESET, 0);
	case PSCI_1_1_FN_SYSTEM_RESET2:
	case PSCI_1_1_FN64_SYSTEM_RESET2:
		return hvl_psci_reset2(vcpu);
	default:
		g->x[0] = SMCCC_RET_NOT_SUPPORTED;
		return 1;
	}
}

/*
 * kvm_run.hypercall.flags (a u64 where older headers have longmode and pad:
 * the same bytes).
 */
static void hvl_hypercall_set_flags(struct kvm_run *run, u64 flags)
{
	size_t off = offsetof(struct kvm_run, hypercall.ret) + sizeof(run->hypercall.ret);

	*(u64 *)((u8 *)run + off) = flags;
}

static u8 hvl_smccc_action(struct hvl_vm *vm, u32 fn)
{
	u8 action = KVM_SMCCC_FILTER_HANDLE;
	unsigned int i;

	mutex_lock(&vm->lock);
	for (i = 0; i < vm->nr_filters; i++)
		if (fn >= vm->filters[i].base && fn - vm->filters[i].base < vm->filters[i].nr)
			action = vm->filters[i].action;
	mutex_unlock(&vm->lock);
	return action;
}

/*
 * SMCCC: x0-x3 are results; those a call does not return read 0 (as KVM).
 * Calls forwarded to userspace leave the registers to the VMM.
 */
int hvl_handle_hvc(struct hvl_vcpu *vcpu, bool smc)
{
	struct hvl_vcpu_ctxt *g = vcpu->ctxt;
	u32 fn = g->x[0];
	int ret;

	/* SMC traps with ELR at the instruction; HVC returns past it already. */
	if (smc) {
		if (g->esr_el2 & ESR_ELx_xVC_IMM_MASK) {
			hvl_inject_undef(vcpu);
			return 1;
		}
		hvl_skip_instr(vcpu);
	}
	switch (hvl_smccc_action(vcpu->vm, fn)) {
	case KVM_SMCCC_FILTER_DENY:
		g->x[0] = SMCCC_RET_NOT_SUPPORTED;
		ret = 1;
		break;
	case KVM_SMCCC_FILTER_FWD_TO_USER:
		memset(&vcpu->run->hypercall, 0, sizeof(vcpu->run->hypercall));
		vcpu->run->exit_reason = KVM_EXIT_HYPERCALL;
		vcpu->run->hypercall.nr = fn;
		hvl_hypercall_set_flags(vcpu->run, smc ? KVM_HYPERCALL_EXIT_SMC : 0);
		return 0;
	default:
		/* TRNG, PV time, the vendor services: they set x0-x3. */
		if (hvl_smccc_service(vcpu, fn, g->x))
			return 1;
		if (hvl_is_system_suspend(fn) && vcpu->vm->system_suspend &&
		    (vcpu->features & BIT(KVM_ARM_VCPU_PSCI_0_2)))
			return hvl_psci_system_suspend(vcpu);
		ret = hvl_psci_call(vcpu, fn);
		break;
	}
	g->x[1] = 0;
	g->x[2] = 0;
	g->x[3] = 0;
	return ret;
}

/* KVM_{GET,HAS}_DEVICE_ATTR(KVM_ARM_VM_SMCCC_CTRL). Called with vm->lock. */
int hvl_smccc_get_attr(struct hvl_vm *vm, struct kvm_device_attr *attr, bool has_only)
{
	if (attr->attr != KVM_ARM_VM_SMCCC_FILTER)
		return -ENXIO;
	/* The filter is write-only, as in KVM. */
	return has_only ? 0 : -ENXIO;
}

static bool hvl_filter_overlaps(struct hvl_vm *vm, u64 base, u64 end)
{
	unsigned int i;

	if (base < SMCCC_ARCH32_BASE + SMCCC_ARCH_RANGE_SIZE && SMCCC_ARCH32_BASE < end)
		return true;
	if (base < SMCCC_ARCH64_BASE + SMCCC_ARCH_RANGE_SIZE && SMCCC_ARCH64_BASE < end)
		return true;
	for (i = 0; i < vm->nr_filters; i++)
		if (base < (u64)vm->filters[i].base + vm->filters[i].nr &&
		    vm->filters[i].base < end)
			return true;
	return false;
}

/* KVM_SET_DEVICE_ATTR(KVM_ARM_VM_SMCCC_CTRL, FILTER). Called with vm->lock. */
int hvl_smccc_set_attr(struct hvl_vm *vm, struct kvm_device_attr *attr)
{
	struct kvm_smccc_filter f;
	u64 end;

	if (attr->attr != KVM_ARM_VM_SMCCC_FILTER)
		return -ENXIO;
	if (copy_from_user(&f, u64_to_user_ptr(attr->addr), sizeof(f)))
		return -EFAULT;
	if (memchr_inv(f.pad, 0, sizeof(f.pad)) || !f.nr_functions ||
	    f.action > KVM_SMCCC_FILTER_FWD_TO_USER)
		return -EINVAL;
	end = (u64)f.base + f.nr_functions;
	if (end > BIT_ULL(32))
		return -EINVAL;
	if (vm->has_run)
		return -EBUSY;
	if (hvl_filter_overlaps(vm, f.base, end))
		return -EEXIST;
	if (vm->nr_filters == HVL_MAX_SMCCC_FILTERS)
		return -ENOSPC;
	vm->filters[vm->nr_filters++] = (struct hvl_smccc_filter){
		.base = f.base, .nr = f.nr_functions, .action = f.action,
	};
	return 0;
}
