// SPDX-License-Identifier: GPL-2.0-only
/*
 * kvm_bench: what one exit costs, counted by the guest. Run in a QEMU host
 * with -icount shift=0 (one instruction per virtual nanosecond), the guest's
 * virtual counter measures instructions exactly: every instruction on the
 * way out and back (EL2, host kernel, VMM) counts. Works on /dev/hvlite and
 * /dev/kvm alike (HVLITE_DEV). Prints "bench <op> <instructions per op>".
 * A benchmark, not a test: it asserts nothing about the numbers.
 *
 * With -icount sleep=off, virtual time leaps to the next timer deadline
 * whenever the host idles; a round that contains such a leap reads high.
 * Each op therefore runs ROUNDS times and the smallest count is kept.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/kvm.h>

#include "rc_util.h"

#define GUEST_SIZE	GUEST_RAM_SIZE
#define BENCH_MMIO	0x0a000000UL	/* unbacked: every access exits to the VMM */
#define RESULT_MMIO	0x0a001000UL	/* the guest reports here */

#define ROUNDS		5

enum bench_op { OP_BASELINE, OP_HVC_FAST, OP_HVC_HOST, OP_MMIO_USER, OP_SYSREG, OP_NR };

static const char *const op_name[OP_NR] = {
	[OP_BASELINE] = "baseline",
	[OP_HVC_FAST] = "hvc_psci_version",
	[OP_HVC_HOST] = "hvc_unknown_fn",
	[OP_MMIO_USER] = "mmio_write_user",
	[OP_SYSREG] = "sysreg_id_aa64pfr0",
};

/*
 * The guest, position independent, entered with x0 = op, x1 = iterations:
 * reads CNTVCT_EL0 around the loop and stores the tick count to RESULT_MMIO.
 * Each loop iteration is the same three instructions plus the op.
 */
extern const char bench_guest[], bench_guest_end[];
asm(".pushsection .rodata\n"
    ".balign 4\n"
    ".globl bench_guest, bench_guest_end\n"
    "bench_guest:\n"
    "	mov	x9, x1\n"
    "	movz	x10, #0x0a00, lsl #16\n"		/* BENCH_MMIO */
    "	movz	x11, #0x8400, lsl #16\n"		/* PSCI_VERSION */
    "	movz	x12, #0xc200, lsl #16\n"		/* SIP fast call: nobody's */
    "	add	x12, x12, #0x100\n"
    "	isb\n"
    "	mrs	x13, cntvct_el0\n"
    "1:	cmp	x0, #1\n"
    "	b.eq	10f\n"
    "	cmp	x0, #2\n"
    "	b.eq	20f\n"
    "	cmp	x0, #3\n"
    "	b.eq	30f\n"
    "	cmp	x0, #4\n"
    "	b.eq	40f\n"
    "	b	90f\n"
    /* SMCCC returns in x0-x3 (KVM zeroes x1-x3): keep the op in x20. */
    "10:	mov	x20, x0\n	mov	x0, x11\n	hvc	#0\n	mov	x0, x20\n	b	90f\n"
    "20:	mov	x20, x0\n	mov	x0, x12\n	hvc	#0\n	mov	x0, x20\n	b	90f\n"
    "30:	str	x9, [x10]\n	b	90f\n"
    "40:	mrs	x4, id_aa64pfr0_el1\n	b	90f\n"
    "90:	subs	x9, x9, #1\n"
    "	b.ne	1b\n"
    "	isb\n"
    "	mrs	x14, cntvct_el0\n"
    "	sub	x14, x14, x13\n"
    "	add	x10, x10, #0x1000\n"			/* RESULT_MMIO */
    "	str	x14, [x10]\n"
    "	b	.\n"
    "bench_guest_end:\n"
    ".popsection\n");

static int set_reg(int vcpu, uint64_t id, uint64_t v)
{
	struct kvm_one_reg r = { .id = id, .addr = (uintptr_t)&v };

	return ioctl(vcpu, KVM_SET_ONE_REG, &r);
}

static void die(const char *what)
{
	fprintf(stderr, "kvm_bench: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* Run one op for @iters iterations in a fresh vCPU; returns counter ticks. */
static uint64_t bench_once(int sys, int vm, int id, int op, uint64_t iters)
{
	struct kvm_vcpu_init init;
	struct kvm_run *run;
	int vcpu = ioctl(vm, KVM_CREATE_VCPU, id);
	uint64_t ticks = 0;

	if (vcpu < 0 || ioctl(vm, KVM_ARM_PREFERRED_TARGET, &init))
		die("KVM_CREATE_VCPU");
	init.features[0] = 1U << KVM_ARM_VCPU_PSCI_0_2;
	if (ioctl(vcpu, KVM_ARM_VCPU_INIT, &init) || set_reg(vcpu, CORE_REG(regs.pc), GUEST_BASE) ||
	    set_reg(vcpu, CORE_REG(regs.regs[0]), op) || set_reg(vcpu, CORE_REG(regs.regs[1]), iters))
		die("vCPU set-up");
	run = mmap(NULL, ioctl(sys, KVM_GET_VCPU_MMAP_SIZE, 0), PROT_READ | PROT_WRITE,
		   MAP_SHARED, vcpu, 0);
	if (run == MAP_FAILED)
		die("mmap kvm_run");
	for (;;) {
		if (ioctl(vcpu, KVM_RUN, 0))
			die("KVM_RUN");
		if (run->exit_reason != KVM_EXIT_MMIO) {
			fprintf(stderr, "kvm_bench: unexpected exit %u\n", run->exit_reason);
			exit(1);
		}
		if (run->mmio.phys_addr == RESULT_MMIO) {
			memcpy(&ticks, run->mmio.data, sizeof(ticks));
			break;
		}
	}
	munmap(run, ioctl(sys, KVM_GET_VCPU_MMAP_SIZE, 0));
	close(vcpu);
	return ticks;
}

static uint64_t bench_min(int sys, int vm, int op, uint64_t iters)
{
	uint64_t best = UINT64_MAX, t;
	int r;

	for (r = 0; r < ROUNDS; r++) {
		t = bench_once(sys, vm, op * ROUNDS + r, op, iters);
		if (t < best)
			best = t;
	}
	return best;
}

/*
 * The vGIC and timer rows: PROG_BENCH_GIC of the test payload (guest/irq.c)
 * in a VM with a vGICv3 and two vCPUs, one thread each (lib/rc_util.c).
 */
static const struct {
	const char *name;
	int op;
	int halve;		/* the guest measured a round trip */
	int raw;		/* ticks of an event, no baseline subtracted */
} gic_ops[] = {
	{ "ipi_sgi_send_to_recv", BG_IPI_PING, 1, 1 },
	{ "eoi_sgi", BG_EOI_SGI, 0, 0 },
	{ "eoi_level_spi", BG_EOI_LEVEL, 0, 0 },
	{ "mmio_read_gicd_typer", BG_MMIO_TYPER, 0, 0 },
	{ "timer_irq_spinning", BG_TIMER_POLL, 0, 1 },
	{ "timer_irq_in_wfi", BG_TIMER_WFI, 0, 1 },
};

/* One round of @op on vCPU 0 (and its echo on vCPU 1): total ticks measured. */
static uint64_t gic_once(struct rc_vm *v, int op, uint64_t iters)
{
	struct ucall uc;
	int i, ret, n = op == BG_IPI_PING ? 2 : 1;

	/*
	 * The SPI is level before the line rises: KVM's SPIs reset as edge, and
	 * an edge injection leaves no line level for a later switch to level.
	 */
	if (op == BG_EOI_LEVEL) {
		uint32_t icfgr = 0;

		if (rc_vgic_attr(v->gic, KVM_SET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_DIST_REGS,
				 0xc00 + BG_SPI_LEVEL / 16 * 4, &icfgr) ||
		    rc_irq_line(v, KVM_ARM_IRQ_TYPE_SPI, 0, BG_SPI_LEVEL, 1))
			die("level SPI");
	}
	for (i = n - 1; i >= 0; i--) {
		if (rc_restart(&v->r[i], PROG_BENCH_GIC, i ? BG_IPI_ECHO : op, iters, 0))
			die("vCPU set-up");
		rc_post(&v->r[i], 0, 0, 0, 0);
	}
	/* vCPU 0's answer last: its measurement is the one kept. */
	for (i = n - 1; i >= 0; i--) {
		ret = rc_wait(&v->r[i], &uc, 20000);
		if (ret || uc.cmd != UCALL_SYNC) {
			fprintf(stderr, "kvm_bench: op %d vCPU %d: %s, exit %s, ucall %lu\n", op, i,
				strerror(-ret), exit_name(v->r[i].vcpu.run->exit_reason),
				(unsigned long)uc.cmd);
			return UINT64_MAX;
		}
	}
	if (op == BG_EOI_LEVEL && rc_irq_line(v, KVM_ARM_IRQ_TYPE_SPI, 0, BG_SPI_LEVEL, 0))
		die("KVM_IRQ_LINE");
	return uc.args[0];
}

static uint64_t gic_min(struct rc_vm *v, int op, uint64_t iters)
{
	uint64_t best = UINT64_MAX, t;
	int r;

	for (r = 0; r < ROUNDS; r++) {
		t = gic_once(v, op, iters);
		if (t == UINT64_MAX)
			return t;
		if (t < best)
			best = t;
	}
	return best;
}

/* @op's best round in a fresh VM; UINT64_MAX if it failed (it says why). */
static uint64_t gic_vm_min(int op, uint64_t iters)
{
	struct rc_vm v;
	uint64_t t;

	if (rc_vm_create(&v, 2, 0, 0))
		die("the vGIC VM");
	t = gic_min(&v, op, iters);
	rc_vm_destroy(&v);
	return t;
}

static void bench_gic(uint64_t iters, uint64_t freq)
{
	uint64_t base, t, per = 1000000000ULL / freq;
	unsigned int k;

	base = gic_vm_min(BG_BASELINE, iters);
	for (k = 0; k < sizeof(gic_ops) / sizeof(gic_ops[0]); k++) {
		t = gic_vm_min(gic_ops[k].op, iters);
		if (t == UINT64_MAX || base == UINT64_MAX) {
			printf("bench %s -\n", gic_ops[k].name);
			continue;
		}
		if (!gic_ops[k].raw)
			t = t > base ? t - base : 0;
		/* Under icount shift=0 a tick is 1e9 / freq instructions. */
		printf("bench %s %llu\n", gic_ops[k].name,
		       (unsigned long long)(t * per / iters / (gic_ops[k].halve ? 2 : 1)));
	}
}

int main(int argc, char **argv)
{
	const char *dev = getenv("HVLITE_DEV") ? getenv("HVLITE_DEV") : "/dev/hvlite";
	uint64_t iters = argc > 1 ? strtoull(argv[1], NULL, 0) : 2000, freq, base, t;
	struct kvm_userspace_memory_region m = {
		.guest_phys_addr = GUEST_BASE, .memory_size = GUEST_SIZE,
	};
	int sys, vm, op;
	void *mem;

	sys = open(dev, O_RDWR | O_CLOEXEC);
	if (sys < 0)
		die(dev);
	vm = ioctl(sys, KVM_CREATE_VM, 0);
	mem = mmap(NULL, GUEST_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (vm < 0 || mem == MAP_FAILED)
		die("KVM_CREATE_VM");
	memcpy(mem, bench_guest, (uintptr_t)bench_guest_end - (uintptr_t)bench_guest);
	m.userspace_addr = (uintptr_t)mem;
	if (ioctl(vm, KVM_SET_USER_MEMORY_REGION, &m))
		die("KVM_SET_USER_MEMORY_REGION");
	asm volatile("mrs %0, cntfrq_el0" : "=r"(freq));
	printf("bench device %s iterations %llu counter %llu Hz\n", dev,
	       (unsigned long long)iters, (unsigned long long)freq);
	base = bench_min(sys, vm, OP_BASELINE, iters);
	for (op = OP_HVC_FAST; op < OP_NR; op++) {
		t = bench_min(sys, vm, op, iters);
		/* Under icount shift=0 a tick is 1e9 / freq instructions. */
		printf("bench %s %llu\n", op_name[op],
		       (unsigned long long)((t - base) * (1000000000ULL / freq) / iters));
	}
	fflush(stdout);
	bench_gic(iters, freq);
	return 0;
}
