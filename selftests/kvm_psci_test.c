// SPDX-License-Identifier: GPL-2.0-only
/*
 * HVC/SMC from the guest: PSCI 0.2+ and SMCCC answers in x0, CPU_ON of a
 * powered-off vCPU, SYSTEM_OFF/SYSTEM_RESET as KVM_EXIT_SYSTEM_EVENT, unknown
 * ids answered NOT_SUPPORTED, and the SMCCC filter (forward to userspace as
 * KVM_EXIT_HYPERCALL, deny, and its errno contract).
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>

#include "kselftest_harness.h"
#include "kvm_util.h"

#define PSCI_FEAT	(1U << KVM_ARM_VCPU_PSCI_0_2)
#define SIP_FN(n)	(0x82000000U + (n))	/* SMC32 fast calls, SiP service */

FIXTURE(psci) {
	struct vm vm;
	struct vcpu vcpu;
};

FIXTURE_SETUP(psci)
{
	ASSERT_EQ(0, guest_setup(&self->vm, &self->vcpu, PSCI_FEAT));
}

FIXTURE_TEARDOWN(psci)
{
	vcpu_close(&self->vcpu);
	vm_destroy(&self->vm);
}

FIXTURE_VARIANT(psci) {
	uint32_t fn;
	uint64_t arg;
	int smc;
	uint64_t mask;		/* the bits of x0 that are asserted */
	uint64_t expect;
};

#define ALL	(~0UL)
FIXTURE_VARIANT_ADD(psci, psci_version_hvc) {
	.fn = PSCI_0_2_FN_PSCI_VERSION, .mask = 0xffff0000, .expect = 0x10000 };
FIXTURE_VARIANT_ADD(psci, psci_version_smc) {
	.fn = PSCI_0_2_FN_PSCI_VERSION, .smc = 1, .mask = 0xffff0000, .expect = 0x10000 };
FIXTURE_VARIANT_ADD(psci, features_psci_version) {
	.fn = PSCI_1_0_FN_PSCI_FEATURES, .arg = PSCI_0_2_FN_PSCI_VERSION, .mask = ALL, .expect = 0 };
FIXTURE_VARIANT_ADD(psci, features_cpu_on) {
	.fn = PSCI_1_0_FN_PSCI_FEATURES, .arg = PSCI_0_2_FN64_CPU_ON, .mask = ALL, .expect = 0 };
FIXTURE_VARIANT_ADD(psci, features_system_off) {
	.fn = PSCI_1_0_FN_PSCI_FEATURES, .arg = PSCI_0_2_FN_SYSTEM_OFF, .mask = ALL, .expect = 0 };
FIXTURE_VARIANT_ADD(psci, features_system_reset) {
	.fn = PSCI_1_0_FN_PSCI_FEATURES, .arg = PSCI_0_2_FN_SYSTEM_RESET, .mask = ALL,
	.expect = 0 };
FIXTURE_VARIANT_ADD(psci, features_smccc_version) {
	.fn = PSCI_1_0_FN_PSCI_FEATURES, .arg = SMCCC_VERSION, .mask = ALL, .expect = 0 };
FIXTURE_VARIANT_ADD(psci, features_unknown) {
	.fn = PSCI_1_0_FN_PSCI_FEATURES, .arg = 0x8400ff00, .mask = ALL,
	.expect = SMCCC_RET_NOT_SUPPORTED };
FIXTURE_VARIANT_ADD(psci, smccc_version) {
	.fn = SMCCC_VERSION, .mask = 0xffff0000, .expect = 0x10000 };
FIXTURE_VARIANT_ADD(psci, unknown_psci_fn) {
	.fn = 0x8400ff00, .mask = ALL, .expect = SMCCC_RET_NOT_SUPPORTED };
FIXTURE_VARIANT_ADD(psci, unknown_sip_hvc) {
	.fn = SIP_FN(0x10), .mask = ALL, .expect = SMCCC_RET_NOT_SUPPORTED };
FIXTURE_VARIANT_ADD(psci, unknown_sip_smc) {
	.fn = SIP_FN(0x10), .smc = 1, .mask = ALL, .expect = SMCCC_RET_NOT_SUPPORTED };
FIXTURE_VARIANT_ADD(psci, unknown_oem_smc64) {
	.fn = 0xc3000001, .smc = 1, .mask = ALL, .expect = SMCCC_RET_NOT_SUPPORTED };

/*
 * One call; the guest reports x0 after it. KVM before 6.4 answers every SMC
 * with NOT_SUPPORTED (handle_smc); since 6.4 SMC is an SMCCC conduit like HVC.
 */
TEST_F(psci, call)
{
	uint64_t mask = variant->mask, expect = variant->expect;
	struct ucall uc;

	if (variant->smc && kvm_before(6, 4)) {
		mask = ALL;
		expect = SMCCC_RET_NOT_SUPPORTED;
	}
	ASSERT_EQ(0, vcpu_start(&self->vcpu, PROG_HVC, variant->fn, variant->arg, variant->smc));
	ASSERT_UCALL(&self->vcpu, &uc, UCALL_SYNC);
	EXPECT_EQ(expect, uc.args[0] & mask)
		TH_LOG("fn %#x: x0 = %#lx", variant->fn, (unsigned long)uc.args[0]);
	if (variant->mask != ALL)
		ksft_print_msg("fn %#x -> %#lx\n", variant->fn, (unsigned long)uc.args[0]);
}

/* A powered-off vCPU started by CPU_ON runs at the entry with the context in x0. */
TEST(cpu_on)
{
	struct vcpu v0, v1;
	struct ucall uc;
	struct vm vm;

	ASSERT_EQ(0, guest_setup(&vm, &v0, PSCI_FEAT));
	ASSERT_EQ(0, vcpu_create(&vm, &v1, 1, PSCI_FEAT | 1U << KVM_ARM_VCPU_POWER_OFF));

	ASSERT_EQ(0, vcpu_start(&v0, PROG_CPU_ON, 1, PROG_SYNC_REGS, 0));
	ASSERT_UCALL(&v0, &uc, UCALL_SYNC);
	EXPECT_EQ(PSCI_RET(PSCI_RET_SUCCESS), uc.args[0]);
	ASSERT_UCALL(&v0, &uc, UCALL_DONE);

	/* x0 = PROG_SYNC_REGS (the context id), x1 = 0 after the reset */
	ASSERT_UCALL(&v1, &uc, UCALL_SYNC);
	EXPECT_EQ(1, uc.args[0]);
	EXPECT_EQ(0x80000001UL, uc.args[1]);

	ASSERT_EQ(0, vcpu_start(&v0, PROG_CPU_ON, 1, PROG_SYNC_REGS, 0));
	ASSERT_UCALL(&v0, &uc, UCALL_SYNC);
	EXPECT_EQ(PSCI_RET(PSCI_RET_ALREADY_ON), uc.args[0]);
	ASSERT_EQ(0, vcpu_start(&v0, PROG_CPU_ON, 0x55, PROG_SYNC_REGS, 0));
	ASSERT_UCALL(&v0, &uc, UCALL_SYNC);
	EXPECT_EQ(PSCI_RET(PSCI_RET_INVALID_PARAMS), uc.args[0]);
	vcpu_close(&v1);
	vcpu_close(&v0);
	vm_destroy(&vm);
}

FIXTURE(system_event) {
	struct vm vm;
	struct vcpu vcpu;
};

FIXTURE_SETUP(system_event)
{
	ASSERT_EQ(0, guest_setup(&self->vm, &self->vcpu, PSCI_FEAT));
}

FIXTURE_TEARDOWN(system_event)
{
	vcpu_close(&self->vcpu);
	vm_destroy(&self->vm);
}

FIXTURE_VARIANT(system_event) {
	uint32_t fn;
	int smc;
	uint32_t type;
};

FIXTURE_VARIANT_ADD(system_event, system_off) {
	.fn = PSCI_0_2_FN_SYSTEM_OFF, .type = KVM_SYSTEM_EVENT_SHUTDOWN };
FIXTURE_VARIANT_ADD(system_event, system_reset) {
	.fn = PSCI_0_2_FN_SYSTEM_RESET, .type = KVM_SYSTEM_EVENT_RESET };
FIXTURE_VARIANT_ADD(system_event, system_off_smc) {
	.fn = PSCI_0_2_FN_SYSTEM_OFF, .smc = 1, .type = KVM_SYSTEM_EVENT_SHUTDOWN };

/* api.rst: type SHUTDOWN/RESET, ndata 1, data[0] 0 (no PSCI reset flags). */
TEST_F(system_event, exit)
{
	struct kvm_run *run = self->vcpu.run;
	struct ucall uc;

	ASSERT_EQ(0, vcpu_start(&self->vcpu, PROG_HVC, variant->fn, 0, variant->smc));
	if (variant->smc && kvm_before(6, 4)) {
		/* KVM before 6.4: SMC is no PSCI conduit, the guest goes on */
		ASSERT_UCALL(&self->vcpu, &uc, UCALL_SYNC);
		EXPECT_EQ(SMCCC_RET_NOT_SUPPORTED, uc.args[0]);
		return;
	}
	ASSERT_EQ(0, vcpu_run(&self->vcpu));
	ASSERT_EQ(KVM_EXIT_SYSTEM_EVENT, run->exit_reason)
		TH_LOG("exit %s", exit_name(run->exit_reason));
	EXPECT_EQ(variant->type, run->system_event.type);
	EXPECT_EQ(1, run->system_event.ndata);
	EXPECT_EQ(0, run->system_event.data[0]);
}

static int set_filter(struct vm *vm, uint32_t base, uint32_t nr, uint8_t action)
{
	struct kvm_smccc_filter f = { .base = base, .nr_functions = nr, .action = action };
	struct kvm_device_attr attr = {
		.group = KVM_ARM_VM_SMCCC_CTRL,
		.attr = KVM_ARM_VM_SMCCC_FILTER,
		.addr = (unsigned long)&f,
	};

	return ioctl(vm->fd, KVM_SET_DEVICE_ATTR, &attr) ? -errno : 0;
}

FIXTURE(smccc_filter) {
	struct vm vm;
	struct vcpu vcpu;
	int present;
};

FIXTURE_SETUP(smccc_filter)
{
	struct kvm_device_attr attr = {
		.group = KVM_ARM_VM_SMCCC_CTRL,
		.attr = KVM_ARM_VM_SMCCC_FILTER,
	};

	ASSERT_EQ(0, guest_setup(&self->vm, &self->vcpu, PSCI_FEAT));
	self->present = !ioctl(self->vm.fd, KVM_HAS_DEVICE_ATTR, &attr);
	/* Linux 6.4+; the oracle on 6.1 must show its absence */
	if (kvm_before(6, 4)) {
		ASSERT_EQ(0, self->present);
		ksft_print_msg("KVM before 6.4: no SMCCC filter (%s), as expected\n",
			       strerror(errno));
	} else {
		ASSERT_EQ(1, self->present) TH_LOG("KVM_HAS_DEVICE_ATTR: %s", strerror(errno));
	}
}

FIXTURE_TEARDOWN(smccc_filter)
{
	vcpu_close(&self->vcpu);
	vm_destroy(&self->vm);
}

/* FWD_TO_USER: KVM_EXIT_HYPERCALL with the function id and the conduit. */
TEST_F(smccc_filter, forward)
{
	struct kvm_run *run = self->vcpu.run;
	struct ucall uc;
	uint64_t x1;
	int smc;

	if (!self->present)
		return;
	ASSERT_EQ(0, set_filter(&self->vm, SIP_FN(0), 0x10, KVM_SMCCC_FILTER_FWD_TO_USER));
	for (smc = 0; smc < 2; smc++) {
		ASSERT_EQ(0, vcpu_start(&self->vcpu, PROG_HVC, SIP_FN(5), 0xabcd, smc));
		ASSERT_EQ(0, vcpu_run(&self->vcpu));
		ASSERT_EQ(KVM_EXIT_HYPERCALL, run->exit_reason)
			TH_LOG("exit %s", exit_name(run->exit_reason));
		EXPECT_EQ(SIP_FN(5), run->hypercall.nr);
		EXPECT_EQ(smc ? KVM_HYPERCALL_EXIT_SMC : 0, hypercall_flags(run));
		/* the arguments stay in the registers */
		ASSERT_EQ(0, vcpu_get(&self->vcpu, REG_X(1), &x1));
		EXPECT_EQ(0xabcd, x1);
		ASSERT_EQ(0, vcpu_set(&self->vcpu, REG_X(0), 0x1234));
		ASSERT_UCALL(&self->vcpu, &uc, UCALL_SYNC);
		EXPECT_EQ(0x1234, uc.args[0]);
	}
	/* outside the range: answered by KVM as before */
	ASSERT_EQ(0, vcpu_start(&self->vcpu, PROG_HVC, SIP_FN(0x10), 0, 0));
	ASSERT_UCALL(&self->vcpu, &uc, UCALL_SYNC);
	EXPECT_EQ(SMCCC_RET_NOT_SUPPORTED, uc.args[0]);
}

/* DENY: the guest gets NOT_SUPPORTED, even for PSCI, without an exit. */
TEST_F(smccc_filter, deny)
{
	struct ucall uc;

	if (!self->present)
		return;
	ASSERT_EQ(0, set_filter(&self->vm, PSCI_0_2_FN_PSCI_VERSION, 1, KVM_SMCCC_FILTER_DENY));
	ASSERT_EQ(0, vcpu_start(&self->vcpu, PROG_HVC, PSCI_0_2_FN_PSCI_VERSION, 0, 0));
	ASSERT_UCALL(&self->vcpu, &uc, UCALL_SYNC);
	EXPECT_EQ(SMCCC_RET_NOT_SUPPORTED, uc.args[0]);
}

/* The filter's errno contract. */
TEST_F(smccc_filter, errors)
{
	struct kvm_smccc_filter f = { .base = SIP_FN(0), .nr_functions = 1 };
	struct kvm_device_attr attr = {
		.group = KVM_ARM_VM_SMCCC_CTRL,
		.attr = KVM_ARM_VM_SMCCC_FILTER,
		.addr = (unsigned long)&f,
	};
	struct ucall uc;

	if (!self->present)
		return;
	EXPECT_EQ(-EINVAL, set_filter(&self->vm, SIP_FN(0), 0, KVM_SMCCC_FILTER_FWD_TO_USER));
	EXPECT_EQ(-EINVAL, set_filter(&self->vm, SIP_FN(0), 1, 3));
	EXPECT_EQ(-EINVAL, set_filter(&self->vm, 0xfffffff0, 0x20, KVM_SMCCC_FILTER_DENY));
	f.pad[3] = 1;
	EXPECT_EQ(-1, ioctl(self->vm.fd, KVM_SET_DEVICE_ATTR, &attr));
	EXPECT_EQ(EINVAL, errno);
	/* the SMCCC architecture range (0x80000000...) belongs to the hypervisor */
	EXPECT_EQ(-EEXIST, set_filter(&self->vm, SMCCC_VERSION, 1, KVM_SMCCC_FILTER_FWD_TO_USER));
	EXPECT_EQ(0, set_filter(&self->vm, SIP_FN(0), 4, KVM_SMCCC_FILTER_FWD_TO_USER));
	EXPECT_EQ(-EEXIST, set_filter(&self->vm, SIP_FN(3), 4, KVM_SMCCC_FILTER_DENY));
	EXPECT_EQ(0, set_filter(&self->vm, SIP_FN(4), 4, KVM_SMCCC_FILTER_DENY));
	attr.attr = 1;
	EXPECT_EQ(-1, ioctl(self->vm.fd, KVM_HAS_DEVICE_ATTR, &attr));
	EXPECT_EQ(ENXIO, errno);
	/* once a vCPU has run, the filter is frozen */
	ASSERT_EQ(0, vcpu_start(&self->vcpu, PROG_DONE, 0, 0, 0));
	ASSERT_UCALL(&self->vcpu, &uc, UCALL_DONE);
	EXPECT_EQ(-EBUSY, set_filter(&self->vm, SIP_FN(8), 1, KVM_SMCCC_FILTER_DENY));
}

TEST_HARNESS_MAIN
