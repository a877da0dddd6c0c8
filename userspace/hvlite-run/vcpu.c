// SPDX-License-Identifier: GPL-2.0-only
/* hvlite-run: vCPUs: creation, one thread each running a switch on exit_reason, register dumps. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "hvlite-run.h"

/* Kicks a vCPU out of KVM_RUN; the handler makes a racing entry return at once. */
#define SIG_VCPU_KICK	SIGUSR1

#define CORE_REG(name)	(KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE | \
			 KVM_REG_ARM_CORE_REG(name))
#define REG_MPIDR_EL1	ARM64_SYS_REG(3, 0, 0, 0, 5)
#define REG_SCTLR_EL1	ARM64_SYS_REG(3, 0, 1, 0, 0)
#define REG_ESR_EL1	ARM64_SYS_REG(3, 0, 5, 2, 0)
#define REG_FAR_EL1	ARM64_SYS_REG(3, 0, 6, 0, 0)
#define REG_VBAR_EL1	ARM64_SYS_REG(3, 0, 12, 0, 0)

static __thread struct kvm_run *this_run;

static void vcpu__kick_handler(int sig)
{
	(void)sig;
	if (this_run)
		this_run->immediate_exit = 1;
}

void vcpu__signals_init(void)
{
	struct sigaction sa = { .sa_handler = vcpu__kick_handler };

	sigemptyset(&sa.sa_mask);
	if (sigaction(SIG_VCPU_KICK, &sa, NULL) < 0)
		die_errno("sigaction");
}

int vcpu__get_reg(struct vcpu *vcpu, uint64_t id, uint64_t *val)
{
	struct kvm_one_reg reg = { .id = id, .addr = (uintptr_t)val };

	return ioctl(vcpu->fd, KVM_GET_ONE_REG, &reg);
}

static void vcpu__set_reg(struct vcpu *vcpu, uint64_t id, uint64_t val)
{
	struct kvm_one_reg reg = { .id = id, .addr = (uintptr_t)&val };

	if (ioctl(vcpu->fd, KVM_SET_ONE_REG, &reg) < 0)
		die_errno("vCPU%u: KVM_SET_ONE_REG 0x%llx", vcpu->id, (unsigned long long)id);
}

void vcpu__init(struct kvm *kvm, struct vcpu *vcpu, unsigned int id)
{
	struct kvm_vcpu_init init = { 0 };

	vcpu->kvm = kvm;
	vcpu->id = id;
	vcpu->fd = ioctl(kvm->vm_fd, KVM_CREATE_VCPU, id);
	if (vcpu->fd < 0)
		die_errno("vCPU%u: KVM_CREATE_VCPU", id);
	vcpu->run = mmap(NULL, kvm->run_size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu->fd, 0);
	if (vcpu->run == MAP_FAILED)
		die_errno("vCPU%u: mmap of kvm_run", id);
	if (ioctl(kvm->vm_fd, KVM_ARM_PREFERRED_TARGET, &init) < 0)
		die_errno("KVM_ARM_PREFERRED_TARGET");
	memset(init.features, 0, sizeof(init.features));
	init.features[0] = 1u << KVM_ARM_VCPU_PSCI_0_2;
	/* Secondaries wait for the guest's PSCI CPU_ON. */
	if (id)
		init.features[0] |= 1u << KVM_ARM_VCPU_POWER_OFF;
	if (ioctl(vcpu->fd, KVM_ARM_VCPU_INIT, &init) < 0)
		die_errno("vCPU%u: KVM_ARM_VCPU_INIT", id);
	if (vcpu__get_reg(vcpu, REG_MPIDR_EL1, &vcpu->mpidr) < 0)
		die_errno("vCPU%u: reading MPIDR_EL1", id);
}

/* The boot CPU's entry state (Linux's arm64 booting.rst): x0 = DTB, x1-x3 = 0, MMU off. */
void vcpu__set_boot_regs(struct vcpu *vcpu, uint64_t pc, uint64_t x0)
{
	vcpu__set_reg(vcpu, CORE_REG(regs.pc), pc);
	vcpu__set_reg(vcpu, CORE_REG(regs.regs[0]), x0);
}

static void vcpu__mmio(struct vcpu *vcpu)
{
	struct kvm_run *run = vcpu->run;
	struct device *dev = device__find(run->mmio.phys_addr, run->mmio.len);

	if (!dev) {
		pr_debug(vcpu->kvm->cfg, "vCPU%u: %s of %u bytes at 0x%llx: no device",
			 vcpu->id, run->mmio.is_write ? "write" : "read", run->mmio.len,
			 (unsigned long long)run->mmio.phys_addr);
		if (!run->mmio.is_write)
			memset(run->mmio.data, 0, sizeof(run->mmio.data));
		return;
	}
	dev->mmio(dev, vcpu->kvm, run->mmio.phys_addr - dev->base, run->mmio.data,
		  run->mmio.len, run->mmio.is_write);
}

/* Returns false when the vCPU's loop must end. */
static bool vcpu__system_event(struct vcpu *vcpu)
{
	struct kvm_run *run = vcpu->run;

	switch (run->system_event.type) {
	case KVM_SYSTEM_EVENT_SHUTDOWN:
		kvm__stop(vcpu->kvm, VM_STOP_OFF, vcpu->id);
		return false;
	case KVM_SYSTEM_EVENT_RESET:
		kvm__stop(vcpu->kvm, VM_STOP_RESET, vcpu->id);
		return false;
	default:
		pr_warn("vCPU%u: system event %u", vcpu->id, run->system_event.type);
		kvm__stop(vcpu->kvm, VM_STOP_ERROR, vcpu->id);
		return false;
	}
}

static bool vcpu__fail(struct vcpu *vcpu, const char *what)
{
	if (kvm__stop(vcpu->kvm, VM_STOP_ERROR, vcpu->id))
		pr_warn("vCPU%u: %s", vcpu->id, what);
	return false;
}

/* A data abort KVM could not emulate (ISV = 0, e.g. ldp/stp or writeback) outside RAM. */
static bool vcpu__nisv(struct vcpu *vcpu)
{
	/* esr_iss carries ISS.WnR and DFSC: decode it as a lower-EL data abort (EC 0x24). */
	uint64_t esr = (0x24ULL << 26) | (vcpu->run->arm_nisv.esr_iss & 0x1ffffff);
	char desc[128], buf[256];

	esr__decode(esr, desc, sizeof(desc));
	snprintf(buf, sizeof(buf),
		 "guest access at IPA 0x%llx with no valid syndrome, not RAM, not emulable (%s)",
		 (unsigned long long)vcpu->run->arm_nisv.fault_ipa, desc);
	return vcpu__fail(vcpu, buf);
}

static bool vcpu__handle_exit(struct vcpu *vcpu)
{
	struct kvm_run *run = vcpu->run;
	char buf[160];

	switch (run->exit_reason) {
	case KVM_EXIT_MMIO:
		vcpu__mmio(vcpu);
		return true;
	case KVM_EXIT_INTR:
		return true;
	case KVM_EXIT_DEBUG:
		return gdb__debug_exit(vcpu);
	case KVM_EXIT_SYSTEM_EVENT:
		return vcpu__system_event(vcpu);
	case KVM_EXIT_ARM_NISV:
		return vcpu__nisv(vcpu);
	case KVM_EXIT_FAIL_ENTRY:
		snprintf(buf, sizeof(buf), "KVM_EXIT_FAIL_ENTRY (reason 0x%llx)",
			 (unsigned long long)run->fail_entry.hardware_entry_failure_reason);
		return vcpu__fail(vcpu, buf);
	case KVM_EXIT_INTERNAL_ERROR:
		snprintf(buf, sizeof(buf), "KVM_EXIT_INTERNAL_ERROR (suberror %u)",
			 run->internal.suberror);
		return vcpu__fail(vcpu, buf);
	case KVM_EXIT_HYPERCALL:
		snprintf(buf, sizeof(buf), "unexpected KVM_EXIT_HYPERCALL (function 0x%llx)",
			 (unsigned long long)run->hypercall.nr);
		return vcpu__fail(vcpu, buf);
	default:
		snprintf(buf, sizeof(buf), "unexpected exit reason %u", run->exit_reason);
		return vcpu__fail(vcpu, buf);
	}
}

static void *vcpu__thread(void *arg)
{
	struct vcpu *vcpu = arg;
	struct kvm *kvm = vcpu->kvm;
	char buf[64];

	this_run = vcpu->run;
	for (;;) {
		gdb__vcpu_park(vcpu);
		if (kvm__stopping(kvm))
			break;
		if (ioctl(vcpu->fd, KVM_RUN, 0) < 0) {
			if (errno == EINTR || errno == EAGAIN) {
				vcpu->run->immediate_exit = 0;
				continue;
			}
			snprintf(buf, sizeof(buf), "KVM_RUN: %s", strerror(errno));
			vcpu__fail(vcpu, buf);
			break;
		}
		gdb__record_exit(vcpu);
		if (!vcpu__handle_exit(vcpu))
			break;
	}
	this_run = NULL;
	return NULL;
}

void vcpu__start(struct vcpu *vcpu)
{
	sigset_t set;
	int err;

	/* The vCPU thread takes the kick signal; nothing else does. */
	sigemptyset(&set);
	sigaddset(&set, SIG_VCPU_KICK);
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);
	err = pthread_create(&vcpu->thread, NULL, vcpu__thread, vcpu);
	if (err) {
		errno = err;
		die_errno("vCPU%u: pthread_create", vcpu->id);
	}
	vcpu->started = true;
}

void vcpu__kick(struct vcpu *vcpu)
{
	if (vcpu->started)
		pthread_kill(vcpu->thread, SIG_VCPU_KICK);
}

void vcpu__join(struct vcpu *vcpu)
{
	if (vcpu->started)
		pthread_join(vcpu->thread, NULL);
	vcpu->started = false;
}

void vcpu__exit(struct vcpu *vcpu)
{
	munmap(vcpu->run, vcpu->kvm->run_size);
	close(vcpu->fd);
}

static uint64_t vcpu__reg(struct vcpu *vcpu, uint64_t id)
{
	uint64_t v = 0;

	if (vcpu__get_reg(vcpu, id, &v) < 0)
		return 0xdeadbeefdeadbeefULL;
	return v;
}

/* Every register a post-mortem needs; only call with the vCPU out of KVM_RUN. */
void vcpu__dump(struct vcpu *vcpu)
{
	struct kvm_mp_state mp = { 0 };
	uint64_t esr;
	char desc[128];
	int i;

	ioctl(vcpu->fd, KVM_GET_MP_STATE, &mp);
	fprintf(stderr, "vCPU%u (MPIDR 0x%llx)%s:\n", vcpu->id, (unsigned long long)vcpu->mpidr,
		mp.mp_state == KVM_MP_STATE_STOPPED ? " powered off" : "");
	fprintf(stderr, "  pc   %016llx  pstate %08llx  sp_el1 %016llx\n",
		(unsigned long long)vcpu__reg(vcpu, CORE_REG(regs.pc)),
		(unsigned long long)vcpu__reg(vcpu, CORE_REG(regs.pstate)),
		(unsigned long long)vcpu__reg(vcpu, CORE_REG(sp_el1)));
	for (i = 0; i < 31; i++)
		fprintf(stderr, "%s x%-2d %016llx%s", i % 4 ? "" : " ", i,
			(unsigned long long)vcpu__reg(vcpu, CORE_REG(regs.regs[i])),
			(i % 4 == 3 || i == 30) ? "\n" : "");
	esr = vcpu__reg(vcpu, REG_ESR_EL1);
	esr__decode(esr, desc, sizeof(desc));
	fprintf(stderr, "  elr_el1 %016llx  spsr_el1 %08llx  far_el1 %016llx\n",
		(unsigned long long)vcpu__reg(vcpu, CORE_REG(elr_el1)),
		(unsigned long long)vcpu__reg(vcpu, CORE_REG(spsr[KVM_SPSR_EL1])),
		(unsigned long long)vcpu__reg(vcpu, REG_FAR_EL1));
	fprintf(stderr, "  sctlr_el1 %016llx  vbar_el1 %016llx\n",
		(unsigned long long)vcpu__reg(vcpu, REG_SCTLR_EL1),
		(unsigned long long)vcpu__reg(vcpu, REG_VBAR_EL1));
	fprintf(stderr, "  esr_el1 %08llx: %s\n", (unsigned long long)esr, desc);
}
