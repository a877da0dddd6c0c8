// SPDX-License-Identifier: GPL-2.0-only
/*
 * Interrupts from userspace and the vGIC registers a guest probes.
 * KVM_IRQ_LINE: a level SPI stays pending after its EOI while the line is
 * high and lowering it before the ack takes the pending state away; an edge
 * SPI gives one interrupt per edge (several edges before the ack: one; as
 * KVM, every level = 1 is an edge); a PPI reaches only the vCPU its
 * encoding names; KVM_IRQ_LINE from another thread while the vCPUs wait in
 * WFI delivers every interrupt; bad encodings fail with KVM's errnos in
 * KVM's order. The guest reads GICD_CTLR/TYPER/IIDR/PIDR2 and each
 * GICR_TYPER/WAKER/PIDR2 and the reset state of SGIs and PPIs (SGIs enabled,
 * group 1, SGIs and SPIs edge, PPIs level and fixed). Same results on KVM and hvlite;
 * where they may differ (GICR_WAKER at reset, IIDR's product, GICD_TYPER.No1N)
 * the test says so.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <semaphore.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <sys/ioctl.h>

#include "kselftest_harness.h"
#include "rc_util.h"

#define SPI		KVM_ARM_IRQ_TYPE_SPI
#define PPI		KVM_ARM_IRQ_TYPE_PPI
#define GICD_ISPENDR(n)	(GIC_DIST + 0x200 + 4 * (n))
#define GICR_RD(i)	(GIC_REDIST + (i) * GIC_RD_STRIDE)
#define GICR_ISPENDR0(i) (GIC_SGI_BASE(i) + 0x200)
#define INTID_NONE	1023

/* A VM of @nr vCPUs running PROG_RC, group 1 and the CPU interfaces enabled. */
static void irq_vm(struct __test_metadata *_metadata, struct rc_vm *v, int nr, int setup)
{
	struct ucall uc;
	int i;

	ASSERT_EQ(0, rc_vm_create(v, nr, 0, 0));
	for (i = 0; i < nr; i++) {
		ASSERT_EQ(0, rc_start(&v->r[i], 0, &uc));
		if (setup)
			RC_DO(&v->r[i], &uc, RC_GIC_SETUP, 0, 0, 0);
	}
}

/* The guest's view of one bit: @intid's in GICD_ISPENDRn. */
static uint64_t spi_pending(struct __test_metadata *_metadata, struct rc_vcpu *r, int intid)
{
	struct ucall uc;

	RC_DO(r, &uc, RC_READ32, GICD_ISPENDR(intid / 32), 0, 0);
	return (uc.args[0] >> (intid % 32)) & 1;
}

static uint64_t guest_ack(struct __test_metadata *_metadata, struct rc_vcpu *r, int wait)
{
	struct ucall uc;

	RC_DO(r, &uc, RC_ACK, wait, 0, 0);
	return uc.args[0];
}

TEST(spi_level)
{
	static struct rc_vm v;
	struct rc_vcpu *r = &v.r[0];
	struct ucall uc;

	irq_vm(_metadata, &v, 1, 1);
	RC_DO(r, &uc, RC_SPI_CFG, 40, 0, 0);
	EXPECT_EQ(0, spi_pending(_metadata, r, 40));
	/* Asserted: taken, and pending again at once after the EOI. */
	ASSERT_EQ(0, rc_irq_line(&v, SPI, 0, 40, 1));
	EXPECT_EQ(40, guest_ack(_metadata, r, 1));
	EXPECT_EQ(1, spi_pending(_metadata, r, 40)) TH_LOG("line high after EOI");
	EXPECT_EQ(40, guest_ack(_metadata, r, 0)) TH_LOG("line high: taken again");
	ASSERT_EQ(0, rc_irq_line(&v, SPI, 0, 40, 0));
	EXPECT_EQ(0, spi_pending(_metadata, r, 40)) TH_LOG("line lowered");
	EXPECT_EQ(INTID_NONE, guest_ack(_metadata, r, 0));
	/* Raised and lowered before the guest acknowledged it: gone. */
	ASSERT_EQ(0, rc_irq_line(&v, SPI, 0, 40, 1));
	EXPECT_EQ(1, spi_pending(_metadata, r, 40));
	ASSERT_EQ(0, rc_irq_line(&v, SPI, 0, 40, 0));
	EXPECT_EQ(0, spi_pending(_metadata, r, 40));
	EXPECT_EQ(INTID_NONE, guest_ack(_metadata, r, 0));
	/* Setting the same level twice changes nothing. */
	ASSERT_EQ(0, rc_irq_line(&v, SPI, 0, 40, 1));
	ASSERT_EQ(0, rc_irq_line(&v, SPI, 0, 40, 1));
	EXPECT_EQ(40, guest_ack(_metadata, r, 1));
	ASSERT_EQ(0, rc_irq_line(&v, SPI, 0, 40, 0));
	ASSERT_EQ(0, rc_irq_line(&v, SPI, 0, 40, 0));
	EXPECT_EQ(INTID_NONE, guest_ack(_metadata, r, 0));
	rc_vm_destroy(&v);
}

TEST(spi_edge)
{
	static struct rc_vm v;
	struct rc_vcpu *r = &v.r[0];
	struct ucall uc;

	irq_vm(_metadata, &v, 1, 1);
	RC_DO(r, &uc, RC_SPI_CFG, 41, 1, 0);
	/* One edge: one interrupt, latched until acknowledged. */
	ASSERT_EQ(0, rc_irq_line(&v, SPI, 0, 41, 1));
	ASSERT_EQ(0, rc_irq_line(&v, SPI, 0, 41, 0));
	EXPECT_EQ(1, spi_pending(_metadata, r, 41)) TH_LOG("latched after the line fell");
	EXPECT_EQ(41, guest_ack(_metadata, r, 1));
	EXPECT_EQ(0, spi_pending(_metadata, r, 41));
	EXPECT_EQ(INTID_NONE, guest_ack(_metadata, r, 0));
	/* Two edges before the guest looks: one pending state, one interrupt. */
	ASSERT_EQ(0, rc_irq_line(&v, SPI, 0, 41, 1));
	ASSERT_EQ(0, rc_irq_line(&v, SPI, 0, 41, 0));
	ASSERT_EQ(0, rc_irq_line(&v, SPI, 0, 41, 1));
	ASSERT_EQ(0, rc_irq_line(&v, SPI, 0, 41, 0));
	EXPECT_EQ(41, guest_ack(_metadata, r, 1));
	EXPECT_EQ(INTID_NONE, guest_ack(_metadata, r, 0));
	/* As KVM: level = 1 again without lowering is another edge. */
	ASSERT_EQ(0, rc_irq_line(&v, SPI, 0, 41, 1));
	EXPECT_EQ(41, guest_ack(_metadata, r, 1));
	EXPECT_EQ(INTID_NONE, guest_ack(_metadata, r, 0));
	ASSERT_EQ(0, rc_irq_line(&v, SPI, 0, 41, 1));
	EXPECT_EQ(41, guest_ack(_metadata, r, 1));
	ASSERT_EQ(0, rc_irq_line(&v, SPI, 0, 41, 0));
	EXPECT_EQ(INTID_NONE, guest_ack(_metadata, r, 0));
	rc_vm_destroy(&v);
}

/* PPI 21 raised on vCPU 1 only (the per-vCPU encoding), seen by both. */
TEST(ppi_per_vcpu)
{
	static struct rc_vm v;
	struct ucall uc;
	int i;

	irq_vm(_metadata, &v, 2, 1);
	for (i = 0; i < 2; i++)
		RC_DO(&v.r[i], &uc, RC_WRITE32, GIC_SGI_BASE(i) + 0x100, 1U << 21, 0);
	ASSERT_EQ(0, rc_irq_line(&v, PPI, 1, 21, 1));
	RC_DO(&v.r[1], &uc, RC_READ32, GICR_ISPENDR0(1), 0, 0);
	EXPECT_EQ(1U << 21, uc.args[0] & 0xffff0000) TH_LOG("vCPU 1 GICR_ISPENDR0");
	RC_DO(&v.r[0], &uc, RC_READ32, GICR_ISPENDR0(0), 0, 0);
	EXPECT_EQ(0, uc.args[0] & 0xffff0000) TH_LOG("vCPU 0 GICR_ISPENDR0");
	RC_DO(&v.r[0], &uc, RC_READ32, GICR_ISPENDR0(1), 0, 0);
	EXPECT_EQ(1U << 21, uc.args[0] & 0xffff0000) TH_LOG("vCPU 1's, read by vCPU 0");
	EXPECT_EQ(INTID_NONE, guest_ack(_metadata, &v.r[0], 0));
	EXPECT_EQ(21, guest_ack(_metadata, &v.r[1], 1));
	ASSERT_EQ(0, rc_irq_line(&v, PPI, 1, 21, 0));
	RC_DO(&v.r[1], &uc, RC_READ32, GICR_ISPENDR0(1), 0, 0);
	EXPECT_EQ(0, uc.args[0] & 0xffff0000);
	EXPECT_EQ(INTID_NONE, guest_ack(_metadata, &v.r[1], 0));
	rc_vm_destroy(&v);
}

#define INJECT_ROUNDS	100

static sem_t got_irq[2];
static int bad_events;

/* vCPU i's handler said (intid, count): the next of its SPI's interrupts. */
static void on_irq_event(struct rc_vcpu *r, const struct ucall *uc)
{
	if (uc->args[0] != 42U + r->vcpu.id || uc->args[1] != (uint64_t)r->nr_events)
		bad_events++;
	sem_post(&got_irq[r->vcpu.id]);
}

/*
 * Two vCPUs wait in WFI with IRQs unmasked; this thread raises edges on SPI
 * 42 (to vCPU 0) and 43 (to vCPU 1) one after the other, each once the
 * previous one was taken (the handler's UCALL_EVENT): every one arrives.
 */
TEST(irq_line_from_another_thread)
{
	static struct rc_vm v;
	struct timespec dl;
	struct ucall uc;
	int i, k, ret;

	irq_vm(_metadata, &v, 2, 1);
	for (i = 0; i < 2; i++) {
		RC_DO(&v.r[i], &uc, RC_SPI_CFG, 42 + i, 1, i);
		ASSERT_EQ(0, sem_init(&got_irq[i], 0, 0));
		v.r[i].on_event = on_irq_event;
		rc_post(&v.r[i], RC_WAIT_IRQS, INJECT_ROUNDS, 1, 0);
	}
	for (k = 0; k < INJECT_ROUNDS; k++) {
		for (i = 0; i < 2; i++) {
			ASSERT_EQ(0, rc_irq_line(&v, SPI, 0, 42 + i, 1));
			ASSERT_EQ(0, rc_irq_line(&v, SPI, 0, 42 + i, 0));
			clock_gettime(CLOCK_REALTIME, &dl);
			dl.tv_sec += 10;
			ret = sem_timedwait(&got_irq[i], &dl);
			ASSERT_EQ(0, ret) TH_LOG("round %d: vCPU %d took no interrupt", k, i);
		}
	}
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(0, rc_wait(&v.r[i], &uc, RC_TIMEOUT_MS));
		ASSERT_EQ(UCALL_SYNC, uc.cmd);
		EXPECT_EQ(INJECT_ROUNDS, uc.args[0]) TH_LOG("vCPU %d: interrupts taken", i);
		EXPECT_EQ(42 + i, uc.args[1]);
		EXPECT_EQ(INJECT_ROUNDS, v.r[i].nr_events);
	}
	EXPECT_EQ(0, bad_events);
	rc_vm_destroy(&v);
}

enum gic_state { NO_GIC, GIC_CREATED, GIC_READY };

static const struct irq_line_case {
	const char *what;
	enum gic_state gic;
	uint32_t type, vcpu, num;
	int err;		/* -errno */
} line_cases[] = {
	{ "SPI, no vGIC", NO_GIC, SPI, 0, 40, -ENXIO },
	{ "PPI, no vGIC", NO_GIC, PPI, 0, 20, -ENXIO },
	{ "type 3, no vGIC", NO_GIC, 3, 0, 40, -EINVAL },
	{ "SPI before CTRL_INIT", GIC_CREATED, SPI, 0, 40, -EBUSY },
	{ "SPI 31 before CTRL_INIT", GIC_CREATED, SPI, 0, 31, -EINVAL },
	{ "PPI before CTRL_INIT", GIC_CREATED, PPI, 0, 20, -EBUSY },
	{ "PPI, no such vCPU, before CTRL_INIT", GIC_CREATED, PPI, 5, 20, -EINVAL },
	{ "CPU IRQ line, in-kernel vGIC", GIC_CREATED, KVM_ARM_IRQ_TYPE_CPU, 0, 0, -ENXIO },
	{ "type 15 before CTRL_INIT", GIC_CREATED, 15, 0, 40, -EINVAL },
	{ "SPI 32", GIC_READY, SPI, 0, 32, 0 },
	{ "SPI 127 (NR_IRQS 128)", GIC_READY, SPI, 0, 127, 0 },
	{ "SPI 128 (NR_IRQS 128)", GIC_READY, SPI, 0, 128, -EINVAL },
	{ "SPI 1023", GIC_READY, SPI, 0, 1023, -EINVAL },
	{ "SPI 0", GIC_READY, SPI, 0, 0, -EINVAL },
	{ "SPI 31", GIC_READY, SPI, 0, 31, -EINVAL },
	{ "SPI with a vCPU index", GIC_READY, SPI, 1, 40, 0 },
	{ "PPI 15", GIC_READY, PPI, 0, 15, -EINVAL },
	{ "PPI 16", GIC_READY, PPI, 0, 16, 0 },
	{ "PPI 31", GIC_READY, PPI, 1, 31, 0 },
	{ "PPI 32", GIC_READY, PPI, 0, 32, -EINVAL },
	{ "PPI, vCPU 2 (of 2)", GIC_READY, PPI, 2, 20, -EINVAL },
	{ "PPI, vCPU 257 (vcpu2_index)", GIC_READY, PPI, 257, 20, -EINVAL },
	{ "CPU FIQ line", GIC_READY, KVM_ARM_IRQ_TYPE_CPU, 0, 1, -ENXIO },
	{ "type 3", GIC_READY, 3, 0, 40, -EINVAL },
	{ "type 15", GIC_READY, 15, 0, 40, -EINVAL },
};

/* Each row in a VM of two vCPUs with the vGIC in the row's state (NR_IRQS 128). */
TEST(irq_line_errors)
{
	uint64_t dist = GIC_DIST, redist = GIC_REDIST;
	uint32_t nr_irqs = 128;
	struct vcpu vc[2];
	unsigned int k;
	struct vm vm;
	int i, gic;

	for (k = 0; k < sizeof(line_cases) / sizeof(line_cases[0]); k++) {
		const struct irq_line_case *c = &line_cases[k];
		struct kvm_create_device cd = { .type = KVM_DEV_TYPE_ARM_VGIC_V3 };
		struct rc_vm fake;

		ASSERT_EQ(0, vm_create_type(&vm, 0));
		for (i = 0; i < 2; i++)
			ASSERT_EQ(0, vcpu_create(&vm, &vc[i], i, 1U << KVM_ARM_VCPU_PSCI_0_2));
		gic = -1;
		if (c->gic != NO_GIC) {
			ASSERT_EQ(0, ioctl(vm.fd, KVM_CREATE_DEVICE, &cd));
			gic = cd.fd;
			ASSERT_EQ(0, rc_vgic_attr(gic, KVM_SET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_ADDR,
						  KVM_VGIC_V3_ADDR_TYPE_DIST, &dist));
			ASSERT_EQ(0, rc_vgic_attr(gic, KVM_SET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_ADDR,
						  KVM_VGIC_V3_ADDR_TYPE_REDIST, &redist));
			ASSERT_EQ(0, rc_vgic_attr(gic, KVM_SET_DEVICE_ATTR,
						  KVM_DEV_ARM_VGIC_GRP_NR_IRQS, 0, &nr_irqs));
		}
		if (c->gic == GIC_READY)
			ASSERT_EQ(0, rc_vgic_attr(gic, KVM_SET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_CTRL,
						  KVM_DEV_ARM_VGIC_CTRL_INIT, NULL));
		fake.vm = vm;
		EXPECT_EQ(c->err, rc_irq_line(&fake, c->type, c->vcpu, c->num, 0))
			TH_LOG("%s", c->what);
		if (gic >= 0)
			close(gic);
		for (i = 0; i < 2; i++)
			vcpu_close(&vc[i]);
		vm_destroy(&vm);
	}
}

#define GICD_CTLR_ARE		(1U << 4)
#define GICD_CTLR_DS		(1U << 6)
#define GICD_TYPER_NO1N		(1U << 25)
#define GICR_TYPER_LAST		(1U << 4)
#define PIDR2_OFF		0xffe8
#define IMPLEMENTER_ARM		0x43b

FIXTURE(idregs) {
	struct rc_vm v;
};

FIXTURE_VARIANT(idregs) {
	int nr_vcpus;
	uint32_t nr_irqs;	/* 0: the default, 256 */
};

FIXTURE_VARIANT_ADD(idregs, four_vcpus_default_irqs) { .nr_vcpus = 4, .nr_irqs = 0 };
FIXTURE_VARIANT_ADD(idregs, one_vcpu_128_irqs) { .nr_vcpus = 1, .nr_irqs = 128 };
FIXTURE_VARIANT_ADD(idregs, two_vcpus_992_irqs) { .nr_vcpus = 2, .nr_irqs = 992 };

FIXTURE_SETUP(idregs)
{
	struct ucall uc;

	ASSERT_EQ(0, rc_vm_create(&self->v, variant->nr_vcpus, 0, variant->nr_irqs));
	ASSERT_EQ(0, rc_start(&self->v.r[0], 0, &uc));
}

FIXTURE_TEARDOWN(idregs)
{
	rc_vm_destroy(&self->v);
}

static uint64_t rd32(struct __test_metadata *_metadata, struct rc_vcpu *r, uint64_t addr)
{
	struct ucall uc;

	RC_DO(r, &uc, RC_READ32, addr, 0, 0);
	return uc.args[0];
}

/* What Linux's GICv3 driver probes, read by the guest at reset, then after setup. */
TEST_F(idregs, linux_probes)
{
	uint32_t nr = variant->nr_irqs ?: 256, typer;
	struct rc_vcpu *r = &self->v.r[0];
	uint64_t waker, want;
	struct ucall uc;
	int i;

	EXPECT_EQ(GICD_CTLR_ARE | GICD_CTLR_DS, rd32(_metadata, r, GIC_DIST))
		TH_LOG("GICD_CTLR at reset: ARE_NS, DS, nothing enabled");
	typer = rd32(_metadata, r, GIC_DIST + 4);
	/* ITLinesNumber [4:0], IDbits [23:19] = 10 bits, no LPIs, no MBIS, one security state. */
	EXPECT_EQ((nr / 32 - 1) | 9U << 19, typer & ~GICD_TYPER_NO1N)
		TH_LOG("GICD_TYPER %#x", typer);
	printf("# GICD_TYPER %#x (No1N %u: hvlite 1, KVM 0)\n", typer, !!(typer & GICD_TYPER_NO1N));
	EXPECT_EQ(IMPLEMENTER_ARM, rd32(_metadata, r, GIC_DIST + 8) & 0xfff) TH_LOG("GICD_IIDR");
	EXPECT_EQ(0x3b, rd32(_metadata, r, GIC_DIST + PIDR2_OFF)) TH_LOG("GICD_PIDR2: ArchRev 3");
	for (i = 0; i < variant->nr_vcpus; i++) {
		want = (uint64_t)i << 32 | (uint64_t)i << 8 |
		       (i == variant->nr_vcpus - 1 ? GICR_TYPER_LAST : 0);
		RC_DO(r, &uc, RC_READ64, GICR_RD(i) + 8, 0, 0);
		EXPECT_EQ(want, uc.args[0]) TH_LOG("GICR_TYPER of vCPU %d", i);
		EXPECT_EQ(want & 0xffffffff, rd32(_metadata, r, GICR_RD(i) + 8));
		EXPECT_EQ(want >> 32, rd32(_metadata, r, GICR_RD(i) + 12));
		EXPECT_EQ(0x3b, rd32(_metadata, r, GICR_RD(i) + PIDR2_OFF)) TH_LOG("GICR_PIDR2");
		EXPECT_EQ(IMPLEMENTER_ARM, rd32(_metadata, r, GICR_RD(i) + 4) & 0xfff)
			TH_LOG("GICR_IIDR");
		/* KVM reads GICR_WAKER as 0; hvlite starts asleep (ProcessorSleep, ChildrenAsleep). */
		waker = rd32(_metadata, r, GICR_RD(i) + 0x14);
		EXPECT_TRUE(waker == 0 || waker == 6) TH_LOG("GICR_WAKER at reset %#lx",
							    (unsigned long)waker);
		/* As KVM's vgic_init: SGIs enabled, everything group 1, SGIs edge, PPIs level. */
		EXPECT_EQ(0xffff, rd32(_metadata, r, GIC_SGI_BASE(i) + 0x100))
			TH_LOG("GICR_ISENABLER0 of vCPU %d at reset", i);
		EXPECT_EQ(0xffffffff, rd32(_metadata, r, GIC_SGI_BASE(i) + 0x80))
			TH_LOG("GICR_IGROUPR0 at reset");
		EXPECT_EQ(0xaaaaaaaa, rd32(_metadata, r, GIC_SGI_BASE(i) + 0xc00))
			TH_LOG("GICR_ICFGR0 at reset");
		EXPECT_EQ(0, rd32(_metadata, r, GIC_SGI_BASE(i) + 0xc04)) TH_LOG("GICR_ICFGR1");
	}
	EXPECT_EQ(0xffffffff, rd32(_metadata, r, GIC_DIST + 0x84)) TH_LOG("GICD_IGROUPR1 at reset");
	EXPECT_EQ(0, rd32(_metadata, r, GIC_DIST + 0x104)) TH_LOG("GICD_ISENABLER1 at reset");
	EXPECT_EQ(0xaaaaaaaa, rd32(_metadata, r, GIC_DIST + 0xc08)) TH_LOG("GICD_ICFGR2: edge");
	/* The first 32 INTIDs are the redistributors' business: RAZ/WI at the distributor. */
	RC_DO(r, &uc, RC_WRITE32, GIC_DIST + 0x100, 0xffffffff, 0);
	EXPECT_EQ(0, rd32(_metadata, r, GIC_DIST + 0x100)) TH_LOG("GICD_ISENABLER0");

	RC_DO(r, &uc, RC_GIC_SETUP, 0, 0, 0);
	EXPECT_EQ(0x12 | GICD_CTLR_ARE | GICD_CTLR_DS, rd32(_metadata, r, GIC_DIST))
		TH_LOG("GICD_CTLR after EnableGrp1");
	EXPECT_EQ(0, rd32(_metadata, r, GICR_RD(0) + 0x14)) TH_LOG("GICR_WAKER awake");
	/* A PPI's configuration stays level (KVM: read-only, the timers need it). */
	RC_DO(r, &uc, RC_WRITE32, GIC_SGI_BASE(0) + 0xc04, 0xffffffff, 0);
	EXPECT_EQ(0, rd32(_metadata, r, GIC_SGI_BASE(0) + 0xc04)) TH_LOG("GICR_ICFGR1 written");
	RC_DO(r, &uc, RC_WRITE32, GIC_SGI_BASE(0) + 0xc00, 0, 0);
	EXPECT_EQ(0xaaaaaaaa, rd32(_metadata, r, GIC_SGI_BASE(0) + 0xc00)) TH_LOG("GICR_ICFGR0");
	/* An SPI's is the guest's. */
	RC_DO(r, &uc, RC_WRITE32, GIC_DIST + 0xc08, 0x0000aaaa, 0);
	EXPECT_EQ(0x0000aaaa, rd32(_metadata, r, GIC_DIST + 0xc08)) TH_LOG("GICD_ICFGR2");
	/* Disabling SGIs works (they are enabled only at reset). */
	RC_DO(r, &uc, RC_WRITE32, GIC_SGI_BASE(0) + 0x180, 0x00ff, 0);
	EXPECT_EQ(0xff00, rd32(_metadata, r, GIC_SGI_BASE(0) + 0x100)) TH_LOG("after ICENABLER0");
	/* An SGI to itself with no GICR_ISENABLER0 write: taken. */
	RC_DO(r, &uc, RC_SGI, 9ULL << 24 | 1, 0, 0);
	EXPECT_EQ(9, guest_ack(_metadata, r, 1));
}

TEST_HARNESS_MAIN
