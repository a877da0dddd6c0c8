// SPDX-License-Identifier: GPL-2.0-only
/*
 * The virtual GICv3 with four vCPUs, one thread each: PSCI CPU_ON of three
 * secondaries, SGIs between vCPUs (TargetList and IRM broadcast), eight
 * SPIs pending at once taken in priority order (more than QEMU's four list
 * registers), EOImode 0 and 1 seen through GICD_ISACTIVER, and a guest
 * writing random values to random GICD/GICR offsets after which an SGI
 * still arrives. Same results on KVM and on hvlite.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <sys/ioctl.h>

#include "kselftest_harness.h"
#include "kvm_util.h"

#define SMP_DIST	0x08000000UL
#define SMP_REDIST	0x080a0000UL
#define NR_VCPUS	4
#define MAX_UC		16
#define PSCI_FEAT	(1U << KVM_ARM_VCPU_PSCI_0_2)
#define CTX_ID(i)	(0xc0de0000UL + (i))
#define RANDOM_ITERS	3000

/* Guest scenarios, in x0 at entry; x1 is the scenario's argument. */
#define SC_CPU_ON	1	/* vCPU 0: CPU_ON 1..3, AFFINITY_INFO, ALREADY_ON */
#define SC_SGI_SEND	2	/* vCPU 0: SGIs to 1..3, to {1,2,3}, broadcast, self */
#define SC_SGI_RECV	3	/* x1 = SGIs to take */
#define SC_SPI_PRIO	4	/* SPIs 40..47, edge, distinct priorities */
#define SC_EOIMODE	5	/* x1 = ICC_CTLR_EL1.EOImode */
#define SC_RANDOM	6	/* x1 = iterations of random GICD/GICR accesses */

#define SPI_FIRST	40
#define NR_SPIS		8
#define EOI_SPI		50
#define SGI_AFTER	4	/* the SGI sent after the random accesses */

/*
 * The guest. Registers: x7 = GUEST_UCALL_ADDR, x19 = Aff0 (vCPU index),
 * x20 = GICD, x21/x23 = this vCPU's RD/SGI frames, x9 = interrupts to wait
 * for. The IRQ vector acknowledges (ICC_IAR1_EL1), EOIs, and records the
 * INTID: x26 = x26 << 8 | intid (order), x28 |= 1 << intid (set), x27++
 * (count); it uses x24, x25 only. "gwait" sleeps in WFI with IRQs masked
 * (an IRQ wakes WFI even masked: no lost wake-up), unmasking between
 * sleeps, until x27 >= x9; it returns with IRQs masked.
 */
extern const char smp_guest[], smp_guest_end[], smp_sec1[];
asm(".pushsection .rodata\n"
    ".balign 2048\n"
    ".globl smp_guest, smp_guest_end, smp_sec1\n"
    "smp_guest:\n"
    "	b	gstart\n"
    ".balign 0x200\n"			/* current EL, SPx: sync */
    "	mov	x1, #0x200\n	b	gunexpected\n"
    ".balign 0x80\n"			/* irq (0x280) */
    "	mrs	x24, icc_iar1_el1\n"
    "	cmp	x24, #1020\n"
    "	b.hs	1f\n"
    "	lsl	x26, x26, #8\n"
    "	orr	x26, x26, x24\n"
    "	mov	x25, #1\n"
    "	lsl	x25, x25, x24\n"
    "	orr	x28, x28, x25\n"
    "	add	x27, x27, #1\n"
    "	msr	icc_eoir1_el1, x24\n"
    "1:	eret\n"
    ".balign 0x80\n"			/* fiq */
    "	mov	x1, #0x300\n	b	gunexpected\n"
    ".balign 0x80\n"			/* serror */
    "	mov	x1, #0x380\n	b	gunexpected\n"
    ".balign 0x800\n"
    "gunexpected:\n"
    "	mov	x0, #4\n	mrs	x2, esr_el1\n	mrs	x3, elr_el1\n"
    "	str	x0, [x7]\n	b	.\n"
    /* CPU_ON entries: each records the PC it started at. */
    "smp_sec1:\n	adr	x3, .\n	b	gsec\n"
    "	adr	x3, .\n	b	gsec\n"
    "	adr	x3, .\n	b	gsec\n"
    "gsec:\n"
    "	movz	x7, #0x0a00, lsl #16\n"
    "	mov	x1, x0\n	mrs	x2, mpidr_el1\n"
    "	mov	x0, #1\n	str	x0, [x7]\n"		/* SYNC(x0, MPIDR, PC) */
    "	b	gdone\n"
    /* Vectors, Aff0, frames, group 1 everywhere, all SGIs enabled, PMR. */
    "gsetup:\n"
    "	adr	x1, smp_guest\n	msr	vbar_el1, x1\n"
    "	mrs	x19, mpidr_el1\n	and	x19, x19, #0xff\n"
    "	movz	x20, #0x0800, lsl #16\n"
    "	movz	x21, #0x080a, lsl #16\n"
    "	add	x21, x21, x19, lsl #17\n"		/* 128 KiB per vCPU */
    "	add	x23, x21, #0x10000\n"
    "	mov	x26, #0\n	mov	x27, #0\n	mov	x28, #0\n"
    "	mov	w1, #0x12\n	str	w1, [x20]\n"	/* GICD_CTLR: ARE, EnableGrp1 */
    "	str	wzr, [x21, #0x14]\n"		/* GICR_WAKER: awake */
    "	mov	w1, #-1\n"
    "	str	w1, [x23, #0x80]\n"		/* GICR_IGROUPR0 */
    "	str	w1, [x20, #0x84]\n"		/* GICD_IGROUPR1 */
    "	str	w1, [x20, #0x88]\n"		/* GICD_IGROUPR2 */
    "	mov	w1, #0xffff\n	str	w1, [x23, #0x100]\n"	/* GICR_ISENABLER0 */
    "	mov	x1, #0xff\n	msr	icc_pmr_el1, x1\n"
    "	mov	x1, #1\n	msr	icc_igrpen1_el1, x1\n	isb\n"
    "	ret\n"
    "gwait:\n"
    "	msr	daifset, #2\n"
    "	cmp	x27, x9\n	b.hs	1f\n"
    "	wfi\n"
    "	msr	daifclr, #2\n	isb\n"
    "	b	gwait\n"
    "1:	ret\n"
    "gstart:\n"
    "	mov	x9, x1\n	mov	x10, x0\n"
    "	bl	gsetup\n"
    "	cmp	x10, #1\n	b.eq	10f\n"
    "	cmp	x10, #2\n	b.eq	20f\n"
    "	cmp	x10, #3\n	b.eq	30f\n"
    "	cmp	x10, #4\n	b.eq	40f\n"
    "	cmp	x10, #5\n	b.eq	50f\n"
    "	cmp	x10, #6\n	b.eq	60f\n"
    "	b	gdone\n"
    /*
     * CPU_ON(i, smp_sec1 + 8 * (i - 1), CTX_ID(i)) for i = 1..3, each
     * SYNC(i, ret); AFFINITY_INFO(i, 0), each SYNC(i, ret); CPU_ON(1)
     * again: SYNC(1, ret).
     */
    "10:	adr	x24, smp_sec1\n	mov	x25, #1\n"
    "11:	movz	x0, #0xc400, lsl #16\n	orr	x0, x0, #3\n"
    "	mov	x1, x25\n"
    "	add	x2, x24, x25, lsl #3\n	sub	x2, x2, #8\n"
    "	movz	x3, #0xc0de, lsl #16\n	add	x3, x3, x25\n"
    "	hvc	#0\n"
    "	mov	x2, x0\n	mov	x1, x25\n	mov	x0, #1\n	str	x0, [x7]\n"
    "	add	x25, x25, #1\n	cmp	x25, #4\n	b.ne	11b\n"
    "	mov	x25, #1\n"
    "12:	movz	x0, #0xc400, lsl #16\n	orr	x0, x0, #4\n"
    "	mov	x1, x25\n	mov	x2, #0\n"
    "	hvc	#0\n"
    "	mov	x2, x0\n	mov	x1, x25\n	mov	x0, #1\n	str	x0, [x7]\n"
    "	add	x25, x25, #1\n	cmp	x25, #4\n	b.ne	12b\n"
    "	movz	x0, #0xc400, lsl #16\n	orr	x0, x0, #3\n"
    "	mov	x1, #1\n	mov	x2, x24\n	movz	x3, #0xc0de, lsl #16\n"
    "	hvc	#0\n"
    "	mov	x2, x0\n	mov	x1, #1\n	mov	x0, #1\n	str	x0, [x7]\n"
    "	b	gdone\n"
    /*
     * SGI i to vCPU i (i = 1..3), SGI 5 to {1, 2, 3}, SGI 7 with IRM = 1
     * (all but self), then SGI 9 to self; wait for one; SYNC(set, count,
     * GICR_ISPENDR0).
     */
    "20:	movz	x1, #0x0100, lsl #16\n	orr	x1, x1, #2\n	msr	icc_sgi1r_el1, x1\n"
    "	movz	x1, #0x0200, lsl #16\n	orr	x1, x1, #4\n	msr	icc_sgi1r_el1, x1\n"
    "	movz	x1, #0x0300, lsl #16\n	orr	x1, x1, #8\n	msr	icc_sgi1r_el1, x1\n"
    "	movz	x1, #0x0500, lsl #16\n	orr	x1, x1, #0xe\n	msr	icc_sgi1r_el1, x1\n"
    "	movz	x1, #0x0700, lsl #16\n	movk	x1, #0x0100, lsl #32\n"
    "	msr	icc_sgi1r_el1, x1\n	isb\n"
    "	movz	x1, #0x0900, lsl #16\n	orr	x1, x1, #1\n	msr	icc_sgi1r_el1, x1\n	isb\n"
    "	mov	x9, #1\n	bl	gwait\n"
    "	ldr	w3, [x23, #0x200]\n"
    "	b	80f\n"
    /* Take x9 SGIs; SYNC(set, count, GICR_ISACTIVER0). */
    "30:	bl	gwait\n"
    "	ldr	w3, [x23, #0x300]\n"
    "	b	80f\n"
    /*
     * SPIs 40..47: edge, routed here, priorities 0x50 0x20 0x70 0x10 0x60
     * 0x30 0x80 0x40; SYNC(ready) while the VMM raises them, SYNC(GICD_
     * ISPENDR1), then take all 8: SYNC(order, count, set).
     */
    "40:	movz	w1, #0xaaaa, lsl #16\n	str	w1, [x20, #0xc08]\n"	/* GICD_ICFGR2 */
    "	movz	w1, #0x2050\n	movk	w1, #0x1070, lsl #16\n	str	w1, [x20, #0x428]\n"
    "	movz	w1, #0x3060\n	movk	w1, #0x4080, lsl #16\n	str	w1, [x20, #0x42c]\n"
    "	add	x1, x20, #0x6000\n	add	x1, x1, #(8 * 40)\n	mov	x2, #8\n"
    "41:	str	x19, [x1]\n	add	x1, x1, #8\n"		/* GICD_IROUTERn */
    "	subs	x2, x2, #1\n	b.ne	41b\n"
    "	mov	w1, #0xff00\n	str	w1, [x20, #0x104]\n"	/* GICD_ISENABLER1 */
    "	mov	x0, #1\n	mov	x1, #40\n	str	x0, [x7]\n"
    "	ldr	w1, [x20, #0x204]\n	mov	x0, #1\n	str	x0, [x7]\n"
    "	bl	gwait\n"
    "	mov	x1, x26\n	mov	x2, x27\n	mov	x3, x28\n"
    "	b	81f\n"
    /*
     * SPI 50, edge, routed here, made pending by GICD_ISPENDR1 and taken
     * (the vector EOIs it); SYNC(GICD_ISACTIVER1, ICC_RPR_EL1, GICD_
     * ISPENDR1); with EOImode 1, ICC_DIR_EL1; SYNC(GICD_ISACTIVER1, set).
     */
    "50:	mov	x10, x9\n	mov	x9, #1\n"
    "	cbz	x10, 51f\n"
    "	mrs	x1, icc_ctlr_el1\n	orr	x1, x1, #2\n	msr	icc_ctlr_el1, x1\n	isb\n"
    "51:	mov	w1, #0x20\n	str	w1, [x20, #0xc0c]\n"	/* GICD_ICFGR3: 50 edge */
    "	add	x1, x20, #0x6000\n	str	x19, [x1, #(8 * 50)]\n"
    "	mov	w1, #(1 << 18)\n	str	w1, [x20, #0x104]\n"	/* ISENABLER1 */
    "	str	w1, [x20, #0x204]\n"				/* ISPENDR1 */
    "	bl	gwait\n"
    "	ldr	w1, [x20, #0x304]\n	mrs	x2, icc_rpr_el1\n	ldr	w3, [x20, #0x204]\n"
    "	mov	x0, #1\n	str	x0, [x7]\n"
    "	cbz	x10, 52f\n"
    "	mov	x1, #50\n	msr	icc_dir_el1, x1\n	isb\n"
    "52:	ldr	w1, [x20, #0x304]\n	mov	x2, x28\n	mov	x3, x27\n"
    "	b	81f\n"
    /*
     * Random: x9 rounds of a 32-bit write and a 32-bit read at random
     * 4-byte-aligned offsets of the GICD (64 KiB) or of the four GICRs
     * (4 x 128 KiB), IRQs masked; SYNC(rounds). Then clean up: vCPU 0
     * every SPI's enable, pending, active; each vCPU its own SGIs/PPIs;
     * setup again; SYNC(ready). Then vCPU 0 sends SGI 4 to {0, 1, 2, 3},
     * each takes one: SYNC(set, count).
     */
    "60:	movz	x10, #0x7c15\n	movk	x10, #0x7f4a, lsl #16\n"
    "	movk	x10, #0x79b9, lsl #32\n	movk	x10, #0x9e37, lsl #48\n"
    "	add	x10, x10, x19\n"
    "	movz	x11, #0x080a, lsl #16\n	mov	x12, x9\n"
    "61:	eor	x10, x10, x10, lsl #13\n"
    "	eor	x10, x10, x10, lsr #7\n"
    "	eor	x10, x10, x10, lsl #17\n"
    "	lsr	x15, x10, #32\n"
    "	and	x13, x10, #0x7fffc\n	add	x14, x11, x13\n"
    "	tbz	x10, #20, 62f\n"
    "	and	x13, x10, #0xfffc\n	add	x14, x20, x13\n"
    "62:	str	w15, [x14]\n"
    "	and	x13, x15, #0x7fffc\n	add	x14, x11, x13\n"
    "	tbz	x15, #21, 63f\n"
    "	and	x13, x15, #0xfffc\n	add	x14, x20, x13\n"
    "63:	ldr	w16, [x14]\n"
    "	subs	x12, x12, #1\n	b.ne	61b\n"
    "	mov	x1, x9\n	mov	x0, #1\n	str	x0, [x7]\n"
    "	mov	w1, #-1\n"
    "	cbnz	x19, 65f\n"
    "	mov	x2, #4\n"
    "64:	add	x3, x20, x2\n"
    "	str	w1, [x3, #0x180]\n	str	w1, [x3, #0x280]\n	str	w1, [x3, #0x380]\n"
    "	add	x2, x2, #4\n	cmp	x2, #0x80\n	b.ne	64b\n"
    "65:	str	w1, [x23, #0x180]\n	str	w1, [x23, #0x280]\n	str	w1, [x23, #0x380]\n"
    "	str	wzr, [x23, #0xd00]\n"			/* GICR_IGRPMODR0 */
    "	mov	x2, #0\n"
    "66:	add	x3, x23, x2\n	str	wzr, [x3, #0x400]\n"	/* GICR_IPRIORITYRn */
    "	add	x2, x2, #4\n	cmp	x2, #0x20\n	b.ne	66b\n"
    "	bl	gsetup\n"
    "	mov	x1, #0\n	mov	x0, #1\n	str	x0, [x7]\n"
    "	cbnz	x19, 67f\n"
    "	movz	x1, #0x0400, lsl #16\n	orr	x1, x1, #0xf\n	msr	icc_sgi1r_el1, x1\n	isb\n"
    "67:	mov	x9, #1\n	bl	gwait\n"
    "	mov	x3, #0\n"
    "80:	mov	x1, x28\n	mov	x2, x27\n"
    "81:	mov	x0, #1\n	str	x0, [x7]\n"
    "gdone:\n"
    "	movz	x7, #0x0a00, lsl #16\n"
    "	mov	x0, #2\n	str	x0, [x7]\n	b	.\n"
    "smp_guest_end:\n"
    ".popsection\n");

/* One vCPU and its thread: KVM_RUN until @stop SYNCs (0: none) or another ucall. */
struct runner {
	struct vcpu vcpu;
	pthread_t thread;
	int started;
	int stop;
	int n;
	int ret;
	struct ucall uc[MAX_UC];
};

static void *runner_main(void *arg)
{
	struct runner *r = arg;
	struct ucall uc;
	int syncs = 0;

	while (r->n < MAX_UC) {
		r->ret = vcpu_run_ucall(&r->vcpu, &uc);
		if (r->ret)
			break;
		r->uc[r->n++] = uc;
		if (uc.cmd != UCALL_SYNC || ++syncs == r->stop)
			break;
	}
	return NULL;
}

FIXTURE(smp) {
	struct vm vm;
	struct runner r[NR_VCPUS];
	int gic;
};

static void on_usr1(int sig)
{
}

FIXTURE_SETUP(smp)
{
	struct sigaction sa = { .sa_handler = on_usr1 };	/* no SA_RESTART */
	void *ram;
	int i;

	memset(self->r, 0, sizeof(self->r));
	for (i = 0; i < NR_VCPUS; i++)
		self->r[i].vcpu.fd = -1;
	self->gic = -1;
	ASSERT_EQ(0, sigaction(SIGUSR1, &sa, NULL));
	ASSERT_EQ(0, vm_create_type(&self->vm, 0));
	ram = vm_add_ram(&self->vm, 0, 0, GUEST_BASE, GUEST_RAM_SIZE);
	ASSERT_NE(NULL, ram);
	memcpy(ram, smp_guest, (uintptr_t)smp_guest_end - (uintptr_t)smp_guest);
}

FIXTURE_TEARDOWN(smp)
{
	int i;

	if (self->gic >= 0)
		close(self->gic);
	for (i = 0; i < NR_VCPUS; i++)
		if (self->r[i].vcpu.fd >= 0)
			vcpu_close(&self->r[i].vcpu);
	vm_destroy(&self->vm);
}

static int vgic_attr(int fd, uint32_t group, uint64_t attr, void *val)
{
	struct kvm_device_attr a = { .group = group, .attr = attr, .addr = (uintptr_t)val };

	return ioctl(fd, KVM_SET_DEVICE_ATTR, &a) ? -errno : 0;
}

static int irq_line(struct vm *vm, uint32_t num, int level)
{
	struct kvm_irq_level l = {
		.irq = KVM_ARM_IRQ_TYPE_SPI << KVM_ARM_IRQ_TYPE_SHIFT | num,
		.level = level,
	};

	return ioctl(vm->fd, KVM_IRQ_LINE, &l) ? -errno : 0;
}

/* Four vCPUs (those in @off_mask powered off), then the vGIC, initialised. */
static void smp_create(struct __test_metadata *_metadata, FIXTURE_DATA(smp) *self,
		       unsigned int off_mask)
{
	uint64_t dist = SMP_DIST, redist = SMP_REDIST;
	struct kvm_create_device cd = { .type = KVM_DEV_TYPE_ARM_VGIC_V3 };
	uint32_t f;
	int i;

	for (i = 0; i < NR_VCPUS; i++) {
		f = PSCI_FEAT | (off_mask & 1U << i ? 1U << KVM_ARM_VCPU_POWER_OFF : 0);
		ASSERT_EQ(0, vcpu_create(&self->vm, &self->r[i].vcpu, i, f)) TH_LOG("vCPU %d", i);
	}
	ASSERT_EQ(0, ioctl(self->vm.fd, KVM_CREATE_DEVICE, &cd)) TH_LOG("%s", strerror(errno));
	self->gic = cd.fd;
	ASSERT_EQ(0, vgic_attr(self->gic, KVM_DEV_ARM_VGIC_GRP_ADDR,
			       KVM_VGIC_V3_ADDR_TYPE_DIST, &dist));
	ASSERT_EQ(0, vgic_attr(self->gic, KVM_DEV_ARM_VGIC_GRP_ADDR,
			       KVM_VGIC_V3_ADDR_TYPE_REDIST, &redist));
	ASSERT_EQ(0, vgic_attr(self->gic, KVM_DEV_ARM_VGIC_GRP_CTRL,
			       KVM_DEV_ARM_VGIC_CTRL_INIT, NULL));
}

static int smp_start(struct vcpu *v, uint64_t scenario, uint64_t arg)
{
	return vcpu_set(v, REG_PC, GUEST_BASE) ?:
	       vcpu_set(v, REG_X(0), scenario) ?:
	       vcpu_set(v, REG_X(1), arg) ?:
	       vcpu_set(v, REG_X(7), GUEST_UCALL_ADDR);
}

/* Start the threads of the vCPUs in @mask, each to stop after @stop SYNCs. */
static int runners_go(FIXTURE_DATA(smp) *self, unsigned int mask, int stop)
{
	int i;

	for (i = 0; i < NR_VCPUS; i++) {
		if (!(mask & 1U << i))
			continue;
		self->r[i].stop = stop;
		if (pthread_create(&self->r[i].thread, NULL, runner_main, &self->r[i]))
			return -1;
		self->r[i].started = 1;
	}
	return 0;
}

/*
 * Join every started thread within @secs; a vCPU still in KVM_RUN then is
 * signalled out of it (its ret becomes -EINTR). Returns how many timed out.
 */
static int runners_join(FIXTURE_DATA(smp) *self, int secs)
{
	struct timespec deadline;
	int i, late = 0;

	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += secs;
	for (i = 0; i < NR_VCPUS; i++) {
		if (!self->r[i].started)
			continue;
		if (pthread_timedjoin_np(self->r[i].thread, NULL, &deadline)) {
			late++;
			pthread_kill(self->r[i].thread, SIGUSR1);
			pthread_join(self->r[i].thread, NULL);
		}
		self->r[i].started = 0;
	}
	return late;
}

/* The @k-th ucall of vCPU @i is @cmd (harness context). */
#define ASSERT_NTH(self, i, k, want) do {						\
	struct runner *__r = &(self)->r[i];						\
	ASSERT_LT(k, __r->n) TH_LOG("vCPU %d: %d ucalls, KVM_RUN %s, exit %s", i,	\
				    __r->n, strerror(-__r->ret),			\
				    exit_name(__r->vcpu.run->exit_reason));		\
	ASSERT_EQ((uint64_t)(want), __r->uc[k].cmd)					\
		TH_LOG("vCPU %d ucall %d: cmd %lu args %#lx %#lx %#lx", i, k,		\
		       (unsigned long)__r->uc[k].cmd, (unsigned long)__r->uc[k].args[0],\
		       (unsigned long)__r->uc[k].args[1],				\
		       (unsigned long)__r->uc[k].args[2]);				\
} while (0)

TEST_F_TIMEOUT(smp, cpu_on_three_secondaries, 60)
{
	uint64_t entry = GUEST_BASE + (smp_sec1 - smp_guest), mpidr;
	struct runner *r;
	int i;

	smp_create(_metadata, self, 0xe);
	ASSERT_EQ(0, smp_start(&self->r[0].vcpu, SC_CPU_ON, 0));
	ASSERT_EQ(0, runners_go(self, 0xf, 0));
	EXPECT_EQ(0, runners_join(self, 30));

	r = &self->r[0];
	for (i = 0; i < 3; i++) {
		ASSERT_NTH(self, 0, i, UCALL_SYNC);
		EXPECT_EQ(i + 1, r->uc[i].args[0]);
		EXPECT_EQ(PSCI_RET(PSCI_RET_SUCCESS), r->uc[i].args[1]) TH_LOG("CPU_ON(%d)", i + 1);
		ASSERT_NTH(self, 0, i + 3, UCALL_SYNC);
		EXPECT_EQ(i + 1, r->uc[i + 3].args[0]);
		EXPECT_EQ(PSCI_0_2_AFFINITY_LEVEL_ON, r->uc[i + 3].args[1])
			TH_LOG("AFFINITY_INFO(%d)", i + 1);
	}
	ASSERT_NTH(self, 0, 6, UCALL_SYNC);
	EXPECT_EQ(PSCI_RET(PSCI_RET_ALREADY_ON), r->uc[6].args[1]);
	ASSERT_NTH(self, 0, 7, UCALL_DONE);

	for (i = 1; i < NR_VCPUS; i++) {
		r = &self->r[i];
		ASSERT_NTH(self, i, 0, UCALL_SYNC);
		ASSERT_EQ(0, vcpu_get(&r->vcpu, REG_MPIDR_EL1, &mpidr));
		EXPECT_EQ(i, mpidr & 0xff);
		EXPECT_EQ(CTX_ID(i), r->uc[0].args[0]) TH_LOG("vCPU %d x0", i);
		EXPECT_EQ(mpidr, r->uc[0].args[1]) TH_LOG("vCPU %d MPIDR_EL1", i);
		EXPECT_EQ(entry + 8 * (i - 1), r->uc[0].args[2]) TH_LOG("vCPU %d entry PC", i);
		ASSERT_NTH(self, i, 1, UCALL_DONE);
	}
}

TEST_F_TIMEOUT(smp, sgi_targetlist_and_broadcast, 60)
{
	struct runner *r;
	int i;

	smp_create(_metadata, self, 0);
	ASSERT_EQ(0, smp_start(&self->r[0].vcpu, SC_SGI_SEND, 0));
	for (i = 1; i < NR_VCPUS; i++)
		ASSERT_EQ(0, smp_start(&self->r[i].vcpu, SC_SGI_RECV, 3));
	ASSERT_EQ(0, runners_go(self, 0xf, 0));
	EXPECT_EQ(0, runners_join(self, 30));

	/* The sender took only its own SGI 9: not the broadcast. */
	r = &self->r[0];
	ASSERT_NTH(self, 0, 0, UCALL_SYNC);
	EXPECT_EQ(1UL << 9, r->uc[0].args[0]) TH_LOG("INTIDs vCPU 0 took");
	EXPECT_EQ(1, r->uc[0].args[1]);
	EXPECT_EQ(0, r->uc[0].args[2] & 0xffff) TH_LOG("vCPU 0 GICR_ISPENDR0");
	ASSERT_NTH(self, 0, 1, UCALL_DONE);
	/* vCPU i: SGI i (its own), 5 (TargetList {1,2,3}), 7 (IRM), each EOIed. */
	for (i = 1; i < NR_VCPUS; i++) {
		r = &self->r[i];
		ASSERT_NTH(self, i, 0, UCALL_SYNC);
		EXPECT_EQ(1UL << i | 1UL << 5 | 1UL << 7, r->uc[0].args[0])
			TH_LOG("INTIDs vCPU %d took", i);
		EXPECT_EQ(3, r->uc[0].args[1]);
		EXPECT_EQ(0, r->uc[0].args[2]) TH_LOG("vCPU %d GICR_ISACTIVER0", i);
		ASSERT_NTH(self, i, 1, UCALL_DONE);
	}
}

/* Eight edge SPIs pending at once on vCPU 3, taken highest priority first. */
TEST_F(smp, eight_spis_priority_order)
{
	static const uint8_t prio[NR_SPIS] = { 0x50, 0x20, 0x70, 0x10, 0x60, 0x30, 0x80, 0x40 };
	struct vcpu *v = &self->r[3].vcpu;
	uint64_t order = 0;
	struct ucall uc;
	int i, p;

	smp_create(_metadata, self, 0);
	ASSERT_EQ(0, smp_start(v, SC_SPI_PRIO, NR_SPIS));
	ASSERT_UCALL(v, &uc, UCALL_SYNC);
	ASSERT_EQ(SPI_FIRST, uc.args[0]);
	for (i = 0; i < NR_SPIS; i++) {
		ASSERT_EQ(0, irq_line(&self->vm, SPI_FIRST + i, 1));
		ASSERT_EQ(0, irq_line(&self->vm, SPI_FIRST + i, 0));
	}
	ASSERT_UCALL(v, &uc, UCALL_SYNC);
	EXPECT_EQ(0xff00, uc.args[0]) TH_LOG("GICD_ISPENDR1 before unmasking");
	for (p = 0; p < 256; p++)
		for (i = 0; i < NR_SPIS; i++)
			if (prio[i] == p)
				order = order << 8 | (SPI_FIRST + i);
	ASSERT_UCALL(v, &uc, UCALL_SYNC);
	EXPECT_EQ(order, uc.args[0]) TH_LOG("INTIDs in the order taken");
	EXPECT_EQ(NR_SPIS, uc.args[1]);
	EXPECT_EQ(0xffUL << SPI_FIRST, uc.args[2]);
	ASSERT_UCALL(v, &uc, UCALL_DONE);
}

/*
 * SPI 50 on vCPU 2: after EOIR the priority is dropped (ICC_RPR_EL1 idle)
 * and, with EOImode 1 only, the SPI stays active until ICC_DIR_EL1.
 */
static void eoi_check(struct __test_metadata *_metadata, FIXTURE_DATA(smp) *self, int eoimode)
{
	uint64_t bit = 1UL << (EOI_SPI - 32);
	struct vcpu *v = &self->r[2].vcpu;
	struct ucall uc;

	smp_create(_metadata, self, 0);
	ASSERT_EQ(0, smp_start(v, SC_EOIMODE, eoimode));
	ASSERT_UCALL(v, &uc, UCALL_SYNC);
	EXPECT_EQ(eoimode ? bit : 0, uc.args[0]) TH_LOG("GICD_ISACTIVER1 after EOIR");
	EXPECT_EQ(0xff, uc.args[1]) TH_LOG("ICC_RPR_EL1 after EOIR");
	EXPECT_EQ(0, uc.args[2] & bit) TH_LOG("GICD_ISPENDR1 after EOIR");
	ASSERT_UCALL(v, &uc, UCALL_SYNC);
	EXPECT_EQ(0, uc.args[0]) TH_LOG("GICD_ISACTIVER1 at the end");
	EXPECT_EQ(1UL << EOI_SPI, uc.args[1]);
	EXPECT_EQ(1, uc.args[2]);
	ASSERT_UCALL(v, &uc, UCALL_DONE);
}

TEST_F(smp, eoimode0_eoi_deactivates)
{
	eoi_check(_metadata, self, 0);
}

TEST_F(smp, eoimode1_active_until_dir)
{
	eoi_check(_metadata, self, 1);
}

/*
 * All four vCPUs write random values to random GICD/GICR offsets at once
 * (and read others); after a barrier each cleans its state, after another
 * vCPU 0 sends SGI 4 to all four, and each takes it. The host log must stay
 * clean (scripts/check.sh).
 */
TEST_F_TIMEOUT(smp, random_gicd_gicr_accesses, 300)
{
	struct runner *r;
	int i;

	smp_create(_metadata, self, 0);
	for (i = 0; i < NR_VCPUS; i++)
		ASSERT_EQ(0, smp_start(&self->r[i].vcpu, SC_RANDOM, RANDOM_ITERS));
	ASSERT_EQ(0, runners_go(self, 0xf, 1));
	ASSERT_EQ(0, runners_join(self, 240));
	for (i = 0; i < NR_VCPUS; i++) {
		ASSERT_NTH(self, i, 0, UCALL_SYNC);
		EXPECT_EQ(RANDOM_ITERS, self->r[i].uc[0].args[0]);
	}
	ASSERT_EQ(0, runners_go(self, 0xf, 1));
	ASSERT_EQ(0, runners_join(self, 30));
	for (i = 0; i < NR_VCPUS; i++)
		ASSERT_NTH(self, i, 1, UCALL_SYNC);
	ASSERT_EQ(0, runners_go(self, 0xf, 0));
	EXPECT_EQ(0, runners_join(self, 30));
	for (i = 0; i < NR_VCPUS; i++) {
		r = &self->r[i];
		ASSERT_NTH(self, i, 2, UCALL_SYNC);
		EXPECT_EQ(1UL << SGI_AFTER, r->uc[2].args[0]) TH_LOG("INTIDs vCPU %d took", i);
		EXPECT_EQ(1, r->uc[2].args[1]);
		ASSERT_NTH(self, i, 3, UCALL_DONE);
	}
}

TEST_HARNESS_MAIN
