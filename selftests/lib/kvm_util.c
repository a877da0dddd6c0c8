// SPDX-License-Identifier: GPL-2.0-only
/* A small KVM-ABI test library: VMs, memory slots, vCPUs, registers, runs, ucalls. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "kvm_util.h"

/* The guest payload, embedded by guest_blob.S. */
extern const char guest_bin_start[], guest_bin_end[];

const char *kvm_dev_path(void)
{
	const char *p = getenv("HVLITE_DEV");

	return p && *p ? p : "/dev/hvlite";
}

/* The tests run against real KVM (the oracle), not hvlite. */
int on_kvm(void)
{
	return !strcmp(kvm_dev_path(), "/dev/kvm");
}

/*
 * Running on KVM older than Linux major.minor: for the few behaviours that
 * changed between the KVM versions the suite is checked against.
 */
int kvm_before(int major, int minor)
{
	struct utsname u;
	int maj = 0, min = 0;

	if (!on_kvm() || uname(&u) || sscanf(u.release, "%d.%d", &maj, &min) != 2)
		return 0;
	return maj < major || (maj == major && min < minor);
}

int kvm_open_dev(void)
{
	int fd = open(kvm_dev_path(), O_RDWR | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

static int xioctl(int fd, unsigned long req, unsigned long arg)
{
	int r = ioctl(fd, req, arg);

	return r < 0 ? -errno : r;
}

int kvm_check_ext(int fd, long cap)
{
	return xioctl(fd, KVM_CHECK_EXTENSION, cap);
}

int vm_create_type(struct vm *vm, unsigned long type)
{
	int r;

	memset(vm, 0, sizeof(*vm));
	vm->fd = -1;
	vm->sys_fd = kvm_open_dev();
	if (vm->sys_fd < 0)
		return vm->sys_fd;
	vm->run_size = xioctl(vm->sys_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	r = xioctl(vm->sys_fd, KVM_CREATE_VM, type);
	if (r < 0) {
		close(vm->sys_fd);
		vm->sys_fd = -1;
		return r;
	}
	vm->fd = r;
	return 0;
}

void vm_destroy(struct vm *vm)
{
	if (vm->fd >= 0)
		close(vm->fd);
	if (vm->sys_fd >= 0)
		close(vm->sys_fd);
	vm->fd = vm->sys_fd = -1;
}

int vm_set_region(struct vm *vm, uint32_t slot, uint32_t flags, uint64_t gpa,
		  uint64_t size, void *hva)
{
	struct kvm_userspace_memory_region r = {
		.slot = slot,
		.flags = flags,
		.guest_phys_addr = gpa,
		.memory_size = size,
		.userspace_addr = (unsigned long)hva,
	};

	return xioctl(vm->fd, KVM_SET_USER_MEMORY_REGION, (unsigned long)&r);
}

/* Anonymous memory as a slot; NULL on failure. */
void *vm_add_ram(struct vm *vm, uint32_t slot, uint32_t flags, uint64_t gpa, uint64_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	if (vm_set_region(vm, slot, flags, gpa, size, p)) {
		munmap(p, size);
		return NULL;
	}
	return p;
}

/* Slot 0: GUEST_RAM_SIZE at GUEST_BASE holding the payload. */
int vm_load_guest(struct vm *vm)
{
	char *ram = vm_add_ram(vm, 0, 0, GUEST_BASE, GUEST_RAM_SIZE);

	if (!ram)
		return -ENOMEM;
	memcpy(ram, guest_bin_start, guest_bin_end - guest_bin_start);
	return 0;
}

int vcpu_add(struct vm *vm, struct vcpu *vcpu, int id)
{
	void *run;
	int fd;

	vcpu->vm = vm;
	vcpu->id = id;
	vcpu->run = NULL;
	fd = xioctl(vm->fd, KVM_CREATE_VCPU, id);
	vcpu->fd = fd;
	if (fd < 0)
		return fd;
	if (vm->run_size <= 0)
		return -EINVAL;
	run = mmap(NULL, vm->run_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (run == MAP_FAILED)
		return -errno;
	vcpu->run = run;
	return 0;
}

int vcpu_init_features(struct vcpu *vcpu, uint32_t features)
{
	struct kvm_vcpu_init init;
	int r;

	memset(&init, 0, sizeof(init));
	r = xioctl(vcpu->vm->fd, KVM_ARM_PREFERRED_TARGET, (unsigned long)&init);
	if (r)
		return r;
	memset(init.features, 0, sizeof(init.features));
	init.features[0] = features;
	return xioctl(vcpu->fd, KVM_ARM_VCPU_INIT, (unsigned long)&init);
}

int vcpu_create(struct vm *vm, struct vcpu *vcpu, int id, uint32_t features)
{
	int r = vcpu_add(vm, vcpu, id);

	return r ? r : vcpu_init_features(vcpu, features);
}

void vcpu_close(struct vcpu *vcpu)
{
	if (vcpu->run)
		munmap(vcpu->run, vcpu->vm->run_size);
	if (vcpu->fd >= 0)
		close(vcpu->fd);
	vcpu->run = NULL;
	vcpu->fd = -1;
}

int vcpu_get(struct vcpu *vcpu, uint64_t id, uint64_t *val)
{
	struct kvm_one_reg r = { .id = id, .addr = (unsigned long)val };

	return xioctl(vcpu->fd, KVM_GET_ONE_REG, (unsigned long)&r);
}

int vcpu_set(struct vcpu *vcpu, uint64_t id, uint64_t val)
{
	struct kvm_one_reg r = { .id = id, .addr = (unsigned long)&val };

	return xioctl(vcpu->fd, KVM_SET_ONE_REG, (unsigned long)&r);
}

int vcpu_run(struct vcpu *vcpu)
{
	return xioctl(vcpu->fd, KVM_RUN, 0);
}

/* Point @vcpu at the payload's program @prog with arguments a1..a3. */
int vcpu_start(struct vcpu *vcpu, uint64_t prog, uint64_t a1, uint64_t a2, uint64_t a3)
{
	return vcpu_set(vcpu, REG_PC, GUEST_BASE) ?:
	       vcpu_set(vcpu, REG_X(0), prog) ?:
	       vcpu_set(vcpu, REG_X(1), a1) ?:
	       vcpu_set(vcpu, REG_X(2), a2) ?:
	       vcpu_set(vcpu, REG_X(3), a3);
}

/* The ucall behind the last exit, or 0 if the exit was not one. */
uint64_t vcpu_get_ucall(struct vcpu *vcpu, struct ucall *uc)
{
	struct kvm_run *run = vcpu->run;
	int i;

	memset(uc, 0, sizeof(*uc));
	if (run->exit_reason != KVM_EXIT_MMIO || !run->mmio.is_write ||
	    run->mmio.phys_addr != GUEST_UCALL_ADDR || run->mmio.len != 8)
		return 0;
	memcpy(&uc->cmd, run->mmio.data, 8);
	for (i = 0; i < 3; i++)
		if (vcpu_get(vcpu, REG_X(i + 1), &uc->args[i]))
			return 0;
	return uc->cmd;
}

/* KVM_RUN once and decode a ucall; 0 or -errno of KVM_RUN. */
int vcpu_run_ucall(struct vcpu *vcpu, struct ucall *uc)
{
	int r = vcpu_run(vcpu);

	memset(uc, 0, sizeof(*uc));
	if (r)
		return r;
	vcpu_get_ucall(vcpu, uc);
	return 0;
}

/* A VM with the payload in slot 0 and vCPU 0 initialised with @features. */
int guest_setup(struct vm *vm, struct vcpu *vcpu, uint32_t features)
{
	int r = vm_create_type(vm, 0);

	if (r)
		return r;
	return vm_load_guest(vm) ?: vcpu_create(vm, vcpu, 0, features);
}

/* run->hypercall.flags (6.4+) shares its offset with the older longmode. */
uint64_t hypercall_flags(struct kvm_run *run)
{
	uint64_t f;

	memcpy(&f, &run->hypercall.longmode, sizeof(f));
	return f;
}

const char *exit_name(uint32_t reason)
{
	static const char *const names[] = {
		[KVM_EXIT_UNKNOWN] = "UNKNOWN",
		[KVM_EXIT_EXCEPTION] = "EXCEPTION",
		[KVM_EXIT_HYPERCALL] = "HYPERCALL",
		[KVM_EXIT_MMIO] = "MMIO",
		[KVM_EXIT_SHUTDOWN] = "SHUTDOWN",
		[KVM_EXIT_FAIL_ENTRY] = "FAIL_ENTRY",
		[KVM_EXIT_INTR] = "INTR",
		[KVM_EXIT_INTERNAL_ERROR] = "INTERNAL_ERROR",
		[KVM_EXIT_SYSTEM_EVENT] = "SYSTEM_EVENT",
		[KVM_EXIT_ARM_NISV] = "ARM_NISV",
	};

	if (reason < sizeof(names) / sizeof(names[0]) && names[reason])
		return names[reason];
	return "?";
}
