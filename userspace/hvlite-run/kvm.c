// SPDX-License-Identifier: GPL-2.0-only
/* hvlite-run: the VM: the KVM-ABI device, guest RAM, stopping, interrupt lines. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "hvlite-run.h"

static void kvm__open(struct kvm *kvm)
{
	const char *dev = kvm->cfg->dev;
	int ver;

	kvm->sys_fd = open(dev, O_RDWR | O_CLOEXEC);
	if (kvm->sys_fd < 0) {
		if (errno == ENOENT && !strcmp(dev, "/dev/hvlite"))
			die("/dev/hvlite: no such device (insmod hvlite.ko, or --dev /dev/kvm)");
		die_errno("%s", dev);
	}
	ver = ioctl(kvm->sys_fd, KVM_GET_API_VERSION, 0);
	if (ver != KVM_API_VERSION)
		die("%s: KVM API version %d, expected %d", dev, ver, KVM_API_VERSION);
	if (ioctl(kvm->sys_fd, KVM_CHECK_EXTENSION, KVM_CAP_ARM_PSCI_0_2) <= 0)
		die("%s: no PSCI 0.2 (KVM_CAP_ARM_PSCI_0_2)", dev);
}

static void kvm__check_vcpus(struct kvm *kvm)
{
	int max = ioctl(kvm->sys_fd, KVM_CHECK_EXTENSION, KVM_CAP_MAX_VCPUS);
	const char *cap = "KVM_CAP_MAX_VCPUS";

	if (max <= 0) {
		max = ioctl(kvm->sys_fd, KVM_CHECK_EXTENSION, KVM_CAP_NR_VCPUS);
		cap = "KVM_CAP_NR_VCPUS";
	}
	if (max <= 0)
		max = 1;
	if (kvm->cfg->nr_cpus > (unsigned int)max)
		die("-c %u: %s supports at most %d vCPUs (%s)", kvm->cfg->nr_cpus,
		    kvm->cfg->dev, max, cap);
	if (kvm->cfg->nr_cpus > MAX_VCPUS)
		die("-c %u: at most %d vCPUs (the redistributor region of the memory map)",
		    kvm->cfg->nr_cpus, MAX_VCPUS);
	kvm->nr_vcpus = kvm->cfg->nr_cpus;
}

static void kvm__init_ram(struct kvm *kvm)
{
	struct kvm_userspace_memory_region region = { 0 };

	kvm->ram_size = kvm->cfg->mem_mib * SZ_1M;
	kvm->ram = mmap(NULL, kvm->ram_size, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (kvm->ram == MAP_FAILED)
		die_errno("guest RAM (%llu MiB)", (unsigned long long)kvm->cfg->mem_mib);
	madvise(kvm->ram, kvm->ram_size, MADV_MERGEABLE);
	region.slot = 0;
	region.guest_phys_addr = RAM_BASE;
	region.memory_size = kvm->ram_size;
	region.userspace_addr = (uintptr_t)kvm->ram;
	if (ioctl(kvm->vm_fd, KVM_SET_USER_MEMORY_REGION, &region) < 0) {
		if (errno == ENOMEM)
			die_errno("guest RAM (%llu MiB): raise RLIMIT_MEMLOCK (hvlite pins guest memory)",
				  (unsigned long long)kvm->cfg->mem_mib);
		die_errno("KVM_SET_USER_MEMORY_REGION (%llu MiB at 0x%llx)",
			  (unsigned long long)kvm->cfg->mem_mib, RAM_BASE);
	}
}

/* Accesses the MMIO path cannot emulate (no syndrome) exit with their IPA: a crash report. */
static void kvm__enable_nisv(struct kvm *kvm)
{
	struct kvm_enable_cap cap = { .cap = KVM_CAP_ARM_NISV_TO_USER };

	if (ioctl(kvm->vm_fd, KVM_CHECK_EXTENSION, KVM_CAP_ARM_NISV_TO_USER) > 0)
		ioctl(kvm->vm_fd, KVM_ENABLE_CAP, &cap);
}

void kvm__init(struct kvm *kvm, const struct config *cfg)
{
	int i;

	memset(kvm, 0, sizeof(*kvm));
	kvm->cfg = cfg;
	kvm->vgic_fd = -1;
	kvm->main_thread = pthread_self();
	pthread_mutex_init(&kvm->stop_lock, NULL);
	kvm__open(kvm);
	kvm__check_vcpus(kvm);
	kvm->vm_fd = ioctl(kvm->sys_fd, KVM_CREATE_VM, 0);
	if (kvm->vm_fd < 0)
		die_errno("%s: KVM_CREATE_VM", cfg->dev);
	i = ioctl(kvm->sys_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (i <= 0)
		die_errno("KVM_GET_VCPU_MMAP_SIZE");
	kvm->run_size = i;
	kvm__init_ram(kvm);
	kvm__enable_nisv(kvm);
	gic__create(kvm);
	kvm->vcpus = calloc(kvm->nr_vcpus, sizeof(*kvm->vcpus));
	if (!kvm->vcpus)
		die("out of memory");
	for (i = 0; i < (int)kvm->nr_vcpus; i++)
		vcpu__init(kvm, &kvm->vcpus[i], i);
	gic__finalize(kvm);
}

void kvm__exit(struct kvm *kvm)
{
	unsigned int i;

	for (i = 0; i < kvm->nr_vcpus; i++)
		vcpu__exit(&kvm->vcpus[i]);
	free(kvm->vcpus);
	if (kvm->vgic_fd >= 0)
		close(kvm->vgic_fd);
	close(kvm->vm_fd);
	munmap(kvm->ram, kvm->ram_size);
	close(kvm->sys_fd);
}

/* A host pointer to [gpa, gpa + len) if all of it is RAM, else NULL. */
void *kvm__gpa_to_hva(struct kvm *kvm, uint64_t gpa, uint64_t len)
{
	if (gpa < RAM_BASE || len > kvm->ram_size || gpa - RAM_BASE > kvm->ram_size - len)
		return NULL;
	return (char *)kvm->ram + (gpa - RAM_BASE);
}

/* Record why the VM stops (the first reason wins) and kick every vCPU out of KVM_RUN. */
bool kvm__stop(struct kvm *kvm, enum vm_stop why, unsigned int vcpu)
{
	bool first;
	unsigned int i;

	pthread_mutex_lock(&kvm->stop_lock);
	first = kvm->stop == VM_RUNNING;
	if (first) {
		kvm->stop = why;
		kvm->stop_vcpu = vcpu;
	}
	pthread_mutex_unlock(&kvm->stop_lock);
	if (first)
		pthread_kill(kvm->main_thread, SIG_VM_STOP);
	for (i = 0; i < kvm->nr_vcpus; i++)
		vcpu__kick(&kvm->vcpus[i]);
	return first;
}

bool kvm__stopping(struct kvm *kvm)
{
	return __atomic_load_n(&kvm->stop, __ATOMIC_ACQUIRE) != VM_RUNNING;
}

/* Drive SPI spi (INTID 32 + spi) of the vGIC to level. */
int kvm__irq_line(struct kvm *kvm, unsigned int spi, int level)
{
	struct kvm_irq_level irq = {
		.irq = (KVM_ARM_IRQ_TYPE_SPI << KVM_ARM_IRQ_TYPE_SHIFT) | (32 + spi),
		.level = level,
	};

	if (kvm->vgic_fd < 0)
		return -1;
	return ioctl(kvm->vm_fd, KVM_IRQ_LINE, &irq);
}
