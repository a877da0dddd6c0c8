// SPDX-License-Identifier: GPL-2.0-only
/*
 * The vCPU fd: KVM_ARM_VCPU_INIT and reset, register access, MP state, the
 * mmap'ed struct kvm_run and the KVM_RUN loop around the EL2 world switch.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <asm/arch_timer.h>
#include <asm/cputype.h>
#include <asm/kvm_arm.h>
#include <asm/neon.h>
#include <asm/ptrace.h>
#include <asm/sysreg.h>
#include <clocksource/arm_arch_timer.h>
#include "../vm.h"

#define HVL_CTXT_SIZE		PAGE_ALIGN(sizeof(struct hvl_vcpu_ctxt))
#define HVL_RESET_PSTATE	(PSR_MODE_EL1h | PSR_A_BIT | PSR_I_BIT | PSR_F_BIT | PSR_D_BIT)
#define HVL_SUPPORTED_FEATURES	(BIT(KVM_ARM_VCPU_POWER_OFF) | BIT(KVM_ARM_VCPU_PSCI_0_2))

static const struct file_operations hvl_vcpu_fops;

/* KVM's MPIDR for vCPU @id: Aff0 = id[3:0], Aff1 = id[11:4], Aff2 = id[19:12]. */
static u64 hvl_vcpu_mpidr(u32 id)
{
	return BIT_ULL(31) | ((u64)(id & 0xf) << MPIDR_LEVEL_SHIFT(0)) |
	       ((u64)((id >> 4) & 0xff) << MPIDR_LEVEL_SHIFT(1)) |
	       ((u64)((id >> 12) & 0xff) << MPIDR_LEVEL_SHIFT(2));
}

/* The EL2 controls this vCPU runs under; see Documentation/design.md. */
static void hvl_vcpu_setup_el2(struct hvl_vcpu *vcpu)
{
	struct hvl_vcpu_ctxt *g = vcpu->ctxt;

	g->hcr_el2 = HCR_GUEST_FLAGS;
	g->vttbr_el2 = vcpu->vm->s2.vttbr;
	g->vtcr_el2 = vcpu->vm->s2.vtcr;
	g->vmpidr_el2 = hvl_vcpu_mpidr(vcpu->id);
	g->vpidr_el2 = read_cpuid_id();
	/* Trap SVE, SME, trace and activity monitors; FP/SIMD is switched. */
	g->cptr_el2 = CPTR_NVHE_EL2_RES1 | CPTR_EL2_TZ | CPTR_EL2_TSM | CPTR_EL2_TTA |
		      CPTR_EL2_TAM;
	/* Trap debug, PMU, SPE and trace registers (EL2 keeps the host's HPMN). */
	g->mdcr_el2 = MDCR_EL2_TDA | MDCR_EL2_TDOSA |
		      MDCR_EL2_TDRA | MDCR_EL2_TPM | MDCR_EL2_TPMCR | MDCR_EL2_TPMS |
		      MDCR_EL2_TTRF;
	/* The guest reads the counter; its physical timer traps (core/timer.c). */
	g->cnthctl_el2 = hvl_timer_cnthctl(vcpu->vm);
	g->cntvoff_el2 = vcpu->vm->cntvoff;
}

/* Architectural reset, as KVM_ARM_VCPU_INIT defines it (api.rst). */
void hvl_vcpu_reset(struct hvl_vcpu *vcpu)
{
	struct hvl_vcpu_ctxt *g = vcpu->ctxt;

	memset(g, 0, offsetof(struct hvl_vcpu_ctxt, hcr_el2));
	g->pstate = HVL_RESET_PSTATE;
	hvl_sysregs_reset(vcpu);
	hvl_timer_reset(vcpu);
	vcpu->st_active = false;
	hvl_vcpu_setup_el2(vcpu);
	vcpu->mmio_pending = false;
}

static int hvl_vcpu_init(struct hvl_vcpu *vcpu, void __user *argp)
{
	struct kvm_vcpu_init init;
	unsigned int i;

	if (copy_from_user(&init, argp, sizeof(init)))
		return -EFAULT;
	if (init.target != KVM_ARM_TARGET_GENERIC_V8)
		return -EINVAL;
	/* Unknown feature bits: ENOENT; known ones hvlite lacks: EINVAL (as KVM). */
	for (i = 1; i < ARRAY_SIZE(init.features); i++)
		if (init.features[i])
			return -ENOENT;
	if (init.features[0] & ~GENMASK(KVM_ARM_VCPU_HAS_EL2, 0))
		return -ENOENT;
	if (init.features[0] & ~HVL_SUPPORTED_FEATURES)
		return -EINVAL;
	/* A second init resets the vCPU but may not change its features. */
	if (vcpu->initialized && init.features[0] != vcpu->features)
		return -EINVAL;
	vcpu->features = init.features[0];
	hvl_vcpu_reset(vcpu);
	spin_lock(&vcpu->vm->power_lock);
	vcpu->power_off = init.features[0] & BIT(KVM_ARM_VCPU_POWER_OFF);
	vcpu->pending_reset = false;
	spin_unlock(&vcpu->vm->power_lock);
	vcpu->initialized = true;
	return 0;
}

/*
 * Wake a vCPU blocked in KVM_RUN, or make a running one exit. The vCPU's
 * task may be leaving KVM_RUN and exiting meanwhile: task structs are freed
 * only after an RCU grace period, so the read side keeps @t valid.
 */
void hvl_vcpu_kick(struct hvl_vcpu *vcpu)
{
	struct task_struct *t;

	WRITE_ONCE(vcpu->wake, true);
	wake_up_interruptible(&vcpu->wq);
	rcu_read_lock();
	t = READ_ONCE(vcpu->task);
	if (t)
		kick_process(t);
	rcu_read_unlock();
}

static bool hvl_vcpu_runnable(struct hvl_vcpu *vcpu)
{
	bool off;

	spin_lock(&vcpu->vm->power_lock);
	off = vcpu->power_off;
	spin_unlock(&vcpu->vm->power_lock);
	return !off;
}

static enum hrtimer_restart hvl_wfi_timer_fn(struct hrtimer *t)
{
	hvl_vcpu_kick(container_of(t, struct hvl_vcpu, wfi_timer));
	return HRTIMER_NORESTART;
}

static bool hvl_vcpu_should_wake(struct hvl_vcpu *vcpu)
{
	return READ_ONCE(vcpu->wake) || hvl_vgic_vcpu_pending(vcpu);
}

/*
 * WFI: sleep until an interrupt is pending for this vCPU (a host hrtimer
 * stands in for its virtual timer), a kick (power change) or a signal.
 */
int hvl_vcpu_block(struct hvl_vcpu *vcpu)
{
	u64 left = hvl_timer_ticks_left(vcpu);
	int ret;

	if (hvl_vgic_vcpu_pending(vcpu))
		return 1;
	if (left)
		hrtimer_start(&vcpu->wfi_timer,
			      ns_to_ktime(mul_u64_u32_div(left, NSEC_PER_SEC,
							  arch_timer_get_cntfrq())),
			      HRTIMER_MODE_REL);
	ret = wait_event_interruptible(vcpu->wq, hvl_vcpu_should_wake(vcpu));
	hrtimer_cancel(&vcpu->wfi_timer);
	WRITE_ONCE(vcpu->wake, false);
	return ret ? -EINTR : 1;
}

/*
 * CPU_ON's reset of this vCPU to its entry point, owed since another vCPU
 * called it: done before the vCPU runs, and before the VMM reads or writes
 * its registers (as KVM's KVM_REQ_VCPU_RESET).
 */
static void hvl_vcpu_apply_pending_reset(struct hvl_vcpu *vcpu)
{
	spin_lock(&vcpu->vm->power_lock);
	if (vcpu->pending_reset) {
		u64 pc = vcpu->reset_pc, x0 = vcpu->reset_x0;

		vcpu->pending_reset = false;
		spin_unlock(&vcpu->vm->power_lock);
		hvl_vcpu_reset(vcpu);
		vcpu->ctxt->pc = pc;
		vcpu->ctxt->x[0] = x0;
		return;
	}
	spin_unlock(&vcpu->vm->power_lock);
}

/* A powered-off vCPU (POWER_OFF, CPU_OFF) waits for CPU_ON or a signal. */
static int hvl_vcpu_wait_power_on(struct hvl_vcpu *vcpu)
{
	if (wait_event_interruptible(vcpu->wq, hvl_vcpu_runnable(vcpu)))
		return -EINTR;
	hvl_vcpu_apply_pending_reset(vcpu);
	return 0;
}

/*
 * SPSR_EL2 for the entry: never EL2 or an AArch32 mode above EL0, whatever
 * was written through ONE_REG (defence in depth: ONE_REG validates too).
 */
static void hvl_vcpu_sanitize_pstate(struct hvl_vcpu_ctxt *g)
{
	if (!hvl_pstate_valid(g->pstate))
		g->pstate = (g->pstate & ~(PSR_MODE_MASK | PSR_MODE32_BIT)) | PSR_MODE_EL1h;
	g->pstate &= ~PSR_IL_BIT;
}

/* One entry into the guest; returns HVL_EXIT_* or a negative errno. */
static int hvl_vcpu_enter(struct hvl_vcpu *vcpu)
{
	u64 left = hvl_timer_ticks_left(vcpu);
	struct hvl_hvc_res res;
	bool entered;
	int ret;

	/* CNTHP ends the entry at the quantum, or when a guest timer fires. */
	vcpu->ctxt->cnthp_tval = left ? min(left, hvl_quantum_ticks()) : hvl_quantum_ticks();
	/* EL2 may answer PSCI/SMCCC queries only while no filter can claim them. */
	vcpu->ctxt->flags = !vcpu->vm->nr_filters && !vcpu->vm->system_suspend &&
			    (vcpu->features & BIT(KVM_ARM_VCPU_PSCI_0_2)) ? HVL_CTXT_FAST_HVC : 0;
	hvl_vcpu_sanitize_pstate(vcpu->ctxt);
	hvl_debug_prepare(vcpu);
	hvl_pvtime_update(vcpu);
	if (vcpu->vm->vgic)
		hvl_vgic_flush(vcpu);
	else
		vcpu->ctxt->ich_hcr = 0;
	/* The task's FP/SIMD (and SVE/SME) state is saved; EL2 loads the guest's. */
	kernel_neon_begin();
	local_irq_disable();
	/*
	 * A kick (an interrupt made pending for this vCPU, a power change)
	 * after the flush above would leave the list registers stale. With
	 * interrupts off, a later kick's IPI stays pending and ends the entry
	 * at once; an earlier one is seen here, and the entry is not made:
	 * the caller goes round again, as after a host interrupt.
	 */
	entered = !READ_ONCE(vcpu->wake);
	if (entered) {
		hvl_vtimer_irq_prepare(hvl_timer_vtimer_asserted(vcpu));
		ret = hvl_el2_call(HVL_HC_VCPU_RUN, hvl_hyp_va(vcpu->ctxt), 0, &res);
	} else {
		WRITE_ONCE(vcpu->wake, false);
		ret = 0;
		res.a1 = HVL_EXIT_IRQ;
	}
	local_irq_enable();
	kernel_neon_end();
	if (ret)
		return ret;
	if (entered && vcpu->ctxt->el2_timer_fired)
		atomic64_inc(&hvl_nr_el2_timer_exits);
	/* Both undo their half of the entry, whether it was made or not. */
	hvl_debug_after_exit(vcpu);
	if (vcpu->vm->vgic)
		hvl_vgic_sync(vcpu);
	vcpu->nr_exits += entered;
	return res.a1;
}

static int hvl_vcpu_run(struct hvl_vcpu *vcpu)
{
	struct kvm_run *run = vcpu->run;
	int ret;

	if (!vcpu->initialized)
		return -ENOEXEC;
	if (vcpu->mmio_pending)
		hvl_mmio_complete(vcpu);
	if (READ_ONCE(run->HVL_IMMEDIATE_EXIT))
		return -EINTR;
	if (vcpu->vm->vgic) {
		ret = hvl_vgic_ensure_ready(vcpu->vm);
		if (ret)
			return ret;
	}
	vcpu->vm->has_run = true;
	run->exit_reason = KVM_EXIT_UNKNOWN;
	run->flags = 0;
	WRITE_ONCE(vcpu->task, current);
	do {
		if (!hvl_vcpu_runnable(vcpu) || vcpu->pending_reset) {
			ret = hvl_vcpu_wait_power_on(vcpu);
			if (ret)
				break;
		}
		if (signal_pending(current)) {
			ret = -EINTR;
			break;
		}
		cond_resched();
		ret = hvl_vcpu_enter(vcpu);
		if (ret >= 0)
			ret = hvl_handle_exit(vcpu, ret);
	} while (ret > 0);
	WRITE_ONCE(vcpu->task, NULL);
	if (ret == -EINTR)
		run->exit_reason = KVM_EXIT_INTR;
	if (ret == -EIO) {
		run->exit_reason = KVM_EXIT_FAIL_ENTRY;
		run->fail_entry.hardware_entry_failure_reason = 0;
		run->fail_entry.cpu = raw_smp_processor_id();
	}
	return ret;
}

static int hvl_vcpu_get_mp_state(struct hvl_vcpu *vcpu, void __user *argp)
{
	struct kvm_mp_state mp = {
		.mp_state = hvl_vcpu_runnable(vcpu) ? KVM_MP_STATE_RUNNABLE : KVM_MP_STATE_STOPPED,
	};

	return copy_to_user(argp, &mp, sizeof(mp)) ? -EFAULT : 0;
}

static int hvl_vcpu_set_mp_state(struct hvl_vcpu *vcpu, void __user *argp)
{
	struct kvm_mp_state mp;

	if (copy_from_user(&mp, argp, sizeof(mp)))
		return -EFAULT;
	if (mp.mp_state != KVM_MP_STATE_RUNNABLE && mp.mp_state != KVM_MP_STATE_STOPPED)
		return -EINVAL;
	spin_lock(&vcpu->vm->power_lock);
	vcpu->power_off = mp.mp_state == KVM_MP_STATE_STOPPED;
	spin_unlock(&vcpu->vm->power_lock);
	hvl_vcpu_kick(vcpu);
	return 0;
}

/*
 * vCPU device attributes: the timer interrupt numbers (KVM_ARM_VCPU_TIMER_CTRL),
 * fixed at the architected PPIs (virtual 27, physical 30) as KVM defaults them,
 * and the stolen-time record's address (KVM_ARM_VCPU_PVTIME_CTRL).
 */
static int hvl_vcpu_attr(struct hvl_vcpu *vcpu, unsigned int ioctl, void __user *argp)
{
	struct kvm_device_attr a;
	u32 irq, cur;

	if (copy_from_user(&a, argp, sizeof(a)))
		return -EFAULT;
	if (a.group == KVM_ARM_VCPU_PVTIME_CTRL)
		return hvl_pvtime_attr(vcpu, ioctl, &a);
	if (a.group != KVM_ARM_VCPU_TIMER_CTRL ||
	    (a.attr != KVM_ARM_VCPU_TIMER_IRQ_VTIMER && a.attr != KVM_ARM_VCPU_TIMER_IRQ_PTIMER))
		return -ENXIO;
	cur = a.attr == KVM_ARM_VCPU_TIMER_IRQ_VTIMER ? 27 : 30;
	if (ioctl == KVM_HAS_DEVICE_ATTR)
		return 0;
	if (ioctl == KVM_GET_DEVICE_ATTR)
		return put_user(cur, (u32 __user *)u64_to_user_ptr(a.addr)) ? -EFAULT : 0;
	if (get_user(irq, (u32 __user *)u64_to_user_ptr(a.addr)))
		return -EFAULT;
	if (vcpu->vm->has_run)
		return -EBUSY;
	return irq == cur ? 0 : -EINVAL;
}

static long hvl_vcpu_ioctl_locked(struct hvl_vcpu *vcpu, unsigned int ioctl, void __user *argp)
{
	struct kvm_one_reg reg;

	switch (ioctl) {
	case KVM_RUN:
		return argp ? -EINVAL : hvl_vcpu_run(vcpu);
	case KVM_ARM_VCPU_INIT:
		return hvl_vcpu_init(vcpu, argp);
	case KVM_GET_ONE_REG:
	case KVM_SET_ONE_REG:
		if (copy_from_user(&reg, argp, sizeof(reg)))
			return -EFAULT;
		if (!vcpu->initialized)
			return -ENOEXEC;
		hvl_vcpu_apply_pending_reset(vcpu);
		return ioctl == KVM_GET_ONE_REG ? hvl_get_one_reg(vcpu, &reg) :
						  hvl_set_one_reg(vcpu, &reg);
	case KVM_GET_REG_LIST:
		if (!vcpu->initialized)
			return -ENOEXEC;
		return hvl_get_reg_list(vcpu, argp);
	case KVM_SET_GUEST_DEBUG:
		return hvl_set_guest_debug(vcpu, argp);
	case KVM_SET_DEVICE_ATTR:
	case KVM_GET_DEVICE_ATTR:
	case KVM_HAS_DEVICE_ATTR:
		return hvl_vcpu_attr(vcpu, ioctl, argp);
	case KVM_GET_MP_STATE:
		return hvl_vcpu_get_mp_state(vcpu, argp);
	case KVM_SET_MP_STATE:
		return hvl_vcpu_set_mp_state(vcpu, argp);
	default:
		return -EINVAL;
	}
}

static long hvl_vcpu_ioctl(struct file *file, unsigned int ioctl, unsigned long arg)
{
	struct hvl_vcpu *vcpu = file->private_data;
	long ret;

	if (vcpu->vm->mm != current->mm)
		return -EIO;
	if (mutex_lock_killable(&vcpu->lock))
		return -EINTR;
	ret = hvl_vcpu_ioctl_locked(vcpu, ioctl, (void __user *)arg);
	mutex_unlock(&vcpu->lock);
	return ret;
}

static vm_fault_t hvl_vcpu_fault(struct vm_fault *vmf)
{
	struct hvl_vcpu *vcpu = vmf->vma->vm_file->private_data;

	if (vmf->pgoff)
		return VM_FAULT_SIGBUS;
	vmf->page = virt_to_page(vcpu->run);
	get_page(vmf->page);
	return 0;
}

static const struct vm_operations_struct hvl_vcpu_vm_ops = {
	.fault = hvl_vcpu_fault,
};

static int hvl_vcpu_mmap(struct file *file, struct vm_area_struct *vma)
{
	if (vma->vm_pgoff || vma_pages(vma) > 1)
		return -EINVAL;
	vma->vm_ops = &hvl_vcpu_vm_ops;
	return 0;
}

static int hvl_vcpu_release(struct inode *inode, struct file *file)
{
	struct hvl_vcpu *vcpu = file->private_data;

	hvl_vm_put(vcpu->vm);
	return 0;
}

static const struct file_operations hvl_vcpu_fops = {
	.owner = THIS_MODULE,
	.release = hvl_vcpu_release,
	.unlocked_ioctl = hvl_vcpu_ioctl,
	.mmap = hvl_vcpu_mmap,
	.llseek = noop_llseek,
};

/* Only when the VM goes: vCPUs live as long as their VM, as in KVM. */
void hvl_vcpu_free(struct hvl_vcpu *vcpu)
{
	hrtimer_cancel(&vcpu->wfi_timer);
	/* The context stays mapped at EL2 (see design.md); EL2 never uses it again. */
	free_pages_exact(vcpu->ctxt, HVL_CTXT_SIZE);
	free_page((unsigned long)vcpu->run);
	kfree(vcpu);
	atomic64_dec(&hvl_nr_vcpus);
}

static struct hvl_vcpu *hvl_vcpu_alloc(struct hvl_vm *vm, u32 id)
{
	struct hvl_vcpu *vcpu = kzalloc(sizeof(*vcpu), GFP_KERNEL_ACCOUNT);

	if (!vcpu)
		return NULL;
	vcpu->vm = vm;
	vcpu->id = id;
	vcpu->s2_retry_ipa = ~0ULL;
	mutex_init(&vcpu->lock);
	init_waitqueue_head(&vcpu->wq);
	vcpu->st_ipa = HVL_INVALID_GPA;
	vcpu->rd_region = -1;
	hrtimer_init(&vcpu->wfi_timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
	vcpu->wfi_timer.function = hvl_wfi_timer_fn;
	vcpu->run = (struct kvm_run *)get_zeroed_page(GFP_KERNEL_ACCOUNT);
	vcpu->ctxt = alloc_pages_exact(HVL_CTXT_SIZE, GFP_KERNEL_ACCOUNT | __GFP_ZERO);
	if (!vcpu->run || !vcpu->ctxt ||
	    hvl_hyp_map(vcpu->ctxt, HVL_CTXT_SIZE, HVL_HYP_RW)) {
		if (vcpu->ctxt)
			free_pages_exact(vcpu->ctxt, HVL_CTXT_SIZE);
		free_page((unsigned long)vcpu->run);
		kfree(vcpu);
		return NULL;
	}
	return vcpu;
}

int hvl_create_vcpu(struct hvl_vm *vm, unsigned long id)
{
	struct hvl_vcpu *vcpu;
	int fd;

	if (id >= HVL_MAX_VCPUS)
		return -EINVAL;
	mutex_lock(&vm->lock);
	if (vm->vcpus[id]) {
		fd = -EEXIST;
		goto out;
	}
	/* The vGIC sized its redistributors at init: no vCPU after that (as KVM). */
	if (vm->vgic && vm->vgic->initialized) {
		fd = -EBUSY;
		goto out;
	}
	vcpu = hvl_vcpu_alloc(vm, id);
	if (!vcpu) {
		fd = -ENOMEM;
		goto out;
	}
	atomic64_inc(&hvl_nr_vcpus);
	kref_get(&vm->ref);
	fd = anon_inode_getfd("hvlite-vcpu", &hvl_vcpu_fops, vcpu, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		refcount_dec(&vm->ref.refcount);	/* never the last: the VM fd holds one */
		hvl_vcpu_free(vcpu);
		goto out;
	}
	vcpu->idx = vm->nr_vcpus;
	vm->vcpus[id] = vcpu;
	vm->nr_vcpus++;
	if (vm->vgic)
		hvl_vgic_place(vm);
out:
	mutex_unlock(&vm->lock);
	return fd;
}
