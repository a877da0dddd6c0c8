// SPDX-License-Identifier: GPL-2.0-only
// Guest entry and exception vectors: EL1, MMU off, linked at GUEST_BASE.
#include "guest.h"

	.section .text.start, "ax"
	.globl	_start
// x0: program, x1-x3: its arguments (set by the VMM with KVM_SET_ONE_REG)
_start:
	// 64 KiB of stack per vCPU, by MPIDR_EL1.Aff0 (several may run at once)
	mrs	x9, mpidr_el1
	and	x9, x9, #0xff
	ldr	x10, =GUEST_STACK_TOP
	sub	x10, x10, x9, lsl #16
	mov	sp, x10
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

// x0: AArch32 entry (bit 0 set: T32), x1: r0, x2: r1.
// Erets into it at EL0 in AArch32 User mode; when it takes an exception to
// EL1 (vector 0x600), guest_exception() sends the vector's eret to
// a32_return with EL1h restored, which returns to our caller.
	.text
	.globl	a32_call
a32_call:
	stp	x29, x30, [sp, #-96]!
	stp	x19, x20, [sp, #16]
	stp	x21, x22, [sp, #32]
	stp	x23, x24, [sp, #48]
	stp	x25, x26, [sp, #64]
	stp	x27, x28, [sp, #80]
	and	x9, x0, #1
	bic	x10, x0, #1
	msr	elr_el1, x10
	mov	x10, #A32_SPSR_USR
	orr	x10, x10, x9, lsl #5		// SPSR.T (A32_SPSR_T)
	msr	spsr_el1, x10
	mov	x0, x1
	mov	x1, x2
	eret

// EL1h again, SP_EL1 as a32_call left it; x0-x18 hold AArch32 values.
	.globl	a32_return
a32_return:
	ldp	x19, x20, [sp, #16]
	ldp	x21, x22, [sp, #32]
	ldp	x23, x24, [sp, #48]
	ldp	x25, x26, [sp, #64]
	ldp	x27, x28, [sp, #80]
	ldp	x29, x30, [sp], #96
	ret

// The AArch32 code of PROG_AARCH32: the toolchain assembles AArch64 only,
// so A32 words and T32 halfwords are encoded by hand (Arm ARM F5.1, F3.1).
	.balign	4
	.globl	a32_udf, a32_str, a32_spin, t32_str
a32_udf:
	.word	0xe7f000f0		// udf #0
a32_str:
	.word	0xe5801000		// str r1, [r0]
	.word	0xef000000		// svc #0
a32_spin:
	.word	0xeafffffe		// b .
	.word	0xef000000		// svc #0
t32_str:
	.hword	0x6001			// str r1, [r0] (16-bit)
	.hword	0xdf00			// svc #0 (16-bit)
	.balign	4
