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

#ifndef KVM_ARM_VCPU_HAS_EL2
#define KVM_ARM_VCPU_HAS_EL2		7
#endif

#endif /* __HVLITE_KVM_COMPAT_H__ */
