/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * EL2: entering a guest and the registers only assembly can move (GPRs,
 * SP_EL0, ELR/SPSR_EL2, FP/SIMD). The way back out is in vectors.S.
 */
#include <linux/linkage.h>
#include <asm/assembler.h>
#include "hyp.h"
#include "hyp-offsets.h"

	.text
/*
 * x0: vCPU context (EL2 VA), already named in this CPU's hvl_hyp_cpu.guest
 * x1: where to keep EL2's own x18-x30 and SP (hvl_host_state.gprs)
 * Returns, through __hvl_guest_exit, x0 = HVL_EXIT_* with every guest GPR,
 * SP_EL0, PC and PSTATE saved in the context.
 */
SYM_FUNC_START(__hvl_guest_enter)
	stp	x18, x19, [x1, #0]
	stp	x20, x21, [x1, #16]
	stp	x22, x23, [x1, #32]
	stp	x24, x25, [x1, #48]
	stp	x26, x27, [x1, #64]
	stp	x28, x29, [x1, #80]
	mov	x2, sp
	stp	x30, x2, [x1, #96]

	ldr	x2, [x0, #CTXT_SP_EL0]
	msr	sp_el0, x2
	ldp	x2, x3, [x0, #CTXT_PC]
	msr	elr_el2, x2
	msr	spsr_el2, x3
	ldp	x2, x3, [x0, #CTXT_X0 + 16]
	ldp	x4, x5, [x0, #CTXT_X0 + 32]
	ldp	x6, x7, [x0, #CTXT_X0 + 48]
	ldp	x8, x9, [x0, #CTXT_X0 + 64]
	ldp	x10, x11, [x0, #CTXT_X0 + 80]
	ldp	x12, x13, [x0, #CTXT_X0 + 96]
	ldp	x14, x15, [x0, #CTXT_X0 + 112]
	ldp	x16, x17, [x0, #CTXT_X0 + 128]
	ldp	x18, x19, [x0, #CTXT_X0 + 144]
	ldp	x20, x21, [x0, #CTXT_X0 + 160]
	ldp	x22, x23, [x0, #CTXT_X0 + 176]
	ldp	x24, x25, [x0, #CTXT_X0 + 192]
	ldp	x26, x27, [x0, #CTXT_X0 + 208]
	ldp	x28, x29, [x0, #CTXT_X0 + 224]
	ldr	x30, [x0, #CTXT_X0 + 240]
	ldr	x1, [x0, #CTXT_X0 + 8]
	ldr	x0, [x0, #CTXT_X0]
	eret
	sb
SYM_FUNC_END(__hvl_guest_enter)

/*
 * Back from the guest: x0/x1 of the guest are on the stack, x0 = context,
 * x2 = HVL_EXIT_*. Restores EL2's own registers and returns to the C caller
 * of __hvl_guest_enter with x0 = HVL_EXIT_*.
 */
SYM_CODE_START(__hvl_guest_exit)
	str	x2, [x0, #CTXT_EXIT_CODE]
	mrs	x1, tpidr_el2
	add	x1, x1, #HYP_CPU_HOST_GPRS
	mov	x0, x2
	ldp	x18, x19, [x1, #0]
	ldp	x20, x21, [x1, #16]
	ldp	x22, x23, [x1, #32]
	ldp	x24, x25, [x1, #48]
	ldp	x26, x27, [x1, #64]
	ldp	x28, x29, [x1, #80]
	ldp	x30, x2, [x1, #96]
	mov	sp, x2
	ret
SYM_CODE_END(__hvl_guest_exit)

/* x0: vCPU context. Clobbers x1, x2. */
SYM_FUNC_START(__hvl_fpsimd_load)
	add	x1, x0, #CTXT_VREGS
	ldp	q0, q1, [x1, #0]
	ldp	q2, q3, [x1, #32]
	ldp	q4, q5, [x1, #64]
	ldp	q6, q7, [x1, #96]
	ldp	q8, q9, [x1, #128]
	ldp	q10, q11, [x1, #160]
	ldp	q12, q13, [x1, #192]
	ldp	q14, q15, [x1, #224]
	ldp	q16, q17, [x1, #256]
	ldp	q18, q19, [x1, #288]
	ldp	q20, q21, [x1, #320]
	ldp	q22, q23, [x1, #352]
	ldp	q24, q25, [x1, #384]
	ldp	q26, q27, [x1, #416]
	ldp	q28, q29, [x1, #448]
	ldp	q30, q31, [x1, #480]
	ldr	x2, [x0, #CTXT_FPSR]
	msr	fpsr, x2
	ldr	x2, [x0, #CTXT_FPCR]
	msr	fpcr, x2
	ret
SYM_FUNC_END(__hvl_fpsimd_load)

/* x0: vCPU context. Clobbers x1, x2. */
SYM_FUNC_START(__hvl_fpsimd_save)
	add	x1, x0, #CTXT_VREGS
	stp	q0, q1, [x1, #0]
	stp	q2, q3, [x1, #32]
	stp	q4, q5, [x1, #64]
	stp	q6, q7, [x1, #96]
	stp	q8, q9, [x1, #128]
	stp	q10, q11, [x1, #160]
	stp	q12, q13, [x1, #192]
	stp	q14, q15, [x1, #224]
	stp	q16, q17, [x1, #256]
	stp	q18, q19, [x1, #288]
	stp	q20, q21, [x1, #320]
	stp	q22, q23, [x1, #352]
	stp	q24, q25, [x1, #384]
	stp	q26, q27, [x1, #416]
	stp	q28, q29, [x1, #448]
	stp	q30, q31, [x1, #480]
	mrs	x2, fpsr
	str	x2, [x0, #CTXT_FPSR]
	mrs	x2, fpcr
	str	x2, [x0, #CTXT_FPCR]
	ret
SYM_FUNC_END(__hvl_fpsimd_save)
