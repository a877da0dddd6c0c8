// SPDX-License-Identifier: GPL-2.0-only
/*
 * KVM-ABI contract of the system and VM fds: API version, capabilities,
 * KVM_CREATE_VM types, KVM_SET_USER_MEMORY_REGION good and bad, KVM_CREATE_VCPU
 * ids, ioctls on the wrong kind of fd. The errno values are KVM's.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "kvm_util.h"

#define SZ_64K		0x10000UL
#define SLOT_GPA	0x80000000UL

TEST(api_version)
{
	int fd = kvm_open_dev();

	ASSERT_LE(0, fd) TH_LOG("open %s: %s", kvm_dev_path(), strerror(-fd));
	EXPECT_EQ(KVM_API_VERSION, ioctl(fd, KVM_GET_API_VERSION, 0));
	close(fd);
}

/* Capabilities a guest-running hvlite must claim, on the system and the VM fd. */
static const struct { long cap; const char *name; } required_caps[] = {
	{ KVM_CAP_USER_MEMORY, "USER_MEMORY" },
	{ KVM_CAP_ONE_REG, "ONE_REG" },
	{ KVM_CAP_ARM_PSCI_0_2, "ARM_PSCI_0_2" },
	{ KVM_CAP_READONLY_MEM, "READONLY_MEM" },
	{ KVM_CAP_IMMEDIATE_EXIT, "IMMEDIATE_EXIT" },
	{ KVM_CAP_ARM_NISV_TO_USER, "ARM_NISV_TO_USER" },
	{ KVM_CAP_MP_STATE, "MP_STATE" },
};

TEST(check_extension)
{
	int nr_vcpus, max_vcpus, max_id, ipa, i, j;
	struct vm vm;

	ASSERT_EQ(0, vm_create_type(&vm, 0));
	for (j = 0; j < 2; j++) {
		int fd = j ? vm.fd : vm.sys_fd;
		const char *on = j ? "VM fd" : "system fd";

		for (i = 0; i < (int)ARRAY_SIZE(required_caps); i++) {
			const char *name = required_caps[i].name;

			EXPECT_EQ(1, kvm_check_ext(fd, required_caps[i].cap))
				TH_LOG("KVM_CAP_%s on the %s", name ?: "?", on);
		}
		nr_vcpus = kvm_check_ext(fd, KVM_CAP_NR_VCPUS);
		max_vcpus = kvm_check_ext(fd, KVM_CAP_MAX_VCPUS);
		max_id = kvm_check_ext(fd, KVM_CAP_MAX_VCPU_ID);
		ipa = kvm_check_ext(fd, KVM_CAP_ARM_VM_IPA_SIZE);
		EXPECT_LE(1, nr_vcpus);
		EXPECT_LE(nr_vcpus, max_vcpus);
		EXPECT_LE(max_vcpus, max_id);
		/* The default VM type is a 40-bit IPA: it must fit. */
		EXPECT_LE(40, ipa);
		EXPECT_GE(52, ipa);
		/* An unknown capability is 0, not an error. */
		EXPECT_EQ(0, kvm_check_ext(fd, 0x7fffffff));
		ksft_print_msg("%s: NR_VCPUS %d MAX_VCPUS %d MAX_VCPU_ID %d IPA_SIZE %d SYNC_MMU %d\n",
			       on, nr_vcpus, max_vcpus, max_id, ipa,
			       kvm_check_ext(fd, KVM_CAP_SYNC_MMU));
	}
	vm_destroy(&vm);
}

TEST(vcpu_mmap_size)
{
	int fd = kvm_open_dev(), size;

	ASSERT_LE(0, fd);
	size = ioctl(fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	EXPECT_LE((int)sizeof(struct kvm_run), size);
	EXPECT_EQ(0, size % getpagesize());
	close(fd);
}

/* KVM_CREATE_VM: the type is the IPA size in bits 7:0, 0 for 40 bits. */
FIXTURE(create_vm) {
	int fd;
	int ipa_limit;
};

FIXTURE_SETUP(create_vm)
{
	self->fd = kvm_open_dev();
	ASSERT_LE(0, self->fd);
	self->ipa_limit = kvm_check_ext(self->fd, KVM_CAP_ARM_VM_IPA_SIZE);
}

FIXTURE_TEARDOWN(create_vm)
{
	close(self->fd);
}

FIXTURE_VARIANT(create_vm) {
	long type;		/* -1: the IPA limit, -2: the limit + 1 */
	int err;
};

FIXTURE_VARIANT_ADD(create_vm, default_40bit) { .type = 0, .err = 0 };
FIXTURE_VARIANT_ADD(create_vm, ipa_32) { .type = 32, .err = 0 };
FIXTURE_VARIANT_ADD(create_vm, ipa_40) { .type = 40, .err = 0 };
FIXTURE_VARIANT_ADD(create_vm, ipa_limit) { .type = -1, .err = 0 };
FIXTURE_VARIANT_ADD(create_vm, ipa_above_limit) { .type = -2, .err = EINVAL };
FIXTURE_VARIANT_ADD(create_vm, ipa_31) { .type = 31, .err = EINVAL };
FIXTURE_VARIANT_ADD(create_vm, ipa_1) { .type = 1, .err = EINVAL };
FIXTURE_VARIANT_ADD(create_vm, unknown_type_bit) { .type = 0x100, .err = EINVAL };
FIXTURE_VARIANT_ADD(create_vm, unknown_type_bit_with_ipa) { .type = 0x10028, .err = EINVAL };

TEST_F(create_vm, type)
{
	long type = variant->type;
	int fd;

	if (type == -1)
		type = self->ipa_limit;
	else if (type == -2)
		type = self->ipa_limit + 1;
	fd = ioctl(self->fd, KVM_CREATE_VM, type);
	if (variant->err) {
		EXPECT_EQ(-1, fd);
		EXPECT_EQ(variant->err, errno);
	} else {
		EXPECT_LE(0, fd) TH_LOG("type %#lx: %s", type, strerror(errno));
	}
	if (fd >= 0)
		close(fd);
}

/* KVM_SET_USER_MEMORY_REGION against a VM with one 64K slot at SLOT_GPA. */
struct slot_vm {
	struct vm vm;
	char *mem;
	int nr_slots;
};

static int slot_vm_setup(struct slot_vm *s)
{
	if (vm_create_type(&s->vm, 0))
		return -1;
	s->mem = mmap(NULL, 4 * SZ_64K, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (s->mem == MAP_FAILED)
		return -1;
	s->nr_slots = kvm_check_ext(s->vm.fd, KVM_CAP_NR_MEMSLOTS);
	return vm_set_region(&s->vm, 0, 0, SLOT_GPA, SZ_64K, s->mem);
}

static void slot_vm_teardown(struct slot_vm *s)
{
	vm_destroy(&s->vm);
	munmap(s->mem, 4 * SZ_64K);
}

/* One KVM_SET_USER_MEMORY_REGION per row, next to the existing slot 0. */
FIXTURE(memslot) {
	struct slot_vm s;
};

FIXTURE_SETUP(memslot)
{
	ASSERT_EQ(0, slot_vm_setup(&self->s));
}

FIXTURE_TEARDOWN(memslot)
{
	slot_vm_teardown(&self->s);
}

FIXTURE_VARIANT(memslot) {
	uint32_t slot;		/* ~0: KVM_CAP_NR_MEMSLOTS */
	uint32_t flags;
	uint64_t gpa;
	uint64_t size;
	long hva_off;		/* from the fixture's mapping; 1 << 62: a kernel address */
	int err;
};

#define KADDR_OFF	(1L << 62)

FIXTURE_VARIANT_ADD(memslot, second_slot) {
	.slot = 1, .gpa = SLOT_GPA + SZ_64K, .size = SZ_64K, .hva_off = SZ_64K, .err = 0 };
FIXTURE_VARIANT_ADD(memslot, readonly_slot) {
	.slot = 1, .flags = KVM_MEM_READONLY, .gpa = 0, .size = SZ_64K,
	.hva_off = SZ_64K, .err = 0 };
FIXTURE_VARIANT_ADD(memslot, same_memory_twice) {
	.slot = 1, .gpa = 0x100000, .size = SZ_64K, .hva_off = 0, .err = 0 };
FIXTURE_VARIANT_ADD(memslot, unaligned_gpa) {
	.slot = 1, .gpa = SLOT_GPA + SZ_64K + 0x800, .size = SZ_64K, .hva_off = SZ_64K,
	.err = EINVAL };
FIXTURE_VARIANT_ADD(memslot, unaligned_size) {
	.slot = 1, .gpa = SLOT_GPA + SZ_64K, .size = SZ_64K - 8, .hva_off = SZ_64K,
	.err = EINVAL };
FIXTURE_VARIANT_ADD(memslot, unaligned_hva) {
	.slot = 1, .gpa = SLOT_GPA + SZ_64K, .size = SZ_64K, .hva_off = SZ_64K + 8,
	.err = EINVAL };
FIXTURE_VARIANT_ADD(memslot, kernel_hva) {
	.slot = 1, .gpa = SLOT_GPA + SZ_64K, .size = SZ_64K, .hva_off = KADDR_OFF,
	.err = EINVAL };
FIXTURE_VARIANT_ADD(memslot, overlap_start) {
	.slot = 1, .gpa = SLOT_GPA - 0x1000, .size = 0x2000, .hva_off = SZ_64K, .err = EEXIST };
FIXTURE_VARIANT_ADD(memslot, overlap_inside) {
	.slot = 1, .gpa = SLOT_GPA + 0x1000, .size = 0x1000, .hva_off = SZ_64K, .err = EEXIST };
FIXTURE_VARIANT_ADD(memslot, overlap_cover) {
	.slot = 1, .gpa = SLOT_GPA - SZ_64K, .size = 3 * SZ_64K, .hva_off = 0, .err = EEXIST };
FIXTURE_VARIANT_ADD(memslot, slot_id_limit) {
	.slot = ~0U, .gpa = SLOT_GPA + SZ_64K, .size = SZ_64K, .hva_off = SZ_64K, .err = EINVAL };
FIXTURE_VARIANT_ADD(memslot, address_space_1) {
	.slot = 0x10001, .gpa = SLOT_GPA + SZ_64K, .size = SZ_64K, .hva_off = SZ_64K,
	.err = EINVAL };
FIXTURE_VARIANT_ADD(memslot, bad_flags) {
	.slot = 1, .flags = 0x80, .gpa = SLOT_GPA + SZ_64K, .size = SZ_64K, .hva_off = SZ_64K,
	.err = EINVAL };
FIXTURE_VARIANT_ADD(memslot, beyond_ipa) {
	.slot = 1, .gpa = (1UL << 40) - 0x1000, .size = 0x2000, .hva_off = SZ_64K, .err = EFAULT };
FIXTURE_VARIANT_ADD(memslot, at_ipa_top) {
	.slot = 1, .gpa = (1UL << 40) - SZ_64K, .size = SZ_64K, .hva_off = SZ_64K, .err = 0 };
FIXTURE_VARIANT_ADD(memslot, gpa_wraps) {
	.slot = 1, .gpa = -0x1000UL, .size = 0x2000, .hva_off = SZ_64K, .err = EINVAL };
FIXTURE_VARIANT_ADD(memslot, delete_empty_slot) {
	.slot = 1, .gpa = SLOT_GPA + SZ_64K, .size = 0, .hva_off = SZ_64K, .err = EINVAL };
FIXTURE_VARIANT_ADD(memslot, resize_slot) {
	.slot = 0, .gpa = SLOT_GPA, .size = 2 * SZ_64K, .hva_off = 0, .err = EINVAL };
FIXTURE_VARIANT_ADD(memslot, change_hva) {
	.slot = 0, .gpa = SLOT_GPA, .size = SZ_64K, .hva_off = SZ_64K, .err = EINVAL };
FIXTURE_VARIANT_ADD(memslot, make_readonly) {
	.slot = 0, .flags = KVM_MEM_READONLY, .gpa = SLOT_GPA, .size = SZ_64K, .hva_off = 0,
	.err = EINVAL };
FIXTURE_VARIANT_ADD(memslot, same_again) {
	.slot = 0, .gpa = SLOT_GPA, .size = SZ_64K, .hva_off = 0, .err = 0 };

TEST_F(memslot, set)
{
	uint32_t slot = variant->slot == ~0U ? (uint32_t)self->s.nr_slots : variant->slot;
	void *hva = variant->hva_off == KADDR_OFF ? (void *)0xffff800000000000UL :
		    self->s.mem + variant->hva_off;

	if (variant->slot == ~0U)
		ASSERT_LT(0, self->s.nr_slots);
	EXPECT_EQ(-variant->err, vm_set_region(&self->s.vm, slot, variant->flags,
					       variant->gpa, variant->size, hva));
}

/* Sequences of KVM_SET_USER_MEMORY_REGION calls on the same VM. */
FIXTURE(memslot_ops) {
	struct slot_vm s;
};

FIXTURE_SETUP(memslot_ops)
{
	ASSERT_EQ(0, slot_vm_setup(&self->s));
}

FIXTURE_TEARDOWN(memslot_ops)
{
	slot_vm_teardown(&self->s);
}

/* Size 0 deletes; the range is then free for another slot; the id is reusable. */
TEST_F(memslot_ops, delete_and_reuse)
{
	EXPECT_EQ(-EEXIST, vm_set_region(&self->s.vm, 1, 0, SLOT_GPA, SZ_64K, self->s.mem + SZ_64K));
	EXPECT_EQ(0, vm_set_region(&self->s.vm, 0, 0, SLOT_GPA, 0, self->s.mem));
	EXPECT_EQ(-EINVAL, vm_set_region(&self->s.vm, 0, 0, SLOT_GPA, 0, self->s.mem));
	EXPECT_EQ(0, vm_set_region(&self->s.vm, 1, 0, SLOT_GPA, SZ_64K, self->s.mem + SZ_64K));
	EXPECT_EQ(0, vm_set_region(&self->s.vm, 0, 0, SLOT_GPA + SZ_64K, 2 * SZ_64K,
				   self->s.mem + 2 * SZ_64K));
}

/* A slot moves when only its guest address changes (KVM_MR_MOVE). */
TEST_F(memslot_ops, move)
{
	EXPECT_EQ(0, vm_set_region(&self->s.vm, 0, 0, SLOT_GPA + 4 * SZ_64K, SZ_64K, self->s.mem));
	EXPECT_EQ(0, vm_set_region(&self->s.vm, 1, 0, SLOT_GPA, SZ_64K, self->s.mem + SZ_64K));
}

/* The last valid slot id works; ids count from 0. */
TEST_F(memslot_ops, last_slot_id)
{
	ASSERT_LT(1, self->s.nr_slots);
	EXPECT_EQ(0, vm_set_region(&self->s.vm, self->s.nr_slots - 1, 0, SLOT_GPA + SZ_64K,
				   SZ_64K, self->s.mem + SZ_64K));
}

TEST(create_vcpu_ids)
{
	int max_id, fd0, fd1;
	struct vm vm;

	ASSERT_EQ(0, vm_create_type(&vm, 0));
	max_id = kvm_check_ext(vm.fd, KVM_CAP_MAX_VCPU_ID);
	fd0 = ioctl(vm.fd, KVM_CREATE_VCPU, 0);
	EXPECT_LE(0, fd0);
	EXPECT_EQ(-1, ioctl(vm.fd, KVM_CREATE_VCPU, 0));
	EXPECT_EQ(EEXIST, errno);
	EXPECT_EQ(-1, ioctl(vm.fd, KVM_CREATE_VCPU, max_id));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, ioctl(vm.fd, KVM_CREATE_VCPU, -1));
	EXPECT_EQ(EINVAL, errno);
	fd1 = ioctl(vm.fd, KVM_CREATE_VCPU, 1);
	EXPECT_LE(0, fd1);
	close(fd0);
	close(fd1);
	vm_destroy(&vm);
}

/* Ioctls sent to the wrong kind of fd: KVM's arm64 default is EINVAL. */
TEST(wrong_fd_type)
{
	struct kvm_vcpu_init init;
	struct vm vm;
	int vcpu;

	ASSERT_EQ(0, vm_create_type(&vm, 0));
	vcpu = ioctl(vm.fd, KVM_CREATE_VCPU, 0);
	ASSERT_LE(0, vcpu);
	memset(&init, 0, sizeof(init));
	ASSERT_EQ(0, ioctl(vm.fd, KVM_ARM_PREFERRED_TARGET, &init));
	init.features[0] = 1 << KVM_ARM_VCPU_PSCI_0_2;

	/* vCPU ioctls on the VM fd */
	EXPECT_EQ(-1, ioctl(vm.fd, KVM_ARM_VCPU_INIT, &init));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, ioctl(vm.fd, KVM_RUN, 0));
	EXPECT_EQ(EINVAL, errno);
	/* VM ioctls on the vCPU fd */
	EXPECT_EQ(-1, ioctl(vcpu, KVM_CREATE_VCPU, 1));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, ioctl(vcpu, KVM_ARM_PREFERRED_TARGET, &init));
	EXPECT_EQ(EINVAL, errno);
	/* VM and vCPU ioctls on the system fd */
	EXPECT_EQ(-1, ioctl(vm.sys_fd, KVM_ARM_PREFERRED_TARGET, &init));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, ioctl(vm.sys_fd, KVM_RUN, 0));
	EXPECT_EQ(EINVAL, errno);
	/* System ioctls on the VM fd */
	EXPECT_EQ(-1, ioctl(vm.fd, KVM_CREATE_VM, 0));
	EXPECT_EQ(EINVAL, errno);
	/* The vCPU still initialises on its own fd. */
	EXPECT_EQ(0, ioctl(vcpu, KVM_ARM_VCPU_INIT, &init));
	close(vcpu);
	vm_destroy(&vm);
}

/* KVM_ENABLE_CAP on the VM fd: NISV_TO_USER with flags 0 only. */
TEST(enable_cap)
{
	struct kvm_enable_cap cap = { .cap = KVM_CAP_ARM_NISV_TO_USER };
	struct vm vm;

	ASSERT_EQ(0, vm_create_type(&vm, 0));
	cap.flags = 1;
	EXPECT_EQ(-1, ioctl(vm.fd, KVM_ENABLE_CAP, &cap));
	EXPECT_EQ(EINVAL, errno);
	cap.flags = 0;
	EXPECT_EQ(0, ioctl(vm.fd, KVM_ENABLE_CAP, &cap));
	cap.cap = 0x7fffffff;
	EXPECT_EQ(-1, ioctl(vm.fd, KVM_ENABLE_CAP, &cap));
	EXPECT_EQ(EINVAL, errno);
	vm_destroy(&vm);
}

TEST_HARNESS_MAIN
