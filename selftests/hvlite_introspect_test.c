// SPDX-License-Identifier: GPL-2.0-only
/*
 * hvlite's introspection ioctls on the VM fd (uapi/linux/hvlite.h), as the
 * gdb monitor of hvlite-run uses them: HVLITE_VM_S2_WALK (the Stage-2 walk
 * of an IPA: the PA of the page backing a slot, per /proc/self/pagemap, and
 * its permissions; an IPA in no slot is not mapped) and HVLITE_VM_VGIC_LRS
 * (a pending SGI the guest has not acknowledged sits in a list register),
 * with every input check and errno. hvlite only: KVM has neither.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/hvlite.h>

#include "kselftest_harness.h"
#include "kvm_util.h"

#define IG_DIST		0x08000000UL
#define IG_REDIST	0x080a0000UL
#define IG_SGI		5
#define IG_UNMAPPED	0x10000000UL

/* ICH_LR<n>_EL2 fields (GIC architecture spec, 12.4.6) */
#define LR_STATE(lr)	((lr) >> 62)
#define LR_GROUP(lr)	(((lr) >> 60) & 1)
#define LR_HW(lr)	(((lr) >> 61) & 1)
#define LR_VINTID(lr)	((lr) & 0xffffffffULL)
#define LR_PENDING	1

/*
 * The guest: x7 = GUEST_UCALL_ADDR. Group 1 on at the distributor and its
 * redistributor, SGI 5 enabled, then SGI 5 to itself with IRQs still
 * masked (the reset PSTATE): it stays pending. SYNC, then spin.
 */
extern const char ig_guest[], ig_guest_end[];
asm(".pushsection .rodata\n"
    ".balign 4096\n"
    ".globl ig_guest, ig_guest_end\n"
    "ig_guest:\n"
    "	movz	x20, #0x0800, lsl #16\n"		/* GICD */
    "	movz	x21, #0x080a, lsl #16\n"		/* GICR RD_base */
    "	add	x23, x21, #0x10000\n"			/* GICR SGI_base */
    "	mov	w1, #0x12\n	str	w1, [x20]\n"	/* GICD_CTLR: ARE, EnableGrp1 */
    "	str	wzr, [x21, #0x14]\n"			/* GICR_WAKER: awake */
    "	mov	w1, #-1\n	str	w1, [x23, #0x80]\n"	/* GICR_IGROUPR0: group 1 */
    "	mov	w1, #(1 << 5)\n	str	w1, [x23, #0x100]\n"	/* GICR_ISENABLER0 */
    "	mov	x1, #0xff\n	msr	icc_pmr_el1, x1\n"
    "	mov	x1, #1\n	msr	icc_igrpen1_el1, x1\n	isb\n"
    "	movz	x1, #0x0500, lsl #16\n	orr	x1, x1, #1\n"	/* SGI 5, TargetList {0} */
    "	msr	icc_sgi1r_el1, x1\n	isb\n"
    "	mov	x0, #1\n	mov	x1, #5\n	str	x0, [x7]\n"	/* SYNC(5) */
    "1:	b	1b\n"
    "ig_guest_end:\n"
    ".popsection\n");

static int s2_walk(struct vm *vm, struct hvlite_s2_walk *w)
{
	return ioctl(vm->fd, HVLITE_VM_S2_WALK, w) ? -errno : 0;
}

static int get_lrs(struct vm *vm, struct hvlite_vgic_lrs *l)
{
	return ioctl(vm->fd, HVLITE_VM_VGIC_LRS, l) ? -errno : 0;
}

/* The physical address behind a (pinned) user address, from /proc/self/pagemap. */
static uint64_t user_pa(const void *p)
{
	uint64_t e = 0, va = (uintptr_t)p;
	int fd = open("/proc/self/pagemap", O_RDONLY);

	if (fd < 0)
		return 0;
	if (pread(fd, &e, 8, (va / 4096) * 8) != 8)
		e = 0;
	close(fd);
	if (!(e >> 63))
		return 0;
	return (e & ((1ULL << 55) - 1)) * 4096 + (va & 4095);
}

FIXTURE(ig) {
	struct vm vm;
	struct vcpu vcpu;
	char *ram;
	char *ro;
};

FIXTURE_SETUP(ig)
{
	ASSERT_EQ(0, vm_create_type(&self->vm, 0));
	self->ram = vm_add_ram(&self->vm, 0, 0, GUEST_BASE, GUEST_RAM_SIZE);
	ASSERT_NE(NULL, self->ram);
	self->ro = vm_add_ram(&self->vm, 1, KVM_MEM_READONLY, GUEST_RO_BASE, 0x10000);
	ASSERT_NE(NULL, self->ro);
	ASSERT_EQ(0, vcpu_create(&self->vm, &self->vcpu, 0, 1U << KVM_ARM_VCPU_PSCI_0_2));
}

FIXTURE_TEARDOWN(ig)
{
	vcpu_close(&self->vcpu);
	vm_destroy(&self->vm);
}

/* A RAM page: the PA of the page behind it, rwx, Normal WB, inner shareable. */
TEST_F(ig, s2_walk_ram)
{
	uint64_t offs[] = { 0x0, 0x3123, GUEST_RAM_SIZE - 8 };
	unsigned int i;

	for (i = 0; i < sizeof(offs) / sizeof(offs[0]); i++) {
		struct hvlite_s2_walk w = { .ipa = GUEST_BASE + offs[i] };
		uint64_t pa = user_pa(self->ram + offs[i]);

		ASSERT_NE(0, pa) TH_LOG("no PFN in /proc/self/pagemap (not root?)");
		ASSERT_EQ(0, s2_walk(&self->vm, &w));
		EXPECT_EQ(1, w.mapped);
		EXPECT_EQ(GUEST_BASE + offs[i], w.ipa);
		EXPECT_EQ(pa, w.pa) TH_LOG("IPA %#llx", (unsigned long long)w.ipa);
		EXPECT_EQ(40, w.ipa_bits);
		EXPECT_EQ(0, w.start_level);
		EXPECT_EQ(w.leaf_level - w.start_level + 1, w.levels);
		EXPECT_TRUE((w.leaf_level == 3 && w.size == 4096) ||
			    (w.leaf_level == 2 && w.size == 0x200000));
		EXPECT_EQ(HVLITE_S2_PROT_R | HVLITE_S2_PROT_W | HVLITE_S2_PROT_X, w.prot);
		EXPECT_EQ(0xf, w.memattr);
		EXPECT_EQ(3, w.sh);
		EXPECT_EQ(1, w.af);
		/* The leaf descriptor holds the output address. */
		EXPECT_EQ(pa & ~(w.size - 1), w.desc[w.levels - 1] & 0xfffffffff000ULL &
			  ~(w.size - 1));
	}
}

TEST_F(ig, s2_walk_readonly_slot)
{
	struct hvlite_s2_walk w = { .ipa = GUEST_RO_BASE + 0x1008 };

	ASSERT_EQ(0, s2_walk(&self->vm, &w));
	EXPECT_EQ(1, w.mapped);
	EXPECT_EQ(user_pa(self->ro + 0x1008), w.pa);
	EXPECT_EQ(HVLITE_S2_PROT_R | HVLITE_S2_PROT_X, w.prot);
}

/* No slot: not mapped, the walk ends at an invalid descriptor. */
TEST_F(ig, s2_walk_unmapped)
{
	uint64_t ipas[] = { IG_UNMAPPED, GUEST_BASE + GUEST_RAM_SIZE, (1ULL << 40) - 4096 };
	unsigned int i;

	for (i = 0; i < sizeof(ipas) / sizeof(ipas[0]); i++) {
		struct hvlite_s2_walk w = { .ipa = ipas[i] };

		ASSERT_EQ(0, s2_walk(&self->vm, &w));
		EXPECT_EQ(0, w.mapped) TH_LOG("IPA %#llx", (unsigned long long)ipas[i]);
		EXPECT_EQ(0, w.pa);
		EXPECT_EQ(0, w.prot);
		ASSERT_LE(1, w.levels);
		ASSERT_GE(4, w.levels);
		EXPECT_EQ(0, w.desc[w.levels - 1] & 1);
	}
}

TEST_F(ig, s2_walk_bad_input)
{
	struct hvlite_s2_walk w = { .ipa = GUEST_BASE, .flags = 1 };

	EXPECT_EQ(-EINVAL, s2_walk(&self->vm, &w));
	w.flags = 0;
	w.reserved[3] = 1;
	EXPECT_EQ(-EINVAL, s2_walk(&self->vm, &w));
	w.reserved[3] = 0;
	w.ipa = 1ULL << 40;
	EXPECT_EQ(-E2BIG, s2_walk(&self->vm, &w));
	w.ipa = ~0ULL;
	EXPECT_EQ(-E2BIG, s2_walk(&self->vm, &w));
	EXPECT_EQ(-1, ioctl(self->vm.fd, HVLITE_VM_S2_WALK, NULL));
	EXPECT_EQ(EFAULT, errno);
	/* Unknown numbers and sizes on hvlite's type byte: ENOTTY. */
	EXPECT_EQ(-1, ioctl(self->vm.fd, _IOWR(HVLITE_IO, 0x1f, struct hvlite_s2_walk), &w));
	EXPECT_EQ(ENOTTY, errno);
	EXPECT_EQ(-1, ioctl(self->vm.fd, _IOWR(HVLITE_IO, 0x10, __u64), &w));
	EXPECT_EQ(ENOTTY, errno);
	/* A vCPU fd is not a VM fd. */
	EXPECT_EQ(-1, ioctl(self->vcpu.fd, HVLITE_VM_S2_WALK, &w));
}

TEST_F(ig, lrs_bad_input)
{
	struct hvlite_vgic_lrs l = { 0 };
	struct kvm_create_device cd = { .type = KVM_DEV_TYPE_ARM_VGIC_V3 };

	EXPECT_EQ(-ENXIO, get_lrs(&self->vm, &l));	/* no vGIC yet */
	ASSERT_EQ(0, ioctl(self->vm.fd, KVM_CREATE_DEVICE, &cd));
	l.flags = 1;
	EXPECT_EQ(-EINVAL, get_lrs(&self->vm, &l));
	l.flags = 0;
	l.pad = 1;
	EXPECT_EQ(-EINVAL, get_lrs(&self->vm, &l));
	l.pad = 0;
	l.reserved[0] = 1;
	EXPECT_EQ(-EINVAL, get_lrs(&self->vm, &l));
	l.reserved[0] = 0;
	l.vcpu_id = 1;
	EXPECT_EQ(-ENOENT, get_lrs(&self->vm, &l));
	l.vcpu_id = 100000;
	EXPECT_EQ(-ENOENT, get_lrs(&self->vm, &l));
	l.vcpu_id = 0;
	EXPECT_EQ(-1, ioctl(self->vm.fd, HVLITE_VM_VGIC_LRS, NULL));
	EXPECT_EQ(EFAULT, errno);
	/* Before the first run: nothing saved yet. */
	l.lr[0] = 0x1234;
	ASSERT_EQ(0, get_lrs(&self->vm, &l));
	EXPECT_EQ(0, l.nr_lrs);
	EXPECT_EQ(0, l.lr[0]);
	close(cd.fd);
}

static int vgic_attr(int fd, uint32_t group, uint64_t attr, void *val)
{
	struct kvm_device_attr a = { .group = group, .attr = attr, .addr = (uintptr_t)val };

	return ioctl(fd, KVM_SET_DEVICE_ATTR, &a) ? -errno : 0;
}

/* A self-SGI with IRQs masked: pending in a list register at the next exit. */
TEST_F(ig, lrs_pending_sgi)
{
	struct kvm_create_device cd = { .type = KVM_DEV_TYPE_ARM_VGIC_V3 };
	uint64_t dist = IG_DIST, redist = IG_REDIST;
	struct hvlite_vgic_lrs l = { 0 };
	unsigned int i, found = 0;
	struct ucall uc;

	memcpy(self->ram, ig_guest, ig_guest_end - ig_guest);
	ASSERT_EQ(0, ioctl(self->vm.fd, KVM_CREATE_DEVICE, &cd));
	ASSERT_EQ(0, vgic_attr(cd.fd, KVM_DEV_ARM_VGIC_GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_DIST, &dist));
	ASSERT_EQ(0, vgic_attr(cd.fd, KVM_DEV_ARM_VGIC_GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_REDIST,
			       &redist));
	ASSERT_EQ(0, vgic_attr(cd.fd, KVM_DEV_ARM_VGIC_GRP_CTRL, KVM_DEV_ARM_VGIC_CTRL_INIT, NULL));
	ASSERT_EQ(0, vcpu_set(&self->vcpu, REG_PC, GUEST_BASE));
	ASSERT_EQ(0, vcpu_set(&self->vcpu, REG_X(7), GUEST_UCALL_ADDR));
	ASSERT_UCALL(&self->vcpu, &uc, UCALL_SYNC);
	ASSERT_EQ(IG_SGI, uc.args[0]);
	ASSERT_EQ(0, get_lrs(&self->vm, &l));
	ASSERT_LE(1, l.nr_lrs);
	ASSERT_GE(HVLITE_MAX_LRS, l.nr_lrs);
	EXPECT_EQ(1, l.ich_hcr & 1);			/* ICH_HCR_EL2.En */
	for (i = 0; i < l.nr_lrs; i++) {
		if (!LR_STATE(l.lr[i]))
			continue;
		found++;
		EXPECT_EQ(IG_SGI, LR_VINTID(l.lr[i]));
		EXPECT_EQ(LR_PENDING, LR_STATE(l.lr[i]));
		EXPECT_EQ(1, LR_GROUP(l.lr[i]));
		EXPECT_EQ(0, LR_HW(l.lr[i]));
	}
	EXPECT_EQ(1, found) TH_LOG("LR0 %#llx LR1 %#llx", (unsigned long long)l.lr[0],
				   (unsigned long long)l.lr[1]);
	for (i = l.nr_lrs; i < HVLITE_MAX_LRS; i++)
		EXPECT_EQ(0, l.lr[i]);
	close(cd.fd);
}

TEST_HARNESS_MAIN
