/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * EL2 code that runs where VA == PA: taking EL2 from the hyp stub (turning
 * our stage-1 MMU on) and giving it back (turning it off). EL1 copies
 * [__hvl_idmap_start, __hvl_idmap_end) into a page of its own, which the EL2
 * tables map at its physical address, so this code must be position
 * independent and reference nothing outside itself.
 */
#include <linux/linkage.h>
#include <asm/assembler.h>
#include <asm/virt.h>
#include "hyp.h"
#include "hyp-offsets.h"

	.text
	.align	11
SYM_CODE_START(__hvl_idmap_start)
/*
 * Vectors live only while __hvl_idmap_init runs: any exception there puts
 * the stub back and returns to the host with HVL_HC_INIT_FAULT, instead of
 * taking it through the stub's vectors with the MMU on (a silent hang).
 */
	.rept	16
	.align	7
	b	__hvl_idmap_init_fault
	.endr
SYM_CODE_END(__hvl_idmap_start)

/*
 * Entered from the stub's HVC_SOFT_RESTART: EL2, MMU off, exceptions masked,
 * ELR_EL2/SPSR_EL2 still hold the host's return from its hvc.
 * x0: PA of this CPU's struct hvl_hyp_cpu (init_* cleaned to PoC)
 * Returns to the host with x0 = HVL_HC_OK. Clobbers x1-x12.
 * x9-x12 hold the stub's state for __hvl_idmap_init_fault.
 */
SYM_CODE_START(__hvl_idmap_init)
	mrs	x9, vbar_el2
	mrs	x10, sctlr_el2
	mrs	x11, elr_el2
	mrs	x12, spsr_el2
	adr	x1, __hvl_idmap_start
	msr	vbar_el2, x1
	isb

	/* The MMU is off: everything needed after it turns on goes in registers. */
	ldr	x1, [x0, #HYP_CPU_INIT_TTBR0]
	ldr	x2, [x0, #HYP_CPU_INIT_TCR]
	ldr	x3, [x0, #HYP_CPU_INIT_MAIR]
	ldr	x4, [x0, #HYP_CPU_INIT_SCTLR_SET]
	ldr	x5, [x0, #HYP_CPU_INIT_VBAR]
	ldr	x6, [x0, #HYP_CPU_INIT_SP]
	ldr	x7, [x0, #HYP_CPU_INIT_TPIDR]

	msr	mair_el2, x3
	msr	tcr_el2, x2
	msr	ttbr0_el2, x1
	isb
	/* Entries of an earlier owner of this translation regime must go. */
	tlbi	alle2
	dsb	nsh
	isb
	orr	x4, x10, x4
	msr	sctlr_el2, x4
	isb

	/* MMU on. This page is mapped at VA == PA, the EL2 data at x7. */
	msr	tpidr_el2, x7
	mov	sp, x6
	str	x9, [x7, #HYP_CPU_STUB_VBAR]
	str	x10, [x7, #HYP_CPU_STUB_SCTLR]
	msr	vbar_el2, x5
	isb
	mov	x0, #HVL_HC_OK
	eret
SYM_CODE_END(__hvl_idmap_init)

SYM_CODE_START_LOCAL(__hvl_idmap_init_fault)
	mrs	x1, esr_el2
	mrs	x2, elr_el2
	msr	sctlr_el2, x10
	isb
	msr	vbar_el2, x9
	msr	elr_el2, x11
	msr	spsr_el2, x12
	mov_q	x0, HVL_HC_INIT_FAULT
	isb
	eret
SYM_CODE_END(__hvl_idmap_init_fault)

/*
 * Give EL2 back to the stub: restore its SCTLR_EL2 (MMU off) and VBAR_EL2.
 * Entered by a branch from the main vectors, MMU on, TPIDR_EL2 valid.
 * x0: HVC_RESET_VECTORS or HVC_SOFT_RESTART, x1-x4: the stub call's arguments
 * RESET_VECTORS returns 0 to the host; SOFT_RESTART continues as the stub
 * would: x0-x2 = x2-x4 and a branch to x1 at EL2 with the MMU off.
 * Clobbers x5-x7.
 */
SYM_CODE_START(__hvl_idmap_teardown)
	mrs	x5, tpidr_el2
	ldr	x6, [x5, #HYP_CPU_STUB_SCTLR]
	ldr	x7, [x5, #HYP_CPU_STUB_VBAR]
	msr	sctlr_el2, x6
	isb
	msr	vbar_el2, x7
	tlbi	alle2
	dsb	nsh
	isb
	cmp	x0, #HVC_SOFT_RESTART
	b.ne	1f
	mov	x5, x1
	mov	x0, x2
	mov	x1, x3
	mov	x2, x4
	br	x5
1:	mov	x0, #0
	eret
SYM_CODE_END(__hvl_idmap_teardown)

/*
 * Self-test target of HVC_SOFT_RESTART: EL2, MMU off, as a kexec'd kernel
 * would start. Returns the VBAR_EL2 it finds (the stub's) to the host.
 */
SYM_CODE_START(__hvl_idmap_restart_probe)
	mrs	x0, vbar_el2
	eret
SYM_CODE_END(__hvl_idmap_restart_probe)

	.align	3
SYM_DATA_START(__hvl_idmap_end)
	.quad	0
SYM_DATA_END(__hvl_idmap_end)
