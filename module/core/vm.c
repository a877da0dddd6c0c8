// SPDX-License-Identifier: GPL-2.0-only
/*
 * The VM fd: memory regions (pinned, accounted, mapped at Stage-2),
 * capabilities, vCPU creation and the VM's lifetime.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <clocksource/arm_arch_timer.h>
#include <linux/hvlite.h>
#include "../vm.h"

static const struct file_operations hvl_vm_fops;

atomic64_t hvl_nr_vms, hvl_nr_vcpus, hvl_nr_pinned, hvl_nr_el2_timer_exits;

/* KVM_CHECK_EXTENSION on the system fd (@vm NULL) and on a VM fd. */
int hvl_check_extension(struct hvl_vm *vm, long cap)
{
	switch (cap) {
	case KVM_CAP_USER_MEMORY:
	case KVM_CAP_USER_MEMORY2:
	case KVM_CAP_DESTROY_MEMORY_REGION_WORKS:
	case KVM_CAP_JOIN_MEMORY_REGIONS_WORKS:
	case KVM_CAP_ONE_REG:
	case KVM_CAP_ARM_PSCI:
	case KVM_CAP_ARM_PSCI_0_2:
	case KVM_CAP_READONLY_MEM:
	case KVM_CAP_IMMEDIATE_EXIT:
	case KVM_CAP_MP_STATE:
	case KVM_CAP_ARM_NISV_TO_USER:
	case KVM_CAP_CHECK_EXTENSION_VM:
	case KVM_CAP_ENABLE_CAP_VM:
	case KVM_CAP_SYSTEM_EVENT_DATA:
	case KVM_CAP_ARM_SYSTEM_SUSPEND:
	case KVM_CAP_PTP_KVM:
		return 1;
	case KVM_CAP_STEAL_TIME:
		return IS_ENABLED(CONFIG_SCHED_INFO);
	case KVM_CAP_NR_VCPUS:
		return min_t(int, num_online_cpus(), HVL_MAX_VCPUS);
	case KVM_CAP_MAX_VCPUS:
	case KVM_CAP_MAX_VCPU_ID:
		return HVL_MAX_VCPUS;
	case KVM_CAP_NR_MEMSLOTS:
		return HVL_MAX_MEMSLOTS;
	case KVM_CAP_ARM_VM_IPA_SIZE:
		return hvl_s2_max_ipa_bits();
	case KVM_CAP_SET_GUEST_DEBUG:
	case KVM_CAP_IRQCHIP:
	case KVM_CAP_DEVICE_CTRL:
	case KVM_CAP_ARM_IRQ_LINE_LAYOUT_2:
	case KVM_CAP_VCPU_ATTRIBUTES:
		return 1;
	case KVM_CAP_SET_GUEST_DEBUG2:
		return KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_SINGLESTEP |
		       KVM_GUESTDBG_USE_SW_BP | KVM_GUESTDBG_USE_HW;
	case KVM_CAP_GUEST_DEBUG_HW_BPS:
		return hvl_debug_nr_hw(false);
	case KVM_CAP_GUEST_DEBUG_HW_WPS:
		return hvl_debug_nr_hw(true);
	default:
		return 0;
	}
}

struct hvl_memslot *hvl_find_slot(struct hvl_vm *vm, u64 gpa)
{
	unsigned int i;

	for (i = 0; i < HVL_MAX_MEMSLOTS; i++) {
		struct hvl_memslot *s = &vm->slots[i];

		if (s->used && gpa >= s->gpa && gpa - s->gpa < s->size)
			return s;
	}
	return NULL;
}

static void hvl_slot_release(struct hvl_vm *vm, struct hvl_memslot *s)
{
	unpin_user_pages_dirty_lock(s->pages, s->npages, !(s->flags & KVM_MEM_READONLY));
	account_locked_vm(vm->mm, s->npages, false);
	vm->locked_pages -= s->npages;
	atomic64_sub(s->npages, &hvl_nr_pinned);
	kvfree(s->pages);
	memset(s, 0, sizeof(*s));
}

/* Pin the slot's memory for as long as it is mapped at Stage-2. */
static int hvl_slot_pin(struct hvl_vm *vm, struct hvl_memslot *s)
{
	unsigned int gup = FOLL_LONGTERM | (s->flags & KVM_MEM_READONLY ? 0 : FOLL_WRITE);
	long got;
	int ret;

	ret = account_locked_vm(vm->mm, s->npages, true);
	if (ret)
		return ret;
	s->pages = kvmalloc_array(s->npages, sizeof(*s->pages), GFP_KERNEL_ACCOUNT);
	if (!s->pages) {
		ret = -ENOMEM;
		goto err_unaccount;
	}
	got = pin_user_pages_fast(s->uaddr, s->npages, gup, s->pages);
	if (got != s->npages) {
		if (got > 0)
			unpin_user_pages(s->pages, got);
		ret = got < 0 ? got : -EFAULT;
		goto err_free;
	}
	vm->locked_pages += s->npages;
	atomic64_add(s->npages, &hvl_nr_pinned);
	return 0;

err_free:
	kvfree(s->pages);
	s->pages = NULL;
err_unaccount:
	account_locked_vm(vm->mm, s->npages, false);
	return ret;
}

static bool hvl_slot_overlaps(struct hvl_vm *vm, const struct hvl_memslot *skip,
			      u64 gpa, u64 size)
{
	unsigned int i;

	for (i = 0; i < HVL_MAX_MEMSLOTS; i++) {
		const struct hvl_memslot *s = &vm->slots[i];

		if (s->used && s != skip && gpa < s->gpa + s->size && s->gpa < gpa + size)
			return true;
	}
	return false;
}

static struct hvl_memslot *hvl_slot_by_id(struct hvl_vm *vm, u32 id)
{
	unsigned int i;

	for (i = 0; i < HVL_MAX_MEMSLOTS; i++)
		if (vm->slots[i].used && vm->slots[i].id == id)
			return &vm->slots[i];
	return NULL;
}

static struct hvl_memslot *hvl_slot_free_entry(struct hvl_vm *vm)
{
	unsigned int i;

	for (i = 0; i < HVL_MAX_MEMSLOTS; i++)
		if (!vm->slots[i].used)
			return &vm->slots[i];
	return NULL;
}

/* KVM_SET_USER_MEMORY_REGION's argument checks, in KVM's order and errnos. */
static int hvl_check_region(struct hvl_vm *vm, const struct kvm_userspace_memory_region *m)
{
	if (m->flags & ~KVM_MEM_READONLY)
		return -EINVAL;
	if ((m->slot >> 16) || (m->slot & 0xffff) >= HVL_MAX_MEMSLOTS)
		return -EINVAL;
	if (!PAGE_ALIGNED(m->memory_size) || !PAGE_ALIGNED(m->guest_phys_addr) ||
	    !PAGE_ALIGNED(m->userspace_addr))
		return -EINVAL;
	if (m->memory_size && !access_ok((void __user *)(unsigned long)m->userspace_addr,
					 m->memory_size))
		return -EINVAL;
	if (m->guest_phys_addr + m->memory_size < m->guest_phys_addr)
		return -EINVAL;
	if ((m->memory_size >> PAGE_SHIFT) > UINT_MAX)
		return -EINVAL;
	if (m->guest_phys_addr + m->memory_size > BIT_ULL(vm->s2.ipa_bits))
		return -EFAULT;
	return 0;
}

static int hvl_set_memory_region_locked(struct hvl_vm *vm,
					const struct kvm_userspace_memory_region *m)
{
	struct hvl_memslot *old = hvl_slot_by_id(vm, m->slot), *s;
	int ret;

	lockdep_assert_held(&vm->lock);
	if (!m->memory_size) {
		if (!old)
			return -EINVAL;
		hvl_s2_unmap(&vm->s2, old->gpa, old->size);
		hvl_slot_release(vm, old);
		return 0;
	}
	if (old) {
		/* Only a move or a no-op: KVM refuses other changes the same way. */
		if (old->size != m->memory_size || old->uaddr != m->userspace_addr ||
		    old->flags != m->flags)
			return -EINVAL;
		if (old->gpa == m->guest_phys_addr)
			return 0;
		if (hvl_slot_overlaps(vm, old, m->guest_phys_addr, m->memory_size))
			return -EEXIST;
		hvl_s2_unmap(&vm->s2, old->gpa, old->size);
		old->gpa = m->guest_phys_addr;
		return hvl_s2_map(&vm->s2, old->gpa, old->pages, old->npages,
				  !(old->flags & KVM_MEM_READONLY));
	}
	if (hvl_slot_overlaps(vm, NULL, m->guest_phys_addr, m->memory_size))
		return -EEXIST;
	s = hvl_slot_free_entry(vm);
	if (!s)
		return -ENOSPC;
	*s = (struct hvl_memslot){
		.id = m->slot, .flags = m->flags, .gpa = m->guest_phys_addr,
		.size = m->memory_size, .uaddr = m->userspace_addr,
		.npages = m->memory_size >> PAGE_SHIFT,
	};
	ret = hvl_slot_pin(vm, s);
	if (ret)
		return ret;
	s->used = true;
	ret = hvl_s2_map(&vm->s2, s->gpa, s->pages, s->npages,
			 !(s->flags & KVM_MEM_READONLY));
	if (ret) {
		hvl_s2_unmap(&vm->s2, s->gpa, s->size);
		hvl_slot_release(vm, s);
	}
	return ret;
}

static int hvl_set_memory_region(struct hvl_vm *vm, struct kvm_userspace_memory_region m)
{
	int ret;

	mutex_lock(&vm->lock);
	ret = hvl_check_region(vm, &m);
	if (!ret)
		ret = hvl_set_memory_region_locked(vm, &m);
	mutex_unlock(&vm->lock);
	return ret;
}

static int hvl_set_memory_region_v1(struct hvl_vm *vm, void __user *argp)
{
	struct kvm_userspace_memory_region m;

	if (copy_from_user(&m, argp, sizeof(m)))
		return -EFAULT;
	return hvl_set_memory_region(vm, m);
}

/*
 * The same, without guest_memfd: its fields are ignored unless the
 * KVM_MEM_GUEST_MEMFD flag is set, which hvlite refuses (EINVAL), as KVM.
 */
static int hvl_set_memory_region_v2(struct hvl_vm *vm, void __user *argp)
{
	struct kvm_userspace_memory_region2 m2;
	struct kvm_userspace_memory_region m;

	if (copy_from_user(&m2, argp, sizeof(m2)))
		return -EFAULT;
	m = (struct kvm_userspace_memory_region){
		.slot = m2.slot, .flags = m2.flags, .guest_phys_addr = m2.guest_phys_addr,
		.memory_size = m2.memory_size, .userspace_addr = m2.userspace_addr,
	};
	return hvl_set_memory_region(vm, m);
}

/* Clean all guest memory to PoC (set/way cache maintenance by the guest). */
void hvl_vm_clean_dcache(struct hvl_vm *vm)
{
	unsigned int i;
	unsigned long p;

	mutex_lock(&vm->lock);
	for (i = 0; i < HVL_MAX_MEMSLOTS; i++) {
		struct hvl_memslot *s = &vm->slots[i];

		for (p = 0; s->used && p < s->npages; p++)
			hvl_clean_dcache_poc(page_address(s->pages[p]), PAGE_SIZE);
	}
	mutex_unlock(&vm->lock);
}

static int hvl_enable_cap(struct hvl_vm *vm, void __user *argp)
{
	struct kvm_enable_cap cap;

	if (copy_from_user(&cap, argp, sizeof(cap)))
		return -EFAULT;
	if (cap.flags)
		return -EINVAL;
	switch (cap.cap) {
	case KVM_CAP_ARM_NISV_TO_USER:
		mutex_lock(&vm->lock);
		vm->nisv_to_user = true;
		mutex_unlock(&vm->lock);
		return 0;
	case KVM_CAP_ARM_SYSTEM_SUSPEND:
		mutex_lock(&vm->lock);
		vm->system_suspend = true;
		mutex_unlock(&vm->lock);
		return 0;
	default:
		return -EINVAL;
	}
}

static int hvl_device_attr(struct hvl_vm *vm, unsigned int ioctl, void __user *argp)
{
	struct kvm_device_attr attr;
	int ret;

	if (copy_from_user(&attr, argp, sizeof(attr)))
		return -EFAULT;
	if (attr.group != KVM_ARM_VM_SMCCC_CTRL)
		return -ENXIO;
	mutex_lock(&vm->lock);
	if (ioctl == KVM_SET_DEVICE_ATTR)
		ret = hvl_smccc_set_attr(vm, &attr);
	else
		ret = hvl_smccc_get_attr(vm, &attr, ioctl == KVM_HAS_DEVICE_ATTR);
	mutex_unlock(&vm->lock);
	return ret;
}

static long hvl_vm_ioctl(struct file *file, unsigned int ioctl, unsigned long arg)
{
	struct hvl_vm *vm = file->private_data;
	void __user *argp = (void __user *)arg;

	if (vm->mm != current->mm)
		return -EIO;
	if (_IOC_TYPE(ioctl) == HVLITE_IO)
		return hvl_vm_ioctl_ext(vm, ioctl, argp);
	switch (ioctl) {
	case KVM_CREATE_VCPU:
		return hvl_create_vcpu(vm, arg);
	case KVM_SET_USER_MEMORY_REGION:
		return hvl_set_memory_region_v1(vm, argp);
	case KVM_SET_USER_MEMORY_REGION2:
		return hvl_set_memory_region_v2(vm, argp);
	case KVM_CHECK_EXTENSION:
		return hvl_check_extension(vm, arg);
	case KVM_ENABLE_CAP:
		return hvl_enable_cap(vm, argp);
	case KVM_ARM_PREFERRED_TARGET: {
		struct kvm_vcpu_init init = { .target = KVM_ARM_TARGET_GENERIC_V8 };

		return copy_to_user(argp, &init, sizeof(init)) ? -EFAULT : 0;
	}
	case KVM_SET_DEVICE_ATTR:
	case KVM_GET_DEVICE_ATTR:
	case KVM_HAS_DEVICE_ATTR:
		return hvl_device_attr(vm, ioctl, argp);
	case KVM_CREATE_DEVICE:
		return hvl_vgic_create_device(vm, argp);
	case KVM_IRQ_LINE:
		return hvl_vgic_irq_line(vm, argp);
	default:
		return -EINVAL;
	}
}

static void hvl_vm_release_kref(struct kref *ref)
{
	struct hvl_vm *vm = container_of(ref, struct hvl_vm, ref);
	unsigned int i;

	for (i = 0; i < HVL_MAX_VCPUS; i++)
		if (vm->vcpus[i])
			hvl_vcpu_free(vm->vcpus[i]);
	hvl_vgic_destroy(vm);
	for (i = 0; i < HVL_MAX_MEMSLOTS; i++)
		if (vm->slots[i].used)
			hvl_slot_release(vm, &vm->slots[i]);
	/* Flushes the VMID before its tables and number go. */
	hvl_s2_destroy(&vm->s2);
	mmdrop(vm->mm);
	kfree(vm);
	atomic64_dec(&hvl_nr_vms);
}

void hvl_vm_put(struct hvl_vm *vm)
{
	kref_put(&vm->ref, hvl_vm_release_kref);
}

static int hvl_vm_release(struct inode *inode, struct file *file)
{
	hvl_vm_put(file->private_data);
	return 0;
}

static const struct file_operations hvl_vm_fops = {
	.owner = THIS_MODULE,
	.release = hvl_vm_release,
	.unlocked_ioctl = hvl_vm_ioctl,
	.llseek = noop_llseek,
};

/* KVM_CREATE_VM: @type carries the IPA size (0: 40 bits). */
int hvl_create_vm(unsigned long type)
{
	unsigned int ipa = type & KVM_VM_TYPE_ARM_IPA_SIZE_MASK;
	struct hvl_vm *vm;
	int ret;

	if (type & ~KVM_VM_TYPE_ARM_IPA_SIZE_MASK)
		return -EINVAL;
	if (!ipa)
		ipa = HVL_DEFAULT_IPA_BITS;
	else if (ipa < HVL_MIN_IPA_BITS || ipa > hvl_s2_max_ipa_bits())
		return -EINVAL;
	vm = kzalloc(sizeof(*vm), GFP_KERNEL_ACCOUNT);
	if (!vm)
		return -ENOMEM;
	kref_init(&vm->ref);
	mutex_init(&vm->lock);
	spin_lock_init(&vm->power_lock);
	vm->mm = current->mm;
	mmgrab(vm->mm);
	/* The guest's virtual counter starts at 0. */
	vm->cntvoff = arch_timer_read_counter();
	hvl_smccc_vm_init(vm);
	ret = hvl_s2_init(&vm->s2, ipa);
	if (ret) {
		mmdrop(vm->mm);
		kfree(vm);
		return ret;
	}
	atomic64_inc(&hvl_nr_vms);
	ret = anon_inode_getfd("hvlite-vm", &hvl_vm_fops, vm, O_RDWR | O_CLOEXEC);
	if (ret < 0)
		hvl_vm_put(vm);
	return ret;
}
