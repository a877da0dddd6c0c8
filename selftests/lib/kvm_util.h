/* SPDX-License-Identifier: GPL-2.0-only */
/* A small KVM-ABI test library: VMs, memory slots, vCPUs, registers, runs, ucalls. */
#ifndef HVLITE_KVM_UTIL_H
#define HVLITE_KVM_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <linux/kvm.h>
#include <linux/psci.h>

#include "../guest/guest.h"

/* Newer than the 6.1 uapi headers we build against (Linux 6.4+). */
#ifndef KVM_ARM_VM_SMCCC_CTRL
#define KVM_ARM_VM_SMCCC_CTRL		0
#define KVM_ARM_VM_SMCCC_FILTER		0
#define KVM_SMCCC_FILTER_HANDLE		0
#define KVM_SMCCC_FILTER_DENY		1
#define KVM_SMCCC_FILTER_FWD_TO_USER	2
struct kvm_smccc_filter {
	__u32 base;
	__u32 nr_functions;
	__u8 action;
	__u8 pad[15];
};
#endif
#ifndef KVM_HYPERCALL_EXIT_SMC
#define KVM_HYPERCALL_EXIT_SMC		(1ULL << 0)
#define KVM_HYPERCALL_EXIT_16BIT	(1ULL << 1)
#endif

/* One-reg ids: core registers by struct kvm_regs offset, system registers. */
#define CORE_REG(field)	(KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE | \
			 (offsetof(struct kvm_regs, field) / sizeof(__u32)))
#define REG_X(n)	CORE_REG(regs.regs[n])
#define REG_PC		CORE_REG(regs.pc)
#define REG_PSTATE	CORE_REG(regs.pstate)
#define REG_SP		CORE_REG(regs.sp)
#define REG_SP_EL1	CORE_REG(sp_el1)
#define REG_ELR_EL1	CORE_REG(elr_el1)
#define SYS_REG(op0, op1, crn, crm, op2) ARM64_SYS_REG(op0, op1, crn, crm, op2)
#define REG_MPIDR_EL1	SYS_REG(3, 0, 0, 0, 5)
#define REG_SCTLR_EL1	SYS_REG(3, 0, 1, 0, 0)
#define REG_VBAR_EL1	SYS_REG(3, 0, 12, 0, 0)
#define REG_ID_AA64PFR0	SYS_REG(3, 0, 0, 4, 0)
#define REG_ID_AA64PFR1	SYS_REG(3, 0, 0, 4, 1)
#define REG_ID_AA64DFR0	SYS_REG(3, 0, 0, 5, 0)
#define REG_ID_AA64ISAR1 SYS_REG(3, 0, 0, 6, 1)
#define REG_ID_AA64ISAR2 SYS_REG(3, 0, 0, 6, 2)
#define REG_ID_AA64MMFR0 SYS_REG(3, 0, 0, 7, 0)
#define REG_MIDR_EL1	SYS_REG(3, 0, 0, 0, 0)

#define PSTATE_RESET	0x3c5	/* EL1h, D, A, I, F masked (api.rst, KVM_ARM_VCPU_INIT) */
#define SCTLR_EL1_M	(1UL << 0)

/* PSCI ids and results come from <linux/psci.h>; SMCCC's (Arm DEN0028): */
#define SMCCC_VERSION		0x80000000
#define SMCCC_ARCH_FEATURES	0x80000001
#define SMCCC_RET_NOT_SUPPORTED	((uint64_t)-1)
#define PSCI_RET(r)		((uint64_t)(int64_t)(r))

struct vm {
	int sys_fd;
	int fd;
	int run_size;
};

struct vcpu {
	struct vm *vm;
	int fd;
	int id;
	struct kvm_run *run;
};

struct ucall {
	uint64_t cmd;
	uint64_t args[3];
};

const char *kvm_dev_path(void);
int on_kvm(void);
int kvm_before(int major, int minor);
int kvm_open_dev(void);
/* Each returns -errno on failure: the tests assert the errno. */
int kvm_check_ext(int fd, long cap);
int vm_create_type(struct vm *vm, unsigned long type);
void vm_destroy(struct vm *vm);
int vm_set_region(struct vm *vm, uint32_t slot, uint32_t flags, uint64_t gpa,
		  uint64_t size, void *hva);
void *vm_add_ram(struct vm *vm, uint32_t slot, uint32_t flags, uint64_t gpa, uint64_t size);
int vm_load_guest(struct vm *vm);
int vcpu_add(struct vm *vm, struct vcpu *vcpu, int id);
int vcpu_init_features(struct vcpu *vcpu, uint32_t features);
int vcpu_create(struct vm *vm, struct vcpu *vcpu, int id, uint32_t features);
void vcpu_close(struct vcpu *vcpu);
int vcpu_get(struct vcpu *vcpu, uint64_t id, uint64_t *val);
int vcpu_set(struct vcpu *vcpu, uint64_t id, uint64_t val);
int vcpu_run(struct vcpu *vcpu);
int vcpu_start(struct vcpu *vcpu, uint64_t prog, uint64_t a1, uint64_t a2, uint64_t a3);
uint64_t vcpu_get_ucall(struct vcpu *vcpu, struct ucall *uc);
int vcpu_run_ucall(struct vcpu *vcpu, struct ucall *uc);
const char *exit_name(uint32_t reason);
int guest_setup(struct vm *vm, struct vcpu *vcpu, uint32_t features);
uint64_t hypercall_flags(struct kvm_run *run);

/*
 * Run @vcpu until its next ucall and assert it is @cmd (harness context).
 * On a guest assertion or an unexpected exit, say what the guest said.
 */
#define ASSERT_UCALL(vcpu, uc, want) do {					\
	int __r = vcpu_run_ucall(vcpu, uc);					\
	ASSERT_EQ(0, __r) TH_LOG("KVM_RUN: %s", strerror(-__r));		\
	ASSERT_EQ((uint64_t)(want), (uc)->cmd)					\
		TH_LOG("exit %s; ucall %lu args %#lx %#lx %#lx",		\
		       exit_name((vcpu)->run->exit_reason),			\
		       (unsigned long)(uc)->cmd, (unsigned long)(uc)->args[0],	\
		       (unsigned long)(uc)->args[1], (unsigned long)(uc)->args[2]); \
} while (0)

#endif /* HVLITE_KVM_UTIL_H */
