// SPDX-License-Identifier: GPL-2.0-only
/*
 * The virtual GICv3 through the KVM device ABI: KVM_CREATE_DEVICE and its
 * attributes with their errors, and interrupts the guest takes and
 * acknowledges at its own vector: an SGI to itself, an SPI raised by the
 * VMM with KVM_IRQ_LINE, and the virtual timer (PPI 27) waking a WFI.
 * Same results on KVM and on hvlite.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>

#include "kselftest_harness.h"
#include "kvm_util.h"

#define VG_DIST		0x08000000UL
#define VG_REDIST	0x080a0000UL
#define VG_SPI		40

/*
 * The guest: x0 = scenario (1 SGI, 2 SPI, 3 timer), x7 = GUEST_UCALL_ADDR.
 * It enables group 1 at the distributor and its redistributor, then the
 * scenario's interrupt, unmasks IRQs and waits in WFI until its IRQ
 * vector has acknowledged one; then SYNC(intid), DONE.
 */
extern const char vg_guest[], vg_guest_end[];
asm(".pushsection .rodata\n"
    ".balign 2048\n"
    ".globl vg_guest, vg_guest_end\n"
    "vg_guest:\n"
    "	b	vg_start\n"
    ".balign 0x200\n"			/* current EL, SPx: sync */
    "	mov	x1, #0x200\n	b	vg_unexpected\n"
    ".balign 0x80\n"			/* irq (0x280) */
    "	mrs	x1, icc_iar1_el1\n"
    "	cmp	x1, #1020\n"
    "	b.hs	1f\n"
    "	cmp	x1, #27\n"
    "	b.ne	2f\n"
    "	mov	x2, #3\n"			/* ENABLE | IMASK: quiet the timer */
    "	msr	cntv_ctl_el0, x2\n"
    "2:	msr	icc_eoir1_el1, x1\n"
    "	mov	x22, x1\n"
    "1:	eret\n"
    ".balign 0x80\n"			/* fiq */
    "	mov	x1, #0x300\n	b	vg_unexpected\n"
    ".balign 0x80\n"			/* serror */
    "	mov	x1, #0x380\n	b	vg_unexpected\n"
    ".balign 0x800\n"
    "vg_unexpected:\n"
    "	mov	x0, #4\n	mrs	x2, esr_el1\n	mrs	x3, elr_el1\n"
    "	str	x0, [x7]\n	b	.\n"
    "vg_start:\n"
    "	adr	x1, vg_guest\n	msr	vbar_el1, x1\n	isb\n"
    "	mov	x22, #0x3ff\n"
    "	movz	x20, #0x0800, lsl #16\n"		/* GICD */
    "	movz	x21, #0x080a, lsl #16\n"		/* GICR RD_base */
    "	add	x23, x21, #0x10000\n"			/* GICR SGI_base */
    "	mov	w1, #0x12\n	str	w1, [x20]\n"	/* GICD_CTLR: ARE, EnableGrp1 */
    "	str	wzr, [x21, #0x14]\n"		/* GICR_WAKER: awake */
    "	mov	w1, #-1\n"
    "	str	w1, [x23, #0x80]\n"		/* GICR_IGROUPR0: group 1 */
    "	str	w1, [x20, #0x84]\n"		/* GICD_IGROUPR1: group 1 */
    "	mov	x1, #0xff\n	msr	icc_pmr_el1, x1\n"
    "	mov	x1, #1\n	msr	icc_igrpen1_el1, x1\n	isb\n"
    "	cmp	x0, #1\n	b.eq	10f\n"
    "	cmp	x0, #2\n	b.eq	20f\n"
    "	cmp	x0, #3\n	b.eq	30f\n"
    "	b	90f\n"
    /* SGI 3 to itself: Aff3.Aff2.Aff1 = 0, TargetList = {0}. */
    "10:	mov	w1, #(1 << 3)\n	str	w1, [x23, #0x100]\n"	/* GICR_ISENABLER0 */
    "	msr	daifclr, #2\n"
    "	movz	x1, #0x0300, lsl #16\n	orr	x1, x1, #1\n"
    "	msr	icc_sgi1r_el1, x1\n	isb\n	b	80f\n"
    /* SPI 40, edge, routed to Aff 0.0.0.0; then tell the VMM to raise it. */
    "20:	movz	w1, #0x2, lsl #16\n	str	w1, [x20, #0xc08]\n"	/* GICD_ICFGR2: edge */
    "	add	x1, x20, #0x6000\n	str	xzr, [x1, #(8 * 40)]\n"	/* GICD_IROUTER40 */
    "	mov	w1, #(1 << 8)\n	str	w1, [x20, #0x104]\n"	/* GICD_ISENABLER1 */
    "	msr	daifclr, #2\n"
    "	mov	x0, #1\n	mov	x1, #40\n	str	x0, [x7]\n"	/* SYNC: ready */
    "	b	80f\n"
    /* The virtual timer, 1 ms ahead, PPI 27. */
    "30:	mov	w1, #(1 << 27)\n	str	w1, [x23, #0x100]\n"
    "	mrs	x1, cntfrq_el0\n	lsr	x1, x1, #10\n	msr	cntv_tval_el0, x1\n"
    "	mov	x1, #1\n	msr	cntv_ctl_el0, x1\n	isb\n"
    "	msr	daifclr, #2\n"
    "80:	cmp	x22, #0x3ff\n	b.ne	90f\n	wfi\n	b	80b\n"
    "90:	msr	daifset, #2\n"
    "	mov	x0, #1\n	mov	x1, x22\n	str	x0, [x7]\n"	/* SYNC(intid) */
    "	mov	x0, #2\n	str	x0, [x7]\n	b	.\n"		/* DONE */
    "vg_guest_end:\n"
    ".popsection\n");

static int vgic_attr(int fd, unsigned long req, uint32_t group, uint64_t attr, void *val)
{
	struct kvm_device_attr a = { .group = group, .attr = attr, .addr = (uintptr_t)val };

	return ioctl(fd, req, &a) ? -errno : 0;
}

static int vgic_create(struct vm *vm)
{
	struct kvm_create_device cd = { .type = KVM_DEV_TYPE_ARM_VGIC_V3 };

	return ioctl(vm->fd, KVM_CREATE_DEVICE, &cd) ? -errno : (int)cd.fd;
}

static int irq_line(struct vm *vm, uint32_t type, uint32_t vcpu, uint32_t num, int level)
{
	struct kvm_irq_level l = {
		.irq = type << KVM_ARM_IRQ_TYPE_SHIFT | vcpu << KVM_ARM_IRQ_VCPU_SHIFT | num,
		.level = level,
	};

	return ioctl(vm->fd, KVM_IRQ_LINE, &l) ? -errno : 0;
}

FIXTURE(vg) {
	struct vm vm;
	struct vcpu vcpu;
	int gic;
};

/* VM, RAM with the guest, one vCPU, then the vGIC at QEMU virt's addresses. */
FIXTURE_SETUP(vg)
{
	uint64_t dist = VG_DIST, redist = VG_REDIST;
	void *ram;

	ASSERT_EQ(0, vm_create_type(&self->vm, 0));
	ram = vm_add_ram(&self->vm, 0, 0, GUEST_BASE, GUEST_RAM_SIZE);
	ASSERT_NE(NULL, ram);
	memcpy(ram, vg_guest, (uintptr_t)vg_guest_end - (uintptr_t)vg_guest);
	ASSERT_EQ(0, vcpu_create(&self->vm, &self->vcpu, 0, 1U << KVM_ARM_VCPU_PSCI_0_2));
	self->gic = vgic_create(&self->vm);
	ASSERT_LE(0, self->gic) TH_LOG("KVM_CREATE_DEVICE: %s", strerror(-self->gic));
	ASSERT_EQ(0, vgic_attr(self->gic, KVM_SET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_ADDR,
			       KVM_VGIC_V3_ADDR_TYPE_DIST, &dist));
	ASSERT_EQ(0, vgic_attr(self->gic, KVM_SET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_ADDR,
			       KVM_VGIC_V3_ADDR_TYPE_REDIST, &redist));
	ASSERT_EQ(0, vgic_attr(self->gic, KVM_SET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_CTRL,
			       KVM_DEV_ARM_VGIC_CTRL_INIT, NULL));
}

FIXTURE_TEARDOWN(vg)
{
	close(self->gic);
	vcpu_close(&self->vcpu);
	vm_destroy(&self->vm);
}

static int start(struct vcpu *v, uint64_t scenario)
{
	int ret = vcpu_set(v, REG_PC, GUEST_BASE);

	ret = ret ?: vcpu_set(v, REG_X(0), scenario);
	return ret ?: vcpu_set(v, REG_X(7), GUEST_UCALL_ADDR);
}

TEST_F(vg, device_abi)
{
	struct kvm_create_device test = {
		.type = KVM_DEV_TYPE_ARM_VGIC_V3, .flags = KVM_CREATE_DEVICE_TEST,
	};
	uint64_t addr = VG_DIST, got = 0;
	uint32_t nr = 0;

	EXPECT_EQ(1, kvm_check_ext(self->vm.fd, KVM_CAP_IRQCHIP));
	EXPECT_EQ(1, kvm_check_ext(self->vm.fd, KVM_CAP_DEVICE_CTRL));
	EXPECT_EQ(0, ioctl(self->vm.fd, KVM_CREATE_DEVICE, &test));
	EXPECT_EQ(-EEXIST, vgic_create(&self->vm));
	test.type = 0x7fff;
	test.flags = 0;
	EXPECT_EQ(-1, ioctl(self->vm.fd, KVM_CREATE_DEVICE, &test));
	EXPECT_EQ(ENODEV, errno);
	/* Addresses: readable; set once (EEXIST). */
	EXPECT_EQ(0, vgic_attr(self->gic, KVM_GET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_ADDR,
			       KVM_VGIC_V3_ADDR_TYPE_DIST, &got));
	EXPECT_EQ(VG_DIST, got);
	EXPECT_EQ(-EEXIST, vgic_attr(self->gic, KVM_SET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_ADDR,
				     KVM_VGIC_V3_ADDR_TYPE_DIST, &addr));
	EXPECT_EQ(-ENXIO, vgic_attr(self->gic, KVM_HAS_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_ADDR,
				    0x77, NULL));
	EXPECT_EQ(0, vgic_attr(self->gic, KVM_HAS_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_CTRL,
			       KVM_DEV_ARM_VGIC_CTRL_INIT, NULL));
	/* NR_IRQS after init: readable (the default 256), no longer settable. */
	EXPECT_EQ(0, vgic_attr(self->gic, KVM_GET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_NR_IRQS,
			       0, &nr));
	EXPECT_EQ(256, nr);
	nr = 128;
	EXPECT_EQ(-EBUSY, vgic_attr(self->gic, KVM_SET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_NR_IRQS,
				    0, &nr));
	/* No vCPU after the vGIC is initialised. */
	EXPECT_EQ(-1, ioctl(self->vm.fd, KVM_CREATE_VCPU, 1));
	EXPECT_EQ(EBUSY, errno);
	/* KVM_IRQ_LINE: SPI range, PPI range, vCPU index, type. */
	EXPECT_EQ(-EINVAL, irq_line(&self->vm, KVM_ARM_IRQ_TYPE_SPI, 0, 31, 1));
	EXPECT_EQ(-EINVAL, irq_line(&self->vm, KVM_ARM_IRQ_TYPE_SPI, 0, 256, 1));
	EXPECT_EQ(-EINVAL, irq_line(&self->vm, KVM_ARM_IRQ_TYPE_PPI, 0, 15, 1));
	EXPECT_EQ(-EINVAL, irq_line(&self->vm, KVM_ARM_IRQ_TYPE_PPI, 5, 20, 1));
	EXPECT_EQ(0, irq_line(&self->vm, KVM_ARM_IRQ_TYPE_SPI, 0, 100, 0));
}

TEST(vgic_addr_errors)
{
	uint64_t addr = VG_DIST + 0x1000, nr = 0;
	struct vm vm;
	int gic;

	ASSERT_EQ(0, vm_create_type(&vm, 0));
	gic = vgic_create(&vm);
	ASSERT_LE(0, gic);
	EXPECT_EQ(-EINVAL, vgic_attr(gic, KVM_SET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_ADDR,
				     KVM_VGIC_V3_ADDR_TYPE_DIST, &addr));
	addr = 1ULL << 50;
	EXPECT_EQ(-E2BIG, vgic_attr(gic, KVM_SET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_ADDR,
				    KVM_VGIC_V3_ADDR_TYPE_DIST, &addr));
	nr = 33;
	EXPECT_EQ(-EINVAL, vgic_attr(gic, KVM_SET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_NR_IRQS,
				     0, &nr));
	nr = 16;
	EXPECT_EQ(-EINVAL, vgic_attr(gic, KVM_SET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_NR_IRQS,
				     0, &nr));
	close(gic);
	vm_destroy(&vm);
}

static void expect_intid(struct __test_metadata *_metadata, struct vcpu *v, uint64_t intid)
{
	struct ucall uc;

	ASSERT_UCALL(v, &uc, UCALL_SYNC);
	EXPECT_EQ(intid, uc.args[0]);
	ASSERT_UCALL(v, &uc, UCALL_DONE);
}

TEST_F(vg, sgi_to_self)
{
	ASSERT_EQ(0, start(&self->vcpu, 1));
	expect_intid(_metadata, &self->vcpu, 3);
}

TEST_F(vg, spi_from_irq_line)
{
	struct ucall uc;

	ASSERT_EQ(0, start(&self->vcpu, 2));
	ASSERT_UCALL(&self->vcpu, &uc, UCALL_SYNC);	/* the guest is ready */
	ASSERT_EQ(VG_SPI, uc.args[0]);
	ASSERT_EQ(0, irq_line(&self->vm, KVM_ARM_IRQ_TYPE_SPI, 0, VG_SPI, 1));
	expect_intid(_metadata, &self->vcpu, VG_SPI);
	EXPECT_EQ(0, irq_line(&self->vm, KVM_ARM_IRQ_TYPE_SPI, 0, VG_SPI, 0));
}

TEST_F(vg, vtimer_wakes_wfi)
{
	ASSERT_EQ(0, start(&self->vcpu, 3));
	expect_intid(_metadata, &self->vcpu, 27);
}

TEST_HARNESS_MAIN
