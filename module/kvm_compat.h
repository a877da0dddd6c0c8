/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * KVM ABI definitions newer than some host kernels' headers (Linux 6.1 has
 * no SMCCC filter). The values are the ABI's, from Linux's api.rst and
 * <asm/kvm.h>; the 6.12 headers provide them directly.
 */
#ifndef __HVLITE_KVM_COMPAT_H__
#define __HVLITE_KVM_COMPAT_H__

#include <linux/bits.h>
#include <linux/kvm.h>

#ifndef KVM_ARM_VM_SMCCC_CTRL
#define KVM_ARM_VM_SMCCC_CTRL		0
#define KVM_ARM_VM_SMCCC_FILTER		0

enum kvm_smccc_filter_action {
	KVM_SMCCC_FILTER_HANDLE = 0,
	KVM_SMCCC_FILTER_DENY,
	KVM_SMCCC_FILTER_FWD_TO_USER,
};

struct kvm_smccc_filter {
	__u32 base;
	__u32 nr_functions;
	__u8 action;
	__u8 pad[15];
};

#define KVM_HYPERCALL_EXIT_SMC		BIT(0)
#define KVM_HYPERCALL_EXIT_16BIT	BIT(1)
#endif

#ifndef KVM_SET_USER_MEMORY_REGION2
struct kvm_userspace_memory_region2 {
	__u32 slot;
	__u32 flags;
	__u64 guest_phys_addr;
	__u64 memory_size;
	__u64 userspace_addr;
	__u64 guest_memfd_offset;
	__u32 guest_memfd;
	__u32 pad1;
	__u64 pad2[14];
};

#define KVM_CAP_USER_MEMORY2		231
#define KVM_SET_USER_MEMORY_REGION2	_IOW(KVMIO, 0x49, struct kvm_userspace_memory_region2)
#endif

#ifndef KVM_ARM_VCPU_HAS_EL2
#define KVM_ARM_VCPU_HAS_EL2		7
#endif

#endif /* __HVLITE_KVM_COMPAT_H__ */
