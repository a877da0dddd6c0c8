// SPDX-License-Identifier: GPL-2.0-only
/*
 * The guest's generic timers through the vGIC: the virtual timer (CNTV_*,
 * PPI 27) and the physical timer (CNTP_*, PPI 30, emulated by hvlite and by
 * KVM without FEAT_ECV) fire at a CVAL and at a TVAL deadline, waiting in
 * WFI or spinning, with 1, 2 and 4 vCPUs each on its own timer; a deadline
 * in the past fires at once; IMASK holds the interrupt back (ISTATUS set)
 * until it is cleared. The guest reads its counter first thing in the IRQ
 * handler: observed >= deadline and observed - deadline < TOLERANCE (50 ms
 * in counter ticks: a sanity bound for TCG, not a performance claim; the
 * latencies are printed). Then the timer registers through ONE_REG: the
 * per-VM counter offsets (KVM_REG_ARM_TIMER_CNT, KVM_REG_ARM_PTIMER_CNT)
 * as the guest reads CNTVCT/CNTPCT, CVAL/CTL in both directions, and
 * ISTATUS computed when the VMM reads it. Same results on KVM and hvlite.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>

#include "kselftest_harness.h"
#include "rc_util.h"

#define MS(f, ms)	((f) / 1000 * (ms))
#define TOLERANCE_MS	50
#define CTL_ENABLE	1
#define CTL_IMASK	2
#define CTL_ISTATUS	4

FIXTURE(tm) {
	struct rc_vm v;
};

FIXTURE_VARIANT(tm) {
	int timer;	/* TIMER_VIRT, TIMER_PHYS */
	int mode;	/* TM_* */
	int nr;		/* vCPUs, each with its own deadline */
};

#define TM_VARIANT(name, t, m, n) \
	FIXTURE_VARIANT_ADD(tm, name) { .timer = (t), .mode = (m), .nr = (n) }

TM_VARIANT(virt_cval_wfi, TIMER_VIRT, TM_CVAL, 1);
TM_VARIANT(virt_tval_wfi, TIMER_VIRT, TM_TVAL, 1);
TM_VARIANT(virt_cval_spin, TIMER_VIRT, TM_POLL, 1);
TM_VARIANT(virt_past, TIMER_VIRT, TM_PAST, 1);
TM_VARIANT(virt_imask, TIMER_VIRT, TM_IMASK, 1);
TM_VARIANT(virt_cval_2vcpus, TIMER_VIRT, TM_CVAL, 2);
TM_VARIANT(virt_tval_4vcpus, TIMER_VIRT, TM_TVAL, 4);
TM_VARIANT(virt_imask_4vcpus, TIMER_VIRT, TM_IMASK, 4);
TM_VARIANT(phys_cval_wfi, TIMER_PHYS, TM_CVAL, 1);
TM_VARIANT(phys_tval_wfi, TIMER_PHYS, TM_TVAL, 1);
TM_VARIANT(phys_cval_spin, TIMER_PHYS, TM_POLL, 1);
TM_VARIANT(phys_past, TIMER_PHYS, TM_PAST, 1);
TM_VARIANT(phys_imask, TIMER_PHYS, TM_IMASK, 1);
TM_VARIANT(phys_cval_2vcpus, TIMER_PHYS, TM_CVAL, 2);
TM_VARIANT(phys_tval_4vcpus, TIMER_PHYS, TM_TVAL, 4);

FIXTURE_SETUP(tm)
{
	struct ucall uc;
	int i;

	ASSERT_EQ(0, rc_vm_create(&self->v, variant->nr, 0, 0));
	for (i = 0; i < variant->nr; i++) {
		ASSERT_EQ(0, rc_start(&self->v.r[i], 0, &uc));
		RC_DO(&self->v.r[i], &uc, RC_GIC_SETUP, 0, 0, 0);
	}
}

FIXTURE_TEARDOWN(tm)
{
	rc_vm_destroy(&self->v);
}

/*
 * vCPU i's deadline is 10 + 7 * i ms ahead (TM_PAST: that far behind), all
 * vCPUs at once; each must see its own timer's INTID within the bound.
 */
TEST_F_TIMEOUT(tm, fires, 60)
{
	uint64_t f = rc_cntfrq(), tol = MS(f, TOLERANCE_MS), intid, late;
	uint64_t ppi = variant->timer == TIMER_PHYS ? 30 : 27;
	struct ucall uc;
	int i, ret;

	for (i = 0; i < variant->nr; i++)
		rc_post(&self->v.r[i], RC_TIMER, variant->timer, variant->mode, MS(f, 10 + 7 * i));
	for (i = 0; i < variant->nr; i++) {
		ret = rc_wait(&self->v.r[i], &uc, RC_TIMEOUT_MS);
		ASSERT_EQ(0, ret) TH_LOG("vCPU %d: %s", i, strerror(-ret));
		ASSERT_EQ(UCALL_SYNC, uc.cmd) TH_LOG("vCPU %d: ucall %lu %#lx %#lx", i,
						     (unsigned long)uc.cmd,
						     (unsigned long)uc.args[0],
						     (unsigned long)uc.args[1]);
		intid = uc.args[0];
		if (variant->mode == TM_IMASK) {
			EXPECT_EQ(CTL_ENABLE | CTL_IMASK | CTL_ISTATUS, intid & 0xff)
				TH_LOG("vCPU %d: CTL with IMASK past the deadline", i);
			EXPECT_EQ(0, (intid >> 8) & 0xff)
				TH_LOG("vCPU %d: interrupts taken while masked", i);
			intid >>= 16;
		}
		EXPECT_EQ(ppi, intid) TH_LOG("vCPU %d: INTID", i);
		EXPECT_LE(uc.args[1], uc.args[2]) TH_LOG("vCPU %d: handler before the deadline", i);
		late = uc.args[2] - uc.args[1];
		EXPECT_LT(late, tol) TH_LOG("vCPU %d: %lu ticks late", i, (unsigned long)late);
		printf("# vCPU %d: %s timer handler %lu us after the %s\n", i,
		       variant->timer == TIMER_PHYS ? "physical" : "virtual",
		       (unsigned long)(late * 1000000 / f),
		       variant->mode == TM_PAST ? "enable (deadline in the past)" :
		       variant->mode == TM_IMASK ? "IMASK clear" : "deadline");
	}
	for (i = 0; i < variant->nr; i++)
		RC_DO(&self->v.r[i], &uc, RC_TIMER_REGS, variant->timer, 0, 0);
}

static uint64_t reg(struct __test_metadata *_metadata, struct vcpu *v, uint64_t id)
{
	uint64_t val = 0;

	EXPECT_EQ(0, vcpu_get(v, id, &val)) TH_LOG("KVM_GET_ONE_REG %#lx", (unsigned long)id);
	return val;
}

/* Poll KVM_REG_ARM_TIMER_CNT until it reaches @until (at most 5 s). */
static void sleep_past(struct vcpu *v, uint64_t id, uint64_t until)
{
	uint64_t now = 0;
	int i;

	for (i = 0; i < 500; i++) {
		if (vcpu_get(v, id, &now) || now >= until)
			return;
		usleep(10000);
	}
}

/*
 * ONE_REG: the counter offsets are per VM (set through vCPU 0, seen by
 * vCPU 1's guest); CVAL/CTL set by the VMM are what the guest reads, and
 * what the guest sets is what the VMM reads, with ISTATUS computed at the
 * VMM's read (the deadline passes while the vCPU sits in userspace).
 */
TEST(one_reg)
{
	const uint64_t vcnt = 1ULL << 40, pcnt = 3ULL << 40;
	uint64_t f = rc_cntfrq(), tol = MS(f, TOLERANCE_MS), dl, ctl;
	static struct rc_vm v;
	struct vcpu *v0 = &v.r[0].vcpu;
	struct rc_vcpu *r1 = &v.r[1];
	int ptimer_offset;
	struct ucall uc;

	ASSERT_EQ(0, rc_vm_create(&v, 2, 0, 0));
	ASSERT_EQ(0, rc_start(r1, 0, &uc));
	ASSERT_EQ(0, vcpu_set(v0, KVM_REG_ARM_TIMER_CNT, vcnt));
	EXPECT_LE(vcnt, reg(_metadata, v0, KVM_REG_ARM_TIMER_CNT));
	EXPECT_LE(vcnt, reg(_metadata, &r1->vcpu, KVM_REG_ARM_TIMER_CNT));
	/*
	 * KVM has the physical timer's registers (and a physical counter
	 * offset) from 6.4 on: 6.1 answers ENOENT. hvlite has them.
	 */
	ptimer_offset = !kvm_before(6, 4);
	if (ptimer_offset) {
		ASSERT_EQ(0, vcpu_set(v0, KVM_REG_ARM_PTIMER_CNT, pcnt));
	} else {
		ASSERT_EQ(-ENOENT, vcpu_set(v0, KVM_REG_ARM_PTIMER_CVAL, 0));
	}

	/* The VMM's CVAL/CTL, read by vCPU 1's guest, with the VM's counts. */
	ASSERT_EQ(0, vcpu_set(&r1->vcpu, KVM_REG_ARM_TIMER_CVAL, vcnt + 100 * f));
	ASSERT_EQ(0, vcpu_set(&r1->vcpu, KVM_REG_ARM_TIMER_CTL, CTL_ENABLE | CTL_IMASK));
	if (ptimer_offset) {
		ASSERT_EQ(0, vcpu_set(&r1->vcpu, KVM_REG_ARM_PTIMER_CVAL, pcnt + 100 * f));
		ASSERT_EQ(0, vcpu_set(&r1->vcpu, KVM_REG_ARM_PTIMER_CTL, CTL_ENABLE | CTL_IMASK));
	}
	RC_DO(r1, &uc, RC_TIMER_REGS, TIMER_VIRT, 0, 0);
	EXPECT_LE(vcnt, uc.args[0]) TH_LOG("CNTVCT_EL0 %#lx", (unsigned long)uc.args[0]);
	EXPECT_LT(uc.args[0] - vcnt, 10 * f) TH_LOG("CNTVCT_EL0 %#lx", (unsigned long)uc.args[0]);
	EXPECT_EQ(vcnt + 100 * f, uc.args[1]);
	EXPECT_EQ(CTL_ENABLE | CTL_IMASK, uc.args[2]);
	RC_DO(r1, &uc, RC_TIMER_REGS, TIMER_PHYS, 0, 0);
	if (ptimer_offset) {
		EXPECT_LE(pcnt, uc.args[0]) TH_LOG("CNTPCT_EL0 %#lx", (unsigned long)uc.args[0]);
		EXPECT_LT(uc.args[0] - pcnt, 10 * f)
			TH_LOG("CNTPCT_EL0 %#lx", (unsigned long)uc.args[0]);
		EXPECT_EQ(pcnt + 100 * f, uc.args[1]);
		EXPECT_EQ(CTL_ENABLE | CTL_IMASK, uc.args[2]);
	}

	/* The guest's, read by the VMM: ISTATUS once the deadline has passed. */
	RC_DO(r1, &uc, RC_TIMER_REGS, TIMER_VIRT, 0, 0);
	dl = uc.args[0] + MS(f, 100);
	RC_DO(r1, &uc, RC_TIMER_SET, TIMER_VIRT, dl, CTL_ENABLE | CTL_IMASK);
	EXPECT_EQ(dl, reg(_metadata, &r1->vcpu, KVM_REG_ARM_TIMER_CVAL));
	ctl = reg(_metadata, &r1->vcpu, KVM_REG_ARM_TIMER_CTL);
	EXPECT_EQ(CTL_ENABLE | CTL_IMASK, ctl & 3);
	sleep_past(&r1->vcpu, KVM_REG_ARM_TIMER_CNT, dl + 1);
	EXPECT_EQ(CTL_ENABLE | CTL_IMASK | CTL_ISTATUS, reg(_metadata, &r1->vcpu,
							   KVM_REG_ARM_TIMER_CTL))
		TH_LOG("KVM_REG_ARM_TIMER_CTL after the deadline");
	RC_DO(r1, &uc, RC_TIMER_REGS, TIMER_VIRT, 0, 0);
	EXPECT_EQ(CTL_ENABLE | CTL_IMASK | CTL_ISTATUS, uc.args[2]) TH_LOG("guest CNTV_CTL_EL0");

	if (!ptimer_offset) {
		rc_vm_destroy(&v);
		return;
	}
	RC_DO(r1, &uc, RC_TIMER_REGS, TIMER_PHYS, 0, 0);
	dl = uc.args[0] + MS(f, 100);
	RC_DO(r1, &uc, RC_TIMER_SET, TIMER_PHYS, dl, CTL_ENABLE | CTL_IMASK);
	EXPECT_EQ(dl, reg(_metadata, &r1->vcpu, KVM_REG_ARM_PTIMER_CVAL));
	EXPECT_EQ(CTL_ENABLE | CTL_IMASK, reg(_metadata, &r1->vcpu, KVM_REG_ARM_PTIMER_CTL) & 3);
	sleep_past(&r1->vcpu, KVM_REG_ARM_PTIMER_CNT, dl + 1);
	EXPECT_LE(dl, reg(_metadata, &r1->vcpu, KVM_REG_ARM_PTIMER_CNT));
	EXPECT_EQ(CTL_ENABLE | CTL_IMASK | CTL_ISTATUS, reg(_metadata, &r1->vcpu,
							   KVM_REG_ARM_PTIMER_CTL))
		TH_LOG("KVM_REG_ARM_PTIMER_CTL after the deadline");
	RC_DO(r1, &uc, RC_TIMER_REGS, TIMER_PHYS, 0, 0);
	EXPECT_EQ(CTL_ENABLE | CTL_IMASK | CTL_ISTATUS, uc.args[2]) TH_LOG("guest CNTP_CTL_EL0");
	EXPECT_LE(dl, uc.args[0]);
	EXPECT_LT(uc.args[0] - dl, 10 * f + tol);
	rc_vm_destroy(&v);
}

TEST_HARNESS_MAIN
