// SPDX-License-Identifier: GPL-2.0-only
/*
 * The guest payload's interrupt, timer and SMP programs (irq.h): PROG_RC, a
 * guest the VMM drives command by command, and PROG_BENCH_GIC. Several
 * vCPUs run this code at once: per-vCPU data is indexed by MPIDR_EL1.Aff0,
 * and each has its own stack (start.S). MMU off: every access is Device.
 */
#include "guest.h"
#include "irq.h"

typedef unsigned long u64;
typedef unsigned int u32;

#define NR_CPUS			8
#define CTL_ENABLE		1UL
#define CTL_IMASK		2UL
#define CTL_ISTATUS		4UL
#define INTID_SPURIOUS		1023
#define GICD_CTLR		0x0000
#define GICD_IGROUPR		0x0080
#define GICD_ISENABLER		0x0100
#define GICD_ICFGR		0x0c00
#define GICD_IROUTER		0x6000
#define GICR_WAKER		0x0014
#define GICR_IGROUPR0		0x0080
#define GICR_ISENABLER0		0x0100
#define GICD_TYPER		0x0004
#define PSCI_CPU_OFF		0x84000002UL
#define PSCI_CPU_ON_64		0xc4000003UL

void guest_irq_main(u64 prog, u64 a1, u64 a2, u64 a3);
void guest_irq(void);

/* What the IRQ handler saw, per vCPU. */
static volatile struct {
	u64 count;
	u64 intid;
	u64 vcnt;		/* CNTVCT_EL0 at the handler's entry */
	u64 pcnt;		/* CNTPCT_EL0 just after */
	u64 report;		/* UCALL_EVENT for each interrupt */
} irqs[NR_CPUS];

#define read_sysreg(r) ({ u64 __v; asm volatile("mrs %0, " #r : "=r"(__v) : : "memory"); __v; })
#define write_sysreg(v, r) asm volatile("msr " #r ", %0" : : "r"((u64)(v)) : "memory")
#define isb() asm volatile("isb" : : : "memory")

/*
 * MMIO by plain ldr/str: an access with writeback (which the compiler may
 * pick for a loop) has no valid syndrome and cannot be emulated.
 */
static inline u32 rd32(u64 a)
{
	u32 v;

	asm volatile("ldr %w0, [%1]" : "=r"(v) : "r"(a) : "memory");
	return v;
}

static inline void wr32(u64 a, u32 v)
{
	asm volatile("str %w0, [%1]" : : "rZ"(v), "r"(a) : "memory");
}

static inline u64 rd64(u64 a)
{
	u64 v;

	asm volatile("ldr %0, [%1]" : "=r"(v) : "r"(a) : "memory");
	return v;
}

static inline void wr64(u64 a, u64 v)
{
	asm volatile("str %x0, [%1]" : : "rZ"(v), "r"(a) : "memory");
}

static u64 me(void)
{
	return read_sysreg(mpidr_el1) & 0xff;
}

static void ucall3(u64 cmd, u64 a1, u64 a2, u64 a3)
{
	register u64 x0 asm("x0") = cmd;
	register u64 x1 asm("x1") = a1;
	register u64 x2 asm("x2") = a2;
	register u64 x3 asm("x3") = a3;

	asm volatile("str x0, [%4]"
		     : : "r"(x0), "r"(x1), "r"(x2), "r"(x3), "r"(GUEST_UCALL_ADDR)
		     : "memory");
}

/* SYNC(r0, r1, r2); the VMM answers with the next command in x0..x3. */
static void rc_reply(u64 *r)
{
	register u64 x0 asm("x0") = UCALL_SYNC;
	register u64 x1 asm("x1") = r[0];
	register u64 x2 asm("x2") = r[1];
	register u64 x3 asm("x3") = r[2];

	asm volatile("str x0, [%4]"
		     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : "r"(GUEST_UCALL_ADDR)
		     : "memory");
	r[0] = x0;
	r[1] = x1;
	r[2] = x2;
	r[3] = x3;
}

static u64 counter(u64 phys)
{
	isb();
	return phys ? read_sysreg(cntpct_el0) : read_sysreg(cntvct_el0);
}

static void timer_ctl(u64 phys, u64 v)
{
	if (phys)
		write_sysreg(v, cntp_ctl_el0);
	else
		write_sysreg(v, cntv_ctl_el0);
	isb();
}

static void timer_cval(u64 phys, u64 v)
{
	if (phys)
		write_sysreg(v, cntp_cval_el0);
	else
		write_sysreg(v, cntv_cval_el0);
	isb();
}

static void timer_tval(u64 phys, u64 v)
{
	if (phys)
		write_sysreg(v, cntp_tval_el0);
	else
		write_sysreg(v, cntv_tval_el0);
	isb();
}

static u64 timer_get_ctl(u64 phys)
{
	return phys ? read_sysreg(cntp_ctl_el0) : read_sysreg(cntv_ctl_el0);
}

static u64 timer_get_cval(u64 phys)
{
	return phys ? read_sysreg(cntp_cval_el0) : read_sysreg(cntv_cval_el0);
}

/* Called by guest_exception() for an IRQ at the current EL (vector 0x280). */
void guest_irq(void)
{
	u64 vcnt = read_sysreg(cntvct_el0), pcnt = read_sysreg(cntpct_el0);
	u64 i = me(), intid = read_sysreg(s3_0_c12_c12_0) & 0xffffff;	/* ICC_IAR1_EL1 */

	if (intid >= 1020)
		return;
	if (intid == 27)
		write_sysreg(read_sysreg(cntv_ctl_el0) | CTL_IMASK, cntv_ctl_el0);
	if (intid == 30)
		write_sysreg(read_sysreg(cntp_ctl_el0) | CTL_IMASK, cntp_ctl_el0);
	isb();
	irqs[i].vcnt = vcnt;
	irqs[i].pcnt = pcnt;
	irqs[i].intid = intid;
	irqs[i].count++;
	write_sysreg(intid, s3_0_c12_c12_1);				/* ICC_EOIR1_EL1 */
	isb();
	if (irqs[i].report)
		ucall3(UCALL_EVENT, intid, irqs[i].count, 0);
}

static void gic_setup(void)
{
	u64 i = me(), sgi = GIC_SGI_BASE(i), n;

	wr32(GIC_DIST + GICD_CTLR, 0x12);		/* ARE, EnableGrp1 */
	wr32(sgi - 0x10000 + GICR_WAKER, 0);
	wr32(sgi + GICR_IGROUPR0, ~0U);
	for (n = 1; n < 32; n++)
		wr32(GIC_DIST + GICD_IGROUPR + 4 * n, ~0U);
	write_sysreg(0xff, s3_0_c4_c6_0);			/* ICC_PMR_EL1 */
	write_sysreg(1, s3_0_c12_c12_7);			/* ICC_IGRPEN1_EL1 */
	isb();
}

static void spi_cfg(u64 intid, u64 edge, u64 route)
{
	u64 cfg = GIC_DIST + GICD_ICFGR + (intid / 16) * 4;
	u32 bit = 2U << (2 * (intid % 16));

	wr32(cfg, edge ? rd32(cfg) | bit : rd32(cfg) & ~bit);
	wr64(GIC_DIST + GICD_IROUTER + 8 * intid, route);
	wr32(GIC_DIST + GICD_ISENABLER + (intid / 32) * 4, 1U << (intid % 32));
}

/* ICC_IAR1_EL1 with IRQs masked; waiting in WFI for one if @wait. */
static u64 ack(u64 wait)
{
	u64 intid;

	for (;;) {
		intid = read_sysreg(s3_0_c12_c12_0) & 0xffffff;
		if (intid < 1020 || !wait)
			break;
		asm volatile("wfi" : : : "memory");
	}
	if (intid < 1020)
		write_sysreg(intid, s3_0_c12_c12_1);
	isb();
	return intid;
}

/* Take interrupts in WFI until this vCPU's handler counted @n of them. */
static void wait_irqs(u64 n)
{
	u64 i = me();

	while (irqs[i].count < n) {
		asm volatile("wfi" : : : "memory");
		asm volatile("msr daifclr, #2\n\tisb\n\tmsr daifset, #2" : : : "memory");
	}
}

static u64 smccc(u64 fn, u64 a1, u64 a2, u64 a3)
{
	register u64 x0 asm("x0") = fn;
	register u64 x1 asm("x1") = a1;
	register u64 x2 asm("x2") = a2;
	register u64 x3 asm("x3") = a3;

	asm volatile("hvc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : : "memory");
	return x0;
}

static void enable_ppi(u64 intid)
{
	wr32(GIC_SGI_BASE(me()) + GICR_ISENABLER0, 1U << intid);
}

/* RC_TIMER: one deadline of one timer, the way @mode says (irq.h). */
static void timer_run(u64 phys, u64 mode, u64 delta, u64 *r)
{
	u64 i = me(), n0 = irqs[i].count, t = counter(phys), dl = t + delta, ctl = 0, got = 0;

	enable_ppi(phys ? 30 : 27);
	switch (mode) {
	case TM_TVAL:
		timer_tval(phys, delta);
		dl = timer_get_cval(phys);
		timer_ctl(phys, CTL_ENABLE);
		break;
	case TM_PAST:
		/* The virtual count starts at 0 with the VM: maybe not @delta yet. */
		timer_cval(phys, t > delta ? t - delta : 0);
		dl = counter(phys);
		timer_ctl(phys, CTL_ENABLE);
		break;
	case TM_IMASK:
		timer_cval(phys, dl);
		timer_ctl(phys, CTL_ENABLE | CTL_IMASK);
		asm volatile("msr daifclr, #2" : : : "memory");
		while (counter(phys) < dl + delta)
			;
		asm volatile("msr daifset, #2" : : : "memory");
		ctl = timer_get_ctl(phys);
		got = irqs[i].count - n0;
		dl = counter(phys);
		timer_ctl(phys, CTL_ENABLE);
		break;
	default:
		timer_cval(phys, dl);
		timer_ctl(phys, CTL_ENABLE);
	}
	if (mode == TM_POLL) {
		asm volatile("msr daifclr, #2" : : : "memory");
		while (irqs[i].count == n0)
			;
		asm volatile("msr daifset, #2" : : : "memory");
	} else {
		wait_irqs(n0 + 1);
	}
	r[0] = mode == TM_IMASK ? ctl | got << 8 | irqs[i].intid << 16 : irqs[i].intid;
	r[1] = dl;
	r[2] = phys ? irqs[i].pcnt : irqs[i].vcnt;
	timer_ctl(phys, 0);
}

/* One command of PROG_RC: arguments in a[1..3], results to a[0..2]. */
static int rc_command(u64 *a)
{
	u64 cmd = a[0], x = a[1], y = a[2], z = a[3], i = me();

	a[0] = a[1] = a[2] = 0;
	switch (cmd) {
	case RC_READ32:	a[0] = rd32(x); break;
	case RC_WRITE32: wr32(x, y); break;
	case RC_READ64:	a[0] = rd64(x); break;
	case RC_WRITE64: wr64(x, y); break;
	case RC_GIC_SETUP: gic_setup(); break;
	case RC_SPI_CFG: spi_cfg(x, y, z); break;
	case RC_ACK: a[0] = ack(x); break;
	case RC_WAIT_IRQS:
		irqs[i].report = y;
		wait_irqs(x);
		irqs[i].report = 0;
		a[0] = irqs[i].count;
		a[1] = irqs[i].intid;
		break;
	case RC_HVC: a[0] = smccc(x, y, z, 0); break;
	case RC_CPU_ON:	a[0] = smccc(PSCI_CPU_ON_64, x, y ? y : GUEST_BASE, z); break;
	case RC_CPU_OFF: a[0] = smccc(PSCI_CPU_OFF, 0, 0, 0); break;
	case RC_SGI:
		write_sysreg(x, s3_0_c12_c11_5);		/* ICC_SGI1R_EL1 */
		isb();
		break;
	case RC_TIMER: timer_run(x, y, z, a); break;
	case RC_TIMER_REGS:
		a[0] = counter(x);
		a[1] = timer_get_cval(x);
		a[2] = timer_get_ctl(x);
		break;
	case RC_TIMER_SET:
		timer_cval(x, y);
		timer_ctl(x, z);
		break;
	case RC_DONE:
		return 0;
	}
	return 1;
}

static void rc_main(u64 entry_x0)
{
	u64 a[4] = { RC_READY, entry_x0, read_sysreg(mpidr_el1) };

	asm volatile("msr daifset, #2" : : : "memory");
	do
		rc_reply(a);
	while (rc_command(a));
}

/* PROG_BENCH_GIC: the measured part of @op, @n times; SYNC(total ticks). */
static u64 bench_once(u64 op)
{
	u64 t0, t1, i = me(), n0 = irqs[i].count, dl;

	switch (op) {
	case BG_MMIO_TYPER:
		t0 = counter(0);
		rd32(GIC_DIST + GICD_TYPER);
		return counter(0) - t0;
	case BG_EOI_SGI:
		write_sysreg(1UL << 0 | 3UL << 24, s3_0_c12_c11_5);	/* SGI 3 to self */
		isb();
		/* fall through */
	case BG_EOI_LEVEL:
		while ((t1 = read_sysreg(s3_0_c12_c12_0) & 0xffffff) >= 1020)
			asm volatile("wfi" : : : "memory");
		t0 = counter(0);
		write_sysreg(t1, s3_0_c12_c12_1);
		return counter(0) - t0;
	case BG_IPI_PING:
		t0 = counter(0);
		write_sysreg(1UL << 1 | 1UL << 24, s3_0_c12_c11_5);	/* SGI 1 to vCPU 1 */
		isb();
		ack(1);						/* its SGI 2 */
		return counter(0) - t0;
	case BG_IPI_ECHO:
		ack(1);						/* SGI 1 */
		write_sysreg(2UL << 24 | 1, s3_0_c12_c11_5);	/* SGI 2 to vCPU 0 */
		isb();
		return 0;
	case BG_TIMER_POLL:
	case BG_TIMER_WFI:
		dl = counter(0) + 2000;
		timer_cval(0, dl);
		timer_ctl(0, CTL_ENABLE);
		if (op == BG_TIMER_WFI) {
			wait_irqs(n0 + 1);
		} else {
			asm volatile("msr daifclr, #2" : : : "memory");
			while (irqs[i].count == n0)
				;
			asm volatile("msr daifset, #2" : : : "memory");
		}
		timer_ctl(0, 0);
		return irqs[i].vcnt - dl;
	default:
		t0 = counter(0);
		return counter(0) - t0;
	}
}

static void bench_main(u64 op, u64 n)
{
	u64 total = 0, k;

	asm volatile("msr daifset, #2" : : : "memory");
	gic_setup();
	wr32(GIC_SGI_BASE(me()) + GICR_ISENABLER0, 0xffff | 1U << 27);
	if (op == BG_EOI_LEVEL)
		spi_cfg(BG_SPI_LEVEL, 0, me());
	for (k = 0; k < n; k++)
		total += bench_once(op);
	ucall3(UCALL_SYNC, total, n, 0);
}

void guest_irq_main(u64 prog, u64 a1, u64 a2, u64 a3)
{
	if ((prog & 0xff) == PROG_RC)
		rc_main(prog);
	else if (prog == PROG_BENCH_GIC)
		bench_main(a1, a2);
}
