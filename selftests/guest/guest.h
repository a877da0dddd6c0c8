/* SPDX-License-Identifier: GPL-2.0-only */
/* The contract between the guest payload and the tests: layout, programs, ucalls. */
#ifndef HVLITE_GUEST_H
#define HVLITE_GUEST_H

/*
 * Guest physical layout (MMU off: IPA == VA). The payload is linked at
 * GUEST_BASE, runs from slot 0 (GUEST_RAM_SIZE) with its stack at the top,
 * and keeps GUEST_SCRATCH free for the tests' data. Nothing is mapped at
 * GUEST_MMIO_BASE: accesses there exit to the VMM.
 */
#define GUEST_BASE		0x40000000UL
#define GUEST_RAM_SIZE		0x200000UL
#define GUEST_SCRATCH		(GUEST_BASE + 0x100000UL)
#define GUEST_STACK_TOP		(GUEST_BASE + GUEST_RAM_SIZE)
#define GUEST_MMIO_BASE		0x0a000000UL
#define GUEST_UCALL_ADDR	GUEST_MMIO_BASE		/* 8-byte store: a ucall */
#define GUEST_TEST_MMIO		(GUEST_MMIO_BASE + 0x1000)	/* the tests' device */
#define GUEST_RO_BASE		0x50000000UL		/* a KVM_MEM_READONLY slot */

/*
 * A ucall is one "str x0, [GUEST_UCALL_ADDR]": the MMIO data is the command,
 * x1..x3 carry its arguments (read by the VMM with KVM_GET_ONE_REG).
 */
#define UCALL_SYNC		1	/* x1 = value, x2, x3 = more values */
#define UCALL_DONE		2
#define UCALL_ABORT		3	/* x1 = line, x2 = got, x3 = expected */
#define UCALL_UNEXPECTED	4	/* x1 = vector offset, x2 = ESR, x3 = ELR */

/*
 * Programs, chosen by x0 at entry (the VMM sets x0 and PC = GUEST_BASE);
 * x1..x3 are the program's arguments.
 */
#define PROG_DONE		0	/* just DONE */
#define PROG_SYNC_REGS		1	/* SYNC(x1 + 1, MPIDR_EL1, SCTLR_EL1) */
#define PROG_MMIO_LOAD		2	/* x1 = load kind: SYNC(value loaded) */
#define PROG_MMIO_STORE		3	/* x1 = store kind, x2 = value */
#define PROG_NISV		4	/* x1 = nisv kind */
#define PROG_RO_SLOT		5	/* read, write, read GUEST_RO_BASE */
#define PROG_HVC		6	/* x1 = fn, x2 = arg, x3 = 1 for SMC: SYNC(x0) */
#define PROG_UNDEF		7	/* x1 = undef kind: SYNC(ESR, ELR, expected ELR) */
#define PROG_ID_REGS		8	/* x1 = id reg index: SYNC(value) */
#define PROG_OUTSIDE		9	/* x1 = address: load from it, SYNC(value) */
#define PROG_PATTERN		10	/* x1 = pattern: write scratch, SYNC, read back, SYNC */
#define PROG_WFI		11	/* wfi, SYNC(1), DONE */
#define PROG_SPIN		12	/* DAIF masked, spin for ever */
#define PROG_CPU_ON		13	/* PSCI CPU_ON(x1 = mpidr, x2 = context): SYNC(ret) */
#define PROG_AARCH32		14	/* x1 = aarch32 kind, x2 = r1: see below */

/* PROG_MMIO_LOAD kinds, all from GUEST_TEST_MMIO */
#define LD_B		0	/* ldrb w */
#define LD_H		1	/* ldrh w */
#define LD_W		2	/* ldr w */
#define LD_X		3	/* ldr x */
#define LD_SB_W		4	/* ldrsb w */
#define LD_SB_X		5	/* ldrsb x */
#define LD_SH_W		6	/* ldrsh w */
#define LD_SH_X		7	/* ldrsh x */
#define LD_SW_X		8	/* ldrsw x */
#define LD_XZR		9	/* ldr xzr: SYNC(x1 before == after) */
#define LD_NR		10

/* PROG_MMIO_STORE kinds, all to GUEST_TEST_MMIO */
#define ST_B		0	/* strb */
#define ST_H		1	/* strh */
#define ST_W		2	/* str w */
#define ST_X		3	/* str x */
#define ST_WZR		4	/* str wzr */
#define ST_XZR		5	/* str xzr */
#define ST_NR		6

/* PROG_NISV kinds: accesses whose syndrome has ISV = 0 */
#define NISV_STP	0	/* stp x1, x2, [MMIO] */
#define NISV_LDP	1	/* ldp x1, x2, [MMIO] */
#define NISV_LDR_POST	2	/* ldr x1, [x0], #8 */
#define NISV_STR_PRE	3	/* str x1, [x0, #8]! */
#define NISV_NR		4

/* PROG_UNDEF kinds */
#define UNDEF_UDF	0	/* udf #0 */
#define UNDEF_IMPDEF	1	/* mrs x0, s3_0_c15_c0_0 */
#define UNDEF_PMCR	2	/* mrs x0, pmcr_el0 (no PMU for this vCPU) */
#define UNDEF_IABT	3	/* branch to x2, outside memory: prefetch abort */

/*
 * PROG_AARCH32 kinds: code run at EL0 in AArch32 User mode (start.S), entered
 * with r0 = GUEST_TEST_MMIO and r1 = x2 through an eret from EL1. The guest
 * says SYNC(address of the kind's first instruction), then, once AArch32 took
 * an exception back to EL1 (vector 0x600), SYNC(ESR_EL1, ELR_EL1, SPSR_EL1).
 */
#define A32_UDF		0	/* A32 udf #0 */
#define A32_STR		1	/* A32 str r1, [r0]; svc #0 */
#define A32_SPIN	2	/* A32 b .; svc #0 (the VMM steps PC past the b) */
#define T32_STR		3	/* T32 16-bit str r1, [r0]; svc #0 */
#define A32_NR		4
#define A32_SPSR_USR	0x1d0	/* AArch32 User (M = 0x10), A, I, F masked */
#define A32_SPSR_T	0x20	/* T32 */

/* PROG_ID_REGS indices */
#define IDR_PFR0	0
#define IDR_PFR1	1
#define IDR_DFR0	2
#define IDR_ISAR1	3
#define IDR_ISAR2	4
#define IDR_MMFR0	5
#define IDR_MIDR	6
#define IDR_NR		7

#endif /* HVLITE_GUEST_H */
