// SPDX-License-Identifier: GPL-2.0-only
// The gdb end-to-end payload's entry and vectors: a stack, VBAR_EL1, then
// gdb_main(). The vectors take the guest's own BRK (re-injected by hvlite-run
// when gdb does not own it): ESR_EL1 goes to brk_esr, and ELR_EL1 past the BRK.
	.text
	.globl	_start
_start:
	adrp	x1, stack_top
	add	x1, x1, :lo12:stack_top
	mov	sp, x1
	adr	x1, vectors
	msr	vbar_el1, x1
	isb
	bl	gdb_main
1:	b	1b

	.balign	2048
vectors:
	.skip	0x200			// current EL, SP_EL1: synchronous
	stp	x0, x1, [sp, #-16]!
	mrs	x0, esr_el1
	adrp	x1, brk_esr
	add	x1, x1, :lo12:brk_esr
	str	x0, [x1]
	mrs	x0, elr_el1
	add	x0, x0, #4
	msr	elr_el1, x0
	ldp	x0, x1, [sp], #16
	eret
	.balign	0x80
	b	.			// irq: not expected

	.bss
	.balign	16
	.skip	16384
stack_top:
