// SPDX-License-Identifier: GPL-2.0-only
/*
 * What the guest sees and how KVM_RUN ends: exceptions injected into the
 * guest's own vectors (UNDEF, prefetch abort), honest ID registers, WFI,
 * signals and immediate_exit, a spinning guest with interrupts masked, two
 * VMs side by side, and a VMM killed in the middle of KVM_RUN.
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "kvm_util.h"

#define PSCI_FEAT	(1U << KVM_ARM_VCPU_PSCI_0_2)
#define ESR_EC(esr)	(((esr) >> 26) & 0x3f)
#define ESR_IL		(1UL << 25)
#define EC_UNKNOWN	0x00
#define EC_IABT_CUR	0x21
#define FSC_EXTABT	0x10
#define IABT_TARGET	0x20000000UL	/* in no slot */

FIXTURE(exc) {
	struct vm vm;
	struct vcpu vcpu;
};

FIXTURE_SETUP(exc)
{
	ASSERT_EQ(0, guest_setup(&self->vm, &self->vcpu, PSCI_FEAT));
}

FIXTURE_TEARDOWN(exc)
{
	vcpu_close(&self->vcpu);
	vm_destroy(&self->vm);
}

FIXTURE_VARIANT(exc) {
	int kind;
	uint64_t esr;
};

/* UNDEF: EC 0 with IL set, ISS 0 (Arm ARM D17.2.37) at the instruction itself. */
FIXTURE_VARIANT_ADD(exc, udf) { .kind = UNDEF_UDF, .esr = ESR_IL };
FIXTURE_VARIANT_ADD(exc, impdef_sysreg) { .kind = UNDEF_IMPDEF, .esr = ESR_IL };
FIXTURE_VARIANT_ADD(exc, pmu_sysreg) { .kind = UNDEF_PMCR, .esr = ESR_IL };
/* A fetch from no memory: KVM injects an external prefetch abort. */
FIXTURE_VARIANT_ADD(exc, fetch_outside_memory) {
	.kind = UNDEF_IABT, .esr = (uint64_t)EC_IABT_CUR << 26 | ESR_IL | FSC_EXTABT };

TEST_F(exc, exception_to_guest_vector)
{
	struct ucall uc;

	ASSERT_EQ(0, vcpu_start(&self->vcpu, PROG_UNDEF, variant->kind, IABT_TARGET, 0));
	ASSERT_UCALL(&self->vcpu, &uc, UCALL_SYNC);
	/*
	 * ESR_EL1[63:32] is RES0 here. KVM 6.1 sign-extends the ESR it
	 * injects for an abort (EC 0x21 << 26 overflows an int): all ones.
	 */
	if (on_kvm() && uc.args[0] >> 32 == 0xffffffff) {
		ksft_print_msg("ESR_EL1 %#lx: bits 63:32 set by KVM\n", (unsigned long)uc.args[0]);
		uc.args[0] &= 0xffffffff;
	}
	EXPECT_EQ(variant->esr, uc.args[0]) TH_LOG("ESR_EL1 %#lx", (unsigned long)uc.args[0]);
	EXPECT_EQ(uc.args[2], uc.args[1]) TH_LOG("ELR_EL1 %#lx, expected %#lx",
					       (unsigned long)uc.args[1],
					       (unsigned long)uc.args[2]);
	ASSERT_UCALL(&self->vcpu, &uc, UCALL_SYNC);
	if (variant->kind == UNDEF_IABT)
		EXPECT_EQ(IABT_TARGET, uc.args[0]);	/* FAR_EL1 */
	ASSERT_UCALL(&self->vcpu, &uc, UCALL_DONE);
}

/*
 * ID registers: the guest reads what KVM_GET_ONE_REG shows, and no SVE, SME,
 * MTE, PMU or pointer authentication that the vCPU was not given.
 * ID_AA64PFR0_EL1.EL2 is a documented difference: KVM (without nested virt)
 * passes the host's field through although the guest has no EL2; hvlite
 * must show 0.
 */
#define PFR0_EL2	(0xfUL << 8)

static const struct {
	const char *name;
	int idx;
	uint64_t id;
	uint64_t zero;		/* fields that must read 0 */
} id_regs[] = {
	/* SVE [35:32] (and EL2 [11:8] on hvlite) */
	{ "ID_AA64PFR0_EL1", IDR_PFR0, REG_ID_AA64PFR0, 0xfUL << 32 },
	/* MTE [11:8], SME [27:24] */
	{ "ID_AA64PFR1_EL1", IDR_PFR1, REG_ID_AA64PFR1, 0xfUL << 8 | 0xfUL << 24 },
	/* PMUVer [11:8] */
	{ "ID_AA64DFR0_EL1", IDR_DFR0, REG_ID_AA64DFR0, 0xfUL << 8 },
	/* APA [7:4], API [11:8], GPA [27:24], GPI [31:28] */
	{ "ID_AA64ISAR1_EL1", IDR_ISAR1, REG_ID_AA64ISAR1,
	  0xfUL << 4 | 0xfUL << 8 | 0xfUL << 24 | 0xfUL << 28 },
	/* GPA3 [11:8], APA3 [15:12] */
	{ "ID_AA64ISAR2_EL1", IDR_ISAR2, REG_ID_AA64ISAR2, 0xfUL << 8 | 0xfUL << 12 },
	{ "ID_AA64MMFR0_EL1", IDR_MMFR0, REG_ID_AA64MMFR0, 0 },
	{ "MIDR_EL1", IDR_MIDR, REG_MIDR_EL1, 0 },
};

TEST(id_registers)
{
	struct vcpu vcpu;
	struct ucall uc;
	struct vm vm;
	uint64_t v;
	int i;

	ASSERT_EQ(0, guest_setup(&vm, &vcpu, PSCI_FEAT));
	for (i = 0; i < (int)ARRAY_SIZE(id_regs); i++) {
		uint64_t zero = id_regs[i].zero;

		if (id_regs[i].idx == IDR_PFR0 && !on_kvm())
			zero |= PFR0_EL2;
		ASSERT_EQ(0, vcpu_start(&vcpu, PROG_ID_REGS, id_regs[i].idx, 0, 0));
		ASSERT_UCALL(&vcpu, &uc, UCALL_SYNC);
		ASSERT_EQ(0, vcpu_get(&vcpu, id_regs[i].id, &v)) TH_LOG("%s", id_regs[i].name);
		EXPECT_EQ(v, uc.args[0]) TH_LOG("%s: guest %#lx, KVM_GET_ONE_REG %#lx",
						id_regs[i].name, (unsigned long)uc.args[0],
						(unsigned long)v);
		EXPECT_EQ(0, uc.args[0] & zero) TH_LOG("%s = %#lx", id_regs[i].name,
								  (unsigned long)uc.args[0]);
		ksft_print_msg("%s = %#018lx\n", id_regs[i].name, (unsigned long)uc.args[0]);
	}
	vcpu_close(&vcpu);
	vm_destroy(&vm);
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

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* WFI with nothing pending blocks in KVM_RUN until a signal; then it has retired. */
TEST(wfi_blocks_until_signal)
{
	struct vcpu vcpu;
	struct ucall uc;
	struct vm vm;

	ASSERT_EQ(0, guest_setup(&vm, &vcpu, PSCI_FEAT));
	ASSERT_EQ(0, vcpu_start(&vcpu, PROG_WFI, 0, 0, 0));
	arm_alarm(300);
	EXPECT_EQ(-EINTR, vcpu_run(&vcpu));
	EXPECT_EQ(KVM_EXIT_INTR, vcpu.run->exit_reason);
	/* the next KVM_RUN resumes after the WFI; the alarm only guards a hang */
	arm_alarm(5000);
	ASSERT_UCALL(&vcpu, &uc, UCALL_SYNC);
	EXPECT_EQ(1, uc.args[0]);
	ASSERT_UCALL(&vcpu, &uc, UCALL_DONE);
	arm_alarm(0);
	vcpu_close(&vcpu);
	vm_destroy(&vm);
}

/* immediate_exit = 1: -EINTR at once, the guest does not run. */
TEST(immediate_exit)
{
	struct vcpu vcpu;
	struct ucall uc;
	struct vm vm;
	uint64_t pc;

	ASSERT_EQ(0, guest_setup(&vm, &vcpu, PSCI_FEAT));
	ASSERT_EQ(0, vcpu_start(&vcpu, PROG_DONE, 0, 0, 0));
	vcpu.run->immediate_exit = 1;
	EXPECT_EQ(-EINTR, vcpu_run(&vcpu));
	EXPECT_EQ(0, vcpu_get(&vcpu, REG_PC, &pc));
	EXPECT_EQ(GUEST_BASE, pc);
	vcpu.run->immediate_exit = 0;
	ASSERT_UCALL(&vcpu, &uc, UCALL_DONE);
	vcpu_close(&vcpu);
	vm_destroy(&vm);
}

/*
 * A guest spinning with DAIF masked cannot stop KVM_RUN from returning on a
 * signal. Three rounds; the latency is printed, not asserted.
 */
TEST(spin_masked_preempted_by_signal)
{
	struct vcpu vcpu;
	struct vm vm;
	int i;

	ASSERT_EQ(0, guest_setup(&vm, &vcpu, PSCI_FEAT));
	ASSERT_EQ(0, vcpu_start(&vcpu, PROG_SPIN, 0, 0, 0));
	for (i = 0; i < 3; i++) {
		double t0 = now_ms(), t;

		arm_alarm(200);
		EXPECT_EQ(-EINTR, vcpu_run(&vcpu));
		t = now_ms() - t0;
		EXPECT_EQ(KVM_EXIT_INTR, vcpu.run->exit_reason);
		ksft_print_msg("round %d: KVM_RUN returned %.1f ms after entry (signal at 200 ms)\n",
			       i, t);
	}
	vcpu_close(&vcpu);
	vm_destroy(&vm);
}

/* Two VMs at once, same guest addresses: each sees only its own memory. */
TEST(two_vms_isolated)
{
	static const uint64_t pat[2] = { 0x1111000000000000UL, 0x2222000000000000UL };
	struct vcpu vcpu[2];
	struct ucall uc;
	struct vm vm[2];
	int i;

	for (i = 0; i < 2; i++) {
		ASSERT_EQ(0, guest_setup(&vm[i], &vcpu[i], PSCI_FEAT));
		ASSERT_EQ(0, vcpu_start(&vcpu[i], PROG_PATTERN, pat[i], 0, 0));
	}
	/* both write their pattern to the same IPA, then both read it back */
	for (i = 0; i < 2; i++) {
		ASSERT_UCALL(&vcpu[i], &uc, UCALL_SYNC);
		EXPECT_EQ(pat[i], uc.args[0]);
	}
	for (i = 0; i < 2; i++) {
		ASSERT_UCALL(&vcpu[i], &uc, UCALL_SYNC);
		EXPECT_EQ(pat[i], uc.args[0]);
		EXPECT_EQ(pat[i] + 63, uc.args[1]);
		ASSERT_UCALL(&vcpu[i], &uc, UCALL_DONE);
	}
	for (i = 0; i < 2; i++) {
		vcpu_close(&vcpu[i]);
		vm_destroy(&vm[i]);
	}
}

/* A /proc/meminfo or /proc/<pid>/status field in kB, or -1. */
static long proc_kb(const char *file, const char *field)
{
	char line[256];
	long v = -1;
	FILE *f = fopen(file, "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, field, strlen(field)) && line[strlen(field)] == ':')
			sscanf(line + strlen(field) + 1, "%ld", &v);
	fclose(f);
	return v;
}

#define KILL_RAM	(16UL << 20)

/* The child: a VM with 16 MiB more RAM, all touched, spinning in KVM_RUN. */
static void kill_child(int ready)
{
	struct vcpu vcpu;
	struct vm vm;
	char *ram;

	if (guest_setup(&vm, &vcpu, PSCI_FEAT))
		_exit(1);
	ram = vm_add_ram(&vm, 1, 0, 0x80000000UL, KILL_RAM);
	if (!ram || vcpu_start(&vcpu, PROG_SPIN, 0, 0, 0))
		_exit(2);
	memset(ram, 0x5a, KILL_RAM);
	if (write(ready, "r", 1) != 1)
		_exit(3);
	for (;;)
		vcpu_run(&vcpu);
}

/*
 * SIGKILL in the middle of KVM_RUN: the VM goes away with the process and
 * leaves no locked or unevictable memory behind; a new VM works afterwards.
 */
TEST(killed_mid_run)
{
	long mlocked0 = proc_kb("/proc/meminfo", "Mlocked");
	long unevict0 = proc_kb("/proc/meminfo", "Unevictable");
	long pin, lck, mlocked1, unevict1;
	char path[64], c;
	int p[2], status;
	struct vcpu vcpu;
	struct ucall uc;
	struct vm vm;
	pid_t pid;

	ASSERT_EQ(0, pipe(p));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		close(p[0]);
		kill_child(p[1]);
	}
	close(p[1]);
	ASSERT_EQ(1, read(p[0], &c, 1));
	usleep(200 * 1000);	/* well inside KVM_RUN by now */
	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	pin = proc_kb(path, "VmPin");
	lck = proc_kb(path, "VmLck");
	ksft_print_msg("in KVM_RUN: child VmPin %ld kB VmLck %ld kB; Mlocked %ld kB Unevictable %ld kB\n",
		       pin, lck, proc_kb("/proc/meminfo", "Mlocked"),
		       proc_kb("/proc/meminfo", "Unevictable"));
	ASSERT_EQ(0, kill(pid, SIGKILL));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
		TH_LOG("child status %#x", status);
	usleep(100 * 1000);
	mlocked1 = proc_kb("/proc/meminfo", "Mlocked");
	unevict1 = proc_kb("/proc/meminfo", "Unevictable");
	ksft_print_msg("after SIGKILL: Mlocked %ld -> %ld kB, Unevictable %ld -> %ld kB\n",
		       mlocked0, mlocked1, unevict0, unevict1);
	EXPECT_EQ(mlocked0, mlocked1);
	EXPECT_EQ(unevict0, unevict1);
	ASSERT_EQ(0, guest_setup(&vm, &vcpu, PSCI_FEAT));
	ASSERT_EQ(0, vcpu_start(&vcpu, PROG_DONE, 0, 0, 0));
	ASSERT_UCALL(&vcpu, &uc, UCALL_DONE);
	vcpu_close(&vcpu);
	vm_destroy(&vm);
}

TEST_HARNESS_MAIN
