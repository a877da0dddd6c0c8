/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The interrupt, timer and SMP programs of the guest payload (irq.c): a
 * guest the VMM drives one command at a time, and the vGIC benchmarks.
 */
#ifndef HVLITE_GUEST_IRQ_H
#define HVLITE_GUEST_IRQ_H

/* Where the tests place the vGIC (QEMU virt's addresses; legacy redistributors). */
#define GIC_DIST		0x08000000UL
#define GIC_REDIST		0x080a0000UL
#define GIC_RD_STRIDE		0x20000UL	/* RD_base + SGI_base per vCPU */
#define GIC_SGI_BASE(i)		(GIC_REDIST + (i) * GIC_RD_STRIDE + 0x10000UL)

/*
 * PROG_RC: x0's low byte; the rest of x0 is free, so that a secondary
 * started by PSCI CPU_ON with entry GUEST_BASE and context id
 * PROG_RC | tag << 8 runs it too. The guest starts with SYNC(RC_READY,
 * x0 at entry, MPIDR_EL1), then loops: the VMM sets x0 = command and x1..x3
 * = arguments before each KVM_RUN; the guest runs the command and answers
 * SYNC(r0, r1, r2). IRQs stay masked except where a command says so.
 */
#define PROG_RC			32
#define PROG_BENCH_GIC		33	/* x1 = bench op, x2 = iterations: SYNC(ticks) */
#define RC_READY		0x52454459UL	/* "REDY" */

#define RC_NOP			0x100	/* SYNC(0, 0, 0) */
#define RC_READ32		0x101	/* (addr): (value) */
#define RC_WRITE32		0x102	/* (addr, value) */
#define RC_READ64		0x103	/* (addr): (value) */
#define RC_WRITE64		0x104	/* (addr, value) */
#define RC_GIC_SETUP		0x105	/* CPU interface, GICD_CTLR, own GICR, groups 1 */
#define RC_SPI_CFG		0x106	/* (intid, edge, route): configured and enabled */
#define RC_ACK			0x107	/* (wait): IAR1 (1023: none), EOIR1 if taken */
#define RC_WAIT_IRQS		0x108	/* (n, report): IRQs unmasked in WFI until n taken:
					 * (count, last intid); report: UCALL_EVENT each */
#define RC_HVC			0x109	/* (fn, a1, a2): (x0) */
#define RC_CPU_ON		0x10a	/* (mpidr, entry (0: GUEST_BASE), context): (x0) */
#define RC_CPU_OFF		0x10b	/* returns only on failure: (x0) */
#define RC_SGI			0x10c	/* (ICC_SGI1R_EL1 value) */
#define RC_TIMER		0x10d	/* (timer, mode, delta): see TM_* */
#define RC_TIMER_REGS		0x10e	/* (timer): (count, CVAL, CTL) as the guest reads them */
#define RC_TIMER_SET		0x10f	/* (timer, cval, ctl) */
#define RC_DONE			0x110	/* DONE */

/* UCALL_EVENT: from the IRQ handler with RC_WAIT_IRQS report: (intid, count) */
#define UCALL_EVENT		5

/* RC_TIMER's timer */
#define TIMER_VIRT		0	/* CNTV_*, PPI 27 */
#define TIMER_PHYS		1	/* CNTP_*, PPI 30 */

/*
 * RC_TIMER modes. "observed" is the counter of that timer read first
 * thing in the IRQ handler, which masks the timer (IMASK) and EOIs.
 */
#define TM_CVAL		0	/* CVAL = count + delta, WFI: (intid, deadline, observed) */
#define TM_TVAL		1	/* TVAL = delta, deadline = CVAL read back, WFI: same */
#define TM_POLL		2	/* as TM_CVAL, spinning with IRQs unmasked: same */
#define TM_PAST		3	/* CVAL = count - delta (or 0), enable at t: (intid, t, observed) */
#define TM_IMASK	4	/* deadline = count + delta with IMASK, spin until deadline +
				 * delta (IRQs unmasked), then clear IMASK at t: (CTL while
				 * masked | IRQs taken while masked << 8 | intid << 16,
				 * t, observed) */

/* PROG_BENCH_GIC ops: each returns the total counter ticks of the measured part */
#define BG_BASELINE	0	/* the empty loop */
#define BG_MMIO_TYPER	1	/* ldr GICD_TYPER */
#define BG_EOI_SGI	2	/* SGI to self, IAR1, then EOIR1 timed */
#define BG_EOI_LEVEL	3	/* a level SPI held high by the VMM: IAR1, EOIR1 timed */
#define BG_IPI_PING	4	/* vCPU 0: SGI 1 to vCPU 1, wait in WFI for its SGI 2 back
				 * (IRQs masked, ICC_IAR1_EL1 polled after each wake-up) */
#define BG_IPI_ECHO	5	/* vCPU 1: answer each SGI 1 with an SGI 2 to vCPU 0 */
#define BG_TIMER_POLL	6	/* CVAL deadline, spinning: sum of (handler - CVAL) */
#define BG_TIMER_WFI	7	/* the same, waiting in WFI */
#define BG_SPI_LEVEL	40	/* the SPI of BG_EOI_LEVEL */

#endif /* HVLITE_GUEST_IRQ_H */
