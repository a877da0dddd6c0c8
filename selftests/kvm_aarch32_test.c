// SPDX-License-Identifier: GPL-2.0-only
/*
 * An AArch64 guest kernel running AArch32 code at EL0: UNDEF to the guest's
 * own "lower EL, AArch32" vector, A32 and T32 MMIO stores and where the PC
 * goes after them, and an A32 spin interrupted by a signal.
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include "kselftest_harness.h"
#include "kvm_util.h"

#define PSCI_FEAT	(1U << KVM_ARM_VCPU_PSCI_0_2)
#define ESR_IL		(1UL << 25)
#define EC_SVC32	0x11UL
/* Arm ARM D17.2.37: UNDEF is EC 0, ISS 0; SVC from AArch32 EC 0x11, ISS imm16. */
#define ESR_UDF_A32	ESR_IL
#define ESR_SVC_A32	(EC_SVC32 << 26 | ESR_IL)
#define ESR_SVC_T16	(EC_SVC32 << 26)
#define PFR0_EL0(v)	((v) & 0xf)	/* 2: EL0 can run AArch32 */
#define STORE_VALUE	0xcafef00d12345678UL	/* r1 is its low half */

FIXTURE(a32) {
	struct vm vm;
	struct vcpu vcpu;
};

FIXTURE_SETUP(a32)
{
	ASSERT_EQ(0, guest_setup(&self->vm, &self->vcpu, PSCI_FEAT));
}

FIXTURE_TEARDOWN(a32)
{
	vcpu_close(&self->vcpu);
	vm_destroy(&self->vm);
}

static int has_aarch32_el0(struct vcpu *vcpu)
{
	uint64_t pfr0 = 0;

	return !vcpu_get(vcpu, REG_ID_AA64PFR0, &pfr0) && PFR0_EL0(pfr0) == 2;
}

/*
 * Start PROG_AARCH32 @kind and return the address of its first AArch32
 * instruction (the guest's first SYNC); 0 if the CPU has no AArch32 EL0.
 */
static uint64_t a32_start(struct __test_metadata *_metadata, struct vcpu *vcpu, int kind)
{
	struct ucall uc;

	if (!has_aarch32_el0(vcpu))
		return 0;
	EXPECT_EQ(0, vcpu_start(vcpu, PROG_AARCH32, kind, STORE_VALUE, 0));
	ASSERT_UCALL(vcpu, &uc, UCALL_SYNC);
	EXPECT_NE(0, uc.args[0]);
	return uc.args[0];
}

/* The guest's SYNC(ESR_EL1, ELR_EL1, SPSR_EL1) after AArch32 came back, then DONE. */
static void expect_return(struct __test_metadata *_metadata, struct vcpu *vcpu,
			  uint64_t esr, uint64_t elr, uint64_t spsr)
{
	struct ucall uc;

	ASSERT_UCALL(vcpu, &uc, UCALL_SYNC);
	EXPECT_EQ(esr, uc.args[0]) TH_LOG("ESR_EL1 %#lx", (unsigned long)uc.args[0]);
	EXPECT_EQ(elr, uc.args[1]) TH_LOG("ELR_EL1 %#lx, expected %#lx",
					  (unsigned long)uc.args[1], (unsigned long)elr);
	EXPECT_EQ(spsr, uc.args[2]) TH_LOG("SPSR_EL1 %#lx", (unsigned long)uc.args[2]);
	ASSERT_UCALL(vcpu, &uc, UCALL_DONE);
}

/* PC and PSTATE as KVM_GET_ONE_REG shows them while the guest is in AArch32. */
static void expect_pc(struct __test_metadata *_metadata, struct vcpu *vcpu,
		      uint64_t pc, uint64_t pstate)
{
	uint64_t v;

	ASSERT_EQ(0, vcpu_get(vcpu, REG_PC, &v));
	EXPECT_EQ(pc, v) TH_LOG("PC %#lx, expected %#lx", (unsigned long)v, (unsigned long)pc);
	ASSERT_EQ(0, vcpu_get(vcpu, REG_PSTATE, &v));
	EXPECT_EQ(pstate, v) TH_LOG("PSTATE %#lx", (unsigned long)v);
}

/* A 4-byte MMIO write of r1 to GUEST_TEST_MMIO. */
static void expect_mmio_store(struct __test_metadata *_metadata, struct vcpu *vcpu)
{
	struct kvm_run *run = vcpu->run;
	uint32_t data;

	ASSERT_EQ(0, vcpu_run(vcpu));
	ASSERT_EQ(KVM_EXIT_MMIO, run->exit_reason) TH_LOG("exit %s", exit_name(run->exit_reason));
	EXPECT_EQ(GUEST_TEST_MMIO, run->mmio.phys_addr);
	EXPECT_EQ(1, run->mmio.is_write);
	EXPECT_EQ(4, run->mmio.len);
	memcpy(&data, run->mmio.data, sizeof(data));
	EXPECT_EQ((uint32_t)STORE_VALUE, data) TH_LOG("data %#x", data);
}

/* A32 udf: UNDEF at EL1's "lower EL, AArch32" vector, ELR at the udf itself. */
TEST_F(a32, udf_to_guest_vector)
{
	uint64_t at = a32_start(_metadata, &self->vcpu, A32_UDF);

	if (!at)
		SKIP(return, "this CPU has no AArch32 at EL0 (ID_AA64PFR0_EL1.EL0 != 2)");
	expect_return(_metadata, &self->vcpu, ESR_UDF_A32, at, A32_SPSR_USR);
}

/* A32 str to no memory: KVM_EXIT_MMIO; the guest then runs the svc after it. */
TEST_F(a32, a32_mmio_store)
{
	uint64_t at = a32_start(_metadata, &self->vcpu, A32_STR);

	if (!at)
		SKIP(return, "this CPU has no AArch32 at EL0 (ID_AA64PFR0_EL1.EL0 != 2)");
	expect_mmio_store(_metadata, &self->vcpu);
	expect_pc(_metadata, &self->vcpu, at, A32_SPSR_USR);
	/* svc at at + 4: its preferred return address is the next instruction */
	expect_return(_metadata, &self->vcpu, ESR_SVC_A32, at + 8, A32_SPSR_USR);
}

/*
 * T32 16-bit str (IL = 0): completing it steps the PC by 2. immediate_exit
 * completes the access and returns before the guest runs again.
 */
TEST_F(a32, t32_mmio_store_steps_2)
{
	uint64_t at = a32_start(_metadata, &self->vcpu, T32_STR);
	uint64_t pstate = A32_SPSR_USR | A32_SPSR_T;

	if (!at)
		SKIP(return, "this CPU has no AArch32 at EL0 (ID_AA64PFR0_EL1.EL0 != 2)");
	expect_mmio_store(_metadata, &self->vcpu);
	expect_pc(_metadata, &self->vcpu, at, pstate);
	self->vcpu.run->immediate_exit = 1;
	EXPECT_EQ(-EINTR, vcpu_run(&self->vcpu));
	self->vcpu.run->immediate_exit = 0;
	expect_pc(_metadata, &self->vcpu, at + 2, pstate);
	expect_return(_metadata, &self->vcpu, ESR_SVC_T16, at + 4, pstate);
}

static void on_alarm(int sig)
{
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/*
 * An A32 "b ." at EL0 for a second, with the host's tick arriving: a signal
 * ends KVM_RUN with -EINTR; the vCPU is still at the branch in AArch32 and
 * goes on from where the VMM puts its PC.
 */
TEST_F(a32, a32_spin_interrupted)
{
	struct itimerval it = { .it_value = { .tv_sec = 1 } };
	struct sigaction sa = { .sa_handler = on_alarm };
	uint64_t at = a32_start(_metadata, &self->vcpu, A32_SPIN);
	double t0;

	if (!at)
		SKIP(return, "this CPU has no AArch32 at EL0 (ID_AA64PFR0_EL1.EL0 != 2)");
	ASSERT_EQ(0, sigaction(SIGALRM, &sa, NULL));
	t0 = now_ms();
	ASSERT_EQ(0, setitimer(ITIMER_REAL, &it, NULL));
	EXPECT_EQ(-EINTR, vcpu_run(&self->vcpu));
	EXPECT_EQ(KVM_EXIT_INTR, self->vcpu.run->exit_reason)
		TH_LOG("exit %s", exit_name(self->vcpu.run->exit_reason));
	ksft_print_msg("A32 spin: KVM_RUN returned %.1f ms after entry (signal at 1000 ms)\n",
		       now_ms() - t0);
	expect_pc(_metadata, &self->vcpu, at, A32_SPSR_USR);
	ASSERT_EQ(0, vcpu_set(&self->vcpu, REG_PC, at + 4));
	expect_return(_metadata, &self->vcpu, ESR_SVC_A32, at + 8, A32_SPSR_USR);
}

TEST_HARNESS_MAIN
