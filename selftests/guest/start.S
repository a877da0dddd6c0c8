// SPDX-License-Identifier: GPL-2.0-only
// Guest entry and exception vectors: EL1, MMU off, linked at GUEST_BASE.
#include "guest.h"

	.section .text.start, "ax"
	.globl	_start
// x0: program, x1-x3: its arguments (set by the VMM with KVM_SET_ONE_REG)
_start:
	ldr	x9, =GUEST_STACK_TOP
	mov	sp, x9
	adr	x9, vectors
	msr	vbar_el1, x9
	isb
	bl	guest_main
	// guest_main does not return; if it did, say so and stop here
	mov	x1, #0
	mov	x0, #UCALL_ABORT
	ldr	x9, =GUEST_UCALL_ADDR
	str	x0, [x9]
	b	.
	.ltorg

// Each vector saves x0/x1 and branches to the common path with its offset.
	.macro	ventry off
	.balign	0x80
	stp	x0, x1, [sp, #-(32 * 8)]!
	mov	x0, #\off
	b	vector_common
	.endm

	.balign	0x800
vectors:
	ventry	0x000
	ventry	0x080
	ventry	0x100
	ventry	0x180
	ventry	0x200
	ventry	0x280
	ventry	0x300
	ventry	0x380
	ventry	0x400
	ventry	0x480
	ventry	0x500
	ventry	0x580
	ventry	0x600
	ventry	0x680
	ventry	0x700
	ventry	0x780

// x0: vector offset; x0/x1 of the interrupted code are at [sp]
vector_common:
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x29, [sp, #144]
	str	x30, [sp, #160]
	// guest_exception(offset, esr, elr, far, saved x30) returns the new ELR
	mrs	x1, esr_el1
	mrs	x2, elr_el1
	mrs	x3, far_el1
	mov	x4, x30
	bl	guest_exception
	msr	elr_el1, x0
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldp	x18, x29, [sp, #144]
	ldr	x30, [sp, #160]
	ldp	x0, x1, [sp], #(32 * 8)
	eret
