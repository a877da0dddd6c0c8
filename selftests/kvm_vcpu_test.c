// SPDX-License-Identifier: GPL-2.0-only
/*
 * KVM-ABI contract of the vCPU fd: KVM_ARM_VCPU_INIT (targets, features,
 * double init), the state after init, KVM_GET/SET_ONE_REG ids and sizes,
 * KVM_GET_REG_LIST, the power-off start state and KVM_RUN before init.
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "kvm_util.h"

#define PSCI_FEAT	(1U << KVM_ARM_VCPU_PSCI_0_2)
#define SCTLR_EL1_RESET	0x00c50078UL	/* KVM's reset value: RES1 bits, MMU and caches off */

FIXTURE(vcpu) {
	struct vm vm;
	struct vcpu vcpu;
	struct kvm_vcpu_init init;
};

FIXTURE_SETUP(vcpu)
{
	ASSERT_EQ(0, vm_create_type(&self->vm, 0));
	ASSERT_EQ(0, vcpu_add(&self->vm, &self->vcpu, 0));
	memset(&self->init, 0, sizeof(self->init));
	ASSERT_EQ(0, ioctl(self->vm.fd, KVM_ARM_PREFERRED_TARGET, &self->init));
	self->init.features[0] = PSCI_FEAT;
}

FIXTURE_TEARDOWN(vcpu)
{
	vcpu_close(&self->vcpu);
	vm_destroy(&self->vm);
}

/* Nothing works on a vCPU before KVM_ARM_VCPU_INIT: ENOEXEC. */
TEST_F(vcpu, before_init)
{
	struct kvm_reg_list list = { .n = 0 };
	uint64_t v;

	EXPECT_EQ(-ENOEXEC, vcpu_run(&self->vcpu));
	EXPECT_EQ(-ENOEXEC, vcpu_get(&self->vcpu, REG_PC, &v));
	EXPECT_EQ(-ENOEXEC, vcpu_set(&self->vcpu, REG_PC, 0));
	EXPECT_EQ(-1, ioctl(self->vcpu.fd, KVM_GET_REG_LIST, &list));
	EXPECT_EQ(ENOEXEC, errno);
}

/* KVM_ARM_VCPU_INIT with one target/feature combination per row. */
FIXTURE(vcpu_init) {
	struct vm vm;
	struct vcpu vcpu;
	struct kvm_vcpu_init init;
};

FIXTURE_SETUP(vcpu_init)
{
	ASSERT_EQ(0, vm_create_type(&self->vm, 0));
	ASSERT_EQ(0, vcpu_add(&self->vm, &self->vcpu, 0));
	memset(&self->init, 0, sizeof(self->init));
	ASSERT_EQ(0, ioctl(self->vm.fd, KVM_ARM_PREFERRED_TARGET, &self->init));
}

FIXTURE_TEARDOWN(vcpu_init)
{
	vcpu_close(&self->vcpu);
	vm_destroy(&self->vm);
}

FIXTURE_VARIANT(vcpu_init) {
	int target;		/* -1: the preferred target */
	uint32_t feat0;
	uint32_t feat1;
	int err;
};

FIXTURE_VARIANT_ADD(vcpu_init, preferred) { .target = -1, .feat0 = PSCI_FEAT, .err = 0 };
FIXTURE_VARIANT_ADD(vcpu_init, no_features) { .target = -1, .feat0 = 0, .err = 0 };
FIXTURE_VARIANT_ADD(vcpu_init, power_off) {
	.target = -1, .feat0 = PSCI_FEAT | 1U << KVM_ARM_VCPU_POWER_OFF, .err = 0 };
FIXTURE_VARIANT_ADD(vcpu_init, bad_target) { .target = 0x7f, .feat0 = PSCI_FEAT, .err = EINVAL };
FIXTURE_VARIANT_ADD(vcpu_init, unknown_feature) {
	.target = -1, .feat0 = PSCI_FEAT | 1U << 31, .err = ENOENT };
FIXTURE_VARIANT_ADD(vcpu_init, feature_word_1) {
	.target = -1, .feat0 = PSCI_FEAT, .feat1 = 1, .err = ENOENT };

TEST_F(vcpu_init, init)
{
	struct kvm_vcpu_init init = self->init;

	if (variant->target >= 0)
		init.target = variant->target;
	init.features[0] = variant->feat0;
	init.features[1] = variant->feat1;
	if (variant->err) {
		EXPECT_EQ(-1, ioctl(self->vcpu.fd, KVM_ARM_VCPU_INIT, &init));
		EXPECT_EQ(variant->err, errno);
		/* a failed init leaves the vCPU uninitialised */
		EXPECT_EQ(-ENOEXEC, vcpu_run(&self->vcpu));
	} else {
		EXPECT_EQ(0, ioctl(self->vcpu.fd, KVM_ARM_VCPU_INIT, &init));
	}
}

/* A second init with the same features resets the vCPU; other features: EINVAL. */
TEST_F(vcpu, double_init)
{
	struct kvm_vcpu_init init = self->init;
	uint64_t v;

	ASSERT_EQ(0, ioctl(self->vcpu.fd, KVM_ARM_VCPU_INIT, &init));
	ASSERT_EQ(0, vcpu_set(&self->vcpu, REG_X(5), 0x1234));
	ASSERT_EQ(0, vcpu_set(&self->vcpu, REG_PC, 0x40001000));
	EXPECT_EQ(0, ioctl(self->vcpu.fd, KVM_ARM_VCPU_INIT, &init));
	EXPECT_EQ(0, vcpu_get(&self->vcpu, REG_X(5), &v));
	EXPECT_EQ(0, v);
	EXPECT_EQ(0, vcpu_get(&self->vcpu, REG_PC, &v));
	EXPECT_EQ(0, v);
	init.features[0] = 0;
	EXPECT_EQ(-1, ioctl(self->vcpu.fd, KVM_ARM_VCPU_INIT, &init));
	EXPECT_EQ(EINVAL, errno);
}

/* The reset state api.rst promises (KVM_ARM_VCPU_INIT), on two vCPUs. */
TEST_F(vcpu, reset_state)
{
	struct vcpu v1;
	uint64_t v;
	int i;

	ASSERT_EQ(0, ioctl(self->vcpu.fd, KVM_ARM_VCPU_INIT, &self->init));
	EXPECT_EQ(0, vcpu_get(&self->vcpu, REG_PSTATE, &v));
	EXPECT_EQ(PSTATE_RESET, v);
	for (i = 0; i < 31; i++) {
		EXPECT_EQ(0, vcpu_get(&self->vcpu, REG_X(i), &v));
		EXPECT_EQ(0, v) TH_LOG("x%d", i);
	}
	EXPECT_EQ(0, vcpu_get(&self->vcpu, REG_PC, &v));
	EXPECT_EQ(0, v);
	EXPECT_EQ(0, vcpu_get(&self->vcpu, REG_SP, &v));
	EXPECT_EQ(0, v);
	EXPECT_EQ(0, vcpu_get(&self->vcpu, REG_SP_EL1, &v));
	EXPECT_EQ(0, v);
	EXPECT_EQ(0, vcpu_get(&self->vcpu, REG_SCTLR_EL1, &v));
	EXPECT_EQ(SCTLR_EL1_RESET, v);
	EXPECT_EQ(0, v & SCTLR_EL1_M);
	EXPECT_EQ(0, vcpu_get(&self->vcpu, REG_MPIDR_EL1, &v));
	EXPECT_EQ(0x80000000UL, v);

	/* vCPU id 0x123: Aff0 = id[3:0], Aff1 = id[11:4] (KVM's reset_mpidr) */
	ASSERT_EQ(0, vcpu_create(&self->vm, &v1, 0x123, PSCI_FEAT));
	EXPECT_EQ(0, vcpu_get(&v1, REG_MPIDR_EL1, &v));
	EXPECT_EQ(0x80001203UL, v);
	vcpu_close(&v1);
}

/* Which one-reg ids and sizes exist (errnos are KVM's). */
static const struct {
	const char *name;
	uint64_t id;
	int err;
} one_regs[] = {
	{ "x0", REG_X(0), 0 },
	{ "x30", REG_X(30), 0 },
	{ "pc", REG_PC, 0 },
	{ "pstate", REG_PSTATE, 0 },
	{ "sp_el1", REG_SP_EL1, 0 },
	{ "elr_el1", REG_ELR_EL1, 0 },
	{ "mpidr_el1", REG_MPIDR_EL1, 0 },
	{ "sctlr_el1", REG_SCTLR_EL1, 0 },
	{ "vbar_el1", REG_VBAR_EL1, 0 },
	{ "x0 as u32", (REG_X(0) & ~KVM_REG_SIZE_MASK) | KVM_REG_SIZE_U32, EINVAL },
	{ "x0 as u128", (REG_X(0) & ~KVM_REG_SIZE_MASK) | KVM_REG_SIZE_U128, EINVAL },
	{ "pc + 1 word", REG_PC + 1, EINVAL },
	{ "core beyond kvm_regs", KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE | 0x1000,
	  ENOENT },
	{ "unknown sysreg", SYS_REG(3, 7, 15, 15, 7), ENOENT },
	{ "not arm64", (REG_X(0) & ~KVM_REG_ARCH_MASK) | KVM_REG_X86, EINVAL },
};

TEST_F(vcpu, one_reg_ids)
{
	uint64_t buf[4];
	int i;

	ASSERT_EQ(0, ioctl(self->vcpu.fd, KVM_ARM_VCPU_INIT, &self->init));
	for (i = 0; i < (int)ARRAY_SIZE(one_regs); i++) {
		struct kvm_one_reg r = { .id = one_regs[i].id, .addr = (unsigned long)buf };
		int ret = ioctl(self->vcpu.fd, KVM_GET_ONE_REG, &r);

		EXPECT_EQ(one_regs[i].err ? -1 : 0, ret) TH_LOG("get %s", one_regs[i].name);
		if (ret)
			EXPECT_EQ(one_regs[i].err, errno) TH_LOG("get %s", one_regs[i].name);
		ret = ioctl(self->vcpu.fd, KVM_SET_ONE_REG, &r);
		EXPECT_EQ(one_regs[i].err ? -1 : 0, ret) TH_LOG("set %s", one_regs[i].name);
		if (ret)
			EXPECT_EQ(one_regs[i].err, errno) TH_LOG("set %s", one_regs[i].name);
	}
}

/* Values written read back; a bad pointer is EFAULT; PSTATE must be a valid mode. */
TEST_F(vcpu, one_reg_values)
{
	struct kvm_one_reg r = { .id = REG_X(7), .addr = 0x10 };
	uint64_t v;

	ASSERT_EQ(0, ioctl(self->vcpu.fd, KVM_ARM_VCPU_INIT, &self->init));
	EXPECT_EQ(0, vcpu_set(&self->vcpu, REG_X(7), 0x0123456789abcdefUL));
	EXPECT_EQ(0, vcpu_get(&self->vcpu, REG_X(7), &v));
	EXPECT_EQ(0x0123456789abcdefUL, v);
	EXPECT_EQ(0, vcpu_set(&self->vcpu, REG_VBAR_EL1, 0x40000800));
	EXPECT_EQ(0, vcpu_get(&self->vcpu, REG_VBAR_EL1, &v));
	EXPECT_EQ(0x40000800, v);
	EXPECT_EQ(-1, ioctl(self->vcpu.fd, KVM_GET_ONE_REG, &r));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(-1, ioctl(self->vcpu.fd, KVM_SET_ONE_REG, &r));
	EXPECT_EQ(EFAULT, errno);
	/* EL1h and EL0t are valid modes, EL2h is not (no nested virt) */
	EXPECT_EQ(0, vcpu_set(&self->vcpu, REG_PSTATE, 0x3c4));
	EXPECT_EQ(0, vcpu_set(&self->vcpu, REG_PSTATE, 0x0));
	EXPECT_EQ(-EINVAL, vcpu_set(&self->vcpu, REG_PSTATE, 0x3c9));
	EXPECT_EQ(0, vcpu_get(&self->vcpu, REG_PSTATE, &v));
	EXPECT_EQ(0, v);
}

/* KVM_GET_REG_LIST: E2BIG with the count, then every listed id is readable. */
TEST_F(vcpu, reg_list)
{
	static const uint64_t must[] = { REG_X(0), REG_X(30), REG_SP, REG_PC, REG_PSTATE,
					 REG_SP_EL1, REG_ELR_EL1, REG_MPIDR_EL1, REG_SCTLR_EL1,
					 REG_VBAR_EL1 };
	struct kvm_reg_list probe = { .n = 0 }, *list;
	uint64_t buf[32];
	unsigned int i, j, found = 0;

	ASSERT_EQ(0, ioctl(self->vcpu.fd, KVM_ARM_VCPU_INIT, &self->init));
	EXPECT_EQ(-1, ioctl(self->vcpu.fd, KVM_GET_REG_LIST, &probe));
	EXPECT_EQ(E2BIG, errno);
	ASSERT_LT(40, probe.n);
	list = calloc(1, sizeof(*list) + probe.n * sizeof(uint64_t));
	list->n = probe.n - 1;
	EXPECT_EQ(-1, ioctl(self->vcpu.fd, KVM_GET_REG_LIST, list));
	EXPECT_EQ(E2BIG, errno);
	EXPECT_EQ(probe.n, list->n);
	ASSERT_EQ(0, ioctl(self->vcpu.fd, KVM_GET_REG_LIST, list));
	EXPECT_EQ(probe.n, list->n);
	for (i = 0; i < list->n; i++) {
		struct kvm_one_reg r = { .id = list->reg[i], .addr = (unsigned long)buf };

		EXPECT_EQ(KVM_REG_ARM64, list->reg[i] & KVM_REG_ARCH_MASK);
		EXPECT_EQ(0, ioctl(self->vcpu.fd, KVM_GET_ONE_REG, &r))
			TH_LOG("listed id %#llx: %s", list->reg[i], strerror(errno));
		for (j = 0; j < ARRAY_SIZE(must); j++)
			found += list->reg[i] == must[j];
	}
	EXPECT_EQ(ARRAY_SIZE(must), found);
	ksft_print_msg("KVM_GET_REG_LIST: %llu registers\n", probe.n);
	free(list);
}

static void on_alarm(int sig)
{
}

static void arm_alarm(int ms)
{
	struct itimerval it = { .it_value = { .tv_sec = ms / 1000, .tv_usec = ms % 1000 * 1000 } };
	struct sigaction sa = { .sa_handler = on_alarm };

	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
}

/*
 * KVM_ARM_VCPU_POWER_OFF: MP_STATE is STOPPED and KVM_RUN blocks until a
 * signal (-EINTR, KVM_EXIT_INTR); made RUNNABLE, the vCPU runs its guest.
 */
TEST_F(vcpu, power_off_start)
{
	struct kvm_mp_state mp;
	struct ucall uc;

	ASSERT_EQ(0, vm_load_guest(&self->vm));
	self->init.features[0] |= 1U << KVM_ARM_VCPU_POWER_OFF;
	ASSERT_EQ(0, ioctl(self->vcpu.fd, KVM_ARM_VCPU_INIT, &self->init));
	ASSERT_EQ(0, ioctl(self->vcpu.fd, KVM_GET_MP_STATE, &mp));
	EXPECT_EQ(KVM_MP_STATE_STOPPED, mp.mp_state);
	ASSERT_EQ(0, vcpu_start(&self->vcpu, PROG_SYNC_REGS, 41, 0, 0));
	arm_alarm(200);
	EXPECT_EQ(-EINTR, vcpu_run(&self->vcpu));
	EXPECT_EQ(KVM_EXIT_INTR, self->vcpu.run->exit_reason);
	mp.mp_state = KVM_MP_STATE_RUNNABLE;
	ASSERT_EQ(0, ioctl(self->vcpu.fd, KVM_SET_MP_STATE, &mp));
	arm_alarm(5000);
	ASSERT_UCALL(&self->vcpu, &uc, UCALL_SYNC);
	arm_alarm(0);
	EXPECT_EQ(42, uc.args[0]);
	EXPECT_EQ(0x80000000UL, uc.args[1]);
	EXPECT_EQ(SCTLR_EL1_RESET, uc.args[2]);
	ASSERT_EQ(0, ioctl(self->vcpu.fd, KVM_GET_MP_STATE, &mp));
	EXPECT_EQ(KVM_MP_STATE_RUNNABLE, mp.mp_state);
}

TEST_HARNESS_MAIN
