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

	// vCPU1, started by gdb_main with PSCI CPU_ON: counts in gdb_spins2 for ever
	// (MMU off: aligned 64-bit accesses only).
	.globl	gdb_secondary
gdb_secondary:
	adrp	x1, gdb_spins2
	add	x1, x1, :lo12:gdb_spins2
1:	ldr	x2, [x1]
	add	x2, x2, #1
	str	x2, [x1]
	b	1b

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
