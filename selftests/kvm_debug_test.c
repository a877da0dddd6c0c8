// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guest debugging through KVM_SET_GUEST_DEBUG, as a debugger sees it:
 * KVM_EXIT_DEBUG for a BRK (PC not advanced), one instruction per KVM_RUN
 * when single-stepping (an MMIO access included, without a double step),
 * hardware breakpoints and watchpoints (with the data address), and the
 * errors of a bad request. Same results on KVM and on hvlite.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>

#include "kselftest_harness.h"
#include "kvm_util.h"

#define DBG_BASE	GUEST_BASE
#define DBG_DATA	(GUEST_SCRATCH + 0x800)	/* the watched doubleword */
#define DBG_MMIO	GUEST_TEST_MMIO

#define ESR_EC(esr)		(((esr) >> 26) & 0x3f)
#define EC_BREAKPT_LOW		0x30
#define EC_SOFTSTP_LOW		0x32
#define EC_WATCHPT_LOW		0x34
#define EC_BRK64		0x3c

/*
 * The guest, entered with x0 = scenario and x4 = DBG_DATA, x6 = DBG_MMIO;
 * every scenario ends with a store of x0 to GUEST_UCALL_ADDR (x7).
 */
extern const char dbg_guest[], dbg_guest_end[], dbg_brk[], dbg_step[], dbg_step_mmio[],
	dbg_hwbp[], dbg_watch[];
asm(".pushsection .rodata\n"
    ".balign 4\n"
    ".globl dbg_guest, dbg_guest_end, dbg_brk, dbg_step, dbg_step_mmio, dbg_hwbp, dbg_watch\n"
    "dbg_guest:\n"
    "	cmp	x0, #1\n	b.eq	dbg_brk\n"
    "	cmp	x0, #2\n	b.eq	dbg_step\n"
    "	cmp	x0, #3\n	b.eq	dbg_step_mmio\n"
    "	cmp	x0, #4\n	b.eq	1f\n"
    "	cmp	x0, #5\n	b.eq	2f\n"
    "	b	9f\n"
    "dbg_brk:\n	brk	#0x1234\n	mov	x5, #1\n	b	9f\n"
    "dbg_step:\n	mov	x1, #1\n	add	x1, x1, #1\n	add	x1, x1, #1\n"
    "	add	x1, x1, #1\n	b	9f\n"
    "dbg_step_mmio:\n	mov	x1, #5\n	str	x1, [x6]\n	add	x1, x1, #1\n	b	9f\n"
    "1:	nop\n	nop\n"
    "dbg_hwbp:\n	mov	x2, #7\n	b	9f\n"
    "2:	nop\n"
    "dbg_watch:\n	ldr	x3, [x4]\n	b	9f\n"
    "9:	str	x0, [x7]\n	b	.\n"
    "dbg_guest_end:\n"
    ".popsection\n");

#define GUEST_ADDR(sym)	(DBG_BASE + ((uintptr_t)(sym) - (uintptr_t)dbg_guest))

FIXTURE(dbg) {
	struct vm vm;
	struct vcpu vcpu;
};

FIXTURE_SETUP(dbg)
{
	void *ram;

	ASSERT_EQ(0, vm_create_type(&self->vm, 0));
	ram = vm_add_ram(&self->vm, 0, 0, DBG_BASE, GUEST_RAM_SIZE);
	ASSERT_NE(NULL, ram);
	memcpy(ram, dbg_guest, (uintptr_t)dbg_guest_end - (uintptr_t)dbg_guest);
	ASSERT_EQ(0, vcpu_create(&self->vm, &self->vcpu, 0, 1U << KVM_ARM_VCPU_PSCI_0_2));
}

FIXTURE_TEARDOWN(dbg)
{
	vcpu_close(&self->vcpu);
	vm_destroy(&self->vm);
}

static int start(struct vcpu *v, uint64_t scenario, uint64_t pc)
{
	int ret = vcpu_set(v, REG_PC, pc);

	ret = ret ?: vcpu_set(v, REG_X(0), scenario);
	ret = ret ?: vcpu_set(v, REG_X(4), DBG_DATA);
	ret = ret ?: vcpu_set(v, REG_X(6), DBG_MMIO);
	return ret ?: vcpu_set(v, REG_X(7), GUEST_UCALL_ADDR);
}

static int set_debug(struct vcpu *v, uint32_t control, const struct kvm_guest_debug_arch *arch)
{
	struct kvm_guest_debug dbg = { .control = control };

	if (arch)
		dbg.arch = *arch;
	return ioctl(v->fd, KVM_SET_GUEST_DEBUG, &dbg) ? -errno : 0;
}

static uint64_t reg(struct vcpu *v, uint64_t id)
{
	uint64_t val = ~0ULL;

	vcpu_get(v, id, &val);
	return val;
}

/* Run to the scenario's final ucall: an MMIO store of x0 at GUEST_UCALL_ADDR. */
static int run_to_end(struct vcpu *v)
{
	int ret = vcpu_run(v);

	if (ret)
		return ret;
	if (v->run->exit_reason != KVM_EXIT_MMIO || v->run->mmio.phys_addr != GUEST_UCALL_ADDR)
		return -EPROTO;
	return 0;
}

TEST_F(dbg, capabilities_and_bad_requests)
{
	struct kvm_guest_debug dbg = { .control = KVM_GUESTDBG_ENABLE | (1U << 20) };

	EXPECT_EQ(1, kvm_check_ext(self->vm.fd, KVM_CAP_SET_GUEST_DEBUG));
	EXPECT_LE(2, kvm_check_ext(self->vm.fd, KVM_CAP_GUEST_DEBUG_HW_BPS));
	EXPECT_LE(2, kvm_check_ext(self->vm.fd, KVM_CAP_GUEST_DEBUG_HW_WPS));
	EXPECT_EQ(-1, ioctl(self->vcpu.fd, KVM_SET_GUEST_DEBUG, &dbg));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, ioctl(self->vcpu.fd, KVM_SET_GUEST_DEBUG, NULL));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(0, set_debug(&self->vcpu, 0, NULL));
}

/* BRK: KVM_EXIT_DEBUG with the ESR (EC 0x3c, the immediate), PC on the BRK. */
TEST_F(dbg, software_breakpoint)
{
	struct kvm_run *run = self->vcpu.run;
	uint64_t esr;

	ASSERT_EQ(0, start(&self->vcpu, 1, DBG_BASE));
	ASSERT_EQ(0, set_debug(&self->vcpu, KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_USE_SW_BP, NULL));
	ASSERT_EQ(0, vcpu_run(&self->vcpu));
	ASSERT_EQ(KVM_EXIT_DEBUG, run->exit_reason) TH_LOG("%s", exit_name(run->exit_reason));
	esr = run->debug.arch.hsr | (uint64_t)run->debug.arch.hsr_high << 32;
	EXPECT_EQ(EC_BRK64, ESR_EC(esr)) TH_LOG("ESR %#lx", (unsigned long)esr);
	EXPECT_EQ(0x1234, esr & 0xffff);
	EXPECT_TRUE(run->flags & KVM_DEBUG_ARCH_HSR_HIGH_VALID);
	EXPECT_EQ(GUEST_ADDR(dbg_brk), reg(&self->vcpu, REG_PC));
	/* The debugger owns it: step over, detach, and the guest goes on. */
	ASSERT_EQ(0, vcpu_set(&self->vcpu, REG_PC, GUEST_ADDR(dbg_brk) + 4));
	ASSERT_EQ(0, set_debug(&self->vcpu, 0, NULL));
	ASSERT_EQ(0, run_to_end(&self->vcpu));
	EXPECT_EQ(1, reg(&self->vcpu, REG_X(5)));
}

/* Single-step: every KVM_RUN executes exactly one instruction. */
TEST_F(dbg, single_step_sequence)
{
	struct kvm_run *run = self->vcpu.run;
	uint64_t pc = GUEST_ADDR(dbg_step);
	int i;

	ASSERT_EQ(0, start(&self->vcpu, 2, pc));
	ASSERT_EQ(0, set_debug(&self->vcpu, KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_SINGLESTEP, NULL));
	for (i = 1; i <= 4; i++) {
		ASSERT_EQ(0, vcpu_run(&self->vcpu));
		ASSERT_EQ(KVM_EXIT_DEBUG, run->exit_reason) TH_LOG("step %d", i);
		EXPECT_EQ(EC_SOFTSTP_LOW, ESR_EC(run->debug.arch.hsr));
		EXPECT_EQ(pc + 4 * i, reg(&self->vcpu, REG_PC)) TH_LOG("step %d", i);
		EXPECT_EQ((uint64_t)i, reg(&self->vcpu, REG_X(1))) TH_LOG("step %d", i);
	}
	ASSERT_EQ(0, set_debug(&self->vcpu, 0, NULL));
	ASSERT_EQ(0, run_to_end(&self->vcpu));
}

/* A step over an MMIO store: the MMIO exit, then the step ends after it. */
TEST_F(dbg, single_step_over_mmio)
{
	struct kvm_run *run = self->vcpu.run;
	uint64_t pc = GUEST_ADDR(dbg_step_mmio);

	ASSERT_EQ(0, start(&self->vcpu, 3, pc));
	ASSERT_EQ(0, set_debug(&self->vcpu, KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_SINGLESTEP, NULL));
	ASSERT_EQ(0, vcpu_run(&self->vcpu));		/* mov x1, #5 */
	ASSERT_EQ(KVM_EXIT_DEBUG, run->exit_reason);
	EXPECT_EQ(pc + 4, reg(&self->vcpu, REG_PC));
	ASSERT_EQ(0, vcpu_run(&self->vcpu));		/* str x1, [x6] */
	ASSERT_EQ(KVM_EXIT_MMIO, run->exit_reason) TH_LOG("%s", exit_name(run->exit_reason));
	EXPECT_EQ(DBG_MMIO, run->mmio.phys_addr);
	EXPECT_TRUE(run->mmio.is_write);
	ASSERT_EQ(0, vcpu_run(&self->vcpu));		/* completes it: the step ends */
	ASSERT_EQ(KVM_EXIT_DEBUG, run->exit_reason) TH_LOG("%s", exit_name(run->exit_reason));
	EXPECT_EQ(EC_SOFTSTP_LOW, ESR_EC(run->debug.arch.hsr));
	EXPECT_EQ(pc + 8, reg(&self->vcpu, REG_PC));
	EXPECT_EQ(5, reg(&self->vcpu, REG_X(1)));	/* the add has not run */
	ASSERT_EQ(0, vcpu_run(&self->vcpu));		/* add x1, x1, #1 */
	ASSERT_EQ(KVM_EXIT_DEBUG, run->exit_reason);
	EXPECT_EQ(pc + 12, reg(&self->vcpu, REG_PC));
	EXPECT_EQ(6, reg(&self->vcpu, REG_X(1)));
}

/* DBGBCR: enabled, PMC = EL1 and EL0, BAS = all four bytes of A64 code. */
#define BCR_EXEC	((0xfULL << 5) | (3ULL << 1) | 1)
/* DBGWCR: enabled, PAC = EL1 and EL0, LSC = loads and stores, BAS = 8 bytes. */
#define WCR_RW8		((0xffULL << 5) | (3ULL << 3) | (3ULL << 1) | 1)

TEST_F(dbg, hardware_breakpoint)
{
	struct kvm_guest_debug_arch arch = { 0 };
	struct kvm_run *run = self->vcpu.run;

	arch.dbg_bvr[0] = GUEST_ADDR(dbg_hwbp);
	arch.dbg_bcr[0] = BCR_EXEC;
	ASSERT_EQ(0, start(&self->vcpu, 4, DBG_BASE));
	ASSERT_EQ(0, set_debug(&self->vcpu, KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_USE_HW, &arch));
	ASSERT_EQ(0, vcpu_run(&self->vcpu));
	ASSERT_EQ(KVM_EXIT_DEBUG, run->exit_reason) TH_LOG("%s", exit_name(run->exit_reason));
	EXPECT_EQ(EC_BREAKPT_LOW, ESR_EC(run->debug.arch.hsr));
	EXPECT_EQ(GUEST_ADDR(dbg_hwbp), reg(&self->vcpu, REG_PC));
	EXPECT_NE(7, reg(&self->vcpu, REG_X(2)));	/* not executed yet */
	ASSERT_EQ(0, set_debug(&self->vcpu, 0, NULL));
	ASSERT_EQ(0, run_to_end(&self->vcpu));
	EXPECT_EQ(7, reg(&self->vcpu, REG_X(2)));
}

TEST_F(dbg, watchpoint_reports_address)
{
	struct kvm_guest_debug_arch arch = { 0 };
	struct kvm_run *run = self->vcpu.run;

	arch.dbg_wvr[0] = DBG_DATA;
	arch.dbg_wcr[0] = WCR_RW8;
	ASSERT_EQ(0, start(&self->vcpu, 5, DBG_BASE));
	ASSERT_EQ(0, set_debug(&self->vcpu, KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_USE_HW, &arch));
	ASSERT_EQ(0, vcpu_run(&self->vcpu));
	ASSERT_EQ(KVM_EXIT_DEBUG, run->exit_reason) TH_LOG("%s", exit_name(run->exit_reason));
	EXPECT_EQ(EC_WATCHPT_LOW, ESR_EC(run->debug.arch.hsr));
	EXPECT_EQ(DBG_DATA, run->debug.arch.far);
	EXPECT_EQ(GUEST_ADDR(dbg_watch), reg(&self->vcpu, REG_PC));
	ASSERT_EQ(0, set_debug(&self->vcpu, 0, NULL));
	ASSERT_EQ(0, run_to_end(&self->vcpu));
}

TEST_HARNESS_MAIN
